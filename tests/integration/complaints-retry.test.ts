import { eq } from "drizzle-orm";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, complaints, mailOutbox, requests } from "#db/schema";
import { recordComplaintDeliveries } from "#app/server/complaints/delivery.server";
import { fileComplaint } from "#app/server/complaints/forward.server";
import { deliverMail, deliverPendingMail } from "#app/server/mail/outbox.server";
import { createMailTransport } from "#app/server/mail/transport.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";

/**
 * A mail server that first refuses the authority's address, then the message itself, and only then
 * accepts it: the complaint stays in the outbox, is retried, and is delivered once.
 */
const AUTHORITY = "beschwerden@tlfdi.test";
let services: Services;
let close: () => Promise<void>;
let server: SMTPServer;
let url: string;
const received: ParsedMail[] = [];
let refuseRecipient = true;
let refuseData = true;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuseRecipient && address.address === AUTHORITY)
        return callback(Object.assign(new Error("mailbox temporarily unavailable"), { responseCode: 450 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (refuseData) return callback(Object.assign(new Error("try again later"), { responseCode: 451 }));
          received.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as { port: number }).port)),
  );
  url = `smtp://127.0.0.1:${port}`;
  ({ services, close } = await createTestServices({
    DEMO_MODE: "false",
    SMTP_URL: url,
    SESSION_SECRET: "complaints-retry-secret-complaints-retry",
  }));
});

afterAll(async () => {
  await close?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it("keeps a refused complaint in the outbox, retries it and records the delivery once it is accepted", async () => {
  const db = services.database.db;
  const [request] = await db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "retry@example.org",
      reference: "DSR-2026-980001",
      receivedAt: new Date(),
    })
    .returning();
  const filed = await fileComplaint(
    { db, config: { ...services.config, publicUrl: "http://portal.test", complaintAddress: AUTHORITY } },
    { requestId: request!.id, text: "Niemand antwortet mir.", attachCaseFile: false, files: [] },
  );
  expect(filed.ok).toBe(true);
  if (!filed.ok) return;
  const [complaint] = await db.select().from(complaints).where(eq(complaints.id, filed.complaintId));
  const transport = createMailTransport({
    smtpUrl: url,
    dataDir: "/nonexistent",
    mailFrom: "portal@example.org",
  });
  try {
    expect(await deliverMail(db, transport, complaint!.outboxId!)).toBe("retry");
    let [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, complaint!.outboxId!));
    expect(row).toMatchObject({ status: "pending", attempts: 1, messageId: null, sentAt: null });
    expect(row!.lastError).toMatch(/450/);

    refuseRecipient = false;
    expect(await deliverMail(db, transport, complaint!.outboxId!)).toBe("retry");
    [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, complaint!.outboxId!));
    expect(row).toMatchObject({ status: "pending", attempts: 2 });
    expect(row!.lastError).toMatch(/451/);
    expect(await recordComplaintDeliveries(db)).toBe(0);

    refuseData = false;
    // The sweep picks it up like any message still waiting (the person's copy goes with it).
    expect(await deliverPendingMail(db, () => transport)).toBe(2);
    [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, complaint!.outboxId!));
    expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
    const toAuthority = received.filter(
      (mail) =>
        (mail.subject ?? "").includes("DSR-2026-980001") &&
        mail.to &&
        JSON.stringify(mail.to).includes(AUTHORITY),
    );
    expect(toAuthority).toHaveLength(1);
    expect(row!.messageId).toBe(toAuthority[0]!.messageId);
    expect(toAuthority[0]!.attachments.map((a) => a.filename)).toEqual(["Beschwerde-DSR-2026-980001.pdf"]);

    expect(await recordComplaintDeliveries(db)).toBe(1);
    const [sent] = await db.select().from(auditEvents).where(eq(auditEvents.action, "complaint.sent"));
    expect(sent).toMatchObject({
      requestId: request!.id,
      data: { complaintId: complaint!.id, messageId: row!.messageId, sentAt: row!.sentAt!.toISOString() },
    });
  } finally {
    transport.close();
  }
});
