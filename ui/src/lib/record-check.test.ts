import { describe, expect, it } from "vitest";
import type { AuditEvent } from "./bindings/AuditEvent";
import type { RecordCheck } from "./bindings/RecordCheck";
import { item, itemBlock, section } from "./fixtures.test-helpers";
import {
  describeEvent,
  differenceRows,
  elementNames,
  eventWords,
  fieldWords,
  payloadText,
  recordSizeProblem,
  summarise,
} from "./record-check";

const event = (patch: Partial<AuditEvent> = {}): AuditEvent => ({
  position: 4,
  kind: "item_state",
  element_id: "i-deploy",
  payload: '{"state":"pass"}',
  actor: "alice",
  at: "2026-11-23T10:05:00Z",
  prev_hash: "p",
  hash: "h",
  ...patch,
});

const chain = {
  stream: "run:r1",
  intact: true,
  event_count: 6,
  head_hash: "abc",
  first_bad_position: null,
  message: "intact",
  discrepancies: [],
};

const check = (patch: Partial<RecordCheck>): RecordCheck => ({
  run_id: "r1",
  matches: true,
  chain,
  message: "",
  record_events: 6,
  log_events: 6,
  first_difference: null,
  ...patch,
});

describe("record check wording", () => {
  it("refuses a file over the limit with its size and the CLI to use instead", () => {
    expect(recordSizeProblem(1024, "r.json")).toBeNull();
    expect(recordSizeProblem(3 * 1024 * 1024, "r.json", 2 * 1024 * 1024)).toBe(
      "r.json is 3.0 MB; a record file checked here can be at most 2.0 MB. Check it with `greenlight verify --record` instead.",
    );
  });

  it("names events and their parts in words, keeping unknown ones as they are", () => {
    expect(eventWords("item_state")).toBe("item marked");
    expect(eventWords("something_new")).toBe("something_new");
    expect(fieldWords(["payload"])).toBe("what was recorded");
    expect(fieldWords(["payload", "actor", "hash"])).toBe("what was recorded, who did it and its fingerprint (hash)");
  });

  it("names an event's element by its title, role or label, falling back to its id", () => {
    const deploy = item("i-deploy", [item("i-canary")], {
      title: "Deploy green",
      fields: [{ id: "f-p95", line: 2, label: "P95", unit: "ms", value_kind: "text" }],
    });
    const gate = {
      kind: "gate" as const,
      id: "g-go",
      line: 3,
      title: "Go / No-Go",
      authority: null,
      options: ["GO"],
      covers: [],
    };
    const sign = { kind: "signature" as const, id: "s-rm", line: 4, role: "Release Manager", dated: true };
    const names = elementNames({ metadata_fields: [], sections: [section("s1", [itemBlock(deploy), gate, sign])] });
    expect(names.get("i-canary")).toBe("Item i-canary");
    expect(names.get("f-p95")).toBe("P95");
    expect(names.get("g-go")).toBe("Go / No-Go");
    expect(names.get("s-rm")).toBe("Release Manager");
    expect(describeEvent(event(), names)).toMatch(/^item marked on “Deploy green” by alice at 2026-11-23 \d\d:05$/);
    expect(describeEvent(event({ element_id: "gone" }), names)).toMatch(/^item marked on gone by alice/);
    expect(describeEvent(event({ kind: "run_completed", element_id: null }), names)).toMatch(
      /^run completed by alice at /,
    );
  });

  it("shows a JSON payload as key: value lines and anything else unchanged", () => {
    expect(payloadText('{"state":"fail","note":"503s"}')).toBe("state: fail\nnote: 503s");
    expect(payloadText('{"strokes":[[1,2]]}')).toBe("strokes: [[1,2]]");
    expect(payloadText("{}")).toBe("(nothing)");
    expect(payloadText("not json")).toBe("not json");
    expect(payloadText("[1]")).toBe("[1]");
  });

  it("says a matching record matches and counts the events added after the export", () => {
    expect(summarise(check({})).detail).toBe("Every event in the file (6 events) is exactly as the log holds it.");
    const later = summarise(check({ log_events: 7 }));
    expect(later.verdict).toBe("matches");
    expect(later.detail).toContain("1 more event was recorded after it was exported.");
  });

  it("names the first differing event, or an event the log does not have", () => {
    const edited = check({
      matches: false,
      first_difference: {
        position: 4,
        in_record: event({ actor: "mallory" }),
        in_log: event(),
        fields: ["actor", "hash"],
      },
    });
    const summary = summarise(edited);
    expect(summary.verdict).toBe("differs");
    expect(summary.detail).toMatch(
      /^The first difference is event 4 \(item marked on i-deploy by mallory at 2026-11-23 \d\d:05\): the file and the log disagree on who did it and its fingerprint \(hash\)\.$/,
    );
    expect(differenceRows(edited.first_difference!)).toEqual([
      { field: "actor", label: "who did it", inFile: "mallory", inLog: "alice" },
    ]);

    const payload = differenceRows({
      position: 4,
      in_record: event({ payload: '{"state":"pass","note":"ok"}' }),
      in_log: event({ payload: '{"state":"fail","note":"ok"}' }),
      fields: ["payload", "hash"],
    });
    expect(payload).toEqual([
      { field: "payload.state", label: "what was recorded: state", inFile: "pass", inLog: "fail" },
    ]);
    const added = differenceRows({
      position: 4,
      in_record: event({ payload: '{"a":1,"b":true}' }),
      in_log: event({ payload: '{"a":1}' }),
      fields: ["payload"],
    });
    expect(added).toEqual([
      { field: "payload.b", label: "what was recorded: b", inFile: "true", inLog: "(not there)" },
    ]);
    const spacing = differenceRows({
      position: 4,
      in_record: event({ payload: '{"a": 1}' }),
      in_log: event({ payload: '{"a":1}' }),
      fields: ["payload"],
    });
    expect(spacing).toEqual([{ field: "payload", label: "what was recorded", inFile: '{"a": 1}', inLog: '{"a":1}' }]);
    const notJson = differenceRows({
      position: 4,
      in_record: event({ payload: "x" }),
      in_log: event({ payload: "y" }),
      fields: ["payload"],
    });
    expect(notJson.map((r) => [r.inFile, r.inLog])).toEqual([["x", "y"]]);

    const missing = check({
      matches: false,
      log_events: 3,
      first_difference: { position: 4, in_record: event(), in_log: null, fields: [] },
    });
    expect(summarise(missing).detail).toMatch(
      /^Event 4 \(item marked on i-deploy by alice at .*\) is in the file but not in this run's log, which has 3 events\.$/,
    );
    expect(differenceRows(missing.first_difference!)).toEqual([]);
  });

  it("says when the local log itself is broken rather than blaming the file", () => {
    const broken = summarise(
      check({
        matches: false,
        chain: { ...chain, intact: false, first_bad_position: 2, message: "event 2 was altered after it was written" },
      }),
    );
    expect(broken.verdict).toBe("log_broken");
    expect(broken.detail).toBe(
      "The log on this computer fails verification: event 2 was altered after it was written. The file cannot be compared with it.",
    );
  });
});
