// `npm start`: build when the sources are newer than the build, then run the portal.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// `npm start` serves in production mode unless development is asked for explicitly (see server.js).
if (process.env.NODE_ENV !== "development") process.env.NODE_ENV = "production";

const built = "build/server/index.js";

if (process.argv[2] === "--prepare") {
  // The child of a first start (below): create, migrate and (in demo mode) fill the database, then end.
  const portal = await import(path.resolve(built));
  await portal.stopServices(await portal.startServices(portal.loadConfig()));
  process.exit(0);
}

const sources = ["app", "server", "db", "package.json", "vite.config.ts", "react-router.config.ts"];

function newestMtime(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce(
    (max, name) => Math.max(max, newestMtime(path.join(entry, name))),
    stat.mtimeMs,
  );
}

if (
  !existsSync(built) ||
  sources.some((entry) => existsSync(entry) && newestMtime(entry) > statSync(built).mtimeMs)
) {
  console.log("Building the portal …");
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
}

/**
 * The first start on a fresh embedded database (PGlite) creates it in a child process that ends
 * before the server starts: creating it runs PGlite's initdb module, migrations and the demo data
 * (sample stores, accounts, the demo case), which grow the process's WebAssembly and malloc memory
 * by some 300 MB that are never given back. The server then opens the database as on any later
 * start (idle after a first demo start 461 MB before, see docs/decisions/0017-uploads-and-memory.md).
 * The jobs the demo data queues (gathering, mail) are left to the server; a failure here is shown
 * by the server's own start, which then does the work itself.
 */
try {
  const { loadConfig } = await import(path.resolve(built));
  const config = loadConfig();
  // PG_VERSION is the first file PGlite writes into its folder (DATA_DIR/db, see db/client.ts).
  if (!config.databaseUrl && !existsSync(path.join(config.dataDir, "db", "PG_VERSION"))) {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--prepare"], {
      stdio: "inherit",
      env: { ...process.env, RUN_WORKERS: "false" },
    });
  }
} catch {
  // A wrong configuration or a failed preparation: server.js reports it in one line.
}

/**
 * glibc's malloc raises its mmap threshold to the size of each large block freed (up to 32 MB), so
 * after the first upload the buffers of a document (8 MB read, 16 MB hex text for the database)
 * come from the heap, whose freed middle is never returned: 50 parallel uploads left the server
 * 250 MB larger. A fixed threshold of 1 MB keeps every large buffer in its own mapping, returned
 * when freed. glibc reads it only when a process starts, so the server runs as a child with it set;
 * an operator's own setting is kept (MALLOC_ARENA_MAX=2 was measured too and did not help).
 */
if (process.env.MALLOC_MMAP_THRESHOLD_ === undefined) {
  const server = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL("../server.js", import.meta.url))],
    {
      stdio: "inherit",
      env: { ...process.env, MALLOC_MMAP_THRESHOLD_: String(1024 * 1024) },
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await import("../server.js");
}
