//! `tongxin serve`: build into memory, serve over HTTP on loopback, watch the site's files,
//! rebuild after each change and reload open tabs over Server-Sent Events. A failed rebuild
//! keeps the last good site and shows the error in the terminal and as an overlay in the page.
//!
//! The live-reload script is added to HTML responses as they are served; it is never part of
//! the build output. Files are served from memory only, so no request can reach the disk.

pub mod editor;
mod engine;
mod http;
mod limits;
mod sources;
mod watch;

pub use engine::{Engine, Files, Report, UpdateKind};
use limits::Limits;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::build::BuildOptions;
use crate::console::{errln, outln};
use crate::error::{Error, Result};

/// What `serve` needs beyond a build's options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: String,
    pub port: u16,
    pub open: bool,
    /// `--allow-remote`: offer the editor on an interface other than loopback (with a password).
    pub allow_remote: bool,
}

/// The site being served: its files, the error of the last failed rebuild, and a version that
/// changes with every rebuild (clients wait on it).
#[derive(Default)]
pub struct State {
    pub files: Arc<Files>,
    pub error: Option<String>,
    pub version: u64,
}

/// Shared state plus the condition clients wait on for the next rebuild.
pub type Shared = Arc<(Mutex<State>, Condvar)>;

/// Binds, builds, prints the URL, then serves and watches until the process ends.
pub fn serve(opts: ServeOptions) -> Result<()> {
    if !opts.build.root.is_dir() {
        return Err(Error::refused(&opts.build.root, "站点目录不存在"));
    }
    // Asked before anything is served: a refused password leaves nothing half started.
    let password = remote_password(&opts)?;
    let listener = TcpListener::bind((opts.interface.as_str(), opts.port)).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "端口 {} 已被占用（可能已有一个 tongxin serve 在运行）；用 --port 0 可自动选一个空闲端口",
                opts.port
            ),
            _ => format!("无法监听：{e}"),
        };
        Error::refused(format!("{}:{}", opts.interface, opts.port), why)
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    let url = format!("http://{}:{port}/", opts.interface);
    // Serving goes on when the URL cannot be shown (stdout closed): messages go to stderr.
    let _ = outln!("{url}");
    let mut build = opts.build.clone();
    // The watcher reports full paths: match them against the full path of the site.
    build.root = build
        .root
        .canonicalize()
        .or_else(|_| std::path::absolute(&build.root))
        .unwrap_or(build.root);
    let base = crate::config::BaseUrl::parse(&url).map_err(|m| Error::refused("--interface", m))?;
    build.base_url = Some(base);
    let editor = editor_for(&opts, &build, port, &url, password);

    let shared: Shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
    // Watch before the first build, so a save made while it runs is not missed.
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = watch::start_watching(&build.root, tx);
    let mut engine = first_build(&build, &shared);
    let inspector = spawn_inspector(build.clone());
    let _ = inspector.send(());
    if opts.open {
        open_browser(url.clone());
    }
    let worker_shared = shared.clone();
    std::thread::spawn(move || {
        watch::watch(&build.root, rx, watcher, |paths, rescan| {
            rebuild(&build, &mut engine, paths, rescan, &worker_shared);
            let _ = inspector.send(());
        });
    });
    // Requests made meanwhile waited in the listen queue; the site is ready now.
    accept(&listener, &shared, Limits::from_env(), editor.map(Arc::new));
    Ok(())
}

/// With `--allow-remote` on an interface other than loopback: the editor's password, from
/// `TONGXIN_EDITOR_PASSWORD` or typed in the terminal, at least 8 characters.
fn remote_password(opts: &ServeOptions) -> Result<Option<String>> {
    if editor::is_loopback(&opts.interface) || !opts.allow_remote {
        return Ok(None);
    }
    let password = match std::env::var("TONGXIN_EDITOR_PASSWORD") {
        Ok(p) => p,
        Err(_) => ask_password()?,
    };
    if password.chars().count() < 8 {
        return Err(Error::refused(
            "--allow-remote",
            "编辑后台的密码至少要 8 个字符",
        ));
    }
    Ok(Some(password))
}

