//! Where outputs go: a temporary folder beside the output swapped in only on success, or memory.

use std::collections::BTreeMap;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Receives output files by site-relative path (`news/index.html`). Called from many threads.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    fn copy_file(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| Error::io(from, "无法读取文件", e))?;
        self.write(rel, &bytes)
    }
    /// Puts the file `from` of the previous output at `rel` as it is: a hard link where the
    /// sink is a folder on the same disk, else a copy.
    fn link_file(&self, rel: &str, from: &Path) -> Result<()> {
        self.copy_file(rel, from)
    }
    /// A file for the build's scratch data, and the folder to name in its errors: unnamed in
    /// the output folder (`O_TMPFILE`), so it is never part of the output and is gone once
    /// closed. `None` where the sink has no folder or its file system cannot make one. No
    /// default: a sink wrapping another must pass its folder's on.
    fn scratch(&self) -> Option<(std::fs::File, PathBuf)>;
}

/// Rejects paths that could leave the output folder. Outputs come from slugs and file names,
/// which cannot hold `..`; this is the last guard.
fn checked(rel: &str) -> Result<&str> {
    let bad = rel.is_empty()
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..");
    if bad {
        return Err(Error::refused(rel, "拒绝写出输出目录之外的路径"));
    }
    Ok(rel)
}

/// Writes into a folder. A file whose bytes equal the previous output's is hard-linked from
/// it instead of written: on ext4 a link costs about a third of creating a file with data.
/// Paths are walked from the two folders' open handles, not from the root each time.
pub struct DiskSink {
    dir: PathBuf,
    dir_fd: OwnedFd,
    previous: Option<OwnedFd>,
}

