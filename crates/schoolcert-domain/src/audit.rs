//! Field-level change records for the append-only audit log: what changed, from what, to what.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// Compares two serialisable snapshots field by field (top-level keys of their JSON objects).
/// `None` stands for "did not exist": creation lists every field with `before: null`.
pub fn diff<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Vec<FieldChange> {
    let to_map = |v: Option<&T>| match v.map(serde_json::to_value) {
        Some(Ok(Value::Object(m))) => m,
        _ => serde_json::Map::new(),
    };
    let (b, a) = (to_map(before), to_map(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let bv = b.get(k).cloned().unwrap_or(Value::Null);
            let av = a.get(k).cloned().unwrap_or(Value::Null);
            (bv != av).then(|| FieldChange {
                field: k.clone(),
                before: bv,
                after: av,
            })
        })
        .collect()
}

/// A single-field change, for status transitions and similar.
pub fn change(field: &str, before: impl Serialize, after: impl Serialize) -> FieldChange {
    FieldChange {
        field: field.to_owned(),
        before: serde_json::to_value(before).unwrap_or(Value::Null),
        after: serde_json::to_value(after).unwrap_or(Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Contact {
        name: &'static str,
        email: &'static str,
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let a = Contact {
            name: "Anna",
            email: "a@school.nl",
        };
        let b = Contact {
            name: "Anna",
            email: "anna@school.nl",
        };
        let d = diff(Some(&a), Some(&b));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "email");
        assert_eq!(d[0].before, "a@school.nl");
        assert_eq!(d[0].after, "anna@school.nl");
    }

    #[test]
    fn creation_and_deletion_list_every_field() {
        let a = Contact {
            name: "Anna",
            email: "a@school.nl",
        };
        assert_eq!(diff(None, Some(&a)).len(), 2);
        assert!(diff(Some(&a), None).iter().all(|c| c.after.is_null()));
    }
}
