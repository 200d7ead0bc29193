//! A small HTTP/1.1 server for `serve`: GET and HEAD of in-memory files, Server-Sent Events
//! for reloads, and strict path handling (no `..`, no encoded slashes, nothing off the map).
//! Request heads are read within limits of size and time (see `limits`), never buffered whole.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use super::Shared;
use super::editor::Editor;
use super::limits::{DeadlineReader, Limits, WRITE_TIMEOUT};
use crate::fs::percent_decode;

const RELOAD_JS: &str = include_str!("reload.js");
const EVENTS_PATH: &str = "/__tongxin/events";
const SCRIPT_PATH: &str = "/__tongxin/reload.js";
const TEXT: &str = "text/plain; charset=utf-8";

/// Longest request line, with its line end. Longer gets `414 URI Too Long`.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Most header lines in a request. More gets `431 Request Header Fields Too Large`.
pub const MAX_HEADER_LINES: usize = 100;
/// Most bytes of all header lines together. More gets `431 Request Header Fields Too Large`.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// After an error answer, how much of what the client still sends is read away, and for how
/// long: closing with unread bytes would reset the connection before the client reads the answer.
const LINGER_BYTES: u64 = 64 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(1);

/// Why a request's head was not read, when it was not.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// The request line is longer than [`MAX_REQUEST_LINE`].
    UriTooLong,
    /// More than [`MAX_HEADER_LINES`] header lines or [`MAX_HEADER_BYTES`] of them.
    HeadersTooLarge,
    /// The head was not complete by the deadline.
    TimedOut,
    /// The client closed the connection or it failed: there is no one to answer.
    Gone,
}

impl From<io::Error> for HeadError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => HeadError::TimedOut,
            _ => HeadError::Gone,
        }
    }
}

/// A request's head: its request line and header lines (names as sent, values trimmed).
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub line: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The method and the target of the request line.
    pub fn method_and_target(&self) -> (&str, &str) {
        let mut parts = self.line.split_whitespace();
        (parts.next().unwrap_or(""), parts.next().unwrap_or(""))
    }

    /// The value of header `name` (any case), when it is sent exactly once; a repeated header
    /// counts as absent, so no check can be passed by sending a second value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut found = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let first = found.next()?;
        found.next().is_none().then_some(first.1.as_str())
    }

    /// Whether header `name` is sent at all.
    pub fn has(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// The reader of a connection's request, buffered: the editor reads bodies from it.
pub type RequestReader<'a> = BufReader<DeadlineReader<'a>>;

/// Answers one connection: reads the request's head within the deadline, then responds.
/// Requests under `/_tongxin/` go to the editor (which may read a body); the connection closes
/// after each answer.
pub fn handle(stream: TcpStream, shared: &Shared, limits: &Limits, editor: Option<&Editor>) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut reader = BufReader::new(DeadlineReader::new(&stream, limits.request_deadline));
    match read_head(&mut reader) {
        Ok(head) => {
            let (_, target) = head.method_and_target();
            if super::editor::is_editor_path(target) {
                super::editor::handle(&stream, &head, &mut reader, editor);
            } else {
                route(&stream, &head.line, shared);
            }
        }
        Err(e) => refuse(&stream, e),
    }
}

/// Answers a connection beyond the cap with 503, from the accepting thread: nothing here waits
/// on the client (the socket is non-blocking, and the answer fits in its send buffer).
pub fn busy(stream: TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    // Read away what has arrived already, so closing does not reset the connection.
    let mut sink = [0u8; 4096];
    for _ in 0..4 {
        if !matches!((&stream).read(&mut sink), Ok(n) if n > 0) {
            break;
        }
    }
    let _ = plain(
        &stream,
        "503 Service Unavailable",
        "连接过多，请稍后再试",
        false,
    );
    let _ = stream.shutdown(Shutdown::Write);
    // A request that arrives after the answer would reset the connection when it closes, and
    // the client would lose the 503: wait a moment for it and read it away.
    const LINGER: std::time::Duration = std::time::Duration::from_millis(200);
    if stream.set_nonblocking(false).is_ok() && stream.set_read_timeout(Some(LINGER)).is_ok() {
        for _ in 0..4 {
            if !matches!((&stream).read(&mut sink), Ok(n) if n > 0) {
                break;
            }
        }
    }
}

