//! The rewriter's output sink: acts on the markers the handlers wrote (see `markers`).
//!
//! A marked element is held until its end marker comes, then dropped or kept as its rule
//! decides. An element whose end never comes (lol_html closes `<p>`, `<li>` and friends
//! only when their parent closes, and then runs no end handler) is kept whole, with a
//! warning: a removal never reaches past its own element. Held bytes are bounded.

use super::frame::Stack;
use crate::markers::{self, Markers, Op, Parsed};
use crate::pass::Pass;
use crate::report::{PREVIEW_WINDOW, Stats, Warning};
use std::io::Write;

/// Output bytes whose trailing whitespace run can be joined with what follows, so that
/// whitespace on both sides of a removed element becomes one and no blank line is left
/// where it stood. The run is found when it is needed, by looking back from the end.
#[derive(Debug, Default)]
pub struct Out {
    pub buf: Vec<u8>,
    join_armed: bool,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Where the whitespace run at the end of `buf` starts.
fn trailing_run(buf: &[u8]) -> usize {
    buf.iter().rposition(|&b| !is_ws(b)).map_or(0, |p| p + 1)
}

impl Out {
    /// An output that writes into `buf`, an emptied buffer kept for reuse.
    pub fn with_buffer(buf: Vec<u8>) -> Out {
        debug_assert!(buf.is_empty());
        Out {
            buf,
            join_armed: false,
        }
    }

    pub fn append(&mut self, bytes: &[u8]) {
        if self.join_armed
            && let Some(first) = bytes.iter().position(|&b| !is_ws(b))
        {
            self.buf.extend_from_slice(&bytes[..first]);
            self.join_armed = false;
            let start = trailing_run(&self.buf);
            collapse_run(&mut self.buf, start);
            self.buf.extend_from_slice(&bytes[first..]);
            return;
        }
        self.buf.extend_from_slice(bytes);
    }

    pub fn arm_join(&mut self) {
        self.join_armed = true;
    }

    /// An element was removed here: the whitespace around it joins, and a space stays if
    /// the element stood between two words.
    pub fn removed_here(&mut self, keeps_space: bool) {
        if keeps_space {
            self.append(b" ");
        }
        self.arm_join();
    }

    pub fn join_armed(&self) -> bool {
        self.join_armed
    }

