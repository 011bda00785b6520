//! The last HTML stage: rules judged on the rewriter's output.
//!
//! `remove-empty` and `remove-if-text` on plain tag names (common's `div, p, span, …`, an
//! outlet's promo paragraphs on `p`) match most elements of every page. As lol_html
//! handlers, each such element would be captured, written back and framed by markers: the
//! larger part of all the work, measured. So those rules run here instead, on the
//! rewriter's output: a small tokenizer (`crate::tokenizer`) keeps its own stack of open
//! elements, ending them as lol_html does (an end tag closes the nearest open element of
//! its name, and with it every element opened after; void and self-closing elements hold
//! nothing; `script`, `style` and the like hold text, not tags). A candidate is held from its
//! start tag until its fate is certain (content shows, its text outgrows every pattern) or
//! its end tag comes, and then judged as the sink judges (see `sink`): the same text, the
//! same ranks, the same warnings. An element closed by an ancestor's end tag, or never, is
//! kept.

use super::frame::Stack;
use super::scan::{is_blank_entity, is_unicode_blank};
use super::sink::Finished;
use crate::actions::{NameTest, Stage};
use crate::html;
use crate::markers::{self, Markers, Op, Parsed};
use crate::pass::Pass;
use crate::report::{Stats, Warning};
use crate::rules::Rule;
use crate::text::may_lead_blank;
use crate::tokenizer::{Attr, EndTag, Name, OpenElements, Token, find_end_tag, is_space, tokenize};
use smallvec::SmallVec;
use std::io::Write;

/// The most bytes held for one undecided element, or kept waiting for a token's end.
const MAX_HOLD: usize = 1 << 20;
/// The most elements open at once: past this the document passes through unchanged, as
/// the rewriter's own memory bound does (its stack costs ~128 bytes an element; this one
/// 24, and a frame at most ~150 more for each element a rule targets), so that memory
/// stays bounded whatever the nesting.
pub(super) const MAX_OPEN: usize = 1 << 16;
const FLUSH_AT: usize = 16 << 10;

/// Whether this stage, not a lol_html handler, runs `rule`.
pub fn runs_here(rule: &Rule) -> bool {
    rule.action.stage() == Stage::Judge
}

/// A `drop-attr` rule on every element.
struct Drop<'a> {
    rule: usize,
    test: &'a NameTest,
}

pub struct Judge<'a, W: Write> {
    markers: &'a Markers,
    stats: &'a Stats,
    /// Tag name and the rules that target it, in rule order (borrowed and held inline:
    /// built for every document, they were a measured part of its fixed cost).
    targets: Vec<(&'a [u8], SmallVec<[usize; 2]>)>,
    drops: Vec<Drop<'a>>,
    writer: W,
    /// The names of the open elements. A frame names its element by its place here.
    open: OpenElements,
    /// The document nests deeper than `MAX_OPEN`: from there on it passes through as it is.
    gave_up: bool,
    stack: Stack<'a>,
    pending: Vec<u8>,
    /// Inside an element that holds only text: its name.
    text_only: Option<Name>,
}

