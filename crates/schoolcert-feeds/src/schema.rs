//! Shadowserver's report schema (`intelmq.json`): every report type as data. A copy ships in
//! `data/shadowserver-schema.json`; a refreshed one can be loaded from bytes.

use rustc_hash::FxHashMap;
use serde_json::Value as Json;

use crate::conversions::Conversion;
use crate::field::Field;

/// The schema this build carries (Shadowserver, `_meta.date_created` 2026-03-24T15:31:20Z).
pub const EMBEDDED_SCHEMA: &str = include_str!("../data/shadowserver-schema.json");

/// Where a column's value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A harmonised field.
    Field(Field),
    /// `extra.<key>` with a fixed key (`extra.source.naics` → `source.naics`).
    Extra(String),
    /// `extra.`: `extra.<column name>`.
    ExtraColumn,
    /// `false`: the column is ignored.
    Ignore,
    /// A key IntelMQ's harmonisation does not know (IntelMQ puts the value in `extra.<key>`).
    Unknown(String),
}

/// One `[intelmq_key, csv_column, conversion?, pass_whole_row?]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMapping {
    pub target: Target,
    pub column: String,
    pub conversion: Option<Conversion>,
    /// The conversion receives the whole row too.
    pub pass_row: bool,
}

/// One report type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportType {
    /// The schema key (usually equal to `file_name`).
    pub key: String,
    /// E.g. `Accessible-RDP`.
    pub feed_name: String,
    /// The type as it appears in file names, e.g. `scan_rdp`.
    pub file_name: String,
    /// Shadowserver's documentation page (→ `feed.documentation`).
    pub url: Option<String>,
    /// Values every event of this type gets, in schema order.
    pub constant_fields: Vec<(String, String)>,
    pub required: Vec<FieldMapping>,
    pub optional: Vec<FieldMapping>,
}

impl ReportType {
    /// The constant `classification.identifier` (e.g. `open-rdp`), if the type has one.
    pub fn identifier(&self) -> Option<&str> {
        self.constant("classification.identifier")
    }

    pub fn constant(&self, key: &str) -> Option<&str> {
        self.constant_fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The columns the schema knows, in schema order (required first), without repeats.
    pub fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in self.required.iter().chain(&self.optional) {
            if !out.contains(&m.column.as_str()) {
                out.push(&m.column);
            }
        }
        out
    }
}

/// The whole schema, indexed by file-name type and by feed name.
#[derive(Debug, Clone)]
pub struct Schema {
    /// `_meta.date_created`.
    pub date_created: Option<String>,
    pub change_log: Vec<String>,
    types: Vec<ReportType>,
    by_file_name: FxHashMap<String, usize>,
    by_feed_name: FxHashMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the schema is not valid JSON: {0}")]
    Json(String),
    #[error("the schema is not a JSON object of report types")]
    NotAnObject,
    #[error("report type {key:?}: {problem}")]
    Report { key: String, problem: String },
    #[error("the schema defines no report types")]
    Empty,
}

impl Schema {
    /// The schema shipped with this build.
    pub fn embedded() -> Result<Schema, SchemaError> {
        Schema::from_json(EMBEDDED_SCHEMA.as_bytes())
    }

    /// A schema from its JSON text (the "refresh schema" command downloads it from
    /// Shadowserver).
    pub fn from_json(bytes: &[u8]) -> Result<Schema, SchemaError> {
        let root: Json =
            serde_json::from_slice(bytes).map_err(|e| SchemaError::Json(e.to_string()))?;
        let obj = root.as_object().ok_or(SchemaError::NotAnObject)?;
        let mut schema = Schema {
            date_created: None,
            change_log: Vec::new(),
            types: Vec::new(),
            by_file_name: FxHashMap::default(),
            by_feed_name: FxHashMap::default(),
        };
        for (key, value) in obj {
            if key == "_meta" {
                schema.date_created = value
                    .get("date_created")
                    .and_then(Json::as_str)
                    .map(str::to_owned);
                schema.change_log = value
                    .get("change_log")
                    .and_then(Json::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                continue;
            }
            let rt = parse_report(key, value).map_err(|problem| SchemaError::Report {
                key: key.clone(),
                problem,
            })?;
            let i = schema.types.len();
            // As IntelMQ: a later entry with the same name wins.
            schema.by_file_name.insert(rt.file_name.clone(), i);
            schema.by_feed_name.insert(rt.feed_name.clone(), i);
            schema.types.push(rt);
        }
        if schema.types.is_empty() {
            return Err(SchemaError::Empty);
        }
        Ok(schema)
    }

    pub fn types(&self) -> &[ReportType] {
        &self.types
    }

    /// The type whose file-name part is `file_type` (e.g. `scan_rdp`).
    pub fn by_file_name(&self, file_type: &str) -> Option<&ReportType> {
        self.by_file_name.get(file_type).map(|&i| &self.types[i])
    }

    /// The type with this feed name (e.g. `Accessible-RDP`).
    pub fn by_feed_name(&self, feed_name: &str) -> Option<&ReportType> {
        self.by_feed_name.get(feed_name).map(|&i| &self.types[i])
    }

    /// By file-name type, else feed name, else schema key.
    pub fn find(&self, name: &str) -> Option<&ReportType> {
        self.by_file_name(name)
            .or_else(|| self.by_feed_name(name))
            .or_else(|| self.types.iter().find(|t| t.key == name))
    }

    /// Every file-name type, for file-name recognition.
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.by_file_name.keys().map(String::as_str)
    }
}

