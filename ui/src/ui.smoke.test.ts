// @vitest-environment jsdom
// Smoke test: mounts the whole app in jsdom against a fake backend and walks a run (rendering, marking, fail note, keyboard),
// decides a gate by override, signs through the signature pad (pointer events on its canvas), and runs probes with
// live probe-result events (approval of a command, progress, proposals accepted by a click).
import { unmount } from "svelte";
import { mountApp, mountAppOnRunList, q, settle, type } from "./lib/dom.test-helpers";
import { appInfo, importReport, runSummary } from "./lib/fixtures.test-helpers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ItemProbe } from "./lib/bindings/ItemProbe";
import type { ProbeOutcome } from "./lib/bindings/ProbeOutcome";
import type { ProbeEvidence } from "./lib/bindings/ProbeEvidence";
import type { RunState } from "./lib/bindings/RunState";
import type { Template } from "./lib/bindings/Template";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];
let state: RunState;
let probes: ItemProbe[];
let credentials: { name: string; kind: string; username: string | null; created_at: string }[];
let environments: { name: string; variables: Record<string, string> }[];
/** The run_probes call in flight: resolved by the test once its events were sent. */
let probeRun: { resolve: (state: RunState) => void } | null = null;
const listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();

/** Sends a probe result the way the backend does: kept with the run, then emitted as a `probe-result` event. */
let autoAccept = false;
let startupProblem: { code: string; message: string } | null = null;

function emitProbeResult(evidence: ProbeEvidence, keep = true) {
  if (keep) state.evidence = [...state.evidence, evidence];
  for (const listener of listeners.get("probe-result") ?? []) listener({ payload: evidence });
}

const evidence = (
  id: number,
  element_id: string,
  outcome: ProbeOutcome,
  summary: string,
  run_id = "r1",
): ProbeEvidence => ({
  id,
  run_id,
  element_id,
  probe_line: element_id === "i1" ? 20 : 22,
  kind: element_id === "i1" ? "http" : "tcp",
  outcome,
  summary,
  code: null,
  evidence: [{ label: "status", value: outcome === "pass" ? "200" : "closed" }],
  started_at: "2025-06-01T18:30:00Z",
  duration_ms: 240,
  response_time_ms: null,
  actor: "ann",
});

const template: Template = {
  title: 'Night <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>',
  description: "",
  content_hash: "h",
  metadata_fields: [{ id: "m1", line: 3, label: "Release", unit: null, value_kind: "text" }],
  sections: [
    {
      id: "s1",
      title: "Before",
      level: 2,
      line: 5,
      blocks: [
        {
          kind: "prose",
          line: 6,
          markdown: "Read [Runbook](javascript:alert(1)) <b onmouseover=x>bold</b>",
          // As the importer gives it: the link as its text, the inline HTML as literal text.
          lines: [
            {
              style: "paragraph",
              depth: 0,
              spans: [
                {
                  text: "Read Runbook <b onmouseover=x>bold</b>",
                  strong: false,
                  emphasis: false,
                  strike: false,
                  code: false,
                },
              ],
              cells: [],
            },
          ],
        },
        ...["i1", "i2", "i3"].map((id) => ({
          kind: "item" as const,
          id,
          line: 7,
          title: `Item ${id}`,
          detail: "",
          checked_in_source: false,
          notes: [],
          code: id === "i2" ? [{ line: 8, lang: "bash", code: "curl -s x", expectations: ["ok"] }] : [],
          expectations: id === "i2" ? ["ok"] : [],
          fields: [],
          choices: [],
          signature: null,
          children: [],
        })),
        {
          kind: "gate",
          id: "g1",
          line: 9,
          title: "Go live",
          authority: "Release Manager",
          options: ["GO", "NO-GO"],
          covers: ["i1", "i2", "i3"],
        },
        { kind: "signature", id: "sig1", line: 10, role: "QA Lead", dated: true },
      ],
      children: [],
    },
  ],
  report: importReport({ sections: 1, items: 3, fields: 1, code_blocks: 1 }),
};

const progress = () => {
  const done = state.entries.filter((e) => e.state && e.state !== "pending");
  return {
    total: 3,
    done: done.length,
    passed: done.filter((e) => e.state === "pass").length,
    failed: done.filter((e) => e.state === "fail").length,
    not_applicable: done.filter((e) => e.state === "not_applicable").length,
    skipped: done.filter((e) => e.state === "skipped").length,
  };
};

const summary = runSummary({ progress: { total: 3, done: 0, passed: 0, failed: 0, not_applicable: 0, skipped: 0 } });

/** Records (or replaces) the fake run's entry for one element. */
function record(id: string, patch: Partial<RunState["entries"][number]>) {
  state.entries = [
    ...state.entries.filter((e) => e.element_id !== id),
    { element_id: id, state: null, value: null, actor: "ann", at: "2025-06-01T18:05:00Z", ...patch },
  ];
}

