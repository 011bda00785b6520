//! Byte-level facts about UTF-8 text, shared by the stages that read it without decoding
//! every character: Chinese text is mostly bytes that none of them needs to look at.

use std::borrow::Cow;

/// Whether a `<` in `bytes` is followed by one of the bytes `next`: what a regex for a tag
/// (`(?i)<body[\s>/]`) needs before it can match, told without compiling it. A one-page
/// run asks it of most of its few `<`.
pub fn tag_may_start(bytes: &[u8], next: &[u8]) -> bool {
    memchr::memchr_iter(b'<', bytes).any(|at| bytes.get(at + 1).is_some_and(|b| next.contains(b)))
}

/// Where the first `<body>` start tag (in any case) of `html` begins, if it has one: what
/// `(?i)<body[\s>/]` finds, told by looking at each `<` (a few instructions each, where the
/// regex took about two a byte of the whole text).
pub fn body_tag_at(html: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', html).find(|&at| {
        let tag = &html[at + 1..];
        tag.len() > 4
            && tag[..4].eq_ignore_ascii_case(b"body")
            && matches!(tag[4], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
    })
}

/// How many bytes at the start of `bytes` are not ASCII, eight at a time while all eight
/// are.
pub fn skip_non_ascii(bytes: &[u8]) -> usize {
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
pub const fn is_ascii_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The whitespace character (`char::is_whitespace`) at byte `i` of `s`, if one starts
/// there: its length in bytes.
pub fn blank_at(s: &str, i: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return is_ascii_blank(b).then_some(1);
    }
    if !may_lead_blank(b) {
        return None;
    }
    // By their bytes, undecoded: U+0085 and U+00A0; the rest three bytes long.
    let blank = match (b, bytes.get(i + 1).copied(), bytes.get(i + 2).copied()) {
        (0xC2, Some(0x85 | 0xA0), _) => return Some(2),
        (_, Some(b1), Some(b2)) => is_blank_of_three(b, b1, b2),
        _ => false,
    };
    // Only at a character's start: `i` inside one starts none.
    (blank && s.is_char_boundary(i)).then_some(3)
}

/// Whether the three bytes `b0`, `b1`, `b2` spell a whitespace character three bytes long:
/// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F or U+3000.
pub const fn is_blank_of_three(b0: u8, b1: u8, b2: u8) -> bool {
    matches!(
        (b0, b1, b2),
        (0xE1, 0x9A, 0x80)
            | (0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)
            | (0xE2, 0x81, 0x9F)
            | (0xE3, 0x80, 0x80)
    )
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

/// Eight bytes at a time.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of eight bytes.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` below `n` (`n` at most 0x80), each flagged by its high bit: exact
/// up to the first one flagged (the borrows of the subtraction may flag bytes after it),
/// and none flagged says that no byte is below `n`. No byte is decoded.
const fn below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * n as u64) & !word & HIGH
}

/// The bytes of `word` that are 0xC2 or 0xE0–0xE3, flagged as [`below`] flags them: those
/// that may lead a non-ASCII whitespace character (a superset of [`may_lead_blank`]'s).
const fn blank_leads(word: u64) -> u64 {
    below(word ^ (ONES * 0xC2), 1) | below(word ^ (ONES * 0xE0), 4)
}

/// Whether some byte of `word` (eight bytes of text) may start a whitespace character: a
/// byte below 0x21, or one of 0xC2 and 0xE0–0xE3 (see [`blank_leads`]). False settles that
/// none of the eight does, which is most words of Chinese text.
pub const fn may_hold_blank(word: u64) -> bool {
    below(word, 0x21) | blank_leads(word) != 0
}

/// The bytes of `word` (eight bytes of text) that are ASCII or may lead a non-ASCII
/// whitespace character, each flagged by its high bit: exact up to the first byte flagged,
/// which the lowest bit set names; none set says that none of the eight is either.
pub const fn ascii_or_blank_leads(word: u64) -> u64 {
    (!word & HIGH) | blank_leads(word)
}

