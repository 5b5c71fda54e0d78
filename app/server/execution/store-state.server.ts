/**
 * "Done" means the store confirms it: what the store holds under a reference, read again after an
 * action, decides whether the action took effect. The reasons name the store, the operation and
 * why, never a record's content (a rectification names the fields, not their values).
 */
import type { RecordState, SourceConnector } from "#app/sources/connector";

export type StoreOperation = "erase" | "restrict" | "lift-restriction" | "rectify";

export type Confirmation = { confirmed: true } | { confirmed: false; why: string };

/** Store errors name the store and the operation, never a record's content; long ones are cut. */
export function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 500);
}

/** The reason stored with a failed action: which store, which operation, why. */
export function failureText(store: string, operation: StoreOperation, why: string): string {
  const text = why.startsWith(`store "${store}"`) ? why : `store "${store}": ${why}`;
  return `${operation}: ${text}`.slice(0, 600);
}

/**
 * Reads the references again. A store that cannot answer (it throws, or leaves a reference out)
 * gives `unknown` with the reason: nothing it did not confirm counts as done.
 */
export async function readAgain(
  connector: SourceConnector,
  refs: readonly string[],
): Promise<Map<string, RecordState>> {
  const unique = [...new Set(refs)];
  if (unique.length === 0) return new Map();
  let states: Map<string, RecordState>;
  try {
    states = await connector.inspect(unique);
  } catch (error) {
    const reason = `the record could not be read again (${errorText(error)})`;
    return new Map(unique.map((ref) => [ref, { state: "unknown", reason }]));
  }
  return new Map(
    unique.map((ref) => [
      ref,
      states.get(ref) ?? {
        state: "unknown",
        reason: "the store gave no answer for this reference when read again",
      },
    ]),
  );
}

/**
 * Does the state read after the operation show that it took effect? A restriction and its lift are
 * the case's own (`holder`, the case's id): another case's hold on the record neither confirms the
 * one nor stops the other.
 */
export function confirms(
  operation: StoreOperation,
  state: RecordState,
  changes: Readonly<Record<string, string>> | null | undefined,
  holder: string,
): Confirmation {
  if (state.state === "unknown") return { confirmed: false, why: state.reason };
  switch (operation) {
    case "erase":
      if (state.state === "absent") return { confirmed: true };
      return {
        confirmed: false,
        why: state.held
          ? "the record is under a legal hold (restriction) and was kept"
          : "the record is still in the store after the erasure",
      };
    case "restrict":
      if (state.state === "absent")
        return { confirmed: false, why: "the record is not in the store, so no hold could be set" };
      // A hold naming nobody (set by hand, or before holds had owners) holds for every case that
      // restricted the record: a lift names them all in the store before it drops such a hold.
      // Held at all, too: the store's erasure and sweep look at that, not at who holds it (an IMAP
      // lift that raced a new hold could leave the holder's keyword without the hold).
      if (state.held && (state.holders.includes(holder) || state.holders.length === 0))
        return { confirmed: true };
      return {
        confirmed: false,
        why: state.held
          ? "the store shows a legal hold on the record, but not this case's"
          : "the store shows no legal hold on the record",
      };
    case "lift-restriction":
      if (state.holders.includes(holder))
        return { confirmed: false, why: "the store still shows this case's legal hold on the record" };
      // A hold that names nobody (set before holds had owners) is this case's too until it goes.
      if (state.held && state.holders.length === 0)
        return {
          confirmed: false,
          why: "the store still shows a legal hold on the record that names no case",
        };
      return { confirmed: true };
    case "rectify": {
      if (state.state === "absent") return { confirmed: false, why: "the record is not in the store" };
      const fields = Object.keys(changes ?? {});
      const wrong = fields.filter((field) => state.fields[field] !== changes![field]);
      if (wrong.length === 0) return { confirmed: true };
      return {
        confirmed: false,
        why:
          wrong.length === fields.length
            ? `the store did not change the record (field${wrong.length > 1 ? "s" : ""} ${wrong.join(", ")} without the new value)`
            : `the record was changed only partly (field${wrong.length > 1 ? "s" : ""} ${wrong.join(", ")} without the new value)`,
      };
    }
  }
}

/**
 * A rectification asked of the store by a run that stopped before its answer was recorded: a
 * rectified log line is kept under a new reference that only that answer named, so the record is
 * gone from its old one and the store can neither confirm nor refute the change. Staff look in the
 * store and may resolve it by hand (failed-actions.server.ts).
 */
export function rectifiedUnrecorded(
  operation: StoreOperation,
  state: RecordState,
  attemptedBefore: Date | null,
): boolean {
  return operation === "rectify" && state.state === "absent" && attemptedBefore !== null;
}
