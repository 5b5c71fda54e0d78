import { and, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  complaints,
  findingDecisions,
  findings,
  gatherRuns,
  mailOutbox,
  requests,
  reviewRounds,
} from "#db/schema";
import type { RoleId } from "#app/core/permissions";
import { verifyAuditChain } from "#app/server/audit.server";
import { recordComplaintDeliveries } from "#app/server/complaints/delivery.server";
import { produceTlfdiRecord } from "#app/server/complaints/tlfdi-record.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import type { Services } from "#app/server/services.server";
import * as bestaetigen from "#app/routes/bestaetigen";
import * as vorgangBeschwerde from "#app/routes/vorgang-beschwerde";
import * as vorgangDetail from "#app/routes/vorgang-detail";
import type { ComplaintOutcome } from "#app/routes/vorgang/complaint.server";
import { flat, hasPdftotext, pdfText } from "../support/pdf-text";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";
import { type TestSmtp, codeIn, recipients, startTestSmtp } from "../support/smtp";
import { fileRequest, outcome, post, routeContext, testBase } from "../support/route-calls";

/**
 * Complaints to the supervisory authority through the route modules, delivered by the outbox job
 * over SMTP to a real server started here, and read back with mailparser.
 */
const AUTHORITY = "beschwerden@tlfdi.test";
const base = testBase;
let smtp: TestSmtp;
let services: Services;
let close: () => Promise<void>;
beforeAll(async () => {
  smtp = await startTestSmtp();
  ({ services, close } = await createTestServices({
    RUN_WORKERS: "true",
    DEMO_MODE: "false",
    SMTP_URL: smtp.url,
    SESSION_SECRET: "complaints-test-secret-complaints-test",
    PUBLIC_URL: base,
    TLFDI_COMPLAINT_ADDRESS: AUTHORITY,
  }));
});

afterAll(async () => {
  await close?.();
  await smtp?.close();
});

const context = () => routeContext(services);

/** Files and proves a request; returns the case reference and the person's session cookie. */
async function provenCase(email: string, fields: Record<string, string | string[]> = {}, art = "auskunft") {
  const filed = await fileRequest(services, email, fields, art);
  expect(filed.status).toBe(302);
  const mail = await smtp.waitFor(
    (m) => recipients(m).includes(email) && (m.text ?? "").includes(filed.requestId!),
  );
  const proven = await outcome(() =>
    bestaetigen.action({
      request: post(`/bestaetigen?antrag=${filed.requestId}`, { intent: "confirm", code: codeIn(mail) }),
      params: {},
      context: context(),
    } as never),
  );
  expect(proven.status).toBe(302);
  const reference = /\/vorgang\/(DSR-\d{4}-\d{6})/.exec(proven.location ?? "")![1]!;
  return { reference, cookie: proven.cookie!, requestId: filed.requestId! };
}

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

function complain(
  reference: string,
  cookie: string,
  fields: Record<string, string>,
  files: { content: Buffer; name: string }[] = [],
  query = "",
) {
  const body = new FormData();
  body.set("website", "");
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  for (const file of files) body.append("files", new Blob([new Uint8Array(file.content)]), file.name);
  const request = new Request(`${base}/vorgang/${reference}/beschwerde${query}`, {
    method: "POST",
    body,
    headers: { Cookie: cookie },
  });
  return outcome(() =>
    vorgangBeschwerde.action({ request, params: { referenz: reference }, context: context() } as never),
  );
}

function pdfAttachment(mail: ParsedMail, fileName: string) {
  const attachment = mail.attachments.find((a) => a.filename === fileName);
  expect(attachment, `attachment ${fileName}`).toBeDefined();
  expect(attachment!.contentType).toBe("application/pdf");
  const bytes = attachment!.content.toString("latin1");
  expect(bytes.startsWith("%PDF-")).toBe(true);
  expect(bytes).toMatch(/DejaVuSans/);
  return attachment!;
}

/** pdftotext (poppler) reads the PDFs as a recipient would; where it is missing only the structure is checked. */
function readText(content: Buffer): string | null {
  return hasPdftotext ? flat(pdfText(content)) : null;
}

const toAuthority = (reference: string) => (m: ParsedMail) =>
  recipients(m).includes(AUTHORITY) && (m.subject ?? "").includes(reference);

