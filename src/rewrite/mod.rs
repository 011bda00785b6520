//! The HTML stage: one lol_html pass per document, built from the document's rules.
//!
//! Handlers only rename, rewrite attributes and write markers; the sink does the removing
//! (see `sink`), so that no removal reaches past the element it was meant for.

mod frame;
mod judge;
pub use judge::runs_here as runs_after_rewriter;
pub mod markers;
mod scan;
pub mod sink;

use crate::report::{Stats, Warning, preview};
use crate::rules::{Action, Rule};
use lol_html::errors::RewritingError;
use lol_html::html_content::{Comment, ContentType, Element};
use lol_html::{
    DocumentContentHandlers, ElementContentHandlers, HtmlRewriter, MemorySettings, Selector,
    Settings, end_tag,
};
use markers::{Markers, Op};
use sink::{Sink, SinkConfig};
use std::borrow::Cow;
use std::cell::Cell;
use std::io::{BufRead, Write};
use std::rc::Rc;

/// lol_html's own buffers (open-element stack, a tag's attributes) may not outgrow this.
const REWRITER_MEMORY: usize = 16 << 20;
/// Big enough for lol_html to work in large strides, small enough to hold per stream.
pub const READ_CHUNK: usize = 16 << 10;

type ElementHandler<'h> = Box<dyn FnMut(&mut Element) -> lol_html::HandlerResult + 'h>;

/// State the handlers share for one document.
struct Shared {
    markers: Markers,
    /// How deep inside `keep-only` regions the parser is.
    region_depth: Cell<u32>,
}

impl Shared {
    fn join(&self) -> markers::Marker {
        self.markers.encode(Op::Join, 0, 0)
    }
}

/// What the HTML pass leaves besides the output.
pub struct Outcome<W> {
    pub writer: W,
    pub warnings: Vec<Warning>,
    /// Markdown blocks removed with the element around them, and the rule that did it.
    pub removed_blocks: Vec<(u32, usize)>,
}

/// Runs the HTML rules over `input`, writing to `writer`. `rules` is the document's whole
/// rule list (source-level rules are skipped here); `active` says which of them can act
/// on this input (see `Catalog::can_act`); `stats` is indexed like them.
pub fn run<W: Write>(
    rules: &[&Rule],
    active: &[bool],
    markers: &Markers,
    stats: &Stats,
    keep_only: bool,
    mut input: impl BufRead,
    writer: W,
) -> std::io::Result<Outcome<W>> {
    let shared = Rc::new(Shared {
        markers: markers.clone(),
        region_depth: Cell::new(0),
    });
    let settings = settings(rules, active, &shared, stats, keep_only);
    let writer = judge::Judge::new(markers, rules, active, stats, writer);
    // Outside the regions everything goes, counted to the first `keep-only` rule.
    let region_rule = keep_only
        .then(|| {
            (rules.iter().zip(active))
                .position(|(r, &on)| on && matches!(r.action, Action::KeepOnly(_)))
        })
        .flatten();
    let config = SinkConfig {
        region_rule,
        ..SinkConfig::default()
    };
    let mut sink = Sink::new(markers, rules, stats, writer, config);
    let mut bailed_out = false;
    {
        let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| sink.write(chunk));
        loop {
            let chunk = next_chunk(&mut input)?;
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len();
            let written = rewriter.write(chunk);
            input.consume(n);
            if let Err(e) = written {
                if !matches!(e, RewritingError::MemoryLimitExceeded(_)) {
                    return Err(std::io::Error::other(e));
                }
                bailed_out = true;
                break;
            }
        }
        if !bailed_out && let Err(e) = rewriter.end() {
            if !matches!(e, RewritingError::MemoryLimitExceeded(_)) {
                return Err(std::io::Error::other(e));
            }
            bailed_out = true;
        }
    }
    if bailed_out {
        // lol_html flushed what it had not parsed; the rest of the input follows unchanged.
        sink.warn(Warning::new(
            "too-deep",
            "the document nests too deeply for the rewriter's memory bound; from that point on it was passed through unchanged",
        ));
        // Unchanged means kept, outside a `keep-only` region or not. (What lol_html
        // flushed when it gave up has already gone through the sink as it stood.)
        sink.keep_the_rest();
        loop {
            let chunk = next_chunk(&mut input)?;
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len();
            sink.write(chunk);
            input.consume(n);
        }
    }
    let sink::Finished {
        writer,
        mut warnings,
        mut removed_blocks,
    } = sink.finish()?;
    let judged = writer.finish()?;
    warnings.extend(judged.warnings);
    removed_blocks.extend(judged.removed_blocks);
    let writer = judged.writer;
    Ok(Outcome {
        writer,
        warnings,
        removed_blocks,
    })
}

