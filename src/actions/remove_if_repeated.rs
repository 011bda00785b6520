//! `remove-if-repeated`: removes an element its selector matches when its whole text is
//! said again elsewhere in the document: outside every element the selector matches, and
//! outside attributes. What the page shows is read as `remove-if-text` reads it (tags
//! dropped, entities decoded, whitespace folded), and compared regardless of case, with
//! the quotation marks around the element's text aside. An element whose text is found
//! nowhere else stays, and so does one holding media or a Markdown block.
//!
//! ## Why
//!
//! A pull quote sets a sentence of the article apart as a display element, often with
//! share buttons under it (WordPress's `wp-block-pullquote`, `pullquote`, `pull-quote`,
//! `article__pullquote`): in the cleaned text it is the same sentence twice, the second
//! time out of its place. Its class names what it is on every site, but not whether the
//! sentence is the article's own too: a "pull quote" may hold words said nowhere else (a
//! quote set beside the text, not in it), and nothing of the article may go. So the
//! document is read once, whole, before the rewriter runs: the text inside the elements
//! the selector matches, and the rest; an element goes when its text is found in the rest.
//! The rest is the text outside every such element, so that two pull quotes of one
//! sentence do not vouch for each other, and what this rule removes is always still there;
//! text hidden from readers (`hidden`, `aria-hidden`, `display: none`) is not part of it.
//! A share button's copy of the sentence (`st_title="…"`, `data-text="…"`) is an attribute
//! and does not count.
//!
//! Time stays linear in the document: the pass runs only on documents that hold the
//! selector's words (a page without `pullquote` costs a search for it, nothing more), and
//! at most 16 elements are judged, each text searched for once (a substring search,
//! linear) in the rest, read and folded once. A document read as it streams (too large to
//! hold whole) is not read so, and keeps its elements; in a Markdown document, the text
//! of its plain Markdown blocks counts as the rest too.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "pull-quote"
//! action = "remove-if-repeated"
//! selector = "[class*='pullquote' i]"
//! note = "A pull quote: a sentence of the article set apart again."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>The mayor said the bridge would reopen in May. The repairs cost more than planned.</p>
//! <div class="pullquote">“The bridge would reopen in May.” <span class="share" data-text="The bridge would reopen in May."></span></div>
//! <aside class="pullquote">No one asked the ferrymen what they thought.</aside>
//! ```
//!
//! to
//!
//! ```html
//! <p>The mayor said the bridge would reopen in May. The repairs cost more than planned.</p>
//! <aside class="pullquote">No one asked the ferrymen what they thought.</aside>
//! ```

use super::handler::{self, Env, Handler};
use super::keys::{Css, Key, Keys};
use super::literals::{self, Literal};
use super::{Kind, Seen, Stage};
use crate::report::Stats;
use lol_html::html_content::{Element, TextChunk, TextType};
use lol_html::{
    DocumentContentHandlers, ElementContentHandlers, HtmlRewriter, MemorySettings, Selector,
    Settings,
};
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::OnceLock;

/// At most this many elements are judged in a document (the first ones): each costs a
/// search through the rest of its text.
const MAX_JUDGED: usize = 16;
/// The least text an element must hold to be found again, a CJK character counting two:
/// a sentence, not a word that any text may hold.
const MIN_WEIGHT: usize = 24;
/// The memory lol_html may use for the pass (as the rewriter's own bound).
const MEMORY: usize = 16 << 20;
/// What marks the start of a marker (`crate::markers`): text holding it holds a Markdown
/// block the HTML stage does not read.
const MARKER: char = '\u{1}';

#[derive(Debug, Clone)]
pub struct RemoveIfRepeated {
    selector: Css,
    /// One word of each alternative of the selector, ASCII case aside: a document that
    /// holds none is not read. None when some alternative names no word. Built when a
    /// document first asks (the rule is compiled for every page; few need it).
    words: OnceLock<Option<Vec<String>>>,
}

/// Media an element may hold: one that does is never taken for its text alone.
const MEDIA: &str = "img, picture, video, audio, iframe, object, embed, svg, canvas";
/// Elements hidden from readers: their text says nothing again (another rule may take it,
/// `generic/hidden`).
const HIDDEN: &str =
    "[hidden], [aria-hidden='true' i], [style*='display:none' i], [style*='display: none' i]";

