//! A pattern not anchored at the start, compiled for its capture groups as one forward
//! automaton where that is worth it (see `anchored` for the engines).
//!
//! A `Regex` compiles a forward Thompson automaton with capture groups and a reverse one
//! without, plus the literal prefilters and one-pass DFA its strategies try: for a bounded
//! repetition of a large Unicode class (`[^<]{0,200}?`, `\p{Han}{2,8}`) the reverse
//! automaton costs about as much as the forward one, and the rest 40 % of that again (on
//! the corpus: 22 M, 19.5 M and 8.4 M instructions for 50 patterns). Here the
//! forward automaton's lazy DFA finds where the first match ends, and an unanchored search
//! of the bounded backtracker or the PikeVM (the regex crate's own engines, on the same
//! automaton) reads the groups between where the match can start at the earliest and that
//! end: the pattern's reach bounds that span (a match of bounded length, or one that holds
//! no line end, starts within it).
//!
//! Reading groups that way costs more than a `Regex`'s reverse scan, so it is done while
//! the bytes so read stay within what compiling the rest of a `Regex` would cost (see
//! [`SPAN_PER_STATE`]); past that, the pattern is compiled as a `Regex` after all. A
//! pattern whose reach does not bound the span, first asked of a haystack longer than that
//! budget (a page-address pattern searched in a whole document), is compiled as a `Regex`
//! at once.

use super::Reach;
use super::anchored::{self, Anchored, Captures};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The estimated automaton size (see [`weight`]) from which a pattern is compiled forward
/// only: below it, a `Regex` costs little more to compile (a `Regex`'s literal prefilters
/// cost hundreds of thousands of instructions even for a small pattern).
const MIN_WEIGHT: usize = 16;

/// Bytes of spans whose groups may be read for each state of the automaton: compiling the
/// rest of a `Regex` costs about 1,500 instructions a state, reading groups about 100 a
/// byte of span.
const SPAN_PER_STATE: usize = 16;

/// Bytes of spans whose groups may be read whatever the automaton's size: a `Regex`'s
/// literal prefilters cost a few hundred thousand instructions even for a small pattern.
const SPAN_FLOOR: usize = 4096;

/// A pattern compiled forward only, for its captures.
pub(super) struct Anywhere {
    engines: Anchored,
    reach: Reach,
    /// Bytes of spans it may still read groups in.
    budget: AtomicUsize,
}

impl Anywhere {
    /// `pattern` compiled forward only, first asked of a haystack of `len` bytes, when that
    /// is worth it (None when it is not, does not parse, or goes past the size bound): the
    /// pattern is not tiny, and either its reach bounds the span whose groups are read or
    /// the haystack is within the budget.
    pub(super) fn build(pattern: &str, len: usize) -> Option<Anywhere> {
        // The regex crate's own syntax defaults (Unicode, UTF-8, nesting limit).
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let weight = weight(&hir);
        let reach = Reach::of_hir(&hir);
        let bounded = reach.max_len.is_some() || reach.max_lines == Some(0);
        let budget = weight
            .saturating_mul(SPAN_PER_STATE)
            .saturating_add(SPAN_FLOOR);
        if weight < MIN_WEIGHT || !(bounded || len <= budget) {
            return None;
        }
        Anywhere::compile(&hir, reach)
    }

    /// The pattern whose syntax tree is `hir` compiled forward only.
    fn compile(hir: &Hir, reach: Reach) -> Option<Anywhere> {
        let engines = anchored::compile(hir)?;
        let budget = (engines.states().saturating_mul(SPAN_PER_STATE)).saturating_add(SPAN_FLOOR);
        Some(Anywhere {
            engines,
            reach,
            budget: AtomicUsize::new(budget),
        })
    }

    /// The first match in `haystack` with its groups, as `Regex::captures` finds it; None
    /// (outside) when reading its groups would go past the budget: the budget is then
    /// spent, and the caller asks a `Regex`.
    pub(super) fn captures<'h>(&self, haystack: &'h str) -> Option<Option<Captures<'h>>> {
        let most = self.budget.load(Ordering::Relaxed);
        let earliest = |end| self.reach.start(haystack, end);
        let Some((slots, span)) = self.engines.search_anywhere(haystack, earliest, most) else {
            self.budget.store(0, Ordering::Relaxed);
            return None;
        };
        let _ = (self.budget).fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            Some(left.saturating_sub(span))
        });
        Some(slots.map(|slots| Captures::read(haystack, slots)))
    }

    /// Whether its budget is spent.
    pub(super) fn spent(&self) -> bool {
        self.budget.load(Ordering::Relaxed) == 0
    }

    /// The names of its capture groups, in order (None for an unnamed one).
    pub(super) fn names(&self) -> impl Iterator<Item = Option<&str>> {
        self.engines.names()
    }
}

