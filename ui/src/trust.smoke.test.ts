// @vitest-environment jsdom
// Smoke test of the trust features against a fake backend: the first-start question of who is using Greenlight, the
// banner for safeguards found missing (restored only after a confirmation), and the banner for a run whose shown
// state differs from its audit log, found by the background check when the run opens.
import { unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppInfo } from "./lib/bindings/AppInfo";
import type { ChainReport } from "./lib/bindings/ChainReport";
import type { RunState } from "./lib/bindings/RunState";
import type { SchemaProblem } from "./lib/bindings/SchemaProblem";
import type { SigningCertificate } from "./lib/bindings/SigningCertificate";
import type { Template } from "./lib/bindings/Template";
import { mountApp, mountAppOnRunList, openRunMenu, q, settle, type, until } from "./lib/dom.test-helpers";
import { appInfo, importReport, item, runSummary } from "./lib/fixtures.test-helpers";

const calls: { command: string; args: Record<string, unknown> | undefined }[] = [];

let info: AppInfo;
let schemaProblems: SchemaProblem[];
let report: ChainReport;
let refuseIdentity: string | null;
let certificate: SigningCertificate | null;

const template: Template = {
  title: "Night",
  description: "",
  content_hash: "h",
  metadata_fields: [],
  sections: [
    {
      id: "s1",
      title: "Before",
      level: 2,
      line: 1,
      blocks: [{ kind: "item", ...item("i1", [], { title: "Backups verified" }) }],
      children: [],
    },
  ],
  report: importReport(),
};

const progress = { total: 1, done: 1, passed: 1, failed: 0, not_applicable: 0, skipped: 0 };

const summary = runSummary({ progress });

const state: RunState = {
  run_id: "r1",
  status: "active",
  finished_at: null,
  entries: [{ element_id: "i1", state: "pass", value: null, actor: "ann", at: "2025-06-01T18:05:00Z" }],
  notes: [],
  progress,
  sections: [{ section_id: "s1", progress }],
  event_count: 3,
  signatures: [],
  gate_decisions: [],
  retain_until: null,
  evidence: [],
  head_hash: "abc",
};

const intact: ChainReport = {
  stream: "run:r1",
  intact: true,
  event_count: 3,
  head_hash: "abc",
  first_bad_position: null,
  message: "intact",
  discrepancies: [],
};

/** The fake backend's answer to each command it knows, by command name. */
const fakeCommands: Record<string, (args?: Record<string, unknown>) => unknown> = {
  startup_problem: () => null,
  app_info: () => structuredClone(info),
  set_identity: (args) => {
    if (refuseIdentity) throw { code: "invalid_input", message: refuseIdentity };
    const identity = args!.identity as AppInfo["identity"];
    info = { ...info, identity, actor: identity!.email ? `${identity!.name} <${identity!.email}>` : identity!.name };
    return structuredClone(info);
  },
  schema_problems: () => structuredClone(schemaProblems),
  restore_schema: () => {
    const restored = schemaProblems;
    schemaProblems = [];
    return restored;
  },
  list_runs: () => [summary],
  get_run: () => ({ run: summary, template, state: structuredClone(state) }),
  verify_run: () => structuredClone(report),
  signing_certificate: () => structuredClone(certificate),
  export_signing_certificate: () => {
    if (!certificate) throw { code: "no_signing_certificate", message: "no certificate yet" };
    return "/e/greenlight-signer-2D2AB0.pem";
  },
  template_probes: () => [],
  list_environments: () => [],
  auto_accept_passes: () => false,
};

function fakeBackend(command: string, args?: Record<string, unknown>): unknown {
  calls.push({ command, args });
  const handler = fakeCommands[command];
  if (!handler) throw { code: "not_found", message: `no fake for ${command}` };
  return handler(args);
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(async (command: string, args?: Record<string, unknown>) => fakeBackend(command, args)),
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async () => () => {}),
}));

/** Waits (a few animation frames) until `selector` matches. */
async function appears(selector: string): Promise<HTMLElement> {
  await until(() => q(selector) !== null, `${selector} appeared`, 20);
  return q(selector)!;
}

