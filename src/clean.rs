//! The pipeline: detect the family and outlet, pick their rules, run the stages.

use crate::detect::{self, Detection, Sample};
use crate::emit::{Article, ArticleTree, Format, Rendered, facts};
use crate::encoding;
use crate::error::Error;
use crate::lazy_regex::{Present, PresentSets};
use crate::markdown;
use crate::markers::Markers;
use crate::pass::Pass;
use crate::report::{PageTitles, Report, Warning};
use crate::rewrite;
use crate::rules::{Catalog, InputFormat, Layer, sniff};
use crate::window::Edges;
use std::collections::VecDeque;
use std::io::{Read, Write};

mod windowed;

/// Documents up to this size are read whole: detection can see their end, and an absent
/// `keep-only` region can be noticed before anything is removed. Larger HTML streams.
const IN_MEMORY: usize = 8 << 20;
/// The pieces the head of a document is read in.
const PIECE: usize = 64 << 10;
/// How much of a streamed document is searched for a `keep-only` region before any output.
const REGION_PROBE: usize = 1 << 20;

/// Pieces already read, handed out in order and each released once read.
pub(crate) struct Pieces {
    pieces: VecDeque<Vec<u8>>,
    at: usize,
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(front) = self.pieces.front() {
            if self.at < front.len() {
                let n = buf.len().min(front.len() - self.at);
                buf[..n].copy_from_slice(&front[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            self.pieces.pop_front();
            self.at = 0;
        }
        Ok(0)
    }
}

/// A document through its cleaning pass: what the later stages need of it.
struct Passed<'c> {
    detection: Detection,
    warnings: Vec<Warning>,
    pass: Pass<'c>,
    format: InputFormat,
    /// The cleaned document.
    text: String,
}

/// How to treat one document. The default detects everything from the content.
#[derive(Debug, Clone)]
pub struct Options {
    /// Use this family's rules instead of detecting one.
    pub family: Option<String>,
    /// Use this outlet's rules instead of detecting one.
    pub outlet: Option<String>,
    /// Clean as for an outlet with no rule file: the common and the family's rules only,
    /// no outlet detected or applied (the CLI's `--outlet none`). Shows what the generic
    /// layers and rules learned from a site's pages do alone. Takes precedence over
    /// `outlet`.
    pub no_outlet: bool,
    /// A rule file (by key, such as `platforms/learned-example-com`) whose rules run after the
    /// outlet's: rules learned from the site's own pages (see [`crate::learn`]), added to
    /// the catalog with [`Catalog::with_files`].
    pub extra_layer: Option<String>,
    /// The document's format; by default the family's, else sniffed.
    pub format: Option<InputFormat>,
    /// The original article's address, when the caller knows it (JSON Lines `url`): used
    /// to find the outlet when the document does not say.
    pub url: Option<String>,
    /// Leave out the report's previews of what each rule removed (`RuleHit::previews`
    /// stays empty; counts and bytes are kept). They are read only by `explain` and JSON
    /// output, and making them is ~3 % of a cleaning: the CLI skips them otherwise.
    pub skip_previews: bool,
    /// Time each rule's own work and give it in [`Report::timings`] (`dechaff rules
    /// coverage --timing`): what a rule costs, for whoever writes one. Off by default: it
    /// reads the clock twice for every rule that runs on every block and element it sees.
    pub time_rules: bool,
    /// Read the `metadata` rules when an output first needs what they read, not while
    /// cleaning: the article stage reads them when one of its block rules takes a block (a
    /// metadata line is never chaff), Markdown, HTML and text when first rendered (the rules
    /// that only feed fields, a kept byline or a feed's comment, left out), front matter
    /// and [`Cleaned::article`] when first asked for. Every output's article is the same
    /// either way; the report then lacks what only these rules put in it: their hits in
    /// [`Report::fired`], the facts in [`Report::metadata`], the warnings on addresses they
    /// refused, and the `stale-rules` check of the metadata rules a file `expect`s. On
    /// Chinese pages reading them is most of what the metadata rules cost (the document is
    /// parsed as an article tree): the CLI defers them when it shows no report (`--quiet`,
    /// not JSON, no `--explain`, `--verbose` or `--report`).
    pub defer_metadata: bool,
    /// The caller makes no output of the cleaned document but its source
    /// ([`Cleaned::text`], [`Format::Source`]) and reads no report (the CLI writing source
    /// with `--quiet`): with [`Options::defer_metadata`], the article stage then reads the
    /// `metadata` rules only for a block it takes whose text holds a literal one of them
    /// requires (a line a rule reads holds its match, and the match one of those), and the
    /// rules are not read at all otherwise. The source is the same either way; the
    /// article of another format may not be (read from the cleaned document, not the
    /// one the article stage was given).
    pub metadata_unread: bool,
    /// The largest document, in bytes, that is cleaned whole: every format but a streamed
    /// [`Format::Source`] builds the article from the whole cleaned document, which takes
    /// several times its size (about 2.5 times for a page of long paragraphs, about 4 times
    /// for one made only of short linked paragraphs). [`Cleaner::clean_to`] cleans a larger
    /// document in windows of [`Options::window`] bytes, cut between blocks, with a
    /// `cleaned-in-windows` warning; [`Cleaner::clean_str_with`] and
    /// [`Cleaner::clean_bytes`], which give the whole [`Cleaned`] document, fail on one with
    /// [`Error::TooLarge`]. [`Options::DEFAULT_MAX_DOCUMENT`] by default.
    ///
    /// ```
    /// use dechaff::{Cleaner, Error, Options};
    ///
    /// let options = Options { max_document: 16, ..Options::default() };
    /// let page = "<p>A page longer than sixteen bytes.</p>";
    /// let result = Cleaner::new()?.clean_str_with(page, &options);
    /// assert!(matches!(result, Err(Error::TooLarge { limit: 16 })));
    /// # Ok::<(), dechaff::Error>(())
    /// ```
    pub max_document: usize,
    /// The size, in bytes, of the windows a document larger than
    /// [`Options::max_document`] is cleaned in (each is cut after a block, so it may be
    /// up to [`Options::max_block`] larger). Each window goes through every stage, with
    /// what the document's head decided (family, outlet, format, the rules that run); the
    /// article stage's sweeps and the metadata rules at the article's start and its title
    /// see only the first window, those at its end only the last. Memory is bounded by a
    /// few times a window, not by the document. [`Options::DEFAULT_WINDOW`] by default.
    pub window: usize,
    /// The largest block, in bytes, a window may have to hold whole (a paragraph, a fenced
    /// code block, an HTML element no cut may fall inside): a document cleaned in windows
    /// that has a larger one fails with [`Error::BlockTooLarge`], naming the line it began
    /// on. [`Options::DEFAULT_MAX_BLOCK`] by default.
    ///
    /// ```
    /// use dechaff::{Cleaner, Error, Format, Options};
    ///
    /// let options = Options { max_document: 64, window: 32, max_block: 64, ..Options::default() };
    /// let page = format!("Title\n\n{}\n", "A paragraph longer than the largest block. ".repeat(4));
    /// let mut out = Vec::new();
    /// let result = Cleaner::new()?.clean_to(page.as_bytes(), &mut out, Format::Markdown, &options);
    /// assert!(matches!(result, Err(Error::BlockTooLarge { line: 3, .. })));
    /// # Ok::<(), dechaff::Error>(())
    /// ```
    pub max_block: usize,
}

impl Options {
    /// The default [`Options::max_document`]: 16 MiB, twice the size up to which
    /// [`Cleaner::clean`] holds a document whole, and far above any article page seen (the
    /// corpus's largest is 0.23 MB).
    pub const DEFAULT_MAX_DOCUMENT: usize = 16 << 20;
    /// The default [`Options::window`]: 4 MiB.
    pub const DEFAULT_WINDOW: usize = 4 << 20;
    /// The default [`Options::max_block`]: 16 MiB.
    pub const DEFAULT_MAX_BLOCK: usize = 16 << 20;
}

impl Default for Options {
    fn default() -> Options {
        Options {
            family: None,
            outlet: None,
            no_outlet: false,
            extra_layer: None,
            format: None,
            url: None,
            skip_previews: false,
            time_rules: false,
            defer_metadata: false,
            metadata_unread: false,
            max_document: Options::DEFAULT_MAX_DOCUMENT,
            window: Options::DEFAULT_WINDOW,
            max_block: Options::DEFAULT_MAX_BLOCK,
        }
    }
}

/// A cleaned document and what happened to it.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The document in its own format (`--to source`).
    pub text: String,
    /// What was detected, which rules fired, the warnings.
    pub report: Report,
    /// The format the document was read as.
    pub input: InputFormat,
    /// The hosts that carry mirrors (the rules' `mirror_hosts`), whose addresses are never
    /// the article's own.
    mirror_hosts: std::sync::Arc<[String]>,
    /// The `metadata` rules, when [`Options::defer_metadata`] left them to be read later.
    deferred: Option<Deferred>,
}