/// Opens a folder to walk paths from.
fn open_dir(dir: &Path) -> std::io::Result<OwnedFd> {
    use rustix::fs::{Mode, OFlags, open};
    Ok(open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

impl DiskSink {
    /// True when `previous/rel` is a file holding exactly `bytes` (a link in its place does
    /// not count), and it could be linked to `rel`.
    fn link_unchanged(&self, rel: &str, bytes: &[u8]) -> bool {
        use rustix::fs::{AtFlags, FileType, Mode, OFlags, fstat, linkat, openat};
        let Some(prev) = &self.previous else {
            return false;
        };
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let Ok(fd) = openat(prev, rel, flags, Mode::empty()) else {
            return false;
        };
        let same_len = fstat(&fd).is_ok_and(|st| {
            FileType::from_raw_mode(st.st_mode) == FileType::RegularFile
                && u64::try_from(st.st_size) == Ok(bytes.len() as u64)
        });
        same_len
            && holds(std::fs::File::from(fd), bytes)
            && linkat(prev, rel, &self.dir_fd, rel, AtFlags::empty()).is_ok()
    }

    /// Creates folder `rel_dir` (and those above it) in the output, if missing.
    fn make_dirs(&self, rel_dir: &str) -> std::io::Result<()> {
        use rustix::fs::{Mode, mkdirat};
        use rustix::io::Errno;
        match mkdirat(&self.dir_fd, rel_dir, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => Ok(()),
            Err(Errno::NOENT) => {
                if let Some((parent, _)) = rel_dir.rsplit_once('/') {
                    self.make_dirs(parent)?;
                }
                match mkdirat(&self.dir_fd, rel_dir, Mode::from_raw_mode(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Whether `file`, whose length is that of `bytes`, holds exactly `bytes`: read in blocks, so
/// that no copy of the file is kept, and no further than the first difference.
fn holds(mut file: std::fs::File, bytes: &[u8]) -> bool {
    use std::io::Read;
    let mut block = [0u8; 32 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = rest.len().min(block.len());
        match file.read(&mut block[..want]) {
            Ok(0) => return false,
            Ok(n) if block[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

impl Sink for DiskSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        use rustix::fs::{Mode, OFlags, openat};
        use std::io::Write;
        let rel = checked(rel)?;
        if let Some((parent, _)) = rel.rsplit_once('/') {
            self.make_dirs(parent)
                .map_err(|e| Error::io(&self.dir.join(parent), "无法创建目录", e))?;
        }
        if self.link_unchanged(rel, bytes) {
            return Ok(());
        }
        let path = || self.dir.join(rel);
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let fd = openat(&self.dir_fd, rel, flags, Mode::from_raw_mode(0o666))
            .map_err(|e| Error::io(&path(), "无法写入文件", e.into()))?;
        std::fs::File::from(fd)
            .write_all(bytes)
            .map_err(|e| Error::io(&path(), "无法写入文件", e))
    }

    fn scratch(&self) -> Option<(std::fs::File, PathBuf)> {
        use rustix::fs::{Mode, OFlags, openat};
        let flags = OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC;
        let fd = openat(&self.dir_fd, ".", flags, Mode::from_raw_mode(0o600)).ok()?;
        Some((std::fs::File::from(fd), self.dir.clone()))
    }

    fn copy_file(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.dir.join(checked(rel)?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "无法创建目录", e))?;
        }
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Error::io(from, "无法复制文件", e))
    }

    fn link_file(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.dir.join(checked(rel)?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "无法创建目录", e))?;
        }
        if std::fs::hard_link(from, &path).is_ok() {
            return Ok(());
        }
        self.copy_file(rel, from)
    }
}

/// Keeps outputs in memory: `check` (which only needs the paths) and tests.
#[derive(Default)]
pub struct MemorySink {
    keep_bytes: bool,
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// A sink that remembers only paths.
    pub fn paths_only() -> Self {
        MemorySink::default()
    }

    pub fn with_bytes() -> Self {
        MemorySink {
            keep_bytes: true,
            ..MemorySink::default()
        }
    }

    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for MemorySink {
    /// Nothing but memory: the search index keeps its runs there too.
    fn scratch(&self) -> Option<(std::fs::File, PathBuf)> {
        None
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let rel = checked(rel)?;
        let bytes = if self.keep_bytes {
            bytes.to_vec()
        } else {
            Vec::new()
        };
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel.to_string(), bytes);
        Ok(())
    }
}

/// Files smaller than this many bytes get no `.gz` copy: below about 1 KiB the compressed
/// response saves less than a network packet, and gzip's own 18-byte frame eats into it.
pub const COMPRESS_MIN: usize = 1024;

/// The kinds of file that get a `.gz` copy (`[output] compress`): text a browser asks for.
const COMPRESSED_KINDS: [&str; 5] = ["html", "css", "js", "xml", "json"];

/// Whether output `rel` of `len` bytes gets a `.gz` copy.
pub fn compressible(rel: &str, len: usize) -> bool {
    len >= COMPRESS_MIN
        && rel
            .rsplit_once('.')
            .is_some_and(|(_, ext)| COMPRESSED_KINDS.iter().any(|k| ext.eq_ignore_ascii_case(k)))
}

/// `bytes` in gzip, the same for the same bytes on every build: a fixed level (6, zlib's
/// default), no file name and a zero time in the header.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(bytes.len() / 3),
            flate2::Compression::new(6),
        );
    // Writing into a Vec cannot fail.
    enc.write_all(bytes).expect("gzip into memory");
    enc.finish().expect("gzip into memory")
}

/// A sink that writes, beside each compressible file (see [`compressible`]), its gzip copy
/// `FILE.gz`, through the same sink (so the same staging and path rules apply). A `.gz` the
/// site publishes itself (in `skip`) is left to it.
pub struct CompressingSink<'a> {
    pub inner: &'a dyn Sink,
    pub skip: std::collections::BTreeSet<String>,
    /// How many `.gz` copies were written.
    pub written: std::sync::atomic::AtomicUsize,
}

impl CompressingSink<'_> {
    fn write_gzip(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let gz = format!("{rel}.gz");
        if compressible(rel, bytes.len()) && !self.skip.contains(&gz) {
            self.inner.write(&gz, &gzip(bytes))?;
            self.written
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }
}

impl Sink for CompressingSink<'_> {
    fn scratch(&self) -> Option<(std::fs::File, PathBuf)> {
        self.inner.scratch()
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(rel, bytes)?;
        self.write_gzip(rel, bytes)
    }

    fn copy_file(&self, rel: &str, from: &Path) -> Result<()> {
        if !compressible(rel, COMPRESS_MIN) {
            return self.inner.copy_file(rel, from);
        }
        let bytes = std::fs::read(from).map_err(|e| Error::io(from, "无法读取文件", e))?;
        self.write(rel, &bytes)
    }

    fn link_file(&self, rel: &str, from: &Path) -> Result<()> {
        if !compressible(rel, COMPRESS_MIN) {
            return self.inner.link_file(rel, from);
        }
        self.copy_file(rel, from)
    }
}

/// The file every output folder holds, so that a later build knows the folder is its own to
/// replace. A folder without it (`content/`, `check/`, someone's documents) is never replaced.
pub const MARKER: &str = ".tongxin";
const MARKER_TEXT: &str = "此目录由 tongxin 生成，每次构建会整体替换，请勿在其中存放其他文件。\n";

/// An output folder being built beside the real one. Dropped without [`commit`](Self::commit),
/// it removes itself and leaves the previous output untouched.
pub struct StagedOutput {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

/// The previous output, moved aside by [`StagedOutput::commit`]: still to be deleted.
#[derive(Debug)]
pub struct OldOutput(pub PathBuf);

impl StagedOutput {
    /// Creates `.NAME.tmp-PID` beside `target` (a path [`resolve_output_dir`] accepted), after
    /// removing what killed builds left there. Returns the leftovers that could not be removed.
    pub fn begin(target: &Path) -> Result<(StagedOutput, Vec<(PathBuf, std::io::Error)>)> {
        let (parent, name) = split_target(target);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, "无法创建目录", e))?;
        let stuck = remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .map_err(|e| Error::io(&staging, "无法清理临时目录", e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, "无法创建临时目录", e))?;
        let marker = staging.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io(&marker, "无法写入文件", e))?;
        let staged = StagedOutput {
            target: target.to_path_buf(),
            staging,
            committed: false,
        };
        Ok((staged, stuck))
    }

    /// A sink into the staging folder that reuses unchanged files of the current output.
    /// Fails when the staging folder cannot be opened.
    pub fn sink(&self) -> Result<DiskSink> {
        Ok(DiskSink {
            dir: self.staging.clone(),
            dir_fd: open_dir(&self.staging)
                .map_err(|e| Error::io(&self.staging, "无法打开临时目录", e))?,
            previous: self
                .target
                .is_dir()
                .then(|| open_dir(&self.target).ok())
                .flatten(),
        })
    }

    /// The current output, which the staged folder will replace, if there is one.
    pub fn previous(&self) -> Option<&Path> {
        self.target.is_dir().then_some(self.target.as_path())
    }

    /// Adds `text` to the staged folder's marker file (the image manifest: see
    /// [`crate::images::manifest`]). The marker stays a file, so the folder stays ours.
    pub fn append_to_marker(&self, text: &str) -> Result<()> {
        use std::io::Write;
        let marker = self.staging.join(MARKER);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&marker)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| Error::io(&marker, "无法写入文件", e))
    }

    /// Puts the staged folder in place in one atomic step: exchanged with the current output
    /// (Linux `renameat2(RENAME_EXCHANGE)`), or renamed into place when there is none. At no
    /// moment is there no output. Returns the previous output, now beside the new one, for the
    /// caller to delete — off the build's path.
    pub fn commit(mut self) -> Result<Option<OldOutput>> {
        let had_old = std::fs::symlink_metadata(&self.target).is_ok();
        if !had_old {
            std::fs::rename(&self.staging, &self.target)
                .map_err(|e| Error::io(&self.target, "无法替换输出目录", e))?;
            self.committed = true;
            return Ok(None);
        }
        if !self.target.is_dir() {
            return Err(Error::refused(&self.target, "输出路径已存在且不是目录"));
        }
        pause_for_tests();
        exchange(&self.staging, &self.target)
            .map_err(|e| Error::io(&self.target, "无法替换输出目录", e))?;
        self.committed = true;
        pause_for_tests();
        // The old tree now sits at the staging name; a name of its own tells a later build it
        // is finished output, not a build in progress.
        let old = self.staging.with_file_name(
            self.staging
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .replacen(".tmp-", ".old-", 1),
        );
        Ok(Some(match std::fs::rename(&self.staging, &old) {
            Ok(()) => OldOutput(old),
            Err(_) => OldOutput(self.staging.clone()),
        }))
    }
}