describe("trust in the window", () => {
  let app: Record<string, unknown>;

  beforeEach(async () => {
    calls.length = 0;
    info = appInfo({ actor: "dana", identity: null });
    schemaProblems = [];
    report = intact;
    refuseIdentity = null;
    certificate = null;
    Element.prototype.scrollIntoView = () => {};
    HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
      this.setAttribute("open", "");
    };
    app = await mountAppOnRunList();
  });

  afterEach(() => unmount(app));

  it("asks who is using Greenlight at first start, prefilled with the login name, and cannot be dismissed without a name", async () => {
    const dialog = q('[data-testid="identity-dialog"]') as HTMLDialogElement;
    expect(dialog).not.toBeNull();
    expect(dialog.textContent).toContain("Who is using Greenlight?");
    expect(dialog.textContent!.replace(/\s+/g, " ")).toContain("every record you export is signed in this name");
    const name = q('[data-testid="identity-name"]') as HTMLInputElement;
    expect(name.value).toBe("dana");

    // Escape does not close it.
    const cancel = new Event("cancel", { cancelable: true });
    dialog.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);

    // No name: an inline error, nothing sent.
    type(name, "  ");
    dialog.querySelector("form")!.requestSubmit();
    await settle();
    expect(dialog.textContent).toContain("Type your name");
    expect(calls.some((c) => c.command === "set_identity")).toBe(false);

    // The backend's refusal is shown inline too.
    refuseIdentity = "that email address does not look right (name@example.com)";
    type(name, "Dana Release");
    type(q('[data-testid="identity-email"]') as HTMLInputElement, "dana@example.com");
    dialog.querySelector("form")!.requestSubmit();
    await settle();
    expect(q('[data-testid="identity-error"]')!.textContent).toContain("does not look right");
    expect(q('[data-testid="identity-dialog"]')).not.toBeNull();

    // Enter in a field submits the form: saved, the dialog goes, the sidebar names who acts.
    refuseIdentity = null;
    type(q('[data-testid="identity-role"]') as HTMLInputElement, " Release manager ");
    dialog.querySelector("form")!.requestSubmit();
    await settle();
    expect(calls.filter((c) => c.command === "set_identity").at(-1)!.args).toEqual({
      identity: { name: "Dana Release", email: "dana@example.com", role: "Release manager" },
    });
    expect(q('[data-testid="identity-dialog"]')).toBeNull();
    expect(q('[data-testid="acting-as"]')!.textContent).toContain("Dana Release <dana@example.com>");
  });

  it("does not ask once an identity was given", async () => {
    unmount(app);
    info = { ...info, identity: { name: "Dana", email: null, role: null }, actor: "Dana" };
    app = await mountApp();
    expect(q('[data-testid="identity-dialog"]')).toBeNull();
  });

  it("reports missing safeguards and restores them only after a confirmation", async () => {
    unmount(app);
    info = { ...info, identity: { name: "Dana", email: null, role: null } };
    schemaProblems = [
      {
        name: "audit_events_are_append_only_update",
        problem: "missing",
        message: "the trigger audit_events_are_append_only_update that keeps the audit log append-only is missing",
      },
    ];
    app = await mountApp();
    const banner = q('[data-testid="schema-problems"]')!;
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.textContent).toContain("changed outside Greenlight");
    expect(banner.textContent).toContain(
      "audit_events_are_append_only_update that keeps the audit log append-only is missing",
    );

    q('[data-testid="schema-restore"]')!.click();
    await settle();
    q('[data-testid="confirm-no"]')!.click();
    await settle();
    expect(calls.some((c) => c.command === "restore_schema")).toBe(false);
    expect(q('[data-testid="schema-problems"]')).not.toBeNull();

    q('[data-testid="schema-restore"]')!.click();
    await settle();
    q('[data-testid="confirm-yes"]')!.click();
    await settle();
    expect(calls.filter((c) => c.command === "restore_schema")).toHaveLength(1);
    expect(q('[data-testid="schema-problems"]')).toBeNull();
  });

  it("checks an opened run in the background and shows a compact banner when its data differs from the log", async () => {
    unmount(app);
    info = { ...info, identity: { name: "Dana", email: null, role: null } };
    const differing = Array.from({ length: 7 }, (_, i) => ({
      element_id: i === 0 ? "i1" : `x${i}`,
      field: "state",
      message: i === 0 ? "item 'Backups verified' shows pass, the log says fail" : `difference ${i}`,
    }));
    report = {
      ...intact,
      intact: false,
      discrepancies: differing,
      message: "the run as shown differs from its audit log in 7 places",
    };
    app = await mountApp();
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
    expect(q('[data-testid="run-view"]')).not.toBeNull();

    const banner = await appears('[data-testid="run-integrity"]');
    expect(banner.textContent).toContain("This run's data differs from its audit log");
    expect(banner.textContent).toContain("item 'Backups verified' shows pass, the log says fail");
    expect(banner.textContent).toContain("(7 differences)");
    expect(document.querySelectorAll('[data-testid="run-integrity-discrepancy"]')).toHaveLength(0);

    q('[data-testid="run-integrity-toggle"]')!.click();
    await settle();
    expect(document.querySelectorAll('[data-testid="run-integrity-discrepancy"]')).toHaveLength(5);
    expect(banner.textContent).toContain("and 2 more");
    expect(banner.textContent).toContain("differs from its audit log in 7 places");

    // The manual check lists them too.
    await openRunMenu();
    q('[data-testid="verify-run"]')!.click();
    await settle();
    expect(q('[data-testid="verify-result"]')!.textContent).toContain("This run's data differs from its audit log");
    expect(document.querySelectorAll('[data-testid="verify-discrepancy"]')).toHaveLength(5);
  });

  it("shows no banner for an intact run", async () => {
    unmount(app);
    info = { ...info, identity: { name: "Dana", email: null, role: null } };
    app = await mountApp();
    q('[data-testid="run-row"][data-run-id="r1"]')!.click();
    await settle();
    for (let i = 0; i < 5 && !calls.some((c) => c.command === "verify_run"); i++)
      await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(calls.some((c) => c.command === "verify_run")).toBe(true);
    expect(q('[data-testid="run-integrity"]')).toBeNull();
  });

  it("shows the signing certificate in Settings, or when it will be made, and saves it to the export folder", async () => {
    unmount(app);
    info = { ...info, identity: { name: "Dana Release", email: "dana@example.com", role: "Release manager" } };
    app = await mountApp();
    q('[data-testid="nav-settings"]')!.click();
    await settle();
    expect((q('[data-testid="settings-actor-input"]') as HTMLInputElement).value).toBe("Dana Release");
    expect((q('[data-testid="settings-email-input"]') as HTMLInputElement).value).toBe("dana@example.com");
    expect((q('[data-testid="settings-role-input"]') as HTMLInputElement).value).toBe("Release manager");
    expect(q('[data-testid="settings-signing-empty"]')!.textContent).toContain("made at your first record export");
    expect(q('[data-testid="settings-signing-empty"]')!.textContent).toContain("OS keychain");

    unmount(app);
    certificate = {
      subject: "CN=Dana Release, emailAddress=dana@example.com",
      issuer: "CN=Dana Release, emailAddress=dana@example.com",
      fingerprint_sha256: "2D:2A:B0",
      not_before: "2026-12-01T16:07:00Z",
      not_after: "2031-11-30T16:07:00Z",
      self_signed: true,
      pem: "-----BEGIN CERTIFICATE-----",
    };
    app = await mountApp();
    q('[data-testid="nav-settings"]')!.click();
    await settle();
    expect(q('[data-testid="settings-signing-subject"]')!.textContent).toContain("CN=Dana Release");
    expect(q('[data-testid="settings-signing-fingerprint"]')!.textContent).toBe("2D:2A:B0");
    expect(q('[data-testid="settings-signing-fingerprint"]')!.className).toContain("mono");
    expect(q('[data-testid="settings-signing-self-signed"]')!.textContent).toContain("fingerprint");
    q('[data-testid="settings-signing-save"]')!.click();
    await settle();
    expect(q('[data-testid="settings-signing-path"]')!.textContent).toContain("/e/greenlight-signer-2D2AB0.pem");

    // Saving who you are sends the whole identity.
    type(q('[data-testid="settings-role-input"]') as HTMLInputElement, "");
    q('[data-testid="settings-actor-save"]')!.closest("form")!.requestSubmit();
    await settle();
    expect(calls.filter((c) => c.command === "set_identity").at(-1)!.args).toEqual({
      identity: { name: "Dana Release", email: "dana@example.com", role: null },
    });
  });
});
