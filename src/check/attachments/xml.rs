//! The text of one XML part of an office package, paragraph by paragraph, read as a stream
//! (no tree is built, so a part's size costs no more than its text).
//!
//! Three ways of writing text are read: WordprocessingML and DrawingML (.docx, .pptx: runs of
//! `w:t`/`a:t` inside `w:p`/`a:p` paragraphs, so a number split across runs is joined again),
//! OpenDocument (`text:p`/`text:h`, with the regions that are not the main text: 批注, 脚注,
//! 页眉 …) and document properties (each element's own text). Names are compared without their
//! namespace prefix, as in [`crate::import`].

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// How a part writes its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// WordprocessingML and DrawingML: `t` (and deleted `delText`) runs in `p` paragraphs;
    /// `mc:Fallback` (a second copy of a text box for old readers) is skipped.
    Office,
    /// OpenDocument: the character data of `text:p` and `text:h`.
    Open,
    /// Document properties (`docProps/core.xml`, `meta.xml` …): each element's own text.
    Properties,
}

/// Where a paragraph stands in its document, as staff call it (in the order findings are
/// listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Region {
    Main,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
    Notes,
    Master,
    Revisions,
    Properties,
}

impl Region {
    /// The name staff know it by (`页眉`).
    pub fn label(self) -> &'static str {
        match self {
            Region::Main => "正文",
            Region::Header => "页眉",
            Region::Footer => "页脚",
            Region::Footnote => "脚注",
            Region::Endnote => "尾注",
            Region::Comment => "批注",
            Region::Notes => "备注",
            Region::Master => "母版",
            Region::Revisions => "修订记录",
            Region::Properties => "文档属性",
        }
    }
}

/// One paragraph: its region, the slide it is on (OpenDocument presentations, from 1; 0 when
/// not on a slide) and its text, possibly empty (empty paragraphs still count for numbering).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub region: Region,
    pub slide: usize,
    pub text: String,
}

/// What an element did when it started, undone when it ends.
#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    para: bool,
    region: bool,
    text: bool,
    skip: bool,
    slide: bool,
}

/// The state of one walk through a part.
struct Walk {
    markup: Markup,
    base: Region,
    frames: Vec<Frame>,
    regions: Vec<Region>,
    /// Open paragraphs: their index in `out` and how many regions were open when they started.
    open: Vec<(usize, usize)>,
    text_depth: usize,
    skip_depth: usize,
    slide: usize,
    on_slide: bool,
    /// Text outside any paragraph of its region, collected into one piece per element.
    loose: Option<usize>,
    out: Vec<Para>,
}

