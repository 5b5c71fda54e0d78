/**
 * A found record as staff read it: its fields in a telling order, each with a label in the staff's
 * language (sender, recipients, subject, time, request line, authority, hits …) and its value as
 * text. Every field, every element of a list (a recipient, an attachment, a further sender) is a
 * place a redaction can name: `path` is the content path the copy blanks out (see redaction.ts).
 * Pure, so the case page renders it and tests read it without a browser.
 */
import type { Localized } from "#app/core/processing-activities";
import type { Lang } from "#app/i18n";
import type { JsonObject, JsonValue, StoreKind } from "#app/sources/connector";
import { isPlainObject } from "./record-format";

export interface RecordFieldItem {
  /** The content path a redaction of this item names ("cc.2", "attachments.0"). */
  path: string;
  label: string;
  text: string;
}

export interface RecordField extends RecordFieldItem {
  /** Long or multi-line text (a mail's body, an XML message, a raw log line): shown as a block. */
  block: boolean;
  /** The elements of a list, each redactable on its own. */
  items: RecordFieldItem[];
  /** The member texts of an object (a sender's name and address), shown beside each other. */
  members: { label: string; text: string }[];
}

const L = (de: string, en: string): Localized => ({ de, en });

/**
 * Labels of the content members the connectors write. One catalogue for all stores: a member name
 * means the same wherever it occurs (`to` is always the recipients); `storeLabels` overrides where a
 * store uses a general name in its own sense.
 */
