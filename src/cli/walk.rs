//! Which files under a directory are documents.

use std::path::{Path, PathBuf};

fn has_document_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "md" | "markdown" | "html" | "htm"
        )
    })
}

/// Whether a file is a document: `.md`, `.html` or `.htm`, and not a tree's own notes
/// (`README.md`, `SOURCES.md`: all-capital names).
pub fn is_document(path: &Path) -> bool {
    let ext_ok = has_document_extension(path);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let notes = !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-');
    ext_ok && !notes
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
    /// An all-capital name such as `README.md`: the tree's own notes.
    Notes,
    /// A directory that could not be read.
    Unreadable,
}

impl Skip {
    /// What the summary says for this reason.
    pub fn describe(self) -> &'static str {
        match self {
            Skip::NotADocument => "not a document (.md, .markdown, .html, .htm)",
            Skip::Notes => "notes (an all-capital name, such as README.md)",
            Skip::Unreadable => "unreadable directory",
        }
    }
}

/// Every document under `root`, and what was left out.
pub fn walk(root: &Path) -> Walk {
    let mut walk = Walk::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            walk.skipped.push((dir, Skip::Unreadable));
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_document(&path) {
                walk.documents.push(path);
            } else if has_document_extension(&path) {
                walk.skipped.push((path, Skip::Notes));
            } else {
                walk.skipped.push((path, Skip::NotADocument));
            }
        }
    }
    walk.documents.sort();
    walk.skipped.sort();
    walk
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
        assert!(!is_document(Path::new("a/SOURCES.md")));
        assert!(!is_document(Path::new("a/INDEX.tsv")));
        assert!(!is_document(Path::new("a/expect.toml")));
    }
}
