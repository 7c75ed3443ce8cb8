//! Network assets: claiming (a pasted list, line by line), DNS verification of domains, CERT
//! approval and rejection, overlap conflicts between boards, and lookups.

use std::net::IpAddr;

use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::asset::domain::challenge_satisfied;
use schoolcert_domain::asset::{AssetKind, AssetStatus, AssetValue, parse_asset_list};
use schoolcert_domain::audit::{change, diff};
use schoolcert_domain::lookup::{Hit, Lookup, LookupIndex};
use schoolcert_domain::token::SecretToken;
use schoolcert_domain::{AssetId, BoardId};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::assets::{self, Asset, AssetFilter, NewAsset};
use schoolcert_store::registry::{boards, contacts};
use schoolcert_store::{Cx, Page, PageRequest, StoreError, changes};
use serde::Serialize;
use serde_json::json;

use super::in_scope;
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg, require_cert};

/// What happened to one entry of a pasted list.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLine {
    pub line: usize,
    pub input: String,
    pub outcome: ClaimOutcome,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ClaimOutcome {
    Added {
        asset_id: AssetId,
        value: String,
        status: AssetStatus,
        needs_approval: bool,
        overlaps_with: Vec<String>,
    },
    AlreadyClaimed {
        value: String,
    },
    Refused {
        message: Msg,
    },
}

impl ClaimLine {
    pub fn is_refused(&self) -> bool {
        matches!(self.outcome, ClaimOutcome::Refused { .. })
    }
}

/// Claims every valid entry of `text` for `board`; refused entries are explained and never
/// affect the others. Board contacts' claims wait for DNS proof or CERT approval; CERT staff
/// register assets as approved.
pub async fn claim_list(
    app: &App,
    actor: &Actor,
    board: BoardId,
    text: &str,
) -> AppResult<Vec<ClaimLine>> {
    in_scope(actor, board)?;
    let mut cx = app.db.write().await?;
    let lines = claim_in(&mut cx, app, By::Actor(actor), actor.is_cert(), board, text).await?;
    cx.commit().await?;
    Ok(lines)
}

/// The claiming itself, inside the caller's transaction.
pub async fn claim_in(
    cx: &mut Cx,
    app: &App,
    by: By<'_>,
    approved: bool,
    board: BoardId,
    text: &str,
) -> AppResult<Vec<ClaimLine>> {
    boards::get(cx, Scope::All, board).await?;
    let now = app.now();
    let claimed_by = match &by {
        By::Actor(a) => Some(a.user_id),
        By::System(_) => None,
    };
    let mut out = Vec::new();
    let mut any_active = false;
    for r in parse_asset_list(text) {
        let value = match r.outcome {
            Ok(v) => v,
            Err(e) => {
                out.push(ClaimLine {
                    line: r.line,
                    input: r.input,
                    outcome: ClaimOutcome::Refused {
                        message: Msg::of(&e),
                    },
                });
                continue;
            }
        };
        if assets::find(cx, board, &value).await?.is_some() {
            out.push(ClaimLine {
                line: r.line,
                input: r.input,
                outcome: ClaimOutcome::AlreadyClaimed {
                    value: value.to_string(),
                },
            });
            continue;
        }
        let status = if approved {
            AssetStatus::Approved
        } else {
            AssetStatus::Pending
        };
        let token = match (&value, approved) {
            (AssetValue::Domain(_), false) => {
                Some(SecretToken::generate("").map_err(|e| AppError::Internal(e.to_string()))?)
            }
            _ => None,
        };
        let evidence = if approved {
            "geregistreerd door het CERT"
        } else {
            ""
        };
        let id = assets::insert(
            cx,
            &NewAsset {
                board_id: board,
                value: &value,
                status,
                claimed_by,
                evidence,
                challenge_token: token.as_ref().map(|t| t.expose()),
            },
            approved.then_some(claimed_by).flatten(),
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => AppError::Internal("claimed twice in one list".into()),
            other => other.into(),
        })?;
        let overlaps: Vec<String> = assets::overlapping_claims(cx, board, &value)
            .await?
            .into_iter()
            .map(|a| format!("{} ({})", a.value, a.board_name))
            .collect();
        audit::record(
            cx,
            Record {
                by: by.clone(),
                board_id: Some(board),
                object_type: "asset",
                object_id: id.0,
                action: "claim",
                changes: vec![
                    change("value", serde_json::Value::Null, value.to_string()),
                    change("status", serde_json::Value::Null, status.code()),
                ],
            },
            now,
        )
        .await?;
        any_active |= approved;
        let needs_approval = !approved && value.kind() == AssetKind::Prefix;
        out.push(ClaimLine {
            line: r.line,
            input: r.input,
            outcome: ClaimOutcome::Added {
                asset_id: id,
                value: value.to_string(),
                status,
                needs_approval,
                overlaps_with: overlaps,
            },
        });
    }
    if any_active {
        changes::bump(cx, changes::ASSETS, now).await?;
    }
    Ok(out)
}

