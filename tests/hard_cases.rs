//! The cases the corpus issue names as hard, each on the documents that show it. The
//! snapshots lock the whole output in; these say what each case must get right.

mod common;

use common::options_for;
use dechaff::{Cleaned, Cleaner};
use regex::Regex;
use std::path::PathBuf;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().unwrap())
}

fn path(doc: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(doc)
}

fn input(doc: &str) -> String {
    std::fs::read_to_string(path(doc)).unwrap()
}

fn clean(doc: &str) -> Cleaned {
    cleaner()
        .clean_str_with(&input(doc), &options_for(&path(doc)))
        .unwrap()
}

fn count(haystack: &str, re: &str) -> usize {
    Regex::new(re).unwrap().find_iter(haystack).count()
}

/// A Markdown heading made of links to the mirror's repositories or its video server.
const MIRROR_HEADING: &str = r"(?m)^\s*#{1,6}\s*\[[^\]]*\]\((https?://)?(github\.com/(gfw-breaker|begood0513)|\d+\.\d+\.\d+\.\d+)";

#[test]
fn gfw_breaker_three_top_menu_variants() {
    for doc in [
        "gfw-breaker/epochtimes/003.md",
        "gfw-breaker/ntdtv/006.md",
        "gfw-breaker/epochtimes/001.md",
    ] {
        assert!(
            count(&input(doc), r"(?m)^#### \[首页\]") >= 1,
            "{doc} has a top menu"
        );
        let out = clean(doc).text;
        assert_eq!(count(&out, MIRROR_HEADING), 0, "{doc}: a menu survives");
        assert!(!out.contains("[首页]"), "{doc}");
    }
}

#[test]
fn gfw_breaker_promo_blocks_of_every_date() {
    for doc in [
        "gfw-breaker/epochtimes/003.md",
        "gfw-breaker/epochtimes/001.md",
        "gfw-breaker/epochtimes/008.md",
        "gfw-breaker/epochtimes/017.md",
    ] {
        assert!(count(&input(doc), MIRROR_HEADING) >= 2, "{doc} has promos");
        let out = clean(doc).text;
        assert_eq!(count(&out, MIRROR_HEADING), 0, "{doc}: a promo survives");
        assert!(
            out.contains("原文地址（需翻墙访问）："),
            "{doc}: lost its source line"
        );
    }
}

#[test]
fn gfw_breaker_anchors_closed_by_ok() {
    let doc = "gfw-breaker/epochtimes/004.md";
    assert!(input(doc).contains("<a name") && input(doc).contains("</ok>"));
    let out = clean(doc).text;
    assert!(!out.contains("<ok") && !out.contains("</ok>"));
    assert_eq!(
        count(&out, r"<a[\s>]"),
        count(&out, r"</a>"),
        "every anchor is closed"
    );
}

#[test]
fn gfw_breaker_ok_wrapping_images_stays_a_linked_image() {
    let doc = "gfw-breaker/epochtimes/003.md";
    let out = clean(doc).text;
    assert!(
        count(
            &out,
            r#"<a href="https://i\.epochtimes\.com/[^"]+">\s*<img"#
        ) >= 1,
        "{out}"
    );
}

#[test]
fn gfw_breaker_nested_paragraphs_and_br_pairs_keep_their_text() {
    let out = clean("gfw-breaker/ntdtv/004.md").text;
    assert!(!out.contains("<ok"));
    let out = clean("gfw-breaker/secretchina/001.md").text;
    assert!(!out.contains("</br>"));
    assert!(out.contains("足球名将郝海东直播宣读建立新中国联邦宣言（图片来源：视频截图）"));
}

#[test]
fn secretchina_span_links_hidden_spans_and_the_promo_inside_an_ad_box() {
    let doc = "gfw-breaker/secretchina/001.md";
    let before = input(doc);
    assert!(
        before.contains("<span href") && before.contains("hideid") && before.contains("\n---\n")
    );
    let out = clean(doc).text;
    assert!(!out.contains("<span href"));
    assert!(out.contains("<a href=\"https://www.secretchina.com/news/gb/tag/"));
    assert!(!out.contains("hideid") && !out.contains("display:none"));
    assert_eq!(
        count(&out, r"(?m)^---\s*$"),
        0,
        "the promo's rule line inside the ad box"
    );
    assert!(!out.contains("209.250.229.66"));
}

#[test]
fn voa_gallery_escaped_into_text_keeps_every_photo_and_caption() {
    let doc = "gfw-breaker-v1/voa/004.md";
    assert!(input(doc).contains("&lt;figure"));
    let out = clean(doc).text;
    assert_eq!(
        count(
            &out,
            r"<figure><img src=\x22https://gdb\.voanews\.com/[^\x22]+\x22><figcaption>[^<]{10,}</figcaption></figure>"
        ),
        22
    );
    assert!(!out.contains("&lt;"), "nothing escaped is left");
}

