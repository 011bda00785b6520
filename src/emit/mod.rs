//! Output formats: the cleaned article as Markdown, plain text, one safe HTML fragment, or
//! JSON with its metadata; or the input's own format (`source`).
//!
//! Every format but `source` reads the cleaned document as one HTML fragment (Markdown is
//! rendered first), builds a small tree of it and writes that tree out.

mod blocks;
pub mod facts;
mod html;
mod inline;
pub mod metadata;
mod out;
mod page_title;
mod rendered_html;
mod title_again;
pub mod tree;

use crate::report::PageTitles;
use crate::report::{Report, RuleHit, Warning};
use crate::rules::InputFormat;
use blocks::{Style, Walker};
pub use metadata::Image;
use metadata::Metadata;
use out::{Joined, Out, Writing};
use serde::Serialize;

/// What `--to` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// CommonMark, no raw HTML.
    #[default]
    Markdown,
    /// One clean, safe HTML fragment.
    Html,
    /// Plain text, blocks separated by blank lines.
    Text,
    /// One JSON object with the metadata and the Markdown content.
    Json,
    /// The input's own format with the chaff removed.
    Source,
}

/// The article and its facts, as the JSON format writes it. Field names are stable; see
/// `docs/article.schema.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// The article's title.
    pub title: Option<String>,
    /// ISO 8601: a date, or a date and time with its zone where the document gives one.
    pub date: Option<String>,
    /// The byline, or the author the document's front matter names.
    pub author: Option<String>,
    /// The outlet's rule-file name (`dw`, `epochtimes`, …), when recognised.
    pub outlet: Option<String>,
    /// The mirror family's rule-file name (`feedx`, `gfw-breaker`, …), when recognised.
    pub family: Option<String>,
    /// The original article's address (http or https only); never the mirror's own.
    pub url: Option<String>,
    /// The original-language version of a translated article (http or https only).
    pub translation_of: Option<String>,
    /// A short address of the article that the outlet gives (http or https only).
    pub short_url: Option<String>,
    /// The notice on the article's rights that the page carries: a reprint permission
    /// (`经…许可进行再版`), the outlet's terms for copies.
    pub rights: Option<String>,
    /// The publication the article was reprinted from, as the page names it (`来源：…`,
    /// `原文来自「…」`, `转载自…`).
    pub reprinted_from: Option<String>,
    /// The address the reprint links for its source (`本文转载自[…](URL)`; http or https
    /// only).
    pub reprinted_from_url: Option<String>,
    /// Where the article first appeared, as a note names it (`始发于简书`, `首发于端传媒`,
    /// `本文原载于《南开史学》2020年第1期`).
    pub first_published_in: Option<String>,
    /// The address where the article first appeared, as a note links it (`首发于[…](URL)`,
    /// an outlet's `（原文链接）` under a post it reprinted; http or https only).
    pub first_published_url: Option<String>,
    /// When the article first appeared, as a note dates it (`本文首发于2018年6月1日`): an
    /// ISO 8601 date.
    pub first_published_on: Option<String>,
    /// The title the article first appeared under, as a note gives it (`原标题：…`).
    pub original_title: Option<String>,
    /// The article's images, in order: address, alt text and caption.
    pub images: Vec<Image>,
    /// The article as Markdown.
    pub content: String,
    /// What went wrong or looked odd while cleaning (see [`Report::warnings`]).
    pub warnings: Vec<Warning>,
    /// The rules that fired.
    pub rules: Vec<RuleHit>,
}

/// A cleaned document in the other shapes.
pub struct Rendered {
    /// The article: the title as a level-1 heading (linked to the original when its
    /// address is known), then the body without the document's own title heading and
    /// without its metadata lines.
    tree: tree::Tree,
    /// What the metadata is read from, besides the tree and the facts the metadata rules
    /// read: the front matter, the source URL detection found. Markdown and text need only
    /// the title and the URL, so the rest is read when first asked for.
    front_matter: String,
    source_url: Option<String>,
    /// The hosts that carry mirrors: an address on one is never the article's.
    mirror_hosts: std::sync::Arc<[String]>,
    metadata: std::sync::OnceLock<Metadata>,
}

