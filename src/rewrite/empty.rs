//! The last HTML stage: containers the other rules left empty go.
//!
//! `remove-empty` on plain tag names (common's `div, p, span, …`) matches most elements of
//! every page. As lol_html handlers, each such element would be captured, written back and
//! framed by markers: a fifth of all the work, measured. So those rules run here instead, on
//! the rewriter's output: a small tokenizer keeps its own stack of open elements, ending them
//! as lol_html does (an end tag closes the nearest open element of its name, and with it
//! every element opened after; void and self-closing elements hold nothing; `script`,
//! `style`, `textarea` and the like hold text, not tags). A candidate is held from its start
//! tag until content shows or its end tag comes, and dropped if none did. An element closed
//! by an ancestor's end tag, or never, is kept.

use super::markers::{self, Markers, Op, Parsed};
use super::scan::{MEDIA, is_blank_entity, is_unicode_blank};
use super::sink::{Out, removal_keeps_space};
use crate::report::{Stats, Warning};
use crate::rules::{Action, Rule};
use crate::tokenizer::{EndTag, TEXT_ONLY, Token, VOID, find_end_tag, is_space, tokenize};
use std::io::Write;

/// The most bytes held for one undecided element, or kept waiting for a token's end.
const MAX_HOLD: usize = 1 << 20;
const FLUSH_AT: usize = 16 << 10;

/// The tag names a `remove-empty` selector lists, if it is nothing but a list of them.
pub fn plain_tags(selector: &str) -> Option<Vec<String>> {
    selector
        .split(',')
        .map(|t| {
            let t = t.trim();
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| t.to_ascii_lowercase())
        })
        .collect()
}

/// Whether this stage, not a lol_html handler, runs `rule`.
pub fn runs_here(rule: &Rule) -> bool {
    matches!(&rule.action, Action::RemoveEmpty(css) if plain_tags(&css.text).is_some())
}

struct Open {
    name: Box<[u8]>,
    /// The rule that removes it if it stays empty; None if no rule here targets it.
    rule: Option<usize>,
}

/// An element under judgement.
struct Frame {
    rule: usize,
    out: Out,
    holding: bool,
}

pub struct EmptyFilter<'a, W: Write> {
    markers: &'a Markers,
    rules: &'a [&'a Rule],
    stats: &'a Stats,
    /// Tag name and the rule that targets it.
    targets: Vec<(Vec<u8>, usize)>,
    writer: W,
    out: Out,
    open: Vec<Open>,
    frames: Vec<Frame>,
    pending: Vec<u8>,
    /// Inside an element that holds only text: its name.
    text_only: Option<Vec<u8>>,
    pub warnings: Vec<Warning>,
}

