use crate::actions::tests::html;

const RULES: &str = "[[rule]]\nid = \"m\"\naction = \"keep-main\"\nnote = \"n\"\n";

/// Three paragraphs of news, about 330 characters in all.
const STORY: &str = "<p>The river fell by two metres overnight, and residents began returning to their homes on Sunday morning.</p>\
<p>Officials said the bridges would reopen once engineers had inspected them, which could take several days.</p>\
<p>Schools in the district will stay closed until Wednesday, the council said, while roads are cleared.</p>";

fn page(body: &str) -> String {
    format!("<html><head><title>Flood waters recede - The Daily Example</title></head><body>{body}</body></html>")
}

#[test]
fn the_frame_around_the_content_goes() {
    let nav = "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>";
    let side = "<div class=\"sidebar\"><h2>Most read</h2><ul><li><a href=\"/a\">One story of the day, read by many</a></li></ul></div>";
    let cleaned = html(
        RULES,
        &page(&format!("{nav}<div id=\"content\">{STORY}</div>{side}<footer>© The Daily Example</footer>")),
    );
    assert_eq!(cleaned.text, format!("<div id=\"content\">{STORY}</div>"));
    assert_eq!(cleaned.report.fired[0].id, "common/m");
}

#[test]
fn a_fragment_or_a_short_page_keeps_everything() {
    let fragment = format!("<nav>Home</nav><div>{STORY}</div>");
    assert_eq!(html(RULES, &fragment).text, fragment);
    let short = page("<nav>Home</nav><div><p>A short notice of twenty-six words or so, no more than that.</p></div>");
    assert_eq!(html(RULES, &short).text, short);
}

#[test]
fn the_headline_before_the_content_stays_and_the_sites_name_goes() {
    let cleaned = html(
        RULES,
        &page(&format!(
            "<div class=\"logo\"><h1>The Daily Example</h1></div><div class=\"top\"><h1>Flood waters recede</h1></div><div class=\"body\">{STORY}</div>"
        )),
    );
    assert_eq!(
        cleaned.text,
        format!("<div class=\"top\"><h1>Flood waters recede</h1></div><div class=\"body\">{STORY}</div>")
    );
}

#[test]
fn a_lead_beside_the_body_stays_with_it() {
    let lead = "<div class=\"lead\"><p>Residents returned home as the waters fell, officials said on Sunday, and the roads will open soon.</p></div>";
    let cleaned = html(
        RULES,
        &page(&format!("<nav>Home</nav><div class=\"wrap\">{lead}<div class=\"text\">{STORY}</div></div><footer>© Example</footer>")),
    );
    assert!(cleaned.text.contains("Residents returned home"), "{}", cleaned.text);
    assert!(cleaned.text.contains("roads are cleared"), "{}", cleaned.text);
    assert!(!cleaned.text.contains("Home"), "{}", cleaned.text);
}

#[test]
fn the_article_holding_the_story_is_kept_whole_and_a_teasers_article_goes() {
    let story = format!("<article><header><h1>Flood waters recede</h1><p class=\"byline\">By A. Writer</p></header><div class=\"body\">{STORY}</div></article>");
    let teaser = "<aside><article class=\"teaser\"><a href=\"/b\">Another story, with a picture and a headline</a></article></aside>";
    let cleaned = html(RULES, &page(&format!("<nav>Home</nav>{story}{teaser}")));
    assert_eq!(cleaned.text, story);
}

