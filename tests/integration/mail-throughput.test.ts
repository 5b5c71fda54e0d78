import { eq, inArray } from "drizzle-orm";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { mailOutbox, rateLimitHits, requests } from "#db/schema";
import { queueMail } from "#app/server/mail/outbox.server";
import {
  type MailSenderPool,
  type SenderSettings,
  startMailSenderPool,
} from "#app/server/mail/sender-pool.server";
import { createMailTransport } from "#app/server/mail/transport.server";
import { queueSignInCodeMail } from "#app/server/requests/mails.server";
import type { Services } from "#app/server/services.server";
import { createTestDatabase } from "../support/database";
import { fileRequest } from "../support/route-calls";
import { createTestServices } from "../support/services";
import { until } from "../support/until";

/**
 * A real SMTP peer whose pace and refusals the test sets: it records when each message arrived and
 * how many were being received at the same moment.
 */
interface Peer {
  url: string;
  arrivals: { to: string; subject: string; at: number }[];
  maxParallel: number;
  close(): Promise<void>;
}

async function startPeer({
  delayMs = 0,
  refuse = () => false,
}: { delayMs?: number; refuse?: (to: string) => boolean } = {}): Promise<Peer> {
  let parallel = 0;
  const peer: Peer = { url: "", arrivals: [], maxParallel: 0, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (refuse(address.address))
        return callback(Object.assign(new Error("451 try again later"), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      parallel++;
      peer.maxParallel = Math.max(peer.maxParallel, parallel);
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        setTimeout(() => {
          parallel--;
          const subject = /^Subject: (.*)$/im.exec(raw)?.[1] ?? "";
          peer.arrivals.push({ to: session.envelope.rcptTo[0]!.address, subject, at: Date.now() });
          callback();
        }, delayMs);
      });
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as { port: number }).port)),
  );
  peer.url = `smtp://127.0.0.1:${port}`;
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}

const mailSettings = (url: string) => ({
  smtpUrl: url,
  dataDir: "/nonexistent",
  mailFrom: "portal@example.org",
});
const settings = (s: Partial<SenderSettings>): SenderSettings => ({
  concurrency: 4,
  ratePerSecond: 100,
  pollMs: 50,
  retryBaseMs: 200,
  ...s,
});

/** Asked often: the rate and parallelism checks read how long the mails took. */
const often = { everyMs: 25 };

