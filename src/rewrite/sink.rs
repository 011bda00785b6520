//! The rewriter's output sink: acts on the markers the handlers wrote (see `markers`).
//!
//! A marked element is held until its end marker comes, then dropped or kept as its rule
//! decides. An element whose end never comes (lol_html closes `<p>`, `<li>` and friends
//! only when their parent closes, and then runs no end handler) is kept whole, with a
//! warning: a removal never reaches past its own element. Held bytes are bounded.

use super::markers::{self, Markers, Op, Parsed};
use super::scan::{Scanner, Seen};
use crate::report::{Stats, Warning};
use crate::rules::{Action, Rule};
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
pub fn start_tag_len(held: &[u8]) -> usize {
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
    const INLINE: &[&[u8]] = &[
        b"span", b"b", b"strong", b"i", b"em", b"small", b"font", b"u", b"a", b"sub", b"sup",
    ];
    let Some(rest) = held.strip_prefix(b"<") else {
        return false;
    };
    let end = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    INLINE.iter().any(|t| rest[..end].eq_ignore_ascii_case(t))
}

/// Whether removing `held`, an empty element, must leave a space: an inline element that
/// was empty but for a space separated two words (`BY<span> </span>lin` is `BY lin`).
pub fn removal_keeps_space(held: &[u8]) -> bool {
    is_inline(held)
        && (held.iter().any(|&b| is_ws(b) || b == 0xA0)
            || memchr::memmem::find(held, b"&nbsp;").is_some())
}

#[derive(Debug)]
struct Frame {
    /// The element, by its offset in the rewriter's input.
    occurrence: u32,
    /// The rules that target this element, in rule order: the first that removes it is
    /// credited with the removal.
    rules: Vec<usize>,
    out: Out,
    /// Still collecting bytes, undecided. A frame that stops holding writes to its parent.
    holding: bool,
    /// Given up: too large to hold.
    abandoned: bool,
    seen: Seen,
}

/// Settings for the sink.
pub struct SinkConfig {
    /// Most bytes held for one undecided element before it is kept as is.
    pub max_hold: usize,
    /// Flush to the writer once this much is settled.
    pub flush_at: usize,
}

impl Default for SinkConfig {
    fn default() -> Self {
        SinkConfig {
            max_hold: 1 << 20,
            flush_at: 16 << 10,
        }
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
    rules: &'a [&'a Rule],
    config: SinkConfig,
    out: Out,
    writer: W,
    error: Option<std::io::Error>,
    frames: Vec<Frame>,
    scanner: Scanner,
    partial: Vec<u8>,
    pub stats: &'a Stats,
    pub warnings: Vec<Warning>,
    /// Markdown blocks that were inside removed elements, by the rule that removed them.
    pub removed_blocks: Vec<(u32, usize)>,
}

