import { describe, expect, it } from "vitest";
import type { ChainReport } from "./bindings/ChainReport";
import { discrepancyLines, integrityCount, integrityHeadline, schemaProblemsHeadline } from "./integrity";

const report = (patch: Partial<ChainReport> = {}): ChainReport => ({
  stream: "run:r1",
  intact: true,
  event_count: 9,
  head_hash: "abc",
  first_bad_position: null,
  message: "intact",
  discrepancies: [],
  ...patch,
});

const differing = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    element_id: `i${i}`,
    field: "state",
    message: `item 'I${i}' shows pass, the log says fail`,
  }));

describe("run integrity words", () => {
  it("says nothing for an intact run", () => {
    expect(integrityHeadline(report())).toBeNull();
    expect(integrityCount(report())).toBe("");
  });

  it("names a run whose data differs from its log", () => {
    const r = report({
      intact: false,
      discrepancies: differing(1),
      message: "the run as shown differs from its audit log: …",
    });
    expect(integrityHeadline(r)).toBe("This run's data differs from its audit log");
    expect(integrityCount(r)).toBe("1 difference");
    expect(discrepancyLines(r)).toEqual({ shown: ["item 'I0' shows pass, the log says fail"], more: null });
  });

  it("lists the first five differences and counts the rest", () => {
    const r = report({ intact: false, discrepancies: differing(8) });
    const lines = discrepancyLines(r);
    expect(lines.shown).toHaveLength(5);
    expect(lines.shown[4]).toBe("item 'I4' shows pass, the log says fail");
    expect(lines.more).toBe("and 3 more");
    expect(discrepancyLines(report({ discrepancies: differing(5) })).more).toBeNull();
    expect(integrityCount(r)).toBe("8 differences");
  });

  it("names a broken chain by its first bad event", () => {
    expect(integrityHeadline(report({ intact: false, first_bad_position: 4 }))).toBe(
      "This run's audit log is broken at event 4",
    );
    expect(integrityHeadline(report({ intact: false }))).toBe("This run's audit log is broken");
  });

  it("explains missing safeguards", () => {
    const one = [{ name: "audit_events_are_append_only_update", problem: "missing", message: "m" }];
    expect(schemaProblemsHeadline(one)).toContain(
      "changed outside Greenlight: a safeguard of the audit log is missing",
    );
    expect(schemaProblemsHeadline([...one, ...one])).toContain("2 safeguards of the audit log are missing or altered");
  });
});
