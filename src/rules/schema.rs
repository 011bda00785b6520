//! The TOML shape of a rule file, exactly as written, with spans kept for diagnostics.
//!
//! Every table denies unknown keys, so a typo such as `selecter` is an error at the key,
//! never a rule that silently does nothing.
//!
//! Only `serde` and `toml` are used here: the build script includes this file (and
//! `actions/raw_rule.rs`, the `[[rule]]` table's shape) to read the built-in rule files
//! when the binary is built (see `rules::built_in`).

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    /// One sentence on what the file covers.
    pub description: Option<String>,
    /// Other files (by name, e.g. `platforms/wordpress`) whose rules this one includes first.
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    /// Families only: `markdown` (default) or `html`, the shape of the mirror's documents.
    pub input: Option<Spanned<String>>,
    /// Full ids of inherited rules that must not run for this family or outlet.
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    pub detect: Option<Spanned<RawDetect>>,
    /// Rules (by id) that every page of this family or outlet triggers; a page that does not
    /// is reported, since the site has probably changed its layout. `id@family` expects the
    /// rule only on pages of that family.
    pub expect: Option<Vec<Spanned<String>>>,
    /// common.toml only: the hosts that carry mirrors (a suffix match: `github.com` takes
    /// `gist.github.com`). An address on one is never an article's own.
    #[serde(default)]
    pub mirror_hosts: Vec<Spanned<String>>,
    // `[[rule]]` tables are taken out and read one by one (see `compile::parse`), so that a
    // broken rule does not hide the errors of the others.
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDetect {
    /// Regexes searched in the first bytes of a document; any match is evidence.
    #[serde(default)]
    pub head: Vec<Spanned<String>>,
    /// Regexes searched in the last bytes of a document (in-memory documents only).
    #[serde(default)]
    pub tail: Vec<Spanned<String>>,
    /// Families: regexes whose first capture group is the original article's URL.
    #[serde(default)]
    pub source_url: Vec<Spanned<String>>,
    /// Outlets: host names of the original article (a suffix match: `dw.com` takes `www.dw.com`).
    #[serde(default)]
    pub hosts: Vec<Spanned<String>>,
    /// Families: higher wins when several families match a document.
    #[serde(default)]
    pub priority: i32,
    /// Families: pieces of the generator's template, each with a weight; a document none of
    /// whose `head` or `tail` patterns match is the family's when the weights of the
    /// signals found add up to `threshold`.
    #[serde(default)]
    pub signal: Vec<Spanned<RawSignal>>,
    /// Families: the weight the signals found must reach.
    pub threshold: Option<Spanned<i64>>,
}

/// One `[[detect.signal]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignal {
    /// Lowercase letters, digits and `-`, unique in the file.
    pub id: Spanned<String>,
    /// The regex that finds the signal.
    pub pattern: Spanned<String>,
    /// What finding it counts for: 1 to 100.
    pub weight: Spanned<i64>,
    /// `head` (default: the first 8 KiB) or `tail` (the last 8 KiB).
    #[serde(rename = "in")]
    pub within: Option<Spanned<String>>,
    /// Why the signal is evidence of the family.
    pub note: Spanned<String>,
}

/// What [`parse`] could not read.
pub enum ParseError {
    /// The TOML, or a table's shape (an unknown key, a wrong type).
    Toml(toml::de::Error),
    /// `rule` is not a list of `[[rule]]` tables: its span.
    RuleNotAList(std::ops::Range<usize>),
}

/// Parses a rule file: its top-level keys, and each `[[rule]]` table on its own (as an
/// `R`: `actions::keys::RawRule`), so that every broken rule is reported, not only the
/// first. The file is None when its TOML or
/// its top-level keys are broken; the errors come in the file's order, the top-level
/// keys' first.
#[allow(clippy::type_complexity)]
pub fn parse<R: serde::de::DeserializeOwned>(
    text: &str,
) -> (Option<RawFile>, Vec<Spanned<R>>, Vec<ParseError>) {
    use toml::de::{DeTable, DeValue, ValueDeserializer};
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => return (None, Vec::new(), vec![ParseError::Toml(e)]),
    };
    let span = root.span();
    let mut table = root.into_inner();
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    let rule_key = table.keys().find(|k| k.get_ref() == "rule").cloned();
    if let Some(value) = rule_key.and_then(|k| table.remove(&k)) {
        let value_span = value.span();
        match value.into_inner() {
            DeValue::Array(items) => {
                for item in items {
                    match Spanned::<R>::deserialize(ValueDeserializer::from(item)) {
                        Ok(rule) => rules.push(rule),
                        Err(e) => errors.push(ParseError::Toml(e)),
                    }
                }
            }
            _ => errors.push(ParseError::RuleNotAList(value_span)),
        }
    }
    let file = match RawFile::deserialize(ValueDeserializer::from(Spanned::new(
        span,
        DeValue::Table(table),
    ))) {
        Ok(file) => Some(file),
        Err(e) => {
            errors.insert(0, ParseError::Toml(e));
            None
        }
    };
    (file, rules, errors)
}
