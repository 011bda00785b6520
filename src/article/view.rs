//! The cleaned document as a reader meets it: a sequence of blocks — the Markdown blocks,
//! and the innermost block elements of its HTML — each with its text, how much of that
//! text is link text, whether it shows media, whether it is hidden from readers, and the
//! bytes that removing it takes out.
//!
//! Line breaks in a row (`<br><br>`, blanks between them) end a part of a block's text as
//! a blank line ends a paragraph: each part is a block of its own (the part after them
//! takes them when it goes), and the element around them is a container, as an `<hr>`
//! inside it makes it. So does a divider line between two breaks (`<br>———<br>`), itself
//! a part between the text before and after it. A related list or a notice set off that way at the end of a
//! paragraph goes without the paragraph's own sentences.
//!
//! Block elements that hold other blocks are *containers*: they are not judged as blocks,
//! but one whose every block was removed goes with them, so that no empty wrapper is left.
//! Text that sits in a container beside its blocks is a block of its own: it is judged
//! (it counts for positions) but cannot be removed, having no element of its own.
//!
//! Elements open and end as lol_html has them (`tokenizer`): an end tag ends the innermost
//! open element of its name and everything opened inside it; an element ended that way, or
//! never, has no range and is not removed alone. In Markdown, the rewriter reads every HTML
//! block as one stream, so an element may end in a later HTML block than the one it began
//! in: the element its HTML block leaves open, its own text, the HTML block that leaves it
//! open and the one whose end tag ends it are not removed alone (removing the start tag or
//! the end tag alone would change how the markup after it is read, and cleaning the output
//! again would judge it otherwise); an element that begins and ends inside it is balanced
//! markup, and is removed alone as in an HTML document (a footer's `<p>…</p>` after a
//! poem's unclosed `<p>`s, a view counter above a `<pre>` whose blank line ends the HTML
//! block). Each element left open is a container of its
//! own, nested in those around it, from its start tag to the end tag that ends it, holding
//! the top-level blocks between: emptied, it goes whole, as the rewriter's `remove-empty`
//! would take it on a second clean. So is the HTML block that leaves elements open, from
//! its start up to the end tag of the outermost of them (with the blank lines after it
//! when nothing else follows in its block). What follows an end tag that ends such an
//! element is outside it, inside the one around it. The tags of a paragraph's or a
//! heading's inline HTML are in the same stream (unless it has a code span): one that
//! leaves elements open is read as such an HTML block is; one whose end tag ends an element
//! carried in is not removed alone, and the element it ends goes whole up to that end tag
//! unless the paragraph's content lies on both sides of it (content after it is outside).

use super::fold::{self, Folder};
use crate::html;
use crate::rules::InputFormat;
use crate::text::{decode_entities, leading_blanks};
use crate::tokenizer::{self, Name, OpenElements, Token};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// How many characters of a block's text are kept for matching at most: block rules read
/// far fewer, and of a longer block only its length matters (see [`Sink::cap`]).
pub(crate) const TEXT_CAP: usize = 2000;
/// Deeper elements are read as part of the element at this depth, so that the stack of
/// open elements stays bounded whatever the nesting.
const MAX_DEPTH: usize = 512;

/// One block of the article.
#[derive(Debug, Clone, Default)]
pub(crate) struct Block {
    /// The bytes that removing the block takes out; None when it cannot be removed alone
    /// (loose text beside blocks, an element that never ended).
    pub range: Option<Range<usize>>,
    /// The bytes from its first to its last text or medium, removable or not: a cut that
    /// takes any of them takes the block's content.
    pub extent: Option<Range<usize>>,
    /// The container it sits in (an index into [`View::containers`]).
    pub parent: Option<usize>,
    /// Its text: entities decoded, whitespace folded, trimmed; read only while it holds at
    /// most the sink's [`Sink::cap`] characters (what it holds of a longer block is not
    /// its text).
    pub text: String,
    /// Characters of its whole text (after folding), counted up to the cap: past it, only
    /// more than the cap.
    pub chars: usize,
    /// Characters of that text inside links (counted while `chars` is).
    pub link_chars: usize,
    /// It shows an image, a video or another embedded medium.
    pub media: bool,
    /// It, or an element around it, is hidden from readers.
    pub hidden: bool,
    /// It is a caption: a `figcaption`, or text inside a `figure`.
    pub caption: bool,
    /// It is a heading (`h1`…`h6`, a Markdown heading).
    pub heading: bool,
    /// It is a list item (`li`), or a whole Markdown list.
    pub item: bool,
    /// The targets of its links (entities decoded), at most [`MAX_TARGETS`].
    pub targets: Vec<String>,
    /// It has more links than that.
    pub many_targets: bool,
}

impl Block {
    /// Its text and counts, for folding more text into.
    fn fill(&mut self) -> fold::Fill<'_> {
        fold::Fill {
            text: &mut self.text,
            chars: &mut self.chars,
            link_chars: &mut self.link_chars,
        }
    }
}

/// The longest divider, in characters.
const DIVIDER_CHARS: usize = 120;

/// Link targets a block keeps: more make it no short list of links.
pub(crate) const MAX_TARGETS: usize = 16;

impl Block {
    /// Notes a link target of the block.
    fn target(&mut self, href: &str) {
        if self.targets.len() >= MAX_TARGETS {
            self.many_targets = true;
        } else {
            self.targets.push(decode_entities(href.trim()).into_owned());
        }
    }

    /// How many links it holds (with a target); past [`MAX_TARGETS`], as many as can be.
    pub fn link_count(&self) -> usize {
        if self.many_targets {
            usize::MAX
        } else {
            self.targets.len()
        }
    }

    /// The share of its text that is link text (0 for a block without text).
    pub fn link_share(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }

    /// Whether it is a link with its date before it (`2020-11-29 Title`, `2020/11/29`): an
    /// item of a list of dated links, where the date is the only text outside the link.
    /// Asked of short blocks only (a list item's), whose text the sinks read whole.
    pub fn is_dated_link(&self) -> bool {
        let date_len = leading_date_len(&self.text);
        if date_len == 0 || self.chars > TEXT_CAP {
            return false;
        }
        let rest = self.text[date_len..].trim_start();
        let rest_chars = rest.chars().count();
        rest_chars > 0 && self.link_chars >= rest_chars
    }

    /// Whether it opens with a note's number in brackets (`[1] 作者，2020年4月10日，“…” URL`,
    /// `［2］…`): an endnote or a reference the article cites by that number, which a list of
    /// them under a reading label (延伸阅读) makes the article's notes, not a related list.
    pub fn is_note(&self) -> bool {
        let Some(rest) = (self.text.strip_prefix('[')).or_else(|| self.text.strip_prefix('［'))
        else {
            return false;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (1..=3).contains(&digits) && rest[digits..].starts_with([']', '］'])
    }

    /// Whether its text is a divider: a line of symbols and no word (`==========`,
    /// `————`, `* * *`). A divider sets text apart and is none itself.
    pub fn is_divider(&self) -> bool {
        self.chars > 0
            && self.chars <= DIVIDER_CHARS
            && !self.text.chars().any(char::is_alphanumeric)
    }

    /// Whether a reader sees anything of it.
    pub fn has_content(&self) -> bool {
        self.chars > 0 || self.media
    }
}

/// An element (or a top-level Markdown block) that holds blocks.
#[derive(Debug, Clone, Default)]
pub(crate) struct Container {
    /// The bytes that removing it takes out, if it can be removed.
    pub range: Option<Range<usize>>,
    /// The container around it. Always an earlier container: a container is made when its
    /// first block starts, so the one around it already exists.
    pub parent: Option<usize>,
}

/// Where the blocks of a document go as they are read, in reading order.
pub(crate) trait Sink {
    /// The next block.
    fn block(&mut self, block: Block);

