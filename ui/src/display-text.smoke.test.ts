// @vitest-environment jsdom
// The window shows the importer's display text: each item card's title equals the model's display title for tricky Markdown
// (the fixture is imported by the Rust importer: src-tauri/crates/core/tests/ui_fixture.rs), and nothing renders as markup.
import { flushSync, mount, unmount } from "svelte";
import { describe, expect, it } from "vitest";
import ItemCard from "./components/ItemCard.svelte";
import ProseText from "./components/ProseText.svelte";
import type { Item } from "./lib/bindings/Item";
import type { Template } from "./lib/bindings/Template";
import fixture from "./lib/tricky-titles.fixture.json";

const template = fixture as unknown as Template;
const items: Item[] = template.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "item" ? [b as Item] : [])));

const cards: Record<string, unknown>[] = [];

function render(item: Item): HTMLElement {
  const target = document.createElement("div");
  document.body.replaceChildren(target);
  const card = mount(ItemCard, { target, props: { item, ctl: null } });
  flushSync();
  cards.push(card);
  return target;
}

describe("item titles in the window", () => {
  it("has the tricky titles the importer computed", () => {
    expect(items.map((item) => item.display_title)).toEqual([
      "bold",
      "run code now",
      "struck text",
      "set snake_case_name",
      "compute 2 * 3 * 4",
      "see link",
      "keep <b>html</b> literal",
      "Tom & Jerry",
      "Ratio 2 * 3 & 4",
    ]);
  });

  it("renders every item title exactly as the model's display title, as text", () => {
    for (const item of items) {
      const target = document.createElement("div");
      document.body.replaceChildren(target);
      const card = mount(ItemCard, { target, props: { item, ctl: null } });
      flushSync();
      const title = target.querySelector('[data-testid="item-title"]');
      expect(title?.textContent).toBe(item.display_title);
      expect(target.querySelector("b, i, a, img, script")).toBeNull();
      unmount(card);
    }
  });

  it("renders notes from the model's display spans with code as code and tags as text", () => {
    const item = items[items.length - 1];
    const target = render(item);
    const note = target.querySelector(".template-notes li");
    expect(note?.textContent?.replace(/\s+/g, " ").trim()).toBe("note with cmd, bold and <i>tags</i>");
    expect(note?.querySelector("code")?.textContent).toBe("cmd");
    expect(target.querySelector("i")).toBeNull();
    cards.splice(0).forEach((card) => unmount(card));
  });

  it("renders prose display lines as text only", () => {
    const target = document.createElement("div");
    document.body.replaceChildren(target);
    const hostile = '<img src=x onerror="alert(1)">';
    const prose = mount(ProseText, {
      target,
      props: {
        lines: [
          {
            style: "paragraph",
            depth: 0,
            spans: [{ text: hostile, strong: true, emphasis: false, strike: false, code: false }],
            cells: [],
          },
        ],
      },
    });
    flushSync();
    expect(target.textContent).toContain(hostile);
    expect(target.querySelector("img")).toBeNull();
    unmount(prose);
  });
});
