//! schoolcert's web application: server-rendered HTML pages (Dutch first, English available,
//! usable without JavaScript) and the JSON API under `/api/v1`, both thin layers over
//! `schoolcert-app`. Cross-cutting pieces: sessions and language (`ctx`), CSRF (`csrf`),
//! security headers (`headers`), error pages (`error`).

pub mod api;
mod csrf;
mod ctx;
mod error;
mod headers;
mod layout;
mod pages;
mod statics;

use axum::Router;
use axum::middleware;
use schoolcert_app::App;

pub use csrf::CSRF_COOKIE;
pub use ctx::{LANG_COOKIE, SESSION_COOKIE};

/// The whole application: pages, API, static files, with every middleware in place.
pub fn router(app: App) -> Router {
    // The last layer added runs first: resolve the session, then render errors (CSRF
    // refusals included), then check CSRF, then the page.
    let pages = pages::routes()
        .layer(middleware::from_fn_with_state(app.clone(), csrf::protect))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            error::render_errors,
        ))
        .layer(middleware::from_fn_with_state(app.clone(), ctx::load));

    Router::new()
        .merge(pages)
        .nest("/api/v1", api::routes(app.clone()))
        .merge(statics::routes())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            headers::security,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            16 * 1024 * 1024,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(app)
}
