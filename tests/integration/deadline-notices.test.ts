/**
 * Extension (Art. 12(3)) and refusal (Art. 12(5)) as use cases, through the staff case page's
 * loader and action: when each can be given, what the person is sent (read from the outbox), what
 * the database then holds. Every notice names the right to complain to the TLfDI and the judicial
 * remedy (court, address, time limit).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, mailOutbox, requestMessages, requests } from "#db/schema";
import type { CaseStatus } from "#app/core/case-status";
import { extendedDeadline } from "#app/core/deadline";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { messagesFor } from "#app/i18n";
import * as vorgang from "#app/routes/intern/vorgang";
import { createStaffAccount } from "#app/server/auth/staff-accounts.server";
import { legalRemedyNotice, parseLegalRemedy } from "#app/server/rights-notice";
import type { Services } from "#app/server/services.server";
import { outcome, post, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";

let services: Services;
let close: () => Promise<void>;
let dpoCookie: string;
let handlerCookie: string;
const DAY = 86_400_000;
const REASONS = "Der Antrag umfasst Daten aus acht Systemen, darunter 40 000 Protokollzeilen.";
const court = "Verwaltungsgericht Weimar, Jenaer Straße 2a, 99425 Weimar";

async function openCase(options: {
  daysAgo: number;
  status?: CaseStatus;
  lang?: "de" | "en";
  answered?: boolean;
}) {
  const receivedAt = new Date(Date.now() - options.daysAgo * DAY);
  const reference = `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const [row] = await services.database.db
    .insert(requests)
    .values({
      status: options.status ?? "received",
      kinds: ["auskunft"],
      channel: "web",
      lang: options.lang ?? "de",
      contactEmail: `person-${reference}@example.org`,
      reference,
      receivedAt,
      deadline: new Date(receivedAt.getTime() + 31 * DAY),
      ...(options.answered ? { answeredAt: new Date() } : {}),
    })
    .returning();
  return row!;
}

const casePath = (id: string) => `/intern/vorgaenge/${id}`;
const act = (id: string, fields: Record<string, string>, cookie = dpoCookie) =>
  outcome(() =>
    vorgang.action({
      request: post(casePath(id), fields, cookie),
      params: { id },
      context: routeContext(services),
    } as never),
  );
const load = async (id: string) => {
  const result = await outcome(() =>
    vorgang.loader({
      request: new Request(`${testBase}${casePath(id)}`, { headers: { Cookie: dpoCookie } }),
      params: { id },
      context: routeContext(services),
    } as never),
  );
  return (result.data as { deadlineDecisions: { extend: string | null; refuse: string | null } })
    .deadlineDecisions;
};
const mailsOf = (requestId: string) =>
  services.database.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestId));
const requestOf = async (id: string) =>
  (await services.database.db.select().from(requests).where(eq(requests.id, id)))[0]!;

/** The rights every refusal, restriction and extension must state, in German. */
function expectRights(text: string, reference: string) {
  expect(text).toContain(supervisoryAuthority.name.de);
  expect(text).toContain(
    `${supervisoryAuthority.address.street}, ${supervisoryAuthority.address.postalCode} ${supervisoryAuthority.address.city}`,
  );
  expect(text).toContain(`/vorgang/${reference}/beschwerde`);
  expect(text).toContain("Rechtsbehelfsbelehrung");
  expect(text).toContain(court);
  expect(text).toContain("innerhalb eines Monats nach ihrer Bekanntgabe Klage");
  // Art. 78 is the remedy against a supervisory authority, not against the controller.
  expect(text).not.toContain("Art. 78");
}

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  const db = services.database.db;
  const dpo = await createStaffAccount(db, {
    userName: "dpo",
    displayName: "DPO",
    email: "dpo@x",
    password: "pw",
    roles: ["dpo"],
  });
  const handler = await createStaffAccount(db, {
    userName: "handler",
    displayName: "Handler",
    email: "h@x",
    password: "pw",
    roles: ["case-handler"],
  });
  dpoCookie = await staffSessionCookie(services, dpo);
  handlerCookie = await staffSessionCookie(services, handler);
});
afterAll(async () => {
  await close();
});

