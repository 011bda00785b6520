//! The article's facts, read from whatever the document carries: Jekyll front matter,
//! `<time>` elements, elements marked as the author, dates in the text, the facts the
//! `metadata` rules read (source lines, datelines, bylines, a feed's timestamp comment, a
//! title without the site's name) and the source URL the family's rules found. Which lines
//! and patterns say what is rule data; here is only how dates are written (ISO 8601,
//! RFC 822, 2020年6月26日, milliseconds since 1970).

use super::blocks::{push_text, text_content};
use super::tree::{Element, Node, Nodes};
use crate::report::Fact;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// An image of the article, as [`Article::images`](crate::Article::images) lists them (and
/// `images` in `--to json`): its address, its alt text and its caption.
///
/// ```
/// use dechaff::{Cleaner, Image};
///
/// let page = "<figure><img src='https://example.com/a.jpg' alt='A'><figcaption>Caption</figcaption></figure><p>News.</p>";
/// let article = Cleaner::new()?.clean_str(page).article();
/// assert_eq!(
///     article.images,
///     [Image {
///         src: "https://example.com/a.jpg".into(),
///         alt: Some("A".into()),
///         caption: Some("Caption".into()),
///     }]
/// );
/// # Ok::<(), dechaff::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    /// The image's address (`src`), only when it is safe to show.
    pub src: String,
    /// Its alt text, when it has one.
    pub alt: Option<String>,
    /// Its caption: the `figcaption` of its figure, or a caption just after it.
    pub caption: Option<String>,
}

/// What the document says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    /// ISO 8601: a date (`2023-05-24`) or a date and time (`2023-05-24T14:34:01Z`).
    pub date: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// The original-language version of a translated article.
    pub translation_of: Option<String>,
    /// A short address of the article.
    pub short_url: Option<String>,
    /// The notice on the article's rights: a reprint permission, a copyright line.
    pub rights: Option<String>,
    /// The publication the article was reprinted from, as the page names it.
    pub reprinted_from: Option<String>,
    /// The address of the publication the article was reprinted from, as the page links it.
    pub reprinted_from_url: Option<String>,
    /// Where the article first appeared, as a note names it.
    pub first_published_in: Option<String>,
    /// The address where the article first appeared, as a note links it.
    pub first_published_url: Option<String>,
    /// When the article first appeared, as a note dates it: an ISO 8601 date.
    pub first_published_on: Option<String>,
    /// The title the article first appeared under, as a note gives it.
    pub original_title: Option<String>,
    pub images: Vec<Image>,
}

/// The scalar `key: value` lines of YAML front matter, unquoted and entity-decoded.
pub fn front_matter_fields(front_matter: &str) -> Vec<(String, String)> {
    front_matter
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return None;
            }
            let v = value.trim();
            let v = if v.len() >= 2
                && ((v.starts_with('"') && v.ends_with('"'))
                    || (v.starts_with('\'') && v.ends_with('\'')))
            {
                v[1..v.len() - 1].replace("\\\"", "\"").replace("''", "'")
            } else {
                v.to_string()
            };
            Some((
                key.to_string(),
                crate::text::decode_entities(&v).trim().to_string(),
            ))
        })
        .collect()
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?").unwrap()
});
static CHINESE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").unwrap());
static RFC822: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[A-Z][a-z]{2},\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|[+-]\d{4})?)?").unwrap()
});

/// The article's title as the document gives it: the front matter's (its `fields`, see
/// [`front_matter_fields`]), or the document's first heading. The heading wins when it is
/// what a `metadata` rule read from the front matter's title (`read`: the title without the
/// site's name the front matter adds, "Headline - iYouPort"), or when it has the front
/// matter's letters and digits in another punctuation: the generator wrote the title as a
/// file name allows (`误报-漏报` for the headline's `误报/漏报`), the page as its author did.
/// `heading` is the document's first heading (see [`first_heading`]).
pub fn title(
    fields: &[(String, String)],
    heading: Option<String>,
    read: Option<&str>,
) -> Option<String> {
    match (field(fields, "title"), heading) {
        (Some(_), Some(h)) if read == Some(h.as_str()) => Some(h),
        (Some(t), Some(h)) if repunctuated(&t, &h) => Some(h),
        (Some(t), _) => Some(t),
        (None, h) => h,
    }
}

