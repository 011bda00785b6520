//! The choice of a whole page's main content: one lol_html pass over the page that scores
//! its elements by the paragraphs they hold, as Mozilla's Readability does, and names the
//! elements to keep by their order among the page's elements (the count lol_html's own
//! element handlers keep, so that the rewriter finds the same elements).
//!
//! A page with one top-level `<article>` (not one in a sidebar) keeps it. Otherwise:
//! a paragraph (a `<p>`, `<td>`, `<pre>`, a `<div>` without blocks in it, or a run of text
//! between blocks) of 25 characters or more (a CJK character counts two) scores 1, one per
//! comma, and one per hundred characters up to three; its parent gains that, its
//! grandparent half, the next three levels a third, a sixth and a ninth. An element's
//! score starts from its tag (a `<div>` +5, a list −3, a heading −5) and its class and id
//! (`content`, `article`, `post` +25; `comment`, `sidebar`, `footer`, `share` −25), and is
//! weighed down by its share of link text. Paragraphs inside what is plainly not the
//! article (navigation, asides, footers, forms, a class or id saying menu, sidebar,
//! comments, related) are not scored. A block's own class, id, tag and role also say
//! whether it is the page's furniture, which `pick.rs` drops from inside the content kept,
//! and so do its counts of pictures in links, forms and separators between links.
//!
//! Records are kept for blocks only (a link or an emphasis is its block's text), so that
//! the pass holds far less than the page. What is kept, from the scores, is chosen in
//! `pick.rs`.

use lol_html::html_content::{Element, TextChunk, TextType};
use lol_html::{
    DocumentContentHandlers, ElementContentHandlers, HtmlRewriter, MemorySettings, Settings,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// The least text, in characters, of the content chosen: below it the page is not an
/// article the scores can be trusted on, and nothing is cut.
pub const MIN_TEXT: u32 = 200;
/// The least text of a paragraph that scores.
const MIN_PARAGRAPH: u32 = 25;
/// No parent: the element is at the top.
pub(super) const NONE: u32 = u32::MAX;
/// How far up the choice looks from an element (for an ancestor that holds several
/// near-best elements, a better parent, an `<article>`): far enough for any page's
/// wrappers, and no walk over a page nested thousands deep.
pub(super) const MAX_WALK: usize = 64;
/// The memory lol_html may use for the pass (as the rewriter's own bound).
const MEMORY: usize = 16 << 20;

/// What an element is to the scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    P,
    Div,
    Section,
    Article,
    Td,
    Pre,
    Blockquote,
    H1,
    Heading,
    List,
    ListPart,
    Form,
    Th,
    Link,
    Body,
    /// Navigation, asides, footers: never the article.
    Frame,
    /// Another block: a table, a figure, a header.
    Block,
    /// Phrasing content: its text is its block's.
    Inline,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "p" => Tag::P,
            "div" => Tag::Div,
            "section" | "main" => Tag::Section,
            "article" => Tag::Article,
            "td" => Tag::Td,
            "pre" => Tag::Pre,
            "blockquote" => Tag::Blockquote,
            "h1" => Tag::H1,
            "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
            "ul" | "ol" | "dl" => Tag::List,
            "li" | "dd" | "dt" | "address" => Tag::ListPart,
            "form" => Tag::Form,
            "th" => Tag::Th,
            "a" => Tag::Link,
            "body" => Tag::Body,
            "nav" | "aside" | "footer" | "menu" | "select" | "button" | "noscript" | "template" => {
                Tag::Frame
            }
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "figure" | "figcaption" | "header"
            | "hgroup" | "fieldset" | "hr" | "center" | "details" | "summary" | "dialog" => {
                Tag::Block
            }
            _ => Tag::Inline,
        }
    }

    fn is_block(self) -> bool {
        self != Tag::Inline && self != Tag::Link
    }

    /// Whether a paragraph of this element is scored (Readability's tags to score, and a
    /// `<div>` that holds no block).
    fn scored_alone(self) -> bool {
        matches!(
            self,
            Tag::P | Tag::Td | Tag::Pre | Tag::Section | Tag::Heading | Tag::Div | Tag::Article
        )
    }

    /// The score an element starts from, by its tag (Readability's `initializeNode`).
    fn base(self) -> f32 {
        match self {
            Tag::Div => 5.0,
            Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
            Tag::List | Tag::ListPart | Tag::Form => -3.0,
            Tag::H1 | Tag::Heading | Tag::Th => -5.0,
            _ => 0.0,
        }
    }
}