describe("a complaint from a case page", () => {
  it("with the case file allowed: the letter, the case file, the case's documents and the person's file reach the authority; the person gets a copy", async () => {
    const email = "erika.beschwerde@example.org";
    const { reference, cookie, requestId } = await provenCase(email, { name: "Erika Beschwerde" });
    // A document the person added to the case earlier: part of the case file.
    const addBody = new FormData();
    addBody.set("intent", "add");
    addBody.set("text", "Nachweis");
    addBody.append("document", new Blob([new Uint8Array(png)]), "nachweis.png");
    const added = await outcome(() =>
      vorgangDetail.action({
        request: new Request(`${base}/vorgang/${reference}`, {
          method: "POST",
          body: addBody,
          headers: { Cookie: cookie },
        }),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(added.status).toBe(200);

    const sent = await complain(
      reference,
      cookie,
      { text: "Meine Auskunft ist unvollständig.", attachCaseFile: "yes" },
      [{ content: png, name: "screenshot.png" }],
    );
    expect(sent.status).toBe(302);
    expect(sent.location).toBe(`/vorgang/${reference}/beschwerde?gesendet=1`);

    const mail = await smtp.waitFor(toAuthority(reference));
    expect(mail.text).toContain(reference);
    expect(mail.text).toContain("zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln");
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual(
      [
        `Beschwerde-${reference}.pdf`,
        `Vorgangsakte-${reference}.pdf`,
        "nachweis.png",
        "screenshot.png",
      ].sort(),
    );
    const letter = readText(pdfAttachment(mail, `Beschwerde-${reference}.pdf`).content);
    const dossier = readText(pdfAttachment(mail, `Vorgangsakte-${reference}.pdf`).content);
    if (letter !== null && dossier !== null) {
      expect(letter).toContain("Meine Auskunft ist unvollständig.");
      expect(letter).toContain("Erika Beschwerde");
      expect(letter).toContain(email);
      expect(letter).toContain("Verlauf des Vorgangs");
      expect(letter).toContain("Sie haben Informationen nachgereicht");
      expect(letter).toContain("screenshot.png");
      expect(dossier).toContain(`Vorgangsakte ${reference}`);
      expect(dossier).toContain("nachweis.png");
      expect(dossier).toContain("Nachweis");
    }
    expect(mail.attachments.find((a) => a.filename === "screenshot.png")!.content.equals(png)).toBe(true);

    const copy = await smtp.waitFor(
      (m) => recipients(m).includes(email) && (m.subject ?? "").includes("Kopie und Bestätigung"),
    );
    expect(copy.text).toContain("Meine Auskunft ist unvollständig.");
    expect(copy.attachments.map((a) => a.filename).sort()).toEqual(
      [`Beschwerde-${reference}.pdf`, `Vorgangsakte-${reference}.pdf`].sort(),
    );

    // Recorded: which mail, when it was accepted and under which message id.
    const [complaint] = await services.database.db
      .select()
      .from(complaints)
      .where(eq(complaints.requestId, requestId));
    expect(complaint).toMatchObject({ attachCaseFile: true, text: "Meine Auskunft ist unvollständig." });
    await expect
      .poll(
        async () =>
          (
            await services.database.db
              .select()
              .from(mailOutbox)
              .where(eq(mailOutbox.id, complaint!.outboxId!))
          )[0]?.status,
      )
      .toBe("sent");
    const [outbox] = await services.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.id, complaint!.outboxId!));
    expect(outbox!.messageId).toBe(mail.messageId);
    // The worker's own job may have recorded the delivery already; either way it is recorded once.
    await recordComplaintDeliveries(services.database.db);
    expect(await recordComplaintDeliveries(services.database.db)).toBe(0);
    const events = await services.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, requestId));
    expect(events.filter((e) => e.action === "complaint.sent")).toHaveLength(1);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["complaint.forwarded", "complaint.sent"]),
    );
    expect(events.find((e) => e.action === "complaint.sent")!.data).toMatchObject({
      complaintId: complaint!.id,
      messageId: mail.messageId,
      to: AUTHORITY,
    });
    expect(await verifyAuditChain(services.database.db)).toMatchObject({ ok: true });

    // The person sees it: on the complaint page with its state, and on the case page as a message.
    const page = await outcome(() =>
      vorgangBeschwerde.loader({
        request: new Request(`${base}/vorgang/${reference}/beschwerde`, { headers: { Cookie: cookie } }),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(page.data).toMatchObject({
      complaints: [{ state: "sent", attachCaseFile: true, text: "Meine Auskunft ist unvollständig." }],
    });
    const casePage = await outcome(() =>
      vorgangDetail.loader({
        request: new Request(`${base}/vorgang/${reference}`, { headers: { Cookie: cookie } }),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    const messages = (casePage.data as { view: { messages: { direction: string; body: string }[] } }).view
      .messages;
    expect(
      messages.some(
        (m) => m.direction === "to-person" && m.body.includes("Meine Auskunft ist unvollständig."),
      ),
    ).toBe(true);

    // A second POST of the same complaint (reload, double click) forwards nothing new.
    const again = await complain(
      reference,
      cookie,
      { text: "Meine Auskunft ist unvollständig.", attachCaseFile: "yes" },
      [{ content: png, name: "screenshot.png" }],
    );
    expect(again.status).toBe(302);
    expect(
      await services.database.db.select().from(complaints).where(eq(complaints.requestId, requestId)),
    ).toHaveLength(1);
  });

  it("with the case file refused: only the letter and the person's own file go to the authority", async () => {
    const email = "max.beschwerde@example.org";
    const { reference, cookie } = await provenCase(email);
    const sent = await complain(
      reference,
      cookie,
      { text: "Sie haben meine Daten zu lange gespeichert.", attachCaseFile: "no" },
      [{ content: Buffer.from("%PDF-1.4\n%%EOF"), name: "beleg.pdf" }],
    );
    expect(sent.status).toBe(302);
    const mail = await smtp.waitFor(toAuthority(reference));
    expect(mail.text).toContain("nicht zugestimmt");
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual([
      `Beschwerde-${reference}.pdf`,
      "beleg.pdf",
    ]);
    const letter = readText(pdfAttachment(mail, `Beschwerde-${reference}.pdf`).content);
    if (letter !== null) {
      expect(letter).toContain("Sie haben meine Daten zu lange gespeichert.");
      expect(letter).toContain("nicht zugestimmt");
      expect(letter).not.toContain("Verlauf des Vorgangs");
    }
    const copy = await smtp.waitFor(
      (m) => recipients(m).includes(email) && (m.subject ?? "").includes("Kopie und Bestätigung"),
    );
    expect(copy.attachments.map((a) => a.filename)).toEqual([`Beschwerde-${reference}.pdf`]);
  });

  it("refuses bad input with the error at its field, keeps what was typed and sends nothing", async () => {
    const email = "bad.input@example.org";
    const { reference, cookie, requestId } = await provenCase(email);
    // Error keys of `complaints.errors`, which the page shows in the person's language.
    const refused = (result: { data?: unknown }) => (result.data as ComplaintOutcome).result;

    const noChoice = await complain(reference, cookie, { text: "Beschwerde ohne Wahl" });
    expect(noChoice.status).toBe(400);
    expect(refused(noChoice).error).toEqual({ attachCaseFile: ["choiceRequired"] });
    expect(refused(noChoice).initialValue).toMatchObject({ text: "Beschwerde ohne Wahl" });

    const noText = await complain(reference, cookie, { text: "   ", attachCaseFile: "no" });
    expect(noText.status).toBe(400);
    expect(refused(noText).error).toEqual({ text: ["textRequired"] });
    expect(refused(noText).initialValue).toMatchObject({ attachCaseFile: "no" });

    // Every problem at once: no text, no choice and a file that is no document.
    const allWrong = await complain(reference, cookie, { text: "" }, [
      { content: Buffer.from("MZ\x90\x00 not a document"), name: "tarnung.pdf" },
    ]);
    expect(allWrong.status).toBe(400);
    expect(refused(allWrong).error).toEqual({
      text: ["textRequired"],
      attachCaseFile: ["choiceRequired"],
      files: ["fileType"],
    });

    const wrongType = await complain(reference, cookie, { text: "Mit Datei", attachCaseFile: "no" }, [
      { content: Buffer.from("MZ\x90\x00 not a document"), name: "tarnung.pdf" },
    ]);
    expect(wrongType.status).toBe(415);
    expect(refused(wrongType).error).toEqual({ files: ["fileType"] });
    expect(refused(wrongType).initialValue).toMatchObject({ text: "Mit Datei", attachCaseFile: "no" });

    const big = Buffer.concat([png, Buffer.alloc(8 * 1024 * 1024 + 1)]);
    const tooLarge = await complain(
      reference,
      cookie,
      { text: "Mit großer Datei", attachCaseFile: "yes" },
      [{ content: big, name: "gross.png" }],
      "?lang=en",
    );
    expect(tooLarge.status).toBe(413);
    expect(refused(tooLarge).error).toEqual({ files: ["fileTooLarge"] });

    const robot = await complain(reference, cookie, { text: "Spam", attachCaseFile: "yes", website: "x" });
    expect(robot.status).toBe(400);
    expect(refused(robot).error).toEqual({ "": ["badForm"] });

    const tooMany = await complain(
      reference,
      cookie,
      { text: "Viele Dateien", attachCaseFile: "no" },
      Array.from({ length: 4 }, (_, i) => ({ content: png, name: `${i}.png` })),
    );
    expect(tooMany.status).toBe(400);
    expect(refused(tooMany).error).toEqual({ files: ["tooManyFiles"] });

    expect(
      await services.database.db.select().from(complaints).where(eq(complaints.requestId, requestId)),
    ).toEqual([]);
    const queued = await services.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.requestId, requestId), eq(mailOutbox.to, AUTHORITY)));
    expect(queued).toEqual([]);
  });

  it("answers 404 for a case of someone else, like for an unknown reference", async () => {
    const owner = await provenCase("owner.case@example.org");
    const stranger = await provenCase("stranger.case@example.org");
    const foreign = await complain(owner.reference, stranger.cookie, {
      text: "Fremd",
      attachCaseFile: "yes",
    });
    expect(foreign.status).toBe(404);
    const foreignPage = await outcome(() =>
      vorgangBeschwerde.loader({
        request: new Request(`${base}/vorgang/${owner.reference}/beschwerde`, {
          headers: { Cookie: stranger.cookie },
        }),
        params: { referenz: owner.reference },
        context: context(),
      } as never),
    );
    expect(foreignPage.status).toBe(404);
    expect(
      await services.database.db.select().from(complaints).where(eq(complaints.requestId, owner.requestId)),
    ).toEqual([]);
  });
});

