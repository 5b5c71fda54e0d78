import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { and, desc, eq, gt, inArray, ne } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activityDecisions,
  auditEvents,
  findingActions,
  findings,
  mailOutbox,
  recipientNotifications,
  requests,
} from "#db/schema";
import { addDays, berlinDayOf, startOfBerlinDay } from "#app/core/berlin-date";
import { deletionDue, retentionRules } from "#app/core/retention";
import { verifyAuditChain } from "#app/server/audit.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { approve, propose, sendBack } from "#app/server/execution/actions.server";
import { recordArchiveDecision } from "#app/server/execution/archive-offer.server";
import { recordLine } from "#app/server/execution/confirmation.server";
import { carryOutApproved, runDueErasures } from "#app/server/execution/carry-out.server";
import { decideActivity } from "#app/server/execution/decisions.server";
import { type ExecutionEnv, ExecutionRefused, executionEnv } from "#app/server/execution/env.server";
import { caseRecipients, loadExecutionPage } from "#app/server/execution/view.server";
import { deliverMail } from "#app/server/mail/outbox.server";
import { subjectOfRequest } from "#app/server/gather/subject.server";
import type { Services } from "#app/server/services.server";
import { lineHash, parseLineRef } from "#app/sources/files.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import { collectAcrossStores } from "#app/sources/registry.server";
import { sweepRulesFor } from "#app/sources/retention";
import { isDatabaseStore, type StoreConfig } from "#app/sources/config";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { messagesFor } from "#app/i18n";
import * as umsetzung from "#app/routes/intern/umsetzung";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff, openStaffSession } from "../support/staff";
import { gatheredCase } from "../support/cases";
import { cachedSample } from "../support/sample-cache";
import { recipientsToldOf } from "#app/server/execution/view.server";
import { findOwnedCase } from "#app/server/requests/case-view.server";
import type { AuditAction } from "#app/core/audit-actions";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-execution-"));
let services: Services;
let close: () => Promise<void>;
let env: ExecutionEnv;
let erika: AnswerKeyPerson;
let sample: Awaited<ReturnType<typeof cachedSample>>;
let stores: StoreConfig[];
/** Shortly after the sample's last day (2025-11-14): web logs, login logs and protocols are still kept. */
const now = new Date("2025-11-20T10:00:00Z");

const executionPath = (requestId: string) => `/intern/vorgaenge/${requestId}/umsetzung`;

function renderExecutionPage(requestId: string, loaderData: unknown, actionData?: unknown): string {
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

// ---- A record-level picture of every store: lines of log files, whole files, database rows. ----

type Snapshot = Map<string, string>;
const LINE_KINDS = new Set(["nginx-access-log", "login-jsonl", "call-records-csv"]);

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    return statSync(abs).isDirectory() ? walk(abs, base) : [path.relative(base, abs)];
  });
}