    /// Moves all but the pending whitespace run into `w`.
    pub fn flush_settled(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        let settled = trailing_run(&self.buf);
        w.write_all(&self.buf[..settled])?;
        self.buf.drain(..settled);
        Ok(())
    }
}

/// A whitespace run that holds a removal point and spans two or more line breaks becomes
/// the last line break and the indentation after it.
fn collapse_run(buf: &mut Vec<u8>, start: usize) {
    let start = start.min(buf.len());
    let run = &buf[start..];
    if run.iter().filter(|&&b| b == b'\n').count() >= 2 {
        let last = start + run.iter().rposition(|&b| b == b'\n').expect("counted");
        buf.drain(start..last);
    }
}

/// The length of the start tag that held markup begins with (0 if it does not).
pub(super) fn start_tag_len(held: &[u8]) -> usize {
    if held.first() != Some(&b'<') {
        return 0;
    }
    let mut quote = None;
    for (i, &b) in held.iter().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    0
}

/// Whether held markup starts with an inline element's tag.
fn is_inline(held: &[u8]) -> bool {
    let Some(rest) = held.strip_prefix(b"<") else {
        return false;
    };
    let end = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    crate::html::INLINE
        .iter()
        .any(|t| rest[..end].eq_ignore_ascii_case(t.as_bytes()))
}

/// Whether removing `held`, an empty element, must leave a space: an inline element that
/// was empty but for a space separated two words (`BY<span> </span>lin` is `BY lin`).
pub fn removal_keeps_space(held: &[u8]) -> bool {
    is_inline(held)
        && (held.iter().any(|&b| is_ws(b) || b == 0xA0)
            || memchr::memmem::find(held, b"&nbsp;").is_some())
}

/// Settings for the sink.
pub struct SinkConfig {
    /// Most bytes held for one undecided element before it is kept as is.
    pub max_hold: usize,
    /// Flush to the writer once this much is settled.
    pub flush_at: usize,
    /// The document has `keep-only` regions: only they are kept, and what goes outside
    /// them is counted to this rule.
    pub region_rule: Option<usize>,
}

impl Default for SinkConfig {
    fn default() -> Self {
        SinkConfig {
            max_hold: 1 << 20,
            flush_at: 16 << 10,
            region_rule: None,
        }
    }
}

/// Outside the `keep-only` regions: everything goes, Markdown blocks included, but for the
/// markers that frame or join elements (their rules still count what they match).
struct Outside {
    rule: usize,
    /// Between regions (or before the first, or after the last).
    now: bool,
    /// Bytes dropped since the last region ended, and the first of them.
    dropped: usize,
    glimpse: Vec<u8>,
    /// Something other than whitespace was dropped: the stretch counts as a removal.
    substantial: bool,
}

impl Outside {
    fn drop_bytes(&mut self, bytes: &[u8]) {
        self.dropped += bytes.len();
        self.substantial = self.substantial || !bytes.iter().all(|&b| is_ws(b));
        let room = PREVIEW_WINDOW.saturating_sub(self.glimpse.len());
        self.glimpse
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    /// A region starts (or the stream ends): the stretch before it is counted, unless it
    /// was only the whitespace between two regions.
    fn end_stretch(&mut self, stats: &Stats) {
        if self.substantial {
            let glimpse = &self.glimpse;
            stats.removed_with(self.rule, self.dropped, || {
                crate::report::preview(&crate::report::utf8(glimpse))
            });
        }
        self.dropped = 0;
        self.glimpse.clear();
        self.substantial = false;
    }
}

/// What is left when the stream ends.
pub struct Finished<W> {
    pub writer: W,
    pub warnings: Vec<Warning>,
    /// Markdown blocks inside removed elements, with the rule that removed them.
    pub removed_blocks: Vec<(u32, usize)>,
}

pub struct Sink<'a, W: Write> {
    markers: &'a Markers,
    stack: Stack<'a>,
    writer: W,
    error: Option<std::io::Error>,
    partial: Vec<u8>,
    outside: Option<Outside>,
}

impl<'a, W: Write> Sink<'a, W> {
    pub fn new(pass: &'a Pass<'_>, writer: W, config: SinkConfig) -> Self {
        Sink {
            markers: pass.markers,
            stack: Stack::new(pass, config.max_hold, config.flush_at),
            writer,
            error: None,
            partial: Vec::new(),
            outside: config.region_rule.map(|rule| Outside {
                rule,
                now: true,
                dropped: 0,
                glimpse: Vec::new(),
                substantial: false,
            }),
        }
    }

    pub fn warn(&mut self, warning: Warning) {
        self.stack.warnings.push(warning);
    }

    /// From here on nothing is dropped for lying outside the `keep-only` regions.
    pub fn keep_the_rest(&mut self) {
        if let Some(mut outside) = self.outside.take() {
            outside.end_stretch(self.stack.stats);
        }
    }

    /// Takes a chunk of rewriter output.
    pub fn write(&mut self, chunk: &[u8]) {
        let data = super::after_held(&mut self.partial, chunk);
        self.process(&data);
    }

    fn process(&mut self, data: &[u8]) {
        let mut pos = 0;
        while let Some(rel) = memchr::memchr(markers::START, &data[pos..]) {
            let at = pos + rel;
            self.content(&data[pos..at]);
            match self.markers.parse(&data[at..]) {
                Parsed::Marker { op, a, b, len } => {
                    self.marker(op, a, b, &data[at..at + len]);
                    pos = at + len;
                }
                Parsed::Incomplete => {
                    self.partial = data[at..].to_vec();
                    return;
                }
                Parsed::NotMarker => {
                    self.content(&data[at..at + 1]);
                    pos = at + 1;
                }
            }
        }
        self.content(&data[pos..]);
    }

    fn content(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if let Some(outside) = self.outside.as_mut().filter(|o| o.now) {
            outside.drop_bytes(bytes);
            return;
        }
        let stack = &mut self.stack;
        if let Some(top) = stack.frames.last_mut()
            && top.seen.wants_bytes()
        {
            stack.scanner.feed(bytes, &mut top.seen);
        }
        stack.put(bytes);
        self.flush_if_large();
    }

