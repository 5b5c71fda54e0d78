/**
 * The gathering estimate of the configured stores on this machine (ADR 0023): their sizes from
 * config/sources.json, the throughput measured per kind, the cores the store jobs share.
 */
import { availableParallelism } from "node:os";
import { type StoreConfig, storeKindOf } from "#app/sources/config";
import { estimateGathering, type GatheringEstimate } from "#app/sources/gathering-estimate";
import { MEASURED_THROUGHPUT } from "#app/sources/measured-throughput";

export function expectedGathering(stores: StoreConfig[]): GatheringEstimate {
  return estimateGathering(
    stores.map((store) => ({ id: store.id, kind: storeKindOf(store), size: store.size })),
    MEASURED_THROUGHPUT,
    availableParallelism(),
  );
}
