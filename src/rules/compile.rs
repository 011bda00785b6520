//! Checks a parsed rule file and compiles its selectors and regexes, collecting every error.

use super::lazy::LazyRules;
use super::schema::{self, ParseError, RawDetect, RawFile, RawSignal};
use super::{Detect, InputFormat, Layer, Rule, RuleFile, Signal, Window};
use crate::actions::keys::{Ctx, Key, Keys, RawRule};
use crate::actions::{self, Action};
use crate::diagnostics::{Diagnostic, did_you_mean, unknown_name_hint};
use crate::lazy_regex::{LazyRegex, RegexBudget};
use toml::Spanned;

fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Parses one rule file (see [`schema::parse`]), its errors as diagnostics.
fn parse(path: &str, text: &str) -> (Option<RawFile>, Vec<Spanned<RawRule>>, Vec<Diagnostic>) {
    let (file, rules, errors) = schema::parse::<RawRule>(text);
    let errors = errors
        .into_iter()
        .map(|e| match e {
            ParseError::Toml(e) => {
                let d = Diagnostic::at(path, text, e.span().unwrap_or(0..0), e.message().trim());
                match unknown_name_hint(e.message()) {
                    Some(hint) => d.with_help(hint),
                    None => d,
                }
            }
            ParseError::RuleNotAList(span) => Diagnostic::at(
                path,
                text,
                span,
                "`rule` must be a list of `[[rule]]` tables",
            ),
            ParseError::BadFragment(span, message) => Diagnostic::at(path, text, span, &message)
                .with_help("write `[fragments]` with `name = 'a piece of a pattern'` lines"),
            ParseError::UnknownFragment(span, name) => Diagnostic::at(
                path,
                text,
                span,
                format!("no fragment `{name}` in this file"),
            )
            .with_help(
                "a pattern names a fragment of its own file's `[fragments]` table as `{{name}}`",
            ),
            ParseError::ExpandsTooFar(span) => Diagnostic::at(
                path,
                text,
                span,
                format!(
                    "with the fragments it names written out, this takes the file's patterns past {}",
                    crate::diagnostics::size(schema::EXPANSION_BUDGET)
                ),
            )
            .with_help("name a large fragment in fewer places, or write it smaller"),
            ParseError::BrokenFragment(span, name) => Diagnostic::at(
                path,
                text,
                span,
                format!("fragment `{name}` could not be written out: see the error at the fragment"),
            ),
        })
        .collect();
    (file, rules, errors)
}

/// When a file's rules and regexes compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// As the file loads, every error reported then: any file a user gives.
    Now,
    /// When a document first needs them: the built-in files, which a test compiles and
    /// checks whole (see `rules::lazy`).
    OnFirstUse,
}

/// Compiles one rule file (checked and compiled now). With errors, the file is still
/// returned (with the rules that did compile) so that references to and from it can be
/// checked too: every error at once.
#[cfg(test)]
pub(crate) fn compile_file(
    key: &str,
    path: &str,
    text: &str,
) -> (Option<RuleFile>, Vec<Diagnostic>) {
    let budget = RegexBudget::new(crate::lazy_regex::TOTAL_SIZE_LIMIT);
    load_file(key, path, text, When::Now, &budget)
}

/// Loads one rule file, compiling its rules `when` asked, their regexes within what is left
/// of `budget`. Deferred, only the TOML is read and checked now.
pub(crate) fn load_file(
    key: &str,
    path: &str,
    text: &str,
    when: When,
    budget: &RegexBudget,
) -> (Option<RuleFile>, Vec<Diagnostic>) {
    let (raw, raw_rules, parse_errors) = parse(path, text);
    let Some(raw) = raw else {
        return (None, parse_errors);
    };
    let rules = RawRules::Parsed(raw_rules);
    load_parsed(key, path, text, raw, rules, parse_errors, when, budget)
}

/// Loads a built-in file, from what the build parsed of it when it parsed (see
/// `rules::built_in`), else from its text.
pub(crate) fn load_built_in(
    file: &super::built_in::BuiltIn,
    when: When,
    budget: &RegexBudget,
) -> (Option<RuleFile>, Vec<Diagnostic>) {
    match &file.parsed {
        Some(parsed) => {
            let rules = RawRules::Built(parsed.rules, parsed.ids);
            let raw = (parsed.file)();
            load_parsed(
                file.key,
                file.path,
                file.text,
                raw,
                rules,
                Vec::new(),
                when,
                budget,
            )
        }
        None => load_file(file.key, file.path, file.text, when, budget),
    }
}

