//! Sign-off lines: `Role: ____ Date: ____`, `Role: ____ (Signature)`, and a lone `Role: ____`
//! where the surrounding heading or paragraph talks about sign-off or approval.

use std::ops::Range;

use super::blanks::{is_person_word, text_after, text_before};
use super::markup::{Reading, squash_spaces};

/// A signature recognised on a line, before it gets an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureSpec {
    pub role: String,
    pub dated: bool,
}

/// True when text mentions signing off or approving (`Sign-off`, `Signatures:`, `All approvals obtained:`).
pub(crate) fn mentions_sign_off(text: &str) -> bool {
    let lowered = text.to_lowercase();
    [
        "sign-off",
        "signoff",
        "sign off",
        "signature",
        "signator",
        "approval",
        "approve",
    ]
    .iter()
    .any(|word| lowered.contains(word))
}

/// True when a label names a role or a person's title (`QA Lead`, `DBA`, `Executive Sponsor`).
pub(crate) fn is_role_title(label: &str) -> bool {
    let lowered = label.to_lowercase();
    let last_word = lowered
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty());
    last_word.is_some_and(|word| is_person_word(word) && word != "contact" && word != "person")
}

/// Recognises a signature line from its blanks. `sign_off_context` says whether the heading or
/// a preceding paragraph is about sign-off, which lets a lone `Role: ____` count as a signature.
pub(crate) fn signature_for_line(
    text: &str,
    spans: &[Range<usize>],
    sign_off_context: bool,
    reading: Reading,
) -> Option<SignatureSpec> {
    let role = reading.label(&text_before(text, spans, 0));
    if role.is_empty() {
        return None;
    }
    let role_lowered = role.to_lowercase();
    let trailing = |index| squash_spaces(&reading.strip(&text_after(text, spans, index)));
    match spans.len() {
        2 => {
            let date_label = reading.label(&text_after(text, spans, 0)).to_lowercase();
            let about_dates = role_lowered.contains("date") || role_lowered.contains("time");
            let dated = date_label.starts_with("date") && !about_dates;
            (dated
                && trailing(1)
                    .trim_matches(|c| c == '*' || c == ')')
                    .is_empty())
            .then_some(SignatureSpec { role, dated: true })
        }
        1 => {
            let after = trailing(0).to_lowercase();
            let signature_word = matches!(
                after.as_str(),
                "(signature)" | "signature" | "(sign)" | "(initials)"
            );
            let lone_role = after.is_empty() && sign_off_context && is_role_title(&role);
            (signature_word || lone_role).then_some(SignatureSpec { role, dated: false })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::blanks::blank_spans;
    use super::*;

    fn recognise(line: &str, context: bool) -> Option<SignatureSpec> {
        signature_for_line(line, &blank_spans(line), context, Reading::Source)
    }

    #[test]
    fn role_and_date_blanks_make_a_dated_signature_anywhere() {
        let expected = Some(SignatureSpec {
            role: "QA Lead".into(),
            dated: true,
        });
        assert_eq!(
            recognise("QA Lead: ______________________ Date: _______", false),
            expected
        );
        assert_eq!(
            recognise("**QA Lead:** _______________ Date: _______________", false),
            expected
        );
        assert_eq!(
            recognise(
                "**Decided By:** _________________________ **Date/Time:** _________",
                false
            ),
            Some(SignatureSpec {
                role: "Decided By".into(),
                dated: true
            })
        );
    }

    #[test]
    fn a_signature_marker_makes_an_undated_signature() {
        assert_eq!(
            recognise("DBA: _______________________ (Signature)", false),
            Some(SignatureSpec {
                role: "DBA".into(),
                dated: false
            })
        );
    }

    #[test]
    fn a_lone_role_blank_is_a_signature_only_in_a_sign_off_context() {
        let line = "Release Manager: _______________________";
        assert_eq!(recognise(line, false), None);
        assert_eq!(
            recognise(line, true),
            Some(SignatureSpec {
                role: "Release Manager".into(),
                dated: false
            })
        );
        assert_eq!(recognise("Deployment authorized by: ______", true), None);
    }

    #[test]
    fn date_ranges_and_contact_lines_are_not_signatures() {
        assert_eq!(recognise("Start Date: ____ End Date: ____", false), None);
        assert_eq!(recognise("Deployment Lead: ____ Phone: ____", true), None);
        assert_eq!(recognise("Time: ____ Note: ____", true), None);
    }

    #[test]
    fn sign_off_words_are_recognised() {
        assert!(mentions_sign_off("## ✅ Sign-off"));
        assert!(mentions_sign_off("All approvals obtained:"));
        assert!(mentions_sign_off("**Signatures:**"));
        assert!(!mentions_sign_off("Contact Information"));
    }
}
