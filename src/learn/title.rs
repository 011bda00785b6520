//! What a site adds to its titles. A feed or a page often gives its title as the headline
//! and the site's name after a separator (`Headline – 法国国际广播电台 - RFI`,
//! `Headline | The Example Times`, `标题_新闻_示例网`): the same ending on a large share of a
//! site's titles is its template, and the title is the headline before it. Only the ending
//! is counted, never the headline, which differs on every page.

/// Separators a site's name follows, as titles write them.
const SEPARATORS: [&str; 8] = [" - ", " – ", " — ", " | ", "｜", " :: ", " » ", "_"];

/// Longest ending counted, in characters: a site's name, not a subtitle.
pub const MAX_CHARS: usize = 60;

/// Fewest characters the headline before an ending must keep: an ending that would leave
/// the title a word or two is part of the title.
const MIN_HEAD: usize = 4;

/// Most endings taken from one title (its separators from the right): bounds the work and
/// the counts a page adds, whatever its title.
const MAX_ENDINGS: usize = 4;

/// The endings of `title` that may be what its site adds: from each separator, right to
/// left, to the title's end, each with a letter of its own (not a number or a date alone)
/// and a headline of [`MIN_HEAD`] characters before it.
pub fn endings(title: &str) -> Vec<&str> {
    let title = title.trim();
    let mut starts: Vec<usize> = SEPARATORS
        .iter()
        .flat_map(|sep| title.match_indices(sep).map(|(at, _)| at))
        .collect();
    starts.sort_unstable_by(|a, b| b.cmp(a));
    starts.dedup();
    starts
        .into_iter()
        .map(|at| (&title[..at], &title[at..]))
        .filter(|(head, ending)| {
            head.trim().chars().count() >= MIN_HEAD
                && ending.chars().count() <= MAX_CHARS
                && has_name(ending)
        })
        .map(|(_, ending)| ending)
        .take(MAX_ENDINGS)
        .collect()
}

/// Whether an ending is words enough to count as a sentence recurring word for word (see
/// [`super::VERBATIM_LETTERS`]): a site's full name (` – 法国国际广播电台 - RFI`) needs the
/// share such a sentence needs; a short one (` - RFI`, a column's ` - 要闻解说`) the share of
/// any unit.
pub fn is_verbatim(ending: &str) -> bool {
    let mut letters = 0;
    let mut wide = false;
    for c in ending.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        wide |= !c.is_ascii();
    }
    let (wide_least, least) = super::VERBATIM_LETTERS;
    letters >= if wide { wide_least } else { least }
}

/// Whether an ending names something: a letter after its separator.
fn has_name(ending: &str) -> bool {
    let name = SEPARATORS
        .iter()
        .find_map(|sep| ending.strip_prefix(sep))
        .unwrap_or(ending);
    name.chars().any(char::is_alphabetic)
}

/// The pattern of a `metadata` rule (`in = "title"`) whose `title` group is a title without
/// `ending`.
pub fn pattern(ending: &str) -> String {
    format!("^(?P<title>.+?){}$", regex::escape(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_run_from_each_separator_to_the_end() {
        assert_eq!(
            endings("COVID-19冲击 飞利浦第2季净利年减14.6% – 法国国际广播电台 - RFI"),
            [" - RFI", " – 法国国际广播电台 - RFI"]
        );
        assert_eq!(
            endings("标题很长的新闻_新闻_示例网"),
            ["_示例网", "_新闻_示例网"]
        );
    }

    #[test]
    fn a_short_headline_a_number_or_a_long_ending_is_no_sites_name() {
        // The hyphen of a word is no separator; a headline of a word keeps its ending.
        assert!(endings("Covid-19 spreads").is_empty());
        assert!(endings("War - and peace").is_empty());
        assert!(endings("The river rises again - 2021").is_empty());
        let long = format!("Headline here - {}", "word ".repeat(20));
        assert!(endings(&long).is_empty());
    }

    #[test]
    fn a_sites_full_name_is_words_enough_to_recur_verbatim() {
        assert!(is_verbatim(" – 法国国际广播电台 - RFI"));
        assert!(is_verbatim(" | The Example Daily Times"));
        assert!(!is_verbatim(" - RFI"));
        assert!(!is_verbatim(" - 要闻解说"));
    }

    #[test]
    fn the_pattern_takes_the_ending_as_written() {
        let re = regex::Regex::new(&pattern(" | The (Example) Times")).unwrap();
        let caps = re.captures("Floods recede | The (Example) Times").unwrap();
        assert_eq!(&caps["title"], "Floods recede");
        assert!(!re.is_match("Floods recede | The Example Times"));
    }
}
