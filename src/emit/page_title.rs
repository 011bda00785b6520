//! The title heading of a whole web page, chosen by the titles the page states in its head
//! ([`crate::detect::page_titles`]: `og:title`, `<title>`). The kept content of a page
//! often opens with a heading that is not the headline: the site's or blog's name, a
//! section's kicker, the columnist's name. The heading the page's own title names is the
//! headline, wherever it stands among the headings.

use super::blocks::text_content;
use super::tree::{Node, Nodes};
use crate::report::PageTitles;

/// How many headings are read: a page's headline is among its first.
const HEADINGS: usize = 200;

/// The text (whitespace folded) of the heading of `nodes` that the page's `titles` name:
/// the first that is one of them, else the longest that one of them begins or ends with
/// before a separator ("Headline - Site", "Site | Headline"); `None` when none is.
pub fn heading_named(nodes: Nodes<'_>, titles: &PageTitles) -> Option<String> {
    let stated: Vec<&str> = [&titles.shared, &titles.title]
        .into_iter()
        .filter_map(|t| t.as_deref())
        .collect();
    if stated.is_empty() {
        return None;
    }
    let mut headings = Vec::new();
    collect_headings(nodes, &mut headings);
    if let Some(h) = headings.iter().find(|h| stated.contains(&h.as_str())) {
        return Some(h.clone());
    }
    (headings.into_iter())
        .filter(|h| stated.iter().any(|t| names(t, h)))
        .max_by_key(|h| h.chars().count())
}

/// Whether `title` is `heading` with something set apart before or after it by a mark
/// (` - `, ` | `, `_`, `（`): the site's name, a section's. A heading of under eight
/// characters is too short to tell.
fn names(title: &str, heading: &str) -> bool {
    let apart = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric());
    heading.chars().count() >= 8
        && ((title.strip_prefix(heading))
            .is_some_and(|rest| apart(rest.trim_start().chars().next()))
            || (title.strip_suffix(heading))
                .is_some_and(|rest| apart(rest.trim_end().chars().next_back())))
}

/// The texts of the headings of `nodes` with text, in order, the first [`HEADINGS`].
fn collect_headings(nodes: Nodes<'_>, out: &mut Vec<String>) {
    for node in nodes {
        if out.len() >= HEADINGS {
            return;
        }
        let Node::Element(el) = node else { continue };
        if matches!(el.name().as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            let t = crate::text::fold_blanks(&text_content(el.children()));
            if !t.is_empty() {
                out.push(t);
            }
        } else {
            collect_headings(el.children(), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(html: &str, shared: Option<&str>, title: Option<&str>) -> Option<String> {
        let tree = super::super::tree::parse(html);
        let titles = PageTitles {
            shared: shared.map(str::to_string),
            title: title.map(str::to_string),
        };
        heading_named(tree.top(), &titles)
    }

    #[test]
    fn the_heading_the_page_names_wins_over_a_kicker_or_a_site_name() {
        let html =
            "<h1>Minecraft News</h1><div><h3>Minecraft 1.8 - The Bountiful Update</h3></div>";
        let got = named(html, Some("Minecraft 1.8 - The Bountiful Update"), None);
        assert_eq!(got.as_deref(), Some("Minecraft 1.8 - The Bountiful Update"));
    }

    #[test]
    fn a_title_with_the_site_name_names_the_heading_it_begins_or_ends_with() {
        let html = "<h4>Opinion</h4><h1>Floods  recede in the valley</h1>";
        let got = named(
            html,
            None,
            Some("Floods recede in the valley | The Daily Example"),
        );
        assert_eq!(got.as_deref(), Some("Floods recede in the valley"));
        let got = named(
            html,
            None,
            Some("The Daily Example - Floods recede in the valley"),
        );
        assert_eq!(got.as_deref(), Some("Floods recede in the valley"));
        // "Floods recede" is not "Floods recede in the valley".
        let html = "<h1>Floods recede</h1>";
        assert_eq!(named(html, None, Some("Floods recede in the valley")), None);
    }

    #[test]
    fn of_a_site_name_and_a_headline_both_in_the_title_the_longer_is_taken() {
        let html = "<h1>The Daily Example</h1><h2>Floods recede in the valley</h2>";
        let got = named(
            html,
            None,
            Some("The Daily Example | Floods recede in the valley"),
        );
        assert_eq!(got.as_deref(), Some("Floods recede in the valley"));
    }

    #[test]
    fn no_title_no_heading_named() {
        assert_eq!(
            named("<h1>Floods recede in the valley</h1>", None, None),
            None
        );
        assert_eq!(
            named(
                "<p>Floods recede in the valley</p>",
                Some("Floods recede in the valley"),
                None
            ),
            None
        );
    }
}
