//! A small document tree of the cleaned article, built from lol_html's tokens with the
//! implied end tags lol_html leaves out (`<p>` closed by a block, `<li>` by the next `<li>`).
//! Scripts, styles and other active content never enter it.

use lol_html::html_content::{Element, TextChunk};
use lol_html::{ElementContentHandlers, HtmlRewriter, Selector, Settings, end_tag};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element_),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element_ {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element_ {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "object", "embed", "applet", "head", "title",
    "meta", "link", "form", "input", "button", "select", "textarea", "svg", "math", "canvas",
];
pub const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];
/// Elements that end an open `<p>`.
const BLOCKS: &[&str] = &[
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

/// Deeper elements are flattened into their ancestor at this depth: the tree's walkers
/// recurse, and no article nests anywhere near this deep.
const MAX_DEPTH: usize = 256;

enum Token {
    Start(String, Vec<(String, String)>),
    End(String),
    Text(String),
}

/// Parses an HTML fragment into a tree.
pub fn parse(html: &str) -> Vec<Node> {
    let tokens: Rc<RefCell<Vec<Token>>> = Rc::default();
    let text = Rc::new(RefCell::new(String::new()));
    let everything: Selector = "*".parse().expect("valid selector");
    {
        let (t1, t2) = (Rc::clone(&tokens), Rc::clone(&tokens));
        let (x1, x2) = (Rc::clone(&text), Rc::clone(&text));
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler((
                Cow::Borrowed(&everything),
                ElementContentHandlers::default().element(move |el: &mut Element| {
                    flush_text(&x1, &t1);
                    let name = el.tag_name();
                    let attrs = el
                        .attributes()
                        .iter()
                        .map(|a| (a.name(), decode(&a.value())))
                        .collect();
                    t1.borrow_mut().push(Token::Start(name.clone(), attrs));
                    let name = name.clone();
                    if el.can_have_content() {
                        let (t, x) = (Rc::clone(&t1), Rc::clone(&x1));
                        let name = name.clone();
                        el.on_end_tag(end_tag!(move |end| {
                            flush_text(&x, &t);
                            if end.name() == name {
                                t.borrow_mut().push(Token::End(name.clone()));
                            }
                            Ok(())
                        }))?;
                    }
                    Ok(())
                }),
            ))
            .append_document_content_handler(lol_html::DocumentContentHandlers::default().text(
                move |chunk: &mut TextChunk| {
                    x2.borrow_mut().push_str(chunk.as_str());
                    if chunk.last_in_text_node() {
                        flush_text(&x2, &t2);
                    }
                    Ok(())
                },
            ));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    flush_text(&text, &tokens);
    build(std::mem::take(&mut *tokens.borrow_mut()))
}

fn flush_text(text: &Rc<RefCell<String>>, tokens: &Rc<RefCell<Vec<Token>>>) {
    let raw = std::mem::take(&mut *text.borrow_mut());
    if !raw.is_empty() {
        tokens.borrow_mut().push(Token::Text(decode(&raw)));
    }
}

fn decode(raw: &str) -> String {
    html_escape::decode_html_entities(raw).into_owned()
}

/// Builds the tree, closing what HTML closes implicitly and ignoring stray end tags.
fn build(tokens: Vec<Token>) -> Vec<Node> {
    let mut stack: Vec<Element_> = vec![Element_ {
        name: "#root".into(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let mut dropping = 0usize;
    for token in tokens {
        match token {
            Token::Start(name, attrs) => {
                if dropping > 0 || DROPPED.contains(&name.as_str()) {
                    if !VOID.contains(&name.as_str()) {
                        dropping += 1;
                    }
                    continue;
                }
                close_implied(&mut stack, &name);
                let el = Element_ {
                    name: name.clone(),
                    attrs,
                    children: Vec::new(),
                };
                if VOID.contains(&name.as_str()) {
                    push_child(&mut stack, Node::Element(el));
                } else if stack.len() < MAX_DEPTH {
                    stack.push(el);
                }
            }
            Token::End(name) => {
                if dropping > 0 {
                    if DROPPED.contains(&name.as_str()) || dropping > 0 {
                        dropping -= 1;
                    }
                    continue;
                }
                if let Some(at) = stack.iter().rposition(|e| e.name == name)
                    && at > 0
                {
                    while stack.len() > at {
                        pop(&mut stack);
                    }
                }
            }
            Token::Text(text) => {
                if dropping == 0 {
                    push_child(&mut stack, Node::Text(text));
                }
            }
        }
    }
    while stack.len() > 1 {
        pop(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn push_child(stack: &mut [Element_], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn pop(stack: &mut Vec<Element_>) {
    if let Some(el) = stack.pop() {
        push_child(stack, Node::Element(el));
    }
}

/// HTML's implied end tags, the few that matter for articles.
fn close_implied(stack: &mut Vec<Element_>, starting: &str) {
    let closes = |open: &str| -> bool {
        match open {
            "p" => BLOCKS.contains(&starting),
            "li" => starting == "li",
            "dt" | "dd" => matches!(starting, "dt" | "dd"),
            "td" | "th" => matches!(starting, "td" | "th" | "tr"),
            "tr" => starting == "tr",
            _ => false,
        }
    };
    // Only look as far as the nearest container the new element could belong to.
    while stack.len() > 1 {
        let top = stack.last().map(|e| e.name.as_str()).unwrap_or("");
        if closes(top) {
            pop(stack);
        } else {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) => format!("{t:?}"),
                Node::Element(e) => format!("{}[{}]", e.name, names(&e.children)),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn implied_ends_and_stray_tags() {
        assert_eq!(
            names(&parse("<p>a<p>b<div>c</div></ok>")),
            "p[\"a\"],p[\"b\"],div[\"c\"]"
        );
        assert_eq!(
            names(&parse("<ul><li>1<li>2</ul>")),
            "ul[li[\"1\"],li[\"2\"]]"
        );
    }

    #[test]
    fn active_content_is_dropped_and_entities_decoded() {
        assert_eq!(
            names(&parse(
                "<p>x&amp;y<script>evil()</script><style>p{}</style></p>"
            )),
            "p[\"x&y\"]"
        );
        let tree = parse("<img src=\"a.jpg?x=1&amp;y=2\" alt=\"A\">");
        let Node::Element(img) = &tree[0] else {
            panic!()
        };
        assert_eq!(img.attr("src"), Some("a.jpg?x=1&y=2"));
    }

    #[test]
    fn very_deep_nesting_is_flattened_not_lost() {
        let deep = format!(
            "{}<p>bottom</p>{}",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        );
        let tree = parse(&deep);
        fn depth(nodes: &[Node]) -> usize {
            nodes
                .iter()
                .map(|n| match n {
                    Node::Element(e) => 1 + depth(&e.children),
                    Node::Text(_) => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&tree) <= MAX_DEPTH);
        assert!(crate::emit::blocks::text_content(&tree).contains("bottom"));
    }

    #[test]
    fn text_split_across_chunks_and_entities_is_whole() {
        let long = format!("<p>{}&amp;{}</p>", "字".repeat(3000), "z".repeat(3000));
        let tree = parse(&long);
        let Node::Element(p) = &tree[0] else { panic!() };
        assert_eq!(p.children.len(), 1);
    }
}
