/**
 * One pass over a file store serves every search waiting for it (issue 17, ADR 0021). A store is a
 * list of units (its files); a pass reads each unit once for all the searches taking part in it,
 * and each search receives only its own findings.
 *
 * A search that starts while a pass is on its first lap (not every unit begun yet) joins it: it
 * takes part from the next unit on, and the pass goes round once more for the units it missed, as
 * PostgreSQL's synchronised sequential scans do. A search that starts later waits for no one: it
 * starts the next pass, with the store listed anew. So no search is ever left out of a pass, the
 * listing a search works from is at most two laps old, and each search reads every unit once.
 *
 * What a unit's reader does for a search — deciding which records are its, counting problems —
 * is the connector's: the pass only decides which searches take part in reading which unit.
 */
import type { ScanProgress } from "./connector";

/** How many findings a search may have waiting before the pass waits for it to take them. */
const BUFFERED_FINDINGS = 1000;

/** One search's part in a pass: its own state (`own`) and where its findings go. */
export interface Participant<Own, Item> {
  readonly own: Own;
  /** Hands a finding to this search; waits while the search has too many waiting. No-op once it left. */
  deliver(item: Item): Promise<void>;
  /** True once the search stopped listening (aborted, or its reader stopped early). */
  readonly left: boolean;
}

/** A search's own state as a record store's reader counts it: what it scanned of how many. */
interface CountedOwn {
  report: { scanned: number; total: number | null };
  onProgress?: (progress: ScanProgress) => void;
}

/**
 * The searches still reading before one more record of a record store is read, each counted as
 * having scanned it and told so; empty once every search has left, so the reader can stop.
 */
export function countRecordRead<Own extends CountedOwn, Item>(
  participants: readonly Participant<Own, Item>[],
): Participant<Own, Item>[] {
  const active = participants.filter((p) => !p.left);
  for (const { own } of active) {
    own.report.scanned++;
    own.onProgress?.({ unit: "records", scanned: own.report.scanned, total: own.report.total });
  }
  return active;
}

export interface PassStore<Setup, Own, Item> {
  /** Lists the store for a new pass: what every unit reader needs, and how many units there are. */
  prepare(): Promise<{ setup: Setup; units: number }>;
  /**
   * Reads one unit for the participants; per-unit failures are the reader's to report to each of
   * them. `signal` aborts when every participant has left.
   */
  read(
    setup: Setup,
    unit: number,
    participants: readonly Participant<Own, Item>[],
    signal: AbortSignal,
  ): Promise<void>;
  /** A search is admitted to a pass (the store is listed by then): e.g. it learns of the listing's problems. */
  admit?(setup: Setup, own: Own): void;
  /** Units read at once. */
  concurrency: number;
}

/** A search taking part in a pass: the pass's setup, and its findings as they come. */
export interface Joined<Setup, Item> {
  setup: Setup;
  items: AsyncIterable<Item>;
}

class Member<Own, Item> implements Participant<Own, Item> {
  readonly missing = new Set<number>();
  private readonly queue: Item[] = [];
  private wakeReader: (() => void) | null = null;
  /** Readers of units waiting for room (two units read at once can deliver to the same search). */
  private readonly producers: (() => void)[] = [];
  private ended = false;
  private failure: unknown = null;
  left = false;

  constructor(readonly own: Own) {}

  async deliver(item: Item): Promise<void> {
    while (!this.left && this.queue.length >= BUFFERED_FINDINGS)
      await new Promise<void>((resolve) => this.producers.push(resolve));
    if (this.left) return;
    this.queue.push(item);
    this.wakeReader?.();
  }

  /** Every unit was read for it (or the pass failed it): its reader ends after the waiting findings. */
  end(failure: unknown = null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.wakeReader?.();
  }

  leave(reason: unknown = null): void {
    if (this.left) return;
    this.left = true;
    this.missing.clear();
    this.end(reason);
    this.wakeProducers();
  }

  private wakeProducers(): void {
    for (const wake of this.producers.splice(0)) wake();
  }

  async *items(): AsyncGenerator<Item> {
    try {
      for (;;) {
        if (this.queue.length > 0) {
          const item = this.queue.shift()!;
          this.wakeProducers();
          yield item;
          continue;
        }
        if (this.ended) {
          if (this.failure !== null) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
        this.wakeReader = null;
      }
    } finally {
      this.leave();
    }
  }
}

class Pass<Setup, Own, Item> {
  readonly members = new Set<Member<Own, Item>>();
  /** Searches that joined before the store was listed. */
  private readonly waiting: Member<Own, Item>[] = [];
  private units: number | null = null;
  private setup: Setup | null = null;
  private readonly begun = new Set<number>();
  private readonly reading = new Map<number, Promise<number>>();
  private cursor = 0;
  private kick: () => void = () => {};
  finished = false;

