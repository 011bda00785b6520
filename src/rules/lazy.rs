//! Rules compiled when a document first needs them.
//!
//! Compiling regexes is most of what loading rules costs (about a million instructions
//! each, most of it for Unicode classes such as `\d` and `\s`), and one document runs the
//! rules of three or four of the catalog's files. So the built-in files, which a test
//! compiles and checks whole, are only parsed when the catalog loads: each file's rules
//! compile when a document first runs them, and a detection regex compiles only when the
//! text it is tried on holds a literal every match must contain. Files from a directory
//! or from memory are compiled and checked whole as they load, so that a broken one is
//! refused before anything runs.
//!
//! What is compiled is shared by a catalog's clones, so each file and regex compiles once
//! in a process; a clone keeps a copy of its own, whose regexes' caches are then its
//! thread's alone.

use super::Rule;
use crate::actions::keys::build_regex;
use regex::Regex;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// What compiles a file's rules on first use: everything [`super::compile`] needs.
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

/// A regex of a rule file, compiled on first use; it dereferences to the [`Regex`].
pub struct LazyRegex {
    shared: Arc<RegexCell>,
    /// A clone's own copy.
    own: Option<OnceLock<Regex>>,
}

struct RegexCell {
    pattern: String,
    compiled: OnceLock<Regex>,
    /// A literal every match contains, if the pattern shows one (see [`required_literal`]).
    required: OnceLock<Option<String>>,
}

impl LazyRegex {
    /// A regex compiled already.
    pub(crate) fn ready(regex: Regex) -> LazyRegex {
        LazyRegex {
            shared: Arc::new(RegexCell {
                pattern: regex.as_str().to_string(),
                compiled: OnceLock::from(regex),
                required: OnceLock::new(),
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
            Some(own) => own.get_or_init(|| shared.clone()),
        }
    }

    /// Whether the regex may match somewhere in `haystack`: false only when a literal every
    /// match contains is not in it, which is told without compiling the regex.
    pub fn may_match(&self, haystack: &str) -> bool {
        let required = self
            .shared
            .required
            .get_or_init(|| required_literal(&self.shared.pattern));
        required
            .as_deref()
            .is_none_or(|lit| memchr::memmem::find(haystack.as_bytes(), lit.as_bytes()).is_some())
    }
}

impl Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.get()
    }
}

impl Clone for LazyRegex {
    fn clone(&self) -> LazyRegex {
        LazyRegex {
            shared: Arc::clone(&self.shared),
            own: Some(OnceLock::new()),
        }
    }
}

impl fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.as_str()).finish()
    }
}

/// The longest run of literal characters in the top level of `pattern`: every match
/// contains it. None when there is none, or when it could match in another case.
///
/// Only the syntax tree is read (no Unicode class is expanded), so this costs a small part
/// of a compilation. The run is taken from the top-level sequence only: a literal inside a
/// group, under a repetition or beside an alternation may be skipped by a match.
fn required_literal(pattern: &str) -> Option<String> {
    use regex_syntax::ast::{Ast, Flag, FlagsItemKind};
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .ok()?;
    let items: &[Ast] = match &ast {
        Ast::Concat(concat) => &concat.asts,
        Ast::Literal(_) => std::slice::from_ref(&ast),
        _ => return None,
    };
    let mut best = String::new();
    let mut run = String::new();
    for item in items {
        match item {
            Ast::Literal(lit) => {
                run.push(lit.c);
                continue;
            }
            Ast::Flags(flags) => {
                // A case-insensitive match need not hold the literal as written.
                let case = flags
                    .flags
                    .items
                    .iter()
                    .any(|i| matches!(i.kind, FlagsItemKind::Flag(Flag::CaseInsensitive)));
                if case {
                    return None;
                }
            }
            _ => {}
        }
        if run.len() > best.len() {
            best = std::mem::take(&mut run);
        }
        run.clear();
    }
    if run.len() > best.len() {
        best = run;
    }
    (!best.is_empty()).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_literals_are_read_from_the_top_level() {
        let req = |p: &str| required_literal(p);
        assert_eq!(req(r"【大纪元\d{4}年").as_deref(), Some("【大纪元"));
        assert_eq!(
            req(r"(?m)^#### \[首页\]\(https://github\.com/x").as_deref(),
            Some("#### [首页](https://github.com/x")
        );
        assert_eq!(req(r"abc|defg"), None);
        assert_eq!(req(r"(?i)abc"), None);
        assert_eq!(req(r"x(?i)abcd"), None);
        assert_eq!(req(r"(?:abc)?d").as_deref(), Some("d"));
        assert_eq!(req(r"ab*cd").as_deref(), Some("cd"));
        assert_eq!(req(r"\d+"), None);
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
        ] {
            let lazy = LazyRegex::on_first_use(pattern);
            let re = Regex::new(pattern).unwrap();
            for h in haystacks {
                assert!(lazy.may_match(h) || !re.is_match(h), "{pattern} on {h}");
            }
        }
        assert!(!LazyRegex::on_first_use(r"【大纪元\d{4}年").may_match("<p>x</p>"));
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
}
