//! The texts the reporter receives from the system itself: the acknowledgement sent at once,
//! with the case number and the secret status link, and the status link's token.

use schoolcert_domain::Lang;
use schoolcert_domain::token::{RandomUnavailable, SecretToken};

use crate::reference::CaseRef;

/// A new status token for a reporter: 160 random bits with a recognisable prefix. Show it once
/// (in the acknowledgement and on the confirmation page) and store only `token.hash()`.
pub fn new_status_token() -> Result<SecretToken, RandomUnavailable> {
    SecretToken::generate("cvd_")
}

/// Subject and body of the acknowledgement. `status_url` is the full link with the token.
pub fn acknowledgement(reference: &CaseRef, status_url: &str, lang: Lang) -> (String, String) {
    match lang {
        Lang::Nl => (
            format!(
                "{} Ontvangstbevestiging van je kwetsbaarheidsmelding",
                reference.subject_tag()
            ),
            format!(
                "Bedankt voor je melding. We hebben hem ontvangen onder nummer {reference}.\n\n\
                 School-CERT beoordeelt de melding en licht, als die klopt, de eigenaar van het \
                 systeem in. We houden je op de hoogte. Je kunt de status volgen en ons berichten \
                 sturen via deze persoonlijke link:\n\n{status_url}\n\n\
                 Deel deze link niet: wie hem heeft, kan je melding inzien. Houd de kwetsbaarheid \
                 geheim totdat die is verholpen en we samen openbaarmaking hebben afgesproken; \
                 de standaardtermijn is 60 dagen na acceptatie.\n\n\
                 Met vriendelijke groet,\nSchool-CERT\n"
            ),
        ),
        Lang::En => (
            format!(
                "{} Acknowledgement of your vulnerability report",
                reference.subject_tag()
            ),
            format!(
                "Thank you for your report. We received it as {reference}.\n\n\
                 School-CERT assesses the report and, if it holds, informs the owner of the \
                 system. We will keep you posted. Follow the status and send us messages through \
                 this personal link:\n\n{status_url}\n\n\
                 Do not share this link: anyone who has it can read your report. Please keep the \
                 vulnerability confidential until it is fixed and disclosure is agreed; the \
                 default term is 60 days after acceptance.\n\n\
                 Kind regards,\nSchool-CERT\n"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::CaseKind;

    #[test]
    fn the_acknowledgement_carries_number_and_link() {
        let token = new_status_token().unwrap();
        assert!(token.expose().starts_with("cvd_"));
        let url = format!("https://school-cert.nl/cvd/status/{}", token.expose());
        let r = CaseRef::new(CaseKind::Cvd, 2026, 7);
        let (subject, body) = acknowledgement(&r, &url, Lang::Nl);
        assert_eq!(
            subject,
            "[CVD-2026-0007] Ontvangstbevestiging van je kwetsbaarheidsmelding"
        );
        assert!(body.contains("CVD-2026-0007"));
        assert!(body.contains(&url));
        assert!(acknowledgement(&r, &url, Lang::En).1.contains("Thank you"));
    }
}
