import { existsSync, rmSync, writeFileSync } from "node:fs";
import { and, asc, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answers,
  attachments,
  auditEvents,
  findingDecisions,
  identityChecks,
  findings,
  gatherRuns,
  gatherStoreJobs,
  mailOutbox,
  requestMessages,
  requests,
  reviewRounds,
  storeAccessDecisions,
  tlfdiDemands,
} from "#db/schema";
import type { StoreKind } from "#app/core/store-kinds";
import type { FindingDecisionKind } from "#app/core/review-states";
import type { RestrictionGroundId } from "#app/core/restriction-grounds";
import type { ProcessingActivityId } from "#app/core/processing-activities";
import { berlinDayOf, addDays } from "#app/core/berlin-date";
import { legalReferenceIn } from "#app/core/retention-legal-reference";
import { deletionDue, retentionRuleIds, retentionRules } from "#app/core/retention";
import { verifyAuditChain } from "#app/server/audit.server";
import { documentPath } from "#app/server/document-files.server";
import { messagesFor } from "#app/i18n";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { produceTlfdiRecord } from "#app/server/complaints/tlfdi-record.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { overdueFindingsOfCase, retentionEnv } from "#app/server/retention/overdue.server";
import type { Services } from "#app/server/services.server";
import * as aufbewahrung from "#app/routes/intern/aufbewahrung";
import * as identitaetsdokument from "#app/routes/intern/identitaetsdokument";
import * as tlfdiNachweis from "#app/routes/intern/tlfdi-nachweis";
import * as uebersicht from "#app/routes/intern/uebersicht";
import * as staffCase from "#app/routes/intern/vorgang";
import * as bestaetigen from "#app/routes/bestaetigen";
import * as vorgangDetail from "#app/routes/vorgang-detail";
import { flat, hasPdftotext, pdfText } from "../support/pdf-text";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";
import {
  fileRequest,
  outcome,
  post,
  routeContext,
  staffSessionCookie,
  testBase,
} from "../support/route-calls";

/**
 * The statute's paths (issue 14, points 7 and 10) through the route modules on a real database:
 * the person's § 21(5) demand and its hand-over, § 21(2) per store, identity documents deleted when
 * the check is recorded, and findings past their store's deletion date.
 */
let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
let admin: StaffIdentity;
let handlerCookie: string;
let dpoCookie: string;
let adminCookie: string;

const context = () => routeContext(services);
const db = () => services.database.db;

const staff = (userName: string, role: "case-handler" | "dpo" | "admin") => createStaff(db(), userName, role);

beforeAll(async () => {
  ({ services, close } = await createTestServices({
    DEMO_MODE: "false",
    SESSION_SECRET: "statutory-test-secret-statutory-test-secret",
    PUBLIC_URL: testBase,
  }));
  handler = await staff("st-handler", "case-handler");
  dpo = await staff("st-dpo", "dpo");
  admin = await staff("st-admin", "admin");
  handlerCookie = await staffSessionCookie(services, handler.id);
  dpoCookie = await staffSessionCookie(services, dpo.id);
  adminCookie = await staffSessionCookie(services, admin.id);
});

afterAll(async () => {
  await close?.();
});

/** pdftotext (poppler) reads the PDF as the TLfDI would. */
function recordText(content: Buffer): string {
  expect(hasPdftotext, "pdftotext (poppler-utils) is needed").toBe(true);
  return flat(pdfText(content));
}

/** Files and proves a request as the person would; returns the case and the person's session cookie. */
async function provenCase(email: string, art = "auskunft") {
  const filed = await fileRequest(services, email, {}, art);
  expect(filed.status).toBe(302);
  const [mail] = await db().select().from(mailOutbox).where(eq(mailOutbox.requestId, filed.requestId!));
  const code = /(\d{6})/.exec(mail!.text)![1]!;
  const proven = await outcome(() =>
    bestaetigen.action({
      request: post(`/bestaetigen?antrag=${filed.requestId}`, { intent: "confirm", code }),
      params: {},
      context: context(),
    } as never),
  );
  expect(proven.status).toBe(302);
  const reference = /\/vorgang\/(DSR-\d{4}-\d{6})/.exec(proven.location ?? "")![1]!;
  return { reference, cookie: proven.cookie!, requestId: filed.requestId! };
}

type FindingSpec = {
  store: string;
  storeKind?: StoreKind;
  activity?: ProcessingActivityId;
  ref: string;
  recordedAt?: Date | null;
  content?: Record<string, unknown>;
  flags?: string[];
};

