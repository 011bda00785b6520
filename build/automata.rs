//! The built-in rules' forward automata, built when the binary is built (read by
//! `src/lazy_regex/prebuilt.rs`): each pattern split into branches as a process splits it
//! (`src/lazy_regex/branches.rs`), and each branch's Thompson automaton determinized into
//! the DFA a process would otherwise build lazily, serialised into one blob; a branch whose
//! DFA is too large, the DFA of the branch widened (`branches::widened`) if that one fits,
//! else, for a branch anchored at the start, that of its longest prefix that fits.

use crate::branches;
use regex_automata::dfa::{StartKind, dense};
use regex_automata::nfa::thompson;
use std::fmt::Write as _;

/// The most one branch's DFA may take, serialised: past it the branch is compiled at run
/// time (a bounded repetition of a large Unicode class, `.{0,120}`, determinizes into
/// thousands of states).
pub const BRANCH_CAP: usize = 256 << 10;

/// A DFA at most this large is shipped dense (a row of every transition: the fastest
/// search); a larger one sparse (each state's transitions listed, searched through). At
/// 64 KiB the corpus ran 2 % more instructions, searching sparse DFAs; the binary was
/// 3.5 MB smaller.
pub const DENSE_CAP: usize = 256 << 10;

/// The most a branch's dense DFA, and the working memory that determinizes it, may take
/// while it is built (the sparse DFA made from it is several times smaller).
pub const DETERMINIZE_CAP: usize = 1 << 20;

/// The most all the DFAs may take together: past it, no more are built. The patterns are
/// built in sorted order, so a cap reached leaves out whatever sorts last, whatever its
/// size (16 MiB left 101 branches without their DFA, the generic layer's `^…` patterns
/// among them, each then compiled at run time on the first block that asked it: 3.6 M
/// instructions for a one-paragraph document); a test fails when one is left out so.
pub const TOTAL_CAP: usize = 32 << 20;

/// What was built: the Rust that indexes the blob, the blob, and a report of what was left
/// out and why.
pub struct Built {
    pub rust: String,
    pub blob: Vec<u8>,
    pub report: String,
}

/// The automata of `patterns` (sorted), serialised in the target's byte order.
pub fn build(patterns: &[String], big_endian: bool) -> Built {
    let mut rust = String::new();
    let mut blob: Vec<u8> = Vec::new();
    let mut report = String::new();
    let (mut branches_total, mut built, mut widened) = (0usize, 0usize, 0usize);
    rust.push_str("static PREBUILT: &[(&str, &[Entry])] = &[\n");
    for pattern in patterns {
        let Some(split) = branches::split(pattern) else {
            let _ = writeln!(report, "{pattern:?}: does not parse");
            continue;
        };
        let _ = write!(rust, "    ({pattern:?}, &[");
        for (i, (hir, lits)) in split.iter().enumerate() {
            branches_total += 1;
            let word_unicode = hir.properties().look_set().contains_word_unicode();
            let mut blob_of = |hir: &regex_syntax::hir::Hir, what: &str| -> String {
                let (bytes, dense) = match dfa_of(hir, big_endian) {
                    Ok(built) => built,
                    Err(why) => {
                        let _ = writeln!(report, "{pattern:?} branch {i}{what}: {why}");
                        return "None".to_string();
                    }
                };
                if blob.len() + bytes.len() > TOTAL_CAP {
                    let _ = writeln!(
                        report,
                        "{pattern:?} branch {i}{what}: past the total cap ({} bytes)",
                        bytes.len()
                    );
                    return "None".to_string();
                }
                // Each DFA starts 8-aligned: a dense one's table is read in place as u32s.
                while !blob.len().is_multiple_of(8) {
                    blob.push(0);
                }
                let at = blob.len();
                blob.extend_from_slice(&bytes);
                format!(
                    "Some(Blob {{ at: {at}, len: {}, dense: {dense} }})",
                    bytes.len()
                )
            };
            let exact = blob_of(hir, "");
            let loose = if word_unicode && exact != "None" {
                blob_of(&branches::without_word_boundaries(hir), " loosened")
            } else {
                "None".to_string()
            };
            // A branch too large to ship ships its widened DFA: a no from it is the
            // branch's no, so most haystacks that reach it compile nothing.
            let mut cut_parts = None;
            let wide = if exact == "None" {
                let widened = branches::widened(hir);
                let wide = blob_of(&widened, " widened");
                if wide == "None"
                    && let Some((parts, cut)) = longest_prefix(&widened, big_endian)
                {
                    cut_parts = Some(parts);
                    blob_of(&cut, " widened and cut")
                } else {
                    wide
                }
            } else {
                "None".to_string()
            };
            if let Some(parts) = cut_parts {
                let _ = writeln!(
                    report,
                    "{pattern:?} branch {i} widened and cut: its first {parts} parts ship"
                );
            }
            built += usize::from(exact != "None");
            widened += usize::from(wide != "None");
            let literals = match lits {
                Some(l) => format!("Some((&{:?}, {}))", l.set, l.ascii_case),
                None => "None".to_string(),
            };
            // A branch a process may compile (no exact DFA, or one that gives up on text
            // that is not ASCII) ships its own syntax, printed: parsing it alone costs a
            // fraction of parsing the whole pattern (case folding, Unicode classes) for one
            // branch. Only where it parses again into the same branch (captures aside: a
            // branch compiles without them).
            let source = if exact == "None" || word_unicode {
                let printed = hir.to_string();
                match regex_syntax::Parser::new().parse(&printed) {
                    Ok(again)
                        if branches::without_captures(&again)
                            == branches::without_captures(hir) =>
                    {
                        format!("Some({printed:?})")
                    }
                    _ => {
                        let _ =
                            writeln!(report, "{pattern:?} branch {i}: its syntax does not print");
                        "None".to_string()
                    }
                }
            } else {
                "None".to_string()
            };
            let _ = write!(
                rust,
                "Entry {{ literals: {literals}, exact: {exact}, loose: {loose}, wide: {wide}, word_unicode: {word_unicode}, source: {source} }}, "
            );
        }
        rust.push_str("]),\n");
    }
    rust.push_str("];\n");
    let _ = writeln!(
        rust,
        "static AUTOMATA: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!(\"OUT_DIR\"), \"/automata.bin\")));"
    );
    let _ = writeln!(
        report,
        "{built} of {branches_total} branches built, {widened} more widened, {} bytes",
        blob.len()
    );
    Built { rust, blob, report }
}

