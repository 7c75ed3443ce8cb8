//! The incident flow: a board (or an analyst taking a call) reports, a case opens, the CERT
//! triages and moves it through its states; fields, playbooks, tasks, observables, parties and
//! attachments. State changes are checked by the pure crate, not by the pages.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Amsterdam;
use schoolcert_cases::CaseKind;
use schoolcert_cases::attachments::{AttachmentLimits, Upload, check};
use schoolcert_cases::incident::{
    self, IncidentCase, IncidentState, Outcome, PersonalData, Severity,
};
use schoolcert_cases::observable::parse_observable;
use schoolcert_cases::report::ReportChannel;
use schoolcert_cases::timeline::TimelineEvent;
use schoolcert_cases::visibility::Sharing;
use schoolcert_domain::access::Actor;
use schoolcert_domain::audit::diff;
use schoolcert_domain::rsit::{self, Classification};
use schoolcert_domain::{BoardId, Timestamp, Tlp, UserId};
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::cases::items::{self, NewAttachment, NewObservable, NewTask};
use schoolcert_store::cases::parties::{self, PartyRow};
use schoolcert_store::cases::records::{self as cases, CaseRow};
use schoolcert_store::cases::reports::{self, NewReport};
use schoolcert_store::cases::settings;
use schoolcert_store::registry::boards;
use serde::{Deserialize, Serialize};

use super::{
    Loaded, cert_only, clocks, form_tlp, incident_of, label, load, timeline, who, write_incident,
};
use crate::error::FieldError;
use crate::{App, AppError, AppResult, Msg};

