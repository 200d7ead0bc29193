//! The sections a page can be imported into, and the one used when none is given.

use std::path::Path;

use crate::content::SectionKind;
use crate::content::front_matter::{self, Value};
use crate::error::{Error, Result};
use crate::scaffold::section_kind;

/// A section of the site: its path under `content/` (`news/yaowen`), title, weight and kind.
#[derive(Debug, Clone)]
pub struct SectionInfo {
    pub path: String,
    pub title: String,
    pub weight: i64,
    pub kind: SectionKind,
    /// Whether another section lies inside it.
    pub has_children: bool,
}

/// Every section under `content/` (every folder with an `_index.md`, the home page excluded),
/// sorted by path.
pub fn list(root: &Path) -> Vec<SectionInfo> {
    let content = root.join("content");
    let mut paths: Vec<String> = walkdir::WalkDir::new(&content)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_dir() && e.path().join("_index.md").is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&content).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .filter(|p| !p.split('/').any(|part| part.starts_with('.')))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(content.join(p).join("_index.md")).unwrap_or_default();
            SectionInfo {
                title: field(&text, "title")
                    .and_then(|v| match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .unwrap_or_default(),
                weight: match field(&text, "weight") {
                    Some(Value::Int(w)) => w,
                    _ => i64::MAX,
                },
                kind: section_kind(root, p),
                has_children: paths.iter().any(|q| q.starts_with(&format!("{p}/"))),
                path: p.clone(),
            }
        })
        .collect()
}

fn field(text: &str, key: &str) -> Option<Value> {
    let split = front_matter::split(text).ok()?;
    let fields = front_matter::parse(&split).ok()?;
    fields.into_iter().find(|f| f.key == key).map(|f| f.value)
}

/// `news/yaowen（政协要闻）、news/tongzhi（通知公告）…`: the sections, for a message.
pub fn described(sections: &[SectionInfo]) -> String {
    sections
        .iter()
        .map(|s| {
            if s.title.is_empty() {
                s.path.clone()
            } else {
                format!("{}（{}）", s.path, s.title)
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The section to import into, and whether it was chosen by default. Given: it must exist
/// (else the error lists the sections). Not given: the news section without subsections with
/// the lowest `weight` (then path), e.g. 政协要闻.
pub fn choose(root: &Path, given: Option<&str>) -> Result<(String, bool)> {
    let all = list(root);
    if let Some(given) = given {
        let wanted = given.trim_matches('/');
        if all.iter().any(|s| s.path == wanted) {
            return Ok((wanted.to_string(), false));
        }
        return Err(Error::refused(
            format!("content/{wanted}"),
            format!("栏目不存在。可用的栏目：{}", described(&all)),
        ));
    }
    all.iter()
        .filter(|s| s.kind == SectionKind::News && !s.has_children)
        .min_by(|a, b| (a.weight, &a.path).cmp(&(b.weight, &b.path)))
        .map(|s| (s.path.clone(), true))
        .ok_or_else(|| {
            Error::refused(
                "content",
                format!(
                    "没有新闻类栏目，请用 --section 指定栏目。可用的栏目：{}",
                    described(&all)
                ),
            )
        })
}
