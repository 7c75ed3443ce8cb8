//! Unit tests of digest grouping, subject and template overrides.

use super::*;
use crate::harmonize::{Input, add};
use schoolcert_domain::time::parse_rfc3339;

fn t(s: &str) -> Timestamp {
    parse_rfc3339(s).unwrap()
}

fn ev(ip: &str, port: u16, ty: &str, id: &str) -> Event {
    let mut e = Event::new();
    e.source_ip = Some(ip.parse().unwrap());
    e.source_port = Some(port);
    e.time_source = Some(t("2026-11-20T04:12:33Z"));
    for (f, v) in [
        (Field::ClassificationType, ty),
        (Field::ClassificationIdentifier, id),
        (Field::FeedName, "Test"),
    ] {
        add(&mut e, f, Input::Text(v)).unwrap();
    }
    e
}

fn meta(lang: Lang) -> DigestMeta {
    DigestMeta {
        cert_name: "School-CERT".into(),
        board_name: "Stichting Openbaar Onderwijs Demo".into(),
        contact_name: None,
        period_start: t("2026-11-20T05:00:00Z"),
        period_end: t("2026-11-21T05:00:00Z"),
        tlp: Tlp::Amber,
        lang,
        max_items_per_group: 2,
    }
}

#[test]
fn groups_are_ordered_by_urgency_and_long_groups_point_to_the_attachment() {
    let events = [
        ev("145.97.12.7", 3389, "vulnerable-system", "open-rdp"),
        ev("145.97.12.8", 3389, "vulnerable-system", "open-rdp"),
        ev("145.97.12.9", 3389, "vulnerable-system", "open-rdp"),
        ev("145.97.12.10", 80, "infected-system", "andromeda"),
        ev("2001:610:188::5", 443, "other", "open-ssl"),
    ];
    let rows: Vec<DigestRow<'_>> = events
        .iter()
        .map(|e| DigestRow {
            event: e,
            first_seen: t("2026-11-20T04:12:33Z"),
            last_seen: t("2026-11-20T04:12:33Z"),
            count: 1,
        })
        .collect();
    let d = render_digest(
        &meta(Lang::Nl),
        &rows,
        &Explanations::embedded().unwrap(),
        &Templates::embedded().unwrap(),
    )
    .unwrap();
    assert!(
        d.subject
            .starts_with("[TLP:AMBER] School-CERT: 5 beveiligingsmeldingen voor")
    );
    let infected = d.body.find("== Besmet apparaat (1) ==").unwrap();
    let rdp = d
        .body
        .find("== Extern bereikbaar bureaublad (RDP) (3) ==")
        .unwrap();
    assert!(infected < rdp);
    assert!(d.body.contains("... en nog 1 in de bijlage."));
    assert!(d.body.contains("[2001:610:188::5]:443"));
    assert_eq!(d.attachment_csv.lines().count(), 6);
    assert_eq!(
        d.attachment_name,
        "schoolcert-stichting-openbaar-onderwijs-demo-2026-11-21.csv"
    );
    assert!(matches!(
        render_digest(
            &meta(Lang::Nl),
            &[],
            &Explanations::embedded().unwrap(),
            &Templates::embedded().unwrap()
        ),
        Err(DigestError::Empty)
    ));
}

#[test]
fn templates_can_be_overridden_and_bad_ones_are_refused() {
    let e = ev("145.97.12.7", 3389, "vulnerable-system", "open-rdp");
    let rows = [DigestRow {
        event: &e,
        first_seen: t("2026-11-20T04:12:33Z"),
        last_seen: t("2026-11-20T04:12:33Z"),
        count: 1,
    }];
    let templates = Templates::with_overrides([(
        "subject".to_string(),
        "{{ tlp }} | {{ total }} | {{ board }}".to_string(),
    )])
    .unwrap();
    let d = render_digest(
        &meta(Lang::En),
        &rows,
        &Explanations::embedded().unwrap(),
        &templates,
    )
    .unwrap();
    assert_eq!(
        d.subject,
        "TLP:AMBER | 1 | Stichting Openbaar Onderwijs Demo"
    );
    assert!(d.body.starts_with("Dear contact,"));
    assert!(Templates::with_overrides([("body.nl".to_string(), "{% if %}".to_string())]).is_err());
}
