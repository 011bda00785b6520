//! Rules compiled when a document first needs them.
//!
//! Compiling regexes is most of what loading rules costs (about a million instructions
//! each, most of it for Unicode classes such as `\d` and `\s`), and one document runs the
//! rules of three or four of the catalog's files. So the built-in files, which a test
//! compiles and checks whole, are only read when the catalog loads (from what the build
//! parsed of them, see `rules::built_in`): each file's rules compile when a document first
//! runs them, and a detection regex compiles only when the text it is tried on holds a
//! literal every match must contain. Files from a directory or from memory are compiled
//! and checked whole as they load, so that a broken one is refused before anything runs.
//!
//! What is compiled is shared by a catalog's clones, so each file and regex compiles once
//! in a process; a clone keeps a copy of its own, whose regexes' caches are then its
//! thread's alone.

use super::Rule;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// What compiles a file's rules on first use: a closure holding what compilation needs.
pub(crate) type Compiler = Box<dyn Fn() -> Vec<Rule> + Send + Sync>;

/// A rule file's rules: compiled as the file loaded, or on first use.
pub(crate) struct LazyRules {
    shared: Arc<RulesCell>,
    /// A clone's own copy.
    own: Option<OnceLock<Vec<Rule>>>,
}

struct RulesCell {
    compiler: Option<Compiler>,
    compiled: OnceLock<Vec<Rule>>,
}

impl LazyRules {
    /// Rules compiled already.
    pub fn ready(rules: Vec<Rule>) -> LazyRules {
        LazyRules {
            shared: Arc::new(RulesCell {
                compiler: None,
                compiled: OnceLock::from(rules),
            }),
            own: None,
        }
    }

    /// Rules `compiler` compiles when they are first asked for.
    pub fn on_first_use(compiler: Compiler) -> LazyRules {
        LazyRules {
            shared: Arc::new(RulesCell {
                compiler: Some(compiler),
                compiled: OnceLock::new(),
            }),
            own: None,
        }
    }

    /// The rules, compiled now if they were not.
    pub fn get(&self) -> &[Rule] {
        let shared = self
            .shared
            .compiled
            .get_or_init(|| self.shared.compiler.as_ref().map_or_else(Vec::new, |c| c()));
        match &self.own {
            None => shared,
            Some(own) => own.get_or_init(|| shared.clone()),
        }
    }
}

impl Clone for LazyRules {
    fn clone(&self) -> LazyRules {
        LazyRules {
            shared: Arc::clone(&self.shared),
            own: Some(OnceLock::new()),
        }
    }
}

impl fmt::Debug for LazyRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.shared.compiled.get() {
            Some(rules) => rules.fmt(f),
            None => f.write_str("[not compiled yet]"),
        }
    }
}
