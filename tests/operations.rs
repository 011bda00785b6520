//! Each rule action and each known lol_html trap, on small documents.

use dechaff::{Catalog, Cleaned, Cleaner, InputFormat, Options};

fn cleaner(rules: &str) -> Cleaner {
    let catalog =
        Catalog::from_sources(vec![("common".into(), "common.toml".into(), rules.into())])
            .unwrap_or_else(|e| panic!("rules did not load:\n{e}"));
    Cleaner::with_catalog(catalog)
}

fn clean(rules: &str, input: &str, format: InputFormat) -> Cleaned {
    let options = Options {
        format: Some(format),
        ..Options::default()
    };
    cleaner(rules).clean_str_with(input, &options).unwrap()
}

fn html(rules: &str, input: &str) -> String {
    clean(rules, input, InputFormat::Html).text
}

fn markdown(rules: &str, input: &str) -> String {
    clean(rules, input, InputFormat::Markdown).text
}

fn rule(action: &str, keys: &str) -> String {
    format!("[[rule]]\nid = \"r\"\naction = \"{action}\"\nnote = \"test\"\n{keys}\n")
}

fn warning_kinds(c: &Cleaned) -> Vec<&str> {
    c.report.warnings.iter().map(|w| w.kind).collect()
}

#[test]
fn remove_takes_the_element_and_its_content() {
    let rules = rule("remove", "selector = 'div.ad'");
    assert_eq!(
        html(
            &rules,
            "<div><p>a</p><div class=ad>x<b>y</b></div><p>b</p></div>"
        ),
        "<div><p>a</p><p>b</p></div>"
    );
}

#[test]
fn remove_leaves_no_blank_line_where_the_element_stood() {
    let rules = rule("remove", "selector = 'div.ad'");
    assert_eq!(
        html(
            &rules,
            "<div>\n <p>a</p>\n <div class=\"ad\">\n </div>\n</div>"
        ),
        "<div>\n <p>a</p>\n</div>"
    );
}

#[test]
fn unwrap_keeps_the_content() {
    let rules = rule("unwrap", "selector = 'span.k'");
    assert_eq!(
        html(&rules, "<p>x <span class=k>word</span> y</p>"),
        "<p>x word y</p>"
    );
}

#[test]
fn rename_changes_both_tags() {
    let rules = rule("rename", "selector = 'ok, span[href]'\nto = 'a'");
    assert_eq!(
        html(
            &rules,
            "<p><ok href=u>t</ok> <span href=v>s</span> <span>plain</span></p>"
        ),
        "<p><a href=u>t</a> <a href=v>s</a> <span>plain</span></p>"
    );
}

#[test]
fn keep_only_keeps_the_region() {
    let rules = rule("keep-only", "selector = 'article'");
    assert_eq!(
        html(
            &rules,
            "<body><header>menu</header><article><p>x</p></article><footer>f</footer></body>"
        ),
        "<article><p>x</p></article>"
    );
}

#[test]
fn keep_only_drops_everything_outside_its_regions() {
    let rules = rule("keep-only", "selector = 'article'");
    // A doctype, comments, a stray end tag, text between two regions: none of it is the
    // article. A region inside a region is part of it.
    let input = "<!DOCTYPE html></div><body><!--c--><header>menu</header>\n\
                 <article><p>a</p><article>b</article></article>\n between \n\
                 <article>c</article><footer>f</footer></body>";
    let cleaned = clean(&rules, input, InputFormat::Html);
    assert_eq!(
        cleaned.text,
        "<article><p>a</p><article>b</article></article><article>c</article>"
    );
    // Each stretch outside the regions that held more than whitespace is one removal.
    let hit = &cleaned.report.fired[0];
    assert_eq!((hit.id.as_str(), hit.count), ("common/r", 3));
    let outside = input.len() - cleaned.text.len();
    assert_eq!(hit.bytes_removed, outside as u64);
    assert_eq!(hit.previews[1], "between");
}

