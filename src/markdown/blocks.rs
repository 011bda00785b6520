//! Splits Markdown into top-level blocks and the gaps between them, by byte range, so that
//! whatever no rule touches can be copied back byte for byte.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Heading,
    Paragraph,
    ThematicBreak,
    Other,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: Kind,
    pub range: Range<usize>,
    /// Link destinations, for headings and paragraphs.
    pub links: Vec<String>,
    /// Text outside links that is more than separators (`|`, spaces, punctuation).
    pub has_words: bool,
    /// Raw HTML inside a paragraph or heading (`text <span class=ad>…</span>`).
    pub inline_html: bool,
    /// Code spans, whose `<tags>` are text, not markup.
    pub code: bool,
}

impl Block {
    /// Whether the rewriter must see this block: HTML blocks, and paragraphs or headings
    /// with inline HTML (but no code spans, whose tags are only text).
    pub fn needs_rewriting(&self) -> bool {
        self.kind == Kind::Html
            || (matches!(self.kind, Kind::Paragraph | Kind::Heading)
                && self.inline_html
                && !self.code)
    }

    /// A heading or paragraph made of links and separators only.
    pub fn is_link_only(&self) -> bool {
        matches!(self.kind, Kind::Heading | Kind::Paragraph)
            && !self.links.is_empty()
            && !self.has_words
    }
}

pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut depth = 0usize;
    let mut link_depth = 0usize;
    for (event, range) in Parser::new_ext(text, super::OPTIONS).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match tag {
                        Tag::HtmlBlock => Kind::Html,
                        Tag::Heading { .. } => Kind::Heading,
                        Tag::Paragraph => Kind::Paragraph,
                        _ => Kind::Other,
                    };
                    blocks.push(Block {
                        kind,
                        range: range.clone(),
                        links: Vec::new(),
                        has_words: false,
                        inline_html: false,
                        code: false,
                    });
                }
                if let Tag::Link { dest_url, .. } = &tag {
                    if let Some(b) = blocks.last_mut() {
                        b.links.push(dest_url.to_string());
                    }
                    link_depth += 1;
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if matches!(tag, TagEnd::Link) {
                    link_depth = link_depth.saturating_sub(1);
                }
            }
            Event::Code(_) if depth > 0 => {
                if let Some(b) = blocks.last_mut() {
                    b.code = true;
                }
            }
            Event::Text(t) if link_depth == 0 => {
                if t.chars().any(char::is_alphanumeric)
                    && let Some(b) = blocks.last_mut()
                {
                    b.has_words = true;
                }
            }
            Event::InlineHtml(_) if depth > 0 => {
                if let Some(b) = blocks.last_mut() {
                    b.inline_html = true;
                }
            }
            Event::Rule if depth == 0 => blocks.push(Block {
                kind: Kind::ThematicBreak,
                range,
                links: Vec::new(),
                has_words: false,
                inline_html: false,
                code: false,
            }),
            _ if depth == 0 => blocks.push(Block {
                kind: Kind::Other,
                range,
                links: Vec::new(),
                has_words: true,
                inline_html: false,
                code: false,
            }),
            _ => {}
        }
    }
    // A block's range takes its line's indentation, which pulldown-cmark's leaves out: the
    // gap before it then holds blank lines only, and an indented code block keeps what
    // makes it code when the gaps around a removed block are merged.
    let mut end = 0;
    for b in &mut blocks {
        b.range.start = crate::text::line_start(text, b.range.start).max(end);
        end = b.range.end.max(b.range.start);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_top_level_blocks() {
        let text = "### Title\n------------------------\n\n#### [a](http://x) &nbsp;|&nbsp; [b](http://y)\n\n<div>\n<p>x</p>\n</div>\n\ntext [l](u)\n";
        let blocks = parse(text);
        let kinds: Vec<Kind> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Heading,
                Kind::ThematicBreak,
                Kind::Heading,
                Kind::Html,
                Kind::Paragraph
            ]
        );
        assert!(blocks[2].is_link_only());
        assert_eq!(blocks[2].links, ["http://x", "http://y"]);
        assert!(!blocks[4].is_link_only());
        assert_eq!(&text[blocks[3].range.clone()], "<div>\n<p>x</p>\n</div>\n");
    }

    #[test]
    fn a_block_takes_its_indentation_and_the_gap_only_blank_lines() {
        let text = "para\n\n    code\n\n  <div>x</div>\n";
        let got: Vec<&str> = parse(text).iter().map(|b| &text[b.range.clone()]).collect();
        assert_eq!(got, ["para\n", "    code\n", "  <div>x</div>\n"]);
    }
}
