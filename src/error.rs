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
        crate::error::size(*limit)
    )]
    TooLarge {
        /// The limit it went past, in bytes.
        limit: usize,
    },
    /// The rule set did not load.
    #[error("{0}")]
    Rules(#[from] RulesError),
}

/// A size in bytes as people read it: `16 MiB`, `1.5 KiB`, `700 bytes`.
pub(crate) fn size(bytes: usize) -> String {
    const UNITS: [&str; 3] = ["GiB", "MiB", "KiB"];
    for (i, unit) in UNITS.iter().enumerate() {
        let scale = 1usize << (10 * (3 - i));
        if bytes >= scale {
            // Tenths rounded up: a size just past a bound never reads as the bound.
            let tenths = (bytes as u128 * 10).div_ceil(scale as u128);
            let (whole, tenths) = (tenths / 10, tenths % 10);
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(super::size(16 << 20), "16 MiB");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(700), "700 bytes");
        assert_eq!(super::size(3 << 30), "3 GiB");
        assert_eq!(super::size((1 << 20) + 1), "1.1 MiB");
    }
}