#[test]
fn skipping_previews_keeps_every_count() {
    let rules = rule("remove", "selector = 'div.ad'");
    let input = "<div class=ad>one</div><p>x</p><div class=ad>two</div>";
    let options = |skip_previews| Options {
        format: Some(InputFormat::Html),
        skip_previews,
        ..Options::default()
    };
    let cleaner = cleaner(&rules);
    let with = cleaner.clean_str_with(input, &options(false)).unwrap();
    let without = cleaner.clean_str_with(input, &options(true)).unwrap();
    assert_eq!(with.text, without.text);
    let (a, b) = (&with.report.fired[0], &without.report.fired[0]);
    assert_eq!(a.previews, ["one", "two"]);
    assert!(b.previews.is_empty());
    assert_eq!((a.count, a.bytes_removed), (b.count, b.bytes_removed));
}

#[test]
fn keep_only_region_closed_by_its_parent_ends_before_the_parent_end_tag() {
    let rules = rule("keep-only", "selector = 'p.lead'");
    assert_eq!(
        html(&rules, "<div><p class=lead>a</div><p>b</p>"),
        "<p class=lead>a"
    );
}

#[test]
fn keep_only_keeps_what_follows_when_the_rewriter_gives_up() {
    let rules = rule("keep-only", "selector = 'article'");
    // Too deep for the rewriter's memory bound: from there on the input passes unchanged,
    // outside a region or not.
    let input = format!(
        "<nav>menu</nav><article>a</article>{}<p>tail</p>",
        "<div>".repeat(400_000)
    );
    let cleaned = clean(&rules, &input, InputFormat::Html);
    assert!(warning_kinds(&cleaned).contains(&"too-deep"));
    assert!(cleaned.text.starts_with("<article>a</article>"));
    assert!(cleaned.text.ends_with("<p>tail</p>"));
}

#[test]
fn keep_only_in_markdown_drops_the_blocks_outside() {
    let rules = rule("keep-only", "selector = 'article'");
    let cleaned = clean(
        &rules,
        "# Menu\n\n<article>\n<p>x</p>\n</article>\n\nFooter text.\n",
        InputFormat::Markdown,
    );
    assert_eq!(cleaned.text, "<article>\n<p>x</p>\n</article>\n");
    // The blocks outside went with the rule: not a block lost in the HTML pass.
    assert!(!warning_kinds(&cleaned).contains(&"structure-lost"));
}

#[test]
fn keep_only_without_its_region_keeps_everything() {
    let rules = rule("keep-only", "selector = 'article'");
    let input = "<div><p>no article element here</p></div>";
    assert_eq!(html(&rules, input), input);
}

#[test]
fn remove_if_text_matches_the_whole_text_across_tags_and_entities() {
    let rules = rule(
        "remove-if-text",
        "selector = 'p'\npattern = '^获取更多RSS：$'",
    );
    assert_eq!(
        html(
            &rules,
            "<p>获取<b>更多</b>&#82;SS：</p><p>获取更多RSS：and more</p>"
        ),
        "<p>获取更多RSS：and more</p>"
    );
}

#[test]
fn remove_if_text_respects_its_size_bound() {
    let rules = rule(
        "remove-if-text",
        "selector = 'p'\npattern = '^©'\nmax_chars = 10",
    );
    assert_eq!(
        html(
            &rules,
            "<p>© short</p><p>© a notice much longer than ten</p>"
        ),
        "<p>© a notice much longer than ten</p>"
    );
}

#[test]
fn remove_empty_removes_what_other_rules_emptied() {
    let rules = format!(
        "{}{}",
        rule("remove", "selector = '.ad'"),
        rule("remove-empty", "selector = 'div'").replace("\"r\"", "\"e\"")
    );
    assert_eq!(
        html(
            &rules,
            "<div><div class=ad>ad</div></div><div><img src=x></div><div> &nbsp; </div><p>x</p>"
        ),
        "<div><img src=x></div><p>x</p>"
    );
}

