//! `check --external`: every distinct http(s) URL the pages link to is fetched once — a few at
//! a time, at most [`Settings::per_host`] at once on one host, each within its timeouts — and
//! what fails becomes an `external-link` warning wherever the URL is written. Answers are
//! cached for a day in the user's cache folder ([`cache`]).

pub mod cache;
pub mod fetch;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Code, Diagnostic};
use cache::Cache;
pub use fetch::{Failure, Outcome};

/// Overrides the timeout of one request, in milliseconds (tests use two seconds).
pub const TIMEOUT_ENV: &str = "TONGXIN_EXTERNAL_TIMEOUT_MS";
/// Overrides the folder of the cache (tests point it into their temporary folder).
pub const CACHE_ENV: &str = "TONGXIN_CACHE_DIR";

/// How external links are fetched.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Connecting, TLS included.
    pub connect_timeout: Duration,
    /// One request, from connecting to the status line; a URL gets twice this in all (HEAD,
    /// then GET; redirects).
    pub request_timeout: Duration,
    /// Requests in flight at once.
    pub workers: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Where answers are cached; `None`: not cached.
    pub cache_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            workers: 8,
            per_host: 2,
            cache_dir: None,
        }
    }
}

impl Settings {
    /// The defaults, with the cache in the user's cache folder and the overrides of
    /// [`TIMEOUT_ENV`] and [`CACHE_ENV`].
    pub fn from_env() -> Settings {
        let mut settings = Settings {
            cache_dir: user_cache_dir(),
            ..Settings::default()
        };
        let ms = std::env::var(TIMEOUT_ENV).ok();
        if let Some(ms) = ms.and_then(|v| v.trim().parse::<u64>().ok()) {
            let timeout = Duration::from_millis(ms.max(1));
            settings.request_timeout = timeout;
            settings.connect_timeout = settings.connect_timeout.min(timeout);
        }
        settings
    }
}

/// `$TONGXIN_CACHE_DIR`, else `tongxin` in the platform's cache folder: `$XDG_CACHE_HOME` or
/// `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows.
fn user_cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var(CACHE_ENV) {
        return Some(dir.into());
    }
    let base = if cfg!(windows) {
        PathBuf::from(var("LOCALAPPDATA")?)
    } else if cfg!(target_os = "macos") {
        PathBuf::from(var("HOME")?).join("Library/Caches")
    } else {
        match var("XDG_CACHE_HOME").map(PathBuf::from) {
            Some(dir) if dir.is_absolute() => dir,
            _ => PathBuf::from(var("HOME")?).join(".cache"),
        }
    };
    Some(base.join("tongxin"))
}

/// The URL fetched for a link as written, without its `#fragment`; `None` unless it is an
/// absolute http or https URL.
pub fn fetchable(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let mut url = url::Url::parse(dest).ok()?;
    url.host_str()?;
    url.set_fragment(None);
    Some(url.to_string())
}

/// What each fetched URL (as [`fetchable`] gives it) came to.
pub type Outcomes = HashMap<String, Outcome>;

