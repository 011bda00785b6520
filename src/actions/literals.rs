//! What a rule needs of a document or a text, read from its selector or pattern: the
//! literals a page must contain for a selector to match (for the prefilter, `rules::needs`),
//! the prefix a pattern on attribute names asks for, and the literals every match of an
//! anchored text pattern begins with (so that most texts are ruled out without a search).
//!
//! Literals are matched ASCII-case-insensitively and, but for a tag's `<`, are made only of
//! `[A-Za-z0-9_-]` (see `rules::needs` for why that makes the prefilter sound).

/// A string the raw document must contain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    /// Anywhere.
    Text(String),
    /// Where an attribute name can start: after whitespace, `/` or a closing quote.
    AttrName(String),
}

/// Shorter literals (the `0` of `[width='0']`) are in every page: they would only cost scan
/// time, each occurrence being a match to handle.
const MIN_RUN: usize = 3;
const MIN_NAME: usize = 2;

pub(crate) fn is_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn safe(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_safe)
}

/// The literals each alternative of `selector` needs.
pub fn of_selector(selector: &str) -> Vec<Vec<Literal>> {
    // Escapes would need the CSS unescaping rules: give up rather than guess.
    if selector.contains('\\') {
        return vec![Vec::new()];
    }
    match split_top_level(selector) {
        Some(parts) => parts.iter().map(|p| of_complex(p.as_bytes())).collect(),
        None => vec![Vec::new()],
    }
}

/// What a rule on `css` that works on the attribute `name` needs: each alternative of the
/// selector, and the attribute (when its name is one the prefilter can look for).
pub fn with_attribute(css: &super::Css, name: Option<&str>) -> Vec<Vec<Literal>> {
    let extra = name
        .filter(|n| safe(n))
        .map(|n| Literal::AttrName(n.to_ascii_lowercase()));
    let mut alternatives = of_selector(&css.text);
    for all in &mut alternatives {
        all.extend(extra.clone());
    }
    alternatives
}

/// The literal a pattern like `^on` asks names to start with, if that is all it asks.
pub fn literal_prefix(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('^')?;
    (!rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | ':')))
    .then(|| rest.to_string())
}

/// The alternatives of the selector list `selector` that `keep` (indexed like the
/// alternatives [`of_selector`] gives literals for) keeps, joined again; None when the
/// list does not split so.
pub fn narrowed(selector: &str, keep: &[bool]) -> Option<String> {
    let parts = split_top_level(selector)?;
    (parts.len() == keep.len()).then(|| {
        let kept: Vec<&str> = (parts.iter().zip(keep))
            .filter(|&(_, &k)| k)
            .map(|(p, _)| p.trim())
            .collect();
        kept.join(", ")
    })
}