thread_local! {
    /// [`MEDIA`] and [`HIDDEN`], parsed once a thread when a document is first read.
    static SELECTORS: Option<(Selector, Selector)> =
        MEDIA.parse().ok().zip(HIDDEN.parse().ok());
}

impl Kind for RemoveIfRepeated {
    const NAME: &'static str = "remove-if-repeated";
    const REQUIRED: &'static [Key] = &[Key::Selector];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(RemoveIfRepeated {
            selector: keys.selector()?,
            words: OnceLock::new(),
        })
    }

    fn stage(&self) -> Stage {
        Stage::Rewriter
    }

    fn selector(&self) -> Option<&Css> {
        Some(&self.selector)
    }

    fn picks(&self, html: &[u8], more: &dyn Fn() -> String) -> Vec<u32> {
        // The rules' prefilter (`Catalog::scope`) rules this rule out of a page without its
        // words only once it is built, after the first pages of a tree run; one page alone,
        // or the first ones, reach here with every rule active: hence a look of its own.
        let words = self.words.get_or_init(|| words_of(&self.selector.text));
        if words
            .as_ref()
            .is_some_and(|w| !w.iter().any(|w| holds_word(html, w)))
        {
            return Vec::new();
        }
        let read = SELECTORS.with(|s| {
            let (media, hidden) = s.as_ref()?;
            read(html, &self.selector.compiled, media, hidden)
        });
        read.map_or_else(Vec::new, |r| r.repeated(more))
    }

    /// The elements the reading picked are found again by where their start tags begin,
    /// which lol_html counts alike in both passes over the same input.
    fn handler<'h>(&'h self, rule: usize, env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
        if env.picked(rule).is_empty() {
            return Handler::None;
        }
        let env = Rc::clone(env);
        let mut next = 0usize;
        Handler::element(&self.selector.compiled, move |el: &mut Element| {
            let at = el.source_location().bytes().start as u32;
            let picked = env.picked(rule);
            while picked.get(next).is_some_and(|&p| p < at) {
                next += 1;
            }
            if picked.get(next) == Some(&at) {
                next += 1;
                return handler::remove(el, rule, &env, stats);
            }
            Ok(())
        })
    }

    fn removal_rank(&self, _seen: &Seen, _text: Option<&str>) -> Option<u8> {
        Some(0)
    }
}

/// One word of each alternative of `selector` (the longest it needs, lowercase ASCII), for
/// a quick look at a document; None when an alternative needs none.
fn words_of(selector: &str) -> Option<Vec<String>> {
    literals::of_selector(selector)
        .into_iter()
        .map(|all| {
            all.into_iter()
                .filter_map(|l| match l {
                    Literal::Text(t) => Some(t),
                    Literal::AttrName(_) => None,
                })
                .max_by_key(String::len)
                .filter(|w| !w.is_empty())
        })
        .collect()
}

/// Whether `html` holds `word` (lowercase ASCII), ASCII case aside: found by its rarest
/// letter in either case, then compared whole. No automaton to build: most documents are
/// looked at once, by a rule compiled for every page.
fn holds_word(html: &[u8], word: &str) -> bool {
    let w = word.as_bytes();
    // Letters rare in pages, rarest first; otherwise the word's last byte.
    let rare = b"qzjxkvwyfbgpmhucdlsnritoae";
    let Some((k, &b)) = (rare.iter())
        .find_map(|r| w.iter().enumerate().find(|&(_, c)| c == r))
        .or_else(|| w.iter().enumerate().next_back())
    else {
        return true;
    };
    memchr::memchr2_iter(b, b.to_ascii_uppercase(), html).any(|i| {
        i.checked_sub(k)
            .and_then(|start| html.get(start..start + w.len()))
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    })
}

/// An element the selector matched, as the reading saw it.
#[derive(Debug)]
struct Candidate {
    /// Where its start tag begins.
    at: u32,
    /// Its text in [`Reading::inside`], from here to `end`.
    start: usize,
    /// None until its end tag is seen (one never closed is never taken).
    end: Option<usize>,
    /// Whether it holds an image, a video, a frame.
    media: bool,
}

/// The document read once: the text inside the elements the selector matches, and the
/// rest.
#[derive(Debug, Default)]
struct Reading {
    candidates: Vec<Candidate>,
    /// The elements open now, innermost last (indexes into `candidates`).
    open: Vec<usize>,
    /// The text shown inside them, as written (undecoded), one after another.
    inside: String,
    /// The text shown outside all of them and outside hidden elements, as written.
    rest: String,
    /// How many hidden elements are open now.
    hidden: u32,
}