fn settings<'h>(
    rules: &'h [&'h Rule],
    active: &[bool],
    shared: &Rc<Shared>,
    stats: &'h Stats,
    keep_only: bool,
) -> Settings<'h, 'h> {
    let memory = MemorySettings::new()
        .with_max_allowed_memory_usage(REWRITER_MEMORY)
        .with_graceful_bail_out_on_memory_limit_exceeded(true);
    let mut settings = Settings::new()
        .with_strict(false)
        .with_memory_settings(memory);
    let mut elements: Vec<(Cow<'h, Selector>, ElementContentHandlers<'h>)> = Vec::new();
    let mut documents: Vec<DocumentContentHandlers<'h>> = Vec::new();

    // `keep-only`: the handlers mark where the outermost region starts and ends, and the
    // sink drops what lies outside as it comes. (Unwrapping every element and removing every
    // text outside, in handlers, made lol_html decode every text and rewrite every tag.)
    if keep_only {
        for (i, rule) in rules.iter().enumerate() {
            let Action::KeepOnly(css) = &rule.action else {
                continue;
            };
            if !active[i] {
                continue;
            }
            let sh = Rc::clone(shared);
            elements.push((
                Cow::Borrowed(&css.compiled),
                ElementContentHandlers::default().element(move |el: &mut Element| {
                    if !el.can_have_content() {
                        return Ok(());
                    }
                    let depth = sh.region_depth.get();
                    if depth == 0 {
                        el.before(&sh.markers.encode(Op::RegionStart, 0, 0), ContentType::Html);
                    }
                    sh.region_depth.set(depth + 1);
                    let tag = el.tag_name();
                    let sh = Rc::clone(&sh);
                    el.on_end_tag(end_tag!(move |end| {
                        let depth = sh.region_depth.get().saturating_sub(1);
                        sh.region_depth.set(depth);
                        if depth == 0 {
                            let region_end = sh.markers.encode(Op::RegionEnd, 0, 0);
                            // Closed by an ancestor's end tag: that tag is outside.
                            if end.name() == tag {
                                end.after(&region_end, ContentType::Html);
                            } else {
                                end.before(&region_end, ContentType::Html);
                            }
                        }
                        Ok(())
                    }))
                }),
            ));
        }
    }

    for (i, rule) in rules.iter().enumerate() {
        if !active[i] || judge::runs_here(rule) {
            continue;
        }
        let sh = Rc::clone(shared);
        let handler: Option<(&'h Selector, ElementHandler<'h>)> = match &rule.action {
            Action::Remove(css)
            | Action::RemoveEmpty(css)
            | Action::ReplaceWith { selector: css, .. }
            | Action::RemoveIfText { selector: css, .. } => {
                Some((
                    &css.compiled,
                    Box::new(move |el: &mut Element| {
                        if let Action::ReplaceWith { with, .. } = &rules[i].action {
                            // The replacement goes in first; the element itself is then
                            // removed like any other, only if its end is seen.
                            let Some(filled) = fill_template(with, el) else {
                                return Ok(());
                            };
                            el.before(&filled, ContentType::Html);
                        }
                        if el.can_have_content() {
                            // Several rules may frame one element: the sink merges their
                            // markers by the element's place in the input.
                            let n = el.source_location().bytes().start as u32;
                            el.before(&sh.markers.encode(Op::Open, i as u32, n), ContentType::Html);
                            let tag = el.tag_name();
                            let sh = Rc::clone(&sh);
                            el.on_end_tag(end_tag!(move |end| {
                                // lol_html ends an implicitly closed element at its ancestor's
                                // end tag: that tag is not ours to remove.
                                if end.name() == tag {
                                    end.after(
                                        &sh.markers.encode(Op::Close, 0, n),
                                        ContentType::Html,
                                    );
                                } else {
                                    end.before(
                                        &sh.markers.encode(Op::Close, 1, n),
                                        ContentType::Html,
                                    );
                                }
                                Ok(())
                            }))?;
                        } else if matches!(
                            rules[i].action,
                            Action::Remove(_) | Action::ReplaceWith { .. }
                        ) {
                            // The preview is built only for the first few removals.
                            let tag = || {
                                let attrs: Vec<String> = el
                                    .attributes()
                                    .iter()
                                    .map(|a| format!(" {}=\"{}\"", a.name(), a.value()))
                                    .collect();
                                preview(&format!("<{}{}>", el.tag_name(), attrs.concat()))
                            };
                            stats.removed_with(i, el.source_location().bytes().len(), tag);
                            el.before(&sh.join(), ContentType::Html);
                            el.remove();
                        }
                        Ok(())
                    }),
                ))
            }
            Action::Unwrap(css) => Some((
                &css.compiled,
                Box::new(move |el: &mut Element| {
                    stats.fired(i, 0);
                    unwrap(el, &sh)
                }),
            )),
            Action::Rename { selector, to } => Some((
                &selector.compiled,
                Box::new(move |el: &mut Element| {
                    stats.fired(i, 0);
                    let tag = el.tag_name();
                    el.start_tag().set_name(to.as_str());
                    if el.can_have_content() {
                        let to = to.clone();
                        el.on_end_tag(end_tag!(move |end| {
                            if end.name() == tag {
                                end.set_name(to.as_str());
                            }
                            Ok(())
                        }))?;
                    }
                    Ok(())
                }),
            )),
            Action::MoveAttr { selector, from, to } => Some((
                &selector.compiled,
                Box::new(move |el: &mut Element| {
                    if let Some(value) = el.get_attribute(from) {
                        el.remove_attribute(from);
                        if el.set_attribute(to, &value).is_ok() {
                            stats.fired(i, 0);
                        }
                    }
                    Ok(())
                }),
            )),
            Action::RewriteAttr {
                selector,
                attr,
                pattern,
                with,
            } => Some((
                &selector.compiled,
                Box::new(move |el: &mut Element| {
                    if let Some(value) = el.get_attribute(attr)
                        && pattern.is_match(&value)
                    {
                        let new = pattern.replace(&value, with.as_str()).into_owned();
                        if el.set_attribute(attr, &new).is_ok() {
                            stats.fired(i, 0);
                        }
                    }
                    Ok(())
                }),
            )),
            Action::DropAttr { selector, pattern } => {
                let test = crate::rules::NameTest::new(pattern);
                Some((
                    &selector.compiled,
                    Box::new(move |el: &mut Element| {
                        let names: Vec<String> = el
                            .attributes()
                            .iter()
                            .map(|a| a.name())
                            .filter(|n| test.matches(n.as_bytes()))
                            .collect();
                        for name in &names {
                            el.remove_attribute(name);
                        }
                        if !names.is_empty() {
                            stats.fired(i, 0);
                        }
                        Ok(())
                    }),
                ))
            }
            Action::RemoveComments(pattern) => {
                documents.push(DocumentContentHandlers::default().comments(
                    move |c: &mut Comment| {
                        let text = c.text();
                        if pattern.is_match(&text) {
                            stats.removed_with(i, text.len() + 7, || {
                                preview(&format!("<!--{text}-->"))
                            });
                            c.replace(&sh.join(), ContentType::Html);
                        }
                        Ok(())
                    },
                ));
                None
            }
            Action::KeepOnly(_)
            | Action::DropLinkBlock(_)
            | Action::DropLines { .. }
            | Action::Cut { .. }
            | Action::Replace { .. }
            | Action::Unescape { .. }
            | Action::RepairMojibake(_) => None,
        };
        if let Some((selector, handler)) = handler {
            elements.push((
                Cow::Borrowed(selector),
                ElementContentHandlers::default().element(handler),
            ));
        }
    }

    for handler in elements {
        settings = settings.append_element_content_handler(handler);
    }
    for handler in documents {
        settings = settings.append_document_content_handler(handler);
    }
    settings
}

