//! The arguments that several commands share, and what they mean for a cleaning: the rule
//! set, the site, the input and output formats, the cleaning's own flags.

use super::exit::EXIT_USAGE;
use crate::{Catalog, Cleaned, Cleaner, Format, InputFormat, Options, RulesError};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// The rule set to use: built in, plus a directory.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleSource {
    /// Add the rule files under DIR, replacing built-in files of the same relative path.
    #[arg(long, value_name = "DIR", help_heading = "Rules")]
    pub rules: Option<PathBuf>,
}

impl RuleSource {
    pub fn catalog(&self) -> Result<Catalog, RulesError> {
        match &self.rules {
            Some(dir) => Catalog::with_overrides(dir),
            None => Catalog::built_in(),
        }
    }

    /// The cleaner, or the diagnostics printed and the exit code to return.
    pub fn cleaner(&self) -> Result<Cleaner, i32> {
        match self.catalog() {
            Ok(c) => Ok(Cleaner::with_catalog(c)),
            Err(e) => {
                eprintln!("{e}");
                eprintln!("dechaff: the rules did not load; nothing was done");
                Err(EXIT_USAGE)
            }
        }
    }
}

/// The outlet name that switches outlet rules off (`--outlet none`, `--site feedx/none`).
pub const NO_OUTLET: &str = "none";

/// How a document's family, outlet and format are chosen.
#[derive(Debug, Args, Clone, Default)]
pub struct SiteArgs {
    /// Use this family's rules (e.g. feedx, gfw-breaker) instead of detecting one.
    #[arg(long, value_name = "NAME", help_heading = "Rules")]
    pub family: Option<String>,

    /// Use this outlet's rules (e.g. dw, epochtimes) instead of detecting one; `none` cleans
    /// with the common and family rules only, as for an outlet with no rules.
    #[arg(long, value_name = "NAME", help_heading = "Rules")]
    pub outlet: Option<String>,

    /// Family and outlet at once: FAMILY/OUTLET.
    #[arg(long, value_name = "FAMILY/OUTLET", conflicts_with_all = ["family", "outlet"], help_heading = "Rules")]
    pub site: Option<String>,

    /// The input's format: markdown or html (by default the family's, the file extension's,
    /// or sniffed), or jsonl: one JSON object per line, `{"id": …, "content": …, "url": …}`,
    /// each answered by one line of JSON in the same order (a bad line gets an error record
    /// and the rest go on).
    #[arg(
        long,
        alias = "input",
        value_enum,
        value_name = "FORMAT",
        help_heading = "Input"
    )]
    pub from: Option<FromArg>,
}

/// What `--from` names: a document format, or JSON Lines of documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromArg {
    Markdown,
    Html,
    Jsonl,
}

impl SiteArgs {
    /// The options these flags ask for, checked against the rules.
    pub fn options(&self, cleaner: &Cleaner) -> Result<Options, i32> {
        let mut options = Options {
            family: self.family.clone(),
            outlet: self.outlet.clone(),
            format: match self.from {
                Some(FromArg::Markdown) => Some(InputFormat::Markdown),
                Some(FromArg::Html) => Some(InputFormat::Html),
                Some(FromArg::Jsonl) | None => None,
            },
            ..Options::default()
        };
        if let Some(site) = &self.site {
            let Some((family, outlet)) = site.split_once('/') else {
                eprintln!("dechaff: --site takes FAMILY/OUTLET, got `{site}`");
                return Err(EXIT_USAGE);
            };
            options.family = Some(family.to_string());
            options.outlet = Some(outlet.to_string());
        }
        if options.outlet.as_deref() == Some(NO_OUTLET) {
            options.outlet = None;
            options.no_outlet = true;
        }
        if let Some(name) = options
            .family
            .as_deref()
            .filter(|n| cleaner.catalog().family(n).is_none())
        {
            eprintln!("dechaff: no family named `{name}` in the rules");
            return Err(EXIT_USAGE);
        }
        if let Some(name) = options
            .outlet
            .as_deref()
            .filter(|n| cleaner.catalog().outlet(n).is_none())
        {
            eprintln!("dechaff: no outlet named `{name}` in the rules");
            return Err(EXIT_USAGE);
        }
        Ok(options)
    }
}

