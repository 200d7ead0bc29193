//! Personal data that must not be published: 18-digit resident ID numbers (身份证号) with a
//! valid check digit, and mainland mobile numbers.

use std::sync::LazyLock;

use regex::Regex;

/// A run of 17 digits and a digit or X, not inside a longer number.
static ID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])([1-9][0-9]{16}[0-9Xx])(?:[^0-9Xx]|$)").expect("valid regex")
});
/// 1[3-9] and nine more digits, optionally grouped 3-4-4 with spaces or hyphens, alone or right
/// after the country code (`+8613812345678`, `008613812345678`).
static MOBILE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9]|\+86|(?:^|[^0-9])0086)(1[3-9][0-9](?:[- ]?[0-9]{4}){2})(?:[^0-9]|$)")
        .expect("valid regex")
});

/// What was found: its kind and byte range.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    pub id_number: bool,
    pub start: usize,
    pub end: usize,
}

/// GB 11643: weights of the first 17 digits and the check character for each remainder.
fn id_check_digit_valid(id: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = id.as_bytes();
    let sum: u32 = WEIGHTS
        .iter()
        .zip(bytes)
        .map(|(w, b)| w * u32::from(b - b'0'))
        .sum();
    bytes[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

/// Whether `text` holds 11 digits or more in a row, counting across single spaces or hyphens
/// (as a mobile number may be grouped): both patterns need that much.
fn has_long_number(text: &str) -> bool {
    let mut digits = 0;
    let mut after_separator = false;
    for b in text.bytes() {
        if b.is_ascii_digit() {
            digits += 1;
            after_separator = false;
            if digits >= 11 {
                return true;
            }
        } else if (b == b' ' || b == b'-') && digits > 0 && !after_separator {
            after_separator = true;
        } else {
            digits = 0;
            after_separator = false;
        }
    }
    false
}

/// Every ID number with a valid check digit and every mobile number in `text`, also when
/// typed with full-width digits (`１３８…`, an input method's full-width mode), a full-width
/// `Ｘ` or full-width hyphens: ranges are always `text`'s own.
pub fn find(text: &str) -> Vec<Found> {
    match half_width(text) {
        None => find_ascii(text),
        Some((folded, starts)) => {
            let mut found = find_ascii(&folded);
            // `starts` has one more entry than `folded` has bytes: the end of `text`.
            for f in &mut found {
                f.start = starts[f.start];
                f.end = starts[f.end];
            }
            found
        }
    }
}

/// `text` with full-width digits, `Ｘ`, `ｘ` and `－` made half-width, and where each of its
/// bytes starts in `text` (plus the end of `text`); `None` when it has none of them.
fn half_width(text: &str) -> Option<(String, Vec<usize>)> {
    // Each of them is U+FF0D…U+FF58, three bytes from 0xEF: looked for by their bytes, since
    // Chinese text is full of other U+FFxx (，：；！（）).
    let bytes = text.as_bytes();
    let is_folded = |i: usize| match bytes.get(i + 1..i + 3) {
        Some([0xBC, b]) => matches!(b, 0x90..=0x99 | 0xB8 | 0x8D),
        Some([0xBD, b]) => *b == 0x98,
        _ => false,
    };
    if !memchr::memchr_iter(0xEF, bytes).any(is_folded) {
        return None;
    }
    let mut folded = String::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let c = fold(c).unwrap_or(c);
        folded.push(c);
        starts.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    starts.push(text.len());
    Some((folded, starts))
}

/// The half-width twin of a full-width digit, `Ｘ`, `ｘ` or `－`.
fn fold(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ｘ' | 'ｘ' | '－' => char::from_u32(u32::from(c) - 0xFEE0),
        _ => None,
    }
}

fn find_ascii(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Both need a number of 11 digits or more: most texts are passed over without running
    // either pattern.
    if !has_long_number(text) {
        return out;
    }
    let mut at = 0;
    while let Some(c) = ID_RE.captures_at(text, at) {
        let m = c.get(1).expect("group 1");
        if id_check_digit_valid(m.as_str()) {
            out.push(Found {
                id_number: true,
                start: m.start(),
                end: m.end(),
            });
        }
        at = m.end();
    }
    let mut at = 0;
    while let Some(c) = MOBILE_RE.captures_at(text, at) {
        let m = c.get(1).expect("group 1");
        let inside_id = out.iter().any(|f| f.start <= m.start() && m.end() <= f.end);
        if !inside_id {
            out.push(Found {
                id_number: false,
                start: m.start(),
                end: m.end(),
            });
        }
        at = m.end();
    }
    out.sort_by_key(|f| f.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_need_a_valid_check_digit() {
        // 11010519491231002X is the standard's own example of a valid number.
        let f = find("身份证号11010519491231002X。");
        assert_eq!(f.len(), 1);
        assert!(f[0].id_number);
        assert!(
            find("编号110105194912310021").is_empty(),
            "wrong check digit"
        );
        assert!(
            find("1101051949123100211").is_empty(),
            "19 digits is no ID number"
        );
    }

    #[test]
    fn mobile_numbers() {
        assert_eq!(find("电话13812345678").len(), 1);
        // Right after the country code; the range is the number's own.
        for text in ["手机+8613812345679", "手机008613812345679"] {
            let found = find(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(&text[found[0].start..found[0].end], "13812345679");
        }
        assert!(find("编号2286138123456790").is_empty());
        assert_eq!(find("电话 138-1234-5678 ").len(), 1);
        assert!(find("座机0000-00000000").is_empty());
        assert!(
            find("编号213812345678").is_empty(),
            "inside a longer number"
        );
        assert!(find("12812345678").is_empty(), "12x is no mobile prefix");
    }

    #[test]
    fn full_width_digits_are_found_with_their_own_range() {
        let text = "联系人：张三，手机１３８１２３４５６７８，身份证１１０１０５１９４９１２３１００２Ｘ。";
        let f = find(text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(&text[f[0].start..f[0].end], "１３８１２３４５６７８");
        assert!(!f[0].id_number);
        assert_eq!(
            &text[f[1].start..f[1].end],
            "１１０１０５１９４９１２３１００２Ｘ"
        );
        assert!(f[1].id_number);
        let grouped = "电话 １３８－１２３４－５６７８";
        let f = find(grouped);
        assert_eq!(&grouped[f[0].start..f[0].end], "１３８－１２３４－５６７８");
        // Mixed widths are still one number, and a wrong check digit still no ID number.
        assert_eq!(find("手机138１２３４5678").len(), 1);
        assert!(find("编号１１０１０５１９４９１２３１００２１").is_empty());
    }

    #[test]
    fn the_byte_test_finds_exactly_the_characters_folded() {
        for c in ('\u{FF00}'..='\u{FFEF}').chain(['，', '。', '０']) {
            let text = format!("甲{c}乙");
            assert_eq!(
                half_width(&text).is_some(),
                fold(c).is_some(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn only_a_long_number_lets_the_patterns_run() {
        // Dates and counts add up to far more than 11 digits, but none is a long number.
        assert!(!has_long_number(
            "2024年10月31日，第12届第3次会议，到会委员215人，2025-01-02"
        ));
        assert!(
            !has_long_number("电话 138 - 1234 5678"),
            "two separators in a row"
        );
        assert!(has_long_number("电话 138 1234 5678"));
        assert!(has_long_number("138-1234-5678"));
        // Whatever the patterns find, the test lets through.
        for text in [
            "身份证号11010519491231002X。",
            "电话13812345678",
            "电话 138-1234-5678 ",
            "tel 139 8765 4321 end",
        ] {
            assert!(!find(text).is_empty(), "{text}");
            assert!(has_long_number(text), "{text}");
        }
    }
}
