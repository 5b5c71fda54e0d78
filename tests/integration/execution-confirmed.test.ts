/**
 * "Done" only when the store confirms it: erasures and rectifications carried out in the real
 * stores of a generated sample, each read again afterwards. Rotation, a vanished record, a corrupt
 * archive, a hold of another case; retry and resolution by hand; and nobody outside staff hears of
 * an action the store did not confirm.
 */
import { mkdtempSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { and, eq, gt, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, findingActions, findings, mailOutbox, recipientNotifications } from "#db/schema";
import { verifyAuditChain } from "#app/server/audit.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { approve, propose } from "#app/server/execution/actions.server";
import { carryOutApproved } from "#app/server/execution/carry-out.server";
import type { ExecutionEnv } from "#app/server/execution/env.server";
import { resolveByHand, retryFailed } from "#app/server/execution/failed-actions.server";
import { loadExecutionPage } from "#app/server/execution/view.server";
import type { Services } from "#app/server/services.server";
import { lineHash, parseLineRef } from "#app/sources/files.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import * as umsetzung from "#app/routes/intern/umsetzung";
import { outcome, post, routeContext } from "../support/route-calls";
import { type ExecutionSample, openExecutionSample } from "../support/execution-sample";
import { openStaffSession } from "../support/staff";
import { gatheredCase } from "../support/cases";
import { renderedPage } from "../support/rendered-page";
import type { RequestKindSlug } from "#app/core/request-kinds";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-confirmed-"));
const telefonDir = path.join(sampleDir, "telefon");
let services: Services;
let close: () => Promise<void>;
let env: ExecutionEnv;
let sample: ExecutionSample["sample"];
let handler: StaffIdentity;
let dpo: StaffIdentity;
/** Shortly after the sample's last day: call records may be erased at once. */
const now = new Date("2025-11-20T10:00:00Z");

/** A proven case of the person, gathered in every store (without IP addresses), and its findings. */
async function caseWithFindings(
  person: AnswerKeyPerson,
  kinds: RequestKindSlug[],
): Promise<{ requestId: string; rows: (typeof findings.$inferSelect)[] }> {
  const { requestId, runId } = await gatheredCase(services, person, kinds, {
    at: now,
    identifiers: ["email", "name", "phone", "user-name", "postal-address", "birth-date"],
  });
  return { requestId, rows: await services.db.select().from(findings).where(eq(findings.runId, runId)) };
}

async function proposedAndApproved(requestId: string, findingIds: string[]): Promise<Map<string, string>> {
  const ids = await propose(env, handler, requestId, { action: "erase", findingIds }, now);
  await approve(env, dpo, requestId, ids, now);
  const rows = await services.database.db
    .select()
    .from(findingActions)
    .where(inArray(findingActions.id, ids));
  for (const row of rows) expect(row.status, row.findingId).toBe("approved");
  return new Map(rows.map((r) => [r.findingId, r.id]));
}

async function actionRow(id: string) {
  const [row] = await services.database.db.select().from(findingActions).where(eq(findingActions.id, id));
  return row!;
}

/** Every mail of the case written after `since`, to anyone. */
async function mailsSince(requestId: string, since: Date) {
  return services.database.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.requestId, requestId), gt(mailOutbox.createdAt, since)));
}

function lineHashes(text: string): Set<string> {
  return new Set(
    text
      .split("\n")
      .filter(Boolean)
      .map((line) => lineHash(Buffer.from(line, "latin1"))),
  );
}

/** A call-record file as an operator edits it by hand: the line with this hash taken out. */
function dropLine(rel: string, hash: string): void {
  const file = path.join(telefonDir, rel);
  const lines = readFileSync(file, "latin1").split("\n");
  const kept = lines.filter((line) => !line || lineHash(Buffer.from(line, "latin1")) !== hash);
  expect(kept.length).toBe(lines.length - 1);
  writeFileSync(file, kept.join("\n"), "latin1");
}

