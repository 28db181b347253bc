// Who is using Greenlight: the first-start question and Settings' "You" section share these rules. Pure.
import type { AppInfo } from "./bindings/AppInfo";
import type { Identity } from "./bindings/Identity";

/** The form as typed: every field free text. */
export type IdentityForm = { name: string; email: string; role: string };

/** The form filled from what the backend knows: the saved identity, else the OS login name as the name. */
export function identityForm(info: Pick<AppInfo, "actor" | "identity"> | null): IdentityForm {
  const identity = info?.identity;
  if (identity) return { name: identity.name, email: identity.email ?? "", role: identity.role ?? "" };
  return { name: info?.actor.trim() ?? "", email: "", role: "" };
}

/** True when the window must ask who is using it (the backend answered and no identity was given yet). */
export function needsIdentity(info: Pick<AppInfo, "identity"> | null): boolean {
  return info !== null && info.identity === null;
}

/** What is wrong with the form, field by field (empty when it can be saved). */
export type IdentityProblems = { name?: string; email?: string };

/** The backend's limit on each part (one line of at most 200 characters). */
export const MAX_IDENTITY_CHARS = 200;

/** Checks the form before it is sent: a name is required; an email, when given, must look like one. */
export function identityProblems(form: IdentityForm): IdentityProblems {
  const problems: IdentityProblems = {};
  if (!form.name.trim()) problems.name = "Type your name: every change and record signature carries it.";
  else if ([...form.name.trim()].length > MAX_IDENTITY_CHARS)
    problems.name = `At most ${MAX_IDENTITY_CHARS} characters.`;
  const email = form.email.trim();
  if (email && (!email.includes("@") || /[<>\s]/.test(email)))
    problems.email = "That does not look like an email address (name@example.com).";
  else if ([...email].length > MAX_IDENTITY_CHARS) problems.email = `At most ${MAX_IDENTITY_CHARS} characters.`;
  return problems;
}

/** The identity to send: trimmed, empty optional fields as null; null when the form has a problem. */
export function toIdentity(form: IdentityForm): Identity | null {
  if (Object.keys(identityProblems(form)).length > 0) return null;
  const optional = (value: string) => value.trim() || null;
  return { name: form.name.trim(), email: optional(form.email), role: optional(form.role) };
}

/** "Ann Lee <ann@example.com>", as changes are recorded. */
export function actorText(identity: Identity): string {
  return identity.email ? `${identity.name} <${identity.email}>` : identity.name;
}
