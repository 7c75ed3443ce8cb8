//! Network assets: claims on prefixes and domains, their status, the active set the lookup
//! index is built from, overlap candidates, and overlaps a CERT analyst accepted.

use chrono::{DateTime, Utc};
use schoolcert_domain::access::Scope;
use schoolcert_domain::asset::{AssetKind, AssetStatus, AssetValue};
use schoolcert_domain::lookup::IndexEntry;
use schoolcert_domain::{AssetId, BoardId, UserId};
use serde::Serialize;

use super::{contains_pattern, parse_col};
use crate::{Cx, Page, PageRequest, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asset {
    pub id: AssetId,
    pub board_id: BoardId,
    pub board_name: String,
    pub kind: AssetKind,
    pub value: String,
    pub status: AssetStatus,
    pub large: bool,
    pub claimed_by: Option<UserId>,
    pub claimed_at: DateTime<Utc>,
    pub evidence: String,
    pub challenge_token: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
}

/// The audited view of an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetFields {
    pub kind: String,
    pub value: String,
    pub status: String,
    pub evidence: String,
    pub decision_reason: Option<String>,
}

impl Asset {
    pub fn fields(&self) -> AssetFields {
        AssetFields {
            kind: self.kind.code().to_owned(),
            value: self.value.clone(),
            status: self.status.code().to_owned(),
            evidence: self.evidence.clone(),
            decision_reason: self.decision_reason.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    board_id: i64,
    board_name: String,
    kind: String,
    value: String,
    status: String,
    large: bool,
    claimed_by: Option<i64>,
    claimed_at: DateTime<Utc>,
    evidence: String,
    challenge_token: Option<String>,
    verified_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
    decision_reason: Option<String>,
}

impl TryFrom<Row> for Asset {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Asset> {
        Ok(Asset {
            id: AssetId(r.id),
            board_id: BoardId(r.board_id),
            board_name: r.board_name,
            kind: parse_col(&r.kind, "assets.kind")?,
            value: r.value,
            status: parse_col(&r.status, "assets.status")?,
            large: r.large,
            claimed_by: r.claimed_by.map(UserId),
            claimed_at: r.claimed_at,
            evidence: r.evidence,
            challenge_token: r.challenge_token,
            verified_at: r.verified_at,
            decided_at: r.decided_at,
            decision_reason: r.decision_reason,
        })
    }
}

const SELECT: &str = "SELECT a.id, a.board_id, b.name AS board_name, a.kind, a.value, a.status, a.large, a.claimed_by, a.claimed_at,
    a.evidence, a.challenge_token, a.verified_at, a.decided_at, a.decision_reason FROM assets a JOIN boards b ON b.id = a.board_id";

pub struct NewAsset<'a> {
    pub board_id: BoardId,
    pub value: &'a AssetValue,
    pub status: AssetStatus,
    pub claimed_by: Option<UserId>,
    pub evidence: &'a str,
    pub challenge_token: Option<&'a str>,
}

/// Claims an asset. A second claim on the same value by the same board is `Duplicate`.
pub async fn insert(
    cx: &mut Cx,
    a: &NewAsset<'_>,
    decided_by: Option<UserId>,
    now: DateTime<Utc>,
) -> StoreResult<AssetId> {
    let (start, end, len, large) = match a.value {
        AssetValue::Prefix(p) => {
            let (s, e) = p.range_keys();
            (
                Some(s.to_vec()),
                Some(e.to_vec()),
                Some(i32::from(p.prefix_len())),
                p.is_large(),
            )
        }
        AssetValue::Domain(_) => (None, None, None, false),
    };
    let decided_at =
        matches!(a.status, AssetStatus::Approved | AssetStatus::Rejected).then_some(now);
    let verified_at = (a.status == AssetStatus::Verified).then_some(now);
    let id: i64 = on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO assets (board_id, kind, value, range_start, range_end, prefix_len, status, large, claimed_by, claimed_at,
         evidence, challenge_token, verified_at, decided_by, decided_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $10, $10) RETURNING id"
    )
    .bind(a.board_id.0).bind(a.value.kind().code()).bind(a.value.to_string()).bind(start).bind(end).bind(len)
    .bind(a.status.code()).bind(large).bind(a.claimed_by.map(|u| u.0)).bind(now).bind(a.evidence)
    .bind(a.challenge_token).bind(verified_at).bind(decided_by.map(|u| u.0)).bind(decided_at)
    .fetch_one(c).await
    })?;
    Ok(AssetId(id))
}

