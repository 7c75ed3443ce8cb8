//! The draft of a datalek notification to the Autoriteit Persoonsgegevens: the fields of the
//! AP's form (GDPR Art. 33(3): nature, categories and numbers, contact point, consequences,
//! measures; plus timing, data subjects informed, cross-border and reasons for a delay).

use schoolcert_domain::Lang;
use schoolcert_domain::time::format_local;

use super::input::{DraftCase, SubjectsInformed};
use super::{Draft, DraftKind, SectionBuilder, list, when, yes_no};

fn range(min: Option<u64>, max: Option<u64>, lang: Lang) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("{a} – {b}")),
        (Some(a), None) => Some(format!("{} {a}", lang.pick("minimaal", "at least"))),
        (None, Some(b)) => Some(format!("{} {b}", lang.pick("maximaal", "at most"))),
        (None, None) => None,
    }
}

fn informed(s: &Option<SubjectsInformed>, lang: Lang) -> Option<String> {
    match s.as_ref()? {
        SubjectsInformed::Yes { when, how } => Some(format!(
            "{}{}{}",
            lang.pick("Ja", "Yes"),
            when.map(|t| format!(", {}", format_local(t, lang)))
                .unwrap_or_default(),
            if how.trim().is_empty() {
                String::new()
            } else {
                format!(", {}", how.trim())
            }
        )),
        SubjectsInformed::Planned { how } => Some(format!(
            "{}: {}",
            lang.pick("Nog niet, wel voorgenomen", "Not yet, planned"),
            how.trim()
        )),
        SubjectsInformed::No { why } => Some(format!(
            "{}: {}",
            lang.pick("Nee, omdat", "No, because"),
            why.trim()
        )),
        SubjectsInformed::Undecided => None,
    }
}

