//! 错敏词: a TOML dictionary of wrong or sensitive formulations, matched with Aho-Corasick so
//! a large site and a long dictionary cost one pass over the text.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::error::{Code, Diagnostic, Level, Pos};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Text that must not appear.
    pub wrong: String,
    /// The suggested fix.
    pub right: String,
    /// `error` or `warning`.
    #[serde(default = "default_level")]
    pub level: String,
    /// The group the rule is filed under (`机构名称`, `民主党派`, …); documentation only.
    #[serde(default)]
    pub category: Option<String>,
    /// Why the text is wrong, shown in the hint.
    #[serde(default)]
    pub reason: Option<String>,
    /// A sentence the rule must fire on; the dictionary's tests check it does.
    #[serde(default)]
    pub example: Option<String>,
    /// A sentence, usually the example put right, on which no rule may fire.
    #[serde(default)]
    pub correct: Option<String>,
    /// Right texts that hold `wrong` (`政协代表团` for `政协代表`): a hit that lies inside one
    /// of them, where it stands, is not reported.
    #[serde(default)]
    pub except: Vec<toml::Spanned<String>>,
}

fn default_level() -> String {
    "error".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Each rule with its span: the `[[rule]]` header, or the inline table.
    #[serde(default)]
    rule: Vec<toml::Spanned<Rule>>,
}

/// The loaded dictionary and its automaton.
pub struct Dictionary {
    pub rules: Vec<Rule>,
    matcher: AhoCorasick,
    /// Per rule, its exceptions.
    exceptions: Vec<Vec<Exception>>,
}

/// A rule's exception: a right text, and each byte offset at which the rule's `wrong` lies in
/// it, so that a hit is tested against the text around it without searching.
struct Exception {
    text: String,
    offsets: Vec<usize>,
}

impl Exception {
    /// `text` as an exception to `wrong`; `None` unless it holds `wrong` and more.
    fn new(text: &str, wrong: &str) -> Option<Exception> {
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .filter(|&at| text[at..].starts_with(wrong))
            .collect();
        (!offsets.is_empty() && text.len() > wrong.len()).then(|| Exception {
            text: text.to_string(),
            offsets,
        })
    }

    /// Whether a hit of the rule at byte `start` of `haystack` lies inside this text there.
    fn covers(&self, haystack: &str, start: usize) -> bool {
        self.offsets.iter().any(|&o| {
            start
                .checked_sub(o)
                .and_then(|from| haystack.get(from..from + self.text.len()))
                == Some(self.text.as_str())
        })
    }
}

/// One hit: which rule, and the byte range in the text.
pub struct Hit {
    pub rule: usize,
    pub start: usize,
    pub end: usize,
}

impl Dictionary {
    /// Reads the dictionary at `rel` inside the site `root`: a regular file of at most
    /// [`MAX_TEXT_FILE`](crate::fs::MAX_TEXT_FILE) bytes, UTF-8, not reached through a link
    /// that leaves the root.
    pub fn load(root: &Path, rel: &str) -> Result<Dictionary, Diagnostic> {
        let text = read_list(root, rel, "words", "错敏词词库")?;
        Dictionary::parse(&text, rel)
    }

    /// Parses the dictionary's text (read from `rel`); a mistake is a diagnostic at its line.
    pub fn parse(text: &str, rel: &str) -> Result<Dictionary, Diagnostic> {
        let file: File = parse_list(text, rel, "错敏词词库")?;
        for (i, r) in file.rule.iter().enumerate() {
            let bad = r.get_ref().wrong.trim().is_empty()
                || !matches!(r.get_ref().level.as_str(), "error" | "warning");
            if bad {
                let line = Pos::of_offset(text, r.span().start).line;
                return Err(Diagnostic::error(
                    Code::Config,
                    rel,
                    format!("错敏词词库第 {} 条规则无效", i + 1),
                )
                .at(line, 1)
                .hint("每条规则需要非空的 wrong，level 为 \"error\" 或 \"warning\""));
            }
        }
        let exceptions = file
            .rule
            .iter()
            .enumerate()
            .map(|(i, r)| exceptions(r.get_ref(), i, text, rel))
            .collect::<Result<Vec<_>, _>>()?;
        let rules: Vec<Rule> = file
            .rule
            .into_iter()
            .map(toml::Spanned::into_inner)
            .collect();
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(rules.iter().map(|r| &r.wrong))
            .map_err(|e| {
                Diagnostic::error(Code::Config, rel, format!("错敏词词库无法使用：{e}"))
            })?;
        Ok(Dictionary {
            rules,
            matcher,
            exceptions,
        })
    }