describe("extension (Art. 12(3))", () => {
  it("is given within the first month, with reasons, and the person is sent the new deadline, the reasons and both rights", async () => {
    const c = await openCase({ daysAgo: 10 });
    expect(await load(c.id)).toEqual({ extend: null, refuse: null });
    expect(await act(c.id, { intent: "extend", months: "2", reasons: REASONS })).toMatchObject({
      status: 302,
    });

    const after = await requestOf(c.id);
    const deadline = extendedDeadline(c.receivedAt!, 2);
    expect(after.extendedDeadline).toEqual(deadline);
    expect(after.extensionReason).toBe(REASONS);
    const [mail, ...more] = await mailsOf(c.id);
    expect(more).toHaveLength(0);
    expect(mail!.to).toBe(c.contactEmail);
    expect(mail!.subject).toContain(c.reference!);
    expect(mail!.text).toContain("Art. 12 Abs. 3 Satz 2 DS-GVO");
    expect(mail!.text).toContain(`bis zum ${messagesFor("de").journey.formatDate(deadline)}`);
    expect(mail!.text).toContain(`am ${messagesFor("de").journey.formatDate(c.receivedAt!)}`);
    expect(mail!.text).toContain(REASONS);
    expectRights(mail!.text, c.reference!);
    // The same notice on the person's case page, and the decision in the audit trail.
    const [message] = await services.database.db
      .select()
      .from(requestMessages)
      .where(eq(requestMessages.requestId, c.id));
    expect(message!.body).toBe(mail!.text);
    const events = await services.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, c.id), eq(auditEvents.action, "request.deadline-extended")));
    expect(events).toHaveLength(1);
    expect(events[0]!.reason).toBe(REASONS);

    // Once only: the form is gone and a second attempt is refused.
    expect((await load(c.id)).extend).toBe("already-extended");
    expect(await act(c.id, { intent: "extend", months: "1", reasons: REASONS })).toMatchObject({
      status: 409,
      data: { error: "already-extended" },
    });
    expect(await mailsOf(c.id)).toHaveLength(1);
  });

  it("is refused after the first month, and without reasons, and by a handler", async () => {
    const late = await openCase({ daysAgo: 40 });
    expect((await load(late.id)).extend).toBe("too-late");
    expect(await act(late.id, { intent: "extend", months: "1", reasons: REASONS })).toMatchObject({
      status: 409,
      data: { error: "too-late" },
    });
    expect((await requestOf(late.id)).extendedDeadline).toBeNull();

    const early = await openCase({ daysAgo: 3 });
    expect(await act(early.id, { intent: "extend", months: "2", reasons: "zu viel Arbeit" })).toMatchObject({
      status: 409,
      data: {
        error: "reasons-required",
        // The form keeps what was typed and shows the refusal at its field.
        sentBack: {
          intent: "extend",
          result: {
            initialValue: { months: "2", reasons: "zu viel Arbeit" },
            error: { reasons: ["reasons-required"] },
          },
        },
      },
    });
    await expect(
      act(early.id, { intent: "extend", months: "1", reasons: REASONS }, handlerCookie),
    ).resolves.toMatchObject({ status: 403 });
    expect((await requestOf(early.id)).extendedDeadline).toBeNull();
    expect([...(await mailsOf(late.id)), ...(await mailsOf(early.id))]).toHaveLength(0);
  });

  it("is written in the person's language", async () => {
    const c = await openCase({ daysAgo: 5, lang: "en" });
    expect(await act(c.id, { intent: "extend", months: "1", reasons: REASONS })).toMatchObject({
      status: 302,
    });
    const [mail] = await mailsOf(c.id);
    expect(mail!.text).toContain("Art. 12(3), second sentence, GDPR");
    expect(mail!.text).toContain(supervisoryAuthority.name.en);
    expect(mail!.text).toContain(
      "Verwaltungsgericht Weimar (Administrative Court of Weimar), Jenaer Straße 2a, 99425 Weimar, within one month",
    );
  });
});

