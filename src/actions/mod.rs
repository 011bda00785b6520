//! Rule actions, one file each: what `action = "…"` in a rule file does.
//!
//! An action's file owns all of it: the keys it takes and how they compile, the stage that
//! runs it, the lol_html handler or source edit that does the work, its documentation (what
//! it does, why, an example rule with what it makes of a page) and its tests. The stages
//! dispatch over [`Action`] and know no action by name:
//!
//! | stage | what runs it | actions |
//! |---|---|---|
//! | [`Stage::Source`] | `markdown::source`, on the Markdown text before it is split | `cut`, `drop-lines`, `replace`, `unescape`, `repair-mojibake` |
//! | [`Stage::Block`] | `markdown`, on its blocks | `drop-link-block` |
//! | [`Stage::Regions`] | lol_html handlers registered before all others | `keep-only`, `keep-main` |
//! | [`Stage::Rewriter`] | lol_html handlers (`rewrite`), which mark what the sink removes; an action that reads the whole document first (`remove-if-repeated`) picks its elements in `pass` ([`Kind::picks`]) | most HTML actions |
//! | [`Stage::Judge`] | `rewrite::judge`, on the rewriter's output | `remove-empty` and `remove-if-text` on plain tag names, `drop-attr` on `*` |
//! | [`Stage::Metadata`] | `emit::facts`, on the cleaned document read as blocks of lines | `metadata` |
//! | [`Stage::Article`] | `article`, on the cleaned document read as blocks | `remove-block` |
//!
//! Elements that an action removes by what they turn out to contain (`remove-if-text`,
//! `remove-empty`) are held until their fate is certain, by the sink or the judge alike
//! (`rewrite::frame`), and judged through [`Kind`]'s judgement methods on what the element
//! has shown ([`Seen`]). A new condition of that kind (a share of link text, say) is a new
//! observation in [`Seen`] and an action that judges by it; the stages stay as they are.
//!
//! To add an action: write `src/actions/<name>.rs` with a type that implements [`Kind`]
//! (the other files are the models), add one line to the `registry!` below, and a row to
//! the action tables of `rules/README.md`. See `CONTRIBUTING.md`.

mod handler;
pub(crate) mod keys;
pub(crate) mod literals;
mod raw_rule;
mod seen;

pub(crate) use handler::{Chosen, ElementHandler, Env, Handler};
pub use keys::{Css, NameTest};
pub(crate) use seen::Seen;

use crate::report::{Stats, Warning};
use keys::{Key, Keys};
use literals::Literal;
use std::borrow::Cow;
use std::rc::Rc;

/// Where an action runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// An edit of the raw Markdown text, before it is split into blocks
    /// ([`Kind::edit`]). Not run on HTML documents.
    Source,
    /// A verdict on whole Markdown blocks ([`Kind::drops_block`]).
    Block,
    /// lol_html handlers that mark regions of the document, registered before every other
    /// handler so that their marks come first ([`Kind::handler`]).
    Regions,
    /// A lol_html handler ([`Kind::handler`]).
    Rewriter,
    /// The judge after the rewriter: elements of the listed tag names
    /// ([`Css::tags`], judged like the sink's frames) or every start tag's attributes
    /// ([`Kind::attribute_test`]).
    Judge,
    /// Read from the cleaned document: lines that state facts about the article become
    /// fields and leave the body of Markdown, HTML and text ([`Kind::line_rule`]). They
    /// change no source output.
    Metadata,
    /// The last stage: the cleaned document read as a sequence of blocks, judged by their
    /// text, links, media and place in the article ([`Kind::block_rule`]).
    Article,
}

/// What a source edit is given besides the text.
pub(crate) struct Edit<'a> {
    /// The rule's index in the document's rule list (what [`Stats`] counts by).
    pub rule: usize,
    /// The rule's full id, for warnings.
    pub id: &'a str,
    /// The source rules after this one, with their indexes: an action may do their work in
    /// the same pass over the text (see `drop_lines`), and says so by how many it took.
    pub later: &'a [(usize, &'a Action)],
    pub stats: &'a Stats,
    pub warnings: &'a mut Vec<Warning>,
}

/// One kind of action: everything about it. Methods a stage does not call on the action
/// keep their defaults.
pub(crate) trait Kind: Sized {
    /// The name rule files give it: `action = "remove"`.
    const NAME: &'static str;
    /// The keys it must have besides `id`, `action` and `note`.
    const REQUIRED: &'static [Key];
    /// The keys it may have.
    const OPTIONAL: &'static [Key] = &[];

    /// Compiles the rule's keys; None once an error is reported. The required keys are
    /// there and no other key is.
    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self>;

    /// The stage that runs it.
    fn stage(&self) -> Stage;

