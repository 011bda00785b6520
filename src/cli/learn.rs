//! Learning from a tree of pages: `dechaff rules learn DIR… -o RULES_DIR` proposes rule
//! files, `dechaff --learn DIR -o OUT` applies what it is sure of before cleaning. The
//! learning itself is the library's (`dechaff::learn`); this is reading files and
//! reporting.

use super::args::{RuleSource, SiteArgs, with_format_of};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::io::{outln, write_atomically};
use super::walk::walk;
use crate::learn::{Learner, Lesson, Settings, SiteKey};
use crate::{Cleaner, Options};
use clap::Args;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Pages read and cut at once: enough to keep every thread busy, few enough that only
/// their units are held, never the whole tree's pages.
const BATCH: usize = 64;

#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Trees of pages to learn from: each site in them (by family and outlet, else by the
    /// article's host, else by directory) is learned on its own.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// The rule directory to write the proposed files to (`outlets/<name>.toml`).
    #[arg(short, long, value_name = "RULES_DIR", required = true)]
    pub output: PathBuf,
    /// Replace files that already exist there.
    #[arg(long)]
    pub force: bool,
    /// Fewest pages a site needs, and a rule must act on. [default: 3]
    #[arg(long, value_name = "N")]
    pub min_pages: Option<usize>,
    /// Smallest share of a site's pages a rule must act on, from 0 to 1; a sentence that
    /// recurs word for word needs 0.2, or this share if it is smaller. [default: 0.3]
    #[arg(long, value_name = "SHARE")]
    pub min_share: Option<f64>,
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub rules: RuleSource,
}

/// A page the learner saw, and its site.
pub struct Seen {
    pub path: PathBuf,
    pub site: SiteKey,
}

/// Observes every page under `dirs`, in batches, and returns what was learned and each
/// page's site. Pages that cannot be read or cleaned are reported and left out.
pub fn learn(
    cleaner: &Cleaner,
    options: &Options,
    settings: Settings,
    dirs: &[PathBuf],
    quiet: bool,
) -> (Lesson, Vec<Seen>, bool) {
    let mut learner = Learner::new(cleaner, settings);
    let mut seen = Vec::new();
    let mut failed = false;
    for dir in dirs {
        let documents = walk(dir).documents;
        for batch in documents.chunks(BATCH) {
            let observed: Vec<_> = batch
                .par_iter()
                .map(|doc| {
                    let bytes = super::io::read_document(doc, options.max_document)?;
                    learner
                        .observe(
                            &bytes,
                            &directory_of(dir, doc),
                            &with_format_of(options, doc),
                        )
                        .map_err(|e| e.to_string())
                })
                .collect();
            for (doc, result) in batch.iter().zip(observed) {
                match result {
                    Ok(o) => {
                        seen.push(Seen {
                            path: doc.clone(),
                            site: o.site().clone(),
                        });
                        learner.add(o);
                    }
                    Err(message) => {
                        failed = true;
                        if !quiet {
                            eprintln!("dechaff: {}: {message}", doc.display());
                        }
                    }
                }
            }
        }
    }
    (learner.finish(), seen, failed)
}