#[test]
fn remove_comments_matches_comment_text() {
    let rules = rule("remove-comments", "pattern = '^NaN$'");
    assert_eq!(
        html(&rules, "<!--NaN--><p>x</p><!--keep-->"),
        "<p>x</p><!--keep-->"
    );
}

#[test]
fn move_attr_brings_in_lazy_images() {
    let rules = rule(
        "move-attr",
        "selector = 'img[data-src]'\nfrom = 'data-src'\nto = 'src'",
    );
    assert_eq!(
        html(&rules, "<img src=\"blank.gif\" data-src=\"real.jpg\">"),
        "<img src=\"real.jpg\">"
    );
}

#[test]
fn rewrite_attr_unwraps_an_image_proxy() {
    let rules = rule(
        "rewrite-attr",
        "selector = 'img'\nattr = 'src'\npattern = '^https?://images\\.weserv\\.nl/\\?url=([^&]+).*$'\nwith = 'https://$1'",
    );
    assert_eq!(
        html(
            &rules,
            "<img src=\"https://images.weserv.nl/?url=static.dw.com/i/1.jpg&w=20\">"
        ),
        "<img src=\"https://static.dw.com/i/1.jpg\">"
    );
}

#[test]
fn drop_attr_removes_matching_attributes() {
    let rules = rule("drop-attr", "selector = '*'\npattern = '^on'");
    assert_eq!(
        html(&rules, "<p onclick=\"x()\" class=c onmouseover=y>t</p>"),
        "<p class=c>t</p>"
    );
}

#[test]
fn drop_link_block_drops_link_only_headings_and_paragraphs() {
    let rules = rule("drop-link-block", "pattern = '^https://mirror\\.example/'");
    let input = "### Title\n\n#### [Home](https://mirror.example/) &nbsp;|&nbsp; [Books](https://mirror.example/b)\n\n[Elsewhere](https://news.example/) | [Home](https://mirror.example/)\n\n#### Words and [a link](https://mirror.example/x)\n\nBody.\n";
    assert_eq!(
        markdown(&rules, input),
        "### Title\n\n[Elsewhere](https://news.example/) | [Home](https://mirror.example/)\n\n#### Words and [a link](https://mirror.example/x)\n\nBody.\n"
    );
}

#[test]
fn drop_lines_drops_whole_lines() {
    let rules = rule("drop-lines", "pattern = '^Share this:'");
    assert_eq!(
        markdown(&rules, "Body.\n\nShare this: x\n<p>y</p>\n"),
        "Body.\n\n<p>y</p>\n"
    );
}

#[test]
fn cut_removes_from_the_last_marker_to_its_end() {
    let rules = rule("cut", "from = '<hr><div>RSS'\nto = '</div>'");
    assert_eq!(
        markdown(&rules, "<div><p>a</p><hr><div>RSS: x</div></div>\n"),
        "<div><p>a</p></div>\n"
    );
}

#[test]
fn cut_refuses_to_remove_more_than_its_bound() {
    let rules = rule("cut", "from = 'FOOTER'\nmax_bytes = 10");
    let input = "Body.\n\nFOOTER and a long tail of text\n";
    let c = clean(&rules, input, InputFormat::Markdown);
    assert_eq!(c.text, input);
    assert_eq!(warning_kinds(&c), ["unknown-family", "cut-too-large"]);
}

#[test]
fn replace_rewrites_the_source() {
    let rules = rule("replace", "pattern = '<(/?)ok(\\s|>)'\nwith = '<${1}a$2'");
    assert_eq!(
        markdown(&rules, "<p><a href=x>t</ok></p>\n"),
        "<p><a href=x>t</a></p>\n"
    );
}

// --- lol_html applies no implied end tags ---

