//! Bad, odd and hostile input: the run never panics, memory stays bounded, and what the
//! user gave us is never lost or half written.

use dechaff::{Cleaner, Format, InputFormat, Options};
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().unwrap())
}

fn html() -> Options {
    Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    }
}

fn dechaff(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dechaff"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin_pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin_pipe.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

#[test]
fn gbk_big5_and_boms_come_out_as_utf8() {
    let page = "<html><head><meta charset=\"gbk\"></head><body><p>中文新闻正文。</p><script>x()</script></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(page);
    let out = dechaff(&["-q", "--to", "source", "--from", "html"], &gbk);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert_eq!(
        text,
        "<html><head><meta charset=\"utf-8\"></head><body><p>中文新闻正文。</p></body></html>"
    );
    let (big5, _, _) = encoding_rs::BIG5.encode(
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"><p>中文新聞</p>",
    );
    let cleaned = cleaner().clean_bytes(&big5, &html()).unwrap();
    assert!(cleaned.text.contains("<p>中文新聞</p>") && cleaned.text.contains("charset=utf-8"));
    assert_eq!(cleaned.report.warnings[0].kind, "transcoded");
}

#[test]
fn a_large_gbk_stream_is_transcoded_on_the_way() {
    let piece = "<p>中文新闻段落，足够长的一段正文。</p><div class=\"banner-ads\">广告</div>\n";
    let page = format!(
        "<html><head><meta charset=\"gb2312\"></head><body>{}</body></html>",
        piece.repeat(30_000)
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    assert!(gbk.len() > 2 << 20);
    let mut out = Vec::new();
    let report = cleaner().clean(&gbk[..], &mut out, &html()).unwrap();
    let text = String::from_utf8(out).expect("UTF-8 output");
    assert_eq!(
        text.matches("<p>中文新闻段落，足够长的一段正文。</p>")
            .count(),
        30_000
    );
    assert!(!text.contains("广告"));
    assert!(report.warnings.iter().any(|w| w.kind == "transcoded"));
}

#[test]
fn invalid_bytes_become_replacement_characters_with_a_warning() {
    let cleaned = cleaner()
        .clean_bytes(b"<p>ok \xC3\x28 \xFF</p>", &html())
        .unwrap();
    assert_eq!(cleaned.text, "<p>ok \u{FFFD}( \u{FFFD}</p>");
    assert_eq!(cleaned.report.warnings[0].kind, "invalid-bytes");
}

#[test]
fn empty_input_is_an_empty_document() {
    for to in ["source", "markdown", "html", "text"] {
        let out = dechaff(&["-q", "--to", to], b"");
        assert_eq!(out.status.code(), Some(0), "{to}");
        assert_eq!(out.stdout, b"", "{to}");
    }
    let out = dechaff(&["-q", "--to", "json"], b"");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["content"], "");
}

#[test]
fn a_ten_megabyte_line() {
    let line = format!(
        "<div><p>{}</p><span class=x>{}</span></div>",
        "字".repeat(2_500_000),
        "a b ".repeat(1_000_000)
    );
    assert!(line.len() > 10 << 20);
    let out = dechaff(&["-q", "--to", "source", "--from", "html"], line.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout.len(), line.len());
}

#[test]
fn a_hundred_thousand_nested_elements() {
    let deep = format!(
        "{}<p>bottom</p>{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let cleaned = cleaner().clean_str_with(&deep, &html()).unwrap();
    assert!(cleaned.text.contains("<p>bottom</p>"));
    for format in [Format::Markdown, Format::Html, Format::Text] {
        assert!(cleaned.to(format).contains("bottom"), "{format:?}");
    }
    let unclosed = format!("{}<p>still here</p>", "<div>".repeat(200_000));
    let cleaned = cleaner().clean_str_with(&unclosed, &html()).unwrap();
    assert!(cleaned.text.contains("still here"));
}

/// Each break is read once, however many follow it: in a table (whose cell the breaks do
/// not part) as outside one.
#[test]
fn two_hundred_thousand_line_breaks() {
    for page in [
        format!(
            "<table><tr><td>a{}b</td></tr></table>",
            "<br>".repeat(200_000)
        ),
        format!("<p>{}</p>", "x<br><br>".repeat(100_000)),
    ] {
        let cleaned = cleaner().clean_str_with(&page, &html()).unwrap();
        assert_eq!(cleaned.text, page);
        assert!(cleaned.to(Format::Text).trim_end().ends_with(['b', 'x']));
    }
}

/// A Markdown line opening many comments that end on it is searched for their end once.
#[test]
fn a_line_of_a_hundred_thousand_comments() {
    let doc = format!(
        "{}-->\n\n<div>\n<p>article</p>\n</div>\n",
        "<!-- a ".repeat(100_000)
    );
    let markdown = Options {
        format: Some(dechaff::InputFormat::Markdown),
        ..Options::default()
    };
    let cleaned = cleaner().clean_str_with(&doc, &markdown).unwrap();
    assert_eq!(cleaned.to(Format::Text), "article\n");
}

#[test]
fn binary_junk_and_nul_bytes() {
    let mut junk: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    junk.extend_from_slice(b"\0<p>\0text\0</p>\0<!--\0-->\x01\x02");
    for args in [
        &["-q", "--to", "source"][..],
        &["-q"],
        &["-q", "--to", "html"],
        &["-q", "--from", "html", "--to", "json"],
    ] {
        let out = dechaff(args, &junk);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8(out.stdout).is_ok(),
            "{args:?}: output is UTF-8"
        );
    }
}

#[test]
fn in_place_replaces_each_file_whole_and_reports_the_ones_it_cannot() {
    let dir = std::env::temp_dir().join(format!("dechaff-inplace-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.html");
    std::fs::write(&page, "<p>Text.</p><script>x()</script>").unwrap();
    let note = dir.join("note.md");
    std::fs::write(&note, "Note.\n").unwrap();
    let missing = dir.join("missing.md");
    let out = Command::new(env!("CARGO_BIN_EXE_dechaff"))
        .args([
            "-q",
            "--in-place",
            page.to_str().unwrap(),
            missing.to_str().unwrap(),
            note.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.md: cannot read"));
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        "<p>Text.</p>",
        "the input's own format"
    );
    assert_eq!(std::fs::read_to_string(&note).unwrap(), "Note.\n");
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_dechaff"))
        .args(["--in-place"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
