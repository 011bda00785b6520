//! Command-line arguments and the run loop. Exit codes: 0 success, 1 a document could not
//! be read or written, 2 bad rules or usage.

use clap::{Parser, ValueEnum};
use dechaff::{Catalog, Cleaner, InputFormat, Options, Report};
use include_dir::{Dir, include_dir};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

static EXAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/tests/corpus/seeds");

pub const EXIT_OK: i32 = 0;
pub const EXIT_INPUT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Strip mirror and site boilerplate from news articles, keeping the article.
///
/// Reads each FILE (or standard input) and writes it to standard output with the chaff
/// removed, in its own format. The family (the mirror's wrapper) and the outlet are detected
/// from the content; rules are built in.
///
/// Exit status: 0 success; 1 a document could not be read or written; 2 bad rules or usage.
///
/// Example: dechaff page.md > clean.md
#[derive(Debug, Parser)]
#[command(name = "dechaff", version, about, long_about)]
pub struct Args {
    /// Documents to clean; standard input when none is given.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the output to this file (one input only) instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Use this family's rules (e.g. feedx, gfw-breaker) instead of detecting one.
    #[arg(long, value_name = "NAME", help_heading = "Rules")]
    pub family: Option<String>,

    /// Use this outlet's rules (e.g. dw, epochtimes) instead of detecting one.
    #[arg(long, value_name = "NAME", help_heading = "Rules")]
    pub outlet: Option<String>,

    /// Family and outlet at once: FAMILY/OUTLET.
    #[arg(long, value_name = "FAMILY/OUTLET", conflicts_with_all = ["family", "outlet"], help_heading = "Rules")]
    pub site: Option<String>,

    /// Add the rule files under DIR, replacing built-in files of the same relative path.
    #[arg(long, value_name = "DIR", help_heading = "Rules")]
    pub rules: Option<PathBuf>,

    /// The input format; by default the family's, the file extension's, or sniffed.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input: Option<Format>,

    /// Clean a built-in example document instead of FILE (see --list-examples).
    #[arg(long, value_name = "NAME", conflicts_with = "files")]
    pub example: Option<String>,

    /// List the built-in example documents.
    #[arg(long)]
    pub list_examples: bool,

    /// Print what was detected and which rules fired, on standard error.
    #[arg(short, long)]
    pub verbose: bool,

    /// Print no warnings.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Markdown,
    Html,
}

pub fn run() -> i32 {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    if args.list_examples {
        for name in example_names() {
            println!("{name}");
        }
        return EXIT_OK;
    }
    let catalog = match &args.rules {
        Some(dir) => Catalog::with_overrides(dir),
        None => Catalog::built_in(),
    };
    let cleaner = match catalog {
        Ok(c) => Cleaner::with_catalog(c),
        Err(e) => {
            eprintln!("{e}");
            eprintln!("dechaff: the rules did not load; nothing was cleaned");
            return EXIT_USAGE;
        }
    };
    let mut options = Options {
        family: args.family.clone(),
        outlet: args.outlet.clone(),
        format: args.input.map(|f| match f {
            Format::Markdown => InputFormat::Markdown,
            Format::Html => InputFormat::Html,
        }),
    };
    if let Some(site) = &args.site {
        let Some((family, outlet)) = site.split_once('/') else {
            eprintln!("dechaff: --site takes FAMILY/OUTLET, got `{site}`");
            return EXIT_USAGE;
        };
        options.family = Some(family.to_string());
        options.outlet = Some(outlet.to_string());
    }
    for name in options.family.iter() {
        if cleaner.catalog().family(name).is_none() {
            eprintln!("dechaff: no family named `{name}` in the rules");
            return EXIT_USAGE;
        }
    }
    for name in options.outlet.iter() {
        if cleaner.catalog().outlet(name).is_none() {
            eprintln!("dechaff: no outlet named `{name}` in the rules");
            return EXIT_USAGE;
        }
    }
    if args.output.is_some() && args.files.len() > 1 {
        eprintln!(
            "dechaff: --output takes one input; got {}",
            args.files.len()
        );
        return EXIT_USAGE;
    }

    if let Some(name) = &args.example {
        let Some(file) = EXAMPLES.files().find(|f| file_stem(f.path()) == *name) else {
            eprintln!(
                "dechaff: no example named `{name}`; these exist: {}",
                example_names().join(", ")
            );
            return EXIT_USAGE;
        };
        let mut opts = options.clone();
        opts.format = opts.format.or_else(|| format_from_extension(file.path()));
        return clean_one(
            &cleaner,
            &args,
            &opts,
            name,
            file.contents(),
            args.output.as_deref(),
        );
    }

    if args.files.is_empty() {
        let mut input = Vec::new();
        if let Err(e) = io::stdin().lock().read_to_end(&mut input) {
            eprintln!("dechaff: <stdin>: cannot read: {e}");
            return EXIT_INPUT;
        }
        return clean_one(
            &cleaner,
            &args,
            &options,
            "<stdin>",
            &input,
            args.output.as_deref(),
        );
    }

    let mut status = EXIT_OK;
    for path in &args.files {
        let shown = path.display().to_string();
        let input = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("dechaff: {shown}: cannot read: {e}");
                status = EXIT_INPUT;
                continue;
            }
        };
        let mut opts = options.clone();
        opts.format = opts.format.or_else(|| format_from_extension(path));
        let code = clean_one(
            &cleaner,
            &args,
            &opts,
            &shown,
            &input,
            args.output.as_deref(),
        );
        status = status.max(code);
    }
    status
}

fn clean_one(
    cleaner: &Cleaner,
    args: &Args,
    options: &Options,
    shown: &str,
    input: &[u8],
    output: Option<&Path>,
) -> i32 {
    let mut buffer = Vec::with_capacity(input.len());
    let report = match cleaner.clean(input, &mut buffer, options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dechaff: {shown}: {e}");
            return EXIT_INPUT;
        }
    };
    print_report(args, shown, &report);
    let written = match output {
        Some(path) => write_atomically(path, &buffer),
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(&buffer).and_then(|_| stdout.flush())
        }
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let target = output.map_or("<stdout>".to_string(), |p| p.display().to_string());
            eprintln!("dechaff: {target}: cannot write: {e}");
            EXIT_INPUT
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it into place, so `path` is
/// either the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("not a file path"))?;
    let tmp = dir.join(format!(
        ".{}.dechaff-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn print_report(args: &Args, shown: &str, report: &Report) {
    if args.quiet {
        return;
    }
    for w in &report.warnings {
        eprintln!("dechaff: warning: {shown}: {}", w.message);
    }
    if !args.verbose {
        return;
    }
    eprintln!(
        "{shown}: family {}, outlet {}",
        report.family.as_deref().unwrap_or("-"),
        report.outlet.as_deref().unwrap_or("-")
    );
    if let Some(url) = &report.source_url {
        eprintln!("  source: {url}");
    }
    for e in &report.evidence {
        eprintln!("  evidence: {e}");
    }
    for hit in &report.fired {
        eprintln!(
            "  {:<40} {:<16} x{:<3} -{} bytes  ({})",
            hit.id, hit.action, hit.count, hit.bytes_removed, hit.origin
        );
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn example_names() -> Vec<String> {
    let mut names: Vec<String> = EXAMPLES.files().map(|f| file_stem(f.path())).collect();
    names.sort();
    names
}

fn format_from_extension(path: &Path) -> Option<InputFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "html" | "htm" | "xhtml" => Some(InputFormat::Html),
        "md" | "markdown" => Some(InputFormat::Markdown),
        _ => None,
    }
}
