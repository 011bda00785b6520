//! Checks a parsed rule file and compiles its selectors and regexes, collecting every error.

use super::schema::{RawDetect, RawFile, RawRule};
use super::{Action, Css, Detect, InputFormat, Layer, Needs, Rule, RuleFile};
use crate::diagnostics::Diagnostic;
use lol_html::Selector;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// Default bound on the text a `remove-if-text` rule buffers (CJK text is dense: 1,000
/// characters is a long paragraph).
pub const DEFAULT_MAX_CHARS: usize = 1000;
/// Default bound on what one `cut` may remove.
pub const DEFAULT_MAX_BYTES: usize = 8192;
/// Compiled-size bound for rule regexes: rule files are data and must stay cheap to run.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

const ACTIONS: &[&str] = &[
    "remove",
    "unwrap",
    "rename",
    "keep-only",
    "remove-if-text",
    "remove-empty",
    "remove-comments",
    "move-attr",
    "rewrite-attr",
    "drop-attr",
    "replace-with",
    "drop-link-block",
    "drop-lines",
    "cut",
    "replace",
    "unescape",
    "repair-mojibake",
];

/// The keys each action takes besides `id`, `action` and `note`: (required, optional).
fn keys_of(action: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match action {
        "remove" | "unwrap" | "keep-only" | "remove-empty" => (&["selector"], &[]),
        "rename" => (&["selector", "to"], &[]),
        "remove-if-text" => (&["selector", "pattern"], &["max_chars"]),
        "remove-comments" | "drop-link-block" | "drop-lines" => (&["pattern"], &[]),
        "move-attr" => (&["selector", "from", "to"], &[]),
        "rewrite-attr" => (&["selector", "attr", "pattern", "with"], &[]),
        "drop-attr" => (&["selector", "pattern"], &[]),
        "replace-with" => (&["selector", "with"], &[]),
        "cut" => (&["from"], &["to", "max_bytes"]),
        "replace" => (&["pattern", "with"], &[]),
        "unescape" => (&["from"], &["to"]),
        "repair-mojibake" => (&[], &["pattern"]),
        _ => (&[], &[]),
    }
}

struct Ctx<'a> {
    path: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, self.text, spanned.span(), message)
    }

    fn regex(&mut self, s: &Spanned<String>) -> Option<Regex> {
        match RegexBuilder::new(s.get_ref())
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => Some(re),
            Err(e) => {
                let detail = e.to_string();
                let last = detail.lines().last().unwrap_or("").trim();
                let d = self.error(s, format!("invalid regex: {last}"));
                self.errors.push(d);
                None
            }
        }
    }

    fn selector(&mut self, s: &Spanned<String>) -> Option<Css> {
        match s.get_ref().parse::<Selector>() {
            Ok(compiled) => Some(Css {
                text: s.get_ref().clone(),
                compiled,
                tags: plain_tags(s.get_ref()),
            }),
            Err(e) => {
                let mut d = self.error(s, format!("lol_html cannot run this selector: {e}"));
                if let Some(hint) = selector_hint(s.get_ref()) {
                    d = d.with_help(hint);
                }
                self.errors.push(d);
                None
            }
        }
    }
}

