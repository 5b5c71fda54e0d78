import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  findingDecisions,
  findings,
  gatherRuns,
  gatherStoreJobs,
  requestIdentifiers,
  requests,
  reviewRounds,
} from "#db/schema";
import type { StoreJobState } from "#app/core/review-states";
import type { RoleId } from "#app/core/permissions";
import { suggestFor } from "#app/core/suggestions";
import * as vorgang from "#app/routes/intern/vorgang";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { proveIdentifier } from "#app/server/requests/case-actions.server";
import { letterFactsOf, openReview } from "#app/server/review/review.server";
import { issueCode } from "#app/server/verification.server";
import type { Services } from "#app/server/services.server";
import { outcome, post, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

/**
 * What is ticked is what is decided (issue 15), no answer without a search and four eyes that are
 * two people (issue 16): through the staff case page's own loader and action, on a real database.
 */
let services: Services;
let close: () => Promise<void>;
const cookies: Record<string, string> = {};
const members: Record<string, StaffIdentity> = {};

async function member(userName: string, role: RoleId) {
  members[userName] = await createStaff(services.database.db, userName, role, `${userName} (Name)`);
  cookies[userName] = await staffSessionCookie(services, members[userName].id);
}

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  await member("handler", "case-handler");
  await member("dpo", "dpo");
  await member("dpo2", "dpo");
}, 60_000);
afterAll(() => close());

let counter = 0;

interface Spec {
  store?: string;
  unproven?: boolean;
  matched?: { kind: string; value: string };
  content?: Record<string, unknown>;
}

/** A received case whose gathering found these findings; its stores' jobs as given (all done by default). */
async function gatheredCase(
  specs: Spec[],
  jobs: { store: string; status: StoreJobState; partial?: boolean }[] = [
    { store: "mail-support", status: "done" },
  ],
) {
  const db = services.database.db;
  counter++;
  const [request] = await db
    .insert(requests)
    .values({
      reference: `DSR-2026-8${String(counter).padStart(5, "0")}`,
      status: "review",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "erika@example.org",
      receivedAt: new Date(),
    })
    .returning();
  const [run] = await db.insert(gatherRuns).values({ requestId: request!.id, version: 1 }).returning();
  await db
    .insert(gatherStoreJobs)
    .values(
      jobs.map((j) => ({ runId: run!.id, store: j.store, status: j.status, partial: j.partial ?? false })),
    );
  const rows = await db
    .insert(findings)
    .values(
      specs.map((spec, i): typeof findings.$inferInsert => {
        const content = spec.content ?? { subject: `Nachricht ${i}`, text: "…" };
        const unproven = spec.unproven ?? false;
        const matched = spec.matched ?? { kind: "email", value: "erika@example.org" };
        return {
          runId: run!.id,
          store: spec.store ?? "mail-support",
          storeKind: "maildir",
          processingActivityId: "email",
          ref: `cur/${String(i).padStart(3, "0")}`,
          flags: [],
          unproven,
          matched: { ...matched, recordValue: matched.value, proven: !unproven },
          content,
          contentHash: contentHashOf(content),
          suggestions: suggestFor({ storeKind: "maildir", unproven, flags: [], content }),
        };
      }),
    )
    .returning({ id: findings.id, ref: findings.ref });
  return {
    requestId: request!.id,
    runId: run!.id,
    ids: rows.sort((x, y) => x.ref.localeCompare(y.ref)).map((r) => r.id),
  };
}

const casePath = (requestId: string) => `/intern/vorgaenge/${requestId}`;

async function page(requestId: string, who = "handler") {
  const result = await outcome(() =>
    vorgang.loader({
      request: new Request(`${testBase}${casePath(requestId)}`, { headers: { Cookie: cookies[who]! } }),
      params: { id: requestId },
      context: routeContext(services),
    } as never),
  );
  return result.data as {
    findings: { id: string; shown: string; unproven: boolean }[];
    round: { id: string; status: string } | null;
    groupStamp: string | null;
    decisionsStamp: string;
    searchGate: { blocking: { store: string }[]; reason: { text: string } | null } | null;
    ownDecisions: boolean;
    identifiers: { id: string; provenAt: Date | null }[];
  };
}

async function act(requestId: string, fields: Record<string, string | string[]>, who = "handler") {
  return outcome(() =>
    vorgang.action({
      request: post(casePath(requestId), fields, cookies[who]),
      params: { id: requestId },
      context: routeContext(services),
    } as never),
  );
}

