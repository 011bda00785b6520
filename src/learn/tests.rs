//! The learner on small synthetic sites.

use super::*;
use crate::Cleaner;

/// Learns from `pages` (all of one directory) with `settings`.
fn learn(pages: &[String], settings: Settings) -> Lesson {
    let cleaner = Cleaner::new().unwrap();
    let mut learner = Learner::new(&cleaner, settings);
    for page in pages {
        let o = learner
            .observe(page.as_bytes(), "site", &Options::default())
            .unwrap();
        learner.add(o);
    }
    learner.finish()
}

fn examples(lesson: &Lesson) -> Vec<String> {
    lesson.sites[0]
        .rules
        .iter()
        .map(|r| r.example.clone())
        .collect()
}

/// Words that differ from page to page.
fn words(n: usize) -> String {
    const WORDS: [&str; 8] = [
        "river", "mountain", "harbour", "village", "railway", "market", "orchard", "bridge",
    ];
    format!("{} and {}", WORDS[n % 8], WORDS[(n * 3 + 1) % 8])
}

/// A Markdown page: its own title and paragraph, then `tail`.
fn page(n: usize, tail: &str) -> String {
    format!(
        "---\ntitle: Story {n}\n---\n\n# Story {n} about something\n\nThe article of page {n} says something of its own, {}.\n\n{tail}\n",
        words(n)
    )
}

#[test]
fn a_repeated_footer_is_learned_and_a_paragraph_on_one_page_is_not() {
    let mut pages: Vec<String> = (0..8)
        .map(|n| page(n, "Printed from the Example Daily archive desk"))
        .collect();
    pages[3].push_str("\nA paragraph that only this page has, however short.\n");
    let lesson = learn(&pages, Settings::APPLY);
    assert_eq!(
        examples(&lesson),
        ["Printed from the Example Daily archive desk"]
    );
    let rule = &lesson.sites[0].rules[0];
    assert_eq!(rule.action, "drop-lines");
    assert_eq!(rule.pages, 8);
    assert_eq!(
        rule.keys,
        [(
            "pattern",
            r"^Printed from the Example Daily archive desk\s*$".to_string()
        )]
    );
}

#[test]
fn a_long_repeated_block_is_not_learned() {
    let long = "A long block repeated on every page. ".repeat(10);
    let pages: Vec<String> = (0..8).map(|n| page(n, &long)).collect();
    assert!(learn(&pages, Settings::APPLY).sites[0].rules.is_empty());
    let html: Vec<String> = (0..8)
        .map(|n| format!("<p>{}</p><div class=\"box\">{long}</div>", words(n)))
        .collect();
    assert!(learn(&html, Settings::APPLY).sites[0].rules.is_empty());
}