    /// Every non-overlapping hit in `text`, leftmost-longest, but those inside one of their
    /// rule's exceptions.
    pub fn find<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Hit> + 't {
        self.matcher
            .find_iter(text)
            .map(|m| Hit {
                rule: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .filter(|hit| !self.excepted(hit.rule, text, hit.start))
    }

    /// Whether the text of rule `rule` at byte `start` of `text` lies inside one of the rule's
    /// exceptions.
    pub fn excepted(&self, rule: usize, text: &str, start: usize) -> bool {
        self.exceptions[rule].iter().any(|e| e.covers(text, start))
    }

    /// The hits of [`Dictionary::find`] in `text`, those that touch joined when their rules
    /// share level and reason: a phone number typed in full width (`１３８…`) hits a rule per
    /// digit, and is one slip, said once. Each group holds at least one hit, in text order.
    pub fn find_joined(&self, text: &str) -> Vec<Vec<Hit>> {
        let mut groups: Vec<Vec<Hit>> = Vec::new();
        for hit in self.find(text) {
            let joins = groups.last().and_then(|g| g.last()).is_some_and(|last| {
                let (a, b) = (&self.rules[last.rule], &self.rules[hit.rule]);
                last.end == hit.start && a.level == b.level && a.reason == b.reason
            });
            match groups.last_mut() {
                Some(group) if joins => group.push(hit),
                _ => groups.push(vec![hit]),
            }
        }
        groups
    }

    /// The diagnostic for a group of [`Dictionary::find_joined`] found in `text`, at `pos` in
    /// `file`: one hit's as [`Dictionary::diagnostic`] gives it, several hits' with the text
    /// they cover and each rule's `right` in turn.
    pub fn joined_diagnostic(&self, group: &[Hit], text: &str, file: &str, pos: Pos) -> Diagnostic {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            return Diagnostic::error(Code::Word, file, "错敏词").at_pos(pos);
        };
        let mut d = self.diagnostic(first, file, pos);
        if group.len() > 1 {
            let right: String = group
                .iter()
                .map(|h| self.rules[h.rule].right.as_str())
                .collect();
            let wrong = &text[first.start..last.end];
            d.message = format!("错敏词「{wrong}」，应为「{right}」");
        }
        d
    }

    /// The diagnostic for a hit at `pos` in `file`.
    pub fn diagnostic(&self, hit: &Hit, file: &str, pos: Pos) -> Diagnostic {
        let r = &self.rules[hit.rule];
        let level = if r.level == "warning" {
            Level::Warning
        } else {
            Level::Error
        };
        Diagnostic {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            level,
            code: Code::Word,
            message: format!("错敏词「{}」，应为「{}」", r.wrong, r.right),
            hint: Some(hint(r)),
        }
    }
}

/// Rule `i`'s exceptions, each checked to hold the rule's `wrong` and more: a config error at
/// the one that does not.
fn exceptions(rule: &Rule, i: usize, text: &str, rel: &str) -> Result<Vec<Exception>, Diagnostic> {
    let mut out = Vec::new();
    for e in &rule.except {
        let (written, wrong) = (e.get_ref(), &rule.wrong);
        let why = match Exception::new(written, wrong) {
            Some(exception) => {
                out.push(exception);
                continue;
            }
            None if written == wrong => "与 wrong 相同，本条将永不命中".to_string(),
            None => format!("不含「{wrong}」"),
        };
        return Err(Diagnostic::error(
            Code::Config,
            rel,
            format!("错敏词词库第 {} 条规则的例外「{written}」{why}", i + 1),
        )
        .at_pos(Pos::of_offset(text, e.span().start))
        .hint("except 中每一项都是含有 wrong 的正确写法，如 wrong = \"政协代表\" 时写 except = [\"政协代表团\"]"));
    }
    Ok(out)
}

