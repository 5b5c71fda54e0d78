import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "../config.server";

export interface MailSettings {
  smtpUrl: string | undefined;
  dataDir: string;
  mailFrom: string;
}

interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  attachments: { fileName: string; contentType: string; content: Buffer }[];
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function mailSettingsOf(config: Pick<Config, "smtpUrl" | "dataDir" | "mailFrom">): MailSettings {
  return { smtpUrl: config.smtpUrl, dataDir: config.dataDir, mailFrom: config.mailFrom };
}

/** Where the demo keeps the messages it would have sent; read by the demo mailbox page. */
export function demoMailboxDir(dataDir: string): string {
  return path.join(dataDir, "mail");
}

/**
 * SMTP when SMTP_URL is set (options such as `?ignoreTLS=true` ride on the URL). Without it the
 * messages are rendered exactly as they would be sent and written as .eml files, so the demo shows
 * real mail without a mail server.
 *
 * With `connections`, SMTP runs as nodemailer's pool: that many connections are kept open and
 * reused, so parallel senders do not pay a TCP and SMTP handshake per mail.
 */
export function createMailTransport(
  settings: MailSettings,
  { connections }: { connections?: number } = {},
): MailTransport {
  const toMessage = (mail: OutgoingMail) => ({
    from: settings.mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    attachments: mail.attachments.map((a) => ({
      filename: a.fileName,
      contentType: a.contentType,
      content: a.content,
    })),
  });
  if (settings.smtpUrl) {
    const smtp = connections
      ? nodemailer.createTransport({ url: settings.smtpUrl, pool: true, maxConnections: connections })
      : nodemailer.createTransport(settings.smtpUrl);
    return {
      async send(mail) {
        const info = await smtp.sendMail(toMessage(mail));
        return { messageId: String(info.messageId) };
      },
      close: () => smtp.close(),
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const folder = demoMailboxDir(settings.dataDir);
  return {
    async send(mail) {
      const info = await stream.sendMail(toMessage(mail));
      await mkdir(folder, { recursive: true });
      // Sortable by time; the random part keeps two messages of one millisecond apart.
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.eml`;
      await writeFile(path.join(folder, name), info.message as Buffer, { mode: 0o600 });
      return { messageId: String(info.messageId) };
    },
    close: () => {},
  };
}
