//! What the actions' lol_html handlers share. Handlers do not delete: lol_html cannot take
//! back what it has written, and never tells a handler that an element was closed
//! implicitly. They rename, rewrite attributes and write markers (`crate::markers`) around
//! the elements they target; the sink, which sees the output in order, removes a marked
//! element once its end marker comes (see `rewrite::sink`).

use crate::markers::{Marker, Markers, Op};
use crate::report::{Stats, preview};
use lol_html::html_content::{Comment, ContentType, Element};
use lol_html::{HandlerResult, Selector, end_tag};
use std::cell::Cell;
use std::rc::Rc;

/// What the handlers of one document share.
pub(crate) struct Env {
    pub markers: Markers,
    /// How deep inside `keep-only` regions the parser is (one depth for every such rule:
    /// the outermost region is the one that counts).
    pub region_depth: Cell<u32>,
    /// What a `keep-main` rule chose (empty: nothing).
    pub main: Chosen,
    /// The elements rules that read the whole document first picked (see `Kind::picks`):
    /// each such rule's index and where the start tags of its elements begin, in order.
    /// Only rules that picked some are listed.
    pub picked: Vec<(usize, Vec<u32>)>,
}

/// What a rule that reads the whole page (`keep-main`) chose, by the elements' order among
/// the document's elements (lol_html's count), each list in that order.
#[derive(Debug, Clone, Default)]
pub struct Chosen {
    /// The elements kept.
    pub keep: Vec<u32>,
    /// Elements inside those kept that go all the same: the page's furniture set in the
    /// article (its comments, the author's box, a row of links to the stories before and
    /// after it).
    pub drop: Vec<u32>,
}

impl Chosen {
    /// Whether nothing was chosen.
    pub fn is_empty(&self) -> bool {
        self.keep.is_empty()
    }
}

impl Env {
    pub fn new(markers: &Markers, main: Chosen, picked: Vec<(usize, Vec<u32>)>) -> Env {
        Env {
            markers: markers.clone(),
            region_depth: Cell::new(0),
            main,
            picked,
        }
    }

    /// The elements the rule at `rule` picked by reading the whole document (see
    /// `Kind::picks`), by where their start tags begin.
    pub fn picked(&self, rule: usize) -> &[u32] {
        (self.picked.iter())
            .find(|(r, _)| *r == rule)
            .map_or(&[], |(_, p)| p)
    }

    /// A marker saying tags were removed here: the whitespace on both sides may be joined.
    pub fn join(&self) -> Marker {
        self.markers.encode(Op::Join, 0, 0)
    }
}

/// A rule's handler of the elements its selector matches.
pub(crate) type ElementHandler<'h> = Box<dyn FnMut(&mut Element) -> HandlerResult + 'h>;
type CommentHandler<'h> = Box<dyn FnMut(&mut Comment) -> HandlerResult + 'h>;

/// An action's lol_html handler.
pub(crate) enum Handler<'h> {
    /// The action has none.
    None,
    /// On the elements a selector matches.
    Element(&'h Selector, ElementHandler<'h>),
    /// On every comment of the document.
    Comments(CommentHandler<'h>),
}

impl<'h> Handler<'h> {
    pub fn element(
        selector: &'h Selector,
        handler: impl FnMut(&mut Element) -> HandlerResult + 'h,
    ) -> Handler<'h> {
        Handler::Element(selector, Box::new(handler))
    }

    pub fn comments(handler: impl FnMut(&mut Comment) -> HandlerResult + 'h) -> Handler<'h> {
        Handler::Comments(Box::new(handler))
    }
}

/// Frames an element the rule at `rule` may remove, for the sink to judge when its end
/// comes. Several rules may frame one element: the sink merges their markers by the
/// element's place in the input. Elements that cannot have content are not framed.
pub(crate) fn frame(el: &mut Element<'_, '_>, rule: usize, env: &Rc<Env>) -> HandlerResult {
    if !el.can_have_content() {
        return Ok(());
    }
    let n = el.source_location().bytes().start as u32;
    el.before(
        &env.markers.encode(Op::Open, rule as u32, n),
        ContentType::Html,
    );
    let tag = el.tag_name();
    let env = Rc::clone(env);
    el.on_end_tag(end_tag!(move |end| {
        // lol_html ends an implicitly closed element at its ancestor's end tag: that tag is
        // not ours to remove.
        if end.name() == tag {
            end.after(&env.markers.encode(Op::Close, 0, n), ContentType::Html);
        } else {
            end.before(&env.markers.encode(Op::Close, 1, n), ContentType::Html);
        }
        Ok(())
    }))?;
    Ok(())
}

/// Removes an element that may be removed whole: one that can have content is framed
/// (see [`frame`]); one that cannot (`<img>`, `<br>`) goes at once.
pub(crate) fn remove(
    el: &mut Element<'_, '_>,
    rule: usize,
    env: &Rc<Env>,
    stats: &Stats,
) -> HandlerResult {
    if el.can_have_content() {
        return frame(el, rule, env);
    }
    // The preview is built only for the first few removals.
    let tag = || {
        let attrs: Vec<String> = el
            .attributes()
            .iter()
            .map(|a| format!(" {}=\"{}\"", a.name(), a.value()))
            .collect();
        preview(&format!("<{}{}>", el.tag_name(), attrs.concat()))
    };
    stats.removed_with(rule, el.source_location().bytes().len(), tag);
    el.before(&env.join(), ContentType::Html);
    el.remove();
    Ok(())
}
