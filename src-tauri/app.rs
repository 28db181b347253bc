//! The use-case facade the window and the CLI share: opens the store, loads bundled templates,
//! supplies "who" and "now", and maps every failure to an `ApiError {code, message}`.
//! Tauri-free, so it is tested without a webview.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::ItemState;
use greenlight_store::{
    ApiError, AppInfo, AuditEvent, ChainReport, NewRun, RunDetail, RunState, RunSummary, Store,
    StoreError, TemplateDetail, TemplateOrigin, TemplateSummary,
};

use crate::bundled::BUNDLED_TEMPLATES;
use crate::paths::AppPaths;

/// A source of the current time (real in the app, fixed in tests).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub type ApiResult<T> = Result<T, ApiError>;

fn api_error(error: StoreError) -> ApiError {
    ApiError {
        code: error.code().to_string(),
        message: error.to_string(),
    }
}

/// The application's use-cases over one store.
#[derive(Clone)]
pub struct App {
    store: Store,
    paths: AppPaths,
    clock: Clock,
}

impl App {
    /// Opens (or creates) the store at `paths` and makes sure the bundled templates are there.
    pub async fn open(paths: AppPaths, clock: Clock) -> ApiResult<App> {
        let store = Store::open(&paths.database).await.map_err(api_error)?;
        let added = store
            .ensure_bundled_templates(BUNDLED_TEMPLATES, clock())
            .await
            .map_err(api_error)?;
        if added > 0 {
            tracing::info!(added, "bundled templates loaded");
        }
        Ok(App {
            store,
            paths,
            clock,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The person recorded on changes: the name set in Settings, else the OS user name.
    pub async fn actor(&self) -> ApiResult<String> {
        let saved = self.store.actor().await.map_err(api_error)?;
        Ok(saved
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "unknown".to_string()))
    }

    pub async fn app_info(&self) -> ApiResult<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.paths.data_dir.display().to_string(),
            log_dir: self.paths.log_dir.display().to_string(),
            database_path: self.paths.database.display().to_string(),
            actor: self.actor().await?,
        })
    }

    pub async fn set_actor(&self, name: &str) -> ApiResult<AppInfo> {
        self.store.set_actor(name).await.map_err(api_error)?;
        self.app_info().await
    }

    pub async fn list_templates(&self) -> ApiResult<Vec<TemplateSummary>> {
        self.store.list_templates().await.map_err(api_error)
    }

    pub async fn get_template(&self, id: &str) -> ApiResult<TemplateDetail> {
        self.store.template_detail(id).await.map_err(api_error)
    }

    pub fn preview_import(&self, bytes: &[u8], file_name: Option<&str>) -> ApiResult<Template> {
        greenlight_store::preview_template(bytes, file_name).map_err(api_error)
    }

    pub async fn import_template(
        &self,
        bytes: &[u8],
        file_name: Option<&str>,
    ) -> ApiResult<TemplateSummary> {
        let actor = self.actor().await?;
        self.store
            .import_template(
                bytes,
                file_name,
                TemplateOrigin::Imported,
                &actor,
                self.now(),
            )
            .await
            .map_err(api_error)
    }

    pub async fn list_runs(&self) -> ApiResult<Vec<RunSummary>> {
        self.store.list_runs().await.map_err(api_error)
    }

    pub async fn start_run(&self, new_run: &NewRun) -> ApiResult<RunSummary> {
        let actor = self.actor().await?;
        self.store
            .start_run(new_run, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn get_run(&self, run_id: &str) -> ApiResult<RunDetail> {
        self.store.run_detail(run_id).await.map_err(api_error)
    }

    pub async fn set_item_state(
        &self,
        run_id: &str,
        item_id: &str,
        state: ItemState,
        note: Option<&str>,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .set_item_state(run_id, item_id, state, note, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn set_value(
        &self,
        run_id: &str,
        element_id: &str,
        value: &str,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .set_value(run_id, element_id, value, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn add_note(
        &self,
        run_id: &str,
        element_id: Option<&str>,
        body: &str,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .add_note(run_id, element_id, body, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn complete_run(&self, run_id: &str) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .complete_run(run_id, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn abandon_run(&self, run_id: &str) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .abandon_run(run_id, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn archive_run(&self, run_id: &str) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .archive_run(run_id, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn run_events(&self, run_id: &str) -> ApiResult<Vec<AuditEvent>> {
        self.store.run_events(run_id).await.map_err(api_error)
    }

    pub async fn verify_run(&self, run_id: &str) -> ApiResult<ChainReport> {
        self.store.verify_run(run_id).await.map_err(api_error)
    }
}
