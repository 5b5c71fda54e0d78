import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { supervisoryAuthority } from "../core/processing-activities";
import { type Lang, messagesFor } from "../i18n";

/**
 * The judicial remedy every refusal, restriction and extension states beside the right to complain
 * (Art. 12(4), 79 DS-GVO; § 58 VwGO: without a correct Rechtsbehelfsbelehrung the time limit is a
 * year). Which court, its address, the time limit and whether an objection (Widerspruch) comes
 * first are a legal expert's decision: config/legal-remedy.json, validated when first read.
 */
export const DEFAULT_LEGAL_REMEDY_CONFIG = resolve("config/legal-remedy.json");

const localized = z.strictObject({ de: z.string().trim().min(3).max(200), en: z.string().trim().min(3).max(200) });
const legalRemedySchema = z.strictObject({
  $comment: z.string().optional(),
  court: z.strictObject({ name: localized, address: z.string().trim().min(5).max(300) }),
  timeLimitMonths: z.number().int().min(1).max(12),
  /** Where a preliminary objection procedure (§ 68 VwGO) must come first: the authority that takes the objection. */
  objection: z.strictObject({ authority: localized, address: z.string().trim().min(5).max(300) }).nullable(),
});
export type LegalRemedy = z.infer<typeof legalRemedySchema>;

export function parseLegalRemedy(input: unknown): LegalRemedy {
  const parsed = legalRemedySchema.safeParse(input);
  if (!parsed.success) throw new Error(`legal remedy config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

const loaded = new Map<string, LegalRemedy>();

/** Read and validated once per process (per path). */
export function loadLegalRemedy(path = DEFAULT_LEGAL_REMEDY_CONFIG): LegalRemedy {
  let remedy = loaded.get(path);
  if (!remedy) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`legal remedy config ${path} cannot be read (${(error as Error).message})`, { cause: error });
    }
    remedy = parseLegalRemedy(json);
    loaded.set(path, remedy);
  }
  return remedy;
}

/** The Rechtsbehelfsbelehrung in the person's language. */
export function legalRemedyNotice(lang: Lang, remedy: LegalRemedy = loadLegalRemedy()): string {
  const n = messagesFor(lang).delivery.notices;
  return remedy.objection
    ? n.legalRemedyObjection(remedy.timeLimitMonths, remedy.objection.authority[lang], remedy.objection.address, remedy.court.name[lang])
    : n.legalRemedy(remedy.timeLimitMonths, remedy.court.name[lang], remedy.court.address);
}

/** The supervisory authority in one line: name, postal address, e-mail. */
export function supervisoryAuthorityLine(lang: Lang): string {
  const a = supervisoryAuthority;
  return `${a.name[lang]}, ${a.address.street}, ${a.address.postalCode} ${a.address.city}, ${a.email}`;
}

/**
 * The rights as every refusal, restriction and extension must state them: the complaint to the
 * TLfDI with its address and the case's own complaint page (where the person can let the case file
 * go with the complaint), and the judicial remedy.
 */
export function complaintRightsNotice(lang: Lang, publicUrl: string, reference: string): string {
  const n = messagesFor(lang).delivery.notices;
  return `${n.complaint(supervisoryAuthorityLine(lang), `${publicUrl}/vorgang/${reference}/beschwerde`)}\n\n${legalRemedyNotice(lang)}`;
}
