//! A small document tree of the cleaned article, built from its tokens with the
//! implied end tags lol_html leaves out (`<p>` closed by a block, `<li>` by the next `<li>`).
//! Scripts, styles and other active content never enter it.
//!
//! The tree is held compact: every node is a [`Slot`] of 12 bytes in one of two lists (the
//! top-level nodes, and all the others, each element's attributes and children side by
//! side), and every text and attribute value is a span of one string. It holds no
//! allocation per node: a page made only of short linked paragraphs, an element every few
//! bytes, takes about two and a half times its size in the tree (`tests/memory.rs`).

use std::ops::Range;

use crate::html::{self, CLOSES_P, NOT_TEXT, VOID};
use crate::tokenizer::{EndTag, OpenElements, Token as Markup, find_end_tag, tokenize};

/// A node as the tree holds it: 12 bytes, in `Tree::top` or `Tree::nodes`.
///
/// - A text: `tag` is `TEXT`, its text is `a..a + b` of `Tree::text`.
/// - An element: `tag` is its name's index in `html::KNOWN` (or `OTHER`: then its name is
///   its first attribute slot, a `NAME` slot); its `n` attribute slots and then its `b`
///   children lie in `Tree::nodes` from `a` on.
/// - An attribute: `tag` is `ATTR` plus the name's index in `KEPT_ATTRS` (or `NAME`), its
///   value is `a..a + b` of `Tree::text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    a: u32,
    b: u32,
    tag: u16,
    n: u16,
}

const TEXT: u16 = 0xFFFF;
/// An element whose name is not in `html::KNOWN`.
const OTHER: u16 = 0xE000;
/// The name of an `OTHER` element, its first attribute slot.
const NAME: u16 = 0xE001;
/// The first attribute tag: `ATTR + i` is `KEPT_ATTRS[i]`.
const ATTR: u16 = 0xF000;

const _: () = assert!(html::KNOWN.len() < OTHER as usize && KEPT_ATTRS.len() < 0x0FFF);

/// The article tree: the top-level nodes, the others (each element's attribute slots and
/// children side by side), and the text of every text node and attribute value.
#[derive(Debug, Default)]
pub struct Tree {
    top: Vec<Slot>,
    nodes: Vec<Slot>,
    text: String,
    /// Whether an `<audio>` or `<video>` was read into the tree (one taken out since
    /// leaves it set).
    players: bool,
}

/// A node [`Tree::take`] took out of a list, and where it was.
#[derive(Debug, Clone, Copy)]
pub struct Taken {
    list: List,
    i: usize,
    slot: Slot,
}

/// A list of the tree's nodes: the top level, or the children of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Top,
    Of(Place),
}

/// Where an element's slot lies: in the top-level list, or among the other nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Top(usize),
    Node(usize),
}

/// Nodes of a list, side by side: what a walker reads.
#[derive(Clone, Copy)]
pub struct Nodes<'t> {
    tree: &'t Tree,
    slots: &'t [Slot],
}

/// A node of the tree as it is read.
#[derive(Clone, Copy)]
pub enum Node<'t> {
    Element(Element<'t>),
    Text(&'t str),
}

/// An element of the tree as it is read.
#[derive(Clone, Copy)]
pub struct Element<'t> {
    tree: &'t Tree,
    slot: &'t Slot,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::Text(t) => write!(f, "{t:?}"),
            Node::Element(e) => write!(f, "{}{:?}", e.name(), e.children()),
        }
    }
}

impl std::fmt::Debug for Nodes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Tree {
    /// Whether the tree may hold an `<audio>` or `<video>` element: most articles have
    /// none, and their trees need no walk to find one.
    pub fn may_hold_players(&self) -> bool {
        self.players
    }

