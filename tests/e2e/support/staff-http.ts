import type { DemoAccount } from "#app/server/demo.server";
import { takeStaffSession } from "./sessions";
import { freshTotpCode } from "./totp-steps";

/** A form post as the portal's own page sends it: with its Origin, which every POST needs. */
const form = (baseUrl: string, fields: Record<string, string>) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(baseUrl).origin },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

/**
 * The session cookie of a signed-in member for plain HTTP (no browser): a session opened in the
 * database before the portal started (./sessions.ts); a fresh code is confirmed where its second
 * factor is too old for approvals.
 */
export async function signInOverHttp(
  baseUrl: string,
  account: DemoAccount,
  dataDir: string,
): Promise<string> {
  const { cookie, stale } = takeStaffSession(dataDir, account.userName);
  if (stale) {
    const confirmed = await postForm(baseUrl, "/intern/bestaetigen", cookie, {
      code: await freshTotpCode(dataDir, account),
    });
    if (confirmed.status !== 302) throw new Error(`fresh code for ${account.userName}: ${confirmed.status}`);
  }
  return cookie;
}

export function postForm(
  baseUrl: string,
  path: string,
  cookie: string | null,
  fields: Record<string, string>,
): Promise<Response> {
  const init = form(baseUrl, fields);
  return fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { ...init.headers, ...(cookie ? { Cookie: cookie } : {}) },
  });
}

export function getPage(baseUrl: string, path: string, cookie: string | null): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
