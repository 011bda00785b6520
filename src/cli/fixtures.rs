//! Fixture documents, their assertions and their reviewed snapshots: what `dechaff rules
//! test` runs, so a maintainer can check one site, or rules kept outside the repository,
//! without the whole test suite. `cargo test` runs the same command over every site.
//!
//! A fixture tree holds `<family>/<site>/*.md` documents (and any other directory of
//! documents, such as `seeds/`). `expect.toml` beside a site's documents, and one level up
//! for the whole family, may say:
//!
//! ```toml
//! absent = ['获取更多RSS']                  # regexes no cleaned document here may match
//! present = ['原文地址']                     # regexes every cleaned document here must match
//! [keep]                                     # per document: text that must survive
//! "001.md" = ["first words", "last words"]
//! ```

use super::args::format_of;
use super::walk::documents_under;
use crate::{Cleaner, InputFormat, Options};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    keep: BTreeMap<String, Vec<String>>,
}

/// The assertions of one `expect.toml`.
#[derive(Debug, Default)]
pub struct Expect {
    pub absent: Vec<Regex>,
    pub present: Vec<Regex>,
    pub keep: BTreeMap<String, Vec<String>>,
}

impl Expect {
    /// Reads `dir/expect.toml`; no file means no assertions.
    pub fn read(dir: &Path) -> Result<Expect, String> {
        let path = dir.join("expect.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Expect::default());
        };
        let shown = path.display();
        let raw: RawExpect =
            toml::from_str(&text).map_err(|e| format!("{shown}: {}", e.message()))?;
        let compile = |list: &[String]| -> Result<Vec<Regex>, String> {
            list.iter()
                .map(|r| Regex::new(r).map_err(|e| format!("{shown}: {e}")))
                .collect()
        };
        Ok(Expect {
            absent: compile(&raw.absent)?,
            present: compile(&raw.present)?,
            keep: raw.keep,
        })
    }
}

/// A directory of fixture documents.
#[derive(Debug, Clone)]
pub struct Site {
    /// Relative to the fixture root, with `/`: `feedx/dw`, `seeds`.
    pub name: String,
    pub dir: PathBuf,
    pub documents: Vec<PathBuf>,
}

/// One assertion that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The document, relative to the fixture root (or the `expect.toml` at fault).
    pub document: String,
    pub message: String,
}

/// The directories of `root` that hold documents, sorted by name.
pub fn sites(root: &Path) -> Vec<Site> {
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for doc in documents_under(root) {
        if let Some(dir) = doc.parent() {
            by_dir.entry(dir.to_path_buf()).or_default().push(doc);
        }
    }
    by_dir
        .into_iter()
        .map(|(dir, documents)| Site {
            name: relative(root, &dir),
            dir,
            documents,
        })
        .collect()
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The options a fixture is cleaned with: its format from its extension, Markdown when
/// the extension names none.
pub fn options_for(path: &Path) -> Options {
    Options {
        format: Some(format_of(path).unwrap_or(InputFormat::Markdown)),
        ..Options::default()
    }
}

/// The name insta gives a fixture's snapshot under `snapshots/`.
pub fn snapshot_name(root: &Path, doc: &Path) -> String {
    format!("corpus@{}.snap", relative(root, doc).replace('/', "__"))
}

/// The text of an insta snapshot file, without its header.
pub fn snapshot_body(snap: &str) -> Option<&str> {
    let rest = snap.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some(&rest[end + 5..])
}

/// Cleans every document of `site` and checks its assertions (the site's `expect.toml` and
/// its family's) and, when `snapshots` is given, its reviewed snapshot.
pub fn check_site(
    cleaner: &Cleaner,
    root: &Path,
    site: &Site,
    snapshots: Option<&Path>,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut expects = Vec::new();
    let family_dir = site
        .dir
        .parent()
        .filter(|p| *p != root && p.starts_with(root));
    for dir in family_dir.into_iter().chain([site.dir.as_path()]) {
        match Expect::read(dir) {
            Ok(e) => expects.push(e),
            Err(message) => failures.push(Failure {
                document: relative(root, &dir.join("expect.toml")),
                message,
            }),
        }
    }
    let site_expect = expects.last();
    for doc in &site.documents {
        let shown = relative(root, doc);
        let fail = |message: String| Failure {
            document: shown.clone(),
            message,
        };
        let input = match std::fs::read(doc) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                failures.push(fail(format!("cannot read: {e}")));
                continue;
            }
        };
        let text = match cleaner.clean_str_with(&input, &options_for(doc)) {
            Ok(c) => c.text,
            Err(e) => {
                failures.push(fail(e.to_string()));
                continue;
            }
        };
        for expect in &expects {
            for re in &expect.absent {
                if let Some(m) = re.find(&text) {
                    failures.push(fail(format!(
                        "chaff `{}` survives: {:?}",
                        re.as_str(),
                        m.as_str()
                    )));
                }
            }
            for re in &expect.present {
                if !re.is_match(&text) {
                    failures.push(fail(format!("`{}` is missing", re.as_str())));
                }
            }
        }
        let name = doc
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for snippet in site_expect
            .and_then(|e| e.keep.get(&name))
            .into_iter()
            .flatten()
        {
            if !text.contains(snippet.as_str()) {
                failures.push(fail(format!("lost {snippet:?}")));
            }
        }
        if let Some(dir) = snapshots {
            let path = dir.join(snapshot_name(root, doc));
            match std::fs::read_to_string(&path) {
                Err(_) => failures.push(fail(format!("no reviewed snapshot {}", path.display()))),
                Ok(snap) => {
                    // Compared as insta compares: line endings as `\n`, the end trimmed.
                    let reviewed = snapshot_body(&snap).unwrap_or("").replace("\r\n", "\n");
                    if reviewed.trim_end() != text.replace("\r\n", "\n").trim_end() {
                        failures.push(fail(format!(
                            "output differs from the reviewed snapshot {}",
                            path.display()
                        )));
                    }
                }
            }
        }
    }
    if let Some(expect) = site_expect {
        for name in expect.keep.keys() {
            if !site.dir.join(name).exists() {
                failures.push(Failure {
                    document: relative(root, &site.dir.join("expect.toml")),
                    message: format!("`keep` names no document {name}"),
                });
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_follow_insta() {
        let root = Path::new("/c");
        assert_eq!(
            snapshot_name(root, Path::new("/c/feedx/dw/001.md")),
            "corpus@feedx__dw__001.md.snap"
        );
        assert_eq!(snapshot_body("---\nsource: x\n---\nbody\n"), Some("body\n"));
    }
}
