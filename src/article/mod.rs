//! The last stage: the article read as a sequence of blocks ([`view`]) and judged by block
//! rules — by a block's text, its share of link text, whether it shows media or is hidden,
//! and its place: among the last (or first) blocks of the article. Chaff that looks the same
//! on every outlet (copyright notices, subscription pitches, related lists at the end) is
//! found this way without knowing a site's markup, and the guards keep the article: a rule
//! takes a whole block, of bounded length, at the article's edge.
//!
//! The stage runs on a document held in memory, after every other rule: the edge it sees is
//! the article's, once the mirror's and the outlet's template is gone. Its blocks are judged
//! as they are read, and only those a sweep from an edge may still take are held (see
//! [`Judge`]): the memory it takes beside the document is about the rules' reach at the
//! edges, not a view of every block.

mod fold;
pub(crate) mod view;

pub(crate) use crate::actions::remove_block::{BlockRule, Edge};
#[cfg(test)]
use crate::lazy_regex::LazyRegex;
use crate::lazy_regex::LiteralSet;
use crate::report::Stats;
use crate::rules::{InputFormat, Rule};
use crate::window::Edges;
use std::borrow::Cow;
use std::ops::Range;
use view::{Block, View};

/// A block of links in a list: mostly link text, and short.
const LIST_ITEM_LINKS: f64 = 0.5;
const LIST_ITEM_CHARS: usize = 300;
/// A slide of a gallery: an image and its caption (a title and a few sentences).
const SLIDE_CHARS: usize = 400;

// The rule's data is the action's (`actions::remove_block`); judging a block is this
// stage's.
impl BlockRule {
    /// Whether the block meets the rule's conditions, place apart; `may_match` tells
    /// whether the block's text holds a literal the rule's pattern requires (asked only
    /// when every other condition holds).
    fn takes(&self, block: &Block, site: Option<&Site>, may_match: impl FnOnce() -> bool) -> bool {
        if block.range.is_none() || block.chars > self.max_chars.min(view::TEXT_CAP) {
            return false;
        }
        if self.hidden && !block.hidden {
            return false;
        }
        // A caption belongs to its image; only a pitch that points at its image takes it.
        if block.caption && !self.with_media && !self.hidden {
            return false;
        }
        match self.media {
            Some(true) if !(block.media && block.chars == 0) => return false,
            Some(false) if block.media => return false,
            _ => {}
        }
        let share = block.link_share();
        if block.chars > 0 && (share < self.min_links || share > self.max_links) {
            return false;
        }
        if block.link_count() < self.min_link_count {
            return false;
        }
        if block.chars == 0 && self.min_links > 0.0 {
            return false;
        }
        if let Some(to) = &self.links_to
            && (block.heading
                || block.many_targets
                || block.targets.is_empty()
                || !block.targets.iter().all(|t| to.matches(t)))
        {
            return false;
        }
        if self.list_item && !block.item {
            return false;
        }
        // A list's heading names the list; its items are the site's links.
        if self.site_links && self.list.is_none() && (block.heading || !site_block(block, site)) {
            return false;
        }
        self.pattern.as_ref().is_none_or(|p| {
            self.starts.admit(p, &block.text) && may_match() && p.matches_past_literals(&block.text)
        }) && self.unless.as_ref().is_none_or(|u| !u.matches(&block.text))
            && (self.voice.as_ref()).is_none_or(|v| {
                block.chars <= self.terse || v.matches(&outside_quotes(&block.text))
            })
    }
}

/// Whether every link of `block` goes to another page of the article's own `site`, and it
/// has one at least: the site's own stories (`site_links`; a heading is never taken so, as
/// a page's title links to the article, but a list's item may be a teaser's heading).
fn site_block(block: &Block, site: Option<&Site>) -> bool {
    !block.many_targets
        && !block.targets.is_empty()
        && site.is_some_and(|s| block.targets.iter().all(|t| s.other_page(t)))
}

/// The article's own site, as its address names it: a link to another page of it is the
/// outlet's own story (`site_links`).
pub(crate) struct Site {
    /// The address's host, lowercase, `www.` aside.
    host: String,
    /// The address itself, its scheme, `www.`, query and fragment aside: a link to it is
    /// the title's.
    page: String,
}

impl Site {
    /// The site of the article at `url`, if it is a web address.
    pub(crate) fn of(url: &str) -> Option<Site> {
        let page = Site::page_of(url)?;
        let host = page.split('/').next()?.to_string();
        host.contains('.').then_some(Site { host, page })
    }

    /// `url` as [`Site::page`] holds an address: an `http(s)` address's host lowercase and
    /// `www.` aside, its path, no query or fragment, no trailing `/`.
    fn page_of(url: &str) -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
            return None;
        }
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        (!host.is_empty() && !host.contains(['@', ':']))
            .then(|| format!("{host}/{}", path.trim_end_matches('/')))
    }

    /// Whether `target` is another page of the site: an absolute address on its host, or
    /// a path on it (`/news/2`, `//host/news/2`, `2.html` beside the article's address). A
    /// link to a place on the page itself (`#notes`, `?page=2`) is none.
    fn other_page(&self, target: &str) -> bool {
        self.absolute(target).is_some_and(|p| {
            p != self.page
                && p.strip_prefix(self.host.as_str())
                    .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'))
        })
    }
}

