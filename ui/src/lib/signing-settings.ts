// Checks for Settings → Record signing that run before anything is sent: the time-stamp authority URL (mirrors
// set_timestamp_authority in Rust: it must parse, be http(s) and carry no user name or password) and the company
// certificate file (a PKCS#12 .p12/.pfx read in the window and sent as base64 with its password).

/** What the company certificate chooser accepts. */
export const PKCS12_FILE_ACCEPT = ".p12,.pfx,application/x-pkcs12";

/** Example shown in the empty URL field and in the messages. */
export const TSA_URL_EXAMPLE = "https://tsa.example.com/tsr";

/** The URL as it is sent: trimmed, and null when empty (which clears the authority). */
export function normalizedTsaUrl(url: string | null | undefined): string | null {
  const trimmed = (url ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

/** Why `url` cannot be saved as the time-stamp authority, or null. An empty field is for Clear, not Save. */
export function tsaUrlProblem(url: string): string | null {
  const trimmed = normalizedTsaUrl(url);
  if (trimmed === null) return `Type the authority's URL, e.g. ${TSA_URL_EXAMPLE}, or use Clear to sign without one.`;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return `That is not a URL; write it as ${TSA_URL_EXAMPLE}.`;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return "A time-stamp authority is reached over http:// or https://.";
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return "A URL with a user name or password in it is not stored; use an authority that needs none.";
  }
  return null;
}

/** Why the chosen certificate file cannot be sent, or null when it can. */
export function pkcs12FileProblem(file: { name: string; size: number } | null): string | null {
  if (!file) return "Choose the company certificate file (.p12 or .pfx).";
  if (file.size === 0) return `${file.name} is empty; export the certificate with its private key again.`;
  return null;
}
