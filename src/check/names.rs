//! Leaders' names that must be written exactly (`check/leaders.toml`). A misspelt leader's name
//! is a 严重表述错误, which fails a site at the 政府网站 inspection on its own.
//!
//! SPEC: a name differing from a listed one by one character, or with the same pinyin, right
//! before or after one of its titles is a `name` error. The titles are matched with
//! Aho-Corasick, so a long list costs one pass over the text; only the characters beside a
//! title are compared with the names that carry it.

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::AhoCorasick;
use pinyin::ToPinyin;
use serde::Deserialize;

use crate::error::{Code, Diagnostic, Pos};

/// One listed leader.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leader {
    /// The name as it must be written (`王德明`).
    pub name: String,
    /// Titles a name is checked next to (`主席`, `县委书记`).
    pub titles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    leader: Vec<toml::Spanned<Leader>>,
}

/// The loaded list and the automaton over its titles.
pub struct Leaders {
    pub leaders: Vec<Leader>,
    /// Per title (pattern index): the leaders carrying it.
    holders: Vec<Vec<usize>>,
    matcher: AhoCorasick,
}

/// A name written wrongly: the byte range in the text and the leader it should be.
#[derive(Debug, PartialEq, Eq)]
pub struct NameHit {
    pub start: usize,
    pub end: usize,
    pub leader: usize,
}

impl Leaders {
    /// Reads the list at `rel` inside the site `root`, as [`super::words::Dictionary::load`].
    pub fn load(root: &Path, rel: &str) -> Result<Leaders, Diagnostic> {
        let text = super::words::read_list(root, rel, "leaders", "领导姓名表")?;
        Leaders::parse(&text, rel)
    }

