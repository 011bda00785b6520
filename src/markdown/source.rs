//! Source-level rules: edits on the raw Markdown text of a mirror's fixed template,
//! before it is split into blocks.

use crate::report::{Stats, Warning};
use crate::rules::{Action, Rule};
use std::borrow::Cow;

/// Applies the source-level rules of `rules` to `body`, in order; the body itself when none
/// edits it, as for most documents.
pub fn apply<'a>(
    body: &'a str,
    rules: &[&Rule],
    stats: &Stats,
    warnings: &mut Vec<Warning>,
) -> Cow<'a, str> {
    let mut text = Cow::Borrowed(body);
    // Rules already applied with the drop-lines rule before them.
    let mut done_until = 0;
    for (i, rule) in rules.iter().enumerate() {
        if i < done_until {
            continue;
        }
        match &rule.action {
            Action::DropLines { .. } => {
                // Drop-lines rules in a row (nothing between them edits the text) share one
                // pass: a line goes with the first that matches it, as it would one by one.
                let run: Vec<LineTest<'_>> = rules
                    .iter()
                    .enumerate()
                    .skip(i)
                    .filter(|(_, r)| edits_text(&r.action))
                    .map_while(|(rule, r)| match &r.action {
                        Action::DropLines { pattern, prefixes } => {
                            Some(LineTest::new(rule, pattern, prefixes.as_deref()))
                        }
                        _ => None,
                    })
                    .collect();
                done_until = run.last().map_or(i, |t| t.rule) + 1;
                if let Some(kept) = drop_lines(&text, &run, stats) {
                    text = Cow::Owned(kept);
                }
            }
            Action::Cut {
                from,
                to,
                max_bytes,
            } => {
                let Some(start) = from.find_iter(&text).last().map(|m| m.start()) else {
                    continue;
                };
                let end = match to {
                    None => Some(text.len()),
                    Some(to) => to.find_at(&text, start).map(|m| m.end()),
                };
                let Some(end) = end else {
                    continue;
                };
                if end - start > *max_bytes {
                    warnings.push(Warning::new(
                        "cut-too-large",
                        format!(
                            "rule {}: the cut would remove {} bytes, more than its bound of {}; nothing was cut",
                            rule.id,
                            end - start,
                            max_bytes
                        ),
                    ));
                    continue;
                }
                stats.removed(i, &text[start..end]);
                text.to_mut().replace_range(start..end, "");
            }
            Action::Replace { pattern, with } => {
                let mut counting = Counting { with, count: 0 };
                let before = text.len();
                let replaced = pattern.replace_all(&text, &mut counting);
                let count = counting.count;
                if count > 0 {
                    let replaced = replaced.into_owned();
                    let removed = before.saturating_sub(replaced.len());
                    for n in 0..count {
                        stats.fired(i, if n == 0 { removed } else { 0 });
                    }
                    text = Cow::Owned(replaced);
                }
            }
            Action::Unescape { from, to } => {
                let Some(start) = from.find(&text).map(|m| m.start()) else {
                    continue;
                };
                let end = to
                    .as_ref()
                    .and_then(|to| to.find_at(&text, start))
                    .map_or(text.len(), |m| m.start());
                let region = &text[start..end];
                let decoded = html_escape::decode_html_entities(region).into_owned();
                if decoded != region {
                    stats.fired(i, region.len().saturating_sub(decoded.len()));
                    text.to_mut().replace_range(start..end, &decoded);
                }
            }
            Action::RepairMojibake(pattern) => {
                // Only a line with a character from U+0080 to U+00FF can be repaired, and
                // in UTF-8 each of those starts with 0xC2 or 0xC3: most documents have none.
                if !has_latin1_supplement(&text) {
                    continue;
                }
                let mut repaired = String::with_capacity(text.len());
                let mut any = false;
                for line in super::lines(&text) {
                    let applies = has_latin1_supplement(line)
                        && pattern.as_ref().is_none_or(|p| p.is_match(line));
                    match applies.then(|| latin1_roundtrip(line)).flatten() {
                        Some(fixed) => {
                            stats.fired(i, 0);
                            repaired.push_str(&fixed);
                            any = true;
                        }
                        None => repaired.push_str(line),
                    }
                }
                if any {
                    text = Cow::Owned(repaired);
                }
            }
            _ => {}
        }
    }
    text
}

