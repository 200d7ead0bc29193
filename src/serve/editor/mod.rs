//! The editor `serve` offers at `/_tongxin/`: staff write, upload and check pages in the
//! browser. Its HTML, CSS and JavaScript are embedded; its API reads and writes only under
//! `content/` and `static/` (see [`paths`]).
//!
//! Safe by construction, before any handler runs ([`gate`]):
//! - every request must name the server itself in `Host` (no DNS rebinding);
//! - every API request needs the run's token in `X-Tongxin-Token` (the editor's page carries
//!   it; a cookie alone would ride along with a cross-site request);
//! - every write (POST) also needs an `Origin` of the server itself, and a browser's
//!   `Sec-Fetch-Site`, when sent, must say `same-origin`;
//! - with `--allow-remote`, every request also needs the password (HTTP Basic).
//!
//! A refused request gets 403 (401 for a missing password) and changes nothing.

mod api;
mod form;
pub mod front_edit;
pub mod paths;
mod ui;
mod upload;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::http::{Head, RequestReader, linger};
use crate::build::BuildOptions;

/// Where the editor lives.
pub const PREFIX: &str = "/_tongxin";
/// The header that carries the run's token.
pub const TOKEN_HEADER: &str = "X-Tongxin-Token";
/// Largest upload (a photo, an attachment, a .docx).
pub const MAX_UPLOAD: u64 = 20 * 1024 * 1024;
/// Largest JSON request (a page's text with its fields).
pub const MAX_JSON: u64 = 2 * 1024 * 1024;
/// How long a client has to send a request's body.
const BODY_DEADLINE: Duration = Duration::from_secs(60);

/// What the editor knows for the whole run.
pub struct Editor {
    /// The site (root made absolute), `--today` and `--drafts`, as the server builds it.
    pub opts: BuildOptions,
    token: String,
    /// `Host` values that name this server.
    hosts: Vec<String>,
    /// Listening on every interface (`0.0.0.0`, `::`): any IP address with the server's port
    /// names it. Never a DNS name, which is what a rebinding attack needs.
    any_ip_port: Option<u16>,
    /// With `--allow-remote`: the password every request must carry.
    password: Option<String>,
    /// Held while a request writes files (see `api::post`).
    writing: std::sync::Mutex<()>,
}

impl Editor {
    /// The editor of a server listening on `interface:port`, with a fresh random token.
    pub fn new(opts: BuildOptions, interface: &str, port: u16, password: Option<String>) -> Editor {
        Editor {
            opts,
            token: new_token(),
            hosts: own_hosts(interface, port),
            any_ip_port: is_unspecified(interface).then_some(port),
            password,
            writing: std::sync::Mutex::new(()),
        }
    }
}

/// 32 random bytes in hex, from the system's generator.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        // No system generator: hash clock and process id with the standard library's
        // randomly keyed hasher (still unguessable from outside the machine).
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            h.write_u32(std::process::id());
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Host` values a browser sends for this server: `interface:port`, and for loopback its
/// other names.
fn own_hosts(interface: &str, port: u16) -> Vec<String> {
    let bracketed = if interface.contains(':') && !interface.starts_with('[') {
        format!("[{interface}]")
    } else {
        interface.to_string()
    };
    let mut hosts = vec![format!("{bracketed}:{port}")];
    if is_loopback(interface) {
        for name in ["127.0.0.1", "localhost", "[::1]"] {
            let h = format!("{name}:{port}");
            if !hosts.contains(&h) {
                hosts.push(h);
            }
        }
    }
    hosts
}

/// Whether `interface` is a loopback address or name.
pub fn is_loopback(interface: &str) -> bool {
    let bare = interface.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn is_unspecified(interface: &str) -> bool {
    let bare = interface.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_unspecified())
}

impl Editor {
    /// Whether `host` (a `Host` header) names this server.
    fn is_own_host(&self, host: &str) -> bool {
        if self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return true;
        }
        let Some(port) = self.any_ip_port else {
            return false;
        };
        let Some((name, p)) = host.rsplit_once(':') else {
            return false;
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        p == port.to_string() && name.parse::<std::net::IpAddr>().is_ok()
    }
}

/// Whether a request target is the editor's.
pub fn is_editor_path(target: &str) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or("");
    path == PREFIX || path.starts_with("/_tongxin/")
}

/// Why a request was refused by [`gate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Host,
    Password,
    Token,
    Origin,
}

