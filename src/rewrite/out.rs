//! The rewriter's output bytes: what is settled, and the whitespace run at its end that a
//! removal joins with what follows, so that no blank line is left where an element stood.

use std::io::Write;

/// Output bytes whose trailing whitespace run can be joined with what follows, so that
/// whitespace on both sides of a removed element becomes one and no blank line is left
/// where it stood. The run is found when it is needed, by looking back from the end.
#[derive(Debug, Default)]
pub struct Out {
    pub buf: Vec<u8>,
    join_armed: bool,
}

pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Where the whitespace run at the end of `buf` starts.
fn trailing_run(buf: &[u8]) -> usize {
    buf.iter().rposition(|&b| !is_ws(b)).map_or(0, |p| p + 1)
}

impl Out {
    /// An output that writes into `buf`, an emptied buffer kept for reuse.
    pub fn with_buffer(buf: Vec<u8>) -> Out {
        debug_assert!(buf.is_empty());
        Out {
            buf,
            join_armed: false,
        }
    }

    pub fn append(&mut self, bytes: &[u8]) {
        if self.join_armed
            && let Some(first) = bytes.iter().position(|&b| !is_ws(b))
        {
            self.buf.extend_from_slice(&bytes[..first]);
            self.join_armed = false;
            let start = trailing_run(&self.buf);
            collapse_run(&mut self.buf, start);
            self.buf.extend_from_slice(&bytes[first..]);
            return;
        }
        self.buf.extend_from_slice(bytes);
    }

    pub fn arm_join(&mut self) {
        self.join_armed = true;
    }

    /// An element was removed here: the whitespace around it joins, and a space stays if
    /// the element stood between two words.
    pub fn removed_here(&mut self, keeps_space: bool) {
        if keeps_space {
            self.append(b" ");
        }
        self.arm_join();
    }

    pub fn join_armed(&self) -> bool {
        self.join_armed
    }

    /// Moves all but the pending whitespace run into `w`.
    pub fn flush_settled(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        let settled = trailing_run(&self.buf);
        w.write_all(&self.buf[..settled])?;
        self.buf.drain(..settled);
        Ok(())
    }
}

/// A whitespace run that holds a removal point and spans two or more line breaks becomes
/// the last line break and the indentation after it.
fn collapse_run(buf: &mut Vec<u8>, start: usize) {
    let start = start.min(buf.len());
    let run = &buf[start..];
    if run.iter().filter(|&&b| b == b'\n').count() >= 2 {
        let last = start + run.iter().rposition(|&b| b == b'\n').expect("counted");
        buf.drain(start..last);
    }
}

/// The length of the start tag that held markup begins with (0 if it does not).
pub fn start_tag_len(held: &[u8]) -> usize {
    if held.first() != Some(&b'<') {
        return 0;
    }
    let mut quote = None;
    for (i, &b) in held.iter().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    0
}

/// Whether held markup starts with an inline element's tag.
fn is_inline(held: &[u8]) -> bool {
    let Some(rest) = held.strip_prefix(b"<") else {
        return false;
    };
    let end = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    crate::html::INLINE
        .iter()
        .any(|t| rest[..end].eq_ignore_ascii_case(t.as_bytes()))
}

/// Whether removing `held`, an empty element, must leave a space: an inline element that
/// was empty but for a space separated two words (`BY<span> </span>lin` is `BY lin`).
pub fn removal_keeps_space(held: &[u8]) -> bool {
    is_inline(held)
        && (held.iter().any(|&b| is_ws(b) || b == 0xA0)
            || memchr::memmem::find(held, b"&nbsp;").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_collapses_a_line_left_blank() {
        let mut out = Out::default();
        out.append(b"</p>\n ");
        out.arm_join();
        out.append(b"\n");
        out.append(b"</div>");
        assert_eq!(out.buf, b"</p>\n</div>");
    }

    #[test]
    fn start_tags_are_measured_past_quoted_brackets() {
        assert_eq!(start_tag_len(b"<div title=\"a>b\" class=x>rest"), 25);
        assert_eq!(start_tag_len(b"text<div>"), 0);
        assert_eq!(start_tag_len(b"<div unterminated"), 0);
    }

    #[test]
    fn join_keeps_inline_spacing() {
        let mut out = Out::default();
        out.append(b"a ");
        out.arm_join();
        out.append(b" b");
        assert_eq!(out.buf, b"a  b");
    }

    #[test]
    fn unarmed_runs_are_untouched() {
        let mut out = Out::default();
        out.append(b"a\n\n\n");
        out.append(b"b");
        assert_eq!(out.buf, b"a\n\n\nb");
    }
}
