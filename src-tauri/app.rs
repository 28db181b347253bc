//! The use-case facade the window and the CLI share: opens the store, loads bundled templates,
//! supplies "who" and "now", and maps every failure to an `ApiError {code, message}`.
//! Tauri-free, so it is tested without a webview.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::ItemState;
use std::path::{Path, PathBuf};

use greenlight_store::{
    AuditEvent, ChainReport, GateDecisionInput, Identity, NewRun, RunDetail, RunState, RunSummary,
    SchemaProblem, SignatureInput, Store, TemplateDetail, TemplateOrigin, TemplateSummary,
};

use std::collections::HashSet;

use greenlight_secrets::{KeychainStore, Secret, SecretError, SecretStore};
use greenlight_store::{Credential, CredentialKind, Environment, ProbeEvidence};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api_error::{ApiError, Code};
use crate::bundled::BUNDLED_TEMPLATES;
use crate::export::{self, ExportResult, RecordCheck, RunRecord};
use crate::paths::AppPaths;
use crate::preflight::PreflightReport;
use crate::probing::{self, ItemProbe, ProbeSuggestion};

/// A source of the current time (real in the app, fixed in tests).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub type ApiResult<T> = Result<T, ApiError>;

fn invalid(message: &str) -> ApiError {
    ApiError::invalid(message)
}

/// The application's use-cases over one store.
#[derive(Clone)]
pub struct App {
    store: Store,
    paths: AppPaths,
    clock: Clock,
    secrets: Arc<dyn SecretStore>,
    /// Probe runs in progress, by run id, so they can be cancelled.
    probe_runs: probing::ProbeRuns,
}

/// Paper size for printouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

impl PaperSize {
    pub fn as_str(self) -> &'static str {
        match self {
            PaperSize::A4 => "a4",
            PaperSize::Letter => "letter",
        }
    }

    pub fn parse(text: &str) -> Option<PaperSize> {
        match text.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(PaperSize::A4),
            "letter" => Some(PaperSize::Letter),
            _ => None,
        }
    }
}

/// Where Greenlight keeps its files, and who is recorded as acting (shown in Settings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub log_dir: String,
    pub database_path: String,
    /// How changes are recorded as made by (the identity, else the OS user name).
    pub actor: String,
    /// Who said they use Greenlight; `None` until they did (the window asks at first start).
    pub identity: Option<Identity>,
    /// Where exports go unless another folder is chosen.
    pub export_dir: String,
    pub paper: PaperSize,
}

/// A credential to store: the secret goes to the OS keychain, only the reference to SQLite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CredentialInput {
    pub name: String,
    pub kind: CredentialKind,
    pub username: Option<String>,
    pub secret: String,
}

/// Whether the OS keychain can be used, and how to enable it when not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeychainStatus {
    pub available: bool,
    pub message: String,
}

impl App {
    /// Opens (or creates) the store at `paths` and makes sure the bundled templates are there.
    pub async fn open(paths: AppPaths, clock: Clock) -> ApiResult<App> {
        App::open_with_secrets(paths, clock, Arc::new(KeychainStore::new())).await
    }

