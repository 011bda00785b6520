//! A pattern anchored at the text's start (`\A`, or `^` without `(?m)`), compiled for its
//! capture groups as one forward automaton.
//!
//! A `Regex` compiles two Thompson automata, forward with capture groups and reverse
//! without, for lazy DFAs that find where a match ends and then where it starts: the
//! reverse automaton costs as much to compile as the forward one (millions of instructions
//! for a bounded repetition of a large Unicode class, `[^\n]{0,80}`), and a pattern
//! anchored at the start has no use for it. Here the forward automaton's lazy DFA finds
//! where the match that starts at the start ends (or that there is none), and the bounded
//! backtracker or the PikeVM on the same automaton reads the groups of that span alone:
//! the leftmost-first match the regex crate finds, with the same groups (its engines, on
//! the same automaton). Where the lazy DFA gives up (a Unicode word boundary next to a
//! byte that is not ASCII), the PikeVM searches alone, from the start until its last
//! thread dies.

use super::branches::REGEX_SIZE_LIMIT;
use super::compilers::{self, with_compiler};
use regex_automata::nfa::thompson::{self, backtrack::BoundedBacktracker, pikevm::PikeVM};
use regex_automata::util::captures::Captures as Slots;
use regex_automata::util::primitives::PatternID;
use regex_automata::{Anchored as Anchor, Input, hybrid};
use std::sync::Arc;

/// An anchored pattern's engines, all on one forward automaton with capture groups.
pub(super) struct Anchored {
    engines: Arc<Engines>,
    caches: regex_automata::util::pool::Pool<Caches, CacheMaker>,
}

struct Engines {
    /// None when it cannot be built within the size bound: the PikeVM alone.
    dfa: Option<hybrid::dfa::DFA>,
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
}

/// A thread's search caches for an [`Anchored`].
struct Caches {
    dfa: Option<hybrid::dfa::Cache>,
    backtrack: thompson::backtrack::Cache,
    pikevm: thompson::pikevm::Cache,
}

/// Makes a thread's search caches.
type CacheMaker =
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>;

/// The engines of `pattern` when it is anchored at the start (None when it is not, does
/// not parse, or goes past the size bound: it then runs as a `Regex`, which fails the
/// same way).
pub(super) fn build(pattern: &str) -> Option<Anchored> {
    // Only `^` and `\A` anchor at the start: a pattern without either is not parsed.
    if !pattern.contains(['^', 'A']) {
        return None;
    }
    // The regex crate's own syntax defaults (Unicode, UTF-8, nesting limit).
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !(hir.properties().look_set_prefix()).contains(regex_syntax::hir::Look::Start) {
        return None;
    }
    compile(&hir)
}

/// The engines of the pattern whose syntax tree is `hir`, on one forward automaton with
/// capture groups compiled with the settings of the regex crate's own (None when it goes
/// past the size bound).
pub(super) fn compile(hir: &regex_syntax::hir::Hir) -> Option<Anchored> {
    let nfa = with_compiler(compilers::Groups::All, |c| c.build_from_hir(hir).ok())?;
    let dfa = hybrid::dfa::DFA::builder()
        .configure(
            hybrid::dfa::DFA::config()
                .unicode_word_boundary(true)
                .cache_capacity(REGEX_SIZE_LIMIT),
        )
        .build_from_nfa(nfa.clone())
        .ok();
    let backtrack = BoundedBacktracker::new_from_nfa(nfa.clone()).ok()?;
    let pikevm = PikeVM::new_from_nfa(nfa).ok()?;
    let engines = Arc::new(Engines {
        dfa,
        backtrack,
        pikevm,
    });
    let maker = Arc::clone(&engines);
    let make: CacheMaker = Box::new(move || Caches {
        dfa: maker.dfa.as_ref().map(|d| d.create_cache()),
        backtrack: maker.backtrack.create_cache(),
        pikevm: maker.pikevm.create_cache(),
    });
    Some(Anchored {
        engines,
        caches: regex_automata::util::pool::Pool::new(make),
    })
}

