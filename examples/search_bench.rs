//! Search precision, recall and bytes per query on a built site, against a plain scan.
//!
//! ```sh
//! cargo run --release --example search_bench -- SITE_DIR [QUERIES] [SEED] [QUERY...]
//! ```
//!
//! Builds SITE_DIR in memory (as `tongxin build` would, `--today 2026-11-20`), then draws
//! QUERIES (default 300) random substrings of 2–6 units from the indexed text of random pages
//! (SEED, default 1), adds the queries given on the command line, and runs each through
//! `tongxin::search::reader` (what `search.js` does, file for file). The oracle scans every
//! page's units for each phrase. Prints per-query lines for the named queries, then totals:
//! queries whose hits differ from the scan (precision and recall over all hits), and bytes
//! fetched per query — the index files and the page chunks of the first ten results, as
//! `search.js` fetches them — raw, and gzip -6 as a compressing server sends them (`gzip` on
//! PATH); then the index's size.

use std::path::PathBuf;

use tongxin::search::tokenize::Term;
use tongxin::search::{self, reader};

#[path = "common/search_site.rs"]
mod search_site;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(args.first().expect("SITE_DIR"));
    let count: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let named: Vec<String> = args.iter().skip(3).cloned().collect();
    let opts = tongxin::BuildOptions::new(&root, "2026-11-20".parse().expect("date"));
    let (files, _) = tongxin::build_in_memory(&opts).expect("build");
    let docs = indexed_units(&root);
    let read = |p: &str| files.get(p).cloned();
    let mut rng = seed.max(1);
    let mut queries: Vec<String> = (0..count).map(|_| random_query(&docs, &mut rng)).collect();
    queries.extend(named.iter().cloned());
    let mut totals = Totals::default();
    let mut bigram_totals = Totals::default();
    for q in &queries {
        // What the bigram index before 2026-11-30 answered: pages holding each bigram anywhere.
        let mut old = bigram_hits(&read, q);
        old.sort_unstable();
        bigram_totals.add(&old, &scan(&docs, q), 0, 0);
        let mut found = reader::search(&read, q);
        // search.js then fetches the page chunks of the first ten results.
        for id in found.hits.iter().take(10) {
            let chunk = format!("search/index/p/{}.json", *id as usize / search::CHUNK);
            if !found.fetched.contains(&chunk) {
                found.fetched.push(chunk);
            }
        }
        let mut hits = found.hits.clone();
        hits.sort_unstable();
        let truth = scan(&docs, q);
        let bytes: usize = found.fetched.iter().map(|p| files[p].len()).sum();
        let gz: usize = found.fetched.iter().map(|p| gzip_len(&files[p])).sum();
        totals.add(&hits, &truth, bytes, gz);
        if named.contains(q) {
            println!(
                "{q}\thits {}\tscan {}\tfiles {}\tbytes {bytes}\tgzip {gz}",
                hits.len(),
                truth.len(),
                found.fetched.len()
            );
        }
    }
    totals.print(queries.len());
    println!("the bigram index's way (each bigram anywhere in the page), same queries:");
    bigram_totals.print(queries.len());
    let index: Vec<(&String, &Vec<u8>)> = files
        .iter()
        .filter(|(p, _)| p.starts_with(search::INDEX_DIR))
        .collect();
    let kind = |dir: &str| {
        let of: Vec<_> = index.iter().filter(|(p, _)| p.starts_with(dir)).collect();
        (of.len(), of.iter().map(|(_, b)| b.len()).sum::<usize>())
    };
    println!(
        "index\tfiles {}\tbytes {}",
        index.len(),
        index.iter().map(|(_, b)| b.len()).sum::<usize>()
    );
    for dir in ["s/", "q/", "q/t/", "p/"] {
        let (n, bytes) = kind(&format!("{}{dir}", search::INDEX_DIR));
        println!("  {dir}\tfiles {n}\tbytes {bytes}");
    }
}

/// One page as the oracle reads it: its text (title, description and body, one per line) and
/// its units with positions.
struct Page {
    text: String,
    units: Vec<(u32, String)>,
}

/// Each page in search id order, from the same text the index is built from.
fn indexed_units(root: &std::path::Path) -> Vec<Page> {
    let site = search_site::SearchSite::load(root);
    let docs = site.documents();
    docs.iter()
        .map(|d| {
            let mut units = Vec::new();
            let mut push = |t: Term, at: u32| {
                if let Term::Char(_) | Term::Word(_) = t {
                    units.push((at, t.to_text()));
                }
            };
            let mut at = search::for_each_index_term(d.title, 0, &mut push);
            if let Some(desc) = d.description {
                at = search::for_each_index_term(desc, at, &mut push);
            }
            search::for_each_index_term(d.body, at, &mut push);
            let text = format!("{}\n{}\n{}", d.title, d.description.unwrap_or(""), d.body);
            Page { text, units }
        })
        .collect()
}

