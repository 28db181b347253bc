import { describe, expect, it } from "vitest";
import type { PreflightProblem } from "./bindings/PreflightProblem";
import type { PreflightReport } from "./bindings/PreflightReport";
import { fixAction, groupProblems, summary } from "./preflight";

function problem(kind: PreflightProblem["kind"], item: string, target: PreflightProblem["target"]): PreflightProblem {
  return {
    kind,
    item_id: item,
    item_title: `Item ${item}`,
    line: 7,
    probe_kind: "http",
    message: "m",
    fix: "f",
    target,
  };
}

describe("preflight", () => {
  it("groups problems by kind in a fixed order, keeping the report's order inside a group", () => {
    const groups = groupProblems([
      problem("missing_credential", "a", { kind: "credential", name: "pg" }),
      problem("missing_variable", "b", { kind: "environment", name: "prod", variable: "api_base" }),
      problem("missing_credential", "c", { kind: "credential", name: "redis" }),
    ]);
    expect(groups.map((g) => g.kind)).toEqual(["missing_variable", "missing_credential"]);
    expect(groups[1].problems.map((p) => p.item_id)).toEqual(["a", "c"]);
    expect(groups[0].heading).toBe("Variables not defined in the environment");
  });

  it("sends each fix to the view where it is made, and offers no button for files or the network", () => {
    expect(fixAction({ kind: "credential", name: "pg" }, "t1")).toEqual({
      label: "Store pg",
      view: { name: "credentials", prefill: "pg" },
    });
    expect(fixAction({ kind: "environment", name: "prod", variable: "api_base" }, "t1")?.view).toEqual({
      name: "environments",
    });
    expect(fixAction({ kind: "approval", item_id: "i", line: 3 }, "t1")?.view).toEqual({ name: "template", id: "t1" });
    expect(fixAction({ kind: "file", path: "/k" }, "t1")).toBeNull();
    expect(fixAction({ kind: "network", host: "db" }, "t1")).toBeNull();
  });

  it("summarises with counts and plurals", () => {
    const report = { problems: [], probes_checked: 1 } as unknown as PreflightReport;
    expect(summary(report)).toBe("No problems in 1 probe");
    const two = { problems: [{}, {}], probes_checked: 12 } as unknown as PreflightReport;
    expect(summary(two)).toBe("2 problems in 12 probes");
  });
});
