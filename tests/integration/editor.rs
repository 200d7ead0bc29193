//! The editor at `/_tongxin/` of `tongxin serve`: its security rules (own host, token, origin,
//! paths confined to `content/` and `static/`), atomic saves refused on a stale version, new
//! pages as `tongxin new` writes them, and deletion into `.trash/`, which no build publishes.

use std::process::Stdio;

use super::serve::{Server, exchange, poll, start, status_of};
use crate::support::*;

/// A site with the editor fixture and a running server.
fn editor_site() -> (SiteTest, Server, String) {
    let site = SiteTest::fixture("editor");
    let server = start(&site);
    let token = token_of(&server);
    (site, server, token)
}

/// The token the editor's page carries.
fn token_of(server: &Server) -> String {
    let (status, body) = request(server, "GET", "/_tongxin/", &own(server), b"");
    assert_eq!(status, 200, "{body}");
    let at = body
        .find("name=\"tongxin-token\" content=\"")
        .expect("token meta")
        + 30;
    body[at..at + 64].to_string()
}

/// The headers of a good write: own host and origin, the token.
fn own(server: &Server) -> Vec<(String, String)> {
    vec![
        ("Host".into(), server.addr.clone()),
        ("Origin".into(), format!("http://{}", server.addr)),
    ]
}

fn with_token(server: &Server, token: &str) -> Vec<(String, String)> {
    let mut h = own(server);
    h.push(("X-Tongxin-Token".into(), token.into()));
    h
}

/// (status, body) of a raw request with exactly these headers (and Content-Length for a body).
fn request(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, String) {
    let mut raw = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    raw.push_str("Connection: close\r\n\r\n");
    let mut bytes = raw.into_bytes();
    bytes.extend_from_slice(body);
    let text = exchange(server, &bytes);
    let status = status_of(&text);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn post_json(
    server: &Server,
    name: &str,
    headers: &[(String, String)],
    json: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let (status, body) = request(
        server,
        "POST",
        &format!("/_tongxin/api/{name}"),
        headers,
        json.to_string().as_bytes(),
    );
    let value = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    (status, value)
}

fn get_json(server: &Server, path: &str, token: &str) -> (u16, serde_json::Value) {
    let (status, body) = request(server, "GET", path, &with_token(server, token), b"");
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

const NEWS: &str = "content/news/2026-11-10-chang-wei-hui.md";

#[test]
fn editor_writes_without_token_own_origin_or_own_host_are_refused_and_change_nothing() {
    let (site, server, token) = editor_site();
    let before = snapshot(&site.root);
    let page = get_json(&server, &format!("/_tongxin/api/page?path={NEWS}"), &token).1;
    let version = page["version"].as_str().unwrap().to_string();
    let save = serde_json::json!({
        "path": NEWS, "version": version, "changes": [["source", "改过了"]], "body": "改过了\n",
    });
    let addr = server.addr.clone();
    let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.replace("ADDR", &addr)))
            .collect()
    };
    let t = token.as_str();
    let refused: Vec<(&str, Vec<(String, String)>)> = vec![
        (
            "no token",
            h(&[("Host", "ADDR"), ("Origin", "http://ADDR")]),
        ),
        (
            "wrong token",
            h(&[
                ("Host", "ADDR"),
                ("Origin", "http://ADDR"),
                ("X-Tongxin-Token", "0123"),
            ]),
        ),
        ("no origin", h(&[("Host", "ADDR"), ("X-Tongxin-Token", t)])),
        (
            "foreign origin",
            h(&[
                ("Host", "ADDR"),
                ("Origin", "http://evil.example"),
                ("X-Tongxin-Token", t),
            ]),
        ),
        (
            "cross-site fetch",
            h(&[
                ("Host", "ADDR"),
                ("Origin", "http://ADDR"),
                ("X-Tongxin-Token", t),
                ("Sec-Fetch-Site", "cross-site"),
            ]),
        ),
        (
            "foreign host (DNS rebinding)",
            h(&[
                ("Host", "evil.example"),
                ("Origin", "http://evil.example"),
                ("X-Tongxin-Token", t),
            ]),
        ),
        (
            "no host",
            h(&[("Origin", "http://ADDR"), ("X-Tongxin-Token", t)]),
        ),
    ];
    for (why, headers) in &refused {
        let (status, body) = post_json(&server, "save", headers, &save);
        assert_eq!(status, 403, "{why}: {body}");
        let (status, _) = post_json(
            &server,
            "delete",
            headers,
            &serde_json::json!({ "path": NEWS }),
        );
        assert_eq!(status, 403, "{why}: delete");
    }
    // A rebound page cannot even read the token.
    let (status, body) = request(
        &server,
        "GET",
        "/_tongxin/",
        &h(&[("Host", "evil.example:80")]),
        b"",
    );
    assert_eq!(status, 403);
    assert!(!body.contains(&token));

    // Paths that leave content/ and static/.
    let good = with_token(&server, &token);
    for path in [
        "../config.toml",
        "/etc/passwd",
        "content/../config.toml",
        "content/../../outside.md",
        "config.toml",
        "content/news/../../config.toml",
        "content\\..\\config.toml",
        "C:/Windows/win.ini",
        ".trash/x.md",
        "content/.hidden.md",
    ] {
        let (status, body) = post_json(
            &server,
            "delete",
            &good,
            &serde_json::json!({ "path": path }),
        );
        assert_eq!(status, 400, "delete {path}: {body}");
        let mut s = save.clone();
        s["path"] = path.into();
        let (status, _) = post_json(&server, "save", &good, &s);
        assert_eq!(status, 400, "save {path}");
        let (status, _) = get_json(&server, &format!("/_tongxin/api/page?path={path}"), &token);
        assert_eq!(status, 400, "read {path}");
    }
    for section in ["../..", "/tmp", "news/../.."] {
        let (status, _) = post_json(
            &server,
            "new",
            &good,
            &serde_json::json!({ "section": section, "title": "越界" }),
        );
        assert_eq!(status, 400, "new in {section}");
    }
    let (status, _) = request(
        &server,
        "POST",
        "/_tongxin/api/upload?kind=image&name=x.png&page=..%2Fconfig.toml",
        &good,
        b"\x89PNG\r\n\x1a\n",
    );
    assert_eq!(status, 400, "upload beside a page outside content/");
    let (status, _) = request(
        &server,
        "GET",
        "/_tongxin/file/content/..%2F..%2Fconfig.toml",
        &own(&server),
        b"",
    );
    assert_eq!(status, 400, "preview files stay inside");
    assert_eq!(snapshot(&site.root), before, "nothing changed on disk");
}

