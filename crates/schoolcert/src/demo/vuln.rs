//! The demo's vulnerability information: the seed catalogue, an application landscape for
//! every active board, sample documents (a vendor CSAF document with product versions, an
//! NCSC-NL style document with vers ranges, a CVE record, a small KEV catalogue) ingested and
//! matched, one published sector advisory and one guide.

use anyhow::Context;
use schoolcert_app::App;
use schoolcert_app::vuln::advisories::{self, AdvisoryInput};
use schoolcert_app::vuln::ingest::{self, Kind};
use schoolcert_app::vuln::{catalogue, guides, matching};
use schoolcert_domain::access::Scope;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::registry::boards::{self, BoardFilter};
use schoolcert_store::vuln::landscape::{self, EntryFields};
use schoolcert_store::{PageRequest, accounts};

use super::Rng;

const FORTIOS: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/csaf/fortios-product-versions.json");
const NCSC: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/csaf/ncsc-version-ranges.json");
const CVE_PANOS: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/cve/CVE-2024-3400.json");

/// A two-entry KEV catalogue in CISA's format.
const KEV: &str = r#"{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.11.20","dateReleased":"2026-11-20T15:00:00.000Z","count":2,"vulnerabilities":[
{"cveID":"CVE-2024-3400","vendorProject":"Palo Alto Networks","product":"PAN-OS","vulnerabilityName":"Palo Alto Networks PAN-OS Command Injection Vulnerability","dateAdded":"2024-04-12","shortDescription":"Palo Alto Networks PAN-OS GlobalProtect feature contains a command injection vulnerability.","requiredAction":"Apply mitigations per vendor instructions.","dueDate":"2024-04-19","knownRansomwareCampaignUse":"Unknown","notes":"","cwes":["CWE-77"]},
{"cveID":"CVE-2024-21762","vendorProject":"Fortinet","product":"FortiOS","vulnerabilityName":"Fortinet FortiOS Out-of-Bound Write Vulnerability","dateAdded":"2024-02-09","shortDescription":"Fortinet FortiOS contains an out-of-bound write vulnerability.","requiredAction":"Apply mitigations per vendor instructions.","dueDate":"2024-02-16","knownRansomwareCampaignUse":"Known","notes":"","cwes":["CWE-787"]}]}"#;

const GUIDE: &str = "Een firewall of VPN-server staat met één been op internet. Aanvallers zoeken \
dagelijks naar bekende kwetsbaarheden in deze apparaten.\n\n## Wat u kunt doen\n\n\
1. Houd bij welke versie draait (vul uw applicatielandschap in het portaal in).\n\
2. Zet automatische meldingen van de leverancier aan.\n\
3. Installeer beveiligingsupdates binnen een week; bij een *Urgent*-advies dezelfde dag.\n\
4. Zet beheerinterfaces nooit open naar internet.\n";

/// (catalogue id, versions to pick from) for the network edge; every board has one firewall.
const FIREWALLS: &[(&str, &[&str])] = &[
    (
        "fortinet-fortios",
        &["7.2.6", "7.2.7", "7.4.2", "7.0.13", ""],
    ),
    ("paloalto-panos", &["10.2.5", "10.2.9-h1", "11.1.2", ""]),
    ("sophos-firewall", &[""]),
];
const SIS: &[&str] = &["magister", "somtoday", "parnassys", "esis"];
const SUITES: &[&str] = &["microsoft-365", "google-workspace"];