/// A cleaned document read as an article.
pub(crate) struct ArticleTree<'t> {
    /// Whether the text holds the document's start: only there are its front matter and
    /// its title read (a later window of a document too large to clean whole has neither).
    start: bool,
    pub front_matter: &'t str,
    /// The front matter's fields (see [`metadata::front_matter_fields`]), read once.
    fields: Vec<(String, String)>,
    /// The article, without the document's own title heading.
    pub tree: tree::Tree,
    pub title: Option<String>,
    /// Where the title heading linked, when all of it was one link: a feed's permalink.
    pub title_link: Option<String>,
    /// The document's title heading's text, read before it was taken out: the heading the
    /// page's head names (see [`page_title`]), else its first heading; else, on a page
    /// without a heading, the title it gives for sharing, or its `<title>` when its first
    /// lines say it again (see [`title_again`]).
    heading: Option<String>,
    /// The heading the page's head names, if one does.
    named: Option<String>,
    /// The title taken out of the tree: the one the document gives.
    given: Option<String>,
    /// The nodes taken out of the tree with it (its heading, the rule under it), the last
    /// taken last: put back when a title a `metadata` rule read takes another heading out
    /// (see [`ArticleTree::with_read_title`]).
    taken: Vec<tree::Taken>,
    /// What reading the metadata rules' facts read of the tree's blocks, if they were read
    /// from this tree: their lines are then not read again to be taken out.
    pub blocks: facts::Blocks,
}

/// The article tree of a cleaned document (`text`, in `input` format), with its front
/// matter, its body and its title; the document's own title heading is taken out of the
/// tree. `read_title` is the title a `metadata` rule read from the one the document gives
/// (without the site's name it adds), if one did; `page` the titles a whole web page
/// states in its head (they choose its title heading). A text that does not hold the
/// document's `start` has no front matter and no title.
pub(crate) fn article_tree<'t>(
    (text, start): (&'t str, bool),
    input: InputFormat,
    read_title: Option<&str>,
    page: &PageTitles,
) -> ArticleTree<'t> {
    let (front_matter, body) = match input {
        InputFormat::Markdown if start => crate::text::split_front_matter(text),
        _ => ("", text),
    };
    let html = match input {
        InputFormat::Markdown => std::borrow::Cow::Owned(rendered_html::markdown_to_html(body)),
        InputFormat::Html => std::borrow::Cow::Borrowed(body),
    };
    let tree = tree::parse(&html);
    let named = (start.then(|| page_title::heading_named(tree.top(), page))).flatten();
    let heading = (start.then(|| {
        (named.clone())
            .or_else(|| metadata::first_heading(tree.top()))
            .or_else(|| page.shared.clone())
            // A `<title>` is not trusted alone (it often adds the site's name), but one the
            // page's first lines say again is the headline they set as a paragraph.
            .or_else(|| (page.title.clone()).filter(|t| title_again::said_in_opening(&tree, t)))
    }))
    .flatten();
    let mut article = ArticleTree {
        start,
        front_matter,
        fields: metadata::front_matter_fields(front_matter),
        tree,
        title: None,
        title_link: None,
        heading,
        named,
        given: None,
        taken: Vec::new(),
        blocks: facts::Blocks::default(),
    };
    article.take_title(read_title);
    article
}

impl<'t> ArticleTree<'t> {
    /// The text of the article's nodes as it stands (`blocks::push_text`): decoded, without
    /// markup, a `<br>` a line end, whitespace not folded. What its blocks' lines read is
    /// made of it: a literal without whitespace that a line holds, it holds.
    pub(crate) fn text(&self) -> String {
        let mut text = String::with_capacity(self.tree.text_len());
        blocks::push_text(self.tree.top(), &mut text, usize::MAX);
        text
    }

