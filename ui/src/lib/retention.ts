// Retention of finished runs: the "Kept until" label, the date input's value, and turning a chosen day
// into the RFC 3339 time sent to set_retention (the end of that local day, so a same-day choice never shortens).

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-06-01" in the local time zone; "" when not a date. */
export function formatDate(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "Kept until 2026-06-01", or a note that no retention date is set. */
export function retentionLabel(retainUntil: string | null | undefined): string {
  const day = formatDate(retainUntil);
  return day ? `Kept until ${day}` : "No retention date set";
}

/** True when the retention date has passed (or none is set): the backend will then allow deleting. */
export function retentionExpired(retainUntil: string | null | undefined, now: Date): boolean {
  const date = parse(retainUntil);
  return date === null || date.getTime() <= now.getTime();
}

/** The value of an `<input type="date">` for an ISO time ("" when none). */
export function dateInputValue(iso: string | null | undefined): string {
  return formatDate(iso);
}

/**
 * The RFC 3339 (UTC) time for a chosen day ("2026-06-01" from a date input): 23:59:59 local time that day.
 * Null for an empty or impossible date.
 */
export function dateInputToRetention(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [, y, m, d] = match.map(Number);
  const date = new Date(y, m - 1, d, 23, 59, 59);
  if (Number.isNaN(date.getTime()) || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
  return date.toISOString();
}

/** Why a chosen day cannot be used, or null: it must be a date and not before the current retention. */
export function extensionProblem(value: string, current: string | null | undefined): string | null {
  const until = dateInputToRetention(value);
  if (!until) return "Choose a date.";
  const now = parse(current);
  if (now && new Date(until).getTime() < now.getTime()) return "Retention can be extended, not shortened.";
  return null;
}
