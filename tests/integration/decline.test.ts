/**
 * Every case ends (issue 14 point 4, ADR 0015): a rectification or restriction found unfounded is
 * declined with reasons (Art. 12(4)) — by the DPO, with the reasons, the complaint to the TLfDI and
 * the judicial remedy in a notice by mail or by letter — and the case ends as refused. Time to
 * answer counts an answer by post from the day its letter went out. Read from the outbox, the print
 * queue (pdftotext) and the database.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  answers,
  auditEvents,
  findingActions,
  findings,
  gatherRuns,
  kindDeclines,
  mailOutbox,
  printJobs,
  requestIdentifiers,
  requests,
  reviewRounds,
} from "#db/schema";
import { supervisoryAuthority } from "#app/core/processing-activities";
import type { RoleId } from "#app/core/permissions";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { declineKinds, declineOptions } from "#app/server/cases/decline.server";
import { deadlineDecisionsOpen } from "#app/server/cases/deadline-decisions.server";
import { decideActivity } from "#app/server/execution/decisions.server";
import { executionEnv } from "#app/server/execution/env.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { recordDispatch } from "#app/server/print/print-queue.server";
import { legalRemedy } from "#app/server/config.server";
import type { Services } from "#app/server/services.server";
import { loadFigures } from "#app/server/statistics/statistics.server";
import { yearPeriod } from "#app/server/statistics/period";
import { keyFigureRows } from "#app/server/statistics/charts";
import { loadRegisterRows } from "#app/server/register-csv.server";
import { startOfBerlinDay } from "#app/core/berlin-date";
import * as vorgang from "#app/routes/intern/vorgang";
import { outcome, post, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { flat, pdfText } from "../support/pdf-text";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";
import type { RequestKindSlug } from "#app/core/request-kinds";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 600_000 });

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
const db = () => services.database.db;
const PERSON_REASONS =
  "Ihr Geburtsdatum ist im Meldeportal richtig gespeichert; es stimmt mit Ihrem Ausweis überein.";
const INTERNAL = "Interner Vermerk: Abgleich mit Melderegister am 2. Dezember, Vorgang 4711.";
const ADDRESS = "Große Straße 12a\n99084 Erfurt";

const staff = (userName: string, role: RoleId) => createStaff(db(), userName, role, userName);

async function newCase(kinds: RequestKindSlug[], options: { email?: string; receivedAt?: Date } = {}) {
  const reference = `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const receivedAt = options.receivedAt ?? new Date(Date.now() - 5 * 86_400_000);
  const [request] = await db()
    .insert(requests)
    .values({
      status: "received",
      kinds,
      channel: "web",
      contactEmail: options.email ?? "erika@example.org",
      reference,
      receivedAt,
      deadline: new Date(receivedAt.getTime() + 31 * 86_400_000),
    })
    .returning();
  return request!;
}

/** A request by letter: no e-mail address, a name and a postal address. */
async function letterCase(kinds: RequestKindSlug[], receivedAt?: Date) {
  const request = await newCase(kinds, { email: "", receivedAt });
  await db()
    .insert(requestIdentifiers)
    .values([
      { requestId: request.id, kind: "name", value: "Erika Muster", normalized: "erika muster" },
      { requestId: request.id, kind: "postal-address", value: ADDRESS, normalized: ADDRESS.toLowerCase() },
    ]);
  return request;
}

/** One record of the case's gathering, to attach an action to. */
async function findingOf(requestId: string) {
  const [run] = await db().insert(gatherRuns).values({ requestId, version: 1 }).returning();
  const content = { name: "Erika Muster", geburtsdatum: "1970-01-01" };
  const [row] = await db()
    .insert(findings)
    .values({
      runId: run!.id,
      store: "meldeportal",
      storeKind: "servicedesk-db",
      processingActivityId: "contact-form",
      ref: `${requestId}/r1`,
      flags: [],
      unproven: false,
      matched: { kind: "email", value: "erika@example.org", recordValue: "erika@example.org", proven: true },
      recordedAt: new Date("2026-10-01T10:00:00Z"),
      content,
      contentHash: contentHashOf(content),
    })
    .returning();
  return { run: run!, finding: row! };
}