pub async fn get(app: &App, actor: &Actor, id: AssetId) -> AppResult<Asset> {
    let mut cx = app.db.read().await?;
    Ok(assets::get(&mut cx, actor.scope(), id).await?)
}

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &AssetFilter,
    page: PageRequest,
) -> AppResult<Page<Asset>> {
    let mut cx = app.db.read().await?;
    Ok(assets::list(&mut cx, actor.scope(), filter, page).await?)
}

/// Removes a claim (the board no longer uses it, or it was a mistake).
pub async fn withdraw(app: &App, actor: &Actor, id: AssetId) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    let a = assets::get(&mut cx, actor.scope(), id).await?;
    assets::delete(&mut cx, id).await?;
    let now = app.now();
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(a.board_id),
            object_type: "asset",
            object_id: id.0,
            action: "withdraw",
            changes: diff(Some(&a.fields()), None),
        },
        now,
    )
    .await?;
    changes::bump(&mut cx, changes::ASSETS, now).await?;
    cx.commit().await?;
    Ok(())
}

/// The outcome of checking a domain's DNS challenge.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyOutcome {
    pub verified: bool,
    pub looked_up: String,
    pub expected: String,
    pub found: Vec<String>,
}

/// Looks up `_schoolcert-challenge.<domain>`; with the expected TXT value the claim becomes
/// verified (and active in lookups) without waiting for the CERT.
pub async fn verify_domain(app: &App, actor: &Actor, id: AssetId) -> AppResult<VerifyOutcome> {
    let a = get(app, actor, id).await?;
    let (AssetKind::Domain, Some(token)) = (a.kind, a.challenge_token.clone()) else {
        return Err(AppError::conflict(
            "Alleen domeinnamen worden via DNS geverifieerd.",
            "Only domain names are verified through DNS.",
        ));
    };
    if a.status != AssetStatus::Pending {
        return Err(AppError::conflict(
            "Dit domein wacht niet (meer) op verificatie.",
            "This domain is not waiting for verification.",
        ));
    }
    let domain: schoolcert_domain::asset::DomainName = a
        .value
        .parse()
        .map_err(|_| AppError::Internal("stored domain invalid".into()))?;
    let name = domain.challenge_name();
    let found = app.dns.txt(&name).await.map_err(|e| {
        AppError::conflict(
            format!("De DNS-controle lukte niet ({e}). Probeer het later opnieuw."),
            format!("The DNS check failed ({e}). Please try again later."),
        )
    })?;
    let verified = challenge_satisfied(found.iter().map(String::as_str), &token);
    if verified {
        let now = app.now();
        let evidence = format!(
            "TXT-record op {name} gevonden op {}",
            schoolcert_domain::time::format_utc(now)
        );
        let mut cx = app.db.write().await?;
        assets::set_status(
            &mut cx,
            id,
            AssetStatus::Verified,
            None,
            None,
            Some(&evidence),
            now,
        )
        .await?;
        audit::record(
            &mut cx,
            Record {
                by: By::Actor(actor),
                board_id: Some(a.board_id),
                object_type: "asset",
                object_id: id.0,
                action: "verify",
                changes: vec![
                    change("status", a.status.code(), "verified"),
                    change("evidence", &a.evidence, &evidence),
                ],
            },
            now,
        )
        .await?;
        changes::bump(&mut cx, changes::ASSETS, now).await?;
        cx.commit().await?;
    }
    Ok(VerifyOutcome {
        verified,
        looked_up: name,
        expected: schoolcert_domain::asset::domain::challenge_value(&token),
        found,
    })
}

