//! Tauri commands: one-line adapters from IPC to the `App` use-cases. Arguments arrive in
//! camelCase from `ui/src/lib/api.ts`; errors leave as `{code, message}`.

use chrono::{DateTime, Utc};
use greenlight_core::Template;
use greenlight_core::run::ItemState;
use greenlight_store::{
    AuditEvent, ChainReport, GateDecisionInput, Identity, NewRun, RunDetail, RunState, RunSummary,
    SchemaProblem, SignatureInput, TemplateDetail, TemplateSummary,
};
use tauri::{AppHandle, Emitter, State};

use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App, AppInfo, CredentialInput, KeychainStatus, PaperSize};
use crate::export::ExportResult;
use crate::preflight::PreflightReport;
use crate::probing::{ItemProbe, ProbeSuggestion};
use greenlight_store::{Credential, Environment, ProbeEvidence};

/// Why the data could not be opened, if it could not (the window then shows only this).
#[tauri::command]
pub async fn startup_problem(
    problem: State<'_, crate::StartupProblem>,
) -> ApiResult<Option<ApiError>> {
    Ok(problem.0.clone())
}

/// Copies the data files into the archive folder (offered when the data cannot be opened).
#[tauri::command]
pub async fn save_data_copy(paths: State<'_, crate::paths::AppPaths>) -> ApiResult<String> {
    crate::recovery::save_data_copy_to_archive(&paths, Utc::now())
}

#[tauri::command]
pub async fn app_info(app: State<'_, App>) -> ApiResult<AppInfo> {
    app.app_info().await
}

#[tauri::command]
pub async fn set_actor(app: State<'_, App>, name: String) -> ApiResult<AppInfo> {
    app.set_actor(&name).await
}

#[tauri::command]
pub async fn set_identity(app: State<'_, App>, identity: Identity) -> ApiResult<AppInfo> {
    app.set_identity(&identity).await
}

#[tauri::command]
pub async fn schema_problems(app: State<'_, App>) -> ApiResult<Vec<SchemaProblem>> {
    app.schema_problems().await
}

#[tauri::command]
pub async fn restore_schema(app: State<'_, App>) -> ApiResult<Vec<SchemaProblem>> {
    app.restore_schema().await
}

#[tauri::command]
pub async fn list_templates(app: State<'_, App>) -> ApiResult<Vec<TemplateSummary>> {
    app.list_templates().await
}

#[tauri::command]
pub async fn get_template(app: State<'_, App>, id: String) -> ApiResult<TemplateDetail> {
    app.get_template(&id).await
}

#[tauri::command]
pub async fn preview_import(
    app: State<'_, App>,
    bytes: Vec<u8>,
    file_name: Option<String>,
) -> ApiResult<Template> {
    app.preview_import(&bytes, file_name.as_deref())
}

#[tauri::command]
pub async fn import_template(
    app: State<'_, App>,
    bytes: Vec<u8>,
    file_name: Option<String>,
) -> ApiResult<TemplateSummary> {
    app.import_template(&bytes, file_name.as_deref()).await
}

#[tauri::command]
pub async fn list_runs(app: State<'_, App>) -> ApiResult<Vec<RunSummary>> {
    app.list_runs().await
}

#[tauri::command]
pub async fn start_run(app: State<'_, App>, new_run: NewRun) -> ApiResult<RunSummary> {
    app.start_run(&new_run).await
}

#[tauri::command]
pub async fn get_run(app: State<'_, App>, run_id: String) -> ApiResult<RunDetail> {
    app.get_run(&run_id).await
}

#[tauri::command]
pub async fn set_item_state(
    app: State<'_, App>,
    run_id: String,
    item_id: String,
    state: ItemState,
    note: Option<String>,
) -> ApiResult<RunState> {
    app.set_item_state(&run_id, &item_id, state, note.as_deref())
        .await
}

#[tauri::command]
pub async fn set_value(
    app: State<'_, App>,
    run_id: String,
    element_id: String,
    value: String,
) -> ApiResult<RunState> {
    app.set_value(&run_id, &element_id, &value).await
}

#[tauri::command]
pub async fn add_note(
    app: State<'_, App>,
    run_id: String,
    element_id: Option<String>,
    body: String,
) -> ApiResult<RunState> {
    app.add_note(&run_id, element_id.as_deref(), &body).await
}