    /// How many characters of a block's text it reads, at most [`TEXT_CAP`]: of a longer
    /// block it reads only that it is longer, so the rest of its text is not read.
    fn cap(&self) -> usize {
        TEXT_CAP
    }
}

impl Sink for Vec<Block> {
    fn block(&mut self, block: Block) {
        self.push(block);
    }
}

/// The blocks of a document, in reading order (held, or handed on as they are read), and
/// the containers around them.
#[derive(Debug, Default)]
pub(crate) struct View<S = Vec<Block>> {
    pub blocks: S,
    pub containers: Vec<Container>,
}

impl View {
    /// Reads a cleaned document, its blocks held. Markdown front matter is not part of the
    /// article.
    #[cfg(test)]
    pub fn of(text: &str, format: InputFormat) -> View {
        View::read(Vec::new(), text, format)
    }
}

impl<S: Sink> View<S> {
    /// Reads a cleaned document, handing each block to `blocks` as it ends. Markdown front
    /// matter is not part of the article.
    pub fn read(blocks: S, text: &str, format: InputFormat) -> View<S> {
        let mut view = View {
            blocks,
            containers: Vec::new(),
        };
        match format {
            InputFormat::Html => {
                Html::new(&mut view, None).read(text, 0);
            }
            InputFormat::Markdown => markdown(&mut view, text),
        }
        view
    }
}

/// Reads the top-level Markdown blocks. Each is a container whose range takes the blank
/// lines after it; an HTML block holds the blocks of its HTML, any other block is one
/// block with the same range. A top-level block is handed on when the next one starts
/// (where its range ends).
fn markdown<S: Sink>(view: &mut View<S>, text: &str) {
    let (front_matter, body) = crate::text::split_front_matter(text);
    let offset = front_matter.len();
    // The last top-level block: its range in `body` and what it is.
    let mut last: Option<(Range<usize>, Top)> = None;
    let mut depth = 0usize;
    let mut links = 0usize;
    let mut images = 0usize;
    let mut folder = Folder::default();
    let cap = view.blocks.cap().min(TEXT_CAP);
    let mut current: Option<Block> = None;
    // The inline HTML of the current top-level Markdown block, by its range in `body`, and
    // whether the rewriter reads it with the HTML blocks: a paragraph's or a heading's
    // without code spans (`markdown::blocks::Block::needs_rewriting`).
    let mut markup: Vec<Range<usize>> = Vec::new();
    let mut rewritten = false;
    // Where the current top-level Markdown block's content lies in `body`: from its first
    // to its last text (not blank) or medium.
    let mut content: Option<Range<usize>> = None;
    // Names of the elements the HTML blocks read so far left open, outermost first.
    let mut carried = Carried::default();
    for (event, range) in Parser::new_ext(body, crate::markdown::OPTIONS).into_offset_iter() {
        rewritten &= !matches!(event, Event::Code(_));
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    folder = Folder::default();
                    markup.clear();
                    rewritten = matches!(tag, Tag::Paragraph | Tag::Heading { .. });
                    content = None;
                    current = (!matches!(tag, Tag::HtmlBlock)).then(Block::default);
                    let top = match current {
                        Some(_) => Top::Empty,
                        None => Top::Html,
                    };
                    top_block(
                        view,
                        (body, offset),
                        &mut carried,
                        &mut last,
                        (range.clone(), top),
                    );
                }
                match tag {
                    Tag::Link { dest_url, .. } => {
                        links += 1;
                        if let Some(b) = current.as_mut() {
                            b.target(&dest_url);
                        }
                    }
                    Tag::Heading { .. } if depth == 0 => {
                        if let Some(b) = current.as_mut() {
                            b.heading = true;
                        }
                    }
                    Tag::List(_) if depth == 0 => {
                        if let Some(b) = current.as_mut() {
                            b.item = true;
                        }
                    }
                    Tag::Image { .. } => {
                        reach(&mut content, &range);
                        images += 1;
                        if let Some(b) = current.as_mut() {
                            b.media = true;
                        }
                    }
                    _ => {}
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                match tag {
                    TagEnd::Link => links = links.saturating_sub(1),
                    TagEnd::Image => images = images.saturating_sub(1),
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {}
                    // The end of a list item, a cell, a paragraph in a quote: a word break.
                    _ => folder.space(),
                }
                if depth == 0
                    && let (Some(block), Some(top)) = (current.take(), last.as_mut())
                {
                    let markup = match rewritten {
                        true => std::mem::take(&mut markup),
                        false => Vec::new(),
                    };
                    top.1 = Top::Markdown(block, markup, content.take());
                }
            }
            Event::Text(t) | Event::Code(t) if images == 0 => {
                if !t.trim().is_empty() {
                    reach(&mut content, &range);
                }
                if let Some(b) = current.as_mut() {
                    folder.push(b.fill(), &t, links > 0, cap);
                }
            }
            Event::SoftBreak | Event::HardBreak => folder.space(),
            Event::InlineHtml(h) => {
                if let Some(b) = current.as_mut() {
                    if starts_media(&h) {
                        b.media = true;
                        reach(&mut content, &range);
                    }
                    markup.push(range);
                }
            }
            // A thematic break: a block with nothing to read.
            _ if depth == 0 => top_block(
                view,
                (body, offset),
                &mut carried,
                &mut last,
                (range, Top::Empty),
            ),
            _ => {}
        }
    }
    if let Some(top) = last {
        hand_on(view, (body, offset), &mut carried, top, body.len());
    }
}

/// Widens `content` to take `range` in.
fn reach(content: &mut Option<Range<usize>>, range: &Range<usize>) {
    *content = Some(match content.take() {
        Some(c) => c.start.min(range.start)..c.end.max(range.end),
        None => range.clone(),
    });
}

/// A top-level Markdown block starts (at `range`, read as `top`): the one before it ends
/// there.
fn top_block<S: Sink>(
    view: &mut View<S>,
    body: (&str, usize),
    carried: &mut Carried,
    last: &mut Option<(Range<usize>, Top)>,
    (mut range, top): (Range<usize>, Top),
) {
    // With its line's indentation, which pulldown-cmark's range leaves out (as the
    // Markdown stage's blocks have it): removing the block before an indented code block
    // leaves the code indented.
    range.start = crate::text::line_start(body.0, range.start);
    let start = range.start;
    if let Some(top) = last.replace((range, top)) {
        hand_on(view, body, carried, top, start);
    }
}

/// A top-level Markdown block read (its range in `body`, which starts at `offset` in the
/// document), whose range ends at `end` (the next one's start: it takes the blank lines
/// after it); `carried`, the elements the HTML blocks before it left open.
fn hand_on<S: Sink>(
    view: &mut View<S>,
    (body, offset): (&str, usize),
    carried: &mut Carried,
    (read, top): (Range<usize>, Top),
    end: usize,
) {
    let start = read.start;
    let range = offset + start..offset + end.max(start);
    let container = view.containers.len();
    view.containers.push(Container {
        range: Some(range.clone()),
        parent: carried.innermost(),
    });
    match top {
        Top::Markdown(mut block, markup, content) => {
            let top = Paragraph {
                container,
                range: start..end.max(start),
                content,
            };
            let spans = markdown_tags(view, (body, offset), carried, &markup, &top);
            if spans && let Some(c) = view.containers.get_mut(container) {
                c.range = None;
            }
            if block.has_content() {
                // A block whose markup spans others holds only its content, from its first
                // to its last text or medium: not the elements it leaves open or the end
                // tags of elements carried in before its content.
                block.extent = Some(match (spans, top.content) {
                    (true, Some(c)) => {
                        let clamp = |at: usize| (offset + at).clamp(range.start, range.end);
                        clamp(c.start)..clamp(c.end)
                    }
                    _ => range.clone(),
                });
                block.range = (!spans).then_some(range);
                block.parent = Some(container);
                view.blocks.block(block);
            }
        }
        Top::Html => {
            let html = &body[read];
            let mut reader = Html::new(view, Some(container));
            reader.carried = std::mem::take(carried);
            reader.top_end = range.end;
            reader.from = range.start;
            let (left_open, spans) = reader.read(html, offset + start);
            *carried = left_open;
            if spans && let Some(c) = view.containers.get_mut(container) {
                c.range = None;
            }
        }
        Top::Empty => {}
    }
}

