//! Per-board digests: for each board with events no notice carried yet, when its preferences
//! say a notice is due, one message to its contacts (Dutch text from the editable templates,
//! the events as a CSV attachment, the TLP label in the subject), queued in the outbox in the
//! same transaction that records the notice and links exactly the events it carried. A crash
//! after queueing leaves both or neither; an event can be in one notice only.

use schoolcert_domain::access::Scope;
use schoolcert_domain::{BoardId, Lang};
use schoolcert_feeds::digest::{DigestMeta, DigestRow, Explanations, Templates, render_digest};
use schoolcert_store::feeds::{events, notices};
use schoolcert_store::outbox::{self, Attachment, NewMail};
use schoolcert_store::registry::{boards, contacts};

use super::FeedsConfig;
use super::events::parse_events;
use super::preferences::load;
use crate::{App, AppError, AppResult};

/// Events per notice at most (the rest go in the next one).
const MAX_EVENTS_PER_NOTICE: i64 = 50_000;

/// The explanations: embedded, with the configured file's texts replacing or adding.
pub fn explanations(config: &FeedsConfig) -> AppResult<Explanations> {
    let base = Explanations::embedded().map_err(|e| AppError::Internal(e.to_string()))?;
    match &config.explanations_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
            let extra = Explanations::from_toml(&text)
                .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
            Ok(base.merged_with(extra))
        }
        None => Ok(base),
    }
}

/// The templates: embedded, with files from the configured directory replacing them.
pub fn templates(config: &FeedsConfig) -> AppResult<Templates> {
    let mut overrides = Vec::new();
    if let Some(dir) = &config.templates_dir {
        for name in ["subject", "body.nl", "body.en"] {
            let path = dir.join(format!("{name}.j2"));
            if let Ok(text) = std::fs::read_to_string(&path) {
                overrides.push((name.to_owned(), text));
            }
        }
    }
    Templates::with_overrides(overrides).map_err(|e| AppError::Internal(e.to_string()))
}

/// Sends every due digest; returns how many notices were queued.
pub async fn send_due(app: &App) -> AppResult<usize> {
    let boards = {
        let mut cx = app.db.read().await?;
        events::boards_with_unnotified(&mut cx).await?
    };
    if boards.is_empty() {
        return Ok(0);
    }
    let expl = explanations(&app.config.feeds)?;
    let tmpl = templates(&app.config.feeds)?;
    let mut n = 0;
    for board in boards {
        if digest_board(app, board, &expl, &tmpl).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// The digest of one board if one is due: returns the notice id.
pub async fn digest_board(
    app: &App,
    board_id: BoardId,
    expl: &Explanations,
    tmpl: &Templates,
) -> AppResult<Option<i64>> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let prefs = load(&mut cx, board_id).await?;
    let last = notices::last_at(&mut cx, board_id).await?;
    let pending = events::unnotified(&mut cx, board_id, MAX_EVENTS_PER_NOTICE).await?;
    let due: Vec<_> = pending
        .into_iter()
        .filter(|e| prefs.frequency_for(&e.class_type).is_due(last, now))
        .collect();
    if due.is_empty() {
        return Ok(None);
    }
    let to = contacts::notification_addresses(&mut cx, board_id).await?;
    if to.is_empty() {
        // Kept for later: the board has nobody to write to yet (the registry shows that).
        tracing::warn!(
            board = board_id.0,
            "feed events for a board without contacts"
        );
        return Ok(None);
    }
    let board = boards::get(&mut cx, Scope::All, board_id).await?;
    let parsed = parse_events(&app.config.feeds, &due);
    let rows: Vec<DigestRow<'_>> = parsed
        .iter()
        .map(|(e, r)| DigestRow {
            event: e,
            first_seen: r.first_seen,
            last_seen: r.last_seen,
            count: u32::try_from(r.count).unwrap_or(u32::MAX),
        })
        .collect();
    let period_start =
        last.unwrap_or_else(|| due.iter().map(|e| e.first_seen).min().unwrap_or(now));
    let meta = DigestMeta {
        cert_name: app.config.cert_name.clone(),
        board_name: board.name.clone(),
        contact_name: None,
        period_start,
        period_end: now,
        tlp: app.config.feeds.tlp,
        lang: Lang::Nl,
        max_items_per_group: app.config.feeds.digest_max_items.max(1),
    };
    let digest =
        render_digest(&meta, &rows, expl, tmpl).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut attachments = vec![Attachment {
        filename: digest.attachment_name.clone(),
        content_type: "text/csv; charset=utf-8".into(),
        data: digest.attachment_csv.clone().into_bytes(),
    }];
    if let Some(sig) = sign(app, &digest.body, now)? {
        attachments.push(Attachment {
            filename: "bericht.txt.asc".into(),
            content_type: "application/pgp-signature".into(),
            data: sig.into_bytes(),
        });
    }
    let mail = NewMail {
        kind: "feed_digest".into(),
        board_id: Some(board_id),
        to,
        subject: digest.subject.clone(),
        body_text: digest.body.clone(),
        attachments,
    };
    let message_id = crate::mail::message_id(app.config.mail_domain())?;
    let outbox_id = outbox::enqueue(&mut cx, &mail, &message_id, now).await?;
    // Only events that made it into the text/attachment are linked (all rows parsed from the
    // store's own JSON; a row that did not parse stays pending and is logged).
    let ids: Vec<i64> = parsed.iter().map(|(_, r)| r.id).collect();
    let notice = notices::insert(
        &mut cx,
        &notices::NewNotice {
            board_id,
            outbox_id,
            subject: &digest.subject,
            period_start,
            period_end: now,
        },
        &ids,
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(Some(notice))
}

/// A detached OpenPGP signature of the body when a CERT key is configured.
fn sign(app: &App, body: &str, now: schoolcert_domain::Timestamp) -> AppResult<Option<String>> {
    let Some(path) = &app.config.feeds.pgp_key_file else {
        return Ok(None);
    };
    let armored = std::fs::read_to_string(path)
        .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    let signer =
        schoolcert_vuln::openpgp::Signer::from_armored(&armored, &app.config.feeds.pgp_passphrase)
            .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
    signer
        .sign(body.as_bytes(), now)
        .map(Some)
        .map_err(|e| AppError::Internal(e.to_string()))
}