/// A head read whole, its headers checked against the limits.
fn read_head(reader: &mut impl BufRead) -> Result<Head, HeadError> {
    let mut line = Vec::new();
    // Empty lines before the request line are allowed (RFC 9112, 2.2).
    while line.is_empty() || line == b"\r\n" || line == b"\n" {
        line.clear();
        if !read_line(reader, MAX_REQUEST_LINE, &mut line)? {
            return Err(HeadError::UriTooLong);
        }
    }
    let mut budget = MAX_HEADER_BYTES;
    let mut header = Vec::new();
    let mut headers = Vec::new();
    for _ in 0..=MAX_HEADER_LINES {
        header.clear();
        if !read_line(reader, budget, &mut header)? {
            return Err(HeadError::HeadersTooLarge);
        }
        if header == b"\r\n" || header == b"\n" {
            return Ok(Head {
                line: String::from_utf8_lossy(&line).into_owned(),
                headers,
            });
        }
        budget -= header.len();
        let text = String::from_utf8_lossy(&header);
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    Err(HeadError::HeadersTooLarge)
}

/// Reads one line of at most `limit` bytes into `line` (never buffering more): `true` when it
/// ended, `false` when it is longer. A connection closed mid-line is `Gone`.
fn read_line(
    reader: &mut impl BufRead,
    limit: usize,
    line: &mut Vec<u8>,
) -> Result<bool, HeadError> {
    let limit = u64::try_from(limit).unwrap_or(u64::MAX);
    reader.take(limit).read_until(b'\n', line)?;
    if line.ends_with(b"\n") {
        Ok(true)
    } else if (line.len() as u64) < limit {
        Err(HeadError::Gone)
    } else {
        Ok(false)
    }
}

/// Answers a head that broke a limit or the deadline, then closes without resetting.
fn refuse(stream: &TcpStream, error: HeadError) {
    let (status, message) = match error {
        HeadError::UriTooLong => ("414 URI Too Long", "请求地址过长"),
        HeadError::HeadersTooLarge => ("431 Request Header Fields Too Large", "请求头过大"),
        HeadError::TimedOut => ("408 Request Timeout", "请求超时"),
        HeadError::Gone => return,
    };
    if plain(stream, status, message, false).is_ok() {
        linger(stream);
    }
}

/// Ends sending, then reads away (a bounded amount, for a bounded time) what the client is
/// still sending, so it gets the answer before the connection closes.
pub fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let mut rest = DeadlineReader::new(stream, LINGER_TIME).take(LINGER_BYTES);
    let _ = io::copy(&mut rest, &mut io::sink());
}

/// Serves the request on `request_line`: the reload stream and script, or a file of the site.
fn route(stream: &TcpStream, request_line: &str, shared: &Shared) {
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        let _ = plain(stream, "405 Method Not Allowed", "", false);
        return;
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        events(stream, shared);
        return;
    }
    let mut out = stream;
    let _ = if path == SCRIPT_PATH {
        let kind = "text/javascript; charset=utf-8";
        respond(&mut out, "200 OK", kind, RELOAD_JS.as_bytes(), head_only)
    } else {
        match safe_path(path) {
            Some(rel) => serve_file(&mut out, &rel, head_only, shared),
            None => plain(stream, "400 Bad Request", "请求路径无效", head_only),
        }
    };
}

