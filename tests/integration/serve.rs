//! `tongxin serve` on a free loopback port: pages served from memory, rebuilt on save, the last
//! good site kept on errors, and paths that could leave the site refused.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// A running `serve`, stopped when dropped.
pub(super) struct Server {
    pub(super) child: Child,
    pub(super) addr: String,
    pub(super) log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn start(site: &SiteTest) -> Server {
    start_with(site, true, &[])
}

/// `with_root`: pass `--root` (else run in the site's folder, as staff do); `env`: variables
/// for the server (the internal limits, lowered so tests do not wait).
pub(super) fn start_with(site: &SiteTest, with_root: bool, env: &[(&str, &str)]) -> Server {
    let mut command = bin();
    command.arg("serve").envs(env.iter().copied());
    if with_root {
        command.arg("--root").arg(&site.root);
    } else {
        command.current_dir(&site.root);
    }
    let mut child = command
        .args(["--port", "0", "--today", TODAY])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(site.root.with_file_name("serve.log")).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("http://")
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or_else(|| panic!("first line is the URL: {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "binds to loopback: {addr}");
    Server {
        child,
        addr,
        log: site.root.with_file_name("serve.log"),
    }
}

/// (status code, content type, body) of a raw GET.
pub(super) fn get(server: &Server, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = status_of(head);
    let kind = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or("")
        .to_string();
    (status, kind, body.to_string())
}

/// The status code of a response's text (0 when there is none).
pub(super) fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Sends `request` as it is and returns what comes back until the server closes. A write the
/// server cut short, or a reset after its answer, ends the exchange without failing the test.
pub(super) fn exchange(server: &Server, request: &[u8]) -> String {
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).into_owned()
}

/// Polls until `cond` holds on the GET of `path`, for up to 10 s.
pub(super) fn poll(server: &Server, path: &str, cond: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let start = Instant::now();
    loop {
        let (status, _, body) = get(server, path);
        if cond(status, &body) {
            return (status, body);
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting on {path}: {status}; serve said:\n{}",
            std::fs::read_to_string(&server.log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_with_live_reload_and_right_types() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let (status, kind, body) = get(&server, "/news/yaowen/chang-wei-hui/");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("区政协召开常委会议"));
    assert!(body.contains("<script src=\"/__tongxin/reload.js\"></script></body>"));
    let (_, _, feed) = get(&server, "/rss.xml");
    assert!(
        feed.contains(&format!("<link>http://{}/", server.addr)),
        "base_url is the serve URL"
    );
    // The theme's CSS and JS under their fingerprinted names, as the pages name them.
    let named = |body: &str, pattern: &str| {
        let re = regex::Regex::new(pattern).unwrap();
        re.find(body).unwrap().as_str().to_string()
    };
    let css = named(&body, r"/style\.[0-9a-f]{10}\.css");
    let (_, _, search) = get(&server, "/search/");
    let js = named(&search, r"/tongxin/search\.[0-9a-f]{10}\.js");
    for (path, kind) in [
        (css.as_str(), "text/css; charset=utf-8"),
        ("/rss.xml", "application/xml; charset=utf-8"),
        ("/images/hall.svg", "image/svg+xml"),
        (js.as_str(), "text/javascript; charset=utf-8"),
        ("/search/index/meta.json", "application/json"),
    ] {
        let (status, got, _) = get(&server, path);
        assert_eq!((status, got.as_str()), (200, kind), "{path}");
    }
    let (status, _, body) = get(&server, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在"), "404.html is served");
    assert!(!site.public().exists(), "serve writes no output folder");
}

#[test]
fn edits_new_pages_deletions_and_errors_are_picked_up() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let page = "content/news/yaowen/2026-03-01-chang-wei-hui.md";
    let original = std::fs::read_to_string(site.root.join(page)).unwrap();
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
        s == 200 && b.contains("会议审议通过了有关事项")
    });
    site.write(
        page,
        &original.replace("会议审议通过了有关事项", "会议审议通过了新修改的事项"),
    );
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
        s == 200 && b.contains("新修改的事项")
    });

    site.write(
        "content/news/yaowen/2026-04-09-xin-gao.md",
        "+++\ntitle = \"新建的稿件\"\n+++\n\n正文。\n",
    );
    poll(&server, "/news/yaowen/xin-gao/", |s, b| {
        s == 200 && b.contains("新建的稿件")
    });
    site.remove("content/news/yaowen/2026-04-09-xin-gao.md");
    poll(&server, "/news/yaowen/xin-gao/", |s, _| s == 404);

