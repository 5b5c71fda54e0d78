/**
 * The database stores of the "as found in the wild" sample: retrieval protocols and service-desk
 * tickets of the cast (./cast.ts) and of strangers, appended to the ordinary rows with the next free
 * ids. What makes them hard is what real exports hold: look-ups answered with two namesakes, a
 * middle name in the register's hit, dates of birth in every notation or only in part, names written
 * with character references (`M&#252;ller`, `M&uuml;ller`) or in CDATA, XML declared as ISO-8859-1,
 * other namespace prefixes, a protocol whose XML is broken; tickets whose customer writes a title,
 * an IDN domain as punycode, a `mailto:` address, a phone number as E.164 digits without "+", and a
 * person named only in the display name of an article's sender.
 *
 * Every record of a cast member is registered in the answer key with the cast member's role; the
 * strangers' records belong to nobody.
 */
import { type SampleContext, pastTime, xmlEscape } from "../context";
import { SAMPLE_STORES } from "../layout";
import { randomGermanPhone, uniqueEmail, uniqueName } from "../people";
import type { Rng } from "../prng";
import type { RetrievalRow } from "../retrieval";
import type { ArticleRow, TicketRow } from "../servicedesk";
import { MESSY_CAST, type MessyPerson } from "./cast";
import type { DatabaseRows } from "./index.server";

type CastKey = keyof typeof MESSY_CAST;

/**
 * How a text is written into XML: as is, with numeric or named character references, in CDATA, or
 * its first word as text and the rest in CDATA ("Jörg <![CDATA[Peter]]>").
 */
type Spelling = "plain" | "numeric" | "named" | "cdata" | "mixed";

// The Latin-1 letters German registers write by name; anything else falls back to a number.
const NAMED: Record<string, string> = {
  ä: "auml",
  ö: "ouml",
  ü: "uuml",
  Ä: "Auml",
  Ö: "Ouml",
  Ü: "Uuml",
  ß: "szlig",
  é: "eacute",
};

function spell(text: string, how: Spelling): string {
  if (how === "cdata") return `<![CDATA[${text}]]>`;
  if (how === "mixed") {
    const space = text.indexOf(" ");
    return space > 0
      ? `${xmlEscape(text.slice(0, space + 1))}<![CDATA[${text.slice(space + 1)}]]>`
      : `<![CDATA[${text}]]>`;
  }
  const escaped = xmlEscape(text);
  if (how === "plain") return escaped;
  return escaped.replace(/[^\x20-\x7e]/gu, (c) =>
    how === "named" && NAMED[c] ? `&${NAMED[c]};` : `&#${c.codePointAt(0)};`,
  );
}

const el = (name: string, value: string | null | undefined, how: Spelling = "plain", prefix = "") =>
  value ? `<${prefix}${name}>${spell(value, how)}</${prefix}${name}>` : "";

interface Official {
  userId: string;
  userName: string;
  firstName: string;
  lastName: string;
  phone: string;
  fax: string;
  email: string;
  authority: { name: string; dvdv: string; security: boolean };
  personId: string | null;
}

interface LookedUp {
  first: string | null;
  last: string;
  birthDate: string | null;
}

interface Hit {
  first: string;
  last: string;
  birthDate: string | null;
  street: string;
  postcode: string;
  city: string;
}

interface Protocol {
  official: Official;
  /** How the official's name and the hits' names are spelled. */
  spelling: Spelling;
  /** Declared encoding of both documents. */
  encoding: "UTF-8" | "ISO-8859-1";
  /** Namespace prefix of the document element ("" for a default namespace). */
  prefix: string;
  criteria: LookedUp;
  hits: Hit[];
  blocked?: boolean;
  /** Cast members whose record it is, with their role. */
  owners: { person: CastKey; role: "requester" | "looked-up" }[];
  /** A response cut off in transfer: the protocol cannot be parsed. */
  broken?: boolean;
  /** Written in UTF-8 but declared and stored as ISO-8859-1: every umlaut became two letters ("MÃ¼ller"). */
  doubleEncoded?: boolean;
}

