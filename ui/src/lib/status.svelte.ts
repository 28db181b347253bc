// App-wide save status and error banner: every mutation goes through `track` so "Saved" only shows after the backend answered.
import { asApiError } from "./api";
import type { ApiError } from "./bindings/ApiError";

class Status {
  /** Mutations in flight. */
  pending = $state(0);
  /** When the last mutation was confirmed by the backend. */
  savedAt = $state<Date | null>(null);
  /** The error shown in the banner, if any. */
  error = $state<ApiError | null>(null);

  /** Runs a mutation; on success marks "Saved", on failure shows the banner and returns undefined. */
  async track<T>(operation: () => Promise<T>): Promise<T | undefined> {
    this.pending++;
    try {
      const result = await operation();
      this.savedAt = new Date();
      this.error = null;
      return result;
    } catch (error) {
      this.error = asApiError(error);
      return undefined;
    } finally {
      this.pending--;
    }
  }

  /** Runs a read; on failure shows the banner and returns undefined. */
  async load<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      this.error = asApiError(error);
      return undefined;
    }
  }

  /** Records a confirmed save made outside `track` (e.g. when the caller shows its own error). */
  markSaved() {
    this.savedAt = new Date();
  }

  showError(error: unknown) {
    this.error = asApiError(error);
  }

  dismiss() {
    this.error = null;
  }
}

export const status = new Status();
