//! Input encodings. Output is always UTF-8: a byte-order mark or a declaration
//! (`<meta charset>`, `http-equiv`, `<?xml encoding>`) names the input's encoding; without
//! one, UTF-8 is assumed, and bytes that are not UTF-8 become U+FFFD with a warning.

use crate::report::Warning;
use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How far into a document a declaration is looked for (HTML says 1024 bytes; mirrors put
/// front matter first).
const DECLARATION_WINDOW: usize = 4096;

static DECLARATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)|<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_:.\-]+)"#)
        .expect("valid regex")
});

/// The encoding a document declares, with where its label is, if it declares one.
fn declared(head: &[u8]) -> Option<(&'static Encoding, std::ops::Range<usize>)> {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return Some((encoding, 0..0));
    }
    let window = &head[..head.len().min(DECLARATION_WINDOW)];
    let caps = DECLARATION.captures(window)?;
    let label = caps.get(1).or_else(|| caps.get(2))?;
    Encoding::for_label(label.as_bytes()).map(|e| (e.output_encoding(), label.range()))
}

/// The encoding to read a document's bytes as, judging by its head.
pub fn of(head: &[u8]) -> &'static Encoding {
    declared(head).map_or(UTF_8, |(e, _)| e)
}

/// The document as text, and what the reader should know about how it was read.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Vec<Warning>) {
    let mut warnings = Vec::new();
    match declared(bytes) {
        Some((encoding, label)) if encoding != UTF_8 => {
            let (text, _, had_errors) = encoding.decode(bytes);
            warnings.push(Warning::new(
                "transcoded",
                format!("read as {}, written as UTF-8", encoding.name()),
            ));
            if had_errors {
                warnings.push(invalid(encoding.name()));
            }
            // The output is UTF-8: its declaration must say so.
            let text = if label.is_empty() {
                text
            } else {
                let prefix = std::str::from_utf8(&bytes[..label.start]).ok();
                match prefix {
                    Some(p) if text.starts_with(p) => {
                        let rest = &text[p.len() + label.len()..];
                        Cow::Owned(format!("{p}utf-8{rest}"))
                    }
                    _ => text,
                }
            };
            (text, warnings)
        }
        Some((_, label)) if label.is_empty() && bytes.starts_with(b"\xEF\xBB\xBF") => {
            // A UTF-8 byte-order mark says nothing the output needs.
            decode_utf8(&bytes[3..], &mut warnings)
        }
        _ => decode_utf8(bytes, &mut warnings),
    }
}

fn decode_utf8<'a>(bytes: &'a [u8], warnings: &mut Vec<Warning>) -> (Cow<'a, str>, Vec<Warning>) {
    let text = crate::report::utf8(bytes);
    if matches!(text, Cow::Owned(_)) {
        warnings.push(invalid("UTF-8"));
    }
    (text, std::mem::take(warnings))
}

fn invalid(encoding: &str) -> Warning {
    Warning::new(
        "invalid-bytes",
        format!("the input is not valid {encoding}: invalid bytes became U+FFFD"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_gbk_and_big5_become_utf8() {
        let (gbk, _, _) = encoding_rs::GBK
            .encode("<html><head><meta charset=\"gbk\"></head><body><p>中文新闻</p></body></html>");
        let (text, warnings) = decode(&gbk);
        assert_eq!(
            text,
            "<html><head><meta charset=\"utf-8\"></head><body><p>中文新闻</p></body></html>"
        );
        assert_eq!(warnings[0].kind, "transcoded");
        let (big5, _, _) = encoding_rs::BIG5.encode(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"><p>中文新聞</p>",
        );
        assert_eq!(
            decode(&big5).0,
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><p>中文新聞</p>"
        );
        let (gb, _, _) =
            encoding_rs::GB18030.encode("<?xml version=\"1.0\" encoding=\"gb18030\"?><p>中文</p>");
        assert_eq!(
            decode(&gb).0,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><p>中文</p>"
        );
    }

    #[test]
    fn byte_order_marks_are_honoured() {
        assert_eq!(decode(b"\xEF\xBB\xBF<p>x</p>").0, "<p>x</p>");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<p>中</p>".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).0, "<p>中</p>");
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_warning() {
        let (text, warnings) = decode(b"<p>ok \xFF\xFE bad</p>");
        assert_eq!(text, "<p>ok \u{FFFD}\u{FFFD} bad</p>");
        assert_eq!(warnings[0].kind, "invalid-bytes");
        assert!(decode("<p>好</p>".as_bytes()).1.is_empty());
    }
}
