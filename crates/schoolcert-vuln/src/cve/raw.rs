//! Serde structures for the parts of CVE JSON 5.x records we read. Every field is optional
//! or defaulted and unknown fields are ignored, so 5.0, 5.1, 5.2 and later minor versions
//! all parse (the `cve` crate refuses `dataVersion` values it does not list).

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Record {
    #[serde(default)]
    pub data_type: Option<String>,
    #[serde(default)]
    pub data_version: Option<String>,
    pub cve_metadata: Metadata,
    #[serde(default)]
    pub containers: Containers,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Metadata {
    pub cve_id: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub date_published: Option<String>,
    #[serde(default)]
    pub date_updated: Option<String>,
    #[serde(default)]
    pub assigner_short_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Containers {
    pub cna: Option<Container>,
    pub adp: Vec<Container>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Container {
    pub provider_metadata: Option<ProviderMetadata>,
    pub title: Option<String>,
    pub descriptions: Vec<LangValue>,
    pub affected: Vec<Affected>,
    pub metrics: Vec<serde_json::Value>,
    pub problem_types: Vec<ProblemType>,
    pub references: Vec<Reference>,
    pub solutions: Vec<LangValue>,
    pub workarounds: Vec<LangValue>,
    pub rejected_reasons: Vec<LangValue>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ProviderMetadata {
    pub short_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LangValue {
    pub lang: String,
    pub value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ProblemType {
    pub descriptions: Vec<ProblemDescription>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct ProblemDescription {
    pub cwe_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Reference {
    pub url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Affected {
    pub vendor: Option<String>,
    pub product: Option<String>,
    #[serde(rename = "collectionURL")]
    pub collection_url: Option<String>,
    pub package_name: Option<String>,
    pub cpes: Vec<String>,
    pub platforms: Vec<String>,
    pub versions: Vec<Version>,
    pub default_status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Version {
    pub version: String,
    pub status: String,
    pub version_type: Option<String>,
    pub less_than: Option<String>,
    pub less_than_or_equal: Option<String>,
    pub changes: Vec<Change>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Change {
    pub at: String,
    pub status: String,
}
