// Editing an environment's variables as key/value rows, and checking names before they are saved.
import type { Environment } from "./bindings/Environment";

/** One editable variable row. */
export type VariableRow = { key: string; value: string };

/** Environment and variable names: letters, digits, `-`, `_` and `.` (at most 64), as the backend requires. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why a name cannot be used, or null. */
export function nameProblem(name: string, what = "Name"): string | null {
  const trimmed = name.trim();
  if (!trimmed) return `${what} is required.`;
  if (trimmed.length > 64) return `${what} is longer than 64 characters.`;
  if (!NAME_PATTERN.test(trimmed)) return `${what} may only use letters, digits, "-", "_" and ".".`;
  return null;
}

/** The variables as rows sorted by name (plus one empty row to type into when there are none). */
export function rowsFromVariables(variables: Environment["variables"]): VariableRow[] {
  const rows = Object.entries(variables)
    .map(([key, value]) => ({ key, value: value ?? "" }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return rows.length > 0 ? rows : [{ key: "", value: "" }];
}

export function addRow(rows: VariableRow[]): VariableRow[] {
  return [...rows, { key: "", value: "" }];
}

export function removeRow(rows: VariableRow[], index: number): VariableRow[] {
  return rows.filter((_, i) => i !== index);
}

export function updateRow(rows: VariableRow[], index: number, patch: Partial<VariableRow>): VariableRow[] {
  return rows.map((row, i) => (i === index ? { ...row, ...patch } : row));
}

/** A blank row (no name, no value) is ignored when saving. */
function isBlank(row: VariableRow): boolean {
  return row.key.trim() === "" && row.value.trim() === "";
}

/**
 * Checks the environment name and rows; returns the Environment to save, or a problem per row index (and for the name).
 * Names are trimmed; a name used twice is refused on its second row.
 */
export function validateEnvironment(
  name: string,
  rows: VariableRow[],
): { ok: true; value: Environment } | { ok: false; nameError: string | null; rowErrors: Record<number, string> } {
  const nameError = nameProblem(name, "The environment name");
  const rowErrors: Record<number, string> = {};
  const variables: Record<string, string> = {};
  rows.forEach((row, index) => {
    if (isBlank(row)) return;
    const key = row.key.trim();
    const problem = nameProblem(key, "The variable name");
    if (problem) rowErrors[index] = problem;
    else if (key in variables) rowErrors[index] = `"${key}" is already set above.`;
    else variables[key] = row.value;
  });
  if (nameError || Object.keys(rowErrors).length > 0) return { ok: false, nameError, rowErrors };
  return { ok: true, value: { name: name.trim(), variables } };
}
