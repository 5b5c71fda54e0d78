import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnswerSpool, removeCrashedAnswerSpools } from "#app/server/answers/answer-spool.server";

/**
 * A download killed half-way (kill -9) leaves its spool — a person's data as JSON lines — in the
 * temporary folder. The start-up sweep removes the spools of processes that ended, and nothing else.
 */
let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "spool-sweep-"));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

/** The pid of a process that has just ended. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  return Number(child.stdout.trim());
}

describe("the start-up sweep of answer spools", () => {
  it("removes the spool of a process that ended and keeps those of running processes", async () => {
    const open = await AnswerSpool.create(parent);
    open.addRecord(await open.store("web-tsr"), '{"ref":"a"}');
    await open.closeRecords();
    const ownName = (await readdir(parent))[0]!;
    // The spool is named after its process, as the sweep reads it.
    expect(ownName).toMatch(new RegExp(`^rp-answer-${process.pid}-[A-Za-z0-9]{6}$`));

    const crashed = join(parent, ownName.replace(`-${process.pid}-`, `-${endedPid()}-`));
    await mkdir(crashed);
    await writeFile(join(crashed, "1"), '\n    {"ref":"a"}');
    const running = join(parent, ownName.replace(`-${process.pid}-`, `-${process.ppid}-`));
    await mkdir(running);
    const unrelated = join(parent, "rp-answers-notes");
    await mkdir(unrelated);

    expect(await removeCrashedAnswerSpools(parent)).toBe(1);
    expect(existsSync(crashed)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
    // This process's open spool stays; its records are still there to be read.
    expect(existsSync(join(parent, ownName))).toBe(true);
    const bytes: Buffer[] = [];
    for await (const piece of open.recordBytes("web-tsr")) bytes.push(piece);
    expect(Buffer.concat(bytes).toString()).toContain('"ref":"a"');

    await open.remove();
    // A folder named after this process that no spool of it holds open is a leftover (a restarted
    // container's process often has the pid of the one that crashed).
    const samePid = join(parent, `rp-answer-${process.pid}-abcdef`);
    await mkdir(samePid);
    expect(await removeCrashedAnswerSpools(parent)).toBe(1);
    expect(existsSync(samePid)).toBe(false);
  });

  it("removes nothing where the folder cannot be read", async () => {
    expect(await removeCrashedAnswerSpools(join(parent, "missing"))).toBe(0);
  });
});
