//! `remove-block`: removes a block of the article — a paragraph, a heading, a list item, a
//! Markdown block — by its text, its share of link text, whether it shows media or is
//! hidden from readers, and its place: among the last (or first) blocks of the article.
//!
//! ## Why
//!
//! Much chaff looks the same on every outlet: a copyright notice, a subscription pitch, a
//! "follow us" line with a QR code, a related-reading list, an ad label. Its markup differs
//! from site to site, but its words and its place do not: it stands alone, it is short,
//! and it sits at the article's end (or start). A rule of this action states exactly that,
//! so that it needs no selector and holds for outlets no rule file knows (`rules/generic.toml`
//! is made of them), while the same words inside the article are out of its reach.
//!
//! It runs last, on the document the other rules have cleaned, read as blocks (see
//! `src/article/view.rs`): the edge it sees is the article's, once the mirror's and the
//! outlet's own template is gone. A block taken does not count: what stood behind it is
//! then at the edge, so a run of chaff at the end goes block by block. A wrapper whose
//! every block went goes with them. A caption (`figcaption`, text in a `figure`) is never
//! taken but by a rule with `with_media` or `hidden`.
//!
//! Keys, all optional (every condition given must hold):
//!
//! | key | meaning |
//! |---|---|
//! | `pattern` | the block's whole text (entities decoded, whitespace folded, trimmed) must match |
//! | `unless` | a regex the block's text must not match: the words that make a block matching `pattern` news (a court, a reporting verb, a date), which stays |
//! | `voice` | a regex the text of a block longer than `terse` characters must also match outside its quotations: the outlet speaking of itself or to the reader (本文, 我们, 请, you), as a notice or a pitch does and a news sentence about one (or quoting one) does not |
//! | `terse` | with `voice`: the longest text taken without it, in characters (default 20) |
//! | `max_chars` | the longest text taken, in characters (default 200) |
//! | `edge` | `end`, `start` or `anywhere` (default) |
//! | `within` | with `edge`: the block is among the first or last `within` blocks with text, itself counted (default 3; 1: nothing of text between it and the edge); a divider line (symbols, no letter or digit) is no text |
//! | `list` | with `edge = "end"`: the block heads a list, and goes with the blocks of links after it (at most `list`), only when they run to the article's end; with `edge = "anywhere"`: it goes with the run of them right after it, wherever it stands, and stays when none follows |
//! | `min_links`, `max_links` | bounds on the share of the block's text inside links (0 to 1) |
//! | `min_link_count` | the fewest links the block holds (a row of several links is navigation) |
//! | `media` | `true`: only blocks that show an image or other medium and have no text; `false`: only blocks without media |
//! | `hidden` | `true`: only blocks hidden from readers (`hidden`, `aria-hidden="true"`, `display: none`, `visibility: hidden`, on it or around it) |
//! | `with_media` | `true`: the image right after the block goes with it (the QR code a pitch points at); with `list` and `edge = "anywhere"`, the list's items may also be images with their captions (a gallery's slides, up to 400 characters each) |
//! | `site_links` | `true`: every link target of the block is another page of the article's own site (the host of the article's address, `www.` aside; the address itself, a title's link, is not), with at least one link: the outlet's own stories, on any outlet; a link may be relative to the article's address (`/news/2`), never to a place on the page (`#notes`); a heading is never taken by it, and nothing where the article's address is unknown. With `list` (and `edge = "anywhere"`): the list's items must be such links, not its heading (a related heading and the site's stories under it) |
//! | `list_item` | `true`: only list items (an `li`, a whole Markdown list); a paragraph stays |
//! | `links_to` | a regex every link target of the block must match, with at least one link: a list of the site's own stories (`^https?://(www\.)?example\.com/news/`); a heading is never taken by it (a page's title links to the article itself) |
//!
//! ## Example
//!
//! ```toml
//! [[rule]]
//! id = "copyright"
//! action = "remove-block"
//! edge = "end"
//! within = 1
//! max_chars = 100
//! pattern = '^©'
//! note = "A copyright notice under the article."
//! ```
//!
//! cleans
//!
//! ```html
//! <p>© is a sign.</p><p>The article.</p><p>© 2020 AFP</p>
//! ```
//!
//! to
//!
//! ```html
//! <p>© is a sign.</p><p>The article.</p>
//! ```

pub(crate) use super::keys::Edge;
use super::keys::{Key, Keys};
use super::literals::Literal;
use super::{Kind, Stage};
use crate::lazy_regex::LazyRegex;

/// The default bound on a block's text: chaff lines are short.
const DEFAULT_MAX_CHARS: usize = 200;
/// The default reach from the edge.
const DEFAULT_WITHIN: usize = 3;

/// The longest text a rule with `voice` takes without it, in characters: a notice that
/// says nothing else (版权所有，翻印必究; 转载请注明出处) is shorter, a news sentence longer.
const DEFAULT_TERSE: usize = 20;

