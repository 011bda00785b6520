//! Metadata lines: lines of a document that state facts about the article rather than tell
//! it — the mirror's source line with the original's address, a link to the
//! original-language version, a short URL, a feed's author and date line. Rules of the
//! `metadata` action say which lines they are and which fields they feed (rule data, never
//! code); here the article tree is read as blocks of lines, the rules are matched, the
//! fields captured and, for Markdown, HTML and text, the lines taken out of the body.
//! `--to source` keeps them where they stand.
//!
//! A block is an element that holds no other block, or a run of inline content beside
//! blocks; its lines are what `<br>` separates. A rule's pattern is searched in the block's
//! text (entities decoded, whitespace folded, lines joined by `\n`); the lines its match
//! touches are the metadata lines.

use super::blocks::is_block;
use super::tree::{List, Node, Nodes, Tree};
pub(crate) use crate::actions::metadata::{Edge, LineRule, Reads, URL_FIELDS};
use crate::report::Fact;
use std::ops::Range;

/// A block of the tree: an element holding no other block, or a run of inline nodes.
struct Unit {
    /// The indexes from the root down to the list of nodes the block lies in.
    path: Vec<usize>,
    /// Its nodes in that list.
    span: Range<usize>,
    /// Whether it lies in a `<pre>`, whose lines are also what a newline separates.
    pre: bool,
}

/// The blocks of a tree and the lines of those whose lines were read, by block: kept from
/// reading the facts ([`read`]) for taking their lines out of the same tree ([`remove`]),
/// so that neither is read twice.
#[derive(Default)]
pub struct Blocks {
    units: Option<Vec<Unit>>,
    lines: Vec<Option<Vec<String>>>,
}

/// What was read from a document: the facts, and the non-web addresses left out.
#[derive(Debug, Default)]
pub struct Reading {
    pub facts: Vec<Fact>,
    /// `(field, value)` of addresses that are not `http`/`https`.
    pub refused: Vec<(String, String)>,
    /// `(rule index, removed text)` for each rule that acted.
    pub hits: Vec<(usize, String)>,
}

impl Reading {
    /// Adds a fact, or refuses an address that is not `http` or `https`.
    fn push(&mut self, field: String, value: String, rule: &str, line: (&str, bool), source: bool) {
        if URL_FIELDS.contains(&field.as_str()) && !crate::detect::is_web_url(&value) {
            self.refused.push((field, value));
            return;
        }
        self.facts.push(Fact {
            field,
            value,
            rule: rule.to_string(),
            line: line.0.to_string(),
            tail: line.1,
            source,
        });
    }

    /// Adds what the named groups of `rule`'s first match in `text` read, and counts a hit.
    fn read_groups(
        &mut self,
        text: &str,
        (index, id, rule): (usize, &str, &LineRule),
        source: bool,
    ) -> bool {
        if !rule.pattern.may_match(text) {
            return false;
        }
        let Some(caps) = rule.pattern.captures(text) else {
            return false;
        };
        let mut read = false;
        for name in rule.pattern.capture_names().flatten() {
            let Some(v) = caps.name(name).map(|m| m.as_str().trim()) else {
                continue;
            };
            if !v.is_empty() {
                self.push(name.to_string(), v.to_string(), id, ("", false), source);
                read = true;
            }
        }
        if read {
            let whole = caps.get(0).map_or("", |m| m.as_str());
            self.hits.push((index, crate::text::fold_blanks(whole)));
        }
        read
    }
}

/// Reads the title as the document gives it with the rules that read titles
/// (`in = "title"`): the first that reads a `title` gives it.
pub fn read_title(title: &str, rules: &[(usize, &str, &LineRule)], reading: &mut Reading) {
    for &rule in rules {
        if reading.read_groups(title, rule, false) {
            break;
        }
    }
}

/// Reads the cleaned document's text with the rules that read the source
/// (`in = "source"`): each rule's first match.
pub fn read_source(text: &str, rules: &[(usize, &str, &LineRule)], reading: &mut Reading) {
    for &rule in rules {
        reading.read_groups(text, rule, true);
    }
}

