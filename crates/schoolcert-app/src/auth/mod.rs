//! Authentication and accounts: passwords, sessions, the second factor, API tokens, users and
//! the one-time links (first administrator, new password).

pub mod passwords;
pub mod sessions;
pub mod tokens;
pub mod totp;
pub mod users;

use schoolcert_domain::access::Actor;
use schoolcert_store::accounts::users::User;

/// The actor a user acts as.
pub fn actor_of(user: &User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        board_id: user.board_id,
        label: user.email.clone(),
    }
}
