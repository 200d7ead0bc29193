//! Full-text search that works for Chinese: an index built at build time, split into shards so a
//! query downloads only the shards of its terms, read by the theme's plain `search.js`.
//!
//! Terms: a run of Han (or kana, hangul) characters gives its character bigrams and its single
//! characters; a run of letters or digits (`cppcc`, `2024`) is one term. A query is cut the same
//! way but a Chinese run of two or more characters uses bigrams only, and a page matches only if
//! it holds every query term. Bigrams rather than a dictionary segmenter: any substring of two or
//! more characters is found, where a segmenter misses words it cut differently at build time
//! (see `scripts/search_segmentation.md` for the measurement).
//!
//! Files, under `/search/index/`:
//! - `meta.json`: `{"version":1,"shards":S,"pages":N,"chunk":K}`
//! - `s/I.json`: the terms whose FNV-1a hash is I mod S: `{"term":[[title ids],[other ids]]}`,
//!   page ids delta-encoded; ids count from the newest page, so a lower id is more recent
//! - `p/J.json`: pages J*K … J*K+K-1: `[[title, url, date, section, text], …]`, text cut to
//!   [`TEXT_LIMIT`] characters

pub mod tokenize;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

pub use tokenize::{for_each_index_term, index_terms, query_terms};

/// Pages per metadata chunk: a result list of 10 fetches at most 10 small chunks.
pub const CHUNK: usize = 4;

/// The folder of the index's files in the output. It is reserved: nothing else may write there.
pub const INDEX_DIR: &str = "search/index/";
/// Characters of text kept per page for result snippets: enough for the summary and hits near
/// the start; more would triple what a reader downloads per result list.
pub const TEXT_LIMIT: usize = 600;
/// Aimed-for size of one shard, in bytes.
const SHARD_TARGET_BYTES: usize = 48 * 1024;

/// What the index knows of one page, borrowed from the site.
#[derive(Clone)]
pub struct Document<'a> {
    pub title: &'a str,
    /// `href`-ready URL.
    pub url: std::borrow::Cow<'a, str>,
    /// `2024-03-01`, or empty.
    pub date: std::borrow::Cow<'a, str>,
    pub section: &'a str,
    pub description: Option<&'a str>,
    /// The body's text, whole: all of it is indexed; with the description, the first
    /// [`TEXT_LIMIT`] characters are kept for snippets.
    pub body: &'a str,
}

impl Document<'_> {
    fn text(&self) -> String {
        document_text(self.description, self.body)
    }
}

/// The pages a term occurs in: in the title, and only elsewhere. Ids ascend.
#[derive(Default)]
struct Postings {
    title: Vec<u32>,
    other: Vec<u32>,
}

/// Terms as integers while indexing: a tag in the top two bits, then one or two characters
/// (21 bits each) or a hash of the word.
const TAG_CHAR: u64 = 1 << 62;
const TAG_PAIR: u64 = 2 << 62;
const TAG_WORD: u64 = 3 << 62;
const TAG_MASK: u64 = 3 << 62;

fn word_key(w: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    w.hash(&mut h);
    TAG_WORD | (h.finish() & !TAG_MASK)
}