/** What logrotate's `compress` does to a day file: gzipped under the name with `.gz`, the original gone. */
function compress(rel: string): Buffer {
  const plain = readFileSync(path.join(telefonDir, rel));
  writeFileSync(path.join(telefonDir, `${rel}.gz`), gzipSync(plain));
  unlinkSync(path.join(telefonDir, rel));
  return plain;
}

beforeAll(async () => {
  ({ sample, services, env, handler, dpo, close } = await openExecutionSample(sampleDir));
}, 120_000);
afterAll(() => close());

/** A person with call records in the most different day files (and, if asked, a mail in a mailbox). */
function callerWithDays(minDays: number, withMail = false): AnswerKeyPerson {
  const days = (p: AnswerKeyPerson) =>
    new Set(p.records.filter((r) => r.store === "telefon").map((r) => parseLineRef(r.ref)?.rel)).size;
  const candidates = sample.answerKey.persons.filter(
    (p) => !withMail || p.records.some((r) => r.store.startsWith("mail-")),
  );
  const person = [...candidates].sort((a, b) => days(b) - days(a))[0]!;
  expect(days(person)).toBeGreaterThanOrEqual(minDays);
  return person;
}

describe("erasures in a call-record store that rotates", () => {
  let caller: AnswerKeyPerson;
  let requestId: string;
  let rows: (typeof findings.$inferSelect)[];
  let rotated: typeof findings.$inferSelect;
  let vanished: typeof findings.$inferSelect;
  let corrupt: typeof findings.$inferSelect;
  const actions = new Map<string, string>();
  let corruptPlain: Buffer;
  let startedAt: Date;

  beforeAll(async () => {
    caller = callerWithDays(3, true);
    ({ requestId, rows } = await caseWithFindings(caller, ["loeschung"]));
    // One record from each of three day files.
    const byFile = new Map<string, typeof findings.$inferSelect>();
    for (const row of rows.filter((f) => f.store === "telefon"))
      byFile.set(parseLineRef(row.ref)!.rel, byFile.get(parseLineRef(row.ref)!.rel) ?? row);
    const [first, second, third] = [...byFile.values()];
    if (!first || !second || !third) throw new Error("the sample has fewer than three telefon day files");
    [rotated, vanished, corrupt] = [first, second, third];
    for (const [findingId, actionId] of await proposedAndApproved(requestId, [rotated.id, vanished.id]))
      actions.set(findingId, actionId);
    // Meanwhile the store lives on: a day file is compressed, a record is taken out by someone else.
    compress(parseLineRef(rotated.ref)!.rel);
    dropLine(parseLineRef(vanished.ref)!.rel, parseLineRef(vanished.ref)!.hash);
    startedAt = new Date(Date.now() - 1);
  }, 120_000);

  it("erases the record of the compressed file and confirms it; the vanished one fails with the reason", async () => {
    const result = await carryOutApproved(env, { requestId, now });
    expect(result).toMatchObject({ done: 1, failed: 1 });
    const done = await actionRow(actions.get(rotated.id)!);
    expect(done).toMatchObject({ status: "done", error: null });
    expect(done.executedAt).toEqual(now);
    const rotatedText = gunzipSync(
      readFileSync(path.join(telefonDir, `${parseLineRef(rotated.ref)!.rel}.gz`)),
    ).toString("latin1");
    expect(lineHashes(rotatedText).has(parseLineRef(rotated.ref)!.hash)).toBe(false);
    expect(rotatedText.length).toBeGreaterThan(0);
    const states = await services.sources.connectors.get("telefon")!.inspect([rotated.ref]);
    expect(states.get(rotated.ref)).toMatchObject({ state: "absent" });

    const gone = await actionRow(actions.get(vanished.id)!);
    expect(gone.status).toBe("failed");
    expect(gone.error).toMatch(/^erase: store "telefon": the record was not found in the store/);
  });

  it("tells the person and the recipients of the confirmed erasure only", async () => {
    const mails = await mailsSince(requestId, startedAt);
    const confirmation = mails.find((m) => m.to === caller.identifiers.emails[0])!;
    expect(confirmation.text).toContain("Gelöscht:");
    expect(confirmation.text).toContain(rotated.ref);
    const notices = mails.filter((m) => m.to === "telefonzentrale@tlrz.thueringen.de");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(rotated.ref);
    for (const mail of mails) expect(mail.text).not.toContain(vanished.ref);
    const told = await services.database.db
      .select()
      .from(recipientNotifications)
      .where(eq(recipientNotifications.requestId, requestId));
    expect(told.map((t) => `${t.processingActivityId} ${t.action}`)).toEqual(["telephone erase"]);
  });

  it("fails only the actions of a corrupt archive in a batch; the rest is erased and told", async () => {
    const mail = rows.find((f) => f.store.startsWith("mail-"))!;
    for (const [findingId, actionId] of await proposedAndApproved(requestId, [corrupt.id, mail.id]))
      actions.set(findingId, actionId);
    const corruptRel = parseLineRef(corrupt.ref)!.rel;
    corruptPlain = compress(corruptRel);
    const bytes = readFileSync(path.join(telefonDir, `${corruptRel}.gz`));
    bytes.fill(0x41, 20, bytes.length - 8);
    writeFileSync(path.join(telefonDir, `${corruptRel}.gz`), bytes);
    const since = new Date(Date.now() - 1);

    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 1, failed: 1 });
    expect((await actionRow(actions.get(mail.id)!)).status).toBe("done");
    const broken = await actionRow(actions.get(corrupt.id)!);
    expect(broken.status).toBe("failed");
    expect(broken.error).toMatch(/^erase: store "telefon": /);
    expect(broken.error).toContain(`${corruptRel}.gz cannot be read`);
    // The reasons name files and operations, never a record's content.
    for (const error of [broken.error!, (await actionRow(actions.get(vanished.id)!)).error!])
      for (const phone of caller.identifiers.phones) expect(error).not.toContain(phone);
    const mails = await mailsSince(requestId, since);
    expect(mails.find((m) => m.to === caller.identifiers.emails[0])!.text.split("Gelöscht:")[1]).toContain(
      mail.ref,
    );
    for (const m of mails) expect(m.text).not.toContain(corrupt.ref);
  });

  it("shows staff the failed actions with their reasons", async () => {
    const page = await loadExecutionPage(env, requestId, now);
    expect(page!.failed.map((f) => f.id).sort()).toEqual(
      [actions.get(vanished.id)!, actions.get(corrupt.id)!].sort(),
    );
    expect(page!.failed.every((f) => f.error.length > 0 && f.store === "telefon")).toBe(true);
  });

  it("runs a failed erasure again once the archive is repaired, and confirms it", async () => {
    const corruptRel = parseLineRef(corrupt.ref)!.rel;
    writeFileSync(path.join(telefonDir, `${corruptRel}.gz`), gzipSync(corruptPlain));
    const since = new Date(Date.now() - 1);
    const result = await retryFailed(env, handler, requestId, [actions.get(corrupt.id)!], now);
    expect(result).toMatchObject({ done: 1, failed: 0 });
    expect(await actionRow(actions.get(corrupt.id)!)).toMatchObject({ status: "done", error: null });
    const text = gunzipSync(readFileSync(path.join(telefonDir, `${corruptRel}.gz`))).toString("latin1");
    expect(lineHashes(text).has(parseLineRef(corrupt.ref)!.hash)).toBe(false);
    expect(lineHashes(text).size).toBe(lineHashes(corruptPlain.toString("latin1")).size - 1);
    const mails = await mailsSince(requestId, since);
    expect(mails.some((m) => m.text.includes(corrupt.ref))).toBe(true);
    for (const mail of mails) expect(mail.text).not.toContain(vanished.ref);
    // Run again, the record that vanished before its erasure still cannot be confirmed as our erasure.
    expect(await retryFailed(env, handler, requestId, [actions.get(vanished.id)!], now)).toMatchObject({
      done: 0,
      failed: 1,
    });
    await expect(retryFailed(env, handler, requestId, [actions.get(corrupt.id)!], now)).rejects.toMatchObject(
      { reason: "not-failed" },
    );
  });

  it("accepts a resolution by hand of the vanished record, since the store shows it gone", async () => {
    await expect(
      resolveByHand(env, handler, requestId, actions.get(vanished.id)!, "kurz"),
    ).rejects.toMatchObject({ reason: "note-required" });
    const result = await resolveByHand(
      env,
      handler,
      requestId,
      actions.get(vanished.id)!,
      "Zeile war schon vom Betrieb entfernt (Ticket 4711).",
      now,
    );
    expect(result.ok).toBe(true);
    expect(await actionRow(actions.get(vanished.id)!)).toMatchObject({
      status: "done",
      resolvedBy: handler.id,
      resolutionNote: "Zeile war schon vom Betrieb entfernt (Ticket 4711).",
    });
  });
});

