//! An element under judgement, and how it is judged: the same for the sink (elements the
//! lol_html handlers marked) and the judge (elements of the output its own rules target).
//!
//! A frame holds the element's bytes until its fate is certain (content showed for
//! `remove-empty`, the text outgrew every `remove-if-text`), it grew too large, or its end
//! came; it is then dropped by the most specific rule that removes it, or its bytes go on.
//! `Stack` holds the frames, innermost last, and the output below them: both stages show it
//! what they read and tell it where elements start and end.

use super::out::{Out, removal_keeps_space, start_tag_len};
use super::scan::Scanner;
use crate::actions::Seen;
use crate::markers::{self, Markers, Op};
use crate::pass::Pass;
use crate::report::{Stats, Warning};
use crate::rules::{Layer, Rule};
use std::collections::{HashMap, VecDeque};

#[derive(Debug)]
pub struct Frame {
    /// The element, by its offset in the rewriter's input: how the sink's markers name it
    /// (the judge, which sees elements directly, puts its place on its open stack here).
    pub occurrence: u32,
    /// The rules that target this element, in rule order.
    pub rules: Vec<usize>,
    pub out: Out,
    /// Still collecting bytes, undecided. A frame that stops holding writes to its parent.
    pub holding: bool,
    /// Given up before its fate was known, and why: kept whatever comes.
    pub abandoned: Option<GivenUp>,
    pub seen: Seen,
}

/// Why an element was given up: holding it would have outgrown the stack's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GivenUp {
    /// The elements held came to more than `max_hold` bytes.
    TooLarge,
    /// More than `MAX_HELD` elements were held, one inside the other.
    TooDeep,
}

/// The most elements held at once, one inside the other: each byte a held element shows is
/// copied once to each held element around it when those end, so this bounds the copying
/// per byte. Articles hold a handful (the test corpus at most 7).
pub const MAX_HELD: usize = 64;

impl Frame {
    /// Stops holding if no rule can remove the element any more; returns the bytes held,
    /// for the caller to pass on.
    fn settle(&mut self, rules: &[&Rule]) -> Option<Out> {
        if !self.holding {
            return None;
        }
        let kept_for_sure = self
            .rules
            .iter()
            .all(|&r| rules[r].action.keeps(&self.seen));
        if !kept_for_sure {
            return None;
        }
        self.holding = false;
        Some(std::mem::take(&mut self.out))
    }

    /// Notes when how the element's text begins rules out every text rule that targets it
    /// (see `Seen::rules_out`); the text is then read no further, unless `parent_reads` it
    /// too (a parent's text includes its children's).
    fn rule_out_text(&mut self, rules: &[&Rule], parent_reads: bool) {
        if self.seen.ruled_out {
            return;
        }
        let Some(len) = self.seen.text.as_ref().map(Vec::len) else {
            return;
        };
        // The text has not grown since the rules last said it rules none of them out: nor
        // does it now (a frame's text only grows). Nor ever, once their answer is final.
        if self.seen.text_asked.is_some_and(|asked| asked >= len) {
            return;
        }
        self.seen.text_asked = Some(len);
        let mut any = false;
        for &r in &self.rules {
            let action = &rules[r].action;
            match action.text_ruled_out(&self.seen) {
                Some(true) => any = true,
                Some(false) => {
                    // A rule the text does not rule out, as far as the rule reads: it
                    // never will, and the element's text is never ruled out.
                    if self.seen.read_past(action.text_reach()) {
                        self.seen.text_asked = Some(usize::MAX);
                    }
                    return;
                }
                None => {}
            }
        }
        if !any {
            // No rule reads the text: none ever will.
            self.seen.text_asked = Some(usize::MAX);
        } else {
            self.seen.ruled_out = true;
            if !parent_reads {
                self.seen.text = None;
            }
        }
    }

    /// Whether the element stays whatever comes and needs its frame no more: only rules
    /// that remove empty elements target it, content showed, and it reads no text. Its parent then has
    /// content too, as it would learn at this element's end.
    fn kept_for_good(&self, rules: &[&Rule]) -> bool {
        !self.holding
            && self.abandoned.is_none()
            && self.seen.has_content
            && self.seen.text.is_none()
            && !self.seen.text_overflow
            && self.rules.iter().all(|&r| rules[r].action.only_empty())
    }

