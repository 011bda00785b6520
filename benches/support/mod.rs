//! What the benchmarks and `examples/bare_pass.rs` share: the documents of a tree as a
//! tree run finds them, and the options the command line cleans them with.

use dechaff::{InputFormat, Options};
use std::path::{Path, PathBuf};

/// Every document under `root`, sorted: `.md`, `.markdown`, `.html` and `.htm` files, not
/// a tree's own notes (`SOURCES.md`, all capitals), as `dechaff DIR -o OUT` picks them.
pub fn documents_under(root: &Path) -> Vec<PathBuf> {
    let mut documents = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if format_of(&path).is_some() && !is_notes(&path) {
                documents.push(path);
            }
        }
    }
    documents.sort();
    documents
}

fn is_notes(path: &Path) -> bool {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
}

fn format_of(path: &Path) -> Option<InputFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" => Some(InputFormat::Markdown),
        "html" | "htm" => Some(InputFormat::Html),
        _ => None,
    }
}

/// The options the command line cleans a document with when it shows no report (`--to
/// source`, `--to markdown`): the format from the extension, no previews.
pub fn cli_options_for(path: &Path) -> Options {
    Options {
        format: Some(format_of(path).unwrap_or(InputFormat::Markdown)),
        skip_previews: true,
        ..Options::default()
    }
}