/// A block of the page, as the pass saw it (phrasing elements have no record: their
/// text is their block's).
#[derive(Debug)]
pub(super) struct Elem {
    pub(super) tag: Tag,
    /// Its order among all the page's elements.
    pub(super) ordinal: u32,
    /// The block around it.
    pub(super) parent: u32,
    /// The running counts when it started, then (once it ends) its own: characters, link
    /// characters, commas, characters of paragraphs that scored.
    pub(super) text: u32,
    pub(super) prose: u32,
    pub(super) links: u32,
    pub(super) commas: u32,
    /// The running count of links when it started, then (once it ends) how many it holds.
    pub(super) link_count: u32,
    /// The running count of linked headings (a heading mostly link text: a teaser's
    /// headline) when it started, then (once it ends) how many it holds.
    pub(super) linked_headings: u32,
    /// The running counts when it started, then (once it ends) how many it holds: links to
    /// another page that hold an image (a teaser's picture, not a photo's link to its
    /// file), images, forms and e-mail fields, and separators between links outside them
    /// (`›`, `»`, `>`: a breadcrumb's).
    pub(super) media_links: u32,
    pub(super) images: u32,
    pub(super) fields: u32,
    pub(super) separators: u32,
    pub(super) ended: bool,
    /// Whether a block started inside it.
    pub(super) has_block: bool,
    /// Scores of its own paragraphs read before its first block child (a `<div>` is one
    /// paragraph until a block shows it is a container).
    pub(super) pending: f32,
    pub(super) pending_prose: u32,
    /// Its score, once it is a candidate.
    pub(super) score: Option<f32>,
    /// What its class and id say (Readability's class weight).
    pub(super) weight: f32,
    /// It or an ancestor is plainly not the article.
    pub(super) unlikely: bool,
    /// It or an ancestor is the page's frame by its tag or role (navigation, an aside, a
    /// footer, a form, a dialog), whatever its class says: what leads into the content is
    /// looked for outside these only (a `story-header` holds the headline).
    pub(super) framed: bool,
    /// Its text holds the end of a sentence.
    pub(super) sentence: bool,
    /// It is inside the page's `<body>` (or is it).
    pub(super) in_body: bool,
    /// It is inside an `<article>`.
    pub(super) in_article: bool,
    /// It is an `<article>` inside blocks whose names say they are not the article (but
    /// no frame by tag or role), and is scored all the same.
    pub(super) rescued: bool,
    /// How many blocks it holds as children.
    pub(super) children: u32,
    /// A hash of its class attribute (0: none), for siblings of the same class.
    pub(super) class: u32,
    /// What it says of itself that marks it as the page's furniture, should it stand inside
    /// the content kept.
    pub(super) furniture: Furniture,
}

/// What marks a block as the page's furniture (a comment section, an author's box, a row
/// of links to other stories) rather than the article, by the block's own tag or names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Furniture {
    /// Nothing.
    No,
    /// Its tag or role: navigation, a menu, a form, a footer, a dialog.
    Tag,
    /// Its class or id (`comments-area`, `author-bio`, `prev-next-links`).
    Name,
    /// Its class or id says links (`related_links`, `contextual_links_fmt`), or it is an
    /// `<aside>`: furniture only when it is a row of links, no sentence.
    Links,
}