    /// The rule that removes the element now that its end came, if any does. When several
    /// would, the credit goes to the most specific: an unconditional `remove` before
    /// `remove-if-text` before `remove-empty`, a later layer (outlet) before an earlier one
    /// (common), and the generic layer, which stands in for rules no one wrote for the
    /// site, after all others (an outlet's rule that takes what a generic one would stays
    /// the one that acts, and is not reported dead).
    pub fn dropping_rule(&self, rules: &[&Rule]) -> Option<usize> {
        if !self.holding {
            return None;
        }
        self.rule_that_drops(rules)
    }

    /// The rule that would remove the element by what it showed, held or not.
    fn rule_that_drops(&self, rules: &[&Rule]) -> Option<usize> {
        let text = self.seen.decoded_text();
        let rank = |r: usize| rules[r].action.removal_rank(&self.seen, text.as_deref());
        let generic = |r: usize| rules[r].layer() == Layer::Generic;
        self.rules
            .iter()
            .copied()
            .filter_map(|r| rank(r).map(|k| (k, generic(r), std::cmp::Reverse(r))))
            .min()
            .map(|(_, _, std::cmp::Reverse(r))| r)
    }

    /// Counts the element's removal by `rule` and notes the Markdown blocks inside it;
    /// returns whether a space must stay where it stood.
    pub fn record_drop(
        &self,
        rule: usize,
        rules: &[&Rule],
        stats: &Stats,
        markers: &Markers,
        removed_blocks: &mut Vec<(u32, usize)>,
    ) -> bool {
        let buf = &self.out.buf;
        stats.removed_with(rule, markers::stripped_len(buf), || preview_of_markup(buf));
        for block in markers.find_all(Op::Block, buf) {
            removed_blocks.push((block, rule));
        }
        rules[rule].action.only_empty() && removal_keeps_space(buf)
    }

    /// The element stays: closed by its own end and no rule took it, or `unclosed` (by an
    /// ancestor's end tag, or never). Warns as it must, passes what it learnt to `parent`,
    /// and returns the bytes it still held, for the caller to pass on.
    pub fn keep(
        &mut self,
        unclosed: bool,
        parent: Option<&mut Frame>,
        rules: &[&Rule],
        max_hold: usize,
        warnings: &mut Warnings,
    ) -> Option<Out> {
        let rule = rules[self.rules[0]];
        let only_if_empty = self.rules.iter().all(|&r| rules[r].action.only_empty());
        // Left unclosed, whether a rule takes the element by what it showed: not one that
        // only removes it empty, nor a `remove-if-text` whose pattern its text does not
        // match (asked of an unclosed element only: it reads the element's text).
        let unclosed_drop = unclosed && !only_if_empty && self.rule_that_drops(rules).is_some();
        // An element given up that no rule would have removed (content showed in an
        // element only `remove-empty` targets) lost nothing: no warning.
        let given_up = self
            .abandoned
            .filter(|_| self.rule_that_drops(rules).is_some());
        if given_up == Some(GivenUp::TooLarge) {
            warnings.push(Warning::new(
                "element-too-large",
                format!(
                    "rule {}: the element it matched is larger than {max_hold} bytes; it was kept",
                    rule.id
                ),
            ));
        } else if given_up == Some(GivenUp::TooDeep) {
            warnings.push(Warning::new(
                "element-too-deep",
                format!(
                    "rule {}: the element it matched holds more than {MAX_HELD} undecided elements, one inside the other; it was kept",
                    rule.id
                ),
            ));
        } else if unclosed_drop {
            warnings.push(Warning::new(
                "unclosed-element",
                format!(
                    "rule {}: the element it matched has no end tag; only its start tag was removed, its content was kept",
                    rule.id
                ),
            ));
        }
        if let Some(parent) = parent {
            parent.seen.has_content |= self.seen.has_content;
            if let (Some(pt), Some(ft)) = (&mut parent.seen.text, &self.seen.text) {
                pt.extend_from_slice(ft);
            }
            if self.seen.text_overflow {
                parent.seen.text = None;
                parent.seen.text_overflow = true;
            }
        }
        if !self.holding {
            return None;
        }
        let mut out = std::mem::take(&mut self.out);
        if unclosed_drop {
            // What follows the start tag may be the article (the end never came), so it
            // stays; the start tag itself is the chaff's and goes.
            let tag_end = start_tag_len(&out.buf);
            out.buf.drain(..tag_end);
        }
        Some(out)
    }
}

