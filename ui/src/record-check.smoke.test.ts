// @vitest-environment jsdom
// Smoke test of "Check a record file…" in the run view and the run list: mounts the whole app in jsdom against a fake
// backend, chooses record files (PDF or JSON) through the file input (read in the window as bytes and sent as base64 to
// verify_record_file), and shows the backend's answer: intact with its signatures, tampered with the first event that
// differs from this computer's log (hostile text shown as text), not a record, a refused file, and a file too large to send.
import { unmount } from "svelte";
import { choose, mountAppOnRunList, openRunMenu, q, readBlobsThroughFileReader, settle } from "./lib/dom.test-helpers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RecordCheck } from "./lib/bindings/RecordCheck";
import type { RecordVerification } from "./lib/bindings/RecordVerification";
import type { RunState } from "./lib/bindings/RunState";
import type { Template } from "./lib/bindings/Template";
import { appInfo, importReport, item, runSummary } from "./lib/fixtures.test-helpers";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];

const template: Template = {
  title: "Night",
  description: "",
  content_hash: "h",
  metadata_fields: [],
  sections: [
    {
      id: "s1",
      title: "After",
      level: 2,
      line: 1,
      blocks: [{ kind: "item", ...item("i2", [], { title: "Smoke tests pass" }) }],
      children: [],
    },
  ],
  report: importReport(),
};

const progress = { total: 1, done: 0, passed: 0, failed: 0, not_applicable: 0, skipped: 0 };

const summary = runSummary({ status: "completed", finished_at: "2025-06-01T22:00:00Z", progress });

const state: RunState = {
  run_id: "r1",
  status: "completed",
  finished_at: "2025-06-01T22:00:00Z",
  entries: [],
  notes: [],
  progress,
  sections: [],
  event_count: 5,
  signatures: [],
  gate_decisions: [],
  retain_until: "2026-06-01T22:00:00Z",
  evidence: [],
  head_hash: "abc",
};

const chain = {
  stream: "run:r1",
  intact: true,
  event_count: 5,
  head_hash: "abc",
  first_bad_position: null,
  message: "intact",
  discrepancies: [],
};

const event = (payload: string) => ({
  position: 3,
  kind: "note_added",
  element_id: "i2",
  payload,
  actor: "ann",
  at: "2025-06-01T18:05:00Z",
  prev_hash: "p",
  hash: "h3",
});

const base = { run_id: "r1", chain, message: "", record_events: 5, log_events: 5, first_difference: null };

const signature = {
  signer: "Dana Release <dana@example.com>",
  fingerprint_sha256: "AB:CD:EF",
  signed_at: "2025-06-01T22:05:00Z",
  timestamp: null,
  self_signed: true,
  valid: true,
  covers_whole_document: true,
};

const verification = (patch: Partial<RecordVerification>): RecordVerification => ({
  verdict: "intact",
  headline:
    "Intact: 5 events, chain head abc; signed by Dana Release <dana@example.com> (SHA-256 AB:CD:EF), self-signed",
  problems: [],
  warnings: [
    "the signing certificate is self-signed: compare its fingerprint with the one your organisation recorded for the signer",
  ],
  run_id: "r1",
  describes: "payments-api 2.1.0 in production — Night",
  event_count: 5,
  head_hash: "abc",
  signatures: [],
  local_log: null,
  ...patch,
});

