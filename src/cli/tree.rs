//! Whole directory trees: `dechaff DIR -o OUTDIR` cleans every document under DIR in
//! parallel into the same layout under OUTDIR; `dechaff DIR --to jsonl` streams them to
//! standard output as JSON Lines, in order, each with its path. One bad document never
//! stops the rest; the summary counts what was cleaned, failed and skipped.

use super::args::{CleanArgs, OutputFormat, with_format_of};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::io::{
    IntoFile, clean_into, open_document, remove_stale_temps, replace_with, write_atomically,
};
use super::learn;
use super::report::report_text;
use super::walk::{Skip, walk};
use crate::clean::Document;
use crate::learn::{Lesson, Settings};
use crate::{Cleaner, Options, Report};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// What happened to one document.
struct Outcome {
    path: PathBuf,
    result: Result<Done, String>,
}

/// A document cleaned.
struct Done {
    bytes: usize,
    warnings: Vec<&'static str>,
    /// Kept for `--report` only.
    report: Option<Report>,
    /// Learned rules that acted on it (`--learn`): id and bytes removed.
    learned: Vec<(String, u64)>,
}

/// Where the cleaned documents go.
enum Sink<'a> {
    /// Into the same layout under this directory.
    Tree(&'a Path, Made),
    /// As JSON Lines on standard output, in order.
    Stdout,
}

/// The documents a worker handles at a time when streaming: output stays in order, memory
/// bounded by a batch.
const BATCH: usize = 256;

pub fn run(cleaner: &Cleaner, args: &CleanArgs, options: &Options, input: &Path) -> i32 {
    let sink = match args.output_file() {
        Some(output) => {
            if let Err(message) = check_trees(input, output) {
                eprintln!("dechaff: {message}");
                return EXIT_USAGE;
            }
            Sink::Tree(output, Made::default())
        }
        None if matches!(args.to(), OutputFormat::Jsonl | OutputFormat::Json) => Sink::Stdout,
        None => {
            eprintln!(
                "dechaff: {} is a directory: give -o OUTDIR to write the cleaned tree, or --to jsonl to stream it to standard output",
                input.display()
            );
            return EXIT_USAGE;
        }
    };
    let found = walk(input);
    let targets = match &sink {
        Sink::Tree(out_root, _) => output_names(&found.documents, input, out_root, args.to()),
        Sink::Stdout => Targets::default(),
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("dechaff: cannot start {jobs} threads: {e}");
            return EXIT_FAILED;
        }
    };
    // --learn: first learn each site of the tree, then clean with what was learned.
    let learned = if args.learn {
        let (mut lesson, seen, _) = pool.install(|| {
            learn::learn(
                cleaner,
                options,
                Settings::APPLY,
                &[input.to_path_buf()],
                args.quiet,
            )
        });
        // Only what acts on enough pages as the engine reads them is applied.
        let checked = pool
            .install(|| learn::check(cleaner, &mut lesson, &seen, options))
            .and_then(|_| learn::cleaner_with(cleaner, &lesson));
        match checked {
            Ok(c) => {
                let layers: HashMap<PathBuf, String> = seen
                    .into_iter()
                    .filter_map(|s| Some((s.path, lesson.layer_for(&s.site)?.to_string())))
                    .collect();
                Some((lesson, c, layers))
            }
            Err(message) => {
                eprintln!("dechaff: {message}");
                return EXIT_FAILED;
            }
        }
    } else {
        None
    };
    let cleaner = learned.as_ref().map_or(cleaner, |(_, c, _)| c);
    let progress = Progress::new(found.documents.len(), args.quiet);
    let started = Instant::now();
    // A cleaner per worker thread, cloned on its first document: regexes shared between
    // threads contend for their caches (measured: 1.63 x on two threads shared, 1.77 x not).
    let per_thread: Vec<OnceLock<Cleaner>> = (0..jobs).map(|_| OnceLock::new()).collect();
    let own = || {
        rayon::current_thread_index()
            .and_then(|i| per_thread.get(i))
            .map_or(cleaner, |cell| cell.get_or_init(|| cleaner.clone()))
    };
    let job = Job {
        args,
        options,
        sink: &sink,
        progress: &progress,
        layers: learned.as_ref().map(|(_, _, l)| l),
        targets: &targets,
    };
    let mut outcomes = Vec::with_capacity(found.documents.len());
    match &sink {
        Sink::Tree(..) => {
            let done: Mutex<Vec<Outcome>> = Mutex::new(Vec::with_capacity(found.documents.len()));
            pool.install(|| {
                found.documents.par_iter().for_each(|doc| {
                    let (outcome, _) = job.clean(own(), doc);
                    if let Ok(mut list) = done.lock() {
                        list.push(outcome);
                    }
                });
            });
            outcomes = done.into_inner().unwrap_or_default();
        }
        Sink::Stdout => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            for batch in found.documents.chunks(BATCH) {
                let results: Vec<(Outcome, String)> =
                    pool.install(|| batch.par_iter().map(|doc| job.clean(own(), doc)).collect());
                for (outcome, line) in results {
                    if let Err(e) = stdout.write_all(line.as_bytes()) {
                        progress.finish();
                        if e.kind() == std::io::ErrorKind::BrokenPipe {
                            return EXIT_OK;
                        }
                        eprintln!("dechaff: <stdout>: cannot write: {e}");
                        return EXIT_FAILED;
                    }
                    outcomes.push(outcome);
                }
            }
            if let Err(e) = stdout.flush()
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("dechaff: <stdout>: cannot write: {e}");
                return EXIT_FAILED;
            }
        }
    }
    progress.finish();
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    let mut summary = Summary::of(&outcomes, &found.skipped, started.elapsed().as_secs_f64());
    summary.renamed = &targets.renamed;
    if let Sink::Tree(_, made) = &sink {
        summary.stale_temps = made.stale_temps();
    }
    if let Some((lesson, _, _)) = learned.as_ref().filter(|_| !args.quiet) {
        report_learned(lesson, &outcomes);
    }
    summary.print(args);
    let mut status = if summary.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    };
    if let Some(path) = &args.report {
        let json = summary.to_json(&outcomes);
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        if let Err(e) = write_atomically(path, text.as_bytes()) {
            eprintln!("dechaff: {}: cannot write: {e}", path.display());
            status = EXIT_FAILED;
        }
    }
    status
}

