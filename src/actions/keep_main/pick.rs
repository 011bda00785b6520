//! The choice of what a whole page keeps, from the scores of `score.rs`.
//!
//! The best element is widened as Readability widens it: to an ancestor that holds
//! several near-best elements, to a parent that scores higher, and to the siblings that
//! score close to it or read as prose (any block of sentences, not only a `<p>`: a lead set
//! apart stays), but not to a block of teasers (two headlines or more that are links, each
//! with its blurb). An element inside an `<article>` gives way to that article. The blocks
//! that lead into the content in its parent (a title, a linked byline, a date, a lead
//! image: little text, not a row of links) are kept with it, and so is the page's
//! headline (an `<h1>` before the content, the one its `<title>` names when several are)
//! with what stands between the two when the headline is among the content's siblings.
//! The page keeps everything, rather than be cut by
//! scores that are not clear, when the body itself scores best, when the best element
//! holds under [`MIN_TEXT`] characters, or when what would be kept holds under half the
//! characters of the page's scored paragraphs. Inside what is kept, the page's furniture
//! (its comments, the author's box, previous/next, a breadcrumb, a signup box, teasers: see
//! [`furniture`]) goes.

use super::score::{Elem, Furniture, MAX_WALK, MIN_TEXT, NONE, Scan, Tag};
use crate::actions::Chosen;

/// An element's score weighed by its link text (Readability's final candidate score).
fn final_score(e: &Elem) -> Option<f32> {
    let score = e.score?;
    Some(score * (1.0 - link_density(e)))
}

fn link_density(e: &Elem) -> f32 {
    if e.text == 0 {
        return 0.0;
    }
    e.links as f32 / e.text as f32
}