/// The editor of this run: on loopback always; on another interface only with
/// `--allow-remote` and its password.
fn editor_for(
    opts: &ServeOptions,
    build: &BuildOptions,
    port: u16,
    url: &str,
    password: Option<String>,
) -> Option<editor::Editor> {
    if editor::is_loopback(&opts.interface) {
        errln!("编辑后台：{url}_tongxin/（只有本机可以打开）");
        return Some(editor::Editor::new(
            build.clone(),
            &opts.interface,
            port,
            None,
        ));
    }
    let Some(password) = password else {
        errln!(
            "注意：服务器监听的不是本机地址（{}），编辑后台未启用；需要从其他电脑编辑时加 --allow-remote",
            opts.interface
        );
        return None;
    };
    errln!("！！！警告：编辑后台对网络开放：{url}_tongxin/");
    errln!("！！！同一网络中知道密码的人都可以修改和删除网站内容。用完请立即关闭（Ctrl+C）。");
    Some(editor::Editor::new(
        build.clone(),
        &opts.interface,
        port,
        Some(password),
    ))
}

/// Reads the editor's password from the terminal (one line), not shown as it is typed where
/// the terminal allows.
fn ask_password() -> Result<String> {
    use std::io::BufRead;
    errln!("--allow-remote：请设置编辑后台的密码（至少 8 个字符，输入时不显示），输入后按回车：");
    let echo = EchoOff::new();
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    drop(echo);
    read.map_err(|e| Error::refused("--allow-remote", format!("无法读取密码：{e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// While alive, the terminal on stdin does not echo what is typed (Unix; elsewhere nothing).
struct EchoOff {
    #[cfg(unix)]
    saved: Option<rustix::termios::Termios>,
}

impl EchoOff {
    fn new() -> EchoOff {
        #[cfg(unix)]
        {
            use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
            let stdin = std::io::stdin();
            let saved = tcgetattr(&stdin).ok();
            if let Some(old) = &saved {
                let mut quiet = old.clone();
                quiet.local_modes.remove(LocalModes::ECHO);
                let _ = tcsetattr(&stdin, OptionalActions::Now, &quiet);
            }
            EchoOff { saved }
        }
        #[cfg(not(unix))]
        EchoOff {}
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(old) = &self.saved {
            let _ = rustix::termios::tcsetattr(
                std::io::stdin(),
                rustix::termios::OptionalActions::Now,
                old,
            );
            errln!("");
        }
    }
}

/// SPEC: `serve` reports what `check` would find. A thread runs the checks after the first
/// build and after saves, once no save has come for [`INSPECT_QUIET`] (saves come in bursts,
/// and only the latest matters), and prints the findings when they differ from the last ones
/// printed. The checks run on a pool of their own with one thread: a save during a check is
/// rebuilt on the usual pool at once, never queued behind the check's tasks.
fn spawn_inspector(opts: BuildOptions) -> std::sync::mpsc::Sender<()> {
    use std::sync::mpsc::RecvTimeoutError;
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let Ok(pool) = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "tongxin-check".into())
            .build()
        else {
            return;
        };
        let mut last: Option<Vec<crate::error::Diagnostic>> = None;
        while rx.recv().is_ok() {
            loop {
                match rx.recv_timeout(INSPECT_QUIET) {
                    Ok(()) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            // A site that does not build is reported by the build itself.
            let Ok(found) = pool.install(|| crate::build::inspect(&opts)) else {
                continue;
            };
            if last.as_ref() == Some(&found) {
                continue;
            }
            if found.is_empty() {
                if last.is_some() {
                    errln!("检查：没有发现问题");
                }
            } else {
                crate::console::print_findings(&found);
            }
            last = Some(found);
        }
    });
    tx
}

/// How long the inspector waits after a save for the next one before it checks the site.
const INSPECT_QUIET: Duration = Duration::from_millis(800);

/// Opens `url` in the system's browser (xdg-open, `open` on macOS, the shell on Windows). In a
/// thread: a launcher is watched for a moment to see whether it failed, and serving starts now.
fn open_browser(url: String) {
    std::thread::spawn(move || {
        if let Err(e) = open::that_detached(&url) {
            errln!("无法打开浏览器（{e}），请手动打开 {url}");
        }
    });
}

/// Takes connections for ever: a thread for each while fewer than the cap are open, and beyond
/// it a quick 503 from this thread, so a flood of connections cannot exhaust threads.
fn accept(
    listener: &TcpListener,
    shared: &Shared,
    limits: Limits,
    editor: Option<Arc<editor::Editor>>,
) {
    /// After a failed accept (out of file descriptors, say): a pause instead of a busy loop.
    const ACCEPT_PAUSE: Duration = Duration::from_millis(20);
    let slots = limits::Slots::new(limits.max_connections);
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            std::thread::sleep(ACCEPT_PAUSE);
            continue;
        };
        let Some(slot) = slots.take() else {
            http::busy(stream);
            continue;
        };
        let shared = shared.clone();
        let editor = editor.clone();
        // When no thread can be made, the closure is dropped: the connection closes and the
        // slot is given back.
        let _ = std::thread::Builder::new()
            .name("tongxin-http".into())
            .spawn(move || {
                let _slot = slot;
                http::handle(stream, &shared, &limits, editor.as_deref());
            });
    }
}

/// The first build. Until one succeeds the server answers with the error overlay's page.
fn first_build(opts: &BuildOptions, shared: &Shared) -> Option<Engine> {
    let started = Instant::now();
    let result = Engine::new(opts);
    let (lock, changed) = &**shared;
    let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
    let engine = match result {
        Ok((engine, warnings)) => {
            for w in &warnings {
                errln!("{w}");
            }
            state.files = Arc::new(engine.files().clone());
            state.error = None;
            errln!("已生成，用时 {} 毫秒", started.elapsed().as_millis());
            Some(engine)
        }
        Err(e) => {
            let text = e.to_string();
            errln!("{text}");
            state.error = Some(text);
            None
        }
    };
    state.version += 1;
    changed.notify_all();
    engine
}

/// Applies changed paths: incrementally when a good build exists, else a full build.
fn rebuild(
    opts: &BuildOptions,
    engine: &mut Option<Engine>,
    paths: &[PathBuf],
    rescan: bool,
    shared: &Shared,
) {
    let Some(current) = engine.as_mut() else {
        *engine = first_build(opts, shared);
        return;
    };
    let started = Instant::now();
    let result = current.update_pages(paths, rescan);
    let (lock, changed) = &**shared;
    let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
    let mut search_pending = false;
    match result {
        Ok(report) => {
            for w in &report.warnings {
                errln!("{w}");
            }
            if report.changes.is_empty() && !report.search_pending && state.error.is_none() {
                // Nothing to show: no reload.
                return;
            }
            engine::apply_changes(Arc::make_mut(&mut state.files), &report.changes);
            search_pending = report.search_pending;
            state.error = None;
            if std::env::var_os("TONGXIN_TRACE").is_some() {
                errln!("[trace] {}: {}", report.kind, report.rendered.join(" "));
            }
            errln!(
                "已更新 {} 个文件，用时 {} 毫秒",
                report.rendered.len(),
                started.elapsed().as_millis()
            );
        }
        Err(e) => {
            let text = e.to_string();
            errln!("{text}");
            errln!("生成失败，继续提供上一次成功生成的网站");
            state.error = Some(text);
        }
    }
    state.version += 1;
    changed.notify_all();
    drop(state);
    // Pages first, then the search index when it had to be built anew: open tabs reload once,
    // and the search page reads the index when a query is made.
    if search_pending {
        match current.finish_search() {
            Ok(changes) => {
                let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
                engine::apply_changes(Arc::make_mut(&mut state.files), &changes);
            }
            Err(e) => errln!("{e}"),
        }
    }
}
