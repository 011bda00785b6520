//! Platforms recognised by their own markup: a page of an outlet no rule file knows, built
//! on a CMS whose markup a `platforms/` file describes (`[[detect.signal]]`), gets that
//! file's rules where an outlet's would run; an outlet's own file says which platforms its
//! site is built on instead, and one or two stray pieces of a platform's markup are not
//! enough.

use dechaff::{Cleaner, Format, Options};
use std::path::Path;

fn fixture(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn platform_evidence(report: &dechaff::Report) -> Vec<&str> {
    report
        .evidence
        .iter()
        .filter(|e| e.starts_with("platform "))
        .map(String::as_str)
        .collect()
}

#[test]
fn an_unknown_outlets_drupal_page_gets_the_drupal_rules_and_says_why() {
    let cleaned = Cleaner::new()
        .unwrap()
        .clean_str(&fixture("rules/drupal/anonymous-comments/001.html"));
    let evidence = platform_evidence(&cleaned.report);
    assert_eq!(evidence.len(), 1, "{:?}", cleaned.report.evidence);
    assert!(
        evidence[0]
            .starts_with("platform drupal: its signals weigh 5 of threshold 3 (field-markup +2"),
        "{evidence:?}"
    );
    assert!(
        cleaned
            .report
            .fired
            .iter()
            .any(|h| h.id == "drupal/anonymous-comments")
    );
    let warning = &cleaned.report.warnings[0].message;
    assert!(warning.contains("drupal platform"), "{warning}");
    let markdown = cleaned.to(Format::Markdown);
    assert!(!markdown.contains("payday loans"), "{markdown}");
    assert!(markdown.contains("摊主们说，来逛的多是附近的学生和退休老人。"));
}

#[test]
fn a_known_outlet_brings_its_platforms_itself() {
    let page = fixture("corpus/jekyll-scrape/paopao/001.md");
    let cleaner = Cleaner::new().unwrap();
    let cleaned = cleaner.clean_str(&page);
    assert_eq!(cleaned.report.outlet.as_deref(), Some("paopao"));
    assert!(platform_evidence(&cleaned.report).is_empty());
    // With outlet rules switched off, the page is an unknown outlet's Drupal page.
    let options = Options {
        no_outlet: true,
        ..Options::default()
    };
    let none = cleaner.clean_str_with(&page, &options).unwrap();
    assert_eq!(platform_evidence(&none.report).len(), 1);
    assert!(
        none.report
            .fired
            .iter()
            .any(|h| h.id == "drupal/anonymous-comments")
    );
    assert!(!none.report.fired.iter().any(|h| h.id == "paopao/comments"));
}

#[test]
fn stray_pieces_of_a_platforms_markup_are_not_enough() {
    // A feed item that shows an image from a WordPress site and uses one of its class
    // names: two of WordPress's signals, weighing 2 of its threshold 3.
    let page = "<h1 class=\"entry-title\">A title</h1>\n<p>Text.</p>\n\
                <p><img src=\"https://blog.example/wp-content/uploads/2020/01/a.jpg\"></p>\n";
    let cleaned = Cleaner::new().unwrap().clean_str(page);
    assert!(
        platform_evidence(&cleaned.report).is_empty(),
        "{:?}",
        cleaned.report.evidence
    );
}

#[test]
fn a_post_reposted_from_substack_is_not_a_substack_page() {
    // iYouPort reposts a Substack post with its image blocks copied whole (`image-link
    // image2`, images through cdn.substack.com): two of Substack's signals, weighing 2 of
    // its threshold 3. With the outlet's rules off, it is a WordPress page, not Substack's.
    let page = fixture("corpus/jekyll-scrape/iyouport/020.md");
    let options = Options {
        no_outlet: true,
        ..Options::default()
    };
    let cleaned = Cleaner::new()
        .unwrap()
        .clean_str_with(&page, &options)
        .unwrap();
    let evidence = platform_evidence(&cleaned.report);
    assert!(
        evidence.iter().any(|e| e.starts_with("platform wordpress")),
        "{evidence:?}"
    );
    assert!(
        !evidence.iter().any(|e| e.starts_with("platform substack")),
        "{evidence:?}"
    );
}
