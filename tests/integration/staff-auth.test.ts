import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffAccount } from "../../app/server/auth/staff-accounts.server";
import { completeSignIn, maxFailedSignIns, requireStaff, revokeSession, signInWithPassword } from "../../app/server/auth/staff.server";
import { newTotpSecret } from "../../app/server/auth/totp.server";
import type { Services } from "../../app/server/services.server";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;
const secret = newTotpSecret();

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  await createStaffAccount(services.database.db, { userName: "handler", displayName: "H", email: "h@tlrz.example", password: "correct horse", roles: ["case-handler"], totpSecret: secret });
  await createStaffAccount(services.database.db, { userName: "victim", displayName: "V", email: "v@tlrz.example", password: "right", roles: ["dpo"], totpSecret: newTotpSecret() });
});
afterAll(() => close());

const base = "http://portal.test";
const withCookie = (cookie: string, path = "/intern", init: RequestInit = {}) =>
  new Request(`${base}${path}`, { ...init, headers: { Cookie: cookie.split(";")[0]!, ...(init.headers ?? {}) } });
const auditActions = async () => (await services.database.sql.query<{ action: string; reason: string | null }>("select action, reason from audit_events order by seq")).map((r) => `${r.action}:${r.reason ?? ""}`);

async function signIn(): Promise<string> {
  const step1 = await signInWithPassword({ services }, { userName: "handler", password: "correct horse", clientIp: "198.51.100.7" });
  if (!step1.ok) throw new Error(step1.reason);
  return step1.setCookie;
}

describe("staff sign-in", () => {
  it("refuses a wrong password and an unknown user alike, and audits both", async () => {
    expect(await signInWithPassword({ services }, { userName: "handler", password: "wrong", clientIp: "198.51.100.7" })).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword({ services }, { userName: "nobody", password: "x", clientIp: "198.51.100.7" })).toEqual({ ok: false, reason: "invalid" });
    expect(await auditActions()).toEqual(expect.arrayContaining(["staff.sign-in-failed:password", "staff.sign-in-failed:unknown-user"]));
  });

  it("locks an account after repeated failures, even for the right password", async () => {
    for (let i = 0; i < maxFailedSignIns; i++) await signInWithPassword({ services }, { userName: "victim", password: "no", clientIp: "203.0.113.9" });
    const result = await signInWithPassword({ services }, { userName: "victim", password: "right", clientIp: "203.0.113.9" });
    expect(result).toMatchObject({ ok: false, reason: "locked" });
  });

  it("needs the TOTP code before the session counts, and accepts each code once", async () => {
    const cookie = await signIn();
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
    const code = await generate({ secret });
    expect(await completeSignIn(withCookie(cookie), { services }, code)).toEqual({ ok: true });
    const staff = await requireStaff(withCookie(cookie), { services }, "case:read");
    expect(staff.userName).toBe("handler");

    const replay = await signIn();
    expect(await completeSignIn(withCookie(replay), { services }, code)).toEqual({ ok: false, reason: "invalid" });
  });

  it("answers a missing permission with 403 and audits it", async () => {
    const cookie = await signIn();
    await services.database.sql.query("update staff_users set last_totp_step = null where user_name = 'handler'");
    expect(await completeSignIn(withCookie(cookie), { services }, await generate({ secret }))).toEqual({ ok: true });
    await expect(requireStaff(withCookie(cookie), { services }, "release:approve")).rejects.toMatchObject({ status: 403 });
    expect(await auditActions()).toContain("staff.forbidden:release:approve");
  });

  it("refuses a change posted from another site", async () => {
    const cookie = await signIn();
    await services.database.sql.query("update staff_users set last_totp_step = null where user_name = 'handler'");
    await completeSignIn(withCookie(cookie), { services }, await generate({ secret }));
    const forged = withCookie(cookie, "/intern/sitzungen", { method: "POST", headers: { Origin: "https://evil.example" } });
    await expect(requireStaff(forged, { services })).rejects.toMatchObject({ status: 403 });
  });

  it("ends a revoked session at once", async () => {
    const cookie = await signIn();
    await services.database.sql.query("update staff_users set last_totp_step = null where user_name = 'handler'");
    await completeSignIn(withCookie(cookie), { services }, await generate({ secret }));
    const staff = await requireStaff(withCookie(cookie), { services });
    expect(await revokeSession(services.database.db, staff, staff.sessionId)).toBe(true);
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
  });
});
