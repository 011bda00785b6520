//! An element under judgement, and how it is judged: the same for the sink (elements the
//! lol_html handlers marked) and the judge (elements of the output its own rules target).
//!
//! A frame holds the element's bytes until its fate is certain (content showed for
//! `remove-empty`, the text outgrew every `remove-if-text`), it grew too large, or its end
//! came; it is then dropped by the most specific rule that removes it, or its bytes go on.

use super::markers::{self, Markers, Op};
use super::scan::Seen;
use super::sink::{Out, removal_keeps_space, start_tag_len};
use crate::report::{Stats, Warning};
use crate::rules::{Action, Rule};

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
    /// Given up: too large to hold.
    pub abandoned: bool,
    pub seen: Seen,
}

impl Frame {
    /// Stops holding if no rule can remove the element any more, or it outgrew `max_hold`;
    /// returns the bytes held, for the caller to pass on.
    pub fn settle(&mut self, rules: &[&Rule], max_hold: usize) -> Option<Out> {
        if !self.holding {
            return None;
        }
        let kept_for_sure = self.rules.iter().all(|&r| match &rules[r].action {
            Action::RemoveEmpty(_) => self.seen.has_content,
            Action::RemoveIfText { prefixes, .. } => {
                self.seen.text_overflow
                    || self.seen.ruled_out
                    || prefixes.as_ref().is_some_and(|p| self.seen.rules_out(p))
            }
            _ => false,
        });
        let too_large = self.out.buf.len() > max_hold;
        if !kept_for_sure && !too_large {
            return None;
        }
        self.abandoned = too_large && !kept_for_sure;
        self.holding = false;
        Some(std::mem::take(&mut self.out))
    }

    /// Stops reading the element's text once how it begins rules out every text rule that
    /// targets it, unless `parent_reads` it too (a parent's text includes its children's).
    /// The text was read only for those rules; the element is then kept (see `settle`).
    pub fn stop_reading_if_ruled_out(&mut self, rules: &[&Rule], parent_reads: bool) {
        if parent_reads || self.seen.text.is_none() {
            return;
        }
        let mut any = false;
        for &r in &self.rules {
            if let Action::RemoveIfText { prefixes, .. } = &rules[r].action {
                any = true;
                if !prefixes.as_ref().is_some_and(|p| self.seen.rules_out(p)) {
                    return;
                }
            }
        }
        if any {
            self.seen.text = None;
            self.seen.ruled_out = true;
        }
    }

    /// Whether the element stays whatever comes and needs its frame no more: only
    /// `remove-empty` targets it, content showed, and it reads no text. Its parent then has
    /// content too, as it would learn at this element's end.
    pub fn kept_for_good(&self, rules: &[&Rule]) -> bool {
        !self.holding
            && !self.abandoned
            && self.seen.has_content
            && self.seen.text.is_none()
            && !self.seen.text_overflow
            && self
                .rules
                .iter()
                .all(|&r| matches!(rules[r].action, Action::RemoveEmpty(_)))
    }

    /// The rule that removes the element now that its end came, if any does. When several
    /// would, the credit goes to the most specific: an unconditional `remove` before
    /// `remove-if-text` before `remove-empty`, and a later layer (outlet) before an earlier
    /// one (common).
    pub fn dropping_rule(&self, rules: &[&Rule]) -> Option<usize> {
        if !self.holding {
            return None;
        }
        let text = self.seen.decoded_text();
        let rank = |r: usize| match &rules[r].action {
            Action::Remove(_) | Action::ReplaceWith { .. } => Some(0),
            Action::RemoveIfText { pattern, .. } => text
                .as_deref()
                .is_some_and(|t| pattern.is_match(t))
                .then_some(1),
            Action::RemoveEmpty(_) => (!self.seen.has_content).then_some(2),
            _ => None,
        };
        self.rules
            .iter()
            .copied()
            .filter_map(|r| rank(r).map(|k| (k, std::cmp::Reverse(r))))
            .min()
            .map(|(_, std::cmp::Reverse(r))| r)
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
        stats.removed_with(rule, buf.len() - markers::marker_bytes(buf), || {
            crate::report::utf8(&markers::strip(buf)).into_owned()
        });
        for block in markers.find_all(Op::Block, buf) {
            removed_blocks.push((block, rule));
        }
        matches!(rules[rule].action, Action::RemoveEmpty(_)) && removal_keeps_space(buf)
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
        warnings: &mut Vec<Warning>,
    ) -> Option<Out> {
        let rule = rules[self.rules[0]];
        let only_if_empty = self
            .rules
            .iter()
            .all(|&r| matches!(rules[r].action, Action::RemoveEmpty(_)));
        if unclosed && !only_if_empty {
            warnings.push(Warning::new(
                "unclosed-element",
                format!(
                    "rule {}: the element it matched has no end tag; only its start tag was removed, its content was kept",
                    rule.id
                ),
            ));
        } else if self.abandoned {
            warnings.push(Warning::new(
                "element-too-large",
                format!(
                    "rule {}: the element it matched is larger than {max_hold} bytes; it was kept",
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
        if unclosed && !only_if_empty {
            // What follows the start tag may be the article (the end never came), so it
            // stays; the start tag itself is the chaff's and goes.
            let tag_end = start_tag_len(&out.buf);
            out.buf.drain(..tag_end);
        }
        Some(out)
    }
}

/// Hands a frame's bytes to what is below it, with a join it was waiting to make; returns
/// the emptied buffer, for `Spare`.
pub fn pass_up(target: &mut Out, held: Out) -> Vec<u8> {
    let armed = held.join_armed();
    target.append(&held.buf);
    if armed {
        target.arm_join();
    }
    held.buf
}

/// What frames that ended leave (their buffers and rule lists) for the next frames: most
/// elements under judgement are small, and allocating and growing new ones for each was a
/// measured part of the work.
#[derive(Debug, Default)]
pub struct Spare {
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
    pub fn frame(&mut self, occurrence: u32, rules: &[usize], text_limit: Option<usize>) -> Frame {
        let mut list = self.lists.pop().unwrap_or_default();
        list.extend_from_slice(rules);
        Frame {
            occurrence,
            rules: list,
            out: Out::with_buffer(self.bufs.pop().unwrap_or_default()),
            holding: true,
            abandoned: false,
            seen: Seen {
                text: text_limit.map(|_| Vec::new()),
                text_limit: text_limit.unwrap_or(0),
                ..Seen::default()
            },
        }
    }

    /// Keeps what a frame that ended leaves.
    pub fn recycle(&mut self, frame: Frame) {
        self.give(frame.out.buf);
        if self.lists.len() < Self::KEPT {
            let mut list = frame.rules;
            list.clear();
            self.lists.push(list);
        }
    }

    /// Keeps a buffer a frame passed on.
    pub fn give(&mut self, mut buf: Vec<u8>) {
        if buf.capacity() > 0 && buf.capacity() <= Self::LARGEST && self.bufs.len() < Self::KEPT {
            buf.clear();
            self.bufs.push(buf);
        }
    }
}
