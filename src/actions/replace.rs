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
        let mut counting = Counting {
            with: &self.with,
            count: 0,
        };
        let before = text.len();
        let replaced = self.pattern.replace_all(text, &mut counting);
        let count = counting.count;
        if count > 0 {
            let replaced = replaced.into_owned();
            let removed = before.saturating_sub(replaced.len());
            for n in 0..count {
                edit.stats
                    .fired(edit.rule, if n == 0 { removed } else { 0 });
            }
            *text = Cow::Owned(replaced);
        }
        0
    }
}

/// The template, expanded straight into the output, counting the matches.
struct Counting<'a> {
    with: &'a str,
    count: usize,
}

impl regex::Replacer for &mut Counting<'_> {
    fn replace_append(&mut self, caps: &regex::Captures<'_>, dst: &mut String) {
        self.count += 1;
        caps.expand(self.with, dst);
    }
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
}
