//! Reminding boards of stale contacts: a contact unconfirmed for more than 180 days is flagged in
//! the portal, and the board's contacts get an e-mail about it at most once a month, so the
//! flag reaches people who do not log in.

use chrono::Duration;
use schoolcert_domain::registry::contact::CONFIRMATION_VALID_DAYS;
use schoolcert_domain::{BoardId, Lang};
use schoolcert_store::registry::{boards, contacts};
use serde_json::json;

use crate::mail::{self, Outgoing};
use crate::{App, AppResult};

/// How often a stale contact is mentioned again.
const REMIND_EVERY_DAYS: i64 = 30;

/// Sends the reminders that are due; returns how many boards were written to.
pub async fn send_contact_reminders(app: &App) -> AppResult<usize> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let due = contacts::due_for_reminder(
        &mut cx,
        now - Duration::days(CONFIRMATION_VALID_DAYS),
        now - Duration::days(REMIND_EVERY_DAYS),
    )
    .await?;
    let mut boards_written = 0;
    for group in due.chunk_by(|a, b| a.board_id == b.board_id) {
        let board_id: BoardId = group[0].board_id;
        let board = boards::get(&mut cx, schoolcert_domain::access::Scope::All, board_id).await?;
        let to = contacts::notification_addresses(&mut cx, board_id).await?;
        let stale: Vec<serde_json::Value> = group
            .iter()
            .map(|c| json!({ "name": c.name, "email": c.email, "since": schoolcert_domain::time::format_local_date(c.confirmed_at.unwrap_or(c.created_at), Lang::Nl) }))
            .collect();
        mail::queue(app, &mut cx, Outgoing {
            kind: "contacts_stale",
            board_id: Some(board_id),
            to,
            template: "contacts_stale",
            lang: Lang::Nl,
            context: json!({ "board_name": board.name, "contacts": stale, "link": app.config.link("/portaal/contacten") }),
            attachments: vec![],
        })
        .await?;
        for c in group {
            contacts::mark_reminded(&mut cx, c.id, now).await?;
        }
        boards_written += 1;
    }
    cx.commit().await?;
    Ok(boards_written)
}
