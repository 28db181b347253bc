//! [`ProbeContext`]: what a probe run gets from its caller — secrets, command approvals, the
//! clock and the template the probes come from. Nothing is global.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenlight_secrets::{Secret, SecretError, SecretStore};

use crate::approval::ApprovalCheck;
use crate::redact::Redactor;
use crate::result::Finding;

/// Where "now" comes from (a fixed clock in tests).
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same time.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

pub struct ProbeContext {
    pub secrets: Arc<dyn SecretStore>,
    pub approvals: Arc<dyn ApprovalCheck>,
    pub clock: Arc<dyn Clock>,
    /// Id of the template the probes belong to; part of every command approval.
    pub template_id: String,
}

impl ProbeContext {
    pub fn new(
        secrets: Arc<dyn SecretStore>,
        approvals: Arc<dyn ApprovalCheck>,
        clock: Arc<dyn Clock>,
        template_id: impl Into<String>,
    ) -> Self {
        Self {
            secrets,
            approvals,
            clock,
            template_id: template_id.into(),
        }
    }

    /// Reads a credential (on a blocking thread: the keychain may take seconds) and registers
    /// its value with the redactor. A failure becomes the probe's Error finding.
    pub(crate) async fn secret(&self, name: &str, red: &mut Redactor) -> Result<Secret, Finding> {
        let store = self.secrets.clone();
        let owned = name.to_string();
        let got = tokio::task::spawn_blocking(move || store.get(&owned))
            .await
            .unwrap_or_else(|_| {
                Err(SecretError::Platform {
                    reason: "keychain task failed".into(),
                })
            });
        match got {
            Ok(secret) => {
                red.add(&secret);
                Ok(secret)
            }
            Err(e) => Err(Finding::error(
                e.code(),
                format!("credential “{name}”: {e}"),
            )),
        }
    }
}
