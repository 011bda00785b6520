//! A pattern split into the branches a `Matcher` compiles one by one,
//! each with the literals its matches hold, and the automata's settings.
//!
//! Only `regex_syntax` and `regex_automata` are used here: the build script includes this
//! file to build the built-in rules' automata when the binary is built (see `prebuilt`),
//! and must split their patterns and configure their automata exactly as a process does.

use super::required::Literals;

/// Compiled-size bound for rule regexes: rule files are data and must stay cheap to run.
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The settings of a `Matcher`'s Thompson automata: no capture groups,
/// bounded in size.
pub(crate) fn nfa_config() -> regex_automata::nfa::thompson::Config {
    regex_automata::nfa::thompson::Config::new()
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
}

/// The branches of `pattern` a `Matcher` compiles one by one (see
/// `branches_of`), each with the literals one of which its every match contains when it
/// is one of several; one branch, the whole pattern, when it is no alternation. None when
/// the pattern does not parse.
pub(crate) fn split(pattern: &str) -> Option<Vec<(regex_syntax::hir::Hir, Option<Literals>)>> {
    // The regex crate's own defaults (Unicode, UTF-8, nesting limit).
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut split = Vec::new();
    Some(if branches_of(&hir, &mut split) && split.len() > 1 {
        split
            .into_iter()
            .map(|hir| {
                let lits = hir_literals(&hir);
                (hir, lits)
            })
            .collect()
    } else {
        vec![(hir, None)]
    })
}

/// `hir` with each Unicode word boundary replaced by the empty regex (see `loose_regex`).
pub(crate) fn without_word_boundaries(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
    match hir.kind() {
        HirKind::Look(
            Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode,
        ) => Hir::empty(),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(without_word_boundaries(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(without_word_boundaries(&cap.sub)),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_word_boundaries).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(without_word_boundaries).collect())
        }
    }
}

/// `hir` without its capture groups (each is its content): what a branch compiled without
/// captures matches, to tell whether a branch printed and parsed again is the same one.
// Used by the build script (`build/automata.rs`) and the tests, not by a process.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn without_captures(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind, Repetition};
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Capture(cap) => without_captures(&cap.sub),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(without_captures(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_captures).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(without_captures).collect()),
    }
}

/// `hir` widened into a larger language whose DFA is far smaller: each bounded repetition
/// made unbounded (`[^\n]{0,120}` is `[^\n]*`, `\p{Han}{2,8}` is `\p{Han}{2,}`), and its
/// Unicode word boundaries dropped (see `without_word_boundaries`). Whatever `hir`
/// matches, this matches: where it finds no match, `hir` has none. A branch whose own DFA
/// is too large to build with the binary (a bounded repetition of a large Unicode class
/// determinizes into thousands of states) ships this one instead.
// Used by the build script (`build/automata.rs`) and the tests, not by a process.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn widened(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {
            without_word_boundaries(hir)
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            max: rep.max.filter(|&max| max == rep.min),
            sub: Box::new(widened(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(widened(&cap.sub)),
            ..cap.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(widened).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(widened).collect()),
    }
}

/// The first `units` parts of `hir` in the order a match reads them (each literal and class
/// one part; each branch of an alternation reads its own), and whether that is the whole
/// of `hir`: what the parts after them would match is left out, so every match of `hir`
/// begins with a match of this, and where this finds no match `hir` has none. A
/// repetition cut short is its first time through when it must be there (`x{2,}`), else
/// nothing. A branch whose widened DFA is too large as well (a bounded repetition of a
/// large Unicode class between alternations of literals) ships the DFA of its longest
/// prefix that fits: `\A\W{0,3}(?:版权声明|…)[^\n]{0,120}…` is told no by the blocks
/// that do not open so, without compiling the branch.
// Used by the build script (`build/automata.rs`) and the tests, not by a process.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn prefix(
    hir: &regex_syntax::hir::Hir,
    units: &mut usize,
) -> (regex_syntax::hir::Hir, bool) {
    use regex_syntax::hir::{Capture, Hir, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (hir.clone(), true),
        HirKind::Literal(_) | HirKind::Class(_) => match units.checked_sub(1) {
            Some(left) => {
                *units = left;
                (hir.clone(), true)
            }
            None => (Hir::empty(), false),
        },
        HirKind::Capture(cap) => {
            let (sub, whole) = prefix(&cap.sub, units);
            let cut = Hir::capture(Capture {
                sub: Box::new(sub),
                ..cap.clone()
            });
            (cut, whole)
        }
        HirKind::Repetition(rep) => {
            let (sub, whole) = prefix(&rep.sub, units);
            if whole {
                (hir.clone(), true)
            } else if rep.min == 0 {
                (Hir::empty(), false)
            } else {
                (sub, false)
            }
        }
        HirKind::Concat(subs) => {
            let mut cut = Vec::new();
            for sub in subs {
                let (part, whole) = prefix(sub, units);
                cut.push(part);
                if !whole {
                    return (Hir::concat(cut), false);
                }
            }
            (Hir::concat(cut), true)
        }
        HirKind::Alternation(subs) => {
            let (mut least, mut all) = (*units, true);
            let alts = (subs.iter())
                .map(|sub| {
                    let mut left = *units;
                    let (alt, whole) = prefix(sub, &mut left);
                    least = least.min(left);
                    all &= whole;
                    alt
                })
                .collect();
            *units = least;
            (Hir::alternation(alts), all)
        }
    }
}

