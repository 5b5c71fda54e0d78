/**
 * What staff download from the print queue (/intern/druck/:id): a letter or one of its enclosures to
 * print, or, for a password letter, the case's access archive encrypted with that password for the
 * data medium. Every download is recorded.
 */
import { downloadAnswer } from "../delivery/delivery.server";
import type { Services } from "../services.server";
import { dataMediumPassword, passwordJob, printJobDocument } from "./print-queue.server";

/** The letter (enclosure null), one of its enclosures, or the data medium of a password letter. */
export type PrintDownloadWanted = { file: "data-medium" } | { file: "document"; enclosure: number | null };

export type PrintDownload =
  | {
      ok: true;
      body: ReadableStream<Uint8Array> | Uint8Array;
      contentType: string;
      /** Ours, or the enclosure's as the portal made it. */
      fileName: string;
    }
  | { ok: false; status: 404 | 409 | 410 };

export async function printDownload(
  { db, config }: Pick<Services, "db" | "config">,
  staffId: string,
  printJobId: string,
  wanted: PrintDownloadWanted,
): Promise<PrintDownload> {
  if (wanted.file === "data-medium") {
    const job = await passwordJob(db, printJobId);
    if (!job) return { ok: false, status: 404 };
    return downloadAnswer(db, {
      requestId: job.requestId,
      file: "auskunft.zip",
      actor: { type: "staff", id: staffId },
      publicUrl: config.publicUrl,
      sources: config.sources,
      password: dataMediumPassword(config.sessionSecret, job.requestId, printJobId),
    });
  }
  const document = await printJobDocument(db, { id: printJobId, enclosure: wanted.enclosure, staffId });
  if (!document) return { ok: false, status: 404 };
  return { ok: true, body: document.content, contentType: document.contentType, fileName: document.fileName };
}
