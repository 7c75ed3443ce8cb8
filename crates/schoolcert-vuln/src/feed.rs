//! Public web output as pure functions: Markdown (advisory texts, CSAF notes, guides) to
//! safe HTML, and an Atom feed of TLP:CLEAR advisories and guides. CSAF section 8: raw HTML
//! in Markdown is never passed through, and the result is sanitised on top.

use pulldown_cmark::{Event, Options, Parser, TagEnd, html};
use schoolcert_domain::{Lang, Timestamp};

use crate::advisory::{AdvisoryStatus, SectorAdvisory};

/// Renders untrusted Markdown to HTML that is safe to embed: raw HTML blocks and inline
/// HTML are shown as text, then `ammonia` removes anything dangerous that is left
/// (`javascript:` links, event handlers) and marks links `rel="noopener noreferrer"`.
pub fn markdown_to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(["https", "http", "mailto"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the feed.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// One feed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtomEntry {
    /// A stable URI (the page URL or a `tag:` URI).
    pub id: String,
    pub title: String,
    pub url: String,
    pub published: Timestamp,
    pub updated: Timestamp,
    /// Plain text.
    pub summary: String,
    /// Markdown, rendered safely into the entry's HTML content.
    pub content_markdown: Option<String>,
    pub categories: Vec<String>,
}

/// A feed; entries are written newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtomFeed {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub self_url: String,
    pub site_url: String,
    pub author: String,
    pub lang: Lang,
    pub entries: Vec<AtomEntry>,
}

/// A guide (*handreiking*) written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub markdown: String,
    pub published: Timestamp,
    pub updated: Timestamp,
}

impl AtomFeed {
    /// Adds an advisory when it may be public (TLP:CLEAR and final); returns whether it was
    /// added. This is the only way advisories enter a feed, so nothing else can leak.
    pub fn push_advisory(&mut self, advisory: &SectorAdvisory, url: &str) -> bool {
        if !advisory.tlp.is_public() || advisory.status != AdvisoryStatus::Final {
            return false;
        }
        let (Some(published), Some(updated)) =
            (advisory.initial_release(), advisory.current_release())
        else {
            return false;
        };
        let mut categories = vec![advisory.urgency.label(self.lang).to_owned()];
        categories.extend(advisory.cves.iter().map(ToString::to_string));
        let content = format!(
            "{}\n\n## {}\n\n{}",
            advisory.summary,
            self.lang
                .pick("Wat moeten scholen doen", "What schools must do"),
            advisory.actions
        );
        self.entries.push(AtomEntry {
            id: url.to_owned(),
            title: format!("{} ({})", advisory.title, advisory.tracking_id),
            url: url.to_owned(),
            published,
            updated,
            summary: plain_text(&advisory.summary),
            content_markdown: Some(content),
            categories,
        });
        true
    }

    pub fn push_guide(&mut self, guide: &Guide) {
        self.entries.push(AtomEntry {
            id: guide.url.clone(),
            title: guide.title.clone(),
            url: guide.url.clone(),
            published: guide.published,
            updated: guide.updated,
            summary: guide.summary.clone(),
            content_markdown: Some(guide.markdown.clone()),
            categories: vec![self.lang.pick("Handreiking", "Guide").to_owned()],
        });
    }

    /// The Atom XML. The feed's `updated` is its newest entry's (or `empty_updated`).
    pub fn to_xml(&self, empty_updated: Timestamp) -> String {
        let mut entries: Vec<&AtomEntry> = self.entries.iter().collect();
        entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.id.cmp(&b.id)));
        let updated = entries.first().map_or(empty_updated, |e| e.updated);
        let t = |ts: Timestamp| ts.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut x = String::new();
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            self.lang.code()
        ));
        x.push_str(&format!("  <id>{}</id>\n", xml_escape(&self.id)));
        x.push_str(&format!("  <title>{}</title>\n", xml_escape(&self.title)));
        if let Some(s) = &self.subtitle {
            x.push_str(&format!("  <subtitle>{}</subtitle>\n", xml_escape(s)));
        }
        x.push_str(&format!("  <updated>{}</updated>\n", t(updated)));
        x.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escape(&self.self_url)
        ));
        x.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&self.site_url)
        ));
        x.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(&self.author)
        ));
        for e in entries {
            x.push_str("  <entry>\n");
            x.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.id)));
            x.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
            x.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                xml_escape(&e.url)
            ));
            x.push_str(&format!("    <published>{}</published>\n", t(e.published)));
            x.push_str(&format!("    <updated>{}</updated>\n", t(e.updated)));
            for c in &e.categories {
                x.push_str(&format!("    <category term=\"{}\"/>\n", xml_escape(c)));
            }
            x.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                xml_escape(&e.summary)
            ));
            if let Some(md) = &e.content_markdown {
                x.push_str(&format!(
                    "    <content type=\"html\">{}</content>\n",
                    xml_escape(&markdown_to_safe_html(md))
                ));
            }
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }
}

