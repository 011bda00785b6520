//! `keep-main`: on a whole web page (a document with a `<body>`), keeps only the page's
//! main content, chosen by reading the page: the element that holds its prose, with the
//! siblings that continue it and the page's headline. Everything else goes, as outside a
//! `keep-only` region.
//!
//! ## Why
//!
//! A page scraped whole from a site no rule file knows is mostly the site's frame: its
//! masthead, menus, most-read lists, tag clouds, login boxes and footer, often more text
//! than the article. `keep-only` needs a selector, and an unknown site's markup is not
//! known; an `<article>` element, when there is one, may be a sidebar's teaser as well as
//! the story. What every such page does share is that its article is where its paragraphs
//! are: the element that holds the most prose (text in paragraphs of 25 characters or more,
//! commas counting, link text weighing it down, class names such as `content` or `sidebar`
//! tipping the balance), as Mozilla's Readability scores it. The choice is taken only when
//! it is clear: a page with no `<body>`, or whose best content holds under 200 characters,
//! keeps everything; a `keep-only` rule whose region the page has goes first; a document
//! too large to be held whole (read as it streams) is not chosen from. Content inside an
//! `<article>` gives way to that whole article (its headline, byline and date with it);
//! otherwise the title, byline, date and lead image set apart before the text are kept
//! with it, and the page's `<h1>` headline. A page's one `<article>` is its article even
//! inside blocks whose names say otherwise (a column named `highfooter`), when it holds
//! most of the page's prose; a frame by tag or role (an `<aside>`) rules it out.
//!
//! Inside what is kept, the page's furniture goes all the same, as Readability drops it
//! from its content: the outermost blocks whose own class or id name comments, an author's
//! box, share or related links, previous and next, a newsletter's form (`comments-area`,
//! `author-bio`, `prev-next-links`; not a block with another class that names content
//! alone, such as `article-body`), and navigation, forms and footers of links rather than
//! sentences.
//! Some furniture says what it is by its shape, whatever its names: a breadcrumb (a short
//! row of links set apart by `›`, `»` or `>`, which never leads into the content either), a
//! row of links in an `<aside>` or in a block whose class says links (a print and share
//! bar, a slideshow's link), a signup box (a form or an e-mail field with its short pitch)
//! and a block of teasers (links to other pages, each with its picture: `Read Article`).
//! A name is only a hint: such a block stays when it holds a block kept, a headline, half
//! the content's text or a quarter of its prose.
//! The scores are in `src/actions/keep_main/score.rs`.
//!
//! The rule has no keys besides `id`, `action` and `note`.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "page-main"
//! action = "keep-main"
//! note = "A whole web page: its main content is what it keeps."
//! ```
//!
//! cleans
//!
//! ```html
//! <body><ul class="menu"><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul>
//! <h1>Flood waters recede</h1>
//! <div class="story-body"><p>The river fell by two metres overnight, and residents began returning to their homes on Sunday morning.</p>
//! <p>Officials said the bridges would reopen once engineers had inspected them, which could take several days.</p>
//! <p>Schools in the district will stay closed until Wednesday, the council said, while roads are cleared.</p></div>
//! <div class="sidebar"><h2>Most read</h2><p><a href="/a">A story</a></p></div>
//! <footer>© 2024 The Daily Example</footer></body>
//! ```
//!
//! to
//!
//! ```html
//! <h1>Flood waters recede</h1><div class="story-body"><p>The river fell by two metres overnight, and residents began returning to their homes on Sunday morning.</p>
//! <p>Officials said the bridges would reopen once engineers had inspected them, which could take several days.</p>
//! <p>Schools in the district will stay closed until Wednesday, the council said, while roads are cleared.</p></div>
//! ```

mod pick;
mod score;

use super::handler::{self, Chosen, Env, Handler};
use super::keep_only::mark_region;
use super::keys::{Key, Keys};
use super::literals::{self, Literal};
use super::{Kind, Seen, Stage};
use crate::report::Stats;
use lol_html::Selector;
use lol_html::html_content::Element;
use std::rc::Rc;

/// The action: it has no keys; it holds the selector of every element, by which its
/// handler counts the elements to find those chosen.
#[derive(Debug, Clone)]
pub struct KeepMain {
    every: Selector,
}

impl Kind for KeepMain {
    const NAME: &'static str = "keep-main";
    const REQUIRED: &'static [Key] = &[];

    fn compile(_keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(KeepMain {
            every: "*".parse().ok()?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Regions
    }

    /// Only a whole page, one with a `<body>`, is chosen from.
    fn needs(&self) -> Vec<Vec<Literal>> {
        literals::of_selector("body")
    }

    fn chosen_regions(&self, html: &[u8]) -> Option<Chosen> {
        // The scoring pass reads every element; a fragment is ruled out first. (The rules'
        // prefilter does so in a tree run once it is built, but not for the first pages
        // nor for one page alone.)
        if !has_body_tag(html) {
            return None;
        }
        // The scores, then the choice: `pick` reads `score`'s records, never the reverse.
        pick::pick(&score::scan(html)?)
    }

    /// The elements chosen are found again by their order among the document's elements,
    /// which this pass counts as the choosing pass did (both are lol_html's count). What
    /// goes from inside the content goes as a `remove` rule's element does, credited to
    /// this rule.
    fn handler<'h>(&'h self, rule: usize, env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        if env.main.is_empty() {
            return Handler::None;
        }
        let env = Rc::clone(env);
        let mut ordinal = 0u32;
        let (mut next_kept, mut next_dropped) = (0usize, 0usize);
        Handler::element(&self.every, move |el: &mut Element| {
            let n = ordinal;
            ordinal = ordinal.saturating_add(1);
            if env.main.keep.get(next_kept) == Some(&n) {
                next_kept += 1;
                return mark_region(el, &env);
            }
            if env.main.drop.get(next_dropped) == Some(&n) {
                next_dropped += 1;
                return handler::remove(el, rule, &env, stats);
            }
            Ok(())
        })
    }

    /// The rule frames only the furniture it drops: what it frames goes.
    fn removal_rank(&self, _seen: &Seen, _text: Option<&str>) -> Option<u8> {
        Some(0)
    }
}

/// Whether `html` holds a `<body>` start tag (in any case).
fn has_body_tag(html: &[u8]) -> bool {
    crate::text::body_tag_at(html).is_some()
}

#[cfg(test)]
mod tests;
