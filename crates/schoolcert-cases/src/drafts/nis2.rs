//! Drafts of the NIS2 / Cyberbeveiligingswet reports to the CSIRT: the early warning (24 h:
//! malicious act suspected? cross-border? responsible official), the incident notification
//! (72 h: update, initial assessment of severity and impact, indicators) and the final report
//! (one month later: description, root cause, mitigation, cross-border impact).

use schoolcert_domain::{Lang, Tlp};

use super::input::DraftCase;
use super::{Draft, DraftKind, Section, SectionBuilder, when, yes_no};

fn title(kind_nl: &str, kind_en: &str, c: &DraftCase, lang: Lang) -> String {
    let base = lang.pick(kind_nl, kind_en);
    match &c.reference {
        Some(r) => format!("{base} ({r})"),
        None => base.to_owned(),
    }
}

fn intro(lang: Lang) -> String {
    lang.pick(
        "Concept opgesteld door School-CERT op basis van de zaak. Controleer en vul aan, en neem \
         de tekst over in het meldportaal (NCSC, Cyberbeveiligingswet). Het schoolbestuur doet \
         de melding zelf.",
        "Draft prepared by School-CERT from the case. Check and complete it, and copy it into the \
         reporting portal (NCSC, Cyberbeveiligingswet). The board files the report itself.",
    )
    .to_owned()
}

fn entity(c: &DraftCase, lang: Lang) -> Section {
    let l = |nl: &'static str, en: &'static str| lang.pick(nl, en);
    SectionBuilder::new(l("Entiteit en contact", "Entity and contact"))
        .field(
            l("Naam entiteit", "Entity"),
            Some(c.organisation.name.clone()),
            None,
        )
        .field(
            l("KvK-nummer", "Chamber of Commerce number"),
            c.organisation.kvk_number.clone(),
            None,
        )
        .field(
            l(
                "Verantwoordelijke functionaris voor de melding",
                "Official responsible for the report",
            ),
            c.responsible_official.as_ref().and_then(|o| o.one_line()),
            Some(l(
                "naam en contactgegevens (Cbw)",
                "name and contact details (Cbw)",
            )),
        )
        .field(l("Contactpersoon", "Contact"), c.contact.one_line(), None)
        .build()
}

fn severity(c: &DraftCase, lang: Lang) -> Option<String> {
    c.severity
        .map(|s| format!("{} – {}", s.name(lang), s.meaning(lang)))
}

/// Indicators safe to hand to a regulator: TLP:CLEAR and TLP:GREEN only. The rest is counted so
/// the board knows more exists and can ask the CERT.
fn indicators(c: &DraftCase, lang: Lang) -> Option<String> {
    let ok: Vec<String> = c
        .indicators
        .iter()
        .filter(|i| i.tlp <= Tlp::Green)
        .map(|i| format!("{}: {}", i.kind, i.value))
        .collect();
    let withheld = c.indicators.len() - ok.len();
    let mut out = ok.join("\n");
    if withheld > 0 {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&match lang {
            Lang::Nl => format!(
                "({withheld} indicator(en) met TLP:AMBER of strenger weggelaten; overleg met \
                 School-CERT voordat u die deelt.)"
            ),
            Lang::En => format!(
                "({withheld} indicator(s) labelled TLP:AMBER or stricter left out; consult \
                 School-CERT before sharing them.)"
            ),
        });
    }
    (!out.is_empty()).then_some(out)
}

pub fn early_warning(c: &DraftCase, lang: Lang) -> Draft {
    let l = |nl: &'static str, en: &'static str| lang.pick(nl, en);
    let sections = vec![
        entity(c, lang),
        SectionBuilder::new(l("Vroegtijdige waarschuwing", "Early warning"))
            .field(
                l("Moment van kennisname", "Became aware"),
                when(c.became_aware_at, lang),
                None,
            )
            .field(
                l("Korte omschrijving", "Short description"),
                Some(c.summary.clone()),
                None,
            )
            .field(
                l(
                    "Vermoeden van een onrechtmatige of kwaadwillige handeling",
                    "Unlawful or malicious act suspected",
                ),
                yes_no(c.suspected_malicious, lang),
                None,
            )
            .field(
                l(
                    "Mogelijk grensoverschrijdende gevolgen",
                    "Possible cross-border impact",
                ),
                yes_no(c.cross_border_impact, lang),
                None,
            )
            .build(),
    ];
    Draft {
        kind: DraftKind::Nis2EarlyWarning,
        title: title(
            "Concept vroegtijdige waarschuwing",
            "Draft early warning",
            c,
            lang,
        ),
        tlp: Tlp::AmberStrict,
        intro: intro(lang),
        sections,
    }
}

