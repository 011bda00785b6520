//! Which files under a directory are documents.

use std::path::{Path, PathBuf};

/// Whether a file is a document: `.md`, `.html` or `.htm`, and not a tree's own notes
/// (`README.md`, `SOURCES.md`: all-capital names).
pub fn is_document(path: &Path) -> bool {
    let ext_ok = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "md" | "markdown" | "html" | "htm"
        )
    });
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let notes = !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-');
    ext_ok && !notes
}

/// Every document under `root`, sorted.
pub fn documents_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_document(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
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