#[derive(Debug, Clone)]
pub struct RemoveBlock {
    /// Boxed: the largest of the actions' rules, it would size every action alike.
    rule: Box<BlockRule>,
}

impl Kind for RemoveBlock {
    const NAME: &'static str = "remove-block";
    const REQUIRED: &'static [Key] = &[];
    const OPTIONAL: &'static [Key] = &[
        Key::Pattern,
        Key::MaxChars,
        Key::Edge,
        Key::Within,
        Key::List,
        Key::MinLinks,
        Key::MaxLinks,
        Key::MinLinkCount,
        Key::Media,
        Key::Hidden,
        Key::WithMedia,
        Key::LinksTo,
        Key::SiteLinks,
        Key::ListItem,
        Key::Unless,
        Key::Voice,
        Key::Terse,
    ];

    fn compile(keys: &mut Keys<'_, '_>) -> Option<Self> {
        let pattern = keys.optional_regex(Key::Pattern);
        let links_to = keys.optional_regex(Key::LinksTo);
        let unless = keys.optional_regex(Key::Unless);
        let voice = keys.optional_regex(Key::Voice);
        let min_links = keys.share(Key::MinLinks);
        let max_links = keys.share(Key::MaxLinks);
        let edge = keys.edge(DEFAULT_WITHIN);
        let (pattern, min_links, max_links, (edge, within)) = (pattern?, min_links?, max_links?, edge?);
        let (links_to, unless, voice) = (links_to?, unless?, voice?);
        let has_condition = pattern.is_some()
            || links_to.is_some()
            || keys.switch(Key::SiteLinks) == Some(true)
            || min_links.is_some()
            || keys.has(Key::MinLinkCount)
            || keys.switch(Key::Media) == Some(true)
            || keys.switch(Key::Hidden) == Some(true);
        if !has_condition {
            keys.error(
                Key::Pattern,
                "a `remove-block` rule takes every block it can reach",
                Some("say what the block is: `pattern`, `links_to`, `site_links = true`, `min_links`, `min_link_count`, `media = true` or `hidden = true`"),
            );
            return None;
        }
        if keys.has(Key::Terse) && voice.is_none() {
            keys.error(Key::Terse, "`terse` bounds the blocks taken without `voice`", Some("add `voice`, or remove `terse`"));
            return None;
        }
        if keys.has(Key::List) && edge == Edge::Start {
            keys.error(Key::List, "a list is taken at the article's end or wherever it stands", Some("use `edge = \"end\"` or `edge = \"anywhere\"`"));
            return None;
        }
        if keys.has(Key::List) && keys.switch(Key::SiteLinks) == Some(true) && edge != Edge::Anywhere {
            keys.error(Key::SiteLinks, "a list of the site's links is taken wherever it stands", Some("use `edge = \"anywhere\"`"));
            return None;
        }
        let mut rule = BlockRule::new(pattern, keys.number(Key::MaxChars).unwrap_or(DEFAULT_MAX_CHARS));
        rule.edge = edge;
        rule.within = within;
        rule.list = keys.number(Key::List);
        rule.min_links = min_links.unwrap_or(0.0);
        rule.max_links = max_links.unwrap_or(1.0);
        rule.min_link_count = keys.number(Key::MinLinkCount).unwrap_or(0);
        rule.media = keys.switch(Key::Media);
        rule.hidden = keys.switch(Key::Hidden).unwrap_or(false);
        rule.with_media = keys.switch(Key::WithMedia).unwrap_or(false);
        rule.links_to = links_to;
        rule.site_links = keys.switch(Key::SiteLinks).unwrap_or(false);
        rule.list_item = keys.switch(Key::ListItem).unwrap_or(false);
        rule.unless = unless;
        rule.voice = voice;
        rule.terse = keys.number(Key::Terse).unwrap_or(DEFAULT_TERSE);
        Some(RemoveBlock {
            rule: Box::new(rule),
        })
    }

    fn stage(&self) -> Stage {
        Stage::Article
    }

    fn needs(&self) -> Vec<Vec<Literal>> {
        // It reads the document the other rules left, which the prefilter does not see.
        vec![Vec::new()]
    }

    fn block_rule(&self) -> Option<&BlockRule> {
        Some(&self.rule)
    }
}

#[cfg(test)]
mod tests {
    use crate::actions::tests::{html, markdown};

    fn rule(keys: &str) -> String {
        format!("[[rule]]\nid = \"b\"\naction = \"remove-block\"\n{keys}\nnote = \"n\"\n")
    }