impl Refusal {
    fn status_and_message(self) -> (&'static str, &'static str) {
        match self {
            Refusal::Host => ("403 Forbidden", "拒绝：请求的主机名不是本服务器"),
            Refusal::Password => ("401 Unauthorized", "需要编辑后台的密码"),
            Refusal::Token => (
                "403 Forbidden",
                "拒绝：缺少或错误的编辑令牌，请重新打开编辑后台",
            ),
            Refusal::Origin => ("403 Forbidden", "拒绝：请求不是来自本编辑后台的页面"),
        }
    }
}

/// The security rules of every editor request (see the module's comment). `api`: the request
/// is to the API; `write`: it changes something.
pub fn gate(editor: &Editor, head: &Head, api: bool, write: bool) -> Result<(), Refusal> {
    let host = head.header("Host").ok_or(Refusal::Host)?;
    if !editor.is_own_host(host) {
        return Err(Refusal::Host);
    }
    if let Some(password) = &editor.password
        && !basic_auth_matches(head.header("Authorization"), password)
    {
        return Err(Refusal::Password);
    }
    if api {
        let token = head.header(TOKEN_HEADER).unwrap_or("");
        if !constant_time_eq(token.as_bytes(), editor.token.as_bytes()) {
            return Err(Refusal::Token);
        }
    }
    if write {
        // The page that sends a write was loaded from the very host it writes to.
        let origin = head.header("Origin").ok_or(Refusal::Origin)?;
        if !origin.eq_ignore_ascii_case(&format!("http://{host}")) {
            return Err(Refusal::Origin);
        }
        if let Some(site) = head.header("Sec-Fetch-Site")
            && site != "same-origin"
        {
            return Err(Refusal::Origin);
        }
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `Authorization: Basic …` with any user name and `password`.
fn basic_auth_matches(header: Option<&str>, password: &str) -> bool {
    let Some(encoded) = header.and_then(|h| h.strip_prefix("Basic ")) else {
        return false;
    };
    let Some(decoded) = base64_decode(encoded.trim()) else {
        return false;
    };
    let given = decoded
        .iter()
        .position(|&b| b == b':')
        .map_or(&[][..], |i| &decoded[i + 1..]);
    constant_time_eq(given, password.as_bytes())
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = s.bytes().filter(|&b| b != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let keep = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        out.extend_from_slice(&n.to_be_bytes()[1..1 + keep]);
    }
    Some(out)
}

/// An answer of the editor.
#[derive(Debug)]
pub struct Reply {
    pub status: &'static str,
    pub kind: String,
    pub body: Vec<u8>,
    pub extra_headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn new(status: &'static str, kind: impl Into<String>, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            kind: kind.into(),
            body: body.into(),
            extra_headers: Vec::new(),
        }
    }

    pub fn json(status: &'static str, value: &serde_json::Value) -> Reply {
        Reply::new(
            status,
            "application/json; charset=utf-8",
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }

    pub fn ok(value: serde_json::Value) -> Reply {
        Reply::json("200 OK", &value)
    }

    /// A JSON error: `{"error": message}`.
    pub fn error(status: &'static str, message: impl Into<String>) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message.into() }))
    }

    /// A file-system failure while doing `what` (`无法保存`), its cause in Chinese.
    pub fn io_failed(what: &str, e: &std::io::Error) -> Reply {
        let message = format!("{what}：{}", crate::error::io_reason(e));
        Reply::error("500 Internal Server Error", message)
    }
}

/// Content-Security-Policy of every editor answer: nothing from another host, no inline script,
/// no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

fn send(stream: &TcpStream, reply: &Reply, head_only: bool) {
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n",
        reply.status,
        reply.kind,
        reply.body.len()
    );
    // One policy per answer: a second header would be enforced as well, not instead.
    if !reply
        .extra_headers
        .iter()
        .any(|(n, _)| *n == "Content-Security-Policy")
    {
        head.push_str(&format!("Content-Security-Policy: {CSP}\r\n"));
    }
    for (name, value) in &reply.extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    if !head_only {
        let _ = out.write_all(&reply.body);
    }
    let _ = out.flush();
}

/// Answers one editor request.
pub fn handle(
    stream: &TcpStream,
    head: &Head,
    reader: &mut RequestReader,
    editor: Option<&Editor>,
) {
    let (method, target) = head.method_and_target();
    let Some(editor) = editor else {
        send(
            stream,
            &Reply::new(
                "403 Forbidden",
                "text/plain; charset=utf-8",
                "编辑后台未启用：服务器监听的不是本机地址。需要从其他电脑编辑时，请加 --allow-remote 并设置密码",
            ),
            false,
        );
        linger(stream);
        return;
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let api = path.starts_with("/_tongxin/api/");
    let write = !matches!(method, "GET" | "HEAD");
    if let Err(refusal) = gate(editor, head, api, write) {
        let (status, message) = refusal.status_and_message();
        let mut reply = Reply::error(status, message);
        if refusal == Refusal::Password {
            reply.extra_headers.push((
                "WWW-Authenticate",
                "Basic realm=\"tongxin\", charset=\"UTF-8\"".into(),
            ));
        }
        send(stream, &reply, false);
        linger(stream);
        return;
    }
    if write && method != "POST" {
        send(
            stream,
            &Reply::error("405 Method Not Allowed", "不支持的请求方法"),
            false,
        );
        linger(stream);
        return;
    }
    let body = if method == "POST" {
        let cap = if path == "/_tongxin/api/upload" {
            MAX_UPLOAD
        } else {
            MAX_JSON
        };
        match read_body(head, reader, cap) {
            Ok(b) => b,
            Err(reply) => {
                send(stream, &reply, false);
                linger(stream);
                return;
            }
        }
    } else {
        Vec::new()
    };
    let reply = if api {
        api::dispatch(editor, method, path, query, &body)
    } else if write {
        Reply::error("404 Not Found", "没有这个地址")
    } else {
        ui::page(editor, path)
    };
    send(stream, &reply, method == "HEAD");
}

/// A POST's body, by its `Content-Length`, at most `cap` bytes.
fn read_body(head: &Head, reader: &mut RequestReader, cap: u64) -> Result<Vec<u8>, Reply> {
    if head.has("Transfer-Encoding") {
        return Err(Reply::error(
            "411 Length Required",
            "请求需要 Content-Length",
        ));
    }
    let Some(length) = head
        .header("Content-Length")
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return Err(Reply::error(
            "411 Length Required",
            "请求需要 Content-Length",
        ));
    };
    if length > cap {
        let mib = cap / 1024 / 1024;
        return Err(Reply::error(
            "413 Content Too Large",
            format!("文件过大：上传不能超过 {mib} MB"),
        ));
    }
    reader.get_mut().renew(BODY_DEADLINE);
    let mut body = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    match reader.take(length).read_to_end(&mut body) {
        Ok(n) if n as u64 == length => Ok(body),
        _ => Err(Reply::error("408 Request Timeout", "请求内容不完整")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor() -> Editor {
        let mut e = Editor::new(
            BuildOptions::for_site("/site", None),
            "127.0.0.1",
            4000,
            None,
        );
        e.token = "t0k".into();
        e
    }

    fn head(headers: &[(&str, &str)]) -> Head {
        Head {
            line: "POST /_tongxin/api/save HTTP/1.1".into(),
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn writes_need_own_host_token_and_origin() {
        let e = editor();
        let good = [
            ("Host", "127.0.0.1:4000"),
            ("Origin", "http://127.0.0.1:4000"),
            (TOKEN_HEADER, "t0k"),
        ];
        assert_eq!(gate(&e, &head(&good), true, true), Ok(()));
        let localhost = [
            ("Host", "localhost:4000"),
            ("Origin", "http://localhost:4000"),
            (TOKEN_HEADER, "t0k"),
            ("Sec-Fetch-Site", "same-origin"),
        ];
        assert_eq!(gate(&e, &head(&localhost), true, true), Ok(()));
        let cases: &[(&[(&str, &str)], Refusal)] = &[
            (
                &[("Origin", "http://127.0.0.1:4000"), (TOKEN_HEADER, "t0k")],
                Refusal::Host,
            ),
            (
                &[
                    ("Host", "evil.example:4000"),
                    ("Origin", "http://evil.example:4000"),
                    (TOKEN_HEADER, "t0k"),
                ],
                Refusal::Host,
            ),
            (
                &[
                    ("Host", "127.0.0.1:4001"),
                    ("Origin", "http://127.0.0.1:4000"),
                    (TOKEN_HEADER, "t0k"),
                ],
                Refusal::Host,
            ),
            (
                &[
                    ("Host", "127.0.0.1:4000"),
                    ("Origin", "http://127.0.0.1:4000"),
                ],
                Refusal::Token,
            ),
            (
                &[
                    ("Host", "127.0.0.1:4000"),
                    ("Origin", "http://127.0.0.1:4000"),
                    (TOKEN_HEADER, "t0K"),
                ],
                Refusal::Token,
            ),
            (
                &[("Host", "127.0.0.1:4000"), (TOKEN_HEADER, "t0k")],
                Refusal::Origin,
            ),
            (
                &[
                    ("Host", "127.0.0.1:4000"),
                    ("Origin", "http://evil.example"),
                    (TOKEN_HEADER, "t0k"),
                ],
                Refusal::Origin,
            ),
            (
                &[
                    ("Host", "127.0.0.1:4000"),
                    ("Origin", "null"),
                    (TOKEN_HEADER, "t0k"),
                ],
                Refusal::Origin,
            ),
            (
                &[
                    ("Host", "127.0.0.1:4000"),
                    ("Origin", "http://127.0.0.1:4000"),
                    (TOKEN_HEADER, "t0k"),
                    ("Sec-Fetch-Site", "cross-site"),
                ],
                Refusal::Origin,
            ),
        ];
        for (headers, refusal) in cases {
            assert_eq!(
                gate(&e, &head(headers), true, true),
                Err(*refusal),
                "{headers:?}"
            );
        }
    }

    #[test]
    fn the_editor_page_needs_only_the_own_host() {
        let e = editor();
        assert_eq!(
            gate(&e, &head(&[("Host", "127.0.0.1:4000")]), false, false),
            Ok(())
        );
        assert_eq!(
            gate(&e, &head(&[("Host", "rebound.example:4000")]), false, false),
            Err(Refusal::Host)
        );
    }

    #[test]
    fn a_remote_editor_needs_the_password() {
        let mut e = editor();
        e.password = Some("密码1".into());
        let h = |auth: &str| head(&[("Host", "127.0.0.1:4000"), ("Authorization", auth)]);
        // base64("staff:密码1")
        assert_eq!(
            gate(&e, &h("Basic c3RhZmY65a+G56CBMQ=="), false, false),
            Ok(())
        );
        assert_eq!(
            gate(&e, &h("Basic c3RhZmY6eA=="), false, false),
            Err(Refusal::Password)
        );
        assert_eq!(
            gate(&e, &head(&[("Host", "127.0.0.1:4000")]), false, false),
            Err(Refusal::Password)
        );
    }

    #[test]
    fn a_wildcard_server_accepts_ip_hosts_only() {
        let mut e = editor();
        e.hosts = own_hosts("0.0.0.0", 4000);
        e.any_ip_port = Some(4000);
        let h = |host: &str| head(&[("Host", host)]);
        assert_eq!(gate(&e, &h("192.168.1.5:4000"), false, false), Ok(()));
        assert_eq!(gate(&e, &h("[fe80::1]:4000"), false, false), Ok(()));
        assert_eq!(
            gate(&e, &h("rebound.example:4000"), false, false),
            Err(Refusal::Host)
        );
        assert_eq!(
            gate(&e, &h("192.168.1.5:4001"), false, false),
            Err(Refusal::Host)
        );
    }

    #[test]
    fn tokens_are_random_and_long() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn loopback_names() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("192.168.1.5"));
    }
}
