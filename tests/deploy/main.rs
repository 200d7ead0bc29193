//! The sample site behind Debian's nginx, configured by `docs/deploy/nginx.conf` and
//! `docs/deploy/nginx-subpath.conf` themselves (only folders and the port are replaced): every
//! URL of `sitemap.xml` answers 200 with its type in UTF-8, the `.gz` copies are what
//! `gzip_static` sends, fingerprinted assets are cached for a year, a missing page gets the
//! site's own `404.html`, hidden files stay hidden and old URLs redirect.
//!
//! Needs `nginx` (`apt-get install nginx-light`, as `.ci/run` does). Without it the tests fail
//! with that hint, unless `TONGXIN_SKIP_NGINX=1` says to skip them.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-20";
const SKIP: &str = "TONGXIN_SKIP_NGINX";
const MIME_TYPES: &str = "/etc/nginx/mime.types";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// nginx's path, or why there is none; `None` (skip) only when `TONGXIN_SKIP_NGINX` is set.
fn nginx() -> Option<PathBuf> {
    let found = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    match found {
        Some(p) if Path::new(MIME_TYPES).is_file() => Some(p),
        _ if std::env::var_os(SKIP).is_some_and(|v| !v.is_empty() && v != "0") => {
            eprintln!("SKIPPED: nginx is not installed and {SKIP} is set");
            None
        }
        _ => panic!(
            "nginx is needed for the deployment tests: apt-get install nginx-light \
             (or set {SKIP}=1 to skip them)"
        ),
    }
}

