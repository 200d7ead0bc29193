//! Edits of a page's front matter that keep what the author wrote: only the keys the editor
//! changed are rewritten, each on its own line with its trailing comment kept; every other
//! line, comment and blank line of the header, and the whole body, stay byte for byte.
//!
//! Top-level keys are edited (the fields of every kind are top-level), and keys of one table
//! named `table.key` (`taxonomies.tags`). A key written commented out, as `new` writes optional
//! fields (`# cover = "…"   # 封面图`), is taken up in place when it is set; a key not written
//! at all goes after the last line of its table (top level: before the first table).

use chrono::NaiveDate;

use crate::content::front_matter::{self, Format};

/// A value the editor writes.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    Str(String),
    Bool(bool),
    Int(i64),
    Date(NaiveDate),
    List(Vec<String>),
}

/// One change: set a key, or remove it (`None`).
pub type Change = (String, Option<NewValue>);

/// `text` (a whole page file) with `changes` applied to its header and `body` in place of its
/// body. Errors: the header cannot be found, or a key name the editor cannot write.
pub fn apply(text: &str, changes: &[Change], body: &str) -> Result<String, String> {
    let split = front_matter::split(text).map_err(|e| e.message)?;
    let header_start = split.header.as_ptr() as usize - text.as_ptr() as usize;
    let header_end = header_start + split.header.len();
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = split
        .header
        .split_inclusive('\n')
        .map(str::to_string)
        .collect();
    for (name, value) in changes {
        let (table, key) = match name.split_once('.') {
            Some((t, k)) => (Some(t), k),
            None => (None, name.as_str()),
        };
        if !is_bare_key(key) || table.is_some_and(|t| !is_bare_key(t)) {
            return Err(format!("字段名 `{name}` 无效"));
        }
        match (split.format, table) {
            (Format::Toml, None) => {
                let end = top_level_end(&lines);
                set_toml(&mut lines, (0, end), key, value.as_ref(), newline);
            }
            (Format::Toml, Some(t)) => set_toml_table(&mut lines, t, key, value.as_ref(), newline)?,
            (Format::Yaml, None) => set_yaml(&mut lines, key, value.as_ref(), newline),
            (Format::Yaml, Some(t)) => set_yaml_table(&mut lines, t, key, value.as_ref(), newline),
        }
    }
    let body = if newline == "\r\n" {
        body.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        body.to_string()
    };
    Ok(format!(
        "{}{}{}{}",
        &text[..header_start],
        lines.concat(),
        &text[header_end..body_start],
        body
    ))
}

fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Where a TOML line's top-level region ends: the first table header.
fn top_level_end(lines: &[String]) -> usize {
    lines
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .unwrap_or(lines.len())
}

/// `key` of table `table` (`[table]`), the table added at the end when it is not written. A
/// table written inline (`taxonomies = { … }`) is left to a text editor.
fn set_toml_table(
    lines: &mut Vec<String>,
    table: &str,
    key: &str,
    value: Option<&NewValue>,
    newline: &str,
) -> Result<(), String> {
    let top = top_level_end(lines);
    if (0..top).any(|i| toml_key_of(&lines[i]) == Some(table)) {
        return Err(format!("`{table}` 写成了一行的形式，请在文本编辑器中修改"));
    }
    let header = format!("[{table}]");
    let Some(at) = lines.iter().position(|l| l.trim() == header) else {
        if let Some(v) = value {
            let at = insertion_point(lines, lines.len());
            lines.insert(at, format!("{header}{newline}"));
            lines.insert(at + 1, format!("{key} = {}{newline}", toml_value(v)));
        }
        return Ok(());
    };
    let end = (at + 1..lines.len())
        .find(|&i| lines[i].trim_start().starts_with('['))
        .unwrap_or(lines.len());
    set_toml(lines, (at + 1, end), key, value, newline);
    Ok(())
}

