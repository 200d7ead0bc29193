//! Full-text search that works for Chinese: an index built at build time, split into shards so a
//! query downloads only the shards of its terms, read by the theme's plain `search.js`.
//!
//! Terms: text is read as units — a Han (or kana, hangul) character, a run of letters or
//! digits (`cppcc`, `2024`) — and each unit is a term, and so are each two and three adjacent
//! units (`政协`, `政协委`, `2024年`). A query is cut into phrases where anything but a unit
//! stands; a page matches only if it holds every phrase **as written**: a phrase of up to three
//! units by its one term, a longer one by triples standing at the right distances (triples'
//! positions are in the index). Pairs rather than a dictionary segmenter: any substring is
//! found, where a segmenter misses words it cut differently at build time (see
//! `scripts/search_segmentation.md`). Text of two blocks never joins (see `tokenize`).
//!
//! Files, under `/search/index/`:
//! - `meta.json`: `{"version":3,"shards":S,"pages":N,"chunk":K}`
//! - `s/I.json`: the terms of shard I (see [`shard_of`]): `{"term":[[title ids],[other ids]]}`,
//!   page ids delta-encoded; ids count from the newest page, so a lower id is more recent. A
//!   triple whose positions have a file of their own has a third element, `1`.
//! - `q/I.json`: the positions of the triples of shard I (see [`positions`]): `{"triple":"…"}`
//! - `q/t/H.json`: one triple's positions as a JSON string, H its FNV-1a hash in hex, for
//!   triples whose positions exceed [`OWN_FILE_BYTES`]
//! - `p/J.json`: pages J*K … J*K+K-1: `[[title, url, date, section, text], …]`, text cut to
//!   [`TEXT_LIMIT`] characters

mod invert;
mod keys;
pub mod positions;
pub mod reader;
mod runs;
pub mod tokenize;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

pub use tokenize::{for_each_index_term, index_terms, query_terms};

use keys::{DocKeys, TAG_MASK, TAG_PAIR, doc_keys, key_text};

/// Pages per metadata chunk: a result list of 10 fetches at most 10 small chunks.
pub const CHUNK: usize = 4;

/// The folder of the index's files in the output. It is reserved: nothing else may write there.
pub const INDEX_DIR: &str = "search/index/";
/// Characters of text kept per page for result snippets: enough for the summary and hits near
/// the start; more would triple what a reader downloads per result list.
pub const TEXT_LIMIT: usize = 600;
/// Aimed-for size of one shard, in bytes.
const SHARD_TARGET_BYTES: usize = 48 * 1024;
/// A pair whose positions take more than this many bytes gets a file of its own, so that a
/// query for a rare pair does not download a frequent one's positions beside it.
pub const OWN_FILE_BYTES: usize = 8 * 1024;

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
    /// The fields the page shows beside its text (来源, 作者, 界别, 届次, 提案人 …), one per
    /// line: indexed after the body, so a reader finds a member by 届次 or a 提案 by its
    /// 提案人, but not kept for snippets. Empty for most tests and for plain pages.
    pub fields: std::borrow::Cow<'a, str>,
}

impl Document<'_> {
    /// What the index reads after the title, in order, its positions running on: the
    /// description, the body, the fields.
    pub fn texts_after_title(&self) -> impl Iterator<Item = &str> {
        self.description
            .into_iter()
            .chain([self.body, self.fields.as_ref()])
    }

    /// The first [`TEXT_LIMIT`] characters of [`document_text`], without copying the rest.
    fn snippet(&self) -> String {
        let body = truncate_chars(self.body.trim(), TEXT_LIMIT);
        match self.description {
            Some(d) => truncate_chars(&format!("{d}\n{body}"), TEXT_LIMIT).to_string(),
            None => body.to_string(),
        }
    }
}

/// The pages a term occurs in, as an index update reads them back: in the title, and only
/// elsewhere (ids ascend); for a triple, its encoded positions.
#[derive(Default, Clone)]
struct Postings {
    title: Vec<u32>,
    other: Vec<u32>,
    positions: String,
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
    let texts: Vec<String> = chunk.iter().map(Document::snippet).collect();
    let rows: Vec<Row> = chunk
        .iter()
        .zip(&texts)
        .map(|(d, t)| Row(d.title, &d.url, &d.date, d.section, t))
        .collect();
    (
        format!("search/index/p/{j}.json"),
        serde_json::to_vec(&rows).unwrap_or_default(),
    )
}

