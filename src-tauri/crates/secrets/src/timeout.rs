//! Runs a blocking keychain call on its own thread and gives up after a timeout.
//!
//! A locked keyring can block a call forever (it waits for an unlock prompt nobody sees). The
//! caller gets [`SecretError::Timeout`] instead; the stuck thread is left behind, parked in the OS
//! call, and ends by itself if the keychain ever answers.

use std::sync::mpsc;
use std::time::Duration;

use crate::SecretError;

/// Runs `call` on a fresh thread; `Err(Timeout)` when it has not returned within `timeout`.
pub(crate) fn with_timeout<T, F>(timeout: Duration, call: F) -> Result<T, SecretError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, SecretError> + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("greenlight-keychain".into())
        .spawn(move || {
            // The receiver may be gone after a timeout: nothing to report then.
            let _ = tx.send(call());
        })
        .map_err(|e| SecretError::Platform {
            reason: format!("could not start the keychain thread: {e}"),
        })?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(SecretError::Timeout),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(SecretError::Platform {
            reason: "the keychain call stopped unexpectedly".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn a_call_that_never_returns_becomes_a_timeout_error_quickly() {
        let started = Instant::now();
        let result: Result<(), _> = with_timeout(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        });
        assert_eq!(result, Err(SecretError::Timeout));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_prompt_call_returns_its_own_result() {
        assert_eq!(with_timeout(Duration::from_secs(5), || Ok(7)), Ok(7));
    }
}
