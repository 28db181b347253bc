// Tests of what a Runs list row says: the window phase from the run clock, failures and overrides in words.
import { describe, expect, it } from "vitest";
import type { RunSummary } from "./bindings/RunSummary";
import { runSummary } from "./fixtures.test-helpers";
import { failedLabel, needsClock, overrideLabel, runPhase } from "./run-list";

const progress = { total: 10, done: 4, passed: 2, failed: 2, not_applicable: 0, skipped: 0 };
const windowed = (extra: Partial<RunSummary> = {}) =>
  runSummary({ progress, window_start: "2025-06-01T20:00:00Z", window_end: "2025-06-01T22:00:00Z", ...extra });
const at = (iso: string) => new Date(iso);

describe("a run's phase in the list", () => {
  it("follows the run clock before, in, near the end of and after the window", () => {
    expect(runPhase(windowed(), at("2025-06-01T19:00:00Z"))).toBe("before");
    expect(runPhase(windowed(), at("2025-06-01T20:30:00Z"))).toBe("in");
    expect(runPhase(windowed(), at("2025-06-01T21:50:00Z"))).toBe("closing");
    expect(runPhase(windowed(), at("2025-06-01T22:00:01Z"))).toBe("overrun");
  });

  it("is finished once the run is completed, abandoned or archived, whatever the time", () => {
    for (const status of ["completed", "abandoned", "archived"] as const) {
      expect(runPhase(windowed({ status }), at("2025-06-01T23:00:00Z"))).toBe("finished");
    }
  });

  it("says nothing for an active run without a window, and needs no clock then", () => {
    const plain = runSummary({ progress });
    expect(runPhase(plain, at("2025-06-01T20:30:00Z"))).toBeNull();
    expect(needsClock([plain, windowed({ status: "completed" })])).toBe(false);
    expect(needsClock([plain, windowed()])).toBe(true);
  });
});

describe("failures and overrides in words", () => {
  it("counts failed items and says nothing when none failed", () => {
    expect(failedLabel(runSummary({ progress }))).toBe("2 failed");
    expect(failedLabel(runSummary({ progress: { ...progress, failed: 0 } }))).toBeNull();
  });

  it("flags overrides in force, with the count past one", () => {
    expect(overrideLabel(runSummary({ progress, overrides: 0 }))).toBeNull();
    expect(overrideLabel(runSummary({ progress, overrides: 1 }))).toBe("OVERRIDE");
    expect(overrideLabel(runSummary({ progress, overrides: 3 }))).toBe("OVERRIDE ×3");
  });
});
