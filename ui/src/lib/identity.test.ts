import { describe, expect, it } from "vitest";
import { actorText, identityForm, identityProblems, needsIdentity, toIdentity } from "./identity";

describe("who is using Greenlight", () => {
  it("asks only once the backend answered and no identity was saved", () => {
    expect(needsIdentity(null)).toBe(false);
    expect(needsIdentity({ identity: null })).toBe(true);
    expect(needsIdentity({ identity: { name: "Ann", email: null, role: null } })).toBe(false);
  });

  it("prefills the name with the OS login name, or the saved identity", () => {
    expect(identityForm(null)).toEqual({ name: "", email: "", role: "" });
    expect(identityForm({ actor: "dana", identity: null })).toEqual({ name: "dana", email: "", role: "" });
    expect(identityForm({ actor: "", identity: null })).toEqual({ name: "", email: "", role: "" });
    expect(
      identityForm({
        actor: "Ann Lee <ann@example.com>",
        identity: { name: "Ann Lee", email: "ann@example.com", role: null },
      }),
    ).toEqual({ name: "Ann Lee", email: "ann@example.com", role: "" });
  });

  it("requires a name and a plausible email when one is given", () => {
    expect(identityProblems({ name: "  ", email: "", role: "" }).name).toMatch(/Type your name/);
    expect(identityProblems({ name: "A".repeat(201), email: "", role: "" }).name).toMatch(/200 characters/);
    expect(identityProblems({ name: "Ann", email: "ann @example.com", role: "" }).email).toMatch(/email address/);
    expect(identityProblems({ name: "Ann", email: "ann", role: "" }).email).toMatch(/email address/);
    expect(identityProblems({ name: "Ann", email: "ann@example.com", role: "" })).toEqual({});
    expect(identityProblems({ name: "Ann", email: "", role: "" })).toEqual({});
  });

  it("sends trimmed text with empty optional fields as null", () => {
    expect(toIdentity({ name: " Dana Release ", email: " dana@example.com ", role: " Release manager " })).toEqual({
      name: "Dana Release",
      email: "dana@example.com",
      role: "Release manager",
    });
    expect(toIdentity({ name: "Dana", email: " ", role: "" })).toEqual({ name: "Dana", email: null, role: null });
    expect(toIdentity({ name: "", email: "", role: "" })).toBeNull();
  });

  it("writes the actor as changes record it", () => {
    expect(actorText({ name: "Ann Lee", email: "ann@example.com", role: "QA" })).toBe("Ann Lee <ann@example.com>");
    expect(actorText({ name: "Ann Lee", email: null, role: null })).toBe("Ann Lee");
  });
});