/// Reads a moment from a form: RFC 3339, or `YYYY-MM-DDTHH:MM` (a `datetime-local` field) in
/// Dutch time.
pub fn parse_moment(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = schoolcert_domain::time::parse_rfc3339(s) {
        return Some(t);
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()?;
    Amsterdam
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn personal(s: &str) -> PersonalData {
    match s.trim() {
        "yes" | "ja" | "true" => PersonalData::Yes,
        "no" | "nee" | "false" => PersonalData::No,
        _ => PersonalData::Unknown,
    }
}

/// A new incident as a board contact (web form, API) or an analyst (phone call) reports it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportInput {
    pub subject: String,
    pub body: String,
    /// Only for CERT staff: the board concerned (a board contact reports for their own board).
    pub board_id: Option<i64>,
    /// Only for CERT staff: `phone`, `email`; board contacts report through `web_form`/`api`.
    pub channel: String,
    /// Who called or wrote (CERT staff only; for a board contact it is the account).
    pub reporter: String,
    /// `yes`, `no` or `unknown`.
    pub personal_data: String,
    /// When the board became aware (RFC 3339 or `YYYY-MM-DDTHH:MM` Dutch time).
    pub became_aware_at: String,
    pub tlp: String,
    pub exercise: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub report_id: i64,
    pub case_id: i64,
    pub reference: String,
}

/// A report opens a case in state `new`; the CERT's queue shows it until triage.
pub async fn report(
    app: &App,
    actor: &Actor,
    input: &ReportInput,
    via_api: bool,
) -> AppResult<Opened> {
    let now = app.now();
    let mut errs = Vec::new();
    if input.subject.trim().is_empty() {
        errs.push(FieldError::new(
            "subject",
            Msg::new("Geef een korte omschrijving.", "Give a short description."),
        ));
    }
    if input.body.trim().is_empty() {
        errs.push(FieldError::new(
            "body",
            Msg::new("Beschrijf wat er is gebeurd.", "Describe what happened."),
        ));
    }
    if input.subject.chars().count() > 200 {
        errs.push(FieldError::new(
            "subject",
            Msg::new("Maximaal 200 tekens.", "At most 200 characters."),
        ));
    }
    let aware = parse_moment(&input.became_aware_at);
    if !input.became_aware_at.trim().is_empty() && aware.is_none() {
        errs.push(FieldError::new(
            "became_aware_at",
            Msg::new(
                "Vul datum en tijd in, bijvoorbeeld 2026-11-20T09:30.",
                "Enter date and time, for example 2026-11-20T09:30.",
            ),
        ));
    }
    if aware.is_some_and(|t| t > now) {
        errs.push(FieldError::new(
            "became_aware_at",
            Msg::new(
                "Dit moment ligt in de toekomst.",
                "This moment lies in the future.",
            ),
        ));
    }
    let tlp = match form_tlp(&input.tlp, "tlp", Tlp::AmberStrict) {
        Ok(t) => t,
        Err(AppError::Invalid(mut e)) => {
            errs.append(&mut e);
            Tlp::AmberStrict
        }
        Err(e) => return Err(e),
    };
    let (board, channel, reporter) = if actor.is_cert() {
        let Some(b) = input.board_id else {
            errs.push(FieldError::new(
                "board_id",
                Msg::new("Kies het bestuur.", "Choose the board."),
            ));
            return Err(AppError::Invalid(errs));
        };
        let channel = match input.channel.as_str() {
            "email" => ReportChannel::Email,
            _ => ReportChannel::Phone,
        };
        let reporter = if input.reporter.trim().is_empty() {
            who(actor)
        } else {
            input.reporter.trim().to_owned()
        };
        (BoardId(b), channel, reporter)
    } else {
        let b = actor.board_id.ok_or(AppError::NotFound)?;
        (
            b,
            if via_api {
                ReportChannel::Api
            } else {
                ReportChannel::WebForm
            },
            who(actor),
        )
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let mut cx = app.db.write().await?;
    boards::get(&mut cx, actor.scope(), board)
        .await
        .map_err(|_| {
            AppError::invalid("board_id", Msg::new("Onbekend bestuur.", "Unknown board."))
        })?;
    let settings = settings::get(&mut cx, schoolcert_domain::access::Scope::All, board).await?;
    let report_id = reports::insert(
        &mut cx,
        &NewReport {
            channel: channel.code(),
            reporter: &reporter,
            reporter_user_id: Some(actor.user_id.0),
            board_id: Some(board),
            subject: input.subject.trim(),
            body: input.body.trim(),
            tlp: tlp.code(),
        },
        now,
    )
    .await?;
    let reference = super::next_reference(&mut cx, CaseKind::Incident, now).await?;
    let mut case = IncidentCase::open(reference, vec![board], now);
    case.tlp = tlp;
    case.personal_data = personal(&input.personal_data);
    case.became_aware_at = aware;
    case.summary = input.body.trim().to_owned();
    case.exercise = input.exercise;
    let mut row = blank_row(
        "incident",
        &reference.to_string(),
        input.subject.trim(),
        now,
    );
    write_incident(&mut row, &case);
    row.nis2 = settings.nis2_entity;
    let case_id = cases::insert(&mut cx, &row, &[board]).await?;
    link_report(&mut cx, report_id, case_id, &who(actor), now).await?;
    let board_sharing = Sharing::with_board();
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::CaseOpened,
        Tlp::Amber,
        &board_sharing,
    )
    .await?;
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::ReportLinked {
            report: format!("#{report_id}"),
        },
        Tlp::Amber,
        &board_sharing,
    )
    .await?;
    // The report itself is the board's first message in the case.
    items::add_message(
        &mut cx,
        &items::NewMessage {
            case_id,
            parent_id: None,
            kind: "portal",
            direction: "inbound",
            author: &reporter,
            author_user_id: Some(actor.user_id.0),
            subject: input.subject.trim(),
            body: input.body.trim(),
            label: label(tlp.min(Tlp::AmberStrict), &board_sharing)?,
            email_message_id: None,
            sector_message_id: None,
        },
        now,
    )
    .await?;
    let stored = cases::get(&mut cx, schoolcert_domain::access::Scope::All, case_id).await?;
    let mut loaded = super::load_row(&mut cx, stored).await?;
    clocks::sync(&mut cx, &mut loaded, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "case",
            object_id: case_id,
            action: "create",
            changes: diff(None, Some(&loaded.row)),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(Opened {
        report_id,
        case_id,
        reference: reference.to_string(),
    })
}

pub(crate) async fn link_report(
    cx: &mut Cx,
    report_id: i64,
    case_id: i64,
    by: &str,
    now: Timestamp,
) -> AppResult<()> {
    let mut r = reports::get(cx, schoolcert_domain::access::Scope::All, report_id).await?;
    r.state = "linked".into();
    r.case_id = Some(case_id);
    r.decided_at = Some(now);
    r.decided_by = Some(by.to_owned());
    reports::decide(cx, &r).await?;
    Ok(())
}

/// An empty row to fill in.
pub(crate) fn blank_row(kind: &str, reference: &str, title: &str, now: Timestamp) -> CaseRow {
    CaseRow {
        id: 0,
        kind: kind.into(),
        reference: reference.into(),
        state: "new".into(),
        title: title.into(),
        summary: String::new(),
        taxonomy: None,
        rsit_type: None,
        severity: None,
        tlp: Tlp::AmberStrict.code().into(),
        personal_data: "unknown".into(),
        nis2: false,
        became_aware_at: None,
        role: None,
        assignee_user_id: None,
        outcome: None,
        exercise: false,
        school_ids: "[]".into(),
        status_token_hash: None,
        disclosure_deadline: None,
        cvd: None,
        opened_at: now,
        first_response_at: None,
        closed_at: None,
        updated_at: now,
    }
}

/// Report decisions for reports not (yet) in a case: link to a case, reject, or mark duplicate.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecideInput {
    /// `link`, `reject` or `duplicate`.
    pub decision: String,
    pub case_id: Option<i64>,
    pub duplicate_of: Option<i64>,
    pub reason: String,
}

