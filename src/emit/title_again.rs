//! Where the article says its title again, the title heading aside: the shape promises
//! the title once. Two places, told by what stands there rather than by any site:
//!
//! - **the opening**: a scraped page or a feed sets the headline again as a paragraph or a
//!   heading under the lead image, the byline or the caption (allnow's `<p>` under its
//!   cover image, Pao-Pao's second `<h1>` under its byline, BBC's headline paragraph);
//! - **a player's label**: a feed writes each audio or video clip with the clip's title
//!   under it, and a clip of the whole story (the broadcast, its recording) bears the
//!   story's title.
//!
//! A block goes only when its letters and digits are the title's (spacing and
//! punctuation aside: `时事大家谈：` and `时事大家谈: `); anything else stays.

use super::blocks::{push_text, text_content};
use super::tree::{List, Node, Taken, Tree};

/// How deep players are looked for: a feed item's players sit in its first wrappers.
const DEPTH: usize = 16;

/// Fewest letters and digits a title needs for a block to be read as it.
const MIN_LETTERS: usize = 4;

/// How many characters of other text the opening holds at most before a repeat of the
/// title: a byline, a caption, a date, not a paragraph of the article. A sentence ends it
/// sooner: past the article's first, a subheading that repeats the title is the article's.
const OPENING: usize = 200;

/// Takes out of the opening of `tree` (up to [`OPENING`] characters of other text, images
/// and empty elements passed over, inside any wrappers) each block whose letters and digits
/// are one of `titles`'; `taken` gets what went, in the order it was taken.
pub fn strip_opening(tree: &mut Tree, titles: &[&str], taken: &mut Vec<Taken>) {
    let said: Vec<String> = (titles.iter())
        .map(|t| letters(t))
        .filter(|l| l.chars().count() >= MIN_LETTERS)
        .collect();
    let found = in_opening(tree, &said);
    take(tree, found, taken);
}

/// Whether the opening of `tree` says `title` again (see [`strip_opening`]): a page with no
/// heading whose `<title>` its first lines say has that for its headline.
pub fn said_in_opening(tree: &Tree, title: &str) -> bool {
    let said = letters(title);
    said.chars().count() >= MIN_LETTERS && !in_opening(tree, std::slice::from_ref(&said)).is_empty()
}

/// The blocks of the opening of `tree` that say one of `said` (titles' [`letters`]).
fn in_opening(tree: &Tree, said: &[String]) -> Vec<(List, usize)> {
    let mut found = Vec::new();
    let Some(longest) = said.iter().map(String::len).max() else {
        return found;
    };
    // A block's text is read up to a bound: past it, no title's letters are all it says.
    let bound = 2 * longest + 64;
    opening(tree, List::Top, (said, bound), &mut found, &mut 0);
    found
}

/// The blocks of `list` (and the wrappers in it) that say a title, up to the end of the
/// opening; whether the opening ended.
fn opening(
    tree: &Tree,
    list: List,
    (said, bound): (&[String], usize),
    found: &mut Vec<(List, usize)>,
    before: &mut usize,
) -> bool {
    let mut text = String::new();
    for (i, node) in tree.list(list).iter().enumerate() {
        let e = match node {
            Node::Text(t) if t.trim().is_empty() => continue,
            Node::Text(t) => {
                *before += t.trim().chars().count();
                if *before > OPENING || super::facts::ends_sentence(t) {
                    return true;
                }
                continue;
            }
            Node::Element(e) => e,
        };
        text.clear();
        push_text(e.children(), &mut text, bound);
        if text.trim().is_empty() {
            // The lead image, an empty anchor, a rule: nothing said.
            continue;
        }
        if text.len() < bound && said.iter().any(|t| says(&text, t)) {
            found.push((list, i));
            continue;
        }
        let wrapper = matches!(
            e.name().as_str(),
            "div" | "section" | "article" | "header" | "main" | "center" | "figure"
        );
        if wrapper {
            if opening(
                tree,
                tree.children_of(list, i),
                (said, bound),
                found,
                before,
            ) {
                return true;
            }
            continue;
        }
        *before += text.trim().chars().count();
        if *before > OPENING || super::facts::ends_sentence(&text) {
            return true;
        }
    }
    false
}

/// Takes `found` (in document order) out of `tree`, the last first: a node taken never
/// moves one yet to be taken (an earlier sibling's, an ancestor's).
fn take(tree: &mut Tree, found: Vec<(List, usize)>, taken: &mut Vec<Taken>) {
    for (list, i) in found.into_iter().rev() {
        taken.extend(tree.take(list, i));
    }
}

/// Takes out of `tree` each element right after an `<audio>` or `<video>` (whitespace
/// between them aside) whose letters and digits are `title`'s; `taken` gets
/// what went, in the order it was taken.
pub fn strip_player_labels(tree: &mut Tree, title: &str, taken: &mut Vec<Taken>) {
    let said = letters(title);
    if said.chars().count() < MIN_LETTERS {
        return;
    }
    let mut found = Vec::new();
    find(tree, List::Top, &said, &mut found, 0);
    take(tree, found, taken);
}

