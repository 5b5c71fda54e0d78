/** Where each file sits in the archives; the letter lists the same names. */
export const INDEX_FILE = "index.html";
export const MANIFEST_FILE = "manifest.json";
export const SCHEMA_DIR = "schemas/";

export function dataFile(store: string, extension: "json" | "csv"): string {
  return `data/${store}.${extension}`;
}

export function schemaFileFor(jsonFile: string): string {
  const base = jsonFile.slice(jsonFile.lastIndexOf("/") + 1).replace(/\.json$/, "");
  return `${SCHEMA_DIR}${base}.schema.json`;
}
