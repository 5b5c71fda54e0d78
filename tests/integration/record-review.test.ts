/**
 * Records a reviewer can read and decide on, with the cast of the "as found in the wild" sample
 * (app/sources/sample/messy): every store kind's record as labelled fields in German and English;
 * redaction suggestions that name the other people in a record and never the person's own data;
 * redaction chosen by ticking a record's fields through the case page's own action (a forged field
 * refused with 400), the released copy without them; rectification by a field picked from a list.
 * The source stores and the portal run on PGlite, or on PostgreSQL when DATABASE_URL is set.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingActions, findingDecisions, findings, gatherRuns, requests, reviewRounds } from "#db/schema";
import { emailMailboxKey, extractEmailKeys } from "#app/core/identifiers";
import type { RoleId } from "#app/core/permissions";
import { suggestFor } from "#app/core/suggestions";
import { messagesFor, type Lang } from "#app/i18n";
import * as umsetzung from "#app/routes/intern/umsetzung";
import * as vorgang from "#app/routes/intern/vorgang";
import { recordFields } from "#app/server/answers/record-fields";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { answerInputFor } from "#app/server/delivery/answer-input.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import type { Finding, JsonObject } from "#app/sources/connector";
import { subjectFromKey } from "#app/sources/sample/answer-key";
import { MESSY_CAST } from "#app/sources/sample/messy/cast";
import { outcome, post, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";
import { renderedPage } from "../support/rendered-page";
import { type SampleFixture, sampleFixture } from "../sources/fixture";

let sample: SampleFixture;
let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
let dpo: StaffIdentity;
let handlerCookie: string;
let dpoCookie: string;
/** What each cast member's search finds in every store of the sample. */
const found = new Map<string, Finding[]>();

async function findAll(who: keyof typeof MESSY_CAST): Promise<Finding[]> {
  const person = sample.key.persons.find((p) => p.id === MESSY_CAST[who].id)!;
  const all: Finding[] = [];
  for (const connector of sample.registry.connectors.values())
    for await (const f of connector.find(subjectFromKey(person))) all.push(f);
  return all;
}

const staff = (userName: string, role: RoleId) => createStaff(services.database.db, userName, role, userName);

beforeAll(async () => {
  sample = await sampleFixture({ messy: true, people: 12, days: 3, seed: "record-review" });
  for (const who of ["joerg", "anna", "renate"] as const) found.set(who, await findAll(who));
  ({ services, close } = await createTestServices());
  handler = await staff("handler", "case-handler");
  dpo = await staff("dpo", "dpo");
  handlerCookie = await staffSessionCookie(services, handler.id);
  dpoCookie = await staffSessionCookie(services, dpo.id);
}, 300_000);

afterAll(async () => {
  await close?.();
  await sample?.cleanup();
});

const cast = (who: string) => found.get(who)!;
const byRef = (who: string, ref: string) => cast(who).find((f) => f.ref === ref)!;
const mailWhere = (who: string, test: (c: JsonObject) => boolean) =>
  cast(who).find((f) => f.storeKind === "maildir" && test(f.content))!;
/** A ticket article of the person's whose sender or addressees match. */
const articleWhere = (who: string, test: (c: JsonObject) => boolean) =>
  cast(who).find(
    (f) => f.storeKind === "servicedesk-db" && f.content.table === "article" && test(f.content),
  )!;
/** Jörg looked up by Renate Kühn-Ößwald: the same log entry is his (looked up) and hers (requester). */
const renatesLookup = () =>
  cast("joerg").find(
    (f) =>
      f.storeKind === "retrieval-protocol-db" &&
      valueAt(f.content, "sachbearbeiter.familienname") === "Kühn-Ößwald",
  )!;
const redactSuggestion = (f: Finding) => suggestFor(f).find((s) => s.action === "redact")?.fields ?? [];

function valueAt(content: JsonObject, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
      content,
    );
}

