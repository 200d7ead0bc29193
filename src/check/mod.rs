//! `tongxin check`: everything a publicity office is inspected for, reported at once with file,
//! line and column — dead links and anchors, 错敏词, personal data, stale or empty 栏目, the
//! footer identity, and content slips (missing alt text, empty pages, future dates, repeated
//! titles). Returns diagnostics; printing and exit codes are `cli.rs`'s.

pub mod attachments;
pub mod external;
pub mod inspection;
pub mod names;
pub mod pii;
pub mod words;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::{BaseUrl, CONFIG_FILE, Config};
use std::sync::LazyLock;

use regex::Regex;

use crate::content::meta::{Allow, HomeBlock, SectionKind};
use crate::content::{Page, Section, SectionId, Site};
use crate::error::{Code, Diagnostic, Level, Located, Pos, Result};
use crate::markdown::url;
pub use inspection::{DEFAULT_HOME_FRESHNESS_DAYS, HomeFreshness};
use names::Leaders;
use words::Dictionary;

/// What the user asked `check` for beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `Some`: fetch external links with these settings; `None` never touches the network.
    pub external: Option<external::Settings>,
}

/// What the checks read: the resolved site and what the build would write.
pub struct Input<'a> {
    pub root: &'a Path,
    pub site: &'a Site,
    pub config: &'a Config,
    pub base: &'a BaseUrl,
    /// Every output file, relative (`news/x/index.html`, `images/a.png`).
    pub outputs: &'a BTreeSet<String>,
    /// Page path → heading ids.
    pub anchors: HashMap<&'a str, &'a [String]>,
    /// Page source file → ids its rendered page holds more than once.
    pub duplicate_ids: HashMap<&'a str, &'a [String]>,
    pub today: NaiveDate,
    pub options: &'a CheckOptions,
    /// The files published as they are (from `static/` and linked from `content/`), whose
    /// text [`attachments::check`] scans for personal data.
    pub attachments: &'a [attachments::Attachment],
}

/// Runs every check. `Err` only for I/O; a broken dictionary is a diagnostic.
pub fn run(input: &Input) -> Result<Vec<Diagnostic>> {
    let mut diags = Vec::new();
    diags.extend(footer(input.config));
    let dictionary = match &input.config.check.words {
        Some(rel) => match Dictionary::load(input.root, rel.get_ref()) {
            Ok(d) => Some(d),
            Err(d) => {
                diags.push(d);
                None
            }
        },
        None => None,
    };
    let leaders = match &input.config.check.leaders {
        Some(rel) => Leaders::load(input.root, rel.get_ref())
            .map_err(|d| diags.push(d))
            .ok(),
        None => None,
    };
    diags.extend(sections(input));
    diags.extend(home_stale(input));
    diags.extend(http_base_url(input.config));
    diags.extend(unpublished(input));
    diags.extend(same_titles(input.site));
    diags.extend(unlinked_files(input));
    diags.extend(missing_banners(input));
    diags.extend(missing_conac_image(input));
    diags.extend(private_attachments(input));
    let outcomes = match &input.options.external {
        Some(settings) => external::check(settings, input.root, &external_urls(input)),
        None => external::Outcomes::new(),
    };
    let refs = Refs {
        dictionary: dictionary.as_ref(),
        leaders: leaders.as_ref(),
        outcomes: &outcomes,
    };
    let per_page: Vec<Vec<Diagnostic>> = input
        .site
        .pages
        .par_iter()
        .map(|page| with_allowances(&page.meta.allow, check_page(input, page, &refs)))
        .collect();
    diags.extend(per_page.into_iter().flatten());
    // Sections' `_index.md` (not the home section made up when there is none).
    for section in input.site.sections.iter().filter(|s| !s.rel.is_empty()) {
        let findings = check_section(section, &refs);
        diags.extend(with_allowances(&section.meta.allow, findings));
    }
    diags.extend(attachments::check(input.attachments));
    Ok(diags)
}

/// Every distinct external URL the pages link to, as fetched (see [`external::fetchable`]).
fn external_urls(input: &Input) -> BTreeSet<String> {
    let per_page: Vec<Vec<String>> = input
        .site
        .pages
        .par_iter()
        .map(|page| {
            scan(&page.body)
                .links
                .iter()
                .filter_map(|link| external::fetchable(&link.dest))
                .collect()
        })
        .collect();
    per_page.into_iter().flatten().collect()
}

/// What the page checks look things up in: the 错敏词 dictionary and leaders' names when the
/// site has them, and what external links came to (empty without `--external`).
struct Refs<'r> {
    dictionary: Option<&'r Dictionary>,
    leaders: Option<&'r Leaders>,
    outcomes: &'r external::Outcomes,
}

/// SPEC `unlinked-file`: files in `content/` that no published page links, which are not
/// published. The hint names the likely slip: a page saved by Notepad as `.md.txt`, a Word
/// original left beside its page.
fn unlinked_files(input: &Input) -> Vec<Diagnostic> {
    let linked = crate::content::linked::linked_assets(input.site, &input.base.path);
    input
        .site
        .assets
        .iter()
        .zip(linked)
        .filter(|(_, linked)| !linked)
        // A page beside it names it: that page's `missing-file` says how to link it.
        .filter(|((rel, _), _)| !named_beside(input, rel))
        .map(|((rel, _), _)| {
            let lower = rel.to_lowercase();
            let hint = if lower.ends_with(".md.txt") || lower.ends_with(".markdown.txt") {
                "这像是用记事本保存的页面：把文件名末尾的 .txt 去掉，它才会成为页面".into()
            } else if [".doc", ".docx", ".wps"].iter().any(|e| lower.ends_with(e)) {
                "Word 原稿不会发布；要作为附件就在页面中链接它，要转成页面可运行 tongxin import"
                    .into()
            } else if let Some(draft) = draft_naming(input, rel) {
                format!("链接它的 {draft} 还是草稿（draft = true）；草稿发布时它会一起发布")
            } else {
                "要发布就在页面中链接它；不需要的文件请移出 content 目录".into()
            };
            Diagnostic::warning(
                Code::UnlinkedFile,
                rel,
                "没有页面链接这个文件，它不会被发布",
            )
            .hint(hint)
        })
        .collect()
}

/// The draft beside the file `rel` whose text names it (`import` writes a 稿件's pictures
/// beside its draft), read from disk: drafts are not kept with the site.
fn draft_naming<'i>(input: &'i Input, rel: &str) -> Option<&'i str> {
    let (dir, name) = rel.rsplit_once('/')?;
    input
        .site
        .unpublished
        .iter()
        .filter(|u| u.draft && u.rel.rsplit_once('/').is_some_and(|(d, _)| d == dir))
        .find(|u| {
            let path = input.root.join(&u.rel);
            crate::fs::read_confined(input.root, &path, crate::fs::MAX_TEXT_FILE)
                .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(name))
        })
        .map(|u| u.rel.as_str())
}

/// Whether a page in the same folder as the file `rel` links it the way [`beside_page`]
/// finds (by a URL relative to the page file). Only pages whose text holds the file name are
/// parsed.
fn named_beside(input: &Input, rel: &str) -> bool {
    let Some((dir, name)) = rel.rsplit_once('/') else {
        return false;
    };
    let Some((_, out)) = input.site.assets.iter().find(|(r, _)| r == rel) else {
        return false;
    };
    let beside = |p: &&Page| p.rel.rsplit_once('/').is_some_and(|(d, _)| d == dir);
    input.site.pages.iter().filter(beside).any(|p| {
        crate::content::linked::page_dests(p, &|body| body.contains(name))
            .any(|d| beside_page(input, &p.rel, &d) == Some(out.as_str()))
    })
}

