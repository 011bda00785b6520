//! An Aho-Corasick automaton for ASCII literals matched ASCII-case-insensitively, as one
//! flat table: what the prefilter (`rules::needs`) runs over every document.
//!
//! The general automata of the `aho-corasick` crate map each byte to a class before each
//! step, and their DFA took most of the prefilter's building (as much as scanning a hundred
//! pages). Here a step is one table read, `next = table[state + byte]`, with state ids
//! premultiplied by the row length and a high bit set on the steps into a state where a
//! pattern ends, so that one test tells whether a step found anything. The table is filled
//! breadth-first from the trie, each missing step taken from the state's failure link,
//! which comes earlier in that order.

/// A row per state, a column per ASCII byte.
const ROW: usize = 128;
/// No state: a trie step not taken, or no pattern.
const NONE: u32 = u32::MAX;
/// Set on a step into a state where a pattern ends.
const ENDS: u32 = 1 << 31;

/// The automaton: built once, then only read.
#[derive(Debug)]
pub struct AsciiAutomaton {
    /// `table[state + byte]` for ASCII bytes: the next state, premultiplied by [`ROW`], with
    /// [`ENDS`] set where a pattern ends there.
    table: Vec<u32>,
    /// Per state (by row): the first pattern ending there, [`NONE`] for a state none ends in
    /// (where one ending further down its failure chain may).
    ends: Vec<u32>,
    /// Per state: the next state down its failure chain where a pattern ends, or [`NONE`].
    down: Vec<u32>,
    /// Per pattern: the next pattern ending at the same state (patterns equal but for case).
    same: Vec<u32>,
}

impl AsciiAutomaton {
    /// The automaton of `patterns`, found ASCII-case-insensitively. None when one of them is
    /// empty or not ASCII, or there are too many states for the ids.
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<AsciiAutomaton> {
        // The trie: `table` holds its steps (NONE where none is taken), in lowercase, by
        // state number.
        let mut table = vec![NONE; ROW];
        let mut ends: Vec<u32> = vec![NONE];
        let mut same: Vec<u32> = Vec::new();
        // Per state: its steps in the trie, by lowercase byte.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        for (id, pattern) in patterns.into_iter().enumerate() {
            if pattern.is_empty() || !pattern.is_ascii() {
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
        Some(AsciiAutomaton {
            table,
            ends,
            down,
            same,
        })
    }

    /// Calls `found(pattern, end)` for every occurrence of every pattern in `doc`, `end`
    /// the offset just past it, in order of `end` (the same pattern may be reported more
    /// than once). A run of bytes that are not ASCII ends any occurrence under way.
    pub fn each_match(&self, doc: &[u8], mut found: impl FnMut(usize, usize)) {
        let mut state = 0u32;
        let mut at = 0;
        while at < doc.len() {
            let (taken, next) = steps(&self.table, &doc[at..], state);
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
            let mut s = state as usize / ROW;
            if self.ends[s] == NONE {
                s = self.down[s] as usize;
            }
            loop {
                let mut id = self.ends[s];
                while id != NONE {
                    found(id as usize, at);
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
