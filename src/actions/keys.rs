//! A rule's keys: the `[[rule]]` table as written, and what every action does with them
//! alike. Each key is checked against the action (`selector` on `drop-lines` is an error at
//! the key, a missing `to` on `rename` an error at the action), selectors are compiled with
//! lol_html and regexes with a size bound, and every error is collected with its
//! `file:line:col`, so that a broken rule never hides the errors of the others.

use crate::diagnostics::Diagnostic;
use crate::lazy_regex::{LazyRegex, RegexBudget, build_regex, compiled_size};
use lol_html::Selector;
use std::ops::Range;
use toml::Spanned;

pub(crate) use super::raw_rule::RawRule;

/// A key an action may take besides `id`, `action` and `note` (see `rules/README.md`, "Keys
/// of a rule"). A new key is a variant here and a field of [`RawRule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Selector,
    Pattern,
    From,
    To,
    Attr,
    With,
    MaxChars,
    MaxBytes,
    Edge,
    Within,
    Field,
    Keep,
    Take,
    In,
    List,
    MinLinks,
    MaxLinks,
    MinLinkCount,
    Media,
    Hidden,
    WithMedia,
    LinksTo,
    SiteLinks,
    ListItem,
    Unless,
    Voice,
    Terse,
}

impl Key {
    /// Every key, in the order `rules show` prints them.
    pub const ALL: [Key; 27] = [
        Key::Selector,
        Key::Pattern,
        Key::From,
        Key::To,
        Key::Attr,
        Key::With,
        Key::MaxChars,
        Key::MaxBytes,
        Key::Edge,
        Key::Within,
        Key::Field,
        Key::Keep,
        Key::Take,
        Key::In,
        Key::List,
        Key::MinLinks,
        Key::MaxLinks,
        Key::MinLinkCount,
        Key::Media,
        Key::Hidden,
        Key::WithMedia,
        Key::LinksTo,
        Key::SiteLinks,
        Key::ListItem,
        Key::Unless,
        Key::Voice,
        Key::Terse,
    ];

    /// The key as written in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Key::Selector => "selector",
            Key::Pattern => "pattern",
            Key::From => "from",
            Key::To => "to",
            Key::Attr => "attr",
            Key::With => "with",
            Key::MaxChars => "max_chars",
            Key::MaxBytes => "max_bytes",
            Key::Edge => "edge",
            Key::Within => "within",
            Key::Field => "field",
            Key::Keep => "keep",
            Key::Take => "take",
            Key::In => "in",
            Key::List => "list",
            Key::MinLinks => "min_links",
            Key::MaxLinks => "max_links",
            Key::MinLinkCount => "min_link_count",
            Key::Media => "media",
            Key::Hidden => "hidden",
            Key::WithMedia => "with_media",
            Key::LinksTo => "links_to",
            Key::SiteLinks => "site_links",
            Key::ListItem => "list_item",
            Key::Unless => "unless",
            Key::Voice => "voice",
            Key::Terse => "terse",
        }
    }
}

impl RawRule {
    /// The text of a string key, with its span.
    fn string(&self, key: Key) -> Option<&Spanned<String>> {
        match key {
            Key::Selector => self.selector.as_ref(),
            Key::Pattern => self.pattern.as_ref(),
            Key::From => self.from.as_ref(),
            Key::To => self.to.as_ref(),
            Key::Attr => self.attr.as_ref(),
            Key::With => self.with.as_ref(),
            Key::Edge => self.edge.as_ref(),
            Key::Field => self.field.as_ref(),
            Key::LinksTo => self.links_to.as_ref(),
            Key::Unless => self.unless.as_ref(),
            Key::Voice => self.voice.as_ref(),
            Key::In => self.in_.as_ref(),
            Key::Take => self.take.as_ref(),
            _ => None,
        }
    }

    /// The value of a number key.
    fn number(&self, key: Key) -> Option<&Spanned<usize>> {
        match key {
            Key::MaxChars => self.max_chars.as_ref(),
            Key::MaxBytes => self.max_bytes.as_ref(),
            Key::Within => self.within.as_ref(),
            Key::List => self.list.as_ref(),
            Key::MinLinkCount => self.min_link_count.as_ref(),
            Key::Terse => self.terse.as_ref(),
            _ => None,
        }
    }

