//! Full-width look-alikes: what a Chinese input method types where TOML or YAML syntax wants
//! an ASCII character (`title = “会议”`, `source："办公室"`, `["李春华"，"王德明"]`). The parsers'
//! English messages do not say so; these find the character and say it in plain Chinese.

/// The hint under every full-width look-alike.
pub const HINT: &str = "front matter 和 config.toml 里的符号要在英文输入状态下输入";

/// A look-alike found in a header or config text: where (1-based line and column, the column
/// in characters, counted in the text given) and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookAlike {
    pub line: usize,
    pub column: usize,
    /// What is there and what to write, without the place: `中文引号「“」，请改为英文引号 "`.
    what: String,
    /// Whether `what` names a character (said with its place) or a whole value (a date).
    character: bool,
}

impl LookAlike {
    /// The message, with the place as staff count it in the file (`line`, `column`).
    pub fn message(&self, line: usize, column: usize) -> String {
        if self.character {
            format!("第{line}行第{column}列是{}", self.what)
        } else {
            self.what.clone()
        }
    }

    /// What to do, beyond the message.
    pub fn hint(&self) -> &'static str {
        if self.character {
            HINT
        } else {
            "TOML 日期写成 2024-03-05，或 2024-03-05 09:30"
        }
    }
}

/// The full-width characters TOML syntax is typed with by mistake: (character, its name, its
/// ASCII twin).
const TOML_LOOK_ALIKES: &[(char, &str, &str)] = &[
    ('“', "引号", "\""),
    ('”', "引号", "\""),
    ('‘', "单引号", "'"),
    ('’', "单引号", "'"),
    ('：', "冒号", "="),
    ('＝', "等号", "="),
    ('，', "逗号", ","),
    ('［', "方括号", "["),
    ('］', "方括号", "]"),
    ('｛', "花括号", "{"),
    ('｝', "花括号", "}"),
];

/// The first look-alike in TOML `text` outside strings and comments, or a date written
/// without leading zeros (`2024-3-5`). Outside strings TOML allows no such character, so after
/// a parse error the first one found is the cause.
pub fn find_in_toml(text: &str) -> Option<LookAlike> {
    for (i, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (col, c) in line.chars().enumerate() {
            let at = |(what, character)| LookAlike {
                line: i + 1,
                column: col + 1,
                what,
                character,
            };
            match quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '#' => break,
                None => {
                    if let Some(what) = toml_what(c) {
                        return Some(at((what, true)));
                    }
                    if let Some(what) = short_date(line, col) {
                        return Some(at((what, false)));
                    }
                }
            }
        }
    }
    None
}

/// What to say of `c` found outside a string.
fn toml_what(c: char) -> Option<String> {
    if c == '\u{3000}' {
        return Some("全角空格，请删去或改为英文空格".into());
    }
    let &(_, name, ascii) = TOML_LOOK_ALIKES.iter().find(|(l, _, _)| *l == c)?;
    Some(if c == '：' {
        format!("中文冒号「{c}」，字段名和值之间请写英文等号 =")
    } else {
        format!("中文{name}「{c}」，请改为英文{name} {ascii}")
    })
}

/// A date such as `2024-3-5`, `2024年3月5日`, `2024/3/5` or `2024.3.5` starting at character
/// `col` of `line` (and not inside a longer number): TOML wants `2024-03-05`.
fn short_date(line: &str, col: usize) -> Option<String> {
    let rest: String = line.chars().skip(col).collect();
    let before = line.chars().nth(col.wrapping_sub(1));
    if col > 0 && before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '-') {
        return None;
    }
    if let Some(what) = written_date(&rest) {
        return Some(what);
    }
    let date: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !(ok(y, 4..=4) && ok(m, 1..=2) && ok(d, 1..=2)) || (m.len() == 2 && d.len() == 2) {
        return None;
    }
    Some(format!(
        "日期 {date} 的月、日要写两位数：{y}-{m:0>2}-{d:0>2}"
    ))
}

