//! Properties over generated documents: cleaning never panics, cleaning clean output
//! changes nothing, the output is UTF-8, no active content reaches HTML or Markdown, the
//! common chaff never survives, and no sentence of the article is lost, with any family's
//! rules and the generic layer.

use dechaff::{Cleaner, Format, InputFormat, Options};
use proptest::prelude::*;
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().unwrap())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("新闻正文".to_string()),
        Just("Latin words".to_string()),
        Just("&amp; &nbsp; &lt;x&gt;".to_string()),
        Just("\n  ".to_string()),
        Just("\u{a0}".to_string()),
        Just("“引号”".to_string()),
        "[a-z 中文]{0,12}",
    ]
}

fn attrs() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" class=\"banner-ads\"".to_string()),
        Just(" id=\"dfp-ad-1\"".to_string()),
        Just(" onclick=\"evil()\"".to_string()),
        Just(" class=\"caption\"".to_string()),
        Just(" style=\"display:none\"".to_string()),
    ]
}

/// An element of `tag` with `attrs` around `children`, closed or left open.
fn element<A: AsRef<str>>((tag, attrs, children, closed): (&str, A, Vec<String>, bool)) -> String {
    let attrs = attrs.as_ref();
    let close = if closed {
        format!("</{tag}>")
    } else {
        String::new()
    };
    format!("<{tag}{attrs}>{}{close}", children.concat())
}

/// A Markdown document of `blocks`, under a mirror's title heading when `heading`.
fn document((title, blocks, heading): (String, Vec<String>, bool)) -> String {
    let head = if heading {
        format!("### {title}\n------------------------\n\n")
    } else {
        String::new()
    };
    format!("{head}{}\n", blocks.join("\n\n"))
}

/// A fragment of HTML: elements nest, some are left unclosed, some are active content.
fn html() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        text(),
        Just("<br>".to_string()),
        Just("<img src=\"https://x.example/a.jpg\" alt=\"A\">".to_string()),
        Just("<img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<!-- comment -->".to_string()),
        Just("<a href=\"javascript:alert(1)\">link</a>".to_string()),
        Just("<p>".to_string()),
        Just("</div>".to_string()),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        (
            prop_oneof![
                Just("div"),
                Just("p"),
                Just("span"),
                Just("section"),
                Just("li"),
                Just("a"),
                Just("figure")
            ],
            attrs(),
            prop::collection::vec(inner, 0..6),
            any::<bool>(),
        )
            .prop_map(element)
    })
}

/// A Markdown document with HTML blocks, the shape the mirrors write.
fn markdown() -> impl Strategy<Value = String> {
    (text(), prop::collection::vec(html(), 1..4), any::<bool>()).prop_map(document)
}

/// A sentence of the article, marked `§A` (numbered by [`numbered`]); one of an ad slot,
/// marked `§C`; one hidden from readers, marked `§H`: plain words no rule reads as a
/// byline, a date or a source.
const ARTICLE: &str = "第§A段正文：河水在春天慢慢变暖，农民开始播种。";
const AD: &str = "推广§C：立即下载应用领取优惠券";
const HIDDEN: &str = "隐藏§H：请在应用商店搜索我们";

/// Article sentences that use the words of the generic layer's notices and pitches, as news
/// does (see `tests/rules/generic/`): each a sentence that starts `第§A段` and ends `。`.
const ARTICLE_WITH_CHAFF_WORDS: [&str; 6] = [
    "第§A段正文：法院审理了这起著作权纠纷案件，出版社随后发表了版权声明。",
    "第§A段正文：他强调，这一决定并不代表政府立场的改变。",
    "第§A段正文：该报的订阅人数连年下降，用户可以订阅付费会员来支持报道。",
    "第§A段正文：美国支付公司PayPal宣布退出中国市场。",
    "第§A段正文：警方扫描了他手机里的二维码，当局禁止转载境外媒体的报道。",
    "第§A段正文：来自微博的消息显示，文学奖获奖名单将于下周四公布。",
];

/// An article sentence: mostly [`ARTICLE`], sometimes one of [`ARTICLE_WITH_CHAFF_WORDS`].
fn article_sentence() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(ARTICLE.to_string()),
        1 => prop::sample::select(&ARTICLE_WITH_CHAFF_WORDS[..]).prop_map(str::to_string),
    ]
}

