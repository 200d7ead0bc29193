//! The output folder never costs a file, the swap is one atomic step, killed builds leave
//! nothing behind for long, and nothing is read from outside the site root.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// Waits (at most 20 s) until the detached deletion of old outputs has finished.
fn settle(dir: &Path) -> Vec<String> {
    let start = Instant::now();
    loop {
        let n = names(dir);
        let busy = n.iter().any(|n| n.starts_with(".public."));
        if !busy || start.elapsed() > Duration::from_secs(20) {
            return n;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn output_dir_onto_a_folder_tongxin_did_not_write_is_refused() {
    let site = SiteTest::fixture("basic");
    site.write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协代表\"\nright = \"政协委员\"\nlevel = \"error\"\n",
    );
    site.write("data/members.csv", "姓名\n");
    std::os::unix::fs::symlink(site.root.join("content"), site.root.join("lnk")).unwrap();
    for dir in ["check", "data", "lnk/out", "lnk", "content/out"] {
        let out = site.run(
            "build",
            &["--output-dir", site.root.join(dir).to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(1), "{dir}: {}", stderr(&out));
        assert!(stderr(&out).contains("已停止"), "{dir}: {}", stderr(&out));
    }
    assert!(site.root.join("check/words.toml").is_file());
    assert!(site.root.join("data/members.csv").is_file());
    assert!(!site.root.join("content/out").exists());
    // Its own output folder is replaced again and again.
    site.build(&["--output-dir", site.root.join("out").to_str().unwrap()]);
    site.build(&["--output-dir", site.root.join("out").to_str().unwrap()]);
    assert!(site.root.join("out/index.html").is_file());
}

/// An empty folder made by hand for the site is taken as the output, and nothing is left
/// beside it (the folder moved aside had no marker, which the detached remover requires).
#[test]
fn an_empty_output_folder_made_by_hand_leaves_nothing_beside_it() {
    let site = SiteTest::fixture("basic");
    let parent = site.outside("fa-bu");
    std::fs::create_dir_all(parent.join("网站 输出")).unwrap();
    site.build(&["--output-dir", parent.join("网站 输出").to_str().unwrap()]);
    assert!(parent.join("网站 输出/index.html").is_file());
    assert_eq!(names(&parent), ["网站 输出"]);
}

#[test]
fn a_missing_root_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a/b/c");
    for command in ["build", "check"] {
        let out = bin()
            .arg(command)
            .arg("--root")
            .arg(&root)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
    }
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn symlinks_leading_outside_the_site_are_errors_naming_the_link() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "机密").unwrap();
    std::fs::write(outside.path().join("x.md"), "+++\ntitle = \"外部\"\n+++\n").unwrap();
    let site = SiteTest::fixture("basic");
    std::fs::remove_dir_all(site.root.join("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root.join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.md"),
        site.root.join("content/news/wai.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/nowhere/at/all", site.root.join("content/dangling.md")).unwrap();
    let out = site.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for name in ["static:", "content/news/wai.md:", "content/dangling.md:"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(name) && l.contains("error[io]")),
            "{name}: {err}"
        );
    }
    assert!(!site.public().exists());
    let out = site.run("check", &[]);
    assert_eq!(out.status.code(), Some(1));
    // A link that stays inside the site is followed.
    std::fs::remove_file(site.root.join("static")).unwrap();
    std::fs::remove_file(site.root.join("content/news/wai.md")).unwrap();
    std::fs::remove_file(site.root.join("content/dangling.md")).unwrap();
    site.write(
        "shared/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    std::fs::create_dir(site.root.join("static")).unwrap();
    std::os::unix::fs::symlink(site.root.join("shared"), site.root.join("static/shared")).unwrap();
    site.build(&[]);
    assert!(site.exists("shared/logo.svg"));
}

#[test]
fn theme_and_dictionary_paths_stay_inside_the_site() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    for (line, key) in [
        ("theme = \"/etc\"", "theme"),
        ("theme = \"../other\"", "theme"),
    ] {
        site.write("config.toml", &format!("{line}\n{config}"));
        let out = site.run("check", &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stdout(&out).contains(&format!("config.toml:1:1: error[config]: {key}")),
            "{line}: {}",
            stdout(&out)
        );
    }
    for words in ["/etc/passwd", "../../etc/passwd"] {
        site.write("config.toml", &format!("{config}words = \"{words}\"\n"));
        let out = site.run("check", &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stdout(&out).contains("error[config]: words"),
            "{}",
            stdout(&out)
        );
        assert!(!stdout(&out).contains("root:"), "{}", stdout(&out));
    }
}

