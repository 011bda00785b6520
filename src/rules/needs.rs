//! Which rules can act on a document at all, told by one scan of its bytes.
//!
//! lol_html evaluates every selector on every start tag, so its cost grows with the number
//! of selectors (367 MB/s with 30, 159 MB/s with 130), and building a rewriter costs more
//! with each. Most of a rule set targets markup a given page does not have: one ad
//! network's class, one plugin's tag. Every selector alternative names literals the raw
//! document must contain for it to match (a tag's `<name`, a class, an id, an attribute's
//! name, a run of an attribute value), so one Aho-Corasick scan tells which rules cannot
//! fire, and the rewriter is built without them. The output is the same either way; only
//! the work changes.
//!
//! Why that is sound: literals are matched ASCII-case-insensitively and, but for a tag's
//! `<`, are made only of `[A-Za-z0-9_-]`. The one way an element could match while its
//! literal is absent from the bytes is a character reference spelling one of those
//! characters (`class="&#97;d"`); a document with such a reference runs every rule.

use super::Action;
use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A string the raw document must contain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    /// Anywhere.
    Text(String),
    /// Where an attribute name can start: after whitespace, `/` or a closing quote.
    AttrName(String),
}

/// What a rule needs, as literal ids: any alternative whose literals are all present.
#[derive(Debug, Clone, Default)]
pub enum Needs {
    /// Nothing can be ruled out: the rule runs on every document.
    #[default]
    Always,
    AnyOf(Vec<Vec<u32>>),
}

/// Shorter literals (the `0` of `[width='0']`) are in every page: they would only cost scan
/// time, each occurrence being a match to handle.
const MIN_RUN: usize = 3;
const MIN_NAME: usize = 2;

fn is_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn safe(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_safe)
}

/// The literals each alternative of a rule needs; an alternative with none could match
/// anything.
pub fn of_action(action: &Action) -> Vec<Vec<Literal>> {
    let attr = |name: &str| safe(name).then(|| Literal::AttrName(name.to_ascii_lowercase()));
    // What the action itself needs besides its selector: the attribute it works on.
    let extra = match action {
        Action::MoveAttr { from, .. } => attr(from),
        Action::RewriteAttr { attr: a, .. } => attr(a),
        Action::DropAttr { pattern, .. } => literal_prefix(pattern.as_str()).and_then(|p| attr(&p)),
        Action::RemoveComments(_) => return vec![vec![Literal::Text("<!--".into())]],
        _ => None,
    };
    let Some(css) = action.selector() else {
        return vec![Vec::new()];
    };
    let mut alternatives = of_selector(&css.text);
    for all in &mut alternatives {
        all.extend(extra.clone());
    }
    alternatives
}

/// The literals each alternative of `selector` needs.
pub fn of_selector(selector: &str) -> Vec<Vec<Literal>> {
    // Escapes would need the CSS unescaping rules: give up rather than guess.
    if selector.contains('\\') {
        return vec![Vec::new()];
    }
    match split_top_level(selector) {
        Some(parts) => parts.iter().map(|p| of_complex(p.as_bytes())).collect(),
        None => vec![Vec::new()],
    }
}

/// The literal a pattern like `^on` asks names to start with, if that is all it asks.
pub fn literal_prefix(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('^')?;
    (!rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | ':')))
    .then(|| rest.to_string())
}