/** A gathering of the case with its store jobs and findings. */
async function gathering(requestId: string, specs: FindingSpec[]) {
  // After the one that proving the request started by itself.
  const [latest] = await db()
    .select({ version: gatherRuns.version })
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  const [run] = await db()
    .insert(gatherRuns)
    .values({ requestId, version: (latest?.version ?? 0) + 1, frozenAt: new Date() })
    .returning();
  const stores = [...new Set(specs.map((s) => s.store))];
  if (stores.length)
    await db()
      .insert(gatherStoreJobs)
      .values(stores.map((store) => ({ runId: run!.id, store, status: "done" as const })));
  const rows = specs.length
    ? await db()
        .insert(findings)
        .values(
          specs.map((s): typeof findings.$inferInsert => {
            const content = s.content ?? { subject: s.ref };
            return {
              runId: run!.id,
              store: s.store,
              storeKind: s.storeKind ?? "maildir",
              processingActivityId: s.activity ?? "email",
              ref: s.ref,
              flags: s.flags ?? [],
              unproven: false,
              matched: {},
              recordedAt: s.recordedAt ?? null,
              content,
              contentHash: contentHashOf(content),
            };
          }),
        )
        .returning()
    : [];
  return { run: run!, rows };
}

/** An approved review with the given decisions, and the released answer resting on it. */
async function releasedAnswer(
  requestId: string,
  runId: string,
  decisions: {
    findingId: string;
    contentHash: string;
    decision: FindingDecisionKind;
    groundId?: RestrictionGroundId;
    omitReasons?: boolean;
    fields?: readonly string[];
  }[],
) {
  const [round] = await db()
    .insert(reviewRounds)
    .values({
      runId,
      status: "approved",
      proposedBy: handler.id,
      proposedAt: new Date(),
      decidedBy: dpo.id,
      decidedAt: new Date(),
    })
    .returning();
  await db()
    .insert(findingDecisions)
    .values(
      decisions.map((d) => ({
        roundId: round!.id,
        findingId: d.findingId,
        decision: d.decision,
        groundId: d.groundId ?? null,
        reasoning: d.decision === "release" ? null : `Interne Begründung ${d.groundId}`,
        omitReasons: d.omitReasons ?? false,
        redactedFields: [...(d.fields ?? [])],
        contentHash: d.contentHash,
        decidedBy: handler.id,
      })),
    );
  await db()
    .insert(answers)
    .values({
      requestId,
      roundId: round!.id,
      kind: "access",
      answeredAt: new Date(),
      availableUntil: new Date(Date.now() + 90 * 86_400_000),
      releasedBy: handler.id,
    });
  await db()
    .update(requests)
    .set({ status: "answered", answeredAt: new Date() })
    .where(eq(requests.id, requestId));
  return round!;
}

function personPage(reference: string, cookie: string) {
  return outcome(() =>
    vorgangDetail.loader({
      request: new Request(`${testBase}/vorgang/${reference}`, { headers: { Cookie: cookie } }),
      params: { referenz: reference },
      context: context(),
    } as never),
  );
}

function personPost(reference: string, cookie: string, fields: Record<string, string>) {
  return outcome(() =>
    vorgangDetail.action({
      request: post(`/vorgang/${reference}`, { website: "", ...fields }, cookie),
      params: { referenz: reference },
      context: context(),
    } as never),
  );
}

function staffPage(requestId: string, cookie: string) {
  return outcome(() =>
    staffCase.loader({
      request: new Request(`${testBase}/intern/vorgaenge/${requestId}`, { headers: { Cookie: cookie } }),
      params: { id: requestId },
      context: context(),
    } as never),
  );
}

function staffPost(requestId: string, cookie: string, fields: Record<string, string | string[]>) {
  return outcome(() =>
    staffCase.action({
      request: post(`/intern/vorgaenge/${requestId}`, fields, cookie),
      params: { id: requestId },
      context: context(),
    } as never),
  );
}

type PersonData = {
  tlfdiDemand: {
    offered: boolean;
    demand: { id: string; demandedAt: string; handedOverAt: string | null } | null;
  };
  view: { messages: { body: string; attachments: string[] }[] };
};
type StaffData = {
  statutory: Awaited<ReturnType<typeof import("#app/server/cases/statutory-paths.server").statutoryPathsOf>>;
};

