// Progress formatting: "done / total", percentages and the per-state breakdown.
import type { Progress } from "./bindings/Progress";
import type { SectionProgress } from "./bindings/SectionProgress";

export const EMPTY_PROGRESS: Progress = {
  total: 0,
  done: 0,
  passed: 0,
  failed: 0,
  not_applicable: 0,
  skipped: 0,
};

/** "3 / 121". */
export function formatProgress(progress: Progress): string {
  return `${progress.done} / ${progress.total}`;
}

/** Whole percentage done, 0..100 (0 for an empty set, never above 100). */
export function percentDone(progress: Progress): number {
  if (progress.total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((progress.done / progress.total) * 100)));
}

/** "2 pass · 1 fail · 0 n/a · 0 skipped". */
export function formatBreakdown(progress: Progress): string {
  return [
    `${progress.passed} pass`,
    `${progress.failed} fail`,
    `${progress.not_applicable} n/a`,
    `${progress.skipped} skipped`,
  ].join(" · ");
}

/** Section id -> progress, for the outline. */
export function sectionProgressMap(sections: SectionProgress[]): Map<string, Progress> {
  return new Map(sections.map((entry) => [entry.section_id, entry.progress]));
}

/** True when every item has an outcome. */
export function isAllDone(progress: Progress): boolean {
  return progress.total > 0 && progress.done >= progress.total;
}
