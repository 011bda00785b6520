//! The pairs of adjacent bytes a short text holds, read once, so that the patterns asked
//! about it are ruled out by their required literals without a search for each.
//!
//! A block the rendered formats read facts from is asked about the several rules that look
//! near it, each by a search for its literals (`LazyRegex::may_match`): in Chinese text
//! such a search costs about three instructions a byte for each rule (the rarest bytes of
//! a literal are common ones), and a block is asked about up to seven. A literal is in a
//! text only if each pair of its adjacent bytes is: noting the text's pairs costs about
//! as much as one search, and telling a literal absent then takes a look or two.

use std::cell::Cell;

/// Every pair of bytes, each marked with the round (the text) it was last seen in.
type Rounds = [u16; 1 << 16];

thread_local! {
    /// The thread's table, while no [`Pairs`] holds it: made once a thread, not once a
    /// document (it is 128 KiB, and zeroing it would cost more than it saves).
    static SPARE: Cell<Option<Box<Table>>> = const { Cell::new(None) };
}

struct Table {
    seen: Box<Rounds>,
    /// The round of the text read last.
    round: u16,
}

impl Table {
    fn new() -> Box<Table> {
        let seen: Box<[u16]> = vec![0; 1 << 16].into_boxed_slice();
        Box::new(Table {
            seen: seen.try_into().expect("one entry for each pair of bytes"),
            round: 0,
        })
    }
}

/// The thread's table of byte pairs, for one text after another; handed back to the
/// thread when dropped.
pub(crate) struct Pairs(Option<Box<Table>>);

/// A text whose byte pairs were read: what [`LazyRegex::may_match_in`](super::LazyRegex)
/// asks about.
#[derive(Clone, Copy)]
pub(crate) struct Paired<'t> {
    pub(super) text: &'t str,
    table: &'t Table,
}

impl Pairs {
    /// The thread's table (a new one if another `Pairs` of the thread holds it).
    pub(crate) fn new() -> Pairs {
        Pairs(Some(SPARE.take().unwrap_or_else(Table::new)))
    }

    /// Reads the byte pairs of `text`, forgetting the text read before.
    pub(crate) fn read<'t>(&'t mut self, text: &'t str) -> Paired<'t> {
        let table = self.0.get_or_insert_with(Table::new);
        table.round = table.round.wrapping_add(1);
        // A round seen again after 65,535 texts: every mark is cleared first.
        if table.round == 0 {
            table.seen.fill(0);
            table.round = 1;
        }
        // The table itself, not the box that holds it: the box's address is then not read
        // again after each mark (a mark could have changed it, as far as the compiler knows).
        let (seen, round): (&mut Rounds, u16) = (&mut table.seen, table.round);
        let bytes = text.as_bytes();
        // Eight pairs from nine bytes read as a word and the byte after it.
        let mut i = 0;
        while let Some(nine) = bytes.get(i..i + 9) {
            let word = u64::from_le_bytes(nine[..8].try_into().expect("eight bytes"));
            for k in 0..7 {
                seen[usize::from((word >> (8 * k)) as u16)] = round;
            }
            seen[usize::from(u16::from_le_bytes([(word >> 56) as u8, nine[8]]))] = round;
            i += 8;
        }
        for pair in bytes[i..].windows(2) {
            seen[usize::from(u16::from_le_bytes([pair[0], pair[1]]))] = round;
        }
        Paired { text, table }
    }
}

impl Drop for Pairs {
    fn drop(&mut self) {
        SPARE.set(self.0.take());
    }
}

impl Paired<'_> {
    /// Whether the text may hold `literal` (ASCII letters in either case when
    /// `ascii_case`): false only when a pair of its adjacent bytes is not in the text.
    pub(super) fn may_hold(&self, literal: &[u8], ascii_case: bool) -> bool {
        literal.windows(2).all(|pair| match ascii_case {
            false => self.holds(pair[0], pair[1]),
            true => (cases(pair[0]).iter().flatten())
                .any(|&a| (cases(pair[1]).iter().flatten()).any(|&b| self.holds(a, b))),
        })
    }

    fn holds(&self, a: u8, b: u8) -> bool {
        self.table.seen[usize::from(u16::from_le_bytes([a, b]))] == self.table.round
    }
}

/// `b`, and `b` in the other case when it is an ASCII letter.
fn cases(b: u8) -> [Option<u8>; 2] {
    [Some(b), b.is_ascii_alphabetic().then_some(b ^ 0x20)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_is_ruled_out_only_when_a_pair_of_it_is_missing() {
        let mut pairs = Pairs::new();
        let text = "本文转载自 BBC News";
        let paired = pairs.read(text);
        for (literal, ascii_case) in [
            ("转载自", false),
            ("BBC", false),
            ("bbc", true),
            ("NEWS", true),
            ("", false),
            ("x", false),
            ("本", false),
        ] {
            assert!(paired.may_hold(literal.as_bytes(), ascii_case), "{literal}");
        }
        for (literal, ascii_case) in [("原文", false), ("bbc", false), ("BBCN", true)] {
            assert!(
                !paired.may_hold(literal.as_bytes(), ascii_case),
                "{literal}"
            );
        }
    }

    #[test]
    fn a_text_read_forgets_the_one_before() {
        let mut pairs = Pairs::new();
        pairs.read("原文链接");
        assert!(!pairs.read("来源").may_hold("原文".as_bytes(), false));
        // The rounds come round again after 65,535 texts: the marks of the text read that
        // many texts before are not taken for the new text's.
        pairs.read("原文");
        for _ in 1..u16::MAX {
            pairs.read("来");
        }
        assert!(!pairs.read("来源").may_hold("原文".as_bytes(), false));
    }
}
