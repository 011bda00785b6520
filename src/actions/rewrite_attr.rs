//! `rewrite-attr`: replaces an attribute's value (`attr`) by `with` when `pattern`
//! matches it; `$1` and the like stand for the pattern's capture groups.
//!
//! ## Why
//!
//! Mirrors and feeds route images and links through proxies
//! (`https://proxy.example/?url=https://real.example/a.jpg`); the real address is in the
//! proxied one, as ClearURLs finds it: a URL pattern and a capture group.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "image-proxy"
//! action = "rewrite-attr"
//! selector = "img[src*='proxy.example']"
//! attr = "src"
//! pattern = '^https?://proxy\.example/\?url=(https?://.+)$'
//! with = "$1"
//! note = "The feed routes images through its proxy."
//! ```
//!
//! cleans
//!
//! ```html
//! <img src="https://proxy.example/?url=https://real.example/a.jpg">
//! ```
//!
//! to
//!
//! ```html
//! <img src="https://real.example/a.jpg">
//! ```

use super::handler::{Env, Handler};
use super::keys::{Css, Key, Keys};
use super::literals::{Literal, with_attribute};
use super::{Kind, Stage};
use crate::report::Stats;
use crate::lazy_regex::LazyRegex;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct RewriteAttr {
    selector: Css,
    attr: String,
    pattern: LazyRegex,
    with: String,
}

impl Kind for RewriteAttr {
    const NAME: &'static str = "rewrite-attr";
    const REQUIRED: &'static [Key] = &[Key::Selector, Key::Attr, Key::Pattern, Key::With];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let selector = keys.selector();
        let pattern = keys.regex(Key::Pattern);
        Some(RewriteAttr {
            selector: selector?,
            attr: keys.string(Key::Attr),
            pattern: pattern?,
            with: keys.string(Key::With),
        })
    }

    fn stage(&self) -> Stage {
        Stage::Rewriter
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    /// Besides its selector's literals, the attribute it rewrites.
    fn needs(&self) -> Vec<Vec<Literal>> {
        with_attribute(&self.selector, Some(&self.attr))
    }

    fn handler<'h>(&'h self, rule: usize, _env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        Handler::element(&self.selector.compiled, move |el| {
            if let Some(value) = el.get_attribute(&self.attr)
                && self.pattern.is_match(&value)
            {
                let new = self.pattern.replace(&value, self.with.as_str()).into_owned();
                if el.set_attribute(&self.attr, &new).is_ok() {
                    stats.fired(rule, 0);
                }
            }
            Ok(())
        })
    }
}
