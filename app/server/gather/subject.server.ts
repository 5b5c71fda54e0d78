import { eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { requestIdentifiers } from "#db/schema";
import type { Subject } from "#app/sources/connector";

/**
 * The identifiers a case may be searched by, as the connectors take them. Only e-mail addresses
 * can be proven (by code); everything else is searched but its matches are marked unproven.
 */
export async function subjectOfRequest(db: DbOrTx, requestId: string): Promise<Subject> {
  const rows = await db.select().from(requestIdentifiers).where(eq(requestIdentifiers.requestId, requestId));
  const subject: Subject = { emails: [], names: [], phones: [], userNames: [], ips: [], postalAddresses: [] };
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
        subject.birthDate = row.normalized;
        break;
    }
  }
  return subject;
}
