/**
 * Messy records management (VISkompakt) as real exports write it: metadata declared ISO-8859-1 or
 * windows-1252 (with a "€" that only windows-1252 has), UTF-8 with a byte-order mark and CRLF,
 * numeric character references (`M&#252;ller`), CDATA, other namespace prefixes and a default
 * namespace, file names that are not the document id, sub-folders by year and month, a scan whose
 * metadata is missing and metadata whose scan is missing, a metadata file cut off by a killed
 * export, letters signed by two people, and a reply that went out to one of them. The cast's family lives at one address: their letters
 * must go to each of them and never to another, and the namesake's letters from Gotha never to
 * Jörg in Erfurt. Strangers (another Müller at the address, a Müller elsewhere) belong to nobody.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type SampleContext, pastTime, xmlEscape } from "../context";
import { SAMPLE_STORES } from "../layout";
import { renderLetterPdf } from "../pdf.server";
import type { Rng } from "../prng";
import { LETTER_SUBJECTS } from "../pools";
import { MESSY_CAST, type MessyCastKey, type MessyPerson } from "./cast";

/** How an exporter wrote the text of an element. */
type Style = "plain" | "refs" | "cdata";
type Encoding = "UTF-8" | "UTF-8-BOM" | "ISO-8859-1" | "windows-1252" | "Latin-1-undeclared";

interface Sender {
  /** Whose letter it is: a cast member, or null for a stranger. */
  owner: MessyCastKey | null;
  /** Sender, co-signer, or the addressee of an outgoing letter. */
  element?: "absender" | "mitzeichner" | "empfaenger";
  titel?: string;
  /** The whole name in one element, as some exports write it. */
  name?: string;
  vorname?: string;
  nachname?: string;
  strasse?: string;
  postleitzahl?: string;
  ort?: string;
  email?: string;
  telefon?: string;
  geburtsdatum?: string;
}

interface MessyDocument {
  senders: Sender[];
  /** Senders inside one `absender` as `person` elements rather than one element each. */
  personsInOneSender?: boolean;
  /** Namespace prefix; "" writes a default namespace. */
  prefix: string;
  encoding: Encoding;
  style: Style;
  crlf?: boolean;
  /** File path without extension, relative to the store; default "<year>/<id>". */
  file?: (year: string, id: string) => string;
  /** The scan: written (default), or lost. */
  scan?: "present" | "missing";
  betreff?: string;
  eingangsart?: "Brief" | "Fax" | "E-Mail";
}

const home = (p: MessyPerson) => ({
  strasse: `${p.address.street} ${p.address.houseNumber}`,
  postleitzahl: p.address.postcode,
  ort: p.address.city,
});
const { joerg, anna, gerda, namesake, renate } = MESSY_CAST;
const first = (p: MessyPerson) => p.givenNames[0]!;