#[tauri::command]
pub async fn complete_run(app: State<'_, App>, run_id: String) -> ApiResult<RunState> {
    app.complete_run(&run_id).await
}

#[tauri::command]
pub async fn abandon_run(app: State<'_, App>, run_id: String) -> ApiResult<RunState> {
    app.abandon_run(&run_id).await
}

#[tauri::command]
pub async fn archive_run(app: State<'_, App>, run_id: String) -> ApiResult<RunState> {
    app.archive_run(&run_id).await
}

#[tauri::command]
pub async fn run_events(app: State<'_, App>, run_id: String) -> ApiResult<Vec<AuditEvent>> {
    app.run_events(&run_id).await
}

#[tauri::command]
pub async fn verify_run(app: State<'_, App>, run_id: String) -> ApiResult<ChainReport> {
    app.verify_run(&run_id).await
}

/// Checks a record file (PDF or JSON, base64) from any machine; see `App::check_record_file`.
#[tauri::command]
pub async fn verify_record_file(
    app: State<'_, App>,
    content_base64: String,
) -> ApiResult<crate::record_verify::RecordVerification> {
    app.check_record_file_base64(&content_base64).await
}

/// Settings: the record signing certificate, once the first export made one.
#[tauri::command]
pub async fn signing_certificate(
    app: State<'_, App>,
) -> ApiResult<Option<crate::sealing::SigningCertificate>> {
    crate::sealing::signing_certificate(&app).await
}

/// The RFC 3161 time-stamp authority record signatures ask for a trusted time, if any.
#[tauri::command]
pub async fn timestamp_authority(app: State<'_, App>) -> ApiResult<Option<String>> {
    crate::sealing::timestamp_authority(&app).await
}

/// Sets (or clears, with null or "") the time-stamp authority's URL.
#[tauri::command]
pub async fn set_timestamp_authority(
    app: State<'_, App>,
    url: Option<String>,
) -> ApiResult<Option<String>> {
    crate::sealing::set_timestamp_authority(&app, url.as_deref()).await
}

/// Signs records with a company certificate from a PKCS#12 file (base64) and its password.
#[tauri::command]
pub async fn use_company_certificate(
    app: State<'_, App>,
    content_base64: String,
    password: String,
) -> ApiResult<crate::sealing::SigningCertificate> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.trim())
        .map_err(|e| {
            ApiError::new(
                Code::InvalidInput,
                format!("the file did not reach Greenlight intact: {e}"),
            )
        })?;
    crate::sealing::use_company_certificate(&app, &bytes, &password).await
}

/// Writes the signing certificate (PEM, public) into the export folder; returns its path.
#[tauri::command]
pub async fn export_signing_certificate(app: State<'_, App>) -> ApiResult<String> {
    crate::sealing::export_signing_certificate(&app).await
}

#[tauri::command]
pub async fn sign(
    app: State<'_, App>,
    run_id: String,
    input: SignatureInput,
) -> ApiResult<RunState> {
    app.sign(&run_id, &input).await
}

#[tauri::command]
pub async fn decide_gate(
    app: State<'_, App>,
    run_id: String,
    input: GateDecisionInput,
) -> ApiResult<RunState> {
    app.decide_gate(&run_id, &input).await
}

#[tauri::command]
pub async fn set_retention(
    app: State<'_, App>,
    run_id: String,
    until: DateTime<Utc>,
) -> ApiResult<RunState> {
    app.set_retention(&run_id, until).await
}

#[tauri::command]
pub async fn delete_run(app: State<'_, App>, run_id: String) -> ApiResult<()> {
    app.delete_run(&run_id).await
}

#[tauri::command]
pub async fn export_blank(app: State<'_, App>, template_id: String) -> ApiResult<ExportResult> {
    app.export_blank(&template_id).await
}

#[tauri::command]
pub async fn export_run(app: State<'_, App>, run_id: String) -> ApiResult<ExportResult> {
    app.export_run(&run_id, None, None).await
}

#[tauri::command]
pub async fn open_export(app: State<'_, App>, path: String) -> ApiResult<()> {
    app.open_export(&path).await
}