impl OldOutput {
    /// Deletes the previous output now.
    pub fn remove(self) -> std::io::Result<()> {
        remove_tree(&self.0)
    }
}

/// The hidden command the detached process runs: `tongxin __remove-old-output PATH`.
pub const REMOVE_OLD_COMMAND: &str = "__remove-old-output";

/// Starts a detached `tongxin` process that deletes the previous output, so the build need not
/// wait. If it cannot be started, deletes it here.
pub fn detach_removal(old: OldOutput) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let started = std::env::current_exe().and_then(|exe| {
        let mut command = Command::new(exe);
        // A group of its own: a Ctrl-C or a tool ending the build's group does not cut it short.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command
            .arg(REMOVE_OLD_COMMAND)
            .arg(&old.0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    });
    match started {
        Ok(_) => Ok(()),
        Err(_) => old.remove(),
    }
}

/// What the detached process does: deletes `path` if it is an old output tongxin moved aside
/// (`.NAME.old-PID` holding [`MARKER`]), and nothing else.
pub fn remove_old_output(path: &Path) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let is_old = name.starts_with('.') && name.contains(".old-");
    if !is_old || !path.join(MARKER).is_file() {
        return Err(std::io::Error::other("不是 tongxin 移开的旧输出目录"));
    }
    remove_tree(path)
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// With `TONGXIN_TEST_SWAP_PAUSE_MS` set, waits that long before and after the swap, so a test
/// can kill the process there.
fn pause_for_tests() {
    if let Some(ms) = std::env::var("TONGXIN_TEST_SWAP_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Swaps two directories in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without exchange (some network and FUSE mounts): two renames.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            two_renames(a, b)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    two_renames(a, b)
}

/// `b` aside to `a.swap`, `a` to `b`, the old `b` to `a`: briefly no `b`. Only where the
/// system has no atomic exchange.
fn two_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("swap");
    std::fs::rename(b, &aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(e);
    }
    std::fs::rename(&aside, a)
}