/// The tags of a top-level Markdown block's markup (`markup`, ranges in `body`), read as
/// the rewriter reads them, in one stream with the HTML blocks': an end tag may end an
/// element an earlier block left open, and the block may leave elements open. Whether it
/// does either: the block then cannot be removed alone.
///
/// An element ended so is no longer around what follows. It goes whole up to its end tag
/// when emptied, as an HTML block's end tag lets it, unless the block's content lies on
/// both sides of that end tag (the element's range would cut the block in two). Content
/// that begins after such end tags is outside the elements they end: the block's container
/// is moved to the element around it. Each element left open is a container of its own,
/// inside the block's, as an HTML block's are.
fn markdown_tags<S: Sink>(
    view: &mut View<S>,
    (body, offset): (&str, usize),
    carried: &mut Carried,
    markup: &[Range<usize>],
    top: &Paragraph,
) -> bool {
    let mut spans = false;
    let mut open: Vec<(Name, usize)> = Vec::new();
    for piece in markup {
        let bytes = body.as_bytes().get(piece.clone()).unwrap_or_default();
        let mut pos = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|k| pos + k) {
            let Some((token, len)) = tokenizer::tokenize(&bytes[lt..], false) else {
                break;
            };
            pos = lt + len;
            match token {
                Token::Start {
                    name, self_closing, ..
                } => {
                    let class = Class::of(&name);
                    if !(class.void || class.unseen || self_closing) && open.len() < MAX_DEPTH {
                        open.push((name, offset + piece.start + lt));
                    }
                }
                Token::End { name } => {
                    if let Some(k) = open.iter().rposition(|(n, _)| *n == name) {
                        open.truncate(k);
                    } else if let Some(k) = carried.find(&name) {
                        // It ends an element an earlier block began, and with it every
                        // element this block opened (as `Html::read` has it).
                        open.clear();
                        let ended = carried.truncate(k);
                        spans = true;
                        let tag = piece.start + lt..piece.start + pos;
                        top.ended(view, (body, offset), ended, tag, carried.innermost());
                    }
                }
                Token::Lt | Token::Other => {}
            }
        }
    }
    let mut parent = Some(top.container);
    let mut group = Some((top.container, offset + top.range.start));
    for (name, at) in open {
        spans = true;
        let own = view.containers.len();
        view.containers.push(Container {
            range: None,
            parent,
        });
        parent = Some(own);
        let span = Spanning {
            container: own,
            start: at,
            group: group.take(),
        };
        carried.push(name, span);
    }
    spans
}

/// A top-level Markdown block whose markup is read (see [`markdown_tags`]): its container,
/// its range and where its content lies (in `body`).
struct Paragraph {
    container: usize,
    range: Range<usize>,
    content: Option<Range<usize>>,
}

impl Paragraph {
    /// An end tag of the block (at `tag` in `body`, which starts at `offset` in the
    /// document) ended `ended`, an element carried in, and those inside it; `around` is
    /// the element carried in around it. As an HTML block's end tag does
    /// (`Html::after_carried`), it gives the element, and the blocks from the one that left
    /// it open, their range up to the end tag (up to the block's end when only blanks
    /// follow), unless the block's content lies on both sides of it. Content that begins
    /// after it is outside it.
    fn ended<S: Sink>(
        &self,
        view: &mut View<S>,
        (body, offset): (&str, usize),
        ended: Option<Spanning>,
        tag: Range<usize>,
        around: Option<usize>,
    ) {
        let before = self.content.as_ref().is_some_and(|c| c.start < tag.start);
        let after = self.content.as_ref().is_some_and(|c| c.end > tag.end);
        if !before && let Some(c) = view.containers.get_mut(self.container) {
            c.parent = around;
        }
        let (Some(ended), false) = (ended, before && after) else {
            return;
        };
        let end = offset + tag.end;
        let blank = (body.get(tag.end..self.range.end)).is_some_and(|t| t.trim_ascii().is_empty());
        let containers = &mut view.containers;
        if let Some(c) = containers.get_mut(ended.container) {
            c.range = Some(ended.start..end);
        }
        if let Some((group, from)) = ended.group
            && let Some(c) = containers.get_mut(group)
        {
            c.range = Some(from..if blank { offset + self.range.end } else { end });
        }
    }
}

/// A top-level Markdown block.
enum Top {
    /// A Markdown block and what was read of it, with the ranges of the markup in it and
    /// where its content lies, from its first to its last text or medium (in `body`).
    Markdown(Block, Vec<Range<usize>>, Option<Range<usize>>),
    /// An HTML block, read as HTML.
    Html,
    /// Nothing to read (a thematic break), or not read yet.
    Empty,
}

/// How many bytes of `rest`, what follows a `<br>`, are blanks and more `<br>`s, up to the
/// end of the last of them; None when no `<br>` follows (blanks between them allowed).
fn more_breaks(rest: &[u8]) -> Option<usize> {
    let mut breaks = None;
    let mut at = 0;
    loop {
        let from = at
            + (rest[at..].iter())
                .take_while(|&&b| tokenizer::is_space(b))
                .count();
        if rest.get(from) != Some(&b'<') {
            return breaks;
        }
        match tokenizer::tokenize(&rest[from..], false) {
            Some((Token::Start { name, .. }, len)) if name.as_slice() == b"br" => {
                at = from + len;
                breaks = Some(at);
            }
            _ => return breaks,
        }
    }
}

/// Where the `<br>` that ends a divider line in `rest`, what follows a `<br>`, begins: the
/// line's text, up to the next tag, is symbols and no letter or digit (`———`, `* * *`,
/// `&mdash;&mdash;`), and that tag is a `<br>`; None otherwise.
fn divider_line(rest: &[u8]) -> Option<usize> {
    // A divider is at most DIVIDER_CHARS characters, each at most 4 bytes (and entities,
    // blanks around it): looking further finds none.
    let window = &rest[..rest.len().min(DIVIDER_CHARS * 8)];
    let lt = memchr::memchr(b'<', window)?;
    let text = std::str::from_utf8(&rest[..lt]).ok()?;
    let text = decode_entities(text);
    let text = text.trim();
    let divider = !text.is_empty()
        && text.chars().count() <= DIVIDER_CHARS
        && !text.chars().any(char::is_alphanumeric);
    match tokenizer::tokenize(&rest[lt..], false) {
        Some((Token::Start { name, .. }, _)) if divider && name.as_slice() == b"br" => Some(lt),
        _ => None,
    }
}

/// Whether a piece of inline HTML starts an image or another medium.
fn starts_media(html: &str) -> bool {
    html.starts_with('<')
        && matches!(
            tokenizer::tokenize(html.as_bytes(), false),
            Some((Token::Start { name, .. }, _)) if is_media(&name)
        )
}