/// A date at the start of `rest` written as people write it, `2024年3月5日`, `2024/3/5` or
/// `2024.3.5`: what to write instead.
fn written_date(rest: &str) -> Option<String> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(\d{4}) ?(?:年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日|([/.])(\d{1,2})[/.](\d{1,2}))",
        )
        .expect("valid regex")
    });
    let c = DATE.captures(rest)?;
    let (m, d) = match (c.get(2), c.get(3)) {
        (Some(m), Some(d)) => (m.as_str(), d.as_str()),
        _ => (c.get(5)?.as_str(), c.get(6)?.as_str()),
    };
    let written = c.get(0)?.as_str();
    Some(format!("日期 {written} 要写成 {}-{m:0>2}-{d:0>2}", &c[1]))
}

/// The TOML parser's commonest messages in plain Chinese, with a hint where one helps:
/// `message` is the parser's (`toml` crate) and `line` the line it points at. `None` for a
/// message not known here.
pub fn toml_message(message: &str, line: &str) -> Option<(String, Option<String>)> {
    // Only ASCII blanks are trimmed: a no-break space in the key is the slip to name.
    let (key, value) = line.split_once('=').unwrap_or((line, ""));
    let (key, value) = (key.trim_matches([' ', '\t']), value.trim());
    let said = |m: &str| Some((m.to_string(), None));
    if let Some(said) = yes_or_no(key, value) {
        return Some(said);
    }
    if message.starts_with("string values must be quoted") {
        if value.is_empty() {
            return said(&format!("`{key}` 的等号后面没有写值"));
        }
        if let Some(items) = value.strip_prefix('[') {
            let items = items.trim_end_matches(']').split([',', '，']);
            let quoted: Vec<String> = items.map(|i| format!("\"{}\"", i.trim())).collect();
            return Some((
                format!("`{key}` 列表里的每一项都要用英文双引号括起来"),
                Some(format!("写成 {key} = [{}]", quoted.join(", "))),
            ));
        }
        return Some((
            format!("`{key}` 的值要用英文双引号括起来"),
            Some(format!("写成 {key} = \"{value}\"")),
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid date, expected day between 01 and ") {
        return said(&format!("日期 {value} 不存在：这个月只有 {rest} 天"));
    }
    if message.starts_with("invalid date, expected month") {
        return said(&format!("日期 {value} 不存在：月份应在 01 到 12 之间"));
    }
    if message.starts_with("invalid date") {
        return said(&format!("日期 {value} 无效"));
    }
    if message.starts_with("invalid time") {
        return Some((
            format!("时间 {value} 的写法不对"),
            Some("时、分要写两位数，如 2024-03-05 09:30".into()),
        ));
    }
    if message.starts_with("invalid boolean") {
        return said("true 和 false 要用小写英文，不加引号");
    }
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        return said("字符串缺少结尾的英文引号");
    }
    if message.starts_with("unexpected key or value") {
        return said("一行只能写一个字段：值的后面多了内容");
    }
    if message.starts_with("invalid unquoted key") {
        let odd = key.chars().find(|c| !c.is_ascii() || c.is_ascii_control());
        return Some(match odd {
            Some(c) if c.is_whitespace() => (
                format!(
                    "字段名 `{}` 旁边有看不见的特殊空格（U+{:04X}）",
                    key.trim(),
                    c as u32
                ),
                Some(
                    "常见于从网页或 Word 复制的文字：删去这个空格，在英文输入状态下重新输入".into(),
                ),
            ),
            _ => (
                format!("字段名 `{key}` 里有不能用的字符"),
                Some("字段名只用英文字母、数字、- 和 _".into()),
            ),
        });
    }
    None
}

/// `public = no`: a yes or a no written as an English word. TOML reads `no` as a broken `nan`
/// and `yes` as an unquoted string; either way the fix is true or false.
fn yes_or_no(key: &str, value: &str) -> Option<(String, Option<String>)> {
    let word = |w: &str| value.eq_ignore_ascii_case(w);
    let fix = match () {
        _ if word("yes") || word("on") => "true",
        _ if word("no") || word("off") => "false",
        _ => return None,
    };
    Some((
        format!("`{key}` 的值只能是 true 或 false"),
        Some(format!("写成 {key} = {fix}（小写英文，不加引号）")),
    ))
}

/// In YAML `text`: a top-level key followed by a full-width colon (`source：办公室`, which YAML
/// would silently read as part of another value) or a line indented with full-width spaces.
pub fn find_in_yaml(text: &str) -> Option<LookAlike> {
    if !text.contains(['：', '\u{3000}']) {
        return None; // every YAML header is looked at: the commonest costs one scan
    }
    for (i, line) in text.lines().enumerate() {
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if let Some(col) = line.chars().take(indent).position(|c| c == '\u{3000}') {
            return Some(LookAlike {
                line: i + 1,
                column: col + 1,
                what: "全角空格，缩进请用英文空格".into(),
                character: true,
            });
        }
        let key_len = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .count();
        let after: Vec<char> = line.chars().skip(key_len).collect();
        let spaces = after.iter().take_while(|c| **c == ' ').count();
        if key_len > 0 && after.get(spaces) == Some(&'：') {
            let column = key_len + spaces + 1;
            return Some(LookAlike {
                line: i + 1,
                column,
                what: "中文冒号「：」，请改为英文冒号 :（冒号后空一格）".into(),
                character: true,
            });
        }
    }
    None
}

/// A Markdown slip typed with a Chinese input method, found and mended by [`fix_markdown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// Byte offset in the Markdown as written.
    pub offset: usize,
    /// What was wrong and what was done, for staff.
    pub message: &'static str,
}

