/**
 * Erase, restrict, rectify and sweep: other records stay byte for byte, repeats change nothing,
 * held records survive, database changes are transactional.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { isExpired, retentionRules } from "#app/core/retention";
import type { SweepRule } from "#app/sources/connector";
import { sweepRulesFor } from "#app/sources/retention";
import { parseBerlinLocal } from "#app/sources/time";
import { SAMPLE_STORES } from "#app/sources/sample/layout";
import { expectedRefs, findAll, type SampleFixture, sampleFixture, subjectFromKey } from "./fixture";

let fx: SampleFixture;

beforeAll(async () => {
  fx = await sampleFixture({ people: 40, days: 30, seed: "changes" });
}, 60_000);

afterAll(async () => {
  await fx?.cleanup();
});

const DAY = 86_400_000;
const olderThan = (days: number): SweepRule => ({
  isExpired: (start, now) => now.getTime() - start.getTime() > days * DAY,
});

async function readLines(path: string): Promise<string[]> {
  const bytes = await readFile(path);
  return (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8").split("\n");
}

async function snapshot(dir: string): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith(".")))
    files.set(name, await readLines(join(dir, name)));
  return files;
}

/** The time of an nginx line, read independently of the connector. */
function nginxTime(line: string): Date | null {
  const m =
    /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{2})(\d{2})\] "(?:[^"\\]|\\.)*" \d{3} /.exec(
      line,
    );
  if (!m) return null;
  return new Date(
    `${m[3]}-${String("JanFebMarAprMayJunJulAugSepOctNovDec".indexOf(m[2]!) / 3 + 1).padStart(2, "0")}-${m[1]}T${m[4]}:${m[5]}:${m[6]}${m[7]}:${m[8]}`,
  );
}

