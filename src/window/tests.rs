use super::*;
use proptest::prelude::*;

/// Every window of `text`, with the carried tags taken off each: the input's own bytes.
fn pieces(
    text: &str,
    format: InputFormat,
    size: usize,
    max_block: usize,
) -> Result<Vec<(String, Edges)>, Error> {
    pieces_read_by(text, format, size, max_block, text.len().max(1))
}

/// [`pieces`], the input read `chunk` bytes at a time.
fn pieces_read_by(
    text: &str,
    format: InputFormat,
    size: usize,
    max_block: usize,
    chunk: usize,
) -> Result<Vec<(String, Edges)>, Error> {
    let input = std::io::BufReader::with_capacity(chunk, text.as_bytes());
    let mut windows = Windows::new(input, format, size, max_block);
    let mut out = Vec::new();
    while let Some(w) = windows.next() {
        let w = w?;
        let (prefix, suffix) = windows.carried_lens;
        let own = w.text[prefix..w.text.len() - suffix].to_string();
        out.push((own, w.edges));
    }
    Ok(out)
}

/// The windows' own bytes put together are the input, each but the last ends at a block
/// boundary, the edges are right, and the cuts do not depend on how the input is read.
fn check_whole(text: &str, format: InputFormat, size: usize, max_block: usize, chunk: usize) {
    let whole = pieces(text, format, size, max_block);
    let read_by = pieces_read_by(text, format, size, max_block, chunk);
    assert_eq!(format!("{whole:?}"), format!("{read_by:?}"));
    let Ok(pieces) = whole else {
        return;
    };
    let joined: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(joined, text);
    assert!(!pieces.is_empty());
    for (i, (own, edges)) in pieces.iter().enumerate() {
        assert_eq!(edges.start, i == 0);
        assert_eq!(edges.end, i == pieces.len() - 1);
        if edges.end {
            continue;
        }
        match format {
            InputFormat::Markdown => {
                // It ends with a blank line.
                let body = own.trim_end_matches(|c: char| c.is_ascii_whitespace());
                assert!(own[body.len()..].matches('\n').count() >= 2, "{own:?}");
            }
            InputFormat::Html => {
                let body = own.trim_end_matches(|c: char| c.is_ascii_whitespace());
                let last = &body[body.rfind('<').unwrap()..];
                assert!(last.starts_with("</") && last.ends_with('>'), "{own:?}");
            }
        }
    }
}

#[test]
fn an_empty_document_is_one_window_with_both_edges() {
    let pieces = pieces("", InputFormat::Markdown, 10, 10).unwrap();
    assert_eq!(
        pieces,
        [(
            String::new(),
            Edges {
                start: true,
                end: true
            }
        )]
    );
}

#[test]
fn markdown_is_cut_after_blank_lines_past_the_size() {
    let text = "one\n\ntwo\n\nthree\n";
    let pieces = pieces(text, InputFormat::Markdown, 4, 100).unwrap();
    let texts: Vec<&str> = pieces.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["one\n\n", "two\n\n", "three\n"]);
}

#[test]
fn a_paragraph_larger_than_the_block_limit_is_an_error_naming_its_line() {
    let words = "word ".repeat((1 << 20) / 5);
    let markdown = format!("Title\n\nFirst.\n\n{words}\n\nLast.\n");
    let html = format!("<h1>Title</h1>\n<p>First.</p>\n\n<p>{words}</p>\n<p>Last.</p>\n");
    for (text, format, line) in [
        (markdown, InputFormat::Markdown, 5),
        (html, InputFormat::Html, 4),
    ] {
        let err = pieces(&text, format, 1024, 64 << 10).unwrap_err();
        assert!(
            matches!(err, Error::BlockTooLarge { limit: 65536, line: l } if l == line),
            "{err:?}"
        );
        assert!(err.to_string().contains(&format!("line {line} ")), "{err}");
        assert!(err.to_string().contains("--max-block"), "{err}");
    }
}

