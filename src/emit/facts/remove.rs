//! Taking the facts' lines out of the tree: each match's lines found in the blocks, cut
//! from the last block up, a whole block removed when every line of it goes.

use super::lines::{Blocks, Unit};
use super::lines::{
    LineCut, bare_line, ends_sentence, lines_of, list_at, nodes_of, overlaps, solid_chars, units,
};
use crate::emit::blocks::is_block;
use crate::emit::tree::{List, Node, Tree};
use crate::report::Fact;
use std::ops::Range;

/// The lines each match took out of the body, once per match: a match gives its facts
/// one after another, each of its fields once, all with the match's rule and lines; the
/// same lines in another block (a note repeated at the article's end) are another match.
fn matched_lines(facts: &[Fact]) -> Vec<(&str, bool)> {
    let mut lines = Vec::new();
    let mut current: Option<(&str, &str, bool)> = None;
    let mut fields: Vec<&str> = Vec::new();
    for fact in facts.iter().filter(|f| !f.line.is_empty()) {
        let this = (fact.rule.as_str(), fact.line.as_str(), fact.tail);
        if current != Some(this) || fields.contains(&fact.field.as_str()) {
            lines.push((fact.line.as_str(), fact.tail));
            current = Some(this);
            fields.clear();
        }
        fields.push(&fact.field);
    }
    lines
}

/// Takes the lines of `facts` out of `tree`. Where `read` read them from
/// the same tree (`blocks`), the lines each match took are where it found them; else, in
/// each block, the first run of lines that is a fact's line, or the end of a line that is
/// a fact's tail, and then the lines of the facts that follow while the block holds them
/// elsewhere (several rules' lines of one block).
pub fn remove(tree: &mut Tree, facts: &[Fact], blocks: Blocks) {
    let with_lines = facts.iter().filter(|f| !f.line.is_empty()).count();
    if with_lines == 0 {
        return;
    }
    let Blocks {
        units,
        lines: mut read,
        taken,
    } = blocks;
    let units = units.unwrap_or_else(|| self::units(tree.top()));
    let blocks_cut = match taken.filter(|t| t.facts == with_lines) {
        Some(taken) => (taken.cuts.into_iter())
            .map(|(u, found)| {
                let unit = &units[u];
                let text = match read.get_mut(u).and_then(Option::take) {
                    Some(lines) => lines,
                    None => lines_of(nodes_of(tree, unit), unit.pre),
                };
                let mut cuts: Vec<LineCut> = Vec::with_capacity(found.len());
                for cut in found {
                    let cut = with_blank_line(tree, unit, &text, &cuts, cut);
                    cuts.push(cut);
                }
                (u, text.len(), cuts)
            })
            .collect(),
        None => found_again(tree, &units, &mut read, facts),
    };
    // From the last block, and in a block from its last lines: a removal never moves the
    // nodes of an earlier block, nor the lines before it.
    for (u, lines, mut cuts) in blocks_cut.into_iter().rev() {
        cuts.sort_by_key(|c| std::cmp::Reverse(c.lo));
        let unit = &units[u];
        let list = list_at(tree, &unit.path);
        let whole: usize = (cuts.iter())
            .map(|c| if c.kept.is_none() { c.hi + 1 - c.lo } else { 0 })
            .sum();
        if whole == lines {
            // The rules took every line of the block: the block goes.
            tree.remove(list, unit.span.clone());
            continue;
        }
        let mut span = unit.span.clone();
        for &LineCut { lo, hi, kept } in &cuts {
            let nodes = tree.list(list);
            let (inner, range) = if span.len() == 1 && nodes.get(span.start).is_some_and(is_block) {
                let inside = tree.children_of(list, span.start);
                (inside, 0..tree.list(inside).len())
            } else {
                (list, span.clone())
            };
            let before = tree.list(list).len();
            match kept {
                Some(kept) => {
                    let mut at = Cut {
                        line: 0,
                        target: lo,
                        kept,
                        read: 0,
                    };
                    at.tail(tree, inner, range, unit.pre);
                }
                None => prune(tree, inner, range, &mut 0, (lo, hi), unit.pre),
            }
            // Nodes of an inline run that went: the run ends that much earlier.
            span.end -= before - tree.list(list).len();
        }
    }
}

