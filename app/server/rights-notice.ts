import { supervisoryAuthority } from "../core/processing-activities";
import { type Lang, messagesFor } from "../i18n";
import { type LegalRemedy, legalRemedy } from "./config.server";

/**
 * The judicial remedy every refusal, restriction and extension states beside the right to complain
 * comes from config/legal-remedy.json, read and validated at start with the rest of the
 * configuration (config.server.ts).
 */
export { type LegalRemedy, parseLegalRemedy } from "./config.server";

/** The Rechtsbehelfsbelehrung in the person's language. */
export function legalRemedyNotice(lang: Lang, remedy: LegalRemedy = legalRemedy()): string {
  const n = messagesFor(lang).delivery.notices;
  return remedy.objection
    ? n.legalRemedyObjection(
        remedy.timeLimitMonths,
        remedy.objection.authority[lang],
        remedy.objection.address,
        remedy.court.name[lang],
      )
    : n.legalRemedy(remedy.timeLimitMonths, remedy.court.name[lang], remedy.court.address);
}

/** The supervisory authority in one line: name, postal address, e-mail. */
function supervisoryAuthorityLine(lang: Lang): string {
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
