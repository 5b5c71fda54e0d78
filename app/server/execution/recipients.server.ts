/**
 * Art. 19 DS-GVO: who received the data of each processing activity and how to reach them. The
 * register names recipients in words (for the person); config/recipients.json adds the addresses
 * the notices go to. A recipient without an address is kept, with the reason it cannot be told.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { processingActivityIds, type ProcessingActivityId } from "#app/core/processing-activities";

const recipientSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().optional(),
  /** Why this recipient is not told (Art. 19: impossible or disproportionate), when it has no address. */
  omittedReason: z.string().trim().min(10).max(1000).optional(),
});
export type ConfiguredRecipient = z.infer<typeof recipientSchema>;

const directorySchema = z.partialRecord(z.enum(processingActivityIds), z.array(recipientSchema).max(50));
export type RecipientDirectory = Partial<Record<ProcessingActivityId, ConfiguredRecipient[]>>;

function parseRecipientDirectory(input: unknown, source: string): RecipientDirectory {
  const parsed = directorySchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      `${source}: ${parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** The one reader of the file, called by loadConfig at start: a broken file stops the start, not a notice later. */
export function readRecipientDirectory(path: string): RecipientDirectory {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`recipients config ${path} cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseRecipientDirectory(json, `recipients config ${path}`);
}

export function recipientsOf(directory: RecipientDirectory, activity: string): ConfiguredRecipient[] {
  return (processingActivityIds as readonly string[]).includes(activity)
    ? (directory[activity as ProcessingActivityId] ?? [])
    : [];
}