    /// The elements it acts on, if it acts on elements.
    fn selector(&self) -> Option<&Css> {
        None
    }

    /// What a document must contain for the action to act on it: alternatives of literals
    /// that must all be present; an empty alternative matches any document. By default
    /// what its selector needs, or nothing (it runs on every document).
    fn needs(&self) -> Vec<Vec<Literal>> {
        match self.selector() {
            Some(css) => literals::of_selector(&css.text),
            None => vec![Vec::new()],
        }
    }

    // --- Stage::Regions and Stage::Rewriter ---

    /// Its lol_html handler, for the rule at `rule` of the document's list.
    fn handler<'h>(&'h self, _rule: usize, _env: &Rc<Env>, _stats: &'h Stats) -> Handler<'h> {
        Handler::None
    }

    /// For an action of [`Stage::Regions`] that chooses its regions by reading the whole
    /// document rather than by a selector: the elements to keep (and those inside them to
    /// drop), by their order among the document's elements (lol_html's count), when it finds
    /// any.
    fn chosen_regions(&self, _html: &[u8]) -> Option<Chosen> {
        None
    }

    /// For an action of [`Stage::Rewriter`] that decides on the elements its selector
    /// matches by reading the whole document first: where the start tags of those it takes
    /// begin (lol_html's byte offsets), in order; empty when it takes none or reads
    /// nothing. `more` gives the document's text that `html` does not hold (a Markdown
    /// document's plain blocks), built only when asked for.
    fn picks(&self, _html: &[u8], _more: &dyn Fn() -> String) -> Vec<u32> {
        Vec::new()
    }

    // --- Elements under judgement (`rewrite::frame`) ---

    /// How many characters of the element's text it reads, if it reads any.
    fn text_limit(&self) -> Option<usize> {
        None
    }

    /// Whether what the element has shown keeps it, whatever follows.
    fn keeps(&self, _seen: &Seen) -> bool {
        false
    }

    /// For an action that reads the text: whether the way the text begins already rules
    /// out a removal (then the text need not be read on). None if it reads no text.
    fn text_ruled_out(&self, _seen: &Seen) -> Option<bool> {
        None
    }

    /// How many bytes of the text, from its first one that is not a space, its answer to
    /// [`Kind::text_ruled_out`] reads: once the text is that long, the answer is final.
    fn text_reach(&self) -> usize {
        0
    }

    /// Whether it removes the element whose end has come, with what it showed and its
    /// decoded text: the credit rank of the removal if so. When several rules would remove
    /// one element, the lowest rank takes the credit (an unconditional removal 0, one by
    /// text 1, one by emptiness 2), and among equals the later rule.
    fn removal_rank(&self, _seen: &Seen, _text: Option<&str>) -> Option<u8> {
        None
    }

    /// Whether it removes only elements with nothing in them: such an element is kept
    /// without a warning when it never closes, needs no frame once content shows, and an
    /// inline one leaves a space where it stood.
    fn only_empty(&self) -> bool {
        false
    }

    // --- Stage::Judge on every start tag ---

    /// The attributes it drops from every start tag.
    fn attribute_test(&self) -> Option<&NameTest> {
        None
    }

    // --- Stage::Source ---

    /// Edits the Markdown text; returns how many of `edit.later` it also did.
    fn edit(&self, _text: &mut Cow<'_, str>, _edit: &mut Edit<'_>) -> usize {
        0
    }

    // --- Stage::Block ---

    /// Whether a Markdown block made only of links to `links` goes.
    fn drops_block(&self, _links: &[String]) -> bool {
        false
    }

    // --- Stage::Metadata ---

    /// The lines it reads as facts about the article.
    fn line_rule(&self) -> Option<&metadata::LineRule> {
        None
    }

    // --- Stage::Article ---

    /// The conditions under which it takes a block of the article.
    fn block_rule(&self) -> Option<&remove_block::BlockRule> {
        None
    }
}

