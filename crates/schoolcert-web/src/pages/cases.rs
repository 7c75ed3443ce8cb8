//! Case pages for CERT staff and board contacts: the CERT's queue, lists with filters and
//! search, deadline view, case page (timeline, messages, tasks, observables, parties, clocks,
//! state changes), sector incidents and `.eml` intake; the board's own cases (report, follow,
//! reply, upload, confirm obligations and fixes) and its security.txt. Both audiences use the
//! same case page template; what a board may see is decided by `schoolcert-app`.

use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use schoolcert_app::cases::view::{self, CaseDetail, Queue};
use schoolcert_app::cases::{clocks, cvd, incidents, messages, sector};
use schoolcert_app::{App, AppError, Msg};
use schoolcert_domain::BoardId;
use schoolcert_store::PageRequest;
use schoolcert_store::audit::By;
use schoolcert_store::cases::obligations::DeadlineRow;
use schoolcert_store::cases::records::{CaseFilter, CaseListItem};
use schoolcert_store::cases::sector::SectorRow;
use serde::Deserialize;

use super::cert::Pager;
use super::{FormErrors, UploadForm, see_other};
use crate::ctx::{CertCtx, UserCtx};
use crate::error::{WebResult, html};
use crate::layout::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cert/zaken", get(list))
        .route("/cert/zaken/wachtrij", get(queue))
        .route("/cert/zaken/termijnen", get(deadlines))
        .route("/cert/zaken/nieuw", get(new_form).post(new_case))
        .route("/cert/zaken/eml", post(eml))
        .route("/cert/meldingen/{id}/besluit", post(decide_report))
        .route("/cert/zaken/{id}", get(show))
        .route("/cert/zaken/{id}/status", post(set_state))
        .route("/cert/zaken/{id}/velden", post(update))
        .route("/cert/zaken/{id}/taken", post(add_task))
        .route("/cert/zaken/{id}/observables", post(add_observable))
        .route("/cert/zaken/{id}/draaiboek", post(playbook))
        .route("/cert/zaken/{id}/partijen", post(involve_party))
        .route("/cert/zaken/{id}/bestuur", post(identify))
        .route("/cert/partijen", post(add_party))
        .route("/cert/sector", get(sectors).post(new_sector))
        .route("/cert/sector/{id}", get(sector_page))
        .route("/cert/sector/{id}/bericht", post(sector_message))
        .route("/portaal/zaken", get(portal_list))
        .route(
            "/portaal/zaken/nieuw",
            get(portal_new_form).post(portal_new),
        )
        .route("/portaal/zaken/{id}", get(portal_show))
        .route("/portaal/zaken/{id}/herstel", post(confirm_fix))
        .route("/portaal/sector/{id}/bevestigen", post(confirm_sector))
        .route("/portaal/security.txt", get(board_securitytxt))
        // Shared by both audiences; the use cases decide.
        .route("/zaken/{id}/berichten", post(post_message))
        .route("/zaken/{id}/bijlagen", post(post_upload))
        .route("/zaken/{id}/termijnen/{code}", post(confirm_obligation))
        .route("/zaken/taken/{id}/klaar", post(task_done))
        .route("/zaken/bijlagen/{id}", get(download))
        .route("/zaken/{id}/concept/{kind}", get(draft))
}

fn path_of(u: &UserCtx, id: i64) -> String {
    if u.actor().is_cert() {
        format!("/cert/zaken/{id}")
    } else {
        format!("/portaal/zaken/{id}")
    }
}

// ------------------------------------------------------------------ lists

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    kind: String,
    state: String,
    class: String,
    board: String,
    tlp: String,
    exercise: String,
    mine: String,
    open: String,
    deadline_days: String,
    q: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    p: Page,
    q: ListQuery,
    rows: Vec<CaseListItem>,
    pager: Pager,
    base: String,
}