    /// The value of a share key (a fraction of 1).
    fn share(&self, key: Key) -> Option<&Spanned<f64>> {
        match key {
            Key::MinLinks => self.min_links.as_ref(),
            Key::MaxLinks => self.max_links.as_ref(),
            _ => None,
        }
    }

    /// The value of a switch key.
    fn switch(&self, key: Key) -> Option<&Spanned<bool>> {
        match key {
            Key::Keep => self.keep.as_ref(),
            Key::Media => self.media.as_ref(),
            Key::Hidden => self.hidden.as_ref(),
            Key::WithMedia => self.with_media.as_ref(),
            Key::SiteLinks => self.site_links.as_ref(),
            Key::ListItem => self.list_item.as_ref(),
            _ => None,
        }
    }

    /// Where `key` is written, if it is.
    pub fn span(&self, key: Key) -> Option<Range<usize>> {
        self.string(key)
            .map(Spanned::span)
            .or_else(|| self.number(key).map(Spanned::span))
            .or_else(|| self.share(key).map(Spanned::span))
            .or_else(|| self.switch(key).map(Spanned::span))
    }

    /// The keys the table carries besides `id`, `action` and `note`, as written, in
    /// [`Key::ALL`]'s order: for display and for comparing rules.
    pub fn written(&self) -> Vec<(&'static str, String)> {
        Key::ALL
            .iter()
            .filter_map(|&k| {
                let value = match (self.string(k), self.number(k), self.share(k)) {
                    (Some(s), _, _) => s.get_ref().clone(),
                    (_, Some(n), _) => n.get_ref().to_string(),
                    (_, _, Some(f)) => f.get_ref().to_string(),
                    _ => self.switch(k)?.get_ref().to_string(),
                };
                Some((k.name(), value))
            })
            .collect()
    }
}

/// Where in the article a rule looks (`edge`): among the first blocks, the last ones, or
/// anywhere; `within` says how far from the edge (see [`Keys::edge`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Among the first blocks.
    Start,
    /// Among the last blocks.
    End,
    /// Anywhere.
    Anywhere,
}

/// A CSS selector as written and as compiled for lol_html.
#[derive(Debug, Clone)]
pub struct Css {
    /// The selector as the rule file writes it.
    pub text: String,
    /// The selector as lol_html runs it.
    pub compiled: Selector,
    /// The tag names it lists, lowercase, if it is nothing but a list of them (`div, p`).
    pub tags: Option<Vec<String>>,
}

/// A test of attribute names by a pattern (`drop-attr`). The usual patterns (`^on`) are a
/// literal prefix, tested without the regex engine: they run on every attribute.
#[derive(Debug, Clone)]
pub struct NameTest {
    pattern: LazyRegex,
    prefix: Option<String>,
}

