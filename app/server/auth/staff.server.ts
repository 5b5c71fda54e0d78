import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { createCookie, redirect } from "react-router";
import type { Db } from "#db/client";
import { staffSessions, staffUsers, verifications } from "#db/schema";
import type { Permission } from "#app/core/permissions";
import { appendAuditEvent } from "../audit.server";
import { type RateLimit, countHits, recordHits, takeRateLimits } from "../rate-limit.server";
import type { Config } from "../config.server";
import type { Services } from "../services.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { permissionsOf, totpSecretOf } from "./staff-accounts.server";
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, verifyTotp } from "./totp.server";

/**
 * Failed sign-ins are throttled, never locked: a stranger who knows a user name must not be able to
 * lock its owner out, and a lock that only real accounts get would tell which names exist.
 * Per name and client: after this many failures in the window that client is refused for the name.
 */
export const signInThrottle: RateLimit = { name: "sign-in-name-client", max: 5, windowMs: 15 * 60_000 };
/** Per name from anywhere: failures beyond the first few slow every further try for the name down. */
const nameFailures: RateLimit = { name: "sign-in-name", max: 5, windowMs: 15 * 60_000 };
const maxDelayMs = 4_000;
/** Wrong second-factor codes per session: at the limit the half-finished sign-in ends. */
export const codeThrottle: RateLimit = { name: "sign-in-code-session", max: 5, windowMs: 15 * 60_000 };

/** A signed-in staff session lasts a working day; the half-finished sign-in a quarter of an hour. */
const sessionHours = 9;
const pendingMinutes = 15;
/** Approving a release or deciding an objection needs a TOTP code no older than this. */
export const freshTotpMinutes = 10;

export interface StaffIdentity {
  id: string;
  userName: string;
  displayName: string;
  permissions: Set<Permission>;
  sessionId: string;
  lastTotpAt: Date | null;
}

/** What a staff page tells its header about the member: who, and which links to show. */
export function staffPageMember(staff: StaffIdentity): { id: string; permissions: Permission[] } {
  return { id: staff.id, permissions: [...staff.permissions] };
}

type Context = { services: Services };

/** Exported for tests that open a session without the sign-in pages (tests/support/staff.ts). */
export function staffCookie(services: { config: Pick<Config, "sessionSecret" | "secureCookies"> }) {
  return createCookie("rp_staff", {
    // Not "/intern": React Router's data requests go to "/intern.data", which that path would not cover.
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: services.config.secureCookies,
    secrets: [services.config.sessionSecret],
  });
}

/** The cookie holds a random token; the database only its hash, so a leaked table opens no session. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

async function readSession(request: Request, { services }: Context) {
  const token: unknown = await staffCookie(services).parse(request.headers.get("Cookie"));
  if (typeof token !== "string") return null;
  const [row] = await services.database.db
    .select()
    .from(staffSessions)
    .where(
      and(
        eq(staffSessions.id, sessionIdOf(token)),
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

/** Per client, whatever the names: slows guessing across many accounts. */
const signInLimit: RateLimit = { name: "sign-in-client", max: 30, windowMs: 15 * 60_000 };

export type SignInResult =
  { ok: true; next: "totp" | "enrol"; setCookie: string } | { ok: false; reason: "invalid" | "rate-limited" };

/**
 * Step one: user name and password. Existing and unknown names take the same path — the same
 * throttles, the same password hashing, the same answer — and every failure is audited.
 */
