import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { answers, requestMessages, requests } from "#db/schema";
import type { AnswerKind } from "#app/core/request-kinds";
import { type Lang, messagesFor } from "#app/i18n";
import {
  type PreparedArchive,
  prepareAccessArchive,
  preparePortabilityArchive,
} from "../answers/archive.server";
import { renderAccessLetter } from "../answers/letter-pdf.server";
import { appendAuditEvent } from "../audit.server";
import { endCaseIfDone, recordFinalNotice } from "../cases/case-end.server";
import type { StaffIdentity } from "../auth/staff.server";
import type { Config } from "../config.server";
import { queueMail } from "../mail/outbox.server";
import { codeLimits, takeRateLimits } from "../rate-limit.server";
import { authorityConfirmed } from "../requests/representation.server";
import { type CodeCheck, checkCode, issueCode } from "../verification.server";
import { answerInputFor } from "./answer-input.server";
import {
  ChangedSinceReview,
  analyzeAnswerTables,
  approvedRoundOf,
  assertUnchangedSinceReview,
} from "./released-findings.server";
import type { SourcesConfig } from "#app/sources/config";
import {
  type ArchiveJobs,
  type StoredArchive,
  answerArchiveJob,
  queueArchiveBuilds,
  readyArchiveOf,
  sendStoredArchive,
} from "./stored-archive.server";

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
  // The archives' builds at release (stored-archive.server.ts); without them (tests) the upkeep's
  // backstop builds them, and downloads go on demand until then.
  jobs?: ArchiveJobs,
): Promise<
  | { ok: true; outboxId: string }
  | {
      ok: false;
      reason: "not-approved" | "changed-since-review" | "authority-unconfirmed" | "already-released";
    }
> {
  const approved = await approvedRoundOf(db, requestId);
  if (!approved) return { ok: false, reason: "not-approved" };
  await analyzeAnswerTables(db);
  // Staff learn it now, not the person at the download: a finding changed since review.
  try {
    await assertUnchangedSinceReview(db, approved);
  } catch (error) {
    if (error instanceof ChangedSinceReview) return { ok: false, reason: "changed-since-review" };
    throw error;
  }
  const result = await db.transaction(async (tx) => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, requestId)).for("update");
    if (!request?.reference) return { ok: false as const, reason: "not-approved" as const };
    // Once only: a second release (a repeated click, a reload) would send a second notice, move the
    // answer's date and restart the download period. Checked under the case's lock.
    const [released] = await tx
      .select({ id: answers.id })
      .from(answers)
      .where(and(eq(answers.requestId, requestId), eq(answers.roundId, approved.roundId)))
      .limit(1);
    if (released) return { ok: false as const, reason: "already-released" as const };
    // Filed for someone else: nothing leaves before staff confirmed the representative's authority (ADR 0011).
    if (!(await authorityConfirmed(tx, requestId)))
      return { ok: false as const, reason: "authority-unconfirmed" as const };
    const availableUntil = new Date(now.getTime() + config.answerAvailableDays * 86_400_000);
    const kinds: AnswerKind[] = request.kinds.includes("datenuebertragung")
      ? ["access", "portability"]
      : ["access"];
    const lang: Lang = request.lang;
    const m = messagesFor(lang);
    const until = m.journey.formatDate(availableUntil);
    await tx.insert(requestMessages).values({
      requestId,
      direction: "to-person",
      body: m.delivery.message(until),
      authorStaffId: staff.id,
    });
    const link = `${config.publicUrl}/vorgang/${request.reference}`;
    const outboxId = await queueMail(tx, {
      requestId,
      to: request.contactEmail,
      subject: m.delivery.readySubject(request.reference),
      text: `${m.journey.mail.greeting}\n\n${m.delivery.readyText(request.reference, link, until)}\n\n${m.journey.mail.closing}`,
    });
    // The notice is kept with the answer: by post, the answer reaches the person on its dispatch day (statistics).
    const inserted = await tx
      .insert(answers)
      .values(
        kinds.map((kind) => ({
          requestId,
          roundId: approved.roundId,
          kind,
          answeredAt: now,
          availableUntil,
          releasedBy: staff.id,
          noticeId: outboxId,
        })),
      )
      .returning({ id: answers.id });
    // Each archive is built once now, in the background, and stored (ADR 0006): queued with the release.
    await queueArchiveBuilds(
      tx,
      jobs,
      inserted.map((answer) => answer.id),
    );
    await tx.update(requests).set({ answeredAt: now }).where(eq(requests.id, requestId));
    // Answered is final only where the case asked for nothing else (an erasure still to confirm).
    if (await endCaseIfDone(tx, requestId, now)) await recordFinalNotice(tx, requestId, outboxId);
    await appendAuditEvent(tx, {
      requestId,
      actorType: "staff",
      actorId: staff.id,
      action: "request.answered",
      data: {
        roundId: approved.roundId,
        kinds,
        availableUntil: availableUntil.toISOString(),
        noticeId: outboxId,
      },
    });
    return { ok: true as const, outboxId };
  });
  if (result.ok) jobs?.wake(answerArchiveJob.queue);
  return result;
}

/** The case's released answers, newest first, with whether each can still be downloaded. */
export async function answersOf(db: Db, requestId: string, now = new Date()) {
  const rows = await db
    .select()
    .from(answers)
    .where(eq(answers.requestId, requestId))
    .orderBy(desc(answers.createdAt));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    answeredAt: row.answeredAt,
    availableUntil: row.availableUntil,
    available: row.availableUntil > now,
  }));
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
    if (!(await takeRateLimits(tx, secret, limits, now)))
      return { ok: false as const, reason: "rate-limited" as const };
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

