//! `init` and `new`: their output builds, and they refuse to overwrite.

use crate::support::*;

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("新站点");
    let out = bin()
        .arg("init")
        .arg(&site)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.join("content/news/yaowen/2026-11-20-quan-ti-hui-yi-kai-mu.md")
            .is_file()
    );
    for args in [vec!["build"], vec!["check"]] {
        let out = bin()
            .args(&args)
            .arg("--root")
            .arg(&site)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
    assert!(site.join("public/members/zhang-ming/index.html").is_file());
    assert!(
        site.join("public/wenshi/lao-jie-jiu-shi/index.html")
            .is_file()
    );
    assert!(
        site.join("public/news/yaowen/quan-ti-hui-yi-kai-mu/index.html")
            .is_file()
    );
    assert_eq!(
        broken_internal_links(&site.join("public"), ""),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
    let out = bin().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("不是空目录"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn new_writes_a_dated_pinyin_file_that_builds() {
    let site = SiteTest::fixture("basic");
    let out = site.run("new", &["news/yaowen", "区政协召开重庆银行座谈会"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim().to_string();
    assert!(path.ends_with("content/news/yaowen/2026-11-20-qu-zheng-xie-zhao-kai-chong-qing-yin-hang-zuo-tan-hui.md"), "{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("+++\ntitle = \"区政协召开重庆银行座谈会\"\n"));
    assert!(text.contains("source = "), "news fields are filled in");
    site.build(&[]);
    assert!(
        site.exists("news/yaowen/qu-zheng-xie-zhao-kai-chong-qing-yin-hang-zuo-tan-hui/index.html")
    );
    let again = site.run("new", &["news/yaowen", "区政协召开重庆银行座谈会"]);
    assert_eq!(again.status.code(), Some(1), "refuses to overwrite");
}

#[test]
fn new_in_a_missing_section_fails() {
    let site = SiteTest::fixture("basic");
    let out = site.run("new", &["news/no-such", "标题"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("栏目不存在"), "{}", stderr(&out));
    let out = site.run("new", &["../escape", "标题"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn new_member_and_wenshi_files_build_at_once() {
    let site = SiteTest::fixture("basic");
    let member = site.run("new", &["members", "王小明"]);
    assert!(member.status.success(), "{}", stderr(&member));
    assert!(
        stdout(&member)
            .trim()
            .ends_with("content/members/wang-xiao-ming.md")
    );
    let wenshi = site.run("new", &["wenshi", "古渡口"]);
    assert!(
        stdout(&wenshi)
            .trim()
            .ends_with("content/wenshi/2026-11-20-gu-du-kou.md")
    );
    site.build(&[]);
    assert!(
        site.read("members/wang-xiao-ming/index.html")
            .contains("工商联"),
        "first configured sector filled in"
    );
    assert!(site.exists("wenshi/gu-du-kou/index.html"));
}
