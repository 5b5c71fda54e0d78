import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { auditEvents, mailOutbox, requestIdentifiers, requests, verifications } from "#db/schema";
import { answerDeadline } from "#app/core/deadline";
import { verifyAuditChain } from "#app/server/audit.server";
import { eraseExpiredUnprovenRequests } from "#app/server/requests/expire-unproven.server";
import { proveRequest } from "#app/server/requests/prove.server";
import { requestFormSchema } from "#app/server/requests/request-form";
import { submitRequest } from "#app/server/requests/submit.server";
import type { Services } from "#app/server/services.server";
import { MAX_CODE_ATTEMPTS } from "#app/server/verification.server";
import * as bestaetigen from "#app/routes/bestaetigen";
import * as vorgang from "#app/routes/vorgang";
import * as vorgangDetail from "#app/routes/vorgang-detail";
import { createTestServices } from "../support/services";
import { type TestSmtp, codeIn, recipients, startTestSmtp } from "../support/smtp";
import { fileRequest, outcome, post, routeContext, testBase } from "../support/route-calls";

let database: Database;
let smtp: TestSmtp;
let services: Services;
let close: () => Promise<void>;
const base = testBase;

beforeAll(async () => {
  smtp = await startTestSmtp();
  ({ services, close } = await createTestServices({
    RUN_WORKERS: "true",
    DEMO_MODE: "false",
    SMTP_URL: smtp.url,
    SESSION_SECRET: "journey-test-secret-journey-test-secret",
    PUBLIC_URL: base,
  }));
  database = services.database;
});

afterAll(async () => {
  await close?.();
  await smtp?.close();
});

const context = () => routeContext(services);

async function proveByMail(email: string, requestId: string) {
  const mail = await smtp.waitFor((m) => recipients(m).includes(email) && (m.text ?? "").includes(requestId));
  const request = post(`/bestaetigen?antrag=${requestId}`, { intent: "confirm", code: codeIn(mail) });
  return outcome(() => bestaetigen.action({ request, params: {}, context: context() } as never));
}

