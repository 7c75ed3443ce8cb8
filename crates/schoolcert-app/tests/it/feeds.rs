//! Security event feeds through the application: real-format Shadowserver reports of every
//! type in the test inputs (IPv4 and IPv6, bad rows by line), idempotent re-ingest, the dedup
//! window across days, matching edge cases, IntelMQ and generic CSV input, the digest for a
//! board (golden file), nothing sent twice after a sender crash, preferences, retention, and
//! the pull from a local server that plays Shadowserver's Reports API.

use std::path::{Path, PathBuf};

use chrono::Duration;
use schoolcert_app::feeds::{digest, events, ingest, preferences, pull};
use schoolcert_app::registry::assets;
use schoolcert_domain::BoardId;
use schoolcert_domain::access::{Actor, Role, Scope};
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_feeds::digest::{Frequency, Preferences};
use schoolcert_store::audit::By;
use schoolcert_store::feeds::events::EventFilter;
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_store::{Backend, PageRequest};
use schoolcert_testkit::{TestApp, dual_tests};

const DAY: &str = "2026-11-20";

fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schoolcert-feeds/tests/oracle/input")
        .join(format!("{DAY}-{name}-nl-geo.csv"))
}

const TYPES: [&str; 14] = [
    "blocklist",
    "compromised_website",
    "device_id6",
    "event4_honeypot_darknet",
    "event4_sinkhole_http",
    "event6_sinkhole_http",
    "sandbox_url",
    "scan6_rdp",
    "scan_exchange",
    "scan_http",
    "scan_http_vulnerable",
    "scan_ntp",
    "scan_rdp",
    "scan_ssl",
];

struct Sector {
    a: BoardId,
    b: BoardId,
    cert: Actor,
    contact_a: Actor,
}