const requestOf = async (id: string) => (await db().select().from(requests).where(eq(requests.id, id)))[0]!;
const mailsOf = (requestId: string) =>
  db().select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId)).orderBy(mailOutbox.createdAt);
const decline = (
  staffIdentity: StaffIdentity,
  requestId: string,
  kinds: RequestKindSlug[],
  texts: { personReasons?: string; reasoning?: string } = {},
) =>
  declineKinds(db(), staffIdentity, {
    requestId,
    kinds,
    personReasons: texts.personReasons ?? PERSON_REASONS,
    reasoning: texts.reasoning ?? INTERNAL,
    publicUrl: testBase,
  });

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
});
afterAll(async () => {
  await close();
});

describe("declining a rectification as unfounded", () => {
  it("is the DPO's, needs both texts, and ends the case as refused with a notice naming the reasons, the TLfDI and the court", async () => {
    const request = await newCase(["berichtigung"]);
    expect(await decline(handler, request.id, ["berichtigung"])).toEqual({
      ok: false,
      reason: "not-permitted",
    });
    expect(await decline(dpo, request.id, ["berichtigung"], { personReasons: "unbegründet" })).toEqual({
      ok: false,
      reason: "reasons-required",
    });
    expect(await decline(dpo, request.id, ["berichtigung"], { reasoning: "siehe Akte" })).toEqual({
      ok: false,
      reason: "internal-reasoning-required",
    });
    // Only the kinds the case asks for and that have no decision of their own.
    expect(await decline(dpo, request.id, ["einschraenkung"])).toEqual({
      ok: false,
      reason: "kind-not-declinable",
    });
    expect(await decline(dpo, request.id, ["loeschung"])).toEqual({
      ok: false,
      reason: "kind-not-declinable",
    });
    expect(await mailsOf(request.id)).toEqual([]);
    expect((await requestOf(request.id)).status).toBe("received");

    const declined = await decline(dpo, request.id, ["berichtigung"]);
    expect(declined.ok).toBe(true);
    const ended = await requestOf(request.id);
    expect(ended).toMatchObject({ status: "refused", closedAt: expect.any(Date), answeredAt: null });
    const [notice] = await mailsOf(request.id);
    expect(declined.ok && declined.outboxId).toBe(notice!.id);
    expect(notice!.to).toBe("erika@example.org");
    const text = flat(notice!.text);
    expect(text).toContain(PERSON_REASONS);
    expect(text).toContain("Berichtigung");
    expect(text).toContain("Art. 12 Abs. 4 DS-GVO");
    // Both remedies: the complaint to the TLfDI (with the case's complaint page) and the court of the configuration.
    expect(text).toContain(supervisoryAuthority.name.de);
    expect(text).toContain(`${testBase}/vorgang/${ended.reference}/beschwerde`);
    expect(text).toContain("Rechtsbehelfsbelehrung");
    expect(text).toContain(legalRemedy().court.name.de);
    expect(text).not.toContain(INTERNAL);
    // The person's case page lists the notice among its messages.
    const messages = await services.database.sql.query<{ body: string }>(
      "select body from request_messages where request_id = $1 and direction = 'to-person'",
      [request.id],
    );
    expect(messages.map((m) => flat(m.body))).toEqual([text]);

    const [row] = await db().select().from(kindDeclines).where(eq(kindDeclines.requestId, request.id));
    expect(row).toMatchObject({
      kind: "berichtigung",
      personReasons: PERSON_REASONS,
      reasoning: INTERNAL,
      decidedBy: dpo.id,
      noticeId: notice!.id,
    });
    const events = await db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, request.id))
      .orderBy(auditEvents.seq);
    const event = events.find((e) => e.action === "request.declined");
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: dpo.id,
      reason: INTERNAL,
      data: { kinds: ["berichtigung"], noticeId: notice!.id, late: false },
    });
    expect(
      events.filter((e) => e.action === "request.closed").map((e) => (e.data as { status: string }).status),
    ).toEqual(["refused"]);

    // Ended: no second decline, no extension or refusal offered.
    expect(await decline(dpo, request.id, ["berichtigung"])).toEqual({ ok: false, reason: "closed" });
    expect(await declineOptions(db(), ended)).toEqual([{ kind: "berichtigung", refusal: "closed" }]);
    expect(deadlineDecisionsOpen(ended)).toEqual({ extend: "closed", refuse: "closed" });
    expect(await mailsOf(request.id)).toHaveLength(1);
  });

  it("reaches a person without e-mail by a letter in the print queue with the reasons and both remedies", async () => {
    const request = await letterCase(["berichtigung", "einschraenkung"]);
    const declined = await decline(dpo, request.id, ["berichtigung", "einschraenkung"]);
    expect(declined.ok).toBe(true);
    expect(await mailsOf(request.id)).toEqual([]);
    const [job] = await db().select().from(printJobs).where(eq(printJobs.requestId, request.id));
    expect(declined.ok && declined.outboxId).toBe(job!.id);
    expect(job!.status).toBe("waiting");
    const letter = flat(pdfText(job!.pdf));
    for (const words of [
      "Erika Muster",
      "Große Straße 12a",
      request.reference!,
      PERSON_REASONS,
      "Berichtigung und Einschränkung der Verarbeitung",
      supervisoryAuthority.name.de,
      "Rechtsbehelfsbelehrung",
      legalRemedy().court.name.de,
    ]) {
      expect(letter).toContain(flat(words));
    }
    expect(letter).not.toContain(INTERNAL);
    expect(await requestOf(request.id)).toMatchObject({ status: "refused", closedAt: expect.any(Date) });
  });
});

