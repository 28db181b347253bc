// Formatting helpers for dates, times and counts shown in the UI (pure, locale-independent).

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "2025-03-04 14:05" in the local time zone; the raw text when it is not a date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "14:05:09" in the local time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * Converts the value of an `<input type="datetime-local">` ("2025-03-04T14:05", local time)
 * to an ISO 8601 UTC string; null for an empty or malformed value.
 */
export function localInputToIso(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (Number.isNaN(date.getTime()) || date.getMonth() !== Number(mo) - 1) return null;
  return date.toISOString();
}

/** Shows a count that the bindings type as bigint but that arrives as a JSON number. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? "0" : String(value);
}

/** "1 item" / "3 items". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${String(n)} ${Number(n) === 1 ? word : many}`;
}

/** The name part of an actor recorded as `Name <email>` (the whole text when there is no email). */
export function actorName(actor: string): string {
  const cut = actor.indexOf(" <");
  return cut > 0 ? actor.slice(0, cut) : actor;
}