describe("§ 21(5) ThürDSG: the person demands that the TLfDI be given what the answer kept back", () => {
  it("is offered after a restricted answer; the demand needs a confirmation, produces and keeps the record, is audited, tells the person and is a staff task until the hand-over", async () => {
    const email = "tlfdi.verlangen@example.org";
    const { reference, cookie, requestId } = await provenCase(email);
    const { run, rows } = await gathering(requestId, [
      { store: "mail-support", ref: "m/1", content: { subject: "Geheimer Vermerk" } },
      { store: "mail-support", ref: "m/2", content: { subject: "Offene Nachricht" } },
    ]);
    // Before an answer is released nothing is offered.
    expect(((await personPage(reference, cookie)).data as PersonData).tlfdiDemand).toEqual({
      offered: false,
      demand: null,
    });
    const round = await releasedAnswer(requestId, run.id, [
      {
        findingId: rows[0]!.id,
        contentHash: rows[0]!.contentHash,
        decision: "withhold",
        groundId: "secrecy",
        omitReasons: true,
      },
      { findingId: rows[1]!.id, contentHash: rows[1]!.contentHash, decision: "release" },
    ]);
    expect(((await personPage(reference, cookie)).data as PersonData).tlfdiDemand).toEqual({
      offered: true,
      demand: null,
    });

    // Without the confirmation nothing happens.
    const unconfirmed = await personPost(reference, cookie, { intent: "tlfdi-review" });
    expect(unconfirmed).toMatchObject({
      status: 400,
      data: { sentBack: { intent: "tlfdi-review", result: { error: { confirmTlfdi: ["confirm"] } } } },
    });
    expect(await db().select().from(tlfdiDemands).where(eq(tlfdiDemands.requestId, requestId))).toHaveLength(
      0,
    );

    const demanded = await personPost(reference, cookie, { intent: "tlfdi-review", confirmTlfdi: "yes" });
    expect(demanded).toMatchObject({ status: 200, data: { tlfdiDemand: "done" } });
    const [demand] = await db().select().from(tlfdiDemands).where(eq(tlfdiDemands.requestId, requestId));
    expect(demand).toMatchObject({ roundId: round.id, handedOverAt: null });
    const record = recordText(demand!.recordPdf);
    expect(record).toContain(`Nachweis über beschränkte Auskunft (§ 21 Abs. 5 ThürDSG)`);
    expect(record).toContain("auf Verlangen der betroffenen Person");
    expect(record).toContain("subject: Geheimer Vermerk");
    expect(record).toContain("Interne Begründung secrecy");
    expect(record).not.toContain("Offene Nachricht");
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "tlfdi.review-demanded")));
    expect(event).toMatchObject({
      actorType: "person",
      data: {
        demandId: demand!.id,
        recordSha256: demand!.recordSha256,
        withheld: 1,
        redacted: 0,
        roundId: round.id,
      },
    });
    // The person is told: by mail and on the case page.
    const [mail] = await db()
      .select()
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.requestId, requestId),
          eq(mailOutbox.subject, `Ihr Verlangen nach § 21 Abs. 5 ThürDSG – Vorgang ${reference}`),
        ),
      );
    expect(mail!.to).toBe(email);
    expect(mail!.text).toContain("Thüringer Landesbeauftragten für den Datenschutz");
    const afterDemand = (await personPage(reference, cookie)).data as PersonData;
    expect(afterDemand.tlfdiDemand).toMatchObject({
      offered: false,
      demand: { id: demand!.id, handedOverAt: null },
    });
    expect(afterDemand.view.messages.some((m) => m.body === mail!.text)).toBe(true);

    // Once per answer.
    expect(
      await personPost(reference, cookie, { intent: "tlfdi-review", confirmTlfdi: "yes" }),
    ).toMatchObject({ status: 409, data: { tlfdiError: "already-demanded" } });

    // Staff see the task and download the very record kept at the demand (reading it is audited).
    const task = ((await staffPage(requestId, dpoCookie)).data as StaffData).statutory.tlfdiTasks;
    expect(task).toEqual([
      { id: demand!.id, demandedAt: demand!.demandedAt.toISOString(), handedOver: null },
    ]);
    const download = await tlfdiNachweis.loader({
      request: new Request(
        `${testBase}/intern/vorgaenge/${requestId}/tlfdi-nachweis?verlangen=${demand!.id}`,
        { headers: { Cookie: dpoCookie } },
      ),
      params: { id: requestId },
      context: context(),
    } as never);
    expect(Buffer.from(await (download as Response).arrayBuffer()).equals(demand!.recordPdf)).toBe(true);
    expect(
      await db()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "tlfdi.record-read"))),
    ).toHaveLength(1);

    // The hand-over (an intent of the case page): refused without a note, for a day in the future,
    // and for a handler without tlfdi:record; a refusal goes back to this demand's form.
    const handOver = (cookie: string, fields: Record<string, string>) =>
      staffPost(requestId, cookie, { intent: "handed-over", demandId: demand!.id, ...fields });
    const refusedAt = (error: string, field?: string) => ({
      data: {
        tlfdiError: error,
        sentBack: { intent: `handed-over-${demand!.id}`, result: { error: { [field ?? ""]: [error] } } },
      },
    });
    const today = berlinDayOf(new Date());
    expect(await handOver(dpoCookie, { day: today, note: "ja" })).toMatchObject({
      status: 400,
      ...refusedAt("note-required", "note"),
    });
    expect(
      await handOver(dpoCookie, { day: addDays(today, 1), note: "Per Kurier, Az. TLfDI 4711" }),
    ).toMatchObject({ status: 400, ...refusedAt("bad-day", "day") });
    expect((await handOver(handlerCookie, { day: today, note: "Per Kurier, Az. TLfDI 4711" })).status).toBe(
      403,
    );
    expect((await handOver(dpoCookie, { day: today, note: "Per Kurier, Az. TLfDI 4711" })).location).toBe(
      `/intern/vorgaenge/${requestId}#aufgaben`,
    );
    expect(await handOver(dpoCookie, { day: today, note: "Per Kurier, Az. TLfDI 4711" })).toMatchObject({
      status: 409,
      ...refusedAt("already-handed-over"),
    });
    const [done] = await db().select().from(tlfdiDemands).where(eq(tlfdiDemands.id, demand!.id));
    expect(done).toMatchObject({ handedOverBy: dpo.id, handOverNote: "Per Kurier, Az. TLfDI 4711" });
    expect(berlinDayOf(done!.handedOverAt!)).toBe(today);
    const [handedEvent] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "tlfdi.record-handed-over")));
    expect(handedEvent).toMatchObject({
      actorType: "staff",
      actorId: dpo.id,
      reason: "Per Kurier, Az. TLfDI 4711",
      data: { demandId: demand!.id, day: today },
    });
    const told = await db()
      .select()
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.requestId, requestId),
          eq(mailOutbox.subject, `Auskunft an die Aufsichtsbehörde übergeben – Vorgang ${reference}`),
        ),
      );
    expect(told).toHaveLength(1);
    expect(((await personPage(reference, cookie)).data as PersonData).tlfdiDemand.demand!.handedOverAt).toBe(
      done!.handedOverAt!.toISOString(),
    );
    expect(
      ((await staffPage(requestId, dpoCookie)).data as StaffData).statutory.tlfdiTasks[0]!.handedOver,
    ).toMatchObject({ by: "Name st-dpo", note: "Per Kurier, Az. TLfDI 4711" });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it("staff record a demand the person made by letter: the same record, the person told, the staff member and the channel in the audit trail", async () => {
    const email = "verlangen.brief@example.org";
    const { reference, cookie, requestId } = await provenCase(email);
    const { run, rows } = await gathering(requestId, [
      { store: "mail-support", ref: "b/1", content: { subject: "Zurückgehalten" } },
    ]);
    await releasedAnswer(requestId, run.id, [
      {
        findingId: rows[0]!.id,
        contentHash: rows[0]!.contentHash,
        decision: "withhold",
        groundId: "prosecution",
      },
    ]);
    expect(((await staffPage(requestId, dpoCookie)).data as StaffData).statutory.tlfdiDemandOpen).toBe(true);
    const record = (cookie: string, channel: string) =>
      staffPost(requestId, cookie, { intent: "record-demand", channel });
    expect(await record(dpoCookie, "pigeon")).toMatchObject({
      status: 400,
      data: {
        tlfdiError: "channel",
        sentBack: { intent: "record-demand", result: { error: { channel: ["channel"] } } },
      },
    });
    expect((await record(handlerCookie, "letter")).status).toBe(403);
    expect((await record(dpoCookie, "letter")).location).toBe(`/intern/vorgaenge/${requestId}#aufgaben`);
    expect(await record(dpoCookie, "letter")).toMatchObject({
      status: 409,
      data: {
        tlfdiError: "already-demanded",
        sentBack: { intent: "record-demand", result: { error: { "": ["already-demanded"] } } },
      },
    });
    const [demand] = await db().select().from(tlfdiDemands).where(eq(tlfdiDemands.requestId, requestId));
    expect(recordText(demand!.recordPdf)).toContain("subject: Zurückgehalten");
    const [event] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "tlfdi.review-demanded")));
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: dpo.id,
      data: { channel: "letter", demandId: demand!.id },
    });
    expect(
      await db()
        .select()
        .from(mailOutbox)
        .where(
          and(
            eq(mailOutbox.requestId, requestId),
            eq(mailOutbox.to, email),
            eq(mailOutbox.subject, `Ihr Verlangen nach § 21 Abs. 5 ThürDSG – Vorgang ${reference}`),
          ),
        ),
    ).toHaveLength(1);
    const staffView = ((await staffPage(requestId, dpoCookie)).data as StaffData).statutory;
    expect(staffView.tlfdiDemandOpen).toBe(false);
    expect(staffView.tlfdiTasks.map((t) => t.id)).toEqual([demand!.id]);
    expect(((await personPage(reference, cookie)).data as PersonData).tlfdiDemand).toMatchObject({
      offered: false,
      demand: { id: demand!.id },
    });
  });

  it("is not offered where the answer withheld only silently (information block) or only redacted third parties' data", async () => {
    const cases: [
      string,
      { decision: "withhold" | "redact"; groundId: RestrictionGroundId; fields?: string[] },
    ][] = [
      ["silent.block@example.org", { decision: "withhold", groundId: "information-block" }],
      ["third.party@example.org", { decision: "redact", groundId: "third-party-rights", fields: ["cc"] }],
    ];
    for (const [email, decision] of cases) {
      const { reference, cookie, requestId } = await provenCase(email);
      const { run, rows } = await gathering(requestId, [{ store: "mail-support", ref: "x/1" }]);
      await releasedAnswer(requestId, run.id, [
        { findingId: rows[0]!.id, contentHash: rows[0]!.contentHash, ...decision },
      ]);
      expect(((await personPage(reference, cookie)).data as PersonData).tlfdiDemand).toEqual({
        offered: false,
        demand: null,
      });
      expect(
        await personPost(reference, cookie, { intent: "tlfdi-review", confirmTlfdi: "yes" }),
      ).toMatchObject({ status: 409, data: { tlfdiError: "not-offered" } });
      expect(
        await db().select().from(tlfdiDemands).where(eq(tlfdiDemands.requestId, requestId)),
      ).toHaveLength(0);
    }
  });
});

