//! Recognising the report type from a Shadowserver file name,
//! `YYYY-MM-DD-<type>-<region>-<suffix>.csv` (`2026-11-20-scan_rdp-nl-geo.csv`), as IntelMQ's
//! parser does, or from an explicit feed name.

use schoolcert_domain::Lang;
use schoolcert_domain::lang::Localized;

use crate::schema::{ReportType, Schema};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    #[error(
        "{0:?} does not look like a Shadowserver report file name (YYYY-MM-DD-type-region.csv)"
    )]
    Shape(String),
    #[error("report type {kind:?} (from {file:?}) is not in the Shadowserver schema")]
    UnknownType { file: String, kind: String },
    #[error("feed name {0:?} is not in the Shadowserver schema")]
    UnknownFeed(String),
}

impl Localized for FileNameError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileNameError::Shape(f), Lang::Nl) => format!(
                "'{f}' is geen bestandsnaam van een Shadowserver-rapport (verwacht: JJJJ-MM-DD-type-regio.csv). Geef het rapporttype dan zelf op."
            ),
            (FileNameError::Shape(f), Lang::En) => format!(
                "'{f}' is not a Shadowserver report file name (expected YYYY-MM-DD-type-region.csv). Give the report type explicitly."
            ),
            (FileNameError::UnknownType { file, kind }, Lang::Nl) => format!(
                "Rapporttype '{kind}' (uit '{file}') staat niet in het Shadowserver-schema. Ververs het schema en probeer het opnieuw."
            ),
            (FileNameError::UnknownType { file, kind }, Lang::En) => format!(
                "Report type '{kind}' (from '{file}') is not in the Shadowserver schema. Refresh the schema and try again."
            ),
            (FileNameError::UnknownFeed(f), Lang::Nl) => {
                format!("Feednaam '{f}' staat niet in het Shadowserver-schema.")
            }
            (FileNameError::UnknownFeed(f), Lang::En) => {
                format!("Feed name '{f}' is not in the Shadowserver schema.")
            }
        }
    }
}

/// The type part of a report file name: directories and the `YYYY-MM-DD-` prefix dropped,
/// then everything up to the first `-` (IntelMQ's `^(?:\d{4}-\d{2}-\d{2}-)?(\w+)(-\w+)*\.csv$`).
pub fn type_part(file_name: &str) -> Option<&str> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base.strip_suffix(".csv")?;
    let rest = strip_date(stem).unwrap_or(stem);
    let mut parts = rest.split('-');
    let kind = parts.next()?;
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    (word(kind) && parts.all(word)).then_some(kind)
}

fn strip_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let shape = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && b[10] == b'-';
    shape.then(|| &s[11..])
}

/// The report type of `file_name`. If the first segment is unknown, the longest schema type
/// the name starts with is tried (for types that might one day contain `-`).
pub fn report_type_for_file<'s>(
    schema: &'s Schema,
    file_name: &str,
) -> Result<&'s ReportType, FileNameError> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let Some(kind) = type_part(file_name) else {
        return Err(FileNameError::Shape(base.to_owned()));
    };
    if let Some(t) = schema.by_file_name(kind) {
        return Ok(t);
    }
    let stem = base.strip_suffix(".csv").unwrap_or(base);
    let rest = strip_date(stem).unwrap_or(stem);
    schema
        .file_names()
        .filter(|n| rest.starts_with(n) && rest[n.len()..].starts_with('-'))
        .max_by_key(|n| n.len())
        .and_then(|n| schema.by_file_name(n))
        .ok_or_else(|| FileNameError::UnknownType {
            file: base.to_owned(),
            kind: kind.to_owned(),
        })
}

/// The report type named by a feed name (`Accessible-RDP`), a file-name type (`scan_rdp`) or a
/// schema key.
pub fn report_type_by_name<'s>(
    schema: &'s Schema,
    name: &str,
) -> Result<&'s ReportType, FileNameError> {
    schema
        .find(name.trim())
        .ok_or_else(|| FileNameError::UnknownFeed(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_type_is_recognised_from_a_file_name() {
        let schema = Schema::embedded().unwrap();
        for t in schema.types() {
            for name in [
                format!("2026-11-20-{}-nl-geo.csv", t.file_name),
                format!(
                    "/var/spool/2026-11-20-{}-schoolcert_sector-asn.csv",
                    t.file_name
                ),
                format!("{}-netherlands.csv", t.file_name),
            ] {
                let got = report_type_for_file(&schema, &name).unwrap();
                assert_eq!(got.file_name, t.file_name, "{name}");
            }
        }
    }

    #[test]
    fn shapes_and_unknown_types_are_refused_with_a_reason() {
        let schema = Schema::embedded().unwrap();
        assert_eq!(
            type_part("2026-11-20-scan_rdp-nl-geo.csv"),
            Some("scan_rdp")
        );
        assert_eq!(type_part("scan6_rdp.csv"), Some("scan6_rdp"));
        assert!(matches!(
            report_type_for_file(&schema, "report.txt"),
            Err(FileNameError::Shape(_))
        ));
        let e = report_type_for_file(&schema, "2026-11-20-scan_brandnew-nl.csv").unwrap_err();
        assert!(e.message(Lang::Nl).contains("scan_brandnew"));
        assert_eq!(
            report_type_by_name(&schema, "Accessible-RDP")
                .unwrap()
                .file_name,
            "scan_rdp"
        );
        assert!(report_type_by_name(&schema, "Nope").is_err());
    }
}
