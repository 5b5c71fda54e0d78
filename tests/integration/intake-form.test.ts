/**
 * The staff intake form (/intern/eingang) through its route action, as a browser without JavaScript
 * posts it: a refused form comes back with everything that was typed (conform's reply), so the post
 * room does not type a letter twice; an accepted one creates the case and starts an empty form.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { requests } from "#db/schema";
import { berlinDayOf } from "#app/core/berlin-date";
import * as eingang from "#app/routes/intern/eingang";
import type { Services } from "#app/server/services.server";
import { outcome, routeContext, testBase } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff, openStaffSession } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let cookie: string;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  const handler = await createStaff(services.database.db, "eingang", "case-handler");
  cookie = await openStaffSession(services.database.db, services.config, handler.id);
});
afterAll(async () => {
  await close?.();
});

function postIntake(fields: Record<string, string | string[]>, scan?: { name: string; content: Buffer }) {
  const body = new FormData();
  body.set("website", "");
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  if (scan) body.set("scan", new Blob([new Uint8Array(scan.content)]), scan.name);
  const request = new Request(`${testBase}/intern/eingang`, {
    method: "POST",
    body,
    headers: { Origin: testBase, Cookie: cookie },
  });
  return outcome(() => eingang.action({ request, params: {}, context: routeContext(services) } as never));
}

type Result = {
  result: {
    status: string;
    initialValue: Record<string, unknown> | null;
    error: Record<string, string[] | null>;
  };
  reference?: string;
};

const typed = {
  channel: "fax",
  receivedOn: berlinDayOf(new Date(Date.now() - 86_400_000)),
  lang: "en",
  email: "vater@example.org",
  filingFor: "other",
  representativeRole: "parent",
  representativeName: "Piotr Nowak",
  name: "Ola Nowak",
  // A browser sends a textarea's lines with CR LF.
  postalAddress: "Krämerbrücke 3\r\n99084 Erfurt",
  phones: "+49 361 123456",
  birthDate: "2014-06-01",
  note: "Antrag per Fax vom Vater für die Tochter; Geburtsurkunde folgt per Post.",
};

it("keeps every typed value when a field is refused, and says which field", async () => {
  // No request kind ticked: refused, and nothing else is lost.
  const refused = await postIntake(typed);
  expect(refused.status).toBe(400);
  const { result } = refused.data as Result;
  expect(result.error).toMatchObject({ kinds: ["kinds"] });
  expect(result.initialValue).toMatchObject(typed);
  expect(
    await services.database.db.select().from(requests).where(eq(requests.contactEmail, "vater@example.org")),
  ).toEqual([]);

  // Two kinds ticked, but a scan that is no PDF, PNG or JPEG: the ticks come back too.
  const badScan = await postIntake(
    { ...typed, kinds: ["auskunft", "loeschung"] },
    { name: "brief.exe", content: Buffer.from("MZ not a document") },
  );
  expect(badScan.status).toBe(400);
  const second = (badScan.data as Result).result;
  expect(second.error).toEqual({ scan: ["fileType"] });
  expect(second.initialValue).toMatchObject({ ...typed, kinds: ["auskunft", "loeschung"] });

  // A malformed e-mail address is named as such; the rest stays.
  const badMail = await postIntake({ ...typed, kinds: "auskunft", email: "vater@" });
  expect((badMail.data as Result).result.error).toMatchObject({ email: ["email"] });
  expect((badMail.data as Result).result.initialValue).toMatchObject({
    ...typed,
    email: "vater@",
    kinds: "auskunft",
  });
});

it("creates the case once the form is complete, and answers with an empty form", async () => {
  const accepted = await postIntake({ ...typed, kinds: "auskunft" });
  expect(accepted.status).toBe(200);
  const { result, reference } = accepted.data as Result;
  expect(reference).toMatch(/^DSR-\d{4}-\d{6}$/);
  expect(result.initialValue).toBeNull();
  const [row] = await services.database.db.select().from(requests).where(eq(requests.reference, reference!));
  expect(row).toMatchObject({
    channel: "fax",
    lang: "en",
    kinds: ["auskunft"],
    contactEmail: "vater@example.org",
  });
});
