// @vitest-environment jsdom
// Smoke test of the Runs list against a fake backend: each row shows progress, its failed items, an OVERRIDE badge
// when a gate decision in force was an override, and where it stands against its window (finished once it is done).
import { unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunSummary } from "./lib/bindings/RunSummary";
import { mountAppOnRunList, q } from "./lib/dom.test-helpers";
import { appInfo, runSummary } from "./lib/fixtures.test-helpers";

const progress = { total: 281, done: 32, passed: 30, failed: 2, not_applicable: 0, skipped: 0 };
const runs: RunSummary[] = [
  // Its window ended in 2025: overrun by now.
  runSummary({
    progress,
    overrides: 1,
    window_start: "2025-06-01T20:00:00Z",
    window_end: "2025-06-01T22:00:00Z",
  }),
  runSummary({
    id: "r2",
    release_name: "ledger",
    progress: { ...progress, done: 281, passed: 281, failed: 0 },
    status: "completed",
    finished_at: "2025-06-02T01:00:00Z",
  }),
];

// The fake backend (a jsdom test has no Tauri): answers only what the Runs list asks.
function fakeBackend(command: string): unknown {
  switch (command) {
    case "startup_problem":
      return null;
    case "app_info":
      return appInfo();
    case "schema_problems":
      return [];
    case "list_runs":
      return structuredClone(runs);
    default:
      throw { code: "not_found", message: `no fake for ${command}` };
  }
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (command: string) => fakeBackend(command)),
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async () => () => {}),
}));

const row = (id: string) => q(`[data-testid="run-row"][data-run-id="${id}"]`)!;

describe("the Runs list", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    app = await mountAppOnRunList();
  });

  afterEach(() => unmount(app));

  it("shows a run's progress, its 2 failed items, an OVERRIDE badge and that its window is overrun", () => {
    const text = row("r1").textContent!.replace(/\s+/g, " ");
    expect(text).toContain("32 / 281");
    expect(row("r1").querySelector('[data-testid="run-row-failed"]')!.textContent).toContain("2 failed");
    expect(row("r1").querySelector('[data-testid="run-row-override"]')!.textContent).toBe("OVERRIDE");
    expect(row("r1").querySelector('[data-testid="run-row-phase"]')!.textContent).toBe("overrun");
  });

  it("shows neither failures nor an override for a clean run, and calls a completed run finished", () => {
    expect(row("r2").textContent).toContain("281 / 281");
    expect(row("r2").querySelector('[data-testid="run-row-failed"]')).toBeNull();
    expect(row("r2").querySelector('[data-testid="run-row-override"]')).toBeNull();
    expect(row("r2").querySelector('[data-testid="run-row-phase"]')!.getAttribute("data-phase")).toBe("finished");
  });
});