const labels: Readonly<Record<string, Localized>> = {
  // web server log
  time: L("Zeit", "Time"),
  remoteAddr: L("IP-Adresse des Aufrufs", "Client address"),
  request: L("Anfragezeile", "Request line"),
  status: L("Status", "Status"),
  bytes: L("Übertragene Bytes", "Bytes sent"),
  referer: L("Verweisende Seite", "Referring page"),
  userAgent: L("Browser (User-Agent)", "Browser (user agent)"),
  forwardedFor: L("Weitergeleitet für (X-Forwarded-For)", "Forwarded for (X-Forwarded-For)"),
  virtualHost: L("Aufgerufene Website", "Website called"),
  extra: L("Weitere Angaben der Zeile", "Further details of the line"),
  raw: L("Rohdaten (Zeile wie gespeichert)", "Raw data (line as stored)"),
  // login log
  ts: L("Zeitstempel", "Timestamp"),
  host: L("Server", "Server"),
  level: L("Stufe", "Level"),
  event: L("Ereignis", "Event"),
  outcome: L("Ergebnis", "Outcome"),
  user: L("Benutzername", "User name"),
  givenName: L("Vorname", "Given name"),
  familyName: L("Familienname", "Family name"),
  clientIp: L("IP-Adresse", "IP address"),
  sessionId: L("Sitzungskennung", "Session ID"),
  // retrieval protocol
  protokolliertAm: L("Zeit des Abrufs", "Time of retrieval"),
  behoerde: L("Abrufende Behörde", "Requesting authority"),
  dvdvKennung: L("DVDV-Kennung der Behörde", "Authority's DVDV ID"),
  sicherheitsbehoerde: L("Sicherheitsbehörde", "Security authority"),
  auskunftssperre: L("Auskunftssperre", "Information block"),
  empfaenger: L("Empfänger", "Recipient"),
  aktenzeichen: L("Aktenzeichen", "File number"),
  anlass: L("Anlass des Abrufs", "Purpose of the retrieval"),
  sachbearbeiter: L("Sachbearbeitung (abrufende Person)", "Official who retrieved"),
  suchkriterien: L("Suchkriterien", "Search criteria"),
  trefferanzahl: L("Treffer", "Hits"),
  anfrageXml: L("Anfrage (XML)", "Request (XML)"),
  antwortXml: L("Antwort (XML)", "Response (XML)"),
  // service desk
  table: L("Art des Eintrags", "Kind of entry"),
  id: L("Nummer", "Number"),
  number: L("Ticketnummer", "Ticket number"),
  title: L("Titel", "Title"),
  channel: L("Eingangskanal", "Channel"),
  contact_form: L("Über das Kontaktformular", "Via the contact form"),
  consent_opt_in: L("Einwilligung erteilt", "Consent given"),
  consent_at: L("Einwilligung am", "Consent given at"),
  consent_text: L("Einwilligungstext", "Consent text"),
  customer_name: L("Name der anfragenden Person", "Requester's name"),
  customer_email: L("E-Mail der anfragenden Person", "Requester's e-mail"),
  customer_phone: L("Telefon der anfragenden Person", "Requester's phone"),
  state: L("Bearbeitungsstand", "State"),
  created_at: L("Erstellt am", "Created at"),
  closed_at: L("Geschlossen am", "Closed at"),
  ticket_id: L("Zum Ticket", "Of ticket"),
  sender_type: L("Verfasst von", "Written by"),
  from_addr: L("Absender", "Sender"),
  to_addr: L("Empfänger", "Recipients"),
  cc_addr: L("Kopie an (Cc)", "Copy to (Cc)"),
  body: L("Text", "Text"),
  internal: L("Interne Notiz", "Internal note"),
  // mail
  folder: L("Ordner", "Folder"),
  messageId: L("Nachrichtenkennung", "Message ID"),
  from: L("Absender", "Sender"),
  to: L("Empfänger", "Recipients"),
  cc: L("Kopie an (Cc)", "Copy to (Cc)"),
  bcc: L("Blindkopie an (Bcc)", "Blind copy to (Bcc)"),
  subject: L("Betreff", "Subject"),
  date: L("Zeit", "Time"),
  text: L("Text", "Text"),
  attachments: L("Anhänge", "Attachments"),
  faxSender: L("Faxnummer des Absenders", "Sender's fax number"),
  // call records
  layout: L("Format der Telefonanlage", "Exchange's format"),
  call_id: L("Anrufkennung", "Call ID"),
  uniqueid: L("Anrufkennung", "Call ID"),
  start: L("Beginn", "Start"),
  answer: L("Angenommen", "Answered"),
  end: L("Ende", "End"),
  duration: L("Dauer (Sekunden)", "Duration (seconds)"),
  duration_s: L("Dauer (Sekunden)", "Duration (seconds)"),
  billsec: L("Gesprächsdauer (Sekunden)", "Talk time (seconds)"),
  direction: L("Richtung", "Direction"),
  src: L("Anrufende Nummer", "Calling number"),
  caller: L("Anrufende Nummer", "Calling number"),
  dst: L("Angerufene Nummer", "Called number"),
  callee: L("Angerufene Nummer", "Called number"),
  clid: L("Angezeigte Anruferkennung", "Caller ID shown"),
  extension: L("Nebenstelle", "Extension"),
  disposition: L("Ergebnis", "Result"),
  result: L("Ergebnis", "Result"),
  userfield: L("Notiz zum Anruf", "Note on the call"),
  accountcode: L("Kostenstelle", "Account code"),
  dcontext: L("Wählkontext", "Dial context"),
  dstchannel: L("Zielleitung", "Destination channel"),
  lastapp: L("Letzte Anwendung", "Last application"),
  lastdata: L("Daten der letzten Anwendung", "Last application's data"),
  amaflags: L("Abrechnungskennzeichen", "Billing flags"),
  // records management (DMS)
  betreff: L("Betreff", "Subject"),
  eingangsart: L("Eingangsart", "Received as"),
  eingangsdatum: L("Eingang", "Received"),
  abschlussdatum: L("Abgeschlossen am", "Closed at"),
  archivangebot: L("Angebot an das Archiv", "Offer to the archive"),
  pdf: L("Scan (PDF-Datei)", "Scan (PDF file)"),
  metadataFile: L("Metadatendatei", "Metadata file"),
  absender: L("Absender", "Sender"),
  weitereAbsender: L("Weitere Absender", "Further senders"),
  weitereEmpfaenger: L("Weitere Empfänger", "Further recipients"),
  pdfVorhanden: L("Scan vorhanden", "Scan present"),
  // members of nested objects (sender, official, search criteria, attachment)
  vorname: L("Vorname", "Given name"),
  nachname: L("Familienname", "Family name"),
  familienname: L("Familienname", "Family name"),
  titel: L("Titel", "Title"),
  name: L("Name", "Name"),
  strasse: L("Straße", "Street"),
  postleitzahl: L("Postleitzahl", "Postcode"),
  ort: L("Ort", "Town"),
  email: L("E-Mail", "E-mail"),
  telefon: L("Telefon", "Phone"),
  telefax: L("Telefax", "Fax"),
  nutzerkennung: L("Nutzerkennung", "User ID"),
  benutzername: L("Benutzername", "User name"),
  geburtsdatum: L("Geburtsdatum", "Date of birth"),
  filename: L("Dateiname", "File name"),
  contentType: L("Dateityp", "File type"),
  size: L("Größe (Bytes)", "Size (bytes)"),
};

