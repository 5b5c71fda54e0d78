import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import {
  answers,
  deadlineReminders,
  gatherRuns,
  mailOutbox,
  printJobs,
  requests,
  reviewRounds,
  staffUsers,
} from "#db/schema";
import { answerDeadline, extendedDeadline } from "#app/core/deadline";
import { createStaffAccount, syncRoles } from "#app/server/auth/staff-accounts.server";
import { loadConfig } from "#app/server/config.server";
import { jobDefinitions } from "#app/server/jobs/index.server";
import { deadlineReminderJob, sendDeadlineReminders } from "#app/server/reminders/deadline-reminders.server";
import { loadFigures } from "#app/server/statistics/statistics.server";
import { createTestDatabase } from "../support/database";
import { storelessJobContext } from "../support/services";

let database: Database;
let handler: string;
let otherHandler: string;
let disabledDpo: string;
const publicUrl = "https://portal.example";

const day = 86_400_000;
/** 10:00 UTC on 2 Feb 2026 (a Monday), the "now" of the checks below. */
const monday = new Date("2026-02-02T10:00:00Z");

async function openCase(
  reference: string,
  receivedAt: Date,
  fields: Partial<typeof requests.$inferInsert> = {},
) {
  const [row] = await database.db
    .insert(requests)
    .values({
      reference,
      status: "gathering",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "p@example.org",
      receivedAt,
      deadline: answerDeadline(receivedAt),
      ...fields,
    })
    .returning({ id: requests.id });
  return row!.id;
}

async function mails() {
  return database.db
    .select({
      to: mailOutbox.to,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      requestId: mailOutbox.requestId,
    })
    .from(mailOutbox);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await syncRoles(database.db);
  const account = (userName: string, roles: ("case-handler" | "dpo")[]) =>
    createStaffAccount(database.db, {
      userName,
      displayName: userName,
      email: `${userName}@tlrz.example`,
      password: "pw",
      roles,
    });
  handler = await account("handler", ["case-handler"]);
  otherHandler = await account("other", ["case-handler"]);
  await account("dpo", ["dpo"]);
  await account("dpo2", ["dpo"]);
  disabledDpo = await account("dpo-old", ["dpo"]);
  await database.db
    .update(staffUsers)
    .set({ disabledAt: new Date("2025-01-01") })
    .where(eq(staffUsers.id, disabledDpo));
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.delete(mailOutbox);
  await database.db.delete(requests);
});

/** A case answered by post: released at `releasedAt`, its letter posted on `dispatchedOn` (or waiting). */
async function paperAnswer(reference: string, releasedAt: Date, dispatchedOn: string | null) {
  const id = await openCase(reference, new Date("2025-12-15T09:00:00Z"), {
    status: "answered",
    contactEmail: "",
    channel: "letter",
    answeredAt: releasedAt,
    closedAt: releasedAt,
  });
  const [run] = await database.db.insert(gatherRuns).values({ requestId: id, version: 1 }).returning();
  const [round] = await database.db
    .insert(reviewRounds)
    .values({ runId: run!.id, status: "approved" })
    .returning();
  const [letter] = await database.db
    .insert(printJobs)
    .values({
      requestId: id,
      subject: "Antwort",
      pdf: Buffer.from("%PDF-1.7"),
      status: dispatchedOn ? "dispatched" : "waiting",
      dispatchedOn,
    })
    .returning();
  await database.db.insert(answers).values({
    requestId: id,
    roundId: round!.id,
    kind: "access",
    answeredAt: releasedAt,
    availableUntil: new Date(releasedAt.getTime() + 90 * day),
    releasedBy: handler,
    noticeId: letter!.id,
  });
  return { id, letterId: letter!.id };
}

