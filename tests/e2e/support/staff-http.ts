import type { DemoAccount } from "../../../app/server/demo.server";
import { freshTotpCode } from "./totp-steps";

/** A form post as the portal's own page sends it: with its Origin, which every POST needs. */
const form = (baseUrl: string, fields: Record<string, string>) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(baseUrl).origin },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

/** Signs in over plain HTTP (no browser) and returns the session cookie. */
export async function signInOverHttp(baseUrl: string, account: DemoAccount, dataDir: string): Promise<string> {
  const step1 = await fetch(`${baseUrl}/intern/anmelden`, form(baseUrl, { userName: account.userName, password: account.password }));
  const cookie = (step1.headers.get("set-cookie") ?? "").split(";")[0]!;
  if (step1.status !== 302 || !cookie) throw new Error(`password step for ${account.userName}: ${step1.status}`);
  const step2Form = form(baseUrl, { code: await freshTotpCode(dataDir, account) });
  const step2 = await fetch(`${baseUrl}/intern/anmelden/code`, { ...step2Form, headers: { ...step2Form.headers, Cookie: cookie } });
  if (step2.status !== 302) throw new Error(`code step for ${account.userName}: ${step2.status}`);
  return cookie;
}

export function postForm(baseUrl: string, path: string, cookie: string | null, fields: Record<string, string>): Promise<Response> {
  const init = form(baseUrl, fields);
  return fetch(`${baseUrl}${path}`, { ...init, headers: { ...init.headers, ...(cookie ? { Cookie: cookie } : {}) } });
}

export function getPage(baseUrl: string, path: string, cookie: string | null): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
