import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt } from "drizzle-orm";
import { type Session, type SessionStorage, createSessionStorage } from "react-router";
import { z } from "zod";
import type { Db } from "#db/client";
import { verifications } from "#db/schema";
import { personSessionType } from "#app/core/verifications";
import type { Config } from "../config.server";

/** A sign-in lasts at most this long; the case page says so (no time-out without warning). */
export const SIGN_IN_HOURS = 8;

interface PersonSessionData {
  /** Normalised addresses whose control the person has proven with a code. */
  emails: string[];
  signedInAt: number;
  /** The address a sign-in code was just sent to, until the code is entered. */
  pendingEmail: string;
  /** Per case id: until when downloads are unlocked by a fresh code (epoch milliseconds). */
  downloads: Record<string, number>;
  /** Per case id: the nonce the password of an encrypted archive is derived from (see archivePassword). */
  archiveNonces: Record<string, string>;
  /** A sign-in at the identity provider under way: what its answer is checked against (identity-provider.server.ts). */
  identityAttempt: unknown;
  /** What the identity provider handed over, shown to the person until they use or discard it; never its tokens. */
  identityClaims: unknown;
}

type PersonSession = Session<Partial<PersonSessionData>>;
type SessionConfig = Pick<Config, "sessionSecret" | "secureCookies">;

