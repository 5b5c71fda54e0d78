/**
 * Staff accounts managed by an operator on the command line (`npm run staff`), the only way to
 * create one outside demo mode. Every change is one transaction with its audit event; secrets
 * (the generated password) are returned to the caller to show once and are never written to the
 * audit trail or the log.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "#db/client";
import { staffSessions, staffUsers, verifications } from "#db/schema";
import { type RoleId, roleIds } from "#app/core/permissions";
import { staffSecretTypes } from "#app/core/verifications";
import { appendAuditEvent } from "../audit.server";
import { hashPassword } from "./password.server";
import { createStaffAccount } from "./staff-accounts.server";

export type StaffCommand =
  | { command: "add"; userName: string; displayName: string; email: string; roles: RoleId[] }
  | { command: "disable"; userName: string }
  | { command: "reset-totp"; userName: string; newPassword: boolean };

const staffUsage = `Usage:
  npm run staff -- add <user> --role <${roleIds.join("|")}> [--role …] --name "<display name>" --email <address>
  npm run staff -- disable <user>
  npm run staff -- reset-totp <user> [--new-password]`;

export class StaffCommandError extends Error {}

const userNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,62}$/,
    "a user name is 2 to 63 lower-case letters, digits, dots, dashes or underscores",
  );
const addSchema = z.object({
  userName: userNameSchema,
  displayName: z.string().trim().min(2, "--name is required (2 to 200 characters)").max(200),
  email: z.email("--email must be an e-mail address"),
  roles: z
    .array(z.enum(roleIds, `--role must be one of ${roleIds.join(", ")}`))
    .min(1, "at least one --role is required"),
});

/** The command line after `npm run staff --`; a wrong one is a StaffCommandError with the usage. */
export function parseStaffCommand(argv: string[]): StaffCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        role: { type: "string", multiple: true },
        name: { type: "string" },
        email: { type: "string" },
        "new-password": { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new StaffCommandError(`${(error as Error).message}\n${staffUsage}`);
  }
  const { positionals, values } = parsed;
  const [command, userName, ...rest] = positionals;
  if (!userName || rest.length > 0) throw new StaffCommandError(staffUsage);
  const problems = (error: z.ZodError) =>
    new StaffCommandError(`${error.issues.map((i) => i.message).join("; ")}\n${staffUsage}`);
  if (command === "add") {
    const add = addSchema.safeParse({
      userName,
      displayName: values.name ?? "",
      email: values.email ?? "",
      roles: values.role ?? [],
    });
    if (!add.success) throw problems(add.error);
    return { command, ...add.data, roles: [...new Set(add.data.roles)] };
  }
  if (command !== "disable" && command !== "reset-totp") throw new StaffCommandError(staffUsage);
  const extra: string[] = (["role", "name", "email"] as const).filter(
    (option) => values[option] !== undefined,
  );
  if (command === "disable" && values["new-password"]) extra.push("new-password");
  if (extra.length > 0)
    throw new StaffCommandError(`${command} takes no --${extra.join(", --")}\n${staffUsage}`);
  const name = userNameSchema.safeParse(userName);
  if (!name.success) throw problems(name.error);
  return command === "disable"
    ? { command, userName: name.data }
    : { command, userName: name.data, newPassword: values["new-password"] };
}

export type StaffCommandResult =
  | { command: "add"; staffId: string; password: string }
  | { command: "disable"; staffId: string; sessionsEnded: number }
  | { command: "reset-totp"; staffId: string; sessionsEnded: number; password: string | null };

/** Long enough to need no rules about characters; shown once, the hash alone is stored. */
function newPassword(): string {
  return randomBytes(18).toString("base64url");
}

export async function runStaffCommand(db: Db, command: StaffCommand): Promise<StaffCommandResult> {
  if (command.command === "add") {
    const [existing] = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.userName, command.userName));
    if (existing) throw new StaffCommandError(`an account "${command.userName}" exists already`);
    const password = newPassword();
    // Without a TOTP secret: the first sign-in with this password leads to setting up the app.
    const staffId = await createStaffAccount(db, {
      userName: command.userName,
      displayName: command.displayName,
      email: command.email,
      roles: command.roles,
      password,
    });
    return { command: "add", staffId, password };
  }
  const [user] = await db
    .select({ id: staffUsers.id, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(eq(staffUsers.userName, command.userName));
  if (!user) throw new StaffCommandError(`no account "${command.userName}"`);
  if (command.command === "disable") {
    if (user.disabledAt) throw new StaffCommandError(`the account "${command.userName}" is disabled already`);
    return db.transaction(async (tx) => {
      await tx.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, user.id));
      const sessionsEnded = await endSessions(tx, user.id);
      await appendAuditEvent(tx, {
        actorType: "system",
        action: "staff.account-disabled",
        data: { staffId: user.id, sessionsEnded, by: "command-line" },
      });
      return { command: "disable" as const, staffId: user.id, sessionsEnded };
    });
  }
  if (user.disabledAt) throw new StaffCommandError(`the account "${command.userName}" is disabled`);
  const password = command.newPassword ? newPassword() : null;
  const passwordHash = password ? await hashPassword(password) : null;
  return db.transaction(async (tx) => {
    // The secret, a half-finished enrolment and the recovery codes go together: the next sign-in enrols anew.
    await tx
      .delete(verifications)
      .where(and(eq(verifications.target, user.id), inArray(verifications.type, staffSecretTypes)));
    await tx
      .update(staffUsers)
      .set({ lastTotpStep: null, ...(passwordHash ? { passwordHash } : {}) })
      .where(eq(staffUsers.id, user.id));
    const sessionsEnded = await endSessions(tx, user.id);
    await appendAuditEvent(tx, {
      actorType: "system",
      action: "staff.totp-reset",
      data: { staffId: user.id, sessionsEnded, newPassword: password !== null, by: "command-line" },
    });
    return { command: "reset-totp" as const, staffId: user.id, sessionsEnded, password };
  });
}

/** Ends every open session of the account at once, not at its expiry. */
async function endSessions(tx: DbOrTx, userId: string): Promise<number> {
  const ended = await tx
    .update(staffSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(staffSessions.userId, userId), isNull(staffSessions.revokedAt)))
    .returning({ id: staffSessions.id });
  return ended.length;
}

/** What the operator reads: where to sign in and, once, the password to hand over in person. */
export function describeStaffResult(
  result: StaffCommandResult,
  userName: string,
  publicUrl: string,
): string[] {
  const signIn = `${publicUrl}/intern/anmelden`;
  if (result.command === "disable")
    return [`Account "${userName}" disabled; ${result.sessionsEnded} open session(s) ended.`];
  const password = result.password
    ? [`Password (shown only now; hand it over in person, not by e-mail): ${result.password}`]
    : [];
  if (result.command === "add") {
    return [
      `Account "${userName}" created.`,
      `Sign-in: ${signIn} — at the first sign-in the portal asks to set up an authenticator app (TOTP).`,
      ...password,
    ];
  }
  return [
    `Second factor of "${userName}" reset; ${result.sessionsEnded} open session(s) ended.`,
    `At the next sign-in with the password (${signIn}) the portal asks to set up the authenticator app anew.`,
    ...password,
  ];
}
