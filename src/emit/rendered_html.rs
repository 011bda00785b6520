//! A cleaned Markdown document as HTML, the HTML pulldown-cmark's `push_html` writes, for
//! the article tree to be built from.
//!
//! A mirror's Markdown is mostly HTML blocks (98 % of the cleaned corpus's bytes), and
//! pulldown-cmark reads every line of them to find where they end, only for its writer to
//! copy them as they are. CommonMark ends an HTML block that opens with a block-level tag
//! (its type 6: `<div`, `<p>`, `</figure>` …) at the first blank line, whatever the lines
//! before it hold. So such a block, starting a line at its first column after a blank line
//! (or at the document's start), is copied here without being parsed, and only the Markdown
//! between those blocks goes through pulldown-cmark, piece by piece.
//!
//! That is the HTML the whole document renders to when nothing of a Markdown piece reaches
//! past the blank line that ends it, or depends on another piece: no fenced code (which runs
//! to its closing fence), no HTML block that ends at a marker rather than a blank line
//! (`<pre>`, `<script>`, `<style>`, `<textarea>`, a comment that does not end on its line,
//! `<!DOCTYPE`, `<?…`), and no link reference or footnote definitions when there is more
//! than one piece (a definition holds for the whole document). A document with any of
//! these, or with a carriage return or a NUL (which pulldown-cmark rewrites), is rendered
//! whole. The test below checks the pieces against the whole rendering on generated
//! documents made of exactly these constructs.

/// `body` rendered to HTML: what `push_html` writes for the whole of it.
pub(super) fn markdown_to_html(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    match pieces(body) {
        Some(pieces) => {
            for piece in pieces {
                match piece {
                    Piece::Html(text) => out.push_str(text),
                    Piece::Markdown(text) => push_rendered(&mut out, text),
                }
            }
        }
        None => push_rendered(&mut out, body),
    }
    out
}

/// Adds what pulldown-cmark's `push_html` writes for `markdown` to `out`.
fn push_rendered(out: &mut String, markdown: &str) {
    use pulldown_cmark::{Parser, html};
    html::push_html(out, Parser::new_ext(markdown, crate::markdown::OPTIONS));
}

/// A part of the document: HTML blocks of type 6 with the lines of each (the blank lines
/// between them left out, as `push_html` leaves them out), or Markdown.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Html(&'a str),
    Markdown(&'a str),
}

/// The document's pieces, in order; None when it must be rendered whole (see the module's
/// doc).
fn pieces<'a>(body: &'a str) -> Option<Vec<Piece<'a>>> {
    let bytes = body.as_bytes();
    if memchr::memchr2(b'\r', b'\0', bytes).is_some() {
        return None;
    }
    let mut pieces = Vec::new();
    // Where the Markdown not yet handed on starts, if any has come since the last HTML.
    let mut markdown = None;
    // The block being read (it runs to a blank line): where it starts, whether it is HTML.
    let mut block: Option<(usize, bool)> = None;
    let end_html = |pieces: &mut Vec<Piece<'a>>, markdown: &mut Option<usize>, start, end| {
        if let Some(from) = markdown.take() {
            pieces.push(Piece::Markdown(&body[from..start]));
        }
        pieces.push(Piece::Html(&body[start..end]));
    };
    let mut line = 0;
    let line_ends = memchr::memchr_iter(b'\n', bytes).map(|k| k + 1);
    let last = (bytes.last() != Some(&b'\n')).then_some(bytes.len());
    for end in line_ends.chain(last) {
        let text = &bytes[line..end];
        // A blank line, as pulldown-cmark reads one: spaces, tabs, vertical tabs and form
        // feeds only.
        if text
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c | b'\n'))
        {
            if let Some((start, true)) = block {
                end_html(&mut pieces, &mut markdown, start, line);
            }
            block = None;
        } else if block.is_none() {
            let html = starts_type_6(text);
            if !html && markdown.is_none() {
                markdown = Some(line);
            }
            block = Some((line, html));
        }
        line = end;
    }
    match block {
        Some((start, true)) => end_html(&mut pieces, &mut markdown, start, bytes.len()),
        _ => {
            if let Some(from) = markdown {
                pieces.push(Piece::Markdown(&body[from..]));
            }
        }
    }
    let markdown_pieces = || {
        pieces.iter().filter_map(|p| match p {
            Piece::Markdown(text) => Some(*text),
            Piece::Html(_) => None,
        })
    };
    if markdown_pieces().any(|text| !stays_within(text)) {
        return None;
    }
    let defines = |text: &str| text.contains("]:") || text.contains("[^");
    if markdown_pieces().count() > 1 && markdown_pieces().any(defines) {
        return None;
    }
    Some(pieces)
}