impl Site {
    /// `target` as [`Site::page`] holds an address, a relative one resolved against the
    /// article's: a path from the site's root (`/news/2`), the scheme's (`//host/news/2`)
    /// or the article's folder (`2.html`, `../news/2`). None for a link on the page itself
    /// (`#notes`, `?page=2`) or of another scheme (`mailto:`).
    fn absolute(&self, target: &str) -> Option<String> {
        let target = target.trim();
        if let Some(rest) = target.strip_prefix("//") {
            return Site::page_of(&format!("https://{rest}"));
        }
        let scheme = target
            .find(['/', '?', '#'])
            .map_or(target, |end| &target[..end])
            .contains(':');
        if scheme {
            return Site::page_of(target);
        }
        let path = target.split(['?', '#']).next().unwrap_or_default();
        if path.is_empty() {
            return None;
        }
        let mut parts: Vec<&str> = if path.starts_with('/') {
            Vec::new()
        } else {
            // The article's folder: its path without its last part.
            let mut folder: Vec<&str> = self.page.split('/').skip(1).collect();
            folder.pop();
            folder
        };
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                _ => parts.push(part),
            }
        }
        Site::page_of(&format!("https://{}/{}", self.host, parts.join("/")))
    }
}

/// `text` with what quotation marks enclose left out, the marks kept (`“…”` becomes `“”`):
/// the voice a block speaks in is the one outside its quotes (“请大家订阅”是主播的口头禅
/// reports a pitch; 微信搜索“…” makes one). A mark that opens and never closes encloses
/// nothing. Linear: a mark whose closer is not in the rest is not looked for again.
fn outside_quotes(text: &str) -> Cow<'_, str> {
    const PAIRS: [(char, char); 4] = [('“', '”'), ('「', '」'), ('『', '』'), ('"', '"')];
    if !text.contains(['“', '「', '『', '"']) {
        return Cow::Borrowed(text);
    }
    let mut unclosed = [false; PAIRS.len()];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        out.push(c);
        rest = &rest[c.len_utf8()..];
        let Some(pair) = PAIRS.iter().position(|&(open, _)| open == c) else {
            continue;
        };
        if unclosed[pair] {
            continue;
        }
        let close = PAIRS[pair].1;
        match rest.find(close) {
            Some(at) => {
                out.push(close);
                rest = &rest[at + close.len_utf8()..];
            }
            None => unclosed[pair] = true,
        }
    }
    Cow::Owned(out)
}

fn is_list_item(block: &Block) -> bool {
    if block.chars == 0 {
        return block.media;
    }
    // A numbered note (`[1] 作者，日期，“题” URL`) is mostly its source's address, and yet the
    // article's: the text cites it by its number.
    block.chars <= LIST_ITEM_CHARS
        && !block.is_note()
        && (block.link_share() >= LIST_ITEM_LINKS || block.is_dated_link())
}

/// Whether a block is a gallery's slide: an image with its caption, or the caption alone
/// (a `figure`'s `figcaption` is a block apart from its image), or an image alone.
fn is_slide(block: &Block) -> bool {
    (block.media || block.caption) && block.chars <= SLIDE_CHARS
}

fn is_media_only(block: &Block) -> bool {
    block.media && block.chars == 0 && block.range.is_some()
}

/// The last stage of a document held in memory: the pass's `Stage::Article` rules on the
/// cleaned `text`. A block holding one of the `metadata` lines (their lines joined by a
/// space) is never taken: what a metadata rule reads stays in the source, and leaves the
/// rendered body as metadata, not as chaff. They are read only for a block taken whose
/// text may hold one of them (`Metadata::may_hold`).
///
/// `literals` are those of the block rules among `rules`, in their order
/// (`Catalog::block_literals`). `edges` says which edges of the article the text holds: a
/// window of a document too large to clean whole holds its start only if it is the first,
/// its end only if it is the last, and the sweeps from an edge it does not hold are not
/// made (a whole document holds both). `site` is the article's own, when its address is
/// known (`site_links`).
pub(crate) fn clean(
    text: String,
    format: InputFormat,
    rules: &[&Rule],
    literals: &LiteralSet,
    stats: &Stats,
    metadata: Metadata<'_>,
    (edges, site): (Edges, Option<&Site>),
) -> String {
    let block_rules: Vec<(usize, &BlockRule)> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.action.block_rule().map(|b| (i, b)))
        .collect();
    let own;
    let literals = if literals.len() == block_rules.len() {
        literals
    } else {
        debug_assert!(false, "literals of other rules");
        own = literal_set(&block_rules);
        &own
    };
    // A removal can leave a block the rules take on a second look (a hidden wrapper whose
    // inner block went first, a heading whose list went): the stage runs again on its own
    // output until nothing changes, so that cleaning a cleaned document changes nothing.
    // Each round removes at least one block; a few rounds reach the end in practice, and
    // the bound keeps the time linear whatever the input.
    // Read on the first block a rule takes, from the text of the first round.
    let lines = std::cell::OnceCell::new();
    let holds = |text: &str, block: &str| -> bool {
        (metadata.may_hold)(block)
            && (lines.get_or_init(|| (metadata.lines)(text)).iter())
                .any(|m: &String| block.contains(m.as_str()))
    };
    let mut text = text;
    for _ in 0..MAX_ROUNDS {
        match apply(
            &text,
            format,
            &block_rules,
            literals,
            stats,
            &holds,
            (edges, site),
        ) {
            Cow::Borrowed(_) => break,
            Cow::Owned(cleaned) => text = cleaned,
        }
    }
    text
}

/// The lines the `metadata` rules read, which no block rule takes (see [`clean`]).
pub(crate) struct Metadata<'f> {
    /// The lines, read from the document's text (its first round's), their lines joined by
    /// a space.
    pub lines: &'f dyn Fn(&str) -> Vec<String>,
    /// Whether a block's text may hold one of them: false settles that it holds none.
    pub may_hold: &'f dyn Fn(&str) -> bool,
}

/// How many times [`clean`] reads the document again after a removal.
const MAX_ROUNDS: usize = 8;