/// Whether `heading` says `title` in other punctuation: the same letters and digits, in the
/// same order (and some), other marks than whitespace alone; a heading cut off with an
/// ellipsis (a feed's title line) is no better a title, and stays the front matter's.
fn repunctuated(title: &str, heading: &str) -> bool {
    // Most headings say the title as it is, or other words: told apart at their first
    // difference, nothing collected.
    if title == heading {
        return false;
    }
    let alnum = |c: &char| c.is_alphanumeric();
    let marked = |c: &char| !c.is_whitespace();
    let cut = ["...", "…", "⋯"]
        .iter()
        .any(|e| heading.trim_end().ends_with(e));
    !cut && title.chars().any(|c| c.is_alphanumeric())
        && title
            .chars()
            .filter(alnum)
            .eq(heading.chars().filter(alnum))
        && !title
            .chars()
            .filter(marked)
            .eq(heading.chars().filter(marked))
}

fn field(fields: &[(String, String)], k: &str) -> Option<String> {
    fields
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// Reads the metadata from the cleaned document: its front matter, its article tree (with
/// the title heading) and the facts its `metadata` rules read.
pub fn extract(
    front_matter: &str,
    tree: Nodes<'_>,
    facts: &[Fact],
    source_url: Option<&str>,
    mirror_hosts: &[String],
) -> Metadata {
    let fields = front_matter_fields(front_matter);
    // What the article states first; what only the source says (a feed's timestamp
    // comment: when the item was fetched) last.
    let (stated, from_source): (Vec<&Fact>, Vec<&Fact>) = facts.iter().partition(|f| !f.source);
    let fact = |k: &str| {
        stated
            .iter()
            .find(|f| f.field == k)
            .map(|f| f.value.clone())
    };
    let date_of = |facts: &[&Fact]| {
        facts
            .iter()
            .filter(|f| f.field == "date")
            .find_map(|f| fact_date(&f.value))
    };
    let url = url_of(facts, source_url, &fields, mirror_hosts);
    let field = |k: &str| field(&fields, k);
    let read_title = fact("title");
    let title = read_title
        .clone()
        .or_else(|| title(&fields, first_heading(tree), read_title.as_deref()));
    // The first 600 characters of the text (4 bytes each at most).
    let mut text = String::new();
    push_text(tree, &mut text, 600 * 4);
    let head = super::first_chars(&text, 600);
    let date = field("date")
        .and_then(|d| parse_date(&d))
        .or_else(|| find_time_element(tree))
        .or_else(|| date_of(&stated))
        .or_else(|| parse_date(head))
        .or_else(|| date_of(&from_source));
    let author = marked_author(tree)
        .or_else(|| fact("author"))
        .or_else(|| field("author"));
    let mut images = Vec::new();
    collect_images(tree, None, tree.slice(0..0), &mut images);
    Metadata {
        title,
        date,
        author,
        url,
        translation_of: fact("translation_of"),
        short_url: fact("short_url"),
        rights: fact("rights"),
        reprinted_from: fact("reprinted_from"),
        reprinted_from_url: fact("reprinted_from_url"),
        first_published_in: fact("first_published_in"),
        first_published_url: fact("first_published_url"),
        first_published_on: (stated.iter())
            .filter(|f| f.field == "first_published_on")
            .find_map(|f| parse_date(&f.value)),
        original_title: fact("original_title"),
        images,
    }
}

/// A date a metadata rule read, as ISO 8601: any date [`parse_date`] reads, or
/// milliseconds since 1970 (13 digits, as feeds write them).
fn fact_date(value: &str) -> Option<String> {
    if value.len() == 13 && value.bytes().all(|b| b.is_ascii_digit()) {
        return epoch_ms_to_iso(value);
    }
    parse_date(value)
}

/// The original article's address: what a metadata rule read, else what detection found
/// (the family's source line, the caller's URL), else the front matter's `from`; never an
/// address on one of `mirror_hosts` (common.toml's: the hosts that carry mirrors).
pub fn url_of(
    facts: &[Fact],
    source_url: Option<&str>,
    fields: &[(String, String)],
    mirror_hosts: &[String],
) -> Option<String> {
    facts
        .iter()
        .find(|f| f.field == "url")
        .map(|f| f.value.clone())
        .or_else(|| source_url.map(str::to_string))
        .or_else(|| field(fields, "from"))
        .filter(|u| crate::detect::is_web_url(u) && !crate::detect::is_mirror(u, mirror_hosts))
}

/// The text of an element marked as the author: `rel="author"`, or a class `byline` or
/// `author`.
fn marked_author(nodes: Nodes<'_>) -> Option<String> {
    for node in nodes {
        let Node::Element(el) = node else { continue };
        let rel = el
            .attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|w| w == "author"));
        let class = el.attr("class").is_some_and(|c| {
            c.split_whitespace()
                .any(|w| matches!(w, "byline" | "author" | "author-name"))
        });
        if rel || class {
            let t = fold(&text_content(el.children()));
            if !t.is_empty() && t.chars().count() <= 60 {
                return Some(t);
            }
        }
        if let Some(a) = marked_author(el.children()) {
            return Some(a);
        }
    }
    None
}

