//! Rules as data: rule files are loaded from TOML, checked, and compiled once.
//!
//! A document is cleaned by three layers: `common`, its mirror family and its outlet, each
//! with the files it `extends`. See `rules/README.md` for the format.

mod ascii_automaton;
pub(crate) mod built_in;
mod catalog;
mod compile;
mod lazy;
mod needs;
mod schema;

pub use crate::actions::{Action, Css};
pub(crate) use crate::lazy_regex::LazyRegex;
pub use catalog::{Catalog, RulesError};
#[cfg(test)]
pub(crate) use compile::compile_file;

/// Whether `rule` runs after the lol_html pass, on its output (see `rewrite::judge`), rather
/// than as a lol_html handler.
pub fn runs_after_rewriter(rule: &Rule) -> bool {
    rule.action.stage() == crate::actions::Stage::Judge
}

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
    /// `generic.toml`: every document, after its outlet's rules: chaff that looks the same
    /// on every outlet, found by its text and place (`remove-block`).
    Generic,
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

/// A document that starts like a full HTML page is HTML; anything else is Markdown (which
/// carries HTML blocks through the rewriter anyway).
pub fn sniff(text: &str) -> InputFormat {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = start
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype") || lower.starts_with("<html") {
        InputFormat::Html
    } else {
        InputFormat::Markdown
    }
}

/// One loaded rule file. Its rules are compiled as it loads, or, for the built-in files,
/// when a document first runs them (see [`RuleFile::rules`]).
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Path inside the rule tree without `.toml`: `families/feedx`, `common`.
    pub key: String,
    /// The file's own name: `feedx`. Rule ids are `name/id`.
    pub name: String,
    /// Its place in the layering.
    pub layer: Layer,
    /// The path shown to users in diagnostics.
    pub path: String,
    /// What the file is for, as its `description` says.
    pub description: Option<String>,
    /// Keys of the files this one includes, with their spans in `source`.
    pub(crate) extends: Vec<(String, Range<usize>)>,
    /// The input format the file's sites serve, when it says (`input = "html"`).
    pub input: Option<InputFormat>,
    /// Full rule ids switched off for documents that use this file, with spans.
    pub(crate) disable: Vec<(String, Range<usize>)>,
    pub(crate) detect: Detect,
    /// The rules every page of this site triggers: full id, the family it is limited to
    /// (`id@family`), and its span. None when the file says nothing about it.
    pub(crate) expect: Option<Vec<Expected>>,
    /// common.toml's `mirror_hosts`, lowercase: hosts whose addresses are never an
    /// article's own.
    pub(crate) mirror_hosts: std::sync::Arc<[String]>,
    rules: lazy::LazyRules,
    /// The file's text, kept to point at it in later diagnostics.
    pub(crate) source: String,
    /// Full ids of every rule the file declares, compiled or not.
    pub(crate) declared: Vec<String>,
}

impl RuleFile {
    /// The file's rules, in file order: compiled now if they were not (once in a process;
    /// see `rules::lazy`).
    pub fn rules(&self) -> &[Rule] {
        self.rules.get()
    }
}

/// One entry of `expect`.
#[derive(Debug, Clone)]
pub(crate) struct Expected {
    pub id: String,
    pub family: Option<String>,
    pub span: Range<usize>,
}

/// How a family or outlet is recognised. The regexes of built-in files compile only when
/// the text they are tried on holds a literal every match contains
/// ([`LazyRegex::may_match`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Detect {
    pub head: Vec<LazyRegex>,
    pub tail: Vec<LazyRegex>,
    pub source_url: Vec<LazyRegex>,
    pub hosts: Vec<String>,
    pub priority: i32,
    /// Families: weighed pieces of the generator's template (see `detect::weigh`).
    pub signals: Vec<Signal>,
    /// Families: the weight the signals found must reach (0 when there are none).
    pub threshold: u32,
}

impl Detect {
    /// Whether the file can be detected at all.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.head.is_empty()
            && self.tail.is_empty()
            && self.hosts.is_empty()
            && self.signals.is_empty()
    }
}

/// One `[[detect.signal]]`: a piece of a family's template, weighed with the others.
#[derive(Debug, Clone)]
pub(crate) struct Signal {
    /// Its id, unique in the file.
    pub id: String,
    /// The regex that finds it.
    pub pattern: LazyRegex,
    /// What finding it counts for (1 to 100).
    pub weight: u32,
    /// Where in the document it is looked for.
    pub within: Window,
    /// Why it is evidence of the family.
    pub note: String,
}

/// The part of a document a detection pattern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// The first 8 KiB.
    Head,
    /// The last 8 KiB, when the document is read whole.
    Tail,
}

impl Window {
    /// `head` or `tail`, as rule files write it.
    pub fn name(self) -> &'static str {
        match self {
            Window::Head => "head",
            Window::Tail => "tail",
        }
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `file-name/rule-id`, stable across releases.
    pub id: String,
    /// Why the rule is there, as its `note` says.
    pub note: String,
    /// What it does, with its compiled keys.
    pub action: Action,
    /// `path:line` of the rule's table, for reports.
    pub origin: String,
    /// The key of the file it comes from (`families/feedx`).
    pub file: String,
    /// Where its table is in that file.
    pub span: Range<usize>,
    /// Its keys as written (besides id, action and note), for display and comparison.
    pub keys: Vec<(&'static str, String)>,
    /// Its place among its file's rules.
    pub(crate) index: usize,
    /// The layer of the file it comes from (told once: removals ask it of every rule that
    /// would take an element).
    pub(crate) layer: Layer,
}

impl Rule {
    /// The layer of the file it comes from.
    pub fn layer(&self) -> Layer {
        self.layer
    }

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
