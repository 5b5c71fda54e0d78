import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { Config } from "../config.server";
import { demoMailboxDir } from "./transport.server";

/** The newest messages shown; the folder itself keeps every one. */
const SHOWN = 50;

export interface DemoMail {
  id: string;
  to: string;
  subject: string;
  /** ISO date. */
  date: string;
  text: string;
  attachments: string[];
}

/**
 * The demo's mailbox (/demo/postfach): the newest messages the portal would have sent, read from the
 * .eml files the demo transport wrote. Null outside demo mode: only there does no mail leave the
 * machine, and only there is there a mailbox to show.
 */
export async function demoMailbox(config: Pick<Config, "demoMode" | "dataDir">): Promise<DemoMail[] | null> {
  if (!config.demoMode) return null;
  const folder = demoMailboxDir(config.dataDir);
  const names = (await readdir(folder).catch(() => [] as string[]))
    .filter((n) => n.endsWith(".eml"))
    .sort()
    .reverse()
    .slice(0, SHOWN);
  return Promise.all(
    names.map(async (name) => {
      const parsed = await simpleParser(await readFile(path.join(folder, name)));
      return {
        id: name,
        to: parsed.to
          ? Array.isArray(parsed.to)
            ? parsed.to.map((a) => a.text).join(", ")
            : parsed.to.text
          : "",
        subject: parsed.subject ?? "",
        date: (parsed.date ?? new Date()).toISOString(),
        text: parsed.text ?? "",
        attachments: parsed.attachments.map((a) => a.filename ?? a.contentType),
      };
    }),
  );
}
