/**
 * Staff forms refused by the server come back to their field with what was typed (conform's
 * lastResult), in the shape the pages read: passwords and codes never, ticks never (ADR 0016).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import * as anmelden from "#app/routes/intern/anmelden";
import * as aufbewahrung from "#app/routes/intern/aufbewahrung";
import * as bestaetigen from "#app/routes/intern/bestaetigen";
import * as druck from "#app/routes/intern/druck";
import * as staffCase from "#app/routes/intern/vorgang";
import { requests } from "#db/schema";
import { newReference } from "#app/server/requests/reference.server";
import type { Services } from "#app/server/services.server";
import { outcome, post, staffSessionCookie } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let adminCookie: string;
let handlerCookie: string;
let dpoCookie: string;
let requestId: string;

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  const db = services.database.db;
  adminCookie = await staffSessionCookie(services, (await createStaff(db, "b2-admin", "admin")).id);
  handlerCookie = await staffSessionCookie(services, (await createStaff(db, "b2-post", "case-handler")).id);
  dpoCookie = await staffSessionCookie(services, (await createStaff(db, "b2-dpo", "dpo")).id);
  const [request] = await db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: "b2@example.org",
      reference: await newReference(db, 2026),
    })
    .returning({ id: requests.id });
  requestId = request!.id;
});
afterAll(() => close());

const context = () => ({ services, cspNonce: "test", clientIp: "198.51.100.23" }) as never;
type Result = {
  status: string;
  initialValue?: Record<string, unknown>;
  error?: Record<string, string[] | null>;
};
const resultOf = (data: unknown, key: "result" | "sentBack") =>
  key === "result"
    ? (data as { result: Result }).result
    : (data as { sentBack: { result: Result } }).sentBack.result;

it("sends the sign-in back with the name and its reason, never the password", async () => {
  const signIn = (fields: Record<string, string>) =>
    outcome(() =>
      anmelden.action({ request: post("/intern/anmelden", fields), context: context(), params: {} } as never),
    );

  const wrong = await signIn({ userName: "b2-admin", password: "falsches-kennwort-b2" });
  expect(wrong.status).toBe(401);
  expect(resultOf(wrong.data, "result")).toMatchObject({
    initialValue: { userName: "b2-admin" },
    error: { userName: ["invalid"] },
  });
  expect(JSON.stringify(wrong.data)).not.toContain("falsches-kennwort-b2");

  const missing = await signIn({ userName: "  ", password: "etwas-b2" });
  expect(missing.status).toBe(400);
  expect(resultOf(missing.data, "result").error).toMatchObject({ userName: ["userNameRequired"] });
  expect(JSON.stringify(missing.data)).not.toContain("etwas-b2");
});

it("sends a refused fresh code back without the code", async () => {
  const confirmed = await outcome(() =>
    bestaetigen.action({
      request: post("/intern/bestaetigen", { code: "999999" }, handlerCookie),
      context: context(),
      params: {},
    } as never),
  );
  expect(confirmed.status).toBe(401);
  expect(resultOf(confirmed.data, "result").error).toEqual({ code: ["invalid"] });
  expect(JSON.stringify(confirmed.data)).not.toContain("999999");
});

it("sends a retention rule's refused period back to its amount, without the tick", async () => {
  const changed = await outcome(() =>
    aufbewahrung.action({
      request: post(
        "/intern/aufbewahrung",
        {
          intent: "change",
          ruleId: "retrieval-protocol",
          amount: "6",
          unit: "months",
          roundToEndOfYear: "on",
        },
        adminCookie,
      ),
      context: context(),
      params: {},
    } as never),
  );
  expect(changed.status).toBe(422);
  expect(changed.data).toMatchObject({ sentBack: { intent: "rule-retrieval-protocol" } });
  const result = resultOf(changed.data, "sentBack");
  expect(result.initialValue).toEqual({ amount: "6", unit: "months" });
  expect(result.error).toEqual({ amount: ["below-legal-minimum"] });

  const bad = await outcome(() =>
    aufbewahrung.action({
      request: post(
        "/intern/aufbewahrung",
        { intent: "change", ruleId: "call-record", amount: "0", unit: "days" },
        adminCookie,
      ),
      context: context(),
      params: {},
    } as never),
  );
  expect(bad.status).toBe(400);
  expect(resultOf(bad.data, "sentBack")).toMatchObject({
    initialValue: { amount: "0" },
    error: { amount: ["invalid-period"] },
  });
});

it("sends a refused dispatch day back to its row", async () => {
  const printJobId = "00000000-0000-4000-8000-0000000000b2";
  const dispatched = await outcome(() =>
    druck.action({
      request: post(
        "/intern/druck",
        { intent: "dispatch", printJobId, dispatchedOn: "2026-13-40" },
        handlerCookie,
      ),
      context: context(),
      params: {},
    } as never),
  );
  expect(dispatched.status).toBe(400);
  expect(dispatched.data).toMatchObject({
    ok: false,
    error: "bad-day",
    sentBack: { intent: `dispatch-${printJobId}` },
  });
  expect(resultOf(dispatched.data, "sentBack")).toMatchObject({
    initialValue: { dispatchedOn: "2026-13-40" },
    error: { dispatchedOn: ["bad-day"] },
  });
});

it("sends a refused § 21(5) task back to its field with what was typed", async () => {
  const task = (fields: Record<string, string>) =>
    outcome(() =>
      staffCase.action({
        request: post(`/intern/vorgaenge/${requestId}`, fields, dpoCookie),
        context: context(),
        params: { id: requestId },
      } as never),
    );

  const recorded = await task({ intent: "record-demand", channel: "pigeon" });
  expect(recorded.status).toBe(400);
  expect(recorded.data).toMatchObject({ sentBack: { intent: "record-demand" } });
  expect(resultOf(recorded.data, "sentBack")).toMatchObject({
    initialValue: { channel: "pigeon" },
    error: { channel: ["channel"] },
  });

  // One hand-over form per demand: the refusal goes back to this demand's form only.
  const demandId = "00000000-0000-4000-8000-0000000000b2";
  const short = await task({ intent: "handed-over", demandId, day: "2026-11-30", note: "ja" });
  expect(short.status).toBe(400);
  expect(short.data).toMatchObject({ sentBack: { intent: `handed-over-${demandId}` } });
  expect(resultOf(short.data, "sentBack")).toMatchObject({
    initialValue: { day: "2026-11-30", note: "ja" },
    error: { note: ["note-required"] },
  });

  const badDay = await task({
    intent: "handed-over",
    demandId,
    day: "2026-13-40",
    note: "Per Kurier, Az. 4711",
  });
  expect(badDay.status).toBe(400);
  expect(resultOf(badDay.data, "sentBack")).toMatchObject({
    initialValue: { day: "2026-13-40", note: "Per Kurier, Az. 4711" },
    error: { day: ["bad-day"] },
  });
});

it("sends an assignee who is no staff member back to the choice", async () => {
  const nobody = "00000000-0000-4000-8000-0000000000b3";
  const assigned = await outcome(() =>
    staffCase.action({
      request: post(
        `/intern/vorgaenge/${requestId}`,
        { intent: "assign", assigneeId: nobody },
        handlerCookie,
      ),
      context: context(),
      params: { id: requestId },
    } as never),
  );
  expect(assigned.status).toBe(400);
  expect(assigned.data).toMatchObject({ error: "unknown-assignee", sentBack: { intent: "assign" } });
  expect(resultOf(assigned.data, "sentBack")).toMatchObject({
    initialValue: { assigneeId: nobody },
    error: { assigneeId: ["unknown-assignee"] },
  });
});
