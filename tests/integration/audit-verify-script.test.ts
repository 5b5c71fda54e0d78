/**
 * `npm run audit:verify` as an operator runs it: a separate process with the installation's
 * configuration (AUDIT_KEY, DATA_DIR with the checkpoint file), exit code 0 for an intact trail and
 * 2 with the event and the kind of problem for a broken one.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "#db/client";
import { appendAuditEvent } from "#app/server/audit.server";
import {
  auditCheckpointJob,
  checkpointFileIn,
  readCheckpointFile,
} from "#app/server/audit/checkpoints.server";
import { installAuditKey } from "#app/server/audit/keys.server";
import type { JobContext } from "#app/server/jobs/job";
import {
  PGLITE_TEMPLATE_ENV,
  POSTGRES_TEMPLATE_ENV,
  TEST_AUDIT_KEY,
  copyPgliteTemplateInto,
  createServerDatabase,
} from "../support/database";
import { compileNodeScript } from "../support/node-script";

vi.setConfig({ testTimeout: 180_000 });

const dataDir = mkdtempSync(path.join(tmpdir(), "rp-audit-verify-"));
// Beside node_modules, so that the bundle's imports of packages resolve as the script's do.
const bundleDir = mkdtempSync(path.resolve("node_modules/.cache/rp-audit-verify-"));
const script = path.join(bundleDir, "audit-verify.mjs");
let dropServerDatabase: (() => Promise<void>) | null = null;
let databaseUrl: string | undefined;
afterAll(async () => {
  await dropServerDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
});

/** scripts/audit-verify.ts compiled once: each of the three runs starts without tsx's loader (~1.3 s of CPU a run). */
beforeAll(async () => {
  await compileNodeScript({ entryPoints: ["scripts/audit-verify.ts"] }, script);
});

/** The installation's database: the embedded one in DATA_DIR, or one of its own on the test server. */
async function open(): Promise<Database> {
  return openDatabase({ databaseUrl, dataDir });
}

/**
 * Installs the database once: a copy of the run's migrated template where there is one (an empty
 * PGlite folder is an initdb and all migrations, ~8 s of CPU), migrated here otherwise.
 */
async function install(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  const template = process.env[serverUrl ? POSTGRES_TEMPLATE_ENV : PGLITE_TEMPLATE_ENV];
  if (serverUrl) {
    const created = await createServerDatabase(serverUrl, template);
    databaseUrl = created.url;
    dropServerDatabase = created.drop;
  } else if (template) copyPgliteTemplateInto(dataDir, template);
  const database = await open();
  if (!template) await database.migrate();
  return database;
}

async function verify(env: Record<string, string> = {}): Promise<{ code: number; stdout: string }> {
  try {
    // What `npm run audit:verify` runs, compiled as tsx compiles it, without npx's and tsx's two
    // launcher processes (~0.8 s of CPU per run) and tsx's loader. Liftoff only: the verification
    // runs a few queries, and compiling PGlite's hot functions again with TurboFan cost ~0.7 s of
    // CPU per run that the short run never earns back.
    const { stdout } = await promisify(execFile)(process.execPath, ["--liftoff-only", script], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DEMO_MODE: "true",
        DATABASE_URL: databaseUrl ?? "",
        AUDIT_KEY: TEST_AUDIT_KEY,
        ...env,
      },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

it("says intact with the counts and signs a checkpoint; names the event and the problem when broken", async () => {
  installAuditKey(TEST_AUDIT_KEY);
  let database = await install();
  for (const action of ["request.submitted", "review.decided", "request.answered"] as const)
    await appendAuditEvent(database.db, { actorType: "system", action });
  // The periodic job signs the head into the database and into the file beside the data.
  await auditCheckpointJob.run({ db: database.db, config: { dataDir } } as JobContext, {});
  expect(await readCheckpointFile(checkpointFileIn(dataDir))).toMatchObject({ seq: 3, events: 3 });
  await database.close();

  const intact = await verify();
  expect(intact.code).toBe(0);
  expect(intact.stdout).toMatch(/Audit trail intact: 3 events verified/);
  expect(intact.stdout).toMatch(/1 signed checkpoints hold; the latest .* names event 3 as number 3/);

  const otherKey = await verify({ AUDIT_KEY: "another-installation-another-key-0000" });
  expect(otherKey.code).toBe(2);
  expect(otherKey.stdout).toMatch(/BROKEN at event 1 \(hash\)/);

  database = await open();
  await database.sql.exec(
    `ALTER TABLE audit_events DISABLE TRIGGER USER; DELETE FROM audit_events WHERE seq = 3; ALTER TABLE audit_events ENABLE TRIGGER USER;`,
  );
  await database.close();
  const cut = await verify();
  expect(cut.code).toBe(2);
  expect(cut.stdout).toMatch(
    /BROKEN at event 3 \(truncated\): a signed checkpoint names it, but the trail ends before it/,
  );
});
