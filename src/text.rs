//! Byte-level facts about UTF-8 text, shared by the stages that read it without decoding
//! every character: Chinese text is mostly bytes that none of them needs to look at.

use std::borrow::Cow;

/// Whether a `<` in `bytes` is followed by one of the bytes `next`: what a regex for a tag
/// (`(?i)<body[\s>/]`) needs before it can match, told without compiling it. A one-page
/// run asks it of most of its few `<`.
pub fn tag_may_start(bytes: &[u8], next: &[u8]) -> bool {
    memchr::memchr_iter(b'<', bytes).any(|at| bytes.get(at + 1).is_some_and(|b| next.contains(b)))
}

/// How many bytes at the start of `bytes` are not ASCII, eight at a time while all eight
/// are.
pub fn skip_non_ascii(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGH != HIGH {
            break;
        }
        n += 8;
    }
    n + bytes[n..].iter().take_while(|&&b| b >= 0x80).count()
}

/// Whether `b` can lead a non-ASCII whitespace character (U+0085 and U+00A0, U+1680,
/// U+2000–U+205F, U+3000): any other byte settles that no such character starts there.
pub const fn may_lead_blank(b: u8) -> bool {
    matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// Whether `b` is an ASCII byte that is whitespace (`char::is_whitespace`: space, tab, line
/// feed, vertical tab, form feed, carriage return).
const fn is_ascii_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The whitespace character (`char::is_whitespace`) at byte `i` of `s`, if one starts
/// there: its length in bytes.
fn blank_at(s: &str, i: usize) -> Option<usize> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return is_ascii_blank(b).then_some(1);
    }
    if !may_lead_blank(b) {
        return None;
    }
    let c = s.get(i..)?.chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// How many bytes of whitespace open `s`: `s.len() - s.trim_start().len()`, deciding
/// most bytes without decoding a character.
pub fn leading_blanks(s: &str) -> usize {
    let mut i = 0;
    while let Some(n) = blank_at(s, i) {
        i += n;
    }
    i
}

/// Where the first whitespace character of `s` starts: `s.find(char::is_whitespace)`,
/// deciding most bytes without decoding a character.
pub fn find_blank(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if is_ascii_blank(b) {
                return Some(i);
            }
        } else if may_lead_blank(b) && blank_at(s, i).is_some() {
            return Some(i);
        }
        // A continuation byte is never a lead byte that may be blank: it is passed over.
        i += 1;
    }
    None
}

/// `text` with its character references decoded. The decoder looks for `&` a byte at a
/// time; most texts have none, which SIMD finds first.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    match memchr::memchr(b'&', text.as_bytes()) {
        Some(_) => html_escape::decode_html_entities(text),
        None => Cow::Borrowed(text),
    }
}

/// `text.split_inclusive('\n')`, with each line's end found by SIMD: lines of HTML run
/// long, and every line of a document is looked at.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_as_split_inclusive_splits_them() {
        for text in [
            "", "a", "\n", "a\n", "a\nb", "a\n\nb\n", "\r\n\r\n", "中\n文",
        ] {
            let ours: Vec<&str> = lines(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn non_ascii_runs_are_measured() {
        assert_eq!(skip_non_ascii("字字字字a".as_bytes()), 12);
        assert_eq!(skip_non_ascii("a".as_bytes()), 0);
        assert_eq!(skip_non_ascii("".as_bytes()), 0);
    }

    #[test]
    fn every_blank_character_has_a_lead_byte_that_may_be_blank() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                let mut buf = [0; 4];
                assert!(
                    may_lead_blank(c.encode_utf8(&mut buf).as_bytes()[0]),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn blanks_are_found_as_the_standard_library_finds_them() {
        let texts: Vec<String> = [
            "",
            " ",
            "a",
            " a b ",
            "\u{3000}中文\u{a0}x",
            "中\u{85}文",
            "\t\r\n\x0b\x0cé",
            "x\u{2028}y\u{202f}",
            "\u{1680}\u{205f}z",
            "é\u{2c0}ë",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let check = |s: &str| {
            assert_eq!(leading_blanks(s), s.len() - s.trim_start().len(), "{s:?}");
            assert_eq!(find_blank(s), s.find(char::is_whitespace), "{s:?}");
        };
        texts.iter().for_each(|s| check(s));
        // Every character, alone and after a word.
        let mut s = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            s.clear();
            s.push(c);
            check(&s);
            s.insert(0, 'a');
            check(&s);
        }
    }

    #[test]
    fn references_are_decoded_where_there_are_any() {
        assert!(matches!(decode_entities("中文 plain"), Cow::Borrowed(_)));
        assert_eq!(decode_entities("a &amp; b&nbsp;"), "a & b\u{a0}");
    }
}