export async function signInWithPassword(
  { services }: Context,
  { userName, password, clientIp }: { userName: string; password: string; clientIp: string },
): Promise<SignInResult> {
  const { db } = services.database;
  const secret = services.config.sessionSecret;
  const name = userName.trim().toLowerCase();
  const throttles = [
    { limit: signInThrottle, subject: `${name}\u0000${clientIp}` },
    { limit: nameFailures, subject: name },
  ];
  const refusedForName =
    (await countHits(db, secret, signInThrottle, throttles[0]!.subject)) >= signInThrottle.max;
  if (refusedForName || !(await takeRateLimits(db, secret, [{ limit: signInLimit, subject: clientIp }]))) {
    await appendAuditEvent(db, {
      actorType: "staff",
      action: "staff.sign-in-refused",
      reason: "rate-limited",
    });
    return { ok: false, reason: "rate-limited" };
  }
  await delayAfterFailures(await countHits(db, secret, nameFailures, name));
  const [user] = await db
    .select()
    .from(staffUsers)
    .where(and(eq(staffUsers.userName, userName.trim()), isNull(staffUsers.disabledAt)));
  const passwordOk = user
    ? await verifyPassword(user.passwordHash, password)
    : await verifyAgainstDummy(password).then(() => false);
  if (!user || !passwordOk) {
    await db.transaction(async (tx) => {
      await recordHits(tx, secret, throttles);
      await appendAuditEvent(tx, {
        actorType: "staff",
        actorId: user?.id ?? null,
        action: "staff.sign-in-failed",
        reason: user ? "password" : "unknown-user",
      });
    });
    return { ok: false, reason: "invalid" };
  }
  const token = randomBytes(32).toString("base64url");
  await db.insert(staffSessions).values({
    id: sessionIdOf(token),
    userId: user.id,
    totpPassed: false,
    expiresAt: new Date(Date.now() + pendingMinutes * 60_000),
  });
  const enrolled = (await totpSecretOf(db, user.id)) !== null;
  return {
    ok: true,
    next: enrolled ? "totp" : "enrol",
    setCookie: await staffCookie(services).serialize(token),
  };
}

/** Doubling from half a second once a name has had its few failures, up to a few seconds. */
async function delayAfterFailures(failures: number): Promise<void> {
  if (failures < nameFailures.max) return;
  const ms = Math.min(maxDelayMs, 500 * 2 ** (failures - nameFailures.max));
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Counts a wrong second-factor code against the session; at the limit the session ends and the
 * password must be given again. Returns whether it ended.
 */
async function countCodeFailure(db: Db, secret: string, userId: string, sessionId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await recordHits(tx, secret, [{ limit: codeThrottle, subject: sessionId }]);
    const ended = (await countHits(tx, secret, codeThrottle, sessionId)) >= codeThrottle.max;
    if (ended)
      await tx.update(staffSessions).set({ revokedAt: new Date() }).where(eq(staffSessions.id, sessionId));
    await appendAuditEvent(tx, {
      actorType: "staff",
      actorId: userId,
      action: "staff.sign-in-failed",
      reason: "totp",
      data: { sessionEnded: ended },
    });
    return ended;
  });
}

/** The session half-way through sign-in (password accepted, code not yet), or null. */
export async function pendingSignIn(request: Request, context: Context) {
  const session = await readSession(request, context);
  if (!session || session.totpPassed) return null;
  const [user] = await context.services.database.db
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.id, session.userId));
  return user ? { session, user } : null;
}

export type CodeResult = { ok: true } | { ok: false; reason: "invalid" | "expired" };

/** Step two: a TOTP code (or a recovery code). A code is accepted once only. */
export async function completeSignIn(request: Request, context: Context, code: string): Promise<CodeResult> {
  const pending = await pendingSignIn(request, context);
  if (!pending) return { ok: false, reason: "expired" };
  const { db } = context.services.database;
  const { user, session } = pending;
  const accepted = await acceptSecondFactor(db, user.id, user.lastTotpStep, code);
  if (!accepted) {
    const ended = await countCodeFailure(db, context.services.config.sessionSecret, user.id, session.id);
    return { ok: false, reason: ended ? "expired" : "invalid" };
  }
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(staffSessions)
      .set({
        totpPassed: true,
        lastTotpAt: now,
        expiresAt: new Date(now.getTime() + sessionHours * 3_600_000),
      })
      .where(eq(staffSessions.id, session.id));
    await appendAuditEvent(tx, {
      actorType: "staff",
      actorId: user.id,
      action: "staff.signed-in",
      data: { via: accepted },
    });
  });
  return { ok: true };
}

async function acceptSecondFactor(
  db: Db,
  userId: string,
  lastStep: number | null,
  code: string,
): Promise<"totp" | "recovery" | null> {
  const secret = await totpSecretOf(db, userId);
  if (!secret) return null;
  const step = await verifyTotp(secret, code.replace(/\s/g, ""), lastStep);
  if (step !== null) {
    // Conditional update: of two requests racing with the same code, only one moves the step.
    const moved = await db
      .update(staffUsers)
      .set({ lastTotpStep: step })
      .where(and(eq(staffUsers.id, userId), sql`coalesce(${staffUsers.lastTotpStep}, -1) < ${step}`))
      .returning({ id: staffUsers.id });
    return moved.length > 0 ? "totp" : null;
  }
  return (await consumeRecoveryCode(db, userId, code)) ? "recovery" : null;
}

