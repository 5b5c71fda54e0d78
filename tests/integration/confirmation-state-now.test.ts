/**
 * The confirmation (Art. 12(3), 18, 19) names each record in the state it is in now: a restriction
 * lifted since is said to be lifted (the person was told before, Art. 18(3)), not "restricted"; a
 * record erased after a hold that kept it until its erasure is "erased", not also "restricted".
 * The lift runs through propose, approve and the store; the erased record's actions are written as
 * the carry-out leaves them, and the confirmation is read from the outbox.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findingActions, findings, gatherRuns, mailOutbox, requestMessages, requests } from "#db/schema";
import type { Lang } from "#app/core/languages";
import { messagesFor } from "#app/i18n";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { approve, propose } from "#app/server/execution/actions.server";
import { carryOutApproved } from "#app/server/execution/carry-out.server";
import { queueConfirmation } from "#app/server/execution/confirmation.server";
import type { ExecutionEnv } from "#app/server/execution/env.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { deliverMail } from "#app/server/mail/outbox.server";
import type { Services } from "#app/server/services.server";
import { gatheredCase } from "../support/cases";
import { type ExecutionSample, openExecutionSample } from "../support/execution-sample";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-confirmation-now-"));
let services: Services;
let close: () => Promise<void>;
let env: ExecutionEnv;
let sample: ExecutionSample["sample"];
let handler: StaffIdentity;
let dpo: StaffIdentity;
const now = new Date("2025-11-20T10:00:00Z");

beforeAll(async () => {
  ({ sample, services, env, handler, dpo, close } = await openExecutionSample(sampleDir));
}, 120_000);
afterAll(() => close());

/** The lines under a heading of the confirmation, up to the next blank line. */
function section(body: string, heading: string): string {
  const start = body.indexOf(heading);
  if (start < 0) return "";
  const rest = body.slice(start + heading.length);
  const end = rest.indexOf("\n\n");
  return end < 0 ? rest : rest.slice(0, end);
}

it("the confirmation sent when a restriction was lifted says it was lifted, not that the record is restricted", async () => {
  const db = services.database.db;
  const person = sample.answerKey.persons.filter((p) => p.records.some((r) => r.store === "telefon"))[1]!;
  const c = await gatheredCase(services, person, ["einschraenkung"], { at: now });
  const f = (await db.select().from(findings).where(eq(findings.runId, c.runId))).find(
    (x) => x.store === "telefon",
  )!;
  const restrict = await propose(env, handler, c.requestId, { action: "restrict", findingIds: [f.id] }, now);
  await approve(env, dpo, c.requestId, restrict, now);
  await carryOutApproved(env, { requestId: c.requestId, now });
  const [lift] = await propose(
    env,
    handler,
    c.requestId,
    { action: "lift-restriction", findingIds: [f.id] },
    now,
  );
  await approve(env, dpo, c.requestId, [lift!], now);
  const [liftRow] = await db.select().from(findingActions).where(eq(findingActions.id, lift!));
  const transport = { send: async () => ({ messageId: "lift-notice" }), close() {} };
  expect(await deliverMail(db, transport, liftRow!.changes!.noticeOutboxId!)).toBe("sent");
  expect(await carryOutApproved(env, { requestId: c.requestId, now })).toMatchObject({ done: 1 });

  const [last] = await db
    .select()
    .from(requestMessages)
    .where(eq(requestMessages.requestId, c.requestId))
    .orderBy(desc(requestMessages.createdAt))
    .limit(1);
  const m = messagesFor("de").execution.mail;
  expect(section(last!.body, m.restricted)).not.toContain(f.ref);
  expect(section(last!.body, m.restrictionLifted)).toContain(f.ref);
}, 180_000);

it.each<Lang>(["de", "en"])(
  "a record erased after the hold that kept it until then is listed as erased only (%s)",
  async (lang) => {
    const db = services.database.db;
    const [request] = await db
      .insert(requests)
      .values({
        status: "received",
        kinds: ["loeschung"],
        channel: "web",
        contactEmail: "erika@example.org",
        reference: `DSR-2026-${lang === "de" ? "910001" : "910002"}`,
        receivedAt: now,
        lang,
      })
      .returning();
    const [run] = await db.insert(gatherRuns).values({ requestId: request!.id, version: 1 }).returning();
    const content = { ticket: 3, subject: "Kontaktformular" };
    const [finding] = await db
      .insert(findings)
      .values({
        runId: run!.id,
        store: "servicedesk",
        storeKind: "servicedesk-db",
        processingActivityId: "contact-form",
        ref: `${request!.reference}/r0`,
        flags: [],
        unproven: false,
        matched: {
          kind: "email",
          value: "erika@example.org",
          recordValue: "erika@example.org",
          proven: true,
        },
        recordedAt: new Date("2025-10-01T10:00:00Z"),
        content,
        contentHash: contentHashOf(content),
      })
      .returning();
    const base = {
      requestId: request!.id,
      findingId: finding!.id,
      proposedBy: handler.id,
      approvedBy: dpo.id,
    };
    // As an upheld objection with a deferred erasure leaves them once the erasure was carried out.
    await db.insert(findingActions).values([
      {
        ...base,
        action: "restrict",
        status: "done",
        changes: { purpose: "pending-erasure" },
        executedAt: new Date("2025-11-01T10:00:00Z"),
      },
      { ...base, action: "erase", status: "done", executedAt: new Date("2025-11-19T10:00:00Z") },
    ]);
    const outboxId = await db.transaction(async (tx) =>
      queueConfirmation(tx, env, (await tx.select().from(requests).where(eq(requests.id, request!.id)))[0]!),
    );
    const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, outboxId));
    const m = messagesFor(lang).execution.mail;
    expect(section(mail!.text, m.erased)).toContain(finding!.ref);
    expect(mail!.text).not.toContain(m.restricted);
    expect(mail!.text).not.toContain(m.restrictionLifted);
  },
);
