//! Which mirror family wraps a document, and which outlet wrote the article, read from the
//! document itself. Every fingerprint comes from the rule files' `[detect]` tables.

use crate::rules::{Catalog, LazyRegex, RuleFile};

/// Bytes at the start (and, for in-memory documents, the end) that detection reads.
pub const WINDOW: usize = 8 << 10;

/// Whether `re` matches in `text`. A regex none of whose matches can be in the text (a
/// literal every match contains is missing) is not compiled to find that out: most of the
/// catalog's detection regexes, on most documents.
fn finds(re: &LazyRegex, text: &str) -> bool {
    re.may_match(text) && re.is_match(text)
}

#[derive(Debug, Default, Clone)]
pub struct Detection {
    pub family: Option<String>,
    pub outlet: Option<String>,
    /// The original article's address, as the family's `source_url` patterns found it.
    pub source_url: Option<String>,
    pub evidence: Vec<String>,
}

/// What is known of a document when detection runs.
pub struct Sample<'a> {
    pub head: &'a str,
    /// The whole text when the document is in memory.
    pub whole: Option<&'a str>,
}

impl<'a> Sample<'a> {
    pub fn of(text: &'a str, complete: bool) -> Sample<'a> {
        Sample {
            head: prefix(text, WINDOW),
            whole: complete.then_some(text),
        }
    }

    fn tail(&self) -> Option<&'a str> {
        self.whole.map(|t| suffix(t, WINDOW))
    }
}

fn prefix(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn suffix(text: &str, n: usize) -> &str {
    let mut start = text.len().saturating_sub(n);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The best family for the sample: any `head` or `tail` pattern matching, highest
/// `priority` first, then name order.
pub fn family<'c>(catalog: &'c Catalog, sample: &Sample<'_>) -> Option<(&'c RuleFile, String)> {
    let tail = sample.tail();
    // Highest priority first, then name order (a stable sort of the name-ordered files):
    // the first family that matches is the best, and the rest need not be tried.
    let mut families: Vec<&RuleFile> = catalog.families().collect();
    families.sort_by_key(|f| std::cmp::Reverse(f.detect.priority));
    families.into_iter().find_map(|file| {
        file.detect
            .head
            .iter()
            .find(|re| finds(re, sample.head))
            .map(|re| format!("family {}: the head matches `{}`", file.name, re.as_str()))
            .or_else(|| {
                let tail = tail?;
                file.detect
                    .tail
                    .iter()
                    .find(|re| finds(re, tail))
                    .map(|re| format!("family {}: the tail matches `{}`", file.name, re.as_str()))
            })
            .map(|why| (file, why))
    })
}

/// The article's own URL, by the family's `source_url` patterns, in the whole document
/// when it is in memory, else in its head.
pub fn source_url(family: &RuleFile, sample: &Sample<'_>) -> Option<String> {
    let text = sample.whole.unwrap_or(sample.head);
    family.detect.source_url.iter().find_map(|re| {
        if !re.may_match(text) {
            return None;
        }
        let caps = re.captures(text)?;
        let url = caps.get(1)?.as_str().trim();
        is_web_url(url).then(|| url.to_string())
    })
}

/// Whether `url` is an absolute `http` or `https` address with a host, and holds nothing a
/// reader could take for markup or a line break: the only addresses metadata carries (a
/// `javascript:` link in the text is text, never the article's `url`).
pub fn is_web_url(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once("://") else {
        return false;
    };
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && host_of(url).is_some()
        && !url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\\'))
}

/// The host of a URL, lowercased, without port or credentials.
pub fn host_of(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest,
        None => url.strip_prefix("//")?,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The outlet whose `hosts` take `host` (`dw.com` takes `www.dw.com`).
pub fn outlet_by_host<'c>(catalog: &'c Catalog, host: &str) -> Option<&'c RuleFile> {
    catalog.outlets().find(|o| {
        o.detect.hosts.iter().any(|h| {
            host == h
                || host
                    .strip_suffix(h.as_str())
                    .is_some_and(|p| p.ends_with('.'))
        })
    })
}

/// The first outlet whose `head` (or `tail`) patterns match.
pub fn outlet_by_content<'c>(
    catalog: &'c Catalog,
    sample: &Sample<'_>,
) -> Option<(&'c RuleFile, String)> {
    let tail = sample.tail();
    catalog.outlets().find_map(|o| {
        if let Some(re) = o.detect.head.iter().find(|re| finds(re, sample.head)) {
            return Some((
                o,
                format!("outlet {}: the head matches `{}`", o.name, re.as_str()),
            ));
        }
        let tail = tail?;
        let re = o.detect.tail.iter().find(|re| finds(re, tail))?;
        Some((
            o,
            format!("outlet {}: the tail matches `{}`", o.name, re.as_str()),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            host_of("https://www.DW.com/zh/a-1").as_deref(),
            Some("www.dw.com")
        );
        assert_eq!(
            host_of("http://u:p@example.org:8080/x").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            host_of("//cdn.example.org/x").as_deref(),
            Some("cdn.example.org")
        );
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn the_highest_priority_family_that_matches_wins_then_name_order() {
        let file = |name: &str, head: &str, priority: i32| {
            (
                format!("families/{name}"),
                format!("{name}.toml"),
                format!(
                    "description = \"x\"\n[detect]\nhead = ['{head}']\npriority = {priority}\n"
                ),
            )
        };
        let catalog = Catalog::from_sources(vec![
            ("common".into(), "common.toml".into(), String::new()),
            file("a", "x", 1),
            file("b", "x", 3),
            file("c", "x", 3),
            file("d", "y", 9),
        ])
        .unwrap();
        let best =
            |text: &str| family(&catalog, &Sample::of(text, true)).map(|(f, _)| f.name.clone());
        assert_eq!(best("x").as_deref(), Some("b"));
        assert_eq!(best("x y").as_deref(), Some("d"));
        assert_eq!(best("z"), None);
    }

    #[test]
    fn windows_respect_char_boundaries() {
        let text = "中".repeat(5000);
        assert!(prefix(&text, WINDOW).len() <= WINDOW);
        assert!(suffix(&text, WINDOW).len() <= WINDOW);
    }
}
