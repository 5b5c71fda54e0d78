import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingDecisions } from "#db/schema";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { answerInputFor } from "#app/server/delivery/answer-input.server";
import { ChangedSinceReview } from "#app/server/delivery/released-findings.server";
import {
  ReviewRefused,
  approve,
  decide,
  openReview,
  propose,
  sendBack,
} from "#app/server/review/review.server";
import type { Services } from "#app/server/services.server";
import type { RoleId } from "#app/core/permissions";
import { caseReadyForReview } from "../support/cases";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
let otherDpo: StaffIdentity;

const staff = (userName: string, role: RoleId) => createStaff(services.database.db, userName, role, userName);

const gatheredCase = (contents: Record<string, unknown>[]) =>
  caseReadyForReview(services.database.db, contents);

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000);

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
  otherDpo = await staff("dpo2", "dpo");
});
afterAll(() => close());

async function all<T>(source: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe("review with four eyes", () => {
  it("releases only what a DPO other than the proposer approved, with redactions applied", async () => {
    const { requestId, findingIds } = await gatheredCase([
      { subject: "Anfrage", to: ["a@x"], cc: ["dritter@example.com"], text: "Hallo" },
      { subject: "Vertraulich", text: "…" },
    ]);
    const round = await openReview(services.database.db, handler, requestId);
    await decide(services.database.db, handler, requestId, round.id, [findingIds[0]!], {
      decision: "redact",
      groundId: "third-party-rights",
      reasoning: "Empfänger in Kopie ist eine dritte Person.",
      fields: ["cc"],
    });
    await expect(propose(services.database.db, handler, requestId, round.id)).rejects.toMatchObject({
      reason: "undecided-findings",
    });
    await decide(services.database.db, handler, requestId, round.id, [findingIds[1]!], {
      decision: "withhold",
      groundId: "secrecy",
      reasoning: "Geheimhaltung nach Abwägung geboten.",
      reviewOn: inAMonth(),
      omitReasons: true,
    });
    expect(await answerInputFor(services.database.db, requestId, new Date())).toBeNull();
    await propose(services.database.db, handler, requestId, round.id);

    await expect(approve(services.database.db, handler, requestId, round.id)).rejects.toMatchObject({
      reason: "not-permitted",
    });
    const selfProposing = await openReview(services.database.db, dpo, requestId);
    expect(selfProposing.id).toBe(round.id);
    await approve(services.database.db, dpo, requestId, round.id);

    const answer = await answerInputFor(services.database.db, requestId, new Date());
    const released = await all(answer!.released.list());
    expect(released).toHaveLength(1);
    expect(released[0]?.content).toMatchObject({ subject: "Anfrage", cc: null });
    // § 21(4) ThürDSG: the reasons were left out of the answer.
    expect(answer?.withheld).toEqual([
      expect.objectContaining({ groundId: "secrecy", count: 1, reasons: null }),
    ]);
  });

  it("keeps the text for the person apart from the internal reasoning, drops it under § 21(4), and carries both into the next round", async () => {
    const { requestId, findingIds } = await gatheredCase([{ text: "a" }, { text: "b" }]);
    const db = services.database.db;
    const round = await openReview(db, handler, requestId);
    await decide(db, handler, requestId, round.id, [findingIds[0]!], {
      decision: "withhold",
      groundId: "secrecy",
      reasoning: "Intern: Rechte von Frau Schulz.",
      personReasons: "Rechte einer anderen Person überwiegen.",
      reviewOn: inAMonth(),
      omitReasons: false,
    });
    await decide(db, handler, requestId, round.id, [findingIds[1]!], {
      decision: "withhold",
      groundId: "secrecy",
      reasoning: "Intern: laufende Prüfung.",
      personReasons: "Wird nicht gezeigt.",
      reviewOn: inAMonth(),
      omitReasons: true,
    });
    await propose(db, handler, requestId, round.id);
    await sendBack(db, dpo, requestId, round.id, "Bitte Datum prüfen.");
    const next = await openReview(db, handler, requestId);
    const rows = await db.select().from(findingDecisions).where(eq(findingDecisions.roundId, next.id));
    const byFinding = new Map(rows.map((r) => [r.findingId, r]));
    expect(byFinding.get(findingIds[0]!)).toMatchObject({
      reasoning: "Intern: Rechte von Frau Schulz.",
      personReasons: "Rechte einer anderen Person überwiegen.",
      omitReasons: false,
    });
    expect(byFinding.get(findingIds[1]!)).toMatchObject({
      reasoning: "Intern: laufende Prüfung.",
      personReasons: null,
      omitReasons: true,
    });
  });

  it("does not let a DPO approve their own proposal", async () => {
    const { requestId, findingIds } = await gatheredCase([{ text: "x" }]);
    const round = await openReview(services.database.db, dpo, requestId);
    await decide(services.database.db, dpo, requestId, round.id, findingIds, { decision: "release" });
    await propose(services.database.db, dpo, requestId, round.id);
    await expect(approve(services.database.db, dpo, requestId, round.id)).rejects.toMatchObject({
      reason: "own-proposal",
    });
    await approve(services.database.db, otherDpo, requestId, round.id);
  });

  it("refuses forged fields: another case's finding or round, a ground not in the catalogue, a missing reasoning", async () => {
    const a = await gatheredCase([{ text: "a" }]);
    const b = await gatheredCase([{ text: "b" }]);
    const round = await openReview(services.database.db, handler, a.requestId);
    await expect(
      decide(services.database.db, handler, a.requestId, round.id, b.findingIds, { decision: "release" }),
    ).rejects.toMatchObject({ reason: "foreign-finding" });
    await expect(
      decide(services.database.db, handler, b.requestId, round.id, a.findingIds, { decision: "release" }),
    ).rejects.toMatchObject({ reason: "foreign-finding" });
    await expect(
      decide(services.database.db, handler, a.requestId, round.id, a.findingIds, {
        decision: "withhold",
        groundId: "because" as never,
        reasoning: "long enough reason",
        reviewOn: inAMonth(),
        omitReasons: false,
      }),
    ).rejects.toMatchObject({ reason: "unknown-ground" });
    await expect(
      decide(services.database.db, handler, a.requestId, round.id, a.findingIds, {
        decision: "withhold",
        groundId: "secrecy",
        reasoning: "",
        reviewOn: inAMonth(),
        omitReasons: false,
      }),
    ).rejects.toMatchObject({ reason: "reasoning-required" });
    await expect(
      decide(services.database.db, handler, a.requestId, round.id, a.findingIds, {
        decision: "withhold",
        groundId: "third-party-rights",
        reasoning: "long enough reason",
        reviewOn: inAMonth(),
        omitReasons: true,
      }),
    ).rejects.toMatchObject({ reason: "reasons-not-omissible" });
    await expect(
      decide(services.database.db, handler, a.requestId, round.id, a.findingIds, {
        decision: "redact",
        groundId: "third-party-rights",
        reasoning: "long enough reason",
        fields: ["nope"],
      }),
    ).rejects.toBeInstanceOf(ReviewRefused);
  });

  it("starts a returned round again with its decisions, and refuses a finding changed since review", async () => {
    const { requestId, findingIds } = await gatheredCase([{ text: "original" }]);
    const round = await openReview(services.database.db, handler, requestId);
    await decide(services.database.db, handler, requestId, round.id, findingIds, { decision: "release" });
    await propose(services.database.db, handler, requestId, round.id);
    await sendBack(services.database.db, dpo, requestId, round.id, "Bitte Schwärzung prüfen");
    const next = await openReview(services.database.db, handler, requestId);
    expect(next.id).not.toBe(round.id);
    await propose(services.database.db, handler, requestId, next.id);
    await approve(services.database.db, dpo, requestId, next.id);
    await services.database.sql.query('update findings set content = \'{"text":"changed"}\' where id = $1', [
      findingIds[0],
    ]);
    const answer = await answerInputFor(services.database.db, requestId, new Date());
    await expect(all(answer!.released.list())).rejects.toBeInstanceOf(ChangedSinceReview);
  });
});
