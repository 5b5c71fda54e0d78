/**
 * Cases gathering at once from a mailbox on a mail server (a real Dovecot, tests/support/dovecot.ts)
 * through the real job queue (pg-boss, the portal's worker): their searches share passes over the
 * mailbox (ADR 0021) and each case gets exactly its own messages — none of the other's, though
 * their messages interleave batch by batch, one names both, one's body names the other, and a
 * third case's address is a prefix of one's. Each case keeps its own per-store result and audit.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inArray, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findings, gatherStoreJobs, requests } from "#db/schema";
import { verifyAuditChain } from "#app/server/audit.server";
import { startGather } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { receivedAccessRequest } from "../support/cases";
import { deliverAmongFillers, startDovecot, type TestDovecot } from "../support/dovecot";
import { createTestServices } from "../support/services";
import { until } from "../support/until";
import { b64, testMessage as message } from "../support/mail-messages";

const PASSWORD_ENV = "RP_TEST_IMAP_GATHER_PASSWORD";
const STORE = "mail-imap";
const dir = mkdtempSync(path.join(tmpdir(), "rp-gather-imap-"));
let dovecot: TestDovecot;
let services: Services;
let close: () => Promise<void>;

type Identifiers = AnswerKeyPerson["identifiers"];
const person = (email: string, name: string): Identifiers => ({
  emails: [email],
  names: [name],
  phones: [],
  userNames: [],
  postalAddresses: [],
  ips: [],
  birthDate: "",
});
const MAX = person("max.mustermann@example.org", "Max Mustermann");
const EVA = person("eva.schulz@example.net", "Eva Schulz");
/** His address is the beginning of Max's: Max's messages are offered to his search, and are not his. */
const STRANGER = person("max.muster@example.org", "Moritz Muster");

/** Whose each message is, by name: Max's and Eva's take turns, in both folders. */
const MESSAGES: readonly { name: string; folder: string; raw: Buffer; owners: Identifiers[] }[] = [
  {
    name: "maxEncoded",
    folder: "INBOX",
    raw: message(`From: =?UTF-8?B?${b64("max.mustermann@example.org")}?=\r\nTo: poststelle@amt.example`),
    owners: [MAX],
  },
  {
    name: "evaEncodedSplit",
    folder: "INBOX",
    raw: message(`From: =?UTF-8?B?${b64("eva.sch")}?=\r\n =?UTF-8?B?${b64("ulz@example.net")}?=`),
    owners: [EVA],
  },
  {
    name: "maxSent",
    folder: "Sent",
    raw: message("From: poststelle@amt.example\r\nTo: =?UTF-8?Q?max=2Emustermann=40example=2Eorg?="),
    owners: [MAX],
  },
  {
    name: "evaBodyNamesMax",
    folder: "INBOX",
    raw: message(
      "From: Eva Schulz <eva.schulz@example.net>",
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBitte an Max Mustermann, max.muster=\r\nmann=40example.org, weiterleiten.\r\n",
    ),
    owners: [EVA],
  },
  {
    name: "bothParties",
    folder: "Sent",
    raw: message("From: Max <max.mustermann@example.org>\r\nTo: eva.schulz@example.net"),
    owners: [MAX, EVA],
  },
  {
    name: "evaNameMaxAddress",
    folder: "INBOX",
    raw: message(`From: =?UTF-8?B?${b64("Eva Schulz")}?= <max.mustermann@example.org>`),
    owners: [MAX],
  },
  {
    name: "maxBounce",
    folder: "INBOX",
    raw: message(
      'From: MAILER-DAEMON@amt.example\r\nTo: poststelle@amt.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
      "\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; amt.example\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org\r\nAction: failed\r\n--b--\r\n",
    ),
    owners: [MAX],
  },
  {
    name: "evaCc",
    folder: "Sent",
    raw: message("From: poststelle@amt.example\r\nCc: Eva Schulz <EVA.SCHULZ@example.net>"),
    owners: [EVA],
  },
  { name: "strangersOwn", folder: "INBOX", raw: message("From: max.muster@example.org"), owners: [STRANGER] },
];
const FILLER = 600;
/** Reference on the server → the fixture's message. */
let onServer: Map<string, (typeof MESSAGES)[number]>;

