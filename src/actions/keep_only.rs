//! `keep-only`: keeps only the matched elements; everything outside them goes (markup,
//! text, comments, Markdown blocks).
//!
//! ## Why
//!
//! Some pages are mostly chaff around one container that holds the article: a scraped
//! page's `<article>`, a CMS's `div.entry-content`. Naming what to keep is shorter and
//! lasts longer than naming everything else. Each stretch removed between regions counts
//! once. A document without such an element keeps everything: an absent region must never
//! empty a page.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "article"
//! action = "keep-only"
//! selector = "div.entry-content"
//! note = "The scraped page: the article is the entry's content; the rest is the site's frame."
//! ```
//!
//! cleans
//!
//! ```html
//! <nav>Home | World</nav><div class="entry-content"><p>News.</p></div><footer>© Site</footer>
//! ```
//!
//! to
//!
//! ```html
//! <div class="entry-content"><p>News.</p></div>
//! ```

use super::handler::{Env, Handler};
use super::keys::{Css, Key, Keys};
use super::{Kind, Stage};
use crate::markers::Op;
use crate::report::Stats;
use lol_html::html_content::{ContentType, Element};
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings, end_tag};
use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct KeepOnly {
    selector: Css,
}

impl Kind for KeepOnly {
    const NAME: &'static str = "keep-only";
    const REQUIRED: &'static [Key] = &[Key::Selector];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(KeepOnly {
            selector: keys.selector()?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Regions
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    /// The handler marks where the outermost region starts and ends; the sink drops what
    /// lies outside as it comes. (Unwrapping every element and removing every text outside,
    /// in handlers, made lol_html decode every text and rewrite every tag.)
    fn handler<'h>(&'h self, _rule: usize, env: &Rc<Env>, _stats: &'h Stats) -> Handler<'h> {
        let env = Rc::clone(env);
        Handler::element(&self.selector.compiled, move |el: &mut Element| {
            mark_region(el, &env)
        })
    }
}

/// Marks `el` as a region to keep: where it starts and ends, unless it lies inside one
/// already (the outermost region is the one that counts).
pub(crate) fn mark_region(el: &mut Element, env: &Rc<Env>) -> lol_html::HandlerResult {
    if !el.can_have_content() {
        return Ok(());
    }
    let depth = env.region_depth.get();
    if depth == 0 {
        el.before(&env.markers.encode(Op::RegionStart, 0, 0), ContentType::Html);
    }
    env.region_depth.set(depth + 1);
    let tag = el.tag_name();
    let env = Rc::clone(env);
    el.on_end_tag(end_tag!(move |end| {
        let depth = env.region_depth.get().saturating_sub(1);
        env.region_depth.set(depth);
        if depth == 0 {
            let region_end = env.markers.encode(Op::RegionEnd, 0, 0);
            // Closed by an ancestor's end tag: that tag is outside.
            if end.name() == tag {
                end.after(&region_end, ContentType::Html);
            } else {
                end.before(&region_end, ContentType::Html);
            }
        }
        Ok(())
    }))
}

/// Whether an element one of `selectors` matches occurs in `html`: a region that is absent
/// must not empty the document.
pub(crate) fn any_region<'a>(selectors: impl Iterator<Item = &'a Selector>, html: &[u8]) -> bool {
    let found = Cell::new(false);
    let mut settings = Settings::new().with_strict(false);
    let mut any = false;
    for selector in selectors {
        any = true;
        settings = settings.append_element_content_handler((
            Cow::Borrowed(selector),
            ElementContentHandlers::default().element(|_el: &mut Element| {
                found.set(true);
                // The answer is known: an error stops the pass here.
                Err("region found".into())
            }),
        ));
    }
    if !any {
        return false;
    }
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    if rewriter.write(html).is_ok() {
        let _ = rewriter.end();
    }
    found.get()
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::html;

    const RULES: &str =
        "[[rule]]\nid = \"k\"\naction = \"keep-only\"\nselector = \"article\"\nnote = \"n\"\n";

    #[test]
    fn without_a_region_everything_stays() {
        let page = "<nav>Home</nav><p>News.</p>";
        assert_eq!(html(RULES, page).text, page);
    }

    #[test]
    fn regions_nested_in_regions_count_once() {
        let cleaned = html(
            RULES,
            "<p>a</p><article>b<article>c</article></article><p>d</p><article>e</article>",
        );
        assert_eq!(
            cleaned.text,
            "<article>b<article>c</article></article><article>e</article>"
        );
        assert_eq!(cleaned.report.fired[0].count, 2);
    }
}
