//! The CERT's vulnerability pages: work queue (vulnerabilities with new matches, by priority
//! and boards affected), the matches of one vulnerability, the advisory editor with publishing,
//! the catalogue with its TOML editor and the sector picture, and the guides editor.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::App;
use schoolcert_app::vuln::advisories::{self, AdvisoryInput, AdvisoryView};
use schoolcert_app::vuln::{catalogue, guides, landscape};
use schoolcert_store::vuln::advisories::AdvisoryRow;
use schoolcert_store::vuln::catalogue::ProductUse;
use schoolcert_store::vuln::guides::GuideRow;
use schoolcert_store::vuln::landscape::EntryRow;
use schoolcert_store::vuln::matches::{MatchRow, QueueItem};
use serde::Deserialize;

use super::super::{FormErrors, see_other};
use crate::ctx::CertCtx;
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/kwetsbaarheden", get(queue))
        .route("/cert/kwetsbaarheden/{key}", get(vulnerability))
        .route("/cert/matches/{id}/afwijzen", post(dismiss))
        .route("/cert/adviezen", get(advisory_list))
        .route(
            "/cert/adviezen/nieuw",
            get(new_advisory).post(create_advisory),
        )
        .route("/cert/adviezen/{id}", get(advisory).post(update_advisory))
        .route("/cert/adviezen/{id}/publiceren", post(publish))
        .route("/cert/catalogus", get(catalogue_page))
        .route(
            "/cert/catalogus/product",
            get(product_form).post(save_product),
        )
        .route("/cert/handreikingen", get(guide_list))
        .route(
            "/cert/handreikingen/bewerken",
            get(guide_form).post(save_guide),
        )
}

#[derive(Template)]
#[template(path = "vuln/queue.html")]
struct QueuePage {
    p: Page,
    items: Vec<QueueItem>,
}

async fn queue(c: CertCtx) -> WebResult {
    let items = advisories::work_queue(&c.ctx.app, c.actor()).await?;
    Ok(html(QueuePage {
        p: c.ctx.page("Kwetsbaarheden", "Vulnerabilities"),
        items,
    }))
}

#[derive(Template)]
#[template(path = "vuln/vulnerability.html")]
struct VulnPage {
    p: Page,
    key: String,
    rows: Vec<MatchRow>,
}

async fn vulnerability(c: CertCtx, Path(key): Path<String>) -> WebResult {
    let rows = advisories::matches_of_vuln(&c.ctx.app, c.actor(), &key).await?;
    Ok(html(VulnPage {
        p: c.ctx.page("Kwetsbaarheid", "Vulnerability"),
        key,
        rows,
    }))
}

async fn dismiss(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    advisories::dismiss_match(&c.ctx.app, c.actor(), id).await?;
    Ok(see_other("/cert/kwetsbaarheden", "saved"))
}

#[derive(Template)]
#[template(path = "vuln/advisories.html")]
struct AdvisoryList {
    p: Page,
    rows: Vec<AdvisoryRow>,
}

