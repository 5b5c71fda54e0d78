import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { findings, gatherRuns, requests } from "#db/schema";
import type { StoreKind } from "#app/core/store-kinds";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import { addDays, berlinDayOf, startOfBerlinDay } from "#app/core/berlin-date";
import { deletionDue } from "#app/core/retention";
import { ruleOf } from "#app/server/execution/env.server";
import { retentionStart } from "#app/server/execution/erasure-assessment";
import { expiryCutoff } from "#app/server/retention/cutoff";
import {
  type RetentionEnv,
  overdueFindingsOfCase,
  overdueGroupsOfCase,
  overdueOfCase,
  overdueSummary,
  retentionEnv,
} from "#app/server/retention/overdue.server";
import { loadSourcesConfig } from "#app/sources/config.server";
import { createTestDatabase } from "../support/database";

/**
 * The overdue check counts in the database against one cut-off instant per rule and computes the
 * deletion instant only for what a page lists. Here every finding sits at a boundary — the
 * cut-off itself and a millisecond either side, Berlin midnights around it (summer and winter
 * time), year ends for the rules rounded to one — and the answer must be the rule's own, applied
 * finding by finding: `now` at or after deletionDue(rule, start).
 */
let database: Database;
let env: RetentionEnv;
let requestId: string;

type Spec = {
  store: string;
  storeKind: StoreKind;
  activity: ProcessingActivityId;
  ref: string;
  recordedAt: Date | null;
  content: Record<string, unknown>;
  flags: string[];
};

/** Starts around the instant a rule's deletion flips at `now`: the cut-off ±1 ms and Berlin midnights of the days about it. */
function boundaryStarts(cutoff: Date): Date[] {
  const day = berlinDayOf(cutoff);
  const midnights = [-2, -1, 0, 1, 2].map((d) => startOfBerlinDay(addDays(day, d)).getTime());
  return [...new Set([cutoff.getTime(), ...midnights].flatMap((t) => [t - 1, t, t + 1]))].map(
    (t) => new Date(t),
  );
}

// Two moments: a winter night just after midnight in Berlin and a summer day; and a year's end.
const moments = [
  new Date("2026-01-01T00:00:00.000+01:00"),
  new Date("2026-07-15T09:30:00.000+02:00"),
  new Date("2025-12-31T23:59:59.999+01:00"),
];
const stores = [
  { store: "mail-poststelle", storeKind: "maildir", activity: "email" },
  { store: "telefon", storeKind: "call-records-csv", activity: "telephone" },
  { store: "web-tsr", storeKind: "nginx-access-log", activity: "website-visit" },
  { store: "abrufprotokolle", storeKind: "retrieval-protocol-db", activity: "retrieval-protocol" },
] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  env = await retentionEnv(database.db, { sources: loadSourcesConfig("config/sources.json") });
  const [request] = await database.db
    .insert(requests)
    .values({
      status: "review",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "grenze@example.org",
      reference: "DSR-2026-424242",
      receivedAt: new Date(),
      provenAt: new Date(),
    })
    .returning({ id: requests.id });
  requestId = request!.id;
  const [run] = await database.db
    .insert(gatherRuns)
    .values({ requestId, version: 1, frozenAt: new Date() })
    .returning({ id: gatherRuns.id });
  const specs: Spec[] = [];
  for (const now of moments) {
    for (const s of stores) {
      const rule = ruleOf(env, s.store, s.activity)!;
      boundaryStarts(expiryCutoff(rule, now)).forEach((start, i) =>
        specs.push({
          ...s,
          ref: `${s.store}/${now.getTime()}/${i}`,
          recordedAt: start,
          content: {},
          flags: i % 5 === 0 ? ["legal-hold"] : [],
        }),
      );
    }
    // Tickets and files are dated by the closure in the record; an article by its ticket's.
    const ticketRule = ruleOf(env, "servicedesk", "support-ticket")!;
    boundaryStarts(expiryCutoff(ticketRule, now)).forEach((closed, i) => {
      const ticket = `${now.getTime()}${i}`;
      specs.push({
        store: "servicedesk",
        storeKind: "servicedesk-db",
        activity: "support-ticket",
        ref: `ticket/${ticket}`,
        recordedAt: null,
        content: { table: "ticket", closed_at: closed.toISOString() },
        flags: [],
      });
      specs.push({
        store: "servicedesk",
        storeKind: "servicedesk-db",
        activity: "support-ticket",
        ref: `article/${ticket}`,
        recordedAt: new Date(0),
        content: { table: "article", ticket_id: Number(ticket) },
        flags: [],
      });
    });
    const fileRule = ruleOf(env, "viskompakt", "records-management")!;
    boundaryStarts(expiryCutoff(fileRule, now)).forEach((closed, i) =>
      specs.push({
        store: "viskompakt",
        storeKind: "records-management",
        activity: "records-management",
        ref: `akte/${now.getTime()}/${i}`,
        recordedAt: null,
        content: { abschlussdatum: closed.toISOString() },
        flags: [],
      }),
    );
  }
  await database.db.insert(findings).values(
    specs.map((s) => ({
      runId: run!.id,
      store: s.store,
      storeKind: s.storeKind,
      processingActivityId: s.activity,
      ref: s.ref,
      flags: s.flags,
      unproven: false,
      matched: {},
      recordedAt: s.recordedAt,
      content: s.content,
      contentHash: s.ref,
    })),
  );
}, 120_000);