/// `key` within `lines[region]`.
fn set_toml(
    lines: &mut Vec<String>,
    region: (usize, usize),
    key: &str,
    value: Option<&NewValue>,
    newline: &str,
) {
    let (start, end) = region;
    let found = (start..end).find(|&i| toml_key_of(&lines[i]) == Some(key));
    let written = value.map(toml_value);
    if let Some(i) = found {
        // The value may go on over several lines (an array, a multi-line string).
        let (value_lines, comment) = toml_value_extent(&lines[i..end]);
        let prefix_len = lines[i].find('=').map_or(0, |p| p + 1);
        let prefix = lines[i][..prefix_len].to_string();
        lines.drain(i..i + value_lines);
        if let Some(v) = written {
            lines.insert(
                i,
                line_with_comment(&format!("{prefix} {v}"), &comment, newline),
            );
        }
        return;
    }
    let Some(v) = written else {
        return;
    };
    // Commented out as `new` writes it: `# cover = "…"   # 封面图`.
    if let Some(i) = (start..end).find(|&i| commented_key(&lines[i], '=') == Some(key)) {
        let comment = trailing_comment(lines[i].trim_start().trim_start_matches('#'));
        lines[i] = line_with_comment(&format!("{key} = {v}"), &comment, newline);
        return;
    }
    let at = insertion_point(lines, end).max(start);
    lines.insert(at, format!("{key} = {v}{newline}"));
}

/// `key` of the mapping `table:` (its keys indented below it), added when not written.
fn set_yaml_table(
    lines: &mut Vec<String>,
    table: &str,
    key: &str,
    value: Option<&NewValue>,
    newline: &str,
) {
    let written = value.map(yaml_value);
    let Some(at) = lines.iter().position(|l| yaml_key_of(l) == Some(table)) else {
        if let Some(v) = written {
            let at = insertion_point(lines, lines.len());
            lines.insert(at, format!("{table}:{newline}"));
            lines.insert(at + 1, format!("  {key}: {v}{newline}"));
        }
        return;
    };
    let indented = |l: &String| l.starts_with(' ') || l.starts_with('\t');
    let end = (at + 1..lines.len())
        .find(|&i| !indented(&lines[i]) && !lines[i].trim().is_empty())
        .unwrap_or(lines.len());
    let child = (at + 1..end).find(|&i| {
        let t = lines[i].trim_start();
        t.split_once(':').is_some_and(|(k, _)| k.trim() == key) && !t.starts_with('-')
    });
    let Some(i) = child else {
        if let Some(v) = written {
            let at = insertion_point(lines, end).max(at + 1);
            lines.insert(at, format!("  {key}: {v}{newline}"));
        }
        return;
    };
    let indent = lines[i].len() - lines[i].trim_start().len();
    let mut n = 1;
    while i + n < end {
        let l = &lines[i + n];
        let deeper = l.len() - l.trim_start().len() > indent;
        let item = l.trim_start().starts_with("- ") && l.len() - l.trim_start().len() >= indent;
        if deeper || item {
            n += 1;
        } else {
            break;
        }
    }
    let pad = lines[i][..indent].to_string();
    lines.drain(i..i + n);
    if let Some(v) = written {
        lines.insert(i, format!("{pad}{key}: {v}{newline}"));
    }
}

fn set_yaml(lines: &mut Vec<String>, key: &str, value: Option<&NewValue>, newline: &str) {
    let end = lines.len();
    let found = (0..end).find(|&i| yaml_key_of(&lines[i]) == Some(key));
    let written = value.map(yaml_value);
    if let Some(i) = found {
        // A block value continues on indented lines and `- ` items.
        let mut n = 1;
        while i + n < end {
            let l = &lines[i + n];
            if l.starts_with(' ') || l.starts_with('\t') || l.starts_with("- ") {
                n += 1;
            } else {
                break;
            }
        }
        let first = lines[i].clone();
        let after_colon = &first[first.find(':').map_or(0, |p| p + 1)..];
        let comment = trailing_comment(after_colon);
        lines.drain(i..i + n);
        if let Some(v) = written {
            lines.insert(
                i,
                line_with_comment(&format!("{key}: {v}"), &comment, newline),
            );
        }
        return;
    }
    let Some(v) = written else {
        return;
    };
    if let Some(i) = (0..end).find(|&i| commented_key(&lines[i], ':') == Some(key)) {
        let comment = trailing_comment(lines[i].trim_start().trim_start_matches('#'));
        lines[i] = line_with_comment(&format!("{key}: {v}"), &comment, newline);
        return;
    }
    let at = insertion_point(lines, end);
    lines.insert(at, format!("{key}: {v}{newline}"));
}