/// Reads the facts the rules (each with its index in the document's rule list and its
/// full id) find in `tree`, without changing it; what it read of the tree's blocks is left
/// in `blocks`.
pub fn read(tree: &Tree, rules: &[(usize, &str, &LineRule)], blocks: &mut Blocks) -> Reading {
    // A block's lines are read only where a rule looks: most rules look among the first or
    // last few blocks, and reading the lines of every block costs more than the rules.
    let units = units(tree.top());
    let mut read: Vec<Option<Vec<String>>> = vec![None; units.len()];
    let with_text: Vec<usize> = (0..units.len())
        .filter(|&u| any_text(nodes_of(tree, &units[u])))
        .collect();
    let anywhere = rules.iter().any(|(_, _, r)| r.edge == Edge::Anywhere);
    let reach = |edge: Edge| {
        (rules.iter())
            .filter(|(_, _, r)| r.edge == edge)
            .map(|(_, _, r)| r.within)
            .max()
            .unwrap_or(0)
    };
    let (start, end) = (reach(Edge::Start), reach(Edge::End));
    let mut reading = Reading::default();
    for (order, &u) in with_text.iter().enumerate() {
        if !anywhere && order >= start && with_text.len() - order > end {
            continue;
        }
        let unit = &units[u];
        let lines = lines_of(nodes_of(tree, unit), unit.pre);
        let text = lines.join("\n");
        // The same text with a line break where folded whitespace held one: for values.
        let broken = std::cell::OnceCell::new();
        // The lines of this block that rules took or read so far: a later rule acts only
        // on other lines (the first rule keeps a line, and its value for a field).
        let mut taken: Vec<LineCut> = Vec::new();
        for &(index, id, rule) in rules {
            let near = match rule.edge {
                Edge::Anywhere => true,
                Edge::Start => order < rule.within,
                Edge::End => with_text.len() - order <= rule.within,
            };
            if !near || !rule.pattern.may_match(&text) {
                continue;
            }
            let Some(caps) = rule.pattern.captures(&text) else {
                continue;
            };
            let m = caps.get(0).expect("group 0 is the match");
            let (lo, hi) = lines_touched(&text, m.start(), m.end());
            let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            // A tail is the match alone: on one line, to its end, where a sentence begins.
            let before = text[line_start..m.start()].trim();
            let tail = rule.tail && !before.is_empty();
            if rule.tail
                && (lo != hi
                    || !text[m.end()..]
                        .split('\n')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .is_empty()
                    || (tail && !ends_sentence(before)))
            {
                continue;
            }
            if overlaps(&taken, lo, hi) {
                continue;
            }
            let line = if rule.keep {
                String::new()
            } else if tail {
                m.as_str().trim().to_string()
            } else {
                lines[lo..=hi].join("\n")
            };
            let mut values: Vec<(String, String)> = rule
                .pattern
                .capture_names()
                .flatten()
                .filter_map(|name| {
                    let m = caps.name(name)?;
                    let broken = broken.get_or_init(|| {
                        lines_folded(nodes_of(tree, unit), unit.pre, true).join("\n")
                    });
                    let v = value_at(&text, broken, m.range());
                    (!v.is_empty()).then(|| (name.to_string(), v))
                })
                .collect();
            // Where the match ends, in letters of its first line (whitespace aside: the
            // unit's lines fold it); for a tail, where it begins, and only its elements.
            let after = if tail {
                solid_chars(before)
            } else {
                solid_chars(&text[line_start..m.end()])
            };
            if let Some((attr, field)) = &rule.attr
                && let Some(v) = attr_in_lines(
                    nodes_of(tree, unit),
                    unit.pre,
                    attr,
                    (lo, hi),
                    (after, !tail),
                )
            {
                values.push((field.clone(), v));
            }
            for (field, value) in values {
                reading.push(field, value, id, (&line, tail), false);
            }
            let removed = if tail {
                line.clone()
            } else {
                lines[lo..=hi].join(" ")
            };
            reading.hits.push((index, removed));
            // A line leaves the body by the first rule that takes it, and is read by no
            // later rule; lines that stay (a dateline with a byline) may be read by several.
            if !rule.keep {
                taken.push(LineCut { lo, hi, kept: None });
            }
        }
        read[u] = Some(lines);
    }
    *blocks = Blocks {
        units: Some(units),
        lines: read,
    };
    reading
}

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

