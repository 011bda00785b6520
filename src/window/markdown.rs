//! Where a Markdown window may end: at the start of a line that follows a blank line and
//! is not indented (an indented one may continue a list item or be indented code), outside
//! the front matter, a fenced code block and an HTML block that a blank line does not end
//! (CommonMark's kinds 1–5: `<script>`, `<pre>`, `<style>`, `<textarea>`, comments,
//! processing instructions, declarations, CDATA), and where no element opened in an HTML
//! block is still open: the Markdown stage reads a document's HTML blocks as one stream,
//! in which an element may span blocks.
//!
//! The reading is CommonMark's line by line, without its containers: a fence is known after
//! a list marker too, and ends with its list item at a line indented less than the item's
//! content; HTML blocks are known at the top level only.

use super::tags::{Reader, Step};

/// What the lines being read are inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing: the top level.
    Top,
    /// The front matter, from a first line `---`.
    FrontMatter,
    /// A fenced code block: its character and length, the most a closing fence may be
    /// indented, and the indent below which a line ends the list item it is in.
    Fence {
        ch: u8,
        len: usize,
        close_indent: usize,
        container: usize,
    },
    /// An HTML block that ends at a line holding its end.
    Html(HtmlEnd),
    /// An HTML block that ends at a blank line (kinds 6 and 7).
    HtmlToBlank,
}

/// What ends an HTML block of kinds 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HtmlEnd {
    /// The end tag [`TEXT_ONLY`] lists at this index.
    EndTag(usize),
    Comment,
    Instruction,
    Declaration,
    Cdata,
}

/// Reads Markdown line by line.
#[derive(Debug)]
pub struct Cutter {
    /// Where the next line starts in the window's bytes.
    pos: usize,
    /// The 1-based line that starts at `pos`.
    line: usize,
    /// The line where the block being read began.
    block_line: usize,
    /// The line before was a blank line at the top level.
    after_blank: bool,
    /// The window holds a line that is not blank.
    content: bool,
    /// The line at `pos` has been looked at as a possible cut.
    begun: bool,
    /// How far the line at `pos` has been searched.
    searched: usize,
    state: State,
    /// The line before was a paragraph's (an HTML block of kind 7 cannot interrupt one).
    in_paragraph: bool,
    /// The indent of the content of the list item being read, if one is: a line indented
    /// as far is the item's, not indented code (a paragraph there is a paragraph).
    item_indent: Option<usize>,
    /// The elements open in the HTML blocks, and where in the current block reading
    /// them goes on.
    reader: Reader,
    html_from: usize,
}

impl Default for Cutter {
    fn default() -> Self {
        Cutter {
            pos: 0,
            line: 1,
            block_line: 1,
            after_blank: false,
            content: false,
            begun: false,
            searched: 0,
            state: State::Top,
            in_paragraph: false,
            item_indent: None,
            reader: Reader::new(0),
            html_from: 0,
        }
    }
}

