//! Output formats: the cleaned article as Markdown, plain text, one safe HTML fragment, or
//! JSON with its metadata; or the input's own format (`source`).
//!
//! Every format but `source` reads the cleaned document as one HTML fragment (Markdown is
//! rendered first), builds a small tree of it and writes that tree out.

mod blocks;
mod html;
mod inline;
pub mod metadata;
pub mod tree;

use crate::report::{Report, RuleHit, Warning};
use crate::rules::InputFormat;
use blocks::{Style, Walker};
use metadata::{Image, Metadata};
use serde::Serialize;

/// What `--to` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// CommonMark, no raw HTML.
    #[default]
    Markdown,
    /// One clean, safe HTML fragment.
    Html,
    /// Plain text, blocks separated by blank lines.
    Text,
    /// One JSON object with the metadata and the Markdown content.
    Json,
    /// The input's own format with the chaff removed.
    Source,
}

/// The article and its facts, as the JSON format writes it. Field names are stable; see
/// `docs/article.schema.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// The article's title.
    pub title: Option<String>,
    /// ISO 8601: a date, or a date and time with its zone where the document gives one.
    pub date: Option<String>,
    /// The byline, or the author the document's front matter names.
    pub author: Option<String>,
    /// The outlet's rule-file name (`dw`, `epochtimes`, …), when recognised.
    pub outlet: Option<String>,
    /// The mirror family's rule-file name (`feedx`, `gfw-breaker`, …), when recognised.
    pub family: Option<String>,
    /// The original article's address (http or https only); never the mirror's own.
    pub url: Option<String>,
    /// The article's images, in order: address, alt text and caption.
    pub images: Vec<Image>,
    /// The article as Markdown.
    pub content: String,
    /// What went wrong or looked odd while cleaning (see [`Report::warnings`]).
    pub warnings: Vec<Warning>,
    /// The rules that fired.
    pub rules: Vec<RuleHit>,
}

/// A cleaned document in the other shapes.
pub struct Rendered {
    tree: Vec<tree::Node>,
    title: Option<String>,
    /// What the metadata is read from, besides the tree: the front matter, the head of the
    /// body, the source URL detection found. Markdown and text need only the title, so the
    /// rest is read when first asked for.
    front_matter: String,
    head: String,
    source_url: Option<String>,
    metadata: std::sync::OnceLock<Metadata>,
}

impl Rendered {
    /// Reads the cleaned document (`text`, in `input` format).
    pub fn new(text: &str, input: InputFormat, report: &Report) -> Rendered {
        let (front_matter, body) = match input {
            InputFormat::Markdown => crate::markdown::split_front_matter(text),
            InputFormat::Html => ("", text),
        };
        let html = match input {
            InputFormat::Markdown => std::borrow::Cow::Owned(markdown_to_html(body)),
            InputFormat::Html => std::borrow::Cow::Borrowed(body),
        };
        let tree = tree::parse(&html);
        Rendered {
            title: metadata::title(front_matter, &tree),
            tree,
            front_matter: front_matter.to_string(),
            head: first_chars(body, 4096).to_string(),
            source_url: report.source_url.clone(),
            metadata: std::sync::OnceLock::new(),
        }
    }

    /// What the document says about itself: title, date, author, URL, images.
    pub fn metadata(&self) -> &Metadata {
        self.metadata.get_or_init(|| {
            metadata::extract(
                &self.front_matter,
                &self.head,
                &self.tree,
                self.source_url.as_deref(),
            )
        })
    }

    /// The article as Markdown, titled.
    pub fn markdown(&self) -> String {
        let blocks = Walker {
            style: Style::Markdown,
        }
        .blocks(&self.tree);
        let mut blocks = titled(blocks, self.title.as_deref(), Style::Markdown);
        blocks.retain(|b| !b.trim().is_empty());
        join(&blocks)
    }

    pub fn text(&self) -> String {
        let blocks = Walker { style: Style::Text }.blocks(&self.tree);
        join(&titled(blocks, self.title.as_deref(), Style::Text))
    }

