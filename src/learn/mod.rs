//! Rules learned from a site's own pages. What recurs across many pages of one site is its
//! template; the article differs on every page.
//!
//! The learner cleans each page with the rules that apply to it (common, family and, unless
//! switched off, outlet), cuts what is left into units — Markdown lines, HTML elements by
//! their text and attribute signature, images by their address — and counts on how many
//! pages of its site each unit occurs (numbers, dates and link targets masked, so that a
//! template line with a page's own counter or share link is one unit). A unit on a large
//! enough share of a site's pages becomes a rule of an existing action, written as rule-file
//! TOML, so that the normal loader compiles it and `explain`, `rules check` and
//! `rules coverage` treat it as any other rule. Never learned: a unit longer than
//! [`Settings::max_chars`], the page's title, a unit with no words of its own, a dateline or
//! a source line (a date or a shown URL that changes from page to page), a link to the
//! article's own site that changes from page to page (its original, its translation), a
//! byline (marked, or by its label: see `guard`), an editor's line, a credit, a caption or
//! an element holding an image, a heading whose number changes. The titles themselves are
//! never learned, but what a site adds to them is: the same ending after a separator
//! (`Headline – Site`) on a large share of a site's titles becomes a `metadata` rule that
//! reads the title without it (see `title`).
//!
//! ```
//! use dechaff::learn::{Learner, Settings};
//! use dechaff::{Cleaner, Options};
//!
//! let cleaner = Cleaner::new()?;
//! let mut learner = Learner::new(&cleaner, Settings::APPLY);
//! for n in 0..6 {
//!     let page = format!("<p>Story number {n} is different on every page.</p><p class=\"promo\">Join our club today</p>");
//!     learner.add(learner.observe(page.as_bytes(), "site", &Options::default())?);
//! }
//! let lesson = learner.finish();
//! let rule = &lesson.sites[0].rules[0];
//! assert_eq!(rule.action, "remove-if-text");
//! assert!(lesson.layers()[0].2.contains("selector = 'p.promo'"));
//! # Ok::<(), dechaff::Error>(())
//! ```
//!
//! Time and memory are linear in the pages: each page is cut once, keeping only its short
//! units, and a site's counts are kept per distinct unit.

mod group;
mod guard;
mod mask;
mod propose;
mod title;
mod units;

pub use group::{By, SiteKey};
pub use propose::Proposal;

use crate::{Cleaner, Error, Options, Report};
use mask::Masked;
use std::collections::{BTreeMap, HashMap, HashSet};
use units::Kind;

/// How sure the learner must be before it makes a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Fewest pages a site needs before anything is learned from it, and fewest pages a
    /// unit must occur on.
    pub min_pages: usize,
    /// Smallest share of its site's pages a unit must occur on.
    pub min_share: f64,
    /// Smallest share for a sentence that recurs word for word (see [`VERBATIM_LETTERS`]):
    /// the same words on several pages of different articles are the site's, even when
    /// only some of its pages carry them (a pitch under its podcasts, a notice under its
    /// reprints). Never above `min_share`.
    pub min_share_verbatim: f64,
    /// Smallest share for a list of the site's own stories (a block nearly all links, every
    /// one into one section of the article's own site, with no media, caption, byline or
    /// heading): what guards it is its structure, which no article text has, so a site
    /// that sets such lists under only some of its stories still loses them. Never above
    /// `min_share`.
    pub min_share_list: f64,
    /// Longest text, in characters, a unit may have: a long text block is never learned.
    pub max_chars: usize,
}

impl Settings {
    /// For rules proposed to a maintainer, who reviews each (`dechaff rules learn`).
    pub const PROPOSE: Settings = Settings {
        min_pages: 3,
        min_share: 0.3,
        min_share_verbatim: 0.2,
        min_share_list: 0.3,
        max_chars: 200,
    };
    /// For rules applied without review (`dechaff --learn`): the same unit on a large
    /// share of at least several pages.
    pub const APPLY: Settings = Settings {
        min_pages: 5,
        min_share: 0.6,
        min_share_verbatim: 0.25,
        min_share_list: 0.4,
        max_chars: 200,
    };

