//! PDF date strings (`D:YYYYMMDDHHmmSS+HH'mm'`) to and from `chrono` UTC times.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Formats a UTC time as a PDF date, e.g. `D:20250301120000+00'00'`.
pub(crate) fn format(time: DateTime<Utc>) -> String {
    format!("D:{}+00'00'", time.format("%Y%m%d%H%M%S"))
}

/// Parses a PDF date; missing fields default as the PDF spec says (month/day 1, time 0, UTC).
pub(crate) fn parse(value: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(value).ok()?.trim();
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let field = |from: usize, len: usize, default: u32| -> Option<u32> {
        match digits.get(from..from + len) {
            Some(s) => s.parse().ok(),
            None => Some(default),
        }
    };
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, field(4, 2, 1)?, field(6, 2, 1)?)?;
    let naive = date.and_hms_opt(field(8, 2, 0)?, field(10, 2, 0)?, field(12, 2, 0)?)?;
    let rest = &text[digits.len()..];
    let offset_seconds = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i32> = rest[1..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            let seconds =
                nums.first().copied().unwrap_or(0) * 3600 + nums.get(1).copied().unwrap_or(0) * 60;
            if sign == '-' { -seconds } else { seconds }
        }
        _ => 0,
    };
    let offset = FixedOffset::east_opt(offset_seconds)?;
    let local = offset.from_local_datetime(&naive).single()?;
    Some(local.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formatted_date_parses_back_to_the_same_time() {
        let t = Utc
            .with_ymd_and_hms(2025, 3, 1, 12, 30, 5)
            .single()
            .unwrap();
        assert_eq!(parse(format(t).as_bytes()), Some(t));
        assert_eq!(
            parse(b"D:20250301133005+01'00'"),
            Some(t),
            "an offset is applied"
        );
        assert_eq!(parse(b"garbage"), None);
    }
}
