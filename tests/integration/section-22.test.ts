/**
 * § 22 ThürDSG: on an erasure request staff may restrict a record instead of erasing it, with the
 * statute's ground; a second person approves, the store holds the record (read in its side table),
 * and the person's confirmation says so with the ground. Without a ground, or on a request that is
 * not for erasure, the proposal is refused with a message. Real stores of a generated sample.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, findingActions, findings, mailOutbox, requestMessages } from "#db/schema";
import { verifyAuditChain } from "#app/server/audit.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { carryOutApproved } from "#app/server/execution/carry-out.server";
import { recordLine } from "#app/server/execution/confirmation.server";
import { type ExecutionEnv, executionEnv } from "#app/server/execution/env.server";
import type { Services } from "#app/server/services.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { messagesFor } from "#app/i18n";
import * as umsetzung from "#app/routes/intern/umsetzung";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff, openStaffSession } from "../support/staff";
import { gatheredCase } from "../support/cases";
import { cachedSample } from "../support/sample-cache";
import type { RequestKindSlug } from "#app/core/request-kinds";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-section22-"));
let services: Services;
let close: () => Promise<void>;
let env: ExecutionEnv;
let person: AnswerKeyPerson;
let handler: StaffIdentity;
let dpo: StaffIdentity;
const now = new Date("2025-11-20T10:00:00Z");
const de = messagesFor("de").execution;
const en = messagesFor("en").execution;

/** A proven case of the person, gathered in every store; its retrieval protocols (held in a side table when restricted). */
async function caseWithProtocols(
  kinds: RequestKindSlug[],
): Promise<{ requestId: string; protocols: (typeof findings.$inferSelect)[] }> {
  const { requestId, runId } = await gatheredCase(services, person, kinds, {
    at: now,
    identifiers: ["email", "name", "user-name", "postal-address", "birth-date"],
  });
  const protocols = await services.db
    .select()
    .from(findings)
    .where(and(eq(findings.runId, runId), eq(findings.store, "abrufprotokolle")));
  return { requestId, protocols };
}

const executionPath = (requestId: string) => `/intern/vorgaenge/${requestId}/umsetzung`;
const call = async (requestId: string, staff: StaffIdentity, fields: Record<string, string | string[]>) =>
  outcome(async () =>
    umsetzung.action({
      request: post(
        executionPath(requestId),
        fields,
        await openStaffSession(services.db, services.config, staff.id),
      ),
      params: { id: requestId },
      context: routeContext(services),
    } as never),
  );
const held = async (ref: string) =>
  (
    await services.database.sql.query<{ ref: string }>(
      "select ref from melderegister.portal_legal_hold where ref = $1",
      [ref],
    )
  ).length === 1;

async function renderedPage(requestId: string, staff: StaffIdentity, actionData?: unknown): Promise<string> {
  const loaderData = await umsetzung.loader({
    request: new Request(`${testBase}${executionPath(requestId)}`, {
      headers: { Cookie: await openStaffSession(services.db, services.config, staff.id) },
    }),
    params: { id: requestId },
    context: routeContext(services),
  } as never);
  const Stub = createRoutesStub([
    { id: "umsetzung", path: "/intern/vorgaenge/:id/umsetzung", Component: umsetzung.default },
  ]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [executionPath(requestId)],
      hydrationData: {
        loaderData: { umsetzung: loaderData },
        actionData: actionData ? { umsetzung: actionData } : undefined,
      },
    }),
  );
}

beforeAll(async () => {
  const sample = await cachedSample({ people: 40, days: 20, seed: "section-22", out: sampleDir });
  person = sample.answerKey.persons.find(
    (p) => p.records.filter((r) => r.store === "abrufprotokolle").length >= 2,
  )!;
  expect(person, "a person with two retrieval protocols").toBeDefined();
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
  await loadDatabaseStores(services.database.sql, sampleDir);
  env = await executionEnv({ db: services.database.db, config: services.config, sources: services.sources });
  handler = await createStaff(services.db, "s22-handler", "case-handler", "s22-handler");
  dpo = await createStaff(services.db, "s22-dpo", "dpo", "s22-dpo");
}, 180_000);
afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

