// Tests of the run clock: phases before, in, closing (amber) and overrun, and the durations shown.
import { describe, expect, it } from "vitest";
import { clockPhase, clockView, formatDuration } from "./clock";

const run = {
  window_start: "2025-06-01T20:00:00Z",
  window_end: "2025-06-01T22:00:00Z",
  created_at: "2025-06-01T18:00:00Z",
};
const at = (iso: string) => new Date(iso);

describe("clock phases", () => {
  it("is before the window until the start", () => {
    const view = clockView(run, at("2025-06-01T19:50:00Z"));
    expect(view.phase).toBe("before");
    expect(view.label).toBe("Starts in 0:10:00");
    expect(view.elapsed).toBe("0:00:00");
  });

  it("is in the window with time elapsed since the start and time left until the end", () => {
    const view = clockView(run, at("2025-06-01T20:30:15Z"));
    expect(view.phase).toBe("in");
    expect(view.elapsed).toBe("0:30:15");
    expect(view.remaining).toBe("1:29:45");
    expect(view.label).toBe("1:29:45 left");
  });

  it("turns to closing (amber) within 15 minutes of the end", () => {
    expect(clockView(run, at("2025-06-01T21:44:59Z")).phase).toBe("in");
    expect(clockView(run, at("2025-06-01T21:45:00Z")).phase).toBe("closing");
    expect(clockView(run, at("2025-06-01T22:00:00Z")).phase).toBe("closing");
  });

  it("is overrun after the end and says by how much", () => {
    const view = clockView(run, at("2025-06-01T22:03:00Z"));
    expect(view.phase).toBe("overrun");
    expect(view.label).toBe("Overrun by 0:03:00");
  });

  it("counts from the run's creation when there is no window", () => {
    const view = clockView(
      { window_start: null, window_end: null, created_at: "2025-06-01T18:00:00Z" },
      at("2025-06-01T19:01:02Z"),
    );
    expect(view.phase).toBe("no_window");
    expect(view.elapsed).toBe("1:01:02");
    expect(view.remaining).toBeNull();
  });

  it("handles a window with only an end", () => {
    expect(clockPhase(null, Date.parse(run.window_end), Date.parse("2025-06-01T21:50:00Z"))).toBe("closing");
    expect(clockPhase(null, Date.parse(run.window_end), Date.parse("2025-06-01T20:00:00Z"))).toBe("in");
  });

  it("formats durations as hours, minutes and seconds", () => {
    expect(formatDuration(0)).toBe("0:00:00");
    expect(formatDuration(((25 * 60 + 4) * 60 + 9) * 1000 + 999)).toBe("25:04:09");
    expect(formatDuration(-61_000)).toBe("0:01:01");
  });
});
