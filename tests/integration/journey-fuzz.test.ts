import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "#db/client";
import { mailOutbox } from "#db/schema";
import { requestKindSlugs } from "#app/core/request-kinds";
import { messagesFor } from "#app/i18n";
import { verifyAuditChain } from "#app/server/audit.server";
import { proveRequest } from "#app/server/requests/prove.server";
import { requestFormSchema } from "#app/server/requests/request-form";
import { submitRequest } from "#app/server/requests/submit.server";
import type { Services } from "#app/server/services.server";
import * as antragFormular from "#app/routes/antrag-formular";
import * as bestaetigen from "#app/routes/bestaetigen";
import * as vorgang from "#app/routes/vorgang";
import * as vorgangDetail from "#app/routes/vorgang-detail";
import { createTestServices } from "../support/services";

/**
 * Every action of the journey gets random, oversized, wrongly encoded and missing fields. Whatever
 * arrives, the answer is a redirect or a 4xx carrying an error key the catalogues translate, never
 * an exception (a 5xx), and the database stays consistent.
 */
let database: Database;
let services: Services;
let cookie: string;
let reference: string;
let pendingId: string;
const base = "http://portal.test";

let close: () => Promise<void>;

beforeAll(async () => {
  // Workers stay off: what is fuzzed are the actions; the mail they queue is only enqueued.
  ({ services, close } = await createTestServices({
    SESSION_SECRET: "fuzz-test-secret-fuzz-test-secret-fuzz",
    PUBLIC_URL: base,
  }));
  database = services.database;
  const config = services.config;

  // One proven case with a signed-in person, so the case actions get past the ownership check.
  const form = requestFormSchema("auskunft").parse({
    submissionKey: "fuzz-owner-key-000001",
    email: "owner@example.org",
  });
  const filed = await submitRequest(services, { form, lang: "de", clientKey: null });
  if (!filed.ok) throw new Error("refused");
  const [mail] = await database.db.select().from(mailOutbox);
  const proof = await proveRequest(services, {
    requestId: filed.requestId,
    code: /(\d{6})/.exec(mail!.text)![1]!,
  });
  if (!proof.ok) throw new Error("not proven");
  reference = proof.reference;
  const { commitPerson, getPerson, addProvenEmail } =
    await import("#app/server/requests/person-session.server");
  const person = await getPerson(new Request(base), config);
  addProvenEmail(person, "owner@example.org");
  cookie = (await commitPerson(person, config)).split(";")[0]!;

  const pending = await submitRequest(services, {
    form: requestFormSchema("loeschung").parse({
      submissionKey: "fuzz-pending-key-00001",
      email: "pending@example.org",
    }),
    lang: "en",
    clientKey: null,
  });
  if (!pending.ok) throw new Error("refused");
  pendingId = pending.requestId;
});

afterAll(() => close?.());

const context = () => ({ services, cspNonce: "fuzz" }) as never;

const fieldNames = [
  "submissionKey",
  "website",
  "email",
  "kinds",
  "otherEmails",
  "name",
  "postalAddress",
  "phones",
  "userName",
  "birthDate",
  "ip[0].address",
  "ip[0].from",
  "ip[1].to",
  "ip[99999999].address",
  "details.berichtigung.correctValue",
  "details.einschraenkung.restrictionGround",
  "details.widerspruch.particularSituation",
  "details.__proto__.x",
  "__proto__",
  "constructor.prototype",
  "intent",
  "code",
  "confirm",
  "text",
  "document",
  "identifier",
];
const intents = [
  "confirm",
  "resend",
  "send-code",
  "verify",
  "sign-out",
  "other-address",
  "add",
  "withdraw",
  "identifier-code",
  "identifier-prove",
];

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom(
    "",
    " ",
    "\uD800",
    "\u0000",
    "x".repeat(300),
    "ä".repeat(6000),
    "a@b.c",
    "erika@example.org",
    "123456",
    "2026-02-30T25:61",
    "999.1.1.1",
    "yes",
  ),
  fc.constantFrom(...intents, ...requestKindSlugs),
  fc.nat({ max: 2_000_000 }).map((n) => "y".repeat(n % 70_000)),
);
const entries = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 30 })), value),
  { maxLength: 25 },
);

const body = fc.oneof(
  entries.map((list) => ({ kind: "urlencoded" as const, list })),
  entries.map((list) => ({ kind: "multipart" as const, list })),
  fc
    .uint8Array({ maxLength: 2000 })
    .map((bytes) => ({ kind: "raw" as const, bytes, type: "application/x-www-form-urlencoded" })),
  fc
    .uint8Array({ maxLength: 2000 })
    .map((bytes) => ({ kind: "raw" as const, bytes, type: "multipart/form-data; boundary=zz" })),
  fc.constantFrom(
    { kind: "raw" as const, bytes: new Uint8Array(), type: "text/plain" },
    { kind: "none" as const },
  ),
);
type Body = typeof body extends fc.Arbitrary<infer T> ? T : never;

