import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { appendAuditEvent, verifyAuditChain } from "../../app/server/audit.server";
import { createTestDatabase } from "../support/database";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  for (const action of ["request.submitted", "request.proven", "finding.withheld"]) {
    await database.db.transaction((tx) =>
      appendAuditEvent(tx, { actorType: "system", action, data: { at: new Date("2026-11-23T10:00:00Z"), n: 1.5, nested: { b: 1, a: [2] } } }),
    );
  }
});
afterAll(() => database.close());

it("links every event to the one before and verifies the whole chain", async () => {
  expect(await verifyAuditChain(database.db)).toEqual({ ok: true, events: 3 });
});

it("refuses to change an event", async () => {
  await expect(database.sql.query("update audit_events set reason = 'x' where seq = 2")).rejects.toThrow(/append-only/);
});

it("names the first event that was altered behind the trigger's back", async () => {
  await database.sql.exec(`alter table audit_events disable trigger audit_events_append_only;
    update audit_events set action = 'finding.released' where seq = 3;
    alter table audit_events enable trigger audit_events_append_only;`);
  expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 3, problem: "hash" });
});

it("notices an event removed from the middle", async () => {
  const other = await createTestDatabase();
  try {
    for (const action of ["a", "b", "c"]) await appendAuditEvent(other.db, { actorType: "system", action });
    await other.sql.query("delete from audit_events where seq = 2");
    expect(await verifyAuditChain(other.db)).toMatchObject({ ok: false, brokenAt: 3, problem: "link" });
  } finally {
    await other.close();
  }
});