/// The `metadata` rules of a document whose facts are read when first asked for, from its
/// cleaned text (the article stage, which alone could change it, read them when it did).
#[derive(Debug, Clone)]
struct Deferred {
    /// Each with its index in the document's rule list and its full id.
    rules: Vec<(usize, String, facts::LineRule)>,
    /// Where the literals of the rules that read the article's lines anywhere are kept
    /// (see `Catalog::metadata_literals`).
    literals: std::sync::Arc<PresentSets>,
    /// What every rule reads (JSON, front matter).
    all: std::sync::OnceLock<Vec<crate::report::Fact>>,
    /// What the rules that do not only feed fields read (the rendered body and its title).
    body: std::sync::OnceLock<Vec<crate::report::Fact>>,
}

impl Cleaned {
    /// The cleaned document in another shape.
    ///
    /// ```
    /// use dechaff::{Cleaner, Format};
    ///
    /// let page = "<h1>Title</h1><p>One <a href='https://example.com/'>link</a>.</p>";
    /// let cleaned = Cleaner::new()?.clean_str(page);
    /// assert_eq!(
    ///     cleaned.to(Format::Markdown),
    ///     "# Title\n\nOne [link](https://example.com/).\n"
    /// );
    /// assert_eq!(cleaned.to(Format::Text), "Title\n\nOne link.\n");
    /// # Ok::<(), dechaff::Error>(())
    /// ```
    pub fn to(&self, format: Format) -> String {
        match format {
            Format::Source => self.text.clone(),
            Format::Markdown => self.rendered().markdown(),
            Format::Text => self.rendered().text(),
            Format::Html => self.rendered().html(),
            Format::Json => {
                let mut json = serde_json::to_string(&self.article()).unwrap_or_default();
                json.push('\n');
                json
            }
        }
    }

    /// Writes the article in `format` into `writer` as it is made (Markdown with its YAML
    /// front matter when `front_matter`): the cleaned text is let go once read into the
    /// article tree, and no copy of the whole output is held (JSON's fields are made
    /// first, its content escaped into its place as it is made). It writes in many small
    /// pieces and buffers none of them:
    /// `writer` is buffered already (the command line's standard output and files are).
    pub(crate) fn write_into(
        mut self,
        format: Format,
        front_matter: bool,
        mut writer: impl Write,
    ) -> std::io::Result<Report> {
        match format {
            Format::Markdown | Format::Text | Format::Html => {
                let front_matter = front_matter && format == Format::Markdown;
                let rendered = self.rendered_with(front_matter);
                if front_matter {
                    let facts = self.facts(true);
                    writer.write_all(rendered.front_matter(&self.report, facts).as_bytes())?;
                }
                // In the tree now.
                self.text = String::new();
                rendered.write_to(format, &mut writer)?;
            }
            Format::Json => {
                // The article's fields with an empty content, written around the content,
                // which is escaped as it is made: no copy of it is held.
                let rendered = self.rendered_with(true);
                let fields = serde_json::to_vec(&rendered.article(
                    &self.report,
                    self.facts(true),
                    String::new(),
                ))?;
                // In the tree now.
                self.text = String::new();
                write_json(&fields, &mut writer, |content| {
                    rendered.write_to(Format::Markdown, content)
                })?;
            }
            Format::Source => writer.write_all(self.text.as_bytes())?,
        }
        writer.flush()?;
        Ok(self.report)
    }

    /// Markdown with YAML front matter carrying the metadata.
    pub fn markdown_with_front_matter(&self) -> String {
        let r = self.rendered_with(true);
        format!(
            "{}{}",
            r.front_matter(&self.report, self.facts(true)),
            r.markdown()
        )
    }

    /// The article's facts and its Markdown content: what `--to json` writes.
    pub fn article(&self) -> Article {
        self.article_in(Format::Markdown)
    }

    /// The article's facts with its content in `format` (`Json` means Markdown): what a
    /// JSON Lines record with `--to html|text|source` carries. Only that one format is
    /// rendered.
    ///
    /// ```
    /// use dechaff::{Cleaner, Format};
    ///
    /// let cleaned = Cleaner::new()?.clean_str("<h1>Title</h1><p>News.</p>");
    /// let article = cleaned.article_in(Format::Text);
    /// assert_eq!(article.title.as_deref(), Some("Title"));
    /// assert_eq!(article.content, "Title\n\nNews.\n");
    /// # Ok::<(), dechaff::Error>(())
    /// ```
    pub fn article_in(&self, format: Format) -> Article {
        let rendered = self.rendered_with(true);
        let content = match format {
            Format::Markdown | Format::Json => rendered.markdown(),
            Format::Text => rendered.text(),
            Format::Html => rendered.html(),
            Format::Source => self.text.clone(),
        };
        rendered.article(&self.report, self.facts(true), content)
    }

    fn rendered(&self) -> Rendered {
        self.rendered_with(false)
    }

