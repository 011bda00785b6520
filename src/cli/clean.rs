//! The main job: clean files or standard input to standard output (or `-o`).

use super::args::{CleanArgs, OutputFormat, is_stdio, with_format_of};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::io::{
    IntoFile, TOO_LARGE_HINT, clean_into, inputs, open_document, outln, replace_with, same_file,
    shown,
};
use super::report::print_report;
use super::{jsonl, tree};
use crate::clean::Document;
use crate::{Cleaner, Format, Options, Report};
use include_dir::{Dir, include_dir};
use std::io::{self, Read};
use std::path::Path;

static EXAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/tests/corpus/seeds");

pub fn run(args: &CleanArgs) -> i32 {
    if args.list_examples {
        for name in example_names() {
            outln!("{name}");
        }
        return EXIT_OK;
    }
    // Never dropped: the process ends after this, and its memory goes back at once rather
    // than a piece at a time (freeing the rules and their automata took a tenth of a
    // one-page run).
    let cleaner = match args.rules.cleaner() {
        Ok(c) => std::mem::ManuallyDrop::new(c),
        Err(code) => return code,
    };
    let mut options = match args.site.options(&cleaner) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // Previews of what rules removed are shown only by --explain and JSON records (`--to
    // json|jsonl`, and every record of `--from jsonl`, whatever its content's format).
    options.skip_previews =
        args.explain.is_none() && args.to().format() != Format::Json && !args.jsonl_input();
    // Where no report is shown, the metadata rules are read only when an output needs
    // what they read.
    options.defer_metadata =
        options.skip_previews && args.quiet && !args.verbose && args.report.is_none();
    // Nor, writing source, for the article stage's own question unless it must.
    options.metadata_unread = options.defer_metadata && args.shape() == (Format::Source, false);
    if let Some(limit) = args.max_document {
        options.max_document = limit;
    }
    if let Some(limit) = args.max_block {
        options.max_block = limit;
    }
    if let Some(size) = args.window {
        options.window = size;
    }
    if args.in_place {
        return in_place(&cleaner, args, &options);
    }
    if let Some(dir) = args.files.iter().find(|f| f.is_dir()) {
        if args.files.len() > 1 {
            eprintln!("dechaff: a directory is cleaned on its own: `dechaff DIR -o OUTDIR`");
            return EXIT_USAGE;
        }
        return tree::run(&cleaner, args, &options, dir);
    }
    if args.report.is_some() {
        eprintln!("dechaff: --report is for a tree run: `dechaff DIR -o OUTDIR --report FILE`");
        return EXIT_USAGE;
    }
    if args.learn {
        eprintln!("dechaff: --learn learns from a tree: `dechaff --learn DIR -o OUTDIR`");
        return EXIT_USAGE;
    }
    if args.output_file().is_some() && args.files.len() > 1 {
        eprintln!(
            "dechaff: --output takes one input; got {}",
            args.files.len()
        );
        return EXIT_USAGE;
    }

    if args.jsonl_input() {
        return jsonl::run(&cleaner, args, &options);
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
        return clean_one(
            &cleaner,
            args,
            &options,
            name,
            Document::Whole(file.contents().to_vec()),
            None,
        );
    }

    if let Some(output) = args.output_file()
        && let Some(input) = args.files.iter().find(|f| same_file(f, output))
    {
        eprintln!(
            "dechaff: {}: -o names the input itself, which its cleaned version would replace; use --in-place to replace a file with its cleaned self",
            input.display()
        );
        return EXIT_USAGE;
    }
    // The input's own format streams, from a file as from standard input: large HTML is
    // never held whole, and `-o` is written as it comes, then renamed into place.
    if args.to() == OutputFormat::Source {
        return stream_files(&cleaner, args, &options);
    }
    let files = inputs(&args.files);
    // With several documents in one stream of JSON, each record says which it is.
    let several = files.len() > 1;
    let mut status = EXIT_OK;
    for path in files {
        let shown = shown(path);
        let options = with_format_of(&options, path);
        let label = several.then_some(shown.as_str());
        status = status.max(match open_document(path, options.max_document) {
            Ok(input) => clean_one(&cleaner, args, &options, &shown, input, label),
            Err(message) => {
                eprintln!("dechaff: {shown}: {message}");
                EXIT_FAILED
            }
        });
    }
    status
}

/// Cleans one document to standard output or `-o`; `label`, when given, is the `path` that
/// JSON output carries. The input is let go once the cleaning pass has read it, and the
/// output is written as it is made. A document too large to clean whole is cleaned in
/// windows.
fn clean_one(
    cleaner: &Cleaner,
    args: &CleanArgs,
    options: &Options,
    shown: &str,
    input: Document<Box<dyn Read>>,
    label: Option<&str>,
) -> i32 {
    let input = match input {
        Document::Whole(bytes) => bytes,
        Document::Large(rest) => return clean_large(cleaner, args, options, shown, rest, label),
    };
    let cleaned = match cleaner.clean_vec(input, options) {
        Ok(cleaned) => cleaned,
        Err(e @ crate::Error::TooLarge { .. }) => {
            eprintln!("dechaff: {shown}: {e}; {TOO_LARGE_HINT}");
            return EXIT_FAILED;
        }
        Err(e) => {
            eprintln!("dechaff: {shown}: {e}");
            return EXIT_FAILED;
        }
    };
    print_report(args, cleaner.catalog(), shown, &cleaned.report);
    // Written as it is made, into the temporary file that becomes `-o` or to standard
    // output: no copy of the whole output is held.
    let written = match args.output_file() {
        Some(path) => replace_with(path, true, |w| args.render_into(cleaned, label, w)),
        None => args.render_into(
            cleaned,
            label,
            io::BufWriter::with_capacity(64 << 10, io::stdout().lock()),
        ),
    };
    match written {
        Ok(_) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let target = args
                .output_file()
                .map_or("<stdout>".to_string(), |p| p.display().to_string());
            eprintln!("dechaff: {target}: cannot write: {e}");
            EXIT_FAILED
        }
    }
}