async function snapshot(): Promise<Snapshot> {
  const shot: Snapshot = new Map();
  for (const store of stores) {
    if (isDatabaseStore(store)) {
      const tables = await services.database.sql.query<{ table_name: string }>(
        // The portal's own side tables (legal holds, search index) are not the store's records.
        "select table_name from information_schema.tables where table_schema = $1 and table_name not like 'portal\\_%' order by 1",
        [store.schema],
      );
      for (const { table_name } of tables) {
        const rows = await services.database.sql.query<{ id: string; row: string }>(
          `select id::text as id, row_to_json(t)::text as row from "${store.schema}"."${table_name}" t`,
        );
        for (const r of rows)
          shot.set(`${store.id} row ${table_name}/${r.id}`, createHash("sha256").update(r.row).digest("hex"));
      }
      continue;
    }
    // A mailbox on a mail server has no files here; the sample has none.
    if (!("path" in store)) continue;
    const root = path.join(sampleDir, store.path);
    for (const rel of walk(root)) {
      if (rel.endsWith(".legal-hold.json")) continue;
      const bytes = readFileSync(path.join(root, rel));
      if (LINE_KINDS.has(store.kind)) {
        const text = (rel.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("latin1");
        const seen = new Map<string, number>();
        for (const line of text.split("\n")) {
          if (!line) continue;
          const hash = lineHash(Buffer.from(line, "latin1"));
          const n = (seen.get(hash) ?? 0) + 1;
          seen.set(hash, n);
          shot.set(`${store.id} line ${rel.replace(/\.gz$/, "")} ${hash} #${n}`, hash);
        }
      } else shot.set(`${store.id} file ${rel}`, createHash("sha256").update(bytes).digest("hex"));
    }
  }
  return shot;
}

/** Is the snapshot entry a part of one of the erased records? */
function belongsTo(
  key: string,
  erased: { store: string; ref: string }[],
  erasedTickets: Set<string>,
): boolean {
  const [store, type, where, hash] = key.split(" ");
  return erased.some((e) => {
    if (e.store !== store) return false;
    if (type === "line") {
      const ref = parseLineRef(e.ref);
      return ref !== null && ref.rel.replace(/\.gz$/, "") === where && ref.hash === hash;
    }
    if (type === "row") return e.ref === where || (where!.startsWith("article/") && erasedTickets.size > 0);
    // Maildir: "<folder>/<unique name>" without the cur/new level and the flags; records: the document id.
    const parts = where!.split(":")[0]!.split("/");
    const maildirRef = `${parts.length > 2 ? parts[0] : "INBOX"}/${parts[parts.length - 1]}`;
    return maildirRef === e.ref || path.basename(where!).replace(/\.(xml|pdf)$/, "") === e.ref;
  });
}

beforeAll(async () => {
  sample = await cachedSample({ people: 40, days: 20, seed: "execution", out: sampleDir });
  erika = sample.answerKey.persons.find((p) =>
    p.identifiers.emails.includes("erika.mustermann@example.org"),
  )!;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
  await loadDatabaseStores(services.database.sql, sampleDir);
  stores = services.config.sources.stores;
  env = await executionEnv({ db: services.database.db, config: services.config, sources: services.sources });
}, 120_000);
afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

describe("carrying out an erasure request", () => {
  let requestId: string;
  let runId: string;
  let handler: StaffIdentity;
  let dpoA: StaffIdentity;
  let dpoB: StaffIdentity;
  let allFindings: (typeof findings.$inferSelect)[];
  let erased: (typeof findings.$inferSelect)[];
  let before: Snapshot;

  beforeAll(async () => {
    handler = await createStaff(services.db, "handler", "case-handler", "handler");
    dpoA = await createStaff(services.db, "dpo-a", "dpo", "dpo-a");
    dpoB = await createStaff(services.db, "dpo-b", "dpo", "dpo-b");
    ({ requestId, runId } = await gatheredCase(
      services,
      erika,
      ["loeschung", "einschraenkung", "berichtigung", "widerspruch", "widerruf"],
      { at: now },
    ));
    allFindings = await services.database.db.select().from(findings).where(eq(findings.runId, runId));
    before = await snapshot();
  }, 120_000);

  it("refuses ids of another case and actions nobody may take", async () => {
    const other = await gatheredCase(services, erika, ["loeschung"], { at: now });
    const [foreign] = await services.database.db
      .select()
      .from(findings)
      .where(eq(findings.runId, other.runId))
      .limit(1);
    await expect(
      propose(env, handler, requestId, { action: "erase", findingIds: [allFindings[0]!.id, foreign!.id] }),
    ).rejects.toMatchObject({ reason: "foreign-finding" });
    const [ownOther] = await propose(env, handler, other.requestId, {
      action: "erase",
      findingIds: [foreign!.id],
    });
    await expect(approve(env, dpoB, requestId, [ownOther!])).rejects.toMatchObject({
      reason: "foreign-action",
    });
    await expect(
      propose(env, handler, other.requestId, { action: "restrict", findingIds: [foreign!.id] }),
    ).rejects.toMatchObject({ reason: "kind-not-requested" });
    expect(
      await services.database.db.select().from(findingActions).where(eq(findingActions.requestId, requestId)),
    ).toHaveLength(0);
  });

  it("shows per finding whether it can go now, and if not under which rule and from when", async () => {
    const ids = await propose(
      env,
      handler,
      requestId,
      { action: "erase", findingIds: allFindings.map((f) => f.id) },
      now,
    );
    expect(ids).toHaveLength(allFindings.length);
    await expect(approve(env, handler, requestId, ids, now)).rejects.toBeInstanceOf(ExecutionRefused);
    const result = await approve(env, dpoB, requestId, ids, now);
    const rows = await services.database.db
      .select({ action: findingActions, finding: findings })
      .from(findingActions)
      .innerJoin(findings, eq(findings.id, findingActions.findingId))
      .where(and(eq(findingActions.requestId, requestId), eq(findingActions.action, "erase")));
    const byStore = (store: string) => rows.filter((r) => r.finding.store === store);
    for (const store of ["mail-poststelle", "mail-support", "telefon"])
      for (const r of byStore(store)) expect(r.action.status).toBe("approved");
    const web = byStore("web-tsr");
    expect(web.length).toBeGreaterThan(0);
    for (const r of web) {
      expect(r.action.status).toBe("deferred");
      expect(r.action.refusalReason).toBe("retention-duty:web-access-log");
      expect(r.action.dueAt?.toISOString()).toBe(
        deletionDue(retentionRules["web-access-log"], r.finding.recordedAt!).toISOString(),
      );
    }
    for (const r of byStore("beaus-login"))
      expect(r.action).toMatchObject({ status: "deferred", refusalReason: "retention-duty:login-log" });
    // § 23 ThürDSG: a file erased now must be past its period and decided on by the archive.
    for (const r of byStore("viskompakt")) {
      if (r.action.status === "approved")
        expect(["not-archival", "transferred"]).toContain(r.finding.content.archivangebot);
      else expect(["deferred", "refused", "archive-offer"]).toContain(r.action.status);
    }
    expect(result.toExecute).toBe(rows.filter((r) => r.action.status === "approved").length);
    expect(result.toExecute).toBeGreaterThan(0);
    for (const r of rows) expect(r.action.approvedBy).toBe(dpoB.id);
  });

  it("erases exactly the approved records and leaves every other record byte for byte", async () => {
    const approved = await services.database.db
      .select({ finding: findings })
      .from(findingActions)
      .innerJoin(findings, eq(findings.id, findingActions.findingId))
      .where(and(eq(findingActions.requestId, requestId), eq(findingActions.status, "approved")));
    erased = approved.map((a) => a.finding);
    const result = await carryOutApproved(env, { requestId, now });
    expect(result).toMatchObject({ done: erased.length, failed: 0 });
    const after = await snapshot();
    // Nothing new, nothing changed: every entry left is identical to before.
    for (const [key, hash] of after) expect(before.get(key), key).toBe(hash);
    const removed = [...before.keys()].filter((key) => !after.has(key));
    expect(removed.length).toBeGreaterThanOrEqual(erased.length);
    const erasedTickets = new Set(erased.filter((e) => e.ref.startsWith("ticket/")).map((e) => e.ref));
    for (const key of removed) expect(belongsTo(key, erased, erasedTickets), key).toBe(true);
    // The stores agree: a new search finds none of them, and everything not erased still.
    const { findings: again } = await collectAcrossStores(
      services.sources,
      await subjectOfRequest(services.database.db, requestId),
    );
    const refsAgain = new Set(again.map((f) => `${f.store} ${f.ref}`));
    for (const e of erased) expect(refsAgain.has(`${e.store} ${e.ref}`), e.ref).toBe(false);
    const kept = allFindings.filter((f) => !erased.some((e) => e.id === f.id));
    for (const k of kept) expect(refsAgain.has(`${k.store} ${k.ref}`), k.ref).toBe(true);
    // A second run finds nothing approved left: idempotent.
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 0 });
  });

  it("tells every recipient of each affected activity and the person, with reasons and dates", async () => {
    const { db } = services.database;
    const notices = await db
      .select()
      .from(recipientNotifications)
      .where(eq(recipientNotifications.requestId, requestId));
    // The person's case page lists exactly these notices (Art. 19 sentence 2).
    expect((await recipientsToldOf(db, requestId)).map((r) => r.recipient).sort()).toEqual(
      notices.map((n) => n.recipient).sort(),
    );
    const activities = [...new Set(erased.map((e) => e.processingActivityId))];
    for (const activity of activities) {
      for (const recipient of env.config.recipients[activity as keyof typeof env.config.recipients] ?? []) {
        const notice = notices.find(
          (n) =>
            n.processingActivityId === activity && n.recipient === recipient.name && n.action === "erase",
        );
        expect(notice, `${activity} ${recipient.name}`).toBeDefined();
        if (recipient.email) {
          const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, notice!.outboxId!));
          expect(mail!.to).toBe(recipient.email);
          expect(mail!.text).toContain("Art. 19");
          expect(mail!.text).not.toContain(erika.identifiers.emails[0]!);
        }
      }
    }
    const mails = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, erika.identifiers.emails[0]!)));
    const confirmation = mails.find((m) => m.subject.includes("umgesetzt"))!;
    expect(confirmation.text).toContain("Gelöscht:");
    expect(confirmation.text).toContain("Nicht oder noch nicht gelöscht:");
    expect(confirmation.text).toContain("§ 51 Abs. 4 ThürDSG");
    const [webAction] = await db
      .select({ dueAt: findingActions.dueAt })
      .from(findingActions)
      .innerJoin(findings, eq(findings.id, findingActions.findingId))
      .where(and(eq(findingActions.requestId, requestId), eq(findings.store, "web-tsr")))
      .limit(1);
    expect(confirmation.text).toContain(
      `Wir löschen sie am ${messagesFor("de").journey.formatDate(webAction!.dueAt!)}`,
    );
    const recipients = await caseRecipients(env, requestId);
    expect(recipients.map((r) => r.processingActivityId).sort()).toEqual(
      [...new Set(allFindings.map((f) => f.processingActivityId))].sort(),
    );
    expect(recipients.every((r) => r.named.length > 0)).toBe(true);
  });

  it("holds a restricted record through a sweep and an erasure, and lifts the hold only after the person was told", async () => {
    const { db } = services.database;
    const web = allFindings.filter((f) => f.store === "web-tsr");
    const held = web[0]!;
    const [own] = await propose(env, dpoA, requestId, { action: "restrict", findingIds: [held.id] });
    await expect(approve(env, dpoA, requestId, [own!])).rejects.toMatchObject({ reason: "own-proposal" });
    await approve(env, dpoB, requestId, [own!]);
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 1 });
    const notices = await db
      .select()
      .from(recipientNotifications)
      .where(
        and(eq(recipientNotifications.requestId, requestId), eq(recipientNotifications.action, "restrict")),
      );
    expect(notices.map((n) => n.recipient)).toEqual(
      (env.config.recipients["website-visit"] ?? []).map((r) => r.name),
    );

    const webStore = stores.find((s) => s.id === "web-tsr")!;
    const sweep = await services.sources.connectors
      .get("web-tsr")!
      .sweep(new Date("2027-06-01T00:00:00Z"), sweepRulesFor(webStore)!);
    expect(sweep.skippedOnHold).toBe(1);
    expect(sweep.deleted).toBeGreaterThan(0);
    const subject = await subjectOfRequest(db, requestId);
    let { findings: left } = await collectAcrossStores(services.sources, subject);
    expect(left.filter((f) => f.store === "web-tsr").map((f) => parseLineRef(f.ref)!.hash)).toEqual([
      parseLineRef(held.ref)!.hash,
    ]);

    // The deferred erasures come due; the held record is kept (and the failure says why), the rest goes.
    // The web lines the sweep deleted first were not erased by this case: the store, read before the
    // erasure, no longer had them, and that is what staff are told (they may confirm it by hand).
    const due = await runDueErasures(env, new Date("2027-01-02T00:00:00Z"));
    const webErasures = await db
      .select()
      .from(findingActions)
      .where(
        and(
          eq(findingActions.action, "erase"),
          inArray(
            findingActions.findingId,
            web.map((f) => f.id),
          ),
        ),
      );
    expect(due.failed).toBe(web.length);
    for (const a of webErasures) {
      expect(a.status, a.findingId).toBe("failed");
      expect(a.error).toMatch(
        a.findingId === held.id
          ? /^erase: store "web-tsr": the record is under a legal hold/
          : /^erase: store "web-tsr": the record was not found in the store/,
      );
    }
    const login = allFindings.filter((f) => f.store === "beaus-login");
    const loginActions = await db
      .select()
      .from(findingActions)
      .where(
        and(
          eq(findingActions.action, "erase"),
          inArray(
            findingActions.findingId,
            login.map((f) => f.id),
          ),
        ),
      );
    expect(loginActions.every((a) => a.status === "done")).toBe(true);
    ({ findings: left } = await collectAcrossStores(services.sources, subject));
    expect(left.filter((f) => f.store === "beaus-login")).toHaveLength(0);

    const [lift] = await propose(env, handler, requestId, {
      action: "lift-restriction",
      findingIds: [held.id],
    });
    await approve(env, dpoB, requestId, [lift!]);
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 0, waiting: 1 });
    const [liftRow] = await db.select().from(findingActions).where(eq(findingActions.id, lift!));
    const transport = { send: async () => ({ messageId: "m1" }), close() {} };
    expect(await deliverMail(db, transport, liftRow!.changes!.noticeOutboxId!)).toBe("sent");
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 1 });
    const holdFile = JSON.parse(
      readFileSync(path.join(sampleDir, (webStore as { path: string }).path, ".legal-hold.json"), "utf8"),
    ) as { holds: unknown[] };
    expect(holdFile.holds).toHaveLength(0);
  });

  it("rectifies through the store where it may, and otherwise records a supplementary statement", async () => {
    const { db } = services.database;
    // Erika's files are gone by now: a person with a file in the records system asks for a correction.
    const writer = sample.answerKey.persons.find(
      (p) =>
        p !== erika &&
        p.records.some((r) => r.store === "viskompakt") &&
        p.records.some((r) => r.store.startsWith("mail-")),
    )!;
    const rectifyCase = await gatheredCase(services, writer, ["berichtigung"], { at: now });
    const theirs = await db.select().from(findings).where(eq(findings.runId, rectifyCase.runId));
    const record = theirs.find((f) => f.store === "viskompakt")!;
    const mail = theirs.find((f) => f.store.startsWith("mail-"))!;
    // The page offers only the fields a store can change: a mailbox none, so a named field is a forged form.
    await expect(
      propose(env, handler, rectifyCase.requestId, {
        action: "rectify",
        findingId: mail.id,
        changes: { from: "x@example.org" },
      }),
    ).rejects.toMatchObject({ reason: "unknown-field" });
    await expect(
      propose(env, handler, rectifyCase.requestId, {
        action: "rectify",
        findingId: mail.id,
        changes: {},
        statement: "zu kurz",
      }),
    ).rejects.toMatchObject({ reason: "statement-required" });
    await expect(
      propose(env, handler, rectifyCase.requestId, {
        action: "rectify",
        findingId: allFindings[0]!.id,
        changes: { ort: "Weimar" },
      }),
    ).rejects.toMatchObject({ reason: "foreign-finding" });
    const ids = [
      await propose(env, handler, rectifyCase.requestId, {
        action: "rectify",
        findingId: mail.id,
        changes: {},
        statement: "Die Telefonnummer in dieser Nachricht ist veraltet.",
      }),
    ];
    ids.push(
      await propose(env, handler, rectifyCase.requestId, {
        action: "rectify",
        findingId: record.id,
        changes: { ort: "Weimar" },
      }),
    );
    await approve(env, dpoA, rectifyCase.requestId, ids.flat());
    expect(await carryOutApproved(env, { requestId: rectifyCase.requestId })).toMatchObject({
      done: ids.length,
      failed: 0,
    });
    const rectifyNotices = await db
      .select()
      .from(recipientNotifications)
      .where(eq(recipientNotifications.requestId, rectifyCase.requestId));
    expect(
      rectifyNotices
        .filter((n) => n.processingActivityId === "records-management")
        .map((n) => n.omittedReason !== null)
        .sort(),
    ).toEqual([false, true]);
    {
      const file = String(record.content.metadataFile);
      expect(
        readFileSync(
          path.join(sampleDir, (stores.find((s) => s.id === "viskompakt") as { path: string }).path, file),
          "utf8",
        ),
      ).toContain(">Weimar<");
    }
    const [statement] = await db.select().from(findingActions).where(eq(findingActions.id, ids[0]![0]!));
    expect(statement).toMatchObject({ status: "done", changes: null });
  });

  it("decides objection and withdrawal per activity with reasons, and carries out the effect", async () => {
    const { db } = services.database;
    const reasoning =
      "Die Protokolle dienen der Abwehr von Angriffen; ein Widerspruch ist gesetzlich ausgeschlossen.";
    await expect(
      decideActivity(env, handler, requestId, {
        kind: "objection",
        activityId: "website-visit",
        outcome: "rejected",
        reasoning,
      }),
    ).rejects.toMatchObject({ reason: "not-permitted" });
    await expect(
      decideActivity(env, dpoA, requestId, {
        kind: "objection",
        activityId: "website-visit",
        outcome: "upheld",
        reasoning,
      }),
    ).rejects.toMatchObject({ reason: "objection-not-applicable" });
    await expect(
      decideActivity(env, dpoA, requestId, {
        kind: "objection",
        activityId: "website-visit",
        outcome: "rejected",
        reasoning: "nein",
      }),
    ).rejects.toMatchObject({ reason: "reasoning-required" });
    await decideActivity(env, dpoA, requestId, {
      kind: "objection",
      activityId: "website-visit",
      outcome: "rejected",
      reasoning,
    });
    await expect(
      decideActivity(env, dpoA, requestId, {
        kind: "objection",
        activityId: "website-visit",
        outcome: "rejected",
        reasoning,
      }),
    ).rejects.toMatchObject({ reason: "already-decided" });
    await expect(
      decideActivity(env, dpoA, requestId, {
        kind: "withdrawal",
        activityId: "support-ticket",
        outcome: "upheld",
        reasoning,
      }),
    ).rejects.toMatchObject({ reason: "not-consent-based" });
    await expect(
      decideActivity(env, dpoA, requestId, {
        kind: "objection",
        activityId: "no-such",
        outcome: "rejected",
        reasoning,
      }),
    ).rejects.toMatchObject({ reason: "unknown-activity" });

    const { effect } = await decideActivity(
      env,
      dpoB,
      requestId,
      {
        kind: "withdrawal",
        activityId: "contact-form",
        outcome: "upheld",
        reasoning: "Die Einwilligung wurde wirksam widerrufen; die Daten werden nicht weiter genutzt.",
      },
      now,
    );
    expect(effect).not.toBeNull();
    const decisions = await db
      .select()
      .from(activityDecisions)
      .where(eq(activityDecisions.requestId, requestId));
    expect(decisions.map((d) => `${d.kind} ${d.processingActivityId} ${d.outcome}`).sort()).toEqual([
      "objection website-visit rejected",
      "withdrawal contact-form upheld",
    ]);
    const contact = allFindings.filter((f) => f.processingActivityId === "contact-form");
    expect(contact.length).toBeGreaterThan(0);
    expect(effect!.erase + effect!.restrict).toBe(contact.length);
    expect((await carryOutApproved(env, { requestId, now })).failed).toBe(0);
    const actions = contact.length
      ? await db
          .select()
          .from(findingActions)
          .where(
            inArray(
              findingActions.findingId,
              contact.map((f) => f.id),
            ),
          )
      : [];
    for (const f of contact) {
      expect(
        actions.some((a) => a.findingId === f.id && a.action === "erase"),
        f.ref,
      ).toBe(true);
      const hold = actions.find((a) => a.findingId === f.id && a.action === "restrict");
      if (hold) expect(hold.status).toBe("done");
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});

describe("an erasure that waits for the archive (§ 23 ThürDSG)", () => {
  let requestId: string;
  let handler: StaffIdentity;
  let dpo: StaffIdentity;
  let admin: StaffIdentity;
  let record: typeof findings.$inferSelect;
  let archiveActionId: string;
  let mailActionId: string;
  const today = berlinDayOf(now);

  /** A file past its five years whose archive has not decided: the sample's metadata say which. */
  function awaitsArchive(ref: string): boolean {
    const dms = stores.find((s) => s.id === "viskompakt") as { path: string };
    const xml = readFileSync(path.join(sampleDir, dms.path, ref.slice(4, 8), `${ref}.xml`), "utf8");
    const closed = /<vis:abschlussdatum>([^<]+)</.exec(xml)?.[1];
    const archive = /<vis:archivangebot>([^<]+)</.exec(xml)?.[1];
    return Boolean(
      closed &&
      deletionDue(retentionRules["records-management"], new Date(closed)) <= now &&
      (archive === "not-offered" || archive === "offered"),
    );
  }

  /** The person's latest confirmation; recipients' Art. 19 notices leave in the same transactions. */
  async function latestConfirmation() {
    const { db } = services.database;
    const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
    const [mail] = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, request!.contactEmail)))
      .orderBy(desc(mailOutbox.createdAt))
      .limit(1);
    expect(mail!.subject).toContain("umgesetzt");
    return mail!;
  }

  const archiveEvents = async () =>
    services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "execution.archive-decided")));

  beforeAll(async () => {
    const { db } = services.database;
    handler = await createStaff(services.db, "archive-handler", "case-handler", "archive-handler");
    dpo = await createStaff(services.db, "archive-dpo", "dpo", "archive-dpo");
    admin = await createStaff(services.db, "archive-admin", "admin", "archive-admin");
    const person = sample.answerKey.persons.find(
      (p) =>
        p !== erika &&
        p.records.some((r) => r.store === "viskompakt" && awaitsArchive(r.ref)) &&
        p.records.some((r) => r.store.startsWith("mail-")),
    );
    expect(person, "a person with a file awaiting the archive and a mail").toBeDefined();
    const gathered = await gatheredCase(services, person!, ["loeschung"], { at: now });
    requestId = gathered.requestId;
    const theirs = await db.select().from(findings).where(eq(findings.runId, gathered.runId));
    record = theirs.find((f) => f.store === "viskompakt" && awaitsArchive(f.ref))!;
    const mail = theirs.find((f) => f.store.startsWith("mail-"))!;
    const ids = await propose(
      env,
      handler,
      requestId,
      { action: "erase", findingIds: [record.id, mail.id] },
      now,
    );
    await approve(env, dpo, requestId, ids, now);
    const actions = await db.select().from(findingActions).where(inArray(findingActions.id, ids));
    archiveActionId = actions.find((a) => a.findingId === record.id)!.id;
    mailActionId = actions.find((a) => a.findingId === mail.id)!.id;
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 1, failed: 0 });
  }, 120_000);

  it("holds the file for the archive and tells the person so", async () => {
    const { db } = services.database;
    const [action] = await db.select().from(findingActions).where(eq(findingActions.id, archiveActionId));
    expect(action).toMatchObject({
      status: "archive-offer",
      refusalReason: "archive-offer:records-management",
      approvedBy: dpo.id,
      archiveDecision: null,
    });
    expect(action!.approvedAt?.toISOString()).toBe(now.toISOString());
    const confirmation = await latestConfirmation();
    const waiting = confirmation.text.split("Nicht oder noch nicht gelöscht:")[1] ?? "";
    expect(waiting).toContain(record.ref);
    expect(waiting).toContain("dem zuständigen Staatsarchiv anbieten (§ 23 ThürDSG");
    expect(confirmation.text.split("Nicht oder noch nicht gelöscht:")[0]).not.toContain(record.ref);
    const page = await loadExecutionPage(env, requestId, now);
    expect(page!.archiveOffers).toEqual([
      expect.objectContaining({ id: archiveActionId, ref: record.ref, earliestAnswer: today }),
    ]);
  });

  it("refuses a wrong answer and changes nothing", async () => {
    const { db } = services.database;
    const before = await snapshot();
    const [foreign] = await db
      .select({ id: findingActions.id })
      .from(findingActions)
      .where(ne(findingActions.requestId, requestId))
      .limit(1);
    const answer = { actionId: archiveActionId, decision: "transferred", answeredOn: today };
    const refused: [StaffIdentity, typeof answer, string][] = [
      [handler, { ...answer, actionId: foreign!.id }, "foreign-action"],
      [handler, { ...answer, actionId: randomUUID() }, "foreign-action"],
      [handler, { ...answer, actionId: mailActionId }, "not-awaiting-archive"],
      [handler, { ...answer, answeredOn: addDays(today, 1) }, "archive-date-future"],
      [handler, { ...answer, answeredOn: addDays(today, -1) }, "archive-date-before-approval"],
      [handler, { ...answer, answeredOn: "2025-02-30" }, "archive-date-invalid"],
      [handler, { ...answer, answeredOn: "" }, "archive-date-invalid"],
      [handler, { ...answer, decision: "destroyed" }, "unknown-archive-decision"],
      [handler, { ...answer, decision: "" }, "unknown-archive-decision"],
      [admin, answer, "not-permitted"],
    ];
    for (const [staff, input, reason] of refused) {
      await expect(
        recordArchiveDecision(env, staff, requestId, input, now),
        `${reason} ${JSON.stringify(input)}`,
      ).rejects.toMatchObject({ reason });
    }
    const [action] = await db.select().from(findingActions).where(eq(findingActions.id, archiveActionId));
    expect(action).toMatchObject({
      status: "archive-offer",
      archiveDecision: null,
      archiveAnsweredAt: null,
      archiveNote: null,
    });
    expect(await archiveEvents()).toHaveLength(0);
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 0 });
    expect(await snapshot()).toEqual(before);
  });

  const pagePath = () => executionPath(requestId);
  const postAnswer = (cookie: string, fields: Record<string, string>) =>
    outcome(() =>
      umsetzung.action({
        request: post(pagePath(), { intent: "archive", actionId: archiveActionId, ...fields }, cookie),
        params: { id: requestId },
        context: routeContext(services),
      } as never),
    );
  const renderPage = (loaderData: unknown, actionData?: unknown) =>
    renderExecutionPage(requestId, loaderData, actionData);

  it("offers the answer on the execution page and names the field a refused answer got wrong", async () => {
    const cookie = await openStaffSession(services.db, services.config, handler.id);
    const realToday = berlinDayOf(new Date());
    const loaderData = await umsetzung.loader({
      request: new Request(`${testBase}${pagePath()}`, { headers: { Cookie: cookie } }),
      params: { id: requestId },
      context: routeContext(services),
    } as never);
    const html = renderPage(loaderData);
    const id = `ar-${archiveActionId}`;
    expect(html).toContain('<input type="hidden" name="intent" value="archive"/>');
    expect(html).toContain(`<input type="hidden" name="actionId" value="${archiveActionId}"/>`);
    expect(html).toContain(
      `<label for="${id}-transferred">Das Archiv hat die Unterlagen übernommen.</label>`,
    );
    const dateInput = (of: string) => new RegExp(`<input id="${id}-date"[^>]*>`).exec(of)?.[0] ?? "";
    for (const attribute of [
      'type="date"',
      'name="answeredOn"',
      'required=""',
      `min="${today}"`,
      `max="${realToday}"`,
      `aria-describedby="${id}-date-hint"`,
    ])
      expect(dateInput(html)).toContain(attribute);
    // The shared field: a required one says so after its label.
    expect(html).toContain(
      `<label for="${id}-date">Datum der Antwort des Archivs<!-- --> <span class="field-required">`,
    );
    expect(html).toContain(`<label for="${id}-note">`);

    const future = await postAnswer(cookie, { decision: "transferred", answeredOn: addDays(realToday, 1) });
    expect(future).toMatchObject({
      status: 400,
      data: { error: "archive-date-future", actionId: archiveActionId },
    });
    const shown = renderPage(loaderData, future.data);
    expect(shown).toContain(
      `<a href="#${id}-date">Das Datum der Antwort des Archivs darf nicht in der Zukunft liegen.</a>`,
    );
    expect(dateInput(shown)).toContain(
      `aria-describedby="${id}-date-hint ${id}-date-error" aria-invalid="true"`,
    );
    expect(shown).toContain(`<p class="field-error" id="${id}-date-error">`);
    expect(await postAnswer(cookie, { decision: "destroyed", answeredOn: realToday })).toMatchObject({
      status: 400,
      data: { error: "unknown-archive-decision" },
    });
    expect(await postAnswer(cookie, { answeredOn: realToday })).toMatchObject({
      status: 400,
      data: { error: "unknown-archive-decision" },
    });
    expect(
      await postAnswer(cookie, { actionId: "not-an-id", decision: "transferred", answeredOn: realToday }),
    ).toMatchObject({ status: 400, data: { error: "invalid" } });
    expect(
      await postAnswer(cookie, { actionId: mailActionId, decision: "transferred", answeredOn: realToday }),
    ).toMatchObject({ status: 409, data: { error: "not-awaiting-archive" } });
    expect(
      await postAnswer(await openStaffSession(services.db, services.config, admin.id), {
        decision: "transferred",
        answeredOn: realToday,
      }),
    ).toMatchObject({ status: 403 });
    expect(await archiveEvents()).toHaveLength(0);
  });

  it("records the archive's answer, erases the file and nothing else, and confirms it to the person", async () => {
    const { db } = services.database;
    const before = await snapshot();
    await recordArchiveDecision(
      env,
      handler,
      requestId,
      {
        actionId: archiveActionId,
        decision: "transferred",
        answeredOn: today,
        note: "  StA Gotha 1-17/2025  ",
      },
      now,
    );
    const [action] = await db.select().from(findingActions).where(eq(findingActions.id, archiveActionId));
    expect(action).toMatchObject({
      status: "approved",
      archiveDecision: "transferred",
      archiveNote: "StA Gotha 1-17/2025",
    });
    expect(action!.archiveAnsweredAt?.toISOString()).toBe(startOfBerlinDay(today).toISOString());
    const events = await archiveEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: "staff",
      actorId: handler.id,
      reason: "transferred",
      data: { action: archiveActionId, decision: "transferred", answeredOn: today },
    });
    expect(JSON.stringify(events[0]!.data)).not.toContain("Gotha");
    await expect(
      recordArchiveDecision(
        env,
        handler,
        requestId,
        { actionId: archiveActionId, decision: "not-archival", answeredOn: today },
        now,
      ),
    ).rejects.toMatchObject({ reason: "not-awaiting-archive" });

    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 1, failed: 0 });
    const after = await snapshot();
    for (const [key, hash] of after) expect(before.get(key), key).toBe(hash);
    const removed = [...before.keys()].filter((key) => !after.has(key));
    expect(removed.sort()).toEqual(
      [...before.keys()]
        .filter((key) => key.startsWith("viskompakt file ") && belongsTo(key, [record], new Set()))
        .sort(),
    );
    expect(removed).toHaveLength(2);
    const { findings: again } = await collectAcrossStores(
      services.sources,
      await subjectOfRequest(db, requestId),
    );
    expect(again.some((f) => f.store === "viskompakt" && f.ref === record.ref)).toBe(false);

    const confirmation = await latestConfirmation();
    const [erasedPart, rest = ""] = confirmation.text.split("Nicht oder noch nicht gelöscht:");
    expect(erasedPart).toContain("Gelöscht:");
    expect(erasedPart).toContain(record.ref);
    expect(erasedPart).toContain(
      `am ${messagesFor("de").journey.formatDate(startOfBerlinDay(today))} übernommen (§ 23 ThürDSG)`,
    );
    expect(rest).not.toContain(record.ref);
    const cookie = await openStaffSession(services.db, services.config, handler.id);
    const html = renderPage(
      await umsetzung.loader({
        request: new Request(`${testBase}${pagePath()}`, { headers: { Cookie: cookie } }),
        params: { id: requestId },
        context: routeContext(services),
      } as never),
    );
    expect(html).not.toContain('name="intent" value="archive"');
    expect(html).toContain(
      `Staatsarchiv: übernommen (Antwort vom ${messagesFor("de").journey.formatDate(startOfBerlinDay(today))}; StA Gotha 1-17/2025)`,
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});

