//! A cleaned page cut into the units the learner counts: Markdown lines, HTML elements by
//! their text and attribute signature, and images by their address.
//!
//! One pass over the page, in document order; an element's text is a slice of one text
//! buffer for the whole page, read only when it is short, so the work is linear in the
//! page however deep its elements nest.

use super::mask::{Masked, Piece, Slot};
use crate::html;
use crate::markdown::blocks;
use crate::rules::InputFormat;
use crate::text::split_front_matter;
use crate::tokenizer::{self, Name, Token};

/// Elements nested deeper than this are not units (their text still counts for the
/// elements around them).
const MAX_DEPTH: usize = 256;
/// How far up the open elements an end tag looks for its start tag.
const END_TAG_REACH: usize = 32;
/// Characters an element holding an image must hold to be a unit by its text: more than a
/// caption.
const MEDIA_TEXT_MIN: usize = 60;
/// Characters (and slots) of a prefix unit: a phrase, in Chinese or Japanese, and in
/// alphabets, where words are longer.
const PREFIX_WIDE: usize = 16;
const PREFIX_NARROW: usize = 32;
/// Characters (whitespace aside) a head that changes may have before an infix: a name.
const HEAD_MAX: usize = 12;
/// Infixes tried in one text.
const HEADS: usize = 4;
/// Characters an inline element must hold to be a unit by its text: a sentence, not a word.
const INLINE_MIN_CHARS: usize = 12;

/// What a unit is, which decides the rule it can become.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A Markdown line (`drop-lines`).
    Line,
    /// An HTML element: its tag and the selector its attributes give (`tag.class`,
    /// `tag#id` or the tag alone), judged by its text (`remove-if-text`).
    Element { selector: String },
    /// An element by its class or id alone, whatever its text (`remove`): a block of
    /// links (a related list, a tag row, a menu) whose items change from page to page.
    Block { selector: String },
    /// An image by its address (`remove` on `img[src='…']`).
    Image { src: String },
    /// A block made of links to one section of the article's own site (`rfa.org/mandarin/`),
    /// whatever their words: a list of the site's own stories (`remove-block` with
    /// `links_to`).
    LinkList { section: String },
    /// How a Markdown line (no selector) or an element's text begins, when what follows
    /// changes from page to page: a notice with the year in it, a pitch reworded now and
    /// then (`drop-lines` or `remove-if-text` anchored at the start, bounded in length).
    Prefix { selector: Option<String> },
    /// What a line's or an element's text says after a short head that changes from page
    /// to page (a poster's name), when it goes on past that: a footer signed by whoever
    /// posted the page (`© NAME for Site, … | Permalink | …`). `drop-lines` or
    /// `remove-if-text` anchored at the start, the head bounded in length.
    Infix { selector: Option<String> },
}

/// One unit of one page.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: Kind,
    /// The text a reader sees (for an image: nothing), masked.
    pub text: Masked,
    /// Characters a reader sees.
    pub chars: usize,
    /// Its links to the article's own site (same domain as the article's address): a link
    /// there that changes from page to page is the article's own (its original, its
    /// translation), as a source line is.
    pub own_links: Vec<String>,
    /// Marked as the author or byline (`rel="author"`, class `byline` or `author`), or
    /// holding such a mark.
    pub byline: bool,
    /// Right after an image in the same container, or the line after an image: a caption
    /// or a credit.
    pub caption: bool,
    /// For a block: whether this occurrence is one that may go by its class alone (short,
    /// mostly links, no media, no caption, no byline).
    pub links_only: bool,
    /// Some of its text is a link's: a name or a label that links somewhere (a source, a
    /// section, an author) rather than a sentence of the site's.
    pub linked: bool,
    /// For a prefix: before each of its characters, whether whitespace was there.
    pub spaces: Vec<bool>,
    /// For a prefix: the whole text it begins, and that text's key (masked); for an
    /// infix: the whole text, and its head's key.
    pub whole: Option<(String, String)>,
    /// For an infix: the characters before it (whitespace included).
    pub head: usize,
    /// Where it opens and closes in the page's sequence of tokens and lines: a unit whose
    /// span lies inside another's is removed with it.
    pub open: u32,
    pub close: u32,
}

