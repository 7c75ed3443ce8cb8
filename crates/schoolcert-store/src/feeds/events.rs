//! Stored events: one row per problem (feed, identifier, address, port, host) per window, with
//! `first_seen`, `last_seen` and `count`. Written in batches: one read of the batch's keys, then
//! the new rows (PostgreSQL: one binary `COPY`; SQLite: multi-row inserts) and the window
//! updates, all in the caller's transaction. A row keeps either the event's source record (to
//! be parsed again with its file's `source`) or its IntelMQ JSON.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use schoolcert_domain::access::Scope;
use schoolcert_domain::{AssetId, BoardId};
use serde::Serialize;

use super::ip_key;
use crate::pgcopy::BinaryRows;
use crate::{Backend, Cx, Page, PageRequest, Raw, StoreError, StoreResult, exec, on};

/// One event to store. `seen` is its observation time (`time.source`, else the report's time).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub key: [u8; 16],
    pub feed: String,
    pub taxonomy: String,
    pub class_type: String,
    pub identifier: String,
    pub source_ip: Option<IpAddr>,
    pub source_port: Option<u16>,
    pub host: String,
    pub board_id: Option<BoardId>,
    /// `ip`, `fqdn`, `url` or `none`.
    pub match_reason: &'static str,
    pub match_asset_id: Option<AssetId>,
    pub conflict: bool,
    pub seen: DateTime<Utc>,
    /// The event's source record (a Shadowserver row); with it, `event_json` is left empty.
    pub record: Option<String>,
    /// The event as IntelMQ JSON, for events without a source record.
    pub event_json: String,
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BatchOutcome {
    /// New rows.
    pub inserted: u64,
    /// Existing rows within the window: `last_seen`/`count` moved.
    pub updated: u64,
    /// Exactly this observation was stored before (a re-ingest): nothing changed.
    pub already: u64,
}

/// The window rule on stored rows (the same rule as the pure crate's `Window::decide`, kept
/// here as plain data so the store does not depend on the feeds crate).
#[derive(Debug, Clone, Copy)]
struct Span {
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    count: i64,
}

enum Decision {
    Insert,
    Update(Span),
    Already,
}

fn decide(window: Duration, s: Option<Span>, t: DateTime<Utc>) -> Decision {
    let Some(s) = s else {
        return Decision::Insert;
    };
    if t == s.first || t == s.last {
        return Decision::Already;
    }
    if t < s.first - window || t > s.last + window {
        return Decision::Insert;
    }
    Decision::Update(Span {
        first: s.first.min(t),
        last: s.last.max(t),
        count: s.count.saturating_add(1),
    })
}

/// Where a key's current row lives while a batch is decided.
#[derive(Clone, Copy)]
enum Target {
    Stored(i64, Span),
    Pending(usize),
}

/// Rows per multi-row INSERT on SQLite. Small statements: binding cost grows faster than
/// linearly with the number of parameters of one statement (measured: 1,000 rows of 17
/// parameters took a second, 50 rows a millisecond).
const SQLITE_ROWS_PER_INSERT: usize = 50;
/// Keys per `IN (...)` lookup on SQLite, for the same reason.
const SQLITE_KEYS_PER_QUERY: usize = 500;
/// Values of one stored row bound per row on SQLite; `file_id` and `created_at` are shared.
const ROW_BINDS: usize = 18;
/// Fields of one row in the PostgreSQL copy: the row's own and the two shared ones.
const COPY_COLUMNS: i16 = ROW_BINDS as i16 + 2;