async function consumeRecoveryCode(db: Db, userId: string, code: string): Promise<boolean> {
  const hashed = hashRecoveryCode(code);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(verifications)
      .where(and(eq(verifications.type, "staff-recovery"), eq(verifications.target, userId)))
      .for("update");
    const remaining: string[] = row?.secret ? (JSON.parse(row.secret) as string[]) : [];
    if (!row || !remaining.includes(hashed)) return false;
    await tx
      .update(verifications)
      .set({ secret: JSON.stringify(remaining.filter((h) => h !== hashed)) })
      .where(eq(verifications.id, row.id));
    return true;
  });
}

/** Enrolment: a new secret is kept pending until the person proves their app produces its codes. */
export async function startEnrolment(db: Db, userId: string): Promise<string> {
  const existing = await totpSecretOf(db, userId, "staff-totp-pending");
  if (existing) return existing;
  const secret = newTotpSecret();
  await db
    .insert(verifications)
    .values({ type: "staff-totp-pending", target: userId, secret })
    .onConflictDoNothing();
  return (await totpSecretOf(db, userId, "staff-totp-pending")) ?? secret;
}

/**
 * The half-finished sign-in of an account that has no second factor yet — the only one that may
 * enrol. An enrolled account must give its code: a password alone never sets a new secret.
 */
export async function pendingEnrolment(request: Request, context: Context) {
  const pending = await pendingSignIn(request, context);
  if (!pending || (await totpSecretOf(context.services.database.db, pending.user.id)) !== null) return null;
  return pending;
}

export async function confirmEnrolment(
  request: Request,
  context: Context,
  code: string,
): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false }> {
  const pending = await pendingEnrolment(request, context);
  if (!pending) return { ok: false };
  const { db } = context.services.database;
  const secret = await totpSecretOf(db, pending.user.id, "staff-totp-pending");
  const step = secret ? await verifyTotp(secret, code.replace(/\s/g, ""), null) : null;
  if (!secret || step === null) return { ok: false };
  const recoveryCodes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    const userId = pending.user.id;
    await tx
      .delete(verifications)
      .where(and(eq(verifications.type, "staff-totp-pending"), eq(verifications.target, userId)));
    await tx.insert(verifications).values({ type: "staff-totp", target: userId, secret });
    await tx
      .insert(verifications)
      .values({
        type: "staff-recovery",
        target: userId,
        secret: JSON.stringify(recoveryCodes.map(hashRecoveryCode)),
      })
      .onConflictDoUpdate({
        target: [verifications.type, verifications.target],
        set: { secret: JSON.stringify(recoveryCodes.map(hashRecoveryCode)) },
      });
    await tx.update(staffUsers).set({ lastTotpStep: step }).where(eq(staffUsers.id, userId));
    const now = new Date();
    await tx
      .update(staffSessions)
      .set({
        totpPassed: true,
        lastTotpAt: now,
        expiresAt: new Date(now.getTime() + sessionHours * 3_600_000),
      })
      .where(eq(staffSessions.id, pending.session.id));
    await appendAuditEvent(tx, { actorType: "staff", actorId: userId, action: "staff.totp-enrolled" });
  });
  return { ok: true, recoveryCodes };
}

/**
 * The gate of every staff loader and action: a complete sign-in, the permission asked for, and for
 * changes a request from our own pages. Without a session it redirects to the sign-in; without the
 * permission it answers 403, and the refusal is audited.
 */
