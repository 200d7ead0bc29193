//! The index answers Chinese, English and mixed queries the way `search.js` reads it.

use super::*;

/// Runs a query on the built files as `search.js` does (see [`reader`]).
fn search(files: &[(String, Vec<u8>)], query: &str) -> Vec<u32> {
    let read = |p: &str| files.iter().find(|(f, _)| f == p).map(|(_, b)| b.clone());
    reader::search(&read, query).hits
}

fn doc<'a>(title: &'a str, body: &'a str) -> Document<'a> {
    Document {
        title,
        url: "".into(),
        date: "".into(),
        section: "",
        description: None,
        body,
        fields: "".into(),
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    corpus_of(&[
        doc("区政协召开民主监督座谈会", "委员们围绕营商环境开展协商。"),
        doc(
            "委员视察重点项目",
            "2024年CPPCC全会期间，委员开展民主监督。",
        ),
        doc("协商议政工作综述", "全年开展专题协商十二次。"),
        doc(
            "English notes",
            "The CPPCC holds consultations; 政协 meets in 2024年.",
        ),
    ])
}

fn corpus_of(docs: &[Document]) -> Vec<(String, Vec<u8>)> {
    let files = std::sync::Mutex::new(Vec::new());
    let written = build::<()>(docs, &|path, bytes| {
        files
            .lock()
            .unwrap()
            .push((path.to_string(), bytes.to_vec()));
        Ok(())
    })
    .unwrap();
    let files = files.into_inner().unwrap();
    assert_eq!(written.files, files.len());
    files
}

#[test]
fn chinese_two_character_query() {
    let files = corpus();
    assert_eq!(
        search(&files, "协商"),
        [2, 0],
        "title hit first, then body hit"
    );
}

#[test]
fn chinese_four_character_query_needs_every_bigram() {
    let files = corpus();
    assert_eq!(
        search(&files, "民主监督"),
        vec![0, 1],
        "title hit first, then recency"
    );
    assert_eq!(
        search(&files, "监督协商"),
        Vec::<u32>::new(),
        "no page has 督协"
    );
}

#[test]
fn a_phrase_matches_only_as_written() {
    let files = corpus_of(&[
        doc("违法现象", "规范市场行为，依法行政。"),
        doc("查处违法行为", "正文。"),
        doc("市政府与政协", "市政府召开会议，政协委员列席。"),
        doc("市政协召开常委会议", "正文。"),
        doc("分段", "违法\n\n行为"),
    ]);
    assert_eq!(search(&files, "违法行为"), [1]);
    assert_eq!(search(&files, "市政协"), [3]);
    assert_eq!(search(&files, "政协委员"), [2]);
    assert_eq!(search(&files, "法行"), [1, 0], "title hit first");
}

#[test]
fn single_character_query() {
    let files = corpus();
    assert_eq!(search(&files, "综"), vec![2]);
}

#[test]
fn english_and_mixed_queries() {
    let files = corpus();
    assert_eq!(search(&files, "cppcc"), vec![1, 3]);
    assert_eq!(
        search(&files, "ＣＰＰＣＣ"),
        vec![1, 3],
        "full-width letters are normalised"
    );
    assert_eq!(search(&files, "2024年"), vec![1, 3]);
    assert_eq!(search(&files, "consultations"), vec![3]);
    assert_eq!(search(&files, "2024年 政协"), vec![3]);
}

#[test]
fn terms_are_cut_as_documented() {
    assert_eq!(
        index_terms("政协委员"),
        [
            "协",
            "协委",
            "协委员",
            "员",
            "委",
            "委员",
            "政",
            "政协",
            "政协委"
        ]
    );
    assert_eq!(query_terms("政协委员"), ["协委员", "政协委"]);
    assert_eq!(query_terms("2024年CPPCC，会"), ["2024年cppcc", "会"]);
}

#[test]
fn snippets_keep_whole_characters() {
    let t = document_text(Some("摘要"), &"字".repeat(3000));
    assert!(t.starts_with("摘要\n字"));
    assert_eq!(truncate_chars(&t, TEXT_LIMIT).chars().count(), TEXT_LIMIT);
    assert_eq!(truncate_chars("短", TEXT_LIMIT), "短");
}

#[test]
fn shard_of_matches_the_javascript_hash() {
    // The published FNV-1a (32-bit) value of "a"; search.js must give the same.
    assert_eq!(fnv1a("a"), 0xe40c292c);
    assert_eq!(shard_of("a", 1000), (0xe40c292c_u64 as usize * 1000) >> 32);
    assert_eq!(shard_of("a", 1000), 890);
    // Each shard is the range of hashes from its first hash up to the next shard's.
    for shards in [1, 3, 745, 1000] {
        for shard in 0..shards {
            let first = first_hash(shard, shards);
            assert_eq!(shard_of_hash(first, shards), shard);
            if first > 0 {
                assert_eq!(shard_of_hash(first - 1, shards), shard - 1);
            }
        }
        assert_eq!(shard_of_hash(u32::MAX, shards), shards - 1);
    }
}

/// The index as files, by path.
fn index_of(docs: &[Document]) -> (IndexStats, std::collections::BTreeMap<String, Vec<u8>>) {
    let files = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let stats = build::<()>(docs, &|path, bytes| {
        files
            .lock()
            .unwrap()
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    })
    .unwrap();
    (stats, files.into_inner().unwrap())
}

#[test]
fn updating_in_place_equals_building_anew() {
    let before = [
        doc("区政协召开民主监督座谈会", "委员们围绕营商环境开展协商。"),
        doc(
            "委员视察重点项目",
            "2024年CPPCC全会期间，委员开展民主监督。",
        ),
        doc("协商议政工作综述", "全年开展专题协商十二次。"),
        doc("文史资料征集", "征集青山书院旧址的照片。"),
        doc("提案办理", "提案办理工作推进会召开。"),
    ];
    let (stats, mut files) = index_of(&before);
    // Body words gained and lost, a title changed, a word moved from body to title.
    let mut after = before.clone();
    after[1] = doc("委员视察重点项目", "2025年委员开展调研，形成建议。");
    after[4] = doc("提案办理协商会", "提案工作推进会召开。");
    let edited: Vec<(u32, Document)> = vec![(1, before[1].clone()), (4, before[4].clone())];
    let written = std::sync::Mutex::new(Vec::new());
    let read = |path: &str| files.get(path).map(|b| std::sync::Arc::from(b.as_slice()));
    let updated = update::<()>(stats, &after, &edited, &read, &|path, bytes| {
        written
            .lock()
            .unwrap()
            .push((path.to_string(), bytes.to_vec()));
        Ok(())
    })
    .unwrap()
    .expect("same shard count");
    let written = written.into_inner().unwrap();
    assert!(
        written.len() < files.len(),
        "only some files rewritten: {} of {}",
        written.len(),
        files.len()
    );
    files.extend(written);
    let (fresh_stats, fresh) = index_of(&after);
    assert_eq!(updated, fresh_stats);
    assert!(files == fresh, "patched index differs from a fresh build");
    assert_eq!(search(&fresh.into_iter().collect::<Vec<_>>(), "调研"), [1]);
}

/// The generated documents of the tests below: 700 pages, terms shared by many and terms of
/// one page each.
fn vocabulary_texts() -> Vec<(String, String)> {
    let han = |n: u32| char::from_u32(0x4E00 + n % 20_000).unwrap_or('一');
    (0..700u32)
        .map(|i| {
            // Terms shared by many pages, and a run of characters few others share.
            let own: String = (0..40).map(|k| han(i * 37 + k * 101)).collect();
            let title = format!("政协{}委员{}", han(i), han(i * 7));
            let body = format!(
                "民主监督{own}，word{i} 协商议政{}{}",
                han(i % 13),
                han(i % 5)
            );
            (title, body)
        })
        .collect()
}

/// Every term of an index's shards with its pages, and every triple with its positions, as
/// JSON values: what a reader can learn from the index, whatever the shard count.
fn terms_of(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    let mut terms = Vec::new();
    for (path, bytes) in files {
        if path.starts_with("search/index/s/") || path.starts_with("search/index/q/") {
            let map: std::collections::BTreeMap<String, serde_json::Value> =
                serde_json::from_slice(bytes).unwrap_or_default();
            let kind = &path[13..14];
            terms.extend(
                map.into_iter()
                    .map(|(t, v)| (format!("{kind} {t}"), v.to_string())),
            );
        }
    }
    terms.sort();
    terms
}

/// The index is the same on any number of cores and with its runs in a spill file or in memory:
/// byte for byte for a given flush budget, and term for term (pages and positions) whether the
/// parts are flushed into runs after every batch, once, or never; terms held by
/// several runs are joined back as one.
#[test]
fn runs_give_the_same_index_on_any_core_count_and_budget() {
    let texts = vocabulary_texts();
    let docs: Vec<Document> = texts.iter().map(|(t, b)| doc(t, b)).collect();
    let dir = tempfile::tempdir().unwrap();
    let spilled = std::cell::Cell::new(0);
    let files_of = |budget: usize, parts: usize| {
        let files = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let write = |path: &str, bytes: &[u8]| {
            let mut files = files.lock().unwrap();
            files.insert(path.to_string(), bytes.to_vec());
            Ok(())
        };
        // With three parts, the runs go to a spill file.
        let spill = (parts == 3).then(|| {
            spilled.set(spilled.get() + 1);
            let path = dir.path().join(format!("runs-{}", spilled.get()));
            let file = std::fs::File::create_new(path).unwrap();
            runs::Spill::new(file)
        });
        let error: &(dyn Fn(std::io::Error) + Sync) = &|_| ();
        let spill = spill.as_ref().map(|s| (s, error));
        let stats = build_with::<()>(&docs, &write, budget, parts, spill).unwrap();
        let files = files.into_inner().unwrap();
        assert_eq!(stats.files, files.len());
        files
    };
    let whole = files_of(usize::MAX, 2);
    let terms = terms_of(&whole);
    assert!(terms.len() > 30_000, "{} terms", terms.len());
    for budget in [1, 40_000, usize::MAX] {
        let one = files_of(budget, 1);
        assert!(
            one == files_of(budget, 3),
            "1 and 3 parts differ, budget {budget}"
        );
        assert!(terms_of(&one) == terms, "budget {budget} changes the terms");
    }
    // The spill files were written: a run per batch, then one.
    let size = |n: usize| std::fs::metadata(dir.path().join(format!("runs-{n}"))).unwrap();
    assert!(size(1).len() > 100_000 && size(2).len() > 10_000 && size(3).len() == 0);
    // A budget of 1 flushes the parts after every batch; 40,000 once, after about 500 pages,
    // and the last batches' terms stay held.
    let batches = docs.len().div_ceil(invert::BATCH);
    assert!(batches >= 3, "{batches} batches");
    let (parts, _) = invert::invert(&docs, 2, 1, None);
    assert!(
        parts
            .iter()
            .all(|p| p.runs.len() == batches && p.held.is_empty())
    );
    let (parts, _) = invert::invert(&docs, 2, 40_000, None);
    assert!(
        parts
            .iter()
            .all(|p| p.runs.len() == 1 && !p.held.is_empty())
    );
}

/// Over several batches of documents, with a vocabulary that grows faster than a batch's
/// postings (so a batch's postings are taken both grouped by term and as they come), every
/// query finds exactly what a plain scan finds, titles included.
#[test]
fn many_batches_and_a_large_vocabulary_find_what_a_scan_finds() {
    let han = |n: u32| char::from_u32(0x4E00 + n % 20_000).unwrap_or('一');
    let texts = vocabulary_texts();
    let docs: Vec<Document> = texts.iter().map(|(t, b)| doc(t, b)).collect();
    let files = corpus_of(&docs);
    let queries = [
        "民主监督".to_string(),
        "协商".to_string(),
        "word699".to_string(),
        format!("政协{}", han(5)),
        format!("议政{}{}", han(3), han(3)),
        texts[400].1.chars().skip(6).take(9).collect(),
        texts[650].0.clone(),
    ];
    for q in queries {
        let mut hits = search(&files, &q);
        hits.sort_unstable();
        assert_eq!(hits, crate::fuzzing::scan(&docs, &q), "query {q}");
        assert!(!hits.is_empty(), "query {q}");
    }
}
