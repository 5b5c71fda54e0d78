/**
 * A complaint request (Art. 77) ends as "forwarded" once a mail server accepted the mail to the
 * supervisory authority, not when it was queued (ADR 0015): while it waits, and after the outbox
 * gave up on it (8 refusals), the case stays open with no closing day — no retention clock runs —
 * and is back with staff, who send the same mail again to the address configured now (the staff's
 * complaint page, its route module with a real session). Read from the database, with the outbox's
 * own delivery and the job that records accepted complaints.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, complaints, mailOutbox, requests } from "#db/schema";
import { complaintsOfCase, recordComplaintDeliveries } from "#app/server/complaints/delivery.server";
import { fileComplaint, resendFailedComplaint } from "#app/server/complaints/forward.server";
import { MAX_MAIL_ATTEMPTS, deliverMail } from "#app/server/mail/outbox.server";
import { withdrawRequest } from "#app/server/requests/case-actions.server";
import type { Services } from "#app/server/services.server";
import * as beschwerde from "#app/routes/intern/beschwerde";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff, openStaffSession } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
const WRONG = "beschwerden@tlfdi.test";
const RIGHT = "poststelle@tlfdi.test";

let handler: StaffIdentity;
let handlerCookie: string;

beforeAll(async () => {
  ({ services, close } = await createTestServices({
    DEMO_MODE: "false",
    SESSION_SECRET: "complaint-refused-for-good-secret-xyz",
    PUBLIC_URL: testBase,
    TLFDI_COMPLAINT_ADDRESS: RIGHT,
  }));
  handler = await createStaff(db(), "handler-resend", "case-handler", "Hanna Handler");
  handlerCookie = await openStaffSession(db(), services.config, handler.id);
});
afterAll(async () => {
  await close?.();
});

const db = () => services.database.db;
const refusing = {
  send: async () => {
    throw Object.assign(new Error("550 5.1.1 mailbox unavailable"), { responseCode: 550 });
  },
  close() {},
};
const accepting = { send: async () => ({ messageId: "<accepted@tlfdi.test>" }), close() {} };
const requestOf = async (id: string) => (await db().select().from(requests).where(eq(requests.id, id)))[0]!;

async function filedComplaint(reference: string, complaintAddress: string) {
  const [request] = await db()
    .insert(requests)
    .values({
      status: "received",
      kinds: ["beschwerde"],
      channel: "web",
      contactEmail: "erika@example.org",
      reference,
      receivedAt: new Date(),
    })
    .returning();
  const filed = await fileComplaint(
    { db: db(), config: { ...services.config, complaintAddress } },
    { requestId: request!.id, text: "Niemand antwortet mir.", attachCaseFile: false, files: [] },
  );
  if (!filed.ok) throw new Error(filed.reason);
  const [complaint] = await db().select().from(complaints).where(eq(complaints.id, filed.complaintId));
  return { requestId: request!.id, complaint: complaint!, outboxId: complaint!.outboxId! };
}

it("stays open, without a closing day, while the mail waits and after it was refused for good", async () => {
  const { requestId, complaint, outboxId } = await filedComplaint("DSR-2026-980077", WRONG);
  // Queued: nothing is forwarded yet.
  expect(await requestOf(requestId)).toMatchObject({ status: "received", closedAt: null });

  for (let i = 0; i < MAX_MAIL_ATTEMPTS; i++) await deliverMail(db(), refusing, outboxId);
  const [mail] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
  expect(mail!.status).toBe("failed");
  expect(await recordComplaintDeliveries(db())).toBe(0);
  expect(await requestOf(requestId)).toMatchObject({ status: "received", closedAt: null });
  // The person's complaint page says the sending failed, not that it was sent.
  expect(await complaintsOfCase(db(), requestId)).toMatchObject([{ id: complaint.id, state: "failed" }]);
  // The outbox keeps what must be sent again.
  expect(mail!.attachments).not.toEqual([]);
});

const pagePath = (id: string) => `/intern/vorgaenge/${id}/beschwerde`;
const load = (id: string) =>
  outcome(() =>
    beschwerde.loader({
      request: new Request(`${testBase}${pagePath(id)}`, { headers: { Cookie: handlerCookie } }),
      params: { id },
      context: routeContext(services),
    } as never),
  );
const resend = (id: string, complaintId: string) =>
  outcome(() =>
    beschwerde.action({
      request: post(pagePath(id), { intent: "resend", complaintId }, handlerCookie),
      params: { id },
      context: routeContext(services),
    } as never),
  );

it("is back with staff, who send it again to the address configured now; it ends forwarded on the day a server accepted it", async () => {
  const { requestId, complaint, outboxId } = await filedComplaint("DSR-2026-980078", WRONG);

  // Not failed yet: nothing to send again, and the page says it is being sent.
  expect(await resend(requestId, complaint.id)).toMatchObject({
    status: 409,
    data: { resendError: "not-failed" },
  });
  expect(await load(requestId)).toMatchObject({
    data: { caseForwarded: false, forwarded: [{ id: complaint.id, state: "queued", lastError: null }] },
  });
  for (let i = 0; i < MAX_MAIL_ATTEMPTS; i++) await deliverMail(db(), refusing, outboxId);
  // The staff's page names the refusal; the online complaint has no form of its own to forward.
  expect(await load(requestId)).toMatchObject({
    data: {
      caseForwarded: false,
      complaint: { state: "not-applicable" },
      forwarded: [{ id: complaint.id, state: "failed", lastError: "550 5.1.1 mailbox unavailable" }],
    },
  });
  expect(await resend(requestId, complaint.id)).toMatchObject({ status: 302 });
  const [again] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
  expect(again).toMatchObject({ status: "pending", attempts: 0, lastError: null, to: RIGHT });
  const [resent] = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "complaint.resent")));
  expect(resent).toMatchObject({
    actorId: handler.id,
    data: { complaintId: complaint.id, lastError: "550 5.1.1 mailbox unavailable", addressChanged: true },
  });
  expect(await requestOf(requestId)).toMatchObject({ status: "received", closedAt: null });

  expect(await deliverMail(db(), accepting, outboxId)).toBe("sent");
  expect(await recordComplaintDeliveries(db())).toBe(1);
  const [sent] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
  expect(await requestOf(requestId)).toMatchObject({
    status: "forwarded",
    closedAt: sent!.sentAt,
    answeredAt: null,
  });
  expect(await load(requestId)).toMatchObject({
    data: { caseForwarded: true, forwarded: [{ id: complaint.id, state: "sent" }] },
  });
  // Sent, there is nothing to send again.
  expect(await resendFailedComplaint(services, handler, requestId, complaint.id)).toEqual({
    ok: false,
    reason: "not-failed",
  });
});

it("cannot be withdrawn once handed over for sending, may be once refused for good, and is then not sent again", async () => {
  const { requestId, complaint, outboxId } = await filedComplaint("DSR-2026-980079", WRONG);
  // Waiting in the outbox, it goes out whatever the case says after: withdrawing would be untrue.
  expect(await withdrawRequest(services, requestId)).toEqual({ ok: false, reason: "not-changeable" });
  for (let i = 0; i < MAX_MAIL_ATTEMPTS; i++) await deliverMail(db(), refusing, outboxId);
  expect((await withdrawRequest(services, requestId)).ok).toBe(true);
  expect(await requestOf(requestId)).toMatchObject({ status: "withdrawn" });
  expect(await resendFailedComplaint(services, handler, requestId, complaint.id)).toEqual({
    ok: false,
    reason: "case-ended",
  });
  const [mail] = await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
  expect(mail!.status).toBe("failed");
});