function hitOf(p: MessyPerson, overrides: Partial<Hit> = {}): Hit {
  return {
    first: p.givenNames.join(" "),
    last: p.familyName,
    birthDate: p.birthDate,
    street: `${p.address.street} ${p.address.houseNumber}`,
    postcode: p.address.postcode,
    city: p.address.city,
    ...overrides,
  };
}

const RENATE: Official = {
  userId: "U-316400",
  userName: "RKuehnOesswald",
  firstName: MESSY_CAST.renate.givenNames[0],
  lastName: MESSY_CAST.renate.familyName,
  phone: MESSY_CAST.renate.phone.slice(1),
  fax: "+49 (0)3643 76-2299",
  email: `mailto:${MESSY_CAST.renate.email}`,
  authority: { name: "Stadt Weimar, Bürgerbüro", dvdv: "dvdv:meldb:16055000", security: false },
  personId: MESSY_CAST.renate.id,
};

function strangerOfficial(ctx: SampleContext, rng: Rng, authority: Official["authority"]): Official {
  const name = uniqueName(rng, ctx.registry);
  const phone = randomGermanPhone(rng, "361", ctx.registry);
  const fax = randomGermanPhone(rng, "361", ctx.registry);
  return {
    userId: `U-${rng.int(400000, 499999)}`,
    userName: `x${rng.hex(6)}`,
    firstName: name.firstName,
    lastName: name.lastName,
    phone: `+49 (0)361 ${phone.subscriber}`,
    fax: `0361/${fax.subscriber}`,
    email: uniqueEmail(rng, ctx.registry, name.firstName, name.lastName, "lpi.thueringen.example"),
    authority,
    personId: null,
  };
}

function protocolXml(p: Protocol, messageId: string, at: Date): { request: string; response: string } {
  const x = p.prefix ? `${p.prefix}:` : "";
  const ns = p.prefix
    ? `xmlns:${p.prefix}="http://www.osci.de/xmeld2511a"`
    : `xmlns="http://www.osci.de/xmeld2511a"`;
  const o = p.official;
  const how = p.spelling;
  const request = [
    `<?xml version="1.0" encoding="${p.encoding}"?>`,
    `<${x}datenabruf.einfacheMeldeauskunft.anfrage.1350 ${ns} version="2.5.1">`,
    `<${x}nachrichtenkopf.g2g><${x}identifikation.nachricht><${x}nachrichtenUUID>${messageId}</${x}nachrichtenUUID><${x}erstellungszeitpunkt>${at.toISOString()}</${x}erstellungszeitpunkt></${x}identifikation.nachricht></${x}nachrichtenkopf.g2g>`,
    `<${x}anfragendeStelle>${el("behoerde", o.authority.name, how, x)}${el("dvdvKennung", o.authority.dvdv, "plain", x)}${el("sicherheitsbehoerde", String(o.authority.security), "plain", x)}</${x}anfragendeStelle>`,
    `<${x}sachbearbeiter>`,
    el("nutzerkennung", o.userId, "plain", x),
    el("benutzername", o.userName, "plain", x),
    el("vorname", o.firstName, how, x),
    el("familienname", o.lastName, how, x),
    el("telefon", o.phone, "plain", x),
    el("telefax", o.fax, "plain", x),
    el("email", o.email, "plain", x),
    `</${x}sachbearbeiter>`,
    el("aktenzeichen", `32-${messageId.slice(0, 4)}/2025`, "plain", x),
    el("anlass", "Ermittlung der Anschrift", "plain", x),
    `<${x}suchkriterien>`,
    el("familienname", p.criteria.last, how, x),
    el("vorname", p.criteria.first, how, x),
    el("geburtsdatum", p.criteria.birthDate, "plain", x),
    `</${x}suchkriterien>`,
    `</${x}datenabruf.einfacheMeldeauskunft.anfrage.1350>`,
  ].join("\n");
  const persons = p.hits
    .map(
      (h) =>
        `<${x}person>${el("familienname", h.last, how, x)}${el("vornamen", h.first, how, x)}${el("geburtsdatum", h.birthDate, "plain", x)}` +
        `<${x}anschrift>${el("strasse", h.street, how, x)}${el("postleitzahl", h.postcode, "plain", x)}${el("wohnort", h.city, how, x)}</${x}anschrift></${x}person>`,
    )
    .join("\n");
  const result = p.blocked
    ? `<${x}ergebnis><${x}trefferanzahl>1</${x}trefferanzahl><${x}auskunftssperre>true</${x}auskunftssperre><${x}hinweis>Auskunft nicht m&#246;glich</${x}hinweis></${x}ergebnis>`
    : `<${x}ergebnis><${x}trefferanzahl>${p.hits.length}</${x}trefferanzahl><${x}auskunftssperre>false</${x}auskunftssperre>\n${persons}\n</${x}ergebnis>`;
  let response = [
    `<?xml version="1.0" encoding="${p.encoding}"?>`,
    `<${x}datenabruf.einfacheMeldeauskunft.antwort.1351 ${ns} version="2.5.1">`,
    `<${x}nachrichtenkopf.g2g><${x}bezug>${messageId}</${x}bezug></${x}nachrichtenkopf.g2g>`,
    result,
    `</${x}datenabruf.einfacheMeldeauskunft.antwort.1351>`,
  ].join("\n");
  if (p.broken) response = response.slice(0, Math.floor(response.length * 0.6));
  if (p.doubleEncoded)
    return {
      request: Buffer.from(request, "utf8").toString("latin1"),
      response: Buffer.from(response, "utf8").toString("latin1"),
    };
  return { request, response };
}

