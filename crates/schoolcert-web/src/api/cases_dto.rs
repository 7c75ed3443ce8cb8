//! Request and response shapes of the case endpoints, separate from storage and use-case types
//! so the published contract only changes on purpose. Times are RFC 3339 in UTC.

use chrono::{DateTime, Utc};
use schoolcert_app::cases::cvd::{IntakeFile, IntakeInput, ReporterStatusPage};
use schoolcert_app::cases::messages::{Ingested, MessageInput};
use schoolcert_app::cases::view::{CaseDetail, Queue};
use schoolcert_app::cases::{clocks, incidents, sector};
use schoolcert_app::{AppError, Msg};
use schoolcert_domain::Lang;
use schoolcert_store::Page;
use schoolcert_store::cases::obligations::DeadlineRow;
use schoolcert_store::cases::records::CaseListItem;
use schoolcert_store::cases::reports::ReportRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CaseSummaryDto {
    pub id: i64,
    /// `incident` or `cvd`.
    pub kind: String,
    /// `INC-2026-0042`, `CVD-2026-0007`.
    pub reference: String,
    pub state: String,
    pub title: String,
    pub class: Option<String>,
    /// 1 (low) to 4 (critical).
    pub severity: Option<i64>,
    pub tlp: String,
    pub exercise: bool,
    pub opened_at: DateTime<Utc>,
    pub next_deadline: Option<DateTime<Utc>>,
}

