// Keyboard shortcuts of the run walkthrough: maps a key press to an action, ignoring keys typed into inputs.

export type KeyAction =
  | "next"
  | "previous"
  | "pass"
  | "fail"
  | "not_applicable"
  | "skip"
  | "note"
  | "next_section"
  | "previous_section"
  | "run_probes"
  | "shortcuts"
  | "find"
  | "leave_input";

/** The actions that only move the current item. */
export type NavigationAction = "next" | "previous" | "next_section" | "previous_section";

const NAVIGATION: ReadonlySet<KeyAction> = new Set<NavigationAction>([
  "next",
  "previous",
  "next_section",
  "previous_section",
]);

/** The actions aimed at the current item (pass, fail, note, …). */
export type ItemAction = Exclude<KeyAction, NavigationAction | "shortcuts" | "find" | "leave_input">;

/** True for an action that only moves the current item (see `navigationTarget` in walkthrough.ts). */
export function isNavigation(action: KeyAction): action is NavigationAction {
  return NAVIGATION.has(action);
}

/** What the key press happened on, reduced to what the mapping needs (testable without a DOM). */
export type KeyTarget = {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
};

export type KeyPress = {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: KeyTarget | null;
};

const NON_TEXT_INPUT_TYPES = new Set(["button", "submit", "reset", "checkbox", "radio", "range", "color", "file"]);

/** True when the target takes typed text (text inputs, textareas, selects, contenteditable). */
export function isTypingTarget(target: KeyTarget | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? "").toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !NON_TEXT_INPUT_TYPES.has((target.type ?? "text").toLowerCase());
  return false;
}

/** True when Enter/Space already activate the target natively (buttons, links, summaries). */
function activatesOnEnter(target: KeyTarget | null | undefined): boolean {
  const tag = (target?.tagName ?? "").toUpperCase();
  return tag === "BUTTON" || tag === "A" || tag === "SUMMARY" || tag === "INPUT";
}

const KEYMAP: Record<string, KeyAction> = {
  j: "next",
  ArrowDown: "next",
  k: "previous",
  ArrowUp: "previous",
  p: "pass",
  f: "fail",
  n: "not_applicable",
  s: "skip",
  a: "note",
  Enter: "note",
  "]": "next_section",
  "[": "previous_section",
  r: "run_probes",
  "?": "shortcuts",
  "/": "find",
};

/** The walkthrough action for a key press, or null when the key should behave normally. */
export function keyAction(press: KeyPress): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (isTypingTarget(press.target)) {
    return press.key === "Escape" ? "leave_input" : null;
  }
  if (press.key === "Enter" && activatesOnEnter(press.target)) return null;
  return KEYMAP[press.key] ?? null;
}

/** The shortcut list shown in the "?" overlay. */
export const SHORTCUTS: { keys: string; action: string }[] = [
  { keys: "j / ↓", action: "Next item" },
  { keys: "k / ↑", action: "Previous item" },
  { keys: "p", action: "Mark current item Pass" },
  { keys: "f", action: "Mark current item Fail (asks for a note)" },
  { keys: "n", action: "Mark current item N/A" },
  { keys: "s", action: "Mark current item Skipped" },
  { keys: "Enter / a", action: "Write a note on the current item" },
  { keys: "] / [", action: "Next / previous section" },
  { keys: "r", action: "Run the current item's probes" },
  { keys: "/", action: "Find an item by its title (Enter: next match)" },
  { keys: "Esc", action: "Leave the input you are typing in" },
  { keys: "?", action: "Show or hide this list" },
];
