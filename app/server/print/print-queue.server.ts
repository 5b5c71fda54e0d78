/**
 * The print queue: every notice to a person who wrote by post waits here as a letter until staff
 * record the day it went to the post. Until then it is "waiting for dispatch", never "sent".
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { answers, printJobs, representations, requestIdentifiers, requests, staffUsers } from "#db/schema";
import { type BerlinDay, berlinDayOf, isBerlinDay } from "#app/core/berlin-date";
import type { Lang } from "#app/core/languages";
import type { PrintJobPurpose, PrintJobState } from "#app/core/notices";
import { messagesFor } from "#app/i18n";
import { archivePassword } from "../answers/password.server";
import { appendAuditEvent } from "../audit.server";
import { representativeAddressOf } from "../requests/representation.server";
import { checkExtensionNoticeDispatch } from "../cases/extension-lapse.server";
import { renderNoticeLetter } from "./notice-letter.server";

export interface PrintedNotice {
  requestId: string;
  subject: string;
  text: string;
  attachments: { fileName: string; contentType: string; content: Buffer }[];
}

/** How a request's person can be reached: by e-mail, by post, or not at all. */
export type DeliveryChannel =
  | { kind: "email"; email: string }
  | { kind: "post"; reference: string; lang: Lang; name?: string; postalAddress: string }
  | { kind: "none" };

export async function deliveryChannelOf(tx: DbOrTx, requestId: string): Promise<DeliveryChannel> {
  const [request] = await tx
    .select({ contactEmail: requests.contactEmail, reference: requests.reference, lang: requests.lang })
    .from(requests)
    .where(eq(requests.id, requestId));
  if (!request) return { kind: "none" };
  // Intake stores either a normalised address or nothing: blank is the only "no e-mail".
  const email = request.contactEmail.trim();
  if (email !== "") return { kind: "email", email };
  // A request filed for someone else: letters go to the representative, never to the person searched for (ADR 0011).
  const representative = await representativeAddressOf(tx, requestId);
  if (representative) {
    if (!representative.postalAddress || !request.reference) return { kind: "none" };
    return {
      kind: "post",
      reference: request.reference,
      lang: request.lang,
      name: representative.name,
      postalAddress: representative.postalAddress,
    };
  }
  const names = await tx
    .select({ kind: requestIdentifiers.kind, value: requestIdentifiers.value })
    .from(requestIdentifiers)
    .where(eq(requestIdentifiers.requestId, requestId))
    .orderBy(requestIdentifiers.createdAt);
  const postalAddress = names.find((n) => n.kind === "postal-address")?.value.trim();
  if (!postalAddress || !request.reference) return { kind: "none" };
  return {
    kind: "post",
    reference: request.reference,
    lang: request.lang,
    name: names.find((n) => n.kind === "name")?.value,
    postalAddress,
  };
}

/**
 * Lays a notice out as a letter and puts it in the queue, in the caller's transaction. Returns null
 * when the person has no postal address: the caller must then not act as if they were told.
 */
export async function queuePrintedNotice(
  tx: DbOrTx,
  notice: PrintedNotice,
  now = new Date(),
): Promise<string | null> {
  const channel = await deliveryChannelOf(tx, notice.requestId);
  if (channel.kind !== "post") return null;
  return insertLetter(tx, channel, { id: randomUUID(), purpose: "notice", ...notice }, now);
}

async function insertLetter(
  tx: DbOrTx,
  channel: Extract<DeliveryChannel, { kind: "post" }>,
  letter: PrintedNotice & { id: string; purpose: PrintJobPurpose },
  now: Date,
): Promise<string> {
  const pdf = await renderNoticeLetter({
    lang: channel.lang,
    reference: channel.reference,
    name: channel.name,
    postalAddress: channel.postalAddress,
    subject: letter.subject,
    text: letter.text,
    enclosures: letter.attachments.map((a) => a.fileName),
    date: now,
  });
  await tx.insert(printJobs).values({
    id: letter.id,
    requestId: letter.requestId,
    purpose: letter.purpose,
    subject: letter.subject,
    pdf,
    enclosures: letter.attachments.map((a) => ({
      fileName: a.fileName,
      contentType: a.contentType,
      base64: a.content.toString("base64"),
    })),
  });
  await appendAuditEvent(tx, {
    requestId: letter.requestId,
    actorType: "system",
    action: "notice.queued-for-print",
    data: { printJobId: letter.id, purpose: letter.purpose },
  });
  return letter.id;
}

/**
 * The password of a case's encrypted data medium: derived from the server's secret and the id of
 * its password letter, never stored apart from that letter (ADR 0009).
 */
export function dataMediumPassword(secret: string, requestId: string, passwordJobId: string): string {
  return archivePassword(secret, requestId, `data-medium\u0000${passwordJobId}`);
}

/**
 * The copy of the data for a person who wrote by post (ADR 0009): the password letter goes into the
 * queue, to be posted apart from the medium; the archive on the medium is encrypted with the same
 * password. Only for a released answer and a postal channel; a second call gives the same letter.
 */