/// Pages holding every term the bigram index looked up — each word, each single character
/// standing alone, each bigram of a Chinese run — anywhere, read from this index's ids.
fn bigram_hits(read: &dyn Fn(&str) -> Option<Vec<u8>>, query: &str) -> Vec<u32> {
    let json = |p: &str| -> Option<serde_json::Value> { serde_json::from_slice(&read(p)?).ok() };
    let Some(meta) = json("search/index/meta.json") else {
        return Vec::new();
    };
    let shards = meta["shards"].as_u64().unwrap_or(1) as usize;
    let mut terms = Vec::new();
    for phrase in search::tokenize::query_phrases(query) {
        let mut han = Vec::new();
        for unit in phrase.iter().chain([&String::new()]) {
            if unit.chars().count() == 1 && !unit.chars().all(|c| c.is_ascii_alphanumeric()) {
                han.push(unit.clone());
                continue;
            }
            match han.len() {
                0 => {}
                1 => terms.push(han[0].clone()),
                _ => terms.extend(han.windows(2).map(|w| w.concat())),
            }
            han.clear();
            if !unit.is_empty() {
                terms.push(unit.clone());
            }
        }
    }
    let mut hits: Option<Vec<u32>> = None;
    for t in terms {
        let shard = json(&format!(
            "search/index/s/{}.json",
            search::shard_of(&t, shards)
        ));
        let Some(lists) = shard.as_ref().and_then(|s| s.get(&t)) else {
            return Vec::new();
        };
        let mut ids = Vec::new();
        for list in lists.as_array().into_iter().flatten().take(2) {
            let mut acc = 0u32;
            for d in list.as_array().into_iter().flatten() {
                acc += d.as_u64().unwrap_or(0) as u32;
                ids.push(acc);
            }
        }
        hits = Some(match hits {
            Some(h) => h.into_iter().filter(|id| ids.contains(id)).collect(),
            None => ids,
        });
    }
    hits.unwrap_or_default()
}

/// xorshift64*: deterministic for a seed.
fn next(rng: &mut u64) -> u64 {
    *rng ^= *rng >> 12;
    *rng ^= *rng << 25;
    *rng ^= *rng >> 27;
    rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// 2–6 adjacent units from a random place in a random page (a phrase that exists), or now and
/// then 2–4 units glued from two pages (a phrase that may not).
fn random_query(docs: &[Page], rng: &mut u64) -> String {
    loop {
        let doc = &docs[next(rng) as usize % docs.len()].units;
        let len = 2 + next(rng) as usize % 5;
        if doc.len() < len {
            continue;
        }
        let start = next(rng) as usize % (doc.len() - len + 1);
        let run = &doc[start..start + len];
        if !run.windows(2).all(|w| w[1].0 == w[0].0 + 1) {
            continue;
        }
        let mut q: String = run.iter().map(|(_, u)| u.as_str()).collect();
        if next(rng).is_multiple_of(4) {
            let other = &docs[next(rng) as usize % docs.len()].units;
            if let Some((_, u)) = other.get(next(rng) as usize % other.len().max(1)) {
                q.push_str(u);
            }
        }
        // Words need a separator between them to stay two units.
        if search::tokenize::query_phrases(&q).len() == 1 {
            return q;
        }
    }
}

/// Pages holding every phrase of `query` as written: a plain substring test for a query of
/// Han characters alone, else a scan of the page's units.
fn scan(docs: &[Page], query: &str) -> Vec<u32> {
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    if query.chars().all(han) {
        return (0..docs.len() as u32)
            .filter(|&id| docs[id as usize].text.contains(query))
            .collect();
    }
    let phrases = search::tokenize::query_phrases(query);
    (0..docs.len() as u32)
        .filter(|&id| {
            let units = &docs[id as usize].units;
            phrases.iter().all(|p| {
                units.windows(p.len()).any(|w| {
                    w.iter().zip(p).all(|((_, u), x)| u == x)
                        && w.windows(2).all(|pair| pair[1].0 == pair[0].0 + 1)
                })
            })
        })
        .collect()
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let child = std::process::Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else { return 0 };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(bytes);
    }
    child.wait_with_output().map_or(0, |o| o.stdout.len())
}

#[derive(Default)]
struct Totals {
    differing: usize,
    true_hits: usize,
    false_hits: usize,
    missed: usize,
    bytes: Vec<usize>,
    gzip: Vec<usize>,
}

impl Totals {
    fn add(&mut self, hits: &[u32], truth: &[u32], bytes: usize, gz: usize) {
        let right = hits
            .iter()
            .filter(|h| truth.binary_search(h).is_ok())
            .count();
        self.true_hits += right;
        self.false_hits += hits.len() - right;
        self.missed += truth.len() - right;
        self.differing += usize::from(hits != truth);
        self.bytes.push(bytes);
        self.gzip.push(gz);
    }

    fn print(&mut self, queries: usize) {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                100.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        println!(
            "queries\t{queries}\tdiffering from the scan\t{}",
            self.differing
        );
        println!(
            "precision\t{:.3}%\trecall\t{:.3}%\t(hits {}, false {}, missed {})",
            pct(self.true_hits, self.true_hits + self.false_hits),
            pct(self.true_hits, self.true_hits + self.missed),
            self.true_hits,
            self.false_hits,
            self.missed
        );
        for (name, v) in [("bytes", &mut self.bytes), ("gzip", &mut self.gzip)] {
            v.sort_unstable();
            let n = v.len().max(1);
            let mean = v.iter().sum::<usize>() / n;
            println!(
                "{name} per query\tmedian {}\tmean {mean}\tp90 {}\tmax {}",
                v[n / 2],
                v[n * 9 / 10],
                v.last().copied().unwrap_or(0)
            );
        }
    }
}
