//! `repair-mojibake`: repairs lines (those matching `pattern`, or all) of UTF-8 that were
//! once decoded as Latin-1 (`2018å¹´` → `2018年`). A line that does not read back as
//! UTF-8 is left alone.
//!
//! ## Why
//!
//! A scraper that read a UTF-8 page as Latin-1 wrote every Chinese character as two or
//! three Latin letters; the bytes are all there, in the wrong encoding. Reading each
//! character as one byte gives the UTF-8 back exactly, and real Latin-1 text (`café`)
//! does not round-trip, so it stays.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "dateline-encoding"
//! action = "repair-mojibake"
//! pattern = '\d{4}å¹´'
//! note = "The scraper wrote the dateline in the wrong encoding."
//! ```
//!
//! cleans
//!
//! ```markdown
//! Posted 2018å¹´
//! ```
//!
//! to
//!
//! ```markdown
//! Posted 2018年
//! ```

use super::keys::{Key, Keys};
use super::{Edit, Kind, Stage};
use crate::text::lines;
use crate::lazy_regex::LazyRegex;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct RepairMojibake {
    pattern: Option<LazyRegex>,
}

impl Kind for RepairMojibake {
    const NAME: &'static str = "repair-mojibake";
    const REQUIRED: &'static [Key] = &[];
    const OPTIONAL: &'static [Key] = &[Key::Pattern];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        Some(RepairMojibake {
            pattern: keys.optional_regex(Key::Pattern)?,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Source
    }

    fn edit(&self, text: &mut Cow<'_, str>, edit: &mut Edit<'_>) -> usize {
        // Only a line with a character from U+0080 to U+00FF can be repaired, and in UTF-8
        // each of those starts with 0xC2 or 0xC3: most documents have none.
        if !has_latin1_supplement(text) {
            return 0;
        }
        let mut repaired = String::with_capacity(text.len());
        let mut any = false;
        for line in lines(text) {
            let applies = has_latin1_supplement(line)
                && self.pattern.as_ref().is_none_or(|p| p.matches(line));
            match applies.then(|| latin1_roundtrip(line)).flatten() {
                Some(fixed) => {
                    edit.stats.fired(edit.rule, 0);
                    repaired.push_str(&fixed);
                    any = true;
                }
                None => repaired.push_str(line),
            }
        }
        if any {
            *text = Cow::Owned(repaired);
        }
        0
    }
}

/// Whether `text` holds a character from U+0080 to U+00FF.
fn has_latin1_supplement(text: &str) -> bool {
    memchr::memchr2(0xC2, 0xC3, text.as_bytes()).is_some()
}

/// The line as UTF-8 if it reads as UTF-8 bytes that were decoded as Latin-1: every
/// character below U+0100, some above U+007F, and the bytes valid UTF-8.
fn latin1_roundtrip(line: &str) -> Option<String> {
    if line.is_ascii() || line.chars().any(|c| c as u32 > 0xFF) {
        return None;
    }
    let bytes: Vec<u8> = line.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_lines_are_repaired_and_others_kept() {
        assert_eq!(
            latin1_roundtrip("   2018å¹´9æ\u{9c}\u{88}6æ\u{97}¥ 03:05\n").as_deref(),
            Some("   2018年9月6日 03:05\n")
        );
        assert_eq!(latin1_roundtrip("plain ascii"), None);
        // What can be repaired has a character the quick test sees; what it passes by
        // cannot be.
        for line in ["2018å¹´", "café", "a·b", "已是中文", "plain", "年·"] {
            if latin1_roundtrip(line).is_some() {
                assert!(has_latin1_supplement(line), "{line}");
            }
        }
        assert!(!has_latin1_supplement("已是中文 plain “引号”"));
        assert!(has_latin1_supplement("×"));
        assert_eq!(latin1_roundtrip("已是中文"), None);
        assert_eq!(
            latin1_roundtrip("café"),
            None,
            "real Latin-1 text is not UTF-8 bytes"
        );
    }
}