describe("§ 22 ThürDSG: restriction instead of erasure", () => {
  it("is refused without a ground, with an unknown ground, and on a request that is not for erasure — with a message, nothing proposed", async () => {
    const erasure = await caseWithProtocols(["loeschung"]);
    const record = erasure.protocols[0]!;
    const noGround = await call(erasure.requestId, handler, {
      intent: "propose",
      action: "restrict-instead",
      findingIds: [record.id],
    });
    expect(noGround).toMatchObject({ status: 400, data: { error: "section-22-ground-required" } });
    expect(
      await call(erasure.requestId, handler, {
        intent: "propose",
        action: "restrict-instead",
        findingIds: [record.id],
        ground: "convenience",
      }),
    ).toMatchObject({
      status: 400,
      data: { error: "section-22-ground-required" },
    });
    // A plain restriction is no answer to an erasure request.
    expect(
      await call(erasure.requestId, handler, {
        intent: "propose",
        action: "restrict",
        findingIds: [record.id],
      }),
    ).toMatchObject({ status: 409, data: { error: "kind-not-requested" } });
    // The page names what is wrong and points to the ground's field.
    const html = await renderedPage(erasure.requestId, handler, noGround.data);
    expect(html).toContain(de.errors["section-22-ground-required"]);
    expect(html).toContain('href="#pa-ground"');
    expect(html).toContain(de.actions["restrict-instead"]);

    const restriction = await caseWithProtocols(["einschraenkung"]);
    expect(
      await call(restriction.requestId, handler, {
        intent: "propose",
        action: "restrict-instead",
        findingIds: [restriction.protocols[0]!.id],
        ground: "disproportionate",
      }),
    ).toMatchObject({
      status: 409,
      data: { error: "section-22-not-erasure" },
    });
    // Not offered where the person did not ask for erasure.
    expect(await renderedPage(restriction.requestId, handler)).not.toContain(de.actions["restrict-instead"]);
    expect(en.errors["section-22-not-erasure"]).toMatch(/§ 22 ThürDSG/);

    const proposed = await services.database.db
      .select()
      .from(findingActions)
      .where(eq(findingActions.findingId, record.id));
    expect(proposed).toEqual([]);
    const refusals = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, erasure.requestId), eq(auditEvents.action, "staff.refused")));
    expect(refusals.map((e) => e.reason)).toEqual(
      expect.arrayContaining(["section-22-ground-required", "kind-not-requested"]),
    );
  }, 120_000);

  it("is proposed with its ground, approved by a second person, held in the store, and explained to the person with § 22 and the ground", async () => {
    const { db } = services.database;
    const { requestId, protocols } = await caseWithProtocols(["loeschung"]);
    const [record, other] = protocols as [typeof findings.$inferSelect, typeof findings.$inferSelect];
    expect(await held(record.ref)).toBe(false);

    expect(
      await call(requestId, handler, {
        intent: "propose",
        action: "restrict-instead",
        findingIds: [record.id],
        ground: "disproportionate",
      }),
    ).toMatchObject({ status: 302 });
    const [proposal] = await db.select().from(findingActions).where(eq(findingActions.findingId, record.id));
    expect(proposal).toMatchObject({
      action: "restrict",
      status: "proposed",
      refusalReason: "section-22:disproportionate",
      proposedBy: handler.id,
    });
    // The staff page shows the ground with the proposal; an erasure of the same record may not be proposed beside it, nor another § 22.
    expect(await renderedPage(requestId, dpo)).toContain(
      de.section22.shown(de.section22.grounds.disproportionate),
    );
    expect(
      await call(requestId, handler, { intent: "propose", action: "erase", findingIds: [record.id] }),
    ).toMatchObject({ status: 409, data: { error: "already-open" } });
    expect(
      await call(requestId, handler, {
        intent: "propose",
        action: "restrict-instead",
        findingIds: [record.id],
        ground: "person-interest",
      }),
    ).toMatchObject({
      status: 409,
      data: { error: "already-open" },
    });

    // Four eyes: the proposer may not approve; a DPO who did not propose does.
    expect(await call(requestId, handler, { intent: "approve", actionIds: [proposal!.id] })).toMatchObject({
      status: 403,
    });
    expect(await call(requestId, dpo, { intent: "approve", actionIds: [proposal!.id] })).toMatchObject({
      status: 302,
    });
    const [approved] = await db.select().from(findingActions).where(eq(findingActions.id, proposal!.id));
    expect(approved).toMatchObject({
      status: "approved",
      approvedBy: dpo.id,
      refusalReason: "section-22:disproportionate",
    });

    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 1 });
    // The store holds the record (its side table), the other record is untouched.
    expect(await held(record.ref)).toBe(true);
    expect(await held(other.ref)).toBe(false);
    const [done] = await db.select().from(findingActions).where(eq(findingActions.id, proposal!.id));
    expect(done).toMatchObject({ status: "done", refusalReason: "section-22:disproportionate" });

    const mails = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, person.identifiers.emails[0]!)))
      .orderBy(mailOutbox.createdAt);
    const confirmation = mails.at(-1)!;
    const sentence =
      "Statt Ihre Daten zu löschen, haben wir ihre Verarbeitung eingeschränkt (§ 22 ThürDSG), weil eine Löschung wegen der besonderen Art der Speicherung nur mit unverhältnismäßig hohem Aufwand möglich wäre. Die Daten werden nur noch gespeichert und für nichts anderes verwendet.";
    expect(de.mail.section22Instead(de.mail.section22Because.disproportionate)).toBe(sentence);
    expect(confirmation.text).toContain(`${de.mail.restricted}\n- ${recordLine(env, record, "de")}`);
    expect(confirmation.text).toContain(sentence);
    // The other records are not yet decided and are counted as such — the restricted one is not among them.
    expect(confirmation.text).toContain(
      de.mail.undecided(
        (await db.select().from(findings).where(eq(findings.runId, record.runId))).length - 1,
      ),
    );
    expect(confirmation.text).not.toContain(de.mail.notErased);
    // The person keeps the same text on the case page.
    const messages = await db.select().from(requestMessages).where(eq(requestMessages.requestId, requestId));
    expect(messages.some((m) => m.body === confirmation.text)).toBe(true);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  }, 120_000);

  it("says it in English to an English-speaking person", () => {
    expect(en.mail.section22Instead(en.mail.section22Because["person-interest"])).toBe(
      "Instead of erasing your data, we have restricted their processing (§ 22 ThürDSG), because erasure would harm your legitimate interests. The data are only stored and used for nothing else.",
    );
  });
});
