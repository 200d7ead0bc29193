//! Tera loading: the embedded default theme, a theme on disk and the site's `templates/`,
//! overriding by name, with errors located in the template file that has them.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::{ErrorKind, Kwargs, State, Tera};

use crate::config::Config;
use crate::dates::{format_zh, parse_datetime, weekday_zh};
use crate::error::{Code, Diagnostic, Error, Result};
use crate::fs::{Hidden, MAX_TEXT_FILE, files_under, read_confined, slash_path};

/// The default theme, compiled in so a site without `themes/` builds.
pub static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Loaded templates and, per template name, the site-relative file it came from.
pub struct Templates {
    pub tera: Tera,
    /// Per template name, the file it was read from.
    pub sources: BTreeMap<String, String>,
    /// Per template name, a hash of its text and of every template it uses.
    pub fingerprints: BTreeMap<String, u64>,
    /// A hash of what every template sees: the globals [`super::set_globals`] put in.
    pub globals: u64,
}

impl Templates {
    /// The hash of template `name` and what it uses (0 for a template that does not exist).
    pub fn fingerprint(&self, name: &str) -> u64 {
        self.fingerprints.get(name).copied().unwrap_or(0)
    }
}

/// Per template name, a hash of its text and of every template it uses, directly or not.
/// A template is taken to use another when it names it in quotes (`{% extends "base.html"
/// %}`, `{% include "partials/nav.html" %}`, `{% import "macros.html" as m %}`), which may
/// count a template too many but never one too few for names written out.
fn fingerprints(texts: &BTreeMap<String, String>) -> BTreeMap<String, u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let uses: BTreeMap<&str, Vec<&str>> = texts
        .iter()
        .map(|(name, text)| {
            let used = texts
                .keys()
                .filter(|other| *other != name)
                .filter(|other| {
                    text.contains(&format!("\"{other}\"")) || text.contains(&format!("'{other}'"))
                })
                .map(String::as_str)
                .collect();
            (name.as_str(), used)
        })
        .collect();
    texts
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![name.as_str()];
            while let Some(n) = stack.pop() {
                if seen.insert(n) {
                    stack.extend(uses.get(n).into_iter().flatten());
                }
            }
            let mut h = DefaultHasher::new();
            for n in seen {
                (n, &texts[n]).hash(&mut h);
            }
            (name.clone(), h.finish())
        })
        .collect()
}

/// One static file a theme ships: output path (relative) and where its bytes come from.
pub enum ThemeFile {
    Embedded(&'static [u8]),
    Disk(std::path::PathBuf),
}

/// Templates of the embedded theme, the configured theme on disk, then the site's own.
pub fn load(root: &Path, config: &Config) -> Result<Templates> {
    let mut raw: BTreeMap<String, (String, String)> = BTreeMap::new();
    if config.theme.get_ref() == "default"
        && let Some(dir) = DEFAULT_THEME.get_dir("templates")
    {
        for file in embedded_files(dir) {
            let name = file.path().strip_prefix("templates").unwrap_or(file.path());
            let name = name.to_string_lossy().replace('\\', "/");
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            raw.insert(
                name.clone(),
                (format!("themes/default/templates/{name}"), text),
            );
        }
    }
    let theme_dir = root.join("themes").join(config.theme.get_ref());
    if config.theme.get_ref() != "default" && !theme_dir.is_dir() {
        return Err(Error::one(
            Diagnostic::error(
                Code::Config,
                "config.toml",
                format!("找不到主题 `{}`", config.theme),
            )
            .at(config.pos_of(&config.theme).line, 1)
            .hint(format!("主题应位于 themes/{}/", config.theme)),
        ));
    }
    read_dir_templates(root, &theme_dir.join("templates"), &mut raw)?;
    read_dir_templates(root, &root.join("templates"), &mut raw)?;

    let mut diags = Vec::new();
    // Parse each alone first, so every file with a syntax error is reported, not only the first.
    for (name, (source, text)) in &raw {
        let mut single = Tera::new();
        if let Err(e) = single.add_raw_template(name, text)
            && matches!(e.kind(), ErrorKind::SyntaxError(_))
        {
            diags.push(template_diagnostic(&e, source));
        }
    }
    if !diags.is_empty() {
        return Err(Error::Site(diags));
    }
    let mut tera = Tera::new();
    register_filters(&mut tera, config.offset());
    let sources: BTreeMap<String, String> = raw
        .iter()
        .map(|(n, (s, _))| (n.clone(), s.clone()))
        .collect();
    tera.add_raw_templates(raw.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        .map_err(|e| Error::one(error_to_diagnostic(&e, &sources)))?;
    let texts = raw.into_iter().map(|(n, (_, t))| (n, t)).collect();
    Ok(Templates {
        tera,
        sources,
        fingerprints: fingerprints(&texts),
        globals: 0,
    })
}

fn embedded_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(embedded_files(sub));
    }
    out
}

