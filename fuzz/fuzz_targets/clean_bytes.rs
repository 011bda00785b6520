//! Arbitrary bytes through the shipped rules, as Markdown, as HTML, and rendered in every
//! format: nothing may panic, and no format may let active content through. The HTML
//! output is parsed as a browser would read it and its tags and attributes are checked
//! (the words `javascript:` in an article's text are text, not a link); the Markdown
//! output is parsed as a Markdown reader would read it: no raw HTML, no active link.
#![no_main]

use dechaff::{Cleaner, Format, InputFormat, Options};
use libfuzzer_sys::fuzz_target;
use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings};
use std::borrow::Cow;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().expect("built-in rules load"))
}

/// Elements that run, style, embed or submit: never in HTML output.
const ACTIVE_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "meta", "form", "input", "button", "svg", "math", "template", "noscript",
];

/// Whether a URL, read as a browser reads it (references decoded, whitespace and control
/// characters dropped, case ignored), runs script or carries a document of its own.
fn active_url(raw: &str) -> bool {
    let decoded = html_escape::decode_html_entities(raw);
    let url: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// What is wrong with an HTML fragment's tags and attributes, if anything.
fn html_problem(html: &str) -> Option<String> {
    let problem: std::cell::RefCell<Option<String>> = Default::default();
    let any: Selector = "*".parse().expect("a selector");
    let settings = Settings::new().append_element_content_handler((
        Cow::Borrowed(&any),
        ElementContentHandlers::default().element(|el: &mut Element<'_, '_>| {
            let tag = el.tag_name();
            if ACTIVE_TAGS.contains(&tag.as_str()) {
                *problem.borrow_mut() = Some(format!("<{tag}>"));
            }
            for attr in el.attributes() {
                let name = attr.name();
                let value = attr.value();
                let bad = name.starts_with("on")
                    || matches!(name.as_str(), "style" | "srcdoc" | "formaction")
                    || (matches!(
                        name.as_str(),
                        "href" | "src" | "cite" | "action" | "poster" | "background" | "srcset" | "data"
                    ) && active_url(&value));
                if bad {
                    *problem.borrow_mut() = Some(format!("<{tag} {name}={value:?}>"));
                }
            }
            Ok(())
        }),
    ));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    problem.into_inner()
}

/// What is wrong with Markdown, read as a Markdown reader reads it: raw HTML, or a link or
/// image to an active URL.
fn markdown_problem(markdown: &str) -> Option<String> {
    use pulldown_cmark::{Event, Tag};
    pulldown_cmark::Parser::new(markdown).find_map(|event| match event {
        Event::Html(h) | Event::InlineHtml(h) => Some(format!("raw HTML {h:?}")),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
            if active_url(&dest_url) =>
        {
            Some(format!("link to {dest_url:?}"))
        }
        _ => None,
    })
}

fuzz_target!(|data: &[u8]| {
    for format in [None, Some(InputFormat::Markdown), Some(InputFormat::Html)] {
        let options = Options { format, ..Options::default() };
        let Ok(cleaned) = cleaner().clean_bytes(data, &options) else { continue };
        for out in [Format::Markdown, Format::Html, Format::Text, Format::Json] {
            let text = cleaned.to(out);
            let problem = match out {
                Format::Html => html_problem(&text),
                Format::Markdown => markdown_problem(&text),
                _ => None,
            };
            assert!(problem.is_none(), "{out:?}: {problem:?} in {text:?}");
        }
        let mut streamed = Vec::new();
        let _ = cleaner().clean(data, &mut streamed, &options);
    }
});
