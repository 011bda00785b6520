//! The library as README's "As a library" section uses it: any format from a string, a
//! chosen format from a stream, reports that print.

use dechaff::{Cleaner, Format, Options};
use std::path::Path;

fn seed(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/seeds")
        .join(name)
}

#[test]
fn any_format_from_a_string_and_from_a_stream() {
    let cleaner = Cleaner::new().unwrap();
    let path = seed("feedx-dw-2023.md");
    let page = std::fs::read_to_string(&path).unwrap();
    let cleaned = cleaner.clean_str(&page);
    for format in [
        Format::Markdown,
        Format::Html,
        Format::Text,
        Format::Json,
        Format::Source,
    ] {
        let mut streamed = Vec::new();
        let file = std::fs::File::open(&path).unwrap();
        let report = cleaner
            .clean_to(file, &mut streamed, format, &Options::default())
            .unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            cleaned.to(format),
            "{format:?}"
        );
        assert_eq!(report.outlet.as_deref(), Some("dw"));
    }
    assert!(
        cleaned
            .to(Format::Markdown)
            .starts_with("# [习近平会见俄总理")
    );
}

/// The writes a writer was given, each whole.
#[derive(Default)]
struct Writes(Vec<Vec<u8>>);

impl std::io::Write for Writes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push(buf.to_vec());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_streams_output_is_written_as_it_is_made_into_the_callers_buffer() {
    // No buffer of the library's own between the article and the writer: the caller's
    // (a BufWriter around a file) is the one the output goes through.
    let page = "<h1>Title</h1><p>One.</p><p>Two.</p><p>Three.</p>";
    for format in [Format::Markdown, Format::Html, Format::Text] {
        let mut writes = Writes::default();
        Cleaner::new()
            .unwrap()
            .clean_to(page.as_bytes(), &mut writes, format, &Options::default())
            .unwrap();
        assert!(writes.0.len() > 1, "{format:?}: one write of it all");
        let whole: Vec<u8> = writes.0.concat();
        let mut buffered = std::io::BufWriter::new(Vec::new());
        Cleaner::new()
            .unwrap()
            .clean_to(page.as_bytes(), &mut buffered, format, &Options::default())
            .unwrap();
        assert_eq!(buffered.buffer(), &[] as &[u8], "{format:?}: flushed");
        assert_eq!(buffered.get_ref(), &whole, "{format:?}");
    }
}

#[test]
fn reports_rule_hits_and_warnings_print() {
    let cleaner = Cleaner::new().unwrap();
    let page = std::fs::read_to_string(seed("feedx-dw-2023.md")).unwrap();
    let report = cleaner.clean_str(&page).report;
    let shown = report.to_string();
    assert!(shown.starts_with("family: feedx\noutlet: dw\n"), "{shown}");
    let hit = report
        .fired
        .iter()
        .find(|h| h.id == "feed-items/rss-footer")
        .unwrap();
    assert!(
        hit.to_string()
            .starts_with("feed-items/rss-footer (cut, rules/platforms/feed-items.toml:"),
        "{hit}"
    );
    assert!(shown.contains(&format!("{hit}\n")));
    let unknown = cleaner.clean_str("<p>x</p>").report;
    let warning = &unknown.warnings[0];
    assert_eq!(
        warning.to_string(),
        format!("warning[{}]: {}", warning.kind, warning.message)
    );
}
