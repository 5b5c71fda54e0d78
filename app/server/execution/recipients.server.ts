/**
 * Art. 19 DS-GVO: who received the data of each processing activity and how to reach them. The
 * register names recipients in words (for the person); config/recipients.json adds the addresses
 * the notices go to. A recipient without an address is kept, with the reason it cannot be told.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { processingActivityIds, type ProcessingActivityId } from "../../core/processing-activities";

export const DEFAULT_RECIPIENTS_CONFIG = resolve("config/recipients.json");

const recipientSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().optional(),
  /** Why this recipient is not told (Art. 19: impossible or disproportionate), when it has no address. */
  omittedReason: z.string().trim().min(10).max(1000).optional(),
});
export type ConfiguredRecipient = z.infer<typeof recipientSchema>;

const directorySchema = z.partialRecord(z.enum(processingActivityIds), z.array(recipientSchema).max(50));
export type RecipientDirectory = Partial<Record<ProcessingActivityId, ConfiguredRecipient[]>>;

export function parseRecipientDirectory(input: unknown): RecipientDirectory {
  const parsed = directorySchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`recipients config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

const loaded = new Map<string, RecipientDirectory>();

/** Read and validated once per process (per path): a broken file stops the start, not a notice later. */
export function loadRecipientDirectory(path = DEFAULT_RECIPIENTS_CONFIG): RecipientDirectory {
  let directory = loaded.get(path);
  if (!directory) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`recipients config ${path} cannot be read (${(error as Error).message})`, { cause: error });
    }
    directory = parseRecipientDirectory(json);
    loaded.set(path, directory);
  }
  return directory;
}

export function recipientsOf(directory: RecipientDirectory, activity: string): ConfiguredRecipient[] {
  return (processingActivityIds as readonly string[]).includes(activity) ? (directory[activity as ProcessingActivityId] ?? []) : [];
}
