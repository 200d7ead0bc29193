//! A failed build leaves the previous output byte-for-byte as it was, and nothing behind.

use crate::support::*;

#[test]
fn broken_front_matter_leaves_previous_output_untouched() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let before = snapshot(&site.public());
    assert!(before.len() > 20);
    site.write(
        "content/news/yaowen/2026-03-01-chang-wei-hui.md",
        "+++\ntitle = \"坏\n+++\n",
    );
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&site.public()), before);
    let names: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !names.iter().any(|n| n.to_string_lossy().contains(".tmp-")),
        "{names:?}"
    );
}

#[test]
fn template_error_leaves_previous_output_untouched() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let before = snapshot(&site.public());
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.title | no_such_filter }}{% endblock content %}");
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&site.public()), before);
}

#[test]
fn successful_rebuild_replaces_stale_files() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    assert!(site.exists("wenshi/lao-jie/index.html"));
    site.remove("content/wenshi/2025-01-01-lao-jie.md");
    site.build(&[]);
    assert!(
        !site.exists("wenshi/lao-jie/index.html"),
        "a removed page leaves the output"
    );
}

#[test]
fn check_writes_nothing() {
    let site = SiteTest::fixture("basic");
    let out = site.run("check", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!site.public().exists());
    assert!(stdout(&out).contains("共 0 个错误"));
}

#[test]
fn output_dir_that_would_replace_the_site_is_refused() {
    let site = SiteTest::fixture("basic");
    for dir in [".", "..", "content", "static/out"] {
        let target = site.root.join(dir);
        let out = site.run("build", &["--output-dir", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{dir}");
        assert!(
            stderr(&out).contains("会覆盖站点自身的文件"),
            "{dir}: {}",
            stderr(&out)
        );
    }
    assert!(site.root.join("content/_index.md").is_file());
    assert!(site.root.join("config.toml").is_file());
}