describe("declining a part of a case", () => {
  it("is refused while an action of that kind is open or once it was carried out", async () => {
    const request = await newCase(["einschraenkung", "berichtigung"]);
    const { finding } = await findingOf(request.id);
    const [restrict] = await db()
      .insert(findingActions)
      .values({
        requestId: request.id,
        findingId: finding.id,
        action: "restrict",
        status: "proposed",
        proposedBy: handler.id,
      })
      .returning();
    expect(await decline(dpo, request.id, ["einschraenkung"])).toEqual({ ok: false, reason: "actions-open" });
    await db()
      .update(findingActions)
      .set({ status: "done", approvedBy: dpo.id, executedAt: new Date() })
      .where(eq(findingActions.id, restrict!.id));
    expect(await decline(dpo, request.id, ["einschraenkung"])).toEqual({
      ok: false,
      reason: "already-carried-out",
    });
    expect(await declineOptions(db(), await requestOf(request.id))).toEqual([
      { kind: "einschraenkung", refusal: "already-carried-out" },
      { kind: "berichtigung", refusal: null },
    ]);
    // The restriction carried out, the rectification declined: the case ends by the weightiest action.
    expect((await decline(dpo, request.id, ["berichtigung"])).ok).toBe(true);
    expect(await requestOf(request.id)).toMatchObject({ status: "carried-out", closedAt: expect.any(Date) });
  });

  it("leaves the rest of the case open until it ends by its own action; a kind is declined once", async () => {
    const request = await newCase(["berichtigung", "widerspruch"]);
    expect((await decline(dpo, request.id, ["berichtigung"])).ok).toBe(true);
    const open = await requestOf(request.id);
    expect(open).toMatchObject({ status: "received", closedAt: null });
    expect(await decline(dpo, request.id, ["berichtigung"])).toEqual({
      ok: false,
      reason: "already-declined",
    });
    // Extension and refusal stay offered while the objection is open.
    expect(deadlineDecisionsOpen(open)).toEqual({ extend: null, refuse: null });
    const env = await executionEnv({ db: db(), config: services.config, sources: services.sources });
    await decideActivity(env, dpo, request.id, {
      kind: "objection",
      activityId: "website-visit",
      outcome: "rejected",
      reasoning: "Die Protokolle dienen der Abwehr von Angriffen (§ 32 ThürEGovG).",
    });
    expect(await requestOf(request.id)).toMatchObject({ status: "carried-out", closedAt: expect.any(Date) });
  });
});

