//! In-band markers between the lol_html handlers and the output sink.
//!
//! Handlers cannot undo what lol_html has already written, and they never learn that an
//! element was closed implicitly. So handlers do not delete: they write markers around the
//! elements a rule targets, and the sink, which sees the output in order, holds a marked
//! element until its end marker arrives and only then drops it. A marker is
//! `\x01 NONCE OP A . B \x02`; the nonce is fresh for every cleaner, so input bytes can never
//! pose as a marker.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

pub const START: u8 = 0x01;
const END: u8 = 0x02;
const NONCE_LEN: usize = 8;
/// The longest marker: start, nonce, op, two u32 numbers, separator, end.
pub const MAX_LEN: usize = 1 + NONCE_LEN + 1 + 10 + 1 + 10 + 1;

/// What a marker tells the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// An element targeted by rule `a` starts; `b` names this occurrence.
    Open,
    /// Occurrence `b` has ended.
    Close,
    /// Tags were removed here: whitespace left on both sides may be joined.
    Join,
    /// Markdown block `b` stands here (Markdown input only).
    Block,
    /// The blank lines after block `b` stand here (Markdown input only).
    Gap,
    /// A `keep-only` region starts: what follows is kept, up to the region's end.
    RegionStart,
    /// The region has ended: what follows goes, up to the next region.
    RegionEnd,
}

impl Op {
    fn code(self) -> u8 {
        match self {
            Op::Open => b'O',
            Op::Close => b'C',
            Op::Join => b'J',
            Op::Block => b'P',
            Op::Gap => b'G',
            Op::RegionStart => b'R',
            Op::RegionEnd => b'E',
        }
    }

    fn from_code(c: u8) -> Option<Op> {
        Some(match c {
            b'O' => Op::Open,
            b'C' => Op::Close,
            b'J' => Op::Join,
            b'P' => Op::Block,
            b'G' => Op::Gap,
            b'R' => Op::RegionStart,
            b'E' => Op::RegionEnd,
            _ => return None,
        })
    }
}

/// The result of looking for a marker at the start of a byte slice.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// A marker of `len` bytes.
    Marker { op: Op, a: u32, b: u32, len: usize },
    /// The slice ends inside what may still become a marker.
    Incomplete,
    /// Not one of ours: treat the first byte as content.
    NotMarker,
}

#[derive(Debug, Clone)]
pub struct Markers {
    nonce: [u8; NONCE_LEN],
}

impl Markers {
    pub fn new() -> Markers {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(&hasher as *const _ as usize);
        let mut bits = hasher.finish();
        let mut nonce = [0u8; NONCE_LEN];
        for byte in &mut nonce {
            *byte = b'a' + (bits % 26) as u8;
            bits /= 26;
        }
        Markers { nonce }
    }

    pub fn encode(&self, op: Op, a: u32, b: u32) -> Marker {
        // Called for every marked element and every Markdown block: no formatting
        // machinery, no allocation.
        let mut out = Marker {
            bytes: [0; MAX_LEN],
            len: 0,
        };
        out.push(&[START]);
        out.push(&self.nonce);
        out.push(&[op.code()]);
        out.push_decimal(a);
        out.push(b".");
        out.push_decimal(b);
        out.push(&[END]);
        out
    }