/// An element the shipped rules remove (an ad slot, which the common rules name) or may
/// remove (a hidden one, which the generic layer takes when it is a short block), closed,
/// with nothing left open inside it: no sentence that follows it falls inside it.
fn chaff() -> impl Strategy<Value = String> {
    let slot = prop_oneof![
        Just((" class=\"banner-ads\"", AD)),
        Just((" id=\"dfp-ad-1\"", AD)),
        Just((" style=\"display:none\"", HIDDEN)),
        Just((" hidden", HIDDEN)),
    ];
    (
        prop_oneof![
            Just("div"),
            Just("p"),
            Just("span"),
            Just("section"),
            Just("aside")
        ],
        slot,
        prop::collection::vec(0..4usize, 1..3),
    )
        .prop_map(|(tag, (attrs, words), inside)| {
            let inside: String = (inside.into_iter())
                .map(|kind| match kind {
                    0 => words.to_string(),
                    1 => format!("<b>{words}</b>"),
                    2 => format!("<a href=\"https://ad.example/\">{words}</a>"),
                    _ => "<img src=\"https://ad.example/a.gif\">".to_string(),
                })
                .collect();
            format!("<{tag}{attrs}>{inside}</{tag}>")
        })
}

/// A fragment of HTML with article sentences where the article is and [`chaff`] among
/// them; the article's own elements may be left unclosed.
fn article_html() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => article_sentence(),
        1 => Just(format!("{ARTICLE}<a href=\"https://x.example/more\">详情</a>")),
        1 => Just(format!("<h2>{ARTICLE}</h2>")),
        1 => Just(format!("<ul><li>{ARTICLE}</li><li>{ARTICLE}</li></ul>")),
        1 => chaff(),
        1 => text(),
        1 => Just("<br>".to_string()),
        // Breaks in a row set a part of the text apart: a block of its own.
        1 => Just("<br>\n<br>".to_string()),
        1 => Just("<img src=\"https://x.example/a.jpg\" alt=\"A\">".to_string()),
        1 => Just("<!-- comment -->".to_string()),
        1 => Just("<script>var ad = 1;</script>".to_string()),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        (
            prop_oneof![
                Just("div"),
                Just("p"),
                Just("span"),
                Just("section"),
                Just("article"),
                Just("blockquote"),
                Just("li"),
                Just("strong"),
                Just("figure")
            ],
            prop_oneof![
                Just(""),
                Just(" class=\"content\""),
                Just(" class=\"caption\"")
            ],
            prop::collection::vec(inner, 0..5),
            any::<bool>(),
        )
            .prop_map(element)
    })
}

/// No family (the common rules alone), or one of the built-in families, whose rules and
/// the generic layer's then run.
fn family() -> impl Strategy<Value = Option<String>> {
    let families = cleaner().catalog().families().map(|f| Some(f.name.clone()));
    prop::sample::select(std::iter::once(None).chain(families).collect::<Vec<_>>())
}

/// A Markdown document of article paragraphs and HTML blocks as [`article_html`] makes
/// them.
fn article_markdown() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        article_sentence(),
        Just(format!("**{ARTICLE}**")),
        Just(format!("> {ARTICLE}")),
        Just(format!("- {ARTICLE}\n- {ARTICLE}")),
        Just(format!("## {ARTICLE}")),
        Just(format!("{ARTICLE}[详情](https://x.example/more)")),
        Just(format!("![A](https://x.example/a.jpg)\n{ARTICLE}")),
        article_html(),
    ];
    (text(), prop::collection::vec(block, 1..5), any::<bool>()).prop_map(document)
}

/// `doc` with its marks numbered, each sentence its own number (in Chinese numerals, which
/// no rule reads as a date), and the article sentences it holds.
fn numbered(doc: &str) -> (String, Vec<String>) {
    let digits = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let spell = |n: usize| -> String {
        (n.to_string().bytes())
            .map(|b| digits[usize::from(b - b'0')])
            .collect()
    };
    let (mut out, mut sentences, mut n) = (String::new(), Vec::new(), 0);
    let mut rest = doc;
    while let Some(at) = rest.find('§') {
        out.push_str(&rest[..at]);
        let mark = &rest[at + '§'.len_utf8()..];
        n += 1;
        out.push_str(&spell(n));
        if mark.starts_with('A') {
            // The sentence runs from its `第` to its first `。`.
            let end = mark.find('。').map_or(mark.len(), |e| e + '。'.len_utf8());
            sentences.push(format!("第{}{}", spell(n), &mark[1..end]));
        }
        rest = &mark[1..];
    }
    out.push_str(rest);
    (out, sentences)
}

