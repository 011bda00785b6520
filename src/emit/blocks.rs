//! Walks the article tree into blocks of Markdown or plain text.

use super::inline::Inline;
use super::tree::{Element, Node, Nodes};

/// A thematic break (`<hr>`) in Markdown.
pub(crate) const THEMATIC_BREAK: &str = "* * *";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// CommonMark: headings, lists, quotes, links, images, tables.
    Markdown,
    /// Plain text: the same blocks without markup.
    Text,
}

pub(crate) fn is_block(node: Node<'_>) -> bool {
    matches!(node, Node::Element(e) if e.name().is_block())
}

/// A URL that may be linked to: no script or data schemes. Control characters and
/// whitespace inside the URL are ignored, as browsers ignore them (`java\tscript:`).
pub fn safe_url(url: &str) -> bool {
    let mut chars = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace());
    let mut scheme = [0u8; 6];
    let mut len = 0;
    for c in chars.by_ref() {
        match c {
            // The scheme ends: only these may be linked to.
            ':' => {
                return len > 0
                    && len <= scheme.len()
                    && matches!(&scheme[..len], b"http" | b"https" | b"mailto" | b"ftp");
            }
            // A path, query or fragment before any `:`: a relative URL.
            '/' | '?' | '#' => return true,
            _ => {
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = if c.is_ascii() {
                        c.to_ascii_lowercase() as u8
                    } else {
                        0
                    };
                }
                len += 1;
            }
        }
    }
    // No scheme: a relative URL, unless nothing is left of it.
    len > 0
}

pub struct Walker {
    pub style: Style,
    /// Walking a table's cell: a table inside it gives its cells' text, not a table.
    in_cell: bool,
}

/// Where a walk puts the blocks it makes, in order: a list, or the article being written
/// (which then holds no list of the article's blocks beside itself).
pub trait Blocks {
    /// One more block.
    fn push(&mut self, block: String);

    /// A string to make a block in: one a block was written from and let go, when the
    /// blocks are written as they come (its room is used again), or a new one.
    fn spare(&mut self) -> String {
        String::new()
    }

    /// A string the walk made no block in: kept as [`Blocks::spare`] if it is worth it.
    fn give_back(&mut self, _buffer: String) {}
}

impl Blocks for Vec<String> {
    fn push(&mut self, block: String) {
        Vec::push(self, block);
    }
}

impl Walker {
    /// A walker writing blocks in `style`.
    pub fn new(style: Style) -> Walker {
        Walker {
            style,
            in_cell: false,
        }
    }

    /// The blocks of `nodes`, each a piece of text without surrounding blank lines.
    pub fn blocks(&self, nodes: Nodes<'_>) -> Vec<String> {
        let mut out = Vec::new();
        self.blocks_into(nodes, &mut out);
        out
    }

    /// The blocks of `nodes`, in order, into `out`.
    pub fn blocks_into(&self, nodes: Nodes<'_>, out: &mut impl Blocks) {
        let md = self.style == Style::Markdown;
        let mut inline = Inline::in_buffer(md, out.spare());
        for (i, node) in nodes.iter().enumerate() {
            match node {
                Node::Element(el) if el.name().is_block() => {
                    self.flush(&mut inline, out);
                    self.block(el, out);
                }
                _ => {
                    self.inline(node, &mut inline);
                    // Players side by side (a clip's video, then its audio) are a paragraph
                    // each, as a block between them would have made them.
                    if is_player(node) && next_is_player(nodes, i) {
                        self.flush(&mut inline, out);
                    }
                }
            }
        }
        self.flush(&mut inline, out);
        out.give_back(inline.into_buffer());
    }

    /// The inline content so far as a block, if it holds any; `inline` starts again, in a
    /// buffer of `out`'s when the content went there.
    fn flush(&self, inline: &mut Inline, out: &mut impl Blocks) {
        let md = self.style == Style::Markdown;
        if inline.is_blank() {
            let buffer = std::mem::take(inline).into_buffer();
            *inline = Inline::in_buffer(md, buffer);
            return;
        }
        let done = std::mem::replace(inline, Inline::in_buffer(md, out.spare()));
        let text = done.finish();
        if !text.is_empty() {
            out.push(text);
        } else {
            out.give_back(text);
        }
    }