pub async fn get(cx: &mut Cx, scope: Scope, id: AssetId) -> StoreResult<Asset> {
    let sql = format!("{SELECT} WHERE a.id = $1 AND ($2 IS NULL OR a.board_id = $2)");
    let row: Row = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id.0)
        .bind(scope.board_filter())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    row.try_into()
}

pub async fn find(cx: &mut Cx, board: BoardId, value: &AssetValue) -> StoreResult<Option<Asset>> {
    let sql = format!("{SELECT} WHERE a.board_id = $1 AND a.kind = $2 AND a.value = $3");
    let row: Option<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(board.0)
        .bind(value.kind().code())
        .bind(value.to_string())
        .fetch_optional(c)
        .await)?;
    row.map(Asset::try_from).transpose()
}

#[derive(Debug, Clone, Default)]
pub struct AssetFilter {
    pub board_id: Option<BoardId>,
    pub status: Option<AssetStatus>,
    pub kind: Option<AssetKind>,
    pub q: Option<String>,
}

pub async fn list(
    cx: &mut Cx,
    scope: Scope,
    f: &AssetFilter,
    page: PageRequest,
) -> StoreResult<Page<Asset>> {
    let q =
        f.q.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("%{}%", s.trim().to_lowercase()));
    const WHERE: &str = "WHERE ($1 IS NULL OR a.board_id = $1) AND ($2 IS NULL OR a.board_id = $2) AND ($3 IS NULL OR a.status = $3)
        AND ($4 IS NULL OR a.kind = $4) AND ($5 IS NULL OR a.value LIKE $5 OR b.search_key LIKE $6 ESCAPE '\\')";
    let qk = f.q.as_deref().map(contains_pattern);
    let (st, kind) = (f.status.map(|s| s.code()), f.kind.map(|k| k.code()));
    let count_sql =
        format!("SELECT COUNT(*) FROM assets a JOIN boards b ON b.id = a.board_id {WHERE}");
    let total: i64 = on!(cx, |c| sqlx::query_scalar(sqlx::AssertSqlSafe(
        count_sql.as_str()
    ))
    .bind(scope.board_filter())
    .bind(f.board_id.map(|b| b.0))
    .bind(st)
    .bind(kind)
    .bind(&q)
    .bind(&qk)
    .fetch_one(c)
    .await)?;
    let sql =
        format!("{SELECT} {WHERE} ORDER BY b.name, a.kind DESC, a.value, a.id LIMIT $7 OFFSET $8");
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(scope.board_filter())
        .bind(f.board_id.map(|b| b.0))
        .bind(st)
        .bind(kind)
        .bind(&q)
        .bind(&qk)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(c)
        .await)?;
    let items = rows
        .into_iter()
        .map(Asset::try_from)
        .collect::<StoreResult<_>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub async fn of_board(cx: &mut Cx, scope: Scope, board: BoardId) -> StoreResult<Vec<Asset>> {
    let sql = format!(
        "{SELECT} WHERE a.board_id = $1 AND ($2 IS NULL OR a.board_id = $2) ORDER BY a.kind DESC, a.value"
    );
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(board.0)
        .bind(scope.board_filter())
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(Asset::try_from).collect()
}

/// Sets the status; `by` is the analyst for approve/reject, `None` for DNS verification.
pub async fn set_status(
    cx: &mut Cx,
    id: AssetId,
    status: AssetStatus,
    by: Option<UserId>,
    reason: Option<&str>,
    evidence: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let verified_at = (status == AssetStatus::Verified).then_some(now);
    let decided_at = matches!(status, AssetStatus::Approved | AssetStatus::Rejected).then_some(now);
    exec!(cx, |c| {
        sqlx::query(
        "UPDATE assets SET status = $2, verified_at = COALESCE($3, verified_at), decided_at = COALESCE($4, decided_at),
         decided_by = COALESCE($5, decided_by), decision_reason = COALESCE($6, decision_reason),
         evidence = COALESCE($7, evidence), updated_at = $8 WHERE id = $1"
    ).bind(id.0).bind(status.code()).bind(verified_at).bind(decided_at).bind(by.map(|u| u.0)).bind(reason).bind(evidence).bind(now)
    .execute(c).await
    })?;
    Ok(())
}

