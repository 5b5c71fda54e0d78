/**
 * Can each configured source store be reached and read? Run at start (logged) and on the staff
 * page (shown). A store that does not answer in time counts as not reachable; a connector's check
 * never throws, and one that does anyway is reported the same way. Only store ids and reasons are
 * logged, never data of a store.
 */
import type { StoreCheck, StoreKind } from "../sources/connector";
import type { StoreRegistry } from "../sources/registry.server";
import { errorText } from "./execution/store-state.server";

export const STORE_CHECK_TIMEOUT_MS = 5000;

interface CheckedStore {
  store: string;
  kind: StoreKind;
  check: StoreCheck;
  /** True when the store gave no answer within the timeout. */
  timedOut: boolean;
}

export interface StoreChecks {
  checked: CheckedStore[];
  /** Stores of the configuration that could not be set up, with why. */
  misconfigured: { store: string; kind: StoreKind | null; message: string }[];
}

async function checkOne(
  connector: { check(): Promise<StoreCheck> },
  timeoutMs: number,
): Promise<{ check: StoreCheck; timedOut: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ check: StoreCheck; timedOut: boolean }>((resolve) => {
    timer = setTimeout(
      () => resolve({ check: { ok: false, reason: `no answer within ${timeoutMs} ms` }, timedOut: true }),
      timeoutMs,
    );
  });
  const checked = (async () => {
    try {
      return { check: await connector.check(), timedOut: false };
    } catch (error) {
      return { check: { ok: false as const, reason: errorText(error) }, timedOut: false };
    }
  })();
  try {
    return await Promise.race([checked, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks every store at once, each within the timeout. */
export async function checkStores(
  sources: StoreRegistry,
  timeoutMs = STORE_CHECK_TIMEOUT_MS,
): Promise<StoreChecks> {
  const checked = await Promise.all(
    [...sources.connectors].map(async ([store, connector]) => ({
      store,
      kind: connector.kind,
      ...(await checkOne(connector, timeoutMs)),
    })),
  );
  return {
    checked: checked.sort((a, b) => a.store.localeCompare(b.store)),
    misconfigured: [...sources.failures]
      .map(([store, failure]) => ({ store, kind: failure.kind, message: failure.message }))
      .sort((a, b) => a.store.localeCompare(b.store)),
  };
}

/** One log line per store: `[sources] <store id>: ok` or `… not reachable (<reason>)`. */
export function storeCheckLines(checks: StoreChecks): string[] {
  return [
    ...checks.checked.map(
      (c) => `[sources] ${c.store}: ${c.check.ok ? "ok" : `not reachable (${c.check.reason})`}`,
    ),
    ...checks.misconfigured.map((f) => `[sources] ${f.store}: not set up (${f.message})`),
  ];
}
