//! `init` and `new`: writing a starter site and new content files.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::SectionKind;
use crate::content::front_matter::{self, Value};
use crate::content::slug::slugify;
use crate::error::{Code, Diagnostic, Error, Result};

/// The starter `config.toml`: every key SPEC lists, explained in Chinese. Values with `XX` or
/// all zeros are placeholders that `check` reports until staff fill them in.
const STARTER_CONFIG: &str = r#"# 网站设置。带“XX”或全是 0 的内容是示例，改成本单位的真实信息之前，
# tongxin check 会一直提示（页脚信息不全时报错）。

title = "XX区政协"                            # 网站名称
base_url = "https://www.example.gov.cn"       # 网站正式地址
description = "中国人民政治协商会议XX区委员会"  # 网站简介
language = "zh-CN"
timezone = "+08:00"
theme = "default"
paginate_by = 15                              # 列表每页条数
feed_limit = 20                               # RSS 订阅中最多的条数

[footer]                                      # 每个页面底部的网站标识
organizer = "政协XX区委员会办公室"             # 主办单位
icp = "X ICP备00000000号"                     # ICP备案号
police = "X公网安备00000000000000号"           # 公安备案号
site_code = "0000000000"                      # 政府网站标识码
address = "XX区XX路1号"
phone = "0000-00000000"
# 党政机关网站标识：把图片放到 static/images/ 后去掉下面两行开头的 #
# conac_image = "/images/red.png"
# conac_url = "https://"

[[links]]                                     # 友情链接（首页底部），可写多组
group = "上级政协"
items = [{ title = "全国政协", url = "https://www.cppcc.gov.cn" }]

[proposals]
categories = ["经济建设", "社会事业", "生态文明", "政治建设", "文化建设"]   # 提案类别

[members]
sectors = ["中国共产党", "中国国民党革命委员会", "工商联", "文化艺术界"]   # 界别
committees = ["提案委员会", "文史和学习委员会"]                          # 专委会

[taxonomies]
tags = { title = "专题", feed = true }

[markdown]
unsafe_html = false    # false：正文里的 HTML 只保留安全的部分

[search]
enabled = true

[check]
words = "check/words.toml"       # 错敏词词库
leaders = "check/leaders.toml"   # 必须写准确的领导姓名
home_freshness_days = 14         # 首页最新内容超过这么多天未更新时提示

[images]
max_width = 1600                 # 更宽的照片发布时缩小到这个宽度（像素）

[output]
compress = false                 # true：为网页、样式、脚本等生成 .gz 压缩副本，供 nginx gzip_static 使用
"#;

/// The starter 专题's banner: a plain red band with a gold rule (an SVG, so `init` writes text).
const STARTER_BANNER: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="240" viewBox="0 0 1200 240"><rect width="1200" height="240" fill="#b5121b"/><rect y="200" width="1200" height="12" fill="#f6c453"/><text x="600" y="135" font-size="72" text-anchor="middle" fill="#fff" font-family="sans-serif">区政协全体会议</text></svg>
"##;

/// The starter `check/leaders.toml`: the format, with an example left commented out.
const STARTER_LEADERS: &str = r#"# 领导姓名表：这里列出的姓名写在职务旁边时，tongxin check 会检查是否写错（错字、同音字）。
# 每位领导写一段，去掉开头的 # 后填写：
#
# [[leader]]
# name = "王德明"
# titles = ["主席", "党组书记"]
"#;

