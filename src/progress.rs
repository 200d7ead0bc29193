//! The progress bar of `tongxin build` on a terminal: nothing for a build that ends within a
//! second, nothing when standard error is not a terminal (pipes, CI, tests), and gone before the
//! one-line summary is printed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Result;
use crate::output::Sink;

/// How long a build runs before its bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A build's progress: stages by name, and files written out of those planned. Cheap to clone.
#[derive(Clone)]
pub struct Progress(Arc<Inner>);

struct Inner {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl Progress {
    /// A bar drawn on standard error once the build has run for a second, if standard error is
    /// a terminal (indicatif draws nothing otherwise).
    pub fn on_terminal() -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:12} [{elapsed}] {wide_bar} {percent:>3}%")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress(Arc::new(Inner {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }))
    }

    /// Shows the bar once the build has taken longer than [`DELAY`].
    fn show_when_slow(&self) {
        let inner = &self.0;
        if !inner.shown.load(Ordering::Relaxed)
            && inner.started.elapsed() > DELAY
            && !inner.shown.swap(true, Ordering::Relaxed)
        {
            inner.bar.set_draw_target(ProgressDrawTarget::stderr());
            inner.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// A new stage, by its name in Chinese (`渲染页面`).
    pub fn stage(&self, name: &'static str) {
        self.0.bar.set_message(name);
        self.show_when_slow();
    }

    /// `n` more files to write.
    pub fn plan(&self, n: usize) {
        self.0.bar.inc_length(n as u64);
    }

    /// One file written.
    fn written(&self) {
        self.0.bar.inc(1);
        self.show_when_slow();
    }

    /// Takes the bar off the terminal (before the summary line).
    pub fn finish(&self) {
        self.0.bar.finish_and_clear();
    }
}

/// A sink that counts the files written to `inner` on the bar.
pub struct Counting<'a> {
    pub inner: &'a dyn Sink,
    pub progress: &'a Progress,
}

impl Sink for Counting<'_> {
    fn scratch(&self) -> Option<(std::fs::File, std::path::PathBuf)> {
        self.inner.scratch()
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(rel, bytes)?;
        self.progress.written();
        Ok(())
    }

    fn copy_file(&self, rel: &str, from: &std::path::Path) -> Result<()> {
        self.inner.copy_file(rel, from)?;
        self.progress.written();
        Ok(())
    }

    fn link_file(&self, rel: &str, from: &std::path::Path) -> Result<()> {
        self.inner.link_file(rel, from)?;
        self.progress.written();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::MemorySink;

    #[test]
    fn a_fast_build_shows_nothing_and_files_are_counted() {
        let progress = Progress::on_terminal();
        progress.plan(2);
        let memory = MemorySink::with_bytes();
        let sink = Counting {
            inner: &memory,
            progress: &progress,
        };
        sink.write("a.html", b"a").unwrap();
        sink.write("b.html", b"b").unwrap();
        assert_eq!(progress.0.bar.position(), 2);
        assert!(!progress.0.shown.load(Ordering::Relaxed));
        progress.finish();
        assert_eq!(memory.into_files().len(), 2);
    }
}