/// The directory a page is grouped by when nothing else names its site: the tree's own
/// name and the page's directory inside it (`posts`, `mirror/2020`).
fn directory_of(root: &Path, doc: &Path) -> String {
    let name = root
        .canonicalize()
        .ok()
        .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let inner = doc
        .parent()
        .and_then(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    if inner.is_empty() {
        name
    } else {
        format!("{name}/{inner}")
    }
}

/// The catalog with every site's learned layer, and the cleaner over it.
pub fn cleaner_with(cleaner: &Cleaner, lesson: &Lesson) -> Result<Cleaner, String> {
    cleaner
        .catalog()
        .with_files(lesson.layers())
        .map(Cleaner::with_catalog)
        // Learned files are made to load; if one does not, that is a bug worth showing.
        .map_err(|e| format!("the learned rules did not load:\n{e}"))
}

/// Cleans every page with what was learned for its site and keeps only the rules that act
/// on enough pages as the engine reads them (see [`Lesson::settle`]); returns how many
/// rules went.
pub fn check(
    cleaner: &Cleaner,
    lesson: &mut Lesson,
    seen: &[Seen],
    options: &Options,
) -> Result<usize, String> {
    let checker = cleaner_with(cleaner, lesson)?;
    for batch in seen.chunks(BATCH) {
        let reports: Vec<_> = batch
            .par_iter()
            .map(|s| {
                let layer = lesson.layer_for(&s.site)?;
                let bytes = std::fs::read(&s.path).ok()?;
                let options = Options {
                    extra_layer: Some(layer.to_string()),
                    skip_previews: true,
                    ..with_format_of(options, &s.path)
                };
                checker.clean_bytes(&bytes, &options).ok()
            })
            .collect();
        for (s, report) in batch.iter().zip(reports) {
            if let Some(cleaned) = report {
                lesson.record(&s.site, &cleaned.report);
            }
        }
    }
    Ok(lesson.settle())
}

/// `dechaff rules learn`.
pub fn run(args: &LearnArgs) -> i32 {
    let cleaner = match args.rules.cleaner() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let options = match args.site.options(&cleaner) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut settings = Settings::PROPOSE;
    if let Some(n) = args.min_pages {
        settings.min_pages = n.max(1);
    }
    if let Some(share) = args.min_share {
        if !(0.0..=1.0).contains(&share) {
            eprintln!("dechaff: --min-share takes a share from 0 to 1, got {share}");
            return EXIT_USAGE;
        }
        settings.min_share = share;
    }
    if let Some(missing) = args.dirs.iter().find(|d| !d.is_dir()) {
        eprintln!("dechaff: {} is not a directory", missing.display());
        return EXIT_USAGE;
    }
    let (mut lesson, seen, failed) = learn(&cleaner, &options, settings, &args.dirs, false);
    if seen.is_empty() {
        eprintln!("dechaff: no pages to learn from");
        return EXIT_USAGE;
    }
    if let Err(message) = check(&cleaner, &mut lesson, &seen, &options) {
        eprintln!("dechaff: {message}");
        return EXIT_FAILED;
    }
    for site in &lesson.sites {
        let what = if site.pages < settings.min_pages {
            format!("too few to learn from (at least {})", settings.min_pages)
        } else if site.rules.is_empty() {
            format!(
                "nothing recurs on {} of them outside the article",
                site.threshold
            )
        } else {
            let s = if site.rules.len() == 1 { "" } else { "s" };
            format!(
                "{} rule{s} -> {}",
                site.rules.len(),
                args.output
                    .join("outlets")
                    .join(format!("{}.toml", site.name))
                    .display()
            )
        };
        outln!("{}: {} pages, {what}", site.key, site.pages);
    }
    let proposals = lesson.proposals(cleaner.catalog());
    let status = write(&proposals, &args.output, args.force);
    if status != EXIT_OK {
        return status;
    }
    if !proposals.is_empty() {
        // What was written must load as `--rules` would load it.
        match crate::Catalog::with_overrides(&args.output) {
            Ok(c) if c.lint().is_empty() => {
                outln!(
                    "wrote {} rule file{} under {}: review them, then `dechaff explain --rules {} PAGE`",
                    proposals.len(),
                    if proposals.len() == 1 { "" } else { "s" },
                    args.output.display(),
                    args.output.display()
                );
                if !options.no_outlet && options.outlet.is_none() {
                    unrecognised(&Cleaner::with_catalog(c), &lesson, &seen, &options);
                }
            }
            Ok(c) => {
                for d in c.lint() {
                    eprintln!("{d}\n");
                }
                return EXIT_FAILED;
            }
            Err(e) => {
                eprintln!("{e}");
                return EXIT_FAILED;
            }
        }
    }
    if failed { EXIT_FAILED } else { EXIT_OK }
}

/// Says which sites' pages the written files are not found for by detection (no host the
/// family finds, or another outlet claims it): their rules run with `--outlet NAME`. One
/// page of each site is cleaned with the written files to see.
fn unrecognised(cleaner: &Cleaner, lesson: &Lesson, seen: &[Seen], options: &Options) {
    for site in lesson.sites.iter().filter(|s| !s.rules.is_empty()) {
        let Some(page) = seen.iter().find(|s| s.site == site.key) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(&page.path) else {
            continue;
        };
        let found = cleaner
            .clean_bytes(&bytes, &with_format_of(options, &page.path))
            .ok()
            .and_then(|c| c.report.outlet);
        if found.as_deref() != Some(site.name.as_str()) {
            outln!(
                "note: pages of {} are not detected as outlet `{}`; run its rules with --outlet {}",
                site.key,
                site.name,
                site.name
            );
        }
    }
}

/// Writes the proposals, each to a temporary file renamed into place; refuses, before
/// writing anything, if a file exists and `force` is not given.
fn write(proposals: &[crate::learn::Proposal], dir: &Path, force: bool) -> i32 {
    let targets: Vec<PathBuf> = proposals.iter().map(|p| dir.join(&p.path)).collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|t| t.exists())
        .map(|t| t.display().to_string())
        .collect();
    if !force && !existing.is_empty() {
        eprintln!(
            "dechaff: {} already exist{}; nothing was written (give --force to replace)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        );
        return EXIT_FAILED;
    }
    for (proposal, target) in proposals.iter().zip(&targets) {
        let result = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| write_atomically(target, proposal.text.as_bytes()));
        if let Err(e) = result {
            eprintln!("dechaff: {}: cannot write: {e}", target.display());
            return EXIT_FAILED;
        }
    }
    EXIT_OK
}
