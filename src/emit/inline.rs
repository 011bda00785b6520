//! Running text with HTML's whitespace folding, CJK-aware: a line break between two wide
//! (East Asian) characters disappears instead of becoming a space (CSS Text, segment break
//! transformation), so prettified HTML leaves no stray spaces inside Chinese text, while
//! Latin words keep theirs.

/// Whether `c` is an East Asian wide or fullwidth character (Han, kana, Hangul, CJK
/// punctuation and fullwidth forms).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F200..=0x1F2FF | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD)
}

/// Characters that belong to the Chinese text around them although Unicode does not call
/// them wide: curly quotes, ellipsis and dashes as Chinese typesetting uses them.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2026}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{00B7}'
    )
}

/// Characters `push_char` treats specially: Markdown syntax to escape, the no-break space.
fn is_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '#' | '-' | '+' | '=' | '\u{a0}'
    )
}

/// What a byte says of the character it starts or continues: 0 ordinary (or a later byte
/// of a character), 1 whitespace or special, 2 decide on the whole character (a lead byte
/// that may begin a non-ASCII space, U+00A0 among them: `text::may_lead_blank`).
const BYTE_KIND: [u8; 256] = {
    let mut kinds = [0u8; 256];
    let stops = b"\t\n\x0b\x0c\r \\*_`[]<>|#-+=";
    let mut i = 0;
    while i < stops.len() {
        kinds[stops[i] as usize] = 1;
        i += 1;
    }
    let mut b = 0x80;
    while b < 256 {
        if crate::text::may_lead_blank(b as u8) {
            kinds[b] = 2;
        }
        b += 1;
    }
    kinds
};

/// How many bytes at the start of `s` are ordinary characters (neither whitespace nor
/// special), or single spaces each followed by one: what [`Inline::text`] writes as it
/// stands after a visible character. Non-ASCII text is read eight bytes at a time without
/// decoding, up to the first byte that is ASCII or may start a space (see
/// `text::ascii_or_blank_leads`); the rest a byte at a time (see `BYTE_KIND`).
fn visible_run(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b >= 0x80 {
            // A byte the mask flags is ASCII or a character's first: `i` stops on one, or
            // (past the last whole word) in a character the bytes below step through.
            let from = i;
            while let Some(word) = crate::text::word_at(bytes, i) {
                let stop = crate::text::ascii_or_blank_leads(word);
                if stop != 0 {
                    i += stop.trailing_zeros() as usize / 8;
                    break;
                }
                i += 8;
            }
            if i > from {
                continue;
            }
        }
        match BYTE_KIND[b as usize] {
            0 => i += 1,
            // A space between two visible characters is written as it is.
            1 if b == b' '
                && bytes
                    .get(i + 1)
                    .is_some_and(|&n| BYTE_KIND[n as usize] == 0) =>
            {
                i += 2
            }
            1 => return i,
            _ => {
                let ordinary = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
                    // Chinese punctuation (U+2000 to U+3FFF: quotes, dashes, `。`, `、`,
                    // `《》`) told from the spaces among it by its bytes, not decoded; none of
                    // U+2000 to U+3FFF is special (see the tests).
                    (0xE2 | 0xE3, Some(&b1), Some(&b2)) => {
                        (!crate::text::is_blank_of_three(b, b1, b2)).then_some(3)
                    }
                    _ => {
                        let c = s[i..].chars().next().unwrap_or_default();
                        (!c.is_whitespace() && !is_special(c)).then(|| c.len_utf8())
                    }
                };
                match ordinary {
                    Some(len) => i += len,
                    None => return i,
                }
            }
        }
    }
    i
}