/// Declares the actions: a module per action, and [`Action`] with one variant each,
/// dispatching [`Kind`]'s methods to it.
macro_rules! registry {
    ($($module:ident :: $kind:ident),* $(,)?) => {
        $(pub(crate) mod $module;)*

        /// What a rule does: one variant per action file.
        #[derive(Debug, Clone)]
        pub enum Action {
            $(#[doc = concat!("See `actions::", stringify!($module), "`.")] $kind($module::$kind),)*
        }

        /// The actions' names, as rule files write them, in the registry's order.
        pub(crate) const NAMES: &[&str] = &[$(<$module::$kind as Kind>::NAME),*];

        impl Action {
            /// The keys the action named `name` requires and allows; None for no action.
            pub(crate) fn keys_of(name: &str) -> Option<(&'static [Key], &'static [Key])> {
                match name {
                    $(<$module::$kind as Kind>::NAME => Some((
                        <$module::$kind as Kind>::REQUIRED,
                        <$module::$kind as Kind>::OPTIONAL,
                    )),)*
                    _ => None,
                }
            }

            /// Compiles a rule of the action named `name` (known to be one).
            pub(crate) fn compile(name: &str, keys: &mut Keys<'_, '_>) -> Option<Action> {
                match name {
                    $(<$module::$kind as Kind>::NAME => $module::$kind::compile(keys).map(Action::$kind),)*
                    _ => None,
                }
            }

            /// The action's name as written in rule files.
            pub fn name(&self) -> &'static str {
                match self { $(Action::$kind(_) => <$module::$kind as Kind>::NAME,)* }
            }

            pub(crate) fn stage(&self) -> Stage {
                match self { $(Action::$kind(a) => a.stage(),)* }
            }

            /// The selector the action runs on, if it runs on elements.
            pub fn selector(&self) -> Option<&Css> {
                match self { $(Action::$kind(a) => a.selector(),)* }
            }

            pub(crate) fn needs(&self) -> Vec<Vec<Literal>> {
                match self { $(Action::$kind(a) => a.needs(),)* }
            }

            pub(crate) fn handler<'h>(&'h self, rule: usize, env: &Rc<Env>, stats: &'h Stats) -> Handler<'h> {
                match self { $(Action::$kind(a) => a.handler(rule, env, stats),)* }
            }

            /// How many characters of an element's text the action reads, if it reads any.
            pub fn text_limit(&self) -> Option<usize> {
                match self { $(Action::$kind(a) => a.text_limit(),)* }
            }

            pub(crate) fn keeps(&self, seen: &Seen) -> bool {
                match self { $(Action::$kind(a) => a.keeps(seen),)* }
            }

            pub(crate) fn text_ruled_out(&self, seen: &Seen) -> Option<bool> {
                match self { $(Action::$kind(a) => a.text_ruled_out(seen),)* }
            }

            pub(crate) fn text_reach(&self) -> usize {
                match self { $(Action::$kind(a) => a.text_reach(),)* }
            }

            pub(crate) fn removal_rank(&self, seen: &Seen, text: Option<&str>) -> Option<u8> {
                match self { $(Action::$kind(a) => a.removal_rank(seen, text),)* }
            }

            pub(crate) fn only_empty(&self) -> bool {
                match self { $(Action::$kind(a) => a.only_empty(),)* }
            }

            pub(crate) fn attribute_test(&self) -> Option<&NameTest> {
                match self { $(Action::$kind(a) => a.attribute_test(),)* }
            }

            pub(crate) fn edit(&self, text: &mut Cow<'_, str>, edit: &mut Edit<'_>) -> usize {
                match self { $(Action::$kind(a) => a.edit(text, edit),)* }
            }

            pub(crate) fn drops_block(&self, links: &[String]) -> bool {
                match self { $(Action::$kind(a) => a.drops_block(links),)* }
            }

            pub(crate) fn line_rule(&self) -> Option<&metadata::LineRule> {
                match self { $(Action::$kind(a) => a.line_rule(),)* }
            }

            pub(crate) fn chosen_regions(&self, html: &[u8]) -> Option<Chosen> {
                match self { $(Action::$kind(a) => a.chosen_regions(html),)* }
            }

            pub(crate) fn picks(&self, html: &[u8], more: &dyn Fn() -> String) -> Vec<u32> {
                match self { $(Action::$kind(a) => a.picks(html, more),)* }
            }

            pub(crate) fn block_rule(&self) -> Option<&remove_block::BlockRule> {
                match self { $(Action::$kind(a) => a.block_rule(),)* }
            }
        }

        /// Each action's name and the source of its file, whose documentation the tests
        /// run.
        #[cfg(test)]
        pub(crate) const SOURCES: &[(&str, &str)] = &[
            $((<$module::$kind as Kind>::NAME, include_str!(concat!(stringify!($module), ".rs"))),)*
        ];
    };
}

registry! {
    remove::Remove,
    unwrap::Unwrap,
    rename::Rename,
    keep_only::KeepOnly,
    keep_main::KeepMain,
    remove_if_text::RemoveIfText,
    remove_if_repeated::RemoveIfRepeated,
    remove_empty::RemoveEmpty,
    remove_comments::RemoveComments,
    move_attr::MoveAttr,
    rewrite_attr::RewriteAttr,
    drop_attr::DropAttr,
    replace_with::ReplaceWith,
    drop_link_block::DropLinkBlock,
    drop_lines::DropLines,
    cut::Cut,
    replace::Replace,
    unescape::Unescape,
    repair_mojibake::RepairMojibake,
    metadata::Metadata,
    remove_block::RemoveBlock,
}

#[cfg(test)]
pub(crate) mod tests;
