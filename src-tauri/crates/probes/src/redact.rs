//! Scrubs secrets out of what a probe reports: every secret value the probe used (also
//! URL-encoded and base64 forms), `Authorization` header values, `password=` parameters and
//! `user:password@` in URLs and DSNs become `«redacted»`.

use std::sync::LazyLock;

use greenlight_secrets::{REDACTED, Secret};
use regex::Regex;

use crate::result::ProbeResult;

static AUTH_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*)[^\r\n,;]+")
        .unwrap_or_else(|_| unreachable!())
});
static PASSWORD_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b((?:password|passwd|pwd|pass|token|secret|api[_-]?key)\s*=\s*)[^\s&;,'\x22]+",
    )
    .unwrap_or_else(|_| unreachable!())
});
static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@")
        .unwrap_or_else(|_| unreachable!())
});

/// Replaces the given secrets and credential-looking patterns in text.
#[derive(Default)]
pub struct Redactor {
    needles: Vec<String>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Also hide this secret's value (and its URL-encoded and base64 forms).
    pub fn add(&mut self, secret: &Secret) {
        let v = secret.expose();
        if v.is_empty() {
            return;
        }
        self.needles.push(v.to_string());
        let encoded = percent_encode(v);
        if encoded != v {
            self.needles.push(encoded);
        }
        self.needles.push(base64(v.as_bytes()));
        // Longest first, so a secret containing another is replaced whole.
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        self.needles.dedup();
    }

    /// Hide `user:password` pairs too (HTTP basic auth sends their base64).
    pub fn add_pair(&mut self, user: &str, password: &Secret) {
        self.add(password);
        let pair = Secret::new(format!("{user}:{}", password.expose()));
        self.needles.push(base64(pair.expose().as_bytes()));
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        let out = AUTH_HEADER.replace_all(&out, format!("${{1}}{REDACTED}"));
        let out = PASSWORD_PARAM.replace_all(&out, format!("${{1}}{REDACTED}"));
        URL_USERINFO
            .replace_all(&out, format!("${{1}}{REDACTED}@"))
            .into_owned()
    }

    pub fn apply(&self, result: &mut ProbeResult) {
        result.summary = self.redact(&result.summary);
        for line in &mut result.evidence {
            line.label = self.redact(&line.label);
            line.value = self.redact(&line.value);
        }
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (what HTTP basic auth uses).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_used_secret_and_its_encodings_are_replaced() {
        let mut r = Redactor::new();
        r.add(&Secret::new("p@ss w0rd"));
        let text = "sent p@ss w0rd and p%40ss%20w0rd";
        assert_eq!(r.redact(text), "sent «redacted» and «redacted»");
    }

    #[test]
    fn authorization_headers_passwords_in_dsns_and_url_userinfo_are_replaced() {
        let r = Redactor::new();
        assert_eq!(
            r.redact("Authorization: Bearer abc.def"),
            "Authorization: «redacted»"
        );
        assert_eq!(
            r.redact("host=db user=app password=hunter2 dbname=x"),
            "host=db user=app password=«redacted» dbname=x"
        );
        assert_eq!(
            r.redact("postgres://app:hunter2@db:5432/x"),
            "postgres://app:«redacted»@db:5432/x"
        );
    }

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"guest:guest"), "Z3Vlc3Q6Z3Vlc3Q=");
    }
}
