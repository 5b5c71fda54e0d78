import { supervisoryAuthority } from "../core/processing-activities";
import { type Lang, messagesFor } from "../i18n";

/**
 * The right to complain, as every refusal, restriction and extension must state it: the authority
 * with its address, and the case's own complaint page, where the person can let the case file go
 * with the complaint.
 */
export function complaintRightsNotice(lang: Lang, publicUrl: string, reference: string): string {
  const a = supervisoryAuthority;
  return messagesFor(lang).staff.notices.rightsFooter(a.name[lang], `${a.address.street}, ${a.address.postalCode} ${a.address.city}, ${a.email}`, `${publicUrl}/vorgang/${reference}/beschwerde`);
}
