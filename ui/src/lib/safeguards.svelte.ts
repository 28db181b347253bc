// The audit log's safeguards (append-only triggers), checked once after startup; restored only after the user agreed.
import { api } from "./api";
import type { SchemaProblem } from "./bindings/SchemaProblem";
import { status } from "./status.svelte";

class Safeguards {
  /** What is missing or altered; empty when all is well (or not yet checked). */
  problems = $state<SchemaProblem[]>([]);
  restoring = $state(false);

  async check(): Promise<void> {
    this.problems = (await status.load(() => api.schemaProblems())) ?? [];
  }

  /** Restores the safeguards (the caller asked for consent first), then checks again: the banner shows what is left. */
  async restore(): Promise<void> {
    if (this.restoring) return;
    this.restoring = true;
    const restored = await status.track(() => api.restoreSchema());
    if (restored) await this.check();
    this.restoring = false;
  }
}

export const safeguards = new Safeguards();