impl<'a, W: Write> EmptyFilter<'a, W> {
    /// A filter for the rules of `rules` this stage runs and `active` allows.
    pub fn new(
        markers: &'a Markers,
        rules: &'a [&'a Rule],
        active: &[bool],
        stats: &'a Stats,
        writer: W,
    ) -> Self {
        let mut targets: Vec<(Vec<u8>, usize)> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            if let Action::RemoveEmpty(css) = &rule.action
                && active[i]
                && let Some(tags) = plain_tags(&css.text)
            {
                // A later rule (the more specific layer) takes the credit.
                targets.retain(|(t, _)| !tags.iter().any(|n| n.as_bytes() == t));
                targets.extend(tags.into_iter().map(|t| (t.into_bytes(), i)));
            }
        }
        EmptyFilter {
            markers,
            rules,
            stats,
            targets,
            writer,
            out: Out::default(),
            open: Vec::new(),
            frames: Vec::new(),
            pending: Vec::new(),
            text_only: None,
            warnings: Vec::new(),
        }
    }

    fn rule_for(&self, name: &[u8]) -> Option<usize> {
        self.targets
            .iter()
            .find(|(t, _)| t == name)
            .map(|&(_, r)| r)
    }

    fn process(&mut self, data: &[u8]) {
        let mut pos = 0;
        while pos < data.len() {
            if let Some(name) = &self.text_only {
                match find_end_tag(&data[pos..], name) {
                    EndTag::At(k) => {
                        self.text(&data[pos..pos + k]);
                        pos += k;
                        self.text_only = None;
                    }
                    EndTag::Maybe(k) if data.len() - pos - k < MAX_HOLD => {
                        self.text(&data[pos..pos + k]);
                        self.pending.extend_from_slice(&data[pos + k..]);
                        return;
                    }
                    _ => {
                        self.text(&data[pos..]);
                        return;
                    }
                }
                continue;
            }
            let Some(k) = memchr::memchr2(b'<', markers::START, &data[pos..]) else {
                // A reference or a character the next piece completes is judged whole.
                let rest = &data[pos..];
                let cut = if self.holding() {
                    unfinished_tail(rest)
                } else {
                    0
                };
                self.text(&rest[..rest.len() - cut]);
                self.pending.extend_from_slice(&rest[rest.len() - cut..]);
                return;
            };
            self.text(&data[pos..pos + k]);
            pos += k;
            let rest = &data[pos..];
            if rest[0] == markers::START {
                match self.markers.parse(rest) {
                    Parsed::Marker { op, len, .. } => {
                        self.marker(op, &rest[..len]);
                        pos += len;
                    }
                    Parsed::Incomplete => {
                        self.pending.extend_from_slice(rest);
                        return;
                    }
                    Parsed::NotMarker => {
                        self.text(&rest[..1]);
                        pos += 1;
                    }
                }
                continue;
            }
            match tokenize(rest, false) {
                Some((token, len)) => {
                    self.token(token, &rest[..len]);
                    pos += len;
                }
                None if rest.len() < MAX_HOLD => {
                    self.pending.extend_from_slice(rest);
                    return;
                }
                None => {
                    // Not a token that ends: text, as far as this stage is concerned.
                    self.text(&rest[..1]);
                    pos += 1;
                }
            }
        }
    }

    /// Where bytes go now: the innermost frame still holding, or the output.
    fn target(&mut self) -> &mut Out {
        match self.frames.last_mut() {
            Some(f) if f.holding => &mut f.out,
            _ => &mut self.out,
        }
    }

    fn holding(&self) -> bool {
        self.frames.last().is_some_and(|f| f.holding)
    }

    /// Text: content unless blank.
    fn text(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.route(bytes);
        if self.holding() && !is_blank(bytes) {
            self.release_all();
        }
    }

    fn route(&mut self, bytes: &[u8]) {
        match self.frames.last_mut() {
            Some(f) if f.holding => {
                f.out.append(bytes);
                if f.out.buf.len() > MAX_HOLD {
                    let rule = self.rules[f.rule].id.clone();
                    self.warnings.push(Warning::new(
                        "element-too-large",
                        format!(
                            "rule {rule}: the element it matched is larger than {MAX_HOLD} bytes; it was kept"
                        ),
                    ));
                    self.release_all();
                }
            }
            _ => self.out.append(bytes),
        }
    }

    /// Content showed: every element still held has it, and is kept.
    fn release_all(&mut self) {
        let first = self
            .frames
            .iter()
            .position(|f| f.holding)
            .unwrap_or(self.frames.len());
        let mut released = Out::default();
        for f in &mut self.frames[first..] {
            f.holding = false;
            pass_up(&mut released, std::mem::take(&mut f.out));
        }
        let below = match self.frames[..first].last_mut() {
            Some(f) if f.holding => &mut f.out,
            _ => &mut self.out,
        };
        pass_up(below, released);
    }

    fn marker(&mut self, op: Op, raw: &[u8]) {
        self.route(raw);
        if op == Op::Block && self.holding() {
            // A Markdown block is content.
            self.release_all();
        }
    }

    fn token(&mut self, token: Token, raw: &[u8]) {
        match token {
            Token::Other => self.route(raw),
            Token::Lt => self.text(raw),
            Token::Start {
                name, self_closing, ..
            } => {
                if TEXT_ONLY.contains(&name.as_slice()) {
                    self.text_only = Some(name.clone());
                }
                if self.holding() && MEDIA.contains(&name.as_slice()) {
                    self.release_all();
                }
                if self_closing || VOID.contains(&name.as_slice()) {
                    self.route(raw);
                    return;
                }
                let rule = self.rule_for(&name);
                if let Some(rule) = rule {
                    self.frames.push(Frame {
                        rule,
                        out: Out::default(),
                        holding: true,
                    });
                }
                self.route(raw);
                self.open.push(Open {
                    name: name.into_boxed_slice(),
                    rule,
                });
            }
            Token::End { name } => {
                let Some(index) = self.open.iter().rposition(|o| *o.name == *name) else {
                    self.route(raw);
                    return;
                };
                // Elements opened after it end here without their own end tag: kept.
                while self.open.len() > index + 1 {
                    if self.open.pop().expect("len checked").rule.is_some() {
                        self.keep();
                    }
                }
                self.route(raw);
                if self.open.pop().expect("index exists").rule.is_some() {
                    self.close();
                }
            }
        }
    }

    /// The top frame ends unjudged (closed by an ancestor, or never): its bytes go on.
    fn keep(&mut self) {
        let frame = self.frames.pop().expect("a frame per targeted element");
        if frame.holding {
            let held = frame.out;
            pass_up(self.target(), held);
        }
    }

    /// The top frame's own end tag came: it goes if it is still empty.
    fn close(&mut self) {
        let frame = self.frames.pop().expect("a frame per targeted element");
        if !frame.holding {
            return;
        }
        let buf = &frame.out.buf;
        self.stats
            .removed_with(frame.rule, buf.len() - markers::marker_bytes(buf), || {
                crate::report::utf8(&markers::strip(buf)).into_owned()
            });
        let keeps_space = removal_keeps_space(buf);
        let target = self.target();
        if keeps_space {
            target.append(b" ");
        }
        target.arm_join();
    }

    fn flush_if_large(&mut self) -> std::io::Result<()> {
        if self.out.buf.len() >= FLUSH_AT && !self.frames.iter().any(|f| f.holding) {
            self.out.flush_settled(&mut self.writer)?;
        }
        Ok(())
    }

    /// Ends the stream: elements still open are kept, everything is written out.
    pub fn finish(mut self) -> std::io::Result<(W, Vec<Warning>)> {
        let pending = std::mem::take(&mut self.pending);
        self.text(&pending);
        while let Some(open) = self.open.pop() {
            if open.rule.is_some() {
                self.keep();
            }
        }
        self.writer.write_all(&self.out.buf)?;
        Ok((self.writer, self.warnings))
    }
}

