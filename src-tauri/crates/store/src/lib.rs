//! Greenlight's local store and use-cases: one SQLite file, opened through sqlx.
//!
//! **Invariants:** every user action is one `BEGIN IMMEDIATE` transaction that updates the
//! current-state tables *and* appends its audit event, committed with `synchronous = FULL`
//! before the caller is told it succeeded; audit events are never updated or deleted (SQL
//! triggers refuse it); no secret is ever written here.

mod approvals;
pub mod audit;
mod credentials;
mod environments;
pub mod error;
mod evidence;
mod preflight;
pub mod projection_check;
pub mod replay;
mod runs;
mod schema_check;
mod signoffs;
mod templates;
pub mod time;
pub mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use greenlight_core::Template;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

pub use approvals::ApprovedCommand;
pub use error::{StoreError, StoreResult};
pub use evidence::NewEvidence;
pub use preflight::{PreflightLine, PreflightOutcome};
pub use projection_check::Discrepancy;
pub use schema_check::SchemaProblem;
pub use signoffs::DEFAULT_RETENTION_DAYS;
pub use templates::{BundledTemplate, preview as preview_template};
pub use types::*;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// When the database cannot be opened, whether the reason is that its folder cannot be written.
fn not_writable(path: &Path) -> Option<StoreError> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let probe = folder.join(".greenlight-write-check");
    match std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(error) => Some(StoreError::NotWritable {
            path: folder.display().to_string(),
            reason: error.to_string(),
        }),
    }
}

/// A handle on the store. Cheap to clone (a connection pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    templates: TemplateCache,
}

/// Parsed template models by id; safe to cache because stored templates never change.
#[derive(Clone, Debug, Default)]
pub(crate) struct TemplateCache(Arc<Mutex<HashMap<String, Arc<Template>>>>);

impl TemplateCache {
    pub(crate) fn get(&self, id: &str) -> Option<Arc<Template>> {
        self.0.lock().ok()?.get(id).cloned()
    }

    pub(crate) fn insert(&self, id: &str, template: Arc<Template>) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(id.to_string(), template);
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    /// Before applying new migrations to an existing file, a backup copy is written beside it.
    pub async fn open(path: &Path) -> StoreResult<Store> {
        let open_error = |reason: String| StoreError::Open {
            path: path.display().to_string(),
            reason,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|e| open_error(e.to_string()))?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed change survives power loss too, not only a killed process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = match SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
        {
            Ok(pool) => pool,
            Err(error) => {
                if let Some(not_writable) = not_writable(path) {
                    return Err(not_writable);
                }
                return Err(match StoreError::from(error) {
                    StoreError::Database(reason) => open_error(reason),
                    other => other,
                });
            }
        };
        let store = Store {
            pool,
            path: path.to_path_buf(),
            templates: TemplateCache::default(),
        };
        store.backup_before_migrating().await?;
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }

    pub(crate) fn template_cache(&self) -> &TemplateCache {
        &self.templates
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn backup_before_migrating(&self) -> StoreResult<()> {
        let applied: Vec<i64> = match sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&self.pool)
            .await
        {
            Ok(versions) => versions,
            Err(_) => return Ok(()), // a new file: nothing to back up
        };
        let pending = MIGRATOR.iter().any(|m| !applied.contains(&m.version));
        if !pending || applied.is_empty() {
            return Ok(());
        }
        let latest = applied.iter().max().copied().unwrap_or_default();
        let backup = self
            .path
            .with_extension(format!("schema{latest}.backup.sqlite3"));
        let _ = std::fs::remove_file(&backup);
        sqlx::query("VACUUM INTO ?")
            .bind(backup.display().to_string())
            .execute(&self.pool)
            .await?;
        tracing::info!(backup = %backup.display(), "backed up the database before migrating");
        Ok(())
    }

    async fn write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A stored setting (`actor`, `export_dir`, `paper`, ...).
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The name recorded as "who" on every change, when one was set.
    pub async fn actor(&self) -> StoreResult<Option<String>> {
        self.setting("actor").await
    }

    /// Sets the name recorded as "who" on every change.
    pub async fn set_actor(&self, name: &str) -> StoreResult<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("your name cannot be empty".into()));
        }
        self.set_setting("actor", name).await
    }

    /// The person using Greenlight, once they said who they are (first start, or Settings).
    pub async fn identity(&self) -> StoreResult<Option<Identity>> {
        let Some(name) = self.actor().await? else {
            return Ok(None);
        };
        let optional = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
        Ok(Some(Identity {
            name,
            email: optional(self.setting("actor_email").await?),
            role: optional(self.setting("actor_role").await?),
        }))
    }

    /// Records who is using Greenlight: a name (required), an email and a role (optional).
    pub async fn set_identity(&self, identity: &Identity) -> StoreResult<Identity> {
        let identity = identity.validated().map_err(StoreError::Invalid)?;
        self.set_actor(&identity.name).await?;
        self.set_setting("actor_email", identity.email.as_deref().unwrap_or(""))
            .await?;
        self.set_setting("actor_role", identity.role.as_deref().unwrap_or(""))
            .await?;
        Ok(identity)
    }
}