/// The units of one page, and what must never be learned from it.
#[derive(Debug, Default)]
pub struct Page {
    pub units: Vec<Unit>,
    /// The page's title (front matter or first heading), never learned.
    pub title: Option<String>,
}

/// Most links of the article's own site an element keeps.
const OWN_LINKS: usize = 4;
/// Most of a block's text that links must make for the block to go by its class alone.
const LINK_SHARE: f64 = 0.6;
/// The share of a block's text (in bytes, spaces in links counted as theirs) that links
/// must make for it to be a list of the site's own stories (the rest: bullets,
/// separators).
const LIST_LINK_SHARE: f64 = 0.9;
/// The `min_links` of the rule such a list becomes: the rule counts characters, and the
/// spaces between a link's words as nobody's, so a link of short words counts for less.
pub const LIST_MIN_LINKS: f64 = 0.75;

/// Text (bytes) between an image and the start of an element after it, in the same
/// container, for the element to still be the image's caption or credit: a short label
/// (`图片版权`) at most.
const CAPTION_REACH: usize = 48;

/// Cuts a cleaned page (in its own format) into units of at most `max_chars` characters.
/// `domain` is the domain of the article's own address, when the page names one.
pub fn of(text: &str, format: InputFormat, max_chars: usize, domain: Option<&str>) -> Page {
    let mut walker = Walker::new(max_chars, domain);
    match format {
        InputFormat::Html => walker.html(text),
        InputFormat::Markdown => {
            let (front_matter, body) = split_front_matter(text);
            walker.page.title = crate::emit::metadata::front_matter_fields(front_matter)
                .into_iter()
                .find(|(k, _)| k == "title")
                .map(|(_, v)| v);
            for block in blocks::parse(body) {
                let raw = &body[block.range.clone()];
                if block.needs_rewriting() {
                    walker.html(raw);
                } else {
                    if block.kind == blocks::Kind::Heading && walker.page.title.is_none() {
                        walker.page.title = Some(heading_text(raw));
                    }
                    walker.markdown(raw);
                }
                walker.text.push('\n');
            }
        }
    }
    walker.finish()
}

/// A heading's text without its `#` marks or setext underline.
fn heading_text(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or("");
    first
        .trim()
        .trim_start_matches('#')
        .trim_end_matches('#')
        .trim()
        .to_string()
}

/// An open element.
struct Frame {
    name: Name,
    selector: String,
    /// Where its text starts in the page's text buffer.
    text_start: usize,
    open: u32,
    media: bool,
    /// Where the page's text stood when it last held media.
    media_at: Option<usize>,
    byline: bool,
    own_links: Vec<String>,
    /// Bytes of its text inside links.
    link_bytes: usize,
    /// Text came right before it, since the last tag: it sits inside a line of text.
    in_line: bool,
    /// The section of the site all its links go to, while they go to one; `Mixed` once a
    /// link goes elsewhere.
    section: Section,
}

/// Where the links of an element go.
#[derive(Debug, Clone, PartialEq)]
enum Section {
    NoLinks,
    One(String),
    Mixed,
}

impl Section {
    fn join(&mut self, other: &Section) {
        *self = match (std::mem::replace(self, Section::Mixed), other) {
            (s, Section::NoLinks) => s,
            (Section::NoLinks, o) => o.clone(),
            (Section::One(a), Section::One(b)) if a == *b => Section::One(a),
            _ => Section::Mixed,
        };
    }
}

struct Walker<'d> {
    domain: Option<&'d str>,
    /// The last Markdown line was an image.
    after_image_line: bool,
    page: Page,
    stack: Vec<Frame>,
    /// Elements opened beyond `MAX_DEPTH`, not on the stack.
    too_deep: usize,
    /// The raw text of the page's elements, in order.
    text: String,
    /// Where the text stood at the last start or end tag.
    boundary: usize,
    seq: u32,
    max_chars: usize,
}

