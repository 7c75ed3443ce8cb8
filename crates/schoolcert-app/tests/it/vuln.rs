//! Vulnerability information end to end without HTTP: real-shaped CSAF and CVE documents,
//! KEV and EPSS joins, matching by landscape, sector advisories with one notice per affected
//! board, revisions without duplicate notices, and a provider sync from a local fake provider.

use schoolcert_app::vuln::advisories::{self, AdvisoryInput};
use schoolcert_app::vuln::ingest::{self, Kind};
use schoolcert_app::vuln::landscape::{self, EntryInput};
use schoolcert_app::vuln::sync;
use schoolcert_domain::BoardId;
use schoolcert_domain::access::{Role, Scope};
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_store::Backend;
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_store::vuln::matches::{self, MatchRow};
use schoolcert_testkit::{TestApp, dual_tests};

const FORTIOS: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/csaf/fortios-product-versions.json");
const FORTIOS_REV2: &[u8] = include_bytes!(
    "../../../schoolcert-vuln/tests/fixtures/csaf/fortios-product-versions-rev2.json"
);
const FORTIOS_REV3: &[u8] = include_bytes!(
    "../../../schoolcert-vuln/tests/fixtures/csaf/fortios-product-versions-rev3.json"
);
const NCSC: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/csaf/ncsc-version-ranges.json");
const INVALID: &[u8] = include_bytes!(
    "../../../schoolcert-vuln/tests/fixtures/csaf/invalid-contradicting-status.json"
);
const CVE_PANOS: &[u8] =
    include_bytes!("../../../schoolcert-vuln/tests/fixtures/cve/CVE-2024-3400.json");

const KEV: &str = r#"{"title":"CISA KEV","catalogVersion":"2026.11.20","dateReleased":"2026-11-20T15:00:00.000Z","count":1,"vulnerabilities":[
{"cveID":"CVE-2024-3400","vendorProject":"Palo Alto Networks","product":"PAN-OS","vulnerabilityName":"PAN-OS Command Injection","dateAdded":"2024-04-12","shortDescription":"Command injection.","requiredAction":"Apply mitigations.","dueDate":"2024-04-19","knownRansomwareCampaignUse":"Unknown","notes":"","cwes":["CWE-77"]}]}"#;
const EPSS: &str = "#model_version:v2025.03.14,score_date:2026-11-20T00:00:00+0000\ncve,epss,percentile\nCVE-2024-3400,0.94,0.999\nCVE-2024-21762,0.12,0.95\n";

fn input(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    vec![(name.to_owned(), bytes.to_vec())]
}

