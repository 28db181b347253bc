//! The one text format for stored times: RFC 3339, UTC, milliseconds (`2026-11-23T10:00:00.000Z`).

use chrono::{DateTime, SecondsFormat, Utc};

use crate::error::{StoreError, StoreResult};

pub fn format_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_time(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|e| StoreError::Decode(format!("bad time {text:?}: {e}")))
}

pub fn parse_optional_time(text: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    text.as_deref().map(parse_time).transpose()
}