pub async fn fill(app: &App) -> anyhow::Result<()> {
    let mut rng = Rng::new(5);
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = catalogue::load(app, &mut cx).await?;
    let known = |slug: &str| slug.parse().ok().and_then(|p| loaded.id_of(&p));
    let mut page = PageRequest::new(Some(1), Some(500));
    loop {
        let list = boards::list(
            &mut cx,
            Scope::All,
            &BoardFilter {
                status: Some(BoardStatus::Active),
                ..BoardFilter::default()
            },
            page,
        )
        .await?;
        for b in &list.items {
            let mut lines: Vec<(String, Vec<String>)> = Vec::new();
            lines.push((rng.pick(SIS).to_string(), vec![]));
            lines.push((rng.pick(SUITES).to_string(), vec![]));
            let (fw, versions) = *rng.pick(FIREWALLS);
            let v = *rng.pick(versions);
            lines.push((
                fw.to_string(),
                if v.is_empty() {
                    vec![]
                } else {
                    vec![v.to_string()]
                },
            ));
            for extra in [
                "microsoft-windows",
                "moodle",
                "veeam-backup-replication",
                "vmware-esxi",
            ] {
                if rng.chance(30) {
                    lines.push((extra.to_string(), vec![]));
                }
            }
            for (slug, versions) in lines {
                let Some(product_id) = known(&slug) else {
                    continue;
                };
                landscape::insert(
                    &mut cx,
                    schoolcert_domain::BoardId(b.id),
                    &EntryFields {
                        product_id: Some(product_id),
                        proposed_vendor: None,
                        proposed_name: None,
                        versions: serde_json::to_string(&versions)?,
                        schools: "[]".into(),
                        managed_by: rng
                            .chance(40)
                            .then(|| "ICT-partner Onderwijs BV".to_owned()),
                        notes: None,
                    },
                    now,
                )
                .await?;
            }
        }
        if !list.has_next() {
            break;
        }
        page = PageRequest::new(Some(page.page + 1), Some(500));
    }
    cx.commit().await?;
    matching::rematch(app, matching::Target::default()).await?;

    let docs = |items: &[(&str, &[u8])]| {
        items
            .iter()
            .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
            .collect::<Vec<_>>()
    };
    ingest::import(
        app,
        None,
        Kind::Csaf,
        &docs(&[("fortios.json", FORTIOS), ("ncsc.json", NCSC)]),
    )
    .await?;
    ingest::import(
        app,
        None,
        Kind::Cve,
        &docs(&[("CVE-2024-3400.json", CVE_PANOS)]),
    )
    .await?;
    // KEV last: CVE-2024-3400 on internet-facing PAN-OS triggers the automatic P1 notice.
    ingest::import(app, None, Kind::Kev, &docs(&[("kev.json", KEV.as_bytes())])).await?;

    let mut cx = app.db.read().await?;
    let analyst = accounts::users::by_email(&mut cx, "analist@demo.schoolcert.nl")
        .await?
        .context("demo analyst missing")?;
    drop(cx);
    let actor = schoolcert_app::auth::actor_of(&analyst);
    let id = advisories::create(
        app,
        &actor,
        &AdvisoryInput {
            title: "Kwetsbaarheid in FortiOS SSL-VPN wordt actief misbruikt".into(),
            summary: "Fortinet heeft een kwetsbaarheid (CVE-2024-21762) in de SSL-VPN van FortiOS verholpen. \
                Een aanvaller op internet kan zonder in te loggen code uitvoeren op de firewall. \
                De kwetsbaarheid wordt actief misbruikt, ook door ransomwaregroepen."
                .into(),
            actions: "1. Werk FortiOS bij naar 7.2.7 of 7.4.3 (of hoger).\n\
                2. Kunt u niet direct bijwerken? Zet de SSL-VPN uit.\n\
                3. Controleer de logboeken op ongebruikelijke VPN-sessies."
                .into(),
            urgency: "urgent".into(),
            tlp: "clear".into(),
            products: "fortinet-fortios vers:intdot/>=7.2.0|<7.2.7 fixed: 7.2.7, 7.4.3".into(),
            cves: "CVE-2024-21762".into(),
            sources: "https://www.fortiguard.com/psirt/FG-IR-24-015 Fortinet PSIRT FG-IR-24-015".into(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message(schoolcert_domain::Lang::En)))?;
    advisories::publish(app, &actor, id, "")
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message(schoolcert_domain::Lang::En)))?;
    guides::save(
        app,
        &actor,
        "firewall-en-vpn-bijhouden",
        "Firewall en VPN bijhouden",
        GUIDE,
        true,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message(schoolcert_domain::Lang::En)))?;
    Ok(())
}
