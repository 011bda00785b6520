//! `dechaff explain`: why each piece of a document went.

use super::args::{FromArg, ReportFormat, RuleSource, SiteArgs, with_format_of};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::io::{for_each_file, out};
use super::report::explain;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Documents to explain (`-` is standard input); their cleaned text is not printed.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// `text` for people, `json` (one object per document, one per line) for programs.
    #[arg(
        long = "to",
        alias = "explain-format",
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
    if args.site.from == Some(FromArg::Jsonl) {
        eprintln!("dechaff: explain reads whole documents; --from takes markdown or html here");
        return EXIT_USAGE;
    }
    let options = match args.site.options(&cleaner) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // Explained as `--to source` streams it: any size.
    for_each_file(&args.files, usize::MAX, |path, shown, input| {
        let options = with_format_of(&options, path);
        match cleaner.clean(&input[..], std::io::sink(), &options) {
            Ok(report) => {
                out(&explain(shown, &report, args.format, cleaner.catalog()));
                EXIT_OK
            }
            Err(e) => {
                eprintln!("dechaff: {shown}: {e}");
                EXIT_FAILED
            }
        }
    })
}