impl Anchored {
    /// The groups of the first match in `haystack`, if there is one.
    fn search(&self, haystack: &str) -> Option<Slots> {
        let mut caches = self.caches.get();
        let input = Input::new(haystack).anchored(Anchor::Yes);
        // Where the match ends, by the lazy DFA: the groups are read in that span alone.
        let input = match self.end(&mut caches, &input) {
            Ok(None) => return None,
            Ok(Some(end)) => input.span(0..end),
            Err(()) => input,
        };
        self.groups(&mut caches, input)
    }

    /// Where the leftmost-first match of `input` ends, by the lazy DFA: Err when it has
    /// none or gives up (a Unicode word boundary next to a byte that is not ASCII).
    fn end(&self, caches: &mut Caches, input: &Input<'_>) -> Result<Option<usize>, ()> {
        match (&self.engines.dfa, caches.dfa.as_mut()) {
            (Some(dfa), Some(cache)) => dfa
                .try_search_fwd(cache, input)
                .map(|half| half.map(|h| h.offset()))
                .map_err(|_| ()),
            _ => Err(()),
        }
    }

    /// The groups of the leftmost-first match in `input`, by the bounded backtracker when
    /// the span fits its bound, else by the PikeVM.
    fn groups(&self, caches: &mut Caches, input: Input<'_>) -> Option<Slots> {
        let engines = &*self.engines;
        let mut slots = Slots::all(engines.pikevm.get_nfa().group_info().clone());
        let fits = input.get_span().len() <= engines.backtrack.max_haystack_len();
        if !(fits
            && (engines.backtrack)
                .try_captures(&mut caches.backtrack, input.clone(), &mut slots)
                .is_ok())
        {
            engines
                .pikevm
                .captures(&mut caches.pikevm, input, &mut slots);
        }
        slots.is_match().then_some(slots)
    }

    /// The groups of the leftmost-first match in `haystack` of a pattern not anchored, found
    /// without the reverse automaton a `Regex` compiles to find where a match starts: the
    /// lazy DFA finds where the match ends, and the groups are read by an unanchored search
    /// of the span from `earliest(end)`, where the match cannot start before, to its end
    /// (the leftmost match within that span is the leftmost-first match: no match starts
    /// before it in the haystack, and the span holds it whole). None (outside) when that
    /// span is longer than `most` bytes: nothing was read then; else with the span's length.
    pub(super) fn search_anywhere(
        &self,
        haystack: &str,
        earliest: impl Fn(usize) -> usize,
        most: usize,
    ) -> Option<(Option<Slots>, usize)> {
        let mut caches = self.caches.get();
        let input = Input::new(haystack);
        let input = match self.end(&mut caches, &input) {
            Ok(None) => return Some((None, 0)),
            Ok(Some(end)) => input.span(earliest(end).min(end)..end),
            // The lazy DFA gave up: the whole haystack is searched.
            Err(()) => input,
        };
        let span = input.get_span().len();
        if span > most {
            return None;
        }
        Some((self.groups(&mut caches, input), span))
    }

    /// How many states its automaton has.
    pub(super) fn states(&self) -> usize {
        self.engines.pikevm.get_nfa().states().len()
    }

    /// The names of its capture groups, in order (None for an unnamed one).
    pub(super) fn names(&self) -> impl Iterator<Item = Option<&str>> {
        (self.engines.pikevm.get_nfa().group_info()).pattern_names(PatternID::ZERO)
    }
}

/// The capture groups of a match, from a `Regex` or from an anchored pattern's regex.
pub(crate) struct Captures<'h>(Groups<'h>);

