//! The Shadowserver report parser: the schema applied as data to a streaming CSV reader.
//!
//! For one report type and one header, [`Plan::compile`] resolves every schema entry to a
//! column index, a conversion and a target once; each row is then a walk over that plan with
//! IntelMQ's rules (see `shared/reference/intelmq.md` §3):
//! required columns first (a conversion error or an invalid value refuses the row), optional
//! columns next (an invalid value falls back to `extra.<column>`), constant fields (they win),
//! `raw`, and every unused non-empty column into `extra.<column>`.
//!
//! Deliberate differences from IntelMQ 3.5, all towards refusing broken rows instead of
//! emitting half-empty events: a row without a parsable `time.source` or `source.ip` (IntelMQ
//! keeps the row, putting the bad IP text in `extra.ip`, or even dates an empty timestamp
//! "today"), a row shorter than the header, and a port outside 0–65535 are row errors.

use std::io::Read;

use rustc_hash::FxHashMap;
use schoolcert_domain::Lang;
use schoolcert_domain::Timestamp;
use schoolcert_domain::lang::Localized;
use schoolcert_domain::registry::RowError;

use crate::conversions::{self, Conversion, Converted, RowAccess};
use crate::csvreader::{CsvError, Record, RecordReader};
use crate::event::{Event, KeyTable, Value, is_typed};
use crate::field::Field;
use crate::harmonize::{self, Added, Input};
use crate::schema::{ReportType, Target};

/// What the caller knows about the report as a whole (IntelMQ's Report message).
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// When the report was retrieved: `time.observation` of every event.
    pub observation: Timestamp,
    /// `feed.name`; default: the schema's feed name (e.g. `Accessible-RDP`).
    pub feed_name: Option<String>,
    /// `feed.provider`; default `Shadowserver`.
    pub feed_provider: Option<String>,
    pub feed_accuracy: Option<f64>,
    /// Keep `raw` (the quoted header line plus the data line, as IntelMQ does). Costs about
    /// one row's bytes per event; switch off when nobody needs the original text.
    pub keep_raw: bool,
    /// Language of row-error reasons.
    pub lang: Lang,
}

impl ReportContext {
    pub fn new(observation: Timestamp) -> Self {
        ReportContext {
            observation,
            feed_name: None,
            feed_provider: None,
            feed_accuracy: None,
            keep_raw: true,
            lang: Lang::Nl,
        }
    }
}

/// A problem with the whole file: nothing (more) can be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("read error after line {line}: {message}")]
    Io { line: u64, message: String },
    #[error("record starting on line {line} is too long")]
    RecordTooLong { line: u64 },
    #[error("report {report}: required column(s) missing from the header: {}", columns.join(", "))]
    MissingColumns {
        report: String,
        columns: Vec<String>,
    },
    #[error("report {report}: constant {key} = {value:?} is not a valid value")]
    InvalidConstant {
        report: String,
        key: String,
        value: String,
    },
    #[error("report {report}: required column {column} uses unknown conversion {conversion}")]
    UnknownConversion {
        report: String,
        column: String,
        conversion: String,
    },
}