/** The documents of the messy store; every variation once at least, each cast member several times. */
function documents(): MessyDocument[] {
  return [
    // Jörg Peter Müller, the person asking.
    {
      senders: [{ owner: "joerg", vorname: "J.", nachname: joerg.familyName, ...home(joerg) }],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
    },
    {
      senders: [
        { owner: "joerg", titel: "Dr.", vorname: first(joerg), nachname: joerg.familyName, ...home(joerg) },
      ],
      prefix: "v",
      encoding: "ISO-8859-1",
      style: "plain",
    },
    {
      senders: [
        { owner: "joerg", vorname: `Dr. ${first(joerg)}`, nachname: joerg.familyName, ...home(joerg) },
      ],
      prefix: "vis",
      encoding: "windows-1252",
      style: "plain",
      betreff: "Gebühr 25 € erstattet?",
    },
    {
      senders: [
        { owner: "joerg", vorname: joerg.givenNames.join(" "), nachname: joerg.familyName, ...home(joerg) },
      ],
      prefix: "",
      encoding: "UTF-8-BOM",
      style: "refs",
      crlf: true,
    },
    {
      senders: [
        {
          owner: "joerg",
          vorname: first(joerg),
          nachname: joerg.familyName,
          email: "mailto:joerg@xn--mller-bau-q9a.example",
        },
      ],
      prefix: "dms",
      encoding: "UTF-8",
      style: "cdata",
      eingangsart: "E-Mail",
      file: (year) => `${year}/eingang_${year}_0815`,
    },
    {
      senders: [
        { owner: "joerg", vorname: "JOERG", nachname: "MUELLER", ...home(joerg), strasse: "Rosmarinweg 12" },
      ],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
      file: (year) => `${year}/scan-000123`,
      scan: "missing",
    },
    {
      senders: [
        { owner: "joerg", vorname: "Dr. J. P.", nachname: joerg.familyName, telefon: joerg.phone.slice(1) },
      ],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
      eingangsart: "Fax",
    },
    // The reply that went out to him: the whole name in one element, with the form of address.
    {
      senders: [
        {
          owner: "joerg",
          element: "empfaenger",
          name: `Herrn ${joerg.title} ${first(joerg)} ${joerg.familyName}`,
          ...home(joerg),
        },
      ],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
      betreff: "Ihr Schreiben vom 3. März",
    },
    // Signed by Jörg and his wife: the letter is each of theirs.
    {
      senders: [
        { owner: "joerg", vorname: first(joerg), nachname: joerg.familyName, ...home(joerg) },
        {
          owner: "anna",
          element: "mitzeichner",
          vorname: first(anna),
          nachname: anna.familyName,
          ...home(anna),
        },
      ],
      prefix: "vis",
      encoding: "ISO-8859-1",
      style: "refs",
      file: (year, id) => `${year}/${id.slice(-2)}/${id}`,
    },
    // Anna Müller, his wife at the same address.
    {
      senders: [{ owner: "anna", vorname: first(anna), nachname: anna.familyName, ...home(anna) }],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
    },
    {
      senders: [{ owner: "anna", vorname: "A.", nachname: anna.familyName, ...home(anna) }],
      prefix: "v",
      encoding: "ISO-8859-1",
      style: "plain",
    },
    {
      senders: [
        { owner: "anna", vorname: first(anna), nachname: "Mueller", email: anna.email.toUpperCase() },
      ],
      prefix: "vis",
      encoding: "UTF-8",
      style: "cdata",
      eingangsart: "E-Mail",
    },
    // Anna and her mother writing together, as two persons of one sender element.
    {
      senders: [
        { owner: "anna", vorname: first(anna), nachname: anna.familyName, ...home(anna) },
        { owner: "gerda", vorname: first(gerda), nachname: gerda.familyName, ...home(gerda) },
      ],
      personsInOneSender: true,
      prefix: "",
      encoding: "UTF-8",
      style: "plain",
    },
    // Gerda Schmidt-Müller, the mother-in-law: her double name ends with his.
    {
      senders: [{ owner: "gerda", vorname: first(gerda), nachname: gerda.familyName, ...home(gerda) }],
      prefix: "vis",
      encoding: "windows-1252",
      style: "plain",
    },
    {
      senders: [{ owner: "gerda", vorname: "G.", nachname: gerda.familyName, ...home(gerda) }],
      prefix: "vis",
      encoding: "UTF-8",
      style: "cdata",
    },
    {
      senders: [
        { owner: "gerda", titel: "Frau", vorname: first(gerda), nachname: "SCHMIDT-MÜLLER", ...home(gerda) },
      ],
      prefix: "x",
      encoding: "ISO-8859-1",
      style: "refs",
    },
    // The namesake in Gotha: same name, another address and day of birth.
    {
      senders: [
        {
          owner: "namesake",
          vorname: first(namesake),
          nachname: namesake.familyName,
          ...home(namesake),
          telefon: "03621 1234567",
          geburtsdatum: "05.05.1975",
        },
      ],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
      eingangsart: "Fax",
    },
    {
      senders: [
        { owner: "namesake", vorname: first(namesake), nachname: namesake.familyName, ...home(namesake) },
      ],
      prefix: "dms",
      encoding: "ISO-8859-1",
      style: "refs",
    },
    {
      senders: [{ owner: "namesake", vorname: "J.", nachname: namesake.familyName, ...home(namesake) }],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
    },
    // Renate Kühn-Ößwald: letters of a name with Ö and ß, in Latin-1 and as references.
    {
      senders: [
        {
          owner: "renate",
          vorname: first(renate),
          nachname: renate.familyName,
          ...home(renate),
          email: renate.email,
        },
      ],
      prefix: "vis",
      encoding: "ISO-8859-1",
      style: "plain",
    },
    {
      senders: [{ owner: "renate", vorname: first(renate), nachname: renate.familyName, ...home(renate) }],
      prefix: "vis",
      encoding: "UTF-8",
      style: "refs",
      betreff: "Auskunft & Berichtigung",
    },
    // Strangers: another Müller at the family's address, Müllers elsewhere, a double name starting with Müller.
    {
      senders: [{ owner: null, vorname: "Paul", nachname: "Müller", ...home(joerg) }],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
    },
    {
      senders: [{ owner: null, vorname: "P.", nachname: "Müller", ...home(joerg) }],
      prefix: "vis",
      encoding: "ISO-8859-1",
      style: "plain",
    },
    {
      senders: [
        {
          owner: null,
          vorname: "Hans",
          nachname: "Müller",
          strasse: "Leutragraben 1",
          postleitzahl: "07743",
          ort: "Jena",
          email: "hans.mueller@example.com",
        },
      ],
      prefix: "vis",
      encoding: "UTF-8",
      style: "plain",
    },
    {
      senders: [
        {
          owner: null,
          vorname: first(joerg),
          nachname: "Müller-Lüdenscheidt",
          strasse: "Schillerstraße 9",
          postleitzahl: "99423",
          ort: "Weimar",
        },
      ],
      prefix: "v",
      encoding: "UTF-8",
      style: "plain",
    },
    {
      senders: [
        {
          owner: null,
          vorname: "Gerda",
          nachname: "Schmidt",
          strasse: "Krämerbrücke 7",
          postleitzahl: "99084",
          ort: "Erfurt",
        },
      ],
      prefix: "vis",
      encoding: "Latin-1-undeclared",
      style: "plain",
    },
  ];
}

