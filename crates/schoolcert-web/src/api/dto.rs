//! The API's request and response shapes, separate from storage types so the published
//! contract only changes on purpose. Times are RFC 3339 in UTC.

use chrono::{DateTime, Utc};
use schoolcert_app::registry::assets::{ClaimLine, ClaimOutcome, LookupAnswer, Owner};
use schoolcert_app::registry::boards::ContactView;
use schoolcert_store::Page;
use schoolcert_store::audit::AuditEntry;
use schoolcert_store::registry::assets::Asset;
use schoolcert_store::registry::boards::{Board, BoardSummary};
use schoolcert_store::registry::schools::{School, SchoolRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BoardDto {
    pub id: i64,
    pub duo_number: String,
    pub name: String,
    /// `po`, `vo` or `po,vo`.
    pub sectors: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub kvk_number: Option<String>,
    pub rio_id: Option<String>,
    /// DUO's website entry: a candidate domain, not a registered asset.
    pub website: Option<String>,
    /// `registered`, `applying`, `active`, `suspended` or `left`.
    pub status: String,
    pub joined_at: Option<DateTime<Utc>>,
    pub in_duo: bool,
}

impl From<Board> for BoardDto {
    fn from(b: Board) -> Self {
        BoardDto {
            id: b.id.0,
            duo_number: b.duo_number,
            name: b.name,
            sectors: b.sectors.code().into(),
            street: b.street,
            postcode: b.postcode,
            city: b.city,
            kvk_number: b.kvk_number,
            rio_id: b.rio_id,
            website: b.website,
            status: b.status.code().into(),
            joined_at: b.joined_at,
            in_duo: b.in_duo,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardSummaryDto {
    pub id: i64,
    pub duo_number: String,
    pub name: String,
    pub city: String,
    pub sectors: String,
    pub status: String,
    pub schools: i64,
    pub contacts: i64,
    /// Verified or approved assets.
    pub assets: i64,
    pub pending_assets: i64,
}

impl From<BoardSummary> for BoardSummaryDto {
    fn from(b: BoardSummary) -> Self {
        BoardSummaryDto {
            id: b.id,
            duo_number: b.duo_number,
            name: b.name,
            city: b.city,
            sectors: b.sectors,
            status: b.status,
            schools: b.schools,
            contacts: b.contacts,
            assets: b.assets,
            pending_assets: b.pending_assets,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SchoolDto {
    pub id: i64,
    pub board_id: i64,
    /// BRIN plus location number, e.g. `16AH00`.
    pub code: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub sectors: String,
    pub website: Option<String>,
}

impl From<School> for SchoolDto {
    fn from(s: School) -> Self {
        SchoolDto {
            id: s.id,
            board_id: s.board_id,
            code: s.code,
            name: s.name,
            street: s.street,
            postcode: s.postcode,
            city: s.city,
            sectors: s.sectors,
            website: s.website,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SchoolRowDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub city: String,
    pub sectors: String,
    pub board_id: i64,
    pub board_name: String,
    pub duo_number: String,
}

impl From<SchoolRow> for SchoolRowDto {
    fn from(s: SchoolRow) -> Self {
        SchoolRowDto {
            id: s.id,
            code: s.code,
            name: s.name,
            city: s.city,
            sectors: s.sectors,
            board_id: s.board_id,
            board_name: s.board_name,
            duo_number: s.duo_number,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContactDto {
    pub id: i64,
    pub board_id: i64,
    pub name: String,
    pub function: String,
    pub email: String,
    pub phone: String,
    /// `primary`, `secondary`, `security` or `privacy_officer`.
    pub role: String,
    pub pgp_fingerprint: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Not confirmed for more than 180 days.
    pub stale: bool,
}

impl From<ContactView> for ContactDto {
    fn from(v: ContactView) -> Self {
        let c = v.contact;
        ContactDto {
            id: c.id.0,
            board_id: c.board_id.0,
            name: c.name,
            function: c.function,
            email: c.email,
            phone: c.phone,
            role: c.role.code().into(),
            pgp_fingerprint: c.pgp_fingerprint,
            confirmed_at: c.confirmed_at,
            stale: v.stale,
        }
    }
}

/// A contact to create or replace.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ContactBody {
    pub name: String,
    pub function: String,
    pub email: String,
    pub phone: String,
    pub role: String,
    /// ASCII-armoured OpenPGP public key.
    pub pgp_key: String,
}

impl From<ContactBody> for schoolcert_app::registry::contacts::ContactInput {
    fn from(b: ContactBody) -> Self {
        schoolcert_app::registry::contacts::ContactInput {
            name: b.name,
            function: b.function,
            email: b.email,
            phone: b.phone,
            role: b.role,
            pgp_key: b.pgp_key,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChallengeDto {
    /// Where to publish the TXT record.
    pub name: String,
    pub value: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssetDto {
    pub id: i64,
    pub board_id: i64,
    pub board_name: String,
    /// `prefix` or `domain`.
    pub kind: String,
    pub value: String,
    /// `pending`, `verified`, `approved` or `rejected`.
    pub status: String,
    /// Larger than /16 (IPv4) or /32 (IPv6).
    pub large: bool,
    pub claimed_at: DateTime<Utc>,
    pub verified_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub evidence: String,
    /// The DNS challenge of a pending domain.
    pub challenge: Option<ChallengeDto>,
}

impl From<Asset> for AssetDto {
    fn from(a: Asset) -> Self {
        let challenge = match (&a.challenge_token, a.status) {
            (Some(t), schoolcert_domain::asset::AssetStatus::Pending) => Some(ChallengeDto {
                name: format!("_schoolcert-challenge.{}", a.value),
                value: schoolcert_domain::asset::domain::challenge_value(t),
            }),
            _ => None,
        };
        AssetDto {
            id: a.id.0,
            board_id: a.board_id.0,
            board_name: a.board_name,
            kind: a.kind.code().into(),
            value: a.value,
            status: a.status.code().into(),
            large: a.large,
            claimed_at: a.claimed_at,
            verified_at: a.verified_at,
            decided_at: a.decided_at,
            decision_reason: a.decision_reason,
            evidence: a.evidence,
            challenge,
        }
    }
}

/// Prefixes and domains to claim; each is validated on its own.
#[derive(Deserialize, ToSchema)]
pub struct ClaimBody {
    pub assets: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimResultDto {
    /// 1-based position in the request's list.
    pub index: usize,
    pub input: String,
    /// `added`, `already_claimed` or `refused`.
    pub result: String,
    pub asset_id: Option<i64>,
    pub status: Option<String>,
    pub message: Option<String>,
    pub overlaps_with: Vec<String>,
}

impl ClaimResultDto {
    pub fn of(l: ClaimLine, lang: schoolcert_domain::Lang) -> Self {
        let (result, asset_id, status, message, overlaps_with) = match l.outcome {
            ClaimOutcome::Added {
                asset_id,
                status,
                overlaps_with,
                ..
            } => (
                "added",
                Some(asset_id.0),
                Some(status.code().to_owned()),
                None,
                overlaps_with,
            ),
            ClaimOutcome::AlreadyClaimed { .. } => ("already_claimed", None, None, None, vec![]),
            ClaimOutcome::Refused { message } => (
                "refused",
                None,
                None,
                Some(message.get(lang).to_owned()),
                vec![],
            ),
        };
        ClaimResultDto {
            index: l.line,
            input: l.input,
            result: result.into(),
            asset_id,
            status,
            message,
            overlaps_with,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required when rejecting; shown to the board.
    #[serde(default)]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    /// `registered`, `applying`, `active`, `suspended` or `left`.
    pub status: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyDto {
    pub verified: bool,
    pub looked_up: String,
    pub expected: String,
    pub found: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OwnerDto {
    pub board_id: i64,
    pub duo_number: String,
    pub board_name: String,
    pub asset_id: i64,
    /// The prefix or domain that matched.
    pub matched: String,
}

impl From<Owner> for OwnerDto {
    fn from(o: Owner) -> Self {
        OwnerDto {
            board_id: o.board_id.0,
            duo_number: o.duo_number,
            board_name: o.board_name,
            asset_id: o.asset_id.0,
            matched: o.matched,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LookupDto {
    pub query: String,
    /// The owner(s) of the most specific match; more than one means the claim is disputed.
    pub owners: Vec<OwnerDto>,
    /// Less specific claims of other boards covering the same address or name.
    pub also_covered_by: Vec<OwnerDto>,
    pub conflict: bool,
}

impl From<LookupAnswer> for LookupDto {
    fn from(a: LookupAnswer) -> Self {
        LookupDto {
            query: a.query,
            owners: a.owners.into_iter().map(Into::into).collect(),
            also_covered_by: a.also_covered_by.into_iter().map(Into::into).collect(),
            conflict: a.conflict,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FieldChangeDto {
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub board_id: Option<i64>,
    pub object_type: String,
    pub object_id: i64,
    pub action: String,
    pub changes: Vec<FieldChangeDto>,
}

impl From<AuditEntry> for AuditEntryDto {
    fn from(e: AuditEntry) -> Self {
        AuditEntryDto {
            id: e.id,
            at: e.at,
            actor_user_id: e.actor_user_id,
            actor_label: e.actor_label,
            board_id: e.board_id,
            object_type: e.object_type,
            object_id: e.object_id,
            action: e.action,
            changes: e
                .changes
                .into_iter()
                .map(|c| FieldChangeDto {
                    field: c.field,
                    before: c.before,
                    after: c.after,
                })
                .collect(),
        }
    }
}

/// Declares a page type per item type (OpenAPI needs concrete names).
macro_rules! page_type {
    ($name:ident, $item:ty) => {
        #[derive(Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub page: u32,
            pub per_page: u32,
            pub total: i64,
        }

        impl $name {
            pub fn of<T: Into<$item>>(p: Page<T>) -> Self {
                $name {
                    page: p.page,
                    per_page: p.per_page,
                    total: p.total,
                    items: p.items.into_iter().map(Into::into).collect(),
                }
            }
        }
    };
}

page_type!(BoardPage, BoardSummaryDto);
page_type!(SchoolPage, SchoolRowDto);
page_type!(AssetPage, AssetDto);
page_type!(AuditPage, AuditEntryDto);
