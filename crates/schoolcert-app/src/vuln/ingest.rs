//! Importing vulnerability information from files, folders and downloads: CSAF documents
//! (validated; a newer revision of the same publisher namespace + tracking id replaces the
//! stored one), CVE JSON 5 records, the CISA KEV catalogue and the EPSS daily CSV. Re-import
//! is idempotent; invalid documents are reported by name and kept out; the rest continue.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::{Lang, Timestamp};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::vuln::documents::{self, DocumentFields, EpssRow, KevRow};
use schoolcert_store::vuln::matches;
use schoolcert_vuln::csaf::{self, CsafDocument};
use schoolcert_vuln::cve::{self, CveRecord};
use schoolcert_vuln::ingest::InputError;
use schoolcert_vuln::{epss, kev};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::matching::{self, RematchReport, Target};
use super::{from_json, to_json};
use crate::{App, AppError, AppResult, Msg, require_cert};

/// Which kind of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Csaf,
    Cve,
    Kev,
    Epss,
}

impl std::str::FromStr for Kind {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csaf" => Ok(Kind::Csaf),
            "cve" => Ok(Kind::Cve),
            "kev" => Ok(Kind::Kev),
            "epss" => Ok(Kind::Epss),
            other => Err(AppError::invalid(
                "kind",
                Msg::new(
                    format!("Onbekend soort '{other}' (csaf, cve, kev of epss)."),
                    format!("Unknown kind '{other}' (csaf, cve, kev or epss)."),
                ),
            )),
        }
    }
}

/// One refused input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    pub source: String,
    pub reason: String,
}

impl From<InputError> for Refused {
    fn from(e: InputError) -> Self {
        Refused {
            source: e.source,
            reason: e.reason,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Documents or entries stored for the first time.
    pub inserted: usize,
    /// Newer revisions that replaced stored ones.
    pub updated: usize,
    /// Already stored (same or older revision).
    pub unchanged: usize,
    pub refused: Vec<Refused>,
    pub rematch: RematchReport,
    /// Matches whose priority changed (KEV, EPSS).
    pub reprioritised: usize,
}

/// Reads files, and `.json` / `.csv` / `.gz` files in folders (recursively), as (name, bytes).
/// Unreadable paths are refused by name.
pub fn read_paths(paths: &[PathBuf]) -> (Vec<(String, Vec<u8>)>, Vec<Refused>) {
    fn walk(p: &Path, out: &mut Vec<(String, Vec<u8>)>, bad: &mut Vec<Refused>) {
        let name = p.display().to_string();
        if p.is_dir() {
            let mut children: Vec<PathBuf> = match std::fs::read_dir(p) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    bad.push(Refused {
                        source: name,
                        reason: e.to_string(),
                    });
                    return;
                }
            };
            children.sort();
            for c in children {
                let wanted = c.is_dir()
                    || c.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e, "json" | "csv" | "gz"));
                if wanted {
                    walk(&c, out, bad);
                }
            }
            return;
        }
        match std::fs::read(p) {
            Ok(bytes) => out.push((name, bytes)),
            Err(e) => bad.push(Refused {
                source: name,
                reason: e.to_string(),
            }),
        }
    }
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for p in paths {
        walk(p, &mut out, &mut bad);
    }
    (out, bad)
}

/// Imports inputs of one kind. `actor` is `None` for the command line and jobs.
pub async fn import(
    app: &App,
    actor: Option<&Actor>,
    kind: Kind,
    inputs: &[(String, Vec<u8>)],
) -> AppResult<ImportReport> {
    if let Some(a) = actor {
        require_cert(a)?;
    }
    match kind {
        Kind::Csaf => import_csaf(app, actor, inputs).await,
        Kind::Cve => import_cve(app, actor, inputs).await,
        Kind::Kev => import_kev(app, inputs).await,
        Kind::Epss => import_epss(app, inputs).await,
    }
}

fn by<'a>(actor: Option<&'a Actor>) -> By<'a> {
    match actor {
        Some(a) => By::Actor(a),
        None => By::System("import"),
    }
}