    fn marker(&mut self, op: Op, a: u32, b: u32, raw: &[u8]) {
        let stack = &mut self.stack;
        match op {
            Op::Open => {
                let rule = a as usize;
                let text_limit = stack.rules.get(rule).and_then(|r| r.action.text_limit());
                if let Some(top) = stack.frames.last_mut()
                    && top.occurrence == b
                    && top.out.buf.is_empty()
                    && !top.seen.own_tag_done
                {
                    top.rules.push(rule);
                    if let Some(limit) = text_limit {
                        if top.seen.text.is_none() && !top.seen.text_overflow {
                            top.seen.text = Some(Vec::new());
                        }
                        top.seen.text_limit = top.seen.text_limit.max(limit);
                    }
                    return;
                }
                stack.open(b, &[rule], text_limit);
            }
            Op::Close => self.close(b, a == 1),
            Op::Join => stack.target().arm_join(),
            Op::Block | Op::Gap => match self.outside.as_ref().filter(|o| o.now) {
                Some(outside) => {
                    if op == Op::Block {
                        stack.removed_blocks.push((b, outside.rule));
                    }
                }
                None => stack.put_marker(op, raw),
            },
            Op::RegionStart => {
                if let Some(outside) = &mut self.outside {
                    outside.end_stretch(stack.stats);
                    outside.now = false;
                }
            }
            Op::RegionEnd => {
                if let Some(outside) = &mut self.outside {
                    outside.now = true;
                }
            }
        }
    }

    /// Ends the element `occurrence` (if it still has a frame); `implicit` when an
    /// ancestor's end tag closed it.
    fn close(&mut self, occurrence: u32, implicit: bool) {
        let stack = &mut self.stack;
        let Some(index) = stack
            .frames
            .iter()
            .rposition(|f| f.occurrence == occurrence)
        else {
            return;
        };
        while stack.frames.len() > index + 1 {
            stack.keep_top(true);
        }
        if implicit {
            stack.keep_top(true);
        } else {
            stack.close_top();
        }
    }

    fn flush_if_large(&mut self) {
        if self.error.is_some() {
            // Nothing more will be written: what settles is not kept either.
            if !self.stack.holding() {
                self.stack.out.buf.clear();
            }
        } else if let Err(e) = self.stack.flush_if_large(&mut self.writer) {
            self.error = Some(e);
        }
    }

    /// Ends the stream: elements still open are kept, everything is written out.
    pub fn finish(mut self) -> Result<Finished<W>, std::io::Error> {
        let partial = std::mem::take(&mut self.partial);
        self.content(&partial);
        if let Some(outside) = &mut self.outside {
            outside.end_stretch(self.stack.stats);
        }
        self.stack.end();
        if let Some(e) = self.error {
            return Err(e);
        }
        self.writer.write_all(&self.stack.out.buf)?;
        Ok(Finished {
            writer: self.writer,
            warnings: self.stack.warnings,
            removed_blocks: self.stack.removed_blocks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_collapses_a_line_left_blank() {
        let mut out = Out::default();
        out.append(b"</p>\n ");
        out.arm_join();
        out.append(b"\n");
        out.append(b"</div>");
        assert_eq!(out.buf, b"</p>\n</div>");
    }

    #[test]
    fn start_tags_are_measured_past_quoted_brackets() {
        assert_eq!(start_tag_len(b"<div title=\"a>b\" class=x>rest"), 25);
        assert_eq!(start_tag_len(b"text<div>"), 0);
        assert_eq!(start_tag_len(b"<div unterminated"), 0);
    }

    #[test]
    fn join_keeps_inline_spacing() {
        let mut out = Out::default();
        out.append(b"a ");
        out.arm_join();
        out.append(b" b");
        assert_eq!(out.buf, b"a  b");
    }

    #[test]
    fn unarmed_runs_are_untouched() {
        let mut out = Out::default();
        out.append(b"a\n\n\n");
        out.append(b"b");
        assert_eq!(out.buf, b"a\n\n\nb");
    }
}
