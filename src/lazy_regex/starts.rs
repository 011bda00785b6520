//! The prefixes a block's text must begin with for a block rule's pattern to match it,
//! when every match of the pattern starts where the text does (`^…`, each branch).
//!
//! A rule that looks anywhere is asked about nearly every short block of every article:
//! `^(listen|subscribe|follow)…|^(收听|收聽|订阅|訂閱)…` cannot take a block that begins with
//! none of those words, which its first bytes tell at once, where looking for the
//! pattern's literals reads the whole text. The answer is the pattern's: a text ruled out
//! here holds no match.
//!
//! Listing the prefixes parses the pattern (a few million instructions for the generic
//! layer's, Unicode classes and case folding), so a rule lists them only once it has been
//! asked about [`LIST_AFTER`] bytes of text: a run over a tree pays it once, a single small
//! page not at all.

use super::LazyRegex;
use regex_syntax::hir::Look;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The prefixes of a pattern's matches, listed once the rule has been asked about enough
/// text, and shared by the rule's clones.
#[derive(Debug, Clone, Default)]
pub struct Starts(Arc<Listed>);

#[derive(Debug, Default)]
struct Listed {
    /// Bytes of text asked about before the prefixes were listed.
    asked: AtomicUsize,
    prefixes: OnceLock<Option<Prefixes>>,
}

/// How many bytes of text a rule is asked about before its prefixes are listed: about what
/// looking for its literals in them costs, against parsing the pattern.
const LIST_AFTER: usize = 256 << 10;

/// Prefixes, by their first byte: every match begins with one of them.
#[derive(Debug)]
struct Prefixes(Vec<Vec<Box<[u8]>>>);

impl Starts {
    /// Whether `text` may match `pattern` (always the same pattern for one `Starts`):
    /// false only when the pattern matches only at the start and the text begins with
    /// none of its matches' prefixes.
    pub fn admit(&self, pattern: &LazyRegex, text: &str) -> bool {
        let listed = &*self.0;
        let prefixes = match listed.prefixes.get() {
            Some(prefixes) => prefixes,
            None => {
                let asked = listed.asked.fetch_add(text.len(), Ordering::Relaxed);
                if asked.saturating_add(text.len()) < LIST_AFTER {
                    return true;
                }
                listed.prefixes.get_or_init(|| prefixes(pattern.as_str()))
            }
        };
        let Some(Prefixes(by_first)) = prefixes else {
            return true;
        };
        let text = text.as_bytes();
        text.first()
            .is_some_and(|&b| by_first[usize::from(b)].iter().any(|p| text.starts_with(p)))
    }
}

/// The prefixes every match of `pattern` begins with one of, when every match starts at
/// the start of the haystack and they are few enough to list; None otherwise (any text
/// may match).
fn prefixes(pattern: &str) -> Option<Prefixes> {
    // The regex crate's own syntax defaults, as the pattern is compiled with.
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    // Every match begins with one of these (the whole match, when exact); an infinite
    // sequence says nothing.
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let mut by_first: Vec<Vec<Box<[u8]>>> = vec![Vec::new(); 256];
    for literal in seq.literals()? {
        // An empty prefix: a match may begin with any byte, or be empty.
        let &first = literal.as_bytes().first()?;
        by_first[usize::from(first)].push(literal.as_bytes().into());
    }
    Some(Prefixes(by_first))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a rule asked about enough text already says of `text`.
    fn admits(pattern: &str, text: &str) -> bool {
        let regex = LazyRegex::ready(regex::Regex::new(pattern).unwrap());
        let starts = Starts::default();
        starts.0.asked.store(LIST_AFTER, Ordering::Relaxed);
        starts.admit(&regex, text)
    }

    #[test]
    fn a_rule_asked_about_little_text_lists_nothing() {
        let regex = LazyRegex::ready(regex::Regex::new("^listen").unwrap());
        let starts = Starts::default();
        assert!(starts.admit(&regex, "本期播客"));
        assert!(starts.0.prefixes.get().is_none());
        starts.admit(&regex, &"播".repeat(LIST_AFTER / 3));
        assert!(starts.0.prefixes.get().is_some());
        assert!(!starts.admit(&regex, "本期播客"));
    }

    #[test]
    fn an_anchored_pattern_rules_out_texts_by_how_they_begin() {
        let p = r"(?i)^(listen|follow) on|^(收听|订阅).{0,5}播客";
        assert!(admits(p, "Listen on Spotify"));
        assert!(admits(p, "收听本期播客"));
        assert!(admits(p, "FOLLOW ON us"));
        assert!(!admits(p, "follow"), "the start of a match, not a match");
        assert!(!admits(p, "Please listen on Spotify"));
        assert!(!admits(p, "本期播客"), "the same first byte as 收");
        assert!(!admits(p, "《本期播客》"));
        assert!(!admits(p, ""));
    }

    #[test]
    fn other_patterns_admit_every_text() {
        for p in [
            "listen",
            r"^listen|follow",
            r"(?m)^listen",
            r"^\W{0,3}listen",
            r"^(x)?listen|^$",
        ] {
            assert!(admits(p, "本期播客"), "{p}");
            assert!(admits(p, ""), "{p}");
        }
    }

    #[test]
    fn what_is_ruled_out_never_matches() {
        let patterns = [
            r"(?i)^(listen|subscribe|follow)( (to|on))?[^.。]{0,60}(spotify|stitcher)",
            r"^[（(*\s]*(本文|此文)",
            r"(?i)^this article",
            r"^(#[^\s#]{1,30}\s*){1,12}$",
            r"(?i)^ſ",
        ];
        let texts = [
            "Subscribe to us on Spotify",
            "ſubscribe on stitcher",
            "(本文",
            "#a #b",
            "This article",
            "本文",
            "sx",
            "",
            " x",
        ];
        for p in patterns {
            let regex = regex::Regex::new(p).unwrap();
            for t in texts {
                if regex.is_match(t) {
                    assert!(admits(p, t), "{p} {t}");
                }
            }
        }
    }
}
