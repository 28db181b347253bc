// Tests of the run view's flat row list: order, indexes, the section in force, keeping the current item in the middle third, find.
import { describe, expect, it } from "vitest";
import { item, itemBlock, section } from "./fixtures.test-helpers";
import { buildRows, findNext, labelRepeatsTitle, scrollToKeepInMiddleThird, sectionAt } from "./run-rows";

// s1: a (children a1 -> a1x), prose, b ; sub-section s1.1 with c ; s2 with d
const template = {
  sections: [
    section(
      "s1",
      [
        itemBlock(item("a", [item("a1", [item("a1x")])])),
        { kind: "prose" as const, line: 3, markdown: "Some prose" },
        itemBlock(item("b")),
      ],
      [section("s1.1", [itemBlock(item("c"))])],
    ),
    section("s2", [itemBlock(item("d"))]),
  ],
};

describe("run rows", () => {
  const { rows, itemRow, sectionRow, sectionItems } = buildRows(template);

  it("lists the intro, each heading before its blocks, nested items after their parent, then signatures and run notes", () => {
    expect(rows.map((r) => r.key)).toEqual([
      "intro",
      "section:s1",
      "item:a",
      "item:a1",
      "item:a1x",
      "block:s1:1",
      "item:b",
      "section:s1.1",
      "item:c",
      "section:s2",
      "item:d",
      "signatures",
      "run-notes",
    ]);
  });

  it("gives nested items their depth", () => {
    const depths = rows.flatMap((r) => (r.kind === "item" ? [[r.item.id, r.depth]] : []));
    expect(depths).toEqual([
      ["a", 0],
      ["a1", 1],
      ["a1x", 2],
      ["b", 0],
      ["c", 0],
      ["d", 0],
    ]);
  });

  it("indexes every item and section heading by id", () => {
    expect(rows[itemRow.get("a1x")!].key).toBe("item:a1x");
    expect(rows[sectionRow.get("s1.1")!].key).toBe("section:s1.1");
  });

  it("collects a section's items including its sub-sections' items", () => {
    expect(sectionItems.get("s1")).toEqual(["a", "a1", "a1x", "b", "c"]);
    expect(sectionItems.get("s1.1")).toEqual(["c"]);
    expect(sectionItems.get("s2")).toEqual(["d"]);
  });

  it("finds the heading in force for the sticky header, none before the first section or after the last", () => {
    expect(sectionAt(rows, 0)).toBeNull();
    expect(sectionAt(rows, itemRow.get("b")!)?.section.id).toBe("s1");
    expect(sectionAt(rows, itemRow.get("c")!)?.section.id).toBe("s1.1");
    expect(sectionAt(rows, sectionRow.get("s2")!)?.section.id).toBe("s2");
    expect(sectionAt(rows, rows.length - 1)).toBeNull();
  });

  it("keeps a 10,000-item template's rows and indexes consistent", () => {
    const big = {
      sections: Array.from({ length: 100 }, (_, s) =>
        section(
          `s${s}`,
          Array.from({ length: 100 }, (_, i) => itemBlock(item(`i${s}-${i}`))),
        ),
      ),
    };
    const built = buildRows(big);
    expect(built.itemRow.size).toBe(10_000);
    expect(built.rows.length).toBe(10_000 + 100 + 3);
    const last = built.itemRow.get("i99-99")!;
    expect(built.rows[last].key).toBe("item:i99-99");
    expect(sectionAt(built.rows, last)?.section.id).toBe("s99");
  });
});

describe("keeping the current item in the middle third", () => {
  // viewport 600 px tall: the middle third is 200..400 below scrollTop
  it("leaves a row that already sits in the middle third", () => {
    expect(scrollToKeepInMiddleThird(1250, 1290, 1000, 600)).toBeNull();
  });

  it("centres a row near the bottom edge", () => {
    expect(scrollToKeepInMiddleThird(1560, 1600, 1000, 600)).toBe(1280);
  });

  it("centres a row above the viewport, never scrolling above the top", () => {
    expect(scrollToKeepInMiddleThird(400, 440, 1000, 600)).toBe(120);
    expect(scrollToKeepInMiddleThird(10, 50, 1000, 600)).toBe(0);
  });

  it("puts the top of a row taller than a third at the top of the middle third", () => {
    expect(scrollToKeepInMiddleThird(2000, 2400, 1000, 600)).toBe(1800);
    expect(scrollToKeepInMiddleThird(1250, 1650, 1000, 600)).toBeNull();
  });
});

describe("find", () => {
  const titles = ["Backups verified", "Health check", "Smoke tests", "Backup restore drill"];

  it("finds the next title containing the text, case-insensitive, wrapping round", () => {
    expect(findNext(titles, "backup", 0)).toBe(3);
    expect(findNext(titles, "backup", 3)).toBe(0);
    expect(findNext(titles, "SMOKE", -1)).toBe(2);
  });

  it("finds backwards", () => {
    expect(findNext(titles, "backup", 3, -1)).toBe(0);
    expect(findNext(titles, "backup", 0, -1)).toBe(3);
  });

  it("finds nothing for empty or absent text", () => {
    expect(findNext(titles, "  ", 0)).toBe(-1);
    expect(findNext(titles, "rollback", 0)).toBe(-1);
  });
});

describe("a write-in label that repeats its item's title", () => {
  it("is recognised when equal up to punctuation, blanks and case", () => {
    expect(labelRepeatsTitle("Response time P95", "Response time P95: ____ ms")).toBe(true);
    expect(labelRepeatsTitle("Release", "release:")).toBe(true);
  });

  it("is kept when it says something the title does not", () => {
    expect(labelRepeatsTitle("Rows copied", "Copy the orders table")).toBe(false);
    expect(labelRepeatsTitle("Start", "Start time of the maintenance window and the freeze")).toBe(false);
  });
});