/// Builds the index and hands each file (path under the output, bytes) to `write` as soon as
/// it is ready, so the whole index never sits in memory.
pub fn build<E: Send>(docs: &[Document], write: &WriteFile<'_, E>) -> Result<IndexStats, E> {
    let threads = rayon::current_num_threads().max(1);
    build_with(docs, write, invert::TERMS_BEFORE_FLUSH, threads, None)
}

/// A file the index may keep its runs of terms in while it is built (see `runs`), so that a
/// site with millions of distinct terms keeps them in the page cache rather than in the
/// process; and what a failure to read it back becomes.
pub struct Scratch<'a, E> {
    /// Read and written at offsets from 0; nothing else may use it.
    pub file: std::fs::File,
    pub error: &'a (dyn Fn(std::io::Error) -> E + Sync),
}

/// [`build`], the runs kept in `scratch`. The files are the same as [`build`]'s.
pub fn build_spilling<E: Send>(
    docs: &[Document],
    write: &WriteFile<'_, E>,
    scratch: Scratch<'_, E>,
) -> Result<IndexStats, E> {
    let threads = rayon::current_num_threads().max(1);
    let spill = runs::Spill::new(scratch.file);
    let spill = Some((&spill, scratch.error));
    build_with(docs, write, invert::TERMS_BEFORE_FLUSH, threads, spill)
}

/// [`build`] with the key space in `parts` parts, flushed into runs whenever they hold more than
/// `budget` terms, the runs written to `spill` if given (with what its read errors become). The
/// files do not depend on `parts` or `spill`; on `budget`, only how many shards there are (a
/// term held by several runs counts once in each).
fn build_with<E: Send>(
    docs: &[Document],
    write: &WriteFile<'_, E>,
    budget: usize,
    parts: usize,
    spill: Option<SpillWith<'_, E>>,
) -> Result<IndexStats, E> {
    // Page chunks first: they need only the documents.
    (0..docs.len().div_ceil(CHUNK))
        .into_par_iter()
        .try_for_each(|j| {
            let (path, bytes) = chunk_file(docs, j);
            write(&path, &bytes)
        })?;
    crate::console::trace("  index: page texts written");
    let (parts, title_ends) = invert::invert(docs, parts, budget, spill.map(|s| s.0));
    crate::console::trace("  index: terms gathered");
    // A term held by several runs counts once in each: runs end at the same pages on any
    // machine, so the estimate does not depend on the core count either.
    let approx: usize = parts
        .iter()
        .flat_map(|p| p.runs.iter().map(|r| r.approx).chain([p.held.approx]))
        .sum();
    let shards = shard_count(approx);
    let meta = format!(
        "{{\"version\":3,\"shards\":{shards},\"pages\":{},\"chunk\":{CHUNK}}}",
        docs.len()
    );
    write("search/index/meta.json", meta.as_bytes())?;
    // A shard is a range of hashes, so a task's shards are one stretch of every run. A core
    // holds one task's stretches at a time: 16 tasks a core rather than 8 took the worst-case
    // corpus's peak from 201 to 180 MiB (paired medians) at the same wall time.
    let tasks = (rayon::current_num_threads().max(1) * 16).min(shards);
    let own_files = (0..tasks)
        .into_par_iter()
        .map(|task| {
            let range = task * shards / tasks..(task + 1) * shards / tasks;
            let shards = Shards {
                parts: &parts,
                title_ends: &title_ends,
                count: shards,
            };
            shards.write_range(range, spill, write)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(IndexStats {
        files: 1 + 2 * shards + own_files + docs.len().div_ceil(CHUNK),
        shards,
        approx_bytes: approx,
    })
}

/// The bytes of `run` holding its terms whose hash is in `from..to`, read from `spill` if it
/// was written there.
fn stretch<'r, E>(
    run: &'r runs::Run,
    from: u32,
    to: Option<u32>,
    spill: Option<SpillWith<'_, E>>,
) -> Result<Cow<'r, [u8]>, E> {
    match spill {
        Some((spill, error)) => run.stretch(from, to, spill).map_err(error),
        None => Ok(Cow::Borrowed(run.stretch_in_memory(from, to))),
    }
}

