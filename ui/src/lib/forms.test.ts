// Tests of the new-run form validation, datetime-local conversion and the import size check.
import { describe, expect, it } from "vitest";
import { localInputToIso } from "./format";
import { encodeText, sizeProblem } from "./import";
import { environmentChoices, validateNewRun } from "./new-run";

const base = {
  templateId: "t1",
  releaseName: " payments-api ",
  version: "2.1.0",
  environment: "production",
  windowStart: "",
  windowEnd: "",
};

describe("new run form", () => {
  it("accepts a complete form and trims the text", () => {
    const result = validateNewRun(base);
    expect(result).toEqual({
      ok: true,
      value: {
        template_id: "t1",
        release_name: "payments-api",
        version: "2.1.0",
        environment: "production",
        window_start: null,
        window_end: null,
      },
    });
  });

  it("names every missing required field", () => {
    const result = validateNewRun({ ...base, releaseName: " ", version: "", environment: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(["environment", "releaseName", "version"]);
  });

  it("refuses a window that ends before it starts", () => {
    const result = validateNewRun({ ...base, windowStart: "2025-06-01T22:00", windowEnd: "2025-06-01T21:00" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.windowEnd).toMatch(/end after/);
  });

  it("converts the window from local time to UTC ISO strings", () => {
    const result = validateNewRun({ ...base, windowStart: "2025-06-01T20:00", windowEnd: "2025-06-01T22:30" });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.window_start).toBe(new Date(2025, 5, 1, 20, 0).toISOString());
      expect(result.value.window_end).toBe(new Date(2025, 5, 1, 22, 30).toISOString());
    }
  });

  it("suggests the defined environments first, then the usual names once each", () => {
    expect(environmentChoices(["production", "eu-prod"])).toEqual(["production", "eu-prod", "staging"]);
    expect(environmentChoices([])).toEqual(["staging", "production"]);
  });

  it("rejects malformed datetime-local values", () => {
    expect(localInputToIso("2025-13-01T10:00")).toBeNull();
    expect(localInputToIso("yesterday")).toBeNull();
    expect(localInputToIso("2025-02-30T10:00")).toBeNull();
  });
});

describe("import size check", () => {
  it("refuses files over the limit with a message naming the file", () => {
    expect(sizeProblem(11, "big.md", 10)).toMatch(/big\.md/);
    expect(sizeProblem(10, "ok.md", 10)).toBeNull();
  });

  it("encodes pasted text as UTF-8", () => {
    expect(Array.from(encodeText("✓"))).toEqual([0xe2, 0x9c, 0x93]);
  });
});