/// The literals of block rules' patterns, in their order.
fn literal_set(rules: &[(usize, &BlockRule)]) -> LiteralSet {
    let patterns: Vec<_> = rules.iter().map(|(_, r)| r.pattern.as_ref()).collect();
    LiteralSet::new(&patterns)
}

/// Applies the block rules (each with its index in the document's rule list, for the
/// report; `literals` theirs, in their order) to a cleaned document holding `edges`, of
/// the article on `site`, when known.
fn apply<'a>(
    text: &'a str,
    format: InputFormat,
    rules: &[(usize, &BlockRule)],
    literals: &LiteralSet,
    stats: &Stats,
    holds: &dyn Fn(&str, &str) -> bool,
    (edges, site): (Edges, Option<&Site>),
) -> Cow<'a, str> {
    apply_holding(
        text,
        format,
        rules,
        literals,
        stats,
        holds,
        (HELD, edges, site),
    )
}

/// [`apply`], holding at first `limit` blocks (the tests compare the smallest windows with
/// none).
fn apply_holding<'a>(
    text: &'a str,
    format: InputFormat,
    rules: &[(usize, &BlockRule)],
    literals: &LiteralSet,
    stats: &Stats,
    holds: &dyn Fn(&str, &str) -> bool,
    (limit, edges, site): (usize, Edges, Option<&Site>),
) -> Cow<'a, str> {
    if rules.is_empty() {
        return Cow::Borrowed(text);
    }
    let set = Cx {
        literals,
        site,
        stats,
    };
    let judge = Judge::new(rules, set, text, holds, (limit, edges));
    let view = View::read(judge, text, format);
    let decided = view.blocks.finish();
    if decided.removed.is_empty() {
        return Cow::Borrowed(text);
    }
    for r in &decided.removed {
        if let Some(range) = &r.range {
            stats.removed(r.rule, &text[range.clone()]);
        }
    }
    let ranges = ranges(&view.containers, decided);
    Cow::Owned(cut(text, format, &ranges))
}

/// A block read and not yet decided: held while a sweep from an edge may still take it.
struct Held {
    /// Its place in the document's blocks.
    index: usize,
    block: Block,
    /// The scan of its text for the block rules' literals, once a rule asked.
    found: Option<Vec<bool>>,
    /// The rule that takes it (its index in the document's rule list), so far.
    by: Option<usize>,
    /// Whether it stops the sweep from the start and the one from the end, once asked.
    stops: [Option<bool>; 2],
}

impl Held {
    /// Whether `rule` (at `slot` among the block rules, `index` among the document's
    /// rules) takes the block, place apart.
    fn taken_by(&mut self, set: Cx<'_>, &(slot, index, rule): &Slotted<'_>) -> bool {
        let Held { block, found, .. } = self;
        set.stats.timed(index, || {
            rule.takes(block, set.site, || {
                found.get_or_insert_with(|| {
                    set.stats.untimed(|| set.literals.may_match(&block.text))
                })[slot]
            })
        })
    }

    /// Whether a sweep of `rules` that meets the block counts it as article text kept, and
    /// so can take nothing beyond it once it met as many as it reaches: the block has text,
    /// is left by the rules that look anywhere, is no list item (a list rule takes no
    /// list past it) and no rule of the sweep takes it wherever it stands.
    fn stops(&mut self, set: Cx<'_>, rules: &[Slotted], forward: bool) -> bool {
        if let Some(stops) = self.stops[usize::from(!forward)] {
            return stops;
        }
        let stops = self.by.is_none()
            && self.block.chars > 0
            && !is_list_item(&self.block)
            && !rules.iter().any(|slotted| self.taken_by(set, slotted));
        self.stops[usize::from(!forward)] = Some(stops);
        stops
    }
}

/// What was decided of the blocks let go: how many blocks each container holds and how
/// many of them stay, the blocks removed, in reading order, and the extents of the blocks'
/// content that stays (see [`ranges`]).
#[derive(Default)]
struct Decided {
    total: Vec<usize>,
    live: Vec<usize>,
    removed: Vec<Removed>,
    kept: Vec<Range<usize>>,
}

/// A block removed: its place among the blocks, by which rule (its index in the document's rule list), the bytes it
/// takes out, its container.
struct Removed {
    index: usize,
    rule: usize,
    range: Option<Range<usize>>,
    parent: Option<usize>,
}

/// How many blocks are held before the decided ones are let go; doubled when too few of
/// them are decided (a run of blocks a sweep from the end may all take), so that the
/// blocks are looked at again only a bounded number of times.
const HELD: usize = 1024;

/// The block rules of one round judging the blocks as they are read. A rule that looks
/// anywhere judges a block as it comes; the sweeps from the edges (see [`sweep`]) are made
/// once the document is read, over the blocks still held: the first ones up to where the
/// sweep from the start stops, and the last ones from where the sweep from the end stops.
/// The blocks between are decided as soon as that is known, and let go, so that the
/// blocks held are about as many as the rules' reach at the edges, not the document's.
struct Judge<'a, 'r> {
    set: Cx<'a>,
    anywhere: Vec<Slotted<'r>>,
    start: Vec<Slotted<'r>>,
    end: Vec<Slotted<'r>>,
    /// How many blocks of article text a sweep from each edge meets at most.
    start_reach: usize,
    end_reach: usize,
    /// How many characters of a block's text the rules read: the most any of them takes,
    /// and what tells a list item.
    cap: usize,
    held: std::collections::VecDeque<Held>,
    /// A list a rule that looks anywhere may be taking: its heading was read last, or the
    /// items after it.
    open: Option<OpenList<'r>>,
    /// How many blocks were read.
    read: usize,
    /// How many of the held blocks, from the first, the sweep from the start may meet,
    /// once known.
    head: Option<usize>,
    limit: usize,
    decided: Decided,
    /// The blocks' document, and whether a block's text holds a line the `metadata` rules
    /// read in it: a block that holds one is never taken.
    text: &'a str,
    holds: &'a dyn Fn(&str, &str) -> bool,
}

