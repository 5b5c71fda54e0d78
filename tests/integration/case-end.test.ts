/**
 * Every case ends (issue 14 point 4, ADR 0015): each request kind reaches its final state by its
 * defined action — the answer released, the outcome carried out and confirmed, the objection
 * decided, the complaint forwarded (accepted by a mail server) — and the dashboard counts it as closed. The erasure answer
 * accounts for every record the case found. Read from the outbox and the database.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, findingActions, findings, gatherRuns, mailOutbox, requests } from "#db/schema";
import { supervisoryAuthority } from "#app/core/processing-activities";
import type { RoleId } from "#app/core/permissions";
import { messagesFor } from "#app/i18n";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { deadlineDecisionsOpen } from "#app/server/cases/deadline-decisions.server";
import { recordComplaintDeliveries } from "#app/server/complaints/delivery.server";
import { forwardPendingComplaints, recordPendingComplaint } from "#app/server/complaints/forward.server";
import { releaseAnswer } from "#app/server/delivery/delivery.server";
import { queueConfirmation } from "#app/server/execution/confirmation.server";
import { decideActivity } from "#app/server/execution/decisions.server";
import { type ExecutionEnv, executionEnv } from "#app/server/execution/env.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { deliverMail } from "#app/server/mail/outbox.server";
import { approve, decide, openReview, propose } from "#app/server/review/review.server";
import type { Services } from "#app/server/services.server";
import { loadFigures } from "#app/server/statistics/statistics.server";
import { yearPeriod } from "#app/server/statistics/period";
import { keyFigureRows } from "#app/server/statistics/charts";
import { testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";
import type { RequestKindSlug } from "#app/core/request-kinds";

// Several reviews through the real four-eyes workflow per test: slow on a loaded machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 600_000 });

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
let env: ExecutionEnv;
const db = () => services.database.db;
const flat = (text: string) => text.replace(/\s+/g, " ");
const mail = messagesFor("de").execution.mail;
const PERSON_REASONS =
  "Die Polizei hat der Mitteilung noch nicht zugestimmt; danach prüfen wir die Löschung erneut.";
const INTERNAL = "Interner Vermerk: Ermittlungsverfahren 4711 läuft.";

const staff = (userName: string, role: RoleId) => createStaff(db(), userName, role, userName);

async function newCase(kinds: RequestKindSlug[]) {
  const reference = `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const receivedAt = new Date(Date.now() - 5 * 86_400_000);
  const [request] = await db()
    .insert(requests)
    .values({
      status: "received",
      kinds,
      channel: "web",
      contactEmail: "erika@example.org",
      reference,
      receivedAt,
      deadline: new Date(receivedAt.getTime() + 31 * 86_400_000),
    })
    .returning();
  return request!;
}

/** A case with three findings, reviewed by four eyes: one redacted, one withheld with reasons for the person, one released. */
async function reviewedCase(
  kinds: RequestKindSlug[],
  withheld: { omitReasons: boolean } = { omitReasons: false },
) {
  const request = await newCase(kinds);
  const [run] = await db().insert(gatherRuns).values({ requestId: request.id, version: 1 }).returning();
  const contents = [
    { folder: "support", subject: "Anfrage Müller", from: "erika@example.org", cc: ["dritter@example.com"] },
    { id: 7, behoerde: "Polizei", aktenzeichen: "AZ-1" },
    { ticket: 3, subject: "Kontaktformular" },
  ];
  const stores = [
    ["mail-support", "maildir", "email"],
    ["abrufprotokolle", "retrieval-protocol-db", "retrieval-protocol"],
    ["servicedesk", "servicedesk-db", "contact-form"],
  ] as const;
  const rows = await db()
    .insert(findings)
    .values(
      contents.map((content, i) => ({
        runId: run!.id,
        store: stores[i]![0],
        storeKind: stores[i]![1],
        processingActivityId: stores[i]![2],
        ref: `${request.reference}/r${i}`,
        flags: [],
        unproven: false,
        matched: {
          kind: "email",
          value: "erika@example.org",
          recordValue: "erika@example.org",
          proven: true,
        },
        recordedAt: new Date("2026-10-01T10:00:00Z"),
        content,
        contentHash: contentHashOf(content),
      })),
    )
    .returning();
  const round = await openReview(db(), handler, request.id);
  await decide(db(), handler, request.id, round.id, [rows[0]!.id], {
    decision: "redact",
    groundId: "third-party-rights",
    reasoning: "Dritte Person in Kopie.",
    fields: ["cc"],
  });
  await decide(db(), handler, request.id, round.id, [rows[1]!.id], {
    decision: "withhold",
    groundId: "authority-consent",
    reasoning: INTERNAL,
    personReasons: PERSON_REASONS,
    reviewOn: new Date("2027-02-01T00:00:00Z"),
    omitReasons: withheld.omitReasons,
  });
  await decide(db(), handler, request.id, round.id, [rows[2]!.id], { decision: "release" });
  await propose(db(), handler, request.id, round.id);
  await approve(db(), dpo, request.id, round.id);
  return { request: (await requestOf(request.id))!, findings: rows };
}