/// Mends the Markdown slips whose intent is plain, outside code: a link written with full-width
/// parentheses (`[常委会议]（/news/x/）`), an image with a full-width `！`, and a link to a file
/// whose name has a space (`[报名表](/files/报名 表.docx)`). Returns the Markdown to render and
/// each slip found. Each mend keeps the characters on their columns, but for the `<` `>` that
/// enclose an address with spaces.
pub fn fix_markdown(body: &str) -> (std::borrow::Cow<'_, str>, Vec<Slip>) {
    if !body.contains(['（', '！', ' ', '］']) || !body.contains(['[', '［']) {
        return (body.into(), Vec::new());
    }
    // Candidates first, by plain string search; only a body that has one is parsed for its
    // code, so the commonest page costs no second Markdown parse.
    let mut found: Vec<(usize, usize, What)> = Vec::new();
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        found.extend(
            line_slips(line)
                .into_iter()
                .map(|(at, w)| (line_start, at, w)),
        );
        line_start += line.len();
    }
    if found.is_empty() {
        return (body.into(), Vec::new());
    }
    let code = code_ranges(body);
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut slips = Vec::new();
    for (line_start, at, what) in found {
        let offset = line_start + at;
        if code.iter().any(|r| r.contains(&offset)) {
            continue;
        }
        slips.push(Slip {
            offset,
            message: what.message(),
        });
        edits.extend(what.edits(line_start, at));
    }
    slips.sort_by_key(|s| s.offset);
    if edits.is_empty() {
        return (body.into(), slips);
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(body.len() + 8);
    let mut from = 0;
    for (start, end, with) in edits {
        if start < from {
            continue; // overlaps the mend before it: keep that one
        }
        out.push_str(&body[from..start]);
        out.push_str(with);
        from = end;
    }
    out.push_str(&body[from..]);
    (out.into(), slips)
}

