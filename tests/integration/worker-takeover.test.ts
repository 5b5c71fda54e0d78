/**
 * A worker that died leaves pg-boss jobs "active" and mails "sending". The next worker takes them
 * over at its start instead of after pg-boss's expiry (15 min) or the outbox's stale claim
 * (10 min); work a running worker holds is left alone. The kill -9 suite (tests/e2e/kill-recovery)
 * proves the same with real processes; this test pins the rule itself, on both backends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "#db/client";
import { mailOutbox } from "#db/schema";
import { startJobs } from "#app/server/jobs/index.server";
import type { JobContext, JobDefinition } from "#app/server/jobs/job";
import { createTestDatabase } from "../support/database";
import { storelessJobContext } from "../support/services";
import { type TestSmtp, recipients, startTestSmtp } from "../support/smtp";
import { until } from "../support/until";

let database: Database;
let smtp: TestSmtp;
let context: JobContext;
const dataDir = mkdtempSync(path.join(tmpdir(), "rp-takeover-"));
const senders = { concurrency: 2, ratePerSecond: 50, pollMs: 100, retryBaseMs: 200 };

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startTestSmtp();
  context = await storelessJobContext(database, dataDir, { SMTP_URL: smtp.url });
});

afterAll(async () => {
  await smtp.close();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A job that records its runs and, while `hold` is set, does not finish. */
function probe(queue: string) {
  const runs: unknown[] = [];
  let release = () => {};
  const held = { on: false };
  const definition: JobDefinition = {
    queue,
    async run(_context, data) {
      runs.push(data);
      if (held.on) await new Promise<void>((resolve) => (release = resolve));
    },
  };
  return { definition, runs, held, release: () => release() };
}

it("takes over at its start the job and the mail a dead worker had claimed; each is done once", async () => {
  const job = probe("takeover-probe");
  // The dead worker: it took the job and claimed the mail, then vanished without a word.
  const dead = await startJobs(database, { context, runWorkers: false, definitions: [job.definition] });
  await dead.send(job.definition.queue, { n: 1 });
  const [taken] = await dead.boss.fetch(job.definition.queue);
  expect(taken).toBeTruthy();
  await dead.boss.stop({ graceful: false });
  const [mail] = await database.db
    .insert(mailOutbox)
    .values({
      requestId: null,
      to: "takeover@example.org",
      subject: "Probe",
      text: "Probe",
      status: "sending",
      attempts: 1,
      sentAt: new Date(Date.now() - 2_000),
    })
    .returning({ id: mailOutbox.id });
  // Start seconds are whole seconds: the next worker starts in a later one.
  await new Promise((resolve) => setTimeout(resolve, 1_100));

  const next = await startJobs(database, {
    context,
    runWorkers: true,
    definitions: [job.definition],
    mailSenders: senders,
  });
  try {
    await until("the job run again", () => job.runs.length === 1);
    await until("the mail sent", () =>
      smtp.messages.some((m) => recipients(m).includes("takeover@example.org")),
    );
    await until(
      "the mail marked sent",
      async () =>
        (await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, mail!.id)))[0]!.status ===
        "sent",
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(job.runs).toEqual([{ n: 1 }]);
    expect(smtp.messages.filter((m) => recipients(m).includes("takeover@example.org"))).toHaveLength(1);
    expect((await next.boss.getJobById(job.definition.queue, taken!.id))?.state).toBe("completed");
  } finally {
    await next.stop();
  }
}, 60_000);

it.skipIf(!process.env.DATABASE_URL)(
  "leaves alone the job a running worker holds (PostgreSQL only: on PGlite one process owns the database, so no second worker can run)",
  async () => {
    const job = probe("takeover-busy");
    job.held.on = true;
    const first = await startJobs(database, {
      context,
      runWorkers: true,
      definitions: [job.definition],
      mailSenders: senders,
    });
    try {
      await first.send(job.definition.queue, {});
      await until("the first worker running the job", () => job.runs.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const second = await startJobs(database, {
        context,
        runWorkers: true,
        definitions: [],
        mailSenders: senders,
      });
      try {
        const active = await database.sql.query(
          "select id from pgboss.job where name = $1 and state = 'active'",
          [job.definition.queue],
        );
        expect(active).toHaveLength(1);
      } finally {
        await second.stop();
      }
      job.release();
      await until(
        "the job completed once",
        async () =>
          (
            await database.sql.query("select id from pgboss.job where name = $1 and state = 'completed'", [
              job.definition.queue,
            ])
          ).length === 1,
      );
      expect(job.runs).toHaveLength(1);
    } finally {
      job.release();
      await first.stop();
    }
  },
  60_000,
);
