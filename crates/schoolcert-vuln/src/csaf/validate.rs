//! CSAF validation through the `csaf-rs` crate: the JSON schema plus the mandatory tests
//! (6.1.x) for ingest, and additionally the optional tests the CERT requires of what it
//! publishes (TLP label, canonical URL, language, product identification helper).

use csaf_rs::csaf::raw::{HasParsed, RawDocument};
use csaf_rs::validation::{TestResultStatus, Validatable, validate_by_tests};
use serde::Serialize;
use serde_json::Value;

use super::model::CsafVersion;

/// Optional tests required of published documents on top of schema + mandatory:
/// 6.2.10 missing TLP label, 6.2.11 missing canonical URL, 6.2.12 missing language.
/// (6.2.16, missing product identification helper, is not required: school SaaS products
/// have no CPE or PURL.)
pub const PUBLISH_EXTRA_TESTS: [&str; 3] = ["6.2.10", "6.2.11", "6.2.12"];

/// One failed test with its message and JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub test_id: String,
    pub message: String,
    pub path: String,
}

/// The outcome of running a set of tests on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    pub version: CsafVersion,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// Tests that ran and passed.
    pub passed: Vec<String>,
}

impl ValidationReport {
    /// No errors.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The failed test ids, each once, in order.
    pub fn failed_tests(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.errors.iter().map(|f| f.test_id.as_str()).collect();
        ids.dedup();
        ids
    }

    /// A few lines for a person: which tests failed, where, why.
    pub fn summary(&self) -> String {
        self.errors
            .iter()
            .map(|f| format!("{} {}: {}", f.test_id, f.path, f.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Runs the schema test, all mandatory tests and `extra` tests.
pub fn validate(value: &Value, version: CsafVersion, extra: &[&str]) -> ValidationReport {
    match version {
        CsafVersion::V2_0 => {
            run::<csaf_rs::schema::csaf2_0::schema::CommonSecurityAdvisoryFramework>(
                value, version, extra,
            )
        }
        CsafVersion::V2_1 => {
            run::<csaf_rs::schema::csaf2_1::schema::CommonSecurityAdvisoryFramework>(
                value, version, extra,
            )
        }
    }
}

fn run<T>(value: &Value, version: CsafVersion, extra: &[&str]) -> ValidationReport
where
    T: serde::de::DeserializeOwned,
    RawDocument<T>: Validatable,
{
    let doc = RawDocument::<T>::new(value.clone());
    let mut report = ValidationReport {
        version,
        errors: Vec::new(),
        warnings: Vec::new(),
        passed: Vec::new(),
    };
    // A document that does not fit the typed model gets its typed tests skipped by
    // csaf-rs; without this check it would look valid.
    if let Err(e) = doc.get_parsed() {
        report.errors.push(Finding {
            test_id: "schema".into(),
            message: format!(
                "the document does not fit the CSAF {} model: {e}",
                version.as_str()
            ),
            path: "/".into(),
        });
    }
    let mut tests = RawDocument::<T>::tests_in_preset("basic").unwrap_or_default();
    tests.extend(extra.iter().copied());
    let result = validate_by_tests(&doc, version.as_str(), &tests);
    for t in result.test_results {
        match t.status {
            TestResultStatus::Success => report.passed.push(t.test_id),
            TestResultStatus::Failure {
                errors, warnings, ..
            } => {
                for e in errors {
                    report.errors.push(Finding {
                        test_id: t.test_id.clone(),
                        message: e.message,
                        path: e.instance_path,
                    });
                }
                for w in warnings {
                    report.warnings.push(Finding {
                        test_id: t.test_id.clone(),
                        message: w.message,
                        path: w.instance_path,
                    });
                }
            }
            TestResultStatus::NotFound | TestResultStatus::Skipped => {}
        }
    }
    report
}
