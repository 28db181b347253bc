//! [`Secret`]: a secret value that never prints itself and is wiped from memory when dropped.

use std::fmt;

use zeroize::Zeroizing;

/// What every redacted value is printed as.
pub const REDACTED: &str = "«redacted»";

/// A secret value (password, token). `Debug` and `Display` print [`REDACTED`]; the bytes are
/// overwritten with zeros when the value is dropped. Read it with [`Secret::expose`], only at the
/// point where it is handed to a protocol.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret text. Never log or format it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("hunter2-ünïcode");
        assert_eq!(format!("{s}"), "«redacted»");
        assert_eq!(format!("{s:?}"), "Secret(«redacted»)");
        assert_eq!(format!("{s:#?}"), "Secret(«redacted»)");
        assert_eq!(s.expose(), "hunter2-ünïcode");
    }
}
