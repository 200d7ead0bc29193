//! `init` and `new`: writing a starter site and new content files.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::SectionKind;
use crate::content::front_matter::{self, Value};
use crate::content::slug::slugify;
use crate::error::{Code, Diagnostic, Error, Result};

/// The starter site `init` writes: path and contents. One example of every kind.
const STARTER: &[(&str, &str)] = &[
    (
        "config.toml",
        r#"title = "XX区政协"
base_url = "https://www.example.gov.cn"
description = "中国人民政治协商会议XX区委员会"
timezone = "+08:00"
paginate_by = 15
feed_limit = 20

[footer]
organizer = "政协XX区委员会办公室"
icp = "X ICP备00000000号"
police = "X公网安备00000000000000号"
address = "XX区XX路1号"
phone = "0000-00000000"

[members]
sectors = ["中国共产党", "工商联", "文化艺术界"]
committees = ["提案委员会", "文史和学习委员会"]

[taxonomies]
tags = { title = "专题", feed = true }
"#,
    ),
    ("content/_index.md", "+++\ntitle = \"首页\"\n+++\n"),
    (
        "content/news/_index.md",
        "+++\ntitle = \"新闻中心\"\nkind = \"news\"\nweight = 1\n+++\n",
    ),
    (
        "content/news/yaowen/_index.md",
        "+++\ntitle = \"政协要闻\"\nweight = 1\nfreshness_days = 30\n+++\n",
    ),
    (
        "content/news/yaowen/{TODAY}-quan-ti-hui-yi-kai-mu.md",
        r#"+++
title = "区政协全体会议开幕"
author = "本网记者"
source = "区政协办公室"
editor = "编辑部"
pinned = true
[taxonomies]
tags = ["全体会议"]
+++

区政协全体会议今天上午开幕。会议听取并审议常务委员会工作报告和提案工作情况报告。

<!-- more -->

## 会议议程

1. 听取常务委员会工作报告；
2. 听取提案工作情况报告；
3. 列席区人民代表大会会议。
"#,
    ),
    (
        "content/news/tongzhi/_index.md",
        "+++\ntitle = \"通知公告\"\nweight = 2\nhome = \"notices\"\n+++\n",
    ),
    (
        "content/news/tongzhi/{TODAY}-guan-yu-zheng-ji-ti-an-de-tong-zhi.md",
        r#"+++
title = "关于征集提案线索的通知"
source = "区政协提案委员会"
+++

欢迎各界群众通过来信、来访等方式提供提案线索。
"#,
    ),
    (
        "content/members/_index.md",
        "+++\ntitle = \"委员风采\"\nkind = \"members\"\nweight = 2\n+++\n",
    ),
    (
        "content/members/zhang-ming.md",
        r#"+++
title = "张明"
sector = "工商联"
committee = "提案委员会"
position = "委员"
term = "第一届"
+++

张明委员长期从事民营企业管理工作，围绕优化营商环境提出多件提案。
"#,
    ),
    (
        "content/wenshi/_index.md",
        "+++\ntitle = \"文史天地\"\nkind = \"wenshi\"\nweight = 3\n+++\n",
    ),
    (
        "content/wenshi/{TODAY}-lao-jie-jiu-shi.md",
        r#"+++
title = "老街旧事"
author = "文史委员会"
source = "《XX文史资料》第一辑"
era = "民国"
weight = 1
+++

老街始建于清代，沿河而筑，是本地商贸往来的中心。
"#,
    ),
    (
        "content/about/_index.md",
        "+++\ntitle = \"关于我们\"\nweight = 9\n+++\n",
    ),
    (
        "content/about/lian-xi.md",
        "+++\ntitle = \"联系我们\"\n+++\n\n地址：XX区XX路1号\n",
    ),
    ("static/robots.txt", "User-agent: *\nAllow: /\n"),
];

/// Writes the starter site into `dir`, which must not exist or be empty. Its dated pages are
/// dated `today`, so the new site passes `check` (freshness included) at once.
pub fn init(dir: &Path, today: NaiveDate) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, "无法读取目录", e))?;
        if entries.next().is_some() {
            return Err(Error::refused(
                dir,
                "目录不是空目录，为避免覆盖已有文件，已停止",
            ));
        }
    }
    let day = today.format("%Y-%m-%d").to_string();
    for (rel, text) in STARTER {
        let path = dir.join(rel.replace("{TODAY}", &day));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "无法创建目录", e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, "无法写入文件", e))?;
    }
    Ok(())
}

