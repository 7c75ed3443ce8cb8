//! Sector advisories: the analyst's work queue, drafting and editing, publishing (one notice
//! per affected board, listing only that board's products and versions, through the outbox),
//! revisions that re-notify only boards whose affected set or remediation changed, the
//! automatic P1 notice, and each board's remediation state.

use std::collections::{BTreeMap, BTreeSet};

use schoolcert_domain::access::{Actor, Scope};
use schoolcert_domain::lang::Localized;
use schoolcert_domain::{BoardId, Lang, Tlp};
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::{boards, contacts};
use schoolcert_store::vuln::advisories::{self as store, AdvisoryRow, NoticeRow};
use schoolcert_store::vuln::landscape as store_landscape;
use schoolcert_store::vuln::matches::{self, MatchRow, QueueItem};
use schoolcert_store::vuln::provider as store_provider;
use schoolcert_vuln::advisory::{
    AdvisoryStatus, AffectedProduct, SectorAdvisory, SourceLink, Urgency, automatic_p1_applies,
};
use schoolcert_vuln::catalogue::ProductId;
use schoolcert_vuln::ids::CveId;
use schoolcert_vuln::kev::KevEntry;
use schoolcert_vuln::match_state::{Changer, MatchState, transition};
use schoolcert_vuln::matching::VersionRelation;
use schoolcert_vuln::version::{Containment, range_spec};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::catalogue::{self, Loaded};
use super::{from_json, to_json};
use crate::error::Check;
use crate::mail::{self, Outgoing};
use crate::{App, AppError, AppResult, Msg, require_cert};

/// The advisory form as people fill it in. Products: one per line, `slug`, optionally a
/// range (`vers:intdot/<7.2.7`) and `fixed: 7.2.7, 7.4.3`. Sources: one per line, `URL title`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AdvisoryInput {
    pub title: String,
    pub summary: String,
    pub actions: String,
    /// `urgent` or `normaal`.
    pub urgency: String,
    /// A TLP label or code.
    pub tlp: String,
    pub products: String,
    /// CVE ids separated by spaces, commas or lines.
    pub cves: String,
    pub sources: String,
}

