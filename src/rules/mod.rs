//! Rules as data: rule files are loaded from TOML, checked, and compiled once.
//!
//! A document is cleaned by three layers: `common`, its mirror family and its outlet, each
//! with the files it `extends`. See `rules/README.md` for the format.

mod catalog;
mod compile;
mod needs;
mod schema;

pub use catalog::{Catalog, RulesError};
pub use needs::Needs;
use needs::literal_prefix;

/// The test of a `drop-attr` pattern on attribute names. The usual patterns (`^on`) are a
/// literal prefix, tested without the regex engine: they run on every attribute.
pub struct NameTest<'a> {
    pattern: &'a Regex,
    prefix: Option<String>,
}

impl<'a> NameTest<'a> {
    pub fn new(pattern: &'a Regex) -> NameTest<'a> {
        NameTest {
            pattern,
            prefix: literal_prefix(pattern.as_str()),
        }
    }

    /// Whether the pattern takes the attribute `name` (any case, as HTML names are).
    pub fn matches(&self, name: &[u8]) -> bool {
        match &self.prefix {
            Some(p) => name.len() >= p.len() && name[..p.len()].eq_ignore_ascii_case(p.as_bytes()),
            None => self
                .pattern
                .is_match(&String::from_utf8_lossy(name).to_ascii_lowercase()),
        }
    }
}

/// Whether `rule` runs after the lol_html pass, on its output (see `rewrite::judge`), rather
/// than as a lol_html handler.
pub fn runs_after_rewriter(rule: &Rule) -> bool {
    crate::rewrite::runs_after_rewriter(rule)
}

use lol_html::Selector;
use regex::Regex;
use std::ops::Range;

/// Where a rule file sits in the layering, taken from its place in the `rules/` tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// `common.toml`: every document.
    Common,
    /// `families/*.toml`: a mirror's wrapper.
    Family,
    /// `outlets/*.toml`: an outlet's own article markup.
    Outlet,
    /// Anything else (`platforms/*.toml`): used only through `extends`.
    Shared,
}

/// The shape of a family's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Markdown, possibly with front matter and HTML blocks.
    Markdown,
    /// An HTML document or fragment.
    Html,
}

/// One loaded and compiled rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Path inside the rule tree without `.toml`: `families/feedx`, `common`.
    pub key: String,
    /// The file's own name: `feedx`. Rule ids are `name/id`.
    pub name: String,
    pub layer: Layer,
    /// The path shown to users in diagnostics.
    pub path: String,
    pub description: Option<String>,
    /// Keys of the files this one includes, with their spans in `source`.
    pub extends: Vec<(String, Range<usize>)>,
    pub input: Option<InputFormat>,
    /// Full rule ids switched off for documents that use this file, with spans.
    pub disable: Vec<(String, Range<usize>)>,
    pub detect: Detect,
    /// The rules every page of this site triggers: full id, the family it is limited to
    /// (`id@family`), and its span. None when the file says nothing about it.
    pub expect: Option<Vec<Expected>>,
    pub rules: Vec<Rule>,
    /// The file's text, kept to point at it in later diagnostics.
    pub source: String,
    /// Full ids of every rule the file declares, compiled or not.
    pub declared: Vec<String>,
}

/// One entry of `expect`.
#[derive(Debug, Clone)]
pub struct Expected {
    pub id: String,
    pub family: Option<String>,
    pub span: Range<usize>,
}

/// How a family or outlet is recognised.
#[derive(Debug, Clone, Default)]
pub struct Detect {
    pub head: Vec<Regex>,
    pub tail: Vec<Regex>,
    pub source_url: Vec<Regex>,
    pub hosts: Vec<String>,
    pub priority: i32,
}