enum Groups<'h> {
    Full(regex::Captures<'h>),
    Anchored { haystack: &'h str, slots: Slots },
}

/// Where a capture group matched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Match<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    /// The text matched.
    pub(crate) fn as_str(&self) -> &'h str {
        self.text
    }

    /// Where it starts, in bytes.
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    /// Where it ends, in bytes.
    pub(crate) fn end(&self) -> usize {
        self.end
    }

    /// Its byte range.
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl<'h> Captures<'h> {
    pub(super) fn full(caps: regex::Captures<'h>) -> Captures<'h> {
        Captures(Groups::Full(caps))
    }

    /// The first match of the anchored pattern in `haystack`, if any.
    pub(super) fn anchored(pattern: &Anchored, haystack: &'h str) -> Option<Captures<'h>> {
        let slots = pattern.search(haystack)?;
        Some(Captures::read(haystack, slots))
    }

    /// The groups `slots` read in `haystack`.
    pub(super) fn read(haystack: &'h str, slots: Slots) -> Captures<'h> {
        Captures(Groups::Anchored { haystack, slots })
    }

    /// Group `i` (0: the whole match), if it took part in the match.
    pub(crate) fn get(&self, i: usize) -> Option<Match<'h>> {
        match &self.0 {
            Groups::Full(caps) => caps.get(i).map(Match::of),
            Groups::Anchored { haystack, slots } => {
                slots.get_group(i).map(|span| Match::at(haystack, span))
            }
        }
    }

    /// The group named `name`, if it took part in the match.
    pub(crate) fn name(&self, name: &str) -> Option<Match<'h>> {
        match &self.0 {
            Groups::Full(caps) => caps.name(name).map(Match::of),
            Groups::Anchored { haystack, slots } => slots
                .get_group_by_name(name)
                .map(|span| Match::at(haystack, span)),
        }
    }
}

impl<'h> Match<'h> {
    fn of(m: regex::Match<'h>) -> Match<'h> {
        Match {
            text: m.as_str(),
            start: m.start(),
            end: m.end(),
        }
    }

    fn at(haystack: &'h str, span: regex_automata::Span) -> Match<'h> {
        Match {
            text: &haystack[span.range()],
            start: span.start,
            end: span.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchored_pattern_captures_as_the_regex_crate_does() {
        let cases: &[(&str, &[&str])] = &[
            (
                r"^\W{0,3}(?P<rights>[^\n]{0,20}?(?:经|經)[^\n]{2,30}?(?:许可|授权)(?:转载|刊登)[^\n]{0,10})$",
                &[
                    "本文经作者授权转载",
                    "  本文经作者授权转载。",
                    "x经许可转载\n第二行",
                    "经甲乙许可转载",
                    "第一行\n本文经作者授权转载",
                    "",
                ],
            ),
            (
                r"\A(?:(?P<author>[^\n]{0,20})\n)?(?P<date>\d{4}-\d{2}-\d{2})\z",
                &[
                    "张三\n2024-01-02",
                    "2024-01-02",
                    "2024-01-02 x",
                    "\n2024-01-02",
                ],
            ),
            (
                r"^(?P<title>.+?)(?: - \p{Han}{2,8})?$",
                &["标题 - 网站名", "Title", "a - b\nc", ""],
            ),
            // A Unicode word boundary next to a byte that is not ASCII: the lazy DFA gives
            // up and the PikeVM answers alone.
            (
                r"(?i)^\bcafé\b\s*(\w+)?",
                &["Café au lait", "cafés x", "café", "xcafé"],
            ),
            (r"\A(a*)(b)?", &["", "aaa", "aab", "b", "c"]),
            (r"^(?:(x)|(y))+$", &["xyx", "xyz", "yy"]),
        ];
        for (pattern, haystacks) in cases {
            let built = build(pattern).expect(pattern);
            let re = regex::Regex::new(pattern).unwrap();
            let names: Vec<_> = built.names().collect();
            assert_eq!(names, re.capture_names().collect::<Vec<_>>(), "{pattern}");
            for h in *haystacks {
                let found = Captures::anchored(&built, h).map(|c| {
                    (0..names.len())
                        .map(|i| c.get(i).map(|m| (m.range(), m.as_str())))
                        .collect::<Vec<_>>()
                });
                let expected = re.captures(h).map(|c| {
                    (0..names.len())
                        .map(|i| c.get(i).map(|m| (m.range(), m.as_str())))
                        .collect::<Vec<_>>()
                });
                assert_eq!(found, expected, "{pattern} on {h:?}");
                if let (Some(caps), Some(re_caps)) = (Captures::anchored(&built, h), re.captures(h))
                {
                    for name in names.iter().flatten() {
                        assert_eq!(
                            caps.name(name).map(|m| m.as_str()),
                            re_caps.name(name).map(|m| m.as_str())
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_pattern_not_anchored_at_the_start_is_left_to_the_regex() {
        for pattern in [r"(?m)^a", r"^a|b", "a", r"\Aa(", r"x\Ay"] {
            assert!(build(pattern).is_none(), "{pattern}");
        }
    }
}