/// A file's `[[rule]]` tables: parsed as it loads, or by the build (a function that builds
/// them when its rules compile, and their ids).
enum RawRules {
    Parsed(Vec<Spanned<RawRule>>),
    Built(fn() -> Vec<Spanned<RawRule>>, &'static [&'static str]),
}

impl RawRules {
    fn ids(&self) -> Vec<&str> {
        match self {
            RawRules::Parsed(rules) => rules
                .iter()
                .map(|r| r.get_ref().id.get_ref().as_str())
                .collect(),
            RawRules::Built(_, ids) => ids.to_vec(),
        }
    }

    fn into_rules(self) -> Vec<Spanned<RawRule>> {
        match self {
            RawRules::Parsed(rules) => rules,
            RawRules::Built(rules, _) => rules(),
        }
    }

    /// `f` of the tables, built now if the build parsed them.
    fn with_rules<R>(&self, f: impl FnOnce(&[Spanned<RawRule>]) -> R) -> R {
        match self {
            RawRules::Parsed(rules) => f(rules),
            RawRules::Built(rules, _) => f(&rules()),
        }
    }
}

/// [`load_file`] past the parse.
#[allow(clippy::too_many_arguments)]
fn load_parsed(
    key: &str,
    path: &str,
    text: &str,
    raw: RawFile,
    raw_rules: RawRules,
    mut parse_errors: Vec<Diagnostic>,
    when: When,
    budget: &RegexBudget,
) -> (Option<RuleFile>, Vec<Diagnostic>) {
    let layer = layer_of(key);
    let name = key.rsplit('/').next().unwrap_or(key).to_string();
    let mut ctx = Ctx {
        path,
        text,
        errors: std::mem::take(&mut parse_errors),
        defer_regexes: when == When::OnFirstUse,
        regex_budget: Some(budget),
        made: Default::default(),
    };
    if !in_a_layer(key) {
        ctx.errors.push(
            Diagnostic::file(path, format!("`{key}.toml` is in no layer, so it would never run"))
                .with_help(
                    "rule files are common.toml, generic.toml, families/NAME.toml, outlets/NAME.toml or platforms/NAME.toml",
                ),
        );
    }

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

    if let Some(detect) = &raw.detect {
        misplaced_detect(&mut ctx, layer, detect);
    }
    if let (Some(first), false) = (raw.mirror_hosts.first(), layer == Layer::Common) {
        let d = ctx.error(
            first,
            "`mirror_hosts` is read only in common.toml; here it would be ignored",
        );
        ctx.errors.push(d.with_help(
            "the hosts that carry mirrors hold for every document: list them in common.toml",
        ));
    }
    for host in &raw.mirror_hosts {
        let h = host.get_ref();
        let plain = h.contains('.')
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !h.starts_with('.')
            && !h.ends_with('.');
        if !plain {
            let d = ctx.error(host, format!("`{h}` is not a host name"));
            ctx.errors
                .push(d.with_help("a host name alone, like `github.com`: no scheme, path or port"));
        }
    }
    let detect = compile_detect(&mut ctx, raw.detect.as_ref().map(Spanned::get_ref));
    let declared = raw_rules
        .ids()
        .iter()
        .map(|id| format!("{name}/{id}"))
        .collect();
    let rules = match when {
        When::Now => {
            let raw_rules = raw_rules.into_rules();
            LazyRules::ready(compile_rules(&mut ctx, key, &name, &raw_rules))
        }
        When::OnFirstUse => {
            let (key, name, path, text) = (
                key.to_string(),
                name.clone(),
                path.to_string(),
                text.to_string(),
            );
            LazyRules::on_first_use(Box::new(move || {
                let mut ctx = Ctx {
                    path: &path,
                    text: &text,
                    errors: Vec::new(),
                    defer_regexes: true,
                    regex_budget: None,
                    made: Default::default(),
                };
                let rules = raw_rules.with_rules(|raw| compile_rules(&mut ctx, &key, &name, raw));
                debug_assert!(ctx.errors.is_empty(), "{:?}", ctx.errors);
                rules
            }))
        }
    };

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
            mirror_hosts: raw
                .mirror_hosts
                .iter()
                .map(|h| h.get_ref().to_ascii_lowercase())
                .collect(),
            detect,
            rules,
            source: text.to_string(),
            declared,
        };
        (Some(file), ctx.errors)
    }
}