/** A decision as the page posts it: the ticked findings and the state the page showed of each. */
function ticked(
  shown: { findings: { id: string; shown: string }[] },
  ids: string[],
  decision: Record<string, string>,
  roundId: string,
) {
  return {
    intent: "decide",
    roundId,
    findingIds: ids,
    shown: shown.findings.map((f) => `${f.id}@${f.shown}`),
    ...decision,
  };
}

async function decisionOf(roundId: string, findingId: string) {
  const [row] = await services.database.db
    .select({ decision: findingDecisions.decision, groundId: findingDecisions.groundId })
    .from(findingDecisions)
    .where(and(eq(findingDecisions.roundId, roundId), eq(findingDecisions.findingId, findingId)));
  return row ?? null;
}

const withhold = {
  decision: "withhold",
  groundId: "secrecy",
  reasoning: "Geheimhaltung nach Abwägung geboten.",
  reviewOn: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10),
};
const release = { decision: "release" };

describe("what is ticked is what is decided", () => {
  it("withhold A, then release B: A stays withheld; changing A is shown and asked, and saved only as confirmed", async () => {
    const { requestId, ids } = await gatheredCase([{}, {}, {}]);
    const [a, b, c] = ids as [string, string, string];
    const round = await openReview(services.database.db, members.handler!, requestId);

    let shown = await page(requestId);
    expect(await act(requestId, ticked(shown, [a], withhold, round.id))).toMatchObject({ status: 302 });
    const afterFirst = await page(requestId);
    // The table starts afresh after a saved decision: its key (the round's decisions) changed.
    expect(afterFirst.decisionsStamp).not.toBe(shown.decisionsStamp);
    shown = afterFirst;
    expect(await act(requestId, ticked(shown, [b], release, round.id))).toMatchObject({ status: 302 });
    expect(await decisionOf(round.id, a)).toEqual({ decision: "withhold", groundId: "secrecy" });
    expect(await decisionOf(round.id, b)).toEqual({ decision: "release", groundId: null });

    // A and C released together: A is decided already, so nothing is saved and the difference is shown.
    shown = await page(requestId);
    const both = ticked(shown, [a, c], release, round.id);
    const asked = await act(requestId, both);
    expect(asked).toMatchObject({
      status: 409,
      data: {
        error: "confirmation-needed",
        difference: { total: 1, unproven: 0 },
        draft: { findingIds: [a, c], decision: "release" },
      },
    });
    const difference = (
      asked.data as {
        difference: {
          fingerprint: string;
          listed: { findingId: string; current: { decision: string; decidedByName: string } }[];
        };
      }
    ).difference;
    expect(difference.listed).toEqual([
      expect.objectContaining({
        findingId: a,
        current: expect.objectContaining({ decision: "withhold", decidedByName: "handler (Name)" }),
      }),
    ]);
    expect(await decisionOf(round.id, a)).toMatchObject({ decision: "withhold" });
    expect(await decisionOf(round.id, c)).toBeNull();
    // A confirmation of another difference is no confirmation.
    expect(await act(requestId, { ...both, confirmChanges: "0".repeat(32) })).toMatchObject({
      status: 409,
      data: { error: "confirmation-needed" },
    });
    expect(await act(requestId, { ...both, confirmChanges: difference.fingerprint })).toMatchObject({
      status: 302,
    });
    expect(await decisionOf(round.id, a)).toMatchObject({ decision: "release" });
    expect(await decisionOf(round.id, c)).toMatchObject({ decision: "release" });
    // The same decision again changes nothing: no question.
    shown = await page(requestId);
    expect(await act(requestId, ticked(shown, [a], release, round.id))).toMatchObject({ status: 302 });
  });

  it("refuses a decision on findings decided since the page was drawn, or not on the page, with the difference", async () => {
    const { requestId, ids } = await gatheredCase([{}, {}]);
    const [a, b] = ids as [string, string];
    const round = await openReview(services.database.db, members.handler!, requestId);
    const drawn = await page(requestId);
    // Someone else withholds A meanwhile.
    const other = await page(requestId, "dpo");
    expect(await act(requestId, ticked(other, [a], withhold, round.id), "dpo")).toMatchObject({
      status: 302,
    });

    const stale = await act(requestId, ticked(drawn, [a, b], release, round.id));
    expect(stale).toMatchObject({
      status: 409,
      data: { error: "changed-since-shown", difference: { total: 1 } },
    });
    const listed = (
      stale.data as {
        difference: { listed: { findingId: string; shown: string; current: { decision: string } }[] };
      }
    ).difference.listed;
    expect(listed).toEqual([
      expect.objectContaining({
        findingId: a,
        shown: "undecided",
        current: expect.objectContaining({ decision: "withhold" }),
      }),
    ]);
    expect(await decisionOf(round.id, b)).toBeNull();

    // A finding the page never showed (its state not posted) is refused too; so is a post with no states at all.
    const { shown: _shown, ...withoutStates } = ticked(drawn, [b], release, round.id);
    expect(await act(requestId, withoutStates)).toMatchObject({
      status: 409,
      data: { error: "not-shown", difference: { total: 1 } },
    });
    const onlyA = { ...ticked(drawn, [b], release, round.id), shown: [`${a}@undecided`] };
    expect(await act(requestId, onlyA)).toMatchObject({ status: 409, data: { error: "not-shown" } });
    // A forged state is a bad request.
    expect(
      await act(requestId, { ...ticked(drawn, [b], release, round.id), shown: [`${b}@<script>`] }),
    ).toMatchObject({ status: 400 });
    expect(await decisionOf(round.id, b)).toBeNull();
    const refusals = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "staff.refused")));
    expect(refusals.length).toBeGreaterThanOrEqual(1);
  });
});

