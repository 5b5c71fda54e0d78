/**
 * The legal basis of each retention rule in the reader's language. The register (retention.ts)
 * keeps the German citation, which is what German law is cited as; English pages cite it in the
 * English way of citing German statutes and name the documents in English.
 */
import type { Lang } from "./languages";
import type { RetentionRule, RetentionRuleId } from "./retention";

const english: Record<RetentionRuleId, string> = {
  "web-access-log": "Section 32(1) ThürEGovG; storage period set by the TLRZ",
  "login-log": "Section 51(4) ThürDSG",
  "retrieval-protocol": "Section 40(5) BMG",
  ticket: "Art. 5(1)(e) GDPR; storage period set by the TLRZ",
  "contact-form":
    "Directive on the retention of records in the administration of the Free State of Thuringia",
  "mailbox-poststelle": "Art. 5(1)(e) GDPR; organisational rule of the mail room",
  "mailbox-support": "Art. 5(1)(e) GDPR; storage period set by the TLRZ",
  "call-record": "Art. 5(1)(e) GDPR; storage period set by the TLRZ",
  "records-management":
    "Directive on the retention of records in the administration of the Free State of Thuringia; section 23 ThürDSG",
  "portal-case": "Art. 5(2) GDPR (accountability); standard period, adjustable by the TLRZ",
  "portal-unverified-request": "Art. 5(1)(c) and (e) GDPR",
  "portal-verification-code": "Art. 5(1)(c) and (e) GDPR",
  "portal-processing-log": "Section 51(4) ThürDSG",
};

export function legalReferenceIn(rule: Pick<RetentionRule, "id" | "legalReference">, lang: Lang): string {
  return lang === "de" ? rule.legalReference : english[rule.id];
}
