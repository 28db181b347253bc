//! Command approvals: the digests of the exact command texts a person approved per template
//! (each approval is also a `command_approved` event in the library stream).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::audit::{self, NewEvent};
use crate::error::StoreResult;
use crate::time::{format_time, parse_time};

/// One approved command text of a template, with who approved it and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedCommand {
    pub digest: String,
    pub command_text: String,
    pub approved_by: String,
    pub approved_at: DateTime<Utc>,
}

impl Store {
    /// Approved command digests of a template.
    pub async fn command_approvals(&self, template_id: &str) -> StoreResult<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT digest FROM command_approvals WHERE template_id = ?")
                .bind(template_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The approved command texts of a template, oldest approval first.
    pub async fn approved_commands(&self, template_id: &str) -> StoreResult<Vec<ApprovedCommand>> {
        let rows = sqlx::query(
            "SELECT digest, command_text, approved_by, approved_at FROM command_approvals
             WHERE template_id = ? ORDER BY approved_at, digest",
        )
        .bind(template_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ApprovedCommand {
                    digest: row.try_get("digest")?,
                    command_text: row.try_get("command_text")?,
                    approved_by: row.try_get("approved_by")?,
                    approved_at: parse_time(&row.try_get::<String, _>("approved_at")?)?,
                })
            })
            .collect()
    }

    /// Records a person's approval of one exact command text for one template.
    pub async fn approve_command(
        &self,
        template_id: &str,
        digest: &str,
        command_text: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT OR IGNORE INTO command_approvals (template_id, digest, command_text, approved_by, approved_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(template_id)
        .bind(digest)
        .bind(command_text)
        .bind(actor)
        .bind(format_time(now))
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            NewEvent {
                stream: audit::LIBRARY_STREAM,
                kind: "command_approved",
                element_id: None,
                payload: json!({ "template_id": template_id, "digest": digest, "command": command_text }),
                actor,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
