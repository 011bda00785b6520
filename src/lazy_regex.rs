//! A rule file's regexes: built with a bound on their size, and compiled when a document
//! first needs them (see `rules::lazy` for why). The one place rule regexes are built.

use regex::{Regex, RegexBuilder};
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

mod anchored;
mod anywhere;
mod branches;
mod byte_automaton;
mod compilers;
mod matcher;
mod pairs;
mod prebuilt;
mod present;
mod required;
mod starts;
pub(crate) use anchored::Captures;
use branches::{REGEX_SIZE_LIMIT, without_word_boundaries};
use byte_automaton::ByteAutomaton;
use matcher::Matcher;
pub(crate) use pairs::{Paired, Pairs};
pub(crate) use present::{Present, PresentSets};
use required::Literals;
pub use starts::Starts;

/// Compiles a rule file's regex, bounded in size: the one place rule regexes are built,
/// whether as the file loads or on first use ([`LazyRegex`]).
pub(crate) fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// The most a rule set's regexes compiled as it loads may take together, in bytes of their
/// automata ([`compiled_size`]): one regex may take a few hundred KiB (`\w{20}`: 344 KiB,
/// about 1.2 MB of memory once built), and thousands of those took gigabytes. The built-in
/// rules' take 2.7 MiB.
pub(crate) const TOTAL_SIZE_LIMIT: usize = 16 << 20;

/// What the regexes a rule set compiles as it loads may take together, shared by the files
/// that compile at once: past the limit no more are built.
#[derive(Debug)]
pub(crate) struct RegexBudget {
    limit: usize,
    used: std::sync::atomic::AtomicUsize,
}

impl RegexBudget {
    /// A budget of `limit` bytes ([`TOTAL_SIZE_LIMIT`] for a rule set).
    pub(crate) fn new(limit: usize) -> RegexBudget {
        RegexBudget {
            limit,
            used: Default::default(),
        }
    }

    /// The bound.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// What the regexes took so far.
    pub(crate) fn used(&self) -> usize {
        self.used.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the regexes went past the bound already.
    pub(crate) fn spent(&self) -> bool {
        self.used() > self.limit
    }

    /// Takes `size` bytes for one more regex: the total before and after.
    pub(crate) fn take(&self, size: usize) -> (usize, usize) {
        let before = self
            .used
            .fetch_add(size, std::sync::atomic::Ordering::Relaxed);
        (before, before.saturating_add(size))
    }
}

/// The compiled size of `pattern` as the regex crate's size limit counts it (its Thompson
/// automaton), to bound what the regexes of a whole rule set take together.
pub(crate) fn compiled_size(pattern: &str) -> usize {
    compilers::with_compiler(compilers::Groups::All, |c| {
        c.build(pattern)
            .map_or(REGEX_SIZE_LIMIT, |nfa| nfa.memory_usage())
    })
}

/// A regex of a rule file, compiled on first use; it dereferences to the [`Regex`].
pub struct LazyRegex {
    shared: Arc<RegexCell>,
    /// A clone's own copies.
    own: Option<Own>,
}

struct RegexCell {
    pattern: String,
    compiled: OnceLock<Regex>,
    /// Literals one of which every match contains, if the pattern shows them (see
    /// [`required_literals`]).
    required: OnceLock<Option<Required>>,
    /// How far past a match's start a search can look (see [`Reach`]).
    reach: OnceLock<Reach>,
    /// The pattern without its Unicode word boundaries, if it has any (see [`loose_regex`]).
    loose: OnceLock<Option<Regex>>,
    /// The pattern compiled only to tell whether it matches, for a pattern deferred (see
    /// [`Matcher`]).
    matcher: OnceLock<Option<Matcher>>,
    /// The pattern compiled for its captures as a forward automaton alone, when it is
    /// anchored at the start and deferred (see `anchored`).
    anchored: OnceLock<Option<anchored::Anchored>>,
    /// The pattern compiled for its captures as a forward automaton alone, when it is not
    /// anchored at the start and deferred, where that is worth it (see `anywhere`).
    anywhere: OnceLock<Option<anywhere::Anywhere>>,
}

/// A clone's own copies of the compiled regexes (each holds its own search caches).
#[derive(Default)]
struct Own {
    compiled: OnceLock<Regex>,
    loose: OnceLock<Option<Regex>>,
}

/// How much a search for every match of a rule's regex may scan in one document: this many
/// times the document's size, plus [`SCAN_FLOOR`] bytes. A search for the next match can
/// look far past it (`[a-z]+Z|a` looks for a `Z` to the end of a run of letters before it
/// settles for `a`), so finding every match can take time quadratic in a long line even
/// with a linear-time engine.
pub(crate) const SCAN_FACTOR: usize = 32;
/// See [`SCAN_FACTOR`].
pub(crate) const SCAN_FLOOR: usize = 1 << 20;

/// How far past where it starts a search for one match of a pattern can look: to the end of
/// the longest match, when the pattern bounds its length, and past no more line ends than
/// a match can hold, when the pattern bounds that. Read from the syntax tree once.
#[derive(Debug, Clone, Copy)]
struct Reach {
    max_len: Option<usize>,
    max_lines: Option<usize>,
}

impl Reach {
    fn of(pattern: &str) -> Reach {
        match regex_syntax::Parser::new().parse(pattern) {
            Ok(hir) => Reach::of_hir(&hir),
            Err(_) => Reach {
                max_len: None,
                max_lines: None,
            },
        }
    }

    /// The reach of the pattern whose syntax tree is `hir`.
    fn of_hir(hir: &regex_syntax::hir::Hir) -> Reach {
        Reach {
            max_len: hir.properties().maximum_len(),
            max_lines: line_ends(hir),
        }
    }

    /// Where a search that starts at `from` in `haystack` and finds a match at `start` can
    /// have looked up to, at most: every thread of the search that can still match began
    /// at or before `start`, and ends within the pattern's reach of where it began.
    fn end(&self, haystack: &str, start: usize) -> usize {
        let n = haystack.len();
        let mut end = n;
        if let Some(len) = self.max_len {
            end = end.min(start.saturating_add(len).saturating_add(1));
        }
        if let Some(lines) = self.max_lines {
            let after = memchr::memchr_iter(b'\n', &haystack.as_bytes()[start.min(n)..])
                .nth(lines)
                .map_or(n, |i| start + i + 2);
            end = end.min(after);
        }
        end.min(n)
    }

