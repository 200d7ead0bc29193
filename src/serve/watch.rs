//! Watching the site for `serve`: which paths are watched, and how the watcher's events are
//! gathered into batches (one batch, one rebuild). The batching is pure and tested without a
//! watcher: events go in, a set of changed paths comes out.
//!
//! Editors save in several steps (write a temporary file, rename it, change its mode…). A batch
//! ends as soon as every file written in it has been closed (inotify's close-write) and nothing
//! more arrives within [`SETTLE`]; a batch with a file still open, or with no change yet, ends
//! after [`QUIET`] without another event.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::console::errln;

/// How long to wait for more events after one that does not end a save.
pub const QUIET: Duration = Duration::from_millis(50);
/// After every written file is closed (or renamed into place): just what is queued already.
pub const SETTLE: Duration = Duration::from_millis(2);

/// What the watcher reports: an event, or an error (events may have been lost).
pub type WatchEvent = notify::Result<Event>;

/// The changes gathered for one rebuild.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Paths that changed (created, written, removed or renamed), sorted.
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost events: the site has to be read again as a whole.
    pub rescan: bool,
    /// Files written (or created) and not closed yet: more is coming.
    open: BTreeSet<PathBuf>,
}

impl Batch {
    /// Adds one event from the watcher. `root` is the site's full path, as the watcher reports.
    pub fn add(&mut self, event: WatchEvent, root: &Path) {
        let event = match event {
            Ok(event) => event,
            Err(_) => {
                self.rescan = true;
                return;
            }
        };
        self.rescan |= event.need_rescan();
        let closed = matches!(
            event.kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
        );
        let change = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
        );
        let writing = matches!(
            event.kind,
            EventKind::Modify(ModifyKind::Data(_)) | EventKind::Create(CreateKind::File)
        );
        for path in event.paths.into_iter().filter(|p| is_relevant(p, root)) {
            if closed {
                self.open.remove(&path);
            } else if change {
                if writing {
                    self.open.insert(path.clone());
                }
                self.paths.insert(path);
            }
        }
    }

    /// How long to wait for another event before the batch is complete.
    pub fn wait(&self) -> Duration {
        if self.paths.is_empty() || !self.open.is_empty() {
            QUIET
        } else {
            SETTLE
        }
    }

    /// True when the batch asks for no rebuild (only opens, reads or mode changes, say).
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

/// Gathers the next batch. `recv(None)` blocks for an event, `recv(Some(t))` waits at most `t`;
/// both give `None` when nothing came (or the watcher is gone). `None` when the watcher is gone
/// before a first event.
pub fn next_batch(
    recv: &mut impl FnMut(Option<Duration>) -> Option<WatchEvent>,
    root: &Path,
) -> Option<Batch> {
    let mut batch = Batch::default();
    let mut next = Some(recv(None)?);
    while let Some(event) = next.take() {
        batch.add(event, root);
        next = recv(Some(batch.wait()));
    }
    Some(batch)
}

/// Whether a changed path matters to the site: not an editor's temporary or backup file, and
/// at the top level only `config.toml` and the site's folders.
fn is_relevant(path: &Path, root: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let editor_temp = name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp");
    let in_root = path.parent() == Some(root);
    let site_entry = matches!(
        name.as_ref(),
        "config.toml" | "content" | "static" | "templates" | "themes"
    );
    !editor_temp && (!in_root || site_entry)
}

/// The folders and files a rebuild depends on.
fn watched(root: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut out: Vec<(PathBuf, RecursiveMode)> = ["content", "static", "templates", "themes"]
        .iter()
        .map(|d| root.join(d))
        .filter(|p| p.is_dir())
        .map(|p| (p, RecursiveMode::Recursive))
        .collect();
    out.push((root.to_path_buf(), RecursiveMode::NonRecursive));
    out
}

/// The watches in place, kept in step as the site's top-level folders come and go.
struct Watches {
    dirs: BTreeSet<PathBuf>,
}

impl Watches {
    /// The watches `start_watching` put in place.
    fn new(root: &Path) -> Self {
        let dirs = watched(root).into_iter().map(|(p, _)| p).collect();
        Watches { dirs }
    }

