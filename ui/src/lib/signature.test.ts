// Tests of drawn signatures: normalising pointer positions, thinning, stroke capture, limits, bounds and display.
import { describe, expect, it } from "vitest";
import type { SignatureRecord } from "./bindings/SignatureRecord";
import {
  MAX_POINTS,
  MAX_STROKES,
  MIN_POINT_DISTANCE,
  SVG_HEIGHT,
  SVG_WIDTH,
  StrokeRecorder,
  fitViewBox,
  hasDrawing,
  latestBySlot,
  normalisePoint,
  pointCount,
  polylinePoints,
  signatureProblem,
  smoothPath,
  strokeBounds,
  supersededIds,
  thinStroke,
} from "./signature";

const rect = { left: 100, top: 50, width: 600, height: 200 };

describe("normalising pointer positions", () => {
  it("maps the pad's corners to 0 and 1 with y growing downwards", () => {
    expect(normalisePoint(100, 50, rect)).toEqual([0, 0]);
    expect(normalisePoint(700, 250, rect)).toEqual([1, 1]);
    expect(normalisePoint(400, 100, rect)).toEqual([0.5, 0.25]);
  });

  it("clamps positions outside the pad (a captured pointer can leave it) to its edge", () => {
    expect(normalisePoint(0, 400, rect)).toEqual([0, 1]);
    expect(normalisePoint(900, -20, rect)).toEqual([1, 0]);
  });

  it("rounds to four decimals and survives a pad with no size", () => {
    expect(normalisePoint(100 + 600 / 3, 50, rect)).toEqual([0.3333, 0]);
    expect(normalisePoint(10, 10, { left: 0, top: 0, width: 0, height: 0 })).toEqual([0, 0]);
  });
});

