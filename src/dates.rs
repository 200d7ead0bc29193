//! Dates: parsing what front matter and file names hold, and the forms SPEC shows them in.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// Parses `2024-03-01`, `2024-03-01T09:30:00`, `2024-03-01 09:30`, with or without an offset.
/// A date or datetime without an offset is read in `offset`.
///
/// Only years 0000–9999 are dates, what four digits (and TOML, and RFC 3339) hold: chrono reads
/// `+262142-12-31`, and such a date moved to another offset falls outside chrono's range, which
/// panics when the build compares it with today.
pub fn parse_datetime(raw: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    parse_any_datetime(raw, offset).filter(|dt| (0..=9999).contains(&dt.year()))
}

fn parse_any_datetime(raw: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(raw) {
        return Some(dt);
    }
    if let Ok(dt) = DateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%:z") {
        return Some(dt);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(raw, fmt) {
            return offset.from_local_datetime(&naive).single();
        }
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    start_of_day(date, offset)
}

/// 00:00 of `date` in `offset`.
pub fn start_of_day(date: NaiveDate, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    offset
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .single()
}

/// The date in a `YYYY-MM-DD-rest` file stem, and the rest.
pub fn split_date_prefix(stem: &str) -> Option<(NaiveDate, &str)> {
    if stem.len() < 11 || !stem.is_char_boundary(10) || stem.as_bytes()[10] != b'-' {
        return None;
    }
    let date = NaiveDate::parse_from_str(&stem[..10], "%Y-%m-%d").ok()?;
    Some((date, &stem[11..]))
}

/// `2019年2月25日`
pub fn format_zh(dt: &DateTime<FixedOffset>) -> String {
    format!("{}年{}月{}日", dt.year(), dt.month(), dt.day())
}

/// `星期一`
pub fn weekday_zh(dt: &DateTime<FixedOffset>) -> &'static str {
    const NAMES: [&str; 7] = [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ];
    NAMES[dt.weekday().num_days_from_monday() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn date_alone_is_midnight_in_the_configured_offset() {
        let dt = parse_datetime("2019-02-25", cst()).unwrap();
        assert_eq!(dt.to_rfc3339(), "2019-02-25T00:00:00+08:00");
        assert_eq!(format_zh(&dt), "2019年2月25日");
        assert_eq!(weekday_zh(&dt), "星期一");
    }

    #[test]
    fn explicit_offsets_are_kept() {
        let dt = parse_datetime("2024-03-05T09:30:00+00:00", cst()).unwrap();
        assert_eq!(dt.offset().local_minus_utc(), 0);
        assert!(parse_datetime("2024-13-05", cst()).is_none());
    }

    #[test]
    fn year_beyond_9999_is_not_a_date_rather_than_a_panic_in_another_offset() {
        // Found by fuzzing: UTC 23:59 on chrono's last day is a day too far at +08:00.
        assert!(parse_datetime("+262142-12-31 23:59:59+00:00", cst()).is_none());
        assert!(parse_datetime("+10000-01-01", cst()).is_none());
        assert!(parse_datetime("-0001-01-01", cst()).is_none());
        let last = parse_datetime("9999-12-31T23:59:59-14:59", cst()).unwrap();
        assert_eq!(
            last.with_timezone(&cst()).date_naive().to_string(),
            "+10000-01-01"
        );
        assert!(parse_datetime("0000-01-01", cst()).is_some());
    }

    #[test]
    fn file_name_prefix() {
        let (d, rest) = split_date_prefix("2024-03-01-quan-hui").unwrap();
        assert_eq!(d.to_string(), "2024-03-01");
        assert_eq!(rest, "quan-hui");
        assert!(split_date_prefix("2024-3-1-x").is_none());
        assert!(split_date_prefix("会议纪要会议纪要").is_none());
    }
}