    /// Opens the app with another secret store (tests use an in-memory one).
    pub async fn open_with_secrets(
        paths: AppPaths,
        clock: Clock,
        secrets: Arc<dyn SecretStore>,
    ) -> ApiResult<App> {
        let store = Store::open(&paths.database).await?;
        let added = store
            .ensure_bundled_templates(BUNDLED_TEMPLATES, clock())
            .await?;
        if added > 0 {
            tracing::info!(added, "bundled templates loaded");
        }
        Ok(App {
            store,
            paths,
            clock,
            secrets,
            probe_runs: probing::ProbeRuns::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The keychain (or, in tests, another secret store).
    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        self.secrets.clone()
    }

    /// Runs a keychain call on a blocking thread (keychain calls block; each is bounded by the
    /// store's own timeout), so the async runtime is never held up by a locked keychain.
    pub async fn keychain<T, F>(&self, call: F) -> Result<T, SecretError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
    {
        let secrets = self.secrets.clone();
        tokio::task::spawn_blocking(move || call(secrets.as_ref()))
            .await
            .unwrap_or_else(|e| {
                Err(SecretError::Platform {
                    reason: e.to_string(),
                })
            })
    }

    /// A stored setting.
    pub async fn setting(&self, key: &str) -> ApiResult<Option<String>> {
        Ok(self.store.setting(key).await?)
    }

    /// Stores a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> ApiResult<()> {
        Ok(self.store.set_setting(key, value).await?)
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The person recorded on changes: the identity given at first start or in Settings
    /// (`Ann Lee <ann@example.com>`), else the OS user name. Never "unknown": with neither,
    /// every change is refused with `identity_required` until the person says who they are.
    pub async fn actor(&self) -> ApiResult<String> {
        if let Some(identity) = self.store.identity().await? {
            return Ok(identity.recorded_as());
        }
        os_user_name().ok_or_else(|| {
            ApiError::new(
                Code::IdentityRequired,
                "Greenlight does not know who you are, and every change records who made it: \
                 set your name in Settings (or run `greenlight identity set --name \"Your Name\"`)",
            )
        })
    }

    /// Who said they use Greenlight (`None` until they did).
    pub async fn identity(&self) -> ApiResult<Option<Identity>> {
        Ok(self.store.identity().await?)
    }

    /// Records who is using Greenlight (first start, Settings, or the CLI).
    pub async fn set_identity(&self, identity: &Identity) -> ApiResult<AppInfo> {
        self.store.set_identity(identity).await?;
        self.app_info().await
    }

    pub async fn app_info(&self) -> ApiResult<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.paths.data_dir.display().to_string(),
            log_dir: self.paths.log_dir.display().to_string(),
            database_path: self.paths.database.display().to_string(),
            actor: self.actor().await.unwrap_or_default(),
            identity: self.identity().await?,
            export_dir: self.export_dir().await?.display().to_string(),
            paper: self.paper().await?,
        })
    }

    /// The folder exports go to: the one chosen in Settings, else the default archive folder.
    pub async fn export_dir(&self) -> ApiResult<PathBuf> {
        let chosen = self.store.setting("export_dir").await?;
        Ok(chosen
            .map(PathBuf::from)
            .unwrap_or_else(|| self.paths.default_export_dir.clone()))
    }

    pub async fn paper(&self) -> ApiResult<PaperSize> {
        let chosen = self.store.setting("paper").await?;
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
        self.store.set_setting("export_dir", folder).await?;
        self.store.set_setting("paper", paper.as_str()).await?;
        self.app_info().await
    }

    pub async fn set_actor(&self, name: &str) -> ApiResult<AppInfo> {
        self.store.set_actor(name).await?;
        self.app_info().await
    }

    /// The schema's safeguards (append-only triggers) that are missing or altered.
    pub async fn schema_problems(&self) -> ApiResult<Vec<SchemaProblem>> {
        Ok(self.store.schema_problems().await?)
    }

    /// Restores missing or altered safeguards (the user agreed), logging that it did.
    pub async fn restore_schema(&self) -> ApiResult<Vec<SchemaProblem>> {
        let actor = self.actor().await?;
        Ok(self.store.restore_schema(&actor, self.now()).await?)
    }

    pub async fn list_templates(&self) -> ApiResult<Vec<TemplateSummary>> {
        Ok(self.store.list_templates().await?)
    }

    pub async fn get_template(&self, id: &str) -> ApiResult<TemplateDetail> {
        Ok(self.store.template_detail(id).await?)
    }

    pub fn preview_import(&self, bytes: &[u8], file_name: Option<&str>) -> ApiResult<Template> {
        Ok(greenlight_store::preview_template(bytes, file_name)?)
    }

    pub async fn import_template(
        &self,
        bytes: &[u8],
        file_name: Option<&str>,
    ) -> ApiResult<TemplateSummary> {
        let actor = self.actor().await?;
        Ok(self
            .store
            .import_template(
                bytes,
                file_name,
                TemplateOrigin::Imported,
                &actor,
                self.now(),
            )
            .await?)
    }

    pub async fn list_runs(&self) -> ApiResult<Vec<RunSummary>> {
        Ok(self.store.list_runs().await?)
    }

    pub async fn start_run(&self, new_run: &NewRun) -> ApiResult<RunSummary> {
        let actor = self.actor().await?;
        Ok(self.store.start_run(new_run, &actor, self.now()).await?)
    }

    pub async fn get_run(&self, run_id: &str) -> ApiResult<RunDetail> {
        Ok(self.store.run_detail(run_id).await?)
    }

    pub async fn set_item_state(
        &self,
        run_id: &str,
        item_id: &str,
        state: ItemState,
        note: Option<&str>,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self
            .store
            .set_item_state(run_id, item_id, state, note, &actor, self.now())
            .await?)
    }

    pub async fn set_value(
        &self,
        run_id: &str,
        element_id: &str,
        value: &str,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self
            .store
            .set_value(run_id, element_id, value, &actor, self.now())
            .await?)
    }

    pub async fn add_note(
        &self,
        run_id: &str,
        element_id: Option<&str>,
        body: &str,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self
            .store
            .add_note(run_id, element_id, body, &actor, self.now())
            .await?)
    }

    pub async fn complete_run(&self, run_id: &str) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self.store.complete_run(run_id, &actor, self.now()).await?)
    }

    pub async fn abandon_run(&self, run_id: &str) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self.store.abandon_run(run_id, &actor, self.now()).await?)
    }

    pub async fn archive_run(&self, run_id: &str) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self.store.archive_run(run_id, &actor, self.now()).await?)
    }

    pub async fn run_events(&self, run_id: &str) -> ApiResult<Vec<AuditEvent>> {
        Ok(self.store.run_events(run_id).await?)
    }

    /// The library's audit events: imports, command approvals, restored safeguards.
    pub async fn library_events(&self) -> ApiResult<Vec<AuditEvent>> {
        Ok(self.store.library_events().await?)
    }

    pub async fn verify_run(&self, run_id: &str) -> ApiResult<ChainReport> {
        Ok(self.store.verify_run(run_id).await?)
    }

    pub async fn sign(&self, run_id: &str, input: &SignatureInput) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self.store.sign(run_id, input, &actor, self.now()).await?)
    }

    pub async fn decide_gate(
        &self,
        run_id: &str,
        input: &GateDecisionInput,
    ) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self
            .store
            .decide_gate(run_id, input, &actor, self.now())
            .await?)
    }

    pub async fn set_retention(&self, run_id: &str, until: DateTime<Utc>) -> ApiResult<RunState> {
        let actor = self.actor().await?;
        Ok(self
            .store
            .set_retention(run_id, until, &actor, self.now())
            .await?)
    }

    pub async fn delete_run(&self, run_id: &str) -> ApiResult<()> {
        let actor = self.actor().await?;
        Ok(self.store.delete_run(run_id, &actor, self.now()).await?)
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
            signed: false,
            signing: "a blank checklist is not signed".into(),
        })
    }

    /// Writes a run's record into the export folder, or to the given paths: one PDF with the
    /// JSON record embedded and, when the keychain allows, a digital signature over it all; and
    /// the same JSON beside it. A run whose shown state differs from its log is not exported
    /// (`state_differs_from_log`): a record never prints a state the log does not hold.
    pub async fn export_run(
        &self,
        run_id: &str,
        pdf_path: Option<PathBuf>,
        json_path: Option<PathBuf>,
    ) -> ApiResult<ExportResult> {
        self.export_run_on(run_id, pdf_path, json_path, None).await
    }

    /// [`App::export_run`] on the given paper for this export only (the CLI's `--paper`);
    /// `None` uses the paper chosen in Settings. Settings are never changed by an export.
    pub async fn export_run_on(
        &self,
        run_id: &str,
        pdf_path: Option<PathBuf>,
        json_path: Option<PathBuf>,
        paper: Option<PaperSize>,
    ) -> ApiResult<ExportResult> {
        // The run is read once: the same events and state are checked and then printed.
        let detail = self.get_run(run_id).await?;
        let events = self.run_events(run_id).await?;
        let (chain, _) = greenlight_store::projection_check::check_against_log(
            run_id,
            &events,
            &detail.run,
            &detail.state,
            &detail.template,
        );
        if !chain.intact {
            let code = if chain.discrepancies.is_empty() {
                Code::AuditChainBroken
            } else {
                Code::StateDiffersFromLog
            };
            return Err(ApiError::new(
                code,
                format!("the record was not exported: {}", chain.message),
            ));
        }
        let source = self.get_template(&detail.run.template_id).await?.source;
        let folder = self.export_dir().await?;
        let stem = export::record_stem(&detail);
        let pdf_path = pdf_path.unwrap_or_else(|| folder.join(format!("{stem}.pdf")));
        let json_path = json_path.unwrap_or_else(|| pdf_path.with_extension("json"));
        let now = self.now();
        let actor = self.actor().await?;
        let signer = crate::sealing::signer_for_export(self, now).await;
        let (pdf, record) = export::run_record(
            detail,
            source,
            events,
            chain,
            match paper {
                Some(paper) => paper,
                None => self.paper().await?,
            },
            &actor,
            &signer.printed(),
            now,
        )?;
        let json = serde_json::to_vec_pretty(&record)
            .map_err(|e| ApiError::new(Code::Serialise, e.to_string()))?;
        let sealed = crate::sealing::seal(self, &pdf, &json, &record, &signer, now).await?;
        export::write_atomically(&pdf_path, &sealed.pdf)?;
        export::write_atomically(&json_path, &json)?;
        tracing::info!(run = %run_id, pdf = %pdf_path.display(), signed = sealed.signed, "run record exported");
        Ok(ExportResult {
            folder: pdf_path.parent().unwrap_or(&folder).display().to_string(),
            pdf_path: pdf_path.display().to_string(),
            json_path: Some(json_path.display().to_string()),
            pdf_sha256: export::sha256_hex(&sealed.pdf),
            signed: sealed.signed,
            signing: sealed.message,
        })
    }

    /// Checks a record file (PDF or JSON) from any machine: everything the record itself can
    /// prove, and, when this database holds its run, the comparison with the local log.
    pub async fn check_record_file(
        &self,
        bytes: &[u8],
        expected_signer: Option<&str>,
    ) -> ApiResult<crate::record_verify::RecordVerification> {
        let (report, record) =
            crate::record_verify::read_and_verify_record_file(bytes, expected_signer);
        let Some(record) = record else {
            return Ok(report);
        };
        let run_id = report.run_id.clone().unwrap_or_default();
        if self.store.run_summary(&run_id).await.is_err() {
            // A record of a run this database never held: what the record proves is all there is.
            return Ok(report);
        }
        let check = self.compare_with_log(&record).await?;
        Ok(report.with_local_log(check))
    }

    /// `check_record_file` for a file the window read (base64, at most [`export::MAX_RECORD_BYTES`]).
    pub async fn check_record_file_base64(
        &self,
        content: &str,
    ) -> ApiResult<crate::record_verify::RecordVerification> {
        use base64::Engine;
        export::check_record_size(content.len() / 4 * 3)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .map_err(|e| {
                ApiError::new(
                    Code::InvalidInput,
                    format!("the file did not reach Greenlight intact: {e}"),
                )
            })?;
        self.check_record_file(&bytes, None).await
    }

    /// Compares the text of a JSON record with the local log of `run_id`, event by event;
    /// a record of another run is refused with `record_other_run`.
    pub async fn compare_record_json_with_log(
        &self,
        run_id: &str,
        json: &str,
    ) -> ApiResult<RecordCheck> {
        export::check_record_size(json.len())?;
        let record = export::parse_record(json.as_bytes())?;
        let of = &record.run.run;
        if of.id != run_id {
            return Err(ApiError::new(
                Code::RecordOtherRun,
                format!(
                    "this file is the record of another run ({} {} in {}, run {}); open that run to check it",
                    of.release_name, of.version, of.environment, of.id
                ),
            ));
        }
        self.compare_with_log(&record).await
    }

    async fn compare_with_log(&self, record: &RunRecord) -> ApiResult<RecordCheck> {
        let log = self.run_events(&record.run.run.id).await?;
        let chain = self.verify_run(&record.run.run.id).await?;
        Ok(export::compare_record_with_log(record, &log, chain))
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
        open::that_detached(target).map_err(|e| {
            ApiError::new(
                Code::OpenFailed,
                format!("could not open {}: {e}", target.display()),
            )
        })
    }

    pub async fn list_environments(&self) -> ApiResult<Vec<Environment>> {
        Ok(self.store.environments().await?)
    }

    pub async fn save_environment(&self, environment: &Environment) -> ApiResult<Vec<Environment>> {
        self.store.save_environment(environment, self.now()).await?;
        self.list_environments().await
    }

    pub async fn delete_environment(&self, name: &str) -> ApiResult<Vec<Environment>> {
        self.store.delete_environment(name).await?;
        self.list_environments().await
    }

    pub fn keychain_status(&self) -> KeychainStatus {
        match self.secrets.available() {
            Ok(()) => KeychainStatus {
                available: true,
                message: "the OS keychain is available".into(),
            },
            Err(e) => KeychainStatus {
                available: false,
                message: e.to_string(),
            },
        }
    }

    pub async fn list_credentials(&self) -> ApiResult<Vec<Credential>> {
        Ok(self.store.credentials().await?)
    }

    /// Stores the secret in the OS keychain first; only then the reference in SQLite.
    pub async fn save_credential(&self, input: &CredentialInput) -> ApiResult<Vec<Credential>> {
        if input.secret.is_empty() {
            return Err(invalid("enter the secret to store"));
        }
        let name = input.name.trim().to_string();
        greenlight_secrets::validate_name(&name)?;
        let secret = Secret::new(input.secret.clone());
        let key = name.clone();
        self.keychain(move |secrets| secrets.set(&key, &secret))
            .await?;
        self.store
            .save_credential_reference(&name, input.kind, input.username.as_deref(), self.now())
            .await?;
        self.list_credentials().await
    }

    pub async fn delete_credential(&self, name: &str) -> ApiResult<Vec<Credential>> {
        let key = name.to_string();
        match self.keychain(move |secrets| secrets.delete(&key)).await {
            Ok(()) | Err(SecretError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        self.store.delete_credential_reference(name).await?;
        self.list_credentials().await
    }

    pub(crate) async fn approvals(&self, template_id: &str) -> ApiResult<HashSet<String>> {
        let digests = self.store.command_approvals(template_id).await?;
        Ok(digests.into_iter().collect())
    }

    /// The probe blocks of a template's items, with parse errors and approval state.
    pub async fn template_probes(&self, template_id: &str) -> ApiResult<Vec<ItemProbe>> {
        let detail = self.get_template(template_id).await?;
        let approved = self.approvals(template_id).await?;
        Ok(probing::template_probes(
            &detail.template,
            template_id,
            &approved,
        ))
    }

    /// Probes suggested from the template's shell snippets; nothing is applied.
    pub async fn probe_suggestions(&self, template_id: &str) -> ApiResult<Vec<ProbeSuggestion>> {
        let detail = self.get_template(template_id).await?;
        Ok(probing::template_suggestions(&detail.template))
    }

    /// Adds the suggestion (item, source line, kind) as a probe block under its item, as the
    /// template's next version; the suggestion is recomputed from the stored template, never
    /// taken from the caller (see `suggestions.rs`).
    pub async fn add_suggested_probe(
        &self,
        template_id: &str,
        item_id: &str,
        source_line: u32,
        kind: &str,
    ) -> ApiResult<TemplateSummary> {
        crate::suggestions::add_suggested_probe(self, template_id, item_id, source_line, kind).await
    }

    /// Approves the command of the probe block at `line` under `item_id`, exactly as the template
    /// states it (the text comes from the stored template, never from the caller).
    pub async fn approve_command(
        &self,
        template_id: &str,
        item_id: &str,
        line: u32,
    ) -> ApiResult<Vec<ItemProbe>> {
        let detail = self.get_template(template_id).await?;
        let item = greenlight_core::run::items_in_order(&detail.template)
            .into_iter()
            .find(|i| i.id == item_id)
            .ok_or_else(|| invalid("no such item in this template"))?;
        let spec = greenlight_probes::item_probes(item)
            .into_iter()
            .find(|(l, _)| *l == line)
            .and_then(|(_, parsed)| parsed.ok())
            .ok_or_else(|| invalid("no valid probe block at that line"))?;
        let greenlight_probes::ProbeSpec::Command(command) = &spec else {
            return Err(invalid("only command probes need approval"));
        };
        let approval = greenlight_probes::CommandApproval::for_command(template_id, command);
        let actor = self.actor().await?;
        self.store
            .approve_command(
                template_id,
                &approval.digest,
                &greenlight_probes::command_text(command),
                &actor,
                self.now(),
            )
            .await?;
        self.template_probes(template_id).await
    }

    /// The command texts approved for a template, with who approved them and when.
    pub async fn approved_commands(
        &self,
        template_id: &str,
    ) -> ApiResult<Vec<greenlight_store::ApprovedCommand>> {
        Ok(self.store.approved_commands(template_id).await?)
    }

    /// Runs the probes of the given items (every item when empty) from this machine, keeps each
    /// result as evidence with the run, and reports each as it finishes (see `probing.rs`).
    pub async fn run_probes(
        &self,
        run_id: &str,
        item_ids: &[String],
        on_result: impl Fn(ProbeEvidence) + Send + Sync + 'static,
    ) -> ApiResult<RunState> {
        probing::run_probes(self, run_id, item_ids, on_result).await
    }

    /// Whether passing probes mark their items Pass without asking (per template; off by default).
    pub async fn auto_accept_passes(&self, template_id: &str) -> ApiResult<bool> {
        probing::auto_accept_passes(self, template_id).await
    }

    pub async fn set_auto_accept_passes(&self, template_id: &str, on: bool) -> ApiResult<bool> {
        probing::set_auto_accept_passes(self, template_id, on).await
    }

    /// Preflight of a run's probes in its environment, recorded in its log (see `preflight.rs`).
    pub async fn preflight_run(&self, run_id: &str, contact: bool) -> ApiResult<PreflightReport> {
        crate::preflight::preflight_run(self, run_id, contact).await
    }

    /// Preflight of a template's probes in an environment; nothing is recorded.
    pub async fn preflight_template(
        &self,
        template_id: &str,
        environment: &str,
        contact: bool,
    ) -> ApiResult<PreflightReport> {
        crate::preflight::preflight_template(self, template_id, environment, contact).await
    }

    /// Cancels the probes still running for a run; they report `cancelled`.
    pub fn cancel_probes(&self, run_id: &str) -> bool {
        self.probe_runs.cancel(run_id)
    }

    /// Cancels only the probes of one item in a run's probe run; the others go on.
    pub fn cancel_item_probes(&self, run_id: &str, item_id: &str) -> bool {
        self.probe_runs.cancel_item(run_id, item_id)
    }

    /// The probe runs in progress (for `probing.rs`).
    pub(crate) fn probe_runs(&self) -> &probing::ProbeRuns {
        &self.probe_runs
    }
}

/// The login name of the OS user, when the platform tells it.
fn os_user_name() -> Option<String> {
    std::env::var("USER")
        .ok()
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}
