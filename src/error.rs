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
    /// The rule set did not load.
    #[error("{0}")]
    Rules(#[from] RulesError),
}
