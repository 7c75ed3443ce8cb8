//! The digest notice: per board and period one message, grouped by problem type with a plain
//! explanation and advice per group, the board's events as a CSV attachment, and the TLP label
//! in the subject. Texts come from editable minijinja templates (embedded defaults in
//! `data/templates/`, overridable) and `data/explanations.toml`.

pub mod attachment;
pub mod explanations;
pub mod preferences;

use std::collections::BTreeMap;

use minijinja::Environment;
use schoolcert_domain::time::{format_local, format_local_date};
use schoolcert_domain::{Lang, Timestamp, Tlp};
use serde::Serialize;

pub use attachment::{ATTACHMENT_COLUMNS, write_csv};
pub use explanations::Explanations;
pub use preferences::{Frequency, PreferenceError, Preferences};

use crate::event::Event;
use crate::field::Field;

/// One stored event as the digest sees it: the event and its deduplication counters.
#[derive(Debug, Clone, Copy)]
pub struct DigestRow<'a> {
    pub event: &'a Event,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    pub count: u32,
}

/// Everything a digest needs besides the events.
#[derive(Debug, Clone)]
pub struct DigestMeta {
    /// The sender, e.g. `School-CERT`.
    pub cert_name: String,
    pub board_name: String,
    /// Greeting name; `None` greets the role.
    pub contact_name: Option<String>,
    pub period_start: Timestamp,
    pub period_end: Timestamp,
    pub tlp: Tlp,
    pub lang: Lang,
    /// Events listed per group in the body; the rest only in the attachment.
    pub max_items_per_group: usize,
}

/// A rendered digest, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub body: String,
    pub attachment_name: String,
    pub attachment_csv: String,
    /// Events in the digest.
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("no events for the digest")]
    Empty,
}

/// The embedded templates: subject, Dutch body, English body.
pub const DEFAULT_TEMPLATES: [(&str, &str); 3] = [
    ("subject", include_str!("../../data/templates/subject.j2")),
    ("body.nl", include_str!("../../data/templates/body.nl.j2")),
    ("body.en", include_str!("../../data/templates/body.en.j2")),
];

/// The template set: the embedded defaults, any of which can be replaced.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn embedded() -> Result<Templates, DigestError> {
        Templates::with_overrides(std::iter::empty::<(String, String)>())
    }

    /// The defaults with some templates (`subject`, `body.nl`, `body.en`) replaced.
    pub fn with_overrides(
        overrides: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Templates, DigestError> {
        let mut env = Environment::new();
        let mut sources: BTreeMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
            .collect();
        sources.extend(overrides);
        for (name, source) in sources {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| DigestError::Template {
                    name,
                    message: e.to_string(),
                })?;
        }
        Ok(Templates { env })
    }

    fn render(&self, name: &str, ctx: &Context) -> Result<String, DigestError> {
        let err = |e: minijinja::Error| DigestError::Template {
            name: name.to_owned(),
            message: e.to_string(),
        };
        let t = self.env.get_template(name).map_err(err)?;
        t.render(minijinja::Value::from(minijinja::value::Serde(ctx)))
            .map_err(err)
    }
}

#[derive(Debug, Serialize)]
struct Item {
    address: String,
    host: Option<String>,
    first_seen: String,
    last_seen: String,
    count: u32,
    detail: Option<String>,
}

#[derive(Debug, Serialize)]
struct Group {
    title: String,
    what: String,
    todo: String,
    count: usize,
    items: Vec<Item>,
    more: usize,
}

#[derive(Debug, Serialize)]
struct Context {
    lang: &'static str,
    cert: String,
    board: String,
    contact: Option<String>,
    period: String,
    total: usize,
    tlp: &'static str,
    tlp_meaning: &'static str,
    attachment: String,
    groups: Vec<Group>,
}

/// Order of groups: compromise and infection first, then vulnerable, then the rest.
fn urgency(class_type: &str) -> u8 {
    match class_type {
        "system-compromise" | "application-compromise" | "privileged-account-compromise" => 0,
        "infected-system" | "c2-server" | "data-leak" => 1,
        "vulnerable-system" => 2,
        "weak-crypto" | "ddos-amplifier" | "potentially-unwanted-accessible" => 3,
        _ => 4,
    }
}

fn address(ev: &Event) -> String {
    match (ev.source_ip, ev.source_port) {
        (Some(std::net::IpAddr::V6(ip)), Some(p)) => format!("[{ip}]:{p}"),
        (Some(ip), Some(p)) => format!("{ip}:{p}"),
        (Some(ip), None) => ip.to_string(),
        (None, _) => ev
            .source_fqdn()
            .or_else(|| ev.source_url())
            .unwrap_or("?")
            .to_owned(),
    }
}

