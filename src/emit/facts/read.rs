//! Reading the facts: each rule matched on the blocks' lines where it looks, the named
//! groups (and an attribute) captured as fields, the lines each match takes noted for
//! `remove`.

use super::lines::{
    Blocks, LineCut, Taken, Unit, any_text, ends_sentence, lines_touched, nodes_of, overlaps,
    solid_chars, text_keeping_breaks, text_of, units,
};
use crate::actions::metadata::{Edge, LineRule, URL_FIELDS};
use crate::emit::blocks::push_text;
use crate::emit::tree::{Node, Nodes, Tree};
use crate::lazy_regex::Pairs;
use crate::report::Fact;
use std::ops::Range;

/// What was read from a document: the facts, and the non-web addresses left out.
#[derive(Debug, Default)]
pub struct Reading {
    pub facts: Vec<Fact>,
    /// `(field, value)` of addresses that are not `http`/`https`, or a site's front page.
    pub refused: Vec<(String, String)>,
    /// `(rule index, removed text)` for each rule that acted.
    pub hits: Vec<(usize, String)>,
}

impl Reading {
    /// Adds a fact, or refuses an address that is not `http` or `https`, or that is a
    /// site's front page (a language switcher's link): its line stays in the body.
    fn push(&mut self, field: String, value: String, rule: &str, line: (&str, bool), source: bool) {
        if URL_FIELDS.contains(&field.as_str())
            && (!crate::detect::is_web_url(&value) || crate::detect::is_front_page(&value))
        {
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
        let whole = caps.get(0).map_or("", |m| m.as_str());
        if rule.unless.as_ref().is_some_and(|u| u.matches(whole)) {
            return false;
        }
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
    // The lines of the blocks cut, by block: made when a block is first cut.
    let mut read: Vec<Option<Vec<String>>> = Vec::new();
    let anywhere = rules.iter().any(|(_, _, r)| r.edge == Edge::Anywhere);
    let reach = |edge: Edge| {
        (rules.iter())
            .filter(|(_, _, r)| r.edge == edge)
            .map(|(_, _, r)| r.within)
            .max()
            .unwrap_or(0)
    };
    let places = places(
        tree,
        &units,
        anywhere,
        (reach(Edge::Start), reach(Edge::End)),
    );
    let mut reading = Reading::default();
    // The lines each match takes, by block, and how many facts hold lines: for `remove`.
    let (mut handed, mut with_lines) = (Vec::new(), 0);
    // Which rules a block may hold a match of: near it, and with a literal in it.
    let mut asked: Vec<bool> = Vec::with_capacity(rules.len());
    // The text of a block's nodes as it stands ([`push_text`]), in one buffer.
    let mut unfolded = String::new();
    // Its byte pairs, for the rules that look for their literals in it.
    let mut pairs = Pairs::new();
    for &(u, order, from_end) in &places {
        let unit = &units[u];
        // The rules' literals are looked for first in the text of the block's nodes as they
        // stand: a literal without whitespace that the block's text (whitespace folded,
        // lines joined by `\n`) holds, they hold too. Most blocks a rule looks at hold none
        // of its literals, and are not folded.
        let nodes = nodes_of(tree, unit);
        unfolded.clear();
        push_text(nodes, &mut unfolded, usize::MAX);
        ask(rules, (order, from_end), &unfolded, &mut pairs, &mut asked);
        if !asked.contains(&true) {
            continue;
        }
        let text = text_of(nodes, unit.pre);
        let lines = std::cell::OnceCell::new();
        let lines = || lines.get_or_init(|| text.split('\n').collect::<Vec<&str>>());
        // The same text with a line break where folded whitespace held one: for values.
        let broken = std::cell::OnceCell::new();
        // The lines of this block that rules took or read so far: a later rule acts only
        // on other lines (the first rule keeps a line, and its value for a field).
        let mut taken: Vec<LineCut> = Vec::new();
        // The lines of this block that leave the body, for `remove`.
        let mut cuts: Vec<LineCut> = Vec::new();
        for (&(index, id, rule), _) in rules.iter().zip(&asked).filter(|(_, asked)| **asked) {
            // The folded text is asked for a literal too: cheaper than the search `captures`
            // runs without asking once the pattern's engines are built.
            if !rule.pattern.may_match(&text) {
                continue;
            }
            let Some(caps) = rule.pattern.captures(&text) else {
                continue;
            };
            let m = caps.get(0).expect("group 0 is the match");
            let (lo, hi) = lines_touched(&text, m.start(), m.end());
            // The lines the match touches, when they say what makes its words news.
            if let Some(unless) = &rule.unless
                && unless.matches(&lines()[lo..=hi].join("\n"))
            {
                continue;
            }
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
                lines()[lo..=hi].join("\n")
            };
            let mut values: Vec<(String, String)> = rule
                .pattern
                .capture_names()
                .flatten()
                .filter_map(|name| {
                    let m = caps.name(name)?;
                    let broken =
                        broken.get_or_init(|| text_keeping_breaks(nodes_of(tree, unit), unit.pre));
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
            let had = reading.facts.len();
            for (field, value) in values {
                reading.push(field, value, id, (&line, tail), false);
            }
            // The lines leave the body if a fact of the match holds them.
            if !line.is_empty() && reading.facts.len() > had {
                cuts.push(LineCut {
                    lo,
                    hi,
                    kept: tail.then_some(after),
                });
                with_lines += reading.facts.len() - had;
            }
            let removed = if tail {
                line.clone()
            } else {
                lines()[lo..=hi].join(" ")
            };
            reading.hits.push((index, removed));
            // A line leaves the body by the first rule that takes it, and is read by no
            // later rule; lines that stay (a dateline with a byline) may be read by several.
            if !rule.keep {
                taken.push(LineCut { lo, hi, kept: None });
            }
        }
        if !cuts.is_empty() {
            handed.push((u, cuts));
            // For `remove`, which reads the lines of the blocks it cuts.
            read.resize(units.len(), None);
            read[u] = Some(lines().iter().map(|l| l.to_string()).collect());
        }
    }
    *blocks = Blocks {
        units: Some(units),
        lines: read,
        taken: Some(Taken {
            facts: with_lines,
            cuts: handed,
        }),
    };
    reading
}

/// Whether each of `rules` may match a block, into `asked`: whether the rule looks as far
/// as the block's place (`order` from the start, `from_end` from the end) and the text of
/// its nodes (`unfolded`) holds one of its literals (or the rule has one that may hold
/// whitespace, which the block's text folds). The text's byte pairs rule out literals
/// before they are looked for (see `lazy_regex::Pairs`): read even for a block only one
/// rule asks about, they cost less than that rule's search.
fn ask(
    rules: &[(usize, &str, &LineRule)],
    (order, from_end): (usize, usize),
    unfolded: &str,
    pairs: &mut Pairs,
    asked: &mut Vec<bool>,
) {
    let paired = pairs.read(unfolded);
    asked.clear();
    asked.extend(rules.iter().map(|&(_, _, rule)| {
        let near = match rule.edge {
            Edge::Anywhere => true,
            Edge::Start => order < rule.within,
            Edge::End => from_end <= rule.within,
        };
        near && (rule.pattern.literals_may_hold_whitespace() || rule.pattern.may_match_in(paired))
    }));
}

/// The blocks with text a rule may look at, in reading order (`anywhere`: some rule looks
/// anywhere; else they look among the first `start` or last `end`): each with its place among
/// the blocks with text from the start and, from 1, from the end; `usize::MAX` where that
/// place is too far in for a rule to look. Unless a rule looks anywhere, the blocks are
/// asked whether they hold text only from each end, as far as the rules look.
fn places(
    tree: &Tree,
    units: &[Unit],
    anywhere: bool,
    (start, end): (usize, usize),
) -> Vec<(usize, usize, usize)> {
    let with_text = |u: &usize| any_text(nodes_of(tree, &units[*u]));
    if anywhere {
        let mut all: Vec<(usize, usize, usize)> = ((0..units.len()).filter(with_text))
            .enumerate()
            .map(|(order, u)| (u, order, 0))
            .collect();
        let n = all.len();
        for (_, order, from_end) in &mut all {
            *from_end = n - *order;
        }
        return all;
    }
    let mut front = Vec::new();
    let mut u = 0;
    while front.len() < start && u < units.len() {
        front.extend(Some(u).filter(with_text));
        u += 1;
    }
    let mut back = Vec::new();
    let mut v = units.len();
    while back.len() < end && v > u {
        v -= 1;
        back.extend(Some(v).filter(with_text));
    }
    // Every block was asked: the places from the other end are known too. Else the front
    // blocks lie more than `end` from the end, and the back ones `start` or more in.
    let n = (v == u).then_some(front.len() + back.len());
    let front = (front.into_iter().enumerate())
        .map(|(order, u)| (u, order, n.map_or(usize::MAX, |n| n - order)));
    let back = (back.into_iter().enumerate().rev())
        .map(|(k, v)| (v, n.map_or(usize::MAX, |n| n - (k + 1)), k + 1));
    front.chain(back).collect()
}

/// The value a rule read at `range` of a block's `text` (its lines joined by `\n`), its
/// soft line breaks joined as the body joins them: gone between two Chinese characters, a
/// space elsewhere (see `inline::fold_text`). `broken` is the same text with a line break
/// where folded whitespace held one ([`text_keeping_breaks`]), byte for byte as long.
fn value_at(text: &str, broken: &str, range: Range<usize>) -> String {
    let mut value = String::with_capacity(range.len());
    let mut at = range.start;
    for (k, line) in text[range].split('\n').enumerate() {
        if k > 0 {
            value.push('\n');
        }
        match broken.get(at..at + line.len()) {
            Some(soft) if soft.contains('\n') => {
                value.push_str(&crate::emit::inline::fold_text(soft))
            }
            _ => value.push_str(line),
        }
        at += line.len() + 1;
    }
    value.trim().to_string()
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
