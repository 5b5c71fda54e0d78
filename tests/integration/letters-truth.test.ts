/**
 * What the access letter says must be true and lawful, read as the person reads it (pdftotext) from
 * cases reviewed in the database: § 21(4) ThürDSG leaves out ground and text; no "nothing found"
 * where anything was withheld silently, matched only unproven identifiers or was not searched; the
 * way to prove an identifier; the recipients the records name (CJEU C-154/21) and Art. 15(2).
 */
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attachments,
  auditEvents,
  findingDecisions,
  findings,
  gatherRuns,
  gatherStoreJobs,
  mailOutbox,
  representationChecks,
  requestIdentifiers,
  requests,
} from "#db/schema";
import type { RoleId } from "#app/core/permissions";
import {
  processingActivityById,
  type ProcessingActivityId,
  supervisoryAuthority,
} from "#app/core/processing-activities";
import type { StoreKind } from "#app/core/store-kinds";
import { answerTexts } from "#app/server/answers/texts";
import { renderAccessLetter } from "#app/server/answers/letter-pdf.server";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { answerInputFor } from "#app/server/delivery/answer-input.server";
import { releaseAnswer } from "#app/server/delivery/delivery.server";
import { documentPath, withStagedDocument } from "#app/server/document-files.server";
import { recordAuthorityCheck, recordRepresentation } from "#app/server/requests/representation.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import {
  type Decision,
  approve,
  decide,
  letterFactsOf,
  openReview,
  propose,
} from "#app/server/review/review.server";
import { recordUnsearchedReason } from "#app/server/review/search-complete.server";
import type { Services } from "#app/server/services.server";
import { flat, letterText } from "../support/pdf-text";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
const PUBLIC_URL = "https://portal.example";
const EMAIL = "erika.muster@example.org";

const staff = (userName: string, role: RoleId) => createStaff(services.database.db, userName, role, userName);

type SpecKind = Extract<
  StoreKind,
  "nginx-access-log" | "retrieval-protocol-db" | "servicedesk-db" | "call-records-csv" | "maildir"
>;
const activityOf: Record<SpecKind, ProcessingActivityId> = {
  "nginx-access-log": "website-visit",
  "retrieval-protocol-db": "retrieval-protocol",
  "servicedesk-db": "support-ticket",
  "call-records-csv": "telephone",
  maildir: "email",
};

interface Spec {
  store: string;
  storeKind: SpecKind;
  content: Record<string, unknown>;
  role?: string;
  matched?: { kind: string; value: string; recordValue: string; proven: boolean };
  decision: Decision;
  recordedAt?: Date;
  flags?: string[];
}

interface Job {
  store: string;
  status?: "done" | "failed";
  partial?: boolean;
  problems?: unknown[];
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000);

