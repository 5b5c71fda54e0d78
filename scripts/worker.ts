// `npm run worker`: background jobs without the web server, for deployments that scale workers
// separately (the web process then runs with RUN_WORKERS=false).
import { loadConfig } from "../app/server/config.server";
import { startServices, stopServices } from "../app/server/services.server";
import { runScript } from "./run-script";

await runScript(async () => {
  const config = { ...loadConfig(), runWorkers: true };
  if (!config.databaseUrl) {
    throw new Error(
      "A separate worker needs a PostgreSQL server (DATABASE_URL); the embedded database belongs to the web process, which runs the jobs itself.",
    );
  }
  const services = await startServices(config);
  console.log("Rechteportal worker: processing jobs");
  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      console.log(`${signal}: stopping worker`);
      await stopServices(services);
      resolve();
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
  });
});
