import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityDecisions, findingActions, findings, gatherStoreJobs, mailOutbox, recipientNotifications, requestIdentifiers, requests } from "../../db/schema";
import { roleDefinitions, type RoleId } from "../../app/core/permissions";
import { deletionDue, retentionRules } from "../../app/core/retention";
import { verifyAuditChain } from "../../app/server/audit.server";
import type { StaffIdentity } from "../../app/server/auth/staff.server";
import { approve, propose } from "../../app/server/execution/actions.server";
import { carryOutApproved, runDueErasures } from "../../app/server/execution/carry-out.server";
import { decideActivity } from "../../app/server/execution/decisions.server";
import { type ExecutionEnv, ExecutionRefused, executionEnv } from "../../app/server/execution/env.server";
import { caseRecipients } from "../../app/server/execution/view.server";
import { deliverMail } from "../../app/server/mail/outbox.server";
import { runStoreJob, startGather } from "../../app/server/gather/gather.server";
import { subjectOfRequest } from "../../app/server/gather/subject.server";
import type { Services } from "../../app/server/services.server";
import { lineHash, parseLineRef } from "../../app/sources/files.server";
import { loadDatabaseStores } from "../../app/sources/database.server";
import { collectAcrossStores } from "../../app/sources/registry.server";
import { sweepRulesFor } from "../../app/sources/retention";
import { loadSourcesConfig } from "../../app/sources/config.server";
import { isDatabaseStore, type StoreConfig } from "../../app/sources/config";
import type { AnswerKeyPerson } from "../../app/sources/sample/answer-key";
import { generateSample } from "../../app/sources/sample/generate.server";
import { messagesFor } from "../../app/i18n";
import { createTestServices } from "../support/services";
import { recipientsToldOf } from "../../app/server/execution/view.server";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-execution-"));
let services: Services;
let close: () => Promise<void>;
let env: ExecutionEnv;
let erika: AnswerKeyPerson;
let sample: Awaited<ReturnType<typeof generateSample>>;
let stores: StoreConfig[];
/** Shortly after the sample's last day (2025-11-14): web logs, login logs and protocols are still kept. */
const now = new Date("2025-11-20T10:00:00Z");

async function staffWith(userName: string, role: RoleId): Promise<StaffIdentity> {
  const [row] = await services.database.sql.query<{ id: string }>(
    "insert into staff_users (user_name, display_name, email, password_hash) values ($1, $1, $1 || '@tlrz.example', 'x') returning id",
    [userName],
  );
  await services.database.sql.query("insert into staff_user_roles (user_id, role_id) values ($1, $2)", [row!.id, role]);
  return { id: row!.id, userName, displayName: userName, permissions: new Set(roleDefinitions[role].permissions), sessionId: "s", lastTotpAt: new Date() };
}

