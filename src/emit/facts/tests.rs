//! The two stages on small trees: what is read, and what the body keeps.

use super::*;
use crate::actions::metadata::URL_FIELDS;
use crate::emit::tree::parse;
use crate::lazy_regex::LazyRegex;
use crate::report::Fact;

fn rule(pattern: &str) -> LineRule {
    LineRule {
        pattern: LazyRegex::ready(regex::Regex::new(pattern).unwrap()),
        unless: None,
        attr: None,
        keep: false,
        tail: false,
        edge: Edge::Anywhere,
        within: usize::MAX,
        reads: Reads::Article,
        feeds_address: false,
    }
}

/// A rule whose lines feed `field` from a link's `href`.
fn href_rule(pattern: &str, field: &str) -> LineRule {
    LineRule {
        attr: Some(("href".into(), field.into())),
        feeds_address: URL_FIELDS.contains(&field),
        ..rule(pattern)
    }
}

fn run(html: &str, rules: &[LineRule]) -> (Vec<Fact>, String) {
    let mut tree = parse(html);
    let indexed: Vec<(usize, &str, &LineRule)> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (i, "t/r", r))
        .collect();
    let mut blocks = Blocks::default();
    let reading = read(&tree, &indexed, &mut blocks);
    remove(&mut tree, &reading.facts, blocks);
    (reading.facts, crate::emit::html::fragment(tree.top()))
}

#[test]
fn a_source_line_feeds_the_url_and_leaves_the_body() {
    let (facts, body) = run(
        "<p>Body.</p><p>原文地址：https://example.com/a.html</p>",
        &[rule(r"^原文地址：(?P<url>\S+)$")],
    );
    assert_eq!(facts[0].field, "url");
    assert_eq!(facts[0].value, "https://example.com/a.html");
    assert_eq!(body, "<p>Body.</p>");
}

#[test]
fn a_match_whose_lines_say_what_makes_them_news_is_not_read() {
    let notice = LineRule {
        unless: Some(LazyRegex::ready(regex::Regex::new("法院|查明").unwrap())),
        ..rule(r"(?P<rights>未经\S{0,10}授权\S{0,4}转载)")
    };
    let page =
        "<p>Body.</p><p>法院查明，被告未经原告授权转载其文章。</p><p>未经本网授权不得转载</p>";
    let (facts, body) = run(page, &[notice]);
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].value, "未经本网授权不得转载");
    assert_eq!(
        body,
        "<p>Body.</p>\n<p>法院查明，被告未经原告授权转载其文章。</p>"
    );
}

#[test]
fn the_same_line_twice_leaves_twice() {
    // Two fields a match, two matches: each block's line goes (not only the first).
    let (facts, body) = run(
        "<p>始发于简书：某人</p><p>Body.</p><p>始发于简书：某人</p>",
        &[rule(
            r"^始发于(?P<first_published_in>[^：]+)：(?P<author>\S+)$",
        )],
    );
    assert_eq!(facts.len(), 4);
    assert_eq!(body, "<p>Body.</p>");
}

#[test]
fn a_line_of_a_paragraph_goes_with_its_break() {
    let r = href_rule(r"(?m)^点击查看本文英文版。?$", "translation_of");
    let (facts, body) = run(
        "<p>Bio.<br>翻译：某某<br><a href=\"https://example.com/en/a\">点击查看本文英文版。</a></p>",
        &[r],
    );
    assert_eq!(facts[0].value, "https://example.com/en/a");
    assert_eq!(body, "<p>Bio.<br>翻译：某某</p>");
}

#[test]
fn two_rules_take_two_lines_of_one_block() {
    let date = rule(r"(?m)^本文最初发表于(?P<first_published_on>\d{4}年\d{1,2}月\d{1,2}日)。?$");
    let english = href_rule(r"(?m)^点击查看本文英文版。?$", "translation_of");
    let html = "<p>Body.</p><p>本文最初发表于2020年6月28日。<br>Bio.<br>翻译：某某<br><a href=\"https://example.com/en/a\">点击查看本文英文版</a></p>";
    for rules in [[date.clone(), english.clone()], [english, date]] {
        let (facts, body) = run(html, &rules);
        let mut fields: Vec<&str> = facts.iter().map(|f| f.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["first_published_on", "translation_of"],
            "{facts:?}"
        );
        assert_eq!(body, "<p>Body.</p>\n<p>Bio.<br>翻译：某某</p>");
    }
    // A line two rules match is the first rule's: the second reads nothing there.
    let first = rule(r"(?m)^本文最初发表于(?P<first_published_on>\S+?)。$");
    let second = rule(r"(?m)^本文最初发表于(?P<first_published_in>\S+)$");
    let (facts, body) = run(
        "<p>本文最初发表于2020年6月28日。<br>Bio.</p>",
        &[first, second],
    );
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert_eq!(facts[0].field, "first_published_on");
    assert_eq!(body, "<p>Bio.</p>");
}