/// Reads `html` once with lol_html; None when lol_html gives up on it.
fn read(html: &[u8], selector: &Selector, media: &Selector, hidden: &Selector) -> Option<Reading> {
    let reading = Rc::new(RefCell::new(Reading::default()));
    let on_candidate = {
        let reading = Rc::clone(&reading);
        move |el: &mut Element| {
            if !el.can_have_content() {
                return Ok(());
            }
            let i = {
                let mut r = reading.borrow_mut();
                let i = r.candidates.len();
                let start = r.inside.len();
                r.candidates.push(Candidate {
                    at: el.source_location().bytes().start as u32,
                    start,
                    end: None,
                    media: false,
                });
                r.open.push(i);
                i
            };
            if let Some(handlers) = el.end_tag_handlers() {
                let reading = Rc::clone(&reading);
                handlers.push(Box::new(move |_end| {
                    let mut r = reading.borrow_mut();
                    r.candidates[i].end = Some(r.inside.len());
                    // Those opened inside it and never closed are closed with it.
                    if let Some(p) = r.open.iter().rposition(|&c| c == i) {
                        r.open.truncate(p);
                    }
                    Ok(())
                }));
            }
            Ok(())
        }
    };
    let on_media = {
        let reading = Rc::clone(&reading);
        move |_el: &mut Element| {
            let mut r = reading.borrow_mut();
            let Reading {
                candidates, open, ..
            } = &mut *r;
            for &i in open.iter() {
                candidates[i].media = true;
            }
            Ok(())
        }
    };
    let on_hidden = {
        let reading = Rc::clone(&reading);
        move |el: &mut Element| {
            let Some(handlers) = el.end_tag_handlers() else {
                return Ok(());
            };
            reading.borrow_mut().hidden += 1;
            let reading = Rc::clone(&reading);
            handlers.push(Box::new(move |_end| {
                let mut r = reading.borrow_mut();
                r.hidden = r.hidden.saturating_sub(1);
                Ok(())
            }));
            Ok(())
        }
    };
    let on_text = {
        let reading = Rc::clone(&reading);
        move |t: &mut TextChunk| {
            // Scripts, styles and a title are not what the page shows in its body.
            if t.text_type() != TextType::Data {
                return Ok(());
            }
            let mut r = reading.borrow_mut();
            // Hidden text inside an element is still its text: all of it must be found.
            if !r.open.is_empty() {
                r.inside.push_str(t.as_str());
            } else if r.hidden == 0 {
                r.rest.push_str(t.as_str());
            }
            Ok(())
        }
    };
    let settings = Settings::new()
        .with_strict(false)
        .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(MEMORY))
        .append_element_content_handler((
            Cow::Borrowed(selector),
            ElementContentHandlers::default().element(on_candidate),
        ))
        .append_element_content_handler((
            Cow::Borrowed(media),
            ElementContentHandlers::default().element(on_media),
        ))
        .append_element_content_handler((
            Cow::Borrowed(hidden),
            ElementContentHandlers::default().element(on_hidden),
        ))
        .append_document_content_handler(DocumentContentHandlers::default().text(on_text));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html).ok()?;
    rewriter.end().ok()?;
    Some(reading.take())
}

impl Reading {
    /// Where the start tags of the elements whose text the rest says again begin, in
    /// order; `more` is the document's text the reading did not see.
    fn repeated(&self, more: &dyn Fn() -> String) -> Vec<u32> {
        let rest = OnceCell::new();
        let unread = OnceCell::new();
        let mut picked = Vec::new();
        for c in self.candidates.iter().take(MAX_JUDGED) {
            let Some(end) = c.end else { continue };
            let raw = &self.inside[c.start..end];
            if c.media || raw.contains(MARKER) {
                continue;
            }
            let text = folded(raw);
            let text = text.trim_matches(|ch: char| ch == ' ' || is_quotation_mark(ch));
            if weight(text) < MIN_WEIGHT {
                continue;
            }
            let found = |hay: &str| memchr::memmem::find(hay.as_bytes(), text.as_bytes()).is_some();
            if found(rest.get_or_init(|| folded(&self.rest)))
                || found(unread.get_or_init(|| folded(&more())))
            {
                picked.push(c.at);
            }
        }
        picked
    }
}

