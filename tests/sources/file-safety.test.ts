/**
 * File safety of the line stores: rewrites keep mode and owner, links never lead out of the store,
 * a dangling link or a vanishing file does not fail the store, leftovers of a killed rewrite are
 * searched while they are the only copy and cleaned by the next rewrite or sweep, one corrupt file
 * fails only its own references, references survive rotation and compression, a CSV record with a
 * quoted line break is found once and erased whole. Real files in a temp directory, real connectors.
 */
import { spawn, spawnSync } from "node:child_process";
import { unlinkSync } from "node:fs";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, ScanReport, SourceConnector, Subject } from "#app/sources/connector";
import { createCallRecordConnector } from "#app/sources/connectors/call-records.server";
import { createLoginLogConnector } from "#app/sources/connectors/login-log.server";
import { createAccessLogConnector } from "#app/sources/connectors/weblog.server";
import { formatIsoBerlin, formatNginxTime } from "#app/sources/time";
import { compileNodeScript } from "../support/node-script";

const IP = "192.0.2.44";
const OTHER = "198.51.100.7";
const subject: Subject = {
  emails: [],
  names: [],
  phones: [],
  userNames: [],
  postalAddresses: [],
  ips: [{ address: IP, proven: true }],
};
const DAY = 86_400_000;
const BASE = Date.UTC(2025, 9, 8, 8, 0, 0);

