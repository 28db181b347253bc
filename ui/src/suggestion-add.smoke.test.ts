// @vitest-environment jsdom
// Smoke test of "Add to template" in a template's probe suggestions: mounts the whole app in jsdom against a fake
// backend, clicks the button (progress while the backend imports, only ids sent, never the block's text), opens the
// new version on success, and shows a refusal inline as text.
import { unmount } from "svelte";
import { mountApp, q, settle } from "./lib/dom.test-helpers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProbeSuggestion } from "./lib/bindings/ProbeSuggestion";
import type { Template } from "./lib/bindings/Template";
import type { TemplateSummary } from "./lib/bindings/TemplateSummary";
import { appInfo, importReport, item } from "./lib/fixtures.test-helpers";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];
/** The add_suggested_probe call in flight: settled by the test. */
let pendingAdd: { resolve: (summary: TemplateSummary) => void; reject: (error: unknown) => void } | null = null;

const template: Template = {
  title: "Night",
  description: "",
  content_hash: "h",
  metadata_fields: [],
  sections: [
    {
      id: "s1",
      title: "Checks",
      level: 2,
      line: 3,
      blocks: [
        { kind: "item", ...item("i1", [], { title: "API healthy", line: 5 }) },
        { kind: "item", ...item("i2", [], { title: "Admin reachable", line: 10 }) },
      ],
      children: [],
    },
  ],
  report: importReport({ sections: 1, items: 2, code_blocks: 2 }),
};

const summaryOf = (id: string, version: number): TemplateSummary => ({
  id,
  key: "night",
  version,
  title: "Night",
  content_hash: `h${version}`,
  origin: "imported",
  file_name: "night.md",
  item_count: 2,
  imported_at: "2025-06-01T17:00:00Z",
  superseded: false,
});

const suggestions: ProbeSuggestion[] = [
  {
    item_id: "i1",
    kind: "http",
    spec_toml: 'kind = "http"\nurl = "https://api.example.test/health"\n',
    reason: "curl GET https://api.example.test/health, expecting HTTP 200",
    source_line: 7,
    inline_credentials: [],
  },
  {
    item_id: "i2",
    kind: "http",
    spec_toml: 'kind = "http"\nurl = "https://admin.example.test/status"\n',
    reason: "curl GET https://admin.example.test/status",
    source_line: 12,
    inline_credentials: [{ line: 12, suggested_name: "admin-example-test-basic-auth" }],
  },
];

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  switch (command) {
    case "startup_problem":
      return null;
    case "app_info":
      return appInfo();
    case "schema_problems":
      return [];
    case "list_runs":
    case "template_probes":
      return [];
    case "get_template": {
      const id = String(args!.id);
      return { summary: summaryOf(id, id === "t2" ? 2 : 1), template, source: "# Night" };
    }
    case "probe_suggestions":
      return structuredClone(suggestions);
    case "auto_accept_passes":
      return false;
    case "add_suggested_probe":
      return new Promise((resolve, reject) => {
        pendingAdd = { resolve, reject };
      });
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

const suggestion = (itemId: string) => q(`[data-testid="probe-suggestion"][data-item-id="${itemId}"]`)!;
const addButton = (itemId: string) =>
  suggestion(itemId).querySelector<HTMLButtonElement>('[data-testid="suggestion-add"]')!;

describe("adding a probe suggestion to its template", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    pendingAdd = null;
    const { router } = await import("./lib/router.svelte");
    router.go({ name: "template", id: "t1" });
    app = await mountApp();
  });

  afterEach(() => unmount(app));

  it("sends only the suggestion's ids, shows progress, and opens the new version", async () => {
    expect(q('[data-testid="template-view"]')?.dataset.templateId).toBe("t1");
    expect(q('[data-testid="probe-suggestions"]')?.textContent).toContain("Add to template");
    addButton("i1").click();
    await settle();

    const sent = calls.find((c) => c.command === "add_suggested_probe")!;
    expect(sent.args).toEqual({ templateId: "t1", itemId: "i1", sourceLine: 7, kind: "http" });
    expect(addButton("i1").textContent).toBe("Adding…");
    expect(addButton("i1").getAttribute("aria-busy")).toBe("true");
    expect(addButton("i1").disabled).toBe(true);
    expect(addButton("i2").disabled).toBe(true);

    pendingAdd!.resolve(summaryOf("t2", 2));
    await settle();
    expect(q('[data-testid="template-view"]')?.dataset.templateId).toBe("t2");
    expect(calls.some((c) => c.command === "get_template" && c.args?.id === "t2")).toBe(true);
  });

  it("shows a refusal inline as text and lets the user try again", async () => {
    addButton("i2").click();
    await settle();
    pendingAdd!.reject({
      code: "suggestion_has_inline_secret",
      message: 'line 12 spells out a secret: store it in the keychain as <b id="bold">admin</b> first',
    });
    await settle();

    const alert = suggestion("i2").querySelector<HTMLElement>('[role="alert"]')!;
    expect(alert.textContent).toBe(
      'line 12 spells out a secret: store it in the keychain as <b id="bold">admin</b> first',
    );
    expect(q("#bold")).toBeNull();
    expect(suggestion("i1").querySelector('[role="alert"]')).toBeNull();
    expect(q('[data-testid="template-view"]')?.dataset.templateId).toBe("t1");
    expect(addButton("i2").disabled).toBe(false);
    expect(addButton("i2").textContent).toBe("Add to template");

    // A new attempt clears the old message while it works.
    addButton("i2").click();
    await settle();
    expect(suggestion("i2").querySelector('[role="alert"]')).toBeNull();
    pendingAdd!.resolve(summaryOf("t2", 2));
    await settle();
    expect(q('[data-testid="template-view"]')?.dataset.templateId).toBe("t2");
  });
});
