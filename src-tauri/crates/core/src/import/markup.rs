//! Inline Markdown markup removal for short labels found by the line recognisers
//! (`**Deployment Date:**` -> `Deployment Date`). Headings and item titles use parser events instead.
//!
//! The recognisers run twice over a line: over its Markdown source ([`Reading::Source`]), which
//! gives the labels ids are derived from (so this stripping must never change), and over its
//! display text from the parser's events ([`Reading::Display`]), which has no markup left to
//! strip and gives the labels a person sees.

/// Which text a line recogniser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The Markdown source: markup is stripped with [`strip_markup`] (labels that ids hash).
    Source,
    /// Display text from the parser's events: already plain, taken as it is.
    Display,
}

impl Reading {
    /// The text without inline markup.
    pub fn strip(self, text: &str) -> String {
        match self {
            Reading::Source => strip_markup(text),
            Reading::Display => text.to_string(),
        }
    }

    /// A label as shown: see [`clean_label`].
    pub fn label(self, text: &str) -> String {
        trim_label(&self.strip(text))
    }
}

/// Removes emphasis markers (`*`, `**`, `_`, `__` at word edges), strikethrough `~~`, code
/// backticks and link syntax (`[text](url)` -> `text`). Runs of 3+ underscores (blanks) and
/// underscores inside words (`snake_case`) are kept.
pub(crate) fn strip_markup(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut parens = NextParen::default();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        match c {
            '*' | '_' | '~' => {
                let run = chars[index..].iter().take_while(|&&next| next == c).count();
                let before = index.checked_sub(1).and_then(|at| chars.get(at));
                let after = chars.get(index + run);
                let inside_word = before.is_some_and(|b| b.is_alphanumeric())
                    && after.is_some_and(|a| a.is_alphanumeric());
                let keep = match c {
                    '_' => run >= 3 || inside_word,
                    '~' => run == 1,
                    _ => inside_word && run == 1,
                };
                if keep {
                    chars[index..index + run]
                        .iter()
                        .for_each(|&kept| out.push(kept));
                }
                index += run;
            }
            '`' => index += 1,
            '[' => match link_text_end(&chars, index, &mut parens) {
                Some((text_end, link_end)) => {
                    chars[index + 1..text_end]
                        .iter()
                        .for_each(|&kept| out.push(kept));
                    index = link_end;
                }
                None => {
                    out.push(c);
                    index += 1;
                }
            },
            _ => {
                out.push(c);
                index += 1;
            }
        }
    }
    out
}

const MAX_LINK_TARGET: usize = 2048;

/// Remembers the last `)` search so a line with many `[a](` and no `)` stays linear.
#[derive(Default)]
struct NextParen {
    searched_from: usize,
    found: Option<usize>,
    valid: bool,
}

impl NextParen {
    fn from(&mut self, chars: &[char], start: usize) -> Option<usize> {
        let reusable =
            self.valid && self.searched_from <= start && self.found.is_none_or(|at| at >= start);
        if !reusable {
            let found = chars
                .get(start..)
                .and_then(|rest| rest.iter().position(|&c| c == ')'));
            *self = Self {
                searched_from: start,
                found: found.map(|offset| start + offset),
                valid: true,
            };
        }
        self.found
    }
}

/// For `[text](url)` starting at `open`: the index of `]` and the index just past `)`.
fn link_text_end(chars: &[char], open: usize, parens: &mut NextParen) -> Option<(usize, usize)> {
    let close = open
        + 1
        + chars
            .get(open + 1..)?
            .iter()
            .position(|&c| c == ']' || c == '[')?;
    if chars.get(close) != Some(&']') || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let paren = parens.from(chars, close + 2)?;
    let target = chars.get(close + 2..paren)?;
    (target.len() <= MAX_LINK_TARGET && !target.contains(&'\n')).then_some((close, paren + 1))
}

/// A label as shown to the user: markup stripped, leading separators and a trailing colon removed.
#[cfg(test)]
pub(crate) fn clean_label(text: &str) -> String {
    Reading::Source.label(text)
}

fn trim_label(stripped: &str) -> String {
    stripped
        .trim_start_matches(|c: char| c.is_whitespace() || "(|,;-–—/>".contains(c))
        .trim_end_matches(|c: char| c.is_whitespace() || ":(|,;-–—".contains(c))
        .to_string()
}

/// Collapses runs of whitespace into single spaces and trims the ends.
pub(crate) fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_and_italic_markers_are_removed() {
        assert_eq!(strip_markup("**Deployment Date:**"), "Deployment Date:");
        assert_eq!(strip_markup("*Last Updated*"), "Last Updated");
        assert_eq!(strip_markup("__bold__ and _it_"), "bold and it");
    }

    #[test]
    fn underscores_inside_words_and_blanks_are_kept() {
        assert_eq!(strip_markup("max_connections ____"), "max_connections ____");
        assert_eq!(strip_markup("2*3"), "2*3");
    }

    #[test]
    fn links_keep_their_text_and_code_keeps_its_content() {
        assert_eq!(
            strip_markup("see [the runbook](https://x.test/a) and `kubectl`"),
            "see the runbook and kubectl"
        );
        assert_eq!(strip_markup("[Date] stays"), "[Date] stays");
    }

    #[test]
    fn labels_lose_separators_and_the_trailing_colon() {
        assert_eq!(clean_label(" | Expected End Time: "), "Expected End Time");
        assert_eq!(clean_label("(baseline: "), "baseline");
        assert_eq!(clean_label("**QA Lead:** "), "QA Lead");
    }
}
