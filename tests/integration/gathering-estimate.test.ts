/**
 * The staff case page states how long a request's search takes at the configured store sizes
 * (ADR 0023): before the first gathering beside the button, afterwards above the gathering table
 * and per store in its "Erwartet" column; a store without a size is named and shows "–".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requests } from "#db/schema";
import { staffDe } from "#app/i18n/staff.de";
import { createStaffAccount } from "#app/server/auth/staff-accounts.server";
import type { Services } from "#app/server/services.server";
import { loadDatabaseStores } from "#app/sources/database.server";
import { MEASURED_THROUGHPUT } from "#app/sources/measured-throughput";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { gatheredCase } from "../support/cases";
import { renderedStaffCasePage, staffSessionCookie } from "../support/route-calls";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";

const dir = mkdtempSync(path.join(tmpdir(), "rp-estimate-"));
const sampleDir = path.join(dir, "sample");
let services: Services;
let close: () => Promise<void>;
let person: AnswerKeyPerson;
let cookie: string;

/** Sizes of a data centre for the web logs, the mailboxes and the protocols; the records management has none. */
const SIZES: Record<string, object> = {
  "web-tsr": { days: 365, gbPerDay: 2 },
  "beaus-login": { days: 365, gbPerDay: 0.05 },
  "mail-poststelle": { gb: 40 },
  "mail-support": { gb: 25 },
  telefon: { days: 180, gbPerDay: 0.1 },
  abrufprotokolle: { rowsPerYear: 20_000_000, years: 2 },
  servicedesk: { rowsPerYear: 400_000, years: 3 },
};

beforeAll(async () => {
  person = (await cachedSample({ people: 6, days: 3, seed: "estimate", out: sampleDir })).answerKey
    .persons[0]!;
  const { stores } = JSON.parse(readFileSync("config/sources.json", "utf8")) as { stores: { id: string }[] };
  const configFile = path.join(dir, "sources.json");
  writeFileSync(
    configFile,
    // Sizes of our own (undefined leaves the store's size out of the file), whatever config/sources.json says.
    JSON.stringify({ stores: stores.map((s) => ({ ...s, size: SIZES[s.id] })) }),
  );
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir, SOURCES_CONFIG: configFile }));
  await loadDatabaseStores(services.database.sql, sampleDir);
  const handler = await createStaffAccount(services.db, {
    userName: "estimate-handler",
    displayName: "Handler",
    email: "handler@x",
    password: "pw",
    roles: ["case-handler"],
  });
  cookie = await staffSessionCookie(services, handler);
}, 300_000);
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

async function casePage(requestId: string): Promise<{ data: Record<string, unknown>; html: string }> {
  const page = await renderedStaffCasePage(services, cookie, requestId);
  expect(page.status).toBe(200);
  return page;
}

/** renderToString escapes what it writes; the texts compared are escaped alike. */
const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&#x27;");

describe("the expected duration of a request's gathering", () => {
  it("is computed from the configured sizes and shown per store on the gathering table", async () => {
    const { requestId } = await gatheredCase(services, person, ["auskunft"], { at: new Date() });
    const { data, html } = await casePage(requestId);
    const expected = data.expectedGathering as {
      seconds: number;
      stores: { id: string; seconds: number; withoutIndex?: { seconds: number } }[];
      unsized: string[];
      withoutIndex?: { seconds: number };
    };
    // 730 GB of web logs at the measured rate, the protocols through their index whatever their rows.
    const web = MEASURED_THROUGHPUT["nginx-access-log"];
    expect(expected.stores.find((s) => s.id === "web-tsr")!.seconds).toBeCloseTo(
      web.fixedSeconds + 730 * web.secondsPerUnit,
      6,
    );
    expect(expected.stores.map((s) => s.id).sort()).toEqual(Object.keys(SIZES).sort());
    expect(expected.unsized).toEqual(["viskompakt"]);
    expect(expected.seconds).toBeGreaterThanOrEqual(Math.max(...expected.stores.map((s) => s.seconds)));

    const t = staffDe.case;
    expect(html).toContain(`<th scope="col">${t.expected}</th>`);
    expect(html).toContain(escaped(t.expectedUnsized("viskompakt")));
    expect(html).toContain(escaped(t.duration(expected.seconds)));
    // The protocols' second is their index's: without it every one of the 40 M rows is parsed
    // (≈ 131 µs a row), and the page says so, for the store and for the request.
    const protocols = expected.stores.find((s) => s.id === "abrufprotokolle")!;
    expect(protocols.seconds).toBeLessThan(2);
    expect(t.duration(protocols.withoutIndex!.seconds)).toBe("etwa 1 Std. 27 Min.");
    expect(html).toContain(
      escaped(t.expectedAssumesIndex("abrufprotokolle", t.duration(expected.withoutIndex!.seconds))),
    );
    // Each store's row carries its own figure (with and without the index where it has one); the one without a size a dash.
    for (const store of expected.stores) {
      const rowHtml = new RegExp(`<th scope="row">${store.id}</th>.*?</tr>`).exec(html)?.[0] ?? "";
      const cell = store.withoutIndex
        ? t.expectedWithIndex(t.duration(store.seconds), t.duration(store.withoutIndex.seconds))
        : t.duration(store.seconds);
      expect(rowHtml, store.id).toContain(`<td>${escaped(cell)}</td></tr>`);
    }
    expect(new RegExp(`<th scope="row">viskompakt</th>.*?</tr>`).exec(html)?.[0]).toContain(
      "<td>–</td></tr>",
    );
  }, 300_000);

  it("is stated before the first gathering too", async () => {
    const [request] = await services.db
      .insert(requests)
      .values({
        status: "received",
        kinds: ["auskunft"],
        channel: "web",
        reference: "DSR-2025-900001",
        contactEmail: "someone@example.org",
        provenAt: new Date(),
        receivedAt: new Date(),
      })
      .returning({ id: requests.id });
    const { data, html } = await casePage(request!.id);
    expect(data.gathering).toBeNull();
    expect(html).toContain(escaped(staffDe.case.expectedUnsized("viskompakt")));
    expect(html).toMatch(
      /Bei den eingestellten Größen der Datenquellen dauert die Suche für eine Anfrage etwa/,
    );
  });
});
