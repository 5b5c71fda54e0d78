import type { Services } from "./services.server";

export async function checkHealth({ database }: Pick<Services, "database">) {
  try {
    await database.sql.query("select 1");
    return { ok: true, database: database.backend };
  } catch {
    return { ok: false, database: database.backend };
  }
}