/// An open element.
#[derive(Debug, Clone, Copy)]
struct Open {
    ordinal: u32,
    /// The innermost block at or around it.
    block: Option<u32>,
    link: bool,
}

/// The running state of the pass.
#[derive(Default)]
pub(super) struct Scan {
    pub(super) elems: Vec<Elem>,
    /// How many elements have started.
    ordinals: u32,
    /// Open elements that can hold content, innermost last (so in the order they opened).
    open: Vec<Open>,
    /// Open `<a>` elements.
    in_link: u32,
    /// Characters, link characters, commas and characters of paragraphs that scored so far.
    text: u32,
    prose: u32,
    links: u32,
    commas: u32,
    /// Links so far.
    link_count: u32,
    /// Linked headings so far.
    linked_headings: u32,
    /// Links to a page holding an image, images, forms and e-mail fields, and separators
    /// between links, so far.
    media_links: u32,
    images: u32,
    fields: u32,
    separators: u32,
    /// The innermost open link goes to another page (not to an image file), and its
    /// image has been counted.
    link_to_page: bool,
    link_has_media: bool,
    /// The text of the current run (since the last block boundary).
    run_text: u32,
    run_commas: u32,
    last_space: bool,
    /// The last character read ends a sentence.
    after_stop: bool,
    /// The `<h1>` elements and their text (the first 1,200 bytes).
    pub(super) headings: Vec<(u32, String)>,
    /// The `<h1>` open, if one is.
    in_heading: Option<u32>,
    /// The `<title>`'s text (the first 2,400 bytes).
    pub(super) title: String,
    in_title: bool,
}

/// The page's blocks, scored (what `pick.rs` chooses from); None when the pass did not
/// finish (the page outgrew the rewriter's memory bound).
pub(super) fn scan(html: &[u8]) -> Option<Scan> {
    let scan = Rc::new(RefCell::new(Scan::default()));
    let on_element = {
        let scan = Rc::clone(&scan);
        move |el: &mut Element| {
            let end = start(&mut scan.borrow_mut(), el);
            if let (Some(i), Some(handlers)) = (end, el.end_tag_handlers()) {
                let scan = Rc::clone(&scan);
                handlers.push(Box::new(move |_end| {
                    close(&mut scan.borrow_mut(), i);
                    Ok(())
                }));
            }
            Ok(())
        }
    };
    let on_text = {
        let scan = Rc::clone(&scan);
        move |t: &mut TextChunk| {
            text(&mut scan.borrow_mut(), t);
            Ok(())
        }
    };
    let every: lol_html::Selector = "*".parse().ok()?;
    let settings = Settings::new()
        .with_strict(false)
        .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(MEMORY))
        .append_element_content_handler((
            Cow::Borrowed(&every),
            ElementContentHandlers::default().element(on_element),
        ))
        .append_document_content_handler(DocumentContentHandlers::default().text(on_text));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html).ok()?;
    rewriter.end().ok()?;
    let mut scan = scan.take();
    while let Some(&Open { ordinal, .. }) = scan.open.last() {
        close(&mut scan, ordinal);
    }
    Some(scan)
}

/// An element starts: its record when it is a block, and its ordinal when it can hold
/// content (an end tag will close it).
fn start(scan: &mut Scan, el: &Element) -> Option<u32> {
    let ordinal = scan.ordinals;
    scan.ordinals = scan.ordinals.saturating_add(1);
    let name = el.tag_name();
    if name == "title" {
        scan.in_title = true;
    }
    let tag = Tag::of(&name);
    let around = scan.open.last().and_then(|o| o.block);
    let mut block = around;
    if tag.is_block() {
        flush(scan);
        block = Some(add_block(scan, el, tag, ordinal, around));
    }
    count_media(scan, el, &name);
    if !el.can_have_content() {
        if let Some(i) = block.filter(|_| tag.is_block()) {
            scan.elems[i as usize].ended = true;
        }
        return None;
    }
    let link = tag == Tag::Link;
    if link {
        scan.in_link += 1;
        scan.link_count = scan.link_count.saturating_add(1);
        let href = el.get_attribute("href").unwrap_or_default();
        scan.link_to_page = !links_to_image(&href);
        scan.link_has_media = false;
    }
    if tag == Tag::H1
        && scan.in_heading.is_none()
        && let Some(i) = block
    {
        scan.headings.push((i, String::new()));
        scan.in_heading = Some(i);
    }
    scan.open.push(Open {
        ordinal,
        block,
        link,
    });
    Some(ordinal)
}

