// @vitest-environment jsdom
// Smoke test of "Check a record file…" in the run view: mounts the whole app in jsdom against a fake backend, chooses
// record files through the file input (read in the window with File.text()), and shows the backend's answer: matches,
// the first differing event side by side (hostile text shown as text), a refused file, and a file too large to send.
import { unmount } from "svelte";
import { q, mountApp, settle } from "./lib/dom.test-helpers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RecordCheck } from "./lib/bindings/RecordCheck";
import type { RunState } from "./lib/bindings/RunState";
import type { Template } from "./lib/bindings/Template";
import { item } from "./lib/fixtures.test-helpers";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];

const template: Template = {
  title: "Night",
  description: "",
  content_hash: "h",
  metadata_fields: [],
  sections: [{ id: "s1", title: "After", level: 2, line: 1, blocks: [{ kind: "item", ...item("i2", [], { title: "Smoke tests pass" }) }], children: [] }],
  report: { sections: 0, items: 0, fields: 0, choices: 0, signatures: 0, gates: 0, code_blocks: 0, unstructured: [], warnings: [], item_spans: [] } as Template["report"],
};

const progress = { total: 1, done: 0, passed: 0, failed: 0, not_applicable: 0, skipped: 0 };

const summary = {
  id: "r1",
  template_id: "t1",
  template_title: "Night",
  template_hash: "h",
  release_name: "payments-api",
  version: "2.1.0",
  environment: "production",
  window_start: null,
  window_end: null,
  status: "completed" as const,
  created_at: "2025-06-01T18:00:00Z",
  created_by: "ann",
  finished_at: "2025-06-01T22:00:00Z",
  progress,
};

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

const chain = { stream: "run:r1", intact: true, event_count: 5, head_hash: "abc", first_bad_position: null, message: "intact" };

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

/** The backend's answer to check_record: the fake reads the "fake" field of the record to decide. */
function checkRecord(args: Record<string, unknown>): RecordCheck {
  let record: { fake?: string };
  try {
    record = JSON.parse(String(args.recordJson));
  } catch {
    throw { code: "record_invalid", message: "the file is not valid JSON: expected value at line 1 column 1" };
  }
  const base = { run_id: "r1", chain, message: "", record_events: 5, log_events: 5, first_difference: null };
  if (record.fake === "tampered") {
    return {
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
  }
  return { ...base, matches: true, message: "the record matches the log (5 events)", log_events: 7 };
}

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  switch (command) {
    case "startup_problem":
      return null;
    case "app_info":
      return { version: "0.1.0", data_dir: "/d", log_dir: "/l", database_path: "/d/db", actor: "ann", export_dir: "/e", paper: "a4" };
    case "list_runs":
      return [summary];
    case "get_run":
      return { run: summary, template, state: structuredClone(state) };
    case "template_probes":
    case "list_environments":
      return [];
    case "auto_accept_passes":
      return false;
    case "check_record":
      return checkRecord(args!);
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
async function choose(file: File) {
  const input = q('[data-testid="record-check-input"]') as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  input.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
}

describe("checking a record file from the run view", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    Element.prototype.scrollIntoView = () => {};
    // jsdom's Blob has no text() (the webview's has): read it through jsdom's FileReader instead.
    Blob.prototype.text ??= function (this: Blob) {
      return new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsText(this);
      });
    };
    (await import("./lib/router.svelte")).router.go({ name: "runs" });
    (await import("./lib/status.svelte")).status.dismiss();
    app = await mountApp();
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
  });

  afterEach(() => unmount(app));

  it("sends the chosen file's text for this run and says it matches, counting the events added since", async () => {
    const input = q('[data-testid="record-check-input"]') as HTMLInputElement;
    expect(input.type).toBe("file");
    expect(input.accept).toBe(".json,application/json");
    const text = JSON.stringify({ format: "greenlight-run-record/1", fake: "ok" });
    await choose(new File([text], "payments-2.1.0.json", { type: "application/json" }));

    expect(calls.filter((c) => c.command === "check_record").map((c) => c.args)).toEqual([{ runId: "r1", recordJson: text }]);
    const result = q('[data-testid="record-check-result"]')!;
    expect(result.dataset.matches).toBe("true");
    expect(result.textContent).toContain("The record file matches this run's audit log");
    expect(result.textContent).toContain("Every event in the file (5 events) is exactly as the log holds it.");
    expect(result.textContent).toContain("2 more events were recorded after it was exported.");
    expect(result.textContent).toContain("payments-2.1.0.json");
    expect(q('[data-testid="error-banner"]')).toBeNull();

    result.querySelector<HTMLElement>("button")!.click();
    await settle();
    expect(q('[data-testid="record-check-result"]')).toBeNull();
  });

  it("names the first differing event and shows both versions as text", async () => {
    await choose(new File([JSON.stringify({ fake: "tampered" })], "edited.json"));
    const result = q('[data-testid="record-check-result"]')!;
    expect(result.dataset.matches).toBe("false");
    expect(result.textContent).toContain("The record file does not match this run's audit log");
    const detail = q('[data-testid="record-check-detail"]')!.textContent!;
    expect(detail).toContain("The first difference is event 3 (note added on “Smoke tests pass” by ann at");
    expect(detail).toContain("disagree on what was recorded and its fingerprint (hash)");
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="record-check-difference"]')];
    expect(rows.map((r) => r.dataset.field)).toEqual(["payload.body"]);
    const cells = [...rows[0].querySelectorAll("td")].map((td) => td.textContent);
    expect(cells).toEqual(['<img src=x onerror="window.__pwned=1">', "Window closed on time"]);
    expect(document.querySelector("img")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("shows why a file that is not a record was refused", async () => {
    await choose(new File(["%PDF-1.7 not json"], "record.pdf.json"));
    const error = q('[data-testid="record-check-error"]')!;
    expect(error.dataset.code).toBe("record_invalid");
    expect(error.textContent).toContain("record.pdf.json could not be checked");
    expect(error.textContent).toContain("not valid JSON");
    expect(q('[data-testid="record-check-result"]')).toBeNull();
  });

  it("refuses a file over the size limit without reading or sending it", async () => {
    const huge = { name: "huge.json", size: 21 * 1024 * 1024, text: vi.fn(async () => "{}") } as unknown as File;
    await choose(huge);
    const error = q('[data-testid="record-check-error"]')!;
    expect(error.dataset.code).toBe("record_too_large");
    expect(error.textContent).toContain("huge.json is 21.0 MB; a record file checked here can be at most 20.0 MB");
    expect((huge as unknown as { text: ReturnType<typeof vi.fn> }).text).not.toHaveBeenCalled();
    expect(calls.some((c) => c.command === "check_record")).toBe(false);
  });
});