    /// On how many of a site's `pages` a unit must occur.
    pub fn threshold(&self, pages: usize) -> usize {
        Self::at_least(self.min_share, self.min_pages, pages)
    }

    /// On how many of a site's `pages` a sentence that recurs word for word must occur.
    pub fn verbatim_threshold(&self, pages: usize) -> usize {
        Self::at_least(
            self.min_share_verbatim.min(self.min_share),
            self.min_pages,
            pages,
        )
    }

    /// On how many of a site's `pages` a list of the site's own stories must occur.
    pub fn list_threshold(&self, pages: usize) -> usize {
        Self::at_least(
            self.min_share_list.min(self.min_share),
            self.min_pages,
            pages,
        )
    }

    fn at_least(share: f64, min_pages: usize, pages: usize) -> usize {
        let share = (share * pages as f64).ceil() as usize;
        share.max(min_pages).max(1)
    }
}

/// Letters a text needs, besides numbers and punctuation, to be a sentence that counts as
/// recurring word for word: in Chinese or Japanese, and in alphabets, where words are
/// longer. Shorter texts (a label, `广告`, `Share`) need the share of any unit.
pub const VERBATIM_LETTERS: (usize, usize) = (6, 12);

/// What one page showed the learner.
#[derive(Debug)]
pub struct Observation {
    site: SiteKey,
    page: units::Page,
}

impl Observation {
    /// The site the page belongs to.
    pub fn site(&self) -> &SiteKey {
        &self.site
    }
}

/// One distinct unit of a site and what its pages said of it.
#[derive(Debug)]
struct Tally {
    kind: Kind,
    /// Its text on the first page it was seen on.
    text: Masked,
    /// For each slot of the text, whether its value ever differed from the first.
    changed: Vec<bool>,
    pages: usize,
    last_page: usize,
    max_chars: usize,
    /// The first page and position it was seen at: rules are listed in that order.
    first: (usize, u32),
    /// Its links to the article's own site on the first page, and on how many pages they
    /// were others.
    own_links: Vec<String>,
    own_links_changed: usize,
    /// Marked as a byline on some page.
    byline: bool,
    /// Some of its text was a link's on some page.
    linked: bool,
    /// Pages it was a caption or credit on.
    caption_pages: usize,
    /// For a block: some occurrence was no block of links, or held the title. For an
    /// element: its occurrences differ in class and its tag alone is inline.
    spoilt: bool,
    /// For a prefix: before each character, whether whitespace was there on some page.
    spaces: Vec<bool>,
    /// For a prefix: the whole text it began on the first page.
    whole: Option<String>,
    /// For a prefix: the distinct whole texts it began (their keys' hashes), up to a bound;
    /// for an infix: the distinct heads before it.
    variants: Vec<u64>,
    /// For a line or an element: the prefix unit of its text.
    prefix: Option<u32>,
    /// For an infix: the most characters seen before it.
    head: usize,
}

/// What pages must agree on for two units to be one: an element's or a prefix's text is
/// counted whatever its class (the rule's selector is the class if every page has the
/// same, else the tag); a block is its class alone.
fn key_of(unit: &units::Unit) -> (Kind, String) {
    let by_tag = |selector: &str| units::tag_of(selector).to_string();
    match &unit.kind {
        Kind::Block { .. } | Kind::LinkList { .. } => (unit.kind.clone(), String::new()),
        Kind::Element { selector } => (
            Kind::Element {
                selector: by_tag(selector),
            },
            unit.text.key(),
        ),
        Kind::Prefix { selector } => (
            Kind::Prefix {
                selector: selector.as_deref().map(by_tag),
            },
            unit.text.key(),
        ),
        Kind::Infix { selector } => (
            Kind::Infix {
                selector: selector.as_deref().map(by_tag),
            },
            unit.text.key(),
        ),
        Kind::Line | Kind::Image { .. } => (unit.kind.clone(), unit.text.key()),
    }
}

