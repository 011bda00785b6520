//! The last stage: the article read as a sequence of blocks ([`view`]) and judged by block
//! rules — by a block's text, its share of link text, whether it shows media or is hidden,
//! and its place: among the last (or first) blocks of the article. Chaff that looks the same
//! on every outlet (copyright notices, subscription pitches, related lists at the end) is
//! found this way without knowing a site's markup, and the guards keep the article: a rule
//! takes a whole block, of bounded length, at the article's edge.
//!
//! The stage runs on a document held in memory, after every other rule: the edge it sees is
//! the article's, once the mirror's and the outlet's template is gone.

pub(crate) mod view;

pub(crate) use crate::actions::remove_block::{BlockRule, Edge};
#[cfg(test)]
use crate::lazy_regex::LazyRegex;
use crate::lazy_regex::LiteralSet;
use crate::report::Stats;
use crate::rules::{InputFormat, Rule};
use std::borrow::Cow;
use std::ops::Range;
use view::{Block, View};

/// A block of links in a list: mostly link text, and short.
const LIST_ITEM_LINKS: f64 = 0.5;
const LIST_ITEM_CHARS: usize = 300;

// The rule's data is the action's (`actions::remove_block`); judging a block is this
// stage's.
impl BlockRule {
    /// Whether the block meets the rule's conditions, place apart; `may_match` tells
    /// whether the block's text holds a literal the rule's pattern requires (asked only
    /// when every other condition holds).
    fn takes(&self, block: &Block, may_match: impl FnOnce() -> bool) -> bool {
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
        self.pattern
            .as_ref()
            .is_none_or(|p| may_match() && p.matches_past_literals(&block.text))
    }
}

/// The literals of the block rules found in each block's text: one scan of a block for
/// all rules, made when a rule first asks.
struct Found<'a> {
    set: &'a LiteralSet,
    blocks: Vec<Option<Vec<bool>>>,
}

impl<'a> Found<'a> {
    fn new(set: &'a LiteralSet, blocks: usize) -> Found<'a> {
        Found {
            set,
            blocks: vec![None; blocks],
        }
    }

    /// Whether the pattern of the block rule at `slot` may match block `b`'s text.
    fn may_match(&mut self, blocks: &[Block], b: usize, slot: usize) -> bool {
        let set = self.set;
        self.blocks[b].get_or_insert_with(|| set.may_match(&blocks[b].text))[slot]
    }
}

fn is_list_item(block: &Block) -> bool {
    if block.chars == 0 {
        return block.media;
    }
    block.chars <= LIST_ITEM_CHARS
        && (block.link_share() >= LIST_ITEM_LINKS || block.is_dated_link())
}

fn is_media_only(block: &Block) -> bool {
    block.media && block.chars == 0 && block.range.is_some()
}

/// The last stage of a document held in memory: the pass's `Stage::Article` rules on the
/// cleaned `text`. A block holding one of the `metadata` lines (their lines joined by a
/// space) is never taken: what a metadata rule reads stays in the source, and leaves the
/// rendered body as metadata, not as chaff.
///
/// `literals` are those of the block rules among `rules`, in their order
/// (`Catalog::block_literals`).
pub(crate) fn clean(
    text: String,
    format: InputFormat,
    rules: &[&Rule],
    literals: &LiteralSet,
    stats: &Stats,
    metadata: &dyn Fn(&str) -> Vec<String>,
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
    let metadata = |text: &str| -> &[String] { lines.get_or_init(|| metadata(text)) };
    let mut text = text;
    for _ in 0..MAX_ROUNDS {
        match apply(&text, format, &block_rules, literals, stats, &metadata) {
            Cow::Borrowed(_) => break,
            Cow::Owned(cleaned) => text = cleaned,
        }
    }
    text
}

/// How many times [`clean`] reads the document again after a removal.
const MAX_ROUNDS: usize = 8;

/// The literals of block rules' patterns, in their order.
fn literal_set(rules: &[(usize, &BlockRule)]) -> LiteralSet {
    let patterns: Vec<_> = rules.iter().map(|(_, r)| r.pattern.as_ref()).collect();
    LiteralSet::new(&patterns)
}

/// Applies the block rules (each with its index in the document's rule list, for the
/// report; `literals` theirs, in their order) to a cleaned document.
pub(crate) fn apply<'a, 'm>(
    text: &'a str,
    format: InputFormat,
    rules: &[(usize, &BlockRule)],
    literals: &LiteralSet,
    stats: &Stats,
    metadata: &dyn Fn(&str) -> &'m [String],
) -> Cow<'a, str> {
    if rules.is_empty() {
        return Cow::Borrowed(text);
    }
    let view = View::of(text, format);
    let mut found = Found::new(literals, view.blocks.len());
    let mut removed = judge(&view.blocks, rules, &mut found);
    for (block, by) in view.blocks.iter().zip(removed.iter_mut()) {
        if by.is_some()
            && metadata(text)
                .iter()
                .any(|m| block.text.contains(m.as_str()))
        {
            *by = None;
        }
    }
    if removed.iter().all(Option::is_none) {
        return Cow::Borrowed(text);
    }
    for (block, by) in view.blocks.iter().zip(&removed) {
        if let (Some(rule), Some(range)) = (by, &block.range) {
            stats.removed(*rule, &text[range.clone()]);
        }
    }
    let ranges = ranges(&view, &removed);
    Cow::Owned(cut(text, format, &ranges))
}