/// The distinct keys of `text` that fall in `part` of `parts`; words met go to `words`.
fn keys_of(text: &str, part: u64, parts: u64, words: &mut FxHashMap<u64, String>) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_index_term(text, |t| {
        let k = match t {
            tokenize::Term::Char(c) => TAG_CHAR | u64::from(c),
            tokenize::Term::Pair(a, b) => TAG_PAIR | (u64::from(a) << 21) | u64::from(b),
            tokenize::Term::Word(w) => {
                let k = word_key(w);
                if k % parts == part {
                    words.entry(k).or_insert_with(|| w.to_string());
                }
                k
            }
        };
        if k % parts == part {
            out.push(k);
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

fn key_text(key: u64, words: &FxHashMap<u64, String>) -> String {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    match key & TAG_MASK {
        TAG_CHAR => ch(key).to_string(),
        TAG_PAIR => [ch(key >> 21), ch(key)].iter().collect(),
        _ => words.get(&key).cloned().unwrap_or_default(),
    }
}

/// Receives one index file: its path under the output and its bytes.
pub type WriteFile<'w, E> = dyn Fn(&str, &[u8]) -> Result<(), E> + Sync + 'w;

/// What a written index is, for updating it in place later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    /// Files written.
    pub files: usize,
    pub shards: usize,
    /// The size estimate the shard count comes from.
    pub approx_bytes: usize,
}

fn shard_count(approx_bytes: usize) -> usize {
    approx_bytes.div_ceil(SHARD_TARGET_BYTES).max(1)
}

/// The size estimate of one term with `postings` page ids.
fn term_bytes(term: &str, postings: usize) -> usize {
    term.len() + 8 + postings * 3
}

/// Page chunk `j` of `docs`: its file path and bytes.
fn chunk_file(docs: &[Document], j: usize) -> (String, Vec<u8>) {
    #[derive(Serialize)]
    struct Row<'a>(&'a str, &'a str, &'a str, &'a str, &'a str);
    let chunk = &docs[j * CHUNK..docs.len().min(j * CHUNK + CHUNK)];
    let texts: Vec<String> = chunk.iter().map(Document::text).collect();
    let rows: Vec<Row> = chunk
        .iter()
        .zip(&texts)
        .map(|(d, t)| {
            Row(
                d.title,
                &d.url,
                &d.date,
                d.section,
                truncate_chars(t, TEXT_LIMIT),
            )
        })
        .collect();
    (
        format!("search/index/p/{j}.json"),
        serde_json::to_vec(&rows).unwrap_or_default(),
    )
}

/// Builds the index and hands each file (path under the output, bytes) to `write` as soon as
/// it is ready, so the whole index never sits in memory.
pub fn build<E: Send>(docs: &[Document], write: &WriteFile<'_, E>) -> Result<IndexStats, E> {
    // Page chunks first: they need only the documents.
    (0..docs.len().div_ceil(CHUNK))
        .into_par_iter()
        .try_for_each(|j| {
            let (path, bytes) = chunk_file(docs, j);
            write(&path, &bytes)
        })?;
    // Invert, the key space split over the cores: each part reads every document and keeps
    // only its own keys, so no per-document term lists are held.
    let parts = rayon::current_num_threads().max(1) as u64;
    let inverted: Vec<(FxHashMap<u64, Postings>, FxHashMap<u64, String>)> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut map: FxHashMap<u64, Postings> = FxHashMap::default();
            let mut words: FxHashMap<u64, String> = FxHashMap::default();
            for (id, d) in docs.iter().enumerate() {
                let id = id as u32;
                let title = keys_of(d.title, part, parts, &mut words);
                let mut body = keys_of(d.body, part, parts, &mut words);
                if let Some(desc) = d.description {
                    body.extend(keys_of(desc, part, parts, &mut words));
                    body.sort_unstable();
                    body.dedup();
                }
                for &k in &title {
                    map.entry(k).or_default().title.push(id);
                }
                for k in body {
                    if title.binary_search(&k).is_err() {
                        map.entry(k).or_default().other.push(id);
                    }
                }
            }
            (map, words)
        })
        .collect();
    let mut terms: Vec<(String, Postings)> = Vec::new();
    for (map, words) in inverted {
        terms.extend(map.into_iter().map(|(k, p)| (key_text(k, &words), p)));
    }
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let approx: usize = terms
        .iter()
        .map(|(t, p)| term_bytes(t, p.title.len() + p.other.len()))
        .sum();
    let shards = shard_count(approx);
    let mut by_shard: Vec<Vec<&(String, Postings)>> = vec![Vec::new(); shards];
    for t in &terms {
        by_shard[shard_of(&t.0, shards)].push(t);
    }
    let meta = format!(
        "{{\"version\":1,\"shards\":{shards},\"pages\":{},\"chunk\":{CHUNK}}}",
        docs.len()
    );
    write("search/index/meta.json", meta.as_bytes())?;
    by_shard.par_iter().enumerate().try_for_each(|(i, list)| {
        let s = shard_json(list.iter().map(|t| (t.0.as_str(), &t.1)));
        write(&format!("search/index/s/{i}.json"), s.as_bytes())
    })?;
    Ok(IndexStats {
        files: 1 + shards + docs.len().div_ceil(CHUNK),
        shards,
        approx_bytes: approx,
    })
}

/// A shard file from its terms, in term order.
fn shard_json<'t>(terms: impl Iterator<Item = (&'t str, &'t Postings)>) -> String {
    let mut s = String::from("{");
    for (k, (term, p)) in terms.enumerate() {
        if k > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(term).unwrap_or_default());
        s.push_str(":[");
        push_deltas(&mut s, &p.title);
        s.push(',');
        push_deltas(&mut s, &p.other);
        s.push(']');
    }
    s.push('}');
    s
}

/// A shard file read back: term → postings, ids absolute.
fn parse_shard(bytes: &[u8]) -> Option<std::collections::BTreeMap<String, Postings>> {
    let raw: std::collections::BTreeMap<String, (Vec<u32>, Vec<u32>)> =
        serde_json::from_slice(bytes).ok()?;
    let undelta = |mut ids: Vec<u32>| {
        let mut prev = 0u32;
        for id in &mut ids {
            *id += prev;
            prev = *id;
        }
        ids
    };
    Some(
        raw.into_iter()
            .map(|(t, (title, other))| {
                let p = Postings {
                    title: undelta(title),
                    other: undelta(other),
                };
                (t, p)
            })
            .collect(),
    )
}

/// A document's keys: those of its title, and those only elsewhere (description, body).
fn doc_keys(d: &Document, words: &mut FxHashMap<u64, String>) -> (Vec<u64>, Vec<u64>) {
    let title = keys_of(d.title, 0, 1, words);
    let mut other = keys_of(d.body, 0, 1, words);
    if let Some(desc) = d.description {
        other.extend(keys_of(desc, 0, 1, words));
        other.sort_unstable();
        other.dedup();
    }
    other.retain(|k| title.binary_search(k).is_err());
    (title, other)
}