    /// The article tree [`article_tree`] reads with `read_title`, from this one (read with
    /// any title): the same tree when the title taken out of it is the same, which it is
    /// unless the document's front matter gives the title with the site's name and its first
    /// heading is the title the rule read; then the nodes the other title took out are put
    /// back, and this one's taken out (what was read of the tree's blocks is let go).
    pub(crate) fn with_read_title(mut self, read_title: Option<&str>) -> ArticleTree<'t> {
        let given = (self.start)
            .then(|| metadata::title(&self.fields, self.heading.clone(), read_title))
            .flatten();
        if given != self.given {
            while let Some(taken) = self.taken.pop() {
                self.tree.put_back(taken);
            }
            self.title_link = None;
            self.blocks = facts::Blocks::default();
            self.take_title(read_title);
            return self;
        }
        self.title = read_title.map(str::to_string).or(given);
        self
    }

    /// Takes the document's own title heading out of the tree, the title being the one the
    /// document gives with `read_title` (see [`metadata::title`]), and sets the title.
    fn take_title(&mut self, read_title: Option<&str>) {
        let given = (self.start)
            .then(|| metadata::title(&self.fields, self.heading.clone(), read_title))
            .flatten();
        if let Some(t) = &given {
            // A feed item's title line is often followed by the outlet's own headline.
            let (tree, taken) = (&mut self.tree, &mut self.taken);
            let pass_over = self.named.as_ref() == Some(t);
            strip_title(tree, t, pass_over, &mut self.title_link, taken);
            strip_title(tree, t, pass_over, &mut None, taken);
            let titles: Vec<&str> = [Some(t.as_str()), read_title]
                .into_iter()
                .flatten()
                .collect();
            title_again::strip_opening(tree, &titles, taken);
            if tree.may_hold_players() {
                title_again::strip_player_labels(tree, t, taken);
            }
        }
        self.title = read_title.map(str::to_string).or_else(|| given.clone());
        self.given = given;
    }
}

impl Rendered {
    /// Reads the cleaned document (`text`, in `input` format; `start`: whether it holds
    /// the document's start, see [`article_tree`]) with the `facts` its metadata
    /// rules read (at least those the rendered article shows); `read` is its article tree
    /// when reading the facts built it already (it is not built twice); `mirror_hosts` are
    /// the hosts whose addresses are never the article's own (common.toml's
    /// `mirror_hosts`).
    pub(crate) fn new(
        (text, input, start): (&str, InputFormat, bool),
        read: Option<ArticleTree<'_>>,
        report: &Report,
        facts: &[crate::report::Fact],
        mirror_hosts: std::sync::Arc<[String]>,
    ) -> Rendered {
        let read_title = (facts.iter())
            .find(|f| f.field == "title" && !f.source && start)
            .map(|f| f.value.as_str());
        let mut article = match read {
            Some(article) => article.with_read_title(read_title),
            None => article_tree((text, start), input, read_title, &report.page_titles),
        };
        let blocks = std::mem::take(&mut article.blocks);
        facts::remove(&mut article.tree, facts, blocks);
        // The title's own link (a feed's permalink, as the outlet encoded it) before what
        // detection read from a source line or front matter.
        let source_url = (article.title_link.filter(|u| crate::detect::is_web_url(u)))
            .or_else(|| report.source_url.clone());
        let url = metadata::url_of(facts, source_url.as_deref(), &article.fields, &mirror_hosts);
        let mut tree = article.tree;
        if let Some(title) = (article.title.as_deref().map(str::trim)).filter(|t| !t.is_empty()) {
            tree.prepend_heading(title, url.as_deref());
        }
        Rendered {
            tree,
            front_matter: article.front_matter.to_string(),
            source_url,
            mirror_hosts,
            metadata: std::sync::OnceLock::new(),
        }
    }

    /// What the document says about itself, with `facts`, what all its metadata rules read:
    /// title, date, author, URL, images.
    pub fn metadata(&self, facts: &[crate::report::Fact]) -> &Metadata {
        self.metadata.get_or_init(|| {
            metadata::extract(
                &self.front_matter,
                self.tree.top(),
                facts,
                self.source_url.as_deref(),
                &self.mirror_hosts,
            )
        })
    }