/// Counts an image (and the link to another page that holds it), a form or an e-mail field.
fn count_media(scan: &mut Scan, el: &Element, name: &str) {
    match name {
        "img" | "picture" => {
            scan.images = scan.images.saturating_add(1);
            if scan.in_link > 0 && scan.link_to_page && !scan.link_has_media {
                scan.link_has_media = true;
                scan.media_links = scan.media_links.saturating_add(1);
            }
        }
        "form" => scan.fields = scan.fields.saturating_add(1),
        "input" if el.get_attribute("type").is_some_and(|t| t.eq_ignore_ascii_case("email")) => {
            scan.fields = scan.fields.saturating_add(1);
        }
        _ => {}
    }
}

/// Whether a link's target is an image file (a photo linked to its full size), by the
/// extension of its path.
fn links_to_image(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    let Some((_, ext)) = path.rsplit_once('.') else {
        return false;
    };
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "avif" | "svg" | "bmp" | "tif" | "tiff"
    )
}

/// The record of a block that starts inside the block `parent`.
fn add_block(scan: &mut Scan, el: &Element, tag: Tag, ordinal: u32, parent: Option<u32>) -> u32 {
    let parent = parent.unwrap_or(NONE);
    // A block inside its parent: what the parent read before was not its only paragraph,
    // but a run of text among blocks.
    if let Some(p) = scan.elems.get_mut(parent as usize)
        && !p.has_block
    {
        p.has_block = true;
        let pending = std::mem::take(&mut p.pending);
        scan.prose = scan.prose.saturating_add(std::mem::take(&mut p.pending_prose));
        if pending > 0.0 {
            add_score(scan, parent, pending);
        }
    }
    let class = el.get_attribute("class").unwrap_or_default();
    let id = el.get_attribute("id").unwrap_or_default();
    let role = el.get_attribute("role").unwrap_or_default();
    let hints = format!("{class} {id}").to_ascii_lowercase();
    let p = scan.elems.get(parent as usize);
    let framed = tag == Tag::Frame
        || matches!(
            role.as_str(),
            "navigation" | "menu" | "menubar" | "complementary" | "dialog" | "alertdialog"
        )
        || p.is_some_and(|p| p.framed);
    // An `<article>` is the page's article whatever the names of the blocks around it say
    // (France 24 sets its story in a column named `col-1 highfooter`): only a frame by tag
    // or role rules it out. Set free so, it must hold most of the page's prose to be taken
    // as the article (see `pick.rs`).
    let by_names = p.is_some_and(|p| p.unlikely);
    let rescued = tag == Tag::Article && !framed && by_names;
    let unlikely = framed
        || (tag != Tag::Body && tag != Tag::Article && unlikely_by_name(&hints))
        || (by_names && !rescued);
    let in_body = tag == Tag::Body || p.is_some_and(|p| p.in_body);
    let in_article = p.is_some_and(|p| p.in_article || p.tag == Tag::Article);
    let furniture = if furniture_by_name(&hints) {
        Furniture::Name
    } else if el.tag_name() == "aside" || names_links(&hints) {
        Furniture::Links
    } else if matches!(
        el.tag_name().as_str(),
        "nav" | "footer" | "menu" | "form" | "select" | "button" | "dialog"
    ) || matches!(
        role.as_str(),
        "navigation" | "menu" | "menubar" | "dialog" | "alertdialog"
    ) {
        Furniture::Tag
    } else {
        Furniture::No
    };
    if let Some(p) = scan.elems.get_mut(parent as usize) {
        p.children += 1;
    }
    let i = scan.elems.len() as u32;
    scan.elems.push(Elem {
        tag,
        ordinal,
        parent,
        text: scan.text,
        prose: scan.prose,
        links: scan.links,
        commas: scan.commas,
        link_count: scan.link_count,
        linked_headings: scan.linked_headings,
        media_links: scan.media_links,
        images: scan.images,
        fields: scan.fields,
        separators: scan.separators,
        ended: false,
        has_block: false,
        pending: 0.0,
        pending_prose: 0,
        score: None,
        weight: class_weight(&class.to_ascii_lowercase(), &id.to_ascii_lowercase()),
        unlikely,
        framed,
        sentence: false,
        in_body,
        in_article,
        rescued,
        children: 0,
        class: hash(class.trim()),
        furniture,
    });
    i
}

