import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffAccount } from "#app/server/auth/staff-accounts.server";
import {
  codeThrottle,
  completeSignIn,
  confirmEnrolment,
  requireStaff,
  revokeSession,
  signInThrottle,
  signInWithPassword,
} from "#app/server/auth/staff.server";
import * as abmelden from "#app/routes/intern/abmelden";
import * as einrichten from "#app/routes/intern/einrichten";
import { newTotpSecret } from "#app/server/auth/totp.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;
const secret = newTotpSecret();

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  await createStaffAccount(services.database.db, {
    userName: "handler",
    displayName: "H",
    email: "h@tlrz.example",
    password: "correct horse",
    roles: ["case-handler"],
    totpSecret: secret,
  });
  await createStaffAccount(services.database.db, {
    userName: "victim",
    displayName: "V",
    email: "v@tlrz.example",
    password: "right",
    roles: ["dpo"],
    totpSecret: newTotpSecret(),
  });
});
afterAll(() => close());

const base = "http://portal.test";
const withCookie = (cookie: string, path = "/intern", init: RequestInit = {}) =>
  new Request(`${base}${path}`, {
    ...init,
    headers: { Cookie: cookie.split(";")[0]!, ...(init.headers ?? {}) },
  });
const auditActions = async () =>
  (
    await services.database.sql.query<{ action: string; reason: string | null }>(
      "select action, reason from audit_events order by seq",
    )
  ).map((r) => `${r.action}:${r.reason ?? ""}`);

async function signIn(): Promise<string> {
  const step1 = await signInWithPassword(
    { services },
    { userName: "handler", password: "correct horse", clientIp: "198.51.100.7" },
  );
  if (!step1.ok) throw new Error(step1.reason);
  return step1.setCookie;
}

