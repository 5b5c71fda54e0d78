/**
 * One pass over an IMAP mailbox serves every search running at the same time (ADR 0021), against a
 * real Dovecot (tests/support/dovecot.ts): the header blocks are fetched once for all of them and a
 * message matching two searches is fetched whole once — counted by the server itself (its logout
 * line's hdr_count and body_count) — and each search gets exactly what it gets alone: the same
 * findings, the same report. The mailbox holds two people's messages interleaved over two folders
 * and several batches, a message naming both, one whose quoted-printable body names the other, a
 * delivery report, and strangers whose addresses are prefixes or variants of theirs (the messages
 * are offered to them by the search before parsing, and their own rules refuse them).
 */
import type { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Finding, ScanReport, Subject } from "#app/sources/connector";
import { ImapConnector } from "#app/sources/connectors/imap.server";
import { type Result, search, settled, subjectOf } from "./search-results";
import { deliverAmongFillers, startDovecot, type TestDovecot } from "../support/dovecot";
import { b64, testMessage as message } from "../support/mail-messages";

/** Whole messages parsed (mailparser's simpleParser, counted and passed through unchanged). */
const parsed = vi.hoisted(() => ({ count: 0 }));
vi.mock("mailparser", async (importOriginal) => {
  const actual = await importOriginal<typeof import("mailparser")>();
  return {
    ...actual,
    simpleParser: ((...args: Parameters<typeof actual.simpleParser>) => {
      parsed.count++;
      return actual.simpleParser(...args);
    }) as typeof actual.simpleParser,
  };
});

const PASSWORD_ENV = "RP_TEST_IMAP_SHARED_PASSWORD";
let dovecot: TestDovecot;
let admin: ImapFlow;
/** Reference on the server → the fixture's name. */
const names = new Map<string, string>();

const max = subjectOf({
  emails: [{ value: "max.mustermann@example.org", proven: true }],
  names: [{ value: "Max Mustermann" }],
  phones: [{ value: "0361 9876543", proven: true }],
});
const eva = subjectOf({
  emails: [{ value: "eva.schulz@example.net", proven: true }],
  names: [{ value: "Eva Schulz" }],
});
/** Their local parts are prefixes of Max's and Eva's: Max's and Eva's messages are offered to them, and are not theirs. */
const maxPrefix = subjectOf({ emails: [{ value: "max.muster@example.org", proven: true }] });
const evaPrefix = subjectOf({ emails: [{ value: "eva.schul@example.net", proven: true }] });
/** Max's local part at another domain: a variant whose key is Max's. */
const maxElsewhere = subjectOf({ emails: [{ value: "max.mustermann@example.com", proven: true }] });
const SUBJECTS = [max, eva, maxPrefix, evaPrefix, maxElsewhere];

/** Max's and Eva's messages, taking turns, spread over INBOX and Sent. */
const MESSAGES: readonly { name: string; folder: string; raw: Buffer }[] = [
  {
    name: "maxEncodedB",
    folder: "INBOX",
    raw: message(`From: =?UTF-8?B?${b64("max.mustermann@example.org")}?=\r\nTo: poststelle@amt.example`),
  },
  {
    name: "evaEncodedSplit",
    folder: "INBOX",
    raw: message(`From: =?UTF-8?B?${b64("eva.sch")}?=\r\n =?UTF-8?B?${b64("ulz@example.net")}?=`),
  },
  {
    name: "maxEncodedQ",
    folder: "Sent",
    raw: message(
      "From: =?UTF-8?Q?M=C3=BCller?= <poststelle@amt.example>\r\nTo: =?UTF-8?Q?max=2Emustermann=40example=2Eorg?=",
    ),
  },
  {
    // Eva writes; the body, quoted-printable, names Max: Eva's message alone.
    name: "evaBodyNamesMax",
    folder: "INBOX",
    raw: message(
      "From: Eva Schulz <eva.schulz@example.net>",
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBitte an Max Mustermann, max.muster=\r\nmann=40example.org, weiterleiten. Gr=C3=BC=C3=9Fe\r\n",
    ),
  },
  {
    // Eva's display name at Max's address is Max's message, not Eva's (a name alone never matches).
    name: "evaNameMaxAddress",
    folder: "INBOX",
    raw: message(`From: =?UTF-8?B?${b64("Eva Schulz")}?= <max.mustermann@example.org>`),
  },
  {
    name: "bothParties",
    folder: "Sent",
    raw: message(
      "From: Max <max.mustermann@example.org>\r\nTo: eva.schulz@example.net, poststelle@amt.example",
    ),
  },
  {
    name: "maxBounce",
    folder: "INBOX",
    raw: message(
      'From: MAILER-DAEMON@amt.example\r\nTo: poststelle@amt.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
      "\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; amt.example\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org\r\nAction: failed\r\n--b--\r\n",
    ),
  },
  {
    name: "evaCc",
    folder: "Sent",
    raw: message("From: poststelle@amt.example\r\nCc: Eva Schulz <EVA.SCHULZ@example.net>"),
  },
  {
    name: "maxFax",
    folder: "INBOX",
    raw: message("X-Fax-Sender: +49 (0)361 98-76543\r\nFrom: fax@amt.example"),
  },
  { name: "prefixOwn", folder: "INBOX", raw: message("From: max.muster@example.org") },
];

