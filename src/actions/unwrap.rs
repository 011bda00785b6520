//! `unwrap`: removes the element's tags and keeps its content.
//!
//! ## Why
//!
//! Some wrappers are chaff while what they hold is the article: a mirror that turned every
//! `<a>` into an unknown `<ok>` tag, a `<font>` or a layout `<div>` around the text.
//! Unwrapping drops the tags and joins the whitespace left on both sides, so no blank line
//! stays where they stood.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "ok-tags"
//! action = "unwrap"
//! selector = "ok"
//! note = "The mirror's stand-in for links whose targets it dropped."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>See <ok href="/x">the report</ok>.</p>
//! ```
//!
//! to
//!
//! ```html
//! <p>See the report.</p>
//! ```

use super::handler::{Env, Handler};
use super::keys::{Css, Key, Keys};
use super::{Kind, Stage};
use crate::report::Stats;
use lol_html::html_content::{ContentType, Element};
use lol_html::{HandlerResult, end_tag};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Unwrap {
    selector: Css,
}

impl Kind for Unwrap {
    const NAME: &'static str = "unwrap";
    const REQUIRED: &'static [Key] = &[Key::Selector];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(Unwrap {
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
            stats.fired(rule, 0);
            unwrap(el, &env)
        })
    }
}

/// Removes an element's own tags, keeping its content, and marks the places so the sink can
/// join the whitespace around them.
fn unwrap(el: &mut Element<'_, '_>, env: &Env) -> HandlerResult {
    el.before(&env.join(), ContentType::Html);
    el.start_tag().remove();
    if el.can_have_content() {
        let tag = el.tag_name();
        let join = env.join();
        el.on_end_tag(end_tag!(move |end| {
            if end.name() == tag {
                end.remove();
                end.after(&join, ContentType::Html);
            }
            Ok(())
        }))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::html;

    #[test]
    fn whitespace_left_on_both_sides_joins() {
        let rules = "[[rule]]\nid = \"w\"\naction = \"unwrap\"\nselector = \"div.w\"\nnote = \"n\"\n";
        let cleaned = html(rules, "<p>a</p>\n<div class=w>\n\n<p>b</p>\n\n</div>\n<p>c</p>");
        assert_eq!(cleaned.text, "<p>a</p>\n<p>b</p>\n<p>c</p>");
    }
}
