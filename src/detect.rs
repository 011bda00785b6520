//! Which mirror family wraps a document, and which outlet wrote the article, read from the
//! document itself. Every fingerprint comes from the rule files' `[detect]` tables.

use crate::report::{PageTitles, SignalCheck, Weighing};
use crate::rules::{Catalog, Layer, LazyRegex, RuleFile, Window};
use crate::text::tag_may_start;
use regex::Regex;
use std::sync::LazyLock;

/// Bytes at the start (and, for in-memory documents, the end) that detection reads.
pub const WINDOW: usize = 8 << 10;

/// Whether `re` matches in `text`. A regex none of whose matches can be in the text (a
/// literal every match contains is missing) is not compiled to find that out: most of the
/// catalog's detection regexes, on most documents. One that may match compiles only what
/// telling a match takes (no capture groups, no reverse automaton): detection asks no more
/// of these patterns.
fn finds(re: &LazyRegex, text: &str) -> bool {
    re.may_match(text) && re.matches_past_literals(text)
}

#[derive(Debug, Default, Clone)]
pub struct Detection {
    pub family: Option<String>,
    pub outlet: Option<String>,
    /// The original article's address, as the family's `source_url` patterns found it.
    pub source_url: Option<String>,
    /// The titles a whole web page states in its head.
    pub page_titles: PageTitles,
    pub evidence: Vec<String>,
    /// The families weighed by their signals, best first, when no exact pattern matched.
    pub weighed: Vec<Weighing>,
    /// The keys of the platforms recognised when no outlet is (`platforms/drupal`): their
    /// rules run where an outlet's would.
    pub platforms: Vec<String>,
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

/// Every family with weighed signals, as they add up on the sample, best first: those
/// that reach their threshold by `priority`, then weight, then name; then the rest by
/// weight. Families none of whose signals is found are left out. Tail signals are found
/// only in documents read whole.
///
/// This is how a sibling of a known mirror is recognised: the same generator on another
/// repository keeps most of its template (the title line, the menus' shape, the share
/// footer, the source line) while the one pattern of `head` no longer matches.
pub fn weigh<'c>(catalog: &'c Catalog, sample: &Sample<'_>) -> Vec<(&'c RuleFile, Weighing)> {
    weigh_files(catalog.families(), sample)
}

/// The platforms (`platforms/` files with `[[detect.signal]]`: a CMS's or a plugin's
/// markup) whose signals reach their thresholds in the document, in name order, each with
/// its evidence line. They stand in for an outlet's file when no outlet is known: an
/// outlet's own file extends the platforms its site is built on.
pub fn platforms<'c>(catalog: &'c Catalog, sample: &Sample<'_>) -> Vec<(&'c RuleFile, String)> {
    let files = catalog.files().filter(|f| f.layer == Layer::Shared);
    let mut found: Vec<(&RuleFile, String)> = weigh_files(files, sample)
        .into_iter()
        .filter(|(_, w)| w.reached())
        .map(|(file, w)| {
            let why = format!(
                "platform {}: its signals weigh {} of threshold {} ({})",
                file.name,
                w.score,
                w.threshold,
                found_signals(&w)
            );
            (file, why)
        })
        .collect();
    found.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name));
    found
}

/// The signals of `w` that were found, with their weights (`menu +2, footer +1`).
fn found_signals(w: &Weighing) -> String {
    let found: Vec<String> = w
        .signals
        .iter()
        .filter(|s| s.found)
        .map(|s| format!("{} +{}", s.id, s.weight))
        .collect();
    found.join(", ")
}

/// [`weigh`] over any rule files with signals.
fn weigh_files<'c>(
    files: impl Iterator<Item = &'c RuleFile>,
    sample: &Sample<'_>,
) -> Vec<(&'c RuleFile, Weighing)> {
    let tail = sample.tail();
    let mut weighed: Vec<(&RuleFile, Weighing)> = files
        .filter(|f| !f.detect.signals.is_empty())
        .filter_map(|file| {
            let signals: Vec<SignalCheck> = file
                .detect
                .signals
                .iter()
                .map(|s| {
                    let text = match s.within {
                        Window::Head => Some(sample.head),
                        Window::Tail => tail,
                    };
                    SignalCheck {
                        id: s.id.clone(),
                        weight: s.weight,
                        within: s.within.name(),
                        found: text.is_some_and(|t| finds(&s.pattern, t)),
                        note: s.note.clone(),
                    }
                })
                .collect();
            let score = signals.iter().filter(|s| s.found).map(|s| s.weight).sum();
            (score > 0).then(|| {
                let weighing = Weighing {
                    family: file.name.clone(),
                    score,
                    threshold: file.detect.threshold,
                    signals,
                };
                (file, weighing)
            })
        })
        .collect();
    weighed.sort_by(|(a, wa), (b, wb)| {
        wb.reached()
            .cmp(&wa.reached())
            .then_with(|| match wa.reached() {
                true => b.detect.priority.cmp(&a.detect.priority),
                false => std::cmp::Ordering::Equal,
            })
            .then_with(|| wb.score.cmp(&wa.score))
            .then_with(|| a.name.cmp(&b.name))
    });
    weighed
}

