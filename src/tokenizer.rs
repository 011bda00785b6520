//! A small HTML tokenizer with lol_html's rules for what opens and ends an element, for
//! the stages that follow the rewriter's output (`rewrite::empty`) and read the cleaned
//! document (`emit::tree`). It knows tags and their attributes, comments and other markup,
//! and the elements whose content is text only; it decodes nothing.
//!
//! A tag's end is found with the HTML tokenizer's attribute states, so a `>` inside a
//! quoted value does not end it.

use std::ops::Range;

/// A tag name, lowercase. Held inline: almost every name is short, and a tokenizer that
/// allocates one per tag spends as much on that as on reading the tag.
pub type Name = smallvec::SmallVec<[u8; 16]>;

/// An attribute's name and value, and where its source ends (after a closing quote):
/// `name.start..raw_end` is the attribute as written, as lol_html writes it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub name: Range<usize>,
    pub value: Range<usize>,
    pub raw_end: usize,
}

/// One piece of markup.
#[derive(Debug, PartialEq)]
pub enum Token {
    Start {
        name: Name,
        self_closing: bool,
        /// Each attribute, as offsets into the token, when asked for.
        attrs: Vec<Attr>,
    },
    End {
        name: Name,
    },
    /// A comment, doctype or other markup that opens and closes nothing.
    Other,
    /// A `<` that starts no markup (`a < b`): text.
    Lt,
}

pub enum EndTag {
    /// The end tag starts here.
    At(usize),
    /// Not in these bytes; one may start at this offset when more come.
    Maybe(usize),
    None,
}

/// Where `</name` followed by a delimiter starts in `data`.
pub fn find_end_tag(data: &[u8], name: &[u8]) -> EndTag {
    if name == b"plaintext" {
        return EndTag::None;
    }
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&data[from..], b"</") {
        let at = from + k;
        let after = &data[at + 2..];
        if after.len() <= name.len() {
            return EndTag::Maybe(at);
        }
        if after[..name.len()].eq_ignore_ascii_case(name)
            && matches!(
                after[name.len()],
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>'
            )
        {
            return EndTag::At(at);
        }
        from = at + 2;
    }
    // A `<` at the very end may begin `</`.
    if data.last() == Some(&b'<') {
        EndTag::Maybe(data.len() - 1)
    } else {
        EndTag::None
    }
}

pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// The markup token `s` starts with (`s[0]` is `<`) and its length; None if it does not
/// end within `s`.
pub fn tokenize(s: &[u8], attrs: bool) -> Option<(Token, usize)> {
    let &second = s.get(1)?;
    match second {
        b'!' => {
            if s.len() < 4 {
                return (!b"<!--".starts_with(s)).then(|| bogus(s)).flatten();
            }
            if &s[..4] == b"<!--" {
                return comment(s).map(|len| (Token::Other, len));
            }
            bogus(s)
        }
        b'?' => bogus(s),
        b'/' => match s.get(2) {
            None => None,
            Some(b'>') => Some((Token::Other, 3)),
            Some(b) if b.is_ascii_alphabetic() => {
                let t = tag(s, 2, false)?;
                Some((Token::End { name: t.name }, t.len))
            }
            Some(_) => bogus(s),
        },
        b if b.is_ascii_alphabetic() => {
            let t = tag(s, 1, attrs)?;
            let token = Token::Start {
                name: t.name,
                self_closing: t.self_closing,
                attrs: t.attrs,
            };
            Some((token, t.len))
        }
        _ => Some((Token::Lt, 1)),
    }
}

/// Markup up to the next `>`.
fn bogus(s: &[u8]) -> Option<(Token, usize)> {
    memchr::memchr(b'>', s).map(|k| (Token::Other, k + 1))
}

/// A comment's length, with the HTML tokenizer's abrupt endings (`<!-->`, `<!--->`, `--!>`).
fn comment(s: &[u8]) -> Option<usize> {
    if s[4..].starts_with(b">") {
        return Some(5);
    }
    if s[4..].starts_with(b"->") {
        return Some(6);
    }
    let mut from = 4;
    while let Some(k) = memchr::memchr(b'>', &s[from..]) {
        let at = from + k;
        let before = &s[4..at];
        if before.ends_with(b"--") || before.ends_with(b"--!") {
            return Some(at + 1);
        }
        from = at + 1;
    }
    None
}

/// A tag's parts, with offsets into the token.
struct Tag {
    name: Name,
    self_closing: bool,
    len: usize,
    attrs: Vec<Attr>,
}

