//! Detection that survives template drift: a sibling mirror made by a known generator is
//! still recognised as the family by its weighed signals (`[[detect.signal]]`), and loses
//! the family's menus and footer; a page scraped from an outlet, with no mirror around it,
//! is recognised by the address it states. The pages are in `tests/corpus-unknown/`, of
//! mirrors no rule file's `head` or `tail` pattern knows (and never will: no rule file is
//! written for them).

mod common;

use common::{options_for, run_in, scratch, text};
use dechaff::{Catalog, Cleaned, Cleaner, Format};
use std::path::{Path, PathBuf};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The documents of a directory of `tests/corpus-unknown/`, in name order.
fn documents(site: &str) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("corpus-unknown").join(site))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "no documents in {site}");
    docs
}

/// The pages of two sibling mirrors of the gfw-breaker generator (another home
/// repository; a periodicals mirror with a bottom menu only) are the family's by their
/// signals, and each says which signals were found.
#[test]
fn sibling_mirrors_are_recognised_by_their_weighed_signals() {
    let cleaner = Cleaner::new().unwrap();
    for site in ["gfw-breaker/minghui", "gfw-breaker/minghui-qikan"] {
        for doc in documents(site) {
            let page = std::fs::read_to_string(&doc).unwrap();
            let report = cleaner.clean_str(&page).report;
            let shown = doc.display();
            assert_eq!(report.family.as_deref(), Some("gfw-breaker"), "{shown}");
            assert!(
                !report.warnings.iter().any(|w| w.kind == "unknown-family"),
                "{shown}: {:?}",
                report.warnings
            );
            // Two of minghui's pages still link the banned-news README: recognised by
            // the exact pattern, nothing is weighed.
            if let Some(best) = report.weighed.first() {
                assert!(best.reached(), "{shown}: {best:?}");
                assert!(best.score >= best.threshold);
                let found: u32 = best
                    .signals
                    .iter()
                    .filter(|s| s.found)
                    .map(|s| s.weight)
                    .sum();
                assert_eq!(found, best.score, "{shown}");
                assert!(
                    best.signals.iter().filter(|s| s.found).count() >= 2,
                    "{shown}: one signal decided"
                );
                assert!(report.evidence[0].contains("signals weigh"), "{shown}");
            } else {
                assert!(report.evidence[0].contains("the head matches"), "{shown}");
            }
        }
    }
}

/// Their menus, rules, share/QR footer and `<ok>` tags are gone and the article whole:
/// the `absent`, `present` and `keep` assertions of their `expect.toml`, run by the
/// maintainers' own command.
#[test]
fn sibling_mirrors_lose_the_family_wrapper_and_keep_the_article() {
    let out = run_in(
        &tests_dir(),
        &[
            "rules",
            "test",
            "--no-snapshots",
            "--corpus",
            "corpus-unknown",
            "gfw-breaker",
        ],
        "",
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.ends_with(" passed, 0 failed\n"), "{stdout}");
    assert!(
        stdout.contains("ok      gfw-breaker/minghui-qikan"),
        "{stdout}"
    );
}