pub async fn delete(cx: &mut Cx, id: AssetId) -> StoreResult<()> {
    exec!(cx, |c| sqlx::query(
        "DELETE FROM accepted_overlaps WHERE asset_a = $1 OR asset_b = $1"
    )
    .bind(id.0)
    .execute(c)
    .await)?;
    exec!(cx, |c| sqlx::query("DELETE FROM assets WHERE id = $1")
        .bind(id.0)
        .execute(c)
        .await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ActiveRow {
    id: i64,
    board_id: i64,
    kind: String,
    value: String,
}

/// Every verified or approved asset of a board that is not suspended or gone: what the lookup
/// index answers from. Values that no longer validate are skipped with a warning.
pub async fn active_entries(cx: &mut Cx) -> StoreResult<Vec<IndexEntry>> {
    let rows: Vec<ActiveRow> = on!(cx, |c| {
        sqlx::query_as(
        "SELECT a.id, a.board_id, a.kind, a.value FROM assets a JOIN boards b ON b.id = a.board_id
         WHERE a.status IN ('verified','approved') AND b.status IN ('applying','active')"
    ).fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let value = match r.kind.as_str() {
                "prefix" => r.value.parse().ok().map(AssetValue::Prefix),
                _ => r.value.parse().ok().map(AssetValue::Domain),
            };
            if value.is_none() {
                tracing::warn!(
                    asset_id = r.id,
                    "stored asset no longer validates; left out of the lookup index"
                );
            }
            value.map(|value| IndexEntry {
                asset_id: AssetId(r.id),
                board_id: BoardId(r.board_id),
                value,
            })
        })
        .collect())
}

/// Other boards' non-rejected claims that overlap a prefix (by 16-byte range keys) or that
/// are the same domain, a parent or a subdomain of it.
pub async fn overlapping_claims(
    cx: &mut Cx,
    board: BoardId,
    value: &AssetValue,
) -> StoreResult<Vec<Asset>> {
    match value {
        AssetValue::Prefix(p) => {
            let (s, e) = p.range_keys();
            let sql = format!(
                "{SELECT} WHERE a.kind = 'prefix' AND a.board_id <> $1 AND a.status <> 'rejected' AND a.range_start <= $3 AND a.range_end >= $2"
            );
            let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(board.0)
                .bind(s.to_vec())
                .bind(e.to_vec())
                .fetch_all(c)
                .await)?;
            rows.into_iter().map(Asset::try_from).collect()
        }
        AssetValue::Domain(d) => {
            let name = d.as_str();
            let mut parents = Vec::new();
            let mut rest = name;
            while let Some(i) = rest.find('.') {
                parents.push(rest.to_owned());
                rest = &rest[i + 1..];
            }
            let sub = format!("%.{name}");
            let sql = format!(
                "{SELECT} WHERE a.kind = 'domain' AND a.board_id <> $1 AND a.status <> 'rejected' AND (a.value IN (SELECT value FROM json_each($2)) OR a.value LIKE $3)"
            );
            let sql = if cx.backend() == crate::Backend::Postgres {
                sql.replace(
                    "SELECT value FROM json_each($2)",
                    "SELECT jsonb_array_elements_text($2)",
                )
            } else {
                sql
            };
            let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(board.0)
                .bind(sqlx::types::Json(&parents))
                .bind(&sub)
                .fetch_all(c)
                .await)?;
            rows.into_iter().map(Asset::try_from).collect()
        }
    }
}

pub async fn accept_overlap(
    cx: &mut Cx,
    a: AssetId,
    b: AssetId,
    by: UserId,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO accepted_overlaps (asset_a, asset_b, accepted_by, accepted_at, note) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (asset_a, asset_b) DO NOTHING"
    ).bind(lo.0).bind(hi.0).bind(by.0).bind(now).bind(note).execute(c).await
    })?;
    Ok(())
}

pub async fn accepted_overlaps(cx: &mut Cx) -> StoreResult<Vec<(AssetId, AssetId)>> {
    let rows: Vec<(i64, i64)> = on!(cx, |c| sqlx::query_as(
        "SELECT asset_a, asset_b FROM accepted_overlaps"
    )
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(a, b)| (AssetId(a), AssetId(b)))
        .collect())
}

pub async fn count_by_status(cx: &mut Cx) -> StoreResult<Vec<(String, i64)>> {
    Ok(on!(cx, |c| sqlx::query_as(
        "SELECT status, COUNT(*) FROM assets GROUP BY status ORDER BY status"
    )
    .fetch_all(c)
    .await)?)
}

/// Every claim that is not rejected, for the conflict list.
pub async fn all_live(cx: &mut Cx) -> StoreResult<Vec<Asset>> {
    let sql = format!("{SELECT} WHERE a.status <> 'rejected' ORDER BY a.id");
    let rows: Vec<Row> = on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(Asset::try_from).collect()
}
