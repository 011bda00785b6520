//! `rename`: gives the element another tag name (`to`), keeping its attributes and content.
//!
//! ## Why
//!
//! A mirror may spell an article's markup in tags no renderer knows: gfw-breaker's pages
//! turned every `<a>` into `<ok>`, and some outlets keep links in `<span href>`. Renamed,
//! they are links again in every output format.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "ok-links"
//! action = "rename"
//! selector = "ok[href]"
//! to = "a"
//! note = "The mirror writes links as <ok href>."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>See <ok href="https://example.com/">the report</ok>.</p>
//! ```
//!
//! to
//!
//! ```html
//! <p>See <a href="https://example.com/">the report</a>.</p>
//! ```

use super::handler::{Env, Handler};
use super::keys::{Css, Key, Keys};
use super::{Kind, Stage};
use crate::report::Stats;
use lol_html::end_tag;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Rename {
    selector: Css,
    to: String,
}

impl Kind for Rename {
    const NAME: &'static str = "rename";
    const REQUIRED: &'static [Key] = &[Key::Selector, Key::To];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let to = keys.string(Key::To);
        if !to.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || to.is_empty() {
            keys.error(Key::To, "not a tag name", None);
            return None;
        }
        Some(Rename {
            selector: keys.selector()?,
            to,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Rewriter
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    fn handler<'h>(&'h self, rule: usize, _env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        Handler::element(&self.selector.compiled, move |el| {
            stats.fired(rule, 0);
            let tag = el.tag_name();
            el.start_tag().set_name(self.to.as_str());
            if el.can_have_content() {
                let to = self.to.clone();
                el.on_end_tag(end_tag!(move |end| {
                    if end.name() == tag {
                        end.set_name(to.as_str());
                    }
                    Ok(())
                }))?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::errors;

    #[test]
    fn the_new_name_must_be_a_tag_name() {
        let rules = "[[rule]]\nid = \"r\"\naction = \"rename\"\nselector = \"ok\"\nto = \"a b\"\nnote = \"n\"\n";
        assert_eq!(errors(rules), ["5:6 not a tag name"]);
    }
}
