//! Where an HTML window may end: for now, as Markdown, at a line after a blank line.

/// Reads HTML.
#[derive(Debug, Default)]
pub struct Cutter {
    lines: super::markdown::Cutter,
}

impl Cutter {
    /// A cutter that carries at most `budget` bytes of start tags over a cut.
    pub fn new(_budget: usize) -> Self {
        Cutter::default()
    }

    /// See `Cutter::scan` in the parent module.
    pub fn scan(&mut self, buf: &[u8], min: usize, eof: bool) -> Option<usize> {
        self.lines.scan(buf, min, eof)
    }

    /// See `Cutter::cut` in the parent module.
    pub fn cut(&mut self, at: usize) {
        self.lines.cut(at)
    }

    /// See `Cutter::block_line` in the parent module.
    pub fn block_line(&self) -> usize {
        self.lines.block_line()
    }

    /// The end tags that close the window before a cut and the start tags that open the
    /// one after it.
    pub fn carried(&self) -> (String, String) {
        (String::new(), String::new())
    }
}
