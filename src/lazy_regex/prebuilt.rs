//! The built-in rules' forward automata, built when the binary is built: for each branch
//! of each built-in pattern (as `branches::split` splits it), the DFA a `Matcher` would
//! otherwise determinize lazily from a Thompson automaton compiled at run time, serialised
//! by the build script (`build.rs`) into one aligned blob embedded in the binary, and read
//! in place (the transition table is checked, not copied).
//!
//! A branch whose DFA would be larger than the build's cap (a bounded repetition of a large
//! Unicode class such as `.{0,120}`) has none: it ships the DFA of the branch widened
//! instead (`.*`, see `branches::widened`), whose no rules a haystack out, and is compiled
//! when a haystack first gets past that. A branch anchored at the start whose widened DFA
//! is too large as well ships the DFA of the widened branch's longest prefix that fits
//! (`branches::prefix`), whose no rules a haystack out in the same way.

use super::Known;
use super::required::Literals;
use regex_automata::dfa::{Automaton, dense, sparse};
use std::sync::OnceLock;

/// Bytes aligned for a DFA's transition table (`u32`s) to be read in place.
#[repr(C, align(8))]
struct Aligned<T: ?Sized>(T);

/// Where one DFA lies in the blob.
struct Blob {
    at: usize,
    len: usize,
    /// Dense (a table of every transition) or sparse (each state's transitions listed).
    dense: bool,
}

/// One branch of a built-in pattern, as the build split it.
struct Entry {
    /// Literals one of which every match of the branch contains (as `branches::split`
    /// gives them).
    literals: Option<Known>,
    /// The branch's DFA: none when it would be too large.
    exact: Option<Blob>,
    /// The DFA of the branch without its Unicode word boundaries, when it has any.
    loose: Option<Blob>,
    /// When the branch has no DFA (too large): the DFA of the branch widened (bounded
    /// repetitions unbounded, no word boundaries; see `branches::widened`), if it has one,
    /// else that of its longest prefix that fits (`branches::prefix`), for a branch
    /// anchored at the start. It matches wherever the branch does: its no is the branch's.
    wide: Option<Blob>,
    /// Whether the branch has a Unicode word boundary (its DFA gives up on text that is
    /// not ASCII).
    word_unicode: bool,
    /// The branch's syntax printed (`Hir`'s `Display`), for a branch a process may compile:
    /// parsed alone, it is the branch (captures aside), which the build checked.
    source: Option<&'static str>,
}

// `AUTOMATA`, the blob, and `PREBUILT`: every built-in pattern whose branches the build
// split (sorted), with each branch's entry.
include!(concat!(env!("OUT_DIR"), "/automata.rs"));

