// Tests of the walkthrough key mapping, including keys typed into inputs being left alone.
import { describe, expect, it } from "vitest";
import { type KeyAction, SHORTCUTS, isNavigation, isTypingTarget, keyAction } from "./keyboard";

const body = { tagName: "BODY" };

describe("key mapping", () => {
  it("maps j and ArrowDown to the next item, k and ArrowUp to the previous one", () => {
    expect(keyAction({ key: "j", target: body })).toBe("next");
    expect(keyAction({ key: "ArrowDown", target: body })).toBe("next");
    expect(keyAction({ key: "k", target: body })).toBe("previous");
    expect(keyAction({ key: "ArrowUp", target: body })).toBe("previous");
  });

  it("maps p, f, n and s to the four outcomes", () => {
    expect(keyAction({ key: "p", target: body })).toBe("pass");
    expect(keyAction({ key: "f", target: body })).toBe("fail");
    expect(keyAction({ key: "n", target: body })).toBe("not_applicable");
    expect(keyAction({ key: "s", target: body })).toBe("skip");
  });

  it("maps Enter and a to the note box and ? to the shortcut list", () => {
    expect(keyAction({ key: "Enter", target: body })).toBe("note");
    expect(keyAction({ key: "a", target: body })).toBe("note");
    expect(keyAction({ key: "?", target: body })).toBe("shortcuts");
  });

  it("maps r to running the current item's probes, but not while typing, and lists it in the overlay", () => {
    expect(keyAction({ key: "r", target: body })).toBe("run_probes");
    expect(keyAction({ key: "r", target: { tagName: "INPUT", type: "text" } })).toBeNull();
    expect(keyAction({ key: "r", ctrlKey: true, target: body })).toBeNull();
    expect(SHORTCUTS.some((s) => s.keys === "r" && /probe/.test(s.action))).toBe(true);
  });

  it("ignores keys typed into text inputs, textareas, selects and editable content", () => {
    for (const target of [
      { tagName: "INPUT", type: "text" },
      { tagName: "INPUT" },
      { tagName: "TEXTAREA" },
      { tagName: "SELECT" },
      { tagName: "DIV", isContentEditable: true },
    ]) {
      expect(keyAction({ key: "p", target })).toBeNull();
      expect(keyAction({ key: "j", target })).toBeNull();
    }
  });

  it("turns Escape inside an input into leaving the input", () => {
    expect(keyAction({ key: "Escape", target: { tagName: "TEXTAREA" } })).toBe("leave_input");
  });

  it("still handles shortcut letters when a button has focus, but leaves Enter to the button", () => {
    expect(keyAction({ key: "p", target: { tagName: "BUTTON" } })).toBe("pass");
    expect(keyAction({ key: "Enter", target: { tagName: "BUTTON" } })).toBeNull();
  });

  it("leaves key combinations with Ctrl, Cmd or Alt to the system", () => {
    expect(keyAction({ key: "p", ctrlKey: true, target: body })).toBeNull();
    expect(keyAction({ key: "f", metaKey: true, target: body })).toBeNull();
    expect(keyAction({ key: "n", altKey: true, target: body })).toBeNull();
  });

  it("returns null for keys without a shortcut", () => {
    expect(keyAction({ key: "x", target: body })).toBeNull();
    expect(keyAction({ key: "P", target: body })).toBeNull();
  });

  it("does not count checkboxes and buttons as typing targets", () => {
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTypingTarget({ tagName: "input", type: "search" })).toBe(true);
    expect(isTypingTarget(null)).toBe(false);
  });

  it("tells the keys that only move the current item from the ones that act on it", () => {
    const moves: KeyAction[] = ["next", "previous", "next_section", "previous_section"];
    expect(moves.every(isNavigation)).toBe(true);
    expect(isNavigation("pass")).toBe(false);
    expect(isNavigation("shortcuts")).toBe(false);
  });
});
