//! Credential references: a credential's name, kind and user name; the secret itself is only
//! ever in the OS keychain, never here.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::Store;
use crate::environments::valid_name;
use crate::error::{StoreError, StoreResult};
use crate::time::{format_time, parse_time};
use crate::types::{Credential, CredentialKind};

impl Store {
    pub async fn credentials(&self) -> StoreResult<Vec<Credential>> {
        let rows =
            sqlx::query("SELECT name, kind, username, created_at FROM credentials ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Credential {
                    name: row.try_get("name")?,
                    kind: CredentialKind::parse(&row.try_get::<String, _>("kind")?)
                        .ok_or_else(|| StoreError::Decode("unknown credential kind".into()))?,
                    username: row.try_get("username")?,
                    created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
                })
            })
            .collect()
    }

    /// Records that a credential exists (its secret is in the OS keychain, never here).
    pub async fn save_credential_reference(
        &self,
        name: &str,
        kind: CredentialKind,
        username: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<String> {
        let name = valid_name(name, "credential")?;
        let username = username.map(str::trim).filter(|u| !u.is_empty());
        if kind == CredentialKind::UserPassword && username.is_none() {
            return Err(StoreError::Invalid(
                "a user-and-password credential needs a user name".into(),
            ));
        }
        sqlx::query(
            "INSERT INTO credentials (name, kind, username, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, username = excluded.username",
        )
        .bind(&name)
        .bind(kind.as_str())
        .bind(username)
        .bind(format_time(now))
        .execute(&self.pool)
        .await?;
        Ok(name)
    }

    pub async fn delete_credential_reference(&self, name: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM credentials WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