/// A page's diagnostic with what its `allow` entries can name: the code, and for a 错敏词 hit
/// the rule's text it matched.
struct Finding<'d> {
    diagnostic: Diagnostic,
    /// The `wrong` text of the 错敏词 rule a `word` hit matched.
    word: Option<&'d str>,
}

impl From<Diagnostic> for Finding<'_> {
    fn from(diagnostic: Diagnostic) -> Self {
        Finding {
            diagnostic,
            word: None,
        }
    }
}

impl Finding<'_> {
    /// Whether `allow` names this finding, by its 错敏词 text or by its code.
    fn allowed_by(&self, allow: &Allow) -> bool {
        self.word == Some(allow.rule.as_str()) || allow.rule == self.diagnostic.code.as_str()
    }
}

/// A page's or a section's `allow` entries turn the findings they name into `allowed`
/// diagnostics, with the reason as hint.
fn with_allowances(allow: &[Allow], findings: Vec<Finding>) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .map(|finding| {
            let allowed = allow.iter().find(|a| finding.allowed_by(a));
            let mut d = finding.diagnostic;
            if let Some(a) = allowed {
                d.level = Level::Allowed;
                d.hint = Some(a.reason.clone());
            }
            d
        })
        .collect()
}

/// SPEC `footer`: config lacks 主办单位 or ICP备案号, or a footer value is still a placeholder
/// (`XX`, all zeros) as `tongxin init` writes it.
fn footer(config: &Config) -> Vec<Diagnostic> {
    let f = config.footer();
    let mut diags = Vec::new();
    let missing: Vec<&str> = [(&f.organizer, "主办单位"), (&f.icp, "ICP备案号")]
        .into_iter()
        .filter(|(v, _)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
        .map(|(_, name)| name)
        .collect();
    if !missing.is_empty() {
        let d = Diagnostic::error(
            Code::Footer,
            CONFIG_FILE,
            format!("网站页脚缺少{}", missing.join("和")),
        )
        .hint("在 config.toml 的 [footer] 中填写 organizer（主办单位）和 icp（ICP备案号）");
        diags.push(match config.footer_pos() {
            Some(pos) => d.at(pos.line, 1),
            None => d,
        });
    }
    let values = [
        ("organizer", "主办单位", &f.organizer),
        ("icp", "ICP备案号", &f.icp),
        ("police", "公安备案号", &f.police),
        ("site_code", "网站标识码", &f.site_code),
        ("address", "地址", &f.address),
        ("phone", "电话", &f.phone),
    ];
    for (key, name, value) in values {
        let Some(value) = value.as_deref().filter(|v| is_placeholder(v)) else {
            continue;
        };
        let d = Diagnostic::error(
            Code::Footer,
            CONFIG_FILE,
            format!("页脚的{name}还是示例内容「{value}」"),
        )
        .hint(format!(
            "在 config.toml 的 [footer] 中把 {key} 改为本单位的真实信息"
        ));
        diags.push(match config.key_pos(Some("footer"), key) {
            Some(pos) => d.at_pos(pos),
            None => d,
        });
    }
    diags.extend(config_placeholders(config));
    diags.extend(malformed_identity(config));
    diags
}

/// Footer identity values that cannot be what they name: an ICP or 公安 number without a digit
/// (`待申请`), a 网站标识码 that is not 10 digits (政府网站标识码 are, e.g. `3201000001`).
fn malformed_identity(config: &Config) -> Vec<Diagnostic> {
    let f = config.footer();
    let mut diags = Vec::new();
    let no_digit = |v: &str| !v.chars().any(|c| c.is_ascii_digit());
    let values = [
        ("icp", "ICP备案号", &f.icp, "如 京ICP备12345678号"),
        (
            "police",
            "公安备案号",
            &f.police,
            "如 京公网安备 11010502000001号",
        ),
        ("site_code", "网站标识码", &f.site_code, "为 10 位数字"),
    ];
    for (key, name, value, example) in values {
        // A placeholder is reported as such, above.
        let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let wrong = !is_placeholder(value)
            && match key {
                "site_code" => value.len() != 10 || !value.bytes().all(|b| b.is_ascii_digit()),
                _ => no_digit(value),
            };
        if !wrong {
            continue;
        }
        let d = Diagnostic::error(
            Code::Footer,
            CONFIG_FILE,
            format!("页脚的{name}「{value}」不像是真实的编号"),
        )
        .hint(format!("{name}{example}；还没有时先删去 {key} 这一行"));
        diags.push(match config.key_pos(Some("footer"), key) {
            Some(pos) => d.at_pos(pos),
            None => d,
        });
    }
    diags
}

/// SPEC `placeholder`: the site's name, description or address still as `tongxin init` wrote
/// them (`XX区政协`, `https://www.example.gov.cn`).
fn config_placeholders(config: &Config) -> Vec<Diagnostic> {
    let base = config.base_url.origin_and_path.as_str();
    let host = base.split("://").nth(1).unwrap_or(base);
    let example = ["www.example.gov.cn", "example.gov.cn"]
        .iter()
        .any(|h| host.split('/').next() == Some(*h));
    [
        (
            "title",
            "网站名称",
            is_placeholder(&config.title),
            config.title.as_str(),
        ),
        (
            "description",
            "网站简介",
            is_placeholder(&config.description),
            &config.description,
        ),
        ("base_url", "网站地址", example, base),
    ]
    .into_iter()
    .filter(|(_, _, flagged, _)| *flagged)
    .map(|(key, name, _, value)| {
        let d = Diagnostic::warning(
            Code::Placeholder,
            CONFIG_FILE,
            format!("{name}还是示例内容「{value}」"),
        )
        .hint(format!("在 config.toml 中把 {key} 改为本单位的真实信息"));
        match config.key_pos(None, key) {
            Some(pos) => d.at_pos(pos),
            None => d,
        }
    })
    .collect()
}

/// Text `tongxin init` writes for staff to replace: `XX` (half or full width, any case) or a
/// number of at least four digits that are all zeros (`X ICP备00000000号`, `0000-00000000`).
pub fn is_placeholder(value: &str) -> bool {
    let upper = value.to_uppercase().replace('Ｘ', "X");
    let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
    upper.contains("XX") || (digits.len() >= 4 && digits.iter().all(|&d| d == '0'))
}

/// Stale and empty 栏目.
fn sections(input: &Input) -> Vec<Diagnostic> {
    let site = input.site;
    let mut diags = Vec::new();
    // A section holding a page with errors is not reported empty: that error is the cause.
    let mut has_broken = vec![false; site.sections.len()];
    for b in &site.broken {
        let mut s = Some(b.section);
        while let Some(i) = s {
            has_broken[i.index()] = true;
            s = site.sections[i].parent;
        }
    }
    for (i, s) in SectionId::enumerate(&site.sections).skip(1) {
        let file = if s.rel.is_empty() {
            format!("content/{}", s.dir)
        } else {
            s.rel.clone()
        };
        // The 政协领导 page lists member profiles, not pages of its own.
        let lists_leaders = s.meta.template.as_deref().map(String::as_str)
            == Some(crate::render::plan::LEADERS_TEMPLATE);
        if s.pages.is_empty() && !has_broken[i.index()] && !lists_leaders {
            diags.push(
                Diagnostic::error(
                    Code::EmptySection,
                    &file,
                    format!("栏目「{}」没有任何已发布的页面", s.meta.title.as_str()),
                )
                .at(1, 1)
                .hint("添加内容，或在 _index.md 中写 draft = true 暂不发布该栏目"),
            );
            continue;
        }
        let Some((days, pos)) = freshness_days(site, i) else {
            continue;
        };
        let newest = s.pages.iter().filter_map(|&p| site.pages[p].date).max();
        let Some(newest) = newest else { continue };
        let age = (input.today - newest.date_naive()).num_days();
        if age > i64::from(days) {
            let default = if pos.is_some() {
                ""
            } else {
                "；这是按栏目类型的默认要求，可在 _index.md 中用 freshness_days 调整或写 false"
            };
            diags.push(
                Diagnostic::error(
                    Code::StaleSection,
                    &file,
                    format!(
                        "栏目「{}」已 {age} 天未更新，超过 {days} 天的更新要求",
                        s.meta.title.as_str()
                    ),
                )
                .at_pos(pos.unwrap_or(Pos::new(1, 1)))
                .hint(format!(
                    "最近一篇发布于 {}{default}",
                    newest.format("%Y-%m-%d")
                )),
            );
        }
    }
    diags
}

/// The days a section's newest page may age before it is `stale-section`, and where that was
/// written (`None` for a default). Defaults follow the 国务院办公厅 政府网站 inspection
/// indicators (《政府网站与政务新媒体检查指标》): 动态、要闻 栏目 updated within 2 weeks, 通知公告
/// and 政策文件 within 6 months. So:
///
/// - a `news` section: 14 days; with `home = "notices"` (通知公告): 180;
/// - `members`, `wenshi`, `plain`: none (reference pages, not updates);
/// - `proposals`: none (提案 are filed once a year, at the 全体会议);
/// - a `topic` (专题) landing: none; its 栏目 are news, 14 days while the 专题 is `active`,
///   none once it is finished (`active = false`): a closed 专题 must not fail the site.
///
/// A section with subsections has no default: its 栏目 are judged one by one.
/// A section's own `freshness_days` wins. Numbers are not inherited (a 通知公告 under 新闻中心
/// keeps its 180 when 新闻中心 says 30), but `false` is: it turns off the defaults of every
/// subsection that does not set its own number (an archive, a finished 专题).
pub fn freshness_days(site: &Site, id: SectionId) -> Option<(u32, Option<Pos>)> {
    let s = &site.sections[id];
    if let Some(days) = &s.meta.freshness_days {
        return days.value.map(|d| (d, Some(days.pos)));
    }
    let mut topic_active = None;
    let mut up = s.parent;
    while let Some(p) = up {
        let parent = &site.sections[p];
        if parent
            .meta
            .freshness_days
            .as_ref()
            .is_some_and(|d| d.value.is_none())
        {
            return None;
        }
        if parent.kind == SectionKind::Topic && topic_active.is_none() {
            topic_active = Some(parent.meta.active);
        }
        up = parent.parent;
    }
    if !s.children.is_empty() {
        // A container (新闻中心): its 栏目 are judged one by one, not counted twice.
        return None;
    }
    match s.kind {
        SectionKind::News if topic_active == Some(false) => None,
        SectionKind::News if s.meta.home == Some(HomeBlock::Notices) => Some((180, None)),
        SectionKind::News => Some((14, None)),
        _ => None,
    }
}

/// SPEC `home-stale`: the newest dated item on the home page (its 最新 list, every listed dated
/// page) older than `[check] home_freshness_days` (default 14, the 国办 indicator's 2 weeks).
fn home_stale(input: &Input) -> Option<Diagnostic> {
    let home = home_freshness(input);
    let newest = home.newest?;
    (home.age_days > i64::from(home.limit)).then(|| {
        Diagnostic::error(
            Code::HomeStale,
            "content/_index.md",
            format!(
                "首页最新内容已 {} 天未更新，超过 {} 天的要求",
                home.age_days, home.limit
            ),
        )
        .at(1, 1)
        .hint(format!(
            "最近一篇发布于 {}；首页超过两周不更新，政府网站检查会直接判为不合格",
            newest.format("%Y-%m-%d")
        ))
    })
}

/// How fresh the home page is: its newest dated item, its age and the limit.
pub fn home_freshness(input: &Input) -> HomeFreshness {
    let site = input.site;
    let newest = site
        .dated
        .first()
        .and_then(|&p| site.pages[p].date)
        .map(|d| d.date_naive());
    HomeFreshness {
        newest,
        age_days: newest.map_or(0, |n| (input.today - n).num_days()),
        limit: input
            .config
            .check
            .home_freshness_days
            .as_ref()
            .map_or(DEFAULT_HOME_FRESHNESS_DAYS, |d| *d.get_ref()),
    }
}

/// Pages dated after today: they stay unpublished until their date.
fn unpublished(input: &Input) -> Vec<Diagnostic> {
    input
        .site
        .unpublished
        .iter()
        .filter(|u| !u.draft && !u.private)
        .filter_map(|u| {
            let date = u.date?;
            let d = Diagnostic::warning(
                Code::Future,
                &u.rel,
                format!(
                    "日期 {} 在今天之后，到那天才会发布",
                    date.format("%Y-%m-%d")
                ),
            );
            Some(match u.date_pos {
                Some(p) => d.at_pos(p),
                None => d.at(1, 1),
            })
        })
        .collect()
}

/// The same title twice in one section.
fn same_titles(site: &Site) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(SectionId, &str), &Page> = BTreeMap::new();
    let mut diags = Vec::new();
    for page in &site.pages {
        match seen.get(&(page.section, page.meta.title.as_str())) {
            Some(first) => diags.push(
                Diagnostic::warning(
                    Code::SameTitle,
                    &page.rel,
                    format!("与 {} 标题相同", first.rel),
                )
                .at_pos(page.meta.title.pos)
                .hint("同一栏目中的标题应能区分，以免读者混淆"),
            ),
            None => {
                seen.insert((page.section, page.meta.title.as_str()), page);
            }
        }
    }
    diags
}