/// A CERT analyst approves or rejects a claim; the board's contacts hear of it.
pub async fn decide(
    app: &App,
    actor: &Actor,
    id: AssetId,
    approve: bool,
    reason: &str,
) -> AppResult<()> {
    require_cert(actor)?;
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            Msg::new(
                "Geef bij afwijzen een reden; het bestuur krijgt die te zien.",
                "Give a reason when rejecting; the board will see it.",
            ),
        ));
    }
    let status = if approve {
        AssetStatus::Approved
    } else {
        AssetStatus::Rejected
    };
    let now = app.now();
    let mut cx = app.db.write().await?;
    let a = assets::get(&mut cx, Scope::All, id).await?;
    assets::set_status(
        &mut cx,
        id,
        status,
        Some(actor.user_id),
        (!reason.is_empty()).then_some(reason),
        None,
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(a.board_id),
            object_type: "asset",
            object_id: id.0,
            action: if approve { "approve" } else { "reject" },
            changes: vec![
                change("status", a.status.code(), status.code()),
                change("decision_reason", &a.decision_reason, reason),
            ],
        },
        now,
    )
    .await?;
    changes::bump(&mut cx, changes::ASSETS, now).await?;
    let to = contacts::notification_addresses(&mut cx, a.board_id).await?;
    if !to.is_empty() {
        mail::queue(app, &mut cx, Outgoing {
            kind: "asset_decided", board_id: Some(a.board_id), to, template: "asset_decided", lang: schoolcert_domain::Lang::Nl,
            context: json!({ "board_name": a.board_name, "asset": a.value, "status": status.code(), "reason": reason, "link": app.config.link("/portaal/netwerk") }),
            attachments: vec![],
        }).await?;
    }
    cx.commit().await?;
    Ok(())
}

/// One pair of overlapping claims by two boards.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub a: ConflictSide,
    pub b: ConflictSide,
    pub accepted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictSide {
    pub asset_id: AssetId,
    pub board_id: BoardId,
    pub board_name: String,
    pub value: String,
    pub status: AssetStatus,
}

/// Every overlap between claims of different boards (pending ones included), for the CERT.
pub async fn conflicts(app: &App, actor: &Actor) -> AppResult<Vec<Conflict>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    let items = assets::all_live(&mut cx).await?;
    let live: Vec<&Asset> = items.iter().collect();
    let entries = live
        .iter()
        .filter_map(|a| schoolcert_domain::lookup::entry(a.id.0, a.board_id.0, &a.value));
    let accepted = assets::accepted_overlaps(&mut cx).await?;
    let index = LookupIndex::build(entries, accepted.iter().copied());
    let by_id: std::collections::HashMap<AssetId, &Asset> =
        live.iter().map(|a| (a.id, *a)).collect();
    let side = |h: &Hit| {
        by_id.get(&h.asset_id).map(|a| ConflictSide {
            asset_id: a.id,
            board_id: a.board_id,
            board_name: a.board_name.clone(),
            value: a.value.clone(),
            status: a.status,
        })
    };
    let mut out: Vec<Conflict> = index
        .overlapping_pairs()
        .iter()
        .filter_map(|(x, y)| {
            let (a, b) = (side(x)?, side(y)?);
            let key = if a.asset_id <= b.asset_id {
                (a.asset_id, b.asset_id)
            } else {
                (b.asset_id, a.asset_id)
            };
            Some(Conflict {
                accepted: accepted.contains(&key),
                a,
                b,
            })
        })
        .collect();
    out.sort_by_key(|c| (c.accepted, c.a.value.clone()));
    out.dedup_by_key(|c| (c.a.asset_id, c.b.asset_id));
    Ok(out)
}

