//! The literals one of which every match of a pattern contains, read from its syntax tree.
//!
//! Only `regex_syntax` is used here: the build script includes this file to compute the
//! built-in rules' literals when the binary is built (see `rules::built_in`), so that a
//! process does not parse their syntax again.

/// Literals one of which every match of a pattern contains: found in the haystack
/// ASCII-case-insensitively when `ascii_case`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Literals {
    /// The literals, sorted.
    pub(crate) set: Vec<String>,
    /// Whether they are searched for ASCII-case-insensitively.
    pub(crate) ascii_case: bool,
}

/// At most this many literals are searched for a pattern.
const MAX_LITERALS: usize = 64;

impl Literals {
    /// The shortest literal's length: the larger, the rarer a false hit.
    fn score(&self) -> (usize, std::cmp::Reverse<usize>) {
        let shortest = self.set.iter().map(String::len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(self.set.len()))
    }
}

/// Literals one of which every match of `pattern` contains, or None when the pattern
/// shows none (or does not parse).
///
/// Only the syntax tree is read (no Unicode class is expanded), so this costs a small part
/// of a compilation. A sequence takes its best run of literal characters or its best
/// part; an alternation, the literals of all its branches (each must have some); a
/// repetition, its content's if it occurs at least once; a class, an assertion, `.` or
/// the empty regex give none. Under case-insensitivity a run holds only characters whose
/// case variants are the ASCII letters' own (ASCII letters but `k` and `s`, which have
/// variants beyond ASCII, and characters without case): such a run is searched for
/// ASCII-case-insensitively.
pub(crate) fn literals_of(pattern: &str) -> Option<Literals> {
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .ok()?;
    let mut case = false;
    let lits = required(&ast, &mut case)?;
    (lits.set.iter().all(|l| !l.is_empty())).then_some(lits)
}

/// The prefixes every match of `pattern` begins with one of, when every match starts at the
/// start of the haystack and they are few enough to list, none empty, sorted; None
/// otherwise (any text may match). Read from the syntax tree with Unicode classes and case folding (a few
/// million instructions for the generic layer's patterns): the build lists the built-in
/// rules' (see `starts`).
pub(crate) fn start_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::Look;
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // The regex crate's own syntax defaults, as the pattern is compiled with.
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    // Every match begins with one of these (the whole match, when exact); an infinite
    // sequence says nothing, and an empty prefix lets a match begin with any byte.
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    let mut prefixes: Vec<Vec<u8>> = literals.iter().map(|l| l.as_bytes().to_vec()).collect();
    prefixes.sort();
    prefixes.dedup();
    Some(prefixes)
}

/// Whether case-insensitive matching finds `c` only as itself or, for an ASCII letter, in
/// its other ASCII case.
fn simple_case(c: char) -> bool {
    if c.is_ascii() {
        return !matches!(c, 'k' | 'K' | 's' | 'S');
    }
    !c.is_alphabetic()
        || matches!(c as u32,
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
                | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Applies a flag group's items to the case-insensitivity in force.
fn set_case(flags: &regex_syntax::ast::Flags, case: &mut bool) {
    use regex_syntax::ast::{Flag, FlagsItemKind};
    let mut negated = false;
    for item in &flags.items {
        match item.kind {
            FlagsItemKind::Negation => negated = true,
            FlagsItemKind::Flag(Flag::CaseInsensitive) => *case = !negated,
            FlagsItemKind::Flag(_) => {}
        }
    }
}

/// The literals of `ast` with `case` (case-insensitivity) in force; a flag group in a
/// sequence changes `case` for the rest of the group it stands in, as the regex crate
/// reads it (later branches of an alternation included).
fn required(ast: &regex_syntax::ast::Ast, case: &mut bool) -> Option<Literals> {
    use regex_syntax::ast::{Ast, GroupKind, RepetitionKind, RepetitionRange};
    match ast {
        Ast::Literal(lit) => {
            let c = lit.c;
            (!*case || simple_case(c)).then(|| Literals {
                set: vec![c.to_string()],
                ascii_case: *case && c.is_ascii_alphabetic(),
            })
        }
        Ast::Flags(flags) => {
            set_case(&flags.flags, case);
            None
        }
        Ast::Group(group) => {
            let mut inner = *case;
            if let GroupKind::NonCapturing(flags) = &group.kind {
                set_case(flags, &mut inner);
            }
            required(&group.ast, &mut inner)
        }
        Ast::Repetition(rep) => {
            let at_least_once = match &rep.op.kind {
                RepetitionKind::OneOrMore => true,
                RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => false,
                RepetitionKind::Range(
                    RepetitionRange::Exactly(n)
                    | RepetitionRange::AtLeast(n)
                    | RepetitionRange::Bounded(n, _),
                ) => *n > 0,
            };
            let mut inner = *case;
            if at_least_once {
                required(&rep.ast, &mut inner)
            } else {
                None
            }
        }
        Ast::Alternation(alt) => {
            let mut all = Literals {
                set: Vec::new(),
                ascii_case: false,
            };
            let mut missing = false;
            for branch in &alt.asts {
                // Every branch is read: its flags hold for the branches after it.
                match required(branch, case) {
                    Some(lits) if !missing => {
                        all.ascii_case |= lits.ascii_case;
                        all.set.extend(lits.set);
                    }
                    _ => missing = true,
                }
            }
            all.set.sort();
            all.set.dedup();
            (!missing && all.set.len() <= MAX_LITERALS).then_some(all)
        }
        Ast::Concat(concat) => {
            let mut best: Option<Literals> = None;
            let keep = |lits: Literals, best: &mut Option<Literals>| {
                if best.as_ref().is_none_or(|b| lits.score() > b.score()) {
                    *best = Some(lits);
                }
            };
            let mut run = String::new();
            let mut run_case = false;
            for item in &concat.asts {
                if let Ast::Literal(lit) = item
                    && (!*case || simple_case(lit.c))
                {
                    run.push(lit.c);
                    run_case |= *case && lit.c.is_ascii_alphabetic();
                    continue;
                }
                if !run.is_empty() {
                    let set = vec![std::mem::take(&mut run)];
                    keep(
                        Literals {
                            set,
                            ascii_case: run_case,
                        },
                        &mut best,
                    );
                }
                run_case = false;
                if let Some(lits) = required(item, case) {
                    keep(lits, &mut best);
                }
            }
            if !run.is_empty() {
                keep(
                    Literals {
                        set: vec![run],
                        ascii_case: run_case,
                    },
                    &mut best,
                );
            }
            best
        }
        Ast::Empty(_)
        | Ast::Dot(_)
        | Ast::Assertion(_)
        | Ast::ClassUnicode(_)
        | Ast::ClassPerl(_)
        | Ast::ClassBracketed(_) => None,
    }
}