impl<'a, W: Write> Sink<'a, W> {
    pub fn new(
        markers: &'a Markers,
        rules: &'a [&'a Rule],
        stats: &'a Stats,
        writer: W,
        config: SinkConfig,
    ) -> Self {
        Sink {
            markers,
            rules,
            config,
            out: Out::default(),
            writer,
            error: None,
            frames: Vec::new(),
            scanner: Scanner::default(),
            partial: Vec::new(),
            stats,
            warnings: Vec::new(),
            removed_blocks: Vec::new(),
        }
    }

    /// Takes a chunk of rewriter output.
    pub fn write(&mut self, chunk: &[u8]) {
        if self.partial.is_empty() {
            self.process(chunk);
        } else {
            let mut joined = std::mem::take(&mut self.partial);
            joined.extend_from_slice(chunk);
            self.process(&joined);
        }
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
        if let Some(top) = self.frames.last_mut()
            && top.seen.wants_bytes()
        {
            self.scanner.feed(bytes, &mut top.seen);
        }
        self.target().append(bytes);
        self.settle_top();
        self.flush_if_large();
    }

    /// Where bytes go now: the innermost frame still holding, or the output.
    fn target(&mut self) -> &mut Out {
        match self.frames.iter().rposition(|f| f.holding) {
            Some(i) => &mut self.frames[i].out,
            None => &mut self.out,
        }
    }

    /// Lets an undecided element go as soon as its fate is certain or it grew too large.
    fn settle_top(&mut self) {
        let Some(top) = self.frames.last_mut() else {
            return;
        };
        if !top.holding {
            return;
        }
        let rules = self.rules;
        let kept_for_sure = top.rules.iter().all(|&r| match &rules[r].action {
            Action::RemoveEmpty(_) => top.seen.has_content,
            Action::RemoveIfText { .. } => top.seen.text_overflow,
            _ => false,
        });
        let too_large = top.out.buf.len() > self.config.max_hold;
        if kept_for_sure || too_large {
            top.abandoned = too_large && !kept_for_sure;
            top.holding = false;
            let held = std::mem::take(&mut top.out);
            self.pass_up(held);
        }
    }

    /// Hands a kept frame's bytes to whatever is below it.
    fn pass_up(&mut self, held: Out) {
        let target = self.target();
        target.append(&held.buf);
        if held.join_armed {
            target.arm_join();
        }
    }

    fn marker(&mut self, op: Op, a: u32, b: u32, raw: &[u8]) {
        match op {
            Op::Open => {
                let rule = a as usize;
                let text_limit = match &self.rules.get(rule).map(|r| &r.action) {
                    Some(Action::RemoveIfText { max_chars, .. }) => Some(*max_chars),
                    _ => None,
                };
                if let Some(top) = self.frames.last_mut()
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
                let inherited = self
                    .frames
                    .last()
                    .filter(|f| f.seen.text.is_some())
                    .map(|f| f.seen.text_limit);
                let limit = text_limit.or(inherited);
                self.scanner.reset();
                self.frames.push(Frame {
                    occurrence: b,
                    rules: vec![rule],
                    out: Out::default(),
                    holding: true,
                    abandoned: false,
                    seen: Seen {
                        text: limit.map(|_| Vec::new()),
                        text_limit: limit.unwrap_or(0),
                        ..Seen::default()
                    },
                });
            }
            Op::Close => self.close(b, a == 1),
            Op::Join => self.target().arm_join(),
            Op::Block | Op::Gap => {
                if op == Op::Block
                    && let Some(top) = self.frames.last_mut()
                {
                    top.seen.has_content = true;
                }
                self.target().append(raw);
                self.settle_top();
            }
        }
    }

    /// Ends the element `occurrence`; `implicit` when an ancestor's end tag closed it.
    fn close(&mut self, occurrence: u32, implicit: bool) {
        let Some(index) = self.frames.iter().rposition(|f| f.occurrence == occurrence) else {
            return;
        };
        while self.frames.len() > index + 1 {
            let unclosed = self.frames.pop().expect("len checked");
            self.keep(unclosed, true);
        }
        let frame = self.frames.pop().expect("index exists");
        self.scanner.reset();
        if implicit {
            self.keep(frame, true);
            return;
        }
        match self.dropping_rule(&frame) {
            Some(rule) => self.drop_frame(frame, rule),
            None => self.keep(frame, false),
        }
    }

    /// The rule that removes the frame, if any does. When several would, the credit goes to
    /// the most specific: an unconditional `remove` before `remove-if-text` before
    /// `remove-empty`, and a later layer (outlet) before an earlier one (common).
    fn dropping_rule(&self, frame: &Frame) -> Option<usize> {
        if !frame.holding {
            return None;
        }
        let text = frame.seen.decoded_text();
        let rank = |r: usize| match &self.rules[r].action {
            Action::Remove(_) | Action::ReplaceWith { .. } => Some(0),
            Action::RemoveIfText { pattern, .. } => text
                .as_deref()
                .is_some_and(|t| pattern.is_match(t))
                .then_some(1),
            Action::RemoveEmpty(_) => (!frame.seen.has_content).then_some(2),
            _ => None,
        };
        frame
            .rules
            .iter()
            .copied()
            .filter_map(|r| rank(r).map(|k| (k, std::cmp::Reverse(r))))
            .min()
            .map(|(_, std::cmp::Reverse(r))| r)
    }

    fn drop_frame(&mut self, frame: Frame, rule: usize) {
        let buf = &frame.out.buf;
        self.stats
            .removed_with(rule, buf.len() - markers::marker_bytes(buf), || {
                crate::report::utf8(&markers::strip(buf)).into_owned()
            });
        for block in self.markers.find_all(Op::Block, &frame.out.buf) {
            self.removed_blocks.push((block, rule));
        }
        let keeps_space = matches!(self.rules[rule].action, Action::RemoveEmpty(_))
            && removal_keeps_space(&frame.out.buf);
        let target = self.target();
        if keeps_space {
            target.append(b" ");
        }
        target.arm_join();
    }

    fn keep(&mut self, frame: Frame, unclosed: bool) {
        let rule = self.rules[frame.rules[0]];
        let only_if_empty = frame
            .rules
            .iter()
            .all(|&r| matches!(self.rules[r].action, Action::RemoveEmpty(_)));
        if unclosed && !only_if_empty {
            self.warnings.push(Warning::new(
                "unclosed-element",
                format!(
                    "rule {}: the element it matched has no end tag; only its start tag was removed, its content was kept",
                    rule.id
                ),
            ));
        } else if frame.abandoned {
            self.warnings.push(Warning::new(
                "element-too-large",
                format!(
                    "rule {}: the element it matched is larger than {} bytes; it was kept",
                    rule.id, self.config.max_hold
                ),
            ));
        }
        if let Some(parent) = self.frames.last_mut() {
            parent.seen.has_content |= frame.seen.has_content;
            if let (Some(pt), Some(ft)) = (&mut parent.seen.text, &frame.seen.text) {
                pt.extend_from_slice(ft);
            }
            if frame.seen.text_overflow {
                parent.seen.text = None;
                parent.seen.text_overflow = true;
            }
        }
        let mut out = frame.out;
        if unclosed && !only_if_empty && frame.holding {
            // What follows the start tag may be the article (the end never came), so it
            // stays; the start tag itself is the chaff's and goes.
            let tag_end = start_tag_len(&out.buf);
            out.buf.drain(..tag_end);
        }
        if frame.holding {
            self.pass_up(out);
        }
        self.settle_top();
    }

    fn flush_if_large(&mut self) {
        if self.frames.iter().any(|f| f.holding) || self.out.buf.len() < self.config.flush_at {
            return;
        }
        if self.error.is_none() {
            if let Err(e) = self.out.flush_settled(&mut self.writer) {
                self.error = Some(e);
            }
        } else {
            self.out.buf.clear();
        }
    }

    /// Ends the stream: elements still open are kept, everything is written out.
    pub fn finish(mut self) -> Result<Finished<W>, std::io::Error> {
        let partial = std::mem::take(&mut self.partial);
        self.content(&partial);
        while let Some(frame) = self.frames.pop() {
            self.keep(frame, true);
        }
        if let Some(e) = self.error {
            return Err(e);
        }
        self.writer.write_all(&self.out.buf)?;
        Ok(Finished {
            writer: self.writer,
            warnings: self.warnings,
            removed_blocks: self.removed_blocks,
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
