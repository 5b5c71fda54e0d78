import { emailMailboxKey, extractEmailKeys, nameKey, normalisePhone } from "./identifiers";
import { controller } from "./processing-activities";
import type { RestrictionGroundId } from "./restriction-grounds";

/** What the rules need to know of a finding (a subset of the connectors' Finding). */
export interface FindingFacts {
  storeKind: string;
  role?: string;
  unproven: boolean;
  flags: readonly string[];
  content: Record<string, unknown>;
  /** How the record names the person: what tells the person's own entries from other people's. */
  matchedIdentifier?: { kind: string; value: string; recordValue: string };
}

export interface Suggestion {
  ground: RestrictionGroundId;
  action: "withhold" | "redact" | "consider";
  /**
   * For redactions: the content paths that hold other people's data — a member ("from") or one
   * element of a list ("cc.2", "attachments.0"), as the copy's redactions name them.
   */
  fields?: string[];
}

/** Stores whose only purpose is data security: § 21(2) ThürDSG is a candidate, never automatic. */
const securityLogStores = new Set(["nginx-access-log", "login-jsonl"]);

/**
 * Marks a finding before a person looks at it. The rules only propose: the reviewer decides, and
 * the DPO approves.
 */
export function suggestFor(finding: FindingFacts): Suggestion[] {
  const suggestions: Suggestion[] = [];
  if (finding.flags.includes("information-block"))
    suggestions.push({ ground: "information-block", action: "withhold" });
  if (finding.flags.includes("security-authority"))
    suggestions.push({ ground: "authority-consent", action: "withhold" });
  if (finding.unproven) suggestions.push({ ground: "identity-unconfirmed", action: "withhold" });
  if (finding.flags.includes("third-party-data")) {
    const fields = thirdPartyPaths(finding);
    if (fields.length > 0) suggestions.push({ ground: "third-party-rights", action: "redact", fields });
  }
  if (securityLogStores.has(finding.storeKind))
    suggestions.push({ ground: "security-control-only", action: "consider" });
  return suggestions;
}

/**
 * The public body's own mail domain: its functional mailboxes (Poststelle, Servicecenter, the fax
 * gateway) are the other side of every conversation, not another person whose rights prevail.
 */
const ownDomain = controller.email.slice(controller.email.lastIndexOf("@")).toLowerCase();

/** Words of a name that tell people apart: no titles, salutations or initials. */
const notNames = new Set([
  "dr",
  "prof",
  "herr",
  "herrn",
  "frau",
  "familie",
  "mailto",
  "pdf",
  "doc",
  "docx",
  "txt",
  "jpg",
  "png",
  "kopie",
]);

function nameWords(text: string): string[] {
  return nameKey(text)
    .split(" ")
    .filter((word) => word.length >= 3 && !notNames.has(word));
}