describe("records as labelled fields", () => {
  const formatTime = (lang: Lang) => (at: Date) => messagesFor(lang).journey.formatDateTime(at);
  const fieldsOf = (f: Finding, lang: Lang) =>
    new Map(
      recordFields(f.storeKind, f.content, lang, formatTime(lang)).map((field) => [field.label, field]),
    );

  it("gives every member of every store kind's record a label in German and in English, never its internal name", () => {
    const kinds = new Set(cast("joerg").map((f) => f.storeKind));
    expect([...kinds].sort()).toEqual([
      "call-records-csv",
      "login-jsonl",
      "maildir",
      "nginx-access-log",
      "records-management",
      "retrieval-protocol-db",
      "servicedesk-db",
    ]);
    for (const f of [...cast("joerg"), ...cast("anna"), ...cast("renate")]) {
      for (const lang of ["de", "en"] as const) {
        const fields = recordFields(f.storeKind, f.content, lang, formatTime(lang));
        expect(fields.map((field) => field.path).sort()).toEqual(Object.keys(f.content).sort());
        for (const field of fields) {
          expect(field.label, `${f.storeKind} ${field.path} (${lang})`).not.toBe(field.path);
          for (const member of field.members)
            expect(member.label, `${f.storeKind} ${field.path} member`).not.toMatch(/^[a-z]+[A-Z_]/);
        }
        // The raw line, where there is one, comes last.
        if ("raw" in f.content) expect(fields.at(-1)!.path).toBe("raw");
      }
    }
  });

  it("labels a mail's sender, recipients, subject and time in the staff's language", () => {
    const mail = mailWhere("joerg", (c) => String(c.from).startsWith("Anna"));
    const de = fieldsOf(mail, "de");
    const en = fieldsOf(mail, "en");
    expect(de.get("Absender")!.text).toBe(mail.content.from);
    expect(en.get("Sender")!.text).toBe(mail.content.from);
    expect(de.get("Empfänger")!.items.map((i) => i.path)).toEqual(["to.0"]);
    expect(en.get("Copy to (Cc)")!.items).toEqual([
      { path: "cc.0", label: "Copy to (Cc) 1", text: "mailto:joerg@müller-bau.example" },
    ]);
    expect(de.get("Betreff")!.text).toBe("Kennwort vergessen");
    expect(en.get("Subject")!.text).toBe("Kennwort vergessen");
    expect(de.get("Zeit")!.text).toBe(messagesFor("de").journey.formatDateTime(String(mail.content.date)));
    expect(de.get("Zeit")!.text).toMatch(/ Uhr$/);
    expect(en.get("Time")!.text).toMatch(/\(German time\)$/);
  });

  it("labels a web log's request line, a login, a call, a ticket article, a document and a retrieval with its authority and hits", () => {
    const web = cast("joerg").find((f) => f.storeKind === "nginx-access-log")!;
    expect(fieldsOf(web, "de").get("Anfragezeile")!.text).toBe(web.content.request);
    expect(fieldsOf(web, "en").get("Request line")!.text).toBe(web.content.request);
    expect(
      fieldsOf(web, "en").get("Raw data (line as stored)")!.block || String(web.content.raw).length <= 160,
    ).toBe(true);

    const login = cast("joerg").find((f) => f.storeKind === "login-jsonl")!;
    expect(fieldsOf(login, "de").get("Benutzername")!.text).toBe("jpmueller");
    expect(fieldsOf(login, "en").get("User name")!.text).toBe("jpmueller");

    const call = cast("anna").find((f) => f.storeKind === "call-records-csv")!;
    expect(fieldsOf(call, "de").get("Anrufende Nummer")!.text).toBe(call.content.caller);
    expect(fieldsOf(call, "en").get("Calling number")!.text).toBe(call.content.caller);

    const article = articleWhere(
      "joerg",
      (c) => c.sender_type === "customer" && String(c.cc_addr).includes("JOERG@"),
    );
    expect(fieldsOf(article, "de").get("Absender")!.text).toBe(article.content.from_addr);
    expect(fieldsOf(article, "en").get("Copy to (Cc)")!.text).toBe(article.content.cc_addr);

    const document = cast("joerg").find(
      (f) => f.storeKind === "records-management" && valueAt(f.content, "absender.ort") === "Erfurt",
    )!;
    expect(fieldsOf(document, "de").get("Absender")!.members).toContainEqual({
      label: "Ort",
      text: "Erfurt",
    });
    expect(fieldsOf(document, "en").get("Sender")!.members).toContainEqual({ label: "Town", text: "Erfurt" });
    expect(fieldsOf(document, "en").get("Subject")!.text).toBe(document.content.betreff);

    const retrieval = renatesLookup();
    expect(fieldsOf(retrieval, "de").get("Abrufende Behörde")!.text).toBe(retrieval.content.behoerde);
    expect(fieldsOf(retrieval, "en").get("Requesting authority")!.text).toBe(retrieval.content.behoerde);
    expect(fieldsOf(retrieval, "de").get("Treffer")!.text).toBe(String(retrieval.content.trefferanzahl));
    expect(fieldsOf(retrieval, "en").get("Hits")!.text).toBe(String(retrieval.content.trefferanzahl));
    expect(fieldsOf(retrieval, "de").get("Sachbearbeitung (abrufende Person)")!.members).toContainEqual({
      label: "Familienname",
      text: "Kühn-Ößwald",
    });
    expect(fieldsOf(retrieval, "en").get("Security authority")!.text).toBe("no");
  });
});

