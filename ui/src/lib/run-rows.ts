// The run view as one flat list of rows (section headings, items, other blocks) for the virtualised list: built
// once per template, with indexes for jumping to an item or a section and finding the section a row is in.
import type { Block } from "./bindings/Block";
import type { Item } from "./bindings/Item";
import type { Section } from "./bindings/Section";
import type { Template } from "./bindings/Template";

/** A block of a section that is not a checkbox item (write-in, prose, code, choice, signature slot, gate). */
export type OtherBlock = Exclude<Block, { kind: "item" }>;

export type RunRow =
  | { kind: "intro"; key: string; sectionRow: -1 }
  | { kind: "section"; key: string; section: Section; level: number; sectionRow: number }
  | { kind: "item"; key: string; item: Item; depth: number; sectionId: string; sectionRow: number }
  | { kind: "block"; key: string; block: OtherBlock; sectionId: string; sectionRow: number }
  | { kind: "signatures"; key: string; sectionRow: -1 }
  | { kind: "run-notes"; key: string; sectionRow: -1 };

export type RunRows = {
  rows: RunRow[];
  /** Row index of each item. */
  itemRow: Map<string, number>;
  /** Row index of each section's heading. */
  sectionRow: Map<string, number>;
  /** Ids of the items of each section and its sub-sections, in order (for "run all probes in this section"). */
  sectionItems: Map<string, string[]>;
};

/** Rough heights (px) the list starts from before a row is measured; the list corrects them as rows render. */
export function estimatedHeight(row: RunRow): number {
  switch (row.kind) {
    case "section":
      return row.level <= 2 ? 44 : 36;
    case "item":
      return 36;
    case "block":
      return row.block.kind === "gate" || row.block.kind === "signature" ? 90 : 40;
    case "intro":
      return 60;
    default:
      return 120;
  }
}

/** Flattens a template into rows: the intro, then each section's heading, blocks and nested items, then the run's signatures and notes. */
export function buildRows(template: Pick<Template, "sections">): RunRows {
  const rows: RunRow[] = [{ kind: "intro", key: "intro", sectionRow: -1 }];
  const itemRow = new Map<string, number>();
  const sectionRow = new Map<string, number>();
  const sectionItems = new Map<string, string[]>();

  const walkItem = (item: Item, sectionId: string, depth: number, headingRow: number, into: string[][]) => {
    itemRow.set(item.id, rows.length);
    rows.push({ kind: "item", key: `item:${item.id}`, item, depth, sectionId, sectionRow: headingRow });
    for (const list of into) list.push(item.id);
    for (const child of item.children) walkItem(child, sectionId, depth + 1, headingRow, into);
  };

  const walkSection = (section: Section, enclosing: string[][]) => {
    const headingRow = rows.length;
    sectionRow.set(section.id, headingRow);
    const own: string[] = [];
    sectionItems.set(section.id, own);
    const into = [...enclosing, own];
    rows.push({
      kind: "section",
      key: `section:${section.id}`,
      section,
      level: Math.min(Math.max(section.level, 2), 4),
      sectionRow: headingRow,
    });
    section.blocks.forEach((block, index) => {
      if (block.kind === "item") walkItem(block, section.id, 0, headingRow, into);
      else
        rows.push({
          kind: "block",
          key: `block:${section.id}:${index}`,
          block,
          sectionId: section.id,
          sectionRow: headingRow,
        });
    });
    for (const child of section.children) walkSection(child, into);
  };

  for (const section of template.sections) walkSection(section, []);
  rows.push({ kind: "signatures", key: "signatures", sectionRow: -1 });
  rows.push({ kind: "run-notes", key: "run-notes", sectionRow: -1 });
  return { rows, itemRow, sectionRow, sectionItems };
}

/** The section heading row in force at row `index` (the heading a sticky header shows), or null before the first section or after the last. */
export function sectionAt(rows: RunRow[], index: number): Extract<RunRow, { kind: "section" }> | null {
  const row = rows[Math.min(Math.max(index, 0), rows.length - 1)];
  if (!row || row.sectionRow < 0) return null;
  const heading = rows[row.sectionRow];
  return heading?.kind === "section" ? heading : null;
}

/**
 * Where the list should scroll so that a row spanning [start, end) sits in the middle third of a viewport showing
 * [scrollTop, scrollTop + height); null when it already does (or is taller than the middle third and its top is in it).
 */
export function scrollToKeepInMiddleThird(
  start: number,
  end: number,
  scrollTop: number,
  height: number,
): number | null {
  const top = scrollTop + height / 3;
  const bottom = scrollTop + (2 * height) / 3;
  const tall = end - start > height / 3;
  if (start >= top && (tall ? start <= bottom : end <= bottom)) return null;
  const target = tall ? start - height / 3 : start + (end - start) / 2 - height / 2;
  return Math.max(0, Math.round(target));
}

/**
 * Index of the next item (after `fromIndex` in `order`, wrapping) whose title contains `query` (case-insensitive),
 * or -1. `titles` are the items' display titles in walkthrough order.
 */
export function findNext(titles: string[], query: string, fromIndex: number, direction: 1 | -1 = 1): number {
  const needle = query.trim().toLowerCase();
  if (!needle || titles.length === 0) return -1;
  for (let step = 1; step <= titles.length; step++) {
    const index = (((fromIndex + direction * step) % titles.length) + titles.length) % titles.length;
    if (titles[index].toLowerCase().includes(needle)) return index;
  }
  return -1;
}

const comparable = (text: string) =>
  text
    .toLowerCase()
    .replace(/_{3,}/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** True when a write-in's label only repeats its item's title (`- [ ] Response time P95: ____ ms`), so the window need not show it twice. */
export function labelRepeatsTitle(label: string, title: string): boolean {
  const l = comparable(label);
  const t = comparable(title);
  return l === "" || l === t || (t.startsWith(l) && l.length >= t.length / 2);
}
