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
//! rendered_absent = ['始发于']              # …nor its Markdown rendering (a metadata line:
//!                                            # the source keeps it byte for byte)
//! present = ['原文地址']                     # regexes every cleaned document here must match
//! [keep]                                     # per document: text that must survive
//! "001.md" = ["first words", "last words"]
//! ```

use super::args::format_of;
use super::io::write_atomically;
use super::walk::documents_under;
use crate::{Cleaner, Format, InputFormat, Options, Report};
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
    rendered_absent: Vec<String>,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    keep: BTreeMap<String, Vec<String>>,
}

/// The assertions of one `expect.toml`.
#[derive(Debug, Default)]
pub struct Expect {
    /// Chaff no cleaned document may hold.
    pub absent: Vec<Regex>,
    /// What must leave the rendered article but stays in the source: a line a metadata
    /// rule reads (`始发于简书：…`), which `--to source` keeps byte for byte.
    pub rendered_absent: Vec<Regex>,
    /// What every cleaned document must hold.
    pub present: Vec<Regex>,
    /// Per document (by file name): text that must survive.
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
            rendered_absent: compile(&raw.rendered_absent)?,
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

/// Where a run finds its reviewed snapshots, and whether it writes those that differ.
#[derive(Debug, Clone, Copy)]
pub struct Snapshots<'a> {
    pub dir: &'a Path,
    /// Write (or update) every snapshot that is missing or differs, as `cargo insta accept`
    /// would, instead of failing.
    pub accept: bool,
}

/// What checking one site found.
#[derive(Debug, Default)]
pub struct Checked {
    pub failures: Vec<Failure>,
    /// Documents whose snapshot `accept` wrote, relative to the fixture root.
    pub accepted: Vec<String>,
}

/// A snapshot's text as insta compares it: line endings as `\n`, leading line breaks and
/// trailing whitespace trimmed.
fn normalized(text: &str) -> String {
    text.replace("\r\n", "\n")
        .trim_start_matches('\n')
        .trim_end()
        .to_string()
}

/// What the corpus test writes as a snapshot's description: what was detected, every rule
/// that fired, every warning.
pub fn describe(report: &Report) -> String {
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

/// A whole snapshot file as `cargo insta` writes the corpus test's: header, then the text.
pub fn snapshot_file(input_file: &Path, report: &Report, text: &str) -> String {
    let description = serde_json::to_string(&describe(report)).unwrap_or_default();
    format!(
        "---\nsource: tests/corpus.rs\ndescription: {description}\ninput_file: {}\n---\n{}\n",
        input_file.display(),
        normalized(text)
    )
}

/// Cleans every document of `site` and checks its assertions (the site's `expect.toml` and
/// its family's, if it has a family) and, when `snapshots` is given, its reviewed
/// snapshot.
pub fn check_site(
    cleaner: &Cleaner,
    root: &Path,
    site: &Site,
    snapshots: Option<Snapshots<'_>>,
) -> Checked {
    let mut accepted = Vec::new();
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
        let cleaned = match cleaner.clean_str_with(&input, &options_for(doc)) {
            Ok(c) => c,
            Err(e) => {
                failures.push(fail(e.to_string()));
                continue;
            }
        };
        // Rendered only when an assertion reads the rendering.
        let rendered = (expects.iter())
            .any(|e| !e.rendered_absent.is_empty())
            .then(|| cleaned.to(Format::Markdown));
        let (text, report) = (cleaned.text, cleaned.report);
        for expect in &expects {
            if let Some(markdown) = &rendered {
                for re in &expect.rendered_absent {
                    if let Some(m) = re.find(markdown) {
                        failures.push(fail(format!(
                            "chaff `{}` survives: {:?}, in the rendered article",
                            re.as_str(),
                            m.as_str()
                        )));
                    }
                }
            }
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
        if let Some(snapshots) = snapshots {
            let path = snapshots.dir.join(snapshot_name(root, doc));
            let reviewed = std::fs::read_to_string(&path).ok();
            let same = reviewed
                .as_deref()
                .and_then(snapshot_body)
                .is_some_and(|body| normalized(body) == normalized(&text));
            if same {
                continue;
            }
            if snapshots.accept {
                let file = snapshot_file(doc, &report, &text);
                let written = std::fs::create_dir_all(snapshots.dir)
                    .and_then(|()| write_atomically(&path, file.as_bytes()));
                match written {
                    Ok(()) => accepted.push(shown.clone()),
                    Err(e) => failures.push(fail(format!("{}: cannot write: {e}", path.display()))),
                }
            } else if reviewed.is_none() {
                failures.push(fail(format!("no reviewed snapshot {}", path.display())));
            } else {
                failures.push(fail(format!(
                    "output differs from the reviewed snapshot {}",
                    path.display()
                )));
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
    Checked { failures, accepted }
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

    /// `rules test --accept` writes what `cargo insta accept` wrote for the corpus test,
    /// byte for byte.
    #[test]
    fn an_accepted_snapshot_is_the_one_insta_wrote() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let cleaner = Cleaner::new().unwrap();
        for rel in [
            "tests/corpus/feedx/dw/001.md",
            "tests/corpus/seeds/bannedbook-soundofhope-2024.html",
        ] {
            let doc = root.join(rel);
            let input = std::fs::read_to_string(&doc).unwrap();
            let cleaned = cleaner.clean_str_with(&input, &options_for(&doc)).unwrap();
            let name = snapshot_name(&root.join("tests/corpus"), &doc);
            let insta = std::fs::read_to_string(root.join("snapshots").join(name)).unwrap();
            let ours = snapshot_file(Path::new(rel), &cleaned.report, &cleaned.text);
            assert_eq!(ours, insta, "{rel}");
        }
    }
}
