import { type DocumentType, safeFileName, sniffDocumentType } from "../requests/documents.server";
import { MAX_COMPLAINT_FILES, MAX_COMPLAINT_FILES_BYTES } from "./complaint-limits";

export interface ComplaintFile {
  fileName: string;
  contentType: DocumentType;
  content: Buffer;
}

/** What is wrong with the files attached, a key of `complaints.errors`. */
export type ComplaintFilesProblem = "fileType" | "fileTooLarge" | "tooManyFiles";

/**
 * The files attached to the complaint form (`files`). Files are typed by their first bytes, never by
 * name or the browser's claim; their number and sizes are checked before one is read.
 */
export async function readComplaintFiles(
  form: FormData,
): Promise<{ ok: true; files: ComplaintFile[] } | { ok: false; problem: ComplaintFilesProblem }> {
  const uploads = form
    .getAll("files")
    .filter((value): value is File => value instanceof File && value.size > 0);
  if (uploads.length > MAX_COMPLAINT_FILES) return { ok: false, problem: "tooManyFiles" };
  if (uploads.reduce((sum, file) => sum + file.size, 0) > MAX_COMPLAINT_FILES_BYTES)
    return { ok: false, problem: "fileTooLarge" };
  const files: ComplaintFile[] = [];
  for (const upload of uploads) {
    const content = Buffer.from(await upload.arrayBuffer());
    const type = sniffDocumentType(content);
    if (!type) return { ok: false, problem: "fileType" };
    files.push({ fileName: safeFileName(upload.name, type), contentType: type, content });
  }
  return { ok: true, files };
}