/// A hash of a class attribute, 0 for none.
fn hash(class: &str) -> u32 {
    if class.is_empty() {
        return 0;
    }
    // FNV-1a: equal classes hash equal, which is all the comparison needs.
    let h = (class.bytes()).fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    h.max(1)
}

/// The element of `ordinal` ends, and every element opened after it (an element it
/// holds whose end tag is missing).
fn close(scan: &mut Scan, ordinal: u32) {
    // The open elements are in the order they opened, so in the order of their ordinals.
    let Ok(at) = scan.open.binary_search_by_key(&ordinal, |o| o.ordinal) else {
        return;
    };
    while scan.open.len() > at {
        let Some(&open) = scan.open.last() else {
            break;
        };
        let own = (open.block)
            .filter(|&b| scan.elems[b as usize].ordinal == open.ordinal);
        if own.is_some() {
            // The run of text before the end tag is this block's.
            flush(scan);
        }
        scan.open.pop();
        scan.in_title = false;
        if open.link {
            scan.in_link = scan.in_link.saturating_sub(1);
        }
        if let Some(j) = own {
            end_block(scan, j);
        }
    }
}

/// The block `j` ends: its own counts, and its score as a paragraph.
fn end_block(scan: &mut Scan, j: u32) {
    if scan.in_heading == Some(j) {
        scan.in_heading = None;
    }
    let e = &scan.elems[j as usize];
    if e.tag.scored_alone() && !e.has_block && !e.unlikely {
        let own = scan.text - e.text;
        if own >= MIN_PARAGRAPH {
            scan.prose = scan.prose.saturating_add(own);
        }
    }
    let (text, links, commas, prose) = (scan.text, scan.links, scan.commas, scan.prose);
    let (link_count, linked_headings) = (scan.link_count, scan.linked_headings);
    let (media_links, images) = (scan.media_links, scan.images);
    let (fields, separators) = (scan.fields, scan.separators);
    let e = &mut scan.elems[j as usize];
    e.link_count = link_count - e.link_count;
    e.linked_headings = linked_headings - e.linked_headings;
    e.media_links = media_links - e.media_links;
    e.images = images - e.images;
    e.fields = fields - e.fields;
    e.separators = separators - e.separators;
    e.text = text - e.text;
    e.prose = prose - e.prose;
    e.links = links - e.links;
    e.commas = commas - e.commas;
    e.ended = true;
    if matches!(e.tag, Tag::H1 | Tag::Heading) && e.text > 0 && e.links.saturating_mul(2) >= e.text {
        scan.linked_headings = scan.linked_headings.saturating_add(1);
    }
    let (sentence, parent) = (e.sentence, e.parent);
    if sentence && let Some(p) = scan.elems.get_mut(parent as usize) {
        p.sentence = true;
    }
    let e = &scan.elems[j as usize];
    if e.tag.scored_alone() && !e.has_block && !e.unlikely && e.text >= MIN_PARAGRAPH {
        let (score, parent) = (paragraph_score(e.text, e.commas), e.parent);
        add_score(scan, parent, score);
    }
}

