//! The fuzz seeds and every saved crash, run through the same harnesses as `cargo fuzz` on
//! stable, plus the named tests for what fuzzing found.

use std::path::{Path, PathBuf};

use tongxin::fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, sorted; none when the folder is absent.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Names of the folders (or, with `ext`, files without it) directly under `fuzz/<sub>/`.
fn names_under(sub: &str, ext: Option<&str>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(fuzz_dir().join(sub)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.expect("readable entry").path())
        .filter_map(|p| match ext {
            Some(ext) => p.file_name()?.to_str()?.strip_suffix(ext).map(String::from),
            None => p
                .is_dir()
                .then(|| p.file_name()?.to_str().map(String::from))?,
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_seed_and_regression_replays_without_panic() {
    let mut failed = Vec::new();
    for (target, harness) in TARGETS {
        let seeds = inputs("seeds", target);
        assert!(!seeds.is_empty(), "fuzz/seeds/{target}/ is empty");
        for path in seeds.iter().chain(&inputs("regressions", target)) {
            let data = std::fs::read(path).expect("readable input");
            if std::panic::catch_unwind(|| harness(&data)).is_err() {
                failed.push(path.display().to_string());
            }
        }
    }
    assert!(failed.is_empty(), "inputs that panic: {failed:#?}");
}

#[test]
fn targets_seeds_and_regressions_name_the_same_harnesses() {
    let mut known: Vec<String> = TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    known.sort();
    assert_eq!(names_under("fuzz_targets", Some(".rs")), known);
    assert_eq!(names_under("seeds", None), known);
    for folder in names_under("regressions", None) {
        assert!(
            known.contains(&folder),
            "fuzz/regressions/{folder}/ has no harness"
        );
        assert!(
            !inputs("regressions", &folder).is_empty(),
            "fuzz/regressions/{folder}/ is empty"
        );
    }
}

/// Builds the `basic` fixture with one news page dated `date` and checks that the date is a
/// located error, not a panic.
fn assert_date_is_a_located_error(date: &str) {
    let site = crate::support::SiteTest::fixture("basic");
    site.write(
        "content/news/yaowen/bad-date.md",
        &format!("+++\ntitle = \"日期\"\ndate = \"{date}\"\n+++\n正文\n"),
    );
    let out = site.run("build", &[]);
    let err = crate::support::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("content/news/yaowen/bad-date.md:3:1: error[field]: 字段 `date` 的值"),
        "{err}"
    );
}

#[test]
fn date_in_year_262142_is_a_located_error_not_a_panic() {
    // Found by fuzzing (`dates`): the date parses in UTC but is past chrono's last day at +08:00.
    assert_date_is_a_located_error("+262142-12-31 23:59:59+00:00");
}

#[test]
fn date_offset_in_non_ascii_digits_is_a_located_error_not_a_panic() {
    // Found by fuzzing (`dates`): `\d` matched ٠٨, which left the offset parser no digits.
    assert_date_is_a_located_error("2024-03-05 09:30+٠٨:٠٠");
    assert_date_is_a_located_error("2019-02-25-２０２４");
}