/// The paragraphs of `xml`, in the order they start, in region `base` unless the markup says
/// otherwise. `Err` carries a short reason; the caller says which part it was.
pub fn paragraphs(xml: &[u8], markup: Markup, base: Region) -> Result<Vec<Para>, String> {
    let text = std::str::from_utf8(xml).map_err(|_| "不是 UTF-8 编码".to_string())?;
    let mut reader = quick_xml::Reader::from_str(text.trim_start_matches('\u{FEFF}'));
    let mut walk = Walk {
        markup,
        base,
        frames: Vec::new(),
        regions: Vec::new(),
        open: Vec::new(),
        text_depth: 0,
        skip_depth: 0,
        slide: 0,
        on_slide: false,
        loose: None,
        out: Vec::new(),
    };
    loop {
        match reader
            .read_event()
            .map_err(|_| "XML 格式有误".to_string())?
        {
            Event::Start(e) => {
                let frame = walk.start(&e);
                walk.frames.push(frame);
            }
            Event::Empty(e) => {
                let frame = walk.start(&e);
                walk.end(frame);
            }
            Event::End(_) => {
                let frame = walk.frames.pop().ok_or("XML 格式有误")?;
                walk.end(frame);
            }
            Event::Text(t) => walk.text(&t.xml10_content()),
            Event::CData(t) => walk.text(&t.into_inner()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    walk.text(c.encode_utf8(&mut [0; 4]));
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    walk.text(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(walk.out)
}

impl Walk {
    fn start(&mut self, e: &BytesStart) -> Frame {
        self.loose = None;
        let name = e.local_name();
        let name = name.as_ref();
        let mut frame = Frame::default();
        if self.skip_depth > 0 || name == "Fallback" {
            self.skip_depth += 1;
            frame.skip = true;
            return frame;
        }
        match self.markup {
            Markup::Office => match name {
                "p" => frame.para = true,
                "t" | "delText" => frame.text = true,
                "tab" => self.separator("\t"),
                "br" | "cr" => self.separator("\n"),
                _ => {}
            },
            Markup::Open => self.start_open(e, name, &mut frame),
            Markup::Properties => frame.para = true,
        }
        if let Some(region) = frame.region.then(|| open_region(e, name)).flatten() {
            self.regions.push(region);
        } else {
            frame.region = false;
        }
        if frame.para {
            let region = self.regions.last().copied().unwrap_or(self.base);
            let slide = if self.on_slide { self.slide } else { 0 };
            self.open.push((self.out.len(), self.regions.len()));
            self.out.push(Para {
                region,
                slide,
                text: String::new(),
            });
        }
        if frame.text {
            self.text_depth += 1;
        }
        frame
    }

    /// OpenDocument: paragraphs, regions, slides and the elements that stand for spaces.
    fn start_open(&mut self, e: &BytesStart, name: &str, frame: &mut Frame) {
        match name {
            "p" | "h" => frame.para = true,
            "page" => {
                self.slide += 1;
                self.on_slide = true;
                frame.slide = true;
            }
            "s" => {
                let count = attr(e, "c").and_then(|c| c.parse().ok()).unwrap_or(1);
                self.separator(&" ".repeat(usize::min(count, 8)));
            }
            "tab" => self.separator("\t"),
            "line-break" => self.separator("\n"),
            _ => frame.region = true,
        }
    }

    fn end(&mut self, frame: Frame) {
        self.loose = None;
        if frame.skip {
            self.skip_depth -= 1;
            return;
        }
        if frame.text {
            self.text_depth -= 1;
        }
        if frame.para {
            self.open.pop();
        }
        if frame.region {
            self.regions.pop();
        }
        if frame.slide {
            self.on_slide = false;
        }
    }

    /// A space, tab or line break written as an element: part of the open paragraph.
    fn separator(&mut self, text: &str) {
        if let Some(&(i, _)) = self.open.last() {
            self.out[i].text.push_str(text);
        }
    }

    fn text(&mut self, text: &str) {
        if self.skip_depth > 0 || (self.markup == Markup::Office && self.text_depth == 0) {
            return;
        }
        match self.open.last() {
            Some(&(i, regions)) if regions == self.regions.len() => {
                self.out[i].text.push_str(text);
            }
            _ if text.trim().is_empty() => {}
            _ => self.loose_text(text),
        }
    }

    /// Text outside the paragraphs of its region (an ODF presentation's footer declaration):
    /// a piece of its own, one per element.
    fn loose_text(&mut self, text: &str) {
        if let Some(i) = self.loose {
            self.out[i].text.push_str(text);
            return;
        }
        self.loose = Some(self.out.len());
        self.out.push(Para {
            region: self.regions.last().copied().unwrap_or(self.base),
            slide: if self.on_slide { self.slide } else { 0 },
            text: text.to_string(),
        });
    }
}

/// The region an OpenDocument element opens, if any.
fn open_region(e: &BytesStart, name: &str) -> Option<Region> {
    Some(match name {
        "annotation" => Region::Comment,
        "note" if attr(e, "note-class").as_deref() == Some("endnote") => Region::Endnote,
        "note" => Region::Footnote,
        "notes" => Region::Notes,
        "header" | "header-left" | "header-first" | "header-decl" => Region::Header,
        "footer" | "footer-left" | "footer-first" | "footer-decl" => Region::Footer,
        "tracked-changes" => Region::Revisions,
        _ => return None,
    })
}

/// The value of attribute `name` (local name) of `e`.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// The relationships of a `.rels` part: each one's type (its last path segment,
/// `officeDocument`) and target, internal ones only.
pub fn relationships(xml: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(xml).map_err(|_| "不是 UTF-8 编码".to_string())?;
    let mut reader = quick_xml::Reader::from_str(text.trim_start_matches('\u{FEFF}'));
    let mut out = Vec::new();
    loop {
        match reader
            .read_event()
            .map_err(|_| "XML 格式有误".to_string())?
        {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(kind), Some(target)) = (attr(&e, "Type"), attr(&e, "Target")) {
                    let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                    out.push((kind, target));
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str, markup: Markup) -> Vec<(Region, usize, String)> {
        paragraphs(xml.as_bytes(), markup, Region::Main)
            .unwrap()
            .into_iter()
            .map(|p| (p.region, p.slide, p.text))
            .collect()
    }

    #[test]
    fn word_runs_are_joined_per_paragraph_and_fallbacks_skipped() {
        let xml = r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>
            <w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t>电话138</w:t></w:r>
              <w:r><w:t xml:space="preserve">1234</w:t></w:r><w:r><w:t>5678</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t>
              </w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:p><w:r><w:t>框</w:t>
              </w:r></w:p></mc:Fallback></mc:AlternateContent></w:r><w:r><w:delText>删</w:delText>
              <w:tab/><w:t>A&amp;B&#x4E2D;</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let main = |t: &str| (Region::Main, 0, t.to_string());
        assert_eq!(
            texts(xml, Markup::Office),
            [
                main("电话13812345678"),
                main(""),
                main("删\tA&B中"),
                main("框")
            ]
        );
    }

    #[test]
    fn open_document_regions_and_slides() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:draw="d"
            xmlns:presentation="p" xmlns:dc="dc"><office:body><office:text>
            <text:h>标题</text:h>
            <text:p>电话<text:span>138</text:span><text:s text:c="1"/>1234 5678<text:note
              text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>
              <text:p>注</text:p></text:note-body></text:note></text:p>
            <text:p><office:annotation><dc:creator>张三</dc:creator><text:p>批</text:p>
              </office:annotation>正文</text:p>
            </office:text><office:presentation><draw:page><draw:frame><draw:text-box>
              <text:p>第一页</text:p></draw:text-box></draw:frame><presentation:notes>
              <draw:frame><draw:text-box><text:p>备</text:p></draw:text-box></draw:frame>
              </presentation:notes></draw:page><draw:page/></office:presentation>
            <presentation:footer-decl presentation:name="f">页脚字</presentation:footer-decl>
            </office:body></office:document-content>"#;
        let got = texts(xml, Markup::Open);
        let want = [
            (Region::Main, 0, "标题"),
            (Region::Main, 0, "电话138 1234 5678"),
            (Region::Footnote, 0, "1"),
            (Region::Footnote, 0, "注"),
            (Region::Main, 0, "正文"),
            (Region::Comment, 0, "张三"),
            (Region::Comment, 0, "批"),
            (Region::Main, 1, "第一页"),
            (Region::Notes, 1, "备"),
            (Region::Footer, 0, "页脚字"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(r, s, t)| (*r, *s, t.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn properties_are_each_elements_text() {
        let xml = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>张三</dc:creator>
            <cp:keywords>电话 13812345678</cp:keywords></cp:coreProperties>"#;
        let got: Vec<String> = texts(xml, Markup::Properties)
            .into_iter()
            .map(|(_, _, t)| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(got, ["张三", "电话 13812345678"]);
    }

    #[test]
    fn broken_parts_and_relationships() {
        assert!(paragraphs(b"<a><b></a>", Markup::Office, Region::Main).is_err());
        assert!(paragraphs(b"\xff\xfe<", Markup::Office, Region::Main).is_err());
        let rels = br#"<Relationships xmlns="r"><Relationship Id="rId1"
            Type="http://x/officeDocument" Target="word/document.xml"/><Relationship Id="rId2"
            Type="http://x/hyperlink" Target="tel:13812345678" TargetMode="External"/>
            </Relationships>"#;
        assert_eq!(
            relationships(rels).unwrap(),
            [(
                "officeDocument".to_string(),
                "word/document.xml".to_string()
            )]
        );
    }
}