/// A board with one contact and a landscape of (catalogue id, versions).
async fn board(t: &TestApp, duo: &str, name: &str, lines: &[(&str, &str)]) -> (BoardId, String) {
    let id = t.board(duo, name, BoardStatus::Active).await;
    let email = format!("ict@{duo}.test");
    let mut cx = t.app.db.write().await.unwrap();
    contacts::insert(
        &mut cx,
        id,
        &ContactFields {
            name: "ICT".into(),
            function: String::new(),
            email: email.clone(),
            phone: String::new(),
            role: ContactRole::Primary,
            pgp_key: None,
            pgp_fingerprint: None,
        },
        true,
        t.app.now(),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    let contact = t
        .user(&format!("portal@{duo}.test"), Role::BoardContact, Some(id))
        .await;
    for (product, versions) in lines {
        landscape::add(
            &t.app,
            &contact,
            id,
            &EntryInput {
                product: (*product).into(),
                versions: (*versions).into(),
                ..EntryInput::default()
            },
        )
        .await
        .unwrap();
    }
    (id, email)
}

async fn matches_of(t: &TestApp, board: BoardId) -> Vec<MatchRow> {
    let mut cx = t.app.db.read().await.unwrap();
    matches::all(&mut cx, Scope::All, Some(board))
        .await
        .unwrap()
}

fn advisory_form(tlp: &str) -> AdvisoryInput {
    AdvisoryInput {
        title: "Kwetsbaarheid in FortiOS SSL-VPN".into(),
        summary: "Een aanvaller kan op afstand code uitvoeren.".into(),
        actions: "Werk FortiOS bij.".into(),
        urgency: "urgent".into(),
        tlp: tlp.into(),
        products: "fortinet-fortios fixed: 7.2.7, 7.4.3".into(),
        cves: "CVE-2024-21762".into(),
        sources: "https://www.fortiguard.com/psirt/FG-IR-24-015 Fortinet PSIRT".into(),
    }
}

async fn csaf_revisions_update_without_renotifying_and_boards_hear_only_about_their_own(
    b: Backend,
) {
    let t = TestApp::start_with(b, |c| c.vuln.automatic_p1 = false).await;
    let analyst = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let (a, mail_a) = board(
        &t,
        "10001",
        "Stichting A",
        &[("fortinet-fortios", "7.2.6"), ("magister", "")],
    )
    .await;
    let (fixed, mail_fixed) =
        board(&t, "10002", "Stichting B", &[("fortinet-fortios", "7.2.7")]).await;
    let (_, mail_other) = board(&t, "10003", "Stichting C", &[("somtoday", "")]).await;
    let (old_branch, mail_old) = board(
        &t,
        "10004",
        "Stichting D",
        &[("fortinet-fortios", "7.0.13")],
    )
    .await;

    // An invalid document is kept out with a clear reason; the good one goes in.
    let mut inputs = input("fortios.json", FORTIOS);
    inputs.extend(input("invalid.json", INVALID));
    let r = ingest::import(&t.app, Some(&analyst), Kind::Csaf, &inputs)
        .await
        .unwrap();
    assert_eq!((r.inserted, r.refused.len()), (1, 1));
    assert_eq!(r.refused[0].source, "invalid.json");
    assert!(
        r.refused[0].reason.contains("6.1"),
        "{}",
        r.refused[0].reason
    );

    let ma = matches_of(&t, a).await;
    assert_eq!(ma.len(), 1);
    assert_eq!(
        (
            ma[0].product_slug.as_str(),
            ma[0].relation.as_str(),
            ma[0].state.as_str()
        ),
        ("fortinet-fortios", "affected", "new")
    );
    assert!(ma[0].detail.contains("7.2.6"));
    assert!(
        matches_of(&t, fixed).await.is_empty(),
        "7.2.7 is fixed: nothing to tell"
    );
    assert!(
        matches_of(&t, old_branch).await.is_empty(),
        "the 7.0 branch is not in revision 1"
    );
    let queue = advisories::work_queue(&t.app, &analyst).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(
        (queue[0].vuln_key.as_str(), queue[0].boards),
        ("CVE-2024-21762", 1)
    );

    // Re-import is idempotent.
    let again = ingest::import(&t.app, None, Kind::Csaf, &input("fortios.json", FORTIOS))
        .await
        .unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 1));

    // The sector advisory goes to exactly the affected board, listing its own version.
    let id = advisories::create(&t.app, &analyst, &advisory_form("clear"))
        .await
        .unwrap();
    let p = advisories::publish(&t.app, &analyst, id, "").await.unwrap();
    assert_eq!(p.notified, vec!["Stichting A".to_string()]);
    assert_eq!(p.version, "1.0.0");
    let sent = t.mail_to(&mail_a).await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].subject.contains("FortiOS"), "{}", sent[0].subject);
    assert!(sent[0].body_text.contains("7.2.6"), "{}", sent[0].body_text);
    assert!(
        !sent[0].body_text.contains("Magister"),
        "only the products of the advisory"
    );
    for other in [&mail_fixed, &mail_other, &mail_old] {
        assert!(t.mail_to(other).await.is_empty(), "{other} got mail");
    }
    assert_eq!(matches_of(&t, a).await[0].state, "notified");

    // A minor revision with the same facts: stored, matches kept, re-publishing sends nothing.
    let r2 = ingest::import(&t.app, None, Kind::Csaf, &input("rev2.json", FORTIOS_REV2))
        .await
        .unwrap();
    assert_eq!(
        (r2.updated, r2.rematch.created, r2.rematch.reopened),
        (1, 0, 0)
    );
    let older = ingest::import(&t.app, None, Kind::Csaf, &input("fortios.json", FORTIOS))
        .await
        .unwrap();
    assert_eq!(
        older.unchanged, 1,
        "an older revision never replaces a newer one"
    );
    let p2 = advisories::publish(&t.app, &analyst, id, "Details aangevuld")
        .await
        .unwrap();
    assert!(p2.notified.is_empty());
    assert_eq!((p2.unchanged, p2.version.as_str()), (1, "1.1.0"));
    assert_eq!(
        t.mail_to(&mail_a).await.len(),
        1,
        "no second notice for the same facts"
    );

    // A major revision adds the 7.0 branch: only that board is told, once.
    let r3 = ingest::import(&t.app, None, Kind::Csaf, &input("rev3.json", FORTIOS_REV3))
        .await
        .unwrap();
    assert_eq!((r3.updated, r3.rematch.created), (1, 1));
    let p3 = advisories::publish(&t.app, &analyst, id, "7.0 toegevoegd")
        .await
        .unwrap();
    assert_eq!(p3.notified, vec!["Stichting D".to_string()]);
    assert_eq!(t.mail_to(&mail_old).await.len(), 1);
    assert_eq!(t.mail_to(&mail_a).await.len(), 1);

    // The board records its remediation state; another board cannot touch it.
    let contact_a = t
        .user("extra@10001.test", Role::BoardContact, Some(a))
        .await;
    let contact_d = t
        .user("extra@10004.test", Role::BoardContact, Some(old_branch))
        .await;
    let view = advisories::get(&t.app, &contact_a, id).await.unwrap();
    assert_eq!(view.notices.len(), 1, "a board sees only its own notice");
    let notice = view.notices[0].id;
    assert!(matches!(
        advisories::set_notice_state(&t.app, &contact_d, notice, "done").await,
        Err(schoolcert_app::AppError::NotFound)
    ));
    advisories::set_notice_state(&t.app, &contact_a, notice, "in_progress")
        .await
        .unwrap();
    advisories::set_notice_state(&t.app, &contact_a, notice, "done")
        .await
        .unwrap();
    assert_eq!(matches_of(&t, a).await[0].state, "done");
    let no_notice = t
        .user("extra@10002.test", Role::BoardContact, Some(fixed))
        .await;
    assert!(matches!(
        advisories::get(&t.app, &no_notice, id).await,
        Err(schoolcert_app::AppError::NotFound)
    ));

    // The published document passes the CSAF mandatory and publication tests.
    let view = advisories::get(&t.app, &analyst, id).await.unwrap();
    let csaf: serde_json::Value = serde_json::from_str(view.row.csaf.as_deref().unwrap()).unwrap();
    let report = schoolcert_vuln::csaf::validate(
        &csaf,
        schoolcert_vuln::csaf::CsafVersion::V2_0,
        &schoolcert_vuln::csaf::PUBLISH_EXTRA_TESTS,
    );
    assert!(report.is_valid(), "{}", report.summary());
    assert_eq!(csaf["document"]["tracking"]["version"], "2.0.0");
    t.finish().await;
}

