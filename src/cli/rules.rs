//! `dechaff rules …`: tools for the people who maintain the rule files.

use super::args::{ReportFormat, RuleSource};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::fixtures;
use super::io::outln;
use super::walk::documents_under;
use crate::rules::{Layer, Rule};
use crate::{Catalog, Cleaner, Options};
use clap::Subcommand;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Check every rule file: keys, selectors, regexes, `extends`, ids, rules that repeat
    /// others. Exit 1 on any problem.
    ///
    /// With DIR, its files are checked as `--rules DIR` would run them: added to the
    /// built-in files, replacing those of the same relative path.
    ///
    /// Example: dechaff rules check my-rules/
    Check {
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// List the rule files: layer, number of rules, description.
    List {
        #[command(flatten)]
        rules: RuleSource,
    },
    /// Show the rules a document of a site runs, merged, with the file and line of each.
    ///
    /// NAME is FAMILY/OUTLET, a family, an outlet, or a file such as platforms/wordpress.
    ///
    /// Example: dechaff rules show feedx/dw
    Show {
        #[arg(value_name = "NAME")]
        name: String,
        #[command(flatten)]
        rules: RuleSource,
    },
    /// Run the rules over a tree of documents and report, for every rule, how many
    /// documents it acted on. Rules that never act are listed as dead. With --rules DIR,
    /// only DIR's rules are reported (all rules still run).
    ///
    /// Example: dechaff rules coverage tests/corpus --deny-dead
    Coverage {
        /// Trees of documents (the corpus, per-rule fixtures).
        #[arg(value_name = "DIR", required = true)]
        dirs: Vec<PathBuf>,
        /// Exit 1 if any rule is dead (for CI).
        #[arg(long)]
        deny_dead: bool,
        /// With --rules DIR: report every rule, not only DIR's.
        #[arg(long)]
        all_rules: bool,
        /// Time each rule's own work too (a pattern run over a text, a block rule judging
        /// blocks, an element handler) and list the rules that took longest. Matching the
        /// selectors happens in lol_html, for all of them at once, and is not counted.
        #[arg(long)]
        timing: bool,
        /// `text` for people, `json` (one object) for programs.
        #[arg(
            long = "to",
            alias = "format",
            value_enum,
            default_value = "text",
            value_name = "FORMAT"
        )]
        format: ReportFormat,
        #[command(flatten)]
        rules: RuleSource,
    },
    /// Learn rules from many pages of each site: what recurs on a large share of a site's
    /// pages (lines, elements by text or class, images) and is not the article. Writes one
    /// proposed file per site, `outlets/<name>.toml`, for you to review.
    ///
    /// Pages are grouped by family and outlet, else by the article's host, else by
    /// directory. Each rule's note says on how many pages it was found and what it removes;
    /// rules that act on too few pages when the pages are cleaned with them are left out.
    /// Existing files are not replaced without --force.
    ///
    /// Example: dechaff rules learn mirror/ -o learned/ && dechaff explain --rules learned/ mirror/a.md
    Learn(super::learn::LearnArgs),
    /// Run the fixture documents of each site: their `expect.toml` assertions and their
    /// reviewed snapshots, the same checks `cargo test` makes.
    ///
    /// SITE narrows the run: a family (`feedx`), a site (`feedx/dw`), or an outlet's name
    /// alone (`dw`) when one site alone has it.
    ///
    /// Example: dechaff rules test feedx/dw --rules rules/
    Test {
        #[arg(value_name = "SITE")]
        sites: Vec<String>,
        /// The fixture tree.
        #[arg(long, value_name = "DIR", default_value = "tests/corpus")]
        corpus: PathBuf,
        /// The reviewed snapshots.
        #[arg(long, value_name = "DIR", default_value = "snapshots")]
        snapshots: PathBuf,
        /// Check the assertions only, not the snapshots.
        #[arg(long, conflicts_with = "accept")]
        no_snapshots: bool,
        /// Write (or update) the snapshots that are missing or differ, as `cargo insta
        /// accept` would; read each one before you commit it.
        #[arg(long)]
        accept: bool,
        #[command(flatten)]
        rules: RuleSource,
    },
}