/// The text of the first heading of `nodes` that has text, whitespace folded.
pub fn first_heading(nodes: Nodes<'_>) -> Option<String> {
    for node in nodes {
        if let Node::Element(el) = node {
            if matches!(el.name().as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                let t = text_content(el.children())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !t.is_empty() {
                    return Some(t);
                }
            }
            if let Some(t) = first_heading(el.children()) {
                return Some(t);
            }
        }
    }
    None
}

fn find_time_element(nodes: Nodes<'_>) -> Option<String> {
    for node in nodes {
        if let Node::Element(el) = node {
            if el.name() == "time"
                && let Some(d) = el.attr("datetime").and_then(parse_date)
            {
                return Some(d);
            }
            if let Some(d) = find_time_element(el.children()) {
                return Some(d);
            }
        }
    }
    None
}

/// The month names an RFC 822 date may have.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The first date in `text`, as ISO 8601. A pattern is tried only where a character it
/// needs is present.
pub fn parse_date(text: &str) -> Option<String> {
    let iso = text.contains('-').then(|| ISO.captures(text)).flatten();
    let chinese = text
        .contains('年')
        .then(|| CHINESE.captures(text))
        .flatten();
    let rfc822 = MONTHS
        .iter()
        .any(|m| text.contains(m))
        .then(|| RFC822.captures(text))
        .flatten();
    let candidates = [
        iso.map(|c| {
            let date = format!("{}-{}-{}", &c[1], &c[2], &c[3]);
            (
                c.get(0).unwrap().start(),
                match (c.get(4), c.get(5)) {
                    (Some(h), Some(m)) => {
                        let s = c.get(6).map_or("00", |s| s.as_str());
                        let zone = c
                            .get(7)
                            .map_or(String::new(), |z| normalize_zone(z.as_str()));
                        format!("{date}T{}:{}:{s}{zone}", h.as_str(), m.as_str())
                    }
                    _ => date,
                },
            )
        }),
        chinese.map(|c| {
            (
                c.get(0).unwrap().start(),
                format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]),
            )
        }),
        rfc822.map(|c| {
            let month = MONTHS.iter().position(|m| *m == &c[2]).unwrap_or(0) + 1;
            let date = format!("{}-{month:02}-{:0>2}", &c[3], &c[1]);
            (
                c.get(0).unwrap().start(),
                match (c.get(4), c.get(5)) {
                    (Some(h), Some(m)) => {
                        let zone = c
                            .get(7)
                            .map_or(String::new(), |z| normalize_zone(z.as_str()));
                        format!(
                            "{date}T{}:{}:{}{zone}",
                            h.as_str(),
                            m.as_str(),
                            c.get(6).map_or("00", |s| s.as_str())
                        )
                    }
                    _ => date,
                },
            )
        }),
    ];
    candidates
        .into_iter()
        .flatten()
        .filter(|(_, d)| valid_date(d))
        .min_by_key(|(at, _)| *at)
        .map(|(_, d)| d)
}

fn normalize_zone(z: &str) -> String {
    match z {
        "Z" | "GMT" | "UTC" => "Z".into(),
        z if z.len() == 5 => format!("{}:{}", &z[..3], &z[3..]),
        z => z.to_string(),
    }
}

