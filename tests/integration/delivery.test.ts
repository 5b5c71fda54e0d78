import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findings, gatherRuns, mailOutbox, requests } from "#db/schema";
import type { RoleId } from "#app/core/permissions";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { answerInputFor } from "#app/server/delivery/answer-input.server";
import { archivePassword } from "#app/server/answers/password.server";
import { answerTexts } from "#app/server/answers/texts";
import {
  downloadAnswer,
  proveDownloadCode,
  recordForeignDownload,
  releaseAnswer,
  sendDownloadCode,
} from "#app/server/delivery/delivery.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { jobDefinitions } from "#app/server/jobs/index.server";
import {
  answerArchiveJob,
  answerArchiveUpkeepJob,
  buildAnswerArchive,
  deleteExpiredArchives,
  readyArchiveOf,
  reconcileArchiveBuilds,
  storedChunks,
} from "#app/server/delivery/stored-archive.server";
import { approve, decide, openReview, propose } from "#app/server/review/review.server";
import type { Services } from "#app/server/services.server";
import * as vorgangAntwort from "#app/routes/vorgang-antwort";
import {
  addProvenEmail,
  commitPerson,
  getPerson,
  newArchiveNonce,
  unlockDownloads,
} from "#app/server/requests/person-session.server";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { pdfText } from "../support/pdf-text";
import { createTestServices } from "../support/services";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
const dir = mkdtempSync(path.join(tmpdir(), "rp-delivery-"));

const staff = (userName: string, role: RoleId) => createStaff(services.database.db, userName, role, userName);

