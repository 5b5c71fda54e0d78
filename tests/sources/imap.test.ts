/**
 * The IMAP connector against a real Dovecot started for these tests (tests/support/dovecot.ts):
 * find returns exactly the subject's messages (Bcc of a sent copy, the end of a very long Cc
 * header, IDN and `mailto:` spellings) and nobody else's; erase removes exactly them and a second
 * look confirms it; a hold keeps a message; a renumbered folder makes old references not found;
 * check reports a wrong password, a missing password variable and a server that is down, without
 * throwing; close ends the session.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { ImapFlow as ImapFlowType } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSourcesConfig } from "#app/sources/config";
import type { Finding, Subject } from "#app/sources/connector";
import { ImapConnector, imapRef, LEGAL_HOLD_KEYWORD } from "#app/sources/connectors/imap.server";
import { createRegistry } from "#app/sources/registry.server";
import { subjectFromKey } from "#app/sources/sample/answer-key";
import { readAnswerKey } from "#app/sources/sample/answer-key.server";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { encodeWords } from "#app/sources/sample/mime";
import { startDovecot, type TestDovecot } from "../support/dovecot";
import { cachedSample } from "../support/sample-cache";

const PASSWORD_ENV = "RP_TEST_IMAP_PASSWORD";

const JOERG: Subject = {
  emails: [{ value: "joerg@müller-bau.example", proven: true }],
  names: [{ value: "Jörg Müller", proven: true }],
  phones: [],
  userNames: [],
  ips: [],
  postalAddresses: [],
  birthDate: "1980-01-01",
};

const ANNA: Subject = {
  ...JOERG,
  emails: [{ value: "anna.mueller@example.net", proven: true }],
  names: [{ value: "Anna Müller", proven: true }],
  birthDate: "1982-06-15",
};

function message(
  headers: Record<string, string>,
  body = "Sehr geehrte Damen und Herren,\r\n\r\nmit freundlichen Grüßen\r\n",
): string {
  const lines = Object.entries({
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** A Cc header of `count` strangers, folded as mail clients fold it, with `last` at its very end. */
function longCc(count: number, last: string): string {
  const strangers = Array.from({ length: count }, (_, i) => `"Person ${i}" <person.${i}@verteiler.example>`);
  return [...strangers, last].join(",\r\n ");
}

const date = (iso: string) => new Date(iso).toUTCString().replace("GMT", "+0000");

interface Fixture {
  [name: string]: { folder: string; raw: string; internalDate?: Date };
}

/** Whose the messages are is fixed here, by name: the test compares the connector's answer with it. */
const MESSAGES: Fixture = {
  fromJoerg: {
    folder: "INBOX",
    raw: message({
      From: `${encodeWords("Dr. Jörg Müller")} <joerg@müller-bau.example>`,
      To: "Poststelle TLRZ <poststelle@tlrz.example>",
      Subject: encodeWords("Anhörung"),
      Date: date("2025-10-01T08:00:00Z"),
      "Message-ID": "<from-joerg@test>",
    }),
  },
  bccSentCopy: {
    folder: "Sent",
    raw: message({
      From: "Poststelle TLRZ <poststelle@tlrz.example>",
      To: "Anna Müller <anna.mueller@example.net>",
      Bcc: "joerg@müller-bau.example",
      Subject: "Ihre Anfrage",
      Date: date("2025-10-02T08:00:00Z"),
      "Message-ID": "<bcc-joerg@test>",
    }),
  },
  endOfLongCc: {
    folder: "INBOX",
    raw: message({
      From: "Verteiler <verteiler@tlrz.example>",
      To: "Poststelle TLRZ <poststelle@tlrz.example>",
      Cc: longCc(1800, `${encodeWords("Jörg Müller")} <joerg@müller-bau.example>`),
      Subject: "Rundschreiben",
      Date: date("2025-10-03T08:00:00Z"),
      "Message-ID": "<long-cc@test>",
    }),
  },
  resentByJoerg: {
    folder: "INBOX",
    raw: message({
      "Resent-From": "joerg@müller-bau.example",
      "Resent-Date": date("2025-10-04T09:00:00Z"),
      From: "Bauamt <bauamt@stadt.example>",
      To: "joerg@müller-bau.example",
      "Delivered-To": "poststelle@tlrz.example",
      Subject: "Fwd: Bescheid",
      Date: date("2025-10-04T08:00:00Z"),
      "Message-ID": "<resent@test>",
    }),
  },
  fromAnna: {
    folder: "INBOX",
    raw: message({
      From: "Anna Müller <anna.mueller@example.net>",
      To: "Poststelle TLRZ <poststelle@tlrz.example>",
      Subject: "Antrag",
      Date: date("2025-10-05T08:00:00Z"),
      "Message-ID": "<from-anna@test>",
    }),
  },
  fromNamesake: {
    folder: "INBOX",
    raw: message({
      From: `${encodeWords("Jörg Müller")} <j.mueller75@example.com>`,
      To: "Poststelle TLRZ <poststelle@tlrz.example>",
      Subject: "Meldebescheinigung",
      Date: date("2025-10-06T08:00:00Z"),
      "Message-ID": "<namesake@test>",
    }),
  },
  oldSpam: {
    folder: "INBOX",
    raw: message({
      From: "Gewinnspiel <info@spam.example>",
      To: "poststelle@tlrz.example",
      Subject: "Gewinn",
      Date: date("2025-01-01T08:00:00Z"),
      "Message-ID": "<spam@test>",
    }),
    internalDate: new Date("2025-01-01T08:00:00Z"),
  },
};

