//! Staff's commonest slips, each with its exact message: every folder under
//! `tests/fixtures/slips/` is a case. Its `site/` folder is laid over the `basic` fixture (a
//! file there replaces or adds one), `args` holds the command line (default `build`; one
//! argument per line, `ROOT` stands for the site's folder, `--root` and `--today` are added),
//! and `expected.out` is what the
//! command prints: its exit code, then stdout and stderr. `TONGXIN_BLESS=1` rewrites
//! `expected.out` from what the binary prints; review `git diff tests/fixtures/slips` after.

use std::path::Path;

use crate::support::*;

const REFRESH: &str = "TONGXIN_BLESS=1 cargo test --test integration slips";

/// The case folders under `tests/fixtures/slips/`, sorted.
fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures().join("slips"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// Runs one case; its output in the form of `expected.out`.
fn run_case(dir: &Path) -> String {
    let site = SiteTest::fixture("basic");
    let overlay = dir.join("site");
    if overlay.is_dir() {
        copy_tree(&overlay, &site.root);
    }
    let root = site.root.to_string_lossy().into_owned();
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_else(|_| "build".into());
    let args = args.replace("ROOT", &root);
    let args: Vec<&str> = args.lines().filter(|l| !l.is_empty()).collect();
    let out = site.run(args[0], &args[1..]);
    // The build's time varies from run to run.
    let timing = regex::Regex::new(r"用时 \d+ 毫秒").unwrap();
    let shown = |text: String| {
        timing
            .replace_all(&text.replace(&root, "ROOT"), "用时 N 毫秒")
            .into_owned()
    };
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or("killed".into(), |c| c.to_string()),
        shown(stdout(&out)),
        shown(stderr(&out))
    )
}

#[test]
fn every_slip_prints_its_expected_message() {
    let bless = bless();
    let mut problems = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 8, "{cases:?}");
    for case in cases {
        let dir = fixtures().join("slips").join(&case);
        let actual = run_case(&dir);
        let path = dir.join("expected.out");
        if bless {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => problems.push(format!(
                "{case}/expected.out differs:\n--- expected\n{expected}--- actual\n{actual}"
            )),
            Err(_) => problems.push(format!("{case}/expected.out is missing")),
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nIf the new output is right, refresh with `{REFRESH}`.",
        problems.join("\n")
    );
}
