use super::*;
use proptest::prelude::*;

/// Every window of `text`, with the carried tags taken off each: the input's own bytes.
fn pieces(
    text: &str,
    format: InputFormat,
    size: usize,
    max_block: usize,
) -> Result<Vec<(String, Edges)>, Error> {
    let mut windows = Windows::new(text.as_bytes(), format, size, max_block);
    let mut out = Vec::new();
    while let Some(w) = windows.next() {
        let w = w?;
        let (prefix, suffix) = windows.carried_lens;
        let own = w.text[prefix..w.text.len() - suffix].to_string();
        out.push((own, w.edges));
    }
    Ok(out)
}

/// The windows' own bytes put together are the input, and the edges are right.
fn check_whole(text: &str, format: InputFormat, size: usize, max_block: usize) {
    let Ok(pieces) = pieces(text, format, size, max_block) else {
        return;
    };
    let joined: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(joined, text);
    assert!(!pieces.is_empty());
    for (i, (_, edges)) in pieces.iter().enumerate() {
        assert_eq!(edges.start, i == 0);
        assert_eq!(edges.end, i == pieces.len() - 1);
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
    for format in [InputFormat::Markdown, InputFormat::Html] {
        let mut text = String::from("Title\n\nFirst.\n\n");
        text.push_str(&"word ".repeat((1 << 20) / 5));
        text.push_str("\n\nLast.\n");
        let err = pieces(&text, format, 1024, 64 << 10).unwrap_err();
        assert!(
            matches!(
                err,
                Error::BlockTooLarge {
                    limit: 65536,
                    line: 5
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("line 5"), "{err}");
        assert!(err.to_string().contains("--max-block"), "{err}");
    }
}

proptest! {
    #[test]
    fn windows_put_together_are_the_input(
        text in "(\\PC|\n|\n\n|```|~~~|<div>|</div>|<p>|</p>|<!--|-->|<script>|</script>| {4})*",
        size in 0usize..40,
        max_block in 0usize..80,
    ) {
        check_whole(&text, InputFormat::Markdown, size, max_block);
        check_whole(&text, InputFormat::Html, size, max_block);
    }
}
