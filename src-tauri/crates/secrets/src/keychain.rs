//! [`KeychainStore`]: the real OS keychain through keyring-core (Secret Service on Linux, the
//! login keychain on macOS, Credential Manager on Windows). Every call, opening the store included,
//! runs on its own thread and gives up after a timeout.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};

use crate::timeout::with_timeout;
use crate::{SERVICE, Secret, SecretError, SecretStore, validate_name};

/// How long a keychain call may take before it is reported as [`SecretError::Timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Name of the entry `available()` looks up: it is never created, a "not found" answer proves the
/// keychain is reachable and unlocked enough to search.
const PROBE_ENTRY: &str = "greenlight-availability-check";

type StoreOpener = fn() -> keyring_core::Result<Arc<CredentialStore>>;

/// The OS keychain. Cheap to create: the platform store is opened on first use (and again after a
/// failure, so starting gnome-keyring later fixes things without a restart).
pub struct KeychainStore {
    /// How to (re)open the platform store; `None` for a store handed in by [`Self::with_store`].
    open: Option<StoreOpener>,
    store: Mutex<Option<Arc<CredentialStore>>>,
    timeout: Duration,
}

impl KeychainStore {
    /// The platform keychain with [`DEFAULT_TIMEOUT`].
    pub fn new() -> Self {
        Self::with_timeout(DEFAULT_TIMEOUT)
    }

    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            open: Some(open_os_store),
            store: Mutex::new(None),
            timeout,
        }
    }

    /// Over a given keyring-core store (e.g. `keyring_core::mock::Store` in tests).
    pub fn with_store(store: Arc<CredentialStore>, timeout: Duration) -> Self {
        Self {
            open: None,
            store: Mutex::new(Some(store)),
            timeout,
        }
    }

    /// The platform store, opened now if it was not yet (on the caller's timed thread).
    fn store(&self) -> Result<Arc<CredentialStore>, SecretError> {
        let mut cached = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = cached.as_ref() {
            return Ok(store.clone());
        }
        let open = self.open.unwrap_or(no_store);
        let store = with_timeout(self.timeout, move || {
            open().map_err(|e| SecretError::Unavailable {
                reason: describe(&e),
            })
        })?;
        *cached = Some(store.clone());
        Ok(store)
    }

    /// Forgets the opened platform store so the next call opens a new one; false when the store
    /// was handed in and cannot be reopened.
    fn forget_store(&self) -> bool {
        if self.open.is_none() {
            return false;
        }
        *self.store.lock().unwrap_or_else(|p| p.into_inner()) = None;
        true
    }

    /// Builds the entry for `name` and runs `op` on it, all within the timeout. A platform
    /// failure is tried once more on a newly opened store: when the Secret Service restarts (a new
    /// login, a crash, an unlock that replaced the daemon) the old store's session is gone for
    /// good ("NoSession"), and only a new one works. After a timeout the next call opens a new
    /// store too, since the abandoned call may still be holding the old one.
    fn call<T, F>(&self, name: &str, op: F) -> Result<T, SecretError>
    where
        T: Send + 'static,
        F: Fn(&Entry) -> Result<T, SecretError> + Send + Sync + 'static,
    {
        validate_name(name)?;
        let op = Arc::new(op);
        match self.call_on(self.store()?, name, op.clone()) {
            Err(SecretError::Platform { .. } | SecretError::Unavailable { .. })
                if self.forget_store() =>
            {
                self.call_on(self.store()?, name, op)
            }
            Err(SecretError::Timeout) => {
                // The stuck call may still hold the old store's connection: start afresh next time.
                self.forget_store();
                Err(SecretError::Timeout)
            }
            other => other,
        }
    }

    fn call_on<T, F>(
        &self,
        store: Arc<CredentialStore>,
        name: &str,
        op: Arc<F>,
    ) -> Result<T, SecretError>
    where
        T: Send + 'static,
        F: Fn(&Entry) -> Result<T, SecretError> + Send + Sync + 'static,
    {
        let name = name.to_string();
        with_timeout(self.timeout, move || {
            let entry = store
                .build(SERVICE, &name, None)
                .map_err(|e| map_error(&name, e))?;
            op(&entry)
        })
    }
}