/// Checks the rules' ids and compiles the rules; the errors go to `ctx`.
fn compile_rules(
    ctx: &mut Ctx<'_>,
    key: &str,
    name: &str,
    raw_rules: &[Spanned<RawRule>],
) -> Vec<Rule> {
    let mut rules = Vec::new();
    let mut seen: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    // Where the file's lines end, to tell each rule's line (its origin) without counting
    // from the file's start for each.
    let line_ends: Vec<usize> = memchr::memchr_iter(b'\n', ctx.text.as_bytes()).collect();
    for rule in raw_rules {
        let id = rule.get_ref().id.get_ref().as_str();
        if !is_valid_id(id) {
            let d = ctx.error(&rule.get_ref().id, format!("invalid rule id `{id}`"));
            ctx.errors
                .push(d.with_help("ids are lowercase letters, digits and `-`, like `top-menu`"));
        } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
            let at = ctx.at(first.clone(), "");
            let d = ctx.error(
                &rule.get_ref().id,
                format!("duplicate rule id `{id}` in this file"),
            );
            ctx.errors.push(d.with_help(format!(
                "the first `{id}` is at {}:{}:{}; give this rule another id",
                at.path, at.line, at.col
            )));
        }
        seen.push((id, rule.get_ref().id.span()));
        if let Some(mut compiled) = compile_rule(ctx, key, name, rule, &line_ends) {
            compiled.index = rules.len();
            rules.push(compiled);
        }
    }
    rules
}

fn spanned_strings(list: &[Spanned<String>]) -> Vec<(String, std::ops::Range<usize>)> {
    list.iter()
        .map(|s| (s.get_ref().clone(), s.span()))
        .collect()
}

/// Whether a file's key names a layer: `common`, or one file directly under `families/`,
/// `outlets/` or `platforms/`.
fn in_a_layer(key: &str) -> bool {
    match key.split_once('/') {
        None => matches!(key, "common" | "generic"),
        Some((dir, name)) => {
            matches!(dir, "families" | "outlets" | "platforms")
                && !name.is_empty()
                && !name.contains('/')
        }
    }
}

/// Errors for what a layer would ignore in `[detect]`: the whole table in common and
/// generic, all but the weighed signals in platforms/, `source_url` and `priority` outside
/// families, `hosts` outside outlets.
fn misplaced_detect(ctx: &mut Ctx<'_>, layer: Layer, detect: &Spanned<RawDetect>) {
    let raw = detect.get_ref();
    if matches!(layer, Layer::Common | Layer::Generic) {
        let d = ctx.at(
            detect.span(),
            "`[detect]` is read only in families/, outlets/ and platforms/ files; here it would be ignored",
        );
        ctx.errors
            .push(d.with_help("common.toml and generic.toml apply to every document"));
        return;
    }
    if layer == Layer::Shared {
        let exact = [&raw.head, &raw.tail, &raw.source_url, &raw.hosts];
        if let Some(first) = exact.iter().find_map(|list| list.first()) {
            let d = ctx.error(
                first,
                "a platform is recognised only by `[[detect.signal]]`; here this would be ignored",
            );
            ctx.errors.push(d.with_help(
                "give the platform's template pieces as signals with weights and a `threshold`",
            ));
        }
        if raw.priority != 0 {
            let d = ctx.at(
                detect.span(),
                "`priority` is read only in family files; here it would be ignored",
            );
            ctx.errors.push(d);
        }
        return;
    }
    let (misplaced, belongs): (&[Spanned<String>], &str) = match layer {
        Layer::Outlet => (&raw.source_url, "`source_url` is read only in family files"),
        _ => (&raw.hosts, "`hosts` is read only in outlet files"),
    };
    if let Some(first) = misplaced.first() {
        let d = ctx.error(first, format!("{belongs}; here it would be ignored"));
        ctx.errors.push(d);
    }
    if layer == Layer::Outlet && raw.priority != 0 {
        let d = ctx.at(
            detect.span(),
            "`priority` is read only in family files; here it would be ignored",
        );
        ctx.errors.push(d);
    }
    if layer == Layer::Outlet {
        if let Some(first) = raw.signal.first() {
            let d = ctx.error(
                &first.get_ref().id,
                "`[[detect.signal]]` is read only in family and platform files; here it would be ignored",
            );
            ctx.errors.push(d.with_help(
                "an outlet is recognised by the hosts of the article's address, or by `head` and `tail`",
            ));
        }
        if let Some(t) = &raw.threshold {
            let d = ctx.error(
                t,
                "`threshold` is read only in family and platform files; here it would be ignored",
            );
            ctx.errors.push(d);
        }
    }
}