/// Suggests what to write instead of a selector feature lol_html lacks.
fn selector_hint(selector: &str) -> Option<&'static str> {
    let outside_brackets: String = {
        let mut depth = 0i32;
        selector
            .chars()
            .filter(|&c| {
                match c {
                    '[' | '(' => depth += 1,
                    ']' | ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .collect()
    };
    if outside_brackets.contains('+') || outside_brackets.contains('~') {
        return Some(
            "lol_html has no `+` or `~` combinator: select the element by its own class or \
             attribute, or use `remove-if-text` on its text",
        );
    }
    for (feature, hint) in [
        (
            ":has(",
            "lol_html has no `:has()`: select the inner element, or use `remove-if-text`",
        ),
        (
            ":last-child",
            "lol_html has no `:last-child`: use `:nth-child(n)` or a class",
        ),
        (
            ":last-of-type",
            "lol_html has no `:last-of-type`: use `:nth-of-type(n)` or a class",
        ),
        (":only-child", "lol_html has no `:only-child`"),
        (":nth-last-child", "lol_html has no `:nth-last-child`"),
        (
            ":empty",
            "lol_html has no `:empty`: use the `remove-empty` action",
        ),
        (
            ":is(",
            "lol_html has no `:is()`: write a selector list `a, b`",
        ),
        (
            ":where(",
            "lol_html has no `:where()`: write a selector list `a, b`",
        ),
        (":root", "lol_html has no `:root`: use `html`"),
    ] {
        if selector.contains(feature) {
            return Some(hint);
        }
    }
    let unquoted_value = selector.match_indices('=').any(|(i, _)| {
        !matches!(
            selector[i + 1..].trim_start().chars().next(),
            Some('\'' | '"')
        )
    });
    if unquoted_value {
        return Some("unquoted attribute values must be CSS identifiers: write [width='0px']");
    }
    None
}

fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Parses and compiles one rule file. `key` is its path in the tree without `.toml`.
/// Parses the file, then its top-level keys and each `[[rule]]` table on its own, so that
/// every broken rule is reported, not only the first.
fn parse(path: &str, text: &str) -> (Option<RawFile>, Vec<Spanned<RawRule>>, Vec<Diagnostic>) {
    let error = |e: toml::de::Error| {
        Diagnostic::at(path, text, e.span().unwrap_or(0..0), e.message().trim())
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => return (None, Vec::new(), vec![error(e)]),
    };
    let span = root.span();
    let mut table = root.into_inner();
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    let rule_key = table.keys().find(|k| k.get_ref() == "rule").cloned();
    if let Some(value) = rule_key.and_then(|k| table.remove(&k)) {
        let value_span = value.span();
        match value.into_inner() {
            DeValue::Array(items) => {
                for item in items {
                    match Spanned::<RawRule>::deserialize(ValueDeserializer::from(item)) {
                        Ok(rule) => rules.push(rule),
                        Err(e) => errors.push(error(e)),
                    }
                }
            }
            _ => errors.push(Diagnostic::at(
                path,
                text,
                value_span,
                "`rule` must be a list of `[[rule]]` tables",
            )),
        }
    }
    let file = match RawFile::deserialize(ValueDeserializer::from(Spanned::new(
        span,
        DeValue::Table(table),
    ))) {
        Ok(file) => Some(file),
        Err(e) => {
            errors.insert(0, error(e));
            None
        }
    };
    (file, rules, errors)
}

/// Compiles one rule file. With errors, the file is still returned (with the rules that did
/// compile) so that references to and from it can be checked too: every error at once.
pub fn compile_file(key: &str, path: &str, text: &str) -> (Option<RuleFile>, Vec<Diagnostic>) {
    let (raw, raw_rules, mut parse_errors) = parse(path, text);
    let Some(raw) = raw else {
        return (None, parse_errors);
    };
    let layer = layer_of(key);
    let name = key.rsplit('/').next().unwrap_or(key).to_string();
    let mut ctx = Ctx {
        path,
        text,
        errors: std::mem::take(&mut parse_errors),
    };

    let input = raw.input.as_ref().and_then(|s| match s.get_ref().as_str() {
        "markdown" => Some(InputFormat::Markdown),
        "html" => Some(InputFormat::Html),
        other => {
            let d = ctx.error(
                s,
                format!("unknown input `{other}`, expected `markdown` or `html`"),
            );
            ctx.errors.push(d);
            None
        }
    });
    if let (Some(s), false) = (&raw.input, layer == Layer::Family) {
        let d = ctx.error(s, "`input` belongs in a family file");
        ctx.errors.push(d);
    }

    let detect = compile_detect(&mut ctx, raw.detect.as_ref());
    let mut rules = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for rule in &raw_rules {
        let id = rule.get_ref().id.get_ref().as_str();
        if !is_valid_id(id) {
            let d = ctx.error(&rule.get_ref().id, format!("invalid rule id `{id}`"));
            ctx.errors
                .push(d.with_help("ids are lowercase letters, digits and `-`, like `top-menu`"));
        } else if seen.contains(&id) {
            let d = ctx.error(
                &rule.get_ref().id,
                format!("duplicate rule id `{id}` in this file"),
            );
            ctx.errors.push(d);
        }
        seen.push(id);
        if let Some(compiled) = compile_rule(&mut ctx, key, &name, rule) {
            rules.push(compiled);
        }
    }

    {
        let expect = raw.expect.as_ref().map(|list| {
            list.iter()
                .map(|s| {
                    let (id, family) = match s.get_ref().split_once('@') {
                        Some((id, family)) => (id, Some(family.to_string())),
                        None => (s.get_ref().as_str(), None),
                    };
                    let id = if id.contains('/') {
                        id.to_string()
                    } else {
                        format!("{name}/{id}")
                    };
                    super::Expected {
                        id,
                        family,
                        span: s.span(),
                    }
                })
                .collect()
        });
        let declared = raw_rules
            .iter()
            .map(|r| format!("{name}/{}", r.get_ref().id.get_ref()))
            .collect();
        let file = RuleFile {
            key: key.to_string(),
            name,
            layer,
            path: path.to_string(),
            description: raw.description,
            extends: spanned_strings(&raw.extends),
            input,
            disable: spanned_strings(&raw.disable),
            expect,
            detect,
            rules,
            source: text.to_string(),
            declared,
        };
        (Some(file), ctx.errors)
    }
}

fn spanned_strings(list: &[Spanned<String>]) -> Vec<(String, std::ops::Range<usize>)> {
    list.iter()
        .map(|s| (s.get_ref().clone(), s.span()))
        .collect()
}

pub fn layer_of(key: &str) -> Layer {
    match key.split_once('/') {
        None if key == "common" => Layer::Common,
        Some(("families", _)) => Layer::Family,
        Some(("outlets", _)) => Layer::Outlet,
        _ => Layer::Shared,
    }
}

fn compile_detect(ctx: &mut Ctx<'_>, raw: Option<&RawDetect>) -> Detect {
    let Some(raw) = raw else {
        return Detect::default();
    };
    let mut regexes = |list: &[Spanned<String>]| -> Vec<Regex> {
        list.iter().filter_map(|s| ctx.regex(s)).collect()
    };
    let head = regexes(&raw.head);
    let tail = regexes(&raw.tail);
    let source_url = regexes(&raw.source_url);
    for (re, s) in source_url.iter().zip(&raw.source_url) {
        if re.captures_len() < 2 {
            let d = ctx.error(
                s,
                "a `source_url` regex needs a capture group around the URL",
            );
            ctx.errors.push(d);
        }
    }
    Detect {
        head,
        tail,
        source_url,
        hosts: raw
            .hosts
            .iter()
            .map(|h| h.get_ref().to_ascii_lowercase())
            .collect(),
        priority: raw.priority,
    }
}

fn compile_rule(
    ctx: &mut Ctx<'_>,
    file_key: &str,
    file_name: &str,
    spanned: &Spanned<RawRule>,
) -> Option<Rule> {
    let raw = spanned.get_ref();
    let action = raw.action.get_ref().as_str();
    if !ACTIONS.contains(&action) {
        let d = ctx.error(&raw.action, format!("unknown action `{action}`"));
        ctx.errors
            .push(d.with_help(format!("actions are: {}", ACTIONS.join(", "))));
        return None;
    }
    let errors_before = ctx.errors.len();
    let (required, optional) = keys_of(action);
    let present: [(&str, Option<std::ops::Range<usize>>); 8] = [
        ("selector", raw.selector.as_ref().map(|s| s.span())),
        ("pattern", raw.pattern.as_ref().map(|s| s.span())),
        ("from", raw.from.as_ref().map(|s| s.span())),
        ("to", raw.to.as_ref().map(|s| s.span())),
        ("attr", raw.attr.as_ref().map(|s| s.span())),
        ("with", raw.with.as_ref().map(|s| s.span())),
        ("max_chars", raw.max_chars.as_ref().map(|s| s.span())),
        ("max_bytes", raw.max_bytes.as_ref().map(|s| s.span())),
    ];
    for (key, span) in &present {
        match span {
            Some(span) if !required.contains(key) && !optional.contains(key) => {
                ctx.errors.push(Diagnostic::at(
                    ctx.path,
                    ctx.text,
                    span.clone(),
                    format!("`{key}` does not apply to action `{action}`"),
                ));
            }
            None if required.contains(key) => {
                let d = ctx.error(&raw.action, format!("action `{action}` needs `{key}`"));
                ctx.errors.push(d);
            }
            _ => {}
        }
    }
    let note = match &raw.note {
        Some(n) if !n.get_ref().trim().is_empty() => n.get_ref().trim().to_string(),
        _ => {
            let d = ctx.error(&raw.id, "rule has no `note` saying why it exists");
            ctx.errors.push(d);
            String::new()
        }
    };
    if ctx.errors.len() > errors_before {
        return None;
    }

    let sel = |ctx: &mut Ctx<'_>| ctx.selector(raw.selector.as_ref().expect("checked"));
    let pat = |ctx: &mut Ctx<'_>| ctx.regex(raw.pattern.as_ref().expect("checked"));
    let string = |s: &Option<Spanned<String>>| s.as_ref().expect("checked").get_ref().clone();
    let compiled = match action {
        "remove" => Action::Remove(sel(ctx)?),
        "unwrap" => Action::Unwrap(sel(ctx)?),
        "keep-only" => Action::KeepOnly(sel(ctx)?),
        "remove-empty" => Action::RemoveEmpty(sel(ctx)?),
        "rename" => {
            let to = string(&raw.to);
            if !to.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || to.is_empty() {
                let d = ctx.error(raw.to.as_ref().expect("checked"), "not a tag name");
                ctx.errors.push(d);
                return None;
            }
            Action::Rename {
                selector: sel(ctx)?,
                to,
            }
        }
        "remove-if-text" => {
            let selector = sel(ctx);
            let pattern = pat(ctx);
            let pattern = pattern?;
            Action::RemoveIfText {
                selector: selector?,
                prefixes: super::needs::anchored_prefixes(pattern.as_str()),
                pattern,
                max_chars: raw
                    .max_chars
                    .as_ref()
                    .map_or(DEFAULT_MAX_CHARS, |m| *m.get_ref()),
            }
        }
        "remove-comments" => Action::RemoveComments(pat(ctx)?),
        "drop-link-block" => Action::DropLinkBlock(pat(ctx)?),
        "drop-lines" => {
            let pattern = pat(ctx)?;
            Action::DropLines {
                prefixes: super::needs::anchored_prefixes(pattern.as_str()),
                pattern,
            }
        }
        "move-attr" => Action::MoveAttr {
            selector: sel(ctx)?,
            from: string(&raw.from),
            to: string(&raw.to),
        },
        "rewrite-attr" => {
            let selector = sel(ctx);
            let pattern = pat(ctx);
            Action::RewriteAttr {
                selector: selector?,
                attr: string(&raw.attr),
                pattern: pattern?,
                with: string(&raw.with),
            }
        }
        "drop-attr" => {
            let selector = sel(ctx);
            let pattern = pat(ctx);
            Action::DropAttr {
                selector: selector?,
                pattern: pattern?,
            }
        }
        "replace-with" => {
            let template = raw.with.as_ref().expect("checked");
            let bad = super::placeholders(template.get_ref())
                .into_iter()
                .find(|p| {
                    p.is_empty()
                        || !p
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
                });
            if let Some(bad) = bad {
                let d = ctx.error(
                    template,
                    format!("`{{{bad}}}` is not an attribute placeholder"),
                );
                ctx.errors
                    .push(d.with_help("placeholders are attribute names in braces: {data-src}"));
                return None;
            }
            Action::ReplaceWith {
                selector: sel(ctx)?,
                with: template.get_ref().clone(),
            }
        }
        "cut" => {
            let from = ctx.regex(raw.from.as_ref().expect("checked"));
            let to = raw.to.as_ref().map(|t| ctx.regex(t));
            Action::Cut {
                from: from?,
                to: match to {
                    Some(t) => Some(t?),
                    None => None,
                },
                max_bytes: raw
                    .max_bytes
                    .as_ref()
                    .map_or(DEFAULT_MAX_BYTES, |m| *m.get_ref()),
            }
        }
        "replace" => Action::Replace {
            pattern: pat(ctx)?,
            with: string(&raw.with),
        },
        "unescape" => {
            let from = ctx.regex(raw.from.as_ref().expect("checked"));
            let to = raw.to.as_ref().map(|t| ctx.regex(t));
            Action::Unescape {
                from: from?,
                to: match to {
                    Some(t) => Some(t?),
                    None => None,
                },
            }
        }
        "repair-mojibake" => Action::RepairMojibake(match &raw.pattern {
            Some(p) => Some(ctx.regex(p)?),
            None => None,
        }),
        _ => unreachable!("checked against ACTIONS"),
    };
    let line = Diagnostic::at(ctx.path, ctx.text, spanned.span(), "").line;
    let keys = [
        ("selector", &raw.selector),
        ("pattern", &raw.pattern),
        ("from", &raw.from),
        ("to", &raw.to),
        ("attr", &raw.attr),
        ("with", &raw.with),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v.get_ref().clone())))
    .chain(
        raw.max_chars
            .as_ref()
            .map(|m| ("max_chars", m.get_ref().to_string())),
    )
    .chain(
        raw.max_bytes
            .as_ref()
            .map(|m| ("max_bytes", m.get_ref().to_string())),
    )
    .collect();
    Some(Rule {
        id: format!("{file_name}/{}", raw.id.get_ref()),
        note,
        action: compiled,
        origin: format!("{}:{line}", ctx.path),
        file: file_key.to_string(),
        span: spanned.span(),
        keys,
        needs: Needs::Always,
    })
}

