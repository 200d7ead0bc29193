//! `tongxin check --format html`: the check's findings as one self-contained, printable page in
//! Chinese (inline CSS, no script, nothing fetched from another host), for the office to file
//! or show its leadership: the site, the date, counts by level, by check and by 栏目, the
//! inspection view, then every problem with its file, place and fix.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::error::{Code, Diagnostic, Level};

/// What the report says about the site besides its findings.
#[derive(Debug, Clone)]
pub struct ReportInfo {
    /// The site's title (`config.toml` `title`).
    pub site_title: String,
    /// The site's address (`base_url`).
    pub base_url: String,
    /// The date the check was made for (`--today` or today).
    pub date: NaiveDate,
    /// 栏目 by their path under `content/` (`news/yaowen`) with their titles.
    pub sections: Vec<(String, String)>,
}

/// How many 栏目 stale or empty fail a site in the 政府网站 inspection.
const FAILING_SECTIONS: usize = 5;

/// The Chinese name of a check, as the report's tables show it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Config => "配置文件",
        Code::FrontMatter => "页面开头信息",
        Code::Field => "字段",
        Code::Template => "模板",
        Code::DuplicateUrl => "网址重复",
        Code::Link => "链接失效",
        Code::Anchor => "页内锚点",
        Code::MissingFile => "文件缺失",
        Code::MixedContent => "混合内容",
        Code::Word => "错敏词",
        Code::Pii => "个人信息",
        Code::StaleSection => "栏目未更新",
        Code::EmptySection => "空栏目",
        Code::Footer => "网站页脚",
        Code::UnsafeUrl => "不安全链接",
        Code::Name => "领导姓名",
        Code::HomeStale => "首页未更新",
        Code::Alt => "图片替代文字",
        Code::EmptyPage => "空白页面",
        Code::Future => "未到发布日期",
        Code::SameTitle => "标题重复",
        Code::Encoding => "文件编码",
        Code::DuplicateId => "元素编号重复",
        Code::UnlinkedFile => "未链接的文件",
        Code::Placeholder => "示例内容未替换",
        Code::Punctuation => "标点误用",
        Code::ExternalLink => "外部链接",
        Code::UnsafeHtml => "网页代码",
        Code::Image => "图片",
        Code::Io => "读写文件",
        Code::Refused => "拒绝执行",
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "错误",
        Level::Warning => "警告",
        Level::Allowed => "豁免",
    }
}

