//! Public vulnerability pages: TLP:CLEAR sector advisories, the CERT's guides and their Atom
//! feed, and the CSAF provider directory `/.well-known/csaf/` served from the database
//! (TLP:CLEAR files for everyone; restricted files only after login, otherwise "not found").

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use schoolcert_app::App;
use schoolcert_app::vuln::{advisories, guides, provider};
use schoolcert_store::vuln::advisories::AdvisoryRow;
use schoolcert_store::vuln::guides::GuideRow;
use schoolcert_vuln::advisory::SectorAdvisory;

use crate::ctx::Ctx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/adviezen", get(list))
        .route("/adviezen/feed.atom", get(feed))
        .route("/adviezen/{tracking_id}", get(show))
        .route("/handreikingen", get(guide_list))
        .route("/handreikingen/{slug}", get(guide))
        .route("/.well-known/csaf/", get(csaf_listing))
        .route("/.well-known/csaf/{*path}", get(csaf_file))
}

#[derive(Template)]
#[template(path = "vuln/public_list.html")]
struct ListPage {
    p: Page,
    rows: Vec<(AdvisoryRow, SectorAdvisory)>,
}

async fn list(c: Ctx) -> WebResult {
    let rows = advisories::public_list(&c.app).await?;
    Ok(html(ListPage {
        p: c.page("Beveiligingsadviezen", "Security advisories"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "vuln/public_advisory.html")]
struct ShowPage {
    p: Page,
    row: AdvisoryRow,
    a: SectorAdvisory,
    summary_html: String,
    actions_html: String,
    csaf_url: String,
}

async fn show(c: Ctx, Path(tracking_id): Path<String>) -> WebResult {
    let (row, a) = advisories::public_get(&c.app, &tracking_id).await?;
    let year = a
        .initial_release()
        .map(|t| chrono::Datelike::year(&t))
        .unwrap_or(2026);
    let csaf_url = format!(
        "/.well-known/csaf/{}",
        schoolcert_vuln::publish::document_path(a.tlp, year, &a.tracking_id)
    );
    Ok(html(ShowPage {
        p: c.page(&a.title, &a.title),
        summary_html: schoolcert_vuln::feed::markdown_to_safe_html(&a.summary),
        actions_html: schoolcert_vuln::feed::markdown_to_safe_html(&a.actions),
        csaf_url,
        row,
        a,
    }))
}

async fn feed(c: Ctx) -> WebResult {
    let xml = guides::public_feed(&c.app).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "vuln/public_guides.html")]
struct GuidesPage {
    p: Page,
    rows: Vec<GuideRow>,
}

async fn guide_list(c: Ctx) -> WebResult {
    let rows = guides::list(&c.app, None).await?;
    Ok(html(GuidesPage {
        p: c.page("Handreikingen", "Guides"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "vuln/public_guide.html")]
struct GuidePage {
    p: Page,
    g: GuideRow,
    body_html: String,
}

async fn guide(c: Ctx, Path(slug): Path<String>) -> WebResult {
    let g = guides::get(&c.app, c.actor(), &slug).await?;
    Ok(html(GuidePage {
        p: c.page(&g.title, &g.title),
        body_html: schoolcert_vuln::feed::markdown_to_safe_html(&g.body_md),
        g,
    }))
}

fn content_type(path: &str) -> &'static str {
    if path.ends_with(".json") {
        "application/json"
    } else if path.ends_with(".asc") {
        "application/pgp-signature"
    } else if path.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

async fn csaf_file(c: Ctx, Path(path): Path<String>) -> WebResult {
    let full = format!(".well-known/csaf/{path}");
    let f = provider::file(&c.app, c.actor(), &full).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type(&full))],
        f.content,
    )
        .into_response())
}

async fn csaf_listing(c: Ctx) -> WebResult {
    let paths = provider::listing(&c.app, c.actor()).await?;
    let body = paths
        .iter()
        .map(|p| p.trim_start_matches(".well-known/csaf/").to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response())
}
