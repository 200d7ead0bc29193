//! `check --external` against a loopback server that answers by path: 200, permanent and
//! temporary redirects, 404, 500, a response that never comes, and a server that refuses HEAD.
//! Every run points the cache into the test's temporary folder and shortens the timeout, so no
//! test reaches the internet or waits long.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::*;

/// The loopback server: what it was asked (method, path), and how to stop it.
struct Server {
    addr: SocketAddr,
    asked: Arc<Mutex<Vec<(String, String)>>>,
    stop: Arc<AtomicBool>,
    accepting: Option<JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, stopped) = (asked.clone(), stop.clone());
        let accepting = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let log = log.clone();
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Server {
            addr,
            asked,
            stop,
            accepting: Some(accepting),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn asked(&self) -> Vec<(String, String)> {
        self.asked.lock().unwrap().clone()
    }

    /// Closes the port: a request after this is refused.
    fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.accepting.take() {
            t.join().unwrap();
        }
    }
}

/// Reads one request and answers it by path; `/stall` holds the connection without a word.
fn answer(mut stream: TcpStream, log: &Mutex<Vec<(String, String)>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if method.is_empty() {
        return;
    }
    log.lock()
        .unwrap()
        .push((method.to_string(), path.to_string()));
    let (status, location) = match path {
        "/ok" => ("200 OK", None),
        "/moved" => ("301 Moved Permanently", Some("/ok")),
        "/temp" => ("302 Found", Some("/ok")),
        "/gone" => ("404 Not Found", None),
        "/broken" => ("500 Internal Server Error", None),
        "/head-not-allowed" if method == "HEAD" => ("405 Method Not Allowed", None),
        "/head-not-allowed" => ("200 OK", None),
        "/stall" => {
            std::thread::sleep(Duration::from_secs(5));
            return;
        }
        _ => ("404 Not Found", None),
    };
    let location = location.map_or(String::new(), |l| format!("Location: {l}\r\n"));
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// A site of two news pages whose links point at `server` (`SERVER` in the text).
fn site_linking(server: &str, page: &str, other: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "config.toml",
        "title = \"外链测试政协\"\nbase_url = \"https://zx.example.gov.cn\"\n\n[footer]\norganizer = \"外链测试政协办公室\"\nicp = \"测ICP备00000003号\"\n",
    )
    .write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n")
    .write(
        "content/news/_index.md",
        "+++\ntitle = \"新闻\"\nkind = \"news\"\n+++\n",
    )
    .write(
        "content/news/2026-11-19-wai-lian.md",
        &page.replace("SERVER", server),
    )
    .write(
        "content/news/2026-11-18-zai-ci.md",
        &other.replace("SERVER", server),
    );
    site
}

const PAGE: &str = "+++
title = \"外部链接汇总\"
+++