/// Takes the lines of `facts` out of `tree`: in each block, the first run of lines that
/// is a fact's line, or the end of a line that is a fact's tail, and then the lines of the
/// facts that follow while the block holds them elsewhere (several rules' lines of one
/// block).
///
/// `blocks` is what [`read`] left of the same tree, if it read it.
pub fn remove(tree: &mut Tree, facts: &[Fact], blocks: Blocks) {
    let wanted = matched_lines(facts);
    let mut wanted: Vec<(Vec<&str>, bool)> = (wanted.iter())
        .map(|&(l, tail)| (l.split('\n').collect(), tail))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let Blocks {
        units,
        lines: mut read,
    } = blocks;
    let units = units.unwrap_or_else(|| self::units(tree.top()));
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
            let mut hi = lo + wanted[w].0.len() - 1;
            // Lines between two blank lines take one of them along: the block keeps one
            // blank line there, not two (a blank line that shows nothing, not even an
            // image). A tail leaves its line.
            if kept.is_none()
                && lo > 0
                && text[lo - 1].is_empty()
                && text.get(hi + 1).is_some_and(String::is_empty)
                && !overlaps(&cuts, hi + 1, hi + 1)
                && bare_line(nodes_of(tree, unit), unit.pre, hi + 1)
            {
                hi += 1;
            }
            wanted.remove(w);
            cuts.push(LineCut { lo, hi, kept });
            next = Some(w);
        }
        if !cuts.is_empty() {
            blocks_cut.push((u, text.len(), cuts));
        }
        if wanted.is_empty() {
            break;
        }
    }
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

/// Lines of a block to cut: `lo..=hi`, or for a tail (`kept`: the letters its line keeps)
/// the end of line `lo`.
#[derive(Clone, Copy)]
struct LineCut {
    lo: usize,
    hi: usize,
    kept: Option<usize>,
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

/// Whether a line of `lo..=hi` is in one of the cuts `taken`.
fn overlaps(taken: &[LineCut], lo: usize, hi: usize) -> bool {
    taken.iter().any(|c| c.lo <= hi && lo <= c.hi)
}

/// Whether `text` ends a sentence: with a full stop, a question or an exclamation mark, or
/// one of them and the closing quotes or brackets after it. A tail begins only there.
fn ends_sentence(text: &str) -> bool {
    let closers = ['”', '’', '」', '』', '）', ')', '】', '》', '"', '\''];
    let text = text.trim_end().trim_end_matches(closers);
    text.ends_with(['。', '！', '？', '!', '?', '.', '…'])
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

/// The lines from the one holding byte `start` of `text` to the one holding the match's
/// last byte.
fn lines_touched(text: &str, start: usize, end: usize) -> (usize, usize) {
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
fn list_at(tree: &Tree, path: &[usize]) -> List {
    let mut list = List::Top;
    for &i in path {
        list = tree.children_of(list, i);
    }
    list
}

/// The nodes of a unit, found again by its path.
fn nodes_of<'t>(tree: &'t Tree, unit: &Unit) -> Nodes<'t> {
    let nodes = tree
        .list(list_at(tree, &unit.path))
        .slice(unit.span.clone());
    match nodes.get(0) {
        Some(n @ Node::Element(e)) if nodes.len() == 1 && is_block(n) => e.children(),
        _ => nodes,
    }
}

/// The blocks of `tree`, in reading order.
fn units(tree: Nodes<'_>) -> Vec<Unit> {
    let mut out = Vec::new();
    collect(tree, &mut Vec::new(), &mut out, (0, false));
    out
}

/// Whether any text of `nodes` is not whitespace.
fn any_text(nodes: Nodes<'_>) -> bool {
    nodes.iter().any(|n| match n {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(e) => any_text(e.children()),
    })
}

/// Past this depth a block is read whole: the tree is bounded anyway (`tree::MAX_DEPTH`).
const MAX_DEPTH: usize = 256;

/// The units of `nodes` into `out`; `depth` is how deep `nodes` lie, `pre` whether they lie
/// in a `<pre>`.
fn collect(
    nodes: Nodes<'_>,
    path: &mut Vec<usize>,
    out: &mut Vec<Unit>,
    (depth, pre): (usize, bool),
) {
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
                    path: path.clone(),
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
            path: path.clone(),
            span: start..i,
            pre,
        });
    }
}