/// Which blocks go, and by which rule (its index in the document's rule list).
fn judge(blocks: &[Block], rules: &[(usize, &BlockRule)], found: &mut Found) -> Vec<Option<usize>> {
    let mut removed: Vec<Option<usize>> = vec![None; blocks.len()];
    // Each rule with its place among the block rules (its literals' slot).
    let at_edge = |edge: Edge| -> Vec<Slotted> {
        rules
            .iter()
            .enumerate()
            .filter(|(_, (_, r))| r.edge == edge)
            .map(|(slot, &(index, rule))| (slot, index, rule))
            .collect()
    };
    let anywhere = at_edge(Edge::Anywhere);
    if !anywhere.is_empty() {
        for (b, block) in blocks.iter().enumerate() {
            if let Some((_, i, _)) = anywhere
                .iter()
                .find(|(slot, _, r)| r.takes(block, || found.may_match(blocks, b, *slot)))
            {
                removed[b] = Some(*i);
            }
        }
    }
    let end = at_edge(Edge::End);
    if !end.is_empty() {
        sweep(blocks, &end, &mut removed, false, found);
    }
    let start = at_edge(Edge::Start);
    if !start.is_empty() {
        sweep(blocks, &start, &mut removed, true, found);
    }
    removed
}

/// A block rule: its slot among the block rules, its index in the document's rules, and
/// the rule.
type Slotted<'a> = (usize, usize, &'a BlockRule);

/// Walks from an edge of the article inwards (`forward`: from the start), taking the
/// blocks the rules take while they are within reach of that edge. A block taken does not
/// count: what stood behind it is now at the edge.
fn sweep(
    blocks: &[Block],
    rules: &[Slotted],
    removed: &mut [Option<usize>],
    forward: bool,
    found: &mut Found,
) {
    let reach = rules
        .iter()
        .map(|(_, _, r)| r.within.max(r.list.unwrap_or(0) + 1))
        .max()
        .unwrap_or(0);
    // Blocks kept so far, nearest to this point last; how many of them have text (a rule's
    // reach counts those: an image between the text and the edge is no article text); and
    // whether all are list items.
    let mut kept: Vec<usize> = Vec::new();
    let mut kept_text = 0usize;
    let mut all_items = true;
    // On a sweep from the start, the image a pitch points at (the block right after it)
    // comes next: the rule that took the pitch.
    let mut pending_media: Option<usize> = None;
    let order: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(0..blocks.len())
    } else {
        Box::new((0..blocks.len()).rev())
    };
    for b in order {
        let block = &blocks[b];
        if removed[b].is_some() || !block.has_content() {
            continue;
        }
        if let Some(rule) = pending_media.take()
            && is_media_only(block)
        {
            removed[b] = Some(rule);
            continue;
        }
        if kept_text >= reach {
            break;
        }
        let hit = rules.iter().find(|(slot, _, r)| {
            r.takes(block, || found.may_match(blocks, b, *slot))
                && match r.list {
                    Some(most) => all_items && kept_text > 0 && kept.len() <= most,
                    None => kept_text < r.within,
                }
        });
        let Some(&(_, index, rule)) = hit else {
            all_items &= is_list_item(block);
            kept.push(b);
            kept_text += usize::from(block.chars > 0);
            continue;
        };
        removed[b] = Some(index);
        if rule.list.is_some() {
            for k in kept.drain(..) {
                removed[k] = Some(index);
            }
            kept_text = 0;
            all_items = true;
        }
        if rule.with_media {
            if forward {
                pending_media = Some(index);
            } else if let Some(&next) = kept.last()
                && is_media_only(&blocks[next])
            {
                // Swept from the end, the block right after the pitch was kept just now.
                removed[next] = Some(index);
                kept.pop();
            }
        }
    }
}