#[test]
fn a_removal_whose_end_never_comes_keeps_the_content() {
    let rules = rule("remove", "selector = 'p.notice'");
    let c = clean(
        &rules,
        "<p class=notice>notice<div><p>article</p></div>",
        InputFormat::Html,
    );
    assert_eq!(c.text, "notice<div><p>article</p></div>");
    assert!(
        warning_kinds(&c).contains(&"unclosed-element"),
        "{:?}",
        c.report.warnings
    );
}

#[test]
fn implied_list_item_ends_lose_no_item() {
    let rules = rule("remove", "selector = 'li.ad'");
    let c = clean(
        &rules,
        "<ul><li class=ad>ad<li>k1<li>k2</ul>",
        InputFormat::Html,
    );
    assert!(c.text.contains("k1") && c.text.contains("k2"), "{}", c.text);
    assert!(warning_kinds(&c).contains(&"unclosed-element"));
}

#[test]
fn a_removal_closed_by_its_parent_keeps_the_parent_end_tag() {
    let rules = rule("remove", "selector = 'p.ad'");
    let c = clean(
        &rules,
        "<div><p class=ad>ad</div><p>after</p>",
        InputFormat::Html,
    );
    assert!(
        c.text.contains("</div>") && c.text.contains("<p>after</p>"),
        "{}",
        c.text
    );
}

#[test]
fn a_self_closing_custom_tag_swallows_nothing() {
    let rules = rule("remove", "selector = 'ok'");
    let c = clean(
        &rules,
        "<p><ok href=x/>text after</p><p>more</p>",
        InputFormat::Html,
    );
    assert!(
        c.text.contains("text after") && c.text.contains("<p>more</p>"),
        "{}",
        c.text
    );
}

// --- the Markdown layer ---

#[test]
fn front_matter_and_untouched_blocks_are_byte_identical() {
    let rules = rule("remove", "selector = '.ad'");
    let input = "---\ntitle: \"x &amp; y\"\ntags: [ a ]\n---\n<!--1-->\n[T](https://x.example/)\n------\n\nA  *paragraph*  with `<div class=ad>` in code.\n\n<div><p>x</p><div class=ad>ad</div></div>\n";
    assert_eq!(
        markdown(&rules, input),
        "---\ntitle: \"x &amp; y\"\ntags: [ a ]\n---\n<!--1-->\n[T](https://x.example/)\n------\n\nA  *paragraph*  with `<div class=ad>` in code.\n\n<div><p>x</p></div>\n"
    );
}

#[test]
fn unwrapping_on_prettified_lines_keeps_one_html_block() {
    let rules = rule("unwrap", "selector = 'ok'");
    let input = "<div><p>\n 前文\n <ok href=\"x\">\n  链接\n </ok>\n 后文\n</p></div>\n\nNext.\n";
    let out = markdown(&rules, input);
    assert_eq!(out, "<div><p>\n 前文\n  链接\n 后文\n</p></div>\n\nNext.\n");
}

#[test]
fn markdown_inside_a_removed_element_goes_with_it() {
    let rules = rule("remove", "selector = 'div.ad'");
    let input = "<div><p>a</p>\n<div class=\"ad\">\n\n---\n\n#### [promo](http://x/)\n\n</div>\n<p>b</p></div>\n\nAfter.\n";
    assert_eq!(
        markdown(&rules, input),
        "<div><p>a</p>\n<p>b</p></div>\n\nAfter.\n"
    );
}

#[test]
fn a_trailing_rule_left_by_a_removed_menu_goes_too() {
    let rules = rule("drop-link-block", "pattern = '^https://mirror\\.example/'");
    let input = "Body.\n\n------------------------\n#### [Home](https://mirror.example/)\n";
    assert_eq!(markdown(&rules, input), "Body.\n");
}

// --- detection ---