/// The family the signals recognise, with its evidence line: the best of `weighed`, if it
/// reaches its threshold.
pub fn by_signals<'c>(weighed: &[(&'c RuleFile, Weighing)]) -> Option<(&'c RuleFile, String)> {
    let (file, w) = weighed.first().filter(|(_, w)| w.reached())?;
    let why = format!(
        "family {}: no `head` or `tail` pattern matched, but its signals weigh {} of threshold {} ({})",
        file.name,
        w.score,
        w.threshold,
        found_signals(w)
    );
    Some((file, why))
}

/// The page's own address as it states it: a `<link rel="canonical">`, else a
/// `<meta property="og:url">`, among the tags before `<body>` (in the first 8 KiB when the
/// page has no `<body>` tag), with what stated it. Only an `http(s)` address counts.
pub fn own_address(sample: &Sample<'_>) -> Option<(String, &'static str)> {
    let head = page_head(sample).unwrap_or(sample.head);
    if !tag_may_start(head.as_bytes(), b"lLmM") {
        return None;
    }
    let mut og = None;
    for tag in HEAD_TAG.find_iter(head) {
        let tag = tag.as_str();
        let attr = |name: &str| attribute(tag, name);
        let address = if tag[1..].to_ascii_lowercase().starts_with("link") {
            let canonical = attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("canonical"))
            });
            if !canonical {
                continue;
            }
            attr("href")
        } else {
            let is_og_url = attr("property")
                .or_else(|| attr("name"))
                .is_some_and(|p| p.eq_ignore_ascii_case("og:url"));
            if !is_og_url || og.is_some() {
                continue;
            }
            og = attr("content").filter(|u| is_web_url(u));
            continue;
        };
        if let Some(url) = address.filter(|u| is_web_url(u)) {
            return Some((url, "its canonical link"));
        }
    }
    og.map(|url| (url, "its og:url"))
}

/// What comes before the page's `<body>` tag, when the text has one (the whole text when it
/// is in memory, else its head).
fn page_head<'a>(sample: &Sample<'a>) -> Option<&'a str> {
    let text = sample.whole.unwrap_or(sample.head);
    // The tag is ASCII: where it begins is a character boundary.
    crate::text::body_tag_at(text.as_bytes()).map(|at| &text[..at])
}

/// The value of the attribute `name` of `tag` (one start tag's text), its references
/// decoded and its ends trimmed.
fn attribute(tag: &str, name: &str) -> Option<String> {
    ATTRIBUTE.captures_iter(tag).find_map(|c| {
        c[1].eq_ignore_ascii_case(name).then(|| {
            let value = (c.get(2).or(c.get(3)).or(c.get(4))).map_or("", |m| m.as_str());
            html_escape::decode_html_entities(value.trim()).into_owned()
        })
    })
}

/// The titles a whole web page (a text with a `<body>` tag) states in its head, before the
/// body: the title it gives for sharing (`og:title`, else `twitter:title`), which names the
/// article alone on nearly every site, and its `<title>`, which often adds the site's name
/// ("Headline - Site"). Whitespace folded, references decoded; at most 400 characters each.
pub fn page_titles(sample: &Sample<'_>) -> PageTitles {
    let mut titles = PageTitles::default();
    let Some(head) = page_head(sample) else {
        return titles;
    };
    let bounded = |t: &str| -> Option<String> {
        let t = crate::text::fold_blanks(t);
        (!t.is_empty()).then(|| t.chars().take(400).collect())
    };
    if tag_may_start(head.as_bytes(), b"mM") {
        let (mut og, mut twitter) = (None, None);
        for tag in HEAD_TAG.find_iter(head) {
            let tag = tag.as_str();
            let Some(property) = attribute(tag, "property").or_else(|| attribute(tag, "name"))
            else {
                continue;
            };
            let slot = match property.to_ascii_lowercase().as_str() {
                "og:title" => &mut og,
                "twitter:title" => &mut twitter,
                _ => continue,
            };
            if slot.is_none() {
                *slot = attribute(tag, "content").and_then(|t| bounded(&t));
            }
        }
        titles.shared = og.or(twitter);
    }
    if tag_may_start(head.as_bytes(), b"tT") {
        titles.title =
            (TITLE.captures(head)).and_then(|c| bounded(&html_escape::decode_html_entities(&c[1])));
    }
    titles
}