/// ASCII's whitespace characters (those `char::is_whitespace` says are).
fn is_ascii_blank(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Inline content being assembled, with whitespace held back until the next visible
/// character decides what it becomes.
#[derive(Debug, Default)]
pub struct Inline {
    pub out: String,
    /// Pending whitespace: whether it held a line break, and where a space would go.
    pending: Option<(bool, usize)>,
    last_visible: Option<char>,
    /// The run of ASCII letters and digits that ends at `last_visible` has a letter (it is a
    /// Latin word like `G7`, not a number like `24`).
    latin_word: bool,
    escape: bool,
}

impl Inline {
    pub fn new(escape_markdown: bool) -> Inline {
        Inline::in_buffer(escape_markdown, String::new())
    }

    /// Inline content made in `buffer`, emptied: its room is used again.
    pub fn in_buffer(escape_markdown: bool, mut buffer: String) -> Inline {
        buffer.clear();
        Inline {
            out: buffer,
            escape: escape_markdown,
            ..Inline::default()
        }
    }

    /// The buffer the content was made in, to make more in.
    pub fn into_buffer(self) -> String {
        self.out
    }

    pub fn text(&mut self, text: &str) {
        // Room for it at once: folded, it takes about as much (a space or an escape more).
        self.out.reserve(text.len() + 1);
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            // Whitespace waits for the next visible character: a run of ASCII's at once.
            if is_ascii_blank(b) {
                let run = bytes[i..]
                    .iter()
                    .take_while(|&&b| is_ascii_blank(b))
                    .count();
                let newline = bytes[i..i + run].iter().any(|&b| b == b'\n' || b == b'\r');
                self.wait(newline);
                i += run;
                continue;
            }
            let c = if b < 0x80 {
                char::from(b)
            } else {
                text[i..].chars().next().unwrap_or_default()
            };
            i += c.len_utf8();
            if c.is_whitespace() && c != '\u{a0}' {
                self.wait(false);
                continue;
            }
            self.resolve(Some(c));
            self.push_char(c);
            // What follows it with nothing to decide goes in at once.
            let run = visible_run(&text[i..]);
            if run > 0 {
                self.push_run(&text[i..i + run]);
                i += run;
            }
        }
    }

    /// Whitespace, with a line break or not: pending until the next visible character.
    fn wait(&mut self, newline: bool) {
        let at = self.out.len();
        let (nl, pos) = self.pending.unwrap_or((false, at));
        self.pending = Some((nl || newline, pos));
    }

    /// Visible characters, none of them special, and single spaces between them, right
    /// after a visible character.
    fn push_run(&mut self, run: &str) {
        self.out.push_str(run);
        // The word that ends the run is Latin if its ASCII letters-and-digits tail has a
        // letter, counting the part before the run when the tail reaches back into it.
        // Spaces do not end the tail: whitespace between two visible characters leaves
        // what the first says of the word as it was (see `resolve`).
        let tail = run
            .bytes()
            .rposition(|b| !(b.is_ascii_alphanumeric() || b == b' '))
            .map_or(0, |p| p + 1);
        let has_letter = run.as_bytes()[tail..].iter().any(u8::is_ascii_alphabetic);
        self.latin_word = tail < run.len()
            && (has_letter
                || (tail == 0
                    && self.latin_word
                    && self.last_visible.is_some_and(|p| p.is_ascii_alphanumeric())));
        self.last_visible = run.chars().next_back();
    }

    fn push_char(&mut self, c: char) {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if self.escape && matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|') {
            self.out.push('\\');
        }
        if self.escape && self.out.is_empty() && matches!(c, '#' | '-' | '+' | '=') {
            self.out.push('\\');
        }
        self.out.push(c);
        let continues = self.last_visible.is_some_and(|p| p.is_ascii_alphanumeric());
        self.latin_word = c.is_ascii_alphanumeric()
            && (c.is_ascii_alphabetic() || (continues && self.latin_word));
        self.last_visible = Some(c);
    }

    /// Whether a line break between `prev` and `next` joins them: both wide, or one wide
    /// and the other Chinese punctuation or a number (not a Latin word).
    fn joins(&self, prev: char, next: char) -> bool {
        let prev_cjkish = is_wide(prev)
            || is_cjk_punctuation(prev)
            || (prev.is_ascii_digit() && !self.latin_word);
        let next_cjkish = is_wide(next) || is_cjk_punctuation(next) || next.is_ascii_digit();
        (is_wide(prev) && next_cjkish) || (is_wide(next) && prev_cjkish)
    }

    /// Decides pending whitespace now that `next` follows it (None: nothing visible does).
    fn resolve(&mut self, next: Option<char>) {
        let Some((newline, at)) = self.pending.take() else {
            return;
        };
        let Some(prev) = self.last_visible else {
            return;
        };
        let Some(next) = next else {
            return;
        };
        if newline && self.joins(prev, next) {
            return;
        }
        self.out.insert(at, ' ');
    }

    /// Markup that opens a span (`[`, `**`): pending whitespace stays before it.
    pub fn open(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Markup that closes a span (`](url)`): pending whitespace moves after it.
    pub fn close(&mut self, markup: &str) {
        match self.pending {
            Some((nl, at)) => {
                let trailing_ws_start = at;
                self.out.insert_str(trailing_ws_start, markup);
                self.pending = Some((nl, at + markup.len()));
            }
            None => self.out.push_str(markup),
        }
    }

    /// Something visible that is not a character (an image): it resolves whitespace like
    /// a Latin letter would.
    pub fn atom(&mut self, markup: &str) {
        self.resolve(Some('x'));
        self.out.push_str(markup);
        self.last_visible = Some('x');
    }

    /// A hard line break.
    pub fn line_break(&mut self, markup: &str) {
        self.pending = None;
        if !self.out.is_empty() {
            self.out.push_str(markup);
            self.last_visible = None;
        }
    }

    /// The content, trimmed; pending whitespace at the end is dropped.
    pub fn finish(self) -> String {
        let mut out = self.out;
        let end = out.trim_end_matches(['\\', '\n', ' ']).len();
        out.truncate(end);
        // Trimmed in place: the blocks of a document are most of its rendering's bytes.
        let start = end - out.trim_start().len();
        out.drain(..start);
        out
    }

    pub fn is_blank(&self) -> bool {
        self.out.trim().is_empty()
    }
}