pub async fn decide_report(
    app: &App,
    actor: &Actor,
    report_id: i64,
    d: &DecideInput,
) -> AppResult<()> {
    cert_only(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut r = reports::get(&mut cx, actor.scope(), report_id).await?;
    if r.state != "new" {
        return Err(AppError::conflict(
            "Over deze melding is al besloten.",
            "This report has been decided already.",
        ));
    }
    let reason = d.reason.trim();
    match d.decision.as_str() {
        "link" => {
            let case_id = d.case_id.ok_or_else(|| {
                AppError::invalid("case_id", Msg::new("Kies een zaak.", "Choose a case."))
            })?;
            let l = load(&mut cx, actor, case_id).await?;
            link_report(&mut cx, report_id, case_id, &who(actor), now).await?;
            timeline(
                &mut cx,
                l.row.id,
                now,
                &who(actor),
                &TimelineEvent::ReportLinked {
                    report: format!("#{report_id}"),
                },
                Tlp::Amber,
                &Sharing::internal(),
            )
            .await?;
            if !r.body.is_empty() {
                items::add_message(
                    &mut cx,
                    &items::NewMessage {
                        case_id,
                        parent_id: None,
                        kind: "email",
                        direction: "inbound",
                        author: &r.reporter,
                        author_user_id: None,
                        subject: &r.subject,
                        body: &r.body,
                        label: label(code_tlp(&r.tlp), &Sharing::internal())?,
                        email_message_id: None,
                        sector_message_id: None,
                    },
                    now,
                )
                .await?;
            }
        }
        "reject" | "duplicate" => {
            if reason.is_empty() {
                return Err(AppError::invalid(
                    "reason",
                    Msg::new("Geef een reden.", "Give a reason."),
                ));
            }
            r.state = if d.decision == "reject" {
                "rejected".into()
            } else {
                "duplicate".into()
            };
            if d.decision == "duplicate" {
                let dup = d.duplicate_of.ok_or_else(|| {
                    AppError::invalid(
                        "duplicate_of",
                        Msg::new("Kies de eerdere melding.", "Choose the earlier report."),
                    )
                })?;
                if dup == report_id {
                    return Err(AppError::invalid(
                        "duplicate_of",
                        Msg::new(
                            "Een melding is geen dubbel van zichzelf.",
                            "A report is not a duplicate of itself.",
                        ),
                    ));
                }
                reports::get(&mut cx, actor.scope(), dup).await?;
                r.duplicate_of = Some(dup);
            }
            r.reason = Some(reason.to_owned());
            r.decided_at = Some(now);
            r.decided_by = Some(who(actor));
            reports::decide(&mut cx, &r).await?;
        }
        _ => {
            return Err(AppError::invalid(
                "decision",
                Msg::new(
                    "Kies koppelen, afwijzen of dubbel.",
                    "Choose link, reject or duplicate.",
                ),
            ));
        }
    }
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: r.board_id.map(BoardId),
            object_type: "case_report",
            object_id: report_id,
            action: "decide",
            changes: Vec::new(),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

fn code_tlp(s: &str) -> Tlp {
    s.parse().unwrap_or(Tlp::AmberStrict)
}

/// Moves an incident to another state (checked by the pure rules); closing needs an outcome.
pub async fn transition(
    app: &App,
    actor: &Actor,
    case_id: i64,
    to: &str,
    outcome: Option<&str>,
) -> AppResult<()> {
    cert_only(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut l = load(&mut cx, actor, case_id).await?;
    if l.kind()? != CaseKind::Incident {
        return super::cvd::transition_in(&mut cx, app, actor, &mut l, to, outcome, None).await;
    }
    let mut case = incident_of(&l)?;
    let to: IncidentState = to
        .parse()
        .map_err(|_| AppError::invalid("state", Msg::new("Onbekende status.", "Unknown state.")))?;
    let outcome: Option<Outcome> = match outcome.map(str::trim).filter(|s| !s.is_empty()) {
        Some(o) => Some(o.parse().map_err(|_| {
            AppError::invalid(
                "outcome",
                Msg::new("Onbekende uitkomst.", "Unknown outcome."),
            )
        })?),
        None => None,
    };
    let t = incident::transition(case.state, to, outcome)
        .map_err(|e| AppError::invalid("state", Msg::of(&e)))?;
    let before = l.row.clone();
    case.apply(&t, now);
    write_incident(&mut l.row, &case);
    l.row.updated_at = now;
    cases::update(&mut cx, &l.row).await?;
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::StateChanged {
            from: t.from.code().into(),
            to: t.to.code().into(),
        },
        Tlp::Amber,
        &Sharing::with_board(),
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: l.boards.first().copied(),
            object_type: "case",
            object_id: case_id,
            action: "transition",
            changes: diff(Some(&before), Some(&l.row)),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// The fields the CERT edits during triage and later; empty strings leave a field alone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// `taxonomy/type`, e.g. `malicious-code/ransomware`.
    pub classification: Option<String>,
    pub severity: Option<String>,
    pub tlp: Option<String>,
    pub personal_data: Option<String>,
    pub became_aware_at: Option<String>,
    pub nis2: Option<bool>,
    pub exercise: Option<bool>,
    /// A CERT user id, or empty to unassign.
    pub assignee_user_id: Option<String>,
}

pub async fn update(app: &App, actor: &Actor, case_id: i64, input: &UpdateInput) -> AppResult<()> {
    cert_only(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut l = load(&mut cx, actor, case_id).await?;
    if l.kind()? != CaseKind::Incident {
        return Err(AppError::conflict(
            "Dit is geen incidentzaak.",
            "This is not an incident case.",
        ));
    }
    let mut case = incident_of(&l)?;
    let before = l.row.clone();
    let mut errs = Vec::new();
    if let Some(t) = input
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        l.row.title = t.to_owned();
    }
    if let Some(s) = &input.summary {
        case.summary = s.trim().to_owned();
    }
    if let Some(c) = input.classification.as_deref().map(str::trim) {
        if c.is_empty() {
            case.classification = None;
        } else {
            match c.split_once('/') {
                Some((tax, ty)) if rsit::is_valid_pair(tax, ty) => {
                    case.classification = Some(Classification {
                        taxonomy: tax.into(),
                        type_: ty.into(),
                    });
                }
                _ => errs.push(FieldError::new(
                    "classification",
                    Msg::new(
                        "Kies een RSIT-klasse en -type.",
                        "Choose an RSIT class and type.",
                    ),
                )),
            }
        }
    }
    if let Some(s) = input
        .severity
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match s.parse::<u8>().ok().and_then(Severity::from_level) {
            Some(sev) => case.severity = Some(sev),
            None => errs.push(FieldError::new(
                "severity",
                Msg::new(
                    "Kies een ernst van 1 tot 4.",
                    "Choose a severity from 1 to 4.",
                ),
            )),
        }
    }
    if let Some(t) = input.tlp.as_deref().filter(|t| !t.trim().is_empty()) {
        match form_tlp(t, "tlp", case.tlp) {
            Ok(t) => case.tlp = t,
            Err(AppError::Invalid(mut e)) => errs.append(&mut e),
            Err(e) => return Err(e),
        }
    }
    if let Some(p) = &input.personal_data {
        case.personal_data = personal(p);
    }
    if let Some(a) = &input.became_aware_at {
        if a.trim().is_empty() {
            case.became_aware_at = None;
        } else {
            match parse_moment(a) {
                Some(t) => case.became_aware_at = Some(t),
                None => errs.push(FieldError::new(
                    "became_aware_at",
                    Msg::new(
                        "Vul datum en tijd in, bijvoorbeeld 2026-11-20T09:30.",
                        "Enter date and time, for example 2026-11-20T09:30.",
                    ),
                )),
            }
        }
    }
    if let Some(n) = input.nis2 {
        l.row.nis2 = n;
    }
    if let Some(x) = input.exercise {
        case.exercise = x;
    }
    if let Some(a) = &input.assignee_user_id {
        case.assignee = match a.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) => {
                    let u = schoolcert_store::accounts::users::get(&mut cx, UserId(id))
                        .await
                        .ok()
                        .filter(|u| u.role.is_cert());
                    match u {
                        Some(u) => Some(u.id),
                        None => {
                            errs.push(FieldError::new(
                                "assignee_user_id",
                                Msg::new(
                                    "Kies een CERT-medewerker.",
                                    "Choose a CERT staff member.",
                                ),
                            ));
                            case.assignee
                        }
                    }
                }
                Err(_) => {
                    errs.push(FieldError::new(
                        "assignee_user_id",
                        Msg::new("Kies een CERT-medewerker.", "Choose a CERT staff member."),
                    ));
                    case.assignee
                }
            },
        };
    }
    for e in case.validate(now) {
        errs.push(FieldError::new(e.field, Msg::of(&e)));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    write_incident(&mut l.row, &case);
    l.row.updated_at = now;
    cases::update(&mut cx, &l.row).await?;
    clocks::sync(&mut cx, &mut l, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: l.boards.first().copied(),
            object_type: "case",
            object_id: case_id,
            action: "update",
            changes: diff(Some(&before), Some(&l.row)),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// Applies a playbook: its tasks are added and its advice becomes an internal note the analyst
/// can forward.
pub async fn apply_playbook(
    app: &App,
    actor: &Actor,
    case_id: i64,
    code: &str,
    lang: schoolcert_domain::Lang,
) -> AppResult<usize> {
    cert_only(actor)?;
    let now = app.now();
    let books = super::playbooks()?;
    let book = books.iter().find(|b| b.code == code).ok_or_else(|| {
        AppError::invalid(
            "playbook",
            Msg::new("Onbekend draaiboek.", "Unknown playbook."),
        )
    })?;
    let mut cx = app.db.write().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let tlp = l.tlp()?;
    let seeds = book.seed_tasks(now, lang);
    for s in &seeds {
        items::add_task(
            &mut cx,
            &NewTask {
                case_id,
                code: Some(&s.code),
                title: &s.title,
                description: &s.description,
                owner: match s.owner {
                    schoolcert_cases::task::TaskOwner::Cert => "cert",
                    schoolcert_cases::task::TaskOwner::Board => "board",
                },
                due_at: s.due_at,
                playbook: Some(&s.playbook),
                label: label(tlp.min(Tlp::Amber), &s.sharing)?,
            },
            now,
        )
        .await?;
    }
    let advice = book.advice_markdown(lang, tlp);
    if !advice.trim().is_empty() {
        items::add_message(
            &mut cx,
            &items::NewMessage {
                case_id,
                parent_id: None,
                kind: "note",
                direction: "internal",
                author: &who(actor),
                author_user_id: Some(actor.user_id.0),
                subject: book.title.get(lang),
                body: &advice,
                label: label(tlp, &Sharing::internal())?,
                email_message_id: None,
                sector_message_id: None,
            },
            now,
        )
        .await?;
    }
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::PlaybookApplied {
            playbook: book.title.get(lang).to_owned(),
        },
        tlp,
        &Sharing::internal(),
    )
    .await?;
    cx.commit().await?;
    Ok(seeds.len())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TaskInput {
    pub title: String,
    pub description: String,
    /// `cert` or `board`.
    pub owner: String,
    pub due_at: String,
    pub shared: bool,
}

pub async fn add_task(app: &App, actor: &Actor, case_id: i64, input: &TaskInput) -> AppResult<i64> {
    cert_only(actor)?;
    let now = app.now();
    if input.title.trim().is_empty() {
        return Err(AppError::invalid(
            "title",
            Msg::new("Geef de taak een titel.", "Give the task a title."),
        ));
    }
    let due = match input.due_at.trim() {
        "" => None,
        s => Some(parse_moment(s).ok_or_else(|| {
            AppError::invalid(
                "due_at",
                Msg::new(
                    "Vul een geldige datum en tijd in.",
                    "Enter a valid date and time.",
                ),
            )
        })?),
    };
    let mut cx = app.db.write().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let owner = if input.owner == "board" {
        "board"
    } else {
        "cert"
    };
    let sharing = if input.shared || owner == "board" {
        Sharing::with_board()
    } else {
        Sharing::internal()
    };
    let id = items::add_task(
        &mut cx,
        &NewTask {
            case_id,
            code: None,
            title: input.title.trim(),
            description: input.description.trim(),
            owner,
            due_at: due,
            playbook: None,
            label: label(l.tlp()?.min(Tlp::Amber), &sharing)?,
        },
        now,
    )
    .await?;
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::TaskAdded {
            title: input.title.trim().into(),
        },
        Tlp::Amber,
        &sharing,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// Ticks a task off (CERT staff, or the board for tasks it can see).
pub async fn complete_task(app: &App, actor: &Actor, task_id: i64, done: bool) -> AppResult<()> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let by = who(actor);
    let t = items::set_task_done(
        &mut cx,
        actor.scope(),
        task_id,
        done.then_some((now, by.as_str())),
    )
    .await?;
    if !actor.is_cert() && t.owner != "board" {
        return Err(AppError::NotFound);
    }
    if done {
        let sharing: Sharing = serde_json::from_str(&t.sharing).unwrap_or_default();
        timeline(
            &mut cx,
            t.case_id,
            now,
            &by,
            &TimelineEvent::TaskDone {
                title: t.title.clone(),
            },
            Tlp::Amber,
            &sharing,
        )
        .await?;
    }
    cx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ObservableInput {
    pub value: String,
    pub tlp: String,
    pub shared: bool,
    pub ioc: bool,
    pub note: String,
}

/// Adds an observable; IPs and domains are looked up in the registry (which board owns it).
pub async fn add_observable(
    app: &App,
    actor: &Actor,
    case_id: i64,
    input: &ObservableInput,
) -> AppResult<i64> {
    cert_only(actor)?;
    let now = app.now();
    let (kind, value) = parse_observable(&input.value, None)
        .map_err(|e| AppError::invalid("value", Msg::of(&e)))?;
    let tlp = form_tlp(&input.tlp, "tlp", Tlp::Amber)?;
    let index = app.index.fresh(&app.db).await?;
    let answer = match kind {
        schoolcert_cases::observable::ObservableKind::Ip => {
            value.parse().ok().map(|ip| index.lookup_ip(ip))
        }
        schoolcert_cases::observable::ObservableKind::Domain => Some(index.lookup_host(&value)),
        _ => None,
    };
    let mut cx = app.db.write().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let mut lookup = String::new();
    if let Some(a) = answer {
        let mut names = Vec::new();
        for h in &a.owners {
            let name = boards::get(&mut cx, actor.scope(), h.board_id)
                .await
                .map(|b| b.name)
                .unwrap_or_default();
            names.push(format!("{name} ({})", h.matched));
        }
        lookup = names.join("; ");
    }
    let sharing = if input.shared {
        Sharing::with_board()
    } else {
        Sharing::internal()
    };
    let id = items::add_observable(
        &mut cx,
        &NewObservable {
            case_id,
            kind: kind.code(),
            value: &value,
            ioc: input.ioc,
            note: input.note.trim(),
            lookup: &lookup,
            label: label(tlp, &sharing)?,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        schoolcert_store::StoreError::Duplicate(_) => AppError::invalid(
            "value",
            Msg::new(
                "Deze observable staat al in de zaak.",
                "This observable is already in the case.",
            ),
        ),
        other => other.into(),
    })?;
    timeline(
        &mut cx,
        l.row.id,
        now,
        &who(actor),
        &TimelineEvent::ObservableAdded {
            value: value.clone(),
        },
        tlp,
        &sharing,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// Limits for files uploaded into a case through the portal or the API.
pub fn upload_limits() -> AttachmentLimits {
    AttachmentLimits::default()
}

/// Stores an uploaded file in a case. A board's upload is shared with the board; the CERT
/// chooses.
#[allow(clippy::too_many_arguments)]
pub async fn upload(
    app: &App,
    actor: &Actor,
    case_id: i64,
    filename: &str,
    declared_type: Option<&str>,
    bytes: &[u8],
    tlp: &str,
    shared: bool,
) -> AppResult<i64> {
    let now = app.now();
    let info = check(
        Upload {
            filename,
            declared_type,
            bytes,
        },
        &upload_limits(),
    )
    .map_err(|e| AppError::invalid("file", Msg::of(&e)))?;
    let mut cx = app.db.write().await?;
    let l = load(&mut cx, actor, case_id).await?;
    let case_tlp = l.tlp()?;
    let tlp = form_tlp(tlp, "tlp", case_tlp.min(Tlp::AmberStrict))?;
    let sharing = if !actor.is_cert() || shared {
        Sharing::with_board()
    } else {
        Sharing::internal()
    };
    let id = store_attachment(
        &mut cx,
        case_id,
        None,
        &info,
        bytes,
        tlp,
        &sharing,
        &who(actor),
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn store_attachment(
    cx: &mut Cx,
    case_id: i64,
    message_id: Option<i64>,
    info: &schoolcert_cases::attachments::AttachmentInfo,
    bytes: &[u8],
    tlp: Tlp,
    sharing: &Sharing,
    by: &str,
    now: Timestamp,
) -> AppResult<i64> {
    let id = items::add_attachment(
        cx,
        &NewAttachment {
            case_id,
            message_id,
            filename: &info.filename,
            content_type: &info.content_type,
            sha256: &info.sha256,
            data: bytes,
            label: label(tlp, sharing)?,
            uploaded_by: by,
        },
        now,
    )
    .await?;
    timeline(
        cx,
        case_id,
        now,
        by,
        &TimelineEvent::FileUploaded {
            filename: info.filename.clone(),
            sha256: info.sha256.clone(),
        },
        tlp,
        sharing,
    )
    .await?;
    Ok(id)
}

/// A file from a case, if the actor may see it.
pub async fn download(
    app: &App,
    actor: &Actor,
    attachment_id: i64,
) -> AppResult<(items::AttachmentRow, Vec<u8>)> {
    let mut cx = app.db.read().await?;
    let (row, data) = items::attachment_data(&mut cx, actor.scope(), attachment_id).await?;
    let l = load(&mut cx, actor, row.case_id).await?;
    let viewer = schoolcert_cases::visibility::Viewer::from_actor(actor);
    if !super::visible(&viewer, &l.scope()?, &row.tlp, &row.sharing) {
        return Err(AppError::NotFound);
    }
    Ok((row, data))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PartyInput {
    pub name: String,
    /// `supplier`, `police`, `data_protection_authority`, …
    pub kind: String,
    pub security_email: String,
    pub phone: String,
    pub website: String,
    pub notes: String,
}

/// Adds a chain partner to the register.
pub async fn add_party(app: &App, actor: &Actor, input: &PartyInput) -> AppResult<i64> {
    cert_only(actor)?;
    let now = app.now();
    if input.name.trim().is_empty() {
        return Err(AppError::invalid(
            "name",
            Msg::new(
                "Geef de naam van de organisatie.",
                "Give the organisation's name.",
            ),
        ));
    }
    let kind = schoolcert_cases::party::PartyKind::ALL
        .into_iter()
        .find(|k| k.code() == input.kind.trim())
        .ok_or_else(|| {
            AppError::invalid(
                "kind",
                Msg::new("Kies het soort partij.", "Choose the kind of party."),
            )
        })?;
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let mut cx = app.db.write().await?;
    let id = parties::insert(
        &mut cx,
        &PartyRow {
            id: 0,
            name: input.name.trim().into(),
            kind: kind.code().into(),
            security_email: opt(&input.security_email),
            phone: opt(&input.phone),
            website: opt(&input.website),
            notes: input.notes.trim().into(),
            created_at: now,
        },
    )
    .await
    .map_err(|e| match e {
        schoolcert_store::StoreError::Duplicate(_) => AppError::invalid(
            "name",
            Msg::new(
                "Deze partij staat al in het register.",
                "This party is already registered.",
            ),
        ),
        other => other.into(),
    })?;
    cx.commit().await?;
    Ok(id)
}

/// Involves a party in a case, and optionally records what was shared with it.
pub async fn involve_party(
    app: &App,
    actor: &Actor,
    case_id: i64,
    party_id: i64,
    role: &str,
    shared_what: &str,
    tlp: &str,
) -> AppResult<()> {
    cert_only(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let l: Loaded = load(&mut cx, actor, case_id).await?;
    let p = parties::get(&mut cx, party_id).await?;
    parties::link(&mut cx, case_id, party_id, role.trim(), now).await?;
    timeline(
        &mut cx,
        case_id,
        now,
        &who(actor),
        &TimelineEvent::PartyAdded {
            party: p.name.clone(),
        },
        Tlp::Amber,
        &Sharing::internal(),
    )
    .await?;
    if !shared_what.trim().is_empty() {
        let tlp = form_tlp(tlp, "tlp", l.tlp()?)?;
        parties::add_share(
            &mut cx,
            case_id,
            party_id,
            shared_what.trim(),
            tlp.code(),
            &who(actor),
            now,
        )
        .await?;
        timeline(
            &mut cx,
            case_id,
            now,
            &who(actor),
            &TimelineEvent::SharedWithParty {
                party: p.name,
                what: shared_what.trim().into(),
            },
            tlp,
            &Sharing::internal(),
        )
        .await?;
    }
    cx.commit().await?;
    Ok(())
}

/// A board's case settings (which legal clocks apply to its cases).
pub async fn set_board_settings(
    app: &App,
    actor: &Actor,
    board: BoardId,
    s: &settings::BoardCaseSettings,
) -> AppResult<()> {
    crate::registry::in_scope(actor, board)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    boards::get(&mut cx, actor.scope(), board).await?;
    let before = settings::get(&mut cx, actor.scope(), board).await?;
    settings::put(&mut cx, board, s, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "board_case_settings",
            object_id: board.0,
            action: "update",
            changes: diff(Some(&before), Some(s)),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// Turns the pure crate's field errors into the app's.
pub(crate) fn field_errors(errs: Vec<schoolcert_cases::fields::FieldError>) -> AppError {
    AppError::Invalid(
        errs.iter()
            .map(|e| FieldError::new(e.field, Msg::of(e)))
            .collect(),
    )
}
