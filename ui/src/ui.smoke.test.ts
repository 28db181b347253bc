// @vitest-environment jsdom
// Smoke test: mounts the whole app in jsdom against a fake backend and walks a run (rendering, marking, fail note, keyboard).
import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunState } from "./lib/bindings/RunState";
import type { Template } from "./lib/bindings/Template";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];
let state: RunState;

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
        { kind: "prose", line: 6, markdown: "Read [Runbook](javascript:alert(1)) <b onmouseover=x>bold</b>" },
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
      ],
      children: [],
    },
  ],
  report: { sections: 1, items: 3, fields: 1, choices: 0, signatures: 0, gates: 0, code_blocks: 1, unstructured: [], warnings: [], item_spans: [] } as Template["report"],
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
  status: "active" as const,
  created_at: "2025-06-01T18:00:00Z",
  created_by: "ann",
  finished_at: null,
  progress: { total: 3, done: 0, passed: 0, failed: 0, not_applicable: 0, skipped: 0 },
};

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  const record = (id: string, patch: Partial<RunState["entries"][number]>) => {
    state.entries = [
      ...state.entries.filter((e) => e.element_id !== id),
      { element_id: id, state: null, value: null, actor: "ann", at: "2025-06-01T18:05:00Z", ...patch },
    ];
  };
  switch (command) {
    case "app_info":
      return { version: "0.1.0", data_dir: "/d", log_dir: "/l", database_path: "/d/db", actor: "ann" };
    case "list_runs":
      return [summary];
    case "get_run":
      return { run: summary, template, state };
    case "set_item_state": {
      if (args!.state === "fail" && !args!.note) throw { code: "fail_needs_note", message: "a failed item needs a note saying what failed" };
      record(String(args!.itemId), { state: args!.state as never });
      if (args!.note) {
        state.notes = [...state.notes, { id: state.notes.length + 1, element_id: String(args!.itemId), kind: "note", body: String(args!.note), actor: "ann", at: "2025-06-01T18:05:00Z" }];
      }
      state.progress = progress();
      return structuredClone(state);
    }
    case "set_value":
      record(String(args!.elementId), { value: String(args!.value) });
      return structuredClone(state);
    default:
      throw { code: "not_found", message: `no fake for ${command}` };
  }
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (command: string, args?: Record<string, unknown>) => fakeBackend(command, args)),
}));

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
};

const q = (sel: string) => document.querySelector<HTMLElement>(sel);
const item = (id: string) => q(`[data-testid="item"][data-item-id="${id}"]`)!;

describe("the app in a browser-like DOM", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
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
      head_hash: "abc",
    };
    Element.prototype.scrollIntoView = () => {};
    const { default: App } = await import("./App.svelte");
    document.body.replaceChildren();
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(App, { target });
    await settle();
  });

  afterEach(() => unmount(app));

  it("opens a run from the list and walks it with buttons, the fail note box and the keyboard", async () => {
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
    expect(q('[data-testid="run-view"]')?.dataset.runId).toBe("r1");
    expect(q('[data-testid="progress-overall"]')?.textContent).toBe("0 / 3");
    expect(document.querySelectorAll('[data-testid="item"]').length).toBe(3);
    expect(document.querySelector("img, script, b")).toBeNull();
    expect(document.body.textContent).toContain("Runbook (javascript:alert(1))");

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
    expect(item("i2").querySelector('[data-testid="note"]')?.textContent).toContain("503 from health");
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
});
