// Tests of retention: the label, expiry, and the date input round trip (end of the chosen local day).
import { describe, expect, it } from "vitest";
import {
  dateInputToRetention,
  dateInputValue,
  extensionProblem,
  formatDate,
  retentionExpired,
  retentionLabel,
} from "./retention";

describe("retention", () => {
  it("labels the day a run is kept until in local time", () => {
    const iso = new Date(2026, 5, 1, 12, 0).toISOString();
    expect(retentionLabel(iso)).toBe("Kept until 2026-06-01");
    expect(retentionLabel(null)).toBe("No retention date set");
    expect(formatDate("not a date")).toBe("");
  });

  it("is expired once the date has passed or when none is set", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(retentionExpired("2026-06-01T00:00:00Z", now)).toBe(false);
    expect(retentionExpired("2025-06-01T00:00:00Z", now)).toBe(true);
    expect(retentionExpired(null, now)).toBe(true);
  });

  it("turns a chosen day into the end of that local day and back", () => {
    const iso = dateInputToRetention("2027-03-04")!;
    const date = new Date(iso);
    expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([
      2027, 2, 4, 23, 59,
    ]);
    expect(iso).toMatch(/Z$/);
    expect(dateInputValue(iso)).toBe("2027-03-04");
  });

  it("refuses empty and impossible dates", () => {
    expect(dateInputToRetention("")).toBeNull();
    expect(dateInputToRetention("2027-02-30")).toBeNull();
    expect(dateInputToRetention("04/03/2027")).toBeNull();
  });

  it("never shortens: the current day is allowed, an earlier day is not", () => {
    const current = new Date(2026, 5, 1, 18, 30).toISOString();
    expect(extensionProblem("2026-06-01", current)).toBeNull();
    expect(extensionProblem("2026-07-01", current)).toBeNull();
    expect(extensionProblem("2026-05-31", current)).toMatch(/not shortened/);
    expect(extensionProblem("", current)).toBe("Choose a date.");
  });
});