/// At most this many branches a `Matcher` compiles one by one.
pub(crate) const MAX_BRANCHES: usize = 64;

/// Adds to `out` the branches of `hir`, one of which matches wherever it matches: the
/// branches of an alternation, and those of an alternation that ends a sequence, each
/// after what comes before it (`^\W{0,3}(?:a|b)` is `^\W{0,3}a|^\W{0,3}b`: the syntax
/// tree lifts the prefix that every branch of an alternation starts with). False when
/// there would be more than `MAX_BRANCHES`.
pub(crate) fn branches_of(
    hir: &regex_syntax::hir::Hir,
    out: &mut Vec<regex_syntax::hir::Hir>,
) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    match hir.kind() {
        HirKind::Alternation(subs) => subs.iter().all(|sub| branches_of(sub, out)),
        HirKind::Concat(subs)
            if let Some((last, init)) = subs.split_last()
                && let HirKind::Alternation(alts) = last.kind() =>
        {
            alts.iter().all(|alt| {
                let mut parts = init.to_vec();
                parts.push(alt.clone());
                branches_of(&Hir::concat(parts), out)
            })
        }
        _ => {
            out.push(hir.clone());
            out.len() <= MAX_BRANCHES
        }
    }
}

/// Literals one of which every match of `hir` contains, or None when it shows none: what
/// `required::literals_of` reads from a pattern's text, read from its translated syntax
/// tree (where a flag's scope is settled). A class of an ASCII letter's two cases (what
/// case-insensitivity makes of a letter but `k` and `s`) stands for the letter, then
/// searched ASCII-case-insensitively.
pub(crate) fn hir_literals(hir: &regex_syntax::hir::Hir) -> Option<Literals> {
    use regex_syntax::hir::HirKind;
    /// The shortest literal's length, then the fewer literals: the rarer a false hit.
    fn score(lits: &Literals) -> (usize, std::cmp::Reverse<usize>) {
        let shortest = lits.set.iter().map(String::len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(lits.set.len()))
    }
    /// A literal or a letter in either ASCII case: its text, and whether it is the latter.
    fn piece(hir: &regex_syntax::hir::Hir) -> Option<(String, bool)> {
        match hir.kind() {
            HirKind::Literal(lit) => Some((std::str::from_utf8(&lit.0).ok()?.to_string(), false)),
            HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => {
                let [a, b] = class.ranges() else {
                    return None;
                };
                let (upper, lower) = (a.start(), b.start());
                (a.start() == a.end()
                    && b.start() == b.end()
                    && upper.is_ascii_uppercase()
                    && lower == upper.to_ascii_lowercase())
                .then(|| (lower.to_string(), true))
            }
            _ => None,
        }
    }
    let lits = match hir.kind() {
        HirKind::Capture(cap) => hir_literals(&cap.sub),
        HirKind::Repetition(rep) if rep.min > 0 => hir_literals(&rep.sub),
        HirKind::Alternation(subs) => {
            let mut all = Literals {
                set: Vec::new(),
                ascii_case: false,
            };
            for sub in subs {
                let lits = hir_literals(sub)?;
                all.ascii_case |= lits.ascii_case;
                all.set.extend(lits.set);
            }
            all.set.sort();
            all.set.dedup();
            (all.set.len() <= 64).then_some(all)
        }
        HirKind::Concat(subs) => {
            let mut best: Option<Literals> = None;
            let mut keep = |lits: Literals| {
                if best.as_ref().is_none_or(|b| score(&lits) > score(b)) {
                    best = Some(lits);
                }
            };
            let mut run = String::new();
            let mut run_case = false;
            for sub in subs {
                if let Some((text, case)) = piece(sub) {
                    run.push_str(&text);
                    run_case |= case;
                    continue;
                }
                if !run.is_empty() {
                    keep(Literals {
                        set: vec![std::mem::take(&mut run)],
                        ascii_case: std::mem::take(&mut run_case),
                    });
                }
                if let Some(lits) = hir_literals(sub) {
                    keep(lits);
                }
            }
            if !run.is_empty() {
                keep(Literals {
                    set: vec![run],
                    ascii_case: run_case,
                });
            }
            best
        }
        _ => piece(hir).map(|(text, ascii_case)| Literals {
            set: vec![text],
            ascii_case,
        }),
    }?;
    lits.set.iter().all(|l| !l.is_empty()).then_some(lits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `hir` matches somewhere in `haystack`.
    fn matches(hir: &regex_syntax::hir::Hir, haystack: &str) -> bool {
        regex::Regex::new(&hir.to_string())
            .expect("a translated pattern compiles")
            .is_match(haystack)
    }

    #[test]
    fn a_widened_branch_matches_wherever_the_branch_does() {
        let cases = [
            (r"^[#*]{0,3}来源[^\n]{0,12}微信$", r"^[#*]*来源[^\n]*微信$"),
            (r"\bfollow\b.{2,5}x", r"follow.{2,}x"),
            (r"\p{Han}{2,8}?记者\d{4}", r"\p{Han}{2,}?记者\d{4}"),
            ("(a|b{1,3})c?", "(a|b+)c*"),
        ];
        for (pattern, wide) in cases {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let expected = regex_syntax::Parser::new().parse(wide).unwrap();
            assert_eq!(widened(&hir).to_string(), expected.to_string(), "{pattern}");
        }
        let hir = regex_syntax::Parser::new()
            .parse(r"^\W{0,3}来源[^\n]{0,12}微信$")
            .unwrap();
        let wide = widened(&hir);
        for haystack in [
            "来源：微信",
            "— 来源 某某 微信",
            "来源一二三四五六七八九十一二三微信",
            "来源\n微信",
        ] {
            assert!(
                !matches(&hir, haystack) || matches(&wide, haystack),
                "{haystack}"
            );
        }
        assert!(!matches(&hir, "来源一二三四五六七八九十一二三微信"));
        assert!(matches(&wide, "来源一二三四五六七八九十一二三微信"));
        assert!(!matches(&wide, "来源\n微信"));
    }

    #[test]
    fn a_prefix_matches_wherever_the_branch_does() {
        let cut = |pattern: &str, parts: usize| {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let mut left = parts;
            let (prefix, whole) = prefix(&hir, &mut left);
            (hir, prefix, whole)
        };
        let printed = |pattern: &str| {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            hir.to_string()
        };
        let cases = [
            // Each branch of an alternation reads its own parts.
            (
                r"\A(?:版权|转载[请須])x*y",
                2,
                r"\A(?:版权|转载[请須])",
                false,
            ),
            // A repetition cut short: nothing when it may be absent, else its first time.
            (r"\Aa(?:b[cx])?d", 2, r"\Aa", false),
            (r"\Aa(?:b[cx])+d", 2, r"\Aab", false),
            (r"\Aa(?:b[cx])+d", 3, r"\Aa(?:b[cx])+", false),
            (r"\Aab", 5, r"\Aab", true),
        ];
        for (pattern, parts, expected, whole) in cases {
            let (_, prefix, all) = cut(pattern, parts);
            assert_eq!(prefix.to_string(), printed(expected), "{pattern} {parts}");
            assert_eq!(all, whole, "{pattern} {parts}");
        }
        let pattern = r"\A\W{0,3}(?:(?:版权声明|本站)[^\n]{0,12}?(?:保留|未经)|转载(?:请|須))[^\n]{0,20}(?:原文链接)[:：]\s*(?P<url>https?://\S+)\s*\z";
        let haystacks = [
            "版权声明：保留所有。原文链接：https://a.b/c",
            "— 本站文章未经许可。原文链接: https://a.b/c ",
            "转载请注明。原文链接：https://a.b/c",
            "本文来自网络。原文链接：https://a.b/c",
            "正文\n版权声明：保留。原文链接：https://a.b/c",
        ];
        for parts in 1..40 {
            let (hir, prefix, _) = cut(pattern, parts);
            for haystack in haystacks {
                assert!(
                    !matches(&hir, haystack) || matches(&prefix, haystack),
                    "{parts} {haystack}"
                );
            }
        }
        let (hir, prefix, _) = cut(pattern, 2);
        assert!(!matches(&hir, "本文来自网络。原文链接：https://a.b/c"));
        assert!(!matches(&prefix, "本文来自网络。原文链接：https://a.b/c"));
        assert!(matches(&prefix, "本站一二三"));
    }
}