    #[test]
    fn a_run_of_chaff_at_the_end_goes_block_by_block() {
        let rules = rule("edge = \"end\"\nwithin = 1\nwith_media = true\npattern = '关注|星标|^-?END-?$'");
        let page = "Body.\n\n-END-\n\n请关注我们，设为星标\n\n![](qr.png)\n";
        assert_eq!(markdown(&rules, page).text, "Body.\n");
    }

    #[test]
    fn a_related_list_goes_with_its_links_only_at_the_end() {
        let rules = rule("edge = \"end\"\nlist = 10\nmax_chars = 10\npattern = '^Related$'");
        let page = "<p>Body.</p><h3>Related</h3><ul><li><a href=x>One</a></li><li><a href=y>Two</a></li></ul>";
        assert_eq!(html(&rules, page).text, "<p>Body.</p>");
        let inside = "<h3>Related</h3><ul><li><a href=x>One</a></li></ul><p>The article goes on.</p>";
        assert_eq!(html(&rules, inside).text, inside);
    }

    #[test]
    fn a_list_anywhere_goes_with_the_items_right_after_its_heading() {
        let rules = rule("edge = \"anywhere\"\nlist = 10\nwith_media = true\nmax_chars = 40\npattern = '^Related galleries'");
        let page = "<p>Body.</p><h3>Related galleries: the harbour</h3><div><img src=a><b>Dawn</b>: boats leave.</div><figure><img src=b><figcaption>Noon.</figcaption></figure><p>The article goes on.</p>";
        assert_eq!(html(&rules, page).text, "<p>Body.</p><p>The article goes on.</p>");
        // A heading with no slide after it stays.
        let alone = "<h3>Related galleries: the harbour</h3><p>The article goes on.</p>";
        assert_eq!(html(&rules, alone).text, alone);
        // Without `with_media`, a list is of links only.
        let links = rule("edge = \"anywhere\"\nlist = 10\nmax_chars = 40\npattern = '^Related galleries'");
        assert_eq!(html(&links, page).text, page);
        let listed = "<p>Body.</p><h3>Related galleries</h3><ul><li><a href=x>One</a></li></ul><p>More.</p>";
        assert_eq!(html(&links, listed).text, "<p>Body.</p><p>More.</p>");
    }

    #[test]
    fn captions_and_long_blocks_stay() {
        let rules = rule("edge = \"end\"\npattern = '^©'\nmax_chars = 20");
        let page = "<p>Body.</p><figure><img src=a><figcaption>© Getty</figcaption></figure>";
        assert_eq!(html(&rules, page).text, page);
        let long = format!("<p>Body.</p><p>© {}</p>", "x".repeat(30));
        assert_eq!(html(&rules, &long).text, long);
    }

    #[test]
    fn a_block_of_links_to_the_site_goes_and_one_with_links_elsewhere_stays() {
        let rules = rule("links_to = '^https?://(www\\.)?site\\.example/news/'\nmin_links = 0.9");
        let page = "<h1><a href=\"https://site.example/news/1\">Title</a></h1><p>Body.</p><ul><li><a href=\"https://www.site.example/news/2\">Other story</a></li><li><a href=\"https://elsewhere.example/a\">A source</a></li></ul><p><a href=\"https://site.example/about\">About</a></p>";
        let want = "<h1><a href=\"https://site.example/news/1\">Title</a></h1><p>Body.</p><ul><li><a href=\"https://elsewhere.example/a\">A source</a></li></ul><p><a href=\"https://site.example/about\">About</a></p>";
        assert_eq!(html(&rules, page).text, want);
        let markdown_page = "# [Title](https://site.example/news/1)\n\nBody.\n\n- [Other story](https://site.example/news/2)\n";
        assert_eq!(markdown(&rules, markdown_page).text, "# [Title](https://site.example/news/1)\n\nBody.\n");
    }

    #[test]
    fn a_list_item_linking_to_another_page_of_the_site_goes() {
        let rules = rule("site_links = true\nlist_item = true\nmin_links = 0.9");
        let head = "<html><head><link rel=\"canonical\" href=\"https://www.site.example/news/1\"></head><body>";
        let page = format!("{head}<p>Body.</p><ul><li><a href=\"https://site.example/news/2\">其他报道</a></li><li><a href=\"https://www.site.example/news/1\">本文</a></li><li><a href=\"https://elsewhere.example/a\">来源</a></li></ul><p><a href=\"https://site.example/news/3\">段落</a></p></body></html>");
        let text = html(&rules, &page).text;
        assert!(!text.contains("其他报道"), "{text}");
        for kept in ["本文", "来源", "段落"] {
            assert!(text.contains(kept), "{kept}: {text}");
        }
        // Where the article's address is unknown, nothing is taken.
        let fragment = "<p>Body.</p><ul><li><a href=\"https://site.example/news/2\">其他报道</a></li></ul>";
        assert_eq!(html(&rules, fragment).text, fragment);
    }

