//! Closing a sync run: each fetched document is checked (size, hash, signature) before it
//! is handed on, and the cursor moves only past documents handled for good.

use sha2::{Digest, Sha256};

use super::{ProviderSync, Response, RetrievedDocument, SyncReport};
use crate::ingest::InputError;
use crate::retrieve::listing::Listed;
use crate::retrieve::metadata::Role;
use crate::retrieve::verify::verify;

impl ProviderSync {
    /// Verifies the fetched documents and closes the run.
    pub fn finish(mut self) -> SyncReport {
        let hash_required = self
            .metadata
            .as_ref()
            .is_some_and(|m| m.role == Role::TrustedProvider);
        let keys_missing = self.keys_announced && self.keys.is_empty();
        let mut cursor = self.config.since;
        let mut advancing = !self.listing_incomplete && self.report.fatal.is_none();
        for w in std::mem::take(&mut self.docs) {
            let Some(listed) = w.listed else { continue };
            let handled = if w.skipped {
                true
            } else {
                self.check(
                    &listed,
                    w.body,
                    w.sha512,
                    w.sha256,
                    w.signature,
                    hash_required,
                    keys_missing,
                )
            };
            if !handled {
                advancing = false;
            }
            if advancing && let Some(t) = listed.updated {
                cursor = Some(cursor.map_or(t, |c| c.max(t)));
            }
        }
        self.report.cursor = cursor;
        self.report
    }

    /// Checks one document; returns whether it was handled for good (accepted, or refused
    /// for its content) rather than failed in transport (to be tried again next run).
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        listed: &Listed,
        body: Option<Response>,
        sha512: Option<Response>,
        sha256: Option<Response>,
        signature: Option<Response>,
        hash_required: bool,
        keys_missing: bool,
    ) -> bool {
        let url = listed.url.as_str();
        let refuse = |report: &mut SyncReport, reason: String| {
            report.refused.push(InputError::new(url, reason));
        };
        let bytes = match body {
            Some(Response::Body(b)) => b,
            Some(Response::NotFound) => {
                refuse(&mut self.report, "listed but not found".into());
                return false;
            }
            Some(Response::Failed(e)) => {
                refuse(&mut self.report, e);
                return false;
            }
            None => {
                refuse(&mut self.report, "not fetched".into());
                return false;
            }
        };
        if bytes.len() > self.config.max_document_bytes {
            refuse(
                &mut self.report,
                format!(
                    "{} bytes, more than the limit of {}",
                    bytes.len(),
                    self.config.max_document_bytes
                ),
            );
            return true;
        }
        // A hash or signature file that failed in transport (not 404) is retried next run.
        let optional = |r: &Option<Response>| -> Result<Option<Vec<u8>>, String> {
            match r {
                Some(Response::Body(b)) => Ok(Some(b.clone())),
                Some(Response::NotFound) | None => Ok(None),
                Some(Response::Failed(e)) => Err(e.clone()),
            }
        };
        let (sha512, sha256, signature) =
            match (optional(&sha512), optional(&sha256), optional(&signature)) {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                    refuse(&mut self.report, format!("hash or signature file: {e}"));
                    return false;
                }
            };
        if keys_missing {
            refuse(
                &mut self.report,
                "the provider announces OpenPGP keys but none could be loaded".into(),
            );
            return false;
        }
        match verify(
            &bytes,
            sha512.as_deref(),
            sha256.as_deref(),
            signature.as_deref(),
            &self.keys,
            hash_required,
        ) {
            Ok((hash, signature)) => {
                self.report.documents.push(RetrievedDocument {
                    url: listed.url.clone(),
                    updated: listed.updated,
                    sha256: hex::encode(Sha256::digest(&bytes)),
                    bytes,
                    hash,
                    signature,
                });
            }
            Err(e) => refuse(&mut self.report, e.to_string()),
        }
        true
    }
}