#[test]
fn a_line_between_blank_lines_takes_one_along() {
    let r = rule(r"(?m)^本文转载自(?P<reprinted_from>\S+)$");
    let (_, body) = run(
        "<p>A.<br><br>本文转载自某处<br><br>B.</p>",
        std::slice::from_ref(&r),
    );
    assert_eq!(body, "<p>A.<br><br>B.</p>");
    // A blank line that shows an image is no blank line.
    let (_, body) = run(
        "<p>A.<br><br>本文转载自某处<br><img src=\"x.png\"><br>B.</p>",
        &[r],
    );
    assert_eq!(body, "<p>A.<br><br><img src=\"x.png\"><br>B.</p>");
}

#[test]
fn an_attribute_is_read_from_the_first_element_after_the_match() {
    // A tool's link inside the match, the article's after it.
    let r = href_rule(r"^本文由.{1,30}转码\W{0,3}原文来自", "url");
    let (facts, body) = run(
        "<p>本文由 <a href=\"https://tool.example/\">某 工具</a> 转码， 原文来自某号：<a href=\"https://news.example/a\">标题</a></p><p>Body.</p>",
        &[r],
    );
    assert_eq!(facts[0].value, "https://news.example/a");
    assert_eq!(body, "<p>Body.</p>");
    // A match that runs to the line's end reads its first element.
    let r = href_rule(r"^原文(\s.*|$)", "url");
    let (facts, _) = run(
        "<p><a href=\"https://news.example/b\">原文</a> | <a href=\"https://mirror.example/tag\">其它文章</a></p><p>Body.</p>",
        &[r],
    );
    assert_eq!(facts[0].value, "https://news.example/b");
}

#[test]
fn loose_text_after_a_block_is_a_block_of_its_own() {
    let (facts, body) = run(
        "<div><p>Body.</p></div>\n<br/>原文链接：https://example.com/a",
        &[rule(r"(?m)^原文链接：(?P<url>\S+)$")],
    );
    assert_eq!(facts[0].value, "https://example.com/a");
    assert!(!body.contains("原文链接"), "{body}");
    assert!(body.contains("Body."), "{body}");
}

#[test]
fn addresses_other_than_http_are_refused() {
    let mut tree = parse("<p>原文地址：javascript:alert(1)</p>");
    let r = rule(r"^原文地址：(?P<url>\S+)$");
    let reading = read(&tree, &[(0, "t/r", &r)], &mut Blocks::default());
    assert!(reading.facts.is_empty());
    assert_eq!(reading.refused[0].0, "url");
    remove(&mut tree, &reading.facts, Blocks::default());
    assert_eq!(
        crate::emit::html::fragment(tree.top()),
        "<p>原文地址：javascript:alert(1)</p>"
    );
}

#[test]
fn a_front_page_is_no_translation_of() {
    // A language switcher at the end links the English site, not the article in English.
    let mut tree = parse("<p>Body.</p><p><a href='https://example.com/en/'>英文版</a></p>");
    let r = href_rule("(?m)^英文版$", "translation_of");
    let reading = read(&tree, &[(0, "t/r", &r)], &mut Blocks::default());
    assert!(reading.facts.is_empty(), "{:?}", reading.facts);
    assert_eq!(reading.refused[0].1, "https://example.com/en/");
    remove(&mut tree, &reading.facts, Blocks::default());
    assert!(crate::emit::html::fragment(tree.top()).contains("英文版"));
}

#[test]
fn a_newline_in_a_pre_ends_a_line() {
    let r = href_rule("(?m)^原文链接$", "translation_of");
    let html = "<pre>作者 X\n2014年12月6日\n<a href='https://example.com/en/a'>原文链接</a>\n翻译 Y\n</pre><p>Body.</p>";
    let (facts, body) = run(html, &[r]);
    assert_eq!(facts[0].value, "https://example.com/en/a");
    assert_eq!(facts[0].line, "原文链接");
    assert!(
        body.starts_with("<pre>作者 X\n2014年12月6日\n翻译 Y\n</pre>"),
        "{body}"
    );
    // Outside a `<pre>`, a newline is whitespace: the block is one line.
    let r = href_rule("(?m)^原文链接$", "translation_of");
    let (facts, _) = run(html.replace("pre>", "p>").as_str(), &[r]);
    assert!(facts.is_empty());
}

/// A rule that takes the tail of a line.
fn tail_rule(pattern: &str) -> LineRule {
    LineRule {
        tail: true,
        ..href_rule(pattern, "first_published_url")
    }
}