async fn csaf_vers_ranges_all_and_unknown_give_three_valued_answers(b: Backend) {
    let t = TestApp::start(b).await;
    let (in_range, _) = board(&t, "20001", "Range", &[("paloalto-panos", "10.2.5")]).await;
    let (outside, _) = board(&t, "20002", "Outside", &[("paloalto-panos", "10.2.9-h1")]).await;
    let (saas, _) = board(&t, "20003", "Saas", &[("magister", "")]).await;
    let (none, _) = board(&t, "20004", "None", &[("somtoday", "")]).await;
    let r = ingest::import(&t.app, None, Kind::Csaf, &input("ncsc.json", NCSC))
        .await
        .unwrap();
    assert_eq!(r.inserted, 1);
    let m = matches_of(&t, in_range).await;
    assert_eq!(
        (
            m[0].relation.as_str(),
            m[0].level.as_str(),
            m[0].method.as_str()
        ),
        ("affected", "version", "alias"),
        "vers:intdot range decided; a name alias is a probable match"
    );
    let m = matches_of(&t, outside).await;
    assert_eq!(
        m[0].relation, "version_not_stated",
        "vers:unknown/* cannot decide"
    );
    let m = matches_of(&t, saas).await;
    assert_eq!(
        (m[0].relation.as_str(), m[0].level.as_str()),
        ("affected", "product"),
        "vers:all/* on SaaS"
    );
    assert!(matches_of(&t, none).await.is_empty());
    t.finish().await;
}

