//! Case endpoints: incident and CVD cases (list, report, detail, state, fields, messages,
//! attachments, clocks, remediation), the CERT's queue and deadlines, `.eml` intake, sector
//! incidents, the public CVD intake and status link (no token: the link is the key), security.txt
//! and the quarterly metrics. Same use cases, so the same authorisation as the pages.

use std::net::{IpAddr, SocketAddr};

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use data_encoding::BASE64;
use schoolcert_app::cases::{clocks, cvd, incidents, messages, metrics, sector, view};
use schoolcert_app::{App, AppError, Msg};
use schoolcert_domain::{BoardId, Lang};
use schoolcert_store::PageRequest;
use schoolcert_store::audit::By;
use schoolcert_store::cases::records::CaseFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::ApiActor;
use super::cases_dto::*;
use super::problem::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, report_case))
        .routes(routes!(get_case))
        .routes(routes!(change_state))
        .routes(routes!(update_case))
        .routes(routes!(post_message))
        .routes(routes!(upload))
        .routes(routes!(download))
        .routes(routes!(confirm_obligation))
        .routes(routes!(confirm_remediation))
        .routes(routes!(queue))
        .routes(routes!(deadlines))
        .routes(routes!(ingest_eml))
        .routes(routes!(create_sector))
        .routes(routes!(get_sector))
        .routes(routes!(sector_message))
        .routes(routes!(sector_confirm))
        .routes(routes!(board_security_txt))
        .routes(routes!(quarterly_metrics))
        .routes(routes!(cvd_challenge))
        .routes(routes!(cvd_report))
        .routes(routes!(cvd_status))
        .routes(routes!(cvd_reply))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
struct CaseQuery {
    /// `incident` or `cvd`.
    kind: Option<String>,
    state: Option<String>,
    /// Only cases that are not closed or rejected.
    open: Option<bool>,
    /// RSIT class, e.g. `fraud`.
    class: Option<String>,
    board_id: Option<i64>,
    tlp: Option<String>,
    exercise: Option<bool>,
    /// Only cases assigned to the caller.
    mine: Option<bool>,
    /// Only cases with a deadline within this many days.
    deadline_days: Option<i64>,
    /// Words in the case or its messages.
    q: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Cases in the caller's scope (CERT: all; a board contact: its board's, CVD only once notified).
#[utoipa::path(get, path = "/cases", tag = "cases", params(CaseQuery), security(("bearer" = [])),
    responses((status = 200, body = CasePage), (status = 401, body = Problem)))]
async fn list_cases(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<CasePage>> {
    let f = CaseFilter {
        kind: q.kind,
        state: q.state,
        open: q.open.unwrap_or(false),
        taxonomy: q.class,
        board_id: q.board_id.map(BoardId),
        tlp: q.tlp,
        exercise: q.exercise,
        assignee_user_id: q.mine.unwrap_or(false).then_some(a.actor.user_id.0),
        deadline_before: q
            .deadline_days
            .map(|d| app.now() + chrono::Duration::days(d)),
        q: q.q,
    };
    let page = view::list(&app, &a.actor, &f, PageRequest::new(q.page, q.per_page))
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(CasePage::of(page)))
}

/// Reports an incident (a board contact for its own board; CERT staff name the board).
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = ReportBody, security(("bearer" = [])),
    responses((status = 201, body = OpenedDto), (status = 422, body = Problem)))]
async fn report_case(
    State(app): State<App>,
    a: ApiActor,
    Json(b): Json<ReportBody>,
) -> ApiResult<(StatusCode, Json<OpenedDto>)> {
    let o = incidents::report(&app, &a.actor, &b.into(), true)
        .await
        .map_err(|e| a.err(e))?;
    Ok((
        StatusCode::CREATED,
        Json(OpenedDto {
            case_id: o.case_id,
            report_id: o.report_id,
            reference: o.reference,
        }),
    ))
}

