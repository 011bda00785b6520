//! Helpers for the actions' tests: a rule file run through the whole pipeline, and the
//! examples of the actions' documentation run as tests.

use super::{Action, NAMES, SOURCES};
use crate::rules::{Catalog, InputFormat};
use crate::{Cleaned, Cleaner, Options};

/// `input` cleaned as `format` with `rules` as the only (common) rule file.
fn clean(rules: &str, input: &str, format: InputFormat) -> Cleaned {
    let cleaner = Cleaner::with_catalog(Catalog::of_common(rules));
    let options = Options {
        format: Some(format),
        ..Options::default()
    };
    cleaner
        .clean_str_with(input, &options)
        .expect("nothing is forced")
}

/// An HTML document cleaned with the rule file `rules`.
pub fn html(rules: &str, input: &str) -> Cleaned {
    clean(rules, input, InputFormat::Html)
}

/// A Markdown document cleaned with the rule file `rules`.
pub fn markdown(rules: &str, input: &str) -> Cleaned {
    clean(rules, input, InputFormat::Markdown)
}

/// The errors a rule file of a family has, as `line:col message`.
pub fn errors(rules: &str) -> Vec<String> {
    let (_, ds) = crate::rules::compile_file("families/x", "rules/families/x.toml", rules);
    ds.iter()
        .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
        .collect()
}

/// Whether cleaning warned of `kind`.
pub fn warned(cleaned: &Cleaned, kind: &str) -> bool {
    cleaned.report.warnings.iter().any(|w| w.kind == kind)
}

/// One rule of `action` with the key lines `keys`, compiled.
pub fn rule(action: &str, keys: &str) -> Action {
    let text = format!("[[rule]]\nid = \"r\"\naction = \"{action}\"\n{keys}\nnote = \"n\"\n");
    Catalog::of_common(&text)
        .rules_for(None, None)
        .first()
        .expect("one rule")
        .action
        .clone()
}

/// The fenced blocks of a file's `//!` documentation: (language, content).
fn fenced_blocks(source: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in source.lines().map_while(|l| l.strip_prefix("//!")) {
        let line = line.strip_prefix(' ').unwrap_or(line);
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(language)) => open = Some((language.to_string(), String::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, content)), None) => {
                content.push_str(line);
                content.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn every_action_documents_an_example_that_does_what_it_says() {
    assert_eq!(SOURCES.len(), NAMES.len());
    for (name, source) in SOURCES {
        let first = source.lines().next().unwrap_or("");
        assert!(
            first.starts_with(&format!("//! `{name}`: ")),
            "{name}: the file's documentation starts with the action's name: {first}"
        );
        for heading in ["//! ## Why", "//! ## Example"] {
            assert!(source.contains(heading), "{name}: no `{heading}`");
        }
        let blocks = fenced_blocks(source);
        let [(toml, rules), (language, input), (same, output)] = &blocks[..] else {
            panic!("{name}: the example is a rule, a page and the page cleaned: {blocks:?}");
        };
        assert_eq!(toml, "toml", "{name}");
        assert_eq!(language, same, "{name}");
        assert!(
            rules.contains(&format!("action = \"{name}\"")),
            "{name}: the example rule is of another action"
        );
        let cleaned = match language.as_str() {
            "html" => html(rules, input),
            "markdown" => markdown(rules, input),
            other => panic!("{name}: pages are html or markdown, not {other}"),
        };
        // An action that reads metadata changes no source output: its example shows the
        // article as rendered in the page's language.
        let shown = match (cleaned.report.metadata.is_empty(), language.as_str()) {
            (true, _) => cleaned.text.clone(),
            (false, "html") => cleaned.to(crate::Format::Html),
            (false, _) => cleaned.to(crate::Format::Markdown),
        };
        // A fenced block ends with a line break, whether or not the page does.
        assert_eq!(
            shown.trim_end(),
            output.trim_end(),
            "{name}: the example's page"
        );
        assert!(
            !cleaned.report.fired.is_empty(),
            "{name}: the example rule did nothing"
        );
    }
}

#[test]
fn the_rule_format_guide_lists_every_action() {
    let guide = include_str!("../../rules/README.md");
    for name in NAMES {
        assert!(
            guide.contains(&format!("| `{name}` |")),
            "rules/README.md has no row for `{name}`"
        );
    }
}