describe("§ 21(2) ThürDSG decided per store", () => {
  it("a DPO records it with reasons for a store the case searched; it shows on the case page and in the record for the TLfDI", async () => {
    const { requestId } = await provenCase("speicher.entscheidung@example.org");
    await gathering(requestId, [
      { store: "beaus-login", storeKind: "login-jsonl", activity: "beauskunftung-login", ref: "l/1" },
      { store: "mail-support", ref: "m/1" },
    ]);
    const reasoning =
      "Anmeldeprotokolle dienen ausschließlich der Datenschutzkontrolle (§ 51 ThürDSG); Auskunft wäre unverhältnismäßig.";
    // A handler may not decide it; the form is checked before anything is stored.
    expect(
      (
        await staffPost(requestId, handlerCookie, {
          intent: "store-decision",
          store: "beaus-login",
          applies: "yes",
          reasoning,
        })
      ).status,
    ).toBe(403);
    expect(
      await staffPost(requestId, dpoCookie, {
        intent: "store-decision",
        store: "beaus-login",
        applies: "yes",
        reasoning: "zu kurz",
      }),
    ).toMatchObject({
      status: 400,
      data: {
        statutoryError: { section: "stores", reason: "reasoning-required" },
        sentBack: {
          intent: "store-decision",
          result: {
            initialValue: { store: "beaus-login", applies: "yes", reasoning: "zu kurz" },
            error: { reasoning: ["reasoning-required"] },
          },
        },
      },
    });
    expect(
      await staffPost(requestId, dpoCookie, {
        intent: "store-decision",
        store: "telefon",
        applies: "yes",
        reasoning,
      }),
    ).toMatchObject({
      status: 400,
      data: { statutoryError: { section: "stores", reason: "unknown-store" } },
    });
    expect(
      await db().select().from(storeAccessDecisions).where(eq(storeAccessDecisions.requestId, requestId)),
    ).toHaveLength(0);

    expect(
      (
        await staffPost(requestId, dpoCookie, {
          intent: "store-decision",
          store: "beaus-login",
          applies: "no",
          reasoning: "Erst einmal: Auskunft, bis die Prüfung abgeschlossen ist.",
        })
      ).status,
    ).toBe(302);
    expect(
      (
        await staffPost(requestId, dpoCookie, {
          intent: "store-decision",
          store: "beaus-login",
          applies: "yes",
          reasoning,
        })
      ).status,
    ).toBe(302);
    const [stored] = await db()
      .select()
      .from(storeAccessDecisions)
      .where(eq(storeAccessDecisions.requestId, requestId));
    expect(stored).toMatchObject({ store: "beaus-login", applies: true, reasoning, decidedBy: dpo.id });
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "review.store-access-decided")))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => (e.data as { applies: boolean }).applies)).toEqual([false, true]);
    expect((events[1]!.data as { before: { applies: boolean } }).before.applies).toBe(false);

    const rowsShown = ((await staffPage(requestId, handlerCookie)).data as StaffData).statutory.stores;
    expect(rowsShown).toEqual([
      {
        store: "beaus-login",
        decision: {
          applies: true,
          reasoning,
          decidedBy: "Name st-dpo",
          decidedAt: stored!.decidedAt.toISOString(),
        },
      },
      { store: "mail-support", decision: null },
    ]);

    // Nothing else was restricted: the decision alone makes the record, and it is in it.
    const record = await produceTlfdiRecord(db(), dpo, requestId, "de");
    expect(record.ok).toBe(true);
    if (!record.ok) return;
    const text = recordText(record.pdf);
    expect(text).toContain("Entscheidungen je Datenbestand (§ 21 Abs. 2 ThürDSG)");
    expect(text).toContain("beaus-login");
    expect(text).toContain("§ 21 Abs. 2 greift: keine Auskunft");
    expect(text).toContain("Anmeldeprotokolle dienen ausschließlich der Datenschutzkontrolle");
  });
});

