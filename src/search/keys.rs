//! Search terms as integer keys while indexing, and one document's keys as the index takes
//! them: each key once, split into parts of the key space, triples with their positions.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::Document;
use super::invert::part_of;
use super::tokenize::{RunUnit, for_each_run};

/// Terms as integers while indexing: a tag in the top two bits, then one or two characters
/// (21 bits each), three characters of the Basic Multilingual Plane (16 bits each), or a hash
/// of the text (words, joints, other triples).
pub(super) const TAG_TRIPLE: u64 = 0;
pub(super) const TAG_CHAR: u64 = 1 << 62;
pub(super) const TAG_PAIR: u64 = 2 << 62;
pub(super) const TAG_WORD: u64 = 3 << 62;
pub(super) const TAG_MASK: u64 = 3 << 62;

/// The text of word keys (hashes), by key.
pub(super) type Words = FxHashMap<u64, String>;

fn word_key(w: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    w.hash(&mut h);
    TAG_WORD | (h.finish() & !TAG_MASK)
}

/// The key of one, two or three adjacent units of a run whose words point into `text`. For a
/// key that is a hash, `joint` is left holding the text it hashes.
fn group_key(units: &[RunUnit], text: &str, joint: &mut String) -> u64 {
    use RunUnit::Cjk;
    let bmp = |c: char| u64::from(c) <= 0xFFFF;
    match *units {
        [Cjk(c)] => TAG_CHAR | u64::from(c),
        [Cjk(a), Cjk(b)] => TAG_PAIR | (u64::from(a) << 21) | u64::from(b),
        [Cjk(a), Cjk(b), Cjk(c)] if bmp(a) && bmp(b) && bmp(c) => {
            TAG_TRIPLE | (u64::from(a) << 32) | (u64::from(b) << 16) | u64::from(c)
        }
        _ => {
            joint.clear();
            for u in units {
                match *u {
                    Cjk(c) => joint.push(c),
                    RunUnit::Word(s, e) => joint.push_str(&text[s as usize..e as usize]),
                }
            }
            word_key(joint)
        }
    }
}

/// One document's keys in one part of the key space. Units and pairs: each key once, in the
/// title's list if the title has it, else in the other list, in no particular order. Triples
/// (every three-unit term): each key once, in order of first occurrence, with all its
/// positions, ascending; a triple is in the title when its first position is before
/// `title_end`.
#[derive(Default)]
pub(super) struct DocKeys {
    pub(super) title: Vec<u64>,
    pub(super) other: Vec<u64>,
    /// (key, end of its positions in `positions`); its positions start where the previous
    /// triple's end.
    pub(super) triples: Vec<(u64, u32)>,
    pub(super) positions: Vec<u32>,
    /// While the document is read: each triple occurrence as (index in `triples`, position).
    met: Vec<(u32, u32)>,
    pub(super) title_end: u32,
}

impl DocKeys {
    /// Each triple's key with its positions, in order of first occurrence.
    pub(super) fn triple_groups(&self) -> impl Iterator<Item = (u64, &[u32])> {
        let mut start = 0;
        self.triples.iter().map(move |&(key, end)| {
            let at = &self.positions[start as usize..end as usize];
            start = end;
            (key, at)
        })
    }

    /// Puts `met` (occurrences in position order) into `positions`, grouped by triple: a
    /// counting sort, which keeps each triple's positions ascending.
    fn group_triples(&mut self) {
        let mut end = 0u32;
        for t in &mut self.triples {
            let count = t.1;
            t.1 = end;
            end += count;
        }
        // Each triple's slot now holds its start: fill, moving it to its end.
        self.positions.clear();
        self.positions.resize(self.met.len(), 0);
        for &(t, at) in &self.met {
            let slot = &mut self.triples[t as usize].1;
            self.positions[*slot as usize] = at;
            *slot += 1;
        }
    }