    /// Where a match that ends at `end` in `haystack` starts at the earliest (the mirror
    /// of [`Reach::end`]): its longest length before the end, and past the line ends
    /// before the end one more than a match can hold.
    fn start(&self, haystack: &str, end: usize) -> usize {
        let end = end.min(haystack.len());
        let mut start = self.max_len.map_or(0, |len| end.saturating_sub(len));
        while !haystack.is_char_boundary(start) {
            start -= 1;
        }
        if let Some(lines) = self.max_lines
            && let Some(i) =
                memchr::memrchr_iter(b'\n', &haystack.as_bytes()[start..end]).nth(lines)
        {
            start += i + 1;
        }
        start
    }
}

/// The most line ends (`\n`) a match of `hir` can hold; none when unbounded.
fn line_ends(hir: &regex_syntax::hir::Hir) -> Option<usize> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(lit) => Some(lit.0.iter().filter(|&&b| b == b'\n').count()),
        HirKind::Class(Class::Unicode(c)) => Some(
            c.ranges()
                .iter()
                .any(|r| r.start() <= '\n' && '\n' <= r.end())
                .into(),
        ),
        HirKind::Class(Class::Bytes(c)) => Some(
            c.ranges()
                .iter()
                .any(|r| r.start() <= b'\n' && b'\n' <= r.end())
                .into(),
        ),
        HirKind::Repetition(rep) => match (line_ends(&rep.sub)?, rep.max) {
            (0, _) => Some(0),
            (n, Some(max)) => n.checked_mul(usize::try_from(max).ok()?),
            (_, None) => None,
        },
        HirKind::Capture(cap) => line_ends(&cap.sub),
        HirKind::Concat(all) => all
            .iter()
            .try_fold(0usize, |sum, h| sum.checked_add(line_ends(h)?)),
        HirKind::Alternation(all) => all
            .iter()
            .try_fold(0usize, |most, h| Some(most.max(line_ends(h)?))),
    }
}

/// A search for every match that would have scanned more than its budget.
#[derive(Debug)]
pub(crate) struct OverBudget {
    /// The bytes it may scan.
    pub budget: usize,
}

impl LazyRegex {
    /// A regex compiled already.
    pub(crate) fn ready(regex: Regex) -> LazyRegex {
        LazyRegex {
            shared: Arc::new(RegexCell {
                pattern: regex.as_str().to_string(),
                compiled: OnceLock::from(regex),
                required: OnceLock::new(),
                reach: OnceLock::new(),
                loose: OnceLock::new(),
                matcher: OnceLock::new(),
                anchored: OnceLock::new(),
                anywhere: OnceLock::new(),
            }),
            own: None,
        }
    }

    /// `pattern`, compiled when it is first used. It must compile: only patterns a test
    /// compiles (the built-in rules') are deferred.
    pub(crate) fn on_first_use(pattern: &str) -> LazyRegex {
        LazyRegex {
            shared: Arc::new(RegexCell {
                pattern: pattern.to_string(),
                compiled: OnceLock::new(),
                required: OnceLock::new(),
                reach: OnceLock::new(),
                loose: OnceLock::new(),
                matcher: OnceLock::new(),
                anchored: OnceLock::new(),
                anywhere: OnceLock::new(),
            }),
            own: None,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.shared.pattern
    }

    /// The compiled regex.
    pub fn get(&self) -> &Regex {
        let cell = &*self.shared;
        let shared = cell.compiled.get_or_init(|| {
            build_regex(&cell.pattern).unwrap_or_else(|e| {
                debug_assert!(false, "a deferred regex does not compile: {e}");
                // Unreachable for the tested built-in rules; a regex that matches nothing
                // keeps a broken one from acting.
                Regex::new(r"[^\s\S]").expect("the empty class compiles")
            })
        });
        match &self.own {
            None => shared,
            Some(own) => own.compiled.get_or_init(|| shared.clone()),
        }
    }

    /// Whether the full regex is compiled already (until it is, `captures` and
    /// `captures_bounded` look for the required literals themselves).
    pub(crate) fn is_compiled(&self) -> bool {
        self.shared.compiled.get().is_some()
    }

    /// The regex without its Unicode word boundaries, when it has any.
    fn loose(&self) -> Option<&Regex> {
        let cell = &*self.shared;
        let shared = cell
            .loose
            .get_or_init(|| loose_regex(&cell.pattern))
            .as_ref()?;
        match &self.own {
            None => Some(shared),
            Some(own) => own.loose.get_or_init(|| Some(shared.clone())).as_ref(),
        }
    }

    /// Whether the regex matches somewhere in `haystack`: `is_match`, answered more cheaply
    /// when it can be. A literal every match contains must be in the haystack
    /// ([`may_match`](Self::may_match)); and a pattern with a Unicode word boundary (`\b`
    /// on text that is not ASCII makes the regex crate leave its DFA for a search hundreds of
    /// times slower) is first tried without its boundaries ([`loose_regex`]), which matches
    /// wherever the pattern does: a haystack it does not match is no match. A regex not
    /// compiled yet compiles only what telling a match takes (see [`Matcher`]): a rule that
    /// only asks whether its pattern matches should ask this.
    pub fn matches(&self, haystack: &str) -> bool {
        self.may_match(haystack) && self.matches_past_literals(haystack)
    }

    /// `matches` for a haystack known to hold one of the required literals (or for a
    /// pattern that has none): the literals are not looked for again.
    pub(crate) fn matches_past_literals(&self, haystack: &str) -> bool {
        let cell = &*self.shared;
        // A regex compiled already (as its file loaded) answers itself; one deferred compiles
        // only what telling a match takes.
        if cell.compiled.get().is_none()
            && let Some(matcher) = cell.matcher.get_or_init(|| Matcher::new(&cell.pattern))
            && let Some(found) = matcher.is_match(&cell.pattern, haystack)
        {
            return found;
        }
        if !haystack.is_ascii()
            && let Some(loose) = self.loose()
            && !loose.is_match(haystack)
        {
            return false;
        }
        self.get().is_match(haystack)
    }

    /// Whether the regex surely has no match in `haystack`, told without running it: none
    /// of its required literals is there, or (while it is not compiled) the automata built
    /// with the binary for its branches say so (see `Matcher::is_match_built`). The
    /// literals are looked for once it is compiled too: a pattern whose matches begin with
    /// a class or an anchor (`(^|[。！？])…會員…`) gives the regex crate no prefix to search
    /// for, and it would scan every haystack whole (a rule's regex compiled for one page of a
    /// tree then scanned every other; 38 M instructions of the corpus run). A rule that captures from
    /// blocks that hold its literals but not its match then never compiles its full regex
    /// (two Thompson automata, forward with capture groups and reverse: millions of
    /// instructions for a bounded repetition of a large class).
    fn surely_no_match(&self, haystack: &str) -> bool {
        let cell = &*self.shared;
        if !self.may_match(haystack) {
            return true;
        }
        if cell.compiled.get().is_some() {
            return false;
        }
        cell.matcher
            .get_or_init(|| Matcher::new(&cell.pattern))
            .as_ref()
            .and_then(|m| m.is_match_built(haystack))
            == Some(false)
    }

    /// The first match in `haystack` with its capture groups, as `Regex::captures` finds
    /// it; a haystack where the regex surely has no match does not compile it, and a
    /// pattern anchored at the start, or a large one, is compiled without the automata that
    /// find where a match starts (see `anchored` and `anywhere`).
    pub(crate) fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        if let Some(Some(anchored)) = self.shared.anchored.get() {
            return Captures::anchored(anchored, haystack);
        }
        if self.surely_no_match(haystack) {
            return None;
        }
        if let Some(anchored) = self.anchored() {
            return Captures::anchored(anchored, haystack);
        }
        if let Some(anywhere) = self.anywhere(haystack.len())
            && let Some(found) = anywhere.captures(haystack)
        {
            return found;
        }
        self.get().captures(haystack).map(Captures::full)
    }

