// The process entry: static files, the built portal, graceful shutdown. Everything else is in
// server/app.ts, which is bundled with the routes (see vite.config.ts).
import compression from "compression";
import express from "express";

// Production unless development is asked for explicitly: Express and React Router show error
// details (stacks, server paths) to clients in any other mode.
const development = process.env.NODE_ENV === "development";
if (!development) process.env.NODE_ENV = "production";

const viteDevServer = development
  ? await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }))
  : undefined;
const portal = viteDevServer
  ? await viteDevServer.ssrLoadModule("./server/app.ts")
  : await import("./build/server/index.js");

let config;
let services;
try {
  config = portal.loadConfig();
  services = await portal.startServices(config);
} catch (error) {
  // One clear line, no stack trace: the usual causes are a wrong DATABASE_URL or a locked data folder.
  console.error(`Rechteportal cannot start: ${error instanceof Error ? error.message : String(error)}`);
  await viteDevServer?.close();
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use(compression());
if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static("build/client", { maxAge: "1h", index: false }));
}
app.use(portal.createApp(services));
// Last: every request that failed anywhere above (a bad escape in a static path included) gets a
// plain page and one log line.
app.use(portal.finalErrorHandler);

const server = app.listen(config.port, config.host, async () => {
  console.log(
    `Rechteportal: ${config.publicUrl} (${services.database.backend === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL"})`,
  );
  for (const line of await portal.describeDemo(services)) console.log(line);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  // A hung connection must not keep the database open: give up after ten seconds.
  setTimeout(() => process.exit(1), 10_000).unref();
  server.close();
  server.closeIdleConnections();
  try {
    await portal.stopServices(services);
    await viteDevServer?.close();
    process.exit(0);
  } catch (error) {
    console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
