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
    // A declaration starts `<meta` or `<?xml`: the regex is compiled only for a head that
    // may hold one.
    if !crate::text::tag_may_start(window, b"mM?") {
        return None;
    }
    let caps = DECLARATION.captures(window)?;
    let label = caps.get(1).or_else(|| caps.get(2))?;
    Encoding::for_label(label.as_bytes()).map(|e| (e.output_encoding(), label.range()))
}

/// The encoding to read a document's bytes as, judging by its head.
pub fn of(head: &[u8]) -> &'static Encoding {
    declared(head).map_or(UTF_8, |(e, _)| e)
}

/// Where in `head` the label of a declared encoding other than UTF-8 is: a stream read in
/// it is written as UTF-8, so its declaration must say `utf-8` (as [`decode`] makes it
/// say for a document held whole).
pub fn label_to_rewrite(head: &[u8]) -> Option<std::ops::Range<usize>> {
    declared(head)
        .filter(|(encoding, label)| *encoding != UTF_8 && !label.is_empty())
        .map(|(_, label)| label)
}

/// The document as text, and what the reader should know about how it was read.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Vec<Warning>) {
    let mut warnings = Vec::new();
    match declared(bytes) {
        Some((encoding, label)) if encoding != UTF_8 => {
            let (text, _, had_errors) = encoding.decode(bytes);
            warnings.push(transcoded(encoding.name()));
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

/// The warning that a document in `encoding` was written as UTF-8.
pub(crate) fn transcoded(encoding: &str) -> Warning {
    Warning::new(
        "transcoded",
        format!("read as {encoding}, written as UTF-8"),
    )
}

pub(crate) fn invalid(encoding: &str) -> Warning {
    Warning::new(
        "invalid-bytes",
        format!("the input is not valid {encoding}: invalid bytes became U+FFFD"),
    )
}

/// Reads a stream in `encoding` (a byte-order mark overrides it) and gives UTF-8: what
/// [`decode`] does for a document held whole, for one streamed. Whether any bytes were
/// invalid (and became U+FFFD), and in what encoding, is known once it has been read to
/// the end: see `invalid`.
pub struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_at: usize,
    out: Vec<u8>,
    out_at: usize,
    /// `inner` has ended.
    eof: bool,
    /// The decoder has been told the input ended, and has said all it had.
    done: bool,
    invalid: Invalid,
}

/// The encoding a stream's invalid bytes were read in, once one was.
pub type Invalid = std::rc::Rc<std::cell::Cell<Option<&'static Encoding>>>;

impl<R: std::io::Read> Decoding<R> {
    const RAW: usize = 16 << 10;
    /// Room for what a full raw buffer decodes to, whatever the encoding.
    const OUT: usize = 3 * Self::RAW + 16;

    /// A reader of `inner` in `encoding`.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        Decoding {
            inner,
            decoder: encoding.new_decoder(),
            raw: Vec::with_capacity(Self::RAW),
            raw_at: 0,
            out: Vec::with_capacity(Self::OUT),
            out_at: 0,
            eof: false,
            done: false,
            invalid: Default::default(),
        }
    }

    /// Set to the encoding read (the one given, unless a byte-order mark named another)
    /// once invalid bytes have been read.
    pub fn invalid(&self) -> Invalid {
        self.invalid.clone()
    }
}

impl<R: std::io::Read> std::io::Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_at < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_at);
                buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
                self.out_at += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.raw_at == self.raw.len() && !self.eof {
                self.raw.resize(Self::RAW, 0);
                let n = loop {
                    match self.inner.read(&mut self.raw) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        other => break other,
                    }
                };
                let n = n.inspect_err(|_| self.raw.clear())?;
                self.raw.truncate(n);
                self.raw_at = 0;
                self.eof = n == 0;
            }
            self.out.resize(Self::OUT, 0);
            let (result, read, written, replaced) =
                self.decoder
                    .decode_to_utf8(&self.raw[self.raw_at..], &mut self.out, self.eof);
            self.raw_at += read;
            self.out.truncate(written);
            self.out_at = 0;
            if replaced {
                self.invalid.set(Some(self.decoder.encoding()));
            }
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte at a time: every character and sequence is cut.
    struct Bytewise<'a>(&'a [u8]);

    impl std::io::Read for Bytewise<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn a_stream_decodes_as_a_whole_document_does_and_says_when_bytes_were_invalid() {
        use std::io::Read;
        let cases: [(&[u8], &'static Encoding, &str, Option<&str>); 5] = [
            ("新闻 news".as_bytes(), UTF_8, "新闻 news", None),
            (
                b"a\xe6\x96b\xff",
                UTF_8,
                "a\u{FFFD}b\u{FFFD}",
                Some("UTF-8"),
            ),
            (b"\xd0\xc2\xce\xc5", encoding_rs::GBK, "新闻", None),
            (
                b"\xd0\xc2\x81\x20",
                encoding_rs::GBK,
                "新\u{FFFD} ",
                Some("GBK"),
            ),
            // A byte-order mark names the encoding, and goes.
            (b"\xef\xbb\xbfok", encoding_rs::GBK, "ok", None),
        ];
        for (input, encoding, text, invalid) in cases {
            let mut reader = Decoding::new(Bytewise(input), encoding);
            let flag = reader.invalid();
            let mut out = String::new();
            reader.read_to_string(&mut out).unwrap();
            assert_eq!(out, text, "{input:?}");
            assert_eq!(flag.get().map(|e| e.name()), invalid, "{input:?}");
        }
    }

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
