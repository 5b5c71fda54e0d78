/**
 * The eight things a person can ask for. Slugs are part of the public URL contract (/antrag/:art).
 * Each kind declares the extra fields its form needs beyond name and e-mail; `detailsSchema` turns
 * them into the one zod schema used by server and client.
 */
import { z } from "zod";
import type { Localized } from "./processing-activities";

export const requestKindSlugs = [
  "auskunft",
  "berichtigung",
  "loeschung",
  "einschraenkung",
  "datenuebertragung",
  "widerspruch",
  "widerruf",
  "beschwerde",
] as const;
export const requestKindSlug = z.enum(requestKindSlugs);
export type RequestKindSlug = z.infer<typeof requestKindSlug>;

/** The grounds of Art. 18(1)(a)–(d) DS-GVO, by their letter. */
export const art18Grounds = ["a", "b", "c", "d"] as const;
type Art18Ground = (typeof art18Grounds)[number];

interface FieldBase {
  name: string;
  label: Localized;
  hint?: Localized;
  required: boolean;
}

interface TextField extends FieldBase {
  input: "textarea";
  maxLength: number;
}

interface ChoiceField extends FieldBase {
  input: "choice";
  options: { value: string; label: Localized }[];
}

type ExtraField = TextField | ChoiceField;

export interface RequestKind {
  slug: RequestKindSlug;
  /** German citation, as used in letters ("Art. 15 DS-GVO"). */
  article: string;
  /** English citation ("Art. 15 GDPR"). */
  articleEn: string;
  label: Localized;
  description: Localized;
  extraFields: ExtraField[];
}

const LONG_TEXT = 5000;

const restrictionOptions: { value: Art18Ground; label: Localized }[] = [
  {
    value: "a",
    label: {
      de: "Ich bestreite, dass die Daten richtig sind – für die Zeit der Prüfung.",
      en: "I contest that the data are accurate — for as long as this is checked.",
    },
  },
  {
    value: "b",
    label: {
      de: "Die Verarbeitung ist unrechtmäßig, ich möchte aber keine Löschung.",
      en: "The processing is unlawful, but I do not want the data erased.",
    },
  },
  {
    value: "c",
    label: {
      de: "Sie brauchen die Daten nicht mehr, ich brauche sie aber für Rechtsansprüche.",
      en: "You no longer need the data, but I need them for legal claims.",
    },
  },
  {
    value: "d",
    label: {
      de: "Ich habe Widerspruch eingelegt – für die Zeit der Prüfung.",
      en: "I have objected — for as long as this is examined.",
    },
  },
];

