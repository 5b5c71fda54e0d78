import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { type IncomingMessage, type Server, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Received, UploadSpool, receiveMultipart, removeFiles } from "#app/server/uploads.server";

const MB = 1024 * 1024;
const root = mkdtempSync(path.join(tmpdir(), "rp-uploads-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A real HTTP server that reads each multipart body as the portal's HTTP layer does and answers
 * with what it received; the received files are looked at before they are removed.
 */
let server: Server;
let port: number;
let spool: UploadSpool;
let lastFiles: string[] = [];
let onReceived: (received: Received, files: string[]) => Promise<void> = async () => {};

beforeAll(async () => {
  spool = new UploadSpool(path.join(root, "spool"), {
    maxRequestBytes: 12 * MB,
    maxSpoolBytes: 1024 * MB,
    handlingSlots: 2,
    slotWaitMs: 200,
  });
  server = createServer(async (req: IncomingMessage, res) => {
    const files: string[] = [];
    lastFiles = files;
    const received = await receiveMultipart(req, spool, files);
    await onReceived(received, files);
    const summary = received.ok
      ? {
          ok: true,
          fields: [...received.form].map(([name, value]) =>
            typeof value === "string" ? [name, value] : [name, { name: value.name, size: value.size }],
          ),
        }
      : received;
    await removeFiles(files);
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify(summary));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const boundary = "----rp-test-boundary";

/** A multipart body produced chunk by chunk, so the sender holds no large buffer either. */
function multipartBody(
  parts: { name: string; value?: string; file?: { name: string; bytes: number; fill?: number } }[],
): { stream: Readable; length: number } {
  // Names holding escapes are sent as RFC 5987 extended parameters (name*=, filename*=), as
  // browsers may; a raw control character in a part header is no multipart at all.
  const param = (key: string, value: string) =>
    value.includes("%") ? `${key}*=utf-8''${value}` : `${key}="${value}"`;
  const pieces: (Buffer | { bytes: number; fill: number })[] = [];
  for (const part of parts) {
    if (part.file) {
      pieces.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; ${param("name", part.name)}; ${param("filename", part.file.name)}\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
      );
      pieces.push({ bytes: part.file.bytes, fill: part.file.fill ?? 0x25 });
      pieces.push(Buffer.from("\r\n"));
    } else {
      pieces.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; ${param("name", part.name)}\r\n\r\n${part.value ?? ""}\r\n`,
        ),
      );
    }
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  const length = pieces.reduce((sum, p) => sum + (Buffer.isBuffer(p) ? p.length : p.bytes), 0);
  async function* chunks() {
    const block = 64 * 1024;
    for (const piece of pieces) {
      if (Buffer.isBuffer(piece)) yield piece;
      else
        for (let sent = 0; sent < piece.bytes; sent += block)
          yield Buffer.alloc(Math.min(block, piece.bytes - sent), piece.fill);
    }
  }
  return { stream: Readable.from(chunks()), length };
}

function send(parts: Parameters<typeof multipartBody>[0]): Promise<Record<string, unknown>> {
  const { stream, length } = multipartBody(parts);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": length },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(JSON.parse(text)));
      },
    );
    req.on("error", reject);
    stream.pipe(req);
  });
}

describe("multipart bodies", () => {
  it("hands text fields over and streams each file to a spool file that reads from disk, removed afterwards", async () => {
    let seen: { onDisk: string[]; bytes: Buffer } | undefined;
    onReceived = async (received) => {
      if (!received.ok) return;
      const file = received.form.get("document") as File;
      seen = { onDisk: readdirSync(spool.dir), bytes: Buffer.from(await file.arrayBuffer()) };
    };
    const answer = await send([
      { name: "intent", value: "add" },
      { name: "text", value: "Grüße\r\nzweite Zeile" },
      { name: "document", file: { name: "ausweis.pdf", bytes: 6 * MB } },
    ]);
    expect(answer).toEqual({
      ok: true,
      fields: [
        ["intent", "add"],
        ["text", "Grüße\r\nzweite Zeile"],
        ["document", { name: "ausweis.pdf", size: 6 * MB }],
      ],
    });
    expect(seen!.onDisk).toHaveLength(1);
    expect(seen!.bytes.length).toBe(6 * MB);
    expect(seen!.bytes.every((b) => b === 0x25)).toBe(true);
    expect(readdirSync(spool.dir)).toEqual([]);
    onReceived = async () => {};
  });

  it("refuses control characters in a text field or a file name; in a part's header they make no multipart at all", async () => {
    expect(await send([{ name: "text", value: "a\u0000b" }])).toEqual({
      ok: false,
      reason: "control-characters",
    });
    expect(await send([{ name: "document", file: { name: "a%01.pdf", bytes: 10 } }])).toEqual({
      ok: false,
      reason: "control-characters",
    });
    expect(await send([{ name: "te\u0007xt", value: "ab" }])).toEqual({ ok: false, reason: "malformed" });
    expect(readdirSync(spool.dir)).toEqual([]);
  });

  it("refuses a file above the request limit and removes what was written of it", async () => {
    const answer = await send([{ name: "document", file: { name: "big.pdf", bytes: 12 * MB + 1 } }]);
    expect(answer).toEqual({ ok: false, reason: "too-large" });
    expect(lastFiles).toHaveLength(1);
    expect(readdirSync(spool.dir)).toEqual([]);
  });

  it("refuses more fields or files than any form of ours has", async () => {
    const fields = Array.from({ length: 150 }, (_, i) => ({ name: `f${i}`, value: "x" }));
    expect(await send(fields)).toEqual({ ok: false, reason: "too-large" });
    const files = Array.from({ length: 11 }, (_, i) => ({
      name: "files",
      file: { name: `f${i}.pdf`, bytes: 100 },
    }));
    expect(await send(files)).toEqual({ ok: false, reason: "too-large" });
  });

  it("answers a broken body as malformed", async () => {
    const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const body = "this is no multipart body";
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/",
          headers: { "Content-Type": "multipart/form-data", "Content-Length": body.length },
        },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(JSON.parse(text)));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(answer).toEqual({ ok: false, reason: "malformed" });
  });

  it("receives 20 parallel uploads of 10 MB while the buffers in memory stay far below their sum", async () => {
    let peak = 0;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers));
    const before = process.memoryUsage().arrayBuffers;
    const timer = setInterval(sample, 5);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send([{ name: "document", file: { name: `scan-${i}.pdf`, bytes: 10 * MB } }]),
      ),
    );
    clearInterval(timer);
    sample();
    expect(answers.every((a) => a.ok === true)).toBe(true);
    // 200 MB went through; what was held at once is the streams' buffers (and the senders' chunks).
    expect(peak - before).toBeLessThan(60 * MB);
  });
});

describe("the spool's limits", () => {
  it("reserves room for declared lengths up to its size and gives it back", () => {
    const small = new UploadSpool(path.join(root, "small"), {
      maxRequestBytes: 12 * MB,
      maxSpoolBytes: 20 * MB,
      handlingSlots: 1,
      slotWaitMs: 50,
    });
    expect(small.reserve(12 * MB)).toBe(true);
    expect(small.reserve(12 * MB)).toBe(false);
    small.release(12 * MB);
    expect(small.reserve(12 * MB)).toBe(true);
    expect(small.reservedBytes).toBe(12 * MB);
  });

  it("lets as many requests with files be handled at once as it has slots; the others wait, and give up after the wait or when the client left", async () => {
    const slots = new UploadSpool(path.join(root, "slots"), {
      maxRequestBytes: MB,
      maxSpoolBytes: 10 * MB,
      handlingSlots: 2,
      slotWaitMs: 300,
    });
    const never = new AbortController().signal;
    expect(await slots.enterHandling(never)).toBe(true);
    expect(await slots.enterHandling(never)).toBe(true);
    const third = slots.enterHandling(never);
    setTimeout(() => slots.leaveHandling(), 50);
    expect(await third).toBe(true);
    expect(await slots.enterHandling(never)).toBe(false);
    const client = new AbortController();
    const leaving = slots.enterHandling(client.signal);
    client.abort();
    expect(await leaving).toBe(false);
  });

  it("removes the folders that ended processes left, and keeps those of running ones", () => {
    const shared = path.join(root, "shared");
    mkdirSync(path.join(shared, "999999999"), { recursive: true });
    writeFileSync(path.join(shared, "999999999", "left-over"), "x");
    mkdirSync(path.join(shared, "1"), { recursive: true });
    const own = new UploadSpool(shared, {
      maxRequestBytes: MB,
      maxSpoolBytes: MB,
      handlingSlots: 1,
      slotWaitMs: 10,
    });
    expect(readdirSync(shared).sort()).toEqual(["1", String(process.pid)].sort());
    expect(own.dir).toBe(path.join(shared, String(process.pid)));
  });
});
