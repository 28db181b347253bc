// App information (version, folders, who is acting) shared by the shell and Settings.
import { api, asApiError } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { Identity } from "./bindings/Identity";
import type { PaperSize } from "./bindings/PaperSize";
import { status } from "./status.svelte";

class Session {
  info = $state<AppInfo | null>(null);

  async load() {
    const info = await status.load(() => api.appInfo());
    if (info) this.info = info;
  }

  /** Saves the name recorded on every change; true when the backend confirmed it. */
  async setActor(name: string): Promise<boolean> {
    const info = await status.track(() => api.setActor(name));
    if (info) this.info = info;
    return info !== undefined;
  }

  /** Saves who is using Greenlight; null when the backend confirmed it, else its refusal (shown by the caller). */
  async setIdentity(identity: Identity): Promise<ApiError | null> {
    status.pending++;
    try {
      this.info = await api.setIdentity(identity);
      status.markSaved();
      return null;
    } catch (error) {
      return asApiError(error);
    } finally {
      status.pending--;
    }
  }

  /** Saves where exports go and their paper size; true when the backend confirmed it. */
  async setExportSettings(folder: string, paper: PaperSize): Promise<boolean> {
    const info = await status.track(() => api.setExportSettings(folder, paper));
    if (info) this.info = info;
    return info !== undefined;
  }
}

export const session = new Session();