/// Splits a selector list at its top-level commas.
fn split_top_level(s: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(' | b'[') => depth += 1,
            (None, b')' | b']') => depth -= 1,
            (None, b',') if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    (depth == 0 && quote.is_none()).then(|| {
        parts.push(&s[start..]);
        parts
    })
}

/// The literals one complex selector (`div.a > p[title]`) needs: every compound's. Empty
/// when it needs none or when a part is not understood.
fn of_complex(s: &[u8]) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut compound_start = true;
    while i < s.len() {
        match s[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b'>' => {
                compound_start = true;
                i += 1;
            }
            b'*' => {
                compound_start = false;
                i += 1;
            }
            b'.' | b'#' => {
                let (name, next) = ident(s, i + 1);
                if safe(name) && name.len() >= MIN_NAME {
                    out.push(Literal::Text(name.to_ascii_lowercase()));
                }
                compound_start = false;
                i = next;
            }
            b'[' => {
                let Some(next) = attribute(s, i + 1, &mut out) else {
                    return Vec::new();
                };
                compound_start = false;
                i = next;
            }
            b':' => {
                // Pseudo-classes add nothing: `:not(.x)` must not make `.x` required.
                while i < s.len() && s[i] == b':' {
                    i += 1;
                }
                i = ident(s, i).1;
                if s.get(i) == Some(&b'(') {
                    let Some(close) = closing_paren(s, i) else {
                        return Vec::new();
                    };
                    i = close + 1;
                }
                compound_start = false;
            }
            b if compound_start && (b.is_ascii_alphabetic() || b == b'_' || b >= 0x80) => {
                let (name, next) = ident(s, i);
                if safe(name) {
                    out.push(Literal::Text(format!("<{}", name.to_ascii_lowercase())));
                }
                compound_start = false;
                i = next;
            }
            _ => return Vec::new(),
        }
    }
    out
}

/// A CSS identifier starting at `i`, and the index after it.
fn ident(s: &[u8], i: usize) -> (&str, usize) {
    let end = s[i..]
        .iter()
        .position(|&b| !(is_safe(b) || b >= 0x80))
        .map_or(s.len(), |n| i + n);
    (std::str::from_utf8(&s[i..end]).unwrap_or(""), end)
}

fn closing_paren(s: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut quote) = (0, None);
    for (i, &b) in s.iter().enumerate().skip(open) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// An attribute selector's body from `i` (after `[`): pushes its literals and returns the
/// index after `]`, or None if it is not understood.
fn attribute(s: &[u8], mut i: usize, out: &mut Vec<Literal>) -> Option<usize> {
    let skip_ws = |mut i: usize| {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    i = skip_ws(i);
    let (name, next) = ident(s, i);
    if name.is_empty() {
        return None;
    }
    if safe(name) {
        out.push(Literal::AttrName(name.to_ascii_lowercase()));
    }
    i = skip_ws(next);
    match s.get(i)? {
        b']' => return Some(i + 1),
        b'=' => i += 1,
        b'~' | b'^' | b'$' | b'*' | b'|' if s.get(i + 1) == Some(&b'=') => i += 2,
        _ => return None,
    }
    i = skip_ws(i);
    let value = match s.get(i)? {
        &q @ (b'"' | b'\'') => {
            let len = s[i + 1..].iter().position(|&b| b == q)?;
            let value = &s[i + 1..i + 1 + len];
            i += len + 2;
            value
        }
        _ => {
            let (value, next) = ident(s, i);
            i = next;
            value.as_bytes()
        }
    };
    // The value as written may hold characters a page could spell as references; its
    // longest run of safe characters is in the page's bytes whenever the value is.
    if let Some(run) = value
        .split(|&b| !is_safe(b))
        .max_by_key(|run| run.len())
        .filter(|run| run.len() >= MIN_RUN)
    {
        out.push(Literal::Text(
            String::from_utf8_lossy(run).to_ascii_lowercase(),
        ));
    }
    i = skip_ws(i);
    if matches!(s.get(i), Some(b'i' | b's' | b'I' | b'S')) {
        i = skip_ws(i + 1);
    }
    (s.get(i) == Some(&b']')).then_some(i + 1)
}

/// Literal ids shared by every rule of a catalog, and the automaton that finds them.
#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    ids: HashMap<Literal, u32>,
    literals: Vec<Literal>,
    enabled: bool,
    /// Built on the first scan (a streamed document never needs it, and it is most of a
    /// megabyte), and shared by the catalog's clones.
    automaton: Arc<OnceLock<Option<DFA>>>,
}

impl Prefilter {
    /// The ids for `alternatives`, adding literals not seen before.
    pub fn intern(&mut self, alternatives: Vec<Vec<Literal>>) -> Needs {
        if alternatives.iter().any(Vec::is_empty) {
            return Needs::Always;
        }
        let mut ids = |lits: Vec<Literal>| -> Vec<u32> {
            lits.into_iter()
                .map(|l| {
                    let next = self.literals.len() as u32;
                    *self.ids.entry(l.clone()).or_insert_with(|| {
                        self.literals.push(l);
                        next
                    })
                })
                .collect()
        };
        Needs::AnyOf(alternatives.into_iter().map(&mut ids).collect())
    }

    /// Every rule is interned: the prefilter may run.
    pub fn finish(&mut self) {
        self.enabled = true;
    }

    fn automaton(&self) -> Option<&DFA> {
        if !self.enabled {
            return None;
        }
        self.automaton
            .get_or_init(|| {
                let patterns = self.literals.iter().map(|l| match l {
                    Literal::Text(t) | Literal::AttrName(t) => t.as_str(),
                });
                DFA::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .start_kind(StartKind::Unanchored)
                    .build(patterns)
                    .ok()
            })
            .as_ref()
    }

    /// Which literals `doc` contains, by id; None when every rule must run.
    pub fn scan(&self, doc: &[u8]) -> Option<Vec<bool>> {
        let dfa = self.automaton()?;
        if spells_safe_character(doc) {
            return None;
        }
        let mut found = vec![false; self.literals.len()];
        // The automaton's own loop: one table step a byte, and every literal ending at a
        // position is among its state's matches (the overlapping search, without the
        // bookkeeping of an iterator).
        let start = dfa.start_state(Anchored::No).ok()?;
        let mut state = start;
        let mut at = 0;
        while at < doc.len() {
            let b = doc[at];
            if b >= 0x80 {
                // Literals are ASCII: none spans a run of other bytes (a Chinese text is
                // mostly such runs), so the run is skipped and the search starts afresh.
                at += crate::text::skip_non_ascii(&doc[at..]);
                state = start;
                continue;
            }
            state = dfa.next_state(Anchored::No, state, b);
            at += 1;
            if !dfa.is_special(state) || !dfa.is_match(state) {
                continue;
            }
            let at = at - 1;
            for i in 0..dfa.match_len(state) {
                let id = dfa.match_pattern(state, i).as_usize();
                if found[id] {
                    continue;
                }
                if let Literal::AttrName(name) = &self.literals[id] {
                    // The byte before the name must end what came before an attribute.
                    let before = (at + 1).checked_sub(name.len() + 1).map(|p| doc[p]);
                    if !before.is_some_and(|b| {
                        matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'"' | b'\'')
                    }) {
                        continue;
                    }
                }
                found[id] = true;
            }
        }
        Some(found)
    }
}

