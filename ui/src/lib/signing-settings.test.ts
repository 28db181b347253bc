// Tests of the checks in Settings → Record signing: the time-stamp authority URL and the certificate file.
import { describe, expect, it } from "vitest";
import { normalizedTsaUrl, pkcs12FileProblem, tsaUrlProblem } from "./signing-settings";

describe("time-stamp authority URL", () => {
  it("accepts http and https URLs, with a port and path", () => {
    expect(tsaUrlProblem("https://tsa.example.com/tsr")).toBeNull();
    expect(tsaUrlProblem("  http://127.0.0.1:9/tsr ")).toBeNull();
    expect(tsaUrlProblem("HTTPS://freetsa.org/tsr")).toBeNull();
  });

  it("refuses other schemes, text that is not a URL, and empty input, with a reason", () => {
    expect(tsaUrlProblem("ftp://x")).toMatch(/http:\/\/ or https:\/\//);
    expect(tsaUrlProblem("file:///etc/passwd")).toMatch(/http:\/\/ or https:\/\//);
    expect(tsaUrlProblem("tsa.example.com/tsr")).toMatch(/not a URL/);
    expect(tsaUrlProblem("https://")).toMatch(/not a URL/);
    expect(tsaUrlProblem("   ")).toMatch(/Clear/);
  });

  it("refuses URLs with a user name or password in them", () => {
    expect(tsaUrlProblem("https://dana:secret@tsa.example.com/tsr")).toMatch(/user name or password/);
    expect(tsaUrlProblem("https://dana@tsa.example.com/tsr")).toMatch(/user name or password/);
    expect(tsaUrlProblem("https://:secret@tsa.example.com/tsr")).toMatch(/user name or password/);
  });

  it("sends a trimmed URL, and null for an empty one", () => {
    expect(normalizedTsaUrl(" https://tsa.example.com/tsr ")).toBe("https://tsa.example.com/tsr");
    expect(normalizedTsaUrl("  ")).toBeNull();
    expect(normalizedTsaUrl(null)).toBeNull();
  });
});

describe("company certificate file", () => {
  it("needs a chosen, non-empty file", () => {
    expect(pkcs12FileProblem(null)).toMatch(/Choose/);
    expect(pkcs12FileProblem({ name: "company.p12", size: 0 })).toMatch(/company.p12 is empty/);
    expect(pkcs12FileProblem({ name: "company.p12", size: 2600 })).toBeNull();
  });
});