impl Localized for FileError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileError::Empty, Lang::Nl) => "Het bestand is leeg.".into(),
            (FileError::Empty, Lang::En) => "The file is empty.".into(),
            (FileError::Io { line, message }, Lang::Nl) => {
                format!("Leesfout na regel {line}: {message}")
            }
            (FileError::Io { line, message }, Lang::En) => {
                format!("Read error after line {line}: {message}")
            }
            (FileError::RecordTooLong { line }, Lang::Nl) => format!(
                "De regel die begint op regel {line} is te lang (waarschijnlijk een aanhalingsteken dat niet gesloten wordt)."
            ),
            (FileError::RecordTooLong { line }, Lang::En) => format!(
                "The record starting on line {line} is too long (probably an unclosed quote)."
            ),
            (FileError::MissingColumns { report, columns }, Lang::Nl) => format!(
                "Het rapport ({report}) mist verplichte kolommen: {}. Is het bestand van een ander type of is het schema verouderd?",
                columns.join(", ")
            ),
            (FileError::MissingColumns { report, columns }, Lang::En) => format!(
                "The report ({report}) lacks required columns: {}. Is it another report type, or is the schema out of date?",
                columns.join(", ")
            ),
            (FileError::InvalidConstant { report, key, value }, Lang::Nl) => format!(
                "Het schema geeft rapport {report} een ongeldige vaste waarde {key} = '{value}'."
            ),
            (FileError::InvalidConstant { report, key, value }, Lang::En) => {
                format!("The schema gives report {report} an invalid constant {key} = '{value}'.")
            }
            (
                FileError::UnknownConversion {
                    report,
                    column,
                    conversion,
                },
                Lang::Nl,
            ) => format!(
                "Het schema gebruikt voor verplichte kolom {column} van {report} de onbekende conversie {conversion}; werk schoolcert bij."
            ),
            (
                FileError::UnknownConversion {
                    report,
                    column,
                    conversion,
                },
                Lang::En,
            ) => format!(
                "The schema uses unknown conversion {conversion} for required column {column} of {report}; update schoolcert."
            ),
        }
    }
}

impl FileError {
    fn from_csv(e: CsvError, line: u64) -> FileError {
        match e {
            CsvError::Io(e) => FileError::Io {
                line,
                message: e.to_string(),
            },
            CsvError::RecordTooLong { line } => FileError::RecordTooLong { line },
        }
    }
}

/// Counters of one parse.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ParseSummary {
    /// Data rows read (not counting the header and blank lines).
    pub rows: u64,
    pub events: u64,
    pub row_errors: u64,
    pub bytes: u64,
    /// Optional schema columns the header lacks (IntelMQ logs a warning for each).
    pub missing_optional_columns: Vec<String>,
    /// Conversions of optional columns this build does not know (the raw value is used).
    pub unknown_conversions: Vec<String>,
}