    /// The article rendered with what the `metadata` rules read (see [`Cleaned::facts`]):
    /// when they are read now, the article tree read for them is the one rendered.
    fn rendered_with(&self, all: bool) -> Rendered {
        let (facts, article) = self.facts_and_tree(all, true);
        Rendered::new(
            (&self.text, self.input, true),
            article,
            &self.report,
            facts,
            self.mirror_hosts.clone(),
        )
    }

    /// What the `metadata` rules read: those whose facts show in the rendered article only
    /// (`all` false: the body's lines, the title, the title's link), or all of them.
    fn facts(&self, all: bool) -> &[crate::report::Fact] {
        self.facts_and_tree(all, false).0
    }

    /// [`Cleaned::facts`], with the article tree they were read from when they were read
    /// now from one; `render`: the caller renders the article tree (see `read_facts`).
    fn facts_and_tree(
        &self,
        all: bool,
        render: bool,
    ) -> (&[crate::report::Fact], Option<ArticleTree<'_>>) {
        let Some(d) = &self.deferred else {
            return (&self.report.metadata, None);
        };
        let all = all || d.all.get().is_some();
        let mut article = None;
        let facts = (if all { &d.all } else { &d.body }).get_or_init(|| {
            let rules: Vec<(usize, &str, &facts::LineRule)> =
                (d.rules.iter().map(|(i, id, l)| (*i, id.as_str(), l))).collect();
            let rules = LineRules {
                rules: &rules,
                sets: &d.literals,
            };
            let (reading, read) = read_facts(
                (&self.text, true),
                (self.input, &self.report.page_titles),
                rules,
                (!all, render),
            );
            article = read;
            reading.facts
        });
        (facts, article)
    }
}