/// Records that an overlap is intended (for instance a school's /24 inside its board's /16
/// held by another board); lookups stop flagging it.
pub async fn accept_overlap(
    app: &App,
    actor: &Actor,
    a: AssetId,
    b: AssetId,
    note: &str,
) -> AppResult<()> {
    require_cert(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let x = assets::get(&mut cx, Scope::All, a).await?;
    assets::get(&mut cx, Scope::All, b).await?;
    assets::accept_overlap(&mut cx, a, b, actor.user_id, note.trim(), now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(x.board_id),
            object_type: "asset",
            object_id: a.0,
            action: "accept_overlap",
            changes: vec![
                change("overlap_with", serde_json::Value::Null, b.0),
                change("note", serde_json::Value::Null, note.trim()),
            ],
        },
        now,
    )
    .await?;
    changes::bump(&mut cx, changes::ASSETS, now).await?;
    cx.commit().await?;
    Ok(())
}

/// A lookup answer with board names, as the API and CLI show it.
#[derive(Debug, Clone, Serialize)]
pub struct LookupAnswer {
    pub query: String,
    pub owners: Vec<Owner>,
    pub also_covered_by: Vec<Owner>,
    pub conflict: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Owner {
    pub board_id: BoardId,
    pub duo_number: String,
    pub board_name: String,
    pub asset_id: AssetId,
    pub matched: String,
}

/// Which board owns an address or host name. CERT staff see every answer; a board contact
/// only learns whether it is their own board's (other boards' registrations stay private).
pub async fn lookup(app: &App, actor: Option<&Actor>, query: &str) -> AppResult<LookupAnswer> {
    let q = query.trim();
    if q.is_empty() {
        return Err(AppError::invalid(
            "q",
            Msg::new(
                "Geef een IP-adres of hostnaam op.",
                "Give an IP address or host name.",
            ),
        ));
    }
    let index = app.index.fresh(&app.db).await?;
    let found: Lookup = match q.parse::<IpAddr>() {
        Ok(ip) => index.lookup_ip(ip),
        Err(_) => {
            if schoolcert_domain::asset::domain::normalise_host(q).is_none() {
                return Err(AppError::invalid(
                    "q",
                    Msg::new(
                        format!("'{q}' is geen IP-adres of hostnaam."),
                        format!("'{q}' is not an IP address or host name."),
                    ),
                ));
            }
            index.lookup_host(q)
        }
    };
    let scope = actor.map_or(Scope::All, Actor::scope);
    let mut cx = app.db.read().await?;
    let mut named = Vec::new();
    for h in found.owners.iter().chain(&found.also_covered_by) {
        if !scope.includes(h.board_id) {
            continue;
        }
        let b = boards::get(&mut cx, Scope::All, h.board_id).await?;
        named.push(Owner {
            board_id: h.board_id,
            duo_number: b.duo_number,
            board_name: b.name,
            asset_id: h.asset_id,
            matched: h.matched.clone(),
        });
    }
    let (owners, also): (Vec<Owner>, Vec<Owner>) = named
        .into_iter()
        .partition(|o| found.owners.iter().any(|h| h.asset_id == o.asset_id));
    let conflict = scope == Scope::All && found.conflict;
    Ok(LookupAnswer {
        query: q.to_owned(),
        owners,
        also_covered_by: also,
        conflict,
    })
}