/// Fetches `urls` (from [`fetchable`]), or takes their answers from the cache. The cache is
/// skipped if it would lie inside the site at `root`; failing to write it is not an error.
pub fn check(settings: &Settings, root: &Path, urls: &BTreeSet<String>) -> Outcomes {
    let now = unix_now();
    let cache_dir = settings
        .cache_dir
        .as_deref()
        .filter(|dir| !is_inside(dir, root));
    let mut cache = cache_dir.map(Cache::load);
    let mut outcomes = Outcomes::new();
    let mut wanted = Vec::new();
    for url in urls {
        match cache.as_ref().and_then(|c| c.fresh(url, now)) {
            Some(outcome) => {
                outcomes.insert(url.clone(), outcome.clone());
            }
            None => wanted.push(url.clone()),
        }
    }
    if wanted.is_empty() {
        return outcomes;
    }
    let fetched = fetch_all(settings, wanted);
    if let Some(cache) = cache.as_mut() {
        for (url, outcome) in &fetched {
            cache.store(url, outcome, now);
        }
        let _ = cache.save(now);
    }
    outcomes.extend(fetched);
    outcomes
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Whether `dir` is `root` or under it (symbolic links resolved where the paths exist).
fn is_inside(dir: &Path, root: &Path) -> bool {
    let real = |p: &Path| {
        p.canonicalize()
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    real(dir).starts_with(real(root))
}

/// The work shared by the fetching threads.
struct Queue {
    /// URLs not yet taken, with their hosts.
    pending: VecDeque<(String, String)>,
    /// Requests in flight per host.
    busy: HashMap<String, usize>,
    /// Hosts that failed to connect at all: their other URLs fail the same way unasked, so a
    /// dead host with many links costs one timeout, not one per link.
    dead: HashMap<String, Failure>,
    done: Vec<(String, Outcome)>,
}

impl Queue {
    /// A queue of `pending` (URL, host) pairs, nothing yet in flight or done.
    fn new(pending: VecDeque<(String, String)>) -> Queue {
        Queue {
            pending,
            busy: HashMap::new(),
            dead: HashMap::new(),
            done: Vec::new(),
        }
    }
}

/// Fetches every URL with [`Settings::workers`] threads, at most [`Settings::per_host`] on one
/// host at a time.
fn fetch_all(settings: &Settings, urls: Vec<String>) -> Vec<(String, Outcome)> {
    let pending: VecDeque<(String, String)> = urls
        .into_iter()
        .map(|u| {
            let host = url::Url::parse(&u)
                .ok()
                .and_then(|p| p.host_str().map(str::to_ascii_lowercase))
                .unwrap_or_default();
            (u, host)
        })
        .collect();
    let workers = settings.workers.clamp(1, pending.len().max(1));
    let queue = Mutex::new(Queue::new(pending));
    let turn = Condvar::new();
    let agent = fetch::agent(settings.connect_timeout);
    let limits = fetch::Limits {
        request: settings.request_timeout,
        per_url: settings.request_timeout * 2,
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                worker(&queue, &turn, settings.per_host.max(1), |url| {
                    fetch::fetch(&agent, url, limits)
                })
            });
        }
    });
    queue
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .done
}

/// Takes URLs whose host has room until none is left, fetching each with `fetch`.
fn worker(queue: &Mutex<Queue>, turn: &Condvar, per_host: usize, fetch: impl Fn(&str) -> Outcome) {
    let lock = || queue.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let (url, host) = {
            let mut q = lock();
            loop {
                if q.pending.is_empty() {
                    return;
                }
                let free = q.pending.iter().position(|(_, h)| {
                    q.dead.contains_key(h) || q.busy.get(h).is_none_or(|&n| n < per_host)
                });
                if let Some(i) = free {
                    let job = q.pending.remove(i).expect("index from position");
                    if let Some(&reason) = q.dead.get(&job.1) {
                        q.done.push((job.0, Outcome::Failed { reason }));
                        continue;
                    }
                    *q.busy.entry(job.1.clone()).or_default() += 1;
                    break job;
                }
                q = turn.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let outcome = fetch(&url);
        let mut q = lock();
        if let Some(n) = q.busy.get_mut(&host) {
            *n -= 1;
        }
        if let Outcome::Failed { reason } = outcome
            && reason.is_host_wide()
        {
            q.dead.insert(host, reason);
        }
        q.done.push((url, outcome));
        turn.notify_all();
    }
}

/// The `external-link` warning for a link written as `dest` in `file`, if its outcome is one.
pub fn diagnostic(file: &str, dest: &str, outcome: &Outcome) -> Option<Diagnostic> {
    let shown = shorten(dest.trim());
    let (message, hint) = match outcome {
        Outcome::Ok => return None,
        Outcome::Moved { to } => (
            format!("外部链接 {shown} 已永久跳转"),
            format!("链接已永久跳转到 {to}，建议改为新地址"),
        ),
        Outcome::Status { code } => (
            format!("外部链接 {shown} 无法访问（HTTP {code}）"),
            status_hint(*code).to_string(),
        ),
        Outcome::Failed { reason } => (
            format!("外部链接 {shown} 无法访问（{}）", reason_text(*reason)),
            failure_hint(*reason).to_string(),
        ),
    };
    Some(Diagnostic::warning(Code::ExternalLink, file, message).hint(hint))
}

/// A URL cut to 80 characters for a message.
fn shorten(url: &str) -> String {
    if url.chars().count() <= 80 {
        return url.to_string();
    }
    let mut cut: String = url.chars().take(79).collect();
    cut.push('…');
    cut
}

fn status_hint(code: u16) -> &'static str {
    match code {
        404 | 410 => "对方网页已不存在，请更新或删除此链接",
        401 | 403 => "对方网站拒绝访问，请在浏览器中打开确认，必要时更新或删除此链接",
        500.. => "对方网站出错，可稍后再试；持续出错请更新或删除此链接",
        _ => "请在浏览器中打开确认，必要时更新或删除此链接",
    }
}

