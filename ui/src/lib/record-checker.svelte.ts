// One "Check a record file…" action's state (reading, last answer or refusal), shared by the control that picks the
// file and the panel that shows the answer. The file (a record PDF or its JSON) is read here in the window and sent
// as base64 to verify_record_file, which checks it on its own and against this computer's log when it holds the run.
import { api, asApiError } from "./api";
import { bytesToBase64 } from "./base64";
import type { ApiError } from "./bindings/ApiError";
import type { RecordVerification } from "./bindings/RecordVerification";
import { recordSizeProblem } from "./record-check";

export class RecordChecker {
  busy = $state(false);
  fileName = $state<string | null>(null);
  result = $state<RecordVerification | null>(null);
  error = $state<ApiError | null>(null);

  /** Reads `file` and verifies it; a file over the size limit is refused unread. */
  async check(file: File): Promise<void> {
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
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.result = await api.verifyRecordFile(bytesToBase64(bytes));
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
