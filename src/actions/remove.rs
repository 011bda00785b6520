//! `remove`: removes the element and all its content.
//!
//! ## Why
//!
//! Most chaff is an element of its own that the template puts on every page: an ad slot,
//! a share bar, a related-articles box. Removing it by a class, id or attribute that every
//! page of the site shares is the plainest rule there is. The element is removed only when
//! its own end tag is seen: one that lol_html closes implicitly (a `<p>` without `</p>`) is
//! kept, with a warning, so that a removal never reaches past its element.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "ad-slot"
//! action = "remove"
//! selector = "div.ad-slot, img[width='1']"
//! note = "The site's ad slots and tracking pixels."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>News.</p><div class="ad-slot"><p>Buy!</p></div><img src="t.gif" width="1">
//! ```
//!
//! to
//!
//! ```html
//! <p>News.</p>
//! ```

use super::handler::{self, Env, Handler};
use super::keys::{Css, Key, Keys};
use super::{Kind, Seen, Stage};
use crate::report::Stats;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Remove {
    selector: Css,
}

impl Kind for Remove {
    const NAME: &'static str = "remove";
    const REQUIRED: &'static [Key] = &[Key::Selector];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(Remove {
            selector: keys.selector()?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Rewriter
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    fn handler<'h>(&'h self, rule: usize, env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        let env = Rc::clone(env);
        Handler::element(&self.selector.compiled, move |el| {
            handler::remove(el, rule, &env, stats)
        })
    }

    fn removal_rank(&self, _seen: &Seen, _text: Option<&str>) -> Option<u8> {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::{html, warned};

    #[test]
    fn an_element_that_never_closes_is_kept_with_a_warning() {
        let rules = "[[rule]]\nid = \"n\"\naction = \"remove\"\nselector = \"p.notice\"\nnote = \"n\"\n";
        let cleaned = html(rules, "<div><p class=notice>Old<div>Article</div></div>");
        assert_eq!(cleaned.text, "<div>Old<div>Article</div></div>");
        assert!(warned(&cleaned, "unclosed-element"));
    }
}
