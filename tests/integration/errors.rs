//! Broken sites under `tests/fixtures/invalid/<case>/`: exit status 1 and the exact diagnostics,
//! compared with `expected_stderr.txt` beside them (`TONGXIN_BLESS=1` rewrites those files).

use std::path::Path;

use crate::support::*;

fn assert_case(case: &str) {
    let site = SiteTest::fixture(&format!("invalid/{case}"));
    let out = site.run("build", &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{case}: exit status; stderr:\n{}",
        stderr(&out)
    );
    let expected_path = fixtures()
        .join("invalid")
        .join(case)
        .join("expected_stderr.txt");
    let actual = stderr(&out);
    if std::env::var_os("TONGXIN_BLESS").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|_| panic!("{case}: no expected_stderr.txt (run with TONGXIN_BLESS=1)"));
    assert_eq!(actual, expected, "{case}: stderr");
    assert!(
        !site.public().exists(),
        "{case}: a failed build writes no output"
    );
    assert_no_staging_left(&site.root);
}

fn assert_no_staging_left(root: &Path) {
    let left: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "temporary folders left behind: {left:?}");
}

#[test]
fn bad_toml_front_matter_names_file_and_line() {
    assert_case("bad_toml");
}

#[test]
fn bad_yaml_front_matter_names_file_and_line() {
    assert_case("bad_yaml");
}

#[test]
fn duplicate_url_names_both_files() {
    assert_case("duplicate_url");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    assert_case("template_syntax");
}

#[test]
fn template_render_error_names_template_and_line() {
    assert_case("template_render");
}

#[test]
fn unknown_config_key_names_key_and_line() {
    assert_case("unknown_config_key");
}

#[test]
fn config_wrong_type_names_key_and_line() {
    assert_case("config_wrong_type");
}

#[test]
fn unknown_front_matter_field_names_field_and_line() {
    assert_case("unknown_field");
}

#[test]
fn file_without_front_matter() {
    assert_case("no_front_matter");
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    assert_case("several_errors");
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
    let out = bin()
        .args(["build", "--today", "2026-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
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

#[test]
fn member_without_sector_is_an_error_listing_the_sectors() {
    assert_case("member_missing_sector");
}

#[test]
fn member_with_unlisted_sector_and_committee_names_the_lines() {
    assert_case("member_unknown_sector");
}

#[test]
fn news_fields_of_the_wrong_type_name_their_lines() {
    assert_case("news_wrong_type");
}

#[test]
fn news_naming_an_unknown_member_is_an_error() {
    assert_case("news_unknown_member");
}

#[test]
fn a_field_of_another_kind_is_unknown() {
    assert_case("kind_unknown_field");
}

#[test]
fn news_without_a_date_is_an_error() {
    assert_case("news_missing_date");
}
