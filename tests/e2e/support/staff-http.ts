import { generate } from "otplib";
import type { DemoAccount } from "../../../app/server/demo.server";

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

/** Signs in over plain HTTP (no browser) and returns the session cookie. */
export async function signInOverHttp(baseUrl: string, account: DemoAccount): Promise<string> {
  const step1 = await fetch(`${baseUrl}/intern/anmelden`, form({ userName: account.userName, password: account.password }));
  const cookie = (step1.headers.get("set-cookie") ?? "").split(";")[0]!;
  if (step1.status !== 302 || !cookie) throw new Error(`password step for ${account.userName}: ${step1.status}`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const step2 = await fetch(`${baseUrl}/intern/anmelden/code`, { ...form({ code: await generate({ secret: account.totpSecret }) }), headers: { ...form({}).headers, Cookie: cookie } });
    if (step2.status === 302) return cookie;
    // The code of this 30-second step was used by an earlier sign-in of the same account: wait for the next.
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
  }
  throw new Error(`code step for ${account.userName} failed`);
}

export function postForm(baseUrl: string, path: string, cookie: string | null, fields: Record<string, string>): Promise<Response> {
  const init = form(fields);
  return fetch(`${baseUrl}${path}`, { ...init, headers: { ...init.headers, ...(cookie ? { Cookie: cookie } : {}) } });
}

export function getPage(baseUrl: string, path: string, cookie: string | null): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
