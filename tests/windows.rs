//! A document larger than `Options::max_document` is cleaned window by window: in one
//! window it is cleaned exactly as a whole one; in many, nothing of the article is lost.

mod common;

use common::{documents, options_for};
use dechaff::{Cleaner, Format, Options};
use std::path::{Path, PathBuf};

/// Every corpus document.
fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut all = documents(&root.join("corpus"));
    all.extend(documents(&root.join("corpus-unknown")));
    assert!(all.len() > 500, "the corpus is there");
    all
}

const FORMATS: [Format; 4] = [Format::Markdown, Format::Html, Format::Text, Format::Json];

fn cleaner() -> &'static Cleaner {
    static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().expect("built-in rules load"))
}

/// `bytes` cleaned into `format` with `options`, and the kinds of the report's warnings.
fn clean(bytes: &[u8], format: Format, options: &Options) -> (String, Vec<String>) {
    let mut out = Vec::new();
    let report = cleaner()
        .clean_to(bytes, &mut out, format, options)
        .unwrap();
    let kinds = report.warnings.iter().map(|w| w.kind.to_string()).collect();
    (String::from_utf8(out).unwrap(), kinds)
}

#[test]
fn a_document_in_one_window_is_cleaned_as_it_is_whole() {
    let cleaner = cleaner();
    for path in corpus() {
        let bytes = std::fs::read(&path).unwrap();
        let whole = options_for(&path);
        // Larger than the most cleaned whole, held in one window.
        let windowed = Options {
            max_document: 0,
            window: 2 * bytes.len() + 64,
            ..whole.clone()
        };
        for format in FORMATS {
            let mut a = Vec::new();
            let ra = cleaner
                .clean_to(&bytes[..], &mut a, format, &whole)
                .unwrap();
            let mut b = Vec::new();
            let rb = cleaner
                .clean_to(&bytes[..], &mut b, format, &windowed)
                .unwrap();
            assert!(
                a == b,
                "{} {format:?}:\n{}\n---- in one window ----\n{}",
                path.display(),
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b)
            );
            assert_eq!(format!("{ra:?}"), format!("{rb:?}"), "{}", path.display());
        }
    }
}

/// A line of text output as it reads, without the marks of its block (a list's, a
/// quote's, a heading's).
fn words(line: &str) -> &str {
    let line = line.trim();
    let line = line.trim_start_matches(['#', '>', '-', '*', ' ']);
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match line[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest.trim(),
        _ => line.trim(),
    }
}

#[test]
fn in_small_windows_nothing_of_the_article_is_lost() {
    let mut windowed_docs = 0;
    for path in corpus() {
        let bytes = std::fs::read(&path).unwrap();
        let whole = options_for(&path);
        let small = Options {
            max_document: 0,
            window: 2 << 10,
            ..whole.clone()
        };
        let (kept, _) = clean(&bytes, Format::Text, &whole);
        let (windowed, warnings) = clean(&bytes, Format::Text, &small);
        windowed_docs += usize::from(warnings.iter().any(|w| w == "cleaned-in-windows"));
        for line in kept.lines().map(words).filter(|l| !l.is_empty()) {
            assert!(
                windowed.contains(line),
                "{}: lost in windows: {line}\n---- whole ----\n{kept}\n---- in windows ----\n{windowed}",
                path.display()
            );
        }
        // Every other format is made without a panic.
        for format in [Format::Markdown, Format::Html, Format::Json] {
            let (out, _) = clean(&bytes, format, &small);
            assert!(!out.is_empty() || kept.is_empty(), "{}", path.display());
        }
    }
    assert!(windowed_docs > 100, "{windowed_docs} documents were cut");
}
