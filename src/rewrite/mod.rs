//! The HTML stage: one lol_html pass per document, built from the document's rules.
//!
//! Handlers only rename, rewrite attributes and write markers; the sink does the removing
//! (see `sink`), so that no removal reaches past the element it was meant for.

mod frame;
mod judge;
mod out;
mod scan;
pub mod sink;

use crate::actions::{ElementHandler, Env, Handler, Stage};
use crate::pass::Pass;
use crate::report::{Stats, Warning};
use crate::rules::Rule;
use lol_html::errors::RewritingError;
use lol_html::html_content::Element;
use lol_html::{
    DocumentContentHandlers, ElementContentHandlers, HtmlRewriter, MemorySettings, Selector,
    Settings,
};
use sink::{Sink, SinkConfig};
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::rc::Rc;

/// lol_html's own buffers (open-element stack, a tag's attributes) may not outgrow this.
const REWRITER_MEMORY: usize = 16 << 20;
/// Big enough for lol_html to work in large strides, small enough to hold per stream.
pub const READ_CHUNK: usize = 16 << 10;

/// What the HTML pass leaves besides the output.
pub struct Outcome<W> {
    pub writer: W,
    pub warnings: Vec<Warning>,
    /// Markdown blocks removed with the element around them, and the rule that did it.
    pub removed_blocks: Vec<(u32, usize)>,
}

