//! Cuts a document too large to clean whole into windows, each ending between two blocks,
//! so that each can be cleaned by the whole-document machinery in bounded memory.
//!
//! The input is read once, in order; at most `size + max_block` bytes of it are held. A
//! window closes at the first block boundary at or past `size` bytes; one that finds no
//! boundary before `size + max_block` bytes is a block too large to clean
//! ([`Error::BlockTooLarge`]). What counts as a boundary is the format's: see
//! [`markdown`] and [`html`].

mod html;
mod markdown;
mod tags;

use crate::error::Error;
use crate::rules::InputFormat;
use std::io::BufRead;

/// Which edges of its document a window holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edges {
    /// The window begins where the document begins.
    pub start: bool,
    /// The window ends where the document ends.
    pub end: bool,
}

/// One piece of a document too large to clean whole, cut between two blocks.
#[derive(Debug)]
pub struct Window {
    /// The window's text: the input's bytes, and for HTML the start tags of the elements
    /// open where it begins, in front, and the end tags of those open where it ends, after.
    pub text: String,
    /// Which edges of the document it holds.
    pub edges: Edges,
}

/// The format's reading of the bytes: where a window may end.
enum Cutter {
    Markdown(markdown::Cutter),
    Html(html::Cutter),
}

impl Cutter {
    /// Reads on from where it stopped in `buf` (the bytes of the window so far) and returns
    /// the first boundary at or past `min`, or `None` when it needs more bytes (or, at
    /// `eof`, when there is none). `full`: the window can take no more bytes, so whatever
    /// was put off until more came is read now.
    fn scan(&mut self, buf: &[u8], min: usize, eof: bool, full: bool) -> Option<usize> {
        match self {
            Cutter::Markdown(c) => c.scan(buf, min, eof),
            Cutter::Html(c) => c.scan(buf, min, eof, full),
        }
    }

    /// The window ended at `at`, the first `at` bytes of `buf` are gone: positions move.
    fn cut(&mut self, at: usize) {
        match self {
            Cutter::Markdown(c) => c.cut(at),
            Cutter::Html(c) => c.cut(at),
        }
    }

    /// The 1-based line where the block being read began.
    fn block_line(&self) -> usize {
        match self {
            Cutter::Markdown(c) => c.block_line(),
            Cutter::Html(c) => c.block_line(),
        }
    }

    /// What goes around the cut: the end tags that close the window before it, and the
    /// start tags that open the window after it.
    fn carried(&self) -> (String, String) {
        match self {
            Cutter::Markdown(_) => (String::new(), String::new()),
            Cutter::Html(c) => c.carried(),
        }
    }
}

/// Cuts decoded text read from `input` into windows of about `size` bytes (never more than
/// `size + max_block`, besides the tags carried over a cut), each ending at a block
/// boundary.
pub struct Windows<R> {
    input: R,
    size: usize,
    max_block: usize,
    cutter: Cutter,
    /// The bytes read and not yet given out; the current window starts at `buf[0]`.
    buf: Vec<u8>,
    /// Start tags that open the next window.
    prefix: String,
    /// Nothing given out yet.
    first: bool,
    /// The last window was given out, or an error.
    done: bool,
    eof: bool,
    #[cfg(test)]
    carried_lens: (usize, usize),
}

impl<R: BufRead> Windows<R> {
    /// Windows of `input` in `format`, of about `size` bytes; a block longer than
    /// `max_block` where a window should end is an error.
    pub fn new(input: R, format: InputFormat, size: usize, max_block: usize) -> Self {
        let size = size.max(1);
        let cutter = match format {
            InputFormat::Markdown => Cutter::Markdown(markdown::Cutter::default()),
            InputFormat::Html => Cutter::Html(html::Cutter::new(max_block)),
        };
        Windows {
            input,
            size,
            max_block,
            cutter,
            buf: Vec::new(),
            prefix: String::new(),
            first: true,
            done: false,
            eof: false,
            #[cfg(test)]
            carried_lens: (0, 0),
        }
    }

    /// The most bytes a window may hold.
    fn limit(&self) -> usize {
        self.size.saturating_add(self.max_block)
    }

    /// Reads more input into `buf`, never past one byte over the limit.
    fn fill(&mut self) -> Result<(), Error> {
        let room = (self.limit() + 1).saturating_sub(self.buf.len()).max(1);
        let chunk = loop {
            match self.input.fill_buf() {
                Ok(chunk) => break chunk,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::Io(e)),
            }
        };
        if chunk.is_empty() {
            self.eof = true;
            return Ok(());
        }
        let n = chunk.len().min(room);
        self.buf.extend_from_slice(&chunk[..n]);
        self.input.consume(n);
        Ok(())
    }

    /// The next window, or what stopped it.
    fn next_window(&mut self) -> Result<Window, Error> {
        loop {
            let full = self.buf.len() > self.limit();
            if let Some(at) = self.cutter.scan(&self.buf, self.size, self.eof, full) {
                let (suffix, prefix) = self.cutter.carried();
                let window = self.give(at, &suffix, false);
                self.cutter.cut(at);
                self.prefix = prefix;
                return Ok(window);
            }
            if self.eof {
                self.done = true;
                let at = self.buf.len();
                return Ok(self.give(at, "", true));
            }
            if full {
                self.done = true;
                return Err(Error::BlockTooLarge {
                    limit: self.max_block,
                    line: self.cutter.block_line(),
                });
            }
            self.fill()?;
        }
    }

    /// The window of `buf[..at]`, the carried tags around it.
    fn give(&mut self, at: usize, suffix: &str, end: bool) -> Window {
        let prefix = std::mem::take(&mut self.prefix);
        let mut text = String::with_capacity(prefix.len() + at + suffix.len());
        text.push_str(&prefix);
        text.push_str(&String::from_utf8_lossy(&self.buf[..at]));
        text.push_str(suffix);
        self.buf.drain(..at);
        #[cfg(test)]
        {
            self.carried_lens = (prefix.len(), suffix.len());
        }
        let edges = Edges {
            start: self.first,
            end,
        };
        self.first = false;
        Window { text, edges }
    }
}

impl<R: BufRead> Iterator for Windows<R> {
    type Item = Result<Window, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = self.next_window();
        if result.is_err() {
            self.done = true;
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests;