/// What every document of a run shares.
struct Job<'a> {
    args: &'a CleanArgs,
    options: &'a Options,
    sink: &'a Sink<'a>,
    progress: &'a Progress,
    /// With `--learn`: each document's learned layer.
    layers: Option<&'a HashMap<PathBuf, String>>,
    /// Into a tree: where each document goes.
    targets: &'a Targets,
}

impl Job<'_> {
    /// Cleans one document into the tree, or into a line of JSON to stream (an error record
    /// if it failed); reports it on standard error with `-v` or `--explain`.
    fn clean(&self, cleaner: &Cleaner, doc: &Path) -> (Outcome, String) {
        let shown = doc.display().to_string();
        let result = self.clean_document(cleaner, doc, &shown);
        let (outcome, line) = match result {
            Ok((done, line)) => {
                self.progress.advance(done.bytes, false);
                (
                    Outcome {
                        path: doc.to_path_buf(),
                        result: Ok(done),
                    },
                    line,
                )
            }
            Err(message) => {
                self.progress.advance(0, true);
                let mut line = json!({"path": shown, "error": message}).to_string();
                line.push('\n');
                (
                    Outcome {
                        path: doc.to_path_buf(),
                        result: Err(message),
                    },
                    line,
                )
            }
        };
        (outcome, line)
    }

    fn clean_document(
        &self,
        cleaner: &Cleaner,
        doc: &Path,
        shown: &str,
    ) -> Result<(Done, String), String> {
        if let Some(Err(message)) = self.targets.of.get(doc) {
            return Err(message.clone());
        }
        let mut options = with_format_of(self.options, doc);
        let layer = self.layers.and_then(|l| l.get(doc));
        options.extra_layer = layer.cloned();
        // Into a tree in the input's own format, a document streams from its file to its
        // output, as one given alone does: any size, in bounded memory.
        let (report, bytes, line) = match self.sink {
            Sink::Tree(_, made) if self.args.to() == OutputFormat::Source => {
                let file = std::fs::File::open(doc).map_err(|e| format!("cannot read: {e}"))?;
                let bytes = file.metadata().map_or(0, |m| m.len() as usize);
                let target = self.target_of(doc, made)?;
                let report = into_target(target, |w| cleaner.clean(file, w, &options))?;
                self.show(cleaner, shown, &report);
                (report, bytes, String::new())
            }
            _ => {
                let document = open_document(doc, self.options.max_document)?;
                match (document, &self.sink) {
                    // Too large to clean whole: cleaned in windows into its file.
                    (Document::Large(rest), Sink::Tree(_, made)) => {
                        let target = self.target_of(doc, made)?;
                        let report = into_target(target, |w| {
                            cleaner.clean_windows(rest, w, self.args.shape(), &options, None)
                        })?;
                        self.show(cleaner, shown, &report);
                        let size = std::fs::metadata(doc).map_or(0, |m| m.len() as usize);
                        (report, size, String::new())
                    }
                    (Document::Large(_), Sink::Stdout) => {
                        return Err(format!(
                            "{}; clean it on its own, or raise the limit with `--max-document`",
                            crate::Error::TooLarge {
                                limit: self.options.max_document
                            }
                        ));
                    }
                    (Document::Whole(bytes), _) => {
                        let size = bytes.len();
                        // Let go once the cleaning pass has read it.
                        let cleaned = cleaner.clean_vec(bytes, &options);
                        let cleaned = cleaned.map_err(|e| e.to_string())?;
                        self.show(cleaner, shown, &cleaned.report);
                        match self.sink {
                            Sink::Stdout => {
                                let line = self.args.render_labelled(&cleaned, Some(shown));
                                (cleaned.report, size, line)
                            }
                            Sink::Tree(_, made) => {
                                let target = self.target_of(doc, made)?;
                                // Written as it is made into the file that becomes the target.
                                let report = replace_with(target, false, |w| {
                                    self.args.render_into(cleaned, None, w)
                                })
                                .map_err(|e| format!("{}: cannot write: {e}", target.display()))?;
                                (report, size, String::new())
                            }
                        }
                    }
                }
            }
        };
        let learned = match layer {
            Some(layer) => {
                let prefix = format!("{}/", layer.rsplit('/').next().unwrap_or(""));
                report
                    .fired
                    .iter()
                    .filter(|h| h.id.starts_with(&prefix))
                    .map(|h| (h.id.clone(), h.bytes_removed))
                    .collect()
            }
            None => Vec::new(),
        };
        let done = Done {
            bytes,
            warnings: report.warnings.iter().map(|w| w.kind).collect(),
            report: self.args.report.is_some().then_some(report),
            learned,
        };
        Ok((done, line))
    }

    /// Where a document goes in the output tree, its directory made.
    fn target_of(&self, doc: &Path, made: &Made) -> Result<&Path, String> {
        let target = self
            .targets
            .of
            .get(doc)
            .ok_or_else(|| "no output name".to_string())?
            .as_ref()
            .map_err(Clone::clone)?;
        if let Some(dir) = target.parent() {
            made.dir(dir)
                .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
        }
        Ok(target)
    }

    /// A document's report on standard error, with `-v` or `--explain`.
    fn show(&self, cleaner: &Cleaner, shown: &str, report: &Report) {
        if self.args.verbose || self.args.explain.is_some() {
            let text = report_text(self.args, cleaner.catalog(), shown, report);
            self.progress.suspend(|| eprint!("{text}"));
        }
    }
}

