//! `metadata`: a line that states a fact about the article — where the original is, its
//! original-language version, its short URL, the feed's author and date — becomes a field
//! of the article (JSON, `--front-matter`) and leaves the body of Markdown, HTML and text
//! output. `--to source` keeps it where it stands, byte for byte.
//!
//! ## Why
//!
//! Mirrors and outlets write such lines around every article: `原文地址（需翻墙访问）：URL`,
//! `点击查看本文英文版`, `本文短网址: … 严禁建立镜像网站`, a feed's author and timestamp.
//! They are the mirror's or the outlet's words, not the article's, but what they say is
//! worth keeping: so they are read, not dropped. Which lines they are is rule data, in the
//! family's or the outlet's file.
//!
//! The rule reads the cleaned document as blocks (an element that holds no other block, or
//! loose text beside blocks), each a sequence of lines separated by `<br>`. `pattern` is
//! searched in a block's text (entities decoded, whitespace folded, lines joined by `\n`:
//! write `(?m)` for `^` and `$` at line breaks); the lines its match touches are the
//! metadata lines. Its named groups feed the fields of their names; `attr` with `field`
//! feeds `field` from that attribute of the first element in those lines (`href` of a
//! link, `value` of an input). `keep = true` reads the facts and leaves the line in the
//! body: the outlet's own dateline or byline. `edge` (`start` or `end`) with `within`
//! (default 1) looks only among the first or last blocks with text.
//!
//! The fields: `url` (the original article), `translation_of` (the original-language
//! version), `short_url`, `date` (read as ISO 8601), `author`. An address that is not
//! `http` or `https` is left out, with a warning. The first value of a field wins.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "source-line"
//! action = "metadata"
//! pattern = '^原文地址：\s*(?P<url>https?://\S+)$'
//! note = "The mirror's source line: the original article's address."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>The article.</p><p>原文地址：https://example.com/a.html</p>
//! ```
//!
//! to
//!
//! ```html
//! <p>The article.</p>
//! ```
//!
//! in Markdown, HTML and text output (shown here as HTML), with `url` =
//! `https://example.com/a.html`; source output is unchanged.

pub(crate) use super::keys::Edge;
use super::keys::{Key, Keys};
use super::literals::Literal;
use super::{Kind, Stage};
use crate::lazy_regex::LazyRegex;

#[derive(Debug, Clone)]
pub struct Metadata {
    rule: LineRule,
}

impl Kind for Metadata {
    const NAME: &'static str = "metadata";
    const REQUIRED: &'static [Key] = &[Key::Pattern];
    const OPTIONAL: &'static [Key] = &[Key::Attr, Key::Field, Key::Keep, Key::Edge, Key::Within];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let pattern = keys.regex(Key::Pattern)?;
        let known = |name: &str| FIELDS.contains(&name);
        let groups: Vec<String> = pattern
            .as_str()
            .match_indices("(?P<")
            .chain(pattern.as_str().match_indices("(?<"))
            .filter_map(|(at, open)| {
                let rest = &pattern.as_str()[at + open.len()..];
                rest.find('>').map(|end| rest[..end].to_string())
            })
            .collect();
        if let Some(bad) = groups.iter().find(|g| !known(g)) {
            keys.error(
                Key::Pattern,
                format!("no field is called `{bad}`"),
                Some("fields: url, translation_of, short_url, date, author"),
            );
            return None;
        }
        let attr = match (keys.has(Key::Attr), keys.has(Key::Field)) {
            (true, true) => {
                let field = keys.string(Key::Field);
                if !known(&field) {
                    keys.error(
                        Key::Field,
                        format!("no field is called `{field}`"),
                        Some("fields: url, translation_of, short_url, date, author"),
                    );
                    return None;
                }
                Some((keys.string(Key::Attr).to_ascii_lowercase(), field))
            }
            (false, false) => None,
            (attr, _) => {
                keys.error(
                    if attr { Key::Attr } else { Key::Field },
                    "`attr` and `field` go together",
                    Some("`attr` names the attribute, `field` the field it feeds"),
                );
                return None;
            }
        };
        if groups.is_empty() && attr.is_none() {
            keys.error(
                Key::Pattern,
                "the rule feeds no field",
                Some("name a group after its field, `(?P<url>\\S+)`, or give `attr` and `field`"),
            );
            return None;
        }
        let (edge, within) = keys.edge(1)?;
        Some(Metadata {
            rule: LineRule {
                pattern,
                attr,
                keep: keys.switch(Key::Keep).unwrap_or(false),
                edge,
                within,
            },
        })
    }

    fn stage(&self) -> Stage {
        Stage::Metadata
    }

    fn needs(&self) -> Vec<Vec<Literal>> {
        // It reads the cleaned document, which the prefilter does not see.
        vec![Vec::new()]
    }

    fn line_rule(&self) -> Option<&LineRule> {
        Some(&self.rule)
    }
}

#[cfg(test)]
mod tests {
    use crate::Format;
    use crate::actions::tests::markdown;

    fn rule(keys: &str) -> String {
        format!("[[rule]]\nid = \"m\"\naction = \"metadata\"\n{keys}\nnote = \"n\"\n")
    }

    #[test]
    fn the_line_leaves_the_body_and_source_keeps_it() {
        let rules = rule("pattern = '^原文地址：(?P<url>\\S+)$'");
        let page = "Body.\n\n原文地址：https://example.com/a\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.text, page);
        assert_eq!(cleaned.to(Format::Markdown), "Body.\n");
        assert_eq!(cleaned.article().url.as_deref(), Some("https://example.com/a"));
    }

    #[test]
    fn an_attribute_feeds_a_field() {
        let rules = rule(
            "pattern = '(?m)^点击查看本文英文版'\nattr = \"href\"\nfield = \"translation_of\"",
        );
        let page = "<p>Bio.<br><a href=\"https://example.com/en\">点击查看本文英文版。</a></p>\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.to(Format::Markdown), "Bio.\n");
        assert_eq!(
            cleaned.article().translation_of.as_deref(),
            Some("https://example.com/en")
        );
    }
}

/// The fields a metadata rule may feed.
pub const FIELDS: &[&str] = &["url", "translation_of", "short_url", "date", "author"];

/// The fields whose values are addresses: only `http` and `https` ones are kept.
pub const URL_FIELDS: &[&str] = &["url", "translation_of", "short_url"];

/// What a `metadata` rule finds.
#[derive(Debug, Clone)]
pub struct LineRule {
    /// Searched in a block's text; its named groups feed the fields of their names.
    pub pattern: LazyRegex,
    /// `(attribute, field)`: the field fed by that attribute of the first element of the
    /// matched lines that has it (`href` of a link, `value` of an input).
    pub attr: Option<(String, String)>,
    /// The lines are the article's own (a dateline, a byline): read, and left in the body.
    pub keep: bool,
    /// Where it looks: anywhere, or among the first or last `within` blocks with text.
    pub edge: Edge,
    /// How many blocks with text from the edge it reaches.
    pub within: usize,
}
