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

/**
 * jsdom lays nothing out (every size is 0): gives the run's virtualised list a viewport tall enough to render every
 * row, as a very tall window would, so the tests can reach any item.
 */
export function giveTheRunListATallViewport() {
  const proto = HTMLElement.prototype;
  const base = Object.getOwnPropertyDescriptor(proto, "offsetHeight");
  if (!base?.get || (base.get as { tall?: boolean }).tall) return;
  const get = function (this: HTMLElement) {
    return this.dataset?.testid === "run-list" ? 1_000_000 : (base.get!.call(this) as number);
  };
  Object.assign(get, { tall: true });
  Object.defineProperty(proto, "offsetHeight", { configurable: true, get });
}

/** Mounts the whole app into an otherwise empty document body and lets it load; returns it for `unmount`. */
export async function mountApp(): Promise<Record<string, unknown>> {
  giveTheRunListATallViewport();
  const { default: App } = await import("../App.svelte");
  document.body.replaceChildren();
  const target = document.createElement("div");
  document.body.append(target);
  const app = mount(App, { target });
  await settle();
  return app;
}

/** Types `value` into a text field, as the user would (one input event). */
export function type(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

/** Chooses `file` in a file input, as the system file picker would. */
export function choose(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Waits until `done()` holds (up to 40 turns of `pauseMs` each), letting the fake backend's promises settle. */
export async function until(done: () => boolean, what: string, pauseMs = 10): Promise<void> {
  for (let i = 0; i < 40 && !done(); i++) {
    await new Promise((r) => setTimeout(r, pauseMs));
    await settle();
  }
  if (!done()) throw new Error(`never: ${what}`);
}

/** jsdom's Blob may lack arrayBuffer() (the webview's has it): read it through jsdom's FileReader instead. */
export function readBlobsThroughFileReader() {
  Blob.prototype.arrayBuffer ??= function (this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}

/** The router and the status banner are module singletons: mounts the app on the run list with no error shown. */
export async function mountAppOnRunList(): Promise<Record<string, unknown>> {
  (await import("./router.svelte")).router.go({ name: "runs" });
  (await import("./status.svelte")).status.dismiss();
  return mountApp();
}

/** Opens the run header's "More" menu (verify, check a record file, audit log, abandon, archive) unless it is open. */
export async function openRunMenu() {
  const menu = q('[data-testid="run-menu"]');
  if (!menu || menu.getAttribute("aria-expanded") === "true") return;
  menu.click();
  await settle();
}
