import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { answers, gatherRuns, requestMessages, requests, reviewRounds } from "../../../db/schema";
import { type Lang, isLang, messagesFor } from "../../i18n";
import { writeAccessArchive, writePortabilityArchive } from "../answers/archive.server";
import { renderAccessLetter } from "../answers/letter-pdf.server";
import { appendAuditEvent } from "../audit.server";
import type { StaffIdentity } from "../auth/staff.server";
import type { Config } from "../config.server";
import { queueMail } from "../mail/outbox.server";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { type CodeCheck, checkCode, issueCode } from "../verification.server";
import { answerInputFor } from "./answer-input.server";

export type AnswerFile = "brief.pdf" | "auskunft.zip" | "datenuebertragung.zip";
export const answerFiles: readonly AnswerFile[] = ["brief.pdf", "auskunft.zip", "datenuebertragung.zip"];

/**
 * Releases the approved answer of a case to the person: it becomes downloadable for the configured
 * period, the case counts as answered, and the person is told by mail and on the case page. The
 * answer's date is fixed now, so every later download gives the same documents.
 */
export async function releaseAnswer(
  db: Db,
  staff: StaffIdentity,
  requestId: string,
  config: Pick<Config, "answerAvailableDays" | "publicUrl">,
  now = new Date(),
): Promise<{ ok: true; outboxId: string } | { ok: false; reason: "not-approved" }> {
  if (!(await answerInputFor(db, requestId, now))) return { ok: false, reason: "not-approved" };
  return db.transaction(async (tx) => {
    const [round] = await tx
      .select({ id: reviewRounds.id })
      .from(reviewRounds)
      .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
      .where(and(eq(gatherRuns.requestId, requestId), eq(reviewRounds.status, "approved")))
      .orderBy(desc(reviewRounds.decidedAt))
      .limit(1);
    const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
    if (!round || !request?.reference) return { ok: false as const, reason: "not-approved" as const };
    const availableUntil = new Date(now.getTime() + config.answerAvailableDays * 86_400_000);
    const kinds = request.kinds.includes("datenuebertragung") ? ["access", "portability"] : ["access"];
    await tx.insert(answers).values(kinds.map((kind) => ({ requestId, roundId: round.id, kind, answeredAt: now, availableUntil, releasedBy: staff.id })));
    await tx.update(requests).set({ status: "answered", answeredAt: now }).where(eq(requests.id, requestId));
    const lang: Lang = isLang(request.lang) ? request.lang : "de";
    const m = messagesFor(lang);
    const until = m.journey.formatDate(availableUntil);
    await tx.insert(requestMessages).values({ requestId, direction: "to-person", body: m.delivery.message(until), authorStaffId: staff.id });
    const link = `${config.publicUrl}/vorgang/${request.reference}`;
    const outboxId = await queueMail(tx, {
      requestId,
      to: request.contactEmail,
      subject: m.delivery.readySubject(request.reference),
      text: `${m.journey.mail.greeting}\n\n${m.delivery.readyText(request.reference, link, until)}\n\n${m.journey.mail.closing}`,
    });
    await appendAuditEvent(tx, { requestId, actorType: "staff", actorId: staff.id, action: "request.answered", data: { roundId: round.id, kinds, availableUntil: availableUntil.toISOString() } });
    return { ok: true as const, outboxId };
  });
}

/** The case's released answers, newest first, with whether each can still be downloaded. */
export async function answersOf(db: Db, requestId: string, now = new Date()) {
  const rows = await db.select().from(answers).where(eq(answers.requestId, requestId)).orderBy(desc(answers.createdAt));
  return rows.map((row) => ({ id: row.id, kind: row.kind, answeredAt: row.answeredAt, availableUntil: row.availableUntil, available: row.availableUntil > now }));
}

/** A fresh code before a download: the case page holds the answer, the code proves the mailbox now. */
export async function sendDownloadCode(
  db: Db,
  secret: string,
  input: { requestId: string; to: string; lang: Lang; clientKey: string | null },
  now = new Date(),
): Promise<{ ok: true; outboxId: string } | { ok: false; reason: "rate-limited" }> {
  return db.transaction(async (tx) => {
    const limits = [{ limit: codeLimits.perAddress, subject: input.to }];
    if (input.clientKey) limits.push({ limit: codeLimits.perClient, subject: input.clientKey });
    if (!(await takeRateLimits(tx, secret, limits, now))) return { ok: false as const, reason: "rate-limited" as const };
    const { code } = await issueCode(tx, secret, "answer-download", input.requestId, now);
    const m = messagesFor(input.lang);
    const outboxId = await queueMail(tx, {
      requestId: input.requestId,
      to: input.to,
      subject: m.delivery.codeSubject,
      text: `${m.journey.mail.greeting}\n\n${m.delivery.codeText(code)}\n\n${m.journey.mail.closing}`,
    });
    return { ok: true as const, outboxId };
  });
}

export function proveDownloadCode(db: Db, secret: string, requestId: string, code: string, now = new Date()): Promise<CodeCheck> {
  return db.transaction((tx) => checkCode(tx, secret, "answer-download", requestId, code, now));
}

export type DownloadOutcome = { ok: true; body: ReadableStream<Uint8Array>; contentType: string; fileName: string } | { ok: false; status: 404 | 409 | 410 };

/**
 * One document of a released answer, rendered from the approved review. Every download is
 * recorded; an expired answer is gone (410); a finding that changed since review stops it (409).
 */
export async function downloadAnswer(
  db: Db,
  input: { requestId: string; file: AnswerFile; actor: { type: "person" | "staff"; id: string | null }; publicUrl?: string },
  now = new Date(),
): Promise<DownloadOutcome> {
  const kind = input.file === "datenuebertragung.zip" ? "portability" : "access";
  const [answer] = await db
    .select()
    .from(answers)
    .where(and(eq(answers.requestId, input.requestId), eq(answers.kind, kind)))
    .orderBy(desc(answers.createdAt))
    .limit(1);
  if (!answer) return { ok: false, status: 404 };
  if (input.actor.type === "person" && answer.availableUntil <= now) return { ok: false, status: 410 };
  let answerInput;
  try {
    answerInput = await answerInputFor(db, input.requestId, answer.answeredAt, input.publicUrl);
  } catch {
    return { ok: false, status: 409 };
  }
  if (!answerInput) return { ok: false, status: 404 };
  await appendAuditEvent(db, {
    requestId: input.requestId,
    actorType: input.actor.type,
    actorId: input.actor.id,
    action: "answer.downloaded",
    data: { file: input.file, answerId: answer.id },
  });
  const fileName = `${answerInput.reference}-${input.file}`;
  if (input.file === "brief.pdf") {
    const pdf = await renderAccessLetter(answerInput);
    return { ok: true, body: new Blob([new Uint8Array(pdf)]).stream(), contentType: "application/pdf", fileName };
  }
  // The archive streams: it is written into the response as it is made, never held whole in memory.
  const out = new PassThrough();
  const write = input.file === "auskunft.zip" ? writeAccessArchive : writePortabilityArchive;
  write(answerInput, out).catch((error: Error) => out.destroy(error));
  return { ok: true, body: createReadableStreamFromReadable(out), contentType: "application/zip", fileName };
}
