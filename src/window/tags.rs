//! The elements open at a point of a document, as lol_html counts them (see `tokenizer`):
//! a start tag opens one unless it is void or self-closing, an end tag ends the nearest
//! open one of its name and every one opened after it, and no end tag is implied. A window
//! cut where elements are open carries their start tags, as written, into the next window.
//!
//! The tags are read with the crate's tokenizer, one token at a time; a token cut off by the
//! end of what has been read is tried again only once the bytes from it have doubled, so a
//! tag or comment that runs on for megabytes is read a bounded number of times over.

use crate::html;
use crate::tokenizer::{EndTag, Name, Token, find_end_tag, tokenize};

/// How many open elements are named; deeper ones are only counted, and no cut falls
/// inside one of them (no page's article nests anywhere near this deep).
pub const MAX_DEPTH: usize = 256;

/// Elements no window may end inside: what they hold is not a run of blocks (preformatted
/// text, drawings, formulas, templates).
const NO_CUT_INSIDE: &[&str] = &["pre", "svg", "math", "template"];

/// One open element.
#[derive(Debug)]
struct Open {
    name: Name,
    /// Its start tag as written, unless keeping it would go past the budget.
    tag: Option<Box<str>>,
}

/// The open elements.
#[derive(Debug)]
pub struct Stack {
    open: Vec<Open>,
    /// Elements open past [`MAX_DEPTH`], counted but not named.
    deeper: usize,
    /// Open elements whose start tags were not kept.
    untagged: usize,
    /// Open elements of [`NO_CUT_INSIDE`].
    no_cut: usize,
    /// Bytes of start tags kept, and the most that may be.
    tag_bytes: usize,
    budget: usize,
}

impl Stack {
    /// An empty stack keeping at most `budget` bytes of start tags (0: none).
    pub fn new(budget: usize) -> Self {
        Stack {
            open: Vec::new(),
            deeper: 0,
            untagged: 0,
            no_cut: 0,
            tag_bytes: 0,
            budget,
        }
    }

    /// No element is open.
    pub fn is_empty(&self) -> bool {
        self.open.is_empty() && self.deeper == 0
    }

    /// A window may end here: every open element is named, its start tag kept, and none is
    /// one no cut may fall inside.
    pub fn cuttable(&self) -> bool {
        self.deeper == 0 && self.untagged == 0 && self.no_cut == 0
    }

    /// An element opens with the start tag `raw`.
    fn start(&mut self, name: Name, raw: &[u8]) {
        if self.open.len() >= MAX_DEPTH {
            self.deeper += 1;
            return;
        }
        let tag = (self.tag_bytes + raw.len() <= self.budget)
            .then(|| String::from_utf8_lossy(raw).into_owned().into_boxed_str());
        match &tag {
            Some(t) => self.tag_bytes += t.len(),
            None => self.untagged += 1,
        }
        if html::has(NO_CUT_INSIDE, &name) {
            self.no_cut += 1;
        }
        self.open.push(Open { name, tag });
    }

    /// The end tag of `name`. Past [`MAX_DEPTH`] it ends the innermost element, whatever
    /// its name: those are not known (the cut that needs them cannot fall there anyway).
    fn end(&mut self, name: &[u8]) {
        if self.deeper > 0 {
            self.deeper -= 1;
            return;
        }
        let Some(at) = self.open.iter().rposition(|o| o.name.as_slice() == name) else {
            return;
        };
        for o in self.open.drain(at..) {
            match &o.tag {
                Some(t) => self.tag_bytes -= t.len(),
                None => self.untagged -= 1,
            }
            if html::has(NO_CUT_INSIDE, &o.name) {
                self.no_cut -= 1;
            }
        }
    }

    /// The end tags that close the open elements, innermost first, and their start tags,
    /// outermost first.
    pub fn carried(&self) -> (String, String) {
        let mut ends = String::new();
        let mut starts = String::new();
        for o in self.open.iter().rev() {
            ends.push_str("</");
            ends.push_str(&String::from_utf8_lossy(&o.name));
            ends.push('>');
        }
        for o in &self.open {
            starts.push_str(o.tag.as_deref().unwrap_or_default());
        }
        (ends, starts)
    }
}

/// What [`Reader::step`] read.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Text (or markup that opens and ends nothing) of this many bytes.
    Text(usize),
    /// An end tag of this many bytes, of an element a window may end after.
    BlockEnd(usize),
    /// Any other tag, of this many bytes.
    Tag(usize),
    /// The bytes end inside a token: more are needed.
    More,
}

/// Reads markup token by token and keeps the open elements.
#[derive(Debug)]
pub struct Reader {
    /// The open elements.
    pub stack: Stack,
    /// Inside an element whose content is text up to its own end tag.
    text_only: Option<Name>,
    /// A token cut off at the end of `data` is tried again once `data` is this long.
    retry_at: usize,
}

impl Reader {
    /// A reader keeping at most `budget` bytes of start tags.
    pub fn new(budget: usize) -> Self {
        Reader {
            stack: Stack::new(budget),
            text_only: None,
            retry_at: 0,
        }
    }

