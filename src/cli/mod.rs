//! Command-line arguments and dispatch. Exit codes: 0 success, 1 a document could not be
//! read, cleaned or written (or a check failed), 2 bad rules or usage.

mod clean;
mod explain;
mod jsonl;
mod rules;
mod tree;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dechaff::{Catalog, Cleaner, RulesError};
use std::path::PathBuf;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Strip mirror and site boilerplate from news articles, keeping the article.
///
/// Reads each FILE (or standard input) and writes it to standard output with the chaff
/// removed, in its own format. The family (the mirror's wrapper) and the outlet are detected
/// from the content; rules are built in.
///
/// Exit status: 0 success; 1 a document could not be read or written, or a check failed;
/// 2 bad rules or usage.
///
/// Examples:
///   dechaff page.md > clean.md
///   dechaff explain page.md
///   dechaff rules check my-rules/
#[derive(Debug, Parser)]
#[command(
    name = "dechaff",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub clean: clean::CleanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what was detected in each FILE and every rule that fired, with what it removed.
    ///
    /// Example: dechaff explain page.md --explain-format json
    Explain(explain::ExplainArgs),
    /// Check, list, show and measure the rule files.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Text,
    Json,
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Rules(command)) => rules::run(&command),
        None => clean::run(&cli.clean),
    }
}

/// Runs `each` on every file's bytes, in order; a file that cannot be read is reported and
/// skipped. The exit status is the worst of all.
pub fn for_each_file(
    files: &[PathBuf],
    mut each: impl FnMut(&std::path::Path, &str, Vec<u8>) -> i32,
) -> i32 {
    let mut status = EXIT_OK;
    for path in files {
        let shown = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => status = status.max(each(path, &shown, bytes)),
            Err(e) => {
                eprintln!("dechaff: {shown}: cannot read: {e}");
                status = status.max(EXIT_FAILED);
            }
        }
    }
    status
}

/// Writes to standard output; a reader that went away (`| head`) ends the run quietly and
/// successfully, as it does for other Unix filters.
pub fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OK);
        }
        eprintln!("dechaff: <stdout>: cannot write: {e}");
        std::process::exit(EXIT_FAILED);
    }
}

/// `println!` through [`out`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::out(&format!("{}\n", format_args!($($arg)*))) };
}
pub(crate) use outln;