/// What `--learn` learned and what each learned rule did, site by site, on standard error.
fn report_learned(lesson: &Lesson, outcomes: &[Outcome]) {
    let mut acted: HashMap<&str, (usize, u64)> = HashMap::new();
    for done in outcomes.iter().filter_map(|o| o.result.as_ref().ok()) {
        for (id, bytes) in &done.learned {
            let e = acted.entry(id.as_str()).or_default();
            e.0 += 1;
            e.1 += bytes;
        }
    }
    let sites: Vec<_> = lesson
        .sites
        .iter()
        .filter(|s| !s.rules.is_empty())
        .collect();
    let rules: usize = sites.iter().map(|s| s.rules.len()).sum();
    let small = lesson
        .sites
        .iter()
        .filter(|s| s.pages < lesson.settings.min_pages)
        .count();
    eprintln!(
        "dechaff: learned {rules} rule{} for {} of {} sites ({small} with fewer than {} pages)",
        if rules == 1 { "" } else { "s" },
        sites.len(),
        lesson.sites.len(),
        lesson.settings.min_pages
    );
    for site in sites {
        eprintln!("  {} ({} pages):", site.key, site.pages);
        let name = site.layer.rsplit('/').next().unwrap_or("");
        for rule in &site.rules {
            let id = format!("{name}/{}", rule.id);
            let (pages, bytes) = acted.get(id.as_str()).copied().unwrap_or_default();
            eprintln!(
                "    {id} ({}) removed {bytes} bytes from {pages} pages: {}",
                rule.action, rule.example
            );
        }
    }
}

