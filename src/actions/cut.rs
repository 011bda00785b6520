//! `cut`: removes from the last match of `from` to the end of the next match of `to` (or
//! to the end of the document). A cut larger than `max_bytes` (default 8192) is refused,
//! with a warning.
//!
//! ## Why
//!
//! A feed or mirror appends the same footer to every item: a rule, a box of links, a
//! notice. Its start and end are fixed text in the source, whatever markup is between;
//! the last `from` is the footer's, not a quote of it in the article. The bound keeps a
//! changed template from cutting the article.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "rss-footer"
//! action = "cut"
//! from = '<hr\s*/?>\s*<div>\s*More feeds'
//! to = '</div>'
//! max_bytes = 1024
//! note = "The feed's own footer after every item."
//! ```
//!
//! cleans
//!
//! ```markdown
//! <p>News.</p><hr><div>More feeds: https://feeds.example</div>
//! ```
//!
//! to
//!
//! ```markdown
//! <p>News.</p>
//! ```

use super::keys::{Key, Keys};
use super::{Edit, Kind, Stage};
use crate::report::Warning;
use crate::lazy_regex::LazyRegex;
use std::borrow::Cow;

/// Default bound on what one cut may remove.
pub const DEFAULT_MAX_BYTES: usize = 8192;

#[derive(Debug, Clone)]
pub struct Cut {
    from: LazyRegex,
    to: Option<LazyRegex>,
    max_bytes: usize,
}

impl Kind for Cut {
    const NAME: &'static str = "cut";
    const REQUIRED: &'static [Key] = &[Key::From];
    const OPTIONAL: &'static [Key] = &[Key::To, Key::MaxBytes];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let from = keys.regex(Key::From);
        let to = keys.optional_regex(Key::To);
        Some(Cut {
            from: from?,
            to: to?,
            max_bytes: keys.number(Key::MaxBytes).unwrap_or(DEFAULT_MAX_BYTES),
        })
    }

    fn stage(&self) -> Stage {
        Stage::Source
    }

    fn edit(&self, text: &mut Cow<'_, str>, edit: &mut Edit<'_>) -> usize {
        if self.surely_absent(text) {
            return 0;
        }
        let found = match self.from.captures_bounded(text) {
            Ok(found) => found,
            Err(over) => {
                edit.warnings
                    .push(super::replace::over_budget(edit.id, &over));
                return 0;
            }
        };
        let Some(start) = found.last().and_then(|c| c.get(0)).map(|m| m.start()) else {
            return 0;
        };
        drop(found);
        let end = match &self.to {
            None => Some(text.len()),
            Some(to) => to.find_at(text, start).map(|m| m.end()),
        };
        let Some(end) = end else {
            return 0;
        };
        if end - start > self.max_bytes {
            edit.warnings.push(Warning::new(
                "cut-too-large",
                format!(
                    "rule {}: the cut would remove {} bytes, more than its bound of {}; nothing was cut",
                    edit.id,
                    end - start,
                    self.max_bytes
                ),
            ));
            return 0;
        }
        edit.stats.removed(edit.rule, &text[start..end]);
        text.to_mut().replace_range(start..end, "");
        0
    }
}

impl Cut {
    /// Whether `text` surely holds no match of `from`: the pattern is compiled and no
    /// literal every match holds is in the text (until it is compiled, its search looks
    /// for them itself). A compiled regex's own prefilter looks for the literals a match
    /// begins with, and behind an optional lead (`(<br\s*/?>\s*)*<hr`, `(?:<hr\s*/?>\s*)?<p>`)
    /// those are common markup, each a search started; the literals every match holds
    /// (`获取更多RSS`, an outlet's address) rule most pages out in one scan. A search with no
    /// match cannot pass its budget: nothing is lost by not making it.
    fn surely_absent(&self, text: &str) -> bool {
        self.from.is_compiled() && !self.from.may_match(text)
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::Action;
    use crate::actions::tests::{markdown, rule, warned};

    #[test]
    fn a_page_without_the_literals_every_match_holds_is_not_searched() {
        let Action::Cut(cut) = rule("cut", r"from = '(?:<hr>\s*)?<p>获取更多RSS'") else {
            unreachable!()
        };
        // A rule of a file loaded without deferring is compiled as it loads.
        assert!(cut.surely_absent("<hr>\n<p>正文</p>\n"));
        assert!(!cut.surely_absent("<hr>\n<p>获取更多RSS</p>\n"));
        let rules = "[[rule]]\nid = \"c\"\naction = \"cut\"\nfrom = '(?:<hr>\\s*)?<p>获取更多RSS'\nnote = \"n\"\n";
        assert_eq!(markdown(rules, "正文\n\n<hr>\n<p>获取更多RSS</p>\n").text, "正文\n");
        assert_eq!(markdown(rules, "正文\n\n<hr>\n").text, "正文\n\n<hr>\n");
    }

    #[test]
    fn a_cut_over_its_bound_is_refused_with_a_warning() {
        let rules = "[[rule]]\nid = \"c\"\naction = \"cut\"\nfrom = 'FOOT'\nmax_bytes = 8\nnote = \"n\"\n";
        let page = "Body.\n\nFOOT and more than eight bytes\n";
        let cleaned = markdown(rules, page);
        assert_eq!(cleaned.text, page);
        assert!(warned(&cleaned, "cut-too-large"));
    }
}
