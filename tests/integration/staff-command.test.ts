import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffAccount, rolesOf, totpSecretOf } from "#app/server/auth/staff-accounts.server";
import {
  StaffCommandError,
  describeStaffResult,
  parseStaffCommand,
  runStaffCommand,
} from "#app/server/auth/staff-admin.server";
import { completeSignIn, requireStaff, signInWithPassword } from "#app/server/auth/staff.server";
import { newTotpSecret } from "#app/server/auth/totp.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
});
afterAll(() => close());

const base = "http://portal.test";
const withCookie = (cookie: string) =>
  new Request(`${base}/intern`, { headers: { Cookie: cookie.split(";")[0]! } });
const signIn = (userName: string, password: string) =>
  signInWithPassword({ services }, { userName, password, clientIp: "198.51.100.40" });
const run = (argv: string[]) => runStaffCommand(services.database.db, parseStaffCommand(argv));
const auditOf = async (staffId: string) =>
  (
    await services.database.sql.query<{ action: string; data: unknown }>(
      "select action, data from audit_events where data->>'staffId' = $1 order by seq",
      [staffId],
    )
  ).map((r) => r.action);
const allAuditText = async () =>
  JSON.stringify(await services.database.sql.query("select * from audit_events"));

/** A complete sign-in (password and TOTP code): the session cookie. */
async function fullSession(userName: string, password: string, secret: string): Promise<string> {
  const step1 = await signIn(userName, password);
  if (!step1.ok) throw new Error(step1.reason);
  expect(await completeSignIn(withCookie(step1.setCookie), { services }, await generate({ secret }))).toEqual(
    { ok: true },
  );
  return step1.setCookie;
}

describe("npm run staff: the command line", () => {
  it("reads add, disable and reset-totp, and refuses anything else with the usage", () => {
    expect(
      parseStaffCommand([
        "add",
        "m.muster",
        "--role",
        "dpo",
        "--role",
        "case-handler",
        "--role",
        "dpo",
        "--name",
        "Maria Muster",
        "--email",
        "m.muster@tlrz.example",
      ]),
    ).toEqual({
      command: "add",
      userName: "m.muster",
      displayName: "Maria Muster",
      email: "m.muster@tlrz.example",
      roles: ["dpo", "case-handler"],
    });
    expect(parseStaffCommand(["disable", "m.muster"])).toEqual({ command: "disable", userName: "m.muster" });
    expect(parseStaffCommand(["reset-totp", "m.muster", "--new-password"])).toEqual({
      command: "reset-totp",
      userName: "m.muster",
      newPassword: true,
    });
    const refused = (argv: string[], message: RegExp) =>
      expect(() => parseStaffCommand(argv)).toThrow(message);
    refused(
      ["add", "m.muster", "--name", "Maria Muster", "--email", "m@tlrz.example"],
      /at least one --role/,
    );
    refused(
      ["add", "m.muster", "--role", "root", "--name", "Maria Muster", "--email", "m@tlrz.example"],
      /--role must be one of case-handler, dpo, admin/,
    );
    refused(
      ["add", "m.muster", "--role", "dpo", "--name", "Maria Muster", "--email", "not-an-address"],
      /--email must be an e-mail address/,
    );
    refused(
      ["add", "Maria Muster", "--role", "dpo", "--name", "M", "--email", "m@tlrz.example"],
      /user name/,
    );
    refused(["disable", "m.muster", "--role", "dpo"], /disable takes no --role/);
    refused(["disable", "m.muster", "--new-password"], /disable takes no --new-password/);
    refused(["delete", "m.muster"], /Usage:/);
    refused(["disable"], /Usage:/);
    refused(["add", "m.muster", "--colour", "blue"], /Unknown option/);
    expect(() => parseStaffCommand([])).toThrow(StaffCommandError);
  });
});

describe("npm run staff: on the database", () => {
  it("add creates an account with a generated password, audited without it; the first sign-in enrols", async () => {
    const result = await run([
      "add",
      "neu",
      "--role",
      "case-handler",
      "--name",
      "Neue Person",
      "--email",
      "neu@tlrz.example",
    ]);
    if (result.command !== "add") throw new Error("add expected");
    expect(result.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await rolesOf(services.database.db, result.staffId)).toEqual(["case-handler"]);
    expect(await totpSecretOf(services.database.db, result.staffId)).toBeNull();
    expect(await signIn("neu", result.password)).toMatchObject({ ok: true, next: "enrol" });
    expect(await auditOf(result.staffId)).toEqual(["staff.account-created"]);
    expect(await allAuditText()).not.toContain(result.password);
    const lines = describeStaffResult(result, "neu", "https://portal.example");
    expect(lines.join("\n")).toContain("https://portal.example/intern/anmelden");
    expect(lines.join("\n")).toContain(result.password);
    await expect(
      run(["add", "neu", "--role", "dpo", "--name", "Noch Eine", "--email", "x@tlrz.example"]),
    ).rejects.toThrow(/exists already/);
  });

  it("reset-totp removes the second factor, ends the sessions and lets the next sign-in enrol; --new-password replaces the password", async () => {
    const secret = newTotpSecret();
    const staffId = await createStaffAccount(services.database.db, {
      userName: "telefon-weg",
      displayName: "T",
      email: "t@tlrz.example",
      password: "altes passwort",
      roles: ["dpo"],
      totpSecret: secret,
    });
    const cookie = await fullSession("telefon-weg", "altes passwort", secret);
    expect((await requireStaff(withCookie(cookie), { services })).id).toBe(staffId);

    const result = await run(["reset-totp", "telefon-weg"]);
    expect(result).toMatchObject({ command: "reset-totp", staffId, sessionsEnded: 1, password: null });
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
    expect(await totpSecretOf(services.database.db, staffId)).toBeNull();
    expect(await signIn("telefon-weg", "altes passwort")).toMatchObject({ ok: true, next: "enrol" });

    const renewed = await run(["reset-totp", "telefon-weg", "--new-password"]);
    if (renewed.command !== "reset-totp" || !renewed.password) throw new Error("a new password expected");
    expect(await signIn("telefon-weg", "altes passwort")).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn("telefon-weg", renewed.password)).toMatchObject({ ok: true, next: "enrol" });
    expect(await auditOf(staffId)).toEqual(["staff.account-created", "staff.totp-reset", "staff.totp-reset"]);
    expect(await allAuditText()).not.toContain(renewed.password);
    await expect(run(["reset-totp", "niemand"])).rejects.toThrow(/no account "niemand"/);
  });

  it("disable ends the sessions and refuses every further sign-in; twice is refused", async () => {
    const secret = newTotpSecret();
    const staffId = await createStaffAccount(services.database.db, {
      userName: "geht",
      displayName: "G",
      email: "g@tlrz.example",
      password: "passwort",
      roles: ["admin"],
      totpSecret: secret,
    });
    const cookie = await fullSession("geht", "passwort", secret);

    expect(await run(["disable", "geht"])).toEqual({ command: "disable", staffId, sessionsEnded: 1 });
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
    expect(await signIn("geht", "passwort")).toEqual({ ok: false, reason: "invalid" });
    expect(await auditOf(staffId)).toEqual(["staff.account-created", "staff.account-disabled"]);
    await expect(run(["disable", "geht"])).rejects.toThrow(/disabled already/);
    await expect(run(["reset-totp", "geht"])).rejects.toThrow(/is disabled/);
  });
});