describe("identity checks by staff: what was checked is kept, copies are not (Art. 12(6) DS-GVO)", () => {
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(64, 3),
  ]);

  async function upload(reference: string, cookie: string, name: string, bytes = png) {
    const body = new FormData();
    body.set("intent", "add");
    body.set("website", "");
    body.set("text", "Mein Ausweis");
    body.append("document", new Blob([new Uint8Array(bytes)]), name);
    const request = new Request(`${testBase}/vorgang/${reference}`, {
      method: "POST",
      body,
      headers: { Cookie: cookie, Origin: testBase },
    });
    expect(
      (
        await outcome(() =>
          vorgangDetail.action({ request, params: { referenz: reference }, context: context() } as never),
        )
      ).status,
    ).toBe(200);
  }

  /** The staff download of a copy: the Response as the browser gets it, thrown or returned. */
  async function openCopy(requestId: string, documentId: string, cookie: string): Promise<Response> {
    try {
      return (await identitaetsdokument.loader({
        request: new Request(`${testBase}/intern/vorgaenge/${requestId}/identitaetsdokument/${documentId}`, {
          headers: { Cookie: cookie },
        }),
        params: { id: requestId, documentId },
        context: context(),
      } as never)) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      if (thrown && typeof thrown === "object" && "init" in thrown)
        return new Response(null, { status: (thrown as { init: { status: number } }).init.status });
      throw thrown;
    }
  }

  const checks = (requestId: string) =>
    db().select().from(identityChecks).where(eq(identityChecks.requestId, requestId));
  const checkedEvents = (requestId: string) =>
    db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "identity.checked")))
      .orderBy(asc(auditEvents.seq));

  it("a copy: opened by staff first (audited), then checked; file and row are deleted, who, when, what and the result kept, and the person told", async () => {
    const { reference, cookie, requestId } = await provenCase("ausweis.pruefung@example.org");
    // Bytes of its own: the file can go (the other documents share theirs).
    const idBytes = Buffer.concat([png, Buffer.from("Ausweis Vorderseite")]);
    await upload(reference, cookie, "ausweis-vorderseite.png", idBytes);
    await upload(reference, cookie, "vollmacht.png");
    const other = await provenCase("anderer.fall@example.org");
    await upload(other.reference, other.cookie, "fremd.png");
    const docs = await db().select().from(attachments).where(eq(attachments.requestId, requestId));
    const idCard = docs.find((d) => d.fileName === "ausweis-vorderseite.png")!;
    const [foreign] = await db().select().from(attachments).where(eq(attachments.requestId, other.requestId));

    // Listed for staff, with who uploaded them.
    const before = ((await staffPage(requestId, handlerCookie)).data as StaffData).statutory.identity;
    expect(before.documents.map((d) => [d.fileName, d.byPerson])).toEqual([
      ["ausweis-vorderseite.png", true],
      ["vollmacht.png", true],
    ]);

    // Staff open the copy before deciding: its bytes, as a download that is neither cached nor sniffed.
    const opened = await openCopy(requestId, idCard.id, handlerCookie);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(idBytes)).toBe(true);
    expect(opened.headers.get("Content-Type")).toBe(idCard.contentType);
    expect(opened.headers.get("Cache-Control")).toBe("no-store");
    expect(opened.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(opened.headers.get("Content-Disposition")).toBe(
      "attachment; filename*=UTF-8''ausweis-vorderseite.png",
    );
    const reads = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "identity.document-read")));
    expect(reads.map((r) => [r.actorId, r.data])).toEqual([
      [handler.id, { documentId: idCard.id, size: idBytes.length, sha256: idCard.sha256 }],
    ]);
    // Not for a staff member who may not check, not for the person's session, not another case's copy.
    expect((await openCopy(requestId, idCard.id, adminCookie)).status).toBe(403);
    const asPerson = await openCopy(requestId, idCard.id, cookie);
    expect(asPerson.status).toBe(302);
    expect(asPerson.headers.get("Location")).toMatch(/^\/intern\/anmelden/);
    expect((await openCopy(requestId, foreign!.id, handlerCookie)).status).toBe(404);

    const copyCheck = {
      intent: "identity-check",
      how: "copy",
      documentKind: "id-card",
      numberTail: "t01x",
      result: "confirmed",
    };
    // A copy check without a copy, or with a document of another case: refused, nothing deleted.
    expect(await staffPost(requestId, handlerCookie, copyCheck)).toMatchObject({
      status: 400,
      data: { statutoryError: { section: "identity", reason: "nothing-checked" } },
    });
    expect(
      await staffPost(requestId, handlerCookie, { ...copyCheck, documentIds: [idCard.id, foreign!.id] }),
    ).toMatchObject({
      status: 400,
      data: { statutoryError: { section: "identity", reason: "unknown-document" } },
    });
    expect(await db().select().from(attachments).where(eq(attachments.requestId, requestId))).toHaveLength(2);
    expect(
      await db().select().from(attachments).where(eq(attachments.requestId, other.requestId)),
    ).toHaveLength(1);
    expect(await checks(requestId)).toEqual([]);

    const file = documentPath(services.config, idCard.sha256);
    expect(existsSync(file)).toBe(true);
    const startedAt = Date.now();
    expect(
      (
        await staffPost(requestId, handlerCookie, {
          ...copyCheck,
          documentIds: [idCard.id],
          reason: "Lichtbild stimmt überein",
        })
      ).status,
    ).toBe(302);
    // The ID document is gone (row and file); the power of attorney stays.
    expect(
      (await db().select().from(attachments).where(eq(attachments.requestId, requestId))).map(
        (d) => d.fileName,
      ),
    ).toEqual(["vollmacht.png"]);
    expect(existsSync(file)).toBe(false);
    expect((await openCopy(requestId, idCard.id, handlerCookie)).status).toBe(404);
    const [row] = await checks(requestId);
    expect(row).toMatchObject({
      checkedBy: handler.id,
      how: "copy",
      documentKind: "id-card",
      numberTail: "T01X",
      result: "confirmed",
      reason: "Lichtbild stimmt überein",
    });
    expect(row!.checkedAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(row!.checkedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const [checked] = await checkedEvents(requestId);
    expect(checked).toMatchObject({
      actorType: "staff",
      actorId: handler.id,
      reason: null,
      data: {
        checkId: row!.id,
        how: "copy",
        documentKind: "id-card",
        result: "confirmed",
        deletedDocuments: [
          { id: idCard.id, contentType: "image/png", size: idBytes.length, sha256: idCard.sha256 },
        ],
      },
    });
    // The audit trail names neither the file nor the number's tail nor what was typed, and holds no content.
    const trail = JSON.stringify(checked);
    for (const kept of ["ausweis-vorderseite", "T01X", "t01x", "Lichtbild"])
      expect(trail).not.toContain(kept);
    const after = ((await staffPage(requestId, handlerCookie)).data as StaffData).statutory.identity;
    expect(after.history).toEqual([
      {
        id: row!.id,
        by: "Name st-handler",
        at: row!.checkedAt.toISOString(),
        how: "copy",
        documentKind: "id-card",
        numberTail: "T01X",
        result: "confirmed",
        reason: "Lichtbild stimmt überein",
      },
    ]);
    // The person reads that the document was deleted; the message no longer lists it as attached.
    const messages = ((await personPage(reference, cookie)).data as PersonData).view.messages;
    expect(
      messages.some((m) =>
        m.body.includes("Das Dokument haben wir danach gelöscht (ausweis-vorderseite.png)"),
      ),
    ).toBe(true);
    expect(messages.flatMap((m) => m.attachments)).toEqual(["vollmacht.png"]);
    const [message] = await db()
      .select()
      .from(requestMessages)
      .where(and(eq(requestMessages.requestId, requestId), eq(requestMessages.direction, "to-person")));
    expect(message!.authorStaffId).toBe(handler.id);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it("in person: recorded without any document, the result (also 'not confirmed', with its reason) kept and told", async () => {
    const { reference, cookie, requestId } = await provenCase("ausweis.schalter@example.org");
    const startedAt = Date.now();
    expect(
      (
        await staffPost(requestId, dpoCookie, {
          intent: "identity-check",
          how: "in-person",
          documentKind: "passport",
          numberTail: " c4f9 ",
          result: "not-confirmed",
          reason: "Lichtbild weicht ab",
        })
      ).status,
    ).toBe(302);
    const [row] = await checks(requestId);
    expect(row).toMatchObject({
      checkedBy: dpo.id,
      how: "in-person",
      documentKind: "passport",
      numberTail: "C4F9",
      result: "not-confirmed",
      reason: "Lichtbild weicht ab",
    });
    expect(row!.checkedAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    const [checked] = await checkedEvents(requestId);
    expect(checked!.data).toEqual({
      checkId: row!.id,
      how: "in-person",
      documentKind: "passport",
      result: "not-confirmed",
      deletedDocuments: [],
    });
    expect(JSON.stringify(checked)).not.toContain("C4F9");
    const messages = ((await personPage(reference, cookie)).data as PersonData).view.messages;
    expect(
      messages.some((m) =>
        m.body.includes("Wir konnten Ihre Identität anhand des vorgelegten Ausweises nicht bestätigen"),
      ),
    ).toBe(true);
  });

  it("refuses a number tail that is not exactly four letters or digits, at its field and with what was typed", async () => {
    const { requestId } = await provenCase("ausweis.nummer@example.org");
    for (const numberTail of ["12345", "12-4", "ABC", "", "Ä123"]) {
      const refused = await staffPost(requestId, handlerCookie, {
        intent: "identity-check",
        how: "in-person",
        documentKind: "id-card",
        numberTail,
        result: "confirmed",
      });
      expect(refused).toMatchObject({
        status: 400,
        data: {
          statutoryError: { section: "identity", reason: "number-tail" },
          sentBack: {
            intent: "identity-check",
            result: { error: { numberTail: ["number-tail"] }, initialValue: { how: "in-person" } },
          },
        },
      });
    }
    // The message for it, in both languages.
    expect(messagesFor("de").statutory.identity.errors["number-tail"]).toMatch(/letzten vier Zeichen/);
    expect(messagesFor("en").statutory.identity.errors["number-tail"]).toMatch(/last four characters/);
    expect(await checks(requestId)).toEqual([]);
    expect(await checkedEvents(requestId)).toEqual([]);
    // The database refuses it too, should a writer other than the use case try.
    await expect(
      db().insert(identityChecks).values({
        requestId,
        checkedBy: handler.id,
        how: "in-person",
        documentKind: "id-card",
        numberTail: "L01X2",
        result: "confirmed",
      }),
    ).rejects.toThrow();
  });

  it("a copy whose file is missing or damaged is said, never sent as empty bytes", async () => {
    const { reference, cookie, requestId } = await provenCase("ausweis.defekt@example.org");
    const bytes = Buffer.concat([png, Buffer.from("defekt")]);
    await upload(reference, cookie, "scan.png", bytes);
    const [document] = await db().select().from(attachments).where(eq(attachments.requestId, requestId));
    const file = documentPath(services.config, document!.sha256);
    writeFileSync(file, Buffer.from("anders"));
    const damaged = await openCopy(requestId, document!.id, handlerCookie);
    expect(damaged.status).toBe(500);
    expect(await damaged.text()).toMatch(/beschädigt/);
    rmSync(file);
    const missing = await openCopy(requestId, document!.id, handlerCookie);
    expect(missing.status).toBe(500);
    expect(await missing.text()).toMatch(/fehlt/);
  });
});

describe("findings past their store's deletion date", () => {
  it("are flagged on the case page, counted per store on the retention page and on the dashboard; held records and closed cases are told apart", async () => {
    const now = new Date();
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const { requestId } = await provenCase("loeschfrist@example.org");
    // An earlier gathering is not counted: only the latest shows the stores as they are.
    await gathering(requestId, [{ store: "mail-poststelle", ref: "old-run/1", recordedAt: daysAgo(400) }]);
    const { rows } = await gathering(requestId, [
      { store: "mail-poststelle", ref: "p/old", recordedAt: daysAgo(100) },
      { store: "mail-poststelle", ref: "p/new", recordedAt: daysAgo(10) },
      { store: "mail-poststelle", ref: "p/held", recordedAt: daysAgo(100), flags: ["legal-hold"] },
      {
        store: "telefon",
        storeKind: "call-records-csv",
        activity: "telephone",
        ref: "t/1",
        recordedAt: daysAgo(30),
      },
      {
        store: "servicedesk",
        storeKind: "servicedesk-db",
        activity: "support-ticket",
        ref: "ticket/1",
        recordedAt: daysAgo(2000),
        content: { table: "ticket", closed_at: daysAgo(1000).toISOString() },
      },
      {
        store: "servicedesk",
        storeKind: "servicedesk-db",
        activity: "support-ticket",
        ref: "ticket/2",
        recordedAt: daysAgo(2000),
        content: { table: "ticket", closed_at: null },
      },
    ]);
    const env = await retentionEnv(db(), services.config);
    const overdue = await overdueFindingsOfCase(env, requestId, now);
    expect(overdue.map((f) => [f.ref, f.held]).sort()).toEqual([
      ["p/held", true],
      ["p/old", false],
      ["t/1", false],
      ["ticket/1", false],
    ]);
    const old = overdue.find((f) => f.ref === "p/old")!;
    expect(old).toMatchObject({
      ruleId: "mailbox-poststelle",
      findingId: rows[0]!.id,
      dueAt: deletionDue(retentionRules["mailbox-poststelle"], daysAgo(100)).toISOString(),
    });
    expect(overdue.find((f) => f.ref === "ticket/1")!.dueAt).toBe(
      deletionDue(retentionRules.ticket, daysAgo(1000)).toISOString(),
    );

    const shown = ((await staffPage(requestId, handlerCookie)).data as StaffData).statutory.overdue;
    expect(shown.total).toBe(4);

    // A closed case's findings are not counted: its answer is out, the sweep has moved on.
    const closed = await provenCase("geschlossen@example.org");
    await gathering(closed.requestId, [
      { store: "mail-poststelle", ref: "closed/1", recordedAt: daysAgo(100) },
    ]);
    await db().update(requests).set({ status: "answered" }).where(eq(requests.id, closed.requestId));

    const retention = await outcome(() =>
      aufbewahrung.loader({
        request: new Request(`${testBase}/intern/aufbewahrung`, { headers: { Cookie: adminCookie } }),
        params: {},
        context: context(),
      } as never),
    );
    const summary = (
      retention.data as {
        overdue: {
          total: number;
          cases: number;
          stores: { store: string; count: number; held: number; cases: { id: string }[] }[];
        };
      }
    ).overdue;
    const poststelle = summary.stores.find((s) => s.store === "mail-poststelle")!;
    expect(poststelle).toMatchObject({ count: 2, held: 1, cases: [{ id: requestId }] });
    expect(summary.stores.find((s) => s.store === "telefon")).toMatchObject({ count: 1 });

    const dashboard = await outcome(() =>
      uebersicht.loader({
        request: new Request(`${testBase}/intern/uebersicht`, { headers: { Cookie: dpoCookie } }),
        params: {},
        context: context(),
      } as never),
    );
    // Held records are lawfully kept: the figure counts the others (earlier tests' cases have no dated findings).
    expect((dashboard.data as { overdue: { total: number; cases: number } }).overdue).toEqual({
      total: summary.total,
      cases: summary.cases,
    });
    expect(summary.total).toBe(3);
  });

  it("the retention page gives every rule's legal basis in English on the English page", () => {
    for (const id of retentionRuleIds) {
      const english = legalReferenceIn(retentionRules[id], "en");
      expect(english, id).not.toMatch(
        /Speicherfrist|Richtlinie|Abs\.|Buchst\.|festgelegt|Organisationsregel|Standardfrist/,
      );
      expect(legalReferenceIn(retentionRules[id], "de")).toBe(retentionRules[id].legalReference);
    }
  });
});