impl<'a, 'r> Judge<'a, 'r> {
    fn new(
        rules: &[(usize, &'r BlockRule)],
        set: Cx<'a>,
        text: &'a str,
        holds: &'a dyn Fn(&str, &str) -> bool,
        (limit, edges): (usize, Edges),
    ) -> Self {
        // Each rule with its place among the block rules (its literals' slot); none that
        // sweeps from an edge the text does not hold.
        let at_edge = |edge: Edge| -> Vec<Slotted<'r>> {
            let held = match edge {
                Edge::Start => edges.start,
                Edge::End => edges.end,
                Edge::Anywhere => true,
            };
            rules
                .iter()
                .enumerate()
                .filter(|(_, (_, r))| held && r.edge == edge)
                .map(|(slot, &(index, rule))| (slot, index, rule))
                .collect()
        };
        let (start, end) = (at_edge(Edge::Start), at_edge(Edge::End));
        // A gallery's slides are told by their length too.
        let items = if rules.iter().any(|(_, r)| r.list.is_some() && r.with_media) {
            SLIDE_CHARS
        } else {
            LIST_ITEM_CHARS
        };
        let cap = (rules.iter())
            .map(|(_, r)| r.max_chars.min(view::TEXT_CAP))
            .fold(items, usize::max);
        Judge {
            set,
            cap,
            anywhere: at_edge(Edge::Anywhere),
            start_reach: reach(&start),
            end_reach: reach(&end),
            start,
            end,
            held: std::collections::VecDeque::new(),
            open: None,
            read: 0,
            head: None,
            limit,
            decided: Decided::default(),
            text,
            holds,
        }
    }

    /// How many held blocks, from the first, the sweep from the start may meet; None while
    /// that is not known yet.
    fn head(&mut self) -> Option<usize> {
        if self.head.is_none() {
            self.head = edge(
                self.held.iter_mut(),
                self.set,
                &self.start,
                self.start_reach,
                true,
            )
            .map(|n| n.min(self.held.len()));
        }
        self.head
    }

    /// Lets go of the held blocks that neither sweep can meet, once decided.
    fn window(&mut self) {
        let Some(head) = self.head() else {
            self.limit = self.limit.saturating_mul(2);
            return;
        };
        let from_end = edge(
            self.held.range_mut(head..).rev(),
            self.set,
            &self.end,
            self.end_reach,
            false,
        );
        let Some(tail) = from_end.map(|n| self.held.len() - n) else {
            self.limit = self.limit.saturating_mul(2);
            return;
        };
        for held in self.held.range(head..tail) {
            self.decided.decide(held, self.text, self.holds);
        }
        self.held.drain(head..tail);
        if self.held.len() * 2 > self.limit {
            self.limit = self.limit.saturating_mul(2);
        }
    }

    /// The document is read: the sweeps from the edges over the blocks held, and what was
    /// decided of every block.
    fn finish(mut self) -> Decided {
        let held = self.held.make_contiguous();
        if !self.end.is_empty() {
            sweep(held, self.set, &self.end, false);
        }
        if !self.start.is_empty() {
            sweep(held, self.set, &self.start, true);
        }
        for held in &self.held {
            self.decided.decide(held, self.text, self.holds);
        }
        // Reported in reading order: the first blocks were held while those after them
        // were decided.
        self.decided.removed.sort_by_key(|r| r.index);
        self.decided
    }
}

impl view::Sink for Judge<'_, '_> {
    fn block(&mut self, block: Block) {
        self.held.push_back(Held {
            index: self.read,
            block,
            found: None,
            by: None,
            stops: [None; 2],
        });
        self.read += 1;
        if !self.list_item() {
            let heading = self.read - 1;
            if let Some(held) = self.held.back_mut() {
                let hit = (self.anywhere.iter()).find(|slotted| held.taken_by(self.set, slotted));
                match hit {
                    // A list's heading goes only with the items after it.
                    Some(&(_, index, rule)) if rule.list.is_some() => {
                        self.open = Some(OpenList {
                            heading,
                            index,
                            rule,
                            taken: 0,
                            first: None,
                        });
                    }
                    _ => held.by = hit.map(|&(_, index, _)| index),
                }
            }
        }
        if self.held.len() > self.limit {
            self.window();
        }
    }

    fn cap(&self) -> usize {
        self.cap
    }
}

/// A list whose heading a rule that looks anywhere took: the heading goes, with the items
/// right after it, once one follows (a heading alone stays).
struct OpenList<'r> {
    /// The heading's place among the document's blocks.
    heading: usize,
    /// The rule (its index in the document's rule list).
    index: usize,
    rule: &'r BlockRule,
    /// How many items it took.
    taken: usize,
    /// The first item's place among the document's blocks, while it waits for a second
    /// (a list of the site's links goes with two items at least).
    first: Option<usize>,
}

/// How many items a list of the site's links (`site_links` with `list`) needs to go: the
/// site's related box lists stories, an author's pointer under the same heading to one
/// other post of theirs (延伸閱讀 and a link) stays.
const SITE_LIST_ITEMS: usize = 2;