/// The eight bytes at `i`, if there are eight.
pub fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk = bytes.get(i..i + 8)?;
    Some(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
}

/// Where the first whitespace character of `s` starts: `s.find(char::is_whitespace)`,
/// deciding most bytes without decoding a character, eight at a time where none of eight
/// may start one.
pub fn find_blank(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time, each looked at only where one of them may start a blank.
        let end = match word_at(bytes, i) {
            Some(word) if !may_hold_blank(word) => {
                i += 8;
                continue;
            }
            Some(_) => i + 8,
            None => bytes.len(),
        };
        while i < end {
            let b = bytes[i];
            if b < 0x80 {
                if is_ascii_blank(b) {
                    return Some(i);
                }
            } else if may_lead_blank(b) && blank_at(s, i).is_some() {
                return Some(i);
            }
            // A continuation byte is never a lead byte that may be blank: passed over.
            i += 1;
        }
    }
    None
}

/// `s` with its whitespace folded: `s.split_whitespace().collect::<Vec<_>>().join(" ")`,
/// appended to `out`, most bytes decided eight at a time without decoding a character.
pub fn fold_blanks_into(s: &str, out: &mut String) {
    fold_into(s, out, false);
}

/// Folds `s` into `out`; with `breaks`, a run that holds a line break becomes `\n`.
fn fold_into(s: &str, out: &mut String, breaks: bool) {
    let mut rest = &s[leading_blanks(s)..];
    while !rest.is_empty() {
        let end = find_blank(rest).unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        let run = leading_blanks(rest);
        let broken = breaks
            && rest.as_bytes()[..run]
                .iter()
                .any(|&b| b == b'\n' || b == b'\r');
        rest = &rest[run..];
        if !rest.is_empty() {
            out.push(if broken { '\n' } else { ' ' });
        }
    }
}

/// [`fold_blanks`], but a run of whitespace that holds a line break becomes `\n`, not a
/// space: byte for byte as long, so that a place in one is the same place in the other.
pub fn fold_blanks_keeping_breaks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out, true);
    out
}

/// [`fold_blanks_into`] a new string.
pub fn fold_blanks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_blanks_into(s, &mut out);
    out
}

/// `text` with its character references decoded. The decoder looks for `&` a byte at a
/// time; most texts have none, which SIMD finds first.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    match memchr::memchr(b'&', text.as_bytes()) {
        Some(_) => html_escape::decode_html_entities(text),
        None => Cow::Borrowed(text),
    }
}

/// What the character references of a text may spell (see [`references`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum References {
    /// It has none.
    None,
    /// Only markup's own characters (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&nbsp;`): see
    /// [`is_markup_char`].
    Markup,
    /// Others (`&#x539F;`, `&copy;`): any character.
    Other,
}

/// Whether `c` is one that the references [`References::Markup`] counts spell.
pub fn is_markup_char(c: char) -> bool {
    matches!(c, '<' | '>' | '&' | '"' | '\'' | '\u{a0}')
}

/// What the character references of `text` may spell: a numeric reference, or a name that
/// ends with `;`, is one.
pub fn references(text: &str) -> References {
    let bytes = text.as_bytes();
    let mut found = References::None;
    for at in memchr::memchr_iter(b'&', bytes) {
        let rest = &bytes[at + 1..];
        if rest.first() == Some(&b'#') {
            return References::Other;
        }
        let name = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name == 0 || rest.get(name) != Some(&b';') {
            continue;
        }
        match &rest[..name] {
            b"lt" | b"gt" | b"amp" | b"quot" | b"apos" | b"nbsp" => found = References::Markup,
            _ => return References::Other,
        }
    }
    found
}

/// Whether `c` is a mark [`without_inline_markup`] may take out.
pub fn is_inline_mark(c: char) -> bool {
    matches!(
        c,
        '<' | '>' | '*' | '_' | '~' | '`' | '[' | ']' | '(' | ')' | '\\'
    )
}

