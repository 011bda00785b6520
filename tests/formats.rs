//! Every output format, on the seeds: reviewed snapshots, the JSON schema, JSON Lines, and
//! the CJK whitespace rule.

mod common;

use common::options_for;
use dechaff::{Cleaned, Cleaner, Format, InputFormat, Options};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new().unwrap())
}

fn clean(path: &Path) -> Cleaned {
    let input = std::fs::read_to_string(path).unwrap();
    cleaner()
        .clean_str_with(&input, &options_for(path))
        .unwrap()
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/article.schema.json"
    ))
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

/// The seeds, and one document of every family: a gfw-breaker page with the secretchina
/// promo injection, the 2018 VOA photo gallery, feed items, a scraped WordPress page.
const FORMAT_SAMPLES: &str = "{seeds/*,feedx/dw/001.md,gfw-breaker/secretchina/001.md,gfw-breaker-v1/voa/004.md,jekyll/nyt/001.md,jekyll-scrape/iyouport/001.md}";

#[test]
fn formats() {
    insta::glob!("corpus", FORMAT_SAMPLES, |path| {
        let cleaned = clean(path);
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let name = path
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .replace('/', "__");
        for (format, ext) in [
            (Format::Markdown, "md"),
            (Format::Html, "html"),
            (Format::Text, "txt"),
            (Format::Json, "json"),
        ] {
            insta::with_settings!({
                snapshot_path => "../snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                snapshot_suffix => "",
            }, {
                insta::assert_snapshot!(format!("formats@{name}.{ext}"), cleaned.to(format));
            });
        }
    });
}

#[test]
fn json_output_follows_the_documented_schema() {
    let validator = schema();
    insta::glob!("corpus", "{seeds/*,*/*/0[01]*.md}", |path| {
        let value: serde_json::Value = serde_json::from_str(&clean(path).to(Format::Json)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    });
}

#[test]
fn markdown_output_has_no_raw_html() {
    insta::glob!("corpus", "{seeds/*,*/*/0[01]*.md}", |path| {
        let md = clean(path).to(Format::Markdown);
        let parser = pulldown_cmark::Parser::new(&md);
        for event in parser {
            if let pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) = event {
                panic!("{}: raw HTML {h:?}", path.display());
            }
        }
    });
}

fn md(html: &str) -> String {
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    cleaner()
        .clean_str_with(html, &options)
        .unwrap()
        .to(Format::Markdown)
}

#[test]
fn chinese_next_to_inline_tags_gets_no_stray_spaces() {
    assert_eq!(
        md(
            "<p>\n 周三（5月24日）\n <a href=\"https://x.example/t\">\n  俄罗斯总理\n </a>\n 在访问北京期间\n <b>签署</b>\n 了协议。\n</p>"
        ),
        "周三（5月24日）[俄罗斯总理](https://x.example/t)在访问北京期间签署了协议。\n"
    );
}

#[test]
fn latin_words_keep_their_spaces() {
    assert_eq!(
        md(
            "<p>The\n <em>prime</em>\n minister\n <a href=\"https://x.example/\">Mikhail Mishustin</a>\n said.</p>"
        ),
        "The prime minister [Mikhail Mishustin](https://x.example/) said.\n"
    );
}

#[test]
fn mixed_chinese_and_latin_keep_the_space_between_them() {
    assert_eq!(
        md("<p>俄国总理\n Mikhail Mishustin\n 访华，与\n <span>G7</span>\n 对峙。</p>"),
        "俄国总理 Mikhail Mishustin 访华，与 G7 对峙。\n"
    );
}

#[test]
fn html_output_is_safe() {
    let vectors = [
        "<p>a<script>alert(1)</script></p>",
        "<p><img src=x onerror=alert(1)></p>",
        "<p><a href=\"javascript:alert(1)\">x</a></p>",
        "<p><a href=\" jAvAsCrIpT:alert(1)\">x</a></p>",
        "<p><a href=\"vbscript:msgbox(1)\">x</a></p>",
        "<p><iframe src=\"https://evil.example/\"></iframe></p>",
        "<p><object data=x></object><embed src=x></p>",
        "<svg><script>alert(1)</script></svg>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<p><a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a></p>",
        "<form action=\"https://evil.example\"><input name=x></form>",
        "<div onmouseover=\"alert(1)\">x</div>",
    ];
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    for v in vectors {
        let cleaned = cleaner().clean_str_with(v, &options).unwrap();
        for out in [cleaned.to(Format::Html), cleaned.to(Format::Markdown)] {
            let lower = out.to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onmouseover",
                "javascript:",
                "vbscript:",
                "<iframe",
                "<object",
                "<embed",
                "<style",
                "style=",
                "data:text",
            ] {
                assert!(!lower.contains(bad), "{v:?} gave {out:?}");
            }
        }
    }
}