beforeAll(async () => {
  dovecot = await startDovecot({ password: "gather-imap-secret" });
  process.env[PASSWORD_ENV] = dovecot.password;
  onServer = await deliverAmongFillers(dovecot, MESSAGES, { fillers: FILLER, every: 61 });
  const config = path.join(dir, "sources.json");
  writeFileSync(
    config,
    JSON.stringify({
      stores: [
        {
          id: STORE,
          title: "Postfach Poststelle (IMAP)",
          kind: "imap-mailbox",
          host: dovecot.host,
          port: dovecot.port,
          tls: "none",
          user: dovecot.user,
          passwordEnv: PASSWORD_ENV,
        },
      ],
    }),
  );
  ({ services, close } = await createTestServices({
    SOURCES_CONFIG: config,
    SOURCES_DIR: dir,
    RUN_WORKERS: "true",
  }));
}, 180_000);

afterAll(async () => {
  await close?.();
  await dovecot?.stop();
  delete process.env[PASSWORD_ENV];
  rmSync(dir, { recursive: true, force: true });
});

const caseFor = (identifiers: Identifiers) => receivedAccessRequest(services.database.db, identifiers);

async function foundNames(runId: string): Promise<string[]> {
  const rows = await services.database.db
    .select({ store: findings.store, ref: findings.ref })
    .from(findings)
    .where(eq(findings.runId, runId));
  return rows.map((r) => `${r.store} ${onServer.get(r.ref)?.name ?? r.ref}`).sort();
}

const expected = (who: Identifiers) =>
  MESSAGES.filter((m) => m.owners.includes(who))
    .map((m) => `${STORE} ${m.name}`)
    .sort();

it("cases gathering at once from one IMAP mailbox each get exactly their own messages, none of the others'", async () => {
  const people = [MAX, EVA, STRANGER];
  // Twice: the second time the connector's connection is open already and the jobs start closer together.
  for (let round = 0; round < 2; round++) {
    const cases = await Promise.all(people.map(caseFor));
    const runIds = await Promise.all(cases.map((id) => startGather(services, id, null)));
    await until(
      "every case's mailbox search finished",
      async () => {
        const jobs = await services.database.db
          .select({ status: gatherStoreJobs.status })
          .from(gatherStoreJobs)
          .where(inArray(gatherStoreJobs.runId, runIds));
        return (
          jobs.length === runIds.length && jobs.every((j) => j.status === "done" || j.status === "failed")
        );
      },
      { ms: 90_000, everyMs: 100 },
    );
    const jobs = await services.database.db
      .select()
      .from(gatherStoreJobs)
      .where(inArray(gatherStoreJobs.runId, runIds));
    expect(jobs.map((j) => [j.status, j.error, j.partial, j.problems])).toEqual(
      jobs.map(() => ["done", null, false, []]),
    );
    for (const [i, who] of people.entries()) {
      expect(await foundNames(runIds[i]!)).toEqual(expected(who));
      const job = jobs.find((j) => j.runId === runIds[i])!;
      expect(job.findings).toBe(expected(who).length);
      expect(job.progressScanned).toBe(FILLER + MESSAGES.length);
    }
    for (const requestId of cases) {
      const [request] = await services.database.db.select().from(requests).where(eq(requests.id, requestId));
      expect(request?.status).toBe("review");
      const actions = await services.database.sql.query<{ action: string }>(
        "select action from audit_events where request_id = $1 order by seq",
        [requestId],
      );
      expect(actions.map((e) => e.action)).toEqual(["gather.started", "gather.store-done"]);
    }
  }
  expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });
  // What the server counted for the portal's one session: header blocks fetched for 2 × 3 searches.
  // The fixture's own sessions (the deliveries) logged out before; the portal's line is the one
  // the server writes after the close, which it may write a moment after answering the logout.
  const loggedOut = async () => (await dovecot.log()).split("\n").filter((l) => l.includes("Logged out"));
  const before = (await loggedOut()).length;
  await services.sources.connectors.get(STORE)!.close?.();
  await expect.poll(async () => (await loggedOut()).length, { timeout: 5000 }).toBe(before + 1);
  const line = (await loggedOut()).at(-1)!;
  const headers = Number(/hdr_count=(\d+)/.exec(line)?.[1]);
  console.log(`IMAP session: ${headers} header blocks, ${/body_count=(\d+)/.exec(line)?.[1]} whole messages`);
  // Each round's three searches shared passes: fewer header blocks than three fetches of the
  // mailbox a round (on a quiet machine exactly one: 2 × 609; a job that starts after the first
  // batch was read joins from the next one and has the ones it missed read again).
  expect(headers).toBeGreaterThanOrEqual(2 * (FILLER + MESSAGES.length));
  expect(headers).toBeLessThan(2 * 3 * (FILLER + MESSAGES.length));
}, 180_000);