impl From<CaseListItem> for CaseSummaryDto {
    fn from(c: CaseListItem) -> Self {
        CaseSummaryDto {
            id: c.id,
            kind: c.kind,
            reference: c.reference,
            state: c.state,
            title: c.title,
            class: c.taxonomy,
            severity: c.severity,
            tlp: c.tlp,
            exercise: c.exercise,
            opened_at: c.opened_at,
            next_deadline: c.next_deadline,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummaryDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl CasePage {
    pub fn of(p: Page<CaseListItem>) -> Self {
        CasePage {
            page: p.page,
            per_page: p.per_page,
            total: p.total,
            items: p.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ReportBody {
    pub subject: String,
    pub body: String,
    /// CERT staff only: the board concerned.
    pub board_id: Option<i64>,
    /// `yes`, `no` or `unknown`.
    pub personal_data: String,
    /// When the board became aware (RFC 3339); the legal clocks start here.
    pub became_aware_at: String,
    pub tlp: String,
    pub exercise: bool,
}

impl From<ReportBody> for incidents::ReportInput {
    fn from(b: ReportBody) -> Self {
        incidents::ReportInput {
            subject: b.subject,
            body: b.body,
            board_id: b.board_id,
            channel: "phone".into(),
            reporter: String::new(),
            personal_data: b.personal_data,
            became_aware_at: b.became_aware_at,
            tlp: b.tlp,
            exercise: b.exercise,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OpenedDto {
    pub case_id: i64,
    pub report_id: i64,
    pub reference: String,
}

#[derive(Serialize, ToSchema)]
pub struct IdDto {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CountDto {
    pub count: usize,
}

#[derive(Deserialize, ToSchema)]
pub struct StateBody {
    pub state: String,
    /// Incidents, when closing: `resolved`, `no_incident`, `referred`, `abandoned`.
    pub outcome: Option<String>,
    /// CVD rejections: why.
    pub reason: Option<String>,
    /// CVD duplicates: the original case.
    pub duplicate_of: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct FieldsBody {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// `taxonomy/type`, e.g. `fraud/phishing`.
    pub classification: Option<String>,
    pub severity: Option<String>,
    pub tlp: Option<String>,
    pub personal_data: Option<String>,
    pub became_aware_at: Option<String>,
    pub nis2: Option<bool>,
    pub exercise: Option<bool>,
    pub assignee_user_id: Option<String>,
}

impl From<FieldsBody> for incidents::UpdateInput {
    fn from(b: FieldsBody) -> Self {
        incidents::UpdateInput {
            title: b.title,
            summary: b.summary,
            classification: b.classification,
            severity: b.severity,
            tlp: b.tlp,
            personal_data: b.personal_data,
            became_aware_at: b.became_aware_at,
            nis2: b.nis2,
            exercise: b.exercise,
            assignee_user_id: b.assignee_user_id,
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MessageBody {
    pub subject: String,
    pub body: String,
    /// CERT staff: share with (and mail to) the board; otherwise an internal note.
    pub shared: bool,
    /// CERT staff, CVD: share with (and mail to) the reporter.
    pub to_reporter: bool,
    pub tlp: String,
    /// TLP:RED: name the case's boards as the only recipients.
    pub name_board: bool,
}

impl From<MessageBody> for MessageInput {
    fn from(b: MessageBody) -> Self {
        MessageInput {
            subject: b.subject,
            body: b.body,
            shared: b.shared,
            to_reporter: b.to_reporter,
            tlp: b.tlp,
            name_board: b.name_board,
            parent_id: None,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UploadBody {
    pub filename: String,
    pub content_type: Option<String>,
    pub content_base64: String,
    pub tlp: Option<String>,
    /// CERT staff: share with the board.
    pub shared: Option<bool>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ConfirmBody {
    /// When it was done (RFC 3339); default now.
    pub met_at: String,
    /// The regulator's reference.
    pub reference: String,
    /// Required when done after the deadline.
    pub late_reason: String,
    /// Mark as not needed, with this reason.
    pub waive_reason: String,
}

impl From<ConfirmBody> for clocks::ConfirmInput {
    fn from(b: ConfirmBody) -> Self {
        clocks::ConfirmInput {
            met_at: b.met_at,
            reference: b.reference,
            late_reason: b.late_reason,
            waive_reason: b.waive_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    pub id: i64,
    /// `inbound`, `outbound` or `internal` (CERT only).
    pub direction: String,
    pub author: String,
    pub at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
    pub tlp: String,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub tlp: String,
}

#[derive(Serialize, ToSchema)]
pub struct TaskDto {
    pub id: i64,
    pub title: String,
    /// `cert` or `board`.
    pub owner: String,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ObservableDto {
    pub id: i64,
    pub kind: String,
    pub value: String,
    pub tlp: String,
    pub lookup: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClockDto {
    pub code: String,
    pub name: String,
    pub recipient: String,
    pub due_at: Option<DateTime<Utc>>,
    /// `pending`, `due_soon`, `overdue`, `met`, `met_late`, `waived`, …
    pub status: String,
    pub remaining: Option<String>,
    pub met_at: Option<DateTime<Utc>>,
    /// The draft document for this obligation, if any (`/cases/{id}/drafts/{kind}` on the pages).
    pub draft: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TimelineDto {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseDetailDto {
    pub id: i64,
    pub kind: String,
    pub reference: String,
    pub state: String,
    pub title: String,
    pub summary: String,
    pub class: Option<String>,
    pub rsit_type: Option<String>,
    pub severity: Option<i64>,
    pub tlp: String,
    pub personal_data: String,
    pub became_aware_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub exercise: bool,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub disclosure_deadline: Option<DateTime<Utc>>,
    pub board_ids: Vec<i64>,
    pub messages: Vec<MessageDto>,
    pub attachments: Vec<AttachmentDto>,
    pub tasks: Vec<TaskDto>,
    pub observables: Vec<ObservableDto>,
    pub clocks: Vec<ClockDto>,
    pub timeline: Vec<TimelineDto>,
    /// CVD: what was reported (for a board without the reporter's identity unless agreed).
    pub vulnerability: Option<VulnerabilityDto>,
    pub next_states: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VulnerabilityDto {
    pub what: String,
    pub targets: Vec<String>,
    pub reproduce: String,
    pub impact: String,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub remediation_confirmed_at: Option<DateTime<Utc>>,
}

impl CaseDetailDto {
    pub fn of(d: CaseDetail, lang: Lang) -> Self {
        let vulnerability = match (&d.cvd, &d.cvd_board) {
            (Some(c), _) => Some(VulnerabilityDto {
                what: c.what.clone(),
                targets: c.targets.iter().map(|t| t.as_text()).collect(),
                reproduce: c.reproduce.clone(),
                impact: c.impact.clone(),
                reporter_name: Some(c.reporter.name.clone()),
                reporter_email: c.reporter.email.as_ref().map(|e| e.as_str().to_owned()),
                remediation_confirmed_at: c.remediation_confirmed_at,
            }),
            (None, Some(b)) => Some(VulnerabilityDto {
                what: b.what.clone(),
                targets: b.targets.clone(),
                reproduce: b.reproduce.clone(),
                impact: b.impact.clone(),
                reporter_name: b.reporter_name.clone(),
                reporter_email: b.reporter_email.clone(),
                remediation_confirmed_at: b.remediation_confirmed_at,
            }),
            _ => None,
        };
        let c = d.case;
        CaseDetailDto {
            id: c.id,
            kind: c.kind,
            reference: c.reference,
            state: c.state,
            title: c.title,
            summary: c.summary,
            class: c.taxonomy,
            rsit_type: c.rsit_type,
            severity: c.severity,
            tlp: c.tlp,
            personal_data: c.personal_data,
            became_aware_at: c.became_aware_at,
            outcome: c.outcome,
            exercise: c.exercise,
            opened_at: c.opened_at,
            closed_at: c.closed_at,
            disclosure_deadline: c.disclosure_deadline,
            board_ids: d.boards.iter().map(|b| b.0).collect(),
            messages: d
                .messages
                .into_iter()
                .map(|m| MessageDto {
                    id: m.id,
                    direction: m.direction,
                    author: m.author,
                    at: m.at,
                    subject: m.subject,
                    body: m.body,
                    tlp: m.tlp,
                })
                .collect(),
            attachments: d
                .attachments
                .into_iter()
                .map(|a| AttachmentDto {
                    id: a.id,
                    filename: a.filename,
                    content_type: a.content_type,
                    size: a.size,
                    sha256: a.sha256,
                    tlp: a.tlp,
                })
                .collect(),
            tasks: d
                .tasks
                .into_iter()
                .map(|t| TaskDto {
                    id: t.id,
                    title: t.title,
                    owner: t.owner,
                    due_at: t.due_at,
                    done_at: t.done_at,
                })
                .collect(),
            observables: d
                .observables
                .into_iter()
                .map(|o| ObservableDto {
                    id: o.id,
                    kind: o.kind,
                    value: o.value,
                    tlp: o.tlp,
                    lookup: o.lookup,
                })
                .collect(),
            clocks: d
                .clocks
                .into_iter()
                .map(|v| ClockDto {
                    remaining: v.remaining_text(lang),
                    code: v.code,
                    name: v.name.get(lang).to_owned(),
                    recipient: v.recipient_name.get(lang).to_owned(),
                    due_at: v.due_at,
                    status: v.status.code().to_owned(),
                    met_at: v.met_at,
                    draft: v.draft,
                })
                .collect(),
            timeline: d
                .timeline
                .into_iter()
                .map(|t| TimelineDto {
                    at: t.at,
                    actor: t.actor,
                    text: t.text,
                })
                .collect(),
            vulnerability,
            next_states: d.next_states,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    pub id: i64,
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub reporter: String,
    pub subject: String,
    pub body: String,
}

impl From<ReportRow> for ReportDto {
    fn from(r: ReportRow) -> Self {
        ReportDto {
            id: r.id,
            channel: r.channel,
            received_at: r.received_at,
            reporter: r.reporter,
            subject: r.subject,
            body: r.body,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QueueDto {
    pub reports: Vec<ReportDto>,
    pub new_cases: Vec<CaseSummaryDto>,
}

impl QueueDto {
    pub fn of(q: Queue) -> Self {
        QueueDto {
            reports: q.reports.into_iter().map(Into::into).collect(),
            new_cases: q.new_cases.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineDto {
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub exercise: bool,
    pub obligation: String,
    pub due_at: Option<DateTime<Utc>>,
}

impl From<DeadlineRow> for DeadlineDto {
    fn from(d: DeadlineRow) -> Self {
        DeadlineDto {
            case_id: d.case_id,
            reference: d.reference,
            title: d.title,
            exercise: d.exercise,
            obligation: d.code,
            due_at: d.due_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IngestedDto {
    /// `case`, `report` or `duplicate`.
    pub result: String,
    pub case_id: Option<i64>,
    pub report_id: Option<i64>,
}

impl From<Ingested> for IngestedDto {
    fn from(i: Ingested) -> Self {
        match i {
            Ingested::Case { case_id, .. } => IngestedDto {
                result: "case".into(),
                case_id: Some(case_id),
                report_id: None,
            },
            Ingested::Duplicate { case_id } => IngestedDto {
                result: "duplicate".into(),
                case_id: Some(case_id),
                report_id: None,
            },
            Ingested::Report { report_id } => IngestedDto {
                result: "report".into(),
                case_id: None,
                report_id: Some(report_id),
            },
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SectorBody {
    pub title: String,
    pub description: String,
    pub board_ids: Vec<i64>,
    pub include_non_members: bool,
    pub classification: String,
    pub tlp: String,
    pub exercise: bool,
}

impl From<SectorBody> for sector::SectorInput {
    fn from(b: SectorBody) -> Self {
        sector::SectorInput {
            title: b.title,
            description: b.description,
            board_ids: b.board_ids,
            include_non_members: b.include_non_members,
            classification: b.classification,
            tlp: b.tlp,
            exercise: b.exercise,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct SectorMessageBody {
    pub subject: String,
    pub body: String,
    pub tlp: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SectorLinkDto {
    pub board_id: i64,
    pub board_name: String,
    pub case_id: i64,
    pub member: bool,
    pub measures_confirmed_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct SectorDto {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub exercise: bool,
    pub opened_at: DateTime<Utc>,
    /// A board sees only its own row.
    pub links: Vec<SectorLinkDto>,
}

impl From<sector::SectorView> for SectorDto {
    fn from(v: sector::SectorView) -> Self {
        SectorDto {
            id: v.incident.id,
            title: v.incident.title,
            description: v.incident.description,
            exercise: v.incident.exercise,
            opened_at: v.incident.opened_at,
            links: v
                .links
                .into_iter()
                .map(|l| SectorLinkDto {
                    board_id: l.board_id,
                    board_name: l.board_name,
                    case_id: l.case_id,
                    member: l.member,
                    measures_confirmed_at: l.measures_confirmed_at,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MetricsDto {
    /// `schoolcert_cases::metrics::QuarterlyMetrics`: period, totals, per_month (counts by
    /// class, severity, sector), exercises_excluded, time_to_first_response, time_to_close,
    /// cvd_by_state, cvd_deadline and legal_deadlines adherence.
    #[schema(value_type = Object)]
    pub metrics: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct ChallengeDto {
    pub challenge: String,
    pub difficulty: u8,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CvdFileBody {
    pub filename: String,
    pub content_type: Option<String>,
    pub content_base64: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CvdReportBody {
    pub what: String,
    /// URLs, host names or IP addresses.
    pub location: String,
    pub reproduce: String,
    pub impact: String,
    pub reporter_name: String,
    pub contact_email: String,
    pub credit_consent: bool,
    pub share_identity_with_board: bool,
    pub challenge: String,
    pub counter: String,
    pub files: Vec<CvdFileBody>,
}

impl CvdReportBody {
    pub fn into_input(self, lang: Lang) -> Result<IntakeInput, AppError> {
        let mut files = Vec::new();
        for f in self.files {
            let bytes = data_encoding::BASE64
                .decode(f.content_base64.trim().as_bytes())
                .map_err(|_| {
                    AppError::invalid(
                        "files",
                        Msg::new(
                            "Een bestand is geen geldige base64.",
                            "A file is not valid base64.",
                        ),
                    )
                })?;
            files.push(IntakeFile {
                filename: f.filename,
                content_type: f.content_type,
                bytes,
            });
        }
        Ok(IntakeInput {
            what: self.what,
            location: self.location,
            reproduce: self.reproduce,
            impact: self.impact,
            reporter_name: self.reporter_name,
            contact_email: self.contact_email,
            credit_consent: self.credit_consent,
            share_identity_with_board: self.share_identity_with_board,
            honeypot: String::new(),
            pow_challenge: self.challenge,
            pow_counter: self.counter,
            lang,
            files,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct CvdSubmittedDto {
    pub reference: String,
    /// The secret status link: keep it, it is shown once.
    pub status_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct CvdStatusDto {
    pub reference: String,
    /// `received`, `in_progress`, `not_accepted`, `resolved`, `disclosed`, `closed`.
    pub status: String,
    pub explanation: String,
    pub received_at: DateTime<Utc>,
    pub targets: Vec<String>,
    pub disclosure_deadline: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    /// Only when the CERT chose to share it.
    pub board_name: Option<String>,
    pub messages: Vec<MessageDto>,
}

impl From<ReporterStatusPage> for CvdStatusDto {
    fn from(s: ReporterStatusPage) -> Self {
        CvdStatusDto {
            reference: s.view.reference.to_string(),
            status: s.view.status.code().to_owned(),
            explanation: s.explanation,
            received_at: s.view.received_at,
            targets: s.view.targets,
            disclosure_deadline: s.view.disclosure_deadline,
            decision_reason: s.view.decision_reason,
            board_name: s.view.board_name,
            messages: s
                .messages
                .into_iter()
                .map(|m| MessageDto {
                    id: m.id,
                    direction: m.direction,
                    author: m.author,
                    at: m.at,
                    subject: m.subject,
                    body: m.body,
                    tlp: m.tlp,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct BodyOnly {
    pub body: String,
}