/// Every article sentence of `doc`, cleaned as `format` with `family`'s rules, is in the
/// article's text and in the cleaned document (`--to source`), whole; and no sentence of an
/// ad slot is in the text.
fn keeps_the_article(
    doc: &str,
    format: InputFormat,
    family: Option<String>,
) -> Result<(), TestCaseError> {
    let (doc, sentences) = numbered(doc);
    let options = Options {
        format: Some(format),
        family: family.clone(),
        ..Options::default()
    };
    let cleaned = cleaner().clean_str_with(&doc, &options).unwrap();
    let text = cleaned.to(Format::Text);
    for sentence in &sentences {
        for (out, kept) in [("text", &text), ("source", &cleaned.text)] {
            prop_assert!(
                kept.contains(sentence.as_str()),
                "{} lost from {:?} ({:?}) in {}: {:?}",
                sentence,
                doc,
                family,
                out,
                kept
            );
        }
    }
    // In Markdown an ad slot on an indented line after a blank line is code, shown as
    // written (see `chaff_markup_in_an_indented_code_block_is_code`).
    let ad_words = AD.split('§').next().unwrap_or(AD);
    if format == InputFormat::Html {
        prop_assert!(
            !text.contains(ad_words),
            "ad left in {:?} ({:?}): {:?}",
            doc,
            family,
            text
        );
    }
    Ok(())
}

/// `input` cleaned by the shipped rules, read as `format`.
fn cleaned(input: &str, format: InputFormat) -> dechaff::Cleaned {
    let options = Options {
        format: Some(format),
        ..Options::default()
    };
    cleaner().clean_str_with(input, &options).unwrap()
}

fn check(input: &str, format: InputFormat) -> Result<(), TestCaseError> {
    let once = cleaned(input, format);
    let forced = Options {
        format: Some(format),
        family: once.report.family.clone(),
        outlet: once.report.outlet.clone(),
        ..Options::default()
    };
    let twice = cleaner().clean_str_with(&once.text, &forced).unwrap();
    prop_assert_eq!(&once.text, &twice.text, "cleaning is idempotent");
    let source = once.text.to_ascii_lowercase();
    if format == InputFormat::Html {
        prop_assert!(
            !source.contains("<script")
                && !source.contains("banner-ads")
                && !source.contains("dfp-ad")
        );
        prop_assert!(!source.contains("onclick"));
    }
    // In Markdown, a line indented after a blank line is a code block: its markup is text
    // the article shows, kept as written. So the chaff must be gone from the document as
    // read, which the HTML rendering shows: no tag of it is left (code is escaped there).
    let structure = once.to(Format::Html).to_ascii_lowercase();
    for chaff in ["banner-ads", "dfp-ad", "onclick"] {
        prop_assert!(
            !tags(&structure).any(|tag| tag.contains(chaff)),
            "a tag with {} is left",
            chaff
        );
    }
    // No active content in the rendered formats' markup: the HTML's own, and what a
    // reader's renderer makes of the Markdown. Text is not markup: code shows the markup
    // it holds as text (`active_markup_in_an_indented_code_block_is_text`).
    for out in [Format::Html, Format::Markdown] {
        let rendered = once.to(out);
        let markup = match out {
            Format::Markdown => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&rendered));
                html
            }
            _ => rendered,
        };
        let markup = markup.to_ascii_lowercase();
        for tag in tags(&markup) {
            let active = ["script", "iframe", "style"]
                .iter()
                .any(|t| tag.starts_with(t))
                || ["onclick", "javascript:", "style="]
                    .iter()
                    .any(|a| tag.contains(a));
            prop_assert!(!active, "{:?} has <{}>", out, tag);
        }
    }
    prop_assert!(serde_json::from_str::<serde_json::Value>(&once.to(Format::Json)).is_ok());
    Ok(())
}

/// The tags of an HTML text, `<` to the next `>`.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split_once('>').map_or(rest, |(tag, _)| tag))
}

/// Checks `doc`, a Markdown document, as the properties do, and that it cleans to
/// `expected`.
fn markdown_cleans_to(doc: &str, expected: &str) {
    check(doc, InputFormat::Markdown).unwrap();
    assert_eq!(
        cleaned(doc, InputFormat::Markdown).text,
        expected,
        "{doc:?}"
    );
}