/// A `replace-with` template with each `{attr}` replaced by the text of that attribute,
/// escaped: attribute values become text, never markup. None if an attribute is missing.
fn fill_template(template: &str, el: &Element<'_, '_>) -> Option<String> {
    let mut out = template.to_string();
    for name in crate::rules::placeholders(template) {
        let raw = el.get_attribute(name)?;
        // The value as the browser reads it, and that value's own text when a site keeps
        // markup in an attribute (`title="a&lt;br /&gt;b"`).
        let value = crate::report::text_of(&html_escape::decode_html_entities(&raw));
        let safe = html_escape::encode_double_quoted_attribute(&value);
        out = out.replace(&format!("{{{name}}}"), &safe);
    }
    Some(out)
}

/// Removes an element's own tags, keeping its content, and marks the places so the sink can
/// join the whitespace around them.
fn unwrap(el: &mut Element<'_, '_>, sh: &Rc<Shared>) -> lol_html::HandlerResult {
    el.before(&sh.join(), ContentType::Html);
    el.start_tag().remove();
    if el.can_have_content() {
        let tag = el.tag_name();
        let join = sh.join();
        el.on_end_tag(end_tag!(move |end| {
            if end.name() == tag {
                end.remove();
                end.after(&join, ContentType::Html);
            }
            Ok(())
        }))?;
    }
    Ok(())
}