    /// The article as Markdown, its room made for the tree's text at first (most of the
    /// article, so that it is seldom grown and copied).
    pub fn markdown(&self) -> String {
        self.markdown_into(String::with_capacity(self.tree.text_len()))
    }

    /// The article as plain text, as [`Rendered::markdown`].
    pub fn text(&self) -> String {
        self.text_into(String::with_capacity(self.tree.text_len()))
    }

    /// The article as one HTML fragment.
    pub fn html(&self) -> String {
        self.html_into(String::new())
    }

    /// The article in `format` (Markdown, text or HTML; JSON and source are not made
    /// here), handed to `writer` as it is made: no copy of the whole is held.
    pub(crate) fn write_to(
        &self,
        format: Format,
        writer: impl std::io::Write,
    ) -> std::io::Result<()> {
        let out = Writing::new(writer);
        let out = match format {
            Format::Text => self.text_into(out),
            Format::Html => self.html_into(out),
            _ => self.markdown_into(out),
        };
        out.finish()
    }

    fn markdown_into<O: Out>(&self, out: O) -> O {
        let mut out = Joined::markdown(out);
        Walker::new(Style::Markdown).blocks_into(self.tree.top(), &mut out);
        out.finish()
    }

    fn text_into<O: Out>(&self, out: O) -> O {
        let mut out = Joined::text(out);
        Walker::new(Style::Text).blocks_into(self.tree.top(), &mut out);
        out.finish()
    }

    fn html_into<O: Out>(&self, out: O) -> O {
        let mut fragment = html::Fragment::into(out);
        html::blocks_into(self.tree.top(), &mut fragment);
        let (mut out, any) = fragment.finish();
        if any {
            out.put("\n");
        }
        out
    }

    /// YAML front matter with the metadata (`facts`: what all the metadata rules read), for
    /// Markdown output.
    pub fn front_matter(&self, report: &Report, facts: &[crate::report::Fact]) -> String {
        let mut out = String::from("---\n");
        let mut field = |key: &str, value: Option<&str>| {
            if let Some(v) = value {
                // A JSON string is a valid YAML double-quoted scalar.
                out.push_str(&format!(
                    "{key}: {}\n",
                    serde_json::to_string(v).unwrap_or_default()
                ));
            }
        };
        let metadata = self.metadata(facts);
        field("title", metadata.title.as_deref());
        field("date", metadata.date.as_deref());
        field("author", metadata.author.as_deref());
        field("outlet", report.outlet.as_deref());
        field("family", report.family.as_deref());
        field("url", metadata.url.as_deref());
        field("translation_of", metadata.translation_of.as_deref());
        field("short_url", metadata.short_url.as_deref());
        field("rights", metadata.rights.as_deref());
        field("reprinted_from", metadata.reprinted_from.as_deref());
        field("reprinted_from_url", metadata.reprinted_from_url.as_deref());
        field("first_published_in", metadata.first_published_in.as_deref());
        field(
            "first_published_url",
            metadata.first_published_url.as_deref(),
        );
        field("first_published_on", metadata.first_published_on.as_deref());
        field("original_title", metadata.original_title.as_deref());
        out.push_str("---\n");
        out
    }

    /// The article's facts around `content`, the article in the format asked for (`facts`:
    /// what all the metadata rules read).
    pub fn article(
        &self,
        report: &Report,
        facts: &[crate::report::Fact],
        content: String,
    ) -> Article {
        let metadata = self.metadata(facts);
        Article {
            title: metadata.title.clone(),
            date: metadata.date.clone(),
            author: metadata.author.clone(),
            outlet: report.outlet.clone(),
            family: report.family.clone(),
            url: metadata.url.clone(),
            translation_of: metadata.translation_of.clone(),
            short_url: metadata.short_url.clone(),
            rights: metadata.rights.clone(),
            reprinted_from: metadata.reprinted_from.clone(),
            reprinted_from_url: metadata.reprinted_from_url.clone(),
            first_published_in: metadata.first_published_in.clone(),
            first_published_url: metadata.first_published_url.clone(),
            first_published_on: metadata.first_published_on.clone(),
            original_title: metadata.original_title.clone(),
            images: metadata.images.clone(),
            content,
            warnings: report.warnings.clone(),
            rules: report.fired.clone(),
        }
    }
}

