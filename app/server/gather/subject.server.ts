import { eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { requestIdentifiers } from "#db/schema";
import type { Subject } from "#app/sources/connector";

/**
 * The identifiers a case may be searched by, as the connectors take them, each with whether it is
 * proven (by code, the identity provider or a staff check). A subject has one date of birth: a
 * proven one wins over one the person typed that differs from it (both stay on the case).
 */
export async function subjectOfRequest(db: DbOrTx, requestId: string): Promise<Subject> {
  const rows = await db.select().from(requestIdentifiers).where(eq(requestIdentifiers.requestId, requestId));
  const subject: Subject = { emails: [], names: [], phones: [], userNames: [], ips: [], postalAddresses: [] };
  let birthDateProven = false;
  for (const row of rows) {
    const proven = row.provenAt !== null;
    switch (row.kind) {
      case "email":
        subject.emails.push({ value: row.value, proven });
        break;
      case "name":
        subject.names.push({ value: row.value, proven });
        break;
      case "phone":
        subject.phones.push({ value: row.value, proven });
        break;
      case "user-name":
        subject.userNames.push({ value: row.value, proven });
        break;
      case "postal-address":
        subject.postalAddresses.push({ value: row.value, proven });
        break;
      case "ip":
        subject.ips.push({
          address: row.value,
          from: row.validFrom ?? undefined,
          to: row.validTo ?? undefined,
          proven,
        });
        break;
      case "birth-date":
        if (proven || !birthDateProven) subject.birthDate = row.normalized;
        birthDateProven ||= proven;
        break;
    }
  }
  return subject;
}
