//! HTML's vocabulary, in one place: which elements hold nothing, hold only text, are media,
//! are blocks, end an open paragraph, are never article text, and may appear in the safe
//! HTML output. Names are lowercase, as the tokenizer and lol_html give them.

/// Elements that never have content: no end tag, nothing inside. lol_html's list (its
/// `is_void_element`, the HTML parser's own), which every stage that follows the rewriter
/// must share to see the same elements as it does.
pub const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is raw text up to their own end tag: no tags inside.
pub const RAW_TEXT: &[&str] = &[
    "textarea",
    "title",
    "script",
    "style",
    "iframe",
    "xmp",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Elements that are content even without text: an element holding one is not empty.
pub const MEDIA: &[&str] = &[
    "img", "picture", "video", "audio", "iframe", "embed", "object", "svg", "canvas", "math",
    "source",
];

/// Elements that show something with neither text nor media: a divider, which the author put
/// between parts of the article (Markdown renders it `---`). An element holding one is not
/// empty (`remove-empty`), though it is no media to the rules that read media.
pub const SHOWN: &[&str] = &["hr"];

/// Whether an element of this name is content without text: media or a divider.
pub fn is_content(name: &[u8]) -> bool {
    has(MEDIA, name) || has(SHOWN, name)
}

/// Inline elements an empty one of which between two words stands for a space
/// (`BY<span> </span>line`).
pub const INLINE: &[&str] = &[
    "span", "b", "strong", "i", "em", "small", "font", "u", "a", "sub", "sup",
];

/// Elements the renderers write as blocks of their own (paragraphs, in plain text).
pub const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "body",
    "html",
    "caption",
];

/// Elements whose start ends an open `<p>` (HTML's implied end tag; lol_html leaves it
/// implied, the article tree makes it explicit).
pub const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
    "tr",
    "td",
    "th",
    "center",
];

/// Elements whose content is never article text: active content, the document's head,
/// forms and drawings. The article tree leaves them out. A lone `<input>` stays in the tree
/// (it shows nothing): its `value` may be a fact a metadata rule reads (a short URL).
pub const NOT_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "object", "embed", "applet", "head", "title",
    "meta", "link", "form", "button", "select", "textarea", "svg", "math", "canvas",
];

/// Elements the safe HTML output keeps; any other is unwrapped.
pub const ALLOWED: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "em",
    "strong",
    "i",
    "b",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "time",
    "dl",
    "dt",
    "dd",
    "q",
    "cite",
    "abbr",
    "mark",
];

/// Elements that hold blocks of a page (for learning rules): any other tag (`a`, `span`,
/// a custom `<ok>`) may sit inside a line of text.
pub const CONTAINERS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The names that open a CommonMark HTML block of kind 6 (`<div`, `</p>` at a line's start),
/// which runs to the next blank line whatever it holds; pulldown-cmark's list, sorted.
pub const MARKDOWN_BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Elements whose text is a caption, kept with its image.
pub const CAPTIONS: &[&str] = &["figure", "figcaption", "caption"];

/// Elements the safe HTML output ends with a line break.
pub const LINE_AFTER: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "blockquote",
    "table",
    "ul",
    "ol",
    "pre",
    "tr",
];

/// The element names the article tree holds without an allocation, sorted: every name of
/// the lists above and the others articles are made of.
pub const KNOWN: &[&str] = &[
    "a",
    "abbr",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "math",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "picture",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "video",
    "wbr",
];

/// Where the names of [`KNOWN`] that begin with each byte lie in it (sorted, they lie side
/// by side): a lookup compares a name with those few alone.
const KNOWN_BY_FIRST: [(u8, u8); 256] = {
    assert!(KNOWN.len() < 256);
    let mut ranges = [(0u8, 0u8); 256];
    let mut i = 0;
    while i < KNOWN.len() {
        let first = KNOWN[i].as_bytes()[0] as usize;
        if ranges[first].1 == 0 {
            ranges[first].0 = i as u8;
        }
        ranges[first].1 = i as u8 + 1;
        i += 1;
    }
    ranges
};

/// The index of `name` in [`KNOWN`], if it is there: `KNOWN.binary_search(name)`, looking
/// only among the names with its first byte.
pub fn known_index(name: &[u8]) -> Option<usize> {
    let (lo, hi) = KNOWN_BY_FIRST[*name.first()? as usize];
    (lo as usize..hi as usize).find(|&i| KNOWN[i].as_bytes() == name)
}

/// Whether `list` has the name `name`, given as bytes (the tokenizer's names are).
pub fn has(list: &[&str], name: &[u8]) -> bool {
    list.iter().any(|t| t.as_bytes() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_name_is_found_as_a_binary_search_finds_it() {
        let others = [
            "", "x", "aa", "h7", "head2", "zz", "tbody", "TABLE", "ul ", "\u{e9}",
        ];
        for name in KNOWN.iter().chain(&others) {
            assert_eq!(
                known_index(name.as_bytes()),
                KNOWN.binary_search(name).ok(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn names_are_lowercase_and_known() {
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]), "KNOWN is sorted");
        for list in [
            VOID, RAW_TEXT, MEDIA, INLINE, BLOCK, CLOSES_P, NOT_TEXT, ALLOWED, CONTAINERS,
            CAPTIONS, LINE_AFTER, KNOWN,
        ] {
            for name in list {
                assert_eq!(*name, name.to_ascii_lowercase());
            }
        }
        for name in CLOSES_P.iter().chain(VOID).chain(NOT_TEXT) {
            assert!(KNOWN.contains(name), "{name}");
        }
    }

    #[test]
    fn has_compares_bytes() {
        assert!(has(VOID, b"br"));
        assert!(!has(VOID, b"b"));
        assert!(!has(VOID, b"BR"));
    }
}
