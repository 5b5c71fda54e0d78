/**
 * Issue 14, point 4: a complaint taken in by staff from a letter ends too. Staff confirm its
 * forwarding on /intern/vorgaenge/:id/beschwerde (the route module, with a real session); the TLfDI
 * gets the letter and the enclosures through the outbox and a real SMTP server, the person a copy
 * (by post without an e-mail address), and once the authority's server accepted the mail the case
 * ends as "forwarded" and the copies the outbox kept — a scanned letter, an identity document — are
 * deleted and the deletion audited. Also: the representative's case page says whom it is for.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments, auditEvents, complaints, mailOutbox, printJobs, requests } from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import { complaintsDe } from "#app/i18n/complaints.de";
import { journeyDe } from "#app/i18n/journey.de";
import * as beschwerde from "#app/routes/intern/beschwerde";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { verifyAuditChain } from "#app/server/audit.server";
import { recordComplaintDeliveries } from "#app/server/complaints/delivery.server";
import { withStagedDocument } from "#app/server/document-files.server";
import { deliverMail } from "#app/server/mail/outbox.server";
import { createMailTransport } from "#app/server/mail/transport.server";
import { findOwnedCase } from "#app/server/requests/case-view.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import type { Services } from "#app/server/services.server";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { flat, pdfText } from "../support/pdf-text";
import { createTestServices } from "../support/services";
import { type TestSmtp, recipients, startTestSmtp } from "../support/smtp";
import { createStaff, openStaffSession } from "../support/staff";

const AUTHORITY = "beschwerden@tlfdi.test";
let smtp: TestSmtp;
let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let handlerCookie: string;
let adminCookie: string;
let dir: string;
const db = () => services.database.db;

beforeAll(async () => {
  smtp = await startTestSmtp();
  ({ services, close } = await createTestServices({
    DEMO_MODE: "false",
    SESSION_SECRET: "complaints-taken-in-secret-complaints",
    SMTP_URL: smtp.url,
    PUBLIC_URL: testBase,
    TLFDI_COMPLAINT_ADDRESS: AUTHORITY,
  }));
  handler = await createStaff(db(), "poststelle", "case-handler");
  handlerCookie = await openStaffSession(db(), services.config, handler.id);
  const admin = await createStaff(db(), "admin", "admin");
  adminCookie = await openStaffSession(db(), services.config, admin.id);
  dir = mkdtempSync(path.join(tmpdir(), "complaints-taken-in-"));
});

afterAll(async () => {
  await close?.();
  await smtp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

// A scanned letter and a copy of an identity card, as the post room receives them.
const scan = Buffer.concat([Buffer.from("%PDF-1.4\n% gescanntes Schreiben\n"), Buffer.alloc(200, 3)]);
const idCard = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(300, 9),
]);
const NOTE = "Der Herr beschwert sich, dass seine Auskunft vom Januar unvollständig war.";

/** A complaint taken in by the real intake, with the scanned letter and (optionally) an identity document sent with it. */
async function takenInComplaint(options: { email?: string; withIdCard?: boolean } = {}) {
  const form = intakeSchema.parse({
    channel: "letter",
    receivedOn: berlinDayOf(new Date(Date.now() - 2 * 86_400_000)),
    kinds: ["beschwerde"],
    lang: "de",
    name: "Jürgen Weiß",
    postalAddress: "Anger 1\n99084 Erfurt",
    note: NOTE,
    ...(options.email ? { email: options.email } : {}),
  });
  const created = await intakeRequest(services, {
    staffId: handler.id,
    form,
    scan: { fileName: "schreiben.pdf", contentType: "application/pdf", content: new Blob([scan]) },
  });
  if (options.withIdCard) {
    // A second document staff added to the case, stored as the portal stores every document.
    await withStagedDocument(services, new Blob([idCard]), (staged) =>
      db().transaction(async (tx) => {
        await staged!.place(tx);
        await tx.insert(attachments).values({
          requestId: created.requestId,
          fileName: "personalausweis.png",
          contentType: "image/png",
          size: staged!.size,
          sha256: staged!.sha256,
          uploadedBy: `staff:${handler.id}`,
        });
      }),
    );
  }
  return created;
}

