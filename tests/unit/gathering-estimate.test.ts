/**
 * The gathering estimate (ADR 0023): configured sizes times the throughput per kind, stores side by
 * side on the cores there are, and the coarse durations the staff page names.
 */
import { describe, expect, it } from "vitest";
import { staffDe } from "#app/i18n/staff.de";
import { staffEn } from "#app/i18n/staff.en";
import { parseSourcesConfig, storeKindOf } from "#app/sources/config";
import { durationParts, estimateGathering, type KindThroughput } from "#app/sources/gathering-estimate";
import { MEASURED_THROUGHPUT } from "#app/sources/measured-throughput";

const perGb = (secondsPerUnit: number, cpuSecondsPerUnit: number): KindThroughput => ({
  unit: "gb",
  secondsPerUnit,
  cpuSecondsPerUnit,
  bytesPerUnit: 1e9,
  fixedSeconds: 1,
  fixedCpuSeconds: 0.5,
});
const perRow: KindThroughput = {
  unit: "row",
  secondsPerUnit: 1e-6,
  cpuSecondsPerUnit: 5e-7,
  bytesPerUnit: 500,
  fixedSeconds: 2,
  fixedCpuSeconds: 1,
};
const THROUGHPUT = {
  "nginx-access-log": perGb(10, 8),
  "login-jsonl": perGb(20, 10),
  "call-records-csv": perGb(30, 30),
  maildir: perGb(40, 20),
  "records-management": perGb(50, 25),
  "retrieval-protocol-db": perRow,
  "servicedesk-db": perRow,
};

describe("estimateGathering", () => {
  it("multiplies days × GB a day, GB held and rows a year × years by the kind's rates", () => {
    const estimate = estimateGathering(
      [
        { id: "web", kind: "nginx-access-log", size: { days: 365, gbPerDay: 2 } },
        { id: "mail", kind: "maildir", size: { gb: 3 } },
        { id: "protocols", kind: "retrieval-protocol-db", size: { rowsPerYear: 4_000_000, years: 2.5 } },
      ],
      THROUGHPUT,
      2,
    );
    expect(estimate.stores).toEqual([
      { id: "web", seconds: 1 + 730 * 10, cpuSeconds: 0.5 + 730 * 8, readBytes: 730e9 },
      { id: "mail", seconds: 1 + 3 * 40, cpuSeconds: 0.5 + 3 * 20, readBytes: 3e9 },
      { id: "protocols", seconds: 2 + 10, cpuSeconds: 1 + 5, readBytes: 5e9 },
    ]);
    expect(estimate.cpuSeconds).toBeCloseTo(5840.5 + 60.5 + 6, 6);
    expect(estimate.readBytes).toBe(730e9 + 3e9 + 5e9);
    // Side by side on two cores: the web logs alone take longer than all stores' CPU work shared by two.
    expect(estimate.seconds).toBeCloseTo(Math.max(7301, (5840.5 + 60.5 + 6) / 2), 6);
    expect(estimate.unsized).toEqual([]);
  });

  it("is the slowest store when the cores have room, and leaves out stores without a size", () => {
    const stores = [
      { id: "calls", kind: "call-records-csv" as const, size: { gb: 1 } },
      { id: "login", kind: "login-jsonl" as const, size: { days: 10, gbPerDay: 0.1 } },
      { id: "dms", kind: "records-management" as const },
      // A size in the wrong unit for the kind counts as none rather than as a wrong figure.
      { id: "tickets", kind: "servicedesk-db" as const, size: { gb: 1 } },
    ];
    const onEight = estimateGathering(stores, THROUGHPUT, 8);
    expect(onEight.seconds).toBe(31);
    expect(onEight.unsized).toEqual(["dms", "tickets"]);
    const onOne = estimateGathering(stores, THROUGHPUT, 1);
    expect(onOne.seconds).toBeCloseTo(30.5 + 10.5, 6);
    expect(() => estimateGathering(stores, THROUGHPUT, 0)).toThrow(RangeError);
    expect(estimateGathering([], THROUGHPUT, 2)).toMatchObject({ seconds: 0, cpuSeconds: 0, readBytes: 0 });
  });

  it("names, for a store searched through its index, what a search costs without it, and the request's figures then", () => {
    const indexed: KindThroughput = {
      ...perRow,
      secondsPerUnit: 0,
      cpuSecondsPerUnit: 0,
      bytesPerUnit: 0,
      withoutIndex: { ...perRow, secondsPerUnit: 1e-4, cpuSecondsPerUnit: 1e-4 },
    };
    const estimate = estimateGathering(
      [
        { id: "mail", kind: "maildir", size: { gb: 3 } },
        { id: "protocols", kind: "retrieval-protocol-db", size: { rowsPerYear: 20_000_000, years: 2 } },
      ],
      { ...THROUGHPUT, "retrieval-protocol-db": indexed },
      2,
    );
    expect(estimate.stores[1]).toEqual({
      id: "protocols",
      seconds: 2,
      cpuSeconds: 1,
      readBytes: 0,
      withoutIndex: { seconds: 2 + 4_000, cpuSeconds: 1 + 4_000, readBytes: 40e6 * 500 },
    });
    expect(estimate.stores[0]).not.toHaveProperty("withoutIndex");
    // With the index the mailboxes decide; without it the protocols' scan does.
    expect(estimate.seconds).toBe(121);
    expect(estimate.withoutIndex).toEqual({
      seconds: 4_002,
      cpuSeconds: 60.5 + 4_001,
      readBytes: 3e9 + 20e9,
    });
    // No store with an index: no second figure.
    expect(
      estimateGathering([{ id: "mail", kind: "maildir", size: { gb: 3 } }], THROUGHPUT, 2),
    ).not.toHaveProperty("withoutIndex");
    // The measured figures: 40 M protocols take about a second through the index, about 87 min without.
    const measured = estimateGathering(
      [{ id: "reg", kind: "retrieval-protocol-db", size: { rowsPerYear: 20_000_000, years: 2 } }],
      MEASURED_THROUGHPUT,
      2,
    );
    expect(staffEn.case.duration(measured.stores[0]!.seconds)).toBe("about 1 s");
    expect(staffEn.case.duration(measured.withoutIndex!.seconds)).toBe("about 1 h 27 min");
  });

  it("reads the sizes as the sources configuration states them", () => {
    const { stores, errors } = parseSourcesConfig({
      stores: [
        { id: "web", title: "Web", kind: "nginx-access-log", path: "w", size: { days: 30, gbPerDay: 1.5 } },
        {
          id: "reg",
          title: "Register",
          kind: "retrieval-protocol-db",
          connection: "portal",
          schema: "melderegister",
          size: { rowsPerYear: 1e6, years: 1 },
        },
        { id: "bad", title: "Bad", kind: "maildir", path: "m", size: { rowsPerYear: 10, years: 1 } },
        { id: "neg", title: "Neg", kind: "maildir", path: "m", size: { gb: -1 } },
      ],
    });
    expect(errors.map((e) => e.id)).toEqual(["bad", "neg"]);
    const estimate = estimateGathering(
      stores.map((s) => ({ id: s.id, kind: storeKindOf(s), size: s.size })),
      MEASURED_THROUGHPUT,
      2,
    );
    expect(estimate.stores.map((s) => s.id)).toEqual(["web", "reg"]);
    expect(estimate.stores[0]!.readBytes).toBe(45e9);
  });
});