/// Updates a written index for documents edited in place: `docs` is every document as it is
/// now, `edited` the ids whose text changed with each one's document before. Only the page
/// chunks of those ids and the shards of the terms they gained or lost are rewritten; `read`
/// gives an index file as last written. `None` (and nothing written) when the shard count
/// would change or a file cannot be read back: then build the index anew.
pub fn update<E: Send>(
    stats: IndexStats,
    docs: &[Document],
    edited: &[(u32, Document)],
    read: &(dyn Fn(&str) -> Option<std::sync::Arc<[u8]>> + Sync),
    write: &WriteFile<'_, E>,
) -> Result<Option<IndexStats>, E> {
    use std::collections::BTreeMap;
    // Per shard, per term: (id, in title, elsewhere).
    let mut by_shard: BTreeMap<usize, Vec<(String, u32, bool, bool)>> = BTreeMap::new();
    let mut words = FxHashMap::default();
    for (id, old) in edited {
        let Some(new) = docs.get(*id as usize) else {
            return Ok(None);
        };
        let (old_title, old_other) = doc_keys(old, &mut words);
        let (new_title, new_other) = doc_keys(new, &mut words);
        let mut keys: Vec<u64> = [&old_title, &old_other, &new_title, &new_other]
            .into_iter()
            .flatten()
            .copied()
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let has = |list: &[u64], k: u64| list.binary_search(&k).is_ok();
        for k in keys {
            let now = (has(&new_title, k), has(&new_other, k));
            if now != (has(&old_title, k), has(&old_other, k)) {
                let term = key_text(k, &words);
                let shard = shard_of(&term, stats.shards);
                by_shard
                    .entry(shard)
                    .or_default()
                    .push((term, *id, now.0, now.1));
            }
        }
    }
    // Each shard read back, changed and measured on its own, in parallel.
    type Patched = (usize, BTreeMap<String, Postings>, isize);
    let patched: Option<Vec<Patched>> = by_shard
        .into_par_iter()
        .map(|(shard, changes)| {
            let mut terms = read(&format!("search/index/s/{shard}.json"))
                .as_deref()
                .and_then(parse_shard)?;
            let mut delta = 0isize;
            for (term, id, in_title, elsewhere) in changes {
                let p = terms.entry(term.clone()).or_default();
                let before = p.title.len() + p.other.len();
                for (list, wanted) in [(&mut p.title, in_title), (&mut p.other, elsewhere)] {
                    match (list.binary_search(&id), wanted) {
                        (Err(at), true) => list.insert(at, id),
                        (Ok(at), false) => {
                            list.remove(at);
                        }
                        _ => {}
                    }
                }
                let after = p.title.len() + p.other.len();
                let size = |n: usize| {
                    if n == 0 {
                        0
                    } else {
                        term_bytes(&term, n) as isize
                    }
                };
                delta += size(after) - size(before);
                if after == 0 {
                    terms.remove(&term);
                }
            }
            Some((shard, terms, delta))
        })
        .collect();
    let Some(shards) = patched else {
        return Ok(None);
    };
    let approx = stats.approx_bytes as isize + shards.iter().map(|s| s.2).sum::<isize>();
    let approx = approx.max(0) as usize;
    if shard_count(approx) != stats.shards {
        return Ok(None);
    }
    shards.par_iter().try_for_each(|(shard, terms, _)| {
        let s = shard_json(terms.iter().map(|(t, p)| (t.as_str(), p)));
        write(&format!("search/index/s/{shard}.json"), s.as_bytes())
    })?;
    let mut chunks: Vec<usize> = edited.iter().map(|(id, _)| *id as usize / CHUNK).collect();
    chunks.sort_unstable();
    chunks.dedup();
    for j in chunks {
        let (path, bytes) = chunk_file(docs, j);
        write(&path, &bytes)?;
    }
    Ok(Some(IndexStats {
        approx_bytes: approx,
        ..stats
    }))
}

/// `[a,b-a,c-b,…]`
fn push_deltas(out: &mut String, ids: &[u32]) {
    use std::fmt::Write;
    out.push('[');
    let mut prev = 0;
    for (k, &id) in ids.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", id - prev);
        prev = id;
    }
    out.push(']');
}

/// FNV-1a (32-bit) of the term's UTF-8 bytes, mod the shard count. `search.js` does the same.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811c9dc5;
    for b in term.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x01000193);
    }
    (h as usize) % shards
}

/// What a page is searched by besides its title: its description, then its body text.
pub fn document_text(description: Option<&str>, body_text: &str) -> String {
    match description {
        Some(d) => format!("{d}\n{}", body_text.trim()),
        None => body_text.trim().to_string(),
    }
}

/// The first `limit` characters, never cutting one.
pub fn truncate_chars(text: &str, limit: usize) -> &str {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

#[cfg(test)]
mod tests;
