/**
 * One pass over a mailbox and over the records management serves every search running at the same
 * time (ADR 0021): each message or document is read once, and each search gets exactly what it
 * gets alone — the same findings, the same report (records counted, problems, malformed records) —
 * however many search with it, whenever it joins, and whoever leaves early. The stores hold what
 * makes routing hard: the subjects' addresses in MIME encoded words, a message naming two
 * subjects, one whose quoted-printable body names a subject its headers do not, a document naming
 * two subjects, and strangers whose identifiers are prefixes or variants of a subject's (their
 * folded keys occur in the subject's records, so the records are offered to them, and their own
 * rules refuse them).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, SourceConnector, Subject } from "#app/sources/connector";
import { MaildirConnector } from "#app/sources/connectors/maildir.server";
import { RecordsConnector } from "#app/sources/connectors/records.server";
import { type Result, search, settled, subjectOf } from "./search-results";
import { b64, testMessage as message } from "../support/mail-messages";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-shared-records-"));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Each subject searched alone, one after the other: what the shared pass must give each. */
async function alone(connector: SourceConnector, subjects: readonly Subject[]): Promise<Result[]> {
  const results: Result[] = [];
  for (const subject of subjects) results.push(await search(connector, subject));
  return results;
}

const refs = (result: Result) => result.findings.map((f) => f.ref);

/**
 * Searches started at scattered moments (0-20 ms apart, seeded), every fourth aborted a few
 * milliseconds in, over several rounds: they join passes on their first lap, start new ones, and
 * leave units under way; each search that runs to its end must get exactly what it gets alone.
 */
async function scattered(connector: SourceConnector, subjects: readonly Subject[], lone: readonly Result[]) {
  let seed = 17;
  const random = (below: number) => ((seed = (seed * 48271) % 2147483647), seed % below);
  for (let round = 0; round < 4; round++) {
    const runs = Array.from({ length: 12 }, async (_, i) => {
      const which = random(subjects.length);
      await new Promise((resolve) => setTimeout(resolve, random(20)));
      if (i % 4 === 3) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new Error("stop")), random(10));
        await search(connector, subjects[which]!, controller.signal).catch(() => null);
        return null;
      }
      return { which, got: await search(connector, subjects[which]!) };
    });
    for (const run of await Promise.all(runs)) if (run) expect(run.got).toEqual(lone[run.which]);
  }
}

// ---------------------------------------------------------------------------------------------
// Mailbox

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

const MESSAGES: Record<string, Buffer> = {
  maxEncodedB: message(
    `From: =?UTF-8?B?${b64("max.mustermann@example.org")}?=\r\nTo: poststelle@amt.example`,
  ),
  maxEncodedQ: message(
    "From: =?UTF-8?Q?M=C3=BCller?= <poststelle@amt.example>\r\nTo: =?UTF-8?Q?max=2Emustermann=40example=2Eorg?=",
  ),
  // A charset label nobody knows: libmime (the parser, and now the search before it) reads the word as UTF-8.
  maxUnknownCharset: message(
    "From: poststelle@amt.example\r\nCc: =?x-unbekannt?Q?max=2Emustermann=40example=2Eorg?=",
  ),
  evaEncodedSplit: message(`From: =?UTF-8?B?${b64("eva.sch")}?=\r\n =?UTF-8?B?${b64("ulz@example.net")}?=`),
  // Eva's display name at Max's address is Max's message, not Eva's (a name alone never matches).
  evaNameMaxAddress: message(`From: =?UTF-8?B?${b64("Eva Schulz")}?= <max.mustermann@example.org>`),
  bothParties: message(
    "From: Max <max.mustermann@example.org>\r\nTo: eva.schulz@example.net, poststelle@amt.example",
  ),
  // Eva writes; the body, quoted-printable, names Max: Eva's message alone.
  evaBodyNamesMax: message(
    "From: Eva Schulz <eva.schulz@example.net>",
    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBitte an Max Mustermann, max.muster=\r\nmann=40example.org, weiterleiten. Gr=C3=BC=C3=9Fe\r\n",
  ),
  maxBounce: message(
    'From: MAILER-DAEMON@amt.example\r\nTo: poststelle@amt.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
    "\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; amt.example\r\n\r\nFinal-Recipient: rfc822; max.mustermann@example.org\r\nAction: failed\r\n--b--\r\n",
  ),
  maxFax: message("X-Fax-Sender: +49 (0)361 98-76543\r\nFrom: fax@amt.example"),
  prefixOwn: message("From: max.muster@example.org"),
  // Dovecot's zlib plugin with another compression: reported to every search as not searched.
  bzip2: Buffer.from("BZh91AY&SY not a message"),
};

