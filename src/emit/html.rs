//! One clean, safe HTML fragment: an allowlist of article elements and attributes; every
//! other tag is unwrapped, active content is gone, URLs are checked.

use super::blocks::safe_url;
use super::out::{Out, put};
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

/// The fragment of `nodes`, trimmed.
#[cfg(test)]
pub fn fragment(nodes: Nodes<'_>) -> String {
    let mut out = Fragment::into(String::new());
    blocks_into(nodes, &mut out);
    out.finish().0
}

/// How much of a fragment is held before it is handed on.
const PIECE: usize = 64 << 10;

/// What HTML is written into: a string, or a fragment handed on as it is made.
pub(crate) trait Sink {
    fn put(&mut self, s: &str);
    /// Whether nothing but whitespace was written yet (whitespace is left out of a
    /// fragment's start either way).
    fn is_empty(&self) -> bool;
    /// Whether what was written ends with a line break.
    fn ends_with_line(&self) -> bool;
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        put(self, s);
    }

    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }

    fn ends_with_line(&self) -> bool {
        self.ends_with('\n')
    }
}

/// A fragment trimmed of the whitespace at its start and end, handed on to `out` a
/// piece of about 64 KiB at a time: only the last piece and its trailing whitespace are
/// held.
pub(crate) struct Fragment<O: Out> {
    out: O,
    /// What is not handed on yet.
    held: String,
    /// Whether anything but whitespace was handed on.
    handed: bool,
}

impl<O: Out> Fragment<O> {
    /// A fragment written into `out`.
    pub(crate) fn into(out: O) -> Fragment<O> {
        Fragment {
            out,
            held: String::new(),
            handed: false,
        }
    }

    /// Hands on what is held but its trailing whitespace (which a fragment's end loses).
    fn hand_on(&mut self) {
        let end = self.held.trim_end().len();
        let piece = &self.held[..end];
        let piece = if self.handed {
            piece
        } else {
            piece.trim_start()
        };
        if !piece.is_empty() {
            self.out.put(piece);
            self.handed = true;
        }
        self.held.drain(..end);
    }

    /// `out`, and whether anything but whitespace was written into it.
    pub(crate) fn finish(mut self) -> (O, bool) {
        self.hand_on();
        (self.out, self.handed)
    }
}

impl<O: Out> Sink for Fragment<O> {
    fn put(&mut self, s: &str) {
        put(&mut self.held, s);
        if self.held.len() >= PIECE {
            self.hand_on();
        }
    }

    fn is_empty(&self) -> bool {
        !self.handed && self.held.is_empty()
    }

    fn ends_with_line(&self) -> bool {
        self.held.ends_with('\n')
    }
}

/// Writes block content: runs of text and inline elements between blocks become paragraphs.
pub(crate) fn blocks_into(nodes: Nodes<'_>, out: &mut impl Sink) {
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

fn paragraph(run: Nodes<'_>, out: &mut impl Sink) {
    let mut inner = String::new();
    write(run, &mut inner);
    let inner = inner.trim();
    let br_only = inner.trim_start_matches("<br>").trim().is_empty();
    if !br_only {
        if !out.is_empty() && !out.ends_with_line() {
            out.put("\n");
        }
        out.put(&format!(
            "<p>{}</p>\n",
            inner
                .trim_start_matches("<br>")
                .trim_end_matches("<br>")
                .trim()
        ));
    }
}

fn write<'t>(nodes: impl IntoIterator<Item = Node<'t>>, out: &mut impl Sink) {
    for node in nodes {
        match node {
            // Layout whitespace between blocks: one line break at most.
            Node::Text(t) if t.trim().is_empty() => {
                if !t.contains('\n') {
                    out.put(" ");
                } else if !out.is_empty() && !out.ends_with_line() {
                    out.put("\n");
                }
            }
            Node::Text(t) => out.put(&html_escape::encode_text(t)),
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
                out.put("<");
                out.put(tag);
                for (name, value) in el.attrs() {
                    if !allowed_attr(tag, name) || (is_url_attr(name) && !safe_url(value)) {
                        continue;
                    }
                    out.put(&format!(
                        " {name}=\"{}\"",
                        html_escape::encode_double_quoted_attribute(value)
                    ));
                }
                out.put(">");
                if el.name().is_void() {
                    continue;
                }
                write(el.children(), out);
                out.put(&format!("</{tag}>"));
                if LINE_AFTER.contains(&tag) {
                    out.put("\n");
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