/// The format a file's extension names: `.md`/`.markdown` Markdown, `.html`/`.htm` HTML.
pub fn format_of(path: &Path) -> Option<InputFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" => Some(InputFormat::Markdown),
        "html" | "htm" => Some(InputFormat::Html),
        _ => None,
    }
}

/// The options with the format the file's extension names, unless one was given.
pub fn with_format_of(options: &Options, path: &Path) -> Options {
    let mut options = options.clone();
    options.format = options.format.or_else(|| format_of(path));
    options
}

/// A size in bytes, written as a number with an optional unit: `K`, `M`, `G` (powers of
/// 1024, `KiB`, `MiB`, `GiB` and a trailing `B` accepted too).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{text}` is no size: a number of bytes, or with K, M or G"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("`{text}`: the unit is K, M or G")),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Whether a path names standard input or output: `-`.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// How a report is shown: for people or for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Text,
    Json,
}

/// What `--to` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Markdown,
    Html,
    Text,
    Json,
    Jsonl,
    Source,
}

impl OutputFormat {
    /// The library's format behind it.
    pub fn format(self) -> Format {
        match self {
            OutputFormat::Markdown => Format::Markdown,
            OutputFormat::Html => Format::Html,
            OutputFormat::Text => Format::Text,
            OutputFormat::Json | OutputFormat::Jsonl => Format::Json,
            OutputFormat::Source => Format::Source,
        }
    }
}

/// The main job's arguments: what to clean, how, and into what.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Documents to clean (`-` is standard input, as is no FILE at all), or one directory.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the output to this file instead of standard output (`-` is standard output);
    /// with a directory DIR, the directory to write the cleaned tree to (it may not overlap
    /// DIR).
    #[arg(short, long, value_name = "PATH", help_heading = "Output")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub site: SiteArgs,

    #[command(flatten)]
    pub rules: RuleSource,

    /// Clean a built-in example document instead of FILE (see --list-examples).
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "files",
        help_heading = "Input"
    )]
    pub example: Option<String>,

    /// List the built-in example documents.
    #[arg(long, help_heading = "Input")]
    pub list_examples: bool,

    /// The output: markdown (CommonMark), html (one safe fragment), text, json (metadata and
    /// Markdown content), jsonl (json, one line each), or source (the input's own format).
    /// [default: markdown; source with --in-place]
    #[arg(
        long = "to",
        value_enum,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub to_format: Option<OutputFormat>,

    /// Replace each FILE with its cleaned version (written to a temporary file and renamed
    /// into place, so each file is either old or new, never half written). In the input's
    /// own format unless --to says otherwise.
    #[arg(long, conflicts_with_all = ["output", "example", "list_examples"], help_heading = "Output")]
    pub in_place: bool,

    /// Start Markdown output with YAML front matter: title, date, author, outlet, family, url.
    #[arg(long, help_heading = "Output")]
    pub front_matter: bool,

    /// Also explain each document on standard error: detection, and every rule that fired
    /// with why it exists and what it removed. `--explain=json` for one JSON object per
    /// document.
    #[arg(
        long,
        value_name = "FORMAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "text",
        help_heading = "Reporting"
    )]
    pub explain: Option<ReportFormat>,

    /// Print what was detected and which rules fired, one line each, on standard error.
    #[arg(short, long, help_heading = "Reporting")]
    pub verbose: bool,

    /// Print no warnings (and, for a tree, no summary of them).
    #[arg(short, long, conflicts_with = "verbose", help_heading = "Reporting")]
    pub quiet: bool,

    /// With a directory: clean this many documents at once (default: all cores).
    #[arg(short, long, value_name = "N", help_heading = "Trees")]
    pub jobs: Option<usize>,

    /// With a directory: first learn, site by site, what recurs on a large share of its
    /// pages (never a long text block, a title, a byline or a dateline), then clean with
    /// those rules too; the summary lists each learned rule and what it removed.
    #[arg(long, help_heading = "Trees")]
    pub learn: bool,

    /// The largest document cleaned whole, as bytes or with a unit (`64M`, `1G`; K, M, G
    /// are powers of 1024) [default: 16M]. Every format but `--to source` builds the article
    /// from the whole document, which takes several times its size; a larger document is
    /// cleaned in windows (`--window`) cut between blocks, with a `cleaned-in-windows` warning
    /// (the rules at the article's start and its title see only the first window, those at
    /// its end only the last). `--to source` streams a document of any size.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, help_heading = "Input")]
    pub max_document: Option<usize>,

    /// The largest block (a paragraph, a code block, an HTML element no cut may fall
    /// inside) of a document cleaned in windows, as bytes or with a unit [default: 16M]: a
    /// larger one fails, naming the line it begins on, with exit status 1 and nothing
    /// written to `-o`.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, help_heading = "Input")]
    pub max_block: Option<usize>,

    /// The size of the windows a document larger than `--max-document` is cleaned in, as
    /// bytes or with a unit [default: 4M]; a window may hold up to `--max-block` more, to
    /// end between two blocks.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, help_heading = "Input")]
    pub window: Option<usize>,

    /// With a directory: write the run's summary (counts, failures, skipped files, the files
    /// behind each warning) and every document's report to FILE as JSON.
    #[arg(long, value_name = "FILE", help_heading = "Trees")]
    pub report: Option<PathBuf>,
}