    /// The bytes of text and attribute values the tree holds: about what an article
    /// written from it takes.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The top-level nodes.
    pub fn top(&self) -> Nodes<'_> {
        Nodes {
            tree: self,
            slots: &self.top,
        }
    }

    /// The nodes of `list`.
    pub fn list(&self, list: List) -> Nodes<'_> {
        Nodes {
            tree: self,
            slots: self.slots(list),
        }
    }

    fn slots(&self, list: List) -> &[Slot] {
        match list {
            List::Top => &self.top,
            List::Of(place) => {
                let s = self.slot(place);
                let from = s.a as usize + s.n as usize;
                self.nodes.get(from..from + s.b as usize).unwrap_or(&[])
            }
        }
    }

    fn slot(&self, place: Place) -> Slot {
        let slot = match place {
            Place::Top(i) => self.top.get(i),
            Place::Node(i) => self.nodes.get(i),
        };
        slot.copied().unwrap_or(Slot {
            a: 0,
            b: 0,
            tag: TEXT,
            n: 0,
        })
    }

    fn slot_mut(&mut self, place: Place) -> Option<&mut Slot> {
        match place {
            Place::Top(i) => self.top.get_mut(i),
            Place::Node(i) => self.nodes.get_mut(i),
        }
    }

    /// Where node `i` of `list` lies.
    pub fn place(&self, list: List, i: usize) -> Place {
        match list {
            List::Top => Place::Top(i),
            List::Of(place) => {
                let s = self.slot(place);
                Place::Node(s.a as usize + s.n as usize + i)
            }
        }
    }

    /// The children of node `i` of `list`.
    pub fn children_of(&self, list: List, i: usize) -> List {
        List::Of(self.place(list, i))
    }

    /// The list's slots as a part of the vector that holds them: the vector, where the list
    /// begins in it, and its length.
    fn span_mut(&mut self, list: List) -> (&mut Vec<Slot>, usize, usize) {
        match list {
            List::Top => {
                let len = self.top.len();
                (&mut self.top, 0, len)
            }
            List::Of(place) => {
                let s = self.slot(place);
                (&mut self.nodes, s.a as usize + s.n as usize, s.b as usize)
            }
        }
    }

    /// Keeps node `i` of `range` of `list` where `keep[i - range.start]`; the nodes after
    /// the range move up.
    pub fn retain(&mut self, list: List, range: Range<usize>, keep: &[bool]) {
        let (vec, base, len) = self.span_mut(list);
        let end = range.end.min(len);
        let mut kept = range.start;
        for r in range.start..end {
            if keep.get(r - range.start).copied().unwrap_or(true) {
                vec[base + kept] = vec[base + r];
                kept += 1;
            }
        }
        vec.copy_within(base + end..base + len, base + kept);
        let len = len - (end - kept);
        match list {
            List::Top => self.top.truncate(len),
            List::Of(place) => {
                if let Some(s) = self.slot_mut(place) {
                    s.b = len as u32;
                }
            }
        }
    }

    /// Takes nodes `range` out of `list`.
    pub fn remove(&mut self, list: List, range: Range<usize>) {
        let keep = vec![false; range.len()];
        self.retain(list, range, &keep);
    }

    /// Takes node `i` out of `list`, as [`Tree::remove`] does, and says what
    /// [`Tree::put_back`] needs to undo it.
    pub fn take(&mut self, list: List, i: usize) -> Option<Taken> {
        let slot = *self.slots(list).get(i)?;
        self.remove(list, i..i + 1);
        Some(Taken { list, i, slot })
    }

    /// Puts back a node [`Tree::take`] took out, in the tree as that take left it: several
    /// are put back the last taken first. An element's list ends where it ended before the
    /// take (its slots lie side by side, and the one after them is the one the take freed).
    pub fn put_back(&mut self, taken: Taken) {
        let Taken { list, i, slot } = taken;
        match list {
            List::Top => self.top.insert(i.min(self.top.len()), slot),
            List::Of(place) => {
                let s = self.slot(place);
                let (from, len) = (s.a as usize + s.n as usize, s.b as usize);
                if i > len || from + len >= self.nodes.len() {
                    return;
                }
                self.nodes.copy_within(from + i..from + len, from + i + 1);
                self.nodes[from + i] = slot;
                if let Some(s) = self.slot_mut(place) {
                    s.b += 1;
                }
            }
        }
    }

    /// Makes node `i` of `list`, a text, say `text`.
    pub fn set_text(&mut self, list: List, i: usize, text: &str) {
        let place = self.place(list, i);
        let span = self.push_text(text);
        if let (Some((a, b)), Some(slot)) = (span, self.slot_mut(place))
            && slot.tag == TEXT
        {
            (slot.a, slot.b) = (a, b);
        }
    }

    /// Adds `s` to the tree's text (held without room to spare: grown by what it needs);
    /// its span, unless the text would be past 4 GiB.
    fn push_text(&mut self, s: &str) -> Option<(u32, u32)> {
        self.text.reserve_exact(s.len());
        push(&mut self.text, s, 0)
    }

    /// Puts the level-1 heading `title` before everything, linked to `href` if given.
    pub fn prepend_heading(&mut self, title: &str, href: Option<&str>) {
        let (Some((ta, tb)), Ok(at)) = (self.push_text(title), u32::try_from(self.nodes.len()))
        else {
            return;
        };
        let text = Slot {
            a: ta,
            b: tb,
            tag: TEXT,
            n: 0,
        };
        // Held without room to spare, as the parse left it.
        self.nodes.reserve_exact(3);
        let mut inner = text;
        if let Some((ha, hb)) = href.and_then(|h| self.push_text(h)) {
            self.nodes.extend([
                Slot {
                    a: ha,
                    b: hb,
                    tag: ATTR + kept_index("href"),
                    n: 0,
                },
                text,
            ]);
            inner = Slot {
                a: at,
                b: 1,
                tag: known("a"),
                n: 1,
            };
        }
        let Ok(heading_at) = u32::try_from(self.nodes.len()) else {
            return;
        };
        self.nodes.push(inner);
        self.top.reserve_exact(1);
        self.top.insert(
            0,
            Slot {
                a: heading_at,
                b: 1,
                tag: known("h1"),
                n: 0,
            },
        );
    }
}