#[test]
fn numbers_and_link_targets_are_masked_but_not_dates_or_shown_urls() {
    let pages: Vec<String> = (0..8)
        .map(|n| {
            page(
                n,
                &format!(
                    "Read {} times. [Share on Mastodon](https://share.example/?u=https://news.example/{n})\n\n2020-01-{:02} 12:00\n\nSource: https://news.example/a/{n}",
                    n * 37 + 5,
                    n + 1
                ),
            )
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let rules = &lesson.sites[0].rules;
    assert_eq!(rules.len(), 1, "{rules:#?}");
    assert_eq!(
        rules[0].keys[0].1,
        r"^Read \d[\d.,]* times\. \[Share on Mastodon\]\(\S*?\)\s*$"
    );
}

#[test]
fn a_unit_on_too_small_a_share_of_pages_or_too_few_pages_is_not_learned() {
    // On half of the pages: a line whose number changes, and a short label.
    let tail = |n: usize, text: &str| {
        if n < 5 {
            text.replace('N', &(n * 7).to_string())
        } else {
            String::new()
        }
    };
    let counted: Vec<String> = (0..10).map(|n| page(n, &tail(n, "Read N times"))).collect();
    assert!(learn(&counted, Settings::APPLY).sites[0].rules.is_empty());
    assert_eq!(learn(&counted, Settings::PROPOSE).sites[0].rules.len(), 1);
    let label: Vec<String> = (0..10).map(|n| page(n, &tail(n, "Podcast"))).collect();
    assert!(learn(&label, Settings::APPLY).sites[0].rules.is_empty());
    let few: Vec<String> = (0..4)
        .map(|n| page(n, "Notes from the weekly desk"))
        .collect();
    assert!(learn(&few, Settings::APPLY).sites[0].rules.is_empty());
}

#[test]
fn a_sentence_word_for_word_on_a_quarter_of_the_pages_is_learned() {
    let notice = "Reprints of this programme need our written permission.";
    let pages: Vec<String> = (0..20)
        .map(|n| page(n, if n % 4 == 0 { notice } else { "" }))
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    assert_eq!(examples(&lesson), [notice]);
    assert_eq!(lesson.sites[0].rules[0].threshold, 5);
    // On fewer pages than that, or as a link (a source, a section), it is not.
    let fewer: Vec<String> = (0..20)
        .map(|n| page(n, if n % 5 == 0 { notice } else { "" }))
        .collect();
    assert!(learn(&fewer, Settings::APPLY).sites[0].rules.is_empty());
    let linked = format!("[{notice}](https://example.com/reprints)");
    let links: Vec<String> = (0..20)
        .map(|n| page(n, if n % 4 == 0 { &linked } else { "" }))
        .collect();
    assert!(learn(&links, Settings::APPLY).sites[0].rules.is_empty());
}

#[test]
fn elements_by_text_and_signature_and_images_by_address() {
    let pages: Vec<String> = (0..6)
        .map(|n| {
            format!(
                "<h1>Title {n}</h1><p>Body {n} {}</p><div class=\"share-bar\"><a href=\"https://s.example/?u={n}\">Share</a> <a href=\"https://t.example/?u={n}\">Post</a></div><p><img src=\"https://cdn.example/logo.png\"></p><figure><img src=\"https://cdn.example/{n}.jpg\"><figcaption>Photo credit line that repeats</figcaption></figure>",
                "y".repeat(n)
            )
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let rules = &lesson.sites[0].rules;
    let keys: Vec<_> = rules.iter().map(|r| (r.action, r.keys.clone())).collect();
    assert_eq!(
        keys,
        [
            (
                "remove-if-text",
                vec![
                    ("selector", "div.share-bar".to_string()),
                    ("pattern", "^Share Post$".to_string()),
                    ("max_chars", "18".to_string()),
                ]
            ),
            (
                "remove",
                vec![(
                    "selector",
                    "img[src='https://cdn.example/logo.png']".to_string()
                )]
            ),
        ]
    );
}

#[test]
fn bylines_and_editors_lines_are_never_learned() {
    let pages: Vec<String> = (0..8)
        .map(|n| page(n, "责任编辑：叶紫微\n\n（大纪元记者徐简综合报导）"))
        .collect();
    assert!(learn(&pages, Settings::PROPOSE).sites[0].rules.is_empty());
    // A user name marked as such (Drupal's RDFa), however often one user posts.
    let named: Vec<String> = (0..8)
        .map(|n| {
            page(
                n,
                "<div><span class=\"username\" property=\"foaf:name\">Anonymous (unverified)</span></div>",
            )
        })
        .collect();
    assert!(learn(&named, Settings::PROPOSE).sites[0].rules.is_empty());
}

#[test]
fn learned_rules_compile_and_act_as_a_layer() {
    let pages: Vec<String> = (0..6)
        .map(|n| page(n, "Printed from the Example Daily archive desk"))
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let cleaner = Cleaner::new().unwrap();
    let catalog = cleaner.catalog().with_files(lesson.layers()).unwrap();
    let cleaner = Cleaner::with_catalog(catalog);
    let site = &lesson.sites[0];
    let options = Options {
        extra_layer: Some(site.layer.clone()),
        ..Options::default()
    };
    let cleaned = cleaner.clean_str_with(&pages[2], &options).unwrap();
    assert!(!cleaned.text.contains("Example Daily"), "{}", cleaned.text);
    assert!(cleaned.text.contains("The article of page 2"));
    assert_eq!(
        cleaned.report.fired.last().map(|h| h.id.as_str()),
        Some("learned-site/learned-line-1")
    );
}

#[test]
fn proposals_pass_the_loader_and_name_their_sites() {
    let pages: Vec<String> = (0..6)
        .map(|n| page(n, "Printed from the Example Daily archive desk"))
        .collect();
    let lesson = learn(&pages, Settings::PROPOSE);
    let cleaner = Cleaner::new().unwrap();
    let proposals = lesson.proposals(cleaner.catalog());
    assert_eq!(proposals.len(), 1);
    let p = &proposals[0];
    assert_eq!(p.path, "outlets/site.toml");
    assert!(p.text.contains("expect = ['learned-line-1']"), "{}", p.text);
    assert!(p.text.contains("--outlet site"), "{}", p.text);
    let key = p.path.trim_end_matches(".toml").to_string();
    let catalog = cleaner
        .catalog()
        .with_files(vec![(key, p.path.clone(), p.text.clone())])
        .unwrap();
    assert!(catalog.lint().is_empty());
}

#[test]
fn a_block_of_links_whose_items_change_goes_by_its_class() {
    let related = |n: usize| {
        (0..3)
            .map(|i| {
                format!(
                    "<li><a href=\"https://other.example/{}\">{}</a></li>",
                    n * 3 + i,
                    words(n + i)
                )
            })
            .collect::<String>()
    };
    let pages: Vec<String> = (0..6)
        .map(|n| {
            format!(
                "<h1>{}</h1><p>Body of the story about {} that only this page tells.</p><ul class=\"related\">{}</ul>",
                words(n),
                words(n + 1),
                related(n)
            )
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let keys: Vec<_> = lesson.sites[0]
        .rules
        .iter()
        .map(|r| (r.action, r.keys.clone()))
        .collect();
    assert_eq!(
        keys,
        [("remove", vec![("selector", "ul.related".to_string())])]
    );
    // The same class holding text of its own on one page: never by its class.
    let mut spoilt = pages.clone();
    spoilt[2] = spoilt[2].replace(
        "<ul class=\"related\">",
        "<ul class=\"related\"><li>An item that is no link at all, and a long one at that</li>",
    );
    assert!(learn(&spoilt, Settings::APPLY).sites[0].rules.is_empty());
    // Links with a class of their own inside the article's sentences: words, not a block.
    let in_text: Vec<String> = (0..6)
        .map(|n| {
            format!(
                "<h1>{}</h1><p>Body of the story about <a class=\"xref\" href=\"https://other.example/t/{n}\">{}</a> that only this page tells.</p>",
                words(n),
                words(n + 1),
            )
        })
        .collect();
    assert!(learn(&in_text, Settings::APPLY).sites[0].rules.is_empty());
}

#[test]
fn the_same_text_under_other_classes_is_one_unit_by_its_tag() {
    let pages: Vec<String> = (0..6)
        .map(|n| {
            let class = if n % 2 == 0 { "promo" } else { "promo-2020" };
            format!(
                "<p>Story about the {} told only here.</p><p class=\"{class}\">Our club meets every Tuesday at noon</p>",
                words(n)
            )
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let keys: Vec<_> = lesson.sites[0]
        .rules
        .iter()
        .map(|r| r.keys.clone())
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(keys[0][0], ("selector", "p".to_string()));
    // A bare inline tag is never the selector.
    let spans: Vec<String> = pages
        .iter()
        .map(|p| {
            p.replace("<p class", "<span class")
                .replace("today</p>", "today</span>")
        })
        .collect();
    assert!(learn(&spans, Settings::APPLY).sites[0].rules.is_empty());
}

#[test]
fn a_notice_in_a_few_wordings_is_learned_by_how_it_begins_but_an_articles_formula_is_not() {
    let notices = [
        "2020年德国之声节目预告：本周所有的节目都在网站重播，欢迎收听。",
        "2021年 德国之声节目预告：本周所有的節目都在网站重播，欢迎收听。",
    ];
    let pages: Vec<String> = (0..8)
        .map(|n| {
            format!(
                "<p>关于{}的报道，只在这一页。</p><p>{}</p>",
                words(n),
                notices[n % 2]
            )
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let rules = &lesson.sites[0].rules;
    assert_eq!(rules.len(), 1, "{rules:#?}");
    assert_eq!(
        rules[0].keys[1],
        (
            "pattern",
            r"^\d[\d.,]*年\s*德国之声节目预告：本周所有的".to_string()
        )
    );
    assert_eq!(rules[0].wordings, Some(2));
    // Every page's lead begins the same way and goes on differently: an article's formula.
    let leads: Vec<String> = (0..8)
        .map(|n| {
            format!(
                "<p>本报讯 据本社记者今日从各方获悉的消息称：{}的事情有了新的进展。</p>",
                words(n)
            )
        })
        .collect();
    assert!(learn(&leads, Settings::APPLY).sites[0].rules.is_empty());
}

/// An HTML page of `news.example` with its own address, its article, and `extra`.
fn html_page(n: usize, extra: &str) -> String {
    format!(
        "<html><head><link rel=\"canonical\" href=\"https://news.example/stories/{n}.html\"></head><body><h1>Story {n}</h1><p>The article of page {n} says something of its own, {}.</p>{extra}<p>It ends with a paragraph of page {n}, {}.</p></body></html>",
        words(n),
        words(n + 3)
    )
}

/// A list of the site's own stories between paragraphs, its items different on every page.
/// Each item has a bullet typed before its link: an item that is nothing but a link to the
/// site is the generic layer's (`site-story-list`), which leaves nothing of it to learn.
fn own_list(n: usize) -> String {
    format!(
        "<ul><li>* <b><a href=\"https://www.news.example/stories/{}.html\">Earlier: the {}</a></b></li><li>* <b><a href=\"https://news.example/stories/{}.html\">Also: the {}</a></b></li></ul>",
        n + 100,
        words(n + 1),
        n + 200,
        words(n + 2)
    )
}

#[test]
fn a_list_of_the_sites_own_stories_is_learned_and_a_list_of_sources_stays() {
    let sources = "<ul><li><a href=\"https://journal.example/paper\">Smith and Jones on river trade</a></li><li><a href=\"https://archive.example/report\">The harbour commission's report</a></li></ul>";
    let commented = "<ul><li>As we reported, <a href=\"https://news.example/stories/7.html\">the market fell</a> sharply last week and again today.</li></ul>";
    let pages: Vec<String> = (0..8)
        .map(|n| match n {
            3 => html_page(n, &format!("{}{sources}", own_list(n))),
            5 => html_page(n, &format!("{}{commented}", own_list(n))),
            _ => html_page(n, &own_list(n)),
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let site = &lesson.sites[0];
    assert_eq!(site.key.to_string(), "news.example");
    let list: Vec<&LearnedRule> = site
        .rules
        .iter()
        .filter(|r| r.action == "remove-block")
        .collect();
    assert_eq!(list.len(), 1, "{:#?}", site.rules);
    assert_eq!(list[0].pages, 8);
    assert!(list[0].keys.contains(&(
        "links_to",
        r"^(?:https?:)?//(?:[^/?#]*\.)?news\.example/stories/".to_string()
    )));
    let cleaner = Cleaner::new().unwrap();
    let cleaner = Cleaner::with_catalog(cleaner.catalog().with_files(lesson.layers()).unwrap());
    let options = Options {
        extra_layer: Some(site.layer.clone()),
        ..Options::default()
    };
    for (n, page) in pages.iter().enumerate() {
        let cleaned = cleaner.clean_str_with(page, &options).unwrap().text;
        assert!(!cleaned.contains("Earlier: the"), "{cleaned}");
        assert!(!cleaned.contains("Also: the"), "{cleaned}");
        assert!(
            cleaned.contains(&format!("<h1>Story {n}</h1>")),
            "{cleaned}"
        );
        assert!(cleaned.contains(&format!("It ends with a paragraph of page {n}")));
    }
    // An author's list of sources links elsewhere; a sentence with a link in it is no list.
    let essay = cleaner.clean_str_with(&pages[3], &options).unwrap().text;
    assert!(essay.contains("Smith and Jones on river trade"), "{essay}");
    assert!(essay.contains("The harbour commission's report"), "{essay}");
    let comment = cleaner.clean_str_with(&pages[5], &options).unwrap().text;
    assert!(comment.contains("As we reported, <a"), "{comment}");
}

#[test]
fn a_list_of_own_stories_on_a_few_pages_only_is_not_learned() {
    let pages: Vec<String> = (0..8)
        .map(|n| html_page(n, &if n < 3 { own_list(n) } else { String::new() }))
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    assert!(
        !lesson.sites[0]
            .rules
            .iter()
            .any(|r| r.action == "remove-block"),
        "{:#?}",
        lesson.sites[0].rules
    );
}

#[test]
fn a_list_of_own_stories_needs_five_pages_and_two_fifths_of_them() {
    let lists = |with: usize, of: usize| -> Vec<String> {
        (0..of)
            .map(|n| html_page(n, &if n < with { own_list(n) } else { String::new() }))
            .collect()
    };
    let learned = |pages: &[String]| {
        learn(pages, Settings::APPLY).sites[0]
            .rules
            .iter()
            .filter(|r| r.action == "remove-block")
            .count()
    };
    // Its structure guards it, not its share: under 5 of 12 stories is enough...
    assert_eq!(learned(&lists(5, 12)), 1);
    // ... but not under fewer than 5, whatever their share, nor under a third.
    assert_eq!(learned(&lists(4, 8)), 0);
    assert_eq!(learned(&lists(5, 14)), 0);
    // Any other unit on as few pages is not learned: a promo of the site's own, its
    // number changing, needs 60 %.
    let promo: Vec<String> = (0..12)
        .map(|n| {
            let extra = if n < 5 {
                format!(
                    "<p class=\"promo\">Join {} readers of our daily letter</p>",
                    1000 + n
                )
            } else {
                String::new()
            };
            html_page(n, &extra)
        })
        .collect();
    assert!(learn(&promo, Settings::APPLY).sites[0].rules.is_empty());
}

/// A footer signed by one of a site's few posters, its tags different on every page.
fn signed(n: usize, fixed: &str) -> String {
    const POSTERS: [&str; 3] = ["Ann", "Bo Lee", "Kim"];
    html_page(
        n,
        &format!(
            "<p><small>{} {fixed} tags: {} and {}</small></p>",
            POSTERS[n % 3],
            words(n + 5),
            words(n + 2)
        ),
    )
}

#[test]
fn a_line_that_is_the_same_after_a_short_head_is_learned_when_its_fixed_part_is_long() {
    let fixed = "for the Example Times | Archive | Letters | Post";
    let pages: Vec<String> = (0..8).map(|n| signed(n, fixed)).collect();
    let lesson = learn(&pages, Settings::APPLY);
    let rules = &lesson.sites[0].rules;
    assert_eq!(rules.len(), 1, "{rules:#?}");
    let pattern = &rules[0].keys[1].1;
    assert!(
        pattern.starts_with(r"^.{0,") && pattern.contains(r"for\s*the\s*Example\s*Times"),
        "{pattern}"
    );
    let cleaner = Cleaner::new().unwrap();
    let cleaner = Cleaner::with_catalog(cleaner.catalog().with_files(lesson.layers()).unwrap());
    let options = Options {
        extra_layer: Some(lesson.sites[0].layer.clone()),
        ..Options::default()
    };
    for (n, page) in pages.iter().enumerate() {
        let cleaned = cleaner.clean_str_with(page, &options).unwrap().text;
        assert!(!cleaned.contains("Letters"), "{cleaned}");
        assert!(cleaned.contains(&format!("It ends with a paragraph of page {n}")));
    }
    // On too few pages, or too small a share of them, it is not learned.
    let few: Vec<String> = (0..8)
        .map(|n| {
            if n < 4 {
                signed(n, fixed)
            } else {
                html_page(n, "")
            }
        })
        .collect();
    assert!(learn(&few, Settings::APPLY).sites[0].rules.is_empty());
    let four: Vec<String> = (0..4).map(|n| signed(n, fixed)).collect();
    assert!(learn(&four, Settings::APPLY).sites[0].rules.is_empty());
    // A fixed part too short to be more than a few words is never learned, on every page:
    // what follows it differs.
    let short: Vec<String> = (0..8).map(|n| signed(n, "for Ex |")).collect();
    assert!(learn(&short, Settings::PROPOSE).sites[0].rules.is_empty());
    // Nor one after a head that differs on most pages (a sentence's own beginning), nor
    // one after a label of the article's metadata.
    let heads: Vec<String> = (0..8)
        .map(|n| {
            html_page(
                n,
                &format!(
                    "<p>{} {fixed} {}</p>",
                    words(n).split(' ').next().unwrap_or(""),
                    words(n + 5)
                ),
            )
        })
        .collect();
    assert!(learn(&heads, Settings::PROPOSE).sites[0].rules.is_empty());
    let bylines: Vec<String> = (0..8)
        .map(|n| html_page(n, &format!("<p>By Ann {fixed} {}</p>", words(n + 5))))
        .collect();
    assert!(learn(&bylines, Settings::PROPOSE).sites[0].rules.is_empty());
}

/// A Markdown page whose title is its headline and then `ending`.
fn titled(n: usize, ending: &str) -> String {
    format!(
        "---\ntitle: \"Story {n} about the {}{ending}\"\n---\n\nThe article of page {n} says something of its own, {}.\n",
        words(n),
        words(n + 3)
    )
}

#[test]
fn what_a_site_adds_to_its_titles_is_learned_and_the_title_read_without_it() {
    let pages: Vec<String> = (0..8)
        .map(|n| {
            titled(
                n,
                if n < 6 {
                    " - Daily | Example Times"
                } else {
                    ""
                },
            )
        })
        .collect();
    let lesson = learn(&pages, Settings::APPLY);
    let site = &lesson.sites[0];
    // The longest ending only: ` | Example Times` never came without it.
    assert_eq!(examples(&lesson), ["- Daily | Example Times"]);
    let rule = &site.rules[0];
    assert_eq!(rule.action, "metadata");
    assert_eq!(rule.id, "learned-title-1");
    assert_eq!(rule.pages, 6);
    let cleaner = Cleaner::new().unwrap();
    let cleaner = Cleaner::with_catalog(cleaner.catalog().with_files(lesson.layers()).unwrap());
    let options = Options {
        extra_layer: Some(site.layer.clone()),
        ..Options::default()
    };
    let article = cleaner
        .clean_str_with(&pages[1], &options)
        .unwrap()
        .article();
    assert_eq!(
        article.title,
        Some(format!("Story 1 about the {}", words(1)))
    );
    // A page without the ending keeps its title whole.
    let article = cleaner
        .clean_str_with(&pages[7], &options)
        .unwrap()
        .article();
    assert_eq!(
        article.title,
        Some(format!("Story 7 about the {}", words(7)))
    );
}

#[test]
fn an_ending_on_few_titles_or_a_short_one_on_half_of_them_is_not_learned() {
    // A column's short name on half of the pages needs the share of any unit.
    let half: Vec<String> = (0..10)
        .map(|n| titled(n, if n % 2 == 0 { " - Notes" } else { "" }))
        .collect();
    assert!(learn(&half, Settings::APPLY).sites[0].rules.is_empty());
    // A site's full name needs the share of a sentence said word for word: a quarter.
    let named: Vec<String> = (0..20)
        .map(|n| {
            titled(
                n,
                if n % 4 == 0 {
                    " | The Example Daily Times"
                } else {
                    ""
                },
            )
        })
        .collect();
    assert_eq!(
        examples(&learn(&named, Settings::APPLY)),
        ["| The Example Daily Times"]
    );
    let fewer: Vec<String> = (0..20)
        .map(|n| {
            titled(
                n,
                if n % 5 == 0 {
                    " | The Example Daily Times"
                } else {
                    ""
                },
            )
        })
        .collect();
    assert!(learn(&fewer, Settings::APPLY).sites[0].rules.is_empty());
}
