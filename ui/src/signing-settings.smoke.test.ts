// @vitest-environment jsdom
// Smoke test of Settings → Record signing against a fake backend: the time-stamp authority (checked before sending,
// the backend's refusal shown inline, saved, cleared) and a company certificate from a PKCS#12 file (a wrong password
// refused inline, then the right one: the panel shows the new certificate; the password field is emptied each time).
import { unmount } from "svelte";
import { appInfo } from "./lib/fixtures.test-helpers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppInfo } from "./lib/bindings/AppInfo";
import type { SigningCertificate } from "./lib/bindings/SigningCertificate";
import { choose, mountAppOnRunList, q, readBlobsThroughFileReader, settle, type, until } from "./lib/dom.test-helpers";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];

let info: AppInfo;
let certificate: SigningCertificate | null;
let tsa: string | null;
let refuseTsa: string | null;
let keychainLocked: boolean;

const P12_BYTES = new Uint8Array([0x30, 0x82, 0x0a, 0x1b, 0xff, 0x00, 0x7f]);

const company: SigningCertificate = {
  subject: "O=Example Corp, CN=Dana Release",
  issuer: "O=Example Corp, CN=Example Corp Issuing CA",
  fingerprint_sha256: "AA:BB:CC",
  not_before: "2026-01-01T00:00:00Z",
  not_after: "2027-01-01T00:00:00Z",
  self_signed: false,
  pem: "-----BEGIN CERTIFICATE-----",
};

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  switch (command) {
    case "startup_problem":
      return null;
    case "app_info":
      return structuredClone(info);
    case "schema_problems":
    case "list_runs":
      return [];
    case "signing_certificate":
      return structuredClone(certificate);
    case "timestamp_authority":
      return tsa;
    case "set_timestamp_authority": {
      if (refuseTsa) throw { code: "invalid_input", message: refuseTsa };
      const url = ((args!.url as string | null) ?? "").trim();
      tsa = url === "" ? null : url;
      return tsa;
    }
    case "use_company_certificate": {
      if (keychainLocked) throw { code: "keychain_locked", message: "the keychain is locked: unlock it and try again" };
      if (args!.password !== "secret7") {
        throw { code: "pkcs12", message: "the certificate file could not be opened: wrong password or a damaged file" };
      }
      certificate = company;
      return structuredClone(company);
    }
    default:
      throw { code: "not_found", message: `no fake for ${command}` };
  }
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (command: string, args?: Record<string, unknown>) => fakeBackend(command, args)),
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async () => () => {}),
}));

const input = (testid: string) => q(`[data-testid="${testid}"]`) as HTMLInputElement;
const sent = (command: string) => calls.filter((c) => c.command === command);

async function openSettings() {
  q('[data-testid="nav-settings"]')!.click();
  await settle();
}

