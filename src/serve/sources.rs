//! The files under `content/` as `serve` last read them: the load stage's output, kept so that
//! after a change only the changed paths are read again, and the site is resolved from memory.

use std::collections::BTreeMap;
use std::path::Path;

use crate::build::{BuildEnv, sorted};
use crate::config::Config;
use crate::content::load::{Asset, Loaded, SourceFile, load_under};
use crate::content::{self, Site};
use crate::error::{Diagnostic, Result};

/// Markdown files and assets under `content/`, with the warnings met reading them.
#[derive(Default)]
pub struct Sources {
    /// Markdown files, by site-relative path.
    files: BTreeMap<String, SourceFile>,
    assets: BTreeMap<String, Asset>,
    /// Encoding warnings of the files read, by path.
    warnings: BTreeMap<String, Diagnostic>,
}

/// What re-reading a path found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reread {
    Unchanged,
    /// An existing page file with new text.
    Edited,
    /// Files appeared, went, or a section, asset or folder changed.
    Structural,
}

impl Sources {
    /// The text of a Markdown file, if it is held.
    pub fn get(&self, rel: &str) -> Option<&SourceFile> {
        self.files.get(rel)
    }

    /// The encoding warning of a file, if it had one.
    pub fn warning(&self, rel: &str) -> Option<&Diagnostic> {
        self.warnings.get(rel)
    }

    /// Takes files read from disk; the errors met reading them come back.
    pub fn take(&mut self, loaded: Loaded) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for d in loaded.diags {
            if d.is_error() {
                errors.push(d);
            } else {
                self.warnings.insert(d.file.clone(), d);
            }
        }
        for f in loaded.files {
            self.files.insert(f.rel.clone(), f);
        }
        for a in loaded.assets {
            self.assets.insert(a.rel.clone(), a);
        }
        errors
    }

    /// Re-reads a changed path under `content/`: a file, or a folder and all it holds. Errors
    /// met reading come back as `Err(Error::Site)`, with the files taken all the same.
    pub fn reread(&mut self, root: &Path, path: &Path) -> Result<(String, Reread)> {
        let rel = crate::fs::slash_path(path, root);
        let had_file = self.files.contains_key(&rel);
        if path.is_file() && had_file && !rel.ends_with("/_index.md") {
            let loaded = load_under(root, path)?;
            let before = self.files.get(&rel).map(|f| f.text.clone());
            self.warnings.remove(&rel);
            self.take_or_fail(loaded)?;
            let change = match self.files.get(&rel) {
                Some(f) if Some(&f.text) == before.as_ref() => Reread::Unchanged,
                Some(_) => Reread::Edited,
                None => Reread::Structural,
            };
            return Ok((rel, change));
        }
        // Anything else changes what exists: drop what was under the path and read it again.
        let prefix = format!("{rel}/");
        let inside = |k: &String| k == &rel || k.starts_with(&prefix);
        let had = had_file || self.files.keys().any(inside) || self.assets.keys().any(inside);
        self.files.retain(|k, _| !inside(k));
        self.assets.retain(|k, _| !inside(k));
        self.warnings.retain(|k, _| !inside(k));
        let loaded = load_under(root, path)?;
        let found = !loaded.files.is_empty() || !loaded.assets.is_empty();
        self.take_or_fail(loaded)?;
        let change = if found || had {
            Reread::Structural
        } else {
            Reread::Unchanged
        };
        Ok((rel, change))
    }

    fn take_or_fail(&mut self, loaded: Loaded) -> Result<()> {
        let errors = self.take(loaded);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::error::Error::Site(errors))
        }
    }

    /// Resolves the site from the files in memory, taking over the pages of `old` whose file is
    /// unchanged rather than parsing them again. Diagnostics include the read warnings.
    pub fn resolve(&self, config: &Config, env: &BuildEnv, old: &Site) -> (Site, Vec<Diagnostic>) {
        let files: Vec<&SourceFile> = self.files.values().collect();
        let assets: Vec<Asset> = self.assets.values().cloned().collect();
        let reuse = |file: &SourceFile, kind: content::SectionKind| {
            let p = &old.pages[old.page_id(&file.rel)?];
            let same = p.kind == kind
                && p.head.len() + p.body.len() == file.text.len()
                && file.text.starts_with(&p.head)
                && file.text.ends_with(p.body.as_str());
            same.then(|| p.clone())
        };
        let (site, resolve_diags) =
            content::resolve_reusing(files, assets, config, env.vis, &reuse);
        let mut diags: Vec<Diagnostic> = self.warnings.values().cloned().collect();
        diags.extend(resolve_diags);
        (site, sorted(diags))
    }
}