/// A document too large to clean whole, cleaned in windows to standard output or `-o`:
/// `-o` is left as it was when it fails (a block too large).
fn clean_large(
    cleaner: &Cleaner,
    args: &CleanArgs,
    options: &Options,
    shown: &str,
    input: impl Read,
    label: Option<&str>,
) -> i32 {
    let cleaned = to_output(args, |w| {
        cleaner.clean_windows(input, w, args.shape(), options, label)
    });
    match cleaned {
        Ok(report) => {
            print_report(args, cleaner.catalog(), shown, &report);
            EXIT_OK
        }
        Err(crate::Error::Io(e))
            if e.kind() == io::ErrorKind::BrokenPipe && args.output_file().is_none() =>
        {
            EXIT_OK
        }
        Err(e) => {
            eprintln!("dechaff: {shown}: {e}");
            EXIT_FAILED
        }
    }
}

/// `--in-place`: each file replaced by its cleaned self; one that fails is reported and
/// left untouched, and the others still go.
fn in_place(cleaner: &Cleaner, args: &CleanArgs, options: &Options) -> i32 {
    if args.files.is_empty() || args.files.iter().any(|f| f.is_dir() || is_stdio(f)) {
        eprintln!(
            "dechaff: --in-place takes files (a tree goes to another directory: `dechaff DIR -o OUTDIR`)"
        );
        return EXIT_USAGE;
    }
    let mut status = EXIT_OK;
    for path in &args.files {
        let shown = path.display().to_string();
        let options = with_format_of(options, path);
        let result = if args.to() == OutputFormat::Source {
            // Streamed from the file into the temporary file that replaces it.
            std::fs::File::open(path)
                .map_err(|e| format!("cannot read: {e}"))
                .and_then(|input| {
                    clean_into(path, true, |w| cleaner.clean(input, w, &options))
                        .map_err(|e| e.to_string())
                })
                .map(|report| print_report(args, cleaner.catalog(), &shown, &report))
        } else {
            open_document(path, options.max_document).and_then(|document| match document {
                Document::Whole(bytes) => {
                    let cleaned = cleaner.clean_vec(bytes, &options);
                    let cleaned = cleaned.map_err(|e| e.to_string())?;
                    print_report(args, cleaner.catalog(), &shown, &cleaned.report);
                    replace_with(path, true, |w| args.render_into(cleaned, None, w))
                        .map(drop)
                        .map_err(|e| format!("cannot write: {e}"))
                }
                // Too large to clean whole: cleaned in windows from the file into the
                // temporary file that replaces it, which is renamed only once all went.
                Document::Large(rest) => clean_into(path, true, |w| {
                    cleaner.clean_windows(rest, w, args.shape(), &options, None)
                })
                .map(|report| print_report(args, cleaner.catalog(), &shown, &report))
                .map_err(|e| e.to_string()),
            })
        };
        if let Err(message) = result {
            eprintln!("dechaff: {shown}: {message}");
            status = EXIT_FAILED;
        }
    }
    status
}

/// Each file (or standard input) in its own format, streamed to standard output or `-o`:
/// large HTML is never held whole. A file that cannot be read is reported and the others
/// go on; a reader of standard output that went away ends the run quietly.
fn stream_files(cleaner: &Cleaner, args: &CleanArgs, options: &Options) -> i32 {
    let mut status = EXIT_OK;
    for path in inputs(&args.files) {
        let shown = shown(path);
        let input: Box<dyn Read> = if is_stdio(path) {
            Box::new(io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    eprintln!("dechaff: {shown}: cannot read: {e}");
                    status = EXIT_FAILED;
                    continue;
                }
            }
        };
        let options = with_format_of(options, path);
        let cleaned = to_output(args, |w| cleaner.clean(input, w, &options));
        match cleaned {
            Ok(report) => print_report(args, cleaner.catalog(), &shown, &report),
            Err(crate::Error::Io(e))
                if e.kind() == io::ErrorKind::BrokenPipe && args.output_file().is_none() =>
            {
                return EXIT_OK;
            }
            Err(e) => {
                eprintln!("dechaff: {shown}: {e}");
                status = EXIT_FAILED;
            }
        }
    }
    status
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

/// Runs `clean` into `-o` (a temporary file, renamed into place once it succeeded) or into
/// standard output, buffered.
fn to_output(
    args: &CleanArgs,
    clean: impl FnOnce(&mut dyn io::Write) -> Result<Report, crate::Error>,
) -> Result<Report, crate::Error> {
    match args.output_file() {
        Some(target) => clean_into(target, true, |w| clean(w)).map_err(|e| match e {
            IntoFile::Clean(e) => e,
            IntoFile::Write(e) => crate::Error::Io(e),
        }),
        None => clean(&mut io::BufWriter::with_capacity(
            64 << 10,
            io::stdout().lock(),
        )),
    }
}
