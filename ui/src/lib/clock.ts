// The run clock: elapsed time since the window start (or run creation) and time left in the window, given `now`.

/** Where `now` is against the planned window; "closing" is the last 15 minutes. */
export type ClockPhase = "no_window" | "before" | "in" | "closing" | "overrun";

export type ClockView = {
  phase: ClockPhase;
  /** Time since the window start (or the run's creation when there is no start), "H:MM:SS". */
  elapsed: string;
  /** Time left until the window end ("H:MM:SS"), or how long it is overrun; null without an end. */
  remaining: string | null;
  /** One line for people: "Starts in 0:10:00", "0:42:10 left", "Overrun by 0:03:00". */
  label: string;
};

export const CLOSING_MS = 15 * 60 * 1000;

export type ClockInput = {
  window_start: string | null;
  window_end: string | null;
  created_at: string;
};

function parse(iso: string | null): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** "H:MM:SS" for a duration in milliseconds (absolute value, whole seconds rounded down). */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** Where `now` stands against the window. */
export function clockPhase(start: number | null, end: number | null, now: number): ClockPhase {
  if (start === null && end === null) return "no_window";
  if (start !== null && now < start) return "before";
  if (end !== null && now > end) return "overrun";
  if (end !== null && end - now <= CLOSING_MS) return "closing";
  return "in";
}

/** Everything the run header shows about time. */
export function clockView(run: ClockInput, now: Date): ClockView {
  const nowMs = now.getTime();
  const start = parse(run.window_start);
  const end = parse(run.window_end);
  const origin = start ?? parse(run.created_at) ?? nowMs;
  const phase = clockPhase(start, end, nowMs);
  const elapsed = formatDuration(Math.max(0, nowMs - origin));
  const remaining = end === null ? null : formatDuration(end - nowMs);
  let label: string;
  switch (phase) {
    case "before":
      label = `Starts in ${formatDuration((start ?? nowMs) - nowMs)}`;
      break;
    case "overrun":
      label = `Overrun by ${remaining}`;
      break;
    case "in":
    case "closing":
      label = remaining === null ? `${elapsed} elapsed` : `${remaining} left`;
      break;
    default:
      label = `${elapsed} elapsed`;
  }
  return { phase, elapsed: phase === "before" ? formatDuration(0) : elapsed, remaining, label };
}
