//! Re-matching: stored statements × landscapes → matches, reconciled with the stored ones
//! (create / keep / re-open / withdraw) and prioritised with KEV, EPSS, CVSS and exposure.
//! Runs when a document arrives, a landscape changes or a catalogue identifier changes
//! (CSAF 9.1.13); KEV/EPSS updates only recompute priorities.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use schoolcert_domain::BoardId;
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::SchoolCode;
use schoolcert_store::Cx;
use schoolcert_store::vuln::documents::{self, DocumentRow, EpssRow, KevRow};
use schoolcert_store::vuln::landscape::{self as store_landscape, EntryRow};
use schoolcert_store::vuln::matches::{self, MatchFields, MatchRow};
use schoolcert_vuln::catalogue::ProductId;
use schoolcert_vuln::csaf::CsafDocument;
use schoolcert_vuln::cve::CveRecord;
use schoolcert_vuln::epss::EpssScore;
use schoolcert_vuln::intel::ThreatIntel;
use schoolcert_vuln::kev::KevEntry;
use schoolcert_vuln::landscape::{Landscape, LandscapeEntry, LandscapeProduct, ManagedBy};
use schoolcert_vuln::match_state::{Fingerprint, MatchState, Reconcile, StoredMatch, reconcile};
use schoolcert_vuln::matching::{Match, Matcher};
use schoolcert_vuln::priority::PriorityInput;
use schoolcert_vuln::statement::Statement;
use serde::Serialize;

use super::catalogue::{self, Loaded};
use super::{code, from_json, to_json};
use crate::{App, AppResult};

/// What to re-match.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Only these vulnerabilities (a document arrived); `None`: every stored one.
    pub vulns: Option<Vec<String>>,
    /// Only this board (its landscape changed).
    pub board: Option<BoardId>,
    /// Only these products (a catalogue identifier changed).
    pub products: Option<Vec<ProductId>>,
}

impl Target {
    pub fn vulns(keys: Vec<String>) -> Target {
        Target {
            vulns: Some(keys),
            ..Target::default()
        }
    }

    pub fn board(board: BoardId) -> Target {
        Target {
            board: Some(board),
            ..Target::default()
        }
    }

    pub fn product(product: ProductId) -> Target {
        Target {
            products: Some(vec![product]),
            ..Target::default()
        }
    }
}

/// What a run changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RematchReport {
    pub created: usize,
    pub reopened: usize,
    pub kept: usize,
    pub withdrawn: usize,
    /// Matches created or re-opened (candidates for the automatic P1 notice).
    #[serde(skip)]
    pub fresh: Vec<i64>,
}

/// A stored document's statements.
pub(crate) fn statements_of(doc: &DocumentRow) -> AppResult<Vec<Statement>> {
    Ok(match doc.kind.as_str() {
        "csaf" => from_json::<CsafDocument>(&doc.model, "CSAF document")?.statements(),
        _ => from_json::<CveRecord>(&doc.model, "CVE record")?.statements(),
    })
}

/// The highest CVSS base score each document gives per vulnerability.
fn cvss_of(doc: &DocumentRow, out: &mut HashMap<String, f64>) -> AppResult<()> {
    let mut put = |k: String, s: f64| {
        let e = out.entry(k).or_insert(s);
        if s > *e {
            *e = s;
        }
    };
    match doc.kind.as_str() {
        "csaf" => {
            let d: CsafDocument = from_json(&doc.model, "CSAF document")?;
            for (i, v) in d.vulnerabilities.iter().enumerate() {
                let Some(key) = d.vuln_key(i) else { continue };
                if let Some(best) = v.scores.iter().map(|s| s.base_score).reduce(f64::max) {
                    put(key.to_string(), best);
                }
            }
        }
        _ => {
            let r: CveRecord = from_json(&doc.model, "CVE record")?;
            if let Some(c) = &r.cvss {
                put(r.id.to_string(), c.base_score);
            }
        }
    }
    Ok(())
}

fn split_list(json: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(json).unwrap_or_default()
}

/// Landscapes from stored entries (proposals included: the pure matcher skips them).
pub(crate) fn landscapes(entries: &[EntryRow]) -> Vec<Landscape> {
    let mut by_board: BTreeMap<i64, Landscape> = BTreeMap::new();
    for e in entries {
        let product = match (&e.product_slug, &e.proposed_vendor, &e.proposed_name) {
            (Some(slug), _, _) => match slug.parse::<ProductId>() {
                Ok(id) => LandscapeProduct::Catalogue { id },
                Err(_) => continue,
            },
            (None, Some(v), Some(n)) => LandscapeProduct::Proposed {
                vendor: v.clone(),
                name: n.clone(),
            },
            _ => continue,
        };
        let entry = LandscapeEntry {
            product,
            versions: split_list(&e.versions),
            schools: split_list(&e.schools)
                .iter()
                .filter_map(|s| SchoolCode::parse(s, "").ok())
                .collect(),
            managed_by: match &e.managed_by {
                Some(s) if !s.trim().is_empty() => ManagedBy::Supplier(s.clone()),
                _ => ManagedBy::SelfManaged,
            },
            notes: e.notes.clone(),
        };
        by_board
            .entry(e.board_id)
            .or_insert_with(|| Landscape::new(BoardId(e.board_id)))
            .entries
            .push(entry);
    }
    by_board.into_values().collect()
}

