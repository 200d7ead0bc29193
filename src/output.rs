//! Where outputs go: a temporary folder beside the output swapped in only on success, or memory.

use std::collections::BTreeMap;
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
        return Err(Error::Refused(format!(
            "拒绝写出输出目录之外的路径 `{rel}`"
        )));
    }
    Ok(rel)
}

/// Writes into a folder. A file whose bytes equal the previous output's is hard-linked from
/// it instead of written: on ext4 a link costs about a third of creating a file with data.
pub struct DiskSink {
    dir: PathBuf,
    previous: Option<PathBuf>,
}

impl DiskSink {
    /// True when `previous/rel` holds exactly `bytes` and could be linked to `path`.
    fn link_unchanged(&self, rel: &str, bytes: &[u8], path: &Path) -> bool {
        let Some(prev) = &self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let same_len =
            std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        same_len
            && std::fs::read(&old).is_ok_and(|b| b == bytes)
            && std::fs::hard_link(&old, path).is_ok()
    }
}

impl Sink for DiskSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(checked(rel)?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "无法创建目录", e))?;
        }
        if self.link_unchanged(rel, bytes, &path) {
            return Ok(());
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, "无法写入文件", e))
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

/// An output folder being built beside the real one. Dropped without [`commit`](Self::commit),
/// it removes itself and leaves the previous output untouched.
pub struct StagedOutput {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl StagedOutput {
    /// Creates `.NAME.tmp-PID` beside `target`.
    pub fn begin(target: &Path) -> Result<StagedOutput> {
        let target = absolute(target);
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, "无法创建目录", e))?;
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .map_err(|e| Error::io(&staging, "无法清理临时目录", e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| Error::io(&staging, "无法创建临时目录", e))?;
        Ok(StagedOutput {
            target,
            staging,
            committed: false,
        })
    }

    /// A sink into the staging folder that reuses unchanged files of the current output.
    pub fn sink(&self) -> DiskSink {
        DiskSink {
            dir: self.staging.clone(),
            previous: self.target.is_dir().then(|| self.target.clone()),
        }
    }

    /// Swaps the staged folder into place: old output aside, new one in, old one removed.
    pub fn commit(mut self) -> Result<()> {
        let old = self.staging.with_file_name(format!(
            "{}.old",
            self.staging
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
        ));
        let had_old = self.target.exists();
        if had_old {
            if !self.target.is_dir() {
                return Err(Error::Refused(format!(
                    "输出路径 {} 已存在且不是目录",
                    self.target.display()
                )));
            }
            std::fs::rename(&self.target, &old)
                .map_err(|e| Error::io(&self.target, "无法替换输出目录", e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, "无法替换输出目录", e));
        }
        self.committed = true;
        crate::build::trace("renamed");
        if had_old {
            std::fs::remove_dir_all(&old)
                .map_err(|e| Error::io(&old, "无法删除旧的输出目录", e))?;
        }
        Ok(())
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
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

    #[test]
    fn dropped_stage_leaves_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("a.html"), "old").unwrap();
        {
            let staged = StagedOutput::begin(&target).unwrap();
            staged.sink().write("a.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let staged = StagedOutput::begin(&target).unwrap();
        staged.sink().write("a.html", b"new").unwrap();
        staged.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("same.html"), "same").unwrap();
        std::fs::write(target.join("changed.html"), "old").unwrap();
        let old_inode = std::fs::metadata(target.join("same.html")).unwrap().ino();
        let staged = StagedOutput::begin(&target).unwrap();
        let sink = staged.sink();
        sink.write("same.html", b"same").unwrap();
        sink.write("changed.html", b"new").unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("changed.html")).unwrap(),
            "old"
        );
        staged.commit().unwrap();
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
}