/// Whole texts a prefix unit keeps apart; more make it a formula articles begin with.
const MAX_VARIANTS: usize = 32;

fn hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Tally {
    fn new(unit: units::Unit, page: usize, spoilt: bool) -> Tally {
        let slots = unit.text.values().count();
        Tally {
            kind: unit.kind,
            changed: vec![false; slots],
            text: unit.text,
            pages: 1,
            last_page: page,
            max_chars: unit.chars,
            first: (page, unit.open),
            own_links: unit.own_links,
            own_links_changed: 0,
            byline: unit.byline,
            linked: unit.linked,
            caption_pages: usize::from(unit.caption),
            spoilt,
            spaces: unit.spaces,
            variants: unit.whole.iter().map(|(_, key)| hash(key)).collect(),
            whole: unit.whole.map(|(original, _)| original),
            prefix: None,
            head: unit.head,
        }
    }

    /// Counts one more occurrence.
    fn add(&mut self, unit: units::Unit, page: usize, spoilt: bool) {
        // Elements nested in one another with the same text differ in class on one page:
        // only another page's other class makes the tag the selector.
        let other_page = self.last_page != page;
        if other_page {
            self.pages += 1;
            self.last_page = page;
            self.caption_pages += usize::from(unit.caption);
            self.own_links_changed += usize::from(self.own_links != unit.own_links);
        }
        self.byline |= unit.byline;
        self.linked |= unit.linked;
        self.spoilt |= spoilt;
        let selectors = match (&mut self.kind, &unit.kind) {
            (Kind::Element { selector: ours }, Kind::Element { selector: theirs }) => {
                Some((ours, theirs))
            }
            (
                Kind::Prefix {
                    selector: Some(ours),
                },
                Kind::Prefix {
                    selector: Some(theirs),
                },
            )
            | (
                Kind::Infix {
                    selector: Some(ours),
                },
                Kind::Infix {
                    selector: Some(theirs),
                },
            ) => Some((ours, theirs)),
            _ => None,
        };
        if let Some((ours, theirs)) = selectors
            && other_page
            && ours != theirs
        {
            let tag = units::tag_of(ours).to_string();
            // A bare inline tag could be any word of a sentence: not by its text.
            self.spoilt |= units::is_inline(&tag);
            *ours = tag;
        }
        self.max_chars = self.max_chars.max(unit.chars);
        self.head = self.head.max(unit.head);
        if let Some((_, key)) = &unit.whole {
            let h = hash(key);
            if self.variants.len() <= MAX_VARIANTS && !self.variants.contains(&h) {
                self.variants.push(h);
            }
        }
        for (ours, theirs) in self.spaces.iter_mut().zip(&unit.spaces) {
            *ours |= theirs;
        }
        for ((changed, first), value) in self
            .changed
            .iter_mut()
            .zip(self.text.values())
            .zip(unit.text.values())
        {
            *changed |= first != value;
        }
    }
}

/// The units of one site so far.
#[derive(Debug, Default)]
struct Counts {
    pages: usize,
    index: HashMap<(Kind, String), u32>,
    tallies: Vec<Tally>,
    /// Per page: each unit's id and span.
    spans: Vec<Vec<(u32, u32, u32)>>,
    /// On how many pages each ending a title may have from its site (see `title`) was seen.
    endings: HashMap<String, usize>,
}

/// Counts units over many pages, site by site, and makes rules of those that recur.
pub struct Learner<'c> {
    cleaner: &'c Cleaner,
    settings: Settings,
    sites: BTreeMap<SiteKey, Counts>,
}