/// Byte ranges of code (spans and blocks) in `body`, where nothing is mended.
fn code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut ranges = Vec::new();
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) | Event::Html(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// One kind of slip, with where its parts are in the line.
enum What {
    /// `]（target）`: the byte offsets of `（` and `）`.
    Parens(usize, usize),
    /// `！[`: the offset of `！`.
    Bang,
    /// `](target)` with a space: the offsets just after `(` and of `)`.
    Spaces(usize, usize),
    /// `［text］(target)` or `［text］（target）`, maybe after `！`: the offset of every
    /// full-width mark to make ASCII, and the mark.
    Brackets(Vec<(usize, char)>),
}

impl What {
    fn message(&self) -> &'static str {
        match self {
            What::Parens(..) => "链接的括号应为英文 ( )，已按链接处理",
            What::Bang => "图片前的感叹号应为英文 !，已按图片处理",
            What::Spaces(..) => "链接地址中有空格，已按整个地址处理；文件名最好不含空格",
            What::Brackets(..) => "链接的方括号应为英文 [ ]，已按链接处理",
        }
    }

    /// The replacements that mend it, as byte ranges of the body: `base` is where the line
    /// starts, `at` where the slip is in it.
    fn edits(&self, base: usize, at: usize) -> Vec<(usize, usize, &'static str)> {
        if let What::Brackets(marks) = self {
            return marks
                .iter()
                .map(|&(m, c)| (base + m, base + m + c.len_utf8(), ascii_mark(c)))
                .collect();
        }
        match *self {
            What::Parens(open, close) => vec![
                (base + open, base + open + '（'.len_utf8(), "("),
                (base + close, base + close + '）'.len_utf8(), ")"),
            ],
            What::Bang => vec![(base + at, base + at + '！'.len_utf8(), "!")],
            What::Spaces(start, end) => vec![
                (base + start, base + start, "<"),
                (base + end, base + end, ">"),
            ],
            What::Brackets(_) => Vec::new(),
        }
    }
}

/// The slips in one line: the byte offset to report, and what is there.
fn line_slips(line: &str) -> Vec<(usize, What)> {
    let mut found = Vec::new();
    for (i, _) in line.match_indices("]（") {
        let open = i + 1;
        let target_start = open + '（'.len_utf8();
        let Some(len) = line[target_start..].find('）') else {
            continue;
        };
        let target = &line[target_start..target_start + len];
        if looks_like_address(target) && line[..i].contains('[') {
            found.push((open, What::Parens(open, target_start + len)));
        }
    }
    for (i, _) in line.match_indices("！[") {
        let rest = &line[i + '！'.len_utf8()..];
        // The `]` that closes the alt text must open a target right away.
        let after = rest.find(']').map(|c| &rest[c + 1..]);
        if after.is_some_and(|a| a.starts_with(['(', '（'])) {
            found.push((i, What::Bang));
        }
    }
    for (i, _) in line.match_indices("](") {
        let start = i + 2;
        let Some(len) = line[start..].find(')') else {
            continue;
        };
        let target = &line[start..start + len];
        let titled = target
            .split_once(' ')
            .is_some_and(|(_, t)| t.trim_start().starts_with(['"', '\'', '(']));
        if target.contains(' ') && !titled && looks_like_address(target) {
            found.push((start, What::Spaces(start, start + len)));
        }
    }
    found.extend(bracket_slips(line));
    found
}

/// The ASCII mark a full-width one of a link stands for.
fn ascii_mark(c: char) -> &'static str {
    match c {
        '［' => "[",
        '］' => "]",
        '（' => "(",
        '）' => ")",
        _ => "!",
    }
}

/// `［text］(target)` and `［text］（target）` (an image after `！` or `!`) in one line.
fn bracket_slips(line: &str) -> Vec<(usize, What)> {
    let mut found = Vec::new();
    for (close, _) in line.match_indices('］') {
        let after = close + '］'.len_utf8();
        let (paren, end_mark) = match line[after..].chars().next() {
            Some('(') => ('(', ')'),
            Some('（') => ('（', '）'),
            _ => continue,
        };
        let target_start = after + paren.len_utf8();
        let Some(len) = line[target_start..].find(end_mark) else {
            continue;
        };
        let Some(open) = line[..close].rfind('［') else {
            continue;
        };
        if !looks_like_address(&line[target_start..target_start + len]) {
            continue;
        }
        let mut marks = vec![(open, '［'), (close, '］')];
        if paren == '（' {
            marks.extend([(after, '（'), (target_start + len, '）')]);
        }
        let mut at = open;
        if line[..open].ends_with('！') {
            at = open - '！'.len_utf8();
            marks.push((at, '！'));
        }
        found.push((at, What::Brackets(marks)));
    }
    found
}

