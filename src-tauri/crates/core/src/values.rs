//! Write-in values checked against their field's kind (date, time, date-time, number with unit,
//! person, text) before they are stored or printed, with a message that says what to type.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

use crate::model::{Field, FieldKind};

/// Longest write-in value accepted (a pasted log belongs in a note).
pub const MAX_VALUE_CHARS: usize = 2_000;

/// Checks `value` for `field`; `Ok` for an empty value (it clears the field). The message names
/// the field's kind and the format to use, e.g. "“1.8 GB” is not a date and time: write it as
/// YYYY-MM-DD HH:MM, e.g. 2026-12-01 02:30".
pub fn check_value(field: &Field, value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(());
    }
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(format!(
            "a write-in holds at most {MAX_VALUE_CHARS} characters: put longer text in a note"
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err("a write-in is one line: put longer text in a note".to_string());
    }
    let refused = |what: &str, how: &str| Err(format!("“{trimmed}” is not {what}: {how}"));
    match field.kind {
        FieldKind::Text | FieldKind::Person => Ok(()),
        FieldKind::Number if is_number(trimmed, field.unit.as_deref()) => Ok(()),
        FieldKind::Number => refused(
            "a number",
            &match field.unit.as_deref() {
                Some(unit) => {
                    format!("write digits only, e.g. 250 (the unit, {unit}, is printed beside it)")
                }
                None => "write digits only, e.g. 250 or 99.5".to_string(),
            },
        ),
        FieldKind::Date if is_date(trimmed) => Ok(()),
        FieldKind::Date => refused("a date", "write it as YYYY-MM-DD, e.g. 2026-12-01"),
        FieldKind::Time if is_time(trimmed) => Ok(()),
        FieldKind::Time => refused("a time", "write it as HH:MM (24-hour), e.g. 02:30"),
        FieldKind::DateTime if is_date_time(trimmed) => Ok(()),
        FieldKind::DateTime => refused(
            "a date and time",
            "write it as YYYY-MM-DD HH:MM, e.g. 2026-12-01 02:30",
        ),
    }
}

/// A decimal number (`250`, `-3`, `99.5`, `1,234.5`), optionally followed by the field's own unit
/// (`250 ms` in a field whose unit is `ms`).
fn is_number(text: &str, unit: Option<&str>) -> bool {
    let number = match unit.and_then(|u| text.strip_suffix(u.trim())) {
        Some(rest) if !unit.is_some_and(|u| u.trim().is_empty()) => rest.trim_end(),
        _ => text,
    };
    let digits = number.strip_prefix(['-', '+']).unwrap_or(number);
    let mut seen_digit = false;
    let mut seen_point = false;
    for c in digits.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_point => seen_point = true,
            ',' if !seen_point && seen_digit => {}
            _ => return false,
        }
    }
    seen_digit && !digits.ends_with(['.', ','])
}

fn is_date(text: &str) -> bool {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

fn is_time(text: &str) -> bool {
    ["%H:%M", "%H:%M:%S"]
        .iter()
        .any(|f| NaiveTime::parse_from_str(text, f).is_ok())
}

fn is_date_time(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
        || [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
        ]
        .iter()
        .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok())
        || ["%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M %Z"]
            .iter()
            .any(|f| DateTime::parse_from_str(text, f).is_ok())
        || text
            .rsplit_once(' ')
            .is_some_and(|(local, zone)| is_date_time(local) && is_zone_name(zone))
}

/// `UTC`, `CET`, `PST`, ... : a time zone abbreviation typed after the time.
fn is_zone_name(text: &str) -> bool {
    (2..=5).contains(&text.len()) && text.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind, unit: Option<&str>) -> Field {
        Field {
            id: "f".into(),
            line: 1,
            label: "Value".into(),
            display_label: "Value".into(),
            unit: unit.map(String::from),
            kind,
        }
    }

    #[test]
    fn values_of_each_kind_are_accepted_or_refused() {
        use FieldKind::*;
        let table: &[(FieldKind, Option<&str>, &str, bool)] = &[
            (Date, None, "2026-12-01", true),
            (Date, None, "2026-02-30", false),
            (Date, None, "01/12/2026", false),
            (Date, None, "1.8 GB", false),
            (Time, None, "02:30", true),
            (Time, None, "23:59:59", true),
            (Time, None, "25:00", false),
            (Time, None, "2:30pm", false),
            (DateTime, None, "2026-12-01 02:30", true),
            (DateTime, None, "2026-12-01T02:30:00Z", true),
            (DateTime, None, "2026-12-01 02:30 UTC", true),
            (DateTime, None, "2026-12-01 02:30 +0100", true),
            (DateTime, None, "1.8 GB", false),
            (DateTime, None, "2026-12-01", false),
            (Number, Some("ms"), "250", true),
            (Number, Some("ms"), "250 ms", true),
            (Number, Some("ms"), "250ms", true),
            (Number, Some("ms"), "1.8 GB", false),
            (Number, None, "-3", true),
            (Number, None, "99.5", true),
            (Number, None, "1,234.5", true),
            (Number, None, "1.2.3", false),
            (Number, None, "12.", false),
            (Number, None, "abc", false),
            (Text, None, "anything at all", true),
            (Person, None, "Dana Release", true),
        ];
        for (kind, unit, value, ok) in table {
            let result = check_value(&field(*kind, *unit), value);
            assert_eq!(result.is_ok(), *ok, "{kind:?} {value:?}: {result:?}");
        }
    }

    #[test]
    fn an_empty_value_clears_any_field() {
        assert_eq!(check_value(&field(FieldKind::Date, None), "  "), Ok(()));
    }

    #[test]
    fn a_refusal_names_the_value_the_kind_and_the_format_to_use() {
        let message = check_value(&field(FieldKind::DateTime, None), "1.8 GB").unwrap_err();
        assert_eq!(
            message,
            "“1.8 GB” is not a date and time: write it as YYYY-MM-DD HH:MM, e.g. 2026-12-01 02:30"
        );
        let message = check_value(&field(FieldKind::Number, Some("ms")), "fast").unwrap_err();
        assert!(message.contains("the unit, ms"), "{message}");
    }

    #[test]
    fn multi_line_or_huge_values_are_refused_in_favour_of_a_note() {
        let text = field(FieldKind::Text, None);
        assert!(check_value(&text, "line one\nline two").is_err());
        assert!(check_value(&text, &"x".repeat(MAX_VALUE_CHARS + 1)).is_err());
    }
}
