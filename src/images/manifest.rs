//! Reusing the previous build's images without a cache in the site: each output folder records,
//! in its [`MARKER`](crate::output::MARKER) file, which source bytes and settings made each
//! image it holds. While a build runs, the previous output still stands beside the staged one,
//! so an image whose source and settings are as recorded is hard-linked from it (copied where
//! links fail) instead of decoded again. Nothing is kept anywhere but in the output itself, and
//! a deleted or foreign output simply means every image is made anew.
//!
//! Source bytes are identified by XXH3-128 (`twox-hash`), not by modification time: a photo
//! copied over another keeps or changes its time for reasons that say nothing about its
//! bytes. XXH3 reads several GB/s, so hashing 1 GB of photos costs far less than reading it;
//! it is no defence against a chosen collision, but the files are the staff's own photos, and
//! an accidental collision of 128 bits will not happen.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use super::{Settings, Source, process};
use crate::error::{Code, Diagnostic, Error, Result};
use crate::output::{MARKER, Sink};

/// Bumped whenever the pipeline's output for the same input changes (filter, quality, rules),
/// so outputs of an older tongxin are not reused.
pub const PIPELINE_VERSION: u32 = 2;

/// The line that starts the manifest in the marker file.
const HEADER: &str = "# tongxin images v1";

/// What made one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Output path (`images/a.jpg`).
    pub out: String,
    /// XXH3-128 of the source file's bytes.
    pub source: u128,
    /// Hash of the settings and the output's role (image or thumbnail).
    pub key: u64,
    /// Size of the output file in bytes.
    pub len: u64,
}

/// The images of one output folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub entries: Vec<Entry>,
}

impl Manifest {
    /// The manifest as appended to the marker file: a header line, then one line per output
    /// (`OUT<TAB>SOURCE<TAB>KEY<TAB>LEN`), sorted. Outputs whose names hold a tab or a line
    /// break are left out (and so made anew each time).
    pub fn to_text(&self) -> String {
        let mut entries: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| !e.out.contains(['\t', '\n', '\r']))
            .collect();
        entries.sort_by(|a, b| a.out.cmp(&b.out));
        let mut text = format!("{HEADER}\n");
        for e in entries {
            text.push_str(&format!(
                "{}\t{:032x}\t{:016x}\t{}\n",
                e.out, e.source, e.key, e.len
            ));
        }
        text
    }

    /// Reads the manifest part of a marker file's text; lines that do not parse are skipped.
    pub fn parse(text: &str) -> Manifest {
        let Some((_, rest)) = text.split_once(&format!("{HEADER}\n")) else {
            return Manifest::default();
        };
        let entries = rest
            .lines()
            .filter_map(|line| {
                let mut parts = line.split('\t');
                let out = parts.next()?.to_string();
                let source = u128::from_str_radix(parts.next()?, 16).ok()?;
                let key = u64::from_str_radix(parts.next()?, 16).ok()?;
                let len = parts.next()?.parse().ok()?;
                parts.next().is_none().then_some(Entry {
                    out,
                    source,
                    key,
                    len,
                })
            })
            .collect();
        Manifest { entries }
    }
}

/// The previous output folder and what its manifest records, by output path.
#[derive(Debug, Default)]
pub struct Previous {
    dir: PathBuf,
    entries: HashMap<String, Entry>,
}

impl Previous {
    /// Reads the manifest of the output folder `dir`; `None` when it has none.
    pub fn load(dir: &Path) -> Option<Previous> {
        let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
        let manifest = Manifest::parse(&text);
        if manifest.entries.is_empty() {
            return None;
        }
        Some(Previous {
            dir: dir.to_path_buf(),
            entries: manifest
                .entries
                .into_iter()
                .map(|e| (e.out.clone(), e))
                .collect(),
        })
    }

    /// The previous file for `wanted`, if it was made from the same source and settings and
    /// is still there with the size recorded.
    fn file_for(&self, wanted: &Entry) -> Option<PathBuf> {
        let e = self.entries.get(&wanted.out)?;
        if (e.source, e.key) != (wanted.source, wanted.key) {
            return None;
        }
        let path = self.dir.join(&e.out);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        (meta.is_file() && meta.len() == e.len).then_some(path)
    }
}

/// One image published by [`super::publish`].
pub struct Published {
    pub entries: Vec<Entry>,
    pub reused: bool,
    pub warning: Option<Diagnostic>,
}

/// The key of an output made with `settings` in `role` (0: the image, 1: its thumbnail).
fn settings_key(settings: Settings, role: u8) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (PIPELINE_VERSION, settings, role, process::THUMB_WIDTH).hash(&mut h);
    (process::JPEG_QUALITY, process::THUMB_QUALITY).hash(&mut h);
    h.finish()
}

