//! Golden files for rendered regions (as mdBook's `book_test.rs`): every fixture site under
//! `tests/fixtures/` (but `invalid/`) is built once in memory, and the `<main …>…</main>` region
//! of each HTML page must equal `tests/golden/<fixture>/<output path>`. A difference, a missing
//! expected file and a stale one (no output makes it any more) fail; `TONGXIN_BLESS=1`
//! rewrites the expected files and deletes the stale ones. Fingerprinted theme assets
//! (`search.0123456789.js`) are compared under their plain names, so that editing the theme's
//! CSS or JS does not touch every golden file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tongxin::{BuildOptions, build_in_memory};

use crate::support::{TODAY, bless, fixtures, walkdir};

const REFRESH: &str = "TONGXIN_BLESS=1 cargo test --test integration golden";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Names of the fixture sites: the folders of `tests/fixtures/` with a `config.toml`.
fn fixture_sites() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("config.toml").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `<main …>…</main>` region of every HTML output of a fixture, keyed by output path.
fn main_regions(fixture: &str) -> BTreeMap<String, String> {
    let opts = BuildOptions::new(fixtures().join(fixture), TODAY.parse().unwrap());
    let (files, _) = build_in_memory(&opts).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    files
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let html = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{path}: not UTF-8"));
            let start = html
                .find("<main")
                .unwrap_or_else(|| panic!("{fixture}/{path}: no <main>"));
            let end = html[start..]
                .find("</main>")
                .unwrap_or_else(|| panic!("{fixture}/{path}: no </main>"))
                + start
                + "</main>".len();
            (path, format!("{}\n", unfingerprinted(&html[start..end])))
        })
        .collect()
}

/// `html` with the theme's fingerprinted file names back to their plain names.
fn unfingerprinted(html: &str) -> String {
    static HASHED: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\.[0-9a-f]{10}\.(css|js)\b").unwrap());
    HASHED.replace_all(html, ".$1").into_owned()
}

/// The first differing lines of two texts, `-` expected and `+` actual, with line numbers.
fn short_diff(expected: &str, actual: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let mut out = String::new();
    for (sign, lines) in [('-', &old), ('+', &new)] {
        for (i, line) in lines.iter().enumerate().skip(first).take(3) {
            let line: String = line.chars().take(200).collect();
            out.push_str(&format!("    {sign}{:>5} {line}\n", i + 1));
        }
        if lines.len() <= first {
            out.push_str(&format!(
                "    {sign}      (ends after line {})\n",
                lines.len()
            ));
        }
    }
    out
}

/// Compares (or, when blessing, writes) one fixture's expected files; returns the problems.
fn compare_fixture(fixture: &str, bless: bool) -> Vec<String> {
    let dir = golden_dir().join(fixture);
    let actual = main_regions(fixture);
    let mut problems = Vec::new();
    for (path, region) in &actual {
        let file = dir.join(path);
        match std::fs::read_to_string(&file) {
            Ok(expected) if expected == *region => {}
            Ok(_) | Err(_) if bless => {
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(&file, region).unwrap();
                eprintln!("golden: wrote tests/golden/{fixture}/{path}");
            }
            Ok(expected) => problems.push(format!(
                "tests/golden/{fixture}/{path} differs:\n{}",
                short_diff(&expected, region)
            )),
            Err(_) => problems.push(format!("tests/golden/{fixture}/{path} is missing")),
        }
    }
    if dir.is_dir() {
        for file in walkdir(&dir) {
            let rel = file
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if !actual.contains_key(&rel) {
                problems.extend(stale(&file, bless));
            }
        }
    }
    problems
}

/// A stale expected file: deleted when blessing, otherwise a problem.
fn stale(file: &Path, bless: bool) -> Option<String> {
    let shown = file
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(file);
    if bless {
        std::fs::remove_file(file).unwrap();
        eprintln!("golden: deleted stale {}", shown.display());
        remove_empty_parents(file);
        return None;
    }
    Some(format!(
        "{} is stale: no output makes it any more",
        shown.display()
    ))
}

fn remove_empty_parents(file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == golden_dir() || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[test]
fn rendered_main_regions_match_golden_files() {
    let bless = bless();
    let sites = fixture_sites();
    assert!(sites.len() >= 4, "fixture sites: {sites:?}");
    let mut problems = Vec::new();
    for fixture in &sites {
        problems.extend(compare_fixture(fixture, bless));
    }
    // Expected files of a fixture that is gone.
    for entry in std::fs::read_dir(golden_dir()).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if sites.contains(&name) {
            continue;
        }
        let files = if path.is_dir() {
            walkdir(&path)
        } else {
            vec![path]
        };
        for file in files {
            problems.extend(stale(&file, bless));
        }
    }
    assert!(
        problems.is_empty(),
        "{} golden file problem(s):\n{}\nIf the change is intended, refresh them with `{REFRESH}` and review `git diff tests/golden`.",
        problems.len(),
        problems.join("\n")
    );
}