describe("the dashboard", () => {
  it("counts a declined case closed as refused", async () => {
    const figures = await loadFigures(db(), yearPeriod(new Date().getFullYear()));
    const closed = Object.fromEntries(figures.closed.byStatus.map((c) => [c.key, c.count]));
    // Two cases declined whole, one of them by a letter still waiting for the post: not yet closed
    // (the person has not been told). The two declined in part ended carried out.
    expect(closed).toMatchObject({ refused: 1, "carried-out": 2 });
    expect(Object.fromEntries(keyFigureRows(figures, "de"))["Abgeschlossene Vorgänge"]).toBe("3");
  });
});

describe("time to answer", () => {
  /** An answer released on `releasedAt`, its notice a mail or a letter of the print queue. */
  async function answered(receivedAt: Date, releasedAt: Date, byLetter: boolean) {
    const request = byLetter
      ? await letterCase(["auskunft"], receivedAt)
      : await newCase(["auskunft"], { receivedAt });
    const [run] = await db().insert(gatherRuns).values({ requestId: request.id, version: 1 }).returning();
    const [round] = await db()
      .insert(reviewRounds)
      .values({ runId: run!.id, status: "approved", decidedBy: dpo.id, decidedAt: releasedAt })
      .returning();
    const [notice] = byLetter
      ? await db()
          .insert(printJobs)
          .values({
            requestId: request.id,
            subject: "Ihre Auskunft",
            pdf: Buffer.from("%PDF-"),
            createdAt: releasedAt,
          })
          .returning({ id: printJobs.id })
      : await db()
          .insert(mailOutbox)
          .values({ requestId: request.id, to: request.contactEmail, subject: "Ihre Auskunft", text: "…" })
          .returning({ id: mailOutbox.id });
    await db()
      .insert(answers)
      .values({
        requestId: request.id,
        roundId: round!.id,
        kind: "access",
        answeredAt: releasedAt,
        availableUntil: new Date(releasedAt.getTime() + 30 * 86_400_000),
        releasedBy: dpo.id,
        noticeId: notice!.id,
      });
    await db()
      .update(requests)
      .set({ status: "answered", answeredAt: releasedAt, closedAt: releasedAt })
      .where(eq(requests.id, request.id));
    return { request, noticeId: notice!.id };
  }
  const march = { from: "2025-03-01", to: "2025-03-31" } as const;
  const february = { from: "2025-02-01", to: "2025-02-28" } as const;

  it("counts an answer by post from its dispatch day, and one still waiting as not answered", async () => {
    // By mail: received 3 March, released 6 March (3 days).
    await answered(new Date("2025-03-03T09:00:00Z"), new Date("2025-03-06T10:00:00Z"), false);
    // By post: received 20 February, released 25 February, the letter posted on 4 March (12 days).
    const letter = await answered(new Date("2025-02-20T09:00:00Z"), new Date("2025-02-25T10:00:00Z"), true);

    const waiting = await loadFigures(db(), march);
    expect(waiting.timeToAnswer).toMatchObject({ answered: 1, medianDays: 3 });
    expect((await loadFigures(db(), february)).timeToAnswer.answered).toBe(0);
    // The register (CSV) says the same: not answered while the letter waits.
    const registered = async () =>
      (await loadRegisterRows(db(), february)).find((r) => r.reference === letter.request.reference)!
        .answeredAt;
    expect(await registered()).toBeNull();

    expect(
      await recordDispatch(
        db(),
        { id: letter.noticeId, staffId: handler.id, day: "2025-03-04" },
        new Date("2025-03-05T12:00:00Z"),
      ),
    ).toEqual({ ok: true, requestId: letter.request.id });
    const posted = await loadFigures(db(), march);
    expect(posted.timeToAnswer).toMatchObject({ answered: 2, medianDays: 7.5, inTime: 2, late: 0 });
    // Released in February, but it reached the person in March: February counts nothing.
    expect((await loadFigures(db(), february)).timeToAnswer.answered).toBe(0);
    expect(await registered()).toEqual(startOfBerlinDay("2025-03-04"));
    const [stored] = await db()
      .select({ noticeId: answers.noticeId })
      .from(answers)
      .where(and(eq(answers.requestId, letter.request.id), eq(answers.kind, "access")));
    expect(stored!.noticeId).toBe(letter.noticeId);
  });
});