export async function prepareDataMedium(
  db: Db,
  input: { requestId: string; staffId: string; secret: string },
  now = new Date(),
): Promise<{ ok: true; printJobId: string } | { ok: false; reason: "no-answer" | "not-by-post" }> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select({ answeredAt: requests.answeredAt })
      .from(requests)
      .where(eq(requests.id, input.requestId))
      .for("update");
    if (!request?.answeredAt) return { ok: false as const, reason: "no-answer" as const };
    const [existing] = await tx
      .select({ id: printJobs.id })
      .from(printJobs)
      .where(and(eq(printJobs.requestId, input.requestId), eq(printJobs.purpose, "data-password")));
    if (existing) return { ok: true as const, printJobId: existing.id };
    const channel = await deliveryChannelOf(tx, input.requestId);
    if (channel.kind !== "post") return { ok: false as const, reason: "not-by-post" as const };
    const id = randomUUID();
    const l = messagesFor(channel.lang).print.letter;
    const text = l.passwordText(channel.reference, dataMediumPassword(input.secret, input.requestId, id));
    await insertLetter(
      tx,
      channel,
      {
        id,
        purpose: "data-password",
        requestId: input.requestId,
        subject: l.passwordSubject(channel.reference),
        text,
        attachments: [],
      },
      now,
    );
    await appendAuditEvent(tx, {
      requestId: input.requestId,
      actorType: "staff",
      actorId: input.staffId,
      action: "answer.data-medium-prepared",
      data: { printJobId: id },
    });
    return { ok: true as const, printJobId: id };
  });
}

/** Released answers of people without an e-mail address, and whether their data medium is prepared. */
export async function paperAnswers(
  db: Db,
): Promise<
  { requestId: string; reference: string | null; answeredAt: Date; passwordJobId: string | null }[]
> {
  const rows = await db
    .select({
      requestId: requests.id,
      reference: requests.reference,
      answeredAt: requests.answeredAt,
      passwordJobId: printJobs.id,
    })
    .from(requests)
    .leftJoin(printJobs, and(eq(printJobs.requestId, requests.id), eq(printJobs.purpose, "data-password")))
    .where(
      and(
        isNotNull(requests.answeredAt),
        sql`btrim(${requests.contactEmail}) = ''`,
        sql`exists (select 1 from ${answers} where ${answers.requestId} = ${requests.id})`,
      ),
    )
    .orderBy(desc(requests.answeredAt))
    .limit(100);
  return rows.map((r) => ({ ...r, answeredAt: r.answeredAt! }));
}

/** Which case a password letter belongs to, for the download of its encrypted archive. */
export async function passwordJob(db: Db, id: string): Promise<{ requestId: string } | null> {
  const [job] = await db
    .select({ requestId: printJobs.requestId })
    .from(printJobs)
    .where(and(eq(printJobs.id, id), eq(printJobs.purpose, "data-password")));
  return job ?? null;
}

export interface PrintJobRow {
  id: string;
  requestId: string;
  reference: string | null;
  subject: string;
  enclosures: string[];
  createdAt: Date;
  status: PrintJobState;
  dispatchedOn: string | null;
  dispatchedBy: string | null;
}

type StoredEnclosure = { fileName: string; contentType: string; base64: string };

const rowColumns = {
  id: printJobs.id,
  requestId: printJobs.requestId,
  reference: requests.reference,
  subject: printJobs.subject,
  enclosures: printJobs.enclosures,
  createdAt: printJobs.createdAt,
  status: printJobs.status,
  dispatchedOn: printJobs.dispatchedOn,
  dispatchedBy: staffUsers.displayName,
};

function toRow(r: { enclosures: unknown } & Omit<PrintJobRow, "enclosures">): PrintJobRow {
  return {
    ...r,
    enclosures: (r.enclosures as StoredEnclosure[]).map((e) => e.fileName),
  };
}

/** Waiting letters oldest first (they are the most urgent), and the latest dispatched ones. */
export async function printQueue(db: Db): Promise<{ waiting: PrintJobRow[]; dispatched: PrintJobRow[] }> {
  const base = () =>
    db
      .select(rowColumns)
      .from(printJobs)
      .innerJoin(requests, eq(requests.id, printJobs.requestId))
      .leftJoin(staffUsers, eq(staffUsers.id, printJobs.dispatchedBy));
  const [waiting, dispatched] = await Promise.all([
    base().where(eq(printJobs.status, "waiting")).orderBy(printJobs.createdAt),
    base()
      .where(eq(printJobs.status, "dispatched"))
      .orderBy(desc(printJobs.dispatchedOn), desc(printJobs.createdAt))
      .limit(50),
  ]);
  return { waiting: waiting.map(toRow), dispatched: dispatched.map(toRow) };
}

/** The letters of one case, for its page: what is still waiting and what went out when. */
export async function printJobsOf(db: Db, requestId: string): Promise<PrintJobRow[]> {
  const rows = await db
    .select(rowColumns)
    .from(printJobs)
    .innerJoin(requests, eq(requests.id, printJobs.requestId))
    .leftJoin(staffUsers, eq(staffUsers.id, printJobs.dispatchedBy))
    .where(eq(printJobs.requestId, requestId))
    .orderBy(printJobs.createdAt);
  return rows.map(toRow);
}