    /// The names of the capture groups, in order (None for an unnamed one), as
    /// `Regex::capture_names` gives them.
    pub(crate) fn capture_names(&self) -> std::vec::IntoIter<Option<&str>> {
        let names: Vec<Option<&str>> = match self.anchored() {
            Some(anchored) => anchored.names().collect(),
            None => match self.shared.anywhere.get() {
                Some(Some(anywhere)) => anywhere.names().collect(),
                _ => self.get().capture_names().collect(),
            },
        };
        names.into_iter()
    }

    /// The regex of a pattern not anchored at the start, compiled for its captures alone,
    /// first asked of a haystack of `len` bytes: None for one not worth it, one whose
    /// `Regex` was compiled first, or one whose budget for reading groups so is spent (see
    /// `anywhere`).
    fn anywhere(&self, len: usize) -> Option<&anywhere::Anywhere> {
        let cell = &*self.shared;
        if cell.compiled.get().is_some() {
            return None;
        }
        cell.anywhere
            .get_or_init(|| anywhere::Anywhere::build(&cell.pattern, len))
            .as_ref()
            .filter(|anywhere| !anywhere.spent())
    }

    /// The regex of a pattern anchored at the start, compiled for its captures alone: None
    /// for a pattern not anchored so, or one whose `Regex` was compiled first.
    fn anchored(&self) -> Option<&anchored::Anchored> {
        let cell = &*self.shared;
        if let Some(built) = cell.anchored.get() {
            return built.as_ref();
        }
        if cell.compiled.get().is_some() {
            return None;
        }
        cell.anchored
            .get_or_init(|| anchored::build(&cell.pattern))
            .as_ref()
    }

    /// Whether a literal that [`LazyRegex::may_match`] looks for may hold a character
    /// `holds` accepts: false only when the pattern shows its literals and none does.
    pub fn literals_may_hold(&self, holds: impl Fn(char) -> bool) -> bool {
        (self.required()).is_none_or(|r| r.lits.set.iter().any(|l| l.chars().any(&holds)))
    }

    /// [`LazyRegex::literals_may_hold`] of whitespace, told once for the pattern: a block's
    /// text folds whitespace, so a literal that holds some may be there and nowhere else.
    pub fn literals_may_hold_whitespace(&self) -> bool {
        self.required().is_none_or(|r| r.spaced)
    }

    /// Whether the regex may match somewhere in `haystack`: false only when none of the
    /// literals one of which every match contains is in it, which is told without
    /// compiling the regex.
    pub fn may_match(&self, haystack: &str) -> bool {
        self.required().is_none_or(|r| r.is_in(haystack))
    }

    /// [`LazyRegex::may_match`] of a text whose byte pairs were read: a literal a pair of
    /// which the text lacks is not looked for.
    pub(crate) fn may_match_in(&self, paired: Paired<'_>) -> bool {
        self.required()
            .is_none_or(|r| r.may_be_in(paired) && r.is_in(paired.text))
    }