/// `raw` as a reader sees it, for comparing: entities decoded, lower case, every run of
/// whitespace one space.
fn folded(raw: &str) -> String {
    let decoded = crate::text::decode_entities(raw);
    let mut out = String::with_capacity(decoded.len());
    let mut space = false;
    for ch in decoded.chars() {
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Quotation marks a pull quote may set around the words it repeats.
fn is_quotation_mark(ch: char) -> bool {
    matches!(
        ch,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '„'
            | '«'
            | '»'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〝'
            | '〞'
    )
}

/// A text's length for [`MIN_WEIGHT`]: a character each, a CJK one (or another wide one)
/// two.
fn weight(text: &str) -> usize {
    text.chars()
        .filter(|c| *c != ' ')
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::{folded, weight};
    use crate::actions::tests::{html, markdown};

    const RULES: &str = "[[rule]]\nid = \"q\"\naction = \"remove-if-repeated\"\nselector = \"[class*='pullquote' i], [class*='pull-quote' i]\"\nnote = \"n\"\n";

    #[test]
    fn words_are_found_in_either_case() {
        assert!(super::holds_word(b"<div class=\"pullQuote\">", "pullquote"));
        assert!(super::holds_word(b"x PULL-QUOTE", "pull-quote"));
        assert!(!super::holds_word(b"quote pull", "pullquote"));
        assert!(!super::holds_word(b"ullquote", "pullquote"));
    }

    #[test]
    fn text_is_compared_as_read() {
        assert_eq!(folded(" A&amp;B\u{a0}\n  Cé "), "a&b cé");
        assert_eq!(weight("中文 ab"), 6);
    }

    #[test]
    fn a_pull_quote_goes_only_when_the_rest_says_it() {
        let page = "<p>At this point in time, no single database contains all the data the police hold.</p>\
            <div class=\"pullquote\">No single database contains all the data the police hold. <div class=\"pullquote-share\"><span st_title=\"Officials met in secret to plan the cameras.\"></span></div></div>\
            <div class=\"pull-quote\">Officials met in secret to plan the cameras.</div>";
        let cleaned = html(RULES, page);
        assert!(!cleaned.text.contains("class=\"pullquote\""), "{}", cleaned.text);
        // Said only in another pull quote's attribute: it stays.
        assert!(cleaned.text.contains("Officials met in secret"), "{}", cleaned.text);
    }

    #[test]
    fn hidden_text_does_not_vouch() {
        let page = "<p>Something else entirely is said in this paragraph of the story.</p>\
            <div style=\"display: none\">The river rose faster than anyone had expected.</div>\
            <div class=\"pullquote\">The river rose faster than anyone had expected.</div>";
        assert!(html(RULES, page).text.contains("class=\"pullquote\""));
    }

    #[test]
    fn two_pull_quotes_of_one_sentence_do_not_vouch_for_each_other() {
        let page = "<p>Something else entirely is said in this paragraph of the story.</p>\
            <div class=\"pullquote\">The river rose faster than anyone had expected.</div>\
            <div class=\"pullquote\">The river rose faster than anyone had expected.</div>";
        assert_eq!(html(RULES, page).text, page);
    }

    #[test]
    fn short_text_media_and_unclosed_elements_stay() {
        let short = "<p>He said yes to the plan.</p><div class=\"pullquote\">Yes.</div>";
        assert_eq!(html(RULES, short).text, short);
        let media = "<p>The river rose faster than anyone had expected.</p><div class=\"pullquote\">The river rose faster than anyone had expected.<img src=\"r.jpg\"></div>";
        assert_eq!(html(RULES, media).text, media);
    }

    #[test]
    fn in_markdown_the_plain_blocks_count_and_a_block_inside_keeps_it() {
        let said = "The river rose faster than anyone had expected, the mayor said.\n\n<div class=\"pullquote\">“The river rose faster than anyone had expected”</div>\n";
        let cleaned = markdown(RULES, said);
        assert!(!cleaned.text.contains("pullquote"), "{}", cleaned.text);
        // A Markdown block inside the element is text the reading never saw: it stays.
        let holds = "The river rose faster than anyone had expected.\n\n<div class=\"pullquote\">The river rose faster than anyone had expected.\n\nA sentence found nowhere else in the document.\n\n</div>\n";
        let cleaned = markdown(RULES, holds);
        assert!(cleaned.text.contains("nowhere else"), "{}", cleaned.text);
    }
}