/** The backend's answer to verify_record_file: the fake reads a word in the file's bytes to decide. */
function verifyRecordFile(args: Record<string, unknown>): RecordVerification {
  const text = atob(String(args.contentBase64));
  if (text.includes("refuse")) throw { code: "invalid_input", message: "the file did not reach Greenlight intact" };
  if (text.includes("tampered")) {
    const local: RecordCheck = {
      ...base,
      matches: false,
      message: "event 3 differs between the record and the log",
      first_difference: {
        position: 3,
        in_record: event('{"body":"<img src=x onerror=\\"window.__pwned=1\\">"}'),
        in_log: event('{"body":"Window closed on time"}'),
        fields: ["payload", "hash"],
      },
    };
    return verification({
      verdict: "tampered",
      headline: "Tampered: the audit chain does not verify: event 3 <script>window.__pwned=2</script>",
      problems: ["the audit chain does not verify: event 3 <script>window.__pwned=2</script>"],
      warnings: ["this is the JSON record alone: it carries no signature"],
      local_log: local,
    });
  }
  if (text.includes("other-run")) {
    return verification({ run_id: "elsewhere", describes: "billing 9.0.0 in staging — Day", signatures: [signature] });
  }
  if (!text.startsWith("%PDF-") && !text.startsWith("{")) {
    return verification({
      verdict: "not_a_record",
      headline: "Not a Greenlight record: the file is not valid JSON",
      problems: ["the file is not valid JSON"],
      warnings: [],
      run_id: null,
      describes: null,
      event_count: 0,
      head_hash: "",
    });
  }
  return verification({
    signatures: [signature],
    local_log: { ...base, matches: true, message: "matches", log_events: 7 },
  });
}

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  switch (command) {
    case "startup_problem":
      return null;
    case "app_info":
      return appInfo();
    case "list_runs":
      return [summary];
    case "get_run":
      return { run: summary, template, state: structuredClone(state) };
    case "template_probes":
    case "list_environments":
      return [];
    case "auto_accept_passes":
      return false;
    case "verify_record_file":
      return verifyRecordFile(args!);
    case "verify_run":
      return { ...chain, event_count: 5 };
    case "schema_problems":
      return [];
    default:
      throw { code: "not_found", message: `no fake for ${command}` };
  }
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (command: string, args?: Record<string, unknown>) => fakeBackend(command, args)),
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async () => () => {}),
}));

/** Chooses `file` in the record file input, as the system file picker would. */
async function chooseRecord(file: File) {
  await openRunMenu();
  choose(q('[data-testid="record-check-input"]') as HTMLInputElement, file);
  await settle();
}

/** The base64 the window should send for `text`. */
const base64Of = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

const results = () => calls.filter((c) => c.command === "verify_record_file");

