/** Reads config/sources.json from disk (see config.ts for the validation). */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseSourcesConfig, type SourcesConfig } from "./config";

export const DEFAULT_SOURCES_CONFIG = resolve("config/sources.json");
/** Where the stores' paths are resolved: SOURCES_DATA_DIR, or the generated sample in data/sources. */
export const DEFAULT_SOURCES_DATA_DIR = resolve(process.env.SOURCES_DATA_DIR ?? "data/sources");

export async function loadSourcesConfig(path = DEFAULT_SOURCES_CONFIG): Promise<SourcesConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`sources config ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`sources config ${path} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseSourcesConfig(json);
}