/// 128 cases each, as CI runs them; `PROPTEST_CASES` asks for more (a search for bugs).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    ProptestConfig::with_cases(cases.unwrap_or(128))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn html_documents(doc in html()) {
        check(&doc, InputFormat::Html)?;
    }

    #[test]
    fn markdown_documents(doc in markdown()) {
        check(&doc, InputFormat::Markdown)?;
    }

    #[test]
    fn html_articles_are_kept_whole(doc in article_html(), family in family()) {
        keeps_the_article(&doc, InputFormat::Html, family)?;
    }

    #[test]
    fn markdown_articles_are_kept_whole(doc in article_markdown(), family in family()) {
        keeps_the_article(&doc, InputFormat::Markdown, family)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let cleaned = cleaner().clean_bytes(&bytes, &Options::default()).unwrap();
        for out in [Format::Markdown, Format::Html, Format::Text, Format::Json, Format::Source] {
            let _ = cleaned.to(out);
        }
    }
}

/// Found by `markdown_documents`: a hidden element that one HTML block leaves open and an
/// end tag in the next ends (as the rewriter reads them, one stream). Removing the first
/// block's hidden content took the element's start tag and left its end tag, so a second
/// clean read the markup after it otherwise (an empty `<span>` that the end tag no longer
/// closes) and removed more.
#[test]
fn a_hidden_element_spanning_html_blocks_is_cleaned_once() {
    let doc = "<div style=\"display:none\"><div onclick=\"evil()\"><img src=\"https://x.example/a.jpg\" alt=\"A\"></div>\n\n<p><span onclick=\"evil()\"></div></span>新闻正文\n";
    check(doc, InputFormat::Markdown).unwrap();
    // An end tag in a later block that ends an element an earlier block began, around
    // content of its own.
    let doc = "<section style=\"display:none\"><p>广告</p>\n\n<p><b></section></b>新闻正文</p>\n";
    check(doc, InputFormat::Markdown).unwrap();
}

/// Found by `markdown_documents`: the text after an element's last block is that element's
/// block, though it stood inside a hidden inline element around the last block; removing
/// the hidden block took the inline element whole, and the text with it, while its own
/// block still counted as kept: the section around was left empty for a second clean.
#[test]
fn an_emptied_container_never_takes_text_that_stays() {
    let doc = "<section><a style=\"display:none\"><section><img src=\"https://x.example/a.jpg\" alt=\"A\"></section>“引号”</a></section>\n";
    check(doc, InputFormat::Markdown).unwrap();
    check(doc, InputFormat::Html).unwrap();
}

/// Found by `markdown_documents`: an element that one HTML block leaves open and the next
/// ends holds only a hidden block. Removing the hidden block emptied the element, but the
/// element, spanning two HTML blocks, could not be removed with it: a second clean's
/// `remove-empty` (the rewriter reads the HTML blocks as one stream) took it.
#[test]
fn an_element_spanning_html_blocks_emptied_goes_at_once() {
    let doc = "<div onclick=\"evil()\">\n\n<p><div style=\"display:none\"><a href=\"javascript:alert(1)\">link</a></div></div>\n";
    check(doc, InputFormat::Markdown).unwrap();
}

/// Found by `markdown_documents`: as above, but the hidden text is in a `<p>` (holding an
/// unended `<figure>`) that the end tag of the spanning element ends, and content follows
/// that end tag in its HTML block. The blocks the element spans were one container up to
/// the end of that HTML block, so what followed the end tag kept it: the element was left
/// empty for a second clean.
#[test]
fn an_element_spanning_html_blocks_emptied_goes_at_once_before_what_follows() {
    let doc = "<div onclick=\"evil()\">\n\n<p style=\"display:none\">新闻正文<figure></div><img src=\"https://x.example/a.jpg\" alt=\"A\">\n";
    check(doc, InputFormat::Markdown).unwrap();
    // What follows leaves an element open again, up to a later HTML block.
    let doc = "<div>\n\n<p style=\"display:none\">新闻正文<figure></div><section><p>Latin words</p>\n\n</section>\n";
    check(doc, InputFormat::Markdown).unwrap();
}

