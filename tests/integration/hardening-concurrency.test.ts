import { afterAll, beforeAll, expect, it } from "vitest";
import { appendAuditEvent, verifyAuditChain } from "#app/server/audit.server";
import { signInWithPassword } from "#app/server/auth/staff.server";
import { takeRateLimits } from "#app/server/rate-limit.server";
import { requestSignInCode } from "#app/server/requests/signin.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ services, close } = await createTestServices());
});
afterAll(() => close());

it("keeps the audit trail one chain under 200 parallel writers of every kind", async () => {
  const { db } = services.database;
  const before = (await verifyAuditChain(db)).events;
  const writers = Array.from({ length: 200 }, (_, i) => {
    switch (i % 4) {
      // Sign-ins with unknown names audit outside any transaction of the caller's.
      case 0:
        return signInWithPassword(
          { services },
          { userName: `nobody-${i}`, password: "guess", clientIp: `192.0.2.${i % 250}` },
        );
      // Code requests write their rate-limit hits and (here) nothing else in their own transaction.
      case 1:
        return requestSignInCode(services, {
          email: `person-${i}@example.org`,
          lang: "de",
          clientKey: `198.51.100.${i % 250}`,
        });
      // A caller passing the database itself.
      case 2:
        return appendAuditEvent(db, {
          actorType: "system",
          action: "case.read",
          reason: "test.direct",
          data: { i },
        });
      // A caller with a transaction of its own that does more work around the event.
      default:
        return db.transaction(async (tx) => {
          await appendAuditEvent(tx, {
            actorType: "system",
            action: "case.read",
            reason: "test.in-transaction",
            data: { i },
          });
          await tx.execute("select 1");
        });
    }
  });
  const results = await Promise.allSettled(writers);
  expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  const check = await verifyAuditChain(db);
  expect(check.ok).toBe(true);
  // Every sign-in (50) and every direct or transactional append (100) left exactly one event.
  expect(check.events - before).toBe(150);
});

it("lets exactly the limit through of 100 parallel takes of one bucket", async () => {
  const limit = { name: "parallel-test", max: 7, windowMs: 60_000 };
  const taken = await Promise.all(
    Array.from({ length: 100 }, () =>
      takeRateLimits(services.database.db, services.config.sessionSecret, [{ limit, subject: "one client" }]),
    ),
  );
  expect(taken.filter(Boolean)).toHaveLength(7);
});

it("accepts exactly five of 100 parallel code requests for one address", async () => {
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      requestSignInCode(services, { email: "burst@example.org", lang: "de", clientKey: `203.0.113.${i}` }),
    ),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(5);
  expect(results.filter((r) => !r.ok && r.reason === "rate-limited")).toHaveLength(95);
});
