import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionSettings } from "#db/schema";
import { retentionRules } from "#app/core/retention";
import { verifyAuditChain } from "#app/server/audit.server";
import { changeRetentionRule, effectiveRules } from "#app/server/retention/rules.server";
import type { Database } from "#db/client";
import { createTestDatabase } from "../support/database";

let database: Database;
let staffId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const [staff] = await database.sql.query<{ id: string }>(
    "insert into staff_users (user_name, display_name, email, password_hash) values ('admin', 'Admin', 'a@x', 'x') returning id",
  );
  staffId = staff!.id;
});
afterAll(() => database.close());

const events = () =>
  database.sql.query<{ action: string; actor_id: string; data: Record<string, unknown> }>(
    "select action, actor_id, data from audit_events order by seq",
  );

describe("administrators' retention settings", () => {
  it("applies a change within the bounds and audits old and new value", async () => {
    const result = await changeRetentionRule(
      database.db,
      "retrieval-protocol",
      { period: { months: 12 }, roundToEndOfYear: false },
      staffId,
    );
    expect(result.ok).toBe(true);
    const rules = await effectiveRules(database.db);
    expect(rules["retrieval-protocol"]).toMatchObject({
      period: { months: 12 },
      roundToEndOfYear: false,
      legalReference: "§ 40 Abs. 5 BMG",
    });
    expect(rules["login-log"]).toEqual(retentionRules["login-log"]);
    const [event] = await events();
    expect(event).toMatchObject({
      action: "retention.rule-changed",
      actor_id: staffId,
      data: {
        ruleId: "retrieval-protocol",
        before: { period: { years: 1 }, roundToEndOfYear: true },
        after: { period: { months: 12 }, roundToEndOfYear: false },
      },
    });
  });

  it("refuses periods outside the legal bounds and changes nothing", async () => {
    const below = await changeRetentionRule(
      database.db,
      "retrieval-protocol",
      { period: { months: 11 }, roundToEndOfYear: false },
      staffId,
    );
    expect(below).toMatchObject({ ok: false, reason: "below-legal-minimum" });
    const above = await changeRetentionRule(
      database.db,
      "login-log",
      { period: { years: 2 }, roundToEndOfYear: true },
      staffId,
    );
    expect(above).toMatchObject({ ok: false, reason: "above-legal-maximum" });
    expect(await events()).toHaveLength(1);
    expect((await effectiveRules(database.db))["retrieval-protocol"].period).toEqual({ months: 12 });
  });

  it("ignores a stored setting that no longer passes the legal bounds", async () => {
    await database.db
      .insert(retentionSettings)
      .values({ ruleId: "contact-form", period: { years: 1 }, roundToEndOfYear: false });
    expect((await effectiveRules(database.db))["contact-form"].period).toEqual({ years: 5 });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, events: 1 });
  });
});