pub fn notification(c: &DraftCase, lang: Lang) -> Draft {
    let l = |nl: &'static str, en: &'static str| lang.pick(nl, en);
    let sections = vec![
        entity(c, lang),
        SectionBuilder::new(l("Incidentmelding", "Incident notification"))
            .field(
                l(
                    "Vroegtijdige waarschuwing gedaan op",
                    "Early warning made on",
                ),
                when(c.early_warning_at, lang),
                None,
            )
            .field(
                l(
                    "Kenmerk van de eerdere melding",
                    "Reference of the earlier report",
                ),
                c.regulator_reference.clone(),
                None,
            )
            .field(
                l("Moment van kennisname", "Became aware"),
                when(c.became_aware_at, lang),
                None,
            )
            .field(
                l("Bijgewerkte omschrijving", "Updated description"),
                Some(c.summary.clone()),
                None,
            )
            .field(
                l(
                    "Eerste beoordeling van de ernst",
                    "Initial assessment of severity",
                ),
                severity(c, lang),
                None,
            )
            .field(
                l("Gevolgen", "Impact"),
                c.impact.clone(),
                Some(l(
                    "voor de dienstverlening, het onderwijs en andere partijen",
                    "on services, teaching and others",
                )),
            )
            .field(
                l(
                    "Vermoeden van een onrechtmatige of kwaadwillige handeling",
                    "Unlawful or malicious act suspected",
                ),
                yes_no(c.suspected_malicious, lang),
                None,
            )
            .field(
                l(
                    "Mogelijk grensoverschrijdende gevolgen",
                    "Possible cross-border impact",
                ),
                yes_no(c.cross_border_impact, lang),
                None,
            )
            .field(
                l(
                    "Indicatoren van compromittering",
                    "Indicators of compromise",
                ),
                indicators(c, lang),
                Some(l("voor zover beschikbaar", "where available")),
            )
            .build(),
    ];
    Draft {
        kind: DraftKind::Nis2Notification,
        title: title(
            "Concept incidentmelding",
            "Draft incident notification",
            c,
            lang,
        ),
        tlp: Tlp::AmberStrict,
        intro: intro(lang),
        sections,
    }
}

pub fn final_report(c: &DraftCase, lang: Lang) -> Draft {
    let l = |nl: &'static str, en: &'static str| lang.pick(nl, en);
    let heading = if c.ongoing {
        l(
            "Voortgangsverslag (incident nog gaande)",
            "Progress report (incident ongoing)",
        )
    } else {
        l("Eindverslag", "Final report")
    };
    let sections = vec![
        entity(c, lang),
        SectionBuilder::new(heading)
            .field(
                l("Incidentmelding gedaan op", "Incident notification made on"),
                when(c.notification_at, lang),
                None,
            )
            .field(
                l("Kenmerk", "Reference"),
                c.regulator_reference.clone(),
                None,
            )
            .field(
                l("Gedetailleerde beschrijving", "Detailed description"),
                Some(c.summary.clone()),
                None,
            )
            .field(l("Ernst", "Severity"), severity(c, lang), None)
            .field(l("Gevolgen", "Impact"), c.impact.clone(), None)
            .field(
                l(
                    "Soort dreiging of grondoorzaak",
                    "Type of threat or root cause",
                ),
                c.root_cause.clone().or_else(|| c.threat_type.clone()),
                None,
            )
            .field(
                l("Toegepaste maatregelen", "Mitigation applied"),
                c.mitigation_applied.clone(),
                None,
            )
            .field(
                l("Lopende maatregelen", "Ongoing mitigation"),
                c.mitigation_ongoing.clone(),
                None,
            )
            .field(
                l("Grensoverschrijdende gevolgen", "Cross-border impact"),
                yes_no(c.cross_border_impact, lang),
                None,
            )
            .build(),
    ];
    Draft {
        kind: DraftKind::Nis2FinalReport,
        title: title("Concept eindverslag", "Draft final report", c, lang),
        tlp: Tlp::AmberStrict,
        intro: intro(lang),
        sections,
    }
}