pub fn run(command: &RulesCommand) -> i32 {
    match command {
        RulesCommand::Check { dir } => check(dir.as_ref()),
        RulesCommand::Learn(args) => super::learn::run(args),
        RulesCommand::List { rules } => with_catalog(rules, list),
        RulesCommand::Show { name, rules } => with_catalog(rules, |c| show(c, name)),
        RulesCommand::Coverage {
            dirs,
            deny_dead,
            all_rules,
            timing,
            format,
            rules,
        } => {
            let only = rules
                .rules
                .as_deref()
                .filter(|_| !all_rules)
                .map(keys_under);
            let run = CoverageRun {
                dirs,
                only,
                deny_dead: *deny_dead,
                timing: *timing,
                format: *format,
            };
            with_catalog(rules, |c| coverage(c, run))
        }
        RulesCommand::Test {
            sites,
            corpus,
            snapshots,
            no_snapshots,
            accept,
            rules,
        } => {
            let run = TestRun {
                filters: sites,
                corpus,
                snapshots: (!no_snapshots).then_some(fixtures::Snapshots {
                    dir: snapshots,
                    accept: *accept,
                }),
            };
            with_catalog(rules, |c| test(c, &run))
        }
    }
}

fn with_catalog(source: &RuleSource, f: impl FnOnce(Catalog) -> i32) -> i32 {
    match source.catalog() {
        Ok(c) => f(c),
        Err(e) => {
            eprintln!("{e}");
            eprintln!("dechaff: the rules did not load");
            EXIT_USAGE
        }
    }
}

fn check(dir: Option<&PathBuf>) -> i32 {
    // Every file a check reads is compiled and checked whole; with a directory, the
    // built-in files beside it are those a test checks.
    let loaded = match dir {
        Some(d) => Catalog::with_overrides(d),
        None => Catalog::from_sources(Catalog::built_in_sources()),
    };
    let (files, rules, problems) = match loaded {
        Ok(catalog) => {
            let lints = catalog.lint();
            let rules = catalog.files().map(|f| f.rules().len()).sum::<usize>();
            (catalog.files().count(), rules, lints)
        }
        Err(e) => (0, 0, e.diagnostics),
    };
    for d in &problems {
        eprintln!("{d}\n");
    }
    if problems.is_empty() {
        outln!("{files} rule files, {rules} rules: no problems");
        EXIT_OK
    } else {
        let s = if problems.len() == 1 { "" } else { "s" };
        eprintln!("dechaff: {} problem{s} in the rule files", problems.len());
        EXIT_FAILED
    }
}

fn list(catalog: Catalog) -> i32 {
    for file in catalog.files() {
        let layer = match file.layer {
            Layer::Common => "common",
            Layer::Family => "family",
            Layer::Outlet => "outlet",
            Layer::Generic => "generic",
            Layer::Shared => "shared",
        };
        outln!(
            "{:<28} {:<7} {:>3} rules  {}",
            file.key,
            layer,
            file.rules().len(),
            file.description.as_deref().unwrap_or("")
        );
    }
    EXIT_OK
}

fn show(catalog: Catalog, name: &str) -> i32 {
    let (family, outlet) = match name.split_once('/') {
        Some((f, o)) if catalog.family(f).is_some() && catalog.outlet(o).is_some() => {
            (Some(f), Some(o))
        }
        _ if catalog.family(name).is_some() => (Some(name), None),
        _ if catalog.outlet(name).is_some() => (None, Some(name)),
        _ => {
            let Some(file) = catalog.file(name) else {
                eprintln!(
                    "dechaff: no family, outlet or rule file named `{name}` (see `dechaff rules list`)"
                );
                return EXIT_USAGE;
            };
            outln!("# {}", file.path);
            file.rules().iter().for_each(print_rule);
            return EXIT_OK;
        }
    };
    let layers: Vec<String> = catalog
        .layers(family, outlet)
        .iter()
        .map(|f| f.key.clone())
        .collect();
    outln!("# {}", layers.join(" + "));
    let active = catalog.rules_for(family, outlet);
    for file in catalog.layers(family, outlet) {
        for rule in file.rules() {
            if active.iter().any(|r| std::ptr::eq(*r, rule)) {
                print_rule(rule);
            } else {
                outln!("{:<36} (disabled)  {}", rule.id, rule.origin);
            }
        }
    }
    EXIT_OK
}

fn print_rule(rule: &Rule) {
    outln!("{:<36} {:<16} {}", rule.id, rule.action.name(), rule.origin);
    for (key, value) in &rule.keys {
        outln!("    {key} = {value:?}");
    }
    outln!("    note: {}", rule.note);
}

/// The keys of the rule files under `dir` (`outlets/dw` for `dir/outlets/dw.toml`), as
/// `--rules DIR` loads them.
fn keys_under(dir: &Path) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let rel = path.strip_prefix(dir).unwrap_or(&path).with_extension("");
                keys.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    keys
}

/// What `rules coverage` was asked.
struct CoverageRun<'a> {
    dirs: &'a [PathBuf],
    /// The files whose rules are reported (all, if None).
    only: Option<BTreeSet<String>>,
    deny_dead: bool,
    timing: bool,
    format: ReportFormat,
}