    /// Words of which every match holds one, each made of ASCII letters, digits, `-` and
    /// `_` (at least three), lowercase: for each literal one of which every match
    /// contains, its longest such run. None when the pattern shows no literals, or one of
    /// them has no such run.
    pub(crate) fn words(&self) -> Option<Vec<String>> {
        let required = self.required()?;
        let run = |lit: &str| {
            (lit.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')))
                .max_by_key(|w| w.len())
                .filter(|w| w.len() >= 3)
                .map(str::to_ascii_lowercase)
        };
        let mut words: Vec<String> = (required.lits.set.iter())
            .map(|l| run(l))
            .collect::<Option<_>>()?;
        words.sort();
        words.dedup();
        Some(words)
    }

    /// The literals one of which every match contains, read from the pattern when first
    /// asked for (None when it shows none).
    fn required(&self) -> Option<&Required> {
        (self.shared.required)
            .get_or_init(|| required_literals(&self.shared.pattern).map(Required::new))
            .as_ref()
    }
}

/// The required literals of several regexes, found with one scan of a haystack: what
/// [`LazyRegex::may_match`] says of each of them, for the cost of one search instead of one
/// per regex. Built once for a rule set and kept (see `Catalog::block_literals`).
///
/// Two stages, each answering alike: each literal looked for on its own while the
/// haystacks searched are few and short (see [`NAIVE_WORK`]: a one-page run builds no
/// automaton); then one automaton for them all (see `byte_automaton`).
#[derive(Debug)]
pub(crate) struct LiteralSet {
    /// How many regexes (or places without one) it answers for.
    len: usize,
    /// The regexes whose matches hold no literal found here: they may match anywhere.
    open: Vec<bool>,
    /// Every regex's literals together, found ASCII-case-insensitively: built once the
    /// literals looked for one by one have cost [`NAIVE_WORK`] (None if it cannot be built:
    /// they are then looked for one by one).
    searcher: OnceLock<Option<ByteAutomaton>>,
    /// Haystack bytes times literals looked for one by one so far.
    naive: std::sync::atomic::AtomicUsize,
    /// For each literal of the searcher: the regexes that require it, each with whether it
    /// must be found as written (its regex is not case-insensitive there).
    owners: Vec<Vec<(usize, bool)>>,
    /// The searcher's literals as written.
    written: Vec<String>,
}

impl LiteralSet {
    /// The literals of `regexes` (None: a place with no regex, which may match anywhere).
    pub(crate) fn new(regexes: &[Option<&LazyRegex>]) -> LiteralSet {
        let mut open = vec![true; regexes.len()];
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, bool)>> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        for (i, regex) in regexes.iter().enumerate() {
            let Some(lits) = regex.and_then(|r| required_literals(r.as_str())) else {
                continue;
            };
            open[i] = false;
            for lit in lits.set {
                let at = *index.entry(lit.clone()).or_insert_with(|| {
                    literals.push(lit);
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                owners[at].push((i, !lits.ascii_case));
            }
        }
        let owners = owners
            .into_iter()
            .zip(&literals)
            .map(|(o, lit)| {
                o.into_iter()
                    .map(|(i, exact)| (i, exact && has_case(lit)))
                    .collect()
            })
            .collect();
        LiteralSet {
            len: regexes.len(),
            open,
            searcher: OnceLock::new(),
            naive: Default::default(),
            owners,
            written: literals,
        }
    }

    /// The searcher to use now: none while looking for each literal on its own costs less
    /// than building one.
    fn searcher(&self, haystack: &str) -> Option<&ByteAutomaton> {
        use std::sync::atomic::Ordering;
        if let Some(built) = self.searcher.get() {
            return built.as_ref();
        }
        let work = haystack.len().saturating_mul(self.written.len());
        let before = self.naive.fetch_add(work, Ordering::Relaxed);
        if before.saturating_add(work) <= NAIVE_WORK {
            return None;
        }
        self.searcher
            .get_or_init(|| ByteAutomaton::new(self.written.iter().map(String::as_str)))
            .as_ref()
    }

    /// Which of the regexes may match somewhere in `haystack`, indexed like them: false
    /// only when none of the literals one of which its every match contains is in it.
    pub(crate) fn may_match(&self, haystack: &str) -> Vec<bool> {
        let mut found = self.open.clone();
        if self.written.is_empty() {
            return found;
        }
        let Some(searcher) = self.searcher(haystack) else {
            self.each_on_its_own(haystack, &mut found);
            return found;
        };
        let mut missing = found.iter().filter(|&&f| !f).count();
        if missing == 0 {
            return found;
        }
        let bytes = haystack.as_bytes();
        searcher.each_match(bytes, |lit, end| {
            for &(i, exact) in &self.owners[lit] {
                if found[i] {
                    continue;
                }
                // Found ASCII-case-insensitively: one that must be found as written is
                // checked byte for byte.
                let start = end - self.written[lit].len();
                if exact && !self.is_written(lit, &bytes[start..end]) {
                    continue;
                }
                found[i] = true;
                missing -= 1;
            }
            missing == 0
        });
        found
    }

    /// [`LiteralSet::may_match`] without a searcher: each literal a regex still missing
    /// owns looked for on its own, ASCII-case-insensitively, and as written for the regexes
    /// that must find it so.
    fn each_on_its_own(&self, haystack: &str, found: &mut [bool]) {
        let haystack = haystack.as_bytes();
        for (lit, owners) in self.owners.iter().enumerate() {
            if owners.iter().all(|&(i, _)| found[i]) {
                continue;
            }
            let written = self.written[lit].as_bytes();
            if !contains(haystack, written, true) {
                continue;
            }
            let as_written = owners.iter().any(|&(i, exact)| exact && !found[i])
                && contains(haystack, written, false);
            for &(i, exact) in owners {
                if !exact || as_written {
                    found[i] = true;
                }
            }
        }
    }

    /// Whether `bytes` are the searcher's literal `lit` as written.
    fn is_written(&self, lit: usize, bytes: &[u8]) -> bool {
        self.written.get(lit).is_some_and(|w| w.as_bytes() == bytes)
    }

    /// How many places it answers for.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// How much looking for literals one by one (haystack bytes times literals) a
/// [`LiteralSet`] or a regex's required literals do before an automaton is built for them:
/// building one costs thousands of instructions a literal (the generic layer's, about
/// 3 M), and a one-page run looks at a few hundred bytes.
const NAIVE_WORK: usize = 1 << 20;

/// Whether `needle` is in `haystack`: ASCII letters in either case when `ascii_case`, as
/// an ASCII-case-insensitive automaton finds it.
fn contains(haystack: &[u8], needle: &[u8], ascii_case: bool) -> bool {
    if !ascii_case {
        return memchr::memmem::find(haystack, needle).is_some();
    }
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        haystack,
    )
    .any(|at| {
        haystack
            .get(at + 1..at + 1 + rest.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(rest))
    })
}

/// Whether `lit` holds an ASCII letter: only such a literal can be found by an
/// ASCII-case-insensitive search other than as written.
fn has_case(lit: &str) -> bool {
    lit.bytes().any(|b| b.is_ascii_alphabetic())
}

/// A searcher for a pattern's required literals: each looked for on its own at first (see
/// [`NAIVE_WORK`]), then with a searcher built for them.
struct Required {
    lits: Literals,
    /// Whether a literal holds whitespace (asked of every rule for every document).
    spaced: bool,
    /// Haystack bytes times literals looked for one by one so far.
    naive: std::sync::atomic::AtomicUsize,
    /// Each literal's own searcher, for literals looked for one by one as written: made
    /// once, not for each haystack (making one took half of looking in a short haystack).
    finders: OnceLock<Vec<memchr::memmem::Finder<'static>>>,
    built: OnceLock<Option<Built>>,
}

/// The searcher of [`Required`].
enum Built {
    /// One literal, as written.
    One(Box<memchr::memmem::Finder<'static>>),
    /// Several, or any ASCII letter in either case.
    Many(aho_corasick::AhoCorasick),
}

impl Required {
    fn new(lits: Literals) -> Required {
        Required {
            spaced: (lits.set.iter()).any(|l| l.chars().any(char::is_whitespace)),
            lits,
            naive: Default::default(),
            finders: OnceLock::new(),
            built: OnceLock::new(),
        }
    }

    /// Whether one of the literals is in `haystack`, each looked for on its own.
    fn each_is_in(&self, haystack: &str) -> bool {
        let haystack = haystack.as_bytes();
        if self.lits.ascii_case {
            return (self.lits.set.iter()).any(|lit| contains(haystack, lit.as_bytes(), true));
        }
        let finders = self.finders.get_or_init(|| {
            (self.lits.set.iter())
                .map(|lit| memchr::memmem::Finder::new(lit.as_bytes()).into_owned())
                .collect()
        });
        finders.iter().any(|f| f.find(haystack).is_some())
    }

    fn build(lits: &Literals) -> Option<Built> {
        match lits.set.as_slice() {
            [one] if !lits.ascii_case => Some(Built::One(Box::new(
                memchr::memmem::Finder::new(one.as_bytes()).into_owned(),
            ))),
            // Leftmost-first: whether one is found is all that is asked, and it lets the
            // search skip ahead with SIMD over a few literals' prefixes (Teddy), where a
            // standard one looks for their rarest bytes, which in Chinese text are common.
            set => aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .ascii_case_insensitive(lits.ascii_case)
                .build(set)
                .ok()
                .map(Built::Many),
        }
    }