/// The length in bytes of a date (`YYYY-MM-DD`, `YYYY/M/D`, `YYYY.MM.DD`) opening `text`, or 0.
fn leading_date_len(text: &str) -> usize {
    let b = text.as_bytes();
    let digits = |at: usize, min: usize, max: usize| -> Option<usize> {
        let n = b[at.min(b.len())..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count();
        (n >= min).then_some(at + n)
    };
    let sep = |at: usize| matches!(b.get(at), Some(b'-' | b'/' | b'.')).then_some(at + 1);
    digits(0, 4, 4)
        .and_then(sep)
        .and_then(|at| digits(at, 1, 2))
        .and_then(sep)
        .and_then(|at| digits(at, 1, 2))
        .unwrap_or(0)
}

/// Elements that make blocks: those rendered as blocks and those that hold them.
fn is_block(name: &[u8]) -> bool {
    html::has(html::BLOCK, name) || html::has(html::CONTAINERS, name)
}

/// Elements read as one block whatever they hold: a table is read, and removed, whole.
fn is_atomic(name: &[u8]) -> bool {
    name == b"table"
}

fn is_figure(name: &[u8]) -> bool {
    matches!(name, b"figure" | b"figcaption")
}

fn is_media(name: &[u8]) -> bool {
    html::has(html::MEDIA, name)
}

/// Elements whose content a reader never sees as the article.
fn is_unseen(name: &[u8]) -> bool {
    matches!(name, b"head" | b"template") || html::has(html::RAW_TEXT, name)
}

/// The names of a first byte, each with its class.
type Bucket = Vec<(&'static [u8], Class)>;

/// What the functions above say of an element's name, asked once per start tag.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Class {
    block: bool,
    void: bool,
    media: bool,
    unseen: bool,
}

impl Class {
    /// What they say of `name`: looked up in a table of the names they know, made once,
    /// by first byte (a few names compared, where each list was walked whole).
    fn of(name: &[u8]) -> Class {
        static TABLE: std::sync::OnceLock<Vec<Bucket>> = std::sync::OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mut table: Vec<Bucket> = vec![Vec::new(); 256];
            let lists = [
                html::BLOCK,
                html::CONTAINERS,
                html::VOID,
                html::MEDIA,
                html::RAW_TEXT,
                &["head", "template"],
            ];
            for name in lists.into_iter().flatten().map(|n| n.as_bytes()) {
                let bucket = &mut table[usize::from(name[0])];
                if !bucket.iter().any(|(n, _)| *n == name) {
                    bucket.push((name, Class::spelled_out(name)));
                }
            }
            table
        });
        let Some(&first) = name.first() else {
            return Class::default();
        };
        (table[usize::from(first)].iter())
            .find(|(n, _)| *n == name)
            .map_or_else(Class::default, |&(_, class)| class)
    }

    /// What the functions say of `name`, each asked.
    fn spelled_out(name: &[u8]) -> Class {
        Class {
            block: is_block(name),
            void: html::has(html::VOID, name),
            media: is_media(name),
            unseen: is_unseen(name),
        }
    }
}

/// Text being gathered into a block, and where the run of it began.
#[derive(Default)]
struct Acc {
    block: Block,
    folder: Folder,
    run: Option<Run>,
}

/// Where a run of loose content began: its first byte, and how many elements were open
/// then. It can be removed alone only if it ends at that same depth, never having left an
/// element that was open when it began (then it is balanced markup).
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    depth: usize,
    broken: bool,
}

impl Acc {
    /// The block gathered so far, ending at `end` with `depth` elements open, and a fresh
    /// accumulator in its place.
    fn take(&mut self, end: usize, depth: usize) -> Block {
        let mut block = std::mem::take(&mut self.block);
        self.folder = Folder::default();
        block.range = self
            .run
            .take()
            .filter(|r| !r.broken && r.depth == depth && r.start < end)
            .map(|r| r.start..end);
        block
    }

    /// As [`Acc::take`], up to the end tag at `at` of the element the block was read in;
    /// when it never ended (None), the block cannot be removed alone.
    fn take_to(&mut self, at: Option<usize>, depth: usize) -> Block {
        match at {
            Some(at) => self.take(at, depth),
            None => {
                self.run = None;
                self.take(0, depth)
            }
        }
    }
}

/// What an open element is.
enum Kind {
    /// Its text belongs to the block around it.
    Inline {
        link: bool,
        /// A link's target.
        href: Option<String>,
    },
    /// A block element: one block while it holds no block, a container once it does.
    Block { acc: Acc, atomic: bool },
}

/// An element being read.
struct Open {
    name: Name,
    /// Where its start tag begins in the document.
    start: usize,
    hidden: bool,
    kind: Kind,
    /// Its index in [`View::containers`] once a block starts inside it. An inline element
    /// around a block is a container too: emptied, it goes with the block.
    container: Option<usize>,
}

/// Reads HTML into blocks.
struct Html<'v, S> {
    view: &'v mut View<S>,
    /// How many characters of a block's text are read (the sink's [`Sink::cap`]).
    cap: usize,
    /// The container of everything read (a Markdown block), if any.
    outer: Option<usize>,
    stack: Vec<Open>,
    /// Stack indices of the open block elements, innermost last.
    blocks: Vec<usize>,
    /// Stack indices of the open elements that are containers, innermost last.
    containers: Vec<usize>,
    /// The names of the open elements (those on `stack`): an end tag that matches none is
    /// passed without looking through the whole stack.
    open: OpenElements,
    /// Open elements that are hidden, atomic, links, and figures or captions.
    hidden: usize,
    figures: usize,
    atomic: usize,
    links: usize,
    /// Content outside any block element.
    loose: Acc,
    /// Names of the elements earlier HTML blocks of a Markdown document left open,
    /// outermost first: an end tag of this block may end one of them, as the rewriter
    /// reads the blocks.
    carried: Carried,
    /// Where the `<br>` after a divider line begins (`<br>———<br>`): it ends the divider's
    /// part.
    divider_end: Option<usize>,
    /// Where the top-level Markdown block read ends (blank lines after it included), and
    /// where the content of [`Html::outer`] begins in it: at its start, or past the end tag
    /// of an element carried in.
    top_end: usize,
    from: usize,
}

/// The names of the elements HTML blocks of a Markdown document left open, outermost
/// first, and how many of each (an end tag that names none is passed at once).
#[derive(Default)]
struct Carried {
    names: Vec<Name>,
    count: HashMap<Name, usize>,
    /// Where each of them is in the view, in the same order.
    spans: Vec<Spanning>,
}

/// An element an HTML block of a Markdown document left open: one container, nested in
/// those around it, that holds what it holds in every block up to its end tag.
#[derive(Clone, Copy)]
struct Spanning {
    /// Its container: the blocks of its content, and the top-level blocks it spans.
    container: usize,
    /// Where its start tag begins in the document.
    start: usize,
    /// For the outermost element an HTML block leaves open: the container of what that
    /// block read (from its start, or past an end tag that ended an element carried in),
    /// and where that begins. Up to this element's end tag, it is one container too:
    /// emptied, it goes whole, taking the blank lines after the end tag when only blanks
    /// follow it in its block.
    group: Option<(usize, usize)>,
}

impl Carried {
    /// The innermost element of that name among them, and how many of them lie outside
    /// it.
    fn find(&self, name: &Name) -> Option<usize> {
        if self.count.get(name).is_some_and(|&n| n > 0) {
            self.names.iter().rposition(|n| n == name)
        } else {
            None
        }
    }

    /// Ends every element from the `k`-th on; gives back the `k`-th.
    fn truncate(&mut self, k: usize) -> Option<Spanning> {
        for name in self.names.drain(k.min(self.names.len())..) {
            if let Some(n) = self.count.get_mut(&name) {
                *n = n.saturating_sub(1);
            }
        }
        let ended = self.spans.get(k).copied();
        self.spans.truncate(k);
        ended
    }

    /// Adds an element left open, inside the others; past `MAX_DEPTH` names, none.
    fn push(&mut self, name: Name, span: Spanning) {
        if self.names.len() < MAX_DEPTH {
            *self.count.entry(name.clone()).or_insert(0) += 1;
            self.names.push(name);
            self.spans.push(span);
        }
    }

    /// The container of the innermost of them.
    fn innermost(&self) -> Option<usize> {
        self.spans.last().map(|s| s.container)
    }
}

