//! Broken sites: every folder under `tests/fixtures/invalid/` is a case, found by reading the
//! folder. `tongxin build` on it must exit with the code in `expected.code` and print exactly
//! `expected.stderr` (both inside the case folder), and write no output. A case without its
//! expected files fails; `TONGXIN_BLESS=1` rewrites them from what the binary prints.
//!
//! The cases: front matter that does not parse (`bad_toml`, `bad_yaml`, `no_front_matter`),
//! fields unknown, missing or of the wrong type (`unknown_field`, `kind_unknown_field`,
//! `news_*`, `member_*`, `proposal_*`), config keys (`unknown_config_key`,
//! `config_wrong_type`), templates (`template_syntax`, `template_render`), `duplicate_url`
//! naming both files, and `several_errors` showing every error, not only the first.

use std::path::Path;

use crate::support::*;

const REFRESH: &str = "TONGXIN_BLESS=1 cargo test --test integration invalid";

/// The case folders under `tests/fixtures/invalid/`, sorted; a stray file there is an error.
fn invalid_cases() -> Vec<String> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(fixtures().join("invalid")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            path.is_dir(),
            "tests/fixtures/invalid/{name} is not a case folder"
        );
        cases.push(name);
    }
    cases.sort();
    cases
}

/// Builds one case and compares (or, when blessing, writes) its expected files; returns the
/// problems found.
fn run_case(case: &str, bless: bool) -> Vec<String> {
    let site = SiteTest::fixture(&format!("invalid/{case}"));
    let out = site.run("build", &[]);
    let code = match out.status.code() {
        Some(c) => format!("{c}\n"),
        None => format!("killed: {:?}\n", out.status),
    };
    let stderr = stderr(&out);
    let dir = fixtures().join("invalid").join(case);
    let mut problems = Vec::new();
    for (file, actual) in [("expected.code", &code), ("expected.stderr", &stderr)] {
        let path = dir.join(file);
        if bless {
            if std::fs::read_to_string(&path).ok().as_ref() != Some(actual) {
                std::fs::write(&path, actual).unwrap();
            }
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == *actual => {}
            Ok(expected) => problems.push(format!(
                "{case}/{file} differs:\n--- expected\n{expected}--- actual\n{actual}"
            )),
            Err(_) => problems.push(format!("{case}/{file} is missing")),
        }
    }
    if out.status.success() {
        problems.push(format!("{case}: the build succeeded"));
    }
    if site.public().exists() {
        problems.push(format!("{case}: a failed build wrote output"));
    }
    problems.extend(staging_left(&site.root).map(|left| format!("{case}: {left}")));
    problems
}

fn staging_left(root: &Path) -> Option<String> {
    let left: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    (!left.is_empty()).then(|| format!("temporary folders left behind: {left:?}"))
}

#[test]
fn every_invalid_case_fails_with_its_expected_stderr_and_code() {
    let bless = bless();
    let cases = invalid_cases();
    assert!(!cases.is_empty(), "no case under tests/fixtures/invalid/");
    let problems: Vec<String> = cases.iter().flat_map(|c| run_case(c, bless)).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) in tests/fixtures/invalid/:\n{}\nIf the new output is right, refresh the expected files with `{REFRESH}` and review `git diff tests/fixtures/invalid`.",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn check_reports_the_same_problems_on_stdout_with_a_count() {
    let site = SiteTest::fixture("invalid/several_errors");
    let out = site.run("check", &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.trim_end().ends_with("共 4 个错误，0 个警告，0 处豁免"),
        "{text}"
    );
    assert!(
        text.starts_with("config.toml: error[footer]:"),
        "check adds the footer rule"
    );
    let build = site.run("build", &[]);
    for line in stderr(&build).lines() {
        assert!(text.contains(line), "check lacks `{line}`");
    }
    let json = site.run("check", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json output");
    let first = &v.as_array().unwrap()[0];
    for key in ["file", "line", "column", "level", "code", "message", "hint"] {
        assert!(first.get(key).is_some(), "json lacks {key}: {first}");
    }
}

#[test]
fn usage_error_exits_2() {
    let out = bin().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Two slips with today's date, each told apart.
    for (today, said) in [
        ("2026-13-01", "日期 `2026-13-01` 不存在"),
        ("2026/1/1", "`2026/1/1` 不是 YYYY-MM-DD 格式的日期"),
    ] {
        let out = bin().args(["build", "--today", today]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(said), "{}", stderr(&out));
    }
    // A port that is not a number: said in Chinese, not in the standard library's English.
    for (port, said) in [
        ("abc", "--port <端口> 的值 `abc` 无效：应为数字\n"),
        (
            "70000",
            "--port <端口> 的值 `70000` 无效：应在 0 到 65535 之间\n",
        ),
    ] {
        let out = bin().args(["serve", "--port", port]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(said), "{}", stderr(&out));
    }
}

/// Help is for staff: every line in Chinese but option names and values.
#[test]
fn check_help_lists_formats_in_chinese() {
    let out = bin().args(["check", "--help"]).output().unwrap();
    let help = stdout(&out);
    assert!(
        help.contains("输出格式：text、json，或 html（可打印的检查报告）"),
        "{help}"
    );
    assert!(
        !help.contains("Possible values") && !help.contains("crate::"),
        "{help}"
    );
}

#[test]
fn missing_config_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["build", "--root"])
        .arg(dir.path())
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("config.toml: error[config]: 找不到站点配置文件"),
        "{}",
        stderr(&out)
    );
}
