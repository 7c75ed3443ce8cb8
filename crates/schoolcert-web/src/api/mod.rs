//! The JSON API under `/api/v1`: bearer tokens only (never cookies, so no CSRF surface), the
//! same authorisation as the pages (it calls the same use cases), RFC 9457 problem details for
//! errors, paging on every list, and an OpenAPI 3 document generated from the handlers.

mod auth;
mod cases;
mod cases_dto;
mod dto;
mod feeds;
mod problem;
mod registry;
mod vuln;

use axum::routing::get;
use axum::{Json, Router};
use schoolcert_app::App;
use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

pub use auth::ApiActor;
pub use problem::Problem;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "schoolcert API", version = "1", description = "The JSON API of schoolcert, the platform of the sector CERT for Dutch primary and secondary schools. Authenticate with `Authorization: Bearer <token>`; create tokens on your account page. Board contacts see only their own board's data."),
    modifiers(&BearerAuth),
    tags((name = "registry", description = "Boards, schools, contacts and network assets"), (name = "lookup", description = "Which board owns an address or host name"), (name = "audit", description = "The audit log (CERT staff)"), (name = "vulnerabilities", description = "Application landscapes, matches and sector advisories"), (name = "feeds", description = "Security events from feeds, their digests, and ingesting report files"), (name = "cases", description = "Incident and CVD cases, legal clocks, sector incidents, metrics"), (name = "cvd", description = "The public vulnerability intake and the reporter's status link (no token)"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The API's routes and its OpenAPI document, built from the same handler list.
pub fn routes_and_doc() -> (Router<App>, OpenApi) {
    use utoipa::OpenApi as _;
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(registry::routes())
        .merge(vuln::routes())
        .merge(feeds::routes())
        .merge(cases::routes())
        .split_for_parts();
    (router, doc)
}

pub fn routes(_app: App) -> Router<App> {
    let (router, doc) = routes_and_doc();
    router
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc) }
            }),
        )
        .fallback(|| async { Problem::not_found() })
}

/// The OpenAPI document as JSON text (for `schoolcert openapi` and the snapshot test).
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&routes_and_doc().1).unwrap_or_default()
}
