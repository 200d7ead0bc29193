//! A small element tree of one XML part of a Word package, read with quick-xml.
//!
//! Names are kept without their namespace prefix (`w:p` → `p`, `r:embed` → `embed`): Word,
//! WPS, LibreOffice and python-docx all use the same local names, but prefixes are only a
//! convention. Only what the importer reads is kept (elements, attributes, text); comments,
//! processing instructions and the DOCTYPE are dropped. Nesting deeper than [`MAX_DEPTH`] is
//! refused, so a hostile file cannot exhaust the stack of the recursive walkers.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Deeper than any document Word writes (tables in tables in text boxes stay far below it).
pub const MAX_DEPTH: usize = 256;

/// One element: its local name, its attributes by local name, and its children in order.
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of attribute `name` (local name), if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first element named `name` at any depth below this one (depth first, in order).
    pub fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// The text directly inside this element.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }
}

/// Parses `text` into its root element. `Err` carries a short reason (not shown to users as
/// is: the caller says which part of the package it was).
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err("嵌套过深".into());
                }
                stack.push(element(&start)?);
            }
            Event::Empty(start) => {
                let el = element(&start)?;
                push(&mut stack, Node::Element(el));
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("结束标签多余")?;
                if stack.is_empty() {
                    return Err("结束标签多余".into());
                }
                push(&mut stack, Node::Element(done));
            }
            Event::Text(t) => push(&mut stack, Node::Text(t.xml10_content().into_owned())),
            Event::CData(t) => {
                let s = t.into_inner().into_owned();
                push(&mut stack, Node::Text(s));
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("未知实体 &{name};"))?
                            .to_string()
                    }
                };
                push(&mut stack, Node::Text(c));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("标签未闭合".into());
    }
    let doc = stack.pop().unwrap_or_default();
    doc.elements()
        .next()
        .cloned()
        .ok_or_else(|| "没有根元素".into())
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        // Adjacent text (split around entity references) is joined.
        if let (Node::Text(t), Some(Node::Text(prev))) = (&node, top.children.last_mut()) {
            prev.push_str(t);
            return;
        }
        top.children.push(node);
    }
}

fn element(start: &BytesStart) -> Result<Element, String> {
    let name = local(start.name().as_ref());
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        attrs.push((local(a.key.as_ref()), value.into_owned()));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn local(qname: &str) -> String {
    match qname.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => qname.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_dropped_and_entities_resolved() {
        let root = parse(
            r#"<w:p xmlns:w="x"><w:t xml:space="preserve">A &amp; B&#x4E2D;</w:t><w:br/></w:p>"#,
        )
        .unwrap();
        assert_eq!(root.name, "p");
        let t = root.child("t").unwrap();
        assert_eq!(t.text(), "A & B中");
        assert_eq!(t.attr("space"), Some("preserve"));
        assert!(root.child("br").is_some());
    }

    #[test]
    fn broken_and_deep_documents_are_errors_not_panics() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 5) + &"</a>".repeat(MAX_DEPTH + 5);
        assert!(parse(&deep).is_err());
    }
}