describe("filing and proving a request", () => {
  it("stores the request unproven, mails a code over SMTP, and makes it a case with reference, receipt date and deadline on proof", async () => {
    const email = "erika.mustermann@example.org";
    const filed = await fileRequest(services, email, {
      kinds: ["loeschung", "berichtigung"],
      name: "Erika Mustermann",
      otherEmails: "erika@old.example\nERIKA.M@Example.org",
      phones: "0361 123456",
      "ip[0].address": "192.0.2.7",
      "ip[0].from": "2026-10-01T10:00",
      "ip[0].to": "2026-10-01T11:00",
      "details.berichtigung.incorrectData": "Mein Nachname ist falsch geschrieben.",
      "details.berichtigung.correctValue": "Mustermann",
    });
    expect(filed.status).toBe(302);
    expect(filed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [stored] = await database.db.select().from(requests).where(eq(requests.id, filed.requestId!));
    expect(stored!.status).toBe("unproven");
    expect(stored!.reference).toBeNull();
    expect(stored!.kinds.sort()).toEqual(["auskunft", "berichtigung", "loeschung"]);
    expect(stored!.details).toMatchObject({ berichtigung: { correctValue: "Mustermann" } });
    const identifiers = await database.db
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, filed.requestId!));
    expect(identifiers.map((i) => i.kind).sort()).toEqual(["email", "email", "email", "ip", "name", "phone"]);
    expect(identifiers.find((i) => i.kind === "phone")!.normalized).toBe("+49361123456");
    expect(identifiers.every((i) => i.provenAt === null)).toBe(true);
    const [code] = await database.db
      .select()
      .from(verifications)
      .where(eq(verifications.target, filed.requestId!));
    expect(code!.codeHash).toMatch(/^[0-9a-f]{64}$/);

    const wrong = await outcome(() =>
      bestaetigen.action({
        request: post(`/bestaetigen?antrag=${filed.requestId}`, { intent: "confirm", code: "000000" }),
        params: {},
        context: context(),
      } as never),
    );
    // One in a million that the random code is 000000; then the proof below fails loudly.
    expect(wrong.status).toBe(400);

    const proven = await proveByMail(email, filed.requestId!);
    expect(proven.status).toBe(302);
    const reference = /\/vorgang\/(DSR-\d{4}-\d{6})/.exec(proven.location ?? "")?.[1];
    expect(reference).toBeDefined();
    expect(proven.cookie).toMatch(/^vorgang=/);

    const [row] = await database.db.select().from(requests).where(eq(requests.id, filed.requestId!));
    // Received, and gathering from the stores has started by itself.
    expect(["gathering", "review"]).toContain(row!.status);
    expect(row!.receivedAt!.getTime()).toBe(row!.submittedAt.getTime());
    expect(row!.deadline!.getTime()).toBe(answerDeadline(row!.submittedAt).getTime());
    expect(row!.expiresAt).toBeNull();

    const ack = await smtp.waitFor(
      (m) => recipients(m).includes(email) && m.subject === `Eingangsbestätigung ${reference}`,
    );
    expect(ack.text).toContain(reference);
    const pdf = ack.attachments.find((a) => a.contentType === "application/pdf");
    expect(pdf).toBeDefined();
    const bytes = pdf!.content.toString("latin1");
    expect(bytes.startsWith("%PDF-")).toBe(true);
    expect(bytes).toMatch(/DejaVuSans/);
    expect(bytes).toMatch(/FontFile2/);

    // The case page for the person who proved the address.
    const view = await outcome(() =>
      vorgangDetail.loader({
        request: new Request(`${base}/vorgang/${reference}`, { headers: { Cookie: proven.cookie! } }),
        params: { referenz: reference! },
        context: context(),
      } as never),
    );
    expect(view.status).toBe(200);
    const data = view.data as {
      view: { reference: string; deadline: string; timeline: { action: string }[] };
    };
    expect(data.view.reference).toBe(reference);
    expect(new Date(data.view.deadline).getTime()).toBe(row!.deadline!.getTime());
    expect(data.view.timeline.map((e) => e.action)).toEqual(["request.submitted", "request.proven"]);

    // Someone else, signed in with another proven address, gets the same 404 as for an unknown reference.
    const other = await fileRequest(services, "max.muster@example.org");
    const otherProof = await proveByMail("max.muster@example.org", other.requestId!);
    const foreign = await outcome(() =>
      vorgangDetail.loader({
        request: new Request(`${base}/vorgang/${reference}`, { headers: { Cookie: otherProof.cookie! } }),
        params: { referenz: reference! },
        context: context(),
      } as never),
    );
    const unknown = await outcome(() =>
      vorgangDetail.loader({
        request: new Request(`${base}/vorgang/DSR-2026-999999`, { headers: { Cookie: otherProof.cookie! } }),
        params: { referenz: "DSR-2026-999999" },
        context: context(),
      } as never),
    );
    expect(foreign).toEqual(unknown);
    expect(foreign.status).toBe(404);
    const foreignWithdraw = await outcome(() =>
      vorgangDetail.action({
        request: post(`/vorgang/${reference}`, { intent: "withdraw", confirm: "yes" }, otherProof.cookie),
        params: { referenz: reference! },
        context: context(),
      } as never),
    );
    expect(foreignWithdraw.status).toBe(404);
    const [still] = await database.db.select().from(requests).where(eq(requests.id, filed.requestId!));
    expect(still!.status).not.toBe("withdrawn");
  });

  it("creates one request for a repeated POST, also when both arrive at once", async () => {
    const form = requestFormSchema("auskunft").parse({
      submissionKey: "double-submit-key-0001",
      email: "twice@example.org",
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => submitRequest(services, { form, lang: "de", clientKey: null })),
    );
    const ids = new Set(results.map((r) => (r.ok ? r.requestId : "refused")));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.repeated)).toHaveLength(1);
    const rows = await database.db
      .select()
      .from(requests)
      .where(eq(requests.submissionKey, "double-submit-key-0001"));
    expect(rows).toHaveLength(1);
    const mails = await database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, rows[0]!.id));
    expect(mails).toHaveLength(1);
  });

  it("gives unique references to requests proven in parallel", async () => {
    const filed = [];
    for (let i = 0; i < 12; i++) {
      const form = requestFormSchema("auskunft").parse({
        submissionKey: `parallel-proof-${i}-xxxxxxxx`,
        email: `parallel${i}@example.org`,
      });
      const result = await submitRequest(services, { form, lang: "en", clientKey: null });
      if (!result.ok) throw new Error("refused");
      filed.push(result.requestId);
    }
    // The codes are only in the mails; read them from the outbox's plain text as the job would send it.
    const codes = await Promise.all(
      filed.map(async (id) => {
        const [mail] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, id));
        return /(\d{6})/.exec(mail!.text)![1]!;
      }),
    );
    const proofs = await Promise.all(
      filed.map((requestId, i) => proveRequest(services, { requestId, code: codes[i]! })),
    );
    const references = proofs.map((p) => (p.ok ? p.reference : `failed:${p.reason}`));
    expect(references.every((r) => /^DSR-\d{4}-\d{6}$/.test(r))).toBe(true);
    expect(new Set(references).size).toBe(references.length);
  });

  it("locks a code after five wrong tries, also for the right code", async () => {
    const form = requestFormSchema("loeschung").parse({
      submissionKey: "attempts-key-00000001",
      email: "guess@example.org",
    });
    const filed = await submitRequest(services, { form, lang: "de", clientKey: null });
    if (!filed.ok) throw new Error("refused");
    const [mail] = await database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.requestId, filed.requestId));
    const right = /(\d{6})/.exec(mail!.text)![1]!;
    const wrongCode = right === "111111" ? "222222" : "111111";
    const reasons = [];
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      const result = await proveRequest(services, { requestId: filed.requestId, code: wrongCode });
      reasons.push(result.ok ? "ok" : result.reason);
    }
    expect(reasons).toEqual(["wrong", "wrong", "wrong", "wrong", "locked"]);
    const afterwards = await proveRequest(services, { requestId: filed.requestId, code: right });
    expect(afterwards).toEqual({ ok: false, reason: "locked" });
  });

  it("refuses expired codes", async () => {
    const form = requestFormSchema("auskunft").parse({
      submissionKey: "expiry-key-0000000001",
      email: "late@example.org",
    });
    const filed = await submitRequest(services, { form, lang: "de", clientKey: null });
    if (!filed.ok) throw new Error("refused");
    const [mail] = await database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.requestId, filed.requestId));
    const code = /(\d{6})/.exec(mail!.text)![1]!;
    const result = await proveRequest(
      services,
      { requestId: filed.requestId, code },
      new Date(Date.now() + 16 * 60_000),
    );
    expect(result).toEqual({ ok: false, reason: "expired" });
  });

  it("limits codes per address", async () => {
    const results = [];
    for (let i = 0; i < 7; i++) {
      const form = requestFormSchema("auskunft").parse({
        submissionKey: `limit-key-${i}-0000000000`,
        email: "Busy@Example.org",
      });
      results.push((await submitRequest(services, { form, lang: "de", clientKey: "198.51.100.1" })).ok);
    }
    expect(results).toEqual([true, true, true, true, true, false, false]);
  });

  it("erases unproven requests after 30 days and records that in the audit trail", async () => {
    const form = requestFormSchema("auskunft").parse({
      submissionKey: "expire-request-key-0001",
      email: "never@example.org",
    });
    const filed = await submitRequest(services, { form, lang: "de", clientKey: null });
    if (!filed.ok) throw new Error("refused");
    expect(await eraseExpiredUnprovenRequests(database.db, new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(
      await eraseExpiredUnprovenRequests(database.db, new Date(Date.now() + 31 * 86_400_000)),
    ).toBeGreaterThanOrEqual(1);
    expect(await database.db.select().from(requests).where(eq(requests.id, filed.requestId))).toHaveLength(0);
    expect(
      await database.db
        .select()
        .from(requestIdentifiers)
        .where(eq(requestIdentifiers.requestId, filed.requestId)),
    ).toHaveLength(0);
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, filed.requestId))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => e.action)).toEqual(["request.submitted", "request.expired"]);
  });
});