describe("refusal (Art. 12(5))", () => {
  it("is given within the first month with reasons; it closes the case and names Art. 12(5), the TLfDI and the court", async () => {
    const c = await openCase({ daysAgo: 20 });
    expect(await act(c.id, { intent: "refuse", ground: "excessive", reasons: REASONS })).toMatchObject({
      status: 302,
    });
    const after = await requestOf(c.id);
    expect(after.status).toBe("refused");
    expect(after.closedAt).not.toBeNull();
    const [mail] = await mailsOf(c.id);
    expect(mail!.subject).toContain("Art. 12 Abs. 5");
    expect(mail!.text).toContain("exzessiv ist (Art. 12 Abs. 5 Satz 2 Buchst. b DS-GVO)");
    expect(mail!.text).toContain(REASONS);
    expectRights(mail!.text, c.reference!);

    // A refused case offers neither extension nor another refusal, and the action refuses both.
    expect(await load(c.id)).toEqual({ extend: "closed", refuse: "closed" });
    expect(await act(c.id, { intent: "refuse", ground: "unfounded", reasons: REASONS })).toMatchObject({
      status: 409,
      data: { error: "closed" },
    });
    expect(await act(c.id, { intent: "extend", months: "1", reasons: REASONS })).toMatchObject({
      status: 409,
      data: { error: "closed" },
    });
    expect(await mailsOf(c.id)).toHaveLength(1);
  });

  it("is refused after the first month, also where the deadline was extended", async () => {
    const c = await openCase({ daysAgo: 10 });
    expect(await act(c.id, { intent: "extend", months: "2", reasons: REASONS })).toMatchObject({
      status: 302,
    });
    await services.database.db
      .update(requests)
      .set({ receivedAt: new Date(Date.now() - 45 * DAY) })
      .where(eq(requests.id, c.id));
    expect((await load(c.id)).refuse).toBe("too-late");
    expect(await act(c.id, { intent: "refuse", ground: "unfounded", reasons: REASONS })).toMatchObject({
      status: 409,
      data: { error: "refusal-too-late" },
    });
    expect((await requestOf(c.id)).status).toBe("received");
    expect(await mailsOf(c.id)).toHaveLength(1);
  });

  it("needs reasons", async () => {
    const c = await openCase({ daysAgo: 2 });
    expect(await act(c.id, { intent: "refuse", ground: "unfounded", reasons: "unbegründet" })).toMatchObject({
      status: 409,
      data: { error: "reasons-required" },
    });
    expect((await requestOf(c.id)).status).toBe("received");
  });
});

describe("answered cases", () => {
  it("offer no extension or refusal, and the action refuses both", async () => {
    for (const c of [
      await openCase({ daysAgo: 8, status: "answered", answered: true }),
      await openCase({ daysAgo: 8, status: "withdrawn" }),
    ]) {
      expect(await load(c.id)).toEqual({ extend: "closed", refuse: "closed" });
      expect(await act(c.id, { intent: "extend", months: "1", reasons: REASONS })).toMatchObject({
        status: 409,
        data: { error: "closed" },
      });
      expect(await act(c.id, { intent: "refuse", ground: "excessive", reasons: REASONS })).toMatchObject({
        status: 409,
        data: { error: "closed" },
      });
      const after = await requestOf(c.id);
      expect(after.status).toBe(c.status);
      expect(after.extendedDeadline).toBeNull();
      expect(await mailsOf(c.id)).toHaveLength(0);
    }
  });
});

describe("the judicial remedy is configurable", () => {
  it("names an objection authority first where a preliminary procedure is configured, and refuses a broken configuration", () => {
    const remedy = parseLegalRemedy({
      court: {
        name: { de: "Verwaltungsgericht Gera", en: "Verwaltungsgericht Gera" },
        address: "Rathenaustraße 1, 07545 Gera",
      },
      timeLimitMonths: 1,
      objection: {
        authority: { de: "Thüringer Landesrechenzentrum", en: "Thuringian State Data Centre" },
        address: "Ludwig-Erhard-Ring 8, 99099 Erfurt",
      },
    });
    const text = legalRemedyNotice("de", remedy);
    expect(text).toContain(
      "Widerspruch erheben, schriftlich oder zur Niederschrift beim Thüringer Landesrechenzentrum, Ludwig-Erhard-Ring 8, 99099 Erfurt",
    );
    expect(text).toContain("Klage beim Verwaltungsgericht Gera");
    expect(() =>
      parseLegalRemedy({
        court: { name: { de: "VG", en: "VG" }, address: "" },
        timeLimitMonths: 0,
        objection: null,
      }),
    ).toThrow(/legal remedy config/);
  });
});