/// A port on loopback nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Builds the sample site (this repository's root) into `out` for `base_url`.
fn build_sample(out: &Path, base_url: &str) {
    let run = Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output-dir")
        .arg(out)
        .args(["--base-url", base_url, "--today", TODAY])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A documented configuration with its placeholders replaced; each must be in the file, so
/// that the test keeps testing the file.
fn from_doc(name: &str, replace: &[(&str, String)]) -> String {
    let mut text = std::fs::read_to_string(repo().join("docs/deploy").join(name)).unwrap();
    for (from, to) in replace {
        assert!(
            text.contains(from),
            "docs/deploy/{name} no longer holds `{from}`"
        );
        text = text.replace(from, to);
    }
    text
}

/// nginx running in the foreground with everything of its own under `dir`; stopped on drop.
struct Nginx {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Nginx {
    fn start(bin: &Path, dir: &Path, site_conf: &str, port: u16) -> Nginx {
        std::fs::write(dir.join("site.conf"), site_conf).unwrap();
        let d = dir.display();
        // As root, the workers would run as `nobody`, who cannot read the temporary folder.
        let user = if rustix::process::geteuid().is_root() {
            "user root;\n"
        } else {
            ""
        };
        let main = format!(
            "{user}worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  include {MIME_TYPES};\n  default_type application/octet-stream;\n\
             access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             include {d}/site.conf;\n}}\n"
        );
        std::fs::write(dir.join("nginx.conf"), main).unwrap();
        let child = Command::new(bin)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let mut nginx = Nginx {
            child,
            port,
            dir: dir.to_path_buf(),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let mut err = String::new();
                nginx
                    .child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("nginx stopped ({status}):\n{err}\n{}", nginx.log());
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "nginx did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        nginx
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    fn get(&self, path: &str, gzip: bool) -> Response {
        get(self.port, path, gzip)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    /// Header names in lower case.
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

/// A plain HTTP/1.1 GET with `Connection: close` (nginx sends static files with a length).
fn get(port: u16, path: &str, gzip: bool) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let encoding = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{encoding}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

/// The paths of every `<loc>` of the sitemap, without `origin`.
fn sitemap_paths(public: &Path, origin: &str) -> Vec<String> {
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| {
            let url = n.text().unwrap();
            url.strip_prefix(origin)
                .unwrap_or_else(|| panic!("{url} is not under {origin}"))
                .to_string()
        })
        .collect()
}

/// The file under `public` that answers `path` (under `base_path`, `/zx` or empty).
fn file_of(public: &Path, base_path: &str, path: &str) -> PathBuf {
    let rel = path
        .strip_prefix(base_path)
        .unwrap()
        .trim_start_matches('/');
    let rel = percent_encoding::percent_decode_str(rel)
        .decode_utf8()
        .unwrap();
    if rel.is_empty() || rel.ends_with('/') {
        public.join(format!("{rel}index.html"))
    } else {
        public.join(rel.as_ref())
    }
}

/// Asserts that `path` answers 200 with `kind` in UTF-8, the `.gz` copy where there is one
/// (asked with `Accept-Encoding: gzip`) and the file itself where there is none.
fn assert_served(nginx: &Nginx, public: &Path, base_path: &str, path: &str, kind: &str) {
    let file = file_of(public, base_path, path);
    let r = nginx.get(path, true);
    assert_eq!(r.status, 200, "{path}");
    assert_eq!(
        r.header("content-type"),
        format!("{kind}; charset=utf-8"),
        "{path}"
    );
    let gz = PathBuf::from(format!("{}.gz", file.display()));
    if gz.is_file() {
        assert_eq!(r.header("content-encoding"), "gzip", "{path}: gzip_static");
        assert_eq!(r.body, std::fs::read(&gz).unwrap(), "{path}: the .gz copy");
        let plain = nginx.get(path, false);
        assert_eq!(plain.header("content-encoding"), "", "{path} without gzip");
        assert_eq!(plain.body, std::fs::read(&file).unwrap(), "{path}");
    } else {
        assert_eq!(r.header("content-encoding"), "", "{path}");
        assert_eq!(r.body, std::fs::read(&file).unwrap(), "{path}");
    }
}

/// Everything a deployment must answer, for the site built into `public` under `base_path`.
fn assert_deployment(nginx: &Nginx, public: &Path, base_path: &str) {
    let origin = format!("http://127.0.0.1:{}", nginx.port);
    let paths = sitemap_paths(public, &origin);
    assert!(paths.len() > 30, "{} URLs in the sitemap", paths.len());
    let mut gzipped = 0;
    for path in &paths {
        assert_served(nginx, public, base_path, path, "text/html");
        let r = nginx.get(path, true);
        assert_eq!(r.header("cache-control"), "no-cache", "{path}");
        gzipped += usize::from(r.header("content-encoding") == "gzip");
    }
    assert!(
        gzipped > paths.len() / 2,
        "{gzipped} of {} pages gzipped",
        paths.len()
    );
    for (path, kind) in [
        ("/sitemap.xml", "text/xml"),
        ("/rss.xml", "text/xml"),
        ("/search/index/meta.json", "application/json"),
    ] {
        assert_served(
            nginx,
            public,
            base_path,
            &format!("{base_path}{path}"),
            kind,
        );
    }
    // The theme's CSS and JS as the home page names them: fingerprinted, cached for a year.
    let home = String::from_utf8(nginx.get(&format!("{base_path}/"), false).body).unwrap();
    let assets = regex::Regex::new(r#"(?:href|src)="([^"]+\.[0-9a-f]{10}\.(css|js))""#).unwrap();
    let mut kinds = Vec::new();
    for c in assets.captures_iter(&home) {
        let (path, ext) = (&c[1], &c[2]);
        let kind = if ext == "css" {
            "text/css"
        } else {
            "application/javascript"
        };
        assert_served(nginx, public, base_path, path, kind);
        let r = nginx.get(path, true);
        assert_eq!(
            r.header("cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        kinds.push(ext.to_string());
    }
    assert!(
        kinds.contains(&"css".into()) && kinds.contains(&"js".into()),
        "{kinds:?}"
    );
    // A missing page: 404 with the site's own page.
    let r = nginx.get(&format!("{base_path}/no/such/page/"), false);
    assert_eq!(r.status, 404);
    assert_eq!(r.body, std::fs::read(public.join("404.html")).unwrap());
    // Hidden files are not published.
    for hidden in ["/.tongxin", "/.tongxin-redirects.nginx.conf"] {
        assert!(public.join(&hidden[1..]).is_file(), "{hidden}");
        assert_eq!(
            nginx.get(&format!("{base_path}{hidden}"), false).status,
            404,
            "{hidden}"
        );
    }
    // Old URLs: a real 301 from the map; the redirect page is in the output for other servers.
    let to = format!("{origin}{base_path}/about/jian-jie/");
    for old in ["/html/zxgk/jianjie.html", "/zxgk/", "/zxgk"] {
        let r = nginx.get(&format!("{base_path}{old}"), false);
        assert_eq!(
            (r.status, r.header("location")),
            (301, to.as_str()),
            "{old}"
        );
    }
    let page = std::fs::read_to_string(public.join("html/zxgk/jianjie.html")).unwrap();
    assert!(page.contains(&format!("content=\"0; url={to}\"")), "{page}");
}

#[test]
fn the_sample_site_behind_nginx_at_the_root() {
    let Some(bin) = nginx() else { return };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let public = dir.path().join("public");
    build_sample(&public, &format!("http://127.0.0.1:{port}/"));
    let conf = from_doc(
        "nginx.conf",
        &[
            ("/srv/www/zx/public", public.display().to_string()),
            ("listen 80;", format!("listen 127.0.0.1:{port};")),
        ],
    );
    let nginx = Nginx::start(&bin, dir.path(), &conf, port);
    assert_deployment(&nginx, &public, "");
    assert!(!nginx.log().contains("[emerg]"), "{}", nginx.log());
}

#[test]
fn the_sample_site_behind_nginx_under_a_sub_path_of_another_site() {
    let Some(bin) = nginx() else { return };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let www = dir.path().join("www");
    let public = www.join("zx");
    build_sample(&public, &format!("http://127.0.0.1:{port}/zx/"));
    let existing = dir.path().join("html");
    std::fs::create_dir_all(&existing).unwrap();
    std::fs::write(existing.join("index.html"), "<p>已有网站</p>\n").unwrap();
    let conf = from_doc(
        "nginx-subpath.conf",
        &[
            ("/srv/www/tongxin", www.display().to_string()),
            ("/var/www/html", existing.display().to_string()),
            ("listen 80;", format!("listen 127.0.0.1:{port};")),
        ],
    );
    let nginx = Nginx::start(&bin, dir.path(), &conf, port);
    assert_deployment(&nginx, &public, "/zx");
    // The existing site stays as it was.
    let r = nginx.get("/", false);
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, "<p>已有网站</p>\n".as_bytes())
    );
}
