//! Where an HTML window may end: after the end tag of a block (`</p>`, `</div>`, `</li>`,
//! `</h2>`, `</table>`, …), at the next text or tag that is not an end tag, never inside
//! a tag, a comment, a text-only element (`<script>`, `<style>`, `<title>`, …) or an
//! element whose content is not blocks (`<pre>`, `<svg>`, …). The elements open at the cut
//! are closed at the end of the window before and opened again, with their start tags as
//! written, at the start of the window after, so that each window is a well-formed piece
//! whose elements the rules' selectors still match.
//!
//! A cut is made only where every open element's start tag is known: at most
//! [`super::tags::MAX_DEPTH`] of them, taking together at most `max_block` bytes.

use super::tags::{Reader, Step};

/// Reads HTML token by token.
#[derive(Debug)]
pub struct Cutter {
    reader: Reader,
    /// Where reading goes on in the window's bytes.
    pos: usize,
    /// The 1-based line at `pos`.
    line: usize,
    /// The line where the block being read began.
    block_line: usize,
    /// The last token was the end tag of a block and a cut may follow it.
    after_block: bool,
}

impl Cutter {
    /// A cutter that carries at most `budget` bytes of start tags over a cut.
    pub fn new(budget: usize) -> Self {
        Cutter {
            reader: Reader::new(budget),
            pos: 0,
            line: 1,
            block_line: 1,
            after_block: false,
        }
    }

    /// Moves on by `n` bytes of `buf`, counting lines.
    fn advance(&mut self, buf: &[u8], n: usize) {
        self.line += memchr::memchr_iter(b'\n', &buf[self.pos..self.pos + n]).count();
        self.pos += n;
    }

    /// See `Cutter::scan` in the parent module.
    pub fn scan(&mut self, buf: &[u8], min: usize, eof: bool, full: bool) -> Option<usize> {
        while self.pos < buf.len() {
            if self.after_block {
                let rest = &buf[self.pos..];
                let Some(k) = rest.iter().position(|&b| !crate::tokenizer::is_space(b)) else {
                    self.advance(buf, rest.len());
                    return None;
                };
                self.advance(buf, k);
                let rest = &buf[self.pos..];
                if (rest == b"<" || rest == b"</") && !eof {
                    return None;
                }
                // An end tag is read first: a cut falls after the last of a run of them.
                // Only `</` and a letter begins one: `</<p>` and `</ p>` are bogus comments,
                // `</>` is nothing, and a cut may fall before them.
                let end_tag =
                    rest.starts_with(b"</") && rest.get(2).is_some_and(u8::is_ascii_alphabetic);
                if !end_tag {
                    self.after_block = false;
                    if self.pos >= min {
                        return Some(self.pos);
                    }
                    self.block_line = self.line;
                }
            }
            let step = self.reader.step(&buf[self.pos..], eof, full);
            match step {
                Step::More => return None,
                Step::Text(n) => self.advance(buf, n),
                Step::Tag(n) => {
                    self.after_block = false;
                    self.advance(buf, n);
                }
                Step::BlockEnd(n) => {
                    self.after_block = self.reader.stack.cuttable();
                    self.advance(buf, n);
                }
            }
        }
        None
    }

    /// See `Cutter::cut` in the parent module.
    pub fn cut(&mut self, at: usize) {
        self.pos -= at;
        self.block_line = self.line;
    }

    /// See `Cutter::block_line` in the parent module.
    pub fn block_line(&self) -> usize {
        self.block_line
    }

    /// The end tags that close the window before a cut and the start tags that open the
    /// one after it.
    pub fn carried(&self) -> (String, String) {
        self.reader.stack.carried()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where `html` is cut with windows of `min` bytes, and what is carried at each cut.
    fn cuts(html: &str, min: usize) -> Vec<(usize, (String, String))> {
        let mut cutter = Cutter::new(1 << 20);
        let mut buf = html.as_bytes();
        let mut out = Vec::new();
        let mut base = 0;
        while let Some(at) = cutter.scan(buf, min, true, false) {
            out.push((base + at, cutter.carried()));
            cutter.cut(at);
            buf = &buf[at..];
            base += at;
        }
        out
    }

    #[test]
    fn cuts_after_block_end_tags_carrying_the_open_elements() {
        let html = "<body class=b><div id=x><p>One</p>\n<p>Two</p></div><p>Three</p>";
        let carried = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            cuts(html, 1),
            [
                (35, carried("</div></body>", "<body class=b><div id=x>")),
                (51, carried("</body>", "<body class=b>")),
            ]
        );
    }

    #[test]
    fn a_bogus_comment_after_a_block_is_no_end_tag_to_read_past() {
        // `</<div …>` is a comment that ends at its first `>`, not an end tag: the cut
        // falls before it, right after the block's end tag.
        for html in [
            "<p>a</p></<div class='a>b'>c",
            "<p>a</p></ p>b",
            "<p>a</p></>b",
        ] {
            let at: Vec<usize> = cuts(html, 1).into_iter().map(|(at, _)| at).collect();
            assert_eq!(at, [8], "{html}");
        }
    }

    #[test]
    fn no_cut_inside_text_only_elements_comments_or_pre() {
        let html = "<p>a</p><script>x</p>y</script><!-- </p>z --><pre><p>b</p>c</pre>d";
        let at: Vec<usize> = cuts(html, 1).into_iter().map(|(at, _)| at).collect();
        // After the first `</p>` (at the script), and after `</pre>`.
        assert_eq!(at, [8, html.len() - 1]);
    }
}
