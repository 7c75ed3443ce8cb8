//! Vulnerability endpoints: a board's application landscape, its matches, and the sector
//! advisories it was sent with its remediation state (CERT staff see every board). The
//! request and response shapes are at the end of this file.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use schoolcert_app::vuln::advisories;
use schoolcert_app::vuln::landscape::{self, EntryInput};
use schoolcert_app::{App, AppError, Msg};
use schoolcert_domain::BoardId;
use schoolcert_store::vuln::advisories::NoticeRow;
use schoolcert_store::vuln::landscape::EntryRow;
use schoolcert_store::vuln::matches::MatchRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::ApiActor;
use super::problem::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_landscape, add_landscape_entry))
        .routes(routes!(delete_landscape_entry))
        .routes(routes!(list_matches))
        .routes(routes!(list_advisories))
        .routes(routes!(get_advisory))
        .routes(routes!(set_notice_state))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct BoardParam {
    /// The board (required for CERT staff; a board contact gets their own board).
    board: Option<i64>,
}

fn board_of(a: &ApiActor, q: &BoardParam) -> ApiResult<BoardId> {
    match (a.actor.board_id, q.board) {
        (Some(own), None) => Ok(own),
        (_, Some(b)) => Ok(BoardId(b)),
        (None, None) => Err(a.err(AppError::invalid(
            "board",
            Msg::new("Geef ?board=<id>.", "Give ?board=<id>."),
        ))),
    }
}

/// The landscape of a board in the caller's scope.
#[utoipa::path(get, path = "/landscape", tag = "vulnerabilities", params(BoardParam), security(("bearer" = [])),
    responses((status = 200, body = Vec<LandscapeEntryDto>), (status = 404, body = Problem)))]
async fn list_landscape(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<BoardParam>,
) -> ApiResult<Json<Vec<LandscapeEntryDto>>> {
    let board = board_of(&a, &q)?;
    let rows = landscape::entries(&app, &a.actor, board)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Adds a line to a board's landscape (a catalogue product, or a proposal with vendor and name).
#[utoipa::path(post, path = "/landscape", tag = "vulnerabilities", params(BoardParam), request_body = LandscapeEntryBody, security(("bearer" = [])),
    responses((status = 201, body = LandscapeEntryDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_landscape_entry(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<BoardParam>,
    Json(b): Json<LandscapeEntryBody>,
) -> ApiResult<(StatusCode, Json<LandscapeEntryDto>)> {
    let board = board_of(&a, &q)?;
    let id = landscape::add(&app, &a.actor, board, &b.into())
        .await
        .map_err(|e| a.err(e))?;
    let rows = landscape::entries(&app, &a.actor, board)
        .await
        .map_err(|e| a.err(e))?;
    let row = rows
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| a.err(AppError::NotFound))?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Removes a landscape line.
#[utoipa::path(delete, path = "/landscape/{id}", tag = "vulnerabilities", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_landscape_entry(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    landscape::delete(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Matches (board × product × vulnerability) in the caller's scope.
#[utoipa::path(get, path = "/matches", tag = "vulnerabilities", params(BoardParam), security(("bearer" = [])),
    responses((status = 200, body = Vec<MatchDto>)))]
async fn list_matches(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<BoardParam>,
) -> ApiResult<Json<Vec<MatchDto>>> {
    let rows = advisories::matches_of(&app, &a.actor, q.board.map(BoardId))
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Sector advisories: CERT staff see all; a board contact those sent to the board.
#[utoipa::path(get, path = "/advisories", tag = "vulnerabilities", security(("bearer" = [])),
    responses((status = 200, body = Vec<AdvisorySummaryDto>)))]
async fn list_advisories(
    State(app): State<App>,
    a: ApiActor,
) -> ApiResult<Json<Vec<AdvisorySummaryDto>>> {
    let rows = advisories::list(&app, &a.actor)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AdvisorySummaryDto {
                id: r.id,
                tracking_id: r.tracking_id,
                title: r.title,
                tlp: r.tlp,
                status: r.status,
                published_at: r.published_at,
            })
            .collect(),
    ))
}

