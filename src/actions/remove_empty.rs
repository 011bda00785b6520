//! `remove-empty`: removes the element when, after the other rules, it has no text, no
//! media (`img`, `video`, `iframe`, …) and no divider (`hr`, which the author put between
//! parts of the article). Blank text (spaces, `&nbsp;`, U+3000) is no text.
//!
//! ## Why
//!
//! Removing chaff leaves its containers behind: a `<div>` that held an ad, a `<p>` that
//! held a share button. Empty, they would render as blank lines. Empty containers go from
//! the inside out, and an empty inline element between two words leaves a space. On a
//! plain list of tag names the rule runs after the rewriter (`rewrite::judge`), on what
//! the other rules left.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "empty-container"
//! action = "remove-empty"
//! selector = "div, p, span"
//! note = "Containers left empty by the other rules."
//! ```
//!
//! cleans
//!
//! ```html
//! <div> <p>&nbsp;</p> </div><p>One<span> </span>two.</p>
//! ```
//!
//! to
//!
//! ```html
//! <p>One two.</p>
//! ```

use super::handler::{self, Env, Handler};
use super::keys::{Css, Key, Keys};
use super::{Kind, Seen, Stage};
use crate::report::Stats;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct RemoveEmpty {
    selector: Css,
}

impl Kind for RemoveEmpty {
    const NAME: &'static str = "remove-empty";
    const REQUIRED: &'static [Key] = &[Key::Selector];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(RemoveEmpty {
            selector: keys.selector()?,
        })
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

    fn keeps(&self, seen: &Seen) -> bool {
        seen.has_content
    }

    fn removal_rank(&self, seen: &Seen, _text: Option<&str>) -> Option<u8> {
        (!seen.has_content).then_some(2)
    }

    fn only_empty(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::html;

    #[test]
    fn media_and_comments_are_not_emptiness_alike() {
        let rules = "[[rule]]\nid = \"e\"\naction = \"remove-empty\"\nselector = \"div.box\"\nnote = \"n\"\n";
        assert_eq!(
            html(rules, "<div class=box><img src=a></div><div class=box><!-- c --></div>").text,
            "<div class=box><img src=a></div>"
        );
    }

    #[test]
    fn a_divider_is_not_emptiness() {
        let rules = "[[rule]]\nid = \"e\"\naction = \"remove-empty\"\nselector = \"div.box\"\nnote = \"n\"\n";
        assert_eq!(
            html(rules, "<div class=box> <hr> </div><div class=box><br></div>").text,
            "<div class=box> <hr> </div>"
        );
    }
}