impl CleanArgs {
    /// The format a document cleaned in windows is written in, and whether its Markdown
    /// carries front matter.
    pub fn shape(&self) -> (Format, bool) {
        let to = self.to();
        (
            to.format(),
            to == OutputFormat::Markdown && self.front_matter,
        )
    }

    /// The output format, with its default.
    pub fn to(&self) -> OutputFormat {
        self.to_format.unwrap_or(if self.in_place {
            OutputFormat::Source
        } else {
            OutputFormat::Markdown
        })
    }

    /// Whether the input is JSON Lines of documents (`--from jsonl`).
    pub fn jsonl_input(&self) -> bool {
        self.site.from == Some(FromArg::Jsonl)
    }

    /// The file `-o` names; none for standard output (no `-o`, or `-o -`).
    pub fn output_file(&self) -> Option<&Path> {
        self.output.as_deref().filter(|p| !is_stdio(p))
    }

    /// [`CleanArgs::render_labelled`], written into `writer` as it is made (the cleaned
    /// text let go once read into the article tree), in small pieces: `writer` is a
    /// buffered one. The report.
    pub fn render_into(
        &self,
        cleaned: Cleaned,
        label: Option<&str>,
        mut writer: impl std::io::Write,
    ) -> std::io::Result<crate::Report> {
        let front_matter = self.to() == OutputFormat::Markdown && self.front_matter;
        match (label, self.to().format()) {
            (Some(_), Format::Json) if !front_matter => {
                writer.write_all(self.render_labelled(&cleaned, label).as_bytes())?;
                writer.flush()?;
                Ok(cleaned.report)
            }
            (_, format) => cleaned.write_into(format, front_matter, writer),
        }
    }

    /// [`CleanArgs::render`]; JSON output starts with `"path": label` when a label is
    /// given (several documents in one stream).
    pub fn render_labelled(&self, cleaned: &Cleaned, label: Option<&str>) -> String {
        if self.to() == OutputFormat::Markdown && self.front_matter {
            return cleaned.markdown_with_front_matter();
        }
        match (label, self.to().format()) {
            (Some(path), Format::Json) => {
                let mut record = serde_json::Map::new();
                record.insert("path".into(), path.into());
                if let Ok(serde_json::Value::Object(article)) =
                    serde_json::to_value(cleaned.article())
                {
                    record.extend(article);
                }
                let mut line = serde_json::Value::Object(record).to_string();
                line.push('\n');
                line
            }
            (_, format) => cleaned.to(format),
        }
    }
}
