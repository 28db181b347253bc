//! The store checks its own safeguards on every open: the triggers that keep the audit log
//! append-only must exist exactly as the migrations wrote them. Someone with the file and
//! `sqlite3` can drop them; that is reported (never silently repaired), and restored only when
//! the user agrees, as a logged event.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::SqliteConnection;
use ts_rs::TS;

use crate::Store;
use crate::audit::{self, NewEvent};
use crate::error::StoreResult;

/// A safeguard of the schema: a trigger, its name and its exact definition.
struct Safeguard {
    name: &'static str,
    sql: &'static str,
}

const SAFEGUARDS: [Safeguard; 2] = [
    Safeguard {
        name: "audit_events_are_append_only_update",
        sql: "CREATE TRIGGER audit_events_are_append_only_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END",
    },
    Safeguard {
        name: "audit_events_are_append_only_delete",
        sql: "CREATE TRIGGER audit_events_are_append_only_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END",
    },
];

/// A safeguard that is missing or not as the migrations wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SchemaProblem {
    /// The trigger's name.
    pub name: String,
    /// `missing` or `altered`.
    pub problem: String,
    pub message: String,
}

fn normalised(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn problems(conn: &mut SqliteConnection) -> StoreResult<Vec<SchemaProblem>> {
    let mut found = Vec::new();
    for safeguard in &SAFEGUARDS {
        let sql: Option<Option<String>> =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
                .bind(safeguard.name)
                .fetch_optional(&mut *conn)
                .await?;
        let problem = match sql.flatten() {
            None => "missing",
            Some(sql) if normalised(&sql) != normalised(safeguard.sql) => "altered",
            Some(_) => continue,
        };
        found.push(SchemaProblem {
            name: safeguard.name.to_string(),
            problem: problem.to_string(),
            message: format!(
                "the trigger {} that keeps the audit log append-only is {problem}: someone changed the database outside Greenlight",
                safeguard.name
            ),
        });
    }
    Ok(found)
}

impl Store {
    /// The safeguards that are missing or altered (empty when the schema is as written).
    pub async fn schema_problems(&self) -> StoreResult<Vec<SchemaProblem>> {
        problems(&mut *self.pool.acquire().await?).await
    }

    /// Recreates missing or altered safeguards, with the user's consent, and logs that it did
    /// (a `schema_restored` event in the library log naming each one). Returns what was restored.
    pub async fn restore_schema(
        &self,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<SchemaProblem>> {
        let mut tx = self.write().await?;
        let found = problems(&mut tx).await?;
        if found.is_empty() {
            return Ok(found);
        }
        for problem in &found {
            let Some(safeguard) = SAFEGUARDS.iter().find(|s| s.name == problem.name) else {
                continue;
            };
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP TRIGGER IF EXISTS {}",
                safeguard.name
            )))
            .execute(&mut *tx)
            .await?;
            sqlx::query(sqlx::AssertSqlSafe(safeguard.sql.to_string()))
                .execute(&mut *tx)
                .await?;
        }
        audit::append(
            &mut tx,
            NewEvent {
                stream: audit::LIBRARY_STREAM,
                kind: "schema_restored",
                element_id: None,
                payload: json!({
                    "restored": found.iter().map(|p| json!({"trigger": p.name, "was": p.problem})).collect::<Vec<_>>(),
                }),
                actor,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(
            count = found.len(),
            "restored schema safeguards with the user's consent"
        );
        Ok(found)
    }
}