impl<'a, W: Write> Judge<'a, W> {
    /// A judge for the rules of the pass this stage runs and can act on its input.
    pub fn new(pass: &'a Pass<'_>, writer: W) -> Self {
        let (rules, stats) = (&pass.rules[..], &pass.stats);
        let mut targets: Vec<(&'a [u8], SmallVec<[usize; 2]>)> = Vec::new();
        let mut drops = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            if !pass.active[i] || !runs_here(rule) {
                continue;
            }
            if let Some(test) = rule.action.attribute_test() {
                drops.push(Drop { rule: i, test });
                continue;
            }
            let Some(css) = rule.action.selector() else {
                continue;
            };
            for tag in css.tags.iter().flatten() {
                match targets.iter_mut().find(|(t, _)| *t == tag.as_bytes()) {
                    Some((_, list)) => list.push(i),
                    None => targets.push((tag.as_bytes(), smallvec::smallvec![i])),
                }
            }
        }
        Judge {
            markers: pass.markers,
            stats,
            targets,
            drops,
            writer,
            open: OpenElements::default(),
            gave_up: false,
            stack: Stack::new(pass, MAX_HOLD, FLUSH_AT),
            pending: Vec::new(),
            text_only: None,
        }
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
                let cut = if self.judging() {
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
            match tokenize(rest, !self.drops.is_empty()) {
                Some((token, _)) if self.open.len() >= MAX_OPEN && opens_element(&token) => {
                    self.give_up();
                    // No frame is left: this goes to the output as it is.
                    self.stack.put(rest);
                    return;
                }
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

    /// The document nests deeper than `MAX_OPEN`: every element held is kept as it stands,
    /// and the rest of the document passes through unchanged.
    fn give_up(&mut self) {
        self.stack.keep_all();
        self.stack.warnings.push(Warning::new(
            "too-deep",
            format!(
                "the document nests more than {MAX_OPEN} elements deep; from there on it was passed through unchanged"
            ),
        ));
        self.gave_up = true;
        self.open = OpenElements::default();
        self.text_only = None;
    }

    /// Whether the innermost frame still learns from what comes.
    fn judging(&self) -> bool {
        self.stack
            .frames
            .last()
            .is_some_and(|f| f.seen.wants_bytes())
    }

    /// Text between tags.
    fn text(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let stack = &mut self.stack;
        if let Some(top) = stack.frames.last_mut()
            && top.seen.wants_bytes()
        {
            if top.seen.text.is_some() {
                stack.scanner.feed(bytes, &mut top.seen);
            } else if !is_blank(bytes) {
                top.seen.has_content = true;
            }
        }
        stack.put(bytes);
    }

    /// Markup: a tag the innermost frame may count as content (media, a divider), or nothing
    /// it counts.
    fn markup(&mut self, bytes: &[u8], media: bool) {
        let stack = &mut self.stack;
        if let Some(top) = stack.frames.last_mut()
            && top.seen.wants_bytes()
        {
            if top.seen.text.is_some() {
                stack.scanner.feed(bytes, &mut top.seen);
            } else if media {
                top.seen.has_content = true;
            }
        }
        stack.put(bytes);
    }

    fn marker(&mut self, op: Op, raw: &[u8]) {
        self.stack.put_marker(op, raw);
    }

    fn token(&mut self, token: Token, raw: &[u8]) {
        match token {
            Token::Other => self.markup(raw, false),
            Token::Lt => self.text(raw),
            Token::Start {
                name,
                self_closing,
                attrs,
            } => {
                let rewritten = self.drop_attributes(raw, &attrs, self_closing);
                let raw = rewritten.as_deref().unwrap_or(raw);
                if html::has(html::RAW_TEXT, &name) {
                    self.text_only = Some(name.clone());
                }
                let media = html::is_content(&name);
                if self_closing || html::has(html::VOID, &name) {
                    self.markup(raw, media);
                    return;
                }
                match self.targets.iter().find(|(t, _)| *t == name.as_slice()) {
                    Some((_, rules)) => {
                        let limit = rules
                            .iter()
                            .filter_map(|&r| self.stack.rules[r].action.text_limit())
                            .max();
                        self.stack.open(self.open.len() as u32, rules, limit);
                        // Its own start tag is not its content.
                        self.stack.put(raw);
                        if let Some(top) = self.stack.frames.last_mut() {
                            top.seen.own_tag_done = true;
                        }
                    }
                    None => self.markup(raw, media),
                }
                self.open.push(name);
            }
            Token::End { name } => {
                let Some(index) = self.open.find(&name) else {
                    self.markup(raw, false);
                    return;
                };
                // Elements opened after it end here without their own end tag: kept.
                while self.open.len() > index + 1 {
                    self.open.pop();
                    if self.framed(self.open.len()) {
                        self.stack.keep_top(true);
                    }
                }
                self.markup(raw, false);
                self.open.pop();
                if self.framed(index) {
                    self.stack.close_top();
                }
            }
        }
    }

    /// The start tag without the attributes the `drop-attr` rules drop, written back as
    /// lol_html writes a changed tag; None if none is dropped.
    fn drop_attributes(&self, raw: &[u8], attrs: &[Attr], self_closing: bool) -> Option<Vec<u8>> {
        let dropper = |a: &Attr| {
            let name = &raw[a.name.clone()];
            self.drops
                .iter()
                .find(|d| d.test.matches(name))
                .map(|d| d.rule)
        };
        // Most tags keep every attribute: nothing is built for them.
        if !attrs.iter().any(|a| dropper(a).is_some()) {
            return None;
        }
        let name_end = raw[1..]
            .iter()
            .position(|&b| is_space(b) || b == b'/' || b == b'>')
            .map_or(raw.len(), |p| p + 1);
        let mut out = Vec::with_capacity(raw.len());
        out.extend_from_slice(&raw[..name_end]);
        let mut fired: Vec<usize> = Vec::new();
        let mut kept = 0;
        for a in attrs {
            match dropper(a) {
                Some(rule) if !fired.contains(&rule) => fired.push(rule),
                Some(_) => {}
                None => {
                    out.push(b' ');
                    out.extend_from_slice(&raw[a.name.start..a.raw_end]);
                    kept += 1;
                }
            }
        }
        for rule in fired {
            self.stats.fired(rule, 0);
        }
        if self_closing {
            if kept > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(b"/>");
        } else {
            out.push(b'>');
        }
        Some(out)
    }

    /// Whether the open element at `index` still has a frame (it is the innermost one):
    /// elements settled for good leave theirs early (see `Stack::settle_top`).
    fn framed(&self, index: usize) -> bool {
        self.stack
            .frames
            .last()
            .is_some_and(|f| f.occurrence as usize == index)
    }

    /// Ends the stream: elements still open are kept, everything is written out.
    pub fn finish(mut self) -> std::io::Result<Finished<W>> {
        let pending = std::mem::take(&mut self.pending);
        self.text(&pending);
        self.stack.end();
        self.writer.write_all(&self.stack.out.buf)?;
        Ok(Finished {
            writer: self.writer,
            warnings: self.stack.warnings.into_vec(),
            removed_blocks: self.stack.removed_blocks,
        })
    }
}

impl<W: Write> Write for Judge<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.targets.is_empty() && self.drops.is_empty() {
            return self.writer.write(buf);
        }
        if self.gave_up {
            self.writer.write_all(&self.stack.out.buf)?;
            self.stack.out.buf.clear();
            self.writer.write_all(buf)?;
            return Ok(buf.len());
        }
        let data = super::after_held(&mut self.pending, buf);
        self.process(&data);
        self.stack.flush_if_large(&mut self.writer)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether a token opens an element that holds content (and so goes on the open stack).
fn opens_element(token: &Token) -> bool {
    matches!(token, Token::Start { name, self_closing: false, .. } if !html::has(html::VOID, name))
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
            b if may_lead_blank(b) => {
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
[[rule]]
id = "promo"
action = "remove-if-text"
selector = "p"
pattern = '^订阅 广告&$'
max_chars = 10
note = "n"
"#;

    /// The judge's output with the rule file `rules` for `input` handed over in pieces of
    /// `size` bytes, and how many times its rules fired.
    pub(super) fn judged(rules: &str, input: &str, size: usize) -> (String, usize) {
        let catalog = Catalog::of_common(rules);
        let markers = Markers::new();
        let pass = Pass::new(&catalog, &markers, catalog.rules_for(None, None), true);
        assert!(runs_here(pass.rules[0]));
        let mut judge = Judge::new(&pass, Vec::new());
        for piece in input.as_bytes().chunks(size.max(1)) {
            judge.write_all(piece).unwrap();
        }
        let out = judge.finish().unwrap().writer;
        let fired = pass.stats.snapshot().iter().map(|c| c.times as usize).sum();
        (String::from_utf8(out).unwrap(), fired)
    }

    fn filter(input: &str, size: usize) -> (String, usize) {
        judged(RULES, input, size)
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
    fn text_rules_read_the_text_left_after_other_removals() {
        // Text across tags and entities, whitespace folded; then the emptied wrapper.
        check(
            "<div><p>订阅\n <b>广告</b>&amp;<span> </span></p></div><p>正文</p>",
            "<p>正文</p>",
            3,
        );
        // Longer than the rule reads: kept, and judged no further.
        check(
            "<p>订阅 广告&amp; 还有很多很多文字</p>",
            "<p>订阅 广告&amp; 还有很多很多文字</p>",
            0,
        );
    }

    #[test]
    fn text_that_begins_otherwise_is_kept_without_reading_on() {
        // Ruled out by its first characters (the rule's pattern is anchored): kept whole,
        // and an empty child still goes.
        check(
            "<p>正文<span> </span>订阅 广告&amp;</p><p> 订阅 <i>广告</i>&amp;</p>",
            "<p>正文 订阅 广告&amp;</p>",
            2,
        );
        // Inside a paragraph whose text is read, a child's text is read to the end.
        check("<p>订<b>阅</b> 广告&amp;</p>", "", 1);
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
        // A divider the author put in a container is no hole.
        check("<div>\n <hr/>\n</div>", "<div>\n <hr/>\n</div>", 0);
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

#[cfg(test)]
mod drop_tests {
    use lol_html::html_content::Element;
    use lol_html::{ElementContentHandlers, HtmlRewriter, Settings};
    use std::borrow::Cow;

    /// What lol_html writes when a handler removes the `on…` attributes.
    fn by_lol_html(html: &str) -> String {
        let everything: lol_html::Selector = "*".parse().unwrap();
        let settings = Settings::new().append_element_content_handler((
            Cow::Borrowed(&everything),
            ElementContentHandlers::default().element(|el: &mut Element| {
                let names: Vec<String> = el
                    .attributes()
                    .iter()
                    .map(|a| a.name())
                    .filter(|n| n.starts_with("on"))
                    .collect();
                for n in names {
                    el.remove_attribute(&n);
                }
                Ok(())
            }),
        ));
        let mut out = Vec::new();
        let mut rewriter = HtmlRewriter::new(settings, |c: &[u8]| out.extend_from_slice(c));
        rewriter.write(html.as_bytes()).unwrap();
        rewriter.end().unwrap();
        String::from_utf8(out).unwrap()
    }

    fn by_judge(html: &str) -> String {
        let rules = r#"
[[rule]]
id = "on"
action = "drop-attr"
selector = "*"
pattern = "^on"
note = "n"
"#;
        super::tests::judged(rules, html, html.len()).0
    }

    #[test]
    fn attributes_are_dropped_as_lol_html_drops_them() {
        for html in [
            "<p onclick=\"x()\">a</p>",
            "<a\thref='/x'  ONCLICK=y\nTitle = \"t\" data-x>b</a>",
            "<img src=a.jpg onload=f() alt=\"\"/>",
            "<img onload=f()/>",
            "<br onclick=x />",
            "<div class=a onclick=\"1\" onclick=\"2\" id=b>c</div>",
            "<span title=\"on\" on>d</span>",
            "<input value=x onfocus=>",
            "<p>no handlers <b class=x>here</b></p>",
        ] {
            assert_eq!(by_judge(html), by_lol_html(html), "{html:?}");
        }
    }
}
