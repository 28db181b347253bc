// Tests of progress formatting.
import { describe, expect, it } from "vitest";
import {
  EMPTY_PROGRESS,
  formatBreakdown,
  formatProgress,
  isAllDone,
  percentDone,
  sectionProgressMap,
} from "./progress";

const p = { total: 121, done: 3, passed: 1, failed: 1, not_applicable: 1, skipped: 0 };

describe("progress", () => {
  it("formats done over total as the e2e tests expect", () => {
    expect(formatProgress(p)).toBe("3 / 121");
    expect(formatProgress(EMPTY_PROGRESS)).toBe("0 / 0");
  });

  it("rounds the percentage and never divides by zero", () => {
    expect(percentDone(p)).toBe(2);
    expect(percentDone({ ...p, done: 121 })).toBe(100);
    expect(percentDone(EMPTY_PROGRESS)).toBe(0);
  });

  it("lists the count of every outcome", () => {
    expect(formatBreakdown(p)).toBe("1 pass · 1 fail · 1 n/a · 0 skipped");
  });

  it("indexes section progress by section id", () => {
    const map = sectionProgressMap([{ section_id: "s1", progress: p }]);
    expect(map.get("s1")).toBe(p);
    expect(map.get("s2")).toBeUndefined();
  });

  it("is all done only when every item has an outcome", () => {
    expect(isAllDone({ ...p, done: 121 })).toBe(true);
    expect(isAllDone(p)).toBe(false);
    expect(isAllDone(EMPTY_PROGRESS)).toBe(false);
  });
});