/// The largest weight of one signal, and so of a threshold a handful can reach.
const MAX_WEIGHT: i64 = 100;

/// A family's weighed signals and their threshold, checked: ids unique and well formed,
/// weights from 1 to 100, a threshold the signals can reach, neither without the other.
fn compile_signals(ctx: &mut Ctx<'_>, raw: &RawDetect) -> (Vec<Signal>, u32) {
    let mut signals = Vec::new();
    let mut seen: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    for spanned in &raw.signal {
        let s: &RawSignal = spanned.get_ref();
        let id = s.id.get_ref().as_str();
        if !is_valid_id(id) {
            let d = ctx.error(&s.id, format!("invalid signal id `{id}`"));
            ctx.errors
                .push(d.with_help("ids are lowercase letters, digits and `-`, like `top-menu`"));
        } else if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == id) {
            let at = ctx.at(first.clone(), "");
            let d = ctx.error(&s.id, format!("duplicate signal id `{id}` in this file"));
            ctx.errors.push(d.with_help(format!(
                "the first `{id}` is at {}:{}:{}; give this signal another id",
                at.path, at.line, at.col
            )));
        }
        seen.push((id, s.id.span()));
        let weight = *s.weight.get_ref();
        if !(1..=MAX_WEIGHT).contains(&weight) {
            let d = ctx.error(&s.weight, format!("weight {weight} is out of range"));
            ctx.errors
                .push(d.with_help(format!("a signal weighs from 1 to {MAX_WEIGHT}")));
        }
        let within = match s.within.as_ref().map(|w| w.get_ref().as_str()) {
            None | Some("head") => Some(Window::Head),
            Some("tail") => Some(Window::Tail),
            Some(other) => {
                let d = ctx.error(
                    s.within.as_ref().expect("given"),
                    format!("unknown window `{other}`, expected `head` or `tail`"),
                );
                ctx.errors.push(d);
                None
            }
        };
        if s.note.get_ref().trim().is_empty() {
            let d = ctx.error(&s.note, "a signal needs a `note` saying why it is evidence");
            ctx.errors.push(d);
        }
        if let (Some(pattern), Some(within)) = (ctx.regex(&s.pattern), within) {
            signals.push(Signal {
                id: id.to_string(),
                pattern,
                weight: weight.clamp(1, MAX_WEIGHT) as u32,
                within,
                note: s.note.get_ref().clone(),
            });
        }
    }
    let total: i64 = raw
        .signal
        .iter()
        .map(|s| (*s.get_ref().weight.get_ref()).clamp(0, MAX_WEIGHT))
        .sum();
    let threshold = match &raw.threshold {
        None => {
            if let Some(first) = raw.signal.first() {
                let d = ctx.error(&first.get_ref().id, "signals without a `threshold`");
                ctx.errors.push(d.with_help(
                    "add `threshold = N` to `[detect]`: the weight the signals found must reach",
                ));
            }
            0
        }
        Some(t) => {
            let value = *t.get_ref();
            if raw.signal.is_empty() {
                let d = ctx.error(t, "a `threshold` with no `[[detect.signal]]` to reach it");
                ctx.errors.push(d);
            } else if value < 1 || value > total {
                let d = ctx.error(t, format!("threshold {value} is out of reach"));
                ctx.errors.push(d.with_help(format!(
                    "the signals weigh {total} together; a threshold is from 1 to that"
                )));
            }
            value.clamp(0, MAX_WEIGHT * 1000) as u32
        }
    };
    (signals, threshold)
}

pub fn layer_of(key: &str) -> Layer {
    match key.split_once('/') {
        None if key == "common" => Layer::Common,
        None if key == "generic" => Layer::Generic,
        Some(("families", _)) => Layer::Family,
        Some(("outlets", _)) => Layer::Outlet,
        _ => Layer::Shared,
    }
}

