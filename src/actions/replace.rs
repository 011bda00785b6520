//! `replace`: replaces every match of `pattern` in the Markdown source by `with` (`$1`
//! and the like stand for capture groups).
//!
//! ## Why
//!
//! Some template text is chaff only in part: a line whose label goes and whose value
//! stays, a mirror's wrapper around a link. A replacement keeps what the capture groups
//! hold. It runs on the source before it is split into blocks, so it suits the fixed
//! lines a generator writes, not the article's markup.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "proxy-label"
//! action = "replace"
//! pattern = '(?m)^Read via proxy: (https?://\S+)$'
//! with = "<$1>"
//! note = "The mirror's label before the article's address."
//! ```
//!
//! cleans
//!
//! ```markdown
//! The article.
//!
//! Read via proxy: https://news.example/a
//! ```
//!
//! to
//!
//! ```markdown
//! The article.
//!
//! <https://news.example/a>
//! ```

use super::keys::{Key, Keys};
use super::{Edit, Kind, Stage};
use crate::lazy_regex::LazyRegex;
use crate::report::Warning;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct Replace {
    pattern: LazyRegex,
    with: String,
}

impl Kind for Replace {
    const NAME: &'static str = "replace";
    const REQUIRED: &'static [Key] = &[Key::Pattern, Key::With];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(Replace {
            pattern: keys.regex(Key::Pattern)?,
            with: keys.string(Key::With),
        })
    }

    fn stage(&self) -> Stage {
        Stage::Source
    }

    fn edit(&self, text: &mut Cow<'_, str>, edit: &mut Edit<'_>) -> usize {
        let found = match self.pattern.captures_bounded(text) {
            Ok(found) => found,
            Err(over) => {
                edit.warnings.push(over_budget(edit.id, &over));
                return 0;
            }
        };
        if found.is_empty() {
            return 0;
        }
        let mut replaced = String::with_capacity(text.len());
        let mut last = 0;
        for caps in &found {
            let m = caps.get(0).expect("a match has group 0");
            replaced.push_str(&text[last..m.start()]);
            caps.expand(&self.with, &mut replaced);
            last = m.end();
        }
        replaced.push_str(&text[last..]);
        let removed = text.len().saturating_sub(replaced.len());
        for n in 0..found.len() {
            edit.stats
                .fired(edit.rule, if n == 0 { removed } else { 0 });
        }
        drop(found);
        *text = Cow::Owned(replaced);
        0
    }
}

/// The warning for a rule whose search for every match went past its budget: the rule was
/// not applied to the document.
pub(crate) fn over_budget(id: &str, over: &crate::lazy_regex::OverBudget) -> Warning {
    Warning::new(
        "rule-too-costly",
        format!(
            "rule {id}: finding every match of its pattern would scan more than {} (32 times the document, plus 1 MiB); the rule was not applied to this document",
            crate::diagnostics::size(over.budget)
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::markdown;

    #[test]
    fn every_match_counts_and_the_bytes_removed_once() {
        let rules = "[[rule]]\nid = \"r\"\naction = \"replace\"\npattern = 'ab+'\nwith = \"a\"\nnote = \"n\"\n";
        let cleaned = markdown(rules, "abbb abb\n");
        assert_eq!(cleaned.text, "a a\n");
        let hit = &cleaned.report.fired[0];
        assert_eq!((hit.count, hit.bytes_removed), (2, 5));
    }

    #[test]
    fn a_replacement_that_would_cost_too_much_is_not_applied() {
        // Each search for `a` looks to the end of the line for a `Z` first: finding every
        // match scans the line once per letter.
        let rules = "[[rule]]\nid = \"r\"\naction = \"replace\"\npattern = '[a-z]+Z|a'\nwith = \"b\"\nnote = \"n\"\n";
        let page = format!("{}\n", "a".repeat(20_000));
        let cleaned = markdown(rules, &page);
        assert_eq!(cleaned.text, page);
        assert!(crate::actions::tests::warned(&cleaned, "rule-too-costly"));
        assert!(cleaned.report.fired.is_empty());
        // The same letters on lines of their own cost a line each: replaced.
        let page = "a\n".repeat(10_000);
        let cleaned = markdown(rules, &page);
        assert_eq!(cleaned.text, "b\n".repeat(10_000));
    }
}
