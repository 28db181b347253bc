//! What one line of text means once the parser has placed it: a filler line, write-in fields,
//! a signature, a choice, an `Expected:` note, or plain text.

use super::blanks::{FieldSpec, blank_spans, fields_for_line, is_filler_line};
use super::choices::{ChoiceSpec, box_choice, slash_choice};
use super::markup::Reading;
use super::signatures::{SignatureSpec, signature_for_line};

/// The meaning of one text line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LineKind {
    /// Only underscores: room for handwritten notes. Holds the number of blanks on the line.
    Filler(usize),
    Fields(Vec<FieldSpec>),
    Signature(SignatureSpec),
    Choice(ChoiceSpec),
    /// `Expected: ...` under an item: the text after the colon.
    Expectation(String),
    Text,
}

/// Where the line sits.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LineContext {
    /// The heading, a preceding paragraph or a parent item is about sign-off or approval.
    pub sign_off: bool,
    /// The line belongs to a checkbox item (its own text or nested content).
    pub in_item: bool,
}

/// Classifies a line. `text` starts after any list marker or checkbox the parser consumed.
pub(crate) fn classify(text: &str, context: LineContext) -> LineKind {
    classify_as(text, context, Reading::Source)
}

/// Classifies a line's display text (from the parser's events): the same recognisers, no
/// markup stripping. Gives the labels a person sees.
pub(crate) fn classify_display(text: &str, context: LineContext) -> LineKind {
    classify_as(text, context, Reading::Display)
}

/// Classifies a line from its source (the kind, with the labels ids hash) and reads the same
/// recognisers over its display text: the labels a person sees, in order (a field's label per
/// blank, a signature's role, a choice's label, an expectation's text). When the display text
/// reads differently (an escaped blank), the source labels are used.
pub(crate) fn classify_line(
    source: &str,
    display: &str,
    context: LineContext,
) -> (LineKind, Vec<String>) {
    let kind = classify(source, context);
    let display_kind = classify_display(display, context);
    let shown = labels(&display_kind);
    let fallback = labels(&kind);
    let same_shape = std::mem::discriminant(&kind) == std::mem::discriminant(&display_kind)
        && shown.len() == fallback.len();
    (kind, if same_shape { shown } else { fallback })
}

/// The texts a person reads on a classified line, in order.
fn labels(kind: &LineKind) -> Vec<String> {
    match kind {
        LineKind::Fields(fields) => fields.iter().map(|field| field.label.clone()).collect(),
        LineKind::Signature(signature) => vec![signature.role.clone()],
        LineKind::Choice(choice) => vec![choice.label.clone()],
        LineKind::Expectation(expected) => vec![expected.clone()],
        LineKind::Filler(_) | LineKind::Text => Vec::new(),
    }
}

fn classify_as(text: &str, context: LineContext, reading: Reading) -> LineKind {
    if is_filler_line(text) {
        return LineKind::Filler(blank_spans(text).len());
    }
    let spans = blank_spans(text);
    if !spans.is_empty() {
        if let Some(signature) = signature_for_line(text, &spans, context.sign_off, reading) {
            return LineKind::Signature(signature);
        }
        return LineKind::Fields(fields_for_line(text, &spans, reading));
    }
    if let Some(choice) = box_choice(text, reading).or_else(|| slash_choice(text, reading)) {
        return LineKind::Choice(choice);
    }
    if context.in_item
        && let Some(expected) = expectation_as(text, reading)
    {
        return LineKind::Expectation(expected);
    }
    LineKind::Text
}

/// `Expected: 200 OK` (also after a comment marker in code: `# Expected:`, `-- Expected:`, `// Expected:`).
pub(crate) fn expectation(text: &str) -> Option<String> {
    expectation_as(text, Reading::Source)
}

fn expectation_as(text: &str, reading: Reading) -> Option<String> {
    let plain = reading.strip(text);
    let without_marker = plain
        .trim_start()
        .trim_start_matches(['#', '-', '/'])
        .trim_start();
    let head = without_marker.get(..9)?;
    if !head.eq_ignore_ascii_case("expected:") {
        return None;
    }
    let rest = without_marker.get(9..)?.trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

/// Expectations found in a code block's comment lines.
pub(crate) fn code_expectations(code: &str) -> Vec<String> {
    code.lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            trimmed.starts_with('#') || trimmed.starts_with("--") || trimmed.starts_with("//")
        })
        .filter_map(expectation)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_lines_are_found_after_comment_markers() {
        assert_eq!(expectation("# Expected: PONG").as_deref(), Some("PONG"));
        assert_eq!(
            expectation("-- Expected: 3 rows").as_deref(),
            Some("3 rows")
        );
        assert_eq!(
            expectation("Expected: 23+ containers").as_deref(),
            Some("23+ containers")
        );
        assert_eq!(expectation("Unexpected: no"), None);
        assert_eq!(
            code_expectations("curl x\n  # Expected: HTTP 200\necho Expected: no"),
            vec!["HTTP 200"]
        );
    }

    #[test]
    fn a_filler_line_is_not_a_field() {
        assert_eq!(
            classify("_______________", LineContext::default()),
            LineKind::Filler(1)
        );
    }

    #[test]
    fn expectation_bullets_count_only_under_items() {
        let in_item = LineContext {
            in_item: true,
            ..LineContext::default()
        };
        assert_eq!(
            classify("Expected: 100% pass", in_item),
            LineKind::Expectation("100% pass".into())
        );
        assert_eq!(
            classify("Expected: 100% pass", LineContext::default()),
            LineKind::Text
        );
    }
}
