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

/// Serde for times that must cross in exactly the stored format (an audit event's `at` is
/// hashed as text: a record shows it as hashed, so other verifiers need not re-format it).
pub mod stored_format {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_time(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_time(&text).map_err(serde::de::Error::custom)
    }
}
