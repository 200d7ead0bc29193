//! The repository root is the sample site: it builds, checks clean and has no dead links.

use std::path::Path;

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
    let pages = walkdir(&out_dir)
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .count();
    assert!(pages >= 60, "sample site has {pages} pages");
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
