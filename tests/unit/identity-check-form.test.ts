import { expect, it } from "vitest";
import { statutoryDe } from "#app/i18n/statutory.de";
import { statutoryEn } from "#app/i18n/statutory.en";
import { identityCheckFormSchema } from "#app/server/requests/identity-check-form";

/**
 * The identity check's browser schema refuses what the server refuses, each at its field, with a
 * key the page can say in German and English.
 */
const valid = {
  how: "copy",
  documentKind: "id-card",
  numberTail: " l01x ",
  result: "confirmed",
  documentIds: ["0b6d7f52-4a3c-4a8e-9d1f-2c3b4a5d6e7f"],
};

const refusals = (input: Record<string, unknown>) =>
  identityCheckFormSchema.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];

it("takes a complete check, the number tail as the use case keeps it", () => {
  const parsed = identityCheckFormSchema.parse(valid);
  expect(parsed.numberTail).toBe("L01X");
});

it("refuses each missing or wrong answer at its field", () => {
  expect(refusals({ ...valid, numberTail: "12-4" })).toEqual([["numberTail", "number-tail"]]);
  expect(refusals({ ...valid, numberTail: "12345" })).toEqual([["numberTail", "number-tail"]]);
  expect(refusals({ documentIds: [] })).toEqual([
    ["how", "how"],
    ["documentKind", "document-kind"],
    ["numberTail", "number-tail"],
    ["result", "result"],
  ]);
  expect(refusals({ ...valid, documentIds: ["nicht-eine-kennung"] })).toEqual([
    ["documentIds.0", "unknown-document"],
  ]);
  // A copy checked must name the copies (they are what the check deletes); one shown in person need not.
  expect(refusals({ ...valid, documentIds: [] })).toEqual([["documentIds", "nothing-checked"]]);
  expect(refusals({ ...valid, how: "in-person", documentIds: [] })).toEqual([]);
});

it("has a German and an English text for every refusal it gives", () => {
  for (const key of [
    "how",
    "document-kind",
    "number-tail",
    "result",
    "unknown-document",
    "nothing-checked",
  ]) {
    expect(statutoryDe.identity.errors).toHaveProperty([key]);
    expect(statutoryEn.identity.errors).toHaveProperty([key]);
  }
});