describe("an erasure kept by another case's hold, resolved by hand", () => {
  let requestId: string;
  let held: typeof findings.$inferSelect;
  let actionId: string;
  let cookie: string;
  const act = (fields: Record<string, string>) => {
    const request = post(`/intern/vorgaenge/${requestId}/umsetzung`, fields, cookie);
    return outcome(() =>
      umsetzung.action({ request, params: { id: requestId }, context: routeContext(services) } as never),
    );
  };

  beforeAll(async () => {
    // Someone else than the first case's caller, whose call-record files nobody touched.
    const first = callerWithDays(3, true);
    const caller = sample.answerKey.persons.find(
      (p) => p !== first && p.records.some((r) => r.store === "telefon"),
    )!;
    const gathered = await caseWithFindings(caller, ["loeschung"]);
    requestId = gathered.requestId;
    held = gathered.rows.find((f) => f.store === "telefon")!;
    expect(held.ref).toMatch(/\.csv:/);
    // Another case restricted this record: the erasure must keep it.
    expect(
      (await services.sources.connectors.get("telefon")!.restrict([held.ref], true, "case-1")).changed,
    ).toBe(1);
    actionId = (await proposedAndApproved(requestId, [held.id])).get(held.id)!;
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 1 });
    cookie = await openStaffSession(services.db, services.config, handler.id);
  }, 120_000);

  it("fails with the hold as reason, and writes to nobody", async () => {
    const row = await actionRow(actionId);
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/legal hold/);
    expect(
      await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId)),
    ).toHaveLength(0);
  });

  /** The execution page as the handler sees it, with what the last action answered, if anything. */
  async function executionPage(actionData?: unknown) {
    const page = await loadExecutionPage(env, requestId, now);
    const loaderData = { ...page, me: { id: handler.id, permissions: [...handler.permissions] } };
    return renderedPage(
      { id: "umsetzung", path: "/intern/vorgaenge/:id/umsetzung", Component: umsetzung.default },
      `/intern/vorgaenge/${requestId}/umsetzung`,
      { loaderData, actionData },
    );
  }

  it("offers retry and resolution on the page, with labels and the reason", async () => {
    const html = await executionPage();
    expect(html).toContain("Nicht bestätigte Maßnahmen");
    expect(html).toContain("legal hold");
    expect(html).toContain(`value="retry-failed"`);
    // The shared checkbox field: a fieldset with its legend; the box ticked, its reason tied to it.
    expect(html).toMatch(
      /<fieldset class="field" id="rt" tabindex="-1"><legend>Erneut im System ausführen<\/legend>/,
    );
    const box = new RegExp(`<input type="checkbox" id="rt-${actionId}"[^>]*>`).exec(html)?.[0];
    expect(box).toContain('checked=""');
    expect(box).toContain(`aria-describedby="rt-${actionId}-description"`);
    expect(html).toMatch(
      new RegExp(
        `<div id="rt-${actionId}-description"><p class="field-error">Grund<!-- -->: <!-- -->[^<]*legal hold`,
      ),
    );
    expect(html).toContain(`<label for="rf-${actionId}-note">`);
    expect(html).not.toContain(`aria-invalid="true"`);
  });

  it("refuses the resolution while the store still holds the record, and accepts it once it is gone", async () => {
    expect(await act({ intent: "resolve-failed", actionId, note: "kurz" })).toMatchObject({
      status: 400,
      data: { error: "note-required" },
    });
    const refused = await act({
      intent: "resolve-failed",
      actionId,
      note: "Im Telefonsystem von Hand gelöscht.",
    });
    expect(refused).toMatchObject({ status: 409, data: { error: "store-disagrees", actionId } });
    expect((refused.data as { detail: string }).detail).toMatch(
      /^erase: store "telefon": the record is under a legal hold/,
    );
    // The page shows what the action answered at the note of that action, with the store's words.
    const refusedPage = await executionPage(refused.data);
    expect(refusedPage).toContain(`href="#rf-${actionId}-note"`);
    expect(refusedPage).toContain(`aria-invalid="true"`);
    expect(refusedPage).toContain("Das System meldet:");
    expect(refusedPage).toContain("Im Telefonsystem von Hand gelöscht.");
    expect((await actionRow(actionId)).status).toBe("failed");
    const [refusal] = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "execution.resolve-refused")));
    expect(refusal).toBeDefined();

    // The operator lifts the other case's hold and takes the line out by hand.
    await services.sources.connectors.get("telefon")!.restrict([held.ref], false, "case-1");
    dropLine(parseLineRef(held.ref)!.rel, parseLineRef(held.ref)!.hash);
    const accepted = await act({
      intent: "resolve-failed",
      actionId,
      note: "Im Telefonsystem von Hand gelöscht.",
    });
    expect(accepted).toMatchObject({ status: 302, location: `/intern/vorgaenge/${requestId}/umsetzung` });
    const row = await actionRow(actionId);
    expect(row).toMatchObject({
      status: "done",
      resolvedBy: handler.id,
      resolutionNote: "Im Telefonsystem von Hand gelöscht.",
      error: null,
    });
    const [event] = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "execution.resolved-by-hand")));
    expect(event!.data).toMatchObject({ action: actionId, kind: "erase", store: "telefon" });
    expect(JSON.stringify(event!.data)).not.toContain("Telefonsystem");
    const mails = await services.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.requestId, requestId));
    expect(mails.filter((m) => m.text.includes(held.ref)).length).toBe(2);
    expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
  });
});