const IDN_MESSAGES: Fixture = {
  punycodeInMessage: {
    folder: "INBOX",
    raw: message({
      From: `${encodeWords("Dr. Jörg Peter Müller")} <joerg@xn--mller-bau-q9a.example>`,
      To: "poststelle@tlrz.example",
      Subject: "IDN",
      Date: date("2025-10-07T08:00:00Z"),
      "Message-ID": "<idn@test>",
    }),
  },
  mailtoInMessage: {
    folder: "INBOX",
    raw: message({
      From: "Poststelle TLRZ <poststelle@tlrz.example>",
      To: "<mailto:joerg@müller-bau.example>",
      Subject: "mailto",
      Date: date("2025-10-08T08:00:00Z"),
      "Message-ID": "<mailto@test>",
    }),
  },
};

let dovecot: TestDovecot;
let admin: ImapFlowType;
const refs = new Map<string, string>();

function connector(overrides: Partial<ConstructorParameters<typeof ImapConnector>[1]> = {}): ImapConnector {
  return new ImapConnector("mail-server", {
    host: dovecot.host,
    port: dovecot.port,
    tls: "none",
    user: dovecot.user,
    passwordEnv: PASSWORD_ENV,
    ...overrides,
  });
}

async function append(fixture: Fixture): Promise<void> {
  for (const [name, m] of Object.entries(fixture)) {
    const appended = await admin.append(
      m.folder,
      m.raw,
      ["\\Seen"],
      m.internalDate ?? new Date("2025-11-01T08:00:00Z"),
    );
    if (!appended || appended.uid === undefined || appended.uidValidity === undefined)
      throw new Error(`append of ${name} gave no UID`);
    refs.set(name, imapRef(m.folder, appended.uidValidity, appended.uid));
  }
}

async function findAll(c: ImapConnector, subject: Subject): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of c.find(subject)) out.push(f);
  return out;
}

const refsOf = (...names: string[]) => names.map((n) => refs.get(n)!).sort();
const JOERGS = [
  "fromJoerg",
  "bccSentCopy",
  "endOfLongCc",
  "resentByJoerg",
  "punycodeInMessage",
  "mailtoInMessage",
];

/** Messages in a folder as the server counts them now (the admin session leaves it first). */
async function count(folder: string): Promise<number> {
  await admin.mailboxClose().catch(() => undefined);
  const status = await admin.status(folder, { messages: true });
  return status ? (status.messages ?? -1) : -1;
}

beforeAll(async () => {
  dovecot = await startDovecot();
  process.env[PASSWORD_ENV] = dovecot.password;
  admin = await dovecot.connectAsOwner();
  await append(MESSAGES);
  await append(IDN_MESSAGES);
}, 60_000);

afterAll(async () => {
  await admin?.logout().catch(() => undefined);
  await dovecot?.stop();
  delete process.env[PASSWORD_ENV];
});