describe("a complaint with the request form (/antrag/beschwerde)", () => {
  it("asks for the choice, keeps the complaint until the proof, then forwards it the same way", async () => {
    const missing = await fileRequest(
      services,
      "standalone@example.org",
      { "details.beschwerde.subject": "Keine Antwort erhalten." },
      "beschwerde",
    );
    expect(missing.status).toBe(400);
    expect(
      (missing.data as { result: { error: Record<string, string[]> } }).result.error.complaintCaseFile,
    ).toEqual(["choice"]);

    const withoutFile = await provenCase(
      "standalone@example.org",
      {
        "details.beschwerde.subject": "Keine Antwort erhalten.",
        complaintCaseFile: "no",
        name: "Stand Alone",
      },
      "beschwerde",
    );
    const mail = await smtp.waitFor(toAuthority(withoutFile.reference));
    expect(mail.attachments.map((a) => a.filename)).toEqual([`Beschwerde-${withoutFile.reference}.pdf`]);
    const [complaint] = await services.database.db
      .select()
      .from(complaints)
      .where(eq(complaints.requestId, withoutFile.requestId));
    expect(complaint).toMatchObject({ text: "Keine Antwort erhalten.", attachCaseFile: false });
    expect(complaint!.outboxId).not.toBeNull();

    const withFile = await provenCase(
      "standalone2@example.org",
      {
        "details.beschwerde.subject": "Daten falsch weitergegeben.",
        complaintCaseFile: "yes",
        phones: "0361 123456",
      },
      "beschwerde",
    );
    const second = await smtp.waitFor(toAuthority(withFile.reference));
    expect(second.attachments.map((a) => a.filename).sort()).toEqual(
      [`Beschwerde-${withFile.reference}.pdf`, `Vorgangsakte-${withFile.reference}.pdf`].sort(),
    );

    // Combined with another kind on another form, the question is asked as well.
    const combined = await fileRequest(services, "combined@example.org", {
      kinds: ["beschwerde"],
      "details.beschwerde.subject": "Auch Beschwerde.",
    });
    expect(combined.status).toBe(400);
    expect(
      (combined.data as { result: { error: Record<string, string[]> } }).result.error.complaintCaseFile,
    ).toEqual(["choice"]);
  });
});