fn two_layer_catalog() -> Cleaner {
    let family = r#"
[detect]
head = ['^MIRROR']
source_url = ['Source: (\S+)']
[[rule]]
id = "banner"
action = "drop-lines"
pattern = '^MIRROR'
note = "the mirror's banner"
"#;
    let outlet = r#"
[detect]
hosts = ["news.example"]
[[rule]]
id = "ad"
action = "remove"
selector = ".ad"
note = "ads"
"#;
    Cleaner::with_catalog(
        Catalog::from_sources(vec![
            ("common".into(), "common.toml".into(), String::new()),
            (
                "families/mirror".into(),
                "families/mirror.toml".into(),
                family.into(),
            ),
            (
                "outlets/news".into(),
                "outlets/news.toml".into(),
                outlet.into(),
            ),
        ])
        .unwrap(),
    )
}

#[test]
fn family_and_outlet_are_detected_from_the_content() {
    let c = two_layer_catalog().clean_str(
        "MIRROR banner\n\n<p>x</p><p class=ad>ad</p>\n\nSource: https://www.news.example/a/1\n",
    );
    assert_eq!(c.report.family.as_deref(), Some("mirror"));
    assert_eq!(c.report.outlet.as_deref(), Some("news"));
    assert_eq!(c.text, "<p>x</p>\n\nSource: https://www.news.example/a/1\n");
    assert!(c.report.warnings.is_empty());
}

#[test]
fn an_unknown_outlet_still_gets_the_family_rules_and_a_warning() {
    let c = two_layer_catalog().clean_str(
        "MIRROR banner\n\n<p>x</p><p class=ad>ad</p>\n\nSource: https://other.example/a\n",
    );
    assert_eq!(c.report.outlet, None);
    assert_eq!(
        c.text,
        "<p>x</p><p class=ad>ad</p>\n\nSource: https://other.example/a\n"
    );
    assert_eq!(warning_kinds(&c), ["unknown-outlet"]);
    assert!(c.report.warnings[0].message.contains("other.example"));
}

#[test]
fn forcing_an_unknown_family_is_an_error() {
    let options = Options {
        family: Some("nope".into()),
        ..Options::default()
    };
    assert!(two_layer_catalog().clean_str_with("x", &options).is_err());
}

#[test]
fn fired_rules_are_reported_with_counts_and_bytes() {
    let c = two_layer_catalog().clean_str("MIRROR banner\n\n<p>x</p><p class=ad>ad</p><p class=ad>ad</p>\n\nSource: https://news.example/a\n");
    let hits: Vec<(String, u32)> = c
        .report
        .fired
        .iter()
        .map(|h| (h.id.clone(), h.count))
        .collect();
    assert_eq!(
        hits,
        [("mirror/banner".to_string(), 1), ("news/ad".to_string(), 2)]
    );
    assert!(c.report.fired.iter().all(|h| h.bytes_removed > 0));
}

#[test]
fn the_cleaner_is_shareable_across_threads() {
    fn sync<T: Sync + Send>() {}
    sync::<Cleaner>();
}

#[test]
fn unescape_turns_escaped_html_back_into_html_for_the_html_pass() {
    let rules = format!(
        "{}{}",
        rule("unescape", "from = '&lt;figure'\nto = '\\n\\n原文链接'"),
        rule("remove", "selector = 'span.ico'").replace("\"r\"", "\"ico\"")
    );
    let input = "<div class=\"wsw\">Intro &amp; more\n&lt;figure&gt;&lt;img src=\"g.jpg\"&gt;&lt;span class=\"ico\"&gt;&lt;/span&gt;&lt;figcaption&gt;A &amp;amp; B&lt;/figcaption&gt;&lt;/figure&gt;\n\n原文链接：https://x.example/a\n";
    assert_eq!(
        markdown(&rules, input),
        "<div class=\"wsw\">Intro &amp; more\n<figure><img src=\"g.jpg\"><figcaption>A &amp; B</figcaption></figure>\n\n原文链接：https://x.example/a\n"
    );
}