/** Where a store uses a general member name in its own sense. */
const storeLabels: Partial<Record<StoreKind, Record<string, Localized>>> = {
  "servicedesk-db": { id: L("Eintragsnummer", "Entry number"), channel: L("Eingangskanal", "Channel") },
  "call-records-csv": {
    channel: L("Leitung", "Channel"),
    start: L("Beginn (Ortszeit der Anlage)", "Start (exchange's local time)"),
  },
  "records-management": {
    id: L("Dokumentnummer", "Document number"),
    status: L("Bearbeitungsstand", "State"),
  },
  "retrieval-protocol-db": { id: L("Protokollnummer", "Log entry number") },
  "login-jsonl": { host: L("Anmeldeserver", "Sign-in server") },
};

/** The most telling members first, per store; anything else follows in the record's order, the raw line last. */
const order: Readonly<Record<StoreKind, readonly string[]>> = {
  "nginx-access-log": [
    "time",
    "remoteAddr",
    "request",
    "status",
    "virtualHost",
    "referer",
    "userAgent",
    "forwardedFor",
    "bytes",
  ],
  "login-jsonl": [
    "ts",
    "event",
    "outcome",
    "user",
    "givenName",
    "familyName",
    "clientIp",
    "userAgent",
    "host",
  ],
  "retrieval-protocol-db": [
    "protokolliertAm",
    "behoerde",
    "sicherheitsbehoerde",
    "anlass",
    "aktenzeichen",
    "sachbearbeiter",
    "suchkriterien",
    "trefferanzahl",
  ],
  "servicedesk-db": [
    "created_at",
    "from_addr",
    "to_addr",
    "cc_addr",
    "subject",
    "title",
    "customer_name",
    "customer_email",
    "customer_phone",
    "body",
  ],
  maildir: ["date", "from", "to", "cc", "bcc", "subject", "text", "attachments", "faxSender", "folder"],
  "call-records-csv": [
    "time",
    "direction",
    "src",
    "caller",
    "dst",
    "callee",
    "extension",
    "duration",
    "duration_s",
    "disposition",
    "result",
    "userfield",
  ],
  "records-management": [
    "eingangsdatum",
    "betreff",
    "absender",
    "empfaenger",
    "weitereAbsender",
    "weitereEmpfaenger",
    "aktenzeichen",
    "eingangsart",
    "status",
  ],
};

/** Members holding an instant (ISO text or, for `ts`, epoch milliseconds or seconds): shown as date and time. */
const instants = new Set([
  "time",
  "date",
  "ts",
  "protokolliertAm",
  "created_at",
  "closed_at",
  "consent_at",
  "eingangsdatum",
  "abschlussdatum",
]);

const yesNo: Readonly<Record<Lang, [string, string]>> = { de: ["ja", "nein"], en: ["yes", "no"] };
const emptyText: Localized = L("(leer)", "(empty)");

/** The label of a content member; an unknown member (a store's own addition) is shown by its name. */
export function fieldLabel(storeKind: string, key: string, lang: Lang): string {
  const label = storeLabels[storeKind as StoreKind]?.[key] ?? labels[key];
  return label ? label[lang] : key;
}

