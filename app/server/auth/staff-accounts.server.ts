import { and, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { rolePermissions, roles, staffUserRoles, staffUsers, verifications } from "#db/schema";
import { type Permission, type RoleId, isPermission, roleDefinitions, roleIds } from "#app/core/permissions";
import type { StaffSecretType } from "#app/core/verifications";
import { appendAuditEvent } from "../audit.server";
import { hashPassword } from "./password.server";

/** Writes the default roles and their permissions; existing grants stay (administrators may add). */
export async function syncRoles(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const id of roleIds) {
      const { name, permissions } = roleDefinitions[id];
      await tx
        .insert(roles)
        .values({ id, nameDe: name.de, nameEn: name.en })
        .onConflictDoUpdate({ target: roles.id, set: { nameDe: name.de, nameEn: name.en } });
      await tx
        .insert(rolePermissions)
        .values(permissions.map((permission) => ({ roleId: id, permission })))
        .onConflictDoNothing();
    }
  });
}

export interface NewStaffAccount {
  userName: string;
  displayName: string;
  email: string;
  password: string;
  roles: RoleId[];
  /** Pre-enrolled TOTP secret (demo accounts); without it the person enrols at first sign-in. */
  totpSecret?: string;
}

export async function createStaffAccount(
  db: Db,
  account: NewStaffAccount,
  actorId: string | null = null,
): Promise<string> {
  const passwordHash = await hashPassword(account.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(staffUsers)
      .values({
        userName: account.userName,
        displayName: account.displayName,
        email: account.email,
        passwordHash,
      })
      .returning({ id: staffUsers.id });
    const id = user!.id;
    await tx.insert(staffUserRoles).values(account.roles.map((roleId) => ({ userId: id, roleId })));
    if (account.totpSecret)
      await tx.insert(verifications).values({ type: "staff-totp", target: id, secret: account.totpSecret });
    await appendAuditEvent(tx, {
      actorType: actorId ? "staff" : "system",
      actorId,
      action: "staff.account-created",
      data: { staffId: id, roles: account.roles },
    });
    return id;
  });
}

export async function permissionsOf(db: DbOrTx, userId: string): Promise<Set<Permission>> {
  const rows = await db
    .select({ permission: rolePermissions.permission })
    .from(staffUserRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, staffUserRoles.roleId))
    .where(eq(staffUserRoles.userId, userId));
  return new Set(rows.map((r) => r.permission).filter(isPermission));
}

export async function rolesOf(db: DbOrTx, userId: string): Promise<RoleId[]> {
  const rows = await db
    .select({ roleId: staffUserRoles.roleId })
    .from(staffUserRoles)
    .where(eq(staffUserRoles.userId, userId));
  return rows.map((r) => r.roleId).filter((r): r is RoleId => (roleIds as readonly string[]).includes(r));
}

export async function totpSecretOf(
  db: DbOrTx,
  userId: string,
  type: Exclude<StaffSecretType, "staff-recovery"> = "staff-totp",
): Promise<string | null> {
  const [row] = await db
    .select({ secret: verifications.secret })
    .from(verifications)
    .where(and(eq(verifications.type, type), eq(verifications.target, userId)));
  return row?.secret ?? null;
}

export async function accountsExist(db: Db): Promise<boolean> {
  const rows = await db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
  return rows.length > 0;
}