    pub fn html(&self) -> String {
        let mut out = html::fragment(&self.tree);
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// YAML front matter with the metadata, for Markdown output.
    pub fn front_matter(&self, report: &Report) -> String {
        let mut out = String::from("---\n");
        let mut field = |key: &str, value: Option<&str>| {
            if let Some(v) = value {
                // A JSON string is a valid YAML double-quoted scalar.
                out.push_str(&format!(
                    "{key}: {}\n",
                    serde_json::to_string(v).unwrap_or_default()
                ));
            }
        };
        let metadata = self.metadata();
        field("title", metadata.title.as_deref());
        field("date", metadata.date.as_deref());
        field("author", metadata.author.as_deref());
        field("outlet", report.outlet.as_deref());
        field("family", report.family.as_deref());
        field("url", metadata.url.as_deref());
        out.push_str("---\n");
        out
    }

    /// The article's facts around `content`, the article in the format asked for.
    pub fn article(&self, report: &Report, content: String) -> Article {
        let metadata = self.metadata();
        Article {
            title: metadata.title.clone(),
            date: metadata.date.clone(),
            author: metadata.author.clone(),
            outlet: report.outlet.clone(),
            family: report.family.clone(),
            url: metadata.url.clone(),
            images: metadata.images.clone(),
            content,
            warnings: report.warnings.clone(),
            rules: report.fired.clone(),
        }
    }
}

fn markdown_to_html(body: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(body.len() * 5 / 4);
    html::push_html(&mut out, Parser::new_ext(body, options));
    out
}

fn join(blocks: &[String]) -> String {
    if blocks.is_empty() {
        return String::new();
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// The title as the first block, a level-1 heading in Markdown: the document's first
/// heading when it says the title, else a new one.
fn titled(mut blocks: Vec<String>, title: Option<&str>, style: Style) -> Vec<String> {
    let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) else {
        return blocks;
    };
    let first = blocks.first().map(String::as_str).unwrap_or("");
    let heading = first.trim_start_matches('#');
    let is_heading = style == Style::Markdown && first.starts_with('#') && heading.starts_with(' ');
    let says_title = |s: &str| normalize(&plain(s)) == normalize(title);
    match style {
        Style::Markdown if is_heading && says_title(heading) => {
            blocks[0] = format!("#{heading}");
        }
        Style::Text if says_title(first) => {}
        Style::Markdown => blocks.insert(0, format!("# {}", escape_title(title))),
        Style::Text => blocks.insert(0, title.to_string()),
    }
    blocks
}

/// The visible text of a line of our Markdown: links reduced to their text, escapes dropped.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    let mut depth = 0;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '[' => depth += 1,
            ']' if depth > 0 => {
                depth -= 1;
                if chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The first `n` characters of `s`. Characters are counted by their first bytes (any but
/// 0x80–0xBF), 64 bytes at a time while the count cannot reach `n`.
pub(crate) fn first_chars(s: &str, n: usize) -> &str {
    let bytes = s.as_bytes();
    if bytes.len() <= n {
        return s;
    }
    let starts = |b: &u8| (*b as i8) >= -0x40;
    let (mut count, mut i) = (0, 0);
    while let Some(chunk) = bytes.get(i..i + 64)
        && count + 64 <= n
    {
        count += chunk.iter().filter(|b| starts(b)).count();
        i += 64;
    }
    while let Some(b) = bytes.get(i) {
        if starts(b) {
            if count == n {
                return &s[..i];
            }
            count += 1;
        }
        i += 1;
    }
    s
}

fn normalize(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn escape_title(t: &str) -> String {
    let mut i = inline::Inline::new(true);
    i.text(t);
    i.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_chars_counts_characters() {
        let text = format!("{}{}{}", "a".repeat(70), "中文".repeat(100), "é".repeat(50));
        for n in [0, 1, 63, 64, 65, 70, 71, 128, 200, 269, 270, 271, 400, 1000] {
            let expected = text
                .char_indices()
                .nth(n)
                .map_or(&text[..], |(i, _)| &text[..i]);
            assert_eq!(first_chars(&text, n), expected, "{n}");
        }
        assert_eq!(first_chars("", 3), "");
    }

    #[test]
    fn the_first_heading_that_says_the_title_becomes_the_title() {
        let b = vec![
            "## [习近平会见俄总理](https://x/a)".to_string(),
            "正文".to_string(),
        ];
        assert_eq!(
            titled(b, Some("习近平会见俄总理"), Style::Markdown)[0],
            "# [习近平会见俄总理](https://x/a)"
        );
        let b = vec!["正文".to_string()];
        assert_eq!(
            titled(b, Some("A *title*"), Style::Markdown),
            ["# A \\*title\\*", "正文"]
        );
    }
}