    /// The distinct keys of the title, and those found only elsewhere, triples included, each
    /// list sorted.
    pub(super) fn sorted(&self) -> (Vec<u64>, Vec<u64>) {
        let (mut title, mut other) = (self.title.clone(), self.other.clone());
        for (key, at) in self.triple_groups() {
            if at[0] < self.title_end {
                title.push(key);
            } else {
                other.push(key);
            }
        }
        title.sort_unstable();
        other.sort_unstable();
        (title, other)
    }
}

/// A document's keys split into `parts` parts of the key space (see [`part_of`]), with the
/// text of each word key met (those are hashes).
pub(super) fn doc_keys(d: &Document, parts: usize) -> (Vec<DocKeys>, Words) {
    let mut keyed = Keyed::default();
    doc_keys_into(d, parts, &mut keyed);
    (keyed.split, keyed.words)
}

/// One document's keys by part and its word texts: a buffer [`doc_keys_into`] refills, so a
/// batch of documents allocates nothing once its buffers have grown.
#[derive(Default)]
pub(super) struct Keyed {
    pub(super) split: Vec<DocKeys>,
    pub(super) words: Words,
}

/// What [`doc_keys_into`] keeps between the documents of one thread, for its capacity.
#[derive(Default)]
struct Scratch {
    /// The keys met in the document at hand, except characters of the Basic Multilingual
    /// Plane; a triple's value is its index in its part's `triples`.
    seen: FxHashMap<u64, u32>,
    /// For each character of the Basic Multilingual Plane, the number of the last document
    /// it was met in: a table lookup instead of a hash lookup for the commonest key.
    stamps: Vec<u32>,
    /// The number of the document at hand, from 1.
    doc: u32,
    /// A joint's text while its key is computed.
    joint: String,
}

impl Scratch {
    fn next_document(&mut self) {
        self.seen.clear();
        if self.stamps.is_empty() {
            self.stamps = vec![0; 0x1_0000];
        }
        self.doc = self.doc.wrapping_add(1);
        if self.doc == 0 {
            self.stamps.fill(0);
            self.doc = 1;
        }
    }
}

/// One document being read into a [`Keyed`].
struct Reading<'a> {
    split: &'a mut [DocKeys],
    words: &'a mut Words,
    scratch: &'a mut Scratch,
    parts: usize,
}

impl Reading<'_> {
    /// Reads one run of adjacent units, the first at position `first`. At each unit, its
    /// triple is looked up first: a triple met before means its pair and unit were met before
    /// too (at the triple's earlier place), so only a new triple's pair, and a new pair's
    /// unit, are looked up. A run's last two units have no triple, its last no pair.
    fn run(&mut self, run: &[RunUnit], text: &str, first: u32, in_title: bool) {
        for i in 0..run.len() {
            if i + 3 <= run.len() && !self.triple(&run[i..i + 3], text, first + i as u32) {
                continue;
            }
            if i + 2 <= run.len() && !self.group(&run[i..i + 2], text, in_title) {
                continue;
            }
            match run[i] {
                RunUnit::Cjk(c) if u32::from(c) <= 0xFFFF => {
                    let stamp = &mut self.scratch.stamps[c as usize];
                    if *stamp != self.scratch.doc {
                        *stamp = self.scratch.doc;
                        self.keep(TAG_CHAR | u64::from(c), in_title);
                    }
                }
                _ => {
                    self.group(&run[i..=i], text, in_title);
                }
            }
        }
    }

    /// Notes one occurrence of a triple at `at`; whether it is its first in the document.
    fn triple(&mut self, units: &[RunUnit], text: &str, at: u32) -> bool {
        let k = group_key(units, text, &mut self.scratch.joint);
        let keys = &mut self.split[part_of(k, self.parts)];
        match self.scratch.seen.entry(k) {
            Entry::Occupied(e) => {
                let i = *e.get();
                // The count of occurrences, until `group_triples`.
                keys.triples[i as usize].1 += 1;
                keys.met.push((i, at));
                false
            }
            Entry::Vacant(e) => {
                let i = keys.triples.len() as u32;
                e.insert(i);
                keys.triples.push((k, 1));
                keys.met.push((i, at));
                self.remember_text(k);
                true
            }
        }
    }

    /// Notes a unit or pair; whether it is its first occurrence in the document.
    fn group(&mut self, units: &[RunUnit], text: &str, in_title: bool) -> bool {
        let k = group_key(units, text, &mut self.scratch.joint);
        if self.scratch.seen.insert(k, 0).is_some() {
            return false;
        }
        self.keep(k, in_title);
        self.remember_text(k);
        true
    }

    fn keep(&mut self, k: u64, in_title: bool) {
        let keys = &mut self.split[part_of(k, self.parts)];
        if in_title {
            keys.title.push(k);
        } else {
            keys.other.push(k);
        }
    }

    /// For a key that is a hash, keeps the text it hashes.
    fn remember_text(&mut self, k: u64) {
        if k & TAG_MASK == TAG_WORD {
            let joint = &self.scratch.joint;
            self.words.entry(k).or_insert_with(|| joint.clone());
        }
    }
}

