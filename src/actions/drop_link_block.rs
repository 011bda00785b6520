//! `drop-link-block`: drops a Markdown heading or paragraph made only of links (and
//! separators such as `|` or `&nbsp;`) whose targets all match `pattern`.
//!
//! ## Why
//!
//! Mirrors put menus and promo lines around every article as Markdown lines of links:
//! `#### [首页](…) | [禁闻](…)`. The targets (the mirror's own pages) say what the line is,
//! whatever its words; a line with any link elsewhere, or any text of its own, stays.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "top-menu"
//! action = "drop-link-block"
//! pattern = '^https://mirror\.example/'
//! note = "The mirror's menu of its own sections above every page."
//! ```
//!
//! cleans
//!
//! ```markdown
//! #### [Home](https://mirror.example/) | [News](https://mirror.example/news)
//!
//! The article.
//! ```
//!
//! to
//!
//! ```markdown
//! The article.
//! ```

use super::keys::{Key, Keys};
use super::{Kind, Stage};
use crate::lazy_regex::LazyRegex;

#[derive(Debug, Clone)]
pub struct DropLinkBlock {
    pattern: LazyRegex,
}

impl Kind for DropLinkBlock {
    const NAME: &'static str = "drop-link-block";
    const REQUIRED: &'static [Key] = &[Key::Pattern];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(DropLinkBlock {
            pattern: keys.regex(Key::Pattern)?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Block
    }

    fn drops_block(&self, links: &[String]) -> bool {
        links.iter().all(|l| self.pattern.matches(l))
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::markdown;

    #[test]
    fn a_block_with_other_links_or_words_stays() {
        let rules = "[[rule]]\nid = \"m\"\naction = \"drop-link-block\"\npattern = '^https://m\\.example/'\nnote = \"n\"\n";
        let page = "[a](https://m.example/) | [b](https://other.example/)\n\n[a](https://m.example/) and words\n";
        assert_eq!(markdown(rules, page).text, page);
    }
}
