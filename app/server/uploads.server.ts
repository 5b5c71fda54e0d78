import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, openAsBlob, readdirSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { isProcessRunning } from "#db/process-alive";
import { hasForbiddenControl } from "./http/form-object";

/**
 * Multipart bodies (documents of a case, complaint attachments, staff scans) are streamed to files
 * on disk while they arrive, never collected in memory: a flood of large uploads costs disk, not
 * the process's memory. Three limits hold:
 * - per request: the declared body length (checked before reading) and each file's size;
 * - on disk: the declared lengths of all uploads being received or handled at once (the spool);
 * - in memory: how many requests carrying files are handled by the routes at once (they read a
 *   file into memory to type it and store it), the others wait for a slot.
 */
export interface UploadLimits {
  /** The largest body a request may have (MAX_BODY_BYTES). */
  maxRequestBytes: number;
  /** All uploads on disk at once, by their declared lengths (MAX_UPLOAD_SPOOL_BYTES). */
  maxSpoolBytes: number;
  /** Requests with files handled by the routes at once. */
  handlingSlots: number;
  /** How long a request with files waits for a slot before it is answered "busy". */
  slotWaitMs: number;
}

/** Text fields, files and parts of any of our forms, with room; more means no form of ours sent it. */
const MAX_FIELDS = 100;
const MAX_FILES = 10;
const MAX_FIELD_BYTES = 64 * 1024;

export type Received =
  | { ok: true; form: FormData; hasFiles: boolean }
  | { ok: false; reason: "too-large" | "malformed" | "control-characters" };

/** The temporary files of one process: its own folder, so that another process's are left alone. */
export class UploadSpool {
  readonly dir: string;
  private reserved = 0;
  private handling = 0;
  private waiting: (() => void)[] = [];

  constructor(
    root: string,
    readonly limits: UploadLimits,
  ) {
    removeEndedProcessFolders(root);
    this.dir = path.join(root, String(process.pid));
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Bytes of uploads currently on disk or on their way there. */
  get reservedBytes(): number {
    return this.reserved;
  }

  /** Reserves room for a body of the declared length; false while the spool is full. */
  reserve(bytes: number): boolean {
    if (this.reserved + bytes > this.limits.maxSpoolBytes) return false;
    this.reserved += bytes;
    return true;
  }

  release(bytes: number): void {
    this.reserved = Math.max(0, this.reserved - bytes);
  }

  /** Waits for a handling slot; false when none came free within slotWaitMs or the client left. */
  async enterHandling(gone: AbortSignal): Promise<boolean> {
    if (this.handling < this.limits.handlingSlots) {
      this.handling++;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        gone.removeEventListener("abort", giveUp);
        this.handling++;
        resolve(true);
      };
      const giveUp = () => {
        clearTimeout(timer);
        this.waiting = this.waiting.filter((w) => w !== wake);
        resolve(false);
      };
      const timer = setTimeout(giveUp, this.limits.slotWaitMs);
      gone.addEventListener("abort", giveUp, { once: true });
      this.waiting.push(wake);
    });
  }

  leaveHandling(): void {
    this.handling--;
    this.waiting.shift()?.();
  }

  /** A fresh file name in the spool, never derived from what the client sent. */
  newFile(): string {
    return path.join(this.dir, randomBytes(16).toString("hex"));
  }

  /** Removes the process's folder (at shutdown). */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Folders named after a process (`<root>/<pid>`) of processes that ended without removing theirs (a
 * crash, kill -9): the upload spool's and the document store's incoming files.
 */
export function removeEndedProcessFolders(root: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessRunning(pid)) continue;
    rmSync(path.join(root, entry), { recursive: true, force: true });
  }
}

/**
 * Reads a multipart body: text fields into the form (names and values checked for control
 * characters), each file streamed into a spool file and put into the form as a File that reads
 * from disk. `files` collects the paths written, which the caller removes once the response is
 * sent — also when this fails half-way.
 */
export async function receiveMultipart(
  req: IncomingMessage,
  spool: UploadSpool,
  files: string[],
): Promise<Received> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: "utf8",
      limits: {
        fields: MAX_FIELDS,
        files: MAX_FILES,
        parts: MAX_FIELDS + MAX_FILES,
        fieldSize: MAX_FIELD_BYTES,
        fileSize: spool.limits.maxRequestBytes,
      },
    });
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const form = new FormData();
  const written: Promise<void>[] = [];
  let refusal: Exclude<Received, { ok: true }>["reason"] | null = null;
  const refuse = (reason: typeof refusal) => {
    refusal ??= reason;
  };

  parser.on("field", (name, value, info) => {
    if (info.nameTruncated || info.valueTruncated) return refuse("too-large");
    if (hasForbiddenControl(name ?? "") || hasForbiddenControl(value)) return refuse("control-characters");
    // A part without a name belongs to no field (browsers never send one).
    if (!refusal && name) form.append(name, value);
  });
  parser.on("file", (name, stream, info) => {
    if (
      hasForbiddenControl(name ?? "") ||
      hasForbiddenControl(info.filename ?? "") ||
      hasForbiddenControl(info.mimeType)
    )
      refuse("control-characters");
    if (refusal || !name) {
      stream.resume();
      return;
    }
    const file = spool.newFile();
    files.push(file);
    written.push(
      pipeline(stream, createWriteStream(file, { mode: 0o600 })).then(async () => {
        if ((stream as { truncated?: boolean }).truncated) return refuse("too-large");
        // An empty file input still sends a part (no name, no bytes): kept as the browser sent it.
        form.append(name, new File([await openAsBlob(file)], info.filename ?? "", { type: info.mimeType }));
      }),
    );
  });
  parser.on("filesLimit", () => refuse("too-large"));
  parser.on("fieldsLimit", () => refuse("too-large"));
  parser.on("partsLimit", () => refuse("too-large"));

  try {
    await pipeline(req, parser);
    await Promise.all(written);
  } catch {
    await Promise.allSettled(written);
    return { ok: false, reason: refusal ?? "malformed" };
  }
  if (refusal) return { ok: false, reason: refusal };
  return { ok: true, form, hasFiles: files.length > 0 };
}

/** Removes a request's spool files; a file already gone is fine. */
export async function removeFiles(files: string[]): Promise<void> {
  await Promise.all(files.map((file) => rm(file, { force: true })));
}

/**
 * The forms the HTTP layer has read, for the routes: keyed by a random token in a request header
 * that the HTTP layer sets (and strips from what clients send).
 */
const receivedForms = new Map<string, FormData>();
export const RECEIVED_FORM_HEADER = "x-rp-received-form";

export function keepReceivedForm(form: FormData): string {
  const token = randomBytes(16).toString("hex");
  receivedForms.set(token, form);
  return token;
}

export function forgetReceivedForm(token: string): void {
  receivedForms.delete(token);
}

/** The form the HTTP layer read from this request's body, if it did. */
export function receivedFormOf(request: Request): FormData | undefined {
  const token = request.headers.get(RECEIVED_FORM_HEADER);
  return token ? receivedForms.get(token) : undefined;
}