/// Writes a new Markdown file in `section` (a path under `content/`) and returns its path.
/// `today`: `--today`, else today in the site's offset (+08:00 when config.toml cannot be read).
pub fn new_page(
    root: &Path,
    section: &str,
    title: &str,
    today: Option<NaiveDate>,
) -> Result<PathBuf> {
    let today = today.unwrap_or_else(|| {
        let offset = crate::config::Config::load(root)
            .map(|c| c.offset())
            .unwrap_or_else(|_| crate::config::Timezone::default().offset);
        crate::build::today_in(offset)
    });
    let (path, kind) = page_path(root, section, title, today)?;
    let sectors = crate::config::Config::load(root)
        .map(|c| c.members.sectors)
        .unwrap_or_default();
    std::fs::write(&path, starter_page(kind, title, &sectors))
        .map_err(|e| Error::io(&path, "无法写入文件", e))?;
    Ok(path)
}

/// Where a new page titled `title` in `section` goes, as `new` names it, and the section's
/// kind: `content/SECTION/DATE-SLUG.md` (members and plain: `SLUG.md`), `date` being the
/// page's date. Refused when the section path is invalid or has no `_index.md`, when the
/// title gives no slug, or when the file exists (nothing is ever overwritten).
pub(crate) fn page_path(
    root: &Path,
    section: &str,
    title: &str,
    today: NaiveDate,
) -> Result<(PathBuf, SectionKind)> {
    let section = section.trim_matches('/');
    if section
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
        || section.contains('\\')
    {
        return Err(Error::refused(
            format!("content/{section}"),
            format!("栏目路径 `{section}` 无效"),
        ));
    }
    let dir = root.join("content").join(section);
    if !dir.join("_index.md").is_file() {
        return Err(Error::one(
            Diagnostic::error(
                Code::Field,
                format!("content/{section}"),
                "栏目不存在（缺少 _index.md）",
            )
            .hint("先创建该目录及其 _index.md，或检查栏目路径拼写"),
        ));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::refused(
            format!("content/{section}"),
            format!("标题 `{title}` 无法生成文件名"),
        ));
    }
    let kind = section_kind(root, section);
    let file_name = match kind {
        SectionKind::Members | SectionKind::Plain => format!("{slug}.md"),
        SectionKind::News | SectionKind::Wenshi => {
            format!("{}-{slug}.md", today.format("%Y-%m-%d"))
        }
    };
    let path = dir.join(file_name);
    if path.exists() {
        return Err(Error::refused(path, "文件已存在，未覆盖"));
    }
    Ok((path, kind))
}

/// The kind a section gets: its own `kind`, else the nearest ancestor's, else plain.
pub(crate) fn section_kind(root: &Path, section: &str) -> SectionKind {
    let mut dir = section.to_string();
    loop {
        let index = root.join("content").join(&dir).join("_index.md");
        if let Some(kind) = std::fs::read_to_string(index)
            .ok()
            .and_then(|t| read_kind(&t))
        {
            return kind;
        }
        match dir.rsplit_once('/') {
            Some((parent, _)) => dir = parent.to_string(),
            None if !dir.is_empty() => dir.clear(),
            None => return SectionKind::Plain,
        }
    }
}

fn read_kind(text: &str) -> Option<SectionKind> {
    let split = front_matter::split(text).ok()?;
    let fields = front_matter::parse(&split).ok()?;
    let f = fields.iter().find(|f| f.key == "kind")?;
    match &f.value {
        Value::String(s) => match s.as_str() {
            "news" => Some(SectionKind::News),
            "members" => Some(SectionKind::Members),
            "wenshi" => Some(SectionKind::Wenshi),
            "plain" => Some(SectionKind::Plain),
            _ => None,
        },
        _ => None,
    }
}

/// The front matter a new file of `kind` starts with: fields filled in or commented.
fn starter_page(kind: SectionKind, title: &str, sectors: &[String]) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let fields = match kind {
        SectionKind::News => "author = \"\"\nsource = \"\"\neditor = \"\"\n# cover = \"/images/cover.jpg\"\n# pinned = true\n# members = [\"委员姓名\"]\n[taxonomies]\ntags = []\n".to_string(),
        SectionKind::Members => format!(
            "sector = \"{}\"   # 界别，可选：{}\n# committee = \"\"   # 专委会\nposition = \"委员\"\nterm = \"\"\n# photo = \"/images/members/xxx.jpg\"\n# party = \"\"\n",
            sectors.first().map_or("", String::as_str),
            sectors.join("、")
        ),
        SectionKind::Wenshi => "author = \"\"\nsource = \"\"\nera = \"\"\nweight = 1\n".to_string(),
        SectionKind::Plain => "weight = 1\n".to_string(),
    };
    format!("+++\ntitle = \"{title}\"\n{fields}+++\n\n正文。\n")
}