/// Found by `markdown_documents` (5,000 cases): of two divs one HTML block leaves open, the
/// `</div>` of the next ends only the inner one, which held only a hidden image. The blocks
/// the carried elements span were one container, ended only with the last of them: the
/// inner div, emptied, was left for a second clean's `remove-empty`.
#[test]
fn an_inner_element_spanning_html_blocks_emptied_goes_at_once() {
    let doc = "<div onclick=\"evil()\"><div><p>\n\n<figure style=\"display:none\"><img src=\"https://x.example/a.jpg\" alt=\"A\"><p onclick=\"evil()\"></div>\n";
    check(doc, InputFormat::Markdown).unwrap();
    // Shrunk: two divs, the inner one emptied; the outer one never ends.
    let doc = "<div><div>\n\n<p style=\"display:none\">新闻正文</p></div>\n";
    check(doc, InputFormat::Markdown).unwrap();
    let doc = "<div><div>\n\n<p style=\"display:none\">新闻正文</p>\n\n</div>\n";
    check(doc, InputFormat::Markdown).unwrap();
    // The outer one ends too, with content before it that stays.
    let doc =
        "<p>Latin words</p><div><div>\n\n<p style=\"display:none\">新闻正文</p></div></div>\n";
    check(doc, InputFormat::Markdown).unwrap();
    // Content follows the inner end tag, inside the outer element, in the same HTML block
    // or the next.
    let doc = "<section><div>\n\n<p style=\"display:none\">新闻正文</p></div><p>Latin words</p>\n\n</section>\n";
    check(doc, InputFormat::Markdown).unwrap();
    let doc = "<section><div>\n\n<p style=\"display:none\">新闻正文</p></div>\n\n<p>Latin words</p></section>\n";
    check(doc, InputFormat::Markdown).unwrap();
}

/// Found by `html_documents` at 200,000 cases: text standing in an inline element around
/// blocks, after an element that ended before it (`<span><a><p></a>y<p></span>`), was a
/// block of no container: removing it (hidden) left the span, which held nothing else, for
/// a second clean's `remove-empty`. Its container is the span, which now goes with it.
#[test]
fn text_in_an_inline_element_around_blocks_takes_the_element_with_it() {
    let doc = "<span style=\"display:none\"><a onclick=\"evil()\"><p></a>“引号”<p></span>";
    check(doc, InputFormat::Html).unwrap();
    // Inside a block that stays: the span goes, the block's other content stays.
    let doc = "<div><span style=\"display:none\"><a><p></a>“引号”<p></span><p>正文</p></div>";
    check(doc, InputFormat::Html).unwrap();
    assert_eq!(
        cleaned(doc, InputFormat::Html).text,
        "<div><p>正文</p></div>"
    );
    // No block follows the text in the span: it is still the span's, and hidden with it.
    let doc = "<div><span style=\"display:none\"><a><p></a>“引号”</span><p>正文</p></div>";
    check(doc, InputFormat::Html).unwrap();
    assert_eq!(
        cleaned(doc, InputFormat::Html).text,
        "<div><p>正文</p></div>"
    );
}

/// Found by `markdown_documents` at 28,874 cases: a paragraph's inline HTML left elements
/// open (`<span><a>` is a paragraph, not an HTML block: a type-7 block is one tag alone on
/// its line), and a later HTML block held a hidden block and ended them. The rewriter reads
/// the paragraph's tags in one stream with the HTML blocks', so removing the hidden block
/// emptied the span, which only a second clean took. A paragraph's tags are now carried as
/// an HTML block's are: the emptied span goes with it; text of the paragraph inside the
/// span keeps it.
#[test]
fn elements_a_paragraph_leaves_open_go_whole_when_emptied() {
    let doc = "<span onclick=\"evil()\"><a>\n\n<div style=\"display:none\"><p class=\"banner-ads\"><a href=\"javascript:alert(1)\">link</a><span></div></span><div>\n";
    check(doc, InputFormat::Markdown).unwrap();
    markdown_cleans_to(
        "Hello <span>\n\n<div style=\"display:none\"><a>link</a></div></span>\n\n正文\n",
        "Hello \n\n正文\n",
    );
    // Text of the paragraph inside the span: the span stays, around it.
    markdown_cleans_to(
        "Hello <span>world\n\n<div style=\"display:none\"><a>link</a></div></span>\n\n正文\n",
        "Hello <span>world\n\n</span>\n\n正文\n",
    );
    // A heading's tags are in the stream too; a list's, and a paragraph's with a code span
    // (whose tags are text), are not.
    for doc in [
        "# <span>\n\n<div style=\"display:none\"><a>link</a></div></span>\n\n正文\n",
        "- <span>\n\n<div style=\"display:none\"><a>link</a></div></span>\n\n正文\n",
        "`x` <span>\n\n<div style=\"display:none\"><a>link</a></div></span>\n\n正文\n",
    ] {
        check(doc, InputFormat::Markdown).unwrap();
    }
}

