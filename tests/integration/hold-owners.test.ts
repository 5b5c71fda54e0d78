/**
 * Holds have owners (Art. 18, ADR 0003): a record stays held while any case's restriction of it is
 * in force. One case lifting its own restriction, or releasing the hold it kept until its erasure
 * was due, never lifts another case's; a hold written before holds had owners keeps holding for
 * every case that restricted the record.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findingActions, findings, requests } from "#db/schema";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { approve, propose } from "#app/server/execution/actions.server";
import { carryOutApproved, runDueErasures } from "#app/server/execution/carry-out.server";
import { decideActivity } from "#app/server/execution/decisions.server";
import type { ExecutionEnv } from "#app/server/execution/env.server";
import { deliverMail } from "#app/server/mail/outbox.server";
import type { Services } from "#app/server/services.server";
import { type ExecutionSample, openExecutionSample } from "../support/execution-sample";
import { gatheredCase } from "../support/cases";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-probe-hold-"));
let services: Services;
let close: () => Promise<void>;
let env: ExecutionEnv;
let sample: ExecutionSample["sample"];
let handler: StaffIdentity;
let dpo: StaffIdentity;
const now = new Date("2025-11-20T10:00:00Z");

beforeAll(async () => {
  ({ sample, services, env, handler, dpo, close } = await openExecutionSample(sampleDir));
}, 120_000);
afterAll(() => close());

it("case B lifting its restriction keeps case A's restriction of the same record", async () => {
  const person = sample.answerKey.persons.find((p) => p.records.some((r) => r.store === "telefon"))!;
  const ids = ["email", "name", "phone", "user-name", "postal-address", "birth-date"] as const;
  const a = await gatheredCase(services, person, ["einschraenkung"], { at: now, identifiers: ids });
  const b = await gatheredCase(services, person, ["einschraenkung"], { at: now, identifiers: ids });
  const fa = (await services.db.select().from(findings).where(eq(findings.runId, a.runId))).find(
    (f) => f.store === "telefon",
  )!;
  const fb = (await services.db.select().from(findings).where(eq(findings.runId, b.runId))).find(
    (f) => f.ref === fa.ref,
  )!;
  expect(fb).toBeDefined();
  const restrictA = await propose(
    env,
    handler,
    a.requestId,
    { action: "restrict", findingIds: [fa.id] },
    now,
  );
  await approve(env, dpo, a.requestId, restrictA, now);
  await carryOutApproved(env, { requestId: a.requestId, now });
  const restrictB = await propose(
    env,
    handler,
    b.requestId,
    { action: "restrict", findingIds: [fb.id] },
    now,
  );
  await approve(env, dpo, b.requestId, restrictB, now);
  await carryOutApproved(env, { requestId: b.requestId, now });
  const [lift] = await propose(
    env,
    handler,
    b.requestId,
    { action: "lift-restriction", findingIds: [fb.id] },
    now,
  );
  await approve(env, dpo, b.requestId, [lift!], now);
  const [liftRow] = await services.db.select().from(findingActions).where(eq(findingActions.id, lift!));
  const transport = { send: async () => ({ messageId: "m1" }), close() {} };
  expect(await deliverMail(services.database.db, transport, liftRow!.changes!.noticeOutboxId!)).toBe("sent");
  expect(await carryOutApproved(env, { requestId: b.requestId, now })).toMatchObject({ done: 1 });
  // Case A still says "restricted" (done) ...
  const [rowA] = await services.db.select().from(findingActions).where(eq(findingActions.id, restrictA[0]!));
  expect(rowA!.status).toBe("done");
  // ... so the store must still hold the record.
  const state = (await services.sources.connectors.get("telefon")!.inspect([fa.ref])).get(fa.ref)!;
  expect(state).toMatchObject({ state: "present", held: true });
}, 180_000);

const ids = ["email", "name", "phone", "user-name", "postal-address", "birth-date"] as const;

/**
 * A record of `store` that satisfies `wanted` (the first found after `skip` people), found by one
 * case of each kind list: the cases and each one's finding of that record.
 */
async function sharedRecord(
  store: string,
  skip: number,
  wanted: (f: typeof findings.$inferSelect) => boolean,
  ...kinds: Parameters<typeof gatheredCase>[2][]
) {
  for (const person of sample.answerKey.persons
    .filter((p) => p.records.some((r) => r.store === store))
    .slice(skip)) {
    const first = await gatheredCase(services, person, kinds[0]!, { at: now, identifiers: ids });
    const rows = await services.db.select().from(findings).where(eq(findings.runId, first.runId));
    const record = rows.find((f) => f.store === store && wanted(f));
    if (!record) continue;
    const cases = [first];
    for (const k of kinds.slice(1))
      cases.push(await gatheredCase(services, person, k, { at: now, identifiers: ids }));
    const all = await services.db.select().from(findings).where(eq(findings.ref, record.ref));
    return cases.map((c) => ({ ...c, finding: all.find((f) => f.runId === c.runId)! }));
  }
  throw new Error(`no record of ${store} as wanted in the sample`);
}

