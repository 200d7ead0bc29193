//! Dates: parsing what front matter and file names hold, and the forms SPEC shows them in.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};

/// Parses a date as staff type it, and returns it in the site's `offset`, the zone every date
/// is shown in.
///
/// Accepted: RFC 3339 (`2024-03-05T09:30:00+08:00`), and `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D` or
/// `YYYY年M月D日`, each optionally followed by a time (`9:30`, `09:30:15`, `9时30分`, after a
/// space or `T`) and an offset (`Z`, `+08:00`, `+0800`). A date or time without an offset is
/// read in `offset`.
///
/// Only years 0000–9999 are dates, what four digits (and TOML, and RFC 3339) hold: chrono reads
/// `+262142-12-31`, and such a date moved to another offset falls outside chrono's range, which
/// panics when the build compares it with today.
pub fn parse_datetime(raw: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    let dt = match DateTime::parse_from_rfc3339(raw) {
        Ok(dt) => dt,
        Err(_) => parse_typed(raw, offset)?,
    };
    let year = dt.year();
    let local = (0..=9999)
        .contains(&year)
        .then(|| dt.with_timezone(&offset))?;
    (0..=9999).contains(&local.year()).then_some(local)
}

/// The forms people type; see [`parse_datetime`].
fn parse_typed(raw: &str, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    static FORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        // `[0-9]`, not `\d`: `\d` takes any Unicode digit (２, ٨), which `parse` and
        // `parse_zone` cannot read.
        regex::Regex::new(concat!(
            r"^([0-9]{4})(?:-|/|\.|年)([0-9]{1,2})(?:-|/|\.|月)([0-9]{1,2})日?",
            r"(?:(?:T|\s+|\s*)([0-9]{1,2})(?::|：|时)([0-9]{1,2})分?(?:(?::|：)([0-9]{1,2}(?:\.[0-9]+)?)|([0-9]{1,2})秒)?)?",
            r"\s*(Z|[+-][0-9]{2}:?[0-9]{2})?$",
        ))
        .expect("valid regex")
    });
    let c = FORM.captures(raw)?;
    let num = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    let hour = num(4).flatten().unwrap_or(0);
    let minute = num(5).flatten().unwrap_or(0);
    let second = c
        .get(6)
        .map(|m| m.as_str().split('.').next().unwrap_or("0"))
        .or(c.get(7).map(|m| m.as_str()))
        .map_or(Some(0), |s| s.parse::<u32>().ok())?;
    let naive = date.and_hms_opt(hour, minute, second)?;
    let zone = match c.get(8).map(|m| m.as_str()) {
        None => offset,
        Some("Z") => FixedOffset::east_opt(0)?,
        Some(z) => parse_zone(z)?,
    };
    zone.from_local_datetime(&naive).single()
}

/// `+08:00` or `+0800`.
fn parse_zone(z: &str) -> Option<FixedOffset> {
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
    let (h, m) = digits.split_at(2);
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
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
    fn dates_are_shown_in_the_site_offset() {
        let dt = parse_datetime("2026-05-17T15:00:00-07:00", cst()).unwrap();
        assert_eq!(dt.to_rfc3339(), "2026-05-18T06:00:00+08:00");
        assert_eq!(format_zh(&dt), "2026年5月18日");
        assert!(parse_datetime("2024-13-05", cst()).is_none());
    }

    #[test]
    fn the_forms_staff_type_are_dates() {
        for (raw, want) in [
            ("2024-3-5", "2024-03-05T00:00:00+08:00"),
            ("2024/3/5", "2024-03-05T00:00:00+08:00"),
            ("2024.3.5", "2024-03-05T00:00:00+08:00"),
            ("2024年3月5日", "2024-03-05T00:00:00+08:00"),
            ("2024年3月5日 9:30", "2024-03-05T09:30:00+08:00"),
            ("2024年3月5日9时30分", "2024-03-05T09:30:00+08:00"),
            ("2024/03/05 09:30:15", "2024-03-05T09:30:15+08:00"),
            ("2024-03-05T09:30", "2024-03-05T09:30:00+08:00"),
            ("2024-03-05 09:30:00+08:00", "2024-03-05T09:30:00+08:00"),
            ("2024-03-05T01:30:00Z", "2024-03-05T09:30:00+08:00"),
            ("2024-03-05 01:30 +0000", "2024-03-05T09:30:00+08:00"),
        ] {
            let dt = parse_datetime(raw, cst()).unwrap_or_else(|| panic!("{raw}"));
            assert_eq!(dt.to_rfc3339(), want, "{raw}");
        }
        for bad in [
            "2024-2-30",
            "2024年13月1日",
            "24-3-5",
            "2024-3",
            "3月5日",
            "2024-03-05 25:00",
        ] {
            assert!(parse_datetime(bad, cst()).is_none(), "{bad}");
        }
    }

    #[test]
    fn digits_other_than_ascii_are_not_a_date_rather_than_a_panic() {
        // Found by fuzzing: `-２０２４` read as an offset left `parse_zone` no digits to split.
        for raw in [
            "2019-02-25-２０２４",
            "2024-03-05 09:30+٠٨:٠٠",
            "２０２４年３月５日",
            "2024-03-05 ０9:30",
        ] {
            assert!(parse_datetime(raw, cst()).is_none(), "{raw}");
        }
    }

    #[test]
    fn year_beyond_9999_is_not_a_date_rather_than_a_panic_in_another_offset() {
        // Found by fuzzing: UTC 23:59 on chrono's last day is a day too far at +08:00.
        assert!(parse_datetime("+262142-12-31 23:59:59+00:00", cst()).is_none());
        assert!(parse_datetime("+10000-01-01", cst()).is_none());
        assert!(parse_datetime("-0001-01-01", cst()).is_none());
        // Shown at +08:00 it would be in year 10000.
        assert!(parse_datetime("9999-12-31T23:59:59-14:59", cst()).is_none());
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
