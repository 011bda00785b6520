//! The Markdown stage: front matter and Markdown blocks pass through untouched, every HTML
//! block of the document goes through one rewriter pass (elements may span blocks), and
//! the result is put back together with the document's own blank lines.
//!
//! Markdown blocks and the gaps between blocks stand in the rewriter's input as markers,
//! so that an element the rules remove takes the Markdown inside it along, and so that the
//! document's block structure can be rebuilt exactly around what was removed.

pub(crate) mod blocks;
mod source;

use crate::actions::Stage;
use crate::markers::{Markers, Op, Parsed, START};
use crate::pass::Pass;
use crate::report::Warning;
use crate::rewrite;
use crate::text::{is_blank_line, lines};
use blocks::Kind;
use std::borrow::Cow;

/// The Markdown extensions every stage reads a document with (tables, strikethrough,
/// footnotes): the blocks the rewriter is handed, the article's blocks the last stage
/// judges and the HTML the rendered formats are made of must be the same blocks.
pub(crate) const OPTIONS: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_FOOTNOTES);

use crate::text::split_front_matter;

/// What the rewriter gave back, cut at the markers.
enum Piece<'a> {
    Html(&'a [u8]),
    Block(usize),
    Gap(usize),
}

/// Cleans a Markdown document. Falls back to the input, with a warning, if the document's
/// structure could not be kept.
pub(crate) fn clean(input: &str, pass: &mut Pass<'_>) -> (String, Vec<Warning>) {
    let mut warnings = Vec::new();
    let markers = pass.markers;
    let (front_matter, original_body) = split_front_matter(input);
    let body = source::apply(original_body, &pass.rules, &pass.stats, &mut warnings);
    let blocks = blocks::parse(&body);

    let mut dropped = vec![false; blocks.len()];
    for (b, block) in blocks.iter().enumerate() {
        if !block.is_link_only() {
            continue;
        }
        for (i, rule) in pass.rules.iter().enumerate() {
            if rule.action.stage() == Stage::Block && rule.action.drops_block(&block.links) {
                dropped[b] = true;
                pass.stats.removed(i, &body[block.range.clone()]);
                break;
            }
        }
    }

    // The rewriter's input: HTML blocks as they are, markers for everything else; its room
    // is what they take (a document of Markdown blocks is mostly markers, a fraction of it).
    let mut gaps: Vec<&str> = Vec::with_capacity(blocks.len() + 1);
    let rewritten: usize = (blocks.iter().zip(&dropped))
        .filter(|(block, dropped)| !**dropped && block.needs_rewriting())
        .map(|(block, _)| block.range.len())
        .sum();
    let mut html_input =
        String::with_capacity(rewritten + (2 * blocks.len() + 1) * crate::markers::MAX_LEN);
    let mut pos = 0;
    for (b, block) in blocks.iter().enumerate() {
        let start = block.range.start.max(pos);
        let end = block.range.end.max(start);
        gaps.push(&body[pos..start]);
        html_input.push_str(&markers.encode(Op::Gap, 0, b as u32));
        if dropped[b] {
            // Dropped by a Markdown rule: nothing of it goes on.
        } else if block.needs_rewriting() {
            html_input.push_str(&body[start..end]);
        } else {
            html_input.push_str(&markers.encode(Op::Block, 0, b as u32));
        }
        pos = end;
    }
    gaps.push(&body[pos..]);
    html_input.push_str(&markers.encode(Op::Gap, 0, blocks.len() as u32));

    // The text of the blocks the rewriter does not read, for the rules that read the
    // whole document: built only if one asks.
    let unread = || {
        let plain = (blocks.iter().zip(&dropped))
            .filter(|(block, dropped)| !**dropped && !block.needs_rewriting())
            .map(|(block, _)| &body[block.range.clone()]);
        plain.collect::<Vec<_>>().join("\n")
    };
    pass.scope(html_input.as_bytes(), &unread);
    let outcome = match rewrite::run(
        pass,
        html_input.as_bytes(),
        // The output is rarely larger than the input: one allocation.
        Vec::with_capacity(html_input.len()),
    ) {
        Ok(o) => o,
        Err(e) => {
            warnings.push(Warning::new(
                "rewrite-failed",
                format!("the HTML pass failed ({e}); the document was left unchanged"),
            ));
            return (input.to_string(), warnings);
        }
    };
    warnings.extend(outcome.warnings);
    drop(html_input);
    let output = outcome.writer;

    let pieces = split_at_markers(&output, pass.markers);
    let mut seen_block = vec![false; blocks.len()];
    for p in &pieces {
        if let Piece::Block(b) = p
            && let Some(s) = seen_block.get_mut(*b)
        {
            *s = true;
        }
    }
    let removed_inside: Vec<usize> = outcome
        .removed_blocks
        .iter()
        .map(|&(b, _)| b as usize)
        .collect();
    for (b, block) in blocks.iter().enumerate() {
        let expected = !block.needs_rewriting() && !dropped[b];
        if expected && !seen_block[b] && !removed_inside.contains(&b) {
            warnings.push(Warning::new(
                "structure-lost",
                "a Markdown block went missing in the HTML pass (markup split across a blank line?); the document was left unchanged",
            ));
            return (input.to_string(), warnings);
        }
    }

    // The front matter and the body's own opening blank lines go in front, in the room
    // left for them: the document is not copied again.
    let opening = blank_lines(original_body);
    let mut out = reassemble(
        &body,
        &blocks,
        &gaps,
        &pieces,
        front_matter.len() + opening.len(),
    );
    // The document starts as it did: removals at the top leave no blank lines behind.
    let lead = blank_lines(&out).len();
    let opening = if out.len() > lead { opening } else { "" };
    out.replace_range(..lead, &[front_matter, opening].concat());
    out.shrink_to_fit();
    (out, warnings)
}

