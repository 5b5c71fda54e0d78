/**
 * Messy mailboxes: messages as Postfix, Dovecot and real mail clients leave them in the ordinary
 * sample's Maildir++ stores (Poststelle, support). The cast (./cast.ts) writes, is written to and
 * is copied in: a sent copy that names a person only in Bcc; a circular whose Cc header runs to
 * thousands of folded addresses (a header block far beyond 64 KiB) with a person at its very end;
 * domains as punycode (`xn--…`) where the person gave the Unicode form; `<mailto:…>`; RFC 2047
 * display names in UTF-8 and ISO-8859-1 with titles and middle names; raw UTF-8 and Latin-1 header
 * bytes, also mixed in one header block; Resent-* headers of a forward; Return-Path, Delivered-To, X-Original-To and Received
 * lines as the servers write them; a Postfix bounce naming the person only in its report part; a
 * fax by the number without "+"; LF and CRLF files; unread messages in new/, read ones in cur/
 * with flags, Dovecot's ",S=…,W=…" names, a message its zlib plugin stored gzip-compressed, its
 * index files, and a delivery in progress in tmp/.
 * The family shares a family name and an address: a mail from Anna is hers, and Jörg's only when
 * he is an addressee. Namesakes and people with a cast member's display name at another address
 * are strangers. Every cast message is registered in the answer key with the reference the
 * Maildir connector gives it ("<folder>/<unique name>").
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { domainToASCII } from "node:url";
import { gzipSync } from "node:zlib";
import { formatRfc5322 } from "#app/sources/time";
import { pastTime, type SampleContext } from "../context";
import { SAMPLE_STORES } from "../layout";
import { encodeWords, mailbox } from "../mime";
import type { Rng } from "../prng";
import { MESSY_CAST } from "./cast";

type Box = "poststelle" | "support";
type Folder = "INBOX" | ".Sent" | ".Archiv.2024";
type Role = "sender" | "recipient" | "cc";
type CastId = (typeof MESSY_CAST)[keyof typeof MESSY_CAST]["id"];

const POSTSTELLE = "poststelle@tlrz.thueringen.de";
const SUPPORT = "servicecenter@tlrz.thueringen.de";
const HOST = "mail01.tlrz.thueringen.de";

const { joerg, anna, gerda, namesake, renate } = MESSY_CAST;

/** The address with its domain as punycode, as many servers and clients write IDN domains. */
function punycode(address: string): string {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, at)}@${domainToASCII(address.slice(at + 1))}`;
}

/** RFC 2047 "Q" words in ISO-8859-1, as older clients encode display names. */
function latin1Words(text: string): string {
  const q = [...Buffer.from(text, "latin1")]
    .map((b) =>
      b === 0x20
        ? "_"
        : /[A-Za-z0-9.-]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `=${b.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
  return `=?ISO-8859-1?Q?${q}?=`;
}

interface MessageSpec {
  box: Box;
  folder: Folder;
  /** Header lines in order, each "Name: value" (folding inside a value is kept). */
  headers: string[];
  body: string;
  /** Line ending of the whole file. */
  crlf: boolean;
  /** Header bytes as Latin-1 instead of UTF-8 (an old gateway writing 8-bit headers). */
  latin1Headers?: boolean;
  /** Stored gzip-compressed, as Dovecot's zlib plugin does. */
  gzip?: boolean;
  /** Header lines written as Latin-1 bytes after the others, in a block that is otherwise UTF-8. */
  latin1Lines?: string[];
  unread?: boolean;
  flags?: string;
  owners: { id: CastId; role: Role }[];
}

class MessyMailWriter {
  private sequence = 0;

  constructor(
    private readonly ctx: SampleContext,
    private readonly rng: Rng,
  ) {}

  private storeOf(box: Box) {
    return box === "poststelle" ? SAMPLE_STORES.poststelle : SAMPLE_STORES.support;
  }

