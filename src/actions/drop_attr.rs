//! `drop-attr`: drops the element's attributes whose names match `pattern`.
//!
//! ## Why
//!
//! Event handlers (`onclick`, `onload`) are active content that must not reach readers,
//! and tracking attributes are noise in the source a reader keeps. A pattern that is a
//! literal prefix (`^on`) is tested without the regex engine. With the selector `*` the
//! rule runs after the rewriter (`rewrite::judge`), on the tags of what is left, written
//! back as lol_html writes a changed tag: in lol_html it would capture every element.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "event-handlers"
//! action = "drop-attr"
//! selector = "*"
//! pattern = '^on'
//! note = "Event handlers are active content."
//! ```
//!
//! cleans
//!
//! ```html
//! <p onclick="track()" class="lead">News.</p>
//! ```
//!
//! to
//!
//! ```html
//! <p class="lead">News.</p>
//! ```

use super::handler::{Env, Handler};
use super::keys::{Css, Key, Keys, NameTest};
use super::literals::{Literal, with_attribute};
use super::{Kind, Stage};
use crate::report::Stats;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct DropAttr {
    selector: Css,
    names: NameTest,
}

impl Kind for DropAttr {
    const NAME: &'static str = "drop-attr";
    const REQUIRED: &'static [Key] = &[Key::Selector, Key::Pattern];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let selector = keys.selector();
        let pattern = keys.regex(Key::Pattern);
        Some(DropAttr {
            selector: selector?,
            names: NameTest::new(pattern?),
        })
    }

    fn stage(&self) -> Stage {
        // On every element: lol_html would capture and rewrite each one.
        if self.selector.text.trim() == "*" {
            Stage::Judge
        } else {
            Stage::Rewriter
        }
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    /// Besides its selector's literals, the prefix of the names it drops, if the pattern
    /// is one.
    fn needs(&self) -> Vec<Vec<Literal>> {
        with_attribute(&self.selector, self.names.prefix())
    }

    fn handler<'h>(&'h self, rule: usize, _env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        Handler::element(&self.selector.compiled, move |el| {
            let names: Vec<String> = el
                .attributes()
                .iter()
                .map(|a| a.name())
                .filter(|n| self.names.matches(n.as_bytes()))
                .collect();
            for name in &names {
                el.remove_attribute(name);
            }
            if !names.is_empty() {
                stats.fired(rule, 0);
            }
            Ok(())
        })
    }

    fn attribute_test(&self) -> Option<&NameTest> {
        Some(&self.names)
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::html;

    #[test]
    fn on_some_elements_or_on_every_element_alike() {
        for selector in ["*", "p, a"] {
            let rules = format!(
                "[[rule]]\nid = \"on\"\naction = \"drop-attr\"\nselector = \"{selector}\"\npattern = '^on'\nnote = \"n\"\n"
            );
            let cleaned = html(&rules, "<p ONCLICK=x title=t>a <a onmouseover='y' href=/>b</a></p>");
            assert_eq!(cleaned.text, "<p title=t>a <a href=/>b</a></p>", "{selector}");
        }
    }
}
