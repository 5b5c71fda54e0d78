/**
 * Issue 14, point 3: a case's final notice by post tells the person on its dispatch day. Until the
 * letter is posted the case is reminded and counted open (and overdue); on its dispatch day it counts
 * as closed — for the Art. 12(5) refusal and the carried-out erasure confirmation alike.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatherRuns, mailOutbox, printJobs, requests } from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { refuseRequest } from "#app/server/cases/deadline-decisions.server";
import { queueConfirmation } from "#app/server/execution/confirmation.server";
import { executionEnv } from "#app/server/execution/env.server";
import { sendDeadlineReminders } from "#app/server/reminders/deadline-reminders.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import type { Services } from "#app/server/services.server";
import { loadFigures } from "#app/server/statistics/statistics.server";
import { testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let staff: StaffIdentity;
const db = () => services.db;
const day = 86_400_000;

async function letterCase(kinds: string[]) {
  const form = intakeSchema.parse({
    channel: "letter",
    receivedOn: berlinDayOf(new Date(Date.now() - 3 * day)),
    kinds,
    lang: "de",
    name: "Erika Mustermann",
    postalAddress: "Große Straße 12a\n99084 Erfurt",
  });
  const { requestId } = await intakeRequest(services, { staffId: staff.id, form, scan: null });
  const [row] = await db().select().from(requests).where(eq(requests.id, requestId));
  return row!;
}

/** Reminders of the case and figures (closed: in the given final state) of the month of `at` for the case, as they stand at `at`. */
async function standing(requestId: string, at: Date, status: string) {
  await db().delete(mailOutbox).where(eq(mailOutbox.requestId, requestId));
  await sendDeadlineReminders(db(), { dueSoonDays: 7, publicUrl: testBase, now: at });
  const reminders = await db()
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.requestId, requestId)));
  const dayOf = berlinDayOf(at);
  const month = dayOf.slice(0, 7);
  const figures = await loadFigures(db(), { from: `${month}-01`, to: dayOf }, at);
  return {
    reminded: reminders.length > 0,
    overdue: figures.open.byDeadline.find((b) => b.key === "overdue")!.count,
    closed: figures.closed.byStatus.find((c) => c.key === status)!.count,
  };
}

/** The letter waits past the deadline (reminded, overdue), then is posted: closed on its dispatch day. */
async function expectToldOnDispatch(request: typeof requests.$inferSelect, finalStatus: string) {
  const [ended] = await db().select().from(requests).where(eq(requests.id, request.id));
  expect(ended!.status).toBe(finalStatus);
  const [letter] = await db().select().from(printJobs).where(eq(printJobs.id, ended!.finalNoticeId!));
  expect(letter?.requestId).toBe(request.id);
  const pastDeadline = new Date(ended!.deadline!.getTime() + 2 * day);
  expect(await standing(request.id, pastDeadline, finalStatus)).toEqual({
    reminded: true,
    overdue: 1,
    closed: 0,
  });
  await db()
    .update(printJobs)
    .set({ status: "dispatched", dispatchedOn: berlinDayOf(pastDeadline) })
    .where(eq(printJobs.id, letter!.id));
  expect(await standing(request.id, pastDeadline, finalStatus)).toEqual({
    reminded: false,
    overdue: 0,
    closed: 1,
  });
}

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  staff = await createStaff(db(), "dpo", "dpo", "DPO");
});
afterAll(() => close());

describe("a final notice by post tells the person on its dispatch day", () => {
  it("an Art. 12(5) refusal by letter", async () => {
    const request = await letterCase(["auskunft"]);
    const result = await refuseRequest(db(), staff, {
      requestId: request.id,
      ground: "excessive",
      reasons: "Der Antrag wiederholt zum fünften Mal in diesem Monat denselben Antrag.",
      publicUrl: testBase,
    });
    expect(result.ok).toBe(true);
    await expectToldOnDispatch(request, "refused");
  });

  it("a carried-out erasure confirmed by letter", async () => {
    const request = await letterCase(["loeschung"]);
    // Gathered, nothing found: nothing to erase, the confirmation ends the case.
    await db().insert(gatherRuns).values({ requestId: request.id, version: 1 });
    const env = await executionEnv({ db: db(), config: services.config, sources: services.sources });
    await db().transaction((tx) => queueConfirmation(tx, env, request));
    await expectToldOnDispatch(request, "carried-out");
  });
});