function protocols(ctx: SampleContext, rng: Rng): Protocol[] {
  const { joerg, anna, namesake } = MESSY_CAST;
  const police = strangerOfficial(ctx, rng, {
    name: "Landespolizeiinspektion Gotha",
    dvdv: "dvdv:pol:16067000",
    security: true,
  });
  const office = strangerOfficial(ctx, rng, {
    name: "Landratsamt Gotha, Ausländerbehörde",
    dvdv: "dvdv:meldb:16067000",
    security: false,
  });
  const stranger = () => {
    const name = uniqueName(rng, ctx.registry);
    return {
      first: name.firstName,
      last: name.lastName,
      birthDate: `19${rng.int(50, 99)}-0${rng.int(1, 9)}-${rng.int(10, 28)}`,
    };
  };
  const s1 = stranger();
  const s2 = stranger();
  const s3 = stranger();
  const latin1 = { spelling: "numeric" as const, encoding: "ISO-8859-1" as const };
  return [
    // Renate looks him up; the register holds his middle name; every name as numeric references.
    {
      official: RENATE,
      ...latin1,
      prefix: "xmeld",
      criteria: { first: "Jörg", last: "Müller", birthDate: "01.01.1980" },
      hits: [hitOf(joerg)],
      owners: [
        { person: "renate", role: "requester" },
        { person: "joerg", role: "looked-up" },
      ],
    },
    // No date asked: the register returns him and his namesake; both were looked up.
    {
      official: police,
      spelling: "plain",
      encoding: "UTF-8",
      prefix: "ns2",
      criteria: { first: "Jörg", last: "Müller", birthDate: null },
      hits: [hitOf(joerg), hitOf(namesake)],
      owners: [
        { person: "joerg", role: "looked-up" },
        { person: "namesake", role: "looked-up" },
      ],
    },
    // The namesake alone, with his date of birth in German notation.
    {
      official: office,
      spelling: "named",
      encoding: "ISO-8859-1",
      prefix: "",
      criteria: { first: "Jörg", last: "Müller", birthDate: "05.05.1975" },
      hits: [hitOf(namesake)],
      owners: [{ person: "namesake", role: "looked-up" }],
    },
    // No date asked, one hit: the namesake, with a compact date. Not Jörg's.
    {
      official: police,
      spelling: "plain",
      encoding: "UTF-8",
      prefix: "m",
      criteria: { first: "Jörg", last: "Müller", birthDate: null },
      hits: [hitOf(namesake, { birthDate: "19750505" })],
      owners: [{ person: "namesake", role: "looked-up" }],
    },
    // Renate searches him as 19800101 in another spelling; the register finds nobody.
    {
      official: RENATE,
      spelling: "named",
      encoding: "UTF-8",
      prefix: "xmeld",
      criteria: { first: "Joerg", last: "Mueller", birthDate: "19800101" },
      hits: [],
      owners: [
        { person: "renate", role: "requester" },
        { person: "joerg", role: "looked-up" },
      ],
    },
    // A date with a time of day in the criteria; the hit knows only the year (XMeld partial date);
    // the middle name in CDATA after the call name as text.
    {
      official: office,
      spelling: "mixed",
      encoding: "UTF-8",
      prefix: "xm",
      criteria: { first: "Jörg Peter", last: "Müller", birthDate: "1980-01-01T00:00:00" },
      hits: [hitOf(joerg, { birthDate: "1980-00-00" })],
      owners: [{ person: "joerg", role: "looked-up" }],
    },
    // Declared ISO-8859-1, written in UTF-8, stored as Latin-1: "JÃ¶rg MÃ¼ller".
    {
      official: police,
      spelling: "plain",
      encoding: "ISO-8859-1",
      prefix: "xmeld",
      doubleEncoded: true,
      criteria: { first: "Jörg", last: "Müller", birthDate: "01.01.1980" },
      hits: [hitOf(joerg)],
      owners: [{ person: "joerg", role: "looked-up" }],
    },
    // His wife, her given name in CDATA.
    {
      official: office,
      spelling: "cdata",
      encoding: "UTF-8",
      prefix: "xmeld",
      criteria: { first: "Anna", last: "Müller", birthDate: "15.06.1982" },
      hits: [hitOf(anna)],
      owners: [{ person: "anna", role: "looked-up" }],
    },
    // His mother-in-law; she has an information block, so the register answers with a notice only.
    {
      official: police,
      spelling: "named",
      encoding: "ISO-8859-1",
      prefix: "xmeld",
      criteria: { first: "Gerda", last: "Schmidt-Müller", birthDate: "9.3.1951" },
      hits: [],
      blocked: true,
      owners: [{ person: "gerda", role: "looked-up" }],
    },
    // A look-up by family name alone at the family's address: husband and wife returned.
    {
      official: office,
      spelling: "numeric",
      encoding: "ISO-8859-1",
      prefix: "xmeld",
      criteria: { first: null, last: "Müller", birthDate: null },
      hits: [hitOf(joerg), hitOf(anna)],
      owners: [
        { person: "joerg", role: "looked-up" },
        { person: "anna", role: "looked-up" },
      ],
    },
    // Strangers born on his day, one with a double name ending with his, one with his middle name only.
    {
      official: police,
      spelling: "plain",
      encoding: "UTF-8",
      prefix: "xmeld",
      criteria: { first: "Jörg", last: "Schmidt-Müller", birthDate: joerg.birthDate },
      hits: [
        {
          ...hitOf(joerg),
          first: "Jörg",
          last: "Schmidt-Müller",
          street: "Lange Brücke 4",
          postcode: "99084",
          city: "Erfurt",
        },
      ],
      owners: [],
    },
    {
      official: office,
      spelling: "plain",
      encoding: "UTF-8",
      prefix: "xmeld",
      criteria: { first: "Peter", last: "Müller", birthDate: "1980-01-01" },
      hits: [{ ...hitOf(joerg), first: "Peter", street: "Anger 1", postcode: "99084", city: "Erfurt" }],
      owners: [],
    },
    // Renate looks up strangers; she is the requester of each.
    {
      official: RENATE,
      ...latin1,
      prefix: "xmeld",
      criteria: s1,
      hits: [{ ...s1, first: s1.first, street: "Bahnhofstraße 2", postcode: "99423", city: "Weimar" }],
      owners: [{ person: "renate", role: "requester" }],
    },
    {
      official: {
        ...RENATE,
        userName: RENATE.userName.toUpperCase(),
        phone: "+49 (0)3643 76-2222",
        email: RENATE.email.slice("mailto:".length),
      },
      spelling: "named",
      encoding: "UTF-8",
      prefix: "",
      criteria: s2,
      hits: [],
      owners: [{ person: "renate", role: "requester" }],
    },
    // A protocol cut off in transfer, of strangers: located as a problem, never guessed at.
    {
      official: police,
      spelling: "plain",
      encoding: "UTF-8",
      prefix: "xmeld",
      criteria: s3,
      hits: [{ ...s3, street: "Markt 1", postcode: "99867", city: "Gotha" }],
      owners: [],
      broken: true,
    },
  ];
}