/// `explain` shows the evidence: every signal, found or not, with its weight and window,
/// the sum and the threshold; its JSON has them as `weighed`.
#[test]
fn explain_shows_the_signals_weighed() {
    let dir = tests_dir();
    let page = "corpus-unknown/gfw-breaker/minghui-qikan/001.md";
    let out = run_in(&dir, &["explain", page], "");
    let shown = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for line in [
        "family: gfw-breaker",
        "because family gfw-breaker: no `head` or `tail` pattern matched, but its signals weigh 5 of threshold 5 (title-line +2, bottom-menu +2, generator-links +1)",
        "signals of gfw-breaker: 5 of threshold 5 (reached)",
        "found    2 title-line (head)",
        "absent   2 top-menu (head)",
        "found    2 bottom-menu (tail)",
        "absent   3 share-footer (tail)",
        "gfw-breaker/menus-and-promos (drop-link-block",
    ] {
        assert!(shown.contains(line), "no `{line}` in:\n{shown}");
    }
    // A drifted sibling is no stale rule: the family's `expect` describes the pages its
    // exact pattern knows.
    assert!(!shown.contains("stale-rules"), "{shown}");

    let out = run_in(&dir, &["explain", "--to", "json", page], "");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let weighed = &json["weighed"][0];
    assert_eq!(weighed["family"], "gfw-breaker");
    assert_eq!(weighed["score"], 5);
    assert_eq!(weighed["threshold"], 5);
    let signals = weighed["signals"].as_array().unwrap();
    let found: Vec<&str> = signals
        .iter()
        .filter(|s| s["found"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["title-line", "bottom-menu", "generator-links"]);
    assert_eq!(signals[3]["id"], "share-footer");
    assert_eq!(signals[3]["weight"], 3);
    assert_eq!(signals[3]["within"], "tail");
    assert!(
        signals[3]["note"]
            .as_str()
            .unwrap()
            .contains("share footer")
    );

    // A page recognised by its exact pattern weighs nothing: no `weighed` in its JSON.
    let out = run_in(
        &dir,
        &[
            "explain",
            "--to",
            "json",
            "corpus/gfw-breaker/epochtimes/001.md",
        ],
        "",
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("weighed").is_none(), "{json}");
}

/// A sibling of a known mirror, made from a real page of the corpus by what a new version of
/// its generator or a sibling mirror changes, so that the family's exact `head` and `tail`
/// patterns no longer match.
struct Sibling {
    family: &'static str,
    /// The page it is made from, under `tests/corpus/`.
    page: &'static str,
    /// What the sibling changes: every occurrence of the first by the second (each occurs).
    edits: &'static [(&'static str, &'static str)],
    /// The outlet still found (by the source URL's host, or by its content).
    outlet: &'static str,
    /// Rules of the family (and of what it extends) that act on the sibling as on the page.
    fires: &'static [&'static str],
    /// Chaff the family's rules remove: gone from the sibling's Markdown.
    chaff: &'static [&'static str],
    /// Lines of the page's Markdown that may differ on the sibling (the title line, when
    /// the sibling no longer says where the original is).
    may_differ: &'static [&'static str],
}

