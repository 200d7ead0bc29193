//! `config.toml` → [`Config`]: typed, with unknown keys and wrong types reported at their line.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::FixedOffset;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Code, Diagnostic, Error, Pos, Result};

/// The site configuration, as SPEC's `config.toml` section describes it. Values that a
/// diagnostic may point at keep their span in the file ([`Config::pos_of`] gives the position).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: BaseUrl,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub timezone: Timezone,
    #[serde(default = "default_theme")]
    pub theme: Spanned<String>,
    #[serde(default = "default_paginate_by")]
    pub paginate_by: Spanned<usize>,
    #[serde(default = "default_feed_limit")]
    pub feed_limit: Spanned<usize>,
    /// The `[footer]` table; [`Config::footer`] reads it as empty when it is not written.
    footer: Option<Spanned<Footer>>,
    #[serde(default)]
    pub members: MembersConfig,
    #[serde(default = "default_taxonomies")]
    pub taxonomies: BTreeMap<String, TaxonomyConfig>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub check: CheckConfig,
    /// `[[links]]`: 友情链接 in groups, for the home page's footer.
    #[serde(default)]
    pub links: Vec<LinkGroup>,
    #[serde(default)]
    pub proposals: ProposalsConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    #[serde(default)]
    pub output: OutputConfig,
    #[serde(default)]
    pub extra: toml::Table,
    /// The text the config was parsed from, where the spans above point.
    #[serde(skip)]
    text: String,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    pub organizer: Option<String>,
    pub icp: Option<String>,
    pub police: Option<String>,
    pub site_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// 党政机关网站标识: a local image path, and the registration page it links to.
    pub conac_image: Option<String>,
    pub conac_url: Option<String>,
}

/// A group of 友情链接 (`[[links]]`): its heading and its links.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkGroup {
    pub group: String,
    #[serde(default)]
    pub items: Vec<LinkItem>,
}

/// One 友情链接: the name shown and its URL.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkItem {
    pub title: String,
    pub url: String,
}

/// `[proposals]`: the 类别 a 提案 may take.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalsConfig {
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MembersConfig {
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub committees: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub title: String,
    #[serde(default)]
    pub feed: bool,
    pub paginate_by: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default)]
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[output]`: how the output is prepared for a web server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Writes a gzip copy (`FILE.gz`) beside each HTML, CSS, JS, XML and JSON file of at least
    /// [`crate::output::COMPRESS_MIN`] bytes, for nginx's `gzip_static` (default false).
    #[serde(default)]
    pub compress: bool,
}

/// `[images]`: how images from `content/` and `static/` are published.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Images wider than this many pixels are scaled down to it (positive; default 1600).
    #[serde(default = "default_max_width")]
    pub max_width: Spanned<u32>,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            max_width: default_max_width(),
        }
    }
}

fn default_max_width() -> Spanned<u32> {
    unwritten(1600)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// The 错敏词 dictionary, relative to the site root.
    pub words: Option<Spanned<String>>,
    /// Names that must be written exactly, relative to the site root.
    pub leaders: Option<Spanned<String>>,
    /// Days the home page's newest item may age before `check` reports it (default 14).
    pub home_freshness_days: Option<Spanned<u32>>,
}

fn default_language() -> String {
    "zh-CN".into()
}
/// A value config.toml does not write: its span is empty, at the start of the file.
fn unwritten<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}
fn default_theme() -> Spanned<String> {
    unwritten("default".into())
}
fn default_paginate_by() -> Spanned<usize> {
    unwritten(15)
}
fn default_feed_limit() -> Spanned<usize> {
    unwritten(20)
}
fn yes() -> bool {
    true
}
fn default_taxonomies() -> BTreeMap<String, TaxonomyConfig> {
    BTreeMap::from([(
        "tags".to_string(),
        TaxonomyConfig {
            title: "专题".into(),
            feed: true,
            paginate_by: None,
        },
    )])
}

pub const CONFIG_FILE: &str = "config.toml";

/// Messages of this module's `TryFrom` impls carry their hint after this character, so that
/// [`translate_serde_message`] can give it back as the diagnostic's hint.
const HINT_SEP: char = '\u{1f}';

/// `base_url`, checked once where it is read (config.toml or `--base-url`): an http or https
/// URL with a host and no query or fragment. Parsed by the `url` crate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BaseUrl {
    /// `https://example.org/sub` — no trailing slash.
    pub origin_and_path: String,
    /// `/sub` or the empty string; never a trailing slash.
    pub path: String,
}

