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

use super::Rule;
use super::ascii_automaton::AsciiAutomaton;
use crate::actions::literals::{Literal, is_safe};
use std::collections::HashMap;

/// What a rule needs, as literal ids: any alternative whose literals are all present.
#[derive(Debug, Clone, Default)]
pub enum Needs {
    /// Nothing can be ruled out: the rule runs on every document.
    #[default]
    Always,
    AnyOf(Vec<Vec<u32>>),
}

/// Literal ids shared by every rule of a catalog, each rule's needs, and the automaton that
/// finds the literals. Built once for a catalog and its clones, when enough documents have
/// been read for it to pay (see `Catalog::can_act`): a streamed document never needs it,
/// and its table takes over a megabyte.
#[derive(Debug, Default)]
pub struct Prefilter {
    ids: HashMap<Literal, u32>,
    literals: Vec<Literal>,
    /// Each file's rules' needs, in file order, by file key.
    needs: HashMap<String, Vec<Needs>>,
    automaton: Option<AsciiAutomaton>,
}

impl Prefilter {
    /// The prefilter of every rule of `files` (key and rules).
    pub fn build<'a>(files: impl Iterator<Item = (&'a str, &'a [Rule])>) -> Prefilter {
        let mut p = Prefilter::default();
        for (key, rules) in files {
            let needs = rules.iter().map(|r| p.intern(r.action.needs())).collect();
            p.needs.insert(key.to_string(), needs);
        }
        p.finish();
        p
    }

    /// The needs of the rules of the file `key`, in file order (none for a file it was not
    /// built with: its rules then always run).
    pub fn needs_of(&self, key: &str) -> &[Needs] {
        self.needs.get(key).map_or(&[], Vec::as_slice)
    }

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

    /// Every rule is interned: builds the automaton.
    pub fn finish(&mut self) {
        let patterns = self.literals.iter().map(|l| match l {
            Literal::Text(t) | Literal::AttrName(t) => t.as_str(),
        });
        self.automaton = AsciiAutomaton::new(patterns);
    }

    /// Which literals `doc` contains, by id; None when every rule must run.
    /// (Kept out of its caller: inlined there, its loop took 13 M more instructions on the
    /// corpus.)
    #[inline(never)]
    pub fn scan(&self, doc: &[u8]) -> Option<Vec<bool>> {
        let automaton = self.automaton.as_ref()?;
        if spells_safe_character(doc) {
            return None;
        }
        let mut found = vec![false; self.literals.len()];
        automaton.each_match(doc, |id, end| {
            if found[id] {
                return;
            }
            if let Literal::AttrName(name) = &self.literals[id] {
                // The byte before the name must end what came before an attribute.
                let before = end.checked_sub(name.len() + 1).map(|p| doc[p]);
                if !before.is_some_and(|b| {
                    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'"' | b'\'')
                }) {
                    return;
                }
            }
            found[id] = true;
        });
        Some(found)
    }
}

impl Needs {
    /// Which of the rule's alternatives a document with the literals `found` may match,
    /// when it may match some but not all of several; None otherwise.
    pub fn parts_met(&self, found: &[bool]) -> Option<Vec<bool>> {
        let Needs::AnyOf(alternatives) = self else {
            return None;
        };
        let met = |all: &Vec<u32>| all.iter().all(|&id| found[id as usize]);
        // Most rules have one alternative, or a page that holds them all: nothing is made.
        if alternatives.len() < 2 || alternatives.iter().all(met) {
            return None;
        }
        let parts: Vec<bool> = alternatives.iter().map(met).collect();
        parts.contains(&true).then_some(parts)
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::literals::of_selector;

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
    fn a_scan_tells_which_alternatives_of_a_list_can_match() {
        let (p, needs) = prefilter(&[".sr-only, .off-screen, iframe[src*='like']", "div.ad"]);
        let found = p
            .scan(b"<span class=\"off-screen\">Image caption</span>")
            .unwrap();
        assert_eq!(needs[0].parts_met(&found), Some(vec![false, true, false]));
        // One alternative of one, or every alternative of several: nothing to cut.
        assert_eq!(
            needs[1].parts_met(&p.scan(b"<div class=ad>").unwrap()),
            None
        );
        let all = p
            .scan(b"<b class='sr-only off-screen'><iframe src=like>")
            .unwrap();
        assert_eq!(needs[0].parts_met(&all), None);
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
