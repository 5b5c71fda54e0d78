import type { Db, Tx } from "#db/client";

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
 * it sees what the earlier wrote, as if each had its own. If the shared transaction fails, each item
 * is written again in a transaction of its own, so one item's failure is its own.
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
      try {
        const outs = await db.transaction((tx) =>
          write(
            tx,
            now.map((w) => w.item),
          ),
        );
        now.forEach((w, i) => w.resolve(outs[i]!));
      } catch (error) {
        if (now.length === 1) now[0]!.reject(error);
        else
          for (const w of now)
            await db.transaction((tx) => write(tx, [w.item])).then(([out]) => w.resolve(out!), w.reject);
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
