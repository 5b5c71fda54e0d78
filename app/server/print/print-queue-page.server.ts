/**
 * The print queue page (/intern/druck): the cases no notice can reach, the paper answers with their
 * data medium, the letters waiting to be posted and those posted lately, dated as ISO strings.
 */
import { berlinDayOf } from "#app/core/berlin-date";
import type { Db } from "#db/client";
import { type PrintJobRow, paperAnswers, printQueue, unreachableCases } from "./print-queue.server";

const serialise = (job: PrintJobRow) => ({ ...job, createdAt: job.createdAt.toISOString() });

export async function printQueuePage(db: Db, now = new Date()) {
  const [queue, unreachable, answers] = await Promise.all([
    printQueue(db),
    unreachableCases(db),
    paperAnswers(db),
  ]);
  return {
    // The day a letter went out is offered as today's, and no later day is accepted.
    today: berlinDayOf(now),
    waiting: queue.waiting.map(serialise),
    dispatched: queue.dispatched.map(serialise),
    unreachable: unreachable.map((c) => ({ ...c, receivedAt: c.receivedAt?.toISOString() ?? null })),
    answers: answers.map((a) => ({ ...a, answeredAt: a.answeredAt.toISOString() })),
  };
}
