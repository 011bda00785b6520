//! The shape of a `[[rule]]` table, exactly as written, with spans kept for diagnostics.
//!
//! Only `serde` and `toml` are used here: the build script includes this file to read the
//! built-in rule files when the binary is built (see `rules::built_in`).

use serde::Deserialize;
use toml::Spanned;

/// A `[[rule]]` table exactly as written. Unknown keys are refused at the key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: Spanned<String>,
    pub action: Spanned<String>,
    pub note: Option<Spanned<String>>,
    pub selector: Option<Spanned<String>>,
    pub pattern: Option<Spanned<String>>,
    pub from: Option<Spanned<String>>,
    pub to: Option<Spanned<String>>,
    pub attr: Option<Spanned<String>>,
    pub with: Option<Spanned<String>>,
    pub max_chars: Option<Spanned<usize>>,
    pub max_bytes: Option<Spanned<usize>>,
    pub edge: Option<Spanned<String>>,
    pub within: Option<Spanned<usize>>,
    pub field: Option<Spanned<String>>,
    pub keep: Option<Spanned<bool>>,
    pub take: Option<Spanned<String>>,
    #[serde(rename = "in")]
    pub in_: Option<Spanned<String>>,
    pub list: Option<Spanned<usize>>,
    pub min_links: Option<Spanned<f64>>,
    pub max_links: Option<Spanned<f64>>,
    pub min_link_count: Option<Spanned<usize>>,
    pub media: Option<Spanned<bool>>,
    pub hidden: Option<Spanned<bool>>,
    pub with_media: Option<Spanned<bool>>,
    pub links_to: Option<Spanned<String>>,
    pub site_links: Option<Spanned<bool>>,
    pub list_item: Option<Spanned<bool>>,
    pub unless: Option<Spanned<String>>,
    pub voice: Option<Spanned<String>>,
    pub terse: Option<Spanned<usize>>,
}