export function proveDownloadCode(
  db: Db,
  secret: string,
  requestId: string,
  code: string,
  now = new Date(),
): Promise<CodeCheck> {
  return db.transaction((tx) => checkCode(tx, secret, "answer-download", requestId, code, now));
}

/** What a download's audit events and its stored way need of the request. */
type DownloadRequest = {
  requestId: string;
  file: AnswerFile;
  actor: { type: "person" | "staff"; id: string | null };
  password?: string;
};

export type DownloadOutcome =
  | { ok: true; body: ReadableStream<Uint8Array>; contentType: string; fileName: string }
  | { ok: false; status: 404 | 409 | 410 };

/**
 * One document of a released answer, rendered from the approved review. Every download is
 * recorded; an expired answer is gone (410); a finding that changed since review stops it (409).
 * An archive with `password` is encrypted (AES-256); the letter never is.
 */
export async function downloadAnswer(
  db: Db,
  input: DownloadRequest & { publicUrl?: string; sources?: SourcesConfig },
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
  const refused = async (
    reason: "expired" | "changed-since-review",
    status: 409 | 410,
  ): Promise<DownloadOutcome> => {
    await appendAuditEvent(db, {
      requestId: input.requestId,
      actorType: input.actor.type,
      actorId: input.actor.id,
      action: "answer.download-refused",
      reason,
      data: { file: input.file, answerId: answer.id },
    });
    return { ok: false, status };
  };
  if (input.actor.type === "person" && answer.availableUntil <= now) return refused("expired", 410);
  if (input.file !== "brief.pdf") {
    const stored = await readyArchiveOf(db, answer.id);
    if (stored) return sendStored(db, input, answer, stored);
  }
  const answerInput = await answerInputFor(
    db,
    input.requestId,
    answer.answeredAt,
    input.publicUrl,
    input.sources,
  );
  if (!answerInput) return { ok: false, status: 404 };
  // The one pass over the findings happens here, before anything is sent: a finding that differs
  // from what was reviewed refuses the download instead of breaking it off.
  let document: { pdf: Buffer } | { archive: PreparedArchive };
  try {
    if (input.file === "brief.pdf") document = { pdf: await renderAccessLetter(answerInput) };
    else
      document = {
        archive: await (input.file === "auskunft.zip" ? prepareAccessArchive : preparePortabilityArchive)(
          answerInput,
        ),
      };
  } catch (error) {
    if (error instanceof ChangedSinceReview) return refused("changed-since-review", 409);
    throw error;
  }
  try {
    await recordDownload(db, input, answer.id, "archive" in document && Boolean(input.password));
  } catch (error) {
    // Not sent, so not recorded: the prepared archive's spooled findings go.
    if ("archive" in document) await document.archive.discard();
    throw error;
  }
  if ("pdf" in document) {
    return {
      ok: true,
      body: new Blob([new Uint8Array(document.pdf)]).stream(),
      contentType: "application/pdf",
      fileName: `${answerInput.reference}-${input.file}`,
    };
  }
  // The archive streams: it is written into the response as it is made, never held whole in memory.
  const out = new PassThrough();
  document.archive.writeTo(out, { password: input.password }).catch((error: Error) => out.destroy(error));
  return {
    ok: true,
    body: createReadableStreamFromReadable(out),
    contentType: "application/zip",
    fileName: archiveFileName(answerInput.reference, input.file, input.password),
  };
}

/** Every download sent, by either way (on demand or stored), is recorded alike. */
async function recordDownload(db: Db, input: DownloadRequest, answerId: string, encrypted: boolean) {
  await appendAuditEvent(db, {
    requestId: input.requestId,
    actorType: input.actor.type,
    actorId: input.actor.id,
    action: "answer.downloaded",
    data: { file: input.file, answerId, encrypted },
  });
}

function archiveFileName(reference: string, file: AnswerFile, password: string | undefined): string {
  return `${reference}-${password ? file.replace(/\.zip$/, "-verschluesselt.zip") : file}`;
}

/**
 * The archive built at release (stored-archive.server.ts): checked against the review when it was
 * built, so it is sent as stored — or its stored entries encrypted — with the same audit event.
 */
async function sendStored(
  db: Db,
  input: DownloadRequest,
  answer: { id: string; answeredAt: Date },
  stored: StoredArchive,
): Promise<DownloadOutcome> {
  const [request] = await db
    .select({ reference: requests.reference })
    .from(requests)
    .where(eq(requests.id, input.requestId));
  if (!request?.reference) return { ok: false, status: 404 };
  await recordDownload(db, input, answer.id, Boolean(input.password));
  const out = sendStoredArchive(db, stored, { password: input.password, date: answer.answeredAt });
  return {
    ok: true,
    body: createReadableStreamFromReadable(out),
    contentType: "application/zip",
    fileName: archiveFileName(request.reference, input.file, input.password),
  };
}

/**
 * An encrypted download asked for with a password other than the one the case page showed: nothing
 * is sent, and the attempt is recorded (never the password typed).
 */
export async function recordWrongArchivePassword(db: Db, requestId: string, file: AnswerFile): Promise<void> {
  await appendAuditEvent(db, {
    requestId,
    actorType: "person",
    action: "answer.download-refused",
    reason: "wrong-password",
    data: { file },
  });
}

/**
 * A download link of a case that is not the signed-in person's: answered like an unknown one (404),
 * and recorded on that case, if it exists, without anything about who tried.
 */
export async function recordForeignDownload(db: Db, reference: string, file: string): Promise<void> {
  const [request] = await db
    .select({ id: requests.id })
    .from(requests)
    .where(eq(requests.reference, reference))
    .limit(1);
  if (!request) return;
  await appendAuditEvent(db, {
    requestId: request.id,
    actorType: "person",
    action: "answer.download-refused",
    reason: "not-owner",
    data: { file: file.slice(0, 40) },
  });
}