/// Whether the node is a block or holds one.
fn holds_block(node: Node<'_>) -> bool {
    match node {
        Node::Element(e) => is_block(node) || e.children().iter().any(holds_block),
        Node::Text(_) => false,
    }
}

/// The text of each line of inline content (in a `<pre>` if `pre`): whitespace folded,
/// trimmed.
fn lines_of(nodes: Nodes<'_>, pre: bool) -> Vec<String> {
    lines_folded(nodes, pre, false)
}

/// The value a rule read at `range` of a block's `text` (its lines joined by `\n`), its
/// soft line breaks joined as the body joins them: gone between two Chinese characters, a
/// space elsewhere (see `inline::fold_text`). `broken` is the same text with a line break
/// where folded whitespace held one ([`lines_folded`]), byte for byte as long.
fn value_at(text: &str, broken: &str, range: Range<usize>) -> String {
    let mut value = String::with_capacity(range.len());
    let mut at = range.start;
    for (k, line) in text[range].split('\n').enumerate() {
        if k > 0 {
            value.push('\n');
        }
        match broken.get(at..at + line.len()) {
            Some(soft) if soft.contains('\n') => value.push_str(&super::inline::fold_text(soft)),
            _ => value.push_str(line),
        }
        at += line.len() + 1;
    }
    value.trim().to_string()
}

/// [`lines_of`]; with `breaks`, whitespace that held a line break folds to `\n`, not a
/// space (each line as long either way).
fn lines_folded(nodes: Nodes<'_>, pre: bool, breaks: bool) -> Vec<String> {
    fn walk(nodes: Nodes<'_>, lines: &mut Vec<String>, pre: bool) {
        for n in nodes {
            match n {
                Node::Text(t) if pre => {
                    for (k, piece) in t.split('\n').enumerate() {
                        if k > 0 {
                            lines.push(String::new());
                        }
                        lines.last_mut().expect("one line at least").push_str(piece);
                    }
                }
                Node::Text(t) => lines.last_mut().expect("one line at least").push_str(t),
                Node::Element(e) if e.name() == "br" => lines.push(String::new()),
                Node::Element(e) => walk(e.children(), lines, pre || e.name() == "pre"),
            }
        }
    }
    let mut lines = vec![String::new()];
    walk(nodes, &mut lines, pre);
    let fold = if breaks {
        crate::text::fold_blanks_keeping_breaks
    } else {
        crate::text::fold_blanks
    };
    lines.iter().map(|l| fold(l)).collect()
}

