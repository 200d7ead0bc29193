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
//! - `p/J.json`: pages J*K … J*K+K-1: `[[title, url, date, section, text], …]`

pub mod tokenize;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

pub use tokenize::{index_terms, query_terms};

/// Pages per metadata chunk: a result list of 10 fetches at most 10 small chunks.
pub const CHUNK: usize = 4;
/// Characters of body text kept per page for snippets.
pub const TEXT_LIMIT: usize = 2000;
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

/// The index files, by path under the output (`search/index/meta.json` …).
pub fn build(docs: &[Document]) -> Vec<(String, Vec<u8>)> {
    // Terms per page, in parallel; then one pass to invert them.
    let per_doc: Vec<(Vec<String>, Vec<String>)> = docs
        .par_iter()
        .map(|d| {
            let title = index_terms(&d.title);
            let body = index_terms(&d.text);
            (title, body)
        })
        .collect();
    let mut postings: HashMap<String, Postings> = HashMap::new();
    for (id, (title, body)) in per_doc.into_iter().enumerate() {
        let id = id as u32;
        for t in &title {
            postings.entry(t.clone()).or_default().title.push(id);
        }
        for t in body {
            if title.binary_search(&t).is_err() {
                postings.entry(t).or_default().other.push(id);
            }
        }
    }
    let mut terms: Vec<(String, Postings)> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let approx: usize = terms
        .iter()
        .map(|(t, p)| t.len() + 8 + (p.title.len() + p.other.len()) * 3)
        .sum();
    let shards = approx.div_ceil(SHARD_TARGET_BYTES).max(1);
    let mut shard_json: Vec<String> = vec![String::from("{"); shards];
    for (term, Postings { title, other }) in &terms {
        let s = &mut shard_json[shard_of(term, shards)];
        if s.len() > 1 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(term).unwrap_or_default());
        s.push_str(":[");
        push_deltas(s, title);
        s.push(',');
        push_deltas(s, other);
        s.push(']');
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
    for (i, mut s) in shard_json.into_iter().enumerate() {
        s.push('}');
        files.push((format!("search/index/s/{i}.json"), s.into_bytes()));
    }
    for (j, chunk) in docs.chunks(CHUNK).enumerate() {
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
        files.push((
            format!("search/index/p/{j}.json"),
            serde_json::to_vec(&rows).unwrap_or_default(),
        ));
    }
    files
}

/// `[a,b-a,c-b,…]`
fn push_deltas(out: &mut String, ids: &[u32]) {
    out.push('[');
    let mut prev = 0;
    for (k, &id) in ids.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&(id - prev).to_string());
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