/// What a page's Markdown holds that checks care about, with byte offsets into the body.
struct Scan {
    /// Prose (not code, not autolinked URLs).
    texts: Vec<(usize, String)>,
    links: Vec<LinkRef>,
    /// Raw HTML, with its offset.
    html: Vec<(usize, String)>,
}

impl Scan {
    /// Reads the alt text of image link `i` as text: it is the picture's caption on the page.
    fn push_alt(&mut self, i: usize) {
        let link = &self.links[i];
        if !link.alt.trim().is_empty() {
            self.texts.push((link.offset, link.alt.clone()));
        }
    }
}

struct LinkRef {
    offset: usize,
    dest: String,
    image: bool,
    alt: String,
    /// An `href` or `src` of raw HTML: only where it leads is checked (its scripts and URL
    /// schemes are the sanitizer's, and warned of apart).
    raw_html: bool,
}

fn scan(body: &str) -> Scan {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut out = Scan {
        texts: Vec::new(),
        links: Vec::new(),
        html: Vec::new(),
    };
    let mut code = 0usize;
    let mut autolink = 0usize;
    let mut image: Option<usize> = None;
    let mut comments = crate::content::linked::HtmlComments::default();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    autolink += 1;
                }
                out.links.push(LinkRef {
                    offset: range.start,
                    dest: dest_url.to_string(),
                    image: false,
                    alt: String::new(),
                    raw_html: false,
                });
            }
            Event::End(TagEnd::Link) => autolink = autolink.saturating_sub(1),
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some(out.links.len());
                out.links.push(LinkRef {
                    offset: range.start,
                    dest: dest_url.to_string(),
                    image: true,
                    alt: String::new(),
                    raw_html: false,
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some(i) = image.take().filter(|_| code == 0) {
                    out.push_alt(i);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                // A comment is never published: nothing in it is a link or an element.
                let h = comments.blank(&h).into_owned();
                out.links.extend(raw_html_links(&h, range.start));
                out.html.push((range.start, h));
            }
            Event::Text(t) => {
                if let Some(i) = image {
                    out.links[i].alt.push_str(&t);
                } else if code == 0 && autolink == 0 {
                    // Locate the decoded text in the source where it appears as written
                    // (mostly right at the event's start: no search then).
                    let source = &body[range.clone()];
                    let start = if source.starts_with(t.as_ref()) {
                        range.start
                    } else {
                        source
                            .find(t.as_ref())
                            .map_or(range.start, |o| range.start + o)
                    };
                    out.texts.push((start, t.to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

/// The `href` and `src` of a raw HTML fragment at byte `offset` of the body, each placed at
/// the start of its tag; a `src` of an `<img>` is an image.
fn raw_html_links(html: &str, offset: usize) -> impl Iterator<Item = LinkRef> + '_ {
    crate::content::linked::html_urls(html).map(move |(at, dest)| {
        let tag = html[..at].rfind('<').unwrap_or(at);
        let name = html[tag + 1..]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next();
        LinkRef {
            offset: offset + tag,
            dest,
            image: name.is_some_and(|n| n.eq_ignore_ascii_case("img")),
            alt: String::new(),
            raw_html: true,
        }
    })
}

/// The file position of byte `offset` of a page's body.
fn body_pos(page: &Page, offset: usize) -> Pos {
    TextFile::of_page(page).body_pos(offset)
}

/// What the checks of published text read of one content file: a page, or a section's
/// `_index.md`, whose title, description and body its list page shows.
struct TextFile<'a> {
    rel: &'a str,
    /// The front matter with its delimiter lines: line N of it is line N of the file.
    head: &'a str,
    body: &'a str,
    /// The file's line the body starts on.
    body_line: usize,
    title: &'a Located<String>,
    description: Option<&'a Located<String>>,
}

impl<'a> TextFile<'a> {
    fn of_page(page: &'a Page) -> Self {
        TextFile {
            rel: &page.rel,
            head: &page.head,
            body: &page.body,
            body_line: page.body_line,
            title: &page.meta.title,
            description: page.meta.description.as_ref(),
        }
    }

    fn of_section(section: &'a Section) -> Self {
        TextFile {
            rel: &section.rel,
            head: &section.head,
            body: &section.body,
            body_line: section.body_line,
            title: &section.meta.title,
            description: section.meta.description.as_ref(),
        }
    }

    /// The file position of byte `offset` of the body.
    fn body_pos(&self, offset: usize) -> Pos {
        let p = Pos::of_offset(self.body, offset);
        Pos::new(p.line + self.body_line - 1, p.column)
    }

    /// The title and the description, when written.
    fn fields(&self) -> impl Iterator<Item = &'a Located<String>> + use<'a> {
        std::iter::once(self.title).chain(self.description)
    }

    /// The line of the front matter a field's key is on, as written.
    fn head_line(&self, field: &Located<String>) -> &'a str {
        let head = self.head;
        field
            .pos
            .line
            .checked_sub(1)
            .and_then(|i| head.lines().nth(i))
            .unwrap_or("")
    }
}

/// Everything `check` finds in one page, in the order the checks run.
fn check_page<'d>(input: &Input, page: &Page, refs: &Refs<'d>) -> Vec<Finding<'d>> {
    let scan = scan(&page.body);
    let mut findings: Vec<Finding> = content_problems(input, page, &scan, refs.outcomes)
        .into_iter()
        .map(Finding::from)
        .collect();
    findings.extend(text_findings(&TextFile::of_page(page), &scan, refs));
    if let Some(dict) = refs.dictionary {
        findings.extend(term_word_hits(page, dict));
    }
    findings
}

/// 错敏词 in the page's taxonomy terms (`tags = ["…"]`): a term is the title of its own page
/// and stands under every article filed in it. Each hit is located on the first line from the
/// `taxonomies` key on that holds the term.
fn term_word_hits<'d>(page: &Page, dict: &'d Dictionary) -> Vec<Finding<'d>> {
    let Some(terms) = &page.meta.taxonomies else {
        return Vec::new();
    };
    let from = terms.pos.line.saturating_sub(1);
    let mut hits = Vec::new();
    for term in terms.value.values().flatten() {
        for group in dict.find_joined(term) {
            let start = group.first().map_or(0, |h| h.start);
            let pos = (page.head.lines().enumerate().skip(from))
                .find_map(|(i, line)| {
                    let at = line.find(term.as_str())? + start;
                    Some(Pos::new(i + 1, line[..at].chars().count() + 1))
                })
                .unwrap_or(terms.pos);
            hits.push(Finding {
                diagnostic: dict.joined_diagnostic(&group, term, &page.rel, pos),
                word: group.first().map(|h| dict.rules[h.rule].wrong.as_str()),
            });
        }
    }
    hits
}

