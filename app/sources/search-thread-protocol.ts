/**
 * What the main thread and a search thread (search-threads.server.ts, search-thread.server.ts)
 * say to each other. Everything crosses by structured clone: findings keep their dates, an error
 * only its name and message (the connectors put no record contents into their errors).
 */
import type { FileStoreConfig } from "./config";
import type { Finding, ScanProgress, ScanReport, Subject } from "./connector";

export type ToSearchThread =
  /** Search `store` (its path relative to `dataDir`) for `subject`; `search` names it in every later message. */
  | { type: "find"; search: number; store: FileStoreConfig; dataDir: string; subject: Subject }
  /** The main thread took the findings sent so far: the thread may send more. */
  | { type: "taken"; search: number }
  /** The search was aborted or its reader stopped early: the thread leaves the pass. */
  | { type: "stop"; search: number };

export type FromSearchThread =
  | { type: "findings"; search: number; findings: Finding[] }
  | { type: "progress"; search: number; progress: ScanProgress }
  | { type: "report"; search: number; report: ScanReport }
  | { type: "end"; search: number }
  | { type: "failed"; search: number; name: string; message: string };