/// The starter site `init` writes: path and contents. One example of every kind.
const STARTER: &[(&str, &str)] = &[
    ("config.toml", STARTER_CONFIG),
    ("check/words.toml", include_str!("../check/words.toml")),
    ("check/leaders.toml", STARTER_LEADERS),
    ("content/_index.md", "+++\ntitle = \"首页\"\n+++\n"),
    (
        "content/news/_index.md",
        "+++\ntitle = \"新闻中心\"\nkind = \"news\"\nweight = 1\n+++\n",
    ),
    (
        "content/news/yaowen/_index.md",
        "+++\ntitle = \"政协要闻\"\nweight = 1\n+++\n",
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
        "content/proposals/_index.md",
        "+++\ntitle = \"政协提案\"\nkind = \"proposals\"\nweight = 3\n+++\n",
    ),
    (
        "content/proposals/{TODAY}-jia-zhuang-dian-ti.md",
        r#"+++
title = "关于推进老旧小区加装电梯的提案"
number = "第1号"
proposers = ["张明"]
category = "社会事业"
session = "一届一次会议"
handlers = ["住房和城乡建设局"]
status = "已办结"
+++

建议简化加装电梯审批流程，加大财政补助力度。

<!-- reply -->

张明委员：

您的提案收悉。我局已简化审批流程，全年完成加装电梯二十部。感谢您的关心和支持。
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
        "content/zhuanti/_index.md",
        "+++\ntitle = \"专题专栏\"\nweight = 4\n+++\n",
    ),
    (
        "content/zhuanti/quan-hui/_index.md",
        "+++\ntitle = \"区政协全体会议\"\nkind = \"topic\"\nbanner = \"/images/zhuanti-banner.svg\"\nactive = true\ndescription = \"全体会议的报道和委员建言。\"\n+++\n",
    ),
    (
        "content/zhuanti/quan-hui/bao-dao/_index.md",
        "+++\ntitle = \"会议报道\"\n+++\n",
    ),
    (
        "content/zhuanti/quan-hui/bao-dao/{TODAY}-quan-hui-bao-dao.md",
        "+++\ntitle = \"全体会议举行分组讨论\"\nsource = \"区政协办公室\"\n+++\n\n委员们分组讨论常务委员会工作报告。\n",
    ),
    ("static/images/zhuanti-banner.svg", STARTER_BANNER),
    (
        "content/about/_index.md",
        "+++\ntitle = \"关于我们\"\nweight = 9\n+++\n",
    ),
    (
        "content/about/lian-xi.md",
        "+++\ntitle = \"联系我们\"\n+++\n\n地址：XX区XX路1号\n",
    ),
    (
        "content/about/yin-si-sheng-ming.md",
        "+++\ntitle = \"隐私声明\"\n+++\n\n本网站不要求注册登录，不使用 Cookie 跟踪访问者，站内搜索在访问者的浏览器中完成。字号、高对比度和长者模式的选择只保存在访问者自己的浏览器中。\n",
    ),
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

/// What `tongxin new` is told beyond the section and title.
#[derive(Debug, Clone, Default)]
pub struct NewPage {
    /// `--sector`: a member's 界别, one of config's `[members] sectors`.
    pub sector: Option<String>,
    /// `--committee`: a member's 专委会, one of config's `[members] committees`.
    pub committee: Option<String>,
    /// `--today`, else today in the site's offset (+08:00 when config.toml cannot be read).
    pub today: Option<NaiveDate>,
}

/// Writes a new Markdown file in `section` (a path under `content/`) and returns its path.
/// The page is a draft whose fields and body hold placeholders (`【请填写来源】`) that `check`
/// reports until they are replaced. Errors: a bad or missing section, a title that gives no
/// file name, an existing file, a member without a valid `--sector`.
pub fn new_page(root: &Path, section: &str, title: &str, args: &NewPage) -> Result<PathBuf> {
    if !root.is_dir() {
        return Err(Error::refused(root, "站点目录不存在"));
    }
    let config = crate::config::Config::load(root).ok();
    let today = args.today.unwrap_or_else(|| {
        let offset = config
            .as_ref()
            .map_or(crate::config::Timezone::default().offset, |c| c.offset());
        crate::build::today_in(offset)
    });
    let section = section.trim_matches('/');
    // Line breaks, tabs and the like (pasted from Word) have no place in a title, and a raw
    // one would make the front matter unreadable.
    let title: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let title = title.trim();
    let (path, kind) = page_path(root, section, title, today)?;
    let dir = root.join("content").join(section);
    if kind != SectionKind::Members && (args.sector.is_some() || args.committee.is_some()) {
        return Err(Error::refused(
            format!("content/{section}"),
            "--sector 和 --committee 只用于委员栏目",
        ));
    }
    if path.exists() {
        return Err(Error::refused(path, "文件已存在，未覆盖"));
    }
    let members = config.map(|c| c.members).unwrap_or_default();
    let fields = match kind {
        SectionKind::News | SectionKind::Topic => NEWS_FIELDS.to_string(),
        SectionKind::Members => member_fields(section, &members, args)?,
        SectionKind::Wenshi => format!("{WENSHI_FIELDS}weight = {}\n", next_weight(&dir)),
        SectionKind::Proposals => PROPOSAL_FIELDS.to_string(),
        SectionKind::Plain => "weight = 1\n".to_string(),
    };
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let body = match kind {
        SectionKind::Members => "【请在此填写委员简介】",
        _ => "【请在此填写正文】",
    };
    let text = format!("+++\ntitle = \"{title}\"\n{DRAFT}{fields}+++\n\n{body}\n");
    crate::fs::write_new(&path, text.as_bytes())
        .map_err(|e| Error::io(&path, "无法写入文件", e))?;
    Ok(path)
}

/// Where a page titled `title` in `section` goes, as `new` names it (`import` too), and the
/// section's kind: `content/SECTION/DATE-SLUG.md` (members and plain: `SLUG.md`), `date`
/// being the page's date. Errors: the section path is invalid or has no `_index.md`, or the
/// title gives no file name. Whether the file exists is the caller's to check.
pub(crate) fn page_path(
    root: &Path,
    section: &str,
    title: &str,
    date: NaiveDate,
) -> Result<(PathBuf, SectionKind)> {
    let section = section.trim_matches('/');
    let dir = section_dir(root, section)?;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::refused(
            format!("content/{section}"),
            format!("标题 `{title}` 无法生成文件名：标题里要有汉字、字母或数字"),
        ));
    }
    let kind = section_kind(root, section);
    let file_name = match kind {
        SectionKind::Members | SectionKind::Plain => format!("{slug}.md"),
        SectionKind::News | SectionKind::Topic | SectionKind::Wenshi | SectionKind::Proposals => {
            format!("{}-{slug}.md", date.format("%Y-%m-%d"))
        }
    };
    Ok((dir.join(file_name), kind))
}

