/**
 * Deadline reminders: the person a case is assigned to and every DPO get one mail when the case's
 * deadline comes within a few days, and one when it has passed — one per case, person, threshold
 * and deadline, however often the check runs. The unique index of deadline_reminders decides: the
 * mail is queued only by the run whose insert went through, in the same transaction, so a crash
 * between the two leaves neither.
 */
import { finalCaseStatuses } from "#app/core/case-status";
import { and, eq, inArray, isNotNull, isNull, notInArray, or } from "drizzle-orm";
import type { Db } from "#db/client";
import { deadlineReminders, requests, staffUserRoles, staffUsers } from "#db/schema";
import { deadlineStatus } from "#app/core/deadline";
import { messagesFor } from "#app/i18n";
import type { JobDefinition } from "../jobs/job";
import { queueMail } from "../mail/outbox.server";
import { effectiveDeadline } from "../statistics/figures";
import { outcomeLetterWaitsSql } from "../statistics/statistics.server";

type ReminderThreshold = "due-soon" | "overdue";

export interface ReminderRun {
  /** Reminders newly recorded (and mails queued) by this run. */
  sent: number;
  outboxIds: string[];
}

/** The role whose holders hear about every case, whoever it is assigned to. */
const DPO_ROLE = "dpo";

export async function sendDeadlineReminders(
  db: Db,
  options: { dueSoonDays: number; publicUrl: string; now?: Date },
): Promise<ReminderRun> {
  const now = options.now ?? new Date();
  const openCases = await db
    .select({
      id: requests.id,
      reference: requests.reference,
      deadline: requests.deadline,
      extendedDeadline: requests.extendedDeadline,
      assigneeId: requests.assigneeId,
    })
    .from(requests)
    .where(
      and(
        isNotNull(requests.reference),
        isNotNull(requests.deadline),
        or(
          and(
            isNull(requests.answeredAt),
            isNull(requests.closedAt),
            notInArray(requests.status, [...finalCaseStatuses]),
          ),
          // An answer by post is given when its letter goes to the post (Art. 12(3)), not on its release.
          outcomeLetterWaitsSql,
        ),
      ),
    );

  const dpos = await db
    .select({ id: staffUsers.id, email: staffUsers.email })
    .from(staffUsers)
    .innerJoin(staffUserRoles, eq(staffUserRoles.userId, staffUsers.id))
    .where(and(eq(staffUserRoles.roleId, DPO_ROLE), isNull(staffUsers.disabledAt)));
  const assigneeIds = [...new Set(openCases.flatMap((c) => (c.assigneeId ? [c.assigneeId] : [])))];
  const assignees =
    assigneeIds.length === 0
      ? []
      : await db
          .select({ id: staffUsers.id, email: staffUsers.email })
          .from(staffUsers)
          .where(and(inArray(staffUsers.id, assigneeIds), isNull(staffUsers.disabledAt)));
  const assigneeById = new Map(assignees.map((a) => [a.id, a]));

  const m = messagesFor("de").dashboard.reminders;
  const run: ReminderRun = { sent: 0, outboxIds: [] };
  for (const c of openCases) {
    const deadline = effectiveDeadline(c)!;
    const status = deadlineStatus(deadline, now, options.dueSoonDays);
    if (status === "open") continue;
    const threshold: ReminderThreshold = status;
    const assignee = c.assigneeId ? assigneeById.get(c.assigneeId) : undefined;
    const recipients = new Map([...(assignee ? [assignee] : []), ...dpos].map((s) => [s.id, s]));
    const reference = c.reference!;
    const day = messagesFor("de").journey.formatDate(deadline);
    const link = new URL(`/intern/vorgaenge/${c.id}`, options.publicUrl).toString();
    const subject = threshold === "overdue" ? m.overdueSubject(reference) : m.dueSoonSubject(reference, day);
    const text = `${threshold === "overdue" ? m.overdueText(reference, day, link) : m.dueSoonText(reference, day, link)}\n\n${m.footer}`;
    for (const recipient of recipients.values()) {
      const outboxId = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(deadlineReminders)
          .values({ requestId: c.id, staffId: recipient.id, threshold, deadline, sentAt: now })
          .onConflictDoNothing()
          .returning({ id: deadlineReminders.id });
        if (inserted.length === 0) return null;
        // Staff mail names the case by reference only: no data of the person leaves in it.
        return queueMail(tx, { requestId: c.id, to: recipient.email, subject, text });
      });
      if (outboxId) {
        run.sent++;
        run.outboxIds.push(outboxId);
      }
    }
  }
  return run;
}

/**
 * Hourly, so a case that becomes overdue at midnight is reported in the morning even if the
 * server was down at some hour; the unique index makes every further run a no-op. The queued mails
 * leave with the outbox sweep within a minute (a job has no handle to announce them itself).
 */
export const deadlineReminderJob: JobDefinition = {
  queue: "deadline-reminders",
  schedule: "10 * * * *",
  async run({ db, config }) {
    await sendDeadlineReminders(db, { dueSoonDays: config.reminderDueSoonDays, publicUrl: config.publicUrl });
  },
};
