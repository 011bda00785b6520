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
    /// `[fragments]` is not a table of strings named as ids: the span, and what is wrong.
    BadFragment(std::ops::Range<usize>, String),
    /// `{{name}}` in a pattern names no fragment of the file: where it stands, and the name.
    UnknownFragment(std::ops::Range<usize>, String),
    /// The fragments a string names would take the file's expanded strings past
    /// [`EXPANSION_BUDGET`]: the string's span.
    ExpandsTooFar(std::ops::Range<usize>),
    /// A string names a fragment that could not be written out: the string's span, the name.
    BrokenFragment(std::ops::Range<usize>, String),
}

/// The most a file's strings may grow to, all together, with the fragments they name
/// written out: four times the largest rule file. A fragment named many times is copied
/// each time (a 100 KB fragment named 2,000 times is 200 MB), and nested fragments double
/// at each level: the bound keeps loading a file linear in its size.
pub const EXPANSION_BUDGET: usize = 4 << 20;

/// The keys of a `[[rule]]` table whose strings may name fragments (`{{name}}`).
const RULE_PATTERN_KEYS: &[&str] = &["pattern", "from", "to", "links_to", "unless", "voice"];
/// The keys of `[detect]` whose strings, or lists of strings, may name fragments; and the
/// key of each `[[detect.signal]]` table that may.
const DETECT_PATTERN_KEYS: &[&str] = &["head", "tail", "source_url"];
const SIGNAL_PATTERN_KEY: &str = "pattern";

/// A file's named pieces of patterns (`[fragments]`), each written once and named in
/// patterns as `{{name}}`: a name and its value, None when it could not be written out
/// (it names itself, a fragment the file lacks, or too much; reported at the fragment).
/// By name, so that a name is found in time logarithmic in the file's fragments.
type Fragments = std::collections::BTreeMap<String, Option<String>>;

/// Why a string's fragments were not written out.
enum Unexpanded {
    /// Past what is left of the file's [`EXPANSION_BUDGET`].
    TooFar,
    /// It names a fragment that could not be written out: the fragment's name.
    Broken(String),
}

/// Whether `name` may name a fragment: lowercase letters, digits and `-`.
fn is_fragment_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A piece of a string that may name fragments: text as written, or a fragment's name.
enum Piece<'s> {
    Text(&'s str),
    Name(&'s str),
}

/// The pieces of `s`, in order: `{{name}}` where `name` may name a fragment, text around it
/// (braces that name nothing, such as a regex's `{2}`, are text).
fn pieces(s: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = s;
    let mut pending: Option<&str> = None;
    std::iter::from_fn(move || {
        if let Some(name) = pending.take() {
            return Some(Piece::Name(name));
        }
        if rest.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(at) = rest[from..].find("{{").map(|k| from + k) {
            let after = &rest[at + 2..];
            // The name's own characters, then `}}`: a `{{` that opens no name is passed over
            // after reading no further than a name would go (linear in the string, however
            // many `{{` it holds without a `}}`).
            let len = after
                .bytes()
                .take_while(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                .count();
            let name = &after[..len];
            if is_fragment_name(name) && after[len..].starts_with("}}") {
                let text = &rest[..at];
                rest = &after[len + 2..];
                if text.is_empty() {
                    return Some(Piece::Name(name));
                }
                pending = Some(name);
                return Some(Piece::Text(text));
            }
            from = at + 2;
        }
        let text = rest;
        rest = "";
        Some(Piece::Text(text))
    })
}

/// `s` with every `{{name}}` replaced by that fragment; None when it names none. A name
/// no fragment has is passed to `unknown` (and left as written). Err when it names a
/// fragment that could not be written out, or when the expansion would take more than is
/// left of `budget` (which it then leaves as it was).
fn expand_fragments(
    s: &str,
    fragments: &Fragments,
    budget: &mut usize,
    mut unknown: impl FnMut(&str),
) -> Result<Option<String>, Unexpanded> {
    if !s.contains("{{") {
        return Ok(None);
    }
    let find = |name: &str| fragments.get(name);
    let mut len = 0usize;
    let mut named = false;
    for piece in pieces(s) {
        len = len.saturating_add(match piece {
            Piece::Text(text) => text.len(),
            Piece::Name(name) => match find(name) {
                Some(Some(value)) => {
                    named = true;
                    value.len()
                }
                Some(None) => return Err(Unexpanded::Broken(name.to_string())),
                None => {
                    unknown(name);
                    name.len() + 4
                }
            },
        });
    }
    if !named {
        return Ok(None);
    }
    *budget = budget.checked_sub(len).ok_or(Unexpanded::TooFar)?;
    let mut out = String::with_capacity(len);
    for piece in pieces(s) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Name(name) => match find(name) {
                Some(value) => out.push_str(value.as_deref().unwrap_or_default()),
                None => {
                    out.push_str("{{");
                    out.push_str(name);
                    out.push_str("}}");
                }
            },
        }
    }
    Ok(Some(out))
}

