//! Cutting text into search terms. `themes/default/static/tongxin/search.js` mirrors `query_terms`
//! exactly; change both together.

use crate::markdown::cjk::is_cjk_letter;

/// Full-width ASCII to half-width, upper to lower case.
fn normalize(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if is_cjk_letter(c) {
        // No case: skip the Unicode table lookup for the bulk of Chinese text.
        c
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Class {
    Cjk,
    Word,
    Other,
}

fn class(c: char) -> Class {
    if is_cjk_letter(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// One index term, borrowed where it can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// A single Han (kana, hangul) character: a unit.
    Char(char),
    /// A normalised run of letters or digits: a unit.
    Word(&'a str),
    /// Two adjacent Han characters.
    Pair(char, char),
    /// Three adjacent Han characters.
    Triple(char, char, char),
    /// Two or three adjacent units of which one is a word (`2024年`, `年cppcc`), as one text.
    Joint(&'a str, u8),
}

impl Term<'_> {
    /// How many units the term spans.
    pub fn units(self) -> usize {
        match self {
            Term::Char(_) | Term::Word(_) => 1,
            Term::Pair(..) => 2,
            Term::Triple(..) => 3,
            Term::Joint(_, n) => usize::from(n),
        }
    }
}

/// A unit as it is remembered for the pairs and triples it starts.
#[derive(Clone)]
enum Unit {
    Cjk(char),
    Word(String),
}

impl Unit {
    fn push_to(&self, s: &mut String) {
        match self {
            Unit::Cjk(c) => s.push(*c),
            Unit::Word(w) => s.push_str(w),
        }
    }
}

/// Receives units in order and emits each with the pair and triple it ends.
struct Emitter<F> {
    f: F,
    at: u32,
    /// The unit before `at` and the one before that, while nothing separates them from it.
    last: Option<Unit>,
    second: Option<Unit>,
    joint: String,
}

impl<F: FnMut(Term, u32)> Emitter<F> {
    fn unit(&mut self, u: Unit) {
        let at = self.at;
        match &u {
            Unit::Cjk(c) => (self.f)(Term::Char(*c), at),
            Unit::Word(w) => (self.f)(Term::Word(w), at),
        }
        if let Some(last) = &self.last {
            match (last, &u) {
                (Unit::Cjk(a), Unit::Cjk(b)) => (self.f)(Term::Pair(*a, *b), at - 1),
                _ => emit_joint(&mut self.f, &mut self.joint, &[last, &u], at - 1),
            }
            if let Some(second) = &self.second {
                match (second, last, &u) {
                    (Unit::Cjk(a), Unit::Cjk(b), Unit::Cjk(c)) => {
                        (self.f)(Term::Triple(*a, *b, *c), at - 2)
                    }
                    _ => emit_joint(&mut self.f, &mut self.joint, &[second, last, &u], at - 2),
                }
            }
        }
        self.second = self.last.take();
        self.last = Some(u);
        self.at += 1;
    }

    /// Something other than a unit: the next unit is not adjacent.
    fn gap(&mut self) {
        if self.last.is_some() {
            self.at += 1;
            self.last = None;
            self.second = None;
        }
    }
}

/// A pair or triple with a word in it, as one text.
fn emit_joint(f: &mut impl FnMut(Term, u32), joint: &mut String, units: &[&Unit], at: u32) {
    joint.clear();
    for u in units {
        u.push_to(joint);
    }
    f(Term::Joint(joint, units.len() as u8), at);
}

/// Calls `f` with every index term of `text` and its position (repeats included), allocating
/// nothing for Chinese text: the streaming form of [`index_terms`], for building large indexes.
///
/// Positions count units — a Han character, a word — from `start`; anything else between two
/// units (a space, punctuation, a block's end) counts one more, so units it separates are
/// never adjacent. Each unit is a term, and so are each two and three adjacent units; a
/// group's position is its first unit's. Returns the position after the text and its closing
/// gap, to continue with the next part of a document.
pub fn for_each_index_term(text: &str, start: u32, f: impl FnMut(Term, u32)) -> u32 {
    let mut e = Emitter {
        f,
        at: start,
        last: None,
        second: None,
        joint: String::new(),
    };
    let mut word = String::new();
    for c in text.chars().map(normalize) {
        let k = class(c);
        if k != Class::Word && !word.is_empty() {
            e.unit(Unit::Word(std::mem::take(&mut word)));
        }
        match k {
            Class::Cjk => e.unit(Unit::Cjk(c)),
            Class::Word => word.push(c),
            Class::Other => e.gap(),
        }
    }
    if !word.is_empty() {
        e.unit(Unit::Word(word));
    }
    e.gap();
    e.at
}

/// A unit as [`for_each_run`] hands it over: a Han (kana, hangul) character, or a normalised
/// word as the byte range `start..end` of the run's word text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunUnit {
    Cjk(char),
    Word(u32, u32),
}

/// Calls `f` with each run of adjacent units of `text` (what stands between two separators),
/// the text its words' ranges point into, and its first unit's position. Positions are those
/// of [`for_each_index_term`], and so is the value returned: the index reads a text run by run
/// to look a triple up before the pair and unit it starts (a repeated triple means they are
/// repeats too), where `for_each_index_term` hands over each unit before its pair and triple.
pub fn for_each_run(text: &str, start: u32, mut f: impl FnMut(&[RunUnit], &str, u32)) -> u32 {
    let mut units: Vec<RunUnit> = Vec::with_capacity(64);
    let mut words = String::new();
    let mut word_start: Option<usize> = None;
    let mut at = start;
    let close_word = |word_start: &mut Option<usize>, units: &mut Vec<RunUnit>, words: &str| {
        if let Some(s) = word_start.take() {
            units.push(RunUnit::Word(s as u32, words.len() as u32));
        }
    };
    for c in text.chars() {
        // A Han character needs neither normalising nor the Unicode tables.
        let (c, k) = if is_cjk_letter(c) {
            (c, Class::Cjk)
        } else {
            let c = normalize(c);
            (c, class(c))
        };
        if k == Class::Word {
            word_start.get_or_insert(words.len());
            words.push(c);
            continue;
        }
        close_word(&mut word_start, &mut units, &words);
        if k == Class::Cjk {
            units.push(RunUnit::Cjk(c));
        } else if !units.is_empty() {
            f(&units, &words, at);
            at += units.len() as u32 + 1;
            units.clear();
            words.clear();
        }
    }
    close_word(&mut word_start, &mut units, &words);
    if !units.is_empty() {
        f(&units, &words, at);
        at += units.len() as u32 + 1;
    }
    at
}

impl Term<'_> {
    pub fn to_text(self) -> String {
        match self {
            Term::Char(c) => c.to_string(),
            Term::Pair(a, b) => [a, b].iter().collect(),
            Term::Triple(a, b, c) => [a, b, c].iter().collect(),
            Term::Word(w) | Term::Joint(w, _) => w.to_string(),
        }
    }
}

/// The distinct terms of a text, sorted: words, single characters and pairs.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for_each_index_term(text, 0, |t, _| terms.push(t.to_text()));
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// A query's phrases: what is written together, as units (Han characters and words), split
/// where anything else stands. `市政协 2024年` → `[[市, 政, 协], [2024, 年]]`.
pub fn query_phrases(query: &str) -> Vec<Vec<String>> {
    let mut phrases: Vec<Vec<String>> = Vec::new();
    let mut units: Vec<(u32, String)> = Vec::new();
    for_each_index_term(query, 0, |t, at| {
        if let Term::Char(_) | Term::Word(_) = t {
            units.push((at, t.to_text()));
        }
    });
    let mut last: Option<u32> = None;
    for (at, unit) in units {
        match (last, phrases.last_mut()) {
            (Some(l), Some(phrase)) if at == l + 1 => phrase.push(unit),
            _ => phrases.push(vec![unit]),
        }
        last = Some(at);
    }
    phrases
}

/// The terms looked up for one phrase, each with its offset in the phrase: its unit when it
/// has one, its pair when two, its triple when three; from four units on, triples every three
/// units from the start and the last one, whose positions must line up
/// (`[政, 协, 委, 员]` → `政协委`@0, `协委员`@1).
pub fn phrase_terms(phrase: &[String]) -> Vec<(String, u32)> {
    let n = phrase.len();
    let group = |i: usize, len: usize| (phrase[i..i + len].concat(), i as u32);
    match n {
        0 => Vec::new(),
        1..=3 => vec![group(0, n)],
        _ => {
            let mut starts: Vec<usize> = (0..=n - 3).step_by(3).collect();
            if starts.last() != Some(&(n - 3)) {
                starts.push(n - 3);
            }
            starts.into_iter().map(|i| group(i, 3)).collect()
        }
    }
}

/// Whether a phrase needs positions to be proven: four units or more.
pub fn needs_positions(phrase: &[String]) -> bool {
    phrase.len() >= 4
}

/// Every term a query looks up, distinct and sorted.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = query_phrases(query)
        .iter()
        .flat_map(|p| phrase_terms(p).into_iter().map(|(t, _)| t))
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positioned(text: &str) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        for_each_index_term(text, 0, |t, at| out.push((t.to_text(), at)));
        out
    }

    #[test]
    fn units_are_counted_and_separators_leave_a_gap() {
        let terms = positioned("2024年CPPCC全会，政协");
        let at = |t: &str| {
            terms
                .iter()
                .filter(|(x, _)| x == t)
                .map(|(_, a)| *a)
                .collect::<Vec<_>>()
        };
        assert_eq!(at("2024"), [0]);
        assert_eq!(at("2024年"), [0]);
        assert_eq!(at("2024年cppcc"), [0]);
        assert_eq!(at("cppcc全会"), [2]);
        assert_eq!(at("年"), [1]);
        assert_eq!(at("年cppcc"), [1]);
        assert_eq!(at("cppcc"), [2]);
        assert_eq!(at("cppcc全"), [2]);
        assert_eq!(at("全会"), [3]);
        // ， leaves a gap: 会 at 4, 政 at 6, and no pair 会政.
        assert_eq!(at("政协"), [6]);
        assert!(at("会政").is_empty());
        assert_eq!(for_each_index_term("政协", 10, |_, _| {}), 13);
    }

    #[test]
    fn phrases_are_split_where_something_else_stands() {
        assert_eq!(
            query_phrases("市政协 2024年"),
            [vec!["市", "政", "协"], vec!["2024", "年"]]
        );
        assert_eq!(query_terms("政协委员"), ["协委员", "政协委"]);
        assert_eq!(query_terms("2024年"), ["2024年"]);
        assert_eq!(query_terms("市政协"), ["市政协"]);
        assert_eq!(query_terms("协"), ["协"]);
        let terms = phrase_terms(&query_phrases("青山区政协委员会")[0]);
        assert_eq!(
            terms,
            [
                ("青山区".to_string(), 0),
                ("政协委".to_string(), 3),
                ("委员会".to_string(), 5)
            ]
        );
        assert!(!needs_positions(&query_phrases("市政协")[0]));
        assert!(needs_positions(&query_phrases("政协委员")[0]));
    }
}