describe("a run that died after the store erased", () => {
  it("is run again: the record gone since its own attempt is done, once, and told once", async () => {
    const { db } = services.database;
    const first = callerWithDays(3, true);
    const caller = [...sample.answerKey.persons]
      .reverse()
      .find((p) => p !== first && p.records.some((r) => r.store.startsWith("mail-")))!;
    const { requestId, rows } = await caseWithFindings(caller, ["loeschung"]);
    const mail = rows.find((f) => f.store.startsWith("mail-"))!;
    const actionId = (await proposedAndApproved(requestId, [mail.id])).get(mail.id)!;
    // What the dead run left: the attempt recorded, the store changed, the outcome not.
    await db.update(findingActions).set({ attemptedAt: now }).where(eq(findingActions.id, actionId));
    expect((await services.sources.connectors.get(mail.store)!.erase([mail.ref])).changed).toBe(1);
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 1, failed: 0 });
    expect(await actionRow(actionId)).toMatchObject({ status: "done", error: null });
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 0 });
    const confirmations = (
      await db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId))
    ).filter((m) => m.to === caller.identifiers.emails[0]);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.text.split("Gelöscht:")[1]).toContain(mail.ref);
  });
});

describe("a rectification in the records management system", () => {
  it("is done only when the record, read again, holds the new values", async () => {
    const { db } = services.database;
    const writer = sample.answerKey.persons.find(
      (p) => p.records.filter((r) => r.store === "viskompakt").length >= 2,
    )!;
    const gathered = await caseWithFindings(writer, ["berichtigung"]);
    const [record, lost] = gathered.rows.filter((f) => f.store === "viskompakt");
    const connector = services.sources.connectors.get("viskompakt")!;
    const field = connector.capabilities.rectifyFields.includes("ort")
      ? "ort"
      : connector.capabilities.rectifyFields[0]!;
    const ids = [
      ...(await propose(env, handler, gathered.requestId, {
        action: "rectify",
        findingId: record!.id,
        changes: { [field]: "Weimar" },
      })),
      ...(await propose(env, handler, gathered.requestId, {
        action: "rectify",
        findingId: lost!.id,
        changes: { [field]: "Erfurt" },
      })),
    ];
    await approve(env, dpo, gathered.requestId, ids);
    // The second record's file is gone before the job runs: nothing there to rectify.
    const storeRoot = path.join(sampleDir, "viskompakt");
    unlinkSync(path.join(storeRoot, String(lost!.content.metadataFile)));
    expect(await carryOutApproved(env, { requestId: gathered.requestId, now })).toMatchObject({
      done: 1,
      failed: 1,
    });
    const [doneRow, failedRow] = await Promise.all(ids.map((id) => actionRow(id)));
    expect(doneRow!.status).toBe("done");
    const state = (await connector.inspect([doneRow!.storeRef ?? record!.ref])).get(
      doneRow!.storeRef ?? record!.ref,
    );
    expect(state).toMatchObject({ state: "present", fields: { [field]: "Weimar" } });
    expect(failedRow!.status).toBe("failed");
    expect(failedRow!.error).toMatch(/^rectify: store "viskompakt": /);
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.requestId, gathered.requestId));
    const confirmation = mails.find((m) => m.to === writer.identifiers.emails[0])!;
    expect(confirmation.text.split("Berichtigt:")[1]).toContain(record!.ref);
    for (const mail of mails) expect(mail.text).not.toContain(lost!.ref);
  });
});

