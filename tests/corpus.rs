//! Every corpus document, cleaned with the built-in rules and compared with its reviewed
//! snapshot in `snapshots/`. The snapshot's description says what was detected and which
//! rules fired, so a review sees why each piece went.

mod common;

use common::options_for;
use dechaff::{Cleaner, Options};
use std::path::Path;
use std::sync::OnceLock;

/// The documents, Markdown and HTML: `<family>/<site>/NNN.md`, a site with no family
/// (`<site>/NNN.md`), and the seeds; what `dechaff rules test` checks too.
const DOCUMENTS: &str = "{*/*.md,*/*.html,*/*/*.md,*/*/*.html}";

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().expect("built-in rules load"))
}

fn describe(report: &dechaff::Report) -> String {
    let mut lines = vec![format!(
        "family: {}, outlet: {}",
        report.family.as_deref().unwrap_or("-"),
        report.outlet.as_deref().unwrap_or("-")
    )];
    for hit in &report.fired {
        lines.push(format!(
            "{} x{} (-{} bytes)",
            hit.id, hit.count, hit.bytes_removed
        ));
    }
    for w in &report.warnings {
        lines.push(format!("warning[{}]: {}", w.kind, w.message));
    }
    lines.join("\n")
}

/// Cleans the document at `path` and compares the result with its snapshot, `name@<path>`.
fn assert_cleaned_as_reviewed(name: &str, path: &Path) {
    let input = std::fs::read_to_string(path).unwrap();
    let cleaned = cleaner()
        .clean_str_with(&input, &options_for(path))
        .unwrap();
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => describe(&cleaned.report),
    }, {
        insta::assert_snapshot!(name, cleaned.text);
    });
}

#[test]
fn corpus() {
    insta::glob!("corpus", DOCUMENTS, |path| {
        assert_cleaned_as_reviewed("corpus", path)
    });
}

/// The documents of outlets no rule file knows (`tests/corpus-unknown/`): what the generic
/// layer and detection that survives template drift do without a site's rules, reviewed
/// like the corpus (`unknown@<family>__<site>__NNN.md.snap`).
#[test]
fn unknown() {
    insta::glob!("corpus-unknown", DOCUMENTS, |path| {
        assert_cleaned_as_reviewed("unknown", path)
    });
}

/// Cleaning what dechaff wrote changes nothing more.
#[test]
fn cleaning_is_idempotent() {
    let twice_the_same = |path: &Path| {
        let input = std::fs::read_to_string(path).unwrap();
        let options = options_for(path);
        let once = cleaner().clean_str_with(&input, &options).unwrap();
        let forced = Options {
            family: once.report.family.clone(),
            outlet: once.report.outlet.clone(),
            ..options
        };
        let twice = cleaner().clean_str_with(&once.text, &forced).unwrap();
        assert_eq!(once.text, twice.text, "{}", path.display());
    };
    insta::glob!("corpus", DOCUMENTS, twice_the_same);
    insta::glob!("corpus-unknown", DOCUMENTS, twice_the_same);
}

/// Ruling out rules by the literals a document lacks changes no output and no report: it
/// only spares the rewriter selectors that cannot match.
#[test]
fn the_prefilter_changes_nothing() {
    let every_rule = Cleaner::with_catalog(
        dechaff::Catalog::built_in()
            .expect("built-in rules load")
            .without_prefilter(),
    );
    // From the first document on, not only once 256 KB have been read.
    let prefiltered = Cleaner::with_catalog(
        dechaff::Catalog::built_in()
            .expect("built-in rules load")
            .with_prefilter_at_once(),
    );
    insta::glob!("corpus", DOCUMENTS, |path| {
        let input = std::fs::read_to_string(path).unwrap();
        let options = options_for(path);
        let filtered = prefiltered.clean_str_with(&input, &options).unwrap();
        let unfiltered = every_rule.clean_str_with(&input, &options).unwrap();
        assert_eq!(filtered.text, unfiltered.text, "{}", path.display());
        assert_eq!(
            describe(&filtered.report),
            describe(&unfiltered.report),
            "{}",
            path.display()
        );
    });
}

/// Snapshots ignore leading and trailing blank lines; the document's ends are checked here.
#[test]
fn documents_keep_their_ends() {
    insta::glob!("corpus", DOCUMENTS, |path| {
        let input = std::fs::read_to_string(path).unwrap();
        let cleaned = cleaner()
            .clean_str_with(&input, &options_for(path))
            .unwrap();
        assert_eq!(
            input.ends_with('\n'),
            cleaned.text.ends_with('\n'),
            "{}: the final newline changed",
            path.display()
        );
        assert!(
            !cleaned.text.ends_with("\n\n"),
            "{}: blank lines at the end",
            path.display()
        );
        if let Some(rest) = input.strip_prefix("---\n") {
            let fm_end = rest.find("\n---\n").unwrap() + 9;
            assert_eq!(
                &cleaned.text[..fm_end],
                &input[..fm_end],
                "{}: front matter changed",
                path.display()
            );
        }
    });
}

/// Every reviewed snapshot belongs to a document that still exists: no orphans.
#[test]
fn no_snapshot_is_orphaned() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(root.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".snap") else {
            continue;
        };
        let document = match stem.split_once('@') {
            Some(("corpus", doc)) => doc.to_string(),
            Some(("formats", doc)) => doc
                .rsplit_once('.')
                .map_or(String::new(), |(d, _)| d.to_string()),
            _ => continue,
        };
        if !root
            .join("tests/corpus")
            .join(document.replace("__", "/"))
            .exists()
        {
            orphans.push(name);
        }
    }
    assert!(orphans.is_empty(), "snapshots of no document: {orphans:?}");
}
