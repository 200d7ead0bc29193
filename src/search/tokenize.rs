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

/// Runs of one class, normalised: (class, characters).
fn runs(text: &str) -> Vec<(Class, Vec<char>)> {
    let mut out: Vec<(Class, Vec<char>)> = Vec::new();
    for c in text.chars().map(normalize) {
        let k = class(c);
        match out.last_mut() {
            Some((last, chars)) if *last == k && k != Class::Other => chars.push(c),
            _ if k == Class::Other => {
                if out.last().is_some_and(|(l, _)| *l != Class::Other) {
                    out.push((Class::Other, Vec::new()));
                }
            }
            _ => out.push((k, vec![c])),
        }
    }
    out.retain(|(k, _)| *k != Class::Other);
    out
}

/// One index term, borrowed where it can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term<'a> {
    /// A single Han (kana, hangul) character.
    Char(char),
    /// Two consecutive ones.
    Pair(char, char),
    /// A normalised run of letters or digits.
    Word(&'a str),
}

/// Calls `f` with every index term of `text` (repeats included), allocating nothing per term:
/// the streaming form of [`index_terms`], for building large indexes.
pub fn for_each_index_term(text: &str, mut f: impl FnMut(Term)) {
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    for c in text.chars().map(normalize) {
        match class(c) {
            Class::Cjk => {
                if !word.is_empty() {
                    f(Term::Word(&word));
                    word.clear();
                }
                f(Term::Char(c));
                if let Some(p) = prev_cjk {
                    f(Term::Pair(p, c));
                }
                prev_cjk = Some(c);
            }
            Class::Word => {
                prev_cjk = None;
                word.push(c);
            }
            Class::Other => {
                prev_cjk = None;
                if !word.is_empty() {
                    f(Term::Word(&word));
                    word.clear();
                }
            }
        }
    }
    if !word.is_empty() {
        f(Term::Word(&word));
    }
}

impl Term<'_> {
    pub fn to_text(self) -> String {
        match self {
            Term::Char(c) => c.to_string(),
            Term::Pair(a, b) => [a, b].iter().collect(),
            Term::Word(w) => w.to_string(),
        }
    }
}

/// The distinct terms of a text, sorted: words, Chinese bigrams and single characters.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for (k, chars) in runs(text) {
        match k {
            Class::Word => terms.push(chars.iter().collect()),
            Class::Cjk => {
                for w in chars.windows(2) {
                    terms.push(w.iter().collect());
                }
                terms.extend(chars.iter().map(|c| c.to_string()));
            }
            Class::Other => {}
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The terms a page must all hold to match a query.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for (k, chars) in runs(query) {
        match (k, chars.len()) {
            (Class::Word, _) | (Class::Cjk, 1) => terms.push(chars.iter().collect()),
            (Class::Cjk, _) => terms.extend(chars.windows(2).map(|w| w.iter().collect())),
            (Class::Other, _) => {}
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_terms_equal_the_collected_ones() {
        let text = "2024年CPPCC全会，政协委员ＡＢ履职";
        let mut streamed: Vec<String> = Vec::new();
        for_each_index_term(text, |t| streamed.push(t.to_text()));
        streamed.sort();
        streamed.dedup();
        assert_eq!(streamed, index_terms(text));
    }
}
