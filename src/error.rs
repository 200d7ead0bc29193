//! Diagnostics: located, levelled messages in the SPEC format, and the error type that carries them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Allowed,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Allowed => "allowed",
        }
    }
}

/// What kind of problem a diagnostic reports: SPEC's list under Checks, plus `unsafe-html`,
/// `io` and `refused`. Printed and serialized as its kebab-case name
/// (`front-matter`), which `allow` may also name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// `config.toml` (or the 错敏词 dictionary it names) cannot be read or is wrong.
    Config,
    /// A page's header is missing, unclosed or not valid TOML/YAML.
    FrontMatter,
    /// A front-matter field that is unknown, of the wrong type or against its kind's rules.
    Field,
    /// A template that is missing, fails to parse or fails to render.
    Template,
    /// Two outputs with one URL.
    DuplicateUrl,
    /// An internal link to no page, a draft or a future page.
    Link,
    /// A `#fragment` the target page has no heading id for.
    Anchor,
    /// An image or file link to no output file.
    MissingFile,
    /// A 错敏词 hit; its level is the rule's.
    Word,
    /// Personal data: a 身份证号 or a mobile number.
    Pii,
    /// A 栏目 whose newest page is older than its `freshness_days`.
    StaleSection,
    /// A 栏目 with no published page in it or its subsections.
    EmptySection,
    /// The footer identity (主办单位, ICP备案号) missing from `config.toml`.
    Footer,
    /// A link or image URL with a scheme that could run code.
    UnsafeUrl,
    /// A leader's name from `check/leaders.toml` written wrongly.
    Name,
    /// The home page's newest item older than `home_freshness_days`.
    HomeStale,
    /// An `http://` image, script or frame on an `https` site, which browsers block or flag.
    /// Not in SPEC's table, which has no code for it; a warning.
    MixedContent,
    /// An image without alt text.
    Alt,
    /// A page with no body.
    EmptyPage,
    /// A page dated after today, left unpublished until then.
    Future,
    /// One title twice in a section.
    SameTitle,
    /// A file transcoded from GBK/GB18030 or UTF-16, or in no encoding tongxin reads.
    Encoding,
    /// An element id twice in one page.
    DuplicateId,
    /// A file under `content/` that no page links to.
    UnlinkedFile,
    /// Placeholder text from `tongxin new` left in.
    Placeholder,
    /// Full-width brackets or marks where Markdown syntax was meant.
    Punctuation,
    /// An external link that fails (`check --external`).
    ExternalLink,
    /// Raw HTML with a script, or nested too deep to be parsed.
    UnsafeHtml,
    /// An image in `content/` or `static/` that cannot be read as JPEG or PNG.
    Image,
    /// A file-system failure or a symlink that leaves the site.
    Io,
    /// A command refused: a non-empty `init` folder, an output folder not ours …
    Refused,
}