[正常](http://SERVER/ok)
[已迁移](http://SERVER/moved)
[临时跳转](http://SERVER/temp)
已删除：[已删除](http://SERVER/gone#di-er-duan)
[出错](http://SERVER/broken)
[无响应](http://SERVER/stall)
[不许 HEAD](http://SERVER/head-not-allowed)
";

const OTHER: &str = "+++
title = \"再次引用\"
+++

同一个已删除的网页：<http://SERVER/gone>
";

const WAI_LIAN: &str = "content/news/2026-11-19-wai-lian.md";
const ZAI_CI: &str = "content/news/2026-11-18-zai-ci.md";

/// `tongxin check --format json ARGS…` with the cache in `cache`, two-second timeouts (short,
/// yet long enough for a loopback answer on a busy machine) and no proxy from the environment.
fn check(site: &SiteTest, cache: &std::path::Path, args: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.arg("check")
        .arg("--root")
        .arg(&site.root)
        .args(["--today", TODAY, "--format", "json"])
        .args(args)
        .env("TONGXIN_CACHE_DIR", cache)
        .env("TONGXIN_EXTERNAL_TIMEOUT_MS", "2000");
    for proxy in ["ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] {
        cmd.env_remove(proxy).env_remove(proxy.to_lowercase());
    }
    cmd.output().expect("run tongxin")
}

/// (file, line, column, level, message, hint) of every `external-link` diagnostic.
fn external_links(out: &Output) -> Vec<(String, u64, u64, String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)));
    v.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "external-link")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["level"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn external_links_that_fail_or_moved_for_good_are_warned_where_written() {
    let server = Server::start();
    let site = site_linking(&server.addr.to_string(), PAGE, OTHER);
    let cache = site.outside("cache");
    let started = Instant::now();
    let out = check(&site, &cache, &["--external"]);
    let took = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings only\n{}",
        stdout(&out)
    );
    let found: Vec<(String, u64, u64, String)> = external_links(&out)
        .into_iter()
        .map(|(file, line, column, _, message, _)| (file, line, column, message))
        .collect();
    let url = |p: &str| server.url(p);
    let expected = vec![
        (
            ZAI_CI.to_string(),
            5,
            11,
            format!("外部链接 {} 无法访问（HTTP 404）", url("/gone")),
        ),
        (
            WAI_LIAN.to_string(),
            6,
            1,
            format!("外部链接 {} 已永久跳转", url("/moved")),
        ),
        (
            WAI_LIAN.to_string(),
            8,
            5,
            format!("外部链接 {}#di-er-duan 无法访问（HTTP 404）", url("/gone")),
        ),
        (
            WAI_LIAN.to_string(),
            9,
            1,
            format!("外部链接 {} 无法访问（HTTP 500）", url("/broken")),
        ),
        (
            WAI_LIAN.to_string(),
            10,
            1,
            format!("外部链接 {} 无法访问（连接超时）", url("/stall")),
        ),
    ];
    assert_eq!(found, expected);
    let moved = external_links(&out)
        .into_iter()
        .find(|d| d.4.contains("已永久跳转"))
        .unwrap();
    assert_eq!(moved.3, "warning");
    assert_eq!(
        moved.5,
        format!("链接已永久跳转到 {}，建议改为新地址", url("/ok"))
    );
    assert!(
        took < Duration::from_secs(8),
        "a stalled server held check for {took:?}"
    );

    let asked = server.asked();
    let count = |method: &str, path: &str| {
        asked
            .iter()
            .filter(|(m, p)| m == method && p == path)
            .count()
    };
    assert_eq!(
        count("HEAD", "/gone"),
        1,
        "one URL, fetched once: {asked:?}"
    );
    assert_eq!(count("HEAD", "/head-not-allowed"), 1, "{asked:?}");
    assert_eq!(
        count("GET", "/head-not-allowed"),
        1,
        "GET after a 405: {asked:?}"
    );
    assert_eq!(count("GET", "/ok"), 0, "HEAD is enough: {asked:?}");
    assert!(cache.join("external-links.json").is_file());
    server.stop();
}

#[test]
fn answers_come_from_the_cache_for_a_day() {
    let server = Server::start();
    let page = "+++\ntitle = \"外链\"\n+++\n\n[正常](http://SERVER/ok)\n[已迁移](http://SERVER/moved)\n[已删除](http://SERVER/gone)\n";
    let site = site_linking(
        &server.addr.to_string(),
        page,
        "+++\ntitle = \"另一篇\"\n+++\n\n正文。\n",
    );
    let cache = site.outside("cache");
    let first = check(&site, &cache, &["--external"]);
    let fetched = external_links(&first);
    assert_eq!(fetched.len(), 2, "{fetched:?}");
    server.stop();

    let cached = check(&site, &cache, &["--external"]);
    assert_eq!(
        external_links(&cached),
        fetched,
        "the server is gone: all from the cache"
    );
    assert_eq!(stdout(&cached), stdout(&first));

    // An answer two days old is asked again, and now the port is closed.
    let file = cache.join("external-links.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let gone = fetched[1].4.split(' ').nth(1).unwrap().to_string();
    let entry = &mut json["links"][&gone];
    let at = entry["fetched_at"].as_u64().expect("entry for the 404");
    entry["fetched_at"] = (at - 2 * 24 * 60 * 60).into();
    std::fs::write(&file, json.to_string()).unwrap();
    let stale = check(&site, &cache, &["--external"]);
    let found = external_links(&stale);
    assert_eq!(found[0], fetched[0], "the redirect is still cached");
    assert_eq!(
        found[1].4,
        format!("外部链接 {gone} 无法访问（连接被拒绝）"),
        "{found:?}"
    );
    let walked = walkdir(&site.root);
    assert!(
        walked
            .iter()
            .all(|p| !p.to_string_lossy().contains("external-links")),
        "no cache in the site: {walked:?}"
    );
}

#[test]
fn without_external_no_link_is_fetched() {
    let server = Server::start();
    let site = site_linking(&server.addr.to_string(), PAGE, OTHER);
    let cache = site.outside("cache");
    let out = check(&site, &cache, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(external_links(&out), vec![]);
    assert_eq!(server.asked(), vec![], "no request without --external");
    assert!(!cache.exists(), "no cache without --external");
    server.stop();
}

#[test]
fn a_host_that_does_not_resolve_is_a_warning() {
    // A label of 64 characters is one more than DNS allows (RFC 1035): the system's resolver
    // refuses the name before asking any server, so the test stays on this machine.
    let host = format!("{}.invalid", "a".repeat(64));
    let url = format!("http://{host}/");
    let page = format!("+++\ntitle = \"外链\"\n+++\n\n[不存在]({url})\n");
    let site = site_linking("unused", &page, "+++\ntitle = \"另一篇\"\n+++\n\n正文。\n");
    let out = check(&site, &site.outside("cache"), &["--external"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let found = external_links(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, line, column, level, message, _) = &found[0];
    assert_eq!((file.as_str(), *line, *column), (WAI_LIAN, 5, 1));
    assert_eq!(level, "warning");
    assert_eq!(message, &format!("外部链接 {url} 无法访问（域名无法解析）"));
}

#[test]
fn a_page_may_allow_an_external_link_that_fails() {
    // A port that was just free: nothing listens there, so the connection is refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let page = "+++\ntitle = \"外链\"\nallow = [{ rule = \"external-link\", reason = \"内网地址，外网无法访问\" }]\n+++\n\n[内网](http://SERVER/)\n";
    let site = site_linking(
        &format!("127.0.0.1:{port}"),
        page,
        "+++\ntitle = \"另一篇\"\n+++\n\n正文。\n",
    );
    let out = check(&site, &site.outside("cache"), &["--external"]);
    let found = external_links(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].3, "allowed");
    assert_eq!(found[0].5, "内网地址，外网无法访问");
}
