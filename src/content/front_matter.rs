//! Front matter: split a Markdown file into its TOML (`+++`) or YAML (`---`) header and body, and
//! parse the header into located fields, the same shape for both formats.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::error::Pos;

/// Which syntax a header uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A file cut at its header delimiters. Offsets are bytes into the whole file.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    pub header: &'a str,
    /// Line of the file on which `header` starts (the line after the opening delimiter).
    pub header_line: usize,
    pub body: &'a str,
    /// Line of the file on which `body` starts.
    pub body_line: usize,
}

/// A front-matter value, independent of the syntax it was written in.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// A TOML date or datetime, as written (`2024-03-01`, `2024-03-01T09:00:00+08:00`).
    Datetime(String),
    Array(Vec<Value>),
    Table(Vec<(String, Value)>),
}

impl Value {
    /// A word for the value's type in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "空值",
            Value::Bool(_) => "布尔值",
            Value::Int(_) | Value::Float(_) => "数字",
            Value::String(_) => "字符串",
            Value::Datetime(_) => "日期",
            Value::Array(_) => "数组",
            Value::Table(_) => "表",
        }
    }

    /// Converts to JSON for `extra` and taxonomies, keeping key order.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) | Value::Datetime(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Table(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// One top-level key of the header, with where its key stands in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub pos: Pos,
    pub value: Value,
}

/// A syntax error in the header, located in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// What to do, when more is known than "check the quotes".
    pub hint: Option<String>,
}

impl SyntaxError {
    fn at(pos: Pos, message: impl Into<String>) -> Self {
        SyntaxError {
            pos,
            message: message.into(),
            hint: None,
        }
    }

    /// A full-width look-alike at its place in a header that starts at `first_line`.
    fn look_alike(found: crate::lookalike::LookAlike, first_line: usize) -> Self {
        let pos = shift(Pos::new(found.line, found.column), first_line);
        SyntaxError {
            pos,
            message: found.message(pos.line, pos.column),
            hint: Some(found.hint().into()),
        }
    }
}

