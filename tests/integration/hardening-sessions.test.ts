import { afterAll, beforeAll, expect, it } from "vitest";
import * as vorgang from "#app/routes/vorgang";
import {
  SIGN_IN_HOURS,
  addProvenEmail,
  commitPerson,
  getPerson,
  keepPersonSessionsIn,
} from "#app/server/requests/person-session.server";
import type { Services } from "#app/server/services.server";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ services, close } = await createTestServices());
  // As the HTTP layer does: the people's sessions live in the portal's database.
  keepPersonSessionsIn(services.config, services.database.db);
});
afterAll(() => close());

const email = "erika.mustermann@example.org";
const withCookie = (cookie: string) => new Request(`${testBase}/vorgang`, { headers: { Cookie: cookie } });

async function signedInCookie(at = new Date()): Promise<string> {
  const person = await getPerson(new Request(testBase), services.config);
  addProvenEmail(person, email, at);
  return (await commitPerson(person, services.config)).split(";")[0]!;
}

it("keeps no personal data in the cookie, only an opaque id the server knows", async () => {
  const cookie = await signedInCookie();
  // A signed cookie is base64 of its JSON value, a dot and the signature: the value is the id alone.
  const [payload] = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).split(".");
  expect(JSON.parse(Buffer.from(payload!, "base64").toString("utf8"))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect((await getPerson(withCookie(cookie), services.config)).emails).toEqual([email]);
  const [row] = await services.database.sql.query<{ n: number }>(
    "select count(*)::int as n from verifications where type = 'person-session'",
  );
  expect(row!.n).toBeGreaterThan(0);
});

it("ends the session on the server at sign-out: a copied cookie opens nothing afterwards", async () => {
  const cookie = await signedInCookie();
  const copy = cookie;
  const signOut = await outcome(() =>
    vorgang.action({
      request: post("/vorgang", { intent: "sign-out" }, cookie),
      context: routeContext(services),
      params: {},
    } as never),
  );
  expect(signOut.status).toBe(302);
  expect((await getPerson(withCookie(copy), services.config)).emails).toEqual([]);
  const page = await outcome(() =>
    vorgang.loader({ request: withCookie(copy), context: routeContext(services), params: {} } as never),
  );
  expect(page.data).toMatchObject({ emails: [], cases: [] });
});

it("ends a sign-in after its hours on the server, whatever the cookie says", async () => {
  const cookie = await signedInCookie(new Date(Date.now() - (SIGN_IN_HOURS * 3_600_000 + 60_000)));
  expect((await getPerson(withCookie(cookie), services.config)).emails).toEqual([]);
  const [row] = await services.database.sql.query<{ live: boolean }>(
    "select bool_and(expires_at < now()) as live from verifications where type = 'person-session' and secret like '%erika%' and expires_at < now() + interval '1 minute'",
  );
  expect(row!.live).toBe(true);
});

it("moves the session to a new id at sign-in, so an id known before opens nothing", async () => {
  const before = await getPerson(new Request(testBase), services.config);
  before.session.set("pendingEmail", email);
  const planted = (await commitPerson(before, services.config)).split(";")[0]!;
  const person = await getPerson(withCookie(planted), services.config);
  expect(person.pendingEmail).toBe(email);
  addProvenEmail(person, email);
  const after = (await commitPerson(person, services.config)).split(";")[0]!;
  expect(after).not.toBe(planted);
  expect((await getPerson(withCookie(after), services.config)).emails).toEqual([email]);
  const old = await getPerson(withCookie(planted), services.config);
  expect(old.emails).toEqual([]);
  expect(old.pendingEmail).toBeUndefined();
});
