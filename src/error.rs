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
    /// Listed for the reader, counted nowhere (`check --external`).
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Allowed => "allowed",
            Level::Info => "info",
        }
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
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
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

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
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

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files, each located.
    #[error("{}", display_diagnostics(.0))]
    Site(Vec<Diagnostic>),
    /// A file-system failure, with the path it concerns.
    #[error("{}: error[io]: {message}：{source}", path.display())]
    Io {
        path: PathBuf,
        message: &'static str,
        source: std::io::Error,
    },
    /// A refusal or misuse (`init` into a non-empty folder, an output folder that is not ours …),
    /// printed in the diagnostic format with the path it concerns.
    #[error("{path}: error[refused]: {message}")]
    Refused { path: String, message: String },
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
    fn position_counts_characters_not_bytes() {
        let text = "+++\ntitle = \"政协\"x\n";
        let off = text.find('x').unwrap();
        assert_eq!(Pos::of_offset(text, off), Pos::new(2, 13));
    }

    #[test]
    fn diagnostic_prints_in_spec_format() {
        let d = Diagnostic::error("field", "content/a.md", "未知字段 `x`")
            .at(4, 1)
            .hint("可用的字段有 title");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:1: error[field]: 未知字段 `x`\n  提示：可用的字段有 title"
        );
        let d = Diagnostic::error("footer", "config.toml", "缺少主办单位");
        assert_eq!(d.to_string(), "config.toml: error[footer]: 缺少主办单位");
    }
}
