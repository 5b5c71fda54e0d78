/**
 * A gathering whose every store failed to start (an invalid entry in the sources' configuration, a
 * database that could not be reached): it starts all the same, with each store failed and named,
 * and the case goes on to review, where staff see what was not searched (ADR 0015: every case
 * ends). Before, the start failed on an empty insert and the case never left "received".
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gatherStoreJobs, requests } from "#db/schema";
import { verifyAuditChain } from "#app/server/audit.server";
import { gatherOnReceipt, startGather } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import { receivedAccessRequestByAddress } from "../support/cases";
import { queuedByHand } from "../support/jobs";
import { createTestServices } from "../support/services";

const storeDir = mkdtempSync(path.join(tmpdir(), "rp-gather-no-store-"));
let services: Services;
let close: () => Promise<void>;

beforeAll(async () => {
  const sourcesConfig = path.join(storeDir, "sources.json");
  writeFileSync(
    sourcesConfig,
    JSON.stringify({ stores: [{ id: "web-x", title: "X", kind: "no-such-kind", path: "weblog" }] }),
  );
  ({ services, close } = await createTestServices({ SOURCES_DIR: storeDir, SOURCES_CONFIG: sourcesConfig }));
});
afterAll(async () => {
  await close();
  rmSync(storeDir, { recursive: true, force: true });
});

const deps = () => ({ db: services.database.db, sources: services.sources, jobs: queuedByHand() });
const newCase = () => receivedAccessRequestByAddress(services.database.db, "no-store");

it("starts with every store failed and moves the case on to review", async () => {
  expect(services.sources.connectors.size).toBe(0);
  expect([...services.sources.failures.keys()]).toEqual(["web-x"]);
  const byStaff = await newCase();
  const onReceipt = await newCase();
  const runId = await startGather(deps(), byStaff, null);
  expect(await gatherOnReceipt(deps(), onReceipt)).toBe(true);
  for (const id of [byStaff, onReceipt]) {
    const [request] = await services.db.select().from(requests).where(eq(requests.id, id));
    expect(request!.status).toBe("review");
  }
  const jobs = await services.db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId));
  expect(jobs).toMatchObject([
    { store: "web-x", status: "failed", error: expect.stringMatching(/invalid configuration/) },
  ]);
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
});