/// `text` with `& < > "` escaped, safe inside elements and double-quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;color:#222;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
h1{font-size:1.6rem;border-bottom:3px solid #b40000;padding-bottom:.4rem}
h2{font-size:1.25rem;margin-top:2rem;border-left:5px solid #b40000;padding-left:.5rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.n{text-align:right;white-space:nowrap}
.verdict{font-size:1.1rem;padding:.6rem 1rem;border:2px solid #b40000;color:#b40000}
.verdict.ok{border-color:#2a7a2a;color:#2a7a2a}
.error{color:#b40000;font-weight:bold}
.warning{color:#8a5a00}
.hint{color:#555}
footer{margin-top:2rem;font-size:.85rem;color:#666}
@page{size:A4;margin:18mm 15mm}
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}h3{break-after:avoid}tr{break-inside:avoid}}
";

/// The whole report as one HTML document.
pub fn render(info: &ReportInfo, diags: &[Diagnostic]) -> String {
    let mut html = String::new();
    let title = format!("{}网站检查报告", info.site_title);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = esc(&title)
    );
    html.push_str(&overview(info, diags));
    html.push_str(&by_code(diags));
    html.push_str(&by_section(info, diags));
    html.push_str(&inspection(diags));
    html.push_str(&problems(diags));
    let _ = write!(
        html,
        "<footer>本报告由 tongxin {} 生成（tongxin check --format html）。</footer>\n</body>\n</html>\n",
        esc(env!("CARGO_PKG_VERSION"))
    );
    html
}

fn count(diags: &[Diagnostic], level: Level) -> usize {
    diags.iter().filter(|d| d.level == level).count()
}

/// The site, the date and the verdict.
fn overview(info: &ReportInfo, diags: &[Diagnostic]) -> String {
    let (errors, warnings, allowed) = (
        count(diags, Level::Error),
        count(diags, Level::Warning),
        count(diags, Level::Allowed),
    );
    let verdict = if errors > 0 {
        format!("<p class=\"verdict\">有 {errors} 个错误必须改正后再发布。</p>")
    } else {
        "<p class=\"verdict ok\">未发现错误。</p>".to_string()
    };
    format!(
        "<table class=\"meta\">\n<tr><th>网站名称</th><td>{}</td></tr>\n\
         <tr><th>网站地址</th><td>{}</td></tr>\n<tr><th>检查日期</th><td>{}</td></tr>\n\
         <tr><th>检查结果</th><td>共 {errors} 个错误，{warnings} 个警告，{allowed} 处豁免</td></tr>\n\
         </table>\n{verdict}\n",
        esc(&info.site_title),
        esc(&info.base_url),
        info.date.format("%Y年%m月%d日"),
    )
}

/// Counts per level, in the order error, warning, allowed.
#[derive(Default)]
struct Counts([usize; 3]);

impl Counts {
    fn add(&mut self, level: Level) {
        match level {
            Level::Error => self.0[0] += 1,
            Level::Warning => self.0[1] += 1,
            Level::Allowed => self.0[2] += 1,
        }
    }

    fn cells(&self) -> String {
        self.0.iter().fold(String::new(), |mut s, n| {
            let _ = write!(s, "<td class=\"n\">{n}</td>");
            s
        })
    }
}

/// The table of counts by check.
fn by_code(diags: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<Code, Counts> = BTreeMap::new();
    for d in diags {
        counts.entry(d.code).or_default().add(d.level);
    }
    let mut html = String::from(
        "<h2>按检查项统计</h2>\n<table>\n<tr><th>检查项</th><th>代码</th><th>错误</th><th>警告</th><th>豁免</th></tr>\n",
    );
    for (code, c) in &counts {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td>{}</tr>",
            code_name(*code),
            code.as_str(),
            c.cells()
        );
    }
    if counts.is_empty() {
        html.push_str("<tr><td colspan=\"5\">没有发现问题</td></tr>\n");
    }
    html.push_str("</table>\n");
    html
}

/// The 栏目 a file belongs to: the deepest section holding it, `站点设置` for `config.toml`,
/// `静态文件` for `static/`, `其他` for the rest.
fn section_of(info: &ReportInfo, file: &str) -> (String, String) {
    if let Some(rest) = file.strip_prefix("content/") {
        let best = info
            .sections
            .iter()
            .filter(|(path, _)| rest.starts_with(&format!("{path}/")))
            .max_by_key(|(path, _)| path.len());
        return match best {
            Some((path, title)) => (title.clone(), format!("content/{path}")),
            None => ("首页及其他".to_string(), "content".to_string()),
        };
    }
    let (name, dir) = match file.split('/').next().unwrap_or("") {
        "config.toml" => ("站点设置", "config.toml"),
        "static" => ("静态文件", "static"),
        "templates" | "themes" => ("模板", file.split('/').next().unwrap_or("")),
        "check" => ("检查规则", "check"),
        _ => ("其他", ""),
    };
    (name.to_string(), dir.to_string())
}

/// The table of counts by 栏目.
fn by_section(info: &ReportInfo, diags: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<(String, String), Counts> = BTreeMap::new();
    for d in diags {
        let (title, dir) = section_of(info, &d.file);
        counts.entry((dir, title)).or_default().add(d.level);
    }
    let mut html = String::from(
        "<h2>按栏目统计</h2>\n<table>\n<tr><th>栏目</th><th>位置</th><th>错误</th><th>警告</th><th>豁免</th></tr>\n",
    );
    for ((dir, title), c) in &counts {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td>{}</tr>",
            esc(title),
            esc(dir),
            c.cells()
        );
    }
    if counts.is_empty() {
        html.push_str("<tr><td colspan=\"5\">没有发现问题</td></tr>\n");
    }
    html.push_str("</table>\n");
    html
}

/// The inspection view: stale and empty 栏目 against the numbers that fail a site. Counted from
/// the findings; a richer view from `check` itself can replace this function's body.
fn inspection(diags: &[Diagnostic]) -> String {
    let stale = diags
        .iter()
        .filter(|d| d.level == Level::Error && d.code == Code::StaleSection)
        .count();
    let empty = diags
        .iter()
        .filter(|d| d.level == Level::Error && d.code == Code::EmptySection)
        .count();
    let row = |name: &str, n: usize| {
        let verdict = if n >= FAILING_SECTIONS {
            "<span class=\"error\">达到单项否决标准</span>"
        } else {
            "未达到单项否决标准"
        };
        format!(
            "<tr><td>{name}</td><td class=\"n\">{n}</td><td class=\"n\">{FAILING_SECTIONS}</td><td>{verdict}</td></tr>\n"
        )
    };
    format!(
        "<h2>政府网站检查指标</h2>\n<table>\n<tr><th>指标</th><th>栏目数</th><th>否决线</th><th>结论</th></tr>\n{}{}</table>\n",
        row("超过更新期限未更新的栏目", stale),
        row("没有内容的空栏目", empty)
    )
}

/// Every problem, by level (errors first) then by file.
fn problems(diags: &[Diagnostic]) -> String {
    let mut html = String::from("<h2>问题清单</h2>\n");
    if diags.is_empty() {
        html.push_str("<p>没有发现问题。</p>\n");
    }
    for level in [Level::Error, Level::Warning, Level::Allowed] {
        let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diags.iter().filter(|d| d.level == level) {
            by_file.entry(d.file.as_str()).or_default().push(d);
        }
        if by_file.is_empty() {
            continue;
        }
        let n: usize = by_file.values().map(Vec::len).sum();
        let _ = writeln!(html, "<h2>{}（{n}）</h2>", level_name(level));
        for (file, list) in by_file {
            let _ = writeln!(html, "<h3>{}</h3>", esc(file));
            html.push_str("<table>\n<tr><th style=\"width:8.5em\">位置</th><th style=\"width:8em\">检查项</th><th>问题和改正方法</th></tr>\n");
            for d in list {
                html.push_str(&problem_row(d));
            }
            html.push_str("</table>\n");
        }
    }
    html
}

fn problem_row(d: &Diagnostic) -> String {
    let place = match (d.line, d.column) {
        (0, _) => "—".to_string(),
        (line, 0) => format!("第 {line} 行"),
        (line, col) => format!("第 {line} 行第 {col} 列"),
    };
    let class = match d.level {
        Level::Error => "error",
        Level::Warning => "warning",
        _ => "",
    };
    let hint = d.hint.as_deref().map_or(String::new(), |h| {
        format!("<br><span class=\"hint\">改正：{}</span>", esc(h))
    });
    format!(
        "<tr><td>{place}</td><td class=\"{class}\">{}</td><td>{}{hint}</td></tr>\n",
        code_name(d.code),
        esc(&d.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> ReportInfo {
        ReportInfo {
            site_title: "青山区政协".into(),
            base_url: "https://www.qszx.gov.cn/".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            sections: vec![
                ("news".into(), "新闻中心".into()),
                ("news/yaowen".into(), "政协要闻".into()),
            ],
        }
    }

    #[test]
    fn files_count_under_their_deepest_section() {
        let i = info();
        assert_eq!(section_of(&i, "content/news/yaowen/a.md").0, "政协要闻");
        assert_eq!(section_of(&i, "content/news/b.md").0, "新闻中心");
        assert_eq!(section_of(&i, "content/newsx/b.md").0, "首页及其他");
        assert_eq!(section_of(&i, "static/files/名单.xlsx").0, "静态文件");
        assert_eq!(section_of(&i, "config.toml").0, "站点设置");
    }

    #[test]
    fn messages_are_escaped() {
        let d = Diagnostic::error(
            Code::Word,
            "content/news/yaowen/a.md",
            "<script>alert(1)</script>",
        )
        .at(3, 2)
        .hint("\"&'");
        let html = render(&info(), &[d]);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("第 3 行第 2 列"));
        assert!(html.contains("<td>政协要闻</td>"));
    }
}