const SIBLINGS: &[Sibling] = &[
    // A feed that writes the item's time as an ISO date and serves its footer from other
    // domains: feedx's `head` wants milliseconds or nothing before the title link.
    Sibling {
        family: "feedx",
        page: "feedx/bbc/003.md",
        edits: &[
            ("<!--1593467213000-->", "<!-- 2020-06-29T22:26:53Z -->"),
            ("https://feedx.net", "https://feedx.top"),
            ("https://feedx.xyz", "https://feedx.best"),
        ],
        outlet: "bbc",
        fires: &[
            "feed-items/rss-footer",
            "feed-items/image-proxy",
            "feed-items/feed-header",
        ],
        chaff: &[
            "获取更多RSS",
            "feedx.top",
            "images.weserv.nl",
            "2020年 6月 29日",
        ],
        may_differ: &[],
    },
    // A Jekyll mirror of the same generator without the timestamp comment, its outlet
    // under another name in the tags.
    Sibling {
        family: "jekyll",
        page: "jekyll/bbc/002.md",
        edits: &[
            ("<!--1595136758000-->\n", ""),
            ("[ BBC ]", "[ BBC中文网 ]"),
            ("[ news, BBC ]", "[ news, BBC中文网 ]"),
        ],
        outlet: "bbc",
        fires: &[
            "feed-items/rss-footer",
            "feed-items/image-proxy",
            "bbc/caption-label",
        ],
        chaff: &["获取更多RSS", "images.weserv.nl", "Image caption"],
        may_differ: &[],
    },
    // One that keeps the comment but writes the original's address under another key:
    // the address is then read from the title line.
    Sibling {
        family: "jekyll",
        page: "jekyll/bbc/002.md",
        edits: &[("\nfrom: http", "\nsource: http")],
        outlet: "bbc",
        fires: &[
            "jekyll/timestamp-comment",
            "feed-items/rss-footer",
            "bbc/caption-label",
        ],
        chaff: &[
            "获取更多RSS",
            "images.weserv.nl",
            "Image caption",
            "1595136758000",
        ],
        may_differ: &[],
    },
    // A scraped-page mirror that writes the original's address under another key; the
    // outlet is found by its content, and the title, with no address, is not a link.
    Sibling {
        family: "jekyll-scrape",
        page: "jekyll-scrape/neist/001.md",
        edits: &[
            ("\nfrom: http", "\nlink: http"),
            ("[ Nei.st ]", "[ Neist ]"),
        ],
        outlet: "neist",
        fires: &["jekyll-scrape/resource-hints"],
        chaff: &["cdn.jsdelivr.net/gh/0nd1jyU39XQ/_/glyph/font-face"],
        may_differ: &["# [易纲谈经济回升](https://nei.st/medium/caixin/cw903a)"],
    },
    // The 2018 generation with its title a level-2 heading and its home on another
    // repository: both of gfw-breaker-v1's patterns miss.
    Sibling {
        family: "gfw-breaker-v1",
        page: "gfw-breaker-v1/epochtimes/001.md",
        edits: &[
            ("### 美国农业部长", "## 美国农业部长"),
            (
                "gfw-breaker/banned-news/blob",
                "gfw-breaker/news-archive/blob",
            ),
        ],
        outlet: "epochtimes",
        fires: &["gfw-breaker-v1/bottom-menu", "gfw-breaker-v1/source-line"],
        chaff: &["禁闻聚合首页", "一键翻墙软件", "原文链接", "------"],
        may_differ: &[],
    },
    // bannedbook without its breadcrumb comment, its notice linking another repository.
    Sibling {
        family: "bannedbook",
        page: "seeds/bannedbook-soundofhope-2024.html",
        edits: &[
            ("<!-- 面包屑导航 -->", ""),
            (
                "github.com/bannedbook/fanqiang\"",
                "github.com/bannedbook/circumvention\"",
            ),
            (
                "github.com/bannedbook/fanqiang/",
                "github.com/bannedbook/circumvention/",
            ),
        ],
        outlet: "soundofhope",
        fires: &[
            "bannedbook/notice",
            "bannedbook/related-and-hot",
            "bannedbook/keyword-links",
        ],
        chaff: &[
            "大陆网友注意",
            "备注：翻墙看新闻",
            "相关阅读",
            "解锁ChatGPT",
            "bannedbook.org/bnews/tag",
        ],
        may_differ: &[],
    },
];

/// The page as a sibling mirror makes it.
fn drifted(sibling: &Sibling) -> (PathBuf, String, String) {
    let path = tests_dir().join("corpus").join(sibling.page);
    let page = std::fs::read_to_string(&path).unwrap();
    let mut made = page.clone();
    for (from, to) in sibling.edits {
        assert!(
            made.contains(from),
            "{}: no `{from}` to change",
            sibling.page
        );
        made = made.replace(from, to);
    }
    (path, page, made)
}

fn clean(cleaner: &Cleaner, path: &Path, text: &str) -> Cleaned {
    cleaner.clean_str_with(text, &options_for(path)).unwrap()
}

