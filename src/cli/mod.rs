//! The `dechaff` command line: arguments, dispatch, and the commands themselves. Exit
//! codes: 0 success, 1 a document could not be read, cleaned or written (or a check
//! failed), 2 bad rules or usage.

mod args;
mod clean;
mod exit;
mod explain;
mod fixtures;
mod io;
mod jsonl;
mod report;
mod rules;
mod tree;
mod walk;

use clap::{Parser, Subcommand};

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
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    clean: args::CleanArgs,
}

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
    match cli.command {
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Rules(command)) => rules::run(&command),
        None => clean::run(&cli.clean),
    }
}