/** A received case with three findings, reviewed (one redacted, one withheld) and approved. */
async function approvedCase(kinds: RequestKindSlug[]) {
  const db = services.database.db;
  const receivedAt = new Date("2026-11-02T09:00:00Z");
  const reference = `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const [request] = await db
    .insert(requests)
    .values({
      status: "review",
      kinds,
      channel: "web",
      contactEmail: "erika@example.org",
      reference,
      receivedAt,
      deadline: new Date("2026-12-02T22:59:59Z"),
    })
    .returning();
  const [run] = await db.insert(gatherRuns).values({ requestId: request!.id, version: 1 }).returning();
  const contents = [
    {
      folder: "support",
      subject: "Anfrage Müller",
      from: "erika@example.org",
      to: ["support@tlrz.example"],
      cc: ["dritter@example.com"],
      text: "Grüße, Łukasz",
    },
    { id: 7, behoerde: "Polizei", aktenzeichen: "AZ-1" },
    { ticket: 3, subject: "Kontaktformular", consent: true },
  ];
  const stores = [
    ["mail-support", "maildir", "email"],
    ["abrufprotokolle", "retrieval-protocol-db", "retrieval-protocol"],
    ["servicedesk", "servicedesk-db", "contact-form"],
  ] as const;
  const rows = await db
    .insert(findings)
    .values(
      contents.map((content, i) => ({
        runId: run!.id,
        store: stores[i]![0],
        storeKind: stores[i]![1],
        processingActivityId: stores[i]![2],
        ref: `r/${i}`,
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
    .returning({ id: findings.id });
  const round = await openReview(db, handler, request!.id);
  await decide(db, handler, request!.id, round.id, [rows[0]!.id], {
    decision: "redact",
    groundId: "third-party-rights",
    reasoning: "Dritte Person in Kopie.",
    fields: ["cc"],
  });
  await decide(db, handler, request!.id, round.id, [rows[1]!.id], {
    decision: "withhold",
    groundId: "authority-consent",
    reasoning: "Zustimmung der Polizei steht aus.",
    reviewOn: new Date("2027-02-01T00:00:00Z"),
    omitReasons: false,
  });
  await decide(db, handler, request!.id, round.id, [rows[2]!.id], { decision: "release" });
  await propose(db, handler, request!.id, round.id);
  await approve(db, dpo, request!.id, round.id);
  return { requestId: request!.id, reference, findingIds: rows.map((r) => r.id) };
}

async function all<T>(source: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

describe("delivering the answer", () => {
  it("builds the answer from the approved review only, with redactions and the withheld group", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    const input = await answerInputFor(services.database.db, requestId, new Date("2026-11-20T10:00:00Z"));
    const released = await all(input!.released.list());
    expect(released.map((f) => f.store).sort()).toEqual(["mail-support", "servicedesk"]);
    expect(released.find((f) => f.store === "mail-support")?.content.cc).toBeNull();
    // The internal reasoning stays in the file: without a text for the person the letter gives the law's reason.
    expect(input!.withheld).toEqual([
      expect.objectContaining({
        groundId: "authority-consent",
        legalReference: "§ 21 Abs. 3 ThürDSG",
        count: 1,
        reasons: answerTexts("de").groundReasons["authority-consent"],
      }),
    ]);
    expect(input!.facts?.withheld).toBe(input!.withheld);
  });

  it("reads a large review from the database page by page: each released finding once, in order", async () => {
    const db = services.database.db;
    const [request] = await db
      .insert(requests)
      .values({
        status: "review",
        kinds: ["auskunft"],
        channel: "web",
        contactEmail: "gross@example.org",
        reference: "DSR-2026-424242",
        receivedAt: new Date("2026-11-02T09:00:00Z"),
      })
      .returning();
    const [run] = await db.insert(gatherRuns).values({ requestId: request!.id, version: 1 }).returning();
    const plan = [
      ["web-a", 1500],
      ["web-b", 800],
    ] as const;
    const values = plan.flatMap(([store, n]) =>
      Array.from({ length: n }, (_, i): typeof findings.$inferInsert => {
        const content = { line: i, store };
        return {
          runId: run!.id,
          store,
          storeKind: "nginx-access-log",
          processingActivityId: "website-visit",
          ref: `${store}/${String(i).padStart(5, "0")}`,
          flags: [],
          unproven: false,
          matched: { kind: "ip", value: "198.51.100.23", recordValue: "198.51.100.23", proven: true },
          recordedAt: new Date("2026-10-01T10:00:00Z"),
          content,
          contentHash: contentHashOf(content),
        };
      }),
    );
    const rows = await db
      .insert(findings)
      .values(values)
      .returning({ id: findings.id, store: findings.store, ref: findings.ref });
    const withheldIds = rows
      .filter((r) => r.store === "web-b")
      .slice(0, 300)
      .map((r) => r.id);
    const round = await openReview(db, handler, request!.id);
    await decide(db, handler, request!.id, round.id, withheldIds, {
      decision: "withhold",
      groundId: "secrecy",
      reasoning: "Rechte Dritter überwiegen hier.",
      reviewOn: new Date("2027-06-01T00:00:00Z"),
      omitReasons: true,
    });
    const withheld = new Set(withheldIds);
    await decide(
      db,
      handler,
      request!.id,
      round.id,
      rows.filter((r) => !withheld.has(r.id)).map((r) => r.id),
      { decision: "release" },
    );
    await propose(db, handler, request!.id, round.id);
    await approve(db, dpo, request!.id, round.id);

    const input = await answerInputFor(db, request!.id, new Date("2026-11-20T10:00:00Z"));
    const released = await all(input!.released.list());
    const expected = rows
      .filter((r) => !withheld.has(r.id))
      .map((r) => `${r.store} ${r.ref}`)
      .sort();
    expect(released.map((f) => `${f.store} ${f.ref}`)).toEqual(expected);
    expect((await all(input!.released.list("web-a"))).map((f) => f.ref)).toEqual(
      expected.filter((e) => e.startsWith("web-a ")).map((e) => e.split(" ")[1]),
    );
    expect(await all(input!.released.list("web-b"))).toHaveLength(500);
    expect(input!.withheld).toEqual([
      expect.objectContaining({ groundId: "secrecy", count: 300, reasons: null }),
    ]);
  });

  it("releases the answer, tells the person, and serves letter and archive (the archive passes unzip -t)", async () => {
    const { requestId, reference } = await approvedCase(["auskunft", "datenuebertragung"]);
    const released = await releaseAnswer(services.database.db, handler, requestId, services.config);
    expect(released.ok).toBe(true);
    const [mail] = await services.database.sql.query<{ subject: string }>(
      "select subject from mail_outbox where request_id = $1",
      [requestId],
    );
    expect(mail?.subject).toContain(reference);

    const letter = await downloadAnswer(services.database.db, {
      requestId,
      file: "brief.pdf",
      actor: { type: "person", id: null },
      publicUrl: "https://portal.example",
    });
    if (!letter.ok) throw new Error("no letter");
    const pdf = await bytesOf(letter.body);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // The letter names the case's complaint page beside the authority (pdftotext is installed by CI).
    // A long URL may wrap across lines in the letter: compare without white space.
    expect(pdfText(pdf, "reading").replace(/\s+/g, "")).toContain(
      `https://portal.example/vorgang/${reference}/beschwerde`,
    );
    for (const file of ["auskunft.zip", "datenuebertragung.zip"] as const) {
      const archive = await downloadAnswer(services.database.db, {
        requestId,
        file,
        actor: { type: "person", id: null },
      });
      if (!archive.ok) throw new Error(`no ${file}`);
      const zipPath = path.join(dir, `${reference}-${file}`);
      writeFileSync(zipPath, await bytesOf(archive.body));
      expect(execFileSync("unzip", ["-t", zipPath]).toString()).toMatch(/No errors detected/);
    }
    // The same approved review gives the same archive, byte for byte.
    const again = await downloadAnswer(services.database.db, {
      requestId,
      file: "auskunft.zip",
      actor: { type: "person", id: null },
    });
    const first = await downloadAnswer(services.database.db, {
      requestId,
      file: "auskunft.zip",
      actor: { type: "person", id: null },
    });
    expect(again.ok && first.ok && (await bytesOf(again.body)).equals(await bytesOf(first.body))).toBe(true);
    const downloads = await services.database.sql.query(
      "select 1 from audit_events where request_id = $1 and action = 'answer.downloaded'",
      [requestId],
    );
    expect(downloads).toHaveLength(5);
  });

  it("refuses and records an expired answer (410), a finding changed since review (409) and a foreign link", async () => {
    const { requestId, reference, findingIds } = await approvedCase(["auskunft"]);
    await releaseAnswer(services.database.db, handler, requestId, services.config);
    const later = new Date(Date.now() + (services.config.answerAvailableDays + 1) * 86_400_000);
    expect(
      await downloadAnswer(
        services.database.db,
        { requestId, file: "brief.pdf", actor: { type: "person", id: null } },
        later,
      ),
    ).toEqual({ ok: false, status: 410 });
    await services.database.sql.query(`update findings set content = '{"changed":true}' where id = $1`, [
      findingIds[2],
    ]);
    expect(
      await downloadAnswer(services.database.db, {
        requestId,
        file: "auskunft.zip",
        actor: { type: "person", id: null },
      }),
    ).toEqual({ ok: false, status: 409 });
    await recordForeignDownload(services.database.db, reference, "auskunft.zip");
    await recordForeignDownload(services.database.db, "DSR-1999-000000", "auskunft.zip");
    const refusals = await services.database.sql.query<{ reason: string }>(
      "select reason from audit_events where request_id = $1 and action = 'answer.download-refused' order by seq",
      [requestId],
    );
    expect(refusals.map((r) => r.reason)).toEqual(["expired", "changed-since-review", "not-owner"]);
    const downloads = await services.database.sql.query(
      "select 1 from audit_events where request_id = $1 and action = 'answer.downloaded'",
      [requestId],
    );
    expect(downloads).toHaveLength(0);
  });

  it("encrypts an archive with the password, names it so and records that; the letter stays plain", async () => {
    const { requestId, reference } = await approvedCase(["auskunft"]);
    await releaseAnswer(services.database.db, handler, requestId, services.config);
    const password = archivePassword(services.config.sessionSecret, requestId, "nonce");
    const archive = await downloadAnswer(services.database.db, {
      requestId,
      file: "auskunft.zip",
      actor: { type: "person", id: null },
      password,
    });
    if (!archive.ok) throw new Error("no archive");
    expect(archive.fileName).toBe(`${reference}-auskunft-verschluesselt.zip`);
    const zipPath = path.join(dir, `${reference}-encrypted.zip`);
    writeFileSync(zipPath, await bytesOf(archive.body));
    expect(execFileSync("7z", ["t", `-p${password}`, zipPath]).toString()).toContain("Everything is Ok");
    expect(() => execFileSync("7z", ["t", "-pfalsch", zipPath], { stdio: "pipe" })).toThrow();
    const letter = await downloadAnswer(services.database.db, {
      requestId,
      file: "brief.pdf",
      actor: { type: "person", id: null },
      password,
    });
    if (!letter.ok) throw new Error("no letter");
    expect((await bytesOf(letter.body)).subarray(0, 5).toString()).toBe("%PDF-");
    const recorded = await services.database.sql.query<{ data: { file: string; encrypted: boolean } }>(
      "select data from audit_events where request_id = $1 and action = 'answer.downloaded' order by seq",
      [requestId],
    );
    expect(recorded.map((r) => [r.data.file, r.data.encrypted])).toEqual([
      ["auskunft.zip", true],
      ["brief.pdf", false],
    ]);
  });

  it("does not release an answer whose findings changed since review: staff learn it before the person", async () => {
    const { requestId, findingIds } = await approvedCase(["auskunft"]);
    await services.database.sql.query(`update findings set content = '{"changed":true}' where id = $1`, [
      findingIds[0],
    ]);
    expect(await releaseAnswer(services.database.db, handler, requestId, services.config)).toEqual({
      ok: false,
      reason: "changed-since-review",
    });
    const [request] = await services.database.sql.query<{ status: string }>(
      "select status from requests where id = $1",
      [requestId],
    );
    expect(request?.status).not.toBe("answered");
  });

  it("refuses a second release of the same answer: one answer, one notice, the first date kept", async () => {
    const { requestId } = await approvedCase(["auskunft", "datenuebertragung"]);
    const first = await releaseAnswer(
      services.database.db,
      handler,
      requestId,
      services.config,
      new Date("2026-11-20T10:00:00Z"),
    );
    expect(first.ok).toBe(true);
    expect(
      await releaseAnswer(
        services.database.db,
        handler,
        requestId,
        services.config,
        new Date("2026-11-21T10:00:00Z"),
      ),
    ).toEqual({ ok: false, reason: "already-released" });
    const rows = await services.database.sql.query<{ answered_at: Date; notice_id: string }>(
      "select answered_at, notice_id from answers where request_id = $1",
      [requestId],
    );
    // One row per kind, each pointing to the one notice that told the person.
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(new Date(row.answered_at).toISOString()).toBe("2026-11-20T10:00:00.000Z");
      expect(row.notice_id).toBe(first.ok && first.outboxId);
    }
    expect(
      await services.database.sql.query("select 1 from mail_outbox where request_id = $1", [requestId]),
    ).toHaveLength(1);
    expect(
      await services.database.sql.query(
        "select 1 from audit_events where request_id = $1 and action = 'request.answered'",
        [requestId],
      ),
    ).toHaveLength(1);
  });

  it("does not release an answer without an approved review", async () => {
    const [request] = await services.database.db
      .insert(requests)
      .values({
        status: "review",
        kinds: ["auskunft"],
        channel: "web",
        contactEmail: "x@example.org",
        reference: "DSR-2026-000001",
        receivedAt: new Date(),
      })
      .returning();
    expect(await releaseAnswer(services.database.db, handler, request!.id, services.config)).toEqual({
      ok: false,
      reason: "not-approved",
    });
  });

  it("unlocks downloads only with the fresh code", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    const sent = await sendDownloadCode(services.database.db, services.config.sessionSecret, {
      requestId,
      to: "erika@example.org",
      lang: "de",
      clientKey: null,
    });
    expect(sent.ok).toBe(true);
    const [mail] = await services.database.db
      .select({ text: mailOutbox.text })
      .from(mailOutbox)
      .where(eqId(sent));
    const code = /(\d{6})/.exec(mail!.text)![1]!;
    expect(
      await proveDownloadCode(
        services.database.db,
        services.config.sessionSecret,
        requestId,
        code === "000000" ? "111111" : "000000",
      ),
    ).toBe("wrong");
    expect(
      await proveDownloadCode(services.database.db, services.config.sessionSecret, requestId, code),
    ).toBe("ok");
  });

  it("sends the encrypted archive only for the password typed back, and records a wrong one without it", async () => {
    const { requestId, reference } = await approvedCase(["auskunft"]);
    await releaseAnswer(services.database.db, handler, requestId, services.config);
    // The session as the case page leaves it: address proven, downloads unlocked, a password made.
    const person = await getPerson(new Request(testBase), services.config);
    addProvenEmail(person, "erika@example.org");
    unlockDownloads(person, requestId);
    const password = archivePassword(
      services.config.sessionSecret,
      requestId,
      newArchiveNonce(person, requestId),
    );
    const cookie = (await commitPerson(person, services.config)).split(";")[0]!;
    const typeBack = (typed: string, datei = "auskunft.zip") =>
      vorgangAntwort.action({
        request: post(`/vorgang/${reference}/antwort/${datei}`, { password: typed }, cookie),
        params: { referenz: reference, datei },
        context: routeContext(services),
      } as never);

    const refusal = { status: 302, location: `/vorgang/${reference}?antwort=passwort#verschluesselt` };
    expect(await outcome(() => typeBack(password.replaceAll("-", "")))).toMatchObject(refusal);
    expect(await outcome(() => typeBack(`${password}x`))).toMatchObject(refusal);
    // The letter is never encrypted: there is nothing to post for it.
    expect((await outcome(() => typeBack(password, "brief.pdf"))).status).toBe(405);

    const right = await typeBack(` ${password} `);
    expect(right.status).toBe(200);
    expect(right.headers.get("Content-Disposition")).toBe(
      `attachment; filename="${reference}-auskunft-verschluesselt.zip"`,
    );
    const zipPath = path.join(dir, `${reference}-typed-back.zip`);
    writeFileSync(zipPath, Buffer.from(await right.arrayBuffer()));
    expect(execFileSync("7z", ["t", `-p${password}`, zipPath]).toString()).toContain("Everything is Ok");

    const events = await services.database.sql.query<{
      action: string;
      reason: string | null;
      data: Record<string, unknown>;
    }>(
      "select action, reason, data from audit_events where request_id = $1 and action like 'answer.download%' order by seq",
      [requestId],
    );
    expect(events.map((e) => [e.action, e.reason])).toEqual([
      ["answer.download-refused", "wrong-password"],
      ["answer.download-refused", "wrong-password"],
      ["answer.downloaded", null],
    ]);
    // What was typed is never kept.
    expect(JSON.stringify(events)).not.toContain(password.slice(0, 5));
  });
});

