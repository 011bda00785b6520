//! The main job: clean files or standard input to standard output (or `-o`).

use super::explain::{self, SiteArgs};
use super::outln;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, ReportFormat, RuleSource};
use clap::{Args, ValueEnum};
use dechaff::{Cleaned, Cleaner, Format, Options, Report};
use include_dir::{Dir, include_dir};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

static EXAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/tests/corpus/seeds");

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
    fn format(self) -> Format {
        match self {
            OutputFormat::Markdown => Format::Markdown,
            OutputFormat::Html => Format::Html,
            OutputFormat::Text => Format::Text,
            OutputFormat::Json | OutputFormat::Jsonl => Format::Json,
            OutputFormat::Source => Format::Source,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputShape {
    Document,
    Jsonl,
}

impl CleanArgs {
    /// The output format, with its default.
    pub fn to(&self) -> OutputFormat {
        self.to_format.unwrap_or(if self.in_place {
            OutputFormat::Source
        } else {
            OutputFormat::Markdown
        })
    }
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Documents to clean; standard input when none is given.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the output to this file instead of standard output; with a directory DIR, the
    /// directory to write the cleaned tree to (it may not overlap DIR).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub site: SiteArgs,

    #[command(flatten)]
    pub rules: RuleSource,

    /// Clean a built-in example document instead of FILE (see --list-examples).
    #[arg(long, value_name = "NAME", conflicts_with = "files")]
    pub example: Option<String>,

    /// List the built-in example documents.
    #[arg(long)]
    pub list_examples: bool,

    /// The output: markdown (CommonMark), html (one safe fragment), text, json (metadata and
    /// Markdown content), jsonl (json, one line each), or source (the input's own format).
    /// [default: markdown; source with --in-place]
    #[arg(long = "to", value_enum, value_name = "FORMAT")]
    pub to_format: Option<OutputFormat>,

    /// Replace each FILE with its cleaned version (written to a temporary file and renamed
    /// into place, so each file is either old or new, never half written). In the input's
    /// own format unless --to says otherwise.
    #[arg(long, conflicts_with_all = ["output", "example", "list_examples"])]
    pub in_place: bool,

    /// Start Markdown output with YAML front matter: title, date, author, outlet, family, url.
    #[arg(long)]
    pub front_matter: bool,

    /// The input: whole documents, or JSON Lines of `{"id": …, "content": …, "url": …}`
    /// (each answered by one line of JSON, in the same order; a bad line gets an error record
    /// and the rest go on).
    #[arg(long, value_enum, default_value = "document", value_name = "SHAPE")]
    pub from: InputShape,

    /// Also explain each document on standard error: detection and every rule that fired.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text")]
    pub explain: Option<ReportFormat>,

    /// Print what was detected and which rules fired, one line each, on standard error.
    #[arg(short, long)]
    pub verbose: bool,

    /// Print no warnings.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// With a directory: clean this many documents at once (default: all cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

pub fn run(args: &CleanArgs) -> i32 {
    if args.list_examples {
        for name in example_names() {
            outln!("{name}");
        }
        return EXIT_OK;
    }
    let cleaner = match args.rules.cleaner() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut options = match args.site.options(&cleaner) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // Previews of what rules removed are shown only by --explain and JSON output.
    options.skip_previews = args.explain.is_none() && args.to().format() != Format::Json;
    if args.in_place {
        return in_place(&cleaner, args, &options);
    }
    if let Some(dir) = args.files.iter().find(|f| f.is_dir()) {
        if args.files.len() > 1 {
            eprintln!("dechaff: a directory is cleaned on its own: `dechaff DIR -o OUTDIR`");
            return EXIT_USAGE;
        }
        return super::tree::run(&cleaner, args, &options, dir);
    }
    if args.output.is_some() && args.files.len() > 1 {
        eprintln!(
            "dechaff: --output takes one input; got {}",
            args.files.len()
        );
        return EXIT_USAGE;
    }

    if args.from == InputShape::Jsonl {
        return super::jsonl::run(&cleaner, args, &options);
    }

    if let Some(name) = &args.example {
        let Some(file) = EXAMPLES.files().find(|f| file_stem(f.path()) == *name) else {
            eprintln!(
                "dechaff: no example named `{name}`; these exist: {}",
                example_names().join(", ")
            );
            return EXIT_USAGE;
        };
        let options = with_format_of(&options, file.path());
        return clean_one(&cleaner, args, &options, name, file.contents());
    }

    if args.files.is_empty() && args.to() == OutputFormat::Source && args.output.is_none() {
        return stream_stdin(&cleaner, args, &options);
    }
    if args.files.is_empty() {
        let mut input = Vec::new();
        if let Err(e) = io::stdin().lock().read_to_end(&mut input) {
            eprintln!("dechaff: <stdin>: cannot read: {e}");
            return EXIT_FAILED;
        }
        return clean_one(&cleaner, args, &options, "<stdin>", &input);
    }

    super::for_each_file(&args.files, |path, shown, input| {
        clean_one(
            &cleaner,
            args,
            &with_format_of(&options, path),
            shown,
            &input,
        )
    })
}

/// The options with the format the file's extension names, unless one was given.
pub fn with_format_of(options: &Options, path: &Path) -> Options {
    let mut options = options.clone();
    options.format = options.format.or_else(|| {
        dechaff::fixtures::options_for(path)
            .format
            .filter(|_| has_known_extension(path))
    });
    options
}

fn has_known_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "md" | "markdown" | "html" | "htm"
        )
    })
}