impl NameTest {
    pub fn new(pattern: LazyRegex) -> NameTest {
        NameTest {
            prefix: super::literals::literal_prefix(pattern.as_str()),
            pattern,
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

    /// The literal every name it takes begins with, if that is all the pattern asks.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }
}

/// Where in the file a regex's syntax error lies: the error's own span inside the pattern,
/// moved to the file, when the pattern is written as it reads (a literal string `'…'` or
/// `'''…'''`, or a basic string without escapes). None when it cannot be placed (a size
/// limit, escapes in between): the caller points at the whole value.
fn regex_error_span(text: &str, s: &Spanned<String>) -> Option<Range<usize>> {
    let error = regex_syntax::Parser::new().parse(s.get_ref()).err()?;
    let inside = match &error {
        regex_syntax::Error::Parse(e) => e.span(),
        regex_syntax::Error::Translate(e) => e.span(),
        _ => return None,
    };
    let written = text.get(s.span())?;
    let mut start = s.span().start;
    let body = if let Some(rest) = written.strip_prefix("'''") {
        start += 3;
        // A newline right after the opening quotes is not part of the string.
        let trimmed = rest.strip_prefix('\n').unwrap_or(rest);
        start += rest.len() - trimmed.len();
        trimmed
    } else {
        start += 1;
        written.get(1..)?
    };
    // Only where the written text is the pattern, byte for byte, do offsets carry over.
    if !body.starts_with(s.get_ref().as_str()) {
        return None;
    }
    let from = start + inside.start.offset;
    let to = (start + inside.end.offset).max(from + 1);
    Some(from..to)
}

/// Where errors go while a rule file is checked: its path and text, to locate them.
pub(crate) struct Ctx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub errors: Vec<Diagnostic>,
    /// Regexes are compiled on first use, not checked now: for files a test has checked
    /// (the built-in rules), compiled when a document first needs them.
    pub defer_regexes: bool,
    /// What the rule set's regexes compiled now may take together
    /// (`lazy_regex::TOTAL_SIZE_LIMIT`), shared with the files compiling at the same time.
    pub regex_budget: Option<&'a RegexBudget>,
    /// The regexes made so far: a pattern written again (a fragment several rules name,
    /// as `unless`) is one regex, compiled once and counted once.
    pub made: Made,
}

/// The regexes a rule file has made, found again by their pattern.
///
/// Kept by the pattern's length and compared with the regex's own pattern, so that no
/// key is copied: most patterns are written once, and a tiny document's start-up loads
/// every rule file (hashing and copying each pattern as a key cost more than the rest).
#[derive(Default)]
pub(crate) struct Made(std::collections::BTreeMap<usize, Vec<LazyRegex>>);

impl Made {
    /// The regex made of `pattern`, if there is one.
    fn get(&self, pattern: &str) -> Option<&LazyRegex> {
        let same_length = self.0.get(&pattern.len())?;
        same_length.iter().find(|regex| regex.as_str() == pattern)
    }

    /// Keeps `regex` to be found by its pattern.
    fn insert(&mut self, regex: LazyRegex) {
        self.0.entry(regex.as_str().len()).or_default().push(regex);
    }
}

impl Ctx<'_> {
    /// A diagnostic at `span` of the file.
    pub fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, self.text, span, message)
    }

    pub fn error<T>(&self, spanned: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        self.at(spanned.span(), message)
    }

    /// A regex, bounded in size; an error at it if it does not compile. Deferred, it is
    /// compiled on first use instead (see [`Ctx::defer_regexes`]).
    pub fn regex(&mut self, s: &Spanned<String>) -> Option<LazyRegex> {
        if let Some(made) = self.made.get(s.get_ref()) {
            return Some(made.clone());
        }
        let made = self.make_regex(s)?;
        self.made.insert(made.clone());
        Some(made)
    }

    /// A regex not made before (see [`Ctx::regex`]).
    fn make_regex(&mut self, s: &Spanned<String>) -> Option<LazyRegex> {
        if self.defer_regexes {
            return Some(LazyRegex::on_first_use(s.get_ref()));
        }
        if let Some(budget) = self.regex_budget {
            // Past the bound the rule set is refused: nothing more is built.
            if budget.spent() {
                return None;
            }
            let size = compiled_size(s.get_ref());
            let (before, after) = budget.take(size);
            if after > budget.limit() {
                if before <= budget.limit() {
                    let d = self.error(
                        s,
                        format!(
                            "the rule set's regexes would take more than {} compiled together: this one ({}) brings them to {}",
                            crate::diagnostics::size(budget.limit()),
                            crate::diagnostics::size(size),
                            crate::diagnostics::size(after)
                        ),
                    )
                    .with_help(
                        "use fewer or smaller regexes: a large Unicode class repeated (`\\w{20}`) takes hundreds of KiB; a literal, or an ASCII class (`(?-u:\\w)`), takes little",
                    );
                    self.errors.push(d);
                }
                return None;
            }
        }
        match build_regex(s.get_ref()) {
            Ok(re) => Some(LazyRegex::ready(re)),
            Err(e) => {
                let detail = e.to_string();
                let last = detail.lines().last().unwrap_or("").trim();
                let span = regex_error_span(self.text, s).unwrap_or_else(|| s.span());
                let d = self.at(span, format!("invalid regex: {last}"));
                self.errors.push(d);
                None
            }
        }
    }

    /// A selector lol_html can run; an error at it, with a hint, if it cannot.
    pub fn selector(&mut self, s: &Spanned<String>) -> Option<Css> {
        match s.get_ref().parse::<Selector>() {
            Ok(compiled) => Some(Css {
                text: s.get_ref().clone(),
                compiled,
                tags: plain_tags(s.get_ref()),
            }),
            Err(e) => {
                let mut d = self.error(s, format!("lol_html cannot run this selector: {e}"));
                if let Some(hint) = selector_hint(s.get_ref()) {
                    d = d.with_help(hint);
                }
                self.errors.push(d);
                None
            }
        }
    }
}

