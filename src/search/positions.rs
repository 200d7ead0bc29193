//! Where each triple stands in each page, as one compact string per triple: what lets a
//! phrase query of four units or more match only pages holding the phrase as written.
//!
//! Format: for each page holding the term, in id order: the id's distance from the previous
//! id (the first counted from -1) minus one, the number of positions minus one, then each
//! position's distance from the previous (the first from -1) minus one. Each number is a
//! base-32 varint written with a URL-safe alphabet: `A`–`Z`, `a`–`f` end a number (values
//! 0–31), `g`–`z`, `0`–`9`, `-`, `_` carry 5 bits and continue. `search.js` decodes the same.

/// The 64 digits: the first 32 end a number, the last 32 continue it.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Where encoded positions are appended: a `String`, or the small inline buffer the index
/// keeps while it grows (most triples of a large site stand in one page, in a few digits).
pub trait Digits {
    /// Appends one of `DIGITS`.
    fn push_digit(&mut self, digit: u8);
}

impl Digits for String {
    fn push_digit(&mut self, digit: u8) {
        self.push(char::from(digit));
    }
}

impl Digits for Vec<u8> {
    fn push_digit(&mut self, digit: u8) {
        self.push(digit);
    }
}

impl<A: smallvec::Array<Item = u8>> Digits for smallvec::SmallVec<A> {
    fn push_digit(&mut self, digit: u8) {
        self.push(digit);
    }
}

/// Appends `n`, least significant 5 bits first.
pub fn push_varint(out: &mut impl Digits, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push_digit(DIGITS[low]);
            return;
        }
        out.push_digit(DIGITS[32 + low]);
    }
}

/// Appends one page's positions (ascending, distinct) for a term whose previous page was
/// `previous` (`None` for the first).
pub fn push_page(
    out: &mut impl Digits,
    previous: Option<u32>,
    id: u32,
    positions: impl ExactSizeIterator<Item = u32>,
) {
    let gap = match previous {
        Some(p) => id - p - 1,
        None => id,
    };
    push_varint(out, gap);
    push_varint(out, positions.len().saturating_sub(1) as u32);
    let mut last: Option<u32> = None;
    for at in positions {
        push_varint(out, last.map_or(at, |l| at - l - 1));
        last = Some(at);
    }
}

/// Reads a term's string back: (page id, positions) in id order. `None` when malformed.
pub fn decode(s: &str) -> Option<Vec<(u32, Vec<u32>)>> {
    let mut numbers = Numbers {
        bytes: s.as_bytes(),
    };
    let mut out = Vec::new();
    let mut id: Option<u32> = None;
    while !numbers.bytes.is_empty() {
        let gap = numbers.next()?;
        let this = match id {
            Some(p) => p.checked_add(gap)?.checked_add(1)?,
            None => gap,
        };
        let count = numbers.next()?.checked_add(1)?;
        let mut positions = Vec::with_capacity(count.min(1 << 16) as usize);
        let mut last: Option<u32> = None;
        for _ in 0..count {
            let d = numbers.next()?;
            let at = match last {
                Some(l) => l.checked_add(d)?.checked_add(1)?,
                None => d,
            };
            positions.push(at);
            last = Some(at);
        }
        out.push((this, positions));
        id = Some(this);
    }
    Some(out)
}

/// Encodes (page id, positions) lists, ids ascending.
pub fn encode(pages: &[(u32, Vec<u32>)]) -> String {
    let mut out = String::new();
    let mut previous = None;
    for (id, positions) in pages {
        push_page(&mut out, previous, *id, positions.iter().copied());
        previous = Some(*id);
    }
    out
}

/// The pages of an encoded string, each with its first position, in id order. Stops at the
/// first malformed number; reads no more than it needs (the other positions are skipped).
pub fn first_positions(s: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut numbers = Numbers { bytes: s };
    let mut id: Option<u32> = None;
    std::iter::from_fn(move || {
        if numbers.bytes.is_empty() {
            return None;
        }
        let gap = numbers.next()?;
        let this = match id {
            Some(p) => p.checked_add(gap)?.checked_add(1)?,
            None => gap,
        };
        let more = numbers.next()?;
        let first = numbers.next()?;
        numbers.skip(more)?;
        id = Some(this);
        Some((this, first))
    })
}

/// The first number of an encoded string, and the digits after it. `None` when malformed.
pub fn split_first(s: &[u8]) -> Option<(u32, &[u8])> {
    let mut numbers = Numbers { bytes: s };
    let n = numbers.next()?;
    Some((n, numbers.bytes))
}

/// Each byte's digit value (0–63), or [`NO_DIGIT`].
const VALUES: [u8; 256] = {
    let mut table = [NO_DIGIT; 256];
    let mut i = 0;
    while i < DIGITS.len() {
        table[DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const NO_DIGIT: u8 = 255;

struct Numbers<'a> {
    bytes: &'a [u8],
}

impl Numbers<'_> {
    fn next(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        let mut shift = 0u32;
        loop {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            let digit = u32::from(VALUES[usize::from(b)]);
            if digit == u32::from(NO_DIGIT) {
                return None;
            }
            let value = digit & 31;
            n |= value.checked_shl(shift).filter(|_| shift < 32)?;
            if digit < 32 {
                return Some(n);
            }
            shift += 5;
        }
    }

    /// Skips `count` numbers, without reading their values.
    fn skip(&mut self, mut count: u32) -> Option<()> {
        while count > 0 {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            match VALUES[usize::from(b)] {
                NO_DIGIT => return None,
                v if v < 32 => count -= 1,
                _ => {}
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        let pages = vec![
            (0, vec![0]),
            (3, vec![5, 6, 300, 70_000]),
            (1_000_000, vec![u32::MAX - 1, u32::MAX]),
        ];
        let s = encode(&pages);
        assert!(s.bytes().all(|b| DIGITS.contains(&b)));
        assert_eq!(decode(&s).unwrap(), pages);
        let firsts: Vec<(u32, u32)> = first_positions(s.as_bytes()).collect();
        assert_eq!(firsts, [(0, 0), (3, 5), (1_000_000, u32::MAX - 1)]);
        assert_eq!(decode("").unwrap(), Vec::new());
        assert!(decode("g").is_none(), "a number cut short");
        assert!(decode("!").is_none());
    }

    #[test]
    fn small_numbers_take_one_character() {
        let mut s = String::new();
        for n in [0, 31, 32, 1023, 1024] {
            push_varint(&mut s, n);
        }
        assert_eq!(s, "AfgB_fggB");
    }
}
