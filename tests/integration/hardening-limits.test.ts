import { eq } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import * as schema from "#db/schema";
import { mailOutbox, rateLimitHits, requests, verifications } from "#db/schema";
import { queueSignInCodeMail } from "#app/server/requests/mails.server";
import { requestSignInCode } from "#app/server/requests/signin.server";
import type { Services } from "#app/server/services.server";
import { outcome } from "../support/route-calls";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ services, close } = await createTestServices());
});
afterAll(() => close());

/** The same database through a second drizzle instance that writes down every statement it sends. */
function recordingDb(): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const logger = { logQuery: (query: string) => statements.push(query) };
  const client = (services.database.db as unknown as { $client: never }).$client;
  const db = (services.database.backend === "pglite"
    ? drizzlePglite(client, { schema, logger })
    : drizzlePostgres(client, { schema, logger })) as unknown as Db;
  return { db, statements };
}

async function ownCase(email: string) {
  await services.database.db.insert(requests).values({
    reference: `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
    status: "received",
    kinds: ["auskunft"],
    channel: "web",
    contactEmail: email,
  });
}

describe("a sign-in code request", () => {
  it("sends the same statements whether or not the address has a case; only the owner gets a code and a mail", async () => {
    await ownCase("owner@example.org");
    const recorded = recordingDb();
    const deps = { ...services, db: recorded.db };

    recorded.statements.length = 0;
    const forOwner = await requestSignInCode(deps, {
      email: "owner@example.org",
      lang: "de",
      clientKey: "192.0.2.10",
    });
    const ownerStatements = [...recorded.statements];
    recorded.statements.length = 0;
    const forStranger = await requestSignInCode(deps, {
      email: "stranger@example.org",
      lang: "de",
      clientKey: "192.0.2.11",
    });
    const strangerStatements = [...recorded.statements];

    expect(forOwner).toMatchObject({ ok: true, email: "owner@example.org" });
    expect(forStranger).toEqual({ ok: true, email: "stranger@example.org", outboxIds: [] });
    // The code and its mail are written in both; only the end of the savepoint differs (PGlite's
    // driver sends it as a statement, postgres.js by its own protocol call, unlogged).
    expect(ownerStatements.some((s) => /insert into "verifications"/i.test(s))).toBe(true);
    expect(ownerStatements.some((s) => /insert into "mail_outbox"/i.test(s))).toBe(true);
    expect(ownerStatements.length).toBeGreaterThan(5);
    const savepointEnd = /^(release|rollback to) savepoint/i;
    expect(ownerStatements.filter((s) => !savepointEnd.test(s))).toEqual(
      strangerStatements.filter((s) => !savepointEnd.test(s)),
    );
    if (services.database.backend === "pglite") {
      expect(ownerStatements.filter((s) => savepointEnd.test(s)).map((s) => s.split(" ")[0])).toEqual([
        "release",
      ]);
      expect(strangerStatements.filter((s) => savepointEnd.test(s)).map((s) => s.split(" ")[0])).toEqual([
        "rollback",
      ]);
    }

    const db = services.database.db;
    expect(
      await db
        .select({ target: verifications.target })
        .from(verifications)
        .where(eq(verifications.type, "signin")),
    ).toEqual([{ target: "owner@example.org" }]);
    expect((await db.select({ to: mailOutbox.to }).from(mailOutbox)).map((m) => m.to)).toEqual([
      "owner@example.org",
    ]);
  });

  it("keeps a stranger's request from replacing the owner's valid code", async () => {
    const db = services.database.db;
    const [before] = await db
      .select()
      .from(verifications)
      .where(eq(verifications.target, "owner@example.org"));
    await requestSignInCode(services, {
      email: "nobody-else@example.org",
      lang: "de",
      clientKey: "192.0.2.12",
    });
    const [after] = await db
      .select()
      .from(verifications)
      .where(eq(verifications.target, "owner@example.org"));
    expect(after).toEqual(before);
  });
});

describe("the global intake limit", () => {
  const before = process.env.MAIL_INTAKE_MAX_PENDING;
  afterAll(() => {
    if (before === undefined) delete process.env.MAIL_INTAKE_MAX_PENDING;
    else process.env.MAIL_INTAKE_MAX_PENDING = before;
  });

  it("refuses a sign-in code request with 429 while the code mails back up, counting nothing", async () => {
    const db = services.database.db;
    process.env.MAIL_INTAKE_MAX_PENDING = "2";
    await db.delete(mailOutbox);
    await queueSignInCodeMail(db, {
      to: "waiting-1@example.org",
      lang: "de",
      code: "123456",
      publicUrl: "http://portal.test",
    });
    await queueSignInCodeMail(db, {
      to: "waiting-2@example.org",
      lang: "de",
      code: "123456",
      publicUrl: "http://portal.test",
    });
    await ownCase("busy-owner@example.org");
    const hitsBefore = (await db.select().from(rateLimitHits)).length;

    const refused = await outcome(() =>
      requestSignInCode(services, {
        email: "busy-owner@example.org",
        lang: "de",
        clientKey: "192.0.2.20",
      }),
    );
    expect(refused).toEqual({ status: 429, data: { error: "busy" } });
    expect((await db.select().from(rateLimitHits)).length).toBe(hitsBefore);
    expect(await db.select().from(mailOutbox)).toHaveLength(2);

    await db.update(mailOutbox).set({ status: "sent" });
    expect(
      await requestSignInCode(services, {
        email: "busy-owner@example.org",
        lang: "de",
        clientKey: "192.0.2.20",
      }),
    ).toMatchObject({ ok: true });
  });
});