/// Writes the article's JSON `fields`, made with an empty content, into `writer`, with
/// the content written into its place by `content`, escaped as it comes; then a line feed.
fn write_json<W: Write>(
    fields: &[u8],
    mut writer: W,
    content: impl FnOnce(JsonString<&mut W>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // No string value holds an unescaped quote: the first match is the key.
    let key = b",\"content\":\"";
    let Some(at) = (fields.windows(key.len() + 1))
        .position(|w| w[..key.len()] == *key && w[key.len()] == b'"')
    else {
        return Err(std::io::Error::other("no content in the article's JSON"));
    };
    writer.write_all(&fields[..at + key.len()])?;
    content(JsonString(&mut writer))?;
    writer.write_all(&fields[at + key.len()..])?;
    writer.write_all(b"\n")
}

/// A writer that writes what it is given into a JSON string, escaped as `serde_json`
/// escapes a string's contents: `"` and `\` with a backslash, the control characters
/// below U+0020 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`, every other byte as it
/// is (UTF-8 passes whole, whatever the pieces it comes in).
struct JsonString<W: Write>(W);

impl<W: Write> Write for JsonString<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut plain = 0;
        for (i, &b) in buf.iter().enumerate() {
            let short = match b {
                b'"' => b'"',
                b'\\' => b'\\',
                0x08 => b'b',
                b'\t' => b't',
                b'\n' => b'n',
                0x0c => b'f',
                b'\r' => b'r',
                0..0x20 => 0,
                _ => continue,
            };
            self.0.write_all(&buf[plain..i])?;
            plain = i + 1;
            if short == 0 {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 15)],
                ];
                self.0.write_all(&code)?;
            } else {
                self.0.write_all(&[b'\\', short])?;
            }
        }
        self.0.write_all(&buf[plain..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Cleans documents with one compiled rule set. Build it once and share it: it is `Sync`,
/// and nothing is compiled per document. For many threads cleaning at full speed, give each
/// its own clone (cheap): the compiled regexes then do not contend for their caches.
#[derive(Debug, Clone)]
pub struct Cleaner {
    catalog: Catalog,
    markers: Markers,
}

impl Cleaner {
    /// A cleaner with the rules built into the binary.
    pub fn new() -> Result<Cleaner, Error> {
        Ok(Cleaner::with_catalog(Catalog::built_in()?))
    }

    /// A cleaner with the rules of `catalog`: the built-in ones with a directory's added
    /// (`Catalog::with_overrides`, what `--rules DIR` runs), only a directory's
    /// (`Catalog::from_dir`), or rule files held in memory (`Catalog::from_sources`).
    ///
    /// ```
    /// use dechaff::{Catalog, Cleaner};
    ///
    /// let rules = r#"
    /// [[rule]]
    /// id = "promo"
    /// action = "remove"
    /// selector = "div.promo"
    /// note = "A promotion box every page carries."
    /// "#;
    /// let catalog = Catalog::from_sources(vec![
    ///     ("common".into(), "common.toml".into(), rules.into()),
    /// ])?;
    /// let cleaner = Cleaner::with_catalog(catalog);
    /// let cleaned = cleaner.clean_str("<p>News.</p><div class=promo>Buy!</div>");
    /// assert_eq!(cleaned.text, "<p>News.</p>");
    /// # Ok::<(), dechaff::RulesError>(())
    /// ```
    pub fn with_catalog(catalog: Catalog) -> Cleaner {
        Cleaner {
            catalog,
            markers: Markers::new(),
        }
    }

    /// The rules this cleaner runs.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Cleans a whole document held in memory, detecting its family and outlet. One larger
    /// than [`Options::max_document`] comes back unchanged, with a `not-cleaned` warning
    /// ([`Cleaner::clean_str_with`] says so with an error).
    ///
    /// ```
    /// let cleaner = dechaff::Cleaner::new().unwrap();
    /// let page = "<p>News.</p><img src='https://t.example/p.gif' width='0' height='0'>";
    /// let cleaned = cleaner.clean_str(page);
    /// assert_eq!(cleaned.text, "<p>News.</p>");
    /// ```
    pub fn clean_str(&self, input: &str) -> Cleaned {
        self.clean_str_with(input, &Options::default())
            .unwrap_or_else(|e| Cleaned {
                text: input.to_string(),
                report: Report {
                    warnings: vec![Warning::new("not-cleaned", e.to_string())],
                    ..Report::default()
                },
                input: sniff(input),
                mirror_hosts: self.catalog.mirror_hosts(),
                deferred: None,
            })
    }

    /// Like [`Cleaner::clean_str`], with options. Fails on an unknown forced family or
    /// outlet, and on a document larger than [`Options::max_document`].
    pub fn clean_str_with(&self, input: &str, options: &Options) -> Result<Cleaned, Error> {
        check_size(input.len(), options.max_document)?;
        self.clean_whole(input, options)
    }

    /// [`Cleaner::clean_str_with`] with no bound on the size: for a document whose size is
    /// bounded already.
    fn clean_whole(&self, input: &str, options: &Options) -> Result<Cleaned, Error> {
        let passed = self.clean_pass(input, options)?;
        self.clean_rest(passed, options)
    }

    /// [`Cleaner::clean_bytes`] of bytes it owns, which it lets go once the cleaning pass
    /// has read them (before the article stage and the metadata rules read the cleaned
    /// document).
    pub(crate) fn clean_vec(&self, input: Vec<u8>, options: &Options) -> Result<Cleaned, Error> {
        check_size(input.len(), options.max_document)?;
        let (passed, notes) = {
            let (text, notes) = encoding::decode(&input);
            (self.clean_pass(&text, options)?, notes)
        };
        drop(input);
        let mut cleaned = self.clean_rest(passed, options)?;
        cleaned.report.warnings.splice(0..0, notes);
        Ok(cleaned)
    }

    /// The first stage of a document held whole: what it is (family, outlet, format) and
    /// its cleaning pass (HTML's rewriter, Markdown's blocks). What follows reads the
    /// cleaned document only.
    fn clean_pass(&self, input: &str, options: &Options) -> Result<Passed<'_>, Error> {
        let (detection, mut warnings, mut pass, format) = self.pass_of_whole(input, options)?;
        let text = run_pass(input, format, &mut pass, &mut warnings);
        Ok(Passed {
            detection,
            warnings,
            pass,
            format,
            text,
        })
    }

    /// What a document held whole is (family, outlet, format, with the warnings on what
    /// was not recognised), and its pass, fitted to it.
    fn pass_of_whole(
        &self,
        input: &str,
        options: &Options,
    ) -> Result<(Detection, Vec<Warning>, Pass<'_>, InputFormat), Error> {
        let sample = Sample::of(input, true);
        let (detection, warnings) = self.detect(&sample, options)?;
        let mut pass = self.pass(&detection, options);
        let format = self.format_of(&detection, options, input);
        if format == InputFormat::Html {
            pass.scope(input.as_bytes(), &String::new);
        }
        Ok((detection, warnings, pass, format))
    }

    /// The stages after the cleaning pass: the article stage, the metadata rules, the
    /// report.
    fn clean_rest(&self, passed: Passed<'_>, options: &Options) -> Result<Cleaned, Error> {
        let Passed {
            detection,
            mut warnings,
            pass,
            format,
            text,
        } = passed;
        let rules = line_rules(&pass, WHOLE);
        let defer = (options.defer_metadata, options.metadata_unread);
        let (text, mut reading) = article_stage(
            text,
            (
                format,
                &detection.page_titles,
                detection.source_url.as_deref(),
            ),
            &pass,
            &rules,
            defer,
            WHOLE,
        );
        let deferred = if options.defer_metadata {
            let all = std::sync::OnceLock::new();
            if let Some(reading) = reading.take() {
                let _ = all.set(reading.facts);
            }
            Some(Deferred {
                rules: (rules.iter())
                    .map(|&(i, id, l)| (i, id.to_string(), l.share()))
                    .collect(),
                literals: pass.metadata_literals(),
                all,
                body: std::sync::OnceLock::new(),
            })
        } else {
            None
        };
        let metadata = reading.map_or_else(Vec::new, |r| noted(r, &pass, &mut warnings));
        let mut report = report(detection, &pass, warnings);
        report.metadata = metadata;
        // Deferred metadata rules fired or not, unknown: not expected of this page.
        let unread: Vec<&str> = if options.defer_metadata {
            rules.iter().map(|&(_, id, _)| id).collect()
        } else {
            Vec::new()
        };
        self.check_expected(&mut report, &unread);
        Ok(Cleaned {
            text,
            report,
            input: format,
            mirror_hosts: self.catalog.mirror_hosts(),
            deferred,
        })
    }

    /// Cleans bytes in any encoding the document declares (or UTF-8): the output is UTF-8;
    /// invalid bytes become U+FFFD, with a warning. Fails on a document larger than
    /// [`Options::max_document`].
    pub fn clean_bytes(&self, input: &[u8], options: &Options) -> Result<Cleaned, Error> {
        check_size(input.len(), options.max_document)?;
        self.clean_bytes_whole(input, options)
    }

    /// [`Cleaner::clean_bytes`] with no bound on the size: for a document whose size is
    /// bounded already.
    fn clean_bytes_whole(&self, input: &[u8], options: &Options) -> Result<Cleaned, Error> {
        let (text, notes) = encoding::decode(input);
        let mut cleaned = self.clean_whole(&text, options)?;
        cleaned.report.warnings.splice(0..0, notes);
        Ok(cleaned)
    }

    /// Cleans from a reader to a writer in the format asked for. [`Format::Source`] streams
    /// as [`Cleaner::clean`] does; the other formats are made from the whole cleaned
    /// document, read whole first, up to [`Options::max_document`]; a larger one is
    /// cleaned in windows (see [`Options::window`]), its Markdown, HTML or text written
    /// window by window (JSON's content is spooled to a temporary file until its fields are
    /// known). A block larger than [`Options::max_block`] fails with
    /// [`Error::BlockTooLarge`], and what was written by then is not the whole article.
    ///
    /// The output is written as it is made, in many small pieces, and flushed at the end;
    /// nothing is buffered here: give a file or a socket wrapped in a
    /// [`BufWriter`](std::io::BufWriter) (a `Vec<u8>` needs none).
    ///
    /// ```
    /// use dechaff::{Cleaner, Format, Options};
    ///
    /// let cleaner = Cleaner::new()?;
    /// let page: &[u8] = b"<h1>Title</h1><p>News.</p><script>track()</script>";
    /// let mut markdown = Vec::new();
    /// let report = cleaner.clean_to(page, &mut markdown, Format::Markdown, &Options::default())?;
    /// assert_eq!(String::from_utf8_lossy(&markdown), "# Title\n\nNews.\n");
    /// assert!(report.fired.iter().any(|hit| hit.action == "remove"));
    /// # Ok::<(), dechaff::Error>(())
    /// ```
    pub fn clean_to(
        &self,
        mut input: impl Read,
        output: impl Write,
        format: Format,
        options: &Options,
    ) -> Result<Report, Error> {
        if format == Format::Source {
            return self.clean(input, output, options);
        }
        match read_up_to(&mut input, options.max_document, None)? {
            Document::Whole(bytes) => Ok(self
                .clean_vec(bytes, options)?
                .write_into(format, false, output)?),
            Document::Large(rest) => {
                self.clean_windows(rest, output, (format, false), options, None)
            }
        }
    }

    /// Cleans from a reader to a writer. Markdown and documents up to 8 MiB are read whole;
    /// larger HTML streams through the rewriter in bounded memory, written in the pieces it
    /// makes, unbuffered: give a file or a socket wrapped in a
    /// [`BufWriter`](std::io::BufWriter).
    pub fn clean(
        &self,
        mut input: impl Read,
        mut output: impl Write,
        options: &Options,
    ) -> Result<Report, Error> {
        // Read in pieces, so that a document too large to hold can be streamed on without
        // keeping what was already read.
        let mut pieces: VecDeque<Vec<u8>> = VecDeque::new();
        let mut held = 0;
        let mut limit = IN_MEMORY;
        let mut probed = false;
        while held <= limit {
            let mut piece = Vec::with_capacity(PIECE);
            let n = (&mut input).take(PIECE as u64).read_to_end(&mut piece)?;
            if n == 0 {
                break;
            }
            held += n;
            pieces.push_back(piece);
            // HTML needs no whole document: past `REGION_PROBE` it streams. Only then is
            // its format asked of detection on its head (a shorter document is held whole
            // either way, and detected once, whole).
            if !probed && held > REGION_PROBE {
                probed = true;
                let first = pieces.front().map_or(&[][..], Vec::as_slice);
                let (head, _) = encoding::decode(&first[..detect::WINDOW.min(first.len())]);
                let sample = Sample::of(&head, false);
                if let Ok((detection, _)) = self.detect(&sample, options)
                    && self.format_of(&detection, options, &head) == InputFormat::Html
                {
                    limit = REGION_PROBE;
                }
            }
        }
        if held <= limit {
            // Joined a piece at a time (a byte-wise `flatten` cost ~35 instructions a byte);
            // a document read in one piece (most: up to 64 KiB) is that piece, not a copy.
            let whole = match pieces.len() {
                1 => pieces.pop_front().unwrap_or_default(),
                _ => pieces.make_contiguous().concat(),
            };
            // At most 8 MiB: held whole whatever `max_document` says.
            let cleaned = self.clean_bytes_whole(&whole, options)?;
            output.write_all(cleaned.text.as_bytes())?;
            output.flush()?;
            return Ok(cleaned.report);
        }
        let mut head: Vec<u8> = Vec::with_capacity(REGION_PROBE);
        for piece in &pieces {
            let room = REGION_PROBE - head.len();
            head.extend_from_slice(&piece[..piece.len().min(room)]);
        }
        // Too large to hold: detect on the head, then stream (transcoded, if the document
        // declares another encoding than UTF-8).
        let source_encoding = encoding::of(&head);
        let label = encoding::label_to_rewrite(&head);
        let (detection, mut warnings, pass, _) = self.pass_by_head(&head, options, true)?;
        drop(head);
        // Written as UTF-8: the declaration says so (its label lies in the first piece).
        if let (Some(label), Some(first)) = (label, pieces.front_mut())
            && label.end <= first.len()
        {
            first.splice(label, *b"utf-8");
        }
        let reader =
            encoding::Decoding::new(Pieces { pieces, at: 0 }.chain(input), source_encoding);
        let invalid = reader.invalid();
        let outcome = rewrite::run(
            &pass,
            std::io::BufReader::with_capacity(rewrite::READ_CHUNK, reader),
            &mut output,
        )?;
        if let Some(read_as) = invalid.get() {
            warnings.push(encoding::invalid(read_as.name()));
        }
        warnings.extend(outcome.warnings);
        output.flush()?;
        let mut report = report(detection, &pass, warnings);
        self.check_expected(&mut report, &[]);
        Ok(report)
    }

    /// What a document too large to hold is, judged by its `head` (its first MiB, raw):
    /// detection on the head's start, the format, and its pass, in which every rule runs
    /// (only the head was seen) and a `keep-only` region counts only if the head holds one.
    /// With `as_html` the document streams through the rewriter whatever its format: a
    /// warning says so of Markdown.
    fn pass_by_head(
        &self,
        head: &[u8],
        options: &Options,
        as_html: bool,
    ) -> Result<(Detection, Vec<Warning>, Pass<'_>, InputFormat), Error> {
        let (text, notes) = encoding::decode(&head[..detect::WINDOW.min(head.len())]);
        let sample = Sample::of(&text, false);
        let (detection, mut warnings) = self.detect(&sample, options)?;
        warnings.extend(notes.into_iter().filter(|w| w.kind == "transcoded"));
        let mut pass = self.pass(&detection, options);
        let format = self.format_of(&detection, options, &text);
        if as_html && format == InputFormat::Markdown {
            warnings.push(Warning::new(
                "too-large-for-markdown",
                "the document is larger than 8 MiB; it was cleaned as HTML, without its Markdown rules",
            ));
        }
        if !as_html && format == InputFormat::Markdown {
            // Every rule runs, and no region is kept alone: as for Markdown held whole.
            return Ok((detection, warnings, pass, format));
        }
        // Only the head has been seen: every rule runs.
        pass.scope_by_head(head);
        if !pass.keep_only && pass.has_regions() {
            warnings.push(Warning::new(
                "region-not-found",
                "no keep-only region in the first MiB; the whole document was kept",
            ));
        }
        Ok((detection, warnings, pass, format))
    }

    /// The pass of a document through the rules of what was detected.
    fn pass(&self, d: &Detection, options: &Options) -> Pass<'_> {
        let extra: Vec<&str> = (d.platforms.iter().map(String::as_str))
            .chain(options.extra_layer.as_deref())
            .collect();
        let rules = self
            .catalog
            .rules_with(d.family.as_deref(), d.outlet.as_deref(), &extra);
        Pass::new(&self.catalog, &self.markers, rules, !options.skip_previews)
            .timed(options.time_rules)
    }

    /// The family and outlet for a document, and warnings about what was not recognised.
    fn detect(
        &self,
        sample: &Sample<'_>,
        options: &Options,
    ) -> Result<(Detection, Vec<Warning>), Error> {
        let mut d = Detection::default();
        let mut warnings = Vec::new();
        if let Some(key) = options
            .extra_layer
            .as_deref()
            .filter(|k| self.catalog.file(k).is_none())
        {
            return Err(Error::UnknownRuleFile(key.to_string()));
        }
        let family = match &options.family {
            Some(name) => {
                let f = self
                    .catalog
                    .family(name)
                    .ok_or_else(|| Error::UnknownFamily(name.clone()))?;
                d.evidence.push(format!("family {name}: given"));
                Some(f)
            }
            None => detect::family(&self.catalog, sample)
                .or_else(|| {
                    // No exact fingerprint: a sibling of a known mirror may still carry
                    // enough of its generator's template.
                    let weighed = detect::weigh(&self.catalog, sample);
                    let best = detect::by_signals(&weighed);
                    d.weighed = weighed.into_iter().map(|(_, w)| w).collect();
                    best
                })
                .map(|(f, why)| {
                    d.evidence.push(why);
                    f
                }),
        };
        d.family = family.map(|f| f.name.clone());
        // A page no mirror wraps states its own address (a canonical link, `og:url`):
        // it is the outlet's own page, not an unknown mirror's.
        let own = match family {
            None => detect::own_address(sample),
            Some(_) => None,
        };
        d.source_url = family
            .and_then(|f| detect::source_url(f, sample))
            .or_else(|| options.url.clone().filter(|u| detect::is_web_url(u)))
            .or_else(|| own.as_ref().map(|(url, _)| url.clone()));
        d.page_titles = detect::page_titles(sample);
        if let Some((url, by)) = &own {
            d.evidence.push(format!(
                "no mirror family: the page is the site's own, by {by} ({url})"
            ));
        }
        let host = d.source_url.as_deref().and_then(detect::host_of);

        if options.no_outlet {
            d.evidence
                .push("outlet: none, given: outlet rules switched off".to_string());
        } else if let Some(name) = &options.outlet {
            self.catalog
                .outlet(name)
                .ok_or_else(|| Error::UnknownOutlet(name.clone()))?;
            d.evidence.push(format!("outlet {name}: given"));
            d.outlet = Some(name.clone());
        } else if let Some(o) = host
            .as_deref()
            .and_then(|h| detect::outlet_by_host(&self.catalog, h))
        {
            d.evidence.push(format!(
                "outlet {}: the source URL's host {} is one of its hosts",
                o.name,
                host.as_deref().unwrap_or_default()
            ));
            d.outlet = Some(o.name.clone());
        } else if let Some((o, why)) = detect::outlet_by_content(&self.catalog, sample) {
            d.evidence.push(why);
            d.outlet = Some(o.name.clone());
        }

        if d.outlet.is_none() {
            // No outlet's file says what its site is built on: the page's own markup may.
            for (file, why) in detect::platforms(&self.catalog, sample) {
                d.evidence.push(why);
                d.platforms.push(file.key.clone());
            }
        }

        match (&d.family, &d.outlet) {
            // The outlet's own page: no mirror's chaff to miss.
            (None, Some(_)) if own.is_some() => {}
            (None, None) if own.is_some() && !options.no_outlet => warnings.push(Warning::new(
                "unknown-outlet",
                format!(
                    "unknown outlet {}; the page is the site's own (no mirror around it), so only {} were applied",
                    host.as_deref().unwrap_or_default(),
                    rules_applied(&["common"], &d.platforms)
                ),
            )),
            (None, _) if own.is_some() => {}
            (None, outlet) => {
                let outlet = outlet.as_ref().map(|o| format!("{o} outlet"));
                let sets: Vec<&str> = std::iter::once("common").chain(outlet.as_deref()).collect();
                warnings.push(Warning::new(
                    "unknown-family",
                    format!(
                        "no mirror family recognised; only {} were applied",
                        rules_applied(&sets, &d.platforms)
                    ),
                ));
            }
            // The caller switched outlet rules off: nothing to warn about.
            (Some(_), None) if options.no_outlet => {}
            (Some(family), None) => {
                let applied = rules_applied(&["common", &format!("{family} family")], &d.platforms);
                warnings.push(Warning::new(
                    "unknown-outlet",
                    match &host {
                        Some(h) => format!("unknown outlet {h}; only {applied} were applied"),
                        None => format!("no outlet recognised; only {applied} were applied"),
                    },
                ));
            }
            _ => {}
        }
        Ok((d, warnings))
    }

    /// Warns when rules that every page of the detected site triggers did not fire: the site
    /// has probably changed its layout and its rules need a look. The rules `unread` did not
    /// run, so they are not looked for.
    fn check_expected(&self, report: &mut Report, unread: &[&str]) {
        let files = [
            report
                .family
                .as_deref()
                .and_then(|f| self.catalog.family(f)),
            report
                .outlet
                .as_deref()
                .and_then(|o| self.catalog.outlet(o)),
        ];
        // A family recognised by its weighed signals is a sibling whose template drifted
        // from the pages its `expect` describes: explain shows the signals instead.
        let by_signals = report
            .weighed
            .first()
            .is_some_and(|w| w.reached() && report.family.as_deref() == Some(w.family.as_str()));
        for file in files.into_iter().flatten() {
            if by_signals && file.layer == Layer::Family {
                continue;
            }
            let family = report.family.as_deref();
            let missing: Vec<&str> = file
                .expect
                .iter()
                .flatten()
                .filter(|e| e.family.is_none() || e.family.as_deref() == family)
                .map(|e| e.id.as_str())
                .filter(|id| !unread.contains(id))
                .filter(|id| !report.fired.iter().any(|h| h.id == *id))
                .collect();
            if !missing.is_empty() {
                report.warnings.push(Warning::new(
                    "stale-rules",
                    format!(
                        "the {} rules may be out of date: {} did not fire on this page",
                        file.name,
                        missing.join(", ")
                    ),
                ));
            }
        }
    }

    fn format_of(&self, d: &Detection, options: &Options, text: &str) -> InputFormat {
        options
            .format
            .or_else(|| {
                d.family
                    .as_deref()
                    .and_then(|f| self.catalog.family(f))
                    .and_then(|f| f.input)
            })
            .unwrap_or_else(|| sniff(text))
    }
}