#[tauri::command]
pub async fn set_export_settings(
    app: State<'_, App>,
    folder: String,
    paper: PaperSize,
) -> ApiResult<AppInfo> {
    app.set_export_settings(&folder, paper).await
}

#[tauri::command]
pub async fn list_environments(app: State<'_, App>) -> ApiResult<Vec<Environment>> {
    app.list_environments().await
}

#[tauri::command]
pub async fn save_environment(
    app: State<'_, App>,
    environment: Environment,
) -> ApiResult<Vec<Environment>> {
    app.save_environment(&environment).await
}

#[tauri::command]
pub async fn delete_environment(app: State<'_, App>, name: String) -> ApiResult<Vec<Environment>> {
    app.delete_environment(&name).await
}

#[tauri::command]
pub async fn keychain_status(app: State<'_, App>) -> ApiResult<KeychainStatus> {
    Ok(app.keychain_status())
}

#[tauri::command]
pub async fn list_credentials(app: State<'_, App>) -> ApiResult<Vec<Credential>> {
    app.list_credentials().await
}

#[tauri::command]
pub async fn save_credential(
    app: State<'_, App>,
    input: CredentialInput,
) -> ApiResult<Vec<Credential>> {
    app.save_credential(&input).await
}

#[tauri::command]
pub async fn delete_credential(app: State<'_, App>, name: String) -> ApiResult<Vec<Credential>> {
    app.delete_credential(&name).await
}

#[tauri::command]
pub async fn template_probes(
    app: State<'_, App>,
    template_id: String,
) -> ApiResult<Vec<ItemProbe>> {
    app.template_probes(&template_id).await
}

#[tauri::command]
pub async fn probe_suggestions(
    app: State<'_, App>,
    template_id: String,
) -> ApiResult<Vec<ProbeSuggestion>> {
    app.probe_suggestions(&template_id).await
}

#[tauri::command]
pub async fn approve_command(
    app: State<'_, App>,
    template_id: String,
    item_id: String,
    line: u32,
) -> ApiResult<Vec<ItemProbe>> {
    app.approve_command(&template_id, &item_id, line).await
}

#[tauri::command]
pub async fn add_suggested_probe(
    app: State<'_, App>,
    template_id: String,
    item_id: String,
    source_line: u32,
    kind: String,
) -> ApiResult<TemplateSummary> {
    app.add_suggested_probe(&template_id, &item_id, source_line, &kind)
        .await
}

/// Name of the event each finished probe result is sent with (payload: `ProbeEvidence`).
pub const PROBE_RESULT_EVENT: &str = "probe-result";

#[tauri::command]
pub async fn run_probes(
    app: State<'_, App>,
    handle: AppHandle,
    run_id: String,
    item_ids: Vec<String>,
) -> ApiResult<RunState> {
    let emit = move |evidence: ProbeEvidence| {
        let _ = handle.emit(PROBE_RESULT_EVENT, evidence);
    };
    app.run_probes(&run_id, &item_ids, emit).await
}

#[tauri::command]
pub async fn preflight_run(
    app: State<'_, App>,
    run_id: String,
    contact_targets: bool,
) -> ApiResult<PreflightReport> {
    app.preflight_run(&run_id, contact_targets).await
}

#[tauri::command]
pub async fn preflight_template(
    app: State<'_, App>,
    template_id: String,
    environment: String,
    contact_targets: bool,
) -> ApiResult<PreflightReport> {
    app.preflight_template(&template_id, &environment, contact_targets)
        .await
}

#[tauri::command]
pub async fn cancel_probes(app: State<'_, App>, run_id: String) -> ApiResult<bool> {
    Ok(app.cancel_probes(&run_id))
}

#[tauri::command]
pub async fn auto_accept_passes(app: State<'_, App>, template_id: String) -> ApiResult<bool> {
    app.auto_accept_passes(&template_id).await
}

#[tauri::command]
pub async fn set_auto_accept_passes(
    app: State<'_, App>,
    template_id: String,
    on: bool,
) -> ApiResult<bool> {
    app.set_auto_accept_passes(&template_id, on).await
}

#[tauri::command]
pub async fn cancel_item_probes(
    app: State<'_, App>,
    run_id: String,
    item_id: String,
) -> ApiResult<bool> {
    Ok(app.cancel_item_probes(&run_id, &item_id))
}
