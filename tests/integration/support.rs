//! `SiteTest`: copy a fixture site into a temporary folder, run `tongxin` on it, inspect output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TODAY: &str = "2026-11-20";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// True when `TONGXIN_BLESS` is set (to anything but empty or `0`): tests with expected
/// files write what they got instead of comparing.
pub fn bless() -> bool {
    std::env::var_os("TONGXIN_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tongxin"))
}

/// A fixture site copied to a temporary folder, so a test may change it freely.
pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_tree(&fixtures().join(name), &root);
        SiteTest { _dir: dir, root }
    }

    /// A site with only the files the test writes, in a temporary folder that also has room
    /// for what must stay outside the site ([`SiteTest::outside`]).
    pub fn empty() -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        SiteTest { _dir: dir, root }
    }

    /// `name` in the temporary folder beside the site, not inside it.
    pub fn outside(&self, name: &str) -> PathBuf {
        self.root.parent().unwrap().join(name)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    /// Runs `tongxin COMMAND --root ROOT --today TODAY ARGS…`.
    pub fn run(&self, command: &str, args: &[&str]) -> Output {
        bin()
            .arg(command)
            .arg("--root")
            .arg(&self.root)
            .args(["--today", TODAY])
            .args(args)
            .output()
            .expect("run tongxin")
    }

    /// Builds and asserts success.
    pub fn build(&self, args: &[&str]) -> Output {
        let out = self.run("build", args);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// The published path of theme asset `rel` (`style.css` → `style.0123456789.css`), the
    /// only file of its name and kind in its folder.
    pub fn asset(&self, rel: &str) -> String {
        let (stem, ext) = rel.rsplit_once('.').unwrap();
        let dir = self.public().join(rel).parent().unwrap().to_path_buf();
        let name = stem.rsplit('/').next().unwrap();
        let found: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.strip_prefix(&format!("{name}."))
                    .and_then(|r| r.strip_suffix(&format!(".{ext}")))
                    .is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            })
            .collect();
        assert_eq!(found.len(), 1, "{rel}: {found:?}");
        let prefix = &rel[..rel.len() - rel.rsplit('/').next().unwrap().len()];
        format!("{prefix}{}", found[0])
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir(from) {
        let rel = entry.strip_prefix(from).unwrap();
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
}

/// Every file under `dir`, sorted.
pub fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every file of a tree with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Every `href="…"` and `src="…"` value in an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').unwrap_or(after.len());
            out.push(after[..end].replace("&amp;", "&"));
            rest = &after[end..];
        }
    }
    out
}

/// Internal links in every HTML file of `public` that do not resolve to a file, as
/// `(page, link)`. `base_path` is the base URL's path (`/sub` or empty).
pub fn broken_internal_links(public: &Path, base_path: &str) -> Vec<(String, String)> {
    let mut broken = Vec::new();
    for file in walkdir(public) {
        if file.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).unwrap();
        let page = file
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with('#')
            {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap();
            let target = if let Some(abs) = path.strip_prefix('/') {
                match format!("/{abs}").strip_prefix(base_path) {
                    Some(p) => public.join(p.trim_start_matches('/')),
                    None => {
                        broken.push((page.clone(), link.clone()));
                        continue;
                    }
                }
            } else {
                file.parent().unwrap().join(path)
            };
            let target = if path.ends_with('/') || target.is_dir() {
                target.join("index.html")
            } else {
                target
            };
            if !target.is_file() {
                broken.push((page.clone(), link));
            }
        }
    }
    broken
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
