//! A pattern compiled only to tell whether it matches: forward automata, branch by branch,
//! built when the binary is built for the built-in rules' patterns (see `prebuilt`).

use super::Required;
use super::branches::{self, REGEX_SIZE_LIMIT, without_word_boundaries};
use super::compilers;
use super::prebuilt;
use regex_syntax::hir::Hir;
use std::sync::{Arc, OnceLock};

/// A pattern compiled only to tell whether it matches (what a block rule asks): forward
/// automata without capture groups. A `Regex` also builds the reverse automaton that finds
/// where a match starts, which costs as much again to compile, for nothing here.
///
/// A pattern that is an alternation is compiled branch by branch, each when a haystack
/// first holds one of the literals every match of that branch contains (see
/// `branches::hir_literals`): the pattern matches where one of its branches does, and a
/// block rule's pattern has branches for phrases most documents never show (the generic
/// layer's `^\W{0,3}…` branches cost hundreds of microseconds each to compile).
///
/// A built-in rule's pattern comes with its branches' DFAs built when the binary was built
/// (see [`prebuilt`]), read in place: a branch is compiled only where its DFA is missing
/// (too large to ship, and the widened DFA shipped instead matched) or cannot answer (a
/// Unicode word boundary on text that is not ASCII, where the loosened DFA matched).
pub(super) struct Matcher {
    pub(super) branches: Vec<Branch>,
    /// The branches' syntax trees: parsed as the matcher is made, or, for a pattern whose
    /// branches were built with the binary, when one first needs compiling.
    hirs: OnceLock<Option<Vec<Hir>>>,
}

/// A branch of a [`Matcher`]'s pattern (the whole pattern when it is no alternation).
pub(super) struct Branch {
    /// Literals one of which every match of the branch contains, when it shows some (and
    /// is one of several: the pattern's own literals were looked for already).
    required: Option<Required>,
    /// Its DFAs as the build made them, for a built-in rule's pattern.
    pub(super) prebuilt: Option<prebuilt::Automata>,
    /// Its own syntax as the build printed it, for a built-in rule's pattern: compiling the
    /// branch parses this alone rather than the whole pattern (see [`Matcher::hir`]).
    source: Option<&'static str>,
    pub(super) engines: OnceLock<Option<Engines>>,
}

/// A branch compiled.
pub(super) struct Engines {
    exact: Engine,
    /// The branch without its Unicode word boundaries, when it has any: tried first on
    /// text that is not ASCII (see `loose_regex`).
    loose: Option<Engine>,
}

impl Matcher {
    /// None when the pattern does not parse (it then runs as a `Regex`).
    pub(super) fn new(pattern: &str) -> Option<Matcher> {
        if let Some(built) = prebuilt::branches(pattern) {
            return Some(Matcher {
                branches: built
                    .into_iter()
                    .map(|(lits, automata, source)| Branch {
                        required: lits.map(Required::new),
                        prebuilt: automata,
                        source,
                        engines: OnceLock::new(),
                    })
                    .collect(),
                hirs: OnceLock::new(),
            });
        }
        Matcher::compiled(pattern)
    }

    /// The matcher of `pattern` compiled at run time, whether or not the build made its
    /// automata.
    pub(super) fn compiled(pattern: &str) -> Option<Matcher> {
        let (hirs, branches) = branches::split(pattern)?
            .into_iter()
            .map(|(hir, lits)| {
                let branch = Branch {
                    required: lits.map(Required::new),
                    prebuilt: None,
                    source: None,
                    engines: OnceLock::new(),
                };
                (hir, branch)
            })
            .unzip();
        Some(Matcher {
            branches,
            hirs: OnceLock::from(Some(hirs)),
        })
    }

    /// Whether `pattern` (the matcher's) matches somewhere in `haystack`, as `Regex::is_match`
    /// says; None when a branch it needed does not compile so (the pattern then runs as a
    /// `Regex`).
    pub(super) fn is_match(&self, pattern: &str, haystack: &str) -> Option<bool> {
        self.search(haystack, |i, branch| {
            Some(branch.engines(|| self.hir(pattern, i))?.is_match(haystack))
        })
    }

