//! Security event pages. CERT analysts: all events with search and filters (unmatched ones
//! included: they show where the registry has gaps), one event, notices, ingested files and
//! the upload form. Board contacts: their own board's events and notices, a CSV export and
//! their notice preferences. Every read goes through the app with the actor's scope.

use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{NaiveDate, TimeZone, Utc};
use schoolcert_app::feeds::stored::intelmq_values;
use schoolcert_app::feeds::{events as feed_cases, ingest, preferences as pref_cases};
use schoolcert_app::{App, AppError, Msg};
use schoolcert_domain::access::Actor;
use schoolcert_domain::{BoardId, Lang};
use schoolcert_feeds::digest::{Frequency, Preferences};
use schoolcert_store::PageRequest;
use schoolcert_store::audit::By;
use schoolcert_store::feeds::events::{EventFilter, StoredEvent};
use schoolcert_store::feeds::files::FeedFile;
use schoolcert_store::feeds::notices::Notice;
use serde::Deserialize;

use super::cert::Pager;
use super::{FormErrors, UploadForm, see_other};
use crate::ctx::{CertCtx, UserCtx};
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/bevindingen", get(cert_events))
        .route("/cert/bevindingen/{id}", get(cert_event))
        .route("/cert/berichten", get(cert_notices))
        .route("/cert/bestanden", get(cert_files).post(upload))
        .route("/cert/bestanden/{id}", get(cert_file))
        .route("/portaal/bevindingen", get(portal_events))
        .route("/portaal/bevindingen.csv", get(portal_csv))
        .route("/portaal/bevindingen/{id}", get(portal_event))
        .route("/portaal/berichten", get(portal_notices))
        .route(
            "/portaal/voorkeuren",
            get(preferences).post(save_preferences),
        )
}

/// Classes of problems a board may set a frequency for (the most common in Shadowserver's
/// reports; the first two cannot be switched off).
pub const CLASSES: [&str; 7] = [
    "infected-system",
    "vulnerable-system",
    "system-compromise",
    "potentially-unwanted-accessible",
    "ddos-amplifier",
    "weak-crypto",
    "information-disclosure",
];

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct EventQuery {
    q: String,
    feed: String,
    class: String,
    board_id: String,
    /// `ja` / `nee` / empty.
    matched: String,
    /// `YYYY-MM-DD` (Europe/Amsterdam is close enough for a filter: the day starts at UTC midnight).
    since: String,
    notice: String,
    page: Option<u32>,
}

