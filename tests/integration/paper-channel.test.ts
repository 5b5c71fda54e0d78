/**
 * Every person is reached on the channel they used (issue 14, point 3): a request entered by staff
 * from a letter with only a postal address gets every notice as a DIN 5008 letter in the print queue,
 * never an outbox row with an empty address; a request with e-mail still gets mail; the dispatch day
 * is recorded and audited; a case with neither address refuses the notice and shows as a staff task.
 * Letters are read as the person reads them (pdftotext).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, mailOutbox, printJobs, requestIdentifiers, requests } from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import type { Permission } from "#app/core/permissions";
import * as druck from "#app/routes/intern/druck";
import * as druckBrief from "#app/routes/intern/druck-brief";
import * as vorgang from "#app/routes/intern/vorgang";
import { forwardPendingComplaints, recordPendingComplaint } from "#app/server/complaints/forward.server";
import { decideActivity } from "#app/server/execution/decisions.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { extendDeadline, refuseRequest } from "#app/server/cases/deadline-decisions.server";
import { queueConfirmation } from "#app/server/execution/confirmation.server";
import { executionEnv } from "#app/server/execution/env.server";
import { queueMail, UndeliverableNoticeError } from "#app/server/mail/outbox.server";
import {
  dataMediumPassword,
  paperAnswers,
  prepareDataMedium,
  printJobsOf,
  recordDispatch,
  unreachableCases,
} from "#app/server/print/print-queue.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import { queueAcknowledgmentMail, queueWithdrawnMail } from "#app/server/requests/mails.server";
import type { Services } from "#app/server/services.server";
import { outcome, post, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { flat, pdfText } from "../support/pdf-text";
import { releasedAnswer } from "../support/cases";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let staff: StaffIdentity;
let cookie: string;
let handlerCookie: string;
let handlerId: string;
const REASONS = "Der Antrag umfasst Daten aus acht Systemen, darunter 40 000 Protokollzeilen.";
// A real-world address: umlauts, a c/o line, a house number with a letter, a Polish name.
const ADDRESS = "c/o Müller\nGroße Straße 12a\n99084 Erfurt";
const NAME = "Łukasz Dvořák";

const db = () => services.database.db;

/** A request taken in by staff from a letter: the real intake, with or without an e-mail address. */
async function letterCase(options: { email?: string; postalAddress?: string; daysAgo?: number } = {}) {
  const receivedOn = berlinDayOf(new Date(Date.now() - (options.daysAgo ?? 3) * 86_400_000));
  const form = intakeSchema.parse({
    channel: "letter",
    receivedOn,
    kinds: ["auskunft"],
    lang: "de",
    name: NAME,
    ...(options.email ? { email: options.email } : {}),
    postalAddress: options.postalAddress ?? ADDRESS,
  });
  const { requestId, reference } = await intakeRequest(services, {
    staffId: staff.id,
    form,
    scan: null,
  });
  const [row] = await db().select().from(requests).where(eq(requests.id, requestId));
  return { id: requestId, reference, row: row! };
}

const outboxOf = (requestId: string) =>
  db().select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId));
const jobsOf = (requestId: string) =>
  db().select().from(printJobs).where(eq(printJobs.requestId, requestId)).orderBy(printJobs.createdAt);

/** The letter holds the address from the request, the reference and the words of the mail. */
async function expectLetter(requestId: string, reference: string, subject: string, words: string[]) {
  const jobs = await jobsOf(requestId);
  const job = jobs.find((j) => j.subject === subject);
  expect(job, subject).toBeDefined();
  expect(job!.status).toBe("waiting");
  const text = pdfText(job!.pdf);
  const lines = text.split("\n").map((l) => l.trim());
  // The address field: name, then the address lines as given, in order.
  const at = lines.indexOf(NAME);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(lines.slice(at + 1, at + 4)).toEqual(["c/o Müller", "Große Straße 12a", "99084 Erfurt"]);
  expect(text).toContain(reference);
  expect(flat(text)).toContain(flat(subject));
  for (const word of words) expect(flat(text)).toContain(flat(word));
  expect(text).toMatch(/Seite 1 von \d/);
  // Nothing went to an empty address, nothing at all to the outbox for this person.
  expect(await outboxOf(requestId)).toEqual([]);
  return job!;
}

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  staff = await createStaff(db(), "dpo", "dpo", "DPO");
  cookie = await staffSessionCookie(services, staff.id);
  handlerId = (await createStaff(db(), "post", "case-handler", "Poststelle")).id;
  handlerCookie = await staffSessionCookie(services, handlerId);
});
afterAll(async () => {
  await close();
});

