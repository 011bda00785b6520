//! `remove-if-text`: removes the element when its whole text matches `pattern`. The text
//! is what a reader sees: tags dropped, entities decoded, whitespace folded, trimmed. Text
//! longer than `max_chars` (default 1000 characters) is never matched.
//!
//! ## Why
//!
//! Promo lines, copyright notices and "follow us" paragraphs are often plain `<p>`s with
//! nothing to select them by but their words. The pattern is the template's fixed wording,
//! never one article's; the bound keeps a loose pattern from taking a paragraph of the
//! article. On a plain list of tag names (`p`, `div, p`) the rule runs after the rewriter
//! (`rewrite::judge`), which costs far less than capturing every paragraph in lol_html;
//! with a class or attribute in the selector it runs as a handler. A pattern anchored at
//! the start (`^…`) lets most texts be ruled out by their first characters.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "copyright"
//! action = "remove-if-text"
//! selector = "p"
//! pattern = '^©\s*\d{4}\s*Example News'
//! max_chars = 200
//! note = "The copyright notice that closes every article."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>News.</p><p>© 2023 <b>Example</b> News. All rights reserved.</p>
//! ```
//!
//! to
//!
//! ```html
//! <p>News.</p>
//! ```

use super::handler::{self, Env, Handler};
use super::keys::{Css, Key, Keys};
use super::literals::{self, Literal, anchored_prefixes};
use super::{Kind, Seen, Stage};
use crate::report::Stats;
use crate::lazy_regex::LazyRegex;
use std::rc::Rc;

/// Default bound on the text a rule reads (CJK text is dense: 1,000 characters is a long
/// paragraph).
pub const DEFAULT_MAX_CHARS: usize = 1000;

#[derive(Debug, Clone)]
pub struct RemoveIfText {
    selector: Css,
    pattern: LazyRegex,
    max_chars: usize,
    /// When the pattern is anchored at the start: the literals every match begins with, so
    /// that a text can be ruled out early (see `literals::anchored_prefixes`).
    prefixes: Option<Vec<Vec<u8>>>,
}

impl Kind for RemoveIfText {
    const NAME: &'static str = "remove-if-text";
    const REQUIRED: &'static [Key] = &[Key::Selector, Key::Pattern];
    const OPTIONAL: &'static [Key] = &[Key::MaxChars];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let selector = keys.selector();
        let pattern = keys.regex(Key::Pattern)?;
        Some(RemoveIfText {
            selector: selector?,
            prefixes: anchored_prefixes(pattern.as_str()),
            pattern,
            max_chars: keys.number(Key::MaxChars).unwrap_or(DEFAULT_MAX_CHARS),
        })
    }

    /// Its selector's literals and one of the words every match of its pattern holds: an
    /// element's text is in the page's bytes, so a page without any of them has no element
    /// the rule takes (a word cut by markup inside it, `Re<b>ad</b>`, is not found: the
    /// rule then does not run, and takes nothing it would not have taken). A rule on every
    /// link (`a`) runs only on the pages that hold its words.
    fn needs(&self) -> Vec<Vec<Literal>> {
        let selector = literals::of_selector(&self.selector.text);
        let Some(words) = self.pattern.words() else {
            return selector;
        };
        (selector.iter())
            .flat_map(|all| {
                words.iter().map(move |w| {
                    let mut all = all.clone();
                    all.push(Literal::Text(w.clone()));
                    all
                })
            })
            .collect()
    }

    fn stage(&self) -> Stage {
        if self.selector.tags.is_some() {
            Stage::Judge
        } else {
            Stage::Rewriter
        }
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    fn handler<'h>(&'h self, rule: usize, env: &Rc<Env>, _stats: &'h Stats) -> Handler<'h> {
        let env = Rc::clone(env);
        Handler::element(&self.selector.compiled, move |el| {
            handler::frame(el, rule, &env)
        })
    }

    fn text_limit(&self) -> Option<usize> {
        Some(self.max_chars)
    }

    fn keeps(&self, seen: &Seen) -> bool {
        seen.text_overflow || seen.ruled_out
    }

    fn text_ruled_out(&self, seen: &Seen) -> Option<bool> {
        Some(self.prefixes.as_ref().is_some_and(|p| seen.rules_out(p)))
    }

    fn text_reach(&self) -> usize {
        // `Seen::rules_out` reads as far as the longest prefix; without prefixes, nothing.
        (self.prefixes.iter().flatten())
            .map(Vec::len)
            .max()
            .unwrap_or(0)
    }

    fn removal_rank(&self, _seen: &Seen, text: Option<&str>) -> Option<u8> {
        text.is_some_and(|t| self.pattern.matches(t)).then_some(1)
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::html;

    fn rules(selector: &str) -> String {
        format!(
            "[[rule]]\nid = \"t\"\naction = \"remove-if-text\"\nselector = \"{selector}\"\npattern = '^订阅 广告&$'\nmax_chars = 10\nnote = \"n\"\n"
        )
    }

    #[test]
    fn in_the_judge_and_as_a_handler_alike() {
        for selector in ["p", "p.x"] {
            let rules = rules(selector);
            let page = "<p class=x>订阅\n <b>广告</b>&amp;</p><p class=x>订阅 广告&amp; 还有很多很多文字</p>";
            assert_eq!(
                html(&rules, page).text,
                "<p class=x>订阅 广告&amp; 还有很多很多文字</p>",
                "{selector}"
            );
        }
    }
}