describe("checking a record file from the run view", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    Element.prototype.scrollIntoView = () => {};
    readBlobsThroughFileReader();
    app = await mountAppOnRunList();
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
  });

  afterEach(() => unmount(app));

  it("sends a record PDF's bytes as base64 and shows it intact, with its signature and this computer's log", async () => {
    await openRunMenu();
    const input = q('[data-testid="record-check-input"]') as HTMLInputElement;
    expect(input.type).toBe("file");
    expect(input.accept).toBe(".pdf,.json,application/pdf,application/json");
    const text = "%PDF-1.7\n% é binary \u00ff\n%%EOF";
    await chooseRecord(new File([text], "payments-2.1.0.pdf", { type: "application/pdf" }));

    expect(results().map((c) => c.args)).toEqual([{ contentBase64: base64Of(text) }]);
    const result = q('[data-testid="record-check-result"]')!;
    expect(result.dataset.verdict).toBe("intact");
    expect(result.dataset.matches).toBe("true");
    expect(q('[data-testid="record-check-verdict"]')!.textContent).toBe("✓ Intact");
    expect(result.textContent).toContain("payments-api 2.1.0 in production — Night · 5 events");
    expect(q('[data-testid="record-check-headline"]')!.textContent).toContain("Intact: 5 events");
    const signatures = [...document.querySelectorAll<HTMLElement>('[data-testid="record-check-signature"]')];
    expect(signatures).toHaveLength(1);
    expect(signatures[0].dataset.valid).toBe("true");
    expect(signatures[0].textContent).toContain("Signed by Dana Release <dana@example.com>");
    expect(signatures[0].textContent).toContain("AB:CD:EF");
    expect(signatures[0].textContent).toContain("no trusted timestamp");
    expect(signatures[0].textContent).toContain("self-signed");
    expect(q('[data-testid="record-check-warnings"]')!.textContent).toContain("self-signed");
    expect(q('[data-testid="record-check-problems"]')).toBeNull();
    expect(q('[data-testid="record-check-local"]')!.dataset.localVerdict).toBe("matches");
    expect(q('[data-testid="record-check-detail"]')!.textContent).toContain(
      "2 more events were recorded after it was exported.",
    );
    expect(result.textContent).toContain("payments-2.1.0.pdf");
    expect(q('[data-testid="error-banner"]')).toBeNull();

    result.querySelector<HTMLElement>("button")!.click();
    await settle();
    expect(q('[data-testid="record-check-result"]')).toBeNull();
  });

  it("shows a tampered record's problems and the first event that differs from the log, as text", async () => {
    await chooseRecord(new File([JSON.stringify({ fake: "tampered" })], "edited.json"));
    const result = q('[data-testid="record-check-result"]')!;
    expect(result.dataset.verdict).toBe("tampered");
    expect(result.dataset.matches).toBe("false");
    expect(q('[data-testid="record-check-verdict"]')!.textContent).toBe("✗ Tampered");
    expect(q('[data-testid="record-check-problems"]')!.textContent).toContain("<script>window.__pwned=2</script>");
    expect(q('[data-testid="record-check-signature"]')).toBeNull();
    const detail = q('[data-testid="record-check-detail"]')!.textContent!;
    expect(detail).toContain("The first difference is event 3 (note added on “Smoke tests pass” by ann at");
    expect(detail).toContain("disagree on what was recorded and its fingerprint (hash)");
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="record-check-difference"]')];
    expect(rows.map((r) => r.dataset.field)).toEqual(["payload.body"]);
    const cells = [...rows[0].querySelectorAll("td")].map((td) => td.textContent);
    expect(cells).toEqual(['<img src=x onerror="window.__pwned=1">', "Window closed on time"]);
    expect(document.querySelector("img")).toBeNull();
    expect(document.querySelector("script")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("says when a file is not a record", async () => {
    await chooseRecord(new File(["hello"], "notes.txt"));
    const result = q('[data-testid="record-check-result"]')!;
    expect(result.dataset.verdict).toBe("not_a_record");
    expect(result.textContent).toContain("Not a Greenlight record");
    expect(result.textContent).toContain("the file is not valid JSON");
  });

  it("shows why the backend refused a file", async () => {
    await chooseRecord(new File(["{ refuse"], "record.json"));
    const error = q('[data-testid="record-check-error"]')!;
    expect(error.dataset.code).toBe("invalid_input");
    expect(error.textContent).toContain("record.json could not be checked");
    expect(error.textContent).toContain("did not reach Greenlight intact");
    expect(q('[data-testid="record-check-result"]')).toBeNull();
  });

  it("refuses a file over the size limit without reading or sending it", async () => {
    const huge = {
      name: "huge.pdf",
      size: 21 * 1024 * 1024,
      arrayBuffer: vi.fn(async () => new ArrayBuffer(0)),
    } as unknown as File;
    await chooseRecord(huge);
    const error = q('[data-testid="record-check-error"]')!;
    expect(error.dataset.code).toBe("record_too_large");
    expect(error.textContent).toContain("huge.pdf is 21.0 MB; a record file checked here can be at most 20.0 MB");
    expect((huge as unknown as { arrayBuffer: ReturnType<typeof vi.fn> }).arrayBuffer).not.toHaveBeenCalled();
    expect(results()).toHaveLength(0);
  });
});

describe("checking a record file from the run list", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    app = await mountAppOnRunList();
  });

  afterEach(() => unmount(app));

  it("checks the record of a run this computer never held", async () => {
    expect(q('[data-testid="run-view"]')).toBeNull();
    await chooseRecord(new File(["%PDF-1.7 other-run"], "billing.pdf", { type: "application/pdf" }));
    const result = q('[data-testid="record-check-result"]')!;
    expect(result.dataset.verdict).toBe("intact");
    expect(result.textContent).toContain("billing 9.0.0 in staging — Day");
    expect(q('[data-testid="record-check-signature"]')!.textContent).toContain("Dana Release");
    expect(q('[data-testid="record-check-local"]')).toBeNull();
  });
});