/// Runs the document's HTML rules over `input`, writing to `writer`: those of the pass's
/// rules that run in this stage and can act on this input (see [`Pass::scope`]).
pub(crate) fn run<W: Write>(
    pass: &Pass<'_>,
    mut input: impl BufRead,
    writer: W,
) -> std::io::Result<Outcome<W>> {
    let env = Rc::new(Env::new(
        pass.markers,
        pass.main.clone(),
        pass.picked.clone(),
    ));
    let settings = settings(pass, &env);
    let writer = judge::Judge::new(pass, writer);
    // Outside the regions everything goes, counted to the rule that chose them, or to the
    // first `keep-only` rule.
    let region_rule = pass
        .keep_only
        .then(|| {
            pass.main_rule.or_else(|| {
                (pass.rules.iter().zip(&pass.active)).position(|(r, &on)| {
                    on && r.action.stage() == Stage::Regions && r.action.selector().is_some()
                })
            })
        })
        .flatten();
    let config = SinkConfig {
        region_rule,
        ..SinkConfig::default()
    };
    let mut sink = Sink::new(pass, writer, config);
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

/// The lol_html settings of a pass: the handlers of its active rules of this stage.
fn settings<'h>(pass: &'h Pass<'_>, env: &Rc<Env>) -> Settings<'h, 'h> {
    let memory = MemorySettings::new()
        .with_max_allowed_memory_usage(REWRITER_MEMORY)
        .with_graceful_bail_out_on_memory_limit_exceeded(true);
    let mut settings = Settings::new()
        .with_strict(false)
        .with_memory_settings(memory);
    let mut elements: Vec<(Cow<'h, Selector>, ElementContentHandlers<'h>)> = Vec::new();
    let mut documents: Vec<DocumentContentHandlers<'h>> = Vec::new();
    // Handlers of the regions first (when the document has one): on an element that starts
    // a region and is framed too, the region's mark must come first.
    let stages: &[Stage] = if pass.keep_only {
        &[Stage::Regions, Stage::Rewriter]
    } else {
        &[Stage::Rewriter]
    };
    for &stage in stages {
        for (i, rule) in pass.rules.iter().enumerate() {
            if !pass.active[i] || rule.action.stage() != stage {
                continue;
            }
            match rule.action.handler(i, env, &pass.stats) {
                Handler::Element(selector, handler) => elements.push((
                    narrowed(rule, pass.parts[i].as_deref())
                        .map_or(Cow::Borrowed(selector), Cow::Owned),
                    ElementContentHandlers::default().element(timed(handler, i, &pass.stats)),
                )),
                Handler::Comments(handler) => {
                    documents.push(DocumentContentHandlers::default().comments(handler))
                }
                Handler::None => {}
            }
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

/// An element handler of the rule at `rule`, timed when `stats` times the rules (and left
/// as it is otherwise: a call through one more closure on every element costs ~10 M
/// instructions on the corpus).
fn timed<'h>(mut handler: ElementHandler<'h>, rule: usize, stats: &'h Stats) -> ElementHandler<'h> {
    if !stats.is_timed() {
        return handler;
    }
    Box::new(move |el: &mut Element<'_, '_>| stats.timed(rule, || handler(el)))
}

/// The selector of a `remove` rule cut to the alternatives of its list that can match the
/// document (`parts`, from the prefilter's scan): lol_html tries every selector it is
/// given on every element, and a list of classes (`.sr-only, .visually-hidden, …`) whose
/// page holds one of them need not be tried whole. Only `remove` is cut so: its literals
/// are its selector's, alternative by alternative. None when nothing is cut.
fn narrowed(rule: &Rule, parts: Option<&[bool]>) -> Option<Selector> {
    if rule.action.name() != "remove" {
        return None;
    }
    let css = rule.action.selector()?;
    let text = crate::actions::literals::narrowed(&css.text, parts?)?;
    CUT_SELECTORS.with(|cut| {
        let mut cut = cut.borrow_mut();
        if let Some(selector) = cut.get(&text) {
            return Some(selector.clone());
        }
        let selector: Selector = text.parse().ok()?;
        if cut.len() < MAX_CUT_SELECTORS {
            cut.insert(text, selector.clone());
        }
        Some(selector)
    })
}

thread_local! {
    /// The cut selector lists parsed so far on this thread, by their text: the pages of a
    /// tree cut the same lists the same few ways (a page with an `<iframe>` and none of the
    /// ad networks' names), and parsing one costs more than the scan that cut it.
    static CUT_SELECTORS: std::cell::RefCell<std::collections::HashMap<String, Selector>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// At most this many cut lists are kept a thread (past it, a list is parsed each time):
/// a few hundred bytes each.
const MAX_CUT_SELECTORS: usize = 1024;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markers::Markers;
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

    /// The document's HTML stage with `RULES`: the output and the kinds of its warnings.
    fn cleaned(input: &str) -> (String, Vec<Warning>) {
        let catalog = Catalog::of_common(RULES);
        let markers = Markers::new();
        let pass = Pass::new(&catalog, &markers, catalog.rules_for(None, None), true);
        let out = run(&pass, input.as_bytes(), Vec::new()).unwrap();
        (String::from_utf8(out.writer).unwrap(), out.warnings)
    }

    #[test]
    fn undecided_elements_nested_past_the_bound_are_kept_from_the_outside_in() {
        // Every byte an undecided element holds was copied again into each undecided
        // element around it when that one ended: 400,000 nested took minutes. At most
        // `MAX_HELD` are held now; those around them are given up, kept, with a warning.
        let depth = frame::MAX_HELD + 10;
        let nested = format!(
            "{}{}",
            "<section>".repeat(depth),
            "</section>".repeat(depth)
        );
        let (out, warnings) = cleaned(&nested);
        assert_eq!(out, "<section>".repeat(10) + &"</section>".repeat(10));
        assert!(warnings.iter().all(|w| w.kind == "element-too-deep"));
        assert_eq!(
            warnings.len(),
            4,
            "three said, the rest counted: {warnings:?}"
        );
        assert!(
            warnings[3].message.ends_with("(7 more times)"),
            "{warnings:?}"
        );
        // Within the bound, nothing changes: all of them go.
        let within = frame::MAX_HELD;
        let nested = format!(
            "{}{}",
            "<section>".repeat(within),
            "</section>".repeat(within)
        );
        assert_eq!(cleaned(&nested), (String::new(), vec![]));
        // Given up, but kept anyway: with text inside, no rule would have removed them.
        let nested = format!(
            "{}text{}",
            "<section>".repeat(depth),
            "</section>".repeat(depth)
        );
        assert_eq!(cleaned(&nested), (nested.clone(), vec![]));
    }

    #[test]
    fn a_document_nested_past_the_open_bound_passes_through_with_one_warning_per_kind() {
        // The judge's open stack is bounded too; past it the rest is passed on unchanged,
        // and a warning repeated for every element is said three times and counted.
        let depth = judge::MAX_OPEN + 100;
        let deep = format!(
            "{}<p>bottom</p>{}",
            "<section>".repeat(depth),
            "</section>".repeat(depth)
        );
        let (out, warnings) = cleaned(&deep);
        assert_eq!(out, deep);
        let kinds: Vec<_> = warnings.iter().map(|w| w.kind).collect();
        assert!(kinds.contains(&"too-deep"), "{kinds:?}");
        assert!(warnings.len() <= 8, "{warnings:?}");
        assert!(
            warnings.iter().any(|w| w.message.ends_with("more times)")),
            "{warnings:?}"
        );
    }

    #[test]
    fn output_does_not_depend_on_how_the_input_is_split() {
        let catalog = Catalog::of_common(RULES);
        let markers = Markers::new();
        let input = "<!--NaN--><div>\n <p>正文 <ok href=\"x\">\n  链接&amp;\n </ok>\n 后文</p>\n <div class=\"ad\"><p>广告</p></div>\n <section> &nbsp; </section>\n <p>获取更多<b>RSS</b>：&amp;</p>\n</div>";
        let expected = "<div>\n <p>正文 \n  链接&amp;\n 后文</p>\n</div>";
        for size in [1, 2, 3, 5, 7, 13, 64, 4096] {
            let pass = Pass::new(&catalog, &markers, catalog.rules_for(None, None), true);
            let reader = Trickle {
                data: input.as_bytes(),
                size,
            };
            let out = run(&pass, reader, Vec::new()).unwrap();
            assert_eq!(
                String::from_utf8(out.writer).unwrap(),
                expected,
                "reads of {size} bytes"
            );
            assert!(out.warnings.is_empty());
        }
    }
}