impl Judge<'_, '_> {
    /// Whether the block just read is an item of the list open before it, and so taken
    /// with it (and its heading, with the first item). A block of text that is no item, or
    /// one past the rule's `list`, ends the list; a block without content leaves it open.
    fn list_item(&mut self) -> bool {
        let Some(open) = &mut self.open else {
            return false;
        };
        let Some(held) = self.held.back_mut() else {
            return false;
        };
        if !held.block.has_content() {
            return false;
        }
        let item = if open.rule.with_media {
            is_list_item(&held.block) || is_slide(&held.block)
        } else {
            is_list_item(&held.block)
        } && (!open.rule.site_links || site_block(&held.block, self.set.site));
        if !item || open.taken >= open.rule.list.unwrap_or(0) {
            self.open = None;
            return false;
        }
        open.taken += 1;
        let need = if open.rule.site_links {
            SITE_LIST_ITEMS
        } else {
            1
        };
        if open.taken < need {
            // It waits for the next item; meanwhile the other rules judge it, as the list
            // may stay.
            open.first.get_or_insert(held.index);
            return false;
        }
        held.by = Some(open.index);
        if open.taken == need {
            // The heading goes with the first item, and with the one that waited for this.
            let (index, waited) = (open.index, [Some(open.heading), open.first]);
            for h in self.held.iter_mut().rev() {
                if waited.contains(&Some(h.index)) {
                    h.by = h.by.or(Some(index));
                }
                if Some(h.index) == waited[0] {
                    break;
                }
            }
        }
        true
    }
}

/// How many blocks of article text a sweep of `rules` meets at most.
fn reach(rules: &[Slotted]) -> usize {
    (rules.iter())
        .map(|(_, _, r)| r.within.max(r.list.unwrap_or(0) + 1))
        .max()
        .unwrap_or(0)
}

/// How many of `blocks` (from an edge inwards) a sweep of `rules` that meets at most
/// `reach` blocks of article text may meet: up to the `reach`-th block it can only count
/// as article text ([`Held::stops`]; `forward`: from the start); None when there are not
/// as many.
fn edge<'h>(
    blocks: impl Iterator<Item = &'h mut Held>,
    set: Cx<'_>,
    rules: &[Slotted],
    reach: usize,
    forward: bool,
) -> Option<usize> {
    if rules.is_empty() || reach == 0 {
        return Some(0);
    }
    let mut stops = 0;
    for (i, held) in blocks.enumerate() {
        if held.stops(set, rules, forward) {
            stops += 1;
            if stops == reach {
                return Some(i + 1);
            }
        }
    }
    None
}

impl Decided {
    /// A block decided: it stays when it holds a line a `metadata` rule reads.
    fn decide(&mut self, held: &Held, text: &str, holds: &dyn Fn(&str, &str) -> bool) {
        let block = &held.block;
        let by = held.by.filter(|_| !holds(text, &block.text));
        if let Some(p) = block.parent {
            if p >= self.total.len() {
                self.total.resize(p + 1, 0);
                self.live.resize(p + 1, 0);
            }
            self.total[p] += 1;
            self.live[p] += usize::from(by.is_none());
        }
        if by.is_none()
            && let Some(extent) = &block.extent
        {
            self.kept.push(extent.clone());
        }
        if let Some(rule) = by {
            self.removed.push(Removed {
                index: held.index,
                rule,
                range: block.range.clone(),
                parent: block.parent,
            });
        }
    }
}

/// What judging a block reads besides the rule: the literals of the block rules' patterns
/// (their slots), and the article's own site, when its address is known.
#[derive(Clone, Copy)]
struct Cx<'a> {
    literals: &'a LiteralSet,
    site: Option<&'a Site>,
    /// Where a block rule's time goes, when rules are timed.
    stats: &'a Stats,
}

/// A block rule: its slot among the block rules, its index in the document's rules, and
/// the rule.
type Slotted<'a> = (usize, usize, &'a BlockRule);

/// Walks from an edge of the article inwards (`forward`: from the start), taking the
/// blocks the rules take while they are within reach of that edge. A block taken does not
/// count: what stood behind it is now at the edge.
fn sweep(held: &mut [Held], set: Cx<'_>, rules: &[Slotted], forward: bool) {
    // How many blocks of text a rule that takes no list reaches at most, and how many
    // blocks a list rule's list may hold at most: past both, no rule takes a block any
    // more (see below).
    let within = (rules.iter())
        .filter(|(_, _, r)| r.list.is_none())
        .map(|(_, _, r)| r.within)
        .max()
        .unwrap_or(0);
    let longest_list = (rules.iter()).filter_map(|(_, _, r)| r.list).max();
    // Blocks kept so far, nearest to this point last; how many of them have text (a rule's
    // reach counts those: an image or a divider line between the text and the edge is no
    // article text); and whether all are list items.
    let mut kept: Vec<usize> = Vec::new();
    let mut kept_text = 0usize;
    let mut all_items = true;
    // On a sweep from the start, the image a pitch points at (the block right after it)
    // comes next: the rule that took the pitch.
    let mut pending_media: Option<usize> = None;
    let order: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(0..held.len())
    } else {
        Box::new((0..held.len()).rev())
    };
    for b in order {
        let h = &mut held[b];
        if h.by.is_some() || !h.block.has_content() {
            continue;
        }
        if let Some(rule) = pending_media.take()
            && is_media_only(&h.block)
        {
            h.by = Some(rule);
            continue;
        }
        // Until a rule takes a block, `kept_text` and `kept` only grow and `all_items`
        // only turns false: once no rule's place admits this block, none admits a later
        // one, and the sweep is over.
        if kept_text >= within && longest_list.is_none_or(|most| !all_items || kept.len() > most) {
            break;
        }
        // The place first: it costs nothing, and past a rule's reach the block's text is
        // not searched for that rule's literals.
        let hit = rules.iter().find(|slotted| {
            let r = slotted.2;
            (match r.list {
                Some(most) => all_items && kept_text > 0 && kept.len() <= most,
                None => kept_text < r.within,
            }) && h.taken_by(set, slotted)
        });
        let Some(&(_, index, rule)) = hit else {
            all_items &= is_list_item(&h.block);
            kept.push(b);
            kept_text += usize::from(h.block.chars > 0 && !h.block.is_divider());
            continue;
        };
        h.by = Some(index);
        if rule.list.is_some() {
            for k in kept.drain(..) {
                held[k].by = Some(index);
            }
            kept_text = 0;
            all_items = true;
        }
        if rule.with_media {
            if forward {
                pending_media = Some(index);
            } else if let Some(&next) = kept.last()
                && is_media_only(&held[next].block)
            {
                // Swept from the end, the block right after the pitch was kept just now.
                held[next].by = Some(index);
                kept.pop();
            }
        }
    }
}

