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

/** Does the state read after the operation show that it took effect? */
export function confirms(
  operation: StoreOperation,
  state: RecordState,
  changes?: Readonly<Record<string, string>> | null,
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
      return state.held
        ? { confirmed: true }
        : { confirmed: false, why: "the store shows no legal hold on the record" };
    case "lift-restriction":
      return state.held
        ? { confirmed: false, why: "the store still shows the legal hold on the record" }
        : { confirmed: true };
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
