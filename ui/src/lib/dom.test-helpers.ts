// DOM helpers shared by the smoke tests that mount the whole app in jsdom against a fake backend.
import { flushSync, mount, tick } from "svelte";

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

/** Mounts the whole app into an otherwise empty document body and lets it load; returns it for `unmount`. */
export async function mountApp(): Promise<Record<string, unknown>> {
  const { default: App } = await import("../App.svelte");
  document.body.replaceChildren();
  const target = document.createElement("div");
  document.body.append(target);
  const app = mount(App, { target });
  await settle();
  return app;
}