/// The index of a name of `html::KNOWN`.
fn known(name: &str) -> u16 {
    html::known_index(name.as_bytes()).map_or(OTHER, |i| i as u16)
}

fn kept_index(name: &str) -> u16 {
    KEPT_ATTRS
        .iter()
        .position(|k| *k == name)
        .unwrap_or_default() as u16
}

impl<'t> Nodes<'t> {
    pub fn len(self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(self) -> bool {
        self.slots.is_empty()
    }

    pub fn get(self, i: usize) -> Option<Node<'t>> {
        self.slots.get(i).map(|s| self.tree.node(s))
    }

    /// Some of the nodes.
    pub fn slice<R>(self, range: R) -> Nodes<'t>
    where
        R: std::slice::SliceIndex<[Slot], Output = [Slot]>,
    {
        Nodes {
            tree: self.tree,
            slots: self.slots.get(range).unwrap_or(&[]),
        }
    }

    pub fn iter(self) -> Iter<'t> {
        Iter {
            tree: self.tree,
            slots: self.slots.iter(),
        }
    }
}

impl<'t> IntoIterator for Nodes<'t> {
    type Item = Node<'t>;
    type IntoIter = Iter<'t>;
    fn into_iter(self) -> Iter<'t> {
        self.iter()
    }
}

/// The nodes of a list, in order.
#[derive(Clone)]
pub struct Iter<'t> {
    tree: &'t Tree,
    slots: std::slice::Iter<'t, Slot>,
}

impl<'t> Iterator for Iter<'t> {
    type Item = Node<'t>;
    fn next(&mut self) -> Option<Node<'t>> {
        self.slots.next().map(|s| self.tree.node(s))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.slots.next_back().map(|s| self.tree.node(s))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl Tree {
    fn node<'t>(&'t self, slot: &'t Slot) -> Node<'t> {
        if slot.tag == TEXT {
            Node::Text(self.span(slot))
        } else {
            Node::Element(Element { tree: self, slot })
        }
    }

    fn span(&self, slot: &Slot) -> &str {
        let a = slot.a as usize;
        self.text.get(a..a + slot.b as usize).unwrap_or_default()
    }
}

impl<'t> Element<'t> {
    pub fn name(self) -> TagName<'t> {
        match html::KNOWN.get(self.slot.tag as usize) {
            Some(name) => TagName {
                name,
                kind: KINDS[self.slot.tag as usize],
            },
            None => TagName {
                name: self.attr_slots().first().map_or("", |s| self.tree.span(s)),
                kind: 0,
            },
        }
    }

