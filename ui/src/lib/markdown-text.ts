// Turns untrusted template Markdown into plain display segments (text only, never HTML): emphasis stripped, links as text, tables preformatted.

/** A run of inline text; `code` marks an inline code span (shown monospace). */
export type Span = { text: string; code: boolean };

/** One line of a list, with its nesting depth (0 = outermost). */
export type ListLine = { depth: number; spans: Span[] };

export type ProseSegment =
  | { kind: "paragraph"; lines: Span[][] }
  | { kind: "heading"; spans: Span[] }
  | { kind: "list"; items: ListLine[] }
  | { kind: "quote"; lines: Span[][] }
  | { kind: "table"; lines: string[] }
  | { kind: "code"; lines: string[] };

const LINK = /!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const AUTOLINK = /<((?:https?|mailto|ftp):[^\s<>]+)>/g;

/** Removes Markdown emphasis and link syntax from text that is not inside a code span. */
function plainInline(text: string): string {
  let out = text.replace(LINK, (match, label: string, url: string) => {
    const isImage = match.startsWith("!");
    const name = label.trim();
    if (!url) return name;
    if (isImage) return name ? `${name} (image: ${url})` : `(image: ${url})`;
    return name && name !== url ? `${name} (${url})` : url;
  });
  out = out.replace(AUTOLINK, "$1");
  out = out.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2");
  out = out.replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1");
  out = out.replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, "$1$2");
  out = out.replace(/(^|[^\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])/g, "$1$2");
  out = out.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, "$1");
  return out;
}

/** Splits one line of inline Markdown into plain text and code spans. */
export function inlineSpans(line: string): Span[] {
  const spans: Span[] = [];
  const pattern = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  let last = 0;
  for (const match of line.matchAll(pattern)) {
    const index = match.index ?? 0;
    if (index > last) spans.push({ text: plainInline(line.slice(last, index)), code: false });
    spans.push({ text: match[2].trim() || match[2], code: true });
    last = index + match[0].length;
  }
  if (last < line.length) spans.push({ text: plainInline(line.slice(last)), code: false });
  return spans.filter((span) => span.text.length > 0);
}

/** The whole line as plain text (code spans keep their content). */
export function plainText(line: string): string {
  return inlineSpans(line)
    .map((span) => span.text)
    .join("");
}

const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

function indentWidth(text: string): number {
  return text.replace(/\t/g, "    ").length;
}

/** Markdown lines of a list (e.g. an item's nested notes) as depth + spans, depth relative to the shallowest line. */
export function listLines(lines: string[]): ListLine[] {
  const parsed = lines
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const match = LIST_ITEM.exec(line);
      const indent = indentWidth(match ? match[1] : /^\s*/.exec(line)![0]);
      const body = match ? match[2] : line.trim();
      return { indent, body };
    });
  const base = Math.min(...parsed.map((p) => p.indent), Number.MAX_SAFE_INTEGER);
  return parsed.map(({ indent, body }) => ({
    depth: Math.max(0, Math.floor((indent - base) / 2)),
    spans: inlineSpans(body),
  }));
}

/** Splits a prose block into display segments. Nothing here ever produces markup. */
export function proseSegments(markdown: string): ProseSegment[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const segments: ProseSegment[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "" || RULE.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) code.push(lines[i++]);
      i++;
      segments.push({ kind: "code", lines: code });
      continue;
    }
    if (line.trim().startsWith("|")) {
      const table: string[] = [];
      while (i < lines.length && lines[i].trim().startsWith("|")) table.push(lines[i++].trim());
      segments.push({ kind: "table", lines: table });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      segments.push({ kind: "heading", spans: inlineSpans(heading[1]) });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const quote: Span[][] = [];
      while (i < lines.length && QUOTE.test(lines[i])) quote.push(inlineSpans(QUOTE.exec(lines[i++])![1]));
      segments.push({ kind: "quote", lines: quote });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const block: string[] = [];
      while (i < lines.length && lines[i].trim() !== "" && (LIST_ITEM.test(lines[i]) || /^\s+/.test(lines[i]))) {
        block.push(lines[i++]);
      }
      segments.push({ kind: "list", items: listLines(block) });
      continue;
    }
    const paragraph: Span[][] = [];
    while (
      i < lines.length &&
      lines[i].trim() !== "" &&
      !FENCE.test(lines[i]) &&
      !lines[i].trim().startsWith("|") &&
      !HEADING.test(lines[i]) &&
      !QUOTE.test(lines[i]) &&
      !LIST_ITEM.test(lines[i]) &&
      !RULE.test(lines[i])
    ) {
      paragraph.push(inlineSpans(lines[i++].trim()));
    }
    segments.push({ kind: "paragraph", lines: paragraph });
  }
  return segments;
}