describe("record signing settings", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    info = appInfo({ actor: "Dana Release", identity: { name: "Dana Release", email: null, role: null } });
    certificate = null;
    tsa = null;
    refuseTsa = null;
    keychainLocked = false;
    readBlobsThroughFileReader();
    app = await mountAppOnRunList();
  });

  afterEach(() => unmount(app));

  it("checks, saves and clears the time-stamp authority, and shows the backend's refusal inline", async () => {
    await openSettings();
    const signing = q('[data-testid="settings-signing"]')!;
    expect(signing.textContent!.replace(/\s+/g, " ")).toContain(
      "ask this RFC 3161 authority for a trusted time; offline, records are signed without one and say so",
    );
    expect(input("settings-tsa-url").placeholder).toBe("https://tsa.example.com/tsr");
    expect(input("settings-tsa-url").value).toBe("");
    expect(q('[data-testid="settings-tsa-none"]')).not.toBeNull();

    // Not http(s): refused before anything is sent.
    type(input("settings-tsa-url"), "ftp://x");
    input("settings-tsa-url").closest("form")!.requestSubmit();
    await settle();
    expect(q('[data-testid="settings-tsa-error"]')!.textContent).toContain("http:// or https://");
    expect(input("settings-tsa-url").getAttribute("aria-invalid")).toBe("true");
    expect(sent("set_timestamp_authority")).toHaveLength(0);

    // The backend's refusal is shown as it says it.
    refuseTsa = "a URL with a user name or password in it is not stored; use an authority that needs none";
    type(input("settings-tsa-url"), "https://tsa.example.com/tsr");
    await settle();
    expect(q('[data-testid="settings-tsa-error"]')).toBeNull();
    input("settings-tsa-url").closest("form")!.requestSubmit();
    await settle();
    expect(q('[data-testid="settings-tsa-error"]')!.textContent).toContain("user name or password");
    expect(tsa).toBeNull();

    // Saved, trimmed; kept when Settings is opened again.
    refuseTsa = null;
    type(input("settings-tsa-url"), "  http://127.0.0.1:9/tsr ");
    q('[data-testid="settings-tsa-save"]')!.click();
    await settle();
    expect(sent("set_timestamp_authority").at(-1)!.args).toEqual({ url: "http://127.0.0.1:9/tsr" });
    expect(q('[data-testid="settings-tsa-done"]')!.textContent).toContain("time-stamped by http://127.0.0.1:9/tsr");
    q('[data-testid="nav-runs"]')!.click();
    await settle();
    await openSettings();
    expect(input("settings-tsa-url").value).toBe("http://127.0.0.1:9/tsr");

    // Clear sends null.
    q('[data-testid="settings-tsa-clear"]')!.click();
    await settle();
    expect(sent("set_timestamp_authority").at(-1)!.args).toEqual({ url: null });
    expect(tsa).toBeNull();
    expect(input("settings-tsa-url").value).toBe("");
    expect(q('[data-testid="settings-tsa-done"]')!.textContent).toContain("without a trusted time");
  });

  it("uses a company certificate: a wrong password is refused inline, the right one shows the certificate", async () => {
    await openSettings();
    expect(q('[data-testid="settings-signing-empty"]')).not.toBeNull();
    const signing = q('[data-testid="settings-signing"]')!;
    expect(signing.textContent!.replace(/\s+/g, " ")).toContain("neither the file nor the password is kept");
    const fileInput = input("settings-p12-file");
    expect(fileInput.type).toBe("file");
    expect(fileInput.accept).toBe(".p12,.pfx,application/x-pkcs12");
    expect(input("settings-p12-password").type).toBe("password");
    expect(input("settings-p12-password").getAttribute("autocomplete")).toBe("off");
    expect((q('[data-testid="settings-p12-use"]') as HTMLButtonElement).disabled).toBe(true);

    choose(fileInput, new File([P12_BYTES], "company.p12", { type: "application/x-pkcs12" }));
    await settle();
    const use = q('[data-testid="settings-p12-use"]') as HTMLButtonElement;
    expect(use.disabled).toBe(false);
    expect(use.textContent).toContain("Use this certificate");

    // Wrong password: refused inline, the field emptied, the panel unchanged.
    type(input("settings-p12-password"), "wrong");
    use.click();
    await until(() => q('[data-testid="settings-p12-error"]') !== null, "the refusal shows");
    expect(q('[data-testid="settings-p12-error"]')!.textContent).toContain("wrong password");
    expect(q('[data-testid="settings-p12-error"]')!.getAttribute("data-code")).toBe("pkcs12");
    expect(q('[data-testid="settings-p12-error"]')!.textContent).toContain("wrong password or a damaged file");
    expect(input("settings-p12-password").value).toBe("");
    expect(q('[data-testid="settings-signing-empty"]')).not.toBeNull();
    const first = sent("use_company_certificate")[0].args!;
    expect(first.password).toBe("wrong");
    expect(atob(first.contentBase64 as string)).toBe(String.fromCharCode(...P12_BYTES));

    // A locked keychain: said so, the field emptied again.
    keychainLocked = true;
    type(input("settings-p12-password"), "secret7");
    (q('[data-testid="settings-p12-use"]') as HTMLButtonElement).click();
    await until(
      () => q('[data-testid="settings-p12-error"]')?.getAttribute("data-code") === "keychain_locked",
      "keychain refusal",
    );
    expect(q('[data-testid="settings-p12-error"]')!.textContent).toContain("unlock it and try again");
    expect(input("settings-p12-password").value).toBe("");

    // The right password: the certificate panel shows the company certificate and its issuer.
    keychainLocked = false;
    type(input("settings-p12-password"), "secret7");
    (q('[data-testid="settings-p12-use"]') as HTMLButtonElement).click();
    await until(() => q('[data-testid="settings-signing-subject"]') !== null, "the certificate shows");
    expect(q('[data-testid="settings-signing-subject"]')!.textContent).toContain("Example Corp");
    expect(signing.textContent).toContain("Example Corp Issuing CA");
    expect(q('[data-testid="settings-signing-self-signed"]')).toBeNull();
    expect(q('[data-testid="settings-signing-fingerprint"]')!.textContent).toBe("AA:BB:CC");
    expect(q('[data-testid="settings-p12-error"]')).toBeNull();
    expect(q('[data-testid="settings-p12-used"]')!.textContent).toContain("O=Example Corp, CN=Dana Release");
    expect(input("settings-p12-password").value).toBe("");
    expect((q('[data-testid="settings-p12-use"]') as HTMLButtonElement).disabled).toBe(true);
  });
});