/// The byte ranges to cut: every block removed and every container whose blocks all went,
/// the outermost only, in order, merged.
fn ranges(containers: &[view::Container], decided: Decided) -> Vec<Range<usize>> {
    let n = containers.len();
    let Decided {
        mut total,
        mut live,
        removed,
        mut kept,
    } = decided;
    total.resize(n, 0);
    live.resize(n, 0);
    // A container's parent is an earlier container: children are summed up from the last.
    for c in (0..n).rev() {
        if let Some(p) = containers[c].parent {
            total[p] += total[c];
            live[p] += live[c];
        }
    }
    let mut emptied: Vec<bool> = (0..n)
        .map(|c| total[c] > 0 && live[c] == 0 && containers[c].range.is_some())
        .collect();
    // Nor does a container go whole that holds content of a block that stays: text after
    // an element's last block is that element's block, though it may stand inside an inline
    // container around that last block (`<a><p>x</p>y</a>`: y is the block's after p).
    kept.sort_by_key(|r| r.start);
    // The furthest end among the kept extents up to each one.
    let reach: Vec<usize> = (kept.iter())
        .scan(0, |end, r| {
            *end = (*end).max(r.end);
            Some(*end)
        })
        .collect();
    for (c, gone) in emptied.iter_mut().enumerate() {
        let Some(r) = containers[c].range.as_ref().filter(|_| *gone) else {
            continue;
        };
        // The kept extents that start before the container ends: does one reach into it?
        let before = kept.partition_point(|k| k.start < r.end);
        *gone = before == 0 || reach[before - 1] <= r.start;
    }
    // Whether a container lies inside one that goes whole.
    let mut covered = vec![false; n];
    for c in 0..n {
        if let Some(p) = containers[c].parent {
            covered[c] = emptied[p] || covered[p];
        }
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for c in 0..n {
        if emptied[c]
            && !covered[c]
            && let Some(r) = &containers[c].range
        {
            out.push(r.clone());
        }
    }
    for block in removed {
        let inside_gone = block.parent.is_some_and(|p| emptied[p] || covered[p]);
        if !inside_gone && let Some(r) = block.range {
            out.push(r);
        }
    }
    out.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The text without the ranges. A range that leaves its line blank takes the line, so that
/// no blank line splits an HTML block; the document ends as it ended.
fn cut(text: &str, format: InputFormat, ranges: &[Range<usize>]) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in ranges {
        let (mut start, mut end) = (r.start.max(pos), r.end);
        let line_start = bytes[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |k| k + 1);
        let line_end = bytes[end..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |k| end + k + 1);
        let blank = |r: Range<usize>| crate::text::is_blank_line(&text[r]);
        if line_start >= pos && blank(line_start..start) && blank(end..line_end) {
            start = line_start;
            end = line_end;
        }
        out.push_str(&text[pos..start]);
        pos = end;
        if format == InputFormat::Markdown {
            pos += unindent(&mut out, text, pos);
        }
    }
    out.push_str(&text[pos..]);
    if format == InputFormat::Markdown
        && ranges
            .last()
            .is_some_and(|r| r.end >= text.trim_end().len())
    {
        // The last blocks went: the blank lines that stood before them go too.
        let ending = &text[text.trim_end_matches(['\n', '\r']).len()..];
        let ending = if ending.is_empty() { "" } else { "\n" };
        let kept = out.trim_end().len();
        out.truncate(kept);
        if !out.is_empty() {
            out.push_str(ending);
        }
    }
    out
}

/// After a cut in Markdown, the line that goes on at `pos` in `text` (after what `out`
/// holds) may open a block that it did not open in the source: a line inside an HTML block,
/// whose first line the cut took (`<p hidden>ad</p>` over an indented `    <p>text</p>`),
/// or took the start of. Indented four columns or more, it would be read as code, its
/// markup shown: its indentation goes, in `out` and in `text` (how many bytes of it from
/// `pos` to skip).
fn unindent(out: &mut String, text: &str, pos: usize) -> usize {
    use crate::text::{code_indent, column_after, indentation_start, opens_block};
    if !opens_block(out) || opens_block(&text[..pos]) {
        return 0;
    }
    // The blanks `out` holds of the line already, and the column they reach.
    let kept = indentation_start(out).unwrap_or(out.len());
    let Some(skip) = code_indent(&text[pos..], column_after(&out[kept..], 0)) else {
        return 0;
    };
    out.truncate(kept);
    skip
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_voice_is_read_outside_quotes() {
        assert_eq!(
            outside_quotes("微信搜索“燕京书评”：重申"),
            "微信搜索“”：重申"
        );
        assert_eq!(
            outside_quotes("「請大家訂閱」這句話，\"Follow us\" buttons"),
            "「」這句話，\"\" buttons"
        );
        assert_eq!(outside_quotes("未闭合的“请关注"), "未闭合的“请关注");
        assert!(matches!(outside_quotes("请关注"), Cow::Borrowed(_)));
    }

    fn rule(pattern: &str, edge: Edge, within: usize) -> BlockRule {
        BlockRule {
            edge,
            within,
            ..BlockRule::new(
                Some(LazyRegex::ready(regex::Regex::new(pattern).unwrap())),
                200,
            )
        }
    }

    /// A text that holds both edges of its article.
    const BOTH: Edges = Edges {
        start: true,
        end: true,
    };

    fn run(text: &str, format: InputFormat, rules: &[BlockRule]) -> String {
        run_at(text, format, rules, (HELD, BOTH)).0
    }

    fn run_holding(
        text: &str,
        format: InputFormat,
        rules: &[BlockRule],
        limit: usize,
    ) -> (String, String) {
        run_at(text, format, rules, (limit, BOTH))
    }

    /// The text and what the report counted, holding at first `limit` blocks, the text
    /// holding `edges`.
    fn run_at(
        text: &str,
        format: InputFormat,
        rules: &[BlockRule],
        (limit, edges): (usize, Edges),
    ) -> (String, String) {
        let indexed: Vec<(usize, &BlockRule)> = rules.iter().enumerate().collect();
        let literals = literal_set(&indexed);
        let stats = Stats::new(rules.len());
        let lines = ["kept: a metadata line".to_string()];
        let text = apply_holding(
            text,
            format,
            &indexed,
            &literals,
            &stats,
            &|_, block: &str| lines.iter().any(|m| block.contains(m.as_str())),
            (limit, edges, None),
        )
        .into_owned();
        (text, format!("{:?}", stats.snapshot()))
    }

    #[test]
    fn blocks_judged_in_a_window_are_judged_as_if_all_were_held() {
        let near = [
            rule("^©", Edge::End, 1),
            rule("^订阅", Edge::Start, 1),
            rule("^广告|metadata", Edge::Anywhere, 0),
        ];
        let rules = [
            rule("^©", Edge::End, 2),
            BlockRule {
                edge: Edge::End,
                list: Some(3),
                ..rule("^更多阅读", Edge::End, 1)
            },
            BlockRule {
                with_media: true,
                ..rule("星标", Edge::End, 1)
            },
            rule("^订阅", Edge::Start, 2),
            BlockRule {
                with_media: true,
                ..rule("关注", Edge::Start, 1)
            },
            BlockRule {
                list: Some(2),
                ..rule("^导读", Edge::Start, 1)
            },
            rule("^广告|metadata", Edge::Anywhere, 0),
            BlockRule {
                hidden: true,
                ..BlockRule::new(None, 200)
            },
        ];
        let markdown = [
            "© 2020 AFP",
            "更多阅读：",
            "导读",
            "- [a](x)\n- [b](y)",
            "[a link](z)",
            "The body of the article, long enough to be read as its text.",
            "订阅我们",
            "请关注",
            "设为星标",
            "![](qr.png)",
            "广告",
            "kept: a metadata line",
            "<div>\n<p>© 2020</p>\n</div>",
            "<div>\n<p>Body in HTML.</p>\n<p>广告</p>\n</div>",
            "<div hidden><p>© open</p>",
            "<p><b></div></b>z</p>",
            "<a><p>广告</p>after</a>",
            "---",
        ];
        let html = [
            "<p>© 2020 AFP</p>",
            "<h3>更多阅读</h3>",
            "<ul><li><a href=x>a</a></li><li><a href=y>b</a></li></ul>",
            "<p><a href=z>a link</a></p>",
            "<p>The body of the article, long enough to be read as its text.</p>",
            "<div><p>订阅我们</p><p>请关注</p></div>",
            "<p>设为星标</p><p><img src=qr.png></p>",
            "<div aria-hidden=true><p>hidden</p></div>",
            "<section><p>广告</p><p>kept: a metadata line</p></section>",
            "loose text",
            "<hr>",
        ];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for round in 0..600 {
            let (format, pieces, join) = if round % 2 == 0 {
                (InputFormat::Markdown, &markdown[..], "\n\n")
            } else {
                (InputFormat::Html, &html[..], "\n")
            };
            let n = next(24);
            let doc: Vec<&str> = (0..n).map(|_| pieces[next(pieces.len())]).collect();
            let doc = doc.join(join) + "\n";
            for rules in [&rules[..], &near[..]] {
                let whole = run_holding(&doc, format, rules, usize::MAX);
                for limit in [1, 2, 3, 5, 8] {
                    assert_eq!(run_holding(&doc, format, rules, limit), whole, "{doc}");
                }
            }
        }
    }

    #[test]
    fn a_sweep_is_made_only_from_an_edge_the_text_holds() {
        let rules = [rule("^©", Edge::End, 1), rule("^订阅", Edge::Start, 1)];
        let md = "订阅我们\n\nBody.\n\n© 2020 AFP\n";
        for (start, end, expected) in [
            (true, true, "Body.\n"),
            (true, false, "Body.\n\n© 2020 AFP\n"),
            (false, true, "订阅我们\n\nBody.\n"),
            (false, false, md),
        ] {
            let edges = Edges { start, end };
            let (text, _) = run_at(md, InputFormat::Markdown, &rules, (HELD, edges));
            assert_eq!(text, expected, "{edges:?}");
        }
    }

    #[test]
    fn a_notice_at_the_end_goes_and_the_same_words_inside_stay() {
        let copyright = rule("^©", Edge::End, 2);
        let html = "<div>\n<p>© in the middle</p>\n<p>Body.</p>\n<p>More.</p>\n<p>© 2020 AFP</p>\n</div>\n";
        assert_eq!(
            run(html, InputFormat::Html, &[copyright]),
            "<div>\n<p>© in the middle</p>\n<p>Body.</p>\n<p>More.</p>\n</div>\n"
        );
    }

    #[test]
    fn a_divider_line_is_no_text_between_a_notice_and_the_edge() {
        let disclaimer = [rule("不代表本台", Edge::End, 2)];
        let clean = |md: &str| run(md, InputFormat::Markdown, &disclaimer);
        let md = "Body.\n\n=====\n\n嘉宾的观点不代表本台。\n\n=====\n\n* * *\n\n节目每周播出。\n";
        assert_eq!(
            clean(md),
            "Body.\n\n=====\n\n=====\n\n* * *\n\n节目每周播出。\n"
        );
        // Words count, whatever their script: a line of them is text.
        let worded = "Body.\n\n嘉宾的观点不代表本台。\n\n—— 完 ——\n\n节目每周播出。\n";
        assert_eq!(clean(worded), worded);
    }

    #[test]
    fn removals_chain_from_the_edge() {
        let md = "Body.\n\n-END-\n\n为了不错过更新，设为星标\n\n👇\n\n![](qr.png)\n";
        let rules = [
            rule("^-?END-?$", Edge::End, 1),
            BlockRule {
                with_media: true,
                ..rule("星标", Edge::End, 1)
            },
            BlockRule {
                with_media: true,
                ..rule(r"^[👇▼↓\s]+$", Edge::End, 1)
            },
        ];
        assert_eq!(run(md, InputFormat::Markdown, &rules), "Body.\n");
    }

    #[test]
    fn a_related_list_goes_only_when_its_links_reach_the_end() {
        let related = BlockRule {
            edge: Edge::End,
            list: Some(10),
            ..BlockRule::new(
                Some(LazyRegex::ready(
                    regex::Regex::new("^更多阅读[:：]?$").unwrap(),
                )),
                20,
            )
        };
        let md = "Body.\n\n更多阅读：\n\n- [a](x)\n- [b](y)\n";
        assert_eq!(
            run(md, InputFormat::Markdown, std::slice::from_ref(&related)),
            "Body.\n"
        );
        let then_text = "Body.\n\n更多阅读：\n\n- [a](x)\n\nThe article goes on.\n";
        assert_eq!(
            run(
                then_text,
                InputFormat::Markdown,
                std::slice::from_ref(&related)
            ),
            then_text
        );
        let html = "<p>Body.</p><h3>更多阅读</h3><ul><li><a href=x>a</a></li><li><a href=y>b</a></li></ul>";
        assert_eq!(
            run(html, InputFormat::Html, std::slice::from_ref(&related)),
            "<p>Body.</p>"
        );
        // Numbered references under the same label are the article's notes: they stay.
        let notes = "Body [1].\n\n更多阅读：\n\n[1] A, 2020, [https://x.org/a](https://x.org/a)\n\n［2］ [https://y.org/b](https://y.org/b)\n";
        assert_eq!(run(notes, InputFormat::Markdown, &[related]), notes);
    }

    #[test]
    fn emptied_wrappers_go_with_their_blocks() {
        let hidden = BlockRule {
            hidden: true,
            min_links: 0.5,
            ..BlockRule::new(None, 200)
        };
        let html =
            "<p>a</p><div aria-hidden=\"true\"><ul><li><a href=x>x</a></li></ul></div><p>b</p>";
        assert_eq!(run(html, InputFormat::Html, &[hidden]), "<p>a</p><p>b</p>");
    }

    #[test]
    fn a_wrapper_that_frames_an_embed_is_not_emptied() {
        let ad = rule("^Advertisement$", Edge::Anywhere, 0);
        // The frame's content is raw text to the parser; the video it shows is content.
        let html = "<p>a</p><div><div><span>Advertisement</span></div>\
                    <div><iframe src=\"https://www.youtube.com/embed/x\"></iframe></div></div><p>b</p>";
        assert_eq!(
            run(html, InputFormat::Html, &[ad]),
            "<p>a</p><div><div><iframe src=\"https://www.youtube.com/embed/x\"></iframe></div></div><p>b</p>"
        );
    }

    #[test]
    fn inline_wrappers_emptied_go_too() {
        let hidden = BlockRule {
            hidden: true,
            ..BlockRule::new(None, 200)
        };
        // Cleaning the result again finds nothing left to remove (no empty <span>).
        let html = "<p><span><section style=\"display:none\"><a href=x>link</a></section></span>";
        assert_eq!(run(html, InputFormat::Html, &[hidden]), "<p>");
    }

    #[test]
    fn long_blocks_and_blocks_out_of_reach_stay() {
        let r = rule("订阅", Edge::End, 1);
        let md = "请订阅我们\n\nBody.\n";
        assert_eq!(run(md, InputFormat::Markdown, std::slice::from_ref(&r)), md);
        let long = format!("Body.\n\n{}订阅\n", "字".repeat(300));
        assert_eq!(run(&long, InputFormat::Markdown, &[r]), long);
    }

    #[test]
    fn a_removal_that_empties_a_markdown_html_block_takes_the_block() {
        let r = rule("^©", Edge::End, 1);
        let md = "Body.\n\n<div>\n<p>© 2020</p>\n</div>\n";
        assert_eq!(
            run(md, InputFormat::Markdown, std::slice::from_ref(&r)),
            "Body.\n"
        );
        let md = "<div>\n<p>Body.</p>\n<p>© 2020</p>\n</div>\n\nsource line\n";
        let r2 = rule("^©", Edge::End, 2);
        assert_eq!(
            run(md, InputFormat::Markdown, &[r2]),
            "<div>\n<p>Body.</p>\n</div>\n\nsource line\n"
        );
    }
}
