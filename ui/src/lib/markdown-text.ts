// Template text as the importer computed it for display (styled spans, display lines): grouping for layout only.
// No Markdown is read here: the importer turned it into display text once, for the window and the PDF alike.
import type { DisplayLine } from "./bindings/DisplayLine";
import type { Span } from "./bindings/Span";

export type { DisplayLine, Span };

/** A display line, or a run of table rows shown as one table. */
export type ProseSegment =
  { kind: "line"; line: DisplayLine } | { kind: "table"; header: Span[][] | null; rows: Span[][][] };

/** The plain text of styled spans. */
export function spansText(spans: Span[]): string {
  return spans.map((span) => span.text).join("");
}

/** `display` when the importer filled it in, else `fallback` (a template stored before display text existed). */
export function shown(display: string | null | undefined, fallback: string): string {
  return display ? display : fallback;
}

/** One plain span. */
export function plainSpans(text: string): Span[] {
  return text ? [{ text, strong: false, emphasis: false, strike: false, code: false }] : [];
}

/** The importer's display lines, or (for a template stored before they existed) the source lines shown literally. */
export function linesOr(lines: DisplayLine[] | undefined, source: string | string[]): DisplayLine[] {
  if (lines && lines.length > 0) return lines;
  const raw = Array.isArray(source) ? source : source.split("\n");
  return raw
    .filter((line) => line.trim() !== "")
    .map((line) => ({ style: "verbatim", depth: 0, spans: plainSpans(line.trim()), cells: [] }));
}

/** Groups consecutive table rows into tables; every other line stays a line. */
export function proseSegments(lines: DisplayLine[]): ProseSegment[] {
  const segments: ProseSegment[] = [];
  for (const line of lines) {
    const isRow = line.style === "table_row" || line.style === "table_header";
    const last = segments[segments.length - 1];
    if (!isRow) {
      segments.push({ kind: "line", line });
    } else if (last?.kind === "table" && line.style === "table_row") {
      last.rows.push(line.cells);
    } else if (line.style === "table_header") {
      segments.push({ kind: "table", header: line.cells, rows: [] });
    } else {
      segments.push({ kind: "table", header: null, rows: [line.cells] });
    }
  }
  return segments;
}
