// State and actions of one open run: the pinned template, the latest RunState from the backend, and the current item.
import { SvelteMap } from "svelte/reactivity";
import { api } from "./api";
import type { GateDecisionInput } from "./bindings/GateDecisionInput";
import type { ItemState } from "./bindings/ItemState";
import type { RunDetail } from "./bindings/RunDetail";
import type { RunState } from "./bindings/RunState";
import type { RunSummary } from "./bindings/RunSummary";
import type { SignatureInput } from "./bindings/SignatureInput";
import type { Template } from "./bindings/Template";
import { decisionsInForce, overriddenSectionIds, overridesInForce } from "./gates";
import { ProbeRunner } from "./probe-runner.svelte";
import { latestBySlot } from "./signature";
import { status } from "./status.svelte";
import { type OrderedItem, entryMap, flattenItems, itemState, nextPendingId, notesFor } from "./walkthrough";

export class RunController {
  run: RunSummary;
  template: Template;
  state = $state.raw<RunState>() as RunState;
  currentId = $state<string | null>(null);
  /** The item whose fail-note box is open. */
  failOpenFor = $state<string | null>(null);
  /** Text the open fail-note box starts with (a failed probe's summary); a new object each time the box is opened. */
  failDraft = $state<{ itemId: string; note: string } | null>(null);
  /**
   * Outcomes shown before the backend acknowledged them (item id → state and the mark that set it). The row shows
   * them at once, marked unsaved; the acknowledgment replaces them (and "Saved" appears), a refusal takes them back.
   */
  unsaved = new SvelteMap<string, { state: ItemState; mark: number }>();
  private marks = 0;

  /** The item whose note box is open (opened with `a` or its ✎ button; the box is created only then). */
  noteOpenFor = $state<string | null>(null);
  /** The signature being drawn: a template slot (its role fixed) or an added signature (slotId null). */
  signing = $state<SigningTarget | null>(null);

  /** Probe blocks, approvals and probe runs of this run. */
  probes: ProbeRunner;

  /** Items in walkthrough order (the pinned template never changes). */
  order: OrderedItem[];
  entries = $derived(entryMap(this.state.entries));
  readOnly = $derived(this.state.status !== "active");
  /** Newest signature per slot id. */
  signatureBySlot = $derived(latestBySlot(this.state.signatures));
  /** The decision in force per gate id. */
  decisions = $derived(decisionsInForce(this.state.gate_decisions));
  /** Sections holding a gate decided by override, and the overrides in template order. */
  overriddenSections = $derived.by(() => overriddenSectionIds(this.template.sections, this.decisions));
  overrides = $derived.by(() => overridesInForce(this.template.sections, this.decisions));

  constructor(detail: RunDetail) {
    this.run = detail.run;
    this.template = detail.template;
    this.order = flattenItems(detail.template);
    this.state = detail.state;
    this.probes = new ProbeRunner(this);
    this.currentId = nextPendingId(this.order, this.entries, null) ?? this.order[0]?.item.id ?? null;
  }

  stateOf(itemId: string): ItemState {
    return this.unsaved.get(itemId)?.state ?? itemState(this.entries, itemId);
  }

  /** True while an outcome shown for this item waits for the backend's acknowledgment. */
  isUnsaved(itemId: string): boolean {
    return this.unsaved.has(itemId);
  }

  notesOf(elementId: string | null) {
    return notesFor(this.state.notes, elementId);
  }

  /** Opens the fail-note box of an item, prefilled with `note` (e.g. the summary of a failed probe). */
  openFail(itemId: string, note = "") {
    this.currentId = itemId;
    this.failOpenFor = itemId;
    this.failDraft = { itemId, note };
  }

  /** Opens the note box of an item and makes it the current item. */
  openNote(itemId: string) {
    this.currentId = itemId;
    this.noteOpenFor = itemId;
  }

  private accept(next: RunState | undefined): boolean {
    if (!next) return false;
    this.state = next;
    return true;
  }

  /**
   * Records an outcome. The row shows it and the current item moves to the next pending one at once (the screen
   * does not wait for the disk); the backend's answer then replaces it, or, when it refuses, the outcome and the
   * current item are taken back and the error is shown.
   */
  async mark(itemId: string, state: ItemState, note: string | null = null): Promise<boolean> {
    const mark = ++this.marks;
    const currentBefore = this.currentId;
    this.unsaved.set(itemId, { state, mark });
    const advancedTo = nextPendingId(this.order, (id) => this.stateOf(id), itemId) ?? itemId;
    this.currentId = advancedTo;
    const ok = this.accept(await status.track(() => api.setItemState(this.run.id, itemId, state, note)));
    if (this.unsaved.get(itemId)?.mark === mark) this.unsaved.delete(itemId);
    if (ok && this.failOpenFor === itemId) this.failOpenFor = null;
    if (!ok && this.currentId === advancedTo) this.currentId = currentBefore;
    return ok;
  }

  async setValue(elementId: string, value: string): Promise<boolean> {
    return this.accept(await status.track(() => api.setValue(this.run.id, elementId, value)));
  }

  async addNote(elementId: string | null, body: string): Promise<boolean> {
    const ok = this.accept(await status.track(() => api.addNote(this.run.id, elementId, body)));
    if (ok && elementId !== null && this.noteOpenFor === elementId) this.noteOpenFor = null;
    return ok;
  }

  async complete(): Promise<boolean> {
    return this.accept(await status.track(() => api.completeRun(this.run.id)));
  }

  async abandon(): Promise<boolean> {
    return this.accept(await status.track(() => api.abandonRun(this.run.id)));
  }

  async archive(): Promise<boolean> {
    return this.accept(await status.track(() => api.archiveRun(this.run.id)));
  }

  async sign(input: SignatureInput): Promise<boolean> {
    return this.accept(await status.track(() => api.sign(this.run.id, input)));
  }

  async decideGate(input: GateDecisionInput): Promise<boolean> {
    return this.accept(await status.track(() => api.decideGate(this.run.id, input)));
  }

  async setRetention(until: string): Promise<boolean> {
    return this.accept(await status.track(() => api.setRetention(this.run.id, until)));
  }

  /** Deletes the run (the backend refuses before its retention date); true when it is gone. */
  async deleteRun(): Promise<boolean> {
    return (await status.track(() => api.deleteRun(this.run.id).then(() => true))) === true;
  }
}

/** What the signature pad is signing. */
export type SigningTarget = { slotId: string | null; role: string | null };
