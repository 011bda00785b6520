//! Where a rendered article goes: a string it is held in, or a writer it is handed to as it
//! is made (then no copy of the whole article is held beside its tree).

use super::blocks::{self, THEMATIC_BREAK};
use std::io::Write;

/// What an article is written into, a piece at a time.
pub(crate) trait Out {
    /// Appends `s`.
    fn put(&mut self, s: &str);
}

impl Out for String {
    fn put(&mut self, s: &str) {
        put(self, s);
    }
}

/// Appends `s` to `out`, an article being written: grown by a quarter, not twice its
/// size, when it is full (the room to spare is held beside the article's tree).
pub(crate) fn put(out: &mut String, s: &str) {
    if out.capacity() - out.len() < s.len() {
        out.reserve_exact(s.len().max(out.len() / 4).max(64));
    }
    out.push_str(s);
}

/// A writer an article is handed to as it is made; the first error it gave is kept, and
/// nothing more is written after it.
pub(crate) struct Writing<W: Write> {
    writer: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Writing<W> {
    pub(crate) fn new(writer: W) -> Writing<W> {
        Writing {
            writer,
            error: None,
        }
    }

    /// Flushes the writer; the first error met while writing, if any.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        match self.error.take() {
            Some(e) => Err(e),
            None => self.writer.flush(),
        }
    }
}

impl<W: Write> Out for Writing<W> {
    fn put(&mut self, s: &str) {
        if self.error.is_none()
            && let Err(e) = self.writer.write_all(s.as_bytes())
        {
            self.error = Some(e);
        }
    }
}

/// An article's blocks written as they come, a blank line between two, a line break
/// after the last.
pub(crate) struct Joined<O: Out> {
    out: O,
    /// Blocks written (a block may be empty: a table of one empty cell as text).
    written: usize,
    /// Markdown: blank blocks are left out, and a thematic break that ends the article, or
    /// stands next to another, separated something a rule removed (as in the Markdown
    /// source stage): one is held until a block follows it.
    markdown: bool,
    held_break: bool,
    /// A block written, emptied: the next is made in it (see [`blocks::Blocks::spare`]).
    spare: String,
}

impl<O: Out> Joined<O> {
    /// Markdown blocks into `out`.
    pub(crate) fn markdown(out: O) -> Joined<O> {
        Joined {
            out,
            written: 0,
            markdown: true,
            held_break: false,
            spare: String::new(),
        }
    }

    /// Plain text blocks into `out`.
    pub(crate) fn text(out: O) -> Joined<O> {
        Joined {
            markdown: false,
            ..Joined::markdown(out)
        }
    }

    fn write(&mut self, block: &str) {
        if self.written > 0 {
            self.out.put("\n\n");
        }
        self.out.put(block);
        self.written += 1;
    }

    /// The article written: its last line ended.
    pub(crate) fn finish(mut self) -> O {
        if self.written > 0 {
            self.out.put("\n");
        }
        self.out
    }
}

impl<O: Out> blocks::Blocks for Joined<O> {
    fn push(&mut self, block: String) {
        if self.markdown {
            if block.trim().is_empty() {
                return self.give_back(block);
            }
            if block == THEMATIC_BREAK {
                self.held_break = true;
                return self.give_back(block);
            }
            if std::mem::take(&mut self.held_break) {
                self.write(THEMATIC_BREAK);
            }
        }
        self.write(&block);
        self.give_back(block);
    }

    fn spare(&mut self) -> String {
        std::mem::take(&mut self.spare)
    }

    /// The larger of `buffer` and the spare one is kept.
    fn give_back(&mut self, buffer: String) {
        if buffer.capacity() > self.spare.capacity() {
            self.spare = buffer;
        }
    }
}
