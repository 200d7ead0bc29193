//! Cutting text into search terms. `themes/default/static/tongxin/search.js` mirrors `query_terms`
//! exactly; change both together.

use crate::markdown::cjk::is_cjk_letter;

/// Full-width ASCII to half-width, upper to lower case.
fn normalize(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
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
