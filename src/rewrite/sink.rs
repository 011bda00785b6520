//! The rewriter's output sink: acts on the markers the handlers wrote (see `markers`).
//!
//! A marked element is held until its end marker comes, then dropped or kept as its rule
//! decides. An element whose end never comes (lol_html closes `<p>`, `<li>` and friends
//! only when their parent closes, and then runs no end handler) is kept whole, with a
//! warning: a removal never reaches past its own element. Held bytes are bounded.

use super::frame::Stack;
use super::out::is_ws;
use crate::markers::{self, Markers, Op, Parsed};
use crate::pass::Pass;
use crate::report::{PREVIEW_WINDOW, Stats, Warning};
use std::io::Write;

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
                    // The rules asked so far do not answer for this one.
                    top.seen.text_asked = None;
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
        // Frames open in the order their elements start, so by occurrence, ascending (but
        // where the input's offsets pass 4 GiB and the u32 wraps: the innermost frame, the
        // usual one, is looked at first). A search, not a walk from the top: an end for a
        // frame already gone must not cost the whole stack.
        let last = stack.frames.len().checked_sub(1);
        let index = match last.filter(|&i| stack.frames[i].occurrence == occurrence) {
            Some(i) => i,
            None => {
                let end = stack.frames.partition_point(|f| f.occurrence <= occurrence);
                match end.checked_sub(1) {
                    Some(i) if stack.frames[i].occurrence == occurrence => i,
                    _ => return,
                }
            }
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
            warnings: self.stack.warnings.into_vec(),
            removed_blocks: self.stack.removed_blocks,
        })
    }
}
