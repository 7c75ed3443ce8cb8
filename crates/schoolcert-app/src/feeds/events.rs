//! Reading events and notices: lists with filters for CERT analysts (all boards, unmatched
//! included) and board contacts (their own board only, by scope in SQL), one event, the
//! IntelMQ JSON-lines export and the CSV export of a board's events.

use schoolcert_domain::access::{Actor, Scope};
use schoolcert_feeds::digest::{DigestRow, write_csv};
use schoolcert_feeds::event::Event;
use schoolcert_store::feeds::events::{self, EventFilter, StoredEvent};
use schoolcert_store::feeds::{files, notices, pulls};
use schoolcert_store::{Page, PageRequest};

use super::FeedsConfig;
use super::stored::{events_of, intelmq_lines};
use crate::{App, AppError, AppResult, require_cert};

/// Events the actor may see, newest first.
pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &EventFilter,
    page: PageRequest,
) -> AppResult<Page<StoredEvent>> {
    let mut cx = app.db.read().await?;
    Ok(events::list(&mut cx, actor.scope(), filter, page).await?)
}

/// One event; another board's is `NotFound`.
pub async fn get(app: &App, actor: &Actor, id: i64) -> AppResult<StoredEvent> {
    let mut cx = app.db.read().await?;
    Ok(events::get(&mut cx, actor.scope(), id).await?)
}

/// Feed names for filter menus.
pub async fn feed_names(app: &App, actor: &Actor) -> AppResult<Vec<String>> {
    let mut cx = app.db.read().await?;
    Ok(events::feeds(&mut cx, actor.scope()).await?)
}

/// Notices the actor may see, newest first.
pub async fn notices(
    app: &App,
    actor: &Actor,
    board: Option<schoolcert_domain::BoardId>,
    page: PageRequest,
) -> AppResult<Page<notices::Notice>> {
    let mut cx = app.db.read().await?;
    Ok(notices::list(&mut cx, actor.scope(), board, page).await?)
}

pub async fn notice(app: &App, actor: &Actor, id: i64) -> AppResult<notices::Notice> {
    let mut cx = app.db.read().await?;
    Ok(notices::get(&mut cx, actor.scope(), id).await?)
}

/// Ingested files (CERT only: they hold every board's rows).
pub async fn files(
    app: &App,
    actor: &Actor,
    page: PageRequest,
) -> AppResult<Page<files::FeedFile>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(files::list(&mut cx, page).await?)
}

pub async fn file(app: &App, actor: &Actor, id: i64) -> AppResult<files::FeedFile> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(files::get(&mut cx, id).await?)
}

pub async fn recent_pulls(app: &App, actor: &Actor) -> AppResult<Vec<pulls::Pull>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(pulls::recent(&mut cx, 20).await?)
}

/// Streams the events in `scope` matching `filter` as IntelMQ JSON lines (the matched board in
/// `extra.schoolcert_board`), a page of rows at a time; `out` gets one line per event.
/// The command line passes `Scope::All`; web and API pass the actor's scope.
pub async fn export_intelmq(
    app: &App,
    scope: Scope,
    filter: &EventFilter,
    mut out: impl FnMut(&str) -> std::io::Result<()>,
) -> AppResult<u64> {
    let mut after = 0;
    let mut n = 0;
    loop {
        let rows = {
            let mut cx = app.db.read().await?;
            events::export_after(&mut cx, scope, filter, after, 2000).await?
        };
        let Some(last) = rows.last() else { break };
        after = last.id;
        for line in intelmq_lines(&app.config.feeds, &rows)
            .into_iter()
            .flatten()
        {
            out(&line).map_err(|e| AppError::Internal(e.to_string()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// The events of `rows` with their rows (rows that no longer parse are skipped and logged by
/// [`events_of`]).
pub fn parse_events<'r>(
    config: &FeedsConfig,
    rows: &'r [StoredEvent],
) -> Vec<(Event, &'r StoredEvent)> {
    events_of(config, rows)
        .into_iter()
        .zip(rows)
        .filter_map(|(e, r)| Some((e?, r)))
        .collect()
}

/// CSV of events (the digest attachment's columns).
pub fn events_csv(config: &FeedsConfig, rows: &[StoredEvent]) -> String {
    let parsed = parse_events(config, rows);
    let digest_rows: Vec<DigestRow<'_>> = parsed
        .iter()
        .map(|(e, r)| DigestRow {
            event: e,
            first_seen: r.first_seen,
            last_seen: r.last_seen,
            count: u32::try_from(r.count).unwrap_or(u32::MAX),
        })
        .collect();
    write_csv(&digest_rows)
}

/// The CSV export of the events the actor may see with `filter` (at most 100,000 rows).
pub async fn export_csv(app: &App, actor: &Actor, filter: &EventFilter) -> AppResult<String> {
    let mut rows = Vec::new();
    let mut after = 0;
    let mut cx = app.db.read().await?;
    while rows.len() < 100_000 {
        let page = events::export_after(&mut cx, actor.scope(), filter, after, 2000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        rows.extend(page);
    }
    Ok(events_csv(&app.config.feeds, &rows))
}
