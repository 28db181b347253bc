// DOM helpers shared by the smoke tests that mount the whole app in jsdom against a fake backend.
import { flushSync, tick } from "svelte";

/** Lets pending backend promises resolve and Svelte apply their effects (a few macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

/** The first element matching `selector`, or null. */
export const q = (selector: string) => document.querySelector<HTMLElement>(selector);
