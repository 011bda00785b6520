//! The block rules' literal sets' automaton ([`LiteralSet`](super::LiteralSet)): literals
//! of any bytes, ASCII letters found in either case, an
//! [`automaton::Table`](crate::automaton) with a column for every byte value.

use crate::automaton::{ENDS, Table};

/// A row per state, a column per byte value.
const ROW: usize = 256;

/// The automaton: built once, then only read.
#[derive(Debug)]
pub(super) struct ByteAutomaton(Table<ROW>);

impl ByteAutomaton {
    /// The automaton of `patterns`, their ASCII letters found in either case. None when one
    /// of them is empty, or there are too many states for the ids.
    pub(super) fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<ByteAutomaton> {
        Table::new(patterns).map(ByteAutomaton)
    }

    /// Calls `found(pattern, end)` for every occurrence of every pattern in `haystack`,
    /// `end` the offset just past it, in order of `end`, until `found` answers that it has
    /// seen enough (true).
    pub(super) fn each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, usize) -> bool) {
        let mut state = 0u32;
        let mut at = 0;
        while at < haystack.len() {
            let (taken, next) = steps(self.0.steps(), &haystack[at..], state);
            at += taken;
            if next & ENDS == 0 {
                // The end.
                return;
            }
            state = next & !ENDS;
            if self.0.report(state, at, &mut found) {
                return;
            }
        }
    }
}

/// Steps from `state` through `haystack` until a step into a state where a pattern ends
/// (its [`ENDS`] bit set), or the end: the bytes taken, and the state. (Kept apart, with
/// little in hand, so that its loop keeps everything in registers.)
#[inline(never)]
fn steps(table: &[u32], haystack: &[u8], state: u32) -> (usize, u32) {
    let mut state = state as usize;
    for (i, &b) in haystack.iter().enumerate() {
        state = table[state + usize::from(b)] as usize;
        if state & ENDS as usize != 0 {
            return (i + 1, state as u32);
        }
    }
    (haystack.len(), state as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pattern's id and the offset just past one of its occurrences.
    type Found = Vec<(usize, usize)>;

    /// Every occurrence the automaton reports, and what a naive search finds.
    fn both(patterns: &[&str], haystack: &str) -> (Found, Found) {
        let a = ByteAutomaton::new(patterns.iter().copied()).unwrap();
        let mut got = Vec::new();
        a.each_match(haystack.as_bytes(), |p, end| {
            got.push((p, end));
            false
        });
        got.sort_unstable();
        let h = haystack.as_bytes();
        let mut want = Vec::new();
        for (p, pat) in patterns.iter().enumerate() {
            let pat = pat.as_bytes();
            for end in pat.len()..=h.len() {
                if h[end - pat.len()..end].eq_ignore_ascii_case(pat) {
                    want.push((p, end));
                }
            }
        }
        want.sort_unstable();
        (got, want)
    }

    #[test]
    fn finds_every_occurrence_of_every_pattern_as_a_naive_search_does() {
        let patterns = [
            "原文",
            "原文链接",
            "文链",
            "Copyright",
            "copy",
            "版权",
            "AD",
            "a",
            "【大纪元",
            "ſ",
        ];
        for haystack in [
            "原文链接：http://a",
            "COPYRIGHT 版权所有 copyright",
            "【大纪元2020年】 ad Ad aD",
            "ſum ſ",
            "",
            "x",
            "原原文文链链接",
        ] {
            let (got, want) = both(&patterns, haystack);
            assert_eq!(got, want, "{haystack}");
        }
    }

    #[test]
    fn the_search_stops_when_told() {
        let a = ByteAutomaton::new(["ab", "b"]).unwrap();
        let mut got = Vec::new();
        a.each_match(b"xabab", |p, end| {
            got.push((p, end));
            p == 1
        });
        assert_eq!(got, [(0, 3), (1, 3)]);
    }

    #[test]
    fn an_empty_pattern_builds_nothing() {
        assert!(ByteAutomaton::new(["a", ""]).is_none());
        assert!(ByteAutomaton::new(std::iter::empty()).is_some());
    }
}