/// Stores a batch with the window rule: an observation within `window` of an existing row for
/// its key updates that row; the same observation again changes nothing.
pub async fn store_batch(
    cx: &mut Cx,
    file_id: Option<i64>,
    window: Duration,
    batch: &[NewEvent],
    now: DateTime<Utc>,
) -> StoreResult<BatchOutcome> {
    let mut out = BatchOutcome::default();
    if batch.is_empty() {
        return Ok(out);
    }
    if let Raw::Postgres(c) = cx.raw() {
        // A batch lost to a crash right after its commit is stored again by the next ingest of
        // the file (it is only marked complete at the end, and rows are recognised by key), so
        // waiting for the WAL flush at each batch buys nothing.
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(c)
            .await?;
    }
    let mut targets: HashMap<[u8; 16], Target> = HashMap::with_capacity(batch.len());
    for (id, key, span) in existing(cx, batch).await? {
        // Keep the newest row of a key: only it can absorb a later observation.
        match targets.get(&key) {
            Some(Target::Stored(_, s)) if s.last >= span.last => {}
            _ => {
                targets.insert(key, Target::Stored(id, span));
            }
        }
    }
    let mut inserts: Vec<(&NewEvent, Span)> = Vec::new();
    let mut updates: HashMap<i64, Span> = HashMap::new();
    for ev in batch {
        let current = targets.get(&ev.key).copied();
        let span = match current {
            Some(Target::Stored(_, s)) => Some(s),
            Some(Target::Pending(i)) => inserts.get(i).map(|(_, s)| *s),
            None => None,
        };
        match decide(window, span, ev.seen) {
            Decision::Insert => {
                targets.insert(ev.key, Target::Pending(inserts.len()));
                inserts.push((
                    ev,
                    Span {
                        first: ev.seen,
                        last: ev.seen,
                        count: 1,
                    },
                ));
            }
            Decision::Update(s) => match current {
                Some(Target::Stored(id, _)) => {
                    targets.insert(ev.key, Target::Stored(id, s));
                    updates.insert(id, s);
                    out.updated += 1;
                }
                Some(Target::Pending(i)) => {
                    if let Some(p) = inserts.get_mut(i) {
                        p.1 = s;
                    }
                    out.updated += 1;
                }
                None => {}
            },
            Decision::Already => out.already += 1,
        }
    }
    out.inserted = inserts.len() as u64;
    insert_rows(cx, file_id, &inserts, now).await?;
    let mut updates: Vec<(i64, Span)> = updates.into_iter().collect();
    updates.sort_by_key(|(id, _)| *id);
    apply_spans(cx, &updates).await?;
    Ok(out)
}

type Existing = (i64, [u8; 16], Span);

async fn existing(cx: &mut Cx, batch: &[NewEvent]) -> StoreResult<Vec<Existing>> {
    let mut keys: Vec<Vec<u8>> = batch.iter().map(|e| e.key.to_vec()).collect();
    keys.sort_unstable();
    keys.dedup();
    type Row = (i64, Vec<u8>, DateTime<Utc>, DateTime<Utc>, i64);
    let rows: Vec<Row> = match cx.raw() {
        Raw::Postgres(c) => {
            sqlx::query_as(
                "SELECT id, dedup_key, first_seen, last_seen, count FROM feed_events WHERE dedup_key = ANY($1)",
            )
            .bind(&keys)
            .fetch_all(c)
            .await?
        }
        Raw::Sqlite(c) => {
            let mut rows = Vec::with_capacity(keys.len());
            for chunk in keys.chunks(SQLITE_KEYS_PER_QUERY) {
                let marks = (1..=chunk.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(",");
                let sql = format!(
                    "SELECT id, dedup_key, first_seen, last_seen, count FROM feed_events WHERE dedup_key IN ({marks})"
                );
                let mut q = sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql));
                for k in chunk {
                    q = q.bind(k);
                }
                rows.extend(q.fetch_all(&mut *c).await?);
            }
            rows
        }
    };
    rows.into_iter()
        .map(|(id, key, first, last, count)| {
            let key: [u8; 16] = key
                .try_into()
                .map_err(|_| StoreError::Corrupt(format!("feed_events {id}: dedup key")))?;
            Ok((id, key, Span { first, last, count }))
        })
        .collect()
}

