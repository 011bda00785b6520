//! Masking: a template line that differs from page to page only in a number, a date or a
//! link's target is one unit. Its text is cut into literal pieces and *slots*; pages agree
//! on a unit when they agree on the pieces and on the kinds of the slots, and each slot
//! remembers whether its value changed from page to page.

use regex::Regex;
use std::sync::LazyLock;

/// What a slot stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// A run of digits.
    Number,
    /// A date or a time of day.
    Date,
    /// A URL a reader sees as text.
    Url,
    /// The target of a Markdown link (`[text](target)`), which a reader does not see.
    Target,
}

impl Slot {
    /// The character that stands for the slot in a unit's key: from Unicode's private use
    /// area, which text does not use.
    fn mark(self) -> char {
        match self {
            Slot::Number => '\u{E000}',
            Slot::Date => '\u{E001}',
            Slot::Url => '\u{E002}',
            Slot::Target => '\u{E003}',
        }
    }

    /// The regex a slot whose value changes from page to page becomes.
    fn pattern(self) -> &'static str {
        match self {
            Slot::Number => r"\d[\d.,]*",
            // Link targets hold no spaces; lazily, so the `)` after them still matches.
            Slot::Target => r"\S*?",
            // Never learned when they change (see `Masked::changes_what_a_reader_sees`).
            Slot::Date | Slot::Url => r"\S+",
        }
    }
}

/// One piece of a masked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Slot(Slot, String),
}

/// A text cut into literal pieces and slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masked {
    pub pieces: Vec<Piece>,
}

static VISIBLE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?";
    Regex::new(&format!(
        r"(?P<url>https?://[^\s<>()\[\]{{}}'\x22，。、；）（]+)|(?P<date>\d{{4}}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|{month}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{month}\s+\d{{4}})|(?P<number>\d+(?:[.,]\d+)*)"
    ))
    .expect("the masking regex compiles")
});

/// Markdown links and images: `!` (an image), the text, the target and a title.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)((?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*)\)"#,
    )
    .expect("the link regex compiles")
});

impl Masked {
    /// Text a reader sees (an element's text): URLs, dates and numbers masked.
    pub fn text(s: &str) -> Masked {
        let mut m = Masked::default();
        m.push_visible(s);
        m
    }

    /// A Markdown line: link targets masked as well, but an image's address never (an
    /// image is its address; the article's own images differ on every page).
    pub fn markdown_line(line: &str) -> Masked {
        let mut m = Masked::default();
        let mut at = 0;
        for caps in LINK.captures_iter(line) {
            let (Some(whole), Some(text), Some(target)) = (caps.get(0), caps.get(2), caps.get(3))
            else {
                continue;
            };
            m.push_visible(&line[at..whole.start()]);
            if caps.get(1).is_some_and(|bang| !bang.is_empty()) {
                m.push_text(whole.as_str());
            } else {
                m.push_text("[");
                m.push_visible(text.as_str());
                m.push_text("](");
                m.pieces
                    .push(Piece::Slot(Slot::Target, target.as_str().to_string()));
                m.push_text(&line[target.end()..whole.end()]);
            }
            at = whole.end();
        }
        m.push_visible(&line[at..]);
        m
    }

    fn push_visible(&mut self, s: &str) {
        // Most text has no digit and no address: nothing to mask, no search.
        if !s.bytes().any(|b| b.is_ascii_digit()) && !s.contains("http") {
            self.push_text(s);
            return;
        }
        let mut at = 0;
        for caps in VISIBLE.captures_iter(s) {
            let Some(whole) = caps.get(0) else { continue };
            let slot = if caps.name("url").is_some() {
                Slot::Url
            } else if caps.name("date").is_some() {
                Slot::Date
            } else {
                Slot::Number
            };
            self.push_text(&s[at..whole.start()]);
            self.pieces
                .push(Piece::Slot(slot, whole.as_str().to_string()));
            at = whole.end();
        }
        self.push_text(&s[at..]);
    }