/// One rule's keys, for its action to compile. The keys an action requires are known to be
/// present, and no other key is (see `rules::compile`).
pub(crate) struct Keys<'r, 'c> {
    raw: &'r RawRule,
    ctx: &'r mut Ctx<'c>,
}

impl<'r, 'c> Keys<'r, 'c> {
    pub fn new(raw: &'r RawRule, ctx: &'r mut Ctx<'c>) -> Self {
        Keys { raw, ctx }
    }

    /// The required `selector`, compiled.
    pub fn selector(&mut self) -> Option<Css> {
        let s = self.raw.selector.as_ref()?;
        self.ctx.selector(s)
    }

    /// A required regex key, compiled.
    pub fn regex(&mut self, key: Key) -> Option<LazyRegex> {
        let s = self.raw.string(key)?;
        self.ctx.regex(s)
    }

    /// An optional regex key: `Some(None)` when it is absent, None after an error.
    pub fn optional_regex(&mut self, key: Key) -> Option<Option<LazyRegex>> {
        match self.raw.string(key) {
            Some(s) => self.ctx.regex(s).map(Some),
            None => Some(None),
        }
    }

    /// A required string key as written.
    pub fn string(&self, key: Key) -> String {
        self.raw
            .string(key)
            .map(|s| s.get_ref().clone())
            .unwrap_or_default()
    }

    /// An optional number key.
    pub fn number(&self, key: Key) -> Option<usize> {
        self.raw.number(key).map(|n| *n.get_ref())
    }

    /// An optional share key (a fraction from 0 to 1): `Some(None)` when it is absent,
    /// None after an error.
    pub fn share(&mut self, key: Key) -> Option<Option<f64>> {
        let Some(v) = self.raw.share(key) else {
            return Some(None);
        };
        let value = *v.get_ref();
        if !(0.0..=1.0).contains(&value) {
            self.error(
                key,
                format!("`{}` is a share from 0 to 1", key.name()),
                None,
            );
            return None;
        }
        Some(Some(value))
    }

    /// An optional switch key.
    pub fn switch(&self, key: Key) -> Option<bool> {
        self.raw.switch(key).map(|b| *b.get_ref())
    }

    /// `edge` and `within`: the edge a rule counts from and how many blocks with text it
    /// reaches from it (`default_within` when `within` is absent; unbounded for
    /// [`Edge::Anywhere`]). None after an error: an unknown edge, or `within` without one.
    pub fn edge(&mut self, default_within: usize) -> Option<(Edge, usize)> {
        let edge = self.choice(
            Key::Edge,
            &[
                ("anywhere", Edge::Anywhere),
                ("start", Edge::Start),
                ("end", Edge::End),
            ],
            |other| format!("unknown edge `{other}`"),
            "edges are `end`, `start` and `anywhere`",
        )?;
        if edge == Edge::Anywhere {
            if self.has(Key::Within) {
                self.error(
                    Key::Within,
                    "`within` counts from an edge",
                    Some("add `edge = \"end\"` or `edge = \"start\"`"),
                );
                return None;
            }
            return Some((edge, usize::MAX));
        }
        Some((edge, self.number(Key::Within).unwrap_or(default_within)))
    }

