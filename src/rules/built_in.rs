//! The built-in rule files as the build read them (see `build.rs`): each file's text, and
//! its TOML already parsed into the shapes of `schema` (Rust that builds those values, so
//! that a process does not parse the TOML again). Written from `rules/` when the crate is
//! built: a rule edit takes effect at the next build, as the embedded text itself does. A
//! file that did not parse then is kept as text alone, and parsed (its errors reported)
//! when it loads. (The literals the built-in regexes require are computed by the build
//! too: see `lazy_regex`.)

use super::schema::{RawDetect, RawFile, RawSignal};
use crate::actions::keys::RawRule;
use toml::Spanned;

/// One built-in rule file.
pub(crate) struct BuiltIn {
    /// Its path under `rules/` without `.toml`.
    pub key: &'static str,
    /// The path shown in diagnostics and origins (`rules/common.toml`).
    pub path: &'static str,
    /// The file's text.
    pub text: &'static str,
    /// The file parsed, when it parses.
    pub parsed: Option<Parsed>,
}

/// A built-in file parsed when the binary was built.
pub(crate) struct Parsed {
    /// Its top-level keys and tables, but `[[rule]]`.
    pub file: fn() -> RawFile,
    /// Its `[[rule]]` tables, in order.
    pub rules: fn() -> Vec<Spanned<RawRule>>,
    /// The ids of its rules, in order.
    pub ids: &'static [&'static str],
}

/// A string of the generated code.
fn s(text: &str) -> String {
    text.to_string()
}

/// A spanned value of the generated code.
fn sp<T>(start: usize, end: usize, value: T) -> Spanned<T> {
    Spanned::new(start..end, value)
}

include!(concat!(env!("OUT_DIR"), "/built_in_rules.rs"));

/// The built-in rule files, in key order.
pub(crate) fn files() -> &'static [BuiltIn] {
    FILES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_parsed_every_file_as_it_parses_now() {
        assert!(!files().is_empty());
        for file in files() {
            let parsed = file.parsed.as_ref().expect("every built-in file parses");
            let (raw, rules, errors) = super::super::schema::parse::<RawRule>(file.text);
            assert!(errors.is_empty(), "{}", file.key);
            let raw = raw.expect("the file parses");
            assert_eq!(
                format!("{raw:?}"),
                format!("{:?}", (parsed.file)()),
                "{}",
                file.key
            );
            assert_eq!(
                format!("{rules:?}"),
                format!("{:?}", (parsed.rules)()),
                "{}",
                file.key
            );
            let ids: Vec<&str> = rules
                .iter()
                .map(|r| r.get_ref().id.get_ref().as_str())
                .collect();
            assert_eq!(ids, parsed.ids);
            assert_eq!(file.path, format!("rules/{}.toml", file.key));
        }
    }

    #[test]
    fn the_files_are_those_of_the_rules_directory() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let catalog = crate::Catalog::from_dir(std::path::Path::new(dir)).expect("the rules load");
        let keys: Vec<&str> = catalog.files().map(|f| f.key.as_str()).collect();
        let built: Vec<&str> = files().iter().map(|f| f.key).collect();
        assert_eq!(keys, built);
        for file in files() {
            assert_eq!(
                catalog.file(file.key).map(|f| f.source.as_str()),
                Some(file.text)
            );
        }
    }
}