/// Finds the header. A file without one is an error: every page needs at least a `title`.
pub fn split(text: &str) -> Result<Split<'_>, SyntaxError> {
    let (format, delim) = if text.starts_with("+++") {
        (Format::Toml, "+++")
    } else if text.starts_with("---") {
        (Format::Yaml, "---")
    } else {
        return Err(SyntaxError::at(
            Pos::new(1, 1),
            "文件开头缺少 front matter（应以 `+++` 或 `---` 开始）",
        ));
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != delim {
        return Err(SyntaxError::at(
            Pos::new(1, 1),
            format!("front matter 的起始行只能是 `{delim}`"),
        ));
    }
    let header_start = (first_line_end + 1).min(text.len());
    let mut offset = header_start;
    for (line, l) in (2..).zip(text[header_start..].split_inclusive('\n')) {
        if l.trim_end() == delim {
            let body_start = offset + l.len();
            return Ok(Split {
                format,
                header: &text[header_start..offset],
                header_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(SyntaxError::at(
        Pos::new(1, 1),
        format!("front matter 没有结束行 `{delim}`"),
    ))
}

/// Parses a header into its top-level fields, in written order.
pub fn parse(split: &Split<'_>) -> Result<Vec<Field>, SyntaxError> {
    match split.format {
        Format::Toml => parse_toml(split.header, split.header_line),
        Format::Yaml => parse_yaml(split.header, split.header_line),
    }
}

fn shift(pos: Pos, first_line: usize) -> Pos {
    Pos::new(pos.line + first_line - 1, pos.column)
}

fn parse_toml(header: &str, first_line: usize) -> Result<Vec<Field>, SyntaxError> {
    let map: Ordered<toml::Spanned<String>> = toml::from_str(header).map_err(|e| {
        if let Some(found) = crate::lookalike::find_in_toml(header) {
            return SyntaxError::look_alike(found, first_line);
        }
        let pos = e
            .span()
            .map_or(Pos::new(1, 1), |s| Pos::of_offset(header, s.start));
        let line = header.lines().nth(pos.line - 1).unwrap_or("");
        let message = e.message().trim();
        match crate::lookalike::toml_message(message, line) {
            Some((message, hint)) => SyntaxError {
                pos: shift(pos, first_line),
                message,
                hint,
            },
            None => SyntaxError::at(shift(pos, first_line), format!("TOML 语法错误：{message}")),
        }
    })?;
    Ok(map
        .0
        .into_iter()
        .map(|(k, value)| {
            let pos = shift(Pos::of_offset(header, k.span().start), first_line);
            Field {
                key: k.into_inner(),
                pos,
                value,
            }
        })
        .collect())
}

fn parse_yaml(header: &str, first_line: usize) -> Result<Vec<Field>, SyntaxError> {
    if header.trim().is_empty() {
        return Ok(Vec::new());
    }
    // YAML may read `source：办公室` as part of the line before, without an error.
    if let Some(found) = crate::lookalike::find_in_yaml(header) {
        return Err(SyntaxError::look_alike(found, first_line));
    }
    let map: Ordered<serde_saphyr::Spanned<String>> =
        serde_saphyr::from_str(header).map_err(|e| {
            let pos = e.location().map_or(Pos::new(1, 1), |l| {
                Pos::new(l.line().max(1) as usize, l.column().max(1) as usize)
            });
            let text = e.to_string();
            let message = yaml_message(&text);
            if message.starts_with("mapping values are not allowed") {
                // `title: 会议: 副标题`, the commonest: a colon and a space inside a value.
                return SyntaxError {
                    pos: shift(pos, first_line),
                    message: "值里有英文冒号加空格（: ），YAML 会把它当成新的字段".into(),
                    hint: Some("整个值用英文双引号括起来，如 title: \"会议: 副标题\"".into()),
                };
            }
            SyntaxError::at(shift(pos, first_line), format!("YAML 语法错误：{message}"))
        })?;
    Ok(map
        .0
        .into_iter()
        .map(|(k, value)| {
            let l = k.referenced;
            Field {
                key: k.value,
                pos: shift(
                    Pos::new(l.line().max(1) as usize, l.column().max(1) as usize),
                    first_line,
                ),
                value,
            }
        })
        .collect())
}

/// The first line of a YAML error without its own `error: line N column M:` prefix, whose
/// numbers count from the header rather than the file.
fn yaml_message(s: &str) -> &str {
    let first = s.lines().next().unwrap_or(s).trim();
    let rest = first.strip_prefix("error:").unwrap_or(first).trim_start();
    match rest.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((_, msg)) => msg,
        None => rest,
    }
}

/// A map read in written order, whatever its key type.
struct Ordered<K>(Vec<(K, Value)>);

impl<'de, K: Deserialize<'de>> Deserialize<'de> for Ordered<K> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<K>(std::marker::PhantomData<K>);
        impl<'de, K: Deserialize<'de>> Visitor<'de> for V<K> {
            type Value = Ordered<K>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Ordered(Vec::new()))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// TOML hands datetimes to serde as a one-key map with this key.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                i64::try_from(v)
                    .map(Value::Int)
                    .map_err(|_| E::custom("整数过大"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::String(v))
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                Value::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut entries: Vec<(String, Value)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == TOML_DATETIME_KEY {
                        let text: String = map.next_value()?;
                        return Ok(Value::Datetime(text));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Value::Table(entries))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_fields_keep_order_and_file_lines() {
        let text =
            "+++\ntitle = \"会议\"\ndate = 2024-03-01\n[taxonomies]\ntags = [\"a\"]\n+++\n正文\n";
        let s = split(text).unwrap();
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 7);
        let fields = parse(&s).unwrap();
        assert_eq!(fields[0].key, "title");
        assert_eq!(fields[0].pos, Pos::new(2, 1));
        assert_eq!(fields[1].value, Value::Datetime("2024-03-01".into()));
        assert_eq!(fields[2].key, "taxonomies");
    }

    #[test]
    fn yaml_fields_keep_file_lines() {
        let text = "---\ntitle: 会议\ndraft: true\ntags: [a, b]\n---\n正文";
        let fields = parse(&split(text).unwrap()).unwrap();
        assert_eq!(fields[1].key, "draft");
        assert_eq!(fields[1].pos.line, 3);
        assert_eq!(fields[1].value, Value::Bool(true));
    }

    #[test]
    fn toml_syntax_error_is_located_in_the_file() {
        let text = "+++\ntitle = \"a\"\ndate = = 1\n+++\n";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(err.pos.line, 3);
    }

    #[test]
    fn yaml_syntax_error_is_located_in_the_file() {
        let text = "---\ntitle: a\ntags: [a, b\n---\n";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert!(err.pos.line >= 3, "{err:?}");
    }

    #[test]
    fn syntax_errors_staff_make_are_said_in_chinese_at_their_line() {
        let err = |text: &str| parse(&split(text).unwrap()).unwrap_err();
        let e = err("---\ntitle: 会议: 副标题\n---\n");
        assert_eq!(e.pos.line, 2);
        assert!(e.message.starts_with("值里有英文冒号加空格"), "{e:?}");
        let e = err("+++\ntitle = \"a\"\nsource = 区政协办公室\n+++\n");
        assert_eq!(
            (e.pos.line, e.message.as_str()),
            (3, "`source` 的值要用英文双引号括起来")
        );
        let e = err("+++\ndate = 2026-02-30\n+++\n");
        assert_eq!(e.message, "日期 2026-02-30 不存在：这个月只有 28 天");
    }

    #[test]
    fn missing_or_unclosed_header() {
        assert!(split("# 标题\n").is_err());
        assert!(split("+++\ntitle = \"a\"\n").is_err());
    }
}