/// A spill file and what its read errors become.
type SpillWith<'a, E> = (&'a runs::Spill, &'a (dyn Fn(std::io::Error) -> E + Sync));

/// What every shard is written from: the parts' runs and held terms, where each page's title
/// ends, and how many shards there are.
struct Shards<'a> {
    parts: &'a [invert::Part],
    title_ends: &'a [u32],
    count: usize,
}

impl Shards<'_> {
    /// Writes the shards of `range` (and their positions and own files) through `write`;
    /// returns how many own files it wrote.
    fn write_range<E>(
        &self,
        range: std::ops::Range<usize>,
        spill: Option<SpillWith<'_, E>>,
        write: &WriteFile<'_, E>,
    ) -> Result<usize, E> {
        let from = first_hash(range.start, self.count);
        let to = (range.end < self.count).then(|| first_hash(range.end, self.count));
        // Every run of every part, oldest first, then each part's held terms.
        let stretches: Vec<Vec<Cow<[u8]>>> = (self.parts.iter())
            .map(|p| p.runs.iter().map(|r| stretch(r, from, to, spill)).collect())
            .collect::<Result<_, E>>()?;
        let mut sources: Vec<_> = (self.parts.iter().zip(&stretches))
            .flat_map(|(p, stretches)| runs::sources(stretches, &p.held, from))
            .map(Iterator::peekable)
            .collect();
        let (mut found, mut terms, mut pieces, mut own) = (Vec::new(), Vec::new(), Vec::new(), 0);
        for i in range {
            found.clear();
            for source in &mut sources {
                while let Some(e) = source.next_if(|e| shard_of_hash(e.hash, self.count) == i) {
                    found.push((e.hash, e.text, e.piece));
                }
            }
            // In (hash, text) order, as every shard is written (see `in_shard_order`): texts
            // are compared only where hashes are equal. Each source's terms are in that order
            // already, and a stable sort merges such runs; a term held by several runs (all of
            // one part) keeps its pieces in source order, which is page order.
            found.sort_by(|a, b| in_shard_order((a.0, a.1), (b.0, b.1)));
            terms.clear();
            for same in found.chunk_by(|a, b| a.1 == b.1) {
                pieces.clear();
                pieces.extend(same.iter().map(|f| f.2));
                terms.push((same[0].1, invert::Term::join(&pieces)));
            }
            let listed = terms.iter().map(|(term, t)| {
                let p = invert::Listed {
                    term: t,
                    title_ends: self.title_ends,
                };
                (*term, p, p.own_file())
            });
            let (shard, at) = shard_files(listed, |term, p| {
                own += 1;
                write(&own_file_path(term), own_file_json(p).as_bytes())
            })?;
            write(&shard_path(i), shard.as_bytes())?;
            write(&positions_path(i), at.as_bytes())?;
        }
        Ok(own)
    }
}

/// A term's pages as a shard file writes them.
trait Listing {
    /// `[title ids],[other ids]`, each list delta-encoded.
    fn push_ids(&self, out: &mut String);
    /// A triple's encoded positions, or empty.
    fn positions(&self) -> &str;

    /// Whether the positions are long enough for a file of their own.
    fn own_file(&self) -> bool {
        self.positions().len() > OWN_FILE_BYTES
    }
}

impl<T: Listing> Listing for &T {
    fn push_ids(&self, out: &mut String) {
        (*self).push_ids(out);
    }

    fn positions(&self) -> &str {
        (*self).positions()
    }
}

impl Listing for Postings {
    fn push_ids(&self, out: &mut String) {
        push_deltas(out, self.title.iter().copied());
        out.push(',');
        push_deltas(out, self.other.iter().copied());
    }

    fn positions(&self) -> &str {
        &self.positions
    }
}

fn shard_path(i: usize) -> String {
    format!("search/index/s/{i}.json")
}

fn positions_path(i: usize) -> String {
    format!("search/index/q/{i}.json")
}