impl Default for KeychainStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretStore for KeychainStore {
    fn get(&self, name: &str) -> Result<Secret, SecretError> {
        let owned = name.to_string();
        self.call(name, move |entry| {
            entry
                .get_password()
                .map(Secret::new)
                .map_err(|e| map_error(&owned, e))
        })
    }

    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        let owned = name.to_string();
        let value = secret.clone();
        self.call(name, move |entry| {
            entry
                .set_password(value.expose())
                .map_err(|e| scrub(map_error(&owned, e), &value))
        })
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        let owned = name.to_string();
        self.call(name, move |entry| {
            entry.delete_credential().map_err(|e| map_error(&owned, e))
        })
    }

    fn available(&self) -> Result<(), SecretError> {
        match self.get(PROBE_ENTRY) {
            Ok(_) | Err(SecretError::NotFound { .. }) => Ok(()),
            Err(SecretError::Platform { reason }) => Err(SecretError::Unavailable { reason }),
            Err(other) => Err(other),
        }
    }
}

#[cfg(target_os = "linux")]
fn open_os_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn open_os_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn open_os_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_os_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no keychain on this platform".into(),
    ))
}

fn no_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NoDefaultStore)
}

/// A platform error as one line of text, bounded in length.
fn describe(e: &keyring_core::Error) -> String {
    let text = e.to_string().replace(['\n', '\r'], " ");
    if text.chars().count() > 300 {
        text.chars().take(300).collect::<String>() + "…"
    } else {
        text
    }
}

fn map_error(name: &str, e: keyring_core::Error) -> SecretError {
    use keyring_core::Error as K;
    match e {
        K::NoEntry => SecretError::NotFound {
            name: name.to_string(),
        },
        K::NoStorageAccess(_) => SecretError::Locked {
            reason: describe(&e),
        },
        K::BadEncoding(_) | K::BadDataFormat(..) => SecretError::Platform {
            reason: format!("the stored value of “{name}” is not readable text"),
        },
        K::NoDefaultStore => SecretError::Unavailable {
            reason: describe(&e),
        },
        K::TooLong(..) | K::Invalid(..) => SecretError::InvalidName {
            name: name.to_string(),
            reason: describe(&e),
        },
        _ => {
            let reason = describe(&e);
            // A bus without a Secret Service provider answers the first call with this.
            if reason.contains("org.freedesktop.secrets") || reason.contains("ServiceUnknown") {
                SecretError::Unavailable { reason }
            } else {
                SecretError::Platform { reason }
            }
        }
    }
}

/// Belt and braces: no platform text ever carries the secret out.
fn scrub(err: SecretError, secret: &Secret) -> SecretError {
    let clean = |s: String| {
        if secret.is_empty() {
            s
        } else {
            s.replace(secret.expose(), crate::REDACTED)
        }
    };
    match err {
        SecretError::Locked { reason } => SecretError::Locked {
            reason: clean(reason),
        },
        SecretError::Platform { reason } => SecretError::Platform {
            reason: clean(reason),
        },
        SecretError::Unavailable { reason } => SecretError::Unavailable {
            reason: clean(reason),
        },
        SecretError::InvalidName { name, reason } => SecretError::InvalidName {
            name,
            reason: clean(reason),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use keyring_core::mock;

    use super::*;

    fn mock_store() -> KeychainStore {
        // The mock stands in for the OS keychain only in unit tests of the adapter; the real
        // keychain is exercised in tests/keychain.rs under dbus-run-session.
        KeychainStore::with_store(mock::Store::new().unwrap(), Duration::from_secs(5))
    }

    #[test]
    fn set_get_and_delete_round_trip_through_keyring_core() {
        let store = mock_store();
        store.set("api-token", &Secret::new("s3cret-✓")).unwrap();
        assert_eq!(store.get("api-token").unwrap().expose(), "s3cret-✓");
        store.delete("api-token").unwrap();
        assert_eq!(
            store.get("api-token").unwrap_err().code(),
            "secret_not_found"
        );
    }

    #[test]
    fn a_store_that_cannot_be_opened_is_reported_unavailable() {
        let store = KeychainStore {
            open: Some(no_store),
            store: Mutex::new(None),
            timeout: Duration::from_secs(1),
        };
        let err = store.available().unwrap_err();
        assert_eq!(err.code(), "keychain_unavailable");
    }

    #[test]
    fn a_locked_keychain_error_says_to_unlock_it() {
        let e = keyring_core::Error::NoStorageAccess("collection is locked".into());
        let err = map_error("db", e);
        assert_eq!(err.code(), "keychain_locked");
        assert!(err.to_string().contains("unlock"));
    }

    #[test]
    fn a_platform_error_that_echoes_the_secret_is_scrubbed() {
        let secret = Secret::new("pa55w0rd");
        let err = scrub(
            SecretError::Platform {
                reason: "bad value pa55w0rd".into(),
            },
            &secret,
        );
        assert!(!err.to_string().contains("pa55w0rd"));
    }
}