impl Needs {
    /// Whether a document with the literals `found` may give the rule work.
    pub fn met(&self, found: &[bool]) -> bool {
        match self {
            Needs::Always => true,
            Needs::AnyOf(alternatives) => alternatives
                .iter()
                .any(|all| all.iter().all(|&id| found[id as usize])),
        }
    }
}

/// Whether `doc` has a character reference for one of the characters literals are made
/// of (`&#97;`, `&#x5F;`, `&lowbar;`).
fn spells_safe_character(doc: &[u8]) -> bool {
    for at in memchr::memmem::find_iter(doc, b"&") {
        let rest = &doc[at + 1..];
        if rest.len() >= 6
            && (rest[..6].eq_ignore_ascii_case(b"lowbar")
                || rest[..6].eq_ignore_ascii_case(b"underb"))
        {
            return true;
        }
        let Some(num) = rest.strip_prefix(b"#") else {
            continue;
        };
        let (digits, radix) = match num.first() {
            Some(b'x' | b'X') => (&num[1..], 16),
            _ => (num, 10),
        };
        let mut value: u32 = 0;
        for &d in digits.iter().take_while(|d| d.is_ascii_hexdigit()) {
            let Some(v) = (d as char).to_digit(radix) else {
                break;
            };
            value = value.saturating_mul(radix).saturating_add(v);
        }
        if value < 0x80 && is_safe(value as u8) {
            return true;
        }
    }
    false
}