async function gatheredCase(person: AnswerKeyPerson, kinds: string[], lang = "de"): Promise<{ requestId: string; runId: string }> {
  const { db } = services.database;
  const [request] = await db
    .insert(requests)
    .values({ status: "received", kinds, channel: "web", lang, reference: `DSR-2025-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`, contactEmail: person.identifiers.emails[0]!, provenAt: now, receivedAt: now })
    .returning({ id: requests.id });
  const id = request!.id;
  const rows = [
    ...person.identifiers.emails.map((value) => ({ kind: "email", value, provenAt: now })),
    ...person.identifiers.names.map((value) => ({ kind: "name", value, provenAt: now })),
    ...person.identifiers.phones.map((value) => ({ kind: "phone", value, provenAt: now })),
    ...person.identifiers.userNames.map((value) => ({ kind: "user-name", value, provenAt: now })),
    ...person.identifiers.postalAddresses.map((value) => ({ kind: "postal-address", value, provenAt: now })),
    ...person.identifiers.ips.map((w) => ({ kind: "ip", value: w.address, validFrom: new Date(w.from), validTo: new Date(w.to), provenAt: now })),
    { kind: "birth-date", value: person.identifiers.birthDate, provenAt: now },
  ];
  await db.insert(requestIdentifiers).values(rows.map((r) => ({ ...r, requestId: id, normalized: r.value })));
  const runId = await startGather({ db, sources: services.sources, jobs: { send: async () => "id" } } as never, id, null);
  const jobs = await db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId));
  for (const job of jobs) await runStoreJob({ db, sources: services.sources }, job.id);
  return { requestId: id, runId };
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
        "select table_name from information_schema.tables where table_schema = $1 and table_name <> 'portal_legal_hold' order by 1",
        [store.schema],
      );
      for (const { table_name } of tables) {
        const rows = await services.database.sql.query<{ id: string; row: string }>(`select id::text as id, row_to_json(t)::text as row from "${store.schema}"."${table_name}" t`);
        for (const r of rows) shot.set(`${store.id} row ${table_name}/${r.id}`, createHash("sha256").update(r.row).digest("hex"));
      }
      continue;
    }
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
function belongsTo(key: string, erased: { store: string; ref: string }[], erasedTickets: Set<string>): boolean {
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
  sample = await generateSample({ people: 40, days: 20, seed: "execution", out: sampleDir });
  erika = sample.answerKey.persons.find((p) => p.identifiers.emails.includes("erika.mustermann@example.org"))!;
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
  await loadDatabaseStores(services.database.sql, sampleDir);
  stores = (await loadSourcesConfig(services.config.sourcesConfig)).stores;
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
    handler = await staffWith("handler", "case-handler");
    dpoA = await staffWith("dpo-a", "dpo");
    dpoB = await staffWith("dpo-b", "dpo");
    ({ requestId, runId } = await gatheredCase(erika, ["loeschung", "einschraenkung", "berichtigung", "widerspruch", "widerruf"]));
    allFindings = await services.database.db.select().from(findings).where(eq(findings.runId, runId));
    before = await snapshot();
  }, 120_000);

  it("refuses ids of another case and actions nobody may take", async () => {
    const other = await gatheredCase(erika, ["loeschung"]);
    const [foreign] = await services.database.db.select().from(findings).where(eq(findings.runId, other.runId)).limit(1);
    await expect(propose(env, handler, requestId, { action: "erase", findingIds: [allFindings[0]!.id, foreign!.id] })).rejects.toMatchObject({ reason: "foreign-finding" });
    const [ownOther] = await propose(env, handler, other.requestId, { action: "erase", findingIds: [foreign!.id] });
    await expect(approve(env, dpoB, requestId, [ownOther!])).rejects.toMatchObject({ reason: "foreign-action" });
    await expect(propose(env, handler, other.requestId, { action: "restrict", findingIds: [foreign!.id] })).rejects.toMatchObject({ reason: "kind-not-requested" });
    expect(await services.database.db.select().from(findingActions).where(eq(findingActions.requestId, requestId))).toHaveLength(0);
  });

  it("shows per finding whether it can go now, and if not under which rule and from when", async () => {
    const ids = await propose(env, handler, requestId, { action: "erase", findingIds: allFindings.map((f) => f.id) }, now);
    expect(ids).toHaveLength(allFindings.length);
    await expect(approve(env, handler, requestId, ids, now)).rejects.toBeInstanceOf(ExecutionRefused);
    const result = await approve(env, dpoB, requestId, ids, now);
    const rows = await services.database.db
      .select({ action: findingActions, finding: findings })
      .from(findingActions)
      .innerJoin(findings, eq(findings.id, findingActions.findingId))
      .where(and(eq(findingActions.requestId, requestId), eq(findingActions.action, "erase")));
    const byStore = (store: string) => rows.filter((r) => r.finding.store === store);
    for (const store of ["mail-poststelle", "mail-support", "telefon"]) for (const r of byStore(store)) expect(r.action.status).toBe("approved");
    const web = byStore("web-tsr");
    expect(web.length).toBeGreaterThan(0);
    for (const r of web) {
      expect(r.action.status).toBe("deferred");
      expect(r.action.refusalReason).toBe("retention-duty:web-access-log");
      expect(r.action.dueAt?.toISOString()).toBe(deletionDue(retentionRules["web-access-log"], r.finding.recordedAt!).toISOString());
    }
    for (const r of byStore("beaus-login")) expect(r.action).toMatchObject({ status: "deferred", refusalReason: "retention-duty:login-log" });
    // § 23 ThürDSG: a file erased now must be past its period and decided on by the archive.
    for (const r of byStore("viskompakt")) {
      if (r.action.status === "approved") expect(["not-archival", "transferred"]).toContain(r.finding.content.archivangebot);
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
    const { findings: again } = await collectAcrossStores(services.sources, await subjectOfRequest(services.database.db, requestId));
    const refsAgain = new Set(again.map((f) => `${f.store} ${f.ref}`));
    for (const e of erased) expect(refsAgain.has(`${e.store} ${e.ref}`), e.ref).toBe(false);
    const kept = allFindings.filter((f) => !erased.some((e) => e.id === f.id));
    for (const k of kept) expect(refsAgain.has(`${k.store} ${k.ref}`), k.ref).toBe(true);
    // A second run finds nothing approved left: idempotent.
    expect(await carryOutApproved(env, { requestId, now })).toMatchObject({ done: 0, failed: 0 });
  });

  it("tells every recipient of each affected activity and the person, with reasons and dates", async () => {
    const { db } = services.database;
    const notices = await db.select().from(recipientNotifications).where(eq(recipientNotifications.requestId, requestId));
    // The person's case page lists exactly these notices (Art. 19 sentence 2).
    expect((await recipientsToldOf(db, requestId)).map((r) => r.recipient).sort()).toEqual(notices.map((n) => n.recipient).sort());
    const activities = [...new Set(erased.map((e) => e.processingActivityId))];
    for (const activity of activities) {
      for (const recipient of env.recipients[activity as keyof typeof env.recipients] ?? []) {
        const notice = notices.find((n) => n.processingActivityId === activity && n.recipient === recipient.name && n.action === "erase");
        expect(notice, `${activity} ${recipient.name}`).toBeDefined();
        if (recipient.email) {
          const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, notice!.outboxId!));
          expect(mail!.to).toBe(recipient.email);
          expect(mail!.text).toContain("Art. 19");
          expect(mail!.text).not.toContain(erika.identifiers.emails[0]!);
        }
      }
    }
    const mails = await db.select().from(mailOutbox).where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, erika.identifiers.emails[0]!)));
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
    expect(confirmation.text).toContain(`Wir löschen sie am ${messagesFor("de").journey.formatDate(webAction!.dueAt!)}`);
    const recipients = await caseRecipients(env, requestId);
    expect(recipients.map((r) => r.processingActivityId).sort()).toEqual([...new Set(allFindings.map((f) => f.processingActivityId))].sort());
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
    const notices = await db.select().from(recipientNotifications).where(and(eq(recipientNotifications.requestId, requestId), eq(recipientNotifications.action, "restrict")));
    expect(notices.map((n) => n.recipient)).toEqual((env.recipients["website-visit"] ?? []).map((r) => r.name));

    const webStore = stores.find((s) => s.id === "web-tsr")!;
    const sweep = await services.sources.connectors.get("web-tsr")!.sweep(new Date("2027-06-01T00:00:00Z"), sweepRulesFor(webStore)!);
    expect(sweep.skippedOnHold).toBe(1);
    expect(sweep.deleted).toBeGreaterThan(0);
    const subject = await subjectOfRequest(db, requestId);
    let { findings: left } = await collectAcrossStores(services.sources, subject);
    expect(left.filter((f) => f.store === "web-tsr").map((f) => parseLineRef(f.ref)!.hash)).toEqual([parseLineRef(held.ref)!.hash]);

    // The deferred erasures come due; the held record is kept (and the failure says why), the rest goes.
    const due = await runDueErasures(env, new Date("2027-01-02T00:00:00Z"));
    expect(due.failed).toBe(1);
    const [failed] = await db.select().from(findingActions).where(and(eq(findingActions.findingId, held.id), eq(findingActions.action, "erase")));
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.error).toMatch(/legal hold/);
    const login = allFindings.filter((f) => f.store === "beaus-login");
    const loginActions = await db.select().from(findingActions).where(and(eq(findingActions.action, "erase"), inArray(findingActions.findingId, login.map((f) => f.id))));
    expect(loginActions.every((a) => a.status === "done")).toBe(true);
    ({ findings: left } = await collectAcrossStores(services.sources, subject));
    expect(left.filter((f) => f.store === "beaus-login")).toHaveLength(0);

    const [lift] = await propose(env, handler, requestId, { action: "lift-restriction", findingIds: [held.id] });
    await approve(env, dpoB, requestId, [lift!]);
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 0, waiting: 1 });
    const [liftRow] = await db.select().from(findingActions).where(eq(findingActions.id, lift!));
    const transport = { send: async () => ({ messageId: "m1" }), close() {} };
    expect(await deliverMail(db, transport, liftRow!.changes!.noticeOutboxId!)).toBe("sent");
    expect(await carryOutApproved(env, { requestId })).toMatchObject({ done: 1 });
    const holdFile = JSON.parse(readFileSync(path.join(sampleDir, (webStore as { path: string }).path, ".legal-hold.json"), "utf8")) as { holds: unknown[] };
    expect(holdFile.holds).toHaveLength(0);
  });

  it("rectifies through the store where it may, and otherwise records a supplementary statement", async () => {
    const { db } = services.database;
    // Erika's files are gone by now: a person with a file in the records system asks for a correction.
    const writer = sample.answerKey.persons.find((p) => p !== erika && p.records.some((r) => r.store === "viskompakt") && p.records.some((r) => r.store.startsWith("mail-")))!;
    const rectifyCase = await gatheredCase(writer, ["berichtigung"]);
    const theirs = await db.select().from(findings).where(eq(findings.runId, rectifyCase.runId));
    const record = theirs.find((f) => f.store === "viskompakt")!;
    const mail = theirs.find((f) => f.store.startsWith("mail-"))!;
    await expect(propose(env, handler, rectifyCase.requestId, { action: "rectify", findingId: mail.id, changes: { from: "x@example.org" } })).rejects.toMatchObject({ reason: "statement-required" });
    await expect(propose(env, handler, rectifyCase.requestId, { action: "rectify", findingId: allFindings[0]!.id, changes: { ort: "Weimar" } })).rejects.toMatchObject({ reason: "foreign-finding" });
    const ids = [await propose(env, handler, rectifyCase.requestId, { action: "rectify", findingId: mail.id, changes: {}, statement: "Die Telefonnummer in dieser Nachricht ist veraltet." })];
    ids.push(await propose(env, handler, rectifyCase.requestId, { action: "rectify", findingId: record.id, changes: { ort: "Weimar" } }));
    await approve(env, dpoA, rectifyCase.requestId, ids.flat());
    expect(await carryOutApproved(env, { requestId: rectifyCase.requestId })).toMatchObject({ done: ids.length, failed: 0 });
    const rectifyNotices = await db.select().from(recipientNotifications).where(eq(recipientNotifications.requestId, rectifyCase.requestId));
    expect(rectifyNotices.filter((n) => n.processingActivityId === "records-management").map((n) => n.omittedReason !== null).sort()).toEqual([false, true]);
    {
      const file = String(record.content.metadataFile);
      expect(readFileSync(path.join(sampleDir, (stores.find((s) => s.id === "viskompakt") as { path: string }).path, file), "utf8")).toContain(">Weimar<");
    }
    const [statement] = await db.select().from(findingActions).where(eq(findingActions.id, ids[0]![0]!));
    expect(statement).toMatchObject({ status: "done", changes: null });
  });

  it("decides objection and withdrawal per activity with reasons, and carries out the effect", async () => {
    const { db } = services.database;
    const reasoning = "Die Protokolle dienen der Abwehr von Angriffen; ein Widerspruch ist gesetzlich ausgeschlossen.";
    await expect(decideActivity(env, handler, requestId, { kind: "objection", activityId: "website-visit", outcome: "rejected", reasoning })).rejects.toMatchObject({ reason: "not-permitted" });
    await expect(decideActivity(env, dpoA, requestId, { kind: "objection", activityId: "website-visit", outcome: "upheld", reasoning })).rejects.toMatchObject({ reason: "objection-not-applicable" });
    await expect(decideActivity(env, dpoA, requestId, { kind: "objection", activityId: "website-visit", outcome: "rejected", reasoning: "nein" })).rejects.toMatchObject({ reason: "reasoning-required" });
    await decideActivity(env, dpoA, requestId, { kind: "objection", activityId: "website-visit", outcome: "rejected", reasoning });
    await expect(decideActivity(env, dpoA, requestId, { kind: "objection", activityId: "website-visit", outcome: "rejected", reasoning })).rejects.toMatchObject({ reason: "already-decided" });
    await expect(decideActivity(env, dpoA, requestId, { kind: "withdrawal", activityId: "support-ticket", outcome: "upheld", reasoning })).rejects.toMatchObject({ reason: "not-consent-based" });
    await expect(decideActivity(env, dpoA, requestId, { kind: "objection", activityId: "no-such", outcome: "rejected", reasoning })).rejects.toMatchObject({ reason: "unknown-activity" });

    const { effect } = await decideActivity(env, dpoB, requestId, { kind: "withdrawal", activityId: "contact-form", outcome: "upheld", reasoning: "Die Einwilligung wurde wirksam widerrufen; die Daten werden nicht weiter genutzt." }, now);
    expect(effect).not.toBeNull();
    const decisions = await db.select().from(activityDecisions).where(eq(activityDecisions.requestId, requestId));
    expect(decisions.map((d) => `${d.kind} ${d.processingActivityId} ${d.outcome}`).sort()).toEqual(["objection website-visit rejected", "withdrawal contact-form upheld"]);
    const contact = allFindings.filter((f) => f.processingActivityId === "contact-form");
    expect(contact.length).toBeGreaterThan(0);
    expect(effect!.erase + effect!.restrict).toBe(contact.length);
    expect((await carryOutApproved(env, { requestId, now })).failed).toBe(0);
    const actions = contact.length ? await db.select().from(findingActions).where(inArray(findingActions.findingId, contact.map((f) => f.id))) : [];
    for (const f of contact) {
      expect(actions.some((a) => a.findingId === f.id && a.action === "erase"), f.ref).toBe(true);
      const hold = actions.find((a) => a.findingId === f.id && a.action === "restrict");
      if (hold) expect(hold.status).toBe("done");
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
