//! The normalised source text with a line index: byte offsets to 1-based line numbers and back.

/// Normalised template text (LF line endings) and where each line starts.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        if line_starts.len() > 1 && line_starts.last() == Some(&text.len()) {
            // A final newline does not start another line.
            line_starts.pop();
        }
        Self { text, line_starts }
    }

    /// Number of lines (a final newline does not add one).
    pub fn line_count(&self) -> u32 {
        u32::try_from(self.line_starts.len()).unwrap_or(u32::MAX)
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let index = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(index.max(1)).unwrap_or(u32::MAX)
    }

    /// The 1-based line holding the last byte of `start..end` (the start line for an empty range).
    pub fn last_line_of(&self, start: usize, end: usize) -> u32 {
        if end > start {
            self.line_of(end - 1)
        } else {
            self.line_of(start)
        }
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> usize {
        let index = (line as usize).saturating_sub(1);
        self.line_starts
            .get(index)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Byte offset of the end of a 1-based line, before its newline.
    pub fn line_end(&self, line: u32) -> usize {
        let next = self
            .line_starts
            .get(line as usize)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        if next > self.line_start(line) && bytes.get(next - 1) == Some(&b'\n') {
            next - 1
        } else {
            next
        }
    }

    /// The text of a 1-based line without its newline; empty past the end.
    pub fn line_text(&self, line: u32) -> &'a str {
        self.text
            .get(self.line_start(line)..self.line_end(line))
            .unwrap_or("")
    }

    /// Text from `offset` to the end of its line.
    pub fn rest_of_line(&self, offset: usize) -> &'a str {
        let end = self.line_end(self.line_of(offset));
        self.text.get(offset..end).unwrap_or("")
    }

    /// Lines `first..=last` joined with newlines, trailing blank lines dropped.
    pub fn lines_text(&self, first: u32, last: u32) -> String {
        let mut last = last;
        while last > first && self.line_text(last).trim().is_empty() {
            last -= 1;
        }
        let start = self.line_start(first);
        let end = self.line_end(last).max(start);
        self.text.get(start..end).unwrap_or("").to_string()
    }

    /// The last non-blank line in `first..=last` (or `first`).
    pub fn last_non_blank(&self, first: u32, last: u32) -> u32 {
        let mut line = last.max(first);
        while line > first && self.line_text(line).trim().is_empty() {
            line -= 1;
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::Source;

    #[test]
    fn offsets_map_to_one_based_lines() {
        let source = Source::new("a\nbc\n\nd\n");
        assert_eq!(source.line_count(), 4);
        assert_eq!(source.line_of(0), 1);
        assert_eq!(source.line_of(2), 2);
        assert_eq!(source.line_of(5), 3);
        assert_eq!(source.line_of(6), 4);
        assert_eq!(source.line_text(2), "bc");
        assert_eq!(source.line_text(3), "");
        assert_eq!(source.line_text(9), "");
        assert_eq!(source.lines_text(1, 3), "a\nbc");
    }
}