/// The literals every match of `pattern` starts with, if it is anchored at the start of
/// the text (`^…`, `\A…`) and they are known and finite; None otherwise. A text that agrees
/// with none of them as far as both go cannot match, whatever follows.
pub fn anchored_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::{HirKind, Look};
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let (first, rest) = parts.split_first()?;
    if !matches!(first.kind(), HirKind::Look(Look::Start)) {
        return None;
    }
    let rest = regex_syntax::hir::Hir::concat(rest.to_vec());
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&rest);
    let literals = seq.literals()?;
    (!literals.is_empty() && literals.iter().all(|l| !l.as_bytes().is_empty()))
        .then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns_give_the_literals_their_matches_begin_with() {
        let p = |re: &str| {
            anchored_prefixes(re).map(|v| {
                let mut v: Vec<String> = v
                    .into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect();
                v.sort();
                v
            })
        };
        assert_eq!(p("^相关链接："), Some(vec!["相关链接：".into()]));
        assert_eq!(
            p("^请?微信搜索\\s*x"),
            Some(vec!["微信搜索".into(), "请微信搜索".into()])
        );
        assert_eq!(
            p("^(完整视频|点击观看视频)[：:]?$"),
            Some(
                [
                    "完整视频",
                    "完整视频:",
                    "完整视频：",
                    "点击观看视频",
                    "点击观看视频:",
                    "点击观看视频："
                ]
                .map(String::from)
                .to_vec()
            )
        );
        // Not anchored, anchored per line, or free to start anywhere: nothing to rule out by.
        assert_eq!(p("相关链接"), None);
        assert_eq!(p("(?m)^相关"), None);
        assert_eq!(p("^.*相关"), None);
        assert_eq!(p("^a|b"), None);
        assert_eq!(p("^$"), None);
    }

    fn text(s: &str) -> Literal {
        Literal::Text(s.into())
    }

    fn attr(s: &str) -> Literal {
        Literal::AttrName(s.into())
    }

    #[test]
    fn literal_prefixes_are_recognised() {
        assert_eq!(literal_prefix("^on").as_deref(), Some("on"));
        assert_eq!(literal_prefix("^data-lazy"), Some("data-lazy".into()));
        assert_eq!(literal_prefix("^on|^data"), None);
        assert_eq!(literal_prefix("on"), None);
    }

    #[test]
    fn selectors_give_their_literals() {
        assert_eq!(
            of_selector("div.ad-slot > p#top"),
            [[text("<div"), text("ad-slot"), text("<p"), text("top")]]
        );
        // Too short to be worth looking for.
        assert_eq!(
            of_selector("p#x, img[width='0']"),
            [vec![text("<p")], vec![text("<img"), attr("width")]]
        );
        assert_eq!(
            of_selector("script, link[rel='stylesheet']"),
            [
                vec![text("<script")],
                vec![text("<link"), attr("rel"), text("stylesheet")]
            ]
        );
        assert_eq!(
            of_selector("[href*=\"facebook.com/sharer\" i]"),
            [[attr("href"), text("facebook")]]
        );
        assert_eq!(of_selector("OK[Data-X]"), [[text("<ok"), attr("data-x")]]);
    }

    #[test]
    fn what_cannot_be_required_is_not() {
        // Anything at all, a negation, a value of other characters, an escape.
        let none: [Vec<Literal>; 1] = [vec![]];
        assert_eq!(of_selector("*"), none);
        assert_eq!(of_selector("p, *"), [vec![text("<p")], vec![]]);
        assert_eq!(of_selector("p:not(.keep)"), [[text("<p")]]);
        assert_eq!(of_selector("*:nth-child(2n+1)"), none);
        assert_eq!(of_selector("[title='广告']"), [[attr("title")]]);
        assert_eq!(of_selector(".a\\:b"), none);
        assert_eq!(of_selector(".广告"), none);
    }

    fn prefilter(selectors: &[&str]) -> (Prefilter, Vec<Needs>) {
        let mut p = Prefilter::default();
        let needs = selectors.iter().map(|s| p.intern(of_selector(s))).collect();
        p.finish();
        (p, needs)
    }

    #[test]
    fn a_scan_tells_which_rules_can_act() {
        let (p, needs) = prefilter(&["div.ad", "[onclick]", "img[data-src]", "*"]);
        assert!(matches!(needs[3], Needs::Always));
        let doc = b"<DIV class=\"x AD\"><p>onclick=1</p><img data-src=a></div>";
        let found = p.scan(doc).unwrap();
        let met: Vec<bool> = needs.iter().map(|n| n.met(&found)).collect();
        assert_eq!(met, [true, false, true, true]);
        let found = p.scan(b"<p onclick='x'>").unwrap();
        assert!(needs[1].met(&found));
        assert!(!needs[0].met(&found));
    }

    #[test]
    fn literals_are_found_between_runs_of_other_text() {
        let (p, needs) = prefilter(&["div.ad-box", "[data-src]"]);
        let doc = "正文正文<div class=\"x ad-box\">广告</div>中文 data-src=1".as_bytes();
        let found = p.scan(doc).unwrap();
        assert!(needs[0].met(&found) && needs[1].met(&found));
        // A literal cut by other bytes is not there.
        let found = p.scan("<div class=\"ad-字box\">".as_bytes()).unwrap();
        assert!(!needs[0].met(&found));
    }

    #[test]
    fn references_to_literal_characters_turn_the_prefilter_off() {
        let (p, _) = prefilter(&["div.ad"]);
        assert!(p.scan(b"<div class=\"&#97;d\">").is_none());
        assert!(p.scan(b"<div class=\"&#x061;d\">").is_none());
        assert!(p.scan(b"<div class=\"a&lowbar;d\">").is_none());
        assert!(p.scan(b"<p>&amp; &#8217; &#x4e2d;</p>").is_some());
    }
}
