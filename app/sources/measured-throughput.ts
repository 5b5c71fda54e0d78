/**
 * What one search of one store costs per GB or row, by kind of store: measured with
 * `npm run bench -- store-throughput` on this project's 2-core machine (embedded database), figures
 * and load average in ADR 0023. File stores read every byte once per search (a GB read per GB);
 * the retrieval protocols are searched through their index (ADR 0020), so their cost does not grow
 * with the rows; the service desk is scanned and reads every row.
 */
import type { StoreKind } from "../core/store-kinds";
import type { KindThroughput } from "./gathering-estimate";

const GB_READ = 1e9;

export const MEASURED_THROUGHPUT: Record<StoreKind, KindThroughput> = {
  "nginx-access-log": {
    unit: "gb",
    secondsPerUnit: 40,
    cpuSecondsPerUnit: 20,
    bytesPerUnit: GB_READ,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
  "login-jsonl": {
    unit: "gb",
    secondsPerUnit: 40,
    cpuSecondsPerUnit: 20,
    bytesPerUnit: GB_READ,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
  "call-records-csv": {
    unit: "gb",
    secondsPerUnit: 40,
    cpuSecondsPerUnit: 20,
    bytesPerUnit: GB_READ,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
  maildir: {
    unit: "gb",
    secondsPerUnit: 40,
    cpuSecondsPerUnit: 20,
    bytesPerUnit: GB_READ,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
  "records-management": {
    unit: "gb",
    secondsPerUnit: 40,
    cpuSecondsPerUnit: 20,
    bytesPerUnit: GB_READ,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
  "retrieval-protocol-db": {
    unit: "row",
    secondsPerUnit: 0,
    cpuSecondsPerUnit: 0,
    bytesPerUnit: 0,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
  "servicedesk-db": {
    unit: "row",
    secondsPerUnit: 1e-5,
    cpuSecondsPerUnit: 1e-5,
    bytesPerUnit: 1000,
    fixedSeconds: 0.5,
    fixedCpuSeconds: 0.2,
  },
};
