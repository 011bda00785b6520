//! Metadata lines: lines of a document that state facts about the article rather than tell
//! it — the mirror's source line with the original's address, a link to the
//! original-language version, a short URL, a feed's author and date line. Rules of the
//! `metadata` action say which lines they are and which fields they feed (rule data, never
//! code); here the article tree is read as blocks of lines, the rules are matched, the
//! fields captured and, for Markdown, HTML and text, the lines taken out of the body.
//! `--to source` keeps them where they stand.
//!
//! A block is an element that holds no other block, or a run of inline content beside
//! blocks; its lines are what `<br>` separates. A rule's pattern is searched in the block's
//! text (entities decoded, whitespace folded, lines joined by `\n`); the lines its match
//! touches are the metadata lines.
//!
//! Two stages, a module each: [`read`] (the rules matched, the fields captured) and
//! [`remove`] (the lines taken out), over the line model they share (`lines`).

mod lines;
mod read;
mod remove;
#[cfg(test)]
mod tests;

pub(crate) use crate::actions::metadata::{Edge, LineRule, Reads, URL_FIELDS};
use crate::report::Fact;
use lines::{LineCut, Unit};
pub use read::{read, read_source, read_title};
pub use remove::remove;

/// The blocks of a tree and the lines of those whose lines were read, by block: kept from
/// reading the facts ([`read`]) for taking their lines out of the same tree ([`remove`]),
/// so that neither is read twice.
#[derive(Default)]
pub struct Blocks {
    units: Option<Vec<Unit>>,
    lines: Vec<Option<Vec<String>>>,
    taken: Option<Taken>,
}

/// The lines the matches of a reading took, where it found them, handed to [`remove`] so
/// that it does not look for them again: by block (its place among the tree's blocks), in
/// reading order, a block's cuts in the order of its matches.
struct Taken {
    /// How many facts with lines the reading gave: the facts the cuts are for.
    facts: usize,
    cuts: Vec<(usize, Vec<LineCut>)>,
}

/// What was read from a document: the facts, and the non-web addresses left out.
#[derive(Debug, Default)]
pub struct Reading {
    pub facts: Vec<Fact>,
    /// `(field, value)` of addresses that are not `http`/`https`.
    pub refused: Vec<(String, String)>,
    /// `(rule index, removed text)` for each rule that acted.
    pub hits: Vec<(usize, String)>,
}
