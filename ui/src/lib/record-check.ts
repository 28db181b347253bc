// Words for checking a record file against a run's audit log: the size refusal, what an event was, which of its
// parts differ, and the verdict. Pure; the record file's text is untrusted and only ever shown as text.
import { MAX_RECORD_BYTES } from "./api";
import type { AuditEvent } from "./bindings/AuditEvent";
import type { EventDifference } from "./bindings/EventDifference";
import type { Item } from "./bindings/Item";
import type { RecordCheck } from "./bindings/RecordCheck";
import type { Section } from "./bindings/Section";
import type { Template } from "./bindings/Template";
import { formatDateTime, plural } from "./format";

/** A refusal message when a file of `size` bytes is too large to check here, otherwise null. */
export function recordSizeProblem(size: number, name: string, limit: number = MAX_RECORD_BYTES): string | null {
  if (size <= limit) return null;
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return `${name} is ${mb(size)} MB; a record file checked here can be at most ${mb(limit)} MB. Check it with \`greenlight verify --record\` instead.`;
}

const EVENT_WORDS: Record<string, string> = {
  run_started: "run started",
  item_state: "item marked",
  value_set: "value entered",
  note_added: "note added",
  correction_added: "correction added",
  gate_decided: "gate decided",
  signed: "signature",
  probe_result: "probe result",
  retention_set: "retention set",
  run_completed: "run completed",
  run_abandoned: "run abandoned",
  run_archived: "run archived",
};

/** "note added" for `note_added`; unknown kinds as they are. */
export function eventWords(kind: string): string {
  return EVENT_WORDS[kind] ?? kind;
}

/** The name a person knows each element of a template by (item and gate titles, field labels, signature roles). */
export function elementNames(template: Pick<Template, "sections" | "metadata_fields">): Map<string, string> {
  const names = new Map<string, string>();
  for (const field of template.metadata_fields) names.set(field.id, field.label);
  const item = (it: Item) => {
    names.set(it.id, it.title);
    for (const field of it.fields) names.set(field.id, field.label || it.title);
    for (const choice of it.choices) names.set(choice.id, choice.label || it.title);
    if (it.signature) names.set(it.signature.id, it.signature.role);
    it.children.forEach(item);
  };
  const section = (sec: Section) => {
    names.set(sec.id, sec.title);
    for (const block of sec.blocks) {
      if (block.kind === "item") item(block);
      else if (block.kind === "field" || block.kind === "choice") names.set(block.id, block.label);
      else if (block.kind === "signature") names.set(block.id, block.role);
      else if (block.kind === "gate") names.set(block.id, block.title);
    }
    sec.children.forEach(section);
  };
  template.sections.forEach(section);
  return names;
}

/** 'note added on “Smoke tests pass” by alice at 2025-06-01 18:05' (the element's id when its name is unknown). */
export function describeEvent(event: AuditEvent, names: Map<string, string> = new Map()): string {
  const name = event.element_id ? names.get(event.element_id)?.trim() : undefined;
  const on = event.element_id ? ` on ${name ? `“${name}”` : event.element_id}` : "";
  return `${eventWords(event.kind)}${on} by ${event.actor} at ${formatDateTime(event.at)}`;
}

const FIELD_WORDS: Record<string, string> = {
  payload: "what was recorded",
  actor: "who did it",
  at: "when",
  kind: "what kind of event it is",
  element_id: "which checklist element it is about",
  position: "its position",
  prev_hash: "its link to the event before",
  hash: "its fingerprint (hash)",
};

/** The differing parts of an event in words: "what was recorded and who did it". */
export function fieldWords(fields: string[]): string {
  const words = fields.map((f) => FIELD_WORDS[f] ?? f);
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** A payload's JSON object, or null when it is not one. */
function payloadObject(payload: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const valueText = (v: unknown): string =>
  v === undefined ? "(not there)" : typeof v === "string" ? v : JSON.stringify(v);

/** An event's recorded data as "key: value" lines (payloads are JSON objects); anything else as it is. */
export function payloadText(payload: string): string {
  const value = payloadObject(payload);
  if (!value) return payload;
  const lines = Object.entries(value).map(([key, v]) => `${key}: ${valueText(v)}`);
  return lines.length > 0 ? lines.join("\n") : "(nothing)";
}

/** One line of the comparison table: a differing part, as the file and as the log have it. */
export type DifferenceRow = { field: string; label: string; inFile: string; inLog: string };

/** The parts of two recorded payloads that differ, key by key when both are JSON objects, else as a whole. */
function payloadRows(inFile: string, inLog: string): DifferenceRow[] {
  const label = FIELD_WORDS.payload;
  const file = payloadObject(inFile);
  const log = payloadObject(inLog);
  if (!file || !log) return [{ field: "payload", label, inFile: payloadText(inFile), inLog: payloadText(inLog) }];
  const keys = [...new Set([...Object.keys(file), ...Object.keys(log)])];
  const rows = keys
    .filter((key) => JSON.stringify(file[key]) !== JSON.stringify(log[key]))
    .map((key) => ({
      field: `payload.${key}`,
      label: `${label}: ${key}`,
      inFile: valueText(file[key]),
      inLog: valueText(log[key]),
    }));
  // Same keys and values, other bytes (spacing, key order): show the whole text.
  return rows.length > 0 ? rows : [{ field: "payload", label, inFile, inLog }];
}

/** The differing parts worth showing side by side (the hashes only follow from the rest). */
export function differenceRows(difference: EventDifference): DifferenceRow[] {
  const log = difference.in_log;
  if (!log) return [];
  const text = (event: AuditEvent, field: string): string => {
    const value = event[field as keyof AuditEvent];
    if (field === "at") return formatDateTime(String(value));
    return value === null || value === undefined ? "—" : String(value);
  };
  return difference.fields
    .filter((f) => f !== "hash" && f !== "prev_hash")
    .flatMap((field) =>
      field === "payload"
        ? payloadRows(difference.in_record.payload, log.payload)
        : [
            {
              field,
              label: FIELD_WORDS[field] ?? field,
              inFile: text(difference.in_record, field),
              inLog: text(log, field),
            },
          ],
    );
}

/** The verdict, its explanation, and whether the log itself is broken. */
export type CheckSummary = { verdict: "matches" | "differs" | "log_broken"; headline: string; detail: string };

export function summarise(check: RecordCheck, names: Map<string, string> = new Map()): CheckSummary {
  const later = check.log_events - check.record_events;
  if (check.matches) {
    const after =
      later > 0 ? ` ${plural(later, "more event was", "more events were")} recorded after it was exported.` : "";
    return {
      verdict: "matches",
      headline: "The record file matches this run's audit log",
      detail: `Every event in the file (${plural(check.record_events, "event")}) is exactly as the log holds it.${after}`,
    };
  }
  const difference = check.first_difference;
  if (!difference) {
    return {
      verdict: "log_broken",
      headline: "This run's audit log is itself broken",
      detail: `The log on this computer fails verification: ${check.chain.message}. The file cannot be compared with it.`,
    };
  }
  const what = describeEvent(difference.in_record, names);
  const detail = difference.in_log
    ? `The first difference is event ${difference.position} (${what}): the file and the log disagree on ${fieldWords(difference.fields)}.`
    : `Event ${difference.position} (${what}) is in the file but not in this run's log, which has ${plural(check.log_events, "event")}.`;
  return { verdict: "differs", headline: "The record file does not match this run's audit log", detail };
}