describe("a DPO sends a proposal back", () => {
  let requestId: string;
  let handler: StaffIdentity;
  let dpoA: StaffIdentity;
  let dpoB: StaffIdentity;
  /** Two records that can go now; the handler proposes the first, a DPO the second. */
  let first: typeof findings.$inferSelect;
  let second: typeof findings.$inferSelect;
  let returnedId: string;
  const comment = "Bitte zuerst klären, ob die Nachricht noch zu einem offenen Verfahren gehört.";

  const call = async (staff: StaffIdentity, fields: Record<string, string | string[]>, cookie?: string) =>
    outcome(async () =>
      umsetzung.action({
        request: post(
          executionPath(requestId),
          fields,
          cookie ?? (await openStaffSession(services.db, services.config, staff.id)),
        ),
        params: { id: requestId },
        context: routeContext(services),
      } as never),
    );
  const pageAs = async (staff: StaffIdentity) =>
    umsetzung.loader({
      request: new Request(`${testBase}${executionPath(requestId)}`, {
        headers: { Cookie: await openStaffSession(services.db, services.config, staff.id) },
      }),
      params: { id: requestId },
      context: routeContext(services),
    } as never);
  const actionsOf = (findingId: string) =>
    services.database.db
      .select()
      .from(findingActions)
      .where(eq(findingActions.findingId, findingId))
      .orderBy(findingActions.createdAt);
  const eventsOf = async (action: AuditAction) =>
    services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, action)))
      .orderBy(auditEvents.seq);
  const found = async (finding: typeof findings.$inferSelect) => {
    const { findings: again } = await collectAcrossStores(
      services.sources,
      await subjectOfRequest(services.database.db, requestId),
    );
    return again.some((f) => f.store === finding.store && f.ref === finding.ref);
  };

  beforeAll(async () => {
    handler = await createStaff(services.db, "sb-handler", "case-handler", "sb-handler");
    dpoA = await createStaff(services.db, "sb-dpo-a", "dpo", "sb-dpo-a");
    dpoB = await createStaff(services.db, "sb-dpo-b", "dpo", "sb-dpo-b");
    // Someone whose records no earlier test erased: no file in the records system, mails and calls.
    const person = sample.answerKey.persons.find(
      (p) =>
        p !== erika &&
        !p.records.some((r) => r.store === "viskompakt") &&
        p.records.filter((r) => r.store.startsWith("mail-") || r.store === "telefon").length >= 2,
    );
    expect(person, "a person with two mails or calls").toBeDefined();
    ({ requestId } = await gatheredCase(services, person!, ["loeschung"], { at: now }));
    // The route assesses at the real time: records that can go now, then as later.
    const page = await loadExecutionPage(env, requestId);
    const [a, b] = page!.findings.filter(
      (f) => f.assessment.outcome === "erase-now" && (f.store.startsWith("mail-") || f.store === "telefon"),
    );
    expect(b, "two records that can go now").toBeDefined();
    const rows = await services.database.db
      .select()
      .from(findings)
      .where(inArray(findings.id, [a!.id, b!.id]));
    first = rows.find((r) => r.id === a!.id)!;
    second = rows.find((r) => r.id === b!.id)!;
  }, 120_000);

  it("keeps the proposal out of the stores and shows the handler the note, who sent it back and when", async () => {
    expect(await call(handler, { intent: "propose", action: "erase", findingIds: [first.id] })).toMatchObject(
      { status: 302 },
    );
    const [proposal] = await actionsOf(first.id);
    returnedId = proposal!.id;
    expect(
      await call(dpoA, { intent: "send-back", actionIds: [returnedId], comment: `  ${comment}  ` }),
    ).toMatchObject({ status: 302, location: executionPath(requestId) });

    const [row] = await actionsOf(first.id);
    expect(row).toMatchObject({
      status: "returned",
      returnedBy: dpoA.id,
      returnComment: comment,
      approvedBy: null,
      approvedAt: null,
      executedAt: null,
    });
    const [event] = await eventsOf("execution.sent-back");
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: dpoA.id,
      reason: null,
      data: { actions: [returnedId], count: 1, commentLength: comment.length },
    });
    // The note may name people: it stays in the action row, out of the trail.
    expect(JSON.stringify(event)).not.toContain("Verfahren");

    // Nothing is carried out from it, whichever job runs; nor can it be approved any more.
    const before = await snapshot();
    expect(await carryOutApproved(env)).toMatchObject({ done: 0, failed: 0 });
    await runDueErasures(env, now);
    expect(await call(dpoB, { intent: "approve", actionIds: [returnedId] })).toMatchObject({
      status: 409,
      data: { error: "not-proposed" },
    });
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 0, failed: 0 });
    expect(await snapshot()).toEqual(before);
    expect(await found(first)).toBe(true);
    expect((await actionsOf(first.id)).map((a) => a.status)).toEqual(["returned"]);

    // React separates neighbouring text with empty comments; the reader sees one text.
    const html = renderExecutionPage(requestId, await pageAs(handler)).replaceAll("<!-- -->", "");
    const de = messagesFor("de").execution;
    expect(html).toContain(`<h2 id="returned-heading">${de.returned.heading}</h2>`);
    expect(html).toContain(`${de.returned.comment}: ${comment}`);
    expect(html).toContain(
      de.returned.sentBackBy("sb-dpo-a", messagesFor("de").journey.formatDateTime(row!.returnedAt!)),
    );
    expect(html).toContain(`${de.actions.erase}: ${de.statuses.returned}`);
    expect(html).toContain(de.returned.notYetProposedAgain);
    // Proposing again: the record can be ticked in the form of the page.
    expect(html).toContain(
      `<input type="checkbox" id="ex-${first.id}" aria-label="${de.select}: ${first.store} ${first.ref}" name="findingIds" value="${first.id}"/>`,
    );
    expect(html).toContain('<input type="hidden" name="intent" value="propose"/>');
  });

  it("refuses a send-back without a note, of one's own proposal, without the permission or a fresh code", async () => {
    expect(await call(dpoA, { intent: "propose", action: "erase", findingIds: [second.id] })).toMatchObject({
      status: 302,
    });
    const [own] = await actionsOf(second.id);
    const sendBack = (staff: StaffIdentity, note: string, cookie?: string) =>
      call(staff, { intent: "send-back", actionIds: [own!.id], comment: note }, cookie);

    expect(await sendBack(dpoA, comment)).toMatchObject({ status: 409, data: { error: "own-proposal" } });
    const short = await sendBack(dpoB, "  zu kurz  ");
    expect(short).toMatchObject({ status: 400, data: { error: "comment-required" } });
    expect(await sendBack(handler, comment)).toMatchObject({ status: 403 });
    const [forbidden] = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, handler.id), eq(auditEvents.action, "staff.forbidden")))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(forbidden).toMatchObject({ reason: "release:approve", data: { path: executionPath(requestId) } });
    const stale = await sendBack(
      dpoB,
      comment,
      await openStaffSession(services.db, services.config, dpoB.id, {
        lastTotpAt: new Date(Date.now() - 3_600_000),
      }),
    );
    expect(stale.status).toBe(302);
    expect(stale.location).toMatch(/^\/intern\/bestaetigen\?zurueck=/);
    expect((await actionsOf(second.id)).map((a) => a.status)).toEqual(["proposed"]);
    expect(await eventsOf("execution.sent-back")).toHaveLength(1);

    // The page names the field of the refused note, and the proposer cannot tick their own proposal.
    const de = messagesFor("de").execution;
    const shown = renderExecutionPage(requestId, await pageAs(dpoB), short.data);
    expect(shown).toContain(`<a href="#sb-comment">${de.errors["comment-required"]}</a>`);
    expect(shown).toContain(`<label for="sb-comment">${de.sendBack.comment}</label>`);
    expect(shown).toContain('<p class="field-error" id="sb-comment-error">');
    expect(/<textarea id="sb-comment"[^>]*>/.exec(shown)?.[0]).toContain(
      'aria-describedby="sb-comment-hint sb-comment-error" aria-invalid="true"',
    );
    expect(shown).toContain(`<legend>${de.sendBack.legend}</legend>`);
    expect(/<button [^>]*>Ausgewählte Vorschläge zurückgeben<\/button>/.exec(shown)?.[0]).toMatch(
      /type="submit" value="send-back"[^>]* name="intent"/,
    );
    expect(
      /<input type="checkbox" id="ap-[^"]+"[^>]*>/.exec(
        renderExecutionPage(requestId, await pageAs(dpoA)),
      )?.[0],
    ).toContain('disabled=""');
    expect(renderExecutionPage(requestId, await pageAs(handler))).not.toContain('value="send-back"');

    // Another DPO may: the proposal goes back to its proposer like any other.
    expect(await sendBack(dpoB, comment)).toMatchObject({ status: 302 });
    expect(await actionsOf(second.id)).toEqual([
      expect.objectContaining({ status: "returned", returnedBy: dpoB.id }),
    ]);
  });

  it("carries out the proposal made again once another DPO approves it, and tells the person only of that", async () => {
    const { db } = services.database;
    expect(await call(handler, { intent: "propose", action: "erase", findingIds: [first.id] })).toMatchObject(
      { status: 302 },
    );
    const [, again] = await actionsOf(first.id);
    expect(again).toMatchObject({ status: "proposed", proposedBy: handler.id });
    expect(renderExecutionPage(requestId, await pageAs(handler))).toContain(
      messagesFor("de").execution.returned.proposedAgain,
    );

    expect(await call(dpoB, { intent: "approve", actionIds: [again!.id] })).toMatchObject({ status: 302 });
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 1, failed: 0 });
    expect((await actionsOf(first.id)).map((a) => a.status)).toEqual(["returned", "done"]);
    expect((await actionsOf(second.id)).map((a) => a.status)).toEqual(["returned"]);
    expect(await found(first)).toBe(false);
    expect(await found(second)).toBe(true);

    const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
    const [confirmation] = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, request!.contactEmail)))
      .orderBy(desc(mailOutbox.createdAt))
      .limit(1);
    expect(confirmation!.text.split("Gelöscht:")[1]).toContain(first.ref);
    // A proposal sent back was never decided: the person reads nothing of it.
    expect(confirmation!.text).not.toContain(second.ref);
  });

  it("records every refused action of the execution page in the audit trail", async () => {
    const { db } = services.database;
    const [last] = await db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const [otherCase] = await db
      .select({ id: findingActions.id, findingId: findingActions.findingId })
      .from(findingActions)
      .where(ne(findingActions.requestId, requestId))
      .limit(1);
    const refused: [StaffIdentity, Record<string, string | string[]>, number, string][] = [
      [dpoB, { intent: "approve", actionIds: [randomUUID()] }, 400, "foreign-action"],
      [dpoB, { intent: "approve", actionIds: [otherCase!.id] }, 400, "foreign-action"],
      [dpoB, { intent: "send-back", actionIds: [otherCase!.id], comment }, 400, "foreign-action"],
      [
        handler,
        { intent: "propose", action: "erase", findingIds: [otherCase!.findingId] },
        400,
        "foreign-finding",
      ],
      [dpoB, { intent: "send-back", actionIds: [returnedId], comment }, 409, "not-proposed"],
      [
        handler,
        { intent: "propose", action: "restrict", findingIds: [second.id] },
        409,
        "kind-not-requested",
      ],
      [handler, { intent: "approve", actionIds: ["not-an-id"] }, 400, "invalid-form"],
    ];
    for (const [staff, fields, status] of refused)
      expect(await call(staff, fields), JSON.stringify(fields)).toMatchObject({ status });
    expect(await call(handler, { intent: "approve", actionIds: [returnedId] })).toMatchObject({
      status: 403,
    });

    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), gt(auditEvents.seq, last!.seq)))
      .orderBy(auditEvents.seq);
    expect(events.filter((e) => e.action === "staff.refused").map((e) => [e.actorId, e.reason])).toEqual(
      refused.map(([staff, , , reason]) => [staff.id, reason]),
    );
    const [forbidden] = await db
      .select()
      .from(auditEvents)
      .where(and(gt(auditEvents.seq, last!.seq), eq(auditEvents.action, "staff.forbidden")));
    expect(forbidden).toMatchObject({
      actorId: handler.id,
      reason: "release:approve",
      data: { path: executionPath(requestId) },
    });
    // Refused, so nothing changed.
    expect(events.filter((e) => e.action.startsWith("execution."))).toHaveLength(0);
    expect((await actionsOf(second.id)).map((a) => a.status)).toEqual(["returned"]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});

