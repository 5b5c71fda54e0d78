import type { Localized } from "./processing-activities";

/**
 * The catalogue of grounds on which a finding may be withheld or redacted, with their legal
 * references. A withholding must name one of these; the reasoning is written per decision.
 */
export const restrictionGroundIds = [
  "public-security",
  "secrecy",
  "prosecution",
  "security-control-only",
  "authority-consent",
  "information-block",
  "third-party-rights",
  "identity-unconfirmed",
] as const;
export type RestrictionGroundId = (typeof restrictionGroundIds)[number];

export interface RestrictionGround {
  id: RestrictionGroundId;
  reference: string;
  label: Localized;
  /** What the reviewer must weigh before using the ground. */
  guidance: Localized;
  /** § 21(4) ThürDSG: reasons may be left out of the answer where they would defeat the purpose. */
  reasonsMayBeOmitted: boolean;
  /** The ground keeps the whole record back; otherwise it is met by redacting fields. */
  withholdsRecord: boolean;
  /**
   * A restriction under § 21 ThürDSG, told to the person: they may demand that the information be
   * given to the TLfDI instead (§ 21(5)). Not the silent grounds, whose existence the answer may not reveal.
   */
  tlfdiMayBeDemanded: boolean;
}

export const restrictionGrounds: Readonly<Record<RestrictionGroundId, RestrictionGround>> = {
  "public-security": {
    id: "public-security",
    reference: "§ 21 Abs. 1 Nr. 1 ThürDSG",
    label: {
      de: "Gefährdung der öffentlichen Sicherheit oder Nachteile für Bund oder Land",
      en: "Danger to public security or harm to the Federation or a Land",
    },
    guidance: {
      de: "Nur soweit und solange die Auskunft die öffentliche Sicherheit gefährden würde; das Interesse der Person an der Auskunft ist abzuwägen.",
      en: "Only as far and as long as giving access would endanger public security; weigh the person's interest in access.",
    },
    reasonsMayBeOmitted: true,
    withholdsRecord: true,
    tlfdiMayBeDemanded: true,
  },
  secrecy: {
    id: "secrecy",
    reference: "§ 21 Abs. 1 Nr. 2 ThürDSG",
    label: {
      de: "Geheimhaltung kraft Gesetzes oder wegen überwiegender Rechte Dritter",
      en: "Secrecy by law or because of overriding rights of others",
    },
    guidance: {
      de: "Die Daten müssen nach einer Rechtsvorschrift oder ihrem Wesen nach geheim gehalten werden; Abwägung mit dem Interesse der Person.",
      en: "The data must be kept secret by law or by their nature; weigh against the person's interest.",
    },
    reasonsMayBeOmitted: true,
    withholdsRecord: true,
    tlfdiMayBeDemanded: true,
  },
  prosecution: {
    id: "prosecution",
    reference: "§ 21 Abs. 1 Nr. 3 ThürDSG i. V. m. § 31 ThürDSG",
    label: {
      de: "Gefährdung der Verhütung oder Verfolgung von Straftaten",
      en: "Harm to the prevention or prosecution of offences",
    },
    guidance: {
      de: "Die Auskunft würde Zwecke nach § 31 ThürDSG gefährden; Abwägung und Überprüfungsdatum erforderlich.",
      en: "Access would harm purposes under § 31 ThürDSG; weighing and a review date are required.",
    },
    reasonsMayBeOmitted: true,
    withholdsRecord: true,
    tlfdiMayBeDemanded: true,
  },
  "security-control-only": {
    id: "security-control-only",
    reference: "§ 21 Abs. 2 ThürDSG",
    label: {
      de: "Nur zur Datensicherung oder Datenschutzkontrolle gespeichert",
      en: "Stored only for data security or data-protection control",
    },
    guidance: {
      de: "Gilt nur für Daten, die ausschließlich diesen Zwecken dienen (etwa Protokolle); die Entscheidung je Speicher wird begründet festgehalten.",
      en: "Applies only to data kept solely for these purposes (such as logs); the decision per store is recorded with reasons.",
    },
    reasonsMayBeOmitted: false,
    withholdsRecord: true,
    tlfdiMayBeDemanded: true,
  },
  "authority-consent": {
    id: "authority-consent",
    reference: "§ 21 Abs. 3 ThürDSG",
    label: {
      de: "Zustimmung einer Sicherheitsbehörde erforderlich",
      en: "Consent of a security authority required",
    },
    guidance: {
      de: "Übermittlungen an oder von Staatsanwaltschaft, Polizei, Verfassungsschutz, BND oder MAD: Auskunft erst nach Zustimmung dieser Stelle.",
      en: "Transmissions to or from prosecutors, police, Verfassungsschutz, BND or MAD: access only with that body's consent.",
    },
    reasonsMayBeOmitted: true,
    withholdsRecord: true,
    tlfdiMayBeDemanded: true,
  },
  "information-block": {
    id: "information-block",
    reference: "§ 51 BMG",
    label: { de: "Auskunftssperre im Melderegister", en: "Information block in the population register" },
    guidance: {
      de: "Die Antwort darf nicht erkennen lassen, ob Daten vorhanden sind, solange die Identität nicht zweifelsfrei feststeht.",
      en: "The answer must not reveal whether data exist as long as the person's identity is not beyond doubt.",
    },
    reasonsMayBeOmitted: true,
    withholdsRecord: true,
    tlfdiMayBeDemanded: false,
  },
  "third-party-rights": {
    id: "third-party-rights",
    reference: "Art. 15 Abs. 4 DS-GVO",
    label: { de: "Rechte und Freiheiten anderer Personen", en: "Rights and freedoms of others" },
    guidance: {
      de: "Daten anderer Personen (etwa Empfänger in Kopie, die abgefragte Person) werden geschwärzt, nicht der ganze Datensatz zurückgehalten.",
      en: "Other people's data (such as recipients in copy, the person looked up) are redacted; the record itself is not held back.",
    },
    reasonsMayBeOmitted: false,
    withholdsRecord: false,
    tlfdiMayBeDemanded: false,
  },
  "identity-unconfirmed": {
    id: "identity-unconfirmed",
    reference: "Art. 12 Abs. 6 DS-GVO",
    label: { de: "Zuordnung zur Person nicht bestätigt", en: "Link to the person not confirmed" },
    guidance: {
      de: "Der Treffer beruht nur auf einer unbestätigten Angabe; erst nach Bestätigung freigeben.",
      en: "The match rests only on an unconfirmed identifier; release only after confirmation.",
    },
    reasonsMayBeOmitted: false,
    withholdsRecord: true,
    tlfdiMayBeDemanded: false,
  },
};

