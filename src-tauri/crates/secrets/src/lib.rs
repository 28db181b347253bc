//! Named credentials kept only in the OS keychain: a [`SecretStore`] trait, a redacting [`Secret`],
//! the real keychain store ([`KeychainStore`], every call bounded by a timeout) and an in-memory
//! store ([`MemoryStore`]) for tests of code that needs secrets where no keychain can run.
//!
//! Entries use the service name [`SERVICE`] ("greenlight") and the credential's name as username,
//! so `secret-tool lookup service greenlight username NAME` finds them on Linux.

mod error;
mod keychain;
mod memory;
mod secret;
mod timeout;

pub use error::SecretError;
pub use keychain::{DEFAULT_TIMEOUT, KeychainStore};
pub use memory::MemoryStore;
pub use secret::{REDACTED, Secret};

/// The keychain service name under which every Greenlight credential is stored.
pub const SERVICE: &str = "greenlight";

/// Longest credential name accepted (keychains limit attribute lengths; names are labels, not data).
pub const MAX_NAME_CHARS: usize = 128;

/// Where named secrets live. Implementations must never put a secret value in an error.
pub trait SecretStore: Send + Sync {
    /// The secret stored under `name`, or [`SecretError::NotFound`].
    fn get(&self, name: &str) -> Result<Secret, SecretError>;
    /// Stores (or replaces) the secret under `name`.
    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError>;
    /// Removes the secret under `name`; [`SecretError::NotFound`] when there was none.
    fn delete(&self, name: &str) -> Result<(), SecretError>;
    /// `Ok` when the store can be used right now (reachable and answering).
    fn available(&self) -> Result<(), SecretError>;
}

/// Checks a credential name: 1..=128 characters, no control characters, not only spaces.
pub fn validate_name(name: &str) -> Result<(), SecretError> {
    let reason = if name.trim().is_empty() {
        Some("it is empty")
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some("it is longer than 128 characters")
    } else if name.chars().any(char::is_control) {
        Some("it contains control characters")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(SecretError::InvalidName {
            name: name
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_NAME_CHARS)
                .collect(),
            reason: reason.to_string(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_or_non_ascii_name_is_accepted() {
        assert!(validate_name("api-token").is_ok());
        assert!(validate_name("clé-prod ✓").is_ok());
    }

    #[test]
    fn empty_overlong_and_control_character_names_are_refused() {
        for bad in ["", "   ", "a\nb", &"x".repeat(129)] {
            let err = validate_name(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_credential_name", "{bad:?}");
        }
    }
}
