//! Generic CSV feeds: any CSV whose columns a configuration maps onto IntelMQ fields, e.g.
//!
//! ```toml
//! feed_name = "Partner-Scan"
//! feed_provider = "Partner CERT"
//! delimiter = ";"
//! [columns]
//! "time.source" = "seen"
//! "source.ip" = "address"
//! "source.port" = "port"
//! "extra.note" = "remark"
//! [constants]
//! "classification.taxonomy" = "vulnerable"
//! "classification.type" = "vulnerable-system"
//! "classification.identifier" = "partner-open-service"
//! ```
//!
//! Every value goes through IntelMQ's harmonisation; unmapped non-empty columns go to
//! `extra.<column>` unless `unmapped_to_extra = false`.

use std::collections::BTreeMap;
use std::io::Read;

use schoolcert_domain::registry::RowError;
use schoolcert_domain::{Lang, Timestamp};
use serde::{Deserialize, Serialize};

use crate::csvreader::{Record, RecordReader};
use crate::event::{Event, Value};
use crate::field::Field;
use crate::harmonize::{self, Added, Input};
use crate::schema::{Target, target_of};
use crate::shadowserver::FileError;

fn yes() -> bool {
    true
}

/// The mapping of one generic CSV feed (serde: TOML or JSON).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct GenericCsvConfig {
    pub feed_name: String,
    #[serde(default)]
    pub feed_provider: Option<String>,
    /// One character; default `,`.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// IntelMQ key (`source.ip`, `extra.note`) → column name.
    pub columns: BTreeMap<String, String>,
    /// IntelMQ key → fixed value for every event.
    #[serde(default)]
    pub constants: BTreeMap<String, String>,
    /// Unmapped non-empty columns become `extra.<column>`.
    #[serde(default = "yes")]
    pub unmapped_to_extra: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenericConfigError {
    #[error("the configuration is not valid TOML: {0}")]
    Toml(String),
    #[error("{0:?} is not an IntelMQ field")]
    UnknownField(String),
    #[error("the delimiter must be one ASCII character")]
    Delimiter,
    #[error("the mapping needs source.ip, source.fqdn or source.url to match events to boards")]
    NothingToMatch,
}

impl GenericCsvConfig {
    pub fn from_toml(text: &str) -> Result<GenericCsvConfig, GenericConfigError> {
        let c: GenericCsvConfig =
            toml::from_str(text).map_err(|e| GenericConfigError::Toml(e.to_string()))?;
        c.check()?;
        Ok(c)
    }

    pub fn check(&self) -> Result<(), GenericConfigError> {
        for k in self.columns.keys().chain(self.constants.keys()) {
            if let Target::Unknown(u) = target_of(k) {
                return Err(GenericConfigError::UnknownField(u));
            }
        }
        if self.delimiter.is_some_and(|d| !d.is_ascii()) {
            return Err(GenericConfigError::Delimiter);
        }
        if !["source.ip", "source.fqdn", "source.url"]
            .iter()
            .any(|k| self.columns.contains_key(*k))
        {
            return Err(GenericConfigError::NothingToMatch);
        }
        Ok(())
    }
}

/// Streams events out of a generic CSV file.
#[derive(Debug)]
pub struct GenericCsvParser<R> {
    reader: RecordReader<R>,
    rec: Record,
    mapped: Vec<(Target, String, usize)>,
    unmapped: Vec<(String, usize)>,
    constants: Vec<(Target, String)>,
    feed_name: String,
    feed_provider: Option<String>,
    observation: Timestamp,
    lang: Lang,
    fatal: Option<FileError>,
}