impl<'d> Walker<'d> {
    fn new(max_chars: usize, domain: Option<&'d str>) -> Walker<'d> {
        Walker {
            domain,
            after_image_line: false,
            page: Page::default(),
            stack: Vec::new(),
            too_deep: 0,
            text: String::new(),
            boundary: 0,
            seq: 0,
            max_chars,
        }
    }

    fn next(&mut self) -> u32 {
        self.seq = self.seq.saturating_add(1);
        self.seq
    }

    /// The lines of a Markdown block that the rewriter never sees.
    fn markdown(&mut self, raw: &str) {
        // The text of the elements around it (a wrapper of Markdown is long).
        self.text.push_str(raw);
        for line in raw.lines() {
            let line = line.trim_end();
            if line.trim_start().is_empty() {
                continue;
            }
            let masked = Masked::markdown_line(line);
            let chars = visible_chars(&masked);
            let at = self.next();
            let image = line.contains("![");
            let caption = self.after_image_line && !image;
            self.after_image_line = image;
            if chars <= self.max_chars {
                let own_links = masked
                    .pieces
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Slot(Slot::Target, t) if self.is_own(t) => Some(t.clone()),
                        _ => None,
                    })
                    .take(OWN_LINKS)
                    .collect();
                let linked = masked
                    .pieces
                    .iter()
                    .any(|p| matches!(p, Piece::Slot(Slot::Target, _)));
                self.page.units.push(Unit {
                    kind: Kind::Line,
                    text: masked,
                    chars,
                    own_links,
                    byline: false,
                    caption,
                    links_only: false,
                    linked,
                    spaces: Vec::new(),
                    whole: None,
                    head: 0,
                    open: at,
                    close: at,
                });
                self.push_prefix(None);
            }
        }
    }

    /// HTML: its elements and images.
    fn html(&mut self, html: &str) {
        let bytes = html.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let Some(k) = memchr::memchr(b'<', &bytes[pos..]) else {
                self.text.push_str(&html[pos..]);
                break;
            };
            let lt = pos + k;
            self.text.push_str(&html[pos..lt]);
            let Some((token, len)) = tokenizer::tokenize(&bytes[lt..], true) else {
                // Markup that never ends: the rest is no element.
                self.text.push_str(&html[lt..]);
                break;
            };
            let raw = &html[lt..lt + len];
            pos = lt + len;
            match token {
                Token::Start { name, attrs, .. } => {
                    let attr = |wanted: &str| {
                        attrs.iter().find_map(|a| {
                            raw.get(a.name.clone())
                                .filter(|n| n.eq_ignore_ascii_case(wanted))
                                .and_then(|_| raw.get(a.value.clone()))
                        })
                    };
                    if name.as_slice() == b"img" {
                        self.image(attr("src"));
                    }
                    if html::has(html::MEDIA, &name)
                        && let Some(top) = self.stack.last_mut()
                    {
                        top.media = true;
                        top.media_at = Some(self.text.len());
                    }
                    if html::has(html::RAW_TEXT, &name) {
                        // Scripts, styles, titles: not text a reader sees.
                        pos = match tokenizer::find_end_tag(&bytes[pos..], &name) {
                            tokenizer::EndTag::At(e) => pos + e,
                            _ => bytes.len(),
                        };
                        continue;
                    }
                    if html::has(html::VOID, &name) {
                        continue;
                    }
                    let selector = selector(&name, attr("class"), attr("id"));
                    let byline = is_byline(&attr);
                    let href = attr("href").filter(|_| name.as_slice() == b"a");
                    let own = href
                        .filter(|h| self.is_own(h))
                        .map(|h| crate::text::decode_entities(h).into_owned());
                    let section = match (&own, href) {
                        (Some(h), _) => section_of(h).map_or(Section::Mixed, Section::One),
                        (None, Some(_)) => Section::Mixed,
                        (None, None) => Section::NoLinks,
                    };
                    self.open(name, selector, byline, own, section);
                }
                Token::End { name } => self.close(&name),
                Token::Other => {}
                Token::Lt => self.text.push('<'),
            }
        }
    }

    fn image(&mut self, src: Option<&str>) {
        let Some(src) = src.map(|s| crate::text::decode_entities(s.trim()).into_owned()) else {
            return;
        };
        // Quotes and backslashes would need escaping in the selector; such addresses are
        // rare enough to leave alone.
        if src.is_empty() || src.len() > 1024 || src.contains(['\'', '\\', '\n', '"']) {
            return;
        }
        let at = self.next();
        self.page.units.push(Unit {
            kind: Kind::Image { src },
            text: Masked::default(),
            chars: 0,
            own_links: Vec::new(),
            byline: false,
            caption: false,
            links_only: false,
            linked: false,
            spaces: Vec::new(),
            whole: None,
            head: 0,
            open: at,
            close: at,
        });
    }

    /// Whether a link goes to the article's own site: a path on the same site, or an
    /// address in the article's domain.
    fn is_own(&self, href: &str) -> bool {
        let href = href.trim();
        if href.starts_with('/') && !href.starts_with("//") {
            return true;
        }
        self.domain.is_some_and(|d| {
            super::group::host(href).is_some_and(|h| super::group::domain(&h) == d)
        })
    }

    fn open(
        &mut self,
        name: Name,
        selector: String,
        byline: bool,
        own: Option<String>,
        section: Section,
    ) {
        let open = self.next();
        let in_line = !fold(&self.text[self.boundary.min(self.text.len())..]).is_empty();
        self.boundary = self.text.len();
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep += 1;
            return;
        }
        self.stack.push(Frame {
            name,
            selector,
            text_start: self.text.len(),
            open,
            media: false,
            media_at: None,
            byline,
            own_links: own.into_iter().collect(),
            link_bytes: 0,
            in_line,
            section,
        });
    }

    fn close(&mut self, name: &[u8]) {
        self.boundary = self.text.len();
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return;
        }
        let reach = self.stack.len().saturating_sub(END_TAG_REACH);
        let Some(at) = (reach..self.stack.len())
            .rev()
            .find(|&i| self.stack[i].name.as_slice().eq_ignore_ascii_case(name))
        else {
            return;
        };
        // Elements left open inside it end with it, unseen: they are no units (lol_html
        // would not see them end either).
        while self.stack.len() > at + 1 {
            if let Some(inner) = self.stack.pop() {
                self.hand_up(&inner);
            }
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        self.hand_up(&frame);
        let close = self.next();
        // Right after an image in the same container: a caption or a credit.
        let caption = self
            .stack
            .last()
            .and_then(|p| p.media_at)
            .is_some_and(|at| at <= frame.text_start && frame.text_start - at <= CAPTION_REACH);
        let raw = &self.text[frame.text_start..];
        let raw_len = raw.len();
        // Decoding and folding only shorten text, and no character is less than a byte:
        // text this long in bytes is too long whatever it holds. Past the bound nothing
        // is read, so the work stays linear in the page.
        let block_chars = self.max_chars.saturating_mul(2);
        let folded = (raw.len() <= block_chars.saturating_mul(16)).then(|| fold(raw));
        let chars = folded.as_deref().map_or(usize::MAX, |f| f.chars().count());
        // A caption by its tag, or an image with a short text (its caption): never a unit
        // by its text. An image with a paragraph of its own is a banner over a notice that
        // recurs word for word, which no article's caption does. Right after an image: a
        // unit, marked, for the learner to weigh over all pages.
        let captioned =
            (frame.media && chars < MEDIA_TEXT_MIN) || html::has(html::CAPTIONS, &frame.name);
        let links = if frame.name.as_slice() == b"a" {
            raw.len()
        } else {
            frame.link_bytes
        };
        // A link or a span with a class of its own inside a line of text is a word of the
        // sentence (an in-text link), never a block to remove whatever its text.
        let in_sentence = frame.in_line && is_inline(tag_of(&frame.selector));
        let links_only = !captioned
            && !caption
            && !frame.byline
            && !in_sentence
            && chars > 0
            && chars <= block_chars
            && links as f64 >= LINK_SHARE * raw.len() as f64;
        let text = Masked::text(folded.as_deref().unwrap_or(""));
        // An inline element with nothing but its tag could be any link or word in a
        // sentence: removing it by its text would cut the sentence. Only one that starts
        // a line and holds a sentence of its own (a notice in <strong>) is a unit.
        let bare_inline = is_inline(&frame.selector) && (frame.in_line || chars < INLINE_MIN_CHARS);
        // By its text first: where both would do, the rule for the exact text is chosen.
        if !captioned && !bare_inline && chars > 0 && chars <= self.max_chars {
            self.page.units.push(Unit {
                kind: Kind::Element {
                    selector: frame.selector.clone(),
                },
                text: text.clone(),
                chars,
                own_links: frame.own_links.clone(),
                byline: frame.byline,
                caption,
                links_only: false,
                linked: links > 0,
                spaces: Vec::new(),
                whole: None,
                head: 0,
                open: frame.open,
                close,
            });
            self.push_prefix(Some(frame.selector.clone()));
        }
        // A block of links to one section of the site: links nearly all its text, no media,
        // no caption, no byline, no heading, a block of its own.
        if let Section::One(section) = &frame.section
            && !captioned
            && !caption
            && !frame.byline
            && !frame.media
            && !frame.in_line
            && !is_inline(tag_of(&frame.selector))
            && !matches!(
                tag_of(&frame.selector),
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            )
            && chars > 0
            && chars <= self.max_chars
            && links as f64 >= LIST_LINK_SHARE * raw_len as f64
        {
            self.page.units.push(Unit {
                kind: Kind::LinkList {
                    section: section.clone(),
                },
                text: text.clone(),
                chars,
                own_links: Vec::new(),
                byline: false,
                caption: false,
                links_only: true,
                linked: true,
                spaces: Vec::new(),
                whole: None,
                head: 0,
                open: frame.open,
                close,
            });
        }
        if frame.selector.contains(['.', '#']) {
            self.page.units.push(Unit {
                kind: Kind::Block {
                    selector: frame.selector,
                },
                text,
                chars: chars.min(block_chars),
                own_links: frame.own_links,
                byline: frame.byline,
                caption,
                links_only,
                linked: links > 0,
                spaces: Vec::new(),
                whole: None,
                head: 0,
                open: frame.open,
                close,
            });
        }
    }

    /// After a line or element unit: how its text begins, as a unit of its own, when the
    /// text goes on well past that.
    fn push_prefix(&mut self, selector: Option<String>) {
        let Some(unit) = self.page.units.last() else {
            return;
        };
        let wide = unit.text.letters().1;
        let Some((text, spaces)) = unit
            .text
            .prefix(if wide { PREFIX_WIDE } else { PREFIX_NARROW })
        else {
            return;
        };
        // A prefix or an infix: a window on `unit`'s text, with its marks and span.
        let part =
            |kind: Kind, text: Masked, spaces: Vec<bool>, whole_key: String, head: usize| Unit {
                kind,
                text,
                chars: unit.chars,
                own_links: unit.own_links.clone(),
                byline: unit.byline,
                caption: unit.caption,
                links_only: false,
                linked: unit.linked,
                spaces,
                whole: Some((unit.text.original(), whole_key)),
                head,
                open: unit.open,
                close: unit.close,
            };
        let infix_selector = selector.clone();
        let prefix = part(Kind::Prefix { selector }, text, spaces, unit.text.key(), 0);
        let heads = unit.text.heads(HEAD_MAX);
        // The article's metadata (a byline, a source line) is never learned, whatever
        // follows its label.
        let metadata = !heads.is_empty()
            && (unit.byline || unit.caption || super::guard::is_metadata(&unit.text.original()));
        let mut infixes = Vec::new();
        for &(skip, head) in heads.iter().take(HEADS).filter(|_| !metadata) {
            let n = if wide { PREFIX_WIDE } else { PREFIX_NARROW };
            let Some((text, spaces)) = unit.text.window(skip, n) else {
                break;
            };
            let head_key = unit
                .text
                .prefix(skip)
                .map_or_else(String::new, |(h, _)| h.key());
            let kind = Kind::Infix {
                selector: infix_selector.clone(),
            };
            infixes.push(part(kind, text, spaces, head_key, head));
        }
        self.page.units.push(prefix);
        self.page.units.extend(infixes);
    }

    /// What a closed element tells the one around it: it holds media, a byline, links.
    fn hand_up(&mut self, inner: &Frame) {
        if let Some(outer) = self.stack.last_mut() {
            outer.media |= inner.media;
            if inner.media {
                outer.media_at = Some(self.text.len());
            }
            outer.byline |= inner.byline;
            outer.link_bytes += if inner.name.as_slice() == b"a" {
                self.text.len() - inner.text_start
            } else {
                inner.link_bytes
            };
            outer.section.join(&inner.section);
            let room = OWN_LINKS.saturating_sub(outer.own_links.len());
            outer
                .own_links
                .extend(inner.own_links.iter().take(room).cloned());
        }
    }

    fn finish(self) -> Page {
        self.page
    }
}