impl TryFrom<String> for BaseUrl {
    type Error = String;
    fn try_from(raw: String) -> std::result::Result<Self, String> {
        BaseUrl::parse(&raw).map_err(|m| format!("{m}{HINT_SEP}"))
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = String;
    fn from_str(raw: &str) -> std::result::Result<Self, String> {
        BaseUrl::parse(raw)
    }
}

impl BaseUrl {
    /// Parses `http(s)://host[:port][/path][/]`; the error is a message for staff.
    pub fn parse(raw: &str) -> std::result::Result<BaseUrl, String> {
        if !(raw.starts_with("https://") || raw.starts_with("http://")) {
            return Err(format!("base_url `{raw}` 须以 http:// 或 https:// 开头"));
        }
        if raw.contains(['?', '#', ' ']) {
            return Err(format!("base_url `{raw}` 不能含查询串、锚点或空格"));
        }
        let url = url::Url::parse(raw).map_err(|e| match e {
            url::ParseError::EmptyHost => format!("base_url `{raw}` 缺少主机名"),
            _ => format!("base_url `{raw}` 不是有效的网址"),
        })?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("base_url `{raw}` 缺少主机名"))?;
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        let path = url.path().trim_end_matches('/');
        Ok(BaseUrl {
            origin_and_path: format!("{}://{host}{port}{path}", url.scheme()),
            path: path.to_string(),
        })
    }

    /// `https://example.org` — scheme and host without the path.
    pub fn origin(&self) -> &str {
        &self.origin_and_path[..self.origin_and_path.len() - self.path.len()]
    }

    /// A full URL for a site-absolute path (`/news/`).
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.origin_and_path)
    }

    /// The path to put in an `href` for a site-absolute path (`/sub/news/`).
    pub fn href(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.path)
    }
}

/// `timezone`: a fixed UTC offset written `+08:00`, checked once where it is read. Keeps the
/// text as written for templates (`config.timezone`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Timezone {
    pub offset: FixedOffset,
    pub text: String,
}

impl Default for Timezone {
    fn default() -> Self {
        Timezone {
            offset: FixedOffset::east_opt(8 * 3600).expect("valid offset"),
            text: "+08:00".into(),
        }
    }
}

impl TryFrom<String> for Timezone {
    type Error = String;
    fn try_from(text: String) -> std::result::Result<Self, String> {
        match parse_offset(&text) {
            Some(offset) => Ok(Timezone { offset, text }),
            None => Err(format!(
                "timezone `{text}` 不是有效的时区偏移{HINT_SEP}写成 \"+08:00\" 这样的形式"
            )),
        }
    }
}

/// Parses `+08:00` style offsets (chrono's parser, limited to the written form `±HH:MM` and to
/// less than 15 hours either way).
pub fn parse_offset(raw: &str) -> Option<FixedOffset> {
    let b = raw.as_bytes();
    let written_form = b.len() == 6 && matches!(b[0], b'+' | b'-') && b[3] == b':';
    let offset: FixedOffset = raw.parse().ok().filter(|_| written_form)?;
    (offset.local_minus_utc().abs() < 15 * 3600).then_some(offset)
}