/// The labels under players in `list` and the lists inside it, in document order.
fn find(tree: &Tree, list: List, said: &str, found: &mut Vec<(List, usize)>, depth: usize) {
    if depth > DEPTH {
        return;
    }
    let nodes = tree.list(list);
    let mut after_player = false;
    for (i, node) in nodes.iter().enumerate() {
        let e = match node {
            Node::Text(t) if t.trim().is_empty() => continue,
            Node::Element(e) => e,
            _ => {
                after_player = false;
                continue;
            }
        };
        let name = e.name();
        if after_player && is_label(name.as_str()) && says(&text_content(e.children()), said) {
            found.push((list, i));
        }
        after_player = matches!(name.as_str(), "audio" | "video");
        if !after_player && !e.children().is_empty() {
            find(tree, tree.children_of(list, i), said, found, depth + 1);
        }
    }
}

/// Whether an element of this name may be a player's label: a caption's wrapper.
fn is_label(name: &str) -> bool {
    matches!(
        name,
        "div" | "p" | "small" | "span" | "em" | "i" | "figcaption" | "strong" | "b"
    )
}

/// The letters and digits of `text`: a label and a title differ in their punctuation and
/// spacing (`时事大家谈：` and `时事大家谈: `).
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether the letters and digits of `text` are `said` (a title's [`letters`]): read one by
/// one, most blocks differ at their first.
fn says(text: &str, said: &str) -> bool {
    let mut own = text.chars().filter(|c| c.is_alphanumeric());
    let mut title = said.chars();
    loop {
        match (own.next(), title.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::html::fragment;
    use crate::emit::tree::parse;

    fn stripped(html: &str, title: &str) -> String {
        let mut tree = parse(html);
        let mut taken = Vec::new();
        strip_player_labels(&mut tree, title, &mut taken);
        fragment(tree.top())
    }

    fn opened(html: &str, titles: &[&str]) -> String {
        let mut tree = parse(html);
        let mut taken = Vec::new();
        strip_opening(&mut tree, titles, &mut taken);
        fragment(tree.top())
    }

    #[test]
    fn the_title_said_again_in_the_opening_goes() {
        // Under the cover image (allnow), under a byline and a caption (Pao-Pao), in the
        // punctuation of the outlet's headline.
        let html = "<div><img src=\"c.jpg\"><p>《花木兰》的“冒犯”背后</p><p><a href=\"/u/1\">余雅琴</a></p><p>正文。</p></div>";
        let rest = "<div><img src=\"c.jpg\"><p><a href=\"/u/1\">余雅琴</a></p><p>正文。</p></div>";
        assert_eq!(
            opened(html, &["《花木兰》的冒犯背后"]),
            fragment(parse(rest).top())
        );
        let html = "<p><a href=\"/a/5\">译志</a>在 星期一, 10/27/2014 - 10:29 提交</p><img src=\"i.jpg\"><p>黄之峰 图/法新社</p><h1>《时代》:一代人的声音</h1><p>正文。</p>";
        let out = opened(html, &["《时代》:一代人的声音"]);
        assert!(!out.contains("<h1>"), "{out}");
        assert!(out.contains("提交") && out.contains("法新社"), "{out}");
    }

    #[test]
    fn the_title_said_after_the_first_sentence_or_in_a_sentence_stays() {
        // A subheading that repeats the title after the article's first sentence is the
        // article's; a paragraph that opens with the title says more than it.
        for html in [
            &"<p>研究人员追踪了三十个网站。</p><h2>仿冒新闻网站调查</h2>".to_string(),
            &"<p>仿冒新闻网站调查：研究人员追踪了三十个网站</p>".to_string(),
            &format!(
                "<p>一段不以句号收尾的导语{}</p><h2>仿冒新闻网站调查</h2>",
                "，再说一些".repeat(50)
            ),
        ] {
            assert_eq!(
                opened(html, &["仿冒新闻网站调查"]),
                fragment(parse(html).top())
            );
        }
    }

    #[test]
    fn a_label_saying_the_title_goes_under_each_player() {
        let html = "<div><video src=\"v.mp4\"></video><div><small>时事大家谈：北京真是胜者？</small></div>\
                    <audio src=\"a.mp3\"></audio> <div><small>时事大家谈: 北京真是胜者？</small></div>\
                    <p>正文。</p></div>";
        let out = stripped(html, "时事大家谈: 北京真是胜者？");
        assert!(!out.contains("胜者"), "{out}");
        assert!(out.contains("<p>正文。</p>"), "{out}");
    }

    #[test]
    fn other_labels_and_the_title_elsewhere_stay() {
        // The clip's own caption, a label that only begins like the title, and the title
        // said in a paragraph that follows no player.
        let html = "<audio src=\"a.mp3\"></audio><div><small>完整节目录音</small></div>\
                    <video src=\"v.mp4\"></video><p>北京真是胜者？专家说未必。</p>\
                    <p>北京真是胜者？</p><img src=\"i.jpg\"><div><small>北京真是胜者？</small></div>";
        let out = stripped(html, "北京真是胜者？");
        assert_eq!(out, fragment(parse(html).top()));
    }
}