async fn insert_rows(
    cx: &mut Cx,
    file_id: Option<i64>,
    rows: &[(&NewEvent, Span)],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    match cx.raw() {
        Raw::Postgres(c) => {
            let bytes: usize = rows
                .iter()
                .map(|(e, _)| 300 + e.event_json.len() + e.record.as_ref().map_or(0, String::len))
                .sum();
            let mut copy = BinaryRows::with_capacity(bytes);
            let mut ip_text = String::with_capacity(40);
            for (e, s) in rows {
                ip_text.clear();
                if let Some(a) = e.source_ip {
                    let _ = write!(ip_text, "{a}");
                }
                copy.row(COPY_COLUMNS)
                    .bytes(&e.key)
                    .text(&e.feed)
                    .text(&e.taxonomy)
                    .text(&e.class_type)
                    .text(&e.identifier);
                match e.source_ip {
                    Some(a) => copy.bytes(&ip_key(a)).text(&ip_text),
                    None => copy.null().null(),
                };
                copy.opt_int8(e.source_port.map(i64::from))
                    .text(&e.host)
                    .opt_int8(e.board_id.map(|b| b.0))
                    .text(e.match_reason)
                    .opt_int8(e.match_asset_id.map(|a| a.0))
                    .bool(e.conflict)
                    .timestamptz(s.first)
                    .timestamptz(s.last)
                    .int8(s.count)
                    .text(&e.event_json)
                    .opt_text(e.record.as_deref())
                    .opt_int8(file_id)
                    .timestamptz(now);
            }
            copy.send(
                c,
                "COPY feed_events (dedup_key, feed, taxonomy, class_type, identifier, source_ip, source_ip_text, source_port, host,
                 board_id, match_reason, match_asset_id, conflict, first_seen, last_seen, count, event_json, record, file_id, created_at)
                 FROM STDIN (FORMAT binary)",
            )
            .await?;
        }

        Raw::Sqlite(c) => {
            for chunk in rows.chunks(SQLITE_ROWS_PER_INSERT) {
                let mut sql = String::with_capacity(64 + chunk.len() * 100);
                sql.push_str(
                    "INSERT INTO feed_events (dedup_key, feed, taxonomy, class_type, identifier, source_ip, source_ip_text, source_port, host,
                     board_id, match_reason, match_asset_id, conflict, first_seen, last_seen, count, event_json, record, file_id, created_at) VALUES ",
                );
                // `?NNN` numbering: file_id and created_at are shared by every row.
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push(',');
                    }
                    let b = 3 + i * ROW_BINDS;
                    sql.push('(');
                    for j in 0..ROW_BINDS {
                        let _ = write!(sql, "?{},", b + j);
                    }
                    sql.push_str("?1,?2)");
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(file_id)
                    .bind(now);
                for (e, s) in chunk {
                    q = q
                        .bind(e.key.to_vec())
                        .bind(e.feed.as_str())
                        .bind(e.taxonomy.as_str())
                        .bind(e.class_type.as_str())
                        .bind(e.identifier.as_str())
                        .bind(e.source_ip.map(|a| ip_key(a).to_vec()))
                        .bind(e.source_ip.map(|a| a.to_string()))
                        .bind(e.source_port.map(i64::from))
                        .bind(e.host.as_str())
                        .bind(e.board_id.map(|b| b.0))
                        .bind(e.match_reason)
                        .bind(e.match_asset_id.map(|a| a.0))
                        .bind(e.conflict)
                        .bind(s.first)
                        .bind(s.last)
                        .bind(s.count)
                        .bind(e.event_json.as_str())
                        .bind(e.record.as_deref());
                }
                q.execute(&mut *c).await?;
            }
        }
    }
    Ok(())
}

