import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type Permission, type RoleId, roleDefinitions, roleIds } from "#app/core/permissions";
import { type CaseIntent, intentPermission } from "#app/server/cases/case-actions.server";
import { type ExecutionIntent, executionIntentPermission } from "#app/server/execution/intents";
import { demoAccount } from "./support/staff";
import { getPage, postForm, signInOverHttp } from "./support/staff-http";

const baseUrl = inject("baseUrl");
const dataDir = inject("dataDir");

/**
 * Every staff page and action, with the permission it needs. Expectations come from the roles as
 * data: a role without the permission gets 403, with it anything but 403 (and never a 5xx);
 * without a session everything sends to the sign-in.
 */
const someCase = randomUUID();
const someRound = randomUUID();
/** A well-formed form for every intent of the execution page; typed, so a new intent must be added here. */
const executionForms: Record<ExecutionIntent["intent"], Record<string, string>> = {
  propose: { action: "erase", findingIds: randomUUID() },
  rectify: { findingId: randomUUID(), field: "ort", value: "Weimar" },
  approve: { actionIds: randomUUID() },
  "send-back": { actionIds: randomUUID(), comment: "Bitte den Datensatz noch einmal prüfen." },
  decide: {
    kind: "objection",
    activityId: "website-visit",
    outcome: "rejected",
    reasoning: "Ein Widerspruch ist für diese Protokolle gesetzlich ausgeschlossen.",
  },
  archive: { actionId: randomUUID(), decision: "not-archival", answeredOn: "2025-01-02" },
  "retry-failed": { actionIds: randomUUID() },
  "resolve-failed": { actionId: randomUUID(), note: "Zeile von Hand aus dem rotierten Protokoll gelöscht." },
};
/** A well-formed form for every intent of the staff case page; typed, so a new intent must be added here. */
const caseForms: Record<CaseIntent["intent"], Record<string, string>> = {
  assign: { assigneeId: "" },
  gather: {},
  retry: { storeJobId: randomUUID() },
  "open-review": {},
  decide: { roundId: someRound, findingIds: randomUUID(), decision: "release" },
  propose: { roundId: someRound },
  approve: { roundId: someRound },
  "send-back": { roundId: someRound, comment: "bitte prüfen" },
  extend: { months: "1", reasons: "Viele Datenquellen, umfangreiche Prüfung nötig." },
  refuse: { ground: "excessive", reasons: "Offenkundig exzessiv wegen häufiger Wiederholung." },
  decline: {
    kinds: "berichtigung",
    personReasons: "Die Daten sind richtig; wir haben sie mit dem Melderegister verglichen.",
    reasoning: "Abgleich mit dem Melderegister am Tag des Antrags.",
  },
  "release-answer": {},
  "accept-unsearched": { reason: "Das System ist außer Betrieb; die Antwort kann nicht warten." },
  "confirm-identifier": {
    identifierId: randomUUID(),
    evidenceKind: "provider-record",
    evidence: "Rückruf unter der bekannten Nummer.",
  },
  "store-decision": {
    store: "beaus-login",
    applies: "no",
    reasoning: "Keine Gefährdung der öffentlichen Sicherheit erkennbar.",
  },
  "identity-check": { how: "in-person", documentKind: "id-card", numberTail: "1234", result: "confirmed" },
  "record-demand": { channel: "letter" },
  "handed-over": { demandId: randomUUID(), day: "2026-12-01", note: "Per Boten übergeben." },
};
const actions: {
  name: string;
  permission: Permission | null;
  call: (cookie: string | null) => Promise<Response>;
}[] = [
  { name: "GET /intern", permission: null, call: (c) => getPage(baseUrl, "/intern", c) },
  { name: "GET /intern/sitzungen", permission: null, call: (c) => getPage(baseUrl, "/intern/sitzungen", c) },
  {
    name: "GET /intern/vorgaenge",
    permission: "case:read",
    call: (c) => getPage(baseUrl, "/intern/vorgaenge", c),
  },
  {
    name: "GET /intern/vorgaenge/:id",
    permission: "case:read",
    call: (c) => getPage(baseUrl, `/intern/vorgaenge/${someCase}`, c),
  },
  {
    name: "GET /intern/eingang",
    permission: "request:intake",
    call: (c) => getPage(baseUrl, "/intern/eingang", c),
  },
  {
    name: "GET /intern/uebersicht",
    permission: "statistics:read",
    call: (c) => getPage(baseUrl, "/intern/uebersicht", c),
  },
  {
    name: "GET /intern/antragsverzeichnis.csv",
    permission: "statistics:read",
    call: (c) => getPage(baseUrl, "/intern/antragsverzeichnis.csv", c),
  },
  {
    name: "GET /intern/jahresbericht.pdf",
    permission: "statistics:read",
    call: (c) => getPage(baseUrl, "/intern/jahresbericht.pdf", c),
  },
  {
    name: "GET /intern/vorgaenge/:id/tlfdi-nachweis",
    permission: "tlfdi:record",
    call: (c) => getPage(baseUrl, `/intern/vorgaenge/${someCase}/tlfdi-nachweis`, c),
  },
  {
    name: "GET /intern/vorgaenge/:id/identitaetsdokument/:documentId",
    permission: "finding:propose",
    call: (c) => getPage(baseUrl, `/intern/vorgaenge/${someCase}/identitaetsdokument/${randomUUID()}`, c),
  },
  {
    name: "GET /intern/vorgaenge/:id/brief.pdf",
    permission: "case:read",
    call: (c) => getPage(baseUrl, `/intern/vorgaenge/${someCase}/brief.pdf`, c),
  },
  {
    name: "GET /intern/vorgaenge/:id/umsetzung",
    permission: "case:read",
    call: (c) => getPage(baseUrl, `/intern/vorgaenge/${someCase}/umsetzung`, c),
  },
  {
    name: "GET /intern/quellen",
    permission: "sources:manage",
    call: (c) => getPage(baseUrl, "/intern/quellen", c),
  },
  ...Object.entries(caseForms).map(([intent, fields]) => ({
    name: `POST ${intent}`,
    permission: intentPermission[intent as CaseIntent["intent"]],
    call: (c: string | null) => postForm(baseUrl, `/intern/vorgaenge/${someCase}`, c, { intent, ...fields }),
  })),
  ...Object.entries(executionForms).map(([intent, fields]) => ({
    name: `POST umsetzung ${intent}`,
    permission: executionIntentPermission[intent as ExecutionIntent["intent"]],
    call: (c: string | null) =>
      postForm(baseUrl, `/intern/vorgaenge/${someCase}/umsetzung`, c, { intent, ...fields }),
  })),
];

const cookies = new Map<RoleId, string>();
beforeAll(async () => {
  for (const role of roleIds)
    cookies.set(role, await signInOverHttp(baseUrl, demoAccount(dataDir, role), dataDir));
}, 120_000);

describe("anonymous client", () => {
  it.each(actions.map((a) => [a.name, a] as const))("%s sends to the sign-in", async (_name, action) => {
    const response = await action.call(null);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/intern\/anmelden/);
  });
});

describe.each(roleIds.map((role) => [role] as const))("role %s", (role) => {
  const granted = new Set<Permission>(roleDefinitions[role].permissions);
  it.each(actions.map((a) => [a.name, a] as const))("%s", async (_name, action) => {
    const response = await action.call(cookies.get(role)!);
    if (action.permission && !granted.has(action.permission)) {
      expect(response.status).toBe(403);
    } else {
      expect(response.status).not.toBe(403);
      expect(response.status).toBeLessThan(500);
    }
  });
});