fn reason_text(reason: Failure) -> &'static str {
    match reason {
        Failure::Dns => "域名无法解析",
        Failure::Refused => "连接被拒绝",
        Failure::Timeout => "连接超时",
        Failure::Tls => "安全连接失败",
        Failure::Redirects => "跳转次数过多",
        Failure::Other => "连接失败",
    }
}

fn failure_hint(reason: Failure) -> &'static str {
    match reason {
        Failure::Dns => "检查网址是否写错；网址无误时，可能是对方网站已关闭或本机网络不通",
        Failure::Timeout => "对方网站没有及时响应，可稍后再试；持续超时请更新或删除此链接",
        Failure::Tls => "对方网站的证书有问题，读者的浏览器也会报警；请确认网址或改用其他链接",
        Failure::Redirects => "对方网站的跳转无法完成，请在浏览器中打开确认",
        Failure::Refused | Failure::Other => "可稍后再试；持续失败请更新或删除此链接",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn only_absolute_http_urls_are_fetched_and_without_fragment() {
        assert_eq!(
            fetchable(" https://a.example/x#top ").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            fetchable("HTTP://A.example").as_deref(),
            Some("http://a.example/")
        );
        assert_eq!(fetchable("mailto:a@b.example"), None);
        assert_eq!(fetchable("//a.example/"), None);
        assert_eq!(fetchable("/news/"), None);
        assert_eq!(fetchable("http://"), None);
    }

    #[test]
    fn a_host_never_has_more_requests_in_flight_than_allowed() {
        let urls: Vec<(String, String)> = (0..12)
            .map(|i| {
                (
                    format!("http://h{}.example/{i}", i % 2),
                    format!("h{}", i % 2),
                )
            })
            .collect();
        let queue = Mutex::new(Queue::new(urls.into()));
        let turn = Condvar::new();
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    worker(&queue, &turn, 1, |_| {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        now.fetch_sub(1, Ordering::SeqCst);
                        Outcome::Ok
                    });
                });
            }
        });
        assert_eq!(queue.into_inner().unwrap().done.len(), 12);
        assert!(most.load(Ordering::SeqCst) <= 2, "one per host, two hosts");
    }

    #[test]
    fn a_dead_host_is_asked_once() {
        let urls: Vec<(String, String)> = (0..5)
            .map(|i| {
                (
                    format!("http://dead.example/{i}"),
                    "dead.example".to_string(),
                )
            })
            .collect();
        let queue = Mutex::new(Queue::new(urls.into()));
        let asked = AtomicUsize::new(0);
        worker(&queue, &Condvar::new(), 2, |_| {
            asked.fetch_add(1, Ordering::SeqCst);
            Outcome::Failed {
                reason: Failure::Dns,
            }
        });
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        assert_eq!(queue.into_inner().unwrap().done.len(), 5);
    }

    #[test]
    fn a_cache_folder_inside_the_site_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(is_inside(&dir.path().join("cache"), dir.path()));
        assert!(!is_inside(dir.path(), &dir.path().join("site")));
    }
}
