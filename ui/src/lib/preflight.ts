// Preflight's words and navigation, pure (the panel only renders them): problems grouped by
// kind in a fixed order with a heading each, and for each problem the button that goes to its fix.
import type { FixTarget } from "./bindings/FixTarget";
import type { PreflightProblem } from "./bindings/PreflightProblem";
import type { PreflightReport } from "./bindings/PreflightReport";
import type { ProblemKind } from "./bindings/ProblemKind";
import type { View } from "./router.svelte";

/** Headings, in the order the groups are shown (what blocks a probe first). */
export const PROBLEM_HEADINGS: Record<ProblemKind, string> = {
  invalid_block: "Probe blocks that are not valid",
  missing_variable: "Variables not defined in the environment",
  keychain_locked: "The keychain is locked",
  keychain_unavailable: "No keychain",
  missing_credential: "Credentials not in the keychain",
  command_not_approved: "Commands not approved",
  file_problem: "Certificate and key files",
  key_permissions: "Key files others may read",
  certificate_expired: "Expired certificates",
  target_unreachable: "Targets that did not answer",
};

const ORDER = Object.keys(PROBLEM_HEADINGS) as ProblemKind[];

export type ProblemGroup = { kind: ProblemKind; heading: string; problems: PreflightProblem[] };

/** The problems grouped by kind, groups in `PROBLEM_HEADINGS` order, problems in report order. */
export function groupProblems(problems: PreflightProblem[]): ProblemGroup[] {
  return ORDER.map((kind) => ({
    kind,
    heading: PROBLEM_HEADINGS[kind],
    problems: problems.filter((p) => p.kind === kind),
  })).filter((g) => g.problems.length > 0);
}

/** "No problems in 12 probes" or "3 problems in 12 probes". */
export function summary(report: PreflightReport): string {
  const n = report.problems.length;
  const probes = `${report.probes_checked} probe${report.probes_checked === 1 ? "" : "s"}`;
  if (n === 0) return `No problems in ${probes}`;
  return `${n} problem${n === 1 ? "" : "s"} in ${probes}`;
}

export type FixAction = { label: string; view: View };

/** The button for a problem's fix, or null when the fix is outside Greenlight (a file, the network). */
export function fixAction(target: FixTarget, templateId: string): FixAction | null {
  switch (target.kind) {
    case "environment":
      return { label: `Define ${target.variable}`, view: { name: "environments" } };
    case "credential":
      return { label: `Store ${target.name}`, view: { name: "credentials", prefill: target.name } };
    case "keychain":
      return { label: "Keychain status", view: { name: "credentials" } };
    case "approval":
      return { label: "Review and approve", view: { name: "template", id: templateId } };
    case "block":
      return { label: "Open the template", view: { name: "template", id: templateId } };
    default:
      return null;
  }
}