/// The cuts of [`remove`] for facts read from another tree (or not handed over): each
/// match's lines found again by their text, as the doc of [`remove`] says. Each block with
/// lines to cut: the block, its number of lines, and its cuts.
fn found_again(
    tree: &Tree,
    units: &[Unit],
    read: &mut [Option<Vec<String>>],
    facts: &[Fact],
) -> Vec<(usize, usize, Vec<LineCut>)> {
    let wanted = matched_lines(facts);
    let mut wanted: Vec<(Vec<&str>, bool)> = (wanted.iter())
        .map(|&(l, tail)| (l.split('\n').collect(), tail))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    // Each block with lines to cut: the block, its number of lines, and its cuts.
    let mut blocks_cut: Vec<(usize, usize, Vec<LineCut>)> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        // A unit's lines are read only until every line wanted is found.
        let text = match read.get_mut(u).and_then(Option::take) {
            Some(lines) => lines,
            None => lines_of(nodes_of(tree, unit), unit.pre),
        };
        let mut cuts: Vec<LineCut> = Vec::new();
        // The first wanted lines found here, then those wanted next while they are found
        // here too, on other lines: the lines several rules took from one block.
        let mut next = None;
        loop {
            let found = match next {
                None => (wanted.iter().enumerate())
                    .find_map(|(w, want)| find(&text, want, &cuts).map(|(lo, kept)| (w, lo, kept))),
                Some(w) => (wanted.get(w))
                    .and_then(|want| find(&text, want, &cuts))
                    .map(|(lo, kept)| (w, lo, kept)),
            };
            let Some((w, lo, kept)) = found else {
                break;
            };
            let hi = lo + wanted[w].0.len() - 1;
            wanted.remove(w);
            let cut = with_blank_line(tree, unit, &text, &cuts, LineCut { lo, hi, kept });
            cuts.push(cut);
            next = Some(w);
        }
        if !cuts.is_empty() {
            blocks_cut.push((u, text.len(), cuts));
        }
        if wanted.is_empty() {
            break;
        }
    }
    blocks_cut
}

/// `cut`, which takes lines of the block `unit` (its lines `text`; `cuts` those taken
/// before it), with the blank line after it when a blank line comes before it too: lines
/// between two blank lines take one of them along, so that the block keeps one blank line
/// there, not two (a blank line that shows nothing, not even an image). A tail leaves its
/// line.
fn with_blank_line(
    tree: &Tree,
    unit: &Unit,
    text: &[String],
    cuts: &[LineCut],
    cut: LineCut,
) -> LineCut {
    let LineCut { lo, hi, kept } = cut;
    let hi = if kept.is_none()
        && lo > 0
        && text[lo - 1].is_empty()
        && text.get(hi + 1).is_some_and(String::is_empty)
        && !overlaps(cuts, hi + 1, hi + 1)
        && bare_line(nodes_of(tree, unit), unit.pre, hi + 1)
    {
        hi + 1
    } else {
        hi
    };
    LineCut { lo, hi, kept }
}

/// Where the lines `want` are in `text` (the lines of a block), on lines no cut of `taken`
/// holds: the first line, and for a tail the letters its line keeps.
fn find(
    text: &[String],
    (lines, tail): &(Vec<&str>, bool),
    taken: &[LineCut],
) -> Option<(usize, Option<usize>)> {
    if *tail {
        let end = lines.first()?;
        return text.iter().enumerate().find_map(|(lo, line)| {
            let before = line.strip_suffix(end)?.trim();
            (!before.is_empty() && ends_sentence(before) && !overlaps(taken, lo, lo))
                .then(|| (lo, Some(solid_chars(before))))
        });
    }
    text.windows(lines.len())
        .enumerate()
        .find(|(lo, win)| {
            win.iter().zip(lines).all(|(a, b)| a == b)
                && !overlaps(taken, *lo, lo + lines.len() - 1)
        })
        .map(|(lo, _)| (lo, None))
}

/// Where a tail's cut is: line `target` of a block keeps its first `kept` letters
/// (whitespace aside); `line` and `read` say how far the walk has come.
struct Cut {
    line: usize,
    target: usize,
    kept: usize,
    /// Letters of line `target` read so far.
    read: usize,
}

