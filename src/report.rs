//! What a cleaning run tells its caller: what was detected, which rules fired, warnings.

use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::time::{Duration, Instant};

/// Something the user should know about a document; the output is still written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable short name: `unknown-outlet`, `unclosed-element`, …
    pub kind: &'static str,
    /// What happened, for people: names the rule, outlet or element concerned.
    pub message: String,
}

impl Warning {
    /// A warning of `kind` saying `message`.
    pub fn new(kind: &'static str, message: impl Into<String>) -> Warning {
        Warning {
            kind,
            message: message.into(),
        }
    }
}

/// One rule that did something to the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleHit {
    /// The rule's full id: `file-name/id`, such as `feed-items/rss-footer`.
    pub id: String,
    /// The rule's action: `remove`, `cut`, …
    pub action: &'static str,
    /// How many times it acted.
    pub count: u32,
    /// Bytes of input it removed (0 for rules that only rewrite).
    pub bytes_removed: u64,
    /// `file:line` of the rule.
    pub origin: String,
    /// The first few things it removed, shortened, for `explain`.
    pub previews: Vec<String>,
}

/// The time one rule's own work took on a document: a `replace` or `drop-lines` pattern run
/// over the text, a block rule judging the blocks it was asked of, an element handler.
/// Matching a rule's selector happens inside lol_html, for all the selectors at once, and
/// is not counted; nor is the scan that rules a rule out by its literals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTime {
    /// The rule's full id, as in [`RuleHit::id`].
    pub id: String,
    /// `file:line` of the rule.
    pub origin: String,
    /// The wall-clock time, in nanoseconds.
    pub nanos: u64,
}

/// How one family's weighed signals (`[[detect.signal]]` in its rule file) added up on a
/// document. Families are weighed when no family's `head` or `tail` pattern matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Weighing {
    /// The family.
    pub family: String,
    /// The weights of the signals found, added up.
    pub score: u32,
    /// The weight they must reach for the document to be the family's.
    pub threshold: u32,
    /// Every signal of the family, found or not, in file order.
    pub signals: Vec<SignalCheck>,
}

impl Weighing {
    /// Whether the signals found reach the threshold.
    pub fn reached(&self) -> bool {
        self.score >= self.threshold
    }
}

/// One signal of a [`Weighing`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalCheck {
    /// The signal's id in its family's file.
    pub id: String,
    /// What finding it counts for.
    pub weight: u32,
    /// Where it was looked for: `head` or `tail`.
    pub within: &'static str,
    /// Whether it was found.
    pub found: bool,
    /// Why it is evidence of the family, as its rule file says.
    pub note: String,
}

/// The outcome of cleaning one document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The mirror family whose rules ran (detected, or given), if any.
    pub family: Option<String>,
    /// The outlet whose rules ran (detected, or given), if any.
    pub outlet: Option<String>,
    /// How the family and outlet were found, one line each.
    pub evidence: Vec<String>,
    /// The families whose signals were weighed, best first (only when no family's `head` or
    /// `tail` pattern matched, and only families with a signal found).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weighed: Vec<Weighing>,
    /// The original article's address, where the document names it.
    pub source_url: Option<String>,
    /// The titles a whole web page states in its head (they choose its title heading).
    #[serde(skip_serializing_if = "PageTitles::is_empty")]
    pub page_titles: PageTitles,
    /// Every rule that acted, in the order the rules run.
    pub fired: Vec<RuleHit>,
    /// With [`Options::time_rules`](crate::Options::time_rules): every rule of the document,
    /// with the time its own work took, in the order the rules run; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timings: Vec<RuleTime>,
    /// The facts that `metadata` rules read from the document's lines.
    pub metadata: Vec<Fact>,
    /// What the user should know; the output was still written.
    pub warnings: Vec<Warning>,
}

/// The titles a whole web page states in its head, as detection reads them (`og:title`, else
/// `twitter:title`, and `<title>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PageTitles {
    /// The title it gives for sharing: `og:title`, else `twitter:title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<String>,
    /// The text of its `<title>` element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl PageTitles {
    /// Whether the page states no title (or is no whole page).
    pub fn is_empty(&self) -> bool {
        self.shared.is_none() && self.title.is_none()
    }
}

impl fmt::Display for Warning {
    /// `warning[kind]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning[{}]: {}", self.kind, self.message)
    }
}

impl fmt::Display for RuleHit {
    /// `id (action, file:line) once, N bytes removed`; the previews are not included.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {}) ", self.id, self.action, self.origin)?;
        match self.count {
            1 => f.write_str("once")?,
            n => write!(f, "{n} times")?,
        }
        write!(f, ", {} bytes removed", self.bytes_removed)
    }
}