/// Deletes an output tree, its [`MARKER`] last: a deletion cut short leaves a folder that still
/// says it is tongxin's (or an empty one), which a later build may finish deleting.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    let gone = |r: std::io::Result<()>| match r {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    };
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => return gone(Err(e)),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let p = entry.path();
        gone(if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        })?;
    }
    gone(std::fs::remove_file(path.join(MARKER)))?;
    gone(std::fs::remove_dir(path))
}

/// The folder holding the output and the output's own name.
fn split_target(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// Removes `.NAME.tmp-PID` folders of builds no longer running and every `.NAME.old-PID` left
/// by a killed build or an interrupted deletion — only folders holding [`MARKER`] (written
/// first, deleted last) or empty, so a folder of the user's with such a name stays. Returns
/// those that could not be removed.
fn remove_leftovers(parent: &Path, name: &str) -> Vec<(PathBuf, std::io::Error)> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.");
    let mut stuck = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let (building, pid) = match (rest.strip_prefix("tmp-"), rest.strip_prefix("old-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        let Ok(pid) = pid.trim_end_matches(".swap").parse::<u32>() else {
            continue;
        };
        let path = entry.path();
        let ours = path.join(MARKER).is_file() || is_empty_dir(&path);
        if !ours || (building && pid != std::process::id() && process_alive(pid)) {
            continue;
        }
        if let Err(e) = remove_tree(&path) {
            stuck.push((path, e));
        }
    }
    stuck
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // Without a cheap test, assume a build in progress: its folder stays.
    true
}

/// Where the output may go, after symlinks: the site root, a folder above it, a folder the next
/// build would read (`content/`, `static/`, `templates/`, `themes/`), a file, and an existing
/// non-empty folder without [`MARKER`] are refused. Returns the real path to build into.
pub fn resolve_output_dir(root: &Path, output: &Path) -> Result<PathBuf> {
    let root = real_path(root);
    let output = real_path(output);
    let refuse = |why: &str| Err(Error::refused(&output, format!("输出目录{why}，已停止")));
    let read_by_build = ["content", "static", "templates", "themes"]
        .iter()
        .any(|d| output.starts_with(root.join(d)));
    if root.starts_with(&output) || read_by_build {
        return refuse("会覆盖站点自身的文件");
    }
    match std::fs::metadata(&output) {
        Ok(m) if !m.is_dir() => refuse("已存在且不是目录"),
        Ok(_) if !output.join(MARKER).is_file() && !is_empty_dir(&output) => refuse(
            "已存在且不是 tongxin 生成的（其中没有 .tongxin 标记文件），为免丢失文件不会替换它",
        ),
        _ => Ok(output),
    }
}

