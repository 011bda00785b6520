//! A small document tree of the cleaned article, built from its tokens with the
//! implied end tags lol_html leaves out (`<p>` closed by a block, `<li>` by the next `<li>`).
//! Scripts, styles and other active content never enter it.

use std::borrow::Cow;

use crate::html::{self, CLOSES_P, NOT_TEXT, VOID};
use crate::tokenizer::{EndTag, Name, OpenElements, Token as Markup, find_end_tag, tokenize};

/// A node of the article tree. An element is boxed: a node is three words, the size of its
/// text, so the lists of children an article is made of stay small.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Box<Element_>),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element_ {
    pub name: TagName,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A tag name, lowercase: one of the names articles are made of, held without an
/// allocation (a tree has an element for every tag of the article), or any other. A known
/// name carries what the parse and the walkers ask of it (not text, void, ends a `<p>`, a
/// block), looked up once instead of in a list at every question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagName {
    name: Cow<'static, str>,
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

impl TagName {
    pub fn new(name: &str) -> TagName {
        TagName::from_bytes(name.as_bytes())
    }

    /// A name as the tokenizer reads it (lowercase bytes; a name that is not UTF-8 is no
    /// known name, and is kept with U+FFFD for its invalid bytes).
    fn from_bytes(name: &[u8]) -> TagName {
        match html::KNOWN.binary_search_by(|known| known.as_bytes().cmp(name)) {
            Ok(i) => TagName {
                name: Cow::Borrowed(html::KNOWN[i]),
                kind: KINDS[i],
            },
            Err(_) => TagName {
                name: Cow::Owned(String::from_utf8_lossy(name).into_owned()),
                kind: 0,
            },
        }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Never article text (`html::NOT_TEXT`).
    pub fn is_not_text(&self) -> bool {
        self.kind & NOT_TEXT_BIT != 0
    }

    /// No content and no end tag (`html::VOID`).
    pub fn is_void(&self) -> bool {
        self.kind & VOID_BIT != 0
    }

    /// Its start ends an open `<p>` (`html::CLOSES_P`).
    fn closes_p(&self) -> bool {
        self.kind & CLOSES_P_BIT != 0
    }

    /// A block of the rendered text (`html::BLOCK`).
    pub fn is_block(&self) -> bool {
        self.kind & BLOCK_BIT != 0
    }
}

impl PartialEq<&str> for TagName {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

impl std::fmt::Display for TagName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// The attributes the renderers and the metadata read; the parse keeps no others (class
/// lists, styles and `data-` attributes are most of a page's attributes, and each kept
/// one is two strings). `Element_::attr` checks, in debug builds, that it is asked for
/// one of these.
pub const KEPT_ATTRS: &[&str] = &[
    "alt", "cite", "class", "colspan", "datetime", "height", "href", "rel", "rowspan", "src",
    "start", "title", "value", "width",
];

impl Element_ {
    pub fn attr(&self, name: &str) -> Option<&str> {
        debug_assert!(
            KEPT_ATTRS.contains(&name),
            "`{name}` is not among the attributes tree::parse keeps"
        );
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Deeper elements are flattened into their ancestor at this depth: the tree's walkers
/// recurse, and no article nests anywhere near this deep.
const MAX_DEPTH: usize = 256;

/// Parses an HTML fragment into a tree. Elements open and end as lol_html has them (see
/// `tokenizer`); the tree adds the implied end tags as it is built, token by token (no
/// list of the document's tokens is held).
pub fn parse(html: &str) -> Vec<Node> {
    let mut tree = Builder::default();
    // Open elements as lol_html counts them: an end tag only ends one of these.
    let mut open = OpenElements::default();
    let mut text_only: Option<Name> = None;
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut pos = 0;
    let flush = |tree: &mut Builder, from: usize, to: usize| {
        if to > from {
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
                let tag = TagName::from_bytes(&name);
                if !self_closing && !tag.is_void() {
                    open.push(name.clone());
                }
                if html::has(html::RAW_TEXT, &name) {
                    text_only = Some(name);
                }
                tree.start(tag, || {
                    // Room for every attribute of the tag, most often just what is kept
                    // (no room to spare for a tree held until the article is written).
                    let mut kept = Vec::with_capacity(attrs.len());
                    kept.extend(attrs.into_iter().filter_map(|a| {
                        let name = &raw[a.name];
                        let kept = KEPT_ATTRS.iter().find(|k| k.eq_ignore_ascii_case(name))?;
                        Some((kept.to_string(), decode(&raw[a.value])))
                    }));
                    kept
                });
            }
            Markup::End { name } => {
                flush(&mut tree, text_start, pos);
                if let Some(at) = open.find(&name) {
                    while open.len() > at {
                        open.pop();
                    }
                    tree.end(&TagName::from_bytes(&name));
                }
            }
        }
        pos += len;
        text_start = pos;
    }
    flush(&mut tree, text_start, bytes.len());
    tree.finish()
}

fn decode(raw: &str) -> String {
    crate::text::decode_entities(raw).into_owned()
}

/// Builds the tree from its tokens in order, closing what HTML closes implicitly and
/// ignoring stray end tags. The children of the open elements wait in one list, and each
/// element gets its own, of their number, when it ends: the tree holds no spare room.
struct Builder {
    /// The open elements (the root first), each with where its children begin in `waiting`.
    stack: Vec<(Element_, usize)>,
    waiting: Vec<Node>,
    /// How many elements that are never text (and their insides) are open.
    dropping: usize,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            stack: vec![(
                Element_ {
                    name: TagName::new("#root"),
                    attrs: Vec::new(),
                    children: Vec::new(),
                },
                0,
            )],
            waiting: Vec::new(),
            dropping: 0,
        }
    }
}

impl Builder {
    /// A start tag; `attrs` are read only for an element the tree keeps.
    fn start(&mut self, name: TagName, attrs: impl FnOnce() -> Vec<(String, String)>) {
        if self.dropping > 0 || name.is_not_text() {
            if !name.is_void() {
                self.dropping += 1;
            }
            return;
        }
        self.close_implied(&name);
        let void = name.is_void();
        if !void && self.stack.len() >= MAX_DEPTH {
            return;
        }
        let el = Element_ {
            name,
            attrs: attrs(),
            children: Vec::new(),
        };
        if void {
            self.waiting.push(Node::Element(Box::new(el)));
        } else {
            self.stack.push((el, self.waiting.len()));
        }
    }

