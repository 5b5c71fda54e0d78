/**
 * The print queue: every notice to a person who wrote by post waits here as a letter until staff
 * record the day it went to the post. Until then it is "waiting for dispatch", never "sent".
 */
import { and, desc, eq, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../db/client";
import { printJobs, requestIdentifiers, requests, staffUsers } from "../../../db/schema";
import { type BerlinDay, berlinDayOf, isBerlinDay } from "../../core/berlin-date";
import { isLang } from "../../i18n";
import { appendAuditEvent } from "../audit.server";
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
  | { kind: "post"; reference: string; lang: "de" | "en"; name?: string; postalAddress: string }
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
    lang: isLang(request.lang) ? request.lang : "de",
    name: names.find((n) => n.kind === "name")?.value,
    postalAddress,
  };
}

/**
 * Lays a notice out as a letter and puts it in the queue, in the caller's transaction. Returns null
 * when the person has no postal address: the caller must then not act as if they were told.
 */
export async function queuePrintedNotice(tx: DbOrTx, notice: PrintedNotice, now = new Date()): Promise<string | null> {
  const channel = await deliveryChannelOf(tx, notice.requestId);
  if (channel.kind !== "post") return null;
  const pdf = await renderNoticeLetter({
    lang: channel.lang,
    reference: channel.reference,
    name: channel.name,
    postalAddress: channel.postalAddress,
    subject: notice.subject,
    text: notice.text,
    enclosures: notice.attachments.map((a) => a.fileName),
    date: now,
  });
  const [row] = await tx
    .insert(printJobs)
    .values({
      requestId: notice.requestId,
      subject: notice.subject,
      pdf,
      enclosures: notice.attachments.map((a) => ({ fileName: a.fileName, contentType: a.contentType, base64: a.content.toString("base64") })),
    })
    .returning({ id: printJobs.id });
  await appendAuditEvent(tx, { requestId: notice.requestId, actorType: "system", action: "notice.queued-for-print", data: { printJobId: row!.id } });
  return row!.id;
}

export interface PrintJobRow {
  id: string;
  requestId: string;
  reference: string | null;
  subject: string;
  enclosures: string[];
  createdAt: Date;
  status: "waiting" | "dispatched";
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

function toRow(r: { enclosures: unknown; status: string } & Omit<PrintJobRow, "enclosures" | "status">): PrintJobRow {
  return { ...r, status: r.status === "dispatched" ? "dispatched" : "waiting", enclosures: (r.enclosures as StoredEnclosure[]).map((e) => e.fileName) };
}

/** Waiting letters oldest first (they are the most urgent), and the latest dispatched ones. */
export async function printQueue(db: Db): Promise<{ waiting: PrintJobRow[]; dispatched: PrintJobRow[] }> {
  const base = () => db.select(rowColumns).from(printJobs).innerJoin(requests, eq(requests.id, printJobs.requestId)).leftJoin(staffUsers, eq(staffUsers.id, printJobs.dispatchedBy));
  const [waiting, dispatched] = await Promise.all([
    base().where(eq(printJobs.status, "waiting")).orderBy(printJobs.createdAt),
    base().where(eq(printJobs.status, "dispatched")).orderBy(desc(printJobs.dispatchedOn), desc(printJobs.createdAt)).limit(50),
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
    .select({ requestId: printJobs.requestId, pdf: printJobs.pdf, enclosures: printJobs.enclosures, reference: requests.reference })
    .from(printJobs)
    .innerJoin(requests, eq(requests.id, printJobs.requestId))
    .where(eq(printJobs.id, input.id));
  if (!job) return null;
  let document: { fileName: string; contentType: string; content: Buffer };
  if (input.enclosure === null) {
    document = { fileName: `${job.reference ?? "brief"}-mitteilung.pdf`, contentType: "application/pdf", content: job.pdf };
  } else {
    const enclosure = (job.enclosures as StoredEnclosure[])[input.enclosure];
    if (!enclosure) return null;
    document = { fileName: enclosure.fileName, contentType: enclosure.contentType, content: Buffer.from(enclosure.base64, "base64") };
  }
  await appendAuditEvent(db, { requestId: job.requestId, actorType: "staff", actorId: input.staffId, action: "print.downloaded", data: { printJobId: input.id, enclosure: input.enclosure } });
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
    if (day > berlinDayOf(now) || day < berlinDayOf(job.createdAt)) return { ok: false as const, reason: "bad-day" as const };
    await tx.update(printJobs).set({ status: "dispatched", dispatchedOn: day, dispatchedBy: input.staffId }).where(eq(printJobs.id, input.id));
    await appendAuditEvent(tx, { requestId: job.requestId, actorType: "staff", actorId: input.staffId, action: "notice.dispatched", data: { printJobId: job.id, dispatchedOn: day } });
    return { ok: true as const, requestId: job.requestId };
  });
}

/**
 * Open cases whose person can be reached neither by e-mail nor by post: no notice can leave, so
 * each is a task for staff (find or ask for an address) before anything else happens.
 */
export async function unreachableCases(db: Db): Promise<{ id: string; reference: string | null; receivedAt: Date | null }[]> {
  const rows = await db
    .select({ id: requests.id, reference: requests.reference, receivedAt: requests.receivedAt })
    .from(requests)
    .where(
      and(
        isNull(requests.closedAt),
        isNotNull(requests.reference),
        sql`btrim(${requests.contactEmail}) = ''`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(requestIdentifiers)
            .where(and(eq(requestIdentifiers.requestId, requests.id), eq(requestIdentifiers.kind, "postal-address"), sql`btrim(${requestIdentifiers.value}) <> ''`)),
        ),
      ),
    )
    .orderBy(requests.receivedAt);
  return rows;
}
