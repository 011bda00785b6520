//! What an element under judgement has shown so far: what the actions that remove an
//! element by its content decide on (see `Kind::removal_rank`). The stages fill it as the
//! element's bytes go by (`rewrite::scan`).

use crate::text::may_lead_blank;
use std::borrow::Cow;

/// What one element has been seen to contain so far.
#[derive(Debug, Default)]
pub struct Seen {
    /// Non-blank text or a media element.
    pub has_content: bool,
    /// The element's own start tag has gone by (it is not its own content).
    pub own_tag_done: bool,
    /// Raw text with whitespace runs folded to one space, when a rule needs it.
    pub text: Option<Vec<u8>>,
    /// The text outgrew its bound.
    pub text_overflow: bool,
    /// The text was no longer read: how it begins rules out every text rule (see
    /// `Seen::rules_out`).
    pub ruled_out: bool,
    /// How long the text was when the rules that target the element last asked whether it
    /// rules them out (see `Seen::rules_out`): their answers depend on the text alone, so
    /// until it grows they are the same; `usize::MAX` once their answer is final (see
    /// `Kind::text_reach`). None before they first ask, or once a rule joins.
    pub text_asked: Option<usize>,
    /// Most characters of text kept before the text counts as too long to judge.
    pub text_limit: usize,
    pub text_chars: usize,
}

impl Seen {
    pub(crate) fn push_text(&mut self, bytes: &[u8]) {
        if let Some(text) = &mut self.text {
            // Count characters, not bytes: a Chinese sentence is three bytes a character.
            self.text_chars += bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            if self.text_chars > self.text_limit {
                self.text_overflow = true;
                self.text = None;
            } else {
                text.extend_from_slice(bytes);
            }
        }
    }

    pub(crate) fn push_space(&mut self) {
        if let Some(text) = &mut self.text
            && !text.is_empty()
            && text.last() != Some(&b' ')
        {
            text.push(b' ');
            self.text_chars += 1;
        }
    }

    /// Whether the text read so far already rules out a pattern anchored at the start
    /// whose matches all begin with one of `prefixes`: the text, as the pattern will see it
    /// (decoded, trimmed), agrees with none of them as far as both go. Undecided (false)
    /// while the text's first bytes would change in decoding.
    pub fn rules_out(&self, prefixes: &[Vec<u8>]) -> bool {
        let Some(text) = self.text.as_deref() else {
            return false;
        };
        let longest = prefixes.iter().map(Vec::len).max().unwrap_or(0);
        let start = text.iter().position(|&b| b != b' ').unwrap_or(text.len());
        let window = &text[start..text.len().min(start + longest)];
        let seen = match std::str::from_utf8(window) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&window[..e.valid_up_to()]).unwrap_or(""),
        };
        if needs_decoding(seen) {
            return false;
        }
        let seen = seen.as_bytes();
        // Byte by byte, not with `!=` on slices: most prefixes differ at the first byte or
        // two, and a call to compare memory for each cost more than the comparing.
        prefixes
            .iter()
            .all(|p| p.iter().zip(seen).any(|(a, b)| a != b))
    }

    /// Whether the text holds `reach` bytes from its first byte that is not a space: what
    /// [`Seen::rules_out`] reads of it for prefixes that long no longer changes.
    pub fn read_past(&self, reach: usize) -> bool {
        reach == 0
            || self.text.as_deref().is_some_and(|text| {
                text.iter()
                    .position(|&b| b != b' ')
                    .is_some_and(|start| text.len() - start >= reach)
            })
    }

    /// Whether more bytes can change what a rule decides.
    pub fn wants_bytes(&self) -> bool {
        !self.has_content || self.text.is_some()
    }

    /// The decoded text, trimmed, whitespace folded.
    pub fn decoded_text(&self) -> Option<Cow<'_, str>> {
        let bytes = self.text.as_deref()?;
        let raw = crate::report::utf8(bytes);
        // The text is folded as it is read: unless a reference or a space other than ` `
        // is in it, decoding and folding again would change nothing but its ends.
        if let Cow::Borrowed(raw) = raw
            && !needs_decoding(raw)
        {
            return Some(Cow::Borrowed(raw.trim_matches(' ')));
        }
        let decoded = html_escape::decode_html_entities(&raw);
        Some(Cow::Owned(
            decoded.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    }
}

/// Whether folded text holds a reference or a space other than ` `. Only the lead bytes of
/// whitespace characters (ASCII, U+0085 and U+00A0, U+1680, U+2000–U+205F, U+3000) are
/// decoded: Chinese text has none of them but U+3000's, and is passed over a byte at a time.
fn needs_decoding(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'&' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => true,
        b if may_lead_blank(b) => text[i..].chars().next().is_some_and(char::is_whitespace),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_needed_exactly_for_references_and_other_spaces() {
        let slow = |t: &str| t.contains('&') || t.chars().any(|c| c.is_whitespace() && c != ' ');
        for t in [
            "plain text",
            "获取更多、。",
            "a&amp;b",
            "a\u{a0}b",
            "\u{3000}",
            "x\u{2028}",
            "\u{1680}",
            "\u{202f}",
            "\u{205f}",
            "\u{2060}",
            "é ü",
            "\u{e000}",
            "tab\there",
            "\u{85}",
            "—“”",
        ] {
            assert_eq!(needs_decoding(t), slow(t), "{t:?}");
        }
    }

    #[test]
    fn a_beginning_rules_out_only_what_decoding_cannot_change() {
        let seen = |text: &str| Seen {
            text: Some(text.as_bytes().to_vec()),
            ..Seen::default()
        };
        let prefixes = [b"\xe7\x9b\xb8\xe5\x85\xb3".to_vec(), b"ab".to_vec()]; // 相关, ab
        assert!(seen(" 正文").rules_out(&prefixes));
        assert!(seen("ax").rules_out(&prefixes));
        assert!(!seen(" 相").rules_out(&prefixes), "agrees so far");
        assert!(!seen("").rules_out(&prefixes));
        assert!(!seen("a").rules_out(&prefixes));
        // A reference or an odd space may decode to the prefix: undecided.
        assert!(!seen("&#x76f8;关").rules_out(&prefixes));
        assert!(!seen("\u{a0}ab").rules_out(&prefixes));
        // Past the longest prefix, what follows does not matter.
        assert!(seen("xyzuvw&amp;").rules_out(&prefixes));
        assert!(
            !seen("xy&amp;").rules_out(&prefixes),
            "the reference is within reach"
        );
    }
}