/// What `check` finds in a section's `_index.md`: the text its list page publishes is held to
/// what a page's is.
fn check_section<'d>(section: &Section, refs: &Refs<'d>) -> Vec<Finding<'d>> {
    text_findings(&TextFile::of_section(section), &scan(&section.body), refs)
}

/// 错敏词, leaders' names, personal data and placeholders in a file's published text.
fn text_findings<'d>(file: &TextFile, scan: &Scan, refs: &Refs<'d>) -> Vec<Finding<'d>> {
    let mut findings = Vec::new();
    if let Some(dict) = refs.dictionary {
        findings.extend(word_hits(file, scan, dict));
    }
    if let Some(leaders) = refs.leaders {
        findings.extend(
            name_hits(file, scan, leaders)
                .into_iter()
                .map(Finding::from),
        );
    }
    findings.extend(pii_hits(file).into_iter().map(Finding::from));
    findings.extend(placeholders(file).into_iter().map(Finding::from));
    findings
}

/// Where the bytes `start..` of `text`, a text decoded from `source` (Markdown with its escapes
/// and entities, a quoted value with its key), stand in `source`: at their own place when
/// `source` holds the text as it is, else at the occurrence of the same words that has as many
/// before it.
fn written_offset(source: &str, text: &str, start: usize, end: usize) -> Option<usize> {
    if source.starts_with(text) {
        return Some(start);
    }
    let words = &text[start..end];
    let before = text[..start].matches(words).count();
    source.match_indices(words).nth(before).map(|(at, _)| at)
}

/// Where `XX` or `ＸＸ` stands alone in `line` (not inside a Latin word such as `XXL`).
fn standalone_xx(line: &str) -> Option<usize> {
    ["XX", "ＸＸ"].iter().find_map(|xx| {
        line.match_indices(xx).map(|(at, _)| at).find(|&at| {
            let before = line[..at].chars().next_back();
            let after = line[at + xx.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphabetic())
                && !after.is_some_and(|c| c.is_ascii_alphabetic())
        })
    })
}

/// The marker `tongxin new` writes around text for staff to replace: `【请填写来源】`.
pub const PLACEHOLDER_OPEN: &str = "【请";