/** The fake backend's answer to each command it knows, by command name. */
const fakeCommands: Record<string, (args?: Record<string, unknown>) => unknown> = {
  app_info: () => appInfo(),
  schema_problems: () => [],
  list_runs: () => [summary],
  get_run: () => ({ run: summary, template, state }),
  set_item_state: (args) => {
    if (args!.state === "fail" && !args!.note)
      throw { code: "fail_needs_note", message: "a failed item needs a note saying what failed" };
    record(String(args!.itemId), { state: args!.state as never });
    if (args!.note) {
      state.notes = [
        ...state.notes,
        {
          id: state.notes.length + 1,
          element_id: String(args!.itemId),
          kind: "note",
          body: String(args!.note),
          actor: "ann",
          at: "2025-06-01T18:05:00Z",
        },
      ];
    }
    state.progress = progress();
    // A covered change after signing makes every earlier signature stale.
    state.signatures = state.signatures.map((sig) => ({ ...sig, stale: true }));
    return structuredClone(state);
  },
  decide_gate: (args) => {
    const input = args!.input as {
      gate_id: string;
      option: string;
      reason: string | null;
      override_justification: string | null;
    };
    const open = ["i1", "i2", "i3"].filter((id) => {
      const s = state.entries.find((e) => e.element_id === id)?.state ?? "pending";
      return s === "pending" || s === "fail";
    });
    const justification = input.override_justification?.trim() || null;
    if (input.option === "GO" && open.length > 0 && !justification) {
      throw {
        code: "gate_needs_override",
        message: `GO needs an override: 0 covered items failed and ${open.length} are pending`,
      };
    }
    state.gate_decisions = [
      ...state.gate_decisions,
      {
        id: state.gate_decisions.length + 1,
        gate_id: input.gate_id,
        option: input.option,
        decided_by: "ann",
        at: "2025-06-01T18:10:00Z",
        reason: input.reason,
        override_justification: input.option === "GO" && open.length > 0 ? justification : null,
      },
    ];
    return structuredClone(state);
  },
  sign: (args) => {
    const input = args!.input as {
      slot_id: string | null;
      role: string | null;
      name: string;
      strokes: [number, number][][];
    };
    if (!input.name.trim()) throw { code: "invalid_input", message: "type the signer's name" };
    state.signatures = [
      ...state.signatures,
      {
        id: state.signatures.length + 1,
        slot_id: input.slot_id,
        role: input.slot_id === "sig1" ? "QA Lead" : String(input.role),
        name: input.name,
        signed_at: "2025-06-01T18:20:00Z",
        strokes: input.strokes,
        bound_head: state.head_hash,
        stale: false,
      },
    ];
    return structuredClone(state);
  },
  get_template: () => ({
    summary: {
      id: "t1",
      key: "night",
      version: 1,
      title: "Night",
      content_hash: "h",
      origin: "imported",
      file_name: null,
      item_count: 3,
      imported_at: "2025-06-01T17:00:00Z",
      superseded: false,
    },
    template,
    source: "# Night",
  }),
  probe_suggestions: () => [
    {
      item_id: "i2",
      kind: "http",
      spec_toml: 'kind = "http"\nurl = "${api_base}/health"\nauth = { bearer = { credential = "payments-token" } }\n',
      reason: "curl of a health endpoint",
      source_line: 8,
      inline_credentials: [{ line: 8, suggested_name: "payments-token" }],
    },
  ],
  keychain_status: () => ({
    available: false,
    message: "No Secret Service: install and unlock gnome-keyring (or KWallet)",
  }),
  list_credentials: () => structuredClone(credentials),
  save_credential: (args) => {
    const input = args!.input as { name: string; kind: string; username: string | null; secret: string };
    if (input.secret === "locked")
      throw { code: "keychain_timeout", message: "the keychain did not answer: unlock it and try again" };
    credentials = [
      ...credentials,
      { name: input.name, kind: input.kind, username: input.username, created_at: "2025-06-01T18:00:00Z" },
    ];
    return structuredClone(credentials);
  },
  list_environments: () => structuredClone(environments),
  save_environment: (args) => {
    const env = args!.environment as { name: string; variables: Record<string, string> };
    environments = [...environments.filter((e) => e.name !== env.name), env];
    return structuredClone(environments);
  },
  template_probes: () => structuredClone(probes),
  approve_command: (args) => {
    probes = probes.map((p) => (p.item_id === args!.itemId && p.line === args!.line ? { ...p, approved: true } : p));
    return structuredClone(probes);
  },
  run_probes: () =>
    new Promise<RunState>((resolve) => {
      probeRun = { resolve };
    }),
  cancel_probes: () => true,
  set_value: (args) => {
    record(String(args!.elementId), { value: String(args!.value) });
    return structuredClone(state);
  },
  export_run: () => ({
    pdf_path: "/e/r1.pdf",
    json_path: "/e/r1.json",
    folder: "/e",
    pdf_sha256: "ab".repeat(32),
    signed: false,
    signing: "not signed: the keychain holding the signing key is locked; unlock it and export again to sign",
  }),
  verify_run: () => ({
    stream: "run:r1",
    intact: true,
    event_count: 3,
    head_hash: "abc",
    first_bad_position: null,
    message: "intact",
    discrepancies: [],
  }),
  open_export: () => null,
  set_retention: (args) => {
    state.retain_until = String(args!.until);
    return structuredClone(state);
  },
  delete_run: () => {
    throw {
      code: "retention_not_expired",
      message: `this run is kept until ${state.retain_until} (retention) and cannot be deleted before then`,
    };
  },
  cancel_item_probes: () => true,
  startup_problem: () => startupProblem,
  save_data_copy: () => "/e/greenlight-data-20261123-143005",
  auto_accept_passes: () => autoAccept,
  set_auto_accept_passes: (args) => {
    autoAccept = Boolean(args!.on);
    return autoAccept;
  },
};

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  const handler = fakeCommands[command];
  if (!handler) throw { code: "not_found", message: `no fake for ${command}` };
  return handler(args);
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (command: string, args?: Record<string, unknown>) => fakeBackend(command, args)),
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (name: string, handler: (event: { payload: unknown }) => void) => {
    listeners.set(name, [...(listeners.get(name) ?? []), handler]);
    return () =>
      listeners.set(
        name,
        (listeners.get(name) ?? []).filter((h) => h !== handler),
      );
  }),
}));

