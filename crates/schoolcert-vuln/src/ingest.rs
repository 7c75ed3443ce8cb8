//! What the parsers of whole documents (CSAF files, CVE records, a folder of either) return
//! beside the good ones: a refused input named by where it came from and why.

use serde::Serialize;

/// One refused input: its name (file path, URL, record position) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub source: String,
    pub reason: String,
}

impl InputError {
    pub fn new(source: impl Into<String>, reason: impl Into<String>) -> InputError {
        InputError {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

/// Documents accepted from a batch and the ones refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Batch<T> {
    pub accepted: Vec<T>,
    pub refused: Vec<InputError>,
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Batch {
            accepted: Vec::new(),
            refused: Vec::new(),
        }
    }
}
