// What a row of the Runs list says about a run at a glance: where it stands against its deployment window (from the
// run clock's phase), how many items failed and how many gate overrides are in force, in words.
import type { RunSummary } from "./bindings/RunSummary";
import { clockView } from "./clock";

/** A run's place against its window; "finished" once it is no longer active (completed, abandoned, archived). */
export type RunPhase = "before" | "in" | "closing" | "overrun" | "finished";

export const RUN_PHASE_LABELS: Record<RunPhase, string> = {
  before: "before window",
  in: "in window",
  closing: "ending soon",
  overrun: "overrun",
  finished: "finished",
};

/** The run's phase at `now`; null for an active run with no planned window (nothing to say). */
export function runPhase(run: RunSummary, now: Date): RunPhase | null {
  if (run.status !== "active") return "finished";
  const { phase } = clockView(run, now);
  return phase === "no_window" ? null : phase;
}

/** True when the list has a run whose phase can change as time passes (an active run with a window). */
export function needsClock(runs: RunSummary[]): boolean {
  return runs.some((run) => run.status === "active" && (run.window_start !== null || run.window_end !== null));
}

/** "1 failed", "2 failed"; null when nothing failed. */
export function failedLabel(run: RunSummary): string | null {
  return run.progress.failed > 0 ? `${run.progress.failed} failed` : null;
}

/** "OVERRIDE" for one gate overridden, "OVERRIDE ×2" for more; null for none. */
export function overrideLabel(run: RunSummary): string | null {
  if (run.overrides <= 0) return null;
  return run.overrides === 1 ? "OVERRIDE" : `OVERRIDE ×${run.overrides}`;
}