async fn contact(t: &TestApp, board: BoardId, name: &str, email: &str) {
    let mut cx = t.app.db.write().await.unwrap();
    contacts::insert(
        &mut cx,
        board,
        &ContactFields {
            name: name.into(),
            function: String::new(),
            email: email.into(),
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
}

/// Board A holds 145.97.12.0/24, 2001:610:188::/48 and lyceum.nl; board B 192.87.101.0/24 and
/// a more specific 145.97.12.192/26 inside A's block.
async fn sector(t: &TestApp) -> Sector {
    let a = t
        .board(
            "10001",
            "Stichting Scholengroep Voorbeeld",
            BoardStatus::Active,
        )
        .await;
    let b = t.board("10002", "Stichting B", BoardStatus::Active).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let contact_a = t.user("ict@a.nl", Role::BoardContact, Some(a)).await;
    contact(t, a, "Sanne de Vries", "sanne@a.nl").await;
    contact(t, b, "Bob", "bob@b.nl").await;
    assets::claim_list(
        &t.app,
        &cert,
        a,
        "145.97.12.0/24\n2001:610:188::/48\nlyceum.nl",
    )
    .await
    .unwrap();
    assets::claim_list(&t.app, &cert, b, "192.87.101.0/24\n145.97.12.192/26")
        .await
        .unwrap();
    Sector {
        a,
        b,
        cert,
        contact_a,
    }
}

async fn ingest_type(t: &TestApp, kind: &str) -> ingest::IngestSummary {
    ingest::ingest_path(&t.app, By::System("test"), &input(kind), None)
        .await
        .unwrap()
}

async fn all(
    t: &TestApp,
    scope_of: &Actor,
    f: EventFilter,
) -> Vec<schoolcert_store::feeds::events::StoredEvent> {
    events::list(&t.app, scope_of, &f, PageRequest::new(Some(1), Some(500)))
        .await
        .unwrap()
        .items
}

async fn every_report_type_is_ingested_and_bad_rows_are_reported_by_line(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    let mut total_rejected = 0;
    for kind in TYPES {
        let r = ingest_type(&t, kind).await;
        assert!(!r.already_ingested);
        assert!(r.events >= 20, "{kind}: {r:?}");
        assert_eq!(r.rows_read, r.events + r.rejected, "{kind}");
        assert_eq!(r.errors.len() as u64, r.rejected, "{kind}");
        for e in &r.errors {
            assert!(e.line >= 2, "{kind}: line {} {}", e.line, e.reason);
            assert!(!e.reason.is_empty());
        }
        total_rejected += r.rejected;
        assert!(r.stored > 0, "{kind}");
    }
    assert!(
        total_rejected >= 5,
        "the inputs carry bad IPs and timestamps"
    );
    // A bad IP is named with its line.
    let rdp = ingest::ingest_path(
        &t.app,
        By::System("test"),
        &input("scan_rdp"),
        Some("scan_rdp"),
    )
    .await
    .unwrap();
    assert!(rdp.already_ingested);
    let files = events::files(&t.app, &s.cert, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(files.total, 14);
    let with_errors = files.items.iter().find(|f| f.rejected > 0).unwrap();
    assert!(with_errors.errors.iter().all(|e| e.line >= 2));

    // IPv6 events are stored with their address and matched by the /48.
    let v6 = all(
        &t,
        &s.cert,
        EventFilter {
            feed: Some("Accessible-RDP".into()),
            q: Some("2001:610:188:40::".into()),
            ..EventFilter::default()
        },
    )
    .await;
    assert!(!v6.is_empty());
    assert!(
        v6.iter()
            .all(|e| e.board_id == Some(s.a.0) && e.match_reason == "ip")
    );
    // Ten types or more reached board A.
    let mine = all(&t, &s.contact_a, EventFilter::default()).await;
    let feeds: std::collections::BTreeSet<_> = mine.iter().map(|e| e.feed.clone()).collect();
    assert!(feeds.len() >= 10, "{feeds:?}");
    t.finish().await;
}

/// Shadowserver rows are stored as the rows themselves and parsed again on reading: what the
/// export gives for every report type is exactly what parsing the file gives (every IntelMQ
/// field, `raw` and `time.observation` included), for every stored event.
async fn stored_rows_read_back_as_the_events_the_file_gave(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    let schema = schoolcert_feeds::schema::Schema::embedded().unwrap();
    let mut parsed: Vec<serde_json::Value> = Vec::new();
    let mut stored = 0;
    for kind in TYPES {
        let observed = t.app.now();
        let r = ingest_type(&t, kind).await;
        stored += r.stored;
        let rt = schema.by_file_name(kind).unwrap();
        let file = std::fs::File::open(input(kind)).unwrap();
        let ctx = schoolcert_feeds::shadowserver::ReportContext::new(observed);
        for ev in schoolcert_feeds::shadowserver::ShadowserverParser::new(rt, file, ctx)
            .unwrap()
            .flatten()
        {
            let line = schoolcert_feeds::intelmq_json::to_json_line(&ev, None);
            parsed.push(serde_json::from_str(&line).unwrap());
        }
    }
    let mut exported = Vec::new();
    events::export_intelmq(&t.app, Scope::All, &EventFilter::default(), |l| {
        exported.push(l.to_owned());
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(exported.len() as u64, stored);
    for line in &exported {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(m) = v.as_object_mut() {
            m.remove("extra.schoolcert_board");
        }
        assert!(parsed.contains(&v), "not what the file gave: {line}");
        assert!(v.get("raw").is_some(), "{line}");
    }
    // The API and the event page read the same way: a board's event carries its fields.
    let mine = all(&t, &s.contact_a, EventFilter::default()).await;
    let values = schoolcert_app::feeds::stored::intelmq_values(&t.app.config.feeds, &mine);
    assert_eq!(values.len(), mine.len());
    for (v, e) in values.iter().zip(&mine) {
        assert_eq!(v["feed.name"].as_str(), Some(e.feed.as_str()), "{v}");
        assert_eq!(v["extra.schoolcert_board"].as_i64(), Some(s.a.0));
    }
    t.finish().await;
}

async fn re_ingest_is_idempotent_by_file_hash_and_by_event_key(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    let first = ingest_type(&t, "scan_rdp").await;
    let again = ingest_type(&t, "scan_rdp").await;
    assert!(again.already_ingested);
    // The same rows in a file with another name and one more blank line (another hash): every
    // event is recognised and nothing new is stored.
    let mut bytes = std::fs::read(input("scan_rdp")).unwrap();
    bytes.extend_from_slice(b"\n");
    let copy = ingest::ingest_bytes(
        &t.app,
        By::Actor(&s.cert),
        &format!("{DAY}-scan_rdp-nl-geo-copy.csv"),
        None,
        bytes,
    )
    .await
    .unwrap();
    assert!(!copy.already_ingested);
    assert_eq!(copy.stored, 0, "{copy:?}");
    assert_eq!(copy.events, first.events);
    let stored = all(&t, &s.cert, EventFilter::default()).await;
    assert_eq!(stored.len() as u64, first.stored);
    // Board contacts may not ingest.
    assert!(matches!(
        ingest::ingest_bytes(
            &t.app,
            By::Actor(&s.contact_a),
            "x.csv",
            Some("scan_rdp"),
            vec![]
        )
        .await,
        Err(schoolcert_app::AppError::Forbidden)
    ));
    t.finish().await;
}

/// The scan_rdp input with every timestamp moved by `hours`.
fn shifted(hours: i64) -> Vec<u8> {
    let text = std::fs::read_to_string(input("scan_rdp")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0
            && let Some(ts) = line.get(1..20)
            && let Ok(t) = chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%d %H:%M:%S")
        {
            let moved = (t + Duration::hours(hours)).format("%Y-%m-%d %H:%M:%S");
            out.push_str(&format!("\"{moved}{}", &line[20..]));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.into_bytes()
}

async fn the_dedup_window_folds_a_problem_seen_again_within_a_day(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    let day1 = ingest_type(&t, "scan_rdp").await;
    let rows1 = all(&t, &s.cert, EventFilter::default()).await;
    // Seen again 20 hours later: same rows, count 2.
    let day2 = ingest::ingest_bytes(
        &t.app,
        By::System("test"),
        "2026-11-21-scan_rdp-nl-geo.csv",
        None,
        shifted(20),
    )
    .await
    .unwrap();
    assert_eq!(day2.stored, 0, "{day2:?}");
    assert_eq!(day2.duplicates, day2.events);
    let rows2 = all(&t, &s.cert, EventFilter::default()).await;
    assert_eq!(rows2.len(), rows1.len());
    assert!(
        rows2.iter().all(|e| e.count >= 2),
        "{:?}",
        rows2.iter().map(|e| e.count).collect::<Vec<_>>()
    );
    // After a gap longer than the window: new rows.
    let later = ingest::ingest_bytes(
        &t.app,
        By::System("test"),
        "2026-11-23-scan_rdp-nl-geo.csv",
        None,
        shifted(20 + 49),
    )
    .await
    .unwrap();
    assert_eq!(later.stored, day1.stored);
    t.finish().await;
}

async fn matching_takes_the_most_specific_prefix_and_keeps_unmatched_for_the_cert(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    let csv = "\"timestamp\",\"ip\",\"port\",\"hostname\",\"tag\",\"asn\",\"geo\",\"region\",\"city\"\n\
\"2026-11-20 04:00:00\",\"145.97.12.7\",\"3389\",\"\",\"rdp\",\"1103\",\"NL\",\"\",\"\"\n\
\"2026-11-20 04:00:00\",\"145.97.12.200\",\"3389\",\"\",\"rdp\",\"1103\",\"NL\",\"\",\"\"\n\
\"2026-11-20 04:00:00\",\"145.97.13.1\",\"3389\",\"\",\"rdp\",\"1103\",\"NL\",\"\",\"\"\n\
\"2026-11-20 04:00:00\",\"::ffff:192.87.101.9\",\"3389\",\"\",\"rdp\",\"1103\",\"NL\",\"\",\"\"\n\
\"2026-11-20 04:00:00\",\"2001:610:188:ffff::1\",\"3389\",\"\",\"rdp\",\"1103\",\"NL\",\"\",\"\"\n\
\"2026-11-20 04:00:00\",\"145.97.12.999\",\"3389\",\"\",\"rdp\",\"1103\",\"NL\",\"\",\"\"\n";
    let r = ingest::ingest_bytes(
        &t.app,
        By::Actor(&s.cert),
        "my-scan.csv",
        Some("scan_rdp"),
        csv.as_bytes().to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(
        (r.events, r.rejected, r.matched, r.unmatched),
        (5, 1, 4, 1),
        "{r:?}"
    );
    assert_eq!(r.errors[0].line, 7);
    assert!(
        r.errors[0].reason.contains("IP-adres"),
        "{}",
        r.errors[0].reason
    );
    let by_ip = |ip: &'static str| {
        let t = &t;
        let cert = s.cert.clone();
        async move {
            all(
                t,
                &cert,
                EventFilter {
                    q: Some(ip.into()),
                    ..EventFilter::default()
                },
            )
            .await
            .into_iter()
            .next()
            .unwrap()
        }
    };
    assert_eq!(by_ip("145.97.12.7").await.board_id, Some(s.a.0));
    let inner = by_ip("145.97.12.200").await;
    assert_eq!(inner.board_id, Some(s.b.0), "the /26 inside A's /24 is B's");
    assert_eq!(inner.match_asset.as_deref(), Some("145.97.12.192/26"));
    assert_eq!(
        by_ip("192.87.101.9").await.board_id,
        Some(s.b.0),
        "IPv4-mapped IPv6"
    );
    assert_eq!(by_ip("2001:610:188:ffff::1").await.board_id, Some(s.a.0));
    let gap = by_ip("145.97.13.1").await;
    assert_eq!((gap.board_id, gap.match_reason.as_str()), (None, "none"));
    // The board sees neither B's events nor the unmatched one, not even by id.
    let mine = all(&t, &s.contact_a, EventFilter::default()).await;
    assert_eq!(mine.len(), 2);
    assert!(matches!(
        events::get(&t.app, &s.contact_a, gap.id).await,
        Err(schoolcert_app::AppError::NotFound)
    ));
    assert!(matches!(
        events::get(&t.app, &s.contact_a, inner.id).await,
        Err(schoolcert_app::AppError::NotFound)
    ));
    // Host names match by registered domain (compromised websites carry no board address).
    ingest_type(&t, "compromised_website").await;
    let by_host = all(
        &t,
        &s.cert,
        EventFilter {
            q: Some("lyceum.nl".into()),
            ..EventFilter::default()
        },
    )
    .await;
    assert!(
        by_host
            .iter()
            .any(|e| e.board_id == Some(s.a.0) && e.match_reason != "none"),
        "{by_host:?}"
    );
    t.finish().await;
}

async fn intelmq_json_lines_and_generic_csv_are_ingested(b: Backend) {
    let t = TestApp::start_with(b, |c| {
        c.feeds.generic_csv.insert(
            "partner".into(),
            schoolcert_feeds::generic_csv::GenericCsvConfig::from_toml(
                "feed_name = \"Partner-Scan\"\n[columns]\n\"source.ip\" = \"address\"\n\"time.source\" = \"seen\"\n[constants]\n\"classification.type\" = \"vulnerable-system\"\n\"classification.identifier\" = \"partner-finding\"\n",
            )
            .unwrap(),
        );
    })
    .await;
    let s = sector(&t).await;
    let generic = "address,seen,note\n145.97.12.8,2026-11-20T05:00:00+00:00,open\nnot-an-ip,2026-11-20T05:00:00+00:00,x\n";
    let r = ingest::ingest_bytes(
        &t.app,
        By::Actor(&s.cert),
        "partner.csv",
        Some("partner"),
        generic.as_bytes().to_vec(),
    )
    .await
    .unwrap();
    assert_eq!((r.events, r.rejected, r.matched), (1, 1, 1), "{r:?}");
    assert_eq!(r.errors[0].line, 3);
    // Export as IntelMQ JSON lines, ingest the lines into another sector: the same events.
    ingest_type(&t, "scan_rdp").await;
    let mut lines = String::new();
    let n = events::export_intelmq(&t.app, Scope::All, &EventFilter::default(), |l| {
        lines.push_str(l);
        lines.push('\n');
        Ok(())
    })
    .await
    .unwrap();
    assert!(n > 10);
    assert!(lines.contains("\"extra.schoolcert_board\""));
    let board_only = {
        let mut v = Vec::new();
        events::export_intelmq(&t.app, Scope::Board(s.b), &EventFilter::default(), |l| {
            v.push(l.to_owned());
            Ok(())
        })
        .await
        .unwrap();
        v
    };
    assert!(
        board_only
            .iter()
            .all(|l| l.contains(&format!("\"extra.schoolcert_board\": {}", s.b.0))),
        "{board_only:?}"
    );
    let t2 = TestApp::start(b).await;
    let s2 = sector(&t2).await;
    let r = ingest::ingest_bytes(
        &t2.app,
        By::Actor(&s2.cert),
        "export.jsonl",
        None,
        lines.into_bytes(),
    )
    .await
    .unwrap();
    assert_eq!((r.events, r.rejected), (n, 0), "{r:?}");
    assert_eq!(
        all(&t2, &s2.cert, EventFilter::default()).await.len() as u64,
        n
    );
    t2.finish().await;
    t.finish().await;
}

fn check_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() || !path.exists() {
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, want,
        "{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
    );
}

async fn a_boards_daily_digest_is_one_notice_with_its_events_and_matches_the_golden_file(
    b: Backend,
) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    for kind in [
        "scan_rdp",
        "scan6_rdp",
        "event4_sinkhole_http",
        "scan_http_vulnerable",
        "scan_ssl",
    ] {
        ingest_type(&t, kind).await;
    }
    t.run_jobs().await;
    let mail = t.mail_to("sanne@a.nl").await;
    assert_eq!(mail.len(), 1, "one notice per board per period");
    let m = &mail[0];
    assert_eq!(m.kind, "feed_digest");
    assert!(m.subject.starts_with("[TLP:AMBER]"), "{}", m.subject);
    check_golden(
        "feeds_digest.nl.txt",
        &format!("{}\n\n{}", m.subject, m.body_text),
    );
    let att = schoolcert_store::outbox::attachments(&mut t.app.db.read().await.unwrap(), m.id)
        .await
        .unwrap();
    assert_eq!(att.len(), 1);
    let csv = String::from_utf8(att[0].data.clone()).unwrap();
    assert!(
        !csv.contains("192.87.101."),
        "B's addresses are not in A's attachment"
    );
    // Every event of A is in the notice, and the notice is visible to A only.
    let notices = events::notices(&t.app, &s.contact_a, None, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(notices.total, 1);
    let n = &notices.items[0];
    let carried = all(
        &t,
        &s.contact_a,
        EventFilter {
            notice_id: Some(n.id),
            ..EventFilter::default()
        },
    )
    .await;
    let mine = all(&t, &s.contact_a, EventFilter::default()).await;
    assert_eq!(carried.len(), mine.len());
    assert_eq!(n.event_count as usize, mine.len());
    assert_eq!(csv.lines().count(), mine.len() + 1);
    // B got its own notice; an hour later nothing new is sent (daily, and nothing new).
    assert_eq!(t.mail_to("bob@b.nl").await.len(), 1);
    t.clock.advance(Duration::hours(1));
    t.run_jobs().await;
    assert_eq!(t.mail_to("sanne@a.nl").await.len(), 1);
    t.finish().await;
}

async fn nothing_is_sent_twice_after_a_crash_between_sending_and_marking_sent(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    ingest_type(&t, "scan_rdp").await;
    let expl = digest::explanations(&t.app.config.feeds).unwrap();
    let tmpl = digest::templates(&t.app.config.feeds).unwrap();
    let notice = digest::digest_board(&t.app, s.a, &expl, &tmpl)
        .await
        .unwrap();
    assert!(notice.is_some());
    // The sender claims the message and dies before marking it sent.
    let mut cx = t.app.db.write().await.unwrap();
    let claimed =
        schoolcert_store::outbox::claim_due(&mut cx, t.app.now(), Duration::minutes(10), 50)
            .await
            .unwrap();
    cx.commit().await.unwrap();
    assert!(
        claimed
            .iter()
            .any(|m| m.to_addrs.contains(&"sanne@a.nl".to_owned()))
    );
    t.clock.advance(Duration::minutes(30));
    t.run_jobs().await;
    let mail = t.mail_to("sanne@a.nl").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].status, "uncertain", "never resent on its own");
    // The digest job runs again (even a day later): the events are in a notice already.
    t.clock.advance(Duration::days(1));
    t.run_jobs().await;
    let mail = t.mail_to("sanne@a.nl").await;
    assert_eq!(mail.len(), 1, "no second notice with the same events");
    let notices = events::notices(&t.app, &s.cert, Some(s.a), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(notices.total, 1);
    assert_eq!(notices.items[0].mail_status, "uncertain");
    // New findings later go in a new notice, with only them.
    ingest::ingest_bytes(
        &t.app,
        By::System("test"),
        "2026-11-23-scan_rdp-nl-geo.csv",
        None,
        shifted(72),
    )
    .await
    .unwrap();
    t.clock.advance(Duration::days(1));
    t.run_jobs().await;
    let notices = events::notices(&t.app, &s.cert, Some(s.a), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(notices.total, 2);
    assert_eq!(notices.items[0].event_count, notices.items[1].event_count);
    t.finish().await;
}

async fn preferences_refuse_never_for_infected_and_vulnerable_systems(b: Backend) {
    let t = TestApp::start(b).await;
    let s = sector(&t).await;
    let mut never = Preferences {
        default: Frequency::Never,
        per_type: Default::default(),
    };
    let e = preferences::set(&t.app, &s.contact_a, s.a, &never)
        .await
        .unwrap_err();
    assert!(
        e.message(schoolcert_domain::Lang::Nl)
            .contains("niet uitzetten"),
        "{}",
        e.message(schoolcert_domain::Lang::Nl)
    );
    never
        .per_type
        .insert("vulnerable-system".into(), Frequency::Never);
    assert!(
        preferences::set(&t.app, &s.contact_a, s.a, &never)
            .await
            .is_err()
    );
    // Weekly for vulnerable systems: no notice today, one after a week.
    let weekly = Preferences {
        default: Frequency::Weekly,
        per_type: Default::default(),
    };
    preferences::set(&t.app, &s.contact_a, s.a, &weekly)
        .await
        .unwrap();
    assert_eq!(
        preferences::get(&t.app, &s.contact_a, s.a).await.unwrap(),
        weekly
    );
    // Another board's preferences are not there for A.
    assert!(matches!(
        preferences::get(&t.app, &s.contact_a, s.b).await,
        Err(schoolcert_app::AppError::NotFound)
    ));
    ingest_type(&t, "scan_rdp").await;
    t.run_jobs().await;
    assert_eq!(
        t.mail_to("sanne@a.nl").await.len(),
        1,
        "the first notice goes out at once"
    );
    ingest::ingest_bytes(
        &t.app,
        By::System("test"),
        "2026-11-23-scan_rdp-nl-geo.csv",
        None,
        shifted(72),
    )
    .await
    .unwrap();
    t.clock.advance(Duration::days(3));
    t.run_jobs().await;
    assert_eq!(t.mail_to("sanne@a.nl").await.len(), 1, "weekly: not yet");
    t.clock.advance(Duration::days(5));
    t.run_jobs().await;
    assert_eq!(t.mail_to("sanne@a.nl").await.len(), 2);
    t.finish().await;
}

async fn retention_purges_old_events(b: Backend) {
    let t = TestApp::start_with(b, |c| c.feeds.retention_days = 30).await;
    let s = sector(&t).await;
    ingest_type(&t, "scan_rdp").await;
    t.run_jobs().await;
    assert!(!all(&t, &s.cert, EventFilter::default()).await.is_empty());
    t.clock.advance(Duration::days(31));
    t.run_jobs().await;
    assert!(all(&t, &s.cert, EventFilter::default()).await.is_empty());
    t.finish().await;
}

/// A local server that plays Shadowserver: checks the HMAC of the list request, lists two
/// reports and serves them.
async fn fake_shadowserver(secret: &'static str) -> (String, tokio::task::JoinHandle<()>) {
    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::Path as AxPath;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::{get, post};
    let list = move |headers: HeaderMap, body: Bytes| async move {
        let body = String::from_utf8(body.to_vec()).unwrap();
        let sig = headers
            .get("HMAC2")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if sig != schoolcert_feeds::shadowserver_api::sign(secret, &body)
            || !body.contains("\"apikey\":\"k1\"")
        {
            return (
                StatusCode::UNAUTHORIZED,
                "{\"error\":\"bad signature\"}".to_owned(),
            );
        }
        (
            StatusCode::OK,
            serde_json::json!([
                { "id": "r-rdp", "type": "scan_rdp", "file": "2026-11-20-scan_rdp-nl-geo.csv", "report": "nl-schools", "timestamp": "2026-11-20" },
                { "id": "r-ntp", "type": "scan_ntp", "file": "2026-11-20-scan_ntp-nl-geo.csv", "report": "nl-schools", "timestamp": "2026-11-20" },
                { "id": "r-gone", "type": "scan_ssl", "file": "2026-11-20-scan_ssl-nl-geo.csv", "report": "nl-schools", "timestamp": "2026-11-20" }
            ])
            .to_string(),
        )
    };
    let dl = |AxPath(id): AxPath<String>| async move {
        match id.as_str() {
            "r-rdp" => (StatusCode::OK, std::fs::read(input("scan_rdp")).unwrap()),
            "r-ntp" => (StatusCode::OK, std::fs::read(input("scan_ntp")).unwrap()),
            _ => (StatusCode::NOT_FOUND, Vec::new()),
        }
    };
    let app = Router::new()
        .route("/api2/reports/list", post(list))
        .route("/dl/{id}", get(dl));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let h = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), h)
}

async fn the_shadowserver_pull_signs_lists_downloads_and_ingests_each_report_once(b: Backend) {
    let (base, server) = fake_shadowserver("s3cret").await;
    let t = TestApp::start_with(b, |c| {
        c.feeds.shadowserver.api_url = format!("{base}/api2/");
        c.feeds.shadowserver.download_url = format!("{base}/dl/");
        c.feeds.shadowserver.key = "k1".into();
        c.feeds.shadowserver.secret = "s3cret".into();
    })
    .await;
    let s = sector(&t).await;
    let r = pull::pull(&t.app, chrono::NaiveDate::from_ymd_opt(2026, 11, 20))
        .await
        .unwrap();
    assert_eq!(
        (r.listed, r.ingested.len(), r.failed.len()),
        (3, 2, 1),
        "{r:?}"
    );
    assert!(r.failed[0].1.contains("404"), "{:?}", r.failed);
    let stored = all(&t, &s.cert, EventFilter::default()).await.len();
    assert!(stored > 20);
    // Again (the hourly job): the two ingested reports are skipped, the failed one retried.
    let again = pull::pull(&t.app, chrono::NaiveDate::from_ymd_opt(2026, 11, 20))
        .await
        .unwrap();
    assert_eq!(
        (again.skipped, again.ingested.len(), again.failed.len()),
        (2, 0, 1)
    );
    assert_eq!(all(&t, &s.cert, EventFilter::default()).await.len(), stored);
    // A wrong secret is refused by the server and reported.
    let t2 = TestApp::start_with(b, |c| {
        c.feeds.shadowserver.api_url = format!("{base}/api2/");
        c.feeds.shadowserver.key = "k1".into();
        c.feeds.shadowserver.secret = "wrong".into();
    })
    .await;
    let e = pull::pull(&t2.app, None).await.unwrap_err();
    assert!(e.to_string().contains("401"), "{e}");
    t2.finish().await;
    server.abort();
    t.finish().await;
}

dual_tests!(
    stored_rows_read_back_as_the_events_the_file_gave,
    every_report_type_is_ingested_and_bad_rows_are_reported_by_line,
    re_ingest_is_idempotent_by_file_hash_and_by_event_key,
    the_dedup_window_folds_a_problem_seen_again_within_a_day,
    matching_takes_the_most_specific_prefix_and_keeps_unmatched_for_the_cert,
    intelmq_json_lines_and_generic_csv_are_ingested,
    a_boards_daily_digest_is_one_notice_with_its_events_and_matches_the_golden_file,
    nothing_is_sent_twice_after_a_crash_between_sending_and_marking_sent,
    preferences_refuse_never_for_infected_and_vulnerable_systems,
    retention_purges_old_events,
    the_shadowserver_pull_signs_lists_downloads_and_ingests_each_report_once,
);
