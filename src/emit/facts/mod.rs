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

pub(crate) use crate::actions::metadata::{Edge, LineRule, Reads};
pub use lines::Blocks;
pub(crate) use lines::ends_sentence;
pub use read::{Reading, read, read_source, read_title};
pub use remove::remove;