async function requestOf(id: string) {
  return (await db().select().from(requests).where(eq(requests.id, id)))[0]!;
}
const mailsOf = (requestId: string) =>
  db().select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId)).orderBy(mailOutbox.createdAt);
async function confirm(requestId: string) {
  const request = await requestOf(requestId);
  const outboxId = await db().transaction((tx) => queueConfirmation(tx, env, request));
  return (await db().select().from(mailOutbox).where(eq(mailOutbox.id, outboxId)))[0]!.text;
}
const closedEvents = (requestId: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "request.closed")));

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
  env = await executionEnv({ db: db(), config: services.config, sources: services.sources });
});
afterAll(async () => {
  await close();
});

describe("an erasure request", () => {
  it("accounts for every record found, stays open while one is undecided, and ends carried out once each has its outcome", async () => {
    const {
      request,
      findings: [mailRecord, withheld, ticket],
    } = await reviewedCase(["loeschung"]);
    await db().insert(findingActions).values({
      requestId: request.id,
      findingId: mailRecord!.id,
      action: "erase",
      status: "done",
      proposedBy: handler.id,
      approvedBy: dpo.id,
      executedAt: new Date(),
    });

    const first = flat(await confirm(request.id));
    expect(first).toContain(`${mail.erased} - `);
    expect(first).toContain(mailRecord!.ref);
    // The ticket has no decision yet: counted, the case stays open, nothing claims it was erased.
    expect(first).toContain(flat(mail.undecided(1)));
    expect(first).not.toContain(ticket!.ref);
    // The record the review withheld: not named, its group with the person's reasons, never the internal note.
    expect(first).toContain(mail.notErasedReview);
    expect(first).toContain(PERSON_REASONS);
    expect(first).toContain("§ 21 Abs. 3 ThürDSG");
    expect(first).not.toContain(withheld!.ref);
    expect(first).not.toContain(INTERNAL);
    // A decision against the person: both rights beside it.
    expect(first).toContain(supervisoryAuthority.name.de);
    expect(first).toContain("Rechtsbehelfsbelehrung");
    expect(first).not.toContain(mail.caseEnded);
    expect(await requestOf(request.id)).toMatchObject({
      status: "approved",
      closedAt: null,
      answeredAt: null,
    });

    // The ticket must be kept (Art. 17(3)(b)) until a date: decided, so the case ends now.
    const due = new Date(Date.now() + 400 * 86_400_000);
    const [deferred] = await db()
      .insert(findingActions)
      .values({
        requestId: request.id,
        findingId: ticket!.id,
        action: "erase",
        status: "deferred",
        refusalReason: "retention-duty:contact-form",
        dueAt: due,
        proposedBy: handler.id,
        approvedBy: dpo.id,
      })
      .returning();
    const second = flat(await confirm(request.id));
    expect(second).toContain(ticket!.ref);
    expect(second).toContain(messagesFor("de").journey.formatDate(due));
    expect(second).not.toContain(flat(mail.undecided(1)));
    expect(second).toContain(mail.caseEnded);
    const ended = await requestOf(request.id);
    expect(ended.status).toBe("carried-out");
    expect(ended.answeredAt).not.toBeNull();
    // The deferred erasure is still owed: the case is not closed for the portal's retention yet.
    expect(ended.closedAt).toBeNull();
    expect((await closedEvents(request.id)).map((e) => e.data)).toEqual([{ status: "carried-out" }]);
    expect(deadlineDecisionsOpen(ended)).toEqual({ extend: "closed", refuse: "closed" });

    // The date comes, the store confirms: the case is closed, and not announced as concluded twice.
    await db()
      .update(findingActions)
      .set({ status: "done", executedAt: new Date() })
      .where(eq(findingActions.id, deferred!.id));
    const third = await confirm(request.id);
    expect(third).not.toContain(mail.caseEnded);
    expect((await requestOf(request.id)).closedAt).not.toBeNull();
    expect(await closedEvents(request.id)).toHaveLength(1);
  });

  it("says nothing of ground, activity or count where the review left the reasons out (§ 21(4) ThürDSG)", async () => {
    const {
      request,
      findings: [mailRecord, , ticket],
    } = await reviewedCase(["loeschung"], { omitReasons: true });
    await db()
      .insert(findingActions)
      .values(
        [mailRecord!, ticket!].map((f) => ({
          requestId: request.id,
          findingId: f.id,
          action: "erase" as const,
          status: "done" as const,
          proposedBy: handler.id,
          approvedBy: dpo.id,
          executedAt: new Date(),
        })),
      );
    const text = flat(await confirm(request.id));
    expect(text).toContain(flat(mail.reviewOmitted(supervisoryAuthority.name.de)));
    for (const leak of [
      "§ 21 Abs. 3",
      PERSON_REASONS,
      INTERNAL,
      "Abrufprotokoll",
      "1 Datensatz",
      "einen Datensatz",
    ])
      expect(text).not.toContain(leak);
    expect((await requestOf(request.id)).status).toBe("carried-out");
  });
});