/// Found by `markdown_documents` at 134,663 cases: the `</div>` that ends an element an
/// HTML block left open stood in a paragraph (`<p class="banner-ads"><a></div>` lost its
/// start tag to `remove`, and `<a></div>` is a paragraph). Removing the hidden block
/// emptied the div, but an element a paragraph's end tag ended kept no range, so only a
/// second clean's `remove-empty` took it. It now goes whole up to that end tag, unless the
/// paragraph has content on both sides of it; content after it is outside the element.
#[test]
fn an_element_a_paragraph_ends_goes_whole_when_emptied() {
    markdown_cleans_to(
        "<div onclick=\"evil()\">\n\n<li onclick=\"evil()\"><figure style=\"display:none\">新闻正文</figure></li>\n\n<p class=\"banner-ads\"><a></div>\n",
        "",
    );
    // The paragraph's text after the end tag is outside the div, and stays.
    markdown_cleans_to(
        "<div>\n\n<p style=\"display:none\">广告</p>\n\n<a></div>正文\n",
        "正文\n",
    );
    // Text before the end tag is inside it: the div stays around it.
    markdown_cleans_to(
        "<div>\n\n<p style=\"display:none\">广告</p>\n\n正文</div>\n",
        "<div>\n\n正文</div>\n",
    );
    // Text on both sides: the div cannot go without cutting the paragraph in two.
    markdown_cleans_to(
        "<div>\n\n<p style=\"display:none\">广告</p>\n\n正文<a></div>后文\n",
        "<div>\n\n正文<a></div>后文\n",
    );
    // Elements the paragraph opens before that end tag end with it: they hold none of the
    // blocks after it, and removing those never takes the end tag of the div, which stays.
    markdown_cleans_to(
        "<div>\n\n正文\n\n<span><i></div>\n\n<p style=\"display:none\">广告</p>\n\n</i>\n\n后文\n",
        "<div>\n\n正文\n\n<span><i></div>\n\n</i>\n\n后文\n",
    );
    // Two elements carried in, both ended by the paragraph, with the blank lines after.
    markdown_cleans_to(
        "<section>\n<div>\n\n<p style=\"display:none\">广告</p>\n\n<b></div></section>\n\n正文\n",
        "正文\n",
    );
}

/// Found by `markdown_documents` at 144,177 cases: `remove` took the start tag of an ad slot
/// (it never ends: its start tag alone goes) at the start of an HTML block, and what followed
/// it on the line, four spaces in, opened a block of its own: an indented code block, its
/// markup shown as text (`style=` in the HTML rendering). A line under one that went whole
/// was read so too, and so were both when the article stage took the block. A line that
/// opens a block only because of a removal loses its indentation.
#[test]
fn a_line_left_opening_a_block_is_not_code() {
    let doc = "<div class=\"banner-ads\">    <div style=\"display:none\">\n";
    check(doc, InputFormat::Markdown).unwrap();
    let html = |doc: &str| cleaned(doc, InputFormat::Markdown).to(Format::Html);
    for doc in [
        // The rewriter's `remove`, before it on its line or on the line over it.
        "Intro.\n\n<div class=\"banner-ads\">x</div>    <p>正文</p>\n",
        "Intro.\n\n<div class=\"banner-ads\">x</div>\n    <p>正文</p>\n",
        "Intro.\n\n<div class=\"banner-ads\">x</div>\n\t<p>正文</p>\n",
        // The article stage's hidden block, the same two ways.
        "Intro.\n\n<p style=\"display:none\">广告</p>    <p>正文</p>\n",
        "Intro.\n\n<p style=\"display:none\">广告</p>\n    <p>正文</p>\n",
        "Intro.\n\n  <p style=\"display:none\">广告</p>  <p>正文</p>\n",
    ] {
        check(doc, InputFormat::Markdown).unwrap();
        assert_eq!(html(doc), "<p>Intro.</p>\n<p>正文</p>\n", "{doc:?}");
    }
}