async fn apply_spans(cx: &mut Cx, updates: &[(i64, Span)]) -> StoreResult<()> {
    if updates.is_empty() {
        return Ok(());
    }
    match cx.raw() {
        Raw::Postgres(c) => {
            let ids: Vec<i64> = updates.iter().map(|(i, _)| *i).collect();
            let first: Vec<DateTime<Utc>> = updates.iter().map(|(_, s)| s.first).collect();
            let last: Vec<DateTime<Utc>> = updates.iter().map(|(_, s)| s.last).collect();
            let count: Vec<i64> = updates.iter().map(|(_, s)| s.count).collect();
            sqlx::query(
                "UPDATE feed_events e SET first_seen = u.f, last_seen = u.l, count = u.n
                 FROM UNNEST($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::bigint[]) AS u(id, f, l, n) WHERE e.id = u.id",
            )
            .bind(ids)
            .bind(first)
            .bind(last)
            .bind(count)
            .execute(c)
            .await?;
        }
        Raw::Sqlite(c) => {
            for (id, s) in updates {
                sqlx::query(
                    "UPDATE feed_events SET first_seen = $2, last_seen = $3, count = $4 WHERE id = $1",
                )
                .bind(id)
                .bind(s.first)
                .bind(s.last)
                .bind(s.count)
                .execute(&mut *c)
                .await?;
            }
        }
    }
    Ok(())
}

/// A key repeated inside one file: its span and how many more times it was seen.
pub type Repeat = ([u8; 16], DateTime<Utc>, DateTime<Utc>, i64);

/// Keys per repeat update on PostgreSQL: one statement for a whole day's file. Each statement
/// joins its keys with the file's rows, so many small ones cost a pass each (measured: 95
/// statements of 1,000 keys took 15 s on a 105,000-row file, one statement well under one).
const PG_REPEATS_PER_UPDATE: usize = 200_000;

/// Folds repeats inside one file into the row its first occurrence created (the pure
/// deduplicator reports them at the end of the file): widens the span, adds `extra` to the count.
pub async fn apply_repeats(cx: &mut Cx, file_id: i64, repeats: &[Repeat]) -> StoreResult<u64> {
    if repeats.is_empty() {
        return Ok(0);
    }
    if let Raw::Postgres(c) = cx.raw() {
        let mut n = 0;
        for chunk in repeats.chunks(PG_REPEATS_PER_UPDATE) {
            n += pg_apply_repeats(c, file_id, chunk).await?;
        }
        return Ok(n);
    }
    let mut n = 0;
    for (key, first, last, extra) in repeats {
        n += exec!(cx, |c| {
            sqlx::query(
                "UPDATE feed_events SET first_seen = CASE WHEN first_seen < $3 THEN first_seen ELSE $3 END,
                 last_seen = CASE WHEN last_seen > $4 THEN last_seen ELSE $4 END, count = count + $5
                 WHERE dedup_key = $1 AND file_id = $2",
            )
            .bind(key.to_vec()).bind(file_id).bind(first).bind(last).bind(extra)
            .execute(c).await
        })?;
    }
    Ok(n)
}

async fn pg_apply_repeats(
    c: &mut sqlx::PgConnection,
    file_id: i64,
    repeats: &[Repeat],
) -> StoreResult<u64> {
    let keys: Vec<Vec<u8>> = repeats.iter().map(|r| r.0.to_vec()).collect();
    let first: Vec<DateTime<Utc>> = repeats.iter().map(|r| r.1).collect();
    let last: Vec<DateTime<Utc>> = repeats.iter().map(|r| r.2).collect();
    let extra: Vec<i64> = repeats.iter().map(|r| r.3).collect();
    let n = sqlx::query(
        "UPDATE feed_events e SET first_seen = LEAST(e.first_seen, u.f), last_seen = GREATEST(e.last_seen, u.l), count = e.count + u.n
         FROM UNNEST($1::bytea[], $2::timestamptz[], $3::timestamptz[], $4::bigint[]) AS u(k, f, l, n)
         WHERE e.dedup_key = u.k AND e.file_id = $5",
    )
    .bind(keys)
    .bind(first)
    .bind(last)
    .bind(extra)
    .bind(file_id)
    .execute(c)
    .await?;
    Ok(n.rows_affected())
}