/// The next piece of `input`, at most `READ_CHUNK` bytes, empty at its end. A document in
/// memory is read in place: no buffer to fill, nothing copied.
fn next_chunk(input: &mut impl BufRead) -> std::io::Result<&[u8]> {
    loop {
        match input.fill_buf() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(_) => break,
        }
    }
    // The buffer the loop filled, asked for again: returning it from inside the loop does
    // not pass today's borrow checker, and this second call reads nothing.
    let chunk = input.fill_buf()?;
    Ok(&chunk[..chunk.len().min(READ_CHUNK)])
}

/// `chunk` with what the stage held back from the chunk before (a token or marker that
/// chunk cut) in front of it; the chunk itself, as usual, when nothing was held.
fn after_held<'a>(held: &mut Vec<u8>, chunk: &'a [u8]) -> Cow<'a, [u8]> {
    if held.is_empty() {
        return Cow::Borrowed(chunk);
    }
    let mut joined = std::mem::take(held);
    joined.extend_from_slice(chunk);
    Cow::Owned(joined)
}

/// Whether any `keep-only` region of `rules` occurs in `html`: a region that is absent
/// must not empty the document.
pub fn has_region(rules: &[&Rule], active: &[bool], html: &[u8]) -> bool {
    let regions: Vec<&Rule> = (rules.iter().zip(active))
        .filter(|&(r, &on)| on && matches!(r.action, Action::KeepOnly(_)))
        .map(|(r, _)| *r)
        .collect();
    if regions.is_empty() {
        return false;
    }
    let found = Cell::new(false);
    let mut settings = Settings::new().with_strict(false);
    for rule in regions {
        if let Action::KeepOnly(css) = &rule.action {
            settings = settings.append_element_content_handler((
                Cow::Borrowed(&css.compiled),
                ElementContentHandlers::default().element(|_el: &mut Element| {
                    found.set(true);
                    // The answer is known: an error stops the pass here.
                    Err("region found".into())
                }),
            ));
        }
    }
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    if rewriter.write(html).is_ok() {
        let _ = rewriter.end();
    }
    found.get()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Catalog;

    /// Hands out its bytes `size` at a time, as a slow network would.
    struct Trickle<'a> {
        data: &'a [u8],
        size: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    impl BufRead for Trickle<'_> {
        fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
            Ok(&self.data[..self.size.min(self.data.len())])
        }

        fn consume(&mut self, n: usize) {
            self.data = &self.data[n..];
        }
    }

    const RULES: &str = r#"
[[rule]]
id = "ad"
action = "remove"
selector = "div.ad"
note = "n"
[[rule]]
id = "footer"
action = "remove-if-text"
selector = "p"
pattern = '^获取更多RSS：&$'
note = "n"
[[rule]]
id = "ok"
action = "unwrap"
selector = "ok"
note = "n"
[[rule]]
id = "nan"
action = "remove-comments"
pattern = "^NaN$"
note = "n"
[[rule]]
id = "empty"
action = "remove-empty"
selector = "section"
note = "n"
"#;

    #[test]
    fn output_does_not_depend_on_how_the_input_is_split() {
        let catalog = Catalog::of_common(RULES);
        let rules = catalog.rules_for(None, None);
        let markers = Markers::new();
        let input = "<!--NaN--><div>\n <p>正文 <ok href=\"x\">\n  链接&amp;\n </ok>\n 后文</p>\n <div class=\"ad\"><p>广告</p></div>\n <section> &nbsp; </section>\n <p>获取更多<b>RSS</b>：&amp;</p>\n</div>";
        let expected = "<div>\n <p>正文 \n  链接&amp;\n 后文</p>\n</div>";
        for size in [1, 2, 3, 5, 7, 13, 64, 4096] {
            let stats = Stats::new(rules.len());
            let reader = Trickle {
                data: input.as_bytes(),
                size,
            };
            let active = vec![true; rules.len()];
            let out = run(&rules, &active, &markers, &stats, false, reader, Vec::new()).unwrap();
            assert_eq!(
                String::from_utf8(out.writer).unwrap(),
                expected,
                "reads of {size} bytes"
            );
            assert!(out.warnings.is_empty());
        }
    }
}
