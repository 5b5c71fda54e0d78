/**
 * The "as found in the wild" sample (`npm run sources:generate -- --messy`): written on top of the
 * ordinary sample, into the same stores, with the variations real systems produce — rotation
 * names, log-format variants, byte-order marks, CRLF, Latin-1 bytes, epoch times, XML in other
 * encodings with character references, CDATA and other namespace prefixes, records naming several
 * people, relatives and namesakes at one address, Bcc, very long headers, IDN domains, `mailto:`,
 * phone numbers in every notation, quoted newlines in CSV. The answer key gets the cast
 * (./cast.ts) with exactly their records; every other record of the messy sample is a stranger's.
 */
import type { AnswerKeyIdentity } from "../answer-key";
import type { SampleContext } from "../context";
import type { ArticleRow, TicketRow } from "../servicedesk";
import type { RetrievalRow } from "../retrieval";
import { castKeyPerson, MESSY_CAST } from "./cast";
import { messyDatabaseRows } from "./database";
import { writeMessyLineStores } from "./lines.server";
import { writeMessyMailboxes } from "./mail.server";
import { writeMessyRecords } from "./records.server";

/** The database stores' rows of the ordinary sample; the messy ones are appended with the next ids. */
export interface DatabaseRows {
  retrievals: RetrievalRow[];
  tickets: TicketRow[];
  articles: ArticleRow[];
}

export async function writeMessySample(ctx: SampleContext, rows: DatabaseRows): Promise<AnswerKeyIdentity[]> {
  await writeMessyLineStores(ctx);
  await writeMessyMailboxes(ctx);
  messyDatabaseRows(ctx, rows);
  await writeMessyRecords(ctx);
  return Object.values(MESSY_CAST).map(castKeyPerson);
}