/// Fills `out` with the keys of `d` as [`doc_keys`] returns them, reusing its capacity. A
/// triple's occurrences are grouped by a counting sort at the end, not by sorting them.
pub(super) fn doc_keys_into(d: &Document, parts: usize, out: &mut Keyed) {
    out.split.resize_with(parts, DocKeys::default);
    for keys in &mut out.split {
        keys.title.clear();
        keys.other.clear();
        keys.triples.clear();
        keys.met.clear();
    }
    out.words.clear();
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
    }
    let mut scratch = SCRATCH.take();
    scratch.next_document();
    let mut reading = Reading {
        split: &mut out.split,
        words: &mut out.words,
        scratch: &mut scratch,
        parts,
    };
    let title_end = for_each_run(d.title, 0, |run, text, first| {
        reading.run(run, text, first, true)
    });
    let mut at = title_end;
    for part in d.texts_after_title() {
        at = for_each_run(part, at, |run, text, first| {
            reading.run(run, text, first, false)
        });
    }
    SCRATCH.set(scratch);
    for keys in out.split.iter_mut() {
        keys.title_end = title_end;
        keys.group_triples();
    }
}

/// Appends the text of `key` (its word text from `words` if it is a hash).
pub(super) fn push_key_text(out: &mut String, key: u64, words: &Words) {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    let bmp = |v: u64| char::from_u32((v & 0xFFFF) as u32).unwrap_or('\u{FFFD}');
    match key & TAG_MASK {
        TAG_TRIPLE => out.extend([bmp(key >> 32), bmp(key >> 16), bmp(key)]),
        TAG_CHAR => out.push(ch(key)),
        TAG_PAIR => out.extend([ch(key >> 21), ch(key)]),
        _ => out.push_str(words.get(&key).map_or("", String::as_str)),
    }
}

