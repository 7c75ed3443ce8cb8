//! Drafts fill what the case knows, mark what is missing and keep restricted indicators out.

use schoolcert_domain::time::parse_rfc3339;
use schoolcert_domain::{Lang, Tlp};

use super::input::Indicator;
use super::*;
use crate::incident::Severity;
use crate::reference::{CaseKind, CaseRef};

fn case() -> DraftCase {
    DraftCase {
        reference: Some(CaseRef::new(CaseKind::Incident, 2026, 42)),
        organisation: Organisation {
            name: "Stichting Openbaar Onderwijs De Klimop".into(),
            kvk_number: Some("41234567".into()),
            ..Organisation::default()
        },
        contact: Contact {
            name: "Jan de Vries".into(),
            role: Some("ICT-coördinator".into()),
            email: Some("ict@klimop.nl".into()),
            phone: None,
        },
        summary: "Ransomware op de administratieserver; leerlingdossiers mogelijk gekopieerd."
            .into(),
        became_aware_at: parse_rfc3339("2026-03-02T07:30:00Z"),
        nature: vec![BreachNature::ReadOrCopied, BreachNature::Unavailable],
        subject_categories: vec!["leerlingen".into(), "ouders".into()],
        subjects_min: Some(800),
        subjects_max: Some(1200),
        severity: Some(Severity::High),
        subjects_informed: Some(SubjectsInformed::No {
            why: "nog in onderzoek".into(),
        }),
        indicators: vec![
            Indicator {
                kind: "ip".into(),
                value: "198.51.100.7".into(),
                tlp: Tlp::Green,
            },
            Indicator {
                kind: "sha256".into(),
                value: "ab".repeat(32),
                tlp: Tlp::Amber,
            },
        ],
        ..DraftCase::default()
    }
}

#[test]
fn the_ap_draft_is_prefilled_and_marks_gaps() {
    let d = DraftKind::ApDatalek.build(&case(), Lang::Nl);
    assert_eq!(
        d.title,
        "Concept datalekmelding Autoriteit Persoonsgegevens (INC-2026-0042)"
    );
    let text = d.to_text(Lang::Nl);
    assert!(text.starts_with("TLP:AMBER+STRICT\n"));
    assert!(
        text.contains("Naam organisatie (bevoegd gezag): Stichting Openbaar Onderwijs De Klimop")
    );
    assert!(text.contains("Datum en tijd ontdekt: 02-03-2026 08:30"));
    assert!(text.contains(
        "Aard van de inbreuk: Gelezen of gekopieerd, Niet beschikbaar (bijv. versleuteld)"
    ));
    assert!(text.contains("Aantal betrokkenen: 800 – 1200"));
    assert!(text.contains("Betrokkenen geïnformeerd (AVG art. 34): Nee, omdat: nog in onderzoek"));
    assert!(text.contains("Functionaris gegevensbescherming (FG): [nog invullen]"));
    assert!(
        d.missing()
            .contains(&"Waarschijnlijke gevolgen voor betrokkenen")
    );
    assert!(!d.missing().contains(&"Samenvatting"));
    let md = d.to_markdown(Lang::Nl);
    assert!(md.contains("## 3. Persoonsgegevens en betrokkenen"));
    assert!(md.contains("- **Groepen betrokkenen**: leerlingen, ouders"));
}

#[test]
fn nis2_drafts_follow_the_three_steps_and_filter_indicators() {
    let c = case();
    let ew = DraftKind::Nis2EarlyWarning.build(&c, Lang::Nl);
    assert!(
        ew.missing()
            .contains(&"Verantwoordelijke functionaris voor de melding")
    );
    assert!(
        ew.missing()
            .contains(&"Vermoeden van een onrechtmatige of kwaadwillige handeling")
    );
    let n = DraftKind::Nis2Notification
        .build(&c, Lang::Nl)
        .to_text(Lang::Nl);
    assert!(n.contains("ip: 198.51.100.7"));
    assert!(
        !n.contains(&"ab".repeat(32)),
        "TLP:AMBER indicators stay out"
    );
    assert!(n.contains("1 indicator(en) met TLP:AMBER of strenger weggelaten"));
    let f = DraftKind::Nis2FinalReport.build(&DraftCase { ongoing: true, ..c }, Lang::En);
    assert!(
        f.to_markdown(Lang::En)
            .contains("## Progress report (incident ongoing)")
    );
    for k in DraftKind::ALL {
        assert_eq!(DraftKind::from_code(k.code()), Some(k));
    }
}

#[test]
fn every_draft_code_in_the_rules_exists() {
    let book = crate::deadlines::RuleBook::embedded().unwrap();
    for set in &book.rule_sets {
        for o in &set.obligations {
            if let Some(d) = &o.draft {
                assert!(DraftKind::from_code(d).is_some(), "{d}");
            }
        }
    }
}