/// Renders the digest of `rows` (the board's events of the period).
pub fn render_digest(
    meta: &DigestMeta,
    rows: &[DigestRow<'_>],
    explanations: &Explanations,
    templates: &Templates,
) -> Result<Digest, DigestError> {
    if rows.is_empty() {
        return Err(DigestError::Empty);
    }
    let lang = meta.lang;
    // Group by identifier (else type), keeping the type for the order and the fallback text.
    let mut groups: BTreeMap<(u8, String), (String, Vec<&DigestRow<'_>>)> = BTreeMap::new();
    for row in rows {
        let ty = row
            .event
            .classification_type()
            .unwrap_or("other")
            .to_owned();
        // One group per explained identifier; identifiers without their own text (e.g. the
        // malware names of sinkhole reports) are grouped by their type.
        let id = match row.event.classification_identifier() {
            Some(i) if explanations.identifier.contains_key(i) => i.to_owned(),
            Some(i) if !explanations.by_type.contains_key(&ty) => i.to_owned(),
            _ => ty.clone(),
        };
        groups
            .entry((urgency(&ty), id))
            .or_insert_with(|| (ty, Vec::new()))
            .1
            .push(row);
    }
    let mut out_groups = Vec::new();
    for ((_, id), (ty, mut items)) in groups {
        let text = explanations
            .find(Some(&id), Some(&ty))
            .map(|e| e.text(lang));
        let feed = items
            .first()
            .and_then(|r| r.event.feed_name())
            .unwrap_or("")
            .to_owned();
        let (title, what, todo) = match text {
            Some(t) => (t.title.clone(), t.what.clone(), t.todo.clone()),
            None => (
                format!("{feed} ({id})"),
                lang.pick(
                    "Shadowserver meldt dit adres in dit rapport. Zie de documentatie van het rapport voor uitleg.",
                    "Shadowserver lists this address in this report. See the report's documentation for details.",
                )
                .to_owned(),
                lang.pick(
                    "Controleer het systeem en neem bij twijfel contact met ons op.",
                    "Check the system and contact us when in doubt.",
                )
                .to_owned(),
            ),
        };
        items.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| a.event.source_ip.cmp(&b.event.source_ip))
        });
        let count = items.len();
        let shown: Vec<Item> = items
            .iter()
            .take(meta.max_items_per_group)
            .map(|r| Item {
                address: address(r.event),
                host: r
                    .event
                    .source_fqdn()
                    .or_else(|| r.event.source_reverse_dns())
                    .map(str::to_owned),
                first_seen: format_local(r.first_seen, lang),
                last_seen: format_local(r.last_seen, lang),
                count: r.count,
                detail: detail(r.event),
            })
            .collect();
        out_groups.push(Group {
            title,
            what,
            todo,
            count,
            more: count.saturating_sub(shown.len()),
            items: shown,
        });
    }
    let day = format_local_date(meta.period_end, Lang::En);
    let attachment_name = format!("schoolcert-{}-{day}.csv", slug(&meta.board_name));
    let period = format!(
        "{} – {}",
        format_local(meta.period_start, lang),
        format_local(meta.period_end, lang)
    );
    let ctx = Context {
        lang: lang.code(),
        cert: meta.cert_name.clone(),
        board: meta.board_name.clone(),
        contact: meta.contact_name.clone(),
        period,
        total: rows.len(),
        tlp: meta.tlp.label(),
        tlp_meaning: meta.tlp.explanation(lang),
        attachment: attachment_name.clone(),
        groups: out_groups,
    };
    let subject = templates.render("subject", &ctx)?.trim().to_owned();
    let body_name = match lang {
        Lang::Nl => "body.nl",
        Lang::En => "body.en",
    };
    let mut body = templates.render(body_name, &ctx)?;
    if !body.ends_with('\n') {
        body.push('\n');
    }
    Ok(Digest {
        subject,
        body,
        attachment_name,
        attachment_csv: write_csv(rows),
        total: rows.len(),
    })
}

/// A short detail for the listing: CVEs, else the malware name.
fn detail(ev: &Event) -> Option<String> {
    ev.get_str(Field::ProductVulnerabilities)
        .map(|v| v.to_uppercase())
        .or_else(|| ev.get_str(Field::MalwareName).map(str::to_owned))
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests;