impl<W: Write> Write for EmptyFilter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.targets.is_empty() {
            return self.writer.write(buf);
        }
        if self.pending.is_empty() {
            self.process(buf);
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(buf);
            self.process(&joined);
        }
        self.flush_if_large()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn pass_up(target: &mut Out, held: Out) {
    let armed = held.join_armed();
    target.append(&held.buf);
    if armed {
        target.arm_join();
    }
}

/// Whether text is only whitespace, no-break and other blank spaces, raw or as `&nbsp;`
/// and its kin. An entity or a character cut at the end counts as content: the safe side.
fn is_blank(text: &[u8]) -> bool {
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b if is_space(b) => i += 1,
            b'&' => {
                let name_len = text[i + 1..]
                    .iter()
                    .take(12)
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
                    .count();
                let end = i + 1 + name_len;
                if text.get(end) != Some(&b';') || !is_blank_entity(&text[i + 1..end]) {
                    return false;
                }
                i = end + 1;
            }
            b if b >= 0x80 => {
                let run = text[i..].iter().take_while(|&&b| b >= 0x80).count();
                if !is_unicode_blank(&text[i..i + run]) {
                    return false;
                }
                i += run;
            }
            _ => return false,
        }
    }
    true
}

/// How many bytes at the end of `text` may be the start of a character reference or of a
/// UTF-8 character that the next piece completes.
fn unfinished_tail(text: &[u8]) -> usize {
    let window = &text[text.len().saturating_sub(14)..];
    if let Some(amp) = memchr::memrchr(b'&', window)
        && window[amp + 1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'#')
    {
        return window.len() - amp;
    }
    // A lead byte whose continuation bytes have not all come.
    let lead = text.iter().rev().take(4).position(|&b| b & 0xC0 != 0x80);
    match lead {
        Some(back) => {
            let b = text[text.len() - 1 - back];
            let need = match b {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            if need > back + 1 { back + 1 } else { 0 }
        }
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Catalog;

    const RULES: &str = r#"
[[rule]]
id = "empty"
action = "remove-empty"
selector = "div, p, li, ul, span"
note = "n"
"#;

    /// The filter's output for `input` handed over in pieces of `size` bytes.
    fn filter(input: &str, size: usize) -> (String, usize) {
        let catalog =
            Catalog::from_sources(vec![("common".into(), "c.toml".into(), RULES.into())]).unwrap();
        let rules = catalog.rules_for(None, None);
        assert!(runs_here(rules[0]));
        let markers = Markers::new();
        let stats = Stats::new(rules.len());
        let mut f = EmptyFilter::new(&markers, &rules, &[true], &stats, Vec::new());
        for piece in input.as_bytes().chunks(size) {
            f.write_all(piece).unwrap();
        }
        let (out, _) = f.finish().unwrap();
        let removed = stats.snapshot()[0].times as usize;
        (String::from_utf8(out).unwrap(), removed)
    }

    fn check(input: &str, expected: &str, removed: usize) {
        for size in [1, 2, 3, 7, 64, 4096] {
            assert_eq!(
                filter(input, size),
                (expected.to_string(), removed),
                "pieces of {size}"
            );
        }
    }

    #[test]
    fn empty_containers_go_from_the_inside_out() {
        check("<div> <p>&nbsp;</p> </div><p>x</p>", "<p>x</p>", 2);
        check("<p>a<span> </span>b</p>", "<p>a b</p>", 1);
        check("<p><br></p><p>\u{3000}</p>", "", 2);
    }

    #[test]
    fn text_and_media_are_content() {
        check("<div><img src=a></div>", "<div><img src=a></div>", 0);
        check(
            "<div><!-- c --><p>字</p></div>",
            "<div><!-- c --><p>字</p></div>",
            0,
        );
        check("<p>&amp;</p>", "<p>&amp;</p>", 0);
        check("<p> < </p>", "<p> < </p>", 0);
    }

    #[test]
    fn elements_hold_what_lol_html_says_they_hold() {
        // Text-only elements: no tags inside, so this `</div>` closes nothing.
        check(
            "<div><script>'</div>'</script></div>",
            "<div><script>'</div>'</script></div>",
            0,
        );
        // Closed by an ancestor's end tag, or never: kept.
        check("<ul><li>a<li> </ul>", "<ul><li>a<li> </ul>", 0);
        check("<div> ", "<div> ", 0);
        // Self-closing and void elements hold nothing; quotes hide `>`.
        check("<div/><p title='a>b'></p>", "<div/>", 1);
    }
}
