//! An Aho-Corasick automaton as one flat table, built once and then only read: the rule
//! prefilter (`rules::ascii_automaton`, ASCII columns) and the block rules' literal sets
//! (`lazy_regex::byte_automaton`, a column for every byte) step through it, each with the
//! loop that suits the text it scans.
//!
//! The general automata of the `aho-corasick` crate map each byte to a class before each
//! step, and building their DFA cost more than the searches it served. Here a step is one
//! table read, `next = table[state + byte]`, with state ids premultiplied by the row length
//! and a high bit ([`ENDS`]) set on the steps into a state where a pattern ends, so that
//! one test tells whether a step found anything. The table is filled breadth-first from the
//! trie: a state's row is a copy of its failure link's row (shallower, so already
//! complete) with its own steps set over it. ASCII letters are found in either case.

/// No state: a trie step not taken, or no pattern.
const NONE: u32 = u32::MAX;
/// Set on a step into a state where a pattern ends.
pub(crate) const ENDS: u32 = 1 << 31;

/// The automaton of a set of patterns, with `ROW` columns a state: a pattern holding a byte
/// of `ROW` or above has no column and builds no automaton.
#[derive(Debug)]
pub(crate) struct Table<const ROW: usize> {
    /// `table[state + byte]`: the next state, premultiplied by `ROW`, with [`ENDS`] set
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

impl<const ROW: usize> Table<ROW> {
    /// The automaton of `patterns`, their ASCII letters found in either case. None when one
    /// of them is empty or holds a byte without a column, or there are too many states for
    /// the ids.
    pub(crate) fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<Self> {
        // The trie, its steps listed by state: the table is made once the states are
        // counted (grown a row at a time, it was copied again and again: half of the
        // 7 M instructions its 24 automata took to build in a corpus run), and the root's
        // steps are indexed by byte.
        let mut root = [NONE; ROW];
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
                if usize::from(lower) >= ROW {
                    return None;
                }
                let taken = match state {
                    0 => Some(root[usize::from(lower)]).filter(|&c| c != NONE),
                    _ => children[state]
                        .iter()
                        .find(|&&(byte, _)| byte == lower)
                        .map(|&(_, c)| c),
                };
                state = match taken {
                    Some(child) => child as usize,
                    None => {
                        let child = u32::try_from(ends.len()).ok()?;
                        if state == 0 {
                            root[usize::from(lower)] = child;
                        }
                        ends.push(NONE);
                        children[state].push((lower, child));
                        children.push(Vec::new());
                        child as usize
                    }
                };
            }
            let id = u32::try_from(id).ok()?;
            same.push(ends[state]);
            ends[state] = id;
        }
        let states = ends.len();
        if states.checked_mul(ROW)? >= ENDS as usize {
            return None;
        }
        // Every row but the root's is filled below before it is read, from its failure
        // link's.
        let mut table = vec![0; states * ROW];

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
            // The root's row is 0 as made: a step it does not take goes back to it.
            if s != 0 {
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
        Some(Table {
            table,
            ends,
            down,
            same,
        })
    }

    /// The steps: `steps()[state + byte]`, as the module describes.
    pub(crate) fn steps(&self) -> &[u32] {
        &self.table
    }

    /// Calls `found(pattern, at)` for every pattern ending at `state` (a step's target, its
    /// [`ENDS`] bit cleared), until `found` answers that it has seen enough: whether it did.
    #[inline]
    pub(crate) fn report(
        &self,
        state: u32,
        at: usize,
        found: &mut impl FnMut(usize, usize) -> bool,
    ) -> bool {
        let mut s = state as usize / ROW;
        if self.ends[s] == NONE {
            s = self.down[s] as usize;
        }
        loop {
            let mut id = self.ends[s];
            while id != NONE {
                if found(id as usize, at) {
                    return true;
                }
                id = self.same[id as usize];
            }
            match self.down[s] {
                NONE => return false,
                d => s = d as usize,
            }
        }
    }
}
