/**
 * ADR 0004's promise, proven with the compiler itself: a catalogue of a closed vocabulary that lacks
 * a word, or has one too many, does not compile — in German against the core's vocabulary, in
 * English against the German words. Both ways a catalogue is typed are proven: `textsOf<Word>`
 * (app/i18n) and `satisfies Record<Word, string>` (the answer's texts, the representation's).
 * Copies of real catalogues, changed by one key, are compiled
 * with the project's compiler options; the unchanged copies must compile cleanly, so the test fails
 * if the copying itself breaks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  redactionGroundIds,
  redactionReasonCodes,
  redactionReasonOf,
  redactionReasons,
} from "#app/core/restriction-grounds";

const root = resolve(__dirname, "../..");

function source(file: string): string {
  // The copy lives outside the project: its relative imports point back into the catalogue's folder.
  const folder = dirname(join(root, file));
  return readFileSync(join(root, file), "utf8").replace(
    /from "(\.\.?\/[^"]+)"/g,
    (_, path: string) => `from "${join(folder, path)}"`,
  );
}

/** `text` with `from` replaced once; fails the test if the catalogue no longer reads that way. */
function changed(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1, `catalogue contains ${JSON.stringify(from)} once`).toBe(1);
  return text.replace(from, to);
}

const de = source("app/i18n/statutory.de.ts");
const en = source("app/i18n/statutory.en.ts");
const answersDe = source("app/server/answers/texts.de.ts");
const answersEn = source("app/server/answers/texts.en.ts");
const variants = {
  "de-unchanged": de,
  // The channels a demand may arrive by are the core's StaffChannel words.
  "de-missing": changed(de, '      fax: "Fax",\n      phone: "Telefon",\n', '      phone: "Telefon",\n'),
  "de-extra": changed(
    de,
    'channels: textsOf<StaffChannel>({\n      letter: "Brief",\n',
    'channels: textsOf<StaffChannel>({\n      web: "Webformular",\n      letter: "Brief",\n',
  ),
  "en-unchanged": en,
  // The English error texts must have exactly the German catalogue's words.
  "en-missing": changed(
    en,
    '      "already-demanded": "You have already demanded a review by the supervisory authority for this answer.",\n',
    "",
  ),
  "en-extra": changed(
    en,
    '      confirm: "Please confirm that you demand',
    '      "made-up-code": "An error no one raises.",\n      confirm: "Please confirm that you demand',
  ),
  "answers-de-unchanged": answersDe,
  // The store kinds an answer names are the core's StoreKind words.
  "answers-de-missing": changed(answersDe, '    maildir: "E-Mail-Postfächer",\n', ""),
  "answers-de-extra": changed(
    answersDe,
    '    maildir: "E-Mail-Postfächer",\n',
    '    maildir: "E-Mail-Postfächer",\n    "imap-mailbox": "IMAP-Postfächer",\n',
  ),
  "answers-en-unchanged": answersEn,
  "answers-en-missing": changed(answersEn, '    maildir: "mailboxes",\n', ""),
};

let dir: string;
const errors: Record<string, string[]> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vocabulary-"));
  const files = Object.entries(variants).map(([name, text]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, text);
    return [name, file] as const;
  });
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // Without the DOM's and Node's declarations, which no catalogue uses: 3.3 s → 0.7 s of CPU for
  // the program, alone on the machine; the catalogues' types are the project's all the same.
  const program = ts.createProgram(
    files.map(([, file]) => file),
    { ...options, noEmit: true, types: [], lib: ["lib.es2023.d.ts"] },
  );
  for (const [name, file] of files) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) throw new Error(`not compiled: ${file}`);
    errors[name] = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
}, 180_000);

afterAll(() => {
  if (dir && dirname(dir) === tmpdir()) rmSync(dir, { recursive: true, force: true });
});

describe("catalogues of a closed vocabulary", () => {
  it("compile as they are", () => {
    expect(errors["de-unchanged"]).toEqual([]);
    expect(errors["en-unchanged"]).toEqual([]);
    expect(errors["answers-de-unchanged"]).toEqual([]);
    expect(errors["answers-en-unchanged"]).toEqual([]);
  });

  it("do not compile with a word of the core's vocabulary missing", () => {
    expect(errors["de-missing"]!.join("\n")).toMatch(/Property 'fax' is missing/);
  });

  it("do not compile with a word the core's vocabulary does not have", () => {
    expect(errors["de-extra"]!.join("\n")).toMatch(/'web' does not exist/);
  });

  it("do not compile in English with a German word missing", () => {
    expect(errors["en-missing"]!.join("\n")).toMatch(/already-demanded/);
  });

  it("do not compile in English with a word the German catalogue does not have", () => {
    expect(errors["en-extra"]!.join("\n")).toMatch(/made-up-code/);
  });

  it("typed with satisfies, do not compile with a store kind missing or one the core does not have", () => {
    expect(errors["answers-de-missing"]!.join("\n")).toMatch(/Property 'maildir' is missing/);
    expect(errors["answers-de-extra"]!.join("\n")).toMatch(/'"imap-mailbox"' does not exist/);
    expect(errors["answers-en-missing"]!.join("\n")).toMatch(/Property 'maildir' is missing/);
  });
});

describe("grounds and their redaction reasons", () => {
  it("give every ground that can redact exactly one reason, and no other ground one", () => {
    const grounds = redactionReasonCodes.map((code) => redactionReasons[code].ground);
    expect([...grounds].sort()).toEqual([...redactionGroundIds].sort());
    for (const ground of redactionGroundIds)
      expect(redactionReasons[redactionReasonOf(ground)].ground).toBe(ground);
    expect(redactionReasonOf("information-block")).toBe("art-15-4");
  });
});