describe("unproven matches", () => {
  it("are given out by a decision only with a separate confirmation of how many; withholding them needs none", async () => {
    const { requestId, ids } = await gatheredCase([
      {},
      { unproven: true, matched: { kind: "phone", value: "+49 361 1234" } },
      { unproven: true, matched: { kind: "phone", value: "+49 361 1234" } },
    ]);
    const round = await openReview(services.database.db, members.handler!, requestId);
    const shown = await page(requestId);
    const all = ticked(shown, ids, release, round.id);
    const asked = await act(requestId, all);
    expect(asked).toMatchObject({
      status: 409,
      data: { error: "confirmation-needed", difference: { total: 0, unproven: 2 } },
    });
    const { fingerprint } = (asked.data as { difference: { fingerprint: string } }).difference;
    // The change confirmation alone is not the separate one; nor is a wrong count.
    expect(await act(requestId, { ...all, confirmChanges: fingerprint })).toMatchObject({
      status: 409,
      data: { error: "confirmation-needed" },
    });
    expect(await act(requestId, { ...all, confirmChanges: fingerprint, confirmUnproven: "1" })).toMatchObject(
      { status: 409, data: { error: "confirmation-needed" } },
    );
    expect(await decisionOf(round.id, ids[1]!)).toBeNull();
    // A redaction gives the record out as well.
    expect(
      await act(
        requestId,
        ticked(
          shown,
          [ids[1]!],
          {
            decision: "redact",
            groundId: "third-party-rights",
            reasoning: "Dritte Person im Betreff genannt.",
            fields: "subject",
          },
          round.id,
        ),
      ),
    ).toMatchObject({
      status: 409,
      data: { error: "confirmation-needed", difference: { unproven: 1 } },
    });
    expect(await act(requestId, { ...all, confirmChanges: fingerprint, confirmUnproven: "2" })).toMatchObject(
      { status: 302 },
    );
    expect(await decisionOf(round.id, ids[2]!)).toMatchObject({ decision: "release" });

    const second = await gatheredCase([{ unproven: true, matched: { kind: "ip", value: "203.0.113.9" } }]);
    const round2 = await openReview(services.database.db, members.handler!, second.requestId);
    expect(
      await act(
        second.requestId,
        ticked(
          await page(second.requestId),
          second.ids,
          { ...withhold, groundId: "identity-unconfirmed" },
          round2.id,
        ),
      ),
    ).toMatchObject({ status: 302 });
  });

  it("become proven when staff confirm their identifier with evidence, kept in the audit trail", async () => {
    const { requestId, ids } = await gatheredCase([
      { unproven: true, matched: { kind: "phone", value: "+49 361 5550" } },
      { unproven: true, matched: { kind: "user-name", value: "emu" } },
    ]);
    const [phone] = await services.database.db
      .insert(requestIdentifiers)
      .values([
        { requestId, kind: "phone", value: "+49 361 5550", normalized: "+493615550" },
        { requestId, kind: "user-name", value: "emu", normalized: "emu" },
      ])
      .returning();
    const other = await gatheredCase([{}]);
    const confirm = {
      intent: "confirm-identifier",
      identifierId: phone!.id,
      evidenceKind: "provider-record",
      evidence: "Telefonrechnung März 2026 gesehen, Anschlussinhaberin ist die Person.",
    };
    // Too little evidence, an identifier of another case, an unknown kind of evidence: refused, nothing changes.
    expect(await act(requestId, { ...confirm, evidence: "ok" })).toMatchObject({
      status: 409,
      data: { error: "reasoning-required" },
    });
    expect(await act(other.requestId, confirm)).toMatchObject({
      status: 400,
      data: { error: "unknown-identifier" },
    });
    expect(await act(requestId, { ...confirm, evidenceKind: "hunch" })).toMatchObject({ status: 400 });
    expect(await act(requestId, confirm, "nobody-signed-in")).toMatchObject({ status: 302 });

    expect(await act(requestId, confirm)).toMatchObject({ status: 302 });
    const [identifier] = await services.database.db
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.id, phone!.id));
    expect(identifier!.provenAt).not.toBeNull();
    const rows = await services.database.db.select().from(findings).where(inArray(findings.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[0]!)).toMatchObject({
      unproven: false,
      matched: expect.objectContaining({ proven: true }),
    });
    expect(byId.get(ids[0]!)!.suggestions.map((s) => s.ground)).not.toContain("identity-unconfirmed");
    // The user name was not confirmed: its finding stays unproven.
    expect(byId.get(ids[1]!)).toMatchObject({ unproven: true });
    const [event] = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "identifier.confirmed")));
    expect(event).toMatchObject({
      actorId: members.handler!.id,
      reason: "provider-record",
      data: {
        identifierId: phone!.id,
        kind: "phone",
        evidenceKind: "provider-record",
        evidence: confirm.evidence,
        findingsProven: 1,
      },
    });
    // Confirmed once: a second confirmation is refused.
    expect(await act(requestId, confirm)).toMatchObject({
      status: 400,
      data: { error: "unknown-identifier" },
    });
  });
});