/// The preview of removed markup (markers and all), reading only the start of a large
/// element when its text fills the preview there.
fn preview_of_markup(buf: &[u8]) -> String {
    use crate::report::{PREVIEW_WINDOW, preview, preview_if_full, utf8};
    if buf.len() > PREVIEW_WINDOW
        && let Some(cut) = memchr::memrchr(b'<', &buf[..PREVIEW_WINDOW])
        // `strip` takes any `START … END` as a marker: none may reach across the cut.
        && !buf[cut.saturating_sub(markers::MAX_LEN)..cut].contains(&markers::START)
        && let Some(p) = preview_if_full(&utf8(&markers::strip(&buf[..cut])))
    {
        return p;
    }
    preview(&utf8(&markers::strip(buf)))
}

/// The warnings of a stage, each message kept at most `REPEATS` times: a document of a
/// million unclosed elements gets a few warnings and a count, not a million.
#[derive(Debug, Default)]
pub struct Warnings {
    list: Vec<Warning>,
    /// How many times each message came, and its kind.
    times: HashMap<String, (&'static str, usize)>,
}

impl Warnings {
    const REPEATS: usize = 3;

    /// A warning, said unless its message was said `REPEATS` times already.
    pub fn push(&mut self, warning: Warning) {
        let times = &mut self
            .times
            .entry(warning.message.clone())
            .or_insert((warning.kind, 0))
            .1;
        *times += 1;
        if *times <= Self::REPEATS {
            self.list.push(warning);
        }
    }

    /// The warnings in order, then for each message that came more often a count of the
    /// rest.
    pub fn into_vec(self) -> Vec<Warning> {
        let mut list = self.list;
        let mut more: Vec<_> = self
            .times
            .into_iter()
            .filter(|(_, (_, n))| *n > Self::REPEATS)
            .collect();
        more.sort();
        for (message, (kind, n)) in more {
            let rest = n - Self::REPEATS;
            list.push(Warning::new(kind, format!("{message} ({rest} more times)")));
        }
        list
    }
}

/// What frames that ended leave (their buffers and rule lists) for the next frames: most
/// elements under judgement are small, and allocating and growing new ones for each was a
/// measured part of the work.
#[derive(Debug, Default)]
struct Spare {
    bufs: Vec<Vec<u8>>,
    lists: Vec<Vec<usize>>,
}

impl Spare {
    /// How many of each are kept, and the largest buffer kept: enough for the nesting of a
    /// page, without holding on to a large element's memory.
    const KEPT: usize = 32;
    const LARGEST: usize = 64 << 10;

    /// A frame for `rules`, reading the element's text up to `text_limit` characters if a
    /// rule needs it.
    fn frame(&mut self, occurrence: u32, rules: &[usize], text_limit: Option<usize>) -> Frame {
        let mut list = self.lists.pop().unwrap_or_default();
        list.extend_from_slice(rules);
        Frame {
            occurrence,
            rules: list,
            out: Out::with_buffer(self.buf()),
            holding: true,
            abandoned: None,
            seen: Seen {
                text: text_limit.map(|_| self.buf()),
                text_limit: text_limit.unwrap_or(0),
                ..Seen::default()
            },
        }
    }

    /// A buffer left by an earlier frame, or a new one large enough for most elements'
    /// start tags and texts: growing each from nothing was a measured cost.
    fn buf(&mut self) -> Vec<u8> {
        self.bufs.pop().unwrap_or_else(|| Vec::with_capacity(256))
    }

    /// Keeps what a frame that ended leaves.
    fn recycle(&mut self, frame: Frame) {
        self.give(frame.out.buf);
        if let Some(text) = frame.seen.text {
            self.give(text);
        }
        if self.lists.len() < Self::KEPT {
            let mut list = frame.rules;
            list.clear();
            self.lists.push(list);
        }
    }

    /// Keeps a buffer a frame passed on.
    fn give(&mut self, mut buf: Vec<u8>) {
        if buf.capacity() > 0 && buf.capacity() <= Self::LARGEST && self.bufs.len() < Self::KEPT {
            buf.clear();
            self.bufs.push(buf);
        }
    }
}

/// The elements under judgement, innermost last, above the output they settle into: what
/// the sink (elements lol_html's handlers marked) and the judge (elements its tokenizer
/// found) do alike.
pub struct Stack<'a> {
    pub rules: &'a [&'a Rule],
    pub stats: &'a Stats,
    markers: &'a Markers,
    max_hold: usize,
    /// What has settled goes to the writer once there is this much of it.
    flush_at: usize,
    pub frames: Vec<Frame>,
    /// Where in `frames` the frames still holding are, outermost first: the innermost is
    /// where bytes go, and the outermost the first given up.
    held: VecDeque<usize>,
    /// The bytes the frames still holding hold, but for the innermost one's.
    held_below: usize,
    /// What no frame holds any more.
    pub out: Out,
    /// Reads what the innermost frame is shown; starts afresh with each frame.
    pub scanner: Scanner,
    spare: Spare,
    pub warnings: Warnings,
    /// Markdown blocks inside removed elements, with the rule that removed them.
    pub removed_blocks: Vec<(u32, usize)>,
}

