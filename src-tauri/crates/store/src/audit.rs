//! The append-only audit log: each event carries the SHA-256 of the previous one (a hash chain
//! per stream), so editing, deleting or reordering any stored event is detectable by `verify`.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};

use crate::error::StoreResult;
use crate::time::{format_time, parse_time};
use crate::types::{AuditEvent, ChainReport};

/// `prev_hash` of the first event in every stream.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The audit stream of one run.
pub fn run_stream(run_id: &str) -> String {
    format!("run:{run_id}")
}

/// The audit stream of the template library.
pub const LIBRARY_STREAM: &str = "library";

/// What an event records, before it is chained.
pub struct NewEvent<'a> {
    pub stream: &'a str,
    pub kind: &'a str,
    pub element_id: Option<&'a str>,
    pub payload: serde_json::Value,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash of an event: SHA-256 over its chained fields, each length-prefixed so no two
/// different events can serialise to the same bytes.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &str,
    stream: &str,
    position: i64,
    kind: &str,
    element_id: Option<&str>,
    payload: &str,
    actor: &str,
    at: &str,
) -> String {
    let mut hasher = Sha256::new();
    let position = position.to_string();
    let fields = [
        prev_hash,
        stream,
        position.as_str(),
        kind,
        element_id.unwrap_or("\u{0}"),
        payload,
        actor,
        at,
    ];
    for field in fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Position and hash of the newest event of a stream (0 and the genesis hash when empty).
pub async fn head(conn: &mut SqliteConnection, stream: &str) -> StoreResult<(i64, String)> {
    let row = sqlx::query(
        "SELECT position, hash FROM audit_events WHERE stream = ? ORDER BY position DESC LIMIT 1",
    )
    .bind(stream)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => (row.try_get("position")?, row.try_get("hash")?),
        None => (0, GENESIS_HASH.to_string()),
    })
}

/// Appends an event to its stream inside the caller's transaction; returns the new head hash.
pub async fn append(conn: &mut SqliteConnection, event: NewEvent<'_>) -> StoreResult<String> {
    let (last_position, prev_hash) = head(conn, event.stream).await?;
    let position = last_position + 1;
    let payload = event.payload.to_string();
    let at = format_time(event.at);
    let hash = event_hash(
        &prev_hash,
        event.stream,
        position,
        event.kind,
        event.element_id,
        &payload,
        event.actor,
        &at,
    );
    sqlx::query(
        "INSERT INTO audit_events (stream, position, kind, element_id, payload, actor, at, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event.stream)
    .bind(position)
    .bind(event.kind)
    .bind(event.element_id)
    .bind(&payload)
    .bind(event.actor)
    .bind(&at)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(hash)
}

/// Appends an event to a run's stream inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn append_to_run(
    conn: &mut SqliteConnection,
    run_id: &str,
    kind: &str,
    element_id: Option<&str>,
    payload: serde_json::Value,
    actor: &str,
    at: DateTime<Utc>,
) -> StoreResult<String> {
    let stream = run_stream(run_id);
    append(
        conn,
        NewEvent {
            stream: &stream,
            kind,
            element_id,
            payload,
            actor,
            at,
        },
    )
    .await
}

/// All events of a stream in stored order (by insertion sequence).
pub async fn events(conn: &mut SqliteConnection, stream: &str) -> StoreResult<Vec<AuditEvent>> {
    let rows = sqlx::query(
        "SELECT position, kind, element_id, payload, actor, at, prev_hash, hash
         FROM audit_events WHERE stream = ? ORDER BY seq",
    )
    .bind(stream)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AuditEvent {
                position: row.try_get("position")?,
                kind: row.try_get("kind")?,
                element_id: row.try_get("element_id")?,
                payload: row.try_get("payload")?,
                actor: row.try_get("actor")?,
                at: parse_time(&row.try_get::<String, _>("at")?)?,
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            })
        })
        .collect()
}

/// Recomputes a stream's chain from its stored rows. Any edited field, deleted row or
/// reordered row breaks it at the first affected position.
pub fn verify_events(stream: &str, events: &[AuditEvent]) -> ChainReport {
    let mut prev_hash = GENESIS_HASH.to_string();
    for (index, event) in events.iter().enumerate() {
        let expected_position = index as i64 + 1;
        let recomputed = event_hash(
            &prev_hash,
            stream,
            event.position,
            &event.kind,
            event.element_id.as_deref(),
            &event.payload,
            &event.actor,
            &format_time(event.at),
        );
        let problem = if event.position != expected_position {
            Some(format!(
                "event {expected_position} is missing or out of order (found position {})",
                event.position
            ))
        } else if event.prev_hash != prev_hash {
            Some(format!(
                "event {expected_position} does not link to the event before it"
            ))
        } else if event.hash != recomputed {
            Some(format!(
                "event {expected_position} was altered after it was written"
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            return ChainReport {
                stream: stream.to_string(),
                intact: false,
                event_count: events.len() as i64,
                head_hash: events.last().map(|e| e.hash.clone()).unwrap_or_default(),
                first_bad_position: Some(expected_position),
                message,
                discrepancies: Vec::new(),
            };
        }
        prev_hash = event.hash.clone();
    }
    ChainReport {
        stream: stream.to_string(),
        intact: true,
        event_count: events.len() as i64,
        head_hash: prev_hash,
        first_bad_position: None,
        message: format!("all {} events verify", events.len()),
        discrepancies: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: usize) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_string();
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        (1..=n as i64)
            .map(|position| {
                let payload = format!("{{\"n\":{position}}}");
                let hash = event_hash(
                    &prev,
                    "run:x",
                    position,
                    "item_state",
                    Some("a"),
                    &payload,
                    "ann",
                    &format_time(at),
                );
                let event = AuditEvent {
                    position,
                    kind: "item_state".into(),
                    element_id: Some("a".into()),
                    payload,
                    actor: "ann".into(),
                    at,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                event
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies_and_reports_its_head() {
        let events = chain(5);
        let report = verify_events("run:x", &events);
        assert!(report.intact, "{}", report.message);
        assert_eq!(report.head_hash, events[4].hash);
        assert_eq!(report.event_count, 5);
    }

    #[test]
    fn editing_any_field_breaks_the_chain_at_that_event() {
        for (position, edit) in [(2_usize, 0_u8), (3, 1), (4, 2), (5, 3)] {
            let mut events = chain(5);
            let event = &mut events[position - 1];
            match edit {
                0 => event.payload = "{\"n\":99}".into(),
                1 => event.actor = "mallory".into(),
                2 => event.kind = "note".into(),
                _ => event.at += chrono::Duration::seconds(1),
            }
            let report = verify_events("run:x", &events);
            assert!(!report.intact);
            assert_eq!(report.first_bad_position, Some(position as i64));
        }
    }

    #[test]
    fn deleting_or_swapping_events_is_detected_at_the_gap() {
        let mut deleted = chain(5);
        deleted.remove(2);
        assert_eq!(verify_events("run:x", &deleted).first_bad_position, Some(3));

        let mut swapped = chain(5);
        swapped.swap(1, 3);
        assert_eq!(verify_events("run:x", &swapped).first_bad_position, Some(2));
    }

    #[test]
    fn a_chain_checked_under_another_stream_name_fails() {
        assert!(!verify_events("run:y", &chain(1)).intact);
    }
}