/// Writes out the fragments that name other fragments (`lead = '{{mark}}{0,3}'`), each
/// after those it names, so that a pattern names any fragment as one piece of text. A
/// fragment that names itself (through others), a fragment the file lacks, or too much is
/// an error at its value, and is not written out: what names it is not either. Depth-first
/// with a stack of its own: a chain of fragments as long as the file allows does not deepen
/// the call stack.
fn resolve_nested(
    fragments: &mut Fragments,
    spans: &std::collections::BTreeMap<String, std::ops::Range<usize>>,
    budget: &mut usize,
    errors: &mut Vec<ParseError>,
) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Open,
        Done,
    }
    let names = |value: &Option<String>| -> Vec<String> {
        pieces(value.as_deref().unwrap_or_default())
            .filter_map(|p| match p {
                Piece::Name(name) => Some(name.to_string()),
                Piece::Text(_) => None,
            })
            .collect()
    };
    let span = |name: &str| spans.get(name).cloned().unwrap_or_default();
    let mut state = std::collections::BTreeMap::<String, State>::new();
    let roots: Vec<String> = fragments.keys().cloned().collect();
    for root in roots {
        if state.contains_key(&root) {
            continue;
        }
        state.insert(root.clone(), State::Open);
        // A fragment being read: its name, the names in it, the next to follow, and
        // whether it was found broken (reported at it).
        let refs = names(&fragments[&root]);
        let mut stack = vec![(root, refs, 0usize, false)];
        while let Some((this, refs, next, broken)) = stack.last_mut() {
            if let Some(name) = refs.get(*next).cloned() {
                *next += 1;
                match (fragments.get(&name), state.get(&name)) {
                    (None, _) => {
                        errors.push(ParseError::UnknownFragment(span(this), name));
                        *broken = true;
                    }
                    (Some(value), None) => {
                        let refs = names(value);
                        state.insert(name.clone(), State::Open);
                        stack.push((name, refs, 0, false));
                    }
                    (Some(_), Some(State::Open)) => {
                        errors.push(ParseError::BadFragment(
                            span(this),
                            format!(
                                "fragment `{this}` names `{name}`, which names it in turn: a fragment may name others, not itself"
                            ),
                        ));
                        *broken = true;
                    }
                    (Some(_), Some(State::Done)) => {}
                }
                continue;
            }
            let (this, broken) = (std::mem::take(this), *broken);
            stack.pop();
            state.insert(this.clone(), State::Done);
            let written = match fragments[&this].as_deref() {
                _ if broken => None,
                None => None,
                Some(value) => match expand_fragments(value, fragments, budget, |_| {}) {
                    Ok(expanded) => Some(expanded.unwrap_or_else(|| value.to_string())),
                    Err(Unexpanded::Broken(_)) => None,
                    Err(Unexpanded::TooFar) => {
                        errors.push(ParseError::ExpandsTooFar(span(&this)));
                        None
                    }
                },
            };
            fragments.insert(this, written);
        }
    }
}