/// A constant field's effect on each event (see `Plan::const_values`), resolved at compile
/// time so rows do not search the template event.
#[derive(Debug, Clone)]
enum ConstValue {
    /// The constant is an ignored value: it removes the field.
    Remove,
    /// A typed field: copied from the template event.
    Typed,
    Str(String),
    Json(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Stored but not readable back (cannot happen; kept as the old code's no-op).
    Nothing,
}

impl ConstValue {
    fn of(v: Value<'_>) -> ConstValue {
        match v {
            Value::Str(s) => ConstValue::Str(s.to_owned()),
            Value::Json(s) => ConstValue::Json(s.to_owned()),
            Value::Int(i) => ConstValue::Int(i),
            Value::Float(f) => ConstValue::Float(f),
            Value::Bool(b) => ConstValue::Bool(b),
            Value::Null => ConstValue::Null,
        }
    }

    fn value(&self) -> Option<Value<'_>> {
        Some(match self {
            ConstValue::Str(s) => Value::Str(s),
            ConstValue::Json(s) => Value::Json(s),
            ConstValue::Int(i) => Value::Int(*i),
            ConstValue::Float(f) => Value::Float(*f),
            ConstValue::Bool(b) => Value::Bool(*b),
            ConstValue::Null => Value::Null,
            ConstValue::Remove | ConstValue::Typed | ConstValue::Nothing => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum StepTarget {
    Field(Field),
    Slot(usize),
    Ignore,
}

#[derive(Debug, Clone)]
struct Step {
    required: bool,
    target: StepTarget,
    column: String,
    /// Index of the value in the record.
    col: usize,
    /// Index of the column among the unique header names (for "consumed").
    unique: usize,
    conversion: Option<Conversion>,
    pass_row: bool,
    /// A plain copy into an `extra` key nothing else writes (no conversion or
    /// `validate_to_none`): handled without the general machinery.
    fast: Option<FastExtra>,
}

#[derive(Debug, Clone, Copy)]
struct FastExtra {
    key: u32,
    to_none: bool,
}

/// A report type compiled against one header.
#[derive(Debug, Clone)]
pub struct Plan {
    report: String,
    header_len: usize,
    /// Header name → index of its (last) value in the record.
    col_of: FxHashMap<String, usize>,
    /// Per unique column (header names without repeats, in header order): consumed whatever the row holds (the column of a fast step), the
    /// starting state of `Scratch::consumed`.
    consumed_init: Vec<bool>,
    /// The unique columns not in `consumed_init` as (unique index, value index, extra slot),
    /// in header order: only these can end up in `extra.<column>` as left-overs.
    leftover: Vec<(usize, usize, usize)>,
    steps: Vec<Step>,
    /// Extra keys (sorted), shared by every event as its key table.
    slots: KeyTable,
    /// Constant extras: (slot, value).
    const_extra: Vec<(usize, String)>,
    /// Constant harmonised fields, already sanitised, on a template event.
    const_event: Event,
    /// Constant harmonised fields in schema order with what each row does for them.
    const_values: Vec<(Field, ConstValue)>,
    feed_name: String,
    feed_provider: String,
    feed_documentation: Option<String>,
    required_fields: Vec<Field>,
    raw_prefix: String,
    summary_template: ParseSummary,
    /// Arena bytes an event needs beyond the row's text (keys, feed strings).
    text_estimate: usize,
    fields_estimate: usize,
}

impl Plan {
    /// The report type's file-name part (e.g. `scan_rdp`).
    pub fn report(&self) -> &str {
        &self.report
    }

    /// Resolves `report` against `header` (the CSV's column names, in file order).
    pub fn compile(
        report: &ReportType,
        header: &[&str],
        ctx: &ReportContext,
        line_ending: &str,
    ) -> Result<Plan, FileError> {
        let mut col_of: FxHashMap<String, usize> = FxHashMap::default();
        let mut unique_names: Vec<String> = Vec::new();
        for (i, h) in header.iter().enumerate() {
            if col_of.insert((*h).to_owned(), i).is_none() {
                unique_names.push((*h).to_owned());
            }
        }
        let unique_index = |name: &str| unique_names.iter().position(|n| n == name);

        // Extra keys: every `extra` target, every unknown key, every header column.
        let mut keys: Vec<String> = unique_names.clone();
        for m in report.required.iter().chain(&report.optional) {
            match &m.target {
                Target::Extra(k) | Target::Unknown(k) => keys.push(k.clone()),
                Target::ExtraColumn => keys.push(m.column.clone()),
                _ => {}
            }
        }
        for (k, _) in &report.constant_fields {
            if let Some(rest) = k.strip_prefix("extra.") {
                keys.push(rest.to_owned());
            }
        }
        keys.sort();
        keys.dedup();
        let slot = |k: &str| keys.binary_search_by(|s| s.as_str().cmp(k)).unwrap_or(0);

        let mut summary = ParseSummary::default();
        let mut missing = Vec::new();
        let mut steps = Vec::new();
        let mut required_fields = Vec::new();
        for (required, m) in report
            .required
            .iter()
            .map(|m| (true, m))
            .chain(report.optional.iter().map(|m| (false, m)))
        {
            let (Some(&col), Some(unique)) = (col_of.get(&m.column), unique_index(&m.column))
            else {
                if required {
                    missing.push(m.column.clone());
                } else if !summary.missing_optional_columns.contains(&m.column) {
                    summary.missing_optional_columns.push(m.column.clone());
                }
                continue;
            };
            let conversion = match &m.conversion {
                Some(Conversion::Unknown(name)) => {
                    if required {
                        return Err(FileError::UnknownConversion {
                            report: report.file_name.clone(),
                            column: m.column.clone(),
                            conversion: name.clone(),
                        });
                    }
                    if !summary.unknown_conversions.contains(name) {
                        summary.unknown_conversions.push(name.clone());
                    }
                    None
                }
                other => other.clone(),
            };
            let target = match &m.target {
                Target::Field(f) => {
                    if required {
                        required_fields.push(*f);
                    }
                    StepTarget::Field(*f)
                }
                Target::Extra(k) | Target::Unknown(k) => StepTarget::Slot(slot(k)),
                Target::ExtraColumn => StepTarget::Slot(slot(&m.column)),
                Target::Ignore => StepTarget::Ignore,
            };
            steps.push(Step {
                required,
                target,
                column: m.column.clone(),
                col,
                unique,
                conversion,
                pass_row: m.pass_row,
                fast: None,
            });
        }
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                report: report.file_name.clone(),
                columns: missing,
            });
        }

        // Steps that copy a column into an extra key no other step, constant or left-over
        // column writes can skip the general path.
        let mut writers = vec![0usize; keys.len()];
        for st in &steps {
            if let StepTarget::Slot(s) = st.target {
                writers[s] += 1;
            }
        }
        for (k, _) in &report.constant_fields {
            let k = k.strip_prefix("extra.").unwrap_or(k);
            if let Ok(s) = keys.binary_search_by(|x| x.as_str().cmp(k)) {
                writers[s] += 1;
            }
        }
        for st in &mut steps {
            let StepTarget::Slot(s) = st.target else {
                continue;
            };
            let other_columns = unique_names
                .iter()
                .filter(|n| n.as_str() == keys[s] && **n != st.column)
                .count();
            let simple = matches!(st.conversion, None | Some(Conversion::ValidateToNone));
            if simple && !st.pass_row && writers[s] == 1 && other_columns == 0 {
                st.fast = Some(FastExtra {
                    key: u32::try_from(s).unwrap_or(u32::MAX),
                    to_none: st.conversion.is_some(),
                });
            }
        }

        let mut const_event = Event::new();
        let mut const_fields = Vec::new();
        let mut const_extra = Vec::new();
        for (k, v) in &report.constant_fields {
            if let Some(rest) = k.strip_prefix("extra.") {
                const_extra.push((slot(rest), v.clone()));
                continue;
            }
            let Some(f) = Field::from_name(k) else {
                const_extra.push((slot(k), v.clone()));
                continue;
            };
            match harmonize::add(&mut const_event, f, Input::Text(v)) {
                Ok(Added::Stored) => const_fields.push((f, true)),
                // An ignored value removes the field (IntelMQ's update with overwrite).
                Ok(Added::Ignored) => const_fields.push((f, false)),
                Err(_) => {
                    return Err(FileError::InvalidConstant {
                        report: report.file_name.clone(),
                        key: k.clone(),
                        value: v.clone(),
                    });
                }
            }
        }

        let mut raw_prefix = String::new();
        for (i, h) in header.iter().enumerate() {
            if i > 0 {
                raw_prefix.push(',');
            }
            raw_prefix.push('"');
            raw_prefix.push_str(&h.replace('"', "\"\""));
            raw_prefix.push('"');
        }
        raw_prefix.push_str(if line_ending.is_empty() {
            "\r\n"
        } else {
            line_ending
        });

        let text_estimate = keys.iter().map(String::len).sum::<usize>()
            + report.url.as_ref().map_or(0, String::len)
            + report.feed_name.len()
            + report
                .constant_fields
                .iter()
                .map(|(_, v)| v.len())
                .sum::<usize>()
            + 64;
        let fields_estimate = 6 + report.constant_fields.len() + steps.len() / 2;
        let unique: Vec<(String, usize, usize)> = unique_names
            .iter()
            .map(|n| (n.clone(), col_of.get(n).copied().unwrap_or(0), slot(n)))
            .collect();
        let mut consumed_init = vec![false; unique.len()];
        for st in &steps {
            if st.fast.is_some() {
                consumed_init[st.unique] = true;
            }
        }
        let leftover = unique
            .iter()
            .enumerate()
            .filter(|(i, _)| !consumed_init[*i])
            .map(|(i, (_, col, slot))| (i, *col, *slot))
            .collect();
        Ok(Plan {
            report: report.file_name.clone(),
            header_len: header.len(),
            col_of,
            consumed_init,
            leftover,
            steps,
            slots: keys.iter().map(|k| k.clone().into_boxed_str()).collect(),
            const_extra,
            const_values: const_fields
                .iter()
                .map(|&(f, present)| {
                    let c = if !present {
                        ConstValue::Remove
                    } else if is_typed(f) {
                        ConstValue::Typed
                    } else {
                        const_event
                            .get(f)
                            .map_or(ConstValue::Nothing, ConstValue::of)
                    };
                    (f, c)
                })
                .collect(),
            const_event,
            feed_name: ctx
                .feed_name
                .clone()
                .unwrap_or_else(|| report.feed_name.clone()),
            feed_provider: ctx
                .feed_provider
                .clone()
                .unwrap_or_else(|| "Shadowserver".to_owned()),
            feed_documentation: report.url.clone(),
            required_fields,
            raw_prefix,
            summary_template: summary,
            text_estimate,
            fields_estimate,
        })
    }
}

/// Why a row was refused.
#[derive(Debug, Clone, PartialEq)]
enum RowProblem {
    Short {
        got: usize,
        want: usize,
    },
    Conversion {
        column: String,
        value: String,
        conversion: String,
    },
    Invalid {
        field: Field,
        column: String,
        value: String,
    },
    Missing {
        field: Field,
        column: String,
    },
    Twice {
        field: Field,
    },
}

impl RowProblem {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RowProblem::Short { got, want }, Lang::Nl) => {
                format!("de regel heeft {got} velden, de kop {want}")
            }
            (RowProblem::Short { got, want }, Lang::En) => {
                format!("the row has {got} fields, the header {want}")
            }
            (
                RowProblem::Conversion {
                    column,
                    value,
                    conversion,
                },
                Lang::Nl,
            ) => {
                format!("kolom {column}: '{value}' is niet te lezen ({conversion})")
            }
            (
                RowProblem::Conversion {
                    column,
                    value,
                    conversion,
                },
                Lang::En,
            ) => {
                format!("column {column}: cannot read '{value}' ({conversion})")
            }
            (
                RowProblem::Invalid {
                    field,
                    column,
                    value,
                },
                Lang::Nl,
            ) => {
                format!("kolom {column}: '{value}' is geen geldige waarde voor {field}")
            }
            (
                RowProblem::Invalid {
                    field,
                    column,
                    value,
                },
                Lang::En,
            ) => {
                format!("column {column}: '{value}' is not a valid {field}")
            }
            (RowProblem::Missing { field, column }, Lang::Nl) => match field {
                Field::TimeSource => format!("kolom {column}: tijdstip ontbreekt of is onleesbaar"),
                Field::SourceIp => format!("kolom {column}: IP-adres ontbreekt of is ongeldig"),
                _ => format!("kolom {column}: verplichte waarde voor {field} ontbreekt"),
            },
            (RowProblem::Missing { field, column }, Lang::En) => match field {
                Field::TimeSource => format!("column {column}: timestamp missing or unreadable"),
                Field::SourceIp => format!("column {column}: IP address missing or invalid"),
                _ => format!("column {column}: required value for {field} missing"),
            },
            (RowProblem::Twice { field }, Lang::Nl) => format!("{field} krijgt twee waarden"),
            (RowProblem::Twice { field }, Lang::En) => format!("{field} is set twice"),
        }
    }
}