/**
 * One document of a print job for staff to print: the letter (`enclosure` null) or an enclosure.
 * Every download is recorded.
 */
export async function printJobDocument(
  db: Db,
  input: { id: string; enclosure: number | null; staffId: string },
): Promise<{ fileName: string; contentType: string; content: Buffer } | null> {
  const [job] = await db
    .select({
      requestId: printJobs.requestId,
      pdf: printJobs.pdf,
      enclosures: printJobs.enclosures,
      reference: requests.reference,
    })
    .from(printJobs)
    .innerJoin(requests, eq(requests.id, printJobs.requestId))
    .where(eq(printJobs.id, input.id));
  if (!job) return null;
  let document: { fileName: string; contentType: string; content: Buffer };
  if (input.enclosure === null) {
    document = {
      fileName: `${job.reference ?? "brief"}-mitteilung.pdf`,
      contentType: "application/pdf",
      content: job.pdf,
    };
  } else {
    const enclosure = (job.enclosures as StoredEnclosure[])[input.enclosure];
    if (!enclosure) return null;
    document = {
      fileName: enclosure.fileName,
      contentType: enclosure.contentType,
      content: Buffer.from(enclosure.base64, "base64"),
    };
  }
  await appendAuditEvent(db, {
    requestId: job.requestId,
    actorType: "staff",
    actorId: input.staffId,
    action: "print.downloaded",
    data: { printJobId: input.id, enclosure: input.enclosure },
  });
  return document;
}

export type DispatchRefusal = "unknown" | "already-dispatched" | "bad-day";

/**
 * Records the day a letter went to the post: from then on the notice counts as sent, and that day
 * is the day the person was informed. Not in the future, not before the letter existed.
 */
export async function recordDispatch(
  db: Db,
  input: { id: string; staffId: string; day: string },
  now = new Date(),
): Promise<{ ok: true; requestId: string } | { ok: false; reason: DispatchRefusal }> {
  if (!isBerlinDay(input.day)) return { ok: false, reason: "bad-day" };
  const day = input.day as BerlinDay;
  return db.transaction(async (tx) => {
    const [job] = await tx.select().from(printJobs).where(eq(printJobs.id, input.id)).for("update");
    if (!job) return { ok: false as const, reason: "unknown" as const };
    if (job.status === "dispatched") return { ok: false as const, reason: "already-dispatched" as const };
    if (day > berlinDayOf(now) || day < berlinDayOf(job.createdAt))
      return { ok: false as const, reason: "bad-day" as const };
    await tx
      .update(printJobs)
      .set({ status: "dispatched", dispatchedOn: day, dispatchedBy: input.staffId })
      .where(eq(printJobs.id, input.id));
    await appendAuditEvent(tx, {
      requestId: job.requestId,
      actorType: "staff",
      actorId: input.staffId,
      action: "notice.dispatched",
      data: { printJobId: job.id, dispatchedOn: day },
    });
    // An extension letter posted after the first month extends nothing (Art. 12(3) sentence 3).
    await checkExtensionNoticeDispatch(tx, {
      requestId: job.requestId,
      printJobId: job.id,
      day,
      staffId: input.staffId,
    });
    return { ok: true as const, requestId: job.requestId };
  });
}

/** Of these ids, the print jobs that went to the post: a letter's notice has reached the person only then. */
export async function dispatchedLetters(tx: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: printJobs.id })
    .from(printJobs)
    .where(and(inArray(printJobs.id, [...ids]), eq(printJobs.status, "dispatched")));
  return new Set(rows.map((r) => r.id));
}

/**
 * Open cases whose person can be reached neither by e-mail nor by post: no notice can leave, so
 * each is a task for staff (find or ask for an address) before anything else happens.
 */
export async function unreachableCases(
  db: Db,
): Promise<{ id: string; reference: string | null; receivedAt: Date | null }[]> {
  const rows = await db
    .select({ id: requests.id, reference: requests.reference, receivedAt: requests.receivedAt })
    .from(requests)
    .where(
      and(
        isNull(requests.closedAt),
        isNotNull(requests.reference),
        sql`btrim(${requests.contactEmail}) = ''`,
        // Filed for someone else: the representative's e-mail or postal address is required at filing,
        // and the represented person's address would not count (letters go to the representative).
        notExists(
          db
            .select({ one: sql`1` })
            .from(representations)
            .where(eq(representations.requestId, requests.id)),
        ),
        notExists(
          db
            .select({ one: sql`1` })
            .from(requestIdentifiers)
            .where(
              and(
                eq(requestIdentifiers.requestId, requests.id),
                eq(requestIdentifiers.kind, "postal-address"),
                sql`btrim(${requestIdentifiers.value}) <> ''`,
              ),
            ),
        ),
      ),
    )
    .orderBy(requests.receivedAt);
  return rows;
}