fn filter_of(q: &ListQuery, u: &UserCtx, now: schoolcert_domain::Timestamp) -> CaseFilter {
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    CaseFilter {
        kind: opt(&q.kind),
        state: opt(&q.state),
        open: q.open == "1",
        taxonomy: opt(&q.class),
        board_id: q.board.trim().parse().ok().map(BoardId),
        tlp: opt(&q.tlp),
        exercise: match q.exercise.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        assignee_user_id: (q.mine == "1").then_some(u.actor().user_id.0),
        deadline_before: q
            .deadline_days
            .trim()
            .parse::<i64>()
            .ok()
            .map(|d| now + chrono::Duration::days(d)),
        q: opt(&q.q),
    }
}

async fn render_list(u: &UserCtx, q: ListQuery, base: &str, title: (&str, &str)) -> WebResult {
    let f = filter_of(&q, u, u.ctx.app.now());
    let page = view::list(
        &u.ctx.app,
        u.actor(),
        &f,
        PageRequest::new(q.page, Some(100)),
    )
    .await?;
    let pager = Pager::of(
        &page,
        base,
        &[
            ("kind", q.kind.clone()),
            ("state", q.state.clone()),
            ("class", q.class.clone()),
            ("board", q.board.clone()),
            ("tlp", q.tlp.clone()),
            ("exercise", q.exercise.clone()),
            ("mine", q.mine.clone()),
            ("open", q.open.clone()),
            ("deadline_days", q.deadline_days.clone()),
            ("q", q.q.clone()),
        ],
    );
    Ok(html(ListPage {
        p: u.ctx.page(title.0, title.1),
        q,
        rows: page.items,
        pager,
        base: base.to_owned(),
    }))
}

async fn list(c: CertCtx, Query(q): Query<ListQuery>) -> WebResult {
    render_list(&c, q, "/cert/zaken", ("Zaken", "Cases")).await
}

async fn portal_list(u: UserCtx, Query(q): Query<ListQuery>) -> WebResult {
    render_list(
        &u,
        q,
        "/portaal/zaken",
        ("Onze meldingen en zaken", "Our reports and cases"),
    )
    .await
}

#[derive(Template)]
#[template(path = "cases/queue.html")]
struct QueuePage {
    p: Page,
    q: Queue,
    errors: FormErrors,
}

async fn queue(c: CertCtx) -> WebResult {
    let q = view::queue(&c.ctx.app, c.actor()).await?;
    Ok(html(QueuePage {
        p: c.ctx.page("Wachtrij", "Queue"),
        q,
        errors: FormErrors::none(c.ctx.lang),
    }))
}