/// A hit's hint: the rule's reason, if it gives one, then how to keep the text on purpose.
fn hint(r: &Rule) -> String {
    let allow = format!(
        "如确需保留（如引用原文），可在 front matter 中写 allow = [{{ rule = \"{}\", reason = \"…\" }}]",
        r.wrong
    );
    let reason = r
        .reason
        .as_deref()
        .map(|s| s.trim().trim_end_matches(['。', '；', '，', '.', ';']))
        .filter(|s| !s.is_empty());
    match reason {
        Some(reason) => format!("{reason}。{allow}"),
        None => allow,
    }
}

/// The text of a list `check` reads (the 错敏词 dictionary, the leaders list) at `rel` inside
/// the site `root`: a regular file of at most [`MAX_TEXT_FILE`](crate::fs::MAX_TEXT_FILE)
/// bytes, UTF-8, not reached through a link that leaves the root. `key` is its `[check]` key,
/// `what` its name in messages.
pub(super) fn read_list(
    root: &Path,
    rel: &str,
    key: &str,
    what: &str,
) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let hint = format!("检查 config.toml 中 [check] {key} 的路径");
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(Diagnostic::error(Code::Config, rel, format!("找不到{what}文件")).hint(hint));
    }
    let bytes = crate::fs::read_confined(root, &path, crate::fs::MAX_TEXT_FILE).map_err(|why| {
        Diagnostic::error(Code::Config, rel, format!("无法读取{what}：{why}")).hint(hint.clone())
    })?;
    String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(Code::Config, rel, format!("{what}不是 UTF-8 编码")).hint(hint)
    })
}

