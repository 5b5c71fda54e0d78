import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  findingDecisions,
  findings,
  gatherRuns,
  gatherStoreJobs,
  representations,
  requestIdentifiers,
  requests,
  verifications,
} from "#db/schema";
import { nameKey, normaliseBirthDate, postalAddressKey } from "#app/core/identifiers";
import { reviewDe } from "#app/i18n/review.de";
import { reviewEn } from "#app/i18n/review.en";
import { verifyAuditChain } from "#app/server/audit.server";
import { loadStaffCase } from "#app/server/cases/case-detail.server";
import { runStoreJob, startGather } from "#app/server/gather/gather.server";
import { decide, openReview } from "#app/server/review/review.server";
import { addProvenEmail, commitPerson, getPerson } from "#app/server/requests/person-session.server";
import type { Services } from "#app/server/services.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import * as rueckkehr from "#app/routes/identitaet-rueckkehr";
import * as detail from "#app/routes/vorgang-detail";
import * as identitaet from "#app/routes/vorgang-identitaet";
import { EIDAS, type TestAccount, type TestProvider, startTestProvider } from "../support/oidc-provider";
import { outcome, post, routeContext, testBase } from "../support/route-calls";
import { queuedByHand } from "../support/jobs";
import { renderedPage } from "../support/rendered-page";
import { cachedSample } from "../support/sample-cache";
import { createStaff } from "../support/staff";
import { createTestServices } from "../support/services";

/**
 * The proof of identity through a real OpenID Connect provider on localhost (oidc-provider), driven
 * over HTTP as a browser would, with the portal's route modules called directly: consent, return,
 * proven identifiers, and every way it must fail with the case unchanged (issue 19).
 */
const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-idp-"));
let services: Services;
let close: () => Promise<void>;
let provider: TestProvider;
let person: AnswerKeyPerson;
const accounts: Record<string, TestAccount> = {};

beforeAll(async () => {
  const sample = await cachedSample({ people: 40, days: 20, seed: "identity-provider", out: sampleDir });
  // Someone whom others looked up in the Melderegister: those records match only by name and birth date.
  person = sample.answerKey.persons.find(
    (p) => !p.official && !p.auskunftssperre && p.records.some((r) => r.role === "looked-up"),
  )!;
  const [given, ...rest] = person.identifiers.names[0]!.split(" ");
  accounts.same = {
    given_name: given!,
    family_name: rest.join(" "),
    birthdate: person.identifiers.birthDate,
    address: { street_address: "Anderweg 1", postal_code: "99084", locality: "Erfurt" },
    acr: EIDAS.substantial,
  };
  accounts.other = { ...accounts.same, birthdate: "1950-02-03", acr: EIDAS.high };
  accounts.low = { ...accounts.same, acr: EIDAS.low };
  provider = await startTestProvider(accounts, testBase);
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir, ...provider.env }));
  await loadDatabaseStores(services.database.sql, sampleDir);
});

afterAll(async () => {
  await close?.();
  await provider?.close();
  rmSync(sampleDir, { recursive: true, force: true });
});

let counter = 0;
/** A received case of the sample person: e-mail proven, name and birth date typed, unproven. */
async function caseOf(birthDate = person.identifiers.birthDate) {
  counter += 1;
  const email = person.identifiers.emails[0]!;
  const reference = `DSR-2026-${String(900000 + counter)}`;
  const [request] = await services.db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: email,
      reference,
      provenAt: new Date(),
      receivedAt: new Date(),
      deadline: new Date(Date.now() + 30 * 86_400_000),
    })
    .returning({ id: requests.id });
  const name = person.identifiers.names[0]!;
  await services.db.insert(requestIdentifiers).values([
    {
      requestId: request!.id,
      kind: "email",
      value: email,
      normalized: email,
      provenAt: new Date(),
      proofSource: "email-code",
    },
    { requestId: request!.id, kind: "name", value: name, normalized: nameKey(name) },
    {
      requestId: request!.id,
      kind: "birth-date",
      value: birthDate,
      normalized: normaliseBirthDate(birthDate)!,
    },
  ]);
  const session = await getPerson(new Request(testBase), services.config);
  addProvenEmail(session, email);
  const cookie = (await commitPerson(session, services.config)).split(";")[0]!;
  return { id: request!.id, reference, cookie };
}

