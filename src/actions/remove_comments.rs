//! `remove-comments`: removes HTML comments whose text matches `pattern`.
//!
//! ## Why
//!
//! Generators leave comments that are not the article: a feed's `<!--NaN-->` timestamp, a
//! CMS's build stamp. They are invisible in a browser but end up in Markdown and text
//! output, and in the source a reader edits.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "nan-timestamp"
//! action = "remove-comments"
//! pattern = '^NaN$'
//! note = "The feed's timestamp comment when it had no date."
//! ```
//!
//! cleans
//!
//! ```html
//! <!--NaN--><p>News.</p><!-- kept -->
//! ```
//!
//! to
//!
//! ```html
//! <p>News.</p><!-- kept -->
//! ```

use super::handler::{Env, Handler};
use super::keys::{Key, Keys};
use super::literals::Literal;
use super::{Kind, Stage};
use crate::report::{Stats, preview};
use lol_html::html_content::{Comment, ContentType};
use crate::lazy_regex::LazyRegex;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct RemoveComments {
    pattern: LazyRegex,
}

impl Kind for RemoveComments {
    const NAME: &'static str = "remove-comments";
    const REQUIRED: &'static [Key] = &[Key::Pattern];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(RemoveComments {
            pattern: keys.regex(Key::Pattern)?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Rewriter
    }

    fn needs(&self) -> Vec<Vec<Literal>> {
        vec![vec![Literal::Text("<!--".into())]]
    }

    fn handler<'h>(&'h self, rule: usize, env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        let env = Rc::clone(env);
        Handler::comments(move |c: &mut Comment| {
            let text = c.text();
            if self.pattern.matches(&text) {
                stats.removed_with(rule, text.len() + 7, || preview(&format!("<!--{text}-->")));
                c.replace(&env.join(), ContentType::Html);
            }
            Ok(())
        })
    }
}