/// The byte ranges to cut: every block removed and every container whose blocks all went,
/// the outermost only, in order, merged.
fn ranges(view: &View, removed: &[Option<usize>]) -> Vec<Range<usize>> {
    let n = view.containers.len();
    let mut total = vec![0usize; n];
    let mut live = vec![0usize; n];
    for (block, by) in view.blocks.iter().zip(removed) {
        if let Some(p) = block.parent {
            total[p] += 1;
            live[p] += usize::from(by.is_none());
        }
    }
    // A container's parent is an earlier container: children are summed up from the last.
    for c in (0..n).rev() {
        if let Some(p) = view.containers[c].parent {
            total[p] += total[c];
            live[p] += live[c];
        }
    }
    let mut emptied: Vec<bool> = (0..n)
        .map(|c| total[c] > 0 && live[c] == 0 && view.containers[c].range.is_some())
        .collect();
    // Nor does a container go whole that holds content of a block that stays: text after
    // an element's last block is that element's block, though it may stand inside an inline
    // container around that last block (`<a><p>x</p>y</a>`: y is the block's after p).
    let mut kept: Vec<Range<usize>> = (view.blocks.iter().zip(removed))
        .filter(|(_, by)| by.is_none())
        .filter_map(|(block, _)| block.extent.clone())
        .collect();
    kept.sort_by_key(|r| r.start);
    // The furthest end among the kept extents up to each one.
    let reach: Vec<usize> = (kept.iter())
        .scan(0, |end, r| {
            *end = (*end).max(r.end);
            Some(*end)
        })
        .collect();
    for (c, gone) in emptied.iter_mut().enumerate() {
        let Some(r) = view.containers[c].range.as_ref().filter(|_| *gone) else {
            continue;
        };
        // The kept extents that start before the container ends: does one reach into it?
        let before = kept.partition_point(|k| k.start < r.end);
        *gone = before == 0 || reach[before - 1] <= r.start;
    }
    // Whether a container lies inside one that goes whole.
    let mut covered = vec![false; n];
    for c in 0..n {
        if let Some(p) = view.containers[c].parent {
            covered[c] = emptied[p] || covered[p];
        }
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for c in 0..n {
        if emptied[c]
            && !covered[c]
            && let Some(r) = &view.containers[c].range
        {
            out.push(r.clone());
        }
    }
    for (block, by) in view.blocks.iter().zip(removed) {
        let inside_gone = block.parent.is_some_and(|p| emptied[p] || covered[p]);
        if by.is_some()
            && !inside_gone
            && let Some(r) = &block.range
        {
            out.push(r.clone());
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
        let blank = |s: &[u8]| s.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if line_start >= pos && blank(&bytes[line_start..start]) && blank(&bytes[end..line_end]) {
            start = line_start;
            end = line_end;
        }
        out.push_str(&text[pos..start]);
        pos = end;
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

#[cfg(test)]
mod tests {
    use super::*;

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

    fn run(text: &str, format: InputFormat, rules: &[BlockRule]) -> String {
        let indexed: Vec<(usize, &BlockRule)> = rules.iter().enumerate().collect();
        let literals = literal_set(&indexed);
        apply(
            text,
            format,
            &indexed,
            &literals,
            &Stats::new(rules.len()),
            &|_| &[],
        )
        .into_owned()
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
        assert_eq!(run(html, InputFormat::Html, &[related]), "<p>Body.</p>");
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
