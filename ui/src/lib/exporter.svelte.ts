// One export action's state (in progress, last result) shared by the run header and the template views.
import { api } from "./api";
import type { ExportResult } from "./bindings/ExportResult";
import { status } from "./status.svelte";

export class Exporter {
  busy = $state(false);
  result = $state<ExportResult | null>(null);

  /** Runs an export; errors go to the banner and leave no result. */
  async run(operation: () => Promise<ExportResult>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.result = null;
    const result = await status.load(operation);
    this.busy = false;
    if (!result) return false;
    this.result = result;
    return true;
  }

  /** Opens a file or folder of the export with the OS default app. */
  async open(path: string): Promise<void> {
    await status.load(() => api.openExport(path));
  }

  dismiss() {
    this.result = null;
  }
}