    /// Parses the list's text (read from `rel`); a mistake is a diagnostic at its line.
    pub fn parse(text: &str, rel: &str) -> Result<Leaders, Diagnostic> {
        let file: File = super::words::parse_list(text, rel, "领导姓名表")?;
        for (i, l) in file.leader.iter().enumerate() {
            let leader = l.get_ref();
            let bad = leader.name.trim().chars().count() < 2
                || leader.titles.is_empty()
                || leader.titles.iter().any(|t| t.trim().is_empty());
            if bad {
                let line = Pos::of_offset(text, l.span().start).line;
                return Err(Diagnostic::error(
                    Code::Config,
                    rel,
                    format!("领导姓名表第 {} 位领导无效", i + 1),
                )
                .at(line, 1)
                .hint("每位领导需要至少两个字的 name，以及非空的 titles，如 [\"主席\"]"));
            }
        }
        let leaders: Vec<Leader> = file
            .leader
            .into_iter()
            .map(|l| {
                let l = l.into_inner();
                Leader {
                    name: l.name.trim().to_string(),
                    titles: l.titles.iter().map(|t| t.trim().to_string()).collect(),
                }
            })
            .collect();
        let mut by_title: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, l) in leaders.iter().enumerate() {
            for t in &l.titles {
                by_title.entry(t.as_str()).or_default().push(i);
            }
        }
        let matcher = AhoCorasick::new(by_title.keys()).map_err(|e| {
            Diagnostic::error(Code::Config, rel, format!("领导姓名表无法使用：{e}"))
        })?;
        let holders = by_title.into_values().collect();
        Ok(Leaders {
            leaders,
            holders,
            matcher,
        })
    }

    /// Every name written wrongly right before or after a title in `text`.
    pub fn find(&self, text: &str) -> Vec<NameHit> {
        let mut hits = Vec::new();
        for m in self.matcher.find_overlapping_iter(text) {
            for &leader in &self.holders[m.pattern().as_usize()] {
                let name = &self.leaders[leader].name;
                let n = name.chars().count();
                let before = text[..m.start()]
                    .char_indices()
                    .rev()
                    .nth(n - 1)
                    .map(|(at, _)| (at, m.start()));
                let after = listed_after(text, m.end()).into_iter().filter_map(|from| {
                    text[from..]
                        .char_indices()
                        .nth(n)
                        .map(|(at, _)| from + at)
                        .or_else(|| (text[from..].chars().count() == n).then_some(text.len()))
                        .map(|end| (from, end))
                });
                for (start, end) in before.into_iter().chain(after) {
                    if is_slip(&text[start..end], name) {
                        hits.push(NameHit { start, end, leader });
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.start, h.leader));
        hits.dedup();
        hits
    }

    /// The diagnostic for a hit at `pos` in `file`; `written` is the text the hit covers.
    pub fn diagnostic(&self, hit: &NameHit, written: &str, file: &str, pos: Pos) -> Diagnostic {
        let right = &self.leaders[hit.leader].name;
        Diagnostic::error(
            Code::Name,
            file,
            format!("领导姓名「{written}」疑似写错，应为「{right}」"),
        )
        .at_pos(pos)
        .hint(format!(
            "领导姓名写错会被直接判为不合格，请改为「{right}」；如确是另一人，可在 front matter 中写 allow = [{{ rule = \"name\", reason = \"…\" }}]"
        ))
    }
}

/// Where the names written after a title start: right after it, and after each `、` that ends
/// a name of two to four characters, as a list of several leaders is written
/// (`副主席方卫东、韩素琴、邱永年出席`).
fn listed_after(text: &str, from: usize) -> Vec<usize> {
    const MOST: usize = 20;
    let mut starts = vec![from];
    let mut at = from;
    while starts.len() < MOST {
        let rest = &text[at..];
        let Some((i, _)) = rest.char_indices().take(5).find(|&(_, c)| c == '、') else {
            break;
        };
        if rest[..i].chars().count() < 2 {
            break;
        }
        at += i + '、'.len_utf8();
        starts.push(at);
    }
    starts
}

/// Whether `written` (Han characters, as many as `name` has) is a slip for `name`: not the name
/// itself, and read the same (toneless pinyin, each character's most common reading), or — for
/// names of three characters or more — one character different. A two-character name has only
/// the surname and one given character, so one character different is mostly another person
/// sharing the surname (李明 beside 李强): there, only the same reading counts.
fn is_slip(written: &str, name: &str) -> bool {
    if written == name || !written.chars().all(|c| c.to_pinyin().is_some()) {
        return false;
    }
    let pairs = || written.chars().zip(name.chars());
    let differing = pairs().filter(|(a, b)| a != b).count();
    let same_reading = pairs().all(|(a, b)| {
        a == b || a.to_pinyin().map(|p| p.plain()) == b.to_pinyin().map(|p| p.plain())
    });
    same_reading || (differing == 1 && name.chars().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaders() -> Leaders {
        Leaders::parse(
            "[[leader]]\nname = \"王德明\"\ntitles = [\"主席\"]\n\n[[leader]]\nname = \"李强\"\ntitles = [\"秘书长\"]\n",
            "check/leaders.toml",
        )
        .unwrap()
    }

    fn found(text: &str) -> Vec<String> {
        let hits = leaders().find(text);
        hits.iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn slips_next_to_a_title_are_found_in_both_orders() {
        assert_eq!(found("王德民主席出席会议"), ["王德民"]);
        assert_eq!(found("会议由主席王德民主持"), ["王德民"]);
        assert_eq!(found("王德敏主席讲话"), ["王德敏"], "same pinyin");
        assert_eq!(found("李墙秘书长"), ["李墙"], "a two-character homophone");
    }

    #[test]
    fn every_name_of_a_list_after_a_title_is_checked() {
        let leaders = Leaders::parse(
            "[[leader]]\nname = \"方卫东\"\ntitles = [\"副主席\"]\n\n\
             [[leader]]\nname = \"韩素琴\"\ntitles = [\"副主席\"]\n\n\
             [[leader]]\nname = \"邱永年\"\ntitles = [\"副主席\"]\n",
            "check/leaders.toml",
        )
        .unwrap();
        let found = |text: &str| -> Vec<String> {
            let hits = leaders.find(text);
            hits.iter()
                .map(|h| text[h.start..h.end].to_string())
                .collect()
        };
        assert_eq!(
            found("副主席方卫冬、韩素芹、邱永念出席。"),
            ["方卫冬", "韩素芹", "邱永念"]
        );
        assert!(found("副主席方卫东、韩素琴、邱永年出席。").is_empty());
        // Another person in the list is no slip; the list ends where a name does not.
        assert!(found("副主席方卫东、王建国、邱永年出席").is_empty());
        assert!(found("副主席方卫东出席会议、韩素芹").is_empty());
    }

    #[test]
    fn right_names_and_other_people_are_not_slips() {
        assert!(found("王德明主席出席会议，主席王德明讲话").is_empty());
        assert!(
            found("王建国主席出席").is_empty(),
            "shares only the surname"
        );
        assert!(
            found("李明秘书长出席").is_empty(),
            "two characters: one differs"
        );
        assert!(found("市政协主席").is_empty());
        assert!(found("主席").is_empty());
        assert!(found("Wang主席").is_empty());
    }

    #[test]
    fn broken_lists_are_located() {
        let e = Leaders::parse(
            "[[leader]]\nname = \"王德明\"\ntitles = [\"主席\"]\n[[leader]]\nname = \"王\"\ntitles = [\"主席\"]\n",
            "l.toml",
        )
        .err()
        .unwrap();
        assert_eq!((e.line, e.code), (4, Code::Config));
        let e = Leaders::parse(
            "[[leader]]\nname = \"王德明\"\ntitle = [\"主席\"]\n",
            "l.toml",
        )
        .err()
        .unwrap();
        assert_eq!(e.line, 3);
    }
}