static HEAD_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<(?:link|meta)\s[^<>]*>").expect("the tag pattern compiles"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<title(?:\s[^<>]*)?>([^<]*)</title\s*>").expect("the title pattern compiles")
});
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z][A-Za-z0-9:_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("the attribute pattern compiles")
});

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
        && !holds_unsafe_char(url)
}

/// Whether `url` holds a control character, whitespace, `<`, `>`, `"` or `\`, told by its
/// bytes: a non-ASCII character is decided only where its first byte is 0xC2 (U+0080 to
/// U+00BF: the C1 controls, U+0085 and U+00A0) or may lead another whitespace character.
/// An address percent-encodes most of what it holds, and decoding each of its characters
/// cost several thousand instructions an address.
fn holds_unsafe_char(url: &str) -> bool {
    let bytes = url.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        // Controls and ASCII's whitespace lie below `!`, with DEL.
        0..=0x20 | 0x7F | b'<' | b'>' | b'"' | b'\\' => true,
        0xC2 => bytes.get(i + 1).is_some_and(|&b1| b1 <= 0xA0),
        _ => crate::text::may_lead_blank(b) && crate::text::blank_at(url, i).is_some(),
    })
}

/// Whether `url` is a site's front page: no path, or only a language's (`/en/`,
/// `/english`, `/zh-hant/index.html`), and no query. A language switcher links one; an
/// article never has one for its address, so it is no `url` or `translation_of`.
pub fn is_front_page(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let rest = rest.split('#').next().unwrap_or("");
    let Some(path) = rest.find('/').map(|i| &rest[i..]) else {
        return !rest.contains('?');
    };
    if path.contains('?') {
        return false;
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => true,
        [one] => is_language(one) || is_index(one),
        [language, index] => is_language(language) && is_index(index),
        _ => false,
    }
}

/// Whether a path segment names a language: a two-letter code with a region or script
/// (`en`, `en-us`, `zh_Hant`), or a language's name as sites spell it.
fn is_language(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    let (code, sub) = match s.split_once(['-', '_']) {
        Some((code, sub)) => (code, Some(sub)),
        None => (s.as_str(), None),
    };
    let letters = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase())
    };
    (letters(code, 2..=2) && sub.is_none_or(|t| letters(t, 2..=4)))
        || ["english", "chinese", "big5", "gb"].contains(&s.as_str())
}

