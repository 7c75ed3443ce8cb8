//! Registry endpoints: boards, contacts, schools, network assets, lookup and the audit log.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use schoolcert_app::registry::{assets, boards, contacts, schools};
use schoolcert_app::{App, AppError, Msg, require_cert};
use schoolcert_domain::{AssetId, BoardId, ContactId, SchoolId};
use schoolcert_store::audit::AuditFilter;
use schoolcert_store::registry::assets::AssetFilter;
use schoolcert_store::registry::boards::BoardFilter;
use schoolcert_store::registry::schools::SchoolFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::ApiActor;
use super::dto::*;
use super::problem::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_boards))
        .routes(routes!(get_board))
        .routes(routes!(set_board_status))
        .routes(routes!(list_contacts, add_contact))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(list_schools))
        .routes(routes!(get_school))
        .routes(routes!(list_assets))
        .routes(routes!(claim_assets))
        .routes(routes!(get_asset, withdraw_asset))
        .routes(routes!(verify_asset))
        .routes(routes!(decide_asset))
        .routes(routes!(lookup))
        .routes(routes!(audit_log))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct BoardQuery {
    /// Name, number or city.
    q: Option<String>,
    status: Option<String>,
    /// `po` or `vo`.
    sector: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Boards in the caller's scope (CERT: all; a board contact: their own).
#[utoipa::path(get, path = "/boards", tag = "registry", params(BoardQuery), security(("bearer" = [])),
    responses((status = 200, body = BoardPage), (status = 401, body = Problem)))]
async fn list_boards(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<BoardQuery>,
) -> ApiResult<Json<BoardPage>> {
    let filter = BoardFilter {
        q: q.q,
        status: q.status.and_then(|s| s.parse().ok()),
        sector: q.sector,
    };
    let page = boards::list(
        &app,
        &a.actor,
        &filter,
        schoolcert_store::PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(BoardPage::of(page)))
}

