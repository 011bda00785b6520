//! Whole web pages (a document with a `<body>`): the title the page states in its head
//! (`og:title`, `<title>`) picks the headline among the kept content's headings.

use dechaff::{Cleaner, Format};

/// Three paragraphs of news, about 330 characters in all.
const STORY: &str = "<p>The river fell by two metres overnight, and residents began returning to their homes on Sunday morning.</p>\
<p>Officials said the bridges would reopen once engineers had inspected them, which could take several days.</p>\
<p>Schools in the district will stay closed until Wednesday, the council said, while roads are cleared.</p>";

fn page(head: &str, article: &str) -> String {
    format!(
        "<html><head>{head}</head><body><nav><a href=\"/\">Home</a></nav><article>{article}{STORY}</article><footer>© The Daily Example</footer></body></html>"
    )
}

fn markdown(page: &str) -> (Option<String>, String) {
    let cleaned = Cleaner::new().unwrap().clean_str(page);
    let article = cleaned.article_in(Format::Markdown);
    (article.title, article.content)
}

#[test]
fn a_kicker_above_the_headline_is_not_the_title() {
    let head = "<meta property=\"og:title\" content=\"Flood waters recede in the valley\">";
    let (title, content) = markdown(&page(
        head,
        "<header><h4>Weather —</h4><h1>Flood waters recede in the valley</h1><h2>Residents return home.</h2></header>",
    ));
    assert_eq!(title.as_deref(), Some("Flood waters recede in the valley"));
    assert!(
        content.starts_with("# Flood waters recede in the valley\n\n## Residents return home.\n\n"),
        "{content}"
    );
    assert_eq!(
        content.matches("Flood waters recede").count(),
        1,
        "{content}"
    );
    assert!(!content.contains("Weather"), "{content}");
}

#[test]
fn a_blogs_name_above_the_posts_title_is_not_the_title() {
    let head = "<title>Flood waters recede in the valley | River Notes</title>";
    let (title, content) = markdown(&page(
        head,
        "<h1>River Notes</h1><div class=\"post\"><h3><a href=\"https://example.org/post/1\">Flood waters recede in the valley</a></h3></div>",
    ));
    assert_eq!(title.as_deref(), Some("Flood waters recede in the valley"));
    assert!(!content.contains("River Notes"), "{content}");
    assert!(content.contains("Schools in the district"), "{content}");
}

/// A breadcrumb (links set apart by `>`) is the site's furniture, not the article: it goes,
/// and the headline after it is still the title, once.
#[test]
fn a_breadcrumb_before_the_headline_goes_and_the_headline_is_not_repeated() {
    let head = "<title>Flood waters recede in the valley _News_Example</title>";
    let (title, content) = markdown(&page(
        head,
        "<div class=\"crumbs\"><a href=\"/\">Home</a> &gt; <a href=\"/news\">News</a></div><h1>Flood waters recede in the valley</h1>",
    ));
    assert_eq!(title.as_deref(), Some("Flood waters recede in the valley"));
    assert_eq!(
        content.matches("Flood waters recede").count(),
        1,
        "{content}"
    );
    assert!(!content.contains("[News](/news)"), "{content}");
    assert!(!content.contains("Home"), "{content}");
    assert!(content.contains("Schools in the district"), "{content}");
}

#[test]
fn a_heading_the_head_does_not_name_is_still_the_title_and_a_page_without_one_takes_the_head_s() {
    // An editor's social title that differs from the headline does not replace it.
    let head = "<meta property=\"og:title\" content=\"You will not believe what the river did\">";
    let (title, _) = markdown(&page(head, "<h1>Flood waters recede in the valley</h1>"));
    assert_eq!(title.as_deref(), Some("Flood waters recede in the valley"));
    // No heading at all: the title the page gives for sharing.
    let (title, content) = markdown(&page(head, ""));
    assert_eq!(
        title.as_deref(),
        Some("You will not believe what the river did")
    );
    assert!(
        content.starts_with("# You will not believe what the river did\n\n"),
        "{content}"
    );
}

#[test]
fn the_report_shows_the_titles_the_page_states() {
    let head = "<title>Flood waters recede - The Daily Example</title><meta name=\"twitter:title\" content=\"Flood waters recede\">";
    let cleaned = Cleaner::new()
        .unwrap()
        .clean_str(&page(head, "<h1>Flood waters recede</h1>"));
    let titles = &cleaned.report.page_titles;
    assert_eq!(titles.shared.as_deref(), Some("Flood waters recede"));
    assert_eq!(
        titles.title.as_deref(),
        Some("Flood waters recede - The Daily Example")
    );
    // A fragment, or Markdown with HTML in it, states none.
    let fragment = Cleaner::new()
        .unwrap()
        .clean_str("<title>Not a page</title><p>Text.</p>");
    assert!(fragment.report.page_titles.is_empty());
}