/// The elements to keep, from the scores.
pub(super) fn pick(scan: &Scan) -> Option<Chosen> {
    let elems = &scan.elems;
    // Only a page with a body is chosen from, and only inside its body.
    let body = elems.iter().position(|e| e.tag == Tag::Body)? as u32;
    // One `<article>` (not counting those inside it, such as comments, nor a teaser's in a
    // sidebar) is the page's article; one set among blocks whose names say they are not
    // the article, only when it holds most of the page's prose (a teaser in a sidebar does
    // not).
    let body_prose = elems[body as usize].prose;
    let mut articles = (elems.iter().enumerate())
        .filter(|(_, e)| e.in_body && e.tag == Tag::Article && !e.in_article && !e.unlikely)
        .filter(|(_, e)| !e.rescued || e.prose.saturating_mul(2) >= body_prose)
        .map(|(i, _)| i as u32);
    if let (Some(article), None) = (articles.next(), articles.next()) {
        let mut keep = vec![article];
        if let Some(h) = headline(scan, &keep) {
            keep.extend(header_zone(elems, h, article));
        }
        return Some(chosen(scan, keep));
    }
    // The body is a candidate too: when it scores best, the page's paragraphs stand in it
    // among everything else, and nothing is cut.
    let mut ranked: Vec<(u32, f32)> = (elems.iter().enumerate())
        .filter(|(_, e)| e.in_body)
        .filter_map(|(i, e)| Some((i as u32, final_score(e)?)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(mut top, top_score) = ranked.first()?;
    if top == body {
        return None;
    }

    let parent_of = |i: u32| elems[i as usize].parent;
    let is_ancestor = |a: u32, i: u32| ancestors(elems, i).any(|p| p == a);
    // Several near-best elements under one ancestor: the content spans them.
    let close: Vec<u32> = (ranked.iter().skip(1).take(4))
        .filter(|(_, s)| *s >= top_score * 0.75)
        .map(|&(i, _)| i)
        .collect();
    if close.len() >= 3 {
        let found = (ancestors(elems, parent_of(top)))
            .take_while(|&p| p != body)
            .find(|&p| close.iter().filter(|&&c| is_ancestor(p, c)).count() >= 3);
        if let Some(p) = found {
            top = p;
        }
    }
    // A parent that scores higher holds more of it.
    let mut last = elems[top as usize].score.unwrap_or(0.0);
    for p in ancestors(elems, parent_of(top)).take_while(|&p| p != body) {
        let Some(score) = elems[p as usize].score else {
            continue;
        };
        if score < last / 3.0 {
            break;
        }
        if score > last {
            top = p;
            break;
        }
        last = score;
    }
    // An only child stands for its parent.
    for _ in 0..MAX_WALK {
        let p = parent_of(top);
        if p == NONE || p == body || elems[p as usize].children != 1 {
            break;
        }
        top = p;
    }
    let mut keep = match enclosing_article(elems, top, body) {
        Some(article) => vec![article],
        None => with_lead_in(elems, siblings(elems, top), body),
    };
    let prose: u32 = keep.iter().map(|&i| elems[i as usize].prose).sum();
    // The content must be an article's length, and hold most of the page's prose: else
    // the scores are not clear enough to cut by (the page's paragraphs lie all over it).
    if elems[top as usize].text < MIN_TEXT || prose.saturating_mul(2) < elems[body as usize].prose {
        return None;
    }
    if let Some(h) = headline(scan, &keep) {
        keep.extend(header_zone(elems, h, top));
    }
    Some(chosen(scan, keep))
}

/// The blocks `keep`, and the furniture inside them that goes all the same.
fn chosen(scan: &Scan, keep: Vec<u32>) -> Chosen {
    let drop = furniture(scan, &keep);
    Chosen {
        keep: ordinals(&scan.elems, keep),
        drop: ordinals(&scan.elems, drop),
    }
}

/// The page's furniture inside the blocks `keep`: the outermost blocks whose own names say
/// they are comments, an author's box, share or related links, previous and next (or whose
/// tag says navigation, a form, or a footer of links and labels, not of sentences; an
/// `<aside>` or a box named for links that holds a row of links), as Readability drops them
/// from its content, and those whose shape says so: a breadcrumb, a signup box, teasers. None of them holds a block kept or a headline,
/// half the content's text or a quarter of its prose: a name is a hint, and the article's
/// own text is never taken on a hint alone.
fn furniture(scan: &Scan, keep: &[u32]) -> Vec<u32> {
    let elems = &scan.elems;
    let n = elems.len();
    let mut kept = vec![false; n];
    for &k in keep {
        kept[k as usize] = true;
    }
    // Blocks that hold (or are) a block kept or a headline: never dropped. A parent's
    // record comes before its children's, so one pass from the end fills it in.
    let mut holds = kept.clone();
    for &(h, _) in &scan.headings {
        holds[h as usize] = true;
    }
    for i in (0..n).rev() {
        let p = elems[i].parent;
        if holds[i] && p != NONE {
            holds[p as usize] = true;
        }
    }
    let text: u32 = keep.iter().map(|&i| elems[i as usize].text).sum();
    let prose: u32 = keep.iter().map(|&i| elems[i as usize].prose).sum();
    // Whether a block is inside one kept, and inside one already dropped.
    let mut inside = vec![false; n];
    let mut gone = vec![false; n];
    let mut drop = Vec::new();
    for i in 0..n {
        let p = elems[i].parent;
        if p != NONE {
            inside[i] = kept[p as usize] || inside[p as usize];
            gone[i] = gone[p as usize];
        }
        let e = &elems[i];
        if !inside[i] || gone[i] || holds[i] {
            continue;
        }
        let hinted = match e.furniture {
            Furniture::No => false,
            Furniture::Name => true,
            Furniture::Tag => !e.sentence || link_density(e) >= 0.5,
            Furniture::Links => !e.sentence && link_density(e) >= 0.5,
        } || teasers(e)
            || breadcrumb(e)
            || signup(e);
        if hinted && e.text.saturating_mul(2) <= text && e.prose.saturating_mul(4) <= prose {
            gone[i] = true;
            drop.push(i as u32);
        }
    }
    drop
}

/// The ordinals of the blocks `keep`, in order, once each.
fn ordinals(elems: &[Elem], mut keep: Vec<u32>) -> Vec<u32> {
    keep.sort_unstable();
    keep.dedup();
    keep.iter().map(|&i| elems[i as usize].ordinal).collect()
}

/// `keep` (siblings) with the blocks before them in their parent that lead into them: a
/// title, a byline, a lead image, a date set apart from the text, which are the article's
/// own. They are taken when they are little beside the text (a quarter of it, 1,000
/// characters at most), and each unless it is a row of links (a breadcrumb, a menu: three
/// links or more, and most of its text; an author's name linked to the author's page
/// stays); what follows the text (share bars, reactions, comments) is never taken so.
fn with_lead_in(elems: &[Elem], mut keep: Vec<u32>, body: u32) -> Vec<u32> {
    let Some(&first) = keep.iter().min() else {
        return keep;
    };
    let parent = elems[first as usize].parent;
    if parent == NONE || parent == body {
        return keep;
    }
    let lead_in: Vec<u32> = children(elems, parent)
        .take_while(|&s| s < first)
        .filter(|&s| leads_in(&elems[s as usize]))
        .collect();
    let text: u32 = keep.iter().map(|&i| elems[i as usize].text).sum();
    let added: u32 = lead_in.iter().map(|&i| elems[i as usize].text).sum();
    if added <= 1000 && added.saturating_mul(4) <= text {
        keep.extend(lead_in);
    }
    keep
}

/// Whether a block before the content may lead into it: not the page's frame, not
/// furniture by its names (a breadcrumb, a share bar) nor a breadcrumb by its separators,
/// and not a row of links (three or more, most of its text).
fn leads_in(e: &Elem) -> bool {
    !e.framed
        && e.furniture != Furniture::Name
        && !breadcrumb(e)
        && (e.link_count < 3 || link_density(e) < 0.5)
}

/// A block of teasers: two links or more to other pages, each with its picture, and
/// little else (`Read Article` and a title under each, a `Featured` heading); no sentence.
/// An article's photos linked to their files are no teasers.
fn teasers(e: &Elem) -> bool {
    e.media_links >= 2 && e.text > 0 && !e.sentence && link_density(e) >= 0.75
}

/// A breadcrumb: a short row of links to the site's sections set apart by `›`, `»` or
/// `>` (`首页 > 科技频道 > 探索者 > 正文`), no sentence.
fn breadcrumb(e: &Elem) -> bool {
    e.link_count >= 2
        && e.separators >= 1
        && e.separators + 1 >= e.link_count
        && e.text <= 200
        && !e.sentence
        && link_density(e) >= 0.4
}

/// A signup box: a form or an e-mail field with its short pitch around it (`Get Breaking
/// News alerts to your inbox`, `Optimize one of your blog posts – for FREE!`), 300
/// characters at most and at most one picture (its logo), whatever its names say.
fn signup(e: &Elem) -> bool {
    e.fields >= 1 && e.text <= 300 && e.images <= 1
}

/// The headline `h` and what stands between it and the content `top`: the byline, the
/// date, a lead image, when the headline is among the content's siblings (or inside one
/// of them, such as a header block); else the headline alone.
fn header_zone(elems: &[Elem], h: u32, top: u32) -> Vec<u32> {
    let parent = elems[top as usize].parent;
    let Some(start) = ancestors(elems, h).find(|&a| elems[a as usize].parent == parent) else {
        return vec![h];
    };
    if start > top {
        return vec![h];
    }
    // The headline's own block is kept whole only when it is a header, not a column of
    // the page that happens to hold it.
    let start_e = &elems[start as usize];
    let mut zone = if start == h || (start_e.text < 1000 && link_density(start_e) < 0.5) {
        vec![start]
    } else {
        vec![h]
    };
    zone.extend(
        children(elems, parent)
            .filter(|&s| s > start && s < top)
            .filter(|&s| leads_in(&elems[s as usize])),
    );
    zone
}

/// `i` and its ancestors, at most [`MAX_WALK`] of them.
fn ancestors(elems: &[Elem], i: u32) -> impl Iterator<Item = u32> + '_ {
    std::iter::successors((i != NONE).then_some(i), |&i| {
        let p = elems[i as usize].parent;
        (p != NONE).then_some(p)
    })
    .take(MAX_WALK)
}

fn children(elems: &[Elem], parent: u32) -> impl Iterator<Item = u32> + '_ {
    // Children follow their parent: the search starts there.
    (parent as usize + 1..elems.len())
        .filter(move |&i| elems[i].parent == parent)
        .map(|i| i as u32)
}