/// A DFA read from the blob, in place.
enum Dfa {
    Dense(dense::DFA<&'static [u32]>),
    Sparse(sparse::DFA<&'static [u8]>),
}

impl Dfa {
    fn read(blob: &Blob) -> Option<Dfa> {
        let bytes = AUTOMATA.0.get(blob.at..blob.at.checked_add(blob.len)?)?;
        // SAFETY: the bytes are a DFA that `build.rs` serialised with this very version of
        // regex-automata (Cargo resolves a build dependency and a dependency of the same
        // semver-compatible version to one), in the target's byte order, placed 8-aligned
        // in a blob embedded read-only in the binary: what `from_bytes_unchecked` asks. A
        // test reads every one of them with the checked `from_bytes`. Checking them here
        // would cost more than compiling some of them (a sparse DFA's check walks its
        // states with a set of those seen: about 36 instructions a byte).
        Some(if blob.dense {
            Dfa::Dense(unsafe { dense::DFA::from_bytes_unchecked(bytes) }.ok()?.0)
        } else {
            Dfa::Sparse(unsafe { sparse::DFA::from_bytes_unchecked(bytes) }.ok()?.0)
        })
    }

    /// Whether it matches in `haystack`; None when it gives up (a Unicode word boundary
    /// next to a byte that is not ASCII).
    fn is_match(&self, haystack: &str) -> Option<bool> {
        let input = regex_automata::Input::new(haystack).earliest(true);
        let found = match self {
            Dfa::Dense(dfa) => dfa.try_search_fwd(&input),
            Dfa::Sparse(dfa) => dfa.try_search_fwd(&input),
        };
        found.ok().map(|m| m.is_some())
    }
}

/// A branch's DFAs as the build made them, each read from the blob when first asked.
pub(super) struct Automata {
    entry: &'static Entry,
    exact: OnceLock<Option<Dfa>>,
    loose: OnceLock<Option<Dfa>>,
    wide: OnceLock<Option<Dfa>>,
}

impl Automata {
    /// Whether the branch matches somewhere in `haystack`, as its compiled engines would
    /// say; None when these DFAs cannot tell: the branch is then compiled.
    pub(super) fn is_match(&self, haystack: &str) -> Option<bool> {
        if self.entry.exact.is_none() {
            // Only the widened DFA: it matches wherever the branch does, so its no is the
            // answer; a yes needs the compiled branch.
            let wide = self
                .wide
                .get_or_init(|| self.entry.wide.as_ref().and_then(Dfa::read))
                .as_ref()?;
            return match wide.is_match(haystack)? {
                false => Some(false),
                true => None,
            };
        }
        let exact = || {
            self.exact
                .get_or_init(|| self.entry.exact.as_ref().and_then(Dfa::read))
                .as_ref()
        };
        if haystack.is_ascii() || !self.entry.word_unicode {
            return exact()?.is_match(haystack);
        }
        // On text that is not ASCII the exact DFA gives up at a word boundary: the
        // loosened one matches wherever it does, so its no is the answer; a yes needs the
        // compiled branch.
        let loose = self
            .loose
            .get_or_init(|| self.entry.loose.as_ref().and_then(Dfa::read))
            .as_ref()?;
        match loose.is_match(haystack)? {
            false => Some(false),
            true => None,
        }
    }
}

/// One branch of a built-in pattern as the build split it: its literals, its DFAs (none
/// when the build made none), and its own syntax printed, when the build shipped it.
pub(super) type Built = (Option<Literals>, Option<Automata>, Option<&'static str>);

/// The branches of `pattern` as the build split them, each with its literals, its DFAs
/// (none for a branch whose DFA it did not build) and its syntax printed; None when
/// `pattern` is not a built-in rule's.
pub(super) fn branches(pattern: &str) -> Option<Vec<Built>> {
    let at = PREBUILT.binary_search_by(|(p, _)| (*p).cmp(pattern)).ok()?;
    Some(
        PREBUILT[at]
            .1
            .iter()
            .map(|entry| {
                let lits = entry.literals.map(|(set, ascii_case)| Literals {
                    set: set.iter().map(|s| s.to_string()).collect(),
                    ascii_case,
                });
                let automata = (entry.exact.is_some() || entry.wide.is_some()).then(|| Automata {
                    entry,
                    exact: OnceLock::new(),
                    loose: OnceLock::new(),
                    wide: OnceLock::new(),
                });
                (lits, automata, entry.source)
            })
            .collect(),
    )
}

/// Every built-in pattern whose branches the build split.
#[cfg(test)]
pub(super) fn patterns() -> impl Iterator<Item = &'static str> {
    PREBUILT.iter().map(|(pattern, _)| *pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blob's cap is reached by no branch: past it the build leaves out whatever
    /// pattern sorts last, small or not, and each is compiled at run time.
    #[test]
    fn no_branch_is_left_out_for_the_blobs_cap() {
        let report = include_str!(concat!(env!("OUT_DIR"), "/automata-report.txt"));
        let left: Vec<&str> = report
            .lines()
            .filter(|l| l.contains("past the total cap"))
            .collect();
        assert!(left.is_empty(), "{} left out: {left:#?}", left.len());
    }

    #[test]
    fn every_automaton_the_build_made_passes_the_checked_read() {
        let mut n = 0;
        for (pattern, entries) in PREBUILT {
            for entry in entries.iter() {
                for blob in [&entry.exact, &entry.loose, &entry.wide]
                    .into_iter()
                    .flatten()
                {
                    assert_eq!(blob.at % 8, 0, "{pattern}");
                    let bytes = &AUTOMATA.0[blob.at..blob.at + blob.len];
                    let read = if blob.dense {
                        dense::DFA::from_bytes(bytes).map(|(_, n)| n)
                    } else {
                        sparse::DFA::from_bytes(bytes).map(|(_, n)| n)
                    };
                    assert_eq!(read.expect(pattern), blob.len, "{pattern}");
                    n += 1;
                }
            }
        }
        assert!(n > 100, "{n}");
    }

    #[test]
    fn the_built_branches_are_those_split_now() {
        for (pattern, entries) in PREBUILT {
            let split = super::super::branches::split(pattern).expect("a built pattern parses");
            assert_eq!(split.len(), entries.len(), "{pattern}");
            for ((hir, lits), entry) in split.iter().zip(entries.iter()) {
                let known = entry.literals.map(|(set, ascii_case)| Literals {
                    set: set.iter().map(|s| s.to_string()).collect(),
                    ascii_case,
                });
                assert_eq!(&known, lits, "{pattern}");
                assert_eq!(
                    entry.word_unicode,
                    hir.properties().look_set().contains_word_unicode(),
                    "{pattern}"
                );
                if let Some(source) = entry.source {
                    let again = regex_syntax::Parser::new().parse(source).expect(source);
                    assert_eq!(
                        super::super::branches::without_captures(&again),
                        super::super::branches::without_captures(hir),
                        "{pattern}"
                    );
                }
            }
        }
    }
}