impl Detect {
    pub fn is_empty(&self) -> bool {
        self.head.is_empty() && self.tail.is_empty() && self.hosts.is_empty()
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `file-name/rule-id`, stable across releases.
    pub id: String,
    pub note: String,
    pub action: Action,
    /// `path:line` of the rule's table, for reports.
    pub origin: String,
    /// The key of the file it comes from (`families/feedx`).
    pub file: String,
    /// Where its table is in that file.
    pub span: Range<usize>,
    /// Its keys as written (besides id, action and note), for display and comparison.
    pub keys: Vec<(&'static str, String)>,
    /// What a document must contain for the rule to act on it (set by the catalog).
    pub needs: Needs,
}

impl Rule {
    /// What the rule does, as one comparable line: two rules with the same signature do
    /// the same thing.
    pub fn signature(&self) -> String {
        let keys: Vec<String> = self
            .keys
            .iter()
            .map(|(k, v)| format!("{k}={v:?}"))
            .collect();
        format!("{} {}", self.action.name(), keys.join(" "))
    }
}

/// A CSS selector as written and as compiled for lol_html.
#[derive(Debug, Clone)]
pub struct Css {
    pub text: String,
    pub compiled: Selector,
    /// The tag names it lists, lowercase, if it is nothing but a list of them (`div, p`).
    pub tags: Option<Vec<String>>,
}

/// What a rule does. HTML actions run in the streaming rewriter; source actions run on the
/// raw Markdown text before it is split into blocks.
#[derive(Debug, Clone)]
pub enum Action {
    /// Remove the element and everything in it.
    Remove(Css),
    /// Remove the element's tags, keep its content.
    Unwrap(Css),
    /// Rename the element (`ok` → `a`).
    Rename { selector: Css, to: String },
    /// Keep only the matched elements; everything outside them goes.
    KeepOnly(Css),
    /// Remove the element when its whole text (at most `max_chars`) matches.
    RemoveIfText {
        selector: Css,
        pattern: Regex,
        max_chars: usize,
        /// When the pattern is anchored at the start: the literals every match begins with
        /// (see `needs::anchored_prefixes`), so that a text can be ruled out early.
        prefixes: Option<Vec<Vec<u8>>>,
    },
    /// Remove the element when the other rules left it with no text and no media.
    RemoveEmpty(Css),
    /// Remove HTML comments whose text matches.
    RemoveComments(Regex),
    /// Move an attribute's value to another attribute (`data-src` → `src`).
    MoveAttr {
        selector: Css,
        from: String,
        to: String,
    },
    /// Rewrite an attribute's value with a regex and a `$1` template.
    RewriteAttr {
        selector: Css,
        attr: String,
        pattern: Regex,
        with: String,
    },
    /// Drop attributes whose names match.
    DropAttr { selector: Css, pattern: Regex },
    /// Replace the element with a template whose `{attr}` placeholders take the text of the
    /// element's attributes (for content kept only in attributes, such as lightbox galleries).
    ReplaceWith { selector: Css, with: String },
    /// Drop a Markdown heading or paragraph made only of links that all match.
    DropLinkBlock(Regex),
    /// Drop every source line that matches.
    DropLines {
        pattern: Regex,
        /// When the pattern is anchored at the start: the literals every match begins with
        /// (see `needs::anchored_prefixes`), so that most lines are passed without a search.
        prefixes: Option<Vec<Vec<u8>>>,
    },
    /// Cut from the last match of `from` to the end of `to` (or of the document).
    Cut {
        from: Regex,
        to: Option<Regex>,
        max_bytes: usize,
    },
    /// Replace every match in the source with a `$1` template.
    Replace { pattern: Regex, with: String },
    /// Decode HTML entities from the first match of `from` to where `to` next matches (or
    /// the end): for pages whose HTML was escaped into a text node.
    Unescape { from: Regex, to: Option<Regex> },
    /// Repair lines of UTF-8 that were once decoded as Latin-1 (`å¹´` → `年`).
    RepairMojibake(Option<Regex>),
}

/// The `{name}` placeholders of a `replace-with` template.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    out
}

impl Action {
    /// The action's name as written in rule files.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Remove(_) => "remove",
            Action::Unwrap(_) => "unwrap",
            Action::Rename { .. } => "rename",
            Action::KeepOnly(_) => "keep-only",
            Action::RemoveIfText { .. } => "remove-if-text",
            Action::RemoveEmpty(_) => "remove-empty",
            Action::RemoveComments(_) => "remove-comments",
            Action::MoveAttr { .. } => "move-attr",
            Action::RewriteAttr { .. } => "rewrite-attr",
            Action::DropAttr { .. } => "drop-attr",
            Action::ReplaceWith { .. } => "replace-with",
            Action::DropLinkBlock(_) => "drop-link-block",
            Action::DropLines { .. } => "drop-lines",
            Action::Cut { .. } => "cut",
            Action::Replace { .. } => "replace",
            Action::Unescape { .. } => "unescape",
            Action::RepairMojibake(_) => "repair-mojibake",
        }
    }

    /// The selector the action runs on, if it runs on elements.
    pub fn selector(&self) -> Option<&Css> {
        match self {
            Action::Remove(css)
            | Action::Unwrap(css)
            | Action::KeepOnly(css)
            | Action::RemoveEmpty(css)
            | Action::Rename { selector: css, .. }
            | Action::RemoveIfText { selector: css, .. }
            | Action::MoveAttr { selector: css, .. }
            | Action::RewriteAttr { selector: css, .. }
            | Action::DropAttr { selector: css, .. }
            | Action::ReplaceWith { selector: css, .. } => Some(css),
            _ => None,
        }
    }

    /// How many characters of an element's text the action reads, if it reads any.
    pub fn text_limit(&self) -> Option<usize> {
        match self {
            Action::RemoveIfText { max_chars, .. } => Some(*max_chars),
            _ => None,
        }
    }
}