proptest! {
    #[test]
    fn windows_put_together_are_the_input(
        text in "(\\PC|\n|\n\n|```|~~~|<div>|</div>|<div class='a>b'>|<p>|</p>|</li>|<pre>|</pre>|<br>|<p/>|<|<!--|-->|<!DOCTYPE x>|<script>|</script>|<title>|</TITLE>| {4})*",
        size in 0usize..40,
        max_block in 0usize..80,
        chunk in 1usize..9,
    ) {
        check_whole(&text, InputFormat::Markdown, size, max_block, chunk);
        check_whole(&text, InputFormat::Html, size, max_block, chunk);
    }
}

/// The input offsets where `text` is cut with windows of `size` bytes.
fn cuts(text: &str, format: InputFormat, size: usize) -> Vec<usize> {
    let pieces = pieces(text, format, size, 1 << 20).unwrap();
    let mut at = 0;
    let mut out = Vec::new();
    for (own, _) in &pieces[..pieces.len() - 1] {
        at += own.len();
        out.push(at);
    }
    out
}

/// Where pulldown-cmark reads a code block or an HTML block, whose inside no cut may fall.
/// The front matter counts as one, and the body is read with the Markdown stage's options.
fn uncuttable(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let (front, body) = crate::text::split_front_matter(text);
    let blocks = Parser::new_ext(body, crate::markdown::OPTIONS)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)).then_some(range)
        })
        .map(|r| r.start + front.len()..r.end + front.len());
    std::iter::once(0..front.len()).chain(blocks).collect()
}

/// No cut of `text` falls inside a code block or an HTML block; how many windows it makes.
fn check_blocks_whole(text: &str, size: usize) -> usize {
    let Ok(pieces) = pieces(text, InputFormat::Markdown, size, 1 << 20) else {
        return 0;
    };
    let blocks = uncuttable(text);
    let mut at = 0;
    for (own, _) in &pieces[..pieces.len() - 1] {
        at += own.len();
        for b in &blocks {
            assert!(
                !(b.start < at && at < b.end),
                "cut at {at} inside {b:?}: {:?}",
                &text[b.clone()]
            );
        }
    }
    pieces.len()
}

#[test]
fn markdown_fences_are_never_cut() {
    let text = "a\n\n```\none\n\ntwo\n```\n\nb\n\n~~~~\n```\n\nc\n~~~~\n\nd\n\n- ```\n  x\n\n  y\n  ```\n\ne\n";
    assert_eq!(
        cuts(text, InputFormat::Markdown, 1),
        [3, 21, 24, 42, 45, 67]
    );
    check_blocks_whole(text, 1);
}

#[test]
fn markdown_html_blocks_and_open_elements_are_never_cut() {
    let text = "a\n\n<!--\n\nx\n-->\n\n<script>\n\nlet x;\n</script>\n\n<div class=ad>\n\ntext\n\n</div>\n\nb\n\n<pre>\n\n</pre>\nc\n";
    let at = cuts(text, InputFormat::Markdown, 1);
    assert_eq!(at, [3, 16, 44, 74, 77]);
    check_blocks_whole(text, 1);
}

#[test]
fn markdown_is_not_cut_before_an_indented_line_or_in_front_matter() {
    let text = "---\ntitle: x\n\nmore: y\n---\n\n- item\n\n  more of it\n\n    code\n\nnext\n";
    assert_eq!(cuts(text, InputFormat::Markdown, 1), [27, 59]);
}

proptest! {
    #[test]
    fn markdown_windows_leave_code_and_html_blocks_whole(
        text in "(\\PC|\n|\n\n|\n```|\n~~~|\n<div>|</div>|\n<!--|-->|\n<script>|</script>|\n    |\n- )*",
        size in 0usize..40,
    ) {
        check_blocks_whole(&text, size);
    }
}

