/**
 * The print queue's routes as the post room uses them (ADR 0009): the data medium for a paper answer
 * prepared through the page's action, its encrypted archive downloaded through /intern/druck/:id
 * with the password of the letter (checked by 7z), and what the routes refuse.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, printJobs } from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import * as druck from "#app/routes/intern/druck";
import * as druckBrief from "#app/routes/intern/druck-brief";
import { dataMediumPassword } from "#app/server/print/print-queue.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import type { Services } from "#app/server/services.server";
import { outcome, post, routeContext, staffSessionCookie, testBase } from "../support/route-calls";
import { releasedAnswer } from "../support/cases";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let cookie: string;
let staffId: string;
let dir: string;
const db = () => services.database.db;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  staffId = (await createStaff(db(), "post", "case-handler", "Poststelle")).id;
  cookie = await staffSessionCookie(services, staffId);
  dir = mkdtempSync(path.join(tmpdir(), "rp-print-routes-"));
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request by letter with only a postal address, answered and released as the review leaves it. */
async function answeredLetterCase() {
  const form = intakeSchema.parse({
    channel: "letter",
    receivedOn: berlinDayOf(new Date(Date.now() - 3 * 86_400_000)),
    kinds: ["auskunft"],
    lang: "de",
    name: "Erika Brief",
    postalAddress: "Anger 1\n99084 Erfurt",
  });
  const { requestId } = await intakeRequest(services, { staffId, form, scan: null });
  await releasedAnswer(db(), { requestId, staffId, answeredAt: new Date() });
  return requestId;
}

const act = (fields: Record<string, string>) =>
  outcome(() =>
    druck.action({
      request: post("/intern/druck", fields, cookie),
      params: {},
      context: routeContext(services),
    } as never),
  );
const download = (id: string, query = "") =>
  outcome(async () => {
    const response = (await druckBrief.loader({
      request: new Request(`${testBase}/intern/druck/${id}${query}`, { headers: { Cookie: cookie } }),
      params: { id },
      context: routeContext(services),
    } as never)) as Response;
    // Read here: outcome() keeps only the status and headers of a response.
    return {
      status: response.status,
      type: response.headers.get("Content-Type"),
      body: await response.arrayBuffer(),
    };
  });

it("prepares the data medium through the page and hands out its archive, encrypted with the letter's password", async () => {
  const requestId = await answeredLetterCase();
  const prepared = await act({ intent: "medium", requestId });
  expect(prepared).toMatchObject({ status: 200, data: { ok: true, medium: true } });
  const jobId = (prepared.data as { id: string }).id;
  const [job] = await db().select().from(printJobs).where(eq(printJobs.id, jobId));
  expect(job).toMatchObject({ requestId, purpose: "data-password", status: "waiting" });

  const medium = (await download(jobId, "?datentraeger=1")).data as {
    status: number;
    type: string;
    body: ArrayBuffer;
  };
  expect(medium.status).toBe(200);
  expect(medium.type).toBe("application/zip");
  const archive = path.join(dir, "auskunft.zip");
  writeFileSync(archive, Buffer.from(medium.body));
  // The archive opens with the password of the letter, and with no other.
  const password = dataMediumPassword(services.config.sessionSecret, requestId, jobId);
  expect(() => execFileSync("7z", ["t", `-p${password}`, archive], { stdio: "pipe" })).not.toThrow();
  expect(() => execFileSync("7z", ["t", "-pwrong", archive], { stdio: "pipe" })).toThrow();
  const downloads = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.actorId, staffId)));
  expect(downloads.map((e) => e.action)).toContain("answer.downloaded");
});

it("refuses what is no letter, enclosure or medium of the queue", async () => {
  const requestId = await answeredLetterCase();
  const unknown = "00000000-0000-4000-8000-000000000000";
  expect((await download(unknown, "?datentraeger=1")).status).toBe(404);
  expect((await download("kein-brief")).status).toBe(404);
  const letter = (await act({ intent: "medium", requestId })).data as { id: string };
  expect((await download(letter.id, "?anlage=eins")).status).toBe(404);
  // The password letter has no enclosure.
  expect((await download(letter.id, "?anlage=0")).status).toBe(404);
  expect((await download(letter.id)).status).toBe(200);
  // A medium for no case, and a dispatch without its day, are refused with the page's answers.
  expect(await act({ intent: "medium", requestId: "kein-vorgang" })).toMatchObject({
    status: 400,
    data: { ok: false, error: "unknown" },
  });
  expect(await act({ printJobId: letter.id })).toMatchObject({
    status: 400,
    data: { ok: false, error: "bad-day", id: letter.id },
  });
  expect((await db().select().from(printJobs).where(eq(printJobs.id, letter.id)))[0]!.status).toBe("waiting");
});