/// Whether a Markdown piece's blocks all end within it: no fence, and no HTML that
/// CommonMark ends at a marker rather than at a blank line (a comment is allowed when it
/// ends on its own line). Linear in the piece: each line is searched for a comment's end
/// once, however many comments it opens.
fn stays_within(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"```").is_some()
        || memchr::memmem::find(bytes, b"~~~").is_some()
    {
        return false;
    }
    for line in bytes.split(|&b| b == b'\n') {
        // Where the line's last `-->` starts: a comment opened before it ends on the line.
        let mut last_end = None;
        for at in memchr::memchr_iter(b'<', line) {
            let rest = &line[at + 1..];
            let opens = |name: &[u8]| {
                rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name)
            };
            if opens(b"pre")
                || opens(b"script")
                || opens(b"style")
                || opens(b"textarea")
                || opens(b"?")
            {
                return false;
            }
            if opens(b"!") {
                let end = *last_end.get_or_insert_with(|| memchr::memmem::rfind(line, b"-->"));
                // `<!--` and its end after it (`<!-->` is not taken for one).
                if !(rest.starts_with(b"!--") && end.is_some_and(|e| e >= at + 4)) {
                    return false;
                }
            }
        }
    }
    true
}

/// Whether `line` opens an HTML block of type 6 at its first column: `<` or `</`, a
/// block-level name in any case, then a space, a tab, the line's end, `>` or `/>`.
fn starts_type_6(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"<") else {
        return false;
    };
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let n = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &rest[..n];
    if !(crate::html::MARKDOWN_BLOCK.iter()).any(|tag| tag.as_bytes().eq_ignore_ascii_case(name)) {
        return false;
    }
    match &rest[n..] {
        [] => true,
        [b' ' | b'\t' | b'\n' | b'>', ..] => true,
        after => after.starts_with(b"/>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn whole(body: &str) -> String {
        let mut out = String::new();
        push_rendered(&mut out, body);
        out
    }

    #[test]
    fn html_blocks_are_copied_and_markdown_between_them_rendered() {
        let body = "# Title\n\n<div class=\"a\">\n<p>one</p>\n\n<P>two\n# not a heading\n\ntext *em*\n<div>x</div>\n\n<!--1593204398000-->\n[t](http://x)\n---\n\n</div>";
        assert_eq!(
            pieces(body).unwrap(),
            [
                Piece::Markdown("# Title\n\n"),
                Piece::Html("<div class=\"a\">\n<p>one</p>\n"),
                Piece::Html("<P>two\n# not a heading\n"),
                Piece::Markdown(
                    "text *em*\n<div>x</div>\n\n<!--1593204398000-->\n[t](http://x)\n---\n\n"
                ),
                Piece::Html("</div>"),
            ]
        );
        assert_eq!(markdown_to_html(body), whole(body));
    }

    #[test]
    fn what_reaches_past_a_blank_line_is_rendered_whole() {
        for body in [
            "```\n\n<div>\n```\n",
            "<pre>\n\n<div>x</div>\n\n</pre>\n",
            "a\n<!-- open\n\n<div>\n-->\n",
            "[a]\n\n<div>x</div>\n\n[a]: http://x\n",
            "a\r\n\r\n<div>\r\n",
        ] {
            assert_eq!(pieces(body), None, "{body:?}");
            assert_eq!(markdown_to_html(body), whole(body));
        }
    }

    #[test]
    fn a_line_of_form_feeds_ends_an_html_block_as_a_blank_line_does() {
        let body = "<div>\n\x0c\nafter\n\n<p>x\n \x0b\n# heading\n";
        assert_eq!(
            pieces(body).unwrap(),
            [
                Piece::Html("<div>\n"),
                Piece::Markdown("after\n\n"),
                Piece::Html("<p>x\n"),
                Piece::Markdown("# heading\n"),
            ]
        );
        assert_eq!(markdown_to_html(body), whole(body));
        let last = "<div>\n\x0c";
        assert_eq!(pieces(last).unwrap(), [Piece::Html("<div>\n")]);
        assert_eq!(markdown_to_html(last), whole(last));
    }

    #[test]
    fn comments_that_end_on_their_line_keep_the_pieces() {
        let line = "<!-- a ".repeat(1000) + "-->";
        let body = format!("{line}\n[t](http://x)\n---\n\n<div>x</div>\n");
        assert_eq!(pieces(&body).map(|p| p.len()), Some(2));
        assert_eq!(markdown_to_html(&body), whole(&body));
        // One that opens after the line's last end does not end on its line.
        let body = "<!-- a --> <!-- b\n\n<div>x</div>\n";
        assert_eq!(pieces(body), None);
    }

    /// Lines of every kind the pieces depend on: HTML blocks of type 6 and others, Markdown
    /// blocks that end at a blank line, blank lines; and, fewer, what makes a document
    /// render whole (fences, HTML that ends at a marker, definitions, CR, NUL).
    fn line() -> impl Strategy<Value = &'static str> {
        let pieces = prop::sample::select(vec![
            "",
            "",
            " ",
            "\t",
            "text",
            "*em* and **strong**",
            "# heading",
            "title\n---",
            "---",
            "- item",
            "  - nested",
            "1. first",
            "> quote",
            "    code",
            "| a | b |\n|---|---|",
            "<div>",
            "</div>",
            "<DIV class=\"x\">",
            "<p>para</p>",
            "<p",
            "<figure>",
            "<h2>a",
            "  <div>",
            "<span>inline</span>",
            "<img src=\"x\">",
            "<a href=\"x\">",
            "</a>",
            "<!--1593204398000-->",
            "x <!-- c --> y",
            "[a] and [b][a]",
            "a\\",
            "x <br> y",
            "<table><tr><td>",
            "</td></tr></table>",
            "&amp; &lt;",
            "<",
            "- <div>",
            "> <p>",
            "  indented",
            "\tx",
            "a\x0cb",
            "\x0c<div>",
            "<div>\ta",
            "    <p>deep",
            " \t<div>",
            "<hr/>",
            "<br />",
        ]);
        let whole = prop::sample::select(vec![
            "<!-- open",
            "-->",
            "<!DOCTYPE html>",
            "<?php ?>",
            "<pre>",
            "</pre>",
            "<script>",
            "</script>",
            "<style>",
            "<textarea>",
            "```",
            "~~~",
            "[a]: http://x",
            "[^1]",
            "[^1]: note",
            "a\r",
            "\0",
        ]);
        let blank = prop::sample::select(vec!["", "", " ", "\t", "\x0c", " \x0b"]);
        let block = prop::sample::select(vec!["<div>", "</div>", "<p>x", "<Figure class=\"a\">"]);
        prop_oneof![4 => blank, 4 => block, 8 => pieces, 1 => whole]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn pieces_render_as_the_whole_document_does(lines in prop::collection::vec(line(), 0..24), end in any::<bool>()) {
            let mut body = lines.join("\n");
            if end {
                body.push('\n');
            }
            prop_assert_eq!(markdown_to_html(&body), whole(&body));
        }
    }
}