impl<R: Read> GenericCsvParser<R> {
    /// Reads the header; a mapped column missing from it is a whole-file error.
    pub fn new(
        config: &GenericCsvConfig,
        src: R,
        observation: Timestamp,
        lang: Lang,
    ) -> Result<Self, FileError> {
        let delim = u8::try_from(u32::from(config.delimiter.unwrap_or(','))).unwrap_or(b',');
        let mut reader = RecordReader::with_delimiter(src, delim);
        let mut rec = Record::new();
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Err(FileError::Empty),
            Err(e) => {
                return Err(FileError::Io {
                    line: 0,
                    message: e.to_string(),
                });
            }
        }
        let header: Vec<String> = rec.iter().map(|h| h.trim().to_owned()).collect();
        let index = |name: &str| header.iter().position(|h| h == name);
        let mut missing = Vec::new();
        let mut mapped = Vec::new();
        for (key, column) in &config.columns {
            match index(column) {
                Some(i) => mapped.push((target_of(key), column.clone(), i)),
                None => missing.push(column.clone()),
            }
        }
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                report: config.feed_name.clone(),
                columns: missing,
            });
        }
        let unmapped = if config.unmapped_to_extra {
            header
                .iter()
                .enumerate()
                .filter(|(_, h)| !config.columns.values().any(|c| c == *h))
                .map(|(i, h)| (h.clone(), i))
                .collect()
        } else {
            Vec::new()
        };
        Ok(GenericCsvParser {
            reader,
            rec,
            mapped,
            unmapped,
            constants: config
                .constants
                .iter()
                .map(|(k, v)| (target_of(k), v.clone()))
                .collect(),
            feed_name: config.feed_name.clone(),
            feed_provider: config.feed_provider.clone(),
            observation,
            lang,
            fatal: None,
        })
    }

    /// The read error that ended the stream early, if any.
    pub fn take_error(&mut self) -> Option<FileError> {
        self.fatal.take()
    }

    fn build(&self) -> Result<Event, String> {
        let mut ev = Event::new();
        ev.time_observation = Some(self.observation);
        ev.set_str(Field::FeedName, &self.feed_name);
        if let Some(p) = &self.feed_provider {
            ev.set_str(Field::FeedProvider, p);
        }
        let apply = |ev: &mut Event, target: &Target, column: &str, value: &str| match target {
            Target::Field(f) => match harmonize::add(ev, *f, Input::Text(value)) {
                Ok(Added::Stored | Added::Ignored) => Ok(()),
                Err(_) => Err(match self.lang {
                    Lang::Nl => {
                        format!("kolom {column}: '{value}' is geen geldige waarde voor {f}")
                    }
                    Lang::En => format!("column {column}: '{value}' is not a valid {f}"),
                }),
            },
            Target::Extra(k) => {
                ev.set_extra(k, Value::Str(value));
                Ok(())
            }
            Target::ExtraColumn => {
                ev.set_extra(column, Value::Str(value));
                Ok(())
            }
            Target::Ignore | Target::Unknown(_) => Ok(()),
        };
        for (name, i) in &self.unmapped {
            if let Some(v) = self.rec.get(*i).filter(|v| !v.is_empty()) {
                ev.set_extra(name, Value::Str(v));
            }
        }
        for (target, column, i) in &self.mapped {
            let v = self.rec.get(*i).unwrap_or("");
            apply(&mut ev, target, column, v)?;
        }
        for (target, v) in &self.constants {
            apply(&mut ev, target, "-", v)?;
        }
        if ev.source_ip.is_none() && ev.source_fqdn().is_none() && ev.source_url().is_none() {
            return Err(match self.lang {
                Lang::Nl => "geen IP-adres, hostnaam of URL om te koppelen".to_owned(),
                Lang::En => "no IP address, host name or URL to match".to_owned(),
            });
        }
        Ok(ev)
    }
}

impl<R: Read> Iterator for GenericCsvParser<R> {
    type Item = Result<Event, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_record(&mut self.rec) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                self.fatal = Some(FileError::Io {
                    line: self.reader.lines_consumed(),
                    message: e.to_string(),
                });
                return None;
            }
        }
        let line = usize::try_from(self.rec.line).unwrap_or(usize::MAX);
        Some(self.build().map_err(|reason| RowError { line, reason }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schoolcert_domain::time::parse_rfc3339;

    const CONFIG: &str = r#"
        feed_name = "Partner-Scan"
        feed_provider = "Partner CERT"
        delimiter = ";"
        [columns]
        "time.source" = "seen"
        "source.ip" = "address"
        "source.port" = "port"
        "extra.note" = "remark"
        [constants]
        "classification.taxonomy" = "vulnerable"
        "classification.type" = "vulnerable-system"
        "classification.identifier" = "partner-open-service"
    "#;

    #[test]
    fn a_mapped_csv_becomes_events_and_bad_rows_are_reported() {
        let cfg = GenericCsvConfig::from_toml(CONFIG).unwrap();
        let input = "seen;address;port;remark;vendor\n\
                     2026-11-20 04:00:00;145.97.12.7;3389;open;acme\n\
                     2026-11-20 05:00:00;not-an-ip;22;;\n\
                     2026-11-20T06:00:00Z;2001:610:188::1;;;\n";
        let obs = parse_rfc3339("2026-11-20T07:00:00Z").unwrap();
        let out: Vec<_> = GenericCsvParser::new(&cfg, input.as_bytes(), obs, Lang::En)
            .unwrap()
            .collect();
        assert_eq!(out.len(), 3);
        let e = out[0].as_ref().unwrap();
        assert_eq!(e.source_port, Some(3389));
        assert_eq!(e.extra_get("note"), Some(Value::Str("open")));
        assert_eq!(e.extra_get("vendor"), Some(Value::Str("acme")));
        assert_eq!(e.classification_identifier(), Some("partner-open-service"));
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.reason.contains("source.ip"), "{}", err.reason);
        assert!(out[2].as_ref().unwrap().source_ip.unwrap().is_ipv6());
    }

    #[test]
    fn configurations_are_checked() {
        assert!(matches!(
            GenericCsvConfig::from_toml("feed_name='x'\n[columns]\n'bogus.field'='a'"),
            Err(GenericConfigError::UnknownField(_))
        ));
        assert!(matches!(
            GenericCsvConfig::from_toml("feed_name='x'\n[columns]\n'time.source'='a'"),
            Err(GenericConfigError::NothingToMatch)
        ));
        let cfg = GenericCsvConfig::from_toml(CONFIG).unwrap();
        let obs = parse_rfc3339("2026-11-20T07:00:00Z").unwrap();
        assert!(matches!(
            GenericCsvParser::new(&cfg, "a;b\n".as_bytes(), obs, Lang::Nl),
            Err(FileError::MissingColumns { .. })
        ));
    }
}