#[test]
fn a_block_of_teasers_beside_the_story_goes_though_its_blurbs_read_as_prose() {
    let teaser = |n: u32| {
        format!(
            "<div class=\"item\"><h4><a href=\"/opinion/{n}\">Another columnist on another matter</a></h4><p class=\"standfirst\">A blurb of the other column, in a sentence or two, that reads as prose. It says what the columnist thinks of the week, and why the reader should click through to it.</p></div>"
        )
    };
    let teasers = format!(
        "<div class=\"group\"><h2>Other Opinion Columns</h2>{}{}{}</div>",
        teaser(1),
        teaser(2),
        teaser(3)
    );
    // A column's length: the teasers' blurbs are a fraction of it.
    let story = format!("<div class=\"story\"><h1>Flood waters recede</h1>{STORY}{STORY}{STORY}</div>");
    let cleaned = html(
        RULES,
        &page(&format!("<nav>Home</nav><div class=\"wrap\">{story}{teasers}</div><footer>© Example</footer>")),
    );
    assert_eq!(cleaned.text, story);
}

#[test]
fn a_keep_only_region_goes_first() {
    let rules = format!(
        "{RULES}\n[[rule]]\nid = \"k\"\naction = \"keep-only\"\nselector = \"div.sidebar\"\nnote = \"n\"\n"
    );
    let side = "<div class=\"sidebar\"><p>What the rule keeps.</p></div>";
    let cleaned = html(&rules, &page(&format!("<div>{STORY}</div>{side}")));
    assert_eq!(cleaned.text, side);
}

#[test]
fn a_page_nested_deep_is_read_without_harm() {
    let deep = format!("{}{STORY}{}", "<div>".repeat(5000), "</div>".repeat(5000));
    let cleaned = html(RULES, &page(&deep));
    assert!(cleaned.text.contains("roads are cleared"));
}

#[test]
fn a_title_and_a_linked_byline_before_the_text_stay_and_a_breadcrumb_goes() {
    let crumbs = "<div class=\"crumbs\"><a href=\"/\">Home</a> &gt; <a href=\"/news\">News</a> &gt; <a href=\"/news/local\">Local</a></div>";
    let title = "<p class=\"title\">Flood waters recede</p>";
    let byline = "<div class=\"by\"><a href=\"/people/a-writer\">A. Writer</a> 8-10</div>";
    let cleaned = html(
        RULES,
        &page(&format!(
            "<nav>Home</nav><div class=\"main\">{crumbs}{title}{byline}<div id=\"text\">{STORY}</div><div class=\"reactions\"><a href=\"/r/1\">Like</a></div></div><footer>© Example</footer>"
        )),
    );
    assert_eq!(cleaned.text, format!("{title}{byline}<div id=\"text\">{STORY}</div>"));
}

#[test]
fn a_story_header_beside_the_body_stays_whatever_its_class_says() {
    // Readability's names of what is not the article include `header`: for the scores,
    // not for what leads into the text.
    let header = "<div class=\"story-header\"><h1>Flood waters recede</h1><p class=\"by\">by: A. Writer, March 13</p></div>";
    let cleaned = html(
        RULES,
        &page(&format!(
            "<div class=\"site-header\"><a href=\"/\">Home</a> <a href=\"/a\">A</a> <a href=\"/b\">B</a></div><div id=\"story\">{header}<div class=\"story-body\">{STORY}</div></div><div class=\"sidebar\"><p>Other columns of the week, read here.</p></div>"
        )),
    );
    assert_eq!(cleaned.text, format!("{header}<div class=\"story-body\">{STORY}</div>"));
}

#[test]
fn a_body_start_tag_is_told_from_other_words() {
    use super::has_body_tag;
    assert!(has_body_tag(b"<html><BODY class=x>"));
    assert!(has_body_tag(b"<body>"));
    assert!(!has_body_tag(b"<tbody><tr></tr></tbody></body> nobody <bodyx>"));
}

