//! A small tokenizer over the rewriter's output, run only inside elements whose fate
//! depends on what they contain: is there text or media left, and what does the text say.

use crate::actions::Seen;
use crate::html;
use crate::text::{may_lead_blank, skip_non_ascii};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Text,
    TagOpen,
    TagName,
    InTag,
    Quote(u8),
    Bang,
    BangDash,
    Comment(u8),
    Entity,
}

/// Character references to spaces that show nothing (`&nbsp;`), by name.
pub fn is_blank_entity(name: &[u8]) -> bool {
    matches!(
        name,
        b"nbsp" | b"#160" | b"#xa0" | b"#xA0" | b"ensp" | b"emsp" | b"thinsp"
    )
}

/// A run of non-ASCII whitespace only: raw no-break or ideographic spaces are as blank as
/// `&nbsp;`. (A character split across chunks counts as content: the safe side.)
pub fn is_unicode_blank(run: &[u8]) -> bool {
    if !run.first().is_some_and(|&b| may_lead_blank(b)) {
        return false;
    }
    // Character by character, so that a run of article text is settled by its first one.
    let mut rest = run;
    while let Some(&lead) = rest.first() {
        let width = match lead {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        let Some(c) = rest
            .get(..width)
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.chars().next())
        else {
            return false;
        };
        if !c.is_whitespace() {
            return false;
        }
        rest = &rest[width..];
    }
    true
}

/// How many bytes at the start of `bytes` are text up to a tag, a reference or whitespace.
/// Runs of non-ASCII bytes (Chinese text) are passed eight at a time.
fn text_run_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    loop {
        n += skip_non_ascii(&bytes[n..]);
        match bytes.get(n) {
            None => return n,
            Some(&c) if matches!(c, b'<' | b'&') || c.is_ascii_whitespace() => return n,
            Some(_) => n += 1,
        }
    }
}

/// Tokenizer state carried across chunks.
#[derive(Debug, Default)]
pub struct Scanner {
    state: State,
    end_tag: bool,
    name: [u8; 12],
    name_len: usize,
    entity: [u8; 12],
    entity_len: usize,
}

impl Scanner {
    /// Markers sit between tokens, so a new element always starts in text.
    pub fn reset(&mut self) {
        *self = Scanner::default();
    }