describe("a request by letter with only a postal address", () => {
  it("is acknowledged by nobody's mail at intake, and the acknowledgment, if queued, becomes a letter with its receipt enclosed", async () => {
    const c = await letterCase();
    expect(c.row.contactEmail).toBe("");
    expect(await outboxOf(c.id)).toEqual([]);
    await db().transaction((tx) =>
      queueAcknowledgmentMail(tx, {
        requestId: c.id,
        to: c.row.contactEmail,
        lang: "de",
        reference: c.reference,
        kinds: ["auskunft"],
        receivedAt: c.row.receivedAt!,
        deadline: c.row.deadline!,
        publicUrl: testBase,
      }),
    );
    const [queued] = await jobsOf(c.id);
    const job = await expectLetter(c.id, c.reference, queued!.subject, [c.reference]);
    expect((job.enclosures as { fileName: string }[]).map((e) => e.fileName)).toHaveLength(1);
  });

  it("gets the extension (Art. 12(3)) as a letter with the reasons and both rights, and no mail", async () => {
    const c = await letterCase();
    const result = await extendDeadline(db(), staff, {
      requestId: c.id,
      months: 2,
      reasons: REASONS,
      publicUrl: testBase,
    });
    expect(result.ok).toBe(true);
    const [job] = await jobsOf(c.id);
    await expectLetter(c.id, c.reference, job!.subject, [
      REASONS,
      "Art. 12 Abs. 3",
      "Rechtsbehelfsbelehrung",
    ]);
    // The id handed back is the print job's: the mail sender finds nothing to send under it.
    expect(result.ok && result.outboxId).toBe(job!.id);
  });

  it("gets the refusal (Art. 12(5)) as a letter with the reasons and both rights", async () => {
    const c = await letterCase();
    const result = await refuseRequest(db(), staff, {
      requestId: c.id,
      ground: "excessive",
      reasons: REASONS,
      publicUrl: testBase,
    });
    expect(result.ok).toBe(true);
    const [job] = await jobsOf(c.id);
    await expectLetter(c.id, c.reference, job!.subject, [REASONS, "Rechtsbehelfsbelehrung"]);
  });

  it("gets the withdrawal confirmation, the execution confirmation and the answer notice as letters", async () => {
    const c = await letterCase();
    await db().transaction((tx) =>
      queueWithdrawnMail(tx, { requestId: c.id, to: c.row.contactEmail, lang: "de", reference: c.reference }),
    );
    const env = await executionEnv({ db: db(), config: services.config, sources: services.sources });
    await db().transaction((tx) => queueConfirmation(tx, env, c.row));
    // The release notice and every other notice go through queueMail with the request's address.
    await db().transaction((tx) =>
      queueMail(tx, {
        requestId: c.id,
        to: c.row.contactEmail,
        subject: `Ihre Auskunft ${c.reference}`,
        text: "Guten Tag,\n\nIhre Auskunft liegt bei.\n\nMit freundlichen Grüßen",
      }),
    );
    const jobs = await jobsOf(c.id);
    expect(jobs).toHaveLength(3);
    for (const job of jobs) await expectLetter(c.id, c.reference, job.subject, [c.reference]);
  });

  it("is shown as waiting until staff record the dispatch day, which is audited and checked", async () => {
    const c = await letterCase();
    await extendDeadline(db(), staff, { requestId: c.id, months: 1, reasons: REASONS, publicUrl: testBase });
    const [job] = await jobsOf(c.id);
    expect((await printJobsOf(db(), c.id)).map((j) => j.status)).toEqual(["waiting"]);

    // The page lists it as waiting; the PDF downloads and the download is recorded.
    const page = await outcome(() =>
      druck.loader({
        request: new Request(`${testBase}/intern/druck`, { headers: { Cookie: cookie } }),
        params: {},
        context: routeContext(services),
      } as never),
    );
    const listed = page.data as { waiting: { id: string }[]; dispatched: { id: string }[] };
    expect(listed.waiting.map((w) => w.id)).toContain(job!.id);
    const download = (await druckBrief.loader({
      request: new Request(`${testBase}/intern/druck/${job!.id}`, { headers: { Cookie: cookie } }),
      params: { id: job!.id },
      context: routeContext(services),
    } as never)) as Response;
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(pdfText(new Uint8Array(await download.arrayBuffer()))).toContain(c.reference);

    // Not in the future, not before the letter existed.
    const tomorrow = berlinDayOf(new Date(Date.now() + 86_400_000));
    expect(await recordDispatch(db(), { id: job!.id, staffId: staff.id, day: tomorrow })).toEqual({
      ok: false,
      reason: "bad-day",
    });
    expect(await recordDispatch(db(), { id: job!.id, staffId: staff.id, day: "2020-01-01" })).toEqual({
      ok: false,
      reason: "bad-day",
    });
    expect(await recordDispatch(db(), { id: job!.id, staffId: staff.id, day: "not a day" })).toEqual({
      ok: false,
      reason: "bad-day",
    });
    expect((await jobsOf(c.id))[0]!.status).toBe("waiting");

    const today = berlinDayOf(new Date());
    const dispatch = (as: string) => {
      const request = post("/intern/druck", { printJobId: job!.id, dispatchedOn: today }, as);
      const headers = new Headers(request.headers);
      headers.set("Origin", testBase);
      return outcome(() =>
        druck.action({
          request: new Request(request, { headers }),
          params: {},
          context: routeContext(services),
        } as never),
      );
    };
    // The DPO reads the queue; posting letters is the post room's (intake) work.
    expect((await dispatch(cookie)).status).not.toBe(200);
    expect((await jobsOf(c.id))[0]!.status).toBe("waiting");
    expect((await dispatch(handlerCookie)).data).toMatchObject({ ok: true });
    const [after] = await jobsOf(c.id);
    expect(after).toMatchObject({ status: "dispatched", dispatchedOn: today, dispatchedBy: handlerId });
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, c.id), eq(auditEvents.action, "notice.dispatched")));
    expect(events.map((e) => e.data)).toEqual([{ printJobId: job!.id, dispatchedOn: today }]);
    expect(
      (
        await db()
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.requestId, c.id), eq(auditEvents.action, "print.downloaded")))
      ).length,
    ).toBe(1);
    // Once only.
    expect(await recordDispatch(db(), { id: job!.id, staffId: staff.id, day: today })).toEqual({
      ok: false,
      reason: "already-dispatched",
    });
  });
});