  /** Writes a message where Dovecot would deliver it; returns its reference. */
  async write(spec: MessageSpec, at: Date): Promise<string> {
    const store = this.storeOf(spec.box);
    const root = join(this.ctx.out, store.path);
    const folderDir = spec.folder === "INBOX" ? root : join(root, spec.folder);
    const eol = spec.crlf ? "\r\n" : "\n";
    const head = spec.headers.join("\n").replace(/\r?\n/g, eol);
    const body = spec.body.replace(/\r?\n/g, eol);
    const latin1 = (spec.latin1Lines ?? []).map((line) => Buffer.from(eol + line, "latin1"));
    const bytes = Buffer.concat([
      Buffer.from(head, spec.latin1Headers ? "latin1" : "utf8"),
      ...latin1,
      Buffer.from(eol + eol),
      Buffer.from(body, "utf8"),
    ]);
    // Dovecot's unique names carry the size (S=) and the size with CRLF (W=).
    const lineFeeds = spec.crlf ? 0 : bytes.filter((b) => b === 0x0a).length;
    const unique = `${Math.floor(at.getTime() / 1000)}.M${this.rng.int(100000, 999999)}P${this.rng.int(1000, 65000)}X${++this.sequence}.${HOST},S=${bytes.length},W=${bytes.length + lineFeeds}`;
    const sub = spec.unread ? "new" : "cur";
    await mkdir(join(folderDir, sub), { recursive: true });
    for (const other of ["cur", "new", "tmp"]) await mkdir(join(folderDir, other), { recursive: true });
    await writeFile(
      join(folderDir, sub, spec.unread ? unique : `${unique}:2,${spec.flags ?? "S"}`),
      spec.gzip ? gzipSync(bytes) : bytes,
    );
    const ref = `${spec.folder}/${unique}`;
    for (const owner of spec.owners) this.ctx.key.add(owner.id, store.id, ref, owner.role);
    return ref;
  }

  messageId(domain: string): string {
    return `<${this.rng.hex(12)}.${this.rng.hex(6)}@${domain}>`;
  }

  /** The lines Postfix and Dovecot add on delivery into a mailbox. */
  delivery(envelopeFrom: string, recipient: string, at: Date, originalTo = recipient): string[] {
    const queue = this.rng.hex(10).toUpperCase();
    return [
      `Return-Path: <${envelopeFrom}>`,
      `Delivered-To: ${recipient}`,
      `Received: from ${HOST}\n\tby ${HOST} with LMTP\n\tid ${this.rng.hex(16)}\n\t(envelope-from <${envelopeFrom}>)\n\tfor <${recipient}>; ${formatRfc5322(at)}`,
      `Received: from mx01.tlrz.thueringen.de (mx01.tlrz.thueringen.de [10.10.1.5])\n\tby ${HOST} (Postfix) with ESMTPS id ${queue}\n\tfor <${originalTo}>; ${formatRfc5322(at)}`,
      `X-Original-To: ${originalTo}`,
    ];
  }
}

const TEXT = "Sehr geehrte Damen und Herren,\n\nanbei mein Anliegen.\n\nMit freundlichen Grüßen\n";