describe("the staff case page", () => {
  const casePath = (id: string) => `/intern/vorgaenge/${id}`;
  const act = (id: string, fields: Record<string, string | string[]>, cookie: string) =>
    outcome(() =>
      vorgang.action({
        request: post(casePath(id), fields, cookie),
        params: { id },
        context: routeContext(services),
      } as never),
    );
  const load = async (id: string, cookie: string) => {
    const result = await outcome(() =>
      vorgang.loader({
        request: new Request(`${testBase}${casePath(id)}`, { headers: { Cookie: cookie } }),
        params: { id },
        context: routeContext(services),
      } as never),
    );
    return result.data as {
      declinable: string[];
      declined: { kind: string }[];
      deadlineDecisions: { extend: string | null; refuse: string | null };
    };
  };

  it("offers the decline to the DPO, refuses a handler and bad input, and posts it", async () => {
    const dpoCookie = await staffSessionCookie(services, dpo.id);
    const handlerCookie = await staffSessionCookie(services, handler.id);
    const request = await newCase(["berichtigung", "einschraenkung"]);
    expect((await load(request.id, dpoCookie)).declinable).toEqual(["berichtigung", "einschraenkung"]);
    const fields = {
      intent: "decline",
      kinds: ["berichtigung", "einschraenkung"],
      personReasons: PERSON_REASONS,
      reasoning: INTERNAL,
    };
    expect(await act(request.id, fields, handlerCookie)).toMatchObject({ status: 403 });
    // Only the kinds the form offers: anything else is not a decline.
    expect(await act(request.id, { ...fields, kinds: ["loeschung"] }, dpoCookie)).toMatchObject({
      status: 400,
    });
    // Refused at its field, with what was typed sent back for the form (conform's lastResult).
    expect(await act(request.id, { ...fields, reasoning: "" }, dpoCookie)).toMatchObject({
      status: 409,
      data: {
        error: "internal-reasoning-required",
        sentBack: {
          intent: "decline",
          result: {
            initialValue: { kinds: ["berichtigung", "einschraenkung"], personReasons: PERSON_REASONS },
            error: { reasoning: ["internal-reasoning-required"] },
          },
        },
      },
    });
    expect(await mailsOf(request.id)).toEqual([]);
    expect(await act(request.id, fields, dpoCookie)).toMatchObject({
      status: 302,
      location: casePath(request.id),
    });
    const after = await load(request.id, dpoCookie);
    expect(after.declinable).toEqual([]);
    expect(after.declined.map((d) => d.kind).sort()).toEqual(["berichtigung", "einschraenkung"]);
    expect(after.deadlineDecisions).toEqual({ extend: "closed", refuse: "closed" });
    expect(await requestOf(request.id)).toMatchObject({ status: "refused", closedAt: expect.any(Date) });
    expect(await mailsOf(request.id)).toHaveLength(1);
  });
});