#[test]
fn a_tail_leaves_and_the_sentences_before_it_stay() {
    let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)。?$");
    let (facts, body) = run(
        "<p>Body.</p><p><em>某人系某大学博士。</em>原载于<a href='https://journal.example/1'>《某学报》</a>。</p>",
        &[r],
    );
    assert_eq!(facts[0].value, "《某学报》");
    assert_eq!(facts[1].value, "https://journal.example/1");
    assert_eq!(facts[0].line, "原载于《某学报》。");
    assert!(facts[0].tail);
    assert_eq!(body, "<p>Body.</p>\n<p><em>某人系某大学博士。</em></p>");
    // Inside one text node, on the last line of a paragraph, after a closing quote.
    let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)。?$");
    let (facts, body) = run("<p>第一行<br>他说“好。” 原载于《某学报》。</p>", &[r]);
    assert_eq!(facts.len(), 1);
    assert_eq!(body, "<p>第一行<br>他说“好。”</p>");
    // A whole line is taken whole.
    let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)。?$");
    let (_, body) = run("<p>Body.</p><p>原载于《某学报》。</p>", &[r]);
    assert_eq!(body, "<p>Body.</p>");
}

#[test]
fn a_tail_must_begin_a_sentence_and_end_its_line() {
    let pattern = r"(?m)原载于(?P<first_published_in>《[^》]+》)。?";
    for html in [
        // Inside a sentence.
        "<p>这篇文章原载于《某学报》。</p>",
        // Not at the line's end.
        "<p>某人。原载于《某学报》。后来又转载。</p>",
        // Over two lines.
        "<p>某人。原载于《某<br>学报》。</p>",
    ] {
        let r = tail_rule(pattern);
        let (facts, body) = run(html, &[r]);
        assert!(facts.is_empty(), "{html}: {facts:?}");
        assert_eq!(body, html);
    }
    // A link before the tail is not the tail's.
    let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)$");
    let (facts, body) = run(
        "<p><a href='https://bio.example/'>某人</a>。原载于《某学报》</p>",
        &[r],
    );
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert_eq!(body, "<p><a href=\"https://bio.example/\">某人</a>。</p>");
}

#[test]
fn kept_lines_are_read_and_stay() {
    let r = LineRule {
        keep: true,
        ..rule(r"【[^】]*?(?P<date>\d{4}年\d{1,2}月\d{1,2}日)")
    };
    let (facts, body) = run("<p>【大纪元2020年09月14日讯】周三</p>", &[r]);
    assert_eq!(facts[0].value, "2020年09月14日");
    assert_eq!(body, "<p>【大纪元2020年09月14日讯】周三</p>");
}

/// A rule taking a date alone on its line, in the first (or last) block only.
fn date_line_at(edge: Edge) -> LineRule {
    LineRule {
        edge,
        within: 1,
        ..rule(r"^(?P<date>\d{4}-\d{2}-\d{2})$")
    }
}

#[test]
fn a_place_bounds_where_a_rule_looks() {
    let r = date_line_at(Edge::Start);
    let (facts, body) = run("<p>2020-01-02</p><p>Body.</p><p>2020-01-03</p>", &[r]);
    assert_eq!(facts.len(), 1);
    assert_eq!(body, "<p>Body.</p>\n<p>2020-01-03</p>");
}

#[test]
fn the_lines_read_are_the_lines_that_leave() {
    // Read at the end: the same line earlier in the body stays (its lines are where the
    // reading found them, not found again by their text).
    let r = date_line_at(Edge::End);
    let (facts, body) = run("<p>2020-01-02</p><p>Body.</p><p>2020-01-02</p>", &[r]);
    assert_eq!(facts.len(), 1);
    assert_eq!(body, "<p>2020-01-02</p>\n<p>Body.</p>");
}

#[test]
fn places_are_counted_among_the_blocks_with_text_from_each_end() {
    let at = |edge, within| LineRule {
        within,
        ..date_line_at(edge)
    };
    let rules = [at(Edge::Start, 2), at(Edge::End, 2)];
    let dates = |html: &str| -> Vec<String> {
        (run(html, &rules).0.into_iter()).map(|f| f.value).collect()
    };
    // Blocks without text hold no place; the middle date is too far in from either end.
    let html = "<p> </p><p>2020-01-01</p><p>2020-01-02</p><p>2020-01-03</p><p></p>\
                <p>2020-01-04</p><p>2020-01-05</p><p> </p>";
    assert_eq!(
        dates(html),
        ["2020-01-01", "2020-01-02", "2020-01-04", "2020-01-05"]
    );
    // A short document: its blocks are near both ends, each read once.
    let html = "<p>2020-01-01</p><p> </p><p>2020-01-02</p><p>2020-01-03</p>";
    assert_eq!(dates(html), ["2020-01-01", "2020-01-02", "2020-01-03"]);
}