/// Takes the document's own title heading out of the tree: the first thing with content,
/// inside any wrappers, when it is a heading that says `title`; with the rule right under
/// it (a title's underline, not the body's). With `pass_over` (the page's head named the
/// heading: see [`page_title`]), the heading may come after a short lead-in ([`LEAD_IN`]:
/// a breadcrumb stays), and up to [`PASSED_OVER`] short headings before it go with it: the
/// site's name, a kicker, the columnist's name set above the headline. `link` is where
/// the heading linked, when all of it was one link; `taken` gets the nodes taken out, in
/// the order they were taken.
fn strip_title(
    tree: &mut tree::Tree,
    title: &str,
    pass_over: bool,
    link: &mut Option<String>,
    taken: &mut Vec<tree::Taken>,
) {
    use tree::Node;
    let mut headings = Vec::new();
    let top = tree::List::Top;
    leading_headings(tree, top, (title, pass_over), &mut headings, &mut 0);
    let Some(&(list, i, true)) = headings.last() else {
        return;
    };
    if let Some(Node::Element(e)) = tree.list(list).get(i) {
        let blank = |n: &Node<'_>| matches!(n, Node::Text(t) if t.trim().is_empty());
        let mut content = (e.children().iter()).filter(|n| !blank(n));
        if let (Some(Node::Element(a)), None) = (content.next(), content.next())
            && a.name() == "a"
        {
            *link = a.attr("href").map(str::to_string);
        }
    }
    // The rule under the title first, then the nodes before it, the last first: what is
    // taken out never moves what is yet to be taken.
    let mut after = i + 1;
    let blank = |n: Option<Node<'_>>| matches!(n, Some(Node::Text(t)) if t.trim().is_empty());
    while blank(tree.list(list).get(after)) {
        after += 1;
    }
    let rule = matches!(tree.list(list).get(after), Some(Node::Element(e)) if e.name() == "hr");
    let mut taking: Vec<tree::Taken> = Vec::new();
    if rule {
        taking.extend(tree.take(list, after));
    }
    for &(list, i, _) in headings.iter().rev() {
        taking.extend(tree.take(list, i));
    }
    // Put back (see `ArticleTree::with_read_title`) the last taken first.
    taken.extend(taking);
}

/// How many headings before the title heading [`strip_title`] passes over, and how long
/// each may be (in characters): a site's name, a kicker, a name, not a paragraph's worth.
const PASSED_OVER: (usize, usize) = (3, 80);

/// How many characters of other content [`strip_title`] passes over before the heading the
/// page names: a breadcrumb, a section's name; they stay where they are.
const LEAD_IN: usize = 200;

/// The headings at the start of `list` (inside any wrappers, past rules and line breaks),
/// each with whether it says `title`, up to the first that does; without `pass_over`,
/// only the first, and only if nothing else comes before it; with it, past [`LEAD_IN`]
/// characters of other content at most (`before` counts them). Whether to stop looking.
fn leading_headings(
    tree: &tree::Tree,
    list: tree::List,
    (title, pass_over): (&str, bool),
    out: &mut Vec<(tree::List, usize, bool)>,
    before: &mut usize,
) -> bool {
    use tree::Node;
    let passed_over = |text: &str, before: &mut usize| -> bool {
        *before += text.trim().chars().count();
        pass_over && *before <= LEAD_IN
    };
    for (i, node) in tree.list(list).iter().enumerate() {
        let e = match node {
            Node::Text(t) if t.trim().is_empty() => continue,
            Node::Text(t) if passed_over(t, before) => continue,
            Node::Element(e) => e,
            _ => return true,
        };
        match e.name().as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let text = blocks::text_content(e.children());
                let says = says_title(&text, title);
                let (most, longest) = PASSED_OVER;
                let passed = !says
                    && pass_over
                    && out.len() < most
                    && text.trim().chars().count() <= longest;
                out.push((list, i, says));
                if !passed {
                    return true;
                }
            }
            "hr" | "br" => {}
            "div" | "section" | "article" | "header" | "main" | "center" => {
                let inside = tree.children_of(list, i);
                if leading_headings(tree, inside, (title, pass_over), out, before) {
                    return true;
                }
            }
            _ => {
                // An element without text hides no title: the lead image a theme sets above
                // the headline, an empty anchor (`<a name="…">`).
                let text = blocks::text_content(e.children());
                if !text.trim().is_empty() && !passed_over(&text, before) {
                    return true;
                }
            }
        }
    }
    false
}