/// Whether line `target` of `nodes` (in a `<pre>` if `pre`) holds nothing but whitespace:
/// no text, no image or other element of its own.
fn bare_line(nodes: Nodes<'_>, pre: bool, target: usize) -> bool {
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
fn solid_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The value of `attr` on the first element in lines `lo..=hi` of `nodes` that has it and
/// begins at or after the match's end (`after` letters into line `lo`, whitespace aside);
/// else, when `or_first`, on the first element in those lines that has it (a tail's rule
/// reads only what begins in it: `after` is where it begins). A line may name a tool's link
/// inside the match before the article's after it (`本文由[简悦]转码，原文来自…：[title](URL)`);
/// a pattern that runs to the line's end reads the line's first link.
fn attr_in_lines(
    nodes: Nodes<'_>,
    pre: bool,
    attr: &str,
    (lo, hi): (usize, usize),
    (after, or_first): (usize, bool),
) -> Option<String> {
    struct Walk<'a> {
        attr: &'a str,
        pre: bool,
        lo: usize,
        hi: usize,
        after: usize,
        line: usize,
        /// Letters of lines `lo..` read so far.
        read: usize,
        first: Option<String>,
    }
    impl Walk<'_> {
        fn nodes(&mut self, nodes: Nodes<'_>) -> Option<String> {
            for n in nodes {
                let e = match n {
                    Node::Text(t) => {
                        // In a `<pre>`, a newline ends a line.
                        let pieces: &mut dyn Iterator<Item = &str> = if self.pre {
                            &mut t.split('\n')
                        } else {
                            &mut std::iter::once(t)
                        };
                        for (k, piece) in pieces.enumerate() {
                            self.line += usize::from(k > 0);
                            if (self.lo..=self.hi).contains(&self.line) {
                                self.read += solid_chars(piece);
                            }
                        }
                        continue;
                    }
                    Node::Element(e) => e,
                };
                if e.name() == "br" {
                    self.line += 1;
                    continue;
                }
                if (self.lo..=self.hi).contains(&self.line)
                    && let Some((_, v)) = e.attrs().find(|(k, _)| *k == self.attr)
                {
                    let v = v.trim().to_string();
                    if self.read >= self.after {
                        return Some(v);
                    }
                    self.first.get_or_insert(v);
                }
                let pre = self.pre;
                self.pre |= e.name() == "pre";
                let found = self.nodes(e.children());
                self.pre = pre;
                if found.is_some() {
                    return found;
                }
            }
            None
        }
    }
    let mut walk = Walk {
        attr,
        pre,
        lo,
        hi,
        after,
        line: 0,
        read: 0,
        first: None,
    };
    let found = walk.nodes(nodes);
    found.or(walk.first.filter(|_| or_first))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::tree::parse;
    use crate::lazy_regex::LazyRegex;

    fn rule(pattern: &str) -> LineRule {
        LineRule {
            pattern: LazyRegex::ready(regex::Regex::new(pattern).unwrap()),
            attr: None,
            keep: false,
            tail: false,
            edge: Edge::Anywhere,
            within: usize::MAX,
            reads: Reads::Article,
            feeds_address: false,
        }
    }

    /// A rule whose lines feed `field` from a link's `href`.
    fn href_rule(pattern: &str, field: &str) -> LineRule {
        LineRule {
            attr: Some(("href".into(), field.into())),
            feeds_address: URL_FIELDS.contains(&field),
            ..rule(pattern)
        }
    }

    fn run(html: &str, rules: &[LineRule]) -> (Vec<Fact>, String) {
        let mut tree = parse(html);
        let indexed: Vec<(usize, &str, &LineRule)> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (i, "t/r", r))
            .collect();
        let mut blocks = Blocks::default();
        let reading = read(&tree, &indexed, &mut blocks);
        remove(&mut tree, &reading.facts, blocks);
        (reading.facts, crate::emit::html::fragment(tree.top()))
    }

    #[test]
    fn a_source_line_feeds_the_url_and_leaves_the_body() {
        let (facts, body) = run(
            "<p>Body.</p><p>原文地址：https://example.com/a.html</p>",
            &[rule(r"^原文地址：(?P<url>\S+)$")],
        );
        assert_eq!(facts[0].field, "url");
        assert_eq!(facts[0].value, "https://example.com/a.html");
        assert_eq!(body, "<p>Body.</p>");
    }

    #[test]
    fn the_same_line_twice_leaves_twice() {
        // Two fields a match, two matches: each block's line goes (not only the first).
        let (facts, body) = run(
            "<p>始发于简书：某人</p><p>Body.</p><p>始发于简书：某人</p>",
            &[rule(
                r"^始发于(?P<first_published_in>[^：]+)：(?P<author>\S+)$",
            )],
        );
        assert_eq!(facts.len(), 4);
        assert_eq!(body, "<p>Body.</p>");
    }

    #[test]
    fn a_line_of_a_paragraph_goes_with_its_break() {
        let r = href_rule(r"(?m)^点击查看本文英文版。?$", "translation_of");
        let (facts, body) = run(
            "<p>Bio.<br>翻译：某某<br><a href=\"https://example.com/en\">点击查看本文英文版。</a></p>",
            &[r],
        );
        assert_eq!(facts[0].value, "https://example.com/en");
        assert_eq!(body, "<p>Bio.<br>翻译：某某</p>");
    }

    #[test]
    fn two_rules_take_two_lines_of_one_block() {
        let date =
            rule(r"(?m)^本文最初发表于(?P<first_published_on>\d{4}年\d{1,2}月\d{1,2}日)。?$");
        let english = href_rule(r"(?m)^点击查看本文英文版。?$", "translation_of");
        let html = "<p>Body.</p><p>本文最初发表于2020年6月28日。<br>Bio.<br>翻译：某某<br><a href=\"https://example.com/en\">点击查看本文英文版</a></p>";
        for rules in [[date.clone(), english.clone()], [english, date]] {
            let (facts, body) = run(html, &rules);
            let mut fields: Vec<&str> = facts.iter().map(|f| f.field.as_str()).collect();
            fields.sort_unstable();
            assert_eq!(
                fields,
                ["first_published_on", "translation_of"],
                "{facts:?}"
            );
            assert_eq!(body, "<p>Body.</p>\n<p>Bio.<br>翻译：某某</p>");
        }
        // A line two rules match is the first rule's: the second reads nothing there.
        let first = rule(r"(?m)^本文最初发表于(?P<first_published_on>\S+?)。$");
        let second = rule(r"(?m)^本文最初发表于(?P<first_published_in>\S+)$");
        let (facts, body) = run(
            "<p>本文最初发表于2020年6月28日。<br>Bio.</p>",
            &[first, second],
        );
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(facts[0].field, "first_published_on");
        assert_eq!(body, "<p>Bio.</p>");
    }

    #[test]
    fn a_line_between_blank_lines_takes_one_along() {
        let r = rule(r"(?m)^本文转载自(?P<reprinted_from>\S+)$");
        let (_, body) = run(
            "<p>A.<br><br>本文转载自某处<br><br>B.</p>",
            std::slice::from_ref(&r),
        );
        assert_eq!(body, "<p>A.<br><br>B.</p>");
        // A blank line that shows an image is no blank line.
        let (_, body) = run(
            "<p>A.<br><br>本文转载自某处<br><img src=\"x.png\"><br>B.</p>",
            &[r],
        );
        assert_eq!(body, "<p>A.<br><br><img src=\"x.png\"><br>B.</p>");
    }

    #[test]
    fn an_attribute_is_read_from_the_first_element_after_the_match() {
        // A tool's link inside the match, the article's after it.
        let r = href_rule(r"^本文由.{1,30}转码\W{0,3}原文来自", "url");
        let (facts, body) = run(
            "<p>本文由 <a href=\"https://tool.example/\">某 工具</a> 转码， 原文来自某号：<a href=\"https://news.example/a\">标题</a></p><p>Body.</p>",
            &[r],
        );
        assert_eq!(facts[0].value, "https://news.example/a");
        assert_eq!(body, "<p>Body.</p>");
        // A match that runs to the line's end reads its first element.
        let r = href_rule(r"^原文(\s.*|$)", "url");
        let (facts, _) = run(
            "<p><a href=\"https://news.example/b\">原文</a> | <a href=\"https://mirror.example/tag\">其它文章</a></p><p>Body.</p>",
            &[r],
        );
        assert_eq!(facts[0].value, "https://news.example/b");
    }

    #[test]
    fn loose_text_after_a_block_is_a_block_of_its_own() {
        let (facts, body) = run(
            "<div><p>Body.</p></div>\n<br/>原文链接：https://example.com/a",
            &[rule(r"(?m)^原文链接：(?P<url>\S+)$")],
        );
        assert_eq!(facts[0].value, "https://example.com/a");
        assert!(!body.contains("原文链接"), "{body}");
        assert!(body.contains("Body."), "{body}");
    }

    #[test]
    fn addresses_other_than_http_are_refused() {
        let mut tree = parse("<p>原文地址：javascript:alert(1)</p>");
        let r = rule(r"^原文地址：(?P<url>\S+)$");
        let reading = read(&tree, &[(0, "t/r", &r)], &mut Blocks::default());
        assert!(reading.facts.is_empty());
        assert_eq!(reading.refused[0].0, "url");
        remove(&mut tree, &reading.facts, Blocks::default());
        assert_eq!(
            crate::emit::html::fragment(tree.top()),
            "<p>原文地址：javascript:alert(1)</p>"
        );
    }

    #[test]
    fn a_newline_in_a_pre_ends_a_line() {
        let r = href_rule("(?m)^原文链接$", "translation_of");
        let html = "<pre>作者 X\n2014年12月6日\n<a href='https://example.com/en'>原文链接</a>\n翻译 Y\n</pre><p>Body.</p>";
        let (facts, body) = run(html, &[r]);
        assert_eq!(facts[0].value, "https://example.com/en");
        assert_eq!(facts[0].line, "原文链接");
        assert!(
            body.starts_with("<pre>作者 X\n2014年12月6日\n翻译 Y\n</pre>"),
            "{body}"
        );
        // Outside a `<pre>`, a newline is whitespace: the block is one line.
        let r = href_rule("(?m)^原文链接$", "translation_of");
        let (facts, _) = run(html.replace("pre>", "p>").as_str(), &[r]);
        assert!(facts.is_empty());
    }

    /// A rule that takes the tail of a line.
    fn tail_rule(pattern: &str) -> LineRule {
        LineRule {
            tail: true,
            ..href_rule(pattern, "first_published_url")
        }
    }

    #[test]
    fn a_tail_leaves_and_the_sentences_before_it_stay() {
        let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)。?$");
        let (facts, body) = run(
            "<p>Body.</p><p><em>某人系某大学博士。</em>原载于<a href='https://journal.example/1'>《某学报》</a>。</p>",
            &[r],
        );
        assert_eq!(facts[0].value, "《某学报》");
        assert_eq!(facts[1].value, "https://journal.example/1");
        assert_eq!(facts[0].line, "原载于《某学报》。");
        assert!(facts[0].tail);
        assert_eq!(body, "<p>Body.</p>\n<p><em>某人系某大学博士。</em></p>");
        // Inside one text node, on the last line of a paragraph, after a closing quote.
        let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)。?$");
        let (facts, body) = run("<p>第一行<br>他说“好。” 原载于《某学报》。</p>", &[r]);
        assert_eq!(facts.len(), 1);
        assert_eq!(body, "<p>第一行<br>他说“好。”</p>");
        // A whole line is taken whole.
        let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)。?$");
        let (_, body) = run("<p>Body.</p><p>原载于《某学报》。</p>", &[r]);
        assert_eq!(body, "<p>Body.</p>");
    }

    #[test]
    fn a_tail_must_begin_a_sentence_and_end_its_line() {
        let pattern = r"(?m)原载于(?P<first_published_in>《[^》]+》)。?";
        for html in [
            // Inside a sentence.
            "<p>这篇文章原载于《某学报》。</p>",
            // Not at the line's end.
            "<p>某人。原载于《某学报》。后来又转载。</p>",
            // Over two lines.
            "<p>某人。原载于《某<br>学报》。</p>",
        ] {
            let r = tail_rule(pattern);
            let (facts, body) = run(html, &[r]);
            assert!(facts.is_empty(), "{html}: {facts:?}");
            assert_eq!(body, html);
        }
        // A link before the tail is not the tail's.
        let r = tail_rule(r"(?m)原载于(?P<first_published_in>《[^》]+》)$");
        let (facts, body) = run(
            "<p><a href='https://bio.example/'>某人</a>。原载于《某学报》</p>",
            &[r],
        );
        assert_eq!(facts.len(), 1, "{facts:?}");
        assert_eq!(body, "<p><a href=\"https://bio.example/\">某人</a>。</p>");
    }

    #[test]
    fn kept_lines_are_read_and_stay() {
        let r = LineRule {
            keep: true,
            ..rule(r"【[^】]*?(?P<date>\d{4}年\d{1,2}月\d{1,2}日)")
        };
        let (facts, body) = run("<p>【大纪元2020年09月14日讯】周三</p>", &[r]);
        assert_eq!(facts[0].value, "2020年09月14日");
        assert_eq!(body, "<p>【大纪元2020年09月14日讯】周三</p>");
    }

    #[test]
    fn a_place_bounds_where_a_rule_looks() {
        let r = LineRule {
            edge: Edge::Start,
            within: 1,
            ..rule(r"^(?P<date>\d{4}-\d{2}-\d{2})$")
        };
        let (facts, body) = run("<p>2020-01-02</p><p>Body.</p><p>2020-01-03</p>", &[r]);
        assert_eq!(facts.len(), 1);
        assert_eq!(body, "<p>Body.</p>\n<p>2020-01-03</p>");
    }
}