/// The absolute path with every symlink resolved, component by component, so that `..` after a
/// link leaves the link's target, as the system would; parts that do not exist yet are kept.
fn real_path(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for part in abs.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_paths_are_refused() {
        let sink = MemorySink::paths_only();
        assert!(sink.write("../x", b"").is_err());
        assert!(sink.write("/etc/x", b"").is_err());
        assert!(sink.write("a//b", b"").is_err());
        assert!(sink.write("a/b.html", b"").is_ok());
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    fn stage(target: &Path) -> StagedOutput {
        let (staged, stuck) = StagedOutput::begin(target).unwrap();
        assert!(stuck.is_empty());
        staged
    }

    #[test]
    fn dropped_stage_leaves_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        {
            let staged = stage(&target);
            staged.sink().unwrap().write("a.html", b"old").unwrap();
            assert!(staged.commit().unwrap().is_none());
        }
        {
            let staged = stage(&target);
            staged.sink().unwrap().write("a.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "old"
        );
        assert_eq!(names(dir.path()), ["public"]);
        let staged = stage(&target);
        staged.sink().unwrap().write("a.html", b"new").unwrap();
        staged.commit().unwrap().unwrap().remove().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "new"
        );
        assert!(target.join(MARKER).is_file());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn the_swap_exchanges_in_one_step_and_leaves_the_old_tree_aside() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        stage(&target).commit().unwrap();
        let old_inode = std::fs::metadata(&target).unwrap().ino();
        let staged = stage(&target);
        let new_inode = std::fs::metadata(&staged.staging).unwrap().ino();
        let old = staged.commit().unwrap().unwrap();
        assert_eq!(std::fs::metadata(&target).unwrap().ino(), new_inode);
        assert_eq!(std::fs::metadata(&old.0).unwrap().ino(), old_inode);
        assert!(
            old.0
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".public.old-")
        );
        assert!(remove_old_output(&old.0).is_ok());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        stage(&target).commit().unwrap();
        // A dead build's staging folder (PID 0 is never a build), an old tree, an empty folder
        // killed before its marker, one of a running build (ours), and one not ours at all.
        for (name, marker) in [
            (".public.tmp-999999999", true),
            (".public.old-12", true),
            (".public.tmp-4000000", false),
            (".public.old-13", false),
            (".public.tmp-14", false),
            (".public.old-15", false),
        ] {
            let p = dir.path().join(name);
            std::fs::create_dir(&p).unwrap();
            if marker {
                std::fs::write(p.join(MARKER), "").unwrap();
            }
        }
        std::fs::write(dir.path().join(".public.tmp-14/keep.txt"), "x").unwrap();
        // A folder of the user's that merely has the name of an old output.
        std::fs::write(dir.path().join(".public.old-15/notes.txt"), "x").unwrap();
        let running = dir.path().join(format!(
            ".public.tmp-{}",
            std::os::unix::process::parent_id()
        ));
        std::fs::create_dir(&running).unwrap();
        std::fs::write(running.join(MARKER), "").unwrap();
        let (staged, stuck) = StagedOutput::begin(&target).unwrap();
        assert!(stuck.is_empty());
        drop(staged);
        let parent_build = format!(".public.tmp-{}", std::os::unix::process::parent_id());
        let mut expected = vec![
            parent_build,
            ".public.old-15".to_string(),
            ".public.tmp-14".to_string(),
            "public".into(),
        ];
        expected.sort();
        assert_eq!(names(dir.path()), expected);
    }

    #[test]
    fn only_marked_or_empty_folders_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("check")).unwrap();
        std::fs::write(root.join("check/words.toml"), "").unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("lnk")).unwrap();
        for refused in [
            ".",
            "..",
            "content",
            "content/out",
            "lnk/out",
            "static/x",
            "check",
            "check/words.toml",
        ] {
            assert!(
                resolve_output_dir(&root, &root.join(refused)).is_err(),
                "{refused}"
            );
        }
        for accepted in ["public", "empty", "check/out", "../elsewhere"] {
            assert!(
                resolve_output_dir(&root, &root.join(accepted)).is_ok(),
                "{accepted}"
            );
        }
        std::fs::write(root.join("check").join(MARKER), "").unwrap();
        assert!(resolve_output_dir(&root, &root.join("check")).is_ok());
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staged = stage(&target);
        staged.sink().unwrap().write("same.html", b"same").unwrap();
        staged
            .sink()
            .unwrap()
            .write("changed.html", b"old")
            .unwrap();
        staged.commit().unwrap();
        let old_inode = std::fs::metadata(target.join("same.html")).unwrap().ino();
        let staged = stage(&target);
        let sink = staged.sink().unwrap();
        sink.write("same.html", b"same").unwrap();
        sink.write("changed.html", b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("changed.html")).unwrap(),
            "old"
        );
        staged.commit().unwrap().unwrap().remove().unwrap();
        assert_eq!(
            std::fs::metadata(target.join("same.html")).unwrap().ino(),
            old_inode
        );
        assert_eq!(
            std::fs::read_to_string(target.join("same.html")).unwrap(),
            "same"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("changed.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn a_link_in_the_previous_output_is_never_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staged = stage(&target);
        staged.sink().unwrap().write("real.html", b"same").unwrap();
        staged.commit().unwrap();
        // Someone replaced a page of the output by a link to a file outside it.
        let outside = dir.path().join("outside.html");
        std::fs::write(&outside, "same").unwrap();
        std::os::unix::fs::symlink(&outside, target.join("a.html")).unwrap();
        let staged = stage(&target);
        let sink = staged.sink().unwrap();
        sink.write("a.html", b"same").unwrap();
        sink.write("real.html", b"same").unwrap();
        staged.commit().unwrap().unwrap().remove().unwrap();
        let a = std::fs::symlink_metadata(target.join("a.html")).unwrap();
        assert!(a.file_type().is_file(), "written anew, not the link");
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "same"
        );
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "same");
    }

    /// The scratch file of a staged output is reachable through every wrapper a build puts
    /// around its sink, and never shows in the output.
    #[test]
    fn the_scratch_file_passes_through_every_sink_and_stays_out_of_the_output() {
        use std::os::unix::fs::FileExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staged = stage(&target);
        let disk = staged.sink().unwrap();
        let compressing = CompressingSink {
            inner: &disk,
            skip: Default::default(),
            written: Default::default(),
        };
        let progress = crate::progress::Progress::on_terminal();
        let counting = crate::progress::Counting {
            inner: &compressing,
            progress: &progress,
        };
        let sinks: [&dyn Sink; 3] = [&disk, &compressing, &counting];
        let files: Vec<std::fs::File> = sinks
            .iter()
            .map(|s| s.scratch().expect("a scratch file").0)
            .collect();
        for (i, file) in files.iter().enumerate() {
            file.write_all_at(b"runs", i as u64 * 4).unwrap();
            let mut back = [0; 4];
            file.read_exact_at(&mut back, i as u64 * 4).unwrap();
            assert_eq!(&back, b"runs");
        }
        disk.write("index.html", b"x").unwrap();
        staged.commit().unwrap();
        let names = names(&target);
        assert_eq!(names.len(), 2, "{names:?}"); // index.html and the marker
        assert!(MemorySink::with_bytes().scratch().is_none());
    }

    #[test]
    fn gzip_copies_are_the_same_on_every_build_and_skip_small_files() {
        use std::io::Read;
        let page = "<p>政协委员建言献策</p>\n".repeat(200);
        let (a, b) = (gzip(page.as_bytes()), gzip(page.as_bytes()));
        assert_eq!(a, b);
        // Magic, deflate, no flags, a zero time: nothing from the clock or the file name.
        assert_eq!(&a[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
        let mut back = String::new();
        flate2::read::GzDecoder::new(&a[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, page);
        assert!(compressible("a/index.html", COMPRESS_MIN));
        assert!(compressible("search/index/s/1.JSON", 5000));
        assert!(!compressible("a/index.html", COMPRESS_MIN - 1));
        assert!(!compressible("photo.jpg", 50_000));
        assert!(!compressible("style.css.gz", 50_000));
        let memory = MemorySink::with_bytes();
        let sink = CompressingSink {
            inner: &memory,
            skip: ["own.html.gz".to_string()].into(),
            written: Default::default(),
        };
        sink.write("a/index.html", page.as_bytes()).unwrap();
        sink.write("own.html", page.as_bytes()).unwrap();
        sink.write("tiny.html", b"<p>x</p>").unwrap();
        let files = memory.into_files();
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["a/index.html", "a/index.html.gz", "own.html", "tiny.html"]
        );
        assert_eq!(files["a/index.html.gz"], a);
    }
}