/// The progress bar on a terminal: documents, MB, MB/s, failures and the time left.
struct Progress {
    bar: ProgressBar,
    bytes: AtomicU64,
    failed: AtomicUsize,
    started: Instant,
}

impl Progress {
    fn new(documents: usize, quiet: bool) -> Progress {
        let bar = if std::io::stderr().is_terminal() && !quiet {
            let bar = ProgressBar::new(documents as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} documents, {msg}, {eta} left")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(progress_message(0, 0.0, 0));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            bytes: AtomicU64::new(0),
            failed: AtomicUsize::new(0),
            started: Instant::now(),
        }
    }

    fn advance(&self, bytes: usize, failed: bool) {
        let total = self.bytes.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
        let failures = self
            .failed
            .fetch_add(usize::from(failed), Ordering::Relaxed)
            + usize::from(failed);
        if !self.bar.is_hidden() {
            let elapsed = self.started.elapsed().as_secs_f64();
            self.bar
                .set_message(progress_message(total, elapsed, failures));
        }
        self.bar.inc(1);
    }

    /// Runs `f` (which writes to standard error) with the bar out of the way.
    fn suspend(&self, f: impl FnOnce()) {
        self.bar.suspend(f);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The bar's message: `12.3 MB, 4.5 MB/s, 0 failed`.
fn progress_message(bytes: u64, elapsed: f64, failed: usize) -> String {
    let mb = bytes as f64 / 1e6;
    let rate = if elapsed > 0.0 { mb / elapsed } else { 0.0 };
    format!("{mb:.1} MB, {rate:.1} MB/s, {failed} failed")
}

/// The output tree must be neither the input tree nor inside it (nor hold it): cleaning
/// must never write over what it reads.
fn check_trees(input: &Path, output: &Path) -> Result<(), String> {
    let input_real = input
        .canonicalize()
        .map_err(|e| format!("{}: {e}", input.display()))?;
    let output_real = resolve(output).map_err(|e| format!("{}: {e}", output.display()))?;
    if output_real.starts_with(&input_real) || input_real.starts_with(&output_real) {
        return Err(format!(
            "the output tree {} and the input tree {} overlap; write the cleaned tree elsewhere",
            output.display(),
            input.display()
        ));
    }
    std::fs::create_dir_all(output).map_err(|e| format!("{}: cannot create: {e}", output.display()))
}

/// The absolute, link-free form of a path that may not exist yet: its nearest existing
/// ancestor resolved, the rest appended.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().unwrap_or_default().to_os_string());
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut real = existing.canonicalize()?;
    for part in rest.iter().rev() {
        real.push(part);
    }
    Ok(real)
}

/// The output directories made so far: each is made once, when the first document in it
/// is written, instead of asking the file system again for every document. A directory
/// that was there already is cleared of the temporary files a killed run left in it.
#[derive(Default)]
struct Made {
    dirs: Mutex<HashSet<PathBuf>>,
    stale: AtomicUsize,
}

impl Made {
    fn dir(&self, dir: &Path) -> std::io::Result<()> {
        if self.dirs.lock().is_ok_and(|set| set.contains(dir)) {
            return Ok(());
        }
        if dir.is_dir() {
            self.stale
                .fetch_add(remove_stale_temps(dir), Ordering::Relaxed);
        } else {
            std::fs::create_dir_all(dir)?;
        }
        if let Ok(mut set) = self.dirs.lock() {
            set.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// How many temporary files of killed runs were removed.
    fn stale_temps(&self) -> usize {
        self.stale.load(Ordering::Relaxed)
    }
}

/// Where each document of a tree goes, and the documents whose output had to be named
/// apart from another's.
#[derive(Default)]
struct Targets {
    /// Document → its output path, or why it has none.
    of: HashMap<PathBuf, Result<PathBuf, String>>,
    /// Documents given a longer name (`x.html` → `x.html.md`), with that name.
    renamed: Vec<(PathBuf, PathBuf)>,
}

/// The output path of every document: its place in the input tree with the extension of
/// the output format. Documents that would share a path (`x.md`, `x.html` and `x.htm` all
/// become `x.md`) are told apart, never written over each other: the one whose own name
/// it is keeps it, the others keep their extension before the new one (`x.html.md`). A
/// document for which even that name is taken fails with a message naming the other.
fn output_names(documents: &[PathBuf], root: &Path, out_root: &Path, to: OutputFormat) -> Targets {
    let plain = |doc: &Path| {
        let relative = doc.strip_prefix(root).unwrap_or(doc);
        out_root.join(relative).with_extension(extension(to, doc))
    };
    let mut claims: HashMap<PathBuf, Vec<&PathBuf>> = HashMap::new();
    for doc in documents {
        claims.entry(plain(doc)).or_default().push(doc);
    }
    let mut targets = Targets::default();
    let mut taken: HashMap<PathBuf, &PathBuf> = HashMap::new();
    let mut moved: Vec<(&PathBuf, PathBuf)> = Vec::new();
    for (target, docs) in &claims {
        // The documents arrive sorted, so the choice is the same run after run.
        let keeper = docs
            .iter()
            .find(|d| d.file_name() == target.file_name())
            .unwrap_or(&docs[0]);
        taken.insert(target.clone(), keeper);
        for doc in docs.iter().filter(|d| *d != keeper) {
            let mut name = doc.file_name().unwrap_or_default().to_os_string();
            name.push(".");
            name.push(extension(to, doc));
            moved.push((doc, target.with_file_name(name)));
        }
    }
    moved.sort();
    for (doc, target) in moved {
        match taken.get(&target) {
            Some(other) => {
                let message = format!(
                    "its output {} would be {}'s too; rename one of them",
                    target.display(),
                    other.display()
                );
                targets.of.insert(doc.clone(), Err(message));
            }
            None => {
                taken.insert(target.clone(), doc);
                targets.renamed.push((doc.clone(), target));
            }
        }
    }
    for (target, doc) in taken {
        targets.of.insert(doc.clone(), Ok(target));
    }
    targets.renamed.sort();
    targets
}

/// The output file's extension for a format (source keeps the input's).
fn extension(to: OutputFormat, doc: &Path) -> String {
    match to {
        OutputFormat::Markdown => "md".into(),
        OutputFormat::Html => "html".into(),
        OutputFormat::Text => "txt".into(),
        OutputFormat::Json | OutputFormat::Jsonl => "json".into(),
        OutputFormat::Source => doc
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// A run in figures, with the files behind each warning kind and each failure.
struct Summary<'a> {
    cleaned: usize,
    bytes: usize,
    seconds: f64,
    /// Warning kind → the documents that had it.
    warnings: BTreeMap<&'static str, Vec<&'a Path>>,
    failures: Vec<(&'a Path, &'a str)>,
    skipped: BTreeMap<Skip, Vec<&'a Path>>,
    /// Documents whose output was named apart from another's, and that name.
    renamed: &'a [(PathBuf, PathBuf)],
    /// Temporary files of killed runs removed from the output tree.
    stale_temps: usize,
}

/// How many files the summary names per warning kind before it counts the rest.
const NAMED: usize = 3;

impl<'a> Summary<'a> {
    fn of(outcomes: &'a [Outcome], skipped: &'a [(PathBuf, Skip)], seconds: f64) -> Summary<'a> {
        let mut summary = Summary {
            cleaned: 0,
            bytes: 0,
            seconds,
            warnings: BTreeMap::new(),
            failures: Vec::new(),
            skipped: BTreeMap::new(),
            renamed: &[],
            stale_temps: 0,
        };
        for outcome in outcomes {
            match &outcome.result {
                Ok(done) => {
                    summary.cleaned += 1;
                    summary.bytes += done.bytes;
                    let mut kinds = done.warnings.clone();
                    kinds.sort_unstable();
                    kinds.dedup();
                    for kind in kinds {
                        summary
                            .warnings
                            .entry(kind)
                            .or_default()
                            .push(&outcome.path);
                    }
                }
                Err(message) => summary.failures.push((&outcome.path, message)),
            }
        }
        for (path, why) in skipped {
            summary.skipped.entry(*why).or_default().push(path);
            // Part of the tree that could not be read is a failure, not only a skip.
            if why.is_failure() {
                summary.failures.push((path, "cannot read this directory"));
            }
        }
        summary
    }

    /// On standard error: the counts, the skipped files by reason, the files behind each
    /// warning kind (not with `-q`), and every failure.
    fn print(&self, args: &CleanArgs) {
        if args.quiet && self.failures.is_empty() {
            return;
        }
        let rate = if self.seconds > 0.0 {
            self.bytes as f64 / self.seconds / 1e6
        } else {
            0.0
        };
        eprintln!(
            "dechaff: {} documents cleaned, {:.1} MB in {:.2} s ({rate:.1} MB/s), {} failed",
            self.cleaned,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.failures.len()
        );
        if !self.skipped.is_empty() {
            let total: usize = self.skipped.values().map(Vec::len).sum();
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(why, paths)| format!("{} {}", why.describe(), paths.len()))
                .collect();
            eprintln!("dechaff: skipped {total} files: {}", reasons.join("; "));
        }
        if !self.renamed.is_empty() {
            let shown: Vec<String> = self
                .renamed
                .iter()
                .map(|(doc, to)| format!("{} as {}", doc.display(), to.display()))
                .collect();
            eprintln!(
                "dechaff: {} outputs named apart from another document's of the same name: {}",
                self.renamed.len(),
                shown.join(", ")
            );
        }
        if self.stale_temps > 0 {
            eprintln!(
                "dechaff: removed {} temporary files that an interrupted run left in the output tree",
                self.stale_temps
            );
        }
        if !args.quiet && !self.warnings.is_empty() {
            let kinds: Vec<String> = self
                .warnings
                .iter()
                .map(|(kind, paths)| format!("{kind} {} ({})", paths.len(), named(paths)))
                .collect();
            eprintln!("dechaff: warnings: {}", kinds.join("; "));
        }
        for (path, message) in &self.failures {
            eprintln!("dechaff: failed: {}: {message}", path.display());
        }
    }

    /// `--report`: the summary and every document's report.
    fn to_json(&self, outcomes: &[Outcome]) -> Value {
        let paths = |list: &[&Path]| -> Vec<String> {
            list.iter().map(|p| p.display().to_string()).collect()
        };
        let warnings: Map<String, Value> = self
            .warnings
            .iter()
            .map(|(kind, list)| (kind.to_string(), json!(paths(list))))
            .collect();
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .flat_map(|(why, list)| {
                list.iter().map(
                    move |p| json!({"path": p.display().to_string(), "reason": why.describe()}),
                )
            })
            .collect();
        let failures: Vec<Value> = self
            .failures
            .iter()
            .map(|(p, m)| json!({"path": p.display().to_string(), "error": m}))
            .collect();
        let documents: Vec<Value> = outcomes
            .iter()
            .filter_map(|o| {
                let report = o.result.as_ref().ok()?.report.as_ref()?;
                let mut entry = Map::new();
                entry.insert("path".into(), o.path.display().to_string().into());
                if let Ok(Value::Object(fields)) = serde_json::to_value(report) {
                    entry.extend(fields);
                }
                Some(Value::Object(entry))
            })
            .collect();
        json!({
            "cleaned": self.cleaned,
            "failed": self.failures.len(),
            "skipped": self.skipped.values().map(Vec::len).sum::<usize>(),
            "bytes": self.bytes,
            "seconds": self.seconds,
            "warnings": warnings,
            "failures": failures,
            "skipped_files": skipped,
            "renamed": self.renamed.iter().map(|(doc, to)| json!({"path": doc.display().to_string(), "output": to.display().to_string()})).collect::<Vec<_>>(),
            "stale_temps_removed": self.stale_temps,
            "documents": documents,
        })
    }
}

/// The first few paths, and how many more.
fn named(paths: &[&Path]) -> String {
    let mut shown: Vec<String> = paths
        .iter()
        .take(NAMED)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > NAMED {
        shown.push(format!("and {} more", paths.len() - NAMED));
    }
    shown.join(", ")
}

/// Cleans a document into `target` (a temporary file, renamed into place once it
/// succeeded); what went wrong is said for people, naming the target when it is to blame.
fn into_target<T>(
    target: &Path,
    clean: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<T, crate::Error>,
) -> Result<T, String> {
    clean_into(target, false, clean).map_err(|e| match e {
        IntoFile::Clean(crate::Error::Io(e)) => {
            format!("cannot read it or write {}: {e}", target.display())
        }
        IntoFile::Clean(e) => e.to_string(),
        IntoFile::Write(e) => format!("{}: cannot write: {e}", target.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_message_has_units_and_no_raw_floats() {
        assert_eq!(
            progress_message(12_345_678, 2.0, 1),
            "12.3 MB, 6.2 MB/s, 1 failed"
        );
        assert_eq!(progress_message(0, 0.0, 0), "0.0 MB, 0.0 MB/s, 0 failed");
    }

    #[test]
    fn a_summary_names_a_few_files_and_counts_the_rest() {
        let paths: Vec<PathBuf> = (1..=5).map(|i| PathBuf::from(format!("{i}.md"))).collect();
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        assert_eq!(named(&refs[..2]), "1.md, 2.md");
        assert_eq!(named(&refs), "1.md, 2.md, 3.md, and 2 more");
    }
}
