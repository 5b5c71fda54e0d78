/**
 * A search thread (ADR 0021): runs the file stores' searches that the main thread hands it
 * (search-threads.server.ts) and sends their findings back; the main thread writes them to the
 * database, which a thread never opens. Each store has one connector here, so searches of a store
 * that run at the same moment — the main thread sends them all to the same thread — share its pass.
 */
import { parentPort } from "node:worker_threads";
import type { FileStoreConfig } from "./config";
import type { Finding, ScanProgress, SourceConnector } from "./connector";
import { createFileConnector } from "./file-connector.server";
import type { FromSearchThread, ToSearchThread } from "./search-thread-protocol";

/** Findings a search may have unsent while its last batch is not taken yet; then its reading waits. */
const UNSENT_FINDINGS = 1000;
/** Progress is sent at most this often per search: the gathering writes it once a second. */
const PROGRESS_EVERY_MS = 250;

interface Running {
  controller: AbortController;
  /** A batch of findings was sent and not yet taken. */
  sending: boolean;
  onTaken(): void;
  wake: (() => void) | null;
}

export function serveSearches(): void {
  const port = parentPort;
  if (!port) throw new Error("search-thread.server.ts runs in a worker thread");
  const connectors = new Map<string, SourceConnector>();
  const running = new Map<number, Running>();
  const post = (message: FromSearchThread) => port.postMessage(message);

  function connectorFor(store: FileStoreConfig, dataDir: string): SourceConnector {
    let connector = connectors.get(store.id);
    if (!connector) connectors.set(store.id, (connector = createFileConnector(store, dataDir)));
    return connector;
  }

  async function search({ search, store, dataDir, subject }: Extract<ToSearchThread, { type: "find" }>) {
    let unsent: Finding[] = [];
    const state: Running = {
      controller: new AbortController(),
      sending: false,
      onTaken() {
        state.sending = false;
        if (unsent.length > 0) send();
        state.wake?.();
      },
      wake: null,
    };
    const send = () => {
      post({ type: "findings", search, findings: unsent });
      unsent = [];
      state.sending = true;
    };
    running.set(search, state);
    const { signal } = state.controller;
    let progressSentAt = -Infinity;
    try {
      const findings = connectorFor(store, dataDir).find(subject, {
        signal,
        onProgress(progress: ScanProgress) {
          const now = performance.now();
          if (now - progressSentAt < PROGRESS_EVERY_MS) return;
          progressSentAt = now;
          post({ type: "progress", search, progress });
        },
        onReport: (report) => post({ type: "report", search, report }),
      });
      for await (const finding of findings) {
        unsent.push(finding);
        // The first finding goes at once; while a batch is on its way the next ones gather.
        if (!state.sending) send();
        while (state.sending && unsent.length >= UNSENT_FINDINGS && !signal.aborted)
          await new Promise<void>((resolve) => (state.wake = resolve));
        state.wake = null;
        signal.throwIfAborted();
      }
      if (unsent.length > 0) send();
      post({ type: "end", search });
    } catch (error) {
      // A stopped search's end is the main thread's own; it listens no more.
      if (!signal.aborted) {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        post({ type: "failed", search, name, message });
      }
    } finally {
      running.delete(search);
    }
  }

  port.on("message", (message: ToSearchThread) => {
    switch (message.type) {
      case "find":
        void search(message);
        break;
      case "taken":
        running.get(message.search)?.onTaken();
        break;
      case "stop": {
        const state = running.get(message.search);
        state?.controller.abort(new Error("the search was stopped"));
        state?.wake?.();
        break;
      }
    }
  });
}
