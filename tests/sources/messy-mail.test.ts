/**
 * The mailboxes of the "as found in the wild" sample: for every cast person and every mailbox
 * store, `find` returns exactly the answer key's messages, in the key's role — the Bcc of a sent
 * copy, the end of a Cc header beyond 64 KiB, punycode against Unicode domains, `mailto:`, encoded
 * display names with titles, Resent-* and a bounce's report — and nothing of a relative, a namesake
 * or a stranger. Then the Maildir's own life: links out of the store and dangling ones, a message
 * that moves or vanishes during the scan, one that cannot be opened, tmp/, per-reference outcomes
 * of erase and restrict, and inspect after a message moved from new/ to cur/ and changed flags.
 */
import { renameSync, symlinkSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, ScanReport, Subject } from "#app/sources/connector";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { type AnswerKey, type AnswerKeyPerson, subjectFromKey } from "#app/sources/sample/answer-key";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { cachedSample } from "../support/sample-cache";

let dir: string;
let key: AnswerKey;
const MAILBOXES = [SAMPLE_STORES.poststelle, SAMPLE_STORES.support];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rp-messy-mail-"));
  const sample = await cachedSample({ people: 12, days: 3, seed: "messy-mail", out: dir, messy: true });
  key = sample.answerKey;
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cast(): AnswerKeyPerson[] {
  const ids = new Set<string>(Object.values(MESSY_CAST).map((p) => p.id));
  return key.persons.filter((p) => ids.has(p.id));
}

function person(id: string): AnswerKeyPerson {
  return key.persons.find((p) => p.id === id)!;
}

async function scan(
  connector: MaildirConnector,
  subject: Subject,
  onProgress?: () => Promise<void> | void,
): Promise<{ findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | null = null;
  const pending: Promise<void>[] = [];
  for await (const f of connector.find(subject, {
    onReport: (r) => (report = r),
    onProgress: onProgress ? () => void pending.push(Promise.resolve(onProgress())) : undefined,
  })) {
    findings.push(f);
  }
  await Promise.all(pending);
  return { findings, report: report! };
}

