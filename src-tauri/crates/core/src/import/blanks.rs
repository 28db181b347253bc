//! Write-in blanks (`____`): where they are on a line, their labels, units and value kinds.

use std::ops::Range;

use super::markup::{Reading, squash_spaces};
use crate::model::FieldKind;

/// Shortest underscore run that counts as a write-in blank.
const MIN_BLANK: usize = 3;

/// Words that may follow a blank as its unit, longest first within each prefix family.
/// Every one of them measures or counts something, so a field with a unit is a number.
const UNITS: &[&str] = &[
    "affected users",
    "requests/s",
    "req/s",
    "ops/s",
    "milliseconds",
    "ms",
    "seconds",
    "secs",
    "sec",
    "s",
    "minutes",
    "mins",
    "min",
    "hours",
    "hrs",
    "hr",
    "h",
    "days",
    "weeks",
    "percent",
    "%",
    "kib",
    "mib",
    "gib",
    "tib",
    "kb",
    "mb",
    "gb",
    "tb",
    "kbps",
    "mbps",
    "gbps",
    "rps",
    "qps",
    "rpm",
    "users",
    "critical",
    "major",
    "minor",
    "errors",
    "issues",
    "nodes",
    "pods",
    "replicas",
    "instances",
    "connections",
    "requests",
    "rows",
    "records",
    "files",
    "tests",
    "items",
    "x",
    "°c",
];

/// Words joining two blanks of one range (`Window: ____ to ____`).
const CONNECTORS: &[&str] = &["to", "until", "through", "and", "-", "–", "—"];

/// A write-in blank recognised on a line, before it gets an id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldSpec {
    pub label: String,
    pub unit: Option<String>,
    pub kind: FieldKind,
}