/// `search/index/q/t/H.json`, H the term's FNV-1a hash in lowercase hex.
pub fn own_file_path(term: &str) -> String {
    format!("search/index/q/t/{:x}.json", fnv1a(term))
}

fn own_file_json(p: &impl Listing) -> String {
    let mut out = String::with_capacity(p.positions().len() + 2);
    push_json_digits(&mut out, p.positions());
    out
}

/// A shard file and its positions file from the shard's terms, in shard order, each with
/// whether its positions have a file of their own: the shard lists every term's pages (with a
/// `1` after them when its positions have a file of their own); the positions file holds the
/// triples' positions that have none. `own` receives each term whose positions have a file of
/// their own. One pass, so that each term's memory is read once.
fn shard_files<'t, P: Listing, E>(
    terms: impl Iterator<Item = (&'t str, P, bool)>,
    mut own: impl FnMut(&str, &P) -> Result<(), E>,
) -> Result<(String, String), E> {
    let (mut shard, mut at) = (String::from("{"), String::from("{"));
    for (term, p, own_file) in terms {
        if shard.len() > 1 {
            shard.push(',');
        }
        push_json_string(&mut shard, term);
        shard.push_str(":[");
        p.push_ids(&mut shard);
        if own_file {
            shard.push_str(",1");
            own(term, &p)?;
        } else if !p.positions().is_empty() {
            if at.len() > 1 {
                at.push(',');
            }
            push_json_string(&mut at, term);
            at.push(':');
            push_json_digits(&mut at, p.positions());
        }
        shard.push(']');
    }
    shard.push('}');
    at.push('}');
    Ok((shard, at))
}

/// A shard file read back: term → (postings without positions, whether its positions have a
/// file of their own), ids absolute.
fn parse_shard(bytes: &[u8]) -> Option<BTreeMap<String, (Postings, bool)>> {
    let raw: BTreeMap<String, Vec<serde_json::Value>> = serde_json::from_slice(bytes).ok()?;
    let ids = |v: &serde_json::Value| -> Option<Vec<u32>> {
        let mut prev = 0u32;
        v.as_array()?
            .iter()
            .map(|d| {
                prev = prev.checked_add(u32::try_from(d.as_u64()?).ok()?)?;
                Some(prev)
            })
            .collect()
    };
    raw.into_iter()
        .map(|(t, v)| {
            let p = Postings {
                title: ids(v.first()?)?,
                other: ids(v.get(1)?)?,
                ..Postings::default()
            };
            Some((t, (p, v.len() > 2)))
        })
        .collect()
}

/// One term's change in one edited page: where it now stands in the page's title and
/// elsewhere, and, for a pair, its positions now (empty when gone).
struct Change {
    term: String,
    id: u32,
    in_title: bool,
    elsewhere: bool,
    positions: Option<Vec<u32>>,
}

/// What changes in the index when `old` becomes `new` (page `id`).
fn changes(id: u32, old: &Document, new: &Document, shards: usize) -> Vec<(usize, Change)> {
    let (mut old, mut old_words) = doc_keys(old, 1);
    let (mut new, new_words) = doc_keys(new, 1);
    let (old, new) = (old.swap_remove(0), new.swap_remove(0));
    let mut words = new_words;
    for (k, w) in old_words.drain() {
        words.entry(k).or_insert(w);
    }
    let positions_of = |keys: &DocKeys| -> BTreeMap<u64, Vec<u32>> {
        keys.triple_groups()
            .map(|(key, at)| (key, at.to_vec()))
            .collect()
    };
    let (old_pairs, new_pairs) = (positions_of(&old), positions_of(&new));
    let (old, new) = (old.sorted(), new.sorted());
    let mut keys: Vec<u64> = [&old.0, &old.1, &new.0, &new.1]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let has = |list: &[u64], k: u64| list.binary_search(&k).is_ok();
    let mut out = Vec::new();
    for k in keys {
        let now = (has(&new.0, k), has(&new.1, k));
        let before = (has(&old.0, k), has(&old.1, k));
        let pair =
            k & TAG_MASK == TAG_PAIR || old_pairs.contains_key(&k) || new_pairs.contains_key(&k);
        let moved = old_pairs.get(&k) != new_pairs.get(&k);
        if now == before && !moved {
            continue;
        }
        let term = key_text(k, &words);
        let change = Change {
            id,
            in_title: now.0,
            elsewhere: now.1,
            positions: pair.then(|| new_pairs.get(&k).cloned().unwrap_or_default()),
            term,
        };
        out.push((shard_of(&change.term, shards), change));
    }
    out
}