function keyRecords(p: AnswerKeyPerson, store: string): { ref: string; role?: string }[] {
  return p.records
    .filter((r) => r.store === store)
    .map((r) => ({ ref: r.ref, role: r.role }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}

describe("messy mailboxes against the answer key", () => {
  it("the cast has messages in both mailboxes", () => {
    const stores = new Set(cast().flatMap((p) => p.records.map((r) => r.store)));
    for (const box of MAILBOXES) expect(stores).toContain(box.id);
    for (const id of [
      MESSY_CAST.joerg.id,
      MESSY_CAST.anna.id,
      MESSY_CAST.gerda.id,
      MESSY_CAST.namesake.id,
      MESSY_CAST.renate.id,
    ]) {
      expect(
        person(id).records.some((r) => MAILBOXES.some((b) => b.id === r.store)),
        id,
      ).toBe(true);
    }
  });

  for (const box of MAILBOXES) {
    it(`${box.id}: every cast person gets exactly the key's messages, in the key's role, and the scan is complete`, async () => {
      const connector = new MaildirConnector(box.id, join(dir, box.path));
      const failures: string[] = [];
      for (const p of cast()) {
        const { findings, report } = await scan(connector, subjectFromKey(p));
        const got = findings
          .map((f) => ({ ref: f.ref, role: f.role }))
          .sort((a, b) => a.ref.localeCompare(b.ref));
        const want = keyRecords(p, box.id);
        const missed = want.filter((w) => !got.some((g) => g.ref === w.ref));
        const strangers = got.filter((g) => !want.some((w) => w.ref === g.ref));
        const wrongRole = got.filter((g) => want.some((w) => w.ref === g.ref && w.role !== g.role));
        if (missed.length || strangers.length || wrongRole.length) {
          failures.push(
            `${p.id}: missed ${JSON.stringify(missed)}, not theirs ${JSON.stringify(strangers)}, other role ${JSON.stringify(wrongRole)}`,
          );
        }
        expect(report.problems, `${p.id} in ${box.id}`).toEqual([]);
        expect(findings.every((f) => !f.unproven)).toBe(true);
      }
      expect(failures).toEqual([]);
    }, 60_000);
  }

  it("finds Jörg under the punycode form of his address as under the Unicode one", async () => {
    const joerg = subjectFromKey(person(MESSY_CAST.joerg.id));
    const asPunycode = { ...joerg, emails: [{ value: "joerg@xn--mller-bau-q9a.example", proven: true }] };
    for (const box of MAILBOXES) {
      const connector = new MaildirConnector(box.id, join(dir, box.path));
      const byUnicode = (await scan(connector, joerg)).findings.map((f) => f.ref).sort();
      const byPunycode = (await scan(connector, asPunycode)).findings.map((f) => f.ref).sort();
      expect(byUnicode.length).toBeGreaterThan(0);
      expect(byPunycode).toEqual(byUnicode);
    }
  }, 60_000);
});

describe("a Maildir's own life", () => {
  let root: string;
  let connector: MaildirConnector;
  const joerg = () => subjectFromKey(person(MESSY_CAST.joerg.id));
  const anna = () => subjectFromKey(person(MESSY_CAST.anna.id));

  beforeAll(() => {
    root = join(dir, SAMPLE_STORES.poststelle.path);
    connector = new MaildirConnector(SAMPLE_STORES.poststelle.id, root);
  });

  it("check: the sample's mailbox is readable", async () => {
    expect(await connector.check()).toMatchObject({ ok: true });
    expect(await new MaildirConnector("gone", join(dir, "no-such-mailbox")).check()).toEqual({
      ok: false,
      reason: expect.stringMatching(/does not exist/),
    });
    // A path one level too high (the directory of all mailboxes) would search nothing and say nothing.
    expect(await new MaildirConnector("parent", join(dir, "maildir")).check()).toEqual({
      ok: false,
      reason: expect.stringMatching(/is not a Maildir/),
    });
  });

  it("a link out of the store is reported and not followed, a dangling one is noted; neither fails the store", async () => {
    const outside = await mkdtemp(join(tmpdir(), "rp-outside-"));
    try {
      await writeFile(
        join(outside, "secret"),
        `From: ${MESSY_CAST.joerg.email}\nTo: x@example.org\nSubject: x\n\nx\n`,
      );
      await symlink(join(outside, "secret"), join(root, "cur", "1700000000.M1P1.evil:2,S"));
      await symlink(join(root, "cur", "does-not-exist"), join(root, "cur", "1700000001.M1P1.dangling:2,S"));
      await symlink(outside, join(root, ".Ausgelagert"));
      await mkdir(join(root, "cur", "1700000002.M1P1.odd:2,S"));
      await writeFile(
        join(root, "cur", "1700000003.M1P1.xz:2,SZ"),
        Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]),
      );
      const before = (await scan(connector, joerg())).findings.map((f) => f.ref);
      const { findings, report } = await scan(connector, joerg());
      expect(findings.map((f) => f.ref)).toEqual(before);
      expect(findings.map((f) => f.ref)).not.toContain("INBOX/1700000000.M1P1.evil");
      expect(report.problems).toEqual(
        expect.arrayContaining([
          {
            where: "INBOX/1700000000.M1P1.evil",
            reason: "symbolic link out of the store, not followed",
            unsearched: true,
          },
          { where: "INBOX/1700000001.M1P1.dangling", reason: "dangling symbolic link", unsearched: false },
          { where: ".Ausgelagert", reason: "symbolic link out of the store, not followed", unsearched: true },
          {
            where: "INBOX/1700000002.M1P1.odd",
            reason: "not a regular file, not searched",
            unsearched: true,
          },
          {
            where: "INBOX/1700000003.M1P1.xz",
            reason: "message compressed with xz, which cannot be read here",
            unsearched: true,
          },
        ]),
      );
      expect(report.problems.every((p) => !p.reason.includes("@"))).toBe(true);
      const check = await connector.check();
      expect(check.ok).toBe(false);
      // What lies behind a link out of the store is unknown, never "absent"; the other messages are unaffected.
      const annaRef = keyRecords(person(MESSY_CAST.anna.id), SAMPLE_STORES.poststelle.id)[0]!.ref;
      const evil = "INBOX/1700000000.M1P1.evil";
      const dangling = "INBOX/1700000001.M1P1.dangling";
      const states = await connector.inspect([evil, dangling, annaRef]);
      expect(states.get(evil)).toEqual({
        state: "unknown",
        reason: "symbolic link out of the store, not followed",
      });
      expect(states.get(dangling)).toEqual({ state: "absent", held: false, holders: [] });
      expect(states.get(annaRef)).toEqual({ state: "present", held: false, holders: [], fields: {} });
      expect(await connector.erase([evil, dangling])).toEqual({
        changed: 0,
        notFound: 1,
        skippedOnHold: 0,
        failures: [
          {
            ref: evil,
            reason: "the message cannot be reached (symbolic link out of the store, not followed)",
          },
        ],
      });
    } finally {
      await unlink(join(root, "cur", "1700000000.M1P1.evil:2,S"));
      await unlink(join(root, "cur", "1700000001.M1P1.dangling:2,S"));
      await unlink(join(root, ".Ausgelagert"));
      await rm(join(root, "cur", "1700000002.M1P1.odd:2,S"), { recursive: true });
      await rm(join(root, "cur", "1700000003.M1P1.xz:2,SZ"));
      await rm(outside, { recursive: true, force: true });
    }
    expect(await connector.check()).toMatchObject({ ok: true });
  });

  it("a message moved new→cur and one deleted during the scan do not fail it; one that cannot be opened is located", async () => {
    const want = keyRecords(person(MESSY_CAST.anna.id), SAMPLE_STORES.poststelle.id)
      .map((r) => r.ref)
      .sort();
    const newDir = join(root, "new");
    const unread = (await readdir(newDir)).filter((n) => !n.startsWith("."));
    expect(unread.length).toBeGreaterThan(0);
    // The last stranger's message of cur/, replaced by a link while the scan runs: O_NOFOLLOW refuses it.
    const owned = new Set(key.persons.flatMap((p) => p.records.map((r) => r.ref)));
    const strangerFile = (await readdir(join(root, "cur")))
      .sort()
      .reverse()
      .find((n) => !owned.has(`INBOX/${n.split(":")[0]}`))!;
    let moved = false;
    // onProgress is called before each message is read: the first call changes the mailbox under the running scan.
    const { findings, report } = await scan(connector, anna(), () => {
      if (moved) return;
      moved = true;
      for (const name of unread) renameSync(join(newDir, name), join(root, "cur", `${name}:2,S`));
      renameSync(join(root, "cur", strangerFile), join(root, `.${strangerFile}.kept`));
      symlinkSync(join(root, `.${strangerFile}.kept`), join(root, "cur", strangerFile));
    });
    expect(findings.map((f) => f.ref).sort()).toEqual(want);
    expect(report.problems).toContainEqual({
      where: `INBOX/${strangerFile.split(":")[0]}`,
      reason: expect.stringMatching(/^message cannot be read \(E(LOOP|MLINK)\)$/),
      unsearched: true,
    });
    await unlink(join(root, "cur", strangerFile));
    await rename(join(root, `.${strangerFile}.kept`), join(root, "cur", strangerFile));
  });

  it("inspect finds a message again after it moved from new/ to cur/ and its flags changed; erase and restrict answer per reference", async () => {
    const ref = keyRecords(person(MESSY_CAST.anna.id), SAMPLE_STORES.poststelle.id)
      .map((r) => r.ref)
      .find((r) => r.startsWith("INBOX/"))!;
    const unique = ref.split("/")[1]!;
    const inCur = async () => (await readdir(join(root, "cur"))).find((n) => n.startsWith(`${unique}:`));
    // Flags change as a client reads and answers it.
    const current = (await inCur())!;
    await rename(join(root, "cur", current), join(root, "cur", `${unique}:2,RS`));
    expect((await connector.inspect([ref])).get(ref)).toEqual({
      state: "present",
      held: false,
      holders: [],
      fields: {},
    });

    expect(await connector.restrict([ref, "INBOX/no-such-message"], true, "case-1")).toEqual({
      changed: 1,
      notFound: 1,
      skippedOnHold: 0,
      failures: [],
    });
    const other = keyRecords(person(MESSY_CAST.gerda.id), SAMPLE_STORES.poststelle.id).map((r) => r.ref)[0]!;
    const result = await connector.erase([ref, other, "INBOX/no-such-message", other]);
    expect(result).toEqual({ changed: 1, notFound: 1, skippedOnHold: 1, failures: [] });
    const states = await connector.inspect([ref, other, "INBOX/no-such-message"]);
    expect(states.get(ref)).toEqual({ state: "present", held: true, holders: ["case-1"], fields: {} });
    expect(states.get(other)).toEqual({ state: "absent", held: false, holders: [] });
    expect(states.get("INBOX/no-such-message")).toEqual({ state: "absent", held: false, holders: [] });
    expect(await connector.erase([other])).toEqual({
      changed: 0,
      notFound: 1,
      skippedOnHold: 0,
      failures: [],
    });

    expect((await connector.restrict([ref], false, "case-1")).changed).toBe(1);
    expect(await connector.erase([ref])).toEqual({ changed: 1, notFound: 0, skippedOnHold: 0, failures: [] });
    expect((await connector.inspect([ref])).get(ref)).toEqual({ state: "absent", held: false, holders: [] });
  });
});