  constructor(
    private readonly store: PassStore<Setup, Own, Item>,
    readonly ready: Promise<{ setup: Setup; units: number }>,
  ) {}

  /** Open to newcomers while some unit has not been begun once. */
  get admits(): boolean {
    return !this.finished && (this.units === null || this.begun.size < this.units);
  }

  enqueue(member: Member<Own, Item>): void {
    if (this.units === null) {
      this.waiting.push(member);
      return;
    }
    for (let unit = 0; unit < this.units; unit++) member.missing.add(unit);
    this.store.admit?.(this.setup!, member.own);
    this.members.add(member);
    this.kick();
  }

  async run(): Promise<void> {
    const { setup, units } = await this.ready;
    this.setup = setup;
    this.units = units;
    for (const member of this.waiting.splice(0)) this.enqueue(member);
    for (;;) {
      this.startReads(setup, units);
      for (const member of this.members) if (member.left || member.missing.size === 0) this.finish(member);
      if (this.reading.size === 0 && this.members.size === 0) break;
      const woken = new Promise<number>((resolve) => (this.kick = () => resolve(-1)));
      await Promise.race([...this.reading.values(), woken]);
    }
    this.finished = true;
  }

  private finish(member: Member<Own, Item>): void {
    member.end();
    this.members.delete(member);
  }

  /** Fills the free slots with the next units (round the store from where the last one began) someone still needs. */
  private startReads(setup: Setup, units: number): void {
    for (let step = 0; step < units && this.reading.size < this.store.concurrency; step++) {
      const unit = (this.cursor + step) % units;
      if (this.reading.has(unit)) continue;
      const participants = [...this.members].filter((m) => !m.left && m.missing.has(unit));
      if (participants.length === 0) continue;
      this.begun.add(unit);
      this.cursor = unit + 1;
      step = -1;
      const controller = new AbortController();
      const watch = setInterval(() => {
        if (participants.every((m) => m.left)) controller.abort(new Error("every search left"));
      }, 200);
      watch.unref();
      this.reading.set(
        unit,
        this.store
          .read(setup, unit, participants, controller.signal)
          .then(
            () => {
              for (const member of participants) member.missing.delete(unit);
            },
            (error: unknown) => {
              // A reader reports what it can per unit; anything else fails the searches that took part.
              for (const member of participants) member.leave(error);
            },
          )
          .finally(() => {
            clearInterval(watch);
            this.reading.delete(unit);
          })
          .then(() => unit),
      );
    }
  }
}

/**
 * The passes of one store: `join` lets a search take part in the current pass, or starts one.
 * A joined search must be read to its end or stopped (`return()` of its iterator) to leave.
 */
export class SharedPasses<Setup, Own, Item> {
  private current: Pass<Setup, Own, Item> | null = null;

  constructor(private readonly store: PassStore<Setup, Own, Item>) {}

  async join(own: Own, signal?: AbortSignal): Promise<Joined<Setup, Item>> {
    signal?.throwIfAborted();
    if (!this.current?.admits) {
      const pass = new Pass(this.store, this.store.prepare());
      this.current = pass;
      const done = () => {
        if (this.current === pass) this.current = null;
      };
      void pass.run().then(done, done);
    }
    const pass = this.current!;
    const member = new Member<Own, Item>(own);
    const onAbort = () => member.leave(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    pass.enqueue(member);
    let setup: Setup;
    try {
      ({ setup } = await pass.ready);
    } catch (error) {
      signal?.removeEventListener("abort", onAbort);
      throw error;
    }
    const items = member.items();
    return {
      setup,
      items: {
        async *[Symbol.asyncIterator]() {
          try {
            yield* items;
          } finally {
            signal?.removeEventListener("abort", onAbort);
          }
        },
      },
    };
  }
}

/**
 * What a unit's reader works out once for all the searches a record is offered to (its parsed
 * fields, its whole bytes): computed on the first call, and the same value — or the same error —
 * for every later one, so that a failure fails each search that asks, as it would have alone, and
 * no search that does not ask.
 */
export function once<T>(compute: () => T): () => T {
  let result: { value: T } | { error: unknown } | null = null;
  return () => {
    if (result === null) {
      try {
        result = { value: compute() };
      } catch (error) {
        result = { error };
      }
    }
    if ("error" in result) throw result.error;
    return result.value;
  };
}