describe("durations as the staff page names them", () => {
  it("names hours and minutes, minutes, or seconds, never zero", () => {
    expect(durationParts(0.2)).toEqual({ hours: 0, minutes: 0, secs: 1 });
    expect(durationParts(42.4)).toEqual({ hours: 0, minutes: 0, secs: 42 });
    expect(durationParts(150)).toEqual({ hours: 0, minutes: 3, secs: 0 });
    expect(durationParts(7_301)).toEqual({ hours: 2, minutes: 2, secs: 0 });
    expect(durationParts(7_200)).toEqual({ hours: 2, minutes: 0, secs: 0 });
    expect(staffDe.case.duration(7_301)).toBe("etwa 2 Std. 2 Min.");
    expect(staffEn.case.duration(7_301)).toBe("about 2 h 2 min");
    expect(staffDe.case.duration(7_200)).toBe("etwa 2 Std.");
    expect(staffEn.case.duration(150)).toBe("about 3 min");
    expect(staffDe.case.duration(42.4)).toBe("etwa 42 Sek.");
    expect(staffEn.case.expectedTotal("about 2 h", 5907.4, 738)).toBe(
      "With the configured sizes of the stores, one request's search takes about 2 h; it costs 5,907 seconds of CPU and reads 738 GB.",
    );
    expect(staffDe.case.expectedTotal("etwa 2 Std.", 5907.4, 0.01234)).toBe(
      "Bei den eingestellten Größen der Datenquellen dauert die Suche für eine Anfrage etwa 2 Std.; sie kostet 5.907 Sekunden Rechenzeit und liest 0,0123 GB.",
    );
  });
});