describe("the answer on paper (ADR 0009)", () => {
  it("puts the password of the encrypted data medium in a letter of its own, once, only for a released answer by post", async () => {
    const c = await letterCase();
    const secret = services.config.sessionSecret;
    expect(await prepareDataMedium(db(), { requestId: c.id, staffId: staff.id, secret })).toEqual({
      ok: false,
      reason: "no-answer",
    });
    const answeredAt = new Date();
    await releasedAnswer(db(), { requestId: c.id, staffId: staff.id, answeredAt });
    expect((await paperAnswers(db())).find((a) => a.requestId === c.id)).toMatchObject({
      passwordJobId: null,
    });

    const prepared = await prepareDataMedium(db(), { requestId: c.id, staffId: staff.id, secret });
    expect(prepared.ok).toBe(true);
    const jobId = prepared.ok ? prepared.printJobId : "";
    const [job] = await jobsOf(c.id);
    expect(job).toMatchObject({ id: jobId, purpose: "data-password", status: "waiting" });
    const password = dataMediumPassword(secret, c.id, jobId);
    expect(password).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){4}$/);
    await expectLetter(c.id, c.reference, job!.subject, [password, "getrennt vom Datenträger"]);
    // The password is derived again from the letter, and a second call gives the same letter.
    expect(dataMediumPassword(secret, c.id, jobId)).toBe(password);
    expect(await prepareDataMedium(db(), { requestId: c.id, staffId: staff.id, secret })).toEqual({
      ok: true,
      printJobId: jobId,
    });
    expect(await jobsOf(c.id)).toHaveLength(1);
    expect((await paperAnswers(db())).find((a) => a.requestId === c.id)).toMatchObject({
      passwordJobId: jobId,
    });

    // A person with an e-mail address gets the encrypted download online, not a medium.
    const online = await letterCase({ email: "online@example.org" });
    await db().update(requests).set({ answeredAt }).where(eq(requests.id, online.id));
    expect(await prepareDataMedium(db(), { requestId: online.id, staffId: staff.id, secret })).toEqual({
      ok: false,
      reason: "not-by-post",
    });
  });
});

