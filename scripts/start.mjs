// `npm start`: build when the sources are newer than the build, then run the portal.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// `npm start` serves in production mode unless development is asked for explicitly (see server.js).
if (process.env.NODE_ENV !== "development") process.env.NODE_ENV = "production";

const built = "build/server/index.js";
const sources = ["app", "server", "db", "package.json", "vite.config.ts", "react-router.config.ts"];

function newestMtime(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((max, name) => Math.max(max, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

if (!existsSync(built) || sources.some((entry) => existsSync(entry) && newestMtime(entry) > statSync(built).mtimeMs)) {
  console.log("Building the portal …");
  execFileSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
}
await import("../server.js");
