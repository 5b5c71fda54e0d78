import { randomBytes } from "node:crypto";
import type { Db } from "#db/client";
import { staffSessions } from "#db/schema";
import type { RoleId } from "#app/core/permissions";
import { createStaffAccount, permissionsOf } from "#app/server/auth/staff-accounts.server";
import { type StaffIdentity, sessionIdOf, staffCookie } from "#app/server/auth/staff.server";
import type { Config } from "#app/server/config.server";

/**
 * A staff member with one role, as the use cases receive one after the sign-in (`requireStaff`):
 * the account is real, the permissions are read from its role; `sessionId` names no row (the use
 * cases only pass it on), `lastTotpAt` is now.
 */
export async function createStaff(
  db: Db,
  userName: string,
  role: RoleId,
  displayName = `Name ${userName}`,
): Promise<StaffIdentity> {
  const id = await createStaffAccount(db, {
    userName,
    displayName,
    email: `${userName}@x`,
    password: "pw",
    roles: [role],
  });
  return {
    id,
    userName,
    displayName,
    permissions: await permissionsOf(db, id),
    sessionId: "s",
    lastTotpAt: new Date(),
  };
}

/**
 * A signed-in staff session written straight into the portal's database, as the sign-in pages leave
 * it (password and second factor passed, a fresh code at `lastTotpAt`): the `Cookie` header value
 * (`rp_staff=…`) that opens it. Only the sign-in tests go through the pages; everything else starts here.
 */
export async function openStaffSession(
  db: Db,
  config: Pick<Config, "sessionSecret" | "secureCookies">,
  staffId: string,
  { lastTotpAt = new Date(), hours = 9 } = {},
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(staffSessions).values({
    id: sessionIdOf(token),
    userId: staffId,
    totpPassed: true,
    lastTotpAt,
    expiresAt: new Date(Date.now() + hours * 3_600_000),
  });
  return (await staffCookie({ config }).serialize(token)).split(";")[0]!;
}