/// The first `n` characters of `s`. Characters are counted by their first bytes (any but
/// 0x80–0xBF), 64 bytes at a time while the count cannot reach `n`.
pub(crate) fn first_chars(s: &str, n: usize) -> &str {
    let bytes = s.as_bytes();
    if bytes.len() <= n {
        return s;
    }
    let starts = |b: &u8| (*b as i8) >= -0x40;
    let (mut count, mut i) = (0, 0);
    while let Some(chunk) = bytes.get(i..i + 64)
        && count + 64 <= n
    {
        count += chunk.iter().filter(|b| starts(b)).count();
        i += 64;
    }
    while let Some(b) = bytes.get(i) {
        if starts(b) {
            if count == n {
                return &s[..i];
            }
            count += 1;
        }
        i += 1;
    }
    s
}

/// Whether a heading's `text` says `title`: the same text but for whitespace, or the title
/// cut off with an ellipsis (`...`, `…`), as a feed shortens it in its title line, when at
/// least [`CUT_TITLE`] of its letters and digits are left (compared as letters and digits:
/// the cut may fall after a space or a comma).
fn says_title(text: &str, title: &str) -> bool {
    if same_but_whitespace(text, title) {
        return true;
    }
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<Vec<_>>()
    };
    let said = letters(title);
    let text = text.trim_end();
    let Some(cut) = ["...", "…", "⋯"].iter().find_map(|e| text.strip_suffix(e)) else {
        return false;
    };
    let kept = letters(cut);
    kept.len() >= CUT_TITLE && said.starts_with(&kept)
}

/// How many letters and digits of the title a title line cut off with an ellipsis must keep
/// for [`says_title`] to read it as the title: a phrase, not a word or two.
const CUT_TITLE: usize = 10;

/// Whether `a` and `b` are the same text but for whitespace.
fn same_but_whitespace(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_says_the_title_or_the_title_cut_off() {
        let title = "《纽约时报》的 Learning Network 中的 Lesson Plans 模块近期更新了";
        // The same but for whitespace; other punctuation is another title (the title
        // takes the headline's punctuation before this is asked: see `metadata::title`).
        assert!(says_title(
            " 《纽约时报》的Learning Network 中的 Lesson Plans 模块近期更新了 ",
            title
        ));
        assert!(!says_title(
            "在线查毒工具——从“误报/漏报”聊起",
            "在线查毒工具——从“误报-漏报”聊起"
        ));
        // Cut off with an ellipsis, as a feed's title line cuts it.
        assert!(says_title(&format!("{title}..."), title));
        assert!(says_title("《纽约时报》的 Learning Network 中的…", title));
        // Not the title: too little of it left, no ellipsis, other words, no letters.
        assert!(!says_title("《纽约时报》...", title));
        assert!(!says_title("《纽约时报》的 Learning Network", title));
        assert!(!says_title(
            "《纽约时报》的 Learning Network 中的 Lesson Plans 模块...",
            "另一个标题"
        ));
        assert!(!says_title("???", "!!!"));
    }

    #[test]
    fn first_chars_counts_characters() {
        let text = format!("{}{}{}", "a".repeat(70), "中文".repeat(100), "é".repeat(50));
        for n in [0, 1, 63, 64, 65, 70, 71, 128, 200, 269, 270, 271, 400, 1000] {
            let expected = text
                .char_indices()
                .nth(n)
                .map_or(&text[..], |(i, _)| &text[..i]);
            assert_eq!(first_chars(&text, n), expected, "{n}");
        }
        assert_eq!(first_chars("", 3), "");
    }
}