/// Byte ranges of the underscore runs of 3 or more on a line.
pub(crate) fn blank_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'_' {
            let run = bytes[index..].iter().take_while(|&&b| b == b'_').count();
            if run >= MIN_BLANK {
                spans.push(index..index + run);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    spans
}

/// True when the line holds only underscores and whitespace (a filler line for handwritten notes).
pub(crate) fn is_filler_line(text: &str) -> bool {
    let trimmed = text.trim();
    !trimmed.is_empty()
        && trimmed.chars().all(|c| c == '_' || c.is_whitespace())
        && !blank_spans(trimmed).is_empty()
}

/// The text before blank `index`, between the previous blank and it.
pub(crate) fn text_before(text: &str, spans: &[Range<usize>], index: usize) -> String {
    let start = index
        .checked_sub(1)
        .and_then(|prev| spans.get(prev))
        .map_or(0, |span| span.end);
    let end = spans.get(index).map_or(text.len(), |span| span.start);
    text.get(start..end).unwrap_or("").to_string()
}

/// The text after blank `index`, up to the next blank or the end of the line.
pub(crate) fn text_after(text: &str, spans: &[Range<usize>], index: usize) -> String {
    let start = spans.get(index).map_or(text.len(), |span| span.end);
    let end = spans.get(index + 1).map_or(text.len(), |span| span.start);
    text.get(start..end).unwrap_or("").to_string()
}

/// One field per blank. A blank's label is the text between the previous blank (and its unit)
/// and it; an empty label repeats the previous one (`____ critical, ____ major`); text after the
/// last blank that is not a unit is appended to its label in parentheses so nothing is lost.
pub(crate) fn fields_for_line(
    text: &str,
    spans: &[Range<usize>],
    reading: Reading,
) -> Vec<FieldSpec> {
    let mut fields: Vec<FieldSpec> = Vec::with_capacity(spans.len());
    let mut base_label = String::new();
    let mut label_source = text_before(text, spans, 0);
    for index in 0..spans.len() {
        let mut label = reading.label(&label_source);
        let lowered = label.to_lowercase();
        if label.is_empty() {
            label.clone_from(&base_label);
        } else if CONNECTORS.contains(&lowered.as_str()) && !base_label.is_empty() {
            label = format!("{base_label} ({label})");
        } else {
            base_label.clone_from(&label);
        }
        let after = reading.strip(&text_after(text, spans, index));
        let (mut unit, rest) = split_unit(&after);
        if index + 1 == spans.len() {
            let trailing = rest.trim();
            let one_word = !trailing.is_empty() && trailing.chars().all(char::is_alphabetic);
            match &mut unit {
                // `_____ % change`: the word belongs to the unit.
                Some(found) if one_word => *found = format!("{found} {trailing}"),
                _ => label = with_trailing_text(label, rest),
            }
        }
        label_source = rest.to_string();
        let kind = guess_kind(&label, unit.as_deref());
        fields.push(FieldSpec { label, unit, kind });
    }
    fields
}

/// Appends the words after the last blank (`(if applicable)`) to its label.
fn with_trailing_text(label: String, rest: &str) -> String {
    let trailing =
        squash_spaces(rest.trim_matches(|c: char| c.is_whitespace() || "|,;.:*".contains(c)));
    let trailing = if trailing.starts_with('(') {
        if trailing.ends_with(')') {
            trailing
        } else {
            format!("{trailing})")
        }
    } else {
        let unmatched = trailing.trim_end_matches(')');
        if unmatched.is_empty() {
            return label;
        } else {
            format!("({unmatched})")
        }
    };
    if label.is_empty() {
        trailing
    } else {
        format!("{label} {trailing}")
    }
}

/// Splits a unit (`ms`, `%`, `affected users`) off the start of the text after a blank.
pub(crate) fn split_unit(after: &str) -> (Option<String>, &str) {
    let trimmed = after.trim_start();
    let lowered = trimmed.to_lowercase();
    for unit in UNITS {
        if !lowered.starts_with(unit) || lowered.len() != trimmed.len() {
            continue;
        }
        let end = unit.len();
        let boundary = trimmed.get(end..).and_then(|rest| rest.chars().next());
        if boundary.is_none_or(|c| !c.is_alphanumeric())
            && let (Some(found), Some(rest)) = (trimmed.get(..end), trimmed.get(end..))
        {
            return (Some(found.to_string()), rest);
        }
    }
    match unlisted_unit(trimmed) {
        Some(end) => (
            trimmed.get(..end).map(str::to_string),
            trimmed.get(end..).unwrap_or(""),
        ),
        None => (None, trimmed),
    }
}

/// A lower-case word that is not in `UNITS` but sits where a unit would (`____ millicores (limit`):
/// directly after the blank, followed by the end of the text or a separator, never by a colon.
fn unlisted_unit(text: &str) -> Option<usize> {
    const MAX_UNIT_CHARS: usize = 15;
    let end = text
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len());
    let word = text.get(..end)?;
    let next = text.get(end..)?.trim_start().chars().next();
    let separated = next.is_none_or(|c| "(,|;)".contains(c));
    let lower_case = !word.is_empty() && word.chars().all(char::is_lowercase);
    let short = word.chars().count() <= MAX_UNIT_CHARS;
    (lower_case && short && separated && !CONNECTORS.contains(&word)).then_some(end)
}

/// Guesses what a blank expects from its label and unit.
pub(crate) fn guess_kind(label: &str, unit: Option<&str>) -> FieldKind {
    if unit.is_some() {
        return FieldKind::Number;
    }
    let lowered = label.to_lowercase();
    let words: Vec<&str> = lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |word: &str| words.contains(&word);
    let has_date = has("date") || has("dated");
    let has_time = has("time") || has("timestamp") || has("window");
    if has("timestamp") || (has_date && has_time) || has("window") {
        FieldKind::DateTime
    } else if has_date {
        FieldKind::Date
    } else if has_time {
        FieldKind::Time
    } else if words.last().is_some_and(|last| *last == "by")
        || words.iter().any(|w| is_person_word(w))
    {
        FieldKind::Person
    } else if has("count") || lowered.contains("number of") {
        FieldKind::Number
    } else {
        FieldKind::Text
    }
}