    /// Reads a marker at the start of `bytes` (which starts with [`START`]).
    pub fn parse(&self, bytes: &[u8]) -> Parsed {
        let head = 1 + NONCE_LEN + 1;
        let seen = &bytes[1..bytes.len().min(1 + NONCE_LEN)];
        if seen != &self.nonce[..seen.len()] {
            return Parsed::NotMarker;
        }
        if bytes.len() < head {
            return Parsed::Incomplete;
        }
        let Some(op) = Op::from_code(bytes[head - 1]) else {
            return Parsed::NotMarker;
        };
        let rest = &bytes[head..bytes.len().min(MAX_LEN)];
        let Some(end) = rest.iter().position(|&b| b == END) else {
            return if bytes.len() < MAX_LEN && rest.iter().all(|b| b.is_ascii_digit() || *b == b'.')
            {
                Parsed::Incomplete
            } else {
                Parsed::NotMarker
            };
        };
        let body = std::str::from_utf8(&rest[..end]).unwrap_or("");
        let Some((a, b)) = body.split_once('.') else {
            return Parsed::NotMarker;
        };
        match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Parsed::Marker {
                op,
                a,
                b,
                len: head + end + 1,
            },
            _ => Parsed::NotMarker,
        }
    }

    /// Every `b` of the markers of `op` in `bytes`.
    pub fn find_all(&self, op: Op, bytes: &[u8]) -> Vec<u32> {
        // Called on many short texts: a byte search, not a substring searcher to set up.
        let mut out = Vec::new();
        for at in memchr::memchr_iter(START, bytes) {
            if let Parsed::Marker { op: found, b, .. } = self.parse(&bytes[at..])
                && found == op
            {
                out.push(b);
            }
        }
        out
    }
}

/// One encoded marker, held on the stack; it reads as the `&str` it spells.
pub struct Marker {
    bytes: [u8; MAX_LEN],
    len: usize,
}

impl Marker {
    fn push(&mut self, bytes: &[u8]) {
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn push_decimal(&mut self, mut n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.push(&digits[i..]);
    }
}

impl std::ops::Deref for Marker {
    type Target = str;

    fn deref(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).expect("markers are ASCII")
    }
}

impl std::fmt::Display for Marker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// How many bytes of `bytes` are not markers: what a reader of the output would see.
pub fn stripped_len(bytes: &[u8]) -> usize {
    let mut len = 0;
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(START, rest) {
        len += at;
        match rest[at..].iter().take(MAX_LEN).position(|&b| b == END) {
            Some(end) => rest = &rest[at + end + 1..],
            None => {
                len += 1;
                rest = &rest[at + 1..];
            }
        }
    }
    len + rest.len()
}

/// `bytes` without any marker: what a reader of the output would have seen.
pub fn strip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(START, rest) {
        out.extend_from_slice(&rest[..at]);
        match rest[at..].iter().take(MAX_LEN).position(|&b| b == END) {
            Some(end) => rest = &rest[at + end + 1..],
            None => {
                out.push(START);
                rest = &rest[at + 1..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let m = Markers::new();
        let s = m.encode(Op::Open, 12, 3456);
        assert_eq!(
            m.parse(s.as_bytes()),
            Parsed::Marker {
                op: Op::Open,
                a: 12,
                b: 3456,
                len: s.len()
            }
        );
        for cut in 1..s.len() {
            assert_eq!(
                m.parse(&s.as_bytes()[..cut]),
                Parsed::Incomplete,
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn foreign_bytes_are_not_markers() {
        let m = Markers::new();
        let other = Markers {
            nonce: *b"zzzzzzzz",
        };
        let s = other.encode(Op::Close, 1, 2);
        if m.nonce != other.nonce {
            assert_eq!(m.parse(s.as_bytes()), Parsed::NotMarker);
        }
        assert_eq!(m.parse(b"\x01"), Parsed::Incomplete);
        assert_eq!(m.parse(b"\x01 plain text"), Parsed::NotMarker);
    }

    #[test]
    fn strip_leaves_what_a_reader_sees() {
        let m = Markers::new();
        let buf = format!(
            "<div>{}ad{}</div>\x01 lone",
            m.encode(Op::Gap, 0, 3),
            m.encode(Op::Block, 0, 4)
        );
        assert_eq!(strip(buf.as_bytes()), b"<div>ad</div>\x01 lone");
    }

    #[test]
    fn find_all_collects_block_ids() {
        let m = Markers::new();
        let buf = format!(
            "x{}y{}z{}",
            m.encode(Op::Block, 0, 4),
            m.encode(Op::Gap, 0, 5),
            m.encode(Op::Block, 0, 9)
        );
        assert_eq!(m.find_all(Op::Block, buf.as_bytes()), [4, 9]);
    }
}