impl fmt::Display for Report {
    /// What was detected and why, every rule that fired with its previews, the warnings:
    /// one line each, as `dechaff explain` shows them.
    ///
    /// ```
    /// let cleaner = dechaff::Cleaner::new()?;
    /// let report = cleaner.clean_str("<p>News.</p>").report;
    /// assert!(report.to_string().starts_with("family: (none recognised)\n"));
    /// # Ok::<(), dechaff::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_report(f, self, "", |_| None)
    }
}

/// A report's lines, each after `indent`; `note` gives the why of a fired rule, shown
/// under it.
pub(crate) fn write_report<'a>(
    out: &mut impl fmt::Write,
    report: &Report,
    indent: &str,
    note: impl Fn(&RuleHit) -> Option<&'a str>,
) -> fmt::Result {
    let unknown = "(none recognised)";
    writeln!(
        out,
        "{indent}family: {}",
        report.family.as_deref().unwrap_or(unknown)
    )?;
    writeln!(
        out,
        "{indent}outlet: {}",
        report.outlet.as_deref().unwrap_or(unknown)
    )?;
    if let Some(url) = &report.source_url {
        writeln!(out, "{indent}source: {url}")?;
    }
    for e in &report.evidence {
        writeln!(out, "{indent}because {e}")?;
    }
    for w in &report.weighed {
        let verdict = if w.reached() {
            "reached"
        } else {
            "not reached"
        };
        writeln!(
            out,
            "{indent}signals of {}: {} of threshold {} ({verdict})",
            w.family, w.score, w.threshold
        )?;
        for s in &w.signals {
            let found = if s.found { "found " } else { "absent" };
            writeln!(
                out,
                "{indent}    {found} {:>3} {} ({})",
                s.weight, s.id, s.within
            )?;
        }
    }
    if report.fired.is_empty() {
        writeln!(out, "{indent}no rule fired")?;
    }
    for hit in &report.fired {
        writeln!(out, "{indent}{hit}")?;
        if let Some(why) = note(hit) {
            writeln!(out, "{indent}    why: {why}")?;
        }
        for p in &hit.previews {
            writeln!(out, "{indent}    - {p}")?;
        }
    }
    for w in &report.warnings {
        writeln!(out, "{indent}{w}")?;
    }
    Ok(())
}

/// What one rule did to one document.
#[derive(Debug, Clone, Default)]
pub struct Count {
    pub times: u32,
    pub bytes: u64,
    pub previews: Vec<String>,
}

/// Per-rule counters for one document, indexed like the document's rule list.
#[derive(Debug)]
pub struct Stats {
    counts: RefCell<Vec<Count>>,
    /// Whether removals are previewed (see `Options::skip_previews`).
    previews: bool,
    /// The wall-clock time of each rule's own work, when timed (see `Options::time_rules`).
    spent: Option<RefCell<Vec<Duration>>>,
    /// The time of work shared by the rules, done within one rule's (see `Stats::untimed`).
    shared: Cell<Duration>,
}

const PREVIEWS: usize = 3;
const PREVIEW_CHARS: usize = 80;
/// How much of the start of a long removal its preview is made from: room for a preview's
/// characters many times over, unless the start is all markup.
pub const PREVIEW_WINDOW: usize = 4 << 10;

impl Stats {
    pub fn new(rules: usize) -> Stats {
        Stats {
            counts: RefCell::new(vec![Count::default(); rules]),
            previews: true,
            spent: None,
            shared: Cell::new(Duration::ZERO),
        }
    }

    /// The same counters, timing each rule's work or not.
    pub fn with_timing(self, timing: bool) -> Stats {
        let spent = timing.then(|| RefCell::new(vec![Duration::ZERO; self.counts.borrow().len()]));
        Stats { spent, ..self }
    }

    /// Whether each rule's work is timed.
    pub fn is_timed(&self) -> bool {
        self.spent.is_some()
    }

    /// Runs `work`, the rule at `rule` doing its part, adding the time it takes to the
    /// rule's when rules are timed (one branch otherwise).
    #[inline]
    pub fn timed<T>(&self, rule: usize, work: impl FnOnce() -> T) -> T {
        match &self.spent {
            None => work(),
            Some(spent) => self.time(spent, rule, work),
        }
    }

    /// [`Stats::timed`] when timing: out of line, so that the untimed call, on every block
    /// a block rule judges, stays a branch.
    #[cold]
    #[inline(never)]
    fn time<T>(&self, spent: &RefCell<Vec<Duration>>, rule: usize, work: impl FnOnce() -> T) -> T {
        let (start, shared) = (Instant::now(), self.shared.get());
        let out = work();
        let own = start.elapsed().saturating_sub(self.shared.get() - shared);
        if let Some(t) = spent.borrow_mut().get_mut(rule) {
            *t += own;
        }
        out
    }

