import { describe, expect, it } from "vitest";
import { type AnswerInput, type ReleasedFinding, releasedFromArray } from "#app/server/answers/answer-input";
import { storeTable } from "#app/server/answers/html";
import { pathLabel } from "#app/server/answers/record-fields";
import { summarize } from "#app/server/answers/summary";
import { answerTexts } from "#app/server/answers/texts";

/**
 * The copy names a redacted field as the person reads it — labelled in their language from the
 * record fields' one catalogue (record-fields.ts) — not by the internal path the decision stores.
 */
const finding: ReleasedFinding = {
  store: "mail-support",
  storeKind: "maildir",
  processingActivityId: "email",
  ref: "mail/1",
  matchedIdentifier: { kind: "email", value: "p@example.org", recordValue: "p@example.org", proven: true },
  unproven: false,
  flags: [],
  recordedAt: null,
  content: {
    from: "dritte@example.org",
    to: ["p@example.org"],
    cc: ["a@example.org", "b@example.org"],
    subject: "Hallo",
  },
  redactions: [
    { field: "from", reasonCode: "art-15-4" },
    { field: "cc.1", reasonCode: "art-15-4" },
  ],
};

async function redactionCell(lang: "de" | "en"): Promise<string> {
  const summary = await summarize(releasedFromArray([finding]));
  const table = storeTable(summary.stores[0]!, { lang } as AnswerInput, answerTexts(lang));
  const cells = [...table.row(finding, 1).matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!);
  return cells[cells.length - 1]!;
}

describe("redactions in the copy's HTML", () => {
  it("name the field by its label in the person's language, an element of a list by its number", async () => {
    expect(await redactionCell("de")).toBe(
      "Absender [geschwärzt: Art. 15 Abs. 4 DS-GVO]; Kopie an (Cc) 2 [geschwärzt: Art. 15 Abs. 4 DS-GVO]",
    );
    expect(await redactionCell("en")).toBe(
      "Sender [redacted: Art. 15(4) GDPR]; Copy to (Cc) 2 [redacted: Art. 15(4) GDPR]",
    );
  });

  it("label a member inside an object by both names, and an unknown member by its name", () => {
    expect(pathLabel("records-management", "absender.email", "de")).toBe("Absender – E-Mail");
    expect(pathLabel("maildir", "headers.to", "en")).toBe("headers – Recipients");
    expect(pathLabel("maildir", "attachments.0", "en")).toBe("Attachments 1");
  });
});