/// SPEC `placeholder`: text `tongxin new` wrote for staff to replace (`【请填写来源】`), or `XX`
/// standing for a name or number, left in a file's front matter or body. One warning per line.
fn placeholders(file: &TextFile) -> Vec<Diagnostic> {
    let texts = [(file.head, 1), (file.body, file.body_line)];
    let mut diags = Vec::new();
    for (text, first_line) in texts {
        // One search over the whole text spares most pages a search per line.
        if !([PLACEHOLDER_OPEN, "XX", "ＸＸ"].iter()).any(|p| text.contains(p)) {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            let found = line
                .find(PLACEHOLDER_OPEN)
                .map(|at| {
                    let end = line[at..]
                        .find('】')
                        .map_or(line.len(), |e| at + e + '】'.len_utf8());
                    (at, &line[at..end])
                })
                .or_else(|| Some((standalone_xx(line)?, "XX")));
            let Some((at, what)) = found else {
                continue;
            };
            let column = line[..at].chars().count() + 1;
            diags.push(
                Diagnostic::warning(
                    Code::Placeholder,
                    file.rel,
                    format!("还有待填写的示例内容「{what}」"),
                )
                .at(first_line + i, column)
                .hint("把它换成实际内容后再发布"),
            );
        }
    }
    diags
}

/// An empty body, links and images, unsafe URLs in fields, repeated ids and scripts in raw HTML.
fn content_problems(
    input: &Input,
    page: &Page,
    scan: &Scan,
    outcomes: &external::Outcomes,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if page.body.trim().is_empty() {
        diags.push(Diagnostic::warning(Code::EmptyPage, &page.rel, "页面没有正文").at(1, 1));
    }
    for link in &scan.links {
        diags.extend(check_link(input, page, link, outcomes));
    }
    diags.extend(unsafe_fields(page));
    let fields = page.meta.kind.urls();
    diags.extend(
        fields
            .iter()
            .filter_map(|u| missing_field_file(input, &page.rel, &page.path, u)),
    );
    diags.extend(duplicate_ids(input, page));
    let trusted = input.config.markdown.unsafe_html;
    diags.extend(too_deep(page, &scan.html, trusted));
    if is_https(input.base) {
        diags.extend(mixed_content(page, scan));
    }
    // Each element name once a page, where it first stands: Word's HTML repeats its tags.
    let mut removed = BTreeSet::new();
    for (offset, html) in &scan.html {
        diags.extend(
            raw_html_scripts(html)
                .map(|(at, what)| script_warning(page, offset + at, what, trusted)),
        );
        diags.extend(raw_images_without_alt(html).map(|at| {
            Diagnostic::warning(Code::Alt, &page.rel, "图片缺少替代文字")
                .at_pos(body_pos(page, offset + at))
                .hint("在 <img> 中写上 alt=\"图片内容的简短说明\"，方便读屏软件用户")
        }));
        if !trusted {
            diags.extend(
                removed_elements(html)
                    .filter(|(_, name)| removed.insert(name.clone()))
                    .map(|(at, name)| removed_warning(page, offset + at, name)),
            );
        }
    }
    diags
}

/// Whether an alt text is a file name (`IMG_0231.jpg`, `图片1.png`): what a camera or an
/// editor fills in, which tells a reader nothing.
fn is_file_name(alt: &str) -> bool {
    let Some((stem, ext)) = alt.rsplit_once('.') else {
        return false;
    };
    let images = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "tif", "tiff", "heic",
    ];
    !stem.is_empty() && images.iter().any(|e| ext.eq_ignore_ascii_case(e))
}

/// `<img>` tags in raw HTML without an `alt` attribute: byte offsets. (`alt=""` marks a
/// picture that is only decoration, and is left alone.)
fn raw_images_without_alt(html: &str) -> impl Iterator<Item = usize> + '_ {
    html.match_indices('<').filter_map(move |(at, _)| {
        let tag = &html[at + 1..];
        let is_img = tag.get(..3).is_some_and(|n| n.eq_ignore_ascii_case("img"))
            && tag[3..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/');
        if !is_img {
            return None;
        }
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let has_alt = tag
            .to_ascii_lowercase()
            .split_ascii_whitespace()
            .any(|a| a == "alt" || a.starts_with("alt="));
        (!has_alt).then_some(at)
    })
}

/// Start tags in raw HTML of elements the sanitizer removes, other than `<script>` (see
/// [`raw_html_scripts`]): byte offsets and names, lowercase.
fn removed_elements(html: &str) -> impl Iterator<Item = (usize, String)> {
    html.match_indices('<').filter_map(move |(at, _)| {
        let name: String = html[at + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let removed =
            !name.is_empty() && name != "script" && !crate::markdown::sanitize::keeps_tag(&name);
        removed.then_some((at, name))
    })
}

/// An element the sanitizer removes (`<iframe>`, `<form>`, `<object>` …): without a word the
/// reader would never learn why a video or a form is missing from the page.
fn removed_warning(page: &Page, offset: usize, name: String) -> Diagnostic {
    Diagnostic::warning(
        Code::UnsafeHtml,
        &page.rel,
        format!("HTML 标签 <{name}> 发布时已删除"),
    )
    .at_pos(body_pos(page, offset))
    .hint("网页只保留文章常用的 HTML（表格、图片、上下标、对齐等），其他标签删去、文字保留；视频、表单等请改为链接")
}

/// 错敏词 in the title, the description and the prose of the body, each hit carrying the rule's
/// text for `allow`.
fn word_hits<'d>(file: &TextFile, scan: &Scan, dict: &'d Dictionary) -> Vec<Finding<'d>> {
    let mut hits = Vec::new();
    // A group's `allow` name is its first rule's text.
    let mut push = |group: &[words::Hit], text: &str, pos: Pos| {
        hits.push(Finding {
            diagnostic: dict.joined_diagnostic(group, text, file.rel, pos),
            word: group.first().map(|h| dict.rules[h.rule].wrong.as_str()),
        });
    };
    let span = |group: &[words::Hit]| {
        let start = group.first().map_or(0, |h| h.start);
        (start, group.last().map_or(start, |h| h.end))
    };
    for field in file.fields() {
        let (value, pos) = (field.as_str(), field.pos);
        // The hit's column is where it stands in the key's line as written (escapes included).
        let line_text = file.head_line(field);
        for group in dict.find_joined(value) {
            let (start, end) = span(&group);
            let column = written_offset(line_text, value, start, end)
                .map_or(pos.column, |b| line_text[..b].chars().count() + 1);
            push(&group, value, Pos::new(pos.line, column));
        }
    }
    for (offset, text) in &scan.texts {
        let source = &file.body[*offset..];
        for group in dict.find_joined(text) {
            let (start, end) = span(&group);
            let at = written_offset(source, text, start, end).unwrap_or(start);
            push(&group, text, file.body_pos(offset + at));
        }
    }
    hits
}

/// SPEC `name`: leaders' names written wrongly beside a title, in the title, the description
/// and the prose of the body (not code, not URLs), as 错敏词 are looked for.
fn name_hits(file: &TextFile, scan: &Scan, leaders: &Leaders) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for field in file.fields() {
        let (value, pos) = (field.as_str(), field.pos);
        let line_text = file.head_line(field);
        for hit in leaders.find(value) {
            let written = &value[hit.start..hit.end];
            let column = written_offset(line_text, value, hit.start, hit.end)
                .map_or(pos.column, |b| line_text[..b].chars().count() + 1);
            diags.push(leaders.diagnostic(&hit, written, file.rel, Pos::new(pos.line, column)));
        }
    }
    for (offset, text) in &scan.texts {
        let source = &file.body[*offset..];
        for hit in leaders.find(text) {
            let written = &text[hit.start..hit.end];
            let at = written_offset(source, text, hit.start, hit.end).unwrap_or(hit.start);
            let pos = file.body_pos(offset + at);
            diags.push(leaders.diagnostic(&hit, written, file.rel, pos));
        }
    }
    diags
}