/// Applies one change to a term's postings; the positions string is decoded and encoded again.
fn apply(p: &mut Postings, c: &Change) -> Option<()> {
    for (list, wanted) in [(&mut p.title, c.in_title), (&mut p.other, c.elsewhere)] {
        match (list.binary_search(&c.id), wanted) {
            (Err(at), true) => list.insert(at, c.id),
            (Ok(at), false) => {
                list.remove(at);
            }
            _ => {}
        }
    }
    if let Some(now) = &c.positions {
        let mut pages = positions::decode(&p.positions)?;
        match (pages.binary_search_by_key(&c.id, |e| e.0), now.is_empty()) {
            (Ok(at), true) => {
                pages.remove(at);
            }
            (Ok(at), false) => pages[at].1 = now.clone(),
            (Err(at), false) => pages.insert(at, (c.id, now.clone())),
            (Err(_), true) => {}
        }
        p.positions = positions::encode(&pages);
    }
    Some(())
}

/// A shard patched in memory: its terms with their own-file flags as they were, and how much
/// its size estimate moved.
struct PatchedShard {
    shard: usize,
    terms: BTreeMap<String, (Postings, bool)>,
    /// Terms whose positions changed.
    moved: Vec<String>,
    delta: isize,
}

/// Reads shard `shard` and its positions back and applies `changes`. `None` when a file cannot
/// be read, or a pair's positions would move into or out of a file of their own (then the
/// index is built anew).
fn patch_shard(shard: usize, changes: Vec<Change>, read: &ReadFile) -> Option<PatchedShard> {
    let mut terms = read(&shard_path(shard)).as_deref().and_then(parse_shard)?;
    let mut in_shard: BTreeMap<String, String> = if changes.iter().any(|c| c.positions.is_some()) {
        serde_json::from_slice(read(&positions_path(shard)).as_deref()?).ok()?
    } else {
        BTreeMap::new()
    };
    let mut delta = 0isize;
    let mut moved = Vec::new();
    for c in changes {
        let (p, own) = terms.entry(c.term.clone()).or_default();
        if c.positions.is_some() && p.positions.is_empty() {
            p.positions = if *own {
                serde_json::from_slice(read(&own_file_path(&c.term)).as_deref()?).ok()?
            } else {
                in_shard.remove(&c.term).unwrap_or_default()
            };
        }
        let before = p.title.len() + p.other.len();
        apply(p, &c)?;
        let after = p.title.len() + p.other.len();
        if c.positions.is_some() {
            if p.own_file() != *own || (*own && after == 0) {
                return None;
            }
            moved.push(c.term.clone());
        }
        let size = |n: usize| {
            if n == 0 {
                0
            } else {
                term_bytes(&c.term, n) as isize
            }
        };
        delta += size(after) - size(before);
        if after == 0 {
            terms.remove(&c.term);
        }
    }
    // Positions of unchanged pairs are written back as they were read.
    for (term, positions) in in_shard {
        if let Some((p, _)) = terms.get_mut(&term) {
            p.positions = positions;
        }
    }
    moved.sort_unstable();
    moved.dedup();
    Some(PatchedShard {
        shard,
        terms,
        moved,
        delta,
    })
}

/// Reads an index file as last written.
pub type ReadFile<'r> = dyn Fn(&str) -> Option<std::sync::Arc<[u8]>> + Sync + 'r;