pub(super) fn key_text(key: u64, words: &Words) -> String {
    let mut text = String::new();
    push_key_text(&mut text, key, words);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokenize::{Term, for_each_index_term};

    /// The keys of one term as the tokenizer hands it over: what `doc_keys_into` must agree
    /// with, key for key.
    fn key_of(t: Term, words: &mut Words) -> u64 {
        let mut joint = String::new();
        let units: Vec<RunUnit> = match t {
            Term::Char(c) => vec![RunUnit::Cjk(c)],
            Term::Pair(a, b) => vec![RunUnit::Cjk(a), RunUnit::Cjk(b)],
            Term::Triple(a, b, c) => vec![RunUnit::Cjk(a), RunUnit::Cjk(b), RunUnit::Cjk(c)],
            Term::Word(w) | Term::Joint(w, _) => {
                let k = word_key(w);
                words.entry(k).or_insert_with(|| w.to_string());
                return k;
            }
        };
        let k = group_key(&units, "", &mut joint);
        if k & TAG_MASK == TAG_WORD {
            words.entry(k).or_insert(joint);
        }
        k
    }

    /// A document's keys the plain way: every term in order, the first occurrence deciding
    /// title or not, every triple position kept. (sorted title, sorted other, triples with
    /// positions in order of first occurrence, title end, words)
    type Plain = (
        Vec<u64>,
        Vec<u64>,
        Vec<(u64, Vec<u32>)>,
        u32,
        Vec<(u64, String)>,
    );

    fn plain(d: &Document) -> Plain {
        let mut words = Words::default();
        let (mut title, mut other) = (Vec::new(), Vec::new());
        let mut triples: Vec<(u64, Vec<u32>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut visit = |t: Term, at: u32, in_title: bool| {
            let k = key_of(t, &mut words);
            if t.units() == 3 {
                match triples.iter_mut().find(|(key, _)| *key == k) {
                    Some((_, at_list)) => at_list.push(at),
                    None => triples.push((k, vec![at])),
                }
            } else if seen.insert(k) {
                if in_title {
                    title.push(k)
                } else {
                    other.push(k)
                }
            }
        };
        let title_end = for_each_index_term(d.title, 0, |t, a| visit(t, a, true));
        let mut at = title_end;
        for part in d.texts_after_title() {
            at = for_each_index_term(part, at, |t, a| visit(t, a, false));
        }
        title.sort_unstable();
        other.sort_unstable();
        let mut words: Vec<(u64, String)> = words.into_iter().collect();
        words.sort_unstable();
        (title, other, triples, title_end, words)
    }

    fn read(d: &Document) -> Plain {
        let (split, words) = doc_keys(d, 3);
        let mut out: Plain = Default::default();
        let mut triples = Vec::new();
        for keys in &split {
            out.0.extend(&keys.title);
            out.1.extend(&keys.other);
            for (key, at) in keys.triple_groups() {
                triples.push((key, at.to_vec()));
            }
            out.3 = keys.title_end;
        }
        // Parts split the triples; their order of first occurrence is by first position.
        triples.sort_by_key(|(_, at)| at[0]);
        out.0.sort_unstable();
        out.1.sort_unstable();
        out.2 = triples;
        out.4 = words.into_iter().collect();
        out.4.sort_unstable();
        out
    }

    #[test]
    fn runs_give_the_keys_of_every_term() {
        let texts = [
            ("政协委员政协委员", "", "政协委员会议，政协委员"),
            (
                "2024年CPPCC全会",
                "全会2024年",
                "2024年cppcc全会 ＣＰＰＣＣ 年年年年年",
            ),
            ("𠀀𠀁𠀂", "𠀀𠀁𠀂𠀀", "a𠀀b𠀁𠀂c"),
            ("", "", "乡村振兴乡村振兴乡村"),
            ("会", "会会", "会会会会会会会会"),
            ("abc def", "abc", "x y z 政 协"),
            ("民主监督", "监督民主", "民主监督，民主，监督；监督民主监督"),
        ];
        for (title, desc, body) in texts {
            let d = Document {
                title,
                url: "/p/".into(),
                date: "".into(),
                section: "",
                description: (!desc.is_empty()).then_some(desc),
                body,
                fields: "经济界\n第十五届\n政协委员".into(),
            };
            assert_eq!(read(&d), plain(&d), "{title} | {desc} | {body}");
        }
    }

    #[test]
    fn runs_give_the_keys_of_every_term_in_generated_text() {
        // Few distinct units, so that triples, pairs and units repeat across the title, the
        // description and the body in every combination.
        let alphabet: Vec<char> = "政协委员会 ，a1𠀀".chars().collect();
        let mut state = 12345u64;
        let mut text = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(state >> 33) as usize % alphabet.len()]
                })
                .collect()
        };
        for round in 0..300 {
            let (title, desc, body) = (text(round % 9), text(round % 5), text(round % 61));
            let fields = format!("{}\n{}", text(round % 4), text(round % 6));
            let d = Document {
                title: &title,
                url: "/p/".into(),
                date: "".into(),
                section: "",
                description: (round % 2 == 0).then_some(desc.as_str()),
                body: &body,
                fields: fields.as_str().into(),
            };
            assert_eq!(read(&d), plain(&d), "{title} | {desc} | {body} | {fields}");
        }
    }
}
