// Import helpers: size check and text encoding of templates before they are sent to the importer.
import { MAX_TEMPLATE_BYTES } from "./api";

/** A refusal message when `size` bytes is over the importer's limit, otherwise null. */
export function sizeProblem(size: number, name: string, limit: number = MAX_TEMPLATE_BYTES): string | null {
  if (size <= limit) return null;
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return `${name} is ${mb(size)} MB; templates can be at most ${mb(limit)} MB. Split it or trim it before importing.`;
}

/** UTF-8 bytes of pasted Markdown. */
export function encodeText(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Human label of a line disposition in the import report. */
export function dispositionLabel(disposition: string): string {
  switch (disposition) {
    case "kept_as_prose":
      return "kept as prose";
    case "kept_as_code":
      return "kept as code";
    case "ignored":
      return "ignored";
    default:
      return disposition;
  }
}