    fn block(&self, el: Element<'_>, out: &mut impl Blocks) {
        let md = self.style == Style::Markdown;
        match el.name().as_str() {
            h @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
                let text = self.inline_of(el.children()).replace('\n', " ");
                if !text.is_empty() {
                    let level = h[1..].parse::<usize>().unwrap_or(2);
                    out.push(if md {
                        format!("{} {text}", "#".repeat(level))
                    } else {
                        text
                    });
                }
            }
            "ul" | "ol" => {
                let mut items = Vec::new();
                let mut n = el
                    .attr("start")
                    .and_then(|s| s.parse::<u64>().ok())
                    .unwrap_or(1);
                for (i, child) in el.children().iter().enumerate() {
                    let children = match child {
                        Node::Element(li) if li.name() == "li" => self.blocks(li.children()),
                        Node::Element(other) if is_block(child) => {
                            let mut nested: Vec<String> = Vec::new();
                            self.block(other, &mut nested);
                            nested
                        }
                        Node::Text(t) if t.trim().is_empty() => continue,
                        _ => self.blocks(el.children().slice(i..=i)),
                    };
                    if children.is_empty() {
                        continue;
                    }
                    let marker = if el.name() == "ol" {
                        format!("{n}. ")
                    } else {
                        "- ".to_string()
                    };
                    n += 1;
                    let body = children.join("\n\n");
                    items.push(indent_after_first(&marker, &body));
                }
                if !items.is_empty() {
                    out.push(items.join("\n"));
                }
            }
            "blockquote" => {
                let inner = self.blocks(el.children()).join("\n\n");
                if !inner.is_empty() {
                    out.push(if md {
                        prefix_lines("> ", &inner)
                    } else {
                        inner
                    });
                }
            }
            "pre" => {
                let code = text_content(el.children());
                let code = code.trim_matches('\n');
                if !code.trim().is_empty() {
                    let fence = if !code.contains("```") {
                        "```".to_string()
                    } else if !code.contains("~~~~") {
                        "~~~~".to_string()
                    } else {
                        // Longer than any run of backticks inside: nothing closes it early.
                        "`".repeat(longest_run(code, '`').max(2) + 1)
                    };
                    out.push(if md {
                        format!("{fence}\n{code}\n{fence}")
                    } else {
                        code.to_string()
                    });
                }
            }
            "hr" => {
                if md {
                    out.push(THEMATIC_BREAK.to_string());
                }
            }
            "table" => self.table(el, out),
            _ => self.blocks_into(el.children(), out),
        }
    }

    /// The inline content of `nodes` on its own.
    fn inline_of(&self, nodes: Nodes<'_>) -> String {
        let mut inline = Inline::new(self.style == Style::Markdown);
        for n in nodes {
            self.inline(n, &mut inline);
        }
        inline.finish()
    }

    fn inline(&self, node: Node<'_>, out: &mut Inline) {
        let md = self.style == Style::Markdown;
        match node {
            Node::Text(t) => out.text(t),
            Node::Element(el) => match el.name().as_str() {
                "br" => out.line_break(if md { "\\\n" } else { "\n" }),
                "img" => {
                    let Some(src) = el.attr("src").filter(|s| safe_url(s)) else {
                        return;
                    };
                    if md {
                        let alt = escape_alt(el.attr("alt").unwrap_or("").trim());
                        out.atom(&format!("![{alt}]({})", url(src)));
                    }
                }
                "a" => match el
                    .attr("href")
                    .filter(|h| safe_url(h) && !h.starts_with('#'))
                {
                    Some(href) if md && shows_inline(el.children()) => {
                        out.open("[");
                        for c in el.children() {
                            self.inline(c, out);
                        }
                        out.close(&format!("]({})", url(href)));
                    }
                    _ => el.children().iter().for_each(|c| self.inline(c, out)),
                },
                "code" if md => {
                    let code = text_content(el.children());
                    if !code.trim().is_empty() {
                        // Delimiters longer than any run of backticks inside, so that
                        // none ends the span early and lets the rest out as markup.
                        let (tick, end) = match longest_run(&code, '`') {
                            0 => ("`".to_string(), "`".to_string()),
                            n => {
                                let ticks = "`".repeat(n.max(1) + 1);
                                (format!("{ticks} "), format!(" {ticks}"))
                            }
                        };
                        out.atom(&format!("{tick}{code}{end}"));
                    }
                }
                "iframe" | "video" | "audio" => {
                    if let Some(src) = media_src(el).filter(|s| safe_url(s)) {
                        let label = match el.name().as_str() {
                            "audio" => "audio",
                            "video" => "video",
                            _ => "embedded media",
                        };
                        out.atom(&if md {
                            format!("[{label}]({})", url(src))
                        } else {
                            format!("[{label}: {src}]")
                        });
                    }
                }
                _ => el.children().iter().for_each(|c| self.inline(c, out)),
            },
        }
    }

    fn table(&self, el: Element<'_>, out: &mut impl Blocks) {
        let cell_walker = Walker {
            style: self.style,
            in_cell: true,
        };
        let mut rows: Vec<Vec<String>> = Vec::new();
        collect_rows(el, &mut |row: Element<'_>| {
            let cells: Vec<String> = row
                .children()
                .iter()
                .filter_map(|c| match c {
                    Node::Element(cell) if cell.name() == "td" || cell.name() == "th" => Some(
                        cell_walker
                            .blocks(cell.children())
                            .join(" ")
                            .replace('\n', " "),
                    ),
                    _ => None,
                })
                .collect();
            if !cells.is_empty() {
                rows.push(cells);
            }
        });
        if rows.is_empty() {
            return;
        }
        if self.in_cell {
            // A table inside a table's cell (a layout's: a byline's name, date and buttons)
            // gives its cells' text, one after another: a cell holds one line, and neither
            // Markdown nor the text's tab-separated rows have a table inside one.
            let text = rows
                .iter()
                .flatten()
                .filter(|c| !c.is_empty())
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            if !text.is_empty() {
                out.push(text);
            }
            return;
        }
        if self.style == Style::Text {
            out.push(
                rows.iter()
                    .map(|r| r.join("\t"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            return;
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(1);
        let line = |r: &Vec<String>| {
            let mut cells = r.clone();
            cells.resize(width, String::new());
            format!("| {} |", cells.join(" | "))
        };
        let mut lines = vec![line(&rows[0]), format!("|{}", " --- |".repeat(width))];
        lines.extend(rows[1..].iter().map(line));
        out.push(lines.join("\n"));
    }
}

/// Whether `nodes` written inline as Markdown show anything: whether [`Walker::inline_of`]
/// would give more than whitespace and backslashes (which its `finish` trims), found
/// without writing them. A text shows a character that is neither (a backslash is written
/// escaped, a no-break space as a space); an element shows its atom (an image or media
/// with an address that may be linked to, code with text) or what its children show.
fn shows_inline(nodes: Nodes<'_>) -> bool {
    nodes.iter().any(|node| match node {
        Node::Text(t) => t.chars().any(|c| !c.is_whitespace() && c != '\\'),
        Node::Element(el) => match el.name().as_str() {
            "br" => false,
            "img" => el.attr("src").is_some_and(safe_url),
            "code" => !text_content(el.children()).trim().is_empty(),
            "iframe" | "video" | "audio" => media_src(el).is_some_and(safe_url),
            _ => shows_inline(el.children()),
        },
    })
}

/// Whether `node` is an embedded frame, video or audio.
fn is_player(node: Node<'_>) -> bool {
    matches!(node, Node::Element(e) if matches!(e.name().as_str(), "iframe" | "video" | "audio"))
}

/// Whether the node after `i` in `nodes`, whitespace aside, is a player.
fn next_is_player(nodes: Nodes<'_>, i: usize) -> bool {
    (nodes.iter().skip(i + 1))
        .find(|n| !matches!(n, Node::Text(t) if t.trim().is_empty()))
        .is_some_and(is_player)
}

/// The address of an embedded frame, video or audio: its own, or its first `<source>`'s.
fn media_src(el: Element<'_>) -> Option<&str> {
    el.attr("src").or_else(|| {
        el.children().iter().find_map(|c| match c {
            Node::Element(s) if s.name() == "source" => s.attr("src"),
            _ => None,
        })
    })
}

fn collect_rows(el: Element<'_>, f: &mut impl FnMut(Element<'_>)) {
    for c in el.children() {
        if let Node::Element(child) = c {
            if child.name() == "tr" {
                f(child);
            } else if matches!(child.name().as_str(), "thead" | "tbody" | "tfoot") {
                collect_rows(child, f);
            }
        }
    }
}

/// All text under `nodes`, as it is.
pub fn text_content(nodes: Nodes<'_>) -> String {
    let mut s = String::new();
    push_text(nodes, &mut s, usize::MAX);
    s
}

/// The text under `nodes` until `s` holds at least `limit` bytes.
pub fn push_text(nodes: Nodes<'_>, s: &mut String, limit: usize) {
    for n in nodes {
        if s.len() >= limit {
            return;
        }
        match n {
            Node::Text(t) => s.push_str(t),
            Node::Element(e) if e.name() == "br" => s.push('\n'),
            Node::Element(e) => push_text(e.children(), s, limit),
        }
    }
}

/// A link's or an image's address as Markdown writes it: in `<…>` when it holds a space
/// or a parenthesis (its `<` and `>` escaped), else as it is. The characters asked about
/// are ASCII: the address is read by bytes.
fn url(u: &str) -> std::borrow::Cow<'_, str> {
    let u = u.trim();
    if u.bytes()
        .any(|b| matches!(b, b' ' | b'(' | b')' | b'<' | b'>'))
    {
        format!("<{}>", u.replace('<', "%3C").replace('>', "%3E")).into()
    } else {
        u.into()
    }
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Image alt text: brackets and backslashes escaped so that the text stays the image's,
/// `<` and `>` so that no tag reaches a reader, on one line.
fn escape_alt(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn prefix_lines(prefix: &str, text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn indent_after_first(marker: &str, body: &str) -> String {
    let pad = " ".repeat(marker.len());
    let mut lines = body.lines();
    let mut out = format!("{marker}{}", lines.next().unwrap_or(""));
    for l in lines {
        out.push('\n');
        if !l.is_empty() {
            out.push_str(&pad);
            out.push_str(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::tree::parse;

    fn md(html: &str) -> String {
        Walker::new(Style::Markdown)
            .blocks(parse(html).top())
            .join("\n\n")
    }

    #[test]
    fn prettified_chinese_becomes_clean_markdown() {
        let html = "<div><p>\n 【大纪元】周三\n <a href=\"https://x/tag\">\n  俄罗斯总理\n </a>\n 在访问北京。\n</p>\n<h4>\n 小标题\n</h4>\n<p>\n 责任编辑：叶紫微\n</p></div>";
        assert_eq!(
            md(html),
            "【大纪元】周三[俄罗斯总理](https://x/tag)在访问北京。\n\n#### 小标题\n\n责任编辑：叶紫微"
        );
    }

    #[test]
    fn figures_lists_quotes_and_tables() {
        let html = "<figure><img src=\"a.jpg\" alt=\"A\"><figcaption>Caption (Credit)</figcaption></figure><ul><li>one<li>two <b>bold</b></ul><blockquote><p>q1</p><p>q2</p></blockquote><table><tr><th>h</th><th>k</th></tr><tr><td>1</td><td>2</td></tr></table>";
        assert_eq!(
            md(html),
            "![A](a.jpg)\n\nCaption (Credit)\n\n- one\n- two bold\n\n> q1\n>\n> q2\n\n| h | k |\n| --- | --- |\n| 1 | 2 |"
        );
    }

    #[test]
    fn players_side_by_side_are_a_paragraph_each() {
        let html = "<div><video src=\"https://a.example/v.mp4\"></video> <audio src=\"https://a.example/a.mp3\"></audio><iframe src=\"https://a.example/chart.html\"></iframe></div><p>Listen <audio src=\"https://a.example/b.mp3\"></audio> here.</p>";
        assert_eq!(
            md(html),
            "[video](https://a.example/v.mp4)\n\n[audio](https://a.example/a.mp3)\n\n[embedded media](https://a.example/chart.html)\n\nListen [audio](https://a.example/b.mp3) here."
        );
    }

    #[test]
    fn a_table_inside_a_cell_gives_its_cells_text() {
        // A byline laid out in tables: the avatar's cell, then the name above a table of
        // the date and the buttons (one of them emptied), and a third table deeper down.
        let html = "<table><tr><td><img src=\"a.jpg\"></td><td><div><a href=\"/people/1\">Jane Example</a></div><table><tr><td>Mar 7</td><td></td><td><div><table><tr><td>12</td></tr><tr><th>likes</th></tr></table></div></td></tr></table></td></tr></table>";
        assert_eq!(
            md(html),
            "| ![](a.jpg) | [Jane Example](/people/1) Mar 7 12 likes |\n| --- | --- |"
        );
        let text = Walker::new(Style::Text)
            .blocks(parse(html).top())
            .join("\n\n");
        assert_eq!(text, "\tJane Example Mar 7 12 likes");
        // Tables outside any cell stay tables.
        assert_eq!(
            md(
                "<table><tr><td>a</td><td>b</td></tr></table><p>x</p><table><tr><td>c</td></tr></table>"
            ),
            "| a | b |\n| --- | --- |\n\nx\n\n| c |\n| --- |"
        );
    }

    #[test]
    fn what_shows_inline_is_what_inline_of_leaves() {
        let walker = Walker::new(Style::Markdown);
        for html in [
            "",
            " \n\u{a0}\u{3000}",
            "\\",
            "\\ \\<br>\\",
            "<br><br>",
            "-",
            "\\#",
            "<b> <i>\n</i></b>",
            "<b> <i>x</i></b>",
            "<img src=\"a.jpg\">",
            "<img src=\"javascript:x\">",
            "<img>",
            "<code> </code>",
            "<code>\\</code>",
            "<code><br></code>",
            "<video><source src=\"v.mp4\"></video>",
            "<iframe src=\"data:x\"></iframe>",
            "<a href=\"/x\"> </a>",
            "<a href=\"/x\">y</a>",
            "<span>\u{a0}</span>\\\u{2003}",
        ] {
            let tree = parse(html);
            assert_eq!(
                shows_inline(tree.top()),
                !walker.inline_of(tree.top()).is_empty(),
                "{html:?}"
            );
        }
    }

    #[test]
    fn unsafe_links_and_images_are_dropped() {
        assert_eq!(
            md(
                "<p><a href=\"javascript:alert(1)\">x</a><img src=\"data:image/png;base64,AA\">y</p>"
            ),
            "xy"
        );
        assert!(!safe_url(" JaVaScRiPt:alert(1)"));
        assert!(safe_url("/relative/path"));
        assert!(safe_url("//cdn.example/x.jpg"));
    }

    #[test]
    fn schemes_are_read_past_controls_and_whitespace() {
        // The rule, spelled out: drop controls and whitespace, lowercase, and look at
        // what comes before the first `:` unless a path, query or fragment comes first.
        let reference = |url: &str| {
            let lower = url
                .chars()
                .filter(|c| !c.is_control() && !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            match lower.split_once(':') {
                Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
                    matches!(scheme, "http" | "https" | "mailto" | "ftp")
                }
                _ => !lower.is_empty(),
            }
        };
        for url in [
            "",
            " ",
            ":",
            ":x",
            "http:",
            "HTTPS://a",
            "ht\ttp://a",
            "java\nscript:x",
            "mailto:a@b",
            "ftp://x",
            "ftps://x",
            "https\u{200b}://x",
            "httpsx:",
            "hTtP:x",
            "data:image/png",
            "a/b:c",
            "?q=a:b",
            "#x:y",
            "x",
            "\u{0}",
            "ｈttp:",
            "mailtox:y",
            "https",
            "file:///etc",
            "//a:b",
        ] {
            assert_eq!(safe_url(url), reference(url), "{url:?}");
        }
    }
}