afterAll(() => database?.close());

/** The rule applied finding by finding, as the erasure assessment applies it. */
async function expectedAt(now: Date) {
  const rows = await database.db.select().from(findings);
  const closures = new Map(
    rows
      .filter((r) => r.content.table === "ticket")
      .map((r) => [r.ref, new Date(String(r.content.closed_at))]),
  );
  return rows.flatMap((row) => {
    const rule = ruleOf(env, row.store, row.processingActivityId);
    const start =
      rule &&
      retentionStart(
        { storeKind: row.storeKind, ref: row.ref, content: row.content, recordedAt: row.recordedAt },
        closures,
      );
    if (!rule || !start) return [];
    const dueAt = deletionDue(rule, start);
    return now >= dueAt
      ? [
          {
            ref: row.ref,
            store: row.store,
            dueAt: dueAt.toISOString(),
            held: row.flags.includes("legal-hold"),
          },
        ]
      : [];
  });
}

describe("overdue findings at the boundary of their retention period", () => {
  for (const now of moments) {
    it(`agree with the rule finding by finding at ${now.toISOString()}`, async () => {
      const expected = await expectedAt(now);
      const all = await overdueFindingsOfCase(env, requestId, now);
      expect(all.map((f) => f.ref).sort()).toEqual(expected.map((f) => f.ref).sort());
      const dueOf = new Map(expected.map((f) => [f.ref, f.dueAt]));
      for (const f of all) expect(f.dueAt, f.ref).toBe(dueOf.get(f.ref));
      // Of this moment's boundary findings, every store has some overdue and some not: the check is not trivially all or nothing.
      const atBoundary = (await database.db.select().from(findings)).filter((f) =>
        f.ref.includes(String(now.getTime())),
      );
      const overdueRefs = new Set(all.map((f) => f.ref));
      for (const s of [...stores.map((s) => s.store), "servicedesk", "viskompakt"]) {
        const ofStore = atBoundary.filter((f) => f.store === s);
        expect(
          ofStore.some((f) => overdueRefs.has(f.ref)) && ofStore.some((f) => !overdueRefs.has(f.ref)),
          s,
        ).toBe(true);
      }

      // The page's first few are the full list's first few (ties on one instant by reference).
      const page = await overdueOfCase(env, requestId, now, 7);
      expect(page.total).toBe(all.length);
      expect(page.shown).toEqual(all.slice(0, 7));

      // The letter's counts, made by the database per store, activity, rule and hold, are the list's.
      const groups = await overdueGroupsOfCase(env, requestId, now);
      const rows = await database.db.select().from(findings);
      const recordedOf = new Map(rows.map((r) => [r.ref, r.recordedAt]));
      const activityOf = new Map(rows.map((r) => [r.ref, r.processingActivityId]));
      const grouped = new Map<string, { count: number; oldest: number }>();
      for (const f of all) {
        const key = [f.store, activityOf.get(f.ref), f.ruleId, f.held].join(" ");
        const at = (recordedOf.get(f.ref) ?? new Date(f.dueAt)).getTime();
        const g = grouped.get(key) ?? { count: 0, oldest: Infinity };
        grouped.set(key, { count: g.count + 1, oldest: Math.min(g.oldest, at) });
      }
      expect(
        new Map(
          groups.map((g) => [
            [g.store, g.activity, g.ruleId, g.held].join(" "),
            { count: g.count, oldest: g.oldest.getTime() },
          ]),
        ),
      ).toEqual(grouped);
      expect(groups.some((g) => g.held) && groups.some((g) => !g.held)).toBe(true);
      // Restricted to some findings (the answer: those released in its round), only those count.
      const some = await overdueGroupsOfCase(env, requestId, now, sql`${findings.store} = 'telefon'`);
      expect(some.map((g) => g.count).reduce((a, b) => a + b, 0)).toBe(
        all.filter((f) => f.store === "telefon").length,
      );

      const summary = await overdueSummary(env, now);
      const unheld = expected.filter((f) => !f.held);
      expect(summary.total).toBe(unheld.length);
      expect(summary.cases).toBe(unheld.length > 0 ? 1 : 0);
      for (const s of summary.stores) {
        const ofStore = expected.filter((f) => f.store === s.store);
        expect({ count: s.count, held: s.held, oldestDueAt: s.oldestDueAt }, s.store).toEqual({
          count: ofStore.length,
          held: ofStore.filter((f) => f.held).length,
          oldestDueAt: ofStore.map((f) => f.dueAt).sort()[0],
        });
      }
    });
  }
});
