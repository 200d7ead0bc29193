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
/// Characters of text kept per page for result snippets: enough for the summary and hits near
/// the start; more would triple what a reader downloads per result list.
pub const TEXT_LIMIT: usize = 600;
/// Aimed-for size of one shard, in bytes.
const SHARD_TARGET_BYTES: usize = 48 * 1024;

/// What the index knows of one page.
pub struct Document {
    pub title: String,
    /// `href`-ready URL.
    pub url: String,
    /// `2024-03-01`, or empty.
    pub date: String,
    pub section: String,
    /// Description and body text, whole: all of it is indexed, the first [`TEXT_LIMIT`]
    /// characters are kept for snippets.
    pub text: String,
}

/// The pages a term occurs in: in the title, and only elsewhere. Ids ascend.
#[derive(Default)]
struct Postings {
    title: Vec<u32>,
    other: Vec<u32>,
}

/// Terms as integers while indexing: a tag in the top two bits, then one or two characters
/// (21 bits each) or a word's number.
const TAG_CHAR: u64 = 1 << 62;
const TAG_PAIR: u64 = 2 << 62;
const TAG_WORD: u64 = 3 << 62;

/// A document's distinct term keys; words are numbered within the document for now.
struct DocTerms {
    title: Vec<u64>,
    body: Vec<u64>,
    words: Vec<String>,
}

fn doc_terms(doc: &Document) -> DocTerms {
    let mut words: Vec<String> = Vec::new();
    let mut keys = |text: &str| {
        let mut out = Vec::with_capacity(text.len() / 2);
        for_each_index_term(text, |t| {
            out.push(match t {
                tokenize::Term::Char(c) => TAG_CHAR | u64::from(c),
                tokenize::Term::Pair(a, b) => TAG_PAIR | (u64::from(a) << 21) | u64::from(b),
                tokenize::Term::Word(w) => {
                    let i = words.iter().position(|x| x == w).unwrap_or_else(|| {
                        words.push(w.to_string());
                        words.len() - 1
                    });
                    TAG_WORD | i as u64
                }
            })
        });
        out.sort_unstable();
        out.dedup();
        out
    };
    let title = keys(&doc.title);
    let body = keys(&doc.text);
    DocTerms { title, body, words }
}

fn key_text(key: u64, words: &[String]) -> String {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    match key & (3 << 62) {
        TAG_CHAR => ch(key).to_string(),
        TAG_PAIR => [ch(key >> 21), ch(key)].iter().collect(),
        _ => words[(key & 0xFFFF_FFFF) as usize].clone(),
    }
}

/// The index files, by path under the output (`search/index/meta.json` …).
pub fn build(docs: &[Document]) -> Vec<(String, Vec<u8>)> {
    // Terms per document on all cores, as integer keys.
    let mut per_doc: Vec<DocTerms> = docs.par_iter().map(doc_terms).collect();
    // Number words site-wide (few per document).
    let mut word_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut words: Vec<String> = Vec::new();
    for d in &mut per_doc {
        let local: Vec<u64> = d
            .words
            .drain(..)
            .map(|w| {
                let next = words.len() as u32;
                let id = *word_ids.entry(w.clone()).or_insert_with(|| {
                    words.push(w);
                    next
                });
                TAG_WORD | u64::from(id)
            })
            .collect();
        for list in [&mut d.title, &mut d.body] {
            for k in list.iter_mut() {
                if *k & (3 << 62) == TAG_WORD {
                    *k = local[(*k & 0xFFFF_FFFF) as usize];
                }
            }
            list.sort_unstable();
        }
    }
    // Invert, split by key over the cores; each part sees every document in id order.
    let parts = rayon::current_num_threads().max(1) as u64;
    let maps: Vec<FxHashMap<u64, Postings>> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut map: FxHashMap<u64, Postings> = FxHashMap::default();
            for (id, d) in per_doc.iter().enumerate() {
                let id = id as u32;
                for &k in d.title.iter().filter(|k| *k % parts == part) {
                    map.entry(k).or_default().title.push(id);
                }
                for &k in d.body.iter().filter(|k| *k % parts == part) {
                    if d.title.binary_search(&k).is_err() {
                        map.entry(k).or_default().other.push(id);
                    }
                }
            }
            map
        })
        .collect();
    drop(per_doc);
    let mut terms: Vec<(String, Postings)> = maps
        .into_iter()
        .flatten()
        .map(|(k, p)| (key_text(k, &words), p))
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let approx: usize = terms
        .iter()
        .map(|(t, p)| t.len() + 8 + (p.title.len() + p.other.len()) * 3)
        .sum();
    let shards = approx.div_ceil(SHARD_TARGET_BYTES).max(1);
    let mut by_shard: Vec<Vec<&(String, Postings)>> = vec![Vec::new(); shards];
    for t in &terms {
        by_shard[shard_of(&t.0, shards)].push(t);
    }
    let mut files = Vec::with_capacity(shards + docs.len() / CHUNK + 2);
    files.push((
        "search/index/meta.json".to_string(),
        format!(
            "{{\"version\":1,\"shards\":{shards},\"pages\":{},\"chunk\":{CHUNK}}}",
            docs.len()
        )
        .into_bytes(),
    ));
    let shard_files: Vec<(String, Vec<u8>)> = by_shard
        .par_iter()
        .enumerate()
        .map(|(i, list)| {
            let mut s = String::from("{");
            for (k, (term, p)) in list.iter().map(|t| (&t.0, &t.1)).enumerate() {
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
            (format!("search/index/s/{i}.json"), s.into_bytes())
        })
        .collect();
    files.extend(shard_files);
    let chunk_files: Vec<(String, Vec<u8>)> = docs
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(j, chunk)| {
            #[derive(Serialize)]
            struct Row<'a>(&'a str, &'a str, &'a str, &'a str, &'a str);
            let rows: Vec<Row> = chunk
                .iter()
                .map(|d| {
                    Row(
                        &d.title,
                        &d.url,
                        &d.date,
                        &d.section,
                        truncate_chars(&d.text, TEXT_LIMIT),
                    )
                })
                .collect();
            (
                format!("search/index/p/{j}.json"),
                serde_json::to_vec(&rows).unwrap_or_default(),
            )
        })
        .collect();
    files.extend(chunk_files);
    files
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