impl<'v, S: Sink> Html<'v, S> {
    fn new(view: &'v mut View<S>, outer: Option<usize>) -> Html<'v, S> {
        Html {
            cap: view.blocks.cap().min(TEXT_CAP),
            view,
            outer,
            stack: Vec::new(),
            blocks: Vec::new(),
            containers: Vec::new(),
            open: OpenElements::default(),
            hidden: 0,
            figures: 0,
            atomic: 0,
            links: 0,
            loose: Acc::default(),
            carried: Carried::default(),
            divider_end: None,
            top_end: 0,
            from: 0,
        }
    }

    /// A block read: handed on.
    fn emit(&mut self, block: Block) {
        self.view.blocks.block(block);
    }

    /// Emits `block`, text read beside blocks, in the container `parent`, when it has
    /// content; hidden or a caption as the elements it was read in (`(hidden, caption)`).
    fn emit_beside(
        &mut self,
        mut block: Block,
        parent: Option<usize>,
        (hidden, caption): (bool, bool),
    ) {
        if block.has_content() {
            block.parent = parent;
            block.hidden = hidden;
            block.caption = caption;
            self.emit(block);
        }
    }

    /// Reads `html`, which starts at `offset` in the document. Gives back the elements left
    /// open, those carried in first (outermost first), and whether the markup spans beyond
    /// `html`: it ends an element an earlier block began, or leaves one open.
    fn read(mut self, html: &str, offset: usize) -> (Carried, bool) {
        let mut spans = false;
        let bytes = html.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|k| pos + k) else {
                self.text(&html[pos..], offset + pos);
                break;
            };
            if lt > pos {
                self.text(&html[pos..lt], offset + pos);
            }
            let Some((token, len)) = tokenizer::tokenize(&bytes[lt..], true) else {
                // Markup that never ends is text, as lol_html reads it.
                self.text(&html[lt..], offset + lt);
                break;
            };
            let end = lt + len;
            pos = end;
            match token {
                Token::Start {
                    name,
                    self_closing,
                    attrs,
                } => {
                    let class = Class::of(&name);
                    // An iframe is raw text to the parser and media to a reader: the frame
                    // it shows is the block's content (a wrapper holding one is not empty).
                    if class.media {
                        self.begin(offset + lt);
                        self.acc().block.media = true;
                        self.content(offset + lt..offset + end);
                    }
                    if class.unseen {
                        pos = match tokenizer::find_end_tag(&bytes[end..], &name) {
                            tokenizer::EndTag::At(k) => end + k,
                            _ => bytes.len(),
                        };
                        continue;
                    }
                    if class.void || self_closing {
                        match name.as_slice() {
                            // Line breaks in a row end a part of the text, as a blank
                            // line ends a paragraph: what follows is a block of its own,
                            // which takes the breaks before it when it goes. Not in a
                            // table, where the breaks are read one by one (and looked past
                            // by none of them: each is read once).
                            b"br" if self.atomic == 0 => {
                                if let Some(k) = more_breaks(&bytes[end..]) {
                                    self.boundary(offset + lt);
                                    self.begin(offset + lt);
                                    pos = end + k;
                                } else if self.divider_end == Some(offset + lt) {
                                    // The break after a divider line: what follows is a
                                    // part of its own, as after breaks in a row.
                                    self.boundary(offset + lt);
                                    self.begin(offset + lt);
                                } else if let Some(k) = divider_line(&bytes[end..]) {
                                    // A divider line between two breaks (`<br>———<br>`)
                                    // sets parts apart as an `<hr>` does: it is a part of
                                    // its own, between the text before and after it.
                                    self.boundary(offset + lt);
                                    self.begin(offset + lt);
                                    self.divider_end = Some(offset + end + k);
                                } else {
                                    self.acc().folder.space();
                                }
                            }
                            b"br" => self.acc().folder.space(),
                            b"hr" => self.boundary(offset + lt),
                            _ => {}
                        }
                        continue;
                    }
                    let tag = &bytes[lt..end];
                    let hidden = attrs
                        .iter()
                        .any(|a| is_hiding(&tag[a.name.clone()], &tag[a.value.clone()]));
                    let href = (name.as_slice() == b"a")
                        .then(|| {
                            attrs.iter().find_map(|a| {
                                tag[a.name.clone()]
                                    .eq_ignore_ascii_case(b"href")
                                    .then(|| String::from_utf8_lossy(&tag[a.value.clone()]))
                            })
                        })
                        .flatten();
                    if let Some(href) = &href {
                        self.acc().block.target(href);
                    }
                    self.push(name, offset + lt, hidden, class.block, href);
                }
                Token::End { name } => {
                    if self.open.find(&name).is_some() {
                        self.close(&name, offset + lt, offset + end);
                    } else if let Some(k) = self.carried.find(&name) {
                        // It ends an element an earlier block began, and with it every
                        // element this block opened: those ended that way.
                        while let Some(open) = self.stack.pop() {
                            self.finish(open, None);
                        }
                        let ended = self.carried.truncate(k);
                        spans = true;
                        let blank = html[end..].trim_ascii().is_empty();
                        self.after_carried(ended, offset + lt, offset + end, blank);
                    }
                }
                Token::Lt => self.text("<", offset + lt),
                Token::Other => {}
            }
        }
        // What never ended is read, but cannot be removed alone (its own text, and each
        // element left open, has no range). In a Markdown document it may end in a later
        // block; an element that began and ended inside it is balanced markup, removable
        // alone as in an HTML document (`<p><p>stanza</p>…<p>footer</p>`: the footer goes).
        if self.outer.is_some() && !self.stack.is_empty() {
            spans = true;
        }
        let mut carried = std::mem::take(&mut self.carried);
        if let Some(outer) = self.outer {
            // Each element left open is a container of its own, inside those around it.
            for k in 0..self.stack.len() {
                self.contain(k);
            }
            let mut group = Some((outer, self.from));
            for open in &self.stack {
                if let Some(container) = open.container {
                    let (start, group) = (open.start, group.take());
                    let span = Spanning {
                        container,
                        start,
                        group,
                    };
                    carried.push(open.name.clone(), span);
                }
            }
        }
        while let Some(open) = self.stack.pop() {
            self.finish(open, None);
        }
        self.flush_loose(offset + bytes.len());
        (carried, spans)
    }

    /// The end tag at `at..end` ended `ended`, an element earlier HTML blocks left open, and
    /// those inside it (`blank`: only blanks follow the end tag in this block). What was
    /// read before the end tag lies inside it; the element, and the blocks from the one
    /// that left it open, are removable whole up to that end tag. What follows is in a
    /// container of its own, inside the element carried in around it, if any.
    fn after_carried(&mut self, ended: Option<Spanning>, at: usize, end: usize, blank: bool) {
        self.flush_loose(at);
        if let Some(ended) = ended {
            let containers = &mut self.view.containers;
            if let Some(c) = containers.get_mut(ended.container) {
                c.range = Some(ended.start..end);
            }
            if let Some((group, from)) = ended.group
                && let Some(c) = containers.get_mut(group)
            {
                c.range = Some(from..if blank { self.top_end } else { end });
            }
        }
        let rest = self.view.containers.len();
        self.view.containers.push(Container {
            range: None,
            parent: self.carried.innermost(),
        });
        self.outer = Some(rest);
        self.from = end;
    }

    /// Where content read now is gathered.
    fn acc(&mut self) -> &mut Acc {
        match self.blocks.last() {
            Some(&i) => match &mut self.stack[i].kind {
                Kind::Block { acc, .. } => acc,
                Kind::Inline { .. } => unreachable!("`blocks` holds block elements only"),
            },
            None => &mut self.loose,
        }
    }

    /// The innermost open container, or the outer one.
    fn around(&self) -> Option<usize> {
        match self.containers.last() {
            Some(&i) => self.stack[i].container,
            None => self.outer,
        }
    }

    /// Content begins at `at`: the run it is part of begins there if it has not yet.
    fn begin(&mut self, at: usize) {
        let depth = self.stack.len();
        let acc = self.acc();
        if acc.run.is_none() {
            acc.run = Some(Run {
                start: at,
                depth,
                broken: false,
            });
        }
    }

    /// Content (text or a medium) stands at `span`: the block gathered now reaches it.
    fn content(&mut self, span: Range<usize>) {
        let extent = &mut self.acc().block.extent;
        *extent = Some(match extent.take() {
            Some(e) => e.start.min(span.start)..e.end.max(span.end),
            None => span,
        });
    }

    /// Text at `at` in the document.
    fn text(&mut self, raw: &str, at: usize) {
        let first = leading_blanks(raw);
        if first == raw.len() {
            self.acc().folder.space();
            return;
        }
        self.begin(at + first);
        self.content(at + first..at + raw.trim_end().len());
        let (in_link, cap) = (self.links > 0, self.cap);
        let acc = self.acc();
        if fold::is_full(acc.block.chars, cap) {
            return;
        }
        acc.folder
            .push(acc.block.fill(), &decode_entities(raw), in_link, cap);
    }

    /// An `<hr>` at `at`, or line breaks in a row: the text before it and the text after
    /// it are two blocks.
    fn boundary(&mut self, at: usize) {
        if self.atomic == 0 {
            self.split(at);
        }
    }

    /// A block starts at `at` (or an `<hr>` stands there): what was read before it is a
    /// block of its own, and the open elements around it become containers.
    fn split(&mut self, at: usize) {
        let depth = self.stack.len();
        let hidden = self.hidden > 0;
        let caption = self.figures > 0;
        let block = match self.blocks.last() {
            Some(&i) => {
                self.contain(i);
                let Kind::Block { acc, .. } = &mut self.stack[i].kind else {
                    unreachable!("`blocks` holds block elements only")
                };
                acc.take(at, depth)
            }
            None => self.loose.take(at, depth),
        };
        // Inside the innermost container open: the innermost block element, or an inline
        // element around blocks inside it (`<span><p>x</p>y<p>z</p></span>`: y is the
        // span's, which goes whole once y and its other blocks went).
        self.emit_beside(block, self.around(), (hidden, caption));
        // Inline elements inside the innermost block (or at the top) that hold the new
        // block: from the outermost that is not a container yet.
        let from = self.blocks.last().map_or(0, |&i| i + 1);
        let first = (from..self.stack.len())
            .rev()
            .take_while(|&k| self.stack[k].container.is_none())
            .last();
        if let Some(first) = first {
            for k in first..self.stack.len() {
                self.contain(k);
            }
        }
    }

    /// Makes the open element at stack index `i` a container, if it is not one yet.
    fn contain(&mut self, i: usize) {
        if self.stack[i].container.is_some() {
            return;
        }
        let parent = self.around();
        self.stack[i].container = Some(self.view.containers.len());
        self.view.containers.push(Container {
            range: None,
            parent,
        });
        self.containers.push(i);
    }

    /// An element opens (`block`: its name makes blocks; `href`: a link's target).
    fn push(
        &mut self,
        name: Name,
        start: usize,
        hidden: bool,
        block: bool,
        href: Option<std::borrow::Cow<'_, str>>,
    ) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let is_block = block && self.atomic == 0;
        if is_block {
            self.split(start);
        } else {
            self.begin(start);
        }
        self.open.push(name.clone());
        self.hidden += usize::from(hidden);
        self.figures += usize::from(is_figure(&name));
        let kind = if is_block {
            let atomic = is_atomic(&name);
            self.atomic += usize::from(atomic);
            self.blocks.push(self.stack.len());
            // A block inside a link (a teaser's `<a><h2>title</h2></a>`) is that link's
            // text: it links where the link does.
            let mut acc = Acc::default();
            if self.links > 0 {
                for open in &self.stack {
                    if let Kind::Inline {
                        href: Some(href), ..
                    } = &open.kind
                    {
                        acc.block.target(href);
                    }
                }
            }
            Kind::Block { acc, atomic }
        } else {
            let link = name.as_slice() == b"a";
            self.links += usize::from(link);
            Kind::Inline {
                link,
                href: href.filter(|_| link).map(|h| h.into_owned()),
            }
        };
        self.stack.push(Open {
            name,
            start,
            hidden,
            kind,
            container: None,
        });
    }

    /// What was read outside any block element, up to `at`, as a block.
    fn flush_loose(&mut self, at: usize) {
        let block = self.loose.take(at, self.stack.len());
        self.emit_beside(block, self.outer, (self.hidden > 0, self.figures > 0));
    }

    /// Ends the innermost open element named `name` and everything opened inside it; its
    /// end tag spans `at..end`.
    fn close(&mut self, name: &[u8], at: usize, end: usize) {
        while let Some(open) = self.stack.pop() {
            let matched = open.name.as_slice() == name;
            self.finish(open, matched.then_some((at, end)));
            if matched {
                break;
            }
        }
    }

    /// An element ended (it is off the stack): by its own end tag at `tag`, if it did.
    fn finish(&mut self, open: Open, tag: Option<(usize, usize)>) {
        // Elements end innermost first: this one is the last of `open`.
        self.open.pop();
        let hidden = self.hidden > 0;
        let caption = self.figures > 0;
        self.hidden -= usize::from(open.hidden);
        self.figures -= usize::from(is_figure(&open.name));
        let range = tag.map(|(_, end)| open.start..end);
        if let Some(c) = open.container {
            self.containers.pop();
            if let Some(container) = self.view.containers.get_mut(c) {
                container.range = range.clone();
            }
        }
        let Kind::Block { mut acc, atomic } = open.kind else {
            if let Kind::Inline { link: true, .. } = open.kind {
                self.links = self.links.saturating_sub(1);
            }
            if let Some(c) = open.container {
                // Text after the last block inside an inline element around blocks is a
                // block of that element (`<span><p>x</p>y</span>`: y is the span's, hidden
                // when the span is), as it is when another block follows it there.
                let depth = self.stack.len() + 1;
                let block = self.acc().take_to(tag.map(|(at, _)| at), depth);
                self.emit_beside(block, Some(c), (hidden, caption));
                return;
            }
            // A run that began inside it can no longer end balanced.
            let depth = self.stack.len();
            if let Some(run) = self.acc().run.as_mut()
                && run.depth > depth
            {
                run.broken = true;
            }
            return;
        };
        self.atomic -= usize::from(atomic);
        self.blocks.pop();
        // The element was open while its content was read.
        let depth = self.stack.len() + 1;
        let mut block = acc.take_to(tag.map(|(at, _)| at), depth);
        if !block.has_content() {
            return;
        }
        block.hidden = hidden;
        block.caption = caption;
        block.heading = matches!(
            open.name.as_slice(),
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6"
        );
        block.item = open.name.as_slice() == b"li";
        match open.container {
            // The content after its last block: inside it, not removable as the element.
            Some(c) => block.parent = Some(c),
            None => {
                block.range = range;
                block.parent = self.around();
            }
        }
        self.emit(block);
    }
}