describe("an erasure the store answered as not done", () => {
  it("forgets the attempt, so a record missing later under its reference is not reported as erased", async () => {
    const { db } = services.database;
    const busy = callerWithDays(3, true);
    const person = sample.answerKey.persons.find(
      (p) =>
        p !== busy &&
        p.records.some((r) => r.store === "telefon" && !parseLineRef(r.ref)!.rel.endsWith(".gz")),
    )!;
    const { requestId, rows } = await caseWithFindings(person, ["loeschung"]);
    const record = rows.find((f) => f.store === "telefon" && !parseLineRef(f.ref)!.rel.endsWith(".gz"))!;
    const { rel, hash } = parseLineRef(record.ref)!;
    // The same call written twice (a rotation that copied before it truncated): one copy is erased,
    // the store still shows the other when read again, and says so.
    const file = path.join(telefonDir, rel);
    const line = readFileSync(file, "latin1")
      .split("\n")
      .find((l) => l && lineHash(Buffer.from(l, "latin1")) === hash)!;
    writeFileSync(file, `${readFileSync(file, "latin1").replace(/\n?$/, "\n")}${line}\n`, "latin1");
    const actionId = (await proposedAndApproved(requestId, [record.id])).get(record.id)!;
    const since = new Date(Date.now() - 1);
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 1 });
    expect(await actionRow(actionId)).toMatchObject({ status: "failed", attemptedAt: null });
    // Then the other copy leaves the store by another hand (filed elsewhere); the retry finds none.
    dropLine(rel, hash);
    expect(await retryFailed(env, handler, requestId, [actionId], now)).toMatchObject({ done: 0, failed: 1 });
    expect((await actionRow(actionId)).error).toMatch(/not found in the store when read before the erasure/);
    const mails = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), gt(mailOutbox.createdAt, since)));
    for (const mail of mails) expect(mail.text).not.toContain(record.ref);
  });
});