struct RowRef<'a> {
    plan: &'a Plan,
    rec: &'a Record,
}

impl RowAccess for RowRef<'_> {
    fn get(&self, column: &str) -> Option<Option<&str>> {
        self.plan.col_of.get(column).map(|&i| self.rec.get(i))
    }
}

/// Reused per-row working memory.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Per unique column: used by a mapping (else it goes to `extra.<column>`).
    consumed: Vec<bool>,
    /// Per extra key: its entry in the event being built, if written.
    slot_pos: Vec<Option<usize>>,
}

/// Writes a converted value to `extra.<key of slot>`, replacing an earlier write of that key.
fn write_extra(ev: &mut Event, scratch: &mut Scratch, slot: usize, c: &Converted<'_>) {
    let key = u32::try_from(slot).unwrap_or(u32::MAX);
    let at = scratch.slot_pos[slot];
    let idx = match c {
        Converted::Utc(t) => ev.put_extra_at_with(at, key, |s| {
            s.push_str(t);
            s.push_str(" UTC");
        }),
        Converted::None => ev.put_extra_at(at, key, Value::Null),
        Converted::Text(t) => ev.put_extra_at(at, key, Value::Str(t)),
        Converted::Ip(t, _) => ev.put_extra_at(at, key, Value::Str(t)),
        Converted::Int(i) => ev.put_extra_at(at, key, Value::Int(*i)),
        Converted::BigInt(t) => ev.put_extra_at(at, key, Value::Json(t)),
        Converted::Float(f) => ev.put_extra_at(at, key, Value::Float(*f)),
        Converted::Bool(b) => ev.put_extra_at(at, key, Value::Bool(*b)),
    };
    scratch.slot_pos[slot] = Some(idx);
}