/// Whether a start tag (its attributes by name) marks the author: `rel="author"`,
/// `itemprop="author"`, RDFa's `property="foaf:name"` or `dc:creator` (Drupal's user
/// names), a class with `author`, `byline` or `username` in it, a link to an author's page.
fn is_byline<'a>(attr: &impl Fn(&str) -> Option<&'a str>) -> bool {
    let has = |name: &str, words: &[&str]| {
        attr(name).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            words.iter().any(|w| v.contains(w))
        })
    };
    has("rel", &["author"])
        || has("itemprop", &["author", "creator"])
        || has("property", &["author", "creator", "foaf:name"])
        || has("class", &["author", "byline", "username"])
        || has("href", &["/author/", "/authors/"])
}

/// The section of the article's own site a link goes to, as the key of a
/// [`Kind::LinkList`]: `domain/first-folder/` (`rfa.org/mandarin/`), `domain/` when the
/// address has no folder, `/first-folder/` for a path on the same site.
fn section_of(href: &str) -> Option<String> {
    let href = href.trim();
    let folder = |path: &str| {
        let first = path.split(['/', '?', '#']).nth(1).unwrap_or("");
        let plain = !first.is_empty()
            && first.len() <= 64
            && first
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if plain && path[1 + first.len()..].starts_with('/') {
            format!("/{first}/")
        } else {
            "/".to_string()
        }
    };
    if href.starts_with('/') && !href.starts_with("//") {
        return Some(folder(href));
    }
    let host = super::group::host(href)?;
    let domain = super::group::domain(&host);
    let after = href.split_once("//")?.1;
    let path = after.find(['/', '?', '#']).map_or("", |i| &after[i..]);
    let path = if path.starts_with('/') { path } else { "/" };
    Some(format!("{domain}{}", folder(path)))
}