#[utoipa::path(get, path = "/boards/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = BoardDto), (status = 404, body = Problem)))]
async fn get_board(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<BoardDto>> {
    Ok(Json(
        boards::get(&app, &a.actor, BoardId(id))
            .await
            .map_err(|e| a.err(e))?
            .into(),
    ))
}

/// Changes a board's status (CERT staff).
#[utoipa::path(post, path = "/boards/{id}/status", tag = "registry", params(("id" = i64, Path)), request_body = StatusBody, security(("bearer" = [])),
    responses((status = 200, body = BoardDto), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn set_board_status(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<StatusBody>,
) -> ApiResult<Json<BoardDto>> {
    let to = b.status.parse().map_err(|_| {
        a.err(AppError::invalid(
            "status",
            Msg::new("Onbekende status.", "Unknown status."),
        ))
    })?;
    boards::set_status(&app, &a.actor, BoardId(id), to, &b.reason)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(
        boards::get(&app, &a.actor, BoardId(id))
            .await
            .map_err(|e| a.err(e))?
            .into(),
    ))
}

#[utoipa::path(get, path = "/boards/{id}/contacts", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<ContactDto>), (status = 404, body = Problem)))]
async fn list_contacts(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ContactDto>>> {
    let ov = boards::overview(&app, &a.actor, BoardId(id))
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(ov.contacts.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/boards/{id}/contacts", tag = "registry", params(("id" = i64, Path)), request_body = ContactBody, security(("bearer" = [])),
    responses((status = 201, body = ContactDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_contact(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<ContactBody>,
) -> ApiResult<(StatusCode, Json<ContactDto>)> {
    let cid = contacts::add(&app, &a.actor, BoardId(id), &b.into())
        .await
        .map_err(|e| a.err(e))?;
    Ok((StatusCode::CREATED, Json(contact_dto(&app, &a, cid).await?)))
}

async fn contact_dto(app: &App, a: &ApiActor, id: ContactId) -> ApiResult<ContactDto> {
    let c = contacts::get(app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    let stale =
        schoolcert_domain::registry::contact::is_stale(c.created_at, c.confirmed_at, app.now());
    Ok(schoolcert_app::registry::boards::ContactView { contact: c, stale }.into())
}

#[utoipa::path(get, path = "/contacts/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ContactDto), (status = 404, body = Problem)))]
async fn get_contact(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<ContactDto>> {
    Ok(Json(contact_dto(&app, &a, ContactId(id)).await?))
}

#[utoipa::path(put, path = "/contacts/{id}", tag = "registry", params(("id" = i64, Path)), request_body = ContactBody, security(("bearer" = [])),
    responses((status = 200, body = ContactDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_contact(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<ContactBody>,
) -> ApiResult<Json<ContactDto>> {
    contacts::update(&app, &a.actor, ContactId(id), &b.into())
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(contact_dto(&app, &a, ContactId(id)).await?))
}

#[utoipa::path(delete, path = "/contacts/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_contact(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    contacts::delete(&app, &a.actor, ContactId(id))
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct SchoolQuery {
    q: Option<String>,
    board_id: Option<i64>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/schools", tag = "registry", params(SchoolQuery), security(("bearer" = [])),
    responses((status = 200, body = SchoolPage), (status = 401, body = Problem)))]
async fn list_schools(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<SchoolQuery>,
) -> ApiResult<Json<SchoolPage>> {
    let filter = SchoolFilter {
        q: q.q,
        board_id: q.board_id.map(BoardId),
    };
    let page = schools::list(
        &app,
        &a.actor,
        &filter,
        schoolcert_store::PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(SchoolPage::of(page)))
}

#[utoipa::path(get, path = "/schools/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = SchoolDto), (status = 404, body = Problem)))]
async fn get_school(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<SchoolDto>> {
    Ok(Json(
        schools::get(&app, &a.actor, SchoolId(id))
            .await
            .map_err(|e| a.err(e))?
            .into(),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct AssetQuery {
    board_id: Option<i64>,
    status: Option<String>,
    /// `prefix` or `domain`.
    kind: Option<String>,
    q: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/assets", tag = "registry", params(AssetQuery), security(("bearer" = [])),
    responses((status = 200, body = AssetPage), (status = 401, body = Problem)))]
async fn list_assets(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<AssetQuery>,
) -> ApiResult<Json<AssetPage>> {
    let filter = AssetFilter {
        board_id: q.board_id.map(BoardId),
        status: q.status.and_then(|s| s.parse().ok()),
        kind: q.kind.and_then(|s| s.parse().ok()),
        q: q.q,
    };
    let page = assets::list(
        &app,
        &a.actor,
        &filter,
        schoolcert_store::PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(AssetPage::of(page)))
}

/// Claims prefixes and domains for a board. Each entry is validated on its own; refused
/// entries are explained and do not affect the others.
#[utoipa::path(post, path = "/boards/{id}/assets", tag = "registry", params(("id" = i64, Path)), request_body = ClaimBody, security(("bearer" = [])),
    responses((status = 200, body = Vec<ClaimResultDto>), (status = 404, body = Problem)))]
async fn claim_assets(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<ClaimBody>,
) -> ApiResult<Json<Vec<ClaimResultDto>>> {
    // One entry per line, so a comma inside an entry cannot split it silently.
    let text = b
        .assets
        .iter()
        .map(|s| s.replace(['\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\n");
    let lines = assets::claim_list(&app, &a.actor, BoardId(id), &text)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| ClaimResultDto::of(l, a.lang))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/assets/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = AssetDto), (status = 404, body = Problem)))]
async fn get_asset(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<AssetDto>> {
    Ok(Json(
        assets::get(&app, &a.actor, AssetId(id))
            .await
            .map_err(|e| a.err(e))?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/assets/{id}", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn withdraw_asset(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    assets::withdraw(&app, &a.actor, AssetId(id))
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks a pending domain's DNS TXT challenge now.
#[utoipa::path(post, path = "/assets/{id}/verify", tag = "registry", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VerifyDto), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn verify_asset(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<VerifyDto>> {
    let v = assets::verify_domain(&app, &a.actor, AssetId(id))
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(VerifyDto {
        verified: v.verified,
        looked_up: v.looked_up,
        expected: v.expected,
        found: v.found,
    }))
}

/// Approves or rejects a claim (CERT staff).
#[utoipa::path(post, path = "/assets/{id}/decision", tag = "registry", params(("id" = i64, Path)), request_body = DecisionBody, security(("bearer" = [])),
    responses((status = 200, body = AssetDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn decide_asset(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<DecisionBody>,
) -> ApiResult<Json<AssetDto>> {
    let approve = match b.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(a.err(AppError::invalid(
                "decision",
                Msg::new(
                    "Gebruik 'approve' of 'reject'.",
                    "Use 'approve' or 'reject'.",
                ),
            )));
        }
    };
    assets::decide(&app, &a.actor, AssetId(id), approve, &b.reason)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(
        assets::get(&app, &a.actor, AssetId(id))
            .await
            .map_err(|e| a.err(e))?
            .into(),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct LookupQuery {
    /// An IPv4 or IPv6 address.
    ip: Option<String>,
    /// A host name; matched by the longest registered domain.
    host: Option<String>,
}

/// Which board owns an address or host name. A board contact only learns whether it is
/// their own board's.
#[utoipa::path(get, path = "/lookup", tag = "lookup", params(LookupQuery), security(("bearer" = [])),
    responses((status = 200, body = LookupDto), (status = 422, body = Problem)))]
async fn lookup(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<LookupQuery>,
) -> ApiResult<Json<LookupDto>> {
    let query = match (q.ip, q.host) {
        (Some(ip), None) => {
            ip.trim().parse::<std::net::IpAddr>().map_err(|_| {
                a.err(AppError::invalid(
                    "ip",
                    Msg::new("Geen geldig IP-adres.", "Not a valid IP address."),
                ))
            })?;
            ip
        }
        (None, Some(host)) => host,
        _ => {
            return Err(a.err(AppError::invalid(
                "ip",
                Msg::new(
                    "Geef precies één van ip of host op.",
                    "Give exactly one of ip or host.",
                ),
            )));
        }
    };
    Ok(Json(
        assets::lookup(&app, Some(&a.actor), &query)
            .await
            .map_err(|e| a.err(e))?
            .into(),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct AuditQuery {
    object_type: Option<String>,
    object_id: Option<i64>,
    board_id: Option<i64>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// The audit log (CERT staff).
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem)))]
async fn audit_log(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    require_cert(&a.actor).map_err(|e| a.err(e))?;
    let filter = AuditFilter {
        object_type: q.object_type,
        object_id: q.object_id,
        board_id: q.board_id.map(BoardId),
        actor_user_id: None,
    };
    let page = boards::audit_log(
        &app,
        &a.actor,
        &filter,
        schoolcert_store::PageRequest::new(q.page, q.per_page),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(AuditPage::of(page)))
}