impl Config {
    /// Reads and parses `ROOT/config.toml`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !root.is_dir() {
            return Err(Error::refused(root, "站点目录不存在"));
        }
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(Error::one(
                Diagnostic::error(Code::Config, CONFIG_FILE, "找不到站点配置文件 config.toml")
                    .hint("请在站点根目录运行，或用 --root 指定站点目录"),
            ));
        }
        let bytes =
            crate::fs::read_confined(root, &path, crate::fs::MAX_TEXT_FILE).map_err(|why| {
                Error::one(Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    format!("无法读取配置文件：{why}"),
                ))
            })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::one(
                Diagnostic::error(Code::Config, CONFIG_FILE, "config.toml 不是 UTF-8 编码")
                    .hint("用记事本“另存为”，编码选 UTF-8"),
            )
        })?;
        Config::parse(&text).map_err(Error::Site)
    }

    /// Parses config text, checking values a type cannot (positive counts, paths that stay in
    /// the site).
    pub fn parse(text: &str) -> std::result::Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config = toml::from_str(text).map_err(|e| {
            if let Some(found) = crate::lookalike::find_in_toml(text) {
                let pos = Pos::new(found.line, found.column);
                let message = found.message(pos.line, pos.column);
                let d = Diagnostic::error(Code::Config, CONFIG_FILE, message).at_pos(pos);
                return vec![d.hint(found.hint())];
            }
            let pos = e
                .span()
                .map_or(Pos::new(1, 1), |s| Pos::of_offset(text, s.start));
            let line = text.lines().nth(pos.line - 1).unwrap_or("");
            let (mut message, hint) = crate::lookalike::toml_message(e.message().trim(), line)
                .unwrap_or_else(|| translate_serde_message(e.message(), "配置项"));
            // A type error points at the value: name the key written before it.
            if let Some((key, _)) = line
                .split_once('=')
                .filter(|_| message.starts_with("类型错误") || message.starts_with("数值超出范围"))
            {
                message = format!("配置项 `{}` {message}", key.trim());
            }
            let mut d = Diagnostic::error(Code::Config, CONFIG_FILE, message).at_pos(pos);
            d.hint = hint;
            vec![d]
        })?;
        config.text = text.to_string();
        let diags = config.invalid_values();
        if diags.is_empty() {
            Ok(config)
        } else {
            Err(diags)
        }
    }

    /// Values of the right type that are still wrong: a theme that is no folder name, a
    /// dictionary outside the site, a count of zero. Each at the start of its value's line,
    /// where its key is.
    fn invalid_values(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if !is_folder_name(self.theme.get_ref()) {
            diags.push(
                Diagnostic::error(
                    Code::Config,
                    CONFIG_FILE,
                    format!("theme `{}` 不是主题文件夹的名字", self.theme),
                )
                .at(self.pos_of(&self.theme).line, 1)
                .hint("主题放在站点的 themes/ 目录中，这里只写文件夹名，如 \"default\""),
            );
        }
        for (key, path) in [
            ("words", &self.check.words),
            ("leaders", &self.check.leaders),
        ] {
            if let Some(path) = path
                && !is_inside_path(path.get_ref())
            {
                diags.push(
                    Diagnostic::error(
                        Code::Config,
                        CONFIG_FILE,
                        format!("{key} `{path}` 不在站点目录中"),
                    )
                    .at(self.pos_of(path).line, 1)
                    .hint(format!(
                        "这个文件放在站点目录中，写相对路径，如 \"check/{key}.toml\""
                    )),
                );
            }
        }
        for (key, value) in [
            ("paginate_by", &self.paginate_by),
            ("feed_limit", &self.feed_limit),
        ] {
            if *value.get_ref() == 0 {
                diags.push(
                    Diagnostic::error(Code::Config, CONFIG_FILE, format!("{key} 必须大于 0"))
                        .at(self.pos_of(value).line, 1),
                );
            }
        }
        diags.extend(self.repeated_member_groups());
        diags.extend(self.zero_taxonomy_paging());
        let max_width = &self.images.max_width;
        if *max_width.get_ref() == 0 {
            diags.push(
                Diagnostic::error(Code::Config, CONFIG_FILE, "max_width 必须大于 0")
                    .at(self.pos_of(max_width).line, 1)
                    .hint("图片最大宽度，单位为像素，如 1600"),
            );
        }
        diags
    }

    /// A 界别 or 专委会 listed twice in `[members]`: an error at the list's line.
    fn repeated_member_groups(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let lists = [
            ("sectors", "界别", &self.members.sectors),
            ("committees", "专委会", &self.members.committees),
        ];
        for (key, what, names) in lists {
            let mut seen = std::collections::BTreeSet::new();
            for name in names.iter().map(|n| n.trim()) {
                if !seen.insert(name) {
                    let pos = self.key_pos(Some("members"), key).unwrap_or(Pos::new(0, 0));
                    diags.push(
                        Diagnostic::error(
                            Code::Config,
                            CONFIG_FILE,
                            format!("[members] {key} 中的{what}「{name}」重复"),
                        )
                        .at_pos(pos)
                        .hint(format!("每个{what}只写一次")),
                    );
                }
            }
        }
        diags
    }

    /// A taxonomy with `paginate_by = 0` (a division by zero when its pages are listed).
    fn zero_taxonomy_paging(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for (name, taxonomy) in &self.taxonomies {
            if taxonomy.paginate_by == Some(0) {
                // Written inline (`tags = { … }`) or as a table of its own (`[taxonomies.tags]`).
                let pos = self
                    .key_pos(Some("taxonomies"), name)
                    .or_else(|| self.key_pos(Some(&format!("taxonomies.{name}")), "paginate_by"))
                    .unwrap_or(Pos::new(0, 0));
                diags.push(
                    Diagnostic::error(
                        Code::Config,
                        CONFIG_FILE,
                        format!("分类 {name} 的 paginate_by 必须大于 0"),
                    )
                    .at_pos(pos)
                    .hint("每页列出的文章数，如 paginate_by = 20；不分页就删去这一项"),
                );
            }
        }
        diags
    }

    /// Where in `config.toml` a value read with its span stands; line 1, column 1 for a value
    /// the file does not write.
    pub fn pos_of<T>(&self, value: &Spanned<T>) -> Pos {
        Pos::of_offset(&self.text, value.span().start)
    }

    /// The `[footer]` table, empty when config.toml has none.
    pub fn footer(&self) -> &Footer {
        const NONE: &Footer = &Footer {
            organizer: None,
            icp: None,
            police: None,
            site_code: None,
            address: None,
            phone: None,
            conac_image: None,
            conac_url: None,
        };
        self.footer.as_ref().map_or(NONE, Spanned::get_ref)
    }

    /// Where the `[footer]` table is written, if it is.
    pub fn footer_pos(&self) -> Option<Pos> {
        self.footer.as_ref().map(|f| self.pos_of(f))
    }

    /// Where `key` is written in `table` (`None`: the top level, before any table header),
    /// by the file's text: for values read without a span (the footer's strings).
    pub fn key_pos(&self, table: Option<&str>, key: &str) -> Option<Pos> {
        let mut current: Option<&str> = None;
        for (i, line) in self.text.lines().enumerate() {
            let trimmed = line.trim();
            if let Some(header) = trimmed.strip_prefix('[') {
                let name = header.trim_start_matches('[');
                current = Some(name.split(']').next().unwrap_or(name).trim());
                continue;
            }
            let written = trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='));
            if written && current == table {
                return Some(Pos::new(i + 1, 1));
            }
        }
        None
    }

    /// The configured offset.
    pub fn offset(&self) -> FixedOffset {
        self.timezone.offset
    }
}

