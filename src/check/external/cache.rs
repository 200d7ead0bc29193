//! What external links answered, kept for a day in the user's cache folder (never in a site):
//! one JSON file, `external-links.json`, of URL → outcome and the Unix time it was fetched.
//! Only answers are kept ([`Outcome::is_answer`]); a URL that timed out is asked again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::fetch::Outcome;

/// How long an answer is trusted, in seconds.
pub const MAX_AGE: u64 = 24 * 60 * 60;

/// The cache file's name in its folder.
pub const FILE: &str = "external-links.json";

/// Bumped when the format changes; a file of another version is ignored.
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Unix time, in seconds.
    pub fetched_at: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct CacheFile {
    version: u32,
    links: BTreeMap<String, Entry>,
}

/// The cache as read from its folder, with what this run fetched.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    links: BTreeMap<String, Entry>,
}

impl Cache {
    /// Reads the cache in `dir`; a missing, unreadable or foreign file is an empty cache.
    pub fn load(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            links: read(&dir.join(FILE)),
        }
    }

    /// The answer for `url` if it was fetched less than [`MAX_AGE`] before `now`.
    pub fn fresh(&self, url: &str, now: u64) -> Option<&Outcome> {
        let entry = self.links.get(url)?;
        let age = now.checked_sub(entry.fetched_at)?;
        (age < MAX_AGE).then_some(&entry.outcome)
    }

    /// Keeps `outcome` if it is an answer.
    pub fn store(&mut self, url: &str, outcome: &Outcome, now: u64) {
        if outcome.is_answer() {
            let entry = Entry {
                fetched_at: now,
                outcome: outcome.clone(),
            };
            self.links.insert(url.to_string(), entry);
        }
    }

    /// Writes the cache, merged with what another run may have written meanwhile and without
    /// entries past their age, through a temporary file renamed into place.
    pub fn save(&self, now: u64) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(FILE);
        let mut links = read(&path);
        for (url, entry) in &self.links {
            let newer = links
                .get(url)
                .is_none_or(|e| e.fetched_at <= entry.fetched_at);
            if newer {
                links.insert(url.clone(), entry.clone());
            }
        }
        links.retain(|_, e| now.saturating_sub(e.fetched_at) < MAX_AGE);
        let file = CacheFile {
            version: VERSION,
            links,
        };
        let text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
        let tmp = self.dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text + "\n")?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

/// The entries of the cache file at `path`, or none.
fn read(path: &Path) -> BTreeMap<String, Entry> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
        .filter(|f| f.version == VERSION)
        .map(|f| f.links)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_for_a_day_and_failures_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::load(dir.path());
        let now = 1_800_000_000;
        cache.store("http://a.example/", &Outcome::Status { code: 404 }, now);
        let failed = Outcome::Failed {
            reason: super::super::fetch::Failure::Timeout,
        };
        cache.store("http://b.example/", &failed, now);
        cache.save(now).unwrap();
        let cache = Cache::load(dir.path());
        let gone = Some(&Outcome::Status { code: 404 });
        assert_eq!(cache.fresh("http://a.example/", now + 60), gone);
        assert_eq!(cache.fresh("http://a.example/", now + MAX_AGE), None);
        assert_eq!(cache.fresh("http://b.example/", now), None);
    }

    #[test]
    fn a_broken_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "not json").unwrap();
        let cache = Cache::load(dir.path());
        assert_eq!(cache.fresh("http://a.example/", 0), None);
    }
}