#[test]
fn repair_mojibake_fixes_utf8_read_as_latin1() {
    let rules = rule("repair-mojibake", "");
    let garbled: String = "<p>2018年9月6日</p>".bytes().map(char::from).collect();
    assert_eq!(
        markdown(&rules, &format!("{garbled}\n<p>已是中文 café</p>\n")),
        "<p>2018年9月6日</p>\n<p>已是中文 café</p>\n"
    );
}

#[test]
fn expected_rules_that_do_not_fire_are_reported_as_stale() {
    let family = "expect = [\"banner\"]\n[detect]\nhead = ['MIRROR']\nsource_url = ['Source: (\\S+)']\n[[rule]]\nid = \"banner\"\naction = \"drop-lines\"\npattern = '^MIRROR banner$'\nnote = \"n\"\n";
    let cleaner = Cleaner::with_catalog(
        Catalog::from_sources(vec![
            ("common".into(), "common.toml".into(), String::new()),
            (
                "families/mirror".into(),
                "families/mirror.toml".into(),
                family.into(),
            ),
        ])
        .unwrap(),
    );
    let fresh = cleaner.clean_str("MIRROR banner\n\nText.\n");
    assert!(!warning_kinds(&fresh).contains(&"stale-rules"));
    let redesigned = cleaner.clean_str("MIRROR 2.0 banner\n\nText.\n");
    let stale: Vec<_> = redesigned
        .report
        .warnings
        .iter()
        .filter(|w| w.kind == "stale-rules")
        .collect();
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0].message.contains("mirror/banner"),
        "{}",
        stale[0].message
    );
}

#[test]
fn expect_must_name_a_rule_of_the_file() {
    let err = Catalog::from_sources(vec![(
        "outlets/o".into(),
        "outlets/o.toml".into(),
        "expect = [\"nope\"]\n".into(),
    )])
    .unwrap_err();
    assert!(
        err.to_string().contains("`expect` names no rule `o/nope`"),
        "{err}"
    );
    assert!(err.to_string().contains("outlets/o.toml:1:11"), "{err}");
}

#[test]
fn text_of_nested_elements_gets_no_extra_space() {
    let rules = format!(
        "{}{}",
        rule(
            "remove-if-text",
            "selector = 'p'\npattern = '^（欢迎订阅简报）$'"
        ),
        rule("remove-empty", "selector = 'i, span'").replace("\"r\"", "\"e\"")
    );
    assert_eq!(
        html(&rules, "<p>（欢迎<i>订阅</i>简报）</p><p>正文</p>"),
        "<p>正文</p>"
    );
}

/// A cleaner of a base layer (`common` or `generic`: its key and its text) and an outlet
/// `o` (its text), and the options that clean HTML with that outlet's rules.
fn with_outlet((base, text): (&str, &str), outlet: &str) -> (Cleaner, Options) {
    let cleaner = Cleaner::with_catalog(
        Catalog::from_sources(vec![
            (base.into(), format!("{base}.toml"), text.into()),
            ("outlets/o".into(), "outlets/o.toml".into(), outlet.into()),
        ])
        .unwrap(),
    );
    let options = Options {
        outlet: Some("o".into()),
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    (cleaner, options)
}

#[test]
fn the_most_specific_rule_is_credited_with_a_removal() {
    let common = rule("remove-empty", "selector = 'span'");
    let outlet = "[detect]\nhead = ['x']\n[[rule]]\nid = \"hidden\"\naction = \"remove\"\nselector = \"span.hidden\"\nnote = \"n\"\n";
    let (cleaner, options) = with_outlet(("common", &common), outlet);
    let c = cleaner
        .clean_str_with("<p>x<span class=hidden></span></p>", &options)
        .unwrap();
    let ids: Vec<&str> = c.report.fired.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["o/hidden"]);
}

