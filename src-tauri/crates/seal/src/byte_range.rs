//! The `/ByteRange` + `/Contents` mechanics of a PDF signature: the fixed-size placeholder
//! written before signing, filling it afterwards, and checking a range found in a file.

/// Bytes reserved for the DER CMS signature (hex-encoded in the file, so twice as many chars).
/// Enough for a certificate chain plus an RFC 3161 token.
pub(crate) const CONTENTS_BYTES: usize = 16_384;

/// Written first; overwritten (same length, space-padded) once the offsets are known.
pub(crate) const RANGE_PLACEHOLDER: &[u8] = b"[0 0000000000 0000000000 0000000000]";

/// The `[0 a b c]` text for the real range, padded with spaces to the placeholder's length.
pub(crate) fn range_text(range: [usize; 4]) -> Option<Vec<u8>> {
    let text = format!("[{} {} {} {}]", range[0], range[1], range[2], range[3]);
    if text.len() > RANGE_PLACEHOLDER.len() {
        return None;
    }
    let mut bytes = text.into_bytes();
    bytes.resize(RANGE_PLACEHOLDER.len(), b' ');
    Some(bytes)
}

/// The signed parts of `pdf` for a well-formed range.
pub(crate) fn signed_parts(pdf: &[u8], range: [usize; 4]) -> [&[u8]; 2] {
    [
        &pdf[range[0]..range[0] + range[1]],
        &pdf[range[2]..range[2] + range[3]],
    ]
}

/// A `/ByteRange` as found in a file, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedRange {
    pub range: [usize; 4],
    /// The signature bytes from the gap between the two parts (hex-decoded).
    pub contents: Vec<u8>,
    /// The range ends where a revision of the file ends (`%%EOF` and an optional line end).
    pub ends_a_revision: bool,
}

/// Checks a `/ByteRange`: four non-negative numbers, starting at 0, the two parts inside the
/// file, and the gap between them exactly one hex string (the `/Contents`).
pub(crate) fn check(pdf: &[u8], values: &[i64]) -> Option<CheckedRange> {
    let [a, b, c, d] = values else {
        return None;
    };
    let to = |v: &i64| usize::try_from(*v).ok();
    let range = [to(a)?, to(b)?, to(c)?, to(d)?];
    if range[0] != 0 {
        return None;
    }
    let gap_start = range[1];
    let end = range[2].checked_add(range[3])?;
    if gap_start >= range[2] || end > pdf.len() {
        return None;
    }
    let gap = &pdf[gap_start..range[2]];
    let inner = gap.strip_prefix(b"<")?.strip_suffix(b">")?;
    let hex_digits: Vec<u8> = inner
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let contents = hex::decode(&hex_digits).ok()?;
    Some(CheckedRange {
        range,
        contents,
        ends_a_revision: ends_a_revision(&pdf[..end]),
    })
}

/// True when `prefix` ends with `%%EOF` plus at most one line end.
pub(crate) fn ends_a_revision(prefix: &[u8]) -> bool {
    let trimmed = prefix
        .strip_suffix(b"\r\n")
        .or_else(|| prefix.strip_suffix(b"\n"))
        .or_else(|| prefix.strip_suffix(b"\r"))
        .unwrap_or(prefix);
    trimmed.ends_with(b"%%EOF")
}

/// Every position just after a revision's end (`startxref` N `%%EOF` plus its line end).
pub(crate) fn revision_ends(pdf: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let marker = b"%%EOF";
    let mut from = 0;
    while let Some(found) = pdf[from..].windows(marker.len()).position(|w| w == marker) {
        let at = from + found;
        let mut end = at + marker.len();
        if pdf.get(end) == Some(&b'\r') {
            end += 1;
        }
        if pdf.get(end) == Some(&b'\n') {
            end += 1;
        }
        let before = &pdf[at.saturating_sub(40)..at];
        if before.windows(9).any(|w| w == b"startxref") {
            ends.push(end);
        }
        from = at + marker.len();
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_text_has_the_placeholder_length() {
        let text = range_text([0, 120, 33_000, 4_000]).unwrap();
        assert_eq!(text.len(), RANGE_PLACEHOLDER.len());
        assert!(text.starts_with(b"[0 120 33000 4000]"));
    }

    #[test]
    fn a_range_whose_gap_is_not_a_hex_string_is_rejected() {
        let pdf = b"%PDF-1.7 /Contents <00aa> rest\n%%EOF\n";
        assert!(check(pdf, &[0, 19, 25, 12]).is_some());
        assert!(check(pdf, &[0, 18, 25, 12]).is_none());
        assert!(check(pdf, &[0, 19, 25, 99]).is_none());
        assert!(check(pdf, &[1, 19, 25, 12]).is_none());
    }
}
