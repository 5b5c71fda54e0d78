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

export interface UploadedDocument {
  fileName: string;
  contentType: DocumentType;
  content: File;
}

/**
 * A document chosen in a form's file field, checked as every upload is: at most MAX_DOCUMENT_BYTES,
 * a PDF, PNG or JPEG by its first bytes, under a harmless name. Null when no file was chosen; the
 * refusals are keys of journey.errors.
 */
export async function uploadedDocument(
  value: FormDataEntryValue | null,
): Promise<
  { ok: true; document: UploadedDocument } | { ok: false; error: "fileTooLarge" | "fileType" } | null
> {
  if (!(value instanceof File) || value.size === 0) return null;
  if (value.size > MAX_DOCUMENT_BYTES) return { ok: false, error: "fileTooLarge" };
  const type = await sniffFileType(value);
  if (!type) return { ok: false, error: "fileType" };
  return {
    ok: true,
    document: { fileName: safeFileName(value.name, type), contentType: type, content: value },
  };
}