describe("a rectification whose run stopped after the store changed the record", () => {
  it("says so instead of blaming the store, and may be resolved by hand; one that vanished unasked may not", async () => {
    const plain = (ref: string) => !parseLineRef(ref)!.rel.endsWith(".gz");
    const person = [...sample.answerKey.persons]
      .reverse()
      .find((p) => p.records.filter((r) => r.store === "beaus-login" && plain(r.ref)).length >= 2)!;
    const { requestId, rows } = await caseWithFindings(person, ["berichtigung"]);
    const [changed, vanished] = rows.filter((f) => f.store === "beaus-login" && plain(f.ref));
    const changes = { familyName: "Berichtigt" };
    const ids = [
      ...(await propose(
        env,
        handler,
        requestId,
        { action: "rectify", findingId: changed!.id, changes },
        now,
      )),
      ...(await propose(
        env,
        handler,
        requestId,
        { action: "rectify", findingId: vanished!.id, changes },
        now,
      )),
    ];
    await approve(env, dpo, requestId, ids, now);
    // What the dead run left: the attempt recorded, the line rewritten (a new reference), no outcome.
    await services.database.db
      .update(findingActions)
      .set({ attemptedAt: now })
      .where(eq(findingActions.id, ids[0]!));
    const connector = services.sources.connectors.get("beaus-login")!;
    expect((await connector.rectify(changed!.ref, changes)).changed).toBe(1);
    // The other line is taken out by hand before any run asked the store.
    const { rel, hash } = parseLineRef(vanished!.ref)!;
    const logFile = path.join(sampleDir, "login", rel);
    const kept = readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => !line || lineHash(Buffer.from(line, "utf8")) !== hash);
    writeFileSync(logFile, kept.join("\n"));
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 2 });
    const [asked, unasked] = await Promise.all(ids.map((id) => actionRow(id)));
    expect(asked!.error).toMatch(
      /no longer under its reference: an earlier run asked the store to rectify it/,
    );
    expect(unasked!.error).toMatch(/the record is not in the store/);
    expect(unasked!.attemptedAt).toBeNull();
    const note = "Im Anmeldeprotokoll nachgesehen: die Zeile trägt den neuen Namen.";
    expect(await resolveByHand(env, handler, requestId, ids[0]!, note)).toMatchObject({ ok: true });
    expect(await actionRow(ids[0]!)).toMatchObject({ status: "done", resolvedBy: handler.id });
    expect(await resolveByHand(env, handler, requestId, ids[1]!, note)).toMatchObject({
      ok: false,
      reason: "store-disagrees",
    });
  });
});

