//! The plain-language texts per problem type (what it is, what to do), Dutch and English, kept
//! as editable data: `data/explanations.toml` is embedded, an override can be loaded.

use std::collections::BTreeMap;

use schoolcert_domain::Lang;
use serde::Deserialize;

/// The embedded default texts.
pub const EMBEDDED_EXPLANATIONS: &str = include_str!("../../data/explanations.toml");

/// One text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Text {
    pub title: String,
    pub what: String,
    pub todo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Explanation {
    pub nl: Text,
    pub en: Text,
}

impl Explanation {
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// Texts by `classification.identifier`, with `classification.type` as fallback.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Explanations {
    #[serde(default)]
    pub identifier: BTreeMap<String, Explanation>,
    #[serde(default, rename = "type")]
    pub by_type: BTreeMap<String, Explanation>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("explanations file: {0}")]
pub struct ExplanationsError(pub String);

impl Explanations {
    pub fn embedded() -> Result<Explanations, ExplanationsError> {
        Explanations::from_toml(EMBEDDED_EXPLANATIONS)
    }

    /// Parses a TOML file of the same shape as `data/explanations.toml`.
    pub fn from_toml(text: &str) -> Result<Explanations, ExplanationsError> {
        toml::from_str(text).map_err(|e| ExplanationsError(e.to_string()))
    }

    /// The override's entries replace the embedded ones with the same key.
    pub fn merged_with(mut self, other: Explanations) -> Explanations {
        self.identifier.extend(other.identifier);
        self.by_type.extend(other.by_type);
        self
    }

    /// The best text for an identifier and type: the identifier's own, else the type's.
    pub fn find(&self, identifier: Option<&str>, class_type: Option<&str>) -> Option<&Explanation> {
        identifier
            .and_then(|i| self.identifier.get(i))
            .or_else(|| class_type.and_then(|t| self.by_type.get(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_texts_cover_25_common_identifiers_in_both_languages() {
        let e = Explanations::embedded().unwrap();
        let common = [
            "open-rdp",
            "open-smb",
            "open-telnet",
            "open-vnc",
            "open-mysql",
            "open-postgres",
            "open-mssql",
            "open-mongodb",
            "open-redis",
            "open-elasticsearch",
            "open-memcached",
            "open-snmp",
            "dns-open-resolver",
            "ntp-monitor",
            "ntp-version",
            "open-ldap",
            "open-ipp",
            "open-ssdp",
            "open-portmapper",
            "open-netbios-nameservice",
            "accessible-ftp",
            "open-tftp",
            "ssl-poodle",
            "ssl-freak",
            "vulnerable-exchange-server",
            "exchange-server-webshell",
            "compromised-website",
            "vulnerable-http",
        ];
        for id in common {
            let x = e.find(Some(id), None).unwrap_or_else(|| panic!("{id}"));
            for t in [&x.nl, &x.en] {
                assert!(
                    !t.title.is_empty() && !t.what.is_empty() && !t.todo.is_empty(),
                    "{id}"
                );
            }
        }
        assert!(e.identifier.len() >= 25);
        // Sinkhole events carry the malware name as identifier: the type text applies.
        assert_eq!(
            e.find(Some("andromeda"), Some("infected-system"))
                .unwrap()
                .nl
                .title,
            "Besmet apparaat"
        );
    }

    #[test]
    fn an_override_replaces_single_entries() {
        let e = Explanations::embedded().unwrap().merged_with(
            Explanations::from_toml(
                "[identifier.open-rdp]\nnl.title='X'\nnl.what='w'\nnl.todo='t'\nen.title='Y'\nen.what='w'\nen.todo='t'\n",
            )
            .unwrap(),
        );
        assert_eq!(
            e.find(Some("open-rdp"), None).unwrap().text(Lang::Nl).title,
            "X"
        );
        assert!(e.find(Some("open-smb"), None).is_some());
        assert!(Explanations::from_toml("[identifier.x]\nnl.title=1").is_err());
    }
}
