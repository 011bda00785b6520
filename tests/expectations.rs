//! Assertions over the whole corpus, beside the snapshots, so that a harmless-looking
//! snapshot change cannot hide a real failure: each site's `expect.toml` (chaff that must
//! be gone, article text that must survive). See `dechaff::fixtures` for the format; the
//! same checks run as `dechaff rules test`.

use dechaff::fixtures::{self, Expect};
use dechaff::{Catalog, Cleaner};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[test]
fn every_site_keeps_its_article_and_loses_its_chaff() {
    let cleaner = Cleaner::new().unwrap();
    let mut failures = Vec::new();
    // The corpus, and the per-rule fixtures of tests/rules.
    for root in [corpus(), corpus().with_file_name("rules")] {
        failures.extend(
            fixtures::sites(&root)
                .iter()
                .flat_map(|site| fixtures::check_site(&cleaner, &root, site, None))
                .map(|f| format!("{}: {}", f.document, f.message)),
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A page of an outlet no rule file knows, carried by a known family, still loses the
/// family's wrapper and the common chaff, with a warning naming the unknown outlet.
#[test]
fn an_unknown_outlet_still_loses_the_family_wrapper() {
    let root = corpus();
    let known = Cleaner::new().unwrap();
    let mut failures = Vec::new();
    for site in fixtures::sites(&root)
        .iter()
        .filter(|s| s.name.contains('/'))
    {
        let family_dir = site.dir.parent().unwrap();
        let family_chaff = Expect::read(family_dir).unwrap().absent;
        let doc = &site.documents[0];
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