/// A case with everything the caller may see in it.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = CaseDetailDto), (status = 404, body = Problem)))]
async fn get_case(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseDetailDto>> {
    let d = view::detail(&app, &a.actor, id, a.lang)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(CaseDetailDto::of(d, a.lang)))
}

/// Moves a case to another state (CERT staff); checked by the domain rules.
#[utoipa::path(post, path = "/cases/{id}/state", tag = "cases", params(("id" = i64, Path)), request_body = StateBody, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change_state(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<StateBody>,
) -> ApiResult<StatusCode> {
    let d = view::detail(&app, &a.actor, id, a.lang)
        .await
        .map_err(|e| a.err(e))?;
    if d.case.kind == "cvd" {
        cvd::transition(
            &app,
            &a.actor,
            id,
            &b.state,
            b.reason.as_deref(),
            b.duplicate_of,
        )
        .await
        .map_err(|e| a.err(e))?;
    } else {
        incidents::transition(&app, &a.actor, id, &b.state, b.outcome.as_deref())
            .await
            .map_err(|e| a.err(e))?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Changes an incident's fields (CERT staff). Absent fields stay as they are.
#[utoipa::path(post, path = "/cases/{id}/fields", tag = "cases", params(("id" = i64, Path)), request_body = FieldsBody, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_case(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<FieldsBody>,
) -> ApiResult<StatusCode> {
    incidents::update(&app, &a.actor, id, &b.into())
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Writes a message: CERT staff a note or a shared message (mailed), a board contact to the CERT.
#[utoipa::path(post, path = "/cases/{id}/messages", tag = "cases", params(("id" = i64, Path)), request_body = MessageBody, security(("bearer" = [])),
    responses((status = 201, body = IdDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn post_message(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<MessageBody>,
) -> ApiResult<(StatusCode, Json<IdDto>)> {
    let mid = messages::post(&app, &a.actor, id, &b.into())
        .await
        .map_err(|e| a.err(e))?;
    Ok((StatusCode::CREATED, Json(IdDto { id: mid })))
}

/// Adds a file to a case (bytes as base64; at most 15 MB).
#[utoipa::path(post, path = "/cases/{id}/attachments", tag = "cases", params(("id" = i64, Path)), request_body = UploadBody, security(("bearer" = [])),
    responses((status = 201, body = IdDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn upload(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<UploadBody>,
) -> ApiResult<(StatusCode, Json<IdDto>)> {
    let bytes = BASE64
        .decode(b.content_base64.trim().as_bytes())
        .map_err(|_| {
            a.err(AppError::invalid(
                "content_base64",
                Msg::new("Dit is geen geldige base64.", "This is not valid base64."),
            ))
        })?;
    let aid = incidents::upload(
        &app,
        &a.actor,
        id,
        &b.filename,
        b.content_type.as_deref(),
        &bytes,
        b.tlp.as_deref().unwrap_or(""),
        b.shared.unwrap_or(false),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok((StatusCode::CREATED, Json(IdDto { id: aid })))
}

/// A file from a case, as a download.
#[utoipa::path(get, path = "/attachments/{id}", tag = "cases", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
async fn download(State(app): State<App>, a: ApiActor, Path(id): Path<i64>) -> ApiResult<Response> {
    let (row, data) = incidents::download(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    let disposition = format!("attachment; filename=\"{}\"", row.filename.replace('"', ""));
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        data,
    )
        .into_response())
}

/// Records that a legal obligation was met (or is not needed, with a reason).
#[utoipa::path(post, path = "/cases/{id}/obligations/{code}", tag = "cases", params(("id" = i64, Path), ("code" = String, Path)), request_body = ConfirmBody, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn confirm_obligation(
    State(app): State<App>,
    a: ApiActor,
    Path((id, code)): Path<(i64, String)>,
    Json(b): Json<ConfirmBody>,
) -> ApiResult<StatusCode> {
    clocks::confirm(&app, &a.actor, id, &code, &b.into())
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The board confirms a reported vulnerability is fixed.
#[utoipa::path(post, path = "/cases/{id}/remediation", tag = "cases", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn confirm_remediation(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    cvd::confirm_remediation(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The CERT's queue: reports without a case and untriaged cases.
#[utoipa::path(get, path = "/cases-queue", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = QueueDto), (status = 403, body = Problem)))]
async fn queue(State(app): State<App>, a: ApiActor) -> ApiResult<Json<QueueDto>> {
    let q = view::queue(&app, &a.actor).await.map_err(|e| a.err(e))?;
    Ok(Json(QueueDto::of(q)))
}

/// Every open legal deadline, soonest first (CERT staff).
#[utoipa::path(get, path = "/deadlines", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = Vec<DeadlineDto>), (status = 403, body = Problem)))]
async fn deadlines(State(app): State<App>, a: ApiActor) -> ApiResult<Json<Vec<DeadlineDto>>> {
    let rows = clocks::deadlines(&app, &a.actor)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Takes in a raw e-mail (`message/rfc822`): into its case by reply token, else into the queue.
#[utoipa::path(post, path = "/eml", tag = "cases", request_body(content = String, content_type = "message/rfc822"), security(("bearer" = [])),
    responses((status = 200, body = IngestedDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn ingest_eml(
    State(app): State<App>,
    a: ApiActor,
    body: Bytes,
) -> ApiResult<Json<IngestedDto>> {
    let r = messages::ingest_eml(&app, By::Actor(&a.actor), &body)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(r.into()))
}

/// Opens a sector incident with a case per affected board (CERT staff).
#[utoipa::path(post, path = "/sector-incidents", tag = "cases", request_body = SectorBody, security(("bearer" = [])),
    responses((status = 201, body = IdDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_sector(
    State(app): State<App>,
    a: ApiActor,
    Json(b): Json<SectorBody>,
) -> ApiResult<(StatusCode, Json<IdDto>)> {
    let id = sector::create(&app, &a.actor, &b.into())
        .await
        .map_err(|e| a.err(e))?;
    Ok((StatusCode::CREATED, Json(IdDto { id })))
}

/// A sector incident: the CERT sees every board, a board only its own part.
#[utoipa::path(get, path = "/sector-incidents/{id}", tag = "cases", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = SectorDto), (status = 404, body = Problem)))]
async fn get_sector(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Json<SectorDto>> {
    let v = sector::get(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(v.into()))
}

/// One message to every board of a sector incident, each in its own case.
#[utoipa::path(post, path = "/sector-incidents/{id}/messages", tag = "cases", params(("id" = i64, Path)), request_body = SectorMessageBody, security(("bearer" = [])),
    responses((status = 200, body = CountDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn sector_message(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
    Json(b): Json<SectorMessageBody>,
) -> ApiResult<Json<CountDto>> {
    let n = sector::message_all(
        &app,
        &a.actor,
        id,
        &b.subject,
        &b.body,
        b.tlp.as_deref().unwrap_or(""),
    )
    .await
    .map_err(|e| a.err(e))?;
    Ok(Json(CountDto { count: n }))
}

/// A board confirms it took the measures of a sector incident.
#[utoipa::path(post, path = "/sector-incidents/{id}/confirm", tag = "cases", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn sector_confirm(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    sector::confirm(&app, &a.actor, id)
        .await
        .map_err(|e| a.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A board's security.txt (RFC 9116), pointing reports to the CERT.
#[utoipa::path(get, path = "/boards/{id}/security.txt", tag = "cases", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "text/plain"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn board_security_txt(
    State(app): State<App>,
    a: ApiActor,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let text = schoolcert_app::cases::securitytxt::for_board(&app, &a.actor, BoardId(id), None)
        .await
        .map_err(|e| a.err(e))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

#[derive(Deserialize, IntoParams)]
struct QuarterQuery {
    year: i32,
    /// 1 to 4.
    quarter: u32,
}

/// The quarterly analysis (CERT staff): counts per month by class, severity and sector, response
/// and closing times, CVD by state and deadline adherence. Exercises are left out.
#[utoipa::path(get, path = "/metrics/quarterly", tag = "cases", params(QuarterQuery), security(("bearer" = [])),
    responses((status = 200, body = MetricsDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn quarterly_metrics(
    State(app): State<App>,
    a: ApiActor,
    Query(q): Query<QuarterQuery>,
) -> ApiResult<Json<MetricsDto>> {
    let m = metrics::quarterly(&app, &a.actor, q.year, q.quarter)
        .await
        .map_err(|e| a.err(e))?;
    Ok(Json(MetricsDto {
        metrics: serde_json::to_value(m).unwrap_or_default(),
    }))
}

fn lang_of(h: &axum::http::HeaderMap) -> Lang {
    h.get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.starts_with("en"))
        .map_or(Lang::Nl, |_| Lang::En)
}

fn public_err(e: AppError, lang: Lang) -> ApiError {
    ApiError(e, lang)
}

/// A proof-of-work challenge for the public CVD intake (no token needed).
#[utoipa::path(get, path = "/cvd/challenge", tag = "cvd",
    responses((status = 200, body = ChallengeDto)))]
async fn cvd_challenge(
    State(app): State<App>,
    h: axum::http::HeaderMap,
) -> ApiResult<Json<ChallengeDto>> {
    let c = cvd::challenge(&app)
        .await
        .map_err(|e| public_err(e, lang_of(&h)))?;
    Ok(Json(ChallengeDto {
        challenge: c.text,
        difficulty: c.difficulty,
    }))
}

/// Reports a vulnerability (no account). Solve the challenge: a `counter` such that
/// SHA-256(`challenge:counter`) starts with `difficulty` zero bits.
#[utoipa::path(post, path = "/cvd/reports", tag = "cvd", request_body = CvdReportBody,
    responses((status = 201, body = CvdSubmittedDto), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn cvd_report(
    State(app): State<App>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    h: axum::http::HeaderMap,
    Json(b): Json<CvdReportBody>,
) -> ApiResult<(StatusCode, Json<CvdSubmittedDto>)> {
    let lang = lang_of(&h);
    let peer = peer.map_or(IpAddr::from([0, 0, 0, 0]), |Extension(ConnectInfo(p))| {
        p.ip()
    });
    let ip: IpAddr = if app.config.trust_forwarded_for {
        h.get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(peer)
    } else {
        peer
    };
    let input = b.into_input(lang).map_err(|e| public_err(e, lang))?;
    let s = cvd::submit(&app, ip, &input)
        .await
        .map_err(|e| public_err(e, lang))?;
    Ok((
        StatusCode::CREATED,
        Json(CvdSubmittedDto {
            reference: s.reference,
            status_url: s.status_url,
        }),
    ))
}

/// What the holder of a status link may see.
#[utoipa::path(get, path = "/cvd/status/{token}", tag = "cvd", params(("token" = String, Path)),
    responses((status = 200, body = CvdStatusDto), (status = 404, body = Problem)))]
async fn cvd_status(
    State(app): State<App>,
    h: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> ApiResult<Json<CvdStatusDto>> {
    let lang = lang_of(&h);
    let s = cvd::status(&app, &token, lang)
        .await
        .map_err(|e| public_err(e, lang))?;
    Ok(Json(s.into()))
}

/// A message from the reporter.
#[utoipa::path(post, path = "/cvd/status/{token}/messages", tag = "cvd", params(("token" = String, Path)), request_body = BodyOnly,
    responses((status = 201, body = IdDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn cvd_reply(
    State(app): State<App>,
    h: axum::http::HeaderMap,
    Path(token): Path<String>,
    Json(b): Json<BodyOnly>,
) -> ApiResult<(StatusCode, Json<IdDto>)> {
    let lang = lang_of(&h);
    let id = cvd::reporter_message(&app, &token, &b.body)
        .await
        .map_err(|e| public_err(e, lang))?;
    Ok((StatusCode::CREATED, Json(IdDto { id })))
}