impl Cutter {
    /// See `Cutter::scan` in the parent module.
    pub fn scan(&mut self, buf: &[u8], min: usize, eof: bool) -> Option<usize> {
        while self.pos < buf.len() {
            let rest = &buf[self.pos..];
            if !self.begun {
                // Whether a line may start a window is known by its first byte past its
                // indent (a line is blank or indented only if that is not its first).
                let from = self.searched.max(self.pos) - self.pos;
                let Some(first) = rest[from..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t'))
                    .map(|k| from + k)
                else {
                    self.searched = buf.len();
                    if !eof {
                        return None;
                    }
                    break;
                };
                let blank = matches!(rest[first], b'\r' | b'\n');
                if !blank && first == 0 && self.may_cut() {
                    if self.pos >= min {
                        return Some(self.pos);
                    }
                    self.block_line = self.line;
                }
                self.begun = true;
            }
            // Searched once: a long line comes in many reads.
            let from = self.searched.max(self.pos) - self.pos;
            let len = match memchr::memchr(b'\n', &rest[from..]) {
                Some(k) => from + k + 1,
                None if eof => rest.len(),
                None => {
                    self.searched = buf.len();
                    return None;
                }
            };
            self.read_line(buf, self.pos..self.pos + len);
            self.begun = false;
            self.pos += len;
            self.line += 1;
        }
        None
    }

    /// Whether a window may end before a line that is neither blank nor indented: one
    /// follows a blank line at the top level, outside every block that a blank line does
    /// not end, with no element open in the HTML blocks, after something not blank.
    fn may_cut(&self) -> bool {
        self.after_blank
            && self.state == State::Top
            && self.content
            && self.reader.stack.is_empty()
            && !self.reader.in_text_only()
    }

    /// Reads the line at `range` of `buf`, ending at its newline or the input's end.
    fn read_line(&mut self, buf: &[u8], range: std::ops::Range<usize>) {
        let line = &buf[range.clone()];
        let (indent, at) = indentation(line);
        let blank = matches!(line.get(at), None | Some(b'\r' | b'\n'));
        let after_blank = self.after_blank;
        if !blank {
            self.after_blank = false;
            self.content = true;
        }
        if self.line == 1 && trimmed(line) == Some("---") && line.ends_with(b"\n") {
            self.state = State::FrontMatter;
            return;
        }
        match self.state {
            State::FrontMatter => {
                if matches!(trimmed(line), Some("---" | "...")) {
                    self.state = State::Top;
                }
                return;
            }
            State::Fence {
                ch,
                len,
                close_indent,
                container,
            } => {
                if blank {
                    return;
                }
                if indent >= container {
                    if indent <= close_indent
                        && let Some((c, n)) = fence(&line[at..])
                        && c == ch
                        && n >= len
                        && line[at + n..].iter().all(u8::is_ascii_whitespace)
                    {
                        self.state = State::Top;
                        self.in_paragraph = false;
                    }
                    return;
                }
                // The list item the fence was in has ended: the line is read afresh.
                self.state = State::Top;
            }
            State::Html(end) => {
                let last = ends_html(line, end);
                self.read_html(buf, range.end, last);
                if last {
                    self.end_html();
                }
                return;
            }
            State::HtmlToBlank => {
                if blank {
                    // A tag the block left unfinished is read as far as it goes.
                    self.read_html(buf, range.start, true);
                    self.end_html();
                    self.after_blank = true;
                } else {
                    self.read_html(buf, range.end, false);
                }
                return;
            }
            State::Top => {}
        }
        self.after_blank = blank;
        if blank {
            self.in_paragraph = false;
            return;
        }
        let in_paragraph = std::mem::replace(&mut self.in_paragraph, false);
        // A line indented less than a list item's content ends the item, but for a
        // paragraph's lazy continuation line.
        if self.item_indent.is_some_and(|c| indent < c) && (after_blank || !in_paragraph) {
            self.item_indent = None;
        }
        if indent >= 4 {
            // Indented code, or a paragraph's line: a list item's content is indented, and
            // four columns past it a line is the item's paragraph, not code.
            self.in_paragraph =
                in_paragraph || (self.item_indent).is_some_and(|c| indent >= c && indent - c < 4);
            return;
        }
        let text = &line[at..];
        if let Some(kind) = html_start(text, in_paragraph) {
            self.html_from = range.start;
            self.state = kind;
            self.read_line(buf, range);
            return;
        }
        let (content, inner) = match list_marker(text) {
            Some(k) => {
                let (more, inner) = indentation(&text[k..]);
                (indent + k + more, &text[k + inner..])
            }
            None => (0, text),
        };
        if content > 0 {
            self.item_indent = Some(content);
        }
        if let Some((ch, len)) = fence(inner)
            && (ch == b'~' || !inner[len..].contains(&b'`'))
        {
            let open_indent = if content == 0 { indent } else { content };
            self.state = State::Fence {
                ch,
                len,
                close_indent: open_indent + 3,
                container: content,
            };
            return;
        }
        // An HTML block in a list item is no paragraph (nor read: it is not at the top
        // level, where the Markdown stage sends HTML blocks to the rewriter).
        self.in_paragraph = opens_paragraph(text, inner, in_paragraph)
            && (content == 0 || html_start(inner, false).is_none());
    }

    /// Reads the HTML block's markup up to `end`; `last`: the block ends there.
    fn read_html(&mut self, buf: &[u8], end: usize, last: bool) {
        while self.html_from < end {
            match self.reader.step(&buf[self.html_from..end], false, last) {
                Step::More => return,
                Step::Text(n) | Step::Tag(n) | Step::BlockEnd(n) => self.html_from += n,
            }
        }
    }

    /// The HTML block has ended: a tag it left unfinished is dropped.
    fn end_html(&mut self) {
        self.state = State::Top;
        self.in_paragraph = false;
        self.reader.drop_partial();
    }

    /// See `Cutter::cut` in the parent module.
    pub fn cut(&mut self, at: usize) {
        self.pos -= at;
        self.searched = self.searched.saturating_sub(at);
        self.html_from = self.html_from.saturating_sub(at);
        self.block_line = self.line;
        self.content = false;
    }

    /// See `Cutter::block_line` in the parent module.
    pub fn block_line(&self) -> usize {
        self.block_line
    }
}

/// A line's indent in columns (a tab to the next multiple of 4) and where its first byte
/// past the indent is.
fn indentation(line: &[u8]) -> (usize, usize) {
    let mut cols = 0;
    for (i, &b) in line.iter().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, i),
        }
    }
    (cols, line.len())
}