let root: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rp-safety-"));
  outside = await mkdtemp(join(tmpdir(), "rp-outside-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function accessLine(ip: string, minute: number, path = "/"): string {
  return `${ip} - - [${formatNginxTime(new Date(BASE + minute * 60_000))}] "GET ${path} HTTP/1.1" 200 512 "-" "curl/8.5.0"`;
}

function logText(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join("");
}

async function findWithReport(
  connector: SourceConnector,
  who: Subject = subject,
): Promise<{ findings: Finding[]; report: ScanReport }> {
  const findings: Finding[] = [];
  let report: ScanReport | undefined;
  for await (const f of connector.find(who, { onReport: (r) => (report = r) })) findings.push(f);
  return { findings, report: report! };
}

/** A pid that certainly belongs to no running process: a child that has exited. */
function deadPid(): number {
  return spawnSync("true").pid!;
}

const mode = async (path: string) => (await stat(path)).mode & 0o7777;

describe("rewrites keep mode and owner", () => {
  it("erase, rectify and sweep leave 0640 and the owner as they were", async () => {
    const web = join(root, "access.log");
    const gz = join(root, "access.log.2.gz");
    await writeFile(web, logText([accessLine(IP, 1), accessLine(OTHER, 2), accessLine(IP, 3)]));
    await writeFile(gz, gzipSync(logText([accessLine(IP, 4), accessLine(OTHER, 5)])));
    for (const path of [web, gz]) {
      await chmod(path, 0o640);
      if (process.getuid?.() === 0) await chown(path, 4321, 4322);
    }
    const connector = createAccessLogConnector("web", root);
    const { findings } = await findWithReport(connector);
    expect(findings).toHaveLength(3);
    const result = await connector.erase([findings[0]!.ref, findings[2]!.ref]);
    expect(result).toMatchObject({ changed: 2, notFound: 0, failures: [] });
    for (const path of [web, gz]) {
      expect(await mode(path), path).toBe(0o640);
      if (process.getuid?.() === 0) expect(await stat(path)).toMatchObject({ uid: 4321, gid: 4322 });
    }
    const now = new Date(BASE + 2 * DAY);
    const swept = await connector.sweep(now, { isExpired: (start) => start.getTime() < BASE + 150_000 });
    expect(swept.deleted).toBe(1);
    expect(await mode(web)).toBe(0o640);
    if (process.getuid?.() === 0) expect(await stat(web)).toMatchObject({ uid: 4321, gid: 4322 });

    const loginDir = join(root, "login");
    await mkdir(loginDir);
    const login = join(loginDir, "beaus-login.log");
    await writeFile(
      login,
      `${JSON.stringify({ ts: formatIsoBerlin(new Date(BASE)), user: "jpmueller", givenName: "Jörg", familyName: "Müller", clientIp: OTHER })}\n`,
    );
    await chmod(login, 0o640);
    const logins = createLoginLogConnector("login", loginDir);
    const [line] = (
      await findWithReport(logins, { ...subject, ips: [], userNames: [{ value: "jpmueller", proven: true }] })
    ).findings;
    const rectified = await logins.rectify(line!.ref, { familyName: "Müller-Lüdenscheidt" });
    expect(rectified.changed).toBe(1);
    expect(await mode(login)).toBe(0o640);
    const moved = rectified.moved![line!.ref]!;
    const states = await logins.inspect([line!.ref, moved]);
    expect(states.get(line!.ref)).toEqual({ state: "absent", held: false, holders: [] });
    expect(states.get(moved)).toEqual({
      state: "present",
      held: false,
      holders: [],
      fields: { givenName: "Jörg", familyName: "Müller-Lüdenscheidt" },
    });
  });
});

describe("links, vanishing files and foreign files", () => {
  it("a link out of the store is reported and not followed; a dangling link and a foreign file are reported; the rest is searched", async () => {
    await writeFile(join(root, "access.log"), logText([accessLine(IP, 1)]));
    await writeFile(join(outside, "access.log"), logText([accessLine(IP, 2), accessLine(IP, 3)]));
    await symlink(join(outside, "access.log"), join(root, "access.log.1"));
    await symlink(outside, join(root, "archive"));
    await symlink(join(root, "gone.log"), join(root, "access.log.2.gz"));
    await symlink(join(root, "access.log"), join(root, "current.access.log"));
    await writeFile(
      join(root, "error.log"),
      `2025/10/08 10:00:00 [error] 12#12: *1 open() failed, client: ${IP}\n`,
    );
    const connector = createAccessLogConnector("web", root);
    const { findings, report } = await findWithReport(connector);
    expect(findings.map((f) => f.ref.split(":")[0])).toEqual(["access.log"]);
    const byWhere = Object.fromEntries(report.problems.map((p) => [p.where, p]));
    expect(byWhere["access.log.1"]).toMatchObject({
      unsearched: true,
      reason: expect.stringMatching(/out of the store/),
    });
    expect(byWhere["archive"]).toMatchObject({
      unsearched: true,
      reason: expect.stringMatching(/out of the store/),
    });
    expect(byWhere["access.log.2.gz"]).toMatchObject({
      unsearched: true,
      reason: expect.stringMatching(/dangling/),
    });
    expect(byWhere["current.access.log"]).toMatchObject({
      unsearched: false,
      reason: expect.stringMatching(/access\.log in the store/),
    });
    expect(byWhere["error.log"]).toMatchObject({
      unsearched: true,
      reason: expect.stringMatching(/not recognised/),
    });
    // Erasing through the store never touches the file behind the link.
    expect((await connector.erase([findings[0]!.ref])).changed).toBe(1);
    expect((await readFile(join(outside, "access.log"), "utf8")).split("\n")).toHaveLength(3);
    expect(await connector.check()).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^1 files .*4 files or links not searched/),
    });
  });

  it("a file that vanishes during the search is reported and the others are searched", async () => {
    for (const [i, name] of ["access.log", "access.log.1", "access.log.2", "access.log.3"].entries()) {
      await writeFile(join(root, name), logText([accessLine(OTHER, i), accessLine(IP, i + 10)]));
    }
    const connector = createAccessLogConnector("web", root);
    const findings: Finding[] = [];
    let report: ScanReport | undefined;
    for await (const f of connector.find(subject, { onReport: (r) => (report = r) })) {
      if (findings.length === 0) unlinkSync(join(root, "access.log.3"));
      findings.push(f);
    }
    expect(findings.map((f) => f.ref.split(":")[0]).sort()).toEqual([
      "access.log",
      "access.log.1",
      "access.log.2",
    ]);
    expect(report!.problems).toEqual([
      { where: "access.log.3", reason: expect.stringMatching(/disappeared/), unsearched: true },
    ]);
  });

  it("a block of NULs without a line end is skipped and reported; a rewrite refuses to cut it", async () => {
    const garbage = Buffer.alloc(17 << 20, 0);
    for (const name of ["access.log", "access.log.1.gz"]) {
      const content = Buffer.concat([
        Buffer.from(logText([accessLine(IP, 1)])),
        garbage,
        Buffer.from(`\n${logText([accessLine(OTHER, 2), accessLine(IP, 3)])}`),
      ]);
      await writeFile(join(root, name), name.endsWith(".gz") ? gzipSync(content) : content);
    }
    const connector = createAccessLogConnector("web", root);
    const { findings, report } = await findWithReport(connector);
    expect(findings.map((f) => f.ref.split(":").slice(0, 2).join(":")).sort()).toEqual(
      ["access.log", "access.log.1.gz"]
        .flatMap((name) => [
          `${name}:0`,
          `${name}:${Buffer.byteLength(accessLine(IP, 1)) + 1 + garbage.length + 1 + Buffer.byteLength(accessLine(OTHER, 2)) + 1}`,
        ])
        .sort(),
    );
    expect(report.problems).toEqual([
      { where: "access.log", line: 2, reason: expect.stringMatching(/too long/), unsearched: false },
      { where: "access.log.1.gz", line: 2, reason: expect.stringMatching(/too long/), unsearched: false },
    ]);
    const result = await connector.erase([findings[0]!.ref]);
    expect(result.changed).toBe(0);
    expect(result.failures).toEqual([
      { ref: findings[0]!.ref, reason: expect.stringMatching(/longer than/) },
    ]);
    expect((await stat(join(root, "access.log"))).size).toBe(
      Buffer.byteLength(logText([accessLine(IP, 1), accessLine(OTHER, 2), accessLine(IP, 3)])) +
        garbage.length +
        1,
    );
  }, 60_000);

  it("check() tells whether the store can be read and never throws", async () => {
    expect(await createAccessLogConnector("web", join(root, "missing")).check()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ENOENT/),
    });
    await expect(createAccessLogConnector("web", root).close()).resolves.toBeUndefined();
  });
});