/// After the last non-blank line before `end`.
fn insertion_point(lines: &[String], end: usize) -> usize {
    (0..end)
        .rev()
        .find(|&i| !lines[i].trim().is_empty())
        .map_or(0, |i| i + 1)
}

/// `text` then the kept comment (with its own spacing, at least one space), then the line end.
fn line_with_comment(text: &str, comment: &str, newline: &str) -> String {
    if comment.is_empty() {
        return format!("{text}{newline}");
    }
    let spaces = comment.len() - comment.trim_start().len();
    let pad = " ".repeat(spaces.max(1));
    format!("{text}{pad}{}{newline}", comment.trim())
}

/// The key of a TOML `key = value` line (bare or quoted), if it is one.
fn toml_key_of(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let (key, _) = t.split_once('=')?;
    let key = key.trim();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(key);
    is_bare_key(key).then_some(key)
}

fn yaml_key_of(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    is_bare_key(key).then_some(key)
}

/// `# key = …` or `# key: …`: the key of a line that is commented out.
fn commented_key(line: &str, sep: char) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let (key, _) = rest.split_once(sep)?;
    let key = key.trim();
    is_bare_key(key).then_some(key)
}

/// How many lines the value of the `key = value` line at `lines[0]` takes, and the comment
/// after it on its last line (with the spaces before it), or "".
fn toml_value_extent(lines: &[String]) -> (usize, String) {
    let mut depth = 0i32;
    let mut in_basic = false;
    let mut in_literal = false;
    let mut multi: Option<&[u8]> = None;
    for (n, line) in lines.iter().enumerate() {
        let start = if n == 0 {
            line.find('=').map_or(0, |p| p + 1)
        } else {
            0
        };
        let bytes = line.as_bytes();
        let mut i = start;
        while i < bytes.len() {
            // Bytes, not `str` slices: `i` may stand inside a multi-byte character.
            let rest = &bytes[i..];
            if let Some(close) = multi {
                if rest.starts_with(close) {
                    multi = None;
                    i += 3;
                } else {
                    i += if bytes[i] == b'\\' && close == b"\"\"\"" {
                        2
                    } else {
                        1
                    };
                }
                continue;
            }
            if in_basic {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'"' => in_basic = false,
                    _ => {}
                }
                i += 1;
                continue;
            }
            if in_literal {
                if bytes[i] == b'\'' {
                    in_literal = false;
                }
                i += 1;
                continue;
            }
            if rest.starts_with(b"\"\"\"") || rest.starts_with(b"'''") {
                multi = Some(&rest[..3]);
                i += 3;
                continue;
            }
            match bytes[i] {
                b'"' => in_basic = true,
                b'\'' => in_literal = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth -= 1,
                b'#' => {
                    if depth <= 0 {
                        let before = line[start..i].trim_end_matches([' ', '\t']);
                        let comment_start = before.len() + start;
                        let comment = line[comment_start..].trim_end_matches(['\r', '\n']);
                        return (n + 1, comment.to_string());
                    }
                    // A comment inside a multi-line array: the rest of the line.
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        if depth <= 0 && multi.is_none() {
            return (n + 1, String::new());
        }
    }
    (lines.len(), String::new())
}

/// The comment of a line's rest (after `=` or `:`), outside quotes, with its leading spaces.
fn trailing_comment(rest: &str) -> String {
    let mut quote: Option<char> = None;
    let mut prev_escape = false;
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) => {
                if c == q && !prev_escape {
                    quote = None;
                }
                prev_escape = c == '\\' && !prev_escape && q == '"';
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => {
                let before = rest[..i].trim_end_matches([' ', '\t']);
                return rest[before.len()..]
                    .trim_end_matches(['\r', '\n'])
                    .to_string();
            }
            None => {}
        }
    }
    String::new()
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_value(v: &NewValue) -> String {
    match v {
        NewValue::Str(s) => quoted(s),
        NewValue::Bool(b) => b.to_string(),
        NewValue::Int(i) => i.to_string(),
        NewValue::Date(d) => d.format("%Y-%m-%d").to_string(),
        NewValue::List(items) => {
            let items: Vec<String> = items.iter().map(|s| quoted(s)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// YAML reads a JSON-style double-quoted string the same way (its escapes are a superset).
fn yaml_value(v: &NewValue) -> String {
    toml_value(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEW_NEWS: &str = "+++\ntitle = \"区政协开会\"\ndraft = true   # 草稿：填好【】中的内容、删去这一行后才会发布\nauthor = \"\"                   # 作者（可不填）\nsource = \"【请填写来源】\"       # 来源\n# cover = \"/images/cover.jpg\"   # 封面图\n[taxonomies]\ntags = []\n+++\n\n【请在此填写正文】\n";

    fn s(v: &str) -> Option<NewValue> {
        Some(NewValue::Str(v.into()))
    }

    #[test]
    fn changed_keys_are_rewritten_with_their_comments_and_the_rest_is_kept() {
        let out = apply(
            NEW_NEWS,
            &[
                ("source".into(), s("区政协办公室")),
                ("draft".into(), None),
                ("cover".into(), s("/news/a.jpg")),
                ("pinned".into(), Some(NewValue::Bool(true))),
            ],
            "\n正文。\n",
        )
        .unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"区政协开会\"\nauthor = \"\"                   # 作者（可不填）\nsource = \"区政协办公室\"       # 来源\ncover = \"/news/a.jpg\"   # 封面图\npinned = true\n[taxonomies]\ntags = []\n+++\n\n正文。\n"
        );
    }

    #[test]
    fn multi_line_values_are_replaced_whole() {
        let text = "+++\ntitle = \"a\"\nproposers = [\n  \"甲\", # 第一\n  \"乙\",\n]\nstatus = \"立案\"\n+++\nbody";
        let out = apply(
            text,
            &[("proposers".into(), Some(NewValue::List(vec!["丙".into()])))],
            "body",
        )
        .unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"a\"\nproposers = [\"丙\"]\nstatus = \"立案\"\n+++\nbody"
        );
    }

    #[test]
    fn strings_are_escaped_and_crlf_files_stay_crlf() {
        let text = "+++\r\ntitle = \"a\" # 标题\r\n+++\r\n\r\n正文\r\n";
        let out = apply(text, &[("title".into(), s("他说\"好\"\\"))], "\n正文\n改\n").unwrap();
        assert_eq!(
            out,
            "+++\r\ntitle = \"他说\\\"好\\\"\\\\\" # 标题\r\n+++\r\n\r\n正文\r\n改\r\n"
        );
    }

    #[test]
    fn yaml_headers_are_edited_too() {
        let text = "---\ntitle: 旧标题\nsector: 工商联  # 界别\ntags:\n  - a\n---\nbody";
        let out = apply(
            text,
            &[
                ("sector".into(), s("文化艺术界")),
                ("tags".into(), None),
                (
                    "date".into(),
                    Some(NewValue::Date(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())),
                ),
            ],
            "body",
        )
        .unwrap();
        assert_eq!(
            out,
            "---\ntitle: 旧标题\nsector: \"文化艺术界\"  # 界别\ndate: 2024-03-05\n---\nbody"
        );
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let text = "+++\ntitle = \"第#1号\"   # 标题\n+++\n";
        let out = apply(text, &[("title".into(), s("第2号"))], "").unwrap();
        assert_eq!(out, "+++\ntitle = \"第2号\"   # 标题\n+++\n");
    }

    #[test]
    fn keys_of_a_table_are_edited_in_it() {
        let list = |v: &[&str]| Some(NewValue::List(v.iter().map(|s| s.to_string()).collect()));
        let out = apply(
            NEW_NEWS,
            &[("taxonomies.tags".into(), list(&["全体会议"]))],
            "",
        )
        .unwrap();
        assert!(
            out.contains("[taxonomies]\ntags = [\"全体会议\"]\n+++"),
            "{out}"
        );
        let bare = "+++\ntitle = \"a\"\n+++\n";
        let out = apply(bare, &[("taxonomies.tags".into(), list(&["甲"]))], "").unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"a\"\n[taxonomies]\ntags = [\"甲\"]\n+++\n"
        );
        let inline = "+++\ntitle = \"a\"\ntaxonomies = { tags = [] }\n+++\n";
        assert!(apply(inline, &[("taxonomies.tags".into(), list(&["甲"]))], "").is_err());
        let yaml = "---\ntitle: a\ntaxonomies:\n  tags:\n  - 旧\n  - 旧二\ndate: 2024-01-01\n---\n";
        let out = apply(yaml, &[("taxonomies.tags".into(), list(&["新"]))], "").unwrap();
        assert_eq!(
            out,
            "---\ntitle: a\ntaxonomies:\n  tags: [\"新\"]\ndate: 2024-01-01\n---\n"
        );
        let yaml = "---\ntitle: a\n---\n";
        let out = apply(yaml, &[("taxonomies.tags".into(), list(&["新"]))], "").unwrap();
        assert_eq!(out, "---\ntitle: a\ntaxonomies:\n  tags: [\"新\"]\n---\n");
    }

    #[test]
    fn bad_key_names_are_refused() {
        assert!(apply(NEW_NEWS, &[("a = 1\nb".into(), s("x"))], "").is_err());
    }
}

/// Every page of the sample site and the fixtures, edited: the edited keys read back as
/// written, every other key as before, and the body byte for byte.
#[cfg(test)]
mod every_page {
    use super::*;
    use crate::content::front_matter::Value;

    fn pages() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut stack = vec![root.join("content"), root.join("tests/fixtures")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "md") {
                    out.push(p);
                }
            }
        }
        out
    }

    fn fields(text: &str) -> Option<Vec<(String, Value)>> {
        let split = front_matter::split(text).ok()?;
        let parsed = front_matter::parse(&split).ok()?;
        Some(parsed.into_iter().map(|f| (f.key, f.value)).collect())
    }

    #[test]
    fn edits_read_back_and_leave_the_rest_alone() {
        let changes: Vec<Change> = vec![
            (
                "source".into(),
                Some(NewValue::Str("来源\"引号\" # 不是注释".into())),
            ),
            ("pinned".into(), Some(NewValue::Bool(true))),
            ("draft".into(), None),
            (
                "taxonomies.tags".into(),
                Some(NewValue::List(vec!["专题一".into(), "专题二".into()])),
            ),
        ];
        let mut edited = 0;
        for path in pages() {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let Some(before) = fields(text) else {
                continue;
            };
            // Inline taxonomies are refused on purpose; other pages must take every edit.
            let body = front_matter::split(text).unwrap().body.to_string();
            let Ok(out) = apply(text, &changes, &body) else {
                assert!(text.contains("taxonomies = {"), "{}", path.display());
                continue;
            };
            edited += 1;
            let after = fields(&out).unwrap_or_else(|| panic!("{}:\n{out}", path.display()));
            let get = |f: &[(String, Value)], k: &str| {
                f.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
            };
            assert_eq!(
                get(&after, "source"),
                Some(Value::String("来源\"引号\" # 不是注释".into())),
                "{}",
                path.display()
            );
            assert_eq!(get(&after, "pinned"), Some(Value::Bool(true)));
            assert_eq!(get(&after, "draft"), None);
            let tags = match get(&after, "taxonomies") {
                Some(Value::Table(t)) => t.into_iter().find(|(k, _)| k == "tags").map(|(_, v)| v),
                other => panic!("{}: {other:?}", path.display()),
            };
            assert_eq!(
                tags,
                Some(Value::Array(vec![
                    Value::String("专题一".into()),
                    Value::String("专题二".into())
                ]))
            );
            for (key, value) in &before {
                if !["source", "pinned", "draft", "taxonomies"].contains(&key.as_str()) {
                    assert_eq!(
                        get(&after, key).as_ref(),
                        Some(value),
                        "{}: {key}",
                        path.display()
                    );
                }
            }
            assert!(out.ends_with(&body), "{}", path.display());
        }
        assert!(edited > 100, "{edited} pages edited");
    }
}