impl Cut {
    /// Whether the walk stands in the tail: on line `target`, past its kept letters.
    fn in_tail(&self) -> bool {
        self.line == self.target && self.read >= self.kept
    }

    /// Takes the tail out of the nodes `range` of `list` (in a `<pre>` if `pre`): text past
    /// the kept letters of the target line, and the elements that held only such text.
    fn tail(&mut self, tree: &mut Tree, list: List, range: Range<usize>, pre: bool) {
        let mut keep = Vec::with_capacity(range.len());
        for i in range.clone() {
            let Some(node) = tree.list(list).get(i) else {
                break;
            };
            let kept = match node {
                Node::Text(t) => {
                    let mut kept = String::with_capacity(t.len());
                    // In a `<pre>`, a newline ends a line.
                    let pieces: &mut dyn Iterator<Item = &str> = if pre {
                        &mut t.split('\n')
                    } else {
                        &mut std::iter::once(t)
                    };
                    for (k, piece) in pieces.enumerate() {
                        if k > 0 {
                            kept.push('\n');
                            self.line += 1;
                        }
                        if self.line != self.target {
                            kept.push_str(piece);
                            continue;
                        }
                        for c in piece.chars() {
                            if self.read >= self.kept {
                                break;
                            }
                            kept.push(c);
                            self.read += usize::from(!c.is_whitespace());
                        }
                    }
                    let was_empty = t.is_empty();
                    if kept.len() != t.len() {
                        tree.set_text(list, i, &kept);
                    }
                    !kept.is_empty() || was_empty
                }
                Node::Element(e) if e.name() == "br" => {
                    self.line += 1;
                    true
                }
                Node::Element(e) => {
                    let pre = pre || e.name() == "pre";
                    let (whole, had) = (self.in_tail(), !e.children().is_empty());
                    let children = tree.children_of(list, i);
                    let all = 0..e.children().len();
                    self.tail(tree, children, all, pre);
                    let emptied = had && tree.list(children).is_empty();
                    !(emptied || whole && self.line == self.target)
                }
            };
            keep.push(kept);
        }
        tree.retain(list, range, &keep);
    }
}

/// Takes lines `lo..=hi` out of the nodes `range` of `list` (inline content, in a `<pre>`
/// if `pre`: there a newline ends a line too), with the line breaks that close them (or,
/// for the first lines, that follow them); an element left with nothing goes too.
fn prune(
    tree: &mut Tree,
    list: List,
    range: Range<usize>,
    line: &mut usize,
    (lo, hi): (usize, usize),
    pre: bool,
) {
    let inside = |l: usize| (lo..=hi).contains(&l);
    // Whether the break after line `between` goes.
    let goes = |between: usize| {
        if lo > 0 {
            (lo - 1..hi).contains(&between)
        } else {
            between <= hi
        }
    };
    let mut keep = Vec::with_capacity(range.len());
    for i in range.clone() {
        let Some(node) = tree.list(list).get(i) else {
            break;
        };
        let kept = match node {
            Node::Text(t) if pre && t.contains('\n') => {
                let mut kept = String::new();
                for (k, piece) in t.split('\n').enumerate() {
                    if k > 0 {
                        if !goes(*line) {
                            kept.push('\n');
                        }
                        *line += 1;
                    }
                    if !inside(*line) {
                        kept.push_str(piece);
                    }
                }
                if kept.len() != t.len() {
                    tree.set_text(list, i, &kept);
                }
                !kept.is_empty()
            }
            Node::Text(_) => !inside(*line),
            Node::Element(e) if e.name() == "br" => {
                let between = *line;
                *line += 1;
                !goes(between)
            }
            Node::Element(e) => {
                let pre = pre || e.name() == "pre";
                let before = *line;
                let children = tree.children_of(list, i);
                let all = 0..e.children().len();
                prune(tree, children, all, line, (lo, hi), pre);
                !(inside(before) && inside(*line) && tree.list(children).is_empty())
            }
        };
        keep.push(kept);
    }
    tree.retain(list, range, &keep);
}
