//! The line model both stages share: a tree's blocks (an element that holds no other
//! block, or a run of inline nodes beside blocks), found again by their path; a block's
//! lines (what `<br>`, and in a `<pre>` a newline, separate), whitespace folded; and the
//! lines a match takes.

use crate::emit::blocks::is_block;
use crate::emit::tree::{List, Node, Nodes, Tree};
use std::ops::Range;
use std::sync::Arc;

/// The blocks of a tree and the lines of those whose lines were read, by block: kept from
/// reading the facts (`read`) for taking their lines out of the same tree (`remove`),
/// so that neither is read twice.
#[derive(Default)]
pub struct Blocks {
    pub(super) units: Option<Vec<Unit>>,
    pub(super) lines: Vec<Option<Vec<String>>>,
    pub(super) taken: Option<Taken>,
}

/// The lines the matches of a reading took, where it found them, handed to `remove` so
/// that it does not look for them again: by block (its place among the tree's blocks), in
/// reading order, a block's cuts in the order of its matches.
pub(super) struct Taken {
    /// How many facts with lines the reading gave: the facts the cuts are for.
    pub(super) facts: usize,
    pub(super) cuts: Vec<(usize, Vec<LineCut>)>,
}

/// A block of the tree: an element holding no other block, or a run of inline nodes.
pub(super) struct Unit {
    /// The indexes from the root down to the list of nodes the block lies in: one copy
    /// for the blocks of a list (a page of short paragraphs has a block every few dozen
    /// bytes, and a copy each took about a third of the page while the facts were read).
    pub(super) path: Arc<[usize]>,
    /// Its nodes in that list.
    pub(super) span: Range<usize>,
    /// Whether it lies in a `<pre>`, whose lines are also what a newline separates.
    pub(super) pre: bool,
}

/// Lines of a block to cut: `lo..=hi`, or for a tail (`kept`: the letters its line keeps)
/// the end of line `lo`.
#[derive(Clone, Copy)]
pub(super) struct LineCut {
    pub(super) lo: usize,
    pub(super) hi: usize,
    pub(super) kept: Option<usize>,
}

/// Whether a line of `lo..=hi` is in one of the cuts `taken`.
pub(super) fn overlaps(taken: &[LineCut], lo: usize, hi: usize) -> bool {
    taken.iter().any(|c| c.lo <= hi && lo <= c.hi)
}

/// Whether `text` ends a sentence: with a full stop, a question or an exclamation mark, or
/// one of them and the closing quotes or brackets after it. A tail begins only there.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let closers = ['”', '’', '」', '』', '）', ')', '】', '》', '"', '\''];
    let text = text.trim_end().trim_end_matches(closers);
    text.ends_with(['。', '！', '？', '!', '?', '.', '…'])
}

/// The lines from the one holding byte `start` of `text` to the one holding the match's
/// last byte.
pub(super) fn lines_touched(text: &str, start: usize, end: usize) -> (usize, usize) {
    let breaks = |to: usize| {
        text.as_bytes()[..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let lo = breaks(start);
    let hi = if end > start { breaks(end - 1) } else { lo };
    (lo, hi.max(lo))
}

/// The list a unit lies in, found again by its path (which goes through elements).
pub(super) fn list_at(tree: &Tree, path: &[usize]) -> List {
    let mut list = List::Top;
    for &i in path {
        list = tree.children_of(list, i);
    }
    list
}

/// The nodes of a unit, found again by its path.
pub(super) fn nodes_of<'t>(tree: &'t Tree, unit: &Unit) -> Nodes<'t> {
    let nodes = tree
        .list(list_at(tree, &unit.path))
        .slice(unit.span.clone());
    match nodes.get(0) {
        Some(n @ Node::Element(e)) if nodes.len() == 1 && is_block(n) => e.children(),
        _ => nodes,
    }
}

/// The blocks of `tree`, in reading order.
pub(super) fn units(tree: Nodes<'_>) -> Vec<Unit> {
    let mut out = Vec::new();
    collect(tree, &mut Vec::new(), &mut out, (0, false));
    out
}

/// Whether any text of `nodes` is not whitespace.
pub(super) fn any_text(nodes: Nodes<'_>) -> bool {
    nodes.iter().any(|n| match n {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(e) => any_text(e.children()),
    })
}

/// Past this depth a block is read whole: the tree is bounded anyway (`tree::MAX_DEPTH`).
pub(super) const MAX_DEPTH: usize = 256;