/// A `replace` rule's template, expanded straight into the output, counting the matches.
struct Counting<'a> {
    with: &'a str,
    count: usize,
}

impl regex::Replacer for &mut Counting<'_> {
    fn replace_append(&mut self, caps: &regex::Captures<'_>, dst: &mut String) {
        self.count += 1;
        caps.expand(self.with, dst);
    }
}

/// Whether `apply` edits the text for this action.
fn edits_text(action: &Action) -> bool {
    matches!(
        action,
        Action::DropLines { .. }
            | Action::Cut { .. }
            | Action::Replace { .. }
            | Action::Unescape { .. }
            | Action::RepairMojibake(_)
    )
}

/// One drop-lines rule of a run.
struct LineTest<'a> {
    rule: usize,
    pattern: &'a regex::Regex,
    prefixes: Option<&'a [Vec<u8>]>,
    /// The bytes the prefixes begin with: most lines are passed on their first byte.
    first_bytes: [bool; 256],
}

impl<'a> LineTest<'a> {
    fn new(rule: usize, pattern: &'a regex::Regex, prefixes: Option<&'a [Vec<u8>]>) -> Self {
        // An empty prefix (never made, see `anchored_prefixes`) begins every line.
        let prefixes = prefixes.filter(|ps| ps.iter().all(|p| !p.is_empty()));
        let mut first_bytes = [false; 256];
        for p in prefixes.into_iter().flatten() {
            first_bytes[p[0] as usize] = true;
        }
        LineTest {
            rule,
            pattern,
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
        }) && self.pattern.is_match(bare)
    }
}

/// `text` without the lines a pattern of `run` matches (line break aside), each credited
/// to the first rule that matches it; None if no line matches.
fn drop_lines(text: &str, run: &[LineTest<'_>], stats: &Stats) -> Option<String> {
    let mut kept: Option<String> = None;
    let mut pos = 0;
    for line in super::lines(text) {
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
        let catalog = crate::rules::Catalog::of_common(rules);
        let rules = catalog.rules_for(None, None);
        let stats = Stats::new(rules.len());
        let out = apply("a\n---\nx\ny\n--\r\nb", &rules, &stats, &mut Vec::new());
        // `y` becomes `x` after the first two rules ran: only the third drops it.
        assert_eq!(out, "a\nb");
        let times: Vec<u32> = stats.snapshot().iter().map(|c| c.times).collect();
        assert_eq!(times, [2, 1, 1, 1]);
        let untouched = apply("a\nb\n", &rules[..2], &Stats::new(2), &mut Vec::new());
        assert_eq!(untouched, "a\nb\n");
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
        let rules: String = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| format!("[[rule]]\nid = \"r{i}\"\naction = \"drop-lines\"\npattern = '{p}'\nnote = \"n\"\n"))
            .collect();
        let catalog = crate::rules::Catalog::of_common(&rules);
        for rule in catalog.rules_for(None, None) {
            let Action::DropLines { pattern, prefixes } = &rule.action else {
                unreachable!()
            };
            assert!(prefixes.is_some(), "{pattern}");
            let test = LineTest::new(0, pattern, prefixes.as_deref());
            for line in lines {
                assert_eq!(
                    test.matches(line),
                    pattern.is_match(line),
                    "{pattern} {line:?}"
                );
            }
        }
        // An empty prefix would begin every line: no quick test then.
        let re = regex::Regex::new("^").unwrap();
        let empty = [Vec::new()];
        assert!(LineTest::new(0, &re, Some(&empty)).matches(""));
    }

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