/// Whether the site is served over https (then `http://` resources are mixed content).
fn is_https(base: &BaseUrl) -> bool {
    base.origin_and_path
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

static MIXED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<(?:img|script|iframe)\b[^>]*?\ssrc\s*=\s*["']?\s*(http://[^"'\s>]*)"#)
        .expect("valid regex")
});

/// `mixed-content` (not in SPEC's table, which has no code for it): on an `https` site, an
/// `http://` image (Markdown, `cover`, `photo`) or a raw-HTML `<img>`, `<script>` or `<iframe>`
/// source. Browsers block such scripts and frames and mark the page 不安全.
fn mixed_content(page: &Page, scan: &Scan) -> Vec<Diagnostic> {
    let warn = |url: &str, pos: Pos| {
        let shown: String = url.chars().take(60).collect();
        Diagnostic::warning(
            Code::MixedContent,
            &page.rel,
            format!("https 网站中引用了 http:// 资源「{shown}」"),
        )
        .at_pos(pos)
        .hint("浏览器会拦截或提示“不安全”：改用 https:// 地址，或把文件放到本站 static/ 中")
    };
    let http = |u: &str| {
        u.trim()
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    };
    let mut diags: Vec<Diagnostic> = page
        .meta
        .kind
        .urls()
        .into_iter()
        .filter(|u| http(u))
        .map(|u| warn(u.value.trim(), u.pos))
        .collect();
    for link in scan.links.iter().filter(|l| l.image && http(&l.dest)) {
        diags.push(warn(link.dest.trim(), body_pos(page, link.offset)));
    }
    for (offset, html) in &scan.html {
        for c in MIXED_RE.captures_iter(html) {
            let url = c.get(1).expect("group 1");
            diags.push(warn(url.as_str(), body_pos(page, offset + url.start())));
        }
    }
    diags
}

/// An `http://` `base_url`: a `config` warning at its line.
fn http_base_url(config: &Config) -> Option<Diagnostic> {
    let base = config.base_url.origin_and_path.as_str();
    let http = base
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"));
    http.then(|| {
        let d = Diagnostic::warning(
            Code::Config,
            CONFIG_FILE,
            "网站地址使用 http://，建议改为 https://",
        )
        .hint("政府网站应支持 https 访问；在 config.toml 中把 base_url 改为 https:// 开头");
        match config.key_pos(None, "base_url") {
            Some(pos) => d.at_pos(pos),
            None => d,
        }
    })
}

/// Personal data anywhere in the file, front matter and code included.
fn pii_hits(file: &TextFile) -> Vec<Diagnostic> {
    let whole = format!("{}{}", file.head, file.body);
    pii::find(&whole)
        .into_iter()
        .map(|found| {
            let (what, hint) = if found.id_number {
                ("身份证号", "删除或隐去后再发布；身份证号不应在网站上公开")
            } else {
                (
                    "手机号码",
                    "删除或隐去后再发布；确属公开的单位电话，可在 allow 中说明理由",
                )
            };
            Diagnostic::error(Code::Pii, file.rel, format!("疑似公开了个人信息（{what}）"))
                .at_pos(Pos::of_offset(&whole, found.start))
                .hint(hint)
        })
        .collect()
}

/// Ids the page's output holds twice (`duplicate-id`).
fn duplicate_ids(input: &Input, page: &Page) -> Vec<Diagnostic> {
    let ids = input.duplicate_ids.get(page.rel.as_str()).copied();
    ids.unwrap_or_default()
        .iter()
        .map(|id| {
            // Where the author wrote it, when they did (raw HTML); else the page's first line.
            let at = page
                .body
                .find(&format!("id=\"{id}\""))
                .map_or(Pos::new(1, 1), |o| body_pos(page, o));
            Diagnostic::warning(
                Code::DuplicateId,
                &page.rel,
                format!("页面中有多个元素的 id 都是「{id}」"),
            )
            .at_pos(at)
            .hint("同一页面中的 id 必须唯一，否则页内链接会跳到错误的位置；请改用其他 id")
        })
        .collect()
}

/// SPEC `missing-file`: an image named in a front-matter field (`cover`, `photo`, a 专题's
/// `banner`) that the build does not publish. External and unsafe URLs are judged elsewhere.
fn missing_field_file(
    input: &Input,
    file: &str,
    page_path: &str,
    url: &crate::error::Located<String>,
) -> Option<Diagnostic> {
    let dest = url.value.trim();
    if dest.is_empty() || is_external(dest) || !url::is_safe(dest) {
        return None;
    }
    let path = url::site_path(page_path, &input.base.path, dest);
    if input.outputs.contains(path.trim_start_matches('/')) {
        return None;
    }
    let hint = match beside_page(input, file, dest) {
        Some(out) => written_from_root(out),
        None => "图片放在 static/ 目录中（如 static/images/），这里写 /images/文件名".into(),
    };
    Some(
        Diagnostic::error(Code::MissingFile, file, format!("找不到图片 {dest}"))
            .at_pos(url.pos)
            .hint(hint),
    )
}

/// The output path of the file in `content/` that `dest`, a relative URL, names when taken
/// from the folder of the page file `page_rel` (`zhao-pian.jpg` beside
/// `content/news/2026-11-28-hui-yi.md`). A relative URL is read from the page's own address
/// (`/news/hui-yi/`), so that file is not what the link reaches: the hint says what to write.
fn beside_page<'i>(input: &'i Input, page_rel: &str, dest: &str) -> Option<&'i str> {
    let dest = dest.trim().split(['#', '?']).next()?;
    if dest.is_empty() || dest.starts_with('/') || is_external(dest) {
        return None;
    }
    let dir = page_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let wanted = url::resolve_path(dir, &percent_decode(dest));
    let wanted = wanted.trim_start_matches('/');
    input
        .site
        .assets
        .iter()
        .find(|(rel, _)| rel == wanted)
        .map(|(_, out)| out.as_str())
}

/// The hint for a file beside its page: the link written from the site's root, as the guide
/// teaches (`/images/…`; a sub-path in `base_url` is added when publishing).
fn written_from_root(out: &str) -> String {
    format!(
        "这个文件在稿件旁边，链接要从网站根目录写起：/{}",
        out.trim_start_matches('/')
    )
}

/// SPEC `missing-file` for sections: a 专题 banner the build does not publish.
fn missing_banners(input: &Input) -> Vec<Diagnostic> {
    input
        .site
        .sections
        .iter()
        .filter_map(|s| {
            let banner = s.meta.banner.as_ref()?;
            missing_field_file(input, &s.rel, &s.path, banner)
        })
        .collect()
}

