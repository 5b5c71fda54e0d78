/**
 * What one search of one store costs, by kind of store (ADR 0023, figures and load there). File
 * stores: CPU seconds per GB on disk, measured by a search that finds nothing (so every byte is
 * read) over a generated landscape of 100 000 people × 37 days, minimum of the rounds (the machine
 * was shared, load 26–43; the minimum is the least disturbed). The searches are CPU-bound, so a
 * store's wall time on an idle core is taken as its CPU time; under load it is longer. Database
 * stores: `npm run bench -- store-throughput` (embedded database, in this process). The retrieval
 * protocols are searched through their index (ADR 0020): the cost does not grow with the rows while
 * the index is built and current; when it is not, every row is read and parsed (`withoutIndex`).
 * Every search pays about a second for the store job's start and end, whatever the size.
 */
import type { StoreKind } from "../core/store-kinds";
import type { KindThroughput } from "./gathering-estimate";

/** A file store: CPU seconds per GB, read once per search. */
function perGb(cpuSecondsPerGb: number, fixedCpuSeconds: number): KindThroughput {
  return {
    unit: "gb",
    secondsPerUnit: cpuSecondsPerGb,
    cpuSecondsPerUnit: cpuSecondsPerGb,
    bytesPerUnit: 1e9,
    fixedSeconds: 1,
    fixedCpuSeconds,
  };
}

export const MEASURED_THROUGHPUT: Record<StoreKind, KindThroughput> = {
  // 0.143 GB of access logs: 3.79/3.95/4.57 s CPU.
  "nginx-access-log": perGb(26.5, 0.09),
  // 0.013 GB of login events: 1.48/1.95/2.98 s CPU (every line parsed).
  "login-jsonl": perGb(114, 0.18),
  // 0.016 GB (171 740 records): 0.40/0.41/0.89 s CPU.
  "call-records-csv": perGb(24.7, 0.12),
  // 0.30 GB (73 045 messages): 35.1 s CPU, 0.48 ms a message (one round: 208 s wall).
  maildir: perGb(115, 0.11),
  // The bench's large landscape, 7.3 MB in 1 166 documents with embedded fonts: 0.88/1.41/2.33 s CPU
  // (117 s per GB from the minima). The 100 000 people's 130 172 small scans (0.138 GB): 65.7 s CPU,
  // 476 s per GB but 0.50 ms a document: the cost follows the documents more than the bytes.
  "records-management": perGb(117, 0.2),
  // 925 rows: 0.067/0.070/0.084 s CPU, 1.10/1.46/1.59 s wall; 2 000 000 rows on PostgreSQL 0.45 s (ADR 0020).
  "retrieval-protocol-db": {
    unit: "row",
    secondsPerUnit: 0,
    cpuSecondsPerUnit: 0,
    bytesPerUnit: 0,
    fixedSeconds: 1.1,
    fixedCpuSeconds: 0.07,
    // A scan parses both XML documents of every row: ≈ 131 µs CPU a row (ADR 0020, Context), so
    // 40 M rows take about 87 min. About 1.1 kB a row (the index, ≈ 1.1 kB a row, roughly doubles
    // the store: ADR 0020).
    withoutIndex: {
      secondsPerUnit: 1.31e-4,
      cpuSecondsPerUnit: 1.31e-4,
      bytesPerUnit: 1100,
      fixedSeconds: 1.1,
      fixedCpuSeconds: 0.07,
    },
  },
  // Tickets and articles scanned: (0.423 − 0.091) s CPU for (3 300 − 536) rows; 357 bytes a row.
  "servicedesk-db": {
    unit: "row",
    secondsPerUnit: 1.2e-4,
    cpuSecondsPerUnit: 1.2e-4,
    bytesPerUnit: 357,
    fixedSeconds: 0.9,
    fixedCpuSeconds: 0.09,
  },
};
