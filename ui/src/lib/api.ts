// The only module that talks to the Rust side. Every command returns a typed promise and
// rejects with an ApiError ({ code, message }) that the UI switches on.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { AuditEvent } from "./bindings/AuditEvent";
import type { ChainReport } from "./bindings/ChainReport";
import type { Code } from "./bindings/Code";
import type { Credential } from "./bindings/Credential";
import type { CredentialInput } from "./bindings/CredentialInput";
import type { Environment } from "./bindings/Environment";
import type { ExportResult } from "./bindings/ExportResult";
import type { GateDecisionInput } from "./bindings/GateDecisionInput";
import type { Identity } from "./bindings/Identity";
import type { ItemProbe } from "./bindings/ItemProbe";
import type { ItemState } from "./bindings/ItemState";
import type { KeychainStatus } from "./bindings/KeychainStatus";
import type { NewRun } from "./bindings/NewRun";
import type { PaperSize } from "./bindings/PaperSize";
import type { PreflightReport } from "./bindings/PreflightReport";
import type { ProbeEvidence } from "./bindings/ProbeEvidence";
import type { ProbeSuggestion } from "./bindings/ProbeSuggestion";
import type { RecordVerification } from "./bindings/RecordVerification";
import type { RunDetail } from "./bindings/RunDetail";
import type { RunState } from "./bindings/RunState";
import type { RunSummary } from "./bindings/RunSummary";
import type { SchemaProblem } from "./bindings/SchemaProblem";
import type { SignatureInput } from "./bindings/SignatureInput";
import type { SigningCertificate } from "./bindings/SigningCertificate";
import type { Template } from "./bindings/Template";
import type { TemplateDetail } from "./bindings/TemplateDetail";
import type { TemplateSummary } from "./bindings/TemplateSummary";

/** Largest template the importer accepts (mirrors MAX_TEMPLATE_BYTES in Rust). */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

/** Largest record file checked from the window (mirrors MAX_RECORD_BYTES in Rust). */
export const MAX_RECORD_BYTES = 20 * 1024 * 1024;

/**
 * Every code the backend sends (the Rust `Code` enum). Typed as `Record<Code, true>`, so the type check fails when a
 * code is added to or removed from the enum until this table says the same.
 */
const CODES: Record<Code, true> = {
  invalid_input: true,
  not_found: true,
  identity_required: true,
  unexpected: true,
  runtime: true,
  serialise: true,
  file_unreadable: true,
  file_write_failed: true,
  permission_denied: true,
  disk_full: true,
  open_failed: true,
  import_failed: true,
  fail_needs_note: true,
  run_read_only: true,
  empty_note: true,
  gate_needs_override: true,
  rule_violation: true,
  database_locked: true,
  database_read_only: true,
  database_corrupt: true,
  database_error: true,
  database_open_failed: true,
  stored_data_unreadable: true,
  retention_not_expired: true,
  audit_chain_broken: true,
  state_differs_from_log: true,
  record_invalid: true,
  record_too_large: true,
  record_other_run: true,
  record_mismatch: true,
  no_signing_certificate: true,
  template_superseded: true,
  suggestion_not_found: true,
  suggestion_not_insertable: true,
  suggestion_has_inline_secret: true,
  secret_not_found: true,
  keychain_unavailable: true,
  keychain_timeout: true,
  keychain_locked: true,
  invalid_credential_name: true,
  keychain_error: true,
  probe_spec_syntax: true,
  probe_spec_invalid: true,
  missing_variable: true,
  not_a_pdf: true,
  damaged: true,
  encrypted: true,
  unsupported: true,
  invalid_key: true,
  invalid_certificate: true,
  key_mismatch: true,
  signing_failed: true,
  signature_too_large: true,
  invalid_timestamp: true,
  pkcs12: true,
  pdf_failed: true,
};

/** Whether a value is one of the backend's error codes. */
export function isCode(value: unknown): value is Code {
  return typeof value === "string" && Object.hasOwn(CODES, value);
}

/** Narrows anything thrown by a command to an ApiError; a code the UI does not know becomes `unexpected`. */
export function asApiError(error: unknown): ApiError {
  if (error && typeof error === "object" && "code" in error && "message" in error) {
    return { code: isCode(error.code) ? error.code : "unexpected", message: String(error.message) };
  }
  return { code: "unexpected", message: String(error) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw asApiError(error);
  }
}