impl EventQuery {
    fn filter(&self) -> EventFilter {
        let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        EventFilter {
            feed: nonempty(&self.feed),
            class_type: nonempty(&self.class),
            board_id: self.board_id.trim().parse().ok().map(BoardId),
            since: NaiveDate::parse_from_str(self.since.trim(), "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| Utc.from_utc_datetime(&d)),
            matched: match self.matched.as_str() {
                "ja" => Some(true),
                "nee" => Some(false),
                _ => None,
            },
            q: nonempty(&self.q),
            notice_id: self.notice.trim().parse().ok(),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("feed", self.feed.clone()),
            ("class", self.class.clone()),
            ("board_id", self.board_id.clone()),
            ("matched", self.matched.clone()),
            ("since", self.since.clone()),
            ("notice", self.notice.clone()),
        ]
    }
}

/// An event as a table row shows it.
pub struct Row {
    pub id: i64,
    pub last_seen: String,
    pub feed: String,
    pub class_type: String,
    pub identifier: String,
    pub address: String,
    pub host: String,
    pub board: String,
    pub board_id: Option<i64>,
    pub reason: String,
    pub count: i64,
    pub notified: bool,
}

fn address(e: &StoredEvent) -> String {
    match (&e.source_ip_text, e.source_port) {
        (Some(ip), Some(p)) if ip.contains(':') => format!("[{ip}]:{p}"),
        (Some(ip), Some(p)) => format!("{ip}:{p}"),
        (Some(ip), None) => ip.clone(),
        (None, _) => String::new(),
    }
}

fn reason(e: &StoredEvent, lang: Lang) -> String {
    let what = match e.match_reason.as_str() {
        "ip" => lang.pick("IP-adres in", "address in"),
        "fqdn" => lang.pick("hostnaam onder", "host name under"),
        "url" => lang.pick("URL onder", "URL under"),
        _ => lang.pick("geen bestuur gevonden", "no board found"),
    };
    let conflict = if e.conflict {
        lang.pick(
            " (meerdere besturen: controleren)",
            " (several boards: check)",
        )
    } else {
        ""
    };
    match &e.match_asset {
        Some(a) => format!("{what} {a}{conflict}"),
        None => format!("{what}{conflict}"),
    }
}

fn row(e: &StoredEvent, lang: Lang, p: &Page) -> Row {
    Row {
        id: e.id,
        last_seen: p.time(&e.last_seen),
        feed: e.feed.clone(),
        class_type: e.class_type.clone(),
        identifier: e.identifier.clone(),
        address: address(e),
        host: e.host.clone(),
        board: e.board_name.clone().unwrap_or_default(),
        board_id: e.board_id,
        reason: reason(e, lang),
        count: e.count,
        notified: e.notice_id.is_some(),
    }
}

#[derive(Template)]
#[template(path = "feeds/events.html")]
struct EventsPage {
    p: Page,
    q: EventQuery,
    rows: Vec<Row>,
    pager: Pager,
    feeds: Vec<String>,
    cert: bool,
    base: &'static str,
}

async fn events_page(ctx: &crate::ctx::Ctx, actor: &Actor, q: EventQuery, cert: bool) -> WebResult {
    let base = if cert {
        "/cert/bevindingen"
    } else {
        "/portaal/bevindingen"
    };
    let page = feed_cases::list(
        &ctx.app,
        actor,
        &q.filter(),
        PageRequest::new(q.page, Some(50)),
    )
    .await?;
    let feeds = feed_cases::feed_names(&ctx.app, actor).await?;
    let p = ctx.page("Bevindingen", "Findings");
    let rows = page.items.iter().map(|e| row(e, ctx.lang, &p)).collect();
    let pager = Pager::of(&page, base, &q.pairs());
    Ok(html(EventsPage {
        p,
        q,
        rows,
        pager,
        feeds,
        cert,
        base,
    }))
}

async fn cert_events(c: CertCtx, Query(q): Query<EventQuery>) -> WebResult {
    events_page(&c.0.ctx, c.0.actor(), q, true).await
}

async fn portal_events(u: UserCtx, Query(q): Query<EventQuery>) -> WebResult {
    if u.actor().board_id.is_none() {
        return Ok(Redirect::to("/cert/bevindingen").into_response());
    }
    events_page(&u.ctx, u.actor(), q, false).await
}

/// The CSV of the board's events with the page's filters.
async fn portal_csv(u: UserCtx, Query(q): Query<EventQuery>) -> WebResult {
    let csv = feed_cases::export_csv(&u.ctx.app, u.actor(), &q.filter()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"bevindingen.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "feeds/event.html")]
struct EventPage {
    p: Page,
    r: Row,
    e: StoredEvent,
    first_seen: String,
    json: String,
    cert: bool,
    base: &'static str,
}

async fn event_page(ctx: &crate::ctx::Ctx, actor: &Actor, id: i64, cert: bool) -> WebResult {
    let e = feed_cases::get(&ctx.app, actor, id).await?;
    let p = ctx.page("Bevinding", "Finding");
    let json = intelmq_values(&ctx.app.config.feeds, std::slice::from_ref(&e))
        .first()
        .and_then(|v| serde_json::to_string_pretty(v).ok())
        .unwrap_or_default();
    Ok(html(EventPage {
        r: row(&e, ctx.lang, &p),
        first_seen: p.time(&e.first_seen),
        p,
        e,
        json,
        cert,
        base: if cert {
            "/cert/bevindingen"
        } else {
            "/portaal/bevindingen"
        },
    }))
}

async fn cert_event(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    event_page(&c.0.ctx, c.0.actor(), id, true).await
}

async fn portal_event(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    event_page(&u.ctx, u.actor(), id, false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticeQuery {
    board_id: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "feeds/notices.html")]
struct NoticesPage {
    p: Page,
    rows: Vec<Notice>,
    pager: Pager,
    cert: bool,
    events_base: &'static str,
}

async fn notices_page(
    ctx: &crate::ctx::Ctx,
    actor: &Actor,
    q: NoticeQuery,
    cert: bool,
) -> WebResult {
    let page = feed_cases::notices(
        &ctx.app,
        actor,
        q.board_id.trim().parse().ok().map(BoardId),
        PageRequest::new(q.page, Some(50)),
    )
    .await?;
    let path = if cert {
        "/cert/berichten"
    } else {
        "/portaal/berichten"
    };
    let pager = Pager::of(&page, path, &[("board_id", q.board_id.clone())]);
    Ok(html(NoticesPage {
        p: ctx.page("Berichten", "Notices"),
        rows: page.items,
        pager,
        cert,
        events_base: if cert {
            "/cert/bevindingen"
        } else {
            "/portaal/bevindingen"
        },
    }))
}

async fn cert_notices(c: CertCtx, Query(q): Query<NoticeQuery>) -> WebResult {
    notices_page(&c.0.ctx, c.0.actor(), q, true).await
}

async fn portal_notices(u: UserCtx, Query(q): Query<NoticeQuery>) -> WebResult {
    notices_page(&u.ctx, u.actor(), q, false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "feeds/files.html")]
struct FilesPage {
    p: Page,
    rows: Vec<FeedFile>,
    pager: Pager,
    summary: Option<ingest::IngestSummary>,
    errors: FormErrors,
}

async fn files_page(
    c: &CertCtx,
    page: Option<u32>,
    summary: Option<ingest::IngestSummary>,
    errors: FormErrors,
) -> WebResult {
    let list =
        feed_cases::files(&c.0.ctx.app, c.0.actor(), PageRequest::new(page, Some(50))).await?;
    let pager = Pager::of(&list, "/cert/bestanden", &[]);
    Ok(html(FilesPage {
        p: c.0.ctx.page("Ingelezen bestanden", "Ingested files"),
        rows: list.items,
        pager,
        summary,
        errors,
    }))
}

async fn cert_files(c: CertCtx, Query(q): Query<PageQuery>) -> WebResult {
    files_page(&c, q.page, None, FormErrors::none(c.0.ctx.lang)).await
}

/// The upload form posts `multipart/form-data` (CSRF token in the query string, which the
/// middleware accepts for non-urlencoded bodies).
async fn upload(c: CertCtx, form: Multipart) -> WebResult {
    let lang = c.0.ctx.lang;
    let form = UploadForm::read(form, "upload.csv").await;
    let feed = Some(form.field("feed").trim())
        .filter(|f| !f.is_empty())
        .map(str::to_owned);
    let result = match form.file {
        Some((name, _, bytes)) => {
            let feed = feed.as_deref();
            ingest::ingest_bytes(&c.0.ctx.app, By::Actor(c.0.actor()), &name, feed, bytes).await
        }
        None => Err(AppError::invalid(
            "file",
            Msg::new(
                "Kies een bestand (het kon niet worden ontvangen of is leeg).",
                "Choose a file (it could not be received or is empty).",
            ),
        )),
    };
    match result {
        Ok(s) => files_page(&c, None, Some(s), FormErrors::none(lang)).await,
        Err(e) => {
            let errors = FormErrors::catch(e, lang)?;
            files_page(&c, None, None, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "feeds/file.html")]
struct FilePage {
    p: Page,
    f: FeedFile,
}

async fn cert_file(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    let f = feed_cases::file(&c.0.ctx.app, c.0.actor(), id).await?;
    Ok(html(FilePage {
        p: c.0.ctx.page("Ingelezen bestand", "Ingested file"),
        f,
    }))
}

/// One line of the preferences form.
pub struct ClassChoice {
    pub code: &'static str,
    pub name: String,
    pub chosen: String,
    pub mandatory: bool,
}

#[derive(Template)]
#[template(path = "feeds/preferences.html")]
struct PreferencesPage {
    p: Page,
    default: String,
    classes: Vec<ClassChoice>,
    frequencies: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
}

fn render_preferences(u: &UserCtx, prefs: &Preferences, errors: FormErrors) -> Response {
    let lang = u.ctx.lang;
    let classes = CLASSES
        .iter()
        .map(|c| ClassChoice {
            code: c,
            name: schoolcert_domain::rsit::type_by_code(c)
                .map(|t| lang.pick(t.nl, t.en).to_owned())
                .unwrap_or_else(|| (*c).to_owned()),
            chosen: prefs
                .per_type
                .get(*c)
                .map(|f| f.code().to_owned())
                .unwrap_or_default(),
            mandatory: schoolcert_feeds::digest::preferences::MANDATORY.contains(c),
        })
        .collect();
    html(PreferencesPage {
        p: u.ctx
            .page("Voorkeuren voor berichten", "Notice preferences"),
        default: prefs.default.code().to_owned(),
        classes,
        frequencies: Frequency::ALL
            .iter()
            .map(|f| (f.code(), f.name(lang)))
            .collect(),
        errors,
    })
}

async fn preferences(u: UserCtx) -> WebResult {
    let Some(board) = u.actor().board_id else {
        return Ok(Redirect::to("/cert").into_response());
    };
    let prefs = pref_cases::get(&u.ctx.app, u.actor(), board).await?;
    Ok(render_preferences(&u, &prefs, FormErrors::none(u.ctx.lang)))
}

fn frequency(code: &str) -> Option<Frequency> {
    Frequency::ALL.into_iter().find(|f| f.code() == code)
}

async fn save_preferences(u: UserCtx, Form(form): Form<Vec<(String, String)>>) -> WebResult {
    let Some(board) = u.actor().board_id else {
        return Ok(Redirect::to("/cert").into_response());
    };
    let mut prefs = Preferences::default();
    for (k, v) in &form {
        if k == "default" {
            if let Some(f) = frequency(v) {
                prefs.default = f;
            }
        } else if let Some(class) = k.strip_prefix("type_")
            && let Some(f) = frequency(v)
        {
            prefs.per_type.insert(class.to_owned(), f);
        }
    }
    match pref_cases::set(&u.ctx.app, u.actor(), board, &prefs).await {
        Ok(()) => Ok(see_other("/portaal/voorkeuren", "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            Ok(render_preferences(&u, &prefs, errors))
        }
    }
}
