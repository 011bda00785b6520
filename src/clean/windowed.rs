//! A document too large to clean whole, cleaned window by window: what it is (family,
//! outlet, format) and the rules that run are decided once, on its head, as for a document
//! that streams; then each window the cutter (`crate::window`) makes goes through the
//! cleaning pass, the article stage and the metadata rules, told which edges of the
//! document it holds, and is rendered as it comes. Memory is bounded by a window, not by
//! the document.

use super::{Cleaner, Options, REGION_PROBE, article_stage, line_rules, noted, report, run_pass};
use crate::emit::{Format, Image, Rendered};
use crate::encoding;
use crate::error::Error;
use crate::report::{Fact, Report, Warning};
use crate::window::Windows;
use std::io::{BufWriter, Read, Seek, Write};

impl Cleaner {
    /// Cleans a document too large to clean whole from `input` into `output`, in
    /// `format` (Markdown with its front matter when `front_matter`; not
    /// [`Format::Source`], which streams), window by window (see [`Options::window`]).
    /// Markdown, HTML and text are written as each window is rendered; JSON and front
    /// matter come first with what every window read, so the body is spooled to a
    /// temporary file (deleted once closed) and copied after them. JSON starts with
    /// `"path": label` when a label is given (one of several documents in one stream).
    pub(crate) fn clean_windows(
        &self,
        mut input: impl Read,
        mut output: impl Write,
        (format, front_matter): (Format, bool),
        options: &Options,
        label: Option<&str>,
    ) -> Result<Report, Error> {
        let front_matter = front_matter && format == Format::Markdown;
        let mut head = Vec::with_capacity(REGION_PROBE);
        (&mut input)
            .take(REGION_PROBE as u64)
            .read_to_end(&mut head)?;
        let source_encoding = encoding::of(&head);
        let (mut detection, mut warnings, mut pass, input_format) =
            self.pass_by_head(&head, options, false)?;
        let reader =
            encoding::Decoding::new(std::io::Cursor::new(head).chain(input), source_encoding);
        let invalid = reader.invalid();
        let windows = Windows::new(
            std::io::BufReader::with_capacity(64 << 10, reader),
            input_format,
            options.window.max(1),
            options.max_block,
        );
        let mut spool = if format == Format::Json || front_matter {
            Some(BufWriter::with_capacity(64 << 10, tempfile::tempfile()?))
        } else {
            None
        };
        let mirror_hosts = self.catalog.mirror_hosts();
        // What every window's metadata rules read, in order (a field's first fact wins);
        // the first window's article, whose title and fields the header shows; the images
        // of the others.
        let mut facts: Vec<Fact> = Vec::new();
        let mut first: Option<Rendered> = None;
        let mut images: Vec<Image> = Vec::new();
        let (mut count, mut written) = (0usize, false);
        for window in windows {
            let window = window?;
            if count == 0 && window.edges.end {
                // The whole document in one window: what it is and its pass are decided on
                // all of it, as for a document cleaned whole.
                (detection, warnings, pass, _) = self.pass_of_whole(&window.text, options)?;
            }
            count += 1;
            let edges = window.edges;
            let text = run_pass(&window.text, input_format, &mut pass, &mut warnings);
            drop(window);
            let rules = line_rules(&pass, edges);
            let (text, reading) = article_stage(
                text,
                (
                    input_format,
                    &detection.page_titles,
                    detection.source_url.as_deref(),
                ),
                &pass,
                &rules,
                (false, false),
                edges,
            );
            let read = reading.map_or_else(Vec::new, |r| noted(r, &pass, &mut warnings));
            // The address the rendering may link the title to (the whole document's, when
            // one window holds it).
            let source = Report {
                source_url: detection.source_url.clone(),
                page_titles: detection.page_titles.clone(),
                ..Report::default()
            };
            let rendered = Rendered::new(
                (&text, input_format, edges.start),
                None,
                &source,
                &read,
                mirror_hosts.clone(),
            );
            drop(text);
            let content = match format {
                Format::Text => rendered.text(),
                Format::Html => rendered.html(),
                _ => rendered.markdown(),
            };
            let body: &mut dyn Write = match &mut spool {
                Some(spool) => spool,
                None => &mut output,
            };
            if !content.is_empty() {
                // Markdown and text blocks are apart by a blank line; HTML's end in a line
                // feed.
                if written && format != Format::Html {
                    body.write_all(b"\n")?;
                }
                body.write_all(content.as_bytes())?;
                written = true;
            }
            if spool.is_some() {
                if edges.start {
                    first = Some(rendered);
                } else {
                    images.extend_from_slice(&rendered.metadata(&read).images);
                }
            }
            facts.extend(read);
        }
        if count > 1 {
            warnings.push(Warning::new(
                "cleaned-in-windows",
                format!(
                    "the document is larger than {}: it was cleaned in {count} windows of about {} each; the rules at the article's start and its title saw only the first, those at its end only the last",
                    crate::diagnostics::size(options.max_document),
                    crate::diagnostics::size(options.window),
                ),
            ));
        }
        let mut notes = Vec::new();
        // One window was decided on all of it: said as a whole document says it.
        if count == 1 && source_encoding != encoding_rs::UTF_8 {
            notes.push(encoding::transcoded(source_encoding.name()));
        }
        if let Some(read_as) = invalid.get() {
            notes.push(encoding::invalid(read_as.name()));
        }
        warnings.splice(0..0, notes);
        let mut report = report(detection, &pass, warnings);
        report.metadata = facts;
        self.check_expected(&mut report, &[]);
        if let Some(spool) = spool {
            let mut body = spool.into_inner().map_err(|e| e.into_error())?;
            body.rewind()?;
            let first = first.unwrap_or_else(|| {
                Rendered::new(("", input_format, true), None, &report, &[], mirror_hosts)
            });
            if format == Format::Json {
                let mut article = first.article(&report, &report.metadata, String::new());
                article.images.extend(images);
                let mut fields = serde_json::to_vec(&article).map_err(std::io::Error::from)?;
                if let Some(path) = label {
                    fields = labelled(path, &fields)?;
                }
                super::write_json(&fields, &mut output, |mut content| {
                    std::io::copy(&mut body, &mut content).map(drop)
                })?;
            } else {
                output.write_all(first.front_matter(&report, &report.metadata).as_bytes())?;
                std::io::copy(&mut body, &mut output)?;
            }
        }
        output.flush()?;
        Ok(report)
    }
}

/// An article's JSON object with `"path": path` first, as a record of a stream of several
/// documents reads.
fn labelled(path: &str, fields: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut record = b"{\"path\":".to_vec();
    serde_json::to_writer(&mut record, path)?;
    record.push(b',');
    // Every article has fields: what follows its `{` is the first of them.
    record.extend_from_slice(&fields[1..]);
    Ok(record)
}