#[test]
fn feedx_items_with_and_without_the_timestamp_comment() {
    for doc in ["feedx/cdt/001.md", "feedx/cdt/020.md"] {
        let c = clean(doc);
        assert_eq!(c.report.family.as_deref(), Some("feedx"), "{doc}");
        assert_eq!(c.report.outlet.as_deref(), Some("cdt"), "{doc}");
    }
    assert!(!input("feedx/cdt/001.md").starts_with("<!--"));
    assert!(
        clean("feedx/cdt/001.md").text.contains("日期："),
        "the date line is the item's date"
    );
    assert!(
        clean("feedx/cdt/020.md").text.starts_with("<!--"),
        "the timestamp comment is the item's date"
    );
}

#[test]
fn feedx_dw_images_come_out_of_the_proxy() {
    for n in 1..=20 {
        let doc = format!("feedx/dw/{n:03}.md");
        let out = clean(&doc).text;
        assert!(!out.contains("images.weserv.nl"), "{doc}");
        if input(&doc).contains("images.weserv.nl/?url=static.dw.com") {
            assert!(out.contains("src=\"https://static.dw.com/"), "{doc}");
        }
    }
}

#[test]
fn cdt_better_feed_footer_goes_whatever_the_poster_name() {
    let mut with_footer = 0;
    for n in 1..=20 {
        let doc = format!("feedx/cdt/{n:03}.md");
        with_footer += usize::from(input(&doc).contains("Feed enhanced by"));
        let out = clean(&doc).text;
        assert!(
            !out.contains("Feed enhanced by") && !out.contains("for 中国数字时代"),
            "{doc}"
        );
    }
    assert!(with_footer >= 10);
}

#[test]
fn jekyll_front_matter_variants_are_detected_and_untouched() {
    for doc in [
        "jekyll/chinafile/010.md",
        "jekyll/allnow/004.md",
        "jekyll/zaobao/001.md",
    ] {
        let before = input(doc);
        let c = clean(doc);
        assert_eq!(c.report.family.as_deref(), Some("jekyll"), "{doc}");
        let fm_end = before[4..].find("\n---\n").unwrap() + 9;
        assert_eq!(&c.text[..fm_end], &before[..fm_end], "{doc}");
        assert!(!c.text.contains("<!--NaN-->"), "{doc}");
    }
    assert!(input("jekyll/chinafile/010.md").contains("comments: True"));
    assert!(input("jekyll/allnow/004.md").contains("<!--NaN-->"));
}

#[test]
fn zaobao_lazy_images_and_paywall_placeholders() {
    let out = clean("seeds/jekyll-zaobao-2023.md").text;
    assert!(!out.contains("data-src") && !out.contains("cx_paywall_placeholder"));
    assert!(out.contains("src=\"https://static.zaobao.com/"));
}

#[test]
fn iyouport_lazy_images_are_kept_once() {
    let doc = "jekyll-scrape/iyouport/001.md";
    assert!(input(doc).contains("<noscript"));
    let out = clean(doc).text;
    assert!(!out.contains("<noscript"));
    let srcs: Vec<&str> = Regex::new(r#"<img[^>]* src="([^"]+)""#)
        .unwrap()
        .captures_iter(&out)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let mut unique = srcs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(srcs.len(), unique.len(), "an image appears twice");
    assert!(
        srcs.iter()
            .all(|s| s.starts_with("https://") && !s.contains("data:image"))
    );
}

#[test]
fn neist_styles_and_paywall_go() {
    let out = clean("jekyll-scrape/neist/001.md").text;
    assert!(!out.contains("<style") && !out.contains("hit the wall"));
}

#[test]
fn paopao_comment_threads_go() {
    let doc = "jekyll-scrape/paopao/004.md";
    let before = input(doc);
    let out = clean(doc).text;
    assert!(before.matches("class=\"comment").count() > 100);
    assert!(!out.contains("class=\"comment"));
    assert!(
        out.len() * 10 < before.len(),
        "the thread was most of the page"
    );
}

#[test]
fn caa_ins_view_counters_and_share_buttons_go() {
    let out = clean("jekyll-scrape/caa-ins/001.md").text;
    assert_eq!(count(&out, r"\d+\s*Views"), 0);
    let before = input("jekyll-scrape/caa-ins/001.md");
    assert!(before.contains("sharedaddy") && count(&before, r"\d+\s*Views") > 0);
    for button in [
        "sharedaddy",
        "sd-button",
        "share-facebook",
        "share-twitter",
        "share-telegram",
    ] {
        assert!(!out.contains(button), "{button} survives");
    }
}
