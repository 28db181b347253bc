//! Environments: named sets of variables (`api_base`, `db_host`, ...) a run's probes fill in.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::time::format_time;
use crate::types::Environment;

/// A name for an environment, variable or credential: letters, digits, '-', '_' and '.'.
pub(crate) fn valid_name(name: &str, what: &str) -> StoreResult<String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(StoreError::Invalid(format!(
            "{what} names use letters, digits, '-', '_' and '.' (at most 64)"
        )))
    }
}

impl Store {
    pub async fn environments(&self) -> StoreResult<Vec<Environment>> {
        let rows = sqlx::query("SELECT name, variables_json FROM environments ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Environment {
                    name: row.try_get("name")?,
                    variables: serde_json::from_str(&row.try_get::<String, _>("variables_json")?)?,
                })
            })
            .collect()
    }

    /// The variables of an environment (empty when none is defined under that name).
    pub async fn environment_variables(&self, name: &str) -> StoreResult<BTreeMap<String, String>> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT variables_json FROM environments WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(json
            .map(|j| serde_json::from_str(&j))
            .transpose()?
            .unwrap_or_default())
    }

    pub async fn save_environment(&self, env: &Environment, now: DateTime<Utc>) -> StoreResult<()> {
        let name = valid_name(&env.name, "environment")?;
        for key in env.variables.keys() {
            valid_name(key, "variable")?;
        }
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO environments (name, variables_json, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET variables_json = excluded.variables_json, updated_at = excluded.updated_at",
        )
        .bind(&name)
        .bind(serde_json::to_string(&env.variables)?)
        .bind(format_time(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_environment(&self, name: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM environments WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
