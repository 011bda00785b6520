//! dechaff strips the boilerplate that news mirrors and outlets wrap around an article.
//!
//! Rules are data (`rules/*.toml`, built into the binary): a common base, one file per
//! mirror *family* and one per *outlet*. A document is cleaned by common + its family + its
//! outlet, detected from its content. HTML goes through one streaming lol_html pass;
//! Markdown keeps its front matter and Markdown blocks byte for byte and sends its HTML
//! blocks through that pass.
//!
//! ```
//! use dechaff::Cleaner;
//!
//! let cleaner = Cleaner::new()?;
//! let cleaned = cleaner.clean_str("<p>News.</p><script>track()</script>");
//! assert_eq!(cleaned.text, "<p>News.</p>");
//! # Ok::<(), dechaff::Error>(())
//! ```

#![warn(missing_docs)]

mod actions;
mod article;
mod automaton;
mod clean;
#[cfg(feature = "cli")]
pub mod cli;
mod detect;
pub mod diagnostics;
mod emit;
mod encoding;
mod error;
mod html;
mod lazy_regex;
pub mod learn;
pub(crate) mod markdown;
mod markers;
mod pass;
mod report;
mod rewrite;
pub mod rules;
mod text;
mod tokenizer;
// Cuts documents too large to clean whole; the cleaner's use of it is still to come.
#[allow(dead_code)]
mod window;

pub use clean::{Cleaned, Cleaner, Options};
pub use emit::{Article, Format, Image};
pub use error::Error;
pub use report::Fact;
pub use report::{Report, RuleHit, RuleTime, SignalCheck, Warning, Weighing};
pub use rules::{Catalog, InputFormat, RulesError, sniff};