/// Splits a selector list at its top-level commas.
fn split_top_level(s: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(' | b'[') => depth += 1,
            (None, b')' | b']') => depth -= 1,
            (None, b',') if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    (depth == 0 && quote.is_none()).then(|| {
        parts.push(&s[start..]);
        parts
    })
}

/// The literals one complex selector (`div.a > p[title]`) needs: every compound's. Empty
/// when it needs none or when a part is not understood.
fn of_complex(s: &[u8]) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut compound_start = true;
    while i < s.len() {
        match s[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b'>' => {
                compound_start = true;
                i += 1;
            }
            b'*' => {
                compound_start = false;
                i += 1;
            }
            b'.' | b'#' => {
                let (name, next) = ident(s, i + 1);
                if safe(name) && name.len() >= MIN_NAME {
                    out.push(Literal::Text(name.to_ascii_lowercase()));
                }
                compound_start = false;
                i = next;
            }
            b'[' => {
                let Some(next) = attribute(s, i + 1, &mut out) else {
                    return Vec::new();
                };
                compound_start = false;
                i = next;
            }
            b':' => {
                // Pseudo-classes add nothing: `:not(.x)` must not make `.x` required.
                while i < s.len() && s[i] == b':' {
                    i += 1;
                }
                i = ident(s, i).1;
                if s.get(i) == Some(&b'(') {
                    let Some(close) = closing_paren(s, i) else {
                        return Vec::new();
                    };
                    i = close + 1;
                }
                compound_start = false;
            }
            b if compound_start && (b.is_ascii_alphabetic() || b == b'_' || b >= 0x80) => {
                let (name, next) = ident(s, i);
                if safe(name) {
                    out.push(Literal::Text(format!("<{}", name.to_ascii_lowercase())));
                }
                compound_start = false;
                i = next;
            }
            _ => return Vec::new(),
        }
    }
    out
}

/// A CSS identifier starting at `i`, and the index after it.
fn ident(s: &[u8], i: usize) -> (&str, usize) {
    let end = s[i..]
        .iter()
        .position(|&b| !(is_safe(b) || b >= 0x80))
        .map_or(s.len(), |n| i + n);
    (std::str::from_utf8(&s[i..end]).unwrap_or(""), end)
}

fn closing_paren(s: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut quote) = (0, None);
    for (i, &b) in s.iter().enumerate().skip(open) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// An attribute selector's body from `i` (after `[`): pushes its literals and returns the
/// index after `]`, or None if it is not understood.
fn attribute(s: &[u8], mut i: usize, out: &mut Vec<Literal>) -> Option<usize> {
    let skip_ws = |mut i: usize| {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    i = skip_ws(i);
    let (name, next) = ident(s, i);
    if name.is_empty() {
        return None;
    }
    if safe(name) {
        out.push(Literal::AttrName(name.to_ascii_lowercase()));
    }
    i = skip_ws(next);
    match s.get(i)? {
        b']' => return Some(i + 1),
        b'=' => i += 1,
        b'~' | b'^' | b'$' | b'*' | b'|' if s.get(i + 1) == Some(&b'=') => i += 2,
        _ => return None,
    }
    i = skip_ws(i);
    let value = match s.get(i)? {
        &q @ (b'"' | b'\'') => {
            let len = s[i + 1..].iter().position(|&b| b == q)?;
            let value = &s[i + 1..i + 1 + len];
            i += len + 2;
            value
        }
        _ => {
            let (value, next) = ident(s, i);
            i = next;
            value.as_bytes()
        }
    };
    // The value as written may hold characters a page could spell as references; its
    // longest run of safe characters is in the page's bytes whenever the value is.
    if let Some(run) = value
        .split(|&b| !is_safe(b))
        .max_by_key(|run| run.len())
        .filter(|run| run.len() >= MIN_RUN)
    {
        out.push(Literal::Text(
            String::from_utf8_lossy(run).to_ascii_lowercase(),
        ));
    }
    i = skip_ws(i);
    if matches!(s.get(i), Some(b'i' | b's' | b'I' | b'S')) {
        i = skip_ws(i + 1);
    }
    (s.get(i) == Some(&b']')).then_some(i + 1)
}

/// The literals every match of `pattern` starts with, if it is anchored at the start of
/// the text (`^…`, `\A…`) and they are known and finite; None otherwise. A text that agrees
/// with none of them as far as both go cannot match, whatever follows.
pub fn anchored_prefixes(pattern: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::{HirKind, Look};
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let (first, rest) = parts.split_first()?;
    if !matches!(first.kind(), HirKind::Look(Look::Start)) {
        return None;
    }
    let rest = regex_syntax::hir::Hir::concat(rest.to_vec());
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&rest);
    let literals = seq.literals()?;
    (!literals.is_empty() && literals.iter().all(|l| !l.as_bytes().is_empty()))
        .then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_patterns_give_the_literals_their_matches_begin_with() {
        let p = |re: &str| {
            anchored_prefixes(re).map(|v| {
                let mut v: Vec<String> = v
                    .into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect();
                v.sort();
                v
            })
        };
        assert_eq!(p("^相关链接："), Some(vec!["相关链接：".into()]));
        assert_eq!(
            p("^请?微信搜索\\s*x"),
            Some(vec!["微信搜索".into(), "请微信搜索".into()])
        );
        assert_eq!(
            p("^(完整视频|点击观看视频)[：:]?$"),
            Some(
                [
                    "完整视频",
                    "完整视频:",
                    "完整视频：",
                    "点击观看视频",
                    "点击观看视频:",
                    "点击观看视频："
                ]
                .map(String::from)
                .to_vec()
            )
        );
        // Not anchored, anchored per line, or free to start anywhere: nothing to rule out by.
        assert_eq!(p("相关链接"), None);
        assert_eq!(p("(?m)^相关"), None);
        assert_eq!(p("^.*相关"), None);
        assert_eq!(p("^a|b"), None);
        assert_eq!(p("^$"), None);
    }

    fn text(s: &str) -> Literal {
        Literal::Text(s.into())
    }

    fn attr(s: &str) -> Literal {
        Literal::AttrName(s.into())
    }

    #[test]
    fn literal_prefixes_are_recognised() {
        assert_eq!(literal_prefix("^on").as_deref(), Some("on"));
        assert_eq!(literal_prefix("^data-lazy"), Some("data-lazy".into()));
        assert_eq!(literal_prefix("^on|^data"), None);
        assert_eq!(literal_prefix("on"), None);
    }

    #[test]
    fn a_selector_list_is_cut_to_the_alternatives_kept() {
        let list = ".sr-only, .off-screen,iframe[src*='a,b']";
        assert_eq!(
            narrowed(list, &[false, true, true]).as_deref(),
            Some(".off-screen, iframe[src*='a,b']")
        );
        assert_eq!(narrowed(list, &[true, false]), None);
    }

    #[test]
    fn selectors_give_their_literals() {
        assert_eq!(
            of_selector("div.ad-slot > p#top"),
            [[text("<div"), text("ad-slot"), text("<p"), text("top")]]
        );
        // Too short to be worth looking for.
        assert_eq!(
            of_selector("p#x, img[width='0']"),
            [vec![text("<p")], vec![text("<img"), attr("width")]]
        );
        assert_eq!(
            of_selector("script, link[rel='stylesheet']"),
            [
                vec![text("<script")],
                vec![text("<link"), attr("rel"), text("stylesheet")]
            ]
        );
        assert_eq!(
            of_selector("[href*=\"facebook.com/sharer\" i]"),
            [[attr("href"), text("facebook")]]
        );
        assert_eq!(of_selector("OK[Data-X]"), [[text("<ok"), attr("data-x")]]);
    }

    #[test]
    fn what_cannot_be_required_is_not() {
        // Anything at all, a negation, a value of other characters, an escape.
        let none: [Vec<Literal>; 1] = [vec![]];
        assert_eq!(of_selector("*"), none);
        assert_eq!(of_selector("p, *"), [vec![text("<p")], vec![]]);
        assert_eq!(of_selector("p:not(.keep)"), [[text("<p")]]);
        assert_eq!(of_selector("*:nth-child(2n+1)"), none);
        assert_eq!(of_selector("[title='广告']"), [[attr("title")]]);
        assert_eq!(of_selector(".a\\:b"), none);
        assert_eq!(of_selector(".广告"), none);
    }
}