describe("a request by letter that also gave an e-mail address", () => {
  it("still gets its notices by mail, and nothing in the print queue", async () => {
    const c = await letterCase({ email: "Person.Brief@Example.org" });
    const result = await extendDeadline(db(), staff, {
      requestId: c.id,
      months: 2,
      reasons: REASONS,
      publicUrl: testBase,
    });
    expect(result.ok).toBe(true);
    const mails = await outboxOf(c.id);
    // The acknowledgment at intake and the extension.
    expect(mails.map((m) => m.to)).toEqual(["person.brief@example.org", "person.brief@example.org"]);
    expect(await jobsOf(c.id)).toEqual([]);
  });
});

describe("bad input", () => {
  it("refuses any notice to an empty or malformed address; nothing is queued", async () => {
    const c = await letterCase({ email: "someone@example.org" });
    await expect(
      db().transaction((tx) => queueMail(tx, { requestId: null, to: "", subject: "s", text: "t" })),
    ).rejects.toBeInstanceOf(UndeliverableNoticeError);
    for (const to of ["a@b.example\nBcc: x@y.example", "a@b.example, c@d.example", "no address"]) {
      await expect(
        db().transaction((tx) => queueMail(tx, { requestId: c.id, to, subject: "s", text: "t" })),
      ).rejects.toMatchObject({ reason: "invalid-address" });
    }
    // A request with an e-mail address handed over blank is a caller's mistake, not a letter.
    await expect(
      db().transaction((tx) => queueMail(tx, { requestId: c.id, to: " ", subject: "s", text: "t" })),
    ).rejects.toMatchObject({ reason: "address-mismatch" });
    expect((await outboxOf(c.id)).map((m) => m.to)).toEqual(["someone@example.org"]);
    expect(await jobsOf(c.id)).toEqual([]);
  });

  it("stops a notice to a person with neither e-mail nor postal address: the extension is not recorded and the case is a staff task", async () => {
    const c = await letterCase();
    // The only address turns out wrong and is removed: nothing is left to reach the person.
    await db()
      .delete(requestIdentifiers)
      .where(and(eq(requestIdentifiers.requestId, c.id), eq(requestIdentifiers.kind, "postal-address")));
    await expect(
      extendDeadline(db(), staff, { requestId: c.id, months: 2, reasons: REASONS, publicUrl: testBase }),
    ).rejects.toMatchObject({ name: "UndeliverableNoticeError", reason: "no-address" });
    const [row] = await db().select().from(requests).where(eq(requests.id, c.id));
    expect(row!.extendedDeadline).toBeNull();
    expect(await outboxOf(c.id)).toEqual([]);
    expect(await jobsOf(c.id)).toEqual([]);
    expect(
      await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, c.id), eq(auditEvents.action, "request.deadline-extended"))),
    ).toEqual([]);

    expect((await unreachableCases(db())).map((u) => u.id)).toContain(c.id);
    const page = await outcome(() =>
      druck.loader({
        request: new Request(`${testBase}/intern/druck`, { headers: { Cookie: cookie } }),
        params: {},
        context: routeContext(services),
      } as never),
    );
    expect(
      (page.data as { unreachable: { reference: string }[] }).unreachable.map((u) => u.reference),
    ).toContain(c.reference);
    // Cases that can be reached are no task.
    const reachable = await letterCase();
    expect((await unreachableCases(db())).map((u) => u.id)).not.toContain(reachable.id);
  });
});