function makeRequest(pathname: string, b: Body, withCookie: boolean): Request {
  const headers: Record<string, string> = withCookie ? { Cookie: cookie } : {};
  const url = `${base}${pathname}`;
  if (b.kind === "none") return new Request(url, { method: "POST", headers });
  if (b.kind === "raw")
    return new Request(url, {
      method: "POST",
      body: b.bytes,
      headers: { ...headers, "Content-Type": b.type },
    });
  if (b.kind === "urlencoded") {
    const params = new URLSearchParams();
    for (const [k, v] of b.list) params.append(k, v);
    return new Request(url, {
      method: "POST",
      body: params,
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
    });
  }
  const form = new FormData();
  for (const [k, v] of b.list) {
    if (k === "document") form.append(k, new File([v], "x.pdf", { type: "application/pdf" }));
    else form.append(k, v);
  }
  return new Request(url, { method: "POST", body: form, headers });
}

const knownErrorKeys = new Set(Object.keys(messagesFor("de").journey.errors));

/** Runs an action; fails the property on a thrown error or a 5xx; checks 4xx answers carry a known error key. */
async function expectHandled(run: () => Promise<unknown>): Promise<void> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    if (thrown instanceof Response) {
      expect(thrown.status).toBeLessThan(500);
      return;
    }
    if (thrown && typeof thrown === "object" && "type" in thrown && thrown.type === "DataWithResponseInit") {
      expect((thrown as unknown as { init: ResponseInit }).init.status).toBeLessThan(500);
      return;
    }
    throw thrown;
  }
  if (result instanceof Response) {
    expect(result.status).toBeLessThan(500);
    return;
  }
  if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
    const { data, init } = result as unknown as { data: Record<string, unknown>; init: ResponseInit | null };
    const status = init?.status ?? 200;
    expect(status).toBeLessThan(500);
    if (status >= 400) {
      const keys = errorKeysOf(data);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(knownErrorKeys.has(key), `untranslated error key ${key}`).toBe(true);
    }
  }
}

function errorKeysOf(data: Record<string, unknown>): string[] {
  if (typeof data.error === "string") return [data.error];
  // One form's refusal (conform's result): of the page's only form, or of one of several (`sentBack`).
  const sentBack = data.sentBack as { result?: unknown } | undefined;
  const result = (data.result ?? sentBack?.result) as { error?: Record<string, string[] | null> } | undefined;
  return Object.values(result?.error ?? {}).flatMap((list) => list ?? []);
}

const runs = { numRuns: 100 };

it("the request form action never fails with a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(
      body,
      fc.oneof(fc.constantFrom(...requestKindSlugs), fc.string({ maxLength: 20 })),
      async (b, art) => {
        await expectHandled(() =>
          antragFormular.action({
            request: makeRequest(`/antrag/${encodeURIComponent(art)}`, b, false),
            params: { art },
            context: context(),
          } as never),
        );
      },
    ),
    runs,
  );
});

it("the confirmation action never fails with a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(
      body,
      fc.oneof(
        fc.constant(() => pendingId),
        fc.string({ maxLength: 40 }).map((s) => () => s),
      ),
      async (b, id) => {
        await expectHandled(() =>
          bestaetigen.action({
            request: makeRequest(`/bestaetigen?antrag=${encodeURIComponent(id())}`, b, false),
            params: {},
            context: context(),
          } as never),
        );
      },
    ),
    runs,
  );
});

it("the sign-in action never fails with a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(body, fc.boolean(), async (b, withCookie) => {
      await expectHandled(() =>
        vorgang.action({
          request: makeRequest("/vorgang", b, withCookie),
          params: {},
          context: context(),
        } as never),
      );
    }),
    runs,
  );
});

it("the case actions never fail with a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(
      body,
      fc.boolean(),
      fc.oneof(
        fc.constant(() => reference),
        fc.string({ maxLength: 20 }).map((s) => () => s),
      ),
      async (b, withCookie, ref) => {
        await expectHandled(() =>
          vorgangDetail.action({
            request: makeRequest(`/vorgang/${encodeURIComponent(ref())}`, b, withCookie),
            params: { referenz: ref() },
            context: context(),
          } as never),
        );
      },
    ),
    runs,
  );
});

it("leaves the database consistent", async () => {
  const q = (text: string) => database.sql.query<{ n: number }>(text).then((rows) => Number(rows[0]!.n));
  expect(
    await q(
      "select count(*) as n from requests r where not exists (select 1 from request_identifiers i where i.request_id = r.id and i.kind = 'email')",
    ),
  ).toBe(0);
  expect(
    await q(
      "select count(*) as n from requests where status = 'unproven' and (reference is not null or expires_at is null)",
    ),
  ).toBe(0);
  expect(
    await q(
      "select count(*) as n from requests where status <> 'unproven' and (reference is null or deadline is null or received_at is null)",
    ),
  ).toBe(0);
  expect(
    await q(
      "select count(*) as n from requests r where not exists (select 1 from audit_events e where e.request_id = r.id and e.action = 'request.submitted')",
    ),
  ).toBe(0);
  expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  const [rows] = await database.db.select({ n: sql<number>`count(*)::int` }).from(mailOutbox);
  expect(rows!.n).toBeGreaterThan(0);
});