fn split_at_markers<'a>(output: &'a [u8], markers: &Markers) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    while let Some(rel) = memchr::memchr(START, &output[pos..]) {
        let at = pos + rel;
        match markers.parse(&output[at..]) {
            Parsed::Marker { op, b, len, .. } if matches!(op, Op::Block | Op::Gap) => {
                if at > text_start {
                    pieces.push(Piece::Html(&output[text_start..at]));
                }
                pieces.push(if op == Op::Block {
                    Piece::Block(b as usize)
                } else {
                    Piece::Gap(b as usize)
                });
                pos = at + len;
                text_start = pos;
            }
            _ => pos = at + 1,
        }
    }
    if output.len() > text_start {
        pieces.push(Piece::Html(&output[text_start..]));
    }
    pieces
}

/// An item of the rebuilt document.
enum Item<'a> {
    Gap(&'a str),
    Text(&'a str),
    /// What the rewriter wrote of HTML blocks, with their blank lines when the source had
    /// one (`true`), else without (see `push_without_blank_lines`).
    Html(Cow<'a, str>, bool),
    Break(usize),
}

/// The document rebuilt from the rewriter's `pieces`, with room for `room` more bytes.
fn reassemble(
    body: &str,
    blocks: &[blocks::Block],
    gaps: &[&str],
    pieces: &[Piece<'_>],
    room: usize,
) -> String {
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut previous_gap: Option<usize> = None;
    for piece in pieces {
        match piece {
            Piece::Gap(g) => {
                items.push(Item::Gap(gaps.get(*g).copied().unwrap_or("")));
                previous_gap = Some(*g);
            }
            Piece::Block(b) => {
                let block = &blocks[*b];
                let text = &body[block.range.clone()];
                if block.kind == Kind::ThematicBreak {
                    items.push(Item::Break(*b));
                } else {
                    items.push(Item::Text(text));
                }
            }
            Piece::Html(bytes) => {
                let html = crate::report::utf8(bytes);
                if html.trim().is_empty() {
                    continue;
                }
                // The source of this piece: the HTML block after the last gap marker.
                let source_had_blank = previous_gap
                    .and_then(|g| blocks.get(g))
                    .is_some_and(|b| has_blank_line(&body[b.range.clone()]));
                items.push(Item::Html(html, source_had_blank));
            }
        }
    }

    // A thematic break that now ends the document, or stands next to another, was a
    // separator for something removed.
    let last_block = blocks.len().saturating_sub(1);
    let mut keep = vec![true; items.len()];
    for i in 0..items.len() {
        if let Item::Break(b) = items[i] {
            let next = items[i + 1..].iter().find(|it| !matches!(it, Item::Gap(_)));
            keep[i] = match next {
                None => b == last_block,
                Some(Item::Break(_)) => false,
                Some(_) => true,
            };
        }
    }

    // Runs of gaps (left where blocks went) become the widest of them, never less than
    // what separated the blocks before.
    let mut out = String::with_capacity(body.len() + room);
    let mut pending_gap: Option<&str> = None;
    for (item, kept) in items.iter().zip(&keep) {
        if !kept {
            continue;
        }
        match item {
            Item::Gap(g) => {
                pending_gap = Some(match pending_gap {
                    Some(p) if p.matches('\n').count() >= g.matches('\n').count() => p,
                    _ => g,
                });
            }
            Item::Text(t) => {
                out.push_str(pending_gap.take().unwrap_or(""));
                out.push_str(t);
            }
            Item::Html(html, keeps_blank) => {
                out.push_str(pending_gap.take().unwrap_or(""));
                let html = &*unindented(&out, html);
                if *keeps_blank {
                    out.push_str(html);
                } else {
                    push_without_blank_lines(&mut out, html);
                }
            }
            Item::Break(b) => {
                out.push_str(pending_gap.take().unwrap_or(""));
                out.push_str(&body[blocks[*b].range.clone()]);
            }
        }
    }
    // The end of the document keeps the input's own ending.
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    let ending = &body[body.trim_end().len()..];
    out.push_str(if ending.contains('\n') { "\n" } else { ending });
    if out.trim().is_empty() {
        out.clear();
    }
    out
}

/// What the rewriter wrote of an HTML block, to follow `out`. Its first line that is not
/// blank is indented less than four columns in the source (or it would be code, not HTML);
/// indented more now, the rules removed what stood before it on its line or on the lines
/// over it, and where it opens a block it would be read as code, its markup shown: its
/// indentation goes.
fn unindented<'a>(out: &str, html: &'a str) -> Cow<'a, str> {
    let lead = blank_lines(html).len();
    // Whether that line follows a blank line (or nothing): one of the blank lines it opens
    // with, or the end of `out`. The first of them only ends `out`'s last line, if that
    // has words.
    let opens = match lines(&html[..lead]).count() {
        0 => crate::text::opens_block(out),
        1 => crate::text::indentation_start(out).is_some(),
        _ => true,
    };
    if !opens {
        return Cow::Borrowed(html);
    }
    match crate::text::code_indent(&html[lead..], 0) {
        Some(indent) => Cow::Owned([&html[..lead], &html[lead + indent..]].concat()),
        None => Cow::Borrowed(html),
    }
}

/// The blank lines that open `text`.
fn blank_lines(text: &str) -> &str {
    let mut end = 0;
    for line in lines(text) {
        if !line.ends_with('\n') || !is_blank_line(line) {
            break;
        }
        end += line.len();
    }
    &text[..end]
}

fn has_blank_line(text: &str) -> bool {
    let text = text.trim_end_matches([' ', '\t', '\r', '\n']);
    // As `split('\n')` would: nothing left is one blank line.
    text.is_empty() || lines(text).any(is_blank_line)
}

/// Appends `html` to `out` without its blank lines but the first and an unended
/// last (inside an HTML block they would end it in CommonMark): the lines between them go
/// in whole runs, straight into `out`, not through a copy of their own.
fn push_without_blank_lines(out: &mut String, html: &str) {
    let mut run = 0;
    let mut pos = 0;
    for (i, line) in lines(html).enumerate() {
        let interior = i > 0 && line.ends_with('\n');
        if interior && is_blank_line(line) {
            out.push_str(&html[run..pos]);
            run = pos + line.len();
        }
        pos += line.len();
    }
    out.push_str(&html[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_inside_are_found() {
        assert!(has_blank_line("<div>\n\n</div>"));
        assert!(has_blank_line("<div>\n \t\n</div>\n"));
        assert!(!has_blank_line("<div>\n<p>x</p>\n</div>\n\n"));
        assert!(!has_blank_line("<div>"));
        assert!(has_blank_line(" \n"));
    }

    #[test]
    fn front_matter_is_split_at_its_closing_line() {
        let (fm, body) = split_front_matter("---\ntitle: x\n---\n<!--NaN-->\n");
        assert_eq!(fm, "---\ntitle: x\n---\n");
        assert_eq!(body, "<!--NaN-->\n");
        assert_eq!(split_front_matter("### t\n---\n").0, "");
        assert_eq!(split_front_matter("---\nno end\n").0, "");
    }

    #[test]
    fn a_line_left_opening_a_block_loses_the_indentation_of_code() {
        let after = |out: &str, html: &str| unindented(out, html).into_owned();
        // After a blank line, or one the piece opens with: not code.
        assert_eq!(after("a\n\n", "    <p>x</p>\n"), "<p>x</p>\n");
        assert_eq!(after("a\n", "\n\t<p>x</p>\n"), "\n<p>x</p>\n");
        assert_eq!(after("", "\n\n    <p>x</p>"), "\n\n<p>x</p>");
        // Going on with a line of words: that line's end, then a line that is no block's
        // first; and indented less than four columns, never code.
        assert_eq!(after("a", "\n    <p>x</p>"), "\n    <p>x</p>");
        assert_eq!(after("a\n", "    <p>x</p>"), "    <p>x</p>");
        assert_eq!(after("a\n\n", "   <p>x</p>"), "   <p>x</p>");
    }

    #[test]
    fn blank_lines_inside_html_are_dropped() {
        let dropped = |html: &str| {
            let mut out = String::from("a");
            push_without_blank_lines(&mut out, html);
            out
        };
        assert_eq!(dropped("<p>\n \n  x\n \n</p>\n"), "a<p>\n  x\n</p>\n");
        assert_eq!(dropped(" \n\n \nx\n\n"), "a \nx\n");
        assert_eq!(dropped("x\n \n \t"), "ax\n \t");
        assert_eq!(dropped(""), "a");
    }
}