impl<'a> Stack<'a> {
    pub fn new(pass: &'a Pass<'_>, max_hold: usize, flush_at: usize) -> Self {
        Stack {
            rules: &pass.rules,
            stats: &pass.stats,
            markers: pass.markers,
            max_hold,
            flush_at,
            frames: Vec::new(),
            held: VecDeque::new(),
            held_below: 0,
            // What settles is flushed once there are `flush_at` bytes: room for that and
            // the last piece, allocated once rather than grown from nothing per document.
            out: Out::with_buffer(Vec::with_capacity(flush_at + flush_at / 4)),
            scanner: Scanner::default(),
            spare: Spare::default(),
            warnings: Warnings::default(),
            removed_blocks: Vec::new(),
        }
    }

    /// Where bytes go now: the innermost frame still holding, or the output.
    pub fn target(&mut self) -> &mut Out {
        match self.held.back() {
            Some(&i) => &mut self.frames[i].out,
            None => &mut self.out,
        }
    }

    /// Whether a frame still holds bytes back.
    pub fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// The bytes all frames hold.
    fn held_bytes(&self) -> usize {
        self.held_below
            + self
                .held
                .back()
                .map_or(0, |&i| self.frames[i].out.buf.len())
    }

    /// The innermost frame still holding holds no more (it settled, or left the stack): the
    /// next one out becomes the innermost.
    fn release_innermost(&mut self) {
        self.held.pop_back();
        if let Some(&i) = self.held.back() {
            self.held_below -= self.frames[i].out.buf.len();
        }
    }

    /// Keeps what is held within bounds: at most `MAX_HELD` elements, one inside the
    /// other, and `max_hold` bytes in all. Past either, the outermost element held is given
    /// up (kept whatever comes, with a warning) and its bytes go on to the output: so no
    /// element's bytes are copied more than `MAX_HELD` times on their way out, and a
    /// document nested a million deep costs what a flat one does.
    #[inline]
    fn bound_held(&mut self) {
        if !self.held.is_empty() {
            self.bound_held_now();
        }
    }

    fn bound_held_now(&mut self) {
        while let Some(&outermost) = self.held.front() {
            let why = if self.held.len() > MAX_HELD {
                GivenUp::TooDeep
            } else if self.held_bytes() > self.max_hold {
                GivenUp::TooLarge
            } else {
                return;
            };
            let frame = &mut self.frames[outermost];
            frame.holding = false;
            frame.abandoned = Some(why);
            let held = std::mem::take(&mut frame.out);
            self.held.pop_front();
            if !self.held.is_empty() {
                self.held_below -= held.buf.len();
            }
            // Nothing around it holds: its bytes are output.
            self.out.append(&held.buf);
            if held.join_armed() {
                self.out.arm_join();
            }
            self.spare.give(held.buf);
        }
    }

    /// Writes what has settled to `w` once there is enough of it and no frame holds bytes
    /// back (those would come before it).
    pub fn flush_if_large(&mut self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        if self.out.buf.len() < self.flush_at || self.holding() {
            return Ok(());
        }
        self.out.flush_settled(w)
    }

    /// Opens a frame for an element `rules` target, reading its text up to `text_limit`
    /// characters, or as far as its parent reads its own: a parent's text includes its
    /// children's.
    pub fn open(&mut self, occurrence: u32, rules: &[usize], text_limit: Option<usize>) {
        let inherited = self
            .frames
            .last()
            .filter(|f| f.seen.text.is_some())
            .map(|f| f.seen.text_limit);
        self.scanner.reset();
        let frame = self
            .spare
            .frame(occurrence, rules, text_limit.max(inherited));
        if let Some(&i) = self.held.back() {
            self.held_below += self.frames[i].out.buf.len();
        }
        self.held.push_back(self.frames.len());
        self.frames.push(frame);
        self.bound_held();
    }

    /// Bytes the innermost frame has been shown.
    pub fn put(&mut self, bytes: &[u8]) {
        self.target().append(bytes);
        self.settle_top();
    }

    /// A marker that passes through (a Markdown block or gap); a block is content.
    pub fn put_marker(&mut self, op: Op, raw: &[u8]) {
        if op == Op::Block
            && let Some(top) = self.frames.last_mut()
        {
            top.seen.has_content = true;
        }
        self.put(raw);
    }

