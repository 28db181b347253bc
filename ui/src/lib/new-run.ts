// Validation of the new-run form and conversion of its values into the NewRun the backend expects.
import type { NewRun } from "./bindings/NewRun";
import { localInputToIso } from "./format";

export type NewRunForm = {
  templateId: string;
  releaseName: string;
  version: string;
  environment: string;
  /** Values of the datetime-local inputs ("" when empty). */
  windowStart: string;
  windowEnd: string;
};

export type NewRunErrors = Partial<Record<keyof NewRunForm, string>>;

export const ENVIRONMENT_SUGGESTIONS = ["staging", "production"];

/** Names offered for the environment field: the defined environments first, then the usual names not defined yet. */
export function environmentChoices(defined: string[]): string[] {
  return [...new Set([...defined, ...ENVIRONMENT_SUGGESTIONS])];
}

/** Checks the form; returns the NewRun to send, or the problems per field. */
export function validateNewRun(form: NewRunForm): { ok: true; value: NewRun } | { ok: false; errors: NewRunErrors } {
  const errors: NewRunErrors = {};
  if (!form.templateId) errors.templateId = "Choose a template.";
  if (!form.releaseName.trim()) errors.releaseName = "Give the release a name.";
  if (!form.version.trim()) errors.version = "Enter the version being released.";
  if (!form.environment.trim()) errors.environment = "Enter the target environment (e.g. production).";
  const start = form.windowStart ? localInputToIso(form.windowStart) : null;
  const end = form.windowEnd ? localInputToIso(form.windowEnd) : null;
  if (form.windowStart && !start) errors.windowStart = "Not a valid date and time.";
  if (form.windowEnd && !end) errors.windowEnd = "Not a valid date and time.";
  if (start && end && Date.parse(end) <= Date.parse(start)) errors.windowEnd = "The window must end after it starts.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      template_id: form.templateId,
      release_name: form.releaseName.trim(),
      version: form.version.trim(),
      environment: form.environment.trim(),
      window_start: start,
      window_end: end,
    },
  };
}