describe("an answer by post is given when its letter goes to the post", () => {
  it("reminds of a released answer whose letter waits, counts it open and overdue, and answered on its dispatch day", async () => {
    // Both received 15 Dec (deadline 15 Jan), released 10 Jan; one letter posted 12 Jan, one still waiting.
    const released = new Date("2026-01-10T09:00:00Z");
    const waiting = await paperAnswer("DSR-2025-000040", released, null);
    await paperAnswer("DSR-2025-000041", released, "2026-01-12");

    const run = await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: monday });
    expect(run.sent).toBe(2);
    const sent = await mails();
    expect(sent.map((m) => [m.requestId, m.subject])).toEqual([
      [waiting.id, "Frist überschritten: DSR-2025-000040"],
      [waiting.id, "Frist überschritten: DSR-2025-000040"],
    ]);

    const january = await loadFigures(database.db, { from: "2026-01-01", to: "2026-01-31" }, monday);
    const overdue = (f: typeof january) => f.open.byDeadline.find((b) => b.key === "overdue")!.count;
    expect(january.open.total).toBe(1);
    expect(overdue(january)).toBe(1);
    expect(january.closed.total).toBe(1);
    expect(january.timeToAnswer).toMatchObject({ answered: 1, inTime: 1, late: 0 });

    // Posted on 3 Feb, after its deadline: answered (late) and ended in February, no further reminder.
    await database.db
      .update(printJobs)
      .set({ status: "dispatched", dispatchedOn: "2026-02-03" })
      .where(eq(printJobs.id, waiting.letterId));
    const later = new Date("2026-02-04T10:00:00Z");
    expect((await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: later })).sent).toBe(
      0,
    );
    const february = await loadFigures(database.db, { from: "2026-02-01", to: "2026-02-28" }, later);
    expect(february.open.total).toBe(0);
    expect(february.closed.byStatus.find((c) => c.key === "answered")!.count).toBe(1);
    expect(february.timeToAnswer).toMatchObject({ answered: 1, inTime: 0, late: 1 });
  });
});