/** An address in header-like text, as extractEmailKeys finds it. */
const ADDRESS = /[^\s<>,;"'()]+@[^\s<>,;"'()]+/;
const ADDRESS_G = new RegExp(ADDRESS.source, "g");

/** A text of a record with the person's identifier in it, and the parties it names. */
class Parties {
  private readonly ownEmails = new Set<string>();
  private readonly ownPhone: string | null = null;
  private readonly ownName: string | null = null;
  /** Name words of the person, and the names of the others (each as its words), from the entries read so far. */
  readonly ownWords = new Set<string>();
  readonly otherNames: string[][] = [];

  constructor(matched: FindingFacts["matchedIdentifier"]) {
    if (!matched) return;
    if (matched.kind === "email") {
      for (const v of [matched.value, matched.recordValue]) {
        const key = emailMailboxKey(v);
        if (!key) continue;
        this.ownEmails.add(key);
        // "joerg.mueller@…": the local part often is the person's name.
        for (const word of nameWords(key.slice(0, key.lastIndexOf("@")))) this.ownWords.add(word);
      }
    } else if (matched.kind === "phone") {
      this.ownPhone = normalisePhone(matched.recordValue) ?? normalisePhone(matched.value);
    } else if (matched.kind === "name") {
      this.ownName = nameKey(matched.recordValue);
      for (const word of nameWords(matched.value)) this.ownWords.add(word);
    }
  }

  private isOwn(text: string, emails: string[]): boolean {
    if (emails.some((key) => this.ownEmails.has(key))) return true;
    if (this.ownPhone && normalisePhone(text) === this.ownPhone) return true;
    return this.ownName !== null && this.ownName !== "" && ` ${nameKey(text)} `.includes(` ${this.ownName} `);
  }

  /**
   * Reads one entry (a mailbox, an address field): true when it names someone other than the
   * person and the public body itself. An entry holding the person beside others names others.
   */
  namesOthers(text: string, officeSide = false): boolean {
    const emails = extractEmailKeys(text);
    const display = text.replace(ADDRESS_G, " ");
    const own = this.isOwn(text, emails);
    if (own && emails.length <= 1) {
      for (const word of nameWords(display)) this.ownWords.add(word);
      return false;
    }
    if (officeSide) return false;
    const others =
      emails.length > 0
        ? emails.filter((key) => !this.ownEmails.has(key) && !key.endsWith(ownDomain))
        : nameWords(display).length > 0 && !own
          ? ["name"]
          : [];
    if (others.length > 0) {
      // Each address's display name stands before it: the text between two addresses is one name.
      for (const name of text.split(ADDRESS)) {
        const words = nameWords(name);
        if (words.length > 0) this.otherNames.push(words);
      }
    }
    return others.length > 0;
  }

  /**
   * A file name naming someone other than the person: another party's whole name, or their given
   * name where the person does not share it. A family name alone is not enough: a family shares it.
   */
  namedInFileName(fileName: string): boolean {
    const words = new Set(nameWords(fileName));
    return this.otherNames.some(
      (name) =>
        name.every((word) => words.has(word)) ||
        (name.length > 1 && words.has(name[0]!) && !this.ownWords.has(name[0]!)),
    );
  }
}

const asText = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value : null;

function mailPaths(content: Record<string, unknown>, parties: Parties): string[] {
  const paths: string[] = [];
  const from = asText(content.from);
  if (from && parties.namesOthers(from)) paths.push("from");
  for (const key of ["to", "cc", "bcc"]) {
    const list = content[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const text = asText(entry);
      if (text && parties.namesOthers(text)) paths.push(`${key}.${i}`);
    });
  }
  // File names last: by now the names of everyone in the headers are known.
  const attachments = content.attachments;
  if (Array.isArray(attachments)) {
    attachments.forEach((a, i) => {
      const name = a && typeof a === "object" ? asText((a as Record<string, unknown>).filename) : null;
      if (name && parties.namedInFileName(name)) paths.push(`attachments.${i}`);
    });
  }
  return paths;
}

/** A ticket's article: the service centre's own side (the agent's sender, the customer's addressee) names no other person. */
function articlePaths(content: Record<string, unknown>, parties: Parties): string[] {
  const officeSide = content.sender_type === "customer" ? "to_addr" : "from_addr";
  return ["from_addr", "to_addr", "cc_addr"].filter((key) => {
    const text = asText(content[key]);
    return text !== null && parties.namesOthers(text, key === officeSide);
  });
}

/** Further senders and recipients of a document: the connector puts the person in `absender`/`empfaenger`. */
function documentPaths(content: Record<string, unknown>): string[] {
  return ["weitereAbsender", "weitereEmpfaenger"].flatMap((key) => {
    const list = content[key];
    return Array.isArray(list) ? list.map((_, i) => `${key}.${i}`) : [];
  });
}

function thirdPartyPaths(finding: FindingFacts): string[] {
  const { storeKind, role, content } = finding;
  const parties = new Parties(finding.matchedIdentifier);
  switch (storeKind) {
    case "retrieval-protocol-db":
      // The official who asked sees the person looked up; the person looked up sees the official.
      return (
        role === "looked-up"
          ? ["sachbearbeiter", "anfrageXml"]
          : ["suchkriterien", "anfrageXml", "antwortXml"]
      ).filter((f) => f in content);
    case "maildir":
      return mailPaths(content, parties);
    case "servicedesk-db":
      return content.table === "article" ? articlePaths(content, parties) : [];
    case "records-management":
      return documentPaths(content);
    default:
      return [];
  }
}