/// The tag names a selector lists, lowercase, if it is nothing but a list of them.
fn plain_tags(selector: &str) -> Option<Vec<String>> {
    selector
        .split(',')
        .map(|t| {
            let t = t.trim();
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| t.to_ascii_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let (_, ds) = compile_file("families/x", "rules/families/x.toml", text);
        ds.iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn a_good_file_compiles() {
        let (file, errors) = compile_file(
            "outlets/x",
            "x.toml",
            r#"
            [detect]
            hosts = ["Example.com"]
            [[rule]]
            id = "ads"
            action = "remove"
            selector = "div.ad, img[width='0px']"
            note = "ad slots"
            "#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let file = file.unwrap();
        assert_eq!(file.layer, Layer::Outlet);
        assert_eq!(file.rules[0].id, "x/ads");
        assert_eq!(file.detect.hosts, ["example.com"]);
        assert!(
            file.rules[0].origin.ends_with("x.toml:4"),
            "{}",
            file.rules[0].origin
        );
    }

    #[test]
    fn unknown_key_is_reported_at_the_key() {
        let e =
            errors("[[rule]]\nid = \"a\"\naction = \"remove\"\nselecter = \"div\"\nnote = \"n\"\n");
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("4:1 unknown field `selecter`"), "{e:?}");
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let text = r#"
[[rule]]
id = "plus"
action = "remove"
selector = "h2 + p"
note = "n"

[[rule]]
id = "re"
action = "drop-lines"
pattern = "(unclosed"
note = "n"

[[rule]]
id = "nonote"
action = "unwrap"
selector = "ok"

[[rule]]
id = "extra"
action = "drop-lines"
pattern = "x"
selector = "div"
note = "n"

[[rule]]
id = "plus"
action = "frobnicate"
note = "n"
"#;
        let e = errors(text);
        assert_eq!(e.len(), 6, "{e:#?}");
        assert!(
            e[0].starts_with("5:12 lol_html cannot run this selector"),
            "{e:?}"
        );
        assert!(e[1].starts_with("11:11 invalid regex"), "{e:?}");
        assert!(e[2].starts_with("15:6 rule has no `note`"), "{e:?}");
        assert!(e[3].starts_with("23:12 `selector` does not apply"), "{e:?}");
        assert!(e[4].starts_with("27:6 duplicate rule id"), "{e:?}");
        assert!(
            e[5].starts_with("28:10 unknown action `frobnicate`"),
            "{e:?}"
        );
    }

    #[test]
    fn missing_required_key_names_it() {
        let e =
            errors("[[rule]]\nid = \"r\"\naction = \"rename\"\nselector = \"ok\"\nnote = \"n\"\n");
        assert_eq!(e, ["3:10 action `rename` needs `to`"]);
    }

    #[test]
    fn selector_hints_name_the_missing_feature() {
        assert!(selector_hint("h2 + p").unwrap().contains("`+`"));
        assert!(selector_hint("div:has(a)").unwrap().contains(":has"));
        assert!(
            selector_hint("li:last-child")
                .unwrap()
                .contains(":last-child")
        );
        assert!(selector_hint("a[href~='x+y']").is_none());
    }

    #[test]
    fn source_url_needs_a_capture_group() {
        let e = errors("[detect]\nsource_url = ['https://\\S+']\n");
        assert_eq!(
            e,
            ["2:15 a `source_url` regex needs a capture group around the URL"]
        );
    }
}