/// Inputs the properties above once failed on.
#[test]
fn cases_the_properties_found() {
    for text in [
        "</script>\n```\n~~~\n    \n```\n\n```",
        "\n```",
        "</pre>0</p></script></div>\n\n    \n```",
        "\n- \n</script>\n- \n<script>\n    \n```</script>\n\n\n```",
        "\n- </script>\n</script>\n~~~\n\n~~~\n    \n```",
        "<br><br></li></script></div>\n\n    \n",
    ] {
        check_blocks_whole(text, 0);
        for chunk in 1..4 {
            check_whole(text, InputFormat::Markdown, 0, 40, chunk);
        }
    }
    let text = "</script></script></div><!---->\n\n</li><br><!--<!DOCTYPE x></script><div class='a>b'>--></p><!DOCTYPE x>A</p><!--</p></div>";
    check_whole(text, InputFormat::Html, 35, 19, 1);
    // A bogus comment (`</<div …>`) after a block's end tag is no end tag to cut after.
    for chunk in 1..4 {
        check_whole("</p></<div class='a>b'>ૠ", InputFormat::Html, 0, 19, chunk);
    }
}

/// Every document of the corpus, as it is and written as HTML, cut into windows of 2 KiB:
/// the windows make the document, end at block boundaries, leave code and HTML blocks
/// whole, and do not depend on how the input is read.
#[test]
fn corpus_documents_cut_into_small_windows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("corpus"), root.join("corpus-unknown")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "html") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 500, "{} documents", files.len());
    let (mut cut, mut windows) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let format = crate::rules::sniff(&text);
        check_whole(&text, format, 2048, 1 << 20, 7);
        let n = pieces(&text, format, 2048, 1 << 20)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .len();
        if format == InputFormat::Markdown {
            assert_eq!(check_blocks_whole(&text, 2048), n);
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
            check_whole(&html, InputFormat::Html, 2048, 1 << 20, 7);
        }
        windows += n;
        cut += usize::from(n > 1);
    }
    // Many documents are one HTML block (Medium's feeds: a `<div>` of one line), which no
    // cut may fall inside; the rest longer than a window are cut.
    assert!(cut * 4 > files.len(), "{cut} of {} cut", files.len());
    eprintln!("{} documents, {cut} cut, {windows} windows", files.len());
}

#[test]
fn nesting_deeper_than_is_carried_is_never_cut() {
    // Past 256 open elements no cut falls: this one has none before the block limit.
    let text = format!("<p>a</p>{}x", "<div>".repeat(400_000));
    let err = pieces(&text, InputFormat::Html, 4096, 1 << 20).unwrap_err();
    assert!(
        matches!(err, Error::BlockTooLarge { line: 1, .. }),
        "{err:?}"
    );
    // Closed again, it is cut where the stack is shallow enough.
    let text = format!(
        "{}<p>a</p>{}<p>b</p><p>c</p>",
        "<div>".repeat(300),
        "</div>".repeat(100)
    );
    let pieces = pieces(&text, InputFormat::Html, 1, 1 << 20).unwrap();
    let owns: Vec<&str> = pieces.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(owns.len(), 3);
    assert!(owns[1] == "<p>b</p>" && owns[2] == "<p>c</p>", "{owns:?}");
}

#[test]
fn a_list_items_indented_paragraph_is_no_code_and_a_lazy_line_no_html_block() {
    // `    -->` is a paragraph of the list item (two columns past its content), not indented
    // code; `</script>` then continues it lazily (an HTML block of kind 7 cannot interrupt a
    // paragraph), and the fence after it opens a code block that runs to the end.
    let text = "\n- </script>\n\n    -->\n</script>\n```\n\n<!--";
    check_blocks_whole(text, 0);
    // Nowhere to cut: before the fix, a cut fell at the blank line inside the fence.
    assert_eq!(cuts(text, InputFormat::Markdown, 0), Vec::<usize>::new());
}
