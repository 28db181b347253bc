// Tests that the UI takes the importer's display text as it is: spans joined, tables grouped, old templates shown literally.
import { describe, expect, it } from "vitest";
import type { DisplayLine } from "./bindings/DisplayLine";
import { linesOr, plainSpans, proseSegments, shown, spansText } from "./markdown-text";

const line = (style: DisplayLine["style"], text: string, cells: string[] = []): DisplayLine => ({
  style,
  depth: 0,
  spans: cells.length ? [] : plainSpans(text),
  cells: cells.map((cell) => plainSpans(cell)),
});

describe("display text", () => {
  it("joins spans without touching their text", () => {
    const spans = [
      { text: "run ", strong: false, emphasis: false, strike: false, code: false },
      { text: "git tag -a **v2**", strong: false, emphasis: false, strike: false, code: true },
      { text: " 2 * 3 _x_", strong: true, emphasis: false, strike: false, code: false },
    ];
    expect(spansText(spans)).toBe("run git tag -a **v2** 2 * 3 _x_");
  });

  it("prefers the display form and falls back to the stored text", () => {
    expect(shown("QA & Test", "QA &amp; Test")).toBe("QA & Test");
    expect(shown(undefined, "Old title")).toBe("Old title");
    expect(shown("", "Old title")).toBe("Old title");
  });

  it("shows a template stored before display lines existed as its literal lines", () => {
    const hostile = 'Night <img src=x onerror="alert(1)">';
    expect(linesOr(undefined, `${hostile}\n\n**x**`).map((l) => spansText(l.spans))).toEqual([hostile, "**x**"]);
    expect(linesOr([line("paragraph", "given")], "ignored").map((l) => spansText(l.spans))).toEqual(["given"]);
  });
});

describe("prose segments", () => {
  it("groups table rows under their header and keeps other lines", () => {
    const segments = proseSegments([
      line("paragraph", "Before"),
      line("table_header", "", ["Role", "Name"]),
      line("table_row", "", ["QA", "Ann"]),
      line("table_row", "", ["RM", "Bob"]),
      line("bullet", "After"),
    ]);
    expect(segments.map((s) => s.kind)).toEqual(["line", "table", "line"]);
    const table = segments[1];
    if (table.kind !== "table") throw new Error("a table");
    expect(table.header?.map(spansText)).toEqual(["Role", "Name"]);
    expect(table.rows.map((row) => row.map(spansText))).toEqual([
      ["QA", "Ann"],
      ["RM", "Bob"],
    ]);
  });

  it("starts a headerless table at a row after other lines", () => {
    const segments = proseSegments([
      line("table_row", "", ["a"]),
      line("paragraph", "x"),
      line("table_row", "", ["b"]),
    ]);
    expect(segments.map((s) => s.kind)).toEqual(["table", "line", "table"]);
  });
});
