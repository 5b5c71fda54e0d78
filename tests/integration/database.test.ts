import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, DatabaseOpenError, openDatabase } from "#db/client";
import { verifications } from "#db/schema";
import { PGLITE_TEMPLATE_ENV, copyPgliteTemplateInto, createTestDatabase } from "../support/database";

describe("the portal database", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("has the migrated schema and stores timestamps with time zone", async () => {
    const expiresAt = new Date("2026-11-23T10:15:00Z");
    const [row] = await database.db
      .insert(verifications)
      .values({ type: "signin", target: "erika@example.org", codeHash: "x", expiresAt })
      .returning();
    const [read] = await database.db.select().from(verifications).where(eq(verifications.id, row!.id));
    expect(read?.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(read?.attempts).toBe(0);
  });

  it("applies migrations idempotently", async () => {
    await database.migrate();
    const rows = await database.sql.query<{ n: number }>("select count(*)::int as n from verifications");
    expect(rows[0]?.n).toBe(1);
  });

  it("runs a transaction as one unit", async () => {
    await expect(
      database.sql.transaction(async (tx) => {
        await tx.query("insert into verifications (type, target) values ($1, $2)", [
          "email-code",
          "rollback@example.org",
        ]);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rows = await database.sql.query("select 1 from verifications where target = $1", [
      "rollback@example.org",
    ]);
    expect(rows).toHaveLength(0);
  });
});

describe("the embedded database folder", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rp-db-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps data between opens and refuses a second opener while open", async () => {
    // The run's template is a data folder the portal opened first (tests/support/global-db-setup.ts):
    // starting from its copy spares this test a second initdb and migration of its own.
    const template = process.env[PGLITE_TEMPLATE_ENV];
    if (template) copyPgliteTemplateInto(dir, template);
    const first = await openDatabase({ dataDir: dir });
    await first.migrate();
    await first.sql.query("insert into verifications (type, target) values ($1, $2)", [
      "email-code",
      "kept@example.org",
    ]);
    await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseOpenError);
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    const rows = await second.sql.query("select target from verifications");
    expect(rows).toEqual([{ target: "kept@example.org" }]);
    await second.close();
  });
});
