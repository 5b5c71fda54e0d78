/**
 * Redactions name what is ticked on the record (a member, a recipient, an attachment: "cc.2"); a
 * name the record does not have is a forged or stale form. The check runs in the database, over the
 * whole selection a decision is for.
 */
import { type SQL, sql } from "drizzle-orm";
import { findings } from "#db/schema";

/** True for a finding whose content lacks any of the paths (a JSON null counts as present). */
export function lacksAnyPath(fields: readonly string[]): SQL {
  if (fields.length === 0) return sql`false`;
  const missing = fields.map((field) => {
    const parts = sql.join(
      field.split(".").map((part) => sql`${part}`),
      sql`, `,
    );
    return sql`(${findings.content} #> array[${parts}]::text[]) is null`;
  });
  return sql`(${sql.join(missing, sql` or `)})`;
}