describe("an access request", () => {
  it("ends answered when the answer is released; with an erasure beside it, only once that is carried out", async () => {
    const access = await reviewedCase(["auskunft"]);
    expect((await releaseAnswer(db(), dpo, access.request.id, services.config)).ok).toBe(true);
    expect(await requestOf(access.request.id)).toMatchObject({
      status: "answered",
      closedAt: expect.any(Date),
      answeredAt: expect.any(Date),
    });

    const both = await reviewedCase(["auskunft", "loeschung"]);
    expect((await releaseAnswer(db(), dpo, both.request.id, services.config)).ok).toBe(true);
    const answered = await requestOf(both.request.id);
    expect(answered.status).toBe("approved");
    expect(answered.closedAt).toBeNull();
    await db()
      .insert(findingActions)
      .values(
        both.findings.map((f) => ({
          requestId: both.request.id,
          findingId: f.id,
          action: "erase" as const,
          status: "done" as const,
          proposedBy: handler.id,
          approvedBy: dpo.id,
          executedAt: new Date(),
        })),
      );
    await confirm(both.request.id);
    expect(await requestOf(both.request.id)).toMatchObject({
      status: "carried-out",
      closedAt: expect.any(Date),
    });
  });
});

describe("an objection", () => {
  it("ends carried out with the reasoned decision, which names the supervisory authority and the judicial remedy", async () => {
    const request = await newCase(["widerspruch"]);
    await decideActivity(env, dpo, request.id, {
      kind: "objection",
      activityId: "website-visit",
      outcome: "rejected",
      reasoning: "Die Protokolle dienen der Abwehr von Angriffen (§ 32 ThürEGovG).",
    });
    expect(await requestOf(request.id)).toMatchObject({ status: "carried-out", closedAt: expect.any(Date) });
    const [decision] = await mailsOf(request.id);
    expect(decision!.text).toContain(supervisoryAuthority.name.de);
    expect(decision!.text).toContain("Rechtsbehelfsbelehrung");
  });
});

describe("a complaint request", () => {
  it("ends forwarded: the supervisory authority answers it, not we", async () => {
    const request = await newCase(["beschwerde"]);
    await db().transaction(async (tx) => {
      await recordPendingComplaint(tx, {
        requestId: request.id,
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
        request.id,
      );
    });
    // Forwarded once a mail server accepted the mail to the authority, not when it was queued.
    expect(await requestOf(request.id)).toMatchObject({ status: "received", closedAt: null });
    const [toAuthority] = (await mailsOf(request.id)).filter((m) => m.to === "poststelle@tlfdi.example");
    const accepting = { send: async () => ({ messageId: "<accepted@tlfdi.example>" }), close() {} };
    expect(await deliverMail(db(), accepting, toAuthority!.id)).toBe("sent");
    expect(await recordComplaintDeliveries(db())).toBe(1);
    const row = await requestOf(request.id);
    expect(row).toMatchObject({ status: "forwarded", closedAt: expect.any(Date), answeredAt: null });
    expect(deadlineDecisionsOpen(row)).toEqual({ extend: "closed", refuse: "closed" });
  });
});

describe("the dashboard", () => {
  it("counts every case that ended by how it ended", async () => {
    const figures = await loadFigures(db(), yearPeriod(new Date().getFullYear()));
    const closed = Object.fromEntries(figures.closed.byStatus.map((c) => [c.key, c.count]));
    // Erasure (2), access + erasure, objection: carried out; access: answered; complaint: forwarded.
    expect(closed).toEqual({ answered: 1, "carried-out": 4, forwarded: 1, refused: 0, withdrawn: 0 });
    expect(Object.fromEntries(keyFigureRows(figures, "de"))["Abgeschlossene Vorgänge"]).toBe("6");
    expect(figures.open.total).toBe(0);
  });
});