/// Whether a path segment is a directory's index page.
fn is_index(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    [
        "index.html",
        "index.htm",
        "index.php",
        "index.shtml",
        "default.aspx",
    ]
    .contains(&s.as_str())
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

/// Whether one of `hosts` takes `host`: the same host, or one under it (`dw.com` takes
/// `www.dw.com`).
pub fn host_is_under(host: &str, hosts: &[String]) -> bool {
    hosts.iter().any(|h| {
        host == h
            || host
                .strip_suffix(h.as_str())
                .is_some_and(|p| p.ends_with('.'))
    })
}

/// Whether `url` is on a host that carries mirrors (common.toml's `mirror_hosts`): such an
/// address is never an article's own.
pub fn is_mirror(url: &str, mirror_hosts: &[String]) -> bool {
    host_of(url).is_some_and(|h| host_is_under(&h, mirror_hosts))
}

/// The outlet whose `hosts` take `host` (`dw.com` takes `www.dw.com`).
pub fn outlet_by_host<'c>(catalog: &'c Catalog, host: &str) -> Option<&'c RuleFile> {
    catalog
        .outlets()
        .find(|o| host_is_under(host, &o.detect.hosts))
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
    fn unsafe_characters_are_told_by_their_bytes() {
        let spelled_out = |url: &str| {
            url.chars()
                .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\\'))
        };
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for url in [
                format!("https://a/{c}"),
                format!("https://a/{c}x"),
                format!("{c}"),
            ] {
                assert_eq!(holds_unsafe_char(&url), spelled_out(&url), "{c:?}");
            }
        }
    }

    #[test]
    fn front_pages_are_told_from_articles() {
        for url in [
            "https://example.com",
            "https://example.com/",
            "https://example.com/en/",
            "https://example.com/EN-us",
            "https://example.com/zh_Hant/index.html",
            "https://example.com/english#top",
            "https://example.com/index.php",
        ] {
            assert!(is_front_page(url), "{url}");
        }
        for url in [
            "https://example.com/?p=123",
            "https://example.com/en/a",
            "https://example.com/news/",
            "https://example.com/a.html",
            "https://example.com/2020/07/01/story.html",
            "https://example.com/en/index.html?id=5",
            "not a url",
        ] {
            assert!(!is_front_page(url), "{url}");
        }
    }

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

    /// A catalog of families with `[detect]` tables as given.
    fn families(files: &[(&str, &str)]) -> Catalog {
        let mut sources = vec![("common".into(), "common.toml".into(), String::new())];
        for (name, detect) in files {
            sources.push((
                format!("families/{name}"),
                format!("{name}.toml"),
                format!("description = \"x\"\n[detect]\n{detect}"),
            ));
        }
        Catalog::from_sources(sources).unwrap()
    }

    fn signal(id: &str, within: &str, pattern: &str, weight: u32) -> String {
        format!(
            "[[detect.signal]]\nid = '{id}'\nin = '{within}'\npattern = '{pattern}'\nweight = {weight}\nnote = 'n'\n"
        )
    }

    #[test]
    fn signals_are_weighed_together_against_the_threshold() {
        let generator = format!(
            "head = ['^EXACT']\nthreshold = 5\n{}{}{}",
            signal("title", "head", "^### ", 2),
            signal("menu", "head", "首页", 2),
            signal("footer", "tail", "分享本文章", 3),
        );
        let catalog = families(&[("gen", &generator)]);
        let best = |text: &str, whole: bool| {
            let sample = Sample::of(text, whole);
            let weighed = weigh(&catalog, &sample);
            let scores: Vec<_> = weighed
                .iter()
                .map(|(_, w)| (w.score, w.reached()))
                .collect();
            (by_signals(&weighed).map(|(f, _)| f.name.clone()), scores)
        };
        // One signal, however strong, is not enough; two that weigh 5 are.
        assert_eq!(best("分享本文章", true), (None, vec![(3, false)]));
        assert_eq!(
            best("### t\n首页\n分享本文章", true),
            (Some("gen".into()), vec![(7, true)])
        );
        assert_eq!(
            best("### t\n分享本文章", true),
            (Some("gen".into()), vec![(5, true)])
        );
        assert_eq!(best("### t\n首页", true), (None, vec![(4, false)]));
        // The tail is read only when the document is read whole.
        assert_eq!(best("### t\n分享本文章", false), (None, vec![(2, false)]));
        // Nothing found: the family is not listed at all.
        assert_eq!(best("plain text", true), (None, vec![]));
        // Every signal is reported, found or not, with its weight and window.
        let weighed = weigh(&catalog, &Sample::of("### t\n分享本文章", true));
        let shown: Vec<_> = weighed[0]
            .1
            .signals
            .iter()
            .map(|s| (s.id.as_str(), s.weight, s.within, s.found))
            .collect();
        assert_eq!(
            shown,
            [
                ("title", 2, "head", true),
                ("menu", 2, "head", false),
                ("footer", 3, "tail", true)
            ]
        );
        let why = by_signals(&weighed).unwrap().1;
        assert!(
            why.contains("weigh 5 of threshold 5 (title +2, footer +3)"),
            "{why}"
        );
    }

    #[test]
    fn of_families_whose_signals_reach_their_thresholds_priority_then_weight_decides() {
        let low = format!(
            "priority = 1\nthreshold = 2\n{}{}",
            signal("a", "head", "alpha", 2),
            signal("b", "head", "beta", 2)
        );
        let high = format!(
            "priority = 9\nthreshold = 3\n{}",
            signal("c", "head", "gamma", 3)
        );
        let other = format!(
            "priority = 1\nthreshold = 3\n{}",
            signal("d", "head", "alpha", 3)
        );
        let catalog = families(&[("low", &low), ("high", &high), ("other", &other)]);
        let order = |text: &str| -> Vec<String> {
            weigh(&catalog, &Sample::of(text, true))
                .iter()
                .map(|(f, w)| format!("{}:{}", f.name, w.score))
                .collect()
        };
        // Both reach: the higher priority first, whatever the weights.
        assert_eq!(order("alpha beta gamma"), ["high:3", "low:4", "other:3"]);
        // Same priority: the heavier first; those below their threshold last.
        assert_eq!(order("alpha beta"), ["low:4", "other:3"]);
        assert_eq!(order("beta"), ["low:2"]);
        let catalog_order = |text: &str| {
            let weighed = weigh(&catalog, &Sample::of(text, true));
            by_signals(&weighed).map(|(f, _)| f.name.clone())
        };
        assert_eq!(catalog_order("gamma").as_deref(), Some("high"));
    }

    #[test]
    fn an_exact_pattern_decides_before_any_weighing() {
        let catalog = families(&[
            ("exact", "head = ['^EXACT']\npriority = 1\n"),
            (
                "weighed",
                &format!(
                    "priority = 9\nthreshold = 1\n{}",
                    signal("s", "head", "EXACT", 1)
                ),
            ),
        ]);
        let found = family(&catalog, &Sample::of("EXACT page", true)).map(|(f, _)| f.name.clone());
        assert_eq!(found.as_deref(), Some("exact"));
    }

    #[test]
    fn a_page_states_its_own_address_before_its_body() {
        let own = |text: &str| own_address(&Sample::of(text, true));
        let page = |head: &str| format!("<html><head>{head}</head><body><p>x</p></body></html>");
        assert_eq!(
            own(&page(
                r#"<link href="https://a.example/x?p=1&amp;q=2" rel="canonical">"#
            )),
            Some(("https://a.example/x?p=1&q=2".into(), "its canonical link"))
        );
        assert_eq!(
            own(&page(
                "<meta content='https://a.example/og' property='og:url'>"
            )),
            Some(("https://a.example/og".into(), "its og:url"))
        );
        // The canonical link wins over og:url wherever they are.
        assert_eq!(
            own(&page(
                "<meta property=og:url content=https://a.example/og><link rel='alternate canonical' href=https://a.example/c>"
            ))
            .map(|(u, _)| u),
            Some("https://a.example/c".into())
        );
        // Not an address: relative, another scheme, or after the body has begun.
        assert_eq!(own(&page(r#"<link rel="canonical" href="/x">"#)), None);
        assert_eq!(
            own(&page(r#"<link rel="canonical" href="javascript:x()">"#)),
            None
        );
        assert_eq!(
            own("<html><body><link rel=\"canonical\" href=\"https://a.example/x\"></body>"),
            None
        );
        assert_eq!(
            own(r#"<link rel="stylesheet" href="https://a.example/s.css">"#),
            None
        );
    }

    #[test]
    fn a_page_states_its_titles_before_its_body() {
        let titles = |text: &str| page_titles(&Sample::of(text, true));
        let page = "<html><head><TITLE>\n  Floods &amp; fires\n - Example</TITLE>\
            <meta name=\"twitter:title\" content=\"Floods\">\
            <meta property=\"og:title\" content=\"Floods &amp; fires\"></head><body>\
            <meta property=\"og:title\" content=\"Not the page's\"></body></html>";
        let got = titles(page);
        assert_eq!(got.shared.as_deref(), Some("Floods & fires"));
        assert_eq!(got.title.as_deref(), Some("Floods & fires - Example"));
        let twitter = "<head><meta name=\"twitter:title\" content=\"Floods\"></head><body>";
        assert_eq!(titles(twitter).shared.as_deref(), Some("Floods"));
        // Only a whole page states them; an empty one states none.
        assert!(titles("<title>Floods</title><p>Text</p>").is_empty());
        assert!(titles("<head><title> </title></head><body>").is_empty());
        let long = format!("<head><title>{}</title></head><body>", "洪".repeat(1000));
        assert_eq!(titles(&long).title.map(|t| t.chars().count()), Some(400));
    }

    #[test]
    fn windows_respect_char_boundaries() {
        let text = "中".repeat(5000);
        assert!(prefix(&text, WINDOW).len() <= WINDOW);
        assert!(suffix(&text, WINDOW).len() <= WINDOW);
    }
}
