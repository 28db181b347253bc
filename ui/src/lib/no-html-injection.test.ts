// Scans the UI sources and fails if any raw-HTML or code-evaluation construct appears (templates are untrusted).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("..", import.meta.url));
const THIS_FILE = "lib/no-html-injection.test.ts";

// Built from parts so this file does not trip its own scan.
const FORBIDDEN: { name: string; pattern: RegExp }[] = [
  { name: "{@" + "html}", pattern: new RegExp("\\{@" + "html\\b") },
  { name: "inner" + "HTML", pattern: new RegExp("\\binner" + "HTML\\b") },
  { name: "outer" + "HTML", pattern: new RegExp("\\bouter" + "HTML\\b") },
  { name: "insert" + "AdjacentHTML", pattern: new RegExp("\\binsert" + "AdjacentHTML\\b") },
  { name: "ev" + "al(", pattern: new RegExp("\\bev" + "al\\s*\\(") },
  { name: "new Func" + "tion", pattern: new RegExp("\\bnew\\s+Func" + "tion\\b") },
  { name: "document.wr" + "ite", pattern: new RegExp("\\bdocument\\.wr" + "ite(ln)?\\s*\\(") },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(svelte|ts)$/.test(entry.name) ? [path] : [];
  });
}

export function findForbidden(text: string): string[] {
  return FORBIDDEN.filter(({ pattern }) => pattern.test(text)).map(({ name }) => name);
}

describe("no raw HTML in the UI", () => {
  const files = sources(SRC);

  it("finds the UI sources to scan", () => {
    const names = files.map((f) => relative(SRC, f).replace(/\\/g, "/"));
    expect(names).toContain("App.svelte");
    expect(names).toContain("components/ItemCard.svelte");
    expect(names).toContain("lib/markdown-text.ts");
  });

  it("detects every forbidden construct in a sample", () => {
    const samples = [
      "{@" + "html x}",
      "el.inner" + "HTML = x",
      "el.outer" + "HTML",
      "el.insert" + "AdjacentHTML('beforeend', x)",
      "ev" + "al(code)",
      "new Func" + "tion('return 1')",
      "document.wr" + "ite(x)",
    ];
    for (const sample of samples) expect(findForbidden(sample)).not.toEqual([]);
    expect(findForbidden("retrieval(x); innerText; evaluate()")).toEqual([]);
  });

  it("uses none of them in any .svelte or .ts source", () => {
    const offenders = files
      .filter((file) => relative(SRC, file).replace(/\\/g, "/") !== THIS_FILE)
      .flatMap((file) => findForbidden(readFileSync(file, "utf8")).map((name) => `${relative(SRC, file)}: ${name}`));
    expect(offenders).toEqual([]);
  });
});