    pub fn feed(&mut self, bytes: &[u8], seen: &mut Seen) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match self.state {
                State::Text => {
                    let run_end = i + text_run_len(&bytes[i..]);
                    if run_end > i {
                        let run = &bytes[i..run_end];
                        if is_unicode_blank(run) {
                            seen.push_space();
                        } else {
                            seen.has_content = true;
                            seen.push_text(run);
                        }
                        i = run_end;
                        continue;
                    }
                    match b {
                        b'<' => self.state = State::TagOpen,
                        b'&' => {
                            self.state = State::Entity;
                            self.entity_len = 0;
                        }
                        _ => seen.push_space(),
                    }
                }
                State::TagOpen => match b {
                    b'!' => self.state = State::Bang,
                    b'/' => {
                        self.end_tag = true;
                        self.name_len = 0;
                        self.state = State::TagName;
                    }
                    c if c.is_ascii_alphabetic() => {
                        self.end_tag = false;
                        self.name[0] = c.to_ascii_lowercase();
                        self.name_len = 1;
                        self.state = State::TagName;
                    }
                    _ => {
                        seen.has_content = true;
                        seen.push_text(b"<");
                        self.state = State::Text;
                        continue;
                    }
                },
                State::TagName => {
                    if b.is_ascii_alphanumeric() || b == b'-' {
                        if self.name_len < self.name.len() {
                            self.name[self.name_len] = b.to_ascii_lowercase();
                        }
                        self.name_len += 1;
                    } else {
                        self.tag_named(seen);
                        self.state = if b == b'>' { State::Text } else { State::InTag };
                    }
                }
                State::InTag => match memchr::memchr3(b'"', b'\'', b'>', &bytes[i..]) {
                    Some(k) => {
                        i += k;
                        self.state = match bytes[i] {
                            b'>' => State::Text,
                            q => State::Quote(q),
                        };
                    }
                    None => return,
                },
                State::Quote(q) => match memchr::memchr(q, &bytes[i..]) {
                    Some(k) => {
                        i += k;
                        self.state = State::InTag;
                    }
                    None => return,
                },
                State::Bang => {
                    self.state = if b == b'-' {
                        State::BangDash
                    } else {
                        State::InTag
                    };
                }
                State::BangDash => {
                    self.state = if b == b'-' {
                        State::Comment(0)
                    } else {
                        State::InTag
                    };
                }
                State::Comment(dashes) => {
                    self.state = match b {
                        b'-' => State::Comment(dashes.saturating_add(1)),
                        b'>' if dashes >= 2 => State::Text,
                        _ => State::Comment(0),
                    };
                }
                State::Entity => {
                    if b == b';' {
                        self.entity_done(seen, true);
                        self.state = State::Text;
                    } else if (b.is_ascii_alphanumeric() || b == b'#')
                        && self.entity_len < self.entity.len()
                    {
                        self.entity[self.entity_len] = b;
                        self.entity_len += 1;
                    } else {
                        self.entity_done(seen, false);
                        self.state = State::Text;
                        continue;
                    }
                }
            }
            i += 1;
        }
    }

    fn tag_named(&mut self, seen: &mut Seen) {
        if self.end_tag {
            return;
        }
        if !seen.own_tag_done {
            seen.own_tag_done = true;
            return;
        }
        let name = &self.name[..self.name_len.min(self.name.len())];
        if self.name_len <= self.name.len() && html::is_content(name) {
            seen.has_content = true;
        }
    }

    fn entity_done(&mut self, seen: &mut Seen, closed: bool) {
        let name = &self.entity[..self.entity_len];
        let blank = closed && is_blank_entity(name);
        if blank {
            seen.push_space();
            return;
        }
        seen.has_content = true;
        let mut raw = Vec::with_capacity(self.entity_len + 2);
        raw.push(b'&');
        raw.extend_from_slice(name);
        if closed {
            raw.push(b';');
        }
        seen.push_text(&raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(chunks: &[&str]) -> Seen {
        let mut seen = Seen {
            text: Some(Vec::new()),
            text_limit: 1000,
            ..Seen::default()
        };
        let mut s = Scanner::default();
        for c in chunks {
            s.feed(c.as_bytes(), &mut seen);
        }
        seen
    }

    #[test]
    fn blank_markup_is_empty() {
        let seen = scan(&[
            "<div class=\"a>b\">\n  <span>&nbsp;</span><!-- x -> y --><br/>",
            "</div>",
        ]);
        assert!(!seen.has_content);
        assert_eq!(seen.decoded_text().unwrap(), "");
    }

    #[test]
    fn raw_unicode_spaces_are_blank() {
        let seen = scan(&["<p>\u{a0}\u{3000} \u{a0}</p>"]);
        assert!(!seen.has_content);
        assert!(scan(&["<p>\u{a0}字</p>"]).has_content);
    }

    #[test]
    fn text_runs_end_at_tags_references_and_whitespace() {
        for text in [
            "",
            "abc",
            "字字字字字字字字字<p>",
            "字a字&amp;",
            "é\u{3000}x y",
            "ab\ncd",
        ] {
            let expected = text
                .bytes()
                .position(|c| matches!(c, b'<' | b'&') || c.is_ascii_whitespace())
                .unwrap_or(text.len());
            assert_eq!(text_run_len(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn a_character_is_blank_when_it_is_whitespace() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(is_unicode_blank(bytes), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn media_counts_but_own_tag_does_not() {
        assert!(!scan(&["<figure>", " </figure>"]).has_content);
        assert!(scan(&["<figure><img src=x></figure>"]).has_content);
    }

    #[test]
    fn text_is_folded_and_decoded_across_chunks() {
        let seen = scan(&["<p>\n  获取更多", "RSS：&a", "mp;<b>x</b>\n </p>"]);
        assert!(seen.has_content);
        assert_eq!(seen.decoded_text().unwrap(), "获取更多RSS：&x");
    }

    #[test]
    fn text_over_its_bound_overflows() {
        let mut seen = Seen {
            text: Some(Vec::new()),
            text_limit: 4,
            text_chars: 0,
            ..Seen::default()
        };
        Scanner::default().feed(b"<p>abcdef</p>", &mut seen);
        assert!(seen.text_overflow && seen.text.is_none());
    }
}