/// A file of the site by its map key (`index.html` for folders), or the site's 404 page.
fn serve_file(out: &mut &TcpStream, rel: &str, head_only: bool, shared: &Shared) -> io::Result<()> {
    let files = shared.0.lock().map(|s| s.files.clone()).unwrap_or_default();
    let found = if rel.is_empty() || rel.ends_with('/') {
        files.get_key_value(&format!("{rel}index.html"))
    } else {
        files
            .get_key_value(rel)
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
    respond(out, status, &kind, &body, head_only)
}

/// A short plain-text answer.
pub fn plain(stream: &TcpStream, status: &str, text: &str, head_only: bool) -> io::Result<()> {
    let mut out = stream;
    respond(&mut out, status, TEXT, text.as_bytes(), head_only)
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

/// The `Content-Type` for a file name, by its extension (`mime_guess`), with
/// `; charset=utf-8` on text: everything tongxin writes is UTF-8.
pub fn content_type(name: &str) -> Cow<'static, str> {
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    let kind = match ext.to_ascii_lowercase().as_str() {
        // Where mime_guess still gives an older name: XML as RFC 7303 prefers it, fonts as
        // registered by RFC 8081, and JavaScript modules as RFC 9239 says.
        "xml" => "application/xml",
        "woff" => "font/woff",
        "otf" => "font/otf",
        "mjs" => "text/javascript",
        _ => mime_guess::from_ext(ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    if kind.starts_with("text/") || kind == "application/xml" {
        Cow::Owned(format!("{kind}; charset=utf-8"))
    } else {
        Cow::Borrowed(kind)
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

    fn head(raw: &[u8]) -> Result<String, HeadError> {
        read_head(&mut BufReader::with_capacity(16, raw)).map(|h| h.line)
    }

    #[test]
    fn headers_are_kept_and_repeated_ones_count_as_absent() {
        let raw = b"POST /_tongxin/api/save HTTP/1.1\r\nHost: 127.0.0.1:1\r\nOrigin: a\r\norigin: b\r\n\r\n";
        let head = read_head(&mut BufReader::new(&raw[..])).unwrap();
        assert_eq!(head.header("host"), Some("127.0.0.1:1"));
        assert_eq!(head.header("Origin"), None);
        assert!(head.has("origin"));
        assert_eq!(head.method_and_target(), ("POST", "/_tongxin/api/save"));
    }

    #[test]
    fn heads_within_the_limits_are_read() {
        let ok = head(b"\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nignored body");
        assert_eq!(ok.as_deref(), Ok("GET /a HTTP/1.1\r\n"));
        let long_path = "a".repeat(MAX_REQUEST_LINE - 20);
        let near = format!("GET /{long_path} HTTP/1.1\r\n\r\n");
        assert!(head(near.as_bytes()).is_ok(), "a line under the limit");
        let many = "X-A: 1\r\n".repeat(MAX_HEADER_LINES);
        let near = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert!(head(near.as_bytes()).is_ok(), "as many headers as allowed");
    }

    #[test]
    fn heads_beyond_the_limits_are_refused() {
        let path = "a".repeat(MAX_REQUEST_LINE);
        let long = format!("GET /{path} HTTP/1.1\r\n\r\n");
        assert_eq!(head(long.as_bytes()), Err(HeadError::UriTooLong));
        let many = "X-A: 1\r\n".repeat(MAX_HEADER_LINES + 1);
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(head(many.as_bytes()), Err(HeadError::HeadersTooLarge));
        let big = format!(
            "GET / HTTP/1.1\r\nX-A: {}\r\n\r\n",
            "b".repeat(MAX_HEADER_BYTES)
        );
        assert_eq!(head(big.as_bytes()), Err(HeadError::HeadersTooLarge));
        assert_eq!(head(b"GET / HTTP/1.1\r\nHost: x\r\n"), Err(HeadError::Gone));
        assert_eq!(head(b""), Err(HeadError::Gone));
    }

    #[test]
    fn content_types() {
        for (name, kind) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("tongxin/search.js", "text/javascript; charset=utf-8"),
            ("m.mjs", "text/javascript; charset=utf-8"),
            ("rss.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("search/index/meta.json", "application/json"),
            ("x.svg", "image/svg+xml"),
            ("a.PNG", "image/png"),
            ("f.woff", "font/woff"),
            ("f.woff2", "font/woff2"),
            ("f.otf", "font/otf"),
            ("f.ttf", "font/ttf"),
            ("files/2024.pdf", "application/pdf"),
            (
                "files/bao-gao.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("no-extension", "application/octet-stream"),
            ("a.unknown-kind", "application/octet-stream"),
        ] {
            assert_eq!(content_type(name), kind, "{name}");
        }
    }
}