/// Updates a written index for documents edited in place: `docs` is every document as it is
/// now, `edited` the ids whose text changed with each one's document before. Only the page
/// chunks of those ids, the shards of the terms whose pages or positions changed and their
/// positions are rewritten; `read` gives an index file as last written. `None` (and nothing
/// written) when the shard count would change, a pair's positions would move into or out of a
/// file of their own, or a file cannot be read back: then build the index anew.
pub fn update<E: Send>(
    stats: IndexStats,
    docs: &[Document],
    edited: &[(u32, Document)],
    read: &ReadFile,
    write: &WriteFile<'_, E>,
) -> Result<Option<IndexStats>, E> {
    let mut by_shard: BTreeMap<usize, Vec<Change>> = BTreeMap::new();
    for (id, old) in edited {
        let Some(new) = docs.get(*id as usize) else {
            return Ok(None);
        };
        for (shard, change) in changes(*id, old, new, stats.shards) {
            by_shard.entry(shard).or_default().push(change);
        }
    }
    let patched: Option<Vec<PatchedShard>> = by_shard
        .into_par_iter()
        .map(|(shard, changes)| patch_shard(shard, changes, read))
        .collect();
    let Some(shards) = patched else {
        return Ok(None);
    };
    let approx = stats.approx_bytes as isize + shards.iter().map(|s| s.delta).sum::<isize>();
    let approx = approx.max(0) as usize;
    if shard_count(approx) != stats.shards {
        return Ok(None);
    }
    shards.par_iter().try_for_each(|patched| {
        let mut terms: Vec<(u32, &str, &(Postings, bool))> = patched
            .terms
            .iter()
            .map(|(t, p)| (fnv1a(t), t.as_str(), p))
            .collect();
        terms.sort_unstable_by(|a, b| in_shard_order((a.0, a.1), (b.0, b.1)));
        let terms = terms.into_iter().map(|(_, t, (p, own))| (t, p, *own));
        // Own files are written below, only for the terms that moved.
        let (shard, at) = shard_files(terms, |_, _| Ok(()))?;
        write(&shard_path(patched.shard), shard.as_bytes())?;
        if patched.moved.is_empty() {
            return Ok(());
        }
        write(&positions_path(patched.shard), at.as_bytes())?;
        for term in &patched.moved {
            if let Some((p, true)) = patched.terms.get(term) {
                write(&own_file_path(term), own_file_json(p).as_bytes())?;
            }
        }
        Ok(())
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

/// `[a,b-a,c-b,…]`, from ids in ascending order.
fn push_deltas(out: &mut String, ids: impl IntoIterator<Item = u32>) {
    out.push('[');
    let mut prev = 0;
    for (k, id) in ids.into_iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_number(out, id - prev);
        prev = id;
    }
    out.push(']');
}

/// Appends `text` as a JSON string. Terms (letters, digits, Han characters) and positions
/// (the varint alphabet) never need escaping: they are copied as they are.
fn push_json_string(out: &mut String, text: &str) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&serde_json::to_string(text).unwrap_or_default());
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

/// Appends encoded positions as a JSON string. Their digits (see [`positions`]) need no
/// escaping, so the text is not scanned for characters that would.
fn push_json_digits(out: &mut String, digits: &str) {
    debug_assert!(
        digits
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    out.push('"');
    out.push_str(digits);
    out.push('"');
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: u32) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// The shard of a term: its FNV-1a hash (32-bit, of its UTF-8 bytes) scaled to the shard
/// count, `⌊hash × shards / 2³²⌋`, so that each shard is a range of hashes. `search.js` does
/// the same.
pub fn shard_of(term: &str, shards: usize) -> usize {
    shard_of_hash(fnv1a(term), shards)
}

/// The shard of a term whose FNV-1a hash is `hash`.
fn shard_of_hash(hash: u32, shards: usize) -> usize {
    ((u64::from(hash) * shards as u64) >> 32) as usize
}

/// The least hash of shard `shard`: `⌈shard × 2³² / shards⌉`.
fn first_hash(shard: usize, shards: usize) -> u32 {
    ((shard as u64) << 32).div_ceil(shards as u64) as u32
}

/// The order of terms in a shard file and its positions file: by (FNV-1a hash, text), given
/// as (hash, text). A reader looks terms up by name; the order only makes the files the same
/// from build to build, and costs no text comparison where hashes differ.
fn in_shard_order(a: (u32, &str), b: (u32, &str)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1))
}

/// FNV-1a (32-bit) of the term's UTF-8 bytes.
fn fnv1a(term: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in term.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x01000193);
    }
    h
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
    // A character takes at least one byte: a text no longer in bytes is kept whole.
    if text.len() <= limit {
        return text;
    }
    match text.char_indices().nth(limit) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

#[cfg(test)]
mod tests;
