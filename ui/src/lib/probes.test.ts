// Tests of the probe logic: runnable items, progress from repeated events, evidence history, proposals, formatting.
import { describe, expect, it } from "vitest";
import type { ItemProbe } from "./bindings/ItemProbe";
import type { ProbeOutcome } from "./bindings/ProbeOutcome";
import type { ProbeEvidence } from "./bindings/ProbeEvidence";
import {
  evidenceByItem,
  formatProbeDuration,
  probeDuration,
  itemsStillRunning,
  mergeEvidence,
  planProbes,
  probeBlock,
  probesByItem,
  progressCounts,
  progressLabel,
  proposeState,
  recordResult,
  runnableItems,
  startProgress,
  suggestionKey,
} from "./probes";

const probe = (item_id: string, line: number, patch: Partial<ItemProbe> = {}): ItemProbe => ({
  item_id,
  line,
  kind: "http",
  error: null,
  command_text: null,
  approved: false,
  ...patch,
});

const result = (
  id: number,
  element_id: string,
  outcome: ProbeOutcome,
  patch: Partial<ProbeEvidence> = {},
): ProbeEvidence => ({
  id,
  run_id: "r1",
  element_id,
  probe_line: 10,
  kind: "http",
  outcome,
  summary: `${outcome} #${id}`,
  code: null,
  evidence: [],
  started_at: "2025-06-01T18:00:00Z",
  duration_ms: 120,
  response_time_ms: null,
  actor: "ann",
  ...patch,
});

describe("which probes can run", () => {
  const byItem = probesByItem([
    probe("a", 12),
    probe("a", 4),
    probe("b", 20, { kind: "command", command_text: "systemctl is-active nginx" }),
    probe("c", 30, { kind: "command", command_text: "uptime", approved: true }),
  ]);

  it("groups probe blocks per item in source order", () => {
    expect(byItem.get("a")!.map((p) => p.line)).toEqual([4, 12]);
  });

  it("holds back an item whose command is not approved and skips items without probes", () => {
    expect(runnableItems(["a", "b", "c", "none"], byItem)).toEqual({ ready: ["a", "c"], awaitingApproval: 1 });
  });

  it("plans one result per probe block of the chosen items", () => {
    expect(planProbes(["a", "c"], byItem)).toEqual([
      { itemId: "a", line: 4 },
      { itemId: "a", line: 12 },
      { itemId: "c", line: 30 },
    ]);
  });
});

describe("progress from probe-result events", () => {
  const planned = [
    { itemId: "a", line: 4 },
    { itemId: "a", line: 12 },
    { itemId: "c", line: 30 },
  ];

  it("counts each result once even when its event arrives twice", () => {
    let progress = startProgress(planned);
    progress = recordResult(progress, result(7, "a", "pass"));
    progress = recordResult(progress, result(7, "a", "pass"));
    expect(progressCounts(progress)).toEqual({ done: 1, total: 3 });
    expect(progressLabel(progress)).toBe("1 of 3 done");
  });

  it("ignores results of items outside the run and never counts past an item's probes", () => {
    let progress = startProgress(planned);
    progress = recordResult(progress, result(1, "other", "pass"));
    progress = recordResult(progress, result(2, "c", "pass"));
    progress = recordResult(progress, result(3, "c", "fail"));
    expect(progressLabel(progress)).toBe("1 of 3 done");
  });

  it("keeps the spinner on items until all their results arrived", () => {
    let progress = startProgress(planned);
    expect([...itemsStillRunning(progress)].sort()).toEqual(["a", "c"]);
    progress = recordResult(progress, result(1, "a", "pass"));
    progress = recordResult(progress, result(2, "c", "pass"));
    expect([...itemsStillRunning(progress)]).toEqual(["a"]);
    progress = recordResult(progress, result(3, "a", "error"));
    expect(itemsStillRunning(progress).size).toBe(0);
    expect(progressLabel(progress)).toBe("3 of 3 done");
  });
});