    fn end(&mut self, name: &TagName) {
        if self.dropping > 0 {
            self.dropping -= 1;
            return;
        }
        if let Some(at) = self.stack.iter().rposition(|(e, _)| e.name == *name)
            && at > 0
        {
            while self.stack.len() > at {
                self.pop();
            }
        }
    }

    fn text(&mut self, raw: &str) {
        if self.dropping == 0 {
            self.waiting.push(Node::Text(decode(raw)));
        }
    }

    /// Ends the innermost open element (not the root).
    fn pop(&mut self) {
        if self.stack.len() > 1
            && let Some((mut el, first)) = self.stack.pop()
        {
            el.children = self.waiting.drain(first..).collect();
            self.waiting.push(Node::Element(Box::new(el)));
        }
    }

    fn finish(mut self) -> Vec<Node> {
        while self.stack.len() > 1 {
            self.pop();
        }
        self.waiting.drain(..).collect()
    }

    /// HTML's implied end tags, the few that matter for articles.
    fn close_implied(&mut self, starting: &TagName) {
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
        while self.stack.len() > 1 {
            let top = self
                .stack
                .last()
                .map(|(e, _)| e.name.as_str())
                .unwrap_or("");
            if closes(top) {
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

    fn names(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) => format!("{t:?}"),
                Node::Element(e) => format!("{}[{}]", e.name, names(&e.children)),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn known_tag_names_are_held_without_an_allocation() {
        assert!(matches!(TagName::new("div").name, Cow::Borrowed(_)));
        assert_eq!(TagName::new("ok"), "ok");
    }

    #[test]
    fn a_known_name_knows_its_lists_and_another_is_in_none() {
        for name in html::KNOWN {
            let tag = TagName::new(name);
            assert_eq!(tag.is_not_text(), NOT_TEXT.contains(name), "{name}");
            assert_eq!(tag.is_void(), VOID.contains(name), "{name}");
            assert_eq!(tag.closes_p(), CLOSES_P.contains(name), "{name}");
            assert_eq!(tag.is_block(), html::BLOCK.contains(name), "{name}");
        }
        let other = TagName::from_bytes(b"ok\xff");
        assert_eq!(other, "ok\u{fffd}");
        assert!(!other.is_not_text() && !other.is_void() && !other.closes_p() && !other.is_block());
    }

    #[test]
    fn implied_ends_and_stray_tags() {
        assert_eq!(
            names(&parse("<p>a<p>b<div>c</div></ok>")),
            "p[\"a\"],p[\"b\"],div[\"c\"]"
        );
        assert_eq!(
            names(&parse("<ul><li>1<li>2</ul>")),
            "ul[li[\"1\"],li[\"2\"]]"
        );
    }

    #[test]
    fn active_content_is_dropped_and_entities_decoded() {
        assert_eq!(
            names(&parse(
                "<p>x&amp;y<script>evil()</script><style>p{}</style></p>"
            )),
            "p[\"x&y\"]"
        );
        let tree = parse("<img src=\"a.jpg?x=1&amp;y=2\" alt=\"A\">");
        let Node::Element(img) = &tree[0] else {
            panic!()
        };
        assert_eq!(img.attr("src"), Some("a.jpg?x=1&y=2"));
    }

    #[test]
    fn every_void_element_of_the_rewriter_is_void_here() {
        // A void element the tree took for a container would hide the rest of the article
        // in the dropped object around it.
        assert_eq!(
            names(&parse(
                "<p>a</p><object><param name=\"x\"><embed></object><p>b</p><keygen><p>c</p>"
            )),
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
        fn depth(nodes: &[Node]) -> usize {
            nodes
                .iter()
                .map(|n| match n {
                    Node::Element(e) => 1 + depth(&e.children),
                    Node::Text(_) => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&tree) <= MAX_DEPTH);
        assert!(crate::emit::blocks::text_content(&tree).contains("bottom"));
    }

    #[test]
    fn text_split_across_chunks_and_entities_is_whole() {
        let long = format!("<p>{}&amp;{}</p>", "字".repeat(3000), "z".repeat(3000));
        let tree = parse(&long);
        let Node::Element(p) = &tree[0] else { panic!() };
        assert_eq!(p.children.len(), 1);
    }
}