    /// What needs a new watch after the changes in `changed`: a top-level folder created since
    /// (say `templates/`). One deleted lost its watch, and one replaced (deleted and made again)
    /// is watched anew.
    fn missing(
        &mut self,
        root: &Path,
        changed: &BTreeSet<PathBuf>,
    ) -> Vec<(PathBuf, RecursiveMode)> {
        self.dirs.retain(|p| p.exists());
        watched(root)
            .into_iter()
            .filter(|(p, _)| !self.dirs.contains(p) || changed.contains(p))
            .collect()
    }
}

/// Starts watching the site; events go to `tx`. `None` (with a message) when the system
/// cannot watch files.
pub fn start_watching(root: &Path, tx: Sender<WatchEvent>) -> Option<RecommendedWatcher> {
    let Ok(mut watcher) = notify::recommended_watcher(tx) else {
        errln!("无法监视文件变化：修改后请重新运行 tongxin serve");
        return None;
    };
    for (path, mode) in watched(root) {
        let _ = watcher.watch(&path, mode);
    }
    Some(watcher)
}

/// Waits for changes for as long as the watcher runs, and hands each batch to `rebuild`: the
/// changed paths, and whether the watcher lost events.
pub fn watch(
    root: &Path,
    rx: Receiver<WatchEvent>,
    mut watcher: Option<RecommendedWatcher>,
    mut rebuild: impl FnMut(&[PathBuf], bool),
) {
    let mut recv = |timeout: Option<Duration>| match timeout {
        None => rx.recv().ok(),
        Some(t) => rx.recv_timeout(t).ok(),
    };
    let mut watches = Watches::new(root);
    while let Some(mut batch) = next_batch(&mut recv, root) {
        if batch.is_empty() {
            continue;
        }
        for (path, mode) in watches.missing(root, &batch.paths) {
            if let Some(w) = watcher.as_mut()
                && w.watch(&path, mode).is_ok()
            {
                watches.dirs.insert(path.clone());
                // What was put in it before the watch began is found by reading it whole.
                batch.paths.insert(path);
            }
        }
        let paths: Vec<PathBuf> = batch.paths.into_iter().collect();
        rebuild(&paths, batch.rescan);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{Flag, MetadataKind, RemoveKind, RenameMode};
    use std::collections::VecDeque;

    const ROOT: &str = "/site";

    fn event(kind: EventKind, path: &str) -> WatchEvent {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    fn write(path: &str) -> WatchEvent {
        event(
            EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any)),
            path,
        )
    }

    fn close(path: &str) -> WatchEvent {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            path,
        )
    }

    /// Events with the time since the one before, delivered as a channel would: an event comes
    /// within a wait only when it arrives before the wait ends; later ones start the next batch.
    struct Script(VecDeque<(u64, WatchEvent)>);

    impl Script {
        fn recv(&mut self, timeout: Option<Duration>) -> Option<WatchEvent> {
            let (gap, _) = self.0.front()?;
            if timeout.is_some_and(|t| Duration::from_millis(*gap) >= t) {
                // Not in time: this wait ends, and the event is the next batch's first.
                self.0.front_mut().unwrap().0 = 0;
                return None;
            }
            self.0.pop_front().map(|(_, e)| e)
        }
    }

    /// The batches a scripted run of events makes, as sorted path lists.
    fn batches(events: Vec<(u64, WatchEvent)>) -> Vec<(Vec<String>, bool)> {
        let mut script = Script(events.into());
        let mut out = Vec::new();
        while let Some(batch) = next_batch(&mut |t| script.recv(t), Path::new(ROOT)) {
            let paths = batch
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            out.push((paths, batch.rescan));
        }
        out
    }

    fn paths(list: &[&str]) -> (Vec<String>, bool) {
        (list.iter().map(|s| s.to_string()).collect(), false)
    }

    #[test]
    fn a_save_ends_when_the_written_file_is_closed_and_settles() {
        let page = "/site/content/a.md";
        let batch = batches(vec![(0, write(page)), (0, close(page))]);
        assert_eq!(batch, vec![paths(&[page])]);

        let mut open = Batch::default();
        open.add(write(page), Path::new(ROOT));
        assert_eq!(open.wait(), QUIET, "written, not closed yet");
        open.add(close(page), Path::new(ROOT));
        assert_eq!(open.wait(), SETTLE, "closed: only what is queued already");
    }

    #[test]
    fn a_second_save_after_the_settle_is_a_second_batch() {
        let (a, b) = ("/site/content/a.md", "/site/content/b.md");
        let got = batches(vec![
            (0, write(a)),
            (1, close(a)),
            (1, write(b)), // within the 2 ms settle: same batch
            (1, close(b)),
            (5, write(a)), // after the settle: a new batch
            (0, close(a)),
        ]);
        assert_eq!(got, vec![paths(&[a, b]), paths(&[a])]);
    }

    #[test]
    fn a_file_left_open_waits_for_50_ms_of_quiet() {
        let (a, b) = ("/site/content/a.md", "/site/static/b.css");
        let got = batches(vec![
            (0, write(a)),
            (40, write(b)),
            (49, write(a)),
            (50, write(b)),
        ]);
        assert_eq!(got, vec![paths(&[a, b]), paths(&[b])]);
    }

    #[test]
    fn renames_and_deletions_count_and_settle_at_once() {
        let (tmp, page, old) = (
            "/site/content/x.md",
            "/site/content/y.md",
            "/site/content/z.md",
        );
        let rename = Ok(
            Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
                .add_path(PathBuf::from(tmp))
                .add_path(PathBuf::from(page)),
        );
        let removed = event(EventKind::Remove(RemoveKind::File), old);
        let mut batch = Batch::default();
        batch.add(rename, Path::new(ROOT));
        batch.add(removed, Path::new(ROOT));
        assert_eq!(batch.wait(), SETTLE);
        let got: Vec<_> = batch.paths.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(got, [tmp, page, old]);
    }

    #[test]
    fn opens_and_mode_changes_alone_ask_for_nothing() {
        let page = "/site/content/a.md";
        let mut batch = Batch::default();
        batch.add(
            event(
                EventKind::Access(AccessKind::Open(notify::event::AccessMode::Any)),
                page,
            ),
            Path::new(ROOT),
        );
        batch.add(
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
                page,
            ),
            Path::new(ROOT),
        );
        batch.add(close(page), Path::new(ROOT));
        assert!(batch.is_empty());
        assert_eq!(batch.wait(), QUIET, "nothing yet: wait for a change");
    }

    #[test]
    fn editor_temp_files_and_other_top_level_files_are_ignored() {
        let mut batch = Batch::default();
        for path in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/content/4913.swp",
            "/site/README.md",
            "/site/public",
        ] {
            batch.add(write(path), Path::new(ROOT));
        }
        assert!(batch.is_empty(), "{:?}", batch.paths);
        for path in ["/site/config.toml", "/site/templates", "/site/content/a.md"] {
            batch.add(
                event(EventKind::Create(CreateKind::Any), path),
                Path::new(ROOT),
            );
        }
        let got: Vec<_> = batch.paths.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(
            got,
            ["/site/config.toml", "/site/content/a.md", "/site/templates"]
        );
    }

    #[test]
    fn lost_events_ask_for_a_rescan() {
        let flagged = Ok(Event::new(EventKind::Other).set_flag(Flag::Rescan));
        assert_eq!(batches(vec![(0, flagged)]), vec![(vec![], true)]);
        let error = Err(notify::Error::generic("queue overflow"));
        assert_eq!(batches(vec![(0, error)]), vec![(vec![], true)]);
    }

    #[test]
    fn a_top_level_folder_made_later_is_watched_from_then_on() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("content")).unwrap();
        let mut watches = Watches::new(root);
        let none = BTreeSet::new();
        assert!(watches.missing(root, &none).is_empty());

        let templates = root.join("templates");
        std::fs::create_dir(&templates).unwrap();
        let missing = watches.missing(root, &none);
        assert_eq!(missing, vec![(templates.clone(), RecursiveMode::Recursive)]);
        watches.dirs.insert(templates.clone());
        assert!(watches.missing(root, &none).is_empty(), "watched once");

        // Deleted and made again: its old watch is gone, so it is watched anew.
        std::fs::remove_dir(&templates).unwrap();
        std::fs::create_dir(&templates).unwrap();
        let changed = BTreeSet::from([templates.clone()]);
        assert_eq!(watches.missing(root, &changed).len(), 1);
    }
}