async fn cve_default_status_and_changes_with_kev_and_epss_joins(b: Backend) {
    let t = TestApp::start(b).await;
    let (h2, mail_h2) = board(&t, "20004", "Hotfix h2", &[("paloalto-panos", "10.2.0-h2")]).await;
    let (h3, mail_h3) = board(&t, "20005", "Hotfix h3", &[("paloalto-panos", "10.2.0-h3")]).await;
    let (later, _) = board(&t, "20006", "Later", &[("paloalto-panos", "11.1.2-h3")]).await;
    let r = ingest::import(
        &t.app,
        None,
        Kind::Cve,
        &input("CVE-2024-3400.json", CVE_PANOS),
    )
    .await
    .unwrap();
    assert_eq!(r.inserted, 1);
    let m = matches_of(&t, h2).await;
    assert_eq!((m.len(), m[0].relation.as_str()), (1, "affected"));
    assert!(m[0].detail.contains("10.2.0-h2"));
    assert!(
        matches_of(&t, h3).await.is_empty(),
        "unaffected by the CNA's changes"
    );
    assert!(matches_of(&t, later).await.is_empty(), "the fixed release");
    assert_ne!(matches_of(&t, h2).await[0].priority, "P1");
    let again = ingest::import(
        &t.app,
        None,
        Kind::Cve,
        &input("CVE-2024-3400.json", CVE_PANOS),
    )
    .await
    .unwrap();
    assert_eq!(again.unchanged, 1);

    // KEV joins by CVE id: internet-facing PAN-OS becomes P1 and the automatic notice goes
    // to the affected board only.
    let r = ingest::import(&t.app, None, Kind::Kev, &input("kev.json", KEV.as_bytes()))
        .await
        .unwrap();
    assert_eq!(r.inserted, 1);
    let after = matches_of(&t, h2).await[0].clone();
    assert_eq!(after.priority, "P1");
    assert!(after.reasons.contains("kev"), "{}", after.reasons);
    let sent = t.mail_to(&mail_h2).await;
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].subject.starts_with("[Urgent]"),
        "{}",
        sent[0].subject
    );
    assert!(
        sent[0].body_text.contains("10.2.0-h2"),
        "{}",
        sent[0].body_text
    );
    assert!(t.mail_to(&mail_h3).await.is_empty());
    assert_eq!(matches_of(&t, h2).await[0].state, "notified");
    // KEV again: nothing new, no second automatic notice.
    ingest::import(&t.app, None, Kind::Kev, &input("kev.json", KEV.as_bytes()))
        .await
        .unwrap();
    assert_eq!(t.mail_to(&mail_h2).await.len(), 1);

    // EPSS joins by CVE id too.
    let r = ingest::import(
        &t.app,
        None,
        Kind::Epss,
        &input("epss.csv", EPSS.as_bytes()),
    )
    .await
    .unwrap();
    assert_eq!(r.inserted, 2);
    let m = matches_of(&t, h2).await;
    assert!(m[0].reasons.contains("epss"), "{}", m[0].reasons);
    t.finish().await;
}

