// Drawn signatures as vector strokes: pointer positions normalised to the pad (0..1, y down), thinned,
// bounded to what the backend accepts, smoothed for the canvas and fitted into an SVG for display.
import type { SignatureRecord } from "./bindings/SignatureRecord";

export type Point = [number, number];
export type Stroke = Point[];

/** Width / height of the pad; shown signatures use the same proportions so nothing is distorted. */
export const PAD_ASPECT = 3;
/** Points closer than this (in normalised units) to the previous point of a stroke are dropped. */
export const MIN_POINT_DISTANCE = 0.003;
/** Limits the backend enforces (mirrors valid_strokes in the store). */
export const MAX_STROKES = 500;
export const MAX_POINTS = 20_000;
/** Decimal places kept per coordinate (0.1 px on a 1,000 px pad; keeps the payload small). */
const DECIMALS = 4;

/** The pad's on-screen box, as getBoundingClientRect reports it. */
export type PadRect = { left: number; top: number; width: number; height: number };

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

function round(value: number): number {
  const factor = 10 ** DECIMALS;
  return Math.round(value * factor) / factor;
}

/** A pointer position in client pixels as a point on the pad (each coordinate clamped to 0..1). */
export function normalisePoint(clientX: number, clientY: number, rect: PadRect): Point {
  const x = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
  const y = rect.height > 0 ? (clientY - rect.top) / rect.height : 0;
  return [round(clamp01(x)), round(clamp01(y))];
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Number of points over all strokes. */
export function pointCount(strokes: Stroke[]): number {
  return strokes.reduce((n, stroke) => n + stroke.length, 0);
}

/** True when a point far enough from the stroke's last point should be kept. */
export function keepsPoint(stroke: Stroke, point: Point, minDistance = MIN_POINT_DISTANCE): boolean {
  const last = stroke[stroke.length - 1];
  return last === undefined || distance(last, point) >= minDistance;
}

/** The stroke with close-together points removed (the first point always stays). */
export function thinStroke(stroke: Stroke, minDistance = MIN_POINT_DISTANCE): Stroke {
  const out: Stroke = [];
  for (const point of stroke) if (keepsPoint(out, point, minDistance)) out.push(point);
  return out;
}

/**
 * Collects strokes while someone draws: `begin` on pointer down, `extend` on move, `end` on up.
 * Pure state (no DOM), so capture is testable; the pad renders `strokes` after each change.
 */
export class StrokeRecorder {
  strokes: Stroke[] = [];
  private drawing = false;

  /** Starts a stroke at a point; false when the pad is full. */
  begin(point: Point): boolean {
    if (this.strokes.length >= MAX_STROKES || pointCount(this.strokes) >= MAX_POINTS) {
      this.drawing = false;
      return false;
    }
    this.strokes = [...this.strokes, [point]];
    this.drawing = true;
    return true;
  }

  /** Adds a point to the current stroke unless it is too close to the previous one; true when kept. */
  extend(point: Point): boolean {
    if (!this.drawing) return false;
    const stroke = this.strokes[this.strokes.length - 1];
    if (!keepsPoint(stroke, point) || pointCount(this.strokes) >= MAX_POINTS) return false;
    stroke.push(point);
    return true;
  }

  /** Ends the current stroke (a further point at the release position is added when far enough). */
  end(point?: Point) {
    if (this.drawing && point) this.extend(point);
    this.drawing = false;
  }

  get isDrawing(): boolean {
    return this.drawing;
  }

  undo() {
    this.drawing = false;
    this.strokes = this.strokes.slice(0, -1);
  }

  clear() {
    this.drawing = false;
    this.strokes = [];
  }
}

/** True when there is enough drawn to submit (the backend wants at least two points). */
export function hasDrawing(strokes: Stroke[]): boolean {
  return pointCount(strokes) >= 2;
}

/** What is still missing before a signature can be submitted, in words; null when it is ready. */
export function signatureProblem(input: {
  name: string;
  role: string | null;
  needsRole: boolean;
  strokes: Stroke[];
}): string | null {
  if (input.needsRole && !(input.role ?? "").trim()) return "Type the role this person signs in.";
  if (!input.name.trim()) return "Type the signer's name.";
  if (!hasDrawing(input.strokes)) return "Draw the signature in the box.";
  return null;
}

/** Smallest box holding every point, in normalised units; null when nothing is drawn. */
export function strokeBounds(strokes: Stroke[]): { minX: number; minY: number; maxX: number; maxY: number } | null {
  let bounds: { minX: number; minY: number; maxX: number; maxY: number } | null = null;
  for (const [x, y] of strokes.flat()) {
    if (!bounds) bounds = { minX: x, minY: y, maxX: x, maxY: y };
    else {
      bounds.minX = Math.min(bounds.minX, x);
      bounds.minY = Math.min(bounds.minY, y);
      bounds.maxX = Math.max(bounds.maxX, x);
      bounds.maxY = Math.max(bounds.maxY, y);
    }
  }
  return bounds;
}

/** Size of the SVG user space a signature is drawn in (the pad's proportions). */
export const SVG_WIDTH = 300;
export const SVG_HEIGHT = SVG_WIDTH / PAD_ASPECT;

/** The `points` attribute of an SVG polyline for one stroke, in SVG user units. */
export function polylinePoints(stroke: Stroke): string {
  const one = (v: number) => String(Math.round(v * 100) / 100);
  const pts = stroke.length === 1 ? [stroke[0], stroke[0]] : stroke;
  return pts.map(([x, y]) => `${one(x * SVG_WIDTH)},${one(y * SVG_HEIGHT)}`).join(" ");
}

/** A viewBox that crops to the drawing with a margin, keeping the pad's proportions; the whole pad when empty. */
export function fitViewBox(strokes: Stroke[], margin = 6): string {
  const bounds = strokeBounds(strokes);
  if (!bounds) return `0 0 ${SVG_WIDTH} ${SVG_HEIGHT}`;
  let x = bounds.minX * SVG_WIDTH - margin;
  let y = bounds.minY * SVG_HEIGHT - margin;
  let w = (bounds.maxX - bounds.minX) * SVG_WIDTH + 2 * margin;
  let h = (bounds.maxY - bounds.minY) * SVG_HEIGHT + 2 * margin;
  // Widen the narrower side so the box has the pad's proportions (centred on the drawing).
  if (w / h > PAD_ASPECT) {
    const grown = w / PAD_ASPECT;
    y -= (grown - h) / 2;
    h = grown;
  } else {
    const grown = h * PAD_ASPECT;
    x -= (grown - w) / 2;
    w = grown;
  }
  const r = (v: number) => String(Math.round(v * 100) / 100);
  return `${r(x)} ${r(y)} ${r(w)} ${r(h)}`;
}

/** One piece of a smoothed stroke on the canvas: a line or a quadratic curve, in pixels. */
export type PathSegment =
  | { kind: "move"; x: number; y: number }
  | { kind: "line"; x: number; y: number }
  | { kind: "quad"; cx: number; cy: number; x: number; y: number };

/**
 * A stroke as canvas path segments: quadratic curves through the midpoints between points, with each
 * recorded point as the control point, so the line is smooth without inventing shape.
 */
export function smoothPath(stroke: Stroke, width: number, height: number): PathSegment[] {
  const pts = stroke.map(([x, y]) => [x * width, y * height] as const);
  if (pts.length === 0) return [];
  const out: PathSegment[] = [{ kind: "move", x: pts[0][0], y: pts[0][1] }];
  if (pts.length === 1) {
    out.push({ kind: "line", x: pts[0][0] + 0.01, y: pts[0][1] + 0.01 });
    return out;
  }
  if (pts.length === 2) {
    out.push({ kind: "line", x: pts[1][0], y: pts[1][1] });
    return out;
  }
  for (let i = 1; i < pts.length - 1; i++) {
    const [cx, cy] = pts[i];
    const [nx, ny] = pts[i + 1];
    out.push({ kind: "quad", cx, cy, x: (cx + nx) / 2, y: (cy + ny) / 2 });
  }
  const last = pts[pts.length - 1];
  out.push({ kind: "line", x: last[0], y: last[1] });
  return out;
}

/** The newest signature of each slot (by id, which grows with time); added signatures are not keyed. */
export function latestBySlot(signatures: SignatureRecord[]): Map<string, SignatureRecord> {
  const out = new Map<string, SignatureRecord>();
  for (const signature of signatures) {
    if (signature.slot_id === null) continue;
    const seen = out.get(signature.slot_id);
    if (!seen || signature.id > seen.id) out.set(signature.slot_id, signature);
  }
  return out;
}

/** Ids of signatures replaced by a newer one on the same slot. */
export function supersededIds(signatures: SignatureRecord[]): Set<number> {
  const latest = latestBySlot(signatures);
  return new Set(signatures.filter((s) => s.slot_id !== null && latest.get(s.slot_id)?.id !== s.id).map((s) => s.id));
}
