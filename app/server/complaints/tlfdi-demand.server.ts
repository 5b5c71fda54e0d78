/**
 * § 21(5) ThürDSG: where the answer told the person that access was restricted, the person may
 * demand that the information be given to the TLfDI instead. The demand produces the record for the
 * TLfDI at once and keeps it; staff see a task to hand it over and record the hand-over; the person
 * is told at the demand and at the hand-over (ADR 0012).
 */
import { createHash } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { answers, findingDecisions, requestMessages, requests, staffUsers, tlfdiDemands } from "#db/schema";
import { berlinDayOf, isBerlinDay, startOfBerlinDay } from "#app/core/berlin-date";
import { isRestrictionGroundId, restrictionGrounds } from "#app/core/restriction-grounds";
import { type Lang, messagesFor } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import { queueMail } from "../mail/outbox.server";
import { latestApprovedRound } from "../review/review.server";
import type { StaffChannel } from "#app/core/channels";
import { MIN_HAND_OVER_NOTE } from "./tlfdi-forms";
import { renderTlfdiRecord } from "./tlfdi-record.server";

/** The record goes to a German authority: it is written in German whatever the person's language. */
const RECORD_LANG: Lang = "de";

/**
 * The released answer's round, if the letter told the person of a restriction under § 21 ThürDSG
 * (a withholding or redaction on such a ground). Silent withholdings do not count: offering the
 * demand there would reveal what the answer must not (ADR 0012).
 */
async function restrictedAnswerRound(tx: DbOrTx, requestId: string): Promise<string | null> {
  const round = await latestApprovedRound(tx, requestId);
  if (!round) return null;
  const [released] = await tx
    .select({ id: answers.id })
    .from(answers)
    .where(and(eq(answers.requestId, requestId), eq(answers.roundId, round.id)))
    .limit(1);
  if (!released) return null;
  const grounds = await tx
    .selectDistinct({ groundId: findingDecisions.groundId })
    .from(findingDecisions)
    .where(
      and(eq(findingDecisions.roundId, round.id), inArray(findingDecisions.decision, ["withhold", "redact"])),
    );
  const told = grounds.some(
    (g) => isRestrictionGroundId(g.groundId) && restrictionGrounds[g.groundId].tlfdiMayBeDemanded,
  );
  return told ? round.id : null;
}

export interface TlfdiDemandView {
  id: string;
  demandedAt: string;
  handedOverAt: string | null;
}

/** What the person's case page offers: the demand where it may be made, and the state of one made. */
export async function tlfdiDemandOffer(
  db: Db,
  requestId: string,
): Promise<{ offered: boolean; demand: TlfdiDemandView | null }> {
  const roundId = await restrictedAnswerRound(db, requestId);
  if (!roundId) return { offered: false, demand: null };
  const [demand] = await db.select().from(tlfdiDemands).where(eq(tlfdiDemands.roundId, roundId)).limit(1);
  return { offered: !demand, demand: demand ? viewOf(demand) : null };
}

function viewOf(row: typeof tlfdiDemands.$inferSelect): TlfdiDemandView {
  return {
    id: row.id,
    demandedAt: row.demandedAt.toISOString(),
    handedOverAt: row.handedOverAt?.toISOString() ?? null,
  };
}

export type DemandResult =
  | { ok: true; demandId: string; outboxIds: string[] }
  | { ok: false; reason: "not-offered" | "already-demanded" };

/**
 * The demand: the record produced and kept, audited, the person told, the staff task open. Made by
 * the person on their case page, or recorded by staff where the person demanded it by letter or
 * e-mail (the letter says either way is open).
 */
export async function demandTlfdiReview(
  db: Db,
  requestId: string,
  now = new Date(),
  recordedBy?: { staffId: string; channel: StaffChannel },
): Promise<DemandResult> {
  return db.transaction(async (tx): Promise<DemandResult> => {
    // One demand per answer, however often the button is pressed: the case row serialises them.
    const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
    if (!request?.reference) return { ok: false, reason: "not-offered" };
    const roundId = await restrictedAnswerRound(tx, requestId);
    if (!roundId) return { ok: false, reason: "not-offered" };
    const [existing] = await tx
      .select({ id: tlfdiDemands.id })
      .from(tlfdiDemands)
      .where(eq(tlfdiDemands.roundId, roundId))
      .limit(1);
    if (existing) return { ok: false, reason: "already-demanded" };

    const record = await renderTlfdiRecord(
      tx,
      requestId,
      RECORD_LANG,
      { label: messagesFor(RECORD_LANG).statutory.demand.producedBy },
      now,
    );
    if (!record.ok) return { ok: false, reason: "not-offered" };
    const recordSha256 = createHash("sha256").update(record.pdf).digest("hex");
    const [demand] = await tx
      .insert(tlfdiDemands)
      .values({ requestId, roundId, recordPdf: record.pdf, recordSha256, demandedAt: now })
      .returning({ id: tlfdiDemands.id });
    await appendAuditEvent(tx, {
      requestId,
      actorType: recordedBy ? "staff" : "person",
      actorId: recordedBy?.staffId ?? null,
      action: "tlfdi.review-demanded",
      data: { demandId: demand!.id, recordSha256, channel: recordedBy?.channel ?? "portal", ...record.facts },
    });

    const lang: Lang = request.lang;
    const m = messagesFor(lang);
    const text = m.statutory.demand.mail.body(request.reference, m.journey.formatDate(now));
    await tx
      .insert(requestMessages)
      .values({ requestId, direction: "to-person", body: text, authorStaffId: recordedBy?.staffId ?? null });
    const outboxId = await queueMail(tx, {
      requestId,
      to: request.contactEmail,
      subject: m.statutory.demand.mail.subject(request.reference),
      text,
    });
    return { ok: true, demandId: demand!.id, outboxIds: [outboxId] };
  });
}