/// A text chunk: counted for every open element (by the running counts) and the run.
fn text(scan: &mut Scan, t: &TextChunk) {
    let s = t.as_str();
    if scan.in_title && t.text_type() == TextType::RCData {
        push_bounded(&mut scan.title, s, 2400);
        return;
    }
    if t.text_type() != TextType::Data {
        return;
    }
    let mut n = 0u32;
    let mut commas = 0u32;
    let mut separators = 0u32;
    let mut sentence = false;
    let mut after_stop = scan.after_stop;
    for c in s.chars() {
        let space = c.is_whitespace();
        if space {
            if !scan.last_space {
                n += 1;
            }
            sentence |= after_stop;
        } else {
            n += width(c);
        }
        scan.last_space = space;
        commas += u32::from(matches!(c, ',' | '，' | '、'));
        separators += u32::from(matches!(c, '›' | '»' | '>' | '＞' | '→'));
        after_stop = matches!(c, '.' | '!' | '?' | '。' | '！' | '？');
        sentence |= matches!(c, '。' | '！' | '？');
    }
    // Text comes as written: a separator may be an entity (`&gt;`, `&raquo;`).
    if s.contains('&') {
        let entities = ["&gt;", "&raquo;", "&rsaquo;", "&#62;", "&#187;", "&#8250;"];
        let count: usize = entities.iter().map(|e| s.matches(e).count()).sum();
        separators = separators.saturating_add(count as u32);
    }
    // A text node ends with its last chunk, often an empty one.
    sentence |= after_stop && t.last_in_text_node();
    scan.after_stop = after_stop;
    scan.text = scan.text.saturating_add(n);
    scan.commas = scan.commas.saturating_add(commas);
    if scan.in_link > 0 {
        scan.links = scan.links.saturating_add(n);
    } else {
        scan.separators = scan.separators.saturating_add(separators);
    }
    scan.run_text = scan.run_text.saturating_add(n);
    scan.run_commas = scan.run_commas.saturating_add(commas);
    if sentence && let Some(&Open { block: Some(block), .. }) = scan.open.last() {
        scan.elems[block as usize].sentence = true;
    }
    if scan.in_heading.is_some()
        && let Some((_, heading)) = scan.headings.last_mut()
    {
        push_bounded(heading, s, 1200);
    }
}

/// A block boundary: the run of text since the last one is a paragraph of the innermost
/// open block.
fn flush(scan: &mut Scan) {
    let (len, commas) = (scan.run_text, scan.run_commas);
    scan.run_text = 0;
    scan.run_commas = 0;
    if len < MIN_PARAGRAPH {
        return;
    }
    let Some(&Open {
        block: Some(owner), ..
    }) = scan.open.last()
    else {
        return;
    };
    let e = &mut scan.elems[owner as usize];
    if e.unlikely || !matches!(e.tag, Tag::Div | Tag::Section | Tag::Article | Tag::Body) {
        // A paragraph element is scored whole when it ends.
        return;
    }
    let score = paragraph_score(len, commas);
    if e.has_block {
        // A run of text among blocks: Readability wraps it in a paragraph of this element.
        scan.prose = scan.prose.saturating_add(len);
        add_score(scan, owner, score);
    } else {
        e.pending += score;
        e.pending_prose += len;
    }
}

/// What a character counts for in the lengths: two for a CJK character, which says as much
/// as a short word does (the thresholds are Readability's, set on Latin text).
fn width(c: char) -> u32 {
    let wide = matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FF60}');
    1 + u32::from(wide)
}

fn paragraph_score(len: u32, commas: u32) -> f32 {
    1.0 + commas as f32 + (len / 100).min(3) as f32
}

