//! Errors of the library. Rule-file problems carry `file:line:col` diagnostics.

pub use crate::rules::RulesError;

/// Why a document could not be cleaned (or a cleaner could not be built).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the input or writing the output failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// `--family` named a family the rules do not have.
    #[error("no family named `{0}` in the rules")]
    UnknownFamily(String),
    /// `--outlet` named an outlet the rules do not have.
    #[error("no outlet named `{0}` in the rules")]
    UnknownOutlet(String),
    /// `Options::extra_layer` named a rule file the rules do not have.
    #[error("no rule file `{0}` in the rules")]
    UnknownRuleFile(String),
    /// The document is larger than [`crate::Options::max_document`], the most that is read
    /// whole to build the article (every format but a streamed [`crate::Format::Source`]).
    /// Nothing was written. Clean it as [`crate::Format::Source`] with
    /// [`crate::Cleaner::clean`], which streams a document of any size, or raise the limit.
    #[error(
        "the document is larger than {}, the most that is read whole to build the article",
        crate::diagnostics::size(*limit)
    )]
    TooLarge {
        /// The limit it went past, in bytes.
        limit: usize,
    },
    /// A document cut into windows (one larger than [`crate::Options::max_document`]) has a
    /// block that no window can end before: more than `limit` bytes from where it began with
    /// no place to cut. Nothing of the document past the windows already given was cleaned.
    #[error(
        "the block that begins at line {line} is larger than {}, the most one block of a large document may take; `--max-block` raises it",
        crate::diagnostics::size(*limit)
    )]
    BlockTooLarge {
        /// The limit it went past, in bytes.
        limit: usize,
        /// The 1-based line of the input where the block began.
        line: usize,
    },
    /// The rule set did not load.
    #[error("{0}")]
    Rules(#[from] RulesError),
}