fn dechaff(args: &[&str], stdin: &str) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dechaff"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn json_lines_answer_each_line_in_order_and_survive_bad_lines() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/seeds/feedx-dw-2023.md"
    ))
    .unwrap();
    let input = format!(
        "{}\n{{not json\n{}\n{}\n",
        serde_json::json!({"id": "a", "content": seed}),
        serde_json::json!({"id": 2, "content": "<p>Second.</p>", "url": "https://www.dw.com/zh/x/a-1"}),
        serde_json::json!({"id": "c", "nocontent": true}),
    );
    let (stdout, _, code) = dechaff(&["--from", "jsonl", "--to", "jsonl", "-q"], &input);
    assert_eq!(code, Some(0));
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["outlet"], "dw");
    assert!(lines[0]["content"].as_str().unwrap().contains("（路透社）"));
    assert_eq!(lines[1]["id"], serde_json::Value::Null);
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().unwrap().starts_with("not JSON"));
    assert_eq!(lines[2]["id"], 2);
    assert_eq!(lines[2]["url"], "https://www.dw.com/zh/x/a-1");
    assert_eq!(lines[2]["content"], "Second.\n");
    assert_eq!(lines[3]["id"], "c");
    assert_eq!(lines[3]["error"], "no string `content` field");
    let validator = schema();
    assert!(validator.is_valid(&lines[0]) && validator.is_valid(&lines[2]));
}

#[test]
fn front_matter_carries_the_metadata() {
    let (stdout, _, code) = dechaff(
        &["-q", "--example", "jekyll-zaobao-2023", "--front-matter"],
        "",
    );
    assert_eq!(code, Some(0));
    assert!(
        stdout.starts_with(
            "---\ntitle: \"习近平会见俄罗斯总理米舒斯京\"\ndate: \"2023-05-25T01:48:05Z\"\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\noutlet: \"zaobao\"\nfamily: \"jekyll\"\nurl: \"https://www.zaobao.com/realtime/china/story20230524-1397792\"\n---\n# "), "{stdout}");
}

/// A reprint's labelled source line leaves the body and names the publication it came from;
/// a sentence that begins with the same words stays; source output keeps the line.
#[test]
fn a_reprint_line_names_where_it_came_from_and_leaves_the_body() {
    let page = "<h1>T</h1><p>来源： 顶个球公社</p><p>来源于生活的故事，高于生活。</p><p>Body.</p>";
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    assert_eq!(cleaned.text, page);
    assert_eq!(
        cleaned.to(Format::Markdown),
        "# T\n\n来源于生活的故事，高于生活。\n\nBody.\n"
    );
    assert_eq!(
        cleaned.article().reprinted_from.as_deref(),
        Some("顶个球公社")
    );
    assert!(
        cleaned
            .markdown_with_front_matter()
            .contains("\nreprinted_from: \"顶个球公社\"\n")
    );
    let line =
        "原文来自微信公众号「 媒通研究院 」：<a href='https://mp.weixin.qq.com/s/x'>专访</a>";
    let cleaned = cleaner()
        .clean_str_with(&format!("<h1>T</h1><p>{line}</p><p>Body.</p>"), &options)
        .unwrap();
    let article = cleaned.article();
    assert_eq!(article.reprinted_from.as_deref(), Some("媒通研究院"));
    assert_eq!(article.url.as_deref(), Some("https://mp.weixin.qq.com/s/x"));
    assert_eq!(
        article.content,
        "# [T](https://mp.weixin.qq.com/s/x)\n\nBody.\n"
    );
}