/** Where sessions live: create, read, update and delete by the id the cookie carries. */
interface SessionStore {
  create(data: Partial<PersonSessionData>, expiresAt: Date): Promise<string>;
  read(id: string): Promise<Partial<PersonSessionData> | null>;
  update(id: string, data: Partial<PersonSessionData>, expiresAt: Date): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * Sessions in the database, in the `verifications` table that already holds what expires: the row
 * is found by a hash of the cookie's random id (a leaked table opens no session), it ends at the
 * sign-in's end and is deleted on sign-out, so a copied cookie opens nothing afterwards. Expired
 * rows are swept with the codes.
 */
function databaseStore(db: Db): SessionStore {
  const target = (id: string) => createHash("sha256").update(id).digest("base64url");
  return {
    async create(data, expiresAt) {
      const id = randomBytes(32).toString("base64url");
      await db
        .insert(verifications)
        .values({ type: personSessionType, target: target(id), secret: JSON.stringify(data), expiresAt });
      return id;
    },
    async read(id) {
      const [row] = await db
        .select({ secret: verifications.secret })
        .from(verifications)
        .where(
          and(
            eq(verifications.type, personSessionType),
            eq(verifications.target, target(id)),
            gt(verifications.expiresAt, new Date()),
          ),
        );
      return row?.secret ? (JSON.parse(row.secret) as Partial<PersonSessionData>) : null;
    },
    async update(id, data, expiresAt) {
      await db
        .update(verifications)
        .set({ secret: JSON.stringify(data), expiresAt })
        .where(and(eq(verifications.type, personSessionType), eq(verifications.target, target(id))));
    },
    async delete(id) {
      await db
        .delete(verifications)
        .where(and(eq(verifications.type, personSessionType), eq(verifications.target, target(id))));
    },
  };
}

/**
 * Outside the web server (a test calling a route module, a script) no database was named for the
 * sessions: they live in this process's memory, on the server all the same.
 */
function memoryStore(): SessionStore {
  const sessions = new Map<string, { data: string; expiresAt: number }>();
  return {
    async create(data, expiresAt) {
      const id = randomBytes(32).toString("base64url");
      sessions.set(id, { data: JSON.stringify(data), expiresAt: expiresAt.getTime() });
      return id;
    },
    async read(id) {
      const entry = sessions.get(id);
      return entry && entry.expiresAt > Date.now()
        ? (JSON.parse(entry.data) as Partial<PersonSessionData>)
        : null;
    },
    async update(id, data, expiresAt) {
      if (sessions.has(id)) sessions.set(id, { data: JSON.stringify(data), expiresAt: expiresAt.getTime() });
    },
    async delete(id) {
      sessions.delete(id);
    },
  };
}

/** Keyed by the session secret: the portal (and each test's portal) has its own. */
const stores = new Map<string, SessionStore>();

/** The web server keeps the people's sessions in its database (called when the HTTP layer is built). */
export function keepPersonSessionsIn(config: SessionConfig, db: Db): void {
  stores.set(config.sessionSecret, databaseStore(db));
  storage = undefined;
}

/** Before the code is entered, a session only waits for it; a sign-in lasts SIGN_IN_HOURS. */
const PENDING_MINUTES = 60;

function expiryOf(data: Partial<PersonSessionData>, now = Date.now()): Date {
  const signedInAt = Number(data.signedInAt);
  if (Number.isFinite(signedInAt) && signedInAt > 0) return new Date(signedInAt + SIGN_IN_HOURS * 3_600_000);
  return new Date(now + PENDING_MINUTES * 60_000);
}

let storage:
  { secret: string; secure: boolean; store: SessionStorage<Partial<PersonSessionData>> } | undefined;

/**
 * The cookie holds only a signed random id — no address, no case — httpOnly, SameSite=Lax, Secure
 * behind HTTPS, no Max-Age, so it ends with the browser; the server ends it at the latest after
 * SIGN_IN_HOURS, and at once on sign-out.
 */
function sessionStorage(config: SessionConfig) {
  if (!storage || storage.secret !== config.sessionSecret || storage.secure !== config.secureCookies) {
    let store = stores.get(config.sessionSecret);
    if (!store) stores.set(config.sessionSecret, (store = memoryStore()));
    const chosen = store;
    storage = {
      secret: config.sessionSecret,
      secure: config.secureCookies,
      store: createSessionStorage<Partial<PersonSessionData>>({
        cookie: {
          name: "vorgang",
          httpOnly: true,
          sameSite: "lax",
          path: "/",
          secure: config.secureCookies,
          secrets: [config.sessionSecret],
        },
        createData: (data) =>
          chosen.create(data as Partial<PersonSessionData>, expiryOf(data as Partial<PersonSessionData>)),
        readData: (id) => chosen.read(id),
        updateData: (id, data) =>
          chosen.update(id, data as Partial<PersonSessionData>, expiryOf(data as Partial<PersonSessionData>)),
        deleteData: (id) => chosen.delete(id),
      }),
    };
  }
  return storage.store;
}

const emailList = z.array(z.string()).max(20);

export interface Person {
  session: PersonSession;
  /** Set when an address was just proven: the next commit moves the session to a new id. */
  renew?: boolean;
  emails: string[];
  pendingEmail: string | undefined;
  signedInAt: Date | null;
}

export async function getPerson(request: Request, config: SessionConfig, now = new Date()): Promise<Person> {
  const session = await sessionStorage(config).getSession(request.headers.get("Cookie"));
  const signedInAt = Number(session.get("signedInAt"));
  const fresh = Number.isFinite(signedInAt) && now.getTime() - signedInAt < SIGN_IN_HOURS * 3_600_000;
  const parsed = emailList.safeParse(session.get("emails"));
  const pending = session.get("pendingEmail");
  return {
    session,
    emails: fresh && parsed.success ? parsed.data : [],
    pendingEmail: typeof pending === "string" ? pending : undefined,
    signedInAt: fresh ? new Date(signedInAt) : null,
  };
}

/** Adds a just-proven address; a first address starts the sign-in period. */
export function addProvenEmail(person: Person, email: string, now = new Date()): void {
  const emails = [...new Set([...person.emails, email])].slice(-20);
  person.session.set("emails", emails);
  if (!person.signedInAt || person.emails.length === 0) person.session.set("signedInAt", now.getTime());
  person.session.unset("pendingEmail");
  person.renew = true;
}

/**
 * Stores the session and returns its cookie. After a sign-in the data moves to a new id and the
 * old one is deleted, so an id known before the sign-in (planted or seen) opens nothing.
 */
export async function commitPerson(person: Person, config: SessionConfig): Promise<string> {
  const store = sessionStorage(config);
  if (!person.renew || !person.session.id) return store.commitSession(person.session);
  const renewed = await store.getSession();
  for (const [key, value] of Object.entries(person.session.data))
    renewed.set(key as keyof PersonSessionData, value as never);
  await store.destroySession(person.session);
  person.session = renewed;
  person.renew = false;
  return store.commitSession(renewed);
}

/** Signs out: the session is deleted on the server, and the browser told to forget the cookie. */
export function endPerson(person: Person, config: SessionConfig): Promise<string> {
  return sessionStorage(config).destroySession(person.session);
}

/** A fresh code unlocks a case's downloads for a quarter of an hour. */
const DOWNLOAD_MINUTES = 15;

export function unlockDownloads(person: Person, requestId: string, now = new Date()): void {
  const current = z.record(z.string(), z.number()).catch({}).parse(person.session.get("downloads"));
  const live = Object.fromEntries(Object.entries(current).filter(([, until]) => until > now.getTime()));
  person.session.set("downloads", { ...live, [requestId]: now.getTime() + DOWNLOAD_MINUTES * 60_000 });
}

export function downloadsUnlocked(person: Person, requestId: string, now = new Date()): boolean {
  const current = z.record(z.string(), z.number()).catch({}).parse(person.session.get("downloads"));
  return (current[requestId] ?? 0) > now.getTime() && person.emails.length > 0;
}

const nonces = z.record(z.string(), z.string()).catch({});

/**
 * A new nonce for the case's encrypted archive, replacing an earlier one: the password derived from
 * it is shown once, and a download in this session uses it. Only cases still unlocked keep theirs.
 */
export function newArchiveNonce(person: Person, requestId: string, now = new Date()): string {
  const nonce = randomBytes(16).toString("base64url");
  const live = Object.fromEntries(
    Object.entries(nonces.parse(person.session.get("archiveNonces"))).filter(([id]) =>
      downloadsUnlocked(person, id, now),
    ),
  );
  person.session.set("archiveNonces", { ...live, [requestId]: nonce });
  return nonce;
}

export function archiveNonceOf(person: Person, requestId: string): string | undefined {
  return nonces.parse(person.session.get("archiveNonces"))[requestId];
}
