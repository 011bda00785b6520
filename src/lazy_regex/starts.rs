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
//! layer's, Unicode classes and case folding): the build lists a built-in rule's (see
//! `required::start_prefixes`), read at once; any other rule lists them only once it has
//! been asked about [`LIST_AFTER`] bytes of text: a run over a tree pays it once, a single
//! small page not at all.

use super::LazyRegex;
use super::required::start_prefixes;
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

/// Prefixes, sorted, none empty: every match begins with one of them.
#[derive(Debug)]
struct Prefixes {
    sorted: Sorted,
    /// Where those with each first byte begin in `sorted` (at 256: its end).
    at: Box<[u32; 257]>,
}

/// Sorted prefixes, none empty.
#[derive(Debug)]
enum Sorted {
    /// As the build listed them, for a built-in rule's pattern: read in place.
    Built(&'static [&'static [u8]]),
    /// As listed at run time.
    Listed(Vec<Vec<u8>>),
}

impl Starts {
    /// Whether `text` may match `pattern` (always the same pattern for one `Starts`):
    /// false only when the pattern matches only at the start and the text begins with
    /// none of its matches' prefixes.
    pub fn admit(&self, pattern: &LazyRegex, text: &str) -> bool {
        let listed = &*self.0;
        let prefixes = match listed.prefixes.get() {
            Some(prefixes) => prefixes,
            None => match super::known_starts(pattern.as_str()) {
                Some(known) => listed
                    .prefixes
                    .get_or_init(|| known.map(|k| Prefixes::new(Sorted::Built(k)))),
                None => {
                    let asked = listed.asked.fetch_add(text.len(), Ordering::Relaxed);
                    if asked.saturating_add(text.len()) < LIST_AFTER {
                        return true;
                    }
                    listed.prefixes.get_or_init(|| prefixes(pattern.as_str()))
                }
            },
        };
        prefixes.as_ref().is_none_or(|p| p.begin(text.as_bytes()))
    }
}

impl Prefixes {
    fn new(sorted: Sorted) -> Prefixes {
        let mut at = Box::new([0u32; 257]);
        let mut count = |p: &[u8]| {
            if let Some(&first) = p.first() {
                at[usize::from(first) + 1] += 1;
            }
        };
        match &sorted {
            Sorted::Built(list) => list.iter().for_each(|p| count(p)),
            Sorted::Listed(list) => list.iter().for_each(|p| count(p)),
        }
        for b in 0..256 {
            at[b + 1] += at[b];
        }
        Prefixes { sorted, at }
    }

    /// Whether `text` begins with one of the prefixes.
    fn begin(&self, text: &[u8]) -> bool {
        let Some(&first) = text.first() else {
            return false;
        };
        let b = usize::from(first);
        let (from, to) = (self.at[b] as usize, self.at[b + 1] as usize);
        match &self.sorted {
            Sorted::Built(list) => list[from..to].iter().any(|p| text.starts_with(p)),
            Sorted::Listed(list) => list[from..to].iter().any(|p| text.starts_with(p)),
        }
    }
}

/// The prefixes every match of `pattern` begins with one of, when every match starts at
/// the start of the haystack and they are few enough to list; None otherwise (any text
/// may match).
fn prefixes(pattern: &str) -> Option<Prefixes> {
    start_prefixes(pattern).map(|listed| Prefixes::new(Sorted::Listed(listed)))
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
