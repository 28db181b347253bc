//! [`SecretError`]: what can go wrong with the keychain, in words a release manager can act on.
//! No variant ever carries a secret value.

/// How to get a keychain on this OS, appended to [`SecretError::Unavailable`].
#[cfg(target_os = "linux")]
pub const HOW_TO_ENABLE: &str = "Greenlight keeps credentials in the Secret Service: install and start \
gnome-keyring (or KWallet with its Secret Service support) inside your desktop's D-Bus session, \
then unlock it";
#[cfg(target_os = "macos")]
pub const HOW_TO_ENABLE: &str = "Greenlight keeps credentials in the macOS login keychain: open Keychain Access and check that it exists and is unlocked";
#[cfg(target_os = "windows")]
pub const HOW_TO_ENABLE: &str = "Greenlight keeps credentials in the Windows Credential Manager: check that the service is running";
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
pub const HOW_TO_ENABLE: &str = "this platform has no supported keychain";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("no credential named “{name}” is stored in the keychain")]
    NotFound { name: String },
    #[error("no OS keychain is available ({reason}). {HOW_TO_ENABLE}")]
    Unavailable { reason: String },
    #[error("the keychain did not answer — it may be locked; unlock it and try again")]
    Timeout,
    #[error("the keychain refused access — it may be locked; unlock it and try again ({reason})")]
    Locked { reason: String },
    #[error("“{name}” cannot be a credential name: {reason}")]
    InvalidName { name: String, reason: String },
    #[error("the keychain failed: {reason}")]
    Platform { reason: String },
}

impl SecretError {
    /// A stable machine-readable code for the UI and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "secret_not_found",
            Self::Unavailable { .. } => "keychain_unavailable",
            Self::Timeout => "keychain_timeout",
            Self::Locked { .. } => "keychain_locked",
            Self::InvalidName { .. } => "invalid_credential_name",
            Self::Platform { .. } => "keychain_error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeout_message_tells_the_user_to_unlock_the_keychain() {
        let msg = SecretError::Timeout.to_string();
        assert!(
            msg.contains("may be locked") && msg.contains("unlock"),
            "{msg}"
        );
        assert_eq!(SecretError::Timeout.code(), "keychain_timeout");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_unavailable_message_says_how_to_get_a_secret_service_on_linux() {
        let msg = SecretError::Unavailable {
            reason: "no D-Bus session".into(),
        }
        .to_string();
        assert!(
            msg.contains("gnome-keyring") && msg.contains("D-Bus"),
            "{msg}"
        );
    }
}