export const requestKinds: readonly RequestKind[] = [
  {
    slug: "auskunft",
    article: "Art. 15 DS-GVO",
    articleEn: "Art. 15 GDPR",
    label: { de: "Auskunft", en: "Access" },
    description: {
      de: "Sie erfahren, ob wir Daten über Sie haben, und bekommen eine Kopie davon – mit Zweck, Herkunft, Empfängern und Speicherdauer.",
      en: "You learn whether we hold data about you and get a copy — with purpose, source, recipients and how long we keep it.",
    },
    extraFields: [],
  },
  {
    slug: "berichtigung",
    article: "Art. 16 DS-GVO",
    articleEn: "Art. 16 GDPR",
    label: { de: "Berichtigung", en: "Rectification" },
    description: {
      de: "Wir korrigieren falsche Angaben über Sie und ergänzen unvollständige.",
      en: "We correct wrong details about you and complete missing ones.",
    },
    extraFields: [
      {
        name: "incorrectData",
        input: "textarea",
        required: true,
        maxLength: LONG_TEXT,
        label: {
          de: "Welche Angabe ist falsch oder unvollständig?",
          en: "Which detail is wrong or incomplete?",
        },
      },
      {
        name: "correctValue",
        input: "textarea",
        required: true,
        maxLength: LONG_TEXT,
        label: { de: "Wie lautet die Angabe richtig?", en: "What is the correct detail?" },
      },
    ],
  },
  {
    slug: "loeschung",
    article: "Art. 17 DS-GVO",
    articleEn: "Art. 17 GDPR",
    label: { de: "Löschung", en: "Erasure" },
    description: {
      de: "Wir löschen Ihre Daten, wenn wir sie nicht mehr brauchen dürfen. Müssen wir sie noch aufbewahren, sagen wir Ihnen, warum und bis wann.",
      en: "We erase your data where we may no longer keep them. If we must keep them for now, we tell you why and until when.",
    },
    extraFields: [],
  },
  {
    slug: "einschraenkung",
    article: "Art. 18 DS-GVO",
    articleEn: "Art. 18 GDPR",
    label: { de: "Einschränkung der Verarbeitung", en: "Restriction of processing" },
    description: {
      de: "Wir bewahren Ihre Daten nur noch auf und nutzen sie sonst nicht, solange der Grund dafür besteht.",
      en: "We only store your data and make no other use of them for as long as the reason applies.",
    },
    extraFields: [
      {
        name: "restrictionGround",
        input: "choice",
        required: true,
        label: {
          de: "Warum soll die Verarbeitung eingeschränkt werden?",
          en: "Why should the processing be restricted?",
        },
        options: restrictionOptions,
      },
    ],
  },
  {
    slug: "datenuebertragung",
    article: "Art. 20 DS-GVO",
    articleEn: "Art. 20 GDPR",
    label: { de: "Datenübertragung", en: "Data portability" },
    description: {
      de: "Daten, die Sie uns mit Ihrer Einwilligung gegeben haben, erhalten Sie in einem maschinenlesbaren Format, zum Beispiel für eine andere Stelle.",
      en: "Data you gave us with your consent are handed to you in a machine-readable format, for example to pass on to another body.",
    },
    extraFields: [],
  },
  {
    slug: "widerspruch",
    article: "Art. 21 DS-GVO",
    articleEn: "Art. 21 GDPR",
    label: { de: "Widerspruch", en: "Objection" },
    description: {
      de: "Wir verarbeiten Ihre Daten nicht weiter, wenn Ihre besondere Lage schwerer wiegt als unsere Gründe. Sie erhalten eine begründete Entscheidung.",
      en: "We stop using your data if your particular situation outweighs our reasons. You receive a reasoned decision.",
    },
    extraFields: [
      {
        name: "particularSituation",
        input: "textarea",
        required: true,
        maxLength: LONG_TEXT,
        label: {
          de: "Was an Ihrer besonderen Situation spricht gegen die Verarbeitung?",
          en: "What about your particular situation speaks against the processing?",
        },
      },
    ],
  },
  {
    slug: "widerruf",
    article: "Art. 7 Abs. 3 DS-GVO",
    articleEn: "Art. 7(3) GDPR",
    label: { de: "Widerruf einer Einwilligung", en: "Withdrawal of consent" },
    description: {
      de: "Wir verarbeiten Ihre Daten ab jetzt nicht mehr auf Grundlage Ihrer Einwilligung. Was vorher geschah, bleibt rechtmäßig.",
      en: "From now on we no longer process your data on the basis of your consent. What happened before remains lawful.",
    },
    extraFields: [
      {
        name: "consent",
        input: "textarea",
        required: true,
        maxLength: LONG_TEXT,
        label: { de: "Welche Einwilligung widerrufen Sie?", en: "Which consent do you withdraw?" },
        hint: {
          de: "Zum Beispiel: Kontaktformular vom 3. März, Betreff …",
          en: "For example: contact form of 3 March, subject …",
        },
      },
    ],
  },
  {
    slug: "beschwerde",
    article: "Art. 77 DS-GVO",
    articleEn: "Art. 77 GDPR",
    label: { de: "Beschwerde bei der Aufsichtsbehörde", en: "Complaint to the supervisory authority" },
    description: {
      de: "Wir leiten Ihre Beschwerde an den Thüringer Landesbeauftragten für den Datenschutz weiter und bestätigen Ihnen das. Sie können sich auch direkt dorthin wenden.",
      en: "We forward your complaint to the Thuringian data protection commissioner and confirm this to you. You can also contact the commissioner directly.",
    },
    extraFields: [
      {
        name: "subject",
        input: "textarea",
        required: true,
        maxLength: LONG_TEXT,
        label: { de: "Worüber beschweren Sie sich?", en: "What is your complaint about?" },
      },
    ],
  },
];

export const requestKindBySlug: Readonly<Record<RequestKindSlug, RequestKind>> = Object.fromEntries(
  requestKinds.map((kind) => [kind.slug, kind]),
) as Record<RequestKindSlug, RequestKind>;

/** Looks up a kind from an untrusted URL parameter. */
export function findRequestKind(slug: string): RequestKind | undefined {
  const parsed = requestKindSlug.safeParse(slug);
  return parsed.success ? requestKindBySlug[parsed.data] : undefined;
}

function fieldSchema(field: ExtraField): z.ZodType<string | undefined> {
  const base =
    field.input === "choice"
      ? z.enum(field.options.map((option) => option.value) as [string, ...string[]])
      : z.string().trim().min(1).max(field.maxLength);
  return field.required ? base : base.optional();
}

/** The zod schema of a kind's extra fields (an empty object for kinds without any). */
export function detailsSchema(slug: RequestKindSlug): z.ZodType<Record<string, string | undefined>> {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const field of requestKindBySlug[slug].extraFields) shape[field.name] = fieldSchema(field);
  return z.strictObject(shape);
}

/**
 * The kinds that end only by being carried out and have no decision of their own that can say no:
 * an erasure ends with every record accounted for (kept under Art. 17(3) is an outcome), an
 * objection or withdrawal with its reasoned decision — a rectification or restriction with neither.
 * So they alone can be declined as unfounded (Art. 12(4)).
 */
export const declinableKinds = [
  "berichtigung",
  "einschraenkung",
] as const satisfies readonly RequestKindSlug[];
export type DeclinableKind = (typeof declinableKinds)[number];

/** The answers a released case offers: the copy of the data (Art. 15) and, if asked for, the portable data (Art. 20). */
export const answerKinds = ["access", "portability"] as const;
export type AnswerKind = (typeof answerKinds)[number];
