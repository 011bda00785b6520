//! `drop-lines`: drops every line of the Markdown source that matches `pattern` (the line
//! without its line break).
//!
//! ## Why
//!
//! A mirror's generator writes fixed lines around every article: a proxy notice, a
//! "watch the video" line, a separator. They are text, not elements, so only their words
//! find them; `^` and `$` anchor the pattern to the whole line. Consecutive `drop-lines`
//! rules share one pass over the text (a line goes with the first that matches it), and a
//! pattern anchored at the start passes most lines on their first byte.
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "video-line"
//! action = "drop-lines"
//! pattern = '^(完整视频|点击观看视频)[：:]?$'
//! note = "The generator's line above an embedded video."
//! ```
//!
//! cleans
//!
//! ```markdown
//! 点击观看视频：
//!
//! The article.
//! ```
//!
//! to
//!
//! ```markdown
//! The article.
//! ```

use super::keys::{Key, Keys};
use super::literals::anchored_prefixes;
use super::{Action, Edit, Kind, Stage};
use crate::report::Stats;
use crate::text::lines;
use crate::lazy_regex::LazyRegex;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct DropLines {
    pattern: LazyRegex,
    /// When the pattern is anchored at the start: the literals every match begins with, so
    /// that most lines are passed without a search (see `literals::anchored_prefixes`).
    prefixes: Option<Vec<Vec<u8>>>,
}

impl Kind for DropLines {
    const NAME: &'static str = "drop-lines";
    const REQUIRED: &'static [Key] = &[Key::Pattern];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let pattern = keys.regex(Key::Pattern)?;
        Some(DropLines {
            prefixes: anchored_prefixes(pattern.as_str()),
            pattern,
        })
    }

    fn stage(&self) -> Stage {
        Stage::Source
    }

    /// Drop-lines rules in a row (nothing between them edits the text) share one pass: a
    /// line goes with the first that matches it, as it would one by one.
    fn edit(&self, text: &mut Cow<'_, str>, edit: &mut Edit<'_>) -> usize {
        let run: Vec<LineTest<'_>> = std::iter::once(LineTest::new(edit.rule, self))
            .chain(edit.later.iter().map_while(|&(rule, action)| match action {
                Action::DropLines(d) => Some(LineTest::new(rule, d)),
                _ => None,
            }))
            .collect();
        if let Some(kept) = drop_lines(text, &run, edit.stats) {
            *text = Cow::Owned(kept);
        }
        run.len() - 1
    }
}

/// One drop-lines rule of a run.
struct LineTest<'a> {
    rule: usize,
    pattern: &'a LazyRegex,
    prefixes: Option<&'a [Vec<u8>]>,
    /// The bytes the prefixes begin with: most lines are passed on their first byte.
    first_bytes: [bool; 256],
}

impl<'a> LineTest<'a> {
    fn new(rule: usize, d: &'a DropLines) -> Self {
        // An empty prefix (never made, see `anchored_prefixes`) begins every line.
        let prefixes = d
            .prefixes
            .as_deref()
            .filter(|ps| ps.iter().all(|p| !p.is_empty()));
        let mut first_bytes = [false; 256];
        for p in prefixes.into_iter().flatten() {
            first_bytes[p[0] as usize] = true;
        }
        LineTest {
            rule,
            pattern: &d.pattern,
            prefixes,
            first_bytes,
        }
    }

    /// Whether the pattern matches the line (without its line break). A search costs more
    /// than most lines are long: a line that begins with none of the literals every match
    /// begins with is passed without one.
    fn matches(&self, bare: &str) -> bool {
        let bytes = bare.as_bytes();
        self.prefixes.is_none_or(|ps| {
            bytes.first().is_some_and(|&b| self.first_bytes[b as usize])
                && ps.iter().any(|p| bytes.starts_with(p))
        }) && self.pattern.matches(bare)
    }
}

/// `text` without the lines a pattern of `run` matches (line break aside), each credited
/// to the first rule that matches it; None if no line matches.
fn drop_lines(text: &str, run: &[LineTest<'_>], stats: &Stats) -> Option<String> {
    let mut kept: Option<String> = None;
    let mut pos = 0;
    for line in lines(text) {
        let bare = line.trim_end_matches(['\n', '\r']);
        match run.iter().find(|test| test.matches(bare)) {
            Some(&LineTest { rule, .. }) => {
                stats.removed(rule, line);
                // Copied only from the first line dropped on.
                kept.get_or_insert_with(|| {
                    let mut s = String::with_capacity(text.len());
                    s.push_str(&text[..pos]);
                    s
                });
            }
            None => {
                if let Some(kept) = &mut kept {
                    kept.push_str(line);
                }
            }
        }
        pos += line.len();
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::tests::{markdown, rule};

    #[test]
    fn drop_lines_in_a_row_drop_as_one_by_one_and_credit_the_first() {
        let rules = r#"
[[rule]]
id = "rule-a"
action = "drop-lines"
pattern = '^-+$'
note = "n"
[[rule]]
id = "rule-b"
action = "drop-lines"
pattern = '^(-{3}|x)$'
note = "n"
[[rule]]
id = "upper"
action = "replace"
pattern = 'y'
with = "x"
note = "n"
[[rule]]
id = "rule-c"
action = "drop-lines"
pattern = '^x$'
note = "n"
"#;
        let cleaned = markdown(rules, "a\n---\nx\ny\n--\r\nb");
        // `y` becomes `x` after the first two rules ran: only the third drops it.
        assert_eq!(cleaned.text, "a\nb");
        let times: Vec<(&str, u32)> = cleaned
            .report
            .fired
            .iter()
            .map(|h| (h.id.as_str(), h.count))
            .collect();
        assert_eq!(
            times,
            [("common/rule-a", 2), ("common/rule-b", 1), ("common/upper", 1), ("common/rule-c", 1)]
        );
        let untouched = markdown(rules, "a\nb\n");
        assert_eq!(untouched.text, "a\nb\n");
    }

    #[test]
    fn a_line_is_passed_on_its_first_byte_only_when_the_pattern_cannot_match() {
        let patterns = [
            r"^ {0,3}#{1,6}\s*网站代理：",
            r"^(完整视频|点击观看视频)[：:]?$",
            r"^-{3}$",
        ];
        let lines = [
            "",
            "#网站代理：",
            "   ## 网站代理：x",
            "    # 网站代理：",
            "完整视频",
            "点击观看视频：",
            "---",
            "--",
            "<p>",
            "a",
        ];
        for pattern in patterns {
            let Action::DropLines(d) = rule("drop-lines", &format!("pattern = '{pattern}'")) else {
                unreachable!()
            };
            assert!(d.prefixes.is_some(), "{pattern}");
            let test = LineTest::new(0, &d);
            for line in lines {
                assert_eq!(
                    test.matches(line),
                    d.pattern.is_match(line),
                    "{pattern} {line:?}"
                );
            }
        }
        // An empty prefix would begin every line: no quick test then.
        let d = DropLines {
            pattern: LazyRegex::on_first_use("^"),
            prefixes: Some(vec![Vec::new()]),
        };
        assert!(LineTest::new(0, &d).matches(""));
    }
}
