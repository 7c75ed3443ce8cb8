//! The CERT's guides (*handreikingen*): Markdown written in the platform, rendered to safe
//! HTML; published ones are public and in the Atom feed.

use schoolcert_domain::access::Actor;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::vuln::guides::{self as store, GuideRow};

use crate::error::Check;
use crate::{App, AppError, AppResult, Msg, require_cert};

fn slug_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Saves (creates or updates) a guide by slug.
pub async fn save(
    app: &App,
    actor: &Actor,
    slug: &str,
    title: &str,
    body_md: &str,
    published: bool,
) -> AppResult<i64> {
    require_cert(actor)?;
    let mut check = Check::new();
    if !slug_ok(slug.trim()) {
        check.fail(
            "slug",
            Msg::new(
                "De korte naam mag alleen kleine letters, cijfers en '-' bevatten.",
                "The short name may only contain lower-case letters, digits and '-'.",
            ),
        );
    }
    check.required("title", title, "Titel", "Title");
    check.required("body", body_md, "Tekst", "Text");
    check.finish()?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let id = store::save(&mut cx, slug.trim(), title.trim(), body_md, published, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "vuln_guide",
            object_id: id,
            action: "save",
            changes: vec![schoolcert_domain::audit::change(
                "published",
                None::<bool>,
                Some(published),
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// CERT: every guide; everyone else: published ones.
pub async fn list(app: &App, actor: Option<&Actor>) -> AppResult<Vec<GuideRow>> {
    let mut cx = app.db.read().await?;
    let all = actor.is_some_and(|a| a.is_cert());
    Ok(store::list(&mut cx, !all).await?)
}

pub async fn get(app: &App, actor: Option<&Actor>, slug: &str) -> AppResult<GuideRow> {
    let mut cx = app.db.read().await?;
    let g = store::by_slug(&mut cx, slug).await?;
    if !g.published && !actor.is_some_and(|a| a.is_cert()) {
        return Err(AppError::NotFound);
    }
    Ok(g)
}

/// The public Atom feed: published TLP:CLEAR advisories and published guides.
pub async fn public_feed(app: &App) -> AppResult<String> {
    use schoolcert_vuln::feed::{AtomFeed, Guide};
    let lang = schoolcert_domain::Lang::Nl;
    let mut feed = AtomFeed {
        id: app.config.link("/adviezen/feed.atom"),
        title: format!(
            "{}: beveiligingsadviezen en handreikingen",
            app.config.cert_name
        ),
        subtitle: None,
        self_url: app.config.link("/adviezen/feed.atom"),
        site_url: app.config.link("/adviezen"),
        author: app.config.cert_name.clone(),
        lang,
        entries: vec![],
    };
    for (row, adv) in super::advisories::public_list(app).await? {
        feed.push_advisory(
            &adv,
            &app.config.link(&format!("/adviezen/{}", row.tracking_id)),
        );
    }
    for g in list(app, None).await? {
        let published = g.published_at.unwrap_or(g.updated_at);
        feed.push_guide(&Guide {
            title: g.title.clone(),
            url: app.config.link(&format!("/handreikingen/{}", g.slug)),
            summary: schoolcert_vuln::feed::plain_text(&g.body_md)
                .chars()
                .take(300)
                .collect(),
            markdown: g.body_md.clone(),
            published,
            updated: g.updated_at.max(published),
        });
    }
    Ok(feed.to_xml(app.now()))
}