const EXPECTED = {
  max: ["bothParties", "evaNameMaxAddress", "maxBounce", "maxEncodedB", "maxEncodedQ", "maxFax"],
  eva: ["bothParties", "evaBodyNamesMax", "evaCc", "evaEncodedSplit"],
};

/** Messages nobody searched for, between the subjects' ones: each folder is several batches of a pass. */
const FILLER = 360;

function connector(folders?: string[]): ImapConnector {
  return new ImapConnector("mail", {
    host: dovecot.host,
    port: dovecot.port,
    tls: "none",
    user: dovecot.user,
    passwordEnv: PASSWORD_ENV,
    ...(folders ? { folders } : {}),
  });
}

const namesOf = (result: Result) => result.findings.map((f) => names.get(f.ref) ?? f.ref).sort();

/** The server's count of what one session fetched, from its logout line (Dovecot's imap_logout_format). */
interface SessionCounts {
  headers: number;
  bodies: number;
}

async function logoutLines(): Promise<string[]> {
  return (await dovecot.log()).split("\n").filter((line) => line.includes("Logged out"));
}

/** Runs `work` on a connector of its own and returns what the server counts for its one session. */
async function countedSession(work: (c: ImapConnector) => Promise<void>): Promise<SessionCounts> {
  // Sessions closed before may still be on their way into the log: wait until it is quiet.
  let before = (await logoutLines()).length;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = (await logoutLines()).length;
    if (now === before) break;
    before = now;
  }
  const c = connector();
  try {
    await work(c);
  } finally {
    await c.close();
  }
  await expect.poll(async () => (await logoutLines()).length, { timeout: 5000 }).toBe(before + 1);
  const line = (await logoutLines())[before]!;
  const count = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(line)?.[1] ?? Number.NaN);
  return { headers: count("hdr_count"), bodies: count("body_count") };
}

let lone: Result[];

beforeAll(async () => {
  dovecot = await startDovecot({ password: "shared-pass-secret" });
  process.env[PASSWORD_ENV] = dovecot.password;
  admin = await dovecot.connectAsOwner();
  // The subjects' messages lie between fillers, 31 apart, so that they fall into different batches.
  for (const [ref, m] of await deliverAmongFillers(dovecot, MESSAGES, { fillers: FILLER, every: 31 }))
    names.set(ref, m.name);
  const c = connector();
  try {
    lone = [];
    for (const subject of SUBJECTS) lone.push(await search(c, subject));
  } finally {
    await c.close();
  }
}, 120_000);

afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await dovecot?.stop();
  delete process.env[PASSWORD_ENV];
});

