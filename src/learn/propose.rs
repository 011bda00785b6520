//! Learned units as rules, written as rule-file TOML: the normal loader compiles them, so
//! their errors, `explain` and `rules coverage` work as for any rule file.

use super::units::Kind;
use super::{By, LearnedRule, LearnedSite, Lesson, Tally};
use crate::Catalog;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Characters of an example kept in a note.
const EXAMPLE_CHARS: usize = 80;

/// A rule file proposed to a maintainer.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Where it goes in a rule directory: `outlets/<name>.toml`.
    pub path: String,
    /// The file's TOML, with a note on every rule saying what it was learned from.
    pub text: String,
    /// How many learned rules it holds.
    pub rules: usize,
    /// The sites it was learned from (`feedx/example.com`).
    pub sites: Vec<String>,
    /// The outlet file it extends with the learned rules, when the outlet has one.
    pub outlet_file: Option<String>,
}

/// The rule a unit becomes.
pub fn rule(t: &Tally, threshold: usize) -> LearnedRule {
    let (text, changed) = (&t.text, &t.changed[..]);
    // Room for a longer number than the pages showed.
    let bound = t.max_chars + (t.max_chars / 4).max(8);
    let (action, keys, example) = match &t.kind {
        Kind::Line => (
            "drop-lines",
            vec![("pattern", format!(r"^{}\s*$", text.pattern(changed)))],
            text.original(),
        ),
        Kind::Element { selector } => (
            "remove-if-text",
            vec![
                ("selector", selector.clone()),
                ("pattern", format!("^{}$", text.pattern(changed))),
                ("max_chars", bound.to_string()),
            ],
            text.original(),
        ),
        Kind::Prefix { selector: None } => (
            "drop-lines",
            // A line that begins so and is no longer than such lines were.
            vec![(
                "pattern",
                format!(
                    "^{}.{{0,{}}}$",
                    text.spaced_pattern(changed, &t.spaces),
                    bound.saturating_sub(t.spaces.len())
                ),
            )],
            t.whole.clone().unwrap_or_else(|| text.original()),
        ),
        Kind::Prefix {
            selector: Some(selector),
        } => (
            "remove-if-text",
            vec![
                ("selector", selector.clone()),
                (
                    "pattern",
                    format!("^{}", text.spaced_pattern(changed, &t.spaces)),
                ),
                ("max_chars", bound.to_string()),
            ],
            t.whole.clone().unwrap_or_else(|| text.original()),
        ),
        Kind::Infix { selector } => {
            // The head: any text, no longer than the pages had it, with room for a longer
            // name.
            let head = format!(".{{0,{}}}", t.head + (t.head / 4).max(2));
            let fixed = text.spaced_pattern(changed, &t.spaces);
            let keys = match selector {
                None => vec![("pattern", format!("^{head}{fixed}.{{0,{bound}}}$"))],
                Some(selector) => vec![
                    ("selector", selector.clone()),
                    ("pattern", format!("^{head}{fixed}")),
                    ("max_chars", bound.to_string()),
                ],
            };
            let action = if selector.is_none() {
                "drop-lines"
            } else {
                "remove-if-text"
            };
            (
                action,
                keys,
                t.whole.clone().unwrap_or_else(|| text.original()),
            )
        }
        Kind::Block { selector } => (
            "remove",
            vec![("selector", selector.clone())],
            text.original(),
        ),
        Kind::LinkList { section } => (
            "remove-block",
            vec![
                ("links_to", super::units::section_pattern(section)),
                ("min_links", super::units::LIST_MIN_LINKS.to_string()),
                ("max_chars", bound.to_string()),
            ],
            text.original(),
        ),
        Kind::Image { src } => (
            "remove",
            vec![("selector", format!("img[src='{src}']"))],
            src.clone(),
        ),
    };
    LearnedRule {
        id: String::new(),
        action,
        keys,
        pages: t.pages,
        threshold,
        acted: 0,
        example: shorten(&example),
        wordings: matches!(t.kind, Kind::Prefix { .. }).then_some(t.variants.len()),
    }
}

fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(EXAMPLE_CHARS) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

