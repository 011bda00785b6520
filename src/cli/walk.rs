//! Which files under a directory are documents.
//!
//! The walk reads what lies inside the tree and nothing else: a link that leads out of it
//! is left out (an untrusted tree must not make a run read `/etc/passwd` into its output),
//! a link to a directory is never followed (what lies inside the tree is reached where it
//! is; this is also what keeps a link loop from walking without end), and a directory is
//! walked once however it is reached. Every file or directory left out is listed with its
//! reason.

use super::io::temp_owner;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn has_document_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "md" | "markdown" | "html" | "htm"
        )
    })
}

/// Whether a file is a tree's own notes rather than a document: Markdown with an
/// all-capital name (`README.md`, `SOURCES.md`). An HTML page such as `BBC.html` is a
/// document whatever its name.
fn is_notes(path: &Path) -> bool {
    let markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown"));
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    markdown
        && stem.chars().any(|c| c.is_ascii_uppercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Whether a file is a document: `.md`, `.markdown`, `.html` or `.htm`, and not a tree's
/// own notes (see [`is_notes`]).
pub fn is_document(path: &Path) -> bool {
    has_document_extension(path) && !is_notes(path)
}

/// What a walk of a tree found: the documents, and every other file with why it was left.
#[derive(Debug, Default)]
pub struct Walk {
    /// The documents, sorted.
    pub documents: Vec<PathBuf>,
    /// Files and directories left out, sorted, each with the reason.
    pub skipped: Vec<(PathBuf, Skip)>,
}

/// Why a walk left a file or directory out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// Not `.md`, `.markdown`, `.html` or `.htm`.
    NotADocument,
    /// An all-capital Markdown name such as `README.md`: the tree's own notes.
    Notes,
    /// A temporary file of a run that was killed before it could rename it into place.
    Temporary,
    /// A FIFO, socket or device: reading one may never end.
    NotRegular,
    /// A link to a directory: never followed.
    LinkToDirectory,
    /// A link whose target lies outside the tree.
    LinkOutside,
    /// A link to nothing (or to a loop of links).
    BrokenLink,
    /// A directory reached a second time (a loop through a mount).
    Again,
    /// A directory that could not be read.
    Unreadable,
}

impl Skip {
    /// What the summary says for this reason.
    pub fn describe(self) -> &'static str {
        match self {
            Skip::NotADocument => "not a document (.md, .markdown, .html, .htm)",
            Skip::Notes => "notes (an all-capital Markdown name, such as README.md)",
            Skip::Temporary => "temporary files of an interrupted run (.NAME.dechaff-PID-N.tmp)",
            Skip::NotRegular => "not a regular file (a FIFO, socket or device)",
            Skip::LinkToDirectory => "links to directories (never followed)",
            Skip::LinkOutside => "links that lead out of the tree",
            Skip::BrokenLink => "broken links",
            Skip::Again => "directories reached a second time",
            Skip::Unreadable => "unreadable",
        }
    }

    /// Whether this makes the run fail (exit status 1, though every document that could be
    /// read is cleaned): part of the tree could not be read.
    pub fn is_failure(self) -> bool {
        self == Skip::Unreadable
    }
}

/// What one directory entry is, links resolved as the walk resolves them.
enum Entry {
    Directory,
    File,
    Skipped(Skip),
}

/// Every document under `root`, and what was left out.
pub fn walk(root: &Path) -> Walk {
    let mut walk = Walk::default();
    // Where links may lead: the tree's own resolved path.
    let Ok(real_root) = root.canonicalize() else {
        walk.skipped.push((root.to_path_buf(), Skip::Unreadable));
        return walk;
    };
    let mut seen = Seen::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if !seen.first_time(&dir) {
            walk.skipped.push((dir, Skip::Again));
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(_) => {
                walk.skipped.push((dir, Skip::Unreadable));
                continue;
            }
        };
        for entry in entries {
            let Ok(entry) = entry else {
                walk.skipped.push((dir.clone(), Skip::Unreadable));
                continue;
            };
            let path = entry.path();
            match classify(&entry, &path, &real_root) {
                Entry::Directory => stack.push(path),
                Entry::File if is_document(&path) => walk.documents.push(path),
                Entry::File => {
                    let why = if has_document_extension(&path) {
                        Skip::Notes
                    } else if entry.file_name().to_str().and_then(temp_owner).is_some() {
                        Skip::Temporary
                    } else {
                        Skip::NotADocument
                    };
                    walk.skipped.push((path, why));
                }
                Entry::Skipped(why) => walk.skipped.push((path, why)),
            }
        }
    }
    walk.documents.sort();
    walk.skipped.sort();
    walk
}

/// What `entry` is. A link counts as the file it leads to when that is a regular file
/// inside the tree, and is left out otherwise.
fn classify(entry: &std::fs::DirEntry, path: &Path, real_root: &Path) -> Entry {
    let Ok(kind) = entry.file_type() else {
        return Entry::Skipped(Skip::Unreadable);
    };
    if kind.is_dir() {
        return Entry::Directory;
    }
    if kind.is_file() {
        return Entry::File;
    }
    if !kind.is_symlink() {
        return Entry::Skipped(Skip::NotRegular);
    }
    let Ok(target) = path.canonicalize() else {
        // A document the tree names that cannot be read fails, as any unreadable one.
        return if has_document_extension(path) {
            Entry::File
        } else {
            Entry::Skipped(Skip::BrokenLink)
        };
    };
    if !target.starts_with(real_root) {
        return Entry::Skipped(Skip::LinkOutside);
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => Entry::Skipped(Skip::LinkToDirectory),
        Ok(m) if m.is_file() => Entry::File,
        Ok(_) => Entry::Skipped(Skip::NotRegular),
        Err(_) => Entry::Skipped(Skip::BrokenLink),
    }
}

/// The directories walked so far, by device and inode where the system has them: a
/// directory mounted inside itself is walked once.
#[derive(Default)]
struct Seen(HashSet<(u64, u64)>);

impl Seen {
    fn first_time(&mut self, dir: &Path) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            match std::fs::metadata(dir) {
                Ok(m) => self.0.insert((m.dev(), m.ino())),
                Err(_) => true,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = (dir, &mut self.0);
            true
        }
    }
}

/// Every document under `root`, sorted.
pub fn documents_under(root: &Path) -> Vec<PathBuf> {
    walk(root).documents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_not_documents() {
        assert!(is_document(Path::new("a/001.md")));
        assert!(is_document(Path::new("a/page.HTML")));
        assert!(is_document(Path::new("a/BBC.html")));
        assert!(is_document(Path::new("a/123.md")));
        assert!(!is_document(Path::new("a/SOURCES.md")));
        assert!(!is_document(Path::new("a/READ_ME-2.markdown")));
        assert!(!is_document(Path::new("a/INDEX.tsv")));
        assert!(!is_document(Path::new("a/expect.toml")));
    }
}
