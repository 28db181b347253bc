// Test fixtures: small templates and entries built in code for the walkthrough tests.
import type { AppInfo } from "./bindings/AppInfo";
import type { Block } from "./bindings/Block";
import type { Entry } from "./bindings/Entry";
import type { Item } from "./bindings/Item";
import type { ItemState } from "./bindings/ItemState";
import type { RunSummary } from "./bindings/RunSummary";
import type { Section } from "./bindings/Section";
import type { Template } from "./bindings/Template";

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

/** An import report with every count zero and nothing noted, or with the counts given. */
export function importReport(counts: Partial<Template["report"]> = {}): Template["report"] {
  return {
    sections: 0,
    items: 0,
    fields: 0,
    choices: 0,
    signatures: 0,
    gates: 0,
    code_blocks: 0,
    unstructured: [],
    warnings: [],
    item_spans: [],
    ...counts,
  } as Template["report"];
}

/** The run list's entry for the smoke tests' run r1 ("payments-api 2.1.0" in production, from template t1 "Night"). */
export function runSummary(extra: Partial<RunSummary> & Pick<RunSummary, "progress">): RunSummary {
  return {
    id: "r1",
    template_id: "t1",
    template_title: "Night",
    template_hash: "h",
    release_name: "payments-api",
    version: "2.1.0",
    environment: "production",
    window_start: null,
    window_end: null,
    status: "active",
    created_at: "2025-06-01T18:00:00Z",
    created_by: "ann",
    finished_at: null,
    overrides: 0,
    ...extra,
  };
}

/** What app_info answers for the smoke tests: user ann (or the `extra` given), data under /d, exports to /e. */
export function appInfo(extra: Partial<AppInfo> = {}): AppInfo {
  return {
    version: "0.1.0",
    data_dir: "/d",
    log_dir: "/l",
    database_path: "/d/db",
    actor: "ann",
    identity: { name: "ann", email: null, role: null },
    export_dir: "/e",
    paper: "a4",
    ...extra,
  };
}
