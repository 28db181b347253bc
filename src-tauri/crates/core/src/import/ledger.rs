//! The line ledger: what became of every source line, so the import report can list each
//! non-blank line that did not turn into a structured element.

use super::source::Source;
use crate::model::{LineDisposition, ReportLine};

/// What a line became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Unset,
    /// A heading, item (with its nested content), field, choice, signature or gate line.
    Structured,
    Prose,
    Code,
    Ignored,
}

pub(crate) struct Ledger {
    marks: Vec<Mark>,
}

impl Ledger {
    pub fn new(line_count: u32) -> Self {
        Self {
            marks: vec![Mark::Unset; line_count as usize],
        }
    }

    /// Records what a line became. The first mark wins, except that structure beats prose.
    pub fn mark(&mut self, line: u32, mark: Mark) {
        let Some(slot) = (line as usize)
            .checked_sub(1)
            .and_then(|index| self.marks.get_mut(index))
        else {
            return;
        };
        if *slot == Mark::Unset || (*slot == Mark::Prose && mark == Mark::Structured) {
            *slot = mark;
        }
    }

    pub fn mark_range(&mut self, first: u32, last: u32, mark: Mark) {
        for line in first..=last {
            self.mark(line, mark);
        }
    }

    /// Report lines for prose, code and ignored lines; non-blank lines nothing claimed are
    /// reported as ignored and returned separately for a warning.
    pub fn report(&self, source: &Source<'_>) -> (Vec<ReportLine>, Vec<u32>) {
        let mut lines = Vec::new();
        let mut unclaimed = Vec::new();
        for (index, mark) in self.marks.iter().enumerate() {
            let line = index as u32 + 1;
            let text = source.line_text(line).trim_end();
            if text.trim().is_empty() {
                continue;
            }
            let disposition = match mark {
                Mark::Structured => continue,
                Mark::Prose => LineDisposition::KeptAsProse,
                Mark::Code => LineDisposition::KeptAsCode,
                Mark::Ignored => LineDisposition::Ignored,
                Mark::Unset => {
                    unclaimed.push(line);
                    LineDisposition::Ignored
                }
            };
            lines.push(ReportLine {
                line,
                text: text.to_string(),
                disposition,
            });
        }
        (lines, unclaimed)
    }
}