/// The rule sets a warning says a document ran, in the order they run: `sets`, the
/// platforms recognised, and the generic layer, which runs on every document (`the common,
/// jekyll family and generic rules`).
fn rules_applied(sets: &[&str], platforms: &[String]) -> String {
    let mut names: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let platforms: Vec<&str> = (platforms.iter())
        .map(|k| k.rsplit('/').next().unwrap_or(k))
        .collect();
    match platforms.as_slice() {
        [] => {}
        [one] => names.push(format!("{one} platform")),
        [rest @ .., last] => names.push(format!("{} and {last} platforms", rest.join(", "))),
    }
    if names.is_empty() {
        "the generic rules".to_string()
    } else {
        format!("the {} and generic rules", names.join(", "))
    }
}

/// Fails with [`Error::TooLarge`] when a document of `size` bytes is larger than `limit`.
fn check_size(size: usize, limit: usize) -> Result<(), Error> {
    if size > limit {
        return Err(Error::TooLarge { limit });
    }
    Ok(())
}

/// The cleaning pass of `input` in `format` (HTML's rewriter, Markdown's blocks) through
/// `pass`: the cleaned text, its warnings added to `warnings`.
fn run_pass(
    input: &str,
    format: InputFormat,
    pass: &mut Pass<'_>,
    warnings: &mut Vec<Warning>,
) -> String {
    match format {
        InputFormat::Markdown => {
            let (text, w) = markdown::clean(input, pass);
            warnings.extend(w);
            text
        }
        InputFormat::Html => match rewrite::run(
            pass,
            input.as_bytes(),
            // The output is rarely larger than the input: one allocation.
            Vec::with_capacity(input.len()),
        ) {
            Ok(outcome) => {
                warnings.extend(outcome.warnings);
                String::from_utf8(outcome.writer)
                    .unwrap_or_else(|e| crate::report::utf8(e.as_bytes()).into_owned())
            }
            Err(e) => {
                warnings.push(Warning::new(
                    "rewrite-failed",
                    format!("{e}; the document was left unchanged"),
                ));
                input.to_string()
            }
        },
    }
}