/// Builds one event from one record with a compiled plan.
pub(crate) fn parse_record(
    plan: &Plan,
    rec: &Record,
    ctx: &ReportContext,
    scratch: &mut Scratch,
) -> Result<Event, (u64, String)> {
    parse_record_inner(plan, rec, ctx, scratch).map_err(|p| (rec.line, p.message(ctx.lang)))
}

fn parse_record_inner(
    plan: &Plan,
    rec: &Record,
    ctx: &ReportContext,
    scratch: &mut Scratch,
) -> Result<Event, RowProblem> {
    if rec.len() < plan.header_len {
        return Err(RowProblem::Short {
            got: rec.len(),
            want: plan.header_len,
        });
    }
    let row = RowRef { plan, rec };
    // A one-line record (nearly all) keeps `raw` as the header prefix followed by the row
    // text in the arena: one span, no second copy of the line.
    let raw_in_place = ctx.keep_raw && rec.text_starts_with_last_line();
    let raw_len = if raw_in_place {
        plan.raw_prefix.len()
    } else if ctx.keep_raw {
        plan.raw_prefix.len() + rec.last_line().len()
    } else {
        0
    };
    let text_len = rec.text().len();
    let mut ev = Event::with_capacity(
        raw_len + text_len + plan.text_estimate,
        plan.fields_estimate,
        plan.slots.len(),
    );
    if raw_in_place {
        ev.adopt_row_after(&plan.raw_prefix, rec.text());
    } else {
        ev.adopt_row(rec.text());
    }
    if let Some(source) = rec.source() {
        ev.mark_record(source.len());
    }
    ev.set_key_table(plan.slots.clone());
    ev.time_observation = Some(ctx.observation);
    ev.set_str(Field::FeedName, &plan.feed_name);
    ev.set_str(Field::FeedProvider, &plan.feed_provider);
    if let Some(a) = ctx.feed_accuracy {
        ev.set(Field::FeedAccuracy, Value::Float(a));
    }
    if let Some(d) = &plan.feed_documentation {
        ev.set_str(Field::FeedDocumentation, d);
    }

    scratch.consumed.clear();
    scratch.consumed.extend_from_slice(&plan.consumed_init);
    scratch.slot_pos.clear();
    scratch.slot_pos.resize(plan.slots.len(), None);
    for (slot, v) in &plan.const_extra {
        write_extra(&mut ev, scratch, *slot, &Converted::Text(v.as_str().into()));
    }

    let text = rec.text();
    for step in &plan.steps {
        if let Some(fast) = step.fast {
            // Its column is consumed already (`Plan::consumed_init`).
            let (a, b) = rec.span(step.col).unwrap_or((0, 0));
            if fast.to_none
                && matches!(
                    text.as_bytes().get(a as usize..b as usize),
                    None | Some(b"" | b"0" | b"unknown")
                )
            {
                continue;
            }
            ev.push_extra_row_span(fast.key, a, b);
            continue;
        }
        let raw = rec.get(step.col).unwrap_or("");
        let value = match &step.conversion {
            None => Converted::Text(raw.into()),
            Some(c) => {
                if !step.pass_row && c.needs_row() {
                    // The schema forgot the flag; IntelMQ would call with one argument and fail.
                    return Err(RowProblem::Conversion {
                        column: step.column.clone(),
                        value: raw.to_owned(),
                        conversion: c.name().to_owned(),
                    });
                }
                let access: &dyn RowAccess = &row;
                conversions::apply(c, raw, access).map_err(|e| RowProblem::Conversion {
                    column: step.column.clone(),
                    value: e.value,
                    conversion: e.conversion,
                })?
            }
        };
        if matches!(value, Converted::None) {
            if !step.required {
                scratch.consumed[step.unique] = true;
            }
            continue;
        }
        match &step.target {
            StepTarget::Ignore => scratch.consumed[step.unique] = true,
            StepTarget::Slot(s) => {
                write_extra(&mut ev, scratch, *s, &value);
                scratch.consumed[step.unique] = true;
            }
            StepTarget::Field(f) => {
                let f = *f;
                if ev.has(f) {
                    return Err(RowProblem::Twice { field: f });
                }
                let Some(input) = value.as_input() else {
                    continue;
                };
                match harmonize::add(&mut ev, f, input) {
                    Ok(_) => scratch.consumed[step.unique] = true,
                    Err(_) if step.required => {
                        if f == Field::TimeSource || f == Field::SourceIp {
                            return Err(RowProblem::Missing {
                                field: f,
                                column: step.column.clone(),
                            });
                        }
                        return Err(RowProblem::Invalid {
                            field: f,
                            column: step.column.clone(),
                            value: raw.to_owned(),
                        });
                    }
                    // Optional: the raw text ends up in extra.<column> below.
                    Err(_) => {}
                }
            }
        }
    }
    for f in &plan.required_fields {
        if (*f == Field::TimeSource || *f == Field::SourceIp) && !ev.has(*f) {
            let column = plan
                .steps
                .iter()
                .find(|s| matches!(s.target, StepTarget::Field(g) if g == *f))
                .map(|s| s.column.clone())
                .unwrap_or_default();
            return Err(RowProblem::Missing { field: *f, column });
        }
    }

    for (f, c) in &plan.const_values {
        match c {
            ConstValue::Remove => ev.remove(*f),
            ConstValue::Typed => copy_typed(&plan.const_event, &mut ev, *f),
            other => {
                if let Some(v) = other.value() {
                    ev.set(*f, v);
                }
            }
        }
    }

    if raw_in_place {
        let line = rec.last_line().trim_end();
        ev.set_raw_arena_prefix(plan.raw_prefix.len() + line.len());
    } else if ctx.keep_raw {
        let line = rec.last_line().trim_end();
        ev.set_raw_with(|t| {
            t.push_str(&plan.raw_prefix);
            t.push_str(line);
        });
    }

    for &(i, col, slot) in &plan.leftover {
        if !scratch.consumed[i]
            && let Some(v) = rec.get(col)
            && !v.is_empty()
        {
            write_extra(&mut ev, scratch, slot, &Converted::Text(v.into()));
        }
    }
    ev.release_row();
    Ok(ev)
}