const page = (reference: string) => `/vorgang/${reference}/identitaet`;

async function act(reference: string, intent: string, cookie: string, svc: Services = services) {
  return outcome(() =>
    identitaet.action({
      request: post(page(reference), { intent }, cookie),
      params: { referenz: reference },
      context: routeContext(svc),
    } as never),
  );
}

async function view(reference: string, cookie: string) {
  const request = new Request(`${testBase}${page(reference)}`, { headers: { Cookie: cookie } });
  const result = await outcome(() =>
    identitaet.loader({ request, params: { referenz: reference }, context: routeContext(services) } as never),
  );
  return result.data as Awaited<ReturnType<typeof identitaet.loader>>;
}

/** The person at the provider, as a browser: its cookies kept, redirects followed by hand up to the way back. */
async function atProvider(authorizationUrl: string, account: string, choice = "consent"): Promise<URL> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers ?? {}), Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  };
  let response = await go(authorizationUrl);
  const interaction = new URL(response.headers.get("Location")!, provider.issuer).href;
  expect((await go(interaction)).status).toBe(200);
  response = await go(interaction, {
    method: "POST",
    body: new URLSearchParams({ account, choice }),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  let location = new URL(response.headers.get("Location")!, provider.issuer);
  while (location.origin === new URL(provider.issuer).origin) {
    response = await go(location.href);
    location = new URL(response.headers.get("Location")!, provider.issuer);
  }
  return location;
}

async function back(callback: URL, cookie: string) {
  const request = new Request(`${testBase}${callback.pathname}${callback.search}`, {
    headers: { Cookie: cookie },
  });
  return outcome(() => rueckkehr.loader({ request, params: {}, context: routeContext(services) } as never));
}

/** Starts the proof and returns the provider's URL and the session cookie that holds the attempt. */
async function start(reference: string, cookie: string) {
  const started = await act(reference, "start", cookie);
  expect(started.status).toBe(302);
  expect(started.location).toMatch(new RegExp(`^${provider.issuer}/auth\\?`));
  const url = new URL(started.location!);
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  expect(url.searchParams.get("state")).toBeTruthy();
  expect(url.searchParams.get("nonce")).toBeTruthy();
  return { url, cookie: started.cookie ?? cookie };
}

async function snapshot(requestId: string) {
  const identifiers = await services.db
    .select()
    .from(requestIdentifiers)
    .where(eq(requestIdentifiers.requestId, requestId));
  const events = await services.db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
  return { identifiers: identifiers.map((i) => ({ ...i })), events: events.length };
}

describe("proof of identity through the identity provider", () => {
  it("shows what the provider sent, and on confirmation makes name and birth date proven identifiers; the address is not proven at 'substantial'; no token is kept", async () => {
    const own = await caseOf();
    const { url, cookie } = await start(own.reference, own.cookie);
    const callback = await atProvider(url.href, "same");
    const returned = await back(callback, cookie);
    expect(returned.status).toBe(302);
    expect(returned.location).toBe(page(own.reference));
    const after = returned.cookie ?? cookie;
    const shown = await view(own.reference, after);
    expect(shown.received?.level).toBe("substantial");
    expect(shown.received?.claims.map((c) => [c.kind, c.proves, c.differsFrom])).toEqual([
      ["name", true, []],
      ["birth-date", true, []],
      ["postal-address", false, []],
    ]);
    // Nothing changed before the person confirms.
    const [before] = await services.db
      .select()
      .from(requestIdentifiers)
      .where(and(eq(requestIdentifiers.requestId, own.id), eq(requestIdentifiers.kind, "name")));
    expect(before!.provenAt).toBeNull();
    // The session holds claims, never the ID token or access token.
    const sessions = await services.db.select({ secret: verifications.secret }).from(verifications);
    expect(sessions.some((s) => /eyJ[\w-]+\.eyJ/.test(s.secret ?? ""))).toBe(false);

    const confirmed = await act(own.reference, "confirm", after);
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe(`${page(own.reference)}?nachgewiesen=2`);
    const rows = await services.db
      .select()
      .from(requestIdentifiers)
      .where(eq(requestIdentifiers.requestId, own.id));
    const byKind = (kind: string) => rows.filter((r) => r.kind === kind);
    expect(byKind("name")).toHaveLength(1);
    expect(byKind("name")[0]).toMatchObject({ proofSource: "identity-provider", proofLevel: "substantial" });
    expect(byKind("birth-date")[0]).toMatchObject({
      proofSource: "identity-provider",
      proofLevel: "substantial",
    });
    expect(byKind("postal-address")).toHaveLength(0);
    const [event] = await services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, own.id), eq(auditEvents.action, "identity.provider-proven")));
    expect(event!.data).toMatchObject({
      level: "substantial",
      proven: ["name", "birth-date"],
      notProvenAtLevel: ["postal-address"],
    });
    // No personal data in the event beyond the kinds.
    const text = JSON.stringify(event!.data);
    expect(text).not.toContain(person.identifiers.birthDate);
    expect(text).not.toContain(accounts.same!.family_name);
    expect((await view(own.reference, confirmed.cookie ?? after)).received).toBeNull();
    expect((await verifyAuditChain(services.db)).ok).toBe(true);
  });

  it("never overwrites a typed birth date that differs: the provider's is added, proven, and both are shown", async () => {
    const own = await caseOf("1970-01-01");
    const { url, cookie } = await start(own.reference, own.cookie);
    const returned = await back(await atProvider(url.href, "other"), cookie);
    const after = returned.cookie ?? cookie;
    const shown = await view(own.reference, after);
    expect(shown.received?.level).toBe("high");
    expect(shown.received?.claims.find((c) => c.kind === "birth-date")?.differsFrom).toEqual(["1970-01-01"]);
    expect((await act(own.reference, "confirm", after)).status).toBe(302);
    const births = await services.db
      .select()
      .from(requestIdentifiers)
      .where(and(eq(requestIdentifiers.requestId, own.id), eq(requestIdentifiers.kind, "birth-date")));
    expect(births.map((b) => [b.value, b.proofSource]).sort()).toEqual([
      ["1950-02-03", "identity-provider"],
      ["1970-01-01", null],
    ]);
    // At "high" the address is proven too.
    const [address] = await services.db
      .select()
      .from(requestIdentifiers)
      .where(and(eq(requestIdentifiers.requestId, own.id), eq(requestIdentifiers.kind, "postal-address")));
    expect(address).toMatchObject({
      normalized: postalAddressKey("Anderweg 1\n99084 Erfurt"),
      proofLevel: "high",
    });
    const staffView = await loadStaffCase(services.db, own.id, null);
    expect(staffView!.identifiers.find((i) => i.value === "1970-01-01")?.proofSource).toBeNull();
  });

  it("refuses a changed state, a changed nonce, an expired code, a refusal, a replay and a provider that is down — each with its message, the case unchanged", async () => {
    const own = await caseOf();
    const unchanged = await snapshot(own.id);
    const failureOf = (result: { location?: string }) =>
      new URL(result.location!, testBase).searchParams.get("fehler");

    // state: the answer carries another state than the one this session sent.
    let attempt = await start(own.reference, own.cookie);
    let callback = await atProvider(attempt.url.href, "same");
    callback.searchParams.set("state", "a-state-this-session-never-sent");
    expect(failureOf(await back(callback, attempt.cookie))).toBe("state");

    // nonce: the request that reached the provider carried another nonce; the ID token's is refused.
    attempt = await start(own.reference, own.cookie);
    const tampered = new URL(attempt.url);
    tampered.searchParams.set("nonce", "a-nonce-this-session-never-sent");
    expect(failureOf(await back(await atProvider(tampered.href, "same"), attempt.cookie))).toBe("nonce");

    // code: it expired before the portal redeemed it.
    provider.codeTtl = 1;
    attempt = await start(own.reference, own.cookie);
    callback = await atProvider(attempt.url.href, "same");
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    provider.codeTtl = 60;
    expect(failureOf(await back(callback, attempt.cookie))).toBe("code");

    // refused at the provider.
    attempt = await start(own.reference, own.cookie);
    expect(failureOf(await back(await atProvider(attempt.url.href, "same", "abort"), attempt.cookie))).toBe(
      "refused",
    );

    // replay: the same answer twice — the attempt is used up.
    attempt = await start(own.reference, own.cookie);
    callback = await atProvider(attempt.url.href, "same");
    const first = await back(callback, attempt.cookie);
    expect(failureOf(first)).toBeNull();
    const replay = await back(callback, first.cookie ?? attempt.cookie);
    expect(replay.status).toBe(400);
    expect(replay.data).toEqual({ failure: "no-attempt" });
    await act(own.reference, "discard", first.cookie ?? attempt.cookie);

    // below the level: "low" proves nothing, confirming is refused.
    attempt = await start(own.reference, own.cookie);
    const low = await back(await atProvider(attempt.url.href, "low"), attempt.cookie);
    const refusedLow = await act(own.reference, "confirm", low.cookie ?? attempt.cookie);
    expect(refusedLow).toMatchObject({ status: 409, data: { error: "nothing-usable" } });

    // down: the provider cannot be reached when the person starts.
    const idp = services.config.identityProvider!;
    const down = {
      ...services,
      config: { ...services.config, identityProvider: { ...idp, issuer: new URL("http://127.0.0.1:9") } },
    };
    expect(await act(own.reference, "start", own.cookie, down)).toMatchObject({
      status: 503,
      data: { error: "unavailable" },
    });

    expect(await snapshot(own.id)).toEqual(unchanged);
  });

  it("tells a representative why the proof is not offered: it would prove them, not the person the case is about", async () => {
    const own = await caseOf();
    // Filed for oneself, the unproven name and birth date ask for a copy of one's own identity card.
    expect(await personCasePage(own.reference, own.cookie)).toContain("eine Kopie Ihres Ausweises");
    await services.db
      .insert(representations)
      .values({ requestId: own.id, role: "authorised", name: "Vera Vertreterin" });
    const page = await view(own.reference, own.cookie);
    expect(page).toMatchObject({
      provider: null,
      notForRepresentative: "Test-Identitätsanbieter",
      representedName: person.identifiers.names[0],
      received: null,
    });
    // The case page says it where the offer would be.
    const request = new Request(`${testBase}/vorgang/${own.reference}`, { headers: { Cookie: own.cookie } });
    const casePage = await outcome(() =>
      detail.loader({
        request,
        params: { referenz: own.reference },
        context: routeContext(services),
      } as never),
    );
    expect(casePage.data).toMatchObject({
      identityProvider: null,
      identityNotForRepresentative: "Test-Identitätsanbieter",
    });
    // The hint beside the unproven identifiers asks for the represented person's documents and the authority, not "yours".
    const name = person.identifiers.names[0]!;
    const html = await personCasePage(own.reference, own.cookie);
    expect(html).toContain(escaped(reviewDe.person.otherProofRepresented(name)));
    expect(html).toContain(escaped(`eine Kopie ihres Ausweises`));
    expect(html).not.toContain("eine Kopie Ihres Ausweises");
    expect(reviewEn.person.otherProofRepresented(name)).toContain(
      `belongs to ${name}: send us evidence of theirs below (such as a bill from their phone provider, or a copy of their identity card`,
    );
    expect(reviewEn.person.otherProofRepresented(null)).toContain("belongs to the person you represent");
    const before = await snapshot(own.id);
    expect(await act(own.reference, "start", own.cookie)).toMatchObject({
      status: 409,
      data: { error: "not-offered" },
    });
    expect(await snapshot(own.id)).toEqual(before);
  });

  it("offers nothing to a closed case, and a foreign case is a 404", async () => {
    const own = await caseOf();
    await services.db.update(requests).set({ status: "withdrawn" }).where(eq(requests.id, own.id));
    expect(await act(own.reference, "start", own.cookie)).toMatchObject({
      status: 409,
      data: { error: "not-offered" },
    });
    const stranger = await getPerson(new Request(testBase), services.config);
    addProvenEmail(stranger, "someone.else@example.org");
    const strangerCookie = (await commitPerson(stranger, services.config)).split(";")[0]!;
    expect((await act(own.reference, "start", strangerCookie)).status).toBe(404);
  });
});