/// How many times `rules coverage --timing` cleans each document, keeping the least time of
/// each rule and of the whole.
const TIMING_ROUNDS: usize = 3;

/// How many rules `rules coverage --timing` lists, longest first, in text.
const TIMED_SHOWN: usize = 25;

/// Counts, for each rule (of the files `only` names, if given), the documents it acted on,
/// and with `timing` the time its own work took on all of them.
fn coverage(catalog: Catalog, run: CoverageRun<'_>) -> i32 {
    let CoverageRun {
        dirs,
        only,
        deny_dead,
        timing,
        format,
    } = run;
    let documents: Vec<PathBuf> = dirs.iter().flat_map(|d| documents_under(d)).collect();
    let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    let shown = shown.join(" ");
    if documents.is_empty() {
        eprintln!("dechaff: no documents under {shown}");
        return EXIT_USAGE;
    }
    let cleaner = Cleaner::with_catalog(catalog);
    let mut fired_in: BTreeMap<String, usize> = BTreeMap::new();
    let mut spent: BTreeMap<String, Duration> = BTreeMap::new();
    let mut cleaning = Duration::ZERO;
    let mut status = EXIT_OK;
    for doc in &documents {
        let input = match std::fs::read(doc) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                eprintln!("dechaff: {}: cannot read: {e}", doc.display());
                status = EXIT_FAILED;
                continue;
            }
        };
        let options = Options {
            time_rules: timing,
            ..fixtures::options_for(doc)
        };
        let start = Instant::now();
        let cleaned = cleaner.clean_str_with(&input, &options);
        let mut took = start.elapsed();
        match cleaned {
            Ok(c) => {
                for hit in c.report.fired {
                    *fired_in.entry(hit.id).or_default() += 1;
                }
                let mut times: Vec<(String, u64)> = c
                    .report
                    .timings
                    .into_iter()
                    .map(|t| (t.id, t.nanos))
                    .collect();
                // The least of a few rounds: a wall clock also counts the moments another
                // process had the core, which fall on whatever rule was running.
                for _ in 1..TIMING_ROUNDS.min(if timing { usize::MAX } else { 1 }) {
                    let start = Instant::now();
                    let again = cleaner.clean_str_with(&input, &options);
                    took = took.min(start.elapsed());
                    for (t, a) in times
                        .iter_mut()
                        .zip(again.map(|c| c.report.timings).unwrap_or_default())
                    {
                        t.1 = t.1.min(a.nanos);
                    }
                }
                cleaning += took;
                for (id, nanos) in times {
                    *spent.entry(id).or_default() += Duration::from_nanos(nanos);
                }
            }
            Err(e) => {
                eprintln!("dechaff: {}: {e}", doc.display());
                status = EXIT_FAILED;
            }
        }
    }
    let rules: Vec<&Rule> = cleaner
        .catalog()
        .files()
        .filter(|f| only.as_ref().is_none_or(|keys| keys.contains(&f.key)))
        .flat_map(|f| f.rules().iter())
        .collect();
    let dead: Vec<&&Rule> = rules
        .iter()
        .filter(|r| !fired_in.contains_key(&r.id))
        .collect();
    let time_of = |r: &Rule| spent.get(&r.id).copied().unwrap_or_default();
    match format {
        ReportFormat::Json => {
            let entries: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    let mut entry = serde_json::json!({
                        "id": r.id, "origin": r.origin, "action": r.action.name(),
                        "documents": fired_in.get(&r.id).copied().unwrap_or(0),
                    });
                    if timing {
                        entry["nanos"] = serde_json::json!(time_of(r).as_nanos() as u64);
                    }
                    entry
                })
                .collect();
            let dead_ids: Vec<&str> = dead.iter().map(|r| r.id.as_str()).collect();
            let mut all = serde_json::json!({"documents": documents.len(), "rules": entries, "dead": dead_ids});
            if timing {
                all["cleaning_nanos"] = serde_json::json!(cleaning.as_nanos() as u64);
            }
            outln!("{all}");
        }
        ReportFormat::Text => {
            outln!("{} documents under {shown}", documents.len());
            for r in &rules {
                let n = fired_in.get(&r.id).copied().unwrap_or(0);
                outln!("{n:>6}  {:<40} {}", r.id, r.origin);
            }
            if dead.is_empty() {
                outln!("no dead rules");
            } else {
                outln!("{} dead rules (acted on no document):", dead.len());
                for r in &dead {
                    outln!("  {} ({})", r.id, r.origin);
                }
            }
            if timing {
                print_timing(&rules, time_of, cleaning);
            }
        }
    }
    if deny_dead && !dead.is_empty() {
        eprintln!("dechaff: {} dead rules", dead.len());
        status = EXIT_FAILED;
    }
    status
}