describe("thinning", () => {
  it("drops points closer than the minimum distance to the previous kept point", () => {
    const half = MIN_POINT_DISTANCE / 2;
    expect(
      thinStroke([
        [0.1, 0.1],
        [0.1 + half, 0.1],
        [0.1 + 2 * half, 0.1],
        [0.2, 0.2],
      ]),
    ).toEqual([
      [0.1, 0.1],
      [0.1 + 2 * half, 0.1],
      [0.2, 0.2],
    ]);
  });

  it("keeps the first point of a stroke even when every other point is a repeat", () => {
    expect(
      thinStroke([
        [0.5, 0.5],
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
    ).toEqual([[0.5, 0.5]]);
  });
});

describe("stroke capture", () => {
  it("records one stroke per pointer down and ignores moves when no pointer is down", () => {
    const rec = new StrokeRecorder();
    expect(rec.extend([0.5, 0.5])).toBe(false);
    rec.begin([0.1, 0.1]);
    rec.extend([0.1005, 0.1]);
    rec.extend([0.2, 0.1]);
    rec.end([0.3, 0.1]);
    rec.extend([0.9, 0.9]);
    rec.begin([0.5, 0.5]);
    rec.end();
    expect(rec.strokes).toEqual([
      [
        [0.1, 0.1],
        [0.2, 0.1],
        [0.3, 0.1],
      ],
      [[0.5, 0.5]],
    ]);
    expect(pointCount(rec.strokes)).toBe(4);
  });

  it("undoes the last stroke and clears everything", () => {
    const rec = new StrokeRecorder();
    rec.begin([0.1, 0.1]);
    rec.end([0.2, 0.2]);
    rec.begin([0.3, 0.3]);
    rec.end([0.4, 0.4]);
    rec.undo();
    expect(rec.strokes).toEqual([
      [
        [0.1, 0.1],
        [0.2, 0.2],
      ],
    ]);
    rec.clear();
    expect(rec.strokes).toEqual([]);
    expect(rec.isDrawing).toBe(false);
  });

  it("stops at the stroke and point limits the backend enforces", () => {
    const rec = new StrokeRecorder();
    for (let i = 0; i < MAX_STROKES; i++) expect(rec.begin([0.5, 0.5])).toBe(true);
    expect(rec.begin([0.5, 0.5])).toBe(false);
    expect(rec.strokes.length).toBe(MAX_STROKES);

    const long = new StrokeRecorder();
    long.begin([0, 0]);
    let kept = 1;
    for (let i = 1; i < MAX_POINTS + 50; i++) if (long.extend([(i % 200) / 200, Math.floor(i / 200) / 200])) kept++;
    expect(kept).toBe(MAX_POINTS);
  });
});

describe("readiness", () => {
  it("needs two points, a name, and a role for an added signature", () => {
    const drawn = [
      [
        [0.1, 0.1],
        [0.2, 0.2],
      ] as [number, number][],
    ];
    expect(hasDrawing([[[0.1, 0.1]]])).toBe(false);
    expect(hasDrawing([[[0.1, 0.1]], [[0.4, 0.4]]])).toBe(true);
    expect(signatureProblem({ name: "Dana", role: null, needsRole: false, strokes: drawn })).toBeNull();
    expect(signatureProblem({ name: "  ", role: null, needsRole: false, strokes: drawn })).toMatch(/name/);
    expect(signatureProblem({ name: "Dana", role: " ", needsRole: true, strokes: drawn })).toMatch(/role/);
    expect(signatureProblem({ name: "Dana", role: null, needsRole: false, strokes: [] })).toMatch(/Draw/);
  });
});

describe("bounds and display", () => {
  it("finds the smallest box around every stroke and nothing for an empty pad", () => {
    expect(strokeBounds([])).toBeNull();
    expect(
      strokeBounds([
        [
          [0.2, 0.5],
          [0.4, 0.1],
        ],
        [[0.9, 0.6]],
      ]),
    ).toEqual({ minX: 0.2, minY: 0.1, maxX: 0.9, maxY: 0.6 });
  });

  it("writes polyline points in the pad's proportions and doubles a single dot so it shows", () => {
    expect(
      polylinePoints([
        [0, 0],
        [0.5, 1],
      ]),
    ).toBe(`0,0 ${SVG_WIDTH / 2},${SVG_HEIGHT}`);
    expect(polylinePoints([[0.1, 0.1]])).toBe("30,10 30,10");
  });

  it("crops the view to the drawing with a margin while keeping the pad's proportions", () => {
    expect(fitViewBox([])).toBe(`0 0 ${SVG_WIDTH} ${SVG_HEIGHT}`);
    // A wide drawing: 0.1..0.9 across (240 units + 12 margin), height grows to keep 3:1.
    const [x, y, w, h] = fitViewBox([
      [
        [0.1, 0.5],
        [0.9, 0.5],
      ],
    ])
      .split(" ")
      .map(Number);
    expect(x).toBe(24);
    expect(w).toBe(252);
    expect(h).toBe(84);
    expect(y + h / 2).toBeCloseTo(50);
    // A tall drawing: width grows instead.
    const tall = fitViewBox([
      [
        [0.5, 0],
        [0.5, 1],
      ],
    ])
      .split(" ")
      .map(Number);
    expect(tall[3]).toBe(112);
    expect(tall[2]).toBe(336);
  });

  it("smooths a stroke with curves through midpoints that start and end on the recorded points", () => {
    const path = smoothPath(
      [
        [0, 0],
        [0.5, 0.5],
        [1, 0],
      ],
      100,
      10,
    );
    expect(path[0]).toEqual({ kind: "move", x: 0, y: 0 });
    expect(path[1]).toEqual({ kind: "quad", cx: 50, cy: 5, x: 75, y: 2.5 });
    expect(path[path.length - 1]).toEqual({ kind: "line", x: 100, y: 0 });
    expect(smoothPath([], 100, 10)).toEqual([]);
    expect(smoothPath([[0.5, 0.5]], 100, 10).map((s) => s.kind)).toEqual(["move", "line"]);
  });
});

describe("signatures of a run", () => {
  const record = (id: number, slot: string | null): SignatureRecord => ({
    id,
    slot_id: slot,
    role: "QA",
    name: `n${id}`,
    signed_at: "2025-06-01T18:00:00Z",
    strokes: [],
    bound_head: "h",
    stale: false,
  });

  it("shows the newest signature of each slot and marks older ones as replaced", () => {
    const all = [record(1, "a"), record(3, "b"), record(2, "a"), record(4, null)];
    const latest = latestBySlot(all);
    expect(latest.get("a")?.id).toBe(2);
    expect(latest.get("b")?.id).toBe(3);
    expect(latest.size).toBe(2);
    expect([...supersededIds(all)]).toEqual([1]);
  });
});
