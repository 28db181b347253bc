// Tests that prose Markdown becomes plain text segments: markup stripped, links kept as text, HTML left literal.
import { describe, expect, it } from "vitest";
import { inlineSpans, listLines, plainText, proseSegments } from "./markdown-text";

describe("inline text", () => {
  it("strips bold, italic and strikethrough markers", () => {
    expect(plainText("**Decision:** go _now_ or *later* ~~never~~")).toBe("Decision: go now or later never");
  });

  it("keeps snake_case identifiers and lone asterisks intact", () => {
    expect(plainText("set max_conn_count to 5 * 2")).toBe("set max_conn_count to 5 * 2");
  });

  it("shows a link as its text followed by the URL, as text", () => {
    expect(plainText("See [the runbook](https://wiki.example/run) now")).toBe(
      "See the runbook (https://wiki.example/run) now",
    );
    expect(plainText("<https://status.example>")).toBe("https://status.example");
  });

  it("keeps a javascript: link target as inert text", () => {
    expect(plainText("[Runbook](javascript:window.__pwned=4) read")).toBe("Runbook (javascript:window.__pwned=4) read");
  });

  it("keeps code spans as code with their content untouched", () => {
    expect(inlineSpans("run `git tag -a **v2**` first")).toEqual([
      { text: "run ", code: false },
      { text: "git tag -a **v2**", code: true },
      { text: " first", code: false },
    ]);
  });

  it("leaves a script tag and an img onerror as literal text", () => {
    const hostile = 'Night <img src=x onerror="alert(1)"> <script>alert(2)</script>';
    expect(plainText(hostile)).toBe(hostile);
    const segments = proseSegments(hostile);
    expect(segments).toEqual([{ kind: "paragraph", lines: [[{ text: hostile, code: false }]] }]);
  });
});

describe("prose segments", () => {
  it("keeps a table as preformatted lines", () => {
    const segments = proseSegments("| Role | Name |\n|---|---|\n| **QA** | Ann |\n\nAfter");
    expect(segments[0]).toEqual({ kind: "table", lines: ["| Role | Name |", "|---|---|", "| **QA** | Ann |"] });
    expect(segments[1]).toEqual({ kind: "paragraph", lines: [[{ text: "After", code: false }]] });
  });

  it("turns bullet lists into list lines with nesting depth", () => {
    const segments = proseSegments("- one\n  - two\n- three");
    expect(segments).toEqual([
      {
        kind: "list",
        items: [
          { depth: 0, spans: [{ text: "one", code: false }] },
          { depth: 1, spans: [{ text: "two", code: false }] },
          { depth: 0, spans: [{ text: "three", code: false }] },
        ],
      },
    ]);
  });

  it("recognises quotes, headings and fenced code, and drops thematic breaks", () => {
    const kinds = proseSegments("> careful\n\n#### Note\n\n---\n\n```\nrm -rf /tmp/x\n```").map((s) => s.kind);
    expect(kinds).toEqual(["quote", "heading", "code"]);
  });

  it("keeps consecutive lines of a paragraph as separate lines", () => {
    const [segment] = proseSegments("**Date:** today\n**Lead:** Ann");
    expect(segment).toEqual({
      kind: "paragraph",
      lines: [[{ text: "Date: today", code: false }], [{ text: "Lead: Ann", code: false }]],
    });
  });

  it("computes list depth relative to the shallowest line", () => {
    expect(listLines(["  - a", "    - b", "  - c"]).map((l) => l.depth)).toEqual([0, 1, 0]);
  });
});