describe("redaction suggestions protect third parties", () => {
  /** The person's own addresses, as mailbox keys. */
  const own = (who: keyof typeof MESSY_CAST) => new Set([emailMailboxKey(MESSY_CAST[who].email)!]);

  it("for a mail where the person is only in Cc: the third-party sender, not the person's own address", () => {
    const mail = mailWhere("joerg", (c) => String(c.from).startsWith("Anna"));
    expect(mail.role).toBe("cc");
    expect(redactSuggestion(mail)).toEqual(["from"]);
  });

  it("for a sent copy naming the person in Bcc: the addressee, never the person; for the addressee, the person in Bcc", () => {
    const joergsCopy = mailWhere("joerg", (c) => Array.isArray(c.bcc) && c.bcc.length > 0);
    expect(redactSuggestion(joergsCopy)).toEqual(["to.0"]);
    const annasCopy = byRef("anna", joergsCopy.ref);
    expect(redactSuggestion(annasCopy)).toEqual(["bcc.0"]);
  });

  it("for a circular: its sender and every other addressee, leaving out the person's own entry", () => {
    const circular = mailWhere("joerg", (c) => Array.isArray(c.cc) && c.cc.length > 100);
    const cc = circular.content.cc as string[];
    const mine = cc.findIndex((entry) => extractEmailKeys(entry).some((key) => own("joerg").has(key)));
    expect(mine).toBeGreaterThan(100);
    const suggested = redactSuggestion(circular);
    expect(suggested[0]).toBe("from");
    expect(suggested).toHaveLength(1 + cc.length - 1);
    expect(suggested).not.toContain(`cc.${mine}`);
  });

  it("for tickets: the other people in an article, never the service centre's own side or the person", () => {
    expect(
      redactSuggestion(
        articleWhere("joerg", (c) => c.sender_type === "customer" && String(c.cc_addr).includes("JOERG@")),
      ),
    ).toEqual(["from_addr"]);
    const reply = articleWhere(
      "joerg",
      (c) => c.sender_type === "agent" && c.cc_addr === "Anna Müller <anna.mueller@example.net>",
    );
    expect(redactSuggestion(reply)).toEqual(["cc_addr"]);
    // Anna in Cc of the same article: Jörg, the addressee, is the other person for her.
    expect(redactSuggestion(byRef("anna", reply.ref))).toEqual(["to_addr"]);
  });

  it("for documents and retrievals: the further sender, the official or the person looked up", () => {
    const letter = cast("joerg").find(
      (f) => f.storeKind === "records-management" && "weitereAbsender" in f.content,
    )!;
    expect(redactSuggestion(letter)).toEqual(["weitereAbsender.0"]);
    expect(valueAt(letter.content, "weitereAbsender.0.vorname")).toBe("Anna");
    expect(redactSuggestion(renatesLookup())).toEqual(["sachbearbeiter", "anfrageXml"]);
    expect(redactSuggestion(byRef("renate", renatesLookup().ref))).toEqual([
      "suchkriterien",
      "anfrageXml",
      "antwortXml",
    ]);
  });

  it("never names a single entry that is the person's own address, across the whole cast", () => {
    for (const who of ["joerg", "anna", "renate"] as const) {
      for (const f of cast(who)) {
        for (const path of redactSuggestion(f)) {
          const value = valueAt(f.content, path);
          if (typeof value !== "string" || !/^(from|to|cc|bcc)(\.\d+)?$/.test(path)) continue;
          const keys = extractEmailKeys(value);
          expect(keys.length > 0 && keys.every((key) => own(who).has(key)), `${who} ${f.ref} ${path}`).toBe(
            false,
          );
        }
      }
    }
  });

  it("flags an attachment named after another person of the mail, not one named after the person", () => {
    const mail = mailWhere("joerg", (c) => String(c.from).startsWith("Anna"));
    const content = {
      ...mail.content,
      attachments: [
        { filename: "Vollmacht Anna Müller.pdf", contentType: "application/pdf", size: 10 },
        { filename: "Widerspruch Dr. Jörg Müller.pdf", contentType: "application/pdf", size: 10 },
      ],
    };
    expect(redactSuggestion({ ...mail, content })).toEqual(["from", "attachments.0"]);
  });
});

