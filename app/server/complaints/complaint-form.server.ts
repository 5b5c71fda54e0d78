import { z } from "zod";
import { type DocumentType, safeFileName, sniffDocumentType } from "../requests/documents.server";
import { MAX_COMPLAINT_FILES, MAX_COMPLAINT_FILES_BYTES, MAX_COMPLAINT_TEXT } from "./complaint-limits";

export const caseFileChoice = z.enum(["yes", "no"]);

export interface ComplaintFile {
  fileName: string;
  contentType: DocumentType;
  content: Buffer;
}

export type ComplaintFormError =
  | { field: "text"; problem: "textRequired" | "textTooLong" }
  | { field: "attachCaseFile"; problem: "choiceRequired" }
  | { field: "files"; problem: "fileType" | "fileTooLarge" | "tooManyFiles" };

export interface ComplaintForm {
  text: string;
  attachCaseFile: boolean;
  files: ComplaintFile[];
}

const textSchema = z.string().trim().min(1, "textRequired").max(MAX_COMPLAINT_TEXT, "textTooLong");

/** The explicit choice; anything but the two offered values counts as no choice. */
export function parseCaseFileChoice(value: FormDataEntryValue | null | undefined): boolean | null {
  const parsed = caseFileChoice.safeParse(value);
  return parsed.success ? parsed.data === "yes" : null;
}

/**
 * Reads the complaint form. Every problem is reported at once; files are typed by their first
 * bytes, never by name or the browser's claim. Sizes are checked before a file is read.
 */
export async function readComplaintForm(
  form: FormData,
): Promise<{ ok: true; value: ComplaintForm } | { ok: false; errors: ComplaintFormError[] }> {
  const errors: ComplaintFormError[] = [];
  const text = textSchema.safeParse(typeof form.get("text") === "string" ? form.get("text") : "");
  if (!text.success)
    errors.push({
      field: "text",
      problem: text.error.issues[0]!.message === "textTooLong" ? "textTooLong" : "textRequired",
    });
  const attachCaseFile = parseCaseFileChoice(form.get("attachCaseFile"));
  if (attachCaseFile === null) errors.push({ field: "attachCaseFile", problem: "choiceRequired" });

  const uploads = form
    .getAll("files")
    .filter((value): value is File => value instanceof File && value.size > 0);
  const files: ComplaintFile[] = [];
  if (uploads.length > MAX_COMPLAINT_FILES) errors.push({ field: "files", problem: "tooManyFiles" });
  else if (uploads.reduce((sum, file) => sum + file.size, 0) > MAX_COMPLAINT_FILES_BYTES)
    errors.push({ field: "files", problem: "fileTooLarge" });
  else {
    for (const upload of uploads) {
      const content = Buffer.from(await upload.arrayBuffer());
      const type = sniffDocumentType(content);
      if (!type) {
        errors.push({ field: "files", problem: "fileType" });
        break;
      }
      files.push({ fileName: safeFileName(upload.name, type), contentType: type, content });
    }
  }
  if (errors.length > 0 || !text.success || attachCaseFile === null) return { ok: false, errors };
  return { ok: true, value: { text: text.data, attachCaseFile, files } };
}