fn parse_report(key: &str, v: &Json) -> Result<ReportType, String> {
    let s = |name: &str| -> Result<String, String> {
        v.get(name)
            .and_then(Json::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("missing or non-text {name:?}"))
    };
    let constant_fields = match v.get("constant_fields") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Object(m)) => m
            .iter()
            .map(|(k, val)| {
                let text = match val {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect(),
        Some(_) => return Err("constant_fields is not an object".into()),
    };
    Ok(ReportType {
        key: key.to_owned(),
        feed_name: s("feed_name")?,
        file_name: s("file_name")?,
        url: v.get("url").and_then(Json::as_str).map(str::to_owned),
        constant_fields,
        required: parse_mappings(v.get("required_fields"))?,
        optional: parse_mappings(v.get("optional_fields"))?,
    })
}

fn parse_mappings(v: Option<&Json>) -> Result<Vec<FieldMapping>, String> {
    let Some(v) = v else {
        return Ok(Vec::new());
    };
    let items = v.as_array().ok_or("field list is not an array")?;
    items
        .iter()
        .map(|item| {
            let a = item.as_array().ok_or("field entry is not an array")?;
            let target = match a.first() {
                Some(Json::Bool(false)) => Target::Ignore,
                Some(Json::String(k)) => target_of(k),
                other => return Err(format!("bad field key {other:?}")),
            };
            let column = a
                .get(1)
                .and_then(Json::as_str)
                .ok_or("field entry without column name")?
                .to_owned();
            let conversion = match a.get(2) {
                Some(Json::String(c)) => Some(Conversion::from_name(c)),
                None | Some(Json::Null) => None,
                Some(other) => return Err(format!("bad conversion {other}")),
            };
            let pass_row = matches!(a.get(3), Some(Json::Bool(true)));
            Ok(FieldMapping {
                target,
                column,
                conversion,
                pass_row,
            })
        })
        .collect()
}

/// Resolves an IntelMQ key of the schema.
pub fn target_of(key: &str) -> Target {
    if key == "extra." {
        return Target::ExtraColumn;
    }
    if let Some(rest) = key.strip_prefix("extra.") {
        return Target::Extra(rest.to_owned());
    }
    match Field::from_name(key) {
        Some(f) => Target::Field(f),
        None => Target::Unknown(key.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_schema_loads_all_170_types() {
        let s = Schema::embedded().unwrap();
        assert_eq!(s.types().len(), 170);
        assert_eq!(s.date_created.as_deref(), Some("2026-03-24T15:31:20Z"));
        let rdp = s.by_file_name("scan_rdp").unwrap();
        assert_eq!(rdp.feed_name, "Accessible-RDP");
        assert_eq!(rdp.identifier(), Some("open-rdp"));
        assert_eq!(rdp.required.len(), 3);
        assert_eq!(rdp.columns().len(), 32 - 3 + 3);
        assert_eq!(
            s.by_feed_name("Accessible-RDP").unwrap().file_name,
            "scan_rdp"
        );
        // The key and the file name differ for some event reports.
        assert!(s.by_file_name("event4_sinkhole_http").is_some());
        // Every conversion the schema names is implemented.
        for t in s.types() {
            for m in t.required.iter().chain(&t.optional) {
                assert!(
                    !matches!(m.conversion, Some(Conversion::Unknown(_))),
                    "{} {:?}",
                    t.key,
                    m.conversion
                );
                assert!(
                    !matches!(m.target, Target::Unknown(_)),
                    "{} {:?}",
                    t.key,
                    m.target
                );
            }
        }
    }

    #[test]
    fn a_refreshed_schema_loads_from_bytes_and_bad_ones_are_refused() {
        let s = Schema::from_json(
            br#"{"_meta":{"date_created":"x","change_log":[]},
                "scan_new":{"feed_name":"New","file_name":"scan_new","constant_fields":{},
                "required_fields":[["source.ip","ip","validate_ip"]],
                "optional_fields":[[false,"skip"],["foo.bar","x","brand_new_conversion"]]}}"#,
        )
        .unwrap();
        let t = s.find("New").unwrap();
        assert_eq!(t.optional[0].target, Target::Ignore);
        assert_eq!(t.optional[1].target, Target::Unknown("foo.bar".into()));
        assert_eq!(
            t.optional[1].conversion,
            Some(Conversion::Unknown("brand_new_conversion".into()))
        );
        assert!(matches!(
            Schema::from_json(b"[1]"),
            Err(SchemaError::NotAnObject)
        ));
        assert!(matches!(Schema::from_json(b"{"), Err(SchemaError::Json(_))));
        assert!(matches!(
            Schema::from_json(br#"{"x":{"feed_name":1}}"#),
            Err(SchemaError::Report { .. })
        ));
    }
}