describe("following a case", () => {
  it("signs in with a code, lists the cases, adds a document, and withdraws", async () => {
    const email = "follow@example.org";
    const filed = await fileRequest(services, email, {}, "widerspruch");
    expect(filed.status).toBe(400); // the objection needs its grounds
    const refiled = await fileRequest(
      services,
      email,
      { "details.widerspruch.particularSituation": "Ich werde bedroht." },
      "widerspruch",
    );
    expect(refiled.status).toBe(302);
    const proven = await proveByMail(email, refiled.requestId!);
    const reference = /(DSR-\d{4}-\d{6})/.exec(proven.location!)![1]!;

    // A fresh browser: sign in at /vorgang with a code sent to the proven address.
    const sent = await outcome(() =>
      vorgang.action({
        request: post("/vorgang", { intent: "send-code", email: "Follow@Example.org" }),
        params: {},
        context: context(),
      } as never),
    );
    expect(sent.status).toBe(302);
    const mail = await smtp.waitFor(
      (m) => recipients(m).includes(email) && m.subject === "Ihr Anmeldecode für das Rechteportal",
    );
    const signedIn = await outcome(() =>
      vorgang.action({
        request: post("/vorgang", { intent: "verify", code: codeIn(mail) }, sent.cookie),
        params: {},
        context: context(),
      } as never),
    );
    expect(signedIn.status).toBe(302);
    const list = await outcome(() =>
      vorgang.loader({
        request: new Request(`${base}/vorgang`, { headers: { Cookie: signedIn.cookie! } }),
        params: {},
        context: context(),
      } as never),
    );
    expect((list.data as { cases: { reference: string }[] }).cases.map((c) => c.reference)).toEqual([
      reference,
    ]);

    // No code is sent for an address without a case, but the answer looks the same.
    const nobody = await outcome(() =>
      vorgang.action({
        request: post("/vorgang", { intent: "send-code", email: "nobody@example.org" }),
        params: {},
        context: context(),
      } as never),
    );
    expect(nobody.status).toBe(302);
    expect(
      await database.db.select().from(mailOutbox).where(eq(mailOutbox.to, "nobody@example.org")),
    ).toHaveLength(0);

    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);
    const upload = (content: Buffer, name: string) => {
      const body = new FormData();
      body.append("intent", "add");
      body.append("text", "Hier ein Nachweis – Grüße, Łukasz");
      body.append("document", new File([new Uint8Array(content)], name, { type: "application/pdf" }));
      return new Request(`${base}/vorgang/${reference}`, {
        method: "POST",
        body,
        headers: { Cookie: signedIn.cookie! },
      });
    };
    const added = await outcome(() =>
      vorgangDetail.action({
        request: upload(png, "../../nachweis.exe"),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(added.status).toBe(200);
    const refused = await outcome(() =>
      vorgangDetail.action({
        request: upload(Buffer.from("MZ not a document"), "x.pdf"),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(refused.status).toBe(415);
    const stored = await database.sql.query<{ file_name: string; content_type: string }>(
      "select a.file_name, a.content_type from attachments a join requests r on r.id = a.request_id where r.reference = $1",
      [reference],
    );
    expect(stored).toEqual([{ file_name: "nachweis.png", content_type: "image/png" }]);

    const unconfirmed = await outcome(() =>
      vorgangDetail.action({
        request: post(`/vorgang/${reference}`, { intent: "withdraw" }, signedIn.cookie),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(unconfirmed.status).toBe(400);
    const withdrawn = await outcome(() =>
      vorgangDetail.action({
        request: post(`/vorgang/${reference}`, { intent: "withdraw", confirm: "yes" }, signedIn.cookie),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(withdrawn.status).toBe(200);
    const [row] = await database.db.select().from(requests).where(eq(requests.reference, reference));
    expect(row!.status).toBe("withdrawn");
    const again = await outcome(() =>
      vorgangDetail.action({
        request: post(`/vorgang/${reference}`, { intent: "withdraw", confirm: "yes" }, signedIn.cookie),
        params: { referenz: reference },
        context: context(),
      } as never),
    );
    expect(again.status).toBe(409);
    await smtp.waitFor(
      (m) => recipients(m).includes(email) && (m.subject ?? "").startsWith("Antrag zurückgezogen"),
    );
  });

  it("proves a further address from the case page with a code of its own; only then does it reach the case", async () => {
    const email = "anna.further@example.org";
    const further = "anna.alt@example.org";
    const filed = await fileRequest(services, email, { otherEmails: further });
    const proven = await proveByMail(email, filed.requestId!);
    const reference = /(DSR-\d{4}-\d{6})/.exec(proven.location!)![1]!;
    const caseAs = (cookie: string) =>
      outcome(() =>
        vorgangDetail.loader({
          request: new Request(`${base}/vorgang/${reference}`, { headers: { Cookie: cookie } }),
          params: { referenz: reference },
          context: context(),
        } as never),
      );
    const act = (fields: Record<string, string>) =>
      outcome(() =>
        vorgangDetail.action({
          request: post(`/vorgang/${reference}`, fields, proven.cookie),
          params: { referenz: reference },
          context: context(),
        } as never),
      );
    const askSignInCode = (address: string) =>
      outcome(() =>
        vorgang.action({
          request: post("/vorgang", { intent: "send-code", email: address }),
          params: {},
          context: context(),
        } as never),
      );

    const page = await caseAs(proven.cookie!);
    const identifier = (
      page.data as { view: { identifiers: { id: string; kind: string; value: string; proven: boolean }[] } }
    ).view.identifiers.find((i) => i.kind === "email" && i.value === further)!;
    expect(identifier.proven).toBe(false);
    // Unproven, the further address gets no sign-in code: it has no case yet.
    expect((await askSignInCode(further)).status).toBe(302);
    expect(await database.db.select().from(mailOutbox).where(eq(mailOutbox.to, further))).toHaveLength(0);

    // An id that is not one of this case's identifiers is a forged form.
    expect((await act({ intent: "identifier-code", identifier: filed.requestId! })).status).toBe(400);
    const sent = await act({ intent: "identifier-code", identifier: identifier.id });
    expect(sent).toMatchObject({ status: 200, data: { done: "code-sent", identifierId: identifier.id } });
    const mail = await smtp.waitFor(
      (m) => recipients(m).includes(further) && m.subject === "Ihr Bestätigungscode für das Rechteportal",
    );
    const code = codeIn(mail);
    const wrong = await act({
      intent: "identifier-prove",
      identifier: identifier.id,
      [`code-${identifier.id}`]: code === "000000" ? "111111" : "000000",
    });
    // Back at the identifier's code field, the code not typed back.
    expect(wrong).toMatchObject({
      status: 400,
      data: {
        identifierId: identifier.id,
        sentBack: {
          intent: "identifier-prove",
          result: { error: { [`code-${identifier.id}`]: ["codeWrong"] }, initialValue: {} },
        },
      },
    });
    const right = await act({
      intent: "identifier-prove",
      identifier: identifier.id,
      [`code-${identifier.id}`]: code,
    });
    expect(right).toMatchObject({ status: 200, data: { done: "identifier-proven" } });
    // A code is good once.
    expect(
      (await act({ intent: "identifier-prove", identifier: identifier.id, [`code-${identifier.id}`]: code }))
        .status,
    ).toBe(400);

    const after = await caseAs(proven.cookie!);
    const view = (
      after.data as {
        view: { identifiers: { id: string; proven: boolean }[]; timeline: { action: string }[] };
      }
    ).view;
    expect(view.identifiers.find((i) => i.id === identifier.id)!.proven).toBe(true);
    expect(view.timeline.map((e) => e.action)).toContain("request.identifier-proven");

    // Proven, the further address signs in on its own and reaches the case.
    const asked = await askSignInCode(further);
    const signInMail = await smtp.waitFor(
      (m) => recipients(m).includes(further) && m.subject === "Ihr Anmeldecode für das Rechteportal",
    );
    const signedIn = await outcome(() =>
      vorgang.action({
        request: post("/vorgang", { intent: "verify", code: codeIn(signInMail) }, asked.cookie),
        params: {},
        context: context(),
      } as never),
    );
    expect(signedIn.cookie).toMatch(/^vorgang=/);
    expect((await caseAs(signedIn.cookie!)).status).toBe(200);
  });

  it("keeps the audit trail intact and free of e-mail addresses", async () => {
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    const [leak] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(sql`${auditEvents.data}::text like '%@%'`);
    expect(leak!.n).toBe(0);
  });
});