    fn attr_slots(self) -> &'t [Slot] {
        let a = self.slot.a as usize;
        (self.tree.nodes)
            .get(a..a + self.slot.n as usize)
            .unwrap_or(&[])
    }

    /// The attributes the tree keeps (`KEPT_ATTRS`), in the tag's order.
    pub fn attrs(self) -> impl Iterator<Item = (&'static str, &'t str)> {
        self.attr_slots().iter().filter_map(move |s| {
            let name = KEPT_ATTRS.get(s.tag.checked_sub(ATTR)? as usize)?;
            Some((*name, self.tree.span(s)))
        })
    }

    pub fn attr(self, name: &str) -> Option<&'t str> {
        debug_assert!(
            KEPT_ATTRS.contains(&name),
            "`{name}` is not among the attributes tree::parse keeps"
        );
        self.attrs().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn children(self) -> Nodes<'t> {
        let from = self.slot.a as usize + self.slot.n as usize;
        Nodes {
            tree: self.tree,
            slots: (self.tree.nodes)
                .get(from..from + self.slot.b as usize)
                .unwrap_or(&[]),
        }
    }
}

/// A tag name, lowercase, with what the parse and the walkers ask of it (not text, void,
/// ends a `<p>`, a block) when it is one of the names articles are made of
/// (`html::KNOWN`), looked up once instead of in a list at every question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagName<'t> {
    name: &'t str,
    kind: u8,
}