    /// Whether `haystack` holds a match, as far as the automata built with the binary and
    /// the branches compiled already tell, compiling nothing: None when a branch that may
    /// match has neither, or its DFA cannot tell (see [`prebuilt::Automata::is_match`]).
    pub(super) fn is_match_built(&self, haystack: &str) -> Option<bool> {
        self.search(haystack, |_, branch| {
            Some(branch.engines.get()?.as_ref()?.is_match(haystack))
        })
    }

    /// Whether a branch matches in `haystack`: the branches whose literals it holds, each
    /// asked of its built automaton, else of `compiled` (branch `i`'s engines, None when it
    /// has none to answer with).
    fn search(
        &self,
        haystack: &str,
        compiled: impl Fn(usize, &Branch) -> Option<bool>,
    ) -> Option<bool> {
        for (i, branch) in self.branches.iter().enumerate() {
            if branch.required.as_ref().is_some_and(|r| !r.is_in(haystack)) {
                continue;
            }
            let found = match branch.prebuilt.as_ref().and_then(|p| p.is_match(haystack)) {
                Some(found) => found,
                None => compiled(i, branch)?,
            };
            if found {
                return Some(true);
            }
        }
        Some(false)
    }

    /// The syntax tree of branch `i` of `pattern`.
    fn hir(&self, pattern: &str, i: usize) -> Option<&Hir> {
        self.hirs
            .get_or_init(|| {
                let split = branches::split(pattern)?;
                // The build split the pattern as this does: the same branches, in order.
                (split.len() == self.branches.len())
                    .then(|| split.into_iter().map(|(hir, _)| hir).collect())
            })
            .as_ref()?
            .get(i)
    }
}

impl Branch {
    fn engines<'a>(&self, hir: impl FnOnce() -> Option<&'a Hir>) -> Option<&Engines> {
        self.engines
            .get_or_init(|| {
                // The branch's own syntax, parsed alone, when the build printed it: the
                // same branch but for its captures, which it compiles without.
                let parsed = self
                    .source
                    .and_then(|source| regex_syntax::Parser::new().parse(source).ok());
                let hir = match &parsed {
                    Some(parsed) => parsed,
                    None => hir()?,
                };
                let exact = Engine::new(hir)?;
                let loose = if hir.properties().look_set().contains_word_unicode() {
                    Engine::new(&without_word_boundaries(hir))
                } else {
                    None
                };
                Some(Engines { exact, loose })
            })
            .as_ref()
    }
}

impl Engines {
    fn is_match(&self, haystack: &str) -> bool {
        if haystack.is_ascii() {
            return self.exact.is_match(haystack, true);
        }
        match &self.loose {
            // The lazy DFA gives up on a Unicode word boundary at the first byte that is not
            // ASCII: the PikeVM answers, where the loosened pattern matches.
            Some(loose) => loose.is_match(haystack, true) && self.exact.is_match(haystack, false),
            None => self.exact.is_match(haystack, true),
        }
    }
}

/// One pattern's forward automata: a lazy DFA, and a PikeVM where the DFA gives up.
struct Engine {
    automata: Arc<Automata>,
    caches: regex_automata::util::pool::Pool<Caches, CacheMaker>,
}

/// Makes a thread's search caches.
type CacheMaker =
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>;

struct Automata {
    /// None when it cannot be built within the size bound: the PikeVM alone.
    dfa: Option<regex_automata::hybrid::dfa::DFA>,
    pikevm: regex_automata::nfa::thompson::pikevm::PikeVM,
}

/// A thread's search caches for an [`Engine`].
struct Caches {
    dfa: Option<regex_automata::hybrid::dfa::Cache>,
    pikevm: regex_automata::nfa::thompson::pikevm::Cache,
}