async fn decide_report(
    c: CertCtx,
    Path(id): Path<i64>,
    Form(f): Form<incidents::DecideInput>,
) -> WebResult {
    match incidents::decide_report(&c.ctx.app, c.actor(), id, &f).await {
        Ok(()) => Ok(see_other("/cert/zaken/wachtrij", "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, c.ctx.lang)?;
            let q = view::queue(&c.ctx.app, c.actor()).await?;
            Ok(html(QueuePage {
                p: c.ctx.page("Wachtrij", "Queue"),
                q,
                errors,
            }))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmlForm {
    raw: String,
}

async fn eml(c: CertCtx, Form(f): Form<EmlForm>) -> WebResult {
    match messages::ingest_eml(
        &c.ctx.app,
        By::Actor(c.actor()),
        f.raw.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes(),
    )
    .await
    {
        Ok(
            messages::Ingested::Case { case_id, .. } | messages::Ingested::Duplicate { case_id },
        ) => Ok(see_other(&format!("/cert/zaken/{case_id}"), "saved")),
        Ok(messages::Ingested::Report { .. }) => Ok(see_other("/cert/zaken/wachtrij", "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, c.ctx.lang)?;
            let q = view::queue(&c.ctx.app, c.actor()).await?;
            Ok(html(QueuePage {
                p: c.ctx.page("Wachtrij", "Queue"),
                q,
                errors,
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "cases/deadlines.html")]
struct DeadlinesPage {
    p: Page,
    rows: Vec<DeadlineRow>,
}

async fn deadlines(c: CertCtx) -> WebResult {
    let rows = clocks::deadlines(&c.ctx.app, c.actor()).await?;
    Ok(html(DeadlinesPage {
        p: c.ctx.page("Termijnen", "Deadlines"),
        rows,
    }))
}

// ------------------------------------------------------------------ new report

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewPage {
    p: Page,
    form: NewForm,
    errors: FormErrors,
    action: String,
    cert: bool,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct NewForm {
    subject: String,
    body: String,
    board_id: String,
    reporter: String,
    personal_data: String,
    became_aware_at: String,
    exercise: String,
}

impl NewForm {
    fn input(&self) -> incidents::ReportInput {
        incidents::ReportInput {
            subject: self.subject.clone(),
            body: self.body.clone(),
            board_id: self.board_id.trim().parse().ok(),
            channel: "phone".into(),
            reporter: self.reporter.clone(),
            personal_data: self.personal_data.clone(),
            became_aware_at: self.became_aware_at.clone(),
            tlp: String::new(),
            exercise: self.exercise == "1",
        }
    }
}

async fn new_form(c: CertCtx) -> WebResult {
    Ok(html(NewPage {
        p: c.ctx.page("Melding aannemen", "Take a report"),
        form: NewForm::default(),
        errors: FormErrors::none(c.ctx.lang),
        action: "/cert/zaken/nieuw".into(),
        cert: true,
    }))
}

async fn portal_new_form(u: UserCtx) -> WebResult {
    Ok(html(NewPage {
        p: u.ctx.page("Incident melden", "Report an incident"),
        form: NewForm::default(),
        errors: FormErrors::none(u.ctx.lang),
        action: "/portaal/zaken/nieuw".into(),
        cert: false,
    }))
}

async fn create(u: &UserCtx, f: NewForm) -> WebResult {
    match incidents::report(&u.ctx.app, u.actor(), &f.input(), false).await {
        Ok(o) => Ok(see_other(&path_of(u, o.case_id), "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            let cert = u.actor().is_cert();
            let action = if cert {
                "/cert/zaken/nieuw"
            } else {
                "/portaal/zaken/nieuw"
            };
            Ok(html(NewPage {
                p: u.ctx.page("Incident melden", "Report an incident"),
                form: f,
                errors,
                action: action.into(),
                cert,
            }))
        }
    }
}

async fn new_case(c: CertCtx, Form(f): Form<NewForm>) -> WebResult {
    create(&c, f).await
}

async fn portal_new(u: UserCtx, Form(f): Form<NewForm>) -> WebResult {
    create(&u, f).await
}

// ------------------------------------------------------------------ the case page

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    p: Page,
    d: CaseDetail,
    cert: bool,
    errors: FormErrors,
    playbooks: Vec<(String, String)>,
    parties: Vec<(i64, String)>,
}

impl CasePage {
    fn is_cvd(&self) -> bool {
        self.d.case.kind == "cvd"
    }
}

async fn render_case(u: &UserCtx, id: i64, errors: FormErrors) -> WebResult {
    let d = view::detail(&u.ctx.app, u.actor(), id, u.ctx.lang).await?;
    let cert = u.actor().is_cert();
    let playbooks = if cert {
        schoolcert_app::cases::playbooks()?
            .into_iter()
            .map(|b| (b.code.clone(), b.title.get(u.ctx.lang).to_owned()))
            .collect()
    } else {
        Vec::new()
    };
    let parties = if cert {
        let mut cx = u.ctx.app.db.read().await?;
        schoolcert_store::cases::parties::list(&mut cx)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    } else {
        Vec::new()
    };
    let title = format!("{} · {}", d.case.reference, d.case.title);
    Ok(html(CasePage {
        p: u.ctx.page(&title, &title),
        d,
        cert,
        errors,
        playbooks,
        parties,
    }))
}

async fn show(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    render_case(&c, id, FormErrors::none(c.ctx.lang)).await
}

async fn portal_show(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    render_case(&u, id, FormErrors::none(u.ctx.lang)).await
}

/// After a case form: back to the page, or the page again with the errors.
async fn done(u: &UserCtx, id: i64, r: Result<(), AppError>) -> WebResult {
    match r {
        Ok(()) => Ok(see_other(&path_of(u, id), "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, u.ctx.lang)?;
            render_case(u, id, errors).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StateForm {
    state: String,
    outcome: String,
    reason: String,
    duplicate_of: String,
}

async fn set_state(c: CertCtx, Path(id): Path<i64>, Form(f): Form<StateForm>) -> WebResult {
    let d = view::detail(&c.ctx.app, c.actor(), id, c.ctx.lang).await?;
    let r = if d.case.kind == "cvd" {
        let reason = Some(f.reason.as_str()).filter(|s| !s.trim().is_empty());
        cvd::transition(
            &c.ctx.app,
            c.actor(),
            id,
            &f.state,
            reason,
            f.duplicate_of.trim().parse().ok(),
        )
        .await
    } else {
        incidents::transition(
            &c.ctx.app,
            c.actor(),
            id,
            &f.state,
            Some(f.outcome.as_str()),
        )
        .await
    };
    done(&c, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FieldsForm {
    title: String,
    summary: String,
    classification: String,
    severity: String,
    tlp: String,
    personal_data: String,
    became_aware_at: String,
    nis2: String,
    exercise: String,
    assignee_user_id: String,
}

async fn update(c: CertCtx, Path(id): Path<i64>, Form(f): Form<FieldsForm>) -> WebResult {
    let input = incidents::UpdateInput {
        title: Some(f.title),
        summary: Some(f.summary),
        classification: Some(f.classification),
        severity: Some(f.severity),
        tlp: Some(f.tlp),
        personal_data: Some(f.personal_data),
        became_aware_at: Some(f.became_aware_at),
        nis2: Some(f.nis2 == "1"),
        exercise: Some(f.exercise == "1"),
        assignee_user_id: Some(f.assignee_user_id),
    };
    let r = incidents::update(&c.ctx.app, c.actor(), id, &input).await;
    done(&c, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MessageForm {
    subject: String,
    body: String,
    shared: String,
    to_reporter: String,
    tlp: String,
    name_board: String,
}

async fn post_message(u: UserCtx, Path(id): Path<i64>, Form(f): Form<MessageForm>) -> WebResult {
    let input = messages::MessageInput {
        subject: f.subject,
        body: f.body,
        shared: f.shared == "1",
        to_reporter: f.to_reporter == "1",
        tlp: f.tlp,
        name_board: f.name_board == "1",
        parent_id: None,
    };
    let r = messages::post(&u.ctx.app, u.actor(), id, &input)
        .await
        .map(|_| ());
    done(&u, id, r).await
}

/// A file added to a case from the case page (multipart; the CSRF token travels in the query,
/// as the middleware reads it before the body).
async fn post_upload(u: UserCtx, Path(id): Path<i64>, form: Multipart) -> WebResult {
    let form = UploadForm::read(form, "bestand").await;
    let (tlp, shared) = (form.field("tlp"), form.field("shared") == "1");
    let r = match &form.file {
        Some((name, kind, bytes)) => incidents::upload(
            &u.ctx.app,
            u.actor(),
            id,
            name,
            kind.as_deref(),
            bytes,
            tlp,
            // A board's own upload is always part of what it shares with the CERT.
            shared || !u.actor().is_cert(),
        )
        .await
        .map(|_| ()),
        _ => Err(AppError::invalid(
            "file",
            Msg::new(
                "Kies een bestand (het kon niet worden ontvangen of is leeg).",
                "Choose a file (it could not be received or is empty).",
            ),
        )),
    };
    done(&u, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TaskForm {
    title: String,
    description: String,
    owner: String,
    due_at: String,
    shared: String,
}

async fn add_task(c: CertCtx, Path(id): Path<i64>, Form(f): Form<TaskForm>) -> WebResult {
    let input = incidents::TaskInput {
        title: f.title,
        description: f.description,
        owner: f.owner,
        due_at: f.due_at,
        shared: f.shared == "1",
    };
    let r = incidents::add_task(&c.ctx.app, c.actor(), id, &input)
        .await
        .map(|_| ());
    done(&c, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TaskDoneForm {
    case_id: i64,
    done: String,
}

async fn task_done(u: UserCtx, Path(id): Path<i64>, Form(f): Form<TaskDoneForm>) -> WebResult {
    let r = incidents::complete_task(&u.ctx.app, u.actor(), id, f.done != "0").await;
    done(&u, f.case_id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ObservableForm {
    value: String,
    tlp: String,
    shared: String,
    ioc: String,
    note: String,
}

async fn add_observable(
    c: CertCtx,
    Path(id): Path<i64>,
    Form(f): Form<ObservableForm>,
) -> WebResult {
    let input = incidents::ObservableInput {
        value: f.value,
        tlp: f.tlp,
        shared: f.shared == "1",
        ioc: f.ioc == "1",
        note: f.note,
    };
    let r = incidents::add_observable(&c.ctx.app, c.actor(), id, &input)
        .await
        .map(|_| ());
    done(&c, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlaybookForm {
    playbook: String,
}

async fn playbook(c: CertCtx, Path(id): Path<i64>, Form(f): Form<PlaybookForm>) -> WebResult {
    let r = incidents::apply_playbook(&c.ctx.app, c.actor(), id, &f.playbook, c.ctx.lang)
        .await
        .map(|_| ());
    done(&c, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InvolveForm {
    party_id: String,
    role: String,
    shared_what: String,
    tlp: String,
}

async fn involve_party(c: CertCtx, Path(id): Path<i64>, Form(f): Form<InvolveForm>) -> WebResult {
    let r = match f.party_id.trim().parse() {
        Ok(p) => {
            incidents::involve_party(
                &c.ctx.app,
                c.actor(),
                id,
                p,
                &f.role,
                &f.shared_what,
                &f.tlp,
            )
            .await
        }
        Err(_) => Err(AppError::invalid(
            "party_id",
            schoolcert_app::Msg::new("Kies een partij.", "Choose a party."),
        )),
    };
    done(&c, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PartyForm {
    name: String,
    kind: String,
    security_email: String,
    back: String,
}

async fn add_party(c: CertCtx, Form(f): Form<PartyForm>) -> WebResult {
    let input = incidents::PartyInput {
        name: f.name,
        kind: f.kind,
        security_email: f.security_email,
        ..Default::default()
    };
    incidents::add_party(&c.ctx.app, c.actor(), &input).await?;
    let back = if f.back.starts_with("/cert/") {
        f.back
    } else {
        "/cert/zaken".into()
    };
    Ok(see_other(&back, "saved"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IdentifyForm {
    board_id: String,
    share_with_reporter: String,
}

async fn identify(c: CertCtx, Path(id): Path<i64>, Form(f): Form<IdentifyForm>) -> WebResult {
    let r = match f.board_id.trim().parse() {
        Ok(b) => {
            cvd::identify(
                &c.ctx.app,
                c.actor(),
                id,
                BoardId(b),
                f.share_with_reporter == "1",
            )
            .await
        }
        Err(_) => Err(AppError::invalid(
            "board_id",
            schoolcert_app::Msg::new(
                "Vul het nummer van het bestuur in.",
                "Enter the board's number.",
            ),
        )),
    };
    done(&c, id, r).await
}

async fn confirm_obligation(
    u: UserCtx,
    Path((id, code)): Path<(i64, String)>,
    Form(f): Form<clocks::ConfirmInput>,
) -> WebResult {
    let r = clocks::confirm(&u.ctx.app, u.actor(), id, &code, &f).await;
    done(&u, id, r).await
}

async fn confirm_fix(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let r = cvd::confirm_remediation(&u.ctx.app, u.actor(), id).await;
    done(&u, id, r).await
}

async fn download(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    let (row, data) = incidents::download(&u.ctx.app, u.actor(), id).await?;
    // Always a download, never rendered in our origin.
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

async fn draft(u: UserCtx, Path((id, kind)): Path<(i64, String)>) -> WebResult {
    let d = clocks::draft(&u.ctx.app, u.actor(), id, &kind, u.ctx.lang).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        d.to_text(u.ctx.lang),
    )
        .into_response())
}

// ------------------------------------------------------------------ sector incidents

#[derive(Template)]
#[template(path = "cases/sectors.html")]
struct SectorsPage {
    p: Page,
    rows: Vec<SectorRow>,
    errors: FormErrors,
}

async fn sectors(c: CertCtx) -> WebResult {
    let rows = sector::list(&c.ctx.app, c.actor()).await?;
    Ok(html(SectorsPage {
        p: c.ctx.page("Sectorincidenten", "Sector incidents"),
        rows,
        errors: FormErrors::none(c.ctx.lang),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SectorForm {
    title: String,
    description: String,
    /// Board numbers, separated by spaces, commas or new lines.
    boards: String,
    include_non_members: String,
    classification: String,
    exercise: String,
}

async fn new_sector(c: CertCtx, Form(f): Form<SectorForm>) -> WebResult {
    let input = sector::SectorInput {
        title: f.title,
        description: f.description,
        board_ids: f
            .boards
            .split(|ch: char| ch.is_whitespace() || ch == ',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        include_non_members: f.include_non_members == "1",
        classification: f.classification,
        tlp: String::new(),
        exercise: f.exercise == "1",
    };
    match sector::create(&c.ctx.app, c.actor(), &input).await {
        Ok(id) => Ok(see_other(&format!("/cert/sector/{id}"), "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, c.ctx.lang)?;
            let rows = sector::list(&c.ctx.app, c.actor()).await?;
            Ok(html(SectorsPage {
                p: c.ctx.page("Sectorincidenten", "Sector incidents"),
                rows,
                errors,
            }))
        }
    }
}

#[derive(Template)]
#[template(path = "cases/sector.html")]
struct SectorPage {
    p: Page,
    v: sector::SectorView,
    errors: FormErrors,
}

async fn sector_page(c: CertCtx, Path(id): Path<i64>) -> WebResult {
    let v = sector::get(&c.ctx.app, c.actor(), id).await?;
    Ok(html(SectorPage {
        p: c.ctx.page(&v.incident.title, &v.incident.title),
        v,
        errors: FormErrors::none(c.ctx.lang),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SectorMessageForm {
    subject: String,
    body: String,
    tlp: String,
}

async fn sector_message(
    c: CertCtx,
    Path(id): Path<i64>,
    Form(f): Form<SectorMessageForm>,
) -> WebResult {
    match sector::message_all(&c.ctx.app, c.actor(), id, &f.subject, &f.body, &f.tlp).await {
        Ok(_) => Ok(see_other(&format!("/cert/sector/{id}"), "saved")),
        Err(e) => {
            let errors = FormErrors::catch(e, c.ctx.lang)?;
            let v = sector::get(&c.ctx.app, c.actor(), id).await?;
            Ok(html(SectorPage {
                p: c.ctx.page(&v.incident.title, &v.incident.title),
                v,
                errors,
            }))
        }
    }
}

async fn confirm_sector(u: UserCtx, Path(id): Path<i64>) -> WebResult {
    sector::confirm(&u.ctx.app, u.actor(), id).await?;
    Ok(see_other("/portaal/zaken", "confirmed"))
}

async fn board_securitytxt(u: UserCtx) -> WebResult<Response> {
    let board = u.actor().board_id.ok_or(AppError::NotFound)?;
    let text =
        schoolcert_app::cases::securitytxt::for_board(&u.ctx.app, u.actor(), board, None).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"security.txt\"",
            ),
        ],
        text,
    )
        .into_response())
}