/** A received case whose gathering found `specs` (stores as `jobs` report them), reviewed as specified and approved. */
async function reviewedCase(specs: Spec[], jobs: Job[] = [], lang: "de" | "en" = "de", contactEmail = EMAIL) {
  const db = services.database.db;
  const reference = `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const [request] = await db
    .insert(requests)
    .values({
      status: "review",
      kinds: ["auskunft"],
      channel: "web",
      lang,
      contactEmail,
      reference,
      receivedAt: new Date("2026-11-02T09:00:00Z"),
      deadline: new Date("2026-12-02T22:59:59Z"),
    })
    .returning();
  const [run] = await db.insert(gatherRuns).values({ requestId: request!.id, version: 1 }).returning();
  const storesOfJobs = new Set(jobs.map((j) => j.store));
  const allJobs: Job[] = [
    ...jobs,
    ...[...new Set(specs.map((s) => s.store))]
      .filter((s) => !storesOfJobs.has(s))
      .map((store) => ({ store })),
  ];
  if (allJobs.length) {
    await db.insert(gatherStoreJobs).values(
      allJobs.map((j) => ({
        runId: run!.id,
        store: j.store,
        status: j.status ?? "done",
        partial: j.partial ?? false,
        problems: j.problems ?? [],
        finishedAt: new Date(),
      })),
    );
  }
  const ids: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const [row] = await db
      .insert(findings)
      .values({
        runId: run!.id,
        store: spec.store,
        storeKind: spec.storeKind,
        processingActivityId: activityOf[spec.storeKind],
        ref: `r/${i}`,
        role: spec.role ?? "subject",
        flags: spec.flags ?? [],
        unproven: spec.matched ? !spec.matched.proven : false,
        matched: spec.matched ?? { kind: "email", value: EMAIL, recordValue: EMAIL, proven: true },
        recordedAt: spec.recordedAt ?? new Date("2026-10-01T10:00:00Z"),
        content: spec.content,
        contentHash: contentHashOf(spec.content),
      })
      .returning({ id: findings.id });
    ids.push(row!.id);
  }
  // A store not searched completely: the DPO records why the person is answered without it (issue 16).
  if (allJobs.some((j) => j.status === "failed" || j.partial || (j.problems?.length ?? 0) > 0)) {
    await recordUnsearchedReason(
      db,
      dpo,
      request!.id,
      "Der Bestand war nicht erreichbar; die Auskunft geht ohne ihn.",
    );
  }
  const round = await openReview(db, handler, request!.id);
  for (const [i, spec] of specs.entries())
    await decide(db, handler, request!.id, round.id, [ids[i]!], spec.decision);
  await propose(db, handler, request!.id, round.id);
  await approve(db, dpo, request!.id, round.id);
  return { requestId: request!.id, reference, findingIds: ids };
}

/**
 * The letter of a case as the person reads it. The answer's input comes from the workflow
 * (answerInputFor) with the review's facts (letterFactsOf), as the delivery composes it.
 */
async function letterOf(requestId: string, lang: "de" | "en" = "de"): Promise<string> {
  const db = services.database.db;
  const input = await answerInputFor(db, requestId, new Date("2026-11-20T10:00:00Z"), PUBLIC_URL);
  const facts = await letterFactsOf(db, requestId, lang);
  const pdf = await renderAccessLetter({ ...input!, facts: facts! });
  return letterText(pdf);
}

const de = answerTexts("de").letter;
const web = (i: number): Spec => ({
  store: "web-tsr",
  storeKind: "nginx-access-log",
  content: { raw: `198.51.100.${i} - - [01/Oct/2026:12:00:00 +0200] "GET / HTTP/1.1" 200 512`, status: 200 },
  matched: { kind: "ip", value: `198.51.100.${i}`, recordValue: `198.51.100.${i}`, proven: true },
  decision: { decision: "release" },
});
const lookedUpBy = (behoerde: string, sicherheitsbehoerde = false): Record<string, unknown> => ({
  id: Math.floor(Math.random() * 1e6),
  behoerde,
  sicherheitsbehoerde,
  auskunftssperre: false,
  suchkriterien: { familienname: "Muster", vorname: "Erika", geburtsdatum: "1980-01-01" },
});
const personMatch = { kind: "name", value: "Erika Muster", recordValue: "Erika Muster", proven: true };

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
});
afterAll(async () => {
  await close();
});

describe("§ 21(4) ThürDSG: reasons left out", () => {
  const internal = "Abfrage des Landesamts für Verfassungsschutz, Zustimmung am 3. März verweigert.";
  const forPerson = "Dieser Text darf im Schreiben nicht erscheinen.";

  it("names neither the ground nor any reviewer's text, nor the activity or the authority, and points to the TLfDI", async () => {
    const c = await reviewedCase([
      web(1),
      {
        store: "abrufprotokolle",
        storeKind: "retrieval-protocol-db",
        role: "looked-up",
        matched: personMatch,
        content: lookedUpBy("Landesamt für Verfassungsschutz Thüringen", true),
        decision: {
          decision: "withhold",
          groundId: "authority-consent",
          reasoning: internal,
          personReasons: forPerson,
          reviewOn: inAYear(),
          omitReasons: true,
        },
      },
    ]);
    const letter = await letterOf(c.requestId);
    for (const leak of [
      "21 Abs. 3",
      "Abs. 1 Nr.",
      internal,
      forPerson,
      "Verfassungsschutz",
      "Sicherheitsbehörde",
      processingActivityById["retrieval-protocol"].name.de,
      "Abrufprotokolle",
    ]) {
      expect(letter, leak).not.toContain(leak);
    }
    expect(letter).toContain(flat(de.restrictions.omitted));
    // § 21(5): the person's right to demand the TLfDI's check, and where (the case page's button), not "if the TLfDI asks".
    expect(letter.replace(/ /g, "")).toContain(
      de.restrictions
        .tlfdiRight(supervisoryAuthority.name.de, `${PUBLIC_URL}/vorgang/${c.reference}`)
        .replace(/\s/g, ""),
    );
    expect(letter).not.toContain("Verlangt sie es");
    expect(letter).toContain("Verwaltungsgericht Weimar");
    // The file keeps the internal reasoning for the TLfDI; no text for the person was kept.
    const [decision] = await services.database.db
      .select()
      .from(findingDecisions)
      .where(eq(findingDecisions.findingId, c.findingIds[1]!));
    expect(decision).toMatchObject({ reasoning: internal, personReasons: null, omitReasons: true });
  });

  it("gives the person's text and the ground where the reasons are given, never the internal reasoning", async () => {
    const c = await reviewedCase([
      web(2),
      {
        store: "abrufprotokolle",
        storeKind: "retrieval-protocol-db",
        role: "looked-up",
        matched: personMatch,
        content: lookedUpBy("Polizeiinspektion Erfurt-Nord", true),
        decision: {
          decision: "withhold",
          groundId: "authority-consent",
          reasoning: "Intern: PI Erfurt-Nord, Az. 123/26, Rückruf bei KHK Meier.",
          personReasons:
            "Die Behörde, an die die Daten übermittelt wurden, hat der Auskunft noch nicht zugestimmt.",
          reviewOn: inAYear(),
          omitReasons: false,
        },
      },
      {
        store: "mail-support",
        storeKind: "maildir",
        content: { subject: "Anfrage", from: EMAIL },
        decision: {
          decision: "withhold",
          groundId: "secrecy",
          reasoning: "Intern: Rechte der Kollegin Schulz überwiegen.",
          reviewOn: inAYear(),
          omitReasons: false,
        },
      },
    ]);
    const letter = await letterOf(c.requestId);
    expect(letter).toContain(
      "Die Behörde, an die die Daten übermittelt wurden, hat der Auskunft noch nicht zugestimmt.",
    );
    expect(letter).toContain("§ 21 Abs. 3 ThürDSG");
    // Without a text for the person: the statute's reason, not the internal reasoning.
    expect(letter).toContain(flat(answerTexts("de").groundReasons.secrecy));
    for (const internalText of ["Intern:", "KHK Meier", "Schulz"]) expect(letter).not.toContain(internalText);
    // A withheld record names no recipient.
    expect(letter).not.toContain("Polizeiinspektion");
    expect(letter).toContain("Verwaltungsgericht Weimar, Jenaer Straße 2a, 99425 Weimar");
  });
});

describe("no false statement of absence", () => {
  it("says nothing was found only where every store was searched and nothing withheld", async () => {
    const c = await reviewedCase([], [{ store: "web-tsr" }, { store: "telefon" }]);
    const letter = await letterOf(c.requestId);
    expect(letter).toContain(flat(de.confirmation.no));
    expect(letter).toContain("Wir haben alle Systeme");
  });

  it("uses the neutral wording where the only data are withheld under an information block", async () => {
    const c = await reviewedCase([
      {
        store: "abrufprotokolle",
        storeKind: "retrieval-protocol-db",
        role: "looked-up",
        matched: personMatch,
        content: { ...lookedUpBy("Stadtverwaltung Weimar"), auskunftssperre: true },
        decision: {
          decision: "withhold",
          groundId: "information-block",
          reasoning: "Auskunftssperre nach § 51 BMG eingetragen.",
          reviewOn: inAYear(),
          omitReasons: true,
        },
      },
    ]);
    const letter = await letterOf(c.requestId);
    expect(letter).toContain(flat(de.confirmation.none));
    for (const s of [
      "Nein.",
      "nichts gefunden",
      "Einschränkungen der Auskunft",
      "Auskunftssperre",
      "Stadtverwaltung Weimar",
      "Abrufprotokolle",
    ])
      expect(letter, s).not.toContain(s);
  });

  it("does not claim completeness where released data sit beside silently withheld data", async () => {
    const c = await reviewedCase([
      web(3),
      {
        ...web(4),
        decision: {
          decision: "withhold",
          groundId: "information-block",
          reasoning: "Auskunftssperre nach § 51 BMG.",
          reviewOn: inAYear(),
          omitReasons: true,
        },
      },
    ]);
    const letter = await letterOf(c.requestId);
    expect(letter).toContain(flat(de.confirmation.releasedNeutral(1)));
    expect(letter).not.toContain("vollständig in Kopie");
  });

  it("says which stores were not searched completely, and then claims neither 'all searched' nor 'nothing found'", async () => {
    const c = await reviewedCase(
      [],
      [
        { store: "web-tsr" },
        { store: "telefon", status: "failed" },
        { store: "mail-support", partial: true },
        { store: "viskompakt", problems: [{ where: "scan-17.pdf", reason: "unreadable", unsearched: true }] },
      ],
    );
    const letter = await letterOf(c.requestId);
    expect(letter).toContain("Nicht vollständig durchsuchen konnten wir: mail-support, telefon, viskompakt.");
    expect(letter).toContain(flat(de.confirmation.none));
    expect(letter).not.toContain("alle Systeme");
    expect(letter).not.toContain("nichts gefunden");
  });

  it("tells the person that records under unproven identifiers may exist and how to prove each kind", async () => {
    const c = await reviewedCase([
      {
        ...web(5),
        store: "mail-support",
        storeKind: "maildir",
        content: { subject: "Hallo", from: "e.muster@example.net" },
        matched: {
          kind: "email",
          value: "e.muster@example.net",
          recordValue: "e.muster@example.net",
          proven: false,
        },
        decision: {
          decision: "withhold",
          groundId: "identity-unconfirmed",
          reasoning: "Adresse nicht bestätigt.",
          reviewOn: inAYear(),
          omitReasons: false,
        },
      },
      {
        ...web(6),
        store: "telefon",
        storeKind: "call-records-csv",
        content: { caller: "+493615550199", duration: "30" },
        matched: { kind: "phone", value: "+493615550199", recordValue: "+493615550199", proven: false },
        decision: {
          decision: "withhold",
          groundId: "identity-unconfirmed",
          reasoning: "Nummer nicht bestätigt.",
          reviewOn: inAYear(),
          omitReasons: false,
        },
      },
    ]);
    const letter = await letterOf(c.requestId);
    expect(letter).toContain(flat(de.unproven.intro("E-Mail-Adresse, Telefonnummer")));
    // A link may break after "//": compared without spaces.
    expect(letter.replace(/ /g, "")).toContain(
      de.unproven.email(`${PUBLIC_URL}/vorgang/${c.reference}`).replace(/ /g, ""),
    );
    expect(letter).toContain(flat(de.unproven.other("Telefonnummer")));
    expect(letter).toContain(flat(de.confirmation.none));
    // The unproven values themselves are not repeated: the person knows what they gave.
    expect(letter).not.toContain("e.muster@example.net");
    expect(letter).not.toContain("nichts gefunden");
  });
});

describe("recipients as the records show them (Art. 15(1)(c), 15(2))", () => {
  it("names the authority that looked the person up and the addressee of a forwarded ticket, not the person's own address, and says there are no third-country transfers", async () => {
    const c = await reviewedCase([
      {
        store: "abrufprotokolle",
        storeKind: "retrieval-protocol-db",
        role: "looked-up",
        matched: personMatch,
        content: lookedUpBy("Landratsamt Gotha, Ordnungsamt"),
        decision: { decision: "release" },
      },
      // The official who ran a look-up: their own authority received none of their data.
      {
        store: "abrufprotokolle",
        storeKind: "retrieval-protocol-db",
        role: "requester",
        content: lookedUpBy("Stadtverwaltung Sömmerda"),
        decision: { decision: "release" },
      },
      {
        store: "servicedesk",
        storeKind: "servicedesk-db",
        role: "customer",
        content: {
          table: "article",
          sender_type: "agent",
          internal: false,
          from_addr: "support@tlrz.example",
          to_addr: "Fachamt <fachamt@stadt-erfurt.example>",
          subject: "Weiterleitung",
        },
        decision: { decision: "release" },
      },
      {
        store: "servicedesk",
        storeKind: "servicedesk-db",
        role: "customer",
        content: {
          table: "article",
          sender_type: "agent",
          internal: false,
          from_addr: "support@tlrz.example",
          to_addr: `Erika Muster <${EMAIL}>`,
          subject: "Antwort",
        },
        decision: { decision: "release" },
      },
    ]);
    const letter = await letterOf(c.requestId);
    expect(letter).toContain(`${de.activities.namedRecipients} Landratsamt Gotha, Ordnungsamt`);
    expect(letter).toContain("Fachamt <fachamt@stadt-erfurt.example>");
    expect(letter).not.toContain("Stadtverwaltung Sömmerda");
    expect(letter.split(de.activities.namedRecipients).slice(1).join(" ")).not.toContain(EMAIL);
    expect(letter).toContain(flat(de.activities.thirdCountries));
  });
});

describe("a request filed for someone else (issue 14 point 9)", () => {
  const REP_EMAIL = "kanzlei.schmidt@example.org";
  const maildir = (i: number): Spec => ({
    store: "mail-support",
    storeKind: "maildir",
    content: { subject: `Anfrage ${i}`, from: "max.muster@example.net" },
    matched: {
      kind: "email",
      value: "max.muster@example.net",
      recordValue: "max.muster@example.net",
      proven: true,
    },
    decision: { decision: "release" },
    recordedAt: new Date("2026-11-01T10:00:00Z"),
  });

  async function representedCase(role: "authorised" | "parent", birthDate: string) {
    const c = await reviewedCase([maildir(1)], [], "de", REP_EMAIL);
    const db = services.database.db;
    await db.insert(requestIdentifiers).values([
      { requestId: c.requestId, kind: "name", value: "Max Muster", normalized: "max muster" },
      { requestId: c.requestId, kind: "birth-date", value: birthDate, normalized: birthDate },
    ]);
    await recordRepresentation(db, c.requestId, {
      role,
      name: "Dr. Anna Schmidt",
      postalAddress: "Kanzlei Schmidt\nAnger 5\n99084 Erfurt",
      phone: null,
    });
    return c;
  }

  it("is not released before staff confirmed the authority; the check keeps no copy; the letter goes to the representative and names both", async () => {
    const db = services.database.db;
    const c = await representedCase("authorised", "1950-05-05");
    expect(await releaseAnswer(db, dpo, c.requestId, services.config)).toEqual({
      ok: false,
      reason: "authority-unconfirmed",
    });

    // A birth certificate proves no power of attorney; a "not proven" check keeps the answer back.
    expect(
      await recordAuthorityCheck(services, {
        staffId: handler.id,
        requestId: c.requestId,
        documentKind: "birth-certificate",
        result: "confirmed",
        deleteCopyIds: [],
      }),
    ).toEqual({
      ok: false,
      reason: "document-not-accepted",
    });
    expect(
      await recordAuthorityCheck(services, {
        staffId: handler.id,
        requestId: c.requestId,
        documentKind: "power-of-attorney",
        result: "rejected",
        deleteCopyIds: [],
      }),
    ).toEqual({ ok: true });
    expect((await releaseAnswer(db, dpo, c.requestId, services.config)).ok).toBe(false);

    const copy = await withStagedDocument(services, new Blob(["%PDF-1.4 "]), (staged) =>
      db.transaction(async (tx) => {
        await staged!.place(tx);
        const [row] = await tx
          .insert(attachments)
          .values({
            requestId: c.requestId,
            fileName: "vollmacht.pdf",
            contentType: "application/pdf",
            size: staged!.size,
            sha256: staged!.sha256,
            uploadedBy: "message:x",
          })
          .returning({ id: attachments.id, sha256: attachments.sha256 });
        return row;
      }),
    );
    expect(existsSync(documentPath(services.config, copy!.sha256))).toBe(true);
    expect(
      await recordAuthorityCheck(services, {
        staffId: handler.id,
        requestId: c.requestId,
        documentKind: "power-of-attorney",
        result: "confirmed",
        deleteCopyIds: [copy!.id],
      }),
    ).toEqual({ ok: true });
    expect(await db.select().from(attachments).where(eq(attachments.requestId, c.requestId))).toHaveLength(0);
    // The copy's file is gone from disk with its row.
    expect(existsSync(documentPath(services.config, copy!.sha256))).toBe(false);
    const checks = await db
      .select()
      .from(representationChecks)
      .where(eq(representationChecks.requestId, c.requestId));
    expect(checks.map((k) => [k.staffId, k.documentKind, k.result, k.deletedCopies])).toEqual(
      expect.arrayContaining([
        [handler.id, "power-of-attorney", "rejected", 0],
        [handler.id, "power-of-attorney", "confirmed", 1],
      ]),
    );
    const events = await db.select().from(auditEvents).where(eq(auditEvents.requestId, c.requestId));
    const checked = events.filter((e) => e.action === "representation.checked");
    expect(checked).toHaveLength(2);
    // Who, what kind, which result — never a name.
    expect(JSON.stringify(checked.map((e) => e.data))).not.toContain("Schmidt");

    expect((await releaseAnswer(db, dpo, c.requestId, services.config)).ok).toBe(true);
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.requestId, c.requestId));
    expect(mails.map((m) => m.to)).toEqual([REP_EMAIL]);

    const letter = await letterOf(c.requestId);
    const r = de.representation;
    expect(letter).toContain("Dr. Anna Schmidt Kanzlei Schmidt Anger 5 99084 Erfurt");
    expect(letter).toContain(flat(r.subject("Max Muster")));
    expect(letter).toContain(flat(r.intro(r.roles.authorised, "Max Muster")));
    expect(letter).toContain("Ihr Antrag als Bevollmächtigte/r für Max Muster");
    expect(letter).toContain(`${r.dataSubject} Max Muster`);
    expect(letter).toContain(flat(de.salutation("Dr. Anna Schmidt")));
  });

  it("takes only the child's own power of attorney for a child of 16 or older", async () => {
    const sixteen = new Date();
    const birth = `${sixteen.getUTCFullYear() - 17}-01-01`;
    const c = await representedCase("parent", birth);
    expect(
      await recordAuthorityCheck(services, {
        staffId: handler.id,
        requestId: c.requestId,
        documentKind: "birth-certificate",
        result: "confirmed",
        deleteCopyIds: [],
      }),
    ).toEqual({
      ok: false,
      reason: "document-not-accepted",
    });
    const young = await representedCase("parent", `${sixteen.getUTCFullYear() - 10}-01-01`);
    expect(
      await recordAuthorityCheck(services, {
        staffId: handler.id,
        requestId: young.requestId,
        documentKind: "birth-certificate",
        result: "confirmed",
        deleteCopyIds: [],
      }),
    ).toEqual({ ok: true });
    const letter = await letterOf(young.requestId);
    expect(letter).toContain("Ihr Antrag als Sorgeberechtigte/r für Max Muster");
  });
});

describe("retention the letter states is retention the data show (issue 14 point 10)", () => {
  const poststelle = (day: string, flags: string[] = []): Spec => ({
    store: "mail-poststelle",
    storeKind: "maildir",
    content: { subject: `Brief vom ${day}`, from: EMAIL },
    decision: { decision: "release" },
    recordedAt: new Date(`${day}T10:00:00Z`),
    flags,
  });

  it("says where delivered mails are older than the 8 weeks it states, and that they are overdue for deletion", async () => {
    const c = await reviewedCase([
      poststelle("2026-07-14"),
      poststelle("2026-07-20"),
      poststelle("2026-11-10"),
    ]);
    const letter = await letterOf(c.requestId);
    // The rule as configured is stated, and beside it the truth about the copy.
    expect(letter).toContain("E-Mails im Postfach der Poststelle: 8 Wochen nach der Entstehung");
    expect(letter).toContain(
      flat(de.activities.overdue("E-Mail-Postfächer (mail-poststelle)", 2, "14. Juli 2026")),
    );
    expect(letter).toContain("zur Löschung überfällig");
  });

  it("says nothing of the kind where every delivered record is within its period, and calls held records restricted", async () => {
    const fresh = await reviewedCase([poststelle("2026-11-10")]);
    expect(await letterOf(fresh.requestId)).not.toContain("älter, als diese Speicherdauer erlaubt");
    const held = await reviewedCase([poststelle("2026-07-14", ["legal-hold"])]);
    const letter = await letterOf(held.requestId);
    expect(letter).toContain(flat(de.activities.held("E-Mail-Postfächer (mail-poststelle)", 1)));
    expect(letter).not.toContain("überfällig");
  });
});
