//! The use-case facade the window and the CLI share: opens the store, loads bundled templates,
//! supplies "who" and "now", and maps every failure to an `ApiError {code, message}`.
//! Tauri-free, so it is tested without a webview.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::ItemState;
use std::path::{Path, PathBuf};

use greenlight_store::{
    ApiError, AppInfo, AuditEvent, ChainReport, GateDecisionInput, NewRun, PaperSize, RunDetail,
    RunState, RunSummary, SignatureInput, Store, StoreError, TemplateDetail, TemplateOrigin,
    TemplateSummary,
};

use crate::bundled::BUNDLED_TEMPLATES;
use crate::export::{self, ExportResult, RecordCheck, RunRecord};
use crate::paths::AppPaths;

/// A source of the current time (real in the app, fixed in tests).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub type ApiResult<T> = Result<T, ApiError>;

fn invalid(message: &str) -> ApiError {
    ApiError {
        code: "invalid_input".into(),
        message: message.to_string(),
    }
}

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
            export_dir: self.export_dir().await?.display().to_string(),
            paper: self.paper().await?,
        })
    }

    /// The folder exports go to: the one chosen in Settings, else the default archive folder.
    pub async fn export_dir(&self) -> ApiResult<PathBuf> {
        let chosen = self.store.setting("export_dir").await.map_err(api_error)?;
        Ok(chosen
            .map(PathBuf::from)
            .unwrap_or_else(|| export::default_export_dir(&self.paths.data_dir)))
    }

    pub async fn paper(&self) -> ApiResult<PaperSize> {
        let chosen = self.store.setting("paper").await.map_err(api_error)?;
        Ok(chosen
            .as_deref()
            .and_then(PaperSize::parse)
            .unwrap_or_default())
    }

    /// Sets the export folder (absolute path) and paper size.
    pub async fn set_export_settings(&self, folder: &str, paper: PaperSize) -> ApiResult<AppInfo> {
        let folder = folder.trim();
        if !Path::new(folder).is_absolute() {
            return Err(invalid("choose a full folder path for exports"));
        }
        self.store
            .set_setting("export_dir", folder)
            .await
            .map_err(api_error)?;
        self.store
            .set_setting("paper", paper.as_str())
            .await
            .map_err(api_error)?;
        self.app_info().await
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

    pub async fn sign(&self, run_id: &str, input: &SignatureInput) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .sign(run_id, input, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn decide_gate(
        &self,
        run_id: &str,
        input: &GateDecisionInput,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .decide_gate(run_id, input, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn set_retention(&self, run_id: &str, until: DateTime<Utc>) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        self.store
            .set_retention(run_id, until, &actor, self.now())
            .await
            .map_err(api_error)
    }

    pub async fn delete_run(&self, run_id: &str) -> ApiResult<()> {
        let actor = self.actor().await?;
        self.store
            .delete_run(run_id, &actor, self.now())
            .await
            .map_err(api_error)
    }

    /// Writes a blank printable checklist of a stored template into the export folder.
    pub async fn export_blank(&self, template_id: &str) -> ApiResult<ExportResult> {
        let detail = self.get_template(template_id).await?;
        let pdf = export::blank_pdf(
            &detail.template,
            self.paper().await?,
            &self.actor().await?,
            self.now(),
        )?;
        let folder = self.export_dir().await?;
        let stem = export::slug(&format!(
            "{}-v{}-blank",
            detail.summary.title, detail.summary.version
        ));
        let pdf_path = folder.join(format!("{stem}.pdf"));
        export::write_atomically(&pdf_path, &pdf)?;
        Ok(ExportResult {
            pdf_path: pdf_path.display().to_string(),
            json_path: None,
            folder: folder.display().to_string(),
            pdf_sha256: export::sha256_hex(&pdf),
        })
    }

    /// Writes a run's record (PDF + JSON) into the export folder, or to the given paths.
    pub async fn export_run(
        &self,
        run_id: &str,
        pdf_path: Option<PathBuf>,
        json_path: Option<PathBuf>,
    ) -> ApiResult<ExportResult> {
        let detail = self.get_run(run_id).await?;
        let events = self.run_events(run_id).await?;
        let chain = self.verify_run(run_id).await?;
        let folder = self.export_dir().await?;
        let stem = export::record_stem(&detail);
        let pdf_path = pdf_path.unwrap_or_else(|| folder.join(format!("{stem}.pdf")));
        let json_path = json_path.unwrap_or_else(|| pdf_path.with_extension("json"));
        let (pdf, record) = export::run_record(
            detail,
            events,
            chain,
            self.paper().await?,
            &self.actor().await?,
            self.now(),
        )?;
        let json = serde_json::to_vec_pretty(&record).map_err(|e| ApiError {
            code: "serialise".into(),
            message: e.to_string(),
        })?;
        export::write_atomically(&pdf_path, &pdf)?;
        export::write_atomically(&json_path, &json)?;
        tracing::info!(run = %run_id, pdf = %pdf_path.display(), "run record exported");
        Ok(ExportResult {
            folder: pdf_path.parent().unwrap_or(&folder).display().to_string(),
            pdf_path: pdf_path.display().to_string(),
            json_path: Some(json_path.display().to_string()),
            pdf_sha256: record.pdf_sha256,
        })
    }

    /// Checks an exported JSON record against the local audit log.
    pub async fn check_record(&self, json_path: &Path) -> ApiResult<RecordCheck> {
        let bytes = std::fs::read(json_path).map_err(|e| ApiError {
            code: "file_unreadable".into(),
            message: format!("could not read {}: {e}", json_path.display()),
        })?;
        let record: RunRecord = serde_json::from_slice(&bytes).map_err(|e| {
            invalid(&format!(
                "{} is not a Greenlight run record: {e}",
                json_path.display()
            ))
        })?;
        let log = self.run_events(&record.run.run.id).await?;
        let chain = self.verify_run(&record.run.run.id).await?;
        Ok(export::check_record(&record, &log, chain))
    }

    /// Opens an exported file or folder with the system's default application. Only paths
    /// inside the export folder are opened.
    pub async fn open_export(&self, path: &str) -> ApiResult<()> {
        let folder = self.export_dir().await?;
        let target = Path::new(path);
        let inside = match (target.canonicalize(), folder.canonicalize()) {
            (Ok(target), Ok(folder)) => target.starts_with(folder),
            _ => false,
        };
        if !inside {
            return Err(invalid(
                "only files in the export folder can be opened from here",
            ));
        }
        open::that_detached(target).map_err(|e| ApiError {
            code: "open_failed".into(),
            message: format!("could not open {}: {e}", target.display()),
        })
    }
}