/// What holds both edges of its document: a document cleaned whole.
const WHOLE: Edges = Edges {
    start: true,
    end: true,
};

/// The `metadata` rules of `pass` (each with its index in the pass's rule list and its full
/// id) that read a text holding `edges`: a rule that looks at an edge, or reads the title,
/// only where the text holds that edge (the title is at the start).
fn line_rules<'p>(pass: &'p Pass<'_>, edges: Edges) -> Vec<(usize, &'p str, &'p facts::LineRule)> {
    (pass.rules.iter().enumerate())
        .filter_map(|(i, r)| r.action.line_rule().map(|l| (i, r.id.as_str(), l)))
        .filter(|(_, _, l)| match (l.reads, l.edge) {
            (facts::Reads::Title, _) | (facts::Reads::Article, facts::Edge::Start) => edges.start,
            (facts::Reads::Article, facts::Edge::End) => edges.end,
            _ => true,
        })
        .collect()
}

/// The article stage on the cleaned `text` (in `format`, holding `edges`; `page`: the
/// titles the page states, see [`detect::page_titles`]) through `pass`, and what the
/// metadata `rules` read in it: read first unless `defer`, else only once a block rule takes
/// a block (a line they read is never chaff).
fn article_stage(
    text: String,
    (format, page, url): (InputFormat, &PageTitles, Option<&str>),
    pass: &Pass<'_>,
    rules: &[(usize, &str, &facts::LineRule)],
    (defer, unread): (bool, bool),
    edges: Edges,
) -> (String, Option<facts::Reading>) {
    // A line a rule reads holds the rule's match, and the match one of the literals it
    // requires (none holds whitespace, which the lines joined by a space would not keep):
    // a block whose text holds none of them holds no such line. Where no output reads the
    // facts, they are then not read for it.
    let line_rules = rules;
    let may_hold = |block: &str| -> bool {
        !(defer && unread)
            || (line_rules.iter()).any(|&(_, _, l)| {
                l.reads == facts::Reads::Article
                    && !l.keep
                    && (l.pattern.literals_may_hold_whitespace() || l.pattern.may_match(block))
            })
    };
    let reading = std::cell::OnceCell::new();
    let sets = pass.metadata_literals();
    let rules = LineRules { rules, sets: &sets };
    if !defer {
        let _ =
            reading.set(read_facts((&text, edges.start), (format, page), rules, (false, false)).0);
    }
    // What a block rule of the article stage may not take: the lines the metadata rules
    // read from the text the stage was given (its first round's).
    let metadata_lines = |text: &str| -> Vec<String> {
        let reading = reading.get_or_init(|| {
            read_facts((text, edges.start), (format, page), rules, (false, false)).0
        });
        (reading.facts.iter())
            .filter(|f| !f.line.is_empty())
            .map(|f| f.line.replace('\n', " "))
            .collect()
    };
    let literals = pass.block_literals();
    let site = url.and_then(crate::article::Site::of);
    let text = crate::article::clean(
        text,
        format,
        &pass.rules,
        &literals,
        &pass.stats,
        crate::article::Metadata {
            lines: &metadata_lines,
            may_hold: &may_hold,
        },
        (edges, site.as_ref()),
    );
    (text, reading.into_inner())
}