/// A TOML string: a literal string when it needs no escape, else a basic one.
fn string(s: &str) -> String {
    if !s.contains('\'') && !s.chars().any(char::is_control) {
        return format!("'{s}'");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A rule's note: where it was learned, on how many pages, and what it removes.
fn note(site: &LearnedSite, rule: &LearnedRule) -> String {
    let acted = if site.checked {
        format!("; acted on {} when they were cleaned with it", rule.acted)
    } else {
        String::new()
    };
    let begun = match rule.wordings {
        Some(n) => format!(" (texts that begin so, in {n} wordings)"),
        None => String::new(),
    };
    format!(
        "Learned from the pages of {}: found on {} of {} pages{begun}{acted}. For example: {}",
        site.key, rule.pages, site.pages, rule.example
    )
}

fn write_rules(out: &mut String, site: &LearnedSite) {
    for rule in &site.rules {
        let _ = writeln!(out, "\n[[rule]]");
        let _ = writeln!(out, "id = {}", string(&rule.id));
        let _ = writeln!(out, "action = {}", string(rule.action));
        for (key, value) in &rule.keys {
            if matches!(*key, "max_chars" | "min_links") {
                let _ = writeln!(out, "{key} = {value}");
            } else {
                let _ = writeln!(out, "{key} = {}", string(value));
            }
        }
        let _ = writeln!(out, "note = {}", string(&note(site, rule)));
    }
}

/// A site's rules as the file of an extra layer (`platforms/learned-<…>`).
pub fn layer_text(site: &LearnedSite) -> String {
    let mut out = format!(
        "description = {}\n",
        string(&format!(
            "Rules learned from {} pages of {}.",
            site.pages, site.key
        ))
    );
    write_rules(&mut out, site);
    out
}

/// See [`Lesson::proposals`].
pub fn proposals(lesson: &Lesson, catalog: &Catalog) -> Vec<Proposal> {
    let mut by_name: BTreeMap<&str, Vec<&LearnedSite>> = BTreeMap::new();
    for site in lesson.sites.iter().filter(|s| !s.rules.is_empty()) {
        by_name.entry(site.name.as_str()).or_default().push(site);
    }
    by_name
        .into_iter()
        .map(|(name, sites)| proposal(name, &sites, catalog))
        .collect()
}

fn proposal(name: &str, sites: &[&LearnedSite], catalog: &Catalog) -> Proposal {
    let shown: Vec<String> = sites.iter().map(|s| s.key.to_string()).collect();
    let pages: usize = sites.iter().map(|s| s.pages).sum();
    let rules: usize = sites.iter().map(|s| s.rules.len()).sum();
    let outlet = catalog.outlet(name).filter(|_| {
        sites
            .iter()
            .any(|s| matches!(&s.key.by, By::Outlet(o) if o == name))
    });
    let mut out = String::new();
    if let Some(file) = outlet {
        out.push_str(&file.source);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "\n# --- Proposed by `dechaff rules learn` from {pages} pages of {}: review each rule",
            shown.join(", ")
        );
        let _ = writeln!(
            out,
            "# before keeping it, and add those that act on every page to `expect`."
        );
    } else {
        let _ = writeln!(
            out,
            "# Proposed by `dechaff rules learn` from {pages} pages of {}.",
            shown.join(", ")
        );
        out.push_str(
            "# Review every rule before you keep it: each note says on how many pages it was found\n\
             # and what it removes. `dechaff rules check DIR` checks this file; `dechaff explain\n\
             # --rules DIR PAGE` shows what it does to a page.\n",
        );
        let hosts: Vec<&str> = sites
            .iter()
            .filter_map(|s| match &s.key.by {
                By::Host(h) => Some(h.as_str()),
                _ => None,
            })
            .collect();
        if hosts.is_empty() {
            let _ = writeln!(
                out,
                "# These pages named no host: run the rules with `--outlet {name}` (or `--site FAMILY/{name}`)."
            );
        }
        for host in &hosts {
            if let Some(other) = crate::detect::outlet_by_host(catalog, host) {
                let _ = writeln!(
                    out,
                    "# The outlet `{}` also takes {host} and is tried first: run these rules with `--outlet {name}`.",
                    other.name
                );
            }
        }
        let _ = writeln!(
            out,
            "description = {}",
            string(&format!(
                "Learned from {pages} pages of {}; to be reviewed.",
                shown.join(", ")
            ))
        );
        let expect: Vec<String> = sites
            .iter()
            .flat_map(|s| {
                s.rules
                    .iter()
                    .filter(|r| r.pages == s.pages && (!s.checked || r.acted == s.pages))
                    .map(|r| match &s.key.family {
                        Some(f) => format!("{}@{f}", r.id),
                        None => r.id.clone(),
                    })
            })
            .collect();
        let quoted: Vec<String> = expect.iter().map(|e| string(e)).collect();
        let _ = writeln!(out, "expect = [{}]", quoted.join(", "));
        if !hosts.is_empty() {
            let quoted: Vec<String> = hosts.iter().map(|h| string(h)).collect();
            let _ = writeln!(out, "\n[detect]\nhosts = [{}]", quoted.join(", "));
        }
    }
    for site in sites {
        write_rules(&mut out, site);
    }
    Proposal {
        path: format!("outlets/{name}.toml"),
        text: out,
        rules,
        sites: shown,
        outlet_file: outlet.map(|f| f.path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_literal_unless_they_must_be_escaped() {
        assert_eq!(string(r"^\d+$"), r"'^\d+$'");
        assert_eq!(string("it's \"x\"\\"), r#""it's \"x\"\\""#);
        assert_eq!(string("a\tb"), r#""a\u0009b""#);
        let parsed: toml::Value =
            toml::from_str(&format!("k = {}", string("it's\u{7}\\"))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some("it's\u{7}\\"));
    }

    #[test]
    fn examples_are_one_short_line() {
        assert_eq!(shorten("a\n b"), "a b");
        assert_eq!(
            shorten(&"字".repeat(100)).chars().count(),
            EXAMPLE_CHARS + 1
        );
    }
}