describe("leftovers of a killed rewrite", () => {
  it("beside its original: not searched twice, removed by the next rewrite", async () => {
    await writeFile(
      join(root, "access.log"),
      logText([accessLine(IP, 1), accessLine(OTHER, 2), accessLine(IP, 3)]),
    );
    const leftover = join(root, `.access.log.tmp-${deadPid()}-0badc0de`);
    await writeFile(leftover, logText([accessLine(IP, 1)]));
    const connector = createAccessLogConnector("web", root);
    const { findings, report } = await findWithReport(connector);
    expect(findings.map((f) => f.ref.split(":")[0])).toEqual(["access.log", "access.log"]);
    expect(report.problems).toEqual([
      {
        where: leftover.slice(root.length + 1),
        reason: expect.stringMatching(/interrupted rewrite of access\.log, which is searched/),
        unsearched: false,
      },
    ]);
    expect((await connector.erase([findings[0]!.ref])).changed).toBe(1);
    expect((await readdir(root)).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("whose original is gone: searched in its place, and removed by the next sweep", async () => {
    await writeFile(join(root, "access.log"), logText([accessLine(OTHER, 1)]));
    const name = `.access.log.1.tmp-${deadPid()}-0badf00d`;
    await writeFile(join(root, name), logText([accessLine(IP, 2), accessLine(OTHER, 3), accessLine(IP, 4)]));
    const connector = createAccessLogConnector("web", root);
    const { findings, report } = await findWithReport(connector);
    expect(findings.map((f) => f.ref.split(":")[0])).toEqual([name, name]);
    expect(report.problems).toEqual([
      {
        where: name,
        reason: expect.stringMatching(/access\.log\.1, which is missing; searched in its place/),
        unsearched: false,
      },
    ]);
    // A reference to the original's name finds its line in the leftover (same rotation family).
    const viaOriginal = findings[0]!.ref.replace(name, "access.log.1");
    expect((await connector.inspect([viaOriginal])).get(viaOriginal)).toMatchObject({ state: "present" });
    expect((await connector.erase([findings[1]!.ref])).changed).toBe(1);
    expect((await findWithReport(connector)).findings).toHaveLength(1);
    await connector.sweep(new Date(BASE + DAY), { isExpired: () => false });
    expect((await readdir(root)).filter((n) => n.includes(".tmp-"))).toEqual([]);
    expect((await connector.inspect([findings[0]!.ref])).get(findings[0]!.ref)).toEqual({
      state: "absent",
      held: false,
      holders: [],
    });
  });
});

describe("a rewrite killed for real", () => {
  it("leaves the original whole; its leftover is reported, not searched twice, and removed by the next erase", async () => {
    const times = Array.from({ length: 1400 }, (_, minute) =>
      formatNginxTime(new Date(BASE + minute * 60_000)),
    );
    const lines = Array.from(
      { length: 100_000 },
      (_, i) =>
        `${i % 1000 === 0 ? IP : OTHER} - - [${times[i % 1400]}] "GET /page/${i} HTTP/1.1" 200 512 "-" "-"`,
    );
    await writeFile(join(root, "access.log.2.gz"), gzipSync(logText(lines)));
    const original = await readFile(join(root, "access.log.2.gz"));
    const connector = createAccessLogConnector("web", root);
    const { findings } = await findWithReport(connector);
    expect(findings).toHaveLength(100);
    // The child runs the connector compiled once, inside the project so its packages resolve.
    const bundleDir = await mkdtemp(join(process.cwd(), "node_modules/.cache/rp-file-safety-"));
    const script = join(bundleDir, "erase.mjs");
    await compileNodeScript(
      {
        stdin: {
          contents:
            `import { createAccessLogConnector } from ${JSON.stringify(join(process.cwd(), "app/sources/connectors/weblog.server.ts"))};\n` +
            `await createAccessLogConnector("web", ${JSON.stringify(root)}).erase(${JSON.stringify(findings.map((f) => f.ref))});\n`,
          loader: "ts",
          resolveDir: process.cwd(),
        },
      },
      script,
    );
    const child = spawn(process.execPath, [script], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let leftover: string | undefined;
    for (let i = 0; i < 12_000 && !leftover; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      leftover = (await readdir(root)).find((n) => n.startsWith(".access.log.2.gz.tmp-"));
    }
    expect(leftover, "the child started its rewrite").toBeDefined();
    child.kill("SIGKILL");
    await exited;
    await rm(bundleDir, { recursive: true, force: true });
    // Buffer.equals: toEqual walks the ~300 KB gzip file byte by byte as an iterable, ~4 s of CPU.
    expect((await readFile(join(root, "access.log.2.gz"))).equals(original), "the original is whole").toBe(
      true,
    );

    const again = await findWithReport(connector);
    expect(again.findings.map((f) => f.ref)).toEqual(findings.map((f) => f.ref));
    expect(again.report.problems).toEqual([
      {
        where: leftover,
        reason: expect.stringMatching(/interrupted rewrite of access\.log\.2\.gz, which is searched/),
        unsearched: false,
      },
    ]);
    expect((await connector.erase([findings[0]!.ref])).changed).toBe(1);
    expect((await readdir(root)).filter((n) => n.includes(".tmp-"))).toEqual([]);
  }, 180_000);
});

describe("batches and rotation", () => {
  it("a corrupt .gz in an erase batch fails only its own references; the other files are changed", async () => {
    await writeFile(join(root, "access.log.1"), logText([accessLine(IP, 1), accessLine(OTHER, 2)]));
    const big = Array.from({ length: 400 }, (_, i) =>
      accessLine(i % 2 ? OTHER : IP, 10 + i, `/page/${i}?x=${(i * 7919) % 1000}`),
    );
    await writeFile(join(root, "access.log.2.gz"), gzipSync(logText(big)));
    await writeFile(
      join(root, "access.log.3.gz"),
      gzipSync(logText([accessLine(IP, 500), accessLine(OTHER, 501)])),
    );
    const connector = createAccessLogConnector("web", root);
    const { findings } = await findWithReport(connector);
    const refs = findings.map((f) => f.ref);
    const broken = refs.filter((r) => r.startsWith("access.log.2.gz:"));
    expect(broken.length).toBe(200);
    const bytes = await readFile(join(root, "access.log.2.gz"));
    bytes.fill(0x41, 30, bytes.length - 8);
    await writeFile(join(root, "access.log.2.gz"), bytes);

    const result = await connector.erase(refs);
    expect(result.changed).toBe(2);
    expect(result.notFound).toBe(0);
    expect(result.failures.map((f) => f.ref).sort()).toEqual([...broken].sort());
    expect(
      result.failures.every((f) => /access\.log\.2\.gz cannot be read \(corrupt gzip data/.test(f.reason)),
    ).toBe(true);
    expect(gunzipSync(await readFile(join(root, "access.log.3.gz"))).toString()).toBe(
      logText([accessLine(OTHER, 501)]),
    );
    expect(await readFile(join(root, "access.log.1"), "utf8")).toBe(logText([accessLine(OTHER, 2)]));
    // While a file the line could have been rotated into cannot be read (access.log.1 → .2.gz), the
    // store cannot confirm that an erased line is gone, and says so; rotation never moves a line of
    // access.log.3.gz into access.log.2.gz, so that one is confirmed.
    const states = await connector.inspect(refs);
    for (const ref of refs) {
      if (ref.startsWith("access.log.3.gz:"))
        expect(states.get(ref), ref).toEqual({ state: "absent", held: false, holders: [] });
      else
        expect(states.get(ref), ref).toEqual({
          state: "unknown",
          reason: expect.stringMatching(/access\.log\.2\.gz cannot be read/),
        });
    }
    await rename(join(root, "access.log.2.gz"), join(outside, "access.log.2.gz"));
    const after = await connector.inspect(refs.filter((r) => !broken.includes(r)));
    expect([...after.values()]).toEqual([
      { state: "absent", held: false, holders: [] },
      { state: "absent", held: false, holders: [] },
    ]);
  });

  it("a reference is found after rotation (access.log → access.log.1 → access.log.2.gz, and dateext), erased, and confirmed absent", async () => {
    await writeFile(
      join(root, "access.log"),
      logText([accessLine(OTHER, 1), accessLine(IP, 2), accessLine(IP, 3)]),
    );
    const connector = createAccessLogConnector("web", root);
    const [first, second] = (await findWithReport(connector)).findings.map((f) => f.ref);
    expect(first).toMatch(/^access\.log:\d+:/);

    await rename(join(root, "access.log"), join(root, "access.log.1"));
    await writeFile(join(root, "access.log"), logText([accessLine(OTHER, 60)]));
    expect((await connector.inspect([first!])).get(first!)).toMatchObject({ state: "present" });
    await writeFile(join(root, "access.log.2.gz"), gzipSync(await readFile(join(root, "access.log.1"))));
    await unlink(join(root, "access.log.1"));

    expect(await connector.erase([first!])).toEqual({
      changed: 1,
      notFound: 0,
      skippedOnHold: 0,
      failures: [],
    });
    expect((await connector.inspect([first!])).get(first!)).toEqual({
      state: "absent",
      held: false,
      holders: [],
    });
    expect(gunzipSync(await readFile(join(root, "access.log.2.gz"))).toString()).toBe(
      logText([accessLine(OTHER, 1), accessLine(IP, 3)]),
    );

    await rename(join(root, "access.log.2.gz"), join(root, "access.log-20251008.gz"));
    expect((await connector.restrict([second!], true, "case-1")).changed).toBe(1);
    expect((await connector.inspect([second!])).get(second!)).toMatchObject({
      state: "present",
      held: true,
      holders: ["case-1"],
    });
    expect((await connector.erase([second!])).skippedOnHold).toBe(1);
    await connector.restrict([second!], false, "case-1");
    expect((await connector.erase([second!])).changed).toBe(1);
    expect((await connector.erase([second!])).notFound).toBe(1);
    expect((await connector.inspect([second!, "nonsense"])).get("nonsense")).toMatchObject({
      state: "unknown",
    });
  });

  it("a CSV record with a quoted line break is found once and erased whole", async () => {
    const header = "call_id;start;duration_s;direction;caller;callee;extension;result";
    const rows = [
      header,
      "20251001080100-aaaaaa;2025-10-01 08:01:00;61;in;+4936198765430;+49361573635800;3635800;ANSWERED",
      '20251001081200-bbbbbb;2025-10-01 08:12:00;120;in;493619876543;+49361573635800;3635800;"FORWARDED\r\nan 3635837"',
      "20251001090000-cccccc;2025-10-01 09:00:00;33;out;+49361573635800;0361 1234567;3635800;ANSWERED",
    ];
    const content = `\uFEFF${rows.join("\r\n")}\r\n`;
    await writeFile(join(root, "cdr-2025-10-01.csv"), content);
    const connector = createCallRecordConnector("calls", root);
    const phone: Subject = { ...subject, ips: [], phones: [{ value: "+49 361 9876543", proven: true }] };
    const { findings, report } = await findWithReport(connector, phone);
    expect(findings).toHaveLength(1);
    const offset = Buffer.byteLength(`\uFEFF${rows[0]}\r\n${rows[1]}\r\n`);
    expect(findings[0]!.ref).toMatch(new RegExp(`^cdr-2025-10-01\\.csv:${offset}:`));
    expect(report.problems).toEqual([]);
    expect((await connector.erase([findings[0]!.ref])).changed).toBe(1);
    expect(await readFile(join(root, "cdr-2025-10-01.csv"), "utf8")).toBe(
      `\uFEFF${[rows[0], rows[1], rows[3]].join("\r\n")}\r\n`,
    );
    expect((await findWithReport(connector, phone)).findings).toEqual([]);
  });

  it("a cut CSV line with an open quote does not swallow the records behind it", async () => {
    // The cut line holds the subject's number: a line without it is not parsed (nor reported) at all.
    const rows = [
      '"20251001080100-aaaaaa;2025-10-01 08:01:00;12;in;0361 9876543',
      "20251001081200-bbbbbb;2025-10-01 08:12:00;120;in;03619876543;+49361573635800;3635800;ANSWERED",
      "20251001090000-cccccc;2025-10-01 09:00:00;33;in;0361/9876543;+49361573635800;3635800;ANSWERED",
    ];
    await writeFile(join(root, "cdr-2025-10-01.csv"), `${rows.join("\n")}\n`);
    const connector = createCallRecordConnector("calls", root);
    const { findings, report } = await findWithReport(connector, {
      ...subject,
      ips: [],
      phones: [{ value: "+493619876543", proven: true }],
    });
    expect(findings).toHaveLength(2);
    expect(report.problems).toEqual([
      { where: "cdr-2025-10-01.csv", line: 1, reason: expect.stringMatching(/malformed/), unsearched: false },
    ]);
  });
});