export function isRestrictionGroundId(value: unknown): value is RestrictionGroundId {
  return typeof value === "string" && (restrictionGroundIds as readonly string[]).includes(value);
}

/**
 * Grounds that can justify blanking out single fields (the rest of the record is released). The
 * others concern a record as a whole: its origin, its purpose, or whose it is.
 */
export const redactionGroundIds = [
  "third-party-rights",
  "public-security",
  "secrecy",
  "prosecution",
  "authority-consent",
] as const satisfies readonly RestrictionGroundId[];
export type RedactionGroundId = (typeof redactionGroundIds)[number];

export function isRedactionGroundId(value: unknown): value is RedactionGroundId {
  return typeof value === "string" && (redactionGroundIds as readonly string[]).includes(value);
}

/**
 * The answer's name for each redaction ground (the reasonCode of its JSON copy, stored in the answers
 * already given, so never renamed), with the reference shown at the blanked-out field and the
 * explanation the letter gives. One reason per redaction ground, in the order the letter lists them.
 */
export const redactionReasonCodes = [
  "art-15-4",
  "thuerdsg-21-1-1",
  "thuerdsg-21-1-2",
  "thuerdsg-21-1-3",
  "thuerdsg-21-3",
] as const;
export type RedactionReasonCode = (typeof redactionReasonCodes)[number];

export interface RedactionReason {
  /** The ground of the catalogue above whose redactions this reason names. */
  ground: RedactionGroundId;
  legalReference: Localized;
  /** Why such a field is blanked out, for the letter. */
  explanation: Localized;
}

export const redactionReasons: Readonly<Record<RedactionReasonCode, RedactionReason>> = {
  "art-15-4": {
    ground: "third-party-rights",
    legalReference: { de: "Art. 15 Abs. 4 DS-GVO", en: "Art. 15(4) GDPR" },
    explanation: {
      de: "Die Angaben betreffen andere Personen, deren Rechte hier schwerer wiegen, zum Beispiel weitere Empfänger einer E-Mail.",
      en: "The details concern other people whose rights prevail here, for example further recipients of an e-mail.",
    },
  },
  "thuerdsg-21-1-1": {
    ground: "public-security",
    legalReference: { de: "§ 21 Abs. 1 Nr. 1 ThürDSG", en: "section 21(1) no. 1 ThürDSG" },
    explanation: {
      de: "Die Angaben offenzulegen würde die öffentliche Sicherheit gefährden oder dem Wohl des Bundes oder eines Landes Nachteile bereiten.",
      en: "Disclosing the details would endanger public security or harm the Federation or a Land.",
    },
  },
  "thuerdsg-21-1-2": {
    ground: "secrecy",
    legalReference: { de: "§ 21 Abs. 1 Nr. 2 ThürDSG", en: "section 21(1) no. 2 ThürDSG" },
    explanation: {
      de: "Die Angaben müssen nach einer Rechtsvorschrift oder ihrem Wesen nach geheim bleiben, vor allem wegen überwiegender Rechte anderer.",
      en: "The details must be kept secret by law or by their nature, in particular because of the overriding rights of others.",
    },
  },
  "thuerdsg-21-1-3": {
    ground: "prosecution",
    legalReference: { de: "§ 21 Abs. 1 Nr. 3 ThürDSG", en: "section 21(1) no. 3 ThürDSG" },
    explanation: {
      de: "Die Angaben offenzulegen würde die Verhütung oder Verfolgung von Straftaten beeinträchtigen.",
      en: "Disclosing the details would impair the prevention or prosecution of criminal offences.",
    },
  },
  "thuerdsg-21-3": {
    ground: "authority-consent",
    legalReference: { de: "§ 21 Abs. 3 ThürDSG", en: "section 21(3) ThürDSG" },
    explanation: {
      de: "Die Angaben betreffen eine Übermittlung an oder von einer Sicherheitsbehörde, die der Auskunft nicht zugestimmt hat.",
      en: "The details concern a transmission to or from a security authority that has not consented to their disclosure.",
    },
  },
};

/** The reason a redaction under `ground` is shown with; a ground that cannot redact is shown as the rights of others (Art. 15(4)). */
export function redactionReasonOf(ground: string | null): RedactionReasonCode {
  return redactionReasonCodes.find((code) => redactionReasons[code].ground === ground) ?? "art-15-4";
}
