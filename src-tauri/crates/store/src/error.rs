//! Store errors: everything a use-case can refuse or fail with, each with a stable `code`.

use greenlight_core::ImportError;
use greenlight_core::run::RuleViolation;

/// Why a store operation failed. `code()` is the stable identifier the UI switches on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the template could not be imported: {0}")]
    Import(#[from] ImportError),
    #[error("{0}")]
    Rule(#[from] RuleViolation),
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Invalid(String),
    #[error("the database is busy or locked by another program; close it and try again")]
    Locked,
    #[error("the disk is full; nothing was saved. Free some space and try again")]
    DiskFull,
    #[error("the database file is read-only; nothing was saved")]
    ReadOnly,
    #[error(
        "the database file is damaged ({0}); restore the backup copy or export what is readable"
    )]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("could not open the database at {path}: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "cannot write to {path} ({reason}): the disk or folder is read-only; nothing was changed. Make it writable, or set GREENLIGHT_HOME to a writable folder"
    )]
    NotWritable { path: String, reason: String },
    #[error("stored data could not be read: {0}")]
    Decode(String),
    #[error("this run is kept until {0} (retention) and cannot be deleted before then")]
    Retained(String),
}

impl StoreError {
    /// Stable machine-readable code for the UI and the CLI's exit messages.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Import(_) => "import_failed",
            StoreError::Rule(RuleViolation::FailNeedsNote) => "fail_needs_note",
            StoreError::Rule(RuleViolation::RunNotEditable(_)) => "run_read_only",
            StoreError::Rule(RuleViolation::EmptyNote) => "empty_note",
            StoreError::Rule(RuleViolation::GateNeedsOverride { .. }) => "gate_needs_override",
            StoreError::Rule(RuleViolation::NotAGateOption { .. }) => "invalid_input",
            StoreError::Rule(_) => "rule_violation",
            StoreError::NotFound { .. } => "not_found",
            StoreError::Invalid(_) => "invalid_input",
            StoreError::Locked => "database_locked",
            StoreError::DiskFull => "disk_full",
            StoreError::ReadOnly => "database_read_only",
            StoreError::Corrupt(_) => "database_corrupt",
            StoreError::Database(_) => "database_error",
            StoreError::Open { .. } => "database_open_failed",
            StoreError::NotWritable { .. } => "database_read_only",
            StoreError::Decode(_) => "stored_data_unreadable",
            StoreError::Retained(_) => "retention_not_expired",
        }
    }

    pub(crate) fn not_found(what: &'static str, id: &str) -> StoreError {
        StoreError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

/// Maps SQLite's result codes to errors a person can act on.
impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &error {
            // Primary SQLite result codes (extended codes keep them in the low byte).
            let primary = db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .map(|c| c & 0xff);
            match primary {
                Some(5) | Some(6) => return StoreError::Locked,
                Some(8) => return StoreError::ReadOnly,
                Some(13) => return StoreError::DiskFull,
                Some(11) | Some(26) => return StoreError::Corrupt(db.message().to_string()),
                _ => {}
            }
        }
        StoreError::Database(error.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> StoreError {
        match error {
            sqlx::migrate::MigrateError::Execute(inner) => StoreError::from(inner),
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> StoreError {
        StoreError::Decode(error.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
