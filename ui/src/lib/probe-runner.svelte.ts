// Probes of one open run: the declared probe blocks, approvals, one probe run at a time with live progress from events.
import { api, asApiError, onProbeResult } from "./api";
import type { ItemProbe } from "./bindings/ItemProbe";
import type { ProbeEvidence } from "./bindings/ProbeEvidence";
import { plural } from "./format";
import {
  type ProbeProgress,
  evidenceByItem,
  itemsStillRunning,
  mergeEvidence,
  planProbes,
  probesByItem,
  recordResult,
  runnableItems,
  startProgress,
} from "./probes";
import type { RunController } from "./run-controller.svelte";
import { status } from "./status.svelte";

/** No item is waiting for results (outside a probe run). */
const NOTHING_RUNNING: ReadonlySet<string> = new Set();

export class ProbeRunner {
  private ctl: RunController;
  /** Every probe block of the run's template (from the stored template, with approval state). */
  probes = $state.raw<ItemProbe[]>([]);
  loadError = $state<string | null>(null);
  /** Progress of the current probe run, or of the last one until dismissed. */
  progress = $state.raw<ProbeProgress | null>(null);
  running = $state(false);
  cancelling = $state(false);
  /** Why the last request to run probes ran fewer items than asked (or none). */
  notice = $state<string | null>(null);
  /** Results that arrived as events during a run, before the run's final state. */
  private live = $state.raw<ProbeEvidence[]>([]);

  byItem = $derived(probesByItem(this.probes));
  /** Each item's results, newest first. */
  history = $derived.by(() => evidenceByItem(mergeEvidence(this.ctl.state.evidence, this.live)));
  /** Items whose results are still outstanding in the current run. */
  stillRunning = $derived.by(() =>
    this.running && this.progress ? itemsStillRunning(this.progress) : NOTHING_RUNNING,
  );

  constructor(ctl: RunController) {
    this.ctl = ctl;
  }

  async load() {
    try {
      this.probes = await api.templateProbes(this.ctl.run.template_id);
      this.loadError = null;
    } catch (error) {
      this.loadError = asApiError(error).message;
    }
  }

  has(itemId: string): boolean {
    return (this.byItem.get(itemId)?.length ?? 0) > 0;
  }

  /** Approves a command probe exactly as the stored template states it. */
  async approve(itemId: string, line: number): Promise<boolean> {
    const list = await status.track(() => api.approveCommand(this.ctl.run.template_id, itemId, line));
    if (list) this.probes = list;
    return !!list;
  }

  /** Runs the probes of these items (those waiting for a command approval are held back); resolves when all finished. */
  async run(itemIds: string[]): Promise<void> {
    if (this.running || this.ctl.readOnly) return;
    const { ready, awaitingApproval } = runnableItems(itemIds, this.byItem);
    this.notice =
      awaitingApproval > 0
        ? `${plural(awaitingApproval, "item")} not run: approve the command first.`
        : ready.length === 0
          ? "No probes to run here."
          : null;
    if (ready.length === 0) return;

    const before = this.ctl.state.evidence.reduce((max, e) => Math.max(max, e.id), 0);
    this.progress = startProgress(planProbes(ready, this.byItem));
    this.running = true;
    this.cancelling = false;
    let unlisten: (() => void) | null = null;
    try {
      unlisten = await onProbeResult((evidence) => this.receive(evidence));
    } catch {
      // Without events the results still arrive with the final state.
    }
    try {
      const next = await api.runProbes(this.ctl.run.id, ready);
      this.ctl.state = next;
      for (const evidence of next.evidence)
        if (evidence.id > before && this.progress) this.progress = recordResult(this.progress, evidence);
      status.markSaved();
    } catch (error) {
      status.showError(error);
    } finally {
      unlisten?.();
      // `cancelling` stays set so the finished bar can say the run was cancelled.
      this.running = false;
    }
  }

  private receive(evidence: ProbeEvidence) {
    if (!this.running || !this.progress || evidence.run_id !== this.ctl.run.id) return;
    const next = recordResult(this.progress, evidence);
    if (next === this.progress) return;
    this.progress = next;
    this.live = [...this.live, evidence];
  }

  async cancel() {
    if (!this.running) return;
    this.cancelling = true;
    await status.load(() => api.cancelProbes(this.ctl.run.id));
  }

  /** Stops one item's probes; the rest of the run goes on. */
  async cancelItem(itemId: string) {
    if (!this.running) return;
    await status.load(() => api.cancelItemProbes(this.ctl.run.id, itemId));
  }

  dismiss() {
    if (this.running) return;
    this.progress = null;
    this.notice = null;
  }
}