/// A search for the next of some bytes in a haystack.
type Search = fn(&[u8]) -> Option<usize>;

/// How far past a `]` the `)` that ends a Markdown link's destination is looked for.
const MAX_DESTINATION: usize = 2048;

/// `text` as its blocks read it, for the literals of a pattern that reads them: without its
/// tags (`<b>原</b>文` reads 原文) and, in `markdown`, without the marks of emphasis, code,
/// strikethrough, escapes and links and a link's destination (`**原**文`, `[原](u)文`). An
/// autolink (`<https://…>`) is kept. What else it changes does not matter: only literals
/// are looked for in it, and a literal that holds a mark it takes out ([`is_inline_mark`])
/// is looked for in `text`. Linear: a tag that never ends stops the search for tags.
pub fn without_inline_markup(text: &str, markdown: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut pos, mut at) = (0, 0);
    let mut tags = true;
    // Where each of three SIMD searches found its next mark (`bytes.len()` for none), kept
    // while it lies ahead: each part of the text is searched once by each.
    let searches: [Search; 3] = if markdown {
        [
            |h| memchr::memchr3(b'<', b'*', b'_', h),
            |h| memchr::memchr3(b'~', b'`', b'\\', h),
            |h| memchr::memchr2(b'[', b']', h),
        ]
    } else {
        [|h| memchr::memchr(b'<', h), |_| None, |_| None]
    };
    let mark = |b: u8| {
        b == b'<' || (markdown && matches!(b, b'*' | b'_' | b'~' | b'`' | b'\\' | b'[' | b']'))
    };
    let mut found = [None::<usize>; 3];
    while at < bytes.len() && (tags || markdown) {
        // Marks often follow one another (`</b></p>`, `**`): the next byte is looked at
        // before any search.
        let mut i = bytes.len();
        if mark(bytes[at]) {
            i = at;
        } else {
            for (search, found) in searches.iter().zip(&mut found) {
                if found.is_none_or(|k| k < at) {
                    *found = Some(search(&bytes[at..]).map_or(bytes.len(), |k| at + k));
                }
                i = i.min(found.unwrap_or(bytes.len()));
            }
        }
        if i == bytes.len() {
            break;
        }
        let rest = &bytes[i + 1..];
        let end = match bytes[i] {
            b'<' if tags && starts_tag(rest) => match memchr::memchr(b'>', rest) {
                Some(k) => Some(i + 1 + k + 1),
                None => {
                    tags = false;
                    None
                }
            },
            b'<' => None,
            b']' if rest.first() == Some(&b'(') => {
                let window = &rest[1..rest.len().min(MAX_DESTINATION)];
                match memchr::memchr2(b')', b'\n', window) {
                    Some(k) if window[k] == b')' => Some(i + 2 + k + 1),
                    _ => Some(i + 1),
                }
            }
            _ => Some(i + 1),
        };
        match end {
            Some(end) => {
                // Every piece taken out begins and ends with an ASCII byte.
                out.push_str(&text[pos..i]);
                (pos, at) = (end, end);
            }
            None => at = i + 1,
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// Whether what follows a `<` makes it a tag: a name and then a blank, `/` or `>` (not an
/// autolink's scheme and colon), an end tag, a comment or a declaration.
fn starts_tag(rest: &[u8]) -> bool {
    match rest.first() {
        Some(b'/' | b'!' | b'?') => true,
        Some(b) if b.is_ascii_alphabetic() => {
            let name = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-');
            let after = rest.get(name.count());
            after.is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        }
        _ => false,
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

/// Whether a line is blank as CommonMark has it: spaces and tabs only (before its line
/// ending). A line of other white space (`&nbsp;`, U+3000) is text: it ends no HTML block.
pub fn is_blank_line(line: &str) -> bool {
    line.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The column that the spaces and tabs `blanks` reach from `column` (a tab reaches the
/// next multiple of four, as in Markdown).
pub fn column_after(blanks: &str, column: usize) -> usize {
    (blanks.bytes()).fold(
        column,
        |c, b| if b == b'\t' { c + 4 - c % 4 } else { c + 1 },
    )
}

/// The spaces and tabs that open `line`, when they make it a line of an indented code
/// block in Markdown: their length, if they reach four columns or more from `column`
/// before something that is not blank.
pub fn code_indent(line: &str, column: usize) -> Option<usize> {
    let len = line.len() - line.trim_start_matches([' ', '\t']).len();
    match line.as_bytes().get(len) {
        None | Some(b'\n' | b'\r') => None,
        Some(_) => (column_after(&line[..len], column) >= 4).then_some(len),
    }
}

/// Where the spaces and tabs that end `text` begin, when nothing else stands on its last
/// line (it ends at the start of a line, but for indentation).
pub fn indentation_start(text: &str) -> Option<usize> {
    let head = text.trim_end_matches([' ', '\t']);
    (head.is_empty() || head.ends_with('\n')).then_some(head.len())
}

/// Where the line of `at` starts, when only spaces and tabs stand before `at` on it (the
/// indentation of a block that begins at `at`); otherwise `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    indentation_start(&text[..at]).unwrap_or(at)
}

/// Whether a line that follows `text` in Markdown opens a block of its own, rather than
/// going on with the one before it: `text` is empty or ends with a blank line (spaces and
/// tabs already on the new line aside).
pub fn opens_block(text: &str) -> bool {
    match indentation_start(text) {
        None => false,
        Some(0) => true,
        // The line before is blank: it, too, ends at a line's start.
        Some(start) => indentation_start(text[..start - 1].trim_end_matches('\r')).is_some(),
    }
}

/// Splits YAML front matter (`---` … `---`) off the top; it is never rewritten.
pub fn split_front_matter(text: &str) -> (&str, &str) {
    let first_line_end = match text.find('\n') {
        Some(i) => i + 1,
        None => return ("", text),
    };
    if text[..first_line_end].trim_end() != "---" {
        return ("", text);
    }
    let mut pos = first_line_end;
    for line in lines(&text[first_line_end..]) {
        pos += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return text.split_at(pos);
        }
    }
    ("", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_start_tag_is_found_in_any_case_and_told_from_other_words() {
        assert_eq!(body_tag_at(b"<html><head></head><BODY class=x>"), Some(19));
        assert_eq!(body_tag_at(b"<p>x</p><body>"), Some(8));
        assert_eq!(
            body_tag_at(b"<tbody><tr></tr></tbody></body> nobody <bodyx> <body"),
            None
        );
    }

    #[test]
    fn a_blank_is_what_char_is_whitespace_says_of_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("{c}x");
            let expected = c.is_whitespace().then(|| c.len_utf8());
            assert_eq!(blank_at(&s, 0), expected, "{:?}", c);
            assert_eq!(blank_at(&s, s.len() - 1), None);
        }
        assert_eq!(blank_at("\u{3000}", 1), None);
        assert_eq!(blank_at("\u{e2}", 0), None);
    }

    #[test]
    fn blank_is_spaces_and_tabs_only() {
        for (line, blank) in [
            ("", true),
            (" \t\r\n", true),
            ("\n", true),
            ("\u{b}\n", false),
            ("\u{3000}\u{a0}\n", false),
            (" \u{a0}", false),
            (" x\n", false),
            ("<p>", false),
        ] {
            assert_eq!(is_blank_line(line), blank, "{line:?}");
        }
    }

    #[test]
    fn code_indent_is_four_columns_before_content() {
        assert_eq!(code_indent("    <p>x</p>\n", 0), Some(4));
        assert_eq!(code_indent("\t<p>", 0), Some(1));
        assert_eq!(code_indent("  \t<p>", 0), Some(3));
        assert_eq!(code_indent("   <p>", 0), None);
        assert_eq!(code_indent("  <p>", 2), Some(2));
        assert_eq!(code_indent("<p>", 4), Some(0));
        assert_eq!(code_indent("      \n", 0), None);
        assert_eq!(code_indent("     ", 0), None);
        assert_eq!((column_after(" \t ", 0), column_after("\t", 2)), (5, 4));
    }

    #[test]
    fn a_blocks_line_starts_before_its_indentation() {
        let text = "a\n\n    code\n  b c";
        assert_eq!(line_start(text, 7), 3);
        assert_eq!(line_start(text, 3), 3);
        assert_eq!(line_start(text, 14), 12);
        assert_eq!(line_start(text, 16), 16);
        assert_eq!(line_start("  x", 2), 0);
    }

    #[test]
    fn a_line_opens_a_block_after_a_blank_line() {
        for (text, opens) in [
            ("", true),
            ("  ", true),
            ("a\n\n", true),
            ("a\n \t\n  ", true),
            ("a\r\n\r\n", true),
            ("\n", true),
            ("a\n", false),
            ("a\n  ", false),
            ("a", false),
            ("a\n\nb", false),
        ] {
            assert_eq!(opens_block(text), opens, "{text:?}");
        }
    }

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
    fn inline_markup_is_taken_out_as_blocks_read_it() {
        let html =
            "<p><b>原</b>文<!-- c -->地址 a < b <https://x.example/a> <a href=\"u\">**x**</a>";
        assert_eq!(
            without_inline_markup(html, false),
            "原文地址 a < b <https://x.example/a> **x**"
        );
        let md = "**原**文_地_\\[址\\] [原文](https://e.example/(a)) `x` ~~y~~ ](\n) <b";
        assert_eq!(
            without_inline_markup(md, true),
            "原文地址 原文) x y (\n) <b"
        );
        // A tag that never ends: no later `<` starts one, and each is looked at once.
        let open = "<a x ".repeat(1000);
        assert_eq!(without_inline_markup(&open, false), open);
    }

    #[test]
    fn references_are_told_apart_by_what_they_spell() {
        assert_eq!(references("a & b &c d&"), References::None);
        assert_eq!(references("a &lt;b&gt; &amp;&nbsp;"), References::Markup);
        assert_eq!(references("&lt; &#x539F;"), References::Other);
        assert_eq!(references("&#"), References::Other);
        assert_eq!(references("&copy;"), References::Other);
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
            let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(fold_blanks(s), folded, "{s:?}");
            // And where a word of eight bytes reads it.
            let long = format!("中文字 {s}\u{3000}汉字汉字汉字 {s}{s}");
            assert_eq!(
                find_blank(&long[9..]),
                long[9..].find(char::is_whitespace),
                "{s:?}"
            );
            let folded = long.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(fold_blanks(&long), folded, "{s:?}");
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
    fn eight_bytes_without_a_blank_lead_are_told_apart() {
        let lead = |b: u8| b < 0x21 || b == 0xC2 || (0xE0..=0xE3).contains(&b);
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for round in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Bytes drawn near the edges of the classes as often as anywhere.
            let edges = [
                0x00, 0x09, 0x0D, 0x20, 0x21, 0x7F, 0x80, 0xC1, 0xC2, 0xC3, 0xDF, 0xE0, 0xE3, 0xE4,
                0xFF,
            ];
            let mut bytes = seed.to_le_bytes();
            if round % 2 == 0 {
                for (k, b) in bytes.iter_mut().enumerate() {
                    *b = edges[((seed >> (k * 4)) & 0xF) as usize % edges.len()];
                }
            }
            let word = u64::from_le_bytes(bytes);
            assert_eq!(
                may_hold_blank(word),
                bytes.iter().any(|&b| lead(b)),
                "{bytes:x?}"
            );
        }
    }

    #[test]
    fn references_are_decoded_where_there_are_any() {
        assert!(matches!(decode_entities("中文 plain"), Cow::Borrowed(_)));
        assert_eq!(decode_entities("a &amp; b&nbsp;"), "a & b\u{a0}");
    }
}