fn clean_one(
    cleaner: &Cleaner,
    args: &CleanArgs,
    options: &Options,
    shown: &str,
    input: &[u8],
) -> i32 {
    let (output, report) = if args.to() == OutputFormat::Source {
        // The input's own format can stream: large HTML is never held whole.
        let mut buffer = Vec::with_capacity(input.len());
        match cleaner.clean(input, &mut buffer, options) {
            Ok(report) => (buffer, report),
            Err(e) => {
                eprintln!("dechaff: {shown}: {e}");
                return EXIT_FAILED;
            }
        }
    } else {
        match cleaner.clean_bytes(input, options) {
            Ok(cleaned) => (render(&cleaned, args).into_bytes(), cleaned.report),
            Err(e) => {
                eprintln!("dechaff: {shown}: {e}");
                return EXIT_FAILED;
            }
        }
    };
    print_report(args, shown, &report);
    let written = match &args.output {
        Some(path) => write_atomically(path, &output),
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(&output).and_then(|_| stdout.flush())
        }
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let target = args
                .output
                .as_ref()
                .map_or("<stdout>".to_string(), |p| p.display().to_string());
            eprintln!("dechaff: {target}: cannot write: {e}");
            EXIT_FAILED
        }
    }
}

/// `--in-place`: each file replaced by its cleaned self; one that fails is reported and
/// left untouched, and the others still go.
fn in_place(cleaner: &Cleaner, args: &CleanArgs, options: &Options) -> i32 {
    if args.files.is_empty() || args.files.iter().any(|f| f.is_dir()) {
        eprintln!(
            "dechaff: --in-place takes files (a tree goes to another directory: `dechaff DIR -o OUTDIR`)"
        );
        return EXIT_USAGE;
    }
    let mut status = EXIT_OK;
    for path in &args.files {
        let shown = path.display().to_string();
        let result = std::fs::read(path)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|bytes| {
                let cleaned = cleaner
                    .clean_bytes(&bytes, &with_format_of(options, path))
                    .map_err(|e| e.to_string())?;
                print_report(args, &shown, &cleaned.report);
                write_atomically(path, render(&cleaned, args).as_bytes())
                    .map_err(|e| format!("cannot write: {e}"))
            });
        if let Err(message) = result {
            eprintln!("dechaff: {shown}: {message}");
            status = EXIT_FAILED;
        }
    }
    status
}

/// Standard input to standard output in the input's own format: large HTML streams through
/// in bounded memory, never held whole.
fn stream_stdin(cleaner: &Cleaner, args: &CleanArgs, options: &Options) -> i32 {
    let stdin = io::stdin().lock();
    let stdout = io::BufWriter::with_capacity(64 << 10, io::stdout().lock());
    match cleaner.clean(stdin, stdout, options) {
        Ok(report) => {
            print_report(args, "<stdin>", &report);
            EXIT_OK
        }
        Err(dechaff::Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("dechaff: <stdin>: {e}");
            EXIT_FAILED
        }
    }
}

/// The cleaned document in the shape `--to` asks for.
pub fn render(cleaned: &Cleaned, args: &CleanArgs) -> String {
    if args.to() == OutputFormat::Markdown && args.front_matter {
        return cleaned.markdown_with_front_matter();
    }
    cleaned.to(args.to().format())
}

/// Writes to a temporary file beside `path`, then renames it into place, so `path` is
/// either the old file or the new one, never half of one; synced to disk first.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_replacing(path, bytes, true)
}

/// [`write_atomically`], with the sync to disk optional: a tree of thousands of files pays
/// for a sync per file many times over, and the rename alone already means an interrupted
/// run leaves each file old or new, never half.
pub fn write_replacing(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
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
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub fn print_report(args: &CleanArgs, shown: &str, report: &Report) {
    if let Some(format) = args.explain {
        eprint!("{}", explain::render(shown, report, format));
        return;
    }
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
