/** Reads config/sources.json from disk (see config.ts for the validation). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseSourcesConfig, type SourcesConfig } from "./config";

const DEFAULT_SOURCES_CONFIG = resolve("config/sources.json");

/** Synchronous: read once at start (loadConfig), before anything else runs. Every message names the file. */
export function loadSourcesConfig(path = DEFAULT_SOURCES_CONFIG): SourcesConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `sources config ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`sources config ${path} is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  try {
    return parseSourcesConfig(json);
  } catch (error) {
    throw new Error((error as Error).message.replace(/^sources config/, `sources config ${path}`), {
      cause: error,
    });
  }
}
