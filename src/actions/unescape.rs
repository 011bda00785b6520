//! `unescape`: decodes HTML entities from the first match of `from` up to where `to`
//! next matches (or the end of the document).
//!
//! ## Why
//!
//! Some mirrors escaped a page's HTML into a text node (`&lt;figure…`): a reader sees
//! markup as text, and the HTML rules cannot see the elements at all. Decoded first, the
//! markup is HTML again and the HTML pass cleans it like any other.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "escaped-body"
//! action = "unescape"
//! from = '&lt;figure'
//! to = '(?m)^---$'
//! note = "The mirror escaped the article's figures into text."
//! ```
//!
//! cleans
//!
//! ```markdown
//! &lt;figure&gt;&lt;img src="a.jpg"&gt;&lt;/figure&gt;
//! ---
//! &lt;kept&gt;
//! ```
//!
//! to
//!
//! ```markdown
//! <figure><img src="a.jpg"></figure>
//! ---
//! &lt;kept&gt;
//! ```

use super::keys::{Key, Keys};
use super::{Edit, Kind, Stage};
use crate::lazy_regex::LazyRegex;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct Unescape {
    from: LazyRegex,
    to: Option<LazyRegex>,
}

impl Kind for Unescape {
    const NAME: &'static str = "unescape";
    const REQUIRED: &'static [Key] = &[Key::From];
    const OPTIONAL: &'static [Key] = &[Key::To];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let from = keys.regex(Key::From);
        let to = keys.optional_regex(Key::To);
        Some(Unescape {
            from: from?,
            to: to?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Source
    }

    fn edit(&self, text: &mut Cow<'_, str>, edit: &mut Edit<'_>) -> usize {
        let Some(start) = self.from.find(text).map(|m| m.start()) else {
            return 0;
        };
        let end = self
            .to
            .as_ref()
            .and_then(|to| to.find_at(text, start))
            .map_or(text.len(), |m| m.start());
        let region = &text[start..end];
        let decoded = html_escape::decode_html_entities(region).into_owned();
        if decoded != region {
            edit.stats
                .fired(edit.rule, region.len().saturating_sub(decoded.len()));
            text.to_mut().replace_range(start..end, &decoded);
        }
        0
    }
}