pub fn datalek(c: &DraftCase, lang: Lang) -> Draft {
    let l = |nl: &'static str, en: &'static str| lang.pick(nl, en);
    let org = &c.organisation;
    let period_end = if c.ongoing {
        Some(l("Nog gaande", "Still ongoing").to_owned())
    } else {
        when(c.ended_at, lang)
    };
    let nature: Vec<String> = c.nature.iter().map(|n| n.name(lang).to_owned()).collect();

    let sections = vec![
        SectionBuilder::new(l("1. Organisatie en contactpersoon", "1. Organisation and contact"))
            .field(l("Naam organisatie (bevoegd gezag)", "Organisation (board)"), Some(org.name.clone()), None)
            .field(l("KvK-nummer", "Chamber of Commerce number"), org.kvk_number.clone(), None)
            .field(l("Adres", "Address"), org.address.clone(), None)
            .field(
                l("Contactpersoon voor de AP", "Contact for the AP"),
                c.contact.one_line(),
                Some(l("naam, functie, e-mail, telefoon", "name, role, e-mail, phone")),
            )
            .field(
                l("Functionaris gegevensbescherming (FG)", "Data protection officer"),
                c.dpo.as_ref().and_then(|d| d.one_line()),
                Some(l("AVG art. 33 lid 3 sub b", "GDPR Art. 33(3)(b)")),
            )
            .build(),
        SectionBuilder::new(l("2. Over het datalek", "2. About the breach"))
            .field(l("Samenvatting", "Summary"), Some(c.summary.clone()), Some(l(
                "wat is er gebeurd, in een paar zinnen",
                "what happened, in a few sentences",
            )))
            .field(l("Datum en tijd ontdekt", "Discovered on"), when(c.became_aware_at, lang), None)
            .field(l("Hoe ontdekt", "How discovered"), c.how_discovered.clone(), None)
            .field(l("Begin van het datalek", "Start of the breach"), when(c.started_at, lang), Some(l(
                "of de periode, als het exacte moment onbekend is",
                "or the period, if the exact moment is unknown",
            )))
            .field(l("Einde van het datalek", "End of the breach"), period_end, None)
            .field(l("Aard van de inbreuk", "Nature of the breach"), list(&nature), Some(l(
                "gelezen/gekopieerd, veranderd, verwijderd/verloren, niet beschikbaar",
                "read/copied, changed, deleted/lost, unavailable",
            )))
            .field(l("Oorzaak", "Cause"), c.cause.clone(), Some(l(
                "bijv. hacking, malware, phishing, verloren apparaat, verkeerd verzonden",
                "e.g. hacking, malware, phishing, lost device, misdirected",
            )))
            .field(l("Betrokken verwerker (leverancier)", "Processor (supplier) involved"), c.processor.clone(), None)
            .build(),
        SectionBuilder::new(l("3. Persoonsgegevens en betrokkenen", "3. Personal data and data subjects"))
            .field(l("Soorten persoonsgegevens", "Kinds of personal data"), list(&c.data_categories), Some(l(
                "bijv. NAW, contactgegevens, cijfers, inloggegevens, foto's",
                "e.g. name and address, contact details, grades, credentials, photos",
            )))
            .field(
                l("Bijzondere of gevoelige gegevens", "Special or sensitive data"),
                list(&c.special_categories),
                Some(l(
                    "bijv. BSN, gezondheid, ondersteuningsbehoefte, godsdienst; 'geen' als er geen zijn",
                    "e.g. citizen service number, health, support needs, religion; 'none' if none",
                )),
            )
            .field(l("Groepen betrokkenen", "Groups of data subjects"), list(&c.subject_categories), Some(l(
                "leerlingen, ouders, medewerkers",
                "pupils, parents, staff",
            )))
            .field(l("Aantal betrokkenen", "Number of data subjects"), range(c.subjects_min, c.subjects_max, lang), Some(l(
                "een schatting (minimaal – maximaal) mag",
                "an estimate (minimum – maximum) is fine",
            )))
            .field(l("Aantal records", "Number of records"), c.records.map(|n| n.to_string()), None)
            .field(l("Betrokkenen in andere EU-landen", "Data subjects in other EU countries"), yes_no(c.subjects_in_other_eu_countries, lang), None)
            .build(),
        SectionBuilder::new(l("4. Gevolgen en maatregelen", "4. Consequences and measures"))
            .field(l("Waarschijnlijke gevolgen voor betrokkenen", "Likely consequences"), c.consequences.clone(), Some(l(
                "bijv. identiteitsfraude, stigmatisering, schade aan reputatie",
                "e.g. identity fraud, stigma, reputational damage",
            )))
            .field(l("Genomen maatregelen", "Measures taken"), c.measures_taken.clone(), None)
            .field(l("Voorgenomen maatregelen", "Measures planned"), c.measures_planned.clone(), None)
            .field(
                l("Gegevens versleuteld of onbegrijpelijk gemaakt", "Data encrypted or unintelligible"),
                yes_no(c.encrypted, lang),
                None,
            )
            .build(),
        SectionBuilder::new(l("5. Informeren van betrokkenen", "5. Informing data subjects"))
            .field(l("Betrokkenen geïnformeerd (AVG art. 34)", "Data subjects informed (GDPR Art. 34)"), informed(&c.subjects_informed, lang), Some(l(
                "ja (wanneer en hoe), voorgenomen, of nee met de reden",
                "yes (when and how), planned, or no with the reason",
            )))
            .build(),
        SectionBuilder::new(l("6. Termijn", "6. Timing"))
            .field(l("Reden van vertraging (na 72 uur)", "Reason for delay (after 72 hours)"), c.late_reason.clone().or_else(|| Some(l("Niet van toepassing", "Not applicable").to_owned())), None)
            .build(),
    ];

    Draft {
        kind: DraftKind::ApDatalek,
        title: match (&c.reference, lang) {
            (Some(r), Lang::Nl) => {
                format!("Concept datalekmelding Autoriteit Persoonsgegevens ({r})")
            }
            (Some(r), Lang::En) => format!("Draft breach notification to the Dutch DPA ({r})"),
            (None, _) => l(
                "Concept datalekmelding Autoriteit Persoonsgegevens",
                "Draft breach notification to the Dutch DPA",
            )
            .to_owned(),
        },
        tlp: schoolcert_domain::Tlp::AmberStrict,
        intro: l(
            "Concept opgesteld door School-CERT op basis van de zaak. Controleer en vul aan, en \
             neem de tekst over in het meldformulier datalekken van de Autoriteit \
             Persoonsgegevens. Het schoolbestuur doet de melding zelf. Een melding mag in fasen: \
             meld binnen 72 uur wat bekend is en vul later aan.",
            "Draft prepared by School-CERT from the case. Check and complete it, and copy it into \
             the data breach form of the Dutch DPA. The board files the notification itself. It \
             may be filed in phases: report what is known within 72 hours and complete it later.",
        )
        .to_owned(),
        sections,
    }
}