impl Engine {
    fn new(hir: &Hir) -> Option<Engine> {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::nfa::thompson::pikevm::PikeVM;
        let nfa =
            compilers::with_compiler(compilers::Groups::None, |c| c.build_from_hir(hir).ok())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .unicode_word_boundary(true)
                    .cache_capacity(REGEX_SIZE_LIMIT),
            )
            .build_from_nfa(nfa.clone())
            .ok();
        let pikevm = PikeVM::new_from_nfa(nfa).ok()?;
        let automata = Arc::new(Automata { dfa, pikevm });
        let maker = Arc::clone(&automata);
        let make: CacheMaker = Box::new(move || Caches {
            dfa: maker.dfa.as_ref().map(|d| d.create_cache()),
            pikevm: maker.pikevm.create_cache(),
        });
        Some(Engine {
            automata,
            caches: regex_automata::util::pool::Pool::new(make),
        })
    }

    /// Whether the pattern matches in `haystack`; `dfa`: whether the lazy DFA is tried.
    fn is_match(&self, haystack: &str, dfa: bool) -> bool {
        let mut caches = self.caches.get();
        let input = regex_automata::Input::new(haystack).earliest(true);
        if dfa
            && let (Some(dfa), Some(cache)) = (&self.automata.dfa, caches.dfa.as_mut())
            && let Ok(found) = dfa.try_search_fwd(cache, &input)
        {
            return found.is_some();
        }
        self.automata.pikevm.is_match(&mut caches.pikevm, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus's documents, whole.
    fn corpus() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .expect("the corpus is there")
                .flatten()
                .map(|e| e.path())
                .collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "md" || e == "html")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    out.push(text);
                }
            }
        }
        let mut docs = Vec::new();
        walk(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus")),
            &mut docs,
        );
        docs
    }

    #[test]
    fn the_built_automata_answer_as_the_compiled_ones_on_the_corpus() {
        let docs = corpus();
        assert!(docs.len() > 500, "{}", docs.len());
        // Blocks and lines of every document (what block and line rules see), a sample of
        // whole documents (what source rules see), and text for word boundaries.
        let mut haystacks: Vec<&str> = Vec::new();
        for doc in &docs {
            haystacks.extend(doc.split("\n\n").map(str::trim));
            haystacks.extend(doc.lines().filter(|l| !l.is_empty()));
        }
        haystacks.sort_unstable();
        haystacks.dedup();
        haystacks.extend(docs.iter().step_by(40).map(String::as_str));
        haystacks.extend([
            "",
            "x",
            "café follow us",
            "Follow us!",
            "© 2024 x",
            "版权所有",
        ]);
        let (mut asked, mut found, mut patterns) = (0usize, 0usize, 0usize);
        for pattern in prebuilt::patterns() {
            let built = Matcher::new(pattern).expect("a built pattern parses");
            let compiled = Matcher::compiled(pattern).expect("a built pattern parses");
            assert_eq!(built.branches.len(), compiled.branches.len(), "{pattern}");
            patterns += 1;
            for (i, (b, c)) in built.branches.iter().zip(&compiled.branches).enumerate() {
                let Some(automata) = &b.prebuilt else {
                    continue;
                };
                let engines = c.engines(|| compiled.hir(pattern, i));
                for (n, h) in haystacks.iter().enumerate() {
                    // A haystack without the branch's literals cannot match: one in 64 of
                    // those is asked all the same.
                    if c.required.as_ref().is_some_and(|r| !r.is_in(h)) && n % 64 != 0 {
                        continue;
                    }
                    let Some(answer) = automata.is_match(h) else {
                        continue;
                    };
                    let engines = engines.expect("a built branch compiles");
                    assert_eq!(answer, engines.is_match(h), "{pattern} #{i} on {h:?}");
                    asked += 1;
                    found += usize::from(answer);
                }
            }
        }
        assert!(patterns > 100, "{patterns}");
        assert!(
            asked > 100_000 && found > 100,
            "{asked} asked, {found} found"
        );
    }
}