export async function requireStaff(
  request: Request,
  context: Context,
  permission?: Permission,
): Promise<StaffIdentity> {
  const url = new URL(request.url);
  const session = await readSession(request, context);
  if (!session || !session.totpPassed) {
    throw redirect(`/intern/anmelden?zurueck=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const { db } = context.services.database;
  const [user] = await db
    .select()
    .from(staffUsers)
    .where(and(eq(staffUsers.id, session.userId), isNull(staffUsers.disabledAt)));
  if (!user) throw redirect("/intern/anmelden");
  if (request.method !== "GET" && request.method !== "HEAD" && !isSameOrigin(request)) {
    await appendAuditEvent(db, {
      actorType: "staff",
      actorId: user.id,
      action: "staff.forbidden",
      reason: "cross-origin",
      data: { path: url.pathname },
    });
    throw new Response("Forbidden", { status: 403 });
  }
  const staff = {
    id: user.id,
    userName: user.userName,
    displayName: user.displayName,
    permissions: await permissionsOf(db, user.id),
    sessionId: session.id,
    lastTotpAt: session.lastTotpAt,
  };
  if (permission) await requirePermission(context, staff, permission, request);
  return staff;
}

/** For actions whose permission depends on the submitted intent: 403 and an audit event if missing. */
export async function requirePermission(
  context: Context,
  staff: StaffIdentity,
  permission: Permission,
  request: Request,
): Promise<void> {
  if (staff.permissions.has(permission)) return;
  await appendAuditEvent(context.services.database.db, {
    actorType: "staff",
    actorId: staff.id,
    action: "staff.forbidden",
    reason: permission,
    data: { path: new URL(request.url).pathname },
  });
  throw new Response("Forbidden", { status: 403 });
}

/**
 * Browsers send Origin with every POST, and Referer where Origin is withheld; a foreign one means a
 * forged form on another site, and neither means no browser page of ours sent it.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("Origin") ?? request.headers.get("Referer");
  if (!origin) return false;
  try {
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false;
  }
}

/** For sensitive actions: redirects to a fresh code prompt unless one was entered recently. */
export function requireFreshTotp(staff: StaffIdentity, request: Request): void {
  if (staff.lastTotpAt && Date.now() - staff.lastTotpAt.getTime() < freshTotpMinutes * 60_000) return;
  const url = new URL(request.url);
  throw redirect(`/intern/bestaetigen?zurueck=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function confirmFreshTotp(
  context: Context,
  staff: StaffIdentity,
  code: string,
): Promise<boolean> {
  const { db } = context.services.database;
  const [user] = await db
    .select({ lastTotpStep: staffUsers.lastTotpStep })
    .from(staffUsers)
    .where(eq(staffUsers.id, staff.id));
  const accepted = await acceptSecondFactor(db, staff.id, user?.lastTotpStep ?? null, code);
  if (!accepted) {
    await countCodeFailure(db, context.services.config.sessionSecret, staff.id, staff.sessionId);
    return false;
  }
  await db.update(staffSessions).set({ lastTotpAt: new Date() }).where(eq(staffSessions.id, staff.sessionId));
  return true;
}

export async function signOut(request: Request, context: Context): Promise<string> {
  const session = await readSession(request, context);
  if (session) {
    const { db } = context.services.database;
    await db.transaction(async (tx) => {
      await tx.update(staffSessions).set({ revokedAt: new Date() }).where(eq(staffSessions.id, session.id));
      await appendAuditEvent(tx, { actorType: "staff", actorId: session.userId, action: "staff.signed-out" });
    });
  }
  return staffCookie(context.services).serialize("", { maxAge: 0 });
}

export async function listSessions(db: Db, userId?: string) {
  return db
    .select({
      id: staffSessions.id,
      userId: staffSessions.userId,
      displayName: staffUsers.displayName,
      createdAt: staffSessions.createdAt,
      expiresAt: staffSessions.expiresAt,
    })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
    .where(
      and(
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, new Date()),
        eq(staffSessions.totpPassed, true),
        userId ? eq(staffSessions.userId, userId) : undefined,
      ),
    )
    .orderBy(staffSessions.createdAt);
}

/** Revokes a session: one's own always, anyone's with `session:revoke`. */
export async function revokeSession(db: Db, staff: StaffIdentity, sessionId: string): Promise<boolean> {
  const mayRevokeAny = staff.permissions.has("session:revoke");
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(staffSessions)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(staffSessions.id, sessionId),
          isNull(staffSessions.revokedAt),
          mayRevokeAny ? undefined : eq(staffSessions.userId, staff.id),
        ),
      )
      .returning({ userId: staffSessions.userId });
    if (revoked.length === 0) return false;
    await appendAuditEvent(tx, {
      actorType: "staff",
      actorId: staff.id,
      action: "staff.session-revoked",
      data: { of: revoked[0]!.userId },
    });
    return true;
  });
}