async fn landscape_changes_rematch_and_csv_round_trips(b: Backend) {
    let t = TestApp::start_with(b, |c| c.vuln.automatic_p1 = false).await;
    let (a, _) = board(&t, "30001", "Stichting A", &[]).await;
    let contact = t.user("p@30001.test", Role::BoardContact, Some(a)).await;
    ingest::import(&t.app, None, Kind::Csaf, &input("fortios.json", FORTIOS))
        .await
        .unwrap();
    assert!(matches_of(&t, a).await.is_empty());
    let csv = "product;leverancier;versies;scholen;beheer;notities\nfortinet-fortios;;7.2.6;;ICT-partner;\nOnbekend;Leverancier X;1.0;;;\nmagister;;;XXXX;;\n";
    let r = landscape::import_csv(
        &t.app,
        &contact,
        a,
        csv.as_bytes(),
        schoolcert_domain::Lang::Nl,
    )
    .await
    .unwrap();
    assert_eq!((r.imported, r.proposals), (2, 1));
    assert_eq!(r.errors.len(), 1, "the bad school code is reported by line");
    assert_eq!(r.errors[0].line, 4);
    let m = matches_of(&t, a).await;
    assert_eq!(
        (m.len(), m[0].relation.as_str()),
        (1, "affected"),
        "a landscape change re-matches"
    );
    let out = landscape::export_csv(&t.app, &contact, a).await.unwrap();
    assert!(
        out.contains("fortinet-fortios") && out.contains("7.2.6") && out.contains("Leverancier X"),
        "{out}"
    );
    // Removing the product withdraws the match.
    let entries = landscape::entries(&t.app, &contact, a).await.unwrap();
    let fw = entries
        .iter()
        .find(|e| e.product_slug.as_deref() == Some("fortinet-fortios"))
        .unwrap();
    landscape::delete(&t.app, &contact, fw.id).await.unwrap();
    assert!(matches_of(&t, a).await.iter().all(|m| m.withdrawn));
    // Another board's contact cannot see or change this landscape.
    let (other, _) = board(&t, "30002", "Stichting B", &[]).await;
    let stranger = t
        .user("p@30002.test", Role::BoardContact, Some(other))
        .await;
    assert!(matches!(
        landscape::entries(&t.app, &stranger, a).await,
        Err(schoolcert_app::AppError::NotFound)
    ));
    assert!(matches!(
        landscape::delete(&t.app, &stranger, entries[0].id).await,
        Err(schoolcert_app::AppError::NotFound)
    ));
    assert!(
        advisories::matches_of(&t.app, &stranger, Some(a))
            .await
            .unwrap()
            .is_empty()
    );
    t.finish().await;
}

/// A CSAF provider on a local port, built with the same publishing code a real one would use;
/// `tamper` names a document whose `.sha256` and `.sha512` are replaced by wrong ones.
async fn fake_provider(tamper: &str) -> (String, tokio::task::JoinHandle<()>) {
    use axum::extract::Path;
    use axum::http::StatusCode;
    use schoolcert_vuln::publish::{self, ProviderConfig, PublishedDocument, PublisherInfo};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}/.well-known/csaf/");
    let key =
        schoolcert_vuln::openpgp::generate_key("Fake PSIRT <psirt@fake.test>", [7; 32]).unwrap();
    let signer = schoolcert_vuln::openpgp::Signer::from_armored(&key, "").unwrap();
    // The fixtures lack what publication requires (language, canonical URL, TLP URL).
    let publishable = |bytes: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let d = &mut v["document"];
        if d.get("lang").is_none() {
            d["lang"] = "en".into();
        }
        d["distribution"]["tlp"]["url"] = "https://www.first.org/tlp/".into();
        let id = d["tracking"]["id"].as_str().unwrap().to_owned();
        let year = &d["tracking"]["initial_release_date"].as_str().unwrap()[..4];
        let url = format!(
            "{base}white/{year}/{}",
            schoolcert_vuln::csaf::file_name(&id)
        );
        let self_ref =
            serde_json::json!({"category": "self", "summary": "Canonical URL", "url": url});
        match d.get_mut("references").and_then(|r| r.as_array_mut()) {
            Some(refs) => {
                refs.retain(|r| r["category"] != "self");
                refs.push(self_ref);
            }
            None => d["references"] = serde_json::json!([self_ref]),
        }
        PublishedDocument::from_json(&v).unwrap()
    };
    let docs: Vec<PublishedDocument> = [FORTIOS_REV2, NCSC]
        .iter()
        .map(|b| publishable(b))
        .collect();
    let config = ProviderConfig {
        base_url: base.clone(),
        publisher: PublisherInfo {
            name: "Fake PSIRT".into(),
            namespace: "https://psirt.example.test".into(),
            contact_details: None,
            issuing_authority: None,
        },
        list_on_aggregators: true,
        mirror_on_aggregators: true,
        advertise_protected_feeds: false,
    };
    let now = schoolcert_domain::time::parse_rfc3339("2026-11-20T08:00:00Z").unwrap();
    let mut files: std::collections::HashMap<String, Vec<u8>> =
        publish::build(&config, &docs, &signer, now)
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
    for (path, bytes) in files.iter_mut() {
        if path.contains(tamper) && (path.ends_with(".sha256") || path.ends_with(".sha512")) {
            let name = path
                .rsplit('/')
                .next()
                .unwrap()
                .trim_end_matches(".sha256")
                .trim_end_matches(".sha512");
            let len = if path.ends_with(".sha256") { 64 } else { 128 };
            *bytes = format!("{}  {name}\n", "0".repeat(len)).into_bytes();
        }
    }
    let files = std::sync::Arc::new(files);
    let app = axum::Router::new().route(
        "/{*path}",
        axum::routing::get(move |Path(path): Path<String>| {
            let files = files.clone();
            async move {
                match files.get(&path) {
                    Some(b) => (StatusCode::OK, b.clone()),
                    None => (StatusCode::NOT_FOUND, Vec::new()),
                }
            }
        }),
    );
    let handle = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("{base}provider-metadata.json"), handle)
}