describe("redaction and rectification chosen, not typed", () => {
  let requestId: string;
  let roundId: string;
  const ids = new Map<string, string>();

  /** A case whose gathering found these records of Jörg's, suggestions made by the real rules. */
  beforeAll(async () => {
    const db = services.database.db;
    const [request] = await db
      .insert(requests)
      .values({
        reference: "DSR-2025-977001",
        status: "review",
        kinds: ["auskunft", "berichtigung"],
        channel: "web",
        contactEmail: MESSY_CAST.joerg.email,
        receivedAt: new Date(),
        deadline: new Date(Date.now() + 30 * 86_400_000),
      })
      .returning();
    requestId = request!.id;
    const [run] = await db.insert(gatherRuns).values({ requestId, version: 1 }).returning();
    const chosen = [
      mailWhere("joerg", (c) => String(c.from).startsWith("Anna")),
      cast("joerg").find((f) => f.storeKind === "nginx-access-log")!,
      cast("joerg").find(
        (f) => f.storeKind === "records-management" && valueAt(f.content, "absender.ort") === "Erfurt",
      )!,
    ];
    const rows = await db
      .insert(findings)
      .values(
        chosen.map((f) => ({
          runId: run!.id,
          store: f.store,
          storeKind: f.storeKind,
          processingActivityId: f.processingActivityId,
          ref: f.ref,
          role: f.role ?? null,
          flags: f.flags,
          unproven: false,
          matched: { ...f.matchedIdentifier, proven: true },
          recordedAt: f.recordedAt,
          content: f.content,
          contentHash: contentHashOf(f.content),
          suggestions: suggestFor(f),
        })),
      )
      .returning({ id: findings.id, storeKind: findings.storeKind });
    for (const row of rows) ids.set(row.storeKind, row.id);
    expect(await act({ intent: "open-review" })).toMatchObject({ status: 302 });
    const [round] = await db.select().from(reviewRounds).where(eq(reviewRounds.runId, run!.id));
    roundId = round!.id;
  });

  const casePath = () => `/intern/vorgaenge/${requestId}`;
  const act = (fields: Record<string, string | string[]>, cookie = handlerCookie) =>
    outcome(() =>
      vorgang.action({
        request: post(casePath(), fields, cookie),
        params: { id: requestId },
        context: routeContext(services),
      } as never),
    );
  const redact = (findingId: string, fields: string[]) =>
    act({
      intent: "decide",
      roundId,
      scope: "checked",
      findingIds: [findingId],
      shown: [`${findingId}@undecided`],
      decision: "redact",
      groundId: "third-party-rights",
      reasoning: "Daten einer dritten Person.",
      fields,
    });

  it("shows the record as labelled fields with a tick per field, recipient and attachment, the stored record one click away", async () => {
    const loaded = await outcome(() =>
      vorgang.loader({
        request: new Request(`${testBase}${casePath()}`, { headers: { Cookie: handlerCookie } }),
        params: { id: requestId },
        context: routeContext(services),
      } as never),
    );
    const html = renderedPage(
      { id: "vorgang", path: "/intern/vorgaenge/:id", Component: vorgang.default },
      casePath(),
      { loaderData: loaded.data },
    );
    const mail = ids.get("maildir")!;
    expect(html).toContain(
      '<dt>Absender<span class="record-field__suggested"> (Vorschlag: schwärzen, Daten anderer)</span></dt>',
    );
    expect(html).toContain(`<input type="checkbox" id="rd-${mail}-from" name="fields" value="from"/>`);
    expect(html).toContain(`<input type="checkbox" id="rd-${mail}-cc.0" name="fields" value="cc.0"/>`);
    expect(html).toContain("<summary>Datensatz wie gespeichert (JSON)</summary>");
    expect(html).toContain("<dt>Anfragezeile</dt>");
    // The suggestion column names the field by its label, not its internal name.
    expect(html).toContain(" – Absender</li>");
    expect(html).not.toContain('name="fields" maxLength');
  });

  it("refuses a field the record does not have with 400 and a message, and decides nothing", async () => {
    const mail = ids.get("maildir")!;
    for (const forged of [["customer_phone"], ["cc.7"], ["from", "nope"]]) {
      expect(await redact(mail, forged)).toMatchObject({ status: 400, data: { error: "unknown-field" } });
    }
    expect(messagesFor("de").staff.case.errors["unknown-field"]).toMatch(/angekreuztes Feld/);
    expect(messagesFor("en").staff.case.errors["unknown-field"]).toMatch(/ticked field/);
    expect(
      await services.database.db.select().from(findingDecisions).where(eq(findingDecisions.roundId, roundId)),
    ).toEqual([]);
  });

  it("releases the copy without the ticked fields, and a log line without its raw text", async () => {
    const db = services.database.db;
    expect(await redact(ids.get("maildir")!, ["from"])).toMatchObject({ status: 302 });
    expect(await redact(ids.get("nginx-access-log")!, ["remoteAddr", "forwardedFor.0"])).toMatchObject({
      status: 302,
    });
    const document = ids.get("records-management")!;
    expect(
      await act({
        intent: "decide",
        roundId,
        scope: "checked",
        findingIds: [document],
        shown: [`${document}@undecided`],
        decision: "release",
      }),
    ).toMatchObject({ status: 302 });
    expect(await act({ intent: "propose", roundId })).toMatchObject({ status: 302 });
    expect(await act({ intent: "approve", roundId }, dpoCookie)).toMatchObject({ status: 302 });
    const answer = await answerInputFor(db, requestId, new Date());
    const released = new Map<string, JsonObject>();
    for await (const f of answer!.released.list())
      released.set(f.storeKind, { ...f.content, redactions: f.redactions.map((r) => r.field) });
    const mail = released.get("maildir")!;
    expect(mail.from).toBeNull();
    expect(mail.cc).toEqual(["mailto:joerg@müller-bau.example"]);
    expect(mail.redactions).toEqual(["from"]);
    const web = released.get("nginx-access-log")!;
    expect(web.remoteAddr).toBeNull();
    expect((web.forwardedFor as unknown[])[0]).toBeNull();
    expect(web.raw).toBeNull();
    expect(web.redactions).toEqual(["remoteAddr", "forwardedFor.0", "raw"]);
    expect(released.get("records-management")!.redactions).toEqual([]);
  });

  it("rectifies a field picked from the record's list and refuses one the store cannot change", async () => {
    const callExecution = (fields: Record<string, string>) =>
      outcome(() =>
        umsetzung.action({
          request: post(`${casePath()}/umsetzung`, fields, handlerCookie),
          params: { id: requestId },
          context: routeContext(services),
        } as never),
      );
    const loaded = await outcome(() =>
      umsetzung.loader({
        request: new Request(`${testBase}${casePath()}/umsetzung`, { headers: { Cookie: handlerCookie } }),
        params: { id: requestId },
        context: routeContext(services),
      } as never),
    );
    const html = renderedPage(
      { id: "umsetzung", path: "/intern/vorgaenge/:id/umsetzung", Component: umsetzung.default },
      `${casePath()}/umsetzung`,
      { loaderData: loaded.data },
    );
    const document = ids.get("records-management")!;
    const mail = ids.get("maildir")!;
    expect(html).toContain(`<option value="${document}:ort">Ort (bisher: Erfurt)</option>`);
    expect(html).toContain(
      `<option value="${mail}:">keine Änderung im System, nur eine ergänzende Erklärung</option>`,
    );
    expect(html).not.toContain(`value="${mail}:from"`);
    expect(html).not.toContain('name="field"');

    expect(
      await callExecution({ intent: "rectify", target: `${mail}:from`, value: "x@example.org" }),
    ).toMatchObject({ status: 400, data: { error: "unknown-field" } });
    expect(
      await callExecution({ intent: "rectify", target: `${document}:ort`, value: "Weimar" }),
    ).toMatchObject({ status: 302 });
    const actions = await services.database.db
      .select()
      .from(findingActions)
      .where(eq(findingActions.requestId, requestId));
    expect(actions).toEqual([
      expect.objectContaining({
        findingId: document,
        action: "rectify",
        changes: { ort: "Weimar" },
        status: "proposed",
      }),
    ]);
  });
});
