//! Input checks and normalisation: size limit, binary bytes, UTF-8, BOM, line endings.

use super::{ImportError, MAX_TEMPLATE_BYTES};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Checks raw bytes and returns the normalised text: BOM stripped, CRLF and lone CR turned into LF.
pub(crate) fn normalise(bytes: &[u8]) -> Result<String, ImportError> {
    if bytes.len() > MAX_TEMPLATE_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            limit: MAX_TEMPLATE_BYTES,
        });
    }
    let (body, skipped) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (bytes, 0),
    };
    if let Some(at) = body.iter().position(|&byte| is_binary_byte(byte)) {
        return Err(ImportError::Binary {
            line: line_at(body, at),
        });
    }
    let text = std::str::from_utf8(body).map_err(|error| {
        let at = error.valid_up_to();
        ImportError::NotUtf8 {
            line: line_at(body, at),
            byte_offset: at + skipped,
        }
    })?;
    let normalised = normalise_line_endings(text);
    if normalised.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(normalised)
}

/// C0 control bytes and DEL, except tab, line feed, carriage return and form feed.
/// These never occur inside a multi-byte UTF-8 sequence, so checking bytes is sound.
fn is_binary_byte(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0c)) || byte == 0x7f
}

/// The 1-based line of byte `at`, counting LF, CRLF and lone CR as line breaks.
fn line_at(bytes: &[u8], at: usize) -> u32 {
    let before = bytes.get(..at).unwrap_or(bytes);
    let mut breaks = 0u32;
    for (index, &byte) in before.iter().enumerate() {
        let lone_cr = byte == b'\r' && bytes.get(index + 1) != Some(&b'\n');
        if byte == b'\n' || lone_cr {
            breaks = breaks.saturating_add(1);
        }
    }
    breaks.saturating_add(1)
}

fn normalise_line_endings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf_and_the_bom_goes() {
        assert_eq!(normalise(b"\xEF\xBB\xBFa\r\nb\rc\n").unwrap(), "a\nb\nc\n");
    }

    #[test]
    fn a_nul_byte_is_reported_with_its_line() {
        assert_eq!(
            normalise(b"a\r\nb\rc\x00"),
            Err(ImportError::Binary { line: 3 })
        );
    }

    #[test]
    fn invalid_utf8_reports_the_offset_in_the_original_bytes() {
        assert_eq!(
            normalise(b"\xEF\xBB\xBFok\n\xFF"),
            Err(ImportError::NotUtf8 {
                line: 2,
                byte_offset: 6
            })
        );
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(normalise(b" \n\t\r\n"), Err(ImportError::Empty));
        assert_eq!(normalise(b""), Err(ImportError::Empty));
        assert_eq!(normalise(BOM), Err(ImportError::Empty));
    }
}