/// Whether the line `text` (past its indent; `inner` past its list marker too) is a
/// paragraph's, which a line holding only a tag continues: not a heading, a rule, a setext
/// underline or an empty list item.
fn opens_paragraph(text: &[u8], inner: &[u8], in_paragraph: bool) -> bool {
    let marks = |t: &[u8]| -> (Option<u8>, usize, bool) {
        let mut chars = t.iter().take(256).filter(|b| !b.is_ascii_whitespace());
        let first = chars.next().copied();
        let (mut n, mut same) = (usize::from(first.is_some()), true);
        for &b in chars {
            n += 1;
            same &= Some(b) == first;
        }
        (first, n, same)
    };
    match marks(text) {
        (Some(b'-' | b'*' | b'_'), n, true) if n >= 3 => return false,
        (Some(b'-' | b'='), _, true) if in_paragraph => return false,
        _ => {}
    }
    !matches!(marks(inner).0, None | Some(b'#'))
}

/// A short line without its trailing whitespace.
fn trimmed(line: &[u8]) -> Option<&str> {
    if line.len() > 64 {
        return None;
    }
    std::str::from_utf8(line).ok().map(str::trim_end)
}

/// The fence `text` starts with: its character and length.
fn fence(text: &[u8]) -> Option<(u8, usize)> {
    let ch = *text.first().filter(|&&c| c == b'`' || c == b'~')?;
    let len = text.iter().take_while(|&&c| c == ch).count();
    (len >= 3).then_some((ch, len))
}

/// The length of the list marker `text` starts with and the space after it.
fn list_marker(text: &[u8]) -> Option<usize> {
    let digits = text
        .iter()
        .take(10)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let len = match text.first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits) && matches!(text.get(digits), Some(b'.' | b')')) => {
            digits + 1
        }
        _ => return None,
    };
    matches!(text.get(len), Some(b' ' | b'\t')).then_some(len)
}

/// The end tags of the elements whose HTML block (kind 1) ends at a line holding that end
/// tag, not at a blank line.
const TEXT_ONLY: &[&str] = &["</script>", "</pre>", "</style>", "</textarea>"];

/// The HTML block `text` (a line past its indent) starts, if it starts one.
fn html_start(text: &[u8], in_paragraph: bool) -> Option<State> {
    if text.first() != Some(&b'<') {
        return None;
    }
    let rest = &text[1..];
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"!--") {
        return Some(State::Html(HtmlEnd::Comment));
    }
    if starts(b"?") {
        return Some(State::Html(HtmlEnd::Instruction));
    }
    if rest.starts_with(b"![CDATA[") {
        return Some(State::Html(HtmlEnd::Cdata));
    }
    if starts(b"!") && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return Some(State::Html(HtmlEnd::Declaration));
    }
    let closing = rest.first() == Some(&b'/');
    let name_at = usize::from(closing);
    let name_len = rest[name_at..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
    let after = &rest[name_at + name_len..];
    let delimited = |slash: bool| match after.first() {
        None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'>') => true,
        Some(b'/') => slash && after.get(1) == Some(&b'>'),
        _ => false,
    };
    if !closing
        && delimited(false)
        && let Some(k) = TEXT_ONLY
            .iter()
            .position(|t| t.as_bytes()[2..t.len() - 1] == name)
    {
        return Some(State::Html(HtmlEnd::EndTag(k)));
    }
    if crate::html::has(crate::html::MARKDOWN_BLOCK, &name) && delimited(true) {
        return Some(State::HtmlToBlank);
    }
    // Kind 7: a whole tag alone on its line, which cannot interrupt a paragraph.
    if in_paragraph || name_len == 0 {
        return None;
    }
    let (_, len) = crate::tokenizer::tokenize(text, false)?;
    text[len..]
        .iter()
        .all(u8::is_ascii_whitespace)
        .then_some(State::HtmlToBlank)
}

/// Whether `line` holds the end of an HTML block of kinds 1–5.
fn ends_html(line: &[u8], end: HtmlEnd) -> bool {
    let has = |s: &[u8]| memchr::memmem::find(line, s).is_some();
    match end {
        // As pulldown-cmark has it: the start tag's own end tag, in lowercase.
        HtmlEnd::EndTag(k) => has(TEXT_ONLY[k].as_bytes()),
        HtmlEnd::Comment => has(b"-->"),
        HtmlEnd::Instruction => has(b"?>"),
        HtmlEnd::Declaration => has(b">"),
        HtmlEnd::Cdata => has(b"]]>"),
    }
}