    #[test]
    fn a_block_that_says_what_makes_it_news_stays() {
        let rules = rule("edge = \"end\"\npattern = '转载'\nunless = '法院|说'");
        let page = "Body.\n\n法院查明，被告转载其文章三百余篇。\n\n未经许可不得转载。\n";
        assert_eq!(
            markdown(&rules, page).text,
            "Body.\n\n法院查明，被告转载其文章三百余篇。\n"
        );
    }

    #[test]
    fn a_long_block_goes_only_in_the_voice_of_a_notice() {
        let rules = rule("edge = \"end\"\nwithin = 5\npattern = '转载'\nvoice = '本文|请'\nterse = 10");
        let page = "Body.\n\n网信办要求各网站不得转载上述未经核实的消息。\n\n谢绝转载。\n\n本文版权归本网所有，未经许可不得转载。\n";
        assert_eq!(
            markdown(&rules, page).text,
            "Body.\n\n网信办要求各网站不得转载上述未经核实的消息。\n"
        );
    }

    #[test]
    fn terse_needs_a_voice() {
        let errors = crate::actions::tests::errors(&rule("pattern = 'a'\nterse = 10"));
        assert!(
            errors.iter().any(|e| e.contains("`terse` bounds the blocks taken without `voice`")),
            "{errors:?}"
        );
    }

    #[test]
    fn hidden_carousels_go_whole() {
        let rules = rule("hidden = true\nmin_links = 0.5");
        let page = "<p>a</p><div aria-hidden=\"true\"><ul><li><a href=x>x</a></li><li><a href=y>y</a></li></ul></div><p>b</p>";
        assert_eq!(html(&rules, page).text, "<p>a</p><p>b</p>");
    }
}

/// What a block rule takes: the conditions a block must meet, all of them.
#[derive(Debug, Clone)]
pub struct BlockRule {
    /// The block's whole text must match.
    pub pattern: Option<LazyRegex>,
    /// Longest text the rule takes, in characters.
    pub max_chars: usize,
    /// The edge it counts from, or anywhere.
    pub edge: Edge,
    /// How many kept blocks may lie between the block and the edge.
    pub within: usize,
    /// Bounds on the share of the block's text inside links.
    pub min_links: f64,
    pub max_links: f64,
    /// The fewest links the block must hold: a row of several links is navigation where
    /// one link may be the article's own.
    pub min_link_count: usize,
    /// `Some(true)`: only blocks that show media and have no text; `Some(false)`: only
    /// blocks without media.
    pub media: Option<bool>,
    /// Only blocks hidden from readers.
    pub hidden: bool,
    /// The block heads a list: it is taken with the blocks of links after it (at most this
    /// many), and only when they reach the article's end.
    pub list: Option<usize>,
    /// Images (blocks of media only) right before or after the block go with it: the
    /// QR code a "scan to follow" line points at.
    pub with_media: bool,
    /// Every link of the block must point to an address this matches, and it must have
    /// one; a heading is never taken.
    pub links_to: Option<LazyRegex>,
    /// Every link of the block must point to another page of the article's own site (the
    /// host of its address, `www.` aside; not the address itself, the title's link), and
    /// it must have one; a heading is never taken. Nothing is taken where the article's
    /// address is unknown.
    pub site_links: bool,
    /// Only list items (`li`, a Markdown list): a paragraph stays.
    pub list_item: bool,
    /// A block whose text this matches stays, whatever else it matches: what makes the
    /// rule's words news.
    pub unless: Option<LazyRegex>,
    /// A block longer than [`BlockRule::terse`] characters is taken only if its text,
    /// what quotation marks enclose left out, matches this too: the outlet speaking of
    /// itself or to the reader, as a notice or a pitch does and a news sentence about one
    /// (or quoting one: “请大家订阅”是主播的口头禅) does not.
    pub voice: Option<LazyRegex>,
    /// The longest text taken without [`BlockRule::voice`], in characters: a notice as
    /// terse as 版权所有，翻印必究 says nothing else.
    pub terse: usize,
    /// The bytes a text `pattern` matches can begin with, when it is anchored at the start.
    pub starts: crate::lazy_regex::Starts,
}

impl BlockRule {
    /// A rule that takes blocks whose text matches `pattern`, anywhere, of any length up to
    /// `max_chars`; the other conditions are open.
    pub fn new(pattern: Option<LazyRegex>, max_chars: usize) -> BlockRule {
        BlockRule {
            pattern,
            max_chars,
            edge: Edge::Anywhere,
            within: usize::MAX,
            min_links: 0.0,
            max_links: 1.0,
            min_link_count: 0,
            media: None,
            hidden: false,
            list: None,
            with_media: false,
            links_to: None,
            site_links: false,
            list_item: false,
            unless: None,
            voice: None,
            terse: DEFAULT_TERSE,
            starts: Default::default(),
        }
    }
}