/// A single folder name: no separators, not `.` or `..`.
fn is_folder_name(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && !s.contains(['/', '\\', ':'])
}

/// A relative path that stays where it starts: not absolute, no drive, no `..`.
fn is_inside_path(s: &str) -> bool {
    let absolute = s.starts_with(['/', '\\']) || s.contains(':');
    !s.is_empty() && !absolute && s.split(['/', '\\']).all(|part| part != "..")
}

/// Turns serde's English messages into short Chinese ones, with a hint where serde lists options.
/// `noun` names what a key is (`配置项`, `字段`).
pub fn translate_serde_message(msg: &str, noun: &str) -> (String, Option<String>) {
    let msg = msg.trim();
    // Our own `TryFrom` messages are Chinese already.
    if let Some((message, hint)) = msg.split_once(HINT_SEP) {
        return (
            message.to_string(),
            Some(hint).filter(|h| !h.is_empty()).map(str::to_string),
        );
    }

    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, p)| p.to_string())
            .collect()
    };
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let names = quoted(rest);
        let key = names.first().cloned().unwrap_or_default();
        let hint = (names.len() > 1).then(|| {
            let list = format!("可用的{noun}有 {}", names[1..].join("、"));
            match crate::error::closest(&key, names[1..].iter().map(String::as_str)) {
                Some(near) => format!("是不是要写 `{near}`？{list}"),
                None => list,
            }
        });
        return (format!("未知{noun} `{key}`"), hint);
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        let key = quoted(rest).into_iter().next().unwrap_or_default();
        return (format!("缺少必填{noun} `{key}`"), None);
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ")
        && let Some((got, want)) = rest.split_once(", expected ")
    {
        // An integer too large for its key: not "expected an integer, got an integer".
        if type_name(want) == type_name(got) {
            return (
                format!("数值超出范围：应为{}", type_name(want)),
                Some("写一个合理大小的数".to_string()),
            );
        }
        return (
            format!(
                "类型错误：应为{}，实际是{}",
                type_name(want),
                type_name(got)
            ),
            None,
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: integer ")
        && let Some((got, want)) = rest.split_once(", expected ")
        && want.starts_with('u')
    {
        let got = got.trim_matches('`');
        return (format!("数值 {got} 不可用：应为正整数"), None);
    }
    if let Some(rest) = msg.strip_prefix("duplicate key") {
        let key = quoted(rest).into_iter().next().unwrap_or_default();
        return (format!("重复的{noun} `{key}`"), None);
    }
    (format!("TOML 语法错误：{msg}"), None)
}

fn type_name(serde_desc: &str) -> String {
    let d = serde_desc.trim();
    let name = if d.contains("string") {
        "字符串"
    } else if d.contains("bool") {
        "布尔值（true/false）"
    } else if d.contains("integer") || d.starts_with('u') || d.starts_with('i') {
        "整数"
    } else if d.contains("float") {
        "数字"
    } else if d.contains("sequence") || d.contains("array") {
        "数组"
    } else if d.contains("map") || d.contains("struct") || d.contains("table") {
        "表"
    } else {
        return d.to_string();
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_sub_path_without_trailing_slash() {
        let b = BaseUrl::parse("https://example.org/sub/").unwrap();
        assert_eq!(b.path, "/sub");
        assert_eq!(b.absolute("/news/"), "https://example.org/sub/news/");
        assert_eq!(b.origin(), "https://example.org");
        assert_eq!(BaseUrl::parse("http://127.0.0.1:1111").unwrap().path, "");
        assert!(BaseUrl::parse("example.org").is_err());
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err =
            Config::parse("title = \"x\"\nbase_url = \"https://a.cn\"\ntitel = 1\n").unwrap_err();
        assert_eq!(err[0].line, 3);
        assert!(err[0].message.contains("titel"), "{}", err[0].message);
    }

    #[test]
    fn wrong_type_names_line() {
        let err =
            Config::parse("title = \"x\"\nbase_url = \"https://a.cn\"\npaginate_by = \"十\"\n")
                .unwrap_err();
        assert_eq!(err[0].line, 3);
        assert!(err[0].message.contains("类型错误"), "{}", err[0].message);
    }

    #[test]
    fn an_integer_too_large_is_out_of_range() {
        let err = Config::parse(
            "title = \"x\"\nbase_url = \"https://a.cn\"\npaginate_by = 99999999999999999999\n",
        )
        .unwrap_err();
        assert_eq!(err[0].line, 3);
        assert_eq!(
            err[0].message, "配置项 `paginate_by` 数值超出范围：应为整数",
            "{}",
            err[0].message
        );
    }

    #[test]
    fn a_sector_listed_twice_is_a_config_error_at_its_line() {
        let err = Config::parse(
            "title = \"x\"\nbase_url = \"https://a.cn\"\n[members]\nsectors = [\"教育界\", \"教育界 \"]\n",
        )
        .unwrap_err();
        assert_eq!(err[0].line, 4);
        assert_eq!(err[0].message, "[members] sectors 中的界别「教育界」重复");
    }

    /// A taxonomy paged by 0 was a division by zero at render time.
    #[test]
    fn a_taxonomy_paged_by_zero_is_a_config_error_at_its_line() {
        let head = "title = \"x\"\nbase_url = \"https://a.cn\"\n";
        for (table, line) in [
            (
                "[taxonomies]\ntags = { title = \"专题\", paginate_by = 0 }\n",
                4,
            ),
            ("[taxonomies.tags]\ntitle = \"专题\"\npaginate_by = 0\n", 5),
        ] {
            let err = Config::parse(&format!("{head}{table}")).unwrap_err();
            assert_eq!(err[0].line, line, "{table}");
            assert_eq!(err[0].message, "分类 tags 的 paginate_by 必须大于 0");
        }
    }

    #[test]
    fn a_value_is_located_at_its_own_key_not_one_of_the_same_name() {
        let err = Config::parse(
            "title = \"x\"\nbase_url = \"https://a.cn\"\n[extra]\nwords = \"a\"\n[check]\nwords = \"../w.toml\"\n",
        )
        .unwrap_err();
        assert_eq!((err[0].line, err[0].column), (6, 1));
        assert!(err[0].message.contains("../w.toml"), "{}", err[0].message);
    }

    #[test]
    fn footer_is_located_where_written_and_empty_when_not() {
        let head = "title = \"x\"\nbase_url = \"https://a.cn\"\n";
        let c = Config::parse(&format!("{head}\n[footer]\nicp = \"1\"\n")).unwrap();
        assert_eq!(c.footer_pos(), Some(Pos::new(4, 1)));
        assert_eq!(c.footer().icp.as_deref(), Some("1"));
        let c = Config::parse(&format!("{head}footer = {{ icp = \"1\" }}\n")).unwrap();
        assert_eq!(c.footer_pos().map(|p| p.line), Some(3));
        let c = Config::parse(head).unwrap();
        assert_eq!(c.footer_pos(), None);
        assert_eq!(c.footer().organizer, None);
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("+08:00").unwrap().local_minus_utc(), 8 * 3600);
        assert_eq!(
            parse_offset("-05:30").unwrap().local_minus_utc(),
            -(5 * 3600 + 1800)
        );
        assert!(parse_offset("08:00").is_none());
        assert!(parse_offset("+0800").is_none());
        assert!(parse_offset("+15:00").is_none());
        assert!(parse_offset("-14:30").is_some());
    }
}
