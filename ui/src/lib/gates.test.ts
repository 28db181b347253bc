// Tests of decision gates: covered-item summary, the override rule, decisions in force and where overrides show.
import { describe, expect, it } from "vitest";
import type { GateDecision } from "./bindings/GateDecision";
import type { Gate } from "./bindings/Gate";
import { entry, item, itemBlock, section } from "./fixtures.test-helpers";
import {
  coverSummary,
  decisionsInForce,
  formatCoverSummary,
  gatesBySection,
  isOverride,
  needsOverride,
  overriddenSectionIds,
  overrideReason,
  overridesInForce,
} from "./gates";
import { entryMap } from "./walkthrough";

const gate: Gate = {
  id: "g1",
  line: 1,
  title: "Go live",
  authority: "Release Manager",
  options: ["GO", "NO-GO"],
  covers: ["a", "b", "c", "d"],
};
const decision = (id: number, gateId: string, option: string, justification: string | null = null): GateDecision => ({
  id,
  gate_id: gateId,
  option,
  decided_by: "ann",
  at: "2025-06-01T18:00:00Z",
  reason: null,
  override_justification: justification,
});

describe("covered items", () => {
  it("counts passed, failed, pending and the rest, treating unrecorded items as pending", () => {
    const entries = entryMap([entry("a", "pass"), entry("b", "fail"), entry("d", "not_applicable")]);
    const summary = coverSummary(gate.covers, entries);
    expect(summary).toEqual({ passed: 1, failed: 1, pending: 1, other: 1, total: 4 });
    expect(formatCoverSummary(summary)).toBe("1 passed, 1 failed, 1 pending, 1 n/a or skipped");
    expect(formatCoverSummary(coverSummary(["a"], entries))).toBe("1 passed, 0 failed, 0 pending");
  });
});

describe("the override rule", () => {
  const all = (state: "pass" | "fail" | "pending" | "skipped") =>
    coverSummary(gate.covers, entryMap(gate.covers.map((id) => entry(id, state))));

  it("needs an override only for the first option while a covered item is failed or pending", () => {
    expect(needsOverride(gate, "GO", all("pending"))).toBe(true);
    expect(needsOverride(gate, "GO", all("fail"))).toBe(true);
    expect(needsOverride(gate, "GO", all("pass"))).toBe(false);
    expect(needsOverride(gate, "GO", all("skipped"))).toBe(false);
    expect(needsOverride(gate, "NO-GO", all("fail"))).toBe(false);
  });

  it("never needs an override for a gate that covers nothing", () => {
    expect(needsOverride({ options: ["GO", "NO-GO"] }, "GO", coverSummary([], new Map()))).toBe(false);
  });

  it("says how many covered items are failed and pending", () => {
    const entries = entryMap([entry("a", "fail"), entry("b", "pass")]);
    expect(overrideReason(coverSummary(gate.covers, entries))).toBe(
      "3 covered items are not passed (1 failed, 2 pending).",
    );
    expect(overrideReason(coverSummary(["a"], entries))).toBe("1 covered item is not passed (1 failed).");
  });
});

describe("decisions in force", () => {
  it("takes the newest decision per gate whatever the list order", () => {
    const inForce = decisionsInForce([decision(5, "g1", "NO-GO"), decision(2, "g1", "GO"), decision(3, "g2", "GO")]);
    expect(inForce.get("g1")?.id).toBe(5);
    expect(inForce.get("g2")?.option).toBe("GO");
  });

  it("treats a decision as an override only when it carries a justification", () => {
    expect(isOverride(decision(1, "g1", "GO", "hotfix needed tonight"))).toBe(true);
    expect(isOverride(decision(1, "g1", "GO", "  "))).toBe(false);
    expect(isOverride(decision(1, "g1", "GO"))).toBe(false);
    expect(isOverride(undefined)).toBe(false);
  });

  it("finds gates in nested sections and marks the sections whose gate decision in force is an override", () => {
    const other: Gate = { ...gate, id: "g2", covers: [] };
    const sections = [
      section("s1", [itemBlock(item("a")), { kind: "gate", ...gate }], [section("s1a", [{ kind: "gate", ...other }])]),
      section("s2", []),
    ];
    expect(gatesBySection(sections).map((g) => `${g.sectionId}:${g.gate.id}`)).toEqual(["s1:g1", "s1a:g2"]);

    const overridden = decisionsInForce([decision(1, "g1", "NO-GO"), decision(2, "g2", "GO", "accepted risk")]);
    expect([...overriddenSectionIds(sections, overridden)]).toEqual(["s1a"]);
    expect(overridesInForce(sections, overridden).map((o) => o.gate.id)).toEqual(["g2"]);

    // A later plain decision replaces the override: the badge goes away.
    const replaced = decisionsInForce([decision(2, "g2", "GO", "accepted risk"), decision(3, "g2", "NO-GO")]);
    expect(overriddenSectionIds(sections, replaced).size).toBe(0);
  });
});