#[test]
fn a_wechat_reposts_header_names_the_account_and_the_author_and_leaves_the_body() {
    let page = "# 标题\n\n本文来自微信公众号“城市观察”（ID：citywatch），作者：李明\n\n正文。\n";
    let options = Options {
        format: Some(InputFormat::Markdown),
        ..Options::default()
    };
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(article.reprinted_from.as_deref(), Some("城市观察"));
    assert_eq!(article.author.as_deref(), Some("李明"));
    assert_eq!(article.content, "# 标题\n\n正文。\n");
    // The source keeps it, byte for byte.
    assert_eq!(cleaned.text, page);
}

/// Deferred metadata rules give every output's article as rules read while cleaning do;
/// only the report lacks their hits.
#[test]
fn deferred_metadata_changes_no_output() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let samples = [
        "feedx/dw/017.md",
        "gfw-breaker/secretchina/018.md",
        "gfw-breaker/ntdtv/001.md",
        "gfw-breaker-v1/voa/004.md",
        "jekyll/nyt/001.md",
        "jekyll/rfi/001.md",
        "jekyll-scrape/caa-ins/004.md",
        "jekyll-scrape/iyouport/001.md",
        "../corpus-unknown/terminus2049/posts/005.md",
    ];
    for sample in samples {
        let path = corpus.join(sample);
        let input = std::fs::read_to_string(&path).unwrap();
        let eager = cleaner()
            .clean_str_with(&input, &options_for(&path))
            .unwrap();
        let options = Options {
            defer_metadata: true,
            ..options_for(&path)
        };
        let deferred = cleaner().clean_str_with(&input, &options).unwrap();
        assert_eq!(deferred.text, eager.text, "{sample}");
        for format in [Format::Markdown, Format::Html, Format::Text] {
            assert_eq!(deferred.to(format), eager.to(format), "{sample}");
        }
        assert_eq!(
            deferred.markdown_with_front_matter(),
            eager.markdown_with_front_matter(),
            "{sample}"
        );
        let (a, b) = (deferred.article(), eager.article());
        assert_eq!(
            (
                a.title,
                a.date,
                a.author,
                a.url,
                a.translation_of,
                a.content
            ),
            (
                b.title,
                b.date,
                b.author,
                b.url,
                b.translation_of,
                b.content
            ),
            "{sample}"
        );
        assert!(deferred.report.metadata.is_empty(), "{sample}");
    }
}