/// Plain text folded the way [`Inline`] folds it: for captions and titles.
pub fn fold_text(s: &str) -> String {
    let mut i = Inline::new(false);
    i.text(s);
    i.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `visible_run` says, spelled out: ordinary characters, and single spaces each
    /// followed by one that is surely ordinary by its first byte (see `BYTE_KIND`).
    fn spelled_out(s: &str) -> usize {
        let ordinary = |c: char| !c.is_whitespace() && !is_special(c);
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if ordinary(c) {
                continue;
            }
            if c == ' '
                && let Some(&(_, n)) = chars.peek()
                && BYTE_KIND[n.to_string().as_bytes()[0] as usize] == 0
            {
                continue;
            }
            return i;
        }
        s.len()
    }

    #[test]
    fn visible_runs_end_at_whitespace_and_special_characters() {
        for s in [
            "",
            "abc",
            "abc def",
            "abc  def",
            "abc \ndef",
            "abc ",
            "a b c d e f g h i j",
            "中文。中文",
            "中文 中文",
            "中文\u{3000}x",
            "中\u{a0}文",
            "a\u{2009}b",
            "a \u{2009}b",
            "a “b”",
            "é#x",
            "“引号”|x",
            "字\u{85}",
            "ÀÁ*",
            "\u{1680}",
            "x\u{202f}y",
            "一二三-四",
            "x -y",
        ] {
            assert_eq!(visible_run(s), spelled_out(s), "{s:?}");
        }
        // Every character, alone, after an ordinary one and after a space.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [
                format!("字{c}"),
                format!("字 {c}"),
                format!("a {c}b"),
                format!("中文中文{c}中文中文"),
            ] {
                assert_eq!(visible_run(&s), spelled_out(&s), "{c:?}");
            }
        }
    }

    #[test]
    fn the_blanks_from_u2000_are_told_by_their_bytes() {
        for c in ('\u{2000}'..='\u{3FFF}').filter(|c| c.len_utf8() == 3) {
            let mut b = [0; 4];
            let b = c.encode_utf8(&mut b).as_bytes();
            assert_eq!(
                crate::text::is_blank_of_three(b[0], b[1], b[2]),
                c.is_whitespace(),
                "{c:?}"
            );
            assert!(!is_special(c));
        }
    }

    /// [`Inline::text`] a character at a time: what the runs must come to.
    fn text_by_chars(inline: &mut Inline, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                inline.wait(c == '\n' || c == '\r');
                continue;
            }
            inline.resolve(Some(c));
            inline.push_char(c);
        }
    }

    #[test]
    fn text_in_runs_is_text_a_character_at_a_time() {
        let pieces = [
            "a", "Z", "7", " ", "  ", "\n", "\r\n", "\t", "中", "文", "。", "“", "”", "-", "#",
            "*", "\u{a0}", "\u{3000}", "\u{2009}", "é", "G7", "24", "x_y", "[", "]",
        ];
        // Every sequence of up to three pieces, split into two calls at every character,
        // with markup between.
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = (texts.iter())
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        texts.sort();
        texts.dedup();
        for text in &texts {
            for escape in [false, true] {
                for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    let (a, b) = text.split_at(at);
                    let (mut runs, mut chars) = (Inline::new(escape), Inline::new(escape));
                    for (piece, markup) in [(a, "["), (b, "](u)")] {
                        runs.text(piece);
                        text_by_chars(&mut chars, piece);
                        runs.close(markup);
                        chars.close(markup);
                    }
                    runs.text("1\n字");
                    text_by_chars(&mut chars, "1\n字");
                    assert_eq!(
                        (&runs.out, runs.pending, runs.last_visible, runs.latin_word),
                        (
                            &chars.out,
                            chars.pending,
                            chars.last_visible,
                            chars.latin_word
                        ),
                        "{a:?} {b:?}"
                    );
                }
            }
        }
    }

    fn fold(parts: &[&str]) -> String {
        let mut i = Inline::new(false);
        for p in parts {
            i.text(p);
        }
        i.finish()
    }

    #[test]
    fn line_breaks_between_chinese_characters_vanish() {
        assert_eq!(
            fold(&["\n 周三（5月24日）\n 俄罗斯总理\n 在访问"]),
            "周三（5月24日）俄罗斯总理在访问"
        );
    }

    #[test]
    fn latin_words_keep_their_spaces() {
        assert_eq!(
            fold(&["Mikhail\n  Mishustin  said"]),
            "Mikhail Mishustin said"
        );
        assert_eq!(
            fold(&["俄国总理\n Mikhail\n 访华"]),
            "俄国总理 Mikhail 访华"
        );
    }

    #[test]
    fn chinese_quotes_and_numbers_join_latin_words_do_not() {
        assert_eq!(
            fold(&["俄方则称中俄“\n  一起反对西方\n  ”。"]),
            "俄方则称中俄“一起反对西方”。"
        );
        assert_eq!(fold(&["习近平\n  5月24日在北京"]), "习近平5月24日在北京");
        assert_eq!(fold(&["与\n G7\n 对峙"]), "与 G7 对峙");
        assert_eq!(fold(&["He said\n “yes”"]), "He said “yes”");
    }

    #[test]
    fn real_spaces_between_chinese_stay_one_space() {
        assert_eq!(fold(&["不顾西方反对   俄中签署"]), "不顾西方反对 俄中签署");
    }

    #[test]
    fn whitespace_across_link_markup() {
        let mut i = Inline::new(true);
        i.text("中共总理\n ");
        i.open("[");
        i.text("\n  李强\n ");
        i.close("](u)");
        i.text("\n 则表示");
        assert_eq!(i.finish(), "中共总理[李强](u)则表示");
        let mut i = Inline::new(true);
        i.text("see ");
        i.open("[");
        i.text("the link ");
        i.close("](u)");
        i.text("now");
        assert_eq!(i.finish(), "see [the link](u) now");
    }

    #[test]
    fn markdown_characters_are_escaped() {
        let mut i = Inline::new(true);
        i.text("# a*b_[c]<d>");
        assert_eq!(i.finish(), "\\# a\\*b\\_\\[c\\]\\<d\\>");
    }
}