describe("the person proves a further identifier", () => {
  it("by a code to the address: its findings become proven ones", async () => {
    const { requestId, ids } = await gatheredCase([
      { unproven: true, matched: { kind: "email", value: "erika@dienst.example" } },
      { unproven: true, matched: { kind: "email", value: "e@anders.example" } },
    ]);
    const [address] = await services.database.db
      .insert(requestIdentifiers)
      .values({ requestId, kind: "email", value: "erika@dienst.example", normalized: "erika@dienst.example" })
      .returning();
    const { code } = await issueCode(
      services.database.db,
      services.config.sessionSecret,
      "identifier-proof",
      address!.id,
    );
    expect(await proveIdentifier(services, { requestId, identifierId: address!.id, code })).toBe("ok");
    const rows = await services.database.db
      .select({ id: findings.id, unproven: findings.unproven })
      .from(findings)
      .where(inArray(findings.id, ids));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.unproven]))).toEqual({
      [ids[0]!]: false,
      [ids[1]!]: true,
    });
    const [event] = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "request.identifier-proven")));
    expect(event?.data).toMatchObject({ identifierId: address!.id, findingsProven: 1 });
  });
});

describe("no answer without a search", () => {
  it("refuses review, proposal, approval and release while a store failed, until a DPO records a reason the letter facts carry", async () => {
    const { requestId, runId, ids } = await gatheredCase(
      [{}],
      [
        { store: "mail-support", status: "done" },
        { store: "telefon", status: "failed" },
        { store: "web-tsr", status: "done", partial: true },
      ],
    );
    const db = services.database.db;
    expect(await act(requestId, { intent: "open-review" })).toMatchObject({
      status: 409,
      data: { error: "stores-unsearched" },
    });
    const before = await page(requestId);
    expect(before.searchGate?.blocking.map((s) => s.store)).toEqual(["telefon", "web-tsr"]);
    // Only a DPO may answer without the search, with a reason (and a fresh second factor).
    const reason = {
      intent: "accept-unsearched",
      reason: "Telefonanlage dauerhaft außer Betrieb; Webserver-Log teilweise beschädigt, Frist läuft ab.",
    };
    expect(await act(requestId, reason)).toMatchObject({ status: 403 });
    expect(await act(requestId, { ...reason, reason: "kurz" }, "dpo")).toMatchObject({
      status: 409,
      data: { error: "reasoning-required" },
    });
    expect(await act(requestId, reason, "dpo")).toMatchObject({ status: 302 });
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "review.unsearched-accepted")));
    expect(event).toMatchObject({
      actorId: members.dpo!.id,
      reason: reason.reason,
      data: {
        runId,
        stores: [
          expect.objectContaining({ store: "telefon", status: "failed" }),
          expect.objectContaining({ store: "web-tsr", partial: true }),
        ],
      },
    });
    expect((await page(requestId)).searchGate).toMatchObject({
      blocking: [],
      reason: { text: reason.reason },
    });

    expect(await act(requestId, { intent: "open-review" })).toMatchObject({ status: 302 });
    const round = (await page(requestId)).round!;
    expect(await act(requestId, ticked(await page(requestId), ids, release, round.id))).toMatchObject({
      status: 302,
    });
    // A store that fails afterwards (a retry of the search) is not covered by the reason.
    await db
      .update(gatherStoreJobs)
      .set({ status: "failed" })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "mail-support")));
    expect(await act(requestId, { intent: "propose", roundId: round.id })).toMatchObject({
      status: 409,
      data: { error: "stores-unsearched" },
    });
    await db
      .update(gatherStoreJobs)
      .set({ status: "done" })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "mail-support")));
    expect(await act(requestId, { intent: "propose", roundId: round.id })).toMatchObject({ status: 302 });
    await db
      .update(gatherStoreJobs)
      .set({ status: "failed" })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "mail-support")));
    expect(await act(requestId, { intent: "approve", roundId: round.id }, "dpo")).toMatchObject({
      status: 409,
      data: { error: "stores-unsearched" },
    });
    await db
      .update(gatherStoreJobs)
      .set({ status: "done" })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "mail-support")));
    expect(await act(requestId, { intent: "approve", roundId: round.id }, "dpo")).toMatchObject({
      status: 302,
    });
    await db
      .update(gatherStoreJobs)
      .set({ status: "failed" })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "mail-support")));
    expect(await act(requestId, { intent: "release-answer" })).toMatchObject({
      status: 409,
      data: { error: "stores-unsearched" },
    });
    await db
      .update(gatherStoreJobs)
      .set({ status: "done" })
      .where(and(eq(gatherStoreJobs.runId, runId), eq(gatherStoreJobs.store, "mail-support")));

    // The letter's facts name the stores not searched, with the reason kept for the file.
    const facts = await letterFactsOf(db, requestId, "de");
    expect(facts?.unsearched.map((s) => s.store)).toEqual(["telefon", "web-tsr"]);
    expect(facts?.unsearchedReason).toBe(reason.reason);
  });

  it("refuses a reason while the search still runs, or where nothing is missing", async () => {
    const running = await gatheredCase([{}], [{ store: "mail-support", status: "running" }]);
    const reason = { intent: "accept-unsearched", reason: "Die Suche dauert zu lange, die Frist läuft ab." };
    expect(await act(running.requestId, reason, "dpo")).toMatchObject({
      status: 409,
      data: { error: "gathering-running" },
    });
    expect(await act(running.requestId, { intent: "open-review" })).toMatchObject({
      status: 409,
      data: { error: "stores-unsearched" },
    });
    const complete = await gatheredCase([{}]);
    expect(await act(complete.requestId, reason, "dpo")).toMatchObject({
      status: 409,
      data: { error: "nothing-unsearched" },
    });
  });
});