fn copy_typed(from: &Event, to: &mut Event, f: Field) {
    match f {
        Field::TimeSource => to.time_source = from.time_source,
        Field::TimeObservation => to.time_observation = from.time_observation,
        Field::SourceIp => to.source_ip = from.source_ip,
        Field::SourcePort => to.source_port = from.source_port,
        Field::SourceAsn => to.source_asn = from.source_asn,
        Field::DestinationIp => to.destination_ip = from.destination_ip,
        Field::DestinationPort => to.destination_port = from.destination_port,
        Field::DestinationAsn => to.destination_asn = from.destination_asn,
        _ => {}
    }
}

/// Streams events out of a Shadowserver CSV report: an iterator of `Result<Event, RowError>`,
/// one item per data row. A whole-file problem met half-way (read error, runaway quote) ends
/// the iteration; [`ShadowserverParser::finish`] then returns it.
#[derive(Debug)]
pub struct ShadowserverParser<R> {
    reader: RecordReader<R>,
    plan: Plan,
    ctx: ReportContext,
    rec: Record,
    scratch: Scratch,
    summary: ParseSummary,
    fatal: Option<FileError>,
    done: bool,
    header_source: Option<String>,
}

impl<R: Read> ShadowserverParser<R> {
    /// Reads the header and compiles the plan; fails on whole-file problems.
    pub fn new(report: &ReportType, src: R, ctx: ReportContext) -> Result<Self, FileError> {
        let mut reader = RecordReader::new(src);
        let mut rec = Record::new();
        let has_header = reader
            .read_record(&mut rec)
            .map_err(|e| FileError::from_csv(e, 0))?;
        if !has_header {
            return Err(FileError::Empty);
        }
        let header: Vec<&str> = rec.iter().collect();
        let plan = Plan::compile(report, &header, &ctx, rec.terminator())?;
        let header_source = rec.source().map(|s| format!("{s}{}", rec.terminator()));
        rec.keep_last_line(ctx.keep_raw);
        let summary = plan.summary_template.clone();
        Ok(ShadowserverParser {
            reader,
            plan,
            ctx,
            rec,
            scratch: Scratch::default(),
            summary,
            fatal: None,
            done: false,
            header_source,
        })
    }