function retrievalRows(ctx: SampleContext, rng: Rng, rows: RetrievalRow[]): void {
  let id = Math.max(0, ...rows.map((r) => r.id));
  for (const p of protocols(ctx, rng)) {
    id++;
    const at = pastTime(ctx, rng, 0, 300);
    const messageId = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
    const xml = protocolXml(p, messageId, at);
    rows.push({
      id,
      protokolliert_am: at.toISOString(),
      nachricht_id: messageId,
      behoerde_dvdv: p.official.authority.dvdv,
      sicherheitsbehoerde: p.official.authority.security,
      auskunftssperre: Boolean(p.blocked),
      anfrage_xml: xml.request,
      antwort_xml: xml.response,
    });
    for (const owner of p.owners)
      ctx.key.add(
        MESSY_CAST[owner.person].id,
        SAMPLE_STORES.retrieval.id,
        `abrufprotokoll/${id}`,
        owner.role,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Service desk

interface MessyArticle {
  sender_type: ArticleRow["sender_type"];
  from_addr: string;
  to_addr?: string | null;
  cc_addr?: string | null;
  body: string;
  internal?: boolean;
  /** Cast members this article is about beyond the ticket's customer. */
  owners?: { person: CastKey; role: "sender" | "recipient" | "cc" }[];
}

interface MessyTicket {
  title: string;
  channel: TicketRow["channel"];
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  /** The cast member the ticket is of (all its articles with it), or null for a stranger's. */
  customer: CastKey | null;
  articles: MessyArticle[];
}

const SUPPORT = "Servicecenter TLRZ <support@servicecenter.thueringen.de>";

function tickets(ctx: SampleContext, rng: Rng): MessyTicket[] {
  const { joerg, anna, gerda, namesake } = MESSY_CAST;
  const stranger = () => {
    const name = uniqueName(rng, ctx.registry);
    return {
      name: `${name.firstName} ${name.lastName}`,
      email: uniqueEmail(rng, ctx.registry, name.firstName, name.lastName),
    };
  };
  const s1 = stranger();
  const s2 = stranger();
  const s3 = stranger();
  const reply = (
    to: string,
    cc: string | null = null,
    owners: MessyArticle["owners"] = [],
  ): MessyArticle => ({
    sender_type: "agent",
    from_addr: SUPPORT,
    to_addr: to,
    cc_addr: cc,
    body: "Vielen Dank für Ihre Nachricht. Wir melden uns.",
    owners,
  });
  const note: MessyArticle = {
    sender_type: "agent",
    from_addr: SUPPORT,
    body: "Rückfrage beim Fachbereich gestellt.",
    internal: true,
  };
  return [
    // His mail from the IDN domain, written as punycode, with his title.
    {
      title: "Zugang Bürgerportal",
      channel: "email",
      customer_name: "Dr. Jörg Müller",
      customer_email: "joerg@xn--mller-bau-q9a.example",
      customer_phone: null,
      customer: "joerg",
      articles: [
        {
          sender_type: "customer",
          from_addr: `"Dr. Jörg Müller" <joerg@xn--mller-bau-q9a.example>`,
          to_addr: SUPPORT,
          body: "Sehr geehrte Damen und Herren,\nmein Zugang ist gesperrt.\nDr. Jörg Müller",
        },
        // His wife in CC: the reply is hers too.
        reply(`"Dr. Jörg Müller" <joerg@xn--mller-bau-q9a.example>`, `Anna Müller <${anna.email}>`, [
          { person: "anna", role: "cc" },
        ]),
        note,
      ],
    },
    // By phone, logged as E.164 digits without "+"; the name as "Last, title First".
    {
      title: "Rückruf erbeten",
      channel: "phone",
      customer_name: "Müller, Dr. Jörg",
      customer_email: null,
      customer_phone: joerg.phone.slice(1),
      customer: "joerg",
      articles: [
        {
          sender_type: "agent",
          from_addr: SUPPORT,
          body: `Anruf von ${joerg.phone.slice(1)}: Rückruf erbeten.`,
          internal: true,
        },
      ],
    },
    // A contact form with a mailto: address in mixed case.
    {
      title: "Frage zur Auskunftssperre",
      channel: "contact-form",
      customer_name: "Jörg Peter Müller",
      customer_email: "mailto:Joerg@Müller-Bau.example",
      customer_phone: "+49 (0)361 98 76 54-3",
      customer: "joerg",
      articles: [
        {
          sender_type: "system",
          from_addr: "Kontaktformular <noreply@tlrz.thueringen.de>",
          to_addr: SUPPORT,
          body: "Name: Jörg Peter Müller\nNachricht: Bitte um Rückruf.\nEinwilligung: ja",
        },
      ],
    },
    // His wife's ticket: same family name, same address; her mobile in another notation.
    {
      title: "Adressänderung",
      channel: "email",
      customer_name: "Anna Müller",
      customer_email: anna.email,
      customer_phone: "0152 09876543",
      customer: "anna",
      articles: [
        {
          sender_type: "customer",
          from_addr: `Anna Müller <${anna.email}>`,
          to_addr: SUPPORT,
          body: "Bitte ändern Sie meine Anschrift.",
        },
        reply(`Anna Müller <${anna.email}>`),
      ],
    },
    // His mother-in-law by contact form: a double name ending with his.
    {
      title: "Bescheinigung",
      channel: "contact-form",
      customer_name: "Gerda Schmidt-Müller",
      customer_email: `${gerda.email.toUpperCase()}.`,
      customer_phone: null,
      customer: "gerda",
      articles: [
        {
          sender_type: "system",
          from_addr: "Kontaktformular <noreply@tlrz.thueringen.de>",
          to_addr: SUPPORT,
          body: "Name: Gerda Schmidt-Müller\nEinwilligung: ja",
        },
      ],
    },
    // The namesake's own ticket.
    {
      title: "Passwort vergessen",
      channel: "email",
      customer_name: "Jörg Müller",
      customer_email: namesake.email,
      customer_phone: "+49 (0)3621 1234567",
      customer: "namesake",
      articles: [
        {
          sender_type: "customer",
          from_addr: `Jörg Müller <${namesake.email}>`,
          to_addr: SUPPORT,
          body: "Ich habe mein Passwort vergessen.",
        },
        reply(`Jörg Müller <${namesake.email}>`),
      ],
    },
    // A stranger's ticket into which he writes from an address nobody knows: only his display name names him.
    {
      title: "Veranstaltung Datenschutztag",
      channel: "email",
      customer_name: s1.name,
      customer_email: s1.email,
      customer_phone: null,
      customer: null,
      articles: [
        {
          sender_type: "customer",
          from_addr: `${s1.name} <${s1.email}>`,
          to_addr: SUPPORT,
          body: "Gibt es noch Plätze?",
        },
        {
          sender_type: "customer",
          from_addr: `"Dr. Jörg Müller" <jm.privat@example.com>`,
          to_addr: SUPPORT,
          body: "Ich schließe mich der Frage an.",
          owners: [{ person: "joerg", role: "sender" }],
        },
        reply(`${s1.name} <${s1.email}>`),
      ],
    },
    // Strangers' tickets that name him by address only: in CC as "Last, First" with punycode, and as a mailto: recipient.
    {
      title: "Einladung",
      channel: "email",
      customer_name: s2.name,
      customer_email: s2.email,
      customer_phone: null,
      customer: null,
      articles: [
        {
          sender_type: "customer",
          from_addr: `${s2.name} <${s2.email}>`,
          to_addr: SUPPORT,
          cc_addr: `"Müller, Jörg" <JOERG@XN--MLLER-BAU-Q9A.EXAMPLE>`,
          body: "Siehe Anhang.",
          owners: [{ person: "joerg", role: "cc" }],
        },
        {
          sender_type: "agent",
          from_addr: SUPPORT,
          to_addr: `<mailto:joerg@müller-bau.example>`,
          body: "Zur Kenntnis.",
          owners: [{ person: "joerg", role: "recipient" }],
        },
      ],
    },
    // A newsletter-like mail: the family as a group in To, his mother-in-law at the end of a long CC.
    {
      title: "Rundschreiben Bürgerportal",
      channel: "email",
      customer_name: s3.name,
      customer_email: s3.email,
      customer_phone: null,
      customer: null,
      articles: [
        {
          sender_type: "agent",
          from_addr: SUPPORT,
          to_addr: `Familie Müller: Anna Müller <${anna.email}>, "Dr. Jörg Müller" <joerg@xn--mller-bau-q9a.example>;`,
          cc_addr: [
            ...Array.from({ length: 40 }, () => {
              const o = stranger();
              return `"${o.name}" <${o.email}>`;
            }),
            `Gerda Schmidt-Müller <${gerda.email}>`,
          ].join(",\r\n "),
          body: "Informationen zur Umstellung.",
          owners: [
            { person: "anna", role: "recipient" },
            { person: "joerg", role: "recipient" },
            { person: "gerda", role: "cc" },
          ],
        },
      ],
    },
    // Strangers whose names come close: a double name ending with his, and his middle name as a call name.
    {
      title: "Rechnung",
      channel: "email",
      customer_name: "Jörg Schmidt-Müller",
      customer_email: s3.email,
      customer_phone: null,
      customer: null,
      articles: [
        {
          sender_type: "customer",
          from_addr: `Jörg Schmidt-Müller <${s3.email}>`,
          to_addr: SUPPORT,
          body: "Anbei die Rechnung.",
        },
      ],
    },
    {
      title: "Termin",
      channel: "phone",
      customer_name: "Herr Peter Müller",
      customer_email: null,
      customer_phone: null,
      customer: null,
      articles: [{ sender_type: "agent", from_addr: SUPPORT, body: "Anruf: Terminwunsch.", internal: true }],
    },
  ];
}

function serviceDeskRows(ctx: SampleContext, rng: Rng, rows: DatabaseRows): void {
  let ticketId = Math.max(0, ...rows.tickets.map((t) => t.id));
  let articleId = Math.max(0, ...rows.articles.map((a) => a.id));
  const store = SAMPLE_STORES.servicedesk.id;
  for (const t of tickets(ctx, rng)) {
    const id = ++ticketId;
    const created = pastTime(ctx, rng, 20, 400);
    const closed = new Date(created.getTime() + rng.int(1, 10) * 86_400_000);
    const contactForm = t.channel === "contact-form";
    rows.tickets.push({
      id,
      number: `${created.toISOString().slice(0, 10).replace(/-/g, "")}${String(90000 + id)}`,
      title: t.title,
      channel: t.channel,
      contact_form: contactForm,
      consent_opt_in: contactForm ? true : null,
      consent_at: contactForm ? created.toISOString() : null,
      consent_text: contactForm
        ? "Ich willige ein, dass meine Angaben zur Bearbeitung meiner Anfrage verarbeitet werden. (Fassung 2023-01)"
        : null,
      customer_name: t.customer_name,
      customer_email: t.customer_email,
      customer_phone: t.customer_phone,
      state: "closed",
      created_at: created.toISOString(),
      closed_at: closed.toISOString(),
    });
    if (t.customer) ctx.key.add(MESSY_CAST[t.customer].id, store, `ticket/${id}`, "customer");
    let at = created.getTime();
    for (const a of t.articles) {
      const ref = `article/${++articleId}`;
      rows.articles.push({
        id: articleId,
        ticket_id: id,
        created_at: new Date(at).toISOString(),
        sender_type: a.sender_type,
        from_addr: a.from_addr,
        to_addr: a.to_addr ?? null,
        cc_addr: a.cc_addr ?? null,
        subject: t.title,
        body: a.body,
        internal: a.internal ?? false,
      });
      at += rng.int(600, 86_400) * 1000;
      const owners = new Map<CastKey, string>();
      if (t.customer) owners.set(t.customer, "customer");
      for (const o of a.owners ?? []) if (!owners.has(o.person)) owners.set(o.person, o.role);
      for (const [person, role] of owners) ctx.key.add(MESSY_CAST[person].id, store, ref, role);
    }
  }
}

/** Appends the messy rows of both database stores (deterministic: one fork of the sample's Rng). */
export function messyDatabaseRows(ctx: SampleContext, rows: DatabaseRows): void {
  const rng = ctx.rng.fork("messy-database");
  retrievalRows(ctx, rng, rows.retrievals);
  serviceDeskRows(ctx, rng, rows);
}
