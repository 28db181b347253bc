// Tests of the export folder check in Settings.
import { describe, expect, it } from "vitest";
import { exportFolderProblem, isAbsolutePath } from "./settings";

describe("export folder", () => {
  it("accepts absolute paths of every desktop platform", () => {
    expect(isAbsolutePath("/home/dana/exports")).toBe(true);
    expect(isAbsolutePath("C:\\Exports")).toBe(true);
    expect(isAbsolutePath("d:/exports")).toBe(true);
    expect(isAbsolutePath("\\\\server\\share")).toBe(true);
  });

  it("refuses relative paths and empty input with a reason", () => {
    expect(isAbsolutePath("exports")).toBe(false);
    expect(isAbsolutePath("~/exports")).toBe(false);
    expect(isAbsolutePath("C:exports")).toBe(false);
    expect(exportFolderProblem("  ")).toMatch(/Type the folder/);
    expect(exportFolderProblem("exports")).toMatch(/full path/);
    expect(exportFolderProblem(" /tmp/x ")).toBeNull();
  });
});
