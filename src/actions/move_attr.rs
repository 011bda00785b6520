//! `move-attr`: moves an attribute's value to another attribute (`from` → `to`),
//! replacing what `to` held.
//!
//! ## Why
//!
//! Lazy-loading pages keep an image's address in `data-src` and put a placeholder in
//! `src`; without a script, the placeholder is all a reader would get. Moved, the real
//! address is the image's `src` in every output format.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "lazy-src"
//! action = "move-attr"
//! selector = "img[data-src]"
//! from = "data-src"
//! to = "src"
//! note = "Lazy images keep their address in data-src."
//! ```
//!
//! cleans
//!
//! ```html
//! <img src="blank.gif" data-src="photo.jpg" alt="A photo">
//! ```
//!
//! to
//!
//! ```html
//! <img src="photo.jpg" alt="A photo">
//! ```

use super::handler::{Env, Handler};
use super::keys::{Css, Key, Keys};
use super::literals::{Literal, with_attribute};
use super::{Kind, Stage};
use crate::report::Stats;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct MoveAttr {
    selector: Css,
    from: String,
    to: String,
}

impl Kind for MoveAttr {
    const NAME: &'static str = "move-attr";
    const REQUIRED: &'static [Key] = &[Key::Selector, Key::From, Key::To];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(MoveAttr {
            selector: keys.selector()?,
            from: keys.string(Key::From),
            to: keys.string(Key::To),
        })
    }

    fn stage(&self) -> Stage {
        Stage::Rewriter
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    /// Besides its selector's literals, the attribute it moves.
    fn needs(&self) -> Vec<Vec<Literal>> {
        with_attribute(&self.selector, Some(&self.from))
    }

    fn handler<'h>(&'h self, rule: usize, _env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        Handler::element(&self.selector.compiled, move |el| {
            if let Some(value) = el.get_attribute(&self.from) {
                el.remove_attribute(&self.from);
                if el.set_attribute(&self.to, &value).is_ok() {
                    stats.fired(rule, 0);
                }
            }
            Ok(())
        })
    }
}
