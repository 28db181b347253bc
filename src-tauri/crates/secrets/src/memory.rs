//! [`MemoryStore`]: secrets in a map, for tests of code that needs a [`SecretStore`] where no
//! keychain can run. Never used by the app for real credentials.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::{Secret, SecretError, SecretStore, validate_name};

/// An in-memory [`SecretStore`]. `unavailable()` builds one that refuses every call, to test the
/// "no keychain" path of callers.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, Secret>>,
    unavailable: bool,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding the given `(name, value)` pairs.
    pub fn with(entries: &[(&str, &str)]) -> Self {
        let store = Self::new();
        for (name, value) in entries {
            store
                .lock()
                .insert((*name).to_string(), Secret::new(*value));
        }
        store
    }

    /// A store that answers every call with [`SecretError::Unavailable`].
    pub fn unavailable() -> Self {
        Self {
            secrets: Mutex::default(),
            unavailable: true,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        self.secrets.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn check(&self) -> Result<(), SecretError> {
        if self.unavailable {
            Err(SecretError::Unavailable {
                reason: "test store marked unavailable".into(),
            })
        } else {
            Ok(())
        }
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Secret, SecretError> {
        self.check()?;
        validate_name(name)?;
        self.lock()
            .get(name)
            .cloned()
            .ok_or_else(|| SecretError::NotFound { name: name.into() })
    }

    fn set(&self, name: &str, secret: &Secret) -> Result<(), SecretError> {
        self.check()?;
        validate_name(name)?;
        self.lock().insert(name.to_string(), secret.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.check()?;
        validate_name(name)?;
        self.lock()
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| SecretError::NotFound { name: name.into() })
    }

    fn available(&self) -> Result<(), SecretError> {
        self.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_store_keeps_replaces_and_forgets_secrets() {
        let store = MemoryStore::with(&[("a", "1")]);
        assert_eq!(store.get("a").unwrap().expose(), "1");
        store.set("a", &Secret::new("2")).unwrap();
        assert_eq!(store.get("a").unwrap().expose(), "2");
        store.delete("a").unwrap();
        assert_eq!(store.delete("a").unwrap_err().code(), "secret_not_found");
    }

    #[test]
    fn an_unavailable_memory_store_refuses_every_call() {
        let store = MemoryStore::unavailable();
        assert_eq!(
            store.available().unwrap_err().code(),
            "keychain_unavailable"
        );
        assert_eq!(store.get("a").unwrap_err().code(), "keychain_unavailable");
    }
}