/// The longest prefix of `widened` (a branch widened, whose DFA is too large) whose DFA
/// fits, with its number of parts (`branches::prefix`): its no is the branch's, as the
/// widened DFA's is. None when no prefix of a literal or class fits; the prefixes are tried
/// from the shortest until one does not fit, at most [`MAX_PREFIX_PARTS`] parts.
///
/// Only for a branch anchored at the text's start: its DFA's search ends where the prefix
/// fails, a few bytes in. A prefix of a branch that may match anywhere is searched for
/// through the whole haystack, and a rule that edits a whole document asks it of every
/// document: cut so, the corpus run to source took 1,604 M instructions instead of 1,429 M
/// (sparse DFAs scanning whole documents, where the branch compiled once searched them
/// with the regex crate's prefilter).
fn longest_prefix(
    widened: &regex_syntax::hir::Hir,
    big_endian: bool,
) -> Option<(usize, regex_syntax::hir::Hir)> {
    let start = regex_syntax::hir::Look::Start;
    if !widened.properties().look_set_prefix().contains(start) {
        return None;
    }
    let mut longest = None;
    for parts in 1..=MAX_PREFIX_PARTS {
        let mut left = parts;
        let (cut, whole) = branches::prefix(widened, &mut left);
        if whole || dfa_of(&cut, big_endian).is_err() {
            break;
        }
        longest = Some((parts, cut));
    }
    longest
}

/// The most parts of a branch [`longest_prefix`] tries.
const MAX_PREFIX_PARTS: usize = 64;

/// The DFA of one branch, as a process's lazy DFA would determinize it (the same Thompson
/// automaton, Unicode word boundaries given up on at bytes that are not ASCII), or why
/// there is none.
fn dfa_of(hir: &regex_syntax::hir::Hir, big_endian: bool) -> Result<(Vec<u8>, bool), String> {
    let nfa = thompson::Compiler::new()
        .configure(branches::nfa_config())
        .build_from_hir(hir)
        .map_err(|e| format!("no Thompson automaton: {e}"))?;
    let dense = dense::Builder::new()
        .configure(
            dense::Config::new()
                .unicode_word_boundary(true)
                .start_kind(StartKind::Unanchored)
                // Minimized: the same matches in fewer states (the blob 21.6 MB -> 19.7 MB),
                // for the build's time only.
                .minimize(true)
                .dfa_size_limit(Some(DETERMINIZE_CAP))
                .determinize_size_limit(Some(DETERMINIZE_CAP)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| format!("too large to determinize: {e}"))?;
    let len = dense.write_to_len();
    if len <= DENSE_CAP {
        let mut bytes = vec![0; len];
        let written = if big_endian {
            dense.write_to_big_endian(&mut bytes)
        } else {
            dense.write_to_little_endian(&mut bytes)
        }
        .map_err(|e| format!("not serialised: {e}"))?;
        bytes.truncate(written);
        return Ok((bytes, true));
    }
    let sparse = dense
        .to_sparse()
        .map_err(|e| format!("no sparse DFA: {e}"))?;
    let len = sparse.write_to_len();
    if len > BRANCH_CAP {
        return Err(format!(
            "its DFA takes {len} bytes sparse ({} dense), over the cap",
            dense.write_to_len()
        ));
    }
    let mut bytes = vec![0; len];
    let written = if big_endian {
        sparse.write_to_big_endian(&mut bytes)
    } else {
        sparse.write_to_little_endian(&mut bytes)
    }
    .map_err(|e| format!("not serialised: {e}"))?;
    bytes.truncate(written);
    Ok((bytes, false))
}
