//! `dechaff explain`: why each piece of a document went.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, ReportFormat, RuleSource};
use clap::{Args, ValueEnum};
use dechaff::{Cleaner, InputFormat, Options, Report};
use std::fmt::Write as _;
use std::path::PathBuf;

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

    /// The input format; by default the family's, the file extension's, or sniffed.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input: Option<Format>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Markdown,
    Html,
}

impl SiteArgs {
    /// The options these flags ask for, checked against the rules.
    pub fn options(&self, cleaner: &Cleaner) -> Result<Options, i32> {
        let mut options = Options {
            family: self.family.clone(),
            outlet: self.outlet.clone(),
            format: self.input.map(|f| match f {
                Format::Markdown => InputFormat::Markdown,
                Format::Html => InputFormat::Html,
            }),
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

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Documents to explain; their cleaned text is not printed.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// `text` for people, `json` (one object per document, one per line) for programs.
    #[arg(
        long = "explain-format",
        value_enum,
        default_value = "text",
        value_name = "FORMAT"
    )]
    pub format: ReportFormat,

    #[command(flatten)]
    pub site: SiteArgs,

    #[command(flatten)]
    pub rules: RuleSource,
}

pub fn run(args: &ExplainArgs) -> i32 {
    let cleaner = match args.rules.cleaner() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let options = match args.site.options(&cleaner) {
        Ok(o) => o,
        Err(code) => return code,
    };
    super::for_each_file(&args.files, |path, shown, input| {
        let options = super::clean::with_format_of(&options, path);
        match cleaner.clean(&input[..], std::io::sink(), &options) {
            Ok(report) => {
                super::out(&render(shown, &report, args.format));
                EXIT_OK
            }
            Err(e) => {
                eprintln!("dechaff: {shown}: {e}");
                EXIT_FAILED
            }
        }
    })
}

/// A report as text for people or as one line of JSON.
pub fn render(shown: &str, report: &Report, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut value = serde_json::to_value(report).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.insert("document".into(), shown.into());
            }
            format!("{value}\n")
        }
        ReportFormat::Text => render_text(shown, report),
    }
}

fn render_text(shown: &str, report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{shown}");
    let _ = writeln!(
        out,
        "  family: {}",
        report.family.as_deref().unwrap_or("(none recognised)")
    );
    let _ = writeln!(
        out,
        "  outlet: {}",
        report.outlet.as_deref().unwrap_or("(none recognised)")
    );
    if let Some(url) = &report.source_url {
        let _ = writeln!(out, "  source: {url}");
    }
    for e in &report.evidence {
        let _ = writeln!(out, "  because {e}");
    }
    if report.fired.is_empty() {
        let _ = writeln!(out, "  no rule fired");
    }
    for hit in &report.fired {
        let times = if hit.count == 1 {
            "once".to_string()
        } else {
            format!("{} times", hit.count)
        };
        let _ = writeln!(
            out,
            "  {} ({}, {}) {times}, {} bytes removed",
            hit.id, hit.action, hit.origin, hit.bytes_removed
        );
        for p in &hit.previews {
            let _ = writeln!(out, "      - {p}");
        }
    }
    for w in &report.warnings {
        let _ = writeln!(out, "  warning[{}]: {}", w.kind, w.message);
    }
    out
}