describe("the answer's archives built once at release and stored", () => {
  const db = () => services.database.db;
  const download = (requestId: string, file: "auskunft.zip" | "datenuebertragung.zip", password?: string) =>
    downloadAnswer(db(), {
      requestId,
      file,
      actor: { type: "person", id: null },
      // As the portal's routes pass them, and the build takes them from the same configuration.
      publicUrl: services.config.publicUrl,
      sources: services.config.sources,
      password,
    });
  async function bytes(requestId: string, file: "auskunft.zip" | "datenuebertragung.zip", password?: string) {
    const outcome = await download(requestId, file, password);
    if (!outcome.ok) throw new Error(`no ${file}: ${outcome.status}`);
    return bytesOf(outcome.body);
  }
  async function archiveRows(requestId: string) {
    return services.database.sql.query<{
      answer_id: string;
      kind: string;
      status: string;
      reason: string | null;
    }>(
      `select x.answer_id, a.kind, x.status, x.reason from answer_archives x join answers a on a.id = x.answer_id
        where a.request_id = $1 order by a.kind`,
      [requestId],
    );
  }
  async function chunkCount(answerIds: string[]) {
    const [row] = await services.database.sql.query<{ n: number }>(
      "select count(*)::int as n from answer_archive_chunks where answer_id::text = any($1)",
      [answerIds],
    );
    return Number(row!.n);
  }
  // Small pieces, so that the archive spans many and entries cross their borders.
  async function build(requestId: string) {
    return Promise.all(
      (await archiveRows(requestId)).map((row) =>
        buildAnswerArchive(services, row.answer_id, { chunkBytes: 4096 }),
      ),
    );
  }

  it("queues one build per archive with the release; the stored archives are byte-identical to the on-demand ones", async () => {
    const { requestId } = await approvedCase(["auskunft", "datenuebertragung"]);
    expect(
      (await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs)).ok,
    ).toBe(true);
    const rows = await archiveRows(requestId);
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ["access", "pending"],
      ["portability", "pending"],
    ]);
    // The jobs were committed with the release (pg-boss's own table; this test's services run no workers).
    const queued = await services.database.sql.query<{ answer_id: string }>(
      "select data->>'answerId' as answer_id from pgboss.job where name = 'answer-archive' and data->>'answerId' = any($1)",
      [rows.map((r) => r.answer_id)],
    );
    expect(queued.map((q) => q.answer_id).sort()).toEqual(rows.map((r) => r.answer_id).sort());

    // Not built yet: the download takes the on-demand way.
    const onDemand = {
      access: await bytes(requestId, "auskunft.zip"),
      portability: await bytes(requestId, "datenuebertragung.zip"),
    };
    expect(await build(requestId)).toEqual(["ready", "ready"]);
    expect(await chunkCount(rows.map((r) => r.answer_id))).toBeGreaterThan(4);
    const stored = await services.database.sql.query<{ kind: string; size: number; sha256: string }>(
      `select a.kind, x.size, x.sha256 from answer_archives x join answers a on a.id = x.answer_id
        where a.request_id = $1 order by a.kind`,
      [requestId],
    );
    // A finding changed after the build no longer matters: the stored archive holds what was reviewed
    // (checked when it was built), and it is what the download sends.
    await services.database.sql.query(
      `update findings set content = '{"changed":true}' where run_id in (select id from gather_runs where request_id = $1)`,
      [requestId],
    );
    const fromStore = {
      access: await bytes(requestId, "auskunft.zip"),
      portability: await bytes(requestId, "datenuebertragung.zip"),
    };
    expect(fromStore.access.equals(onDemand.access)).toBe(true);
    expect(fromStore.portability.equals(onDemand.portability)).toBe(true);
    for (const row of stored) {
      const sent = row.kind === "access" ? fromStore.access : fromStore.portability;
      expect(Number(row.size)).toBe(sent.length);
      expect(row.sha256).toBe(createHash("sha256").update(sent).digest("hex"));
    }
    const events = await services.database.sql.query<{ data: { file: string; encrypted: boolean } }>(
      "select data from audit_events where request_id = $1 and action = 'answer.downloaded' order by seq",
      [requestId],
    );
    expect(events.map((e) => [e.data.file, e.data.encrypted])).toEqual([
      ["auskunft.zip", false],
      ["datenuebertragung.zip", false],
      ["auskunft.zip", false],
      ["datenuebertragung.zip", false],
    ]);
  });

  it("encrypts the stored entries: 7z opens it with the password, gives the plain archive's files, refuses a wrong one", async () => {
    const { requestId, reference } = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs);
    expect(await build(requestId)).toEqual(["ready"]);
    const password = archivePassword(services.config.sessionSecret, requestId, "stored");
    const outcome = await download(requestId, "auskunft.zip", password);
    if (!outcome.ok) throw new Error("no archive");
    expect(outcome.fileName).toBe(`${reference}-auskunft-verschluesselt.zip`);
    const encrypted = path.join(dir, `${reference}-stored-encrypted.zip`);
    writeFileSync(encrypted, await bytesOf(outcome.body));
    const plain = path.join(dir, `${reference}-stored-plain.zip`);
    writeFileSync(plain, await bytes(requestId, "auskunft.zip"));
    const wrong = path.join(dir, `${reference}-wrong`);
    expect(() => execFileSync("7z", ["x", "-pfalsch", `-o${wrong}`, encrypted], { stdio: "pipe" })).toThrow();
    const opened = path.join(dir, `${reference}-opened`);
    expect(execFileSync("7z", ["x", `-p${password}`, `-o${opened}`, encrypted]).toString()).toContain(
      "Everything is Ok",
    );
    const unzipped = path.join(dir, `${reference}-unzipped`);
    execFileSync("unzip", ["-q", plain, "-d", unzipped]);
    expect(execFileSync("diff", ["-r", opened, unzipped]).toString()).toBe("");
    expect(execFileSync("ls", [opened]).toString()).toContain("index.html");
    const events = await services.database.sql.query<{ data: { encrypted: boolean } }>(
      "select data from audit_events where request_id = $1 and action = 'answer.downloaded' order by seq",
      [requestId],
    );
    expect(events.map((e) => e.data.encrypted)).toEqual([true, false]);
  });

  it("writes a build run again over the pieces an earlier one left (a crash), piece by piece", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs);
    expect(await build(requestId)).toEqual(["ready"]);
    const [row] = await archiveRows(requestId);
    const first = await bytes(requestId, "auskunft.zip");
    // As a build broken off and run again finds them: its row pending, its pieces there (one spoilt).
    const spoilt = await services.database.sql.query(
      "update answer_archive_chunks set bytes = '\\x00' where answer_id = $1 and seq = 1 returning seq",
      [row!.answer_id],
    );
    // The archive spans more than one piece, so a piece after the first is there to be spoilt.
    expect(spoilt).toHaveLength(1);
    await services.database.sql.query("update answer_archives set status = 'pending' where answer_id = $1", [
      row!.answer_id,
    ]);
    expect(await build(requestId)).toEqual(["ready"]);
    expect((await bytes(requestId, "auskunft.zip")).equals(first)).toBe(true);
  });

  it("fails the build of a finding changed after release: the download refuses it with 409, as on demand", async () => {
    const { requestId, findingIds } = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs);
    await services.database.sql.query(`update findings set content = '{"changed":true}' where id = $1`, [
      findingIds[2],
    ]);
    expect(await build(requestId)).toEqual(["failed"]);
    const [row] = await archiveRows(requestId);
    expect([row!.status, row!.reason]).toEqual(["failed", "changed-since-review"]);
    expect(await chunkCount([row!.answer_id])).toBe(0);
    expect(await download(requestId, "auskunft.zip")).toEqual({ ok: false, status: 409 });
    const refusals = await services.database.sql.query<{ reason: string }>(
      "select reason from audit_events where request_id = $1 and action = 'answer.download-refused'",
      [requestId],
    );
    expect(refusals.map((r) => r.reason)).toEqual(["changed-since-review"]);
  });

  it("deletes the stored pieces when the download period ends, and with the case", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs);
    await build(requestId);
    const [row] = await archiveRows(requestId);
    expect(await chunkCount([row!.answer_id])).toBeGreaterThan(0);
    expect(await deleteExpiredArchives(db())).toBe(0);
    expect(await chunkCount([row!.answer_id])).toBeGreaterThan(0);
    const later = new Date(Date.now() + (services.config.answerAvailableDays + 1) * 86_400_000);
    expect(await deleteExpiredArchives(db(), later)).toBeGreaterThanOrEqual(1);
    expect(await chunkCount([row!.answer_id])).toBe(0);
    expect((await archiveRows(requestId))[0]!.status).toBe("deleted");
    // A piece a build still running wrote after that goes at the next run.
    await services.database.sql.query(
      "insert into answer_archive_chunks (answer_id, seq, bytes) values ($1, 0, '\\x00')",
      [row!.answer_id],
    );
    expect(await deleteExpiredArchives(db(), later)).toBe(0);
    expect(await chunkCount([row!.answer_id])).toBe(0);
    // Staff may still download after the period: on demand.
    const staffDownload = await downloadAnswer(db(), {
      requestId,
      file: "auskunft.zip",
      actor: { type: "staff", id: handler.id },
    });
    expect(staffDownload.ok).toBe(true);
    if (staffDownload.ok) await bytesOf(staffDownload.body);

    const other = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, other.requestId, services.config, new Date(), services.jobs);
    await build(other.requestId);
    const [otherRow] = await archiveRows(other.requestId);
    expect(await chunkCount([otherRow!.answer_id])).toBeGreaterThan(0);
    await services.database.sql.query("delete from requests where id = $1", [other.requestId]);
    expect(await chunkCount([otherRow!.answer_id])).toBe(0);
  });

  it("breaks off a download whose stored pieces went while it was sent, never ends it short", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs);
    expect(await build(requestId)).toEqual(["ready"]);
    const [row] = await archiveRows(requestId);
    expect(await chunkCount([row!.answer_id])).toBeGreaterThan(2);
    // The archive's last pieces are gone (the upkeep deleted them while the download ran): a read
    // that finds fewer pieces than it asked for must not look like the archive's end.
    await services.database.sql.query("delete from answer_archive_chunks where answer_id = $1 and seq >= 2", [
      row!.answer_id,
    ]);
    const outcome = await download(requestId, "auskunft.zip");
    if (!outcome.ok) throw new Error("no archive");
    await expect(bytesOf(outcome.body)).rejects.toThrow();
  });

  it("reads the stored pieces a slice per query, the same bytes, and breaks off when a piece goes midway", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, requestId, services.config, new Date(), services.jobs);
    expect(await build(requestId)).toEqual(["ready"]);
    const [row] = await archiveRows(requestId);
    const stored = await readyArchiveOf(db(), row!.answer_id);
    // Slices of 1 000 bytes out of pieces of 4 KiB: a piece takes several reads, the last one short.
    const slices: Buffer[] = [];
    for await (const slice of storedChunks(db(), stored!, 1000)) slices.push(slice);
    expect(Math.max(...slices.map((s) => s.length))).toBe(1000);
    expect(slices.length).toBeGreaterThan(await chunkCount([row!.answer_id]));
    expect(Buffer.concat(slices).equals(await bytes(requestId, "auskunft.zip"))).toBe(true);
    // The pieces were listed when the download began; one deleted after that is missed at its read.
    const reading = storedChunks(db(), stored!, 1000);
    expect((await reading.next()).done).toBe(false);
    await services.database.sql.query("delete from answer_archive_chunks where answer_id = $1 and seq >= 1", [
      row!.answer_id,
    ]);
    await expect(
      (async () => {
        while (!(await reading.next()).done);
      })(),
    ).rejects.toThrow("piece 1 missing");
  });

  it("runs as registered jobs: the build per archive, and the upkeep on a schedule", () => {
    expect(jobDefinitions).toContain(answerArchiveJob);
    expect(jobDefinitions).toContain(answerArchiveUpkeepJob);
    expect(answerArchiveUpkeepJob.schedule).toBeTruthy();
  });

  it("builds what no job will build (released without one), and gives up on a build whose tries failed", async () => {
    const { requestId } = await approvedCase(["auskunft"]);
    // Released without the jobs: the row is pending and no job exists.
    await releaseAnswer(db(), handler, requestId, services.config);
    const [row] = await archiveRows(requestId);
    expect(row!.status).toBe("pending");
    await reconcileArchiveBuilds(services, { limit: 100 });
    expect((await archiveRows(requestId))[0]!.status).toBe("ready");

    const lost = await approvedCase(["auskunft"]);
    await releaseAnswer(db(), handler, lost.requestId, services.config, new Date(), services.jobs);
    const [lostRow] = await archiveRows(lost.requestId);
    // Its job waits: the backstop leaves it to the job.
    await reconcileArchiveBuilds(services, { limit: 100 });
    expect((await archiveRows(lost.requestId))[0]!.status).toBe("pending");
    // pg-boss gave up on it after its tries.
    await services.database.sql.query(
      "update pgboss.job set state = 'failed' where name = 'answer-archive' and data->>'answerId' = $1",
      [lostRow!.answer_id],
    );
    await reconcileArchiveBuilds(services, { limit: 100 });
    expect((await archiveRows(lost.requestId))[0]).toMatchObject({
      status: "failed",
      reason: "build-gave-up",
    });
  });
});

function eqId(sent: Awaited<ReturnType<typeof sendDownloadCode>>) {
  if (!sent.ok) throw new Error("no code");
  return eq(mailOutbox.id, sent.outboxId);
}
import { eq } from "drizzle-orm";
