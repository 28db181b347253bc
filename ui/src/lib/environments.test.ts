// Tests of environment variable row editing and validation, and of the credential form rules.
import { describe, expect, it } from "vitest";
import type { Environment } from "./bindings/Environment";
import { emptyCredentialForm, environmentsUsing, isKeychainError, validateCredential } from "./credentials";
import { addRow, removeRow, rowsFromVariables, updateRow, validateEnvironment } from "./environments";

describe("environment variable rows", () => {
  it("lists variables sorted by name, with one empty row when there are none", () => {
    expect(rowsFromVariables({ db_host: "db", api_base: "https://x" })).toEqual([
      { key: "api_base", value: "https://x" },
      { key: "db_host", value: "db" },
    ]);
    expect(rowsFromVariables({})).toEqual([{ key: "", value: "" }]);
  });

  it("adds, edits and removes rows without touching the others", () => {
    let rows = rowsFromVariables({ a: "1" });
    rows = addRow(rows);
    rows = updateRow(rows, 1, { key: "b" });
    rows = updateRow(rows, 1, { value: "2" });
    expect(rows).toEqual([
      { key: "a", value: "1" },
      { key: "b", value: "2" },
    ]);
    expect(removeRow(rows, 0)).toEqual([{ key: "b", value: "2" }]);
  });

  it("saves trimmed names and ignores blank rows", () => {
    const result = validateEnvironment(" production ", [
      { key: " api_base ", value: "https://api.example.com" },
      { key: "", value: "" },
    ]);
    expect(result).toEqual({
      ok: true,
      value: { name: "production", variables: { api_base: "https://api.example.com" } },
    });
  });

  it("refuses names with other characters, a missing name and duplicates, per row", () => {
    const result = validateEnvironment("prod env", [
      { key: "api base", value: "x" },
      { key: "db.host", value: "a" },
      { key: "db.host", value: "b" },
      { key: "", value: "orphan" },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.nameError).toMatch(/letters, digits/);
      expect(Object.keys(result.rowErrors)).toEqual(["0", "2", "3"]);
      expect(result.rowErrors[2]).toMatch(/already/);
      expect(result.rowErrors[3]).toMatch(/required/);
    }
  });
});

describe("credential form", () => {
  it("needs a secret and, for user and password, the user name", () => {
    const result = validateCredential({ ...emptyCredentialForm("db-admin"), kind: "user_password" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(["secret", "username"]);
  });

  it("refuses a name the keychain reference cannot use", () => {
    const result = validateCredential({ ...emptyCredentialForm("api token"), secret: "s" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.name).toBeDefined();
  });

  it("sends the username only for user and password credentials and keeps the secret as typed", () => {
    expect(validateCredential({ name: " api-token ", kind: "token", username: "ignored", secret: " s3 " })).toEqual({
      ok: true,
      value: { name: "api-token", kind: "token", username: null, secret: " s3 " },
    });
    expect(validateCredential({ name: "db", kind: "user_password", username: " ops ", secret: "pw" })).toEqual({
      ok: true,
      value: { name: "db", kind: "user_password", username: "ops", secret: "pw" },
    });
  });

  it("recognises keychain errors by their code", () => {
    expect(isKeychainError("keychain_unavailable")).toBe(true);
    expect(isKeychainError("invalid_input")).toBe(false);
  });
});

describe("which environments use a credential", () => {
  it("lists the environments whose variables name the credential", () => {
    const envs: Environment[] = [
      { name: "production", variables: { db_credential: "prod-db", api_base: "https://api" } },
      { name: "staging", variables: { db_credential: "staging-db" } },
      { name: "dr", variables: { db_credential: "prod-db" } },
    ];
    expect(environmentsUsing("prod-db", envs)).toEqual(["production", "dr"]);
    expect(environmentsUsing("staging-db", envs)).toEqual(["staging"]);
    expect(environmentsUsing("api", envs)).toEqual([]);
  });
});
