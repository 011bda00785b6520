//! A block's text as it is read: whitespace folded, and only as much of it as the block
//! rules can read. A block longer than that is only known to be longer: what follows in
//! it is not read at all, and most paragraphs of an article are such blocks.

use crate::text::{
    blank_at, is_ascii_blank, leading_blanks, may_hold_blank, may_lead_blank, word_at,
};

/// What folding writes into a block: its text, its characters (counted up to the cap,
/// then only more than it) and those of them inside links. (The view's block lends its
/// own fields, so that this stage below the view needs nothing of it.)
pub(super) struct Fill<'b> {
    /// The folded text.
    pub text: &'b mut String,
    /// Its characters.
    pub chars: &'b mut usize,
    /// Those inside links.
    pub link_chars: &'b mut usize,
}

/// Folds text into a block: whitespace runs become one space, the ends are trimmed. Of a
/// block, only the first `cap` characters are read: past them its count stops (it is then
/// more than `cap`) and its text is not read further.
#[derive(Default)]
pub(super) struct Folder {
    /// A space is owed before the next character.
    space: bool,
    /// The last character read was link text: a space owed between it and link text is
    /// link text too (the spaces of a headline's words are its link's).
    link: bool,
}

impl Folder {
    /// Whitespace, or a break between words, stands here.
    pub fn space(&mut self) {
        self.space = true;
    }

    /// Adds `text` (inside a link if `in_link`) to the block, which `cap` characters fill.
    pub fn push(&mut self, block: Fill<'_>, text: &str, in_link: bool, cap: usize) {
        let Fill {
            text: folded,
            chars,
            link_chars,
        } = block;
        let mut rest = text;
        while !is_full(*chars, cap) {
            let blanks = leading_blanks(rest);
            if blanks > 0 {
                self.space = true;
            }
            rest = &rest[blanks..];
            if rest.is_empty() {
                return;
            }
            // A space between words is link text only between words of links: a link's
            // words are its text with their spaces (an English headline's share of its
            // line is the whole line), the spaces around a link are not.
            let space = usize::from(std::mem::take(&mut self.space) && *chars > 0);
            let Some(room) = (cap - *chars).checked_sub(space) else {
                *chars = cap + 1;
                return;
            };
            let run = Run::of(rest, room);
            if run.chars > room {
                *chars = cap + 1;
                return;
            }
            if space > 0 {
                folded.push(' ');
            }
            folded.push_str(&rest[..run.len]);
            *chars += space + run.chars;
            if in_link {
                *link_chars += run.chars + usize::from(space > 0 && self.link);
            }
            self.link = in_link;
            rest = &rest[run.len..];
        }
    }
}

/// Whether a block of `chars` characters has passed `cap`: nothing more of its text is read.
pub(super) fn is_full(chars: usize, cap: usize) -> bool {
    chars > cap
}

/// What folding leaves as it stands at the start of a text that opens with a visible
/// character: visible characters, and single spaces each between two of them.
#[derive(Debug, PartialEq)]
struct Run {
    /// Its length in bytes.
    len: usize,
    /// Its characters, spaces included; once past `room`, only more than that.
    chars: usize,
}

impl Run {
    /// The run `s` opens with, read until it ends or passes `room` characters. Eight bytes
    /// at a time where none of them may start whitespace (most of Chinese text), counted
    /// by their bytes that start a character, none decoded.
    fn of(s: &str, room: usize) -> Run {
        let bytes = s.as_bytes();
        let mut run = Run { len: 0, chars: 0 };
        let mut i = 0;
        while i < bytes.len() && run.chars <= room {
            let end = match word_at(bytes, i) {
                Some(word) if !may_hold_blank(word) => {
                    run.chars += lead_bytes(word);
                    i += 8;
                    continue;
                }
                Some(_) => i + 8,
                None => bytes.len(),
            };
            // A character at a time (it may pass `end`; the eight bytes may begin inside
            // one).
            while i < end {
                let b = bytes[i];
                if b < 0x80 {
                    // A space between two visible characters stays as it is.
                    if !(b == b' ' && i + 1 < bytes.len() && blank_at(s, i + 1).is_none())
                        && is_ascii_blank(b)
                    {
                        run.len = i;
                        return run;
                    }
                    run.chars += 1;
                    i += 1;
                } else if b < 0xC0 {
                    // It continues a character begun before these bytes.
                    i += 1;
                } else {
                    if may_lead_blank(b) && blank_at(s, i).is_some() {
                        run.len = i;
                        return run;
                    }
                    run.chars += 1;
                    i += utf8_len(b);
                }
            }
        }
        run.len = i;
        run
    }
}