    /// A key whose value names one of `choices`; the first when the key is absent. None
    /// after an error: `unknown(value)` with `help`.
    pub fn choice<T: Copy>(
        &mut self,
        key: Key,
        choices: &[(&str, T)],
        unknown: impl FnOnce(&str) -> String,
        help: &str,
    ) -> Option<T> {
        let value = self.string(key);
        if value.is_empty() {
            return choices.first().map(|&(_, t)| t);
        }
        if let Some(&(_, t)) = choices.iter().find(|(name, _)| *name == value) {
            return Some(t);
        }
        self.error(key, unknown(&value), Some(help));
        None
    }

    /// Whether `key` is written.
    pub fn has(&self, key: Key) -> bool {
        self.raw.span(key).is_some()
    }

    /// Reports `message` at `key` (or at the action, if the key is absent).
    pub fn error(&mut self, key: Key, message: impl Into<String>, help: Option<&str>) {
        let span = self.raw.span(key).unwrap_or_else(|| self.raw.action.span());
        let mut d = self.ctx.at(span, message);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.ctx.errors.push(d);
    }
}

/// Suggests what to write instead of a selector feature lol_html lacks.
fn selector_hint(selector: &str) -> Option<&'static str> {
    let outside_brackets: String = {
        let mut depth = 0i32;
        selector
            .chars()
            .filter(|&c| {
                match c {
                    '[' | '(' => depth += 1,
                    ']' | ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .collect()
    };
    if outside_brackets.contains('+') || outside_brackets.contains('~') {
        return Some(
            "lol_html has no `+` or `~` combinator: select the element by its own class or \
             attribute, or use `remove-if-text` on its text",
        );
    }
    for (feature, hint) in [
        (
            ":has(",
            "lol_html has no `:has()`: select the inner element, or use `remove-if-text`",
        ),
        (
            ":last-child",
            "lol_html has no `:last-child`: use `:nth-child(n)` or a class",
        ),
        (
            ":last-of-type",
            "lol_html has no `:last-of-type`: use `:nth-of-type(n)` or a class",
        ),
        (":only-child", "lol_html has no `:only-child`"),
        (":nth-last-child", "lol_html has no `:nth-last-child`"),
        (
            ":empty",
            "lol_html has no `:empty`: use the `remove-empty` action",
        ),
        (
            ":is(",
            "lol_html has no `:is()`: write a selector list `a, b`",
        ),
        (
            ":where(",
            "lol_html has no `:where()`: write a selector list `a, b`",
        ),
        (":root", "lol_html has no `:root`: use `html`"),
    ] {
        if selector.contains(feature) {
            return Some(hint);
        }
    }
    let unquoted_value = selector.match_indices('=').any(|(i, _)| {
        !matches!(
            selector[i + 1..].trim_start().chars().next(),
            Some('\'' | '"')
        )
    });
    if unquoted_value {
        return Some("unquoted attribute values must be CSS identifiers: write [width='0px']");
    }
    None
}

/// The tag names a selector lists, lowercase, if it is nothing but a list of them.
fn plain_tags(selector: &str) -> Option<Vec<String>> {
    selector
        .split(',')
        .map(|t| {
            let t = t.trim();
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| t.to_ascii_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_hints_name_the_missing_feature() {
        assert!(selector_hint("h2 + p").unwrap().contains("`+`"));
        assert!(selector_hint("div:has(a)").unwrap().contains(":has"));
        assert!(
            selector_hint("li:last-child")
                .unwrap()
                .contains(":last-child")
        );
        assert!(selector_hint("a[href~='x+y']").is_none());
    }

    #[test]
    fn plain_tag_lists_are_told_apart() {
        assert_eq!(plain_tags("div, P"), Some(vec!["div".into(), "p".into()]));
        assert_eq!(plain_tags("div.x, p"), None);
        assert_eq!(plain_tags("*"), None);
    }

    #[test]
    fn name_tests_agree_with_their_pattern() {
        for pattern in ["^on", "^data-lazy", "^(on|data)", "src$"] {
            let test = NameTest::new(LazyRegex::on_first_use(pattern));
            for name in ["onclick", "ONLOAD", "data-lazy-src", "data-x", "src", "alt"] {
                assert_eq!(
                    test.matches(name.as_bytes()),
                    test.pattern.is_match(&name.to_ascii_lowercase()),
                    "{pattern} {name}"
                );
            }
        }
    }
}
