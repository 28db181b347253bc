// Walkthrough logic: items in order, next/previous/next-pending navigation, entry and note lookup, state labels.
import type { Entry } from "./bindings/Entry";
import type { Item } from "./bindings/Item";
import type { ItemState } from "./bindings/ItemState";
import type { Note } from "./bindings/Note";
import type { Section } from "./bindings/Section";
import type { Template } from "./bindings/Template";
import type { NavigationAction } from "./keyboard";

/** One item in walkthrough order, with the section it lives in and its nesting depth. */
export type OrderedItem = { item: Item; sectionId: string; depth: number };

/** One section in outline order, with its depth (0 for top level). */
export type OutlineSection = { section: Section; depth: number };

/** Every item of the template, depth first in source order (children right after their parent). */
export function flattenItems(template: Pick<Template, "sections">): OrderedItem[] {
  const out: OrderedItem[] = [];
  const walkItem = (item: Item, sectionId: string, depth: number) => {
    out.push({ item, sectionId, depth });
    for (const child of item.children) walkItem(child, sectionId, depth + 1);
  };
  const walkSection = (section: Section) => {
    for (const block of section.blocks) {
      if (block.kind === "item") walkItem(block, section.id, 0);
    }
    for (const child of section.children) walkSection(child);
  };
  for (const section of template.sections) walkSection(section);
  return out;
}

/** Every section in outline order with its depth. */
export function flattenSections(sections: Section[], depth = 0): OutlineSection[] {
  return sections.flatMap((section) => [{ section, depth }, ...flattenSections(section.children, depth + 1)]);
}

/** Number of checkbox items in a section and its sub-sections. */
export function countItems(section: Section): number {
  const inItem = (item: Item): number => 1 + item.children.reduce((n, c) => n + inItem(c), 0);
  let n = 0;
  for (const block of section.blocks) if (block.kind === "item") n += inItem(block);
  for (const child of section.children) n += countItems(child);
  return n;
}

function indexOf(order: OrderedItem[], id: string | null): number {
  return id === null ? -1 : order.findIndex((entry) => entry.item.id === id);
}

/** The item after `currentId` (the first item when nothing is current); stays on the last item. */
export function nextItemId(order: OrderedItem[], currentId: string | null): string | null {
  if (order.length === 0) return null;
  const index = indexOf(order, currentId);
  if (index < 0) return order[0].item.id;
  return order[Math.min(index + 1, order.length - 1)].item.id;
}

/** The item before `currentId` (the first item when nothing is current); stays on the first item. */
export function previousItemId(order: OrderedItem[], currentId: string | null): string | null {
  if (order.length === 0) return null;
  const index = indexOf(order, currentId);
  if (index < 0) return order[0].item.id;
  return order[Math.max(index - 1, 0)].item.id;
}

/** Entries keyed by element id. */
export function entryMap(entries: Entry[]): Map<string, Entry> {
  return new Map(entries.map((entry) => [entry.element_id, entry]));
}

/** The recorded state of an item, "pending" when nothing was recorded. */
export function itemState(entries: Map<string, Entry>, itemId: string): ItemState {
  return entries.get(itemId)?.state ?? "pending";
}

/**
 * The first pending item after `currentId`, wrapping round to the start; null when every item is done. States come
 * from `entries`, or from a lookup (which may include outcomes not yet acknowledged).
 * `currentId` itself is considered last, so a pending current item is returned only when it is the only one.
 */
export function nextPendingId(
  order: OrderedItem[],
  entries: Map<string, Entry> | ((itemId: string) => ItemState),
  currentId: string | null,
): string | null {
  const stateOf = typeof entries === "function" ? entries : (id: string) => itemState(entries, id);
  const start = indexOf(order, currentId);
  for (let step = 1; step <= order.length; step++) {
    const candidate = order[(start + step + order.length) % order.length];
    if (stateOf(candidate.item.id) === "pending") return candidate.item.id;
  }
  return null;
}

/** The first item of the section after (direction 1) or before (-1) the current item's section. */
export function adjacentSectionItemId(
  order: OrderedItem[],
  currentId: string | null,
  direction: 1 | -1,
): string | null {
  if (order.length === 0) return null;
  const sectionStarts: number[] = [];
  order.forEach((entry, i) => {
    if (i === 0 || order[i - 1].sectionId !== entry.sectionId) sectionStarts.push(i);
  });
  const index = Math.max(0, indexOf(order, currentId));
  let current = 0;
  sectionStarts.forEach((start, k) => {
    if (start <= index) current = k;
  });
  const target = Math.min(Math.max(current + direction, 0), sectionStarts.length - 1);
  return order[sectionStarts[target]].item.id;
}

/** The item a navigation key moves to from `currentId`. */
export function navigationTarget(
  order: OrderedItem[],
  currentId: string | null,
  action: NavigationAction,
): string | null {
  switch (action) {
    case "next":
      return nextItemId(order, currentId);
    case "previous":
      return previousItemId(order, currentId);
    case "next_section":
      return adjacentSectionItemId(order, currentId, 1);
    case "previous_section":
      return adjacentSectionItemId(order, currentId, -1);
  }
}

/** Notes attached to one element (null: run-level notes), oldest first as recorded. */
export function notesFor(notes: Note[], elementId: string | null): Note[] {
  return notes.filter((note) => note.element_id === elementId);
}

const LABELS: Record<ItemState, string> = {
  pending: "Pending",
  pass: "Pass",
  fail: "Fail",
  not_applicable: "N/A",
  skipped: "Skipped",
};

/** Human label for an item state. */
export function stateLabel(state: ItemState): string {
  return LABELS[state];
}

/** Outcomes a user can record, in button order. */
export const MARKABLE_STATES: { state: ItemState; label: string; testId: string; key: string }[] = [
  { state: "pass", label: "Pass", testId: "mark-pass", key: "p" },
  { state: "fail", label: "Fail", testId: "mark-fail", key: "f" },
  { state: "not_applicable", label: "N/A", testId: "mark-na", key: "n" },
  { state: "skipped", label: "Skip", testId: "mark-skip", key: "s" },
];

const BLANK = /_{3,}/;

/**
 * The item's Markdown note lines minus those already shown as structured elements
 * (write-in blanks, "Expected:" bullets and choice lines), so nothing appears twice.
 */
export function displayNotes(item: Item): string[] {
  const choiceLabels = item.choices.map((choice) => choice.label.trim().toLowerCase()).filter(Boolean);
  return item.notes.filter((line) => {
    const text = line
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")
      .replace(/\*\*/g, "")
      .trim();
    if (text === "") return false;
    if ((item.fields.length > 0 || item.signature) && BLANK.test(text)) return false;
    if (item.expectations.length > 0 && /^expected\s*:/i.test(text)) return false;
    const lower = text.toLowerCase();
    if (choiceLabels.some((label) => lower.startsWith(label) && /[/]|\[\s?\]/.test(text))) return false;
    return true;
  });
}
