// The entry of a search thread (search-threads.server.ts). The connectors are TypeScript: the
// thread reads them through tsx, as `npm run worker` and the scripts do, so the same entry serves
// the built server, the development server, the tests and the benchmarks.
import { register } from "tsx/esm/api";

register();
const { serveSearches } = await import("./search-thread.server.ts");
serveSearches();