/// A sibling made by the same generator is recognised as the family by several of its
/// signals, says so in its evidence, loses the family's wrapper (menus, footers, the
/// source line) and keeps the article: its Markdown is the page's own.
#[test]
fn siblings_of_every_family_lose_its_wrapper_and_keep_the_article() {
    let cleaner = Cleaner::new().unwrap();
    for sibling in SIBLINGS {
        let (path, page, made) = drifted(sibling);
        let shown = sibling.page;
        let known = clean(&cleaner, &path, &page);
        assert_eq!(
            known.report.family.as_deref(),
            Some(sibling.family),
            "{shown}"
        );
        assert!(
            known.report.weighed.is_empty(),
            "{shown}: the page itself is known exactly"
        );

        let cleaned = clean(&cleaner, &path, &made);
        let report = &cleaned.report;
        assert_eq!(
            report.family.as_deref(),
            Some(sibling.family),
            "{shown}: {:?}",
            report.evidence
        );
        assert_eq!(report.outlet.as_deref(), Some(sibling.outlet), "{shown}");
        // The evidence: no exact pattern, the signals found, their sum and the threshold.
        let best = &report.weighed[0];
        assert_eq!(best.family, sibling.family, "{shown}");
        assert!(best.reached(), "{shown}: {best:?}");
        let found: Vec<&str> = best
            .signals
            .iter()
            .filter(|s| s.found)
            .map(|s| s.id.as_str())
            .collect();
        assert!(found.len() >= 3, "{shown}: only {found:?} found");
        assert!(
            report.evidence[0].starts_with(&format!(
                "family {}: no `head` or `tail` pattern matched, but its signals weigh {} of threshold {}",
                sibling.family, best.score, best.threshold
            )),
            "{shown}: {:?}",
            report.evidence
        );
        let kinds: Vec<&str> = report.warnings.iter().map(|w| w.kind).collect();
        assert!(kinds.is_empty(), "{shown}: {:?}", report.warnings);
        for id in sibling.fires {
            assert!(
                report.fired.iter().any(|h| h.id == *id),
                "{shown}: {id} did not fire"
            );
        }

        let markdown = cleaned.to(Format::Markdown);
        for chaff in sibling.chaff {
            assert!(
                !markdown.contains(chaff),
                "{shown}: `{chaff}` is left in\n{markdown}"
            );
        }
        let own = known.to(Format::Markdown);
        let lost: Vec<&str> = own
            .lines()
            .filter(|l| !markdown.lines().any(|m| m == *l) && !sibling.may_differ.contains(l))
            .collect();
        assert!(
            lost.is_empty(),
            "{shown}: lines lost on the sibling: {lost:?}"
        );
        assert!(
            markdown.len() + 200 > own.len(),
            "{shown}: the sibling's article is shorter"
        );
    }
}

