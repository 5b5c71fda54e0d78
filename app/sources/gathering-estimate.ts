/**
 * How long one request's gathering takes and what it costs (ADR 0023): each store's configured size
 * (config/sources.json `size`) times the throughput measured for its kind of store
 * (app/sources/store-throughput.ts). Pure, so the staff page, the decision record's monthly model
 * and the tests compute the same figures.
 */
import type { StoreKind } from "../core/store-kinds";

/** GB as the operator states it: 10^9 bytes. */
const GB = 1e9;

/**
 * A store's size as its operator knows it: logs by days kept and GB written a day, mailboxes and
 * document stores by GB held, database stores by rows written a year and years kept.
 */
type StoreSize = { days: number; gbPerDay: number } | { gb: number } | { rowsPerYear: number; years: number };

/**
 * One search of one store alone, per unit of the store: a GB for file stores, a row for database
 * stores. `fixedSeconds` is what a search costs whatever the size (the job's start and end, the
 * connection, an index look-up).
 */
export interface KindThroughput {
  unit: "gb" | "row";
  secondsPerUnit: number;
  cpuSecondsPerUnit: number;
  /** Bytes read from disk or the database per unit. */
  bytesPerUnit: number;
  fixedSeconds: number;
  fixedCpuSeconds: number;
  /**
   * A kind searched through a search index (ADR 0020), whose figures above assume that index is
   * built and current: a search when it is not (none built, of an older format, its trigger
   * missing), which reads every row. The staff page names both.
   */
  withoutIndex?: Omit<KindThroughput, "unit" | "withoutIndex">;
}

export interface EstimatedStore {
  id: string;
  kind: StoreKind;
  size?: StoreSize;
}

interface Figures {
  seconds: number;
  cpuSeconds: number;
  readBytes: number;
}

interface StoreEstimate extends Figures {
  id: string;
  /** A store searched through its index: its figures when the index cannot be used. */
  withoutIndex?: Figures;
}

export interface GatheringEstimate {
  /** The stores with a configured size, in the order given. */
  stores: StoreEstimate[];
  /** Ids of the stores without a size: their cost is not in the totals. */
  unsized: string[];
  /**
   * Wall time of the request: its store jobs run side by side (ADR 0021), so the slowest store,
   * unless the CPU work of all of them needs longer on the cores there are.
   */
  seconds: number;
  cpuSeconds: number;
  readBytes: number;
  /** The request's figures when no store's index can be used; only when a store's figures assume one. */
  withoutIndex?: Figures;
}

/** The size in the store's unit (GB or rows), or null if the size does not fit the kind's unit. */
function unitsOf(size: StoreSize, unit: KindThroughput["unit"]): number | null {
  if (unit === "row") return "rowsPerYear" in size ? size.rowsPerYear * size.years : null;
  if ("gb" in size) return size.gb;
  if ("gbPerDay" in size) return size.days * size.gbPerDay;
  return null;
}

export function estimateGathering(
  stores: EstimatedStore[],
  throughput: Record<StoreKind, KindThroughput>,
  cores: number,
): GatheringEstimate {
  if (!(cores >= 1)) throw new RangeError("cores must be at least 1");
  const estimates: StoreEstimate[] = [];
  const unsized: string[] = [];
  for (const store of stores) {
    const rate = throughput[store.kind];
    const units = store.size ? unitsOf(store.size, rate.unit) : null;
    if (units === null) {
      unsized.push(store.id);
      continue;
    }
    estimates.push({
      id: store.id,
      ...figuresOf(rate, units),
      ...(rate.withoutIndex ? { withoutIndex: figuresOf(rate.withoutIndex, units) } : {}),
    });
  }
  // The stores run side by side: the slowest, unless the CPU work of all needs longer on the cores.
  const total = (figures: Figures[]): Figures => {
    const cpuSeconds = figures.reduce((sum, s) => sum + s.cpuSeconds, 0);
    const slowest = Math.max(0, ...figures.map((s) => s.seconds));
    return {
      seconds: Math.max(slowest, cpuSeconds / cores),
      cpuSeconds,
      readBytes: figures.reduce((sum, s) => sum + s.readBytes, 0),
    };
  };
  const { seconds, cpuSeconds, readBytes } = total(estimates);
  return {
    stores: estimates,
    unsized,
    seconds,
    cpuSeconds,
    readBytes,
    ...(estimates.some((s) => s.withoutIndex)
      ? { withoutIndex: total(estimates.map((s) => s.withoutIndex ?? s)) }
      : {}),
  };
}

function figuresOf(rate: Omit<KindThroughput, "unit" | "withoutIndex">, units: number): Figures {
  return {
    seconds: rate.fixedSeconds + units * rate.secondsPerUnit,
    cpuSeconds: rate.fixedCpuSeconds + units * rate.cpuSecondsPerUnit,
    readBytes: units * rate.bytesPerUnit,
  };
}

/** Bytes of a size in GB, for the texts. */
export function gigabytes(bytes: number): number {
  return bytes / GB;
}

/**
 * A duration in the coarse parts the texts name: hours and minutes from an hour on, minutes from a
 * minute on, else seconds (at least 1: a search is never instant). An estimate has no more precision.
 */
export function durationParts(seconds: number): { hours: number; minutes: number; secs: number } {
  if (seconds >= 3600) {
    const minutes = Math.round(seconds / 60);
    return { hours: Math.floor(minutes / 60), minutes: minutes % 60, secs: 0 };
  }
  if (seconds >= 60) return { hours: 0, minutes: Math.round(seconds / 60), secs: 0 };
  return { hours: 0, minutes: 0, secs: Math.max(1, Math.round(seconds)) };
}