/// The facts of a `reading` of the metadata rules; the addresses it refused are warned of,
/// and what its rules took is counted in the `pass`.
fn noted(
    reading: facts::Reading,
    pass: &Pass<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<crate::report::Fact> {
    for (field, value) in &reading.refused {
        warnings.push(Warning::new(
            "metadata-url",
            if crate::detect::is_web_url(value) {
                format!("`{value}` is a site's front page, no article's address; it was left out of `{field}`")
            } else {
                format!("`{value}` is no http(s) address; it was left out of `{field}`")
            },
        ));
    }
    for (rule, lines) in &reading.hits {
        pass.stats.removed_with(*rule, 0, || lines.clone());
    }
    reading.facts
}

/// A document read up to a bound: whole, or too large to hold.
pub(crate) enum Document<R> {
    /// All of it.
    Whole(Vec<u8>),
    /// Larger than the bound: what was read of it, then the rest.
    Large(std::io::Chain<Pieces, R>),
}

/// All of `input` when it holds at most `limit` bytes (having read at most one byte more),
/// else what was read then the rest. `size` is how large the input says it is (a file's
/// length): one larger than `limit` is not read here; room for that much (up to the bound)
/// is taken at once; the bytes are kept in no more room than they take.
pub(crate) fn read_up_to<R: Read>(
    mut input: R,
    limit: usize,
    size: Option<u64>,
) -> std::io::Result<Document<R>> {
    let size = size.map_or(0, |s| usize::try_from(s).unwrap_or(usize::MAX));
    let mut bytes = Vec::new();
    if size <= limit {
        bytes.reserve_exact(size);
        (&mut input)
            .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)?;
    }
    if size > limit || bytes.len() > limit {
        let pieces = Pieces {
            pieces: VecDeque::from([bytes]),
            at: 0,
        };
        return Ok(Document::Large(pieces.chain(input)));
    }
    bytes.shrink_to_fit();
    Ok(Document::Whole(bytes))
}

/// A document's `metadata` rules, and where the literals of those that read the article's
/// lines anywhere are kept.
#[derive(Clone, Copy)]
struct LineRules<'a> {
    /// Each with its index in the document's rule list and its full id.
    rules: &'a [(usize, &'a str, &'a facts::LineRule)],
    /// See `Catalog::metadata_literals`.
    sets: &'a PresentSets,
}

impl LineRules<'_> {
    /// Which of the rules that read the article's lines anywhere may match `haystack` by
    /// their literals, indexed like the document's rules (see [`Present::may_match`]).
    /// Their literals are searched for together, in a set named by the rules' ids and
    /// patterns, not by their places in the document's rule list: documents of several
    /// families or outlets that share these rules share the set, which is then built
    /// sooner and once.
    fn anywhere_in(&self, haystack: &str) -> Option<Vec<bool>> {
        let anywhere = || {
            (self.rules.iter()).filter(|(_, _, l)| {
                l.reads == facts::Reads::Article && l.edge == facts::Edge::Anywhere
            })
        };
        let key: Vec<(&str, &str)> = anywhere()
            .map(|&(_, id, l)| (id, l.pattern.as_str()))
            .collect();
        let present: std::sync::Arc<Present> = self.sets.get(&key, || {
            anywhere().map(|(_, _, l)| Some(&l.pattern)).collect()
        });
        let found = present.may_match(haystack)?;
        let mut by_index = vec![true; anywhere().map(|&(i, _, _)| i + 1).max().unwrap_or(0)];
        for (&(i, _, _), found) in anywhere().zip(found) {
            by_index[i] = found;
        }
        Some(by_index)
    }
}

/// A document's `metadata` rules of one kind, each with its index in the document's rule
/// list and its full id.
type Rules<'r> = Vec<(usize, &'r str, &'r facts::LineRule)>;