/// `explain` shows each sibling's evidence, as it does gfw-breaker's: the family, the
/// signals found and absent with their weights, the sum and the threshold.
#[test]
fn explain_shows_every_siblings_evidence() {
    let dir = scratch("drift-explain");
    for (n, sibling) in SIBLINGS.iter().enumerate() {
        let (path, _, made) = drifted(sibling);
        let ext = path.extension().unwrap().to_str().unwrap();
        let file = dir.join(format!("{n}.{ext}"));
        std::fs::write(&file, &made).unwrap();
        let out = run_in(&dir, &["explain", file.to_str().unwrap()], "");
        let shown = text(&out.stdout);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let family = sibling.family;
        assert!(shown.contains(&format!("family: {family}\n")), "{shown}");
        assert!(
            shown.contains(&format!(
                "because family {family}: no `head` or `tail` pattern matched, but its signals weigh"
            )),
            "{shown}"
        );
        assert!(shown.contains(&format!("signals of {family}: ")), "{shown}");
        assert!(shown.contains("(reached)"), "{shown}");
        assert!(shown.contains("      found    "), "{shown}");

        let out = run_in(
            &dir,
            &["explain", "--to", "json", file.to_str().unwrap()],
            "",
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["family"], family);
        assert_eq!(json["weighed"][0]["family"], family);
        let found = json["weighed"][0]["signals"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["found"] == true)
            .count();
        assert!(found >= 3, "{json}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without its signals the same sibling is no family's: what the signals add.
#[test]
fn without_signals_a_sibling_is_not_recognised() {
    let without_signals: Vec<_> = Catalog::built_in_sources()
        .into_iter()
        .map(|(key, path, text)| {
            if !key.starts_with("families/") {
                return (key, path, text);
            }
            // Every `[[detect.signal]]` table out, and the threshold.
            let mut in_signal = false;
            let text = text
                .lines()
                .filter(|l| {
                    if l.starts_with('[') {
                        in_signal = *l == "[[detect.signal]]";
                    }
                    !in_signal && !l.starts_with("threshold = ")
                })
                .map(|l| format!("{l}\n"))
                .collect();
            (key, path, text)
        })
        .collect();
    let exact_only = Cleaner::with_catalog(Catalog::from_sources(without_signals).unwrap());
    for sibling in SIBLINGS {
        let (path, _, made) = drifted(sibling);
        let report = clean(&exact_only, &path, &made).report;
        assert_eq!(
            report.family, None,
            "{}: {:?}",
            sibling.page, report.evidence
        );
    }
}

/// A drifted jekyll post is also a feedx item, whose signals reach their threshold too:
/// of two families recognised, the higher `priority` is the page's, and explain lists both.
#[test]
fn of_two_families_recognised_the_higher_priority_wins() {
    let cleaner = Cleaner::new().unwrap();
    let (path, _, made) = drifted(&SIBLINGS[1]);
    let report = clean(&cleaner, &path, &made).report;
    let reached: Vec<(&str, bool)> = report
        .weighed
        .iter()
        .map(|w| (w.family.as_str(), w.reached()))
        .take(2)
        .collect();
    assert_eq!(reached, [("jekyll", true), ("feedx", true)]);
    assert_eq!(report.family.as_deref(), Some("jekyll"));
}

/// One or two stray pieces of a template — a footer line pasted into an essay, a `from:`
/// key, a notice — do not make a page of an unknown outlet the family's: each family's
/// threshold needs more of its template than that. The strays are weighed and listed, and
/// the page keeps its "no mirror family" warning.
#[test]
fn stray_signals_do_not_pull_a_page_into_a_family() {
    let cleaner = Cleaner::new().unwrap();
    let path = tests_dir().join("corpus-unknown/terminus2049/posts/001.md");
    let page = std::fs::read_to_string(&path).unwrap();
    let (front_matter, body) = page[4..].split_once("\n---\n").unwrap();
    let front_matter = format!("---\n{front_matter}\n---\n");
    let strays: [(&str, String); 6] = [
        // An image through feedx's proxy, and its footer pasted at the end.
        (
            "feedx",
            format!(
                "{front_matter}<p><img src=\"https://images.weserv.nl/?url=example.org/a.jpg\"></p>\n{body}\n<br><hr><div>获取更多RSS：<a href=\"https://feedx.net\">https://feedx.net</a></div>\n"
            ),
        ),
        // A `from:` key and a timestamp comment in another generator's post.
        (
            "jekyll",
            format!(
                "{}from: https://example.org/a\n---\n\n<!--1595136758000-->\n{body}",
                front_matter.trim_end_matches("---\n")
            ),
        ),
        // Another generator's Jekyll post written in HTML.
        (
            "jekyll-scrape",
            format!(
                "---\nlayout: post\ntitle: 自我审视\n---\n\n<p>\n {}\n</p>\n",
                body.trim()
            ),
        ),
        // A title with a dash rule under it, and a `原文链接：` line at the end.
        (
            "gfw-breaker-v1",
            format!(
                "### 自我审视\n------------------------\n\n{body}\n原文链接：https://example.org/a\n"
            ),
        ),
        // gfw-breaker's share instruction quoted at the end, with a link to its tools.
        (
            "gfw-breaker",
            format!(
                "{page}\n手机上长按并复制下列链接或二维码分享本文章：\n[工具](https://github.com/gfw-breaker/nogfw)\n"
            ),
        ),
        // bannedbook's notice paragraph and its end-of-entry comment.
        (
            "bannedbook",
            format!(
                "{page}\n<p class=\"notice\">大陆网友注意：本文中的链接请勿点击。</p>\n<!--END ENTRY-->\n"
            ),
        ),
    ];
    for (family, text) in strays {
        let report = clean(&cleaner, &path, &text).report;
        assert_eq!(report.family, None, "{family}: {:?}", report.evidence);
        let weighed = report
            .weighed
            .iter()
            .find(|w| w.family == family)
            .unwrap_or_else(|| panic!("{family}: no signal of it found: {:?}", report.weighed));
        let found = weighed.signals.iter().filter(|s| s.found).count();
        assert!((1..=2).contains(&found), "{family}: {weighed:?}");
        assert!(!weighed.reached(), "{family}: {weighed:?}");
        assert!(
            report.weighed.iter().all(|w| !w.reached()),
            "{family}: {:?}",
            report.weighed
        );
        let kinds: Vec<&str> = report.warnings.iter().map(|w| w.kind).collect();
        assert!(kinds.contains(&"unknown-family"), "{family}: {kinds:?}");
    }
}

/// Every document under `dir`, at any depth (`.md` and `.html`), in name order.
fn documents_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            found.extend(documents_under(&path));
        } else if path.extension().is_some_and(|e| e == "md" || e == "html")
            && path.file_name().is_some_and(|n| n != "SOURCES.md")
        {
            found.push(path);
        }
    }
    found
}

