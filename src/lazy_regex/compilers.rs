//! This thread's Thompson compilers, one for each kind of automaton the module builds: a
//! compiler's working memory (its UTF-8 automata's caches, made on first use and dropped
//! with it) is made once a thread, not once a pattern (a tenth of a compilation).

use super::branches::{REGEX_SIZE_LIMIT, nfa_config};
use regex_automata::nfa::thompson::{Compiler, Config};

/// Which automata a compiler makes.
#[derive(Clone, Copy)]
pub(super) enum Groups {
    /// Without capture groups, as a `Matcher`'s branches are (`branches::nfa_config`).
    None,
    /// With every capture group, as the regex crate's forward automaton is: an anchored
    /// pattern's engines, and the size a rule set's regexes are bounded by.
    All,
}

/// Runs `f` with this thread's compiler of `groups` automata.
pub(super) fn with_compiler<R>(groups: Groups, f: impl FnOnce(&Compiler) -> R) -> R {
    thread_local! {
        static WITHOUT_GROUPS: Compiler = made(nfa_config());
        static WITH_GROUPS: Compiler = made(
            Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).shrink(false),
        );
    }
    match groups {
        Groups::None => WITHOUT_GROUPS.with(f),
        Groups::All => WITH_GROUPS.with(f),
    }
}

/// A compiler set with `config`.
fn made(config: Config) -> Compiler {
    let mut compiler = Compiler::new();
    compiler.configure(config);
    compiler
}
