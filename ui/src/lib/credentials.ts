// Credential form: labels of the kinds and validation before the secret is handed to the backend (and the OS keychain).
import type { CredentialInput } from "./bindings/CredentialInput";
import type { CredentialKind } from "./bindings/CredentialKind";
import type { Environment } from "./bindings/Environment";
import { nameProblem } from "./environments";

export const CREDENTIAL_KINDS: { kind: CredentialKind; label: string }[] = [
  { kind: "token", label: "Token" },
  { kind: "password", label: "Password" },
  { kind: "user_password", label: "User name and password" },
];

export function kindLabel(kind: CredentialKind): string {
  return CREDENTIAL_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export type CredentialForm = { name: string; kind: CredentialKind; username: string; secret: string };

export type CredentialErrors = Partial<Record<"name" | "username" | "secret", string>>;

export function emptyCredentialForm(name = ""): CredentialForm {
  return { name, kind: "token", username: "", secret: "" };
}

/** Checks the form; returns the input to send (username only for user_password), or the problems per field. */
export function validateCredential(
  form: CredentialForm,
): { ok: true; value: CredentialInput } | { ok: false; errors: CredentialErrors } {
  const errors: CredentialErrors = {};
  const name = nameProblem(form.name, "The name");
  if (name) errors.name = name;
  const username = form.username.trim();
  if (form.kind === "user_password" && !username)
    errors.username = "A user name and password credential needs the user name.";
  if (form.secret === "") errors.secret = form.kind === "token" ? "Enter the token." : "Enter the password.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name: form.name.trim(),
      kind: form.kind,
      username: form.kind === "user_password" ? username : null,
      secret: form.secret,
    },
  };
}

/** True for errors about the OS keychain itself (locked, missing, timed out), shown with their how-to message. */
export function isKeychainError(code: string): boolean {
  return code.startsWith("keychain_");
}

/**
 * Environments that select a credential: a probe can name its credential through a variable
 * (`credential = "{{db_credential}}"`), so an environment uses a credential when one of its
 * variables has the credential's name as its value.
 */
export function environmentsUsing(name: string, environments: Environment[]): string[] {
  return environments
    .filter((env) => Object.values(env.variables).some((value) => value === name))
    .map((env) => env.name);
}
