//! `tongxin serve`: build into memory, serve over HTTP on loopback, watch the site's files,
//! rebuild after each change and reload open tabs over Server-Sent Events. A failed rebuild
//! keeps the last good site and shows the error in the terminal and as an overlay in the page.
//!
//! The live-reload script is added to HTML responses as they are served; it is never part of
//! the build output. Files are served from memory only, so no request can reach the disk.

mod http;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::{BuildOptions, OutputFiles, build_in_memory};
use crate::error::{Error, Result};

/// What `serve` needs beyond a build's options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: String,
    pub port: u16,
    pub open: bool,
}

/// The site being served: its files, the error of the last failed rebuild, and a version that
/// changes with every rebuild (clients wait on it).
#[derive(Default)]
pub struct State {
    pub files: Arc<OutputFiles>,
    pub error: Option<String>,
    pub version: u64,
}

/// Shared state plus the condition clients wait on for the next rebuild.
pub type Shared = Arc<(Mutex<State>, Condvar)>;

/// Binds, builds, prints the URL, then serves and watches until the process ends.
pub fn serve(opts: ServeOptions) -> Result<()> {
    let listener = TcpListener::bind((opts.interface.as_str(), opts.port))
        .map_err(|e| Error::Refused(format!("无法监听 {}:{}：{e}", opts.interface, opts.port)))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    let url = format!("http://{}:{port}/", opts.interface);
    println!("{url}");
    let mut build = opts.build.clone();
    build.base_url = Some(url.clone());

    let shared: Shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
    // Watch before the first build, so a save made while it runs is not missed.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (watch_build, watch_shared) = (build.clone(), shared.clone());
    std::thread::spawn(move || watch(watch_build, watch_shared, ready_tx));
    let _ = ready_rx.recv_timeout(Duration::from_secs(5));
    rebuild(&build, &shared);
    if opts.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    // Requests made meanwhile waited in the listen queue; the site is ready now.
    for stream in listener.incoming().flatten() {
        let shared = shared.clone();
        std::thread::spawn(move || http::handle(stream, &shared));
    }
    Ok(())
}

/// Builds into memory; on success swaps the files in, on failure keeps them and records why.
fn rebuild(opts: &BuildOptions, shared: &Shared) {
    let started = Instant::now();
    let result = build_in_memory(opts);
    let (lock, changed) = &**shared;
    let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
    match result {
        Ok((files, warnings)) => {
            for w in &warnings {
                eprintln!("{w}");
            }
            state.files = Arc::new(files);
            state.error = None;
            eprintln!("已重新生成，用时 {} 毫秒", started.elapsed().as_millis());
        }
        Err(e) => {
            let text = e.to_string();
            eprintln!("{text}");
            eprintln!("生成失败，继续提供上一次成功生成的网站");
            state.error = Some(text);
        }
    }
    state.version += 1;
    changed.notify_all();
}

/// The folders and files a rebuild depends on.
fn watched(root: &std::path::Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut out: Vec<(PathBuf, RecursiveMode)> =
        ["content", "static", "templates", "themes", "check"]
            .iter()
            .map(|d| root.join(d))
            .filter(|p| p.is_dir())
            .map(|p| (p, RecursiveMode::Recursive))
            .collect();
    out.push((root.to_path_buf(), RecursiveMode::NonRecursive));
    out
}

/// Watches the site and rebuilds once changes have been quiet for a moment (editors save in
/// several steps).
fn watch(opts: BuildOptions, shared: Shared, ready: std::sync::mpsc::Sender<()>) {
    const QUIET: Duration = Duration::from_millis(60);
    let (tx, rx) = std::sync::mpsc::channel();
    let Ok(mut watcher) = notify::recommended_watcher(tx) else {
        eprintln!("无法监视文件变化：修改后请重新运行 tongxin serve");
        let _ = ready.send(());
        return;
    };
    // Recursive watches follow new subfolders themselves; only a top-level folder created later
    // (say `templates/`) needs adding. Re-adding an existing watch could drop events meanwhile.
    let mut watching = std::collections::BTreeSet::new();
    let mut watch_new = |watcher: &mut notify::RecommendedWatcher| {
        for (path, mode) in watched(&opts.root) {
            if !watching.contains(&path) && watcher.watch(&path, mode).is_ok() {
                watching.insert(path);
            }
        }
    };
    watch_new(&mut watcher);
    let _ = ready.send(());
    let relevant = |e: &notify::Event| {
        use notify::EventKind;
        use notify::event::ModifyKind;
        // Reading files (as a build does) raises access events; only changes count.
        let change = matches!(
            e.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
        );
        change
            && e.paths.iter().any(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                let in_root = p.parent() == Some(opts.root.as_path());
                let editor_temp =
                    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp");
                !editor_temp && (!in_root || name == "config.toml")
            })
    };
    while let Ok(first) = rx.recv() {
        let mut any = matches!(&first, Ok(e) if relevant(e));
        // Drain what follows until the files are quiet.
        while let Ok(next) = rx.recv_timeout(QUIET) {
            any |= matches!(&next, Ok(e) if relevant(e));
        }
        if any {
            watch_new(&mut watcher);
            rebuild(&opts, &shared);
        }
    }
}