#[test]
fn the_pages_furniture_inside_the_article_goes() {
    let bio = "<div class=\"author-bio\"><p>A. Writer covers the river towns for the Daily Example, which she joined in 2012.</p></div>";
    let comments = "<section id=\"comments\" class=\"comments-area\"><h2>12 comments</h2><p>You must <a href=\"/login\">log in</a> to comment.</p></section>";
    let prev_next = "<div class=\"prev-next-links\"><a href=\"/a\">← Previous story</a> <a href=\"/b\">Next story →</a></div>";
    let tags = "<footer><a href=\"/t/floods\">Floods</a> <a href=\"/t/weather\">Weather</a></footer>";
    let story = format!("<h1>Flood waters recede</h1><div class=\"body\">{STORY}</div>");
    let cleaned = html(
        RULES,
        &page(&format!("<nav>Home</nav><article>{story}{bio}{comments}{prev_next}{tags}</article>")),
    );
    assert_eq!(cleaned.text, format!("<article>{story}</article>"));
    assert_eq!(cleaned.report.fired[0].id, "common/m");
}

#[test]
fn furniture_beside_the_content_goes_when_the_page_has_no_article() {
    let share = "<div class=\"social-share\"><a href=\"/s/fb\">Facebook</a> <a href=\"/s/x\">X</a></div>";
    let thread = "<div id=\"disqus_thread\"><p>Reader one: a long comment on the floods, and on the council, and on the bridges.</p></div>";
    let cleaned = html(
        RULES,
        &page(&format!("<nav>Home</nav><div class=\"wrap\"><h1>Flood waters recede</h1><div class=\"text\">{STORY}{share}</div>{thread}</div>")),
    );
    assert!(cleaned.text.contains("roads are cleared"), "{}", cleaned.text);
    assert!(!cleaned.text.contains("Facebook"), "{}", cleaned.text);
    assert!(!cleaned.text.contains("Reader one"), "{}", cleaned.text);
}

#[test]
fn what_a_name_alone_marks_stays_when_it_holds_the_story_its_headline_or_sentences() {
    // The story inside a block whose name says share: a name is a hint, not proof.
    let wrapped = format!("<article><h1>Flood waters recede</h1><div class=\"share-wrapper\">{STORY}</div></article>");
    assert_eq!(html(RULES, &page(&wrapped)).text, wrapped);
    // The headline inside a block named for its share bar.
    let headed = format!("<article><div class=\"sharing-top\"><h1>Flood waters recede</h1></div><div>{STORY}</div></article>");
    assert_eq!(html(RULES, &page(&headed)).text, headed);
    // A footer of sentences (an editor's line, a correction) is the article's; a block
    // with a class that names content alone (`article-body`) is not furniture, whatever its
    // other classes say.
    let footer = "<footer><p>Correction: an earlier version of this story gave the wrong date for the reopening.</p></footer>";
    let note = "<div class=\"article-body comments-enabled\"><p>Editor's note: the council's figures are provisional.</p></div>";
    let kept = format!("<article><h1>Flood waters recede</h1><div>{STORY}</div>{note}{footer}</article>");
    assert_eq!(html(RULES, &page(&kept)).text, kept);
}

#[test]
fn an_article_inside_blocks_named_as_not_the_article_is_the_article_all_the_same() {
    // France 24 sets its story in a column named `col-1 highfooter`, beside the page's
    // video board and top stories.
    let story = format!("<article class=\"article-long\"><h1>Flood waters recede</h1>{STORY}</article>");
    let board = "<div class=\"video-board\"><h2>Latest shows</h2><div><p>Business daily</p><h2><a href=\"/s/1\">A show of the week on the markets</a></h2></div></div>";
    let cleaned = html(
        RULES,
        &page(&format!("<div class=\"page\">{board}<div class=\"col-1 highfooter\">{story}</div></div>")),
    );
    assert_eq!(cleaned.text, story);
}

#[test]
fn a_teasers_article_in_a_sidebar_is_not_taken_for_the_story() {
    let story = format!("<div class=\"story\"><h1>Flood waters recede</h1>{STORY}</div>");
    let side = "<div class=\"sidebar\"><article class=\"teaser\"><h2><a href=\"/b\">Another story</a></h2><p>A teaser's blurb, a sentence long, on another matter of the day.</p></article></div>";
    let cleaned = html(RULES, &page(&format!("<nav>Home</nav>{story}{side}")));
    assert_eq!(cleaned.text, story);
}