/// Gives `score` to `first` and its ancestors: all to it, half to its parent, and a third,
/// a sixth and a ninth to the next three.
fn add_score(scan: &mut Scan, first: u32, score: f32) {
    let mut at = first;
    for level in 0..5u32 {
        let Some(e) = scan.elems.get_mut(at as usize) else {
            return;
        };
        let share = match level {
            0 => score,
            1 => score / 2.0,
            _ => score / (level * 3) as f32,
        };
        let base = e.tag.base() + e.weight;
        *e.score.get_or_insert(base) += share;
        at = e.parent;
    }
}

/// Readability's regexes of class and id names: what is plainly not the article, unless
/// it also says it is.
fn unlikely_by_name(hints: &str) -> bool {
    const UNLIKELY: &[&str] = &[
        "-ad-", "banner", "breadcrumb", "combx", "comment", "community", "disqus", "extra",
        "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss",
        "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break",
        "agegate", "pagination", "pager", "popup", "navbar", "share", "newsletter", "subscribe",
    ];
    const MAYBE: &[&str] = &["and", "article", "body", "column", "content", "main", "shadow"];
    let hints = hints.trim();
    !hints.is_empty()
        && UNLIKELY.iter().any(|w| hints.contains(w))
        && !MAYBE.iter().any(|w| hints.contains(w))
}

/// Whether a block's class and id name it as the page's furniture, which may stand inside
/// the content kept: comments, the author's box, share and follow bars, related stories,
/// previous and next, a newsletter's form, sponsored links, a video playlist. Narrower than
/// [`unlikely_by_name`] (no `header`, which holds the headline, nor `extra`). Each class
/// (and the id) is read alone: one that names furniture (`comments-area`, `RelatedContent`,
/// `article-share`) marks the block, unless another of its classes names content alone
/// (`article-body comments-enabled`).
fn furniture_by_name(hints: &str) -> bool {
    const FURNITURE: &[&str] = &[
        "comment", "disqus", "replies", "related", "social", "share", "sharing", "newsletter",
        "subscribe", "sponsor", "outbrain", "taboola", "pagination", "pager", "prev-next",
        "next-prev", "post-navigation", "author-bio", "about-author", "about-the-author",
        "author-box", "authorbox", "playlist", "breadcrumb", "-ad-", "ad-break", "popup",
        "gdpr", "navbar", "sidebar", "shoutbox", "skyscraper",
    ];
    const CONTENT: &[&str] = &["article", "body", "content", "main", "text", "story", "entry"];
    let says = |name: &str, words: &[&str]| words.iter().any(|w| name.contains(w));
    let mut furniture = false;
    for name in hints.split_whitespace() {
        if says(name, FURNITURE) {
            furniture = true;
        } else if says(name, CONTENT) {
            return false;
        }
    }
    furniture
}

/// Whether a block's class or id names it a box of links (`related_links`,
/// `contextual_links_fmt`, `more-links`), which inside the content is furniture when it
/// is a row of links rather than sentences.
fn names_links(hints: &str) -> bool {
    hints.contains("links")
}

/// What an element's class and id say of it: +25 each for a name of content, −25 for one
/// of chaff (Readability's `getClassWeight`).
fn class_weight(class: &str, id: &str) -> f32 {
    const NEGATIVE: &[&str] = &[
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "gdpr",
        "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
        "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
    ];
    const POSITIVE: &[&str] = &[
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post",
        "text", "blog", "story",
    ];
    let mut weight = 0.0;
    for name in [class, id] {
        if name.is_empty() {
            continue;
        }
        if NEGATIVE.iter().any(|w| name.contains(w)) {
            weight -= 25.0;
        }
        if POSITIVE.iter().any(|w| name.contains(w)) {
            weight += 25.0;
        }
    }
    weight
}

/// Adds `s` to `to` while `to` is under `max` bytes.
fn push_bounded(to: &mut String, s: &str, max: usize) {
    for c in s.chars() {
        if to.len() >= max {
            return;
        }
        to.push(c);
    }
}