impl Code {
    /// The name SPEC gives the code, as printed (`front-matter`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Config => "config",
            Code::FrontMatter => "front-matter",
            Code::Field => "field",
            Code::Template => "template",
            Code::DuplicateUrl => "duplicate-url",
            Code::Link => "link",
            Code::Anchor => "anchor",
            Code::MissingFile => "missing-file",
            Code::Word => "word",
            Code::Pii => "pii",
            Code::StaleSection => "stale-section",
            Code::EmptySection => "empty-section",
            Code::Footer => "footer",
            Code::UnsafeUrl => "unsafe-url",
            Code::Name => "name",
            Code::HomeStale => "home-stale",
            Code::MixedContent => "mixed-content",
            Code::Alt => "alt",
            Code::EmptyPage => "empty-page",
            Code::Future => "future",
            Code::SameTitle => "same-title",
            Code::Encoding => "encoding",
            Code::DuplicateId => "duplicate-id",
            Code::UnlinkedFile => "unlinked-file",
            Code::Placeholder => "placeholder",
            Code::Punctuation => "punctuation",
            Code::ExternalLink => "external-link",
            Code::UnsafeHtml => "unsafe-html",
            Code::Image => "image",
            Code::Io => "io",
            Code::Refused => "refused",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One reported problem, located in a file of the site (path relative to the site root, `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem has no line.
    pub line: usize,
    /// 1-based, in characters; 0 when unknown.
    pub column: usize,
    pub level: Level,
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            level: Level::Error,
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn at_pos(self, pos: Pos) -> Self {
        self.at(pos.line, pos.column)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Sort key: file, then line, then column.
    pub fn sort_key(&self) -> (&str, usize, usize) {
        (&self.file, self.line, self.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(
            f,
            ": {}[{}]: {}",
            self.level.as_str(),
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示：{hint}")?;
        }
        Ok(())
    }
}

/// A line and column in a file, both 1-based, the column counted in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// A value read from a file, with where its key was written: what a later diagnostic about
/// the value points at, so that no check has to find the key again. Reads as the value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Located<T> {
    pub value: T,
    /// The position of the value's key; [`Pos::default`] (line 0) when it has none.
    pub pos: Pos,
}

impl<T> Located<T> {
    /// `value`, written at `pos`.
    pub fn new(value: T, pos: Pos) -> Self {
        Located { value, pos }
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files, each located.
    #[error("{}", display_diagnostics(.0))]
    Site(Vec<Diagnostic>),
    /// A file-system failure, with the path it concerns.
    #[error("{}: error[{}]: {message}：{}", path.display(), Code::Io, io_reason(source))]
    Io {
        path: PathBuf,
        message: &'static str,
        source: std::io::Error,
    },
    /// A refusal or misuse (`init` into a non-empty folder, an output folder that is not ours …),
    /// printed in the diagnostic format with the path it concerns.
    #[error("{path}: error[{}]: {message}", Code::Refused)]
    Refused { path: String, message: String },
}

/// Why a file-system call failed, in plain Chinese for the causes staff meet (a missing
/// folder, no permission, a full or read-only disk); other causes as the system words them.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let said = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限（请检查文件夹的权限，或换一个位置）",
        K::AlreadyExists => "已经存在",
        K::StorageFull => "磁盘空间已满",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::FileTooLarge => "文件太大",
        K::InvalidFilename => "文件名太长或含有不能用的字符",
        _ => return e.to_string(),
    };
    said.into()
}

/// The name among `known` that `written` most likely meant (`titel` → `title`, `sorce` →
/// `source`): at most two edits away (a swap of neighbours counts as one), and fewer than the
/// name is long; `None` when nothing is that close.
pub fn closest<'k>(written: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let limit = 2.min(written.chars().count().saturating_sub(2));
    known
        .into_iter()
        .map(|k| (strsim::osa_distance(written, k), k))
        .filter(|&(d, _)| d > 0 && d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

fn display_diagnostics(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn io(path: &Path, message: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            message,
            source,
        }
    }

    /// A refusal concerning `path` (shown relative to the site root where it is inside it).
    pub fn refused(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::Refused {
            path: path.as_ref().to_string_lossy().replace('\\', "/"),
            message: message.into(),
        }
    }

    pub fn one(diag: Diagnostic) -> Self {
        Error::Site(vec![diag])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_name_is_offered_and_a_far_one_is_not() {
        let known = ["title", "source", "date", "tags"];
        assert_eq!(closest("titel", known), Some("title"));
        assert_eq!(closest("sorce", known), Some("source"));
        assert_eq!(closest("dat", known), Some("date"));
        assert_eq!(closest("colour", known), None);
        assert_eq!(closest("ab", known), None, "too short to guess");
    }

    #[test]
    fn file_system_failures_are_said_in_chinese() {
        let missing = std::fs::read("/nonexistent-tongxin-test/x").unwrap_err();
        let e = Error::io(
            Path::new("/nonexistent-tongxin-test/x"),
            "无法读取",
            missing,
        );
        assert_eq!(
            e.to_string(),
            "/nonexistent-tongxin-test/x: error[io]: 无法读取：文件或目录不存在"
        );
        // A cause not worded here keeps the system's words.
        let other = std::io::Error::other("设备忙");
        assert_eq!(io_reason(&other), "设备忙");
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "+++\ntitle = \"政协\"x\n";
        let off = text.find('x').unwrap();
        assert_eq!(Pos::of_offset(text, off), Pos::new(2, 13));
    }

    #[test]
    fn diagnostic_prints_in_spec_format() {
        let d = Diagnostic::error(Code::Field, "content/a.md", "未知字段 `x`")
            .at(4, 1)
            .hint("可用的字段有 title");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:1: error[field]: 未知字段 `x`\n  提示：可用的字段有 title"
        );
        let d = Diagnostic::error(Code::Footer, "config.toml", "缺少主办单位");
        assert_eq!(d.to_string(), "config.toml: error[footer]: 缺少主办单位");
    }

    #[test]
    fn codes_print_and_serialize_as_their_spec_names() {
        let d = Diagnostic::warning(Code::FrontMatter, "content/a.md", "缺少结束行").at(2, 1);
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: warning[front-matter]: 缺少结束行"
        );
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["code"], "front-matter");
        assert_eq!(Code::DuplicateUrl.to_string(), "duplicate-url");
    }
}
