//! Output to a closed pipe (`tongxin check | head`) or a full disk (`> /dev/full`): a normal end
//! with the command's own status, or a plain error with exit 1 — never a panic.

use std::process::{Command, Output, Stdio};

use crate::support::*;

/// `tongxin COMMAND --root ROOT --today TODAY ARGS…`, not yet run.
fn command(site: &SiteTest, name: &str, args: &[&str]) -> Command {
    let mut command = bin();
    command
        .arg(name)
        .arg("--root")
        .arg(&site.root)
        .args(["--today", TODAY])
        .args(args);
    command
}

/// The basic site plus one page that `check` reports a thousand warnings in (about 250 KB of
/// output, far more than a pipe holds, so the writer meets the closed pipe whatever the timing).
fn noisy_site() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &format!("{config}words = \"check/words.toml\"\n"),
    );
    site.write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协大会\"\nright = \"政协全体会议\"\nlevel = \"warning\"\n",
    );
    let body: String = (0..1000)
        .map(|i| format!("第{i}段，召开政协大会。\n\n"))
        .collect();
    site.write(
        "content/news/yaowen/2026-04-05-duo.md",
        &format!("+++\ntitle = \"很多警告\"\n+++\n\n{body}"),
    );
    site
}

/// Runs `command` with its stdout a pipe whose read end is closed at once.
fn into_closed_pipe(command: &mut Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tongxin");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait for tongxin")
}

/// Runs `command` with its stdout `/dev/full`, where every write fails with ENOSPC.
fn onto_full_disk(command: &mut Command) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    command.stdout(full).output().expect("run tongxin")
}

fn assert_no_panic(out: &Output) {
    assert_ne!(out.status.code(), Some(101), "{}", stderr(out));
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

#[test]
fn check_into_a_closed_pipe_ends_quietly_with_its_own_status() {
    let site = noisy_site();
    let out = into_closed_pipe(&mut command(&site, "check", &[]));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "warnings only: check's status");
    assert_eq!(stderr(&out), "", "a closed pipe is a normal end");

    site.write(
        "check/words.toml",
        "[[rule]]\nwrong = \"政协大会\"\nright = \"政协全体会议\"\nlevel = \"error\"\n",
    );
    let out = into_closed_pipe(&mut command(&site, "check", &["--format", "json"]));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "errors: check's status");
    assert_eq!(stderr(&out), "", "a closed pipe is a normal end");
}

#[test]
fn build_new_and_init_into_a_closed_pipe_succeed() {
    let site = SiteTest::fixture("basic");
    let out = into_closed_pipe(&mut command(&site, "build", &[]));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.exists("index.html"));

    let out = into_closed_pipe(&mut command(&site, "new", &["news/yaowen", "管道稿件"]));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = into_closed_pipe(&mut command(&site, "init", &["new-site"]));
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.root.join("new-site/config.toml").is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn output_onto_a_full_disk_is_an_error_in_chinese() {
    let site = noisy_site();
    for (name, args) in [
        ("check", &[][..]),
        ("check", &["--format", "json"][..]),
        ("build", &[][..]),
        ("new", &["news/yaowen", "写满的稿件"][..]),
        ("init", &["full-site"][..]),
    ] {
        let out = onto_full_disk(&mut command(&site, name, args));
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{name} {args:?}");
        assert!(
            stderr(&out).contains("stdout: error[refused]: 无法写入标准输出："),
            "{name} {args:?}: {}",
            stderr(&out)
        );
    }
    let help = onto_full_disk(bin().arg("--help"));
    assert_no_panic(&help);
    assert_eq!(help.status.code(), Some(1));
}

#[cfg(target_os = "linux")]
#[test]
fn warnings_onto_a_full_stderr_do_not_stop_a_build() {
    let site = noisy_site();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = command(&site, "build", &[])
        .stderr(full)
        .output()
        .expect("run tongxin");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("已生成"), "{}", stdout(&out));
}
