//! An Aho-Corasick automaton for literals of any bytes, ASCII letters matched in either
//! case, as one flat table: what a [`LiteralSet`](super::LiteralSet) searches block texts
//! with.
//!
//! The `aho-corasick` crate's DFA took a [`LiteralSet`](super::LiteralSet) most of its cost
//! on the corpus: building it (after its NFA, built first for the first searches) cost
//! more than all the searches together. Here, as in `rules::ascii_automaton`, a step is one
//! table read, `next = table[state + byte]`, with state ids premultiplied by the row length
//! and a high bit set on the steps into a state where a pattern ends; the table is filled
//! breadth-first from the trie, each missing step taken from the state's failure link,
//! which comes earlier in that order. A row holds a column for every byte value.

/// A row per state, a column per byte value.
const ROW: usize = 256;
/// No state: a trie step not taken, or no pattern.
const NONE: u32 = u32::MAX;
/// Set on a step into a state where a pattern ends.
const ENDS: u32 = 1 << 31;

/// The automaton: built once, then only read.
#[derive(Debug)]
pub(super) struct ByteAutomaton {
    /// `table[state + byte]`: the next state, premultiplied by [`ROW`], with [`ENDS`] set
    /// where a pattern ends there.
    table: Vec<u32>,
    /// Per state (by row): the first pattern ending there, [`NONE`] for a state none ends in
    /// (where one ending further down its failure chain may).
    ends: Vec<u32>,
    /// Per state: the next state down its failure chain where a pattern ends, or [`NONE`].
    down: Vec<u32>,
    /// Per pattern: the next pattern ending at the same state (patterns equal but for
    /// ASCII case).
    same: Vec<u32>,
}

impl ByteAutomaton {
    /// The automaton of `patterns`, their ASCII letters found in either case. None when one
    /// of them is empty, or there are too many states for the ids.
    pub(super) fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<ByteAutomaton> {
        // The trie: `table` holds its steps (NONE where none is taken), ASCII letters in
        // lowercase, by state number.
        let mut table = vec![NONE; ROW];
        let mut ends: Vec<u32> = vec![NONE];
        let mut same: Vec<u32> = Vec::new();
        // Per state: its steps in the trie, by lowercase byte.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        for (id, pattern) in patterns.into_iter().enumerate() {
            if pattern.is_empty() {
                return None;
            }
            let mut state = 0usize;
            for b in pattern.bytes() {
                let lower = b.to_ascii_lowercase();
                let at = state * ROW + usize::from(lower);
                if table[at] == NONE {
                    let child = u32::try_from(ends.len()).ok()?;
                    table[at] = child;
                    table.extend(std::iter::repeat_n(NONE, ROW));
                    ends.push(NONE);
                    children[state].push((lower, child));
                    children.push(Vec::new());
                }
                state = table[at] as usize;
            }
            let id = u32::try_from(id).ok()?;
            same.push(ends[state]);
            ends[state] = id;
        }
        let states = ends.len();
        if states.checked_mul(ROW)? >= ENDS as usize {
            return None;
        }

        // Breadth first: each state's failure link is shallower, so its row is complete
        // (and premultiplied, and marked) when the state's own row is filled from it: a
        // copy of the link's row, then the state's own steps.
        let mut fail = vec![0usize; states];
        let mut down = vec![NONE; states];
        let mut order: Vec<usize> = Vec::with_capacity(states);
        order.push(0);
        let mut next = 0;
        while let Some(&s) = order.get(next) {
            next += 1;
            let row = s * ROW;
            if s == 0 {
                for step in &mut table[..ROW] {
                    if *step == NONE {
                        *step = 0;
                    }
                }
            } else {
                let f = fail[s] * ROW;
                table.copy_within(f..f + ROW, row);
            }
            for &(byte, child) in &children[s] {
                let (b, c) = (usize::from(byte), child as usize);
                let link = if s == 0 { 0 } else { table[row + b] };
                let l = (link & !ENDS) as usize / ROW;
                fail[c] = l;
                down[c] = if ends[l] != NONE { l as u32 } else { down[l] };
                let mark = if ends[c] != NONE || down[c] != NONE {
                    ENDS
                } else {
                    0
                };
                table[row + b] = (c * ROW) as u32 | mark;
                // Case: an uppercase letter steps as its lowercase does.
                if byte.is_ascii_lowercase() {
                    table[row + usize::from(byte.to_ascii_uppercase())] = table[row + b];
                }
                order.push(c);
            }
        }
        Some(ByteAutomaton {
            table,
            ends,
            down,
            same,
        })
    }

    /// Calls `found(pattern, end)` for every occurrence of every pattern in `haystack`,
    /// `end` the offset just past it, in order of `end`, until `found` answers that it has
    /// seen enough (true).
    pub(super) fn each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, usize) -> bool) {
        let mut state = 0u32;
        let mut at = 0;
        while at < haystack.len() {
            let (taken, next) = steps(&self.table, &haystack[at..], state);
            at += taken;
            if next & ENDS == 0 {
                // The end.
                return;
            }
            state = next & !ENDS;
            let mut s = state as usize / ROW;
            if self.ends[s] == NONE {
                s = self.down[s] as usize;
            }
            loop {
                let mut id = self.ends[s];
                while id != NONE {
                    if found(id as usize, at) {
                        return;
                    }
                    id = self.same[id as usize];
                }
                match self.down[s] {
                    NONE => break,
                    d => s = d as usize,
                }
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