/// Markdown reduced to plain text (for summaries): the text events only.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for e in Parser::new(markdown) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use schoolcert_domain::Tlp;
    use schoolcert_domain::time::parse_rfc3339;

    use super::*;
    use crate::advisory::tests::sample;

    #[test]
    fn markdown_is_rendered_without_raw_html_or_scripts() {
        let html = markdown_to_safe_html(
            "# Kop\n\n**vet** en [link](https://example.nl) en [kwaad](javascript:alert(1))\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n```\n<b>code</b>\n```\n",
        );
        assert!(html.contains("<h1>Kop</h1>"), "{html}");
        assert!(html.contains("<strong>vet</strong>"));
        assert!(html.contains("href=\"https://example.nl\""));
        assert!(html.contains("rel=\"noopener noreferrer\""));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b&gt;code&lt;/b&gt;"), "{html}");
    }

    fn feed() -> AtomFeed {
        AtomFeed {
            id: "https://www.schoolcert.test/adviezen/".into(),
            title: "School-CERT adviezen".into(),
            subtitle: Some("Openbare adviezen & handreikingen".into()),
            self_url: "https://www.schoolcert.test/adviezen/atom.xml".into(),
            site_url: "https://www.schoolcert.test/adviezen/".into(),
            author: "School-CERT".into(),
            lang: Lang::Nl,
            entries: vec![],
        }
    }

    #[test]
    fn only_clear_final_advisories_enter_the_feed() {
        let mut f = feed();
        assert!(f.push_advisory(
            &sample(Tlp::Clear),
            "https://www.schoolcert.test/adviezen/sc-2026-0001"
        ));
        assert!(!f.push_advisory(&sample(Tlp::Amber), "https://www.schoolcert.test/x"));
        assert!(!f.push_advisory(&sample(Tlp::Green), "https://www.schoolcert.test/y"));
        let mut draft = sample(Tlp::Clear);
        draft.status = AdvisoryStatus::Draft;
        assert!(!f.push_advisory(&draft, "https://www.schoolcert.test/z"));
        f.push_guide(&Guide {
            title: "Back-ups <veilig> maken".into(),
            url: "https://www.schoolcert.test/handreikingen/back-ups".into(),
            summary: "Zo maakt u back-ups.".into(),
            markdown: "1. Offline\n2. Getest".into(),
            published: parse_rfc3339("2026-11-01T09:00:00Z").unwrap(),
            updated: parse_rfc3339("2026-11-30T09:00:00Z").unwrap(),
        });
        let xml = f.to_xml(parse_rfc3339("2026-01-01T00:00:00Z").unwrap());
        assert!(xml.starts_with("<?xml"));
        assert_eq!(xml.matches("<entry>").count(), 2);
        assert!(xml.contains("<updated>2026-11-30T09:00:00Z</updated>"));
        assert!(xml.contains("Back-ups &lt;veilig&gt; maken"));
        assert!(xml.contains("&amp; handreikingen"));
        assert!(xml.contains("<category term=\"Urgent\"/>"));
        assert!(
            xml.contains("&lt;strong&gt;zonder inlog&lt;/strong&gt;"),
            "{xml}"
        );
        // Newest first: the guide was updated last.
        assert!(xml.find("back-ups").unwrap() < xml.find("sc-2026-0001").unwrap());
        assert!(!xml.contains("/x\"") && !xml.contains("/y\""));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("Een **vet** woord\nen `code`."),
            "Een vet woord en code."
        );
    }
}
