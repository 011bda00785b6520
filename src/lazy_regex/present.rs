//! Which of several regexes have one of their required literals in a haystack, told by one
//! leftmost-first search for all their literals that drops nothing it must find: what
//! [`LazyRegex::may_match`](super::LazyRegex::may_match) says of each, for about the cost
//! of one of them.
//!
//! A search that reports every occurrence of every literal (overlapping) cannot skip ahead
//! with SIMD over the literals' first bytes as a leftmost one does (in Chinese text the
//! rarest bytes of a literal are common ones), and costs several times more than the
//! regexes' own searches together. A leftmost-first search reports one literal where
//! several start: the others that start there are the literals it begins with or that
//! begin with it, and are checked where it was found; the search then goes on one byte
//! past where the literal began, so a literal that begins inside another is found too.

use super::{LazyRegex, NAIVE_WORK, has_case, required_literals};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The [`Present`] of each set of regexes documents asked about, by a key that names the
/// set: built when a document first asks, and kept for the documents after it, which
/// mostly ask about the same few sets.
///
/// A document names its set with strings it borrows; they are copied only into the key of
/// a set that is new. The sets are found by a hash of the names' first strings (rule ids,
/// short) and the second strings' lengths (patterns, long), and told apart by comparing
/// the names whole: hashing and copying every pattern for each document cost more than the
/// search the set is for.
#[derive(Debug, Default)]
pub(crate) struct PresentSets(Mutex<HashMap<u64, Bucket>>);

/// The sets whose names hash alike, each with its name.
type Bucket = Vec<(SetKey, Arc<Present>)>;

/// What names a set of regexes: each regex's name and pattern, as the caller gives them.
type SetKey = Vec<(String, String)>;

impl PresentSets {
    /// The set named `key` (each regex's name and pattern), made of `regexes` (see
    /// [`Present::new`]) if it is new.
    pub(crate) fn get<'r>(
        &self,
        key: &[(&str, &str)],
        regexes: impl FnOnce() -> Vec<Option<&'r LazyRegex>>,
    ) -> Arc<Present> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for (name, pattern) in key {
            (name, pattern.len()).hash(&mut hasher);
        }
        let same = |owned: &SetKey| {
            owned.len() == key.len()
                && (owned.iter().zip(key)).all(|((a, b), (x, y))| a == x && b == y)
        };
        let mut sets = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = sets.entry(hasher.finish()).or_default();
        if let Some((_, present)) = bucket.iter().find(|(owned, _)| same(owned)) {
            return Arc::clone(present);
        }
        let present = Arc::new(Present::new(&regexes()));
        let owned = (key.iter())
            .map(|(name, pattern)| (name.to_string(), pattern.to_string()))
            .collect();
        bucket.push((owned, Arc::clone(&present)));
        present
    }
}

/// The required literals of several regexes, searched for together (see the module).
#[derive(Debug)]
pub(crate) struct Present {
    /// The regexes whose matches hold no literal found here: they may match anywhere.
    open: Vec<bool>,
    /// The literals as written.
    written: Vec<String>,
    /// For each literal: the regexes that require it, each with whether it must be found
    /// as written (its regex is not ASCII-case-insensitive there).
    owners: Vec<Vec<(usize, bool)>>,
    /// For each literal: the other literals that begin with it or that it begins with
    /// (ASCII case aside), which a leftmost-first search reports in its place.
    same_start: Vec<Vec<usize>>,
    /// Whether some literal is looked for ASCII-case-insensitively.
    ascii_case: bool,
    /// Haystack bytes times literals looked for before the searcher is built: until it
    /// would pay for its building, each regex looks for its own.
    naive: AtomicUsize,
    /// All the literals, found leftmost-first (None if it cannot be built).
    searcher: OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl Present {
    /// The literals of `regexes` (None: a place with no regex, which may match anywhere).
    pub(crate) fn new(regexes: &[Option<&LazyRegex>]) -> Present {
        let mut open = vec![true; regexes.len()];
        let mut written: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, bool)>> = Vec::new();
        let mut ascii_case = false;
        for (i, regex) in regexes.iter().enumerate() {
            let Some(lits) = regex.and_then(|r| required_literals(r.as_str())) else {
                continue;
            };
            open[i] = false;
            ascii_case |= lits.ascii_case;
            for lit in lits.set {
                let exact = !lits.ascii_case && has_case(&lit);
                let at = match written.iter().position(|w| *w == lit) {
                    Some(at) => at,
                    None => {
                        written.push(lit);
                        owners.push(Vec::new());
                        written.len() - 1
                    }
                };
                owners[at].push((i, exact));
            }
        }
        let same_start = (written.iter().enumerate())
            .map(|(a, x)| {
                (written.iter().enumerate())
                    .filter(|&(b, y)| {
                        let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
                        a != b
                            && long.as_bytes()[..short.len()].eq_ignore_ascii_case(short.as_bytes())
                    })
                    .map(|(b, _)| b)
                    .collect()
            })
            .collect();
        Present {
            open,
            written,
            owners,
            same_start,
            ascii_case,
            naive: AtomicUsize::new(0),
            searcher: OnceLock::new(),
        }
    }

