//! Assertions over the whole corpus, beside the snapshots, so that a harmless-looking
//! snapshot change cannot hide a real failure: each site's `expect.toml` (chaff that must
//! be gone, article text that must survive), checked by `dechaff rules test` as a
//! maintainer runs it. The format is in `rules/README.md`.

use dechaff::{Catalog, Cleaner};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// `dechaff rules test --no-snapshots` over the fixture tree `root`: its exit code and report.
fn rules_test(root: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dechaff"))
        .args(["rules", "test", "--no-snapshots", "--corpus"])
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn every_site_keeps_its_article_and_loses_its_chaff() {
    // The corpus, and the per-rule fixtures of tests/rules.
    for root in [corpus(), corpus().with_file_name("rules")] {
        let (code, stdout) = rules_test(&root);
        assert_eq!(code, Some(0), "{}:\n{stdout}", root.display());
        assert!(stdout.ends_with(" passed, 0 failed\n"), "{stdout}");
    }
}

/// On outlets no rule file knows (`tests/corpus-unknown/`), the generic layer and drift
/// detection lose no article text: every `keep` snippet (lead, dateline, caption,
/// subheading, last paragraph) and every `present` pattern holds. Their chaff (`absent`) is
/// the measure of how far the generic layer reaches: at least this many documents are free
/// of it, and the number only goes up.
#[test]
fn unknown_outlets_keep_every_article_line() {
    const CLEAN_AT_LEAST: usize = 141;
    let (_, stdout) = rules_test(&corpus().with_file_name("corpus-unknown"));
    let lost: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("    ") && !l.contains("` survives: "))
        .collect();
    assert!(lost.is_empty(), "article text lost:\n{}", lost.join("\n"));
    let summary = stdout.lines().last().unwrap_or_default();
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary in {stdout}"));
    assert!(
        passed >= CLEAN_AT_LEAST,
        "{passed} documents free of chaff:\n{stdout}"
    );
}

/// A news sentence that a metadata rule's words match (a court's finding on reprints, a
/// film that premiered somewhere) is not read as a note (`unless` in rules/generic.toml):
/// it stays in the rendered article, and no fact is read from it. `rules test` checks the
/// `keep` lines of `tests/rules/generic/news-notes/` in the source, where metadata lines
/// stay anyway.
#[test]
fn news_sentences_are_not_read_as_notes() {
    let dir = corpus().with_file_name("rules").join("generic/news-notes");
    let expect: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap()).unwrap();
    let keep = expect["keep"].as_table().unwrap();
    assert_eq!(keep.len(), 16);
    let cleaner = Cleaner::new().unwrap();
    for (name, lines) in keep {
        let page = std::fs::read_to_string(dir.join(name)).unwrap();
        let cleaned = cleaner.clean_str(&page);
        let markdown = cleaned.to(dechaff::Format::Markdown);
        for line in lines.as_array().unwrap() {
            let line = line.as_str().unwrap();
            assert!(
                markdown.contains(line),
                "{name}: lost {line:?}:\n{markdown}"
            );
            let read = cleaned
                .report
                .metadata
                .iter()
                .find(|f| line.contains(&f.value));
            assert!(read.is_none(), "{name}: read {read:?}");
        }
    }
}

/// The `absent` regexes of a directory's `expect.toml`.
fn absent(dir: &Path) -> Vec<Regex> {
    let text = std::fs::read_to_string(dir.join("expect.toml")).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table
        .get("absent")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
        .map(|re| Regex::new(re.as_str().unwrap()).unwrap())
        .collect()
}

/// The directories of `root` two levels down that hold documents: `<family>/<site>`.
fn sites(root: &Path) -> Vec<PathBuf> {
    let mut sites: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|family| family.path().is_dir())
        .flat_map(|family| std::fs::read_dir(family.path()).unwrap().flatten())
        .map(|site| site.path())
        .filter(|site| site.is_dir())
        .collect();
    sites.sort();
    sites
}

/// A page of an outlet no rule file knows, carried by a known family, still loses the
/// family's wrapper and the common chaff, with a warning naming the unknown outlet.
#[test]
fn an_unknown_outlet_still_loses_the_family_wrapper() {
    let root = corpus();
    let known = Cleaner::new().unwrap();
    let mut failures = Vec::new();
    for site in sites(&root) {
        let family_chaff = absent(site.parent().unwrap());
        let mut documents: Vec<PathBuf> = std::fs::read_dir(&site)
            .unwrap()
            .flatten()
            .map(|d| d.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        documents.sort();
        let Some(doc) = documents.first() else {
            continue;
        };
        let shown = doc.strip_prefix(&root).unwrap().display().to_string();
        let input = std::fs::read_to_string(doc).unwrap();
        let before = known.clean_str(&input);
        let Some(outlet) = before.report.outlet.clone() else {
            failures.push(format!("{shown}: no outlet detected"));
            continue;
        };
        let without: Vec<_> = Catalog::built_in_sources()
            .into_iter()
            .filter(|(key, _, _)| *key != format!("outlets/{outlet}"))
            .collect();
        let cleaned =
            Cleaner::with_catalog(Catalog::from_sources(without).unwrap()).clean_str(&input);
        if cleaned.report.family != before.report.family || cleaned.report.outlet.is_some() {
            failures.push(format!(
                "{shown}: detected {:?}/{:?} once outlet {outlet} is unknown",
                cleaned.report.family, cleaned.report.outlet
            ));
        }
        if !cleaned
            .report
            .warnings
            .iter()
            .any(|w| w.kind == "unknown-outlet")
        {
            failures.push(format!("{shown}: no unknown-outlet warning"));
        }
        for re in &family_chaff {
            if re.is_match(&cleaned.text) {
                failures.push(format!(
                    "{shown}: with outlet {outlet} unknown, family chaff `{}` survives",
                    re.as_str()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
