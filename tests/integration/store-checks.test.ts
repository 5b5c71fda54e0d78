/**
 * Store checks: every configured store checked on the staff page (and at start), with the reason
 * when it cannot be reached, a timeout for one that does not answer, and the stores whose
 * configuration failed.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { type Server, type Socket, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createCookie, createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffSessions } from "#db/schema";
import * as quellen from "#app/routes/intern/quellen";
import type { Services } from "#app/server/services.server";
import { checkStores, storeCheckLines } from "#app/server/store-checks.server";
import { parseSourcesConfig } from "#app/sources/config";
import { loadDatabaseStores } from "#app/sources/database.server";
import { createRegistry } from "#app/sources/registry.server";
import { outcome, routeContext, testBase } from "../support/route-calls";
import { cachedSample } from "../support/sample-cache";
import { createTestServices } from "../support/services";

const sampleDir = mkdtempSync(path.join(tmpdir(), "rp-checks-"));
let services: Services;
let close: () => Promise<void>;

async function cookieFor(role: string): Promise<string> {
  const [row] = await services.database.sql.query<{ id: string }>(
    "insert into staff_users (user_name, display_name, email, password_hash) values ($1, $1, $1 || '@tlrz.example', 'x') returning id",
    [`${role}-${randomUUID().slice(0, 8)}`],
  );
  await services.database.sql.query("insert into staff_user_roles (user_id, role_id) values ($1, $2)", [
    row!.id,
    role,
  ]);
  const token = randomUUID();
  await services.database.db.insert(staffSessions).values({
    id: createHash("sha256").update(token).digest("hex"),
    userId: row!.id,
    totpPassed: true,
    lastTotpAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return (
    await createCookie("rp_staff", { secrets: [services.config.sessionSecret] }).serialize(token)
  ).split(";")[0]!;
}

const load = (cookie: string) =>
  outcome(() =>
    quellen.loader({
      request: new Request(`${testBase}/intern/quellen`, { headers: { Cookie: cookie } }),
      params: {},
      context: routeContext(services),
    } as never),
  );

function render(loaderData: unknown): string {
  const Stub = createRoutesStub([{ id: "quellen", path: "/intern/quellen", Component: quellen.default }]);
  return renderToString(
    createElement(Stub, {
      initialEntries: ["/intern/quellen"],
      hydrationData: { loaderData: { quellen: loaderData } },
    }),
  );
}

beforeAll(async () => {
  await cachedSample({ people: 8, days: 3, seed: "checks", out: sampleDir });
  ({ services, close } = await createTestServices({ SOURCES_DIR: sampleDir }));
  await loadDatabaseStores(services.database.sql, sampleDir);
}, 120_000);
afterAll(async () => {
  await close();
  rmSync(sampleDir, { recursive: true, force: true });
});

describe("the staff page of the source stores", () => {
  it("is for staff who manage the stores", async () => {
    expect((await load(await cookieFor("case-handler"))).status).toBe(403);
    expect(
      await outcome(() =>
        quellen.loader({
          request: new Request(`${testBase}/intern/quellen`),
          params: {},
          context: routeContext(services),
        } as never),
      ),
    ).toMatchObject({
      status: 302,
      location: expect.stringMatching(/^\/intern\/anmelden/),
    });
  });

  it("checks every configured store on load, and names the one that cannot be read", async () => {
    const cookie = await cookieFor("admin");
    const ok = await load(cookie);
    const data = ok.data as Awaited<ReturnType<typeof quellen.loader>>;
    expect(data.checked.map((c) => c.store).sort()).toEqual([...services.sources.connectors.keys()].sort());
    for (const c of data.checked) expect(c.check, c.store).toMatchObject({ ok: true });
    expect(data.misconfigured).toEqual([]);

    const folder = path.join(sampleDir, "telefon");
    renameSync(folder, `${folder}.away`);
    try {
      const down = (await load(cookie)).data as typeof data;
      const telephone = down.checked.find((c) => c.store === "telefon")!;
      expect(telephone).toMatchObject({ kind: "call-records-csv", timedOut: false, check: { ok: false } });
      expect(down.checked.filter((c) => c.store !== "telefon").every((c) => c.check.ok)).toBe(true);
      const html = render(down);
      expect(html).toContain("Quellsysteme");
      expect(html).toContain("nicht erreichbar");
      expect(html).toContain(`<th scope="row">telefon</th>`);
    } finally {
      renameSync(`${folder}.away`, folder);
    }
  });
});

describe("a store that does not answer, and one that is not set up", () => {
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // A mail server that accepts the connection and then says nothing.
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("reports the silent one as not reachable after the timeout, and the broken entry with its reason", async () => {
    process.env.RP_TEST_IMAP_PASSWORD = "secret";
    const port = (server.address() as { port: number }).port;
    const config = parseSourcesConfig({
      stores: [
        {
          id: "mail-silent",
          title: "Stilles Postfach",
          kind: "imap-mailbox",
          host: "127.0.0.1",
          port,
          tls: "none",
          user: "portal",
          passwordEnv: "RP_TEST_IMAP_PASSWORD",
        },
        { id: "telefon", title: "Telefon", kind: "call-records-csv", path: "telefon" },
        { id: "broken", title: "Kaputt", kind: "nginx-access-log" },
      ],
    });
    const registry = createRegistry(config, { dataDir: sampleDir });
    const started = Date.now();
    const checks = await checkStores(registry, 400);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(checks.checked).toEqual([
      {
        store: "mail-silent",
        kind: "maildir",
        timedOut: true,
        check: { ok: false, reason: "no answer within 400 ms" },
      },
      {
        store: "telefon",
        kind: "call-records-csv",
        timedOut: false,
        check: { ok: true, detail: expect.any(String) },
      },
    ]);
    expect(checks.misconfigured).toEqual([
      { store: "broken", kind: null, message: expect.stringMatching(/^invalid configuration: /) },
    ]);
    expect(storeCheckLines(checks)).toEqual([
      "[sources] mail-silent: not reachable (no answer within 400 ms)",
      "[sources] telefon: ok",
      expect.stringMatching(/^\[sources\] broken: not set up \(invalid configuration: /),
    ]);
    const html = render({ ...checks, checkedAt: new Date(), timeoutSeconds: 5 });
    expect(html).toContain("keine Antwort innerhalb von 5 Sekunden");
    expect(html).toContain("Nicht eingerichtet");
    expect(html).toContain("broken");
    for (const socket of sockets) socket.destroy();
    for (const connector of registry.connectors.values()) await connector.close();
  });
});