/// The units of `nodes` into `out`; `depth` is how deep `nodes` lie, `pre` whether they lie
/// in a `<pre>`.
pub(super) fn collect(
    nodes: Nodes<'_>,
    path: &mut Vec<usize>,
    out: &mut Vec<Unit>,
    (depth, pre): (usize, bool),
) {
    // The path of the blocks that lie in `nodes`, made for the first of them.
    let mut shared: Option<Arc<[usize]>> = None;
    let mut here = |path: &[usize]| Arc::clone(shared.get_or_insert_with(|| Arc::from(path)));
    let mut i = 0;
    while i < nodes.len() {
        // A block, or an inline element around blocks (a `<span>` holding paragraphs),
        // which is read as a container.
        if let Some(n @ Node::Element(e)) = nodes.get(i)
            && holds_block(n)
        {
            let pre = pre || e.name() == "pre";
            if depth < MAX_DEPTH && e.children().iter().any(holds_block) {
                path.push(i);
                collect(e.children(), path, out, (depth + 1, pre));
                path.pop();
            } else {
                out.push(Unit {
                    path: here(path),
                    span: i..i + 1,
                    pre,
                });
            }
            i += 1;
            continue;
        }
        let start = i;
        while nodes.get(i).is_some_and(|n| !holds_block(n)) {
            i += 1;
        }
        out.push(Unit {
            path: here(path),
            span: start..i,
            pre,
        });
    }
}

/// Whether the node is a block or holds one.
pub(super) fn holds_block(node: Node<'_>) -> bool {
    match node {
        Node::Element(e) => is_block(node) || e.children().iter().any(holds_block),
        Node::Text(_) => false,
    }
}

/// The text of each line of inline content (in a `<pre>` if `pre`): whitespace folded,
/// trimmed.
pub(super) fn lines_of(nodes: Nodes<'_>, pre: bool) -> Vec<String> {
    text_of(nodes, pre)
        .split('\n')
        .map(str::to_string)
        .collect()
}

/// The lines of [`lines_of`] joined by `\n`, made as one string (no line holds a `\n`).
pub(super) fn text_of(nodes: Nodes<'_>, pre: bool) -> String {
    folded(nodes, pre, crate::text::fold_blanks_into)
}

/// [`text_of`], but whitespace that held a line break folds to `\n`, not a space: byte for
/// byte as long, so that a place in one is the same place in the other.
pub(super) fn text_keeping_breaks(nodes: Nodes<'_>, pre: bool) -> String {
    folded(nodes, pre, |line, out| {
        out.push_str(&crate::text::fold_blanks_keeping_breaks(line))
    })
}

/// The lines of `nodes` (in a `<pre>` if `pre`), each folded into the text by `fold`,
/// joined by `\n`.
fn folded(nodes: Nodes<'_>, pre: bool, fold: impl Fn(&str, &mut String)) -> String {
    /// The text of the lines into `raw`, where each line but the first begins into `starts`.
    fn walk(nodes: Nodes<'_>, pre: bool, raw: &mut String, starts: &mut Vec<usize>) {
        for n in nodes {
            match n {
                Node::Text(t) if pre => {
                    for (k, piece) in t.split('\n').enumerate() {
                        if k > 0 {
                            starts.push(raw.len());
                        }
                        raw.push_str(piece);
                    }
                }
                Node::Text(t) => raw.push_str(t),
                Node::Element(e) if e.name() == "br" => starts.push(raw.len()),
                Node::Element(e) => walk(e.children(), pre || e.name() == "pre", raw, starts),
            }
        }
    }
    let (mut raw, mut starts) = (String::new(), Vec::new());
    walk(nodes, pre, &mut raw, &mut starts);
    let mut text = String::with_capacity(raw.len());
    let mut from = 0;
    for (k, to) in starts.into_iter().chain([raw.len()]).enumerate() {
        if k > 0 {
            text.push('\n');
        }
        fold(&raw[from..to], &mut text);
        from = to;
    }
    text
}

/// Whether line `target` of `nodes` (in a `<pre>` if `pre`) holds nothing but whitespace:
/// no text, no image or other element of its own.
pub(super) fn bare_line(nodes: Nodes<'_>, pre: bool, target: usize) -> bool {
    fn walk(nodes: Nodes<'_>, pre: bool, target: usize, line: &mut usize) -> bool {
        for n in nodes {
            if *line > target {
                return true;
            }
            match n {
                Node::Text(t) => {
                    let pieces: &mut dyn Iterator<Item = &str> = if pre {
                        &mut t.split('\n')
                    } else {
                        &mut std::iter::once(t)
                    };
                    for (k, piece) in pieces.enumerate() {
                        *line += usize::from(k > 0);
                        if *line == target && !piece.trim().is_empty() {
                            return false;
                        }
                    }
                }
                Node::Element(e) if e.name() == "br" => *line += 1,
                Node::Element(e) => {
                    let before = *line;
                    if !walk(e.children(), pre || e.name() == "pre", target, line) {
                        return false;
                    }
                    // An element with nothing inside (an image, an input) shows itself.
                    if e.children().is_empty() && (before..=*line).contains(&target) {
                        return false;
                    }
                }
            }
        }
        true
    }
    walk(nodes, pre, target, &mut 0)
}

/// The characters of `text` that are not whitespace.
pub(super) fn solid_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}