describe("IMAP mailbox: one pass for every search", () => {
  it("alone, each search finds what the fixtures say (so the comparisons below compare something)", () => {
    expect(namesOf(lone[0]!)).toEqual(EXPECTED.max);
    expect(namesOf(lone[1]!)).toEqual(EXPECTED.eva);
    expect(namesOf(lone[2]!)).toEqual(["prefixOwn"]);
    expect(namesOf(lone[3]!)).toEqual([]);
    expect(namesOf(lone[4]!)).toEqual([]);
    for (const result of lone) {
      expect(result.report.scanned).toBe(FILLER + MESSAGES.length);
      expect(result.report.total).toBe(FILLER + MESSAGES.length);
      expect(result.report.problems).toEqual([]);
    }
  });

  it("two people gathering at once share one fetch of the mailbox; neither gets a record of the other's", async () => {
    let together: Result[] = [];
    let parsedTogether = 0;
    const shared = await countedSession(async (c) => {
      const before = parsed.count;
      together = await Promise.all([search(c, max), search(c, eva)]);
      parsedTogether = parsed.count - before;
    });
    expect(together).toEqual([lone[0], lone[1]]);
    const maxRefs = new Set(together[0]!.findings.map((f) => f.ref));
    const evaOnly = together[1]!.findings.filter((f) => !maxRefs.has(f.ref)).map((f) => names.get(f.ref));
    expect(evaOnly.sort()).toEqual(["evaBodyNamesMax", "evaCc", "evaEncodedSplit"]);
    // The same two searches one after the other, for the server's counts to compare with.
    let parsedApart = 0;
    const apart = await countedSession(async (c) => {
      const before = parsed.count;
      await search(c, max);
      await search(c, eva);
      parsedApart = parsed.count - before;
    });
    // Every header block fetched once, not once per search. Whole, each message that is a match or
    // a delivery report for either: Max's six and Eva's four, "bothParties" among both, the delivery
    // report (read for every search, as its recipients are in its body) among Max's — nine once,
    // against eleven when each searched alone.
    expect(shared).toEqual({ headers: FILLER + MESSAGES.length, bodies: 9 });
    expect(apart).toEqual({ headers: 2 * (FILLER + MESSAGES.length), bodies: 11 });
    // Parsed whole: each found message once — "bothParties" once for both, and the delivery report
    // once for both (it is parsed to read its recipients as a mail client decodes them). Apart, Eva's
    // search parses the delivery report too, to find it is not hers.
    expect(parsedTogether).toBe(EXPECTED.max.length + EXPECTED.eva.length - 1);
    expect(parsedApart).toBe(EXPECTED.max.length + EXPECTED.eva.length + 1);
  });

  it("searches started together each get exactly what they get alone", async () => {
    const c = connector();
    try {
      expect(await Promise.all(SUBJECTS.map((s) => search(c, s)))).toEqual(lone);
    } finally {
      await c.close();
    }
  });

  it("searches that join a pass under way get exactly what they get alone", async () => {
    const c = connector();
    try {
      const first = c.find(max)[Symbol.asyncIterator]();
      const findings: Finding[] = [];
      // Max's first finding is out: the pass is under way when the others start.
      const head = await first.next();
      expect(head.done).toBe(false);
      findings.push(head.value as Finding);
      const others = Promise.all([eva, maxPrefix, evaPrefix, maxElsewhere].map((s) => search(c, s)));
      for (let next = await first.next(); !next.done; next = await first.next()) findings.push(next.value);
      expect(settled(findings, lone[0]!.report).findings).toEqual(lone[0]!.findings);
      expect(await others).toEqual(lone.slice(1));
    } finally {
      await c.close();
    }
  });

  it("a search that leaves early, or is aborted, stops no other search", async () => {
    const c = connector();
    try {
      const leaving = (async () => {
        for await (const finding of c.find(max)) return finding.ref;
        return null;
      })();
      const controller = new AbortController();
      const aborted = (async () => {
        for await (const _ of c.find(eva, { signal: controller.signal }))
          controller.abort(new Error("enough"));
      })().then(
        () => null,
        (error: unknown) => error,
      );
      const staying = Promise.all([max, eva, maxPrefix].map((s) => search(c, s)));
      expect(names.has((await leaving)!)).toBe(true);
      expect(((await aborted) as Error | null)?.message).toBe("enough");
      expect(await staying).toEqual([lone[0], lone[1], lone[2]]);
    } finally {
      await c.close();
    }
  });

  it("searches starting at scattered moments, some aborted, each get exactly what they get alone", async () => {
    const c = connector();
    let seed = 17;
    const random = (below: number) => ((seed = (seed * 48271) % 2147483647), seed % below);
    try {
      for (let round = 0; round < 3; round++) {
        const runs = Array.from({ length: 10 }, async (_, i) => {
          const which = random(SUBJECTS.length);
          await new Promise((resolve) => setTimeout(resolve, random(60)));
          if (i % 4 === 3) {
            const controller = new AbortController();
            setTimeout(() => controller.abort(new Error("stop")), random(30));
            await search(c, SUBJECTS[which]!, controller.signal).catch(() => null);
            return null;
          }
          return { which, got: await search(c, SUBJECTS[which]!) };
        });
        for (const run of await Promise.all(runs)) if (run) expect(run.got).toEqual(lone[run.which]);
      }
    } finally {
      await c.close();
    }
  }, 60_000);
});