impl<'c> Learner<'c> {
    /// A learner that cleans pages with `cleaner` (to find their site and what its rules
    /// already remove) and learns by `settings`.
    pub fn new(cleaner: &'c Cleaner, settings: Settings) -> Learner<'c> {
        Learner {
            cleaner,
            settings,
            sites: BTreeMap::new(),
        }
    }

    /// Cleans one page with `options` and cuts what is left into units. `directory` names
    /// the page's site when neither its outlet nor its article's host is known (the
    /// directory it was found in). Needs no `&mut`: pages can be observed in parallel and
    /// added in order.
    pub fn observe(
        &self,
        bytes: &[u8],
        directory: &str,
        options: &Options,
    ) -> Result<Observation, Error> {
        let options = Options {
            skip_previews: true,
            ..options.clone()
        };
        let cleaned = self.cleaner.clean_bytes(bytes, &options)?;
        let head = &bytes[..bytes.len().min(16 << 10)];
        let (site, host) = SiteKey::of(
            &cleaned.report,
            &String::from_utf8_lossy(head),
            directory,
            &self.cleaner.catalog().mirror_hosts(),
        );
        let domain = host.as_deref().map(group::domain);
        let page = units::of(
            &cleaned.text,
            cleaned.input,
            self.settings.max_chars,
            domain,
        );
        Ok(Observation { site, page })
    }

    /// Counts an observed page.
    pub fn add(&mut self, observation: Observation) {
        let Observation { site, page } = observation;
        let s = self.sites.entry(site).or_default();
        let page_no = s.pages;
        s.pages += 1;
        for ending in page
            .title
            .as_deref()
            .map(title::endings)
            .unwrap_or_default()
        {
            *s.endings.entry(ending.to_string()).or_default() += 1;
        }
        let mut spans = Vec::with_capacity(page.units.len());
        // The last line or element, whose prefix may come next.
        let mut whole: Option<(u32, u32, u32)> = None;
        for unit in page.units {
            let titled = page.title.as_deref().is_some_and(|t| names(&unit.text, t));
            let block = matches!(unit.kind, Kind::Block { .. } | Kind::LinkList { .. });
            if titled && !block {
                continue;
            }
            // A block goes by its class whatever its text: one that holds the title, or
            // is no block of links, on any page spoils it for all.
            let spoilt = block && (titled || !unit.links_only);
            let next = s.tallies.len() as u32;
            let id = *s.index.entry(key_of(&unit)).or_insert(next);
            let span = (unit.open, unit.close);
            let is_prefix = matches!(unit.kind, Kind::Prefix { .. });
            let part = is_prefix || matches!(unit.kind, Kind::Infix { .. });
            if id == next {
                s.tallies.push(Tally::new(unit, page_no, spoilt));
            } else {
                s.tallies[id as usize].add(unit, page_no, spoilt);
            }
            match whole {
                Some((of, open, close)) if is_prefix && (open, close) == span => {
                    s.tallies[of as usize].prefix.get_or_insert(id);
                }
                _ if !block && !part => whole = Some((id, span.0, span.1)),
                _ => {}
            }
            spans.push((id, span.0, span.1));
        }
        s.spans.push(spans);
    }

    /// The rules learned, site by site.
    pub fn finish(self) -> Lesson {
        let mut sites = Vec::new();
        for (key, site) in self.sites {
            let threshold = self.settings.threshold(site.pages);
            let verbatim = self.settings.verbatim_threshold(site.pages);
            let list = self.settings.list_threshold(site.pages);
            let need: Vec<usize> = site
                .tallies
                .iter()
                .map(|t| match t.kind {
                    Kind::LinkList { .. } => list,
                    _ if is_verbatim(t) => verbatim,
                    _ => threshold,
                })
                .collect();
            let chosen = if site.pages < self.settings.min_pages {
                Vec::new()
            } else {
                choose(&site, &need)
            };
            let mut rules: Vec<LearnedRule> = chosen
                .into_iter()
                .map(|id| propose::rule(&site.tallies[id as usize], need[id as usize]))
                .collect();
            if site.pages >= self.settings.min_pages {
                rules.extend(title_rules(&site.endings, threshold, verbatim));
            }
            sites.push(LearnedSite {
                key,
                name: String::new(),
                layer: String::new(),
                pages: site.pages,
                threshold,
                rules,
                checked: false,
            });
        }
        let mut lesson = Lesson {
            sites,
            settings: self.settings,
        };
        lesson.name(self.cleaner.catalog());
        lesson
    }
}

/// The units of a site that become rules, in the order the site's pages show them: on
/// enough pages (`need`, one count a unit), words of their own, no metadata, and not
/// inside another chosen unit on so many pages that they would seldom act alone.
fn choose(site: &Counts, need: &[usize]) -> Vec<u32> {
    let mut chosen: Vec<bool> = site
        .tallies
        .iter()
        .zip(need)
        .map(|(t, &need)| t.pages >= need && learnable(t))
        .collect();
    // A text and the prefix it begins with: the exact text where it is on as many pages,
    // else the prefix, which takes its variants too.
    for (id, t) in site.tallies.iter().enumerate() {
        if let Some(p) = t.prefix.map(|p| p as usize)
            && chosen[id]
            && chosen[p]
        {
            if site.tallies[p].pages > t.pages {
                chosen[id] = false;
            } else {
                chosen[p] = false;
            }
        }
    }
    // A unit inside a chosen one goes with it. Dropping a unit can uncover others: settle.
    for _ in 0..4 {
        let alone = pages_alone(site, &chosen);
        let mut changed = false;
        for (id, c) in chosen.iter_mut().enumerate() {
            if *c && alone[id] < need[id] {
                *c = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut ids: Vec<u32> = (0..site.tallies.len() as u32)
        .filter(|&id| chosen[id as usize])
        .collect();
    ids.sort_by_key(|&id| site.tallies[id as usize].first);
    ids
}

/// The rules that take what a site adds to its titles: each ending on `threshold` pages or
/// more (`verbatim` for one of words enough, as a sentence that recurs word for word), the
/// longest first (the first rule that reads a title gives it), but an ending that only
/// ever came at the end of a longer one, which takes it too.
fn title_rules(
    endings: &HashMap<String, usize>,
    threshold: usize,
    verbatim: usize,
) -> Vec<LearnedRule> {
    let need = |ending: &str| {
        if title::is_verbatim(ending) {
            verbatim
        } else {
            threshold
        }
    };
    let mut common: Vec<(&str, usize)> = endings
        .iter()
        .filter(|&(e, &pages)| pages >= need(e))
        .map(|(e, &pages)| (e.as_str(), pages))
        .collect();
    common
        .sort_by(|a, b| (b.0.chars().count().cmp(&a.0.chars().count())).then_with(|| a.0.cmp(b.0)));
    let mut rules: Vec<LearnedRule> = Vec::new();
    for (i, &(ending, pages)) in common.iter().enumerate() {
        let inside = common[..i]
            .iter()
            .any(|&(longer, on)| on == pages && longer.ends_with(ending));
        if inside {
            continue;
        }
        rules.push(LearnedRule {
            id: String::new(),
            action: "metadata",
            keys: vec![
                ("in", "title".to_string()),
                ("pattern", title::pattern(ending)),
            ],
            pages,
            threshold: need(ending),
            acted: 0,
            example: ending.trim().to_string(),
            wordings: None,
        });
    }
    rules
}

/// Whether a unit's text is (or holds) the page's title.
fn names(text: &Masked, title: &str) -> bool {
    let title = title.trim();
    let text = text.original();
    // A short title could be any word of the page.
    text == title || (title.chars().count() >= 4 && text.contains(title))
}

/// Whether a unit is a sentence that recurs word for word: a line or an element's text with
/// nothing in it that changed from page to page, no link in it (a linked name is a source,
/// a section or an author more often than chaff), and words enough (see
/// [`VERBATIM_LETTERS`]). Such a unit needs a smaller share of its site's pages.
fn is_verbatim(t: &Tally) -> bool {
    let (letters, wide) = t.text.letters();
    let least = if wide {
        VERBATIM_LETTERS.0
    } else {
        VERBATIM_LETTERS.1
    };
    matches!(t.kind, Kind::Line | Kind::Element { .. })
        && !t.changed.contains(&true)
        && !t.linked
        && letters >= least
}

/// Whether a unit is a heading: one whose number changes from page to page names the
/// page (`Part 3`, `第 12 期`), it is not the site's template.
fn is_heading(kind: &Kind, text: &Masked) -> bool {
    match kind {
        Kind::Line => text.original().starts_with('#'),
        Kind::Element { selector } => matches!(
            units::tag_of(selector),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title"
        ),
        Kind::Prefix { selector: None } | Kind::Infix { selector: None } => {
            text.original().starts_with('#')
        }
        Kind::Prefix {
            selector: Some(selector),
        }
        | Kind::Infix {
            selector: Some(selector),
        } => matches!(
            units::tag_of(selector),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title"
        ),
        Kind::Image { .. } | Kind::Block { .. } | Kind::LinkList { .. } => false,
    }
}

/// Whether a recurring unit may become a rule.
fn learnable(t: &Tally) -> bool {
    // A link to the article's own site that changes on most pages is the page's own (its
    // original, its translation); a caption or credit on most pages is the image's.
    let own_link = t.own_links.len() == 1 && 2 * t.own_links_changed > t.pages;
    if t.byline || 2 * t.caption_pages > t.pages {
        return false;
    }
    if let Kind::LinkList { .. } = t.kind {
        // Its links change from page to page: that is what it is, a list of the site's
        // stories. A link whose words are an address or a date is a source line.
        return !t.spoilt && !guard::is_metadata(&units::fold(&t.text.original()));
    }
    if own_link {
        return false;
    }
    match &t.kind {
        Kind::Image { .. } | Kind::LinkList { .. } => true,
        Kind::Block { .. } => !t.spoilt,
        Kind::Line | Kind::Element { .. } | Kind::Prefix { .. } | Kind::Infix { .. } => {
            let (letters, wide) = t.text.letters();
            let part = matches!(t.kind, Kind::Prefix { .. } | Kind::Infix { .. });
            // A prefix or an infix is a phrase: enough letters of its own not to begin
            // any sentence.
            let least = match (part, wide) {
                (true, true) => 8,
                (true, false) => 16,
                (_, true) => 2,
                (_, false) => 3,
            };
            let words = letters >= least;
            // A prefix stands for a few wordings of one notice (a year, a spelling, a
            // rewording): begun by a different text on every page, it is how articles
            // begin (a formula, a column's lead-in), not the site's template.
            // An infix follows a head that takes a few values (the names of a site's few
            // posters): a different head on most pages is a sentence's own beginning, and
            // the same head on every page makes it the prefix's matter.
            let wordings = match t.kind {
                Kind::Prefix { .. } => t.variants.len() <= (t.pages / 3).max(2),
                Kind::Infix { .. } => (2..=(t.pages / 2).max(2)).contains(&t.variants.len()),
                _ => true,
            };
            let numbered_heading = is_heading(&t.kind, &t.text) && t.changed.contains(&true);
            words
                && wordings
                && !t.spoilt
                && !numbered_heading
                && !t.text.changes_what_a_reader_sees(&t.changed)
                && !guard::is_metadata(&units::fold(&t.text.original()))
        }
    }
}

/// For each unit, on how many pages it occurs outside every chosen unit.
fn pages_alone(site: &Counts, chosen: &[bool]) -> Vec<usize> {
    let mut alone = vec![0usize; site.tallies.len()];
    let mut counted: HashSet<u32> = HashSet::new();
    let mut order: Vec<(u32, u32, u32)> = Vec::new();
    for spans in &site.spans {
        counted.clear();
        order.clear();
        order.extend(spans.iter().filter(|(id, _, _)| chosen[*id as usize]));
        // Outer units first: by where they open, the longer first; of one span, a whole
        // text or a prefix before an infix, and of its infixes the one on more pages.
        order.sort_by_key(|&(id, open, close)| {
            let t = &site.tallies[id as usize];
            let infix = matches!(t.kind, Kind::Infix { .. });
            (
                open,
                std::cmp::Reverse(close),
                infix,
                std::cmp::Reverse(if infix { t.pages } else { 0 }),
            )
        });
        let mut open_until: Vec<u32> = Vec::new();
        for &(id, open, close) in &order {
            while open_until.last().is_some_and(|&end| end < open) {
                open_until.pop();
            }
            if open_until.is_empty() {
                if counted.insert(id) {
                    alone[id as usize] += 1;
                }
                open_until.push(close);
            }
        }
    }
    alone
}

/// One rule learned from a site's pages.
#[derive(Debug, Clone)]
pub struct LearnedRule {
    /// Its id in its file (`learned-line-1`), set when the lesson names its sites.
    pub id: String,
    /// An action of the rule files: `drop-lines`, `remove-if-text`, `remove`,
    /// `remove-block`, or `metadata` for what a site adds to its titles.
    pub action: &'static str,
    /// Its keys as they are written in the file (`selector`, `pattern`, `max_chars`).
    pub keys: Vec<(&'static str, String)>,
    /// On how many pages of its site the unit occurred.
    pub pages: usize,
    /// On how many pages it had to occur, and must act when the pages are cleaned with it:
    /// the site's threshold, or the smaller one of a sentence that recurs word for word or
    /// of a list of the site's own stories.
    pub threshold: usize,
    /// On how many pages the rule acted when the pages were cleaned with it (see
    /// [`Lesson::record`]).
    pub acted: usize,
    /// What it removes, from the first page it was seen on.
    pub example: String,
    /// For a rule on how a text begins: how many wordings of it the pages had.
    pub wordings: Option<usize>,
}

/// The rules learned for one site.
#[derive(Debug, Clone)]
pub struct LearnedSite {
    /// The site: its family and its host or directory.
    pub key: SiteKey,
    /// The rule file name proposed for it (`outlets/<name>.toml`); sites of one outlet
    /// under several families share one.
    pub name: String,
    /// The key of its rule file as an extra layer (`platforms/learned-<…>`), for
    /// [`Options::extra_layer`].
    pub layer: String,
    /// How many of its pages were read.
    pub pages: usize,
    /// On how many pages a unit had to occur.
    pub threshold: usize,
    /// The rules learned, in the order the proposed file writes them.
    pub rules: Vec<LearnedRule>,
    /// Whether its pages were cleaned with its rules and the result recorded.
    checked: bool,
}

/// What was learned from a set of pages.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// Every site seen, in the order of their keys (lookups rely on it).
    pub sites: Vec<LearnedSite>,
    /// The settings it was learned with.
    pub settings: Settings,
}

impl Lesson {
    /// Gives each site its file name and layer key, and each rule an id unique in its
    /// file: names the rules already use go to the outlet they belong to only.
    fn name(&mut self, catalog: &crate::Catalog) {
        let taken: HashSet<String> = catalog
            .files()
            .map(|f| f.name.clone())
            .chain(["none".to_string(), "common".to_string()])
            .collect();
        let mut layers: HashSet<String> = HashSet::new();
        let mut numbers: HashMap<String, usize> = HashMap::new();
        for site in &mut self.sites {
            let mut name = site.key.file_name();
            let own_outlet = matches!(&site.key.by, By::Outlet(o) if *o == name);
            if taken.contains(&name) && !own_outlet {
                name = format!("{name}-learned");
            }
            let mut layer = match &site.key.family {
                Some(f) => group::sanitize(&format!("{f}-{name}")),
                None => name.clone(),
            };
            let base = layer.clone();
            let mut n = 1;
            while !layers.insert(layer.clone()) {
                n += 1;
                layer = format!("{base}-{n}");
            }
            site.layer = format!("platforms/learned-{layer}");
            for rule in &mut site.rules {
                let count = numbers.entry(name.clone()).or_default();
                *count += 1;
                let kind = match (rule.action, rule.keys.first()) {
                    ("drop-lines", _) => "line",
                    ("remove-if-text", _) => "text",
                    ("remove-block", _) => "list",
                    ("metadata", _) => "title",
                    (_, Some((_, s))) if s.starts_with("img[") => "image",
                    _ => "block",
                };
                rule.id = format!("learned-{kind}-{count}");
            }
            site.name = name;
        }
    }

    /// Every site's rules as a rule file of its own, to add to a catalog with
    /// [`crate::Catalog::with_files`] and run as [`Options::extra_layer`] on that site's
    /// pages: `(key, display path, text)`, the key `platforms/learned-<site>`, the path
    /// `learned:<site>` (which reports show as the rules' origin). Sites that learned
    /// nothing have none.
    pub fn layers(&self) -> Vec<(String, String, String)> {
        self.sites
            .iter()
            .filter(|s| !s.rules.is_empty())
            .map(|s| {
                (
                    s.layer.clone(),
                    format!("learned:{}", s.key),
                    propose::layer_text(s),
                )
            })
            .collect()
    }

    /// The extra layer for a page of `site`, if its site learned any rule.
    pub fn layer_for(&self, site: &SiteKey) -> Option<&str> {
        self.site(site)
            .map(|i| &self.sites[i])
            .filter(|s| !s.rules.is_empty())
            .map(|s| s.layer.as_str())
    }

    /// Where `site` is in `sites`: a binary search, so that a tree of many sites and
    /// pages costs a logarithm a page.
    fn site(&self, site: &SiteKey) -> Option<usize> {
        self.sites.binary_search_by(|s| s.key.cmp(site)).ok()
    }

    /// Counts what a page of `site`, cleaned with its layer, shows of the learned rules.
    pub fn record(&mut self, site: &SiteKey, report: &Report) {
        let Some(s) = self.site(site).map(|i| &mut self.sites[i]) else {
            return;
        };
        s.checked = true;
        let prefix = format!("{}/", s.layer.rsplit('/').next().unwrap_or(""));
        for hit in &report.fired {
            if let Some(id) = hit.id.strip_prefix(&prefix)
                && let Some(rule) = s.rules.iter_mut().find(|r| r.id == id)
            {
                rule.acted += 1;
            }
        }
    }

    /// After [`Lesson::record`] on every page: drops the rules that acted on fewer pages
    /// than their threshold (the engine read the page otherwise than the learner
    /// did), and returns how many went.
    pub fn settle(&mut self) -> usize {
        let mut dropped = 0;
        for site in self.sites.iter_mut().filter(|s| s.checked) {
            let before = site.rules.len();
            site.rules.retain(|r| r.acted >= r.threshold);
            dropped += before - site.rules.len();
        }
        dropped
    }

    /// The rule files to propose to a maintainer, one per name: a new outlet file, or an
    /// outlet's own file with the learned rules appended (so that `--rules DIR` runs both
    /// and a diff shows only what was learned). `catalog` supplies the outlet files.
    pub fn proposals(&self, catalog: &crate::Catalog) -> Vec<Proposal> {
        propose::proposals(self, catalog)
    }
}

#[cfg(test)]
mod tests;
