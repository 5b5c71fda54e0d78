import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoMailbox } from "#app/server/mail/demo-mailbox.server";
import { createMailTransport } from "#app/server/mail/transport.server";

const dataDir = mkdtempSync(path.join(tmpdir(), "rp-demo-mailbox-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the demo mailbox", () => {
  it("shows what the demo transport wrote, newest first, with the attachments' names", async () => {
    expect(await demoMailbox({ demoMode: true, dataDir })).toEqual([]);
    const transport = createMailTransport({ smtpUrl: undefined, dataDir, mailFrom: "portal@example.org" });
    await transport.send({ to: "erika@example.org", subject: "Erste", text: "Ihr Code", attachments: [] });
    // The file names sort by the millisecond; the next one is later.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await transport.send({
      to: "max@example.org",
      subject: "Zweite",
      text: "Ihre Antwort",
      attachments: [{ fileName: "brief.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-") }],
    });
    const mails = await demoMailbox({ demoMode: true, dataDir });
    expect(mails?.map((m) => [m.to, m.subject, m.attachments])).toEqual([
      ["max@example.org", "Zweite", ["brief.pdf"]],
      ["erika@example.org", "Erste", []],
    ]);
    expect(mails?.[1]?.text.trim()).toBe("Ihr Code");
  });

  it("is not there outside demo mode", async () => {
    expect(await demoMailbox({ demoMode: false, dataDir })).toBeNull();
  });
});