/// The line that keeps a new page off the site until staff remove it.
const DRAFT: &str = "draft = true   # 草稿：填好【】中的内容、删去这一行后才会发布\n";

const NEWS_FIELDS: &str = "author = \"\"                   # 作者（可不填）\nsource = \"【请填写来源】\"       # 来源\neditor = \"【请填写责任编辑】\"   # 责任编辑\n# cover = \"/images/cover.jpg\"   # 封面图\n# pinned = true                  # 置顶\n# members = [\"委员姓名\"]         # 报道涉及的委员\n[taxonomies]\ntags = []\n";

const PROPOSAL_FIELDS: &str = "number = \"【请填写提案号】\"\nproposers = [\"【请填写提案人】\"]   # 提案人；集体提案写 group = \"党派或界别\"\nsession = \"【请填写届次，如十二届五次会议】\"\nstatus = \"立案\"                 # 立案、办理中、已办结、不予立案、并案\n# category = \"社会事业\"          # 类别，须是 config.toml [proposals] categories 之一\nhandlers = []                   # 主办单位\nco_handlers = []                # 会办单位\n# key = true                    # 重点提案\n# excellent = true              # 优秀提案\n# public = false                # 不同意公开时写此行：不会发布\n";

const WENSHI_FIELDS: &str = "author = \"【请填写作者】\"\nsource = \"【请填写出处，如《XX文史资料》第一辑】\"\nera = \"\"                       # 年代，如 民国\n";

/// `content/SECTION`, checked: a relative path without `..` whose folder has an `_index.md`.
fn section_dir(root: &Path, section: &str) -> Result<PathBuf> {
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
    Ok(dir)
}

/// A member's fields: `--sector` (required, from config) and `--committee` (optional).
fn member_fields(
    section: &str,
    members: &crate::config::MembersConfig,
    args: &NewPage,
) -> Result<String> {
    let place = format!("content/{section}");
    let listed = |value: &Option<String>, options: &[String], flag: &str, name: &str| {
        let Some(v) = value else {
            return Ok(None);
        };
        if options.iter().any(|o| o == v) {
            return Ok(Some(v.clone()));
        }
        Err(Error::one(
            Diagnostic::error(
                Code::Field,
                &place,
                format!("{name}「{v}」不在 config.toml 的 [members] 列表中"),
            )
            .hint(format!("{flag} 可选：{}", options.join("、"))),
        ))
    };
    let Some(sector) = listed(&args.sector, &members.sectors, "--sector", "界别")? else {
        return Err(Error::one(
            Diagnostic::error(Code::Field, &place, "新建委员页面要写明界别").hint(format!(
                "加上 --sector 界别，可选：{}",
                members.sectors.join("、")
            )),
        ));
    };
    let committee = listed(
        &args.committee,
        &members.committees,
        "--committee",
        "专委会",
    )?;
    let committee = match committee {
        Some(c) => format!("committee = \"{c}\"\n"),
        None => "# committee = \"\"               # 专委会\n".to_string(),
    };
    Ok(format!(
        "sector = \"{sector}\"\n{committee}position = \"委员\"\nterm = \"【请填写届次，如第九届】\"\n# photo = \"/images/members/xxx.jpg\"\n# party = \"\"\n"
    ))
}

/// The `weight` after the largest one among the pages of a 文史 series folder (1 when none),
/// so a new article comes last.
pub(crate) fn next_weight(dir: &Path) -> i64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 1;
    };
    let weights = entries.filter_map(|e| {
        let path = e.ok()?.path();
        let name = path.file_name()?.to_str()?;
        if name == "_index.md" || crate::content::load::markdown_stem(name).is_none() {
            return None;
        }
        let text = std::fs::read_to_string(&path).ok()?;
        let split = front_matter::split(&text).ok()?;
        let fields = front_matter::parse(&split).ok()?;
        match fields.iter().find(|f| f.key == "weight")?.value {
            Value::Int(w) => Some(w),
            _ => None,
        }
    });
    weights.max().map_or(1, |w| w + 1)
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
            "proposals" => Some(SectionKind::Proposals),
            "plain" => Some(SectionKind::Plain),
            "topic" => Some(SectionKind::Topic),
            _ => None,
        },
        _ => None,
    }
}
