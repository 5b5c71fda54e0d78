import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { attachments, auditEvents, mailOutbox, requests } from "../../db/schema";
import { answerDeadline } from "../../app/core/deadline";
import { startOfBerlinDay } from "../../app/core/berlin-date";
import { createStaffAccount } from "../../app/server/auth/staff-accounts.server";
import { journeyDeps } from "../../app/server/requests/deps.server";
import { intakeRequest, intakeSchema } from "../../app/server/requests/intake.server";
import type { Services } from "../../app/server/services.server";
import * as intake from "../../app/routes/intern/eingang";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
});

afterAll(() => close?.());

it("sends anonymous visitors of the intake to the staff sign-in", async () => {
  let thrown: unknown;
  try {
    await intake.loader({ request: new Request("http://portal.test/intern/eingang"), params: {}, context: { services, cspNonce: "" } } as never);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Response);
  expect((thrown as Response).status).toBe(302);
  expect((thrown as Response).headers.get("Location")).toMatch(/^\/intern\/anmelden/);
});

it("records a letter with its real date of receipt, deadline, scan and acknowledgment", async () => {
  const staffId = await createStaffAccount(services.database.db, {
    userName: "intake-test",
    displayName: "Intake Test",
    email: "intake@tlrz.example",
    password: "a-long-enough-password-123",
    totpSecret: "JBSWY3DPEHPK3PXP",
    roles: ["case-handler"],
  });
  const receivedOn = "2026-10-30";
  const form = intakeSchema.parse({ channel: "letter", receivedOn, kinds: ["auskunft", "loeschung"], lang: "de", email: "brief@example.org", name: "Jörg Groß" });
  const scan = { fileName: "brief.pdf", contentType: "application/pdf" as const, content: Buffer.from("%PDF-1.4 scan") };
  const created = await intakeRequest(journeyDeps(services), { staffId, form, scan });
  expect(created.reference).toMatch(/^DSR-2026-\d{6}$/);
  const [row] = await services.database.db.select().from(requests).where(eq(requests.id, created.requestId));
  expect(row).toMatchObject({ status: "received", channel: "letter", createdByStaffId: staffId });
  expect(row!.receivedAt!.getTime()).toBe(startOfBerlinDay(receivedOn).getTime());
  expect(row!.deadline!.getTime()).toBe(answerDeadline(startOfBerlinDay(receivedOn)).getTime());
  expect(await services.database.db.select().from(attachments).where(eq(attachments.requestId, created.requestId))).toHaveLength(1);
  expect(await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, created.requestId))).toHaveLength(1);
  const events = await services.database.db.select().from(auditEvents).where(eq(auditEvents.requestId, created.requestId));
  expect(events.map((e) => [e.action, e.actorType, e.actorId])).toEqual([["request.received", "staff", staffId]]);
});

it("refuses a date of receipt in the future and a request without any address", () => {
  const future = intakeSchema.safeParse({ channel: "fax", receivedOn: "2999-01-01", kinds: ["auskunft"], lang: "de", email: "a@example.org" });
  expect(future.error?.issues.map((i) => i.path.join("."))).toEqual(["receivedOn"]);
  const nowhere = intakeSchema.safeParse({ channel: "phone", receivedOn: "2026-11-02", kinds: ["auskunft"], lang: "de" });
  expect(nowhere.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["email", "required"]]);
});
