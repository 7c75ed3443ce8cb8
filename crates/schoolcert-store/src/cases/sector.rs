//! Sector incidents: one incident, a case per affected board, per-board confirmation of
//! measures, and the messages sent to all of them.

use chrono::{DateTime, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use serde::Serialize;

use crate::{Cx, StoreError, StoreResult, exec, on};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SectorRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub include_non_members: bool,
    pub exercise: bool,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    cx: &mut Cx,
    title: &str,
    description: &str,
    include_non_members: bool,
    exercise: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO sector_incidents (title, description, include_non_members, exercise, opened_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(title).bind(description).bind(include_non_members).bind(exercise).bind(now)
    .fetch_one(c)
    .await
    })?)
}

/// A sector incident; a board sees it only when one of its cases is linked.
pub async fn get(cx: &mut Cx, scope: Scope, id: i64) -> StoreResult<SectorRow> {
    on!(cx, |c| sqlx::query_as(
        "SELECT id, title, description, include_non_members, exercise, opened_at, closed_at FROM sector_incidents s
         WHERE id = $1 AND ($2 IS NULL OR EXISTS (SELECT 1 FROM sector_incident_cases l WHERE l.sector_id = s.id AND l.board_id = $2))"
    )
    .bind(id)
    .bind(scope.board_filter())
    .fetch_optional(c)
    .await)?
    .ok_or(StoreError::NotFound)
}

pub async fn list(cx: &mut Cx, scope: Scope) -> StoreResult<Vec<SectorRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT id, title, description, include_non_members, exercise, opened_at, closed_at FROM sector_incidents s
         WHERE ($1 IS NULL OR EXISTS (SELECT 1 FROM sector_incident_cases l WHERE l.sector_id = s.id AND l.board_id = $1)) ORDER BY opened_at DESC, id DESC"
    )
    .bind(scope.board_filter())
    .fetch_all(c)
    .await
    })?)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LinkRow {
    pub sector_id: i64,
    pub board_id: i64,
    pub board_name: String,
    pub case_id: i64,
    pub member: bool,
    pub measures_confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_by: Option<String>,
}

pub async fn link(
    cx: &mut Cx,
    sector_id: i64,
    board: BoardId,
    case_id: i64,
    member: bool,
) -> StoreResult<()> {
    exec!(cx, |c| {
        sqlx::query(
        "INSERT INTO sector_incident_cases (sector_id, board_id, case_id, member) VALUES ($1, $2, $3, $4)"
    )
    .bind(sector_id).bind(board.0).bind(case_id).bind(member)
    .execute(c)
    .await
    })?;
    Ok(())
}

/// The links of an incident; a board gets only its own row.
pub async fn links(cx: &mut Cx, scope: Scope, sector_id: i64) -> StoreResult<Vec<LinkRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT l.sector_id, l.board_id, b.name AS board_name, l.case_id, l.member, l.measures_confirmed_at, l.confirmed_by
         FROM sector_incident_cases l JOIN boards b ON b.id = l.board_id
         WHERE l.sector_id = $1 AND ($2 IS NULL OR l.board_id = $2) ORDER BY b.name, l.board_id"
    )
    .bind(sector_id)
    .bind(scope.board_filter())
    .fetch_all(c)
    .await
    })?)
}

/// The sector link of a case, if it belongs to a sector incident.
pub async fn link_of_case(cx: &mut Cx, case_id: i64) -> StoreResult<Option<LinkRow>> {
    Ok(on!(cx, |c| {
        sqlx::query_as(
        "SELECT l.sector_id, l.board_id, b.name AS board_name, l.case_id, l.member, l.measures_confirmed_at, l.confirmed_by
         FROM sector_incident_cases l JOIN boards b ON b.id = l.board_id WHERE l.case_id = $1"
    )
    .bind(case_id)
    .fetch_optional(c)
    .await
    })?)
}

pub async fn confirm(
    cx: &mut Cx,
    sector_id: i64,
    board: BoardId,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let n = exec!(cx, |c| {
        sqlx::query(
        "UPDATE sector_incident_cases SET measures_confirmed_at = $3, confirmed_by = $4 WHERE sector_id = $1 AND board_id = $2"
    )
    .bind(sector_id).bind(board.0).bind(now).bind(by)
    .execute(c)
    .await
    })?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn add_message(
    cx: &mut Cx,
    sector_id: i64,
    subject: &str,
    body: &str,
    tlp: &str,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on!(cx, |c| {
        sqlx::query_scalar(
        "INSERT INTO sector_messages (sector_id, subject, body, tlp, at, by_label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(sector_id).bind(subject).bind(body).bind(tlp).bind(now).bind(by)
    .fetch_one(c)
    .await
    })?)
}