    // A broken file: the last good page stays, and the error reaches the browser.
    site.write(page, "+++\ntitle = \"坏\n+++\n");
    let mut events = TcpStream::connect(&server.addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(events, "GET /__tongxin/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut reader = BufReader::new(events);
    let start = Instant::now();
    let mut seen = String::new();
    while !seen.contains("error[front-matter]") {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        seen.push_str(&line);
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no error event: {seen}"
        );
    }
    assert!(seen.contains("event: build-error"), "{seen}");
    let (status, _, body) = get(&server, "/news/yaowen/chang-wei-hui/");
    assert_eq!(status, 200);
    assert!(
        body.contains("新修改的事项"),
        "the last good page is still served"
    );
    // The next good save clears it.
    site.write(page, &original);
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
        s == 200 && b.contains("会议审议通过了有关事项")
    });
}

#[test]
fn paths_that_could_leave_the_site_are_refused() {
    let site = SiteTest::fixture("basic");
    std::fs::write(site.root.join("secret.txt"), "secret").unwrap();
    // A link out of the site at its root is not part of the built site either.
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root.join("secret.txt"), site.root.join("leak.txt")).unwrap();
    let server = start(&site);
    for path in [
        "/../secret.txt",
        "/news/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/news/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/news%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/config.toml",
        "/content/_index.md",
        "/leak.txt",
    ] {
        let (status, _, body) = get(&server, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("secret") && !body.contains("base_url"),
            "{path} leaked"
        );
    }
}

#[test]
fn sections_templates_and_folders_change_without_restart() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    poll(&server, "/news/tongzhi/", |s, _| s == 200);
    let (_, _, meta) = get(&server, "/search/index/meta.json");

    // A whole section renamed.
    std::fs::rename(
        site.root.join("content/news/tongzhi"),
        site.root.join("content/news/gonggao"),
    )
    .unwrap();
    poll(&server, "/news/gonggao/", |s, _| s == 200);
    poll(&server, "/news/tongzhi/", |s, _| s == 404);

    // A new section, folder and files at once.
    site.write(
        "content/news/xin/_index.md",
        "+++\ntitle = \"新栏目\"\n+++\n",
    );
    site.write(
        "content/news/xin/2026-04-01-di-yi-pian.md",
        "+++\ntitle = \"新栏目的第一篇\"\n+++\n\n新栏目正文，含检索词青苔巷。\n",
    );
    poll(&server, "/news/xin/di-yi-pian/", |s, b| {
        s == 200 && b.contains("新栏目的第一篇")
    });
    poll(&server, "/news/xin/", |s, b| {
        s == 200 && b.contains("新栏目的第一篇")
    });
    // The search index is built anew after the pages are served.
    poll(&server, "/search/index/meta.json", |s, b| {
        s == 200 && b != meta
    });

    // `templates/` did not exist when serve started.
    let theme =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html");
    let page = std::fs::read_to_string(theme).unwrap();
    site.write(
        "templates/page.html",
        &page.replacen(
            "{% block content %}",
            "{% block content %}<p>本站自定义模板</p>",
            1,
        ),
    );
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
        s == 200 && b.contains("本站自定义模板")
    });
    let (_, _, list) = get(&server, "/news/yaowen/");
    assert!(
        !list.contains("本站自定义模板"),
        "lists do not use page.html"
    );
    // Deleted: the theme's template again. Made again, then edited: watched again.
    std::fs::remove_dir_all(site.root.join("templates")).unwrap();
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
        s == 200 && !b.contains("本站自定义模板")
    });
    for marker in ["重建的模板", "重建后再改"] {
        site.write(
            "templates/page.html",
            &page.replacen(
                "{% block content %}",
                &format!("{{% block content %}}<p>{marker}</p>"),
                1,
            ),
        );
        poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
            s == 200 && b.contains(marker)
        });
    }
}

#[test]
fn serving_from_the_site_folder_without_root_sees_edits() {
    let site = SiteTest::fixture("basic");
    let server = start_with(&site, false, &[]);
    let page = "content/news/yaowen/2026-03-01-chang-wei-hui.md";
    let original = std::fs::read_to_string(site.root.join(page)).unwrap();
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, _| s == 200);
    site.write(page, &format!("{original}\n在站点目录中运行时的修改。\n"));
    poll(&server, "/news/yaowen/chang-wei-hui/", |s, b| {
        s == 200 && b.contains("在站点目录中运行时的修改")
    });
}

#[test]
fn a_30_kb_request_line_gets_414_and_serving_goes_on() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let path = "a".repeat(30 * 1024);
    let answer = exchange(
        &server,
        format!("GET /{path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
    );
    assert_eq!(status_of(&answer), 414, "{answer}");
    // A long but ordinary address is still looked up.
    let (status, _, _) = get(&server, &format!("/{}", "b".repeat(6000)));
    assert_eq!(status, 404);
    let (status, _, body) = get(&server, "/news/yaowen/chang-wei-hui/");
    assert_eq!(status, 200);
    assert!(body.contains("区政协召开常委会议"));
}