describe("evidence history", () => {
  it("merges kept and live results once each and lists every item's results newest first", () => {
    const kept = [result(1, "a", "fail"), result(2, "b", "pass")];
    const live = [result(2, "b", "pass"), result(3, "a", "pass")];
    const merged = mergeEvidence(kept, live);
    expect(merged.map((e) => e.id)).toEqual([1, 2, 3]);
    const grouped = evidenceByItem(merged);
    expect(grouped.get("a")!.map((e) => e.id)).toEqual([3, 1]);
    expect(grouped.get("b")!.map((e) => e.id)).toEqual([2]);
  });
});

describe("the state a result proposes", () => {
  it("proposes nothing without results", () => {
    expect(proposeState([])).toBeNull();
  });

  it("proposes pass when the latest result of every probe passed, even after an earlier failure", () => {
    expect(proposeState([result(1, "a", "fail"), result(2, "a", "pass")])).toEqual({ state: "pass" });
  });

  it("proposes fail with the summary when any latest result failed", () => {
    const history = [
      result(3, "a", "fail", { probe_line: 12, summary: "connection refused" }),
      result(2, "a", "pass", { probe_line: 4 }),
    ];
    expect(proposeState(history)).toEqual({ state: "fail", note: "connection refused" });
    expect(proposeState([result(1, "a", "pass"), result(2, "a", "fail", { summary: "status 503" })])).toEqual({
      state: "fail",
      note: "status 503",
    });
  });

  it("proposes nothing when a probe never reached its target (a locked keychain, a missing approval) or was cancelled", () => {
    const locked = result(2, "a", "error", { code: "keychain_timeout", summary: "the keychain did not answer" });
    expect(proposeState([locked])).toBeNull();
    expect(proposeState([result(1, "a", "pass", { probe_line: 4 }), { ...locked, probe_line: 12 }])).toBeNull();
    expect(proposeState([result(3, "a", "error", { code: "command_not_approved" })])).toBeNull();
    expect(proposeState([result(5, "a", "error", { code: "invalid_probe" })])).toBeNull();
    expect(proposeState([result(6, "a", "error", { code: "cancelled" })])).toBeNull();
    expect(proposeState([result(4, "a", "fail", { code: "timeout", summary: "no answer in 5 s" })])).toEqual({
      state: "fail",
      note: "no answer in 5 s",
    });
  });

  it("waits for every declared probe before proposing pass", () => {
    const history = [result(1, "a", "pass", { probe_line: 4 })];
    expect(proposeState(history, [4, 12])).toBeNull();
    expect(proposeState([...history, result(2, "a", "pass", { probe_line: 12 })], [4, 12])).toEqual({ state: "pass" });
  });
});

describe("formatting", () => {
  it("shows one duration per result, named for what it measures", () => {
    expect(formatProbeDuration(result(1, "a", "pass", { duration_ms: 850 }))).toBe("check time 850 ms");
    const http = result(2, "a", "pass", { duration_ms: 2440, response_time_ms: 31 });
    expect(probeDuration(http)).toEqual({ label: "response time", ms: 31 });
    expect(formatProbeDuration(http)).toBe("response time 31 ms");
  });

  it("reads a result recorded before response times were kept as its check time", () => {
    const { response_time_ms: _dropped, ...old } = result(3, "a", "fail", { duration_ms: 65_000 });
    expect(probeDuration(old as ProbeEvidence)).toEqual({ label: "check time", ms: 65_000 });
  });

  it("tells suggestions apart by item, source line and kind", () => {
    const a = { item_id: "i1", source_line: 8, kind: "http" };
    expect(suggestionKey(a)).toBe(suggestionKey({ ...a }));
    expect(suggestionKey(a)).not.toBe(suggestionKey({ ...a, kind: "tls" }));
    expect(suggestionKey(a)).not.toBe(suggestionKey({ ...a, source_line: 9 }));
  });

  it("wraps a suggestion in a probe fence to paste into the template", () => {
    expect(probeBlock('kind = "http"\nurl = "https://x"\n\n')).toBe(
      '```probe\nkind = "http"\nurl = "https://x"\n```\n',
    );
  });
});