/// What the `metadata` rules read from the cleaned `text` (`start`: whether it holds the
/// document's start; `page`: the titles the page states, which choose its title heading),
/// and the article tree they read it from, if any. With `body_only`, the
/// rules whose facts show only in fields are left out (see `LineRule::shows_only_in_fields`):
/// the others read the same without them (a kept line never stops another rule).
///
/// The document is read as an article tree only when a rule that reads its lines or its
/// title may match it (see [`may_match`]). With `render`, the caller renders the article
/// tree anyway: it is read first, and the rules that read the lines anywhere are asked
/// whether they may match the text of its text nodes, already decoded and without markup
/// (a block's lines are made of those nodes: a rule whose literals are not there matches
/// no block). Reading those nodes and searching them costs half of taking the markup out
/// of the whole text, searching it and decoding it.
fn read_facts<'t>(
    (text, start): (&'t str, bool),
    (format, page): (InputFormat, &PageTitles),
    line_rules: LineRules<'_>,
    (body_only, render): (bool, bool),
) -> (facts::Reading, Option<ArticleTree<'t>>) {
    let rules = |reads: facts::Reads| -> Rules<'_> {
        (line_rules.rules.iter().copied())
            .filter(|(_, _, l)| l.reads == reads && !(body_only && l.shows_only_in_fields()))
            .collect()
    };
    let (mut lines, titles) = (rules(facts::Reads::Article), rules(facts::Reads::Title));
    let mut reading = facts::Reading::default();
    let mut read = None;
    let article = if render {
        let article = crate::emit::article_tree((text, start), format, None, page);
        let nodes = article.text();
        let haystack = Haystack::Read(&nodes);
        may_match((text, haystack), line_rules, (&mut lines, &titles), false);
        Some(article)
    } else {
        let haystack = Haystack::Text {
            markdown: format == InputFormat::Markdown,
        };
        may_match((text, haystack), line_rules, (&mut lines, &titles), true)
            .then(|| crate::emit::article_tree((text, start), format, None, page))
    };
    if let Some(mut article) = article {
        reading = facts::read(&article.tree, &lines, &mut article.blocks);
        if let Some(title) = &article.title {
            facts::read_title(title, &titles, &mut reading);
        }
        read = Some(article);
    }
    facts::read_source(text, &rules(facts::Reads::Source), &mut reading);
    (reading, read)
}

/// Where [`may_match`] looks for the rules' literals, besides the cleaned text itself.
#[derive(Clone, Copy)]
enum Haystack<'t> {
    /// The cleaned text (in Markdown if `markdown`), its inline markup taken out and its
    /// character references decoded when a rule asks.
    Text { markdown: bool },
    /// The text of the article tree's nodes (`ArticleTree::text`): decoded and without
    /// markup already. It asks only about the rules that read the lines anywhere.
    Read(&'t str),
}

/// Whether a `metadata` rule may match the cleaned `text`, told by its literals in the
/// `haystack`: the rules of `lines` that read the lines anywhere and may not are left out
/// of it, and if none is kept, with `edges_too`, whether a rule of `lines` that reads the
/// lines at an edge or of `titles` may.
///
/// A rule that looks at every block has every block's lines read: it is left out when the
/// document lacks the literals it needs (and one kept is one that may match). The rules
/// read the blocks' text: without the inline markup that may split a literal (`<b>原</b>文`,
/// `**原**文`; a literal holding a mark it takes out is looked for in the document as it is
/// too), decoded (a page that writes its words as character references, `&#x539F;&#x6587;`,
/// holds their literals only once decoded; references to markup's own characters, `&lt;`,
/// `&nbsp;`, matter only to a rule whose literals hold one) and with its whitespace folded
/// (a literal that holds whitespace may be in a block's text and nowhere else: its rule
/// may match). The text without markup is let go on return, before the article tree is
/// made: held with it, it would raise the peak by a copy of the document.
fn may_match(
    (text, haystack): (&str, Haystack<'_>),
    line_rules: LineRules<'_>,
    (lines, titles): (&mut Rules<'_>, &Rules<'_>),
    edges_too: bool,
) -> bool {
    let plain = std::cell::OnceCell::new();
    let plain = || -> &str {
        match haystack {
            Haystack::Text { markdown } => {
                plain.get_or_init(|| crate::text::without_inline_markup(text, markdown))
            }
            Haystack::Read(nodes) => nodes,
        }
    };
    let (references, decoded) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    // Whether each rule that reads lines anywhere has a literal in the text without
    // markup: one scan for them all.
    let in_plain = std::cell::OnceCell::new();
    let may_match = |(i, r): (Option<usize>, &facts::LineRule)| {
        use crate::text::References;
        let in_plain = i.and_then(|i| {
            let found: &Option<Vec<bool>> =
                in_plain.get_or_init(|| line_rules.anywhere_in(plain()));
            found.as_ref()?.get(i).copied()
        });
        if in_plain.unwrap_or_else(|| r.pattern.may_match(plain()))
            || r.pattern.literals_may_hold_whitespace()
        {
            return true;
        }
        // The tree's text is what the blocks read, marks and references as they read them.
        let Haystack::Text { .. } = haystack else {
            return false;
        };
        if r.pattern.literals_may_hold(crate::text::is_inline_mark) && r.pattern.may_match(text) {
            return true;
        }
        let spelled = match references.get_or_init(|| crate::text::references(plain())) {
            References::None => false,
            References::Markup => r.pattern.literals_may_hold(crate::text::is_markup_char),
            References::Other => true,
        };
        spelled
            && r.pattern
                .may_match(decoded.get_or_init(|| crate::text::decode_entities(plain())))
    };
    let mut anywhere = false;
    lines.retain(|&(i, _, r)| {
        let kept = r.edge != facts::Edge::Anywhere || may_match((Some(i), r));
        anywhere |= kept && r.edge == facts::Edge::Anywhere;
        kept
    });
    if anywhere || !edges_too {
        return anywhere;
    }
    (lines.iter())
        .filter(|(_, _, r)| r.edge != facts::Edge::Anywhere)
        .chain(titles)
        .any(|&(_, _, r)| may_match((None, r)))
}

fn report(d: Detection, pass: &Pass<'_>, warnings: Vec<Warning>) -> Report {
    Report {
        family: d.family,
        outlet: d.outlet,
        evidence: d.evidence,
        weighed: d.weighed,
        source_url: d.source_url,
        page_titles: d.page_titles,
        fired: pass.fired(),
        timings: pass.timings(),
        metadata: Vec::new(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::{JsonString, rules_applied};
    use std::io::Write;

    #[test]
    fn a_warning_names_every_rule_set_that_ran_the_generic_layer_last() {
        let platforms = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rules_applied(&["common"], &[]),
            "the common and generic rules"
        );
        assert_eq!(
            rules_applied(
                &["common", "jekyll family"],
                &platforms(&["platforms/drupal"])
            ),
            "the common, jekyll family, drupal platform and generic rules"
        );
        assert_eq!(
            rules_applied(
                &["common"],
                &platforms(&["platforms/jetpack", "platforms/wordpress"])
            ),
            "the common, jetpack and wordpress platforms and generic rules"
        );
        assert_eq!(rules_applied(&[], &[]), "the generic rules");
    }

    #[test]
    fn a_json_string_is_escaped_as_serde_json_escapes_it() {
        let mut text: String = (0..0x80u8).map(char::from).collect();
        text.push_str("\"\\ 中文 \u{7f}\u{2028} é\n");
        let whole = serde_json::to_string(&text).unwrap();
        // Written whole, and cut at every byte (a cut may fall inside a character).
        for cut in 0..=text.len() {
            let mut out = Vec::new();
            let mut json = JsonString(&mut out);
            json.write_all(&text.as_bytes()[..cut]).unwrap();
            json.write_all(&text.as_bytes()[cut..]).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                whole[1..whole.len() - 1],
                "cut at {cut}"
            );
        }
    }
}