#[test]
fn an_unclosed_element_whose_text_no_rule_takes_keeps_its_start_tag() {
    let rules = rule("remove-if-text", "selector = 'a'\npattern = '^Read more$'");
    // Its end never comes: the text it holds does not match, so nothing of it is chaff.
    assert_eq!(
        html(&rules, "<div>正文<a href=x>后文</div>"),
        "<div>正文<a href=x>后文</div>"
    );
    // Where the text matches, the start tag is the chaff's and goes; what follows stays.
    assert_eq!(
        html(&rules, "<div>正文<a href=x>Read more</div>"),
        "<div>正文Read more</div>"
    );
}

#[test]
fn an_outlets_rule_is_credited_before_a_generic_one() {
    let generic =
        "[[rule]]\nid = \"label\"\naction = \"remove\"\nselector = \".sr-only\"\nnote = \"n\"\n";
    let outlet = "[detect]\nhead = ['x']\n[[rule]]\nid = \"label\"\naction = \"remove\"\nselector = \"figcaption span.sr-only\"\nnote = \"n\"\n";
    let (cleaner, options) = with_outlet(("generic", generic), outlet);
    let html = "<figure><figcaption><span class=sr-only>Caption</span>A river.</figcaption></figure>\
                <p>Photo <span class=sr-only>credit</span>by A.</p>";
    let c = cleaner.clean_str_with(html, &options).unwrap();
    // The generic layer runs after the outlet's: what both would take is the outlet's.
    let fired: Vec<(&str, u32)> = (c.report.fired.iter())
        .map(|h| (h.id.as_str(), h.count))
        .collect();
    assert_eq!(fired, [("o/label", 1), ("generic/label", 1)]);
}

#[test]
fn replace_with_rebuilds_content_kept_in_attributes_as_text() {
    let rules = rule(
        "replace-with",
        "selector = 'div.lb'\nwith = '<figure><img src=\"{data-src}\"><figcaption>{data-title}</figcaption></figure>'",
    );
    assert_eq!(
        html(
            &rules,
            "<div class=lb data-src=\"https://x.example/1.jpg?a=1&amp;b=2\" data-title=\"A&lt;br /&gt;B &amp;ldquo;q&amp;rdquo; &lt;script&gt;x()&lt;/script&gt;\"></div><div class=lb>no attributes, kept</div>"
        ),
        "<figure><img src=\"https://x.example/1.jpg?a=1&amp;b=2\"><figcaption>A B “q” x()</figcaption></figure><div class=lb>no attributes, kept</div>"
    );
}

#[test]
fn replace_with_placeholders_are_checked() {
    let err = Catalog::from_sources(vec![(
        "common".into(),
        "common.toml".into(),
        rule(
            "replace-with",
            "selector = 'div'\nwith = '<p>{not an attribute}</p>'",
        ),
    )])
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`{not an attribute}` is not an attribute placeholder"),
        "{err}"
    );
}

#[test]
fn an_empty_inline_element_leaves_its_space() {
    let rules = rule("remove-empty", "selector = 'span, div'");
    assert_eq!(
        html(&rules, "<p>BY<span> </span>lin</p><div> </div><p>x</p>"),
        "<p>BY lin</p><p>x</p>"
    );
}

#[test]
fn large_html_streams_to_the_same_result() {
    let rules = format!(
        "{}{}",
        rule("remove", "selector = 'div.ad'"),
        rule("unwrap", "selector = 'ok'").replace("\"r\"", "\"u\"")
    );
    let cleaner = cleaner(&rules);
    let piece = "<p>段落 <ok href=x>链接</ok>。</p><div class=\"ad\">广告</div>\n";
    let html = format!("<html><body>{}</body></html>", piece.repeat(40_000));
    assert!(html.len() > 2 << 20, "larger than what is held in memory");
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    let mut streamed = Vec::new();
    let report = cleaner
        .clean(html.as_bytes(), &mut streamed, &options)
        .unwrap();
    let whole = cleaner.clean_str_with(&html, &options).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole.text);
    assert_eq!(report.fired.iter().map(|h| h.count).sum::<u32>(), 80_000);
}
