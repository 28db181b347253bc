// Words for "Check a record file…" (verify_record_file): the verdict, each PDF signature, and the comparison with
// this computer's log when it holds the run. Pure; everything in a record file is untrusted and shown as text only.
import type { ExportResult } from "./bindings/ExportResult";
import type { RecordSignature } from "./bindings/RecordSignature";
import type { RecordVerdict } from "./bindings/RecordVerdict";
import type { RecordVerification } from "./bindings/RecordVerification";
import type { SigningCertificate } from "./bindings/SigningCertificate";
import { formatDateTime, plural } from "./format";
import { type CheckSummary, summarise } from "./record-check";

/** Record files the window offers to check (the file input's `accept`). */
export const RECORD_FILE_ACCEPT = ".pdf,.json,application/pdf,application/json";

export type VerdictLabel = { symbol: string; label: string; tone: "ok" | "bad" | "unknown" };

const VERDICTS: Record<RecordVerdict, VerdictLabel> = {
  intact: { symbol: "✓", label: "Intact", tone: "ok" },
  tampered: { symbol: "✗", label: "Tampered", tone: "bad" },
  not_a_record: { symbol: "?", label: "Not a Greenlight record", tone: "unknown" },
};

/** ✓ Intact / ✗ Tampered / ? Not a Greenlight record. */
export function verdictLabel(verdict: RecordVerdict): VerdictLabel {
  return VERDICTS[verdict] ?? { symbol: "?", label: String(verdict), tone: "unknown" };
}

/** One signature as the result lists it. */
export type SignatureView = {
  signer: string;
  fingerprint: string;
  signedAt: string;
  timestamp: string;
  /** "self-signed" (the warnings say why that matters); null when an authority issued the certificate. */
  selfSigned: string | null;
  status: string;
  ok: boolean;
};

export function signatureView(signature: RecordSignature): SignatureView {
  const ok = signature.valid && signature.covers_whole_document;
  const status = !signature.valid
    ? "does not match the bytes it covers"
    : signature.covers_whole_document
      ? "valid, covers the whole document"
      : "valid, but the document was changed after it";
  return {
    signer: signature.signer || "(no name in the certificate)",
    fingerprint: signature.fingerprint_sha256 || "(unknown)",
    signedAt: signature.signed_at ? formatDateTime(signature.signed_at) : "an unknown time",
    timestamp: signature.timestamp
      ? `trusted timestamp ${formatDateTime(signature.timestamp)}`
      : "no trusted timestamp",
    selfSigned: signature.self_signed ? "self-signed certificate" : null,
    status,
    ok,
  };
}

/** "payments 2.1.0 in production — Blue/green release · 14 events", or what is known of it. */
export function recordSubject(
  result: Pick<RecordVerification, "describes" | "run_id" | "event_count" | "verdict">,
): string {
  if (result.verdict === "not_a_record") return "";
  const what = result.describes ?? (result.run_id ? `run ${result.run_id}` : "");
  const events = plural(Number(result.event_count), "event");
  return what ? `${what} · ${events}` : events;
}

/** The comparison with this computer's log of the same run, in words; null when this database does not hold it. */
export function localLogSummary(
  result: Pick<RecordVerification, "local_log">,
  names: Map<string, string> = new Map(),
): CheckSummary | null {
  return result.local_log ? summarise(result.local_log, names) : null;
}

/** "Signed by …" or the reason a record export is unsigned, with its tone. */
export function exportSigning(result: Pick<ExportResult, "signed" | "signing">): {
  tone: "ok" | "warning";
  text: string;
} {
  const text = result.signing.trim() || (result.signed ? "signed" : "not signed");
  return { tone: result.signed ? "ok" : "warning", text: text.charAt(0).toUpperCase() + text.slice(1) };
}

/** "2026-11-23 10:05 to 2036-11-23 10:05" */
export function certificateValidity(certificate: Pick<SigningCertificate, "not_before" | "not_after">): string {
  return `${formatDateTime(certificate.not_before)} to ${formatDateTime(certificate.not_after)}`;
}
