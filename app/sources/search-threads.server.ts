/**
 * The file stores' searches run on worker threads (ADR 0021): reading, decompressing, matching and
 * parsing a store costs CPU, and in one thread the stores of a request took the sum of their times
 * instead of the slowest one's. The main thread keeps the database: it hands a search to a thread,
 * takes its findings, progress and report back, and writes them as before.
 *
 * A store's searches that run at the same moment all go to the same thread, where they share one
 * pass (shared-pass.server.ts); a store with none running goes to an idle thread, a new one while
 * fewer than the limit run, else to the thread with the least expected work: the longest of its
 * stores' last searches in seconds (a store not searched yet counts nothing), then the fewest
 * stores. So a store that takes long keeps a thread for itself while the short ones share the
 * others, rather than one of them queueing on its thread behind it (gather-latency, ADR 0021). A
 * thread that ends unasked (a crash, memory exhausted) fails the searches it held with
 * `SearchThreadLost`, never a search "ended with nothing found".
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import type { FileStoreConfig } from "./config";
import type { Finding, FindOptions, ScanProgress, SourceConnector, Subject } from "./connector";
import type { FromSearchThread, ToSearchThread } from "./search-thread-protocol";

/**
 * The thread's entry, in the source tree: beside this module where it runs from source (tests,
 * scripts, the development server); the built server is bundled under build/, and finds it from
 * the package's root (the folder of package.json above it), where `npm start` builds from.
 */
function bootFile(): string {
  const entry = path.join("app", "sources", "search-thread-boot.mjs");
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, entry)))
      return path.join(dir, entry);
    const up = path.dirname(dir);
    if (up === dir)
      throw new Error(
        `the search threads' entry ${entry} was not found above ${fileURLToPath(import.meta.url)}`,
      );
    dir = up;
  }
}

/** The thread searching a store ended before the search did: the store was not searched to its end. */
export class SearchThreadLost extends Error {
  constructor(store: string, cause: unknown) {
    super(`store "${store}": the thread searching it ended before the search did`, { cause });
    this.name = "SearchThreadLost";
  }
}

/** One search as the main thread waits for it: batches of findings, then its end or failure. */
class RemoteSearch {
  private readonly batches: Finding[][] = [];
  private outcome: { failure: unknown } | null = null;
  private wakeReader: (() => void) | null = null;

  constructor(
    readonly store: string,
    readonly options: FindOptions,
  ) {}

  get over(): boolean {
    return this.outcome !== null;
  }

  receive(message: FromSearchThread): void {
    if (this.outcome) return;
    switch (message.type) {
      case "findings":
        this.batches.push(message.findings);
        break;
      case "progress":
        this.options.onProgress?.(message.progress as ScanProgress);
        return;
      case "report":
        this.options.onReport?.(message.report);
        return;
      case "end":
        this.outcome = { failure: null };
        break;
      case "failed":
        this.outcome = { failure: Object.assign(new Error(message.message), { name: message.name }) };
        break;
    }
    this.wakeReader?.();
  }

  fail(failure: unknown): void {
    if (this.outcome) return;
    this.outcome = { failure };
    this.wakeReader?.();
  }

  /** The next batch of findings; null at the end; throws the failure. Findings sent before a failure are dropped with it. */
  async next(): Promise<Finding[] | null> {
    for (;;) {
      if (this.outcome?.failure) throw this.outcome.failure;
      const batch = this.batches.shift();
      if (batch) return batch;
      if (this.outcome) return null;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
      this.wakeReader = null;
    }
  }
}

/**
 * Room for this many MB of old generation before a search thread's first full garbage collection.
 * V8 counts the buffers made since the last full collection against the old generation's limit,
 * and gunzip hands over every 128 KiB of a log in a new buffer (a GiB per search of the
 * gather-latency landscape's web logs). From V8's own small starting limit, whose growth it sets
 * anew after each collection, that set off bursts of up to 38 full collections in one search, each
 * freeing less than a megabyte, ≈ 0.4 s of CPU on V8's helper threads, in about half of the
 * searches (ADR 0021). With this floor a search made 0–1 of them; the threads' heaps stayed at the
 * same size (≈ 45 MB used, 63 MB committed), since hardly anything of a search lives on.
 */
const INITIAL_OLD_SPACE_MB = 128;

/**
 * Worker threads being started with the floor above. Node's `resourceLimits` set no initial size,
 * so V8's flag is set while a search thread's isolate is made (the flag is read only then) and
 * taken back once every thread being started runs, so that other threads keep V8's defaults.
 */
let starting = 0;

function spawnWithHeapFloor(file: string): Worker {
  if (starting++ === 0) setFlagsFromString(`--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`);
  let started = false;
  const done = () => {
    if (started) return;
    started = true;
    if (--starting === 0) setFlagsFromString("--initial-old-space-size=0");
  };
  let worker: Worker;
  try {
    worker = new Worker(file, { execArgv: [] });
  } catch (error) {
    done();
    throw error;
  }
  worker.once("online", done);
  worker.once("exit", done);
  return worker;
}

class SearchThread {
  readonly worker: Worker;
  readonly searches = new Map<number, RemoteSearch>();
  /** Stores with searches here, and how many. */
  readonly stores = new Map<string, number>();
  closing = false;

