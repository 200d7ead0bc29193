//! A small HTTP/1.1 server for `serve`: GET and HEAD of in-memory files, Server-Sent Events
//! for reloads, and strict path handling (no `..`, no encoded slashes, nothing off the map).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::Shared;
use crate::fs::percent_decode;

const RELOAD_JS: &str = include_str!("reload.js");
const EVENTS_PATH: &str = "/__tongxin/events";
const SCRIPT_PATH: &str = "/__tongxin/reload.js";

pub fn handle(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = &stream;
    if method != "GET" && method != "HEAD" {
        let _ = respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"",
            false,
        );
        return;
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        events(&stream, shared);
        return;
    }
    if path == SCRIPT_PATH {
        let _ = respond(
            &mut out,
            "200 OK",
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
            method == "HEAD",
        );
        return;
    }
    let Some(rel) = safe_path(path) else {
        let _ = respond(
            &mut out,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            "请求路径无效".as_bytes(),
            method == "HEAD",
        );
        return;
    };
    let files = shared.0.lock().map(|s| s.files.clone()).unwrap_or_default();
    let found = if rel.is_empty() || rel.ends_with('/') {
        files.get_key_value(&format!("{rel}index.html"))
    } else {
        files
            .get_key_value(&rel)
            .or_else(|| files.get_key_value(&format!("{rel}/index.html")))
    };
    let (status, name, body) = match found {
        Some((name, body)) => ("200 OK", name.as_str(), &body[..]),
        None => (
            "404 Not Found",
            "404.html",
            files.get("404.html").map_or(&[][..], |b| &b[..]),
        ),
    };
    let kind = content_type(name);
    let body = if kind.starts_with("text/html") {
        inject(body)
    } else {
        body.to_vec()
    };
    let _ = respond(&mut out, status, kind, &body, method == "HEAD");
}

fn respond(
    out: &mut &TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

/// The map key for a URL path, or `None` for anything that could leave the site: `..` or `.`
/// segments (also percent-encoded), encoded slashes or backslashes, NUL, invalid UTF-8.
pub fn safe_path(path: &str) -> Option<String> {
    let raw = path.strip_prefix('/')?;
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return None;
    }
    let decoded = percent_decode(raw)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(decoded)
}

pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script before `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Server-Sent Events: `reload` after each good rebuild, `error` with the text after a bad one.
fn events(stream: &TcpStream, shared: &Shared) {
    let mut out = stream;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let (lock, changed) = &**shared;
    let mut seen = lock.lock().map(|s| s.version).unwrap_or(0);
    // A page loaded while a rebuild is broken shows the error at once.
    if let Some(e) = lock.lock().ok().and_then(|s| s.error.clone())
        && send(&mut out, "build-error", &e).is_err()
    {
        return;
    }
    loop {
        let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
        let (state, _) = changed
            .wait_timeout_while(guard, Duration::from_secs(15), |s| s.version == seen)
            .unwrap_or_else(|p| p.into_inner());
        let message = if state.version == seen {
            None
        } else {
            seen = state.version;
            Some(match &state.error {
                Some(e) => ("build-error", e.clone()),
                None => ("reload", String::new()),
            })
        };
        drop(state);
        let sent = match message {
            Some((event, data)) => send(&mut out, event, &data),
            None => out.write_all(b": keep-alive\n\n").and_then(|_| out.flush()),
        };
        if sent.is_err() {
            return;
        }
    }
}

fn send(out: &mut &TcpStream, event: &str, data: &str) -> std::io::Result<()> {
    let mut msg = format!("event: {event}\n");
    for line in data.lines() {
        msg.push_str("data: ");
        msg.push_str(line);
        msg.push('\n');
    }
    if data.is_empty() {
        msg.push_str("data: \n");
    }
    msg.push('\n');
    out.write_all(msg.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_encoded_separators_are_refused() {
        assert_eq!(safe_path("/news/"), Some("news/".into()));
        assert_eq!(safe_path("/%E6%94%BF/"), Some("政/".into()));
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/%00",
            "/./x",
            "/%zz",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("rss.xml"), "application/xml; charset=utf-8");
    }
}