/// Metadata rules left unread for a source output give the same source: the article stage
/// reads them still for every block it takes that may hold a line they read.
#[test]
fn unread_metadata_changes_no_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut paths = Vec::new();
    for dir in ["corpus", "corpus-unknown"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md" || e == "html") {
                    paths.push(path);
                }
            }
        }
    }
    assert!(paths.len() > 100);
    for path in paths {
        let input = std::fs::read_to_string(&path).unwrap();
        let eager = cleaner().clean_str_with(&input, &options_for(&path));
        let options = Options {
            defer_metadata: true,
            metadata_unread: true,
            ..options_for(&path)
        };
        let unread = cleaner().clean_str_with(&input, &options);
        assert_eq!(
            unread.map(|c| c.text).ok(),
            eager.map(|c| c.text).ok(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_note_on_where_the_article_first_appeared_becomes_fields() {
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    let page = "<h1>T</h1><p>作者 | 某人</p>\
                <p>首发于<a href='https://theinitium.com/article/1/'>端传媒</a></p>\
                <p>Body.</p><p>本文为研讨会而写，首发于《新美术》</p>\
                <p>始发于简书：冰冰船长</p>";
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(article.first_published_in.as_deref(), Some("端传媒"));
    assert_eq!(
        article.first_published_url.as_deref(),
        Some("https://theinitium.com/article/1/")
    );
    // The note above the article gives the fields; the one under it leaves the body too,
    // and an author's sentence that mentions where the piece appeared stays.
    assert_eq!(
        article.content,
        "# T\n\n作者 \\| 某人\n\nBody.\n\n本文为研讨会而写，首发于《新美术》\n"
    );
    assert!(
        cleaned
            .markdown_with_front_matter()
            .contains("\nfirst_published_in: \"端传媒\"\nfirst_published_url: \"https://theinitium.com/article/1/\"\n")
    );
    assert_eq!(cleaned.to(Format::Source), page);

    // A bracketed link to the original under a reprint.
    let page = "<h1>T</h1><p>Body.</p><p>More.</p>\
                <p>（<a href='https://www.facebook.com/someone'>原文链接</a>）</p>";
    let article = cleaner().clean_str_with(page, &options).unwrap().article();
    assert_eq!(
        article.first_published_url.as_deref(),
        Some("https://www.facebook.com/someone")
    );
    assert_eq!(article.content, "# T\n\nBody.\n\nMore.\n");
    // A line of an author's note that names the journal and issue; the note's other lines
    // stay, and a sentence that goes on after the journal's title is not the note.
    let page = "<h1>T</h1><p>文/某人<br>本文为年会而写，<br>首发于某学报《新美术》2020，2月号</p>\
                <p>原载于《新美术》2020年第2期的文章引起了讨论。</p><p>A.</p><p>B.</p><p>C.</p>";
    let article = cleaner().clean_str_with(page, &options).unwrap().article();
    assert_eq!(
        article.first_published_in.as_deref(),
        Some("某学报《新美术》2020，2月号")
    );
    assert_eq!(
        article.content,
        "# T\n\n文/某人\\\n本文为年会而写，\n\n原载于《新美术》2020年第2期的文章引起了讨论。\n\nA.\n\nB.\n\nC.\n"
    );
}

#[test]
fn a_reprint_note_under_the_article_names_and_links_its_source() {
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    let page = "<h1>T</h1><p>Body.<br><br><em>本文转载自<a href='https://blog.example/post/1'>译志</a>，\
                英文版是<a href='https://news.example/en/1'>《时代》报道</a></em></p>";
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(article.reprinted_from.as_deref(), Some("译志"));
    assert_eq!(
        article.reprinted_from_url.as_deref(),
        Some("https://blog.example/post/1")
    );
    assert_eq!(
        article.translation_of.as_deref(),
        Some("https://news.example/en/1")
    );
    assert_eq!(article.content, "# T\n\nBody.\n");
    assert!(cleaned.markdown_with_front_matter().contains(
        "\nreprinted_from: \"译志\"\nreprinted_from_url: \"https://blog.example/post/1\"\n"
    ));
    assert_eq!(cleaned.to(Format::Source), page);

    // A permission before the note is its `rights`; a translation's note names where the
    // original appeared and links it.
    let page = "<h1>T</h1><p>Body.</p>\
                <p>经作者授权，本文转载自博客“<a href='https://blog.example/2'>某博客</a>”</p>";
    let article = cleaner().clean_str_with(page, &options).unwrap().article();
    assert_eq!(
        (article.rights.as_deref(), article.reprinted_from.as_deref()),
        (Some("经作者授权"), Some("某博客"))
    );
    assert_eq!(article.content, "# T\n\nBody.\n");
    let page = "<h1>T</h1><p>Body.</p><p>本文由某站翻译，原文英文版发表于\
                <a href='https://news.example/nl/1'>荷兰《人民报》</a>。</p>";
    let article = cleaner().clean_str_with(page, &options).unwrap().article();
    assert_eq!(
        (
            article.first_published_in.as_deref(),
            article.translation_of.as_deref()
        ),
        (Some("荷兰《人民报》"), Some("https://news.example/nl/1"))
    );
    assert_eq!(article.content, "# T\n\nBody.\n");
}

/// A blog's copyright notice that closes the post with the post's own address gives `url`
/// (the address written out, not the author's e-mail link before it) and leaves the rendered
/// body; source output keeps it where it stands.
#[test]
fn a_closing_notice_with_the_address_becomes_the_url() {
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    let page = "<h1>T</h1><p>Body.</p><div>版权声明<br>本博客所有的原创文章，作者皆保留版权。\
                转载必须包含本声明，并以超链接形式注明作者<a href='mailto:a@example.org'>某人</a>\
                和本文原始地址：<br><a href='https://blog.example/2021/04/a.html'>\
                https://blog.example/2021/04/a.html</a></div>";
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(
        article.url.as_deref(),
        Some("https://blog.example/2021/04/a.html")
    );
    assert_eq!(
        article.content,
        "# [T](https://blog.example/2021/04/a.html)\n\nBody.\n"
    );
    assert_eq!(cleaned.to(Format::Source), page);
}

/// A repost's line closing the article that names where it was taken from gives
/// `reprinted_from`, and its link the `url`; it leaves the rendered body, the signature
/// before it stays, and source output keeps it where it stands.
#[test]
fn a_repost_line_closing_the_article_names_where_it_came_from() {
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    let page = "<h1>T</h1><p>Body.</p><p>2020.3.18 北京</p>\
                <p>出处 : <a href='https://news.example/2020/03/1.html'>某新闻网</a></p>";
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(
        (article.reprinted_from.as_deref(), article.url.as_deref()),
        (
            Some("某新闻网"),
            Some("https://news.example/2020/03/1.html")
        )
    );
    assert!(
        article.content.ends_with("\n\nBody.\n\n2020.3.18 北京\n"),
        "{}",
        article.content
    );
    assert_eq!(cleaned.to(Format::Source), page);
}

#[test]
fn a_note_at_a_paragraphs_end_and_a_dated_note_become_fields() {
    let options = Options {
        format: Some(InputFormat::Html),
        ..Options::default()
    };
    // The note after the author's bio leaves; the bio stays.
    let page = "<h1>T</h1><p>Body.</p><p><em>某人系某大学博士研究生。</em>\
                原载于《某学报》2020年第1期，由某出版社授权刊发。</p>";
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(
        (
            article.first_published_in.as_deref(),
            article.rights.as_deref()
        ),
        (Some("《某学报》2020年第1期"), Some("由某出版社授权刊发"))
    );
    assert!(
        article.content.ends_with("\n\n某人系某大学博士研究生。\n"),
        "{}",
        article.content
    );
    assert!(!article.content.contains("原载于"), "{}", article.content);
    assert_eq!(cleaned.to(Format::Source), page);
    // A sentence that only mentions where a piece appeared goes on.
    let page = "<h1>T</h1><p>Body.</p><p>他的文章原载于《某学报》2020年第1期。</p>";
    let article = cleaner().clean_str_with(page, &options).unwrap().article();
    assert_eq!(article.first_published_in, None);
    assert!(article.content.contains("原载于"), "{}", article.content);

    // An editor's note on when and under which title the article first appeared.
    let page = "<h1>T</h1><p><em>本文首发于2018年6月1日，原标题：儿童节：某题</em></p><p>Body.</p>";
    let cleaned = cleaner().clean_str_with(page, &options).unwrap();
    let article = cleaned.article();
    assert_eq!(
        (
            article.first_published_on.as_deref(),
            article.original_title.as_deref()
        ),
        (Some("2018-06-01"), Some("儿童节：某题"))
    );
    assert_eq!(article.content, "# T\n\nBody.\n");
    assert!(
        cleaned
            .markdown_with_front_matter()
            .contains("\nfirst_published_on: \"2018-06-01\"\noriginal_title: \"儿童节：某题\"\n")
    );
    assert_eq!(cleaned.to(Format::Source), page);
    // A line that only gives the original title.
    let page = "<h1>T</h1><p><strong>原标题：</strong>某报｜某题</p><p>Body.</p>";
    let article = cleaner().clean_str_with(page, &options).unwrap().article();
    assert_eq!(article.original_title.as_deref(), Some("某报｜某题"));
    assert_eq!(article.content, "# T\n\nBody.\n");
}

#[test]
fn the_title_is_said_once() {
    // VOA's feed writes each clip's title under its player, and a clip of the whole story
    // bears the story's title; allnow sets the headline again under its cover image,
    // Pao-Pao under the byline and the caption, BBC as the first paragraph: the rendered
    // article says its title once, as its heading, and the players stay apart.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    for doc in [
        "feedx/voa/004.md",
        "feedx/voa/013.md",
        "jekyll/voa/002.md",
        "jekyll/voa/102.md",
        "jekyll-scrape/allnow/007.md",
        "jekyll-scrape/paopao/007.md",
        "jekyll/bbc/014.md",
        "jekyll/bbc/101.md",
        "jekyll/chinafile/020.md",
    ] {
        let cleaned = clean(&corpus.join(doc));
        let title = letters(&cleaned.article().title.unwrap());
        for format in [Format::Markdown, Format::Text] {
            let out = cleaned.to(format);
            let said = out.lines().filter(|l| letters(l).contains(&title)).count();
            assert_eq!(said, 1, "{doc}: the title said {said} times\n{out}");
            if doc.contains("/voa/") {
                assert!(out.contains("av.voanews.com/"), "{doc}: a player went");
            }
            assert!(
                !out.contains(")[audio]") && !out.contains("][audio:"),
                "{doc}: players glued"
            );
        }
    }
}
