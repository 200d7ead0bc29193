//! The inspection view that ends `check`'s text output: the findings an office is judged on at
//! the 政府网站 inspection (国务院办公厅《政府网站与政务新媒体检查指标》), counted against the
//! thresholds that fail a site. Text only: `--format json` stays one array of diagnostics.

use std::fmt;

use chrono::NaiveDate;

use crate::error::{Code, Diagnostic, Level};

/// Days the home page's newest item may age when `[check] home_freshness_days` is not written:
/// the indicator's "首页 2 周未更新" fails a site.
pub const DEFAULT_HOME_FRESHNESS_DAYS: u32 = 14;

/// Stale 栏目 that fail a site (the indicator: 5 or more 动态、要闻、通知公告 栏目 not updated).
pub const STALE_SECTIONS_FAIL: usize = 5;

/// Empty 栏目 that fail a site (the indicator: 5 or more 空白栏目).
pub const EMPTY_SECTIONS_FAIL: usize = 5;

/// How fresh the home page is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeFreshness {
    /// The date of the newest dated page the home page lists; `None` when there is none.
    pub newest: Option<NaiveDate>,
    /// Days from `newest` to today.
    pub age_days: i64,
    /// `[check] home_freshness_days`.
    pub limit: u32,
}

/// The inspection view of a check's diagnostics: one block of short lines an office can read.
pub struct Inspection<'a> {
    pub diags: &'a [Diagnostic],
    pub home: &'a HomeFreshness,
}

impl Inspection<'_> {
    /// Errors of `code` (allowed hits and warnings do not count).
    fn errors(&self, code: Code) -> usize {
        self.diags
            .iter()
            .filter(|d| d.code == code && d.level == Level::Error)
            .count()
    }

    /// The items that fail the site, in the order of the view.
    fn failures(&self) -> Vec<&'static str> {
        let home_stale = self.errors(Code::HomeStale) > 0;
        [
            (home_stale, "首页超期未更新"),
            (
                self.errors(Code::StaleSection) >= STALE_SECTIONS_FAIL,
                "超期未更新的栏目过多",
            ),
            (
                self.errors(Code::EmptySection) >= EMPTY_SECTIONS_FAIL,
                "空白栏目过多",
            ),
            (self.errors(Code::Word) > 0, "有错敏词"),
            (self.errors(Code::Name) > 0, "领导姓名有误"),
            (self.errors(Code::Pii) > 0, "公开了个人信息"),
        ]
        .into_iter()
        .filter(|(failed, _)| *failed)
        .map(|(_, why)| why)
        .collect()
    }
}

impl fmt::Display for Inspection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "检查结论（按政府网站检查指标）：")?;
        let limit = self.home.limit;
        match self.home.newest {
            None => writeln!(f, "  首页更新：没有带日期的内容")?,
            Some(d) => {
                let verdict = if self.errors(Code::HomeStale) > 0 {
                    format!(
                        "已 {} 天未更新，不合格（要求 {limit} 天内）",
                        self.home.age_days
                    )
                } else {
                    format!("符合（{limit} 天内）")
                };
                writeln!(
                    f,
                    "  首页更新：最新内容 {}，{verdict}",
                    d.format("%Y年%m月%d日")
                )?
            }
        }
        writeln!(
            f,
            "  栏目更新：{} 个栏目超期未更新（达到 {STALE_SECTIONS_FAIL} 个即不合格）",
            self.errors(Code::StaleSection)
        )?;
        writeln!(
            f,
            "  空白栏目：{} 个（达到 {EMPTY_SECTIONS_FAIL} 个即不合格）",
            self.errors(Code::EmptySection)
        )?;
        writeln!(
            f,
            "  严重错误：错敏词 {} 处，领导姓名 {} 处，个人信息 {} 处",
            self.errors(Code::Word),
            self.errors(Code::Name),
            self.errors(Code::Pii)
        )?;
        let failures = self.failures();
        let errors = self.diags.iter().filter(|d| d.is_error()).count();
        if !failures.is_empty() {
            writeln!(f, "  结论：不合格（{}）", failures.join("；"))
        } else if errors > 0 {
            writeln!(f, "  结论：未触及不合格项，其余错误仍需改正")
        } else {
            writeln!(f, "  结论：符合")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(age: i64) -> HomeFreshness {
        HomeFreshness {
            newest: NaiveDate::from_ymd_opt(2026, 11, 18),
            age_days: age,
            limit: 14,
        }
    }

    #[test]
    fn a_clean_site_passes() {
        let view = Inspection {
            diags: &[],
            home: &home(2),
        };
        let text = view.to_string();
        assert!(text.contains("首页更新：最新内容 2026年11月18日，符合（14 天内）"));
        assert!(text.ends_with("  结论：符合\n"), "{text}");
    }

    #[test]
    fn five_stale_sections_or_one_wrong_name_fail() {
        let stale: Vec<Diagnostic> = (0..5)
            .map(|i| Diagnostic::error(Code::StaleSection, format!("content/s{i}/_index.md"), "x"))
            .collect();
        let text = Inspection {
            diags: &stale[..4],
            home: &home(2),
        }
        .to_string();
        assert!(text.contains("结论：未触及不合格项"), "{text}");
        let text = Inspection {
            diags: &stale,
            home: &home(2),
        }
        .to_string();
        assert!(
            text.contains("结论：不合格（超期未更新的栏目过多）"),
            "{text}"
        );
        let mut name = Diagnostic::error(Code::Name, "content/a.md", "x");
        let text = Inspection {
            diags: std::slice::from_ref(&name),
            home: &home(2),
        }
        .to_string();
        assert!(text.contains("领导姓名 1 处") && text.contains("不合格（领导姓名有误）"));
        name.level = Level::Allowed;
        let text = Inspection {
            diags: &[name],
            home: &home(2),
        }
        .to_string();
        assert!(
            text.ends_with("  结论：符合\n"),
            "an allowed hit does not count: {text}"
        );
    }
}
