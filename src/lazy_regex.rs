//! A rule file's regexes: built with a bound on their size, and compiled when a document
//! first needs them (see `rules::lazy` for why). The one place rule regexes are built.

use regex::{Regex, RegexBuilder};
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// Compiled-size bound for rule regexes: rule files are data and must stay cheap to run.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles a rule file's regex, bounded in size: the one place rule regexes are built,
/// whether as the file loads or on first use ([`LazyRegex`]).
pub(crate) fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
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