describe("deadline reminders", () => {
  it("mails the assignee and every active DPO once per case and threshold, however often it runs", async () => {
    // Received 5 Jan: deadline Thursday 5 Feb, three days after "now".
    const dueSoon = await openCase("DSR-2026-000001", new Date("2026-01-05T09:00:00Z"), {
      assigneeId: handler,
    });
    // Received 15 Dec: deadline 15 Jan, passed.
    const overdue = await openCase("DSR-2025-000002", new Date("2025-12-15T09:00:00Z"));
    // Not yet due, answered, closed: no mail.
    await openCase("DSR-2026-000003", new Date("2026-01-30T09:00:00Z"), { assigneeId: otherHandler });
    await openCase("DSR-2025-000004", new Date("2025-12-10T09:00:00Z"), {
      status: "answered",
      answeredAt: new Date("2026-01-02T09:00:00Z"),
      assigneeId: otherHandler,
    });
    await openCase("DSR-2025-000005", new Date("2025-12-11T09:00:00Z"), {
      status: "withdrawn",
      closedAt: new Date("2025-12-12T09:00:00Z"),
    });

    const first = await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: monday });
    const second = await sendDeadlineReminders(database.db, {
      dueSoonDays: 7,
      publicUrl,
      now: new Date(monday.getTime() + 3_600_000),
    });
    expect(first.sent).toBe(5);
    expect(second.sent).toBe(0);

    const sent = await mails();
    expect(sent).toHaveLength(5);
    const recipients = (requestId: string) =>
      sent
        .filter((m) => m.requestId === requestId)
        .map((m) => m.to)
        .sort();
    expect(recipients(dueSoon)).toEqual(["dpo2@tlrz.example", "dpo@tlrz.example", "handler@tlrz.example"]);
    expect(recipients(overdue)).toEqual(["dpo2@tlrz.example", "dpo@tlrz.example"]);
    const soon = sent.find((m) => m.requestId === dueSoon)!;
    expect(soon.subject).toBe("Frist läuft ab am 5. Februar 2026: DSR-2026-000001");
    expect(soon.text).toContain(`${publicUrl}/intern/vorgaenge/${dueSoon}`);
    expect(sent.find((m) => m.requestId === overdue)!.subject).toBe("Frist überschritten: DSR-2025-000002");
    // The person's address never goes to staff in a reminder.
    expect(sent.every((m) => !m.text.includes("p@example.org"))).toBe(true);

    const recorded = await database.db.select().from(deadlineReminders);
    expect(recorded.map((r) => `${r.requestId === dueSoon ? "soon" : "over"}:${r.threshold}`).sort()).toEqual(
      ["over:overdue", "over:overdue", "soon:due-soon", "soon:due-soon", "soon:due-soon"],
    );
  });

  it("sends the overdue mail once the deadline passes, and starts afresh after an extension", async () => {
    const receivedAt = new Date("2026-01-05T09:00:00Z");
    const id = await openCase("DSR-2026-000010", receivedAt, { assigneeId: handler });
    await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: monday });
    expect(await mails()).toHaveLength(3);

    // The day after the deadline, twice.
    const friday = new Date(monday.getTime() + 4 * day);
    expect((await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: friday })).sent).toBe(
      3,
    );
    expect((await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: friday })).sent).toBe(
      0,
    );
    expect((await mails()).filter((m) => m.subject.startsWith("Frist überschritten"))).toHaveLength(3);

    // An extension gives a new deadline: its reminders come again, once.
    await database.db
      .update(requests)
      .set({ extendedDeadline: extendedDeadline(receivedAt, 1) })
      .where(eq(requests.id, id));
    const beforeNewDeadline = new Date("2026-03-02T10:00:00Z");
    expect(
      (await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: beforeNewDeadline })).sent,
    ).toBe(3);
    expect(
      (await sendDeadlineReminders(database.db, { dueSoonDays: 7, publicUrl, now: beforeNewDeadline })).sent,
    ).toBe(0);
  });

  it("honours the configured number of days", async () => {
    await openCase("DSR-2026-000020", new Date("2026-01-05T09:00:00Z"), { assigneeId: handler });
    expect((await sendDeadlineReminders(database.db, { dueSoonDays: 2, publicUrl, now: monday })).sent).toBe(
      0,
    );
    expect((await sendDeadlineReminders(database.db, { dueSoonDays: 3, publicUrl, now: monday })).sent).toBe(
      3,
    );
    const dataDir = mkdtempSync(path.join(tmpdir(), "rp-reminder-days-"));
    try {
      expect(loadConfig({ DATA_DIR: dataDir }).reminderDueSoonDays).toBe(7);
      expect(loadConfig({ DATA_DIR: dataDir, REMINDER_DUE_SOON_DAYS: "3" }).reminderDueSoonDays).toBe(3);
      expect(() => loadConfig({ DATA_DIR: dataDir, REMINDER_DUE_SOON_DAYS: "soon" })).toThrow(
        /REMINDER_DUE_SOON_DAYS/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("runs as a registered, scheduled job: twice, one mail per case and person", async () => {
    expect(jobDefinitions).toContain(deadlineReminderJob);
    expect(deadlineReminderJob.schedule).toBeTruthy();
    const dataDir = mkdtempSync(path.join(tmpdir(), "rp-reminders-"));
    try {
      const context = await storelessJobContext(database, dataDir, { PUBLIC_URL: publicUrl });
      // Relative to the real clock: one case two days before its deadline, one a week past it.
      await openCase("DSR-2026-000030", new Date(Date.now() - 29 * day), {
        assigneeId: handler,
        deadline: new Date(Date.now() + 2 * day),
      });
      await openCase("DSR-2026-000031", new Date(Date.now() - 40 * day), {
        deadline: new Date(Date.now() - 7 * day),
      });
      await deadlineReminderJob.run(context, {});
      await deadlineReminderJob.run(context, {});
      expect((await mails()).map((m) => m.to).sort()).toEqual([
        "dpo2@tlrz.example",
        "dpo2@tlrz.example",
        "dpo@tlrz.example",
        "dpo@tlrz.example",
        "handler@tlrz.example",
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