describe("IMAP mailbox: a folder renumbered during a shared pass", () => {
  it("every search taking part is told once that the rest of the folder was not searched, and keeps its own findings", async () => {
    // A folder of its own, searched after INBOX and Sent (the configured order; the server lists
    // folders in no order of ours), of two batches; Max's message in its second.
    await admin.mailboxCreate("Zarchiv");
    await dovecot.deliver("Zarchiv", [
      ...Array.from({ length: 150 }, (_, i) => message(`From: archiv${i}@example.de`)),
      message("From: max.mustermann@example.org"),
    ]);
    const c = connector(["INBOX", "Sent", "Zarchiv"]);
    try {
      let renumbering: Promise<unknown> | null = null;
      // As soon as the pass has read one message, the server renumbers the folder (deleted and
      // created again: a new UIDVALIDITY) before the pass reaches it. Meanwhile the connector's own
      // connection is held, as a change on the same connector (erase, hold) holds it between two
      // batches of a pass, so that the pass's next batch waits for the renumbering, however loaded
      // the machine (a private method of the connector; nothing of it is replaced).
      const own = await (c as unknown as { client(): Promise<ImapFlow> }).client();
      const onProgress = () =>
        (renumbering ??= (async () => {
          const lock = await own.getMailboxLock("INBOX", { readOnly: true });
          try {
            await admin.mailboxDelete("Zarchiv");
            await admin.mailboxCreate("Zarchiv");
            await admin.append("Zarchiv", message("From: eva.schulz@example.net"), ["\\Seen"]);
          } finally {
            lock.release();
          }
        })());
      const run = async (subject: Subject, watch: boolean) => {
        const findings: Finding[] = [];
        let report: ScanReport | null = null;
        for await (const f of c.find(subject, {
          onReport: (r) => (report = r),
          ...(watch ? { onProgress } : {}),
        }))
          findings.push(f);
        return settled(findings, report!);
      };
      const [forMax, forEva] = await Promise.all([run(max, true), run(eva, false)]);
      await renumbering;
      const renumbered = {
        where: "Zarchiv",
        reason:
          "the server renumbered the folder during the search (UIDVALIDITY changed); the rest of it was not searched",
        unsearched: true,
      };
      expect(forMax.report.problems).toEqual([renumbered]);
      expect(forEva.report.problems).toEqual([renumbered]);
      // What was read before is each one's own, as alone; nothing of the renumbered folder.
      expect(forMax.findings).toEqual(lone[0]!.findings);
      expect(forEva.findings).toEqual(lone[1]!.findings);
    } finally {
      await c.close();
      await admin.mailboxDelete("Zarchiv").catch(() => undefined);
    }
  });
});

describe("IMAP mailbox: the server going away during a shared pass", () => {
  let server: TestDovecot;

  beforeAll(async () => {
    server = await startDovecot({ password: "going-away-secret" });
    await server.deliver("INBOX", [
      ...Array.from({ length: 250 }, (_, i) => message(`From: buerger${i}@example.de`)),
      message("From: max.mustermann@example.org"),
    ]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("every message is either searched or reported to each search as not searched; nothing is called absent unread", async () => {
    process.env.RP_TEST_IMAP_GOING_AWAY = server.password;
    const c = new ImapConnector("mail", {
      host: server.host,
      port: server.port,
      tls: "none",
      user: server.user,
      passwordEnv: "RP_TEST_IMAP_GOING_AWAY",
    });
    try {
      let stopping: Promise<void> | null = null;
      // The server stops after the pass read its first message; the connection is held meanwhile
      // (as in the renumbering test) so that the pass's next batch comes after the stop.
      const own = await (c as unknown as { client(): Promise<ImapFlow> }).client();
      const onProgress = () =>
        void (stopping ??= (async () => {
          const lock = await own.getMailboxLock("INBOX", { readOnly: true });
          try {
            await server.stop();
          } finally {
            lock.release();
          }
        })());
      const run = async (subject: Subject, watch: boolean) => {
        const findings: Finding[] = [];
        let report: ScanReport | null = null;
        try {
          for await (const f of c.find(subject, {
            onReport: (r) => (report = r),
            ...(watch ? { onProgress } : {}),
          }))
            findings.push(f);
        } catch (error) {
          return { error, findings, report };
        }
        return { error: null, findings, report: report as ScanReport | null };
      };
      const results = await Promise.all([run(max, true), run(eva, false)]);
      await stopping;
      for (const { error, findings, report } of results) {
        // Max's one message is in the last batch, which the server never served.
        expect(findings).toEqual([]);
        // The search ends (the store is not failed): what it read is searched, the rest reported.
        expect(error).toBeNull();
        const unsearched = report!.problems
          .filter((p) => p.unsearched)
          .reduce((sum, p) => sum + Number(/^(\d+) message\(s\)/.exec(p.reason)?.[1] ?? Number.NaN), 0);
        expect(report!.problems.every((p) => p.unsearched)).toBe(true);
        expect(report!.scanned + unsearched).toBe(251);
        expect(report!.scanned).toBe(100);
        expect(report!.problems.map((p) => p.reason.replace(/ \(.*$/, ""))).toEqual([
          "100 message(s) with UID 101 to 200 cannot be read",
          "51 message(s) with UID 201 to 251 cannot be read",
        ]);
      }
    } finally {
      await c.close();
      delete process.env.RP_TEST_IMAP_GOING_AWAY;
    }
  });
});