    /// Runs `work`, done for all the rules while one of them asked (a scan of a block's
    /// text for every block rule's literals), leaving its time out of that rule's.
    #[inline]
    pub fn untimed<T>(&self, work: impl FnOnce() -> T) -> T {
        if self.spent.is_none() {
            return work();
        }
        let start = Instant::now();
        let out = work();
        self.shared.set(self.shared.get() + start.elapsed());
        out
    }

    /// The time each rule's work took, indexed like the rules; None when not timed.
    pub fn spent(&self) -> Option<Vec<Duration>> {
        self.spent.as_ref().map(|s| s.borrow().clone())
    }

    /// The same counters, previewing removals or not.
    pub fn with_previews(self, previews: bool) -> Stats {
        Stats { previews, ..self }
    }

    /// The rule acted without removing anything worth showing.
    pub fn fired(&self, rule: usize, bytes_removed: usize) {
        self.count(rule, bytes_removed, None::<fn() -> String>);
    }

    /// The rule removed `what` (HTML or text).
    pub fn removed(&self, rule: usize, what: &str) {
        self.removed_with(rule, what.len(), || preview(what));
    }

    /// The rule removed `bytes` bytes; `preview` makes what `explain` shows of them (see
    /// `preview`), and is called only for the first few removals.
    pub fn removed_with(&self, rule: usize, bytes: usize, preview: impl FnOnce() -> String) {
        self.count(rule, bytes, Some(preview));
    }

    fn count(&self, rule: usize, bytes: usize, preview: Option<impl FnOnce() -> String>) {
        if let Some(c) = self.counts.borrow_mut().get_mut(rule) {
            c.times += 1;
            c.bytes += bytes as u64;
            if let Some(preview) = preview.filter(|_| self.previews && c.previews.len() < PREVIEWS)
            {
                c.previews.push(preview());
            }
        }
    }

    pub fn snapshot(&self) -> Vec<Count> {
        self.counts.borrow().clone()
    }
}