/// A stored event as lists, pages and exports show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: i64,
    pub feed: String,
    pub taxonomy: String,
    pub class_type: String,
    pub identifier: String,
    pub source_ip_text: Option<String>,
    pub source_port: Option<i64>,
    pub host: String,
    pub board_id: Option<i64>,
    pub board_name: Option<String>,
    pub board_duo: Option<String>,
    pub match_reason: String,
    pub match_asset_id: Option<i64>,
    pub match_asset: Option<String>,
    pub conflict: bool,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub count: i64,
    /// The IntelMQ JSON of an event stored without its source record, else empty.
    pub event_json: String,
    /// The source record of the event, to be parsed again with `file_source`.
    pub record: Option<String>,
    /// The `source` of the event's file (how to parse `record` again).
    pub file_source: Option<String>,
    pub file_id: Option<i64>,
    pub notice_id: Option<i64>,
}

const SELECT: &str = "SELECT e.id, e.feed, e.taxonomy, e.class_type, e.identifier, e.source_ip_text, e.source_port, e.host,
    e.board_id, b.name AS board_name, b.duo_number AS board_duo, e.match_reason, e.match_asset_id, a.value AS match_asset,
    e.conflict, e.first_seen, e.last_seen, e.count, e.event_json, e.record, f.source AS file_source, e.file_id, ne.notice_id
    FROM feed_events e LEFT JOIN boards b ON b.id = e.board_id LEFT JOIN assets a ON a.id = e.match_asset_id
    LEFT JOIN feed_notice_events ne ON ne.event_id = e.id LEFT JOIN feed_files f ON f.id = e.file_id";

/// Filters of the event lists and the export.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub feed: Option<String>,
    /// `classification.type`.
    pub class_type: Option<String>,
    pub board_id: Option<BoardId>,
    /// Only events last seen at or after this.
    pub since: Option<DateTime<Utc>>,
    /// `Some(true)`: only matched; `Some(false)`: only unmatched (CERT only, by scope).
    pub matched: Option<bool>,
    /// Address (exact, or the start of one), host or identifier contains.
    pub q: Option<String>,
    pub notice_id: Option<i64>,
}

// $1 scope, $2 feed, $3 type, $4 board, $5 since, $6 matched, $7 q, $8 ip key, $9 notice.
const WHERE: &str = "WHERE ($1 IS NULL OR e.board_id = $1) AND ($2 IS NULL OR e.feed = $2) AND ($3 IS NULL OR e.class_type = $3)
    AND ($4 IS NULL OR e.board_id = $4) AND ($5 IS NULL OR e.last_seen >= $5)
    AND ($6 IS NULL OR ($6 = 1 AND e.board_id IS NOT NULL) OR ($6 = 0 AND e.board_id IS NULL))
    AND ($7 IS NULL OR e.host LIKE $7 OR e.identifier LIKE $7 OR e.source_ip_text LIKE $7 OR e.source_ip = $8)
    AND ($9 IS NULL OR ne.notice_id = $9)";

struct Binds {
    scope: Option<i64>,
    feed: Option<String>,
    ty: Option<String>,
    board: Option<i64>,
    since: Option<DateTime<Utc>>,
    matched: Option<i64>,
    q: Option<String>,
    ip: Option<Vec<u8>>,
    notice: Option<i64>,
}

fn binds(scope: Scope, f: &EventFilter) -> Binds {
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_lowercase());
    let ip = q
        .as_deref()
        .and_then(|s| s.parse::<IpAddr>().ok())
        .map(|a| ip_key(a).to_vec());
    let like = q.map(|s| {
        let e = s
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{e}%")
    });
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    Binds {
        scope: scope.board_filter(),
        feed: nonempty(&f.feed),
        ty: nonempty(&f.class_type),
        board: f.board_id.map(|b| b.0),
        since: f.since,
        matched: f.matched.map(i64::from),
        q: like,
        ip,
        notice: f.notice_id,
    }
}

macro_rules! bind_filter {
    ($q:expr, $b:expr) => {
        $q.bind($b.scope)
            .bind(&$b.feed)
            .bind(&$b.ty)
            .bind($b.board)
            .bind($b.since)
            .bind($b.matched)
            .bind(&$b.q)
            .bind(&$b.ip)
            .bind($b.notice)
    };
}