/// The bits of `TagName::kind`: the name is in `html::NOT_TEXT`, `html::VOID`,
/// `html::CLOSES_P` or `html::BLOCK`.
const NOT_TEXT_BIT: u8 = 1;
const VOID_BIT: u8 = 2;
const CLOSES_P_BIT: u8 = 4;
const BLOCK_BIT: u8 = 8;

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn listed(name: &str, list: &[&str]) -> bool {
    let mut i = 0;
    while i < list.len() {
        if same(name, list[i]) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether every name of `list` is in `html::KNOWN`: an unknown name has no kind bits, so
/// a name added to one of these lists must be known too (checked as the crate compiles).
const fn all_known(list: &[&str]) -> bool {
    let mut i = 0;
    while i < list.len() {
        if !listed(list[i], html::KNOWN) {
            return false;
        }
        i += 1;
    }
    true
}

const _: () = assert!(
    all_known(NOT_TEXT) && all_known(VOID) && all_known(CLOSES_P) && all_known(html::BLOCK)
);

const fn bit(on: bool, bit: u8) -> u8 {
    if on { bit } else { 0 }
}

/// `TagName::kind` of each name of `html::KNOWN`.
const KINDS: [u8; html::KNOWN.len()] = {
    let mut kinds = [0u8; html::KNOWN.len()];
    let mut i = 0;
    while i < html::KNOWN.len() {
        let name = html::KNOWN[i];
        kinds[i] = bit(listed(name, NOT_TEXT), NOT_TEXT_BIT)
            | bit(listed(name, VOID), VOID_BIT)
            | bit(listed(name, CLOSES_P), CLOSES_P_BIT)
            | bit(listed(name, html::BLOCK), BLOCK_BIT);
        i += 1;
    }
    kinds
};

impl<'t> TagName<'t> {
    pub fn as_str(self) -> &'t str {
        self.name
    }

    /// Never article text (`html::NOT_TEXT`).
    pub fn is_not_text(self) -> bool {
        self.kind & NOT_TEXT_BIT != 0
    }

    /// No content and no end tag (`html::VOID`).
    pub fn is_void(self) -> bool {
        self.kind & VOID_BIT != 0
    }

    /// Its start ends an open `<p>` (`html::CLOSES_P`).
    fn closes_p(self) -> bool {
        self.kind & CLOSES_P_BIT != 0
    }

    /// A block of the rendered text (`html::BLOCK`).
    pub fn is_block(self) -> bool {
        self.kind & BLOCK_BIT != 0
    }
}

impl PartialEq<&str> for TagName<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

impl std::fmt::Display for TagName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The attributes the renderers and the metadata read; the parse keeps no others (class
/// lists, styles and `data-` attributes are most of a page's attributes). `Element::attr`
/// checks, in debug builds, that it is asked for one of these.
pub const KEPT_ATTRS: &[&str] = &[
    "alt", "cite", "class", "colspan", "datetime", "height", "href", "rel", "rowspan", "src",
    "start", "title", "value", "width",
];

/// The index in `KEPT_ATTRS` of the attribute `name` (in any case), if the tree keeps it:
/// one look at its length and bytes, not a comparison with each kept name in turn.
fn kept_attr(name: &str) -> Option<usize> {
    // No kept name is longer than eight bytes.
    let mut lower = [0u8; 8];
    let name = name.as_bytes();
    let lower = lower.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    Some(match &*lower {
        b"alt" => 0,
        b"cite" => 1,
        b"class" => 2,
        b"colspan" => 3,
        b"datetime" => 4,
        b"height" => 5,
        b"href" => 6,
        b"rel" => 7,
        b"rowspan" => 8,
        b"src" => 9,
        b"start" => 10,
        b"title" => 11,
        b"value" => 12,
        b"width" => 13,
        _ => return None,
    })
}

/// Deeper elements are flattened into their ancestor at this depth: the tree's walkers
/// recurse, and no article nests anywhere near this deep.
const MAX_DEPTH: usize = 256;

/// Parses an HTML fragment into a tree. Elements open and end as lol_html has them (see
/// `tokenizer`); the tree adds the implied end tags as it is built, token by token (no
/// list of the document's tokens is held).
pub fn parse(html: &str) -> Tree {
    let mut tree = Builder::new(html);
    // Open elements as lol_html counts them: an end tag only ends one of these.
    let mut open = OpenElements::default();
    let mut text_only: Option<crate::tokenizer::Name> = None;
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut pos = 0;
    let flush = |tree: &mut Builder, from: usize, to: usize| {
        if to > from {
            tree.rest = html.len() - to;
            tree.text(&html[from..to]);
        }
    };
    while pos < bytes.len() {
        if let Some(name) = &text_only {
            match find_end_tag(&bytes[pos..], name) {
                EndTag::At(k) => {
                    pos += k;
                    text_only = None;
                }
                _ => break,
            }
            continue;
        }
        let Some(k) = memchr::memchr(b'<', &bytes[pos..]) else {
            break;
        };
        pos += k;
        let Some((token, len)) = tokenize(&bytes[pos..], true) else {
            // Markup cut off by the end of the document is dropped, as the HTML tokenizer
            // drops it; a lone `<` or `</` is text.
            if !matches!(&bytes[pos..], b"<" | b"</") {
                flush(&mut tree, text_start, pos);
                text_start = bytes.len();
            }
            break;
        };
        match token {
            Markup::Lt => {
                pos += len;
                continue;
            }
            Markup::Other => flush(&mut tree, text_start, pos),
            Markup::Start {
                name,
                self_closing,
                attrs,
            } => {
                flush(&mut tree, text_start, pos);
                let raw = &html[pos..pos + len];
                let rest = html.len() - (pos + len);
                tree.rest = rest;
                let tag = Tag::of(&name);
                if !self_closing && !tag.kind().is_void() {
                    open.push(name.clone());
                }
                if html::has(html::RAW_TEXT, &name) {
                    text_only = Some(name);
                }
                tree.start(&tag, |text, slots| {
                    for a in attrs {
                        let name = &raw[a.name];
                        let Some(k) = kept_attr(name) else {
                            continue;
                        };
                        if let Some((a, b)) = push(text, &decode(&raw[a.value]), rest) {
                            room(slots, 1);
                            slots.push(Slot {
                                a,
                                b,
                                tag: ATTR + k as u16,
                                n: 0,
                            });
                        }
                    }
                });
            }
            Markup::End { name } => {
                flush(&mut tree, text_start, pos);
                if let Some(at) = open.find(&name) {
                    while open.len() > at {
                        open.pop();
                    }
                    tree.end(&Tag::of(&name));
                }
            }
        }
        pos += len;
        text_start = pos;
    }
    flush(&mut tree, text_start, bytes.len());
    tree.finish()
}

fn decode(raw: &str) -> std::borrow::Cow<'_, str> {
    crate::text::decode_entities(raw)
}

/// Adds `s` to `text`: its span, unless the text would be past 4 GiB. `more` is how many
/// bytes of the document follow the piece `s` was read from: a full `text` is grown by a
/// quarter, or at once by all that may yet come when that is more (the parse's text is
/// made of the document's bytes, decoded), so that it is seldom grown twice.
fn push(text: &mut String, s: &str, more: usize) -> Option<(u32, u32)> {
    let start = u32::try_from(text.len()).ok()?;
    let len = u32::try_from(s.len()).ok()?;
    start.checked_add(len)?;
    if text.capacity() - text.len() < len as usize {
        text.reserve_exact((s.len() + more).max(text.len() / 4));
    }
    text.push_str(s);
    Some((start, len))
}

/// Room for `more` slots in `slots`. The parts of the tree grow by a quarter, not twice
/// their size: room to spare is held until the parse ends, beside the whole tree.
fn room(slots: &mut Vec<Slot>, more: usize) {
    if slots.capacity() - slots.len() < more {
        slots.reserve_exact(more.max(slots.len() / 4).max(16));
    }
}

/// A tag's name as the tokenizer reads it (lowercase bytes): one of `html::KNOWN`, or
/// another (kept with U+FFFD for bytes that are not UTF-8).
enum Tag {
    Known(u16),
    Other(String),
}

impl Tag {
    fn of(name: &[u8]) -> Tag {
        match html::known_index(name) {
            Some(i) => Tag::Known(i as u16),
            None => Tag::Other(String::from_utf8_lossy(name).into_owned()),
        }
    }

    fn kind(&self) -> TagName<'static> {
        match self {
            Tag::Known(i) => TagName {
                name: html::KNOWN[*i as usize],
                kind: KINDS[*i as usize],
            },
            Tag::Other(_) => TagName { name: "", kind: 0 },
        }
    }

    #[cfg(test)]
    fn name(&self) -> &str {
        match self {
            Tag::Known(i) => html::KNOWN[*i as usize],
            Tag::Other(name) => name,
        }
    }
}