/// The `<article>` that holds `i` (or is it), if any.
fn enclosing_article(elems: &[Elem], i: u32, body: u32) -> Option<u32> {
    ancestors(elems, i)
        .take_while(|&i| i != body)
        .find(|&i| elems[i as usize].tag == Tag::Article)
}

/// `top` and those of its siblings that score near it or read as prose (Readability's
/// sibling test), but a block of teasers.
fn siblings(elems: &[Elem], top: u32) -> Vec<u32> {
    let parent = elems[top as usize].parent;
    if parent == NONE {
        return vec![top];
    }
    let top_e = &elems[top as usize];
    let top_score = final_score(top_e).unwrap_or(0.0);
    let threshold = (top_score * 0.2).max(10.0);
    children(elems, parent)
        .filter(|&s| {
            if s == top {
                return true;
            }
            let e = &elems[s as usize];
            // A block of teasers (two headlines or more that link elsewhere, each with its
            // blurb) reads as prose and may score, but is other articles.
            if e.unlikely || e.linked_headings >= 2 {
                return false;
            }
            let bonus = if top_e.class != 0 && e.class == top_e.class {
                top_score * 0.2
            } else {
                0.0
            };
            if e.score.is_some_and(|score| score + bonus >= threshold) {
                return true;
            }
            // Prose: a paragraph, or (beyond Readability, which would lose a lead set
            // apart in a block of its own) any block of sentences, mostly not links.
            let density = link_density(e);
            (e.text > 80 && density < 0.25 && (e.tag == Tag::P || e.sentence))
                || (e.tag == Tag::P && e.text > 0 && density == 0.0 && e.sentence)
        })
        .collect()
}

/// The page's headline, when the content chosen has none: an `<h1>` before it, outside
/// anything plainly not the article; the one the `<title>` names when several are.
fn headline(scan: &Scan, keep: &[u32]) -> Option<u32> {
    let elems = &scan.elems;
    let within = |h: u32| ancestors(elems, h).any(|i| keep.contains(&i));
    let first = *keep.iter().min()?;
    if scan.headings.iter().any(|&(h, _)| within(h)) {
        return None;
    }
    let title = fold(&scan.title);
    let before: Vec<&(u32, String)> = (scan.headings.iter())
        .filter(|(h, text)| {
            *h < first
                && elems[*h as usize].in_body
                && !elems[*h as usize].framed
                && !fold(text).is_empty()
        })
        .collect();
    before
        .iter()
        .rev()
        .find(|(_, text)| !title.is_empty() && title.contains(&fold(text)))
        .or(before.last())
        .map(|&&(h, _)| h)
}

/// Text compared as words: entities as written, whitespace folded, lowercase.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