    fn push_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Text(last)) = self.pieces.last_mut() {
            last.push_str(s);
        } else {
            self.pieces.push(Piece::Text(s.to_string()));
        }
    }

    /// What pages must agree on: the literal pieces, and the slots by kind.
    pub fn key(&self) -> String {
        let mut key = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => key.push_str(t),
                Piece::Slot(slot, _) => key.push(slot.mark()),
            }
        }
        key
    }

    /// The values of the slots, in order.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Slot(_, v) => Some(v.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// The text as it was, slots filled in.
    pub fn original(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Slot(_, t) => t.as_str(),
            })
            .collect()
    }

    /// Letters in the literal pieces (Latin letters, Han characters, …): what the text says
    /// besides its numbers, dates, URLs and Markdown punctuation.
    pub fn letters(&self) -> (usize, bool) {
        let mut n = 0;
        let mut wide = false;
        for p in &self.pieces {
            if let Piece::Text(t) = p {
                for c in t.chars().filter(|c| c.is_alphabetic()) {
                    n += 1;
                    wide |= !c.is_ascii();
                }
            }
        }
        (n, wide)
    }

    /// Whether a slot whose value changes from page to page (`changed`, one flag a slot)
    /// is something a reader sees as the page's own: a date (a dateline) or a URL shown as
    /// text (a source line). Such units are the article's metadata, never learned.
    pub fn changes_what_a_reader_sees(&self, changed: &[bool]) -> bool {
        self.slots()
            .zip(changed)
            .any(|(slot, &changed)| changed && matches!(slot, Slot::Date | Slot::Url))
    }

    fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Slot(s, _) => Some(*s),
            Piece::Text(_) => None,
        })
    }

    /// A regex for the text: literal pieces escaped, slots whose value never changed as
    /// the value, the others as what their kind matches.
    pub fn pattern(&self, changed: &[bool]) -> String {
        self.spaced_pattern(changed, &[])
    }

    /// How the text begins: its first `n` characters (a slot counts as one), whitespace
    /// left out, and before each of them whether whitespace was there. None when the
    /// text is not much longer than that: its whole text says as much.
    pub fn prefix(&self, n: usize) -> Option<(Masked, Vec<bool>)> {
        self.window(0, n)
    }

    /// Where a fixed part could begin after a short head that changes from page to page
    /// (a poster's name): after whitespace or punctuation among the first `within`
    /// characters (whitespace aside, a slot counting as one), never after a date or a URL
    /// (a dateline, a source line). Each: how many characters come before it, and how many
    /// a reader sees there, whitespace included.
    pub fn heads(&self, within: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let (mut items, mut seen) = (0, 0);
        // Whether a boundary lies before the next item.
        let mut boundary = false;
        for p in &self.pieces {
            match p {
                Piece::Text(t) => {
                    for c in t.chars() {
                        if c.is_whitespace() {
                            boundary = items > 0;
                        } else {
                            if boundary && items <= within {
                                out.push((items, seen));
                            }
                            boundary = !c.is_alphanumeric();
                            items += 1;
                        }
                        seen += 1;
                    }
                }
                Piece::Slot(Slot::Date | Slot::Url, _) => return out,
                Piece::Slot(_, value) => {
                    if boundary && items <= within {
                        out.push((items, seen));
                    }
                    boundary = false;
                    items += 1;
                    seen += value.chars().count();
                }
            }
            if items > within {
                break;
            }
        }
        out
    }

    /// [`Masked::prefix`] of the text after its first `skip` characters (whitespace aside,
    /// a slot counting as one): `n` characters, and before each whether whitespace was
    /// there. None when the text is not much longer than that.
    pub fn window(&self, skip: usize, n: usize) -> Option<(Masked, Vec<bool>)> {
        let mut out = Masked::default();
        let mut spaces = Vec::new();
        let mut space = false;
        let mut rest = 0;
        let mut skipped = 0;
        for p in &self.pieces {
            if skipped < skip {
                match p {
                    Piece::Text(t) => {
                        let mut chars = t.chars();
                        for c in chars.by_ref() {
                            if !c.is_whitespace() {
                                skipped += 1;
                                if skipped == skip {
                                    break;
                                }
                            }
                        }
                        let left = chars.as_str();
                        if left.is_empty() {
                            continue;
                        }
                        // The rest of this piece is the window's.
                        take_chars(left, n, &mut out, &mut spaces, &mut space, &mut rest);
                    }
                    Piece::Slot(..) => skipped += 1,
                }
                continue;
            }
            if spaces.len() == n {
                rest += match p {
                    Piece::Text(t) => t.chars().filter(|c| !c.is_whitespace()).count(),
                    Piece::Slot(..) => 1,
                };
                continue;
            }
            match p {
                Piece::Text(t) => take_chars(t, n, &mut out, &mut spaces, &mut space, &mut rest),
                Piece::Slot(kind, value) => {
                    out.pieces.push(Piece::Slot(*kind, value.clone()));
                    spaces.push(std::mem::take(&mut space));
                }
            }
        }
        (spaces.len() == n && rest >= PREFIX_REST).then_some((out, spaces))
    }

    /// [`Masked::pattern`] for a prefix: `\s*` where any page had whitespace (`spaces`,
    /// one flag for each character and slot), and every number as a number (a notice's
    /// year changes with the years).
    pub fn spaced_pattern(&self, changed: &[bool], spaces: &[bool]) -> String {
        let mut out = String::new();
        let mut slot = 0;
        let mut item = 0;
        let space = |out: &mut String, item: &mut usize| {
            if spaces.get(*item).copied().unwrap_or(false) && *item > 0 {
                out.push_str(r"\s*");
            }
            *item += 1;
        };
        for p in &self.pieces {
            match p {
                Piece::Text(t) if spaces.is_empty() => out.push_str(&regex::escape(t)),
                Piece::Text(t) => {
                    for c in t.chars() {
                        space(&mut out, &mut item);
                        out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
                    }
                }
                Piece::Slot(kind, value) => {
                    if !spaces.is_empty() {
                        space(&mut out, &mut item);
                    }
                    let general = changed.get(slot).copied().unwrap_or(true)
                        || (!spaces.is_empty() && *kind == Slot::Number);
                    if general {
                        out.push_str(kind.pattern());
                    } else {
                        out.push_str(&regex::escape(value));
                    }
                    slot += 1;
                }
            }
        }
        out
    }
}