/** The person's case page as their session gets it, rendered from its loader's data (German). */
async function personCasePage(reference: string, cookie: string): Promise<string> {
  const pathname = `/vorgang/${reference}`;
  const loaded = await outcome(() =>
    detail.loader({
      request: new Request(`${testBase}${pathname}`, { headers: { Cookie: cookie } }),
      params: { referenz: reference },
      context: routeContext(services),
    } as never),
  );
  expect(loaded.status).toBe(200);
  return renderedPage(
    { id: "vorgang-detail", path: "/vorgang/:referenz", Component: detail.default },
    pathname,
    {
      loaderData: loaded.data,
    },
  );
}

/** renderToString escapes what it writes; the texts compared are escaped alike. */
const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

/** Runs every store job of the case's latest gathering here, as the worker would; returns the run's id. */
async function searchAll(requestId: string): Promise<string> {
  const [run] = await services.db
    .select()
    .from(gatherRuns)
    .where(eq(gatherRuns.requestId, requestId))
    .orderBy(desc(gatherRuns.version))
    .limit(1);
  for (const job of await services.db
    .select()
    .from(gatherStoreJobs)
    .where(eq(gatherStoreJobs.runId, run!.id)))
    await runStoreJob({ db: services.db, sources: services.sources }, job.id);
  return run!.id;
}

