//! Publishing as a CSAF trusted provider: sector advisories exported as CSAF 2.0 and the
//! `/.well-known/csaf/` directory (metadata, per-TLP folders, indexes, ROLIE feeds, hashes,
//! signatures) generated as files. Only TLP:CLEAR is public.

mod csaf_export;
mod provider;
mod rolie;

#[cfg(test)]
mod tests;

pub use csaf_export::{
    ExportError, PublisherInfo, csaf_tlp_label, document_path, tlp_folder, to_csaf,
};
pub use provider::{
    Access, ProviderConfig, ProviderFile, PublishError, PublishedDocument, build, canonical_json,
    hash_file, security_txt_line,
};