/** Messages nobody searched for, so that the store is several units of a pass. */
const FILLER = 300;

function mailbox(): MaildirConnector {
  return new MaildirConnector("mail", join(root, "maildir"));
}

describe("mailbox: one pass for every search", () => {
  const subjects = [max, eva, maxPrefix, evaPrefix, maxElsewhere];
  let lone: Result[];

  beforeAll(async () => {
    const dir = join(root, "maildir");
    await mkdir(join(dir, "cur"), { recursive: true });
    await mkdir(join(dir, "new"), { recursive: true });
    for (let i = 0; i < FILLER; i++)
      await writeFile(
        join(dir, "cur", `${String(i).padStart(4, "0")}.filler:2,S`),
        message(`From: buerger${i}@example.de\r\nTo: poststelle@amt.example`),
      );
    // Spread over the listing, so that the subjects' messages fall into different units.
    for (const [i, [name, bytes]] of Object.entries(MESSAGES).entries())
      await writeFile(join(dir, "cur", `${String(i * 37).padStart(4, "0")}.${name}:2,S`), bytes);
    lone = await alone(mailbox(), subjects);
  });

  it("alone, each search finds what the fixtures say (so the comparisons below compare something)", () => {
    const names = (result: Result) => refs(result).map((ref) => ref.replace(/^INBOX\/\d+\./, ""));
    expect(names(lone[0]!).sort()).toEqual(
      [
        "bothParties",
        "evaNameMaxAddress",
        "maxBounce",
        "maxEncodedB",
        "maxEncodedQ",
        "maxFax",
        "maxUnknownCharset",
      ].sort(),
    );
    expect(names(lone[1]!).sort()).toEqual(["bothParties", "evaBodyNamesMax", "evaEncodedSplit"].sort());
    expect(names(lone[2]!)).toEqual(["prefixOwn"]);
    expect(refs(lone[3]!)).toEqual([]);
    expect(refs(lone[4]!)).toEqual([]);
    expect(lone[0]!.report.problems.map((p) => p.reason)).toEqual([
      "message compressed with bzip2, which cannot be read here",
    ]);
    expect(lone[0]!.report.scanned).toBe(FILLER + Object.keys(MESSAGES).length);
  });

  it("searches started together each get exactly what they get alone", async () => {
    const connector = mailbox();
    const together = await Promise.all(subjects.map((s) => search(connector, s)));
    expect(together).toEqual(lone);
  });

  it("searches that join a pass under way get exactly what they get alone", async () => {
    const connector = mailbox();
    const first = connector.find(eva)[Symbol.asyncIterator]();
    const findings: Finding[] = [];
    // Eva's first finding is out: the pass is under way when the others start.
    const head = await first.next();
    expect(head.done).toBe(false);
    findings.push(head.value as Finding);
    const others = Promise.all([max, maxPrefix, evaPrefix, maxElsewhere].map((s) => search(connector, s)));
    for (let next = await first.next(); !next.done; next = await first.next()) findings.push(next.value);
    expect(settled(findings, lone[1]!.report).findings).toEqual(lone[1]!.findings);
    expect(await others).toEqual([lone[0], lone[2], lone[3], lone[4]]);
  });

  it("a search that leaves early, or is aborted, stops no other search", async () => {
    const connector = mailbox();
    const leaving = (async () => {
      for await (const finding of connector.find(max)) return finding.ref;
      return null;
    })();
    const controller = new AbortController();
    const aborted = (async () => {
      for await (const _ of connector.find(eva, { signal: controller.signal }))
        controller.abort(new Error("enough"));
    })().then(
      () => null,
      (error: unknown) => error,
    );
    const staying = Promise.all([max, eva, maxPrefix].map((s) => search(connector, s)));
    expect(await leaving).toMatch(/^INBOX\//);
    expect(((await aborted) as Error | null)?.message).toBe("enough");
    expect(await staying).toEqual([lone[0], lone[1], lone[2]]);
  });

  it("searches starting at scattered moments, some aborted, each get exactly what they get alone", async () => {
    await scattered(mailbox(), subjects, lone);
  });
});

// ---------------------------------------------------------------------------------------------
// Records management

const joerg = subjectOf({
  names: [{ value: "Jörg Müller", proven: true }],
  postalAddresses: [{ value: "Anger 1, 99084 Erfurt", proven: true }],
  emails: [{ value: "joerg.mueller@example.org", proven: true }],
});
const anna = subjectOf({
  names: [{ value: "Anna Schmidt", proven: true }],
  emails: [{ value: "anna.schmidt@example.org", proven: true }],
  phones: [{ value: "0361 1234567", proven: true }],
});
/** "Schmid" is a prefix of "Schmidt", "Muller" Müller without its umlaut: their documents are offered, and not theirs. */
const annaPrefix = subjectOf({
  names: [{ value: "Anna Schmid", proven: true }],
  postalAddresses: [{ value: "Domplatz 3, 99084 Erfurt", proven: true }],
  emails: [{ value: "anna.schmid@example.org", proven: true }],
});
const joergVariant = subjectOf({
  names: [{ value: "Jörg Muller", proven: true }],
  postalAddresses: [{ value: "Lange Brücke 5, 99084 Erfurt", proven: true }],
  emails: [{ value: "j.muller@example.org", proven: true }],
});

const el = (name: string, value: string) => `<vis:${name}>${value}</vis:${name}>`;
const person = (element: string, first: string, last: string, more = "") =>
  el(element, `${el("vorname", first)}${el("nachname", last)}${more}`);

function document(id: string, persons: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<vis:dokument xmlns:vis="urn:tlrz:viskompakt:metadaten:1" id="${id}">
  <vis:aktenzeichen>31-1/2024</vis:aktenzeichen>
  <vis:betreff>Anfrage</vis:betreff>
  <vis:eingangsdatum>2024-03-04</vis:eingangsdatum>
  ${persons}
  <vis:vorgang><vis:status>offen</vis:status></vis:vorgang>
</vis:dokument>
`;
}

const DOCUMENTS: Record<string, string> = {
  joerg: document("J-1", person("absender", "Jörg", "Müller", el("email", "joerg.mueller@example.org"))),
  joergAtHome: document(
    "J-2",
    person(
      "absender",
      "J&#246;rg",
      "M&#xFC;ller",
      `${el("strasse", "Anger 1")}${el("postleitzahl", "99084")}${el("ort", "Erfurt")}`,
    ),
  ),
  // Jörg writes, Anna co-signs: the one document is each one's, naming the other.
  both: document(
    "JA-1",
    person("absender", "Jörg", "Müller", el("email", "joerg.mueller@example.org")) +
      person("mitzeichner", "Anna", "Schmidt", el("email", "anna.schmidt@example.org")),
  ),
  annaByPhone: document("A-1", el("absender", el("telefon", "+49 (0)361 123 45 67"))),
  annaCdata: document(
    "A-2",
    person("absender", "<![CDATA[Anna]]>", "Schmidt", el("email", "anna.schmidt@example.org")),
  ),
  // Refused by the parser (an end tag that does not match); it names Anna, so it is reported to whom it may concern.
  broken: `<vis:dokument xmlns:vis="urn:x" id="A-BROKEN"><vis:absender>${el("vorname", "Anna")}${el("nachname", "Schmidt")}</vis:sender></vis:dokument>\n`,
  // Cut off: reported to every search.
  cut: `<vis:dokument xmlns:vis="urn:x" id="CUT"><vis:absender><vis:vorname>Kar`,
};

const FILLER_DOCUMENTS = 200;

function records(): RecordsConnector {
  return new RecordsConnector("vis", join(root, "viskompakt"));
}

describe("records management: one pass for every search", () => {
  const subjects = [joerg, anna, annaPrefix, joergVariant];
  let lone: Result[];

  beforeAll(async () => {
    const dir = join(root, "viskompakt", "2024");
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < FILLER_DOCUMENTS; i++) {
      const name = `${String(i).padStart(4, "0")}-filler`;
      await writeFile(join(dir, `${name}.xml`), document(`F-${i}`, person("absender", "Karl", `Berg${i}`)));
      await writeFile(join(dir, `${name}.pdf`), "%PDF-1.4\n%%EOF\n");
    }
    for (const [i, [name, text]] of Object.entries(DOCUMENTS).entries()) {
      const file = `${String(i * 29).padStart(4, "0")}-${name}`;
      await writeFile(join(dir, `${file}.xml`), text);
      await writeFile(join(dir, `${file}.pdf`), "%PDF-1.4\n%%EOF\n");
    }
    // A scan without metadata: reported to every search.
    await writeFile(join(dir, "lost.pdf"), "%PDF-1.4\n%%EOF\n");
    lone = await alone(records(), subjects);
  });

  it("alone, each search finds what the fixtures say (so the comparisons below compare something)", () => {
    expect(refs(lone[0]!)).toEqual(["J-1", "J-2", "JA-1"]);
    expect(refs(lone[1]!)).toEqual(["A-1", "A-2", "JA-1"]);
    expect(refs(lone[2]!)).toEqual([]);
    expect(refs(lone[3]!)).toEqual([]);
    const both = (result: Result) => result.findings.find((f) => f.ref === "JA-1")!;
    expect(both(lone[0]!).content).toHaveProperty("weitereAbsender");
    expect(both(lone[1]!).role).toBe("sender");
    const unsearched = (result: Result) =>
      result.report.problems.filter((p) => p.unsearched).map((p) => p.where.replace(/^2024\/\d+-/, ""));
    expect(unsearched(lone[0]!)).toEqual(["cut.xml", "2024/lost.pdf"]);
    expect(unsearched(lone[1]!)).toEqual(["broken.xml", "cut.xml", "2024/lost.pdf"]);
    expect(lone[1]!.report.malformed).toBe(2);
    expect(lone[0]!.report.scanned).toBe(FILLER_DOCUMENTS + Object.keys(DOCUMENTS).length);
  });

  it("searches started together each get exactly what they get alone", async () => {
    const connector = records();
    const together = await Promise.all(subjects.map((s) => search(connector, s)));
    expect(together).toEqual(lone);
  });

  it("searches that join a pass under way get exactly what they get alone", async () => {
    const connector = records();
    const first = connector.find(joerg)[Symbol.asyncIterator]();
    const head = await first.next();
    expect(head.done).toBe(false);
    const findings = [head.value as Finding];
    const others = Promise.all([anna, annaPrefix, joergVariant].map((s) => search(connector, s)));
    for (let next = await first.next(); !next.done; next = await first.next()) findings.push(next.value);
    expect(settled(findings, lone[0]!.report).findings).toEqual(lone[0]!.findings);
    expect(await others).toEqual([lone[1], lone[2], lone[3]]);
  });

  it("a search that leaves early, or is aborted, stops no other search", async () => {
    const connector = records();
    const leaving = (async () => {
      for await (const finding of connector.find(anna)) return finding.ref;
      return null;
    })();
    const controller = new AbortController();
    const aborted = (async () => {
      for await (const _ of connector.find(joerg, { signal: controller.signal }))
        controller.abort(new Error("enough"));
    })().then(
      () => null,
      (error: unknown) => error,
    );
    const staying = Promise.all(subjects.map((s) => search(connector, s)));
    expect(await leaving).not.toBeNull();
    expect(((await aborted) as Error | null)?.message).toBe("enough");
    expect(await staying).toEqual(lone);
  });

  it("searches starting at scattered moments, some aborted, each get exactly what they get alone", async () => {
    await scattered(records(), subjects, lone);
  });
});