/// About how many states the forward automaton of `hir` has: a bounded repetition
/// compiles its sub-pattern once per repetition, and a class beyond ASCII a few states per
/// range of its UTF-8 automaton.
pub(super) fn weight(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(lit) => lit.0.len(),
        HirKind::Class(Class::Unicode(class)) if !class.is_ascii() => {
            4usize.saturating_add(class.ranges().len().saturating_mul(2))
        }
        HirKind::Class(_) => 1,
        HirKind::Repetition(rep) => {
            let copies = match rep.max {
                Some(max) => max.max(1),
                None => rep.min.saturating_add(1),
            };
            weight(&rep.sub).saturating_mul(usize::try_from(copies).unwrap_or(usize::MAX))
        }
        HirKind::Capture(cap) => weight(&cap.sub).saturating_add(2),
        HirKind::Concat(subs) => subs.iter().map(weight).fold(0, usize::saturating_add),
        HirKind::Alternation(subs) => subs.iter().map(weight).fold(1, usize::saturating_add),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every group of a match, with its text.
    type Groups = Vec<Option<(std::ops::Range<usize>, String)>>;

    fn groups_of(caps: &Captures<'_>, n: usize) -> Groups {
        (0..n)
            .map(|i| caps.get(i).map(|m| (m.range(), m.as_str().to_string())))
            .collect()
    }

    fn groups_of_regex(caps: &regex::Captures<'_>) -> Groups {
        caps.iter()
            .map(|m| m.map(|m| (m.range(), m.as_str().to_string())))
            .collect()
    }

    #[test]
    fn a_pattern_compiled_forward_only_captures_as_the_regex_crate_does() {
        let patterns = [
            // Metadata rules' shapes: bounded Unicode repetitions, lazy and greedy, line
            // anchors, alternations whose order decides the match.
            r"[（(][^（()）]{0,16}?记者\s*(?P<author>[\p{Han}·]{2,8}?)(?:、[\p{Han}·]{2,8})*\s*(?:综合|采访|编译|整理)?\s*报[导道][）)]",
            r"【[^】]{0,24}?(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)[^】]{0,8}】",
            r"(?m)^原文链接：\s*(?P<url>\S+)$",
            r"(?m)^ *(?:访问|訪問) *BBC *[A-Za-z]+ *(?:阅读|閱讀) *",
            r"转载请注明.{0,40}原文标题及链接[：:]",
            r"(?m)^[（(]? *(?P<rights>(?:本文|文章)?(?:(?:经|經)[^\n，,。转轉]*?)?(?:授权|授權))?[，,]? *(?:本文|文章)?(?:转载自|轉載自) *(?P<src>[^\n，,。]+?) *[）)]?$",
            r"(?P<a>x{0,20}?)(?P<b>x*)y|(?P<c>xx)",
            r"(a|ab)(c|bcd)(d*)",
            r"(?m)$(?P<e>\n?)",
            r"(?P<w>\b\w{2,4}\b)",
            r"(?P<w>\B\w{2}\B)",
            r"é?(?P<q>[^\n]{0,6}?)$",
        ];
        let haystacks = [
            "",
            "x",
            "（记者张三报道）",
            "本报（中央社记者王小明、李大同综合报导）台北",
            "(记者·欧阳 采访报道)（记者李四报道）",
            "【2024年 1月 2日】【大纪元2020年12月31日讯】",
            "首页\n原文链接：https://example.com/a\n原文链接： x y\n",
            "  访问 BBC Chinese 阅读 更多\n访问BBC阅读",
            "转载请注明来源与原文标题及链接：http",
            "本文经作者授权，转载自 某某网）\n（文章转载自某报）",
            "xxxxxxxxxxy xx y",
            "abcd abc ab",
            "一\n二\n",
            "café au lait, x ab 中文 words",
            "ééé\nabc",
        ];
        for pattern in patterns {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let built = Anywhere::compile(&hir, Reach::of_hir(&hir)).unwrap();
            let re = regex::Regex::new(pattern).unwrap();
            let names: Vec<_> = built.names().collect();
            assert_eq!(names, re.capture_names().collect::<Vec<_>>(), "{pattern}");
            for h in haystacks {
                let found = built.captures(h).expect("within the budget");
                let found = found.map(|c| groups_of(&c, names.len()));
                let expected = re.captures(h).map(|c| groups_of_regex(&c));
                assert_eq!(found, expected, "{pattern} on {h:?}");
            }
        }
    }

    #[test]
    fn a_span_past_the_budget_is_left_to_the_regex() {
        let pattern = r"(?P<x>\S+?)z";
        // A haystack of a few bytes is within the budget; a long run past it.
        let built = Anywhere::build(pattern, 0).unwrap();
        assert!(built.captures("abz").is_some());
        let long = format!("{}z", "a".repeat(1 << 20));
        assert!(built.captures(&long).is_none() && built.spent());
        // A pattern whose reach does not bound the span is not built for a long haystack.
        assert!(Anywhere::build(r"(?P<x>\S+)\s*\p{Han}{2,8}", 1 << 20).is_none());
        assert!(Anywhere::build(r"(?P<x>\S+)\s*\p{Han}{2,8}", 100).is_some());
        // Nor is a tiny pattern.
        assert!(Anywhere::build(r"(a)", 0).is_none());
    }

    #[test]
    fn the_weight_grows_with_bounded_repetitions_of_large_classes() {
        let w = |p: &str| weight(&regex_syntax::Parser::new().parse(p).unwrap());
        assert!(w(r"[^\n]{0,80}") > 40 * w(r"[^\n]"));
        assert!(w(r"\p{Han}") > w(r"[a-z]"));
        assert_eq!(w("abc"), 3);
    }
}