/// Files of `static/` (published whatever links them) that only 提案 never published
/// (`public = false`) link: the 附件 would be on the server though its 提案 is not. Each is an
/// error at the link in the 提案's file, which is read again from disk (the site keeps no text
/// of pages it does not publish).
fn private_attachments(input: &Input) -> Vec<Diagnostic> {
    let mut found: Vec<(&str, Pos, String, String)> = Vec::new();
    for u in input.site.unpublished.iter().filter(|u| u.private) {
        let Ok(text) = std::fs::read_to_string(input.root.join(&u.rel)) else {
            continue;
        };
        for link in scan(&text).links {
            let dest = link.dest.trim();
            if dest.is_empty() || is_external(dest) || !url::is_safe(dest) {
                continue;
            }
            let path = url::site_path(&u.path, &input.base.path, dest);
            let file = path.trim_start_matches('/');
            let in_static = !file.is_empty()
                && input.outputs.contains(file)
                && input.root.join("static").join(file).is_file();
            if in_static {
                let pos = Pos::of_offset(&text, link.offset);
                found.push((&u.rel, pos, dest.to_string(), path));
            }
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let public = published_link_paths(input);
    found
        .into_iter()
        .filter(|(_, _, _, path)| !public.contains(path))
        .map(|(rel, pos, dest, _)| {
            Diagnostic::error(
                Code::Link,
                rel,
                format!("附件 {dest} 在 static/ 中，会随网站发布，而链接它的提案不公开"),
            )
            .at_pos(pos)
            .hint("把附件移到 content/ 中这个提案文件旁边，链接写成 /所在栏目/文件名：只有公开的页面链接它时才会发布；不需要的请从 static/ 删除")
        })
        .collect()
}

/// The site paths (`/files/名单.xlsx`) that published pages and sections link, from their
/// bodies and URL fields.
fn published_link_paths(input: &Input) -> BTreeSet<String> {
    let base = &input.base.path;
    let pages = input.site.pages.iter().flat_map(|p| {
        let fields = p.meta.kind.urls().into_iter().map(|u| u.value.clone());
        let body = scan(&p.body).links.into_iter().map(|l| l.dest);
        body.chain(fields)
            .map(|d| url::site_path(&p.path, base, d.trim()))
            .collect::<Vec<_>>()
    });
    let sections = input.site.sections.iter().flat_map(|s| {
        let body = scan(&s.body).links.into_iter();
        body.map(|l| url::site_path(&s.path, base, l.dest.trim()))
            .collect::<Vec<_>>()
    });
    pages.chain(sections).collect()
}

/// The footer's 党政机关网站标识 (`[footer] conac_image`) where the site has no such file: every
/// page would show a broken image in its footer.
fn missing_conac_image(input: &Input) -> Option<Diagnostic> {
    let image = input.config.footer().conac_image.as_deref()?.trim();
    if image.is_empty() || is_external(image) || !url::is_safe(image) {
        return None;
    }
    let path = url::site_path("/", &input.base.path, image);
    if input.outputs.contains(path.trim_start_matches('/')) {
        return None;
    }
    let d = Diagnostic::error(
        Code::MissingFile,
        CONFIG_FILE,
        format!("找不到页脚的党政机关网站标识图片 {image}"),
    )
    .hint("把标识图片放在 static/ 目录中（如 static/images/conac.png），这里写 /images/conac.png");
    Some(match input.config.key_pos(Some("footer"), "conac_image") {
        Some(pos) => d.at_pos(pos),
        None => d,
    })
}

/// SPEC `unsafe-url`: a URL that could run code; the build has dropped it from the page.
fn unsafe_url(file: &str, url: &str, pos: Pos) -> Diagnostic {
    let shown: String = url.chars().take(60).collect();
    Diagnostic::error(
        Code::UnsafeUrl,
        file,
        format!("不安全的链接地址「{shown}」，发布时已删除"),
    )
    .at_pos(pos)
    .hint("链接只能以 http://、https://、mailto:、tel: 开头，或写成站内地址 /栏目/页面/")
}

/// Front-matter fields holding a URL (`cover`, `photo`) with an unsafe scheme.
fn unsafe_fields(page: &Page) -> Vec<Diagnostic> {
    page.meta
        .kind
        .urls()
        .into_iter()
        .filter(|url| !url::is_safe(url))
        .map(|url| unsafe_url(&page.rel, url, url.pos))
        .collect()
}

static SCRIPT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<script\b|\son[a-z]+\s*=|javascript\s*:").expect("valid regex")
});

/// Where raw HTML passed unchanged (`unsafe_html = true`) holds a script, an event handler or
/// a `javascript:` URL: byte offsets and what was found. Only for warnings: the sanitizer that
/// guards the default mode is ammonia's, not this.
fn raw_html_scripts(html: &str) -> impl Iterator<Item = (usize, &str)> {
    SCRIPT_RE.find_iter(html).map(|m| {
        (
            m.start() + usize::from(m.as_str().starts_with(char::is_whitespace)),
            m.as_str().trim(),
        )
    })
}

/// Raw HTML nested too deep to be parsed is published as text (see
/// [`crate::markdown::sanitize::MAX_NESTING`]): said once, at the fragment where it gets too deep.
fn too_deep(page: &Page, html: &[(usize, String)], trusted: bool) -> Option<Diagnostic> {
    use crate::markdown::sanitize::{MAX_NESTING, track_nesting};
    let (mut depth, mut max) = (0, 0);
    let (offset, _) = html
        .iter()
        .filter(|(_, h)| !h.trim_start().starts_with("<!--"))
        .find(|(_, h)| {
            track_nesting(h, &mut depth, &mut max);
            max > MAX_NESTING
        })?;
    (!trusted).then(|| {
        Diagnostic::warning(
            Code::UnsafeHtml,
            &page.rel,
            format!("HTML 标签嵌套超过 {MAX_NESTING} 层，发布时按文字显示"),
        )
        .at_pos(body_pos(page, *offset))
        .hint("检查是否有大量未闭合的标签（如 <div> 没有对应的 </div>）")
    })
}

/// A script in raw HTML: published as is on a site that trusts its authors, else removed by the
/// sanitizer — which a reader should know, since an unclosed `<script>` takes the rest of the
/// page with it.
fn script_warning(page: &Page, offset: usize, what: &str, trusted: bool) -> Diagnostic {
    let (message, hint) = if trusted {
        (
            format!("原样发布的 HTML 中有脚本（{what}）"),
            "config.toml 中 [markdown] unsafe_html = true 时 HTML 不经过滤；确认这段脚本可信，否则删除",
        )
    } else {
        (
            format!("HTML 中的脚本（{what}）发布时已删除"),
            "删除这段脚本；未闭合的 <script> 会连同其后的正文一起被删除",
        )
    };
    Diagnostic::warning(Code::UnsafeHtml, &page.rel, message)
        .at_pos(body_pos(page, offset))
        .hint(hint)
}

fn is_external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("//")
        || ["http:", "https:", "mailto:", "tel:", "ftp:", "data:"]
            .iter()
            .any(|s| lower.starts_with(s))
}

/// A link's path or fragment with `%XX` decoded, or as written when that fails.
fn percent_decode(s: &str) -> String {
    crate::fs::percent_decode(s).unwrap_or_else(|| s.to_string())
}