describe("an erasure the store carried out whose look afterwards failed", () => {
  it("keeps the attempt, so the retry does not say the record was gone before the erasure", async () => {
    const busy = callerWithDays(3, true);
    const person = [...sample.answerKey.persons]
      .reverse()
      .find(
        (p) =>
          p !== busy &&
          p.records.some((r) => r.store === "telefon" && !parseLineRef(r.ref)!.rel.endsWith(".gz")),
      )!;
    const { requestId, rows } = await caseWithFindings(person, ["loeschung"]);
    const record = rows.find((f) => f.store === "telefon" && !parseLineRef(f.ref)!.rel.endsWith(".gz"))!;
    const actionId = (await proposedAndApproved(requestId, [record.id])).get(record.id)!;
    // The store's share drops right after it answered the erasure (the connector is the real one;
    // only the moment of the drop is arranged): the look afterwards cannot read the folder.
    const real = env.sources.connectors.get("telefon")!;
    const away = `${telefonDir}-away`;
    const dropping = Object.create(real) as typeof real;
    dropping.erase = async (refs) => {
      const result = await real.erase(refs);
      renameSync(telefonDir, away);
      return result;
    };
    const droppingEnv: ExecutionEnv = {
      ...env,
      sources: { ...env.sources, connectors: new Map([...env.sources.connectors, ["telefon", dropping]]) },
    };
    try {
      expect(await carryOutApproved(droppingEnv, { requestId, now })).toMatchObject({ done: 0, failed: 1 });
    } finally {
      renameSync(away, telefonDir);
    }
    expect((await actionRow(actionId)).attemptedAt).toEqual(now);
    expect(await retryFailed(env, handler, requestId, [actionId], now)).toMatchObject({ done: 1, failed: 0 });
  });
});