/// KEV and EPSS for these CVE ids.
pub(crate) async fn intel_for(cx: &mut Cx, cves: &[String]) -> AppResult<ThreatIntel> {
    let kev: Vec<KevRow> = documents::kev_for(cx, cves).await?;
    let epss: Vec<EpssRow> = documents::epss_for(cx, cves).await?;
    let kev: Vec<KevEntry> = kev
        .iter()
        .filter_map(|k| serde_json::from_str(&k.data).ok())
        .collect();
    let epss: Vec<EpssScore> = epss
        .iter()
        .filter_map(|e| {
            Some(EpssScore {
                cve_id: e.cve_id.parse().ok()?,
                epss: e.epss,
                percentile: e.percentile,
            })
        })
        .collect();
    Ok(ThreatIntel::new(kev, epss))
}

#[derive(Serialize)]
struct Detail<'a> {
    affected_versions: &'a [String],
    fixed_versions: &'a [String],
    remediations: &'a [schoolcert_vuln::statement::Remediation],
    sources: Vec<&'a schoolcert_vuln::statement::SourceRef>,
    probable: bool,
}

fn fields_of(
    m: &Match,
    product_id: i64,
    loaded: &Loaded,
    intel: &ThreatIntel,
    cvss: &HashMap<String, f64>,
    config: &schoolcert_vuln::priority::PriorityConfig,
) -> AppResult<MatchFields> {
    let key = m.vulnerability.to_string();
    let (kev, epss) = intel.lookup(&m.vulnerability);
    let exposure = loaded
        .catalogue
        .get(&m.product)
        .map(|p| p.exposure)
        .unwrap_or(schoolcert_vuln::catalogue::Exposure::Internal);
    let a = config.assess(&PriorityInput {
        kev,
        epss,
        cvss: cvss.get(&key).copied(),
        exposure,
        relation: m.relation,
    });
    let detail = Detail {
        affected_versions: &m.affected_versions,
        fixed_versions: &m.fixed_versions,
        remediations: &m.remediations,
        sources: m.sources.iter().map(|s| s.as_ref()).collect(),
        probable: m.is_probable(),
    };
    Ok(MatchFields {
        board_id: m.board,
        product_id,
        vuln_key: key,
        cve_id: m.vulnerability.cve().map(|c| c.to_string()),
        method: code(&m.method),
        relation: code(&m.relation),
        level: code(&m.level),
        detail: to_json(&detail)?,
        fingerprint: Fingerprint::of(m).0,
        priority: code(&a.priority),
        prio_rank: i64::from(a.rank),
        reasons: to_json(&a.reasons)?,
    })
}