function value(text: string, style: Style): string {
  if (style === "cdata") return `<![CDATA[${text}]]>`;
  const escaped = xmlEscape(text);
  return style === "refs" ? escaped.replace(/[^\x00-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`) : escaped;
}

const SENDER_ORDER = [
  "name",
  "titel",
  "vorname",
  "nachname",
  "strasse",
  "postleitzahl",
  "ort",
  "email",
  "telefon",
  "geburtsdatum",
] as const;

function senderXml(sender: Sender, q: (name: string) => string, style: Style, indent: string): string {
  return SENDER_ORDER.filter((f) => sender[f])
    .map((f) => `${indent}<${q(f)}>${value(sender[f]!, style)}</${q(f)}>\n`)
    .join("");
}

function metadataXml(
  doc: MessyDocument,
  id: string,
  fields: {
    aktenzeichen: string;
    betreff: string;
    eingangsart: string;
    eingangsdatum: string;
    pdf: string;
    sha256: string;
  },
): string {
  const q = (name: string) => (doc.prefix ? `${doc.prefix}:${name}` : name);
  const ns = doc.prefix ? `xmlns:${doc.prefix}` : "xmlns";
  const declared = doc.encoding === "UTF-8-BOM" ? "UTF-8" : doc.encoding;
  const el = (name: string, text: string) => `  <${q(name)}>${value(text, doc.style)}</${q(name)}>\n`;
  let senders: string;
  if (doc.personsInOneSender) {
    senders = `  <${q("absender")}>\n${doc.senders.map((s) => `    <${q("person")}>\n${senderXml(s, q, doc.style, "      ")}    </${q("person")}>\n`).join("")}  </${q("absender")}>\n`;
  } else {
    senders = doc.senders
      .map(
        (s) =>
          `  <${q(s.element ?? "absender")}>\n${senderXml(s, q, doc.style, "    ")}  </${q(s.element ?? "absender")}>\n`,
      )
      .join("");
  }
  const xml =
    (doc.encoding === "Latin-1-undeclared"
      ? `<?xml version="1.0"?>\n`
      : `<?xml version="1.0" encoding="${declared}"?>\n`) +
    `<!-- Export VISkompakt 4.2 -->\n` +
    `<${q("dokument")} ${ns}="urn:tlrz:viskompakt:metadaten:1" id="${id}">\n` +
    el("aktenzeichen", fields.aktenzeichen) +
    el("betreff", fields.betreff) +
    el("eingangsart", fields.eingangsart) +
    el("eingangsdatum", fields.eingangsdatum) +
    senders +
    `  <${q("vorgang")}>\n    <${q("status")}>offen</${q("status")}>\n    <${q("archivangebot")}>not-offered</${q("archivangebot")}>\n  </${q("vorgang")}>\n` +
    `  <${q("datei")} name="${fields.pdf}" sha256="${fields.sha256}"/>\n` +
    `</${q("dokument")}>\n`;
  return doc.crlf ? xml.replace(/\n/g, "\r\n") : xml;
}

/** Characters a Latin-1 file cannot hold become character references, as exporters write them (markup is ASCII). */
const asRefs = (text: string, keep: RegExp) =>
  text.replace(/[^\x00-\xff]/gu, (c) => (keep.test(c) ? c : `&#${c.codePointAt(0)};`));

function encode(xml: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case "UTF-8":
      return Buffer.from(xml, "utf8");
    case "UTF-8-BOM":
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, "utf8")]);
    case "windows-1252":
      // "€" is 0x80 in windows-1252 and missing from ISO-8859-1.
      return Buffer.from(asRefs(xml, /€/).replace(/€/g, "\x80"), "latin1");
    default:
      return Buffer.from(asRefs(xml, /$^/), "latin1");
  }
}

