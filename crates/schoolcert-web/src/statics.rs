//! Static files compiled into the binary (the product works offline, no CDN).

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use schoolcert_app::App;

const STYLE: &str = include_str!("../static/style.css");
const POW: &str = include_str!("../static/pow.js");

pub fn routes() -> Router<App> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/static/pow.js", get(pow))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
}

async fn style() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLE,
    )
}

/// The CVD form's proof-of-work solver.
async fn pow() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        POW,
    )
}