fn valid_date(iso: &str) -> bool {
    let y: u32 = iso.get(0..4).and_then(|s| s.parse().ok()).unwrap_or(0);
    let m: u32 = iso.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(0);
    let d: u32 = iso.get(8..10).and_then(|s| s.parse().ok()).unwrap_or(0);
    (1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// Milliseconds since 1970 as an ISO 8601 UTC date-time.
fn epoch_ms_to_iso(ms: &str) -> Option<String> {
    let ms: i64 = ms.parse().ok()?;
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Every image, with its caption: the `figcaption` of its figure, or a caption element just
/// after it or just after the wrappers that hold nothing but it.
fn collect_images(
    nodes: Nodes<'_>,
    figure: Option<Element<'_>>,
    after: Nodes<'_>,
    out: &mut Vec<Image>,
) {
    for (i, node) in nodes.iter().enumerate() {
        let Node::Element(el) = node else { continue };
        let siblings_after = nodes.slice(i + 1..);
        if el.name() == "img" {
            let Some(src) = el.attr("src").filter(|s| super::blocks::safe_url(s)) else {
                continue;
            };
            let only_content = (nodes.iter().enumerate()).all(|(j, n)| j == i || is_blank(n));
            let caption = figure
                .and_then(figcaption_of)
                .or_else(|| caption_in(siblings_after))
                .or_else(|| only_content.then(|| caption_in(after)).flatten());
            out.push(Image {
                src: src.to_string(),
                alt: el
                    .attr("alt")
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
                caption,
            });
        } else {
            let fig = if el.name() == "figure" {
                Some(el)
            } else {
                figure
            };
            // An element whose only content is an image passes on what follows it.
            let wraps_image = matches!(
                el.name().as_str(),
                "div" | "p" | "a" | "span" | "figure" | "picture" | "center"
            );
            let next = if wraps_image {
                siblings_after
            } else {
                nodes.slice(0..0)
            };
            collect_images(el.children(), fig, next, out);
        }
    }
}

fn is_blank(n: Node<'_>) -> bool {
    match n {
        Node::Text(t) => t.trim().is_empty(),
        Node::Element(e) => e.name() == "br",
    }
}

/// The caption among the first visible siblings: a `figcaption`, an element whose class
/// says caption, or a block holding only small print.
fn caption_in(siblings: Nodes<'_>) -> Option<String> {
    let at = siblings.iter().position(|n| !is_blank(n))?;
    let node = siblings.get(at)?;
    let after_break =
        (siblings.slice(..at).iter()).any(|n| matches!(n, Node::Element(e) if e.name() == "br"));
    let Node::Element(e) = node else {
        // Image, line break, text: the rest of the paragraph is its caption.
        return after_break
            .then(|| fold(&text_content(siblings.slice(at..))))
            .filter(|c| !c.is_empty() && c.chars().count() <= 300);
    };
    let class_says = e.attr("class").is_some_and(|c| c.contains("caption"));
    let small_print = e.name() == "small"
        || (matches!(e.name().as_str(), "div" | "p")
            && {
                let visible: Vec<Node<'_>> =
                    e.children().iter().filter(|c| !is_blank(*c)).collect();
                visible.len() == 1
                    && matches!(visible[0], Node::Element(x) if matches!(x.name().as_str(), "small" | "em" | "i"))
            });
    if e.name() == "figcaption" || class_says || small_print {
        Some(fold(&text_content(e.children()))).filter(|c| !c.is_empty())
    } else {
        None
    }
}

fn figcaption_of(figure: Element<'_>) -> Option<String> {
    fn find(nodes: Nodes<'_>) -> Option<String> {
        nodes.iter().find_map(|n| match n {
            Node::Element(e) if e.name() == "figcaption" => Some(fold(&text_content(e.children()))),
            Node::Element(e) => find(e.children()),
            _ => None,
        })
    }
    find(figure.children()).filter(|c| !c.is_empty())
}

fn fold(s: &str) -> String {
    super::inline::fold_text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_shape_become_iso() {
        assert_eq!(
            parse_date("2023-05-25T01:48:05.414Z").as_deref(),
            Some("2023-05-25T01:48:05Z")
        );
        assert_eq!(
            parse_date("【大纪元2020年09月14日讯】").as_deref(),
            Some("2020-09-14")
        );
        assert_eq!(
            parse_date("日期：Mon, 29 Jun 2020 10:05:00 +0800").as_deref(),
            Some("2020-06-29T10:05:00+08:00")
        );
        assert_eq!(
            parse_date("2016-05-07T05:25:48+00:00").as_deref(),
            Some("2016-05-07T05:25:48+00:00")
        );
        assert_eq!(
            fact_date("1684939624000").as_deref(),
            Some("2023-05-24T14:47:04Z")
        );
        assert_eq!(parse_date("no date 9999年99月99日"), None);
    }

    #[test]
    fn the_headline_is_the_title_when_only_punctuation_differs() {
        let fields = vec![("title".to_string(), "从“误报-漏报”聊起".to_string())];
        let heading = |h: &str| Some(h.to_string());
        // The generator's punctuation (a file name's) against the page's: the page's.
        assert_eq!(
            title(&fields, heading(" 从“误报/漏报”聊起 "), None).as_deref(),
            Some(" 从“误报/漏报”聊起 ")
        );
        // Other whitespace alone, or the title cut off with an ellipsis: the front matter's.
        let spaced = vec![("title".to_string(), "台风形成  2日发警报".to_string())];
        assert_eq!(
            title(&spaced, heading("台风形成 2日发警报"), None).as_deref(),
            Some("台风形成  2日发警报")
        );
        let cut = vec![("title".to_string(), "从“误报-漏报”聊".to_string())];
        assert_eq!(
            title(&cut, heading("从“误报-漏报”聊..."), None).as_deref(),
            Some("从“误报-漏报”聊")
        );
        // Other words, or a heading with no letters: the front matter's.
        assert_eq!(
            title(&fields, heading("从“误报”聊起"), None).as_deref(),
            Some("从“误报-漏报”聊起")
        );
        let marks = vec![("title".to_string(), "!!!".to_string())];
        assert_eq!(title(&marks, heading("???"), None).as_deref(), Some("!!!"));
    }

    #[test]
    fn front_matter_values_are_unquoted_and_decoded() {
        let f = front_matter_fields(
            "---\ntitle: \"A \\\"q\\\" &#38; b\"\nauthor: 中参馆\ntags: [ x ]\n---\n",
        );
        assert_eq!(f[0], ("title".into(), "A \"q\" & b".into()));
        assert_eq!(f[1], ("author".into(), "中参馆".into()));
    }

    #[test]
    fn captions_are_found_beside_their_images() {
        use crate::emit::tree::parse;
        let caps = |html: &str| {
            let mut out = Vec::new();
            let tree = parse(html);
            collect_images(tree.top(), None, tree.top().slice(0..0), &mut out);
            out.into_iter()
                .map(|i| i.caption.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            caps("<figure><img src=a><figcaption> A </figcaption></figure>"),
            ["A"]
        );
        assert_eq!(
            caps("<div><figure><img src=a></figure><br><span class=caption>B</span></div>"),
            ["B"]
        );
        assert_eq!(
            caps("<img src=a><div><small style=x>C</small></div><p>body</p>"),
            ["C"]
        );
        assert_eq!(
            caps("<div class=m><img src=a></div> <figcaption>D</figcaption>"),
            ["D"]
        );
        assert_eq!(caps("<p><img src=a> text</p><p>body</p>"), [""]);
        assert_eq!(
            caps("<p><img src=a><br>\n 图说（图片来源：视频截图）<span></span></p>"),
            ["图说（图片来源：视频截图）"]
        );
    }

    #[test]
    fn mirror_addresses_are_never_the_url() {
        // The hosts are common.toml's `mirror_hosts`.
        let mirrors = crate::Catalog::built_in().unwrap().mirror_hosts();
        let from = |u: &str| url_of(&[], None, &[("from".into(), u.into())], &mirrors);
        assert_eq!(
            from("https://github.com/gfw-breaker/banned-news3/blob/master/pages/x.md"),
            None
        );
        assert_eq!(
            from("https://raw.githubusercontent.com/a/b/master/x.md"),
            None
        );
        assert_eq!(from("https://gist.github.com/a/1"), None);
        assert_eq!(
            from("https://www.dw.com/zh/a-1").as_deref(),
            Some("https://www.dw.com/zh/a-1")
        );
    }
}