/// Role and person words: a field labelled with one expects a name.
pub(crate) fn is_person_word(word: &str) -> bool {
    const PERSON_WORDS: &[&str] = &[
        "lead",
        "leads",
        "manager",
        "engineer",
        "director",
        "owner",
        "sponsor",
        "analyst",
        "administrator",
        "admin",
        "developer",
        "officer",
        "architect",
        "dba",
        "head",
        "chief",
        "cto",
        "ceo",
        "cio",
        "ciso",
        "vp",
        "coordinator",
        "approver",
        "reviewer",
        "supervisor",
        "specialist",
        "tester",
        "operator",
        "signatory",
        "signer",
        "assignee",
        "person",
        "contact",
    ];
    PERSON_WORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_and_units(line: &str) -> Vec<(String, Option<String>, FieldKind)> {
        fields_for_line(line, &blank_spans(line), Reading::Source)
            .into_iter()
            .map(|field| (field.label, field.unit, field.kind))
            .collect()
    }

    #[test]
    fn two_blanks_on_one_bold_line_get_their_own_labels() {
        assert_eq!(
            labels_and_units("**Current Time: _______ | Expected End Time: _______**"),
            vec![
                ("Current Time".into(), None, FieldKind::Time),
                ("Expected End Time".into(), None, FieldKind::Time),
            ]
        );
    }

    #[test]
    fn a_unit_after_the_blank_is_split_off_and_the_next_label_follows_it() {
        assert_eq!(
            labels_and_units("Response time P95: _________________ ms (baseline: _________)"),
            vec![
                (
                    "Response time P95".into(),
                    Some("ms".into()),
                    FieldKind::Number
                ),
                ("baseline".into(), None, FieldKind::Text),
            ]
        );
        assert_eq!(
            labels_and_units("CPU usage: _____ % (baseline: ______%)"),
            vec![
                ("CPU usage".into(), Some("%".into()), FieldKind::Number),
                ("baseline".into(), Some("%".into()), FieldKind::Number),
            ]
        );
    }

    #[test]
    fn counted_categories_repeat_the_label() {
        let fields = labels_and_units(
            "**Post-Deployment Issues:** _____ critical, _____ major, _____ minor",
        );
        let units: Vec<_> = fields
            .iter()
            .map(|f| f.1.clone().unwrap_or_default())
            .collect();
        assert_eq!(units, ["critical", "major", "minor"]);
        assert!(fields.iter().all(|f| f.0 == "Post-Deployment Issues"));
        assert_eq!(
            labels_and_units("**User Impact:** _____ affected users")[0]
                .1
                .as_deref(),
            Some("affected users")
        );
    }

    #[test]
    fn trailing_words_that_are_not_units_join_the_label() {
        assert_eq!(
            labels_and_units("- Green weight: _______ (expected: 100)")[0].0,
            "Green weight (expected: 100)"
        );
        assert_eq!(
            labels_and_units("**Rollback Time:** _____ minutes (if applicable)")[0].0,
            "Rollback Time (if applicable)"
        );
    }

    #[test]
    fn a_range_gets_a_from_and_a_to_field() {
        let fields = labels_and_units("**Deployment Window:** ____ to ____");
        assert_eq!(fields[0].0, "Deployment Window");
        assert_eq!(fields[1].0, "Deployment Window (to)");
        assert_eq!(fields[1].2, FieldKind::DateTime);
    }

    #[test]
    fn an_unlisted_lower_case_word_before_a_separator_is_a_unit() {
        assert_eq!(
            labels_and_units("CPU per pod: ____ millicores (limit: ____)"),
            vec![
                (
                    "CPU per pod".into(),
                    Some("millicores".into()),
                    FieldKind::Number
                ),
                ("limit".into(), None, FieldKind::Text),
            ]
        );
        assert_eq!(labels_and_units("Time: ____ Note: ____")[1].0, "Note");
        assert_eq!(
            labels_and_units("Lag: ____ or later")[0],
            ("Lag (or later)".into(), None, FieldKind::Text)
        );
    }

    #[test]
    fn kinds_are_guessed_from_labels() {
        assert_eq!(guess_kind("Deployment Date", None), FieldKind::Date);
        assert_eq!(guess_kind("Date/Time", None), FieldKind::DateTime);
        assert_eq!(guess_kind("Approval timestamp", None), FieldKind::DateTime);
        assert_eq!(guess_kind("Rollback Start Time", None), FieldKind::Time);
        assert_eq!(guess_kind("Verified By", None), FieldKind::Person);
        assert_eq!(guess_kind("Deployment Lead", None), FieldKind::Person);
        assert_eq!(guess_kind("Service Name", None), FieldKind::Text);
        assert_eq!(guess_kind("Downtime", Some("minutes")), FieldKind::Number);
        assert_eq!(guess_kind("Restart count", None), FieldKind::Number);
    }

    #[test]
    fn only_runs_of_three_or_more_underscores_are_blanks() {
        assert_eq!(blank_spans("a __ b ___ c_d"), vec![7..10]);
        assert!(is_filler_line("  ______ ___ "));
        assert!(!is_filler_line("__"));
    }
}