async function restrictDone(c: { requestId: string; finding: { id: string } }) {
  const ids = await propose(
    env,
    handler,
    c.requestId,
    { action: "restrict", findingIds: [c.finding.id] },
    now,
  );
  await approve(env, dpo, c.requestId, ids, now);
  await carryOutApproved(env, { requestId: c.requestId, now });
  const [row] = await services.db.select().from(findingActions).where(eq(findingActions.id, ids[0]!));
  expect(row!.status).toBe("done");
}

async function liftDone(c: { requestId: string; finding: { id: string } }) {
  const [lift] = await propose(
    env,
    handler,
    c.requestId,
    { action: "lift-restriction", findingIds: [c.finding.id] },
    now,
  );
  await approve(env, dpo, c.requestId, [lift!], now);
  const [liftRow] = await services.db.select().from(findingActions).where(eq(findingActions.id, lift!));
  const transport = { send: async () => ({ messageId: `lift-${lift}` }), close() {} };
  expect(await deliverMail(services.database.db, transport, liftRow!.changes!.noticeOutboxId!)).toBe("sent");
  expect(await carryOutApproved(env, { requestId: c.requestId, now })).toMatchObject({ done: 1 });
}

const store = (id: string) => services.sources.connectors.get(id)!;
const telefon = () => store("telefon");

it("an erasure due after an upheld objection keeps a record another case restricts, and tells staff why", async () => {
  // A record kept for years and already decided by the archive: its erasure is due on one day.
  const [a, c] = await sharedRecord(
    "viskompakt",
    0,
    (f) => ["not-archival", "transferred"].includes(String(f.content.archivangebot)),
    ["einschraenkung"],
    ["widerspruch"],
  );
  await restrictDone(a!);
  // Decided while the record's retention duty runs: the erasure waits for its end, and until then
  // this case holds the record too (the hold it releases when the erasure is due).
  const decidedAt = new Date(new Date(String(c!.finding.content.abschlussdatum)).getTime() + 86_400_000);
  const { effect } = await decideActivity(
    env,
    dpo,
    c!.requestId,
    {
      kind: "objection",
      activityId: "records-management",
      outcome: "upheld",
      reasoning: "Der Widerspruch ist begründet; die Akte wird nicht weiter genutzt.",
    },
    decidedAt,
  );
  expect(effect!.restrict).toBeGreaterThan(0);
  await carryOutApproved(env, { requestId: c!.requestId, now: decidedAt });
  const [placeholder] = await services.db
    .select()
    .from(findingActions)
    .where(and(eq(findingActions.findingId, c!.finding.id), eq(findingActions.action, "restrict")));
  expect(placeholder).toMatchObject({ status: "done", changes: { purpose: "pending-erasure" } });
  const [erasure] = await services.db
    .select()
    .from(findingActions)
    .where(and(eq(findingActions.findingId, c!.finding.id), eq(findingActions.action, "erase")));
  expect(erasure!.status).toBe("deferred");
  await runDueErasures(env, new Date(erasure!.dueAt!.getTime() + 86_400_000));
  const [after] = await services.db.select().from(findingActions).where(eq(findingActions.id, erasure!.id));
  expect(after!.status).toBe("failed");
  const [caseA] = await services.db.select().from(requests).where(eq(requests.id, a!.requestId));
  expect(after!.error).toContain(`restricted (Art. 18) by another case: ${caseA!.reference}`);
  const state = (await store("viskompakt").inspect([a!.finding.ref])).get(a!.finding.ref)!;
  // Case A's restriction holds it; the erasing case keeps its own hold too while its erasure waits.
  expect(state).toMatchObject({ state: "present", held: true });
  expect(state.state !== "unknown" && [...state.holders].sort()).toEqual([a!.requestId, c!.requestId].sort());
}, 180_000);

it("a hold written before holds had owners keeps holding for the case that set it when another case lifts its own", async () => {
  const [a, b] = await sharedRecord("telefon", 2, () => true, ["einschraenkung"], ["einschraenkung"]);
  await restrictDone(a!);
  // The hold list as the portal wrote it before: one entry per record, no owner.
  const list = path.join(sampleDir, "telefon", ".legal-hold.json");
  const saved = JSON.parse(readFileSync(list, "utf8")) as { holds: { key: string; since: string }[] };
  writeFileSync(list, JSON.stringify({ holds: saved.holds.map(({ key, since }) => ({ key, since })) }));
  expect((await telefon().inspect([a!.finding.ref])).get(a!.finding.ref)).toMatchObject({
    held: true,
    holders: [],
  });
  await restrictDone(b!);
  await liftDone(b!);
  const state = (await telefon().inspect([a!.finding.ref])).get(a!.finding.ref)!;
  expect(state).toMatchObject({ state: "present", held: true, holders: [a!.requestId] });
  // Case A's own lift then ends the hold.
  await liftDone(a!);
  expect((await telefon().inspect([a!.finding.ref])).get(a!.finding.ref)).toMatchObject({
    held: false,
    holders: [],
  });
}, 180_000);
