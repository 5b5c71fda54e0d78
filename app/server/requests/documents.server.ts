/** Documents a person may add: what we can open safely and show to staff. */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

export type DocumentType = "application/pdf" | "image/png" | "image/jpeg";

const signatures: { type: DocumentType; bytes: number[] }[] = [
  { type: "application/pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
];

/** The type from the file's first bytes; the name and the browser's claim are not trusted. */
export function sniffDocumentType(content: Uint8Array): DocumentType | null {
  for (const { type, bytes } of signatures) {
    if (content.length >= bytes.length && bytes.every((byte, i) => content[i] === byte)) return type;
  }
  return null;
}

/** The type of a file from its first bytes only: an upload is not read into memory to be typed. */
export async function sniffFileType(file: Blob): Promise<DocumentType | null> {
  return sniffDocumentType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
}

const extensions: Record<DocumentType, string> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
};

/** A harmless file name: the person's base name without paths or control characters, our extension. */
export function safeFileName(raw: string, type: DocumentType): string {
  const base = raw
    .split(/[\\/]/)
    .pop()!
    .normalize("NFC")
    .replace(/\.[^.]*$/, "")
    .replace(/[^\p{L}\p{N} ._-]+/gu, "_")
    .trim()
    .slice(0, 80);
  return `${base || "dokument"}.${extensions[type]}`;
}