describe("the mail senders", () => {
  let database: Database;
  const running: { pool: MailSenderPool; close(): void }[] = [];
  const peers: Peer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const { pool, close } of running.splice(0)) {
      await pool.stop();
      close();
    }
    for (const peer of peers.splice(0)) await peer.close();
    await database.db.delete(mailOutbox);
  });
  afterAll(() => database.close());

  async function peerWith(options: Parameters<typeof startPeer>[0] = {}) {
    const peer = await startPeer(options);
    peers.push(peer);
    return peer;
  }
  function startPool(peer: Peer, s: SenderSettings) {
    const transport = createMailTransport(mailSettings(peer.url), { connections: s.concurrency });
    const pool = startMailSenderPool(database.db, transport, s);
    running.push({ pool, close: () => transport.close() });
    return pool;
  }
  /** Queued one after another, so their order of queueing is their order by number. */
  async function notices(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        await queueMail(database.db, {
          requestId: null,
          to: `notice-${i}@example.org`,
          subject: `Notice ${i}`,
          text: "A notice.",
        }),
      );
    return ids;
  }
  const statuses = async (ids: string[]) =>
    (
      await database.db
        .select({ status: mailOutbox.status })
        .from(mailOutbox)
        .where(inArray(mailOutbox.id, ids))
    ).map((r) => r.status);

  it("sends code mails ahead of a backlog of notices queued before them", async () => {
    const backlog = await notices(30);
    const codes: string[] = [];
    for (const [i, lang] of (["de", "en", "de"] as const).entries()) {
      codes.push(
        await queueSignInCodeMail(database.db, {
          to: `code-${i}@example.org`,
          lang,
          code: `12345${i}`,
          publicUrl: "http://portal.test",
        }),
      );
    }
    const peer = await peerWith();
    startPool(peer, settings({ concurrency: 1 }));
    await until("33 mails arrived", () => peer.arrivals.length === 33, often);
    expect(
      peer.arrivals
        .slice(0, 3)
        .map((a) => a.to)
        .sort(),
    ).toEqual(["code-0@example.org", "code-1@example.org", "code-2@example.org"]);
    // The notices keep their own order behind them.
    expect(peer.arrivals.slice(3).map((a) => a.to)).toEqual(backlog.map((_, i) => `notice-${i}@example.org`));
    // The mail server's acceptance is recorded right after it answered.
    await until(
      "backlog and codes sent",
      async () => (await statuses([...backlog, ...codes])).every((s) => s === "sent"),
      often,
    );
  });

  it("keeps several mails in flight, but starts no more per second than the configured rate", async () => {
    const ids = await notices(20);
    const peer = await peerWith({ delayMs: 300 });
    const started = Date.now();
    startPool(peer, settings({ concurrency: 4, ratePerSecond: 10 }));
    await until("20 mails arrived", () => peer.arrivals.length === 20, often);
    const elapsed = Date.now() - started;
    // One at a time 20 × 300 ms would take 6 s; in parallel it is bounded by the rate instead.
    expect(peer.maxParallel).toBeGreaterThanOrEqual(2);
    expect(peer.maxParallel).toBeLessThanOrEqual(4);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(5500);
    const times = peer.arrivals.map((a) => a.at);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(12);
    await until("all sent", async () => (await statuses(ids)).every((s) => s === "sent"), often);
  });

  it("does not mark a mail the server refuses as sent, and tries it again later", async () => {
    let refusals = 2;
    const peer = await peerWith({ refuse: (to) => to === "busy@example.org" && refusals-- > 0 });
    const id = await queueMail(database.db, {
      requestId: null,
      to: "busy@example.org",
      subject: "Refused twice",
      text: "x",
    });
    startPool(peer, settings({ retryBaseMs: 400 }));
    await until(
      "the first attempt refused",
      async () => {
        const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
        return row!.attempts === 1 && row!.status === "pending";
      },
      often,
    );
    const [afterFirst] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(afterFirst).toMatchObject({ status: "pending", messageId: null, sentAt: null });
    expect(afterFirst!.lastError).toMatch(/451/);
    expect(peer.arrivals).toHaveLength(0);
    await until("the mail arrived", () => peer.arrivals.length === 1, often);
    await until("the mail sent", async () => (await statuses([id]))[0] === "sent", often);
    const [sent] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(sent).toMatchObject({ status: "sent", attempts: 3, lastError: null });
    expect(sent!.messageId).toBeTruthy();
    expect(peer.arrivals).toHaveLength(1);
  });

  it("sends every mail once when two sender loops work the same outbox", async () => {
    const ids = await notices(60);
    const peer = await peerWith({ delayMs: 20 });
    startPool(peer, settings({ concurrency: 3 }));
    startPool(peer, settings({ concurrency: 3 }));
    await until("all sent", async () => (await statuses(ids)).every((s) => s === "sent"), often);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = peer.arrivals.map((a) => a.to).sort();
    expect(received).toEqual([...new Set(received)]);
    expect(received).toHaveLength(60);
  });
});

describe("the intake limit", () => {
  let services: Services;
  let close: () => Promise<void>;
  const before = process.env.MAIL_INTAKE_MAX_PENDING;

  beforeAll(async () => {
    ({ services, close } = await createTestServices());
    process.env.MAIL_INTAKE_MAX_PENDING = "3";
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.MAIL_INTAKE_MAX_PENDING;
    else process.env.MAIL_INTAKE_MAX_PENDING = before;
    await close?.();
  });

  it("answers 429 while the code mails back up, stores nothing then, and accepts again once they left", async () => {
    const db = services.database.db;
    // Notices do not count: only codes expire.
    await queueMail(db, { requestId: null, to: "notice@example.org", subject: "Notice", text: "x" });
    const filed = [];
    for (let i = 0; i < 3; i++) filed.push(await fileRequest(services, `person-${i}@example.org`));
    expect(filed.map((f) => f.status)).toEqual([302, 302, 302]);
    const requestsBefore = (await db.select().from(requests)).length;
    const hitsBefore = (await db.select().from(rateLimitHits)).length;

    const refused = await fileRequest(services, "person-3@example.org");
    expect(refused.status).toBe(429);
    expect(refused.data).toEqual({ error: "busy" });
    expect((await db.select().from(requests)).length).toBe(requestsBefore);
    expect((await db.select().from(rateLimitHits)).length).toBe(hitsBefore);
    // An acknowledged request sent again (lost response, second tab) is still answered with itself.
    const repeated = await fileRequest(services, "person-0@example.org", {
      submissionKey: filed[0]!.submissionKey,
    });
    expect(repeated).toMatchObject({ status: 302, requestId: filed[0]!.requestId });

    const peer = await startPeer();
    const transport = createMailTransport(mailSettings(peer.url), { connections: 2 });
    const pool = startMailSenderPool(db, transport, settings({}));
    try {
      await until(
        "four mails sent",
        async () => (await db.select().from(mailOutbox).where(eq(mailOutbox.status, "sent"))).length === 4,
        often,
      );
    } finally {
      await pool.stop();
      transport.close();
      await peer.close();
    }
    expect((await fileRequest(services, "person-3@example.org")).status).toBe(302);
  });
});