/// Stores accepted CSAF documents; returns the vulnerability keys to re-match.
pub(crate) async fn store_csaf(
    app: &App,
    actor: Option<&Actor>,
    docs: Vec<(String, csaf::LoadedCsaf, Vec<u8>)>,
    report: &mut ImportReport,
) -> AppResult<Vec<String>> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut keys = Vec::new();
    for (source, loaded, bytes) in docs {
        let d: &CsafDocument = &loaded.document;
        let doc_key = format!("{} {}", d.key.publisher_namespace, d.key.tracking_id);
        let old = documents::find(&mut cx, "csaf", &doc_key).await?;
        let is_update = match &old {
            Some(o) => {
                let old_doc: CsafDocument = from_json(&o.model, "CSAF document")?;
                let newer = old_doc.revision_change(d).is_some_and(|c| c.is_newer());
                if !newer {
                    report.unchanged += 1;
                    continue;
                }
                true
            }
            None => false,
        };
        let statements = d.statements();
        let vkeys: Vec<String> = d
            .vulnerabilities
            .iter()
            .enumerate()
            .filter_map(|(i, _)| d.vuln_key(i).map(|k| k.to_string()))
            .chain(statements.iter().map(|s| s.vulnerability.to_string()))
            .collect();
        let raw = String::from_utf8_lossy(&bytes);
        let model = to_json(d)?;
        let tlp = d.tlp.map(|t| t.code());
        let id = documents::upsert(
            &mut cx,
            &DocumentFields {
                kind: "csaf",
                doc_key: &doc_key,
                version: &d.tracking.version,
                current_release_date: d.tracking.current_release_date,
                title: &d.title,
                tlp,
                sha256: &loaded.sha256,
                source: &source,
                raw: &raw,
                model: &model,
            },
            now,
        )
        .await?;
        documents::set_statements(&mut cx, id, &vkeys).await?;
        audit::record(
            &mut cx,
            Record {
                by: by(actor),
                board_id: None,
                object_type: "vuln_document",
                object_id: id,
                action: if is_update { "revise" } else { "import" },
                changes: vec![schoolcert_domain::audit::change(
                    "version",
                    old.as_ref().map(|o| o.version.clone()),
                    Some(d.tracking.version.clone()),
                )],
            },
            now,
        )
        .await?;
        if is_update {
            report.updated += 1;
        } else {
            report.inserted += 1;
        }
        keys.extend(vkeys);
    }
    cx.commit().await?;
    keys.sort();
    keys.dedup();
    Ok(keys)
}

async fn import_csaf(
    app: &App,
    actor: Option<&Actor>,
    inputs: &[(String, Vec<u8>)],
) -> AppResult<ImportReport> {
    let mut report = ImportReport::default();
    let mut accepted = Vec::new();
    for (name, bytes) in inputs {
        for (i, part) in csaf::split_json_seq(bytes).into_iter().enumerate() {
            let source = if i == 0 {
                name.clone()
            } else {
                format!("{name} #{}", i + 1)
            };
            match csaf::load(part) {
                Ok(doc) => accepted.push((source, doc, part.to_vec())),
                Err(e) => report.refused.push(Refused {
                    source,
                    reason: schoolcert_domain::lang::Localized::message(&e, Lang::Nl),
                }),
            }
        }
    }
    let keys = store_csaf(app, actor, accepted, &mut report).await?;
    if !keys.is_empty() {
        report.rematch = matching::rematch(app, Target::vulns(keys)).await?;
    }
    Ok(report)
}