/// Publishes one image: reused from `previous` when every output of it is there as recorded,
/// else processed; an image that cannot be processed is published as it is, with a warning.
pub fn publish_one(
    source: &Source,
    settings: Settings,
    previous: Option<&Previous>,
    sink: &dyn Sink,
) -> Result<Published> {
    let bytes =
        std::fs::read(&source.path).map_err(|e| Error::io(&source.path, "无法读取文件", e))?;
    let hash = twox_hash::XxHash3_128::oneshot(&bytes);
    let mut wanted = vec![(source.out.as_str(), 0u8)];
    wanted.extend(source.thumb.as_deref().map(|t| (t, 1u8)));
    let entry = |out: &str, role: u8, len: u64| Entry {
        out: out.to_string(),
        source: hash,
        key: settings_key(settings, role),
        len,
    };
    if let Some(prev) = previous {
        let found: Option<Vec<(Entry, PathBuf)>> = wanted
            .iter()
            .map(|&(out, role)| {
                let mut e = entry(out, role, 0);
                let file = prev.file_for(&e)?;
                e.len = prev.entries[out].len;
                Some((e, file))
            })
            .collect();
        if let Some(found) = found
            && link_all(&found, sink)?
        {
            let entries = found.into_iter().map(|(e, _)| e).collect();
            return Ok(Published {
                entries,
                reused: true,
                warning: None,
            });
        }
    }
    match process::process(
        &bytes,
        &source.header,
        settings.max_width,
        source.thumb.is_some(),
    ) {
        Ok(made) => {
            sink.write(&source.out, &made.main)?;
            let mut entries = vec![entry(&source.out, 0, made.main.len() as u64)];
            if let Some(out) = &source.thumb {
                // Every planned output is written: without a thumbnail, the image stands in.
                let thumb = made.thumb.as_deref().unwrap_or(&made.main);
                sink.write(out, thumb)?;
                entries.push(entry(out, 1, thumb.len() as u64));
            }
            Ok(Published {
                entries,
                reused: false,
                warning: None,
            })
        }
        Err(why) => {
            // Published as it is (its thumbnail too, so no link breaks), and not recorded:
            // the next build tries again and warns again. A JPEG whose header reads loses
            // its metadata all the same.
            let as_is =
                process::without_pixels(&bytes, &source.header).unwrap_or(bytes.as_slice().into());
            for &(out, _) in &wanted {
                sink.write(out, &as_is)?;
            }
            let warning = Diagnostic::warning(Code::Image, &source.rel, why)
                .hint("图片已原样发布；请用图片软件重新导出后再放入");
            Ok(Published {
                entries: Vec::new(),
                reused: false,
                warning: Some(warning),
            })
        }
    }
}

/// Links the previous files into the sink. `Ok(false)` when the first cannot be linked (the
/// previous output went meanwhile): nothing is linked then, and the image is made anew. A
/// later failure is an error, since a linked file must not be written over (it is the
/// previous output's file).
fn link_all(found: &[(Entry, PathBuf)], sink: &dyn Sink) -> Result<bool> {
    for (i, (e, file)) in found.iter().enumerate() {
        match sink.link_file(&e.out, file) {
            Ok(()) => {}
            Err(_) if i == 0 => return Ok(false),
            Err(err) => return Err(err),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_reads_back_what_it_wrote() {
        let m = Manifest {
            entries: vec![
                Entry {
                    out: "b/图.jpg".into(),
                    source: u128::MAX - 5,
                    key: 7,
                    len: 1234,
                },
                Entry {
                    out: "a.png".into(),
                    source: 1,
                    key: u64::MAX,
                    len: 0,
                },
                Entry {
                    out: "bad\tname.jpg".into(),
                    source: 1,
                    key: 1,
                    len: 1,
                },
            ],
        };
        let text = format!("标记文字\n{}", m.to_text());
        let back = Manifest::parse(&text);
        assert_eq!(back.entries.len(), 2);
        assert_eq!(back.entries[0].out, "a.png");
        assert_eq!(back.entries[1], m.entries[0]);
        assert!(Manifest::parse("标记文字\n").entries.is_empty());
    }

    #[test]
    fn the_key_changes_with_the_settings_and_role() {
        let a = Settings { max_width: 1600 };
        let b = Settings { max_width: 1200 };
        assert_ne!(settings_key(a, 0), settings_key(b, 0));
        assert_ne!(settings_key(a, 0), settings_key(a, 1));
        assert_eq!(settings_key(a, 0), settings_key(a, 0));
    }
}
