//! The `dechaff` command line: arguments, dispatch, and the commands themselves. Exit
//! codes: 0 success, 1 a document could not be read, cleaned or written (or a check
//! failed), 2 bad rules or usage.

mod args;
mod clean;
mod exit;
mod explain;
mod fixtures;
mod generate;
mod io;
mod jsonl;
mod learn;
mod report;
mod rules;
mod tree;
mod walk;

use crate::diagnostics::did_you_mean;
use clap::{CommandFactory, Parser, Subcommand};
use std::path::Path;

/// Strip mirror and site boilerplate from news articles, keeping the article.
///
/// Reads each FILE (or standard input) and writes it to standard output with the chaff
/// removed, as Markdown or in the format --to names. The family (the mirror's wrapper) and
/// the outlet are detected from the content; rules are built in.
#[derive(Debug, Parser)]
#[command(
    name = "dechaff",
    version,
    about,
    long_about,
    after_help = SHORT_HELP,
    after_long_help = LONG_HELP,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    clean: args::CleanArgs,
    /// Print a man page or shell completions: man, complete-bash, complete-zsh,
    /// complete-fish.
    #[arg(long, value_enum, value_name = "KIND", help_heading = "Other")]
    generate: Option<generate::Generate>,
}

/// After `-h`.
const SHORT_HELP: &str = "\
Examples and exit statuses: dechaff --help. The rule tools: dechaff rules --help.";

/// After `--help`: one short section per use, one example per line.
const LONG_HELP: &str = "\
Filter:
  dechaff < page.md > clean.md                 standard input to standard output
  dechaff --from html - < page.html            `-` is standard input; --from forces the format

Files:
  dechaff page.md > clean.md                   one file
  dechaff a.md b.html -q                       several, one after another, no warnings
  dechaff page.md -o clean.md                  written to a temporary file, then renamed
  dechaff --in-place --to source a.md          files replaced by their cleaned selves
  dechaff a.md b.md --to jsonl                 one JSON record per line, each with its path
  dechaff --explain page.md > /dev/null        why each piece went (--explain=json)

Trees:
  dechaff mirror/ -o clean/ -j 2               a whole tree into the same layout
  dechaff mirror/ -o clean/ --report run.json  the summary and every document's report
  dechaff mirror/ --to jsonl > mirror.jsonl    a whole tree as JSON Lines, with paths

JSON Lines:
  dechaff --from jsonl < in.jsonl > out.jsonl  {\"id\", \"content\", \"url\"} in, a result per line

Rules:
  dechaff explain page.md                      detection, every rule that fired and why
  dechaff rules check my-rules/                every error in the rule files at once
  dechaff rules test feedx/dw --rules rules/   one site's fixtures and snapshots
  dechaff rules coverage tests/corpus          rules that never act

Other:
  dechaff --generate man > dechaff.1           a man page; complete-bash, -zsh, -fish

Exit status: 0 success; 1 a document could not be read or written, or a check failed
(the other documents are still cleaned); 2 bad rules or usage (nothing is cleaned).";

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what was detected in each FILE and every rule that fired, with what it removed.
    ///
    /// Example: dechaff explain page.md --explain-format json
    Explain(explain::ExplainArgs),
    /// Check, list, show and measure the rule files.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
}

/// Runs the `dechaff` command with the process's arguments and returns its exit status:
/// 0 success; 1 a document could not be read, cleaned or written, or a check failed; 2 bad
/// rules or usage. `src/main.rs` is this and `std::process::exit`.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::EXIT_USAGE
            } else {
                exit::EXIT_OK
            };
            let _ = e.print();
            return code;
        }
    };
    if let Some(kind) = cli.generate {
        return generate::print(kind, Cli::command());
    }
    match cli.command {
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Rules(command)) => rules::run(&command),
        None => match cli.clean.files.first().and_then(|f| mistyped_command(f)) {
            Some(hint) => {
                eprintln!("dechaff: {hint}");
                exit::EXIT_USAGE
            }
            None => clean::run(&cli.clean),
        },
    }
}

/// When a first argument is no file but close to a subcommand's name (`rule`, `explian`),
/// what to say instead of "cannot read".
fn mistyped_command(first: &Path) -> Option<String> {
    let word = first.to_str()?;
    if first.exists() || word == "-" {
        return None;
    }
    let command = Cli::command();
    let names = command
        .get_subcommands()
        .map(|c| c.get_name())
        .filter(|name| *name != "help");
    let name = did_you_mean(word, names)?;
    Some(format!(
        "`{word}` is neither a file nor a command; did you mean `dechaff {name}`?"
    ))
}
