//! FIRST EPSS daily scores: the bulk CSV, gzip-compressed or plain, with its metadata
//! comment line (`#model_version:v2025.03.14,score_date:2025-09-03T12:55:00Z`).

use std::io::Read;

use flate2::read::GzDecoder;
use schoolcert_domain::Timestamp;
use schoolcert_domain::registry::RowError;
use schoolcert_domain::time::parse_rfc3339;
use serde::{Deserialize, Serialize};

use crate::ids::CveId;

/// One CVE's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpssScore {
    pub cve_id: CveId,
    /// Probability of exploitation activity in the next 30 days, 0..=1.
    pub epss: f64,
    /// Rank among all scored CVEs, 0..=1.
    pub percentile: f64,
}

/// A day's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpssFile {
    pub model_version: Option<String>,
    pub score_date: Option<Timestamp>,
    pub scores: Vec<EpssScore>,
}

/// Whole-file problems: these fail loudly because a silent format change would quietly
/// remove every EPSS score.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpssError {
    #[error("the gzip stream cannot be read: {0}")]
    Gzip(String),
    #[error("the file is not UTF-8 text")]
    Encoding,
    #[error("the header 'cve,epss,percentile' is missing (found '{0}')")]
    Header(String),
    #[error("the file is larger than {0} bytes uncompressed")]
    TooLarge(u64),
}

/// EPSS lists every published CVE (~300,000 rows, ~10 MB); far more means something else.
const MAX_UNCOMPRESSED: u64 = 256 * 1024 * 1024;

/// Parses the file (gzip detected by its magic bytes). Bad rows are reported by line.
pub fn parse(bytes: &[u8]) -> Result<(EpssFile, Vec<RowError>), EpssError> {
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(bytes)
            .take(MAX_UNCOMPRESSED + 1)
            .read_to_end(&mut out)
            .map_err(|e| EpssError::Gzip(e.to_string()))?;
        if out.len() as u64 > MAX_UNCOMPRESSED {
            return Err(EpssError::TooLarge(MAX_UNCOMPRESSED));
        }
        String::from_utf8(out).map_err(|_| EpssError::Encoding)?
    } else {
        std::str::from_utf8(bytes)
            .map_err(|_| EpssError::Encoding)?
            .to_owned()
    };
    let mut file = EpssFile {
        model_version: None,
        score_date: None,
        scores: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut header_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() {
            continue;
        }
        if let Some(meta) = l.strip_prefix('#') {
            for part in meta.split(',') {
                match part.split_once(':') {
                    Some(("model_version", v)) => file.model_version = Some(v.trim().to_owned()),
                    Some(("score_date", v)) => file.score_date = score_date(v),
                    _ => {}
                }
            }
            continue;
        }
        if !header_seen {
            let cols: Vec<&str> = l.split(',').map(str::trim).collect();
            if cols.first() != Some(&"cve") || !cols.contains(&"epss") {
                return Err(EpssError::Header(l.chars().take(80).collect()));
            }
            header_seen = true;
            continue;
        }
        match row(l) {
            Ok(s) => file.scores.push(s),
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    if !header_seen {
        return Err(EpssError::Header(String::new()));
    }
    Ok((file, errors))
}

/// `2025-09-03T12:55:00Z` and `2025-09-03T00:00:00+0000` both occur.
fn score_date(v: &str) -> Option<Timestamp> {
    let v = v.trim();
    parse_rfc3339(v).or_else(|| {
        chrono::DateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%z")
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    })
}

fn row(l: &str) -> Result<EpssScore, String> {
    let mut parts = l.split(',').map(str::trim);
    let (Some(cve), Some(epss), Some(percentile)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err("expected three columns: cve,epss,percentile".into());
    };
    let unit = |s: &str, what: &str| -> Result<f64, String> {
        let v: f64 = s
            .parse()
            .map_err(|_| format!("{what} '{s}' is not a number"))?;
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(format!("{what} {v} is outside 0..1"))
        }
    };
    Ok(EpssScore {
        cve_id: cve
            .parse()
            .map_err(|e: crate::ids::BadCveId| e.to_string())?,
        epss: unit(epss, "epss")?,
        percentile: unit(percentile, "percentile")?,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    const SAMPLE: &str = "#model_version:v2025.03.14,score_date:2025-09-03T00:00:00+0000\n\
                          cve,epss,percentile\n\
                          CVE-2024-3400,0.94365,0.99950\n\
                          CVE-2019-11510,0.94460,0.99980\n\
                          CVE-2024-9999,1.7,0.5\n\
                          bogus,0.1,0.1\n\
                          CVE-2023-0001,0.00043\n";

    #[test]
    fn reads_gzip_and_plain_files_with_metadata() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(SAMPLE.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        for bytes in [SAMPLE.as_bytes(), gz.as_slice()] {
            let (f, errors) = parse(bytes).unwrap();
            assert_eq!(f.model_version.as_deref(), Some("v2025.03.14"));
            assert_eq!(f.score_date, parse_rfc3339("2025-09-03T00:00:00Z"));
            assert_eq!(f.scores.len(), 2);
            assert_eq!(f.scores[0].epss, 0.94365);
            let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
            assert_eq!(lines, [5, 6, 7]);
        }
    }

    #[test]
    fn a_changed_format_fails_loudly() {
        assert!(matches!(
            parse(b"cve;score\nCVE-2024-1;0.1\n"),
            Err(EpssError::Header(_))
        ));
        assert!(matches!(
            parse(&[0x1f, 0x8b, 0, 1]),
            Err(EpssError::Gzip(_))
        ));
        assert!(matches!(
            parse(b"#only a comment\n"),
            Err(EpssError::Header(_))
        ));
    }
}