/// Characters a text must have after its prefix for the prefix to be a unit of its own.
const PREFIX_REST: usize = 4;

/// Takes the characters of `text` into a window of `n` ([`Masked::window`]): each one up to
/// `n` goes to `out` with whether whitespace came before it; past `n` they are only counted.
fn take_chars(
    text: &str,
    n: usize,
    out: &mut Masked,
    spaces: &mut Vec<bool>,
    space: &mut bool,
    rest: &mut usize,
) {
    for c in text.chars() {
        if c.is_whitespace() {
            *space = true;
        } else if spaces.len() < n {
            out.push_text(c.encode_utf8(&mut [0; 4]));
            spaces.push(std::mem::take(space));
        } else {
            *rest += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_urls_are_slots() {
        let a = Masked::text("阅读 123 次 2020年9月14日 https://a.example/1");
        let b = Masked::text("阅读 4567 次 2021年10月1日 https://a.example/2");
        assert_eq!(a.key(), b.key());
        assert_eq!(
            a.values().collect::<Vec<_>>(),
            ["123", "2020年9月14日", "https://a.example/1"]
        );
        assert_eq!(
            a.original(),
            "阅读 123 次 2020年9月14日 https://a.example/1"
        );
        assert_ne!(
            Masked::text("阅读 1 次").key(),
            Masked::text("阅读 1 回").key()
        );
    }

    #[test]
    fn link_targets_are_slots_but_images_are_kept_whole() {
        let a = Masked::markdown_line(
            "分享：[Twitter](https://t.example/s?u=1) ![](https://i.example/a.png)",
        );
        let b = Masked::markdown_line(
            "分享：[Twitter](https://t.example/s?u=2) ![](https://i.example/a.png)",
        );
        let c = Masked::markdown_line(
            "分享：[Twitter](https://t.example/s?u=2) ![](https://i.example/b.png)",
        );
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        let changed = [true];
        let re = Regex::new(&format!("^{}$", a.pattern(&changed))).unwrap();
        assert!(re.is_match(&b.original()));
        assert!(!re.is_match(&c.original()));
        assert!(!a.changes_what_a_reader_sees(&changed));
    }

    #[test]
    fn changing_dates_and_shown_urls_are_what_a_reader_sees() {
        let m = Masked::text("原文地址：https://a.example/1");
        assert!(m.changes_what_a_reader_sees(&[true]));
        assert!(!m.changes_what_a_reader_sees(&[false]));
        assert!(Masked::text("【大纪元2020年09月14日讯】").changes_what_a_reader_sees(&[true]));
        assert!(!Masked::text("第 3 页").changes_what_a_reader_sees(&[true]));
    }

    #[test]
    fn prefixes_leave_whitespace_out_and_say_where_it_was() {
        let (a, spaces_a) = Masked::text("© 2020年德国之声版权声明：本文所有内容受到保护")
            .prefix(8)
            .unwrap();
        let (b, spaces_b) = Masked::text("© 2021年 德国之声版权声明：本文所有内容受到保护")
            .prefix(8)
            .unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.original(), "©2020年德国之声版");
        let spaces: Vec<bool> = spaces_a.iter().zip(&spaces_b).map(|(x, y)| x | y).collect();
        let pattern = a.spaced_pattern(&[false], &spaces);
        assert_eq!(pattern, r"©\s*\d[\d.,]*年\s*德国之声版");
        let re = Regex::new(&format!("^{pattern}")).unwrap();
        assert!(re.is_match("© 2020年德国之声版权声明") && re.is_match("©1999年 德国之声版"));
        assert!(Masked::text("短短的一句话而已").prefix(8).is_none());
    }

    #[test]
    fn patterns_take_the_values_that_never_changed() {
        let m = Masked::text("共 3 页 (1.5) 1,000 Views");
        assert_eq!(m.values().collect::<Vec<_>>(), ["3", "1.5", "1,000"]);
        assert_eq!(
            m.pattern(&[true, false, true]),
            r"共 \d[\d.,]* 页 \(1\.5\) \d[\d.,]* Views"
        );
        assert_eq!(m.letters(), (7, true));
    }
}
