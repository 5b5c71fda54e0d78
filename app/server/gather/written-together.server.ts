import type { Db, Tx } from "#db/client";
import { describeError, log } from "../log.server";

/** At most this many writes share a transaction (and the case rows it locks). */
const atMost = 100;

interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes that callers hand in during one turn of the event loop, or while a transaction of them is
 * under way, are written together in the next transaction: `write` gets them in the order they
 * came and answers for each. The gatherings of many cases sharing one pass (ADR 0021) start and end
 * together, and on the embedded database each statement of one waited for every statement of the
 * others. Two items with the same key never share a transaction: the later waits for the next, so
 * it sees what the earlier wrote, as if each had its own. If one of the writes fails, the shared
 * transaction is rolled back and each item is written again in a transaction of its own, so one
 * item's failure is its own; if the commit fails, every caller gets the error.
 */
export function writtenTogether<In, Out>(
  write: (tx: Tx, items: In[]) => Promise<Out[]>,
  keyOf: (item: In) => string,
): (db: Db, item: In) => Promise<Out> {
  const states = new Map<Db, { waiting: Waiting<In, Out>[]; writing: boolean }>();

  async function writeWaiting(db: Db, state: { waiting: Waiting<In, Out>[]; writing: boolean }) {
    state.writing = true;
    while (state.waiting.length > 0) {
      const keys = new Set<string>();
      const now: Waiting<In, Out>[] = [];
      const later: Waiting<In, Out>[] = [];
      for (const w of state.waiting.splice(0)) {
        const key = keyOf(w.item);
        if (now.length < atMost && !keys.has(key)) {
          keys.add(key);
          now.push(w);
        } else later.push(w);
      }
      state.waiting.unshift(...later);
      let written = false;
      try {
        const outs = await db.transaction(async (tx) => {
          const out = await write(
            tx,
            now.map((w) => w.item),
          );
          written = true;
          return out;
        });
        now.forEach((w, i) => w.resolve(outs[i]!));
      } catch (error) {
        // Once every write was done, only the commit can have failed, and whether it took effect
        // is unknown (a connection lost with its answer): writing again could start a case twice or
        // log a store's end twice, so each caller gets the error, as a transaction of its own would.
        if (now.length === 1 || written) for (const w of now) w.reject(error);
        else {
          log.warn(
            { writes: now.length, error: describeError(error) },
            "gather: a shared transaction failed, each write is tried alone",
          );
          for (const w of now)
            await db.transaction((tx) => write(tx, [w.item])).then(([out]) => w.resolve(out!), w.reject);
        }
      }
    }
    state.writing = false;
    states.delete(db);
  }

  return (db, item) =>
    new Promise<Out>((resolve, reject) => {
      let state = states.get(db);
      if (!state) states.set(db, (state = { waiting: [], writing: false }));
      state.waiting.push({ item, resolve, reject });
      // The first waits for the end of this turn, for the others that came with it.
      if (!state.writing && state.waiting.length === 1) setImmediate(() => void writeWaiting(db, state));
    });
}
