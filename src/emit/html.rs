//! One clean, safe HTML fragment: an allowlist of article elements and attributes; every
//! other tag is unwrapped, active content is gone, URLs are checked.

use super::blocks::safe_url;
use super::put;
use super::tree::{Node, Nodes};
use crate::html::{ALLOWED, LINE_AFTER};

fn allowed_attr(tag: &str, attr: &str) -> bool {
    matches!(
        (tag, attr),
        ("a", "href" | "title")
            | ("img", "src" | "alt" | "title" | "width" | "height")
            | ("td" | "th", "colspan" | "rowspan")
            | ("time", "datetime")
            | ("ol", "start")
            | ("q" | "blockquote", "cite")
            | ("abbr", "title")
    )
}

fn is_url_attr(attr: &str) -> bool {
    matches!(attr, "href" | "src" | "cite")
}

pub fn fragment(nodes: Nodes<'_>) -> String {
    let mut out = String::new();
    blocks_into(nodes, &mut out);
    // Trimmed in place: the fragment is most of its rendering's bytes.
    out.truncate(out.trim_end().len());
    let start = out.len() - out.trim_start().len();
    out.drain(..start);
    out
}

/// Writes block content: runs of text and inline elements between blocks become paragraphs.
fn blocks_into(nodes: Nodes<'_>, out: &mut String) {
    // The run of inline nodes since the last block.
    let mut run = 0..0;
    for (i, node) in nodes.iter().enumerate() {
        if super::blocks::is_block(node) {
            paragraph(nodes.slice(run), out);
            write(std::iter::once(node), out);
            run = i + 1..i + 1;
        } else {
            run.end = i + 1;
        }
    }
    paragraph(nodes.slice(run), out);
}

fn paragraph(run: Nodes<'_>, out: &mut String) {
    let mut inner = String::new();
    write(run, &mut inner);
    let inner = inner.trim();
    let br_only = inner.trim_start_matches("<br>").trim().is_empty();
    if !br_only {
        if !out.is_empty() && !out.ends_with('\n') {
            put(out, "\n");
        }
        put(
            out,
            &format!(
                "<p>{}</p>\n",
                inner
                    .trim_start_matches("<br>")
                    .trim_end_matches("<br>")
                    .trim()
            ),
        );
    }
}

fn write<'t>(nodes: impl IntoIterator<Item = Node<'t>>, out: &mut String) {
    for node in nodes {
        match node {
            // Layout whitespace between blocks: one line break at most.
            Node::Text(t) if t.trim().is_empty() => {
                if !t.contains('\n') {
                    put(out, " ");
                } else if !out.is_empty() && !out.ends_with('\n') {
                    put(out, "\n");
                }
            }
            Node::Text(t) => put(out, &html_escape::encode_text(t)),
            Node::Element(el) => {
                let tag = el.name().as_str();
                if !ALLOWED.contains(&tag) {
                    if super::blocks::is_block(node) {
                        blocks_into(el.children(), out);
                    } else {
                        write(el.children(), out);
                    }
                    continue;
                }
                if tag == "img" && !el.attr("src").is_some_and(safe_url) {
                    continue;
                }
                put(out, "<");
                put(out, tag);
                for (name, value) in el.attrs() {
                    if !allowed_attr(tag, name) || (is_url_attr(name) && !safe_url(value)) {
                        continue;
                    }
                    put(
                        out,
                        &format!(
                            " {name}=\"{}\"",
                            html_escape::encode_double_quoted_attribute(value)
                        ),
                    );
                }
                put(out, ">");
                if el.name().is_void() {
                    continue;
                }
                write(el.children(), out);
                put(out, &format!("</{tag}>"));
                if LINE_AFTER.contains(&tag) {
                    put(out, "\n");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_html_output_allows_is_one_the_tree_keeps() {
        let names = [
            "href", "title", "src", "alt", "width", "height", "colspan", "rowspan", "datetime",
            "start", "cite", "class", "id", "style", "rel", "name", "lang", "srcset", "data-src",
        ];
        let tags = [
            "a",
            "img",
            "td",
            "th",
            "time",
            "ol",
            "q",
            "blockquote",
            "abbr",
            "p",
            "div",
        ];
        for tag in tags {
            for name in names {
                if allowed_attr(tag, name) {
                    assert!(
                        super::super::tree::KEPT_ATTRS.contains(&name),
                        "{tag} {name}"
                    );
                }
            }
        }
    }
    use crate::emit::tree::parse;

    #[test]
    fn top_level_text_becomes_paragraphs() {
        assert_eq!(
            fragment(parse("<div>\n<p>a</p>\n原文地址：https://x.example/</div>").top()),
            "<p>a</p>\n<p>原文地址：https://x.example/</p>"
        );
        assert_eq!(
            fragment(parse("<p>a</p>\n原文地址：<a href=\"https://x.example/\">x</a>\n").top()),
            "<p>a</p>\n<p>原文地址：<a href=\"https://x.example/\">x</a></p>"
        );
    }

    #[test]
    fn only_article_markup_survives() {
        let html = "<div class=x onclick=\"e()\"><p style=\"c\">t <a href=\"javascript:x()\" onmouseover=y>l</a> <a href=\"https://ok/\">k</a></p><iframe src=\"https://e/\"></iframe><img src=\"x.jpg\" onerror=\"e()\" alt=\"a&quot;\"><script>s()</script></div>";
        assert_eq!(
            fragment(parse(html).top()),
            "<p>t <a>l</a> <a href=\"https://ok/\">k</a></p>\n<p><img src=\"x.jpg\" alt=\"a&quot;\"></p>"
        );
    }
}