describe("the record for the TLfDI (§ 21(5) ThürDSG)", () => {
  const staff = (userName: string, role: RoleId) => createStaff(services.database.db, userName, role);

  it("lists the withheld and redacted findings, and producing it is audited", async () => {
    const db = services.database.db;
    const handler = await staff("record-handler", "case-handler");
    const dpo = await staff("record-dpo", "dpo");
    const [request] = await db
      .insert(requests)
      .values({
        status: "approved",
        kinds: ["auskunft"],
        channel: "web",
        contactEmail: "record@example.org",
        reference: "DSR-2026-990001",
        receivedAt: new Date(),
      })
      .returning();
    const [run] = await db
      .insert(gatherRuns)
      .values({ requestId: request!.id, version: 1, frozenAt: new Date() })
      .returning();
    const contents = [
      { subject: "Geheim" },
      { subject: "Offen", cc: ["dritter@example.com"] },
      { subject: "Frei" },
    ];
    const rows = await db
      .insert(findings)
      .values(
        contents.map((content, i): typeof findings.$inferInsert => ({
          runId: run!.id,
          store: "mail-support",
          storeKind: "maildir",
          processingActivityId: "email",
          ref: `r/${i}`,
          flags: [],
          unproven: false,
          matched: {},
          content,
          contentHash: contentHashOf(content),
        })),
      )
      .returning();
    const [round] = await db
      .insert(reviewRounds)
      .values({
        runId: run!.id,
        status: "approved",
        proposedBy: handler.id,
        proposedAt: new Date(),
        decidedBy: dpo.id,
        decidedAt: new Date(),
      })
      .returning();
    await db.insert(findingDecisions).values([
      {
        roundId: round!.id,
        findingId: rows[0]!.id,
        decision: "withhold",
        groundId: "secrecy",
        reasoning: "Abwägung: Geheimhaltung geboten.",
        omitReasons: true,
        reviewOn: new Date(Date.now() + 86_400_000),
        contentHash: rows[0]!.contentHash,
        decidedBy: handler.id,
      },
      {
        roundId: round!.id,
        findingId: rows[1]!.id,
        decision: "redact",
        groundId: "third-party-rights",
        reasoning: "Dritte Person in Kopie.",
        redactedFields: ["cc"],
        contentHash: rows[1]!.contentHash,
        decidedBy: handler.id,
      },
      {
        roundId: round!.id,
        findingId: rows[2]!.id,
        decision: "release",
        contentHash: rows[2]!.contentHash,
        decidedBy: handler.id,
      },
    ]);

    const record = await produceTlfdiRecord(db, dpo, request!.id, "de");
    expect(record.ok).toBe(true);
    if (!record.ok) return;
    expect(record.fileName).toBe("Nachweis-TLfDI-DSR-2026-990001.pdf");
    expect(record.pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = readText(record.pdf);
    if (text !== null) {
      expect(text).toContain("Abwägung: Geheimhaltung geboten.");
      expect(text).toContain("§ 21 Abs. 1 Nr. 2 ThürDSG");
      expect(text).toContain("Name record-handler");
      expect(text).toContain("Name record-dpo");
      expect(text).toContain("Dritte Person in Kopie.");
      expect(text).toContain("Geheim");
      expect(text).toContain("subject: Geheim");
      expect(text).not.toContain("subject: Frei");
    }
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, request!.id), eq(auditEvents.action, "tlfdi.record-produced")));
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: dpo.id,
      data: { withheld: 1, redacted: 1, refused: false, roundId: round!.id },
    });

    const [plain] = await db
      .insert(requests)
      .values({
        status: "received",
        kinds: ["auskunft"],
        channel: "web",
        contactEmail: "plain@example.org",
        reference: "DSR-2026-990002",
      })
      .returning();
    expect(await produceTlfdiRecord(db, dpo, plain!.id, "en")).toEqual({
      ok: false,
      reason: "nothing-restricted",
    });
    expect(
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, plain!.id), eq(auditEvents.action, "tlfdi.record-produced"))),
    ).toEqual([]);
  });
});
