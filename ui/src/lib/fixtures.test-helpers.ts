// Test fixtures: small templates and entries built in code for the walkthrough tests.
import type { Block } from "./bindings/Block";
import type { Entry } from "./bindings/Entry";
import type { Item } from "./bindings/Item";
import type { ItemState } from "./bindings/ItemState";
import type { Section } from "./bindings/Section";

export function item(id: string, children: Item[] = [], extra: Partial<Item> = {}): Item {
  return {
    id,
    line: 1,
    title: `Item ${id}`,
    detail: "",
    checked_in_source: false,
    notes: [],
    code: [],
    expectations: [],
    fields: [],
    choices: [],
    signature: null,
    children,
    ...extra,
  };
}

export function section(id: string, blocks: Block[], children: Section[] = []): Section {
  return { id, title: `Section ${id}`, level: 2, line: 1, blocks, children };
}

export function itemBlock(value: Item): Block {
  return { kind: "item", ...value };
}

export function entry(elementId: string, state: ItemState): Entry {
  return { element_id: elementId, state, value: null, actor: "ann", at: "2025-01-01T10:00:00Z" };
}
