//! The register of chain partners (suppliers, police, AP, NCSC, insurers) and which of them are
//! involved in a case, with a record of what was shared with each.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PartyRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub security_email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, name, kind, security_email, phone, website, notes, created_at";

pub async fn insert(cx: &mut Cx, p: &PartyRow) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO parties (name, kind, security_email, phone, website, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(&p.name).bind(&p.kind).bind(&p.security_email).bind(&p.phone).bind(&p.website).bind(&p.notes).bind(p.created_at)
    .fetch_one(c)
    .await
    })?)
}

pub async fn get(cx: &mut Cx, id: i64) -> StoreResult<PartyRow> {
    let sql = format!("SELECT {COLUMNS} FROM parties WHERE id = $1");
    on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

pub async fn list(cx: &mut Cx) -> StoreResult<Vec<PartyRow>> {
    let sql = format!("SELECT {COLUMNS} FROM parties ORDER BY name, id");
    Ok(on!(cx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .fetch_all(c)
    .await)?)
}

/// A party involved in a case.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CasePartyRow {
    pub party_id: i64,
    pub name: String,
    pub kind: String,
    pub role: String,
    pub added_at: DateTime<Utc>,
}

pub async fn link(
    cx: &mut Cx,
    case_id: i64,
    party_id: i64,
    role: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO case_parties (case_id, party_id, role, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, party_id) DO UPDATE SET role = $3"
    )
    .bind(case_id).bind(party_id).bind(role).bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn of_case(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<CasePartyRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT p.id AS party_id, p.name, p.kind, cp.role, cp.added_at FROM case_parties cp JOIN parties p ON p.id = cp.party_id
         WHERE cp.case_id = $1 ORDER BY p.name"
    )
    .bind(case_id)
    .fetch_all(c)
    .await
    })?)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ShareRow {
    pub id: i64,
    pub party_id: i64,
    pub what: String,
    pub tlp: String,
    pub at: DateTime<Utc>,
    pub by_label: String,
}

pub async fn add_share(
    cx: &mut Cx,
    case_id: i64,
    party_id: i64,
    what: &str,
    tlp: &str,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO case_party_shares (case_id, party_id, what, tlp, at, by_label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(case_id).bind(party_id).bind(what).bind(tlp).bind(now).bind(by)
    .fetch_one(c)
    .await
    })?)
}

pub async fn shares(cx: &mut Cx, case_id: i64) -> StoreResult<Vec<ShareRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, party_id, what, tlp, at, by_label FROM case_party_shares WHERE case_id = $1 ORDER BY at, id"
    )
    .bind(case_id)
    .fetch_all(c)
    .await
    })?)
}