/// Runs matching for `target` and writes the outcome in one transaction. Then, when
/// configured, sends the automatic P1 notices for fresh matches.
pub async fn rematch(app: &App, target: Target) -> AppResult<RematchReport> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let entries = store_landscape::all(&mut cx, Scope::All).await?;
    let entries: Vec<EntryRow> = entries
        .into_iter()
        .filter(|e| target.board.is_none_or(|b| b.0 == e.board_id))
        .collect();
    let lands = landscapes(&entries);
    let docs = match &target.vulns {
        Some(keys) => documents::about(&mut cx, keys).await?,
        None => documents::all(&mut cx).await?,
    };
    let wanted: Option<BTreeSet<&str>> = target
        .vulns
        .as_ref()
        .map(|k| k.iter().map(String::as_str).collect());
    let mut statements = Vec::new();
    let mut cvss = HashMap::new();
    for d in &docs {
        let mut s = statements_of(d)?;
        if let Some(w) = &wanted {
            s.retain(|st| w.contains(st.vulnerability.to_string().as_str()));
        }
        statements.extend(s);
        cvss_of(d, &mut cvss)?;
    }
    let matcher = Matcher::new(&loaded.catalogue, &lands);
    let product_ok = |p: &ProductId| target.products.as_ref().is_none_or(|list| list.contains(p));
    let mut fresh: BTreeMap<(i64, i64, String), Match> = BTreeMap::new();
    for m in matcher.match_statements(&statements) {
        if !product_ok(&m.product) {
            continue;
        }
        let Some(pid) = loaded.id_of(&m.product) else {
            continue;
        };
        fresh.insert((m.board.0, pid, m.vulnerability.to_string()), m);
    }
    let stored: Vec<MatchRow> = match &target.vulns {
        Some(keys) => matches::for_vulns(&mut cx, Scope::All, keys).await?,
        None => matches::all(&mut cx, Scope::All, target.board).await?,
    };
    let stored: BTreeMap<(i64, i64, String), MatchRow> = stored
        .into_iter()
        .filter(|r| target.board.is_none_or(|b| b.0 == r.board_id))
        .filter(|r| {
            r.product_slug
                .parse::<ProductId>()
                .is_ok_and(|p| product_ok(&p))
        })
        .map(|r| ((r.board_id, r.product_id, r.vuln_key.clone()), r))
        .collect();
    let cves: Vec<String> = fresh
        .values()
        .filter_map(|m| m.vulnerability.cve().map(|c| c.to_string()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let intel = intel_for(&mut cx, &cves).await?;
    let keys: BTreeSet<(i64, i64, String)> = fresh.keys().chain(stored.keys()).cloned().collect();
    let mut report = RematchReport::default();
    for k in keys {
        let old = stored.get(&k);
        let new = fresh.get(&k);
        let old_sm = old.map(|r| StoredMatch {
            state: r.state.parse::<MatchState>().unwrap_or(MatchState::New),
            fingerprint: Fingerprint(r.fingerprint.clone()),
        });
        // A withdrawn match that matches again is compared like a new one.
        let old_sm = old_sm.filter(|_| old.is_some_and(|r| !r.withdrawn) || new.is_none());
        match reconcile(old_sm.as_ref(), new) {
            Reconcile::Create { .. } => {
                let Some(m) = new else { continue };
                let f = fields_of(m, k.1, &loaded, &intel, &cvss, &app.config.vuln.priority)?;
                match old {
                    Some(r) => {
                        matches::update_facts(&mut cx, r.id, &f, true, now).await?;
                        report.reopened += 1;
                        report.fresh.push(r.id);
                    }
                    None => {
                        let id = matches::insert(&mut cx, &f, now).await?;
                        report.created += 1;
                        report.fresh.push(id);
                    }
                }
            }
            Reconcile::Keep { .. } | Reconcile::Renotify { .. } => {
                let (Some(m), Some(r)) = (new, old) else {
                    continue;
                };
                let reopen = matches!(reconcile(old_sm.as_ref(), new), Reconcile::Renotify { .. });
                let f = fields_of(m, k.1, &loaded, &intel, &cvss, &app.config.vuln.priority)?;
                matches::update_facts(&mut cx, r.id, &f, reopen, now).await?;
                if reopen {
                    report.reopened += 1;
                    report.fresh.push(r.id);
                } else {
                    report.kept += 1;
                }
            }
            Reconcile::Withdraw => {
                if let Some(r) = old
                    && !r.withdrawn
                {
                    matches::withdraw(&mut cx, r.id, now).await?;
                    report.withdrawn += 1;
                }
            }
            Reconcile::Ignore => {}
        }
    }
    cx.commit().await?;
    if app.config.vuln.automatic_p1 && !report.fresh.is_empty() {
        super::advisories::automatic_p1(app, &report.fresh).await?;
    }
    Ok(report)
}

/// Recomputes the priority of every stored match (KEV or EPSS changed).
pub async fn reprioritise(app: &App) -> AppResult<usize> {
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let rows = matches::all(&mut cx, Scope::All, None).await?;
    let cves: Vec<String> = rows
        .iter()
        .filter_map(|r| r.cve_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let intel = intel_for(&mut cx, &cves).await?;
    let docs = documents::about(&mut cx, &cves).await?;
    let mut cvss = HashMap::new();
    for d in &docs {
        cvss_of(d, &mut cvss)?;
    }
    let mut n = 0;
    for r in &rows {
        let key = r
            .cve_id
            .as_deref()
            .and_then(|c| c.parse().ok())
            .map(|id| schoolcert_vuln::ids::VulnKey::Cve { id });
        let (kev, epss) = match &key {
            Some(k) => intel.lookup(k),
            None => (None, None),
        };
        let exposure = r
            .product_slug
            .parse::<ProductId>()
            .ok()
            .and_then(|p| loaded.catalogue.get(&p).map(|p| p.exposure))
            .unwrap_or(schoolcert_vuln::catalogue::Exposure::Internal);
        let relation = serde_json::from_value(serde_json::Value::String(r.relation.clone()))
            .unwrap_or(schoolcert_vuln::matching::VersionRelation::VersionNotStated);
        let a = app.config.vuln.priority.assess(&PriorityInput {
            kev,
            epss,
            cvss: cvss.get(&r.vuln_key).copied(),
            exposure,
            relation,
        });
        let p = code(&a.priority);
        let rank = i64::from(a.rank);
        if p != r.priority || rank != r.prio_rank {
            matches::set_priority(&mut cx, r.id, &p, rank, &to_json(&a.reasons)?).await?;
            n += 1;
        }
    }
    cx.commit().await?;
    Ok(n)
}