describe("IMAP connector against Dovecot", () => {
  it("is configured as a store of kind imap-mailbox, the password only named", () => {
    const config = parseSourcesConfig({
      stores: [
        {
          id: "mail-server",
          title: "Postfach",
          kind: "imap-mailbox",
          host: "127.0.0.1",
          port: dovecot.port,
          tls: "none",
          user: "poststelle",
          passwordEnv: PASSWORD_ENV,
        },
        {
          id: "clear-remote",
          title: "X",
          kind: "imap-mailbox",
          host: "mail.example",
          tls: "none",
          user: "x",
          passwordEnv: "X",
        },
        {
          id: "literal-password",
          title: "X",
          kind: "imap-mailbox",
          host: "mail.example",
          tls: "implicit",
          user: "x",
          passwordEnv: "geheim 123",
        },
      ],
    });
    expect(config.stores.map((s) => s.id)).toEqual(["mail-server"]);
    expect(config.errors.map((e) => e.id)).toEqual(["clear-remote", "literal-password"]);
    const registry = createRegistry(config, { dataDir: "/nonexistent" });
    expect(registry.connectors.get("mail-server")).toBeInstanceOf(ImapConnector);
  });

  it("finds exactly the subject's messages: Bcc of a sent copy, the end of a long Cc, a forward; not his wife's nor his namesake's", async () => {
    const c = connector();
    try {
      const found = await findAll(c, JOERG);
      expect(found.map((f) => f.ref).sort()).toEqual(refsOf(...JOERGS));
      const byRef = new Map(found.map((f) => [f.ref, f]));
      expect(byRef.get(refs.get("bccSentCopy")!)!.role).toBe("cc");
      expect(byRef.get(refs.get("fromJoerg")!)!.role).toBe("sender");
      expect(byRef.get(refs.get("fromJoerg")!)!.content.from).toBe(
        "Dr. Jörg Müller <joerg@müller-bau.example>",
      );
      expect(byRef.get(refs.get("endOfLongCc")!)!.flags).toContain("third-party-data");
      for (const f of found) {
        expect(f.storeKind).toBe("maildir");
        expect(f.unproven).toBe(false);
      }
      const anna = await findAll(c, ANNA);
      expect(anna.map((f) => f.ref).sort()).toEqual(refsOf("bccSentCopy", "fromAnna"));
    } finally {
      await c.close();
    }
  });

  it("searches only the configured folders", async () => {
    const c = connector({ folders: ["Sent"] });
    try {
      expect((await findAll(c, JOERG)).map((f) => f.ref)).toEqual(refsOf("bccSentCopy"));
    } finally {
      await c.close();
    }
  });

  it("reads headers without marking anything as read", async () => {
    const c = connector();
    await findAll(c, JOERG);
    await c.close();
    await admin.mailboxOpen("INBOX");
    await admin.messageFlagsRemove("1:*", ["\\Seen"]);
    const c2 = connector();
    await findAll(c2, JOERG);
    await c2.close();
    await admin.mailboxOpen("INBOX");
    const seen: number[] = [];
    for await (const m of admin.fetch("1:*", { uid: true, flags: true }))
      if (m.flags?.has("\\Seen")) seen.push(m.uid);
    expect(seen).toEqual([]);
  });

  it("matches a punycode domain in the message and a mailto: address (needs IDN and mailto: keys in app/core/identifiers)", async () => {
    const c = connector();
    try {
      const found = (await findAll(c, JOERG)).map((f) => f.ref);
      expect(found).toContain(refs.get("punycodeInMessage"));
      expect(found).toContain(refs.get("mailtoInMessage"));
      const asPunycode = await findAll(c, {
        ...JOERG,
        emails: [{ value: "joerg@xn--mller-bau-q9a.example", proven: true }],
      });
      expect(asPunycode.map((f) => f.ref)).toContain(refs.get("fromJoerg"));
    } finally {
      await c.close();
    }
  });

  it("a hold keeps a message through erase; erase removes exactly the others, and inspect confirms", async () => {
    const c = connector();
    try {
      const held = refs.get("fromJoerg")!;
      const targets = refsOf(...JOERGS);
      expect(await c.restrict([held], true, "case-1")).toEqual({
        changed: 1,
        notFound: 0,
        skippedOnHold: 0,
        failures: [],
      });
      expect((await c.inspect([held])).get(held)).toEqual({
        state: "present",
        held: true,
        holders: ["case-1"],
        fields: {},
      });
      await admin.mailboxOpen("INBOX");
      const flags = await admin.fetchOne(held.split("/").pop()!, { flags: true }, { uid: true });
      expect(flags && flags.flags?.has(LEGAL_HOLD_KEYWORD)).toBe(true);

      const before = { inbox: await count("INBOX"), sent: await count("Sent") };
      const result = await c.erase(targets);
      expect(result).toEqual({ changed: 5, notFound: 0, skippedOnHold: 1, failures: [] });
      expect(before.inbox - (await count("INBOX"))).toBe(4);
      expect(before.sent - (await count("Sent"))).toBe(1);
      const states = await c.inspect(targets);
      expect(states.get(held)).toEqual({ state: "present", held: true, holders: ["case-1"], fields: {} });
      for (const ref of targets.filter((r) => r !== held))
        expect(states.get(ref)).toEqual({ state: "absent", held: false, holders: [] });
      expect((await findAll(c, ANNA)).map((f) => f.ref)).toEqual(refsOf("fromAnna"));

      expect(await c.erase(targets.filter((r) => r !== held))).toEqual({
        changed: 0,
        notFound: 5,
        skippedOnHold: 0,
        failures: [],
      });
      expect((await c.restrict([held], false, "case-1")).changed).toBe(1);
      expect(await c.erase([held])).toEqual({ changed: 1, notFound: 0, skippedOnHold: 0, failures: [] });
      expect((await c.inspect([held])).get(held)).toEqual({ state: "absent", held: false, holders: [] });
    } finally {
      await c.close();
    }
  });

  it("a reference of a renumbered folder (new UIDVALIDITY) is not found, and never reaches the message now under its UID", async () => {
    await admin.mailboxCreate("Archiv");
    const first = await admin.append("Archiv", MESSAGES.fromJoerg!.raw);
    if (!first || first.uidValidity === undefined || first.uid === undefined)
      throw new Error("append gave no UID");
    const oldRef = imapRef("Archiv", first.uidValidity, first.uid);
    await admin.mailboxDelete("Archiv");
    await admin.mailboxCreate("Archiv");
    const second = await admin.append("Archiv", MESSAGES.fromAnna!.raw);
    expect(second && second.uid).toBe(first.uid);
    expect(String(second && second.uidValidity)).not.toBe(String(first.uidValidity));
    const c = connector();
    try {
      expect((await c.inspect([oldRef])).get(oldRef)).toEqual({ state: "absent", held: false, holders: [] });
      expect(await c.erase([oldRef])).toEqual({ changed: 0, notFound: 1, skippedOnHold: 0, failures: [] });
      expect(await c.restrict([oldRef], true, "case-1")).toEqual({
        changed: 0,
        notFound: 1,
        skippedOnHold: 0,
        failures: [],
      });
      expect(await count("Archiv")).toBe(1);
    } finally {
      await c.close();
      await admin.mailboxDelete("Archiv");
    }
  });

  it("sweeps by the server's INTERNALDATE and keeps held messages", async () => {
    const c = connector();
    try {
      const olderThan90Days = {
        isExpired: (start: Date, now: Date) => now.getTime() - start.getTime() > 90 * 86_400_000,
      };
      const spam = refs.get("oldSpam")!;
      expect((await c.restrict([spam], true, "case-1")).changed).toBe(1);
      const now = new Date("2025-11-14T12:00:00Z");
      expect(await c.sweep(now, olderThan90Days)).toMatchObject({ deleted: 0, skippedOnHold: 1 });
      await c.restrict([spam], false, "case-1");
      expect(await c.sweep(now, olderThan90Days)).toMatchObject({ deleted: 1, skippedOnHold: 0 });
      expect((await c.inspect([spam])).get(spam)).toEqual({ state: "absent", held: false, holders: [] });
      expect((await findAll(c, ANNA)).map((f) => f.ref)).toEqual(refsOf("fromAnna"));
    } finally {
      await c.close();
    }
  });

  it("check says what is wrong and never throws: wrong password, no password variable, server down, missing folder", async () => {
    const good = connector();
    expect(await good.check()).toMatchObject({ ok: true });
    await good.close();

    process.env.RP_TEST_IMAP_WRONG = "not-the-password";
    const wrong = connector({ passwordEnv: "RP_TEST_IMAP_WRONG" });
    const wrongCheck = await wrong.check();
    expect(wrongCheck.ok).toBe(false);
    expect(wrongCheck.ok === false && wrongCheck.reason).toMatch(/refused the login/);
    expect(wrongCheck.ok === false && wrongCheck.reason).not.toContain("not-the-password");
    await wrong.close();
    delete process.env.RP_TEST_IMAP_WRONG;

    const unset = connector({ passwordEnv: "RP_TEST_IMAP_UNSET" });
    const unsetCheck = await unset.check();
    expect(unsetCheck.ok === false && unsetCheck.reason).toMatch(/RP_TEST_IMAP_UNSET .*not set/);

    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
      });
    });
    const down = connector({ port });
    const downCheck = await down.check();
    expect(downCheck.ok === false && downCheck.reason).toMatch(
      /cannot connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    await expect(findAll(down, JOERG)).rejects.toThrow(/cannot connect/);
    const downInspect = await down.inspect(["INBOX/1/1"]);
    expect(downInspect.get("INBOX/1/1")).toMatchObject({ state: "unknown" });
    const downErase = await down.erase(["INBOX/1/1"]);
    expect(downErase.changed).toBe(0);
    expect(downErase.failures).toEqual([
      { ref: "INBOX/1/1", reason: expect.stringMatching(/cannot connect/) },
    ]);

    const missing = connector({ folders: ["INBOX", "Gibt-es-nicht"] });
    expect(await missing.check()).toEqual({ ok: false, reason: expect.stringMatching(/Gibt-es-nicht/) });
    await missing.close();
  });

  it("close ends the IMAP session (the server logs the logout)", async () => {
    const logouts = async () => ((await dovecot.log()).match(/Logged out/g) ?? []).length;
    // Sessions closed by the tests before may still be on their way into the log: wait until it is quiet.
    let logoutsBefore = await logouts();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const now = await logouts();
      if (now === logoutsBefore) break;
      logoutsBefore = now;
    }
    const c = connector();
    expect((await c.check()).ok).toBe(true);
    await c.close();
    await expect.poll(logouts, { timeout: 5000 }).toBe(logoutsBefore + 1);
  });
});