describe("the dispatch day is the day the person was told", () => {
  it("keeps an extension whose letter went out in the first month, and lets it lapse when the letter went out later", async () => {
    const inTime = await letterCase({ daysAgo: 3 });
    await extendDeadline(db(), staff, {
      requestId: inTime.id,
      months: 1,
      reasons: REASONS,
      publicUrl: testBase,
    });
    const [job] = await jobsOf(inTime.id);
    expect(
      (await recordDispatch(db(), { id: job!.id, staffId: handlerId, day: berlinDayOf(new Date()) })).ok,
    ).toBe(true);
    expect(
      (await db().select().from(requests).where(eq(requests.id, inTime.id)))[0]!.extendedDeadline,
    ).not.toBeNull();

    // Received 40 days ago, extended on day 25: the letter lay in the queue and went to the post today.
    const late = await letterCase({ daysAgo: 40 });
    expect(
      (
        await extendDeadline(
          db(),
          staff,
          { requestId: late.id, months: 2, reasons: REASONS, publicUrl: testBase },
          new Date(Date.now() - 15 * 86_400_000),
        )
      ).ok,
    ).toBe(true);
    const [lateJob] = await jobsOf(late.id);
    expect(
      (await recordDispatch(db(), { id: lateJob!.id, staffId: handlerId, day: berlinDayOf(new Date()) })).ok,
    ).toBe(true);
    const [row] = await db().select().from(requests).where(eq(requests.id, late.id));
    expect(row).toMatchObject({ extendedDeadline: null, extensionReason: null, deadline: late.row.deadline });
    const lapsed = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, late.id), eq(auditEvents.action, "request.extension-lapsed")));
    expect(lapsed.map((e) => e.data)).toEqual([
      { printJobId: lateJob!.id, dispatchedOn: berlinDayOf(new Date()) },
    ]);
  });

  it("shows each letter of the case on the staff case page as waiting until its dispatch day is recorded", async () => {
    const c = await letterCase();
    await extendDeadline(db(), staff, { requestId: c.id, months: 1, reasons: REASONS, publicUrl: testBase });
    const page = async () => {
      const loaded = await outcome(() =>
        vorgang.loader({
          request: new Request(`${testBase}/intern/vorgaenge/${c.id}`, { headers: { Cookie: cookie } }),
          params: { id: c.id },
          context: routeContext(services),
        } as never),
      );
      return (loaded.data as { letters: { id: string; status: string; dispatchedOn: string | null }[] })
        .letters;
    };
    const [job] = await jobsOf(c.id);
    expect(await page()).toEqual([
      expect.objectContaining({ id: job!.id, status: "waiting", dispatchedOn: null }),
    ]);
    await recordDispatch(db(), { id: job!.id, staffId: handlerId, day: berlinDayOf(new Date()) });
    expect(await page()).toEqual([
      expect.objectContaining({ id: job!.id, status: "dispatched", dispatchedOn: berlinDayOf(new Date()) }),
    ]);
  });
});

describe("no notice of any kind to an empty address", () => {
  it("puts the objection decision and the complaint's copy for a person without e-mail in the print queue", async () => {
    const objection = await letterCase();
    await db()
      .update(requests)
      .set({ kinds: ["widerspruch"] })
      .where(eq(requests.id, objection.id));
    const env = await executionEnv({ db: db(), config: services.config, sources: services.sources });
    const decider = { ...staff, permissions: new Set<Permission>(["objection:decide"]) };
    await decideActivity(env, decider, objection.id, {
      kind: "objection",
      activityId: "website-visit",
      outcome: "rejected",
      reasoning: "Die Protokolle dienen der Abwehr von Angriffen (§ 32 ThürEGovG).",
    });
    const [decision] = await jobsOf(objection.id);
    await expectLetter(objection.id, objection.reference, decision!.subject, ["Rechtsbehelfsbelehrung"]);

    const complaint = await letterCase();
    await db()
      .update(requests)
      .set({ kinds: ["beschwerde"] })
      .where(eq(requests.id, complaint.id));
    await db().transaction(async (tx) => {
      await recordPendingComplaint(tx, {
        requestId: complaint.id,
        text: "Meine Auskunft kam zu spät.",
        attachCaseFile: false,
      });
      await forwardPendingComplaints(
        tx,
        {
          publicUrl: testBase,
          complaintAddress: "poststelle@tlfdi.example",
          dataDir: services.config.dataDir,
        },
        complaint.id,
      );
    });
    // The authority gets its mail; the person gets the copy by post, never a mail to "".
    expect((await outboxOf(complaint.id)).map((m) => m.to)).toEqual(["poststelle@tlfdi.example"]);
    const [copy] = await jobsOf(complaint.id);
    expect(copy).toBeDefined();
    expect(flat(pdfText(copy!.pdf))).toContain("Meine Auskunft kam zu spät.");
    expect(await db().select().from(mailOutbox).where(eq(mailOutbox.to, ""))).toEqual([]);
  });
});
