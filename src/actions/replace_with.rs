//! `replace-with`: replaces the element with the `with` template, in which `{attr}` stands
//! for the text of the element's attribute `attr` (entities decoded, markup dropped,
//! escaped again). An element lacking one of the attributes is left alone.
//!
//! ## Why
//!
//! Some pages keep content only in attributes: a lightbox gallery's caption in `title`,
//! its image in `href`, with a thumbnail or nothing as the element's content. The template
//! makes that content an article element; attribute values become text, never markup.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "lightbox"
//! action = "replace-with"
//! selector = "a.lightbox[href]"
//! with = '<figure><img src="{href}"><figcaption>{title}</figcaption></figure>'
//! note = "The gallery keeps each photo and its caption in the link's attributes."
//! ```
//!
//! cleans
//!
//! ```html
//! <a class="lightbox" href="big.jpg" title="The &lt;b&gt;river&lt;/b&gt; at dawn"><img src="thumb.jpg"></a>
//! ```
//!
//! to
//!
//! ```html
//! <figure><img src="big.jpg"><figcaption>The river at dawn</figcaption></figure>
//! ```

use super::handler::{self, Env, Handler};
use super::keys::{Css, Key, Keys};
use super::{Kind, Seen, Stage};
use crate::report::Stats;
use lol_html::html_content::{ContentType, Element};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct ReplaceWith {
    selector: Css,
    with: String,
}

impl Kind for ReplaceWith {
    const NAME: &'static str = "replace-with";
    const REQUIRED: &'static [Key] = &[Key::Selector, Key::With];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let template = keys.string(Key::With);
        let bad = placeholders(&template).into_iter().find(|p| {
            p.is_empty()
                || !p
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        });
        if let Some(bad) = bad {
            keys.error(
                Key::With,
                format!("`{{{bad}}}` is not an attribute placeholder"),
                Some("placeholders are attribute names in braces: {data-src}"),
            );
            return None;
        }
        Some(ReplaceWith {
            selector: keys.selector()?,
            with: template,
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
            // The replacement goes in first; the element itself is then removed like any
            // other, only if its end is seen.
            let Some(filled) = fill(&self.with, el) else {
                return Ok(());
            };
            el.before(&filled, ContentType::Html);
            handler::remove(el, rule, &env, stats)
        })
    }

    fn removal_rank(&self, _seen: &Seen, _text: Option<&str>) -> Option<u8> {
        Some(0)
    }
}

/// The `{name}` placeholders of a template.
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    out
}

/// The template with each `{attr}` replaced by the text of that attribute, escaped:
/// attribute values become text, never markup. None if an attribute is missing.
fn fill(template: &str, el: &Element<'_, '_>) -> Option<String> {
    let mut out = template.to_string();
    for name in placeholders(template) {
        let raw = el.get_attribute(name)?;
        // The value as the browser reads it, and that value's own text when a site keeps
        // markup in an attribute (`title="a&lt;br /&gt;b"`).
        let value = crate::report::text_of(&html_escape::decode_html_entities(&raw));
        let safe = html_escape::encode_double_quoted_attribute(&value);
        out = out.replace(&format!("{{{name}}}"), &safe);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::placeholders;
    use crate::actions::tests::{errors, html};

    #[test]
    fn placeholders_are_read_between_braces() {
        assert_eq!(placeholders("<a href=\"{href}\">{title}</a>{"), ["href", "title"]);
    }

    #[test]
    fn a_placeholder_must_name_an_attribute() {
        let rules = "[[rule]]\nid = \"r\"\naction = \"replace-with\"\nselector = \"a\"\nwith = \"{a b}\"\nnote = \"n\"\n";
        assert_eq!(errors(rules), ["5:8 `{a b}` is not an attribute placeholder"]);
    }

    #[test]
    fn an_element_without_the_attributes_is_left_alone() {
        let rules = "[[rule]]\nid = \"r\"\naction = \"replace-with\"\nselector = \"a.x\"\nwith = \"<p>{title}</p>\"\nnote = \"n\"\n";
        let page = "<a class=x href=y>kept</a><a class=x title='&quot;q&quot;'>gone</a>";
        assert_eq!(html(rules, page).text, "<a class=x href=y>kept</a><p>&quot;q&quot;</p>");
    }
}