const lookedUp = (rows: (typeof findings.$inferSelect)[]) => rows.filter((r) => r.role === "looked-up");
const unconfirmed = (row: typeof findings.$inferSelect) =>
  row.suggestions.some((s) => s.ground === "identity-unconfirmed");

describe("findings that matched only the now-proven identifiers (point 3)", () => {
  it("a search after the proof releases the Melderegister look-ups of the person without the Art. 12(6) suggestion, and the review names the identity provider as the proof", async () => {
    const own = await caseOf();
    await startGather({ ...services, jobs: queuedByHand() }, own.id, null);
    const firstRun = await searchAll(own.id);
    const before = lookedUp(await services.db.select().from(findings).where(eq(findings.runId, firstRun)));
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((f) => f.unproven && unconfirmed(f))).toBe(true);

    const { url, cookie } = await start(own.reference, own.cookie);
    const returned = await back(await atProvider(url.href, "same"), cookie);
    // The confirmation starts a new search, since the first was not yet under review.
    expect((await act(own.reference, "confirm", returned.cookie ?? cookie)).status).toBe(302);
    const secondRun = await searchAll(own.id);
    expect(secondRun).not.toBe(firstRun);
    const after = lookedUp(await services.db.select().from(findings).where(eq(findings.runId, secondRun)));
    expect(after.map((f) => f.ref).sort()).toEqual(before.map((f) => f.ref).sort());
    const complete = after.filter(
      (f) => /^\d{4}-\d{2}-\d{2}$/.test(person.identifiers.birthDate) && !f.unproven,
    );
    expect(complete.length).toBeGreaterThan(0);
    expect(complete.every((f) => !unconfirmed(f))).toBe(true);

    const staffView = await loadStaffCase(services.db, own.id, { filter: {}, page: 1 } as never);
    const proofs = staffView!.findings.filter((f) => complete.some((c) => c.id === f.id)).map((f) => f.proof);
    expect(proofs.length).toBeGreaterThan(0);
    expect(proofs.every((p) => p?.source === "identity-provider" && p.level === "substantial")).toBe(true);
    const byMail = staffView!.findings.filter((f) => (f.matched as { kind: string }).kind === "email");
    expect(byMail.every((f) => f.proof?.source === "email-code")).toBe(true);
  }, 180_000);

  it("a proof after the review started re-evaluates the findings that rest only on the now-proven identifiers: undecided ones lose the Art. 12(6) suggestion, a decided one keeps its decision, a name alone stays unproven; audited, and the review names the proof", async () => {
    const own = await caseOf();
    const name = person.identifiers.names[0]!;
    await startGather({ ...services, jobs: queuedByHand() }, own.id, null);
    const runId = await searchAll(own.id);
    const found = await services.db.select().from(findings).where(eq(findings.runId, runId));
    const looked = lookedUp(found);
    type Rests = { provenBy?: { kind: string; value: string }[] };
    // The look-ups whose complete date of birth agrees rest on the name alone; the others on nothing.
    const provable = looked.filter((f) => ((f.matched as Rests).provenBy ?? []).length > 0);
    expect(provable.length).toBeGreaterThan(0);
    expect(provable.every((f) => f.unproven && unconfirmed(f))).toBe(true);
    expect(
      provable.every(
        (f) =>
          JSON.stringify((f.matched as Rests).provenBy) === JSON.stringify([{ kind: "name", value: name }]),
      ),
    ).toBe(true);

    // Matches the search could have stored, beside the look-ups: a name alone (as stored now and
    // before `provenBy` existed), a look-up the reviewer already decided, and one that also rests
    // on a telephone number nobody proved.
    const { id: _id, ...template } = looked[0]!;
    const fixture = async (ref: string, matched: Record<string, unknown>) => {
      const [row] = await services.db
        .insert(findings)
        .values({ ...template, ref: `${template.ref}#${ref}`, unproven: true, matched })
        .returning();
      return row!;
    };
    const nameMatch = { kind: "name", value: name, recordValue: name, proven: false };
    const nameAlone = await fixture("name-alone", { ...nameMatch, provenBy: [] });
    const nameAloneBefore = await fixture("name-alone-before", nameMatch);
    const decided = await fixture("decided", { ...nameMatch, provenBy: [{ kind: "name", value: name }] });
    const withPhone = await fixture("with-phone", {
      ...nameMatch,
      provenBy: [
        { kind: "name", value: name },
        { kind: "phone", value: "0361 5550123" },
      ],
    });

    const reviewer = await createStaff(services.db, `idp-reviewer-${counter}`, "case-handler");
    const round = await openReview(services.db, reviewer, own.id);
    await decide(services.db, reviewer, own.id, round.id, [decided.id], { decision: "release" });
    const [decision] = await services.db
      .select()
      .from(findingDecisions)
      .where(eq(findingDecisions.findingId, decided.id));

    const { url, cookie } = await start(own.reference, own.cookie);
    const returned = await back(await atProvider(url.href, "same"), cookie);
    expect((await act(own.reference, "confirm", returned.cookie ?? cookie)).status).toBe(302);

    // No new search: the review goes on with the same findings, re-evaluated.
    const runs = await services.db.select().from(gatherRuns).where(eq(gatherRuns.requestId, own.id));
    expect(runs.map((r) => r.id)).toEqual([runId]);
    const rows = new Map(
      (await services.db.select().from(findings).where(eq(findings.runId, runId))).map((f) => [f.id, f]),
    );
    for (const f of provable) {
      expect(rows.get(f.id)).toMatchObject({
        unproven: false,
        matched: expect.objectContaining({ proven: true }),
      });
      expect(unconfirmed(rows.get(f.id)!)).toBe(false);
    }
    // The decided one is proven now, but its decision and what it was made on stay.
    expect(rows.get(decided.id)).toMatchObject({ unproven: false, suggestions: decided.suggestions });
    expect(unconfirmed(rows.get(decided.id)!)).toBe(true);
    expect(
      await services.db.select().from(findingDecisions).where(eq(findingDecisions.findingId, decided.id)),
    ).toEqual([decision]);
    // A name never proves alone (ADR 0007), even once the provider proved it; nor does a match that
    // also rests on an unproven telephone number; nor a look-up whose dates cannot tell.
    for (const f of [nameAlone, nameAloneBefore, withPhone, ...looked.filter((l) => !provable.includes(l))]) {
      expect(rows.get(f.id)).toMatchObject({
        unproven: true,
        matched: expect.objectContaining({ proven: false }),
      });
      expect(unconfirmed(rows.get(f.id)!)).toBe(true);
    }

    const [event] = await services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, own.id), eq(auditEvents.action, "identity.provider-proven")));
    expect(event!.data).toMatchObject({
      searchAgain: false,
      findingsProven: provable.length + 1,
      findingsProvenDecided: 1,
    });
    expect(await verifyAuditChain(services.db)).toMatchObject({ ok: true });

    const staffView = await loadStaffCase(services.db, own.id, { filter: {}, page: 1 } as never);
    const shown = new Map(staffView!.findings.map((f) => [f.id, f.proof]));
    for (const f of [...provable, decided])
      if (shown.has(f.id))
        expect(shown.get(f.id)).toEqual({ source: "identity-provider", level: "substantial" });
    for (const f of [nameAlone, nameAloneBefore, withPhone])
      if (shown.has(f.id)) expect(shown.get(f.id)).toBeNull();
    const byMail = staffView!.findings.filter((f) => (f.matched as { kind: string }).kind === "email");
    expect(byMail.every((f) => f.proof?.source === "email-code")).toBe(true);
  }, 180_000);
});
