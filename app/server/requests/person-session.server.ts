import { randomBytes } from "node:crypto";
import { type Session, createCookieSessionStorage } from "react-router";
import { z } from "zod";
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
}

type PersonSession = Session<Partial<PersonSessionData>>;

let storage: { secret: string; secure: boolean; store: ReturnType<typeof createCookieSessionStorage<Partial<PersonSessionData>>> } | undefined;

/**
 * The session lives in a signed cookie (no table to sweep): httpOnly, SameSite=Lax, Secure behind
 * HTTPS, no Max-Age, so it ends with the browser; the sign-in time bounds it as well.
 */
function sessionStorage(config: Pick<Config, "sessionSecret" | "secureCookies">) {
  if (!storage || storage.secret !== config.sessionSecret || storage.secure !== config.secureCookies) {
    storage = {
      secret: config.sessionSecret,
      secure: config.secureCookies,
      store: createCookieSessionStorage<Partial<PersonSessionData>>({
        cookie: { name: "vorgang", httpOnly: true, sameSite: "lax", path: "/", secure: config.secureCookies, secrets: [config.sessionSecret] },
      }),
    };
  }
  return storage.store;
}

const emailList = z.array(z.string()).max(20);

export interface Person {
  session: PersonSession;
  emails: string[];
  pendingEmail: string | undefined;
  signedInAt: Date | null;
}

export async function getPerson(request: Request, config: Pick<Config, "sessionSecret" | "secureCookies">, now = new Date()): Promise<Person> {
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
}

export function commitPerson(person: Person, config: Pick<Config, "sessionSecret" | "secureCookies">): Promise<string> {
  return sessionStorage(config).commitSession(person.session);
}

export function endPerson(person: Person, config: Pick<Config, "sessionSecret" | "secureCookies">): Promise<string> {
  return sessionStorage(config).destroySession(person.session);
}

/** A fresh code unlocks a case's downloads for a quarter of an hour. */
export const DOWNLOAD_MINUTES = 15;

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
  const live = Object.fromEntries(Object.entries(nonces.parse(person.session.get("archiveNonces"))).filter(([id]) => downloadsUnlocked(person, id, now)));
  person.session.set("archiveNonces", { ...live, [requestId]: nonce });
  return nonce;
}

export function archiveNonceOf(person: Person, requestId: string): string | undefined {
  return nonces.parse(person.session.get("archiveNonces"))[requestId];
}
