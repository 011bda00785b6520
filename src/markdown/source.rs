//! Source-level rules: edits on the raw Markdown text of a mirror's fixed template,
//! before it is split into blocks. Each action does its own edit (see `actions`).

use crate::actions::{Action, Edit, Stage};
use crate::report::{Stats, Warning};
use crate::rules::Rule;
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
    let source: Vec<(usize, &Action)> = (rules.iter().enumerate())
        .filter(|(_, r)| r.action.stage() == Stage::Source)
        .map(|(i, r)| (i, &r.action))
        .collect();
    let mut at = 0;
    while let Some(&(rule, action)) = source.get(at) {
        let later = &source[at + 1..];
        let mut edit = Edit {
            rule,
            id: &rules[rule].id,
            later,
            stats,
            warnings: &mut *warnings,
        };
        // An edit may do the work of the rules after it in the same pass.
        let also = stats.timed(rule, || action.edit(&mut text, &mut edit));
        at += 1 + also.min(later.len());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_of_other_stages_are_passed_over() {
        let rules = r#"
[[rule]]
id = "a"
action = "drop-lines"
pattern = '^a$'
note = "n"
[[rule]]
id = "html"
action = "remove"
selector = "p"
note = "n"
[[rule]]
id = "b"
action = "drop-lines"
pattern = '^b$'
note = "n"
"#;
        let catalog = crate::rules::Catalog::of_common(rules);
        let rules = catalog.rules_for(None, None);
        let stats = Stats::new(rules.len());
        let out = apply("a\n<p>x</p>\nb\nc\n", &rules, &stats, &mut Vec::new());
        assert_eq!(out, "<p>x</p>\nc\n");
        let times: Vec<u32> = stats.snapshot().iter().map(|c| c.times).collect();
        assert_eq!(times, [1, 0, 1]);
    }
}