/// A link target, not prose in brackets: a site path, a relative path, an anchor or a URL.
fn looks_like_address(target: &str) -> bool {
    let t = target.trim();
    !t.is_empty()
        && !t.starts_with('<')
        && (t.starts_with(['/', '.', '#'])
            || ["http://", "https://", "mailto:", "tel:"]
                .iter()
                .any(|s| t.starts_with(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(body: &str) -> (String, Vec<&'static str>) {
        let (out, slips) = fix_markdown(body);
        (out.into_owned(), slips.iter().map(|s| s.message).collect())
    }

    #[test]
    fn markdown_typed_in_full_width_is_mended_and_reported() {
        let (out, slips) = mended("见[常委会议]（/news/x/）。\n");
        assert_eq!(out, "见[常委会议](/news/x/)。\n");
        assert_eq!(slips, vec!["链接的括号应为英文 ( )，已按链接处理"]);
        let (out, slips) = mended("！[义诊现场](/images/a.jpg)\n");
        assert_eq!(out, "![义诊现场](/images/a.jpg)\n");
        assert_eq!(slips.len(), 1);
        let (out, slips) = mended("！[义诊现场]（/images/a.jpg）\n");
        assert_eq!(out, "![义诊现场](/images/a.jpg)\n");
        assert_eq!(slips.len(), 2);
        let (out, _) = mended("[报名表](/files/第四次会议 报名表.docx)\n");
        assert_eq!(out, "[报名表](</files/第四次会议 报名表.docx>)\n");
        let (_, slips) = fix_markdown("ab\n！[图]（/i.png）");
        assert_eq!(slips[0].offset, 3, "offsets count bytes of the whole body");
        let (out, slips) = mended("见［常委会议］（/news/x/）和［附件］(/f.pdf)。\n");
        assert_eq!(out, "见[常委会议](/news/x/)和[附件](/f.pdf)。\n");
        assert_eq!(slips, vec!["链接的方括号应为英文 [ ]，已按链接处理"; 2]);
        let (out, _) = mended("！［义诊现场］（/images/a.jpg）\n");
        assert_eq!(out, "![义诊现场](/images/a.jpg)\n");
    }

    #[test]
    fn prose_titles_and_code_stay() {
        for body in [
            "[注]（见附件）\n",
            "［注］（见附件）\n",
            "［一］这是正文。\n",
            "这是一句话（括号里的说明）。\n",
            "[链接](/a.html \"标题 有空格\")\n",
            "`[常委会议]（/news/x/）`\n",
            "```\n！[图](/a.png)\n```\n",
            "感叹！[注]\n",
            "感叹！[注] 见[链接](/y)\n",
        ] {
            let (out, slips) = mended(body);
            assert_eq!(out, body);
            assert!(slips.is_empty(), "{body}: {slips:?}");
        }
    }

    fn toml(text: &str) -> (usize, usize, String) {
        let found = find_in_toml(text).expect("a look-alike");
        let message = found.message(found.line, found.column);
        (found.line, found.column, message)
    }

    #[test]
    fn every_toml_look_alike_is_named_at_its_column() {
        let (line, col, msg) = toml("title = \"会议\"\nsource = “县政协办公室”\n");
        assert_eq!((line, col), (2, 10));
        assert_eq!(msg, "第2行第10列是中文引号「“」，请改为英文引号 \"");
        let (_, col, msg) = toml("source：\"办公室\"\n");
        assert_eq!(col, 7);
        assert!(msg.contains("英文等号 ="), "{msg}");
        assert!(toml("source ＝ \"办公室\"").2.contains("中文等号「＝」"));
        assert!(
            toml("members = [\"李春华\"，\"王德明\"]")
                .2
                .contains("中文逗号「，」")
        );
        assert!(
            toml("members = ［\"李春华\"]")
                .2
                .contains("中文方括号「［」")
        );
        assert!(toml("x = ｛ a = 1 }").2.contains("中文花括号「｛」"));
        assert!(toml("title = ‘会议’").2.contains("中文单引号「‘」"));
        assert!(toml("title =\u{3000}\"会议\"").2.contains("全角空格"));
    }

    #[test]
    fn look_alikes_inside_strings_and_comments_are_text() {
        assert_eq!(find_in_toml("title = \"关于“十四五”规划，（一）\"\n"), None);
        assert_eq!(find_in_toml("title = '引号“”'\n# 注释：随便写，“”\n"), None);
        assert_eq!(find_in_toml("title = \"转义\\\"后仍在字符串中：\"\n"), None);
        assert_eq!(find_in_toml("date = 2024-03-05\nweight = 10\n"), None);
    }

    #[test]
    fn dates_without_leading_zeros_get_the_written_form() {
        let (line, col, msg) = toml("title = \"会议\"\ndate = 2024-3-5\n");
        assert_eq!((line, col), (2, 8));
        assert_eq!(msg, "日期 2024-3-5 的月、日要写两位数：2024-03-05");
        assert!(toml("date = 2024-11-5").2.ends_with("2024-11-05"));
    }

    #[test]
    fn dates_written_the_chinese_way_get_the_written_form() {
        for (written, want) in [
            ("2026年11月3日", "2026-11-03"),
            ("2026 年 1 月 30 日", "2026-01-30"),
            ("2026/11/3", "2026-11-03"),
            ("2026.1.13", "2026-01-13"),
        ] {
            let (line, col, msg) = toml(&format!("title = \"会议\"\ndate = {written}\n"));
            assert_eq!((line, col), (2, 8), "{written}");
            assert_eq!(msg, format!("日期 {written} 要写成 {want}"));
        }
        // Inside a string it is text, which the date field reads itself.
        assert_eq!(find_in_toml("date = \"2026年11月3日\"\n"), None);
    }

    #[test]
    fn toml_messages_in_chinese_name_the_key_and_the_fix() {
        let said = |m: &str, line: &str| toml_message(m, line).expect(m);
        let quoted = "string values must be quoted, expected literal string";
        assert_eq!(
            said(quoted, "source = 区政协办公室"),
            (
                "`source` 的值要用英文双引号括起来".to_string(),
                Some("写成 source = \"区政协办公室\"".to_string())
            )
        );
        assert_eq!(
            said(quoted, "tags = [协商, 调研]").1.as_deref(),
            Some("写成 tags = [\"协商\", \"调研\"]")
        );
        assert_eq!(said(quoted, "author =").0, "`author` 的等号后面没有写值");
        assert_eq!(
            said(
                "invalid date, expected day between 01 and 28",
                "date = 2026-02-30"
            )
            .0,
            "日期 2026-02-30 不存在：这个月只有 28 天"
        );
        assert_eq!(
            said(
                "invalid date, expected month between 01 and 12",
                "date = 2026-13-01"
            )
            .0,
            "日期 2026-13-01 不存在：月份应在 01 到 12 之间"
        );
        let key = said(
            "invalid unquoted key, expected letters",
            "date\u{A0}= 2026-11-03",
        );
        assert_eq!(key.0, "字段名 `date` 旁边有看不见的特殊空格（U+00A0）");
        assert_eq!(
            said("invalid float, expected `nan`", "public = no"),
            (
                "`public` 的值只能是 true 或 false".to_string(),
                Some("写成 public = false（小写英文，不加引号）".to_string())
            )
        );
        assert_eq!(
            said(quoted, "key = Yes").1.as_deref(),
            Some("写成 key = true（小写英文，不加引号）")
        );
        assert_eq!(toml_message("some other message", "a = 1"), None);
    }

    #[test]
    fn yaml_full_width_colon_and_indent() {
        let found = find_in_yaml("title: 会议\nsource：县政协\n").expect("found");
        assert_eq!((found.line, found.column), (2, 7));
        assert!(found.message(2, 7).contains("英文冒号"), "{:?}", found);
        let found = find_in_yaml("tags:\n\u{3000}\u{3000}- 会议\n").expect("found");
        assert_eq!((found.line, found.column), (2, 1));
        assert_eq!(find_in_yaml("title: 关于“十四五”：规划\n"), None);
    }
}
