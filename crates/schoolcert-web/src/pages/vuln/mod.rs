//! Vulnerability information pages: the CERT's work queue, advisory editor, catalogue, sector
//! picture and guides (`cert`); the board's landscape and advisories (`portal`); the public
//! TLP:CLEAR advisories, guides and Atom feed, and the `/.well-known/csaf/` tree (`public`).

mod cert;
mod portal;
mod public;

use axum::Router;
use schoolcert_app::App;

pub fn routes() -> Router<App> {
    Router::new()
        .merge(cert::routes())
        .merge(portal::routes())
        .merge(public::routes())
}

/// `a, b, c` from a JSON array of strings stored in a column.
pub fn json_list(s: &str) -> String {
    serde_json::from_str::<Vec<String>>(s)
        .unwrap_or_default()
        .join(", ")
}