/// Found by `markdown_documents` at 261,990 cases: a line of `&nbsp;` between two lines of
/// HTML was taken for a blank line (Unicode white space, as `str::trim` has it) and dropped
/// from a piece of rewritten HTML whose source had none, so that it would not end the HTML
/// block. CommonMark's blank line is spaces and tabs only: such a line ends no block, and it
/// stays. The first clean kept it, the second (where `<br><p>` had become a paragraph) did
/// not.
#[test]
fn a_line_of_nbsp_is_not_blank() {
    markdown_cleans_to(
        "<div><p></div><br><p>\n  \u{a0}\n  <p>\n",
        "<br><p>\n  \u{a0}\n  <p>\n",
    );
}

/// Found with the test above: a block's range began where pulldown-cmark's does, past the
/// indentation of its line, so removing the block before an indented code block took that
/// indentation with the blank lines between, and the code became an HTML block (its markup
/// read as markup). Blocks now begin at their line's start.
#[test]
fn code_after_a_removed_block_stays_code() {
    let html = |doc: &str| cleaned(doc, InputFormat::Markdown).to(Format::Html);
    for doc in [
        // The article stage's hidden block; the rewriter's ad slot.
        "Intro.\n\n<p style=\"display:none\">广告</p>\n\n    <b>code</b>\n\nMore.\n",
        "Intro.\n\n<div class=\"banner-ads\">x</div>\n\n    <b>code</b>\n\nMore.\n",
    ] {
        check(doc, InputFormat::Markdown).unwrap();
        let code = "<pre><code>&lt;b&gt;code&lt;/b&gt;\n</code></pre>\n";
        assert_eq!(
            html(doc),
            format!("<p>Intro.</p>\n{code}<p>More.</p>\n"),
            "{doc:?}"
        );
    }
}

/// Found by `markdown_documents` at 30,000 cases: after a blank line, an indented line is a
/// Markdown code block, so the chaff markup on it is code the article shows, kept as
/// written (and as code in every rendering), not an element to remove.
/// Found by `markdown_documents`: a link to `javascript:` in an indented code block is the
/// code's text, shown as written in both rendered formats, and no link.
#[test]
fn active_markup_in_an_indented_code_block_is_text() {
    for doc in [
        "<div><div>\n  \n    <a href=\"javascript:alert(1)\">link</a>\n",
        "<div><div>\n  \n    <p onclick=\"evil()\">x</p>\n",
    ] {
        check(doc, InputFormat::Markdown).unwrap();
        let html = cleaned(doc, InputFormat::Markdown).to(Format::Html);
        assert!(html.starts_with("<pre><code>&lt;"), "{html}");
    }
}

#[test]
fn chaff_markup_in_an_indented_code_block_is_code() {
    let doc = "<div><div>\n  \n    <div class=\"banner-ads\">\n";
    check(doc, InputFormat::Markdown).unwrap();
    let markdown = |doc| cleaned(doc, InputFormat::Markdown);
    assert_eq!(
        markdown(doc).to(Format::Html),
        "<pre><code>&lt;div class=\"banner-ads\"&gt;\n</code></pre>\n"
    );
    // Unindented, the same line is an element, and it goes.
    let once = markdown("<div><div>\n\n<div class=\"banner-ads\">广告</div>\n");
    assert!(!once.text.contains("banner-ads"), "{}", once.text);
}

/// Found by `html_articles_are_kept_whole` once its sentences used the generic layer's words:
/// a word a disclaimer may open with (文中) before a news sentence that says a decision "does
/// not represent the position" made the block a disclaimer, and the next sentence went with
/// it. A disclaimer that says 不代表 opens with the notice or this article (本文, 免责声明, 摘译);
/// 文中 opens one that says the commentary in it only represents its author (仅代表).
#[test]
fn a_disclaimers_word_inside_a_sentence_makes_no_disclaimer() {
    let doc = "<div><div>文中第一段正文：他强调，这一决定并不代表政府立场的改变。第二段正文：河水在春天慢慢变暖，农民开始播种。</div>";
    let text = cleaned(doc, InputFormat::Html).to(Format::Text);
    assert!(
        text.contains("这一决定并不代表政府立场的改变。第二段正文："),
        "{text}"
    );
}