export async function writeMessyMailboxes(ctx: SampleContext): Promise<void> {
  const rng = ctx.rng.fork("messy-mail");
  const w = new MessyMailWriter(ctx, rng);
  const when = () => pastTime(ctx, rng, 0, 120);
  const plain = [
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
  ];

  // Jörg writes from his IDN domain, spelled as punycode, with title and middle name (CRLF).
  {
    const at = when();
    const from = `${encodeWords("Dr. Jörg Peter Müller")} <${punycode(joerg.email)}>`;
    await w.write(
      {
        box: "poststelle",
        folder: "INBOX",
        crlf: true,
        flags: "RS",
        headers: [
          ...w.delivery(punycode(joerg.email), POSTSTELLE, at),
          `From: ${from}`,
          `To: Poststelle TLRZ <${POSTSTELLE}>`,
          `Subject: ${encodeWords("Widerspruch gegen Gebührenbescheid")}`,
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("xn--mller-bau-q9a.example")}`,
          ...plain,
        ],
        body: TEXT,
        owners: [{ id: joerg.id, role: "sender" }],
      },
      at,
    );
  }

  // The office answers Anna and copies Jörg blind: the sent copy keeps its Bcc header.
  {
    const at = when();
    await w.write(
      {
        box: "poststelle",
        folder: ".Sent",
        crlf: false,
        headers: [
          `From: Poststelle TLRZ <${POSTSTELLE}>`,
          `To: ${mailbox("Anna Müller", anna.email)}`,
          `Bcc: ${mailbox("Dr. Jörg Müller", joerg.email)}`,
          "Subject: Ihre Anfrage vom Montag",
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("tlrz.thueringen.de")}`,
          "User-Agent: Mozilla Thunderbird",
          ...plain,
        ],
        body: "Sehr geehrte Frau Müller,\n\nwir bestätigen den Eingang.\n",
        owners: [
          { id: anna.id, role: "recipient" },
          { id: joerg.id, role: "cc" },
        ],
      },
      at,
    );
  }

  // A circular to thousands: the header block is far beyond 64 KiB; Gerda in the middle, Jörg at the end.
  {
    const at = when();
    const strangers = Array.from(
      { length: 2400 },
      (_, i) => `"Empfänger ${i}" <verteiler.${i}.${rng.hex(4)}@kommunen.example>`,
    );
    strangers.splice(1200, 0, mailbox("Gerda Schmidt-Müller", gerda.email));
    strangers.push(`${encodeWords("Müller, Jörg")} <${joerg.email.toUpperCase()}>`);
    await w.write(
      {
        box: "support",
        folder: "INBOX",
        crlf: false,
        headers: [
          ...w.delivery("verteiler@kommunen.example", SUPPORT, at),
          "From: Gemeindeverband <verteiler@kommunen.example>",
          `To: ${SUPPORT}`,
          `Cc: ${strangers.join(",\n ")}`,
          "Subject: Rundschreiben 7/2025",
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("kommunen.example")}`,
          ...plain,
        ],
        body: "Rundschreiben im Anhang.\n",
        owners: [
          { id: gerda.id, role: "cc" },
          { id: joerg.id, role: "cc" },
        ],
      },
      at,
    );
  }

  // Anna writes on her own: hers, not her husband's, though the name and address are his family's.
  {
    const at = when();
    await w.write(
      {
        box: "poststelle",
        folder: "INBOX",
        crlf: true,
        unread: true,
        headers: [
          ...w.delivery(anna.email, POSTSTELLE, at),
          `From: ${mailbox("Anna Müller", anna.email)}`,
          `To: ${POSTSTELLE}`,
          `Subject: ${encodeWords("Ummeldung Rosmarinweg 12, 99089 Erfurt")}`,
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("example.net")}`,
          ...plain,
        ],
        body: "Sehr geehrte Damen und Herren,\n\nich melde mich und meinen Mann Jörg Müller um.\n",
        owners: [{ id: anna.id, role: "sender" }],
      },
      at,
    );
  }

  // Anna writes with Jörg in Cc, as a mailto: link her client pasted.
  {
    const at = when();
    await w.write(
      {
        box: "support",
        folder: "INBOX",
        crlf: false,
        headers: [
          ...w.delivery(anna.email, SUPPORT, at),
          `From: ${mailbox("Anna Müller", anna.email)}`,
          `To: Servicecenter <${SUPPORT}>`,
          `Cc: <mailto:${joerg.email}>`,
          "Subject: Kennwort vergessen",
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("example.net")}`,
          ...plain,
        ],
        body: TEXT,
        owners: [
          { id: anna.id, role: "sender" },
          { id: joerg.id, role: "cc" },
        ],
      },
      at,
    );
  }

  // The namesake: same display name as Jörg, his own address. His alone.
  {
    const at = when();
    await w.write(
      {
        box: "poststelle",
        folder: "INBOX",
        crlf: true,
        headers: [
          ...w.delivery(namesake.email, POSTSTELLE, at),
          `From: ${encodeWords("Jörg Müller")} <${namesake.email}>`,
          `To: ${POSTSTELLE}`,
          "Subject: Meldebescheinigung",
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("example.com")}`,
          ...plain,
        ],
        body: TEXT,
        owners: [{ id: namesake.id, role: "sender" }],
      },
      at,
    );
  }

  // Gerda writes with raw UTF-8 in her headers (RFC 6532), no encoded words; Dovecot stored it gzip-compressed.
  {
    const at = when();
    await w.write(
      {
        box: "poststelle",
        folder: "INBOX",
        crlf: false,
        gzip: true,
        flags: "SZ",
        headers: [
          ...w.delivery(gerda.email, POSTSTELLE, at),
          `From: Gerda Schmidt-Müller <${gerda.email}>`,
          `To: ${POSTSTELLE}`,
          "Subject: Rückfrage zur Grundsteuer",
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("example.org")}`,
          ...plain,
        ],
        body: TEXT,
        owners: [{ id: gerda.id, role: "sender" }],
      },
      at,
    );
  }

  // Jörg again, through an SMTPUTF8 gateway: his IDN address as raw UTF-8, the subject as raw Latin-1 bytes of another hop.
  {
    const at = when();
    await w.write(
      {
        box: "support",
        folder: "INBOX",
        crlf: true,
        // The relay rewrote the envelope sender (SRS, as postsrsd does): only the From header names him.
        headers: [
          ...w.delivery(
            `SRS0=${rng.hex(4)}=${rng.hex(2).toUpperCase()}=${domainToASCII(joerg.email.split("@")[1]!)}=joerg@relay.example`,
            SUPPORT,
            at,
          ),
          `From: Jörg Müller <${joerg.email}>`,
          `To: ${SUPPORT}`,
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("xn--mller-bau-q9a.example")}`,
          ...plain,
        ],
        latin1Lines: ["Subject: Rückfrage Gebührenbescheid"],
        body: TEXT,
        owners: [{ id: joerg.id, role: "sender" }],
      },
      at,
    );
  }

  // Renate forwards (Resent-*) a stranger's letter to the support desk; her name in ISO-8859-1 words.
  {
    const at = when();
    await w.write(
      {
        box: "support",
        folder: "INBOX",
        crlf: true,
        headers: [
          ...w.delivery(renate.email, SUPPORT, at),
          `Resent-From: ${latin1Words("Renate Kühn-Ößwald")} <${renate.email}>`,
          `Resent-To: ${SUPPORT}`,
          `Resent-Date: ${formatRfc5322(at)}`,
          `Resent-Message-ID: ${w.messageId("weimar.example")}`,
          "From: Hans Berger <h.berger@stadtwerke.example>",
          `To: Meldebehörde Weimar <meldebehoerde@weimar.example>`,
          "Subject: Auskunftsersuchen",
          `Date: ${formatRfc5322(new Date(at.getTime() - 86_400_000))}`,
          `Message-ID: ${w.messageId("stadtwerke.example")}`,
          ...plain,
        ],
        body: TEXT,
        owners: [{ id: renate.id, role: "sender" }],
      },
      at,
    );
  }

  // The office writes to Renate, her address upper case with a tag, in the archive folder.
  {
    const at = when();
    const [local, domain] = renate.email.split("@") as [string, string];
    await w.write(
      {
        box: "support",
        folder: ".Archiv.2024",
        crlf: false,
        headers: [
          `From: Servicecenter <${SUPPORT}>`,
          `To: ${latin1Words("Kühn-Ößwald, Renate")} <${`${local}+beauskunftung@${domain}`.toUpperCase()}>`,
          "Subject: Ihr Zugang",
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("tlrz.thueringen.de")}`,
          ...plain,
        ],
        body: "Sehr geehrte Frau Kühn-Ößwald,\n\nIhr Zugang ist freigeschaltet.\n",
        owners: [{ id: renate.id, role: "recipient" }],
      },
      at,
    );
  }

  // A Postfix bounce of the office's reply to Jörg: he is named only in the report part.
  {
    const at = when();
    const boundary = `${rng.hex(8).toUpperCase()}.${Math.floor(at.getTime() / 1000)}/${HOST}`;
    await w.write(
      {
        box: "poststelle",
        folder: "INBOX",
        crlf: false,
        headers: [
          ...w.delivery("", POSTSTELLE, at),
          "From: MAILER-DAEMON@tlrz.thueringen.de (Mail Delivery System)",
          "Subject: Undelivered Mail Returned to Sender",
          `To: ${POSTSTELLE}`,
          "Auto-Submitted: auto-replied",
          "MIME-Version: 1.0",
          `Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="${boundary}"`,
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: <${rng.hex(10)}.${rng.hex(6)}@${HOST}>`,
        ],
        body: [
          "This is a MIME-encapsulated message.",
          "",
          `--${boundary}`,
          "Content-Description: Notification",
          "Content-Type: text/plain; charset=us-ascii",
          "",
          "I'm sorry to have to inform you that your message could not",
          "be delivered to one or more recipients.",
          "",
          `--${boundary}`,
          "Content-Description: Delivery report",
          "Content-Type: message/delivery-status",
          "",
          `Reporting-MTA: dns; ${HOST}`,
          `X-Postfix-Queue-ID: ${rng.hex(10).toUpperCase()}`,
          `Arrival-Date: ${formatRfc5322(at)}`,
          "",
          `Final-Recipient: rfc822; ${punycode(joerg.email)}`,
          `Original-Recipient: rfc822;${joerg.email}`,
          "Action: failed",
          "Status: 5.2.2",
          "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full",
          "",
          `--${boundary}--`,
          "",
        ].join("\n"),
        owners: [{ id: joerg.id, role: "recipient" }],
      },
      at,
    );
  }

  // A fax from Jörg's landline, the gateway writing the number as E.164 digits without "+".
  {
    const at = when();
    await w.write(
      {
        box: "poststelle",
        folder: "INBOX",
        crlf: true,
        headers: [
          ...w.delivery("fax@tlrz.thueringen.de", POSTSTELLE, at),
          "From: Fax-Gateway <fax@tlrz.thueringen.de>",
          `To: ${POSTSTELLE}`,
          `Subject: Telefax von ${joerg.phone.slice(1)} (1 Seite)`,
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("fax.tlrz.thueringen.de")}`,
          `X-Fax-Sender: ${joerg.phone.slice(1)}`,
          "X-Fax-Pages: 1",
          ...plain,
        ],
        body: "Eingegangenes Telefax.\n",
        owners: [{ id: joerg.id, role: "sender" }],
      },
      at,
    );
  }

  // Strangers: an "Anna Müller" and a "Dr. Jörg Müller" at other addresses, a Latin-1 header, a list mail naming the family only in its text.
  const strangers: { from: string; subject: string; latin1?: boolean; body?: string }[] = [
    { from: `${encodeWords("Anna Müller")} <anna.mueller@stadtverwaltung.example>`, subject: "Amtshilfe" },
    { from: `${encodeWords("Dr. Jörg Müller")} <praxis@dr-mueller.example>`, subject: "Bescheinigung" },
    { from: "Jürgen Groß <j.gross@example.de>", subject: "Änderung", latin1: true },
    {
      from: "Newsletter <news@verwaltung.example>",
      subject: "Neuigkeiten",
      body: `Familie Müller, Rosmarinweg 12, schreibt: ${joerg.email}\n`,
    },
  ];
  for (const stranger of strangers) {
    const at = when();
    await w.write(
      {
        box: rng.chance(0.5) ? "poststelle" : "support",
        folder: "INBOX",
        crlf: rng.chance(0.5),
        latin1Headers: stranger.latin1,
        headers: [
          `From: ${stranger.from}`,
          `To: ${POSTSTELLE}`,
          `Subject: ${stranger.subject}`,
          `Date: ${formatRfc5322(at)}`,
          `Message-ID: ${w.messageId("example.org")}`,
          ...plain,
        ],
        body: stranger.body ?? TEXT,
        owners: [],
      },
      at,
    );
  }

  // What Dovecot keeps beside the messages, and a delivery still in tmp/ (not a message yet).
  const poststelle = join(ctx.out, SAMPLE_STORES.poststelle.path);
  await writeFile(
    join(poststelle, "dovecot-uidlist"),
    `3 V${rng.int(1_600_000_000, 1_700_000_000)} N1 G${rng.hex(32)}\n`,
  );
  await writeFile(join(poststelle, "dovecot-keywords"), "0 $Forwarded\n1 $LegalHold\n");
  await writeFile(join(poststelle, "subscriptions"), "Sent\n");
  await mkdir(join(poststelle, "tmp"), { recursive: true });
  await writeFile(
    join(poststelle, "tmp", `${Math.floor(ctx.end.getTime() / 1000)}.M1P2.${HOST}`),
    `From: ${mailbox("Dr. Jörg Müller", joerg.email)}\nTo: ${POSTSTELLE}\nSubject: halb\n\nhalb geschr`,
  );
}