/// Parses a list's TOML `text` (read from `rel`); a mistake is a diagnostic at its line.
pub(super) fn parse_list<T: serde::de::DeserializeOwned>(
    text: &str,
    rel: &str,
    what: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let pos = e
            .span()
            .map_or(Pos::new(1, 1), |s| Pos::of_offset(text, s.start));
        let (message, hint) = crate::config::translate_serde_message(e.message(), "字段");
        let mut d = Diagnostic::error(Code::Config, rel, format!("{what}：{message}")).at_pos(pos);
        d.hint = hint;
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample site's dictionary, which `tongxin init` writes too.
    const SHIPPED: &str = include_str!("../../check/words.toml");

    #[test]
    fn touching_hits_of_one_reason_are_one_finding() {
        let dict = Dictionary::parse(SHIPPED, "check/words.toml").unwrap();
        let text = "会议于８月召开，手机１３８１２３４５６７８。";
        let groups = dict.find_joined(text);
        assert_eq!(groups.iter().map(Vec::len).collect::<Vec<_>>(), [1, 11]);
        let said = |g: &[Hit]| {
            dict.joined_diagnostic(g, text, "a.md", Pos::new(1, 1))
                .message
        };
        assert_eq!(said(&groups[0]), "错敏词「８」，应为「8」");
        assert_eq!(
            said(&groups[1]),
            "错敏词「１３８１２３４５６７８」，应为「13812345678」"
        );
        // Touching hits of rules with other reasons stay apart.
        let dict = Dictionary::parse(
            "[[rule]]\nwrong = \"甲\"\nright = \"A\"\nreason = \"一\"\n\n\
             [[rule]]\nwrong = \"乙\"\nright = \"B\"\nreason = \"二\"\n",
            "check/words.toml",
        )
        .unwrap();
        assert_eq!(dict.find_joined("甲乙").len(), 2);
    }

    /// The categories the shipped dictionary files its rules under.
    const CATEGORIES: [&str; 8] = [
        "机构名称",
        "民主党派",
        "人民团体",
        "国名地名",
        "法律文件",
        "数字日期",
        "易混词语",
        "政治表述",
    ];

    /// What is wrong with a dictionary meant to ship: a rule without a known category or a
    /// reason, a `wrong` given twice, an example the rule does not hit (alone), a correct
    /// sentence any rule hits, or one holding any rule's `wrong` outside that rule's exceptions
    /// (a longer rule could hide it from the matcher), or an exception, alone in a sentence,
    /// that its rule hits.
    fn shipped_problems(text: &str) -> Vec<String> {
        let d = Dictionary::parse(text, "check/words.toml").unwrap();
        let wrongs =
            |s: &str| -> Vec<&str> { d.find(s).map(|h| d.rules[h.rule].wrong.as_str()).collect() };
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, r) in d.rules.iter().enumerate() {
            let mut say =
                |what: String| problems.push(format!("第 {} 条「{}」：{what}", i + 1, r.wrong));
            if !r
                .category
                .as_deref()
                .is_some_and(|c| CATEGORIES.contains(&c))
            {
                say(format!("类别 {:?} 不在 {CATEGORIES:?} 中", r.category));
            }
            if r.reason.as_deref().is_none_or(|s| s.trim().is_empty()) {
                say("没有 reason".into());
            }
            if r.right.trim().is_empty() || r.right == r.wrong {
                say("right 为空或与 wrong 相同".into());
            }
            if !seen.insert(r.wrong.as_str()) {
                say("wrong 重复".into());
            }
            match r.example.as_deref() {
                None => say("没有 example".into()),
                Some(e) if wrongs(e) != [r.wrong.as_str()] => {
                    say(format!("example「{e}」命中 {:?}，应只命中本条", wrongs(e)));
                }
                Some(_) => {}
            }
            match r.correct.as_deref() {
                None => say("没有 correct".into()),
                Some(c) if !wrongs(c).is_empty() => {
                    say(format!("correct「{c}」命中 {:?}", wrongs(c)));
                }
                Some(_) => {}
            }
            for other in &d.rules {
                let Some(c) = other.correct.as_deref() else {
                    continue;
                };
                if c.match_indices(&r.wrong)
                    .any(|(at, _)| !d.excepted(i, c, at))
                {
                    say(format!("出现在「{}」的 correct 中", other.wrong));
                }
            }
            for e in &r.except {
                let sentence = format!("会上，{}。", e.get_ref());
                if d.find(&sentence).any(|h| h.rule == i) {
                    say(format!("例外「{}」仍被本条命中", e.get_ref()));
                }
            }
        }
        problems
    }

    #[test]
    fn shipped_rules_fire_on_their_examples_and_never_on_correct_text() {
        let problems = shipped_problems(SHIPPED);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let d = Dictionary::parse(SHIPPED, "check/words.toml").unwrap();
        assert!(d.rules.len() >= 120, "{} rules", d.rules.len());
    }

    #[test]
    fn shipped_dictionary_check_catches_bad_rules() {
        let rule = |wrong: &str, category: &str, example: &str, correct: &str| {
            format!(
                "[[rule]]\nwrong = \"{wrong}\"\nright = \"对\"\ncategory = \"{category}\"\nreason = \"因为\"\nexample = \"{example}\"\ncorrect = \"{correct}\"\n"
            )
        };
        let good = rule(
            "政协代表",
            "机构名称",
            "三位政协代表发言。",
            "三位政协委员发言。",
        );
        assert!(shipped_problems(&good).is_empty());
        let cases = [
            // The example lacks the wrong text.
            rule(
                "九三学会",
                "民主党派",
                "九三学社社员发言。",
                "九三学社社员发言。",
            ),
            // The correct sentence is hit by another rule.
            rule(
                "九三学会",
                "民主党派",
                "九三学会社员发言。",
                "九三学社的政协代表发言。",
            ),
            // The example also holds another rule's text.
            rule(
                "九三学会",
                "民主党派",
                "九三学会的政协代表发言。",
                "九三学社社员发言。",
            ),
            // A category the dictionary does not use.
            rule(
                "九三学会",
                "党派",
                "九三学会社员发言。",
                "九三学社社员发言。",
            ),
            // The same wrong text twice.
            good.clone(),
        ];
        for case in cases {
            let problems = shipped_problems(&format!("{good}{case}"));
            assert!(!problems.is_empty(), "{case}");
        }
        // No reason.
        let no_reason = good.replace("reason = \"因为\"\n", "");
        assert!(!shipped_problems(&no_reason).is_empty());
    }

    const WITH_EXCEPTIONS: &str = "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nexcept = [\"政协代表团\", \"县政协代表队\"]\n\n[[rule]]\nwrong = \"其它\"\nright = \"其他\"\nexcept = [\"尤其它\", \"其它其它\"]\n";

    /// The hits of `d` in `text`, as (rule, text hit, byte offset).
    fn hits<'t>(d: &Dictionary, text: &'t str) -> Vec<(usize, &'t str, usize)> {
        d.find(text)
            .map(|h| (h.rule, &text[h.start..h.end], h.start))
            .collect()
    }

    #[test]
    fn a_hit_inside_an_exception_is_not_reported() {
        let d = Dictionary::parse(WITH_EXCEPTIONS, "check/words.toml").unwrap();
        assert!(hits(&d, "县政协代表团出访。").is_empty());
        assert!(hits(&d, "临江县政协代表队获得第一名。").is_empty());
        assert!(hits(&d, "尤其它们的价值。").is_empty());
        // The exception holds `wrong` only where it says: 县政协代表 alone is still wrong.
        assert_eq!(hits(&d, "县政协代表发言。"), [(0, "政协代表", 3)]);
        // An exception may hold `wrong` twice; a hit at either place is inside it.
        assert!(hits(&d, "其它其它").is_empty());
    }

    #[test]
    fn the_same_wrong_text_elsewhere_in_the_line_is_still_reported() {
        let d = Dictionary::parse(WITH_EXCEPTIONS, "check/words.toml").unwrap();
        let text = "政协代表团中有三位政协代表，尤其它们和其它。";
        let found = hits(&d, text);
        let at = |s: &str| text.match_indices(s).map(|(i, _)| i).collect::<Vec<_>>();
        assert_eq!(
            found,
            [
                (0, "政协代表", at("政协代表")[1]),
                (1, "其它", at("其它")[1])
            ]
        );
    }

    #[test]
    fn an_exception_without_the_wrong_text_is_a_located_error() {
        let e = Dictionary::parse(
            "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nexcept = [\n  \"政协代表团\",\n  \"政协委员团\",\n]\n",
            "check/words.toml",
        )
        .err()
        .unwrap();
        assert_eq!((e.code, e.line, e.column), (Code::Config, 6, 3));
        assert_eq!(
            e.message,
            "错敏词词库第 1 条规则的例外「政协委员团」不含「政协代表」"
        );
        let e = Dictionary::parse(
            "[[rule]]\nwrong = \"其它\"\nright = \"其他\"\nexcept = [\"其它\"]\n",
            "check/words.toml",
        )
        .err()
        .unwrap();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("与 wrong 相同"), "{}", e.message);
    }

    #[test]
    fn the_reason_leads_the_hint() {
        let d = Dictionary::parse(
            "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nreason = \"政协委员不称“代表”。\"\n\n[[rule]]\nwrong = \"提按\"\nright = \"提案\"\n",
            "check/words.toml",
        )
        .unwrap();
        let hint = |text: &str| {
            let hit = d.find(text).next().unwrap();
            d.diagnostic(&hit, "a.md", Pos::new(1, 1)).hint.unwrap()
        };
        assert_eq!(
            hint("政协代表"),
            "政协委员不称“代表”。如确需保留（如引用原文），可在 front matter 中写 allow = [{ rule = \"政协代表\", reason = \"…\" }]"
        );
        assert!(hint("提按").starts_with("如确需保留"));
    }

    #[test]
    fn finds_longest_rule_first() {
        let d = Dictionary::parse(
            "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\n\n[[rule]]\nwrong = \"中国人民政治协商委员会\"\nright = \"中国人民政治协商会议\"\nlevel = \"warning\"\n",
            "check/words.toml",
        )
        .unwrap();
        let text = "两位政协代表出席了中国人民政治协商委员会。";
        let hits: Vec<_> = d
            .find(text)
            .map(|h| (h.rule, &text[h.start..h.end]))
            .collect();
        assert_eq!(hits, [(0, "政协代表"), (1, "中国人民政治协商委员会")]);
    }

    #[test]
    fn bad_rules_are_located() {
        let e = Dictionary::parse(
            "[[rule]]\nwrong = \"a\"\nright = \"b\"\n[[rule]]\nwrong = \"\"\nright = \"c\"\n",
            "w.toml",
        )
        .err()
        .unwrap();
        assert_eq!(e.line, 4);
        // Rules written as an inline array: each at the line of its own table.
        let e = Dictionary::parse(
            "rule = [\n  { wrong = \"a\", right = \"b\" },\n  { wrong = \"\", right = \"c\" },\n]\n",
            "w.toml",
        )
        .err()
        .unwrap();
        assert_eq!(e.line, 3);
        let e = Dictionary::parse("[[rule]]\nwrong = \"a\"\nrihgt = \"b\"\n", "w.toml")
            .err()
            .unwrap();
        assert_eq!(e.line, 3);
    }
}
