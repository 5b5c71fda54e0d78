import { rmSync } from "node:fs";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { type ExecutionEnv, executionEnv } from "#app/server/execution/env.server";
import type { Services } from "#app/server/services.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import { cachedSample } from "./sample-cache";
import { createTestServices } from "./services";
import { createStaff } from "./staff";

/** A generated sample's stores under the portal's services, with the execution's environment and its two staff. */
export interface ExecutionSample {
  sample: Awaited<ReturnType<typeof cachedSample>>;
  services: Services;
  env: ExecutionEnv;
  handler: StaffIdentity;
  dpo: StaffIdentity;
  /** Closes the services and removes `sampleDir`. */
  close(): Promise<void>;
}

/**
 * What the tests of carrying actions out share: the sample written into `sampleDir` (cached by its
 * settings), its database stores loaded, a case handler who proposes and a DPO who approves.
 */
export async function openExecutionSample(sampleDir: string, seed = "confirmed"): Promise<ExecutionSample> {
  const sample = await cachedSample({ people: 40, days: 20, seed, out: sampleDir });
  const { services, close } = await createTestServices({ SOURCES_DIR: sampleDir });
  await loadDatabaseStores(services.database.sql, sampleDir);
  const env = await executionEnv({
    db: services.database.db,
    config: services.config,
    sources: services.sources,
  });
  return {
    sample,
    services,
    env,
    handler: await createStaff(services.db, "handler", "case-handler", "handler"),
    dpo: await createStaff(services.db, "dpo", "dpo", "dpo"),
    async close() {
      await close();
      rmSync(sampleDir, { recursive: true, force: true });
    },
  };
}