describe("the messy sample's Poststelle served by Dovecot", () => {
  let server: TestDovecot;
  let sampleDir: string;
  let client: ImapFlowType;
  let castRefs: Map<string, string[]>;
  /** Maildir reference of the key → the reference the message got on the server. */
  const onServer = new Map<string, string>();

  beforeAll(async () => {
    sampleDir = await mkdtemp(join(tmpdir(), "rp-messy-imap-"));
    const sample = await cachedSample({
      people: 12,
      days: 3,
      seed: "messy-imap",
      out: sampleDir,
      messy: true,
    });
    const ids = new Set<string>(Object.values(MESSY_CAST).map((p) => p.id));
    castRefs = new Map(
      sample.answerKey.persons
        .filter((p) => ids.has(p.id))
        .map((p) => [
          p.id,
          p.records.filter((r) => r.store === SAMPLE_STORES.poststelle.id).map((r) => r.ref),
        ]),
    );
    server = await startDovecot({ password: "messy-secret" });
    process.env.RP_TEST_IMAP_MESSY = server.password;
    client = await server.connectAsOwner();
    const root = join(sampleDir, SAMPLE_STORES.poststelle.path);
    const folders = [
      "INBOX",
      ...(await readdir(root, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && e.name.startsWith("."))
        .map((e) => e.name),
    ];
    for (const folder of folders) {
      // Maildir++ ".Archiv.2024" is the IMAP folder "Archiv/2024" with Dovecot's separator.
      const path = folder === "INBOX" ? "INBOX" : folder.slice(1).replace(/\./g, "/");
      if (path !== "INBOX") await client.mailboxCreate(path).catch(() => undefined);
      for (const sub of ["cur", "new"]) {
        const names = await readdir(join(root, folder === "INBOX" ? "" : folder, sub)).catch(
          () => [] as string[],
        );
        for (const name of names.sort()) {
          const stored = await readFile(join(root, folder === "INBOX" ? "" : folder, sub, name));
          // Dovecot's zlib plugin keeps some Maildir files gzip-compressed; IMAP serves them as messages.
          const raw = stored[0] === 0x1f && stored[1] === 0x8b ? gunzipSync(stored) : stored;
          const appended = await client.append(path, raw, sub === "cur" ? ["\\Seen"] : []);
          if (!appended || appended.uid === undefined || appended.uidValidity === undefined)
            throw new Error("append gave no UID");
          onServer.set(`${folder}/${name.split(":")[0]}`, imapRef(path, appended.uidValidity, appended.uid));
        }
      }
    }
  }, 180_000);

  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await server?.stop();
    if (sampleDir) await rm(sampleDir, { recursive: true, force: true });
    delete process.env.RP_TEST_IMAP_MESSY;
  });

  it("finds for every cast person exactly the messages the key gives them, as the Maildir connector does", async () => {
    const c = new ImapConnector("mail-server", {
      host: server.host,
      port: server.port,
      tls: "none",
      user: server.user,
      passwordEnv: "RP_TEST_IMAP_MESSY",
    });
    const sample = readAnswerKey(sampleDir, new Set(castRefs.keys()));
    try {
      for (const [id, refsInKey] of castRefs) {
        const person = sample.persons.find((p) => p.id === id)!;
        const expected = refsInKey.map((ref) => onServer.get(ref)!).sort();
        expect(expected.every(Boolean), `${id}: every key message is on the server`).toBe(true);
        const found = (await findAll(c, subjectFromKey(person))).map((f) => f.ref).sort();
        expect(found, id).toEqual(expected);
      }
    } finally {
      await c.close();
    }
  }, 120_000);
});
