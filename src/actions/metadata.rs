//! `metadata`: a line that states a fact about the article — where the original is, its
//! original-language version, its short URL, a reprint notice, the feed's author and date —
//! becomes a field of the article (JSON, `--front-matter`) and leaves the body of Markdown,
//! HTML and text output. `--to source` keeps it where it stands, byte for byte.
//!
//! ## Why
//!
//! Mirrors and outlets write such lines around every article: `原文地址（需翻墙访问）：URL`,
//! `点击查看本文英文版`, `本文短网址: … 严禁建立镜像网站`, a feed's author and timestamp.
//! They are the mirror's or the outlet's words, not the article's, but what they say is
//! worth keeping: so they are read, not dropped. Which lines they are is rule data, in the
//! family's or the outlet's file; so are the patterns of the article's own dateline and
//! byline, which are read and stay (`keep`), the site's name a title carries (`in =
//! "title"`) and a feed's timestamp comment (`in = "source"`).
//!
//! The rule reads the cleaned document as blocks (an element that holds no other block, or
//! loose text beside blocks), each a sequence of lines separated by `<br>`. `pattern` is
//! searched in a block's text (entities decoded, whitespace folded, lines joined by `\n`:
//! write `(?m)` for `^` and `$` at line breaks); the lines its match touches are the
//! metadata lines. Its named groups feed the fields of their names; `attr` with `field`
//! feeds `field` from that attribute of the first element in those lines that begins
//! after the match (else of their first element): `href` of a link, `value` of an input. `keep = true` reads the facts and leaves the line in the
//! body: the outlet's own dateline or byline (a block's kept lines may be read by several
//! rules; a line that leaves, by the first rule that takes it, while later rules may take
//! the block's other lines). `take = "tail"` takes the match alone, not its
//! whole line: a note at the end of a paragraph (`Bio。原载于《…》…，由…授权刊发。`). The
//! match must end its line and begin a sentence (the line's text before it ends with
//! `。！？!?.…`, or a closing quote or bracket after one); the sentences before it stay,
//! and `attr` reads only the elements that begin in it. `edge` (`start` or `end`) with `within`
//! (default 1) looks only among the first or last blocks with text. `unless`: a regex; a
//! match whose lines it matches (in the title or the source, whose text) is not read, nor
//! do its lines leave the body: what makes the rule's words news (法院查明，被告未经原告授权转载…
//! is no reprint notice).
//!
//! `in` says what else the pattern may read instead of the article's lines:
//! - `in = "title"`: the title as the document gives it (its front matter's, or its first
//!   heading); the `title` group is the title without what the site adds (`Headline -
//!   Site`). The first such rule that matches gives the title; when the front matter's
//!   title read so is the document's first heading, that heading is the title's.
//! - `in = "source"`: the cleaned document's text as written, for what the output never
//!   shows (a comment); nothing leaves the body, and its values rank below every value the
//!   article states.
//!
//! The fields: `url` (the original article), `translation_of` (the original-language
//! version), `short_url`, `rights` (a notice on the article's rights: a reprint
//! permission, the outlet's terms for copies), `reprinted_from` and `reprinted_from_url` (the publication a
//! reprint names as its source, and its address as the reprint links it), `first_published_in` and `first_published_url` (where
//! the article first appeared, as a note names and links it), `first_published_on` (when it
//! first appeared, read as an ISO 8601 date), `original_title` (the title it first appeared
//! under), `date` (read as ISO 8601, or milliseconds since 1970),
//! `author`, and `title` for `in = "title"`. An address that is not `http` or
//! `https` is left out, with a warning. The first value of a field wins.
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
    const OPTIONAL: &'static [Key] = &[
        Key::Attr,
        Key::Field,
        Key::Keep,
        Key::Take,
        Key::Edge,
        Key::Within,
        Key::In,
        Key::Unless,
    ];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let pattern = keys.regex(Key::Pattern)?;
        let unless = keys.optional_regex(Key::Unless)?;
        let reads = keys.choice(
            Key::In,
            &[
                ("article", Reads::Article),
                ("title", Reads::Title),
                ("source", Reads::Source),
            ],
            |other| format!("a metadata rule reads no `{other}`"),
            "`in` is `article` (the default), `title` or `source`",
        )?;
        if reads != Reads::Article
            && let Some(key) = [
                Key::Attr,
                Key::Field,
                Key::Keep,
                Key::Take,
                Key::Edge,
                Key::Within,
            ]
            .into_iter()
            .find(|&k| keys.has(k))
        {
            keys.error(
                key,
                format!("`{}` is for lines of the article", key.name()),
                Some("a rule with `in = \"title\"` or `in = \"source\"` reads only named groups"),
            );
            return None;
        }
        let known = |name: &str| match reads {
            Reads::Title => name == "title",
            Reads::Article | Reads::Source => FIELDS.contains(&name),
        };
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
            let message = if reads == Reads::Title {
                format!("a rule that reads the title feeds `title`, not `{bad}`")
            } else {
                format!("no field is called `{bad}`")
            };
            keys.error(Key::Pattern, message, Some(&fields_help()));
            return None;
        }
        let attr = match (keys.has(Key::Attr), keys.has(Key::Field)) {
            (true, true) => {
                let field = keys.string(Key::Field);
                if !known(&field) {
                    keys.error(
                        Key::Field,
                        format!("no field is called `{field}`"),
                        Some(&fields_help()),
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
        let take = keys.choice(
            Key::Take,
            &[("lines", Take::Lines), ("tail", Take::Tail)],
            |other| format!("a metadata rule takes no `{other}`"),
            "`take` is `lines` (the default: the lines the match touches) or `tail` (the match, \
             at the end of its line, from where a sentence begins)",
        )?;
        let keep = keys.switch(Key::Keep).unwrap_or(false);
        if keep && take == Take::Tail {
            keys.error(
                Key::Take,
                "a kept line leaves nothing to take",
                Some("drop `keep = true`, or `take`"),
            );
            return None;
        }
        let (edge, within) = keys.edge(1)?;
        let feeds_address = (groups.iter().map(String::as_str))
            .chain(attr.as_ref().map(|(_, field)| field.as_str()))
            .any(|field| URL_FIELDS.contains(&field));
        Some(Metadata {
            rule: LineRule {
                pattern,
                unless,
                attr,
                keep,
                tail: take == Take::Tail,
                edge,
                within,
                reads,
                feeds_address,
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
    use crate::actions::tests::{errors, markdown};

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

    /// `page` (a body, then a line with the address) cleaned with a rule of `pattern`: the
    /// line leaves the body and its address is the article's.
    fn takes_the_url_line(pattern: &str, page: &str) {
        let cleaned = markdown(&rule(&format!("pattern = '{pattern}'")), page);
        assert_eq!(cleaned.to(Format::Markdown), "Body.\n", "{page}");
        assert_eq!(
            cleaned.article().url.as_deref(),
            Some("https://example.com/a"),
            "{page}"
        );
    }

    #[test]
    fn a_page_written_as_character_references_is_read_as_its_text() {
        // The rule's literal (原文地址：, 原文:, 原文") is only in the decoded text: it still looks.
        for (pattern, page) in [
            (
                "^原文地址：(?P<url>\\S+)$",
                "<p>Body.</p>\n\n<p>&#x539F;&#x6587;&#22320;&#22336;&#xFF1A;https://example.com/a</p>\n",
            ),
            (
                "^原文:(?P<url>\\S+)$",
                "<p>Body.</p>\n\n<p>原文&colon;https://example.com/a</p>\n",
            ),
            (
                "^原文\"(?P<url>[^\"]+)\"$",
                "<p>Body.</p>\n\n<p>原文&quot;https://example.com/a&quot;</p>\n",
            ),
        ] {
            takes_the_url_line(pattern, page);
        }
    }

    #[test]
    fn a_values_line_breaks_join_as_the_body_joins_them() {
        // None between two Chinese characters, a space elsewhere; a space stays a space.
        let rules = rule("pattern = '^原标题：(?P<original_title>.+)$'");
        let page = "<p>Body.</p>\n\n<p>原标题：未选华为 新加坡选\n  <span>\n   诺基亚\n  </span>\n  与爱立信 and\n  Nokia 5G</p>\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.to(Format::Markdown), "Body.\n");
        assert_eq!(
            cleaned.article().original_title.as_deref(),
            Some("未选华为 新加坡选诺基亚与爱立信 and Nokia 5G")
        );
    }

    #[test]
    fn a_line_whose_words_inline_markup_splits_is_read_as_its_text() {
        // The rule's literal (原文地址：) is only in the text the blocks read, without the
        // markup inside it: it still looks.
        let pattern = "^原文地址：(?P<url>\\S+)$";
        for page in [
            "<p>Body.</p>\n\n<p><b>原</b>文地址：https://example.com/a</p>\n",
            "Body.\n\n**原**文地址：https://example.com/a\n",
            "Body.\n\n[原文](https://example.com/)地址：https://example.com/a\n",
            "<p>Body.</p>\n\n<p><b>&#x539F;</b>文地址：https://example.com/a</p>\n",
        ] {
            takes_the_url_line(pattern, page);
        }
    }

    #[test]
    fn a_tail_rule_takes_the_note_at_a_paragraphs_end() {
        let rules = rule("take = \"tail\"\npattern = '(?m)原载于(?P<first_published_in>《[^》]+》)。$'");
        let page = "Body.\n\n某人系某大学博士。原载于《某学报》。\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.text, page);
        assert_eq!(cleaned.to(Format::Markdown), "Body.\n\n某人系某大学博士。\n");
        assert_eq!(
            cleaned.article().first_published_in.as_deref(),
            Some("《某学报》")
        );
    }

    #[test]
    fn an_attribute_feeds_a_field() {
        let rules = rule(
            "pattern = '(?m)^点击查看本文英文版'\nattr = \"href\"\nfield = \"translation_of\"",
        );
        let page = "<p>Bio.<br><a href=\"https://example.com/en/a\">点击查看本文英文版。</a></p>\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.to(Format::Markdown), "Bio.\n");
        assert_eq!(
            cleaned.article().translation_of.as_deref(),
            Some("https://example.com/en/a")
        );
    }
    #[test]
    fn a_title_rule_takes_the_sites_name_off_the_title() {
        let rules = rule("in = \"title\"\npattern = '^(?P<title>.+?) - Site$'");
        let page = "# Headline - Site\n\nBody.\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.text, page);
        assert_eq!(cleaned.to(Format::Markdown), "# Headline\n\nBody.\n");
        assert_eq!(cleaned.article().title.as_deref(), Some("Headline"));
        // A front matter's title that adds the site's name gives way to the heading.
        let page = "---\ntitle: \"Headline - Site\"\n---\n# Headline\n\nBody.\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.to(Format::Markdown), "# Headline\n\nBody.\n");
        assert_eq!(cleaned.article().title.as_deref(), Some("Headline"));
    }

    #[test]
    fn a_source_rule_reads_what_the_output_never_shows_and_ranks_last() {
        let rules = rule("in = \"source\"\npattern = '(?m)^<!--(?P<date>\\d{13})-->'");
        let cleaned = markdown(&rules, "<!--1684939624000-->\nBody.\n");
        assert_eq!(cleaned.to(Format::Markdown), "Body.\n");
        assert_eq!(cleaned.article().date.as_deref(), Some("2023-05-24T14:47:04Z"));
        let cleaned = markdown(&rules, "<!--1684939624000-->\nBody of 2020-01-02.\n");
        assert_eq!(cleaned.article().date.as_deref(), Some("2020-01-02"));
    }

    #[test]
    fn kept_lines_are_read_by_every_rule_and_stay() {
        let rules = format!(
            "{}{}",
            rule("keep = true\npattern = '【(?P<date>\\d{4}年\\d{1,2}月\\d{1,2}日)】'"),
            rule("keep = true\npattern = '（记者(?P<author>\\p{Han}{2,3})报导）'").replace("\"m\"", "\"b\"")
        );
        let page = "【2020年9月14日】（记者王祥报导）周三。\n";
        let cleaned = markdown(&rules, page);
        assert_eq!(cleaned.to(Format::Markdown), page);
        let article = cleaned.article();
        assert_eq!(article.date.as_deref(), Some("2020-09-14"));
        assert_eq!(article.author.as_deref(), Some("王祥"));
    }

    #[test]
    fn rules_that_read_the_title_or_source_take_no_line_keys() {
        let rule = |keys: &str| format!("[[rule]]\nid = \"m\"\naction = \"metadata\"\n{keys}\nnote = \"n\"\n");
        let e = errors(&rule("in = \"title\"\nkeep = true\npattern = '^(?P<title>.+) - S$'"));
        assert!(e[0].contains("`keep` is for lines of the article"), "{e:?}");
        let e = errors(&rule("in = \"title\"\npattern = '^(?P<url>.+)$'"));
        assert!(e[0].contains("feeds `title`, not `url`"), "{e:?}");
        let e = errors(&rule("pattern = '^(?P<title>.+)$'"));
        assert!(e[0].contains("no field is called `title`"), "{e:?}");
        let e = errors(&rule("in = \"head\"\npattern = '^(?P<url>.+)$'"));
        assert!(e[0].contains("reads no `head`"), "{e:?}");
        let e = errors(&rule("in = \"title\"\ntake = \"tail\"\npattern = '^(?P<title>.+) - S$'"));
        assert!(e[0].contains("`take` is for lines of the article"), "{e:?}");
        let e = errors(&rule("take = \"end\"\npattern = '^(?P<url>.+)$'"));
        assert!(e[0].contains("takes no `end`"), "{e:?}");
        let e = errors(&rule("keep = true\ntake = \"tail\"\npattern = '^(?P<url>.+)$'"));
        assert!(e[0].contains("a kept line leaves nothing to take"), "{e:?}");
        let e = errors(&rule("within = 2\npattern = '^(?P<url>.+)$'"));
        assert!(e[0].contains("`within` counts from an edge"), "{e:?}");
    }
}


/// The help an error about a field gives: the fields there are, read from [`FIELDS`] so that
/// a new field is named in it without a second edit.
fn fields_help() -> String {
    format!(
        "fields: {}; title with `in = \"title\"`",
        FIELDS.join(", ")
    )
}

/// The fields a metadata rule may feed from the article's lines or the source (`title` is
/// fed only by a rule that reads the title).
pub const FIELDS: &[&str] = &[
    "url",
    "translation_of",
    "short_url",
    "date",
    "author",
    "rights",
    "reprinted_from",
    "reprinted_from_url",
    "first_published_in",
    "first_published_url",
    "first_published_on",
    "original_title",
];

/// What of a block a metadata rule takes out of the body (`take`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Take {
    /// The lines the match touches (`take = "lines"`, the default).
    Lines,
    /// The match alone, which runs to the end of its line and begins a sentence there
    /// (`take = "tail"`): the line's sentences before it stay.
    Tail,
}

/// What a metadata rule reads (`in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// The article's blocks of lines (`in = "article"`, the default).
    Article,
    /// The article's title as the document gives it (`in = "title"`): the `title` group is
    /// the title without what the site adds to it.
    Title,
    /// The cleaned document's own text (`in = "source"`), for what the output never shows
    /// (a comment): nothing leaves the body, and the values rank below what the article
    /// states.
    Source,
}

/// The fields whose values are addresses: only `http` and `https` ones are kept.
pub const URL_FIELDS: &[&str] = &[
    "url",
    "translation_of",
    "short_url",
    "reprinted_from_url",
    "first_published_url",
];

/// What a `metadata` rule finds.
#[derive(Debug, Clone)]
pub struct LineRule {
    /// Searched in a block's text; its named groups feed the fields of their names.
    pub pattern: LazyRegex,
    /// A match whose lines (or, in the title or the source, whose text) this matches is
    /// not read: what makes the rule's words news.
    pub unless: Option<LazyRegex>,
    /// `(attribute, field)`: the field fed by that attribute of the first element of the
    /// matched lines that has it (`href` of a link, `value` of an input).
    pub attr: Option<(String, String)>,
    /// The lines are the article's own (a dateline, a byline): read, and left in the body.
    pub keep: bool,
    /// Only the match leaves the body (`take = "tail"`): it must end its line and begin a
    /// sentence (the line's text before it ends one), and the text before it stays.
    pub tail: bool,
    /// Where it looks: anywhere, or among the first or last `within` blocks with text.
    pub edge: Edge,
    /// How many blocks with text from the edge it reaches.
    pub within: usize,
    /// What it reads: the article's lines, its title or the document's source.
    pub reads: Reads,
    /// Whether it feeds a field whose values are addresses ([`URL_FIELDS`]).
    pub feeds_address: bool,
}

impl LineRule {
    /// Whether what the rule reads shows only in the article's fields (JSON, front matter)
    /// and in the report: it leaves its lines in the body (`keep`) or reads the source, and
    /// feeds no address (an address it refused would be a warning). Markdown, HTML, text
    /// and source output are the same whether it is read or not; a rule that reads the
    /// title is not one (the title heading shows it).
    pub fn shows_only_in_fields(&self) -> bool {
        (self.keep || self.reads == Reads::Source) && !self.feeds_address
    }

    /// The same rule, its regex shared with this one (see `LazyRegex::share`).
    pub(crate) fn share(&self) -> LineRule {
        LineRule {
            pattern: self.pattern.share(),
            unless: self.unless.as_ref().map(LazyRegex::share),
            attr: self.attr.clone(),
            ..*self
        }
    }
}