impl AdvisoryInput {
    /// The form of an existing advisory.
    pub fn of(a: &SectorAdvisory) -> AdvisoryInput {
        AdvisoryInput {
            title: a.title.clone(),
            summary: a.summary.clone(),
            actions: a.actions.clone(),
            urgency: match a.urgency {
                Urgency::Urgent => "urgent".into(),
                Urgency::Normaal => "normaal".into(),
            },
            tlp: a.tlp.code().into(),
            products: a
                .products
                .iter()
                .map(|p| {
                    let mut line = p.product.to_string();
                    if let Some(v) = &p.versions {
                        line.push(' ');
                        line.push_str(v);
                    }
                    if !p.fixed_in.is_empty() {
                        line.push_str(" fixed: ");
                        line.push_str(&p.fixed_in.join(", "));
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n"),
            cves: a
                .cves
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" "),
            sources: a
                .sources
                .iter()
                .map(|s| format!("{} {}", s.url, s.title))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Reads the form into the advisory's fields (tracking id, status and revisions stay).
fn apply(input: &AdvisoryInput, loaded: &Loaded, into: &mut SectorAdvisory) -> AppResult<()> {
    let mut check = Check::new();
    check.required("title", &input.title, "Titel", "Title");
    check.required("summary", &input.summary, "Samenvatting", "Summary");
    check.required(
        "actions",
        &input.actions,
        "Wat scholen moeten doen",
        "Actions",
    );
    let urgency = match input.urgency.trim().to_ascii_lowercase().as_str() {
        "urgent" => Urgency::Urgent,
        _ => Urgency::Normaal,
    };
    let tlp = check.take("tlp", input.tlp.parse::<Tlp>(), |_| {
        Msg::new("Onbekend TLP-label.", "Unknown TLP label.")
    });
    let mut products = Vec::new();
    for (i, line) in input.products.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (head, fixed) = match line.split_once("fixed:") {
            Some((h, f)) => (h.trim(), f),
            None => (line, ""),
        };
        let mut parts = head.splitn(2, char::is_whitespace);
        let slug = parts.next().unwrap_or("").trim();
        let range = parts.next().map(str::trim).filter(|s| !s.is_empty());
        let known = slug
            .parse::<ProductId>()
            .ok()
            .filter(|p| loaded.catalogue.get(p).is_some());
        match known {
            Some(product) => products.push(AffectedProduct {
                product,
                versions: range.map(str::to_owned),
                fixed_in: fixed
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
            None => check.fail(
                "products",
                Msg::new(
                    format!("Regel {}: '{slug}' staat niet in de catalogus.", i + 1),
                    format!("Line {}: '{slug}' is not in the catalogue.", i + 1),
                ),
            ),
        }
    }
    if products.is_empty() {
        check.fail(
            "products",
            Msg::new(
                "Noem ten minste één product uit de catalogus.",
                "Name at least one catalogue product.",
            ),
        );
    }
    let mut cves = Vec::new();
    for t in input
        .cves
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
    {
        match t.parse::<CveId>() {
            Ok(c) if !cves.contains(&c) => cves.push(c),
            Ok(_) => {}
            Err(e) => check.fail("cves", Msg::new(format!("{e}"), format!("{e}"))),
        }
    }
    let mut sources = Vec::new();
    for line in input
        .sources
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (url, title) = line.split_once(char::is_whitespace).unwrap_or((line, line));
        sources.push(SourceLink {
            url: url.trim().to_owned(),
            title: title.trim().to_owned(),
        });
    }
    check.finish()?;
    into.title = input.title.trim().to_owned();
    into.summary = input.summary.trim().to_owned();
    into.actions = input.actions.trim().to_owned();
    into.urgency = urgency;
    into.tlp = tlp.unwrap_or(Tlp::Amber);
    into.products = products;
    into.cves = cves;
    into.sources = sources;
    Ok(())
}

async fn next_tracking_id(app: &App, cx: &mut Cx) -> AppResult<String> {
    let year = chrono::Datelike::year(&app.now());
    let n = store::next_number(cx, year).await?;
    Ok(format!("SC-{year}-{n:04}"))
}

/// The analyst writes a new draft.
pub async fn create(app: &App, actor: &Actor, input: &AdvisoryInput) -> AppResult<i64> {
    require_cert(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let mut adv = SectorAdvisory {
        tracking_id: next_tracking_id(app, &mut cx).await?,
        status: AdvisoryStatus::Draft,
        title: String::new(),
        summary: String::new(),
        actions: String::new(),
        urgency: Urgency::Normaal,
        tlp: Tlp::Amber,
        products: vec![],
        cves: vec![],
        sources: vec![],
        revisions: vec![],
        automatic: false,
    };
    apply(input, &loaded, &mut adv)?;
    let id = store::insert(
        &mut cx,
        &adv.tracking_id,
        adv.tlp.code(),
        &adv.title,
        false,
        &to_json(&adv)?,
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "vuln_advisory",
            object_id: id,
            action: "create",
            changes: vec![schoolcert_domain::audit::change(
                "title",
                None::<String>,
                Some(adv.title.clone()),
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(id)
}

/// A draft prefilled from the work queue: the vulnerability's matched products and CVE.
pub async fn draft_from_queue(
    app: &App,
    actor: &Actor,
    vuln_key: &str,
) -> AppResult<AdvisoryInput> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    let rows = matches::for_vulns(&mut cx, Scope::All, &[vuln_key.to_owned()]).await?;
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    let products: BTreeSet<String> = rows.iter().map(|r| r.product_slug.clone()).collect();
    let names: BTreeSet<String> = rows.iter().map(|r| r.product_name.clone()).collect();
    let names: Vec<String> = names.into_iter().collect();
    Ok(AdvisoryInput {
        title: format!("Kwetsbaarheid in {} ({vuln_key})", names.join(", ")),
        summary: String::new(),
        actions: String::new(),
        urgency: if rows.iter().any(|r| r.priority == "P1") {
            "urgent".into()
        } else {
            "normaal".into()
        },
        tlp: "clear".into(),
        products: products.into_iter().collect::<Vec<_>>().join("\n"),
        cves: rows
            .iter()
            .find_map(|r| r.cve_id.clone())
            .unwrap_or_default(),
        sources: rows
            .iter()
            .find_map(|r| r.cve_id.as_ref())
            .map(|c| format!("https://www.cve.org/CVERecord?id={c} {c} (CVE.org)"))
            .unwrap_or_default(),
    })
}

/// The analyst edits an advisory; a published one is sent again only on re-publish.
pub async fn update(app: &App, actor: &Actor, id: i64, input: &AdvisoryInput) -> AppResult<()> {
    require_cert(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let row = store::get(&mut cx, id).await?;
    let mut adv: SectorAdvisory = from_json(&row.data, "advisory")?;
    let before = adv.clone();
    apply(input, &loaded, &mut adv)?;
    store::update(
        &mut cx,
        id,
        adv.tlp.code(),
        &adv.title,
        &to_json(&adv)?,
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "vuln_advisory",
            object_id: id,
            action: "update",
            changes: schoolcert_domain::audit::diff(Some(&before), Some(&adv)),
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// A product as one board is told about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToldProduct {
    pub slug: String,
    pub name: String,
    /// The board's versions concerned (affected ones, or all it recorded when unsure).
    pub versions: Vec<String>,
    /// `affected` or `version_not_stated` (check).
    pub relation: String,
    pub fixed_in: Vec<String>,
}

/// Which boards an advisory concerns and what each is told. With CVEs that have stored
/// matches for a product, exactly the boards with a notifiable match; otherwise every board
/// holding the product whose recorded versions are in (or may be in) the advisory's range.
async fn affected(
    cx: &mut Cx,
    loaded: &Loaded,
    adv: &SectorAdvisory,
) -> AppResult<BTreeMap<i64, Vec<ToldProduct>>> {
    let entries = store_landscape::all(cx, Scope::All).await?;
    let cve_keys: Vec<String> = adv.cves.iter().map(|c| c.to_string()).collect();
    let stored: Vec<MatchRow> = matches::for_vulns(cx, Scope::All, &cve_keys).await?;
    let mut out: BTreeMap<i64, Vec<ToldProduct>> = BTreeMap::new();
    for ap in &adv.products {
        let Some(product) = loaded.catalogue.get(&ap.product) else {
            continue;
        };
        let slug = ap.product.to_string();
        let for_product: Vec<&MatchRow> =
            stored.iter().filter(|m| m.product_slug == slug).collect();
        let mut told: BTreeMap<i64, ToldProduct> = BTreeMap::new();
        if !for_product.is_empty() {
            for m in for_product {
                if m.withdrawn || !matches!(m.relation.as_str(), "affected" | "version_not_stated")
                {
                    continue;
                }
                let detail: serde_json::Value = serde_json::from_str(&m.detail).unwrap_or_default();
                let versions: Vec<String> = detail
                    .get("affected_versions")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .unwrap_or_default();
                let t = told.entry(m.board_id).or_insert_with(|| ToldProduct {
                    slug: slug.clone(),
                    name: product.name.clone(),
                    versions: vec![],
                    relation: "version_not_stated".into(),
                    fixed_in: ap.fixed_in.clone(),
                });
                if m.relation == "affected" {
                    t.relation = "affected".into();
                }
                for v in versions {
                    if !t.versions.contains(&v) {
                        t.versions.push(v);
                    }
                }
            }
        } else {
            let spec = ap.versions.as_deref().map(range_spec);
            for e in entries
                .iter()
                .filter(|e| e.product_slug.as_deref() == Some(&slug))
            {
                let recorded: Vec<String> = serde_json::from_str(&e.versions).unwrap_or_default();
                let (relation, versions) = match &spec {
                    None => ("affected", recorded.clone()),
                    Some(_) if recorded.is_empty() || !product.tracks_versions() => {
                        ("version_not_stated", recorded.clone())
                    }
                    Some(spec) => {
                        let c: Vec<(String, Containment)> = recorded
                            .iter()
                            .map(|v| (v.clone(), spec.contains(v, product.version_scheme)))
                            .collect();
                        let inside: Vec<String> = c
                            .iter()
                            .filter(|(_, c)| *c == Containment::Inside)
                            .map(|(v, _)| v.clone())
                            .collect();
                        if !inside.is_empty() {
                            ("affected", inside)
                        } else if c.iter().any(|(_, c)| *c == Containment::Undecided) {
                            ("version_not_stated", recorded.clone())
                        } else {
                            continue;
                        }
                    }
                };
                let t = told.entry(e.board_id).or_insert_with(|| ToldProduct {
                    slug: slug.clone(),
                    name: product.name.clone(),
                    versions: vec![],
                    relation: relation.into(),
                    fixed_in: ap.fixed_in.clone(),
                });
                if relation == "affected" {
                    t.relation = "affected".into();
                }
                for v in versions {
                    if !t.versions.contains(&v) {
                        t.versions.push(v);
                    }
                }
            }
        }
        for (board, mut t) in told {
            t.versions.sort();
            out.entry(board).or_default().push(t);
        }
    }
    Ok(out)
}

fn fingerprint(told: &[ToldProduct], urgency: Urgency) -> AppResult<String> {
    let text = to_json(&(told, urgency))?;
    Ok(hex::encode(Sha256::digest(text.as_bytes())))
}

fn relation_text(code: &str, lang: Lang) -> &'static str {
    match code {
        "affected" => lang.pick("kwetsbaar", "affected"),
        _ => lang.pick("controleer uw versie", "check your version"),
    }
}

/// What publishing did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PublishReport {
    pub tracking_id: String,
    pub version: String,
    /// Boards that got a notice now.
    pub notified: Vec<String>,
    /// Boards concerned whose notice did not change (nothing sent).
    pub unchanged: usize,
}

/// Publishes (or re-publishes) an advisory: new revision, CSAF document, provider files,
/// and a notice to each board whose affected set or remediation is new or changed.
pub async fn publish(
    app: &App,
    actor: &Actor,
    id: i64,
    revision_summary: &str,
) -> AppResult<PublishReport> {
    require_cert(actor)?;
    publish_as(app, By::Actor(actor), id, revision_summary).await
}

async fn publish_as(
    app: &App,
    by: By<'_>,
    id: i64,
    revision_summary: &str,
) -> AppResult<PublishReport> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let row = store::get(&mut cx, id).await?;
    let mut adv: SectorAdvisory = from_json(&row.data, "advisory")?;
    let told = affected(&mut cx, &loaded, &adv).await?;
    let previous: BTreeMap<i64, NoticeRow> = store::notices_of(&mut cx, Scope::All, id)
        .await?
        .into_iter()
        .map(|n| (n.board_id, n))
        .collect();
    let mut changed: Vec<(i64, &Vec<ToldProduct>, String)> = Vec::new();
    let mut unchanged = 0;
    let mut covered: Vec<(i64, &Vec<ToldProduct>)> = Vec::new();
    for (board, products) in &told {
        let fp = fingerprint(products, adv.urgency)?;
        if previous.get(board).is_some_and(|n| n.fingerprint == fp) {
            unchanged += 1;
            covered.push((*board, products));
        } else {
            changed.push((*board, products, fp));
        }
    }
    let first = row.status == "draft";
    let summary = match revision_summary.trim() {
        "" if first => "Eerste publicatie",
        "" => "Bijgewerkt",
        s => s,
    };
    adv.status = AdvisoryStatus::Final;
    adv.add_revision(now, summary, !first && !changed.is_empty());
    let problems = adv.validate(&loaded.catalogue);
    if !problems.is_empty() {
        return Err(AppError::Invalid(
            problems
                .iter()
                .map(|p| crate::FieldError::new("advisory", Msg::of(p)))
                .collect(),
        ));
    }
    let csaf = super::provider::advisory_csaf(app, &loaded, &adv)?;
    store::mark_published(&mut cx, id, &to_json(&adv)?, &csaf, now).await?;
    store::update(
        &mut cx,
        id,
        adv.tlp.code(),
        &adv.title,
        &to_json(&adv)?,
        now,
    )
    .await?;
    super::provider::rebuild(app, &mut cx, &loaded).await?;
    let version = adv.version().unwrap_or("1.0.0").to_owned();
    let mut notified = Vec::new();
    let cve_keys: Vec<String> = adv.cves.iter().map(|c| c.to_string()).collect();
    let board_matches = matches::for_vulns(&mut cx, Scope::All, &cve_keys).await?;
    for (board, products, fp) in changed {
        let board_id = BoardId(board);
        let b = boards::get(&mut cx, Scope::All, board_id).await?;
        let to = contacts::notification_addresses(&mut cx, board_id).await?;
        let outbox_id = if to.is_empty() {
            None
        } else {
            let lang = Lang::Nl;
            let list: Vec<serde_json::Value> = products
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "name": p.name,
                        "versions": p.versions.join(", "),
                        "relation": relation_text(&p.relation, lang),
                        "fixed_in": p.fixed_in.join(", "),
                    })
                })
                .collect();
            Some(
                mail::queue(
                    app,
                    &mut cx,
                    Outgoing {
                        kind: "vuln_advisory",
                        board_id: Some(board_id),
                        to,
                        template: "vuln_advisory",
                        lang,
                        context: serde_json::json!({
                            "board_name": b.name,
                            "tracking_id": adv.tracking_id,
                            "title": adv.title,
                            "urgency": adv.urgency.label(lang),
                            "tlp_label": adv.tlp.label(),
                            "summary": adv.summary,
                            "actions": adv.actions,
                            "products": list,
                            "revision": previous.contains_key(&board),
                            "version": version,
                            "link": app.config.link(&format!("/portaal/adviezen/{id}")),
                        }),
                        attachments: vec![],
                    },
                )
                .await?,
            )
        };
        store::record_notice(
            &mut cx,
            id,
            board_id,
            &version,
            &fp,
            &to_json(products)?,
            outbox_id,
            now,
        )
        .await?;
        let slugs: BTreeSet<&str> = products.iter().map(|p| p.slug.as_str()).collect();
        for m in board_matches
            .iter()
            .filter(|m| m.board_id == board && slugs.contains(m.product_slug.as_str()))
        {
            matches::mark_notified(&mut cx, m.id, id, now).await?;
        }
        notified.push(b.name);
    }
    // Boards told before whose notice did not change: their re-opened matches are covered by
    // what they already have, so they leave the analyst's queue without a second notice.
    for (board, products) in covered {
        let slugs: BTreeSet<&str> = products.iter().map(|p| p.slug.as_str()).collect();
        for m in board_matches.iter().filter(|m| {
            m.board_id == board && m.state == "new" && slugs.contains(m.product_slug.as_str())
        }) {
            matches::mark_notified(&mut cx, m.id, id, now).await?;
        }
    }
    audit::record(
        &mut cx,
        Record {
            by,
            board_id: None,
            object_type: "vuln_advisory",
            object_id: id,
            action: "publish",
            changes: vec![
                schoolcert_domain::audit::change("version", None::<String>, Some(&version)),
                schoolcert_domain::audit::change("notified", None::<String>, Some(&notified)),
            ],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(PublishReport {
        tracking_id: adv.tracking_id,
        version,
        notified,
        unchanged,
    })
}

/// The automatic P1 notice: for fresh matches of a KEV-listed CVE on an internet-facing
/// product, one standard advisory per CVE × product is written and published at once.
pub async fn automatic_p1(app: &App, match_ids: &[i64]) -> AppResult<Vec<String>> {
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for id in match_ids {
        let m = matches::get(&mut cx, Scope::All, *id).await?;
        if m.withdrawn || m.state != "new" {
            continue;
        }
        let Some(cve) = &m.cve_id else { continue };
        let kev = super::matching::intel_for(&mut cx, std::slice::from_ref(cve)).await?;
        let Ok(cve_id) = cve.parse::<CveId>() else {
            continue;
        };
        let Ok(slug) = m.product_slug.parse::<ProductId>() else {
            continue;
        };
        let Some(product) = loaded.catalogue.get(&slug) else {
            continue;
        };
        let relation: VersionRelation =
            serde_json::from_value(serde_json::Value::String(m.relation.clone()))
                .unwrap_or(VersionRelation::VersionNotStated);
        if !automatic_p1_applies(kev.kev(&cve_id), product.exposure, relation) {
            continue;
        }
        let detail: serde_json::Value = serde_json::from_str(&m.detail).unwrap_or_default();
        let fixed: Vec<String> = detail
            .get("fixed_versions")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        let e = groups
            .entry((cve.clone(), m.product_slug.clone()))
            .or_default();
        for f in fixed {
            if !e.contains(&f) {
                e.push(f);
            }
        }
    }
    let mut created = Vec::new();
    for ((cve, slug), fixed) in groups {
        let marker = format!("p1:{cve}:{slug}");
        if store_provider::setting(&mut cx, &marker).await?.is_some() {
            continue;
        }
        let (Ok(cve_id), Ok(pid)) = (cve.parse::<CveId>(), slug.parse::<ProductId>()) else {
            continue;
        };
        let Some(product) = loaded.catalogue.get(&pid) else {
            continue;
        };
        let intel = super::matching::intel_for(&mut cx, std::slice::from_ref(&cve)).await?;
        let Some(kev): Option<&KevEntry> = intel.kev(&cve_id) else {
            continue;
        };
        let tracking_id = next_tracking_id(app, &mut cx).await?;
        let mut adv = schoolcert_vuln::advisory::automatic_p1(
            &tracking_id,
            &cve_id,
            product,
            kev,
            &fixed,
            now,
        );
        // publish_as adds the first revision itself.
        adv.revisions.clear();
        adv.status = AdvisoryStatus::Draft;
        let id = store::insert(
            &mut cx,
            &tracking_id,
            adv.tlp.code(),
            &adv.title,
            true,
            &to_json(&adv)?,
            now,
        )
        .await?;
        store_provider::set_setting(&mut cx, &marker, &tracking_id, now).await?;
        created.push(id);
    }
    cx.commit().await?;
    let mut out = Vec::new();
    for id in created {
        let r = publish_as(
            app,
            By::System("automatische P1-melding"),
            id,
            "Automatisch verstuurd (P1: actief misbruikt, bereikbaar vanaf internet)",
        )
        .await?;
        out.push(r.tracking_id);
    }
    Ok(out)
}

/// An advisory with what the caller may see of its notices.
#[derive(Debug, Clone, Serialize)]
pub struct AdvisoryView {
    pub row: AdvisoryRow,
    pub advisory: SectorAdvisory,
    pub notices: Vec<NoticeRow>,
}

/// CERT: every advisory. A board: only those it was sent.
pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<AdvisoryRow>> {
    let mut cx = app.db.read().await?;
    if actor.is_cert() {
        return Ok(store::all(&mut cx).await?);
    }
    let Some(board) = actor.board_id else {
        return Ok(vec![]);
    };
    let ids: BTreeSet<i64> = store::notices_of_board(&mut cx, actor.scope(), board)
        .await?
        .into_iter()
        .map(|n| n.advisory_id)
        .collect();
    Ok(store::all(&mut cx)
        .await?
        .into_iter()
        .filter(|a| ids.contains(&a.id))
        .collect())
}

/// One advisory; a board sees it only when it was sent the advisory, and only its own notice.
pub async fn get(app: &App, actor: &Actor, id: i64) -> AppResult<AdvisoryView> {
    let mut cx = app.db.read().await?;
    let row = store::get(&mut cx, id).await?;
    let notices = store::notices_of(&mut cx, actor.scope(), id).await?;
    if !actor.is_cert() && notices.is_empty() {
        return Err(AppError::NotFound);
    }
    let advisory = from_json(&row.data, "advisory")?;
    Ok(AdvisoryView {
        row,
        advisory,
        notices,
    })
}

/// Published TLP:CLEAR advisories (public pages and feed).
pub async fn public_list(app: &App) -> AppResult<Vec<(AdvisoryRow, SectorAdvisory)>> {
    let mut cx = app.db.read().await?;
    let rows = store::published_with_tlp(&mut cx, &[Tlp::Clear.code()]).await?;
    rows.into_iter()
        .map(|r| {
            let a = from_json(&r.data, "advisory")?;
            Ok((r, a))
        })
        .collect()
}

/// One public advisory by tracking id; anything not published TLP:CLEAR is "not found".
pub async fn public_get(app: &App, tracking_id: &str) -> AppResult<(AdvisoryRow, SectorAdvisory)> {
    let mut cx = app.db.read().await?;
    let row = store::by_tracking_id(&mut cx, tracking_id).await?;
    if row.status != "published" || row.tlp != Tlp::Clear.code() {
        return Err(AppError::NotFound);
    }
    let a = from_json(&row.data, "advisory")?;
    Ok((row, a))
}

/// A board's notices (its own only).
pub async fn notices_of_board(
    app: &App,
    actor: &Actor,
    board: BoardId,
) -> AppResult<Vec<NoticeRow>> {
    let mut cx = app.db.read().await?;
    Ok(store::notices_of_board(&mut cx, actor.scope(), board).await?)
}

/// The board (or the CERT on its behalf) records its remediation state for a notice; the
/// board's matches that came with the advisory follow. Returns the advisory's id.
pub async fn set_notice_state(
    app: &App,
    actor: &Actor,
    notice_id: i64,
    state: &str,
) -> AppResult<i64> {
    let to: MatchState =
        state
            .parse()
            .map_err(|e: schoolcert_vuln::match_state::UnknownState| {
                AppError::invalid(
                    "state",
                    Msg::new(
                        format!("Onbekende status '{}'.", e.0),
                        format!("Unknown state '{}'.", e.0),
                    ),
                )
            })?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let notice = store::notice(&mut cx, actor.scope(), notice_id).await?;
    let from: MatchState = notice.state.parse().unwrap_or(MatchState::Notified);
    let by = if actor.is_cert() {
        Changer::Cert
    } else {
        Changer::Board
    };
    transition(from, to, by).map_err(|e| {
        AppError::conflict(
            format!("Deze statuswijziging kan niet ({e})."),
            format!("This state change is not possible ({e})."),
        )
    })?;
    store::set_notice_state(&mut cx, actor.scope(), notice_id, to.code(), now).await?;
    store::set_match_states_for_notice(
        &mut cx,
        notice.advisory_id,
        BoardId(notice.board_id),
        to.code(),
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(BoardId(notice.board_id)),
            object_type: "vuln_notice",
            object_id: notice_id,
            action: "state",
            changes: vec![schoolcert_domain::audit::change(
                "state",
                Some(&notice.state),
                Some(to.code()),
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(notice.advisory_id)
}

/// The analyst's work queue: vulnerabilities with new matches, by priority and boards.
pub async fn work_queue(app: &App, actor: &Actor) -> AppResult<Vec<QueueItem>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(matches::work_queue(&mut cx, 200).await?)
}

/// Matches in scope (a board: its own), optionally one board's.
pub async fn matches_of(
    app: &App,
    actor: &Actor,
    board: Option<BoardId>,
) -> AppResult<Vec<MatchRow>> {
    let mut cx = app.db.read().await?;
    Ok(matches::all(&mut cx, actor.scope(), board).await?)
}

/// Matches of one vulnerability (CERT).
pub async fn matches_of_vuln(app: &App, actor: &Actor, vuln_key: &str) -> AppResult<Vec<MatchRow>> {
    require_cert(actor)?;
    let mut cx = app.db.read().await?;
    Ok(matches::for_vulns(&mut cx, Scope::All, &[vuln_key.to_owned()]).await?)
}

/// The analyst dismisses a new match as not applicable (it leaves the queue).
pub async fn dismiss_match(app: &App, actor: &Actor, match_id: i64) -> AppResult<()> {
    require_cert(actor)?;
    let now = app.now();
    let mut cx = app.db.write().await?;
    let m = matches::get(&mut cx, Scope::All, match_id).await?;
    let from: MatchState = m.state.parse().unwrap_or(MatchState::New);
    transition(from, MatchState::NotApplicable, Changer::Cert)
        .map_err(|e| AppError::conflict(format!("Kan niet: {e}"), format!("Not possible: {e}")))?;
    matches::set_state(
        &mut cx,
        Scope::All,
        match_id,
        MatchState::NotApplicable.code(),
        now,
    )
    .await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(BoardId(m.board_id)),
            object_type: "vuln_match",
            object_id: match_id,
            action: "dismiss",
            changes: vec![schoolcert_domain::audit::change(
                "state",
                Some(&m.state),
                Some("not_applicable"),
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// A message for problems with an advisory, for pages.
pub fn problem_text(p: &impl Localized, lang: Lang) -> String {
    p.message(lang)
}
