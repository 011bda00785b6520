//! Helpers that several test files share (`mod common;`).

use dechaff::{InputFormat, Options};
use std::path::Path;

/// The options a fixture document is cleaned with, as `dechaff rules test` cleans it: HTML
/// for `.html` and `.htm`, Markdown otherwise.
pub fn options_for(path: &Path) -> Options {
    let html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm"));
    Options {
        format: Some(if html {
            InputFormat::Html
        } else {
            InputFormat::Markdown
        }),
        ..Options::default()
    }
}
