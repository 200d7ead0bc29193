//! The index read back as `themes/default/static/tongxin/search.js` reads it, step for step:
//! for tests, fuzzing and `examples/search_bench.rs`, which measure what a reader downloads and
//! whether every hit holds the query. Change both together.

use std::collections::{BTreeMap, BTreeSet};

use super::tokenize::{needs_positions, phrase_terms, query_phrases};
use super::{own_file_path, positions, shard_of};

/// What a query found and what it fetched.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    /// Matching page ids: pages holding every phrase in their title first, then by id (recency).
    pub hits: Vec<u32>,
    /// Index files fetched, in order (each once).
    pub fetched: Vec<String>,
}

/// Runs `query` against an index whose files `read` returns (path under the output).
pub fn search(read: &dyn Fn(&str) -> Option<Vec<u8>>, query: &str) -> Found {
    let mut found = Found::default();
    let mut get = |path: String| -> Option<serde_json::Value> {
        let bytes = read(&path)?;
        if !found.fetched.contains(&path) {
            found.fetched.push(path);
        }
        serde_json::from_slice(&bytes).ok()
    };
    let phrases = query_phrases(query);
    if phrases.is_empty() {
        return found;
    }
    let Some(meta) = get("search/index/meta.json".into()) else {
        return found;
    };
    let shards = meta["shards"].as_u64().unwrap_or(1).max(1) as usize;
    let mut all: Option<BTreeSet<u32>> = None;
    let mut in_title: Option<BTreeSet<u32>> = None;
    for phrase in &phrases {
        let Some((pages, title)) = phrase_pages(&mut get, phrase, shards) else {
            return Found {
                hits: Vec::new(),
                ..found
            };
        };
        all = Some(match all {
            Some(a) => a.intersection(&pages).copied().collect(),
            None => pages,
        });
        in_title = Some(match in_title {
            Some(t) => t.intersection(&title).copied().collect(),
            None => title,
        });
    }
    let (all, title) = (all.unwrap_or_default(), in_title.unwrap_or_default());
    let mut hits: Vec<u32> = all.into_iter().collect();
    hits.sort_by_key(|id| (!title.contains(id), *id));
    Found { hits, ..found }
}

type Get<'g> = dyn FnMut(String) -> Option<serde_json::Value> + 'g;

/// The pages holding one phrase, and those holding all its terms in the title. `None` when a
/// term is in no page.
fn phrase_pages(
    get: &mut Get,
    phrase: &[String],
    shards: usize,
) -> Option<(BTreeSet<u32>, BTreeSet<u32>)> {
    let mut pages: Option<BTreeSet<u32>> = None;
    let mut title: Option<BTreeSet<u32>> = None;
    let mut own = BTreeMap::new();
    for (term, _) in phrase_terms(phrase) {
        let shard = get(format!("search/index/s/{}.json", shard_of(&term, shards)))?;
        let lists = shard.get(&term)?;
        own.insert(term, lists.get(2).is_some());
        let (t, o) = (ids(&lists[0]), ids(&lists[1]));
        let both: BTreeSet<u32> = t.union(&o).copied().collect();
        pages = Some(match pages {
            Some(p) => p.intersection(&both).copied().collect(),
            None => both,
        });
        title = Some(match title {
            Some(x) => x.intersection(&t).copied().collect(),
            None => t,
        });
    }
    let mut pages = pages.unwrap_or_default();
    if needs_positions(phrase) && !pages.is_empty() {
        let mut at: Vec<(BTreeMap<u32, Vec<u32>>, u32)> = Vec::new();
        for (term, offset) in phrase_terms(phrase) {
            let raw = if own[&term] {
                get(own_file_path(&term))?
            } else {
                get(format!("search/index/q/{}.json", shard_of(&term, shards)))?
                    .get(&term)?
                    .clone()
            };
            let list = positions::decode(raw.as_str()?)?;
            at.push((list.into_iter().collect(), offset));
        }
        pages.retain(|id| holds_phrase(*id, &at));
    }
    let title = title.unwrap_or_default();
    Some((pages, title))
}

/// Whether page `id` has every cover pair at its offset from one common start.
fn holds_phrase(id: u32, at: &[(BTreeMap<u32, Vec<u32>>, u32)]) -> bool {
    let Some((first, first_offset)) = at.first() else {
        return true;
    };
    let Some(starts) = first.get(&id) else {
        return false;
    };
    starts.iter().any(|&p| {
        let start = p.wrapping_sub(*first_offset);
        at[1..].iter().all(|(list, offset)| {
            list.get(&id)
                .is_some_and(|ps| ps.binary_search(&start.wrapping_add(*offset)).is_ok())
        })
    })
}

fn ids(v: &serde_json::Value) -> BTreeSet<u32> {
    let mut acc = 0u32;
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    acc = acc.wrapping_add(d.as_u64().unwrap_or(0) as u32);
                    acc
                })
                .collect()
        })
        .unwrap_or_default()
}