/// An open element: its tag, its name (an `OTHER` element's) and where its attribute
/// slots begin in `Builder::waiting`, its children after them.
struct Open {
    tag: u16,
    name: Option<(u32, u32)>,
    first: usize,
    attrs: u16,
}

/// Builds the tree from its tokens in order, closing what HTML closes implicitly and
/// ignoring stray end tags. The attribute slots and children of the open elements wait in
/// one list, and move side by side into `nodes` when their element ends.
struct Builder {
    /// The open elements, the outermost first.
    stack: Vec<Open>,
    waiting: Vec<Slot>,
    nodes: Vec<Slot>,
    text: String,
    /// How many bytes of the document follow the piece being read (see [`push`]).
    rest: usize,
    /// How many elements that are never text (and their insides) are open.
    dropping: usize,
    /// The codes of `audio` and `video`, and whether an element of either was read.
    player_tags: [u16; 2],
    players: bool,
}

impl Builder {
    fn new(html: &str) -> Builder {
        // About a node for every `<` of the document (or for every two: an end tag makes
        // none, a text one), and about half its bytes text.
        let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
        Builder {
            stack: Vec::new(),
            waiting: Vec::new(),
            nodes: Vec::with_capacity(tags),
            text: String::with_capacity(html.len() / 2),
            rest: html.len(),
            dropping: 0,
            player_tags: [known("audio"), known("video")],
            players: false,
        }
    }

    fn name_of(&self, open: &Open) -> &str {
        match open.name {
            Some((a, b)) => (self.text)
                .get(a as usize..(a + b) as usize)
                .unwrap_or_default(),
            None => html::KNOWN.get(open.tag as usize).copied().unwrap_or(""),
        }
    }

    /// A start tag; `attrs` adds the attribute slots of an element the tree keeps.
    fn start(&mut self, tag: &Tag, attrs: impl FnOnce(&mut String, &mut Vec<Slot>)) {
        let kind = tag.kind();
        if self.dropping > 0 || kind.is_not_text() {
            if !kind.is_void() {
                self.dropping += 1;
            }
            return;
        }
        self.close_implied(kind);
        let void = kind.is_void();
        if !void && self.stack.len() + 1 >= MAX_DEPTH {
            return;
        }
        // A void element's slots go where they stay; an open one's wait for its children.
        let slots = if void {
            &mut self.nodes
        } else {
            &mut self.waiting
        };
        let first = slots.len();
        room(slots, 1);
        let (code, name) = match tag {
            Tag::Known(i) => {
                self.players |= self.player_tags.contains(i);
                (*i, None)
            }
            Tag::Other(name) => {
                let Some((a, b)) = push(&mut self.text, name, self.rest) else {
                    return;
                };
                slots.push(Slot {
                    a,
                    b,
                    tag: NAME,
                    n: 0,
                });
                (OTHER, Some((a, b)))
            }
        };
        attrs(&mut self.text, slots);
        slots.truncate(first + usize::from(u16::MAX));
        let n = (slots.len() - first) as u16;
        if void {
            if let Ok(a) = u32::try_from(first) {
                room(&mut self.waiting, 1);
                self.waiting.push(Slot {
                    a,
                    b: 0,
                    tag: code,
                    n,
                });
            }
        } else {
            self.stack.push(Open {
                tag: code,
                name,
                first,
                attrs: n,
            });
        }
    }