export const api = {
  /** Why the data folder could not be opened at start, or null. */
  startupProblem: () => call<ApiError | null>("startup_problem"),
  /** Copies the data files into the archive folder; returns that folder. */
  saveDataCopy: () => call<string>("save_data_copy"),
  appInfo: () => call<AppInfo>("app_info"),
  setActor: (name: string) => call<AppInfo>("set_actor", { name }),
  /** Who is using Greenlight (name required; email and role optional); every change and record signature records it. */
  setIdentity: (identity: Identity) => call<AppInfo>("set_identity", { identity }),
  /** The audit log's safeguards (append-only triggers) that are missing or altered; [] when all is well. */
  schemaProblems: () => call<SchemaProblem[]>("schema_problems"),
  /** Restores the safeguards (only after the user agreed; the backend logs it); returns what it restored. */
  restoreSchema: () => call<SchemaProblem[]>("restore_schema"),
  /** `folder` is an absolute path. */
  setExportSettings: (folder: string, paper: PaperSize) => call<AppInfo>("set_export_settings", { folder, paper }),

  listTemplates: () => call<TemplateSummary[]>("list_templates"),
  getTemplate: (id: string) => call<TemplateDetail>("get_template", { id }),
  /** Parses without saving: the import preview. */
  previewImport: (bytes: Uint8Array, fileName: string | null) =>
    call<Template>("preview_import", { bytes: Array.from(bytes), fileName }),
  importTemplate: (bytes: Uint8Array, fileName: string | null) =>
    call<TemplateSummary>("import_template", { bytes: Array.from(bytes), fileName }),

  listRuns: () => call<RunSummary[]>("list_runs"),
  startRun: (newRun: NewRun) => call<RunSummary>("start_run", { newRun }),
  getRun: (runId: string) => call<RunDetail>("get_run", { runId }),
  setItemState: (runId: string, itemId: string, state: ItemState, note: string | null = null) =>
    call<RunState>("set_item_state", { runId, itemId, state, note }),
  setValue: (runId: string, elementId: string, value: string) =>
    call<RunState>("set_value", { runId, elementId, value }),
  addNote: (runId: string, elementId: string | null, body: string) =>
    call<RunState>("add_note", { runId, elementId, body }),
  completeRun: (runId: string) => call<RunState>("complete_run", { runId }),
  abandonRun: (runId: string) => call<RunState>("abandon_run", { runId }),
  archiveRun: (runId: string) => call<RunState>("archive_run", { runId }),
  runEvents: (runId: string) => call<AuditEvent[]>("run_events", { runId }),
  /** Recomputes the run's hash chain and compares the shown state with it (`discrepancies`). */
  verifyRun: (runId: string) => call<ChainReport>("verify_run", { runId }),
  /**
   * Checks a record file (record PDF or its JSON, base64) from any machine: verdict, signatures, and the comparison
   * with this computer's log when it holds the run. Refused with `record_too_large` over MAX_RECORD_BYTES.
   */
  verifyRecordFile: (contentBase64: string) => call<RecordVerification>("verify_record_file", { contentBase64 }),

  /** Records a drawn signature (the backend stamps the time and binds it to the audit head). */
  sign: (runId: string, input: SignatureInput) => call<RunState>("sign", { runId, input }),
  /** Refused with `gate_needs_override` for the go option over failed/pending items without a justification. */
  decideGate: (runId: string, input: GateDecisionInput) => call<RunState>("decide_gate", { runId, input }),
  /** `until` is RFC 3339; retention can be extended, never shortened. */
  setRetention: (runId: string, until: string) => call<RunState>("set_retention", { runId, until }),
  /** Refused with `retention_not_expired` before the retention date. */
  deleteRun: (runId: string) => call<null>("delete_run", { runId }),

  exportBlank: (templateId: string) => call<ExportResult>("export_blank", { templateId }),
  exportRun: (runId: string) => call<ExportResult>("export_run", { runId }),
  /** Opens a file or folder inside the export folder with the OS default app. */
  openExport: (path: string) => call<null>("open_export", { path }),
  /** The certificate records are signed with; null before the first record export made it. */
  signingCertificate: () => call<SigningCertificate | null>("signing_certificate"),
  /** Writes the signing certificate (PEM) into the export folder; returns its path. `no_signing_certificate` before one exists. */
  exportSigningCertificate: () => call<string>("export_signing_certificate"),
  /** The RFC 3161 time-stamp authority record signatures ask for a trusted time; null when none is set. */
  timestampAuthority: () => call<string | null>("timestamp_authority"),
  /**
   * Sets the time-stamp authority (null or "" clears it); returns what is now stored. Refused with `invalid_input`
   * for a URL that is not http(s) or has a user name or password in it.
   */
  setTimestampAuthority: (url: string | null) => call<string | null>("set_timestamp_authority", { url }),
  /**
   * Signs records from now on with a company certificate: a PKCS#12 file (base64) and its password. The key goes to
   * the OS keychain; neither the file nor the password is kept. Refused with `pkcs12` (wrong password or damaged
   * file) or `keychain_locked` / `keychain_timeout` / `keychain_unavailable`.
   */
  useCompanyCertificate: (contentBase64: string, password: string) =>
    call<SigningCertificate>("use_company_certificate", { contentBase64, password }),

  listEnvironments: () => call<Environment[]>("list_environments"),
  /** Creates or replaces the environment of that name; returns every environment. */
  saveEnvironment: (environment: Environment) => call<Environment[]>("save_environment", { environment }),
  deleteEnvironment: (name: string) => call<Environment[]>("delete_environment", { name }),

  keychainStatus: () => call<KeychainStatus>("keychain_status"),
  /** Names and kinds only: secrets never leave the OS keychain. */
  listCredentials: () => call<Credential[]>("list_credentials"),
  /** The secret goes to the OS keychain; errors with codes `keychain_*` explain how to enable or unlock it. */
  saveCredential: (input: CredentialInput) => call<Credential[]>("save_credential", { input }),
  deleteCredential: (name: string) => call<Credential[]>("delete_credential", { name }),

  /** The probe blocks declared under the template's items, with parse errors and command approval. */
  templateProbes: (templateId: string) => call<ItemProbe[]>("template_probes", { templateId }),
  /** Approves the command of the probe block at `line`, as the stored template states it. */
  approveCommand: (templateId: string, itemId: string, line: number) =>
    call<ItemProbe[]>("approve_command", { templateId, itemId, line }),
  /** Probes suggested from the template's shell snippets; nothing is applied. */
  probeSuggestions: (templateId: string) => call<ProbeSuggestion[]>("probe_suggestions", { templateId }),
  /**
   * Adds the suggestion (item, source line, kind) as a probe block under its item: the backend recomputes it from the
   * stored template and imports the result as the template's next version, which it returns. Codes:
   * `suggestion_not_found`, `suggestion_has_inline_secret`, `template_superseded`, `suggestion_not_insertable`.
   */
  addSuggestedProbe: (templateId: string, suggestion: Pick<ProbeSuggestion, "item_id" | "source_line" | "kind">) =>
    call<TemplateSummary>("add_suggested_probe", {
      templateId,
      itemId: suggestion.item_id,
      sourceLine: suggestion.source_line,
      kind: suggestion.kind,
    }),
  /** Resolves when every probe finished (each result also arrives as a `probe-result` event); [] = every item. */
  cancelItemProbes: (runId: string, itemId: string) => call<boolean>("cancel_item_probes", { runId, itemId }),
  autoAcceptPasses: (templateId: string) => call<boolean>("auto_accept_passes", { templateId }),
  setAutoAcceptPasses: (templateId: string, on: boolean) => call<boolean>("set_auto_accept_passes", { templateId, on }),
  runProbes: (runId: string, itemIds: string[]) => call<RunState>("run_probes", { runId, itemIds }),
  /** True when probes were running for the run and are now being cancelled. */
  cancelProbes: (runId: string) => call<boolean>("cancel_probes", { runId }),
  /** Checks a run's probes without contacting targets (unless asked); recorded in its log. */
  preflightRun: (runId: string, contactTargets: boolean) =>
    call<PreflightReport>("preflight_run", { runId, contactTargets }),
  /** Checks a template's probes in an environment (by name); nothing is recorded. */
  preflightTemplate: (templateId: string, environment: string, contactTargets: boolean) =>
    call<PreflightReport>("preflight_template", { templateId, environment, contactTargets }),
};

/** Name of the event each finished probe result is sent with (PROBE_RESULT_EVENT in Rust). */
export const PROBE_RESULT_EVENT = "probe-result";

/** Calls `onResult` with every probe result as it finishes; resolves to the function that stops listening. */
export async function onProbeResult(onResult: (evidence: ProbeEvidence) => void): Promise<() => void> {
  return listen<ProbeEvidence>(PROBE_RESULT_EVENT, (event) => onResult(event.payload));
}

export type Api = typeof api;
