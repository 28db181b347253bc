import { describe, expect, it } from "vitest";
import type { RecordSignature } from "./bindings/RecordSignature";
import type { RecordVerification } from "./bindings/RecordVerification";
import { formatDateTime } from "./format";
import {
  RECORD_FILE_ACCEPT,
  certificateValidity,
  exportSigning,
  localLogSummary,
  recordSubject,
  signatureView,
  verdictLabel,
} from "./record-verification";

const signature = (patch: Partial<RecordSignature> = {}): RecordSignature => ({
  signer: "Dana Release",
  fingerprint_sha256: "AB:CD",
  signed_at: "2026-11-23T10:05:00Z",
  timestamp: null,
  self_signed: true,
  valid: true,
  covers_whole_document: true,
  ...patch,
});

const verification = (patch: Partial<RecordVerification> = {}): RecordVerification => ({
  verdict: "intact",
  headline: "Intact",
  problems: [],
  warnings: [],
  run_id: "r1",
  describes: "payments 2.1.0 in production — Night",
  event_count: 14,
  head_hash: "abc",
  signatures: [],
  local_log: null,
  ...patch,
});

const chain = {
  stream: "run:r1",
  intact: true,
  event_count: 14,
  head_hash: "abc",
  first_bad_position: null,
  message: "intact",
  discrepancies: [],
};

describe("record file verification words", () => {
  it("accepts PDF and JSON record files", () => {
    expect(RECORD_FILE_ACCEPT).toBe(".pdf,.json,application/pdf,application/json");
  });

  it("labels each verdict", () => {
    expect(verdictLabel("intact")).toEqual({ symbol: "✓", label: "Intact", tone: "ok" });
    expect(verdictLabel("tampered")).toEqual({ symbol: "✗", label: "Tampered", tone: "bad" });
    expect(verdictLabel("not_a_record").label).toBe("Not a Greenlight record");
  });

  it("describes a valid self-signed signature without a timestamp", () => {
    const view = signatureView(signature());
    expect(view.signer).toBe("Dana Release");
    expect(view.fingerprint).toBe("AB:CD");
    expect(view.signedAt).toBe(formatDateTime("2026-11-23T10:05:00Z"));
    expect(view.timestamp).toBe("no trusted timestamp");
    expect(view.selfSigned).toBe("self-signed certificate");
    expect(view.status).toBe("valid, covers the whole document");
    expect(view.ok).toBe(true);
  });

  it("describes a timestamped signature, a broken one and one followed by changes", () => {
    const stamped = signatureView(signature({ timestamp: "2026-11-23T10:06:00Z", self_signed: false }));
    expect(stamped.timestamp).toBe(`trusted timestamp ${formatDateTime("2026-11-23T10:06:00Z")}`);
    expect(stamped.selfSigned).toBeNull();
    expect(signatureView(signature({ valid: false })).status).toBe("does not match the bytes it covers");
    const later = signatureView(signature({ covers_whole_document: false }));
    expect(later.status).toBe("valid, but the document was changed after it");
    expect(later.ok).toBe(false);
    expect(signatureView(signature({ signed_at: null, signer: "", fingerprint_sha256: "" }))).toMatchObject({
      signedAt: "an unknown time",
      signer: "(no name in the certificate)",
      fingerprint: "(unknown)",
    });
  });

  it("says what the record is of", () => {
    expect(recordSubject(verification())).toBe("payments 2.1.0 in production — Night · 14 events");
    expect(recordSubject(verification({ describes: null, event_count: 1 }))).toBe("run r1 · 1 event");
    expect(
      recordSubject(verification({ verdict: "not_a_record", describes: null, run_id: null, event_count: 0 })),
    ).toBe("");
  });

  it("summarises the local log comparison only when this database holds the run", () => {
    expect(localLogSummary(verification())).toBeNull();
    const local = {
      run_id: "r1",
      matches: true,
      chain,
      message: "",
      record_events: 14,
      log_events: 14,
      first_difference: null,
    };
    expect(localLogSummary(verification({ local_log: local }))?.verdict).toBe("matches");
  });

  it("words the signing of an export, warning when unsigned", () => {
    expect(exportSigning({ signed: true, signing: "signed by Dana Release (AB:CD)" })).toEqual({
      tone: "ok",
      text: "Signed by Dana Release (AB:CD)",
    });
    expect(
      exportSigning({ signed: false, signing: "not signed: the keychain holding the signing key is locked" }),
    ).toEqual({
      tone: "warning",
      text: "Not signed: the keychain holding the signing key is locked",
    });
    expect(exportSigning({ signed: false, signing: "" }).text).toBe("Not signed");
  });

  it("gives a certificate's validity period", () => {
    expect(certificateValidity({ not_before: "2026-11-23T10:05:00Z", not_after: "2036-11-23T10:05:00Z" })).toBe(
      `${formatDateTime("2026-11-23T10:05:00Z")} to ${formatDateTime("2036-11-23T10:05:00Z")}`,
    );
  });
});
