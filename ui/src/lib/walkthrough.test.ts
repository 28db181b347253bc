// Tests of walkthrough order and navigation over nested sections and items.
import { describe, expect, it } from "vitest";
import { entry, item, itemBlock, section } from "./fixtures.test-helpers";
import {
  adjacentSectionItemId,
  displayNotes,
  entryMap,
  flattenItems,
  flattenSections,
  itemState,
  navigationTarget,
  nextItemId,
  nextPendingId,
  notesFor,
  previousItemId,
  stateLabel,
} from "./walkthrough";

// a (with children a1 -> a1x, a2), prose, b ; sub-section s1.1 with c ; section s2 with d
const template = {
  sections: [
    section(
      "s1",
      [
        itemBlock(item("a", [item("a1", [item("a1x")]), item("a2")])),
        { kind: "prose", line: 3, markdown: "Some prose" },
        itemBlock(item("b")),
      ],
      [section("s1.1", [itemBlock(item("c"))])],
    ),
    section("s2", [itemBlock(item("d"))]),
  ],
};
const order = flattenItems(template);
const ids = order.map((o) => o.item.id);

describe("walkthrough order", () => {
  it("lists items depth first, children right after their parent, sub-sections after the section's own items", () => {
    expect(ids).toEqual(["a", "a1", "a1x", "a2", "b", "c", "d"]);
  });

  it("records the section and nesting depth of every item", () => {
    expect(order.find((o) => o.item.id === "a1x")).toMatchObject({ sectionId: "s1", depth: 2 });
    expect(order.find((o) => o.item.id === "c")).toMatchObject({ sectionId: "s1.1", depth: 0 });
  });

  it("lists sections in outline order with their depth", () => {
    expect(flattenSections(template.sections).map((s) => [s.section.id, s.depth])).toEqual([
      ["s1", 0],
      ["s1.1", 1],
      ["s2", 0],
    ]);
  });
});

describe("next and previous", () => {
  it("moves to the following item, into nested children and across sections", () => {
    expect(nextItemId(order, "a")).toBe("a1");
    expect(nextItemId(order, "a1x")).toBe("a2");
    expect(nextItemId(order, "b")).toBe("c");
    expect(nextItemId(order, "c")).toBe("d");
  });

  it("stays on the last item at the end and the first at the start", () => {
    expect(nextItemId(order, "d")).toBe("d");
    expect(previousItemId(order, "a")).toBe("a");
  });

  it("moves back to the preceding item, out of nested children", () => {
    expect(previousItemId(order, "a2")).toBe("a1x");
    expect(previousItemId(order, "c")).toBe("b");
  });

  it("starts at the first item when nothing is current", () => {
    expect(nextItemId(order, null)).toBe("a");
    expect(previousItemId(order, null)).toBe("a");
  });

  it("returns null for a template without items", () => {
    expect(nextItemId([], null)).toBeNull();
  });
});

describe("next pending", () => {
  it("skips items that already have an outcome", () => {
    const entries = entryMap([entry("a1", "pass"), entry("a1x", "fail"), entry("a2", "skipped")]);
    expect(nextPendingId(order, entries, "a")).toBe("b");
  });

  it("wraps round to earlier pending items", () => {
    const entries = entryMap([entry("c", "pass"), entry("d", "not_applicable")]);
    expect(nextPendingId(order, entries, "c")).toBe("a");
  });

  it("treats an entry reset to pending as pending", () => {
    const entries = entryMap([entry("a1", "pending")]);
    expect(nextPendingId(order, entries, "a")).toBe("a1");
  });

  it("returns null when every item is done", () => {
    const entries = entryMap(ids.map((id) => entry(id, "pass")));
    expect(nextPendingId(order, entries, "b")).toBeNull();
  });

  it("finds the first pending item when nothing is current", () => {
    expect(nextPendingId(order, entryMap([entry("a", "pass")]), null)).toBe("a1");
  });
});

describe("section jumps", () => {
  it("goes to the first item of the next and previous section", () => {
    expect(adjacentSectionItemId(order, "a1x", 1)).toBe("c");
    expect(adjacentSectionItemId(order, "c", 1)).toBe("d");
    expect(adjacentSectionItemId(order, "d", -1)).toBe("c");
    expect(adjacentSectionItemId(order, "a2", -1)).toBe("a");
  });
});

describe("navigation keys", () => {
  it("move item by item and section by section", () => {
    expect(navigationTarget(order, "a", "next")).toBe("a1");
    expect(navigationTarget(order, "c", "previous")).toBe("b");
    expect(navigationTarget(order, "a1x", "next_section")).toBe("c");
    expect(navigationTarget(order, "d", "previous_section")).toBe("c");
  });
});

describe("lookups and labels", () => {
  it("reports pending for items with no entry and the recorded state otherwise", () => {
    const entries = entryMap([entry("b", "fail")]);
    expect(itemState(entries, "b")).toBe("fail");
    expect(itemState(entries, "a")).toBe("pending");
  });

  it("labels every state for people", () => {
    expect(stateLabel("not_applicable")).toBe("N/A");
    expect(stateLabel("skipped")).toBe("Skipped");
    expect(stateLabel("pass")).toBe("Pass");
  });

  it("separates item notes from run-level notes", () => {
    const notes = [
      { id: 1, element_id: "a", kind: "note" as const, body: "x", actor: "ann", at: "t" },
      { id: 2, element_id: null, kind: "note" as const, body: "y", actor: "ann", at: "t" },
    ];
    expect(notesFor(notes, "a").map((n) => n.body)).toEqual(["x"]);
    expect(notesFor(notes, null).map((n) => n.body)).toEqual(["y"]);
  });

  it("hides note lines already shown as fields, expectations or choices", () => {
    const withExtras = item("x", [], {
      notes: ["- Peak load: 1000 users", "- Results: PASS / FAIL", "- Error rate: ______ %", "- Expected: 0"],
      fields: [{ id: "f", line: 1, label: "Error rate", unit: "%", value_kind: "number" }],
      choices: [{ id: "c", line: 1, label: "Results", options: ["PASS", "FAIL"] }],
      expectations: ["0"],
    });
    expect(displayNotes(withExtras)).toEqual(["- Peak load: 1000 users"]);
  });
});
