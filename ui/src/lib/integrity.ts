// Words for a run whose shown state differs from its audit log (verify_run's discrepancies) or whose log is broken,
// and for the database safeguards reported on open. Pure.
import type { ChainReport } from "./bindings/ChainReport";
import type { SchemaProblem } from "./bindings/SchemaProblem";
import { plural } from "./format";

/** How many discrepancies a banner lists before "and N more". */
export const DISCREPANCIES_SHOWN = 5;

/** The first `max` discrepancy messages and, when there are more, "and N more". */
export function discrepancyLines(
  report: Pick<ChainReport, "discrepancies">,
  max: number = DISCREPANCIES_SHOWN,
): { shown: string[]; more: string | null } {
  const all = report.discrepancies.map((d) => d.message);
  const rest = all.length - max;
  return { shown: all.slice(0, max), more: rest > 0 ? `and ${rest} more` : null };
}

/** What went wrong, in one line, for a report that is not intact; null when it is. */
export function integrityHeadline(report: ChainReport): string | null {
  if (report.intact) return null;
  if (report.discrepancies.length > 0) return "This run's data differs from its audit log";
  const at = report.first_bad_position !== null ? ` at event ${report.first_bad_position}` : "";
  return `This run's audit log is broken${at}`;
}

/** A one-line count for the collapsed banner: "1 difference" / "7 differences". */
export function integrityCount(report: ChainReport): string {
  return report.discrepancies.length > 0 ? plural(report.discrepancies.length, "difference") : "";
}

/** The banner's explanation of the safeguards reported missing or altered. */
export function schemaProblemsHeadline(problems: SchemaProblem[]): string {
  const what =
    problems.length === 1 ? "a safeguard of the audit log is" : `${problems.length} safeguards of the audit log are`;
  return `The database was changed outside Greenlight: ${what} missing or altered, so the audit log could be edited without Greenlight noticing at once.`;
}
