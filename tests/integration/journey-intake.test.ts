import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attachments,
  auditEvents,
  mailOutbox,
  representations,
  requestIdentifiers,
  requests,
  staffUsers,
} from "#db/schema";
import { answerDeadline } from "#app/core/deadline";
import { startOfBerlinDay } from "#app/core/berlin-date";
import { createStaffAccount } from "#app/server/auth/staff-accounts.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import { proveRequest } from "#app/server/requests/prove.server";
import { requestFormSchema } from "#app/server/requests/request-form";
import { submitRequest } from "#app/server/requests/submit.server";
import { deliveryChannelOf, unreachableCases } from "#app/server/print/print-queue.server";
import type { Services } from "#app/server/services.server";
import * as intake from "#app/routes/intern/eingang";
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
    await intake.loader({
      request: new Request("http://portal.test/intern/eingang"),
      params: {},
      context: { services, cspNonce: "" },
    } as never);
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
  const form = intakeSchema.parse({
    channel: "letter",
    receivedOn,
    kinds: ["auskunft", "loeschung"],
    lang: "de",
    email: "brief@example.org",
    name: "Jörg Groß",
  });
  const scan = {
    fileName: "brief.pdf",
    contentType: "application/pdf" as const,
    content: new Blob(["%PDF-1.4 scan"]),
  };
  const created = await intakeRequest(services, { staffId, form, scan });
  expect(created.reference).toMatch(/^DSR-2026-\d{6}$/);
  const [row] = await services.database.db.select().from(requests).where(eq(requests.id, created.requestId));
  expect(row).toMatchObject({ status: "received", channel: "letter", createdByStaffId: staffId });
  expect(row!.receivedAt!.getTime()).toBe(startOfBerlinDay(receivedOn).getTime());
  expect(row!.deadline!.getTime()).toBe(answerDeadline(startOfBerlinDay(receivedOn)).getTime());
  expect(
    await services.database.db.select().from(attachments).where(eq(attachments.requestId, created.requestId)),
  ).toHaveLength(1);
  expect(
    await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, created.requestId)),
  ).toHaveLength(1);
  const events = await services.database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, created.requestId));
  expect(events.map((e) => [e.action, e.actorType, e.actorId])).toEqual([
    ["request.received", "staff", staffId],
  ]);
});

it("refuses a date of receipt in the future and a request without any address", () => {
  const future = intakeSchema.safeParse({
    channel: "fax",
    receivedOn: "2999-01-01",
    kinds: ["auskunft"],
    lang: "de",
    email: "a@example.org",
  });
  expect(future.error?.issues.map((i) => i.path.join("."))).toEqual(["receivedOn"]);
  const nowhere = intakeSchema.safeParse({
    channel: "phone",
    receivedOn: "2026-11-02",
    kinds: ["auskunft"],
    lang: "de",
  });
  expect(nowhere.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["email", "required"]]);
});

describe("filing for someone else (issue 14 point 9)", () => {
  const key = () => `key-${Math.random().toString(36).slice(2)}${"x".repeat(16)}`;

  it("web form: the e-mail proven is the representative's, what is searched is the represented person's", async () => {
    const db = services.database.db;
    const form = requestFormSchema("auskunft").parse({
      submissionKey: key(),
      email: "Eltern.Muster@example.org",
      filingFor: "other",
      representativeRole: "parent",
      representativeName: "Petra Muster",
      representativeAddress: "Gartenweg 2\n99423 Weimar",
      name: "Lena Muster",
      birthDate: "2015-03-01",
      otherEmails: "lena.muster@example.net",
    });
    const filed = await submitRequest(services, { form, lang: "de", clientKey: null });
    if (!filed.ok) throw new Error("refused");
    const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.requestId, filed.requestId));
    expect(mail!.to).toBe("eltern.muster@example.org");
    const proof = await proveRequest(services, {
      requestId: filed.requestId,
      code: /(\d{6})/.exec(mail!.text)![1]!,
    });
    expect(proof.ok).toBe(true);

    const [request] = await db.select().from(requests).where(eq(requests.id, filed.requestId));
    expect(request!.contactEmail).toBe("eltern.muster@example.org");
    const identifiers = await db
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, filed.requestId));
    expect(identifiers.map((i) => [i.kind, i.value]).sort()).toEqual([
      ["birth-date", "2015-03-01"],
      ["email", "lena.muster@example.net"],
      ["name", "Lena Muster"],
    ]);
    // The representative's address is not searched, so nothing is proven by the code: the child's data stay unproven.
    expect(identifiers.every((i) => i.provenAt === null)).toBe(true);
    const [representation] = await db
      .select()
      .from(representations)
      .where(eq(representations.requestId, filed.requestId));
    expect(representation).toMatchObject({
      role: "parent",
      name: "Petra Muster",
      postalAddress: "Gartenweg 2\n99423 Weimar",
    });
    const [submitted] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, filed.requestId), eq(auditEvents.action, "request.submitted")));
    expect(JSON.stringify(submitted!.data)).not.toContain("Muster");
  });

  it("web form: a representative must name their role and themselves, the person, and a child's date of birth", () => {
    const result = requestFormSchema("auskunft").safeParse({
      submissionKey: key(),
      email: "a@example.org",
      filingFor: "other",
    });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message]).sort()).toEqual([
      ["name", "required"],
      ["representativeName", "required"],
      ["representativeRole", "choice"],
    ]);
    const parent = requestFormSchema("auskunft").safeParse({
      submissionKey: key(),
      email: "a@example.org",
      filingFor: "other",
      representativeRole: "parent",
      representativeName: "P",
      name: "Kind",
    });
    expect(parent.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["birthDate", "required"],
    ]);
    // A person's own request needs none of it.
    expect(
      requestFormSchema("auskunft").safeParse({
        submissionKey: key(),
        email: "a@example.org",
        filingFor: "self",
      }).success,
    ).toBe(true);
  });

  it("intake by letter: a Betreuer without e-mail gets every letter at their own address, never the represented person's", async () => {
    const db = services.database.db;
    const [staff] = await db.select().from(staffUsers).limit(1);
    const form = intakeSchema.parse({
      channel: "letter",
      receivedOn: "2026-11-02",
      kinds: ["auskunft"],
      lang: "de",
      name: "Herr Karl Beispiel",
      postalAddress: "Pflegeheim Sonnenhof\nAm Park 1\n07743 Jena",
      birthDate: "1940-02-02",
      filingFor: "other",
      representativeRole: "custodian",
      representativeName: "Betreuungsverein Jena e. V., Frau Lange",
      representativeAddress: "Markt 3\n07743 Jena",
    });
    const created = await intakeRequest(services, { staffId: staff!.id, form, scan: null });
    const channel = await deliveryChannelOf(db, created.requestId);
    expect(channel).toMatchObject({
      kind: "post",
      name: "Betreuungsverein Jena e. V., Frau Lange",
      postalAddress: "Markt 3\n07743 Jena",
    });
    expect((await unreachableCases(db)).map((c) => c.id)).not.toContain(created.requestId);
    const identifiers = await db
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, created.requestId));
    expect(identifiers.map((i) => i.kind).sort()).toEqual(["birth-date", "name", "postal-address"]);

    const nowhere = intakeSchema.safeParse({
      channel: "letter",
      receivedOn: "2026-11-02",
      kinds: ["auskunft"],
      lang: "de",
      name: "X",
      postalAddress: "Weg 1\n99084 Erfurt",
      filingFor: "other",
      representativeRole: "attorney",
      representativeName: "RA Y",
    });
    expect(nowhere.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["representativeAddress", "required"],
    ]);
  });
});
