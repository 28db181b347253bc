// Decision gates: which decision is in force, what the covered items look like, when choosing the
// "go" option needs a written override (mirrors check_gate_decision in the core crate), and where overrides are.
import type { Entry } from "./bindings/Entry";
import type { Gate } from "./bindings/Gate";
import type { GateDecision } from "./bindings/GateDecision";
import type { Section } from "./bindings/Section";

/** Outcomes of the items a gate covers. */
export type CoverSummary = { passed: number; failed: number; pending: number; other: number; total: number };

/** Counts the covered items by outcome; an item with nothing recorded is pending. */
export function coverSummary(covers: string[], entries: Map<string, Entry>): CoverSummary {
  const summary: CoverSummary = { passed: 0, failed: 0, pending: 0, other: 0, total: covers.length };
  for (const id of covers) {
    const state = entries.get(id)?.state ?? "pending";
    if (state === "pass") summary.passed++;
    else if (state === "fail") summary.failed++;
    else if (state === "pending") summary.pending++;
    else summary.other++;
  }
  return summary;
}

/** "3 passed, 1 failed, 2 pending" (and ", 1 n/a or skipped" when there are any). */
export function formatCoverSummary(summary: CoverSummary): string {
  const parts = [`${summary.passed} passed`, `${summary.failed} failed`, `${summary.pending} pending`];
  if (summary.other > 0) parts.push(`${summary.other} n/a or skipped`);
  return parts.join(", ");
}

/** True when choosing `option` needs an override: it is the gate's first ("go") option and a covered item is failed or pending. */
export function needsOverride(gate: Pick<Gate, "options">, option: string, summary: CoverSummary): boolean {
  return gate.options[0] === option && summary.failed + summary.pending > 0;
}

/** Why an override is needed, in words ("1 covered item failed and 2 are pending"). */
export function overrideReason(summary: CoverSummary): string {
  const parts: string[] = [];
  if (summary.failed > 0) parts.push(`${summary.failed} failed`);
  if (summary.pending > 0) parts.push(`${summary.pending} pending`);
  const n = summary.failed + summary.pending;
  return `${n} covered ${n === 1 ? "item is" : "items are"} not passed (${parts.join(", ")}).`;
}

/** The decision in force at each gate: the newest one (highest id). */
export function decisionsInForce(decisions: GateDecision[]): Map<string, GateDecision> {
  const out = new Map<string, GateDecision>();
  for (const decision of decisions) {
    const seen = out.get(decision.gate_id);
    if (!seen || decision.id > seen.id) out.set(decision.gate_id, decision);
  }
  return out;
}

/** True when the decision was recorded as an override (it carries a justification). */
export function isOverride(decision: GateDecision | null | undefined): boolean {
  return !!decision?.override_justification?.trim();
}

/** Every gate of the template with the id of the section it sits in, in source order. */
export function gatesBySection(sections: Section[]): { gate: Gate; sectionId: string }[] {
  return sections.flatMap((section) => [
    ...section.blocks.flatMap((block) =>
      block.kind === "gate" ? [{ gate: block as Gate, sectionId: section.id }] : [],
    ),
    ...gatesBySection(section.children),
  ]);
}

/** Ids of the sections holding a gate whose decision in force is an override. */
export function overriddenSectionIds(sections: Section[], inForce: Map<string, GateDecision>): Set<string> {
  return new Set(
    gatesBySection(sections)
      .filter(({ gate }) => isOverride(inForce.get(gate.id)))
      .map(({ sectionId }) => sectionId),
  );
}

/** Decisions in force that are overrides, in the order the gates appear in the template. */
export function overridesInForce(
  sections: Section[],
  inForce: Map<string, GateDecision>,
): { gate: Gate; decision: GateDecision }[] {
  return gatesBySection(sections).flatMap(({ gate }) => {
    const decision = inForce.get(gate.id);
    return decision && isOverride(decision) ? [{ gate, decision }] : [];
  });
}