    /// Whether a literal may be in the text `paired` read, by its byte pairs: false
    /// settles that none is.
    fn may_be_in(&self, paired: Paired<'_>) -> bool {
        (self.lits.set.iter()).any(|lit| paired.may_hold(lit.as_bytes(), self.lits.ascii_case))
    }

    fn is_in(&self, haystack: &str) -> bool {
        use std::sync::atomic::Ordering;
        let built = match self.built.get() {
            Some(built) => built,
            None => {
                let work = haystack.len().saturating_mul(self.lits.set.len());
                let before = self.naive.fetch_add(work, Ordering::Relaxed);
                if before.saturating_add(work) <= NAIVE_WORK {
                    return self.each_is_in(haystack);
                }
                self.built.get_or_init(|| Required::build(&self.lits))
            }
        };
        match built {
            Some(Built::One(finder)) => finder.find(haystack.as_bytes()).is_some(),
            Some(Built::Many(ac)) => ac.is_match(haystack),
            // Never built: looked for one by one.
            None => self.each_is_in(haystack),
        }
    }
}

impl LazyRegex {
    /// Every match in `haystack`, in order, with its capture groups: what
    /// `Regex::captures_iter` finds. Unless finding them could have scanned more than
    /// [`SCAN_FACTOR`] times the haystack plus [`SCAN_FLOOR`]: then none, and the search
    /// stops there. What a search scanned is counted from where it started to the furthest
    /// it could have looked (see [`Reach`]), so the whole costs time linear in the haystack.
    pub(crate) fn captures_bounded<'h>(
        &self,
        haystack: &'h str,
    ) -> Result<Vec<regex::Captures<'h>>, OverBudget> {
        let budget = haystack
            .len()
            .saturating_mul(SCAN_FACTOR)
            .saturating_add(SCAN_FLOOR);
        self.captures_within(haystack, budget)
    }

    /// [`LazyRegex::captures_bounded`] with the budget given.
    pub(crate) fn captures_within<'h>(
        &self,
        haystack: &'h str,
        budget: usize,
    ) -> Result<Vec<regex::Captures<'h>>, OverBudget> {
        // A haystack without any literal every match holds, or where the built automata
        // find no match (while the regex is not compiled), has none: the regex is neither
        // compiled nor run for one.
        if self.surely_no_match(haystack) {
            return Ok(Vec::new());
        }
        let reach = *self.shared.reach.get_or_init(|| Reach::of(self.as_str()));
        let re = self.get();
        let n = haystack.len();
        let mut scanned = 0usize;
        let mut found = Vec::new();
        let mut from = 0;
        let mut last_end = None;
        // One search: its match, and what it may have scanned counted.
        let search = |from: usize, scanned: &mut usize| {
            let caps = re.captures_at(haystack, from);
            let end = match caps.as_ref().and_then(|c| c.get(0)) {
                Some(m) => reach.end(haystack, m.start()).max(m.end()),
                None => n,
            };
            *scanned = scanned.saturating_add(end - from);
            caps
        };
        while from <= n {
            let Some(mut caps) = search(from, &mut scanned) else {
                break;
            };
            let mut m = caps.get(0).expect("a match has group 0");
            // As the regex crate's iterators do: an empty match where the last one ended
            // is passed over, and the search goes on a byte further.
            if m.is_empty() && Some(m.end()) == last_end {
                if from + 1 > n {
                    break;
                }
                let Some(next) = search(from + 1, &mut scanned) else {
                    break;
                };
                caps = next;
                m = caps.get(0).expect("a match has group 0");
            }
            if scanned > budget {
                return Err(OverBudget { budget });
            }
            from = m.end();
            last_end = Some(m.end());
            found.push(caps);
        }
        if scanned > budget {
            return Err(OverBudget { budget });
        }
        Ok(found)
    }
}

impl Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.get()
    }
}

impl LazyRegex {
    /// Another handle on the same compiled regexes and their search caches (a clone gets
    /// copies of its own, whose caches start cold): for a handle kept a short while, such as
    /// a document's deferred rules, whose every first search would otherwise warm a cache.
    pub(crate) fn share(&self) -> LazyRegex {
        LazyRegex {
            shared: Arc::clone(&self.shared),
            own: None,
        }
    }
}

impl Clone for LazyRegex {
    fn clone(&self) -> LazyRegex {
        LazyRegex {
            shared: Arc::clone(&self.shared),
            own: Some(Own::default()),
        }
    }
}

impl fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.as_str()).finish()
    }
}

/// `pattern` with each Unicode word boundary (`\b`, `\B`, `\<`, `\>`, …) replaced by the
/// empty regex, compiled; None when it has none (or does not parse). Dropping an assertion
/// only lets more text match: whatever `pattern` matches, this matches. Without those
/// assertions the regex crate's lazy DFA runs on any text; with them it gives up at the
/// first byte that is not ASCII and a PikeVM or backtracker searches instead.
fn loose_regex(pattern: &str) -> Option<Regex> {
    // The regex crate's own defaults (Unicode, UTF-8, nesting limit).
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !hir.properties().look_set().contains_word_unicode() {
        return None;
    }
    build_regex(&without_word_boundaries(&hir).to_string()).ok()
}

/// A pattern's required literals as the build found them: the literals, and whether they
/// are searched for ASCII-case-insensitively.
type Known = (&'static [&'static str], bool);

/// The prefixes every match of a pattern anchored at the start begins with one of, as the
/// build listed them (sorted, none empty; see `starts`).
type KnownStarts = &'static [&'static [u8]];

// `REQUIRED`: every built-in rule's pattern (sorted) with what `required::literals_of`
// and `required::start_prefixes` say of it, computed by the build (see `build.rs`), so that
// a process does not parse those patterns' syntax to find them (5.6 M instructions of a
// one-page run for the literals, 25 M of the corpus run for the prefixes).
include!(concat!(env!("OUT_DIR"), "/required_literals.rs"));

/// The literals one of which every match of `pattern` contains, as the build found them:
/// None (outside) when `pattern` is not a built-in rule's.
fn known_literals(pattern: &str) -> Option<Option<Known>> {
    let at = REQUIRED
        .binary_search_by(|(p, ..)| (*p).cmp(pattern))
        .ok()?;
    Some(REQUIRED[at].1)
}

/// The prefixes every match of `pattern` begins with one of, as the build listed them
/// (`required::start_prefixes`): None (outside) when `pattern` is not a built-in rule's.
fn known_starts(pattern: &str) -> Option<Option<KnownStarts>> {
    let at = REQUIRED
        .binary_search_by(|(p, ..)| (*p).cmp(pattern))
        .ok()?;
    Some(REQUIRED[at].2)
}