const pagePath = (id: string) => `/intern/vorgaenge/${id}/beschwerde`;
const load = (id: string, cookie = handlerCookie) =>
  outcome(() =>
    beschwerde.loader({
      request: new Request(`${testBase}${pagePath(id)}`, { headers: { Cookie: cookie } }),
      params: { id },
      context: routeContext(services),
    } as never),
  );
const forward = (id: string, fields: Record<string, string>, cookie = handlerCookie) =>
  outcome(() =>
    beschwerde.action({
      request: post(pagePath(id), fields, cookie),
      params: { id },
      context: routeContext(services),
    } as never),
  );

type StoredAttachment = { fileName: string; contentType: string; base64: string };

describe("a complaint taken in from a letter", () => {
  it("is forwarded when staff confirm: the TLfDI gets the letter and its enclosures, the person a printed copy, the case ends as forwarded", async () => {
    const { requestId, reference } = await takenInComplaint({ withIdCard: true });
    const [before] = await db().select().from(requests).where(eq(requests.id, requestId));
    expect(before!.status).toBe("received");

    const page = await load(requestId);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      reference,
      complaint: {
        state: "open",
        note: NOTE,
        enclosures: [{ fileName: "schreiben.pdf" }, { fileName: "personalausweis.png" }],
      },
    });

    // Without the person's choice about the case file nothing goes, and what was typed comes back.
    const noChoice = await forward(requestId, { text: "Auskunft unvollständig." });
    expect(noChoice).toMatchObject({
      status: 400,
      data: {
        result: { error: { attachCaseFile: ["choice"] }, initialValue: { text: "Auskunft unvollständig." } },
      },
    });
    expect(await forward(requestId, { text: "   ", attachCaseFile: "no" })).toMatchObject({
      status: 400,
      data: { result: { error: { text: ["required"] } } },
    });
    // Staff without the permission to propose are refused before anything is read.
    expect((await forward(requestId, { text: NOTE, attachCaseFile: "no" }, adminCookie)).status).toBe(403);
    expect(await db().select().from(complaints).where(eq(complaints.requestId, requestId))).toEqual([]);

    const done = await forward(requestId, { text: NOTE, attachCaseFile: "no" });
    expect(done).toMatchObject({ status: 302, location: pagePath(requestId) });

    const [complaint] = await db().select().from(complaints).where(eq(complaints.requestId, requestId));
    expect(complaint).toMatchObject({ text: NOTE, attachCaseFile: false, copyOutboxId: null });
    // The authority's mail: the letter, then the scanned letter and the identity document as the person's enclosures.
    const outbox = await db().select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId));
    expect(outbox.map((m) => m.to)).toEqual([AUTHORITY]);
    const mail = outbox[0]!;
    expect(mail.id).toBe(complaint!.outboxId);
    const stored = mail.attachments as StoredAttachment[];
    expect(stored.map((a) => a.fileName)).toEqual([
      `Beschwerde-${reference}.pdf`,
      "schreiben.pdf",
      "personalausweis.png",
    ]);
    expect(mail.text).toContain("Eingangsweg: Brief");
    const letter = flat(pdfText(Buffer.from(stored[0]!.base64, "base64")));
    expect(letter).toContain(
      complaintsDe.letter
        .introTakenIn("Brief", journeyDe.formatDate(before!.receivedAt!))
        .replace(/\s+/g, " "),
    );
    expect(letter).toContain(NOTE);
    expect(letter).toContain("schreiben.pdf");
    expect(letter).not.toContain("(bestätigt)");

    // The person wrote by post: the copy is a letter in the print queue, never a mail to "".
    const jobs = await db().select().from(printJobs).where(eq(printJobs.requestId, requestId));
    expect(jobs.map((j) => j.subject)).toEqual([complaintsDe.mail.copySubject(reference)]);
    const copy = flat(pdfText(jobs[0]!.pdf));
    expect(copy).toContain("Jürgen Weiß");
    expect(copy).toContain(NOTE);
    expect(copy).toContain("Die Behörde meldet sich direkt bei Ihnen.");

    // Queued, nothing is forwarded yet: the case is open and has no closing day (ADR 0015).
    const [queuedCase] = await db().select().from(requests).where(eq(requests.id, requestId));
    expect(queuedCase).toMatchObject({ status: "received", closedAt: null });
    const transport = createMailTransport({
      smtpUrl: smtp.url,
      dataDir: dir,
      mailFrom: "portal@tlrz.example",
    });
    try {
      expect(await deliverMail(db(), transport, complaint!.outboxId!)).toBe("sent");
    } finally {
      transport.close();
    }
    expect(await recordComplaintDeliveries(db())).toBe(1);
    // Accepted by the authority's server, the case ends as forwarded: closed, but not "answered" —
    // the TLfDI answers, not we.
    const [after] = await db().select().from(requests).where(eq(requests.id, requestId));
    expect(after).toMatchObject({ status: "forwarded", answeredAt: null });
    expect(after!.closedAt).not.toBeNull();
    const events = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, requestId))
      .orderBy(asc(auditEvents.seq));
    expect(events.find((e) => e.action === "complaint.forwarded")).toMatchObject({
      actorType: "staff",
      actorId: handler.id,
      data: { complaintId: complaint!.id, personFiles: 2, copyPrintJobId: jobs[0]!.id },
    });
    expect(events.find((e) => e.action === "request.closed")).toMatchObject({
      data: { status: "forwarded" },
    });

    // The page now says who answers; a second confirmation forwards nothing and is audited as refused.
    expect(await load(requestId)).toMatchObject({
      status: 200,
      data: { complaint: { state: "forwarded" }, forwarded: [{ id: complaint!.id, state: "sent" }] },
    });
    expect(await forward(requestId, { text: NOTE, attachCaseFile: "no" })).toMatchObject({
      status: 409,
      data: { result: { error: { "": ["already-forwarded"] } } },
    });
    expect(await db().select().from(complaints).where(eq(complaints.requestId, requestId))).toHaveLength(1);
    const [refused] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "staff.refused")));
    expect(refused).toMatchObject({ actorId: handler.id, reason: "already-forwarded" });
  });

  it("deletes the copies the outbox kept once the authority's server accepted the mail, and audits what it deleted", async () => {
    const { requestId, reference } = await takenInComplaint({ withIdCard: true });
    expect((await forward(requestId, { text: NOTE, attachCaseFile: "no" })).status).toBe(302);
    const [complaint] = await db().select().from(complaints).where(eq(complaints.requestId, requestId));
    const outboxId = complaint!.outboxId!;
    const [queued] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
    const letterBytes = Buffer.from((queued!.attachments as StoredAttachment[])[0]!.base64, "base64");

    // Not yet sent: the copies stay, they are what will be sent.
    await recordComplaintDeliveries(db());
    const [waiting] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
    expect(waiting!.attachments as StoredAttachment[]).toHaveLength(3);

    const transport = createMailTransport({
      smtpUrl: smtp.url,
      dataDir: dir,
      mailFrom: "portal@tlrz.example",
    });
    try {
      expect(await deliverMail(db(), transport, outboxId)).toBe("sent");
    } finally {
      transport.close();
    }
    // The authority received the identity document as it was.
    const received = await smtp.waitFor(
      (m) => recipients(m).includes(AUTHORITY) && (m.subject ?? "").includes(reference),
    );
    expect(received.attachments.map((a) => a.filename)).toEqual([
      `Beschwerde-${reference}.pdf`,
      "schreiben.pdf",
      "personalausweis.png",
    ]);
    expect(sha256(received.attachments[2]!.content)).toBe(sha256(idCard));

    expect(await recordComplaintDeliveries(db())).toBe(1);
    const [sent] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
    // The row stays as the record of the sending; the copies are gone.
    expect(sent).toMatchObject({ status: "sent", attachments: [] });
    expect(JSON.stringify(sent)).not.toContain(idCard.toString("base64"));
    const [deleted] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "complaint.copies-deleted")));
    expect(deleted).toMatchObject({
      actorType: "system",
      data: {
        complaintId: complaint!.id,
        outboxId,
        deletedCopies: [
          { contentType: "application/pdf", size: letterBytes.length, sha256: sha256(letterBytes) },
          { contentType: "application/pdf", size: scan.length, sha256: sha256(scan) },
          { contentType: "image/png", size: idCard.length, sha256: sha256(idCard) },
        ],
      },
    });
    // Neither names nor contents in the audit trail.
    expect(JSON.stringify(deleted!.data)).not.toContain("personalausweis");
    // Recorded once: a second run finds nothing new and deletes nothing twice.
    expect(await recordComplaintDeliveries(db())).toBe(0);
    expect(
      await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "complaint.copies-deleted"))),
    ).toHaveLength(1);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it("with an e-mail address and the person's consent: the copy goes by mail, the case file rides along, the scanned letter once", async () => {
    const email = "weiss@example.org";
    const { requestId, reference } = await takenInComplaint({ email });
    expect((await forward(requestId, { text: NOTE, attachCaseFile: "yes" })).status).toBe(302);
    const outbox = await db()
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.requestId, requestId))
      .orderBy(asc(mailOutbox.createdAt));
    const toAuthority = outbox.find((m) => m.to === AUTHORITY)!;
    expect((toAuthority.attachments as StoredAttachment[]).map((a) => a.fileName)).toEqual([
      `Beschwerde-${reference}.pdf`,
      `Vorgangsakte-${reference}.pdf`,
      "schreiben.pdf",
    ]);
    // The intake's acknowledgment and the complaint's copy, both by mail.
    const copy = outbox.find(
      (m) => m.to === email && m.subject === complaintsDe.mail.copySubject(reference),
    )!;
    expect(copy).toBeDefined();
    expect(await db().select().from(printJobs).where(eq(printJobs.requestId, requestId))).toEqual([]);
    const [complaint] = await db().select().from(complaints).where(eq(complaints.requestId, requestId));
    expect(complaint).toMatchObject({ attachCaseFile: true, copyOutboxId: copy.id });
    // Queued, not yet accepted by a mail server: the case is not forwarded yet.
    expect((await db().select().from(requests).where(eq(requests.id, requestId)))[0]!.status).toBe(
      "received",
    );
  });

  it("is offered only for a complaint staff took in: a web request or another kind is refused with 409", async () => {
    const [web] = await db()
      .insert(requests)
      .values({
        status: "received",
        kinds: ["beschwerde"],
        channel: "web",
        contactEmail: "web@example.org",
        reference: "DSR-2026-970001",
        receivedAt: new Date(),
      })
      .returning();
    expect(await load(web!.id)).toMatchObject({
      status: 200,
      data: { complaint: { state: "not-applicable" } },
    });
    expect(await forward(web!.id, { text: NOTE, attachCaseFile: "no" })).toMatchObject({
      status: 409,
      data: { result: { error: { "": ["not-a-taken-in-complaint"] } } },
    });
    expect(await db().select().from(complaints).where(eq(complaints.requestId, web!.id))).toEqual([]);
    // An unknown case is a 404, as on the case page.
    expect((await load("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});

describe("a request filed by a representative", () => {
  it("says on the case page whom it is for", async () => {
    const email = "mutter@example.org";
    const form = intakeSchema.parse({
      channel: "letter",
      receivedOn: berlinDayOf(new Date()),
      kinds: ["auskunft"],
      lang: "de",
      email,
      name: "Lena Kind",
      birthDate: "2015-03-04",
      filingFor: "other",
      representativeRole: "parent",
      representativeName: "Maria Kind",
    });
    const { reference } = await intakeRequest(services, {
      staffId: handler.id,
      form,
      scan: null,
    });
    const view = await findOwnedCase(services, [email], reference);
    expect(view!.filedFor).toEqual({ name: "Lena Kind", role: "parent" });

    const own = intakeSchema.parse({
      channel: "letter",
      receivedOn: berlinDayOf(new Date()),
      kinds: ["auskunft"],
      lang: "de",
      email: "selbst@example.org",
    });
    const mine = await intakeRequest(services, { staffId: handler.id, form: own, scan: null });
    expect((await findOwnedCase(services, ["selbst@example.org"], mine.reference))!.filedFor).toBeNull();
  });
});