/// Whether an attribute hides its element from readers: `hidden`, `aria-hidden="true"`,
/// or a style with `display: none` or `visibility: hidden`.
fn is_hiding(name: &[u8], value: &[u8]) -> bool {
    if name.eq_ignore_ascii_case(b"hidden") {
        return true;
    }
    if name.eq_ignore_ascii_case(b"aria-hidden") {
        return value.trim_ascii().eq_ignore_ascii_case(b"true");
    }
    if name.eq_ignore_ascii_case(b"style") {
        let style: Vec<u8> = value
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect();
        return memchr::memmem::find(&style, b"display:none").is_some()
            || memchr::memmem::find(&style, b"visibility:hidden").is_some();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(view: &View) -> Vec<(&str, bool)> {
        view.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.range.is_some()))
            .collect()
    }

    #[test]
    fn text_beside_blocks_in_an_inline_element_is_that_elements() {
        // y stands in the span (a container: it holds blocks), after the a that ended.
        let html = "<div><span><a><p>x</a>y<p>z</span></div>";
        let view = View::of(html, InputFormat::Html);
        let y = view.blocks.iter().find(|b| b.text == "y").unwrap();
        let span = y.parent.unwrap();
        assert_eq!(view.containers[span].range, Some(5..html.len() - 6));
        let div = view.containers[span].parent.unwrap();
        assert_eq!(view.containers[div].range, Some(0..html.len()));
        // The same when no block follows y in the span: y is the span's, hidden with it,
        // and text after the span is a block of its own.
        let html = "<div><span hidden><p>x</p>y</span>w</div>";
        let view = View::of(html, InputFormat::Html);
        assert_eq!(texts(&view), [("x", true), ("y", true), ("w", true)]);
        let (y, w) = (&view.blocks[1], &view.blocks[2]);
        assert!(y.hidden && !w.hidden);
        assert_eq!(&html[y.range.clone().unwrap()], "y");
        let span = y.parent.unwrap();
        assert_eq!(view.containers[span].range, Some(5..html.len() - 7));
        assert_eq!(w.parent, view.containers[span].parent);
        // Loose text at the top, inside no element: no container.
        let view = View::of("<p>x</p>y<p>z</p>", InputFormat::Html);
        assert_eq!(view.blocks[1].text, "y");
        assert_eq!(view.blocks[1].parent, None);
    }

    #[test]
    fn leaf_elements_are_blocks_and_loose_text_is_kept_apart() {
        let html = "<div>intro <b>bold</b><p>one &amp; <a href=x>two</a></p>outro</div><p>last";
        let view = View::of(html, InputFormat::Html);
        assert_eq!(
            texts(&view),
            [
                ("intro bold", true),
                ("one & two", true),
                ("outro", true),
                ("last", false)
            ]
        );
        let range = |b: usize| &html[view.blocks[b].range.clone().unwrap()];
        assert_eq!((range(0), range(2)), ("intro <b>bold</b>", "outro"));
        let one = &view.blocks[1];
        assert_eq!(
            &html[one.range.clone().unwrap()],
            "<p>one &amp; <a href=x>two</a></p>"
        );
        assert_eq!((one.chars, one.link_chars), (9, 3));
        assert_eq!(view.containers.len(), 1);
        assert_eq!(one.parent, Some(0));
        assert_eq!(
            &html[view.containers[0].range.clone().unwrap()],
            &html[..html.find("<p>last").unwrap()]
        );
    }

    #[test]
    fn line_breaks_in_a_row_end_a_part_of_the_text() {
        let html = "<p>one<br>two<br> <br/>\n<br>three <a href=x>link</a></p><p>four<br>five</p>";
        let view = View::of(html, InputFormat::Html);
        assert_eq!(
            texts(&view),
            [("one two", true), ("three link", true), ("four five", true)]
        );
        let range = |b: usize| &html[view.blocks[b].range.clone().unwrap()];
        // The part after the breaks takes them when it goes; the part before does not.
        assert_eq!(range(0), "one<br>two");
        assert_eq!(range(1), "<br> <br/>\n<br>three <a href=x>link</a>");
        assert_eq!(view.blocks[1].targets, ["x"]);
        // The paragraph is their container: emptied, it goes whole.
        let p = view.blocks[0].parent.unwrap();
        assert_eq!(view.blocks[1].parent, Some(p));
        assert_eq!(
            &html[view.containers[p].range.clone().unwrap()],
            &html[..html.find("<p>four").unwrap()]
        );
        // Breaks at the end leave no empty part; a table's cell is not parted.
        let view = View::of(
            "<p>x<br><br></p><table><tr><td>a<br><br>b</td></tr></table>",
            InputFormat::Html,
        );
        assert_eq!(texts(&view), [("x", true), ("a b", true)]);
    }

    #[test]
    fn a_divider_line_between_breaks_ends_a_part_of_the_text() {
        let html = "<p>Text.<br>———<br>微信搜索“x”：pitch。</p><p>a<br>b &mdash;&mdash;<br>c</p>";
        let view = View::of(html, InputFormat::Html);
        assert_eq!(
            texts(&view),
            [
                ("Text.", true),
                ("———", true),
                ("微信搜索“x”：pitch。", true),
                ("a b —— c", true)
            ]
        );
        let range = |b: usize| &html[view.blocks[b].range.clone().unwrap()];
        // Each part after a break takes it when it goes.
        assert_eq!(range(0), "Text.");
        assert_eq!(range(1), "<br>———");
        assert_eq!(range(2), "<br>微信搜索“x”：pitch。");
        assert!(view.blocks[1].is_divider());
        // Entities, blanks, and breaks in a row after it; not at the paragraph's end, nor in
        // a table.
        let html = "<p>a<br> &mdash;&mdash; <br><br>b<br>* * *</p><table><tr><td>c<br>—<br>d</td></tr></table>";
        let view = View::of(html, InputFormat::Html);
        assert_eq!(
            texts(&view),
            [
                ("a", true),
                ("——", true),
                ("b * * *", true),
                ("c — d", true)
            ]
        );
    }

    #[test]
    fn a_name_is_classed_as_the_lists_class_it() {
        let mut names: Vec<&str> = [html::BLOCK, html::CONTAINERS, html::VOID, html::MEDIA]
            .into_iter()
            .chain([html::RAW_TEXT, html::INLINE])
            .flatten()
            .copied()
            .collect();
        names.extend([
            "head", "template", "", "x", "p2", "divs", "spa", "tabl", "é",
        ]);
        for name in names {
            let name = name.as_bytes();
            assert_eq!(Class::of(name), Class::spelled_out(name), "{name:?}");
        }
    }

    #[test]
    fn tables_are_one_block_and_media_counts() {
        let html = "<table><tr><td>a</td><td><img src=x></td></tr></table><p><img src=y></p>";
        let view = View::of(html, InputFormat::Html);
        assert_eq!(view.blocks.len(), 2);
        assert_eq!(view.blocks[0].text, "a");
        assert!(view.blocks[0].media);
        assert!(view.blocks[1].media && view.blocks[1].chars == 0);
    }

    #[test]
    fn hidden_elements_and_scripts() {
        let html = "<div aria-hidden=\"true\"><p>x</p></div><script>var a='<p>';</script><p style=\"display: none\">y</p><p>z</p>";
        let view = View::of(html, InputFormat::Html);
        let hidden: Vec<(&str, bool)> = view
            .blocks
            .iter()
            .map(|b| (b.text.as_str(), b.hidden))
            .collect();
        assert_eq!(hidden, [("x", true), ("y", true), ("z", false)]);
    }

    #[test]
    fn captions_are_known() {
        let html = "<figure><img src=x><figcaption>© Getty</figcaption></figure><p>© AFP</p>";
        let view = View::of(html, InputFormat::Html);
        let got: Vec<(&str, bool)> = view
            .blocks
            .iter()
            .map(|b| (b.text.as_str(), b.caption))
            .collect();
        assert_eq!(got, [("", true), ("© Getty", true), ("© AFP", false)]);
    }

    #[test]
    fn markdown_blocks_and_their_html() {
        let text = "---\ntitle: t\n---\n\n# Title\n\nSome [link](u) text.\n\n<div>\n<p>in html</p>\n</div>\n\n![](img.png)\n\n- [a](x)\n- [b](y)\n";
        let view = View::of(text, InputFormat::Markdown);
        let got: Vec<&str> = view.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(got, ["Title", "Some link text.", "in html", "", "a b"]);
        assert_eq!(
            &text[view.blocks[1].range.clone().unwrap()],
            "Some [link](u) text.\n\n"
        );
        assert!(view.blocks[3].media);
        // Two links and the space between them: all link text.
        assert_eq!(view.blocks[4].link_share(), 1.0);
        // The HTML block is the container of the paragraph inside the div's container.
        let p = &view.blocks[2];
        let div = p.parent.unwrap();
        assert_eq!(
            &text[view.containers[div].range.clone().unwrap()],
            "<div>\n<p>in html</p>\n</div>"
        );
        let md = view.containers[div].parent.unwrap();
        assert_eq!(
            &text[view.containers[md].range.clone().unwrap()],
            "<div>\n<p>in html</p>\n</div>\n\n"
        );
    }

    #[test]
    fn an_element_spanning_markdown_html_blocks_is_not_removed_in_part() {
        // The rewriter reads the HTML blocks as one stream: the div the first block leaves
        // open ends at the `</div>` of the third. Neither HTML block whole is removable;
        // what is balanced on its own is, inside the div (`<p>a</p>`) or after it.
        let text = "<div hidden><p>a</p>\n\nText.\n\n<p><b></div></b>z</p>\n\n<p>last</p>\n";
        let view = View::of(text, InputFormat::Markdown);
        assert_eq!(
            texts(&view),
            [("a", true), ("Text.", true), ("z", true), ("last", true)]
        );
        assert_eq!(&text[view.blocks[0].range.clone().unwrap()], "<p>a</p>");
        // The containers from a block up to the outermost.
        let up = |b: usize| {
            let mut chain = vec![view.blocks[b].parent.unwrap()];
            while let Some(p) = view.containers[*chain.last().unwrap()].parent {
                chain.push(p);
            }
            chain
        };
        let range = |c: usize| view.containers[c].range.clone().map(|r| &text[r]);
        // The HTML blocks from the one that leaves the div open to the end tag that ends
        // it, and what stands between, are one container, removable only whole. What
        // follows that end tag in its block is outside the div, and outside that container,
        // in one of its own that is not removable.
        let (first, third) = (up(0), up(2));
        assert_eq!(up(1).last(), first.last());
        let group = "<div hidden><p>a</p>\n\nText.\n\n<p><b></div>";
        assert_eq!(range(*first.last().unwrap()), Some(group));
        assert_eq!(third.len(), 1);
        assert_ne!(first.last(), third.last());
        assert_eq!(range(third[0]), None);
        assert_eq!(up(3).last().and_then(|&c| range(c)), Some("<p>last</p>\n"));
        // Text of the div's own: a run before a block is balanced too, the text after its
        // last block ends only with the div.
        let text = "<div hidden>b<p>a</p>c\n\nText.\n\n</div>\n";
        let view = View::of(text, InputFormat::Markdown);
        assert_eq!(
            texts(&view),
            [("b", true), ("a", true), ("c", false), ("Text.", true)]
        );
        // An HTML document is one stream already: what never ends, never ends.
        let view = View::of("<div hidden><p>a</p>", InputFormat::Html);
        assert_eq!(texts(&view), [("a", true)]);
    }

    #[test]
    fn balanced_elements_inside_one_left_open_are_removable_alone() {
        // A poem's stanzas written `<p><p>`: lol_html leaves each first `<p>` open to the
        // end, and the feed's footer paragraphs after them are balanced inside it.
        let text = "# T\n\n<p>one</p><p><p>two</p><hr /><p><small>© x | Permalink |</small></p><p><small>Feed enhanced by y</small></p>\n";
        let view = View::of(text, InputFormat::Markdown);
        let got: Vec<_> = (view.blocks.iter())
            .map(|b| (b.text.as_str(), b.range.clone().map(|r| &text[r])))
            .collect();
        assert_eq!(
            got,
            [
                ("T", Some("# T\n\n")),
                ("one", Some("<p>one</p>")),
                ("two", Some("<p>two</p>")),
                (
                    "© x | Permalink |",
                    Some("<p><small>© x | Permalink |</small></p>")
                ),
                (
                    "Feed enhanced by y",
                    Some("<p><small>Feed enhanced by y</small></p>")
                ),
            ]
        );
        // A `<pre>` whose blank line ends the HTML block: the article element is left
        // open, and the counter above it, balanced, is removable.
        let text = "<article><div class=\"meta\"><div>2016-11-19</div><div>2,104 Views</div></div><pre>By x\n\n</pre><p>Text.</p></article>\n";
        let view = View::of(text, InputFormat::Markdown);
        let views = view
            .blocks
            .iter()
            .find(|b| b.text == "2,104 Views")
            .unwrap();
        assert_eq!(
            &text[views.range.clone().unwrap()],
            "<div>2,104 Views</div>"
        );
        let pre = view.blocks.iter().find(|b| b.text == "By x").unwrap();
        assert_eq!(pre.range, None, "the pre is left open in its block");
    }

    #[test]
    fn each_element_spanning_markdown_html_blocks_is_a_container_of_its_own() {
        // Two divs the first HTML block leaves open; the second block ends the inner one,
        // the third the outer one. Each is a container from its start tag to its end tag,
        // the inner one inside the outer one; the first block, from its start to the end
        // tag of the outermost element it leaves open, is one too, around them.
        let text = "<p>a</p><div><div>\n\n<p hidden>x</p></div>y\n\n</div>\n";
        let view = View::of(text, InputFormat::Markdown);
        assert_eq!(texts(&view), [("a", true), ("x", true), ("y", true)]);
        let mut chain = vec![view.blocks[1].parent.unwrap()];
        while let Some(p) = view.containers[*chain.last().unwrap()].parent {
            chain.push(p);
        }
        let ranges: Vec<_> = (chain.iter())
            .map(|&c| view.containers[c].range.clone().map(|r| &text[r]))
            .collect();
        let outer = "<div><div>\n\n<p hidden>x</p></div>y\n\n</div>";
        assert_eq!(
            ranges,
            [
                None,
                Some("<div>\n\n<p hidden>x</p></div>"),
                Some(outer),
                Some(text)
            ]
        );
        // What follows the inner end tag is inside the outer div only.
        let y = view.blocks[2].parent.unwrap();
        assert_eq!(view.containers[y].parent, Some(chain[2]));
    }

    #[test]
    fn an_element_a_paragraph_ends_is_a_container_up_to_that_end_tag() {
        // `<b></div>z` is a paragraph whose `</div>` ends the div the first block left
        // open: the div is a container up to that end tag, and so is the group of blocks
        // from the first one (with the blank lines after, when only blanks follow). z
        // begins after the end tag: its paragraph is outside the div.
        let text = "<div>\n\n<p hidden>x</p>\n\n<b></div>z\n\n<p>last</p>\n";
        let view = View::of(text, InputFormat::Markdown);
        assert_eq!(texts(&view), [("x", true), ("z", false), ("last", true)]);
        let range = |c: usize| view.containers[c].range.clone().map(|r| &text[r]);
        let up = |b: usize| {
            let mut chain = vec![view.blocks[b].parent.unwrap()];
            while let Some(p) = view.containers[*chain.last().unwrap()].parent {
                chain.push(p);
            }
            chain
        };
        let x = up(0);
        let div = "<div>\n\n<p hidden>x</p>\n\n<b></div>";
        assert_eq!(range(x[x.len() - 2]), Some(div));
        assert_eq!(range(*x.last().unwrap()), Some(div));
        assert_eq!(up(1).len(), 1, "z is in no element carried in");
        // The end tag alone in its paragraph: the group takes the blank lines after it.
        let text = "<div>\n\n<p hidden>x</p>\n\n<b></div>\n\n<p>last</p>\n";
        let view = View::of(text, InputFormat::Markdown);
        let outer = view.containers[view.blocks[0].parent.unwrap()].parent;
        let group = outer.and_then(|c| view.containers[c].parent).unwrap();
        let range = view.containers[group].range.clone().map(|r| &text[r]);
        assert_eq!(range, Some("<div>\n\n<p hidden>x</p>\n\n<b></div>\n\n"));
        // Text on both sides of the end tag: the div keeps no range.
        let text = "<div>\n\n<p hidden>x</p>\n\ny<b></div>z\n";
        let view = View::of(text, InputFormat::Markdown);
        let div = view.containers[view.blocks[0].parent.unwrap()]
            .parent
            .unwrap();
        assert_eq!(view.containers[div].range, None);
    }

    #[test]
    fn unended_elements_are_not_removable_and_nesting_is_bounded() {
        let view = View::of("<div><p>a<div>b</div>", InputFormat::Html);
        assert!(view.containers.iter().all(|c| c.range.is_none()));
        // Loose content is removable only where it is balanced markup: x's run begins with
        // `<b>`, which it does not end; z, the b's block after its last one, is text alone.
        let view = View::of("<div><b>x<p>y</p>z</b></div>", InputFormat::Html);
        let got: Vec<_> = view
            .blocks
            .iter()
            .map(|b| (b.text.as_str(), b.range.is_some()))
            .collect();
        assert_eq!(got, [("x", false), ("y", true), ("z", true)]);
        let deep = "<div>".repeat(100_000) + "x";
        let view = View::of(&deep, InputFormat::Html);
        assert_eq!(view.blocks.len(), 1);
        let ends = "<span>".repeat(1000) + &"</i>".repeat(100_000);
        View::of(&ends, InputFormat::Html);
    }
}
