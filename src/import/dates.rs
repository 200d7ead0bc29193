//! Dates as documents write them: SPEC's forms (`2026年11月20日`, `2026-11-20`), full-width
//! digits, and the Chinese numerals of a 公文's 落款 (`二〇二六年十一月二十日`). A text in one of
//! these forms whose day does not exist (`2026-11-31`) is told apart from one that is no date.

use chrono::{FixedOffset, NaiveDate};

/// What a text that is only a date holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateText {
    /// A day of the calendar.
    Day(NaiveDate),
    /// A date's form, but no such day (`2026-11-31`, `二〇二六年二月三十日`).
    NoSuchDay,
}

/// `text` read as a date alone (a final `。` allowed); `None` when it is not one.
pub fn parse(text: &str, offset: FixedOffset) -> Option<DateText> {
    let t = text.trim().trim_end_matches(['。', '.']);
    if let Some(d) = crate::dates::parse_datetime(t, offset) {
        return Some(DateText::Day(d.date_naive()));
    }
    let (y, m, d) = numeric(t).or_else(|| chinese(t))?;
    Some(match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => DateText::Day(day),
        None => DateText::NoSuchDay,
    })
}

/// `2026-11-31`, `2026/2/30`, `２０２６年１１月２０日`: year, month and day as written.
fn numeric(t: &str) -> Option<(i32, u32, u32)> {
    static FORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^([0-9]{4})(?:-|/|\.|年)([0-9]{1,2})(?:-|/|\.|月)([0-9]{1,2})日?$")
            .expect("valid regex")
    });
    let ascii: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    let c = FORM.captures(&ascii)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?))
}

/// `二〇二六年十一月二十日` (`○`, `零` or `O` for zero in the year).
fn chinese(t: &str) -> Option<(i32, u32, u32)> {
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let (year, rest) = compact.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('号'))?;
    if year.chars().count() != 4 {
        return None;
    }
    let mut y = 0;
    for c in year.chars() {
        y = y * 10 + digit(c)?;
    }
    Some((i32::try_from(y).ok()?, small(month)?, small(day)?))
}

fn digit(c: char) -> Option<u32> {
    match c {
        '〇' | '○' | '零' | 'O' | 'o' => Some(0),
        c => "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1),
    }
}

/// `一` … `九`, `十`, `十一`, `二十`, `三十一`: a month or a day.
fn small(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d != '十' => digit(*d).filter(|&n| n > 0),
        ['十'] => Some(10),
        ['十', o] => Some(10 + digit(*o)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', o] => Some(digit(*t)? * 10 + digit(*o)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<DateText> {
        NaiveDate::from_ymd_opt(y, m, d).map(DateText::Day)
    }

    #[test]
    fn dates_in_chinese_numerals_and_full_width_digits() {
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        let p = |t: &str| parse(t, offset);
        assert_eq!(p("二〇二六年十一月二十日"), day(2026, 11, 20));
        assert_eq!(p("二○二六年一月三十一日"), day(2026, 1, 31));
        assert_eq!(p("二零二六年十月九日"), day(2026, 10, 9));
        assert_eq!(p("2026年11月20日"), day(2026, 11, 20));
        assert_eq!(p("２０２６年１１月２０日"), day(2026, 11, 20));
        assert_eq!(p("2026-11-31"), Some(DateText::NoSuchDay));
        assert_eq!(p("二〇二六年二月三十日"), Some(DateText::NoSuchDay));
        assert_eq!(p("2026年13月1日"), Some(DateText::NoSuchDay));
        for not_a_date in [
            "十一月二十日",
            "二〇二六年",
            "政协青山区委员会",
            "2026年11月",
            "一二年三月四日",
        ] {
            assert_eq!(p(not_a_date), None, "{not_a_date}");
        }
    }
}
