//! Inline choice sets: boxes after a label (`Decision: [ ] GO [ ] NO-GO`) and slash-separated
//! verdicts (`✓ VERIFIED / ✗ ISSUES FOUND`, `PASS / FAIL`, `Yes / No`).

use super::markup::{Reading, squash_spaces};

const MAX_OPTION_CHARS: usize = 40;
const MAX_SLASH_OPTIONS: usize = 8;
const VERDICT_MARKS: &[char] = &['✓', '✔', '✗', '✘', '⚠', '✅', '❌', '☐', '☑', '\u{fe0f}'];
const YES_NO_WORDS: &[&str] = &[
    "yes", "no", "n/a", "na", "pass", "fail", "passed", "failed", "ok", "true", "false", "done",
    "y", "n",
];

/// A choice recognised on a line, before it gets an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChoiceSpec {
    pub label: String,
    pub options: Vec<String>,
}

impl ChoiceSpec {
    /// A `Decision:` or `Go/No-Go` choice outside any item is a decision gate.
    pub fn is_decision(&self) -> bool {
        let lowered = self.label.to_lowercase();
        lowered.contains("decision") || lowered.contains("go/no-go")
    }
}

/// Two or more `[ ]` boxes on one line; the text before the first is the label and the text
/// after each box is its option.
pub(crate) fn box_choice(text: &str, reading: Reading) -> Option<ChoiceSpec> {
    let boxes: Vec<usize> = text
        .match_indices('[')
        .filter(|(at, _)| matches!(text.get(at + 1..at + 3), Some(" ]" | "x]" | "X]")))
        .map(|(at, _)| at)
        .collect();
    if boxes.len() < 2 {
        return None;
    }
    let label = reading.label(text.get(..boxes[0]).unwrap_or(""));
    let mut options = Vec::with_capacity(boxes.len());
    for (index, &at) in boxes.iter().enumerate() {
        let end = boxes.get(index + 1).copied().unwrap_or(text.len());
        let option = clean_option(text.get(at + 3..end).unwrap_or(""), reading);
        if option.is_empty() {
            return None;
        }
        options.push(option);
    }
    Some(ChoiceSpec { label, options })
}

/// `Label: A / B [/ C]` where every option is an upper-case verdict or a yes/no word. Needs a
/// `label:` or ✓/✗ marks so ordinary prose such as `TCP / UDP` stays prose.
pub(crate) fn slash_choice(text: &str, reading: Reading) -> Option<ChoiceSpec> {
    let plain = reading.strip(text);
    let spaced = plain.contains(" / ");
    let separator = if spaced { " / " } else { "/" };
    let first_separator = plain.find(separator)?;
    let (label, rest) = match plain
        .get(..first_separator)
        .and_then(|head| head.rfind(':'))
    {
        Some(colon) => (reading.label(plain.get(..colon)?), plain.get(colon + 1..)?),
        None if plain.contains(VERDICT_MARKS) => (String::new(), plain.as_str()),
        None => return None,
    };
    let options: Vec<String> = rest
        .split(separator)
        .map(|option| clean_option(option, reading))
        .collect();
    let all_yes_no = options.iter().all(|option| is_yes_no(option));
    let acceptable = |option: &String| {
        !option.is_empty()
            && option.chars().count() <= MAX_OPTION_CHARS
            && (is_yes_no(option) || (spaced && is_upper_case_verdict(option)))
    };
    let valid = (2..=MAX_SLASH_OPTIONS).contains(&options.len())
        && options.iter().all(acceptable)
        && (spaced || all_yes_no);
    valid.then_some(ChoiceSpec { label, options })
}

fn clean_option(text: &str, reading: Reading) -> String {
    let stripped = reading.strip(text);
    let trimmed = stripped.trim_matches(|c: char| {
        c.is_whitespace() || VERDICT_MARKS.contains(&c) || "*|,;".contains(c)
    });
    squash_spaces(trimmed)
}

fn is_yes_no(option: &str) -> bool {
    YES_NO_WORDS.contains(&option.to_lowercase().as_str())
}

fn is_upper_case_verdict(option: &str) -> bool {
    option.chars().any(char::is_alphabetic) && !option.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(label: &str, options: &[&str]) -> Option<ChoiceSpec> {
        Some(ChoiceSpec {
            label: label.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
        })
    }

    #[test]
    fn boxes_after_a_label_are_a_choice() {
        assert_eq!(
            box_choice("Go/No-Go decision: **[ ] GO  [ ] NO-GO**", Reading::Source),
            spec("Go/No-Go decision", &["GO", "NO-GO"])
        );
        assert_eq!(
            box_choice(
                "Issues encountered: [ ] None [ ] See notes below",
                Reading::Source
            ),
            spec("Issues encountered", &["None", "See notes below"])
        );
        assert!(box_choice("Decision: [ ] GO", Reading::Source).is_none());
    }

    #[test]
    fn a_decision_label_marks_a_gate() {
        assert!(
            box_choice("**Decision: [ ] GO [ ] NO-GO**", Reading::Source)
                .is_some_and(|c| c.is_decision())
        );
    }

    #[test]
    fn verdicts_with_marks_drop_the_marks() {
        assert_eq!(
            slash_choice(
                "**Status at T+5min: ✓ VERIFIED / ✗ ISSUES FOUND**",
                Reading::Source
            ),
            spec("Status at T+5min", &["VERIFIED", "ISSUES FOUND"])
        );
        assert_eq!(
            slash_choice(
                "**Status at 6 hours: ✓ HEALTHY / ⚠ WARNINGS / ✗ ISSUES**",
                Reading::Source
            ),
            spec("Status at 6 hours", &["HEALTHY", "WARNINGS", "ISSUES"])
        );
        assert_eq!(
            slash_choice("Results: PASS / FAIL", Reading::Source),
            spec("Results", &["PASS", "FAIL"])
        );
        assert_eq!(
            slash_choice("**Rollback Performed:** Yes / No", Reading::Source),
            spec("Rollback Performed", &["Yes", "No"])
        );
    }

    #[test]
    fn ordinary_slashes_in_prose_are_not_choices() {
        assert!(
            slash_choice(
                "Request/response transformation is working",
                Reading::Source
            )
            .is_none()
        );
        assert!(slash_choice("SSL/TLS certificates installed", Reading::Source).is_none());
        assert!(slash_choice("TCP / UDP both work", Reading::Source).is_none());
        assert!(
            slash_choice(
                "Status page URL: https://status.example.com",
                Reading::Source
            )
            .is_none()
        );
        assert!(slash_choice("Protocols: tcp / udp", Reading::Source).is_none());
    }
}