/// A tag from `s[start]` (its name's first letter); attributes are collected if `attrs`.
fn tag(s: &[u8], start: usize, attrs: bool) -> Option<Tag> {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Name,
        BeforeAttr,
        Attr,
        AfterAttr,
        BeforeValue,
        Unquoted,
        AfterQuoted,
        SelfClosing,
    }
    let mut state = St::Name;
    let mut name_end = s.len();
    let mut out = Attrs {
        on: attrs,
        found: Vec::new(),
        pending: None,
    };
    // The name at once, up to the byte that ends it (read below, as the name's state does).
    let mut i = start
        + s[start..]
            .iter()
            .position(|&b| is_space(b) || b == b'/' || b == b'>')
            .unwrap_or(s.len() - start);
    while i < s.len() {
        let b = s[i];
        state = match (state, b) {
            (St::Name, b) if is_space(b) => {
                name_end = i;
                St::BeforeAttr
            }
            (St::Name, b'/') => {
                name_end = i;
                St::SelfClosing
            }
            (St::Name, b'>') => {
                name_end = i;
                break;
            }
            (St::Name, _) => St::Name,
            (St::BeforeAttr | St::AfterAttr, b) if is_space(b) => state,
            (St::BeforeAttr | St::Attr | St::AfterAttr | St::AfterQuoted, b'/') => {
                out.flush();
                St::SelfClosing
            }
            (_, b'>') => {
                out.flush();
                break;
            }
            (St::Attr | St::AfterAttr, b'=') => St::BeforeValue,
            (St::BeforeAttr | St::AfterAttr, _) => {
                out.flush();
                out.pending = Some(i..i + 1);
                St::Attr
            }
            (St::Attr, b) if is_space(b) => St::AfterAttr,
            (St::Attr, _) => {
                out.extend_name(i);
                St::Attr
            }
            (St::BeforeValue, b) if is_space(b) => St::BeforeValue,
            (St::BeforeValue, q @ (b'"' | b'\'')) => {
                let close = memchr::memchr(q, &s[i + 1..])?;
                out.value(i + 1..i + 1 + close, i + 2 + close);
                i += close + 1;
                St::AfterQuoted
            }
            (St::BeforeValue, _) => {
                out.value(i..i + 1, i + 1);
                St::Unquoted
            }
            (St::Unquoted, b) if is_space(b) => St::BeforeAttr,
            (St::Unquoted, _) => {
                out.extend_value(i);
                St::Unquoted
            }
            (St::AfterQuoted, b) if is_space(b) => St::BeforeAttr,
            (St::AfterQuoted | St::SelfClosing, _) => {
                // Reconsumed as the start of the next attribute's name.
                state = St::BeforeAttr;
                continue;
            }
        };
        i += 1;
    }
    if i >= s.len() {
        return None;
    }
    Some(Tag {
        name: lower(&s[start..name_end]),
        self_closing: state == St::SelfClosing,
        len: i + 1,
        attrs: out.found,
    })
}

/// Attributes as a tag is read.
struct Attrs {
    on: bool,
    found: Vec<Attr>,
    /// The name of an attribute whose value has not come (or will not).
    pending: Option<Range<usize>>,
}

impl Attrs {
    fn flush(&mut self) {
        if let Some(name) = self.pending.take()
            && self.on
        {
            let raw_end = name.end;
            self.found.push(Attr {
                name,
                value: 0..0,
                raw_end,
            });
        }
    }

    fn extend_name(&mut self, i: usize) {
        if let Some(name) = &mut self.pending {
            name.end = i + 1;
        }
    }

    fn value(&mut self, value: Range<usize>, raw_end: usize) {
        if let Some(name) = self.pending.take()
            && self.on
        {
            self.found.push(Attr {
                name,
                value,
                raw_end,
            });
        }
    }

    fn extend_value(&mut self, i: usize) {
        if let Some(last) = self.found.last_mut() {
            last.value.end = i + 1;
            last.raw_end = i + 1;
        }
    }
}

fn lower(name: &[u8]) -> Name {
    // Copied whole and lowered in place: collected a byte at a time, it took a third of
    // reading a tag.
    let mut name = Name::from_slice(name);
    name.make_ascii_lowercase();
    name
}

/// The open elements, innermost last, as lol_html keeps them: an end tag ends the nearest
/// open element of its name and every one opened after it. That one is found by a search
/// from the top, which costs no more than the elements it then ends, except for an end
/// tag whose name is not open at all: on a deep stack (`<div>` × 100,000 followed by as
/// many `</x>`) each such tag would walk the whole stack. So past `COUNTED` open elements
/// a count per name says at once whether any is open.
#[derive(Debug, Default)]
pub struct OpenElements {
    names: Vec<Name>,
    counts: Option<std::collections::HashMap<Name, u32>>,
}