#[test]
fn editor_bodies_need_a_length_within_the_limit() {
    let (_site, server, token) = editor_site();
    let mut headers = with_token(&server, &token);
    headers.push(("Content-Length".into(), "99999999999".into()));
    let raw = {
        let mut r = "POST /_tongxin/api/upload?kind=image&name=a.png HTTP/1.1\r\n".to_string();
        for (k, v) in &headers {
            r.push_str(&format!("{k}: {v}\r\n"));
        }
        r + "\r\n"
    };
    assert_eq!(status_of(&exchange(&server, raw.as_bytes())), 413);
    let mut chunked = "POST /_tongxin/api/save HTTP/1.1\r\n".to_string();
    for (k, v) in with_token(&server, &token) {
        chunked.push_str(&format!("{k}: {v}\r\n"));
    }
    chunked.push_str("Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assert_eq!(status_of(&exchange(&server, chunked.as_bytes())), 411);
}

#[test]
fn editor_saves_keep_the_format_and_a_stale_version_gets_409() {
    let (site, server, token) = editor_site();
    let good = with_token(&server, &token);
    let page = get_json(&server, &format!("/_tongxin/api/page?path={NEWS}"), &token).1;
    assert_eq!(page["fields"]["source"], "区政协办公室");
    assert_eq!(page["file_date"], "2026-11-10");
    let version = page["version"].as_str().unwrap().to_string();
    let body = page["body"].as_str().unwrap().to_string() + "\n新增一段。\n";
    let (status, saved) = post_json(
        &server,
        "save",
        &good,
        &serde_json::json!({
            "path": NEWS, "version": version,
            "changes": [["source", "区政协研究室"], ["pinned", true]], "body": body,
        }),
    );
    assert_eq!(status, 200, "{saved}");
    let file = site.root.join(NEWS);
    let saved_text = std::fs::read_to_string(&file).unwrap();
    // A change the site could not read (`taxonomies` as a key beside its table) is refused.
    let (status, refused) = post_json(
        &server,
        "save",
        &good,
        &serde_json::json!({
            "path": NEWS, "version": saved["version"],
            "changes": [["taxonomies", "x"]], "body": body,
        }),
    );
    assert_eq!(status, 400, "{refused}");
    assert!(refused.to_string().contains("无法读取"), "{refused}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), saved_text);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "+++\ntitle = \"区政协召开常委会议\"\nsource = \"区政协研究室\"   # 来源\nauthor = \"本网记者\"\npinned = true\n[taxonomies]\ntags = [\"常委会\"]\n+++\n\n区政协召开常委会议，听取专委会工作汇报。\n\n新增一段。\n"
    );
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("tongxin-tmp")),
        "{names:?}"
    );
    // The rebuilt site shows it.
    poll(&server, "/news/chang-wei-hui/", |s, b| {
        s == 200 && b.contains("新增一段")
    });

    // Someone else changes the file: the old version is refused, and the file stays theirs.
    let theirs = "+++\ntitle = \"别人改的标题\"\n+++\n\n别人的正文。\n";
    std::fs::write(&file, theirs).unwrap();
    let (status, conflict) = post_json(
        &server,
        "save",
        &good,
        &serde_json::json!({
            "path": NEWS, "version": saved["version"], "changes": [], "body": "我的正文\n",
        }),
    );
    assert_eq!(status, 409);
    assert_eq!(conflict["disk_text"], theirs);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    // Choosing to keep one's own version: saved against the version shown.
    let (status, _) = post_json(
        &server,
        "save",
        &good,
        &serde_json::json!({
            "path": NEWS, "version": conflict["disk_version"], "changes": [], "body": "\n我的正文\n",
        }),
    );
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "+++\ntitle = \"别人改的标题\"\n+++\n\n我的正文\n"
    );
}