describe("a lift of a restriction sent back", () => {
  let requestId: string;
  let request: typeof requests.$inferSelect;
  let handler: StaffIdentity;
  let dpoA: StaffIdentity;
  let dpoB: StaffIdentity;
  /** A retrieval protocol held in the store's side table, and another record of the person. */
  let held: typeof findings.$inferSelect;
  let other: typeof findings.$inferSelect;
  const comment = "Die Prüfung der Richtigkeit ist noch nicht abgeschlossen, bitte noch nicht aufheben.";
  const en = messagesFor("en").execution.mail;
  const transport = { send: async () => ({ messageId: "m1" }), close() {} };

  const mailsToPerson = () =>
    services.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, request.contactEmail)))
      .orderBy(mailOutbox.createdAt);
  const messagesOnCasePage = async () =>
    (await findOwnedCase({ db: services.database.db } as never, [request.contactEmail], request.reference!))!
      .messages;
  const stillHeld = async () => {
    const rows = await services.database.sql.query<{ ref: string }>(
      "select ref from melderegister.portal_legal_hold where ref = $1",
      [held.ref],
    );
    return rows.length === 1;
  };
  const eventsOf = (action: AuditAction) =>
    services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, action)))
      .orderBy(auditEvents.seq);

  beforeAll(async () => {
    const { db } = services.database;
    handler = await createStaff(services.db, "lw-handler", "case-handler", "lw-handler");
    dpoA = await createStaff(services.db, "lw-dpo-a", "dpo", "lw-dpo-a");
    dpoB = await createStaff(services.db, "lw-dpo-b", "dpo", "lw-dpo-b");
    const person = sample.answerKey.persons.find(
      (p) => p !== erika && p.records.filter((r) => r.store === "abrufprotokolle").length >= 2,
    );
    expect(person, "a person with two retrieval protocols").toBeDefined();
    // An English-speaking person: every notice reaches them in their language.
    const gathered = await gatheredCase(services, person!, ["einschraenkung"], { at: now, lang: "en" });
    requestId = gathered.requestId;
    [request] = (await db.select().from(requests).where(eq(requests.id, requestId))) as [
      typeof requests.$inferSelect,
    ];
    const protocols = await db
      .select()
      .from(findings)
      .where(and(eq(findings.runId, gathered.runId), eq(findings.store, "abrufprotokolle")));
    [held, other] = protocols as [typeof findings.$inferSelect, typeof findings.$inferSelect];

    const [restrict] = await propose(env, handler, requestId, { action: "restrict", findingIds: [held.id] });
    await approve(env, dpoA, requestId, [restrict!]);
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 1 });
    expect(await stillHeld()).toBe(true);
  }, 120_000);

  it("tells the person the restriction stays, keeps the hold, and announces a lift proposed again anew", async () => {
    const { db } = services.database;
    const reference = request.reference!;
    const mailsBefore = (await mailsToPerson()).length;

    const [lift] = await propose(env, handler, requestId, {
      action: "lift-restriction",
      findingIds: [held.id],
    });
    const [liftRow] = await db.select().from(findingActions).where(eq(findingActions.id, lift!));
    const notice = (await mailsToPerson()).at(-1)!;
    expect(notice).toMatchObject({
      id: liftRow!.changes!.noticeOutboxId,
      subject: en.liftSubject(reference),
    });

    expect(await sendBack(env, dpoA, requestId, [lift!], comment)).toMatchObject({
      count: 1,
      outboxIds: [expect.any(String)],
    });
    const correction = (await mailsToPerson()).at(-1)!;
    expect(correction.subject).toBe(en.liftWithdrawnSubject(reference));
    expect(correction.text).toContain(en.liftWithdrawnBody(reference, `- ${recordLine(env, held, "en")}`));
    expect(correction.text).toContain(en.greeting);
    // Only the record sent back is named; the note of the DPO stays with staff.
    expect(correction.text).not.toContain(other.ref);
    expect(correction.text).not.toContain("Richtigkeit");
    const [event] = await eventsOf("execution.lift-withdrawn");
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: dpoA.id,
      data: { actions: [lift], findings: [held.id], outboxId: correction.id },
    });
    // The case page shows the person both, in order, as it shows the announcement.
    expect((await messagesOnCasePage()).slice(-2).map((m) => [m.direction, m.body])).toEqual([
      ["to-person", notice.text],
      ["to-person", correction.text],
    ]);

    // Nothing is lifted, not even once the announcement has gone out.
    expect(await deliverMail(db, transport, notice.id)).toBe("sent");
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 0, waiting: 0 });
    expect(await stillHeld()).toBe(true);

    // Proposed again, the lift is announced again, with a notice of its own that it waits for.
    const [again] = await propose(env, handler, requestId, {
      action: "lift-restriction",
      findingIds: [held.id],
    });
    const [againRow] = await db.select().from(findingActions).where(eq(findingActions.id, again!));
    const renewed = (await mailsToPerson()).at(-1)!;
    expect(renewed).toMatchObject({
      id: againRow!.changes!.noticeOutboxId,
      subject: en.liftSubject(reference),
      status: "pending",
    });
    expect(renewed.id).not.toBe(notice.id);
    await approve(env, dpoB, requestId, [again!]);
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 0, waiting: 1 });
    expect(await stillHeld()).toBe(true);
    expect(await deliverMail(db, transport, renewed.id)).toBe("sent");
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 1 });
    expect(await stillHeld()).toBe(false);
    expect(
      (
        await db
          .select()
          .from(findingActions)
          .where(and(eq(findingActions.findingId, held.id), eq(findingActions.action, "lift-restriction")))
          .orderBy(findingActions.createdAt)
      ).map((a) => a.status),
    ).toEqual(["returned", "done"]);
    // Announcement, correction, announcement again, then the confirmation: no further correction on the way.
    expect((await mailsToPerson()).slice(mailsBefore).map((m) => m.subject)).toEqual([
      en.liftSubject(reference),
      en.liftWithdrawnSubject(reference),
      en.liftSubject(reference),
      en.confirmationSubject(reference),
    ]);
    expect(await eventsOf("execution.lift-withdrawn")).toHaveLength(1);
  });

  it("sends no correction when a proposal without a lift is sent back", async () => {
    const mails = (await mailsToPerson()).length;
    const messages = (await messagesOnCasePage()).length;
    const [restrict] = await propose(env, handler, requestId, { action: "restrict", findingIds: [other.id] });
    expect(await sendBack(env, dpoA, requestId, [restrict!], comment)).toEqual({ count: 1, outboxIds: [] });
    expect(await mailsToPerson()).toHaveLength(mails);
    expect(await messagesOnCasePage()).toHaveLength(messages);
    expect(await eventsOf("execution.sent-back")).toHaveLength(2);
    expect(await eventsOf("execution.lift-withdrawn")).toHaveLength(1);
    expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
  });
});
