//! Feed endpoints: events (a board contact sees only their board's), notices, and the upload
//! of a report file for ingest (CERT staff).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use schoolcert_app::App;
use schoolcert_app::feeds::stored::intelmq_values;
use schoolcert_app::feeds::{events, ingest};

use schoolcert_domain::BoardId;
use schoolcert_store::PageRequest;
use schoolcert_store::audit::By;
use schoolcert_store::feeds::events::{EventFilter, StoredEvent};
use schoolcert_store::feeds::notices::Notice;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::ApiActor;
use super::problem::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_events))
        .routes(routes!(get_event))
        .routes(routes!(list_notices))
        .routes(routes!(ingest_file))
}

/// One stored event: the problem, where it was seen, which board it was given to and why.
#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub id: i64,
    pub feed: String,
    pub taxonomy: String,
    pub classification_type: String,
    pub classification_identifier: String,
    pub source_ip: Option<String>,
    pub source_port: Option<i64>,
    pub host: String,
    pub board_id: Option<i64>,
    /// `ip`, `fqdn`, `url` or `none`.
    pub match_reason: String,
    /// The registered prefix or domain that matched.
    pub match_asset: Option<String>,
    pub conflict: bool,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub count: i64,
    pub notice_id: Option<i64>,
    /// The event in IntelMQ's format.
    #[schema(value_type = Object)]
    pub event: serde_json::Value,
}

impl EventDto {
    /// The rows with their events in IntelMQ's format (parsed again from stored rows).
    fn of(app: &App, rows: Vec<StoredEvent>) -> Vec<EventDto> {
        let events = intelmq_values(&app.config.feeds, &rows);
        rows.into_iter()
            .zip(events)
            .map(|(e, event)| EventDto::with(e, event))
            .collect()
    }

    fn with(e: StoredEvent, event: serde_json::Value) -> Self {
        EventDto {
            event,
            id: e.id,
            feed: e.feed,
            taxonomy: e.taxonomy,
            classification_type: e.class_type,
            classification_identifier: e.identifier,
            source_ip: e.source_ip_text,
            source_port: e.source_port,
            host: e.host,
            board_id: e.board_id,
            match_reason: e.match_reason,
            match_asset: e.match_asset,
            conflict: e.conflict,
            first_seen: e.first_seen,
            last_seen: e.last_seen,
            count: e.count,
            notice_id: e.notice_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<EventDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NoticeDto {
    pub id: i64,
    pub board_id: i64,
    pub board_name: String,
    pub subject: String,
    /// The outbox state of the message (`pending`, `sent`, `uncertain`, ...).
    pub mail_status: String,
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub event_count: i64,
    pub created_at: DateTime<Utc>,
}

impl From<Notice> for NoticeDto {
    fn from(n: Notice) -> Self {
        NoticeDto {
            id: n.id,
            board_id: n.board_id,
            board_name: n.board_name,
            subject: n.subject,
            mail_status: n.mail_status,
            period_start: n.period_start,
            period_end: n.period_end,
            event_count: n.event_count,
            created_at: n.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoticePage {
    pub items: Vec<NoticeDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct EventQuery {
    /// `feed.name`, e.g. `Accessible-RDP`.
    feed: Option<String>,
    /// `classification.type`, e.g. `vulnerable-system`.
    class: Option<String>,
    board_id: Option<i64>,
    /// Only events last seen at or after this time (RFC 3339).
    since: Option<DateTime<Utc>>,
    /// `true`: matched to a board; `false`: unmatched (CERT staff only see these).
    matched: Option<bool>,
    /// Address, host or identifier.
    q: Option<String>,
    notice_id: Option<i64>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Events in the caller's scope, newest first.
#[utoipa::path(get, path = "/events", tag = "feeds", params(EventQuery), security(("bearer" = [])),
    responses((status = 200, body = EventPage), (status = 401, body = Problem)))]
async fn list_events(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<EventQuery>,
) -> ApiResult<Json<EventPage>> {
    let filter = EventFilter {
        feed: q.feed,
        class_type: q.class,
        board_id: q.board_id.map(BoardId),
        since: q.since,
        matched: q.matched,
        q: q.q,
        notice_id: q.notice_id,
    };
    let p = events::list(
        &app,
        &a.actor,
        &filter,
        PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(EventPage {
        page: p.page,
        per_page: p.per_page,
        total: p.total,
        items: EventDto::of(&app, p.items),
    }))
}

#[utoipa::path(get, path = "/events/{id}", tag = "feeds", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = EventDto), (status = 404, body = Problem)))]
async fn get_event(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<EventDto>> {
    let e = events::get(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    let event = intelmq_values(&app.config.feeds, std::slice::from_ref(&e)).pop();
    Ok(Json(EventDto::with(e, event.unwrap_or_default())))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct NoticeQuery {
    board_id: Option<i64>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Digest notices in the caller's scope, newest first.
#[utoipa::path(get, path = "/notices", tag = "feeds", params(NoticeQuery), security(("bearer" = [])),
    responses((status = 200, body = NoticePage), (status = 401, body = Problem)))]
async fn list_notices(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<NoticeQuery>,
) -> ApiResult<Json<NoticePage>> {
    let p = events::notices(
        &app,
        &a.actor,
        q.board_id.map(BoardId),
        PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(NoticePage {
        page: p.page,
        per_page: p.per_page,
        total: p.total,
        items: p.items.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
struct IngestQuery {
    /// The file name, as Shadowserver names its files (`2026-11-20-scan_rdp-nl-geo.csv`), or
    /// `*.jsonl` for IntelMQ events.
    name: String,
    /// The report type or feed when the name does not say (`scan_rdp`, `intelmq`, a
    /// configured generic CSV feed).
    feed: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RejectedRowDto {
    pub line: u64,
    pub reason: String,
}

/// What an ingest did.
#[derive(Serialize, ToSchema)]
pub struct IngestSummaryDto {
    pub file: String,
    pub feed: String,
    pub file_id: Option<i64>,
    pub already_ingested: bool,
    pub rows_read: u64,
    pub events: u64,
    pub rejected: u64,
    pub matched: u64,
    pub unmatched: u64,
    pub conflicts: u64,
    pub duplicates: u64,
    pub stored: u64,
    pub errors: Vec<RejectedRowDto>,
    pub file_error: Option<String>,
}

impl From<ingest::IngestSummary> for IngestSummaryDto {
    fn from(s: ingest::IngestSummary) -> Self {
        IngestSummaryDto {
            file: s.file,
            feed: s.feed,
            file_id: s.file_id,
            already_ingested: s.already_ingested,
            rows_read: s.rows_read,
            events: s.events,
            rejected: s.rejected,
            matched: s.matched,
            unmatched: s.unmatched,
            conflicts: s.conflicts,
            duplicates: s.duplicates,
            stored: s.stored,
            errors: s
                .errors
                .into_iter()
                .map(|e| RejectedRowDto {
                    line: e.line,
                    reason: e.reason,
                })
                .collect(),
            file_error: s.file_error,
        }
    }
}

/// Ingests a report file sent as the request body (CERT staff). The same file twice is
/// recognised and not ingested again.
#[utoipa::path(post, path = "/feeds/ingest", tag = "feeds", params(IngestQuery), request_body(content = String, content_type = "text/csv"),
    security(("bearer" = [])),
    responses((status = 200, body = IngestSummaryDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn ingest_file(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<IngestQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<IngestSummaryDto>)> {
    let s = ingest::ingest_bytes(
        &app,
        By::Actor(&a.actor),
        &q.name,
        q.feed.as_deref(),
        body.to_vec(),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok((StatusCode::OK, Json(s.into())))
}
