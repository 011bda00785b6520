//! Where a Markdown window may end: at the start of a line after a blank line.

/// Reads Markdown line by line.
#[derive(Debug)]
pub struct Cutter {
    /// Where the next line starts in the window's bytes.
    pos: usize,
    /// The 1-based line that starts at `pos`.
    line: usize,
    /// The line where the block being read began.
    block_line: usize,
    /// The line before was blank.
    after_blank: bool,
    /// The line at `pos` has been looked at as a possible boundary.
    begun: bool,
    /// How far the line at `pos` has been searched.
    searched: usize,
}

impl Default for Cutter {
    fn default() -> Self {
        Cutter {
            pos: 0,
            line: 1,
            block_line: 1,
            after_blank: false,
            begun: false,
            searched: 0,
        }
    }
}

impl Cutter {
    /// See `Cutter::scan` in the parent module.
    pub fn scan(&mut self, buf: &[u8], min: usize, eof: bool) -> Option<usize> {
        while self.pos < buf.len() {
            let rest = &buf[self.pos..];
            if !self.begun {
                // A line is known to be blank or not by its first byte past its indent.
                let from = self.searched.max(self.pos) - self.pos;
                let Some(first) = rest[from..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t'))
                    .map(|k| from + k)
                else {
                    self.searched = buf.len();
                    if !eof {
                        return None;
                    }
                    break;
                };
                let blank = matches!(rest[first], b'\r' | b'\n');
                if !blank && self.after_blank && self.pos > 0 {
                    if self.pos >= min {
                        return Some(self.pos);
                    }
                    self.block_line = self.line;
                }
                self.after_blank = blank;
                self.begun = true;
            }
            // Searched once: a long line comes in many reads.
            let from = self.searched.max(self.pos) - self.pos;
            let len = match memchr::memchr(b'\n', &rest[from..]) {
                Some(k) => from + k + 1,
                None if eof => rest.len(),
                None => {
                    self.searched = buf.len();
                    return None;
                }
            };
            self.begun = false;
            self.pos += len;
            self.line += 1;
        }
        None
    }

    /// See `Cutter::cut` in the parent module.
    pub fn cut(&mut self, at: usize) {
        self.pos -= at;
        self.searched = self.searched.saturating_sub(at);
        self.block_line = self.line;
    }

    /// See `Cutter::block_line` in the parent module.
    pub fn block_line(&self) -> usize {
        self.block_line
    }
}