async fn advisory_list(c: CertCtx) -> WebResult {
    let rows = advisories::list(&c.ctx.app, c.actor()).await?;
    Ok(html(AdvisoryList {
        p: c.ctx.page("Adviezen", "Advisories"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "vuln/advisory_edit.html")]
struct AdvisoryEdit {
    p: Page,
    form: AdvisoryInput,
    errors: FormErrors,
    action: String,
    view: Option<AdvisoryView>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    vuln: Option<String>,
}

async fn new_advisory(c: CertCtx, Query(q): Query<NewQuery>) -> WebResult {
    let form = match q.vuln {
        Some(k) => advisories::draft_from_queue(&c.ctx.app, c.actor(), &k).await?,
        None => AdvisoryInput {
            tlp: "clear".into(),
            urgency: "normaal".into(),
            ..AdvisoryInput::default()
        },
    };
    Ok(html(AdvisoryEdit {
        p: c.ctx.page("Nieuw advies", "New advisory"),
        form,
        errors: FormErrors::none(c.ctx.lang),
        action: "/cert/adviezen/nieuw".into(),
        view: None,
    }))
}

async fn create_advisory(c: CertCtx, Form(f): Form<AdvisoryInput>) -> WebResult {
    match advisories::create(&c.ctx.app, c.actor(), &f).await {
        Ok(id) => Ok(see_other(&format!("/cert/adviezen/{id}"), "saved")),
        Err(e) => Ok(html(AdvisoryEdit {
            p: c.ctx.page("Nieuw advies", "New advisory"),
            form: f,
            errors: FormErrors::catch(e, c.ctx.lang)?,
            action: "/cert/adviezen/nieuw".into(),
            view: None,
        })),
    }
}

async fn advisory(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    let view = advisories::get(&c.ctx.app, c.actor(), id).await?;
    Ok(html(AdvisoryEdit {
        p: c.ctx.page("Advies", "Advisory"),
        form: AdvisoryInput::of(&view.advisory),
        errors: FormErrors::none(c.ctx.lang),
        action: format!("/cert/adviezen/{id}"),
        view: Some(view),
    }))
}

async fn update_advisory(
    c: CertCtx,
    Path(id): Path<i64>,
    Form(f): Form<AdvisoryInput>,
) -> WebResult {
    match advisories::update(&c.ctx.app, c.actor(), id, &f).await {
        Ok(()) => Ok(see_other(&format!("/cert/adviezen/{id}"), "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, c.ctx.lang)?;
            let view = advisories::get(&c.ctx.app, c.actor(), id).await?;
            Ok(html(AdvisoryEdit {
                p: c.ctx.page("Advies", "Advisory"),
                form: f,
                errors,
                action: format!("/cert/adviezen/{id}"),
                view: Some(view),
            }))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PublishForm {
    summary: String,
}

async fn publish(c: CertCtx, Path(id): Path<i64>, Form(f): Form<PublishForm>) -> WebResult {
    match advisories::publish(&c.ctx.app, c.actor(), id, &f.summary).await {
        Ok(_) => Ok(see_other(&format!("/cert/adviezen/{id}"), "published")),
        Err(e) => {
            let errors = FormErrors::catch(e, c.ctx.lang)?;
            let view = advisories::get(&c.ctx.app, c.actor(), id).await?;
            Ok(html(AdvisoryEdit {
                p: c.ctx.page("Advies", "Advisory"),
                form: AdvisoryInput::of(&view.advisory),
                errors,
                action: format!("/cert/adviezen/{id}"),
                view: Some(view),
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "vuln/catalogue.html")]
struct CataloguePage {
    p: Page,
    rows: Vec<ProductUse>,
    proposals: Vec<EntryRow>,
}

async fn catalogue_page(c: CertCtx) -> WebResult {
    let rows = catalogue::sector_picture(&c.ctx.app, c.actor()).await?;
    let proposals = landscape::proposals(&c.ctx.app, c.actor()).await?;
    Ok(html(CataloguePage {
        p: c.ctx
            .page("Catalogus en sectorbeeld", "Catalogue and sector picture"),
        rows,
        proposals,
    }))
}

#[derive(Template)]
#[template(path = "vuln/product.html")]
struct ProductPage {
    p: Page,
    toml: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SlugQuery {
    slug: Option<String>,
}

const NEW_PRODUCT: &str = "[[product]]\nid = \"\"\nname = \"\"\nvendor = \"\"\ncategory = \"other\"\ndeployment = \"on_prem\"\nexposure = \"internal\"\n";

async fn product_form(c: CertCtx, Query(q): Query<SlugQuery>) -> WebResult {
    let toml = match q.slug.filter(|s| !s.is_empty()) {
        Some(slug) => {
            let (_, product) = catalogue::get(&c.ctx.app, &slug).await?;
            catalogue::product_toml(&product)?
        }
        None => NEW_PRODUCT.into(),
    };
    Ok(html(ProductPage {
        p: c.ctx.page("Product", "Product"),
        toml,
        errors: FormErrors::none(c.ctx.lang),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TomlForm {
    toml: String,
}

async fn save_product(c: CertCtx, Form(f): Form<TomlForm>) -> WebResult {
    match catalogue::save_product(&c.ctx.app, c.actor(), &f.toml).await {
        Ok(slug) => Ok(see_other(
            &format!("/cert/catalogus/product?slug={slug}"),
            "saved",
        )),
        Err(e) => Ok(html(ProductPage {
            p: c.ctx.page("Product", "Product"),
            toml: f.toml,
            errors: FormErrors::catch(e, c.ctx.lang)?,
        })),
    }
}

#[derive(Template)]
#[template(path = "vuln/guides.html")]
struct GuideList {
    p: Page,
    rows: Vec<GuideRow>,
}

async fn guide_list(c: CertCtx) -> WebResult {
    let rows = guides::list(&c.ctx.app, Some(c.actor())).await?;
    Ok(html(GuideList {
        p: c.ctx.page("Handreikingen", "Guides"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "vuln/guide_edit.html")]
struct GuideEdit {
    p: Page,
    form: GuideForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GuideForm {
    slug: String,
    title: String,
    body: String,
    published: Option<String>,
}

async fn guide_form(c: CertCtx, Query(q): Query<SlugQuery>) -> WebResult {
    let form = match q.slug.filter(|s| !s.is_empty()) {
        Some(slug) => {
            let g = guides::get(&c.ctx.app, Some(c.actor()), &slug).await?;
            GuideForm {
                slug: g.slug,
                title: g.title,
                body: g.body_md,
                published: g.published.then(|| "on".into()),
            }
        }
        None => GuideForm::default(),
    };
    Ok(html(GuideEdit {
        p: c.ctx.page("Handreiking", "Guide"),
        form,
        errors: FormErrors::none(c.ctx.lang),
    }))
}

async fn save_guide(c: CertCtx, Form(f): Form<GuideForm>) -> WebResult {
    let published = f.published.is_some();
    match guides::save(&c.ctx.app, c.actor(), &f.slug, &f.title, &f.body, published).await {
        Ok(_) => Ok(Redirect::to("/cert/handreikingen?msg=saved").into_response()),
        Err(e) => Ok(html(GuideEdit {
            p: c.ctx.page("Handreiking", "Guide"),
            errors: FormErrors::catch(e, c.ctx.lang)?,
            form: f,
        })),
    }
}