/// The length of the character whose first byte is `b` (at least 0xC0).
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    }
}

/// How many of the eight bytes of `word` start a character: all but those that continue
/// one (`0b10xx_xxxx`).
fn lead_bytes(word: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte set where its top bit is clear or the bit below it is set.
    let leads = (!word | (word << 1)) & HIGH;
    // One per lead byte, summed into the top byte (at most 8).
    ((leads >> 7).wrapping_mul(ONES) >> 56) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a block holds of its text.
    #[derive(Default)]
    struct Folded {
        text: String,
        chars: usize,
        link_chars: usize,
    }

    impl Folded {
        fn fill(&mut self) -> Fill<'_> {
            Fill {
                text: &mut self.text,
                chars: &mut self.chars,
                link_chars: &mut self.link_chars,
            }
        }
    }

    /// The block that folding a word at a time makes: every whitespace run one space, the
    /// ends trimmed, a space link text only between two words of links.
    fn spelled_out(pieces: &[(&str, bool)]) -> (String, usize, usize) {
        let mut text = String::new();
        let mut link_chars = 0;
        let mut space = false;
        let mut last_in_link = false;
        for (piece, in_link) in pieces {
            let mut rest = *piece;
            loop {
                let trimmed = rest.trim_start();
                space |= trimmed.len() < rest.len();
                rest = trimmed;
                let Some(word) = rest
                    .split(char::is_whitespace)
                    .next()
                    .filter(|w| !w.is_empty())
                else {
                    break;
                };
                if std::mem::take(&mut space) && !text.is_empty() {
                    text.push(' ');
                    link_chars += usize::from(*in_link && last_in_link);
                }
                text.push_str(word);
                if *in_link {
                    link_chars += word.chars().count();
                }
                last_in_link = *in_link;
                rest = &rest[word.len()..];
            }
        }
        let chars = text.chars().count();
        (text, chars, link_chars)
    }

    #[test]
    fn runs_fold_as_every_whitespace_run_one_space() {
        let parts = [
            "",
            " ",
            "  ",
            "\t",
            "\n",
            "a",
            "ab",
            "字",
            "新闻",
            "\u{a0}",
            "\u{3000}",
            "\u{2028}",
            "é",
            "x y",
            "中 文",
            "abcdefgh",
            "汉字汉字汉字",
            " z",
            "q ",
            "\u{85}",
            "—",
            "。",
        ];
        let mut pieces = Vec::new();
        for &a in &parts {
            for &b in &parts {
                for &c in &parts {
                    pieces.push(format!("{a}{b}{c}"));
                }
            }
        }
        for (k, p) in pieces.iter().enumerate() {
            let q = &pieces[(k * 7919) % pieces.len()];
            let input = [(p.as_str(), k % 2 == 0), (q.as_str(), k % 3 == 0)];
            let (text, chars, link_chars) = spelled_out(&input);
            for cap in [0, 1, 2, 3, 5, 8, 13, 2000] {
                let mut block = Folded::default();
                let mut folder = Folder::default();
                for (piece, in_link) in input {
                    folder.push(block.fill(), piece, in_link, cap);
                }
                if chars > cap {
                    assert!(is_full(block.chars, cap), "{input:?} {cap}");
                } else {
                    let got = (block.text.as_str(), block.chars, block.link_chars);
                    assert_eq!(got, (text.as_str(), chars, link_chars), "{input:?} {cap}");
                }
            }
        }
    }

    #[test]
    fn lead_bytes_are_the_characters_that_start_in_eight_bytes() {
        let text = "a字é汉字 \u{1F600}zq—。xy";
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() - 8 {
            let word = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap());
            let leads = bytes[i..i + 8]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count();
            assert_eq!(lead_bytes(word), leads, "{i}");
        }
    }

    #[test]
    fn a_long_text_is_read_only_up_to_its_cap() {
        let long = "字".repeat(100_000);
        let mut block = Folded::default();
        Folder::default().push(block.fill(), &long, false, 300);
        assert!(is_full(block.chars, 300));
        assert!(block.text.is_empty());
        // Read eight bytes at a time, and no further than just past the room.
        let run = Run::of(&long, 10);
        assert!(run.chars > 10 && run.len <= 3 * 10 + 24, "{run:?}");
    }
}
