/**
 * The connector of a file store, by its kind: the registry's (registry.server.ts) and a search
 * thread's (search-thread.server.ts), which builds its own from the same entry without the
 * database and mail-server connectors it never runs.
 */
import { join } from "node:path";
import type { FileStoreConfig } from "./config";
import type { SourceConnector } from "./connector";
import { createCallRecordConnector } from "./connectors/call-records.server";
import { createLoginLogConnector } from "./connectors/login-log.server";
import { MaildirConnector } from "./connectors/maildir.server";
import { RecordsConnector } from "./connectors/records.server";
import { createAccessLogConnector } from "./connectors/weblog.server";

/** `dataDir` is the directory the store's path is relative to. */
export function createFileConnector(store: FileStoreConfig, dataDir: string): SourceConnector {
  const root = join(dataDir, store.path);
  switch (store.kind) {
    case "nginx-access-log":
      return createAccessLogConnector(store.id, root);
    case "login-jsonl":
      return createLoginLogConnector(store.id, root);
    case "call-records-csv":
      return createCallRecordConnector(store.id, root);
    case "maildir":
      return new MaildirConnector(store.id, root);
    case "records-management":
      return new RecordsConnector(store.id, root);
  }
}
