//! Source-level rules: edits on the raw Markdown text of a mirror's fixed template,
//! before it is split into blocks.

use crate::report::{Stats, Warning};
use crate::rules::{Action, Rule};

/// Applies the source-level rules of `rules` to `body`, in order.
pub fn apply(body: &str, rules: &[&Rule], stats: &Stats, warnings: &mut Vec<Warning>) -> String {
    let mut text = body.to_string();
    for (i, rule) in rules.iter().enumerate() {
        match &rule.action {
            Action::DropLines(pattern) => {
                let mut kept = String::with_capacity(text.len());
                for line in text.split_inclusive('\n') {
                    let bare = line.trim_end_matches(['\n', '\r']);
                    if pattern.is_match(bare) {
                        stats.fired(i, line.len());
                    } else {
                        kept.push_str(line);
                    }
                }
                text = kept;
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
                stats.fired(i, end - start);
                text.replace_range(start..end, "");
            }
            Action::Replace { pattern, with } => {
                let mut count = 0;
                let before = text.len();
                let replaced = pattern.replace_all(&text, |caps: &regex::Captures<'_>| {
                    count += 1;
                    let mut out = String::new();
                    caps.expand(with, &mut out);
                    out
                });
                if count > 0 {
                    let replaced = replaced.into_owned();
                    let removed = before.saturating_sub(replaced.len());
                    for n in 0..count {
                        stats.fired(i, if n == 0 { removed } else { 0 });
                    }
                    text = replaced;
                }
            }
            _ => {}
        }
    }
    text
}