/// Literals one of which every match of `pattern` contains, or None when the pattern
/// shows none (see [`required::literals_of`]): for a built-in rule's pattern, as the build
/// computed them (see `rules::built_in`), else read from the pattern's syntax now.
fn required_literals(pattern: &str) -> Option<Literals> {
    match known_literals(pattern) {
        Some(known) => known.map(|(set, ascii_case)| Literals {
            set: set.iter().map(|s| s.to_string()).collect(),
            ascii_case,
        }),
        None => required::literals_of(pattern),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pattern as a regex compiled on first use.
    fn on_first_use_all(patterns: &[&str]) -> Vec<LazyRegex> {
        patterns
            .iter()
            .map(|p| LazyRegex::on_first_use(p))
            .collect()
    }

    #[test]
    fn every_match_is_found_as_the_regex_crate_finds_it() {
        let haystacks = [
            "",
            "a",
            "aé b\n\nZ",
            "abc abcZ aaa\nbbb",
            "大纪元 大纪元\n【x】",
            "<ok>a</ok>\n<ok/>",
        ];
        let patterns = [
            "",
            "a*",
            r"\b",
            "(?m)^",
            "(?m)$",
            "x*",
            "[a-z]+Z|a",
            "(a)|(b)",
            r"\s*",
            "(?s).",
            "大纪元",
            "<(/?)ok(\\s|>|/>)",
            "é?",
            r"\B",
        ];
        for pattern in patterns {
            let lazy = LazyRegex::ready(build_regex(pattern).unwrap());
            for haystack in haystacks {
                let want: Vec<Vec<Option<(usize, usize)>>> = lazy
                    .captures_iter(haystack)
                    .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                let got: Vec<Vec<Option<(usize, usize)>>> = lazy
                    .captures_bounded(haystack)
                    .unwrap()
                    .iter()
                    .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                assert_eq!(got, want, "{pattern:?} in {haystack:?}");
            }
        }
    }

    #[test]
    fn the_reach_of_a_pattern_is_read_from_its_syntax() {
        let reach = |p: &str| {
            let r = Reach::of(p);
            (r.max_len, r.max_lines)
        };
        assert_eq!(reach("abc"), (Some(3), Some(0)));
        assert_eq!(reach("[a-z]+Z|a"), (None, Some(0)));
        assert_eq!(reach(r"[ \t]+\n"), (None, Some(1)));
        assert_eq!(reach(r"(?:x\n){2,3}"), (Some(6), Some(3)));
        assert_eq!(reach(r"[^<]*"), (None, None));
        assert_eq!(reach(r"(?s)<a>.*?</a>"), (None, None));
        assert_eq!(reach(r".*"), (None, Some(0)));
    }

    #[test]
    fn where_a_match_can_start_is_read_back_from_its_end() {
        let text = "ab\ncd\néf\ngh";
        let end = text.len();
        // A line at most: after the last line end.
        assert_eq!(Reach::of(r"[^\n]*h").start(text, end), end - 2);
        // Two lines at most: after the line end before that.
        assert_eq!(Reach::of(r"[^\n]*\n[^\n]*h").start(text, end), end - 6);
        // Its longest length back (in bytes), on a character's boundary: 7 is inside `é`.
        assert_eq!(Reach::of(r"[a-z\n]{0,2}h").start(text, end), end - 3);
        assert_eq!(Reach::of(r"[a-z\n]{0,4}h").start(text, end), end - 6);
        // Unbounded: the haystack's start.
        assert_eq!(Reach::of(r"(?s).*h").start(text, end), 0);
    }

    #[test]
    fn a_search_for_every_match_stops_at_its_budget() {
        // Each search for `a` first looks to the end of the line for a `Z`: quadratic.
        let lazy = LazyRegex::ready(build_regex("[a-z]+Z|a").unwrap());
        let line = "a".repeat(2_000);
        assert!(lazy.captures_within(&line, 100_000).is_err());
        assert_eq!(
            lazy.captures_within(&line, 10_000_000).unwrap().len(),
            2_000
        );
        // Matches that end a line cost the line only.
        let lines = "a\n".repeat(2_000);
        assert_eq!(lazy.captures_within(&lines, 20_000).unwrap().len(), 2_000);
    }

    #[test]
    fn words_every_match_holds_are_told_when_each_literal_has_one() {
        let words = |p: &str| LazyRegex::on_first_use(p).words();
        let read_more = words("^Read more$").unwrap();
        assert!(read_more.len() == 1 && "read more".contains(read_more[0].as_str()));
        assert_eq!(
            words(r"(?i)^(?:\.{2,}\s*more|keep reading)$"),
            Some(vec!["more".to_string(), "reading".to_string()])
        );
        // A literal with no ASCII word of three (阅读全文), or no literal at all: none.
        assert_eq!(words("^(?:阅读全文|read more)$"), None);
        assert_eq!(words(r"^\d+$"), None);
    }

    #[test]
    fn required_literals_are_read_from_the_tree() {
        let req = |p: &str| required_literals(p).map(|l| (l.set, l.ascii_case));
        let exact = |set: &[&str]| Some((set.iter().map(|s| s.to_string()).collect(), false));
        let folded = |set: &[&str]| Some((set.iter().map(|s| s.to_string()).collect(), true));
        assert_eq!(req(r"【大纪元\d{4}年"), exact(&["【大纪元"]));
        assert_eq!(
            req(r"(?m)^#### \[首页\]\(https://github\.com/x"),
            exact(&["#### [首页](https://github.com/x"])
        );
        assert_eq!(req(r"abc|defg"), exact(&["abc", "defg"]));
        assert_eq!(req(r"abc|d*"), None);
        assert_eq!(req(r"(?i)abc"), folded(&["abc"]));
        assert_eq!(req(r"(?i)ask"), folded(&["a"]));
        assert_eq!(req(r"(?i)s"), None);
        assert_eq!(req(r"(?i)版权Δ"), exact(&["版权"]));
        assert_eq!(req(r"x(?i)abcd"), folded(&["abcd"]));
        assert_eq!(req(r"x|(?i)ab|cd"), folded(&["ab", "cd", "x"]));
        assert_eq!(req(r"(?i:ab)cde|xy"), exact(&["cde", "xy"]));
        assert_eq!(req(r"(?i)(?-i:abc)d"), exact(&["abc"]));
        assert_eq!(req(r"(?:abc)?d"), exact(&["d"]));
        assert_eq!(req(r"ab*cd"), exact(&["cd"]));
        assert_eq!(req(r"(ab|cd){2,}e"), exact(&["ab", "cd"]));
        assert_eq!(
            req(r"^(订阅|訂閱).{0,20}(apple|spotify)"),
            exact(&["訂閱", "订阅"])
        );
        assert_eq!(req(r"\d+"), None);
        assert_eq!(req(r"a|"), None);
        assert_eq!(req(r"(unclosed"), None);
    }

    #[test]
    fn a_required_literal_never_rules_out_a_match() {
        for (pattern, haystacks) in [
            (
                r"【大纪元\d{4}年",
                &["【大纪元2020年", "x【大纪元1999年y", "【大纪"][..],
            ),
            (
                r"\A---\r?\nfrom:",
                &["---\nfrom:", "---\r\nfrom:", "--\nfrom:"],
            ),
            (r"ab*cd", &["acd", "abbbcd", "abc"]),
            (r"(?m)^tags:\s*\[", &["x\ntags: [", "tags:["]),
            (
                r"(?i)^(sign up|subscribe)\b|copyright|关注",
                &[
                    "SIGN UP",
                    "ſubscribe",
                    "\u{212A}",
                    "CopyRight",
                    "关注",
                    "Subscribe",
                ],
            ),
            (
                r"(?i)kelvin|sum",
                &["\u{212A}elvin", "ſum", "KELVIN", "SUM", "ke"],
            ),
            (r"(?i)δέλτα|ω", &["ΔΈΛΤΑ", "Ω", "Ω"]),
            (r"x|(?i)ab|cd", &["AB", "Cd", "X", "x"]),
        ] {
            let lazy = LazyRegex::on_first_use(pattern);
            let re = Regex::new(pattern).unwrap();
            for h in haystacks {
                assert!(lazy.may_match(h) || !re.is_match(h), "{pattern} on {h}");
            }
        }
        assert!(!LazyRegex::on_first_use(r"【大纪元\d{4}年").may_match("<p>x</p>"));
        assert!(!LazyRegex::on_first_use(r"(?i)copyright|版权").may_match("x"));
    }

    #[test]
    fn a_literal_set_answers_as_each_regex_does() {
        let patterns = [
            r"【大纪元\d{4}年",
            r"(?i)^(sign up|subscribe)\b|copyright|关注",
            r"(?i)kelvin|sum",
            r"ab*cd",
            r"x|(?i)ab|cd",
            r"\d+",
            r"(?i)copyright|版权",
            r"Copyright",
            r"abc|defg",
        ];
        let regexes = on_first_use_all(&patterns);
        let mut places: Vec<Option<&LazyRegex>> = regexes.iter().map(Some).collect();
        places.insert(2, None);
        let set = LiteralSet::new(&places);
        assert_eq!(set.len(), places.len());
        for haystack in [
            "",
            "x",
            "COPYRIGHT 2020",
            "copyright",
            "Copyright",
            "【大纪元2020年",
            "请关注 ab",
            "abcd defg",
            "KELVIN and SuM",
            "acd",
            "AB",
            "版权所有",
        ] {
            let want: Vec<bool> = places
                .iter()
                .map(|r| r.is_none_or(|r| r.may_match(haystack)))
                .collect();
            assert_eq!(set.may_match(haystack), want, "{haystack:?}");
        }
    }

    #[test]
    fn the_literals_the_build_found_are_those_read_now() {
        let mut n = 0;
        for &(pattern, known, _) in REQUIRED {
            let now = required::literals_of(pattern);
            let known = known.map(|(set, ascii_case)| Literals {
                set: set.iter().map(|s| s.to_string()).collect(),
                ascii_case,
            });
            assert_eq!(known, now, "{pattern}");
            assert_eq!(required_literals(pattern), now, "{pattern}");
            n += 1;
        }
        assert!(n > 100, "{n}");
    }

    #[test]
    fn the_prefixes_the_build_listed_are_those_listed_now() {
        let mut n = 0;
        for &(pattern, _, starts) in REQUIRED {
            let known = starts.map(|p| p.iter().map(|l| l.to_vec()).collect::<Vec<_>>());
            assert_eq!(known, required::start_prefixes(pattern), "{pattern}");
            n += usize::from(known.is_some());
        }
        assert!(n > 20, "{n}");
    }

    #[test]
    fn each_stage_of_a_literal_set_answers_alike() {
        let patterns = [
            r"(?i)^(sign up|subscribe)\b|copyright|关注",
            r"(?i)kelvin|sum",
            r"x|(?i)ab|cd",
            r"Copyright",
            r"abc|defg",
            r"\d+",
        ];
        let regexes = on_first_use_all(&patterns);
        let places: Vec<Option<&LazyRegex>> = regexes.iter().map(Some).collect();
        let haystacks = [
            "",
            "x",
            "COPYRIGHT",
            "Copyright",
            "copyright 关注",
            "KELVIN",
            "ſum",
            "aB cD",
            "abc",
            "defg",
            "Sign up",
            "\u{212A}elvin",
        ];
        // Each literal on its own (a fresh set), then the automaton.
        let fresh = LiteralSet::new(&places);
        let want: Vec<Vec<bool>> = haystacks.iter().map(|h| fresh.may_match(h)).collect();
        for (h, w) in haystacks.iter().zip(&want) {
            let each: Vec<bool> = places
                .iter()
                .map(|r| r.is_none_or(|r| r.may_match(h)))
                .collect();
            assert_eq!(&each, w, "{h:?}");
        }
        let staged = LiteralSet::new(&places);
        staged.may_match(&" ".repeat(NAIVE_WORK));
        assert!(staged.searcher.get().is_some_and(|s| s.is_some()));
        for (h, w) in haystacks.iter().zip(&want) {
            assert_eq!(&staged.may_match(h), w, "{h:?}");
        }
        // A regex's own literals, looked for one by one and then by its searcher.
        for (pattern, regex) in patterns.iter().zip(&regexes) {
            let answers: Vec<bool> = haystacks.iter().map(|h| regex.may_match(h)).collect();
            regex.may_match(&" ".repeat(NAIVE_WORK));
            for (h, answer) in haystacks.iter().zip(answers) {
                assert_eq!(regex.may_match(h), answer, "{pattern} on {h:?}");
            }
        }
    }

    #[test]
    fn a_matcher_answers_as_the_regex_does() {
        for pattern in [
            r"(?i)^(sign up|subscribe)\b.{0,20}\b(newsletter|now)\b|订阅",
            r"\Bé\b|\bword\B",
            r"(?i)copyright\b",
            r"^\W{0,3}(欢迎|歡迎)?(打赏|打賞)\W{0,3}$",
            r"^[-—–_\\*\s]*(?i:end)[-—–_\\*\s]*$",
            r"(?m)^tags:\s*\[",
            r"",
            r"\bx\b",
        ] {
            let matcher = Matcher::compiled(pattern).unwrap();
            let re = Regex::new(pattern).unwrap();
            for h in [
                "Subscribe to our newsletter",
                "subscribers newsletter",
                "subscribe 现在 now",
                "ſubscribe 订 newsletters",
                "请订阅",
                "café",
                "café!",
                "a word是",
                "wordy",
                "版权 COPYRIGHT 2020",
                "Copyright©",
                "—— 欢迎打赏 ——",
                "-END-",
                "x\ntags: [a]",
                "中x文x",
                "x",
                "",
            ] {
                assert_eq!(
                    matcher.is_match(pattern, h),
                    Some(re.is_match(h)),
                    "{pattern} on {h}"
                );
                let lazy = LazyRegex::on_first_use(pattern);
                assert_eq!(lazy.matches(h), re.is_match(h), "{pattern} on {h}");
            }
        }
    }

    #[test]
    fn a_matcher_compiles_a_branch_when_a_haystack_holds_its_literals() {
        let pattern = r"(?i)^\W{0,3}(?:follow|like) us\b|^\W{0,3}订阅(我们|本号)|^\W{0,3}\d+$";
        let matcher = Matcher::compiled(pattern).unwrap();
        let re = Regex::new(pattern).unwrap();
        // The common prefix is lifted out of the alternation, and put back on each branch.
        assert_eq!(matcher.branches.len(), 3);
        let compiled = |m: &Matcher| {
            m.branches
                .iter()
                .filter(|b| b.engines.get().is_some())
                .count()
        };
        for h in ["x", "— 订 阅", "no one here"] {
            assert_eq!(
                matcher.is_match(pattern, h),
                Some(re.is_match(h)),
                "{pattern} on {h}"
            );
        }
        // Only the branch without literals was compiled.
        assert_eq!(compiled(&matcher), 1);
        for h in [
            "— FOLLOW US",
            "Like Us!",
            "—订阅本号",
            "订阅我们吧",
            " 2024",
            "follow usa",
            "ſubscribe",
        ] {
            assert_eq!(
                matcher.is_match(pattern, h),
                Some(re.is_match(h)),
                "{pattern} on {h}"
            );
        }
    }

    #[test]
    fn a_branch_s_literals_are_read_from_its_translated_tree() {
        let lits = |p: &str| {
            branches::hir_literals(&regex_syntax::Parser::new().parse(p).unwrap())
                .map(|l| (l.set, l.ascii_case))
        };
        let set = |s: &[&str], case| Some((s.iter().map(|s| s.to_string()).collect(), case));
        assert_eq!(lits("订阅|訂閱"), set(&["訂閱", "订阅"], false));
        assert_eq!(lits("(?i)app"), set(&["app"], true));
        // `k` and `s` have case variants beyond ASCII: the run stops there.
        assert_eq!(lits("(?i)kelvin"), set(&["elvin"], true));
        assert_eq!(
            lits(r"(?i)^\W{0,3}(下载|下載)\s*app"),
            set(&["下載", "下载"], false)
        );
        assert_eq!(lits(r"x+(ab|cd)"), set(&["ab", "cd"], false));
        assert_eq!(lits(r"\d+|ab"), None);
        assert_eq!(lits(r"(?i)δ"), None);
        assert_eq!(lits(r"a?"), None);
    }

    #[test]
    fn a_capture_the_built_automata_rule_out_compiles_nothing() {
        // Each built-in pattern on one of its required literals alone: captured as the
        // regex crate captures, and not compiled where the built automata find no match.
        let mut ruled_out = 0;
        for pattern in prebuilt::patterns() {
            let Some(lits) = required_literals(pattern) else {
                continue;
            };
            let re = Regex::new(pattern).unwrap();
            for haystack in [&lits.set[0], "", "x"] {
                let lazy = LazyRegex::on_first_use(pattern);
                let found = lazy.captures(haystack).map(|c| c.get(0).unwrap().range());
                let expected = re.captures(haystack).map(|c| c.get(0).unwrap().range());
                assert_eq!(found, expected, "{pattern} on {haystack:?}");
                ruled_out += usize::from(lazy.shared.compiled.get().is_none());
            }
        }
        assert!(ruled_out > 300, "{ruled_out}");
    }

    #[test]
    fn a_capture_anywhere_in_a_block_compiles_no_full_regex() {
        let pattern = r"[（(][^（()）]{0,16}?记者\s*(?P<author>[\p{Han}·]{2,8}?)\s*报[导道][）)]";
        let lazy = LazyRegex::on_first_use(pattern);
        let re = Regex::new(pattern).unwrap();
        for h in ["本报（记者张三报道）", "（记者报道）", "x"] {
            let found = lazy
                .captures(h)
                .and_then(|c| c.name("author").map(|m| m.range()));
            let expected = re
                .captures(h)
                .and_then(|c| c.name("author").map(|m| m.range()));
            assert_eq!(found, expected, "{h}");
        }
        let names: Vec<_> = lazy.capture_names().collect();
        assert_eq!(names, re.capture_names().collect::<Vec<_>>());
        assert!(!lazy.is_compiled());
    }

    #[test]
    fn a_deferred_regex_compiles_once_and_clones_keep_their_own() {
        let lazy = LazyRegex::on_first_use(r"\d{4}");
        let clone = lazy.clone();
        assert!(clone.is_match("2024"));
        assert!(lazy.shared.compiled.get().is_some());
        assert!(lazy.is_match("1999") && !lazy.is_match("12"));
        assert_eq!(clone.as_str(), r"\d{4}");
    }

    #[test]
    fn matches_answers_as_is_match_does_with_word_boundaries_loosened_first() {
        assert!(loose_regex(r"(?i)^subscribe\b").is_some());
        assert!(loose_regex(r"(?-u:\b)x|订阅").is_none());
        assert!(loose_regex(r"^©|版权").is_none());
        for (pattern, haystacks) in [
            (
                r"(?i)^(sign up|subscribe)\b.{0,20}\b(newsletter|now)\b|订阅",
                &[
                    "Subscribe to our newsletter",
                    "subscribers newsletter",
                    "subscribe 现在 now",
                    "subscribe 现在now",
                    "ſubscribe 订 newsletters",
                    "请订阅",
                    "",
                ][..],
            ),
            (
                r"\Bé\b|\bword\B",
                &["café", "café!", "éa", "wordy", "word", "éword", "a word是"],
            ),
            (
                r"(?i)copyright\b",
                &["Copyright©", "copyrighted", "版权 COPYRIGHT 2020"],
            ),
        ] {
            let lazy = LazyRegex::on_first_use(pattern);
            let re = Regex::new(pattern).unwrap();
            let loose = loose_regex(pattern).unwrap();
            for h in haystacks {
                assert_eq!(lazy.matches(h), re.is_match(h), "{pattern} on {h}");
                assert!(loose.is_match(h) || !re.is_match(h), "{pattern} on {h}");
            }
        }
        assert!(!LazyRegex::on_first_use(r"\bx\b").matches("中x文x"));
    }
}