/// One advisory with the notices the caller may see (a board: only its own).
#[utoipa::path(get, path = "/advisories/{id}", tag = "vulnerabilities", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = AdvisoryDto), (status = 404, body = Problem)))]
async fn get_advisory(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<AdvisoryDto>> {
    let v = advisories::get(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(AdvisoryDto {
        id: v.row.id,
        tracking_id: v.row.tracking_id,
        title: v.advisory.title,
        summary: v.advisory.summary,
        actions: v.advisory.actions,
        urgency: v
            .advisory
            .urgency
            .label(schoolcert_domain::Lang::Nl)
            .to_owned(),
        tlp: v.row.tlp,
        status: v.row.status,
        version: v.advisory.revisions.last().map(|r| r.number.clone()),
        cves: v.advisory.cves.iter().map(|c| c.to_string()).collect(),
        products: v
            .advisory
            .products
            .iter()
            .map(|p| p.product.to_string())
            .collect(),
        notices: v.notices.into_iter().map(Into::into).collect(),
    }))
}

/// Records a board's remediation state for a notice (`not_remediated`, `in_progress`, `done`,
/// `not_applicable`).
#[utoipa::path(put, path = "/notices/{id}/state", tag = "vulnerabilities", params(("id" = i64, Path)), request_body = NoticeStateBody, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn set_notice_state(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<NoticeStateBody>,
) -> ApiResult<StatusCode> {
    advisories::set_notice_state(&app, &a.actor, id, &b.state)
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

// --- Request and response shapes ----------------------------------------------------------

fn list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct LandscapeEntryDto {
    pub id: i64,
    pub board_id: i64,
    /// The catalogue id; absent for a proposal.
    pub product: Option<String>,
    pub product_name: Option<String>,
    pub proposed_vendor: Option<String>,
    pub proposed_name: Option<String>,
    pub versions: Vec<String>,
    pub schools: Vec<String>,
    /// Absent: the board manages it itself.
    pub managed_by: Option<String>,
    pub notes: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<EntryRow> for LandscapeEntryDto {
    fn from(e: EntryRow) -> Self {
        LandscapeEntryDto {
            id: e.id,
            board_id: e.board_id,
            product: e.product_slug,
            product_name: e.product_name,
            proposed_vendor: e.proposed_vendor,
            proposed_name: e.proposed_name,
            versions: list(&e.versions),
            schools: list(&e.schools),
            managed_by: e.managed_by,
            notes: e.notes,
            updated_at: e.updated_at,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct LandscapeEntryBody {
    /// A catalogue id; leave out to propose a product.
    pub product: Option<String>,
    pub proposed_vendor: Option<String>,
    pub proposed_name: Option<String>,
    pub versions: Vec<String>,
    /// School codes such as `16AH00`.
    pub schools: Vec<String>,
    pub managed_by: Option<String>,
    pub notes: Option<String>,
}

impl From<LandscapeEntryBody> for EntryInput {
    fn from(b: LandscapeEntryBody) -> Self {
        EntryInput {
            product: b.product.unwrap_or_default(),
            proposed_vendor: b.proposed_vendor.unwrap_or_default(),
            proposed_name: b.proposed_name.unwrap_or_default(),
            versions: b.versions.join(","),
            schools: b.schools.join(","),
            managed_by: b.managed_by.unwrap_or_default(),
            notes: b.notes.unwrap_or_default(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MatchDto {
    pub id: i64,
    pub board_id: i64,
    pub product: String,
    pub product_name: String,
    /// A CVE id, or `system:id` for vulnerabilities without one.
    pub vulnerability: String,
    /// `new`, `notified`, `not_remediated`, `in_progress`, `done` or `not_applicable`.
    pub state: String,
    /// `affected`, `version_not_stated`, `fixed` or `not_affected`.
    pub relation: String,
    /// `cpe`, `purl` or `alias` (alias matches are probable).
    pub method: String,
    /// `version` or `product`.
    pub level: String,
    /// `P1` (most urgent), `P2` or `P3`.
    pub priority: String,
    pub withdrawn: bool,
    pub advisory_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

impl From<MatchRow> for MatchDto {
    fn from(m: MatchRow) -> Self {
        MatchDto {
            id: m.id,
            board_id: m.board_id,
            product: m.product_slug,
            product_name: m.product_name,
            vulnerability: m.vuln_key,
            state: m.state,
            relation: m.relation,
            method: m.method,
            level: m.level,
            priority: m.priority,
            withdrawn: m.withdrawn,
            advisory_id: m.advisory_id,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdvisorySummaryDto {
    pub id: i64,
    pub tracking_id: String,
    pub title: String,
    pub tlp: String,
    /// `draft` or `published`.
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct NoticeDto {
    pub id: i64,
    pub board_id: i64,
    pub version: String,
    /// The board's remediation state.
    pub state: String,
    pub sent_at: DateTime<Utc>,
}

impl From<NoticeRow> for NoticeDto {
    fn from(n: NoticeRow) -> Self {
        NoticeDto {
            id: n.id,
            board_id: n.board_id,
            version: n.version,
            state: n.state,
            sent_at: n.sent_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AdvisoryDto {
    pub id: i64,
    pub tracking_id: String,
    pub title: String,
    /// Markdown.
    pub summary: String,
    /// Markdown: what schools must do.
    pub actions: String,
    pub urgency: String,
    pub tlp: String,
    pub status: String,
    pub version: Option<String>,
    pub cves: Vec<String>,
    pub products: Vec<String>,
    pub notices: Vec<NoticeDto>,
}

#[derive(Deserialize, ToSchema)]
pub struct NoticeStateBody {
    pub state: String,
}