fn later(a: Option<Timestamp>, b: Option<Timestamp>) -> bool {
    match (a, b) {
        (Some(new), Some(old)) => new > old,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Replaces each cvelistV5 `delta.json` / `deltaLog.json` among the inputs by the records it
/// lists, read from the checkout the delta file sits in (`cves/<year>/<n>xxx/<id>.json`); a
/// listed record that is not there is refused by name, the others go on.
fn expand_deltas<'a>(
    inputs: &'a [(String, Vec<u8>)],
    refused: &mut Vec<Refused>,
) -> Vec<(String, Cow<'a, [u8]>)> {
    let mut out = Vec::with_capacity(inputs.len());
    for (name, bytes) in inputs {
        let path = Path::new(name);
        let deltas = match path.file_name().and_then(|f| f.to_str()) {
            Some("delta.json") => cve::parse_delta(bytes).map(|d| vec![d]),
            Some("deltaLog.json") => cve::parse_delta_log(bytes),
            _ => {
                out.push((name.clone(), Cow::Borrowed(bytes.as_slice())));
                continue;
            }
        };
        let deltas = match deltas {
            Ok(d) => d,
            Err(e) => {
                refused.push(Refused {
                    source: name.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let root = path.parent().unwrap_or(Path::new("."));
        for entry in cve::changed_since(&deltas, None) {
            let Some(rel) = cve::record_path(&entry.cve_id) else {
                continue;
            };
            let file = root.join(rel);
            match std::fs::read(&file) {
                Ok(b) => out.push((file.display().to_string(), Cow::Owned(b))),
                Err(e) => refused.push(Refused {
                    source: format!("{name}: {}", entry.cve_id.as_str()),
                    reason: format!("{}: {e}", file.display()),
                }),
            }
        }
    }
    out
}

async fn import_cve(
    app: &App,
    actor: Option<&Actor>,
    inputs: &[(String, Vec<u8>)],
) -> AppResult<ImportReport> {
    let mut report = ImportReport::default();
    let inputs = expand_deltas(inputs, &mut report.refused);
    let mut records: Vec<(String, CveRecord, &[u8])> = Vec::new();
    for (name, bytes) in &inputs {
        match cve::parse_record(bytes) {
            Ok(r) => records.push((name.clone(), r, bytes)),
            Err(e) => report.refused.push(Refused {
                source: name.clone(),
                reason: e.to_string(),
            }),
        }
    }
    let now = app.now();
    let mut cx = app.db.write().await?;
    let mut keys = Vec::new();
    for (source, r, bytes) in records {
        let doc_key = r.id.to_string();
        let sha = hex::encode(Sha256::digest(bytes));
        let old = documents::find(&mut cx, "cve", &doc_key).await?;
        if let Some(o) = &old {
            let old_rec: CveRecord = from_json(&o.model, "CVE record")?;
            if o.sha256 == sha || !later(r.date_updated, old_rec.date_updated) {
                report.unchanged += 1;
                continue;
            }
        }
        let version = r
            .date_updated
            .or(r.date_published)
            .map(schoolcert_domain::time::format_utc)
            .unwrap_or_default();
        let model = to_json(&r)?;
        let raw = String::from_utf8_lossy(bytes);
        let title = r
            .title
            .clone()
            .or_else(|| r.description.clone())
            .unwrap_or_default();
        let title: String = title.chars().take(300).collect();
        let id = documents::upsert(
            &mut cx,
            &DocumentFields {
                kind: "cve",
                doc_key: &doc_key,
                version: &version,
                current_release_date: r.date_updated,
                title: &title,
                tlp: Some("clear"),
                sha256: &sha,
                source: &source,
                raw: &raw,
                model: &model,
            },
            now,
        )
        .await?;
        // A record always speaks about its own CVE (also when rejected: withdraws matches).
        documents::set_statements(&mut cx, id, std::slice::from_ref(&doc_key)).await?;
        audit::record(
            &mut cx,
            Record {
                by: by(actor),
                board_id: None,
                object_type: "vuln_document",
                object_id: id,
                action: if old.is_some() { "revise" } else { "import" },
                changes: vec![schoolcert_domain::audit::change(
                    "version",
                    old.as_ref().map(|o| o.version.clone()),
                    Some(version.clone()),
                )],
            },
            now,
        )
        .await?;
        if old.is_some() {
            report.updated += 1;
        } else {
            report.inserted += 1;
        }
        keys.push(doc_key);
    }
    cx.commit().await?;
    if !keys.is_empty() {
        report.rematch = matching::rematch(app, Target::vulns(keys)).await?;
    }
    Ok(report)
}

async fn import_kev(app: &App, inputs: &[(String, Vec<u8>)]) -> AppResult<ImportReport> {
    let mut report = ImportReport::default();
    let now = app.now();
    let mut changed: Vec<String> = Vec::new();
    for (name, bytes) in inputs {
        let (catalog, errors) = match kev::parse(bytes) {
            Ok(x) => x,
            Err(e) => {
                report.refused.push(Refused {
                    source: name.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        report.refused.extend(errors.into_iter().map(|e| Refused {
            source: format!("{name}: {}", e.source),
            reason: e.reason,
        }));
        let mut cx = app.db.write().await?;
        for e in &catalog.entries {
            let row = KevRow {
                cve_id: e.cve_id.to_string(),
                date_added: e.date_added.to_string(),
                ransomware: e.known_ransomware_use,
                data: to_json(e)?,
            };
            if documents::upsert_kev(&mut cx, &row, now).await? {
                report.inserted += 1;
                changed.push(row.cve_id);
            } else {
                report.unchanged += 1;
            }
        }
        cx.commit().await?;
    }
    if !changed.is_empty() {
        report.reprioritised = matching::reprioritise(app).await?;
        if app.config.vuln.automatic_p1 {
            let mut cx = app.db.read().await?;
            let ids: Vec<i64> = matches::for_vulns(&mut cx, Scope::All, &changed)
                .await?
                .into_iter()
                .filter(|m| !m.withdrawn && m.state == "new")
                .map(|m| m.id)
                .collect();
            drop(cx);
            if !ids.is_empty() {
                super::advisories::automatic_p1(app, &ids).await?;
            }
        }
    }
    Ok(report)
}

async fn import_epss(app: &App, inputs: &[(String, Vec<u8>)]) -> AppResult<ImportReport> {
    let mut report = ImportReport::default();
    let now = app.now();
    for (name, bytes) in inputs {
        let (file, errors) = match epss::parse(bytes) {
            Ok(x) => x,
            Err(e) => {
                report.refused.push(Refused {
                    source: name.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        report.refused.extend(errors.into_iter().map(|e| Refused {
            source: format!("{name}, regel {}", e.line),
            reason: e.reason,
        }));
        if file.scores.is_empty() {
            // An empty day's file would wipe every score: refuse it instead.
            report.refused.push(Refused {
                source: name.clone(),
                reason: "het bestand bevat geen scores".into(),
            });
            continue;
        }
        let rows: Vec<EpssRow> = file
            .scores
            .iter()
            .map(|s| EpssRow {
                cve_id: s.cve_id.to_string(),
                epss: s.epss,
                percentile: s.percentile,
            })
            .collect();
        let mut cx = app.db.write().await?;
        documents::replace_epss(&mut cx, &rows, file.score_date, now).await?;
        cx.commit().await?;
        report.inserted += rows.len();
    }
    if report.inserted > 0 {
        report.reprioritise_now(app).await?;
    }
    Ok(report)
}

impl ImportReport {
    async fn reprioritise_now(&mut self, app: &App) -> AppResult<()> {
        self.reprioritised = matching::reprioritise(app).await?;
        Ok(())
    }
}