    /// Inside a text-only element (`<script>`, `<style>`, …).
    pub fn in_text_only(&self) -> bool {
        self.text_only.is_some()
    }

    /// A token cut off where its bytes ended is dropped (the end of a document, or of an
    /// HTML block of Markdown).
    pub fn drop_partial(&mut self) {
        self.retry_at = 0;
    }

    /// Reads the token or run of text at the start of `data` (not empty); `eof`: no bytes
    /// follow `data`; `now`: no more will come before the answer counts, so a token cut off
    /// is tried again whatever its length.
    pub fn step(&mut self, data: &[u8], eof: bool, now: bool) -> Step {
        if let Some(name) = &self.text_only {
            return match find_end_tag(data, name) {
                EndTag::At(0) => {
                    self.text_only = None;
                    self.step(data, eof, now)
                }
                EndTag::At(k) => {
                    self.text_only = None;
                    Step::Text(k)
                }
                EndTag::Maybe(k) if !eof => {
                    if k == 0 {
                        Step::More
                    } else {
                        Step::Text(k)
                    }
                }
                _ => Step::Text(data.len()),
            };
        }
        if data[0] != b'<' {
            let len = memchr::memchr(b'<', data).unwrap_or(data.len());
            return Step::Text(len);
        }
        if !eof && !now && data.len() < self.retry_at {
            return Step::More;
        }
        let Some((token, len)) = tokenize(data, false) else {
            if eof {
                self.retry_at = 0;
                return Step::Text(data.len());
            }
            self.retry_at = data.len().saturating_mul(2).max(data.len() + 1);
            return Step::More;
        };
        self.retry_at = 0;
        match token {
            Token::Start {
                name, self_closing, ..
            } => {
                if html::has(html::RAW_TEXT, &name) {
                    self.text_only = Some(name.clone());
                }
                if !self_closing && !html::has(html::VOID, &name) {
                    self.stack.start(name, &data[..len]);
                }
                Step::Tag(len)
            }
            Token::End { name } => {
                self.stack.end(&name);
                // A window may end after an element the renderers write as a block of its
                // own: no rendered block is split by the cut.
                if html::has(html::BLOCK, &name) {
                    Step::BlockEnd(len)
                } else {
                    Step::Tag(len)
                }
            }
            Token::Other | Token::Lt => Step::Text(len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every step over `html`, fed whole.
    fn steps(reader: &mut Reader, html: &str) -> Vec<Step> {
        let mut pos = 0;
        let mut out = Vec::new();
        while pos < html.len() {
            let step = reader.step(&html.as_bytes()[pos..], true, false);
            pos += match step {
                Step::Text(n) | Step::BlockEnd(n) | Step::Tag(n) => n,
                Step::More => unreachable!(),
            };
            out.push(step);
        }
        out
    }

    #[test]
    fn open_elements_are_carried_as_written() {
        let mut reader = Reader::new(1000);
        let html = "<html><body class=x><div id='a b'><p>One</p><br><img/><span>x</span><script>a</p></script>";
        steps(&mut reader, html);
        assert_eq!(
            reader.stack.carried(),
            (
                "</div></body></html>".to_string(),
                "<html><body class=x><div id='a b'>".to_string()
            )
        );
        assert!(reader.stack.cuttable());
        steps(&mut reader, "<pre>");
        assert!(!reader.stack.cuttable());
        steps(&mut reader, "</body>");
        assert_eq!(reader.stack.carried().0, "</html>");
        assert!(reader.stack.cuttable());
    }

    #[test]
    fn a_tag_cut_off_is_read_again_only_when_its_bytes_double() {
        let mut reader = Reader::new(0);
        assert_eq!(reader.step(b"<div class='", false, false), Step::More);
        assert_eq!(reader.step(b"<div class='ab'>", false, false), Step::More);
        assert_eq!(reader.step(b"<div class='ab'>", false, true), Step::Tag(16));
        assert_eq!(reader.step(b"<div class='", false, false), Step::More);
        assert_eq!(reader.step(b"<div class='abc'>x", false, false), Step::More);
        assert_eq!(
            reader.step(b"<div class='abcdefghij'>x", false, false),
            Step::Tag(24)
        );
    }

    #[test]
    fn past_the_depth_elements_are_counted_and_no_cut_falls_inside() {
        let mut reader = Reader::new(usize::MAX);
        let deep = "<div>".repeat(MAX_DEPTH + 10);
        steps(&mut reader, &deep);
        assert!(!reader.stack.cuttable());
        steps(&mut reader, &"</div>".repeat(10));
        assert!(reader.stack.cuttable());
        steps(&mut reader, &"</div>".repeat(MAX_DEPTH));
        assert!(reader.stack.is_empty());
    }

    #[test]
    fn tags_past_the_budget_are_not_kept_and_no_cut_falls_inside() {
        let mut reader = Reader::new(10);
        steps(&mut reader, "<div><section class=long>");
        assert!(!reader.stack.cuttable());
        steps(&mut reader, "</section>");
        assert!(reader.stack.cuttable());
        assert_eq!(reader.stack.carried().1, "<div>");
    }
}