/// A regex for the link targets of a [`Kind::LinkList`]'s section.
pub fn section_pattern(section: &str) -> String {
    let (domain, folder) = match section.find('/') {
        Some(i) => section.split_at(i),
        None => (section, "/"),
    };
    let folder = if folder == "/" {
        "(?:[/?#]|$)".to_string()
    } else {
        regex::escape(folder)
    };
    if domain.is_empty() {
        match section.strip_prefix('/').filter(|f| !f.is_empty()) {
            Some(f) => format!("^/{}", regex::escape(f)),
            None => "^/(?:[^/]|$)".to_string(),
        }
    } else {
        format!(
            r"^(?:https?:)?//(?:[^/?#]*\.)?{}{folder}",
            regex::escape(domain)
        )
    }
}

/// The tag of a selector this module made (`p.promo` → `p`).
pub fn tag_of(selector: &str) -> &str {
    selector.split(['.', '#']).next().unwrap_or(selector)
}

/// Whether a selector is nothing but a tag that is no block (`a`, `span`, `ok`): an element
/// that may sit in a line of text.
pub fn is_inline(selector: &str) -> bool {
    !selector.contains(['.', '#']) && !html::CONTAINERS.contains(&selector)
}

/// Text as the rules read it: entities decoded, whitespace folded, trimmed.
pub fn fold(raw: &str) -> String {
    let decoded = crate::text::decode_entities(raw);
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Characters a reader sees: link targets do not count.
fn visible_chars(m: &Masked) -> usize {
    m.pieces
        .iter()
        .map(|p| match p {
            Piece::Slot(Slot::Target, _) => 0,
            Piece::Text(t) | Piece::Slot(_, t) => t.chars().count(),
        })
        .sum()
}

/// The selector an element's tag and attributes give: `tag.class.class`, else `tag#id`,
/// else the tag. Classes and ids with digits in them are mostly one page's own
/// (`post-1234`) and are left out, as are any that are not plain CSS identifiers.
fn selector(name: &[u8], class: Option<&str>, id: Option<&str>) -> String {
    let tag = String::from_utf8_lossy(name).to_ascii_lowercase();
    let usable = |s: &&str| {
        !s.is_empty()
            && s.len() <= 40
            && s.bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'_')
            && !s.starts_with('-')
    };
    let classes: Vec<&str> = class
        .unwrap_or("")
        .split_ascii_whitespace()
        .filter(usable)
        .take(2)
        .collect();
    if !classes.is_empty() {
        return format!("{tag}.{}", classes.join("."));
    }
    match id.map(str::trim).filter(usable) {
        Some(id) => format!("{tag}#{id}"),
        None => tag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str, format: InputFormat) -> Vec<(Kind, String)> {
        of(text, format, 200, None)
            .units
            .into_iter()
            .map(|u| (u.kind, u.text.original()))
            .collect()
    }

    #[test]
    fn markdown_lines_and_html_elements_are_units() {
        let page = "---\ntitle: T\n---\n# T\n\nA line.\n\n<div class=\"foot x1\"><p>Follow &amp; <b>share</b></p></div>\n";
        let got = units(page, InputFormat::Markdown);
        let el = |s: &str| Kind::Element { selector: s.into() };
        assert_eq!(
            got,
            [
                (Kind::Line, "# T".into()),
                (Kind::Line, "A line.".into()),
                (el("p"), "Follow & share".into()),
                (el("div.foot"), "Follow & share".into()),
                (
                    Kind::Block {
                        selector: "div.foot".into()
                    },
                    "Follow & share".into()
                ),
            ]
        );
        assert_eq!(
            of(page, InputFormat::Markdown, 200, None).title.as_deref(),
            Some("T")
        );
    }

    #[test]
    fn elements_with_media_long_text_or_no_end_are_no_units() {
        let long = "字".repeat(300);
        let page = format!(
            "<div><img src=\"a.png\">caption</div><p>{long}</p><ul><li>open<li>two</ul><p>ok</p><a>link</a>"
        );
        let got = units(&page, InputFormat::Html);
        assert_eq!(
            got,
            [
                (
                    Kind::Image {
                        src: "a.png".into()
                    },
                    String::new()
                ),
                (
                    Kind::Element {
                        selector: "ul".into()
                    },
                    "opentwo".into()
                ),
                (
                    Kind::Element {
                        selector: "p".into()
                    },
                    "ok".into()
                ),
            ]
        );
    }

    #[test]
    fn an_inline_element_is_a_unit_only_as_a_sentence_of_its_own() {
        let notice = "版权声明：本社版权所有，未经授权不得转载。";
        let standalone = format!("<div><p>正文。</p><strong>{notice}</strong><ok>修炼</ok></div>");
        let got = units(&standalone, InputFormat::Html);
        assert!(got.contains(&(
            Kind::Element {
                selector: "strong".into()
            },
            notice.into()
        )));
        assert!(!got.iter().any(|(k, _)| *k
            == Kind::Element {
                selector: "ok".into()
            }));
        let inside = format!("<div><p>正文，<strong>{notice}</strong></p></div>");
        assert!(!units(&inside, InputFormat::Html).iter().any(|(k, _)| *k
            == Kind::Element {
                selector: "strong".into()
            }));
    }

    #[test]
    fn nested_spans_lie_inside_their_parents() {
        let page = of("<div><p>a</p></div>", InputFormat::Html, 200, None);
        let (p, div) = (&page.units[0], &page.units[1]);
        assert!(div.open < p.open && p.close < div.close);
    }

    #[test]
    fn deep_and_broken_markup_is_linear_and_safe() {
        let deep = "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000);
        let page = of(&deep, InputFormat::Html, 200, None);
        assert!(page.units.len() <= MAX_DEPTH);
        let broken = "<a href=\"".repeat(10_000);
        assert!(of(&broken, InputFormat::Html, 200, None).units.is_empty());
    }
}