async function writeBytes(path: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

async function letter(rng: Rng, senders: Sender[], received: Date, subject: string): Promise<Buffer> {
  const signature = senders.map((s) => [s.titel, s.vorname, s.nachname].filter(Boolean).join(" "));
  const place = senders[0]?.strasse
    ? [`${senders[0].strasse}, ${senders[0].postleitzahl} ${senders[0].ort}`]
    : [];
  return renderLetterPdf(
    [
      ...signature,
      ...place,
      "",
      "Thüringer Landesrechenzentrum",
      "Postfach 80 03 05",
      "99029 Erfurt",
      "",
      subject,
      "",
      "Sehr geehrte Damen und Herren,",
      rng.pick([
        "ich bitte um Auskunft.",
        "anbei die angeforderten Unterlagen.",
        "ich widerspreche dem Bescheid.",
      ]),
      "",
      "Mit freundlichen Grüßen",
      ...signature,
    ],
    received,
    subject,
  );
}

export async function writeMessyRecords(ctx: SampleContext): Promise<void> {
  const rng = ctx.rng.fork("messy-records");
  const root = join(ctx.out, SAMPLE_STORES.dms.path);
  let counter = 0;
  const nextId = (year: string) => `VIS-${year}-8${String(++counter).padStart(5, "0")}`;

  for (const doc of documents()) {
    const received = pastTime(ctx, rng, 20, 2000);
    const year = received.toISOString().slice(0, 4);
    const id = nextId(year);
    const stem = doc.file ? doc.file(year, id) : `${year}/${id}`;
    const pdfName = `${stem.slice(stem.lastIndexOf("/") + 1)}.pdf`;
    const betreff = doc.betreff ?? rng.pick(LETTER_SUBJECTS);
    const pdf = await letter(rng, doc.senders, received, betreff);
    const xml = metadataXml(doc, id, {
      aktenzeichen: `31-${rng.int(1000, 9999)}/${year}`,
      betreff,
      eingangsart: doc.eingangsart ?? "Brief",
      eingangsdatum: received.toISOString(),
      pdf: pdfName,
      sha256: createHash("sha256").update(pdf).digest("hex"),
    });
    if (doc.scan !== "missing") await writeBytes(join(root, `${stem}.pdf`), pdf);
    await writeBytes(join(root, `${stem}.xml`), encode(xml, doc.encoding));
    for (const sender of doc.senders) {
      if (sender.owner)
        ctx.key.add(
          MESSY_CAST[sender.owner].id,
          SAMPLE_STORES.dms.id,
          id,
          sender.element === "empfaenger" ? "recipient" : "sender",
        );
    }
  }

  // A scan whose metadata never arrived: nobody can tell whose it is without reading it.
  const orphanYear = ctx.endDay.slice(0, 4);
  await writeBytes(
    join(root, orphanYear, `VIS-${orphanYear}-899998.pdf`),
    await letter(rng, [], ctx.end, "Ohne Metadaten"),
  );
  // An export killed while writing: the metadata stops in the middle of the sender.
  const cut = nextId(orphanYear);
  const truncated = `<?xml version="1.0" encoding="UTF-8"?>\n<vis:dokument xmlns:vis="urn:tlrz:viskompakt:metadaten:1" id="${cut}">\n  <vis:betreff>Widerspruch</vis:betreff>\n  <vis:absender>\n    <vis:vorname>Kla`;
  await writeBytes(join(root, orphanYear, `${cut}.xml`), truncated);
  await writeBytes(join(root, orphanYear, `${cut}.pdf`), await letter(rng, [], ctx.end, "Widerspruch"));
}