/// What is wrong with one link or image of a page: missing alt text, an unsafe URL, a target
/// that is not published, an anchor the target does not have, an external link that fails
/// (when `outcomes` has it: `--external`).
fn check_link(
    input: &Input,
    page: &Page,
    link: &LinkRef,
    outcomes: &external::Outcomes,
) -> Vec<Diagnostic> {
    let pos = body_pos(page, link.offset);
    let mut diags = Vec::new();
    if link.raw_html {
        let dest = link.dest.trim();
        if dest.is_empty() || !url::is_safe(dest) || is_external(dest) {
            return diags;
        }
    } else if link.image && link.alt.trim().is_empty() {
        diags.push(
            Diagnostic::warning(Code::Alt, &page.rel, "图片缺少替代文字")
                .at_pos(pos)
                .hint("写成 ![图片内容的简短说明](地址)，方便读屏软件用户"),
        );
    } else if link.image && is_file_name(link.alt.trim()) {
        diags.push(
            Diagnostic::warning(
                Code::Alt,
                &page.rel,
                format!("图片的替代文字是文件名「{}」", link.alt.trim()),
            )
            .at_pos(pos)
            .hint("替代文字会作为图片说明显示、由读屏软件读出：写成图片内容的简短说明，如「区政协召开常委会议」"),
        );
    }
    let dest = link.dest.trim();
    if !url::is_safe(dest) {
        diags.push(unsafe_url(&page.rel, dest, pos));
        return diags;
    }
    if is_external(dest) {
        let failed = external::fetchable(dest)
            .and_then(|url| outcomes.get(&url))
            .and_then(|outcome| external::diagnostic(&page.rel, dest, outcome));
        diags.extend(failed.map(|d| d.at_pos(pos)));
        return diags;
    }
    let target = LinkTarget::of(input, page, dest);
    let problem = if target.is_published(input.outputs) {
        missing_anchor(input, &page.rel, &target)
    } else {
        Some(unpublished_target(input, &page.rel, link, dest, &target))
    };
    diags.extend(problem.map(|d| d.at_pos(pos)));
    diags
}

/// Where a site-internal link leads: the URL path under the site (percent-decoded, without
/// the base path) and the decoded `#fragment`.
struct LinkTarget {
    path: String,
    fragment: Option<String>,
}

impl LinkTarget {
    /// Resolves `dest`, written in `page`, against the page's URL and the base path.
    fn of(input: &Input, page: &Page, dest: &str) -> LinkTarget {
        let fragment = dest.split_once('#').map(|(_, f)| percent_decode(f));
        LinkTarget {
            path: url::site_path(&page.path, &input.base.path, dest),
            fragment,
        }
    }

    /// Whether the build writes a file the link reaches: the path itself, or its `index.html`.
    fn is_published(&self, outputs: &BTreeSet<String>) -> bool {
        let file = self.path.trim_start_matches('/');
        if self.path.ends_with('/') {
            outputs.contains(&format!("{file}index.html"))
        } else {
            outputs.contains(file) || outputs.contains(&format!("{file}/index.html"))
        }
    }

    /// The page URL the link means, with its trailing slash (`/news/x/`, also for
    /// `/news/x/index.html`).
    fn page_path(&self) -> String {
        let path = self.path.strip_suffix("index.html").unwrap_or(&self.path);
        if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        }
    }
}

/// Why nothing is published where a link leads: a draft, a page not yet due, a missing file or
/// no page at all.
fn unpublished_target(
    input: &Input,
    file: &str,
    link: &LinkRef,
    dest: &str,
    target: &LinkTarget,
) -> Diagnostic {
    let wanted = target.page_path();
    let url_path = &target.path;
    match input.site.unpublished.iter().find(|u| u.path == wanted) {
        Some(u) if u.private => {
            Diagnostic::error(Code::Link, file, format!("链接指向不公开的提案 {}", u.rel)).hint(
                "该提案设置了 public = false，不会发布，网页上这个链接只显示文字；请删除此链接",
            )
        }
        Some(u) if u.draft => {
            Diagnostic::error(Code::Link, file, format!("链接指向未发布的草稿 {}", u.rel))
                .hint("发布该草稿，或删除此链接")
        }
        Some(u) => Diagnostic::error(
            Code::Link,
            file,
            format!("链接指向尚未到发布日期的页面 {}", u.rel),
        )
        .hint("到发布日期后再添加链接，或调整日期"),
        None if link.image || (!url_path.ends_with('/') && url_path.contains('.')) => {
            let hint = match beside_page(input, file, dest) {
                Some(out) => written_from_root(out),
                None => "文件应放在 static/ 目录中，链接写成 /目录/文件名".into(),
            };
            Diagnostic::error(Code::MissingFile, file, format!("找不到文件 {dest}")).hint(hint)
        }
        None => Diagnostic::error(Code::Link, file, format!("链接 {dest} 指向的页面不存在"))
            .hint("检查网址拼写；站内链接写成 /栏目/页面/ 的形式"),
    }
}

/// A `#fragment` that the target page has no heading id for.
fn missing_anchor(input: &Input, file: &str, target: &LinkTarget) -> Option<Diagnostic> {
    let fragment = target.fragment.as_deref().filter(|f| !f.is_empty())?;
    let ids = input.anchors.get(target.page_path().as_str())?;
    if ids.iter().any(|id| id == fragment) {
        return None;
    }
    let known: Vec<&str> = ids.iter().take(8).map(String::as_str).collect();
    Some(
        Diagnostic::error(
            Code::Anchor,
            file,
            format!("锚点 #{fragment} 在目标页面中不存在"),
        )
        .hint(if known.is_empty() {
            "目标页面没有小标题".to_string()
        } else {
            format!("可用的锚点：{}", known.join("、"))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_skips_code_and_autolinks() {
        let s = scan(
            "正文政协代表。\n\n`政协代表`\n\n```\n政协代表\n```\n\n<https://x.cn/政协代表>\n\n![](/a.png)\n",
        );
        let texts: Vec<&str> = s.texts.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["正文政协代表。"]);
        assert_eq!(s.links.len(), 2);
        assert!(s.links[1].image && s.links[1].alt.is_empty());
    }

    #[test]
    fn a_repeated_word_is_located_at_each_of_its_places() {
        // The text as written: each hit at its own place.
        let text = "政协代表团和政协代表";
        assert_eq!(written_offset(text, text, 18, 30), Some(18));
        // Decoded from an escape or a quoted value: the occurrence with as many before it.
        let source = "title = \"政协代表团\\*和政协代表\"";
        let at = written_offset(source, "政协代表团*和政协代表", 19, 31).unwrap();
        assert_eq!(&source[..at], "title = \"政协代表团\\*和");
    }

    #[test]
    fn allow_matches_the_rule_a_hit_matched_not_the_message() {
        let allow = |rule: &str| Allow {
            rule: rule.into(),
            reason: "引用原文".into(),
        };
        // A rule whose text holds a corner bracket: cutting 「…」 out of the message would give `a`.
        let dict = Dictionary::parse(
            "[[rule]]\nwrong = \"a」b\"\nright = \"c\"\n",
            "check/words.toml",
        )
        .unwrap();
        let hit = dict.find("xa」by").next().unwrap();
        let word = Finding {
            diagnostic: dict.diagnostic(&hit, "content/a.md", Pos::new(5, 1)),
            word: Some(dict.rules[hit.rule].wrong.as_str()),
        };
        assert!(word.allowed_by(&allow("a」b")));
        assert!(!word.allowed_by(&allow("a")));
        assert!(
            word.allowed_by(&allow("word")),
            "a code names every hit of it"
        );
        // Another check's message may quote the same text; only its code allows it.
        let other = Finding::from(Diagnostic::warning(
            Code::DuplicateId,
            "content/a.md",
            "页面中有多个元素的 id 都是「a」b」",
        ));
        assert!(!other.allowed_by(&allow("a」b")));
        assert!(other.allowed_by(&allow("duplicate-id")));
    }
}
