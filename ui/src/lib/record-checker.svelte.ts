// One "check a record file" action's state (reading, last answer or refusal), shared by the run header's control
// and its result panel. The file is read here in the window (File.text()); only its text goes to the backend.
import { api, asApiError } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { RecordCheck } from "./bindings/RecordCheck";
import { recordSizeProblem } from "./record-check";

export class RecordChecker {
  busy = $state(false);
  fileName = $state<string | null>(null);
  result = $state<RecordCheck | null>(null);
  error = $state<ApiError | null>(null);

  /** Reads `file` and checks it against the log of `runId`; a file over the size limit is refused unread. */
  async check(runId: string, file: File): Promise<void> {
    if (this.busy) return;
    this.fileName = file.name;
    this.result = null;
    this.error = null;
    const problem = recordSizeProblem(file.size, file.name);
    if (problem) {
      this.error = { code: "record_too_large", message: problem };
      return;
    }
    this.busy = true;
    try {
      const text = await file.text();
      this.result = await api.checkRecord(runId, text);
    } catch (error) {
      this.error = asApiError(error);
    } finally {
      this.busy = false;
    }
  }

  dismiss() {
    this.result = null;
    this.error = null;
    this.fileName = null;
  }
}