fn compile_detect(ctx: &mut Ctx<'_>, raw: Option<&RawDetect>) -> Detect {
    let Some(raw) = raw else {
        return Detect::default();
    };
    let mut regexes = |list: &[Spanned<String>]| -> Vec<LazyRegex> {
        list.iter().filter_map(|s| ctx.regex(s)).collect()
    };
    let head = regexes(&raw.head);
    let tail = regexes(&raw.tail);
    let source_url = regexes(&raw.source_url);
    // Deferred regexes are those of checked files: compiling them here would undo that.
    let checked = if ctx.defer_regexes {
        &[][..]
    } else {
        &source_url[..]
    };
    for (re, s) in checked.iter().zip(&raw.source_url) {
        if re.captures_len() < 2 {
            let d = ctx.error(
                s,
                "a `source_url` regex needs a capture group around the URL",
            );
            ctx.errors.push(d);
        }
    }
    let (signals, threshold) = compile_signals(ctx, raw);
    Detect {
        head,
        tail,
        source_url,
        signals,
        threshold,
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
    line_ends: &[usize],
) -> Option<Rule> {
    let raw = spanned.get_ref();
    let action = raw.action.get_ref().as_str();
    let Some((required, optional)) = Action::keys_of(action) else {
        let d = ctx.error(&raw.action, format!("unknown action `{action}`"));
        let help = match did_you_mean(action, actions::NAMES.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? actions are: {}",
                actions::NAMES.join(", ")
            ),
            None => format!("actions are: {}", actions::NAMES.join(", ")),
        };
        ctx.errors.push(d.with_help(help));
        return None;
    };
    let errors_before = ctx.errors.len();
    for key in Key::ALL {
        match raw.span(key) {
            Some(span) if !required.contains(&key) && !optional.contains(&key) => {
                let d = ctx.at(
                    span,
                    format!("`{}` does not apply to action `{action}`", key.name()),
                );
                ctx.errors.push(d);
            }
            None if required.contains(&key) => {
                let d = ctx.error(
                    &raw.action,
                    format!("action `{action}` needs `{}`", key.name()),
                );
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
    let compiled = Action::compile(action, &mut Keys::new(raw, ctx))?;
    // The line of the table's start, as `Diagnostic::at` counts it.
    let start = spanned.span().start.min(ctx.text.len());
    let line = line_ends.partition_point(|&end| end < start) + 1;
    Some(Rule {
        id: format!("{file_name}/{}", raw.id.get_ref()),
        note,
        action: compiled,
        origin: format!("{}:{line}", ctx.path),
        file: file_key.to_string(),
        layer: layer_of(file_key),
        span: spanned.span(),
        keys: raw.written(),
        index: 0,
    })
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
        assert_eq!(file.rules()[0].id, "x/ads");
        assert_eq!(file.detect.hosts, ["example.com"]);
        assert!(
            file.rules()[0].origin.ends_with("x.toml:4"),
            "{}",
            file.rules()[0].origin
        );
    }

    #[test]
    fn fragments_are_named_in_patterns_and_expanded_as_the_file_loads() {
        let text = r#"
[detect]
head = ['^#{{mark}}']
threshold = 2

[[detect.signal]]
id = "s"
pattern = '^{{mark}}{{mark}}'
weight = 2
note = "n"

[[rule]]
id = "ad"
action = "drop-lines"
pattern = '^(?:{{ad}})$'
note = "n"

[fragments]
ad = '广告|廣告'
mark = '=='
"#;
        let (file, rules, parse_errors) = schema::parse::<RawRule>(text);
        assert!(parse_errors.is_empty());
        let detect = file.unwrap().detect.unwrap().into_inner();
        assert_eq!(detect.head[0].get_ref(), "^#==");
        assert_eq!(detect.signal[0].get_ref().pattern.get_ref(), "^====");
        let pattern = rules[0].get_ref().pattern.as_ref().unwrap();
        assert_eq!(pattern.get_ref(), "^(?:广告|廣告)$");
        // The expanded pattern keeps the span of the string as written.
        assert_eq!(&text[pattern.span()], "'^(?:{{ad}})$'");
        assert_eq!(errors(text), Vec::<String>::new());
    }

    /// A file of one `drop-lines` rule of `pattern`, to which a `[fragments]` table may be
    /// added.
    fn rule(pattern: &str) -> String {
        format!(
            "[[rule]]\nid = \"a\"\naction = \"drop-lines\"\npattern = '{pattern}'\nnote = \"n\"\n\n"
        )
    }

    /// The pattern of the one rule of `text`, fragments written out; the file has no error.
    fn pattern_of(text: &str) -> String {
        let (_, rules, parse_errors) = schema::parse::<RawRule>(text);
        assert!(parse_errors.is_empty());
        rules[0]
            .get_ref()
            .pattern
            .as_ref()
            .unwrap()
            .get_ref()
            .clone()
    }

    #[test]
    fn a_fragment_names_others_in_any_order_never_itself() {
        let text = rule("^{{lead}}x$") + "[fragments]\nlead = '{{mark}}{0,3}'\nmark = '[-*]'\n";
        assert_eq!(pattern_of(&text), "^[-*]{0,3}x$");
        // A circle is an error at the fragment that closes it; the pattern that names one
        // of its fragments says so, and nothing is compiled from it.
        let e =
            errors(&(rule("^{{c}}$") + "[fragments]\na = 'x{{b}}'\nb = 'y{{a}}'\nc = '{{a}}z'\n"));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("9:5 fragment `b` names `a`, which names it in turn"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("4:11 fragment `c` could not be written out"),
            "{e:?}"
        );
        let e = errors(&(rule("^{{a}}$") + "[fragments]\na = '{{nope}}'\n"));
        assert!(
            e.iter().any(|e| e.starts_with("8:5 no fragment `nope`")),
            "{e:?}"
        );
    }

    #[test]
    fn fragments_that_would_write_out_too_much_are_refused_at_once() {
        // 2,000 copies of a 100 KB fragment: 200 MB written out before, refused now.
        let text =
            rule(&"{{x}}".repeat(2000)) + "[fragments]\nx = '" + &"a".repeat(100_000) + "'\n";
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("4:11 with the fragments it names written out, this takes the file's patterns past 4 MiB"), "{e:?}");
        // Nested, each level doubling the one before: the level that goes past the bound
        // is the error, and the levels above it are not written out.
        let mut fragments = String::from("l0 = 'xxxxxxxxxxxxxxxx'\n");
        for i in 1..40 {
            fragments += &format!("l{i} = '{{{{l{p}}}}}{{{{l{p}}}}}'\n", p = i - 1);
        }
        let text = rule("^{{l39}}$") + "[fragments]\n" + &fragments;
        let e = errors(&text);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("26:7 with the fragments") && e[0].contains("past 4 MiB"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("4:11 fragment `l39` could not be written out"),
            "{e:?}"
        );
    }

    #[test]
    fn braces_that_open_no_name_are_read_once() {
        // 450,000 `{{` and no `}}`: each was followed to the string's end before (74 s for
        // a 900 KB file); a name is read only as far as its own characters go.
        let text = rule(&"{{".repeat(450_000));
        assert_eq!(pattern_of(&text).len(), 900_000);
        // Braces around text that is no name stay, as before: `{{{x}}` opens with `{{{`.
        let text = rule("{{{x}}{{Y}}{{x}}") + "[fragments]\nx = 'z'\n";
        assert_eq!(pattern_of(&text), "{{{x}}{{Y}}z");
    }

    #[test]
    fn an_unknown_or_broken_fragment_is_reported_where_it_is_written() {
        let e = errors(
            "[[rule]]\nid = \"a\"\naction = \"drop-lines\"\npattern = '^x{{nope}}$'\nnote = \"n\"\n\n[fragments]\nyes = 'y'\n",
        );
        assert_eq!(e, ["4:14 no fragment `nope` in this file"]);
        let e = errors("[fragments]\nBad = 'y'\nnum = 3\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("2:1 a fragment's name is lowercase"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("3:7 fragment `num` must be a string"),
            "{e:?}"
        );
        let e = errors("fragments = 'x'\n");
        assert!(
            e[0].starts_with("1:13 `fragments` must be a table"),
            "{e:?}"
        );
        // Braces that name nothing are the regex's own.
        let e = errors(
            "[[rule]]\nid = \"a\"\naction = \"drop-lines\"\npattern = '^x{2}$'\nnote = \"n\"\n",
        );
        assert!(e.is_empty(), "{e:?}");
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
        // At the unclosed group itself, inside the pattern.
        assert!(e[1].starts_with("11:12 invalid regex"), "{e:?}");
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
    fn mirror_hosts_are_host_names_in_common_toml() {
        let (file, ds) = compile_file("common", "common.toml", "mirror_hosts = [\"GitHub.com\"]\n");
        assert!(ds.is_empty(), "{ds:?}");
        assert_eq!(&*file.unwrap().mirror_hosts, ["github.com"]);
        let e = errors("mirror_hosts = [\"github.com\"]\n");
        assert_eq!(
            e,
            ["1:17 `mirror_hosts` is read only in common.toml; here it would be ignored"]
        );
        let (_, ds) = compile_file(
            "common",
            "common.toml",
            "mirror_hosts = [\"https://gitlab.com/\"]\n",
        );
        assert!(ds[0].message.contains("is not a host name"), "{ds:?}");
    }

    #[test]
    fn source_url_needs_a_capture_group() {
        let e = errors("[detect]\nsource_url = ['https://\\S+']\n");
        assert_eq!(
            e,
            ["2:15 a `source_url` regex needs a capture group around the URL"]
        );
    }

    #[test]
    fn signals_compile_with_their_weights_windows_and_threshold() {
        let (file, errors) = compile_file(
            "families/x",
            "x.toml",
            "[detect]\nthreshold = 3\n\
             [[detect.signal]]\nid = \"menu\"\npattern = '^#### '\nweight = 2\nnote = \"n\"\n\
             [[detect.signal]]\nid = \"footer\"\nin = \"tail\"\npattern = 'share'\nweight = 1\nnote = \"n\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let detect = file.unwrap().detect;
        assert_eq!(detect.threshold, 3);
        let shown: Vec<_> = detect
            .signals
            .iter()
            .map(|s| (s.id.as_str(), s.weight, s.within))
            .collect();
        assert_eq!(
            shown,
            [("menu", 2, Window::Head), ("footer", 1, Window::Tail)]
        );
    }

    #[test]
    fn bad_signals_are_reported_where_they_are() {
        let signal = |id: &str, weight: i64, extra: &str| {
            format!(
                "[[detect.signal]]\nid = \"{id}\"\npattern = 'x'\nweight = {weight}\nnote = \"n\"\n{extra}"
            )
        };
        // No threshold.
        let e = errors(&signal("a", 1, ""));
        assert_eq!(e, ["2:6 signals without a `threshold`"]);
        // A threshold the signals cannot reach; a weight out of range; a duplicate id; an
        // unknown window.
        let text = format!(
            "[detect]\nthreshold = 9\n{}{}{}",
            signal("a", 2, ""),
            signal("a", 0, ""),
            signal("b", 1, "in = \"middle\"\n")
        );
        let e = errors(&text);
        assert!(
            e.iter()
                .any(|e| e.starts_with("9:6 duplicate signal id `a`")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|e| e.starts_with("11:10 weight 0 is out of range")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|e| e.starts_with("18:6 unknown window `middle`")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|e| e.starts_with("2:13 threshold 9 is out of reach")),
            "{e:?}"
        );
        // A threshold with nothing to reach it.
        assert_eq!(
            errors("[detect]\nthreshold = 2\n"),
            ["2:13 a `threshold` with no `[[detect.signal]]` to reach it"]
        );
        // Outlets are recognised by hosts, not weighed.
        let (_, ds) = compile_file(
            "outlets/x",
            "x.toml",
            &format!("[detect]\nthreshold = 1\n{}", signal("a", 1, "")),
        );
        let e: Vec<_> = ds.iter().map(|d| d.message.clone()).collect();
        assert!(
            e.iter()
                .any(|m| m
                    .starts_with("`[[detect.signal]]` is read only in family and platform files")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("`threshold` is read only in family and platform files")),
            "{e:?}"
        );
        // Platforms are recognised by their signals alone.
        let platform = format!("[detect]\nthreshold = 1\n{}", signal("a", 1, ""));
        let (file, ds) = compile_file("platforms/x", "x.toml", &platform);
        assert!(ds.is_empty(), "{ds:?}");
        assert_eq!(file.unwrap().detect.signals.len(), 1);
        let (_, ds) = compile_file(
            "platforms/x",
            "x.toml",
            &format!(
                "[detect]\nhead = ['x']\nthreshold = 1\n{}",
                signal("a", 1, "")
            ),
        );
        let e: Vec<_> = ds
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        assert!(
            e.iter()
                .any(|m| m.starts_with("2:9 a platform is recognised only by `[[detect.signal]]`")),
            "{e:?}"
        );
        let (_, ds) = compile_file("common", "common.toml", &platform);
        assert!(
            ds.iter().any(|d| d
                .message
                .starts_with("`[detect]` is read only in families/")),
            "{ds:?}"
        );
    }
}