/// Bytes as text: borrowed when they are valid UTF-8 (fast, the usual case), else with
/// U+FFFD for what is not.
pub fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    // SIMD validation: Chinese text is all multi-byte characters, slow for the std check.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The text of an HTML fragment: tags and comments dropped, entities decoded, whitespace
/// folded.
pub fn text_of(html: &str) -> String {
    let text = text_runs(html).collect::<Vec<_>>().join(" ");
    let decoded = html_escape::decode_html_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The runs of text between the tags and comments of an HTML fragment, in order.
fn text_runs(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(html);
    std::iter::from_fn(move || {
        let r = rest?;
        let Some(lt) = r.find('<') else {
            rest = None;
            return Some(r);
        };
        let end = if r[lt..].starts_with("<!--") {
            r[lt..].find("-->").map(|e| lt + e + 3)
        } else {
            r[lt..].find('>').map(|e| lt + e + 1)
        };
        rest = Some(&r[end.unwrap_or(r.len())..]);
        Some(&r[..lt])
    })
}

/// A one-line glimpse of removed markup: its text, or its first tag when it has none. Only
/// as much of the markup is read as the glimpse needs (`text_of` on all of it, shortened).
pub fn preview(html: &str) -> String {
    let mut folded = fold_text(html);
    if folded.text.is_empty() {
        folded = Folded::new();
        folded.push(html);
    }
    shorten(folded.text)
}

/// The preview of `html` if its text alone fills one. Then it is also the preview of any
/// markup that starts with `html` followed by a `<`: the text runs of `html` are the first
/// runs of the longer markup, word for word (a run ends where a tag starts).
pub fn preview_if_full(html: &str) -> Option<String> {
    let folded = fold_text(html);
    folded.full().then(|| shorten(folded.text))
}

/// The text runs of `html`, folded, until a preview is full.
fn fold_text(html: &str) -> Folded {
    let mut folded = Folded::new();
    for run in text_runs(html) {
        if folded.full() {
            break;
        }
        folded.push(&crate::text::decode_entities(run));
        folded.space();
    }
    folded
}

/// Text with whitespace runs folded to one space and trimmed, kept to what a preview shows:
/// at least one character more than it shows, so that `shorten` knows to mark the cut.
struct Folded {
    text: String,
    chars: usize,
    space: bool,
}

impl Folded {
    fn new() -> Folded {
        Folded {
            // Room for the characters a preview keeps, at their widest.
            text: String::with_capacity(4 * (PREVIEW_CHARS + 2)),
            chars: 0,
            space: false,
        }
    }

    fn full(&self) -> bool {
        self.chars > PREVIEW_CHARS
    }

    /// Whitespace: a space before the next word, if any word came before.
    fn space(&mut self) {
        self.space = !self.text.is_empty();
    }

    fn push(&mut self, piece: &str) {
        // The word being read starts at `word`; it is copied whole when it ends.
        let mut word = None;
        for (i, c) in piece.char_indices() {
            if c.is_whitespace() {
                if let Some(start) = word.take() {
                    self.text.push_str(&piece[start..i]);
                }
                if self.full() {
                    return;
                }
                self.space();
                continue;
            }
            let start = match word {
                Some(start) => start,
                None => {
                    if self.full() {
                        return;
                    }
                    if self.space {
                        self.text.push(' ');
                        self.chars += 1;
                        self.space = false;
                    }
                    word = Some(i);
                    i
                }
            };
            if self.full() {
                self.text.push_str(&piece[start..i]);
                return;
            }
            self.chars += 1;
        }
        if let Some(start) = word {
            self.text.push_str(&piece[start..]);
        }
    }
}

fn shorten(mut text: String) -> String {
    if let Some((i, _)) = text.char_indices().nth(PREVIEW_CHARS) {
        text.truncate(i);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_timed_without_the_work_it_shares() {
        let pause = |ms| std::thread::sleep(Duration::from_millis(ms));
        let stats = Stats::new(2).with_timing(true);
        let out = stats.timed(1, || {
            pause(10);
            stats.untimed(|| pause(300));
            7
        });
        assert_eq!(out, 7);
        let spent = stats.spent().unwrap();
        assert_eq!(spent[0], Duration::ZERO);
        // The shared pause is left out (a bound far above the rule's own 10 ms, so that a
        // loaded machine's late wake-ups cannot fail it).
        assert!(spent[1] >= Duration::from_millis(10), "{spent:?}");
        assert!(spent[1] < Duration::from_millis(300), "{spent:?}");
        // Untimed, nothing is kept.
        let stats = Stats::new(1);
        assert_eq!(stats.timed(0, || 1), 1);
        assert_eq!(stats.spent(), None);
    }

    #[test]
    fn previews_show_text_or_the_tag() {
        assert_eq!(
            preview("<p class=x>获取更多<b>RSS</b>：&amp;</p>"),
            "获取更多 RSS ：&"
        );
        assert_eq!(
            preview("<div id=\"ad\">\n </div>"),
            "<div id=\"ad\"> </div>"
        );
        assert_eq!(
            preview(&"字".repeat(100)).chars().count(),
            PREVIEW_CHARS + 1
        );
        // The same as the whole text, shortened.
        for html in [
            "<p> a  <b>b</b>&nbsp;c </p>",
            "<div>\n</div>",
            "x &amp<i>y</i>",
            &format!("<p>{}</p><p>{}</p>", "w ".repeat(60), "z".repeat(60)),
            // Cut inside a word, after a space, at a wide character.
            &format!("<p>{} {}</p>", "a".repeat(79), "bcd"),
            &format!("<p>{}\t\n {}</p>", "a".repeat(80), "b"),
            &format!("<b>{}</b>  <i>字字</i>", "字".repeat(79)),
            &"<img src=\"x\">\n".repeat(30),
        ] {
            let whole = text_of(html);
            let whole = if whole.is_empty() {
                html.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                whole
            };
            assert_eq!(preview(html), shorten(whole), "{html:?}");
        }
    }
}

/// One fact a metadata rule read from the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The field: `url`, `translation_of`, `short_url`, `date`, `author`, `rights`,
    /// `reprinted_from`, `reprinted_from_url`, `first_published_in`, `first_published_url`,
    /// `first_published_on`, `original_title` or `title`.
    pub field: String,
    /// What the line says: an address, a date as written, a name, a notice; for `title`,
    /// the title without what the site adds to it.
    pub value: String,
    /// The full id of the rule that read it.
    pub rule: String,
    /// The text of the lines the rule took out of the body, joined by `\n`; empty when the
    /// rule keeps them, or read the title or the source. With [`tail`](Fact::tail), the end
    /// of one line.
    pub line: String,
    /// Only the end of a line left the body (a rule's `take = "tail"`): `line` is that end,
    /// the sentences before it on its line stayed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tail: bool,
    /// Read from the document's source (`in = "source"`: a comment the output never
    /// shows), not from the article: it ranks below every value the article states.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub source: bool,
}
