//! The shipped 错敏词 dictionary (`check/words.toml`) on five seed-like documents
//! (`tests/fixtures/dictionary/site/`) with planted slips (`tests/fixtures/dictionary/slips.toml`):
//! it must hit exactly the slips it is meant to catch and nothing else. Run with `--nocapture`
//! to see the hit-rate table that docs/words.md shows.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{SiteTest, fixtures, stdout};

/// One planted slip from `slips.toml`.
struct Slip {
    file: String,
    line: u64,
    text: String,
    caught: bool,
}

fn slips() -> Vec<Slip> {
    let text = std::fs::read_to_string(fixtures().join("dictionary/slips.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["slip"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Slip {
            file: s["file"].as_str().unwrap().to_string(),
            line: s["line"].as_integer().unwrap() as u64,
            text: s["text"].as_str().unwrap().to_string(),
            caught: s["caught"].as_bool().unwrap(),
        })
        .collect()
}

/// `wrong` → (`level`, `right`) of the shipped dictionary.
fn shipped_rules() -> BTreeMap<String, (String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("check/words.toml");
    let table: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    table["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let level = r.get("level").and_then(|l| l.as_str()).unwrap_or("error");
            (
                r["wrong"].as_str().unwrap().to_string(),
                (level.to_string(), r["right"].as_str().unwrap().to_string()),
            )
        })
        .collect()
}

/// A `word` diagnostic as `check --format json` prints it: file, line, column, level, message.
type Hit = (String, u64, u64, String, String);

#[test]
fn dictionary_hits_exactly_the_planted_slips() {
    let site = SiteTest::fixture("dictionary/site");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("check/words.toml");
    site.write(
        "check/words.toml",
        &std::fs::read_to_string(shipped).unwrap(),
    );
    let out = site.run("check", &["--format", "json"]);
    let all: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut found: Vec<Hit> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "word")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["level"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();

    let rules = shipped_rules();
    let slips = slips();
    let mut expected: Vec<Hit> = Vec::new();
    for slip in &slips {
        let source = std::fs::read_to_string(site.root.join(&slip.file)).unwrap();
        let line = source.lines().nth(slip.line as usize - 1).unwrap_or("");
        let at = line.find(&slip.text).unwrap_or_else(|| {
            panic!(
                "slips.toml: 「{}」 is not on {}:{}",
                slip.text, slip.file, slip.line
            )
        });
        if slip.caught {
            let (level, right) = rules
                .get(&slip.text)
                .unwrap_or_else(|| panic!("slips.toml: no rule 「{}」", slip.text));
            let column = line[..at].chars().count() as u64 + 1;
            let message = format!("错敏词「{}」，应为「{right}」", slip.text);
            expected.push((slip.file.clone(), slip.line, column, level.clone(), message));
        }
    }
    expected.sort();

    println!("{}", hit_rate_table(&site.root, &slips, &found, &expected));
    let missed: Vec<_> = expected.iter().filter(|h| !found.contains(h)).collect();
    let false_positives: Vec<_> = found.iter().filter(|h| !expected.contains(h)).collect();
    assert!(
        missed.is_empty() && false_positives.is_empty(),
        "missed: {missed:#?}\nfalse positives: {false_positives:#?}"
    );
}

/// Per document: slips planted, found, missed, and hits where nothing was planted.
fn hit_rate_table(root: &Path, slips: &[Slip], found: &[Hit], expected: &[Hit]) -> String {
    let dir = "content/news/yaowen";
    let mut files: Vec<String> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "_index.md")
        .map(|n| format!("{dir}/{n}"))
        .collect();
    files.sort();
    let mut rows = vec![
        "| 稿件 | 埋入差错 | 词库应查出 | 查出 | 漏检 | 误报 |".to_string(),
        "|---|---:|---:|---:|---:|---:|".to_string(),
    ];
    let mut total = [0usize; 5];
    for file in &files {
        let planted = slips.iter().filter(|s| &s.file == file).count();
        let catchable = slips.iter().filter(|s| &s.file == file && s.caught).count();
        let hits = |list: &[Hit]| {
            list.iter()
                .filter(|h| &h.0 == file)
                .cloned()
                .collect::<Vec<_>>()
        };
        let (mine, wanted) = (hits(found), hits(expected));
        let caught = mine.iter().filter(|h| wanted.contains(h)).count();
        let wrong = mine.len() - caught;
        let row = [planted, catchable, caught, planted - caught, wrong];
        for (t, n) in total.iter_mut().zip(row) {
            *t += n;
        }
        let name = file.rsplit('/').next().unwrap();
        rows.push(format!(
            "| {name} | {} | {} | {} | {} | {} |",
            row[0], row[1], row[2], row[3], row[4]
        ));
    }
    rows.push(format!(
        "| 合计 | {} | {} | {} | {} | {} |",
        total[0], total[1], total[2], total[3], total[4]
    ));
    rows.push(format!(
        "\n查出率 {}/{}（{:.0}%），误报 {} 处",
        total[2],
        total[0],
        100.0 * total[2] as f64 / total[0].max(1) as f64,
        total[4]
    ));
    rows.join("\n")
}