describe("file stores", () => {
  it("erase removes exactly the referenced lines, atomically and repeatably", async () => {
    const person = fx.key.persons.find((p) => p.demo === "erika")!;
    const web = fx.connector(SAMPLE_STORES.web.id);
    const dir = join(fx.dir, SAMPLE_STORES.web.path);
    const refs = expectedRefs(person, SAMPLE_STORES.web.id);
    expect(refs.some((r) => r.includes(".gz:"))).toBe(true);
    const before = await snapshot(dir);
    const erased = new Set((await findAll(web, subjectFromKey(person))).map((f) => String(f.content.raw)));

    expect(await web.erase(refs)).toEqual({
      changed: refs.length,
      notFound: 0,
      skippedOnHold: 0,
      failures: [],
    });
    const after = await snapshot(dir);
    for (const [name, lines] of before) {
      expect(after.get(name), name).toEqual(lines.filter((line) => !erased.has(line)));
    }
    expect(await findAll(web, subjectFromKey(person))).toEqual([]);
    expect(await web.erase(refs)).toEqual({
      changed: 0,
      notFound: refs.length,
      skippedOnHold: 0,
      failures: [],
    });
    const states = await web.inspect(refs);
    expect([...states.values()].every((s) => s.state === "absent")).toBe(true);
    expect(await snapshot(dir)).toEqual(after);
    expect((await readdir(dir)).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("erase finds a line by its hash after earlier lines of the file were erased", async () => {
    const person = fx.key.persons.find((p) => p.demo === "lukasz")!;
    const web = fx.connector(SAMPLE_STORES.web.id);
    const refs = expectedRefs(person, SAMPLE_STORES.web.id);
    const sameFile = refs.filter((r) => r.startsWith(refs[0]!.split(":")[0]! + ":"));
    if (sameFile.length >= 2) {
      await web.erase([sameFile[0]!]);
      expect((await web.erase([sameFile[1]!])).changed).toBe(1);
    }
  });

  it("sweep deletes exactly the expired lines, skips held ones, and a second sweep deletes nothing", async () => {
    const web = fx.connector(SAMPLE_STORES.web.id);
    const dir = join(fx.dir, SAMPLE_STORES.web.path);
    const now = new Date(fx.end.getTime() + 45 * DAY);
    const rule = olderThan(60);
    const before = await snapshot(dir);
    const expired = [...before.values()].flat().filter((line) => {
      const at = nginxTime(line);
      return at && rule.isExpired(at, now);
    });
    expect(expired.length).toBeGreaterThan(0);
    const holdPerson = fx.key.persons.find(
      (p) => p.identifiers.ips.some((w) => rule.isExpired(new Date(w.to), now)) && !p.demo,
    )!;
    const held = (await findAll(web, subjectFromKey(holdPerson))).filter(
      (f) => f.recordedAt && rule.isExpired(f.recordedAt, now),
    );
    expect(held.length).toBeGreaterThan(0);
    expect(
      (
        await web.restrict(
          held.map((f) => f.ref),
          true,
          "case-1",
        )
      ).changed,
    ).toBe(held.length);

    const result = await web.sweep(now, rule);
    expect(result.skippedOnHold).toBe(held.length);
    expect(result.deleted).toBe(expired.length - held.length);
    expect(result.malformed).toBeGreaterThan(0);
    expect(result.oldestAffected!.getTime()).toBeLessThanOrEqual(result.newestAffected!.getTime());
    const remaining = [...(await snapshot(dir)).values()].flat();
    for (const f of held) expect(remaining).toContain(String(f.content.raw));
    expect(remaining.filter((l) => nginxTime(l) && rule.isExpired(nginxTime(l)!, now)).length).toBe(
      held.length,
    );

    const again = await web.sweep(now, rule);
    expect(again.deleted).toBe(0);
    expect(again.skippedOnHold).toBe(held.length);
    expect((await web.erase(held.map((f) => f.ref))).skippedOnHold).toBe(held.length);
    await web.restrict(
      held.map((f) => f.ref),
      false,
      "case-1",
    );
    expect((await web.sweep(now, rule)).deleted).toBe(held.length);
  });

  it("rectify rewrites one login line and keeps the others byte for byte", async () => {
    const person = fx.key.persons.find((p) => p.demo === "erika")!;
    const login = fx.connector(SAMPLE_STORES.login.id);
    const [first] = await findAll(login, subjectFromKey(person));
    const file = join(fx.dir, SAMPLE_STORES.login.path, first!.ref.split(":")[0]!);
    const before = await readLines(file);
    expect((await login.rectify(first!.ref, { familyName: "Mustermann-Beispiel" })).changed).toBe(1);
    const after = await readLines(file);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!).familyName).toBe("Mustermann-Beispiel");
    await expect(login.rectify(first!.ref, { clientIp: "1.2.3.4" })).rejects.toThrow(/not possible/);
  });

  it("maildir and records management erase whole records; records wait for the archive", async () => {
    const person = fx.key.persons.find((p) => p.demo === "joerg")!;
    for (const id of [SAMPLE_STORES.poststelle.id, SAMPLE_STORES.dms.id]) {
      const connector = fx.connector(id);
      const refs = expectedRefs(person, id);
      expect((await connector.erase(refs)).changed).toBe(refs.length);
      expect(await findAll(connector, subjectFromKey(person))).toEqual([]);
      expect((await connector.erase(refs)).changed).toBe(0);
    }
    const dms = fx.connector(SAMPLE_STORES.dms.id);
    const result = await dms.sweep(fx.end, olderThan(5 * 365));
    expect(result.deleted + result.skippedPendingArchive).toBeGreaterThan(0);
    expect((await dms.sweep(fx.end, olderThan(5 * 365))).deleted).toBe(0);
  });

  it("rectify in records management changes the metadata and only that", async () => {
    const person = fx.key.persons.find((p) => p.demo === "lukasz")!;
    const dms = fx.connector(SAMPLE_STORES.dms.id);
    const ref = expectedRefs(person, SAMPLE_STORES.dms.id)[0]!;
    expect((await dms.rectify(ref, { ort: "Weimar" })).changed).toBe(1);
    const [found] = (await findAll(dms, subjectFromKey(person))).filter((f) => f.ref === ref);
    expect((found!.content.absender as Record<string, string>).ort).toBe("Weimar");
    expect((await dms.rectify(ref, { ort: "Weimar" })).changed).toBe(0);
  });
});

describe("sweeps with the core's retention rules", () => {
  it("call records: exactly the calls past the configured rule go, leftovers of a killed rewrite are ignored", async () => {
    const store = fx.stores.find((s) => s.id === SAMPLE_STORES.calls.id)!;
    const rules = sweepRulesFor(store)!;
    const dir = join(fx.dir, SAMPLE_STORES.calls.path);
    await writeFile(join(dir, ".cdr-2025-11-01.csv.tmp-999-deadbeef"), "half written");
    const rows = [...(await snapshot(dir)).entries()]
      .filter(([n]) => n.endsWith(".csv"))
      .flatMap(([, lines]) => lines.slice(1));
    const expired = rows.filter((line) => {
      const at = parseBerlinLocal(line.split(";")[1] ?? "");
      return at && line.split(";").length === 8 && isExpired(retentionRules["call-record"], at, fx.end);
    });
    expect(expired.length).toBeGreaterThan(0);
    const result = await fx.connector(store.id).sweep(fx.end, rules);
    expect(result.deleted).toBe(expired.length);
    expect(result.malformed).toBeGreaterThan(0);
    expect((await fx.connector(store.id).sweep(fx.end, rules)).deleted).toBe(0);
  });
});

describe("database stores", () => {
  it("erase is one transaction and honours holds", async () => {
    const person = fx.key.persons.find((p) => p.official && !p.demo)!;
    const retrieval = fx.connector(SAMPLE_STORES.retrieval.id);
    const refs = expectedRefs(person, SAMPLE_STORES.retrieval.id);
    expect(refs.length).toBeGreaterThan(1);
    await retrieval.restrict([refs[0]!], true, "case-1");
    expect(await retrieval.erase(refs)).toMatchObject({
      changed: refs.length - 1,
      notFound: 0,
      skippedOnHold: 1,
    });
    expect((await findAll(retrieval, subjectFromKey(person))).map((f) => f.ref)).toEqual([refs[0]]);
  });

  it("ticket sweep uses the closure date and each activity's rule; rectify changes the ticket", async () => {
    const desk = fx.connector(SAMPLE_STORES.servicedesk.id);
    const rules = { "support-ticket": olderThan(2 * 365), "contact-form": olderThan(5 * 365) };
    const rows = await fx.db.sql.query<{ closed_at: Date | null; contact_form: boolean }>(
      `SELECT closed_at, contact_form FROM "${fx.db.schemas.servicedesk}".ticket`,
    );
    const expected = rows.filter(
      (r) =>
        r.closed_at &&
        (r.contact_form ? rules["contact-form"] : rules["support-ticket"]).isExpired(
          new Date(r.closed_at),
          fx.end,
        ),
    ).length;
    const result = await desk.sweep(fx.end, rules);
    expect(result.deleted).toBe(expected);
    expect((await desk.sweep(fx.end, rules)).deleted).toBe(0);
    const erika = fx.key.persons.find((p) => p.demo === "erika")!;
    const ticket = (await findAll(desk, subjectFromKey(erika))).find((f) => f.content.table === "ticket")!;
    expect((await desk.rectify(ticket.ref, { customer_phone: "+49 361 0000000" })).changed).toBe(1);
    await expect(desk.rectify(ticket.ref, { body: "x" })).rejects.toThrow(/not possible/);
  });
});
