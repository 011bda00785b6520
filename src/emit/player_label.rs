//! A player's label that says the headline again. A feed writes each audio or video clip
//! with the clip's title under it, and a clip of the whole story (the broadcast, its
//! recording) bears the story's title: read, the article says its headline once more under
//! each player. Such a label goes when its letters and digits are the title's; any other
//! label is the clip's own caption and stays.

use super::blocks::text_content;
use super::tree::{List, Node, Taken, Tree};

/// How deep players are looked for: a feed item's players sit in its first wrappers.
const DEPTH: usize = 16;

/// Fewest letters and digits a title needs for a label to be read as it.
const MIN_LETTERS: usize = 4;

/// Whether `html` may hold a player (an `<audio>` or `<video>` start tag): most documents
/// have none, and their trees are not walked.
pub fn may_hold_player(html: &str) -> bool {
    let finder = |tag: &str| memchr::memmem::find(html.as_bytes(), tag.as_bytes()).is_some();
    finder("<audio") || finder("<video")
}

/// Takes out of `tree` each element right after an `<audio>` or `<video>` (whitespace
/// between them aside) whose letters and digits, case aside, are `title`'s; `taken` gets
/// what went, in the order it was taken.
pub fn strip(tree: &mut Tree, title: &str, taken: &mut Vec<Taken>) {
    let said = letters(title);
    if said.chars().count() < MIN_LETTERS {
        return;
    }
    let mut found = Vec::new();
    find(tree, List::Top, &said, &mut found, 0);
    // The last first: a node taken never moves one yet to be taken (an earlier sibling,
    // or an ancestor's).
    for (list, i) in found.into_iter().rev() {
        taken.extend(tree.take(list, i));
    }
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
        if after_player && is_label(name.as_str()) && letters(&text_content(e.children())) == said {
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

/// The letters and digits of `text`, lowercased: a label and a title differ in their
/// punctuation and spacing (`时事大家谈：` and `时事大家谈: `).
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::html::fragment;
    use crate::emit::tree::parse;

    fn stripped(html: &str, title: &str) -> String {
        let mut tree = parse(html);
        let mut taken = Vec::new();
        strip(&mut tree, title, &mut taken);
        fragment(tree.top())
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