async fn provider_sync_refuses_a_document_with_a_wrong_hash(b: Backend) {
    let (url, server) = fake_provider("ncsc-2024-0155").await;
    let u = url.clone();
    let t = TestApp::start_with(b, move |c| c.vuln.providers = vec![u]).await;
    let (a, _) = board(&t, "40001", "Stichting A", &[("fortinet-fortios", "7.2.6")]).await;
    let runs = sync::sync_all(&t.app).await.unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.fatal, None, "{run:?}");
    assert_eq!(run.import.inserted, 1, "{run:?}");
    assert_eq!(run.refused.len(), 1, "{run:?}");
    assert!(run.refused[0].source.contains("ncsc-2024-0155"), "{run:?}");
    assert!(
        run.refused[0].reason.to_lowercase().contains("hash")
            || run.refused[0].reason.contains("SHA"),
        "{run:?}"
    );
    assert_eq!(
        matches_of(&t, a).await.len(),
        1,
        "the accepted document was matched"
    );
    // The refused document never reached the database.
    let mut cx = t.app.db.read().await.unwrap();
    let docs = schoolcert_store::vuln::documents::list(&mut cx, 10)
        .await
        .unwrap();
    assert_eq!(docs.len(), 1);
    assert!(docs[0].doc_key.ends_with("FG-IR-24-015"));
    drop(cx);
    server.abort();
    t.finish().await;
}

/// A cvelistV5 `delta.json` brings in the records it lists from the checkout beside it; a
/// listed record missing from the checkout is refused by id, the rest is imported.
async fn a_cvelist_delta_file_imports_the_records_it_lists(b: Backend) {
    let t = TestApp::start(b).await;
    let (h2, _) = board(&t, "20014", "Delta", &[("paloalto-panos", "10.2.0-h2")]).await;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("cves/2024/3xxx");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("CVE-2024-3400.json"), CVE_PANOS).unwrap();
    let delta = r#"{"fetchTime":"2024-04-12T08:00:00.000Z","numberOfChanges":2,
      "new":[{"cveId":"CVE-2024-3400","dateUpdated":"2024-04-12T07:15:00.000Z"}],
      "updated":[{"cveId":"CVE-2024-3999","dateUpdated":"2024-04-12T07:30:00.000Z"}],
      "error":[]}"#;
    std::fs::write(dir.path().join("delta.json"), delta).unwrap();
    let (inputs, unreadable) = ingest::read_paths(&[dir.path().join("delta.json")]);
    assert!(unreadable.is_empty());
    let r = ingest::import(&t.app, None, Kind::Cve, &inputs)
        .await
        .unwrap();
    assert_eq!(r.inserted, 1);
    assert_eq!(r.refused.len(), 1);
    assert!(r.refused[0].source.contains("CVE-2024-3999"));
    assert_eq!(
        matches_of(&t, h2).await.len(),
        1,
        "the listed record matched"
    );
    t.finish().await;
}

dual_tests!(
    a_cvelist_delta_file_imports_the_records_it_lists,
    csaf_revisions_update_without_renotifying_and_boards_hear_only_about_their_own,
    csaf_vers_ranges_all_and_unknown_give_three_valued_answers,
    cve_default_status_and_changes_with_kev_and_epss_joins,
    landscape_changes_rematch_and_csv_round_trips,
    provider_sync_refuses_a_document_with_a_wrong_hash,
);