    /// The header line exactly as it stood in the file, with its line terminator: with a
    /// stored [`Event::record`] it is all [`reparse`] needs.
    pub fn header_source(&self) -> Option<&str> {
        self.header_source.as_deref()
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn summary(&self) -> &ParseSummary {
        &self.summary
    }

    /// The counters, or the whole-file problem that stopped the parse.
    pub fn finish(mut self) -> Result<ParseSummary, FileError> {
        // Drain what is left so the counters are complete.
        for _ in self.by_ref() {}
        match self.fatal {
            Some(e) => Err(e),
            None => Ok(self.summary),
        }
    }
}

impl<R: Read> Iterator for ShadowserverParser<R> {
    type Item = Result<Event, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.reader.read_record(&mut self.rec) {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                self.summary.bytes = self.reader.bytes_consumed();
                return None;
            }
            Err(e) => {
                self.done = true;
                self.fatal = Some(FileError::from_csv(e, self.reader.lines_consumed()));
                self.summary.bytes = self.reader.bytes_consumed();
                return None;
            }
        }
        self.summary.rows += 1;
        match parse_record(&self.plan, &self.rec, &self.ctx, &mut self.scratch) {
            Ok(ev) => {
                self.summary.events += 1;
                Some(Ok(ev))
            }
            Err((line, reason)) => {
                self.summary.row_errors += 1;
                Some(Err(RowError {
                    line: usize::try_from(line).unwrap_or(usize::MAX),
                    reason,
                }))
            }
        }
    }
}

/// Parses stored source records of one report again: `header` as
/// [`ShadowserverParser::header_source`] gave it, each record as [`Event::record`] gave it, and
/// the context of the original ingest (its observation time and `keep_raw`). Gives one item per
/// record, in order, and the same events the ingest made (a record cut off by the end of a
/// broken file, inside an open quote, gains a line break).
pub fn reparse<'r>(
    report: &ReportType,
    header: &str,
    records: impl IntoIterator<Item = &'r str>,
    ctx: ReportContext,
) -> Result<Vec<Result<Event, RowError>>, FileError> {
    let mut input = String::from(header);
    if !input.ends_with(['\n', '\r']) {
        input.push('\n');
    }
    let mut n = 0;
    for r in records {
        input.push_str(r);
        input.push('\n');
        n += 1;
    }
    let parser = ShadowserverParser::new(report, input.as_bytes(), ctx)?;
    let out: Vec<_> = parser.take(n).collect();
    Ok(out)
}

#[cfg(test)]
mod tests;