#[test]
fn too_many_or_too_large_headers_get_431() {
    let site = SiteTest::fixture("basic");
    let server = start(&site);
    let many: String = (0..200).map(|i| format!("X-Filler-{i}: v\r\n")).collect();
    let answer = exchange(&server, format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes());
    assert_eq!(status_of(&answer), 431, "{answer}");
    let one = format!("X-Big: {}\r\n", "v".repeat(40 * 1024));
    let answer = exchange(&server, format!("GET / HTTP/1.1\r\n{one}\r\n").as_bytes());
    assert_eq!(status_of(&answer), 431, "{answer}");
    let (status, _, _) = get(&server, "/");
    assert_eq!(status, 200, "serving goes on");
}

#[test]
fn a_client_trickling_its_request_is_cut_off_at_the_deadline() {
    const DEADLINE: Duration = Duration::from_millis(1000);
    let site = SiteTest::fixture("basic");
    let server = start_with(&site, true, &[("TONGXIN_SERVE_DEADLINE_MS", "1000")]);
    let started = Instant::now();
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut answer = Vec::new();
    // One byte every 500 ms: each would restart a plain read timeout.
    for byte in b"GET / HTTP/1.1\r\nHost: slow.example\r\n".iter().cycle() {
        assert!(
            started.elapsed() < DEADLINE * 4,
            "still open after {:?}",
            started.elapsed()
        );
        if s.write_all(&[*byte]).is_err() {
            break;
        }
        let mut buf = [0u8; 1024];
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed >= DEADLINE && elapsed < DEADLINE * 2,
        "closed after {elapsed:?}"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert_eq!(status_of(&answer), 408, "{answer}");
    let (status, _, _) = get(&server, "/");
    assert_eq!(status, 200, "serving goes on");
}

#[test]
fn connections_beyond_the_cap_get_503_until_one_closes() {
    const CAP: usize = 8;
    let site = SiteTest::fixture("basic");
    let cap = CAP.to_string();
    let server = start_with(
        &site,
        true,
        &[
            ("TONGXIN_SERVE_MAX_CONNECTIONS", &cap),
            // Long enough that idle clients are not cut off during the test.
            ("TONGXIN_SERVE_DEADLINE_MS", "30000"),
        ],
    );
    // Idle clients hold every slot (connections are taken in the order they were made).
    let idle: Vec<TcpStream> = (0..CAP + 5)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    for extra in &idle[CAP..] {
        extra
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut raw = Vec::new();
        let _ = (&*extra).read_to_end(&mut raw);
        assert_eq!(status_of(&String::from_utf8_lossy(&raw)), 503);
    }
    let started = Instant::now();
    let answer = exchange(&server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status_of(&answer), 503, "{answer}");
    assert!(answer.contains("连接过多"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a busy server answers at once"
    );
    // Slots are given back when their connections close.
    drop(idle);
    poll(&server, "/", |s, _| s == 200);
}

/// Waits up to 20 s for the server's log to contain `text`; the log so far.
pub(super) fn wait_for_log(server: &Server, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let log = std::fs::read_to_string(&server.log).unwrap_or_default();
        if log.contains(text) || Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SPEC: `serve` reports what `check` would find, after the first build and again when a save
/// changes the findings.
#[test]
fn serve_reports_what_check_finds_and_when_it_is_fixed() {
    let site = SiteTest::fixture("basic");
    let page = "content/news/yaowen/2026-11-16-lian-jie.md";
    site.write(
        page,
        "+++\ntitle = \"链接\"\n+++\n\n见[会议](/news/bu-cun-zai/)。\n",
    );
    let server = start(&site);
    let wanted = format!("{page}:5:2: warning[link]: 链接 /news/bu-cun-zai/ 指向的页面不存在");
    let log = wait_for_log(&server, &wanted);
    assert!(log.contains(&wanted), "{log}");
    // Fixed, the findings are printed again, now without the link (the fixture's page dated
    // after `--today` stays).
    site.write(page, "+++\ntitle = \"链接\"\n+++\n\n见[会议](/news/)。\n");
    let future = "2026-12-25-wei-lai.md:1:1: warning[future]";
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut log = String::new();
    while Instant::now() < deadline && log.matches(future).count() < 2 {
        std::thread::sleep(Duration::from_millis(50));
        log = std::fs::read_to_string(&server.log).unwrap_or_default();
    }
    assert_eq!(log.matches(future).count(), 2, "{log}");
    assert_eq!(log.matches(&wanted).count(), 1, "{log}");
}