#[test]
fn editor_new_pages_are_what_tongxin_new_writes() {
    let (site, server, token) = editor_site();
    let good = with_token(&server, &token);
    let (status, made) = post_json(
        &server,
        "new",
        &good,
        &serde_json::json!({ "section": "news", "title": "委员视察乡村振兴", "date": "2026-11-18" }),
    );
    assert_eq!(status, 200, "{made}");
    assert_eq!(
        made["path"],
        "content/news/2026-11-18-wei-yuan-shi-cha-xiang-cun-zhen-xing.md"
    );
    let (status, member) = post_json(
        &server,
        "new",
        &good,
        &serde_json::json!({ "section": "members", "title": "李华", "sector": "教育界" }),
    );
    assert_eq!(status, 200, "{member}");

    let other = SiteTest::fixture("editor");
    let out = bin()
        .args(["new", "news", "委员视察乡村振兴", "--root"])
        .arg(&other.root)
        .args(["--today", "2026-11-18"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(out.success());
    let out = bin()
        .args(["new", "members", "李华", "--sector", "教育界", "--root"])
        .arg(&other.root)
        .args(["--today", TODAY])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(out.success());
    for rel in [
        "content/news/2026-11-18-wei-yuan-shi-cha-xiang-cun-zhen-xing.md",
        "content/members/li-hua.md",
    ] {
        assert_eq!(
            std::fs::read_to_string(site.root.join(rel)).unwrap(),
            std::fs::read_to_string(other.root.join(rel)).unwrap(),
            "{rel}"
        );
    }
    // An existing file is not replaced.
    let (status, _) = post_json(
        &server,
        "new",
        &good,
        &serde_json::json!({ "section": "members", "title": "李华", "sector": "教育界" }),
    );
    assert_eq!(status, 400);
}

#[test]
fn editor_deletes_into_the_trash_which_no_build_publishes() {
    let (site, server, token) = editor_site();
    let good = with_token(&server, &token);
    let (status, gone) = post_json(
        &server,
        "delete",
        &good,
        &serde_json::json!({ "path": NEWS }),
    );
    assert_eq!(status, 200, "{gone}");
    let trash = gone["trash"].as_str().unwrap();
    assert!(
        trash.starts_with(".trash/") && trash.ends_with(NEWS),
        "{trash}"
    );
    assert!(site.root.join(trash).is_file());
    assert!(!site.root.join(NEWS).exists());
    poll(&server, "/news/chang-wei-hui/", |s, _| s == 404);
    drop(server);
    site.build(&[]);
    assert!(!site.exists("news/chang-wei-hui/index.html"));
    let all = walkdir(&site.public());
    assert!(
        all.iter().all(|p| !p.to_string_lossy().contains("trash")),
        "{all:?}"
    );
    let out = site.run("check", &[]);
    assert!(!stdout(&out).contains(".trash"), "{}", stdout(&out));
}

#[test]
fn editor_uploads_go_beside_the_page_with_safe_names() {
    let (site, server, token) = editor_site();
    let good = with_token(&server, &token);
    let png = png_bytes();
    let before = snapshot(&site.root);
    for name in [
        "..%2F..%2Fx.png",
        "%2Ftmp%2Fx.png",
        "C%3A%5Cx.png",
        ".hidden.png",
    ] {
        let (status, _) = request(
            &server,
            "POST",
            &format!(
                "/_tongxin/api/upload?kind=image&name={name}&page=content%2Fnews%2F2026-11-10-chang-wei-hui.md"
            ),
            &good,
            &png,
        );
        assert_eq!(status, 400, "{name}");
    }
    assert_eq!(snapshot(&site.root), before, "nothing written");
    let (status, body) = request(
        &server,
        "POST",
        "/_tongxin/api/upload?kind=image&name=%E4%BC%9A%E8%AE%AE%E7%8E%B0%E5%9C%BA.PNG&page=content%2Fnews%2F2026-11-10-chang-wei-hui.md&caption=%E4%BC%9A%E8%AE%AE%E7%8E%B0%E5%9C%BA",
        &good,
        &png,
    );
    assert_eq!(status, 200, "{body}");
    let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["path"], "content/news/hui-yi-xian-chang.png");
    assert_eq!(
        reply["markdown"],
        "![会议现场](/news/hui-yi-xian-chang.png)"
    );
    assert_eq!(
        std::fs::read(site.root.join("content/news/hui-yi-xian-chang.png")).unwrap(),
        png
    );
    // Not an image, though named as one; a type that is not allowed.
    for (name, bytes) in [
        ("x.png", &b"<script>"[..]),
        ("x.html", &b"<p>"[..]),
        ("x.svg", &b"<svg/>"[..]),
    ] {
        let (status, _) = request(
            &server,
            "POST",
            &format!(
                "/_tongxin/api/upload?kind=image&name={name}&page=content%2Fnews%2F2026-11-10-chang-wei-hui.md"
            ),
            &good,
            bytes,
        );
        assert_eq!(status, 400, "{name}");
    }
}

/// A small PNG.
fn png_bytes() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 6, image::Rgb([200, 30, 30]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn editor_checks_the_text_being_typed_at_its_lines() {
    let (_site, server, token) = editor_site();
    let good = with_token(&server, &token);
    let (status, found) = post_json(
        &server,
        "check",
        &good,
        &serde_json::json!({
            "path": NEWS, "changes": [],
            "body": "\n第一段。\n\n见[通知]（/news/）。\n",
        }),
    );
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["body_line"], 8);
    let slip = found["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "punctuation")
        .unwrap_or_else(|| panic!("{found}"));
    assert_eq!(slip["line"], 11);
}

#[test]
fn a_static_file_under_the_editors_path_is_refused_by_build() {
    let site = SiteTest::fixture("editor");
    site.write("static/_tongxin/index.html", "<p>x</p>");
    let out = site.run("build", &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("/_tongxin/ 留给编辑后台使用"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_allow_remote_another_interface_gets_no_editor() {
    let site = SiteTest::fixture("editor");
    let mut child = bin()
        .args([
            "serve",
            "--interface",
            "0.0.0.0",
            "--port",
            "0",
            "--today",
            TODAY,
            "--root",
        ])
        .arg(&site.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port = line
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let server = Server {
        child,
        addr: format!("127.0.0.1:{port}"),
        log: site.root.with_file_name("serve.log"),
    };
    let (status, body) = request(&server, "GET", "/_tongxin/", &own(&server), b"");
    assert_eq!(status, 403);
    assert!(body.contains("--allow-remote"), "{body}");
}

#[test]
fn editor_imports_a_dropped_docx_as_import_does() {
    let (site, server, token) = editor_site();
    let docx = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static/files/du-shu-jiao-liu-bao-ming-biao.docx"),
    )
    .unwrap();
    let (status, body) = request(
        &server,
        "POST",
        "/_tongxin/api/upload?kind=docx&name=%E6%8A%A5%E5%90%8D%E8%A1%A8.docx&section=news",
        &with_token(&server, &token),
        &docx,
    );
    assert_eq!(status, 200, "{body}");
    let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
    let page = reply["path"].as_str().unwrap();
    assert_eq!(
        page,
        "content/news/2026-11-20-qing-shan-qu-zheng-xie-wei-yuan-du-shu-jiao-liu-hui-bao-ming-biao.md"
    );
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    assert!(text.contains("draft = true"), "{text}");
    // Nothing of the upload is left in the site.
    assert!(
        walkdir(&site.root)
            .iter()
            .all(|p| !p.to_string_lossy().ends_with(".docx")),
        "the .docx itself is not kept"
    );
}

#[test]
fn editor_renames_keep_the_date_and_never_replace_a_file() {
    let (site, server, token) = editor_site();
    let good = with_token(&server, &token);
    let (status, renamed) = post_json(
        &server,
        "rename",
        &good,
        &serde_json::json!({ "path": NEWS, "slug": "常委会议" }),
    );
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(
        renamed["path"],
        "content/news/2026-11-10-chang-wei-hui-yi.md"
    );
    assert!(
        site.root
            .join("content/news/2026-11-10-chang-wei-hui-yi.md")
            .is_file()
    );
    poll(&server, "/news/chang-wei-hui-yi/", |s, _| s == 200);
    site.write(
        "content/news/2026-11-10-other.md",
        "+++\ntitle = \"另一篇\"\n+++\n",
    );
    let (status, _) = post_json(
        &server,
        "rename",
        &good,
        &serde_json::json!({ "path": "content/news/2026-11-10-chang-wei-hui-yi.md", "slug": "other" }),
    );
    assert_eq!(status, 409);
    // Another day's page with the same address: the site would not build.
    site.write(
        "content/news/2026-10-01-older.md",
        "+++\ntitle = \"更早一篇\"\n+++\n",
    );
    let (status, reply) = post_json(
        &server,
        "rename",
        &good,
        &serde_json::json!({ "path": "content/news/2026-11-10-chang-wei-hui-yi.md", "slug": "older" }),
    );
    assert_eq!(status, 409, "{reply}");
    assert!(
        site.root
            .join("content/news/2026-11-10-chang-wei-hui-yi.md")
            .is_file()
    );
    for slug in ["../../x", "", "。"] {
        let (status, reply) = post_json(
            &server,
            "rename",
            &good,
            &serde_json::json!({ "path": "content/news/2026-11-10-chang-wei-hui-yi.md", "slug": slug }),
        );
        assert!(
            status == 400 || reply["path"] == "content/news/2026-11-10-x.md",
            "{slug}: {status} {reply}"
        );
    }
}

#[test]
fn editor_tree_lists_pages_newest_first_with_their_states() {
    let (site, server, token) = editor_site();
    site.write(
        "content/news/2026-11-01-draft.md",
        "+++\ntitle = \"草稿一篇\"\ndraft = true\n+++\n",
    )
    .write(
        "content/news/2026-12-01-future.md",
        "+++\ntitle = \"定时一篇\"\n+++\n",
    )
    .write(
        "content/news/2026-10-01-old.md",
        "+++\ntitle = \"过期一篇\"\nexpires = 2026-11-01\n+++\n",
    );
    let (status, tree) = get_json(&server, "/_tongxin/api/tree", &token);
    assert_eq!(status, 200);
    let news = tree["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "news")
        .unwrap();
    assert_eq!(news["kind"], "news");
    let listed: Vec<String> = news["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut flags = String::new();
            for f in ["draft", "future", "expired"] {
                if p[f] == true {
                    flags.push_str(&format!(" {f}"));
                }
            }
            format!("{}{flags}", p["title"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        listed,
        [
            "定时一篇 future",
            "区政协召开常委会议",
            "草稿一篇 draft",
            "过期一篇 expired"
        ]
    );
    assert_eq!(
        tree["sectors"],
        serde_json::json!(["工商联", "教育界", "文化艺术界"])
    );
}

#[test]
fn editor_attachments_are_saved_under_static_on_request() {
    let (site, server, token) = editor_site();
    let (status, body) = request(
        &server,
        "POST",
        "/_tongxin/api/upload?kind=attachment&name=%E6%8A%A5%E5%90%8D%E8%A1%A8.pdf&to=static&page=content%2Fnews%2F2026-11-10-chang-wei-hui.md&caption=%E6%8A%A5%E5%90%8D%E8%A1%A8",
        &with_token(&server, &token),
        b"%PDF-1.4\n",
    );
    assert_eq!(status, 200, "{body}");
    let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(reply["markdown"], "[报名表](/files/bao-ming-biao.pdf)");
    assert!(site.root.join("static/files/bao-ming-biao.pdf").is_file());
    // The same name again is kept beside, never replacing the first.
    let (_, body) = request(
        &server,
        "POST",
        "/_tongxin/api/upload?kind=attachment&name=bao-ming-biao.pdf&to=static&page=content%2Fnews%2F2026-11-10-chang-wei-hui.md",
        &with_token(&server, &token),
        b"%PDF-1.4\n2",
    );
    assert!(body.contains("static/files/bao-ming-biao-2.pdf"), "{body}");
}

#[test]
fn allow_remote_asks_every_request_for_the_password() {
    let site = SiteTest::fixture("editor");
    let mut child = bin()
        .args([
            "serve",
            "--interface",
            "0.0.0.0",
            "--allow-remote",
            "--port",
            "0",
            "--today",
            TODAY,
            "--root",
        ])
        .arg(&site.root)
        .env("TONGXIN_EDITOR_PASSWORD", "zhengxie-2026")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port = line
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let server = Server {
        child,
        addr: format!("127.0.0.1:{port}"),
        log: site.root.with_file_name("serve.log"),
    };
    let (status, _) = request(&server, "GET", "/_tongxin/", &own(&server), b"");
    assert_eq!(status, 401);
    let mut wrong = own(&server);
    // base64("staff:wrong-password")
    wrong.push((
        "Authorization".into(),
        "Basic c3RhZmY6d3JvbmctcGFzc3dvcmQ=".into(),
    ));
    assert_eq!(request(&server, "GET", "/_tongxin/", &wrong, b"").0, 401);
    let mut right = own(&server);
    // base64("staff:zhengxie-2026")
    right.push((
        "Authorization".into(),
        "Basic c3RhZmY6emhlbmd4aWUtMjAyNg==".into(),
    ));
    let (status, body) = request(&server, "GET", "/_tongxin/", &right, b"");
    assert_eq!(status, 200, "{body}");
    // A LAN address names the server too; a DNS name does not.
    let mut lan = right.clone();
    lan[0].1 = format!("192.168.1.20:{port}");
    assert_eq!(request(&server, "GET", "/_tongxin/", &lan, b"").0, 200);
    lan[0].1 = format!("editor.example:{port}");
    assert_eq!(request(&server, "GET", "/_tongxin/", &lan, b"").0, 403);
}

#[test]
fn allow_remote_refuses_a_short_password() {
    let site = SiteTest::fixture("editor");
    let out = bin()
        .args([
            "serve",
            "--interface",
            "0.0.0.0",
            "--allow-remote",
            "--port",
            "0",
            "--root",
        ])
        .arg(&site.root)
        .env("TONGXIN_EDITOR_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("至少要 8 个字符"), "{}", stderr(&out));
    assert!(
        stdout(&out).is_empty(),
        "nothing is served: {}",
        stdout(&out)
    );
}

#[test]
fn editor_opens_a_gbk_page_and_saves_it_as_utf8() {
    let (site, server, token) = editor_site();
    let rel = "content/news/2026-11-12-gbk.md";
    let text = "+++\r\ntitle = \"旧电脑写的稿件\"\r\n+++\r\n\r\n正文。\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(site.root.join(rel), &gbk).unwrap();
    let (status, page) = get_json(&server, &format!("/_tongxin/api/page?path={rel}"), &token);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["fields"]["title"], "旧电脑写的稿件");
    let (status, _) = post_json(
        &server,
        "save",
        &with_token(&server, &token),
        &serde_json::json!({ "path": rel, "version": page["version"], "changes": [], "body": page["body"] }),
    );
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read_to_string(site.root.join(rel)).unwrap(),
        "+++\ntitle = \"旧电脑写的稿件\"\n+++\n\n正文。\n"
    );
}