/// Takes the `[fragments]` table out of a file's top-level table.
fn take_fragments(
    table: &mut toml::de::DeTable<'_>,
    budget: &mut usize,
    errors: &mut Vec<ParseError>,
) -> Fragments {
    use toml::de::DeValue;
    let mut fragments = Fragments::new();
    let mut spans = std::collections::BTreeMap::new();
    let Some(key) = table.keys().find(|k| k.get_ref() == "fragments").cloned() else {
        return fragments;
    };
    let Some(value) = table.remove(&key) else {
        return fragments;
    };
    let span = value.span();
    let DeValue::Table(entries) = value.into_inner() else {
        errors.push(ParseError::BadFragment(
            span,
            "`fragments` must be a table of named strings".to_string(),
        ));
        return fragments;
    };
    for (name, value) in entries {
        if !is_fragment_name(name.get_ref()) {
            errors.push(ParseError::BadFragment(
                name.span(),
                format!(
                    "a fragment's name is lowercase letters, digits and `-`, not `{}`",
                    name.get_ref()
                ),
            ));
            continue;
        }
        match value.get_ref() {
            DeValue::String(text) => {
                fragments.insert(name.get_ref().to_string(), Some(text.to_string()));
                spans.insert(name.get_ref().to_string(), value.span());
            }
            _ => errors.push(ParseError::BadFragment(
                value.span(),
                format!("fragment `{}` must be a string", name.get_ref()),
            )),
        }
    }
    resolve_nested(&mut fragments, &spans, budget, errors);
    fragments
}

/// Replaces the fragments named in a string, or in each string of a list, of `value`.
fn expand_value(
    value: &mut Spanned<toml::de::DeValue<'_>>,
    fragments: &Fragments,
    budget: &mut usize,
    text: &str,
    errors: &mut Vec<ParseError>,
) {
    use toml::de::DeValue;
    let span = value.span();
    match value.get_mut() {
        DeValue::String(s) => {
            let expanded = expand_fragments(s, fragments, budget, |name| {
                // The reference as written, if the string is written where it stands.
                let reference = format!("{{{{{name}}}}}");
                let at = text
                    .get(span.clone())
                    .and_then(|written| written.find(&reference))
                    .map_or(span.clone(), |k| {
                        span.start + k..span.start + k + reference.len()
                    });
                errors.push(ParseError::UnknownFragment(at, name.to_string()));
            });
            match expanded {
                Ok(Some(expanded)) => *s = expanded.into(),
                Ok(None) => {}
                Err(Unexpanded::TooFar) => errors.push(ParseError::ExpandsTooFar(span)),
                Err(Unexpanded::Broken(name)) => {
                    errors.push(ParseError::BrokenFragment(span, name))
                }
            }
        }
        DeValue::Array(items) => {
            for item in items.iter_mut() {
                expand_value(item, fragments, budget, text, errors);
            }
        }
        _ => {}
    }
}

/// Replaces the fragments named in the strings of `keys` of a table `value`.
fn expand_table(
    value: &mut Spanned<toml::de::DeValue<'_>>,
    keys: &[&str],
    fragments: &Fragments,
    budget: &mut usize,
    text: &str,
    errors: &mut Vec<ParseError>,
) {
    if let toml::de::DeValue::Table(table) = value.get_mut() {
        for (key, value) in table.iter_mut() {
            if keys.contains(&key.get_ref().as_ref()) {
                expand_value(value, fragments, budget, text, errors);
            }
        }
    }
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
    let mut budget = EXPANSION_BUDGET;
    let fragments = take_fragments(&mut table, &mut budget, &mut errors);
    if !fragments.is_empty() || text.contains("{{") {
        for (key, value) in table.iter_mut() {
            if key.get_ref() != "detect" {
                continue;
            }
            expand_table(
                value,
                DETECT_PATTERN_KEYS,
                &fragments,
                &mut budget,
                text,
                &mut errors,
            );
            if let DeValue::Table(detect) = value.get_mut() {
                for (key, signals) in detect.iter_mut() {
                    if let (true, DeValue::Array(signals)) =
                        (key.get_ref() == "signal", signals.get_mut())
                    {
                        for signal in signals.iter_mut() {
                            expand_table(
                                signal,
                                &[SIGNAL_PATTERN_KEY],
                                &fragments,
                                &mut budget,
                                text,
                                &mut errors,
                            );
                        }
                    }
                }
            }
        }
    }
    let mut rules = Vec::new();
    let rule_key = table.keys().find(|k| k.get_ref() == "rule").cloned();
    if let Some(value) = rule_key.and_then(|k| table.remove(&k)) {
        let value_span = value.span();
        match value.into_inner() {
            DeValue::Array(items) => {
                for mut item in items {
                    let before = errors.len();
                    expand_table(
                        &mut item,
                        RULE_PATTERN_KEYS,
                        &fragments,
                        &mut budget,
                        text,
                        &mut errors,
                    );
                    if errors.len() > before {
                        // A pattern that names a fragment the file lacks is not compiled.
                        continue;
                    }
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