/// The rules whose own work took longest, with their share of the whole cleaning's time.
fn print_timing(rules: &[&Rule], time_of: impl Fn(&Rule) -> Duration, cleaning: Duration) {
    let mut timed: Vec<(&Rule, Duration)> = rules.iter().map(|&r| (r, time_of(r))).collect();
    timed.sort_by_key(|&(_, t)| std::cmp::Reverse(t));
    let total: Duration = timed.iter().map(|(_, t)| *t).sum();
    let share = |t: Duration| 100.0 * t.as_secs_f64() / cleaning.as_secs_f64().max(1e-9);
    outln!(
        "time in the rules' own work: {:.1} ms of {:.1} ms cleaning ({:.0} %); selector matching in lol_html, the literal scans and parsing are the rest",
        ms(total),
        ms(cleaning),
        share(total)
    );
    for (r, t) in timed.iter().take(TIMED_SHOWN).filter(|(_, t)| !t.is_zero()) {
        outln!(
            "{:>9.1} ms {:>5.1} %  {:<40} {}",
            ms(*t),
            share(*t),
            r.id,
            r.origin
        );
    }
}

/// A duration in milliseconds.
fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1e3
}

/// What `rules test` runs.
struct TestRun<'a> {
    filters: &'a [String],
    corpus: &'a Path,
    snapshots: Option<fixtures::Snapshots<'a>>,
}

/// The sites a run's filters name: a site (`feedx/dw`), a family (`feedx`), or an outlet's
/// name alone (`dw`) when one site alone has it.
fn chosen_sites(
    all: Vec<fixtures::Site>,
    filters: &[String],
) -> Result<Vec<fixtures::Site>, String> {
    if filters.is_empty() {
        return Ok(all);
    }
    let by_path = |f: &str, s: &fixtures::Site| s.name == f || s.name.starts_with(&format!("{f}/"));
    let mut wanted: Vec<&str> = Vec::new();
    for f in filters {
        if all.iter().any(|s| by_path(f, s)) {
            wanted.push(f);
            continue;
        }
        let named: Vec<&str> = all
            .iter()
            .filter(|s| s.name.rsplit('/').next() == Some(f.as_str()))
            .map(|s| s.name.as_str())
            .collect();
        match named.as_slice() {
            [] => return Err(format!("no site matches `{f}`")),
            [one] => wanted.push(one),
            several => {
                return Err(format!(
                    "`{f}` is the outlet of several sites: {}; name one",
                    several.join(", ")
                ));
            }
        }
    }
    let wanted: Vec<String> = wanted.into_iter().map(str::to_string).collect();
    Ok(all
        .into_iter()
        .filter(|s| wanted.iter().any(|f| by_path(f, s)))
        .collect())
}

fn test(catalog: Catalog, run: &TestRun<'_>) -> i32 {
    let corpus = run.corpus;
    if !corpus.is_dir() {
        eprintln!(
            "dechaff: no fixture tree at {} (run from the repository, or give --corpus)",
            corpus.display()
        );
        return EXIT_USAGE;
    }
    let cleaner = Cleaner::with_catalog(catalog);
    let sites = match chosen_sites(fixtures::sites(corpus), run.filters) {
        Ok(sites) => sites,
        Err(message) => {
            eprintln!("dechaff: {message}");
            return EXIT_USAGE;
        }
    };
    let (mut passed, mut failed, mut accepted) = (0, 0, 0);
    for site in &sites {
        let checked = fixtures::check_site(&cleaner, corpus, site, run.snapshots);
        let failures = &checked.failures;
        let bad: std::collections::BTreeSet<&str> =
            failures.iter().map(|f| f.document.as_str()).collect();
        let bad_documents = site
            .documents
            .iter()
            .filter(|d| bad.iter().any(|b| d.ends_with(b)))
            .count();
        failed += bad.len();
        passed += site.documents.len() - bad_documents;
        accepted += checked.accepted.len();
        if failures.is_empty() {
            outln!("ok      {} ({} documents)", site.name, site.documents.len());
        } else {
            outln!(
                "FAILED  {} ({} of {} documents)",
                site.name,
                bad_documents,
                site.documents.len()
            );
            for f in failures {
                outln!("    {}: {}", f.document, f.message);
            }
        }
        for document in &checked.accepted {
            outln!("    {document}: snapshot written");
        }
    }
    if accepted > 0 {
        outln!("{accepted} snapshots written: read each one before you commit it");
    }
    outln!("{passed} passed, {failed} failed");
    if failed == 0 { EXIT_OK } else { EXIT_FAILED }
}