  constructor(onGone: (thread: SearchThread, reason: unknown) => void) {
    // A clean start: the thread registers its own TypeScript loader (search-thread-boot.mjs).
    this.worker = spawnWithHeapFloor(bootFile());
    this.worker.unref();
    let error: unknown = null;
    this.worker.on("message", (message: FromSearchThread) =>
      this.searches.get(message.search)?.receive(message),
    );
    this.worker.on("error", (e) => (error = e));
    this.worker.on("exit", (code) => onGone(this, error ?? new Error(`the thread ended with code ${code}`)));
  }

  post(message: ToSearchThread): void {
    this.worker.postMessage(message);
  }

  add(store: string, id: number, search: RemoteSearch): void {
    if (this.searches.size === 0) this.worker.ref();
    this.searches.set(id, search);
    this.stores.set(store, (this.stores.get(store) ?? 0) + 1);
  }

  remove(store: string, id: number): void {
    if (!this.searches.delete(id)) return;
    const left = this.stores.get(store)! - 1;
    if (left > 0) this.stores.set(store, left);
    else this.stores.delete(store);
    // An idle thread keeps no process alive (a script that ends without closing the registry).
    if (this.searches.size === 0) this.worker.unref();
  }
}

export class SearchThreads {
  private readonly threads: SearchThread[] = [];
  private nextSearch = 0;
  private closed = false;
  /** Wall seconds of each store's last search that ended, for placing the next ones. */
  readonly lastSearchSeconds = new Map<string, number>();

  /** `limit`: threads at most (GATHER_SEARCH_THREADS); each is started when first needed. */
  constructor(readonly limit: number) {}

  /**
   * Starts every thread now: a thread reads its modules when it starts (about 1.5 s of CPU, and
   * seconds of wall time on a busy machine), which the first searches would otherwise wait for.
   */
  warm(): void {
    while (!this.closed && this.threads.length < this.limit) this.threads.push(this.spawn());
  }

  private spawn(): SearchThread {
    return new SearchThread((gone, reason) => this.gone(gone, reason));
  }

  /** The thread a search of `store` goes to: the one its running searches are on, else the least busy. */
  private threadFor(store: string): SearchThread {
    const holding = this.threads.find((t) => t.stores.has(store));
    if (holding) return holding;
    const idle = this.threads.find((t) => t.stores.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.limit) {
      const thread = this.spawn();
      this.threads.push(thread);
      return thread;
    }
    // A thread is busy at least as long as its longest store's search. Not the sum: searches that
    // shared a thread took longer together, and their times so measured add up to more than one
    // long store's, whose thread would then take the next short store too.
    const work = (t: SearchThread) =>
      Math.max(0, ...[...t.stores.keys()].map((held) => this.lastSearchSeconds.get(held) ?? 0));
    return this.threads
      .map((thread) => ({ thread, work: work(thread) }))
      .reduce((a, b) =>
        b.work < a.work || (b.work === a.work && b.thread.stores.size < a.thread.stores.size) ? b : a,
      ).thread;
  }

  private gone(thread: SearchThread, reason: unknown): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    for (const search of thread.searches.values())
      search.fail(
        thread.closing
          ? new Error("the search threads were closed")
          : new SearchThreadLost(search.store, reason),
      );
  }

  async *find(
    store: FileStoreConfig,
    dataDir: string,
    subject: Subject,
    options: FindOptions = {},
  ): AsyncGenerator<Finding> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.closed) throw new Error("the search threads were closed");
    const thread = this.threadFor(store.id);
    const id = ++this.nextSearch;
    const search = new RemoteSearch(store.id, options);
    thread.add(store.id, id, search);
    const onAbort = () => search.fail(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const started = performance.now();
    try {
      thread.post({ type: "find", search: id, store, dataDir, subject });
      for (;;) {
        const batch = await search.next();
        if (!batch) {
          this.lastSearchSeconds.set(store.id, (performance.now() - started) / 1000);
          return;
        }
        thread.post({ type: "taken", search: id });
        yield* batch;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      // Aborted, failed on the main side or left early by its reader: the thread stops reading for it.
      if (!search.over || signal?.aborted) thread.post({ type: "stop", search: id });
      thread.remove(store.id, id);
    }
  }

  /** Which thread (its `threadId`) searches which stores now. */
  describe(): { threadId: number; stores: string[] }[] {
    return this.threads.map((t) => ({ threadId: t.worker.threadId, stores: [...t.stores.keys()] }));
  }

  /** Ends the thread searching `store` as a crash would (its searches fail with SearchThreadLost); false when none does. */
  async terminateThreadOf(store: string): Promise<boolean> {
    const thread = this.threads.find((t) => t.stores.has(store));
    if (!thread) return false;
    await thread.worker.terminate();
    return true;
  }

  /** Ends every thread; searches still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.threads.map((thread) => {
        thread.closing = true;
        return thread.worker.terminate();
      }),
    );
  }
}

/**
 * A file store's connector whose searches run on `threads`: everything else (erase, restrict,
 * rectify, sweep, inspect, check, close) is the in-process `connector`'s, as before.
 */
export function searchingOnThreads(
  connector: SourceConnector,
  store: FileStoreConfig,
  dataDir: string,
  threads: SearchThreads,
): SourceConnector {
  return {
    id: connector.id,
    kind: connector.kind,
    capabilities: connector.capabilities,
    find: (subject, options) => threads.find(store, dataDir, subject, options),
    erase: (refs) => connector.erase(refs),
    restrict: (refs, hold, holder) => connector.restrict(refs, hold, holder),
    rectify: (ref, changes) => connector.rectify(ref, changes),
    sweep: (now, rules) => connector.sweep(now, rules),
    inspect: (refs) => connector.inspect(refs),
    check: () => connector.check(),
    close: () => connector.close(),
  };
}