export interface TlfdiTask {
  id: string;
  demandedAt: string;
  handedOver: { at: string; by: string; note: string } | null;
}

/** The demands of a case for the staff case page: open ones are tasks, done ones say when and how. */
export async function tlfdiTasksOf(db: Db, requestId: string): Promise<TlfdiTask[]> {
  const rows = await db
    .select({ demand: tlfdiDemands, by: staffUsers.displayName })
    .from(tlfdiDemands)
    .leftJoin(staffUsers, eq(staffUsers.id, tlfdiDemands.handedOverBy))
    .where(eq(tlfdiDemands.requestId, requestId))
    .orderBy(desc(tlfdiDemands.demandedAt));
  return rows.map(({ demand, by }) => ({
    id: demand.id,
    demandedAt: demand.demandedAt.toISOString(),
    handedOver: demand.handedOverAt
      ? { at: demand.handedOverAt.toISOString(), by: by ?? "–", note: demand.handOverNote ?? "" }
      : null,
  }));
}

/** The record kept at the demand, for staff to hand over; reading it is audited. */
export async function keptTlfdiRecord(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  demandId: string,
): Promise<{ fileName: string; pdf: Buffer } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ pdf: tlfdiDemands.recordPdf, reference: requests.reference })
      .from(tlfdiDemands)
      .innerJoin(requests, eq(requests.id, tlfdiDemands.requestId))
      .where(and(eq(tlfdiDemands.id, demandId), eq(tlfdiDemands.requestId, requestId)));
    if (!row?.reference) return null;
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "tlfdi.record-read",
      data: { demandId },
    });
    return { fileName: messagesFor(RECORD_LANG).complaints.record.fileName(row.reference), pdf: row.pdf };
  });
}

export type HandOverResult =
  | { ok: true; outboxIds: string[] }
  | { ok: false; reason: "unknown-demand" | "already-handed-over" | "bad-day" | "note-required" };

/** Staff record that the record went to the TLfDI (day and how); the person is told. */
export async function recordTlfdiHandOver(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  input: { demandId: string; day: string; note: string },
  now = new Date(),
): Promise<HandOverResult> {
  const note = input.note.trim();
  if (note.length < MIN_HAND_OVER_NOTE) return { ok: false, reason: "note-required" };
  if (!isBerlinDay(input.day) || input.day > berlinDayOf(now)) return { ok: false, reason: "bad-day" };
  return db.transaction(async (tx): Promise<HandOverResult> => {
    const [row] = await tx
      .select({ demand: tlfdiDemands, request: requests })
      .from(tlfdiDemands)
      .innerJoin(requests, eq(requests.id, tlfdiDemands.requestId))
      .where(and(eq(tlfdiDemands.id, input.demandId), eq(tlfdiDemands.requestId, requestId)))
      .for("update", { of: tlfdiDemands });
    if (!row?.request.reference) return { ok: false, reason: "unknown-demand" };
    if (row.demand.handedOverAt) return { ok: false, reason: "already-handed-over" };
    if (input.day < berlinDayOf(row.demand.demandedAt)) return { ok: false, reason: "bad-day" };
    const handedOverAt = startOfBerlinDay(input.day);
    await tx
      .update(tlfdiDemands)
      .set({ handedOverAt, handedOverBy: staff.id, handOverNote: note })
      .where(eq(tlfdiDemands.id, input.demandId));
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "tlfdi.record-handed-over",
      reason: note,
      data: { demandId: input.demandId, day: input.day, recordSha256: row.demand.recordSha256 },
    });
    const lang: Lang = row.request.lang;
    const m = messagesFor(lang);
    const text = m.statutory.demand.mail.handedOverBody(
      row.request.reference,
      m.journey.formatDate(handedOverAt),
    );
    await tx
      .insert(requestMessages)
      .values({ requestId, direction: "to-person", body: text, authorStaffId: staff.id });
    const outboxId = await queueMail(tx, {
      requestId,
      to: row.request.contactEmail,
      subject: m.statutory.demand.mail.handedOverSubject(row.request.reference),
      text,
    });
    return { ok: true, outboxIds: [outboxId] };
  });
}