    /// Lets the innermost element go as soon as its fate is certain or it grew too large.
    /// One that needs its frame no more (see `Frame::kept_for_good`) leaves the stack, and
    /// its parent, which now has content, may settle in turn.
    pub fn settle_top(&mut self) {
        let n = self.frames.len();
        if n == 0 {
            // Nothing to settle, nothing held to bound: the output's bytes are settled.
            return;
        }
        let parent_reads = n >= 2 && self.frames[n - 2].seen.text.is_some();
        if let Some(top) = self.frames.last_mut() {
            top.rule_out_text(self.rules, parent_reads);
        }
        loop {
            let held = self
                .frames
                .last_mut()
                .and_then(|top| top.settle(self.rules));
            let Some(held) = held else {
                break;
            };
            self.release_innermost();
            self.pass_up(held);
            if !self
                .frames
                .last()
                .is_some_and(|f| f.kept_for_good(self.rules))
            {
                break;
            }
            let frame = self.frames.pop().expect("checked");
            if let Some(parent) = self.frames.last_mut() {
                parent.seen.has_content = true;
            }
            self.scanner.reset();
            self.spare.recycle(frame);
        }
        self.bound_held();
    }

    /// The innermost frame leaves the stack.
    fn pop(&mut self) -> Option<Frame> {
        let frame = self.frames.pop()?;
        if frame.holding {
            debug_assert_eq!(self.held.back(), Some(&self.frames.len()));
            self.release_innermost();
        }
        Some(frame)
    }

    /// The innermost element's own end came: it goes if a rule says so, else stays.
    pub fn close_top(&mut self) {
        let Some(frame) = self.pop() else {
            return;
        };
        let Some(rule) = frame.dropping_rule(self.rules) else {
            self.keep(frame, false);
            return;
        };
        self.scanner.reset();
        let keeps_space = frame.record_drop(
            rule,
            self.rules,
            self.stats,
            self.markers,
            &mut self.removed_blocks,
        );
        self.spare.recycle(frame);
        self.target().removed_here(keeps_space);
        self.settle_top();
    }

    /// The innermost element stays, `unclosed` when an ancestor's end tag ended it, or
    /// nothing did (see `Frame::keep`).
    pub fn keep_top(&mut self, unclosed: bool) {
        if let Some(frame) = self.pop() {
            self.keep(frame, unclosed);
        }
    }

    fn keep(&mut self, mut frame: Frame, unclosed: bool) {
        self.scanner.reset();
        let held = frame.keep(
            unclosed,
            self.frames.last_mut(),
            self.rules,
            self.max_hold,
            &mut self.warnings,
        );
        self.spare.recycle(frame);
        if let Some(held) = held {
            self.pass_up(held);
        }
        self.settle_top();
    }

    /// Hands a frame's bytes to what is below it, with a join it was waiting to make, and
    /// keeps the emptied buffer for the next frame.
    fn pass_up(&mut self, held: Out) {
        let armed = held.join_armed();
        let target = self.target();
        target.append(&held.buf);
        if armed {
            target.arm_join();
        }
        self.spare.give(held.buf);
    }

    /// Every element still open stays as it stands, its end or not: the stage gives up
    /// judging (see `judge`'s depth bound).
    pub fn keep_all(&mut self) {
        while let Some(frame) = self.pop() {
            self.keep(frame, false);
        }
    }

    /// The stream ended: every element still open stays.
    pub fn end(&mut self) {
        while !self.frames.is_empty() {
            self.keep_top(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{preview, utf8};

    #[test]
    fn a_large_element_is_previewed_as_a_whole() {
        let m = Markers::new();
        let open = m.encode(Op::Open, 1, 2);
        let close = m.encode(Op::Close, 0, 2);
        let filler = format!("<a href=\"/x\">{open}</a>{close}\n").repeat(200);
        let cases = [
            // Text within the window, text only past it, none at all, a stray START byte.
            format!(
                "<ul><li>相关 &amp; 新闻 {}</li>{filler}</ul>",
                "字 ".repeat(60)
            ),
            format!("<ul>{filler}<li>{}</li></ul>", "late words ".repeat(20)),
            format!("<div>{filler}</div>"),
            format!("<p>\u{1}{filler}{}</p>", "x y ".repeat(50)),
            format!("<p>{}<br>{filler}", "一 ".repeat(30)),
        ];
        for html in &cases {
            let buf = html.as_bytes();
            assert!(buf.len() > 4 << 10);
            assert_eq!(
                preview_of_markup(buf),
                preview(&utf8(&markers::strip(buf))),
                "{html:.60}"
            );
        }
    }
}