const item = (id: string) => q(`[data-testid="item"][data-item-id="${id}"]`)!;

/** Makes an item the current one as a click on it does (its detail, fields and probes expand). */
async function makeCurrent(id: string) {
  item(id).focus();
  await settle();
}

describe("the app in a browser-like DOM", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    listeners.clear();
    probeRun = null;
    credentials = [];
    environments = [{ name: "production", variables: { api_base: "https://api.example.com" } }];
    probes = [
      { item_id: "i1", line: 20, kind: "http", error: null, command_text: null, approved: false },
      {
        item_id: "i2",
        line: 21,
        kind: "command",
        error: null,
        command_text: "systemctl is-active payments-api",
        approved: false,
      },
      { item_id: "i3", line: 22, kind: "tcp", error: null, command_text: null, approved: false },
    ];
    state = {
      run_id: "r1",
      status: "active",
      finished_at: null,
      entries: [],
      notes: [],
      progress: summary.progress,
      sections: [{ section_id: "s1", progress: summary.progress }],
      event_count: 1,
      signatures: [],
      gate_decisions: [],
      retain_until: null,
      evidence: [],
      head_hash: "abc",
    };
    Element.prototype.scrollIntoView = () => {};
    // jsdom has no modal dialogs, canvas drawing or layout: open dialogs by attribute, skip painting, give the pad a size.
    HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
      this.setAttribute("open", "");
    };
    HTMLCanvasElement.prototype.getContext = (() => null) as never;
    HTMLCanvasElement.prototype.getBoundingClientRect = () =>
      ({ left: 0, top: 0, width: 300, height: 100, right: 300, bottom: 100, x: 0, y: 0, toJSON() {} }) as DOMRect;
    startupProblem = null;
    app = await mountAppOnRunList();
  });

  afterEach(() => unmount(app));

  it("shows only the startup problem, with its recovery steps, when the data could not be opened", async () => {
    unmount(app);
    startupProblem = {
      code: "database_corrupt",
      message: "Greenlight could not open its data: damaged. Nothing was changed. Move /d/greenlight.sqlite3 aside.",
    };
    calls.length = 0;
    app = await mountApp();
    const screen = q('[data-testid="startup-problem"]')!;
    expect(screen.dataset.code).toBe("database_corrupt");
    expect(screen.textContent).toContain("Move /d/greenlight.sqlite3 aside");
    expect(q('[data-testid="nav-runs"]')).toBeNull();
    expect(calls.map((c) => c.command)).toEqual(["startup_problem"]);

    q('[data-testid="save-data-copy"]')!.click();
    await settle();
    expect(calls.map((c) => c.command)).toEqual(["startup_problem", "save_data_copy"]);
    expect(q('[data-testid="data-copy-result"]')!.textContent).toContain("/e/greenlight-data-20261123-143005");
  });

  it("opens a run from the list and walks it with buttons, the fail note box and the keyboard", async () => {
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
    expect(q('[data-testid="run-view"]')?.dataset.runId).toBe("r1");
    expect(q('[data-testid="progress-overall"]')?.textContent).toBe("0 / 3");
    expect(document.querySelectorAll('[data-testid="item"]').length).toBe(3);
    expect(document.querySelector("img, script, b")).toBeNull();
    expect(document.body.textContent).toContain("Read Runbook <b onmouseover=x>bold</b>");

    item("i1").querySelector<HTMLElement>('[data-testid="mark-pass"]')!.click();
    await settle();
    expect(item("i1").dataset.state).toBe("pass");
    expect(item("i1").querySelector('[data-testid="item-actor"]')?.textContent).toContain("ann");
    expect(q('[data-testid="saved-indicator"]')).not.toBeNull();

    item("i2").querySelector<HTMLElement>('[data-testid="mark-fail"]')!.click();
    await settle();
    const failSave = item("i2").querySelector<HTMLElement>('[data-testid="fail-note-save"]')!;
    failSave.click();
    await settle();
    expect(q('[data-testid="error-banner"]')?.textContent).toContain("needs a note");
    expect(item("i2").dataset.state).toBe("pending");

    const input = item("i2").querySelector<HTMLTextAreaElement>('[data-testid="fail-note-input"]')!;
    input.value = "503 from health";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    item("i2").querySelector<HTMLElement>('[data-testid="fail-note-save"]')!.click();
    await settle();
    expect(item("i2").dataset.state).toBe("fail");
    // At rest the failed item is one line with its reason under it.
    expect(item("i2").querySelector('[data-testid="item-latest-note"]')?.textContent).toContain("503 from health");
    expect(item("i2").querySelector('[data-testid="fail-note-input"]')).toBeNull();
    expect(q('[data-testid="error-banner"]')).toBeNull();

    // After the fail, the current item advanced to the next pending one (i3); "n" marks it N/A.
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "n", bubbles: true }));
    await settle();
    expect(item("i3").dataset.state).toBe("not_applicable");
    expect(q('[data-testid="progress-overall"]')?.textContent).toBe("3 / 3");

    // k moves back to i2; f opens its fail-note box with focus in it; Escape there closes it.
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "k", bubbles: true }));
    await settle();
    expect(q('[data-testid="item"][aria-current="step"]')?.dataset.itemId).toBe("i2");
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "f", bubbles: true }));
    await settle();
    const box = item("i2").querySelector('[data-testid="fail-note-input"]');
    expect(box).not.toBeNull();
    expect(document.activeElement).toBe(box);
    box!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await settle();
    expect(item("i2").querySelector('[data-testid="fail-note-input"]')).toBeNull();

    const field = q('[data-testid="field-input"][data-field-id="m1"]') as HTMLInputElement;
    field.value = "v2.1.0";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new FocusEvent("blur"));
    await settle();
    expect(calls.some((c) => c.command === "set_value" && c.args?.value === "v2.1.0")).toBe(true);
  });

  async function openRun() {
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
  }

  it("refuses GO at a gate over pending items until a written override is given, then badges the override", async () => {
    await openRun();
    const gate = () => q('[data-testid="gate"][data-gate-id="g1"]')!;
    expect(gate().textContent).toContain("Decision authority: Release Manager");
    expect(gate().querySelector('[data-testid="gate-summary"]')?.textContent).toContain(
      "0 passed, 0 failed, 3 pending",
    );
    expect(q('[data-testid="override-badge"]')).toBeNull();

    // The client-side rule opens the override box before anything is sent.
    gate().querySelector<HTMLElement>('[data-testid="gate-option"][data-option="GO"]')!.click();
    await settle();
    expect(calls.some((c) => c.command === "decide_gate")).toBe(false);
    const box = gate().querySelector<HTMLTextAreaElement>('[data-testid="gate-override-input"]')!;
    expect(box).not.toBeNull();
    expect(document.activeElement).toBe(box);

    // Keys typed into the justification never reach the walkthrough shortcuts.
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "p", bubbles: true }));
    await settle();
    expect(item("i1").dataset.state).toBe("pending");

    // Without a justification the backend refuses, and its message is shown.
    gate().querySelector<HTMLElement>('[data-testid="gate-override-submit"]')!.click();
    await settle();
    expect(calls.filter((c) => c.command === "decide_gate").length).toBe(1);
    expect(gate().querySelector('[role="alert"]')?.textContent).toContain("GO needs an override");
    expect(q('[data-testid="error-banner"]')?.textContent).toContain("GO needs an override");
    expect(gate().querySelector('[data-testid="gate-decision"]')).toBeNull();

    type(gate().querySelector<HTMLInputElement>('[data-testid="gate-reason"]')!, "window closes at 22:00");
    type(
      gate().querySelector<HTMLTextAreaElement>('[data-testid="gate-override-input"]')!,
      "CAB accepted the risk; smoke tests run after",
    );
    await settle();
    gate().querySelector<HTMLElement>('[data-testid="gate-override-submit"]')!.click();
    await settle();

    const sent = calls.filter((c) => c.command === "decide_gate").at(-1)!.args!.input as Record<string, unknown>;
    expect(sent).toEqual({
      gate_id: "g1",
      option: "GO",
      reason: "window closes at 22:00",
      override_justification: "CAB accepted the risk; smoke tests run after",
    });
    expect(gate().querySelector('[data-testid="gate-decision"]')?.textContent).toContain("GO by ann");
    expect(gate().textContent).toContain("CAB accepted the risk");
    expect(gate().querySelector('[data-testid="gate-override-input"]')).toBeNull();
    expect(q('[data-testid="error-banner"]')).toBeNull();
    // The badge shows on the gate, the section heading, the outline and the run header.
    expect(gate().querySelector('[data-testid="override-badge"]')).not.toBeNull();
    expect(q('.heading [data-testid="override-badge"]')).not.toBeNull();
    expect(q('[data-testid="outline-section"] [data-testid="override-badge"]')).not.toBeNull();
    expect(q('.runbar [data-testid="override-badge"]')).not.toBeNull();

    // NO-GO never needs an override and replaces the decision in force: the badges go away.
    gate().querySelector<HTMLElement>('[data-testid="gate-option"][data-option="NO-GO"]')!.click();
    await settle();
    expect(gate().querySelector('[data-testid="gate-decision"]')?.textContent).toContain("NO-GO");
    expect(q('[data-testid="override-badge"]')).toBeNull();
  });

  it("signs a slot through the pad's pointer events, shows the signature, and marks it stale after a change", async () => {
    await openRun();
    const pointer = (type: string, x: number, y: number) =>
      q('[data-testid="signature-pad"]')!.dispatchEvent(
        new MouseEvent(type, { clientX: x, clientY: y, bubbles: true, cancelable: true }),
      );

    q('[data-testid="sign-open"][data-slot-id="sig1"]')!.click();
    await settle();
    expect(q("dialog[open]")).not.toBeNull();
    expect(q('[data-testid="signature-role"]')?.textContent).toBe("QA Lead");

    // Shortcuts are off while the pad is open.
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "p", bubbles: true }));
    await settle();
    expect(item("i1").dataset.state).toBe("pending");

    pointer("pointerdown", 30, 50);
    pointer("pointermove", 30.1, 50); // closer than the thinning distance: dropped
    pointer("pointermove", 90, 40);
    pointer("pointerup", 150, 60);
    pointer("pointerdown", 200, 20);
    pointer("pointerup", 240, 80);
    pointer("pointermove", 290, 90); // no button down: ignored
    await settle();
    q('[data-testid="signature-undo"]')!.click();
    await settle();

    // No name yet: the dialog says so and nothing is sent.
    q('[data-testid="signature-submit"]')!.click();
    await settle();
    expect(q("dialog[open]")?.textContent).toContain("Type the signer's name.");
    expect(calls.some((c) => c.command === "sign")).toBe(false);

    type(q('[data-testid="signature-name"]') as HTMLInputElement, "Quinn Assurance");
    await settle();
    q('[data-testid="signature-submit"]')!.click();
    await settle();

    const sent = calls.find((c) => c.command === "sign")!.args!;
    expect(sent.runId).toBe("r1");
    expect(sent.input).toEqual({
      slot_id: "sig1",
      role: null,
      name: "Quinn Assurance",
      strokes: [
        [
          [0.1, 0.5],
          [0.3, 0.4],
          [0.5, 0.6],
        ],
      ],
    });
    expect(q("dialog[open]")).toBeNull();

    const shown = q('[data-testid="signature-slot"] [data-testid="signature"][data-slot-id="sig1"]')!;
    expect(shown.dataset.stale).toBe("false");
    expect(shown.textContent).toContain("Quinn Assurance");
    expect(shown.textContent).toContain("QA Lead");
    expect(shown.querySelectorAll("svg polyline").length).toBe(1);
    expect(shown.querySelector("polyline")?.getAttribute("points")).toBe("30,50 90,40 150,60");
    expect(q('[data-testid="signatures-panel"] [data-testid="signature"]')).not.toBeNull();

    // A later item change: the backend reports the signature stale and the UI asks to re-sign.
    item("i1").querySelector<HTMLElement>('[data-testid="mark-pass"]')!.click();
    await settle();
    const stale = q('[data-testid="signature-slot"] [data-testid="signature"][data-slot-id="sig1"]')!;
    expect(stale.dataset.stale).toBe("true");
    expect(stale.textContent).toContain("changed after signing — re-sign");
    expect(q('[data-testid="sign-open"][data-slot-id="sig1"]')?.textContent).toBe("Re-sign");
  });

  it("adds signatures one after another, the pad resetting for the next signer", async () => {
    await openRun();
    const pointer = (type: string, x: number, y: number) =>
      q('[data-testid="signature-pad"]')!.dispatchEvent(
        new MouseEvent(type, { clientX: x, clientY: y, bubbles: true, cancelable: true }),
      );

    q('[data-testid="add-signature"]')!.click();
    await settle();
    type(q('[data-testid="signature-role"]') as HTMLInputElement, "Change Advisory Board");
    type(q('[data-testid="signature-name"]') as HTMLInputElement, "Casey Board");
    pointer("pointerdown", 10, 10);
    pointer("pointerup", 100, 90);
    await settle();
    q('[data-testid="signature-submit"]')!.click();
    await settle();

    expect((calls.find((c) => c.command === "sign")!.args!.input as { role: string; slot_id: null }).role).toBe(
      "Change Advisory Board",
    );
    expect(q("dialog[open]")?.textContent).toContain("Signed by Casey Board (Change Advisory Board)");
    expect((q('[data-testid="signature-name"]') as HTMLInputElement).value).toBe("");
    expect((q('[data-testid="signature-role"]') as HTMLInputElement).value).toBe("");
    expect((q('[data-testid="signature-undo"]') as HTMLButtonElement).disabled).toBe(true);
    expect(document.querySelectorAll('[data-testid="signatures-panel"] [data-testid="signature"]').length).toBe(1);
  });

  it("exports a finished run's record, extends its retention and shows why it cannot be deleted yet", async () => {
    state.status = "completed";
    state.finished_at = "2025-06-01T22:00:00Z";
    state.retain_until = "2026-06-01T22:00:00Z";
    await openRun();

    q('[data-testid="export-run"]')!.click();
    await settle();
    const result = q('[data-testid="export-result"]')!;
    expect(result.textContent).toContain("/e/r1.pdf");
    expect(result.textContent).toContain("/e/r1.json");
    expect(result.textContent).toContain("ab".repeat(32));
    const signing = q('[data-testid="export-signing"]')!;
    expect(signing.dataset.signed).toBe("false");
    expect(signing.className).toContain("warning");
    expect(signing.textContent).toContain("Not signed: the keychain holding the signing key is locked");
    result.querySelector<HTMLElement>('[data-testid="export-open-pdf"]')!.click();
    result.querySelector<HTMLElement>('[data-testid="export-open-folder"]')!.click();
    await settle();
    expect(calls.filter((c) => c.command === "open_export").map((c) => c.args!.path)).toEqual(["/e/r1.pdf", "/e"]);

    expect(q('[data-testid="retention"]')?.textContent).toContain("Kept until 2026-06-0");
    const day = q('[data-testid="retention-date"]') as HTMLInputElement;
    type(day, "2027-01-15");
    await settle();
    q('[data-testid="retention-extend"]')!.click();
    await settle();
    const until = new Date(String(calls.find((c) => c.command === "set_retention")!.args!.until));
    expect([until.getFullYear(), until.getMonth(), until.getDate()]).toEqual([2027, 0, 15]);
    expect(q('[data-testid="retention-label"]')?.textContent).toBe("Kept until 2027-01-15");

    q('[data-testid="delete-run"]')!.click();
    await settle();
    expect(q("dialog[open]")?.textContent).toContain("must be kept until 2027-01-15");
    q('[data-testid="confirm-yes"]')!.click();
    await settle();
    expect(q('[data-testid="delete-refused"]')?.textContent).toContain("cannot be deleted before then");
    expect(q('[data-testid="run-view"]')).not.toBeNull();
  });

  it("shows a mark at once, marked unsaved, and moves on before the backend answers; the answer saves it", async () => {
    await openRun();
    const real = fakeCommands.set_item_state;
    let answer = () => {};
    fakeCommands.set_item_state = (args) => new Promise((resolve) => (answer = () => resolve(real(args))));
    try {
      item("i1").querySelector<HTMLElement>('[data-testid="mark-pass"]')!.click();
      await settle();
      expect(item("i1").dataset.state).toBe("pass");
      expect(item("i1").dataset.saved).toBe("false");
      expect(q('[data-testid="item"][aria-current="step"]')?.dataset.itemId).toBe("i2");
      answer();
      await settle();
      expect(item("i1").dataset.state).toBe("pass");
      expect(item("i1").dataset.saved).toBeUndefined();
      expect(item("i1").querySelector('[data-testid="item-actor"]')?.textContent).toContain("ann");
    } finally {
      fakeCommands.set_item_state = real;
    }
  });

  it("takes a refused mark back, returns to the item and says why", async () => {
    await openRun();
    const real = fakeCommands.set_item_state;
    fakeCommands.set_item_state = () => Promise.reject({ code: "run_read_only", message: "this run is completed" });
    try {
      item("i1").querySelector<HTMLElement>('[data-testid="mark-pass"]')!.click();
      await settle();
      expect(item("i1").dataset.state).toBe("pending");
      expect(item("i1").dataset.saved).toBeUndefined();
      expect(q('[data-testid="item"][aria-current="step"]')?.dataset.itemId).toBe("i1");
      expect(q('[data-testid="error-banner"]')?.textContent).toContain("this run is completed");
    } finally {
      fakeCommands.set_item_state = real;
    }
  });

  it("runs a section's probes with live progress from events, proposes states and applies them only on a click", async () => {
    await openRun();
    const progressText = () => q('[data-testid="probe-progress"]')?.textContent;
    const running = (id: string) => item(id).querySelector('[data-testid="probe-running"]') !== null;

    // The unapproved command shows its exact text; that item's probe cannot run yet.
    await makeCurrent("i2");
    expect(item("i2").querySelector('[data-testid="command-text"]')?.textContent).toBe(
      "systemctl is-active payments-api",
    );
    expect(item("i2").querySelector('[data-testid="approve-command"]')).not.toBeNull();
    expect((item("i2").querySelector('[data-testid="run-probe"]') as HTMLButtonElement).disabled).toBe(true);
    await makeCurrent("i1");
    expect((item("i1").querySelector('[data-testid="run-probe"]') as HTMLButtonElement).disabled).toBe(false);

    q('[data-testid="run-section-probes"][data-section-id="s1"]')!.click();
    await settle();
    expect(calls.find((c) => c.command === "run_probes")!.args).toEqual({ runId: "r1", itemIds: ["i1", "i3"] });
    expect(q('[data-testid="probe-notice"]')?.textContent).toContain("1 item not run: approve the command first");
    expect(progressText()).toBe("0 of 2 done");
    expect(running("i1") && running("i3")).toBe(true);
    expect(q('[data-testid="cancel-probes"]')).not.toBeNull();

    // A result of another run's probes is not this run's progress.
    emitProbeResult(evidence(7, "i3", "fail", "other run", "r2"), false);
    await settle();
    expect(progressText()).toBe("0 of 2 done");

    // A result arrives (twice): counted once, the spinner stops for that item, its evidence shows.
    emitProbeResult(evidence(1, "i1", "pass", "HTTP 200 in 240 ms"));
    emitProbeResult(evidence(1, "i1", "pass", "HTTP 200 in 240 ms"), false);
    await settle();
    expect(progressText()).toBe("1 of 2 done");
    expect(running("i1")).toBe(false);
    expect(running("i3")).toBe(true);
    // Only a running item offers to cancel its own probes; cancelling asks for exactly that item.
    expect(item("i1").querySelector('[data-testid="cancel-item-probes"]')).toBeNull();
    item("i3").querySelector<HTMLElement>('[data-testid="cancel-item-probes"]')!.click();
    await settle();
    expect(calls.some((c) => c.command === "cancel_item_probes" && c.args?.itemId === "i3")).toBe(true);
    const entries = item("i1").querySelectorAll<HTMLElement>('[data-testid="probe-evidence"]');
    expect(entries.length).toBe(1);
    expect(entries[0].dataset.outcome).toBe("pass");
    expect(entries[0].textContent).toContain("HTTP 200 in 240 ms");
    expect(entries[0].textContent).toContain("240 ms");
    expect(entries[0].querySelector("details")?.textContent).toContain("status");

    // The pass is only proposed; the UI stays usable while i3 still runs, and the click records it.
    expect(item("i1").dataset.state).toBe("pending");
    expect(calls.some((c) => c.command === "set_item_state")).toBe(false);
    const accept = item("i1").querySelector<HTMLElement>('[data-testid="accept-probe"]')!;
    expect(accept.textContent).toContain("Probe passed — mark Pass?");
    accept.click();
    await settle();
    expect(item("i1").dataset.state).toBe("pass");
    expect(item("i1").querySelector('[data-testid="accept-probe"]')).toBeNull();

    emitProbeResult(evidence(2, "i3", "fail", "port 5432 closed"));
    await settle();
    expect(progressText()).toBe("2 of 2 done");
    probeRun!.resolve(structuredClone(state));
    await settle();
    expect(q('[data-testid="cancel-probes"]')).toBeNull();
    expect(q('[data-testid="run-probe"]:disabled:not([title*="Approve"])')).toBeNull();

    // A failure proposes Fail with the summary prefilled as the note; the user confirms.
    const failAccept = item("i3").querySelector<HTMLElement>('[data-testid="accept-probe"]')!;
    expect(failAccept.dataset.proposal).toBe("fail");
    failAccept.click();
    await settle();
    expect(item("i3").dataset.state).toBe("pending");
    const note = item("i3").querySelector<HTMLTextAreaElement>('[data-testid="fail-note-input"]')!;
    expect(note.value).toBe("port 5432 closed");
    item("i3").querySelector<HTMLElement>('[data-testid="fail-note-save"]')!.click();
    await settle();
    expect(item("i3").dataset.state).toBe("fail");
    expect(calls.find((c) => c.command === "set_item_state" && c.args?.itemId === "i3")!.args!.note).toBe(
      "port 5432 closed",
    );

    // Approving the command sends where it is (the backend takes the text from the stored template).
    item("i2").querySelector<HTMLElement>('[data-testid="approve-command"]')!.click();
    await settle();
    expect(calls.find((c) => c.command === "approve_command")!.args).toEqual({
      templateId: "t1",
      itemId: "i2",
      line: 21,
    });
    expect(item("i2").querySelector('[data-testid="approve-command"]')).toBeNull();
    expect((item("i2").querySelector('[data-testid="run-probe"]') as HTMLButtonElement).disabled).toBe(false);
  });

  it("runs the current item's probes with r and cancels them", async () => {
    await openRun();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "r", bubbles: true }));
    await settle();
    expect(calls.find((c) => c.command === "run_probes")!.args).toEqual({ runId: "r1", itemIds: ["i1"] });
    q('[data-testid="cancel-probes"]')!.click();
    await settle();
    expect(calls.some((c) => c.command === "cancel_probes" && c.args?.runId === "r1")).toBe(true);
    emitProbeResult(evidence(5, "i1", "error", "cancelled"));
    probeRun!.resolve(structuredClone(state));
    await settle();
    expect(q('[data-testid="probe-run-bar"]')?.textContent).toContain("Probes cancelled");
    expect(item("i1").querySelector('[data-testid="probe-evidence"]')?.getAttribute("data-outcome")).toBe("error");
    expect(item("i1").dataset.state).toBe("pending");
  });

  it("shows a template's probe suggestions to copy or dismiss, and sends an inline secret to the Credentials view", async () => {
    (await import("./lib/router.svelte")).router.go({ name: "template", id: "t1" });
    await settle();
    // Auto-accept of passing probes is a per-template opt-in, off until ticked.
    const autoAcceptBox = q('[data-testid="auto-accept-passes"]') as HTMLInputElement;
    expect(autoAcceptBox.checked).toBe(false);
    autoAcceptBox.click();
    await settle();
    expect(calls.some((c) => c.command === "set_auto_accept_passes" && c.args?.on === true)).toBe(true);
    expect(autoAcceptBox.checked).toBe(true);
    const panel = q('[data-testid="probe-suggestions"]')!;
    expect(panel.querySelector('[data-testid="suggestion-block"]')?.textContent).toBe(
      '```probe\nkind = "http"\nurl = "${api_base}/health"\nauth = { bearer = { credential = "payments-token" } }\n```\n',
    );
    expect(panel.querySelector('[data-testid="inline-credential"]')?.textContent).toContain(
      "remove it from the template",
    );
    panel.querySelector<HTMLElement>('[data-testid="store-credential"]')!.click();
    await settle();

    // The keychain is unavailable: its message says how to enable one; the form is prefilled with the suggested name.
    expect(q('[data-testid="keychain-status"]')?.textContent).toContain("unlock gnome-keyring");
    expect((q('[data-testid="credential-name"]') as HTMLInputElement).value).toBe("payments-token");
    const secret = q('[data-testid="credential-secret"]') as HTMLInputElement;
    expect(secret.type).toBe("password");
    type(secret, "locked");
    await settle();
    q('[data-testid="credential-save"]')!.click();
    await settle();
    expect(q('[data-testid="credential-error"]')?.dataset.code).toBe("keychain_timeout");
    expect(secret.value).toBe("");

    type(secret, "s3cret");
    await settle();
    q('[data-testid="credential-save"]')!.click();
    await settle();
    expect(
      (calls.filter((c) => c.command === "save_credential").at(-1)!.args!.input as { secret: string }).secret,
    ).toBe("s3cret");
    expect(q('[data-testid="credential"][data-name="payments-token"]')?.textContent).toContain("Token");
    expect(secret.value).toBe("");
    expect(document.body.textContent).not.toContain("s3cret");
  });

  it("edits an environment's variables as rows and refuses a duplicate name", async () => {
    q('[data-testid="nav-environments"]')!.click();
    await settle();
    expect(q('[data-testid="environment"][data-name="production"]')).not.toBeNull();
    q('[data-testid="variable-add"]')!.click();
    await settle();
    const keys = () => document.querySelectorAll<HTMLInputElement>('[data-testid="variable-key"]');
    const values = () => document.querySelectorAll<HTMLInputElement>('[data-testid="variable-value"]');
    type(keys()[1], "api_base");
    type(values()[1], "https://other");
    await settle();
    q('[data-testid="environment-save"]')!.click();
    await settle();
    expect(q('[data-testid="environment-editor"]')?.textContent).toContain("already set above");
    expect(calls.some((c) => c.command === "save_environment")).toBe(false);

    type(keys()[1], "db_host");
    await settle();
    q('[data-testid="environment-save"]')!.click();
    await settle();
    expect(calls.find((c) => c.command === "save_environment")!.args!.environment).toEqual({
      name: "production",
      variables: { api_base: "https://api.example.com", db_host: "https://other" },
    });
  });
});