    /// Which of the regexes may match somewhere in `haystack`, indexed like them (false
    /// only when none of the literals one of which its every match contains is in it);
    /// None while the searcher is not worth building yet (each regex is then asked).
    pub(crate) fn may_match(&self, haystack: &str) -> Option<Vec<bool>> {
        let mut found = self.open.clone();
        let mut missing = found.iter().filter(|&&f| !f).count();
        if missing == 0 {
            return Some(found);
        }
        let searcher = match self.searcher.get() {
            Some(built) => built.as_ref()?,
            None => {
                let work = haystack.len().saturating_mul(self.written.len());
                if self
                    .naive
                    .fetch_add(work, Ordering::Relaxed)
                    .saturating_add(work)
                    <= NAIVE_WORK
                {
                    return None;
                }
                self.searcher.get_or_init(|| self.build()).as_ref()?
            }
        };
        let bytes = haystack.as_bytes();
        let mut input = aho_corasick::Input::new(bytes);
        while let Some(m) = searcher.find(input.clone()) {
            let (lit, at) = (m.pattern().as_usize(), m.start());
            self.found(lit, &bytes[m.range()], &mut found, &mut missing);
            for &other in self.same_start.get(lit).map_or(&[][..], Vec::as_slice) {
                let len = self.written[other].len();
                if let Some(there) = bytes.get(at..at + len)
                    && there.eq_ignore_ascii_case(self.written[other].as_bytes())
                {
                    self.found(other, there, &mut found, &mut missing);
                }
            }
            if missing == 0 || at + 1 >= bytes.len() {
                break;
            }
            input.set_start(at + 1);
        }
        Some(found)
    }

    /// Marks the regexes that own literal `lit`, found as `bytes`, as found: those that
    /// must find it as written only if it is.
    fn found(&self, lit: usize, bytes: &[u8], found: &mut [bool], missing: &mut usize) {
        let written = self.written.get(lit).map(String::as_bytes);
        for &(i, exact) in self.owners.get(lit).map_or(&[][..], Vec::as_slice) {
            if found[i] || (exact && written != Some(bytes)) {
                continue;
            }
            found[i] = true;
            *missing -= 1;
        }
    }

    fn build(&self) -> Option<aho_corasick::AhoCorasick> {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(self.ascii_case)
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&self.written)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Present` says of `patterns` in `haystack`, its searcher built at once, beside
    /// what each pattern says.
    fn both(patterns: &[&str], haystack: &str) -> (Vec<bool>, Vec<bool>) {
        let regexes: Vec<LazyRegex> = patterns
            .iter()
            .map(|p| LazyRegex::on_first_use(p))
            .collect();
        let places: Vec<Option<&LazyRegex>> = regexes.iter().map(Some).collect();
        let present = Present::new(&places);
        present.naive.store(NAIVE_WORK + 1, Ordering::Relaxed);
        let together = present.may_match(haystack).expect("built");
        let each = regexes.iter().map(|r| r.may_match(haystack)).collect();
        (together, each)
    }

    #[test]
    fn literals_that_start_together_or_inside_another_are_found() {
        let patterns = [
            "原文",
            "原文链接：(.+)",
            "文链",
            "链接",
            "出处|出處",
            r"(?i)source: \S+",
            "Source",
            "x*",
        ];
        for haystack in [
            "原文链接：http://a",
            "前言 原文 后记",
            "文链",
            "出處 SOURCE: a",
            "Source: a",
            "source",
            "",
            "原",
        ] {
            let (together, each) = both(&patterns, haystack);
            assert_eq!(together, each, "{haystack}");
        }
    }
}
