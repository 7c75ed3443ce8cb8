//! Texts that live in data files (playbooks, deadline rules) in Dutch with optional English.

use serde::{Deserialize, Deserializer, Serialize};

use schoolcert_domain::Lang;

/// A text in Dutch and English. Data files are written Dutch-first, so English may be missing;
/// then the Dutch text is shown rather than nothing. In TOML it is either a plain string (Dutch
/// only) or a table `{ nl = "…", en = "…" }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Text {
    pub nl: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Plain(String),
            Both {
                nl: String,
                #[serde(default)]
                en: String,
            },
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Plain(nl) => Text {
                nl,
                en: String::new(),
            },
            Raw::Both { nl, en } => Text { nl, en },
        })
    }
}

impl Text {
    pub fn new(nl: &str, en: &str) -> Self {
        Text {
            nl: nl.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The text in `lang`, falling back to Dutch.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.trim().is_empty() => &self.en,
            _ => &self.nl,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nl.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_falls_back_to_dutch() {
        let t = Text::new("Hallo", "");
        assert_eq!(t.get(Lang::En), "Hallo");
        assert_eq!(Text::new("Hallo", "Hello").get(Lang::En), "Hello");
    }

    #[test]
    fn reads_a_plain_string_or_a_table() {
        #[derive(Deserialize)]
        struct T {
            a: Text,
            b: Text,
        }
        let t: T = toml::from_str("a = \"Hallo\"\nb = { nl = \"Dag\", en = \"Bye\" }").unwrap();
        assert_eq!(t.a, Text::new("Hallo", ""));
        assert_eq!(t.b.get(Lang::En), "Bye");
    }
}
