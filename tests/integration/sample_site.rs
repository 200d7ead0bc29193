//! The repository root is the sample site: it builds, checks clean and has no dead links.

use std::path::{Path, PathBuf};

use crate::support::*;

#[test]
fn sample_site_builds_with_every_link_resolving() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("public");
    let out = bin()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(&out_dir)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Every section of whatever the sample holds today has its list page (counts and
    // details are asserted on fixtures the tests own, not here).
    let sections: Vec<PathBuf> = walkdir(&root.join("content"))
        .into_iter()
        .filter(|p| p.ends_with("_index.md"))
        .collect();
    assert!(!sections.is_empty(), "the sample site has no section");
    for index in sections {
        let dir = index
            .parent()
            .unwrap()
            .strip_prefix(root.join("content"))
            .unwrap();
        let list = out_dir.join(dir).join("index.html");
        assert!(
            list.is_file(),
            "{} has no {}",
            index.display(),
            list.display()
        );
    }
    assert_eq!(
        broken_internal_links(&out_dir, ""),
        Vec::<(String, String)>::new()
    );
    let check = bin()
        .args(["check", "--root"])
        .arg(root)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
}