impl OpenElements {
    /// How deep the stack is before names are counted, and how shallow again before the
    /// counts go (apart, so that a stack at the border does not count and stop by turns).
    const COUNTED: usize = 64;
    const UNCOUNTED: usize = 32;

    /// How many elements are open.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// An element opens.
    pub fn push(&mut self, name: Name) {
        if let Some(counts) = &mut self.counts {
            *counts.entry(name.clone()).or_default() += 1;
        } else if self.names.len() >= Self::COUNTED {
            let mut counts = std::collections::HashMap::new();
            for n in self.names.iter().chain(std::iter::once(&name)) {
                *counts.entry(n.clone()).or_default() += 1;
            }
            self.counts = Some(counts);
        }
        self.names.push(name);
    }

    /// The innermost element ends.
    pub fn pop(&mut self) -> Option<Name> {
        let name = self.names.pop()?;
        if let Some(counts) = &mut self.counts {
            if let Some(n) = counts.get_mut(&name) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(&name);
                }
            }
            if self.names.len() < Self::UNCOUNTED {
                self.counts = None;
            }
        }
        Some(name)
    }

    /// Where the nearest open element named `name` is, if one is open.
    pub fn find(&self, name: &[u8]) -> Option<usize> {
        if self
            .counts
            .as_ref()
            .is_some_and(|counts| !counts.contains_key(name))
        {
            return None;
        }
        self.names.iter().rposition(|o| o.as_slice() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_elements_find_the_nearest_of_a_name_deep_or_shallow() {
        let name = |s: &str| Name::from_slice(s.as_bytes());
        let mut open = OpenElements::default();
        // Deep enough to count names, then back below the bound where counts go.
        for i in 0..200 {
            open.push(name(if i % 3 == 0 { "div" } else { "span" }));
        }
        open.push(name("p"));
        assert_eq!(open.find(b"p"), Some(200));
        assert_eq!(open.find(b"div"), Some(198));
        assert_eq!(open.find(b"li"), None);
        open.pop();
        assert_eq!(open.find(b"p"), None);
        while open.len() > 10 {
            open.pop();
        }
        assert_eq!(open.find(b"div"), Some(9));
        assert_eq!(open.find(b"span"), Some(8));
        open.push(name("li"));
        assert_eq!(open.find(b"li"), Some(10));
    }

    fn start(html: &str) -> (String, bool, Vec<(String, String)>, usize) {
        let Some((
            Token::Start {
                name,
                self_closing,
                attrs,
            },
            len,
        )) = tokenize(html.as_bytes(), true)
        else {
            panic!("not a start tag: {html}")
        };
        let attrs = attrs
            .into_iter()
            .map(|a| (html[a.name].to_string(), html[a.value].to_string()))
            .collect();
        (
            String::from_utf8(name.to_vec()).unwrap(),
            self_closing,
            attrs,
            len,
        )
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn attributes_as_the_html_tokenizer_reads_them() {
        let html = "<IMG src=\"a>b\" alt='x' data-x=1 hidden/>rest";
        assert_eq!(
            start(html),
            (
                "img".into(),
                true,
                pairs(&[
                    ("src", "a>b"),
                    ("alt", "x"),
                    ("data-x", "1"),
                    ("hidden", "")
                ]),
                html.len() - 4
            )
        );
        assert_eq!(
            start("<a href=x/y b = 'c'd=e>"),
            (
                "a".into(),
                false,
                pairs(&[("href", "x/y"), ("b", "c"), ("d", "e")]),
                23
            )
        );
        assert_eq!(start("<p =x>").2, pairs(&[("=x", "")]));
        assert_eq!(start("<a href=>").2, pairs(&[("href", "")]));
        // As written, closing quote included: what lol_html writes back.
        let html = "<a b = 'c' d e=f>";
        let Some((Token::Start { attrs, .. }, _)) = tokenize(html.as_bytes(), true) else {
            panic!()
        };
        let raw: Vec<&str> = attrs
            .iter()
            .map(|a| &html[a.name.start..a.raw_end])
            .collect();
        assert_eq!(raw, ["b = 'c'", "d", "e=f"]);
    }

    #[test]
    fn other_markup_and_text() {
        let t = |s: &str| tokenize(s.as_bytes(), false);
        assert_eq!(t("<!-- a > b -->x"), Some((Token::Other, 14)));
        assert_eq!(t("<!-->x"), Some((Token::Other, 5)));
        assert_eq!(t("<!DOCTYPE html>"), Some((Token::Other, 15)));
        assert_eq!(
            t("</div >"),
            Some((
                Token::End {
                    name: Name::from_slice(b"div")
                },
                7
            ))
        );
        assert_eq!(t("< b"), Some((Token::Lt, 1)));
        assert_eq!(t("<div class='x"), None);
        assert_eq!(t("<"), None);
    }
}