#[test]
fn devices_links_and_huge_files_are_not_read_as_dictionaries() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    std::fs::create_dir_all(site.root.join("check")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", site.root.join("check/zero.toml")).unwrap();
    let huge = std::fs::File::create(site.root.join("check/huge.toml")).unwrap();
    huge.set_len(64 << 20).unwrap();
    for (file, why) in [("zero.toml", "站点目录之外"), ("huge.toml", "文件过大")] {
        site.write(
            "config.toml",
            &format!("{config}words = \"check/{file}\"\n"),
        );
        let started = Instant::now();
        let out = site.run("check", &[]);
        assert!(started.elapsed() < Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stdout(&out).contains(&format!("check/{file}: error[config]"))
                && stdout(&out).contains(why),
            "{file}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output_and_the_next_build_tidies_up() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    let old = snapshot(&site.public());
    site.write(
        "content/news/yaowen/2026-08-01-xin-wen.md",
        "+++\ntitle = \"新的一篇\"\n+++\n正文。\n",
    );
    // Pause 150 ms before and after the exchange; kill at moments spread over the whole build.
    let mut killed = 0;
    for i in 0..12u64 {
        let mut child = bin()
            .args(["build", "--root"])
            .arg(&site.root)
            .args(["--today", TODAY])
            .env("TONGXIN_TEST_SWAP_PAUSE_MS", "150")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + i * 30));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&site.public());
        assert!(
            site.exists("index.html") && site.exists(".tongxin"),
            "round {i}"
        );
        let new_page = now.keys().any(|k| k.contains("xin-wen"));
        if !new_page {
            assert_eq!(now, old, "round {i}: neither the old output nor the new");
        }
    }
    assert!(
        killed >= 6,
        "only {killed} builds were killed before they ended"
    );
    let out = site.build(&[]);
    assert!(!stderr(&out).contains("[io]"), "{}", stderr(&out));
    assert!(site.exists("news/yaowen/xin-wen/index.html"));
    let left = settle(&site.root);
    assert!(!left.iter().any(|n| n.starts_with(".public")), "{left:?}");
}

/// Makes `path` impossible to delete: immutable as root, a read-only folder otherwise.
/// Returns how to undo it for everything under `root` (the file moves with the old output), or
/// panics when neither works here.
fn make_undeletable(path: &Path, root: &Path) -> Box<dyn Fn()> {
    let root = root.to_path_buf();
    let run = |args: &[&str], p: &Path| {
        std::process::Command::new(args[0])
            .args(&args[1..])
            .arg(p)
            .status()
            .is_ok_and(|s| s.success())
    };
    if run(&["chattr", "+i"], path) {
        return Box::new(move || {
            run(&["chattr", "-R", "-i"], &root);
        });
    }
    let dir = path.parent().unwrap();
    run(&["chmod", "a-w"], dir);
    let probe = std::fs::File::create(dir.join("probe"));
    assert!(
        probe.is_err(),
        "cannot make a file undeletable here (no chattr, running as root?)"
    );
    Box::new(move || {
        run(&["chmod", "-R", "u+w"], &root);
    })
}

#[test]
fn an_old_output_that_cannot_be_deleted_is_a_warning_and_exit_0() {
    let site = SiteTest::fixture("basic");
    site.build(&[]);
    site.write("static/extra/stuck.txt", "x");
    site.build(&[]);
    settle(&site.root);
    let undo = make_undeletable(&site.public().join("extra/stuck.txt"), &site.root);
    site.write(
        "content/news/yaowen/2026-08-01-xin-wen.md",
        "+++\ntitle = \"新的一篇\"\n+++\n正文。\n",
    );
    let out = site.run("build", &[]);
    let second = site.run("build", &[]);
    undo();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.exists("news/yaowen/xin-wen/index.html"));
    // The detached deletion failed; the next build tries again and says so.
    assert_eq!(second.status.code(), Some(0));
    assert!(
        stderr(&second).contains("warning[io]") && stderr(&second).contains("无法删除旧的输出目录"),
        "{}",
        stderr(&second)
    );
    site.build(&[]);
    let left = settle(&site.root);
    assert!(!left.iter().any(|n| n.starts_with(".public")), "{left:?}");
}

#[test]
fn over_long_names_are_cut_or_reported_at_their_source() {
    let site = SiteTest::fixture("basic");
    let long = "长".repeat(60);
    site.write(
        &format!("content/news/yaowen/2026-08-01-{long}.md"),
        &format!("+++\ntitle = \"长\"\n[taxonomies]\ntags = [\"{long}\"]\n+++\n正文。\n"),
    );
    site.write(
        &format!("content/news/{long}/_index.md"),
        "+++\ntitle = \"长栏目\"\n+++\n",
    );
    site.write(
        &format!("content/news/{long}/2026-08-02-a.md"),
        "+++\ntitle = \"一篇\"\n+++\n正文。\n",
    );
    site.build(&[]);
    let cut = "chang-".repeat(15) + "chang";
    assert!(site.exists(&format!("news/yaowen/{cut}/index.html")));
    assert!(site.exists(&format!("tags/{cut}/index.html")));
    site.write(
        "content/news/yaowen/2026-08-03-b.md",
        &format!(
            "+++\ntitle = \"b\"\nslug = \"{}\"\n+++\n正文。\n",
            "chang-".repeat(60)
        ),
    );
    for command in ["build", "check"] {
        let out = site.run(command, &[]);
        assert_eq!(out.status.code(), Some(1));
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            text.contains("content/news/yaowen/2026-08-03-b.md:3:") && text.contains("slug 太长"),
            "{command}: {text}"
        );
    }
}