describe("four eyes are two people", () => {
  it("refuses the approval to anyone who decided findings of the round, and does not offer it to them", async () => {
    const { requestId, ids } = await gatheredCase([{}, {}]);
    const round = await openReview(services.database.db, members.handler!, requestId);
    // The DPO decides one finding, the handler the other and proposes.
    expect(
      await act(requestId, ticked(await page(requestId, "dpo"), [ids[0]!], release, round.id), "dpo"),
    ).toMatchObject({ status: 302 });
    expect(await act(requestId, ticked(await page(requestId), [ids[1]!], release, round.id))).toMatchObject({
      status: 302,
    });
    expect(await act(requestId, { intent: "propose", roundId: round.id })).toMatchObject({ status: 302 });
    expect((await page(requestId, "dpo")).ownDecisions).toBe(true);
    expect((await page(requestId, "dpo2")).ownDecisions).toBe(false);
    expect(await act(requestId, { intent: "approve", roundId: round.id }, "dpo")).toMatchObject({
      status: 409,
      data: { error: "own-decisions" },
    });
    expect(await act(requestId, { intent: "approve", roundId: round.id }, "dpo2")).toMatchObject({
      status: 302,
    });
    const [row] = await services.database.db
      .select({ status: reviewRounds.status, decidedBy: reviewRounds.decidedBy })
      .from(reviewRounds)
      .where(eq(reviewRounds.id, round.id));
    expect(row).toEqual({ status: "approved", decidedBy: members.dpo2!.id });
  });
});
