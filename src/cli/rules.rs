//! `dechaff rules …`: tools for the people who maintain the rule files.

use super::args::{ReportFormat, RuleSource};
use super::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use super::fixtures;
use super::io::outln;
use super::walk::documents_under;
use crate::rules::{Layer, Rule};
use crate::{Catalog, Cleaner};
use clap::Subcommand;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// documents it acted on. Rules that never act are listed as dead.
    ///
    /// Example: dechaff rules coverage tests/corpus --deny-dead
    Coverage {
        /// Trees of documents (the corpus, per-rule fixtures).
        #[arg(value_name = "DIR", required = true)]
        dirs: Vec<PathBuf>,
        /// Exit 1 if any rule is dead (for CI).
        #[arg(long)]
        deny_dead: bool,
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
    /// Run the fixture documents of each site: their `expect.toml` assertions and their
    /// reviewed snapshots, the same checks `cargo test` makes.
    ///
    /// SITE narrows the run (`feedx`, `feedx/dw`).
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
        #[arg(long)]
        no_snapshots: bool,
        #[command(flatten)]
        rules: RuleSource,
    },
}

pub fn run(command: &RulesCommand) -> i32 {
    match command {
        RulesCommand::Check { dir } => check(dir.as_ref()),
        RulesCommand::List { rules } => with_catalog(rules, list),
        RulesCommand::Show { name, rules } => with_catalog(rules, |c| show(c, name)),
        RulesCommand::Coverage {
            dirs,
            deny_dead,
            format,
            rules,
        } => with_catalog(rules, |c| coverage(c, dirs, *deny_dead, *format)),
        RulesCommand::Test {
            sites,
            corpus,
            snapshots,
            no_snapshots,
            rules,
        } => with_catalog(rules, |c| {
            test(c, sites, corpus, (!no_snapshots).then_some(snapshots))
        }),
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
    let loaded = match dir {
        Some(d) => Catalog::with_overrides(d),
        None => Catalog::built_in(),
    };
    let (files, rules, problems) = match loaded {
        Ok(catalog) => {
            let lints = catalog.lint();
            let rules = catalog.files().map(|f| f.rules.len()).sum::<usize>();
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
            Layer::Shared => "shared",
        };
        outln!(
            "{:<28} {:<7} {:>3} rules  {}",
            file.key,
            layer,
            file.rules.len(),
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
            file.rules.iter().for_each(print_rule);
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
        for rule in &file.rules {
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

fn coverage(catalog: Catalog, dirs: &[PathBuf], deny_dead: bool, format: ReportFormat) -> i32 {
    let documents: Vec<PathBuf> = dirs.iter().flat_map(|d| documents_under(d)).collect();
    let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    let shown = shown.join(" ");
    if documents.is_empty() {
        eprintln!("dechaff: no documents under {shown}");
        return EXIT_USAGE;
    }
    let cleaner = Cleaner::with_catalog(catalog);
    let mut fired_in: BTreeMap<String, usize> = BTreeMap::new();
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
        match cleaner.clean_str_with(&input, &fixtures::options_for(doc)) {
            Ok(c) => {
                for hit in c.report.fired {
                    *fired_in.entry(hit.id).or_default() += 1;
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
        .flat_map(|f| f.rules.iter())
        .collect();
    let dead: Vec<&&Rule> = rules
        .iter()
        .filter(|r| !fired_in.contains_key(&r.id))
        .collect();
    match format {
        ReportFormat::Json => {
            let entries: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "origin": r.origin, "action": r.action.name(),
                        "documents": fired_in.get(&r.id).copied().unwrap_or(0),
                    })
                })
                .collect();
            let dead_ids: Vec<&str> = dead.iter().map(|r| r.id.as_str()).collect();
            outln!(
                "{}",
                serde_json::json!({"documents": documents.len(), "rules": entries, "dead": dead_ids})
            );
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
        }
    }
    if deny_dead && !dead.is_empty() {
        eprintln!("dechaff: {} dead rules", dead.len());
        status = EXIT_FAILED;
    }
    status
}

fn test(catalog: Catalog, filters: &[String], corpus: &Path, snapshots: Option<&PathBuf>) -> i32 {
    if !corpus.is_dir() {
        eprintln!(
            "dechaff: no fixture tree at {} (run from the repository, or give --corpus)",
            corpus.display()
        );
        return EXIT_USAGE;
    }
    let cleaner = Cleaner::with_catalog(catalog);
    let sites: Vec<_> = fixtures::sites(corpus)
        .into_iter()
        .filter(|s| {
            filters.is_empty()
                || filters
                    .iter()
                    .any(|f| s.name == *f || s.name.starts_with(&format!("{f}/")))
        })
        .collect();
    if sites.is_empty() {
        eprintln!("dechaff: no site matches {}", filters.join(", "));
        return EXIT_USAGE;
    }
    let (mut passed, mut failed) = (0, 0);
    for site in &sites {
        let failures = fixtures::check_site(&cleaner, corpus, site, snapshots.map(|p| p.as_path()));
        let bad: std::collections::BTreeSet<&str> =
            failures.iter().map(|f| f.document.as_str()).collect();
        let bad_documents = site
            .documents
            .iter()
            .filter(|d| bad.iter().any(|b| d.ends_with(b)))
            .count();
        failed += bad.len();
        passed += site.documents.len() - bad_documents;
        if failures.is_empty() {
            outln!("ok      {} ({} documents)", site.name, site.documents.len());
        } else {
            outln!(
                "FAILED  {} ({} of {} documents)",
                site.name,
                bad_documents,
                site.documents.len()
            );
            for f in &failures {
                outln!("    {}: {}", f.document, f.message);
            }
        }
    }
    outln!("{passed} passed, {failed} failed");
    if failed == 0 { EXIT_OK } else { EXIT_FAILED }
}