/**
 * The label of a redactable path: a member ("cc"), an element of a list ("Kopie an (Cc) 3"), or a
 * member inside one ("headers.to": "Kopfzeilen – Empfänger").
 */
export function pathLabel(storeKind: string, path: string, lang: Lang): string {
  const [key, ...rest] = path.split(".");
  let label = fieldLabel(storeKind, key!, lang);
  for (const part of rest)
    label = /^\d+$/.test(part)
      ? `${label} ${Number(part) + 1}`
      : `${label} – ${fieldLabel(storeKind, part, lang)}`;
  return label;
}

function instantOf(value: JsonValue): Date | null {
  if (typeof value === "number") return new Date(value < 1e11 ? value * 1000 : value);
  if (typeof value === "string" && /^\d{9,13}$/.test(value)) return instantOf(Number(value));
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? null : at;
  }
  return null;
}

/** A scalar, a list or an object as one line of text in the staff's language. */
function textOf(
  value: JsonValue | undefined,
  key: string,
  lang: Lang,
  formatTime: (at: Date) => string,
): string {
  if (value === undefined || value === null || value === "") return emptyText[lang];
  if (typeof value === "boolean") return yesNo[lang][value ? 0 : 1];
  if (instants.has(key)) {
    const at = instantOf(value);
    if (at) return formatTime(at);
  }
  if (Array.isArray(value))
    return value.length ? value.map((v) => textOf(v, "", lang, formatTime)).join(", ") : emptyText[lang];
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== "")
      .map(([k, v]) => `${fieldLabel("", k, lang)}: ${textOf(v, k, lang, formatTime)}`)
      .join("; ");
  }
  return String(value);
}

/** An attachment or a further sender: its name first, as staff look for it. */
function itemText(value: JsonValue, lang: Lang, formatTime: (at: Date) => string): string {
  if (isPlainObject(value) && typeof value.filename === "string") {
    const size = typeof value.size === "number" ? `, ${value.size} Bytes` : "";
    return `${value.filename} (${value.contentType ?? "?"}${size})`;
  }
  return textOf(value, "", lang, formatTime);
}

function isBlock(value: JsonValue | undefined): boolean {
  return typeof value === "string" && (value.includes("\n") || value.length > 160);
}

/**
 * The record's fields, labelled in `lang`, the most telling first. `formatTime` writes an instant as
 * the page does (Berlin time). Members the connector left empty are listed too: that a field was
 * empty is part of what the record says.
 */
export function recordFields(
  storeKind: string,
  content: JsonObject,
  lang: Lang,
  formatTime: (at: Date) => string,
): RecordField[] {
  const first = order[storeKind as StoreKind] ?? [];
  const keys = [
    ...first.filter((k) => Object.hasOwn(content, k)),
    ...Object.keys(content).filter((k) => !first.includes(k) && k !== "raw"),
  ];
  if (Object.hasOwn(content, "raw")) keys.push("raw");
  return keys.map((key) => {
    const value = content[key];
    const label = fieldLabel(storeKind, key, lang);
    const items = Array.isArray(value)
      ? value.map((item, i) => ({
          path: `${key}.${i}`,
          label: `${label} ${i + 1}`,
          text: itemText(item, lang, formatTime),
        }))
      : [];
    const members = isPlainObject(value)
      ? Object.entries(value).map(([k, v]) => ({
          label: fieldLabel(storeKind, k, lang),
          text: textOf(v, k, lang, formatTime),
        }))
      : [];
    return {
      path: key,
      label,
      text: textOf(value, key, lang, formatTime),
      block: isBlock(value),
      items,
      members,
    };
  });
}

/**
 * A member's value as text: at the top of the record, or inside the object that holds it (a
 * document's sender holds "ort"); null where the record has no such member.
 */
export function memberText(
  content: JsonObject,
  key: string,
  lang: Lang,
  formatTime: (at: Date) => string,
): string | null {
  if (Object.hasOwn(content, key)) return textOf(content[key], key, lang, formatTime);
  for (const value of Object.values(content)) {
    if (isPlainObject(value) && Object.hasOwn(value, key)) return textOf(value[key], key, lang, formatTime);
  }
  return null;
}
