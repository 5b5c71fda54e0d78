import { describe, expect, it } from "vitest";
import { complaintFormSchema } from "#app/server/complaints/complaint-form";
import { checkInBrowser } from "#app/ui/form/browser-check";

/**
 * The browser's check of a form some of whose fields only the server can check (the complaint's
 * files): conform takes a field's error `null` as "keep what the server said", a missing one as
 * "no error". The person's edits of other fields must keep a refused file's error, a change of the
 * file field itself must clear it, and sending must never be held back by it.
 */
const browserCheck = checkInBrowser(complaintFormSchema, ["files"]);
/** The submission conform reports back to the form: its errors per field, and its status. */
function check(context: { formData: FormData }) {
  const submission = browserCheck(context);
  return { status: submission.status, error: "error" in submission ? submission.error : undefined };
}

function form(intent?: { name: string }): FormData {
  const data = new FormData();
  data.append("text", "Meine Auskunft war unvollständig.");
  data.append("attachCaseFile", "no");
  // What conform sends when a field is left or changed (its `__intent__`, JSON).
  if (intent) data.append("__intent__", JSON.stringify({ type: "validate", payload: intent }));
  return data;
}

describe("checkInBrowser", () => {
  it("keeps the server's file error while another field is checked", () => {
    expect(check({ formData: form({ name: "text" }) }).error).toEqual({ files: null });
  });

  it("drops it when the file field itself changes", () => {
    expect(check({ formData: form({ name: "files" }) }).error).toEqual({});
  });

  it("lets a form with nothing else wrong be sent, so the server decides on the files afresh", () => {
    expect(check({ formData: form() }).status).toBe("success");
  });

  it("still finds what the browser can check", () => {
    const data = form({ name: "text" });
    data.set("text", " ");
    expect(check({ formData: data }).error).toEqual({ text: ["textRequired"], files: null });
  });
});