    fn end(&mut self, tag: &Tag) {
        if self.dropping > 0 {
            self.dropping -= 1;
            return;
        }
        let at = match tag {
            Tag::Known(i) => self.stack.iter().rposition(|o| o.tag == *i),
            Tag::Other(name) => (self.stack.iter())
                .rposition(|o| o.tag == OTHER && self.name_of(o) == name.as_str()),
        };
        if let Some(at) = at {
            while self.stack.len() > at {
                self.pop();
            }
        }
    }

    fn text(&mut self, raw: &str) {
        if self.dropping == 0
            && let Some((a, b)) = push(&mut self.text, &decode(raw), self.rest)
        {
            room(&mut self.waiting, 1);
            self.waiting.push(Slot {
                a,
                b,
                tag: TEXT,
                n: 0,
            });
        }
    }

    /// Ends the innermost open element.
    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        let first = self.nodes.len();
        let held = self.waiting.len() - open.first;
        let (Ok(a), Ok(b)) = (
            u32::try_from(first),
            u32::try_from(held - usize::from(open.attrs)),
        ) else {
            self.waiting.truncate(open.first);
            return;
        };
        room(&mut self.nodes, held);
        self.nodes.extend(self.waiting.drain(open.first..));
        self.waiting.push(Slot {
            a,
            b,
            tag: open.tag,
            n: open.attrs,
        });
    }

    fn finish(mut self) -> Tree {
        while !self.stack.is_empty() {
            self.pop();
        }
        let mut tree = Tree {
            top: self.waiting,
            nodes: self.nodes,
            text: self.text,
            players: self.players,
        };
        tree.top.shrink_to_fit();
        tree.nodes.shrink_to_fit();
        tree.text.shrink_to_fit();
        tree
    }

    /// HTML's implied end tags, the few that matter for articles.
    fn close_implied(&mut self, starting: TagName<'_>) {
        let closes_p = starting.closes_p();
        let starting = starting.as_str();
        let closes = |open: &str| -> bool {
            match open {
                "p" => closes_p,
                "li" => starting == "li",
                "dt" | "dd" => matches!(starting, "dt" | "dd"),
                "td" | "th" => matches!(starting, "td" | "th" | "tr"),
                "tr" => starting == "tr",
                _ => false,
            }
        };
        // Only look as far as the nearest container the new element could belong to.
        while let Some(top) = self.stack.last() {
            let name = match top.name {
                Some(_) => "",
                None => html::KNOWN.get(top.tag as usize).copied().unwrap_or(""),
            };
            if closes(name) {
                self.pop();
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(nodes: Nodes<'_>) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) => format!("{t:?}"),
                Node::Element(e) => format!("{}[{}]", e.name(), names(e.children())),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn parsed(html: &str) -> String {
        names(parse(html).top())
    }

    #[test]
    fn a_node_is_twelve_bytes() {
        assert_eq!(std::mem::size_of::<Slot>(), 12);
    }

    #[test]
    fn a_known_name_knows_its_lists_and_another_is_in_none() {
        for name in html::KNOWN {
            let Tag::Known(i) = Tag::of(name.as_bytes()) else {
                panic!("{name}")
            };
            let tag = TagName {
                name,
                kind: KINDS[i as usize],
            };
            assert_eq!(tag.is_not_text(), NOT_TEXT.contains(name), "{name}");
            assert_eq!(tag.is_void(), VOID.contains(name), "{name}");
            assert_eq!(tag.closes_p(), CLOSES_P.contains(name), "{name}");
            assert_eq!(tag.is_block(), html::BLOCK.contains(name), "{name}");
        }
        let other = Tag::of(b"ok\xff");
        assert_eq!(other.name(), "ok\u{fffd}");
        let kind = other.kind();
        assert!(!kind.is_not_text() && !kind.is_void() && !kind.closes_p() && !kind.is_block());
        assert_eq!(
            parsed("<ok\u{e9} class=x>a</ok\u{e9}>b"),
            "ok\u{e9}[\"a\"],\"b\""
        );
    }

    #[test]
    fn kept_attributes_are_found_in_any_case_and_no_others() {
        for (i, name) in KEPT_ATTRS.iter().enumerate() {
            assert_eq!(kept_attr(name), Some(i), "{name}");
            assert_eq!(kept_attr(&name.to_ascii_uppercase()), Some(i), "{name}");
            assert_eq!(kept_attr(&format!("{name}x")), None, "{name}");
            assert_eq!(kept_attr(&name[1..]), None, "{name}");
        }
        for name in [
            "",
            "style",
            "id",
            "data-src",
            "datetimes",
            "hr\u{e9}f",
            "HREF\u{17f}",
        ] {
            assert_eq!(kept_attr(name), None, "{name}");
        }
    }

    #[test]
    fn implied_ends_and_stray_tags() {
        assert_eq!(
            parsed("<p>a<p>b<div>c</div></ok>"),
            "p[\"a\"],p[\"b\"],div[\"c\"]"
        );
        assert_eq!(parsed("<ul><li>1<li>2</ul>"), "ul[li[\"1\"],li[\"2\"]]");
        assert_eq!(
            parsed("<x-a><p>1</x-b>2</x-a>3"),
            "x-a[p[\"1\",\"2\"]],\"3\""
        );
    }

    #[test]
    fn active_content_is_dropped_and_entities_decoded() {
        assert_eq!(
            parsed("<p>x&amp;y<script>evil()</script><style>p{}</style></p>"),
            "p[\"x&y\"]"
        );
        let tree = parse("<img src=\"a.jpg?x=1&amp;y=2\" alt=\"A\" class=c SRC=b>");
        let Some(Node::Element(img)) = tree.top().get(0) else {
            panic!()
        };
        assert_eq!(img.attr("src"), Some("a.jpg?x=1&y=2"));
        assert_eq!(
            img.attrs().collect::<Vec<_>>(),
            [
                ("src", "a.jpg?x=1&y=2"),
                ("alt", "A"),
                ("class", "c"),
                ("src", "b")
            ]
        );
    }

    #[test]
    fn every_void_element_of_the_rewriter_is_void_here() {
        // A void element the tree took for a container would hide the rest of the article
        // in the dropped object around it.
        assert_eq!(
            parsed("<p>a</p><object><param name=\"x\"><embed></object><p>b</p><keygen><p>c</p>"),
            "p[\"a\"],p[\"b\"],keygen[],p[\"c\"]"
        );
    }

    #[test]
    fn very_deep_nesting_is_flattened_not_lost() {
        let deep = format!(
            "{}<p>bottom</p>{}",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        );
        let tree = parse(&deep);
        fn depth(nodes: Nodes<'_>) -> usize {
            nodes
                .iter()
                .map(|n| match n {
                    Node::Element(e) => 1 + depth(e.children()),
                    Node::Text(_) => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(tree.top()) <= MAX_DEPTH);
        assert!(crate::emit::blocks::text_content(tree.top()).contains("bottom"));
    }

    #[test]
    fn text_split_across_chunks_and_entities_is_whole() {
        let long = format!("<p>{}&amp;{}</p>", "字".repeat(3000), "z".repeat(3000));
        let tree = parse(&long);
        let Some(Node::Element(p)) = tree.top().get(0) else {
            panic!()
        };
        assert_eq!(p.children().len(), 1);
    }

    #[test]
    fn nodes_are_taken_out_and_texts_changed_in_place() {
        let mut tree = parse("<p>a<b>b</b>c<i>d</i>e</p><p>f</p>");
        let p = tree.children_of(List::Top, 0);
        tree.retain(p, 1..4, &[false, true, false]);
        assert_eq!(names(tree.top()), "p[\"a\",\"c\",\"e\"],p[\"f\"]");
        tree.set_text(p, 1, "C!");
        tree.remove(List::Top, 1..2);
        assert_eq!(names(tree.top()), "p[\"a\",\"C!\",\"e\"]");
        tree.prepend_heading("T", Some("https://x/"));
        tree.prepend_heading("U", None);
        assert_eq!(
            names(tree.top()),
            "h1[\"U\"],h1[a[\"T\"]],p[\"a\",\"C!\",\"e\"]"
        );
        let Some(Node::Element(h1)) = tree.top().get(1) else {
            panic!()
        };
        let Some(Node::Element(a)) = h1.children().get(0) else {
            panic!()
        };
        assert_eq!(a.attr("href"), Some("https://x/"));
    }
}
