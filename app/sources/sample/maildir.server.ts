/**
 * The Poststelle and support mailboxes as Maildir++ folders (cur/new, .Sent): citizens' letters by
 * e-mail with attachments and third parties in CC, the replies, faxes delivered by the fax gateway
 * as PDF mails, newsletters and spam.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatRfc5322 } from "../time";
import { type SampleContext, pastTime } from "./context";
import { SAMPLE_STORES } from "./layout";
import { type Attachment, buildMessage, mailbox } from "./mime";
import {
  emailVariant,
  nameVariant,
  phoneNotations,
  type SamplePerson,
  uniqueEmail,
  uniqueName,
} from "./people";
import { LETTER_SUBJECTS, TLRZ } from "./pools";
import { renderLetterPdf } from "./pdf.server";
import type { Rng } from "./prng";

type Box = "poststelle" | "support";

interface Involved {
  personId: string;
  role: "sender" | "recipient" | "cc";
}

export async function writeMailboxes(ctx: SampleContext): Promise<void> {
  const rng = ctx.rng.fork("maildir");
  const attachmentPdf = await renderLetterPdf(
    ["Anlage", "Kopie des Schreibens"],
    new Date(`${ctx.endDay}T08:00:00Z`),
    "Anlage",
  );
  const faxPdf = await renderLetterPdf(
    ["Telefax", "Seite 1/1"],
    new Date(`${ctx.endDay}T08:00:00Z`),
    "Telefax",
  );
  let sequence = 0;

  const write = async (
    box: Box,
    folder: "INBOX" | ".Sent",
    at: Date,
    message: string,
    involved: Involved[],
  ) => {
    const root = join(
      ctx.out,
      box === "poststelle" ? SAMPLE_STORES.poststelle.path : SAMPLE_STORES.support.path,
    );
    const unread = folder === "INBOX" && rng.chance(0.2);
    const dir = join(root, folder === "INBOX" ? "" : folder, unread ? "new" : "cur");
    await mkdir(dir, { recursive: true });
    const uniq = `${Math.floor(at.getTime() / 1000)}.M${rng.int(100000, 999999)}P${rng.int(1000, 65000)}Q${++sequence}.mail01.tlrz.thueringen.de`;
    await writeFile(join(dir, unread ? uniq : `${uniq}:2,S`), message);
    const store = box === "poststelle" ? SAMPLE_STORES.poststelle.id : SAMPLE_STORES.support.id;
    for (const who of involved) ctx.key.add(who.personId, store, `${folder}/${uniq}`, who.role);
  };

  const personAddress = (r: Rng, p: SamplePerson) => {
    const spelled = nameVariant(r, p);
    return mailbox(`${spelled.first} ${spelled.last}`, emailVariant(r, p.email));
  };

  const letter = async (box: Box, person: SamplePerson | null, from: string, at: Date) => {
    const to =
      box === "poststelle"
        ? mailbox("Poststelle TLRZ", TLRZ.poststelle)
        : mailbox("Servicecenter", TLRZ.support);
    const involved: Involved[] = person ? [{ personId: person.id, role: "sender" }] : [];
    let cc: string | null = null;
    if (rng.chance(0.25)) {
      const third = rng.pick(ctx.people);
      if (third.id !== person?.id) {
        cc = personAddress(rng, third);
        involved.push({ personId: third.id, role: "cc" });
      }
    }
    const attachments: Attachment[] = [];
    if (rng.chance(0.5))
      attachments.push({
        filename: rng.pick(["Schreiben.pdf", "Anhörung_Müller.pdf", "Bescheid Kopie.pdf"]),
        contentType: "application/pdf",
        data: attachmentPdf,
      });
    if (rng.chance(0.15))
      attachments.push({
        filename: "notiz.txt",
        contentType: "text/plain; charset=UTF-8",
        data: Buffer.from("Aktenzeichen siehe Betreff.\n"),
      });
    const subject = rng.pick(LETTER_SUBJECTS);
    const message = buildMessage({
      from,
      to,
      cc,
      subject,
      date: formatRfc5322(at),
      messageId: `${rng.hex(16)}@${/@([^>]+)>?$/.exec(from)?.[1] ?? "example.org"}`,
      text: "Sehr geehrte Damen und Herren,\n\nanbei mein Anliegen.\n\nMit freundlichen Grüßen",
      boundary: `----=_Part_${rng.hex(12)}`,
      attachments,
    });
    await write(box, "INBOX", at, message, involved);
    if (person && rng.chance(0.5)) {
      const replyAt = new Date(at.getTime() + rng.int(1, 5) * 86_400_000);
      const reply = buildMessage({
        from: to,
        to: from,
        subject: `AW: ${subject}`,
        date: formatRfc5322(replyAt),
        messageId: `${rng.hex(16)}@tlrz.thueringen.de`,
        text: "Sehr geehrte Damen und Herren,\n\nwir haben Ihr Schreiben erhalten.",
        boundary: `----=_Part_${rng.hex(12)}`,
        attachments: [],
      });
      await write(box, ".Sent", replyAt, reply, [{ personId: person.id, role: "recipient" }]);
    }
  };

  for (const [index, person] of ctx.people.entries()) {
    if (index % 5_000 === 0) ctx.progress("mail", index, ctx.people.length, "people");
    if (person.channels.has("mail-poststelle")) {
      for (let i = rng.int(1, person.demo ? 3 : 2); i > 0; i--)
        await letter("poststelle", person, personAddress(rng, person), pastTime(ctx, rng, 0, 120));
    }
    if (person.channels.has("mail-support")) {
      for (let i = rng.int(1, 2); i > 0; i--)
        await letter("support", person, personAddress(rng, person), pastTime(ctx, rng, 0, 540));
    }
    if (person.channels.has("fax")) {
      const at = pastTime(ctx, rng, 0, 120);
      const number = rng.pick(phoneNotations(person.official?.fax ?? rng.pick(person.phones)));
      const message = buildMessage({
        from: mailbox("Fax-Gateway", TLRZ.fax),
        to: mailbox("Poststelle TLRZ", TLRZ.poststelle),
        subject: `Telefax von ${number} (1 Seite)`,
        date: formatRfc5322(at),
        messageId: `${rng.hex(16)}@fax.tlrz.thueringen.de`,
        text: "Eingegangenes Telefax im Anhang.",
        boundary: `----=_Fax_${rng.hex(12)}`,
        attachments: [{ filename: "telefax.pdf", contentType: "application/pdf", data: faxPdf }],
        extraHeaders: { "X-Fax-Sender": number, "X-Fax-Pages": "1" },
      });
      await write("poststelle", "INBOX", at, message, [{ personId: person.id, role: "sender" }]);
    }
  }
  for (let i = Math.round(ctx.noise * (10 + ctx.people.length / 3)); i > 0; i--) {
    const name = uniqueName(rng, ctx.registry);
    const email = uniqueEmail(rng, ctx.registry, name.firstName, name.lastName);
    await letter(
      rng.chance(0.5) ? "poststelle" : "support",
      null,
      mailbox(`${name.firstName} ${name.lastName}`, email),
      pastTime(ctx, rng, 0, 400),
    );
  }
  for (let i = Math.round(ctx.noise * 8); i > 0; i--) {
    const at = pastTime(ctx, rng, 0, 200);
    const spam = buildMessage({
      from: mailbox("Gewinnspiel", `info@${rng.hex(6)}.example`),
      to: TLRZ.poststelle,
      subject: "Sie haben gewonnen – jetzt Prämie sichern!",
      date: formatRfc5322(at),
      messageId: `${rng.hex(20)}@spam.example`,
      text: "Klicken Sie hier.",
      boundary: "x",
      attachments: [],
    });
    await write("poststelle", "INBOX", at, spam, []);
  }
}
