// Probe logic of a run: probes per item, which can run, live progress from results, evidence history and proposed states.
import type { ItemProbe } from "./bindings/ItemProbe";
import type { ProbeEvidence } from "./bindings/ProbeEvidence";
import type { ProbeOutcome } from "./bindings/ProbeOutcome";

export type { ProbeOutcome };

/** What a set of results suggests for an item; never applied without the user's click. */
export type Proposal = { state: "pass" } | { state: "fail"; note: string };

/** One planned probe of a probe run: the item and the source line of its probe block. */
export type PlannedProbe = { itemId: string; line: number };

/** Progress of one probe run, built from the `probe-result` events that arrive. */
export type ProbeProgress = {
  planned: PlannedProbe[];
  /** Ids of the results already counted (events may repeat). */
  seen: number[];
  /** Results counted per item. */
  doneByItem: Record<string, number>;
};

export function outcomeOf(evidence: Pick<ProbeEvidence, "outcome">): ProbeOutcome {
  return evidence.outcome;
}

export const OUTCOME_LABELS: Record<ProbeOutcome, string> = { pass: "Pass", fail: "Fail", error: "Error" };

/** Probe blocks per item id, in source order. */
export function probesByItem(probes: ItemProbe[]): Map<string, ItemProbe[]> {
  const out = new Map<string, ItemProbe[]>();
  for (const probe of probes) {
    const list = out.get(probe.item_id) ?? [];
    list.push(probe);
    out.set(probe.item_id, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.line - b.line);
  return out;
}

/** A command probe whose exact text has not been approved for this template yet. */
export function needsApproval(probe: ItemProbe): boolean {
  return probe.command_text !== null && !probe.approved;
}

/** An item's probes can run once every command among them is approved. */
export function canRunItem(probes: ItemProbe[] | undefined): boolean {
  return !!probes && probes.length > 0 && !probes.some(needsApproval);
}

/** The items (of `itemIds`, in that order) whose probes can run, and how many were held back for an approval. */
export function runnableItems(
  itemIds: string[],
  byItem: Map<string, ItemProbe[]>,
): { ready: string[]; awaitingApproval: number } {
  const ready: string[] = [];
  let awaitingApproval = 0;
  for (const id of itemIds) {
    const probes = byItem.get(id);
    if (!probes || probes.length === 0) continue;
    if (canRunItem(probes)) ready.push(id);
    else awaitingApproval++;
  }
  return { ready, awaitingApproval };
}

/** Every probe block the backend will run for these items (one result each, parse errors included). */
export function planProbes(itemIds: string[], byItem: Map<string, ItemProbe[]>): PlannedProbe[] {
  return itemIds.flatMap((itemId) => (byItem.get(itemId) ?? []).map((probe) => ({ itemId, line: probe.line })));
}

export function startProgress(planned: PlannedProbe[]): ProbeProgress {
  return { planned, seen: [], doneByItem: {} };
}

/** Counts a result once (by id) when it belongs to a planned item that still has results outstanding. */
export function recordResult(
  progress: ProbeProgress,
  evidence: Pick<ProbeEvidence, "id" | "element_id">,
): ProbeProgress {
  if (progress.seen.includes(evidence.id)) return progress;
  const expected = progress.planned.filter((p) => p.itemId === evidence.element_id).length;
  const done = progress.doneByItem[evidence.element_id] ?? 0;
  if (done >= expected) return progress;
  return {
    planned: progress.planned,
    seen: [...progress.seen, evidence.id],
    doneByItem: { ...progress.doneByItem, [evidence.element_id]: done + 1 },
  };
}

export function progressCounts(progress: ProbeProgress): { done: number; total: number } {
  const done = Object.values(progress.doneByItem).reduce((n, d) => n + d, 0);
  return { done, total: progress.planned.length };
}

/** "3 of 8 done". */
export function progressLabel(progress: ProbeProgress): string {
  const { done, total } = progressCounts(progress);
  return `${done} of ${total} done`;
}

/** Planned items with results still outstanding (the ones showing a spinner). */
export function itemsStillRunning(progress: ProbeProgress): Set<string> {
  const expected = new Map<string, number>();
  for (const p of progress.planned) expected.set(p.itemId, (expected.get(p.itemId) ?? 0) + 1);
  const out = new Set<string>();
  for (const [itemId, n] of expected) if ((progress.doneByItem[itemId] ?? 0) < n) out.add(itemId);
  return out;
}

/** The results of both lists once each (by id), oldest first: the run's evidence plus results that arrived live. */
export function mergeEvidence(kept: ProbeEvidence[], live: ProbeEvidence[]): ProbeEvidence[] {
  const byId = new Map<number, ProbeEvidence>();
  for (const evidence of [...kept, ...live]) if (!byId.has(evidence.id)) byId.set(evidence.id, evidence);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Each item's results, newest first. */
export function evidenceByItem(evidence: ProbeEvidence[]): Map<string, ProbeEvidence[]> {
  const out = new Map<string, ProbeEvidence[]>();
  for (const e of [...evidence].sort((a, b) => b.id - a.id)) {
    const list = out.get(e.element_id) ?? [];
    list.push(e);
    out.set(e.element_id, list);
  }
  return out;
}

/** The newest result per probe line, from a newest-first history. */
export function latestPerProbe(history: ProbeEvidence[]): ProbeEvidence[] {
  const byLine = new Map<number, ProbeEvidence>();
  for (const e of [...history].sort((a, b) => b.id - a.id)) if (!byLine.has(e.probe_line)) byLine.set(e.probe_line, e);
  return [...byLine.values()].sort((a, b) => a.probe_line - b.probe_line);
}

/**
 * The state an item's results propose: fail (with the failing summaries as the note) when any latest result per probe
 * failed or erred; pass when every declared probe's latest result passed; nothing while a declared probe has no result.
 */
/**
 * An Error result says nothing about the item: the probe could not run (the keychain was locked
 * or missing, a credential or approval was lacking, the block was invalid) or was cancelled before
 * it finished. A target that refused, timed out or answered wrongly is a Fail, and proposes Fail.
 */
export function isInconclusive(evidence: ProbeEvidence): boolean {
  return outcomeOf(evidence) === "error";
}

export function proposeState(history: ProbeEvidence[], declaredLines?: number[]): Proposal | null {
  const latest = latestPerProbe(history);
  if (latest.length === 0) return null;
  if (latest.some(isInconclusive)) return null;
  const bad = latest.filter((e) => outcomeOf(e) !== "pass");
  if (bad.length > 0)
    return { state: "fail", note: bad.map((e) => e.summary.trim() || `${e.kind} probe: ${e.outcome}`).join("\n") };
  const covered = new Set(latest.map((e) => e.probe_line));
  if (declaredLines && declaredLines.some((line) => !covered.has(line))) return null;
  return { state: "pass" };
}

/** A probe result's one duration and what it measures (the Rust side's `ProbeDuration`). */
export type ProbeDuration = { label: "response time" | "check time"; ms: number };

/**
 * The one duration a result shows: an HTTP request's response time (from sending it to the
 * response headers) when the probe asserted one, else the probe's own check time. Results
 * recorded before response times were kept have only the check time.
 */
export function probeDuration(e: Pick<ProbeEvidence, "duration_ms" | "response_time_ms">): ProbeDuration {
  const rt = e.response_time_ms;
  return rt === null || rt === undefined
    ? { label: "check time", ms: e.duration_ms }
    : { label: "response time", ms: rt };
}

/** "response time 31 ms", as the CLI and the record print it. */
export function formatProbeDuration(e: Pick<ProbeEvidence, "duration_ms" | "response_time_ms">): string {
  const d = probeDuration(e);
  return `${d.label} ${d.ms} ms`;
}

/** A suggestion's body as the fenced block to paste under the item in the template. */
export function probeBlock(specToml: string): string {
  return "```probe\n" + specToml.replace(/\s+$/, "") + "\n```\n";
}

/** Identifies a suggestion within a template (to remember that it was dismissed). */
export function suggestionKey(suggestion: { item_id: string; source_line: number; kind: string }): string {
  return `${suggestion.item_id}:${suggestion.source_line}:${suggestion.kind}`;
}
