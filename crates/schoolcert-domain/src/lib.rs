//! Pure types and rules of schoolcert: the registry of boards, schools, contacts and network
//! assets, the lookup index, roles and scopes, TLP, RSIT and time. No I/O happens here.

pub mod access;
pub mod asset;
pub mod audit;
pub mod ids;
pub mod lang;
pub mod lookup;
pub mod pgpkey;
pub mod registry;
pub mod rsit;
pub mod time;
pub mod tlp;
pub mod token;

pub use ids::{AssetId, BoardId, ContactId, SchoolId, UserId};
pub use lang::Lang;
pub use time::{Clock, Timestamp};
pub use tlp::Tlp;