describe("staff sign-in", () => {
  it("refuses a wrong password and an unknown user alike, and audits both", async () => {
    expect(
      await signInWithPassword(
        { services },
        { userName: "handler", password: "wrong", clientIp: "198.51.100.7" },
      ),
    ).toEqual({ ok: false, reason: "invalid" });
    expect(
      await signInWithPassword({ services }, { userName: "nobody", password: "x", clientIp: "198.51.100.7" }),
    ).toEqual({ ok: false, reason: "invalid" });
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["staff.sign-in-failed:password", "staff.sign-in-failed:unknown-user"]),
    );
  });

  it("throttles a client failing for a name, known or unknown alike, and never locks the account out", async () => {
    const stranger = "203.0.113.9";
    for (const userName of ["victim", "ghost"]) {
      for (let i = 0; i < signInThrottle.max; i++) {
        expect(
          await signInWithPassword({ services }, { userName, password: "no", clientIp: stranger }),
        ).toEqual({ ok: false, reason: "invalid" });
      }
    }
    // The stranger's client is refused for both names with the same answer, the right password too.
    expect(
      await signInWithPassword({ services }, { userName: "victim", password: "right", clientIp: stranger }),
    ).toEqual({ ok: false, reason: "rate-limited" });
    expect(
      await signInWithPassword({ services }, { userName: "ghost", password: "right", clientIp: stranger }),
    ).toEqual({ ok: false, reason: "rate-limited" });
    // The owner, elsewhere, still gets in (a little slower); the unknown name stays merely invalid.
    const owner = await signInWithPassword(
      { services },
      { userName: "victim", password: "right", clientIp: "198.51.100.20" },
    );
    expect(owner).toMatchObject({ ok: true, next: "totp" });
    expect(
      await signInWithPassword(
        { services },
        { userName: "ghost", password: "right", clientIp: "198.51.100.20" },
      ),
    ).toEqual({ ok: false, reason: "invalid" });
    const [row] = await services.database.sql.query<{ locked: string | null }>(
      "select locked_until as locked from staff_users where user_name = 'victim'",
    );
    expect(row!.locked).toBeNull();
  });

  it("ends a half-finished sign-in after five wrong codes, and the right code then opens nothing", async () => {
    const cookie = await signIn();
    for (let i = 1; i < codeThrottle.max; i++)
      expect(await completeSignIn(withCookie(cookie), { services }, "000000")).toEqual({
        ok: false,
        reason: "invalid",
      });
    expect(await completeSignIn(withCookie(cookie), { services }, "000000")).toEqual({
      ok: false,
      reason: "expired",
    });
    await services.database.sql.query(
      "update staff_users set last_totp_step = null where user_name = 'handler'",
    );
    expect(await completeSignIn(withCookie(cookie), { services }, await generate({ secret }))).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("needs the TOTP code before the session counts, and accepts each code once", async () => {
    const cookie = await signIn();
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
    const code = await generate({ secret });
    expect(await completeSignIn(withCookie(cookie), { services }, code)).toEqual({ ok: true });
    const staff = await requireStaff(withCookie(cookie), { services }, "case:read");
    expect(staff.userName).toBe("handler");

    const replay = await signIn();
    expect(await completeSignIn(withCookie(replay), { services }, code)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("answers a missing permission with 403 and audits it", async () => {
    const cookie = await signIn();
    await services.database.sql.query(
      "update staff_users set last_totp_step = null where user_name = 'handler'",
    );
    expect(await completeSignIn(withCookie(cookie), { services }, await generate({ secret }))).toEqual({
      ok: true,
    });
    await expect(requireStaff(withCookie(cookie), { services }, "release:approve")).rejects.toMatchObject({
      status: 403,
    });
    expect(await auditActions()).toContain("staff.forbidden:release:approve");
  });

  it("refuses a change posted from another site", async () => {
    const cookie = await signIn();
    await services.database.sql.query(
      "update staff_users set last_totp_step = null where user_name = 'handler'",
    );
    await completeSignIn(withCookie(cookie), { services }, await generate({ secret }));
    const forged = withCookie(cookie, "/intern/sitzungen", {
      method: "POST",
      headers: { Origin: "https://evil.example" },
    });
    await expect(requireStaff(forged, { services })).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a change posted with neither Origin nor Referer", async () => {
    const cookie = await signIn();
    await services.database.sql.query(
      "update staff_users set last_totp_step = null where user_name = 'handler'",
    );
    await completeSignIn(withCookie(cookie), { services }, await generate({ secret }));
    await expect(
      requireStaff(withCookie(cookie, "/intern/sitzungen", { method: "POST" }), { services }),
    ).rejects.toMatchObject({ status: 403 });
    const fromOurPage = withCookie(cookie, "/intern/sitzungen", {
      method: "POST",
      headers: { Referer: `${base}/intern/sitzungen` },
    });
    expect((await requireStaff(fromOurPage, { services })).userName).toBe("handler");
  });

  it("signs out only on a POST from our own pages", async () => {
    const cookie = await signIn();
    await services.database.sql.query(
      "update staff_users set last_totp_step = null where user_name = 'handler'",
    );
    await completeSignIn(withCookie(cookie), { services }, await generate({ secret }));
    const signOut = (headers: Record<string, string>) =>
      abmelden.action({
        request: withCookie(cookie, "/intern/abmelden", { method: "POST", headers }),
        context: { services },
        params: {},
      } as never);
    await expect(signOut({ Origin: "https://evil.example" })).rejects.toMatchObject({ status: 403 });
    await expect(signOut({})).rejects.toMatchObject({ status: 403 });
    expect((await requireStaff(withCookie(cookie), { services })).userName).toBe("handler");
    expect((await signOut({ Origin: base })).status).toBe(302);
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
  });

  it("offers enrolment only to an account without a second factor", async () => {
    // An enrolled account after its password: no new secret, neither shown nor accepted.
    const cookie = await signIn();
    const call = (c: string) =>
      einrichten.loader({
        request: withCookie(c, "/intern/einrichten"),
        context: { services },
        params: {},
      } as never);
    await expect(call(cookie)).rejects.toMatchObject({ status: 302 });
    expect(
      await confirmEnrolment(
        withCookie(cookie, "/intern/einrichten", { method: "POST" }),
        { services },
        "123456",
      ),
    ).toEqual({ ok: false });
    const pending = await services.database.sql.query(
      "select 1 from verifications where type = 'staff-totp-pending'",
    );
    expect(pending).toHaveLength(0);

    await createStaffAccount(services.database.db, {
      userName: "newcomer",
      displayName: "N",
      email: "n@tlrz.example",
      password: "first day",
      roles: ["case-handler"],
    });
    const first = await signInWithPassword(
      { services },
      { userName: "newcomer", password: "first day", clientIp: "198.51.100.30" },
    );
    if (!first.ok) throw new Error(first.reason);
    expect(first.next).toBe("enrol");
    const page = (await call(first.setCookie)) as { secret: string };
    expect(page.secret).toMatch(/^[A-Z2-7]+$/);
  });

  it("ends a revoked session at once", async () => {
    const cookie = await signIn();
    await services.database.sql.query(
      "update staff_users set last_totp_step = null where user_name = 'handler'",
    );
    await completeSignIn(withCookie(cookie), { services }, await generate({ secret }));
    const staff = await requireStaff(withCookie(cookie), { services });
    expect(await revokeSession(services.database.db, staff, staff.sessionId)).toBe(true);
    await expect(requireStaff(withCookie(cookie), { services })).rejects.toMatchObject({ status: 302 });
  });
});