/// The built-in rules with every family's exact `head` and `tail` patterns taken out: a
/// family is then found only by its signals.
fn signals_only() -> Cleaner {
    let without_fingerprints: Vec<_> = Catalog::built_in_sources()
        .into_iter()
        .map(|(key, path, text)| {
            let text = if key.starts_with("families/") {
                text.lines()
                    .filter(|l| !l.starts_with("head = ") && !l.starts_with("tail = "))
                    .map(|l| format!("{l}\n"))
                    .collect()
            } else {
                text
            };
            (key, path, text)
        })
        .collect();
    Cleaner::with_catalog(Catalog::from_sources(without_fingerprints).unwrap())
}

/// Signals alone, with every family's exact `head` and `tail` patterns taken out, find every
/// page of `tests/corpus` and `tests/corpus-unknown` as the family its fingerprint finds,
/// and no page as another family's, nor a page no family's fingerprint finds (the
/// terminus2049 archive, the rendered Jekyll site): the weighing makes no false positives
/// on the pages dechaff knows.
#[test]
fn signals_alone_find_their_family_and_no_other() {
    let known = Cleaner::new().unwrap();
    let weighed_only = signals_only();
    let mut found = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for tree in ["corpus", "corpus-unknown"] {
        for path in documents_under(&tests_dir().join(tree)) {
            let page = std::fs::read_to_string(&path).unwrap();
            let truth = known.clean_str(&page).report.family;
            let by_signals = weighed_only.clean_str(&page).report.family;
            match (&truth, &by_signals) {
                (None, None) => {}
                (Some(t), Some(s)) if t == s => *found.entry(t.clone()).or_default() += 1,
                // Every family has signals, and they find every page of it.
                _ => failures.push(format!(
                    "{}: {truth:?}, by signals {by_signals:?}",
                    path.display()
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Pages of every family were weighed (the bannedbook page is a seed).
    for (family, least) in [
        ("feedx", 160),
        ("jekyll", 272),
        ("jekyll-scrape", 100),
        ("gfw-breaker", 140),
        ("gfw-breaker-v1", 60),
        ("bannedbook", 1),
    ] {
        let n = found.get(family).copied().unwrap_or(0);
        assert!(n >= least, "{family}: only {n} pages found by signals");
    }
}

/// A page scraped from an outlet, with no mirror around it, is the outlet's own: known by
/// the hosts of the address it states (its canonical link, else its `og:url`), with no
/// "no mirror family" warning; the address is its `url`.
#[test]
fn a_page_scraped_from_an_outlet_is_recognised_by_its_own_address() {
    let cleaner = Cleaner::new().unwrap();
    let page = |head: &str| {
        format!(
            "<!DOCTYPE html><html><head><title>T</title>{head}</head>\
             <body><article><h1>T</h1><p>The article's text.</p></article></body></html>"
        )
    };
    let dw = cleaner.clean_str(&page(
        r#"<link rel="canonical" href="https://www.dw.com/zh/a-123">"#,
    ));
    assert_eq!(dw.report.family, None);
    assert_eq!(dw.report.outlet.as_deref(), Some("dw"));
    assert_eq!(
        dw.report.source_url.as_deref(),
        Some("https://www.dw.com/zh/a-123")
    );
    assert!(dw.report.warnings.is_empty(), "{:?}", dw.report.warnings);
    assert!(
        dw.report.evidence[0].contains("the page is the site's own, by its canonical link"),
        "{:?}",
        dw.report.evidence
    );
    let json: serde_json::Value = serde_json::from_str(&dw.to(dechaff::Format::Json)).unwrap();
    assert_eq!(json["url"], "https://www.dw.com/zh/a-123");

    // An outlet no rule file knows: a warning naming its host, none about a mirror.
    let other = cleaner.clean_str(&page(
        r#"<meta property="og:url" content="https://news.example.org/2024/story">"#,
    ));
    assert_eq!((other.report.family, other.report.outlet), (None, None));
    let kinds: Vec<_> = other.report.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, ["unknown-outlet"]);
    assert!(
        other.report.warnings[0]
            .message
            .contains("news.example.org")
    );

    // A page that states no address is what it was: no family, and a warning saying so.
    let bare = cleaner.clean_str(&page(""));
    let kinds: Vec<_> = bare.report.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, ["unknown-family"]);
}

/// The same on real pages: the article element of a scraped page, put back into a page of
/// its site's own (`<head>` with its title and its canonical link or `og:url`, no mirror
/// around it), is the outlet's, with no warning, and is cleaned by the outlet's rules into
/// the article the mirrored page gives.
#[test]
fn an_outlets_own_page_is_cleaned_by_its_rules_with_no_mirror_warning() {
    let cleaner = Cleaner::new().unwrap();
    for (page, outlet, tag, by) in [
        (
            "jekyll-scrape/caa-ins/001.md",
            "caa-ins",
            "<meta property=\"og:url\" content=\"{url}\">",
            "its og:url",
        ),
        (
            "jekyll-scrape/allnow/001.md",
            "allnow",
            "<link rel=\"canonical\" href=\"{url}\">",
            "its canonical link",
        ),
    ] {
        let path = tests_dir().join("corpus").join(page);
        let mirrored = std::fs::read_to_string(&path).unwrap();
        let (front_matter, body) = mirrored[4..].split_once("\n---\n").unwrap();
        let field = |key: &str| {
            front_matter
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap()
                .trim()
                .trim_matches('"')
                .to_string()
        };
        let url = field("from:");
        let own = format!(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n{}\n</head>\n<body>\n{body}</body>\n</html>\n",
            field("title:"),
            tag.replace("{url}", &url)
        );
        let cleaned = cleaner.clean_str(&own);
        let report = &cleaned.report;
        assert_eq!(report.family, None, "{page}");
        assert_eq!(report.outlet.as_deref(), Some(outlet), "{page}");
        assert_eq!(report.source_url.as_deref(), Some(url.as_str()), "{page}");
        assert!(report.warnings.is_empty(), "{page}: {:?}", report.warnings);
        assert!(
            report.evidence[0].contains(&format!("the page is the site's own, by {by}")),
            "{page}: {:?}",
            report.evidence
        );
        let outlet_rules = report
            .fired
            .iter()
            .filter(|h| h.id.starts_with(&format!("{outlet}/")))
            .count();
        assert!(outlet_rules > 0, "{page}: no rule of {outlet} fired");
        // The article is the mirrored page's, title heading aside (a page's `<title>` is
        // not read as the article's title).
        let known = cleaner.clean_str(&mirrored).to(Format::Markdown);
        let markdown = cleaned.to(Format::Markdown);
        let untitled = |m: &str| -> String {
            match m.starts_with("# ") {
                true => m
                    .split_once("\n\n")
                    .map_or("", |(_, rest)| rest)
                    .to_string(),
                false => m.to_string(),
            }
        };
        assert_eq!(untitled(&markdown), untitled(&known), "{page}");
    }
}
