//! The rule prefilter's automaton (`rules::needs`): ASCII literals found
//! ASCII-case-insensitively over every document, an [`automaton::Table`](crate::automaton)
//! of 128 columns stepped four bytes at a time through ASCII and skipping the runs of other
//! bytes (a Chinese text is mostly such runs), which no pattern spans.

use crate::automaton::{ENDS, Table};

/// A row per state, a column per ASCII byte.
const ROW: usize = 128;

/// The automaton: built once, then only read.
#[derive(Debug)]
pub struct AsciiAutomaton(Table<ROW>);

impl AsciiAutomaton {
    /// The automaton of `patterns`, found ASCII-case-insensitively. None when one of them is
    /// empty or not ASCII, or there are too many states for the ids.
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<AsciiAutomaton> {
        Table::new(patterns).map(AsciiAutomaton)
    }

    /// Calls `found(pattern, end)` for every occurrence of every pattern in `doc`, `end`
    /// the offset just past it, in order of `end` (the same pattern may be reported more
    /// than once). A run of bytes that are not ASCII ends any occurrence under way.
    pub fn each_match(&self, doc: &[u8], mut found: impl FnMut(usize, usize)) {
        let mut found = |id, end| {
            found(id, end);
            false
        };
        let mut state = 0u32;
        let mut at = 0;
        while at < doc.len() {
            let (taken, next) = steps(self.0.steps(), &doc[at..], state);
            at += taken;
            state = next;
            if state & ENDS == 0 {
                // A byte that is not ASCII, or the end. Patterns are ASCII: none spans a
                // run of other bytes (a Chinese text is mostly such runs), so the run is
                // skipped and the search starts afresh.
                at += crate::text::skip_non_ascii(&doc[at..]);
                state = 0;
                continue;
            }
            state &= !ENDS;
            self.0.report(state, at, &mut found);
        }
    }
}

/// Steps from `state` through `doc` until a step into a state where a pattern ends (its
/// [`ENDS`] bit set), a byte that is not ASCII, or the end: the bytes taken, and the state.
/// Four bytes at a time while all four are ASCII. (Kept apart, with little in hand, so that
/// its loop keeps everything in registers.)
#[inline(never)]
fn steps(table: &[u32], doc: &[u8], state: u32) -> (usize, u32) {
    let mut state = state as usize;
    let mut taken = 0;
    let words = doc.chunks_exact(4);
    for word in words {
        if u32::from_le_bytes([word[0], word[1], word[2], word[3]]) & 0x8080_8080 != 0 {
            break;
        }
        for &b in word {
            state = table[state + usize::from(b)] as usize;
            taken += 1;
            if state & ENDS as usize != 0 {
                return (taken, state as u32);
            }
        }
    }
    for &b in &doc[taken..] {
        if b >= 0x80 {
            break;
        }
        state = table[state + usize::from(b)] as usize;
        taken += 1;
        if state & ENDS as usize != 0 {
            break;
        }
    }
    (taken, state as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pattern's id and the offset just past one of its occurrences.
    type Found = Vec<(usize, usize)>;

    /// Every occurrence the automaton reports, and what a naive search finds.
    fn both(patterns: &[&str], doc: &str) -> (Found, Found) {
        let a = AsciiAutomaton::new(patterns.iter().copied()).unwrap();
        let mut got = Vec::new();
        a.each_match(doc.as_bytes(), |p, end| got.push((p, end)));
        got.sort_unstable();
        let lower = doc.to_ascii_lowercase();
        let mut want = Vec::new();
        for (p, pat) in patterns.iter().enumerate() {
            let pat = pat.to_ascii_lowercase();
            for end in pat.len()..=lower.len() {
                if lower.is_char_boundary(end - pat.len())
                    && lower.as_bytes()[end - pat.len()..end] == *pat.as_bytes()
                {
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
            "<div", "ad", "ad-box", "d-b", "box", "AD", "<!--", "a", "xyz",
        ];
        for doc in [
            "<DIV class=\"ad-box\">",
            "aad-boxbox <!-- ad -->",
            "no match here?",
            "正文ad中文<div>a",
            "",
            "xyxyz AdAD",
            "ab正c<div class=ad-box>xyz 中ad-box<!-- x --> AD-BOX xyz",
        ] {
            let (got, want) = both(&patterns, doc);
            assert_eq!(got, want, "{doc}");
        }
    }

    #[test]
    fn a_run_of_other_bytes_cuts_an_occurrence() {
        let (got, _) = both(&["ad-box"], "ad-字box ad-box");
        assert_eq!(got, [(0, 16)]);
    }

    #[test]
    fn empty_or_other_patterns_build_nothing() {
        assert!(AsciiAutomaton::new(["a", ""]).is_none());
        assert!(AsciiAutomaton::new(["中"]).is_none());
        assert!(AsciiAutomaton::new(std::iter::empty()).is_some());
    }
}