fn read_dir_templates(
    root: &Path,
    dir: &Path,
    raw: &mut BTreeMap<String, (String, String)>,
) -> Result<()> {
    for (name, path) in files_under(root, dir, Hidden::Skip, "无法读取模板目录")? {
        let source = slash_path(&path, root);
        let text = read_confined(root, &path, MAX_TEXT_FILE)
            .and_then(|b| String::from_utf8(b).map_err(|_| "不是 UTF-8 编码的文本".to_string()))
            .map_err(|why| {
                Error::one(Diagnostic::error(
                    Code::Template,
                    &source,
                    format!("无法读取模板：{why}"),
                ))
            })?;
        raw.insert(name, (source, text));
    }
    Ok(())
}

/// Static files of the theme: embedded for `default` (unless the site has it on disk), else disk.
pub fn theme_static_files(root: &Path, config: &Config) -> Result<Vec<(String, ThemeFile)>> {
    let disk = root
        .join("themes")
        .join(config.theme.get_ref())
        .join("static");
    if disk.is_dir() {
        let files = files_under(root, &disk, Hidden::Include, "无法读取主题静态文件")?;
        return Ok(files
            .into_iter()
            .map(|(rel, path)| (rel, ThemeFile::Disk(path)))
            .collect());
    }
    if config.theme.get_ref() != "default" {
        return Ok(Vec::new());
    }
    Ok(DEFAULT_THEME
        .get_dir("static")
        .map(|d| {
            embedded_files(d)
                .into_iter()
                .map(|f| {
                    let rel = slash_path(f.path(), Path::new("static"));
                    (rel, ThemeFile::Embedded(f.contents()))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// A Tera error as a diagnostic on the template file and line that caused it.
pub fn error_to_diagnostic(e: &tera::Error, sources: &BTreeMap<String, String>) -> Diagnostic {
    let file_of = |name: &str| {
        sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            template_diagnostic(e, &file_of(r.filename()))
        }
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            Code::Template,
            file_of(name),
            format!("找不到模板 `{name}`"),
        )
        .hint("检查 template 字段或 templates/ 目录中的文件名"),
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            Code::Template,
            file_of(current),
            format!("模板继承的父模板 `{parent}` 不存在"),
        ),
        ErrorKind::CircularExtend { tpl, .. } => {
            Diagnostic::error(Code::Template, file_of(tpl), "模板循环继承")
        }
        other => Diagnostic::error(
            Code::Template,
            "templates",
            format!("模板错误：{}", first_line(&other.to_string())),
        ),
    }
}

fn template_diagnostic(e: &tera::Error, file: &str) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let what = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                "模板语法错误"
            } else {
                "模板渲染错误"
            };
            let (message, hint) = translate_tera_message(r.message());
            let mut d = Diagnostic::error(Code::Template, file, format!("{what}：{message}"))
                .at(r.span().start_line.max(1), r.span().start_col + 1);
            d.hint = hint;
            d
        }
        other => Diagnostic::error(
            Code::Template,
            file,
            first_line(&other.to_string()).to_string(),
        ),
    }
}

/// Tera's most common messages in Chinese; others pass through.
fn translate_tera_message(msg: &str) -> (String, Option<String>) {
    let name = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if msg.starts_with("Field `") && msg.contains("is not defined") {
        let hint = msg.split_once("Available fields: ").map(|(_, f)| {
            format!(
                "可用的字段有 {}",
                f.trim_end_matches('.').replace(", ", "、")
            )
        });
        return (format!("字段 `{}` 未定义", name(msg)), hint);
    }
    if msg.starts_with("Variable `") && msg.contains("is not defined") {
        return (format!("变量 `{}` 未定义", name(msg)), None);
    }
    if msg.starts_with("Filter `") && msg.contains("not found") || msg.contains("Unknown filter") {
        return (format!("过滤器 `{}` 不存在", name(msg)), None);
    }
    (msg.to_string(), None)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Filters themes may use: `date_zh` (2019年2月25日), `weekday_zh` (星期一), `date_iso` (2019-02-25),
/// `date_minute` (2019-02-25 09:30), each of the date in the site's `offset`.
fn register_filters(tera: &mut Tera, offset: chrono::FixedOffset) {
    // Named here so templates that call it parse; `set_globals` puts in the site's own.
    tera.register_function("asset_url", |kwargs: Kwargs, _: &State| {
        kwargs.must_get::<&str>("path").map(str::to_string)
    });
    tera.register_filter("date_zh", move |s: &str, _: Kwargs, _: &State| {
        parse_datetime(s, offset).map_or_else(String::new, |d| format_zh(&d))
    });
    tera.register_filter("weekday_zh", move |s: &str, _: Kwargs, _: &State| {
        parse_datetime(s, offset)
            .map_or("", |d| weekday_zh(&d))
            .to_string()
    });
    tera.register_filter("date_iso", move |s: &str, _: Kwargs, _: &State| {
        parse_datetime(s, offset).map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
    });
    // The form the 政府网站网页设计规范 gives for the `PubDate` meta tag.
    tera.register_filter("date_minute", move |s: &str, _: Kwargs, _: &State| {
        parse_datetime(s, offset)
            .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M").to_string())
    });
}