/// Newest first, with the total.
pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    f: &EventFilter,
    page: PageRequest,
) -> StoreResult<Page<StoredEvent>> {
    let b = binds(scope, f);
    let like = like_escape(cx.backend());
    let count_sql = format!(
        "SELECT COUNT(*) FROM feed_events e LEFT JOIN feed_notice_events ne ON ne.event_id = e.id {}",
        WHERE.replace("LIKE $7", &format!("LIKE $7 {like}"))
    );
    let total: i64 = on!(cx, |c| bind_filter!(
        sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str())),
        b
    )
    .fetch_one(c)
    .await)?;
    let sql = format!(
        "{SELECT} {} ORDER BY e.last_seen DESC, e.id DESC LIMIT $10 OFFSET $11",
        WHERE.replace("LIKE $7", &format!("LIKE $7 {like}"))
    );
    let items = on!(cx, |c| bind_filter!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
        b
    )
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(c)
    .await)?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

fn like_escape(_b: Backend) -> &'static str {
    "ESCAPE '\\'"
}

/// Oldest first after `after_id`, for streaming exports in pages of `limit`.
pub async fn export_after(
    cx: &mut Cx,
    scope: Scope,
    f: &EventFilter,
    after_id: i64,
    limit: i64,
) -> StoreResult<Vec<StoredEvent>> {
    let b = binds(scope, f);
    let like = like_escape(cx.backend());
    let sql = format!(
        "{SELECT} {} AND e.id > $10 ORDER BY e.id LIMIT $11",
        WHERE.replace("LIKE $7", &format!("LIKE $7 {like}"))
    );
    Ok(on!(cx, |c| bind_filter!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
        b
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// One event; out of scope is `NotFound`.
pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<StoredEvent> {
    let sql = format!("{SELECT} WHERE e.id = $1 AND ($2 IS NULL OR e.board_id = $2)");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// A board's events that no notice carried yet, oldest first.
pub async fn unnotified(cx: &mut Cx, board: BoardId, limit: i64) -> StoreResult<Vec<StoredEvent>> {
    let sql = format!(
        "{SELECT} WHERE e.board_id = $1 AND ne.notice_id IS NULL ORDER BY e.first_seen, e.id LIMIT $2"
    );
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(board.0)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// Boards with events no notice carried yet.
pub async fn boards_with_unnotified(cx: &mut Cx) -> StoreResult<Vec<BoardId>> {
    let ids: Vec<i64> = on!(cx, |c| {
        sqlx::query_scalar(
        "SELECT DISTINCT e.board_id FROM feed_events e LEFT JOIN feed_notice_events ne ON ne.event_id = e.id
         WHERE e.board_id IS NOT NULL AND ne.notice_id IS NULL ORDER BY e.board_id"
    )
    .fetch_all(c)
    .await
    })?;
    Ok(ids.into_iter().map(BoardId).collect())
}

/// Deletes events last seen before `before` (retention); notice links go with them.
pub async fn purge(cx: &mut Cx, before: DateTime<Utc>) -> StoreResult<u64> {
    exec!(cx, |c| {
        sqlx::query(
        "DELETE FROM feed_notice_events WHERE event_id IN (SELECT id FROM feed_events WHERE last_seen < $1)"
    )
    .bind(before)
    .execute(c)
    .await
    })?;
    Ok(exec!(cx, |c| sqlx::query(
        "DELETE FROM feed_events WHERE last_seen < $1"
    )
    .bind(before)
    .execute(c)
    .await)?)
}

/// Distinct feed names, for filter menus.
pub async fn feeds(cx: &mut Cx, scope: Scope) -> StoreResult<Vec<String>> {
    Ok(on!(cx, |c| sqlx::query_scalar(
        "SELECT DISTINCT feed FROM feed_events WHERE ($1 IS NULL OR board_id = $1) ORDER BY feed"
    )
    .bind(scope.board_filter())
    .fetch_all(c)
    .await)?)
}
